// What an alert shows to whom after it was raised, against a real server:
// the routed organisation that may read only some of its events, events
// edited (retitled, retagged, made stricter) or deleted since, and the
// organisation whose telemetry raised it when it lost an event; and the
// victim that routes it when log shippers post their own body shapes.
#include <string>

#include "server/rest_testing.h"

namespace accord::testing {
namespace {

class AlertViewsTest : public RestTest {
 protected:
  ServerConfig Config() override {
    // 10.0.0.0/8 is DE, where Police-B is.
    WriteFile(geo_dir_.Join("geoip"), "167772160,184549375,DE\n");
    ServerConfig config;
    config.geoip = {"tor:" + geo_dir_.Join("geoip")};
    config.snapshot_refresh_seconds = 1;
    return config;
  }

  HttpResponse PostTelemetry(const std::string& key, const std::string& body) {
    return Call("POST", "/api/v1/telemetry", key, body, "application/x-ndjson");
  }

  HttpResponse Patch(const std::string& key, const std::string& uuid, const json& body) {
    return Call("PATCH", "/api/v1/events/" + uuid, key, body.dump(), "application/json");
  }

  TempDir geo_dir_;
};

// A value in a GREEN feed and in the reporter's own AMBER report: the
// victim's organisation (routed, DE) may read only the GREEN event, and is
// warned with that one alone (its family, its level), may acknowledge, and
// finds it by that family only; other members read nothing of the AMBER
// alert. When the GREEN event goes AMBER too, the warning goes with it.
TEST_F(AlertViewsTest, TheRoutedOrganisationIsWarnedWithOnlyTheEventsItMayRead) {
  const std::string green =
      CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "Lumma C2 feed", {"malware:lumma"});
  CreateEvent(analyst_a_, "amber", {"evil.example"}, json::array(), "Our RedLine case", {"malware:redline"});
  // A snapshot holding a value stored after both events holds both links.
  CreateEvent(analyst_a_, "green", {"later.example"});
  AwaitSnapshot(2);
  HttpResponse posted = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "evil.example"));
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_EQ(Body(posted)["alerts_new"], 1);
  EXPECT_EQ(Body(posted)["alerts"][0]["tlp"], "amber");

  json for_b = Body(Get("/api/v1/alerts", analyst_b_));
  EXPECT_EQ(for_b["total"], 1);
  ASSERT_EQ(for_b["alerts"].size(), 1u);
  const json& alert = for_b["alerts"][0];
  EXPECT_EQ(alert["organisation"], "Police-B");
  EXPECT_EQ(alert["tlp"], "green");
  ASSERT_EQ(alert["events"].size(), 1u);
  EXPECT_EQ(alert["events"][0]["title"], "Lumma C2 feed");
  EXPECT_EQ(alert["families"], json::array({"lumma"}));
  EXPECT_EQ(alert["may_acknowledge"], true);
  EXPECT_EQ(Body(Get("/api/v1/alerts/" + alert["id"].get<std::string>(), analyst_b_))["events"].size(), 1u);
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=lumma", analyst_b_))["total"], 1);
  json redline = Body(Get("/api/v1/alerts?family=redline", analyst_b_));
  EXPECT_EQ(redline["total"], 0) << "the AMBER event's family is not Police-B's to see";
  EXPECT_TRUE(redline["alerts"].empty());
  json stats = Body(Get("/api/v1/stats", analyst_b_));
  EXPECT_EQ(stats["counts"]["alerts"], 1);
  EXPECT_EQ(stats["top_families"].dump().find("redline"), std::string::npos) << stats["top_families"].dump();

  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_c_))["total"], 0);
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=lumma", analyst_c_))["total"], 0);
  json for_a = Body(Get("/api/v1/alerts", analyst_a_));
  ASSERT_EQ(for_a["alerts"].size(), 1u);
  EXPECT_EQ(for_a["alerts"][0]["events"].size(), 2u) << "the reporter sees both";
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=redline", analyst_a_))["total"], 1);

  HttpResponse stricter = Patch(analyst_a_, green, {{"tlp", "amber"}});
  ASSERT_EQ(stricter.status, 200) << stricter.body;
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_b_))["total"], 0);
  EXPECT_EQ(Get("/api/v1/alerts/" + alert["id"].get<std::string>(), analyst_b_).status, 404);
}

// An alert shows the events it hit as they are now: an event retitled, or
// tagged with its malware family after telemetry hit, has its alerts say
// so, and they are filtered and counted under the family; a tag taken off
// takes the family off.
TEST_F(AlertViewsTest, AlertsShowTheirEventsTitleAndFamiliesAsEditedAfterTheHit) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "C2 seen");
  AwaitSnapshot(1);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "evil.example")))["alerts_new"], 1);
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=redline", analyst_b_))["total"], 0);

  HttpResponse edited = Patch(analyst_a_, uuid, {{"title", "RedLine C2"}, {"tags", {"malware:redline", "tlp-note"}}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  json tagged = Body(Get("/api/v1/alerts?family=redline", analyst_b_));
  EXPECT_EQ(tagged["total"], 1);
  ASSERT_EQ(tagged["alerts"].size(), 1u);
  EXPECT_EQ(tagged["alerts"][0]["families"], json::array({"redline"}));
  EXPECT_EQ(tagged["alerts"][0]["events"][0]["title"], "RedLine C2");
  EXPECT_EQ(tagged["alerts"][0]["events"][0]["tags"], json::array({"malware:redline", "tlp-note"}));
  EXPECT_EQ(tagged["alerts"][0]["tlp"], "green") << "an edit that is not stricter keeps the audience";

  HttpResponse untagged = Patch(analyst_a_, uuid, {{"tags", json::array()}});
  ASSERT_EQ(untagged.status, 200) << untagged.body;
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=redline", analyst_b_))["total"], 0);
  json alerts = Body(Get("/api/v1/alerts", analyst_b_))["alerts"];
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["families"], json::array());
  EXPECT_EQ(alerts[0]["events"][0]["title"], "RedLine C2");
}

// The organisation whose telemetry raised an alert, taken off the event's
// recipients since: the alert stays its own (its telemetry's hit), but the
// event leaves it, with its title, tags and family, and no later edit
// reaches it.
TEST_F(AlertViewsTest, AnOrganisationTakenOffAnEventsRecipientsLosesTheEventFromItsAlerts) {
  const std::string uuid =
      CreateEvent(analyst_a_, "amber", {"evil.example"}, json::array({"Police-B"}), "Case 17", {"malware:lumma"});
  AwaitSnapshot(1);
  ASSERT_EQ(Body(PostTelemetry(analyst_b_, SuricataDns("10.0.0.5", "evil.example")))["alerts_new"], 1);
  json before = Body(Get("/api/v1/alerts", analyst_b_))["alerts"];
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(before[0]["events"].size(), 1u);
  EXPECT_EQ(before[0]["events"][0]["title"], "Case 17");
  const std::string id = before[0]["id"];

  ASSERT_EQ(Patch(analyst_a_, uuid, {{"recipients", json::array()}}).status, 200);
  HttpResponse one = Get("/api/v1/alerts/" + id, analyst_b_);
  ASSERT_EQ(one.status, 200) << "its own telemetry's alert";
  EXPECT_EQ(Body(one)["events"], json::array());
  EXPECT_EQ(Body(one)["families"], json::array());
  EXPECT_EQ(one.body.find("Case 17"), std::string::npos) << one.body;
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=lumma", analyst_b_))["total"], 0);
  ASSERT_EQ(Patch(analyst_a_, uuid, {{"title", "Suspect named"}, {"tags", {"malware:redline"}}}).status, 200);
  HttpResponse later = Get("/api/v1/alerts/" + id, analyst_b_);
  EXPECT_EQ(Body(later)["events"], json::array());
  EXPECT_EQ(later.body.find("Suspect named"), std::string::npos) << later.body;
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=redline", analyst_b_))["total"], 0);
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_a_))["alerts"].size(), 0u) << "A's value, B's alert";
}

// A contributor reads other organisations' data only up to TLP:GREEN: its
// own organisation's alert on another member's RED event is not its to
// read, list or count; a GREEN one is.
TEST_F(AlertViewsTest, AContributorReadsItsOrganisationsAlertsOnlyThroughEventsItMayRead) {
  CreateEvent(analyst_a_, "red", {"evil.example"}, json::array({"Police-B"}), "Informant case");
  CreateEvent(analyst_a_, "green", {"feed.example"}, json::array(), "Public feed");
  AwaitSnapshot(2);
  HttpResponse posted = PostTelemetry(analyst_b_, SuricataDns("10.0.0.5", "evil.example") +
                                                      SuricataDns("10.0.0.6", "feed.example"));
  ASSERT_EQ(Body(posted)["alerts_new"], 2) << posted.body;
  json for_analyst = Body(Get("/api/v1/alerts", analyst_b_));
  ASSERT_EQ(for_analyst["total"], 2);
  std::string red_id;
  for (const json& alert : for_analyst["alerts"]) {
    if (alert["tlp"] == "red") red_id = alert["id"];
  }
  ASSERT_FALSE(red_id.empty());
  json for_contributor = Body(Get("/api/v1/alerts", contributor_b_));
  EXPECT_EQ(for_contributor["total"], 1);
  ASSERT_EQ(for_contributor["alerts"].size(), 1u);
  EXPECT_EQ(for_contributor["alerts"][0]["tlp"], "green");
  EXPECT_EQ(Get("/api/v1/alerts/" + red_id, contributor_b_).status, 404);
  EXPECT_EQ(Body(Get("/api/v1/stats", contributor_b_))["counts"]["alerts"], 1);
  EXPECT_EQ(Body(Get("/api/v1/stats", analyst_b_))["counts"]["alerts"], 2);
}

// One alert naming a GREEN event and a RED one (tagged malware:lumma) its
// contributor may not read: the family filter, the total and the dashboard
// must not tell the contributor what the RED event is tagged.
TEST_F(AlertViewsTest, AContributorsFamilyFilterSeesOnlyTheEventsItMayRead) {
  CreateEvent(analyst_a_, "red", {"evil.example"}, json::array({"Police-B"}), "Informant case", {"malware:lumma"});
  CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "Public feed");
  CreateEvent(analyst_a_, "green", {"later.example"});
  AwaitSnapshot(2);
  ASSERT_EQ(Body(PostTelemetry(analyst_b_, SuricataDns("10.0.0.5", "evil.example")))["alerts_new"], 1);
  ASSERT_EQ(Body(Get("/api/v1/alerts?family=lumma", analyst_b_))["total"], 1) << "the analyst reads both";
  json all = Body(Get("/api/v1/alerts", contributor_b_));
  EXPECT_EQ(all["total"], 1);
  ASSERT_EQ(all["alerts"].size(), 1u);
  EXPECT_EQ(all["alerts"][0]["families"], json::array());
  json lumma = Body(Get("/api/v1/alerts?family=lumma", contributor_b_));
  EXPECT_EQ(lumma["total"], 0);
  EXPECT_TRUE(lumma["alerts"].empty());
  json stats = Body(Get("/api/v1/stats", contributor_b_));
  EXPECT_EQ(stats["counts"]["alerts"], 1);
  EXPECT_EQ(stats["top_families"].dump().find("lumma"), std::string::npos) << stats["top_families"].dump();
}

// RED to AMBER+STRICT drops every recipient, though it ranks lower: the
// routed organisation named on the RED event stops reading its alert.
TEST_F(AlertViewsTest, AnEventMadeAmberStrictFromRedNarrowsItsAlerts) {
  const std::string uuid = CreateEvent(analyst_a_, "red", {"evil.example"}, json::array({"Police-B"}), "Case 9");
  AwaitSnapshot(1);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "evil.example")))["alerts_new"], 1);
  ASSERT_EQ(Body(Get("/api/v1/alerts", analyst_b_))["total"], 1);
  ASSERT_EQ(Patch(analyst_a_, uuid, {{"tlp", "amber+strict"}}).status, 200);
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_b_))["total"], 0);
  EXPECT_EQ(Body(Get("/api/v1/stats", analyst_b_))["counts"]["alerts"], 0);
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_a_))["total"], 1);
}

// A deleted event leaves the alerts that named it: its title, tags and
// family are no longer shown, filtered or counted under; the alert stays.
TEST_F(AlertViewsTest, ADeletedEventLeavesTheAlertsThatNamedIt) {
  const std::string uuid =
      CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "Feed to retract", {"malware:lumma"});
  AwaitSnapshot(1);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "evil.example")))["alerts_new"], 1);
  const std::string id = Body(Get("/api/v1/alerts", analyst_a_))["alerts"][0]["id"];
  ASSERT_EQ(Body(Get("/api/v1/alerts?family=lumma", analyst_a_))["total"], 1);
  ASSERT_EQ(Call("DELETE", "/api/v1/events/" + uuid, analyst_a_).status, 204);
  HttpResponse after = Get("/api/v1/alerts/" + id, analyst_a_);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(Body(after)["events"], json::array());
  EXPECT_EQ(Body(after)["families"], json::array());
  EXPECT_EQ(after.body.find("Feed to retract"), std::string::npos) << after.body;
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=lumma", analyst_a_))["total"], 0);
}

// Partner-C's telemetry hits Org-A's GREEN events, read by every member.
// One made RED for Org-A alone and one deleted leave their alerts with no
// event: each stays Partner-C's own hit, and no other member (the routed
// Police-B, Org-A) reads any more that the value was an indicator.
TEST_F(AlertViewsTest, AnAlertLeftWithNoEventIsItsOwnersAlone) {
  const std::string narrowed = CreateEvent(analyst_a_, "green", {"flip.example"}, json::array(), "Flip");
  const std::string deleted = CreateEvent(analyst_a_, "green", {"gone.example"}, json::array(), "Gone");
  CreateEvent(analyst_a_, "green", {"later.example"});
  AwaitSnapshot(3);
  HttpResponse posted = PostTelemetry(
      analyst_c_, SuricataDns("10.0.0.5", "flip.example") + SuricataDns("10.0.0.6", "gone.example"));
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_EQ(Body(posted)["alerts_new"], 2) << posted.body;
  ASSERT_EQ(Body(Get("/api/v1/alerts", analyst_b_))["total"], 2);
  ASSERT_EQ(Body(Get("/api/v1/alerts", analyst_a_))["total"], 2);
  ASSERT_EQ(Patch(analyst_a_, narrowed, {{"tlp", "red"}}).status, 200);
  ASSERT_EQ(Call("DELETE", "/api/v1/events/" + deleted, analyst_a_).status, 204);
  for (const std::string& other : {analyst_b_, analyst_a_}) {
    json listed = Body(Get("/api/v1/alerts", other));
    EXPECT_EQ(listed["total"], 0) << listed.dump();
    EXPECT_EQ(listed.dump().find("flip.example"), std::string::npos) << listed.dump();
    EXPECT_EQ(listed.dump().find("gone.example"), std::string::npos) << listed.dump();
  }
  json own = Body(Get("/api/v1/alerts", analyst_c_));
  ASSERT_EQ(own["total"], 2) << own.dump();
  for (const json& alert : own["alerts"]) {
    EXPECT_EQ(alert["tlp"], "red") << alert.dump();
    EXPECT_EQ(alert["events"], json::array()) << alert.dump();
  }
}

// The routed organisation's only readable event deleted: nothing of the
// alert is its to read or count any more.
TEST_F(AlertViewsTest, ARoutedOrganisationsPartialAlertGoesWithTheLastEventItMayRead) {
  const std::string green = CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "Feed");
  CreateEvent(analyst_a_, "amber", {"evil.example"}, json::array(), "Own case");
  CreateEvent(analyst_a_, "green", {"later.example"});
  AwaitSnapshot(2);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "evil.example")))["alerts_new"], 1);
  json listed = Body(Get("/api/v1/alerts", analyst_b_))["alerts"];
  ASSERT_EQ(listed.size(), 1u);
  const std::string id = listed[0]["id"];
  ASSERT_EQ(Call("DELETE", "/api/v1/events/" + green, analyst_a_).status, 204);
  json after = Body(Get("/api/v1/alerts", analyst_b_));
  EXPECT_EQ(after["alerts"].size(), 0u);
  EXPECT_EQ(after["total"], 0) << "nor counted";
  EXPECT_EQ(Body(Get("/api/v1/stats", analyst_b_))["counts"]["alerts"], 0);
  EXPECT_EQ(Get("/api/v1/alerts/" + id, analyst_b_).status, 404);
  EXPECT_EQ(Body(Get("/api/v1/alerts/" + id, analyst_a_))["tlp"], "amber") << "the reporter still has it";
}

// Log shippers post their batches as they post to Elasticsearch: a JSON
// array of Elastic Common Schema records (Fluent Bit's http output), or a
// _bulk body with an action line before each record. Either way each
// record's source.ip is the victim, and routes the alert.
TEST_F(AlertViewsTest, ShippersArraysAndBulkBodiesOfEcsRecordsAreRoutedByTheirSourceIp) {
  CreateEvent(analyst_a_, "green", {"evil.example", "worse.example"});
  AwaitSnapshot(2);
  const std::string array =
      R"([{"@timestamp":"2026-11-30T10:00:00.000Z","source":{"ip":"10.0.0.5","port":53011},)"
      R"("dns":{"question":{"name":"cdn.evil.example","type":"A"}}},)"
      "\n"
      R"( {"@timestamp":"2026-11-30T10:00:01.000Z","source":{"ip":"10.0.0.6"},"url":{"domain":"benign.example"}}])";
  HttpResponse posted = Call("POST", "/api/v1/telemetry", analyst_a_, array, "application/json");
  ASSERT_EQ(posted.status, 200) << posted.body;
  json body = Body(posted);
  EXPECT_EQ(body["format"], "ndjson");
  EXPECT_EQ(body["records"], 2);
  EXPECT_EQ(body["malformed"], 0);
  ASSERT_EQ(body["alerts"].size(), 1u) << body.dump();
  EXPECT_EQ(body["alerts"][0]["victim"], "10.0.0.5");
  EXPECT_EQ(body["alerts"][0]["country"], "DE");
  EXPECT_EQ(body["alerts"][0]["organisation"], "Police-B");
  EXPECT_EQ(body["alerts"][0]["first_seen"], "2026-11-30T10:00:00.000Z");

  const std::string bulk =
      R"({"create":{"_index":"logs-dns-default"}})" "\n"
      R"({"@timestamp":"2026-11-30T11:00:00.000Z","client":{"ip":"10.0.0.7"},"dns":{"question":{"name":"worse.example"}}})" "\n";
  HttpResponse bulk_posted = PostTelemetry(analyst_a_, bulk);
  ASSERT_EQ(bulk_posted.status, 200) << bulk_posted.body;
  body = Body(bulk_posted);
  EXPECT_EQ(body["records"], 1) << "the action line is no record";
  ASSERT_EQ(body["alerts"].size(), 1u) << body.dump();
  EXPECT_EQ(body["alerts"][0]["victim"], "10.0.0.7");
  EXPECT_EQ(body["alerts"][0]["organisation"], "Police-B");
}

// A feed names a family per value (ThreatFox's malware column): the alert
// on that value names it, is found by it, and keeps it when the event's
// tags are edited.
TEST_F(AlertViewsTest, AFeedsFamilyForTheValueIsNamedInItsAlertAndKeptThroughEventEdits) {
  HttpResponse imported = Call("POST", "/api/v1/import?tlp=green&title=ThreatFox", analyst_a_,
                               "ioc_value,ioc_type,malware_printable\nlumma-c2.example,domain,Lumma Stealer\n"
                               "other-c2.example,domain,\n",
                               "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.body;
  // The reporter's own AMBER case holds the value too: Police-B, routed,
  // reads the alert with the GREEN feed's event only.
  CreateEvent(analyst_a_, "amber", {"lumma-c2.example"}, json::array(), "Our case");
  CreateEvent(analyst_a_, "green", {"later.example"});
  AwaitSnapshot(3);
  HttpResponse posted = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "lumma-c2.example") +
                                                      SuricataDns("10.0.0.6", "other-c2.example"));
  ASSERT_EQ(posted.status, 200) << posted.body;
  json alerts = Body(posted)["alerts"];
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0]["families"], json::array({"Lumma Stealer"}));
  EXPECT_EQ(alerts[0]["events"][0]["value_families"], json::array({"Lumma Stealer"}));
  EXPECT_EQ(alerts[1]["families"], json::array()) << "the other value's row named none";
  EXPECT_FALSE(alerts[1]["events"][0].contains("value_families"));
  json for_b = Body(Get("/api/v1/alerts?family=lumma%20stealer", analyst_b_));
  EXPECT_EQ(for_b["total"], 1);
  ASSERT_EQ(for_b["alerts"].size(), 1u);
  ASSERT_EQ(for_b["alerts"][0]["events"].size(), 1u) << "the AMBER case is left out";
  EXPECT_EQ(for_b["alerts"][0]["families"], json::array({"Lumma Stealer"}));

  const std::string uuid = alerts[0]["events"][0]["uuid"];
  // The event's values say it too (openapi: Indicator.family).
  json values = Body(Get("/api/v1/events/" + uuid + "/indicators", analyst_b_))["indicators"];
  ASSERT_EQ(values.size(), 2u);
  for (const json& value : values) {
    EXPECT_EQ(value["family"], value["value"] == "lumma-c2.example" ? json("Lumma Stealer") : json(nullptr))
        << value.dump();
  }
  // Its owner's edits: without a family the feed's stays, "" takes it off,
  // a name replaces it.
  auto family_after = [&](const json& edit) {
    EXPECT_EQ(Patch(analyst_a_, uuid, {{"indicators", json::array({edit})}}).status, 200) << edit.dump();
    const json page = Body(Get("/api/v1/events/" + uuid + "/indicators", analyst_a_));
    for (const json& value : page["indicators"]) {
      if (value["value"] == "lumma-c2.example") return value["family"];
    }
    return json("not found");
  };
  EXPECT_EQ(family_after({{"value", "lumma-c2.example"}, {"comment", "checked"}}), "Lumma Stealer");
  EXPECT_EQ(family_after({{"value", "lumma-c2.example"}, {"family", nullptr}}), "Lumma Stealer");
  EXPECT_EQ(family_after({{"value", "lumma-c2.example"}, {"family", ""}}), nullptr);
  EXPECT_EQ(family_after({{"value", "lumma-c2.example"}, {"family", " Lumma Stealer "}}), "Lumma Stealer");
  HttpResponse refused = Patch(analyst_a_, uuid,
                               {{"indicators", json::array({{{"value", "lumma-c2.example"}, {"family", "Lumma\nStealer"}}})}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("indicators[0].family"), std::string::npos) << refused.body;
  ASSERT_EQ(Patch(analyst_a_, uuid, {{"tags", {"malware:redline"}}}).status, 200);
  json edited = Body(Get("/api/v1/alerts?family=lumma%20stealer", analyst_b_));
  ASSERT_EQ(edited["alerts"].size(), 1u);
  EXPECT_EQ(edited["alerts"][0]["families"], json::array({"redline", "Lumma Stealer"}));
  EXPECT_EQ(Body(Get("/api/v1/alerts?family=redline", analyst_b_))["total"], 2);
}

}  // namespace
}  // namespace accord::testing
