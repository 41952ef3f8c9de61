// A MISP event's grading (threat_level_id, analysis) through a node: kept on
// import, changed by a later version of the event, written back by the MISP
// export and the MISP feed, and never invented for events that had none.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

using nlohmann::json;

constexpr const char* kEventUuid = "7d3e9a10-4c2b-4f8e-9a61-0b5c2d7e8f01";

// One MISP event as MISP writes it; `grading` holds its threat_level_id and
// analysis members (empty: the event has neither).
std::string MispEvent(const std::string& timestamp, const json& grading) {
  json event = {{"uuid", kEventUuid},
                {"info", "Lumma C2 panel"},
                {"date", "2024-05-01"},
                {"timestamp", timestamp},
                {"Tag", json::array({{{"name", "tlp:green"}}})},
                {"Attribute", json::array({{{"uuid", "7d3e9a10-4c2b-4f8e-9a61-0b5c2d7e8f02"},
                                            {"type", "ip-dst"},
                                            {"category", "Network activity"},
                                            {"value", "192.0.2.81"},
                                            {"to_ids", true}}})}};
  for (const auto& [key, value] : grading.items()) event[key] = value;
  return json{{"Event", event}}.dump();
}

class MispGradingTest : public ExchangeTest {
 protected:
  EventSummary Stored() {
    auto event = store_->GetEvent(kEventUuid);
    EXPECT_TRUE(event.ok()) << event.status().ToString();
    return event.ok() && event->has_value() ? **event : EventSummary{};
  }

  // The exported MISP events, whatever shape the export wraps them in.
  json ExportedMispEvents() {
    json exported = json::parse(ExportAs(owner_, ExportFormat::kMisp));
    return exported.is_array() ? exported : exported.at("response");
  }
};

TEST_F(MispGradingTest, ANewerVersionOfTheEventChangesTheGradingAndOneWithoutItKeepsIt) {
  Import("event.json", MispEvent("1714557600", {{"threat_level_id", "1"}, {"analysis", "0"}}));
  EXPECT_EQ(Stored().threat_level, ThreatLevel::kHigh);
  EXPECT_EQ(Stored().analysis, AnalysisStage::kInitial);

  // The author regraded it in MISP: the next version (same uuid, later
  // timestamp) updates it, as it updates the title.
  ImportReport report =
      Import("event.json", MispEvent("1714644000", {{"threat_level_id", "3"}, {"analysis", "2"}}));
  EXPECT_EQ(report.events, 1);
  ASSERT_EQ(report.touched_events.size(), 1u);
  EXPECT_FALSE(report.touched_events[0].created);
  EXPECT_EQ(Stored().threat_level, ThreatLevel::kLow);
  EXPECT_EQ(Stored().analysis, AnalysisStage::kCompleted);

  // A copy that says nothing of it (a hand-written or trimmed file) leaves
  // it as stored, as it leaves the tags it does not state.
  Import("event.json", MispEvent("1714730400", json::object()));
  EXPECT_EQ(Stored().threat_level, ThreatLevel::kLow);
  EXPECT_EQ(Stored().analysis, AnalysisStage::kCompleted);
}

TEST_F(MispGradingTest, AGradedMispEventImportedThenExportedAsMispKeepsItsGrading) {
  Import("graded.json", MispEvent("1714557600", {{"threat_level_id", "1"}, {"analysis", "0"}}));
  Import("feed.txt", "198.51.100.9\n", Tlp::kGreen);  // an event with no grading

  json events = ExportedMispEvents();
  ASSERT_EQ(events.size(), 2u);
  int graded_seen = 0;
  for (const json& entry : events) {
    const json& event = entry.at("Event");
    if (event.at("uuid") == kEventUuid) {
      ++graded_seen;
      EXPECT_EQ(event.at("threat_level_id"), "1");
      EXPECT_EQ(event.at("analysis"), "0");
    } else {
      EXPECT_EQ(event.at("threat_level_id"), "4");  // undefined
      EXPECT_EQ(event.at("analysis"), "2");         // completed
    }
  }
  EXPECT_EQ(graded_seen, 1);

  // The MISP feed carries it too, in the event's file and its manifest entry.
  const std::string feed = dir_.Join("feed");
  ExportOptions options;
  options.format = ExportFormat::kMispFeed;
  options.viewer = {owner_, Role::kAnalyst};
  ASSERT_TRUE(ExportToDirectory(*store_, options, feed, nullptr).ok());
  json manifest = json::parse(testing::ReadFile(feed + "/manifest.json"));
  EXPECT_EQ(manifest.at(kEventUuid).at("threat_level_id"), "1");
  EXPECT_EQ(manifest.at(kEventUuid).at("analysis"), "0");
  json file = json::parse(testing::ReadFile(feed + "/" + kEventUuid + ".json"));
  EXPECT_EQ(file.at("Event").at("threat_level_id"), "1");
  EXPECT_EQ(file.at("Event").at("analysis"), "0");

  // A node that takes the export keeps the grading in turn.
  auto receiver = ImportIntoAnotherNode("export.misp.json", ExportAs(owner_, ExportFormat::kMisp));
  ASSERT_TRUE(receiver->status.ok());
  auto received = receiver->store->GetEvent(kEventUuid);
  ASSERT_TRUE(received.ok() && received->has_value());
  EXPECT_EQ((*received)->threat_level, ThreatLevel::kHigh);
  EXPECT_EQ((*received)->analysis, AnalysisStage::kInitial);
}

// STIX has no property for MISP's grading, and Accord adds no custom one:
// the report exported for a graded event is the one it was before.
TEST_F(MispGradingTest, TheStixReportOfAGradedEventCarriesNoGrading) {
  Import("graded.json", MispEvent("1714557600", {{"threat_level_id", "1"}, {"analysis", "0"}}));
  json bundle = json::parse(ExportAs(owner_, ExportFormat::kStix));
  int reports = 0;
  for (const json& object : bundle.at("objects")) {
    if (object.at("type") != "report") continue;
    ++reports;
    for (const auto& [key, value] : object.items()) {
      EXPECT_EQ(key.find("threat"), std::string::npos) << key;
      EXPECT_EQ(key.find("analysis"), std::string::npos) << key;
    }
  }
  EXPECT_EQ(reports, 1);
}

}  // namespace
}  // namespace accord
