// ImportSourcesOf: what a path given to `accord import` stands for.
#include <gtest/gtest.h>

#include <filesystem>

#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

// `accord import DIR`: a MISP feed by its manifest, any other directory file
// by file.
TEST_F(ExchangeTest, ImportSourcesOfAMispFeedAreTheEventsItsManifestLists) {
  const std::string feed = dir_.Join("feed");
  std::filesystem::create_directories(feed);
  const std::string a = "57c4445b-c548-4654-af0b-4be3950d210f", b = "11111111-2222-4333-8444-555555555555";
  testing::WriteFile(feed + "/manifest.json", "{\"" + b + "\": {\"info\": \"b\"}, \"" + a + "\": {}}");
  testing::WriteFile(feed + "/" + a + ".json", "{}");
  testing::WriteFile(feed + "/hashes.csv", "x");
  const std::vector<std::string> listed = {feed + "/" + b + ".json", feed + "/" + a + ".json"};  // by uuid
  EXPECT_EQ(ImportSourcesOf(feed).value(), listed);  // b is missing: still named, its import says so
  EXPECT_EQ(ImportSourcesOf(feed + "/manifest.json").value(), listed);

  testing::WriteFile(feed + "/manifest.json", "[\"not a manifest\"]");
  auto broken = ImportSourcesOf(feed);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("manifest.json"), std::string::npos) << broken.status().ToString();
  // Named directly, a manifest.json that is none is a file like any other.
  EXPECT_EQ(ImportSourcesOf(feed + "/manifest.json").value(), std::vector<std::string>{feed + "/manifest.json"});
}

TEST_F(ExchangeTest, ImportSourcesOfAPlainDirectoryAreItsFilesInOrder) {
  const std::string lists = dir_.Join("lists");
  std::filesystem::create_directories(lists + "/nested");
  for (const char* name : {"b.txt", "a.csv", ".hidden"}) testing::WriteFile(lists + "/" + name, "x");
  EXPECT_EQ(ImportSourcesOf(lists).value(), (std::vector<std::string>{lists + "/a.csv", lists + "/b.txt"}));
  EXPECT_EQ(ImportSourcesOf("-").value(), std::vector<std::string>{"-"});
  EXPECT_EQ(ImportSourcesOf(lists + "/a.csv").value(), std::vector<std::string>{lists + "/a.csv"});
}

}  // namespace
}  // namespace accord
