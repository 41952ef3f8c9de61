// For the matcher tests: a sink that keeps each alert as JSON, and a
// fixture with a node, a two-range GeoIP file and a run of records through
// one Matcher.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "match/match.h"
#include "match/match_testing.h"
#include "misp/misp.h"
#include "testing/testing.h"

namespace accord::match {

class CollectingSink final : public AlertSink {
 public:
  Status OnAlert(const Alert& alert) override {
    alerts.push_back(nlohmann::json::parse(alert.ToJson()));
    return Status::Ok();
  }
  Status OnFolded(const std::string& reported_uuid, const Alert& alert) override {
    folded.emplace_back(reported_uuid, alert.uuid);
    return Status::Ok();
  }
  Status OnStored(const Alert& alert) override {
    stored.push_back(alert.uuid);
    return Status::Ok();
  }
  std::vector<nlohmann::json> alerts;
  std::vector<std::pair<std::string, std::string>> folded;  // reported uuid, stored uuid
  std::vector<std::string> stored;  // uuids stored as new
};

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = std::make_unique<TestNode>(dir_.Join("node"));
    // A two-range GeoIP file in Tor's format: 10.0.0.0/8 is DE, 192.0.2.0/24 FR.
    accord::testing::WriteFile(dir_.Join("geoip"),
                               "# test ranges\n167772160,184549375,DE\n3221225984,3221226239,FR\n");
  }

  std::unique_ptr<Router> MakeRouter() {
    auto geo = geo::OpenTorRanges(dir_.Join("geoip"), "");
    EXPECT_TRUE(geo.ok()) << geo.status().ToString();
    auto router = Router::Create(node_->store(), std::move(geo).value());
    EXPECT_TRUE(router.ok()) << router.status().ToString();
    return std::move(router).value();
  }

  // Runs `records` (kind, value type, value, victim, zeek-style time) through
  // a matcher that sees as `viewer`.
  struct Input {
    std::string kind;
    ObservableType type;
    std::string value;
    std::string victim;
    std::string time;
  };
  MatchSummary Run(const std::vector<Input>& inputs, Principal viewer, int64_t window = 3600,
                   size_t flush_every = 5000, std::shared_ptr<const WarningListMatcher> adopted = nullptr) {
    auto snapshot = Snapshot::Build(node_->store(), kNow);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    if (adopted) (*snapshot)->AdoptWarningLists(std::move(adopted));
    std::unique_ptr<Router> router = MakeRouter();
    MatchOptions options;
    options.viewer = viewer;
    options.window_seconds = window;
    options.flush_every = flush_every;
    Matcher matcher(node_->store(), *snapshot, *router, options, sink_, clock_);
    int64_t line = 0;
    for (const Input& input : inputs) {
      telemetry::Record record;
      record.source = "test.log";
      record.line = ++line;
      record.offset = line * 100;
      record.kind = input.kind;
      record.timestamp = input.time;
      record.candidates.push_back({input.type, input.value, input.victim});
      EXPECT_TRUE(matcher.OnRecord(record).ok());
    }
    EXPECT_TRUE(matcher.Flush().ok());
    return matcher.summary();
  }

  std::vector<AlertRow> StoredAlerts() {
    std::vector<AlertRow> rows;
    EXPECT_TRUE(node_->store()
                    .ForEachAlert({}, [&](const AlertRow& row) {
                      rows.push_back(row);
                      return Status::Ok();
                    })
                    .ok());
    return rows;
  }

  Principal AnalystOf(int64_t org) { return {org, Role::kAnalyst}; }

  accord::testing::TempDir dir_;
  std::unique_ptr<TestNode> node_;
  accord::testing::ManualClock clock_{kNow};
  CollectingSink sink_;
};

}  // namespace accord::match
