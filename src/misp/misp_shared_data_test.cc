// The real files in shared/data: PyMISP's test events and the MISP
// warning lists. Skipped when the shared data folder is absent; every code
// path is also covered by the generated cases in the other tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "misp/misp.h"
#include "misp/recording_sink_for_test.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::Contains;
using testing::RecordingSink;

struct FileCounts {
  Status status;
  RecordingSink sink;
};

std::unique_ptr<FileCounts> ReadSharedEvent(const std::filesystem::path& path) {
  auto result = std::make_unique<FileCounts>();
  auto in = OpenInput(path.string());
  if (!in.ok()) {
    result->status = in.status();
    return result;
  }
  MispReadOptions options;
  options.source_name = path.filename().string();
  result->status = ReadMispEvent(**in, options, result->sink);
  return result;
}

class MispSharedDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::filesystem::path> shared = accord::testing::SharedData();
    if (!shared) GTEST_SKIP() << "shared data not present (ACCORD_SHARED_DATA)";
    misp_dir_ = *shared / "misp";
    lists_dir_ = *shared / "warninglists";
  }
  std::filesystem::path misp_dir_;
  std::filesystem::path lists_dir_;
};

// Two PyMISP files are not events (a galaxy, a lone sighting): they must be
// refused cleanly; every other file reads.
TEST_F(MispSharedDataTest, EveryEventFileReadsWithoutError) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(misp_dir_)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    auto result = ReadSharedEvent(entry.path());
    std::string name = entry.path().filename().string();
    if (name == "mispevent_testfiles_galaxy.json" || name == "mispevent_testfiles_sighting.json") {
      EXPECT_EQ(result->status.code(), Status::Code::kInvalidArgument) << name;
      EXPECT_THAT(result->status.message(), ::testing::HasSubstr("not a MISP event"));
      continue;
    }
    ASSERT_TRUE(result->status.ok()) << name << ": " << result->status.ToString();
    EXPECT_EQ(result->sink.events.size(), 1u) << name;
    for (const EventRecord& event : result->sink.events) EXPECT_TRUE(IsUuid(event.uuid)) << name;
    for (const IndicatorRecord& indicator : result->sink.indicators) {
      EXPECT_TRUE(indicator.type.has_value()) << name;
      EXPECT_FALSE(indicator.value.empty()) << name;
    }
  }
  EXPECT_EQ(files, 14);
}

// Counts from a script over the JSON (attributes of mapped types, composite
// types counted twice, deleted attributes left out): 384 values. Of the 343
// values of to_ids attributes, the file names of the 88 to_ids
// filename|<hash> and malware-sample attributes are context, not matched:
// 255 live. 15 attributes (14 filename|<hash>, 29 values, 12 of them live)
// only repeat hashes earlier attributes link: they are kept whole with the
// event (misp_other_attributes), not linked again.
TEST_F(MispSharedDataTest, LongEventHasExactCounts) {
  auto result = ReadSharedEvent(misp_dir_ / "reportlab_testfiles_long_event.json");
  ASSERT_TRUE(result->status.ok()) << result->status.ToString();
  const RecordingSink& sink = result->sink;
  EXPECT_EQ(sink.indicators.size(), 384u - 29u);
  EXPECT_EQ(sink.rejections.size(), 78u);
  EXPECT_EQ(std::count_if(sink.indicators.begin(), sink.indicators.end(),
                          [](const IndicatorRecord& r) { return r.context.is_indicator; }),
            255 - 12);
  ASSERT_TRUE(sink.events[0].misp_other_attributes.has_value());
  const auto kept = nlohmann::json::parse(*sink.events[0].misp_other_attributes);
  EXPECT_EQ(std::count_if(kept.begin(), kept.end(),
                          [](const nlohmann::json& a) {
                            return a["type"].get<std::string>().starts_with("filename|");
                          }),
            14);
  const EventRecord& event = sink.events[0];
  EXPECT_EQ(event.uuid, "57153590-f73c-49fa-be4b-4737950d210f");
  EXPECT_EQ(event.tlp, Tlp::kClear);  // tlp:white
  EXPECT_EQ(event.tags, std::vector<std::string>{"type:OSINT"});
  EXPECT_EQ(event.created, "2016-04-18T00:00:00.000Z");
}

TEST_F(MispSharedDataTest, ExistingEventHasExactCountsAndGalaxyTags) {
  auto result = ReadSharedEvent(misp_dir_ / "mispevent_testfiles_existing_event.json");
  ASSERT_TRUE(result->status.ok()) << result->status.ToString();
  const RecordingSink& sink = result->sink;
  EXPECT_EQ(sink.indicators.size(), 83u - 2u);  // two object attributes repeat linked values
  EXPECT_EQ(sink.rejections.size(), 39u);
  const EventRecord& event = sink.events[0];
  EXPECT_EQ(event.tlp, Tlp::kClear);
  EXPECT_EQ(event.tags.size(), 17u);
  EXPECT_THAT(event.tags, Contains("misp-galaxy:threat-actor=\"Sofacy\""));
}

TEST_F(MispSharedDataTest, SightingFileGivesOnlyRealSightings) {
  auto result = ReadSharedEvent(misp_dir_ / "reportlab_testfiles_sighting_1.json");
  ASSERT_TRUE(result->status.ok()) << result->status.ToString();
  const RecordingSink& sink = result->sink;
  EXPECT_EQ(sink.indicators.size(), 5u);
  EXPECT_TRUE(sink.rejections.empty());
  // Six sightings in the file, four of them false-positive or expiration.
  ASSERT_EQ(sink.sightings.size(), 2u);
  EXPECT_EQ(sink.sightings[0].value, "ooiasjdnqjwbeasdasd.com");
  EXPECT_EQ(sink.sightings[0].source, "ORGNAME");
  EXPECT_EQ(sink.sightings[0].first_seen, "2019-02-27T07:52:30.000Z");
  EXPECT_EQ(sink.events[0].tlp, Tlp::kGreen);  // distribution 3, no tlp tag
}

TEST_F(MispSharedDataTest, ResponseAndProposalFilesRead) {
  auto response = ReadSharedEvent(misp_dir_ / "mispevent_testfiles_malware_exist.json");
  ASSERT_TRUE(response->status.ok());
  // malware-sample gives two (its file name and md5), which the file object's
  // filename and md5 then repeat (kept with the object, not linked again).
  EXPECT_EQ(response->sink.indicators.size(), 4u);
  EXPECT_EQ(response->sink.rejections.size(), 1u);  // size-in-bytes
  auto proposals = ReadSharedEvent(misp_dir_ / "mispevent_testfiles_proposals.json");
  ASSERT_TRUE(proposals->status.ok());
  ASSERT_EQ(proposals->sink.indicators.size(), 1u);
  EXPECT_EQ(proposals->sink.indicators[0].value, "bar.exe");  // not the proposals
}

std::unique_ptr<WarningListMatcher> LoadAllLists(const std::filesystem::path& dir,
                                                 size_t& list_count) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json" && entry.path().filename() != "schema.json") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<WarningListRecord> lists;
  for (const auto& path : paths) {
    auto in = OpenInput(path.string());
    EXPECT_TRUE(in.ok()) << path;
    if (!in.ok()) continue;
    auto list = ParseWarningList(**in);
    EXPECT_TRUE(list.ok()) << path << ": " << list.status().ToString();
    if (!list.ok()) continue;
    EXPECT_FALSE(list->entries.empty()) << path;
    lists.push_back(std::move(*list));
  }
  list_count = lists.size();
  return WarningListMatcher::Build(lists);
}

TEST_F(MispSharedDataTest, EveryWarningListParsesAndKnownMembersMatch) {
  size_t list_count = 0;
  auto matcher = LoadAllLists(lists_dir_, list_count);
  EXPECT_EQ(list_count, 18u);
  auto match = [&](ObservableType type, const char* value) {
    return matcher->Match(Observable{type, value}).value_or("");
  };
  // Lists are loaded in file-name order; the first holding a value is named.
  EXPECT_EQ(match(ObservableType::kIpv4, "8.8.8.8"), "List of known IPv4 public DNS resolvers");
  EXPECT_EQ(match(ObservableType::kIpv6, "2001:4860:4860::8888"),
            "List of known IPv6 public DNS resolvers");
  EXPECT_EQ(match(ObservableType::kIpv4, "10.1.2.3"), "List of RFC 1918 CIDR blocks");
  EXPECT_EQ(match(ObservableType::kIpv4, "127.0.0.1"), "List of RFC 5735 CIDR blocks");
  EXPECT_EQ(match(ObservableType::kIpv4, "100.64.1.1"), "List of RFC 6598 CIDR blocks");
  EXPECT_EQ(match(ObservableType::kCidr, "192.168.10.0/24"), "List of RFC 1918 CIDR blocks");
  EXPECT_EQ(match(ObservableType::kDomain, "mail.google.com"), "Top 1000 website from Alexa");
  EXPECT_EQ(match(ObservableType::kDomain, "victim.duckdns.org"),
            "List of known dynamic DNS domains");
  EXPECT_EQ(match(ObservableType::kSha256,
                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "List of known hashes for empty files");
  EXPECT_EQ(match(ObservableType::kDomain, "co.uk"), "Second level TLDs as known by Mozilla Foundation");
  EXPECT_EQ(match(ObservableType::kUrl, "https://api.ipify.org/?format=json"),
            "Top 10K most-used sites from Tranco");
  EXPECT_EQ(match(ObservableType::kDomain, "notgoogle.com"), "");
  EXPECT_EQ(match(ObservableType::kIpv4, "192.0.2.1"), "List of RFC 5735 CIDR blocks");  // TEST-NET-1
  EXPECT_EQ(match(ObservableType::kIpv4, "93.184.215.14"), "");
  EXPECT_EQ(match(ObservableType::kSha1, "0123456789012345678901234567890123456789"), "");
}

TEST_F(MispSharedDataTest, EachCidrListMatchesItsOwnFirstEntry) {
  for (const char* file : {"amazon-aws.json", "google-gcp.json", "microsoft-azure.json",
                           "sinkholes.json", "public-dns-v6.json"}) {
    auto in = OpenInput((lists_dir_ / file).string());
    ASSERT_TRUE(in.ok());
    auto list = ParseWarningList(**in);
    ASSERT_TRUE(list.ok()) << file;
    auto matcher = WarningListMatcher::Build({*list});
    for (const std::string& entry : list->entries) {
      ObservableType type = entry.find('/') != std::string::npos ? ObservableType::kCidr
                            : entry.find(':') != std::string::npos ? ObservableType::kIpv6
                                                                   : ObservableType::kIpv4;
      EXPECT_EQ(matcher->Match(Observable{type, entry}), list->name) << file << " " << entry;
    }
  }
}

}  // namespace
}  // namespace accord
