// The Store additions for the REST API: listing links across events with a
// cursor, deleting an event, removing links, and their transaction rules.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::ElementsAre;

class RestStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), /*create=*/true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    Organisation org;
    org.name = "CERT-A";
    auto created = store_->CreateOrganisation(org);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    org_ = created->id;
  }

  // An event with `values` as ipv4 links; returns its id.
  int64_t AddEvent(const std::string& uuid, const std::vector<std::string>& values,
                   std::vector<std::string> tags = {},
                   const std::string& modified = "2024-05-01T00:00:00.000Z") {
    auto batch = store_->BeginImport();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    EventRecord event;
    event.uuid = uuid;
    event.title = uuid;
    event.tags = std::move(tags);
    event.created = modified;
    event.modified = modified;
    auto id = (*batch)->UpsertEvent(event, Tlp::kGreen, org_, {});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    for (const auto& value : values) {
      IndicatorContext context;
      context.role = "c2";
      EXPECT_TRUE((*batch)->Link(*id, {ObservableType::kIpv4, value}, context, "").ok());
    }
    EXPECT_TRUE((*batch)->Commit().ok());
    return *id;
  }

  std::vector<std::string> Values(const IndicatorFilter& filter) {
    std::vector<std::string> values;
    Status status = store_->ForEachIndicator(filter, [&](const IndicatorRow& row) {
      values.push_back(row.event.uuid + "/" + row.link.observable.value);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return values;
  }

  // Stores an alert on 192.0.2.1 (AddEvent links it first) last hit at
  // `last_seen`; returns its id.
  int64_t AddAlert(const std::string& uuid, const std::string& last_seen, const std::string& json = "{}",
                   Tlp tlp = Tlp::kGreen, const std::string& country = "") {
    auto observable = store_->LookupObservable({ObservableType::kIpv4, "192.0.2.1"});
    EXPECT_TRUE(observable.ok() && *observable) << "link 192.0.2.1 first";
    if (!observable.ok() || !*observable) return 0;
    std::vector<AlertRow> alerts(1);
    alerts[0].uuid = uuid;
    alerts[0].created = "2026-03-01T00:00:00Z";  // stored "now", whatever the log's time
    alerts[0].observable_id = (*observable)->id;
    alerts[0].tlp = tlp;
    alerts[0].owner_org_id = org_;
    alerts[0].country = country;
    alerts[0].first_seen = last_seen;
    alerts[0].last_seen = last_seen;
    alerts[0].json = json;
    EXPECT_TRUE(store_->RecordAlerts(alerts, {}, std::nullopt).ok());
    return alerts[0].id;
  }

  // "tlp/day/country/acknowledged/families=count" per tally group, sorted.
  std::vector<std::string> Tallies(const AlertFilter& filter, bool detailed) {
    std::vector<std::string> groups;
    Status status = store_->ForEachAlertTally(filter, detailed, [&](const AlertTally& tally) {
      std::string families;
      for (const std::string& family : tally.families) families += (families.empty() ? "" : "+") + family;
      groups.push_back(std::string(TlpName(tally.tlp)) + "/" + tally.last_seen_day + "/" + tally.country + "/" +
                       (!detailed ? "" : tally.acknowledged ? "ack" : "open") + "/" + families + "=" +
                       std::to_string(tally.count) + (tally.owner_org_id == org_ ? "" : " (other owner)"));
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    std::sort(groups.begin(), groups.end());
    return groups;
  }

  std::vector<std::string> AlertUuids(const AlertFilter& filter) {
    std::vector<std::string> uuids;
    Status status = store_->ForEachAlert(filter, [&](const AlertRow& row) {
      uuids.push_back(row.uuid);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return uuids;
  }

  std::vector<std::string> EventUuids(const EventFilter& filter) {
    std::vector<std::string> uuids;
    Status status = store_->ForEachEvent(filter, [&](const EventSummary& event) {
      uuids.push_back(event.uuid);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return uuids;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  int64_t org_ = 0;
};

TEST_F(RestStoreTest, IndicatorsComeInEventThenObservableOrderWithEventDetails) {
  AddEvent("e1", {"192.0.2.2", "192.0.2.1"}, {"botnet"});
  AddEvent("e2", {"192.0.2.1"});
  EXPECT_THAT(Values({}), ElementsAre("e1/192.0.2.2", "e1/192.0.2.1", "e2/192.0.2.1"));
  std::vector<std::string> tags;
  ASSERT_TRUE(store_->ForEachIndicator({}, [&](const IndicatorRow& row) {
                      if (row.event.uuid == "e1") tags = row.event.tags;
                      EXPECT_EQ(row.event.owner_org_id, org_);
                      EXPECT_EQ(row.link.context.role, "c2");
                      return Status::Ok();
                    }).ok());
  EXPECT_THAT(tags, ElementsAre("botnet"));
}

TEST_F(RestStoreTest, IndicatorCursorResumesAfterTheLastRowWithoutGapsOrRepeats) {
  AddEvent("e1", {"192.0.2.1", "192.0.2.2", "192.0.2.3"});
  AddEvent("e2", {"192.0.2.4"});
  std::vector<IndicatorRow> rows;
  ASSERT_TRUE(store_->ForEachIndicator({}, [&](const IndicatorRow& row) {
                      rows.push_back(row);
                      return Status::Ok();
                    }).ok());
  ASSERT_EQ(rows.size(), 4u);
  IndicatorFilter after;
  after.after_event_id = rows[1].event.id;
  after.after_observable_id = rows[1].link.observable_id;
  EXPECT_THAT(Values(after), ElementsAre("e1/192.0.2.3", "e2/192.0.2.4"));
}

TEST_F(RestStoreTest, IndicatorFiltersByTypeTagAndModifiedSince) {
  AddEvent("old", {"192.0.2.1"}, {"x"}, "2020-01-01T00:00:00.000Z");
  AddEvent("new", {"192.0.2.2"}, {"y"}, "2024-06-01T00:00:00.000Z");
  IndicatorFilter tag;
  tag.tag = "x";
  EXPECT_THAT(Values(tag), ElementsAre("old/192.0.2.1"));
  IndicatorFilter since;
  since.modified_since = "2024-01-01";
  EXPECT_THAT(Values(since), ElementsAre("new/192.0.2.2"));
  IndicatorFilter domains;
  domains.type = ObservableType::kDomain;
  EXPECT_TRUE(Values(domains).empty());
  IndicatorFilter bad;
  bad.modified_since = "yesterday";
  Status status = store_->ForEachIndicator(bad, [](const IndicatorRow&) { return Status::Ok(); });
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
}

TEST_F(RestStoreTest, DeleteEventRemovesItsLinksButKeepsSharedObservables) {
  int64_t doomed = AddEvent("doomed", {"192.0.2.1", "192.0.2.9"});
  AddEvent("kept", {"192.0.2.1"});
  ASSERT_TRUE(store_->DeleteEvent(doomed).ok());
  EXPECT_FALSE(store_->GetEvent("doomed")->has_value());
  EXPECT_THAT(Values({}), ElementsAre("kept/192.0.2.1"));
  auto info = store_->LookupObservable({ObservableType::kIpv4, "192.0.2.1"});
  ASSERT_TRUE(info.ok() && info->has_value());
  EXPECT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ(store_->DeleteEvent(doomed).code(), Status::Code::kNotFound);
}

TEST_F(RestStoreTest, DeleteInsideABatchIsUndoneWhenTheBatchIsNotCommitted) {
  int64_t id = AddEvent("e1", {"192.0.2.1"});
  {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE(store_->DeleteEvent(id).ok());
  }  // rolled back
  EXPECT_TRUE(store_->GetEvent("e1")->has_value());
  {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE(store_->DeleteEvent(id).ok());
    AuditEntry audit;
    audit.actor = "test";
    audit.action = "event.delete";
    audit.object = "e1";
    ASSERT_TRUE((*batch)->AppendAudit(audit).ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  EXPECT_FALSE(store_->GetEvent("e1")->has_value());
}

TEST_F(RestStoreTest, RemoveLinksKeepsTheObservableCountExact) {
  int64_t id = AddEvent("e1", {"192.0.2.1", "192.0.2.2", "192.0.2.3"});
  std::vector<int64_t> first_two;
  ASSERT_TRUE(store_->ForEachLink(id, [&](const LinkedObservable& link) {
                      if (first_two.size() < 2) first_two.push_back(link.observable_id);
                      return Status::Ok();
                    }).ok());
  first_two.push_back(999999);  // not linked: ignored
  auto removed = store_->RemoveLinks(id, first_two);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ((*store_->GetEvent("e1"))->observable_count, 1);
  EXPECT_EQ(Values({}).size(), 1u);
}

TEST_F(RestStoreTest, RemoveLinksInsideABatchCountsTogetherWithNewLinks) {
  int64_t id = AddEvent("e1", {"192.0.2.1"});
  int64_t old_observable = 0;
  ASSERT_TRUE(store_->ForEachLink(id, [&](const LinkedObservable& link) {
                      old_observable = link.observable_id;
                      return Status::Ok();
                    }).ok());
  auto batch = store_->BeginImport();
  ASSERT_TRUE(batch.ok());
  ASSERT_TRUE((*batch)->Link(id, {ObservableType::kIpv4, "192.0.2.7"}, {}, "").ok());
  ASSERT_TRUE((*batch)->Link(id, {ObservableType::kIpv4, "192.0.2.8"}, {}, "").ok());
  ASSERT_EQ(*store_->RemoveLinks(id, {old_observable}), 1);
  ASSERT_TRUE((*batch)->Commit().ok());
  EXPECT_EQ((*store_->GetEvent("e1"))->observable_count, 2);
}

// Alerts stored in one order (a replayed old log after today's hits) read
// newest observed first, the later stored first among equal times, and a
// key pages on in either direction without gaps or repeats.
TEST_F(RestStoreTest, AlertsReadByObservedTimeWithStoredOrderBreakingTies) {
  AddEvent("e1", {"192.0.2.1"});
  AddAlert("today", "2026-03-01T10:00:00Z");
  const int64_t tie_first = AddAlert("tie-first", "2026-02-01T00:00:00Z");
  AddAlert("replayed-old", "2025-01-01T00:00:00Z");
  AddAlert("tie-second", "2026-02-01T00:00:00Z");
  EXPECT_THAT(AlertUuids({}), ElementsAre("today", "tie-first", "replayed-old", "tie-second"));

  AlertFilter newest;
  newest.by_observed = true;
  EXPECT_THAT(AlertUuids(newest), ElementsAre("today", "tie-second", "tie-first", "replayed-old"));
  AlertFilter below = newest;
  below.last_seen_key = "2026-02-01T00:00:00Z";
  below.id_key = tie_first + 2;  // tie-second
  EXPECT_THAT(AlertUuids(below), ElementsAre("tie-first", "replayed-old"));
  AlertFilter above = below;
  above.observed_ascending = true;
  EXPECT_THAT(AlertUuids(above), ElementsAre("today"));
  above.limit = 1;
  above.id_key = tie_first;
  EXPECT_THAT(AlertUuids(above), ElementsAre("tie-second"));
}

// The family filter reads the families column written with each alert: a
// whole family of the alert's "families", without ASCII case; never part of
// a name, and never a damaged alert's.
TEST_F(RestStoreTest, AlertFamilyFilterMatchesAWholeFamilyIgnoringCase) {
  AddEvent("e1", {"192.0.2.1"});
  AddAlert("two", "2026-03-01T00:00:00Z", R"({"families":["LummaC2","Vidar"]})");
  AddAlert("lumma", "2026-03-01T00:00:01Z", R"({"families":["lumma"]})");
  AddAlert("none", "2026-03-01T00:00:02Z", R"({"families":[]})");
  AddAlert("damaged", "2026-03-01T00:00:03Z", R"({"families":["lumma")");
  AddAlert("not-strings", "2026-03-01T00:00:04Z", R"({"families":[7,{"lumma":1}],"x":"lumma"})");
  AlertFilter filter;
  filter.family = "lummac2";
  EXPECT_THAT(AlertUuids(filter), ElementsAre("two"));
  filter.family = "VIDAR";
  EXPECT_THAT(AlertUuids(filter), ElementsAre("two"));
  filter.family = "lumma";
  EXPECT_THAT(AlertUuids(filter), ElementsAre("lumma"));
  filter.family = "umma";
  EXPECT_THAT(AlertUuids(filter), ElementsAre());
  filter.family = "";
  EXPECT_EQ(AlertUuids(filter).size(), 5u);
  filter.family = "lumma";
  EXPECT_THAT(Tallies(filter, false), ElementsAre("green////=1"));
}

// Totals and the dashboard count groups of alerts sharing who may read them
// (and, detailed, their day, country, acknowledgement and families), with
// the feed's filters applied.
TEST_F(RestStoreTest, AlertTalliesCountGroupsThatShareTheirAudienceAndDashboardColumns) {
  AddEvent("e1", {"192.0.2.1"});
  AddAlert("a", "2026-03-01T10:00:00.123Z", R"({"families":["RedLine"]})", Tlp::kGreen, "DE");
  AddAlert("b", "2026-03-01T23:59:59Z", R"({"families":["RedLine"]})", Tlp::kGreen, "DE");
  AddAlert("c", "2026-03-02T00:00:00Z", R"({"families":["RedLine","lumma"]})", Tlp::kGreen, "DE");
  const int64_t amber = AddAlert("d", "2026-03-02T01:00:00Z", "{}", Tlp::kAmber, "NL");
  AuditEntry audit;
  audit.time = "2026-03-02T02:00:00Z";
  audit.actor = "cli:test";
  audit.action = "alert.acknowledge";
  audit.object = "d";
  ASSERT_TRUE(store_->AcknowledgeAlert(amber, audit.time, "CERT-A: test", audit).ok());

  EXPECT_THAT(Tallies({}, false), ElementsAre("amber////=1", "green////=3"));
  EXPECT_THAT(Tallies({}, true), ElementsAre("amber/2026-03-02/NL/ack/=1", "green/2026-03-01/DE/open/RedLine=2",
                                             "green/2026-03-02/DE/open/RedLine+lumma=1"));
  AlertFilter filter;
  filter.country = "DE";
  filter.family = "redline";
  EXPECT_THAT(Tallies(filter, false), ElementsAre("green////=3"));
  filter.family = "LUMMA";
  EXPECT_THAT(Tallies(filter, true), ElementsAre("green/2026-03-02/DE/open/RedLine+lumma=1"));
  AlertFilter acknowledged;
  acknowledged.acknowledged = true;
  EXPECT_THAT(Tallies(acknowledged, false), ElementsAre("amber////=1"));
}

// An import drops a group event it emptied (DeleteEventIfEmpty); an alert
// raised on it between two of the import's batches lets it go, as it would
// an event deleted over REST.
TEST_F(RestStoreTest, AnEventAnImportEmptiedAndDroppedLeavesTheAlertsThatNamedIt) {
  AddEvent("report", {"192.0.2.1"});
  const int64_t group = AddEvent("group", {});
  AddAlert("alert-1", "2026-03-01T00:00:00Z",
           R"({"events":[{"uuid":"group","title":"Group"},{"uuid":"report","title":"Report"}]})");
  auto batch = store_->BeginImport();
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_TRUE((*batch)->DeleteEventIfEmpty(group).ok());
  ASSERT_TRUE((*batch)->Commit().ok());
  ASSERT_FALSE(store_->GetEvent("group").value().has_value());
  auto alert = store_->FindAlert("alert-1");
  ASSERT_TRUE(alert.ok() && alert->has_value()) << alert.status().ToString();
  const nlohmann::json events = nlohmann::json::parse((*alert)->json)["events"];
  ASSERT_EQ(events.size(), 1u) << (*alert)->json;
  EXPECT_EQ(events[0]["uuid"], "report");
}

TEST_F(RestStoreTest, EventTitleFilterFindsASubstringIgnoringCase) {
  for (const char* uuid : {"RedLine stealer C2", "lumma panel", "Redline 100% (new_wave)"}) {
    AddEvent(uuid, {});
  }
  EventFilter filter;
  filter.title_contains = "REDLINE";
  EXPECT_THAT(EventUuids(filter), ElementsAre("RedLine stealer C2", "Redline 100% (new_wave)"));
  // % and _ are text, not LIKE's wildcards.
  filter.title_contains = "0% (new_";
  EXPECT_THAT(EventUuids(filter), ElementsAre("Redline 100% (new_wave)"));
  filter.title_contains = "e_w";
  EXPECT_THAT(EventUuids(filter), ElementsAre());
  filter.title_contains = "";
  EXPECT_EQ(EventUuids(filter).size(), 3u);
}

// The event page's reads: a page at a time from a cursor, narrowed by type
// and by a part of the value in any ASCII case, with counts that ignore the
// cursor and the page size.
TEST_F(RestStoreTest, AnEventsLinksPageFromACursorNarrowedByTypeAndAPartOfTheValue) {
  const int64_t id = AddEvent("e1", {"192.0.2.1", "192.0.2.2", "192.0.2.3", "198.51.100.7"});
  AddEvent("e2", {"192.0.2.9"});  // another event's link is never listed
  {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    for (const char* domain : {"Evil-Panel.example", "mail.example"}) {
      ASSERT_TRUE((*batch)->Link(id, {ObservableType::kDomain, domain}, {}, "").ok());
    }
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  auto page = [&](const EventLinkFilter& filter) {
    std::vector<std::string> values;
    int64_t last = 0;
    EXPECT_TRUE(store_->ForEachLinkMatching(filter, [&](const LinkedObservable& link) {
                          EXPECT_GT(link.observable_id, last) << "observable id order";
                          last = link.observable_id;
                          values.push_back(link.observable.value);
                          return Status::Ok();
                        }).ok());
    return values;
  };
  EventLinkFilter filter;
  filter.event_id = id;
  filter.limit = 4;
  const std::vector<std::string> first = page(filter);
  ASSERT_EQ(first.size(), 4u);
  // The next page starts after the last observable of this one.
  int64_t fourth = 0;
  ASSERT_TRUE(store_->ForEachLinkMatching(filter, [&](const LinkedObservable& link) {
                      fourth = link.observable_id;
                      return Status::Ok();
                    }).ok());
  filter.after_observable_id = fourth;
  std::vector<std::string> all = first;
  for (const std::string& value : page(filter)) all.push_back(value);
  EXPECT_THAT(all, ::testing::UnorderedElementsAre("192.0.2.1", "192.0.2.2", "192.0.2.3", "198.51.100.7",
                                                   "Evil-Panel.example", "mail.example"));
  EXPECT_EQ(*store_->CountLinksMatching(filter), 6) << "the count ignores the cursor";

  EventLinkFilter narrowed;
  narrowed.event_id = id;
  narrowed.value_contains = "192.0.2.";
  EXPECT_THAT(page(narrowed), ElementsAre("192.0.2.1", "192.0.2.2", "192.0.2.3"));
  EXPECT_EQ(*store_->CountLinksMatching(narrowed), 3);
  narrowed.value_contains = "PANEL";  // found in any case
  EXPECT_THAT(page(narrowed), ElementsAre("Evil-Panel.example"));
  narrowed.value_contains = "example";
  narrowed.type = ObservableType::kIpv4;
  EXPECT_THAT(page(narrowed), ElementsAre());
  EXPECT_EQ(*store_->CountLinksMatching(narrowed), 0);
  narrowed.value_contains = "";
  EXPECT_EQ(page(narrowed).size(), 4u);

  auto by_type = store_->CountLinksByType(id);
  ASSERT_TRUE(by_type.ok()) << by_type.status().ToString();
  EXPECT_THAT(*by_type, ElementsAre(std::pair{ObservableType::kIpv4, int64_t{4}},
                                    std::pair{ObservableType::kDomain, int64_t{2}}));
}

// Every write to an event or its links moves its revision on: what an
// edit's If-Match is checked against without reading the links.
TEST_F(RestStoreTest, EveryWriteToAnEventOrItsLinksMovesItsRevisionOn) {
  const int64_t id = AddEvent("e1", {"192.0.2.1"});
  AddEvent("e2", {"192.0.2.3"});
  const int64_t other_before = (*store_->GetEvent("e2"))->revision;
  auto revision = [&] { return (*store_->GetEvent("e1"))->revision; };
  const int64_t created = revision();
  {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE((*batch)->Link(id, {ObservableType::kIpv4, "192.0.2.2"}, {}, "").ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  const int64_t linked = revision();
  EXPECT_GT(linked, created) << "a link added";
  {
    // The same value again with another comment: the link changes, not the count.
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    IndicatorContext context;
    context.comment = "seen again";
    ASSERT_TRUE((*batch)->Link(id, {ObservableType::kIpv4, "192.0.2.2"}, context, "").ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  const int64_t relinked = revision();
  EXPECT_GT(relinked, linked) << "a link's context changed";
  int64_t observable = 0;
  ASSERT_TRUE(store_->ForEachLink(id, [&](const LinkedObservable& link) {
                      observable = link.observable_id;
                      return Status::Ok();
                    }).ok());
  ASSERT_EQ(*store_->RemoveLinks(id, {observable}), 1);
  const int64_t removed = revision();
  EXPECT_GT(removed, relinked) << "a link removed";
  AddEvent("e1", {});  // the event's fields written again
  EXPECT_GT(revision(), removed) << "the event rewritten";
  EXPECT_EQ((*store_->GetEvent("e2"))->revision, other_before) << "another event's writes leave it alone";
}

}  // namespace
}  // namespace accord
