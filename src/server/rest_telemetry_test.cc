// POST /api/v1/telemetry and GET /api/v1/alerts against a real server: the
// snapshot follows new indicators without a restart, hits become routed
// alerts, and alerts are read back only by whom TLP allows.
#include <chrono>
#include <thread>

#include "server/rest_testing.h"

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

}  // namespace
}  // namespace accord::testing
