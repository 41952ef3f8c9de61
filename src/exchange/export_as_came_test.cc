// STIX objects exported as they came: --live-only applies to them too, the
// TLP 1.0 marking definitions they name travel with them, and a bundle's
// group event gets a report, so its values come back as the same events.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

// TLP 1.0's GREEN, as STIX 2.0 and many producers still name it.
constexpr const char* kTlp1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";

class ExportAsCameTest : public ExchangeTest {
 protected:
  std::set<std::string> ExportedIds(bool live_only) {
    ExportOptions options;
    options.format = ExportFormat::kStix;
    options.viewer = {other_, Role::kAnalyst};
    options.include_expired = !live_only;
    std::ostringstream out;
    EXPECT_TRUE(Export(*store_, options, out, nullptr).ok());
    std::set<std::string> ids;
    const nlohmann::json bundle = nlohmann::json::parse(out.str());
    for (const auto& object : bundle["objects"]) ids.insert(object["id"].get<std::string>());
    return ids;
  }
};

// Values no report named are each file's group event ("STIX bundle
// a.json (unmarked)"). Exported with only their objects, the groups of
// several files came back on another node as one event of the export's
// file; with a report per group, before its objects, each comes back as
// its own event under its title, holding its values and nothing else.
TEST_F(ExportAsCameTest, EachBundlesGroupEventIsExportedAsAReportAndComesBackAsItsOwnEvent) {
  auto bundle = [](const std::string& bundle_id, const std::string& indicator_id, const std::string& domain) {
    return R"({"type":"bundle","id":")" + bundle_id + R"(","objects":[{"type":"indicator","spec_version":"2.1",)"
           R"("id":")" + indicator_id +
           R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
           R"("pattern":"[domain-name:value = ')" + domain +
           R"(']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]})";
  };
  const std::string first_id = "indicator--aaaaaaaa-0000-4000-8000-00000000000a";
  const std::string second_id = "indicator--aaaaaaaa-0000-4000-8000-00000000000b";
  Import("a.json", bundle("bundle--44af6c39-c09b-49c5-9de2-394224b04982", first_id, "first.example"), Tlp::kGreen);
  Import("b.json", bundle("bundle--44af6c39-c09b-49c5-9de2-394224b04982", second_id, "second.example"),
         Tlp::kGreen);
  const std::string exported = ExportAs(owner_, ExportFormat::kStix);
  const nlohmann::json parsed = nlohmann::json::parse(exported);
  std::map<std::string, std::vector<std::string>> reports;  // name -> object_refs
  size_t first_report = 0, first_indicator = 0, index = 0;
  for (const auto& object : parsed["objects"]) {
    ++index;
    if (object["type"] == "report") {
      reports[object["name"].get<std::string>()] = object["object_refs"].get<std::vector<std::string>>();
      if (first_report == 0) first_report = index;
    }
    if (object["type"] == "indicator" && first_indicator == 0) first_indicator = index;
  }
  ASSERT_EQ(reports.size(), 2u) << exported;
  EXPECT_EQ(reports["STIX bundle a.json (unmarked)"], std::vector<std::string>{first_id});
  EXPECT_EQ(reports["STIX bundle b.json (unmarked)"], std::vector<std::string>{second_id});
  EXPECT_LT(first_report, first_indicator) << "reports before their objects";

  auto receiver = ImportIntoAnotherNode("export.json", exported);
  ASSERT_TRUE(receiver->store);
  std::map<std::string, std::pair<Tlp, int64_t>> events;  // title -> level, values
  ASSERT_TRUE(receiver->store
                  ->ForEachEvent(EventFilter{},
                                 [&](const EventSummary& event) {
                                   events[event.title] = {event.tlp, event.observable_count};
                                   return Status::Ok();
                                 })
                  .ok());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events["STIX bundle a.json (unmarked)"], std::make_pair(Tlp::kGreen, int64_t{1}));
  EXPECT_EQ(events["STIX bundle b.json (unmarked)"], std::make_pair(Tlp::kGreen, int64_t{1}));
}

TEST_F(ExportAsCameTest, ExpiredAndRevokedIndicatorsAreLeftOutOfALiveOnlyExport) {
  const std::string common =
      R"("spec_version":"2.1","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z",)"
      R"("pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","object_marking_refs":[")" +
      std::string(TlpStixMarkingId(Tlp::kGreen)) + R"("])";
  Import("bundle.json",
         R"({"type":"bundle","id":"bundle--44444444-4444-4444-8444-444444444444","objects":[)"
         R"({"type":"indicator","id":"indicator--aaaaaaaa-0000-4000-8000-000000000001",)" + common +
             R"(,"pattern":"[domain-name:value = 'expired.example']","valid_until":"2020-06-01T00:00:00Z"},)"
             R"({"type":"indicator","id":"indicator--aaaaaaaa-0000-4000-8000-000000000002",)" + common +
             R"(,"pattern":"[domain-name:value = 'revoked.example']","revoked":true},)"
             R"({"type":"indicator","id":"indicator--aaaaaaaa-0000-4000-8000-000000000003",)" + common +
             R"(,"pattern":"[domain-name:value = 'live.example']"}]})");
  const std::set<std::string> everything = ExportedIds(false);
  EXPECT_TRUE(everything.contains("indicator--aaaaaaaa-0000-4000-8000-000000000001"));
  EXPECT_TRUE(everything.contains("indicator--aaaaaaaa-0000-4000-8000-000000000002"));
  const std::set<std::string> live = ExportedIds(true);
  EXPECT_FALSE(live.contains("indicator--aaaaaaaa-0000-4000-8000-000000000001")) << "expired";
  EXPECT_FALSE(live.contains("indicator--aaaaaaaa-0000-4000-8000-000000000002")) << "revoked";
  EXPECT_TRUE(live.contains("indicator--aaaaaaaa-0000-4000-8000-000000000003"));
}

TEST_F(ExportAsCameTest, ATlp1MarkingDefinitionTravelsWithTheObjectsThatNameIt) {
  Import("stix20.json",
         std::string(R"({"type":"bundle","id":"bundle--55555555-5555-4555-8555-555555555555","spec_version":"2.0","objects":[)"
                     R"({"type":"marking-definition","id":")") +
             kTlp1Green +
             R"(","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"green"}},)"
             R"({"type":"indicator","id":"indicator--bbbbbbbb-0000-4000-8000-000000000001",)"
             R"("created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z",)"
             R"("labels":["malicious-activity"],"pattern":"[domain-name:value = 'tlp1.example']",)"
             R"("valid_from":"2020-01-01T00:00:00Z","object_marking_refs":[")" +
             kTlp1Green + R"("]}]})");
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  const std::set<std::string> ids = ExportedIds(false);
  EXPECT_TRUE(ids.contains("indicator--bbbbbbbb-0000-4000-8000-000000000001"));
  EXPECT_TRUE(ids.contains(kTlp1Green)) << "the indicator's marking would not resolve";
}

}  // namespace
}  // namespace accord
