// A MISP event's attributes that carry no observable (links, texts,
// vulnerabilities) through a node: kept with the event on import, given back
// by the MISP export and the MISP feed, carried by a MISP round trip to a
// second node, and replaced by a later version of the event.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

using nlohmann::json;

constexpr const char* kEventUuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f40";
constexpr const char* kLinkUuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f41";
constexpr const char* kCveUuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f42";
constexpr const char* kIpUuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f43";

json MispAttribute(const std::string& uuid, const std::string& type, const std::string& category,
                   const std::string& value, bool to_ids) {
  return {{"uuid", uuid}, {"type", type}, {"category", category}, {"value", value}, {"to_ids", to_ids}};
}

std::string MispEvent(const std::string& timestamp, const json& attributes) {
  return json{{"Event",
               {{"uuid", kEventUuid},
                {"info", "EternalBlue wave"},
                {"date", "2024-05-01"},
                {"timestamp", timestamp},
                {"Tag", json::array({{{"name", "tlp:green"}}})},
                {"Attribute", attributes}}}}
      .dump();
}

json FullAttributes() {
  return json::array({MispAttribute(kLinkUuid, "link", "External analysis", "https://blog.example/eternal", false),
                      MispAttribute(kIpUuid, "ip-dst", "Network activity", "192.0.2.145", true),
                      MispAttribute(kCveUuid, "vulnerability", "External analysis", "CVE-2017-0144", false)});
}

// uuid -> attribute, of the one exported event.
std::map<std::string, json> AttributesByUuid(const std::string& exported) {
  json parsed = json::parse(exported);
  json events = parsed.is_array() ? parsed : parsed.at("response");
  EXPECT_EQ(events.size(), 1u);
  std::map<std::string, json> by_uuid;
  if (events.empty()) return by_uuid;
  for (const json& attribute : events[0]["Event"]["Attribute"]) {
    by_uuid[attribute["uuid"].get<std::string>()] = attribute;
  }
  return by_uuid;
}

using MispOtherAttributesTest = ExchangeTest;

TEST_F(MispOtherAttributesTest, TheMispExportGivesBackLinksAndVulnerabilitiesTheEventCameWith) {
  ImportReport report = Import("event.json", MispEvent("1714557600", FullAttributes()));
  EXPECT_EQ(report.new_values, 1);
  EXPECT_EQ(report.not_matched, 2);
  auto attributes = AttributesByUuid(ExportAs(owner_, ExportFormat::kMisp));
  ASSERT_EQ(attributes.size(), 3u);
  EXPECT_EQ(attributes[kLinkUuid]["type"], "link");
  EXPECT_EQ(attributes[kLinkUuid]["value"], "https://blog.example/eternal");
  EXPECT_EQ(attributes[kLinkUuid]["category"], "External analysis");
  EXPECT_EQ(attributes[kLinkUuid]["to_ids"], false);
  EXPECT_EQ(attributes[kCveUuid]["value"], "CVE-2017-0144");
  EXPECT_EQ(attributes[kIpUuid]["value"], "192.0.2.145");

  // A MISP round trip carries them to a second node, which gives them back.
  auto second = ImportIntoAnotherNode("export.json", ExportAs(owner_, ExportFormat::kMisp));
  ASSERT_TRUE(second->status.ok());
  auto event = second->store->GetEvent(kEventUuid);
  ASSERT_TRUE(event.ok() && event->has_value());
  auto kept = second->store->GetMispOtherAttributes((*event)->id);
  ASSERT_TRUE(kept.ok());
  json kept_json = json::parse(*kept);
  ASSERT_EQ(kept_json.size(), 2u);
  EXPECT_EQ(kept_json[0]["uuid"], kLinkUuid);
  EXPECT_EQ(kept_json[1]["uuid"], kCveUuid);
}

TEST_F(MispOtherAttributesTest, ALaterVersionOfTheEventReplacesThemAndOtherFormatsLeaveThem) {
  Import("event.json", MispEvent("1714557600", FullAttributes()));
  // The author removed the link in MISP.
  json without_link = FullAttributes();
  without_link.erase(0);
  Import("event.json", MispEvent("1714644000", without_link));
  auto attributes = AttributesByUuid(ExportAs(owner_, ExportFormat::kMisp));
  EXPECT_EQ(attributes.count(kLinkUuid), 0u);
  EXPECT_EQ(attributes.count(kCveUuid), 1u);

  // The same event back as STIX (Accord's own export) says nothing of them.
  const std::string stix = ExportAs(owner_, ExportFormat::kStix);
  Import("event-as-stix.json", stix);
  EXPECT_EQ(AttributesByUuid(ExportAs(owner_, ExportFormat::kMisp)).count(kCveUuid), 1u);
}

}  // namespace
}  // namespace accord
