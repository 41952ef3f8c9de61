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
#include "misp/misp.h"
#include "exchange/exchange_testing.h"
#include "testing/testing.h"

namespace accord {
namespace {

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
  auto events =
      store_->GetEvent(StableUuidV4(kAccordUuidNamespace, fmt::format("list:{}:feed.txt", owner_)));
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

// What a peer node's stand-in brings at AMBER or RED names the organisation
// it shares with; GREEN and CLEAR need no recipient.
TEST_F(ExchangeTest, AnImportThatSharesWithAnOrganisationNamesItOnAmberAndRedEvents) {
  std::map<Tlp, std::vector<int64_t>> recipients;
  for (Tlp tlp : {Tlp::kAmber, Tlp::kRed, Tlp::kGreen, Tlp::kClear}) {
    const std::string name = fmt::format("shared-{}.txt", static_cast<int>(tlp));
    testing::WriteFile(dir_.Join(name), fmt::format("198.51.100.{}\n", 10 + static_cast<int>(tlp)));
    ImportOptions options;
    options.owner_org_id = owner_;
    options.default_tlp = tlp;
    options.share_with_org_id = other_;
    ImportReport report;
    ASSERT_TRUE(ImportFile(*store_, dir_.Join(name), options, &report).ok());
    ASSERT_EQ(report.touched_events.size(), 1u);
    auto event = store_->GetEvent(report.touched_events[0].uuid);
    ASSERT_TRUE(event.ok() && event->has_value());
    recipients[tlp] = (*event)->recipient_org_ids;
  }
  EXPECT_EQ(recipients[Tlp::kAmber], std::vector<int64_t>{other_});
  EXPECT_EQ(recipients[Tlp::kRed], std::vector<int64_t>{other_});
  EXPECT_TRUE(recipients[Tlp::kGreen].empty());
  EXPECT_TRUE(recipients[Tlp::kClear].empty());
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

TEST_F(ExchangeTest, SharedWarningListCacheCompilesOnceAndSeesListsLoadedSinceIt) {
  testing::WriteFile(dir_.Join("wl.json"),
                     R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                     R"("list":["192.0.2.53/32"]})");
  WarningListCache cache;
  auto first = cache.Get(*store_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = cache.Get(*store_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->get(), again->get()) << "nothing changed: the same matcher";
  EXPECT_FALSE((*first)->Match({ObservableType::kIpv4, "192.0.2.53"}).has_value());

  // Two imports sharing the cache, with a list loaded between them: the
  // second sees the list although the cache had compiled the empty set.
  auto Import = [&](const std::string& name, const std::string& content) {
    testing::WriteFile(dir_.Join(name), content);
    ImportOptions options;
    options.owner_org_id = owner_;
    options.warning_lists = &cache;
    ImportReport report;
    Status status = ImportFile(*store_, dir_.Join(name), options, &report);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return report;
  };
  EXPECT_EQ(Import("a.txt", "192.0.2.53\n").warninglisted, 0);
  ASSERT_TRUE(AddWarningList(*store_, dir_.Join("wl.json"), "test").ok());
  EXPECT_EQ(Import("b.txt", "192.0.2.53\n198.51.100.1\n").warninglisted, 1);
  auto rebuilt = cache.Get(*store_);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_NE(rebuilt->get(), first->get());
  EXPECT_EQ((*rebuilt)->Match({ObservableType::kIpv4, "192.0.2.53"}), "resolvers");
}

TEST_F(ExchangeTest, NewVersionOfAWarningListClearsValuesItDropped) {
  const std::string v1 = R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                         R"("list":["198.51.100.0/24","203.0.113.1/32"]})";
  const std::string v2 = R"({"name":"resolvers","version":2,"description":"d","type":"cidr",)"
                         R"("list":["203.0.113.1/32"]})";
  const std::string other = R"({"name":"cdn","version":1,"description":"d","type":"cidr",)"
                            R"("list":["203.0.113.0/24"]})";
  testing::WriteFile(dir_.Join("v1.json"), v1);
  testing::WriteFile(dir_.Join("v2.json"), v2);
  testing::WriteFile(dir_.Join("other.json"), other);
  Import("values.txt", "198.51.100.9\n203.0.113.1\n192.0.2.44\n");
  auto first = AddWarningList(*store_, dir_.Join("v1.json"), "test");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->flagged, 2);
  EXPECT_EQ(first->cleared, 0);
  // Another list that also holds 203.0.113.1 leaves its mark alone.
  auto unrelated = AddWarningList(*store_, dir_.Join("other.json"), "test");
  ASSERT_TRUE(unrelated.ok());
  EXPECT_EQ(unrelated->flagged, 0);
  auto second = AddWarningList(*store_, dir_.Join("v2.json"), "test");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->flagged, 0);
  EXPECT_EQ(second->cleared, 1);  // 198.51.100.9 is live again
  auto dropped = store_->LookupObservable({ObservableType::kIpv4, "198.51.100.9"});
  ASSERT_TRUE(dropped.ok() && dropped->has_value());
  EXPECT_EQ((*dropped)->warninglist, "");
  auto kept = store_->LookupObservable({ObservableType::kIpv4, "203.0.113.1"});
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->warninglist, "resolvers");
  auto counts = store_->Counts("2026-06-01T00:00:00.000Z");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->live_indicators, 2);

  // Removing the list hands 203.0.113.1 to the other list that holds it.
  AuditEntry audit;
  audit.actor = "test";
  auto removed = RemoveWarningList(*store_, "resolvers", audit);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->cleared, 0);
  auto moved = store_->LookupObservable({ObservableType::kIpv4, "203.0.113.1"});
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->warninglist, "cdn");
  auto removed_cdn = RemoveWarningList(*store_, "cdn", audit);
  ASSERT_TRUE(removed_cdn.ok());
  EXPECT_EQ(removed_cdn->cleared, 1);
  EXPECT_EQ(RemoveWarningList(*store_, "cdn", audit).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->Counts("2026-06-01T00:00:00.000Z")->live_indicators, 3);
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
  // The report counts what was stored: not the 7th value, rolled back.
  EXPECT_EQ(report.new_values, 6);
  EXPECT_EQ(report.links_added, 6);
  auto counts = store_->Counts("2026-06-01T00:00:00.000Z");
  EXPECT_EQ(counts->observables, 6);  // the 7th was in the rolled-back batch
  ASSERT_EQ(report.touched_events.size(), 1u);  // committed with the first batch
  EXPECT_TRUE(store_->GetEvent(report.touched_events[0].uuid)->has_value());

  // Failing in its first batch, a file names no event: none was committed.
  std::string first = "value\n192.0.2.50\n\"198.51.100.2\n";
  testing::WriteFile(dir_.Join("early.csv"), first);
  ImportReport early;
  EXPECT_FALSE(ImportFile(*store_, dir_.Join("early.csv"), options, &early).ok());
  EXPECT_EQ(early.batches_committed, 0);
  EXPECT_EQ(early.new_values, 0) << "192.0.2.50 was rolled back";
  EXPECT_TRUE(early.touched_events.empty()) << early.touched_events[0].uuid;
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
  auto second = ImportIntoAnotherNode("export.csv", ExportAs(owner_, ExportFormat::kCsv));
  ASSERT_TRUE(second->status.ok());
  EXPECT_EQ(second->report.new_values, 2);
  EXPECT_EQ(second->report.rejected, 0);

  auto a = store_->LookupObservable({ObservableType::kIpv4, "192.0.2.1"});
  auto b = second->store->LookupObservable({ObservableType::kIpv4, "192.0.2.1"});
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

// The CSV export disarms cells a spreadsheet would run ('=...'); read back,
// they are what they were: a file name "-setup.exe", a title "=SUM(A1)".
TEST_F(ExchangeTest, CsvRoundTripGivesBackCellsDisarmedForSpreadsheets) {
  Import("=SUM(A1) feed.csv",
         "type,value,comment\n"
         "filename,-setup.exe,+1 seen\n"
         "email,+tag@evil.example,@mention\n",
         Tlp::kGreen);
  const std::string csv = ExportAs(owner_, ExportFormat::kCsv);
  EXPECT_NE(csv.find("'-setup.exe"), std::string::npos) << csv;
  auto second = ImportIntoAnotherNode("export.csv", csv);
  ASSERT_TRUE(second->status.ok());
  EXPECT_EQ(second->report.rejected, 0);
  auto file = second->store->LookupObservable({ObservableType::kFileName, "-setup.exe"});
  ASSERT_TRUE(file.ok() && file->has_value()) << "the value as it was";
  EXPECT_EQ((*file)->events[0].context.comment, "+1 seen");
  EXPECT_EQ((*file)->events[0].event.title, "=SUM(A1) feed.csv");
  auto email = second->store->LookupObservable({ObservableType::kEmail, "+tag@evil.example"});
  ASSERT_TRUE(email.ok() && email->has_value());
}

TEST_F(ExchangeTest, StixRoundTripKeepsObservablesAndEvents) {
  Import("feed.csv",
         "type,value,role,confidence\nipv4,192.0.2.1,c2,80\ndomain,evil.example,c2,60\n"
         "sha256," + std::string(64, 'b') + ",payload,50\n",
         Tlp::kGreen);
  auto second = ImportIntoAnotherNode("export.json", ExportAs(owner_, ExportFormat::kStix));
  ASSERT_TRUE(second->status.ok());
  EXPECT_EQ(second->report.rejected, 0);
  EXPECT_EQ(second->report.new_values, 3);

  for (const Observable& o : {Observable{ObservableType::kIpv4, "192.0.2.1"},
                              Observable{ObservableType::kDomain, "evil.example"},
                              Observable{ObservableType::kSha256, std::string(64, 'b')}}) {
    auto a = store_->LookupObservable(o);
    auto b = second->store->LookupObservable(o);
    ASSERT_TRUE(a.ok() && b.ok() && a->has_value() && b->has_value()) << o.value;
    ASSERT_EQ((*b)->events.size(), 1u) << o.value;
    // The event arrives as the report it was exported as, with the same uuid.
    EXPECT_EQ((*b)->events[0].event.uuid, (*a)->events[0].event.uuid);
    EXPECT_EQ((*b)->events[0].event.tlp, Tlp::kGreen);
    EXPECT_EQ((*b)->events[0].context.confidence, (*a)->events[0].context.confidence);
    EXPECT_EQ((*b)->events[0].context.role, (*a)->events[0].context.role);
    // No comment on either side: the description the export wrote is not one.
    EXPECT_EQ((*b)->events[0].context.comment, "");
  }
}

// The derived indicators pass the validator's vocabulary and name+description
// checks: indicator_types from indicator-type-ov, the role apart, and a
// description naming the event when the value has no comment.
TEST_F(ExchangeTest, StixExportIndicatorsHaveVocabularyTypesAndADescription) {
  Import("feed.csv", "type,value,role,comment\nipv4,192.0.2.1,c2,\ndomain,evil.example,,parked\n",
         Tlp::kGreen);
  const nlohmann::json bundle = nlohmann::json::parse(ExportAs(owner_, ExportFormat::kStix));
  std::string report_name;
  std::map<std::string, nlohmann::json> indicators;  // pattern -> indicator
  for (const auto& object : bundle["objects"]) {
    if (object["type"] == "report") report_name = object["name"];
    if (object["type"] == "indicator") indicators[object["pattern"]] = object;
  }
  ASSERT_FALSE(report_name.empty());
  ASSERT_EQ(indicators.size(), 2u);
  const nlohmann::json& c2 = indicators["[ipv4-addr:value = '192.0.2.1']"];
  EXPECT_EQ(c2["indicator_types"], nlohmann::json::array({"malicious-activity"}));
  EXPECT_EQ(c2["x_accord_role"], "c2");
  EXPECT_EQ(c2["description"], "IPv4 address with role c2 from the event \"" + report_name + "\".");
  const nlohmann::json& domain = indicators["[domain-name:value = 'evil.example']"];
  EXPECT_EQ(domain["description"], "parked");
  EXPECT_FALSE(domain.contains("x_accord_description_generated"));
}

// A STIX export is self-contained as TAXII collections are: every
// created_by_ref, object_marking_refs and report object_refs names an
// object of the bundle (the owners' identities, the TLP marking
// definitions), for the owner and for a reader who sees only part of it.
TEST_F(ExchangeTest, StixExportResolvesEveryReferenceOfItsObjects) {
  Import("green.txt", "192.0.2.20\nevil.example\n", Tlp::kGreen);
  Import("amber.txt", "192.0.2.10\n", Tlp::kAmber);
  Import("empty.txt", "# nothing to share\n", Tlp::kRed);
  for (int64_t viewer : {owner_, other_}) {
    const nlohmann::json bundle = nlohmann::json::parse(ExportAs(viewer, ExportFormat::kStix));
    std::set<std::string> ids;
    for (const auto& object : bundle["objects"]) ids.insert(object["id"].get<std::string>());
    int identities = 0;
    for (const auto& object : bundle["objects"]) {
      if (object["type"] == "identity") ++identities;
      std::vector<std::string> refs;
      if (object.contains("created_by_ref")) refs.push_back(object["created_by_ref"]);
      for (const auto& ref : object.value("object_marking_refs", nlohmann::json::array())) refs.push_back(ref);
      for (const auto& ref : object.value("object_refs", nlohmann::json::array())) refs.push_back(ref);
      for (const std::string& ref : refs) {
        EXPECT_TRUE(ids.count(ref)) << "viewer " << viewer << ": " << object["id"] << " names " << ref;
      }
    }
    EXPECT_EQ(identities, 1) << "viewer " << viewer;  // the owner's, once
  }
}

TEST_F(ExchangeTest, MispRoundTripKeepsAttributes) {
  Import("list.txt", "192.0.2.1\nevil.example\nhttp://evil.example/x\n", Tlp::kGreen);
  auto second = ImportIntoAnotherNode("export.misp.json", ExportAs(owner_, ExportFormat::kMisp));
  ASSERT_TRUE(second->status.ok());
  EXPECT_EQ(second->report.format, InputFormat::kMisp);
  EXPECT_EQ(second->report.new_values, 3);
  EXPECT_EQ(second->report.rejected, 0);
}

TEST_F(ExchangeTest, AMispEventKeepsItsAttributeUuidsThroughExportAndItsIndicatorsTakeThem) {
  const std::string c2_uuid = "0af1d2c3-b4a5-4f60-9e8d-7c6b5a4f3e2d";
  const std::string domain_uuid = "1bf1d2c3-b4a5-4f60-9e8d-7c6b5a4f3e2d";
  const std::string misp = R"({"Event":{"uuid":"6f7e2c57-56a0-4a7a-9c1f-0b6e3e7d5a04","info":"C2s",)"
                           R"("Tag":[{"name":"tlp:green"}],"Attribute":[)"
                           R"({"uuid":")" + c2_uuid + R"(","type":"ip-dst","value":"192.0.2.1","to_ids":true},)"
                           R"({"uuid":")" + domain_uuid + R"(","type":"domain","value":"evil.example"}]}})";
  ASSERT_EQ(Import("event.json", misp).new_values, 2);

  std::map<std::string, std::string> uuid_by_value;
  const auto exported = nlohmann::json::parse(ExportAs(owner_, ExportFormat::kMisp));
  const auto& events = exported.is_array() ? exported : exported.at("response");
  for (const auto& attribute : events.at(0).at("Event").at("Attribute")) {
    uuid_by_value[attribute.at("value").get<std::string>()] = attribute.at("uuid").get<std::string>();
  }
  EXPECT_EQ(uuid_by_value["192.0.2.1"], c2_uuid);
  EXPECT_EQ(uuid_by_value["evil.example"], domain_uuid);

  // The STIX indicator made of the detection attribute has the id misp-stix
  // gives it.
  std::set<std::string> indicator_ids;
  const auto bundle = nlohmann::json::parse(ExportAs(owner_, ExportFormat::kStix));
  for (const auto& object : bundle.at("objects")) {
    if (object.at("type") == "indicator") indicator_ids.insert(object.at("id").get<std::string>());
  }
  EXPECT_TRUE(indicator_ids.contains("indicator--" + c2_uuid));
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

// Binary data (an image, an executable, random bytes) is refused as a whole
// rather than read as a list of garbage values; a NUL late in a large text
// file does not make it binary.
TEST_F(ExchangeTest, BinaryDataIsRefusedAsNotTextAndChangesNothing) {
  std::string binary = "192.0.2.1\n";
  for (int byte = 0; byte < 512; ++byte) binary.push_back(static_cast<char>((byte * 37) & 0xFF));
  const std::string path = dir_.Join("picture.png");
  testing::WriteFile(path, binary);
  ImportOptions options;
  options.owner_org_id = owner_;
  ImportReport report;
  Status s = ImportFile(*store_, path, options, &report);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("picture.png"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("binary"), std::string::npos) << s.ToString();
  EXPECT_EQ(store_->Counts("2026-06-01T00:00:00.000Z")->events, 0);

  std::string text;
  for (int line = 0; line < 1000; ++line) text += "192.0.2." + std::to_string(line % 250) + "\n";
  text.push_back('\0');
  const std::string late = dir_.Join("late-nul.txt");
  testing::WriteFile(late, text);
  EXPECT_TRUE(ImportFile(*store_, late, options, &report).ok());
  EXPECT_EQ(report.new_values, 250);
}

// XML read as a list was lines of rejected markup, an empty event and a
// success: STIX 1.x, a feed's HTML error page. It is refused as a whole,
// saying what it is.
TEST_F(ExchangeTest, XmlAndHtmlAreRefusedSayingWhatTheyAreAndChangeNothing) {
  ImportOptions options;
  options.owner_org_id = owner_;
  const std::string stix1 = dir_.Join("package.xml");
  testing::WriteFile(stix1, "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\">\n"
                            "<stix:Indicators/></stix:STIX_Package>\n");
  Status s = ImportFile(*store_, stix1, options, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("STIX 1.x"), std::string::npos) << s.ToString();
  const std::string page = dir_.Join("feed.txt");
  testing::WriteFile(page, "  <!DOCTYPE html>\n<html><body>Rate limited</body></html>\n");
  s = ImportFile(*store_, page, options, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("XML or HTML"), std::string::npos) << s.ToString();
  EXPECT_EQ(store_->Counts("2026-06-01T00:00:00.000Z")->events, 0);
}

}  // namespace
}  // namespace accord
