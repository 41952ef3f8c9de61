// The import and export pipeline end to end on a real SQLite store.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "testing/testing.h"

namespace accord {
namespace {

class ExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    owner_ = CreateOrg("Owner CERT");
    other_ = CreateOrg("Other Police");
  }

  int64_t CreateOrg(const std::string& name) {
    Organisation org;
    org.uuid = UuidV4();
    org.name = name;
    org.country = "FR";
    org.kind = "cert";
    org.created = "2026-01-01T00:00:00.000Z";
    auto created = store_->CreateOrganisation(org);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  ImportReport Import(const std::string& name, const std::string& content,
                      Tlp tlp = Tlp::kAmber, size_t batch = 20000) {
    std::string path = dir_.Join(name);
    testing::WriteFile(path, content);
    ImportOptions options;
    options.owner_org_id = owner_;
    options.default_tlp = tlp;
    options.batch_size = batch;
    options.on_reject = [this](const Rejection& r) { rejections_.push_back(r); };
    ImportReport report;
    last_status_ = ImportFile(*store_, path, options, &report);
    EXPECT_TRUE(last_status_.ok()) << last_status_.ToString();
    return report;
  }

  std::string ExportAs(int64_t org, ExportFormat format) {
    ExportOptions options;
    options.format = format;
    options.viewer = {org, Role::kAnalyst};
    std::ostringstream out;
    Status s = Export(*store_, options, out, nullptr);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  int64_t owner_ = 0, other_ = 0;
  std::vector<Rejection> rejections_;
  Status last_status_;
};

TEST_F(ExchangeTest, ListImportCountsNewKnownAndRejectedWithLines) {
  auto report = Import("list.txt", "192.0.2.1\nevil.example\nnot an indicator\n192.0.2.1\n");
  EXPECT_EQ(report.format, InputFormat::kList);
  EXPECT_EQ(report.new_values, 2);
  EXPECT_EQ(report.known_values, 1);
  EXPECT_EQ(report.rejected, 1);
  ASSERT_EQ(rejections_.size(), 1u);
  EXPECT_EQ(rejections_[0].location, "list.txt:3");
  EXPECT_EQ(rejections_[0].value, "not an indicator");
}

TEST_F(ExchangeTest, SecondImportOfTheSameFileAddsNothing) {
  const std::string content = "type,value\nipv4,192.0.2.1\ndomain,evil.example\n";
  Import("feed.csv", content);
  auto before = store_->Counts("2026-06-01T00:00:00.000Z");
  ASSERT_TRUE(before.ok());
  auto second = Import("feed.csv", content);
  EXPECT_EQ(second.new_values, 0);
  EXPECT_EQ(second.known_values, 2);
  EXPECT_EQ(second.links_added, 0);
  auto after = store_->Counts("2026-06-01T00:00:00.000Z");
  EXPECT_EQ(after->events, before->events);
  EXPECT_EQ(after->links, before->links);
  EXPECT_EQ(after->observables, before->observables);
}

TEST_F(ExchangeTest, ReimportKeepsTheTlpTagsAndRecipientsItDoesNotState) {
  Import("feed.txt", "192.0.2.1\n", Tlp::kRed);
  auto events = store_->GetEvent(UuidV5(kAccordUuidNamespace, fmt::format("list:{}:feed.txt", owner_)));
  ASSERT_TRUE(events.ok() && events->has_value());
  // The owner narrows it by hand: tags and a named recipient.
  {
    auto batch = store_->BeginImport().value();
    EventRecord edited;
    edited.uuid = (*events)->uuid;
    edited.title = (*events)->title;
    edited.tags = {"op:heron"};
    ASSERT_TRUE(batch->UpsertEvent(edited, Tlp::kRed, owner_, {other_}).ok());
    ASSERT_TRUE(batch->Commit().ok());
  }
  // The feed comes again with the import's default (unmarked data).
  auto again = Import("feed.txt", "192.0.2.1\n192.0.2.2\n", Tlp::kGreen);
  EXPECT_EQ(again.new_values, 1);
  auto after = store_->GetEvent((*events)->uuid).value();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->tlp, Tlp::kRed);
  EXPECT_EQ(after->tags, std::vector<std::string>{"op:heron"});
  EXPECT_EQ(after->recipient_org_ids, std::vector<int64_t>{other_});
}

TEST_F(ExchangeTest, SharedValueCorrelatesEventsFromDifferentFormats) {
  Import("a.txt", "evil.example\n192.0.2.7\n");
  Import("b.csv", "type,value\ndomain,EVIL.example.\n");
  auto info = store_->LookupObservable({ObservableType::kDomain, "evil.example"});
  ASSERT_TRUE(info.ok());
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->events.size(), 2u);
  auto lone = store_->LookupObservable({ObservableType::kIpv4, "192.0.2.7"});
  ASSERT_TRUE(lone.ok() && lone->has_value());
  EXPECT_EQ((*lone)->events.size(), 1u);
}

TEST_F(ExchangeTest, WarningListedValuesAreFlaggedAndNeverLive) {
  testing::WriteFile(dir_.Join("wl.json"),
                     R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                     R"("matching_attributes":["ip-dst"],"list":["192.0.2.53/32","198.51.100.0/24"]})");
  Import("before.txt", "198.51.100.9\n203.0.113.1\n");
  auto added = AddWarningList(*store_, dir_.Join("wl.json"), "test");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->entries, 2);
  EXPECT_EQ(added->flagged, 1);  // 198.51.100.9, stored before the list came
  auto report = Import("after.txt", "192.0.2.53\n");
  EXPECT_EQ(report.warninglisted, 1);
  auto counts = store_->Counts("2026-06-01T00:00:00.000Z");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->observables, 3);
  EXPECT_EQ(counts->live_indicators, 1);  // only 203.0.113.1
}

TEST_F(ExchangeTest, FailedFileKeepsOnlyCommittedBatches) {
  // Three values a batch; the fatal error (an unterminated quote) comes on
  // line 9, after two full batches were committed.
  std::string csv = "value\n";
  for (int i = 1; i <= 7; ++i) csv += "192.0.2." + std::to_string(i) + "\n";
  csv += "\"198.51.100.1\n";
  std::string path = dir_.Join("broken.csv");
  testing::WriteFile(path, csv);
  ImportOptions options;
  options.owner_org_id = owner_;
  options.batch_size = 3;
  ImportReport report;
  Status s = ImportFile(*store_, path, options, &report);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("broken.csv:9: unterminated"), std::string::npos) << s.ToString();
  EXPECT_EQ(report.batches_committed, 2);
  EXPECT_EQ(report.values_committed, 6);
  auto counts = store_->Counts("2026-06-01T00:00:00.000Z");
  EXPECT_EQ(counts->observables, 6);  // the 7th was in the rolled-back batch
}

// A clock that moves a second forward every time it is read.
class TickingClock final : public Clock {
 public:
  TimePoint Now() const override { return now_ += std::chrono::seconds(1); }

 private:
  mutable TimePoint now_{};
};

TEST_F(ExchangeTest, ABatchAlsoCommitsWhenItHasBeenOpenTooLong) {
  // 1,000 values, far below batch_size. The clock is read when a batch
  // begins and every 256 values; each read is a second later, so with a
  // one-second limit every 256 values commit, and with none, one batch.
  std::string list;
  for (int value = 0; value < 1000; ++value) {
    list += fmt::format("10.{}.{}.1\n", value / 250, value % 250);
  }
  std::string path = dir_.Join("timed.txt");
  testing::WriteFile(path, list);
  TickingClock clock;
  ImportOptions options;
  options.owner_org_id = owner_;
  options.clock = &clock;
  options.batch_seconds = 1;
  ImportReport timed;
  ASSERT_TRUE(ImportFile(*store_, path, options, &timed).ok());
  EXPECT_EQ(timed.new_values, 1000);
  EXPECT_EQ(timed.batches_committed, 4);  // 3 by time (768 values), then the last

  options.batch_seconds = 0;  // no time limit
  ImportReport untimed;
  ASSERT_TRUE(ImportFile(*store_, path, options, &untimed).ok());
  EXPECT_EQ(untimed.known_values, 1000);
  EXPECT_EQ(untimed.batches_committed, 1);
}

TEST_F(ExchangeTest, ExportShowsOnlyWhatTheViewerMayRead) {
  Import("amber.txt", "192.0.2.10\n", Tlp::kAmber);
  Import("green.txt", "192.0.2.20\n", Tlp::kGreen);
  std::string mine = ExportAs(owner_, ExportFormat::kCsv);
  std::string theirs = ExportAs(other_, ExportFormat::kCsv);
  EXPECT_NE(mine.find("192.0.2.10"), std::string::npos);
  EXPECT_NE(mine.find("192.0.2.20"), std::string::npos);
  EXPECT_EQ(theirs.find("192.0.2.10"), std::string::npos);
  EXPECT_NE(theirs.find("192.0.2.20"), std::string::npos);
  std::string stix = ExportAs(other_, ExportFormat::kStix);
  EXPECT_EQ(stix.find("192.0.2.10"), std::string::npos);
  EXPECT_NE(stix.find("192.0.2.20"), std::string::npos);
  EXPECT_NE(stix.find("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"), std::string::npos);
}




TEST_F(ExchangeTest, CsvRoundTripKeepsEventsValuesAndContext) {
  Import("feed.csv",
         "type,value,role,confidence,valid_until,comment\n"
         "ipv4,192.0.2.1,c2,80,2027-01-01,first\n"
         "url,http://evil.example/a,payload-delivery,40,,second\n",
         Tlp::kGreen);
  std::string exported = ExportAs(owner_, ExportFormat::kCsv);

  testing::TempDir other_dir;
  auto second = OpenStore({other_dir.Join("node"), true});
  ASSERT_TRUE(second.ok());
  Organisation org{0, UuidV4(), "Owner CERT", "FR", "cert", "", "2026-01-01T00:00:00.000Z"};
  auto created = (*second)->CreateOrganisation(org);
  ASSERT_TRUE(created.ok());
  auto in = OpenInputFromMemory("export.csv", exported);
  ASSERT_TRUE(in.ok());
  ImportOptions options;
  options.owner_org_id = created->id;
  ImportReport report;
  ASSERT_TRUE(ImportStream(**second, **in, options, &report).ok());
  EXPECT_EQ(report.new_values, 2);
  EXPECT_EQ(report.rejected, 0);

  auto a = store_->LookupObservable({ObservableType::kIpv4, "192.0.2.1"});
  auto b = (*second)->LookupObservable({ObservableType::kIpv4, "192.0.2.1"});
  ASSERT_TRUE(a.ok() && b.ok() && a->has_value() && b->has_value());
  ASSERT_EQ((*b)->events.size(), 1u);
  EXPECT_EQ((*a)->events[0].event.uuid, (*b)->events[0].event.uuid);
  EXPECT_EQ((*a)->events[0].event.title, (*b)->events[0].event.title);
  EXPECT_EQ((*b)->events[0].event.tlp, Tlp::kGreen);
  EXPECT_EQ((*b)->events[0].context.role, "c2");
  EXPECT_EQ((*b)->events[0].context.confidence, 80);
  EXPECT_EQ((*b)->events[0].context.valid_until, "2027-01-01T00:00:00.000Z");
  EXPECT_EQ((*b)->events[0].context.comment, "first");
}

TEST_F(ExchangeTest, StixRoundTripKeepsObservablesAndEvents) {
  Import("feed.csv",
         "type,value,role,confidence\nipv4,192.0.2.1,c2,80\ndomain,evil.example,c2,60\n"
         "sha256," + std::string(64, 'b') + ",payload,50\n",
         Tlp::kGreen);
  std::string bundle = ExportAs(owner_, ExportFormat::kStix);

  testing::TempDir other_dir;
  auto second = OpenStore({other_dir.Join("node"), true});
  ASSERT_TRUE(second.ok());
  Organisation org{0, UuidV4(), "Receiver", "DE", "cert", "", "2026-01-01T00:00:00.000Z"};
  auto created = (*second)->CreateOrganisation(org);
  ASSERT_TRUE(created.ok());
  auto in = OpenInputFromMemory("export.json", bundle);
  ASSERT_TRUE(in.ok());
  ImportOptions options;
  options.owner_org_id = created->id;
  ImportReport report;
  Status s = ImportStream(**second, **in, options, &report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(report.rejected, 0);
  EXPECT_EQ(report.new_values, 3);

  for (const Observable& o : {Observable{ObservableType::kIpv4, "192.0.2.1"},
                              Observable{ObservableType::kDomain, "evil.example"},
                              Observable{ObservableType::kSha256, std::string(64, 'b')}}) {
    auto a = store_->LookupObservable(o);
    auto b = (*second)->LookupObservable(o);
    ASSERT_TRUE(a.ok() && b.ok() && a->has_value() && b->has_value()) << o.value;
    ASSERT_EQ((*b)->events.size(), 1u) << o.value;
    // The event arrives as the report it was exported as, with the same uuid.
    EXPECT_EQ((*b)->events[0].event.uuid, (*a)->events[0].event.uuid);
    EXPECT_EQ((*b)->events[0].event.tlp, Tlp::kGreen);
    EXPECT_EQ((*b)->events[0].context.confidence, (*a)->events[0].context.confidence);
  }
}

TEST_F(ExchangeTest, MispRoundTripKeepsAttributes) {
  Import("list.txt", "192.0.2.1\nevil.example\nhttp://evil.example/x\n", Tlp::kGreen);
  std::string misp = ExportAs(owner_, ExportFormat::kMisp);
  testing::TempDir other_dir;
  auto second = OpenStore({other_dir.Join("node"), true});
  ASSERT_TRUE(second.ok());
  Organisation org{0, UuidV4(), "Receiver", "DE", "cert", "", "2026-01-01T00:00:00.000Z"};
  auto created = (*second)->CreateOrganisation(org);
  auto in = OpenInputFromMemory("export.misp.json", misp);
  ImportOptions options;
  options.owner_org_id = created->id;
  ImportReport report;
  Status s = ImportStream(**second, **in, options, &report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(report.format, InputFormat::kMisp);
  EXPECT_EQ(report.new_values, 3);
  EXPECT_EQ(report.rejected, 0);
}

TEST_F(ExchangeTest, ImportsTheProjectSamples) {
  const std::string samples = std::string(ACCORD_SOURCE_DIR) + "/samples/";
  for (const char* name : {"demostealer.stix.json", "phishing-wave.misp.json", "partner-c2.csv",
                           "blocklist.txt"}) {
    ImportOptions options;
    options.owner_org_id = owner_;
    ImportReport report;
    Status s = ImportFile(*store_, samples + name, options, &report);
    ASSERT_TRUE(s.ok()) << name << ": " << s.ToString();
    EXPECT_GT(report.new_values + report.known_values, 0) << name;
  }
  // evil-c2.example is in the STIX report, the MISP event and the list.
  auto info = store_->LookupObservable({ObservableType::kDomain, "evil-c2.example"});
  ASSERT_TRUE(info.ok() && info->has_value());
  EXPECT_GE((*info)->events.size(), 3u);
  EXPECT_FALSE((*info)->sightings.empty());
}

TEST_F(ExchangeTest, AnotherOrganisationCannotRewriteAnEventByItsUuid) {
  const std::string event = R"({"Event":{"uuid":"5c0d3a1e-1111-4a1a-9a1a-111111111111",)"
                            R"("info":"Owner's event","Tag":[{"name":"tlp:amber"}],)"
                            R"("Attribute":[{"uuid":"5c0d3a1e-2222-4a1a-9a1a-111111111111",)"
                            R"("type":"ip-dst","value":"192.0.2.10","to_ids":true}]}})";
  Import("owner.json", event);
  std::string hijack = event;
  hijack.replace(hijack.find("Owner's event"), 13, "Hijacked now!");
  hijack.replace(hijack.find("tlp:amber"), 9, "tlp:clear");
  hijack.replace(hijack.find("192.0.2.10"), 10, "192.0.2.99");
  std::string path = dir_.Join("hijack.json");
  testing::WriteFile(path, hijack);
  ImportOptions options;
  options.owner_org_id = other_;
  options.on_reject = [this](const Rejection& r) { rejections_.push_back(r); };
  ImportReport report;
  ASSERT_TRUE(ImportFile(*store_, path, options, &report).ok());
  EXPECT_EQ(report.new_values, 0);
  ASSERT_FALSE(rejections_.empty());
  EXPECT_NE(rejections_.back().reason.find("another organisation"), std::string::npos);
  auto stored = store_->GetEvent("5c0d3a1e-1111-4a1a-9a1a-111111111111");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->title, "Owner's event");
  EXPECT_EQ((*stored)->tlp, Tlp::kAmber);
  auto planted = store_->LookupObservable({ObservableType::kIpv4, "192.0.2.99"});
  ASSERT_TRUE(planted.ok());
  EXPECT_FALSE(planted->has_value());
}

TEST_F(ExchangeTest, MalformedJsonChangesNothing) {
  std::string path = dir_.Join("bad.json");
  testing::WriteFile(path, R"({"type":"bundle","id":"bundle--1","objects":[{"type":"indicator",)");
  ImportOptions options;
  options.owner_org_id = owner_;
  ImportReport report;
  Status s = ImportFile(*store_, path, options, &report);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("bad.json"), std::string::npos) << s.ToString();
  auto counts = store_->Counts("2026-06-01T00:00:00.000Z");
  EXPECT_EQ(counts->events, 0);
  EXPECT_EQ(counts->stix_objects, 0);
}

}  // namespace
}  // namespace accord

namespace accord {
namespace {

// TAXII's copies of events that did not come as STIX (RefreshDerivedStix)
// are the objects export writes for them, stored once, and export does not
// write them twice.
TEST_F(ExchangeTest, DerivedStixObjectsAreWhatExportWritesForNonStixEvents) {
  Import("list.txt", "192.0.2.1\nevil.example\n", Tlp::kGreen);
  auto refreshed = RefreshDerivedStix(*store_, SystemClock().Now());
  ASSERT_TRUE(refreshed.ok()) << refreshed.status().ToString();
  EXPECT_EQ(*refreshed, 1);
  std::map<std::string, std::string> stored;  // id -> JSON
  ASSERT_TRUE(store_
                  ->ForEachStixObject({},
                                      [&](const StoredStixObject& object) {
                                        EXPECT_TRUE(object.derived);
                                        EXPECT_EQ(object.tlp, Tlp::kGreen);
                                        stored[object.id] = object.json;
                                        return Status::Ok();
                                      })
                  .ok());
  ASSERT_EQ(stored.size(), 3u);  // a report and two indicators

  nlohmann::json bundle = nlohmann::json::parse(ExportAs(other_, ExportFormat::kStix));
  std::map<std::string, int> seen;
  for (const auto& object : bundle["objects"]) {
    const std::string id = object["id"];
    ++seen[id];
    auto copy = stored.find(id);
    if (copy != stored.end()) {
      EXPECT_EQ(nlohmann::json::parse(copy->second), object) << id;
    }
  }
  for (const auto& [id, json] : stored) EXPECT_EQ(seen[id], 1) << id;
  // Nothing changed: the next refresh has nothing to do.
  EXPECT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 0);
}

TEST_F(ExchangeTest, AFeedImportedAgainUnchangedMakesNoNewVersion) {
  Import("list.txt", "192.0.2.1\nevil.example\n", Tlp::kGreen);
  ASSERT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 1);
  // The same list again, a day later: the event's modified time moves.
  std::optional<EventSummary> event;
  ASSERT_TRUE(store_->ForEachEvent({}, [&](const EventSummary& e) {
                      event = e;
                      return Status::Ok();
                    }).ok());
  ASSERT_TRUE(event.has_value());
  {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    EventRecord again;
    again.uuid = event->uuid;
    again.title = event->title;
    again.created = event->created;
    again.modified = "2099-01-02T00:00:00.000Z";
    again.source = event->source;
    ASSERT_TRUE((*batch)->UpsertEvent(again, event->tlp, event->owner_org_id, {}).ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  ASSERT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 1);  // it was marked changed
  int versions = 0;
  ASSERT_TRUE(store_->ForEachStixObject({}, [&](const StoredStixObject&) {
                      ++versions;
                      return Status::Ok();
                    }).ok());
  EXPECT_EQ(versions, 3);  // still one version each of the report and two indicators
}

TEST_F(ExchangeTest, AStoppedRefreshLeavesTheEventForTheNextOne) {
  Import("list.txt", "192.0.2.1\nevil.example\n", Tlp::kGreen);
  int asked = 0;
  auto stopped = RefreshDerivedStix(*store_, SystemClock().Now(), 0, [&asked] { return ++asked > 1; });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.status().code(), Status::Code::kFailedPrecondition) << stopped.status().ToString();
  EXPECT_EQ(asked, 2);  // asked before each link, and stopped at the second
  EXPECT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 1);  // still stale
}

TEST_F(ExchangeTest, EventsImportedAsStixGetNoDerivedObjects) {
  const std::string samples = std::string(ACCORD_SOURCE_DIR) + "/samples/";
  ImportOptions options;
  options.owner_org_id = owner_;
  ImportReport report;
  ASSERT_TRUE(ImportFile(*store_, samples + "demostealer.stix.json", options, &report).ok());
  ASSERT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 0);
  int derived = 0;
  ASSERT_TRUE(store_
                  ->ForEachStixObject({},
                                      [&](const StoredStixObject& object) {
                                        derived += object.derived ? 1 : 0;
                                        return Status::Ok();
                                      })
                  .ok());
  EXPECT_EQ(derived, 0);
}

// A value kept for context (to_ids false, is_indicator false) or on a
// warning list is shared as a cyber-observable, never as an indicator: a
// partner that lacks our warning lists must not alert on 8.8.8.8.
class ContextValuesTest : public ExchangeTest {
 protected:
  void ImportMixedEvent() {
    testing::WriteFile(dir_.Join("wl.json"),
                       R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                       R"("matching_attributes":["ip-dst"],"list":["192.0.2.53/32"]})");
    ASSERT_TRUE(AddWarningList(*store_, dir_.Join("wl.json"), "test").ok());
    Import("feed.csv",
           "type,value,is_indicator,first_seen,last_seen,comment\n"
           "ipv4,203.0.113.7,true,,,the c2\n"
           "domain,victim-portal.example,false,2026-01-02,2026-01-05,phished brand\n"
           "ipv4,192.0.2.53,true,,,resolver it used\n"
           "filename,invoice.pdf.exe,false,,,dropper name\n",
           Tlp::kGreen);
    ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  }

  // type -> objects of that type in a bundle
  static std::map<std::string, std::vector<nlohmann::json>> ByType(const std::string& bundle) {
    std::map<std::string, std::vector<nlohmann::json>> by_type;
    const nlohmann::json parsed = nlohmann::json::parse(bundle);
    for (const auto& object : parsed["objects"]) {
      by_type[object["type"].get<std::string>()].push_back(object);
    }
    return by_type;
  }
};

TEST_F(ContextValuesTest, StixExportWritesContextAndWarningListedValuesAsObservables) {
  ImportMixedEvent();
  const std::string bundle = ExportAs(owner_, ExportFormat::kStix);
  auto objects = ByType(bundle);
  ASSERT_EQ(objects["indicator"].size(), 1u) << bundle;
  EXPECT_EQ(objects["indicator"][0]["pattern"], "[ipv4-addr:value = '203.0.113.7']");
  ASSERT_EQ(objects["domain-name"].size(), 1u);
  const nlohmann::json& domain = objects["domain-name"][0];
  EXPECT_EQ(domain["value"], "victim-portal.example");
  EXPECT_EQ(domain["x_accord_first_seen"], "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(domain["x_accord_comment"], "phished brand");
  EXPECT_EQ(domain["object_marking_refs"][0], std::string(TlpStixMarkingId(Tlp::kGreen)));
  ASSERT_EQ(objects["ipv4-addr"].size(), 1u);
  EXPECT_EQ(objects["ipv4-addr"][0]["value"], "192.0.2.53");
  ASSERT_EQ(objects["file"].size(), 1u);
  EXPECT_EQ(objects["file"][0]["name"], "invoice.pdf.exe");
  // The report names all four, so the receiver keeps them in one event.
  ASSERT_EQ(objects["report"].size(), 1u);
  EXPECT_EQ(objects["report"][0]["object_refs"].size(), 4u);
}

TEST_F(ContextValuesTest, StixRoundTripKeepsContextValuesOutOfDetection) {
  ImportMixedEvent();
  const std::string bundle = ExportAs(owner_, ExportFormat::kStix);
  testing::TempDir other_dir;
  auto second = OpenStore({other_dir.Join("node"), true});
  ASSERT_TRUE(second.ok());
  Organisation org{0, UuidV4(), "Receiver", "DE", "cert", "", "2026-01-01T00:00:00.000Z"};
  auto created = (*second)->CreateOrganisation(org);
  ASSERT_TRUE(created.ok());
  auto in = OpenInputFromMemory("export.json", bundle);
  ASSERT_TRUE(in.ok());
  ImportOptions options;
  options.owner_org_id = created->id;
  ImportReport report;
  ASSERT_TRUE(ImportStream(**second, **in, options, &report).ok());
  EXPECT_EQ(report.rejected, 0);
  EXPECT_EQ(report.new_values, 4);
  auto counts = (*second)->Counts("2026-06-01T00:00:00.000Z");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->live_indicators, 1);  // the receiver has no warning list, yet only the C2 is live

  auto domain = (*second)->LookupObservable({ObservableType::kDomain, "victim-portal.example"});
  ASSERT_TRUE(domain.ok() && domain->has_value());
  ASSERT_EQ((*domain)->events.size(), 1u);
  const IndicatorContext& context = (*domain)->events[0].context;
  EXPECT_FALSE(context.is_indicator);
  EXPECT_EQ(context.first_seen, "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(context.last_seen, "2026-01-05T00:00:00.000Z");
  EXPECT_EQ(context.comment, "phished brand");
  auto original = store_->LookupObservable({ObservableType::kDomain, "victim-portal.example"});
  ASSERT_TRUE(original.ok() && original->has_value());
  EXPECT_EQ((*domain)->events[0].event.uuid, (*original)->events[0].event.uuid);
  auto file = (*second)->LookupObservable({ObservableType::kFileName, "invoice.pdf.exe"});
  ASSERT_TRUE(file.ok() && file->has_value());
  EXPECT_FALSE((*file)->events[0].context.is_indicator);
}

TEST_F(ContextValuesTest, MispExportMarksWarningListedValuesNotForDetection) {
  ImportMixedEvent();
  nlohmann::json misp = nlohmann::json::parse(ExportAs(owner_, ExportFormat::kMisp));
  std::map<std::string, bool> to_ids;
  for (const auto& attribute : misp["response"][0]["Event"]["Attribute"]) {
    to_ids[attribute["value"]] = attribute["to_ids"];
  }
  ASSERT_EQ(to_ids.size(), 4u) << misp.dump();
  EXPECT_TRUE(to_ids["203.0.113.7"]);
  EXPECT_FALSE(to_ids["192.0.2.53"]);
  EXPECT_FALSE(to_ids["victim-portal.example"]);
}

TEST_F(ContextValuesTest, AWarningListAddedLaterTurnsThePublishedIndicatorIntoAnObservable) {
  Import("list.txt", "192.0.2.53\n203.0.113.7\n", Tlp::kGreen);
  ASSERT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 1);
  auto derived_types = [&] {
    std::multiset<std::string> types;
    EXPECT_TRUE(store_->ForEachStixObject({}, [&](const StoredStixObject& object) {
                        types.insert(object.type);
                        return Status::Ok();
                      }).ok());
    return types;
  };
  EXPECT_EQ(derived_types(), (std::multiset<std::string>{"indicator", "indicator", "report"}));

  testing::WriteFile(dir_.Join("wl.json"),
                     R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                     R"("matching_attributes":["ip-dst"],"list":["192.0.2.53/32"]})");
  ASSERT_TRUE(AddWarningList(*store_, dir_.Join("wl.json"), "test").ok());
  ASSERT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 1);  // the list marked it stale
  // The report's new version names the observable instead of the indicator.
  EXPECT_EQ(derived_types(), (std::multiset<std::string>{"indicator", "ipv4-addr", "report", "report"}));
}

// `accord import DIR`: a MISP feed by its manifest, any other directory file
// by file.
TEST_F(ExchangeTest, ImportSourcesOfAMispFeedAreTheEventsItsManifestLists) {
  const std::string feed = dir_.Join("feed");
  std::filesystem::create_directories(feed);
  const std::string a = "57c4445b-c548-4654-af0b-4be3950d210f", b = "11111111-2222-4333-8444-555555555555";
  testing::WriteFile(feed + "/manifest.json", "{\"" + b + "\": {\"info\": \"b\"}, \"" + a + "\": {}}");
  testing::WriteFile(feed + "/" + a + ".json", "{}");
  testing::WriteFile(feed + "/hashes.csv", "x");
  const std::vector<std::string> listed = {feed + "/" + b + ".json", feed + "/" + a + ".json"};  // by uuid
  EXPECT_EQ(ImportSourcesOf(feed).value(), listed);  // b is missing: still named, its import says so
  EXPECT_EQ(ImportSourcesOf(feed + "/manifest.json").value(), listed);

  testing::WriteFile(feed + "/manifest.json", "[\"not a manifest\"]");
  auto broken = ImportSourcesOf(feed);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("manifest.json"), std::string::npos) << broken.status().ToString();
  // Named directly, a manifest.json that is none is a file like any other.
  EXPECT_EQ(ImportSourcesOf(feed + "/manifest.json").value(), std::vector<std::string>{feed + "/manifest.json"});
}

TEST_F(ExchangeTest, ImportSourcesOfAPlainDirectoryAreItsFilesInOrder) {
  const std::string lists = dir_.Join("lists");
  std::filesystem::create_directories(lists + "/nested");
  for (const char* name : {"b.txt", "a.csv", ".hidden"}) testing::WriteFile(lists + "/" + name, "x");
  EXPECT_EQ(ImportSourcesOf(lists).value(), (std::vector<std::string>{lists + "/a.csv", lists + "/b.txt"}));
  EXPECT_EQ(ImportSourcesOf("-").value(), std::vector<std::string>{"-"});
  EXPECT_EQ(ImportSourcesOf(lists + "/a.csv").value(), std::vector<std::string>{lists + "/a.csv"});
}

}  // namespace
}  // namespace accord
