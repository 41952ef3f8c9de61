// GET /api/v1/alerts as the web UI's feed reads it (order=newest): by when
// telemetry hit, not when the node stored the alert; pages both ways with a
// total that counts only what the caller may read; each event an alert names
// with where it came from. And the dashboard's "today" by the same time.
#include <string>
#include <vector>

#include "server/rest_testing.h"

namespace accord::testing {
namespace {

class RestAlertsTest : public RestTest {
 protected:
  ServerConfig Config() override {
    ServerConfig config;
    config.snapshot_refresh_seconds = 1;
    return config;
  }

  HttpResponse PostTelemetry(const std::string& key, const std::string& body) {
    return Call("POST", "/api/v1/telemetry", key, body, "application/x-ndjson");
  }

  static std::vector<std::string> Victims(const json& page) {
    std::vector<std::string> victims;
    for (const json& alert : page["alerts"]) victims.push_back(alert["victim"]);
    return victims;
  }
};

// Today's hit first, then February's, then the replayed old log's, although
// the old log was stored after today's hit and before February's.
TEST_F(RestAlertsTest, NewestFeedIsOrderedByWhenTelemetryHitNotWhenStored) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.1", "evil.example", "2026-03-01T10:00:00Z")))["alerts_new"], 1);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.2", "evil.example", "2025-01-01T00:00:00Z")))["alerts_new"], 1);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.3", "evil.example", "2026-02-01T00:00:00Z")))["alerts_new"], 1);

  json newest = Body(Get("/api/v1/alerts?order=newest", analyst_a_));
  EXPECT_EQ(Victims(newest), (std::vector<std::string>{"10.0.0.1", "10.0.0.3", "10.0.0.2"}));
  // The catching-up consumer's order is unchanged: as stored.
  json oldest = Body(Get("/api/v1/alerts", analyst_a_));
  EXPECT_EQ(Victims(oldest), (std::vector<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.3"}));
  // Paging newest first keeps the observed order across pages.
  json first = Body(Get("/api/v1/alerts?order=newest&limit=2", analyst_a_));
  ASSERT_TRUE(first["next"].is_string());
  json second = Body(Get("/api/v1/alerts?order=newest&limit=2&cursor=" + first["next"].get<std::string>(), analyst_a_));
  EXPECT_EQ(Victims(second), (std::vector<std::string>{"10.0.0.2"}));
}

// Hits within one second: a page that ends on the .700 hit goes on with the
// .300 one (a cursor holding whole seconds would skip it).
TEST_F(RestAlertsTest, NewestFeedPagesThroughHitsWithinOneSecond) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.1", "evil.example", "2026-03-01T10:00:00.300000+0000") +
                                               SuricataDns("10.0.0.2", "evil.example", "2026-03-01T10:00:00.700000+0000") +
                                               SuricataDns("10.0.0.3", "evil.example", "2026-03-01T10:00:01.100000+0000")))["alerts_new"],
            3);
  std::vector<std::string> walked;
  std::string cursor;
  for (int page = 0; page < 4; ++page) {
    json body = Body(Get("/api/v1/alerts?order=newest&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), analyst_a_));
    for (const std::string& victim : Victims(body)) walked.push_back(victim);
    if (!body["next"].is_string()) break;
    cursor = body["next"].get<std::string>();
  }
  EXPECT_EQ(walked, (std::vector<std::string>{"10.0.0.3", "10.0.0.2", "10.0.0.1"}));
}

// Five GREEN alerts Police-B reads and one AMBER alert it does not: pages of
// two walk down with `next` and back up with `prev`, and `total` is five
// for B on every page (six for the owner).
TEST_F(RestAlertsTest, NewestFeedPagesBackWithPrevAndTotalsOnlyWhatTheCallerReads) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  CreateEvent(analyst_a_, "amber", {"secret.example"});
  AwaitSnapshot(2);
  std::string lines;
  for (int victim = 1; victim <= 5; ++victim) {
    lines += SuricataDns("10.0.0." + std::to_string(victim), "evil.example",
                         "2026-02-0" + std::to_string(victim) + "T00:00:00Z");
  }
  lines += SuricataDns("10.0.0.9", "secret.example", "2026-02-03T12:00:00Z");
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, lines))["alerts_new"], 6);

  json page1 = Body(Get("/api/v1/alerts?order=newest&limit=2", analyst_b_));
  EXPECT_EQ(Victims(page1), (std::vector<std::string>{"10.0.0.5", "10.0.0.4"}));
  EXPECT_TRUE(page1["prev"].is_null());
  EXPECT_EQ(page1["total"], 5);
  json page2 = Body(Get("/api/v1/alerts?order=newest&limit=2&cursor=" + page1["next"].get<std::string>(), analyst_b_));
  EXPECT_EQ(Victims(page2), (std::vector<std::string>{"10.0.0.3", "10.0.0.2"}));
  EXPECT_EQ(page2["total"], 5);
  ASSERT_TRUE(page2["prev"].is_string());
  json page3 = Body(Get("/api/v1/alerts?order=newest&limit=2&cursor=" + page2["next"].get<std::string>(), analyst_b_));
  EXPECT_EQ(Victims(page3), (std::vector<std::string>{"10.0.0.1"}));
  EXPECT_TRUE(page3["next"].is_null());

  // Back up: page 3's prev is page 2, whose prev is page 1 again (the top).
  json back2 = Body(Get("/api/v1/alerts?order=newest&limit=2&cursor=" + page3["prev"].get<std::string>(), analyst_b_));
  EXPECT_EQ(Victims(back2), Victims(page2));
  ASSERT_TRUE(back2["next"].is_string());
  json back1 = Body(Get("/api/v1/alerts?order=newest&limit=2&cursor=" + back2["prev"].get<std::string>(), analyst_b_));
  EXPECT_EQ(Victims(back1), Victims(page1));
  EXPECT_TRUE(back1["prev"].is_null());
  EXPECT_TRUE(back1["next"].is_string());

  // The owner reads the AMBER alert too, between 10.0.0.4 and 10.0.0.3.
  json owner = Body(Get("/api/v1/alerts?order=newest&limit=2&cursor=" + page1["next"].get<std::string>(), analyst_a_));
  EXPECT_EQ(Victims(owner), (std::vector<std::string>{"10.0.0.9", "10.0.0.3"}));
  EXPECT_EQ(owner["total"], 6);
  // Filters narrow the total too; the stored order pages back as well.
  EXPECT_EQ(Body(Get("/api/v1/alerts?country=NL", analyst_a_))["total"], 0);
  json stored2 = Body(Get("/api/v1/alerts?limit=2&cursor=" + Body(Get("/api/v1/alerts?limit=2", analyst_b_))["next"].get<std::string>(), analyst_b_));
  json stored1 = Body(Get("/api/v1/alerts?limit=2&cursor=" + stored2["prev"].get<std::string>(), analyst_b_));
  EXPECT_EQ(Victims(stored1), (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  // A cursor of one order is refused by the other, backward ones too.
  EXPECT_EQ(Get("/api/v1/alerts?cursor=" + page2["prev"].get<std::string>(), analyst_b_).status, 400);
  EXPECT_EQ(Get("/api/v1/alerts?order=newest&cursor=" + stored2["prev"].get<std::string>(), analyst_b_).status, 400);
}

TEST_F(RestAlertsTest, EachEventAnAlertNamesSaysWhereItCameFrom) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"evil.example"}, json::array(), "RedLine C2");
  AwaitSnapshot(1);
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.1", "evil.example")))["alerts_new"], 1);
  json page = Body(Get("/api/v1/alerts?order=newest", analyst_b_));
  ASSERT_EQ(page["alerts"].size(), 1u);
  ASSERT_EQ(page["alerts"][0]["events"].size(), 1u);
  const json& event = page["alerts"][0]["events"][0];
  EXPECT_EQ(event["uuid"], uuid);
  EXPECT_EQ(event["title"], "RedLine C2");
  EXPECT_EQ(event["source"], "api");
  const std::string id = page["alerts"][0]["id"];
  EXPECT_EQ(Body(Get("/api/v1/alerts/" + id, analyst_b_))["events"][0]["source"], "api");
  // Once the event is gone, the alert still names it, with no source.
  ASSERT_EQ(Call("DELETE", "/api/v1/events/" + uuid, analyst_a_).status, 204);
  EXPECT_TRUE(Body(Get("/api/v1/alerts/" + id, analyst_b_))["events"][0]["source"].is_null());
}

// A log replayed today from last year raises alerts today; they are not
// "today's" on the dashboard, nor on today's bar of the timeline.
TEST_F(RestAlertsTest, AlertsTodayCountWhenTelemetryHitNotWhenStored) {
  CreateEvent(analyst_a_, "green", {"evil.example"});
  AwaitSnapshot(1);
  const std::string now = FormatTimestamp(SystemClock().Now());
  ASSERT_EQ(Body(PostTelemetry(analyst_a_, SuricataDns("10.0.0.1", "evil.example", now) +
                                               SuricataDns("10.0.0.2", "evil.example", "2025-01-01T00:00:00Z")))["alerts_new"],
            2);
  json stats = Body(Get("/api/v1/stats?days=7", analyst_a_));
  EXPECT_EQ(stats["counts"]["alerts"], 2);
  EXPECT_EQ(stats["counts"]["alerts_today"], 1);
  ASSERT_EQ(stats["timeline"].size(), 7u);
  EXPECT_EQ(stats["timeline"][6]["alerts"], 1);
}

}  // namespace
}  // namespace accord::testing
