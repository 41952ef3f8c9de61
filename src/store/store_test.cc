// Imports and reads through the Store interface, on the SQLite backend:
// batches, deduplication, correlation, sightings, filters and counts.
#include "store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store_testing.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testing::StoreTest;

TEST_F(StoreTest, UncommittedBatchLeavesNothingBehind) {
  {
    auto batch = Begin();
    int64_t event_id = AddEvent(*batch, "e1");
    ASSERT_TRUE(batch->Link(event_id, ip_, Context(), "").ok());
    // Destroyed without Commit().
  }
  StoreCounts counts = CountsAt("2024-06-01T00:00:00.000Z");
  EXPECT_EQ(counts.events, 0);
  EXPECT_EQ(counts.observables, 0);
  EXPECT_EQ(counts.links, 0);
  // The store is usable again: the batch released it.
  auto batch = Begin();
  ASSERT_NE(batch, nullptr);
  ASSERT_TRUE(batch->Commit().ok());
}

TEST_F(StoreTest, OnlyOneBatchAtATimePerStore) {
  auto first = Begin();
  auto second = store_->BeginImport();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kFailedPrecondition);
}

TEST_F(StoreTest, SameObservableTwiceIsOneRowAndOneLink) {
  auto batch = Begin();
  int64_t event_id = AddEvent(*batch, "e1");
  auto first = batch->Link(event_id, ip_, Context(), "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->observable_created);
  EXPECT_TRUE(first->link_created);
  auto again = batch->Link(event_id, ip_, Context("payload-delivery"), "");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->observable_created);
  EXPECT_FALSE(again->link_created);
  int64_t other_event = AddEvent(*batch, "e2");
  auto elsewhere = batch->Link(other_event, ip_, Context(), "");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(elsewhere->observable_created);
  EXPECT_TRUE(elsewhere->link_created);
  ASSERT_TRUE(batch->Commit().ok());

  StoreCounts counts = CountsAt("2024-06-01T00:00:00.000Z");
  EXPECT_EQ(counts.observables, 1);
  EXPECT_EQ(counts.links, 2);
  auto event = store_->GetEvent("e1");
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->observable_count, 1);
}

// The batch guesses from the previous row whether a value is new; the flags
// and ids must be right whichever way the guess goes.
TEST_F(StoreTest, CreatedFlagsStayRightWhenNewAndKnownValuesAlternate) {
  auto batch = Begin();
  int64_t event_id = AddEvent(*batch, "e1");
  const std::vector<std::string> values = {"10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3",
                                           "10.0.0.2", "10.0.0.2", "10.0.0.4", "10.0.0.5"};
  const std::vector<bool> expect_created = {true, true, false, true, false, false, true, true};
  for (size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
    auto outcome =
        batch->Link(event_id, {ObservableType::kIpv4, values[value_idx]}, Context(), "");
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    EXPECT_EQ(outcome->observable_created, expect_created[value_idx]) << values[value_idx];
    EXPECT_EQ(outcome->link_created, expect_created[value_idx]) << values[value_idx];
  }
  // A known value seen again on a warning list gets the mark.
  ASSERT_TRUE(batch->Link(event_id, {ObservableType::kIpv4, "10.0.0.1"}, Context(), "rfc1918").ok());
  ASSERT_TRUE(batch->Commit().ok());

  EXPECT_EQ(CountsAt("2024-06-01T00:00:00.000Z").observables, 5);
  std::vector<std::string> linked;
  ASSERT_TRUE(store_
                  ->ForEachLink(event_id,
                                [&](const LinkedObservable& link) {
                                  linked.push_back(link.observable.value + "/" + link.warninglist);
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_THAT(linked, ElementsAre("10.0.0.1/rfc1918", "10.0.0.2/", "10.0.0.3/", "10.0.0.4/",
                                  "10.0.0.5/"));
  auto event = store_->GetEvent("e1");
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->observable_count, 5);
}

// A re-imported link keeps its row, takes the newer context and widens the
// seen window.
TEST_F(StoreTest, ExistingLinkTakesNewerContext) {
  auto batch = Begin();
  int64_t event_id = AddEvent(*batch, "e1");
  IndicatorContext old_context = Context("c2");
  old_context.first_seen = "2024-03-01T00:00:00.000Z";
  old_context.last_seen = "2024-03-05T00:00:00.000Z";
  old_context.stix_id = "indicator--1";
  ASSERT_TRUE(batch->Link(event_id, ip_, old_context, "").ok());
  IndicatorContext new_context;
  new_context.role = "exfiltration";
  new_context.first_seen = "2024-03-03T00:00:00.000Z";
  new_context.last_seen = "2024-04-01T00:00:00.000Z";
  new_context.valid_until = "2024-12-31T00:00:00.000Z";
  ASSERT_TRUE(batch->Link(event_id, ip_, new_context, "").ok());
  ASSERT_TRUE(batch->Commit().ok());

  std::vector<LinkedObservable> links;
  ASSERT_TRUE(store_
                  ->ForEachLink(event_id,
                                [&](const LinkedObservable& link) {
                                  links.push_back(link);
                                  return Status::Ok();
                                })
                  .ok());
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].observable, ip_);
  EXPECT_EQ(links[0].context.role, "exfiltration");
  EXPECT_FALSE(links[0].context.confidence.has_value());
  EXPECT_EQ(links[0].context.first_seen, "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(links[0].context.last_seen, "2024-04-01T00:00:00.000Z");
  EXPECT_EQ(links[0].context.valid_until, "2024-12-31T00:00:00.000Z");
  EXPECT_EQ(links[0].context.stix_id, "indicator--1");
}

TEST_F(StoreTest, EventsSharingAnObservableCorrelate) {
  auto batch = Begin();
  int64_t first = AddEvent(*batch, "e1");
  int64_t second = AddEvent(*batch, "e2", Tlp::kAmber);
  int64_t third = AddEvent(*batch, "e3");
  ASSERT_TRUE(batch->Link(first, ip_, Context("c2"), "").ok());
  ASSERT_TRUE(batch->Link(second, ip_, Context("payload-delivery"), "").ok());
  ASSERT_TRUE(batch->Link(third, domain_, Context(), "").ok());
  ASSERT_TRUE(batch->Commit().ok());

  auto info = store_->LookupObservable(ip_);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_TRUE(info->has_value());
  const ObservableInfo& found = **info;
  EXPECT_EQ(found.observable, ip_);
  ASSERT_EQ(found.events.size(), 2u);
  EXPECT_EQ(found.events[0].event.uuid, "e1");
  EXPECT_EQ(found.events[0].context.role, "c2");
  EXPECT_EQ(found.events[1].event.uuid, "e2");
  EXPECT_EQ(found.events[1].event.tlp, Tlp::kAmber);
  EXPECT_EQ(found.events[1].context.role, "payload-delivery");
  EXPECT_EQ(found.events[1].event.observable_count, 1);

  auto unknown = store_->LookupObservable({ObservableType::kIpv4, "198.51.100.7"});
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(StoreTest, ReportMembersAreLinkedByIndicatorStixId) {
  auto batch = Begin();
  int64_t bundle_group = AddEvent(*batch, "group");
  IndicatorContext with_id = Context();
  with_id.stix_id = "indicator--a";
  ASSERT_TRUE(batch->Link(bundle_group, ip_, with_id, "").ok());
  with_id.stix_id = "indicator--b";
  ASSERT_TRUE(batch->Link(bundle_group, domain_, with_id, "").ok());
  ASSERT_TRUE(
      batch->Link(bundle_group, {ObservableType::kMd5, std::string(32, 'a')}, Context(), "").ok());

  int64_t report = AddEvent(*batch, "report");
  std::vector<std::string> refs = {"indicator--a", "indicator--b", "indicator--unknown"};
  for (int filler = 0; filler < 450; ++filler) refs.push_back("x--" + std::to_string(filler));
  auto added = batch->AddMembersByStixId(report, refs);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 2);
  auto again = batch->AddMembersByStixId(report, {"indicator--a"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  ASSERT_TRUE(batch->Commit().ok());

  std::vector<std::string> members;
  ASSERT_TRUE(store_
                  ->ForEachLink(report,
                                [&](const LinkedObservable& link) {
                                  members.push_back(link.observable.value);
                                  EXPECT_FALSE(link.context.stix_id.empty());
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_THAT(members, ElementsAre("192.0.2.1", "evil.example"));
  auto event = store_->GetEvent("report");
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->observable_count, 2);
}

TEST_F(StoreTest, SightingsRecordByValueAndByIndicatorId) {
  auto batch = Begin();
  int64_t event_id = AddEvent(*batch, "e1");
  IndicatorContext with_id = Context();
  with_id.stix_id = "indicator--a";
  ASSERT_TRUE(batch->Link(event_id, ip_, with_id, "").ok());
  ASSERT_TRUE(batch->Link(event_id, domain_, with_id, "").ok());

  SightingInput by_value;
  by_value.observable = ip_;
  by_value.org_id = org_b_;
  by_value.count = 3;
  by_value.first_seen = "2024-05-02T00:00:00.000Z";
  by_value.source = "sensor-1";
  auto recorded = batch->AddSighting(by_value);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->added, 1);

  SightingInput by_indicator;
  by_indicator.indicator_stix_id = "indicator--a";
  recorded = batch->AddSighting(by_indicator);
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->added, 2);

  SightingInput unknown;
  unknown.observable = Observable{ObservableType::kIpv4, "203.0.113.9"};
  recorded = batch->AddSighting(unknown);
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->added, 0);
  unknown.observable.reset();
  unknown.indicator_stix_id = "indicator--nobody";
  recorded = batch->AddSighting(unknown);
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->added, 0);
  ASSERT_TRUE(batch->Commit().ok());

  auto info = store_->LookupObservable(ip_);
  ASSERT_TRUE(info.ok() && info->has_value());
  ASSERT_EQ((*info)->sightings.size(), 2u);
  EXPECT_EQ((*info)->sightings[0].count, 3);
  EXPECT_EQ((*info)->sightings[0].org_id, org_b_);
  EXPECT_EQ((*info)->sightings[0].source, "sensor-1");
  EXPECT_EQ((*info)->sightings[1].org_id, 0);
  EXPECT_EQ(CountsAt("2024-06-01T00:00:00.000Z").sightings, 3);
}

TEST_F(StoreTest, EventUpsertReplacesTagsAndRecipients) {
  auto batch = Begin();
  auto first = batch->UpsertEvent(Event("e1", {"tlp:green", "malware:lumma"}), Tlp::kAmber, org_a_,
                                  {org_b_});
  ASSERT_TRUE(first.ok());
  EventRecord update = Event("e1", {"malware:redline"});
  update.title = "renamed";
  update.modified = "2024-06-01T00:00:00.000Z";
  auto second = batch->UpsertEvent(update, Tlp::kRed, org_a_, {org_a_});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  auto bad_recipient = batch->UpsertEvent(Event("e2"), Tlp::kAmber, org_a_, {777});
  ASSERT_FALSE(bad_recipient.ok());
  EXPECT_THAT(bad_recipient.status().message(), HasSubstr("777"));
  ASSERT_TRUE(batch->Commit().ok());

  auto event = store_->GetEvent("e1");
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->title, "renamed");
  EXPECT_EQ((*event)->tlp, Tlp::kRed);
  EXPECT_EQ((*event)->owner_org_id, org_a_);
  EXPECT_EQ((*event)->created, "2024-05-01T00:00:00.000Z");
  EXPECT_EQ((*event)->modified, "2024-06-01T00:00:00.000Z");
  EXPECT_THAT((*event)->tags, ElementsAre("malware:redline"));
  EXPECT_THAT((*event)->recipient_org_ids, ElementsAre(org_a_));
}

// MISP's grading comes back on every read path that returns an event, a
// record that states it changes it, and one that does not (a REST edit, a
// STIX import) leaves it as stored.
TEST_F(StoreTest, EventGradingRoundTripsAndIsChangedOnlyByARecordThatHasIt) {
  auto batch = Begin();
  EventRecord graded = Event("graded");
  graded.threat_level = ThreatLevel::kHigh;
  graded.analysis = AnalysisStage::kInitial;
  auto graded_id = batch->UpsertEvent(graded, Tlp::kGreen, org_a_, {});
  ASSERT_TRUE(graded_id.ok()) << graded_id.status().ToString();
  ASSERT_TRUE(batch->Link(*graded_id, ip_, Context(), "").ok());
  ASSERT_TRUE(batch->UpsertEvent(Event("plain"), Tlp::kGreen, org_a_, {}).ok());
  ASSERT_TRUE(batch->Commit().ok());

  auto expect_graded = [](const EventSummary& event, std::optional<ThreatLevel> level,
                          std::optional<AnalysisStage> stage, const std::string& path) {
    EXPECT_EQ(event.threat_level, level) << path;
    EXPECT_EQ(event.analysis, stage) << path;
  };
  auto by_uuid = store_->GetEvent("graded");
  ASSERT_TRUE(by_uuid.ok() && by_uuid->has_value());
  expect_graded(**by_uuid, ThreatLevel::kHigh, AnalysisStage::kInitial, "GetEvent");
  auto by_id = store_->GetEventById(*graded_id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  expect_graded(**by_id, ThreatLevel::kHigh, AnalysisStage::kInitial, "GetEventById");
  int listed = 0;
  ASSERT_TRUE(store_
                  ->ForEachEvent({},
                                 [&](const EventSummary& event) {
                                   ++listed;
                                   if (event.uuid == "graded") {
                                     expect_graded(event, ThreatLevel::kHigh,
                                                   AnalysisStage::kInitial, "ForEachEvent");
                                   } else {
                                     expect_graded(event, std::nullopt, std::nullopt,
                                                   "ForEachEvent");
                                   }
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(listed, 2);
  // The two reads that put link columns after the event's.
  auto info = store_->LookupObservable(ip_);
  ASSERT_TRUE(info.ok() && info->has_value());
  ASSERT_EQ((*info)->events.size(), 1u);
  expect_graded((*info)->events[0].event, ThreatLevel::kHigh, AnalysisStage::kInitial,
                "LookupObservable");
  EXPECT_EQ((*info)->events[0].context.role, "c2");
  int rows = 0;
  ASSERT_TRUE(store_
                  ->ForEachIndicator({},
                                     [&](const IndicatorRow& row) {
                                       ++rows;
                                       expect_graded(row.event, ThreatLevel::kHigh,
                                                     AnalysisStage::kInitial, "ForEachIndicator");
                                       EXPECT_EQ(row.link.context.confidence, 80);
                                       return Status::Ok();
                                     })
                  .ok());
  EXPECT_EQ(rows, 1);

  // A later version of the event with another grading changes it ...
  batch.reset();  // one batch at a time
  batch = Begin();
  EventRecord regraded = Event("graded");
  regraded.threat_level = ThreatLevel::kLow;
  regraded.analysis = AnalysisStage::kCompleted;
  ASSERT_TRUE(batch->UpsertEvent(regraded, Tlp::kGreen, org_a_, {}).ok());
  ASSERT_TRUE(batch->Commit().ok());
  expect_graded(store_->GetEvent("graded").value().value(), ThreatLevel::kLow,
                AnalysisStage::kCompleted, "regraded");
  // ... a record without one (a title edit) keeps it ...
  batch.reset();
  batch = Begin();
  EventRecord renamed = Event("graded");
  renamed.title = "renamed";
  ASSERT_TRUE(batch->UpsertEvent(renamed, Tlp::kGreen, org_a_, {}).ok());
  ASSERT_TRUE(batch->Commit().ok());
  EventSummary kept = store_->GetEvent("graded").value().value();
  EXPECT_EQ(kept.title, "renamed");
  expect_graded(kept, ThreatLevel::kLow, AnalysisStage::kCompleted, "renamed");
  // ... and one that states only one of them changes only that one.
  batch.reset();
  batch = Begin();
  EventRecord half = Event("graded");
  half.analysis = AnalysisStage::kOngoing;
  ASSERT_TRUE(batch->UpsertEvent(half, Tlp::kGreen, org_a_, {}).ok());
  ASSERT_TRUE(batch->Commit().ok());
  expect_graded(store_->GetEvent("graded").value().value(), ThreatLevel::kLow,
                AnalysisStage::kOngoing, "half");
}

TEST_F(StoreTest, EmptyEventIsDeletedAndLinkedOneKept) {
  auto batch = Begin();
  int64_t empty = AddEvent(*batch, "empty");
  int64_t full = AddEvent(*batch, "full");
  ASSERT_TRUE(batch->Link(full, ip_, Context(), "").ok());
  ASSERT_TRUE(batch->DeleteEventIfEmpty(empty).ok());
  ASSERT_TRUE(batch->DeleteEventIfEmpty(full).ok());
  ASSERT_TRUE(batch->Commit().ok());
  auto gone = store_->GetEvent("empty");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto kept = store_->GetEvent("full");
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->has_value());
}

TEST_F(StoreTest, EventFiltersAndCursor) {
  auto batch = Begin();
  for (int event_idx = 1; event_idx <= 6; ++event_idx) {
    EventRecord event = Event("e" + std::to_string(event_idx),
                              event_idx % 2 == 0 ? std::vector<std::string>{"even"}
                                                 : std::vector<std::string>{});
    event.modified = "2024-05-0" + std::to_string(event_idx) + "T00:00:00.000Z";
    Tlp tlp = event_idx <= 3 ? Tlp::kGreen : Tlp::kAmber;
    ASSERT_TRUE(batch->UpsertEvent(event, tlp, event_idx == 6 ? org_b_ : org_a_, {}).ok());
  }
  ASSERT_TRUE(batch->Commit().ok());

  auto uuids = [&](const EventFilter& filter) {
    std::vector<std::string> seen;
    Status status = store_->ForEachEvent(filter, [&](const EventSummary& event) {
      seen.push_back(event.uuid);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return seen;
  };
  EXPECT_EQ(uuids({}).size(), 6u);
  EventFilter filter;
  filter.tlp = Tlp::kGreen;
  EXPECT_THAT(uuids(filter), ElementsAre("e1", "e2", "e3"));
  filter = {};
  filter.owner_org_id = org_b_;
  EXPECT_THAT(uuids(filter), ElementsAre("e6"));
  filter = {};
  filter.tag = "even";
  EXPECT_THAT(uuids(filter), ElementsAre("e2", "e4", "e6"));
  filter = {};
  filter.modified_since = "2024-05-05";  // normalized before comparing
  EXPECT_THAT(uuids(filter), ElementsAre("e5", "e6"));
  filter.modified_since = "not a time";
  Status bad = store_->ForEachEvent(filter, [](const EventSummary&) { return Status::Ok(); });
  EXPECT_THAT(bad.message(), HasSubstr("modified_since"));

  // Paging with the cursor visits every event once.
  std::vector<std::string> paged;
  filter = {};
  filter.limit = 4;
  while (true) {
    int64_t last_id = 0;
    ASSERT_TRUE(store_
                    ->ForEachEvent(filter,
                                   [&](const EventSummary& event) {
                                     paged.push_back(event.uuid);
                                     last_id = event.id;
                                     return Status::Ok();
                                   })
                    .ok());
    if (last_id == 0) break;
    filter.after_id = last_id;
  }
  EXPECT_THAT(paged, ElementsAre("e1", "e2", "e3", "e4", "e5", "e6"));

  // A callback's error stops the walk and comes back.
  int calls = 0;
  Status stopped = store_->ForEachEvent({}, [&](const EventSummary&) {
    ++calls;
    return Status::Internal("stop");
  });
  EXPECT_EQ(stopped.message(), "stop");
  EXPECT_EQ(calls, 1);
}

TEST_F(StoreTest, LiveIndicatorsExcludeExpiredObservedAndWarningListed) {
  auto batch = Begin();
  int64_t event_id = AddEvent(*batch, "e1");
  IndicatorContext expiring = Context();
  expiring.valid_until = "2024-06-01T00:00:00.000Z";
  ASSERT_TRUE(batch->Link(event_id, ip_, expiring, "").ok());
  ASSERT_TRUE(batch->Link(event_id, domain_, Context(), "").ok());
  IndicatorContext observed = Context();
  observed.is_indicator = false;
  ASSERT_TRUE(batch->Link(event_id, {ObservableType::kIpv4, "192.0.2.2"}, observed, "").ok());
  auto listed = batch->Link(event_id, {ObservableType::kIpv4, "8.8.8.8"}, Context(), "resolvers");
  ASSERT_TRUE(listed.ok());
  // The same domain in a second event does not count twice.
  int64_t second = AddEvent(*batch, "e2");
  ASSERT_TRUE(batch->Link(second, domain_, Context(), "").ok());
  ASSERT_TRUE(batch->Commit().ok());

  EXPECT_EQ(CountsAt("2024-05-15T00:00:00.000Z").live_indicators, 2);
  EXPECT_EQ(CountsAt("2024-06-01T00:00:00.000Z").live_indicators, 1);  // expiry is exclusive
  StoreCounts later = CountsAt("2024-07-01");
  EXPECT_EQ(later.live_indicators, 1);
  EXPECT_EQ(later.observables, 4);
  EXPECT_EQ(later.links, 5);
  EXPECT_EQ(later.events, 2);
  EXPECT_EQ(later.organisations, 2);

  auto info = store_->LookupObservable({ObservableType::kIpv4, "8.8.8.8"});
  ASSERT_TRUE(info.ok() && info->has_value());
  EXPECT_EQ((*info)->warninglist, "resolvers");
}

TEST_F(StoreTest, LiveObservablesCarryTheirValidIndicatorLinksInEventOrder) {
  auto none = store_->MaxObservableId();
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(*none, 0);
  auto batch = Begin();
  int64_t first = AddEvent(*batch, "e1");
  int64_t second = AddEvent(*batch, "e2", Tlp::kAmber);
  int64_t third = AddEvent(*batch, "e3");
  IndicatorContext expiring = Context();
  expiring.valid_until = "2024-06-01T00:00:00.000Z";
  IndicatorContext expired = Context();
  expired.valid_until = "2023-01-01T00:00:00.000Z";
  IndicatorContext observed = Context();
  observed.is_indicator = false;
  // Linked into the later events first: the links still come in event order.
  ASSERT_TRUE(batch->Link(third, ip_, Context(), "").ok());
  ASSERT_TRUE(batch->Link(second, ip_, observed, "").ok());
  ASSERT_TRUE(batch->Link(first, ip_, expiring, "").ok());
  ASSERT_TRUE(batch->Link(first, {ObservableType::kIpv4, "192.0.2.50"}, expired, "").ok());
  ASSERT_TRUE(batch->Link(first, {ObservableType::kIpv4, "8.8.8.8"}, Context(), "resolvers").ok());
  ASSERT_TRUE(batch->Commit().ok());

  auto live_at = [&](const std::string& now) {
    std::vector<LiveObservable> live;
    EXPECT_TRUE(store_->ForEachLiveObservable(now, [&](const LiveObservable& one) {
                        live.push_back(one);
                        return Status::Ok();
                      }).ok());
    return live;
  };
  // The observed (non-indicator) link, the expired value and the warning
  // list's value are left out.
  std::vector<LiveObservable> live = live_at("2024-01-01T00:00:00.000Z");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].observable, ip_);
  EXPECT_EQ(live[0].expires, "");  // the third event's link never expires
  ASSERT_EQ(live[0].links.size(), 2u);
  EXPECT_EQ(live[0].links[0].event_id, first);
  EXPECT_EQ(live[0].links[0].valid_until, "2024-06-01T00:00:00.000Z");
  EXPECT_EQ(live[0].links[1].event_id, third);
  EXPECT_EQ(live[0].links[1].valid_until, "");
  // The bound a snapshot sizes its arrays by covers every observable.
  auto max_id = store_->MaxObservableId();
  ASSERT_TRUE(max_id.ok());
  for (const Observable& value : {ip_, Observable{ObservableType::kIpv4, "192.0.2.50"},
                                  Observable{ObservableType::kIpv4, "8.8.8.8"}}) {
    auto info = store_->LookupObservable(value);
    ASSERT_TRUE(info.ok() && info->has_value());
    EXPECT_LE((*info)->id, *max_id);
  }
  // Once the first link has expired, only the third event's is left.
  live = live_at("2024-07-01T00:00:00.000Z");
  ASSERT_EQ(live.size(), 1u);
  ASSERT_EQ(live[0].links.size(), 1u);
  EXPECT_EQ(live[0].links[0].event_id, third);

  auto event = store_->GetEventById(second);
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->uuid, "e2");
  EXPECT_EQ((*event)->tlp, Tlp::kAmber);
  auto no_event = store_->GetEventById(second + 100);
  ASSERT_TRUE(no_event.ok());
  EXPECT_FALSE(no_event->has_value());
}

// Another connection (another thread or process) sees a batch only once it
// is committed.
TEST_F(StoreTest, OtherConnectionSeesOnlyCommittedData) {
  auto other = OpenStore({dir_.Join("node"), false});
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto batch = Begin();
  int64_t event_id = AddEvent(*batch, "e1");
  ASSERT_TRUE(batch->Link(event_id, ip_, Context(), "").ok());

  auto during = (*other)->LookupObservable(ip_);
  ASSERT_TRUE(during.ok()) << during.status().ToString();
  EXPECT_FALSE(during->has_value());
  auto counts = (*other)->Counts("2024-05-15T00:00:00.000Z");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->events, 0);

  ASSERT_TRUE(batch->Commit().ok());
  auto after = (*other)->LookupObservable(ip_);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->has_value());
}

}  // namespace
}  // namespace accord
