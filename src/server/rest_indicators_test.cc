// /api/v1/indicators/lookup, /api/v1/indicators and /api/v1/sightings on the
// real server. Every response is checked against docs/openapi.json.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "server/rest_testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using testing::json;

class RestIndicatorsTest : public testing::RestTest {
 protected:
  std::set<std::string> ListedValues(const std::string& query, const std::string& key) {
    std::set<std::string> values;
    auto res = Get("/api/v1/indicators" + query, key);
    EXPECT_EQ(res.status, 200) << res.body;
    const json body = Body(res);
    for (const auto& item : body["indicators"]) values.insert(item["value"].get<std::string>());
    return values;
  }
};

TEST_F(RestIndicatorsTest, LookupNormalizesTheValueAndShowsEveryVisibleEventCarryingIt) {
  CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "from A");
  CreateEvent(analyst_b_, "green", {"EVIL.example."}, json::array(), "from B");
  CreateEvent(analyst_b_, "amber+strict", {"evil.example"}, json::array(), "B only");
  auto res = Get("/api/v1/indicators/lookup?value=evil%5B.%5Dexample&type=domain", analyst_a_);
  ASSERT_EQ(res.status, 200) << res.body;
  json out = Body(res);
  EXPECT_EQ(out["observable"], json({{"type", "domain"}, {"value", "evil.example"}}));
  std::set<std::string> titles;
  for (const auto& link : out["events"]) {
    titles.insert(link["event"]["title"].get<std::string>());
    EXPECT_EQ(link["context"]["role"], "c2");
  }
  EXPECT_EQ(titles, (std::set<std::string>{"from A", "from B"}));
  EXPECT_TRUE(out["warninglist"].is_null());
  // Without a type the value's type is detected.
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=evil.example", analyst_a_).status, 200);
}

// The correlation of a whole event: the other events sharing its values,
// most shared first, through the same TLP policy as every read.
TEST_F(RestIndicatorsTest, RelatedEventsAreTheReadableOnesSharingValuesMostSharedFirst) {
  const std::string mine =
      CreateEvent(analyst_a_, "green", {"evil.example", "198.51.100.7", "lonely.example"},
                  json::array(), "mine");
  CreateEvent(analyst_b_, "green", {"198.51.100.7"}, json::array(), "shares one");
  CreateEvent(analyst_b_, "green", {"evil.example", "198.51.100.7"}, json::array(), "shares two");
  CreateEvent(analyst_b_, "amber+strict", {"evil.example"}, json::array(), "B only");
  CreateEvent(analyst_b_, "green", {"unrelated.example"}, json::array(), "unrelated");
  auto res = Get("/api/v1/events/" + mine + "/related", analyst_a_);
  ASSERT_EQ(res.status, 200) << res.body;
  json out = Body(res);
  ASSERT_EQ(out["events"].size(), 2u) << res.body;
  EXPECT_EQ(out["events"][0]["title"], "shares two");
  EXPECT_EQ(out["events"][0]["shared"], 2);
  EXPECT_EQ(out["events"][1]["title"], "shares one");
  EXPECT_EQ(out["events"][1]["shared"], 1);
  EXPECT_EQ(out["truncated"], false);
  // Its owner sees the AMBER+STRICT one too.
  auto for_b = Get("/api/v1/events/" + mine + "/related", analyst_b_);
  ASSERT_EQ(for_b.status, 200);
  EXPECT_EQ(Body(for_b)["events"].size(), 3u);
  EXPECT_EQ(Get("/api/v1/events/00000000-0000-4000-8000-000000000000/related", analyst_a_).status,
            404);
}

TEST_F(RestIndicatorsTest, LookupOfANameThatReadsAsADomainFindsTheFileNameStoredAsSuch) {
  auto imported = Call("POST", "/api/v1/import?tlp=green&title=files", analyst_a_,
                       "type,value\nfilename,crypt1.exe\n", "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.body;
  auto res = Get("/api/v1/indicators/lookup?value=crypt1.exe", analyst_b_);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Body(res)["observable"], json({{"type", "filename"}, {"value", "crypt1.exe"}}));
  // Asked for as a domain, it is not one.
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=crypt1.exe&type=domain", analyst_b_).status, 404);
}

TEST_F(RestIndicatorsTest, LookupOfAValueOnlyInInvisibleEventsIsNotFound) {
  CreateEvent(analyst_a_, "amber", {"192.0.2.77"}, json::array({"Partner-C"}));
  auto hidden = Get("/api/v1/indicators/lookup?value=192.0.2.77", analyst_b_);
  auto unknown = Get("/api/v1/indicators/lookup?value=192.0.2.78", analyst_b_);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=192.0.2.77", analyst_c_).status, 200);
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=192.0.2.77", reader_a_).status, 200);
}

// A lookup of 10.1.2.3 or cdn.evil.example names the listed network and
// parent domain that telemetry alerts through, each only with the events
// the caller may read; covered by nothing visible, it is not found.
TEST_F(RestIndicatorsTest, LookupNamesTheVisibleNetworksAndParentDomainsCoveringAValue) {
  CreateEvent(analyst_a_, "green", {"10.1.2.0/24", "evil.example"}, json::array(), "ranges");
  CreateEvent(analyst_a_, "amber+strict", {"10.0.0.0/8"}, json::array(), "A only");
  auto res = Get("/api/v1/indicators/lookup?value=10.1.2.3", analyst_b_);
  ASSERT_EQ(res.status, 200) << res.body;
  json out = Body(res);
  EXPECT_FALSE(out["found"].get<bool>());
  EXPECT_EQ(out["observable"], json({{"type", "ipv4"}, {"value", "10.1.2.3"}}));
  EXPECT_TRUE(out["created"].is_null());
  EXPECT_TRUE(out["events"].empty());
  ASSERT_EQ(out["covered_by"].size(), 1u) << res.body;
  EXPECT_EQ(out["covered_by"][0]["observable"], json({{"type", "cidr"}, {"value", "10.1.2.0/24"}}));
  EXPECT_EQ(out["covered_by"][0]["events"][0]["event"]["title"], "ranges");
  // Its owner also sees the AMBER+STRICT /8, after the /24.
  json for_a = Body(Get("/api/v1/indicators/lookup?value=10.1.2.3", analyst_a_));
  ASSERT_EQ(for_a["covered_by"].size(), 2u);
  EXPECT_EQ(for_a["covered_by"][1]["observable"]["value"], "10.0.0.0/8");

  json name = Body(Get("/api/v1/indicators/lookup?value=cdn.evil.example", analyst_b_));
  ASSERT_EQ(name["covered_by"].size(), 1u);
  EXPECT_EQ(name["covered_by"][0]["observable"]["value"], "evil.example");
  json itself = Body(Get("/api/v1/indicators/lookup?value=evil.example", analyst_b_));
  EXPECT_TRUE(itself["found"].get<bool>());
  EXPECT_TRUE(itself["covered_by"].empty());
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=notevil.example", analyst_b_).status, 404);
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=11.1.2.3", analyst_b_).status, 404);
}

// A sighting is shown as what made it allows: a STIX sighting marked AMBER
// only to who may read it, though the value itself is GREEN; one an alert on
// an AMBER event recorded only to who may read that alert.
TEST_F(RestIndicatorsTest, SightingsAreShownOnlyToThoseWhoMayReadWhatMadeThem) {
  const std::string time = "2026-10-01T00:00:00.000Z";
  const std::string indicator = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
  json bundle = {
      {"type", "bundle"},
      {"id", "bundle--0f2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"},
      {"objects",
       {{{"type", "indicator"}, {"spec_version", "2.1"}, {"id", indicator}, {"created", time}, {"modified", time},
         {"pattern", "[domain-name:value = 'evil-c2.example']"}, {"pattern_type", "stix"}, {"valid_from", time},
         {"object_marking_refs", {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"}}},
        {{"type", "sighting"}, {"spec_version", "2.1"}, {"id", "sighting--553c8c0d-2f1b-4a2c-9d3e-4f5a6b7c8d9e"},
         {"created", time}, {"modified", time}, {"sighting_of_ref", indicator}, {"count", 3},
         {"first_seen", "2026-10-02T10:00:00Z"}, {"last_seen", "2026-10-03T11:00:00Z"},
         {"object_marking_refs", {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"}}}}}};
  auto imported = Call("POST", "/api/v1/import", analyst_a_, bundle.dump(), "application/json");
  ASSERT_EQ(imported.status, 200) << imported.body;
  json as_a = Body(Get("/api/v1/indicators/lookup?value=evil-c2.example", analyst_a_));
  EXPECT_EQ(as_a["sighting_count"], 3);
  json as_b = Body(Get("/api/v1/indicators/lookup?value=evil-c2.example", analyst_b_));
  EXPECT_TRUE(as_b["found"]) << "the GREEN value is B's to see";
  EXPECT_EQ(as_b["sightings"].size(), 0u) << as_b.dump();
  EXPECT_EQ(as_b["sighting_count"], 0);

  // B posts its own: shared with all who see the value, as before.
  ASSERT_EQ(PostJson("/api/v1/sightings", analyst_b_, {{"value", "evil-c2.example"}}).status, 201);
  EXPECT_EQ(Body(Get("/api/v1/indicators/lookup?value=evil-c2.example", analyst_a_))["sighting_count"], 4);
  EXPECT_EQ(Body(Get("/api/v1/indicators/lookup?value=evil-c2.example", analyst_c_))["sighting_count"], 1);
}

TEST_F(RestIndicatorsTest, LookupRefusesMissingUnknownOrMalformedInput) {
  EXPECT_EQ(Get("/api/v1/indicators/lookup", analyst_a_).status, 400);
  auto bad_type = Get("/api/v1/indicators/lookup?value=a.example&type=hostname", analyst_a_);
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_THAT(Body(bad_type)["error"]["message"].get<std::string>(), HasSubstr("type"));
  auto bad_value = Get("/api/v1/indicators/lookup?value=300.1.1.1&type=ipv4", analyst_a_);
  EXPECT_EQ(bad_value.status, 400);
  EXPECT_THAT(Body(bad_value)["error"]["message"].get<std::string>(), HasSubstr("value"));
}

TEST_F(RestIndicatorsTest, SightingsAreRecordedForTheCallersOrganisationAndShownOnLookup) {
  CreateEvent(analyst_a_, "green", {"203.0.113.9"});
  auto res = PostJson("/api/v1/sightings", contributor_b_,
                      {{"value", "203.0.113.9"}, {"count", 3}, {"source", "sensor-7"},
                       {"first_seen", "2026-01-02T03:04:05Z"}});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(Body(res)["organisation_id"], org_b_);
  EXPECT_EQ(Body(res)["first_seen"], "2026-01-02T03:04:05.000Z");
  ASSERT_EQ(PostJson("/api/v1/sightings", analyst_a_, {{"value", "203.0.113.9"}, {"source", "ids"}})
                .status,
            201);
  json as_b = Body(Get("/api/v1/indicators/lookup?value=203.0.113.9", analyst_b_));
  EXPECT_EQ(as_b["sighting_count"], 4);
  ASSERT_EQ(as_b["sightings"].size(), 2u);
  for (const auto& sighting : as_b["sightings"]) {
    // The source is shown to the organisation that reported it only.
    if (sighting["organisation"]["id"] == org_b_) {
      EXPECT_EQ(sighting["source"], "sensor-7");
      EXPECT_EQ(sighting["count"], 3);
    } else {
      EXPECT_TRUE(sighting["source"].is_null());
    }
  }
  auto audit = AuditOf("sighting.add");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].object, "ipv4:203.0.113.9");
  EXPECT_EQ(audit[0].source_address, "127.0.0.1");
}

TEST_F(RestIndicatorsTest, SightingsOfUnknownOrInvisibleValuesAreNotFound) {
  CreateEvent(analyst_a_, "red", {"203.0.113.10"});
  EXPECT_EQ(PostJson("/api/v1/sightings", analyst_b_, {{"value", "203.0.113.10"}}).status, 404);
  EXPECT_EQ(PostJson("/api/v1/sightings", analyst_b_, {{"value", "203.0.113.11"}}).status, 404);
  EXPECT_TRUE(AuditOf("sighting.add").empty());
}

TEST_F(RestIndicatorsTest, SightingsRefuseReadersAndMalformedBodies) {
  CreateEvent(analyst_a_, "green", {"203.0.113.12"});
  EXPECT_EQ(PostJson("/api/v1/sightings", reader_a_, {{"value", "203.0.113.12"}}).status, 403);
  auto expect_400 = [&](const json& body, const std::string& field) {
    auto res = PostJson("/api/v1/sightings", analyst_a_, body);
    EXPECT_EQ(res.status, 400) << body.dump();
    EXPECT_THAT(Body(res)["error"]["message"].get<std::string>(), HasSubstr(field));
  };
  expect_400({{"count", 2}}, "value");
  expect_400({{"value", "203.0.113.12"}, {"count", 0}}, "count");
  expect_400({{"value", "203.0.113.12"}, {"count", "many"}}, "count");
  expect_400({{"value", "203.0.113.12"}, {"last_seen", "later"}}, "last_seen");
  expect_400({{"value", "203.0.113.12"}, {"first_seen", "2026-02-01"}, {"last_seen", "2026-01-01"}},
             "last_seen");
  expect_400({{"value", "203.0.113.12"}, {"where", "x"}}, "where");
  EXPECT_EQ(Call("POST", "/api/v1/sightings", analyst_a_, "value=1", "application/x-www-form-urlencoded")
                .status,
            415);
  EXPECT_EQ(Call("GET", "/api/v1/sightings", analyst_a_).status, 405);
}

TEST_F(RestIndicatorsTest, ListFiltersByTypeTagAndSinceAndHidesInvisibleEvents) {
  CreateEvent(analyst_a_, "green", {"192.0.2.1", "one.example"}, json::array(), "g", {"botnet"});
  CreateEvent(analyst_a_, "amber", {"192.0.2.2"});
  EXPECT_EQ(ListedValues("", analyst_a_),
            (std::set<std::string>{"192.0.2.1", "one.example", "192.0.2.2"}));
  EXPECT_EQ(ListedValues("", analyst_b_), (std::set<std::string>{"192.0.2.1", "one.example"}));
  EXPECT_EQ(ListedValues("?type=domain", analyst_a_), (std::set<std::string>{"one.example"}));
  EXPECT_EQ(ListedValues("?tag=botnet&type=ipv4", analyst_a_), (std::set<std::string>{"192.0.2.1"}));
  EXPECT_TRUE(ListedValues("?since=2999-01-01", analyst_a_).empty());
  for (const std::string& query : std::vector<std::string>{
           "?type=bogus", "?since=never", "?limit=x", "?cursor=ZXY6MQ", "?cursor=%%%"}) {
    EXPECT_EQ(Get("/api/v1/indicators" + query, analyst_a_).status, 400) << query;
  }
}

TEST_F(RestIndicatorsTest, CursorPagesCoverEveryVisibleLinkOnceAcrossEvents) {
  std::set<std::string> expected;
  for (int event_idx = 0; event_idx < 4; ++event_idx) {
    std::vector<std::string> values;
    for (int value_idx = 0; value_idx < 6; ++value_idx) {
      values.push_back(fmt::format("198.51.{}.{}", event_idx, value_idx + 1));
    }
    const bool visible = event_idx != 2;
    CreateEvent(analyst_a_, visible ? "green" : "amber", values);
    if (visible) expected.insert(values.begin(), values.end());
  }
  std::set<std::string> seen;
  std::string path = "/api/v1/indicators?limit=4";
  int pages = 0;
  while (true) {
    auto res = Get(path, analyst_b_);
    ASSERT_EQ(res.status, 200) << res.body;
    json page = Body(res);
    for (const auto& item : page["indicators"]) {
      EXPECT_TRUE(seen.insert(item["value"].get<std::string>()).second) << item["value"];
    }
    ++pages;
    if (page["next"].is_null()) break;
    path = "/api/v1/indicators?limit=4&cursor=" + page["next"].get<std::string>();
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 5);  // 18 links, 4 a page
}

}  // namespace
}  // namespace accord
