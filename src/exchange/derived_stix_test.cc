// The STIX copies TAXII serves of events that did not come as STIX
// (RefreshDerivedStix), and what an import into an existing event changes,
// on a real SQLite store.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"
#include "testing/testing.h"

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

// A list imported again unchanged states no version time and changes no
// link: its event keeps its modified time, so a STIX or MISP export writes
// the same versions again. A new value, or a changed context (a comment),
// moves it.
TEST_F(ExchangeTest, AFeedImportedAgainUnchangedKeepsItsEventsModifiedTime) {
  auto modified_of_the_event = [&] {
    std::string modified;
    EXPECT_TRUE(store_->ForEachEvent({}, [&](const EventSummary& e) {
                      modified = e.modified;
                      return Status::Ok();
                    }).ok());
    return modified;
  };
  Import("feed.csv", "value,comment\n192.0.2.1,first\nevil.example,\n", Tlp::kGreen);
  const std::string first = modified_of_the_event();
  ASSERT_FALSE(first.empty());
  const std::string first_export = ExportAs(owner_, ExportFormat::kStix);
  // The import batch stamps rows with the system clock to the millisecond:
  // 5 ms on, a bumped time would differ (no other thread is waited for).
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Import("feed.csv", "value,comment\n192.0.2.1,first\nevil.example,\n", Tlp::kGreen);
  EXPECT_EQ(modified_of_the_event(), first);
  auto objects_of = [](const std::string& exported) {
    auto bundle = nlohmann::json::parse(exported);
    std::map<std::string, std::string> modified_by_id;
    for (const auto& object : bundle["objects"]) {
      if (object.contains("modified")) modified_by_id[object["id"]] = object["modified"];
    }
    return modified_by_id;
  };
  EXPECT_EQ(objects_of(ExportAs(owner_, ExportFormat::kStix)), objects_of(first_export));

  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Import("feed.csv", "value,comment\n192.0.2.1,second\nevil.example,\n", Tlp::kGreen);
  const std::string after_comment = modified_of_the_event();
  EXPECT_GT(after_comment, first);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Import("feed.csv", "value,comment\n192.0.2.1,second\nevil.example,\nnew.example,\n", Tlp::kGreen);
  EXPECT_GT(modified_of_the_event(), after_comment);
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

TEST_F(ExchangeTest, ImportIntoAnExistingEventMovesItsModifiedTimeAndKeepsItsTitle) {
  const std::string uuid = "5f1a0b2c-0000-4000-8000-00000000ee01";
  Import("old.json", R"({"Event": {"uuid": ")" + uuid +
                         R"(", "info": "Kept title", "date": "2020-01-01", "timestamp": "1577836800",
                         "Attribute": [{"type": "domain", "category": "Network activity",
                                        "value": "first.example", "to_ids": true}]}})");
  auto before = store_->GetEvent(uuid);
  ASSERT_TRUE(before.ok() && *before);
  ASSERT_EQ((*before)->modified.substr(0, 4), "2020");

  const std::string path = dir_.Join("more.txt");
  testing::WriteFile(path, "added-later.example\n");
  ImportOptions options;
  options.owner_org_id = owner_;
  options.into_event = uuid;
  ImportReport report;
  ASSERT_TRUE(ImportFile(*store_, path, options, &report).ok());
  EXPECT_EQ(report.new_values, 1);
  auto after = store_->GetEvent(uuid);
  ASSERT_TRUE(after.ok() && *after);
  EXPECT_GT((*after)->modified, (*before)->modified);  // a MISP feed's consumers fetch it again
  EXPECT_EQ((*after)->title, "Kept title");
  EXPECT_EQ((*after)->created, (*before)->created);
  EXPECT_EQ((*after)->observable_count, 2);
}

// A bundle of one indicator whose pattern names two values, and its id.
constexpr const char* kTwoValueIndicator = "indicator--7b3e8134-bdce-4eb2-a9b2-3bbc65caf468";
std::string TwoValueBundle() {
  return std::string(R"({"type":"bundle","id":"bundle--5b3e8134-bdce-4eb2-a9b2-3bbc65caf400","objects":[)") +
         R"({"type":"indicator","spec_version":"2.1","id":")" + kTwoValueIndicator +
         R"(","created":"2026-10-01T08:00:00.000Z","modified":"2026-10-01T08:00:00.000Z",)"
         R"("pattern":"[ipv4-addr:value = '203.0.113.77'] OR [domain-name:value = 'update-check.example']",)"
         R"("pattern_type":"stix","valid_from":"2026-10-01T08:00:00Z"}]})";
}

// A STIX bundle imported into a list's event: its indicators are stored as
// they came in that event, so its values' links are not made into objects
// again under the same ids (a pattern of two values gave two objects of one
// id and version, and TAXII kept one of them). A MISP attribute's uuid,
// which no stored object has, still names the object made for it.
TEST_F(ExchangeTest, AnIndicatorStoredAsItCameIsNotMadeAgainUnderItsIdForTheEventHoldingIt) {
  Import("case.txt", "192.0.2.44\n", Tlp::kGreen);
  std::optional<EventSummary> event;
  ASSERT_TRUE(store_->ForEachEvent({}, [&](const EventSummary& e) {
                      event = e;
                      return Status::Ok();
                    }).ok());
  ASSERT_TRUE(event);
  const std::string indicator = kTwoValueIndicator;
  const std::string path = dir_.Join("bundle.json");
  testing::WriteFile(path, TwoValueBundle());
  ImportOptions options;
  options.owner_org_id = owner_;
  options.into_event = event->uuid;
  ASSERT_TRUE(ImportFile(*store_, path, options, nullptr).ok());
  ASSERT_TRUE(RefreshDerivedStix(*store_, SystemClock().Now()).ok());

  nlohmann::json exported = nlohmann::json::parse(ExportAs(owner_, ExportFormat::kStix));
  std::map<std::pair<std::string, std::string>, int> versions;
  int copies_of_indicator = 0;
  std::string report_refs;
  for (const auto& object : exported["objects"]) {
    ++versions[{object["id"], object.value("modified", "")}];
    if (object["id"] == indicator) ++copies_of_indicator;
    if (object["type"] == "report") report_refs += object["object_refs"].dump();
  }
  for (const auto& [version, count] : versions) EXPECT_EQ(count, 1) << version.first << " " << version.second;
  EXPECT_EQ(copies_of_indicator, 1) << "the indicator as it came";
  EXPECT_NE(report_refs.find(indicator), std::string::npos) << "the event's report names it";
  // What TAXII serves: the one stored as it came, no copy made for a link.
  StixObjectFilter by_id;
  by_id.ids = {indicator};
  int stored = 0;
  ASSERT_TRUE(store_->ForEachStixObject(by_id, [&](const StoredStixObject& object) {
                      EXPECT_FALSE(object.derived) << object.json;
                      ++stored;
                      return Status::Ok();
                    }).ok());
  EXPECT_EQ(stored, 1);
}

// The same bundle imported as itself first (its indicator stored as it
// came in the bundle's own event) and then into a list's event: the list's
// links get objects of their own ids, in the export as in what TAXII
// serves, not a second content under the indicator's id.
TEST_F(ExchangeTest, AnIndicatorStoredAsItCameElsewhereGivesTheListsLinksIdsOfTheirOwn) {
  Import("bundle.json", TwoValueBundle(), Tlp::kGreen);
  Import("case.txt", "192.0.2.45\n", Tlp::kGreen);
  std::optional<EventSummary> list;
  ASSERT_TRUE(store_->ForEachEvent({}, [&](const EventSummary& e) {
                      if (e.title == "case.txt") list = e;
                      return Status::Ok();
                    }).ok());
  ASSERT_TRUE(list);
  const std::string path = dir_.Join("again.json");
  testing::WriteFile(path, TwoValueBundle());
  ImportOptions options;
  options.owner_org_id = owner_;
  options.into_event = list->uuid;
  ASSERT_TRUE(ImportFile(*store_, path, options, nullptr).ok());
  ASSERT_TRUE(RefreshDerivedStix(*store_, SystemClock().Now()).ok());

  nlohmann::json exported = nlohmann::json::parse(ExportAs(owner_, ExportFormat::kStix));
  int copies = 0;
  for (const auto& object : exported["objects"]) copies += object["id"] == kTwoValueIndicator ? 1 : 0;
  EXPECT_EQ(copies, 1) << "the indicator as it came, once";
  StixObjectFilter by_id;
  by_id.ids = {kTwoValueIndicator};
  int derived = 0;
  ASSERT_TRUE(store_->ForEachStixObject(by_id, [&](const StoredStixObject& object) {
                      derived += object.derived ? 1 : 0;
                      return Status::Ok();
                    }).ok());
  EXPECT_EQ(derived, 0);
}

}  // namespace
}  // namespace accord
