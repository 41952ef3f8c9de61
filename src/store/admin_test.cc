// Node administration through the Store: opening, metadata, organisations,
// API keys and warning lists.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "store/store.h"
#include "store/store_testing.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fresh node with two organisations (store_testing.h).
using AdminTest = testing::StoreTest;

TEST(OpenStoreTest, MissingNodeWithoutCreateIsNotFoundNamingThePath) {
  testing::TempDir dir;
  auto store = OpenStore({dir.Join("absent"), /*create=*/false});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(store.status().message(), HasSubstr(dir.Join("absent") + "/accord.db"));
}

// The database holds TLP:RED data and key hashes: a new node's folder is
// its owner's alone, whatever the umask.
TEST(OpenStoreTest, ANewNodesFolderIsReadableByItsOwnerOnly) {
  testing::TempDir dir;
  auto store = OpenStore({dir.Join("node"), true});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const auto perms = std::filesystem::status(dir.Join("node")).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  EXPECT_EQ(perms & std::filesystem::perms::owner_all, std::filesystem::perms::owner_all);
}

TEST(OpenStoreTest, CreatedNodeReopensWithoutCreate) {
  testing::TempDir dir;
  {
    auto store = OpenStore({dir.Join("node"), true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->SetMeta("node.name", "hub").ok());
  }
  auto store = OpenStore({dir.Join("node"), false});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto name = (*store)->GetMeta("node.name");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->value_or(""), "hub");
  auto absent = (*store)->GetMeta("nothing");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST_F(AdminTest, OrganisationsAreCreatedFoundAndListed) {
  auto by_name = store_->FindOrganisationByName("CERT-A");
  ASSERT_TRUE(by_name.ok());
  ASSERT_TRUE(by_name->has_value());
  EXPECT_EQ((*by_name)->id, org_a_);
  EXPECT_EQ((*by_name)->country, "FR");
  EXPECT_TRUE(IsUuid((*by_name)->uuid));
  EXPECT_FALSE((*by_name)->created.empty());
  EXPECT_TRUE((*by_name)->contact.empty());  // NULL reads back as ""

  auto by_id = store_->FindOrganisationById(org_b_);
  ASSERT_TRUE(by_id.ok());
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->name, "Police-B");

  auto missing = store_->FindOrganisationById(9999);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto all = store_->ListOrganisations();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "CERT-A");
}

// People type "police-b" for "Police-B": a name is found whatever the case
// of its ASCII letters, so no second name may differ from it only in case.
TEST_F(AdminTest, AnOrganisationIsFoundByItsNameInAnyCaseAndNoTwinDiffersOnlyInCase) {
  auto folded = store_->FindOrganisationByName("police-b");
  ASSERT_TRUE(folded.ok()) << folded.status().ToString();
  ASSERT_TRUE(folded->has_value());
  EXPECT_EQ((*folded)->id, org_b_);
  EXPECT_EQ(store_->FindOrganisationByName("Police-B").value()->id, org_b_);
  EXPECT_FALSE(store_->FindOrganisationByName("police").value().has_value());
  Organisation twin;
  twin.name = "POLICE-B";
  twin.country = "DE";
  twin.kind = "law-enforcement";
  auto refused = store_->CreateOrganisation(twin);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kAlreadyExists);
  EXPECT_NE(refused.status().message().find("'Police-B'"), std::string::npos) << refused.status().ToString();
  EXPECT_EQ(store_->ListOrganisations()->size(), 2u) << "nothing created";
}

TEST_F(AdminTest, DuplicateOrganisationNameIsAlreadyExistsNamingIt) {
  Organisation org;
  org.name = "CERT-A";
  auto duplicate = store_->CreateOrganisation(org);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), Status::Code::kAlreadyExists);
  EXPECT_THAT(duplicate.status().message(), HasSubstr("CERT-A"));
}

TEST_F(AdminTest, ApiKeysAreCreatedFoundListedAndRevoked) {
  ApiKey key;
  key.key_id = "ak_one";
  key.org_id = org_a_;
  key.user = "alice";
  key.role = Role::kAnalyst;
  key.secret = {"00ff", "abcd"};
  auto created = store_->CreateApiKey(key);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  key.key_id = "ak_two";
  key.org_id = org_b_;
  key.expires = "2030-01-01T00:00:00.000Z";
  ASSERT_TRUE(store_->CreateApiKey(key).ok());

  auto found = store_->FindApiKey("ak_one");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->role, Role::kAnalyst);
  EXPECT_EQ((*found)->user, "alice");
  EXPECT_EQ((*found)->secret.hash_hex, "abcd");
  EXPECT_TRUE((*found)->expires.empty());
  EXPECT_FALSE((*found)->revoked);

  auto of_b = store_->ListApiKeys(org_b_);
  ASSERT_TRUE(of_b.ok());
  ASSERT_EQ(of_b->size(), 1u);
  EXPECT_EQ((*of_b)[0].expires, "2030-01-01T00:00:00.000Z");
  auto all = store_->ListApiKeys(std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);

  ASSERT_TRUE(store_->RevokeApiKey("ak_one").ok());
  found = store_->FindApiKey("ak_one");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE((*found)->revoked);
}

TEST_F(AdminTest, ApiKeyErrorsNameTheKey) {
  Status revoke = store_->RevokeApiKey("ak_nobody");
  EXPECT_EQ(revoke.code(), Status::Code::kNotFound);
  EXPECT_THAT(revoke.message(), HasSubstr("ak_nobody"));

  ApiKey key;
  key.key_id = "ak_dup";
  key.org_id = org_a_;
  key.secret = {"00", "11"};
  ASSERT_TRUE(store_->CreateApiKey(key).ok());
  auto duplicate = store_->CreateApiKey(key);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), Status::Code::kAlreadyExists);
  EXPECT_THAT(duplicate.status().message(), HasSubstr("ak_dup"));

  key.key_id = "ak_orphan";
  key.org_id = 4242;
  auto orphan = store_->CreateApiKey(key);
  ASSERT_FALSE(orphan.ok());
  EXPECT_THAT(orphan.status().message(), HasSubstr("4242"));
}

TEST_F(AdminTest, WarningListsAreReplacedWholeByName) {
  WarningListRecord list;
  list.name = "public-dns";
  list.type = "string";
  list.version = 1;
  list.matching_attributes = {"ip-dst", "weird\"name"};
  list.entries = {"8.8.8.8", "1.1.1.1"};
  auto id = store_->PutWarningList(list);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  list.version = 2;
  list.entries = {"9.9.9.9"};
  auto same_id = store_->PutWarningList(list);
  ASSERT_TRUE(same_id.ok());
  EXPECT_EQ(*id, *same_id);

  auto lists = store_->LoadWarningLists();
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  ASSERT_EQ(lists->size(), 1u);
  EXPECT_EQ((*lists)[0].version, 2);
  EXPECT_THAT((*lists)[0].entries, ElementsAre("9.9.9.9"));
  EXPECT_THAT((*lists)[0].matching_attributes, ElementsAre("ip-dst", "weird\"name"));
}

}  // namespace
}  // namespace accord
