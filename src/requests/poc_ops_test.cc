// The directory of 24/7 points of contact on a real SQLite node: what an
// entry must hold, and who may set and remove one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "requests/request_ops.h"
#include "requests/request_ops_testing.h"

namespace accord::requests {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(RequestOpsTest, PointOfContactIsValidatedAndOnlyItsOrgOrAnAdminSetsIt) {
  PointOfContact poc;
  poc.org_id = fr_;
  poc.channels = {{"phone", "+33 1 00 00 00 00"}};
  poc.time_zone = "Europe/Paris ";
  EXPECT_THAT(SetPointOfContact(*store_, Poc(fr_), poc, clock_).status().message(),
              HasSubstr("time zone"));
  poc.time_zone = "Europe/Paris";
  poc.languages = {"french"};
  EXPECT_THAT(SetPointOfContact(*store_, Poc(fr_), poc, clock_).status().message(),
              HasSubstr("ISO 639"));
  poc.languages = {"fr"};
  poc.channels = {{"pigeon", "loft 3"}};
  EXPECT_THAT(SetPointOfContact(*store_, Poc(fr_), poc, clock_).status().message(),
              HasSubstr("pigeon"));
  poc.channels = {{"email", "cyber-247@example.fr"}};
  EXPECT_EQ(SetPointOfContact(*store_, Poc(it_), poc, clock_).status().code(),
            Status::Code::kPermissionDenied);
  auto stored = SetPointOfContact(*store_, Poc(fr_), poc, clock_);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->hours, "24/7");
  EXPECT_EQ(store_->ListPointsOfContact().value().size(), 2u);
  auto de_poc = store_->GetPointOfContact(de_).value();
  EXPECT_THAT(de_poc->languages, ElementsAre("de", "en"));
  auto audit = AuditActions();
  EXPECT_EQ(std::count(audit.begin(), audit.end(), "poc.set"), 2);
  ASSERT_TRUE(RemovePointOfContact(*store_, Admin(fr_), fr_, clock_).ok());
  EXPECT_FALSE(store_->GetPointOfContact(fr_).value().has_value());
}

// The directory is where escalations go: another member's admin may neither
// set nor remove an organisation's entry; the node's admin (the operator
// organisation's) and the organisation's own admin or poc may.
TEST_F(RequestOpsTest, AnotherMembersAdminMayNotChangeAnOrganisationsPointOfContact) {
  const int64_t hub = MakeOrg("Regional hub", "NL");
  ASSERT_TRUE(store_->SetMeta("operator_org_id", std::to_string(hub)).ok());
  PointOfContact hijack;
  hijack.org_id = de_;
  hijack.channels = {{"email", "attacker@evil.example"}};
  EXPECT_EQ(SetPointOfContact(*store_, Admin(it_), hijack, clock_).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(RemovePointOfContact(*store_, Admin(it_), de_, clock_).code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(RemovePointOfContact(*store_, Poc(it_), de_, clock_).code(), Status::Code::kPermissionDenied);
  auto kept = store_->GetPointOfContact(de_).value();
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->channels.front().value, "+49 611 55 0");

  PointOfContact own = hijack;
  own.org_id = it_;
  own.channels = {{"email", "247@poliziapostale.example"}};
  EXPECT_TRUE(SetPointOfContact(*store_, Admin(it_), own, clock_).ok());
  hijack.channels = {{"phone", "+49 611 55 2"}};
  EXPECT_TRUE(SetPointOfContact(*store_, Admin(hub), hijack, clock_).ok());
  EXPECT_EQ(store_->GetPointOfContact(de_).value()->channels.front().value, "+49 611 55 2");
  EXPECT_TRUE(RemovePointOfContact(*store_, Admin(hub), it_, clock_).ok());
}

}  // namespace
}  // namespace accord::requests
