// Values marked apart from their event, and one value named by several STIX
// objects, end to end on a real SQLite node: a value is read only at its own
// TLP level, and every report that names it carries it.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

std::string Marking(Tlp tlp) { return std::string(TlpStixMarkingId(tlp)); }

std::string StixIndicator(int n, const std::string& domain, Tlp tlp) {
  return fmt::format(
      R"({{"type":"indicator","spec_version":"2.1","id":"indicator--{:08x}-1111-4111-8111-111111111111",)"
      R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
      R"("pattern":"[domain-name:value = '{}']","pattern_type":"stix",)"
      R"("valid_from":"2026-01-01T00:00:00Z","object_marking_refs":["{}"]}})",
      n, domain, Marking(tlp));
}

std::string IndicatorId(int n) {
  return fmt::format("indicator--{:08x}-1111-4111-8111-111111111111", n);
}

std::string StixReport(int n, Tlp tlp, const std::vector<int>& members) {
  std::string refs;
  for (int member : members) refs += (refs.empty() ? "\"" : ",\"") + IndicatorId(member) + "\"";
  return fmt::format(
      R"({{"type":"report","spec_version":"2.1","id":"report--{:08x}-2222-4222-8222-222222222222",)"
      R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
      R"("name":"Report {}","published":"2026-01-01T00:00:00Z","object_refs":[{}],)"
      R"("object_marking_refs":["{}"]}})",
      n, n, refs, Marking(tlp));
}

std::string Bundle(const std::vector<std::string>& objects) {
  std::string bundle = R"({"type":"bundle","id":"bundle--33333333-3333-4333-8333-333333333333","objects":[)";
  for (size_t i = 0; i < objects.size(); ++i) bundle += (i > 0 ? "," : "") + objects[i];
  return bundle + "]}";
}

class ValueLevelsTest : public ExchangeTest {
 protected:
  ImportReport ImportAs(int64_t org, const std::string& name, const std::string& content) {
    auto in = OpenInputFromMemory(name, content);
    EXPECT_TRUE(in.ok());
    ImportOptions options;
    options.owner_org_id = org;
    ImportReport report;
    EXPECT_TRUE(ImportStream(*store_, **in, options, &report).ok());
    return report;
  }

  // Whether `org` finds `value` in a CSV export (every read path goes
  // through the same MayRead on the value's event).
  bool Reads(int64_t org, const std::string& value) {
    return ExportAs(org, ExportFormat::kCsv).find(value) != std::string::npos;
  }

  // `accord import --event`: a GREEN event holding `target_value` is
  // imported, then `content` into it. Returns the target's title.
  std::string ImportIntoGreenEvent(const std::string& target_value, const std::string& name,
                                   const std::string& content, ImportReport* report = nullptr) {
    Import("target.csv", "type,value,tlp\ndomain," + target_value + ",green\n");
    auto target = store_->LookupObservable({ObservableType::kDomain, target_value});
    EXPECT_TRUE(target.ok() && *target);
    auto in = OpenInputFromMemory(name, content);
    EXPECT_TRUE(in.ok());
    if (!target.ok() || !*target || !in.ok()) return "";
    ImportOptions options;
    options.owner_org_id = owner_;
    options.into_event = (*target)->events[0].event.uuid;
    ImportReport local;
    const Status status = ImportStream(*store_, **in, options, report != nullptr ? report : &local);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return (*target)->events[0].event.title;
  }

  // The titles of the events that carry `domain`.
  std::set<std::string> EventsOf(const std::string& domain) {
    std::set<std::string> titles;
    auto info = store_->LookupObservable({ObservableType::kDomain, domain});
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    if (info.ok() && *info) {
      for (const EventLink& link : (*info)->events) titles.insert(link.event.title);
    }
    return titles;
  }
};

TEST_F(ValueLevelsTest, ARedIndicatorInAGreenReportIsNotReadAtGreen) {
  Import("report-first.json",
         Bundle({StixReport(1, Tlp::kGreen, {1, 2}), StixIndicator(1, "shared-green.example", Tlp::kGreen),
                 StixIndicator(2, "red-secret.example", Tlp::kRed)}));
  EXPECT_TRUE(Reads(other_, "shared-green.example"));
  EXPECT_FALSE(Reads(other_, "red-secret.example")) << "TLP:RED reached a member at GREEN";
  EXPECT_TRUE(Reads(owner_, "red-secret.example")) << "the owner reads what it marked RED";
  EXPECT_EQ(EventsOf("red-secret.example"), (std::set<std::string>{"Report 1 (TLP:RED values)"}));
}

TEST_F(ValueLevelsTest, ARedIndicatorBeforeTheGreenReportThatNamesItIsNotReadAtGreen) {
  Import("report-last.json",
         Bundle({StixIndicator(1, "shared-green.example", Tlp::kGreen),
                 StixIndicator(2, "red-secret.example", Tlp::kRed), StixReport(1, Tlp::kGreen, {1, 2})}));
  EXPECT_TRUE(Reads(other_, "shared-green.example"));
  EXPECT_FALSE(Reads(other_, "red-secret.example")) << "TLP:RED reached a member at GREEN";
  EXPECT_TRUE(Reads(owner_, "red-secret.example"));
  EXPECT_EQ(EventsOf("shared-green.example"), (std::set<std::string>{"Report 1"}));
  // Where it is when the report comes first: with the report's RED values,
  // not in the bundle's group of RED values no report names.
  EXPECT_EQ(EventsOf("red-secret.example"), (std::set<std::string>{"Report 1 (TLP:RED values)"}));
}

TEST_F(ValueLevelsTest, AMispAttributeTaggedRedInAGreenEventIsNotReadAtGreen) {
  Import("event.json", R"({"Event":{"uuid":"5f0c8a8e-0000-4000-8000-00000000a001","info":"Mixed",
    "Tag":[{"name":"tlp:green"}],"Attribute":[
      {"type":"domain","value":"plain-green.example","to_ids":true},
      {"type":"domain","value":"attr-red.example","to_ids":true,"Tag":[{"name":"tlp:red"}]}]}})");
  EXPECT_TRUE(Reads(other_, "plain-green.example"));
  EXPECT_FALSE(Reads(other_, "attr-red.example")) << "an attribute's tlp:red tag was not honoured";
  EXPECT_TRUE(Reads(owner_, "attr-red.example"));
}

TEST_F(ValueLevelsTest, ACsvRowAtRedAfterGreenRowsIsNotReadAtGreen) {
  Import("rows.csv", "type,value,tlp\ndomain,row-green.example,green\ndomain,row-red.example,red\n");
  EXPECT_TRUE(Reads(other_, "row-green.example"));
  EXPECT_FALSE(Reads(other_, "row-red.example")) << "the file's first row set the level of every row";
  EXPECT_TRUE(Reads(owner_, "row-red.example"));
  // A second run adds nothing: the companion event is found again.
  ImportReport again = Import("rows.csv", "type,value,tlp\ndomain,row-green.example,green\ndomain,row-red.example,red\n");
  EXPECT_EQ(again.new_values, 0);
  EXPECT_EQ(again.links_added, 0);
}

// `accord import --event UUID` (REST ?event=) puts a file's values into an
// event of one's own and keeps that event's title and level; a file marked
// more strictly than it (a tlp:red MISP event into a GREEN event) must not
// be read at GREEN: its values go into the target's companion at RED.
TEST_F(ValueLevelsTest, ARedEventImportedIntoAGreenEventIsNotReadAtGreen) {
  ImportReport report;
  const std::string title =
      ImportIntoGreenEvent("already-green.example", "red.json", R"({"Event":{"uuid":"5f0c8a8e-0000-4000-8000-00000000a0f1",
    "info":"Partner report","Tag":[{"name":"tlp:red"}],"Attribute":[
      {"type":"domain","value":"from-red-event.example","to_ids":true},
      {"type":"domain","value":"marked-green.example","to_ids":true,"Tag":[{"name":"tlp:green"}]}]}})",
                           &report);
  EXPECT_EQ(report.new_values, 2);
  EXPECT_FALSE(Reads(other_, "from-red-event.example")) << "a TLP:RED event's values were read at GREEN";
  EXPECT_TRUE(Reads(owner_, "from-red-event.example"));
  EXPECT_EQ(EventsOf("from-red-event.example"), (std::set<std::string>{title + " (TLP:RED values)"}));
  // Imported on its own, a tlp:green attribute of a tlp:red event is read
  // only through that RED event: so it is here.
  EXPECT_FALSE(Reads(other_, "marked-green.example"));
  EXPECT_EQ(EventsOf("marked-green.example"), (std::set<std::string>{title + " (TLP:RED values)"}));
}

// A companion made when values go into an event stored long ago is created
// now: a sync by modification time (modified_since) finds it.
TEST_F(ValueLevelsTest, ACompanionOfAnOldEventIsCreatedNowNotWhenItsParentWas) {
  Import("old.json", R"({"Event":{"uuid":"5f0c8a8e-0000-4000-8000-00000000a0f3","info":"Old report",
    "date":"2016-04-18","timestamp":"1460937600","Tag":[{"name":"tlp:green"}],
    "Attribute":[{"type":"domain","value":"old-green.example","to_ids":true}]}})");
  auto in = OpenInputFromMemory("red.csv", "type,value,tlp\ndomain,new-red.example,red\n");
  ASSERT_TRUE(in.ok());
  ImportOptions options;
  options.owner_org_id = owner_;
  options.into_event = "5f0c8a8e-0000-4000-8000-00000000a0f3";
  ImportReport report;
  ASSERT_TRUE(ImportStream(*store_, **in, options, &report).ok());
  auto red = store_->LookupObservable({ObservableType::kDomain, "new-red.example"});
  ASSERT_TRUE(red.ok() && *red);
  ASSERT_EQ((*red)->events.size(), 1u);
  const EventSummary& companion = (*red)->events[0].event;
  EXPECT_EQ(companion.title, "Old report (TLP:RED values)");
  EXPECT_GE(companion.created, "2026-") << "not the parent's 2016";
  EXPECT_GE(companion.modified, "2026-");
}

// A value marked more strictly than the file's event keeps its own level.
TEST_F(ValueLevelsTest, AValueStricterThanTheEventImportedIntoKeepsItsOwnLevel) {
  const std::string title =
      ImportIntoGreenEvent("target-value.example", "amber.json", R"({"Event":{"uuid":"5f0c8a8e-0000-4000-8000-00000000a0f2",
    "info":"Partner report","Tag":[{"name":"tlp:amber"}],"Attribute":[
      {"type":"domain","value":"amber-event.example","to_ids":true},
      {"type":"domain","value":"red-attribute.example","to_ids":true,"Tag":[{"name":"tlp:red"}]}]}})");
  EXPECT_EQ(EventsOf("amber-event.example"), (std::set<std::string>{title + " (TLP:AMBER values)"}));
  EXPECT_EQ(EventsOf("red-attribute.example"), (std::set<std::string>{title + " (TLP:RED values)"}));
}

// Accord's own export writes indicators before the reports that name them;
// two indicators of one value then share the bundle's group event.
TEST_F(ValueLevelsTest, TwoIndicatorsOfOneValueBeforeTheirReportsLinkItToBothReports) {
  const std::string bundle =
      Bundle({StixIndicator(1, "shared-two.example", Tlp::kGreen), StixIndicator(2, "shared-two.example", Tlp::kGreen),
              StixReport(1, Tlp::kGreen, {1}), StixReport(2, Tlp::kGreen, {2})});
  Import("two-reports.json", bundle);
  EXPECT_EQ(EventsOf("shared-two.example"), (std::set<std::string>{"Report 1", "Report 2"}));
  ImportReport again = Import("two-reports.json", bundle);
  EXPECT_EQ(again.links_added, 0);
  EXPECT_EQ(EventsOf("shared-two.example"), (std::set<std::string>{"Report 1", "Report 2"}));
}

// Each report names its own indicator of the value: each carries that
// indicator's context, not the one read last.
TEST_F(ValueLevelsTest, TwoIndicatorsOfOneValueBeforeTheirReportsGiveEachReportItsOwnContext) {
  auto indicator = [](int n, int confidence, const std::string& valid_from, const std::string& description) {
    return fmt::format(
        R"({{"type":"indicator","spec_version":"2.1","id":"{}","created":"2026-01-01T00:00:00.000Z",)"
        R"("modified":"2026-01-01T00:00:00.000Z","pattern":"[domain-name:value = 'own-context.example']",)"
        R"("pattern_type":"stix","valid_from":"{}","confidence":{},"description":"{}",)"
        R"("object_marking_refs":["{}"]}})",
        IndicatorId(n), valid_from, confidence, description, Marking(Tlp::kGreen));
  };
  Import("own-context.json", Bundle({indicator(1, 90, "2026-01-01T00:00:00Z", "C2 of family A"),
                                      indicator(2, 20, "2026-02-01T00:00:00Z", "phishing of campaign B"),
                                      StixReport(1, Tlp::kGreen, {1}), StixReport(2, Tlp::kGreen, {2})}));
  auto info = store_->LookupObservable({ObservableType::kDomain, "own-context.example"});
  ASSERT_TRUE(info.ok() && *info);
  std::map<std::string, IndicatorContext> by_report;
  for (const EventLink& link : (*info)->events) by_report[link.event.title] = link.context;
  ASSERT_EQ(by_report.size(), 2u);
  EXPECT_EQ(by_report["Report 1"].confidence, 90);
  EXPECT_EQ(by_report["Report 1"].comment, "C2 of family A");
  EXPECT_EQ(by_report["Report 1"].first_seen, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(by_report["Report 2"].confidence, 20);
  EXPECT_EQ(by_report["Report 2"].comment, "phishing of campaign B");
  EXPECT_EQ(by_report["Report 2"].first_seen, "2026-02-01T00:00:00.000Z");
}

// Neither named by a report: the group's one link takes both, the later's
// context and the earlier first seen.
TEST_F(ValueLevelsTest, TwoIndicatorsOfOneValueNoReportNamesShareTheGroupsLink) {
  auto indicator = [](int n, int confidence, const std::string& valid_from) {
    return fmt::format(
        R"({{"type":"indicator","spec_version":"2.1","id":"{}","created":"2026-01-01T00:00:00.000Z",)"
        R"("modified":"2026-01-01T00:00:00.000Z","pattern":"[domain-name:value = 'group-only.example']",)"
        R"("pattern_type":"stix","valid_from":"{}","confidence":{}}})",
        IndicatorId(n), valid_from, confidence);
  };
  Import("group-only.json",
         Bundle({indicator(1, 90, "2026-01-01T00:00:00Z"), indicator(2, 20, "2026-02-01T00:00:00Z")}));
  auto info = store_->LookupObservable({ObservableType::kDomain, "group-only.example"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ((*info)->events[0].context.confidence, 20);
  EXPECT_EQ((*info)->events[0].context.first_seen, "2026-01-01T00:00:00.000Z");
}

TEST_F(ValueLevelsTest, TwoEventsSharingAValueStillCorrelateAfterAStixRoundTrip) {
  Import("a.csv", "type,value,event_title\ndomain,round-trip.example,Event A\ndomain,only-a.example,Event A\n",
         Tlp::kGreen);
  Import("b.csv", "type,value,event_title\ndomain,round-trip.example,Event B\n", Tlp::kGreen);
  auto receiver = ImportIntoAnotherNode("export.json", ExportAs(owner_, ExportFormat::kStix));
  ASSERT_TRUE(receiver->store);
  auto info = receiver->store->LookupObservable({ObservableType::kDomain, "round-trip.example"});
  ASSERT_TRUE(info.ok() && *info);
  std::set<std::string> titles;
  for (const EventLink& link : (*info)->events) titles.insert(link.event.title);
  EXPECT_EQ(titles, (std::set<std::string>{"Event A", "Event B"}));
}

std::string UnmarkedIndicator(int n, const std::string& domain) {
  return fmt::format(
      R"({{"type":"indicator","spec_version":"2.1","id":"indicator--{:08x}-1111-4111-8111-111111111111",)"
      R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
      R"("pattern":"[domain-name:value = '{}']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}})",
      n, domain);
}

// Unmarked values take the level of the report that names them, in
// whatever order the bundle lists them.
TEST_F(ValueLevelsTest, UnmarkedIndicatorsBeforeAGreenReportAreReadAtGreen) {
  Import("unmarked.json", Bundle({UnmarkedIndicator(1, "unmarked.example"), StixReport(1, Tlp::kGreen, {1})}));
  EXPECT_TRUE(Reads(other_, "unmarked.example"));
  EXPECT_EQ(EventsOf("unmarked.example"), (std::set<std::string>{"Report 1"}));
}

// With --event, an unmarked indicator read before the RED report that
// names it takes the report's level, as it does without: the report's
// values go into the target's RED companion. One a GREEN report names too
// stays in the target.
TEST_F(ValueLevelsTest, AnUnmarkedIndicatorBeforeItsRedReportImportedIntoAGreenEventIsNotReadAtGreen) {
  const std::string title = ImportIntoGreenEvent(
      "target-green.example", "bundle.json",
      Bundle({UnmarkedIndicator(1, "before-red.example"), UnmarkedIndicator(2, "in-both.example"),
              StixReport(1, Tlp::kRed, {1, 2}), StixReport(2, Tlp::kGreen, {2})}));
  EXPECT_FALSE(Reads(other_, "before-red.example")) << "a TLP:RED report's unmarked value was read at GREEN";
  EXPECT_TRUE(Reads(owner_, "before-red.example"));
  EXPECT_EQ(EventsOf("before-red.example"), (std::set<std::string>{title + " (TLP:RED values)"}));
  EXPECT_TRUE(Reads(other_, "in-both.example")) << "a GREEN report names it too";
  EXPECT_EQ(EventsOf("in-both.example").count(title), 1u);
}

// Marked AMBER, the indicator went to the target's AMBER companion; the RED
// report that names it takes it from there too.
TEST_F(ValueLevelsTest, AnAmberIndicatorBeforeItsRedReportImportedIntoAGreenEventIsOnlyAtRed) {
  const std::string title = ImportIntoGreenEvent(
      "target-only.example", "bundle.json",
      Bundle({StixIndicator(3, "amber-then-red.example", Tlp::kAmber), StixReport(3, Tlp::kRed, {3})}));
  EXPECT_EQ(EventsOf("amber-then-red.example"), (std::set<std::string>{title + " (TLP:RED values)"}));
}

// AMBER+STRICT is the owner alone: a RED report names recipients.
TEST_F(ValueLevelsTest, AnAmberStrictValueInARedReportIsNotReadByItsRecipients) {
  Import("strict.json", Bundle({StixReport(1, Tlp::kRed, {1}), StixIndicator(1, "strict.example", Tlp::kAmberStrict)}));
  EXPECT_EQ(EventsOf("strict.example"), (std::set<std::string>{"Report 1 (TLP:AMBER+STRICT values)"}));
  Import("strict-last.json",
         Bundle({StixIndicator(2, "strict2.example", Tlp::kAmberStrict), StixReport(2, Tlp::kRed, {2})}));
  EXPECT_EQ(EventsOf("strict2.example").count("Report 2"), 0u) << "copied into the RED report";
}

// Two objects of one value, only the first named by a report: the second's
// value stays in its group.
TEST_F(ValueLevelsTest, TheSecondObjectOfAValueNoReportNamesKeepsItInItsGroup) {
  Import("two.json", Bundle({StixIndicator(1, "twice.example", Tlp::kGreen), StixIndicator(2, "twice.example", Tlp::kGreen),
                             StixReport(1, Tlp::kAmber, {1})}));
  EXPECT_TRUE(Reads(other_, "twice.example")) << "the GREEN object's value vanished";
}

// A report names an indicator id another organisation holds: its value is
// not copied into the report.
TEST_F(ValueLevelsTest, AReportDoesNotTakeAnotherOrganisationsValue) {
  ImportReport theirs = ImportAs(other_, "theirs.json", Bundle({StixIndicator(7, "theirs.example", Tlp::kAmber)}));
  ASSERT_EQ(theirs.new_values, 1);
  Import("mine.json", Bundle({StixReport(7, Tlp::kAmber, {7})}));
  EXPECT_EQ(EventsOf("theirs.example").count("Report 7"), 0u);
}

// A companion event's uuid follows from its event's: one that another
// organisation made first is never written into, and the value is refused.
TEST_F(ValueLevelsTest, ACompanionUuidHeldByAnotherOrganisationIsRefused) {
  const std::string rows = "type,value,tlp\ndomain,row-green.example,green\ndomain,row-red.example,red\n";
  Import("rows.csv", rows);
  auto red = store_->LookupObservable({ObservableType::kDomain, "row-red.example"});
  ASSERT_TRUE(red.ok() && *red);
  ASSERT_EQ((*red)->events.size(), 1u);
  const std::string companion_uuid = (*red)->events[0].event.uuid;
  // A fresh node where another organisation (id 2) takes that uuid first,
  // then the owner (id 1, as here) imports the same file.
  testing::TempDir second_dir;
  auto second = OpenStore({second_dir.Join("node"), true});
  ASSERT_TRUE(second.ok());
  for (const char* name : {"Owner", "Squatter"}) {
    ASSERT_TRUE((*second)->CreateOrganisation({0, UuidV4(), name, "FR", "cert", "", "2026-01-01T00:00:00.000Z"}).ok());
  }
  std::vector<Rejection> rejections;
  auto run = [&](int64_t org, const std::string& name, const std::string& content) {
    auto in = OpenInputFromMemory(name, content);
    ASSERT_TRUE(in.ok());
    ImportOptions options;
    options.owner_org_id = org;
    options.on_reject = [&rejections](const Rejection& r) { rejections.push_back(r); };
    ImportReport report;
    ASSERT_TRUE(ImportStream(**second, **in, options, &report).ok());
  };
  run(2, "squat.json",
      R"({"Event":{"uuid":")" + companion_uuid + R"(","info":"mine","Attribute":[{"type":"domain","value":"x.example"}]}})");
  run(1, "rows.csv", rows);
  bool refused = false;
  for (const Rejection& r : rejections) {
    refused = refused || r.reason.find("belongs to another organisation") != std::string::npos;
  }
  EXPECT_TRUE(refused);
  auto squatted = (*second)->GetEvent(companion_uuid);
  ASSERT_TRUE(squatted.ok() && *squatted);
  EXPECT_EQ((*squatted)->owner_org_id, 2);
  auto at_second = (*second)->LookupObservable({ObservableType::kDomain, "row-red.example"});
  ASSERT_TRUE(at_second.ok());
  if (*at_second) {
    for (const EventLink& link : (*at_second)->events) EXPECT_NE(link.event.uuid, companion_uuid);
  }
}

// 0.0.0.0/0 would make every address in every log alert.
TEST_F(ValueLevelsTest, ANetworkOfEveryAddressIsRefusedWithItsReason) {
  ImportReport report = Import("nets.txt", "0.0.0.0/0\n::/0\n198.51.100.0/24\n");
  EXPECT_EQ(report.new_values, 1);
  ASSERT_EQ(rejections_.size(), 2u);
  EXPECT_EQ(rejections_[0].location, "nets.txt:1");
  EXPECT_NE(rejections_[0].reason.find("holds every address"), std::string::npos) << rejections_[0].reason;
}

}  // namespace
}  // namespace accord
