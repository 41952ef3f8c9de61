// The match snapshot: what matches (exact, parents, longest prefix, IPv6,
// IPv4-mapped), what never does (look-alikes, expired, warning-listed), the
// file round trip, and swapping under concurrent readers.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>

#include <atomic>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "core/crypto.h"
#include "match/match.h"
#include "match/snapshot_keys.h"
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

// A snapshot file opened for surgery: its parts by the header's counts, and
// Save with the checksum recomputed, so Load's checks past the checksum can
// be reached. Offsets follow FileHeader in snapshot_file.cc.
class SnapshotFile {
 public:
  explicit SnapshotFile(std::string path) : path_(std::move(path)), bytes_(accord::testing::ReadFile(path_)) {
    EXPECT_GT(bytes_.size(), kHeaderBytes);
    std::memcpy(&entry_count_, bytes_.data() + kIndicatorCountOffset, sizeof(entry_count_));
    std::memcpy(&slot_count_, bytes_.data() + kSlotCountOffset, sizeof(slot_count_));
  }
  size_t slot_count() const { return slot_count_; }
  size_t entry_count() const { return entry_count_; }
  Slot slot(size_t index) const { return Get<Slot>(SlotsAt() + index * sizeof(Slot)); }
  void set_slot(size_t index, const Slot& slot) { Set(SlotsAt() + index * sizeof(Slot), slot); }
  uint32_t check(size_t entry) const { return Get<uint32_t>(ChecksAt() + entry * 4); }
  void set_check(size_t entry, uint32_t check) { Set(ChecksAt() + entry * 4, check); }
  void set_first_link(size_t entry, uint32_t first) { Set(ChecksAt() + (entry_count_ + entry) * 4, first); }
  void Save() {
    const uint64_t checksum = XXH3_64bits(bytes_.data() + kHeaderBytes, bytes_.size() - kHeaderBytes);
    std::memcpy(bytes_.data() + kChecksumOffset, &checksum, sizeof(checksum));
    accord::testing::WriteFile(path_, bytes_);
  }

 private:
  static constexpr size_t kHeaderBytes = 104;
  static constexpr size_t kIndicatorCountOffset = 32;
  static constexpr size_t kSlotCountOffset = 40;
  static constexpr size_t kChecksumOffset = 96;
  size_t SlotsAt() const { return kHeaderBytes; }
  // After the slots, the filter and the observable ids.
  size_t ChecksAt() const {
    const size_t filter_words = internal::FilterWords(slot_count_);
    return kHeaderBytes + slot_count_ * sizeof(Slot) + filter_words * 8 + entry_count_ * 4;
  }
  template <typename T>
  T Get(size_t offset) const {
    T value;
    EXPECT_LE(offset + sizeof(T), bytes_.size());
    std::memcpy(&value, bytes_.data() + offset, sizeof(T));
    return value;
  }
  template <typename T>
  void Set(size_t offset, const T& value) {
    ASSERT_LE(offset + sizeof(T), bytes_.size());
    std::memcpy(bytes_.data() + offset, &value, sizeof(T));
  }

  std::string path_;
  std::string bytes_;
  uint64_t slot_count_ = 0;
  uint64_t entry_count_ = 0;
};

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

// The snapshot skips the suffixes of a label count no domain indicator has:
// an indicator of any depth (two, four, over sixty-three labels) still
// matches the names under it, from a file as from memory, and a look-alike
// of a depth that is probed still does not.
TEST_F(SnapshotTest, DomainsOfEveryLabelCountStillMatchWhenOtherCountsAreSkipped) {
  std::string deep;
  for (int label = 0; label < 70; ++label) deep += "d.";
  deep += "example";  // 71 labels
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"},
                                     {ObservableType::kDomain, "a.b.bad.example"},
                                     {ObservableType::kDomain, deep}});
  auto built = Build();
  ASSERT_NE(built, nullptr);
  const std::string path = dir_.Join("labels.snapshot");
  ASSERT_TRUE(built->Write(path).ok());
  auto loaded = Snapshot::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  for (const Snapshot* snapshot : {built.get(), loaded->get()}) {
    EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "evil.example"), (Values{"evil.example"}));
    EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "x.y.z.evil.example"), (Values{"evil.example"}));
    EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "a.b.bad.example"), (Values{"a.b.bad.example"}));
    EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "w.x.y.z.a.b.bad.example"),
              (Values{"a.b.bad.example"}));
    EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, deep), (Values{deep}));
    EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "q.r." + deep), (Values{deep}));
    EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "b.bad.example").empty());
    EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "xa.b.bad.example").empty());
    EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "a.b.notbad.example").empty());
    EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "d." + deep.substr(4)).empty());
    EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "example").empty());
  }
}

// The fast path lower-cases and splits names sixteen bytes a step: names of
// every length up to 255 bytes, any case, a trailing dot or not, must hit
// exactly the indicators that are whole-label suffixes of the lower-cased
// name, longest first.
TEST_F(SnapshotTest, NamesOfEveryLengthAndCaseHitTheirWholeLabelSuffixes) {
  std::mt19937_64 rng(20261203);
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  auto label = [&](size_t length, bool letters_only) {
    const std::string_view alphabet = letters_only ? "abcdefghijklmnopqrstuvwxyz"
                                                   : "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string text;
    for (size_t char_idx = 0; char_idx < length; ++char_idx) {
      const bool inner = char_idx > 0 && char_idx + 1 < length;
      text += inner && pick(6) == 0 ? '-' : alphabet[pick(alphabet.size())];
    }
    return text;
  };
  std::vector<std::string> indicators;
  std::vector<Observable> observables;
  for (int idx = 0; idx < 60; ++idx) {
    std::string name = label(1 + pick(6), true);
    for (size_t labels = 1 + pick(4); labels > 0; --labels) name = label(1 + pick(20), false) + "." + name;
    indicators.push_back(name);
    observables.push_back({ObservableType::kDomain, name});
  }
  node_->AddIndicators(Tlp::kGreen, observables);
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  const std::set<std::string> known(indicators.begin(), indicators.end());
  for (int round = 0; round < 3000; ++round) {
    std::string name = indicators[pick(indicators.size())];
    if (pick(4) == 0) name = label(1 + pick(3), false) + name;  // a look-alike, no dot
    while (pick(3) != 0 && name.size() < 200) name = label(1 + pick(30), false) + "." + name;
    if (name.size() > 254) continue;
    std::string query = name;
    for (char& c : query) {
      if (c >= 'a' && c <= 'z' && pick(3) == 0) c = static_cast<char>(c - 'a' + 'A');
    }
    if (pick(5) == 0) query += '.';
    Values expected;
    for (size_t start = 0;;) {
      if (known.count(name.substr(start)) != 0) expected.push_back(name.substr(start));
      const size_t dot = name.find('.', start);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, query), expected) << query;
    if (HasFailure()) break;
  }
}

TEST_F(SnapshotTest, InternationalNamesAreNormalizedBeforeTheLookup) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "xn--bcher-kva.example"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "www.bücher.example"),
            (Values{"xn--bcher-kva.example"}));
}

// Every containing network, longest first (the matcher alerts on the
// longest its caller may read).
TEST_F(SnapshotTest, AddressesMatchExactlyAndByEveryContainingNetworkLongestFirst) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kCidr, "10.0.0.0/8"},
                                     {ObservableType::kCidr, "10.1.0.0/16"},
                                     {ObservableType::kCidr, "10.1.2.0/24"},
                                     {ObservableType::kIpv4, "10.1.2.3"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv4, "10.1.2.3"),
            (Values{"10.1.2.3", "10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv4, "10.1.2.4"),
            (Values{"10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv4, "10.1.3.4"), (Values{"10.1.0.0/16", "10.0.0.0/8"}));
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

// Free text quotes reports' defanged values; the scanner hands them over as
// written and the lookup refangs them as imports do.
TEST_F(SnapshotTest, DefangedDomainsAndAddressesMatchAsTheirPlainValues) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"},
                                     {ObservableType::kIpv4, "198.51.100.23"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "cdn.evil[.]example"), (Values{"evil.example"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kDomain, "evil[dot]example"), (Values{"evil.example"}));
  EXPECT_EQ(Matched(*snapshot, ObservableType::kIpv4, "198.51.100[.]23"), (Values{"198.51.100.23"}));
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kIpv4, "198.51.100[.]24").empty());
  EXPECT_TRUE(Matched(*snapshot, ObservableType::kDomain, "notevil[.]example").empty());
}

// The matcher's three steps (Prepare, PrefetchSlots, which drops the keys
// the filter refuses, then Finish) find exactly what Match finds, for every
// kind of value, with and without the middle step.
TEST_F(SnapshotTest, PreparedLookupsFindWhatMatchFindsWithOrWithoutPrefetching) {
  const std::string sha256 = Sha256Hex("payload");
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"},
                                     {ObservableType::kDomain, "b.evil.example"},
                                     {ObservableType::kCidr, "10.1.0.0/16"},
                                     {ObservableType::kIpv4, "10.1.2.3"},
                                     {ObservableType::kSha256, sha256},
                                     {ObservableType::kUrl, "http://evil.example/gate.php"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count();
  const std::vector<std::pair<ObservableType, std::string>> values = {
      {ObservableType::kDomain, "a.b.evil.example"}, {ObservableType::kDomain, "x.evil.example"},
      {ObservableType::kDomain, "notevil.example"},  {ObservableType::kIpv4, "10.1.2.3"},
      {ObservableType::kIpv4, "10.1.9.9"},           {ObservableType::kIpv4, "10.2.0.1"},
      {ObservableType::kSha256, sha256},             {ObservableType::kSha256, Sha256Hex("other")},
      {ObservableType::kUrl, "http://evil.example/gate.php"}, {ObservableType::kUrl, "http://x.example/"}};
  size_t hit_values = 0;
  for (const auto& [type, value] : values) {
    const Values expected = Matched(*snapshot, type, value);
    hit_values += expected.empty() ? 0 : 1;
    for (bool prefetch : {false, true}) {
      Probe probe;
      snapshot->Prepare(type, value, probe);
      if (prefetch) snapshot->PrefetchSlots(probe);
      std::vector<SnapshotHit> hits;
      snapshot->Finish(probe, now, hits);
      Values found;
      for (const SnapshotHit& hit : hits) found.push_back(hit.matched.value);
      EXPECT_EQ(found, expected) << value << (prefetch ? " with" : " without") << " PrefetchSlots";
    }
  }
  EXPECT_EQ(hit_values, 6u);  // the comparison covered hits, not only misses
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

// Files whose checksum is right (recomputed after the damage) but whose
// contents are not: Load must refuse each with its reason.
class SnapshotDamageTest : public SnapshotTest {
 protected:
  // A one-indicator snapshot file, open for surgery.
  SnapshotFile WrittenFile() {
    node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"}});
    auto built = Build();
    EXPECT_NE(built, nullptr);
    if (built != nullptr) {
      EXPECT_TRUE(built->Write(Path()).ok());
    }
    return SnapshotFile(Path());
  }
  std::string Path() const { return dir_.Join("match.snapshot"); }
  void ExpectRefusedFor(const std::string& reason) {
    auto loaded = Snapshot::Load(Path());
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
    EXPECT_NE(loaded.status().message().find(reason), std::string::npos) << loaded.status().ToString();
  }
};

// A table with no empty slot would make every miss probe forever.
TEST_F(SnapshotDamageTest, AFullTableIsRefusedNotLoopedOn) {
  SnapshotFile file = WrittenFile();
  for (size_t slot_idx = 0; slot_idx < file.slot_count(); ++slot_idx) {
    Slot slot = file.slot(slot_idx);
    if (slot.key == 0) slot.key = 0x1234;
    file.set_slot(slot_idx, slot);
  }
  file.Save();
  ExpectRefusedFor("full");
}

TEST_F(SnapshotDamageTest, ASlotNamingNoEntryIsRefused) {
  SnapshotFile file = WrittenFile();
  for (size_t slot_idx = 0; slot_idx < file.slot_count(); ++slot_idx) {
    Slot slot = file.slot(slot_idx);
    if (slot.key == 0) continue;
    slot.entry = static_cast<uint32_t>(file.entry_count());
    file.set_slot(slot_idx, slot);
  }
  file.Save();
  ExpectRefusedFor("names no entry");
}

TEST_F(SnapshotDamageTest, LinkRangesOutOfOrderAreRefused) {
  SnapshotFile file = WrittenFile();
  file.set_first_link(file.entry_count(), 7);  // the last range's end, past the links
  file.Save();
  ExpectRefusedFor("link ranges");
}

TEST_F(SnapshotTest, HitsCarryTheIndicatorsLiveLinksInEventOrder) {
  TestNode::EventSpec lasting;
  lasting.title = "lasting";
  const std::string first = node_->AddEvent(lasting, {{ObservableType::kDomain, "evil.example"}});
  TestNode::EventSpec expiring;
  expiring.valid_until = "2026-06-01T00:00:00Z";
  node_->AddEvent(expiring, {{ObservableType::kDomain, "evil.example"}});
  TestNode::EventSpec expired;
  expired.valid_until = "2025-06-01T00:00:00Z";  // before kNow: left out
  node_->AddEvent(expired, {{ObservableType::kDomain, "evil.example"}});
  auto snapshot = Build();
  ASSERT_NE(snapshot, nullptr);
  std::vector<SnapshotHit> hits;
  snapshot->Match(ObservableType::kDomain, "cdn.evil.example",
                  std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count(), hits);
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].links.size(), 2u);
  auto first_event = node_->store().GetEvent(first);
  ASSERT_TRUE(first_event.ok() && first_event->has_value());
  EXPECT_EQ(hits[0].links[0].event_id, (*first_event)->id);
  EXPECT_EQ(hits[0].links[0].valid_until, 0u);  // never
  EXPECT_GT(hits[0].links[1].event_id, hits[0].links[0].event_id);
  EXPECT_EQ(hits[0].links[1].valid_until, 1780272000u);  // 2026-06-01T00:00:00Z

  // The same links after a trip through the file.
  const std::string path = dir_.Join("match.snapshot");
  ASSERT_TRUE(snapshot->Write(path).ok());
  auto loaded = Snapshot::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  hits.clear();
  (*loaded)->Match(ObservableType::kDomain, "evil.example",
                   std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count(), hits);
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].links.size(), 2u);
  EXPECT_EQ(hits[0].links[0].event_id, (*first_event)->id);
  EXPECT_EQ(hits[0].links[1].valid_until, 1780272000u);
}

// A telemetry value whose 64-bit key equals an indicator's but whose value
// differs must not hit: made here by changing the check hash kept for the
// indicator, as a real key collision would leave it not matching.
TEST_F(SnapshotTest, AHitWhoseValueFailsTheCheckHashIsDropped) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"},
                                     {ObservableType::kDomain, "other.example"}});
  auto built = Build();
  ASSERT_NE(built, nullptr);
  const std::string path = dir_.Join("match.snapshot");
  ASSERT_TRUE(built->Write(path).ok());
  SnapshotFile file(path);
  const uint64_t key = ObservableKey({ObservableType::kDomain, "evil.example"});
  bool changed = false;
  for (size_t slot_idx = 0; slot_idx < file.slot_count(); ++slot_idx) {
    const Slot slot = file.slot(slot_idx);
    if (slot.key != key) continue;
    file.set_check(slot.entry, file.check(slot.entry) ^ 1);
    changed = true;
  }
  ASSERT_TRUE(changed);
  file.Save();
  auto loaded = Snapshot::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(Matched(**loaded, ObservableType::kDomain, "www.evil.example").empty());
  EXPECT_EQ(Matched(**loaded, ObservableType::kDomain, "www.other.example"), (Values{"other.example"}));
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
