// accord backup's copy of a running node: a consistent snapshot that opens
// as a node, private to its owner, never over an existing file, and no
// copy at all when there is no node.
#include "store/backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "store/store.h"
#include "testing/testing.h"

namespace accord {
namespace {

// Adds an event of `uuid` with one value through its own import batch.
void AddEvent(Store& store, int64_t org_id, const std::string& uuid, bool commit = true,
              std::unique_ptr<ImportBatch>* open_batch = nullptr) {
  auto batch = store.BeginImport();
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EventRecord event;
  event.uuid = uuid;
  event.title = uuid;
  event.created = "2026-01-01T00:00:00.000Z";
  event.modified = event.created;
  auto id = (*batch)->UpsertEvent(event, Tlp::kRed, org_id, {});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE((*batch)->Link(*id, {ObservableType::kDomain, uuid + ".example"}, {}, "").ok());
  if (commit) {
    ASSERT_TRUE((*batch)->Commit().ok());
  } else if (open_batch != nullptr) {
    *open_batch = std::move(batch).value();
  }
}

TEST(BackupTest, ACopyTakenDuringAWriteHoldsWhatWasCommittedAndOpensAsANode) {
  testing::TempDir dir;
  auto store = OpenStore({dir.Join("node"), true});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Organisation org;
  org.name = "CERT-A";
  auto created = (*store)->CreateOrganisation(org);
  ASSERT_TRUE(created.ok());
  AddEvent(**store, created->id, "committed");
  // Another connection is in the middle of an import: the copy is one
  // snapshot, so it holds none of it.
  auto writer = OpenStore({dir.Join("node"), false});
  ASSERT_TRUE(writer.ok());
  std::unique_ptr<ImportBatch> open_batch;
  AddEvent(**writer, created->id, "in-flight", /*commit=*/false, &open_batch);
  ASSERT_NE(open_batch, nullptr);

  const std::string copy = dir.Join("node.backup");
  auto bytes = BackupNode(dir.Join("node"), copy);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, static_cast<int64_t>(std::filesystem::file_size(copy)));
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
  struct stat info {};
  ASSERT_EQ(stat(copy.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u) << "the copy holds TLP:RED data";
  ASSERT_TRUE(open_batch->Commit().ok());  // the import goes on after the copy

  // Restored as a node of its own: what was committed, not what was not.
  std::filesystem::create_directories(dir.Join("restored"));
  std::filesystem::copy_file(copy, dir.Join("restored") + "/accord.db");
  auto restored = OpenStore({dir.Join("restored"), false});
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  auto kept = (*restored)->GetEvent("committed");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->observable_count, 1);
  auto in_flight = (*restored)->GetEvent("in-flight");
  ASSERT_TRUE(in_flight.ok());
  EXPECT_FALSE(in_flight->has_value());
  auto audit = (*restored)->VerifyAudit();
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  EXPECT_TRUE(audit->intact) << audit->problem;
}

TEST(BackupTest, AnExistingFileIsNeverOverwrittenAndNoNodeGivesNoCopy) {
  testing::TempDir dir;
  ASSERT_TRUE(OpenStore({dir.Join("node"), true}).ok());
  const std::string taken = dir.Join("taken.db");
  testing::WriteFile(taken, "someone's file");
  auto refused = BackupNode(dir.Join("node"), taken);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("exists already"), std::string::npos) << refused.status().ToString();
  EXPECT_EQ(testing::ReadFile(taken), "someone's file");

  auto absent = BackupNode(dir.Join("nowhere"), dir.Join("copy.db"));
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.Join("copy.db")));
  EXPECT_FALSE(std::filesystem::exists(dir.Join("copy.db.partial")));
}

// `accord backup` audits each copy; that record changes nothing a match
// snapshot holds, so it does not make the server rebuild one.
TEST(BackupTest, ABackupAuditRecordLeavesTheIndicatorGenerationAsItWas) {
  testing::TempDir dir;
  auto store = OpenStore({dir.Join("node"), true});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const int64_t before = (*store)->IndicatorGeneration().value();
  AuditEntry audit;
  audit.time = "2026-01-01T00:00:00.000Z";
  audit.actor = "tester";
  audit.action = "backup";
  audit.object = dir.Join("copy.db");
  ASSERT_TRUE((*store)->AppendAudit(audit).ok());
  EXPECT_EQ((*store)->IndicatorGeneration().value(), before);
  audit.action = "org.create";  // any other write does move it
  ASSERT_TRUE((*store)->AppendAudit(audit).ok());
  EXPECT_NE((*store)->IndicatorGeneration().value(), before);
}

}  // namespace
}  // namespace accord
