// What export, TAXII and MISP export write for values kept for context or
// on a warning list, end to end on a real SQLite node.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

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
           "type,value,is_indicator,first_seen,last_seen,comment,role\n"
           "ipv4,203.0.113.7,true,,,the c2,c2\n"
           "domain,victim-portal.example,false,2026-01-02,2026-01-05,phished brand,phishing\n"
           "ipv4,192.0.2.53,true,,,resolver it used,\n"
           "filename,invoice.pdf.exe,false,,,dropper name,\n",
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
  EXPECT_EQ(domain["x_accord_role"], "phishing");
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
  auto second = ImportIntoAnotherNode("export.json", ExportAs(owner_, ExportFormat::kStix));
  ASSERT_TRUE(second->status.ok());
  EXPECT_EQ(second->report.rejected, 0);
  EXPECT_EQ(second->report.new_values, 4);
  auto counts = second->store->Counts("2026-06-01T00:00:00.000Z");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->live_indicators, 1);  // the receiver has no warning list, yet only the C2 is live

  auto domain = second->store->LookupObservable({ObservableType::kDomain, "victim-portal.example"});
  ASSERT_TRUE(domain.ok() && domain->has_value());
  ASSERT_EQ((*domain)->events.size(), 1u);
  const IndicatorContext& context = (*domain)->events[0].context;
  EXPECT_FALSE(context.is_indicator);
  EXPECT_EQ(context.first_seen, "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(context.last_seen, "2026-01-05T00:00:00.000Z");
  EXPECT_EQ(context.comment, "phished brand");
  EXPECT_EQ(context.role, "phishing");
  auto original = store_->LookupObservable({ObservableType::kDomain, "victim-portal.example"});
  ASSERT_TRUE(original.ok() && original->has_value());
  EXPECT_EQ((*domain)->events[0].event.uuid, (*original)->events[0].event.uuid);
  auto file = second->store->LookupObservable({ObservableType::kFileName, "invoice.pdf.exe"});
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

}  // namespace
}  // namespace accord
