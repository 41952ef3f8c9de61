// The audit chain: hashing, appending, and detecting every kind of tampering
// done behind the store's back with raw SQL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/store.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;

AuditEntry Entry(const std::string& action, const std::string& object) {
  AuditEntry entry;
  entry.actor = "cli:alice";
  entry.action = action;
  entry.object = object;
  entry.detail = R"({"count":1})";
  entry.source_address = "local";
  return entry;
}

TEST(AuditRecordHashTest, CoversEveryFieldAndThePreviousHash) {
  AuditEntry entry = Entry("import", "feed.csv");
  entry.seq = 1;
  entry.time = "2024-05-01T00:00:00.000Z";
  const std::string prev(64, '0');
  const std::string hash = AuditRecordHash(entry, prev);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, AuditRecordHash(entry, prev));
  EXPECT_NE(hash, AuditRecordHash(entry, std::string(64, '1')));
  AuditEntry changed = entry;
  changed.seq = 2;
  EXPECT_NE(hash, AuditRecordHash(changed, prev));
  changed = entry;
  changed.source_address = "10.0.0.1";
  EXPECT_NE(hash, AuditRecordHash(changed, prev));
  // Length prefixes: moving text from one field to the next changes the hash.
  changed = entry;
  changed.actor = "cli:alicei";
  changed.action = "mport";
  EXPECT_NE(hash, AuditRecordHash(changed, prev));
  // The stored hash and prev_hash fields themselves are not hashed.
  changed = entry;
  changed.hash = "anything";
  changed.prev_hash = "anything";
  EXPECT_EQ(hash, AuditRecordHash(changed, prev));
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    for (int record_idx = 1; record_idx <= 4; ++record_idx) {
      ASSERT_TRUE(store_->AppendAudit(Entry("key.create", "ak_" + std::to_string(record_idx))).ok());
    }
  }

  // Tampers with the database the way an intruder with file access would.
  void RawSql(const std::string& sql) {
    auto connection = sqlite::Connection::Open(dir_.Join("node") + "/accord.db", false);
    ASSERT_TRUE(connection.ok()) << connection.status().ToString();
    Status status = (*connection)->Exec(sql, "tamper");
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  AuditVerification Verify() {
    auto verification = store_->VerifyAudit();
    EXPECT_TRUE(verification.ok()) << verification.status().ToString();
    return verification.ok() ? *verification : AuditVerification{};
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(AuditTest, AppendedRecordsFormAnIntactChain) {
  std::vector<AuditEntry> entries;
  ASSERT_TRUE(store_
                  ->ForEachAudit([&](const AuditEntry& entry) {
                    entries.push_back(entry);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].seq, 1);
  EXPECT_EQ(entries[0].prev_hash, std::string(64, '0'));
  EXPECT_TRUE(ParseTimestamp(entries[0].time).ok()) << entries[0].time;
  EXPECT_EQ(entries[1].prev_hash, entries[0].hash);
  EXPECT_EQ(entries[3].seq, 4);
  EXPECT_EQ(entries[3].object, "ak_4");
  EXPECT_EQ(entries[3].hash, AuditRecordHash(entries[3], entries[2].hash));

  AuditVerification verification = Verify();
  EXPECT_TRUE(verification.intact) << verification.problem;
  EXPECT_EQ(verification.records, 4);
  EXPECT_EQ(verification.first_bad_seq, 0);
}

TEST(AuditEmptyTest, EmptyLogIsIntact) {
  testing::TempDir dir;
  auto store = OpenStore({dir.Join("node"), true});
  ASSERT_TRUE(store.ok());
  auto verification = (*store)->VerifyAudit();
  ASSERT_TRUE(verification.ok());
  EXPECT_TRUE(verification->intact);
  EXPECT_EQ(verification->records, 0);
}

TEST_F(AuditTest, AuditInsideBatchFollowsTheBatch) {
  {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE((*batch)->AppendAudit(Entry("import", "rolled-back.json")).ok());
  }
  auto batch = store_->BeginImport();
  ASSERT_TRUE(batch.ok());
  ASSERT_TRUE((*batch)->AppendAudit(Entry("import", "kept.json")).ok());
  ASSERT_TRUE((*batch)->Commit().ok());

  std::vector<std::string> objects;
  ASSERT_TRUE(store_
                  ->ForEachAudit([&](const AuditEntry& entry) {
                    objects.push_back(entry.object);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(objects.size(), 5u);
  EXPECT_EQ(objects[4], "kept.json");
  EXPECT_TRUE(Verify().intact);
}

TEST_F(AuditTest, GivenSeqMustBeTheNext) {
  AuditEntry entry = Entry("org.create", "x");
  entry.seq = 9;
  Status status = store_->AppendAudit(entry);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  entry.seq = 5;
  EXPECT_TRUE(store_->AppendAudit(entry).ok());
}

TEST_F(AuditTest, EditedRecordIsDetected) {
  RawSql("UPDATE audit_log SET detail = '{\"count\":1000}' WHERE seq = 2");
  AuditVerification verification = Verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.first_bad_seq, 2);
  EXPECT_THAT(verification.problem, HasSubstr("edited"));
  EXPECT_EQ(verification.head_hash, "") << "a broken log's head is no anchor";
}

TEST_F(AuditTest, RemovedMiddleRecordIsDetected) {
  RawSql("DELETE FROM audit_log WHERE seq = 3");
  AuditVerification verification = Verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.first_bad_seq, 3);
  EXPECT_THAT(verification.problem, HasSubstr("removed"));
  EXPECT_EQ(verification.records, 2);
}

// Renumbering after a removal hides the gap but not the broken link.
TEST_F(AuditTest, RemovedAndRenumberedRecordIsDetected) {
  RawSql("DELETE FROM audit_log WHERE seq = 2; UPDATE audit_log SET seq = seq - 1 WHERE seq > 2");
  AuditVerification verification = Verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.first_bad_seq, 2);
}

TEST_F(AuditTest, RemovedLastRecordIsDetectedThroughTheHead) {
  RawSql("DELETE FROM audit_log WHERE seq = 4");
  AuditVerification verification = Verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.first_bad_seq, 4);
  EXPECT_THAT(verification.problem, HasSubstr("end of the log"));
}

// After a truncation, new records continue from the head, so the gap stays
// visible rather than being filled with fresh records.
TEST_F(AuditTest, AppendAfterTruncationKeepsTheGapVisible) {
  RawSql("DELETE FROM audit_log WHERE seq = 4");
  ASSERT_TRUE(store_->AppendAudit(Entry("key.revoke", "ak_1")).ok());
  AuditVerification verification = Verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.first_bad_seq, 4);
}

// The chain alone cannot tell a log rewritten whole (every hash after an
// edit recomputed, the head too) from the real one; the head kept elsewhere
// can.
TEST_F(AuditTest, ALogRewrittenWholeIsCaughtByTheAnchorKeptElsewhere) {
  const AuditVerification before = Verify();
  ASSERT_TRUE(before.intact);
  ASSERT_EQ(before.head_hash.size(), 64u);
  const AuditAnchor anchor{before.records, before.head_hash};
  std::vector<AuditEntry> entries;
  ASSERT_TRUE(store_->ForEachAudit([&](const AuditEntry& entry) {
                       entries.push_back(entry);
                       return Status::Ok();
                     })
                  .ok());
  std::string prev(64, '0');
  std::string sql = "UPDATE audit_log SET detail = 'forged' WHERE seq = 2;";
  for (AuditEntry& entry : entries) {
    if (entry.seq == 2) entry.detail = "forged";
    const std::string hash = AuditRecordHash(entry, prev);
    sql += "UPDATE audit_log SET prev_hash = '" + prev + "', hash = '" + hash +
           "' WHERE seq = " + std::to_string(entry.seq) + ";";
    prev = hash;
  }
  sql += "UPDATE meta SET value = '4 " + prev + "' WHERE key = 'audit.head';";
  RawSql(sql);
  EXPECT_TRUE(Verify().intact) << "the rewrite is not visible without an anchor";
  auto anchored = store_->VerifyAudit({anchor});
  ASSERT_TRUE(anchored.ok());
  EXPECT_FALSE(anchored->intact);
  EXPECT_EQ(anchored->first_bad_seq, 4);
  EXPECT_THAT(anchored->problem, HasSubstr("rewritten"));
}

TEST_F(AuditTest, AnAnchorPastTheEndShowsTheEndWasRemoved) {
  const AuditVerification before = Verify();
  RawSql("DELETE FROM audit_log WHERE seq = 4; UPDATE meta SET value = '3 ' ||"
         " (SELECT hash FROM audit_log WHERE seq = 3) WHERE key = 'audit.head'");
  EXPECT_TRUE(Verify().intact) << "the head moved back with the removal";
  auto anchored = store_->VerifyAudit({{before.records, before.head_hash}});
  ASSERT_TRUE(anchored.ok());
  EXPECT_FALSE(anchored->intact);
  EXPECT_THAT(anchored->problem, HasSubstr("end of the log was removed"));
}

TEST(AuditAnchorTest, AnAnchorIsSeqColonTheHashAsVerifyPrintsIt) {
  const std::string hash(64, 'a');
  auto anchor = ParseAuditAnchor("12:" + hash);
  ASSERT_TRUE(anchor.ok());
  EXPECT_EQ(anchor->seq, 12);
  EXPECT_EQ(anchor->hash, hash);
  for (const std::string& bad : {std::string("12"), ":" + hash, "0:" + hash, "x:" + hash, "12:" + hash + "0",
                                 "12:" + std::string(64, 'A')}) {
    EXPECT_EQ(ParseAuditAnchor(bad).status().code(), Status::Code::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace accord
