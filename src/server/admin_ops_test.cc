// The administration rules shared by the CLI and the REST API.
#include "server/admin_ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/testing.h"

namespace accord::admin {
namespace {

using ::testing::HasSubstr;

TimePoint At(const char* text) { return ParseTimestamp(text).value(); }

TEST(AdminRulesTest, CountriesAreAssignedIsoCodesUpperCased) {
  EXPECT_EQ(NormalizeCountry("fr").value(), "FR");
  EXPECT_EQ(NormalizeCountry("KE").value(), "KE");
  EXPECT_EQ(NormalizeCountry("XK").value(), "XK");
  EXPECT_EQ(NormalizeCountry("AD").value(), "AD");  // first in the table
  EXPECT_EQ(NormalizeCountry("ZW").value(), "ZW");  // last
  for (const char* bad : {"", "F", "FRA", "XX", "QQ", "1A", "UK"}) {
    auto result = NormalizeCountry(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_THAT(result.status().message(), HasSubstr("country")) << bad;
  }
}

TEST(AdminRulesTest, KindsRolesNamesAndEmailsAreChecked) {
  EXPECT_TRUE(ValidateKind("private-partner").ok());
  EXPECT_FALSE(ValidateKind("Cert").ok());
  EXPECT_EQ(ParseRoleField("poc").value(), Role::kPoc);
  EXPECT_THAT(ParseRoleField("root").status().message(), HasSubstr("role"));
  EXPECT_TRUE(ValidateUserName("jane.doe@cert-ke").ok());
  EXPECT_FALSE(ValidateUserName("").ok());
  EXPECT_FALSE(ValidateUserName("a b").ok());
  EXPECT_FALSE(ValidateUserName("a:b").ok());
  EXPECT_FALSE(ValidateUserName(std::string(65, 'a')).ok());
  EXPECT_TRUE(ValidateOrganisationName("Police nationale (FR)").ok());
  EXPECT_FALSE(ValidateOrganisationName(" padded").ok());
  EXPECT_FALSE(ValidateOrganisationName("tab\there").ok());
  EXPECT_TRUE(ValidateEmail("soc@cert.example").ok());
  EXPECT_FALSE(ValidateEmail("soc@").ok());
  EXPECT_FALSE(ValidateEmail("soc@localhost").ok());
  EXPECT_FALSE(ValidateEmail("a@b@c.example").ok());
}

TEST(AdminRulesTest, KeysNeverCarryMoreThanTheirUser) {
  EXPECT_TRUE(KeyRoleWithinUserRole(Role::kAdmin, Role::kPoc));
  EXPECT_TRUE(KeyRoleWithinUserRole(Role::kAnalyst, Role::kReader));
  EXPECT_TRUE(KeyRoleWithinUserRole(Role::kAnalyst, Role::kContributor));
  EXPECT_TRUE(KeyRoleWithinUserRole(Role::kPoc, Role::kReader));
  EXPECT_FALSE(KeyRoleWithinUserRole(Role::kAnalyst, Role::kAdmin));
  EXPECT_FALSE(KeyRoleWithinUserRole(Role::kReader, Role::kContributor));
  EXPECT_FALSE(KeyRoleWithinUserRole(Role::kContributor, Role::kReader));
  EXPECT_FALSE(KeyRoleWithinUserRole(Role::kPoc, Role::kAnalyst));
}

TEST(AdminRulesTest, ExpiryTakesDatesAndDurationsInTheFutureOnly) {
  const TimePoint now = At("2026-03-01T12:00:00Z");
  EXPECT_EQ(ParseExpiry("2027-01-01", now).value(), "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(ParseExpiry("2026-03-01T13:00:00+01:00", now).status().code(),
            Status::Code::kInvalidArgument);  // that is 12:00Z: not after now
  EXPECT_EQ(ParseExpiry("90d", now).value(), "2026-05-30T12:00:00.000Z");
  EXPECT_EQ(ParseExpiry("12h", now).value(), "2026-03-02T00:00:00.000Z");
  EXPECT_EQ(ParseExpiry("2w", now).value(), "2026-03-15T12:00:00.000Z");
  for (const char* bad : {"0d", "-3d", "d", "3x", "soon", "2025-01-01", "99999999999d"}) {
    auto result = ParseExpiry(bad, now);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_THAT(result.status().message(), HasSubstr("expires")) << bad;
  }
}

class AdminOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), true});
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    auto org = CreateOrganisation(*store_, {"CERT-A", "fr", "cert", ""}, source_, clock_);
    ASSERT_TRUE(org.ok()) << org.status().ToString();
    org_id_ = org->id;
  }
  int64_t AuditCount() {
    int64_t count = 0;
    EXPECT_TRUE(store_->ForEachAudit([&](const AuditEntry&) {
      ++count;
      return Status::Ok();
    }).ok());
    return count;
  }

  testing::TempDir dir_;
  testing::ManualClock clock_{At("2026-03-01T00:00:00Z")};
  AuditSource source_{"test:admin", "local"};
  std::unique_ptr<Store> store_;
  int64_t org_id_ = 0;
};

TEST_F(AdminOpsTest, EveryWriteAppendsOneAuditRecordAndRefusalsNone) {
  EXPECT_EQ(AuditCount(), 1);  // the organisation
  ASSERT_TRUE(CreateUser(*store_, {org_id_, "ana", "analyst", ""}, source_, clock_).ok());
  EXPECT_EQ(AuditCount(), 2);
  EXPECT_FALSE(CreateUser(*store_, {org_id_, "ana", "reader", ""}, source_, clock_).ok());
  EXPECT_FALSE(CreateKey(*store_, {org_id_, "ana", "admin", ""}, source_, clock_).ok());
  EXPECT_EQ(AuditCount(), 2);
  auto key = CreateKey(*store_, {org_id_, "ana", "", "30d"}, source_, clock_);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->key.role, Role::kAnalyst);  // the user's role by default
  EXPECT_EQ(key->key.expires, "2026-03-31T00:00:00.000Z");
  EXPECT_TRUE(VerifySecret(key->token.substr(key->token.find(':') + 1), key->key.secret));
  EXPECT_EQ(AuditCount(), 3);
  ASSERT_TRUE(RevokeKey(*store_, key->key.key_id, org_id_, source_, clock_).ok());
  ASSERT_TRUE(RevokeKey(*store_, key->key.key_id, org_id_, source_, clock_).ok());
  EXPECT_EQ(AuditCount(), 4);  // the second revoke changed nothing
  EXPECT_EQ(RevokeKey(*store_, key->key.key_id, org_id_ + 1, source_, clock_).status().code(),
            Status::Code::kNotFound);
  EXPECT_TRUE(store_->VerifyAudit()->intact);
}

TEST_F(AdminOpsTest, DisabledUserGetsNoNewKeys) {
  auto key = CreateKey(*store_, {org_id_, "bot", "contributor", ""}, source_, clock_);
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->user_created);
  ASSERT_TRUE(SetUserDisabled(*store_, org_id_, "bot", true, source_, clock_).ok());
  EXPECT_TRUE(store_->FindApiKey(key->key.key_id)->value().revoked);
  auto refused = CreateKey(*store_, {org_id_, "bot", "", ""}, source_, clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("disabled"));
}

}  // namespace
}  // namespace accord::admin
