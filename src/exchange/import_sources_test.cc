// ImportSourcesOf: what a path given to `accord import` stands for.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

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

// An import that stops after committing batches (a gzip cut short) keeps
// them, and the audit log records it: what stopped it and what stayed.
TEST_F(ExchangeTest, AnImportThatStopsAfterCommittingBatchesIsAudited) {
  std::string list;
  for (int n = 0; n < 20000; ++n) list += "stopped" + std::to_string(n) + ".example\n";
  const std::string gzip = testing::ArchiveOf({{"list.txt", list}}, testing::ArchiveKind::kGzip);
  const std::string path = dir_.Join("list.txt.gz");
  testing::WriteFile(path, gzip.substr(0, gzip.size() * 3 / 4));
  ImportOptions options;
  options.owner_org_id = owner_;
  options.batch_size = 1000;
  options.actor = "tester";
  ImportReport report;
  Status status = ImportFile(*store_, path, options, &report);
  ASSERT_FALSE(status.ok());
  ASSERT_GT(report.batches_committed, 0);
  std::vector<AuditEntry> imports;
  ASSERT_TRUE(store_
                  ->ForEachAudit([&](const AuditEntry& entry) {
                    if (entry.action == "import") imports.push_back(entry);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].actor, "tester");
  EXPECT_NE(imports[0].detail.find("\"stopped\""), std::string::npos) << imports[0].detail;
  EXPECT_NE(imports[0].detail.find("\"values_committed\":" + std::to_string(report.values_committed)),
            std::string::npos)
      << imports[0].detail;
}

// "Already known" says the node held the value where the importer could
// read it: one held only in another organisation's RED event counts as new
// to the importer (it was an existence oracle), one held at GREEN as known.
TEST_F(ExchangeTest, AValueHeldOnlyWhereTheImporterMayNotReadItCountsAsNew) {
  Import("red.txt", "held-red.example\nheld-green-too.example\n", Tlp::kRed);
  Import("green.txt", "held-green-too.example\n", Tlp::kGreen);
  auto import_as_other = [&](const std::string& name, const std::string& content) {
    testing::WriteFile(dir_.Join(name), content);
    ImportOptions options;
    options.owner_org_id = other_;
    options.default_tlp = Tlp::kGreen;
    ImportReport report;
    EXPECT_TRUE(ImportFile(*store_, dir_.Join(name), options, &report).ok());
    return report;
  };
  ImportReport report = import_as_other("probe.txt", "held-red.example\nheld-green-too.example\nfresh.example\n");
  EXPECT_EQ(report.new_values, 2) << "held-red.example is not the importer's to know";
  EXPECT_EQ(report.known_values, 1) << "held-green-too.example is readable at GREEN";
  // The same file again: all three are in the importer's own event now.
  ImportReport again = import_as_other("probe.txt", "held-red.example\nheld-green-too.example\nfresh.example\n");
  EXPECT_EQ(again.new_values, 0);
  EXPECT_EQ(again.known_values, 3);
}

}  // namespace
}  // namespace accord
