// The matcher: hits become alerts that name only readable events, carry the
// most restrictive TLP, are routed by constituency or GeoIP country, fold
// repeats within the window, and are stored with sightings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "match/matcher_testing.h"

namespace accord::match {
namespace {

using nlohmann::json;

// Loggers that write epoch milliseconds (Elastic, Kafka) or nanoseconds
// (Go) date their alerts as well as those writing seconds or RFC 3339.
TEST_F(MatcherTest, EpochMillisecondsAndNanosecondsDateTheAlert) {
  TestNode::EventSpec spec;
  spec.tags = {"tlp:green"};
  node_->AddEvent(spec, {{ObservableType::kDomain, "evil.example"}});
  Run({{"dns", ObservableType::kDomain, "a.evil.example", "10.0.0.5", "1767225600123"},
       {"dns", ObservableType::kDomain, "b.evil.example", "10.0.0.6", "1767225660123456789"},
       {"dns", ObservableType::kDomain, "c.evil.example", "10.0.0.7", "2026-01-01T00:02:00Z"}},
      AnalystOf(node_->cert_a()));
  ASSERT_EQ(sink_.alerts.size(), 3u);
  EXPECT_EQ(sink_.alerts[0]["first_seen"], "2026-01-01T00:00:00.123Z");
  EXPECT_EQ(sink_.alerts[1]["first_seen"], "2026-01-01T00:01:00.123Z");
  EXPECT_EQ(sink_.alerts[2]["first_seen"], "2026-01-01T00:02:00.000Z");
}

// A feed's malware column names a family for one value: its alert names
// it beside the families of the events' tags, and the summary counts it.
TEST_F(MatcherTest, AFamilyTheSourceNamesForTheValueIsInItsAlertBesideItsEventsTagFamilies) {
  TestNode::EventSpec feed;
  feed.title = "ThreatFox";
  feed.family = "Lumma Stealer";
  node_->AddEvent(feed, {{ObservableType::kDomain, "c2.example"}});
  TestNode::EventSpec report;
  report.title = "RedLine case";
  report.tags = {"malware:redline"};
  node_->AddEvent(report, {{ObservableType::kDomain, "c2.example"}, {ObservableType::kDomain, "plain.example"}});
  MatchSummary summary = Run({{"dns", ObservableType::kDomain, "c2.example", "10.0.0.5", "1767225600"},
                              {"dns", ObservableType::kDomain, "plain.example", "10.0.0.5", "1767225600"}},
                             AnalystOf(node_->cert_a()));
  ASSERT_EQ(sink_.alerts.size(), 2u);
  const json& both = sink_.alerts[0];
  EXPECT_EQ(both["families"], json::array({"Lumma Stealer", "redline"}));
  ASSERT_EQ(both["events"].size(), 2u);
  EXPECT_EQ(both["events"][0]["value_families"], json::array({"Lumma Stealer"}));
  EXPECT_FALSE(both["events"][1].contains("value_families"));
  EXPECT_EQ(sink_.alerts[1]["families"], json::array({"redline"}));
  EXPECT_EQ(summary.by_family.at("Lumma Stealer"), 1);
  EXPECT_EQ(summary.by_family.at("redline"), 2);
}

TEST_F(MatcherTest, DnsHitOnAParentDomainBecomesARoutedAlertWithItsEvents) {
  TestNode::EventSpec spec;
  spec.title = "RedLine C2";
  spec.tags = {"malware:redline", "tlp:green"};
  const std::string event = node_->AddEvent(spec, {{ObservableType::kDomain, "evil.example"}});
  MatchSummary summary =
      Run({{"dns", ObservableType::kDomain, "cdn.evil.example", "10.0.0.5", "1767225600.5"}},
          AnalystOf(node_->cert_a()));
  ASSERT_EQ(sink_.alerts.size(), 1u);
  const json& alert = sink_.alerts[0];
  EXPECT_EQ(alert["matched"], "evil.example");
  EXPECT_EQ(alert["type"], "domain");
  EXPECT_EQ(alert["seen"], "cdn.evil.example");
  EXPECT_EQ(alert["source"], "test.log:1");
  EXPECT_EQ(alert["offset"], 100);
  EXPECT_EQ(alert["kind"], "dns");
  EXPECT_EQ(alert["tlp"], "green");
  ASSERT_EQ(alert["events"].size(), 1u);
  EXPECT_EQ(alert["events"][0]["uuid"], event);
  EXPECT_EQ(alert["events"][0]["title"], "RedLine C2");
  EXPECT_EQ(alert["families"], json::array({"redline"}));
  EXPECT_EQ(alert["victim"], "10.0.0.5");
  EXPECT_EQ(alert["country"], "DE");
  EXPECT_EQ(alert["organisation"], "CERT-A");
  EXPECT_EQ(alert["first_seen"], "2026-01-01T00:00:00.500Z");
  EXPECT_EQ(summary.alerts, 1);
  EXPECT_EQ(summary.by_family.at("redline"), 1);
  EXPECT_EQ(summary.by_country.at("DE"), 1);
  EXPECT_EQ(summary.by_indicator.at("domain evil.example"), 1);

  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].uuid, alert["id"]);
  EXPECT_EQ(stored[0].routed_org_id, node_->cert_a());
  EXPECT_TRUE(stored[0].routed_reads);
  EXPECT_EQ(json::parse(stored[0].json)["matched"], "evil.example");
}

// "Warning-list values never alert": a live network or parent domain that
// holds a listed value does not alert on that value, only on the others.
TEST_F(MatcherTest, AValueOnAWarningListDoesNotAlertThroughALiveNetworkOrParentDomain) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kCidr, "8.8.8.0/24"},
                                     {ObservableType::kDomain, "google.example"}});
  WarningListRecord resolvers;
  resolvers.name = "public resolvers";
  resolvers.type = "cidr";
  resolvers.version = 1;
  resolvers.entries = {"8.8.8.8"};
  WarningListRecord hosts;
  hosts.name = "mail hosts";
  hosts.type = "hostname";
  hosts.version = 1;
  hosts.entries = {"mail.google.example"};
  AuditEntry audit;
  audit.actor = "test";
  audit.action = "warninglist.add";
  for (const WarningListRecord& list : {resolvers, hosts}) {
    auto applied = node_->store().ReplaceWarningList(
        list, [](const Observable&, const std::string&) { return std::string(); },
        [&](const Store::WarningListChanges&) { return audit; });
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  }
  MatchSummary summary =
      Run({{"conn", ObservableType::kIpv4, "8.8.8.8", "10.0.0.5", "1767225600"},
           {"conn", ObservableType::kIpv4, "8.8.8.9", "10.0.0.5", "1767225600"},
           {"dns", ObservableType::kDomain, "mail.google.example", "10.0.0.5", "1767225600"},
           {"dns", ObservableType::kDomain, "c2.google.example", "10.0.0.5", "1767225600"}},
          AnalystOf(node_->cert_a()));
  ASSERT_EQ(sink_.alerts.size(), 2u);
  EXPECT_EQ(sink_.alerts[0]["seen"], "8.8.8.9");
  EXPECT_EQ(sink_.alerts[1]["seen"], "c2.google.example");
  EXPECT_EQ(summary.warning_listed, 2);
}

// The server hands each snapshot the lists it compiled once; the snapshot
// uses that matcher instead of reading the store's lists again.
TEST_F(MatcherTest, ASnapshotUsesTheWarningListsItIsGiven) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kCidr, "8.8.8.0/24"}});
  WarningListRecord resolvers;
  resolvers.name = "given resolvers";
  resolvers.type = "cidr";
  resolvers.entries = {"8.8.8.8"};
  std::shared_ptr<const WarningListMatcher> given = WarningListMatcher::Build({resolvers});
  MatchSummary summary = Run({{"conn", ObservableType::kIpv4, "8.8.8.8", "10.0.0.5", "1767225600"},
                              {"conn", ObservableType::kIpv4, "8.8.8.9", "10.0.0.5", "1767225600"}},
                             AnalystOf(node_->cert_a()), 3600, 5000, given);
  EXPECT_EQ(summary.warning_listed, 1) << "the store holds no list: only the given one can drop 8.8.8.8";
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0]["seen"], "8.8.8.9");
}

TEST_F(MatcherTest, RepeatsWithinTheWindowFoldIntoOneAlertAndSightingsAreWritten) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  const Principal viewer = AnalystOf(node_->cert_a());
  MatchSummary summary = Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225600"},
                              {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225700"},
                              {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767226000"},
                              {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.6", "1767226000"},
                              {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767235600"}},
                             viewer, /*window=*/3600);
  EXPECT_EQ(summary.hits, 5);
  EXPECT_EQ(summary.alerts, 3);  // .5 twice (window passed), .6 once
  ASSERT_EQ(sink_.alerts.size(), 3u);
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].victim, "10.0.0.5");
  EXPECT_EQ(stored[0].count, 3);
  EXPECT_EQ(stored[0].last_seen, "2026-01-01T00:06:40.000Z");
  EXPECT_EQ(stored[1].count, 1);
  auto info = node_->store().LookupObservable({ObservableType::kIpv4, "203.0.113.9"});
  ASSERT_TRUE(info.ok() && info->has_value());
  int64_t sighted = 0;
  for (const Sighting& sighting : (*info)->sightings) sighted += sighting.count;
  EXPECT_EQ(sighted, 5);
}

// Merged sensors' logs come out of order: a hit back within an earlier
// alert's window counts into that alert, not into a third.
TEST_F(MatcherTest, AHitReadOutOfOrderCountsIntoTheAlertWhoseWindowItFallsIn) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  MatchSummary summary = Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225600"},   // 00:00
                              {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767218400"},   // -2 h
                              {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767227400"}},  // +30 min
                             AnalystOf(node_->cert_a()), /*window=*/3600);
  EXPECT_EQ(summary.hits, 3);
  EXPECT_EQ(summary.alerts, 2);
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 2u);
  std::map<std::string, int64_t> count_by_first_seen;
  for (const AlertRow& row : stored) count_by_first_seen[row.first_seen] = row.count;
  EXPECT_EQ(count_by_first_seen, (std::map<std::string, int64_t>{{"2025-12-31T22:00:00.000Z", 1},
                                                                 {"2026-01-01T00:00:00.000Z", 2}}));
}

// One host written three ways is one victim: one alert, one sighting row.
TEST_F(MatcherTest, AVictimsAddressIsOneVictimHoweverItIsWritten) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  MatchSummary summary =
      Run({{"conn", ObservableType::kIpv4, "203.0.113.9", "2001:DB8::1", "1767225600"},
           {"conn", ObservableType::kIpv4, "203.0.113.9", "2001:db8:0:0::1", "1767225601"},
           {"conn", ObservableType::kIpv4, "203.0.113.9", "[2001:db8::1]", "1767225602"},
           {"conn", ObservableType::kIpv4, "203.0.113.9", "::ffff:10.0.0.5", "1767225603"},
           {"conn", ObservableType::kIpv4, "203.0.113.9", "10.0.0.5", "1767225604"}},
          AnalystOf(node_->cert_a()));
  EXPECT_EQ(summary.hits, 5);
  EXPECT_EQ(summary.alerts, 2);
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].victim, "2001:db8::1");
  EXPECT_EQ(stored[0].count, 3);
  EXPECT_EQ(stored[1].victim, "10.0.0.5");
  EXPECT_EQ(stored[1].count, 2);
  EXPECT_EQ(stored[1].country, "DE");  // the mapped address routes as IPv4
}

// A record naming the indicator twice for one victim (a query and its CNAME
// under one listed domain, a text line repeating a URL) is one hit.
TEST_F(MatcherTest, AnIndicatorTwiceInOneRecordIsOneHit) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"}});
  auto snapshot = Snapshot::Build(node_->store(), kNow);
  ASSERT_TRUE(snapshot.ok());
  std::unique_ptr<Router> router = MakeRouter();
  MatchOptions options;
  options.viewer = AnalystOf(node_->cert_a());
  Matcher matcher(node_->store(), *snapshot, *router, options, sink_, clock_);
  for (int64_t line = 1; line <= 2; ++line) {
    telemetry::Record record;
    record.source = "dns.log";
    record.line = line;
    record.offset = line * 80;
    record.kind = "dns";
    record.timestamp = "1767225600";
    record.candidates.push_back({ObservableType::kDomain, "www.evil.example", "10.0.0.5"});
    record.candidates.push_back({ObservableType::kDomain, "cdn.evil.example", "10.0.0.5"});
    record.candidates.push_back({ObservableType::kDomain, "evil.example", "10.0.0.6"});
    ASSERT_TRUE(matcher.OnRecord(record).ok());
  }
  ASSERT_TRUE(matcher.Flush().ok());
  // Per record: .5 once, .6 once; the second record counts again.
  EXPECT_EQ(matcher.summary().hits, 4);
  EXPECT_EQ(matcher.summary().alerts, 2);
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].count, 2);
  EXPECT_EQ(stored[1].count, 2);
}

TEST_F(MatcherTest, ARegisteredConstituencyWinsOverTheCountry) {
  const int64_t cert_b = node_->AddOrganisation("CERT-B", "DE", "cert");
  ASSERT_TRUE(node_->store().AddConstituency(cert_b, "10.1.0.0/16").ok());
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"}});
  Run({{"dns", ObservableType::kDomain, "evil.example", "10.1.2.3", ""},
       {"dns", ObservableType::kDomain, "evil.example", "10.2.0.1", ""},
       {"dns", ObservableType::kDomain, "evil.example", "192.0.2.1", ""},
       {"dns", ObservableType::kDomain, "evil.example", "", ""}},
      AnalystOf(node_->cert_a()));
  ASSERT_EQ(sink_.alerts.size(), 4u);
  EXPECT_EQ(sink_.alerts[0]["organisation"], "CERT-B");
  EXPECT_EQ(sink_.alerts[1]["organisation"], "CERT-A");  // DE by country, the older CERT
  EXPECT_EQ(sink_.alerts[2]["country"], "FR");
  EXPECT_EQ(sink_.alerts[2]["organisation"], "");        // nobody answers for FR here
  EXPECT_EQ(sink_.alerts[3]["country"], "");             // no victim address at all
}

// An organisation that registered networks answers for them, not for its
// whole country: the country's alerts go to another of its CERTs or police
// units (a university CERT's /16 made it every French alert's
// organisation, the national police unit's included), never to a private
// partner while an authority is there.
TEST_F(MatcherTest, AnOrganisationWithRegisteredNetworksIsNotItsCountrysCatchAll) {
  const int64_t campus = node_->AddOrganisation("CERT-Campus", "FR", "cert");
  ASSERT_TRUE(node_->store().AddConstituency(campus, "10.9.0.0/16").ok());
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"}});
  auto route = [&](const std::string& victim) {
    sink_.alerts.clear();
    Run({{"dns", ObservableType::kDomain, "evil.example", victim, ""}}, AnalystOf(node_->cert_a()));
    return sink_.alerts.empty() ? std::string("no alert") : sink_.alerts[0]["organisation"].get<std::string>();
  };
  EXPECT_EQ(route("192.0.2.1"), "CERT-Campus") << "alone in FR, it still answers for the country";
  node_->AddOrganisation("Hoster-FR", "FR", "private-partner");
  EXPECT_EQ(route("192.0.2.3"), "CERT-Campus") << "a private partner is no country's authority";
  node_->AddOrganisation("Police-FR", "FR", "law-enforcement");
  EXPECT_EQ(route("192.0.2.2"), "Police-FR");
  EXPECT_EQ(route("10.9.1.1"), "CERT-Campus");
}

TEST_F(MatcherTest, AlertsNameOnlyReadableEventsAndTakeTheirMostRestrictiveTlp) {
  const int64_t other = node_->AddOrganisation("Vendor", "US", "private-partner");
  TestNode::EventSpec strict;
  strict.tlp = Tlp::kAmberStrict;
  strict.owner = other;
  strict.title = "vendor only";
  node_->AddEvent(strict, {{ObservableType::kDomain, "secret.example"},
                           {ObservableType::kDomain, "shared.example"}});
  TestNode::EventSpec amber;
  amber.tlp = Tlp::kAmber;
  amber.title = "ours";
  node_->AddEvent(amber, {{ObservableType::kDomain, "shared.example"}});
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "shared.example"}});

  MatchSummary summary = Run({{"dns", ObservableType::kDomain, "secret.example", "10.0.0.1", ""},
                              {"dns", ObservableType::kDomain, "shared.example", "10.0.0.1", ""}},
                             AnalystOf(node_->cert_a()));
  EXPECT_EQ(summary.unreadable_hits, 1);
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0]["matched"], "shared.example");
  EXPECT_EQ(sink_.alerts[0]["tlp"], "amber");
  EXPECT_EQ(sink_.alerts[0]["events"].size(), 2u);
  for (const json& event : sink_.alerts[0]["events"]) EXPECT_NE(event["title"], "vendor only");
}

// An address inside another organisation's narrower network, which the
// viewer may not read, and inside the viewer's own broader one alerts on
// the broader one (it alerted on nothing: the longest network hid it).
// Only the longest readable network alerts, for IPv4 and IPv6.
TEST_F(MatcherTest, AnUnreadableNarrowerNetworkDoesNotHideAReadableBroaderOne) {
  const int64_t other = node_->AddOrganisation("BKA", "DE", "law-enforcement");
  TestNode::EventSpec theirs;
  theirs.tlp = Tlp::kAmber;
  theirs.owner = other;
  theirs.title = "their case";
  node_->AddEvent(theirs, {{ObservableType::kCidr, "203.0.113.128/25"},
                           {ObservableType::kCidr, "2001:db8:dead:beef::/64"}});
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kCidr, "203.0.113.0/24"},
                                     {ObservableType::kCidr, "203.0.0.0/16"},
                                     {ObservableType::kCidr, "2001:db8:dead::/48"}});
  MatchSummary summary = Run({{"conn", ObservableType::kIpv4, "203.0.113.200", "10.0.0.1", ""},
                              {"conn", ObservableType::kIpv6, "2001:db8:dead:beef::1", "10.0.0.1", ""},
                              {"conn", ObservableType::kIpv4, "203.0.113.5", "10.0.0.2", ""}},
                             AnalystOf(node_->cert_a()));
  EXPECT_EQ(summary.unreadable_hits, 2);
  std::vector<std::string> matched;
  for (const json& alert : sink_.alerts) matched.push_back(alert["matched"].get<std::string>() + " " +
                                                           alert["victim"].get<std::string>());
  std::sort(matched.begin(), matched.end());
  EXPECT_EQ(matched, (std::vector<std::string>{"2001:db8:dead::/48 10.0.0.1", "203.0.113.0/24 10.0.0.1",
                                               "203.0.113.0/24 10.0.0.2"}));
}

TEST_F(MatcherTest, RoutingNeverWidensAnEventsAudience) {
  const int64_t cert_b = node_->AddOrganisation("CERT-B", "FR", "cert");
  TestNode::EventSpec amber;
  amber.tlp = Tlp::kAmber;  // CERT-A's, naming nobody: CERT-B may not read it
  node_->AddEvent(amber, {{ObservableType::kDomain, "amber.example"}});
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "green.example"}});
  Run({{"dns", ObservableType::kDomain, "amber.example", "192.0.2.1", ""},
       {"dns", ObservableType::kDomain, "green.example", "192.0.2.1", ""}},
      AnalystOf(node_->cert_a()));
  std::vector<AlertRow> stored = StoredAlerts();
  ASSERT_EQ(stored.size(), 2u);
  for (const AlertRow& row : stored) EXPECT_EQ(row.routed_org_id, cert_b);
  EXPECT_FALSE(stored[0].routed_reads);
  EXPECT_TRUE(stored[1].routed_reads);
}

TEST_F(MatcherTest, ValuesThatDoNotParseAreSkippedNotFatal) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kIpv4, "203.0.113.9"}});
  MatchSummary summary = Run({{"conn", ObservableType::kIpv4, "999.1.1.1", "10.0.0.5", ""},
                              {"conn", ObservableType::kIpv4, "203.0.113.9", "not-an-ip", "garbage"},
                              {"dns", ObservableType::kDomain, std::string(300, 'a'), "", ""}},
                             AnalystOf(node_->cert_a()));
  EXPECT_EQ(summary.records, 3);
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0]["country"], "");
}

TEST_F(MatcherTest, HitsAmongManyRecordsAlertInRecordOrderWithTheirOwnRecordsDetails) {
  // Lookups run a few candidates behind the records that bring them: each
  // alert must still carry its own record's line, time, value and victim,
  // including hits in the last records, finished only by Flush.
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kDomain, "evil.example"},
                                     {ObservableType::kIpv4, "203.0.113.9"}});
  std::vector<Input> inputs;
  std::vector<int> hit_lines;
  for (int line = 1; line <= 40; ++line) {
    const std::string victim = "10.0.0." + std::to_string(line);
    const std::string time = std::to_string(1767225600 + line);
    if (line == 3 || line == 4 || line == 21 || line == 40) {
      hit_lines.push_back(line);
      inputs.push_back({"dns", ObservableType::kDomain, "Host" + std::to_string(line) + ".EVIL.example.",
                        victim, time});
    } else if (line == 38) {
      hit_lines.push_back(line);
      inputs.push_back({"conn", ObservableType::kIpv4, "203.0.113.9", victim, time});
    } else {
      inputs.push_back({"dns", ObservableType::kDomain, "host" + std::to_string(line) + ".good.example",
                        victim, time});
    }
  }
  MatchSummary summary = Run(inputs, AnalystOf(node_->cert_a()));
  EXPECT_EQ(summary.records, 40);
  ASSERT_EQ(sink_.alerts.size(), hit_lines.size());
  for (size_t alert_idx = 0; alert_idx < hit_lines.size(); ++alert_idx) {
    const int line = hit_lines[alert_idx];
    const json& alert = sink_.alerts[alert_idx];
    EXPECT_EQ(alert["source"], "test.log:" + std::to_string(line));
    EXPECT_EQ(alert["offset"], line * 100);
    EXPECT_EQ(alert["victim"], "10.0.0." + std::to_string(line));
    EXPECT_EQ(alert["first_seen"], FormatTimestamp(TimePoint(std::chrono::seconds(1767225600 + line))));
    if (line == 38) {
      EXPECT_EQ(alert["kind"], "conn");
      EXPECT_EQ(alert["matched"], "203.0.113.9");
      EXPECT_EQ(alert["seen"], "203.0.113.9");
    } else {
      EXPECT_EQ(alert["kind"], "dns");
      EXPECT_EQ(alert["matched"], "evil.example");
      EXPECT_EQ(alert["seen"], "Host" + std::to_string(line) + ".EVIL.example.");
    }
  }
}

// The URL rebuilt from a sensor's host, port and path is compared with
// indicators as the normalizer writes them (no :80 for http): a request to
// port 8080 hits the port-8080 URL, never the port-80 one, and Zeek's and
// Suricata's lines agree.
TEST_F(MatcherTest, HttpOnANonDefaultPortHitsOnlyTheUrlWithThatPort) {
  node_->AddIndicators(Tlp::kGreen, {{ObservableType::kUrl, "http://evil.example/gate.php"},
                                     {ObservableType::kUrl, "http://portbad.example:8080/c2.php"}});
  auto snapshot = Snapshot::Build(node_->store(), kNow);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  std::unique_ptr<Router> router = MakeRouter();
  MatchOptions options;
  options.viewer = AnalystOf(node_->cert_a());
  Matcher matcher(node_->store(), *snapshot, *router, options, sink_, clock_);
  const std::string eve =
      R"({"event_type":"http","src_ip":"10.0.0.5","dest_ip":"192.0.2.60","dest_port":8080,"http":{"hostname":"evil.example","http_port":8080,"url":"/gate.php"}})" "\n"
      R"({"event_type":"http","src_ip":"10.0.0.6","dest_ip":"192.0.2.60","dest_port":8080,"http":{"hostname":"portbad.example","url":"/c2.php"}})" "\n"
      R"({"event_type":"http","src_ip":"10.0.0.7","dest_ip":"192.0.2.61","dest_port":80,"http":{"hostname":"evil.example","url":"/gate.php"}})" "\n";
  const std::string zeek =
      R"({"_path":"http","id.orig_h":"10.0.0.8","id.resp_h":"192.0.2.60","id.resp_p":8080,"host":"portbad.example","uri":"/c2.php"})" "\n"
      R"({"_path":"http","id.orig_h":"10.0.0.9","id.resp_h":"192.0.2.60","id.resp_p":8080,"host":"evil.example","uri":"/gate.php"})" "\n";
  for (const auto& [name, bytes] : {std::pair{"eve.json", eve}, std::pair{"http.json", zeek}}) {
    auto in = OpenInputFromMemory(name, bytes);
    ASSERT_TRUE(in.ok());
    ASSERT_TRUE(telemetry::ReadTelemetry(**in, {}, matcher, nullptr).ok());
  }
  ASSERT_TRUE(matcher.Flush().ok());
  std::vector<std::string> hits;
  for (const json& alert : sink_.alerts) {
    hits.push_back(alert["victim"].get<std::string>() + " " + alert["matched"].get<std::string>());
  }
  EXPECT_THAT(hits, ::testing::UnorderedElementsAre("10.0.0.6 http://portbad.example:8080/c2.php",
                                                    "10.0.0.7 http://evil.example/gate.php",
                                                    "10.0.0.8 http://portbad.example:8080/c2.php"));
}

}  // namespace
}  // namespace accord::match
