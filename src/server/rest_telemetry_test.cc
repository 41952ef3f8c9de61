// POST /api/v1/telemetry and GET /api/v1/alerts against a real server: the
// snapshot follows new indicators without a restart, hits become routed
// alerts, and alerts are read back only by whom TLP allows.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "server/rest_testing.h"
#include "testing/webhook_receiver.h"

namespace accord::testing {
namespace {

class TelemetryTest : public RestTest {
 protected:
  ServerConfig Config() override {
    // 10.0.0.0/8 is DE, where Police-B is; 192.0.2.0/24 is NL (Partner-C).
    WriteFile(geo_dir_.Join("geoip"), "167772160,184549375,DE\n3221225984,3221226239,NL\n");
    ServerConfig config;
    config.geoip = {"tor:" + geo_dir_.Join("geoip")};
    config.snapshot_refresh_seconds = 1;
    return config;
  }


  HttpResponse PostTelemetry(const std::string& key, const std::string& body,
                             const std::string& query = "") {
    return Call("POST", "/api/v1/telemetry" + query, key, body, "application/x-ndjson");
  }


  TempDir geo_dir_;
};

TEST_F(TelemetryTest, NewIndicatorsAreMatchedWithoutARestartAndHitsAreRoutedByCountry) {
  HttpResponse before = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "cdn.evil.example"));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(Body(before)["alerts_new"], 0);

  CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "stealer C2", {"malware:redline"});
  AwaitSnapshot(1);
  HttpResponse after = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "cdn.evil.example") +
                                                     SuricataDns("10.0.0.5", "cdn.evil.example") +
                                                     SuricataDns("10.0.0.7", "benign.example"));
  ASSERT_EQ(after.status, 200) << after.body;
  json body = Body(after);
  EXPECT_EQ(body["format"], "suricata");
  EXPECT_EQ(body["records"], 3);
  EXPECT_EQ(body["hits"], 2);
  EXPECT_EQ(body["alerts_new"], 1);
  ASSERT_EQ(body["alerts"].size(), 1u);
  const json& alert = body["alerts"][0];
  EXPECT_EQ(alert["matched"], "evil.example");
  EXPECT_EQ(alert["seen"], "cdn.evil.example");
  EXPECT_EQ(alert["kind"], "dns");
  EXPECT_EQ(alert["victim"], "10.0.0.5");
  EXPECT_EQ(alert["country"], "DE");
  EXPECT_EQ(alert["organisation"], "Police-B");
  EXPECT_EQ(alert["families"], json::array({"redline"}));

  // Stored, with the repeat counted, and readable by the routed organisation.
  HttpResponse listed = Get("/api/v1/alerts", analyst_b_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(Body(listed)["alerts"].size(), 1u);
  EXPECT_EQ(Body(listed)["alerts"][0]["count"], 2);
  EXPECT_EQ(Body(listed)["alerts"][0]["id"], alert["id"]);
}

// Alerts carry the audience their event had when telemetry hit. An event
// edited to a stricter level narrows its alerts: those who lost the event
// lose its alerts, in the feed, the totals and the dashboard.
TEST_F(TelemetryTest, AlertsOfAnEventMadeStricterAreWithheldFromThoseWhoLostIt) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "C2");
  AwaitSnapshot(1);
  // 10.0.0.5 is routed to Police-B (DE), 192.0.2.9 to Partner-C (NL).
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "evil.example") +
                                               SuricataDns("192.0.2.9", "evil.example")))["alerts_new"],
            2);
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_c_))["total"], 2) << "GREEN: every member";

  // AMBER, shared with Police-B only.
  HttpResponse amber = Call("PATCH", "/api/v1/events/" + uuid, analyst_a_,
                            json({{"tlp", "amber"}, {"recipients", {"Police-B"}}}).dump(), "application/json");
  ASSERT_EQ(amber.status, 200) << amber.body;
  json for_c = Body(Get("/api/v1/alerts", analyst_c_));
  EXPECT_EQ(for_c["alerts"].size(), 0u);
  EXPECT_EQ(for_c["total"], 0);
  EXPECT_EQ(Body(Get("/api/v1/stats", analyst_c_))["counts"]["alerts"], 0);
  json for_b = Body(Get("/api/v1/alerts", analyst_b_));
  ASSERT_EQ(for_b["alerts"].size(), 1u) << "its own routed alert: it still reads the event";
  EXPECT_EQ(for_b["alerts"][0]["victim"], "10.0.0.5");
  EXPECT_EQ(for_b["alerts"][0]["tlp"], "amber");
  EXPECT_EQ(for_b["alerts"][0]["events"][0]["tlp"], "amber");
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_a_))["total"], 2) << "the owner keeps both";

  // Police-B taken off: its routed alert is no longer its own.
  HttpResponse off = Call("PATCH", "/api/v1/events/" + uuid, analyst_a_,
                          json({{"recipients", json::array()}}).dump(), "application/json");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_b_))["total"], 0);
  EXPECT_EQ(Body(Get("/api/v1/stats", analyst_b_))["counts"]["alerts"], 0);
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_a_))["total"], 2);
}

// A log shipper posts a host's beacons in request after request: one
// alert whose count grows (the window is the request's `window`), not one
// per request; another host is its own alert.
TEST_F(TelemetryTest, RepeatsInLaterRequestsCountIntoTheStoredAlert) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  HttpResponse first = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "cdn.evil.example"));
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(Body(first)["alerts_new"], 1);
  const json alert = Body(first)["alerts"][0];
  HttpResponse second = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "cdn.evil.example") +
                                                      SuricataDns("10.0.0.5", "www.evil.example") +
                                                      SuricataDns("10.0.0.6", "cdn.evil.example"));
  ASSERT_EQ(second.status, 200) << second.body;
  json body = Body(second);
  EXPECT_EQ(body["alerts_new"], 1);
  EXPECT_EQ(body["alerts_continued"], 1);
  ASSERT_EQ(body["alerts"].size(), 2u);
  EXPECT_EQ(body["alerts"][0]["id"], alert["id"]);
  EXPECT_EQ(body["alerts"][0]["count"], 2);
  EXPECT_EQ(body["alerts"][1]["victim"], "10.0.0.6");

  json listed = Body(Get("/api/v1/alerts", analyst_a_))["alerts"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["id"], alert["id"]);
  EXPECT_EQ(listed[0]["count"], 3);
  // window=0: every request's hits are alerts of their own.
  HttpResponse unfolded =
      PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "cdn.evil.example"), "?window=0");
  ASSERT_EQ(unfolded.status, 200) << unfolded.body;
  EXPECT_EQ(Body(unfolded)["alerts_new"], 1);
  EXPECT_EQ(Body(unfolded)["alerts_continued"], 0);
}

// A log shipper's parallel workers post the same host's beacons at once:
// however the requests interleave, they make one alert that counts every
// hit, and each response names that alert.
TEST_F(TelemetryTest, ConcurrentRequestsSeeingOneHostBeaconMakeOneAlert) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  std::string body;
  for (int line = 0; line < 20; ++line) body += SuricataDns("10.0.0.5", "cdn.evil.example");
  constexpr int kRequests = 4;
  std::vector<HttpResponse> responses(kRequests);
  std::vector<std::thread> workers;
  for (int worker = 0; worker < kRequests; ++worker) {
    workers.emplace_back([&, worker] {
      HttpRequest request;
      request.method = "POST";
      request.path = "/api/v1/telemetry";
      request.bearer = analyst_a_;
      request.body = body;
      request.headers = {"Content-Type: application/x-ndjson"};
      responses[worker] = node_.Send(request);
    });
  }
  for (std::thread& worker : workers) worker.join();

  json listed = Body(Get("/api/v1/alerts", analyst_a_))["alerts"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["count"], 20 * kRequests);
  int64_t opened = 0;
  int64_t continued = 0;
  for (const HttpResponse& response : responses) {
    ASSERT_EQ(response.status, 200) << response.body;
    const json answer = Body(response);
    opened += answer["alerts_new"].get<int64_t>();
    continued += answer["alerts_continued"].get<int64_t>();
    ASSERT_EQ(answer["alerts"].size(), 1u);
    EXPECT_EQ(answer["alerts"][0]["id"], listed[0]["id"]);
  }
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(continued, kRequests - 1);
}

TEST_F(TelemetryTest, AnAmberAlertIsNotShownToTheRoutedOrganisationThatMayNotReadItsEvent) {
  CreateEvent(analyst_a_, "amber", {"203.0.113.9"});
  AwaitSnapshot(1);
  const std::string flow =
      R"({"event_type":"flow","src_ip":"10.0.0.5","dest_ip":"203.0.113.9","proto":"TCP"})" "\n";
  HttpResponse posted = PostTelemetry(analyst_a_, flow);
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_EQ(Body(posted)["alerts_new"], 1);
  EXPECT_EQ(Body(posted)["alerts"][0]["tlp"], "amber");
  EXPECT_EQ(Body(posted)["alerts"][0]["organisation"], "Police-B");
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_a_))["alerts"].size(), 1u);
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_b_))["alerts"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_c_))["alerts"].size(), 0u);
}

TEST_F(TelemetryTest, MalformedLinesAreCountedWithTheirPositionAndTheRestIsMatched) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  HttpResponse posted =
      PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "a.evil.example") + "{\"event_type\": \n" +
                                    SuricataDns("10.0.0.6", "b.evil.example"),
                    "?format=suricata");
  ASSERT_EQ(posted.status, 200) << posted.body;
  json body = Body(posted);
  EXPECT_EQ(body["malformed"], 1);
  ASSERT_EQ(body["malformed_examples"].size(), 1u);
  EXPECT_EQ(body["malformed_examples"][0]["line"], 2);
  EXPECT_EQ(body["alerts_new"], 2);
}

// A gzip body cut short is the client's error (400, naming it), and the
// records read before the cut are matched and their alerts kept, as
// `accord match` keeps them for a truncated file.
TEST_F(TelemetryTest, ATruncatedGzipBodyIsRefusedAfterMatchingWhatWasRead) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  std::string records = SuricataDns("10.0.0.5", "a.evil.example");
  for (int filler = 0; filler < 3000; ++filler) {
    records += SuricataDns("10.0.0." + std::to_string(10 + filler % 200), "quiet" + std::to_string(filler) + ".example");
  }
  const std::string gzip = ArchiveOf({{"telemetry.ndjson", records}}, ArchiveKind::kGzip);
  HttpResponse posted = PostTelemetry(analyst_a_, gzip.substr(0, gzip.size() * 3 / 4), "?format=suricata");
  ASSERT_EQ(posted.status, 400) << posted.body;
  json body = Body(posted);
  EXPECT_NE(body["error"]["message"].get<std::string>().find("telemetry"), std::string::npos) << posted.body;
  EXPECT_GT(body["records"].get<int64_t>(), 0);
  EXPECT_EQ(body["alerts_new"], 1);
  EXPECT_EQ(Body(Get("/api/v1/alerts", analyst_a_))["total"], 1) << "the alert found before the cut is kept";
}

// The mapping holds '=' itself; sent unencoded (as curl users and log
// shippers do) or encoded, it maps the same fields.
TEST_F(TelemetryTest, AFieldMappingWorksEncodedOrNot) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  const std::string line = R"({"ts":"2026-01-01T00:00:00Z","client":"10.0.0.5","query":"cdn.evil.example"})" "\n";
  for (const std::string& query : {std::string("?format=ndjson&map=query=domain,client=victim,ts=time"),
                                  std::string("?map=query%3Ddomain%2Cclient%3Dvictim%2Cts%3Dtime&format=ndjson")}) {
    HttpResponse posted = PostTelemetry(analyst_a_, line, query);
    ASSERT_EQ(posted.status, 200) << query << ": " << posted.body;
    json body = Body(posted);
    EXPECT_EQ(body["hits"], 1) << query;
    ASSERT_EQ(body["alerts"].size(), 1u) << query;
    EXPECT_EQ(body["alerts"][0]["victim"], "10.0.0.5") << query;
  }
}

TEST_F(TelemetryTest, ReadersMayNotSubmitAndBadParametersAreRefused) {
  EXPECT_EQ(PostTelemetry(reader_a_, SuricataDns("10.0.0.5", "x.example")).status, 403);
  EXPECT_EQ(PostTelemetry(poc_a_, SuricataDns("10.0.0.5", "x.example")).status, 403);
  EXPECT_EQ(PostTelemetry(analyst_a_, "{}", "?format=pcap").status, 400);
  EXPECT_EQ(PostTelemetry(analyst_a_, "{}", "?map=query").status, 400);
  EXPECT_EQ(PostTelemetry(analyst_a_, "{}", "?window=-5").status, 400);
  EXPECT_EQ(PostTelemetry(contributor_a_, SuricataDns("10.0.0.5", "x.example")).status, 200);
  EXPECT_EQ(Get("/api/v1/alerts?cursor=garbage", analyst_a_).status, 400);
}

TEST_F(TelemetryTest, AlertListingPagesWithACursor) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  std::string lines;
  for (int victim = 1; victim <= 5; ++victim) lines += SuricataDns("10.0.0." + std::to_string(victim), "evil.example");
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, lines))["alerts_new"], 5);
  std::vector<std::string> victims;
  std::string path = "/api/v1/alerts?limit=2";
  for (int page = 0; page < 5; ++page) {
    json body = Body(Get(path, analyst_b_));
    for (const json& alert : body["alerts"]) victims.push_back(alert["victim"]);
    if (body["next"].is_null()) break;
    path = "/api/v1/alerts?limit=2&cursor=" + body["next"].get<std::string>();
  }
  EXPECT_EQ(victims, (std::vector<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4",
                                               "10.0.0.5"}));
}

TEST_F(TelemetryTest, NewestFirstFeedFiltersByFamilyOrganisationAndAcknowledgement) {
  CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "redline C2", {"malware:RedLine"});
  CreateEvent(analyst_a_, "green", {"bad.example"}, json::array(), "lumma C2", {"malware:lumma"});
  AwaitSnapshot(2);
  // 10.0.0.0/8 routes to Police-B (DE); 192.0.2.0/24 to Partner-C (NL).
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.1", "evil.example") +
                                               SuricataDns("10.0.0.2", "bad.example") +
                                               SuricataDns("192.0.2.9", "evil.example")))["alerts_new"],
            3);
  json newest = Body(Get("/api/v1/alerts?order=newest", analyst_a_));
  ASSERT_EQ(newest["alerts"].size(), 3u);
  EXPECT_EQ(newest["alerts"][0]["victim"], "192.0.2.9");
  EXPECT_EQ(newest["alerts"][2]["victim"], "10.0.0.1");
  EXPECT_TRUE(newest["alerts"][0]["acknowledged"].is_null());

  // Paging newest first walks down; an oldest-first cursor is refused here.
  json first = Body(Get("/api/v1/alerts?order=newest&limit=2", analyst_a_));
  ASSERT_TRUE(first["next"].is_string());
  json second = Body(Get("/api/v1/alerts?order=newest&limit=2&cursor=" +
                             first["next"].get<std::string>(), analyst_a_));
  ASSERT_EQ(second["alerts"].size(), 1u);
  EXPECT_EQ(second["alerts"][0]["victim"], "10.0.0.1");
  json oldest = Body(Get("/api/v1/alerts?limit=1", analyst_a_));
  EXPECT_EQ(Get("/api/v1/alerts?order=newest&cursor=" + oldest["next"].get<std::string>(), analyst_a_)
                .status,
            400);

  json redline = Body(Get("/api/v1/alerts?family=redline", analyst_a_));
  ASSERT_EQ(redline["alerts"].size(), 2u);
  for (const json& alert : redline["alerts"]) EXPECT_EQ(alert["matched"], "evil.example");
  EXPECT_EQ(redline["total"], 2);
  json redline_page = Body(Get("/api/v1/alerts?order=newest&family=REDLINE&limit=1", analyst_a_));
  ASSERT_EQ(redline_page["alerts"].size(), 1u);
  EXPECT_EQ(redline_page["total"], 2);
  EXPECT_TRUE(redline_page["next"].is_string());
  json part = Body(Get("/api/v1/alerts?family=red", analyst_a_));
  EXPECT_EQ(part["alerts"].size(), 0u) << "a family is matched whole";
  EXPECT_EQ(part["total"], 0);
  EXPECT_EQ(Get("/api/v1/alerts?family=red%1Fline", analyst_a_).status, 400);
  json to_b = Body(Get("/api/v1/alerts?organisation=Police-B", analyst_a_));
  ASSERT_EQ(to_b["alerts"].size(), 2u);
  for (const json& alert : to_b["alerts"]) EXPECT_EQ(alert["country"], "DE");
  EXPECT_EQ(Get("/api/v1/alerts?organisation=Nobody", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/alerts?order=sideways", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/alerts?acknowledged=maybe", analyst_a_).status, 400);

  // Partner-C reads the GREEN alerts routed to Police-B but does not handle
  // them: it may not acknowledge another member's early warning.
  const std::string id = to_b["alerts"][0]["id"];
  json seen_by_c = Body(Get("/api/v1/alerts/" + id, analyst_c_));
  EXPECT_EQ(seen_by_c["may_acknowledge"], false);
  HttpResponse by_c = Call("POST", "/api/v1/alerts/" + id + "/acknowledge", analyst_c_);
  EXPECT_EQ(by_c.status, 403);
  EXPECT_NE(by_c.body.find("routed to"), std::string::npos) << by_c.body;
  EXPECT_EQ(Body(Get("/api/v1/alerts/" + id, analyst_b_))["may_acknowledge"], true);
  EXPECT_EQ(Body(Get("/api/v1/alerts/" + id, analyst_a_))["may_acknowledge"], true);
  // Acknowledged by the routed organisation's analyst; then it leaves the
  // unacknowledged feed and a second acknowledgement is a conflict.
  HttpResponse acked = Call("POST", "/api/v1/alerts/" + id + "/acknowledge", analyst_b_);
  ASSERT_EQ(acked.status, 200) << acked.body;
  EXPECT_EQ(Body(acked)["acknowledged"]["by"].get<std::string>().rfind("Police-B: test (ak_", 0), 0u);
  // Partner-C reads the GREEN alert too, but not who at Police-B handled it.
  EXPECT_EQ(Body(Get("/api/v1/alerts/" + id, analyst_c_))["acknowledged"]["by"], "Police-B");
  EXPECT_EQ(Body(Get("/api/v1/alerts/" + id, analyst_a_))["acknowledged"]["by"],
            Body(acked)["acknowledged"]["by"])
      << "the owner is a party";
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/acknowledge", analyst_a_).status, 409);
  json open = Body(Get("/api/v1/alerts?acknowledged=false", analyst_a_));
  EXPECT_EQ(open["alerts"].size(), 2u);
  for (const json& alert : open["alerts"]) EXPECT_NE(alert["id"], id);
  json done = Body(Get("/api/v1/alerts?acknowledged=true", analyst_a_));
  ASSERT_EQ(done["alerts"].size(), 1u);
  EXPECT_EQ(Body(Get("/api/v1/alerts/" + id, analyst_a_))["acknowledged"]["at"],
            done["alerts"][0]["acknowledged"]["at"]);
  EXPECT_EQ(done["alerts"][0]["may_acknowledge"], false) << "already acknowledged";
  ASSERT_EQ(AuditOf("alert.acknowledge").size(), 1u);
  EXPECT_EQ(AuditOf("alert.acknowledge")[0].object, id);
}

TEST_F(TelemetryTest, OnlyThoseWhoMayReadAnAlertAndHandleAlertsMayAcknowledgeIt) {
  CreateEvent(analyst_a_, "amber", {"203.0.113.9"});
  AwaitSnapshot(1);
  const std::string flow =
      R"({"event_type":"flow","src_ip":"10.0.0.5","dest_ip":"203.0.113.9","proto":"TCP"})" "\n";
  json posted = Body(PostTelemetry(analyst_a_, flow));
  ASSERT_EQ(posted["alerts_new"], 1);
  const std::string id = posted["alerts"][0]["id"];
  // Police-B may not read the AMBER event, so the alert is absent for it.
  EXPECT_EQ(Get("/api/v1/alerts/" + id, analyst_b_).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/acknowledge", analyst_b_).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/acknowledge", reader_a_).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/acknowledge", contributor_a_).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/no-such-alert/acknowledge", analyst_a_).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/acknowledge", poc_a_).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/alerts/" + id + "/acknowledge", poc_a_).status, 405);
}

TEST_F(TelemetryTest, StatsCountOnlyWhatTheCallerMayRead) {
  CreateEvent(analyst_a_, "green", {"evil.example", "evil2.example"}, json::array(), "redline",
              {"malware:redline"});
  CreateEvent(analyst_a_, "amber+strict", {"secret.example"}, json::array(), "strict",
              {"malware:secretbot"});
  AwaitSnapshot(3);
  // Seen now: today's alerts are those telemetry hit today.
  const std::string now = FormatTimestamp(SystemClock().Now());
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.1", "evil.example", now) +
                                               SuricataDns("10.0.0.2", "secret.example", now) +
                                               SuricataDns("192.0.2.9", "evil2.example", now)))["alerts_new"],
            3);
  HttpResponse owner = Get("/api/v1/stats?days=7", analyst_a_);
  ASSERT_EQ(owner.status, 200) << owner.body;
  json a = Body(owner);
  EXPECT_EQ(a["days"], 7);
  EXPECT_EQ(a["counts"]["events"], 2);
  EXPECT_EQ(a["counts"]["live_indicators"], 3);
  EXPECT_EQ(a["counts"]["alerts"], 3);
  EXPECT_EQ(a["counts"]["alerts_today"], 3);
  EXPECT_EQ(a["counts"]["alerts_unacknowledged"], 3);
  EXPECT_EQ(a["alerts_by_country"], (json{{"DE", 2}, {"NL", 1}}));
  ASSERT_EQ(a["timeline"].size(), 7u);
  const json& today = a["timeline"][6];
  EXPECT_EQ(today["day"], a["generated"].get<std::string>().substr(0, 10));
  EXPECT_EQ(today["alerts"], 3);
  EXPECT_EQ(today["indicators"], 3);
  EXPECT_EQ(a["timeline"][0]["alerts"], 0);
  ASSERT_EQ(a["top_families"].size(), 2u);
  EXPECT_EQ(a["top_families"][0], (json{{"family", "redline"}, {"alerts", 2}, {"indicators", 2}}));

  // Police-B reads the GREEN event and the alerts on it only: the strict
  // family, its indicator and its alert are not even counted.
  json b = Body(Get("/api/v1/stats", analyst_b_));
  EXPECT_EQ(b["days"], 30);
  EXPECT_EQ(b["counts"]["events"], 1);
  EXPECT_EQ(b["counts"]["live_indicators"], 2);
  EXPECT_EQ(b["counts"]["alerts"], 2);
  EXPECT_EQ(b["alerts_by_country"], (json{{"DE", 1}, {"NL", 1}}));
  ASSERT_EQ(b["top_families"].size(), 1u);
  EXPECT_EQ(b["top_families"][0]["family"], "redline");
  EXPECT_EQ(b.dump().find("secret"), std::string::npos);

  // A family that alerted ranks before one with more indicators but no alert.
  CreateEvent(analyst_a_, "green", {"q1.example", "q2.example", "q3.example", "q4.example", "q5.example"},
              json::array(), "quiet", {"malware:quietbot"});
  json ranked = Body(Get("/api/v1/stats", analyst_a_));
  ASSERT_EQ(ranked["top_families"].size(), 3u);
  EXPECT_EQ(ranked["top_families"][0]["family"], "redline");
  EXPECT_EQ(ranked["top_families"][1]["family"], "secretbot");
  EXPECT_EQ(ranked["top_families"][2], (json{{"family", "quietbot"}, {"alerts", 0}, {"indicators", 5}}));

  // A family's indicators are its live values, each once: one also in a
  // second event of the family counts once, an expired one and a context
  // value not at all, and a family with nothing live and no alert is left out.
  HttpResponse more = PostJson("/api/v1/events", analyst_a_,
                               {{"title", "quiet 2"}, {"tlp", "green"}, {"tags", {"malware:QuietBot"}},
                                {"indicators", json::array({{{"value", "q1.example"}},
                                                            {{"value", "q6.example"}, {"valid_until", "2020-01-01T00:00:00Z"}},
                                                            {{"value", "q7.example"}, {"is_indicator", false}}})}});
  ASSERT_EQ(more.status, 201) << more.body;
  CreateEvent(analyst_a_, "green", {}, json::array(), "empty", {"malware:emptybot"});
  json live = Body(Get("/api/v1/stats", analyst_a_));
  ASSERT_EQ(live["top_families"].size(), 3u) << live["top_families"].dump();
  EXPECT_EQ(live["top_families"][2], (json{{"family", "quietbot"}, {"alerts", 0}, {"indicators", 5}}));

  EXPECT_EQ(Get("/api/v1/stats?days=0", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/stats?days=400", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/stats?days=7x", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/stats", "").status, 401);
}

TEST_F(TelemetryTest, StatsCountEachLiveValueOnceAcrossEventsAndLeaveOutExpiredAndContextLinks) {
  auto post = [&](const std::string& tlp, const json& indicators) {
    HttpResponse created = PostJson("/api/v1/events", analyst_a_,
                                    {{"title", "t"}, {"tlp", tlp}, {"indicators", indicators}});
    ASSERT_EQ(created.status, 201) << created.body;
  };
  post("green", json::array({{{"value", "shared.example"}},
                             {{"value", "expired.example"}, {"valid_until", "2020-01-01T00:00:00Z"}},
                             {{"value", "context.example"}, {"is_indicator", false}}}));
  // The same value again in a second GREEN event, and in an AMBER+STRICT one.
  post("green", json::array({{{"value", "shared.example"}}, {{"value", "second.example"}}}));
  post("amber+strict", json::array({{{"value", "shared.example"}}, {{"value", "strict.example"}}}));

  json a = Body(Get("/api/v1/stats", analyst_a_));
  EXPECT_EQ(a["counts"]["events"], 3);
  // shared, second, strict; not expired (expired), not context (no indicator).
  EXPECT_EQ(a["counts"]["live_indicators"], 3);
  // Stored today: every indicator link's value, expired included, once each.
  EXPECT_EQ(a["timeline"].back()["indicators"], 4);

  json b = Body(Get("/api/v1/stats", analyst_b_));
  EXPECT_EQ(b["counts"]["events"], 2);
  EXPECT_EQ(b["counts"]["live_indicators"], 2);  // shared (through GREEN), second
  EXPECT_EQ(b["timeline"].back()["indicators"], 3);

  // A value found on a warning list is no longer live (it never alerts).
  auto second = node_.store().LookupObservable(Observable{ObservableType::kDomain, "second.example"});
  ASSERT_TRUE(second.ok() && second->has_value());
  ASSERT_TRUE(node_.store().SetObservableWarningList((*second)->id, "test-list").ok());
  EXPECT_EQ(Body(Get("/api/v1/stats", analyst_a_))["counts"]["live_indicators"], 2);
  EXPECT_EQ(Body(Get("/api/v1/stats", analyst_b_))["counts"]["live_indicators"], 1);
}

// Holds the server's housekeeper (request clocks, purge, derived STIX of
// big events) at the start of its first pass until the test ends, as a
// long projection of a million-value event would.
class HeldHousekeeperTest : public TelemetryTest {
 protected:
  struct Gate {
    std::mutex mu;
    std::condition_variable changed;
    bool entered = false;
    bool released = false;
  };

  ServerConfig Config() override {
    ServerConfig config = TelemetryTest::Config();
    // The server keeps its own reference: the thread may still be leaving
    // Wait when this fixture is gone.
    config.before_housekeeping = [gate = gate_] {
      std::unique_lock<std::mutex> lock(gate->mu);
      gate->entered = true;
      gate->changed.notify_all();
      gate->changed.wait(lock, [&gate] { return gate->released; });
    };
    return config;
  }

  void TearDown() override { Release(); }

  bool AwaitHeld() {
    std::unique_lock<std::mutex> lock(gate_->mu);
    return gate_->changed.wait_for(lock, std::chrono::seconds(30), [this] { return gate_->entered; });
  }

  void Release() {
    {
      std::lock_guard<std::mutex> lock(gate_->mu);
      gate_->released = true;
    }
    gate_->changed.notify_all();
  }

  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
};

TEST_F(HeldHousekeeperTest, NewIndicatorsAreMatchedWhileTheHousekeeperIsBusy) {
  ASSERT_TRUE(AwaitHeld()) << "the housekeeper never started a pass";
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  HttpResponse hit = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "cdn.evil.example"));
  ASSERT_EQ(hit.status, 200) << hit.body;
  EXPECT_EQ(Body(hit)["alerts_new"], 1);
}

// The node's alert webhook: each new alert the operator organisation
// (CERT-A) may read goes out as GET /api/v1/alerts shows it, signed; others'
// alerts it may not read never leave.
class AlertWebhookTest : public TelemetryTest {
 protected:
  ServerConfig Config() override {
    ServerConfig config = TelemetryTest::Config();
    config.alert_webhook_url = receiver_.Url();
    config.alert_webhook_secret = "node secret";
    return config;
  }
  WebhookReceiver receiver_;
};

TEST_F(AlertWebhookTest, NewAlertsTheOperatorMayReadArePostedSignedOnceAndOthersAreNot) {
  // Partner-C's AMBER event: CERT-A may not read it, so neither its alert.
  CreateEvent(analyst_c_, "amber", {"203.0.113.9"});
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(2);
  const std::string flow =
      R"({"event_type":"flow","src_ip":"10.0.0.5","dest_ip":"203.0.113.9","proto":"TCP"})" "\n";
  HttpResponse hidden = PostTelemetry(analyst_c_, flow);
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  ASSERT_EQ(Body(hidden)["alerts_new"], 1);
  HttpResponse shown = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "cdn.evil.example"));
  ASSERT_EQ(shown.status, 200) << shown.body;
  ASSERT_EQ(Body(shown)["alerts_new"], 1);
  // A repeat in a later request counts into that alert: no second post.
  HttpResponse repeated = PostTelemetry(analyst_a_, SuricataDns("10.0.0.5", "cdn.evil.example"));
  ASSERT_EQ(repeated.status, 200) << repeated.body;
  ASSERT_EQ(Body(repeated)["alerts_continued"], 1);

  const notify::WebhookStats stats = node_.DrainAlertWebhook(std::chrono::seconds(20));
  EXPECT_EQ(stats.delivered, 1);
  EXPECT_EQ(stats.failed, 0);
  auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const json posted = json::parse(requests[0].body);
  EXPECT_EQ(posted["matched"], "evil.example");
  EXPECT_EQ(posted["id"], Body(shown)["alerts"][0]["id"]);
  EXPECT_EQ(posted["count"], 1);  // the stored form, as the alerts feed has it
  EXPECT_EQ(requests[0].get_header_value("X-Accord-Signature"),
            "sha256=" + HmacSha256Hex("node secret", requests[0].body));
}

}  // namespace
}  // namespace accord::testing
