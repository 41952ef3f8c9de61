// The match snapshot: what matches (exact, parents, longest prefix, IPv6,
// IPv4-mapped), what never does (look-alikes, expired, warning-listed), the
// file round trip, and swapping under concurrent readers.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>

#include <atomic>
#include <fstream>
#include <thread>

#include "core/crypto.h"
#include "match/match.h"
#include "match/match_testing.h"
#include "testing/testing.h"

namespace accord::match {
namespace {

using accord::testing::TempDir;

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override { node_ = std::make_unique<TestNode>(dir_.Join("node")); }

  std::shared_ptr<const Snapshot> Build() {
    auto snapshot = Snapshot::Build(node_->store(), kNow);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    return snapshot.ok() ? *snapshot : nullptr;
  }

  // The matched values for one telemetry value.
  static std::vector<std::string> Matched(const Snapshot& snapshot, ObservableType type,
                                          std::string_view value, TimePoint at = kNow) {
    std::vector<SnapshotHit> hits;
    snapshot.Match(type, value, std::chrono::duration_cast<std::chrono::seconds>(
                                    at.time_since_epoch()).count(), hits);
    std::vector<std::string> matched;
    for (const SnapshotHit& hit : hits) matched.push_back(hit.matched.value);
    return matched;
  }

  TempDir dir_;
  std::unique_ptr<TestNode> node_;
};

using Values = std::vector<std::string>;

TEST_F(SnapshotTest, DomainsMatchByNameAndEveryParentButNotLookAlikes) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"},
                                     {ObservableType::kDomain, "b.evil.example"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "a.b.evil.example"),
            (Values{"b.evil.example", "evil.example"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "EVIL.Example."), (Values{"evil.example"}));
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "notevil.example").empty());
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "evil.example.com").empty());
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "example").empty());
}

TEST_F(SnapshotTest, InternationalNamesAreNormalizedBeforeTheLookup) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "xn--bcher-kva.example"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "www.bücher.example"),
            (Values{"xn--bcher-kva.example"}));
}

TEST_F(SnapshotTest, AddressesMatchExactlyAndByTheLongestContainingNetwork) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kCidr, "10.0.0.0/8"},
                                     {ObservableType::kCidr, "10.1.0.0/16"},
                                     {ObservableType::kCidr, "10.1.2.0/24"},
                                     {ObservableType::kIpv4, "10.1.2.3"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv4, "10.1.2.3"),
            (Values{"10.1.2.3", "10.1.2.0/24"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv4, "10.1.2.4"), (Values{"10.1.2.0/24"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv4, "10.1.3.4"), (Values{"10.1.0.0/16"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv4, "10.200.0.1"), (Values{"10.0.0.0/8"}));
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kIpv4, "11.0.0.1").empty());
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kIpv4, "10.1.2").empty());
}

TEST_F(SnapshotTest, Ipv6MatchesInAnySpellingAndIpv4MappedMatchesTheIpv4Indicator) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv6, "2001:db8::1"},
                                     {ObservableType::kCidr, "2001:db8:aaaa::/48"},
                                     {ObservableType::kIpv4, "192.0.2.7"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv6, "2001:0DB8:0:0::0001"), (Values{"2001:db8::1"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv6, "2001:db8:aaaa:1::9"),
            (Values{"2001:db8:aaaa::/48"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv6, "::ffff:192.0.2.7"), (Values{"192.0.2.7"}));
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kIpv6, "2001:db8:aaab::1").empty());
}

TEST_F(SnapshotTest, HashesAndUrlsMatchAfterNormalization) {
  const std::string sha256 = Sha256Hex("payload");
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kSha256, sha256},
                                     {ObservableType::kUrl, "http://evil.example/gate.php"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  std::string upper = sha256;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kSha256, upper), (Values{sha256}));
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kSha256, sha256.substr(1)).empty());
  EXPECT_EQ(Matched(*snapshot, ObservableType::kUrl, "HTTP://EVIL.example:80/gate.php"),
            (Values{"http://evil.example/gate.php"}));
}

TEST_F(SnapshotTest, ExpiredAndWarningListedIndicatorsNeverMatch) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "expired.example"}},
                       /*valid_until=*/"2025-01-01T00:00:00Z");
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "expiring.example"}},
                       /*valid_until=*/"2026-06-01T00:00:00Z");
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "benign.example"}});
  node_->WarningList("benign.example");
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->indicator_count(), 1);
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "expired.example").empty());
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "benign.example").empty());
  // Live when built, and expires while the snapshot is in use.
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "expiring.example"),
            (Values{"expiring.example"}));
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "expiring.example",
                      kNow + std::chrono::hours(24 * 365)).empty());
}

TEST_F(SnapshotTest, AValueCarriedByManyEventsLivesUntilItsLatestIndicatorExpires) {
  // Each value is carried by several events with different expiries; the
  // build merges every indicator link of a value into one entry.
  const Observable forever{ObservableType::kDomain, "forever.example"};
  const Observable later{ObservableType::kDomain, "later.example"};
  const Observable gone{ObservableType::kDomain, "gone.example"};
  node_->AddIndicators(Tlp::kGreen, {forever, later, gone}, "2025-01-01T00:00:00Z");
  node_->AddIndicators(Tlp::kGreen, {forever});  // no valid_until: never expires
  node_->AddIndicators(Tlp::kGreen, {later, gone}, "2025-06-01T00:00:00Z");
  node_->AddIndicators(Tlp::kGreen, {later}, "2026-06-01T00:00:00Z");
  // Values on either side of the merged ones, so the two ordered scans must
  // skip observables without live links and links of warning-listed values.
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "listed.example"}});
  node_->WarningList("listed.example");
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "last.example"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->indicator_count(), 3);
  const TimePoint next_year = kNow + std::chrono::hours(24 * 365);
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "forever.example", next_year),
            (Values{"forever.example"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "later.example"),
            (Values{"later.example"}));
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "later.example", next_year).empty());
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "gone.example").empty());
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "listed.example").empty());
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "last.example"),
            (Values{"last.example"}));
}

TEST_F(SnapshotTest, FileRoundTripKeepsEveryMatchAndDetectsDamage) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"},
                                     {ObservableType::kCidr, "198.51.100.0/24"}});
  auto built = Build();
  ASSERT_NE(built, nullptr);
  const std::string path = dir_.Join("match.snapshot");
  ASSERT_TRUE(built->Write(path).ok());
  auto loaded = Snapshot::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->generation(), built->generation());
  EXPECT_EQ((*loaded)->indicator_count(), 2);
  EXPECT_EQ(Matched(**loaded, ObservableType::kDomain, "x.evil.example"), (Values{"evil.example"}));
  EXPECT_EQ(Matched(**loaded, ObservableType::kIpv4, "198.51.100.9"), (Values{"198.51.100.0/24"}));

  {  // flip one byte of the slots
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-3, std::ios::end);
    file.put('\x5a');
  }
  auto damaged = Snapshot::Load(path);
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().code(), Status::Code::kCorruption);
  EXPECT_NE(damaged.status().message().find(path), std::string::npos);

  accord::testing::WriteFile(path, "not a snapshot at all, but long enough to have a header.....");
  EXPECT_EQ(Snapshot::Load(path).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(Snapshot::Load(dir_.Join("absent")).status().code(), Status::Code::kNotFound);
}

// A file whose checksum is right but whose table has no empty slot would
// make every miss probe forever: Load refuses it.
TEST_F(SnapshotTest, AFullTableWithAValidChecksumIsRefusedNotLoopedOn) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"}});
  auto built = Build();
  ASSERT_NE(built, nullptr);
  const std::string path = dir_.Join("match.snapshot");
  ASSERT_TRUE(built->Write(path).ok());
  std::string bytes = accord::testing::ReadFile(path);
  constexpr size_t kHeaderBytes = 88;
  constexpr size_t kChecksumOffset = 80;
  ASSERT_GT(bytes.size(), kHeaderBytes);
  for (size_t offset = kHeaderBytes; offset + sizeof(Slot) <= bytes.size(); offset += sizeof(Slot)) {
    Slot slot;
    std::memcpy(&slot, bytes.data() + offset, sizeof(slot));
    if (slot.key == 0) slot.key = 0x1234;
    std::memcpy(bytes.data() + offset, &slot, sizeof(slot));
  }
  const uint64_t checksum = XXH3_64bits(bytes.data() + kHeaderBytes, bytes.size() - kHeaderBytes);
  std::memcpy(bytes.data() + kChecksumOffset, &checksum, sizeof(checksum));
  accord::testing::WriteFile(path, bytes);
  auto loaded = Snapshot::Load(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
}

TEST_F(SnapshotTest, OpenSnapshotReusesTheFileUntilIndicatorsChange) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "first.example"}});
  auto first = OpenSnapshot(node_->store(), dir_.path().string(), kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = OpenSnapshot(node_->store(), dir_.path().string(), kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->generation(), (*first)->generation());
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "second.example"}});
  auto rebuilt = OpenSnapshot(node_->store(), dir_.path().string(), kNow);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_GT((*rebuilt)->generation(), (*first)->generation());
  EXPECT_EQ(Matched(**rebuilt, ObservableType::kDomain, "second.example"), (Values{"second.example"}));
}

// Readers keep matching while a writer refreshes the live snapshot; each
// reader sees either the old or the new set, never a mixture or a crash.
TEST_F(SnapshotTest, HotSwapUnderConcurrentMatchingNeverShowsAPartialSnapshot) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "old.example"}});
  LiveSnapshot live(Build());
  std::atomic<bool> stop{false};
  std::atomic<int64_t> lookups{0};
  std::atomic<int64_t> inconsistent{0};
  std::atomic<bool> saw_new{false};
  std::vector<std::thread> readers;
  for (int reader_idx = 0; reader_idx < 2; ++reader_idx) {
    readers.emplace_back([&] {
      const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count();
      std::vector<SnapshotHit> hits;
      while (!stop.load()) {
        std::shared_ptr<const Snapshot> snapshot = live.Get();
        hits.clear();
        snapshot->Match(ObservableType::kDomain, "old.example", now, hits);
        snapshot->Match(ObservableType::kDomain, "new.example", now, hits);
        // Every snapshot built here holds old.example; the new one also new.example.
        const bool has_new = hits.size() == 2;
        if (hits.empty() || hits.size() > 2) ++inconsistent;
        if (has_new) saw_new = true;
        ++lookups;
      }
    });
  }
  for (int round = 0; round < 20; ++round) {
    if (round == 10) node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "new.example"}});
    auto refreshed = live.Refresh(node_->store(), kNow);
    ASSERT_TRUE(refreshed.ok()) << refreshed.status().ToString();
    EXPECT_EQ(*refreshed, round == 10) << "round " << round;
  }
  // Wait (without sleeping) until a reader has seen the swap.
  while (!saw_new.load()) std::this_thread::yield();
  stop = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_GT(lookups.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
}

}  // namespace
}  // namespace accord::match
