// `accord export --format misp-feed`: a directory MISP's Feeds pull
// (manifest.json, <uuid>.json per event, hashes.csv), holding only what the
// viewer may read, and read back whole by Accord's own feed import.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/crypto.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class MispFeedExportTest : public ExchangeTest {
 protected:
  Status ExportFeed(int64_t viewer, const std::string& dir) {
    ExportOptions options;
    options.format = ExportFormat::kMispFeed;
    options.viewer = {viewer, Role::kAnalyst};
    return ExportToDirectory(*store_, options, dir, nullptr);
  }

  std::set<std::string> Files(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
    return names;
  }

  std::string EventUuid(const std::string& title) {
    std::string uuid;
    EXPECT_TRUE(store_
                    ->ForEachEvent(EventFilter{},
                                   [&](const EventSummary& event) {
                                     if (event.title == title) uuid = event.uuid;
                                     return Status::Ok();
                                   })
                    .ok());
    return uuid;
  }
};

TEST_F(MispFeedExportTest, TheFeedListsEachReadableEventWithItsFileTimestampAndValueHashes) {
  Import("green.txt", "feed-green.example\n198.51.100.41\n", Tlp::kGreen);
  Import("strict.txt", "feed-strict.example\n", Tlp::kAmberStrict);
  const std::string green = EventUuid("green.txt"), strict = EventUuid("strict.txt");
  ASSERT_FALSE(green.empty());
  ASSERT_FALSE(strict.empty());

  const std::string feed = dir_.Join("feed-other");
  ASSERT_TRUE(ExportFeed(other_, feed).ok());
  // AMBER+STRICT is the owner's alone: the other organisation's feed has
  // neither its file nor its manifest entry nor its hashes.
  EXPECT_EQ(Files(feed), (std::set<std::string>{"manifest.json", "hashes.csv", green + ".json"}));
  const json manifest = json::parse(testing::ReadFile(feed + "/manifest.json"));
  ASSERT_EQ(manifest.size(), 1u);
  const json& entry = manifest.at(green);
  EXPECT_EQ(entry.at("info"), "green.txt");
  EXPECT_EQ(entry.at("Orgc").at("name"), "Owner CERT");
  EXPECT_EQ(entry.at("Tag").at(0).at("name"), "tlp:green");

  const json event = json::parse(testing::ReadFile(feed + "/" + green + ".json")).at("Event");
  EXPECT_EQ(event.at("uuid"), green);
  // The manifest's timestamp is the file's: MISP fetches an event again
  // when it moves.
  EXPECT_EQ(event.at("timestamp"), entry.at("timestamp"));
  EXPECT_EQ(event.at("Orgc"), entry.at("Orgc"));
  std::set<std::string> values;
  for (const json& attribute : event.at("Attribute")) values.insert(attribute.at("value").get<std::string>());
  EXPECT_EQ(values, (std::set<std::string>{"feed-green.example", "198.51.100.41"}));

  EXPECT_EQ(testing::ReadFile(feed + "/hashes.csv"),
            Md5Hex("feed-green.example") + "," + green + "\n" + Md5Hex("198.51.100.41") + "," + green + "\n");

  const std::string owner_feed = dir_.Join("feed-owner");
  ASSERT_TRUE(ExportFeed(owner_, owner_feed).ok());
  EXPECT_EQ(json::parse(testing::ReadFile(owner_feed + "/manifest.json")).size(), 2u);
  EXPECT_TRUE(fs::exists(owner_feed + "/" + strict + ".json"));
}

TEST_F(MispFeedExportTest, ExportingAgainRemovesTheFilesOfEventsGoneAndLeavesOtherFilesAlone) {
  Import("first.txt", "gone-soon.example\n", Tlp::kGreen);
  Import("second.txt", "stays.example\n", Tlp::kGreen);
  const std::string first = EventUuid("first.txt"), second = EventUuid("second.txt");
  const std::string feed = dir_.Join("feed");
  ASSERT_TRUE(ExportFeed(owner_, feed).ok());
  testing::WriteFile(feed + "/README.txt", "the operator's own file\n");
  ASSERT_TRUE(fs::exists(feed + "/" + first + ".json"));

  auto event = store_->GetEvent(first);
  ASSERT_TRUE(event.ok() && *event);
  ASSERT_TRUE(store_->DeleteEvent((*event)->id).ok());
  ASSERT_TRUE(ExportFeed(owner_, feed).ok());
  EXPECT_EQ(Files(feed), (std::set<std::string>{"manifest.json", "hashes.csv", "README.txt", second + ".json"}));
  EXPECT_FALSE(json::parse(testing::ReadFile(feed + "/manifest.json")).contains(first));
}

TEST_F(MispFeedExportTest, AnotherNodeImportsTheFeedDirectoryWithEveryValue) {
  Import("partner.txt", "feed-roundtrip.example\n203.0.113.55\nhttp://feed-roundtrip.example/gate.php\n",
         Tlp::kGreen);
  const std::string feed = dir_.Join("feed");
  ASSERT_TRUE(ExportFeed(owner_, feed).ok());

  testing::TempDir elsewhere;
  auto receiver = OpenStore({elsewhere.Join("node"), true});
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  auto org = (*receiver)->CreateOrganisation({0, UuidV4(), "Receiver", "DE", "cert", "", "2026-01-01T00:00:00.000Z"});
  ASSERT_TRUE(org.ok()) << org.status().ToString();
  auto sources = ImportSourcesOf(feed);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  ASSERT_EQ(sources->size(), 1u);  // the manifest's one event, not hashes.csv
  ImportOptions options;
  options.owner_org_id = org->id;
  ImportReport report;
  ASSERT_TRUE(ImportFile(**receiver, sources->front(), options, &report).ok());
  EXPECT_EQ(report.format, InputFormat::kMisp);
  EXPECT_EQ(report.new_values, 3);
  for (const Observable& value : {Observable{ObservableType::kDomain, "feed-roundtrip.example"},
                                  Observable{ObservableType::kIpv4, "203.0.113.55"},
                                  Observable{ObservableType::kUrl, "http://feed-roundtrip.example/gate.php"}}) {
    auto found = (*receiver)->LookupObservable(value);
    ASSERT_TRUE(found.ok());
    EXPECT_TRUE(found->has_value()) << value.value;
  }
}

TEST_F(MispFeedExportTest, TheFeedNeedsADirectoryNotAStream) {
  ExportOptions options;
  options.format = ExportFormat::kMispFeed;
  options.viewer = {owner_, Role::kAnalyst};
  std::ostringstream out;
  Status refused = Export(*store_, options, out, nullptr);
  EXPECT_EQ(refused.code(), Status::Code::kInvalidArgument) << refused.ToString();
}

}  // namespace
}  // namespace accord
