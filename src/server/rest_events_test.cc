// /api/v1/events on the real server: create, read, update, delete, list with
// filters and cursors, write rules by role and organisation, audit records.
// Every response is checked against docs/openapi.json by RestTest::Call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "server/rest_testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using testing::json;

class RestEventsTest : public testing::RestTest {};

TEST_F(RestEventsTest, CreateNormalizesValuesAndReportsTheOnesItRejects) {
  json body = {{"title", "Lumma C2"},
               {"description", "seen in campaign X"},
               {"tlp", "amber"},
               {"tags", {"malware:lumma"}},
               {"recipients", {"police-b", org_c_}},  // a name as people type it
               {"indicators",
                {{{"value", "hxxp://Evil[.]Example/gate.php"}, {"role", "c2"}, {"confidence", 90}},
                 {{"type", "ipv4"}, {"value", "::ffff:198.51.100.7"}, {"valid_until", "2030-01-01"}},
                 {{"value", "not an indicator at all"}}}}};
  auto res = PostJson("/api/v1/events", analyst_a_, body);
  ASSERT_EQ(res.status, 201) << res.body;
  json out = Body(res);
  const std::string uuid = out["event"]["uuid"];
  EXPECT_EQ(res.Header("location"), "/api/v1/events/" + uuid);
  EXPECT_EQ(out["linked"], 2);
  ASSERT_EQ(out["rejections"].size(), 1u);
  EXPECT_EQ(out["rejections"][0]["index"], 2);
  EXPECT_EQ(out["event"]["tlp"], "amber");
  EXPECT_EQ(out["event"]["owner"]["name"], "CERT-A");
  EXPECT_EQ(out["event"]["recipients"].size(), 2u);
  EXPECT_EQ(out["event"]["indicator_count"], 2);
  std::set<std::string> values;
  for (const auto& indicator : out["event"]["indicators"]) values.insert(indicator["value"].get<std::string>());
  EXPECT_EQ(values, (std::set<std::string>{"http://evil.example/gate.php", "198.51.100.7"}));
}

TEST_F(RestEventsTest, CreateFlagsWarningListedValues) {
  WarningListRecord list;
  list.name = "Public resolvers";
  list.type = "cidr";
  list.matching_attributes = {"ip-dst", "ip-src"};
  list.entries = {"8.8.8.0/24"};
  ASSERT_TRUE(node_.store().PutWarningList(list).ok());
  auto res = PostJson("/api/v1/events", analyst_a_,
                      {{"title", "x"}, {"indicators", {{{"value", "8.8.8.8"}}, {{"value", "192.0.2.1"}}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  json out = Body(res);
  EXPECT_EQ(out["warninglisted"], 1);
  for (const auto& indicator : out["event"]["indicators"]) {
    if (indicator["value"] == "8.8.8.8") {
      EXPECT_EQ(indicator["warninglist"], "Public resolvers");
    } else {
      EXPECT_TRUE(indicator["warninglist"].is_null());
    }
  }
}

TEST_F(RestEventsTest, GetAnswersAbsentAndInvisibleEventsAlike) {
  const std::string amber = CreateEvent(analyst_a_, "amber", {"192.0.2.10"});
  auto own = Get("/api/v1/events/" + amber, reader_a_);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(Body(own)["indicators"].size(), 1u);
  auto invisible = Get("/api/v1/events/" + amber, analyst_b_);
  auto absent = Get("/api/v1/events/00000000-0000-4000-8000-000000000000", analyst_b_);
  EXPECT_EQ(invisible.status, 404);
  EXPECT_EQ(absent.status, 404);
  EXPECT_EQ(Get("/api/v1/events/not-a-uuid", analyst_a_).status, 404);
}

// indicators=none: the event alone, its size but not its values (a page
// showing title, level and count need not read a million values).
TEST_F(RestEventsTest, AnEventIsReadWithoutItsIndicatorsWhenAsked) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"192.0.2.10", "a.example"});
  auto summary = Get("/api/v1/events/" + uuid + "?indicators=none", analyst_a_);
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_FALSE(Body(summary).contains("indicators"));
  EXPECT_EQ(Body(summary)["indicator_count"], 2);
  EXPECT_EQ(Body(summary)["uuid"], uuid);
  EXPECT_EQ(Body(Get("/api/v1/events/" + uuid + "?indicators=all", analyst_a_))["indicators"].size(), 2u);
  EXPECT_EQ(Get("/api/v1/events/" + uuid + "?indicators=some", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/events/" + uuid + "?indicators=none", analyst_b_).status, 200) << "GREEN";
}

TEST_F(RestEventsTest, PatchChangesOnlyTheGivenFieldsAndAddsOrRemovesIndicators) {
  const std::string uuid =
      CreateEvent(analyst_a_, "green", {"192.0.2.1", "192.0.2.2"}, json::array(), "old", {"t1"});
  auto res = Call("PATCH", "/api/v1/events/" + uuid, contributor_a_,
                  json({{"title", "new"},
                        {"indicators", {{{"value", "evil.example"}, {"role", "phishing"}}}},
                        {"remove_indicators", {{{"type", "ipv4"}, {"value", "192.0.2.1"}}}}})
                      .dump(),
                  "application/json");
  ASSERT_EQ(res.status, 200) << res.body;
  json event = Body(res)["event"];
  EXPECT_EQ(event["title"], "new");
  EXPECT_EQ(event["tlp"], "green");
  EXPECT_EQ(event["tags"], json({"t1"}));
  EXPECT_EQ(Body(res)["removed"], 1);
  std::set<std::string> values;
  for (const auto& indicator : event["indicators"]) values.insert(indicator["value"].get<std::string>());
  EXPECT_EQ(values, (std::set<std::string>{"192.0.2.2", "evil.example"}));
  EXPECT_EQ(event["indicator_count"], 2);
}

TEST_F(RestEventsTest, AnEditMadeOnAStaleCopyIsRefusedWhenItSendsIfMatch) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"192.0.2.1"}, json::array(), "first");
  const std::string path = "/api/v1/events/" + uuid;
  testing::HttpResponse read = Get(path, analyst_a_);
  ASSERT_EQ(read.status, 200) << read.body;
  const std::string tag = read.Header("etag");
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(Get(path, analyst_a_).Header("etag"), tag);  // the same content, the same tag

  auto patch = [&](const std::string& title, const std::vector<std::string>& headers) {
    return Call("PATCH", path, analyst_a_, json({{"title", title}}).dump(), "application/json", headers);
  };
  // One analyst saves on the copy they read: accepted, and the tag moves.
  testing::HttpResponse first = patch("second", {"If-Match: " + tag});
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string new_tag = first.Header("etag");
  EXPECT_NE(new_tag, tag);
  EXPECT_EQ(Get(path, analyst_a_).Header("etag"), new_tag);
  // Another saves on the same, now stale, copy: refused, nothing changed.
  testing::HttpResponse stale = patch("third", {"If-Match: " + tag});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(Body(Get(path, analyst_a_))["title"], "second");
  // A list holding the current tag, "*", or no If-Match at all: accepted.
  EXPECT_EQ(patch("fourth", {"If-Match: " + tag + ", " + new_tag}).status, 200);
  EXPECT_EQ(patch("fifth", {"If-Match: *"}).status, 200);
  EXPECT_EQ(patch("sixth", {}).status, 200);
  EXPECT_EQ(Body(Get(path, analyst_a_))["title"], "sixth");
}

TEST_F(RestEventsTest, PutReplacesFieldsAndTheWholeIndicatorSet) {
  const std::string uuid = CreateEvent(analyst_a_, "red", {"192.0.2.1", "192.0.2.2"},
                                       json::array({"Partner-C"}), "old", {"t1"});
  auto res = Call("PUT", "/api/v1/events/" + uuid, analyst_a_,
                  json({{"title", "replaced"}, {"tlp", "green"},
                        {"indicators", {{{"value", "192.0.2.2"}}, {{"value", "192.0.2.3"}}}}})
                      .dump(),
                  "application/json");
  ASSERT_EQ(res.status, 200) << res.body;
  json event = Body(res)["event"];
  EXPECT_EQ(event["title"], "replaced");
  EXPECT_EQ(event["tlp"], "green");
  EXPECT_TRUE(event["tags"].empty());
  EXPECT_TRUE(event["recipients"].empty());
  EXPECT_EQ(Body(res)["removed"], 1);
  EXPECT_EQ(event["indicator_count"], 2);
  // PUT needs a title, as create does.
  EXPECT_EQ(Call("PUT", "/api/v1/events/" + uuid, analyst_a_, "{}", "application/json").status, 400);
}

// An event imported from MISP shows its grading by name, in the event, in
// lists and in a lookup's correlation; an event with none shows null. The
// grading is read-only: a GET body sent back is accepted and changes nothing.
TEST_F(RestEventsTest, AnEventShowsItsMispGradingByNameAndNullWithoutOne) {
  struct Case {
    std::string threat_level_id;
    std::string analysis;
    std::string threat_level;
    std::string stage;
  };
  const std::vector<Case> cases = {{"1", "0", "high", "initial"},
                                   {"2", "1", "medium", "ongoing"},
                                   {"3", "2", "low", "completed"},
                                   {"4", "2", "undefined", "completed"}};
  std::vector<std::string> uuids;
  for (size_t case_idx = 0; case_idx < cases.size(); ++case_idx) {
    const std::string uuid = "9c1d2e3f-0000-4000-8000-00000000000" + std::to_string(case_idx);
    json misp = {{"Event",
                  {{"uuid", uuid},
                   {"info", "graded " + cases[case_idx].threat_level},
                   {"threat_level_id", cases[case_idx].threat_level_id},
                   {"analysis", cases[case_idx].analysis},
                   {"Tag", {{{"name", "tlp:green"}}}},
                   {"Attribute",
                    {{{"type", "domain"},
                      {"category", "Network activity"},
                      {"to_ids", true},
                      {"value", "graded" + std::to_string(case_idx) + ".example"}}}}}}};
    auto imported = Call("POST", "/api/v1/import", analyst_a_, misp.dump(), "application/json");
    ASSERT_EQ(imported.status, 200) << imported.body;
    uuids.push_back(uuid);
  }
  for (size_t case_idx = 0; case_idx < cases.size(); ++case_idx) {
    auto res = Get("/api/v1/events/" + uuids[case_idx], analyst_b_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(Body(res)["threat_level"], cases[case_idx].threat_level);
    EXPECT_EQ(Body(res)["analysis"], cases[case_idx].stage);
  }
  const std::string plain = CreateEvent(analyst_a_, "green", {"192.0.2.77"});
  json created = Body(Get("/api/v1/events/" + plain, analyst_a_));
  EXPECT_TRUE(created["threat_level"].is_null());
  EXPECT_TRUE(created["analysis"].is_null());

  // The list and the correlation of a lookup render events the same way.
  std::map<std::string, json> listed;
  const json page = Body(Get("/api/v1/events", analyst_a_));
  for (const json& event : page["events"]) {
    listed[event["uuid"].get<std::string>()] = event;
  }
  EXPECT_EQ(listed[uuids[0]]["threat_level"], "high");
  EXPECT_EQ(listed[uuids[0]]["analysis"], "initial");
  EXPECT_TRUE(listed[plain]["threat_level"].is_null());
  json lookup = Body(Get("/api/v1/indicators/lookup?value=graded0.example", analyst_a_));
  ASSERT_EQ(lookup["events"].size(), 1u);
  EXPECT_EQ(lookup["events"][0]["event"]["threat_level"], "high");

  // Sent back with a new title (and a grading of its own), the event keeps
  // the grading it came with, through PUT and PATCH.
  const std::string path = "/api/v1/events/" + uuids[0];
  json body = Body(Get(path, analyst_a_));
  body.erase("indicators");
  body["title"] = "renamed";
  body["threat_level"] = "low";
  auto put = Call("PUT", path, analyst_a_, body.dump(), "application/json");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Body(put)["event"]["title"], "renamed");
  EXPECT_EQ(Body(put)["event"]["threat_level"], "high");
  EXPECT_EQ(Body(put)["event"]["analysis"], "initial");
  auto patch =
      Call("PATCH", path, analyst_a_, json({{"analysis", "completed"}}).dump(), "application/json");
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(Body(patch)["event"]["analysis"], "initial");
}

TEST_F(RestEventsTest, ReadersAndPointsOfContactMayNotWrite) {
  const std::string uuid = CreateEvent(analyst_a_, "green");
  for (const std::string& key : {reader_a_, poc_a_}) {
    EXPECT_EQ(PostJson("/api/v1/events", key, {{"title", "x"}}).status, 403);
    EXPECT_EQ(Call("PATCH", "/api/v1/events/" + uuid, key, R"({"title":"y"})", "application/json").status,
              403);
    EXPECT_EQ(Call("DELETE", "/api/v1/events/" + uuid, key).status, 403);
  }
}

TEST_F(RestEventsTest, OnlyTheOwnerOrganisationChangesAnEventAndContributorsDoNotDelete) {
  const std::string green = CreateEvent(analyst_a_, "green");
  const std::string amber = CreateEvent(analyst_a_, "amber");
  // Visible but not theirs: 403. Not visible: 404, as if absent.
  EXPECT_EQ(Call("PATCH", "/api/v1/events/" + green, analyst_b_, R"({"title":"y"})", "application/json")
                .status,
            403);
  EXPECT_EQ(Call("PATCH", "/api/v1/events/" + amber, analyst_b_, R"({"title":"y"})", "application/json")
                .status,
            404);
  EXPECT_EQ(Call("DELETE", "/api/v1/events/" + green, analyst_b_).status, 403);
  EXPECT_EQ(Call("DELETE", "/api/v1/events/" + green, contributor_a_).status, 403);
  // A contributor creates and edits its organisation's events.
  const std::string own = CreateEvent(contributor_a_, "amber");
  EXPECT_EQ(Call("PATCH", "/api/v1/events/" + own, contributor_a_, R"({"tlp":"green"})",
                 "application/json")
                .status,
            200);
  EXPECT_EQ(Body(Get("/api/v1/events/" + green, analyst_a_))["title"], "ev");
}

TEST_F(RestEventsTest, DeleteRemovesTheEventAndIsAudited) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"192.0.2.50"});
  auto res = Call("DELETE", "/api/v1/events/" + uuid, analyst_a_);
  EXPECT_EQ(res.status, 204);
  EXPECT_TRUE(res.body.empty());
  EXPECT_EQ(Get("/api/v1/events/" + uuid, analyst_a_).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/events/" + uuid, analyst_a_).status, 404);
  auto deletes = AuditOf("event.delete");
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].object, uuid);
  EXPECT_EQ(deletes[0].actor, "key:" + analyst_a_.substr(0, analyst_a_.find(':')));
  EXPECT_EQ(deletes[0].source_address, "127.0.0.1");
}

TEST_F(RestEventsTest, EveryWriteAppendsToTheAuditChain) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"192.0.2.1"});
  ASSERT_EQ(Call("PATCH", "/api/v1/events/" + uuid, analyst_a_, R"({"title":"t2"})", "application/json")
                .status,
            200);
  auto creates = AuditOf("event.create");
  auto updates = AuditOf("event.update");
  ASSERT_EQ(creates.size(), 1u);
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(creates[0].object, uuid);
  EXPECT_THAT(creates[0].detail, HasSubstr("\"linked\":1"));
  EXPECT_EQ(updates[0].source_address, "127.0.0.1");
  auto verification = node_.store().VerifyAudit();
  ASSERT_TRUE(verification.ok());
  EXPECT_TRUE(verification->intact);
  // Refused writes leave no record.
  EXPECT_EQ(PostJson("/api/v1/events", reader_a_, {{"title", "x"}}).status, 403);
  EXPECT_EQ(AuditOf("event.create").size(), 1u);
}

TEST_F(RestEventsTest, ListFiltersByTlpTagOrganisationAndModifiedSince) {
  CreateEvent(analyst_a_, "green", {}, json::array(), "a-green", {"botnet"});
  CreateEvent(analyst_a_, "clear", {}, json::array(), "a-clear");
  CreateEvent(analyst_b_, "green", {}, json::array(), "b-green", {"botnet"});
  auto titles = [&](const std::string& query) {
    std::set<std::string> out;
    auto res = Get("/api/v1/events" + query, analyst_a_);
    EXPECT_EQ(res.status, 200) << res.body;
    const json body = Body(res);
    for (const auto& event : body["events"]) out.insert(event["title"].get<std::string>());
    return out;
  };
  EXPECT_EQ(titles("?tlp=green"), (std::set<std::string>{"a-green", "b-green"}));
  EXPECT_EQ(titles("?tag=botnet&organisation=Police-B"), (std::set<std::string>{"b-green"}));
  EXPECT_EQ(titles("?tag=botnet&organisation=police-b"), (std::set<std::string>{"b-green"})) << "as people type it";
  EXPECT_EQ(titles("?organisation=" + std::to_string(org_a_)),
            (std::set<std::string>{"a-green", "a-clear"}));
  EXPECT_EQ(titles("?modified_since=2000-01-01T00:00:00Z").size(), 3u);
  EXPECT_TRUE(titles("?modified_since=2999-01-01T00:00:00Z").empty());
}

// The title search finds a part of a title whatever its case, and `total`
// counts every visible match, not the page: Police-B neither sees nor counts
// CERT-A's AMBER event.
TEST_F(RestEventsTest, ListSearchesTitlesIgnoringCaseAndTotalsOnlyVisibleEvents) {
  CreateEvent(analyst_a_, "green", {}, json::array(), "RedLine C2 panel");
  CreateEvent(analyst_a_, "amber", {}, json::array(), "redline loader");
  CreateEvent(analyst_b_, "green", {}, json::array(), "Lumma stealer");
  auto page = [&](const std::string& query, const std::string& key) {
    auto res = Get("/api/v1/events" + query, key);
    EXPECT_EQ(res.status, 200) << res.body;
    return Body(res);
  };
  json b = page("?q=REDLINE", analyst_b_);
  ASSERT_EQ(b["events"].size(), 1u);
  EXPECT_EQ(b["events"][0]["title"], "RedLine C2 panel");
  EXPECT_EQ(b["total"], 1);
  json a = page("?q=redline&limit=1", analyst_a_);
  EXPECT_EQ(a["events"].size(), 1u);
  EXPECT_EQ(a["total"], 2);
  json a2 = page("?q=redline&limit=1&cursor=" + a["next"].get<std::string>(), analyst_a_);
  EXPECT_EQ(a2["events"].size(), 1u);
  EXPECT_EQ(a2["total"], 2) << "the total is of every page, not of those left";
  EXPECT_EQ(page("?q=c2%20PANEL", analyst_a_)["events"].size(), 1u);
  EXPECT_EQ(page("?q=nothing-like-it", analyst_a_)["total"], 0);
  EXPECT_EQ(page("", analyst_b_)["total"], 2);
  EXPECT_EQ(page("?q=", analyst_a_)["total"], 3);
}

// A page is filled with visible events only; following `next` visits each
// visible event exactly once and no invisible one.
TEST_F(RestEventsTest, CursorPagesVisitEveryVisibleEventOnceAcrossPages) {
  std::set<std::string> visible_to_b;
  {
    auto batch = node_.store().BeginImport();
    ASSERT_TRUE(batch.ok());
    const Tlp levels[] = {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed};
    for (int event_idx = 0; event_idx < 53; ++event_idx) {
      EventRecord event;
      event.uuid = UuidV4();
      event.title = "seeded " + std::to_string(event_idx);
      Tlp tlp = levels[event_idx % 5];
      std::vector<int64_t> recipients;
      if (event_idx % 10 == 2) recipients.push_back(org_b_);  // some AMBER named to B
      ASSERT_TRUE((*batch)->UpsertEvent(event, tlp, org_a_, recipients).ok());
      if (tlp <= Tlp::kGreen || (tlp == Tlp::kAmber && !recipients.empty())) {
        visible_to_b.insert(event.uuid);
      }
    }
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  // Oldest first (the default) and newest first: every visible event once,
  // in opposite orders.
  std::vector<std::string> orders[2];
  for (int newest = 0; newest < 2; ++newest) {
    const std::string order = newest ? "&order=newest" : "";
    std::set<std::string> seen;
    std::string path = "/api/v1/events?limit=7" + order;
    int pages = 0;
    json previous_page = nullptr;
    while (true) {
      auto res = Get(path, analyst_b_);
      ASSERT_EQ(res.status, 200) << res.body;
      json page = Body(res);
      EXPECT_LE(page["events"].size(), 7u);
      // Where the page is, counted over what B may read: 7 more per page;
      // and `prev` leads back to exactly the page before.
      EXPECT_EQ(page["before"], 7 * pages);
      if (pages == 0) {
        EXPECT_TRUE(page["prev"].is_null());
      } else {
        ASSERT_TRUE(page["prev"].is_string());
        json back = Body(Get("/api/v1/events?limit=7" + order + "&cursor=" + page["prev"].get<std::string>(), analyst_b_));
        EXPECT_EQ(back["events"], previous_page["events"]) << "page " << pages;
        EXPECT_EQ(back["before"], 7 * (pages - 1));
      }
      previous_page = page;
      for (const auto& event : page["events"]) {
        EXPECT_TRUE(seen.insert(event["uuid"].get<std::string>()).second) << "duplicate " << event["uuid"];
        orders[newest].push_back(event["title"].get<std::string>());
      }
      ++pages;
      if (page["next"].is_null()) break;
      EXPECT_EQ(page["events"].size(), 7u);
      path = "/api/v1/events?limit=7" + order + "&cursor=" + page["next"].get<std::string>();
    }
    EXPECT_EQ(seen, visible_to_b);
    EXPECT_GT(pages, 2);
  }
  EXPECT_EQ(orders[0].front(), "seeded 0");
  EXPECT_EQ(orders[1].front(), "seeded 52");  // AMBER naming B
  std::vector<std::string> reversed(orders[1].rbegin(), orders[1].rend());
  EXPECT_EQ(orders[0], reversed);
  // A cursor of one order is refused in the other.
  json newest = Body(Get("/api/v1/events?limit=7&order=newest", analyst_b_));
  EXPECT_EQ(Get("/api/v1/events?limit=7&cursor=" + newest["next"].get<std::string>(), analyst_b_).status, 400);
}

TEST_F(RestEventsTest, MalformedBodiesAreRefusedWithErrorsNamingTheField) {
  auto expect_400 = [&](const std::string& body, const std::string& field) {
    auto res = Call("POST", "/api/v1/events", analyst_a_, body, "application/json");
    EXPECT_EQ(res.status, 400) << body;
    EXPECT_THAT(Body(res)["error"]["message"].get<std::string>(), HasSubstr(field)) << body;
  };
  expect_400(R"({"title": "x",)", "malformed JSON");
  expect_400("[1,2]", "JSON object");
  expect_400(R"({"title": 5})", "title");
  expect_400(R"({"description": "no title"})", "title");
  expect_400(R"({"title": "x", "tlp": "purple"})", "tlp");
  expect_400(R"({"title": "x", "tags": ["a", 3]})", "tags[1]");
  expect_400(R"({"title": "x", "recipients": ["Nobody"]})", "recipients[0]");
  expect_400(R"({"title": "x", "titel": "typo"})", "titel");
  expect_400(R"({"title": "x", "indicators": {}})", "indicators");
  expect_400(R"({"title": "x", "indicators": [{"value": "192.0.2.1"}, {"value": 7}]})",
             "indicators[1].value");
  expect_400(R"({"title": "x", "indicators": [{"value": "a.example", "confidence": "high"}]})",
             "indicators[0].confidence");
  expect_400(R"({"title": "x", "indicators": [{"value": "a.example", "confidence": 101}]})",
             "indicators[0].confidence");
  expect_400(R"({"title": "x", "indicators": [{"value": "a.example", "type": "ip"}]})",
             "indicators[0].type");
  expect_400(R"({"title": "x", "indicators": [{"value": "a.example", "first_seen": "soon"}]})",
             "indicators[0].first_seen");
  expect_400(R"({"title": "x", "remove_indicators": []})", "remove_indicators");
  // Deep nesting is an error, not a stack overflow.
  expect_400(std::string(200000, '[') + std::string(200000, ']'), "more than 128 deep");
  expect_400(std::string(200000, '['), "more than 128 deep");
  expect_400(std::string(100, '[') + std::string(100, ']'), "JSON object");
}

TEST_F(RestEventsTest, WrongMediaTypeIsRefusedWith415) {
  auto res = Call("POST", "/api/v1/events", analyst_a_, R"({"title":"x"})", "text/plain");
  EXPECT_EQ(res.status, 415);
  EXPECT_EQ(Call("POST", "/api/v1/events", analyst_a_, R"({"title":"x"})").status, 415);
}

TEST_F(RestEventsTest, BadListParametersAreRefusedWith400) {
  for (const std::string& query : std::vector<std::string>
       {"?limit=0", "?limit=abc", "?limit=-5", "?cursor=garbage!", "?cursor=aXg6MTox",
        "?tlp=purple", "?modified_since=yesterday", "?organisation=Nobody", "?order=sideways"}) {
    auto res = Get("/api/v1/events" + query, analyst_a_);
    EXPECT_EQ(res.status, 400) << query << ": " << res.body;
  }
  // A larger limit than the maximum is served as the maximum.
  EXPECT_EQ(Get("/api/v1/events?limit=5000", analyst_a_).status, 200);
}

TEST_F(RestEventsTest, WrongMethodsOnKnownPathsAnswer405WithAllow) {
  auto res = Call("DELETE", "/api/v1/events", analyst_a_);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.Header("allow"), "GET, POST");
  auto on_event = Call("POST", "/api/v1/events/00000000-0000-4000-8000-000000000000", analyst_a_,
                       "{}", "application/json");
  EXPECT_EQ(on_event.status, 405);
  EXPECT_EQ(on_event.Header("allow"), "GET, PUT, PATCH, DELETE");
  EXPECT_EQ(Call("PUT", "/api/v1/whoami", analyst_a_).status, 405);
}

TEST_F(RestEventsTest, RequestsWithoutAKeyAreRefused) {
  EXPECT_EQ(Get("/api/v1/events", "").status, 401);
  EXPECT_EQ(PostJson("/api/v1/events", "", {{"title", "x"}}).status, 401);
}

// A STIX report's event shows the objects it came with (the report, its
// malware, ATT&CK technique, relationship and indicator), as received, to
// those who may read the event: by type, a page at a time.
TEST_F(RestEventsTest, AnEventsStixObjectsAreListedByTypeAndPageToThoseWhoMayReadIt) {
  const std::string green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
  const std::string amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
  auto bundle = [](const std::string& marking, const std::string& suffix) {
    const std::string malware = "malware--1b0e1c4b-0c4b-4e9a-9a53-00000000000" + suffix;
    const std::string technique = "attack-pattern--2c0e1c4b-0c4b-4e9a-9a53-00000000000" + suffix;
    const std::string indicator = "indicator--3d0e1c4b-0c4b-4e9a-9a53-00000000000" + suffix;
    const std::string uses = "relationship--4e0e1c4b-0c4b-4e9a-9a53-00000000000" + suffix;
    const std::string time = "2026-11-01T00:00:00.000Z";
    auto common = [&](const std::string& type, const std::string& id) {
      return json{{"type", type}, {"spec_version", "2.1"}, {"id", id}, {"created", time}, {"modified", time},
                  {"object_marking_refs", {marking}}};
    };
    json report = common("report", "report--5f0e1c4b-0c4b-4e9a-9a53-00000000000" + suffix);
    report["name"] = "Lumma wave " + suffix;
    report["published"] = time;
    report["report_types"] = {"threat-report"};
    report["object_refs"] = {malware, technique, indicator, uses};
    json malware_object = common("malware", malware);
    malware_object["name"] = "Lumma Stealer";
    malware_object["is_family"] = true;
    json technique_object = common("attack-pattern", technique);
    technique_object["name"] = "Credentials from Web Browsers";
    technique_object["external_references"] = {{{"source_name", "mitre-attack"}, {"external_id", "T1555.003"}}};
    json indicator_object = common("indicator", indicator);
    indicator_object["pattern"] = "[domain-name:value = 'lumma-c2-" + suffix + ".example']";
    indicator_object["pattern_type"] = "stix";
    indicator_object["valid_from"] = time;
    json uses_object = common("relationship", uses);
    uses_object["relationship_type"] = "uses";
    uses_object["source_ref"] = malware;
    uses_object["target_ref"] = technique;
    return json{{"type", "bundle"},
                {"id", "bundle--6a0e1c4b-0c4b-4e9a-9a53-00000000000" + suffix},
                {"objects", {report, malware_object, technique_object, indicator_object, uses_object}}};
  };
  for (const auto& [marking, suffix] : {std::pair{green, std::string("1")}, std::pair{amber, std::string("2")}}) {
    auto imported = Call("POST", "/api/v1/import", analyst_a_, bundle(marking, suffix).dump(), "application/json");
    ASSERT_EQ(imported.status, 200) << imported.body;
  }
  auto find = [&](const std::string& name) {
    json page = Body(Get("/api/v1/events?q=" + name, analyst_a_));
    return page["events"].size() == 1 ? page["events"][0]["uuid"].get<std::string>() : std::string();
  };
  const std::string green_event = find("wave%201");
  const std::string amber_event = find("wave%202");
  ASSERT_FALSE(green_event.empty());
  ASSERT_FALSE(amber_event.empty());

  const std::string path = "/api/v1/events/" + green_event + "/objects";
  json all = Body(Get(path, analyst_b_));
  std::vector<std::string> types;
  for (const json& object : all["objects"]) types.push_back(object["type"]);
  EXPECT_THAT(types, ::testing::UnorderedElementsAre("report", "malware", "attack-pattern", "indicator",
                                                      "relationship"));
  EXPECT_TRUE(all["next"].is_null());
  for (const json& object : all["objects"]) {
    if (object["type"] == "attack-pattern") {
      EXPECT_EQ(object["external_references"][0]["external_id"], "T1555.003") << "kept as received";
    }
  }

  json picked = Body(Get(path + "?type=malware,attack-pattern", analyst_b_));
  ASSERT_EQ(picked["objects"].size(), 2u);
  for (const json& object : picked["objects"]) EXPECT_NE(object["type"], "report");

  std::vector<std::string> paged;
  std::string next_path = path + "?limit=2";
  for (int page = 0; page < 5; ++page) {
    json body = Body(Get(next_path, analyst_b_));
    EXPECT_LE(body["objects"].size(), 2u);
    for (const json& object : body["objects"]) paged.push_back(object["id"]);
    if (body["next"].is_null()) break;
    next_path = path + "?limit=2&cursor=" + body["next"].get<std::string>();
  }
  std::vector<std::string> ids;
  for (const json& object : all["objects"]) ids.push_back(object["id"]);
  EXPECT_EQ(paged, ids) << "pages visit each object once, in the order of one read";

  // The AMBER report's event is absent for another organisation, and so are
  // its objects; its owner reads them.
  EXPECT_EQ(Get("/api/v1/events/" + amber_event + "/objects", analyst_b_).status, 404);
  EXPECT_EQ(Body(Get("/api/v1/events/" + amber_event + "/objects", analyst_a_))["objects"].size(), 5u);
  EXPECT_EQ(Get("/api/v1/events/no-such-event/objects", analyst_a_).status, 404);
  EXPECT_EQ(Get(path + "?type=Malware", analyst_a_).status, 400);
  EXPECT_EQ(Get(path + "?type=malware,,report", analyst_a_).status, 400);
  EXPECT_EQ(Get(path + "?cursor=bogus", analyst_a_).status, 400);
  EXPECT_EQ(Get(path + "?limit=0", analyst_a_).status, 400);
  EXPECT_EQ(Get(path, "").status, 401);
  EXPECT_EQ(Call("DELETE", path, analyst_a_).status, 405);

  // An event made over REST came as values, not STIX: no objects to show.
  const std::string plain = CreateEvent(analyst_a_, "green", {"192.0.2.77"});
  EXPECT_EQ(Body(Get("/api/v1/events/" + plain + "/objects", analyst_a_))["objects"].size(), 0u);
}

}  // namespace
}  // namespace accord
