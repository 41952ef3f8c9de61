// The administration routes against docs/openapi.json: every response of
// every admin endpoint, success and error, is checked against the document
// by RestTest::Call (status documented for the path and method, body valid
// against its schema). Organisation A is the node's operator.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "server/rest_testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using testing::HttpResponse;
using testing::json;

class AdminOpenApiTest : public testing::RestTest {
 protected:
  void SetUp() override {
    RestTest::SetUp();
    if (HasFatalFailure()) return;
    admin_b_ = node_.AddKey(org_b_, Role::kAdmin);  // an admin outside the operator
  }

  HttpResponse Delete(const std::string& path, const std::string& key) {
    return Call("DELETE", path, key);
  }

  std::string admin_b_;
};

TEST_F(AdminOpenApiTest, OrganisationsMatchTheDocument) {
  auto list = Get("/api/v1/organisations", admin_a_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list)["organisations"].size(), 3u);
  EXPECT_EQ(Get("/api/v1/organisations", "").status, 401);
  EXPECT_EQ(Get("/api/v1/organisations", reader_a_).status, 200) << "the directory is every member's";
  EXPECT_EQ(PostJson("/api/v1/organisations", analyst_a_, {{"name", "X"}, {"country", "ke"}, {"kind", "cert"}}).status, 403);

  auto created = PostJson("/api/v1/organisations", admin_a_,
                          {{"name", "CERT-KE"}, {"country", "ke"}, {"kind", "cert"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const json org = Body(created);
  EXPECT_EQ(org["country"], "KE");
  EXPECT_EQ(org["contact"], "");
  EXPECT_EQ(created.Header("location"), "/api/v1/organisations/" + std::to_string(org["id"].get<int64_t>()));
  auto with_contact = PostJson("/api/v1/organisations", admin_a_,
                               {{"name", "Interpol"}, {"country", "FR"}, {"kind", "international"},
                                {"contact", "+33 1 00 00 00 00"}});
  EXPECT_EQ(with_contact.status, 201) << with_contact.body;

  EXPECT_EQ(PostJson("/api/v1/organisations", admin_a_,
                     {{"name", "CERT-KE"}, {"country", "KE"}, {"kind", "cert"}})
                .status,
            409);
  EXPECT_EQ(PostJson("/api/v1/organisations", admin_a_,
                     {{"name", "X"}, {"country", "KE"}, {"kind", "club"}})
                .status,
            400);
  EXPECT_EQ(PostJson("/api/v1/organisations", admin_a_,
                     {{"name", "X"}, {"country", "KE"}, {"kind", "cert"}, {"colour", "red"}})
                .status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/organisations", admin_a_, "name=X", "text/plain").status, 415);
  EXPECT_EQ(PostJson("/api/v1/organisations", admin_b_,
                     {{"name", "Y"}, {"country", "KE"}, {"kind", "cert"}})
                .status,
            403);
  EXPECT_EQ(Call("PUT", "/api/v1/organisations", admin_a_, "{}", "application/json").status, 405);

  const std::string id = std::to_string(org["id"].get<int64_t>());
  auto by_id = Get("/api/v1/organisations/" + id, admin_a_);
  ASSERT_EQ(by_id.status, 200);
  EXPECT_EQ(Body(by_id), org);
  auto by_uuid = Get("/api/v1/organisations/" + org["uuid"].get<std::string>(), admin_b_);
  ASSERT_EQ(by_uuid.status, 200);
  EXPECT_EQ(Body(by_uuid), org);
  EXPECT_EQ(Get("/api/v1/organisations/999999", admin_a_).status, 404);
  EXPECT_EQ(Get("/api/v1/organisations/not-an-id", admin_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/organisations/" + id, reader_a_).status, 200);
  EXPECT_EQ(Get("/api/v1/organisations/" + id, "").status, 401);
}

TEST_F(AdminOpenApiTest, UsersMatchTheDocument) {
  auto created = PostJson("/api/v1/users", admin_a_,
                          {{"name", "alice"}, {"role", "analyst"}, {"email", "alice@cert-a.example"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Body(created)["organisation"], "CERT-A");
  auto no_email = PostJson("/api/v1/users", admin_a_,
                           {{"name", "bob"}, {"role", "reader"}, {"organisation_id", org_b_}});
  ASSERT_EQ(no_email.status, 201) << no_email.body;
  EXPECT_TRUE(Body(no_email)["email"].is_null());

  EXPECT_EQ(PostJson("/api/v1/users", admin_a_, {{"name", "alice"}, {"role", "reader"}}).status, 409);
  EXPECT_EQ(PostJson("/api/v1/users", admin_a_,
                     {{"name", "carol"}, {"role", "reader"}, {"organisation_id", 999999}})
                .status,
            404);
  EXPECT_EQ(PostJson("/api/v1/users", admin_a_, {{"name", "carol"}, {"role", "boss"}}).status, 400);
  EXPECT_EQ(PostJson("/api/v1/users", admin_b_,
                     {{"name", "carol"}, {"role", "reader"}, {"organisation_id", org_a_}})
                .status,
            403);
  EXPECT_EQ(Call("POST", "/api/v1/users", admin_a_, "[]", "application/json").status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/users", admin_a_, "{}", "application/xml").status, 415);

  // The operator's admin sees every organisation's users, B's admin only B's.
  auto names = [](const HttpResponse& response) {
    std::set<std::string> found;
    const json users = Body(response)["users"];
    for (const json& user : users) {
      found.insert(user["organisation"].get<std::string>() + "/" + user["name"].get<std::string>());
    }
    return found;
  };
  auto all = Get("/api/v1/users", admin_a_);
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(names(all).count("CERT-A/alice") && names(all).count("Police-B/bob")) << all.body;
  auto own = Get("/api/v1/users", admin_b_);
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(names(own).count("Police-B/bob")) << own.body;
  for (const std::string& name : names(own)) EXPECT_EQ(name.rfind("Police-B/", 0), 0u) << name;
  EXPECT_EQ(Get("/api/v1/users?organisation_id=" + std::to_string(org_a_), admin_b_).status, 403);
  EXPECT_EQ(Get("/api/v1/users?organisation_id=abc", admin_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/users", contributor_a_).status, 403);
  EXPECT_EQ(Get("/api/v1/users", "").status, 401);
}

TEST_F(AdminOpenApiTest, KeysMatchTheDocument) {
  auto created = PostJson("/api/v1/keys", admin_a_,
                          {{"user", "dana"}, {"role", "analyst"}, {"expires", "90d"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  const json key = Body(created);
  const std::string key_id = key["key_id"];
  EXPECT_EQ(key["key"].get<std::string>().rfind(key_id + ":", 0), 0u);
  EXPECT_TRUE(key["user_created"].get<bool>());
  EXPECT_EQ(key["status"], "active");
  EXPECT_FALSE(key["expires"].is_null());
  EXPECT_EQ(Get("/api/v1/whoami", key["key"].get<std::string>()).status, 200);

  auto second = PostJson("/api/v1/keys", admin_a_, {{"user", "dana"}, {"role", "reader"}});
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_FALSE(Body(second)["user_created"].get<bool>());
  EXPECT_TRUE(Body(second)["expires"].is_null());

  EXPECT_EQ(PostJson("/api/v1/keys", admin_a_, {{"user", "nobody"}}).status, 404);
  EXPECT_EQ(PostJson("/api/v1/keys", admin_a_, {{"user", "dana"}, {"role", "admin"}}).status, 403);
  EXPECT_EQ(PostJson("/api/v1/keys", admin_a_, {{"user", "dana"}, {"expires", "yesterday"}}).status,
            400);
  EXPECT_EQ(PostJson("/api/v1/keys", admin_a_, {{"user", "dana"}, {"secret", "x"}}).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/keys", admin_a_, "user=dana", "text/plain").status, 415);
  ASSERT_TRUE(node_.store().SetUserDisabled(org_a_, "dana", true).ok());
  auto disabled = PostJson("/api/v1/keys", admin_a_, {{"user", "dana"}});
  EXPECT_EQ(disabled.status, 409);
  EXPECT_THAT(disabled.body, HasSubstr("disabled"));

  auto list = Get("/api/v1/keys", admin_a_);
  ASSERT_EQ(list.status, 200);
  const json keys = Body(list)["keys"];
  bool listed = false;
  for (const json& item : keys) listed = listed || item["key_id"] == key_id;
  EXPECT_TRUE(listed);
  EXPECT_THAT(list.body, ::testing::Not(HasSubstr(key["key"].get<std::string>())));
  auto own = Get("/api/v1/keys?organisation_id=" + std::to_string(org_b_), admin_b_);
  EXPECT_EQ(own.status, 200);
  EXPECT_EQ(Get("/api/v1/keys?organisation_id=" + std::to_string(org_a_), admin_b_).status, 403);
  EXPECT_EQ(Get("/api/v1/keys?organisation_id=-1", admin_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/keys", poc_a_).status, 403);

  EXPECT_EQ(Delete("/api/v1/keys/" + key_id, admin_b_).status, 404);  // not B's key
  EXPECT_EQ(Delete("/api/v1/keys/" + key_id, analyst_a_).status, 403);
  auto revoked = Delete("/api/v1/keys/" + key_id, admin_a_);
  ASSERT_EQ(revoked.status, 200);
  EXPECT_TRUE(Body(revoked)["revoked"].get<bool>());
  EXPECT_EQ(Body(revoked)["status"], "revoked");
  EXPECT_EQ(Delete("/api/v1/keys/" + key_id, admin_a_).status, 200);  // idempotent
  EXPECT_EQ(Delete("/api/v1/keys/ak_unknown", admin_a_).status, 404);
  EXPECT_EQ(Delete("/api/v1/keys/" + key_id, "").status, 401);
  EXPECT_EQ(Get("/api/v1/keys/" + key_id, admin_a_).status, 405);
}

TEST_F(AdminOpenApiTest, AuditMatchesTheDocument) {
  ASSERT_EQ(PostJson("/api/v1/users", admin_a_, {{"name", "erin"}, {"role", "reader"}}).status, 201);
  ASSERT_EQ(PostJson("/api/v1/keys", admin_a_, {{"user", "erin"}}).status, 201);

  auto first = Get("/api/v1/audit?limit=1", admin_a_);
  ASSERT_EQ(first.status, 200);
  const json page = Body(first);
  ASSERT_EQ(page["audit"].size(), 1u);
  ASSERT_TRUE(page["next"].is_number_integer());
  EXPECT_EQ(page["next"], page["audit"][0]["seq"]);
  auto rest = Get("/api/v1/audit?after_seq=" + std::to_string(page["next"].get<int64_t>()), admin_a_);
  ASSERT_EQ(rest.status, 200);
  EXPECT_TRUE(Body(rest)["next"].is_null());
  EXPECT_GE(Body(rest)["audit"].size(), 1u);

  EXPECT_EQ(Get("/api/v1/audit?limit=0", admin_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/audit?limit=1001", admin_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/audit?after_seq=x", admin_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/audit", admin_b_).status, 403);
  EXPECT_EQ(Get("/api/v1/audit", "").status, 401);
  EXPECT_EQ(Call("POST", "/api/v1/audit", admin_a_, "{}", "application/json").status, 405);

  auto verify = Get("/api/v1/audit/verify", admin_a_);
  ASSERT_EQ(verify.status, 200);
  EXPECT_TRUE(Body(verify)["intact"].get<bool>());
  EXPECT_TRUE(Body(verify)["first_bad_seq"].is_null());
  EXPECT_TRUE(Body(verify)["problem"].is_null());
  EXPECT_EQ(Get("/api/v1/audit/verify", admin_b_).status, 403);
  EXPECT_EQ(Get("/api/v1/audit/verify", reader_a_).status, 403);
}

// Every documented admin operation's success body has every property its
// schema lists, so the document cannot promise fields the server omits.
TEST_F(AdminOpenApiTest, AdminSchemasAreClosedAndRequireEveryProperty) {
  const json& schemas = testing::OpenApi::Get().doc()["components"]["schemas"];
  for (const char* name : {"Organisation", "OrganisationList", "User", "UserList", "ApiKeySummary",
                           "KeyList", "KeyCreated", "AuditEntry", "AuditPage", "AuditVerification"}) {
    const json& schema = schemas[name];
    ASSERT_TRUE(schema.is_object()) << name;
    EXPECT_EQ(schema.value("additionalProperties", true), false) << name;
    for (const auto& [property, unused] : schema["properties"].items()) {
      EXPECT_NE(std::find(schema["required"].begin(), schema["required"].end(), property),
                schema["required"].end())
          << name << "." << property;
    }
  }
}

}  // namespace
}  // namespace accord
