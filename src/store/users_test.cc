// Users (migration 3): creation, uniqueness per organisation, the user row
// every key gets, disabling, paged audit reads, and upgrading a version-2
// database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/crypto.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;

Organisation MakeOrganisation(const std::string& name) {
  Organisation org;
  org.name = name;
  org.country = "FR";
  org.kind = "cert";
  return org;
}

ApiKey MakeKey(int64_t org_id, const std::string& user, Role role) {
  ApiKey key;
  key.key_id = "ak_" + RandomHex(8);
  key.secret = HashSecret(RandomHex(32));
  key.org_id = org_id;
  key.user = user;
  key.role = role;
  return key;
}

User MakeUser(int64_t org_id, const std::string& name, Role role) {
  User user;
  user.org_id = org_id;
  user.name = name;
  user.role = role;
  return user;
}

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), /*create=*/true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto a = store_->CreateOrganisation(MakeOrganisation("CERT-A"));
    auto b = store_->CreateOrganisation(MakeOrganisation("Police-B"));
    ASSERT_TRUE(a.ok() && b.ok());
    org_a_ = a->id;
    org_b_ = b->id;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  int64_t org_a_ = 0;
  int64_t org_b_ = 0;
};

TEST_F(UsersTest, CreatedUserIsFoundWithEveryField) {
  User alice = MakeUser(org_a_, "alice", Role::kAnalyst);
  alice.email = "alice@cert-a.example";
  auto created = store_->CreateUser(alice);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_FALSE(created->created.empty());

  auto found = store_->FindUser(org_a_, "alice");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, created->id);
  EXPECT_EQ((*found)->role, Role::kAnalyst);
  EXPECT_EQ((*found)->email, "alice@cert-a.example");
  EXPECT_FALSE((*found)->disabled);

  auto elsewhere = store_->FindUser(org_b_, "alice");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(elsewhere->has_value());
}

TEST_F(UsersTest, NamesAreUniquePerOrganisationOnly) {
  ASSERT_TRUE(store_->CreateUser(MakeUser(org_a_, "bob", Role::kReader)).ok());
  auto again = store_->CreateUser(MakeUser(org_a_, "bob", Role::kAdmin));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("'bob'"));
  EXPECT_TRUE(store_->CreateUser(MakeUser(org_b_, "bob", Role::kReader)).ok());
}

TEST_F(UsersTest, UnknownOrganisationAndEmptyNameAreRefused) {
  auto orphan = store_->CreateUser(MakeUser(9999, "carol", Role::kReader));
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(orphan.status().message(), HasSubstr("9999"));
  auto nameless = store_->CreateUser(MakeUser(org_a_, "", Role::kReader));
  ASSERT_FALSE(nameless.ok());
  EXPECT_EQ(nameless.status().code(), Status::Code::kInvalidArgument);
}

TEST_F(UsersTest, ListingFiltersByOrganisationInNameOrder) {
  ASSERT_TRUE(store_->CreateUser(MakeUser(org_a_, "zoe", Role::kReader)).ok());
  ASSERT_TRUE(store_->CreateUser(MakeUser(org_a_, "adam", Role::kPoc)).ok());
  ASSERT_TRUE(store_->CreateUser(MakeUser(org_b_, "maria", Role::kAdmin)).ok());
  auto in_a = store_->ListUsers(org_a_);
  ASSERT_TRUE(in_a.ok());
  ASSERT_EQ(in_a->size(), 2u);
  EXPECT_EQ((*in_a)[0].name, "adam");
  EXPECT_EQ((*in_a)[1].name, "zoe");
  auto all = store_->ListUsers(std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
}

TEST_F(UsersTest, KeyForAnUnknownNameCreatesItsUserWithTheKeyRole) {
  ASSERT_TRUE(store_->CreateApiKey(MakeKey(org_a_, "svc-feed", Role::kContributor)).ok());
  auto user = store_->FindUser(org_a_, "svc-feed");
  ASSERT_TRUE(user.ok());
  ASSERT_TRUE(user->has_value());
  EXPECT_EQ((*user)->role, Role::kContributor);
  // A second key for the same name keeps the existing row.
  ASSERT_TRUE(store_->CreateApiKey(MakeKey(org_a_, "svc-feed", Role::kReader)).ok());
  auto users = store_->ListUsers(org_a_);
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].role, Role::kContributor);
}

TEST_F(UsersTest, DisablingAUserRevokesOnlyItsKeys) {
  ApiKey dave_key = MakeKey(org_a_, "dave", Role::kAnalyst);
  ApiKey other_key = MakeKey(org_a_, "erin", Role::kAnalyst);
  ApiKey same_name_elsewhere = MakeKey(org_b_, "dave", Role::kAnalyst);
  for (const ApiKey& key : {dave_key, other_key, same_name_elsewhere}) {
    ASSERT_TRUE(store_->CreateApiKey(key).ok());
  }
  ASSERT_TRUE(store_->SetUserDisabled(org_a_, "dave", true).ok());
  EXPECT_TRUE(store_->FindUser(org_a_, "dave")->value().disabled);
  EXPECT_TRUE(store_->FindApiKey(dave_key.key_id)->value().revoked);
  EXPECT_FALSE(store_->FindApiKey(other_key.key_id)->value().revoked);
  EXPECT_FALSE(store_->FindApiKey(same_name_elsewhere.key_id)->value().revoked);

  // Re-enabling does not bring revoked keys back: a new key must be made.
  ASSERT_TRUE(store_->SetUserDisabled(org_a_, "dave", false).ok());
  EXPECT_FALSE(store_->FindUser(org_a_, "dave")->value().disabled);
  EXPECT_TRUE(store_->FindApiKey(dave_key.key_id)->value().revoked);

  Status unknown = store_->SetUserDisabled(org_a_, "nobody", true);
  EXPECT_EQ(unknown.code(), Status::Code::kNotFound);
}

TEST_F(UsersTest, DisablingInsideABatchCommitsWithItsAuditRecord) {
  ASSERT_TRUE(store_->CreateApiKey(MakeKey(org_a_, "frank", Role::kReader)).ok());
  {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE(store_->SetUserDisabled(org_a_, "frank", true).ok());
    AuditEntry entry;
    entry.actor = "test";
    entry.action = "user.disable";
    entry.object = "frank";
    ASSERT_TRUE((*batch)->AppendAudit(entry).ok());
    // No commit: both roll back.
  }
  EXPECT_FALSE(store_->FindUser(org_a_, "frank")->value().disabled);
  int64_t audit_records = 0;
  ASSERT_TRUE(store_->ForEachAudit([&](const AuditEntry&) {
    ++audit_records;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(audit_records, 0);
}

TEST_F(UsersTest, AuditPagesFollowTheCursor) {
  for (int record_idx = 0; record_idx < 5; ++record_idx) {
    AuditEntry entry;
    entry.actor = "test";
    entry.action = "test.write";
    entry.object = std::to_string(record_idx);
    ASSERT_TRUE(store_->AppendAudit(entry).ok());
  }
  std::vector<int64_t> seqs;
  auto collect = [&](const AuditEntry& e) {
    seqs.push_back(e.seq);
    return Status::Ok();
  };
  ASSERT_TRUE(store_->ForEachAuditAfter(0, 2, collect).ok());
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2}));
  seqs.clear();
  ASSERT_TRUE(store_->ForEachAuditAfter(2, 2, collect).ok());
  EXPECT_EQ(seqs, (std::vector<int64_t>{3, 4}));
  seqs.clear();
  ASSERT_TRUE(store_->ForEachAuditAfter(4, 0, collect).ok());
  EXPECT_EQ(seqs, (std::vector<int64_t>{5}));
  seqs.clear();
  ASSERT_TRUE(store_->ForEachAuditAfter(5, 10, collect).ok());
  EXPECT_TRUE(seqs.empty());
}

// A node created by a binary that stopped at schema version 2 gains the
// users table on its next open, with a row for each existing key holder.
TEST(UsersMigrationTest, VersionTwoDatabaseUpgradesWithUsersFromItsKeys) {
  testing::TempDir dir;
  const std::string path = dir.Join("accord.db");
  int64_t org_id = 0;
  {
    auto old = sqlite::SqliteStore::Open(path, true, /*up_to_version=*/2);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    ASSERT_EQ((*old)->SchemaVersion().value(), 2);
    auto org = (*old)->CreateOrganisation(MakeOrganisation("CERT-Old"));
    ASSERT_TRUE(org.ok());
    org_id = org->id;
    ApiKey first = MakeKey(org_id, "admin", Role::kAdmin);
    first.created = "2025-01-01T00:00:00.000Z";
    ApiKey second = MakeKey(org_id, "admin", Role::kReader);
    second.created = "2025-06-01T00:00:00.000Z";
    ApiKey feed = MakeKey(org_id, "feed", Role::kContributor);
    feed.created = "2025-03-01T00:00:00.000Z";
    for (const ApiKey& key : {first, second, feed}) ASSERT_TRUE((*old)->CreateApiKey(key).ok());
  }
  auto upgraded = sqlite::SqliteStore::Open(path, false, std::nullopt);
  ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
  EXPECT_GE((*upgraded)->SchemaVersion().value(), 3);
  auto users = (*upgraded)->ListUsers(org_id);
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "admin");
  EXPECT_EQ((*users)[0].role, Role::kAdmin);  // the first key's role
  EXPECT_EQ((*users)[0].created, "2025-01-01T00:00:00.000Z");
  EXPECT_EQ((*users)[1].name, "feed");
  EXPECT_EQ((*users)[1].role, Role::kContributor);
  // The upgraded database keeps every key holder a user from now on.
  ASSERT_TRUE((*upgraded)->CreateApiKey(MakeKey(org_id, "late", Role::kPoc)).ok());
  EXPECT_TRUE((*upgraded)->FindUser(org_id, "late")->has_value());
}

}  // namespace
}  // namespace accord
