// The TLP marking an exported STIX object carries (exchange/export_markings.h):
// an object that came without one and is held above TLP:AMBER gets its
// level's, so a file carried to another node keeps the level; every other
// object is exported exactly as it came.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "exchange/export_markings.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

using Json = nlohmann::json;
using exchange_internal::WithTlpMarkingForExport;

const std::string kIndicatorId = "indicator--4f8d2c1e-7b3a-4e5f-9a6b-1c2d3e4f5a6b";

std::string UnmarkedIndicator(const std::string& extra = "") {
  return R"({"type":"indicator","spec_version":"2.1","id":")" + kIndicatorId +
         R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
         R"("pattern":"[domain-name:value = 'held-red.example']","pattern_type":"stix",)"
         R"("valid_from":"2026-01-01T00:00:00Z")" + extra + "}";
}

std::string Id(Tlp tlp) { return std::string(TlpStixMarkingId(tlp)); }

TEST(ExportMarkingsTest, AnUnmarkedObjectHeldAboveAmberGetsItsLevelsMarking) {
  for (Tlp tlp : {Tlp::kAmberStrict, Tlp::kRed}) {
    auto marked = WithTlpMarkingForExport(UnmarkedIndicator(), tlp);
    ASSERT_TRUE(marked.has_value()) << TlpName(tlp);
    Json object = Json::parse(*marked);
    EXPECT_EQ(object["object_marking_refs"], Json::array({Id(tlp)}));
    EXPECT_EQ(marked->rfind(R"({"type":"indicator",)", 0), 0u) << "key order is kept: " << *marked;
    object.erase("object_marking_refs");
    EXPECT_EQ(object, Json::parse(UnmarkedIndicator())) << "nothing else changes";
  }
}

TEST(ExportMarkingsTest, ObjectsAtAmberOrBelowOrAlreadyMarkedAtTheirLevelAreLeftAlone) {
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber}) {
    EXPECT_FALSE(WithTlpMarkingForExport(UnmarkedIndicator(), tlp).has_value()) << TlpName(tlp);
  }
  EXPECT_FALSE(WithTlpMarkingForExport(
                   UnmarkedIndicator(R"(,"object_marking_refs":[")" + Id(Tlp::kRed) + "\"]"), Tlp::kRed)
                   .has_value());
  // A TLP 1.0 id says the same.
  EXPECT_FALSE(WithTlpMarkingForExport(
                   UnmarkedIndicator(R"(,"object_marking_refs":["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"])"),
                   Tlp::kRed)
                   .has_value());
  EXPECT_FALSE(WithTlpMarkingForExport(UnmarkedIndicator(R"(,"granular_markings":[{"marking_ref":")" +
                                                         Id(Tlp::kRed) + R"(","selectors":["pattern"]}])"),
                                       Tlp::kRed)
                   .has_value());
}

TEST(ExportMarkingsTest, AStatementMarkingIsKeptBesideTheAddedTlp) {
  const std::string statement = "marking-definition--7c3f0a2b-1d4e-4f5a-8b6c-9d0e1f2a3b4c";
  auto marked = WithTlpMarkingForExport(UnmarkedIndicator(R"(,"object_marking_refs":[")" + statement + "\"]"),
                                        Tlp::kRed);
  ASSERT_TRUE(marked.has_value());
  EXPECT_EQ(Json::parse(*marked)["object_marking_refs"], Json::array({statement, Id(Tlp::kRed)}));
}

class ExportMarkingsNodeTest : public ExchangeTest {
 protected:
  static std::string BundleOf(const std::string& object) {
    return R"({"type":"bundle","id":"bundle--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","objects":[)" + object + "]}";
  }
  static Json ExportedIndicator(const std::string& bundle) {
    const Json parsed = Json::parse(bundle);
    for (const Json& object : parsed["objects"]) {
      if (object.value("id", "") == kIndicatorId) return object;
    }
    return nullptr;
  }
};

TEST_F(ExportMarkingsNodeTest, AnUnmarkedBundleImportedAtRedStaysRedOnTheNodeItIsCarriedTo) {
  Import("unmarked.json", BundleOf(UnmarkedIndicator()), Tlp::kRed);
  const std::string exported = ExportAs(owner_, ExportFormat::kStix);
  Json indicator = ExportedIndicator(exported);
  ASSERT_FALSE(indicator.is_null()) << exported;
  EXPECT_EQ(indicator["object_marking_refs"], Json::array({Id(Tlp::kRed)}));
  // The receiving node imports with its default (AMBER): the marking wins.
  auto receiver = ImportIntoAnotherNode("from-owner.json", exported);
  ASSERT_TRUE(receiver->store);
  std::vector<Tlp> levels;
  ASSERT_TRUE(receiver->store
                  ->ForEachEvent(EventFilter{}, [&](const EventSummary& event) {
                    levels.push_back(event.tlp);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_FALSE(levels.empty());
  for (Tlp level : levels) EXPECT_EQ(level, Tlp::kRed);
}

TEST_F(ExportMarkingsNodeTest, AnUnmarkedBundleImportedAtAmberIsExportedAsItCame) {
  Import("unmarked.json", BundleOf(UnmarkedIndicator()), Tlp::kAmber);
  const std::string exported = ExportAs(owner_, ExportFormat::kStix);
  Json indicator = ExportedIndicator(exported);
  ASSERT_FALSE(indicator.is_null()) << exported;
  EXPECT_EQ(indicator, Json::parse(UnmarkedIndicator()));
}

}  // namespace
}  // namespace accord
