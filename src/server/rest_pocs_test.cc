// /api/v1/pocs on the real server: the directory of 24/7 points of contact,
// who may set and remove an entry, and errors that name the field. Every
// response is checked against docs/openapi.json by RestTest::Call. The rules
// themselves are tested in requests/request_ops_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "server/rest_testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using testing::HttpResponse;
using testing::json;
using ::testing::StartsWith;

class RestPocsTest : public testing::RestTest {
 protected:
  HttpResponse Send(const std::string& method, const std::string& path, const std::string& key,
                    const json& body) {
    return Call(method, path, key, body.dump(), "application/json");
  }

  static std::string Message(const HttpResponse& response) {
    json body = Body(response);
    return body.contains("error") ? body["error"].value("message", "") : "";
  }

  static json PocBody() {
    return {{"name", "Police-B 24/7 desk"},
            {"languages", {"de", "EN"}},
            {"hours", "24/7"},
            {"time_zone", "Europe/Berlin"},
            {"channels",
             {{{"kind", "phone"}, {"value", "+49 611 55 0"}},
              {{"kind", "email"}, {"value", "247@police-b.example"}}}},
            {"backup",
             {{"name", "Duty officer"},
              {"channels", {{{"kind", "phone"}, {"value", "+49 611 55 1"}}}}}}};
  }
};

std::string Pocs(int64_t org_id) { return "/api/v1/pocs/" + std::to_string(org_id); }

TEST_F(RestPocsTest, PointOfContactIsSetThenReadAndListedByCountry) {
  auto put = Send("PUT", Pocs(org_b_), admin_a_, PocBody());
  ASSERT_EQ(put.status, 200) << put.body;
  json stored = Body(put);
  EXPECT_EQ(stored["organisation"]["name"], "Police-B");
  EXPECT_EQ(stored["country"], "DE");
  EXPECT_EQ(stored["languages"], json({"de", "en"}));
  EXPECT_EQ(stored["time_zone"], "Europe/Berlin");
  EXPECT_EQ(stored["channels"].size(), 2u);
  EXPECT_EQ(stored["backup"]["name"], "Duty officer");

  // Any member reads the directory.
  auto one = Get(Pocs(org_b_), analyst_c_);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Body(one), stored);
  auto german = Get("/api/v1/pocs?country=de", reader_a_);
  ASSERT_EQ(german.status, 200) << german.body;
  ASSERT_EQ(Body(german)["points_of_contact"].size(), 1u);
  EXPECT_EQ(Body(german)["points_of_contact"][0], stored);
  EXPECT_TRUE(Body(Get("/api/v1/pocs?country=NL", reader_a_))["points_of_contact"].empty());
  EXPECT_EQ(Get("/api/v1/pocs?country=Germany", reader_a_).status, 400);
  EXPECT_EQ(Get(Pocs(org_a_), reader_a_).status, 404);  // A has none

  // An organisation's own poc sets its entry; nobody else but admins does.
  json own = PocBody();
  own.erase("backup");
  EXPECT_EQ(Send("PUT", Pocs(org_a_), poc_a_, own).status, 200);
  EXPECT_EQ(Send("PUT", Pocs(org_b_), poc_a_, own).status, 403);
  EXPECT_EQ(Send("PUT", Pocs(org_a_), analyst_a_, own).status, 403);

  // Another member's admin may not touch an entry (escalations go there);
  // the node's admin (CERT-A runs this node) and the organisation's own may.
  const std::string admin_b = node_.AddKey(org_b_, Role::kAdmin);
  EXPECT_EQ(Send("PUT", Pocs(org_a_), admin_b, own).status, 403);
  EXPECT_EQ(Call("DELETE", Pocs(org_a_), admin_b).status, 403);
  EXPECT_EQ(Get(Pocs(org_a_), reader_a_).status, 200);
  EXPECT_EQ(Send("PUT", Pocs(org_b_), admin_b, PocBody()).status, 200);

  EXPECT_EQ(Call("DELETE", Pocs(org_b_), analyst_b_).status, 403);
  EXPECT_EQ(Call("DELETE", Pocs(org_b_), admin_a_).status, 204);
  EXPECT_EQ(Get(Pocs(org_b_), reader_a_).status, 404);
  EXPECT_EQ(AuditOf("poc.set").size(), 3u);
  EXPECT_EQ(AuditOf("poc.remove").size(), 1u);
}

TEST_F(RestPocsTest, PointOfContactErrorsNameTheField) {
  json bad_kind = PocBody();
  bad_kind["channels"][1]["kind"] = "pigeon";
  auto kind = Send("PUT", Pocs(org_b_), admin_a_, bad_kind);
  EXPECT_EQ(kind.status, 400);
  EXPECT_THAT(Message(kind), HasSubstr("channels: unknown kind 'pigeon'"));

  json bad_language = PocBody();
  bad_language["languages"] = {"german"};
  auto language = Send("PUT", Pocs(org_b_), admin_a_, bad_language);
  EXPECT_EQ(language.status, 400);
  EXPECT_THAT(Message(language), StartsWith("languages:"));

  json bad_value = PocBody();
  bad_value["channels"][0]["value"] = 49611;
  EXPECT_THAT(Message(Send("PUT", Pocs(org_b_), admin_a_, bad_value)),
              HasSubstr("channels[0].value: expected a string"));

  json unknown = PocBody();
  unknown["backup"]["phone"] = "+49";
  auto misspelt = Send("PUT", Pocs(org_b_), admin_a_, unknown);
  EXPECT_EQ(misspelt.status, 400);
  EXPECT_THAT(Message(misspelt), HasSubstr("backup.phone: unknown field"));

  json no_channel = PocBody();
  no_channel.erase("channels");
  EXPECT_THAT(Message(Send("PUT", Pocs(org_b_), admin_a_, no_channel)), StartsWith("channels:"));

  EXPECT_THAT(Message(Send("PUT", "/api/v1/pocs/Police-B", admin_a_, PocBody())),
              StartsWith("org_id:"));
  EXPECT_EQ(Call("PUT", Pocs(org_b_), admin_a_, "{\"name\":", "application/json").status, 400);
  EXPECT_EQ(Call("PUT", Pocs(org_b_), admin_a_, "name=x", "text/plain").status, 415);
  EXPECT_EQ(Send("PUT", Pocs(9999), admin_a_, PocBody()).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/pocs", admin_a_, "{}", "application/json").status, 405);
}

}  // namespace
}  // namespace accord
