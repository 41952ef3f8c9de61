// The TLP level of imported STIX objects that came without a marking of
// their own. An identity (exchange/unmarked_identities.h) takes the least
// restrictive level of the objects of the same import that name it in
// created_by_ref, never more restrictive than the import's default. Any
// other object takes its event's level: a report's, when the report names
// it before or after it, as its values do (exchange/importer.h). Checked on
// the stored rows, through StixReadCheck as TAXII reads them, through
// export, and on stix_anchors.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"
#include "exchange/unmarked_identities.h"
#include "store/stix_read_check.h"

namespace accord {
namespace {

using Json = nlohmann::json;

std::string IdOf(const std::string& type, const std::string& name) {
  return type + "--" + UuidV5(kAccordUuidNamespace, "unmarked-identities-test:" + name);
}

Json Identity(const std::string& name, std::optional<Tlp> marking = std::nullopt) {
  Json identity = {{"type", "identity"},
                   {"spec_version", "2.1"},
                   {"id", IdOf("identity", name)},
                   {"created", "2026-10-01T08:00:00.000Z"},
                   {"modified", "2026-10-01T08:00:00.000Z"},
                   {"name", name},
                   {"identity_class", "organization"}};
  if (marking) identity["object_marking_refs"] = {std::string(TlpStixMarkingId(*marking))};
  return identity;
}

// With `creator` when given, with a TLP marking when given.
Json Marked(Json object, std::optional<Tlp> marking, const std::string& creator) {
  if (!creator.empty()) object["created_by_ref"] = IdOf("identity", creator);
  if (marking) object["object_marking_refs"] = {std::string(TlpStixMarkingId(*marking))};
  return object;
}

Json Indicator(const std::string& domain, std::optional<Tlp> marking, const std::string& creator = "") {
  return Marked(Json{{"type", "indicator"},
                     {"spec_version", "2.1"},
                     {"id", IdOf("indicator", domain)},
                     {"created", "2026-10-01T08:00:00.000Z"},
                     {"modified", "2026-10-01T08:00:00.000Z"},
                     {"pattern", "[domain-name:value = '" + domain + "']"},
                     {"pattern_type", "stix"},
                     {"valid_from", "2026-10-01T08:00:00.000Z"}},
                marking, creator);
}

Json Malware(const std::string& name, std::optional<Tlp> marking, const std::string& creator = "") {
  return Marked(Json{{"type", "malware"},
                     {"spec_version", "2.1"},
                     {"id", IdOf("malware", name)},
                     {"created", "2026-10-01T08:00:00.000Z"},
                     {"modified", "2026-10-01T08:00:00.000Z"},
                     {"name", name},
                     {"is_family", true}},
                marking, creator);
}

// A report naming `refs` (STIX ids).
Json Report(const std::string& name, Tlp marking, const std::vector<std::string>& refs) {
  return Marked(Json{{"type", "report"},
                     {"spec_version", "2.1"},
                     {"id", IdOf("report", name)},
                     {"created", "2026-10-01T08:00:00.000Z"},
                     {"modified", "2026-10-01T08:00:00.000Z"},
                     {"name", name},
                     {"published", "2026-10-01T08:00:00.000Z"},
                     {"object_refs", refs}},
                marking, "");
}

// `source` targets `target` (a victim); made by `creator`.
Json Targets(const std::string& source, const std::string& target, Tlp marking,
             const std::string& creator) {
  return Json{{"type", "relationship"},
              {"spec_version", "2.1"},
              {"id", IdOf("relationship", source + " targets " + target)},
              {"created", "2026-10-01T08:00:00.000Z"},
              {"modified", "2026-10-01T08:00:00.000Z"},
              {"relationship_type", "targets"},
              {"source_ref", IdOf("malware", source)},
              {"target_ref", IdOf("identity", target)},
              {"created_by_ref", IdOf("identity", creator)},
              {"object_marking_refs", {std::string(TlpStixMarkingId(marking))}}};
}

std::string Bundle(const std::vector<Json>& objects) {
  return Json{{"type", "bundle"}, {"id", IdOf("bundle", "test")}, {"objects", objects}}.dump();
}

class UnmarkedIdentityTest : public ExchangeTest {
 protected:
  // The stored versions of `stix_id`: their TLP levels.
  std::vector<Tlp> StoredLevels(const std::string& stix_id) {
    StixObjectFilter filter;
    filter.ids = {stix_id};
    std::vector<Tlp> levels;
    Status status = store_->ForEachStixObject(filter, [&](const StoredStixObject& object) {
      levels.push_back(object.tlp);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return levels;
  }

  // What `org` reads in the collection of `tlp`, as a TAXII page decides it.
  std::set<std::string> ReadableAt(int64_t org, Tlp tlp) {
    StixReadCheck check(*store_, Principal{org, Role::kAnalyst});
    StixObjectFilter filter;
    filter.tlps = {tlp};
    std::set<std::string> ids;
    Status status = store_->ForEachStixObject(filter, [&](const StoredStixObject& object) {
      ASSIGN_OR_RETURN(bool may, check.MayReadObject(object));
      if (may) ids.insert(object.id);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return ids;
  }

  // Every group of stored objects (TLP level, owner, event) has its anchor
  // at its first object (migration 15), however the import stored them.
  void ExpectAnchorsAtFirstObjects() {
    using Group = std::tuple<Tlp, int64_t, int64_t>;
    std::map<Group, int64_t> first_seq;
    ASSERT_TRUE(store_->ForEachStixObject({}, [&](const StoredStixObject& object) {
      first_seq.try_emplace({object.tlp, object.owner_org_id, object.event_id}, object.seq);
      return Status::Ok();
    }).ok());
    std::map<Group, int64_t> anchored;
    for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
      StixAnchorFilter filter;
      filter.tlp = tlp;
      ASSERT_TRUE(store_->ForEachStixAnchor(filter, [&](const StixAnchor& anchor) {
        anchored.emplace(Group{anchor.tlp, anchor.owner_org_id, anchor.event_id}, anchor.seq);
        return Status::Ok();
      }).ok());
    }
    EXPECT_EQ(anchored, first_seq);
  }
};

TEST_F(UnmarkedIdentityTest, IdentityNamedByAGreenIndicatorIsReadableByAGreenOnlyReader) {
  Import("bundle.json", Bundle({Identity("Research"),
                                Malware("Stealer", Tlp::kAmber, "Research"),
                                Indicator("evil.example", Tlp::kGreen, "Research")}));
  const std::string identity = IdOf("identity", "Research");
  EXPECT_EQ(StoredLevels(identity), std::vector<Tlp>{Tlp::kGreen});
  // Another organisation reading tlp-green resolves the indicator's creator.
  const std::set<std::string> green = ReadableAt(other_, Tlp::kGreen);
  EXPECT_EQ(green.count(IdOf("indicator", "evil.example")), 1u);
  EXPECT_EQ(green.count(identity), 1u);
  // So does its export, limited to GREEN.
  ExportOptions options;
  options.viewer = {other_, Role::kReader};
  options.max_tlp = Tlp::kGreen;
  std::ostringstream out;
  ASSERT_TRUE(Export(*store_, options, out, nullptr).ok());
  EXPECT_NE(out.str().find(identity), std::string::npos);
  ExpectAnchorsAtFirstObjects();
}

TEST_F(UnmarkedIdentityTest, TheQuickStartSampleIdentityIsReadableWhereItsObjectsAre) {
  const std::string sample = std::string(ACCORD_SOURCE_DIR) + "/samples/demostealer.stix.json";
  ImportOptions options;
  options.owner_org_id = owner_;
  ASSERT_TRUE(ImportFile(*store_, sample, options, nullptr).ok());
  // Its malware is GREEN and its indicators AMBER, all made by this identity.
  const std::string identity = "identity--7af17dc7-1024-45f7-8953-a52ffcd35f3f";
  EXPECT_EQ(StoredLevels(identity), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(identity), 1u);
  ExpectAnchorsAtFirstObjects();
}

TEST_F(UnmarkedIdentityTest, IdentityNamedOnlyByAmberObjectsStaysAmber) {
  Import("bundle.json", Bundle({Identity("Research"),
                                Malware("Stealer", Tlp::kAmber, "Research"),
                                Indicator("evil.example", Tlp::kAmber, "Research")}));
  const std::string identity = IdOf("identity", "Research");
  EXPECT_EQ(StoredLevels(identity), std::vector<Tlp>{Tlp::kAmber});
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(identity), 0u);
  EXPECT_EQ(ReadableAt(other_, Tlp::kAmber).count(identity), 0u);
  EXPECT_EQ(ReadableAt(owner_, Tlp::kAmber).count(identity), 1u);
}

// Objects more restrictive than the import's default make the identity no
// less visible than unmarked data of that import is.
TEST_F(UnmarkedIdentityTest, IdentityIsNeverMoreRestrictiveThanTheImportDefault) {
  Import("bundle.json",
         Bundle({Identity("Research"), Indicator("evil.example", Tlp::kRed, "Research")}),
         Tlp::kClear);
  EXPECT_EQ(StoredLevels(IdOf("identity", "Research")), std::vector<Tlp>{Tlp::kClear});
}

TEST_F(UnmarkedIdentityTest, IdentityOnlyTargetedByARelationshipKeepsTheDefault) {
  Import("bundle.json", Bundle({Identity("Research"), Identity("Victim Bank"),
                                Malware("Stealer", Tlp::kGreen, "Research"),
                                Targets("Stealer", "Victim Bank", Tlp::kGreen, "Research")}));
  EXPECT_EQ(StoredLevels(IdOf("identity", "Research")), std::vector<Tlp>{Tlp::kGreen});
  const std::string victim = IdOf("identity", "Victim Bank");
  EXPECT_EQ(StoredLevels(victim), std::vector<Tlp>{Tlp::kAmber});
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(victim), 0u);
}

TEST_F(UnmarkedIdentityTest, IdentityWithItsOwnMarkingKeepsIt) {
  Import("bundle.json", Bundle({Identity("Research", Tlp::kRed),
                                Indicator("evil.example", Tlp::kGreen, "Research")}));
  EXPECT_EQ(StoredLevels(IdOf("identity", "Research")), std::vector<Tlp>{Tlp::kRed});
}

// The identity after the objects naming it, each object committed in a
// batch of its own: the level still comes from every referrer, and the
// anchors of the groups it joins are right.
TEST_F(UnmarkedIdentityTest, IdentityAfterItsReferrersAcrossBatchesIsLevelledToo) {
  Import("bundle.json",
         Bundle({Indicator("amber.example", Tlp::kAmber, "Research"),
                 Malware("Stealer", Tlp::kGreen, "Research"),
                 Indicator("red.example", Tlp::kRed, "Research"), Identity("Research")}),
         Tlp::kAmber, /*batch=*/1);
  const std::string identity = IdOf("identity", "Research");
  EXPECT_EQ(StoredLevels(identity), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(identity), 1u);
  ExpectAnchorsAtFirstObjects();
}

TEST_F(UnmarkedIdentityTest, IdentityBeforeItsReferrersAcrossBatchesIsLevelledToo) {
  Import("bundle.json",
         Bundle({Identity("Research"), Indicator("amber.example", Tlp::kAmber, "Research"),
                 Indicator("clear.example", Tlp::kClear, "Research")}),
         Tlp::kAmber, /*batch=*/1);
  EXPECT_EQ(StoredLevels(IdOf("identity", "Research")), std::vector<Tlp>{Tlp::kClear});
  ExpectAnchorsAtFirstObjects();
}

class UnmarkedObjectTest : public UnmarkedIdentityTest {
 protected:
  // The stored versions of `stix_id`: (seq, event id).
  std::vector<std::pair<int64_t, int64_t>> Placement(const std::string& stix_id) {
    StixObjectFilter filter;
    filter.ids = {stix_id};
    std::vector<std::pair<int64_t, int64_t>> placed;
    EXPECT_TRUE(store_->ForEachStixObject(filter, [&](const StoredStixObject& object) {
      placed.emplace_back(object.seq, object.event_id);
      return Status::Ok();
    }).ok());
    return placed;
  }
  int64_t EventOf(const std::string& stix_id) {
    const auto placed = Placement(stix_id);
    return placed.size() == 1 ? placed[0].second : -1;
  }

  // `accord import --event`: `bundle` into a GREEN event of the owner's.
  // Returns the event's id.
  int64_t ImportIntoGreenEvent(const std::string& bundle) {
    Import("target.csv", "type,value,tlp\ndomain,target.example,green\n");
    auto target = store_->LookupObservable({ObservableType::kDomain, "target.example"});
    EXPECT_TRUE(target.ok() && *target);
    auto in = OpenInputFromMemory("bundle.json", bundle);
    EXPECT_TRUE(in.ok());
    if (!target.ok() || !*target || !in.ok()) return -1;
    ImportOptions options;
    options.owner_org_id = owner_;
    options.into_event = (*target)->events[0].event.uuid;
    ImportReport report;
    const Status status = ImportStream(*store_, **in, options, &report);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return (*target)->events[0].event.id;
  }
};

// Accord's own export and most producers write the indicators before the
// reports that name them: the indicator waits in the bundle's group event
// until the report claims it, and goes with its value into the report's
// event. Each object in a batch of its own.
TEST_F(UnmarkedObjectTest, AnIndicatorBeforeItsGreenReportIsReadWhereTheReportIs) {
  const std::string indicator = IdOf("indicator", "before.example");
  const std::string report = IdOf("report", "Green report");
  const std::string bundle = Bundle({Indicator("before.example", std::nullopt), Malware("Stealer", std::nullopt),
                                     Report("Green report", Tlp::kGreen, {indicator})});
  Import("bundle.json", bundle, Tlp::kAmber, /*batch=*/1);
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(EventOf(indicator), EventOf(report));
  const std::set<std::string> green = ReadableAt(other_, Tlp::kGreen);
  EXPECT_EQ(green.count(report), 1u);
  EXPECT_EQ(green.count(indicator), 1u) << "a GREEN report's reader cannot fetch the indicator it names";
  // What no report names keeps the import's default.
  EXPECT_EQ(StoredLevels(IdOf("malware", "Stealer")), std::vector<Tlp>{Tlp::kAmber});
  ExpectAnchorsAtFirstObjects();
  // The same file again moves nothing: a TAXII reader is not handed the
  // indicator a second time.
  const auto placed = Placement(indicator);
  Import("bundle.json", bundle, Tlp::kAmber, /*batch=*/1);
  EXPECT_EQ(Placement(indicator), placed);
  ExpectAnchorsAtFirstObjects();
}

TEST_F(UnmarkedObjectTest, AnIndicatorAfterItsGreenReportIsReadWhereTheReportIs) {
  const std::string indicator = IdOf("indicator", "after.example");
  const std::string report = IdOf("report", "Green report");
  Import("bundle.json", Bundle({Report("Green report", Tlp::kGreen, {indicator, IdOf("malware", "Stealer")}),
                                Indicator("after.example", std::nullopt), Malware("Stealer", std::nullopt)}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(StoredLevels(IdOf("malware", "Stealer")), std::vector<Tlp>{Tlp::kGreen});
  const std::set<std::string> green = ReadableAt(other_, Tlp::kGreen);
  EXPECT_EQ(green.count(indicator), 1u);
  EXPECT_EQ(green.count(IdOf("malware", "Stealer")), 1u);
  ExpectAnchorsAtFirstObjects();
}

// Objects without values read before their report (a malware, an attack
// pattern) are outside any event until the report claims them.
TEST_F(UnmarkedObjectTest, AMalwareBeforeItsGreenReportIsReadWhereTheReportIs) {
  const std::string malware = IdOf("malware", "Stealer");
  const std::string bundle = Bundle({Malware("Stealer", std::nullopt, "Research"), Malware("Unnamed", std::nullopt),
                                     Identity("Research"), Report("Green report", Tlp::kGreen, {malware})});
  Import("bundle.json", bundle, Tlp::kAmber, /*batch=*/1);
  EXPECT_EQ(StoredLevels(malware), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(EventOf(malware), EventOf(IdOf("report", "Green report")));
  const std::set<std::string> green = ReadableAt(other_, Tlp::kGreen);
  EXPECT_EQ(green.count(malware), 1u);
  EXPECT_EQ(green.count(IdOf("identity", "Research")), 1u) << "its creator follows it";
  EXPECT_EQ(StoredLevels(IdOf("malware", "Unnamed")), std::vector<Tlp>{Tlp::kAmber});
  EXPECT_EQ(EventOf(IdOf("malware", "Unnamed")), 0);
  ExpectAnchorsAtFirstObjects();
  const auto placed = Placement(malware);
  Import("bundle.json", bundle, Tlp::kAmber, /*batch=*/1);
  EXPECT_EQ(Placement(malware), placed);
  ExpectAnchorsAtFirstObjects();
}

// The same with their own marking: a GREEN malware read before the GREEN
// report that names it stayed outside any event (the event's STIX objects
// lacked it), a RED one named by a GREEN report stays outside it.
TEST_F(UnmarkedObjectTest, AMarkedMalwareBeforeItsReportIsReadWhereTheReportIsIfItsLevelFits) {
  const std::string green = IdOf("malware", "Stealer");
  const std::string red = IdOf("malware", "Secret");
  const std::string bundle = Bundle({Malware("Stealer", Tlp::kGreen), Malware("Secret", Tlp::kRed),
                                     Report("Green report", Tlp::kGreen, {green, red})});
  Import("bundle.json", bundle, Tlp::kAmber, /*batch=*/1);
  EXPECT_EQ(StoredLevels(green), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(EventOf(green), EventOf(IdOf("report", "Green report")));
  EXPECT_NE(EventOf(green), 0);
  EXPECT_EQ(StoredLevels(red), std::vector<Tlp>{Tlp::kRed});
  EXPECT_NE(EventOf(red), EventOf(IdOf("report", "Green report")));
  EXPECT_EQ(ReadableAt(other_, Tlp::kRed).count(red), 0u);
  ExpectAnchorsAtFirstObjects();
}

// Another organisation's copy of the same object (stored first, so this
// import's is known, not stored) stays where that organisation put it.
TEST_F(UnmarkedObjectTest, AnotherOrganisationsCopyOutsideAnyEventIsNotMoved) {
  const std::string malware = IdOf("malware", "Stealer");
  ImportOptions options;
  options.owner_org_id = other_;
  auto in = OpenInputFromMemory("other.json", Bundle({Malware("Stealer", std::nullopt)}));
  ASSERT_TRUE(in.ok());
  ImportReport other_report;
  ASSERT_TRUE(ImportStream(*store_, **in, options, &other_report).ok());
  const auto placed = Placement(malware);
  ASSERT_EQ(placed.size(), 1u);
  Import("bundle.json", Bundle({Malware("Stealer", std::nullopt), Report("Green report", Tlp::kGreen, {malware})}));
  EXPECT_EQ(Placement(malware), placed);
  EXPECT_EQ(StoredLevels(malware), std::vector<Tlp>{Tlp::kAmber});
  ExpectAnchorsAtFirstObjects();
}

// Taking the report's level also narrows: the default (AMBER) would let
// the organisations an AMBER event names read what its owner marked RED.
TEST_F(UnmarkedObjectTest, AnObjectNamedByARedReportIsStoredAtRed) {
  const std::string indicator = IdOf("indicator", "red-report.example");
  Import("bundle.json", Bundle({Indicator("red-report.example", std::nullopt),
                                Report("Red report", Tlp::kRed, {indicator, IdOf("malware", "Stealer")}),
                                Malware("Stealer", std::nullopt)}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kRed});
  EXPECT_EQ(StoredLevels(IdOf("malware", "Stealer")), std::vector<Tlp>{Tlp::kRed});
  ExpectAnchorsAtFirstObjects();
}

// One stored version has one event: the least restrictive report that
// names it, whatever the order, so every report's readers find it.
TEST_F(UnmarkedObjectTest, AnIndicatorNamedByARedAndAGreenReportIsReadAtGreen) {
  const std::string indicator = IdOf("indicator", "two-reports.example");
  Import("bundle.json", Bundle({Indicator("two-reports.example", std::nullopt),
                                Report("Red report", Tlp::kRed, {indicator}),
                                Report("Green report", Tlp::kGreen, {indicator})}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(EventOf(indicator), EventOf(IdOf("report", "Green report")));
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(indicator), 1u);
  ExpectAnchorsAtFirstObjects();
}

// Read after both reports, too: the least restrictive report that names
// it, not the first.
TEST_F(UnmarkedObjectTest, AnIndicatorAfterAnAmberAndAGreenReportIsReadAtGreen) {
  const std::string indicator = IdOf("indicator", "after-two.example");
  Import("bundle.json", Bundle({Report("Amber report", Tlp::kAmber, {indicator}),
                                Report("Green report", Tlp::kGreen, {indicator}),
                                Indicator("after-two.example", std::nullopt)}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(EventOf(indicator), EventOf(IdOf("report", "Green report")));
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(indicator), 1u)
      << "a GREEN report's reader cannot fetch the indicator it names";
  ExpectAnchorsAtFirstObjects();
}

// ... and one marked AMBER goes to the report its level fits within, as it
// does when read before them.
TEST_F(UnmarkedObjectTest, AMarkedIndicatorAfterAGreenAndAnAmberReportGoesToTheAmberOne) {
  const std::string indicator = IdOf("indicator", "amber-after.example");
  Import("bundle.json", Bundle({Report("Green report", Tlp::kGreen, {indicator}),
                                Report("Amber report", Tlp::kAmber, {indicator}),
                                Indicator("amber-after.example", Tlp::kAmber)}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kAmber});
  EXPECT_EQ(EventOf(indicator), EventOf(IdOf("report", "Amber report")));
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(indicator), 0u);
  ExpectAnchorsAtFirstObjects();
}

// A marking of its own wins over the report's level, either way.
TEST_F(UnmarkedObjectTest, AMarkedIndicatorKeepsItsLevelInAReportThatNamesIt) {
  const std::string amber = IdOf("indicator", "amber.example");
  const std::string red = IdOf("indicator", "red.example");
  Import("bundle.json", Bundle({Indicator("amber.example", Tlp::kAmber), Indicator("red.example", Tlp::kRed),
                                Report("Green report", Tlp::kGreen, {amber, red})}));
  EXPECT_EQ(StoredLevels(amber), std::vector<Tlp>{Tlp::kAmber});
  EXPECT_EQ(StoredLevels(red), std::vector<Tlp>{Tlp::kRed});
  const std::set<std::string> green = ReadableAt(other_, Tlp::kGreen);
  EXPECT_EQ(green.count(amber), 0u);
  EXPECT_EQ(green.count(red), 0u);
  ExpectAnchorsAtFirstObjects();
}

// `accord import --event` into a GREEN event: an unmarked indicator read
// before the RED report that names it goes, with its value, to the
// event's RED companion.
TEST_F(UnmarkedObjectTest, AnIndicatorBeforeItsRedReportImportedIntoAGreenEventIsStoredAtRed) {
  const std::string indicator = IdOf("indicator", "into-event.example");
  const int64_t target = ImportIntoGreenEvent(
      Bundle({Indicator("into-event.example", std::nullopt), Report("Red report", Tlp::kRed, {indicator})}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kRed});
  EXPECT_EQ(StoredLevels(IdOf("report", "Red report")), std::vector<Tlp>{Tlp::kRed});
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(indicator), 0u);
  EXPECT_NE(EventOf(indicator), target);
  ExpectAnchorsAtFirstObjects();
}

// Read after the RED report, it goes straight to the companion, as its
// value does: the GREEN event's recipients are not the RED report's.
TEST_F(UnmarkedObjectTest, AnIndicatorAfterItsRedReportImportedIntoAGreenEventIsInTheRedCompanion) {
  const std::string indicator = IdOf("indicator", "after-red.example");
  const int64_t target = ImportIntoGreenEvent(
      Bundle({Report("Red report", Tlp::kRed, {indicator}), Indicator("after-red.example", std::nullopt)}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kRed});
  EXPECT_NE(EventOf(indicator), target);
  auto value = store_->LookupObservable({ObservableType::kDomain, "after-red.example"});
  ASSERT_TRUE(value.ok() && *value);
  ASSERT_EQ((*value)->events.size(), 1u);
  EXPECT_EQ(EventOf(indicator), (*value)->events[0].event.id) << "the object is not where its value is";
  ExpectAnchorsAtFirstObjects();
}

// Into a GREEN event, what a RED report names (an indicator, a malware
// read before it) ends at RED, and the identity that made them counts at
// that level, not at the event's: no GREEN reader receives it.
TEST_F(UnmarkedObjectTest, TheCreatorOfObjectsOfARedReportImportedIntoAGreenEventIsNotReadAtGreen) {
  const std::string indicator = IdOf("indicator", "made-red.example");
  const std::string malware = IdOf("malware", "Stealer");
  const int64_t target = ImportIntoGreenEvent(Bundle({Identity("Research"),
                                                      Indicator("made-red.example", std::nullopt, "Research"),
                                                      Malware("Stealer", std::nullopt, "Research"),
                                                      Report("Red report", Tlp::kRed, {indicator, malware})}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kRed});
  EXPECT_EQ(StoredLevels(malware), std::vector<Tlp>{Tlp::kRed});
  EXPECT_NE(EventOf(malware), target);
  EXPECT_EQ(EventOf(malware), EventOf(indicator));
  EXPECT_EQ(StoredLevels(IdOf("identity", "Research")), std::vector<Tlp>{Tlp::kAmber});
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(IdOf("identity", "Research")), 0u);
  ExpectAnchorsAtFirstObjects();
}

// Whoever fetches the moved indicator can fetch who made it.
TEST_F(UnmarkedObjectTest, TheUnmarkedCreatorOfAnIndicatorBeforeItsGreenReportIsReadAtGreen) {
  const std::string indicator = IdOf("indicator", "made.example");
  Import("bundle.json", Bundle({Identity("Research"), Indicator("made.example", std::nullopt, "Research"),
                                Report("Green report", Tlp::kGreen, {indicator})}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(StoredLevels(IdOf("identity", "Research")), std::vector<Tlp>{Tlp::kGreen});
  EXPECT_EQ(ReadableAt(other_, Tlp::kGreen).count(IdOf("identity", "Research")), 1u);
  ExpectAnchorsAtFirstObjects();
}

// A marked indicator goes where its values went: the AMBER report, not the
// wider GREEN one (whose event does not take an AMBER value).
TEST_F(UnmarkedObjectTest, AMarkedIndicatorNamedByAGreenAndAnAmberReportGoesToTheAmberOne) {
  const std::string indicator = IdOf("indicator", "amber-two.example");
  Import("bundle.json", Bundle({Indicator("amber-two.example", Tlp::kAmber),
                                Report("Green report", Tlp::kGreen, {indicator}),
                                Report("Amber report", Tlp::kAmber, {indicator})}));
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kAmber});
  EXPECT_EQ(EventOf(indicator), EventOf(IdOf("report", "Amber report")));
  ExpectAnchorsAtFirstObjects();
}

// A RED malware a GREEN report names is kept with the report's RED values,
// out of the report's event.
TEST_F(UnmarkedObjectTest, AMalwareMarkedRedInAGreenReportIsInTheReportsRedCompanion) {
  const std::string malware = IdOf("malware", "Secret");
  const std::string indicator = IdOf("indicator", "red-value.example");
  Import("bundle.json", Bundle({Report("Green report", Tlp::kGreen, {malware, indicator}),
                                Malware("Secret", Tlp::kRed), Indicator("red-value.example", Tlp::kRed)}));
  EXPECT_EQ(StoredLevels(malware), std::vector<Tlp>{Tlp::kRed});
  EXPECT_NE(EventOf(malware), EventOf(IdOf("report", "Green report")));
  auto value = store_->LookupObservable({ObservableType::kDomain, "red-value.example"});
  ASSERT_TRUE(value.ok() && *value);
  ASSERT_EQ((*value)->events.size(), 1u);
  EXPECT_EQ(EventOf(malware), (*value)->events[0].event.id);
  EXPECT_EQ(EventOf(indicator), (*value)->events[0].event.id);
  ExpectAnchorsAtFirstObjects();
}

// The report listed last: the RED indicator read before it, and its value,
// end where they do when it comes first, with the report's RED values.
TEST_F(UnmarkedObjectTest, AnIndicatorMarkedRedBeforeTheGreenReportNamingItIsInTheReportsRedCompanion) {
  const std::string indicator = IdOf("indicator", "red-value.example");
  Import("bundle.json", Bundle({Indicator("red-value.example", Tlp::kRed),
                                Report("Green report", Tlp::kGreen, {indicator})}));
  auto value = store_->LookupObservable({ObservableType::kDomain, "red-value.example"});
  ASSERT_TRUE(value.ok() && *value);
  ASSERT_EQ((*value)->events.size(), 1u);
  EXPECT_EQ((*value)->events[0].event.title, "Green report (TLP:RED values)");
  EXPECT_EQ(StoredLevels(indicator), std::vector<Tlp>{Tlp::kRed});
  EXPECT_EQ(EventOf(indicator), (*value)->events[0].event.id);
  ExpectAnchorsAtFirstObjects();
}

// A STIX 2.1 observed-data refers to its observables: a report naming it
// holds them too, at its level, whichever of them the bundle lists first
// (they went to the bundle's unmarked group, at the import's default).
TEST_F(UnmarkedIdentityTest, ObservablesOfAnObservedDataInARedReportAreRedInEitherOrder) {
  for (bool report_first : {true, false}) {
    SCOPED_TRACE(report_first ? "report first" : "observables first");
    const std::string tag = report_first ? "a" : "b";
    const Json address = {{"type", "ipv4-addr"}, {"spec_version", "2.1"},
                          {"id", IdOf("ipv4-addr", tag)}, {"value", report_first ? "198.51.100.201" : "198.51.100.202"}};
    const Json observed = {{"type", "observed-data"}, {"spec_version", "2.1"}, {"id", IdOf("observed-data", tag)},
                           {"created", "2026-10-01T08:00:00.000Z"}, {"modified", "2026-10-01T08:00:00.000Z"},
                           {"first_observed", "2026-10-01T08:00:00Z"}, {"last_observed", "2026-10-01T08:00:00Z"},
                           {"number_observed", 1}, {"object_refs", {IdOf("ipv4-addr", tag)}}};
    const Json report = Report("Incident " + tag, Tlp::kRed, {IdOf("observed-data", tag)});
    Import("observed-" + tag + ".json",
           Bundle(report_first ? std::vector<Json>{report, observed, address}
                               : std::vector<Json>{address, observed, report}),
           Tlp::kClear);
    EXPECT_EQ(StoredLevels(IdOf("ipv4-addr", tag)), std::vector<Tlp>{Tlp::kRed});
    EXPECT_EQ(ReadableAt(other_, Tlp::kClear).count(IdOf("ipv4-addr", tag)), 0u);
    auto held = store_->LookupObservable({ObservableType::kIpv4, address["value"].get<std::string>()});
    ASSERT_TRUE(held.ok() && held->has_value());
    ASSERT_FALSE((*held)->events.empty());
    for (const EventLink& link : (*held)->events) EXPECT_EQ(link.event.tlp, Tlp::kRed) << link.event.title;
  }
}

}  // namespace
}  // namespace accord
