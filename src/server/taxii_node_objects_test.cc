// What a TAXII post may not change: the objects the node builds itself (its
// organisations' identities, OASIS's TLP 2.0 marking definitions; see
// exchange/node_built_objects.h), and what a post of a STIX 2.0 object
// reports.
#include "core/tlp.h"
#include "server/taxii_testing.h"

namespace accord {
namespace {

using nlohmann::json;
using testing::CollectionPath;
using testing::HttpRequest;
using testing::HttpResponse;

class TaxiiNodeObjectsTest : public testing::TaxiiTestBase {
 protected:
  void SetUp() override {
    TaxiiTestBase::SetUp();
    node_.Start();
  }

  json Status(const HttpResponse& res) {
    EXPECT_EQ(res.status, 202) << res.body;
    return json::parse(res.body, nullptr, false);
  }

  // The versions every reader is served of `id`.
  json Versions(const std::string& alias, const std::string& id, const std::string& key) {
    HttpResponse res = TaxiiGet(CollectionPath(alias) + "objects/" + id + "/versions/", key);
    if (res.status == 404) return json::array();
    EXPECT_EQ(res.status, 200) << res.body;
    return json::parse(res.body, nullptr, false).value("versions", json::array());
  }
};

TEST_F(TaxiiNodeObjectsTest, AnotherOrganisationsIdentityCannotBeRewrittenByAPost) {
  // CERT-A shares an event, so its identity is served beside the event's
  // objects.
  HttpRequest create;
  create.method = "POST";
  create.path = "/api/v1/events";
  create.bearer = analyst_a_;
  create.headers = {"Content-Type: application/json"};
  create.body = json{{"title", "ev"}, {"tlp", "green"}, {"indicators", {{{"value", "a.example"}}}}}.dump();
  ASSERT_EQ(node_.Send(create).status, 201);
  const std::string identity = IdentityOf(org_a_);
  const json served = Versions("tlp-green", identity, analyst_b_);
  ASSERT_EQ(served.size(), 1u) << served;

  json forged = {{"type", "identity"},
                 {"spec_version", "2.1"},
                 {"id", identity},
                 {"created", "2026-01-01T00:00:00.000Z"},
                 {"modified", "2030-01-01T00:00:00.000Z"},
                 {"name", "CERT-A (hijacked by CERT-B)"},
                 {"identity_class", "organization"},
                 {"object_marking_refs", {MarkingOf(Tlp::kGreen)}}};
  json status = Status(PostEnvelope("tlp-green", analyst_b_, json::array({forged})));
  EXPECT_EQ(status["failure_count"], 1) << status;
  EXPECT_EQ(status["success_count"], 0) << status;
  EXPECT_NE(status.dump().find("built from its record"), std::string::npos) << status;
  // Every reader still gets the one identity the node builds.
  for (const std::string& key : {analyst_a_, analyst_b_, analyst_c_}) {
    EXPECT_EQ(Versions("tlp-green", identity, key), served) << key;
  }
  // A peer node's stand-in is an organisation of this node too: its
  // identity is built here from its row, and is no more anyone's to rename.
  Organisation peer{0, UuidV4(), "Peer node", "BE", "cert", "", "2026-01-01T00:00:00.000Z"};
  peer.shares_with_org_id = org_b_;
  auto stand_in = node_.store().CreateOrganisation(peer);
  ASSERT_TRUE(stand_in.ok()) << stand_in.status().ToString();
  json renamed = forged;
  renamed["id"] = StixIdentityId(peer.uuid);
  renamed["name"] = "Peer node (renamed)";
  status = Status(PostEnvelope("tlp-green", analyst_b_, json::array({renamed})));
  EXPECT_EQ(status["failure_count"], 1) << status;
  EXPECT_EQ(Versions("tlp-green", StixIdentityId(peer.uuid), analyst_c_), json::array());

  // Its own organisation's copy that agrees (an echo of what it pulled) is
  // a success, and stores nothing either.
  json echo = forged;
  echo["name"] = "CERT-A";
  status = Status(PostEnvelope("tlp-green", analyst_a_, json::array({echo})));
  EXPECT_EQ(status["success_count"], 1) << status;
  EXPECT_EQ(Versions("tlp-green", identity, analyst_b_), served);
}

TEST_F(TaxiiNodeObjectsTest, ACopyOfATlpMarkingDefinitionSayingAnotherLevelIsRefused) {
  PostAll("tlp-clear", analyst_a_, json::array({testing::Malware("clear-family", "2024-01-01T00:00:00.000Z")}));
  const std::string red = MarkingOf(Tlp::kRed);
  json forged = json::parse(TlpStixMarkingObject(Tlp::kRed));
  forged["name"] = "TLP:CLEAR";
  for (auto& [extension, body] : forged["extensions"].items()) body["tlp_2_0"] = "clear";
  json status = Status(PostEnvelope("tlp-clear", analyst_b_, json::array({forged})));
  EXPECT_EQ(status["failure_count"], 1) << status;
  EXPECT_NE(status.dump().find("OASIS's TLP:RED"), std::string::npos) << status;
  EXPECT_EQ(Versions("tlp-clear", red, analyst_c_), json::array()) << "never served in CLEAR";

  // TLP 1.0's RED definition (the STIX 2.1 spec's) saying WHITE likewise.
  json tlp1 = {{"type", "marking-definition"},
               {"spec_version", "2.1"},
               {"id", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"},
               {"created", "2017-01-20T00:00:00.000Z"},
               {"definition_type", "tlp"},
               {"name", "TLP:WHITE"},
               {"definition", {{"tlp", "white"}}}};
  status = Status(PostEnvelope("tlp-clear", analyst_b_, json::array({tlp1})));
  EXPECT_EQ(status["failure_count"], 1) << status;
  EXPECT_NE(status.dump().find("OASIS's TLP:RED"), std::string::npos) << status;

  // OASIS's own definition is known: a success, and CLEAR's collection still
  // serves only its own level's.
  json genuine = json::parse(TlpStixMarkingObject(Tlp::kGreen));
  status = Status(PostEnvelope("tlp-clear", analyst_b_, json::array({genuine})));
  EXPECT_EQ(status["success_count"], 1) << status;
  EXPECT_EQ(Versions("tlp-clear", MarkingOf(Tlp::kGreen), analyst_c_), json::array());
}

// A STIX 2.0 object (no spec_version) is upgraded as it is stored; the
// status compares the stored copy with the upgraded post, so a stock
// client sees its add succeed, the first time and again.
TEST_F(TaxiiNodeObjectsTest, AStix20ObjectPostedIsASuccessEachTime) {
  json indicator = {{"type", "indicator"},
                    {"id", testing::StixId("indicator", "stix20")},
                    {"created", "2026-05-01T00:00:00.000Z"},
                    {"modified", "2026-05-01T00:00:00.000Z"},
                    {"pattern", "[domain-name:value = 'stix20-0.example']"},
                    {"valid_from", "2026-05-01T00:00:00Z"},
                    {"labels", {"malicious-activity"}}};
  for (int attempt = 0; attempt < 2; ++attempt) {
    json status = Status(PostEnvelope("tlp-green", analyst_a_, json::array({indicator})));
    EXPECT_EQ(status["success_count"], 1) << attempt << ": " << status;
    EXPECT_EQ(status["failure_count"], 0) << attempt << ": " << status;
  }
  EXPECT_EQ(Versions("tlp-green", indicator["id"], analyst_a_).size(), 1u);
}

// httplib answers an over-long request line before reading its path: the
// answer is a TAXII error, which is what a client asking for many ids reads.
TEST_F(TaxiiNodeObjectsTest, AnOverLongMatchIdListIsATaxiiError414) {
  std::string ids;
  while (ids.size() < 9000) ids += testing::StixId("indicator", std::to_string(ids.size())) + ",";
  HttpResponse res = TaxiiGet(CollectionPath("tlp-green") + "objects/?match[id]=" + ids, analyst_a_);
  EXPECT_EQ(res.status, 414);
  EXPECT_EQ(res.Header("content-type"), "application/taxii+json;version=2.1");
  json error = json::parse(res.body, nullptr, false);
  EXPECT_EQ(error.value("http_status", ""), "414") << res.body;
  EXPECT_NE(error.value("description", "").find("fewer ids"), std::string::npos) << res.body;
}

}  // namespace
}  // namespace accord
