// A STIX feed names the family of what its indicators detect with an
// `indicates` relationship from the indicator to a malware object. The
// import keeps the malware's name on the links of the indicator's values
// (IndicatorContext::family), as a CSV feed's malware column does, so alerts
// on them name it; but only where every reader of the value's event may
// read the malware and the relationship (core/policy.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

using Json = nlohmann::json;

std::string IdOf(const std::string& type, const std::string& name) {
  return type + "--" + UuidV5(kAccordUuidNamespace, "stix-families-test:" + name);
}

Json Object(const std::string& type, const std::string& name, std::optional<Tlp> marking) {
  Json object = {{"type", type},
                 {"spec_version", "2.1"},
                 {"id", IdOf(type, name)},
                 {"created", "2026-10-01T08:00:00.000Z"},
                 {"modified", "2026-10-01T08:00:00.000Z"}};
  if (marking) object["object_marking_refs"] = {std::string(TlpStixMarkingId(*marking))};
  return object;
}

// An indicator of `pattern`, named `name`.
Json Indicator(const std::string& name, const std::string& pattern, std::optional<Tlp> marking = Tlp::kGreen) {
  Json indicator = Object("indicator", name, marking);
  indicator["pattern"] = pattern;
  indicator["pattern_type"] = "stix";
  indicator["valid_from"] = "2026-10-01T08:00:00.000Z";
  return indicator;
}

Json Malware(const std::string& name, std::optional<Tlp> marking = Tlp::kGreen) {
  Json malware = Object("malware", name, marking);
  malware["name"] = name;
  malware["is_family"] = true;
  return malware;
}

// `indicator` -type-> `malware` (names as given to Indicator and Malware).
Json Relationship(const std::string& indicator, const std::string& type, const std::string& malware,
                  std::optional<Tlp> marking = Tlp::kGreen) {
  Json relationship = Object("relationship", indicator + " " + type + " " + malware, marking);
  relationship["relationship_type"] = type;
  relationship["source_ref"] = IdOf("indicator", indicator);
  relationship["target_ref"] = IdOf("malware", malware);
  return relationship;
}

Json Report(const std::string& name, Tlp marking, const std::vector<std::string>& refs) {
  Json report = Object("report", name, marking);
  report["name"] = name;
  report["published"] = "2026-10-01T08:00:00.000Z";
  report["object_refs"] = refs;
  return report;
}

std::string Bundle(const std::vector<Json>& objects) {
  return Json{{"type", "bundle"}, {"id", IdOf("bundle", "test")}, {"objects", objects}}.dump();
}

class StixFamiliesTest : public ExchangeTest {
 protected:
  // The families the links of a value carry (empty strings left out).
  std::vector<std::string> FamiliesOf(ObservableType type, const std::string& value) {
    auto info = store_->LookupObservable({type, value});
    EXPECT_TRUE(info.ok() && info->has_value()) << value;
    if (!info.ok() || !info->has_value()) return {};
    auto families = store_->LinkFamilies((*info)->id);
    EXPECT_TRUE(families.ok()) << families.status().ToString();
    std::vector<std::string> names;
    if (families.ok()) {
      for (const auto& [event_id, family] : *families) names.push_back(family);
    }
    return names;
  }
};

TEST_F(StixFamiliesTest, AnIndicatesRelationshipNamesItsMalwareAsTheFamilyOfEveryValueOfTheIndicator) {
  // The relationship before the malware it names, as bundles may order them.
  Import("feed.json",
         Bundle({Indicator("lumma", "[domain-name:value = 'lumma-c2.example'] OR [ipv4-addr:value = '203.0.113.7']"),
                 Relationship("lumma", "indicates", "Lumma Stealer"), Malware("Lumma Stealer"),
                 Indicator("plain", "[domain-name:value = 'plain.example']"),
                 Indicator("related", "[domain-name:value = 'related.example']"),
                 Relationship("related", "related-to", "Lumma Stealer")}),
         Tlp::kGreen);
  EXPECT_EQ(FamiliesOf(ObservableType::kDomain, "lumma-c2.example"), std::vector<std::string>{"Lumma Stealer"});
  EXPECT_EQ(FamiliesOf(ObservableType::kIpv4, "203.0.113.7"), std::vector<std::string>{"Lumma Stealer"});
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "plain.example").empty()) << "no relationship";
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "related.example").empty()) << "related-to names no family";
}

TEST_F(StixFamiliesTest, AMalwareAnEarlierImportStoredNamesTheFamilyOfALaterIndicator) {
  Import("malware.json", Bundle({Malware("RedLine Stealer")}), Tlp::kGreen);
  Import("feed.json",
         Bundle({Indicator("redline", "[ipv4-addr:value = '198.51.100.9']"),
                 Relationship("redline", "indicates", "RedLine Stealer")}),
         Tlp::kGreen);
  EXPECT_EQ(FamiliesOf(ObservableType::kIpv4, "198.51.100.9"), std::vector<std::string>{"RedLine Stealer"});
}

TEST_F(StixFamiliesTest, ARevokedRelationshipOrMalwareNamesNoFamily) {
  Json revoked_relationship = Relationship("one", "indicates", "Vidar");
  revoked_relationship["revoked"] = true;
  Json revoked_malware = Malware("Raccoon");
  revoked_malware["revoked"] = true;
  Import("feed.json",
         Bundle({Indicator("one", "[domain-name:value = 'one.example']"), Malware("Vidar"), revoked_relationship,
                 Indicator("two", "[domain-name:value = 'two.example']"), revoked_malware,
                 Relationship("two", "indicates", "Raccoon")}),
         Tlp::kGreen);
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "one.example").empty());
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "two.example").empty());
}

TEST_F(StixFamiliesTest, AMalwareOrRelationshipMarkedMoreStrictlyThanTheValuesEventGivesThemNoFamily) {
  // GREEN values: the AMBER malware's name and the RED relationship's claim
  // are not for every GREEN reader.
  Import("feed.json",
         Bundle({Indicator("amber-malware", "[domain-name:value = 'amber-malware.example']"),
                 Malware("Secret Loader", Tlp::kAmber), Relationship("amber-malware", "indicates", "Secret Loader"),
                 Indicator("red-claim", "[domain-name:value = 'red-claim.example']"), Malware("Public Stealer"),
                 Relationship("red-claim", "indicates", "Public Stealer", Tlp::kRed)}),
         Tlp::kGreen);
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "amber-malware.example").empty());
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "red-claim.example").empty());
}

TEST_F(StixFamiliesTest, AnAmberReportsOwnMalwareAndItsOwnersRelationshipsNameTheFamilyOfItsValues) {
  // The second relationship is not among the report's object_refs (samples/
  // demostealer.stix.json's are not): stored outside any event, as the
  // importer's own at AMBER.
  Import("report.json",
         Bundle({Report("Campaign", Tlp::kAmber,
                        {IdOf("indicator", "campaign"), IdOf("indicator", "unreferenced"),
                         IdOf("malware", "Campaign Stealer"),
                         IdOf("relationship", "campaign indicates Campaign Stealer")}),
                 Indicator("campaign", "[domain-name:value = 'campaign.example']", Tlp::kAmber),
                 Indicator("unreferenced", "[domain-name:value = 'unreferenced.example']", Tlp::kAmber),
                 Malware("Campaign Stealer", Tlp::kAmber),
                 Relationship("campaign", "indicates", "Campaign Stealer", Tlp::kAmber),
                 Relationship("unreferenced", "indicates", "Campaign Stealer", Tlp::kAmber)}),
         Tlp::kAmber);
  EXPECT_EQ(FamiliesOf(ObservableType::kDomain, "campaign.example"), std::vector<std::string>{"Campaign Stealer"});
  EXPECT_EQ(FamiliesOf(ObservableType::kDomain, "unreferenced.example"),
            std::vector<std::string>{"Campaign Stealer"});
}

TEST_F(StixFamiliesTest, ARelationshipOutsideAnyEventNamesNoFamilyInAnEventWithRecipients) {
  // The AMBER relationship no report lists is the importer's alone; the
  // report's named recipient may not read it, so its values get no family.
  ImportOptions options;
  options.owner_org_id = owner_;
  options.default_tlp = Tlp::kAmber;
  options.share_with_org_id = other_;
  testing::WriteFile(dir_.Join("shared.json"),
                     Bundle({Report("Shared", Tlp::kAmber, {IdOf("indicator", "shared"), IdOf("malware", "Loader")}),
                             Indicator("shared", "[domain-name:value = 'shared.example']", Tlp::kAmber),
                             Malware("Loader", Tlp::kAmber),
                             Relationship("shared", "indicates", "Loader", Tlp::kAmber)}));
  ImportReport report;
  ASSERT_TRUE(ImportFile(*store_, dir_.Join("shared.json"), options, &report).ok());
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "shared.example").empty());
}

TEST_F(StixFamiliesTest, ARelationshipRevokedLaterTakesItsFamilyBack) {
  Import("feed.json",
         Bundle({Indicator("taken-back", "[domain-name:value = 'taken-back.example']"), Malware("Mistaken"),
                 Relationship("taken-back", "indicates", "Mistaken")}),
         Tlp::kGreen);
  ASSERT_EQ(FamiliesOf(ObservableType::kDomain, "taken-back.example"), std::vector<std::string>{"Mistaken"});
  Json revoked = Relationship("taken-back", "indicates", "Mistaken");
  revoked["modified"] = "2026-10-02T08:00:00.000Z";
  revoked["revoked"] = true;
  Import("feed-update.json", Bundle({revoked}), Tlp::kGreen);
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "taken-back.example").empty());
}

TEST_F(StixFamiliesTest, AnotherOrganisationsAmberMalwareNamesNoFamilyOfTheImportersValues) {
  // Stored outside any event by the other organisation: its own at AMBER.
  ImportOptions options;
  options.owner_org_id = other_;
  options.default_tlp = Tlp::kAmber;
  testing::WriteFile(dir_.Join("other.json"), Bundle({Malware("Their Loader", Tlp::kAmber)}));
  ImportReport report;
  ASSERT_TRUE(ImportFile(*store_, dir_.Join("other.json"), options, &report).ok());
  Import("report.json",
         Bundle({Report("Ours", Tlp::kAmber, {IdOf("indicator", "ours")}),
                 Indicator("ours", "[domain-name:value = 'ours.example']", Tlp::kAmber),
                 Relationship("ours", "indicates", "Their Loader", Tlp::kAmber)}),
         Tlp::kAmber);
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "ours.example").empty());
}

// What a peer pulling the node's STIX gets for a CSV feed's families: one
// malware object per family and event, which each indicator of such a value
// indicates; imported there, its values carry the family again. TAXII
// serves the same objects (derived, RefreshDerivedStix).
TEST_F(StixFamiliesTest, AFeedsFamilyTravelsAsAMalwareItsIndicatorsIndicateAndArrivesOnTheNextNode) {
  Import("threatfox.csv",
         "ioc_value,ioc_type,malware_printable\n"
         "lumma-c2.example,domain,Lumma Stealer\n"
         "203.0.113.52:443,ip:port,Lumma Stealer\n"
         "vidar.example,domain,Vidar\n"
         "plain.example,domain,\n",
         Tlp::kAmber);
  const std::string bundle = ExportAs(owner_, ExportFormat::kStix);
  std::map<std::string, std::string> indicator_of;  // value -> indicator id
  std::map<std::string, std::string> malware_named;  // id -> name
  std::vector<std::pair<std::string, std::string>> indicates;
  std::vector<std::string> report_refs;
  const Json parsed = Json::parse(bundle);
  for (const Json& object : parsed["objects"]) {
    const std::string type = object["type"];
    if (type == "indicator") indicator_of[object["name"]] = object["id"];
    if (type == "malware") malware_named[object["id"]] = object["name"];
    if (type == "relationship" && object["relationship_type"] == "indicates") {
      indicates.emplace_back(object["source_ref"], object["target_ref"]);
    }
    if (type == "report") report_refs = object["object_refs"].get<std::vector<std::string>>();
    if (type == "malware" || type == "relationship") {
      EXPECT_EQ(object["object_marking_refs"], Json::array({std::string(TlpStixMarkingId(Tlp::kAmber))}));
    }
  }
  ASSERT_EQ(malware_named.size(), 2u) << "one per family: " << bundle;
  ASSERT_EQ(indicates.size(), 3u) << bundle;
  std::map<std::string, std::string> family_of;  // value -> malware name
  for (const auto& [indicator, malware] : indicates) {
    for (const auto& [value, id] : indicator_of) {
      if (id == indicator) family_of[value] = malware_named[malware];
    }
    EXPECT_NE(std::find(report_refs.begin(), report_refs.end(), malware), report_refs.end());
  }
  EXPECT_EQ(family_of, (std::map<std::string, std::string>{{"lumma-c2.example", "Lumma Stealer"},
                                                          {"203.0.113.52", "Lumma Stealer"},
                                                          {"vidar.example", "Vidar"}}));

  auto receiver = ImportIntoAnotherNode("export.json", bundle);
  ASSERT_TRUE(receiver->store);
  for (const auto& [value, family] : family_of) {
    auto info = receiver->store->LookupObservable(
        {value == "203.0.113.52" ? ObservableType::kIpv4 : ObservableType::kDomain, value});
    ASSERT_TRUE(info.ok() && info->has_value()) << value;
    auto families = receiver->store->LinkFamilies((*info)->id);
    ASSERT_TRUE(families.ok());
    ASSERT_EQ(families->size(), 1u) << value;
    EXPECT_EQ((*families)[0].second, family) << value;
  }

  // TAXII's copies: the same malware and relationships, named by the report.
  ASSERT_TRUE(RefreshDerivedStix(*store_, SystemClock().Now()).ok());
  std::set<std::string> derived_malware;
  int derived_relationships = 0;
  StixObjectFilter filter;
  filter.types = {"malware", "relationship"};
  ASSERT_TRUE(store_
                  ->ForEachStixObject(filter,
                                      [&](const StoredStixObject& object) {
                                        if (object.type == "malware") derived_malware.insert(object.id);
                                        if (object.type == "relationship") ++derived_relationships;
                                        return Status::Ok();
                                      })
                  .ok());
  EXPECT_EQ(derived_malware.size(), 2u);
  EXPECT_EQ(derived_relationships, 3);
  for (const auto& [id, name] : malware_named) EXPECT_TRUE(derived_malware.contains(id)) << name;
}

}  // namespace
}  // namespace accord
