// The matcher's alerts over time: stored while a stream runs (when it goes
// quiet, every few seconds, during lookups in flight), printed before the
// reader waits, and continued across runs and requests.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "match/matcher_testing.h"

namespace accord::match {
namespace {

using nlohmann::json;

// Line `line` of a shipper's conn log: `victim` reached 203.0.113.9 at
// `time` (epoch seconds).
void Beacon(Matcher& matcher, int64_t line, const char* time, const char* victim = "10.0.0.5") {
  telemetry::Record record;
  record.source = "shipper";
  record.line = line;
  record.kind = "conn";
  record.timestamp = time;
  record.candidates.push_back({ObservableType::kIpv4, "203.0.113.9", victim});
  EXPECT_TRUE(matcher.OnRecord(record).ok());
}

// A log shipper posts telemetry every few seconds, and `accord match` runs
// on each new log: a host beaconing to one C2 across requests and runs is
// one alert whose count grows, not one alert per request.
TEST_F(MatcherTest, ARepeatInALaterRunCountsIntoTheAlertAnEarlierRunStored) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  const Principal viewer = AnalystOf(node_->cert_a());
  Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225600"},
       {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225700"}},
      viewer);
  ASSERT_EQ(sink_.alerts.size(), 1u);
  const json first = sink_.alerts[0];
  MatchSummary later = Run({{"dns", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225500"},
                            {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767226000"},
                            {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.6", "1767226000"}},
                           viewer);
  EXPECT_EQ(later.alerts, 2);
  EXPECT_EQ(later.continued_alerts, 1);
  ASSERT_EQ(sink_.alerts.size(), 3u);
  const json& continued = sink_.alerts[1];
  EXPECT_EQ(continued["id"], first["id"]);
  EXPECT_EQ(continued["source"], first["source"]) << "the alert keeps its first sighting";
  EXPECT_EQ(continued["kind"], "conn");
  EXPECT_EQ(continued["first_seen"], "2025-12-31T23:58:20.000Z");
  EXPECT_EQ(sink_.alerts[2]["victim"], "10.0.0.6");
  EXPECT_NE(sink_.alerts[2]["id"], first["id"]);

  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].uuid, first["id"]);
  EXPECT_EQ(stored[0].count, 4);
  EXPECT_EQ(stored[0].first_seen, "2025-12-31T23:58:20.000Z");
  EXPECT_EQ(stored[0].last_seen, "2026-01-01T00:06:40.000Z");
  const json stored_json = json::parse(stored[0].json);
  EXPECT_EQ(stored_json["count"], 4);
  EXPECT_EQ(stored_json["first_seen"], "2025-12-31T23:58:20.000Z");
  EXPECT_EQ(stored_json["last_seen"], "2026-01-01T00:06:40.000Z");
  EXPECT_EQ(stored_json["source"], "test.log:1");
}

// Zeek's epoch seconds with a fraction, milliseconds and RFC 3339 with a
// fraction: alerts keep the millisecond, so hits within one second stay in
// order in the newest-first feed.
TEST_F(MatcherTest, AlertTimesKeepTheMillisecond) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.1", "1767225600.123456"},
       {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.2", "1767225600250"},
       {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.3", "2026-01-01T00:00:00.750123Z"},
       {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.3", "2026-01-01T00:00:01.5Z"}},
      AnalystOf(node_->cert_a()));
  ASSERT_EQ(sink_.alerts.size(), 3u);
  EXPECT_EQ(sink_.alerts[0]["first_seen"], "2026-01-01T00:00:00.123Z");
  EXPECT_EQ(sink_.alerts[1]["first_seen"], "2026-01-01T00:00:00.250Z");
  EXPECT_EQ(sink_.alerts[2]["first_seen"], "2026-01-01T00:00:00.750Z");
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[2].last_seen, "2026-01-01T00:00:01.500Z");
}

// Once somebody has acknowledged an alert, a repeat is news again; and a
// repeat after the window opens a new alert, as within one run.
TEST_F(MatcherTest, AnAcknowledgedAlertOrOneOutsideTheWindowIsNotContinued) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  const Principal viewer = AnalystOf(node_->cert_a());
  Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225600"}}, viewer);
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 1u);
  AuditEntry audit;
  audit.actor = "test";
  audit.action = "alert.acknowledge";
  ASSERT_TRUE(node_->store().AcknowledgeAlert(stored[0].id, "2026-01-01T00:01:00Z", "CERT-A", audit).ok());
  MatchSummary after_ack =
      Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225660"}}, viewer);
  EXPECT_EQ(after_ack.continued_alerts, 0);
  MatchSummary outside =
      Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767229300"}}, viewer);
  EXPECT_EQ(outside.continued_alerts, 0) << "first seen 3640 s after the open alert's first sighting";
  MatchSummary inside =
      Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767229400"}}, viewer);
  EXPECT_EQ(inside.continued_alerts, 1);
  stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].count, 1);
  EXPECT_EQ(stored[1].count, 1);
  EXPECT_EQ(stored[2].count, 2);
  EXPECT_EQ(sink_.alerts.back()["id"], stored[2].uuid);
  // Nor does a run that stores nothing or has no window look for one.
  MatchSummary no_window =
      Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767229400"}}, viewer, /*window=*/0);
  EXPECT_EQ(no_window.continued_alerts, 0);
}

// A hit never widens who reads an alert: once the indicator is also in a
// RED event of the viewer's, today's alert is RED, and the GREEN alert
// stored yesterday (read by every member) is not counted into. A day's log
// back-filled after today's is not folded into today's alert either.
TEST_F(MatcherTest, AContinuedAlertKeepsItsAudienceAndItsWindowOnBothSides) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  const Principal viewer = AnalystOf(node_->cert_a());
  Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225600"}}, viewer);
  node_->AddIndicators(Tlp::kRed, {{ObservableType::kIpv4, "203.0.113.9"}});
  MatchSummary stricter =
      Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225700"}}, viewer);
  EXPECT_EQ(stricter.continued_alerts, 0);
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].tlp, Tlp::kGreen);
  EXPECT_EQ(stored[0].count, 1) << "a RED hit counted into a GREEN alert";
  EXPECT_EQ(stored[1].tlp, Tlp::kRed);

  MatchSummary backfilled =
      Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767139200"}}, viewer);  // a day before
  EXPECT_EQ(backfilled.continued_alerts, 0);
  stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[1].first_seen, "2026-01-01T00:01:40.000Z") << "today's alert kept its first sighting";
}

// However often an alert is written and continued, its sightings are one
// row on the indicator (a shipper posting every second made one a post).
TEST_F(MatcherTest, AnAlertsSightingsAreOneRowAcrossWritesAndRuns) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  const Principal viewer = AnalystOf(node_->cert_a());
  for (const char* time : {"1767225600", "1767225610", "1767225620"}) {
    Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", time},
         {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", time}},
        viewer, 3600, /*flush_every=*/1);
  }
  auto info = node_->store().LookupObservable({ObservableType::kIpv4, "203.0.113.9"});
  ASSERT_TRUE(info.ok() && info->has_value());
  ASSERT_EQ((*info)->sightings.size(), 1u);
  EXPECT_EQ((*info)->sightings[0].count, 6);
  EXPECT_EQ((*info)->sightings[0].first_seen, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ((*info)->sightings[0].last_seen, "2026-01-01T00:00:20.000Z");
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].count, 6);
}

// Two requests matching at once, each counting into the same stored alert:
// the store adds what each counted, so neither's hits are lost.
TEST_F(MatcherTest, TwoMatchersCountingIntoOneStoredAlertLoseNeithersHits) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  auto snapshot = Snapshot::Build(node_->store(), kNow);
  ASSERT_TRUE(snapshot.ok());
  std::unique_ptr<Router> router = MakeRouter();
  MatchOptions options;
  options.viewer = AnalystOf(node_->cert_a());
  Matcher first(node_->store(), *snapshot, *router, options, sink_, clock_);
  Matcher second(node_->store(), *snapshot, *router, options, sink_, clock_);
  auto hit = [](Matcher& matcher, int64_t line) { Beacon(matcher, line, "1767225600"); };
  hit(first, 1);
  ASSERT_TRUE(first.OnInputIdle().ok());  // stored: count 1
  hit(first, 2);                          // in memory: 2
  hit(second, 1);                         // counts into the stored alert
  hit(second, 2);
  ASSERT_TRUE(second.Flush().ok());       // stored: 1 + 2
  ASSERT_TRUE(first.Flush().ok());        // stored: 3 + 1
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].count, 4);
  EXPECT_EQ(json::parse(stored[0].json)["count"], 4);
}

// A shipper's parallel workers post at once: both requests see the same
// host beacon before either has stored its alert. The second to store
// counts into the first's alert (and its sighting) instead of opening
// another, and hears so.
TEST_F(MatcherTest, TwoMatchersOpeningTheSameAlertAtOnceStoreOneAlert) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  auto snapshot = Snapshot::Build(node_->store(), kNow);
  ASSERT_TRUE(snapshot.ok());
  std::unique_ptr<Router> router = MakeRouter();
  MatchOptions options;
  options.viewer = AnalystOf(node_->cert_a());
  CollectingSink first_sink;
  CollectingSink second_sink;
  Matcher first(node_->store(), *snapshot, *router, options, first_sink, clock_);
  Matcher second(node_->store(), *snapshot, *router, options, second_sink, clock_);
  auto hit = [](Matcher& matcher, int64_t line, const char* time) { Beacon(matcher, line, time); };
  hit(first, 1, "1767225600");
  hit(first, 2, "1767225610");
  hit(second, 1, "1767225590");
  hit(second, 2, "1767225620");
  hit(second, 3, "1767225630");
  // Both finish their lookups (and open the alert) before either stores.
  ASSERT_TRUE(first.OnInputWait().ok());
  ASSERT_TRUE(second.OnInputWait().ok());
  ASSERT_TRUE(StoredAlerts().empty());
  ASSERT_EQ(first_sink.alerts.size(), 1u);
  ASSERT_EQ(second_sink.alerts.size(), 1u);
  ASSERT_TRUE(first.Flush().ok());
  ASSERT_TRUE(second.Flush().ok());

  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].uuid, first_sink.alerts[0]["id"]);
  EXPECT_EQ(stored[0].count, 5);
  EXPECT_EQ(stored[0].first_seen, "2025-12-31T23:59:50.000Z");
  EXPECT_EQ(stored[0].last_seen, "2026-01-01T00:00:30.000Z");
  EXPECT_EQ(json::parse(stored[0].json)["count"], 5);
  EXPECT_TRUE(first_sink.folded.empty());
  // Only the first is told its alert is stored as new (a webhook notifies once).
  EXPECT_EQ(first_sink.stored, std::vector<std::string>{stored[0].uuid});
  EXPECT_TRUE(second_sink.stored.empty());
  ASSERT_EQ(second_sink.folded.size(), 1u);
  EXPECT_EQ(second_sink.folded[0].first, second_sink.alerts[0]["id"]);
  EXPECT_EQ(second_sink.folded[0].second, stored[0].uuid);
  EXPECT_EQ(first.summary().continued_alerts, 0);
  EXPECT_EQ(second.summary().continued_alerts, 1);

  auto info = node_->store().LookupObservable({ObservableType::kIpv4, "203.0.113.9"});
  ASSERT_TRUE(info.ok() && info->has_value());
  ASSERT_EQ((*info)->sightings.size(), 1u) << "the folded alert's sightings are the stored alert's";
  EXPECT_EQ((*info)->sightings[0].count, 5);
  // The audit log says one alert opened and one updated.
  std::vector<json> writes;
  ASSERT_TRUE(node_->store()
                  .ForEachAudit([&](const AuditEntry& entry) {
                    if (entry.action == "match") writes.push_back(json::parse(entry.detail));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0]["alerts_new"].get<int>() + writes[1]["alerts_new"].get<int>(), 1)
      << writes[0] << writes[1];
  EXPECT_EQ(writes[0]["alerts_updated"].get<int>() + writes[1]["alerts_updated"].get<int>(), 1);

  // Later hits of the second matcher go to the stored alert by its id.
  hit(second, 4, "1767225640");
  ASSERT_TRUE(second.Flush().ok());
  stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].count, 6);
  info = node_->store().LookupObservable({ObservableType::kIpv4, "203.0.113.9"});
  ASSERT_TRUE(info.ok() && info->has_value());
  ASSERT_EQ((*info)->sightings.size(), 1u);
  EXPECT_EQ((*info)->sightings[0].count, 6);
}

// A folded alert is the stored one from then on: the run's later hits are
// measured against its first sighting. And a stored alert takes only one of
// a run's alerts: two the run kept a window apart stay two.
TEST_F(MatcherTest, AFoldedAlertIsTheStoredOneAndTakesOnlyOneOfARunsAlerts) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  auto snapshot = Snapshot::Build(node_->store(), kNow);
  ASSERT_TRUE(snapshot.ok());
  std::unique_ptr<Router> router = MakeRouter();
  MatchOptions options;
  options.viewer = AnalystOf(node_->cert_a());
  CollectingSink other_sink;
  {
    Matcher late(node_->store(), *snapshot, *router, options, sink_, clock_);
    Matcher other(node_->store(), *snapshot, *router, options, other_sink, clock_);
    Beacon(late, 1, "1767228000");   // t0 + 2400
    ASSERT_TRUE(late.OnInputWait().ok());
    Beacon(other, 1, "1767225600");  // t0, stored first
    ASSERT_TRUE(other.Flush().ok());
    ASSERT_TRUE(late.Flush().ok());
    ASSERT_EQ(sink_.folded.size(), 1u);
    Beacon(late, 2, "1767230600");  // t0 + 5000: outside the stored alert's window
    ASSERT_TRUE(late.Flush().ok());
    std::vector<AlertRow> stored = StoredAlerts();
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0].count, 2);
    EXPECT_EQ(stored[0].first_seen, "2026-01-01T00:00:00.000Z");
    EXPECT_EQ(stored[1].count, 1);
    EXPECT_EQ(stored[1].first_seen, "2026-01-01T01:23:20.000Z");
  }
  {
    Matcher late(node_->store(), *snapshot, *router, options, sink_, clock_);
    Matcher other(node_->store(), *snapshot, *router, options, other_sink, clock_);
    Beacon(late, 1, "1767225600", "10.0.0.6");  // t0
    Beacon(late, 2, "1767229300", "10.0.0.6");  // t0 + 3700: a second alert
    ASSERT_TRUE(late.OnInputWait().ok());
    Beacon(other, 1, "1767227400", "10.0.0.6");  // t0 + 1800, within both windows
    ASSERT_TRUE(other.Flush().ok());
    ASSERT_TRUE(late.Flush().ok());
    std::vector<AlertRow> stored = StoredAlerts();
    ASSERT_EQ(stored.size(), 4u);
    EXPECT_EQ(stored[2].count, 2);
    EXPECT_EQ(stored[2].first_seen, "2026-01-01T00:00:00.000Z");
    EXPECT_EQ(stored[3].count, 1);
    EXPECT_EQ(stored[3].first_seen, "2026-01-01T01:01:40.000Z");
    EXPECT_EQ(late.summary().continued_alerts, 1);
  }
}

// An analyst acknowledges the alert while a long stream is still counting
// into it: once the stream has written, its next hit is news again.
TEST_F(MatcherTest, AnAlertAcknowledgedWhileAStreamRunsIsNotCountedIntoAfterItsNextWrite) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  auto snapshot = Snapshot::Build(node_->store(), kNow);
  ASSERT_TRUE(snapshot.ok());
  std::unique_ptr<Router> router = MakeRouter();
  MatchOptions options;
  options.viewer = AnalystOf(node_->cert_a());
  Matcher stream(node_->store(), *snapshot, *router, options, sink_, clock_);
  auto hit = [&stream](int64_t line, const char* time) { Beacon(stream, line, time); };
  hit(1, "1767225600");
  ASSERT_TRUE(stream.OnInputIdle().ok());
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 1u);
  AuditEntry audit;
  audit.actor = "test";
  audit.action = "alert.acknowledge";
  ASSERT_TRUE(node_->store().AcknowledgeAlert(stored[0].id, "2026-01-01T00:01:00Z", "CERT-A", audit).ok());
  hit(2, "1767225610");  // counted before the stream learns of it
  ASSERT_TRUE(stream.OnInputIdle().ok());
  hit(3, "1767225620");
  hit(4, "1767225630");
  ASSERT_TRUE(stream.Flush().ok());
  stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].count, 2);
  EXPECT_FALSE(stored[0].acknowledged_at.empty());
  EXPECT_EQ(stored[1].count, 2);
  EXPECT_TRUE(stored[1].acknowledged_at.empty());
  EXPECT_EQ(stored[1].first_seen, "2026-01-01T00:00:20.000Z");
  ASSERT_EQ(sink_.alerts.size(), 2u);
  EXPECT_EQ(sink_.alerts[1]["id"], stored[1].uuid);
  EXPECT_EQ(stream.summary().alerts, 2);
}

TEST_F(MatcherTest, StoreWritesDuringAStreamKeepEveryHitsAlert) {
  // Writing to the store every alert update (flush_every 1) happens while
  // lookups are in flight; each hit must still alert once and be stored.
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"},
                                     {ObservableType::kIpv4, "203.0.113.9"}});
  std::vector<Input> inputs;
  for (int line = 1; line <= 20; ++line) {
    const std::string victim = "10.0.1." + std::to_string(line);
    inputs.push_back(line % 2 == 0 ? Input{"dns", ObservableType::kDomain, "a.evil.example", victim, ""}
                                   : Input{"conn", ObservableType::kIpv4, "203.0.113.9", victim, ""});
  }
  MatchSummary summary = Run(inputs, AnalystOf(node_->cert_a()), 3600, /*flush_every=*/1);
  EXPECT_EQ(summary.alerts, 20);
  ASSERT_EQ(sink_.alerts.size(), 20u);
  for (size_t alert_idx = 0; alert_idx < sink_.alerts.size(); ++alert_idx) {
    EXPECT_EQ(sink_.alerts[alert_idx]["source"], "test.log:" + std::to_string(alert_idx + 1));
  }
  EXPECT_EQ(StoredAlerts().size(), 20u);
}

// A stream that hands out its chunks one read at a time and, at each read
// after the first, records how many alerts the sink had by then.
class ChunkedStream final : public InputStream {
 public:
  ChunkedStream(std::vector<std::string> chunks, const CollectingSink& sink)
      : chunks_(std::move(chunks)), sink_(sink) {}
  Result<size_t> Read(char* buf, size_t max) override {
    if (on_read) on_read(reads_);
    if (reads_++ > 0) alerts_at_read_.push_back(sink_.alerts.size());
    if (next_ == chunks_.size()) return size_t{0};
    const std::string& chunk = chunks_[next_++];
    const size_t n = std::min(max, chunk.size());
    std::memcpy(buf, chunk.data(), n);
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t compressed_offset() const override { return 0; }
  uint64_t compressed_size() const override { return 0; }
  const std::vector<size_t>& alerts_at_read() const { return alerts_at_read_; }
  std::function<void(size_t read)> on_read;  // called at each read, from 0

 private:
  std::vector<std::string> chunks_;
  const CollectingSink& sink_;
  std::string name_ = "pipe";
  size_t next_ = 0;
  size_t reads_ = 0;
  std::vector<size_t> alerts_at_read_;
};

TEST_F(MatcherTest, AHitIsAlertedBeforeTheReaderWaitsForMoreInput) {
  // A live stream (a pipe from a log shipper) may go quiet right after a
  // hit: its alert must not wait for later records to push it through.
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"}});
  auto snapshot = Snapshot::Build(node_->store(), kNow);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  std::unique_ptr<Router> router = MakeRouter();
  MatchOptions options;
  options.viewer = AnalystOf(node_->cert_a());
  Matcher matcher(node_->store(), *snapshot, *router, options, sink_, clock_);
  ChunkedStream stream({"{\"q\":\"a.good.example\"}\n{\"q\":\"c2.evil.example\"}\n",
                        "{\"q\":\"b.good.example\"}\n"},
                       sink_);
  telemetry::ReaderOptions reader;
  reader.format = telemetry::Format::kNdjson;
  reader.mapping = {{"q", "domain"}};
  ASSERT_TRUE(telemetry::ReadTelemetry(stream, reader, matcher, nullptr).ok());
  ASSERT_FALSE(stream.alerts_at_read().empty());
  EXPECT_EQ(stream.alerts_at_read().front(), 1u);
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0]["source"], "pipe:2");
  EXPECT_TRUE(matcher.Flush().ok());
  EXPECT_EQ(matcher.summary().records, 3);
}

// A stream that claims at every read to have nothing more yet (a quiet
// pipe) and, at each read after the first, notes how many alerts the node
// has stored by then.
class QuietStream final : public InputStream {
 public:
  QuietStream(std::vector<std::string> chunks, Store& store) : chunks_(std::move(chunks)), store_(store) {}
  Result<size_t> Read(char* buf, size_t max) override {
    if (reads_++ > 0) {
      size_t stored = 0;
      EXPECT_TRUE(store_.ForEachAlert({}, [&](const AlertRow&) {
                          ++stored;
                          return Status::Ok();
                        })
                      .ok());
      stored_at_read_.push_back(stored);
    }
    if (next_ == chunks_.size()) return size_t{0};
    const std::string& chunk = chunks_[next_++];
    const size_t n = std::min(max, chunk.size());
    std::memcpy(buf, chunk.data(), n);
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t compressed_offset() const override { return 0; }
  uint64_t compressed_size() const override { return 0; }
  bool QuietFor(int) const override { return true; }
  const std::vector<size_t>& stored_at_read() const { return stored_at_read_; }

 private:
  std::vector<std::string> chunks_;
  Store& store_;
  std::string name_ = "pipe";
  size_t next_ = 0;
  size_t reads_ = 0;
  std::vector<size_t> stored_at_read_;
};

// `tail -f dns.log | accord match -`: a hit is on the node (REST, web UI)
// as soon as the stream goes quiet, not when 5000 alerts have gathered or
// the run ends; a stream that never goes quiet writes every few seconds.
TEST_F(MatcherTest, AlertsAreStoredWhenTheStreamGoesQuietAndEveryFewSeconds) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"}});
  auto snapshot = Snapshot::Build(node_->store(), kNow);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  std::unique_ptr<Router> router = MakeRouter();
  MatchOptions options;
  options.viewer = AnalystOf(node_->cert_a());
  telemetry::ReaderOptions reader;
  reader.format = telemetry::Format::kNdjson;
  reader.mapping = {{"q", "domain"}, {"c", "victim"}};
  {
    Matcher matcher(node_->store(), *snapshot, *router, options, sink_, clock_);
    QuietStream stream({"{\"q\":\"c2.evil.example\",\"c\":\"10.0.0.1\"}\n",
                        "{\"q\":\"b.good.example\",\"c\":\"10.0.0.1\"}\n"},
                       node_->store());
    ASSERT_TRUE(telemetry::ReadTelemetry(stream, reader, matcher, nullptr).ok());
    ASSERT_FALSE(stream.stored_at_read().empty());
    EXPECT_EQ(stream.stored_at_read().front(), 1u);
  }
  // Never quiet: written once the clock has moved on by write_every_seconds.
  options.write_every_seconds = 2;
  Matcher matcher(node_->store(), *snapshot, *router, options, sink_, clock_);
  ChunkedStream busy({"{\"q\":\"c2.evil.example\",\"c\":\"10.0.0.2\"}\n", "{\"q\":\"a.good.example\"}\n",
                      "{\"q\":\"b.good.example\"}\n"},
                     sink_);
  size_t stored_before_tick = 0;
  busy.on_read = [&](size_t read) {
    if (read == 1) stored_before_tick = StoredAlerts().size();
    if (read == 1) clock_.Advance(std::chrono::seconds(3));
    if (read == 2) {
      EXPECT_EQ(StoredAlerts().size(), 2u) << "written after 3 s";
    }
  };
  ASSERT_TRUE(telemetry::ReadTelemetry(busy, reader, matcher, nullptr).ok());
  EXPECT_EQ(stored_before_tick, 1u) << "not yet: the clock has not moved";
  EXPECT_EQ(matcher.summary().records, 3);
}

}  // namespace
}  // namespace accord::match
