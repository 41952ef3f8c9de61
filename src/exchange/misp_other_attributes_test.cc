// A MISP event's attributes that carry no observable (links, texts,
// vulnerabilities) through a node: kept with the event on import, given back
// by the MISP export and the MISP feed, carried by a MISP round trip to a
// second node, and replaced by a later version of the event. The same for
// its objects, kept whole.
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
  auto kept = second->store->GetMispKept((*event)->id);
  ASSERT_TRUE(kept.ok());
  json kept_json = json::parse(kept->other_attributes);
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

constexpr const char* kFileObjectUuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f50";
constexpr const char* kMd5Uuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f51";
constexpr const char* kSizeUuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f52";
constexpr const char* kDomainIpUuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f53";
constexpr const char* kDomainUuid = "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f54";

std::string MispEventWithObjects(const std::string& timestamp) {
  json file_md5 = MispAttribute(kMd5Uuid, "md5", "Payload delivery", "0123456789abcdef0123456789abcdef", true);
  file_md5["object_relation"] = "md5";
  file_md5["id"] = "9001";
  file_md5["object_id"] = "77";
  json file_size = MispAttribute(kSizeUuid, "size-in-bytes", "Other", "73802", false);
  file_size["object_relation"] = "size-in-bytes";
  json domain = MispAttribute(kDomainUuid, "domain", "Network activity", "dropper.example", true);
  domain["object_relation"] = "domain";
  json event = json::parse(MispEvent(timestamp, FullAttributes()));
  event["Event"]["Object"] = json::array(
      {{{"uuid", kFileObjectUuid},
        {"id", "77"},
        {"event_id", "12"},
        {"name", "file"},
        {"meta-category", "file"},
        {"template_uuid", "688c46fb-5edb-40a3-8273-1af7923e2215"},
        {"template_version", "24"},
        {"Attribute", json::array({file_md5, file_size})},
        {"ObjectReference", json::array({{{"uuid", "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f55"},
                                          {"id", "5"},
                                          {"referenced_uuid", kDomainIpUuid},
                                          {"relationship_type", "downloaded-from"}}})}},
       {{"uuid", kDomainIpUuid}, {"name", "domain-ip"}, {"Attribute", json::array({domain})}},
       {{"uuid", "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f56"}, {"name", "gone"}, {"deleted", true},
        {"Attribute", json::array()}}});
  return event.dump();
}

// uuid -> object, of the one exported event.
std::map<std::string, json> ObjectsByUuid(const std::string& exported) {
  json parsed = json::parse(exported);
  json events = parsed.is_array() ? parsed : parsed.at("response");
  std::map<std::string, json> by_uuid;
  if (events.empty()) return by_uuid;
  for (const json& object : events[0]["Event"].value("Object", json::array())) {
    by_uuid[object["uuid"].get<std::string>()] = object;
  }
  return by_uuid;
}

TEST_F(MispOtherAttributesTest, ObjectsComeBackWholeInTheMispExportAndTheirAttributesOnlyInThem) {
  ImportReport report = Import("event.json", MispEventWithObjects("1714557600"));
  // The object's hash and domain are indicators like any other.
  EXPECT_EQ(report.new_values, 3);
  auto objects = ObjectsByUuid(ExportAs(owner_, ExportFormat::kMisp));
  ASSERT_EQ(objects.size(), 2u);  // the deleted one is not kept
  const json& file = objects[kFileObjectUuid];
  EXPECT_EQ(file["name"], "file");
  EXPECT_EQ(file["template_uuid"], "688c46fb-5edb-40a3-8273-1af7923e2215");
  EXPECT_FALSE(file.contains("id"));  // the other instance's row ids stay there
  EXPECT_FALSE(file.contains("event_id"));
  ASSERT_EQ(file["Attribute"].size(), 2u);
  EXPECT_EQ(file["Attribute"][0]["uuid"], kMd5Uuid);
  EXPECT_EQ(file["Attribute"][0]["object_relation"], "md5");
  EXPECT_FALSE(file["Attribute"][0].contains("object_id"));
  EXPECT_EQ(file["Attribute"][1]["value"], "73802");  // no observable, kept in its object
  ASSERT_EQ(file["ObjectReference"].size(), 1u);
  EXPECT_EQ(file["ObjectReference"][0]["referenced_uuid"], kDomainIpUuid);
  EXPECT_EQ(file["ObjectReference"][0]["relationship_type"], "downloaded-from");
  EXPECT_EQ(objects[kDomainIpUuid]["Attribute"][0]["value"], "dropper.example");

  // Each attribute once: MISP refuses a uuid twice.
  auto attributes = AttributesByUuid(ExportAs(owner_, ExportFormat::kMisp));
  EXPECT_EQ(attributes.count(kMd5Uuid), 0u);
  EXPECT_EQ(attributes.count(kDomainUuid), 0u);
  EXPECT_EQ(attributes.count(kIpUuid), 1u);

  // Through a second node and back, the objects stay.
  auto second = ImportIntoAnotherNode("export.json", ExportAs(owner_, ExportFormat::kMisp));
  ASSERT_TRUE(second->status.ok());
  auto event = second->store->GetEvent(kEventUuid);
  ASSERT_TRUE(event.ok() && event->has_value());
  auto kept = second->store->GetMispKept((*event)->id);
  ASSERT_TRUE(kept.ok());
  json kept_json = json::parse(kept->objects);
  ASSERT_EQ(kept_json.size(), 2u);
  EXPECT_EQ(kept_json[0]["uuid"], kFileObjectUuid);
  EXPECT_EQ(kept_json[1]["Attribute"][0]["uuid"], kDomainUuid);

  // A later version without objects drops them.
  Import("event.json", MispEvent("1714644000", FullAttributes()));
  EXPECT_TRUE(ObjectsByUuid(ExportAs(owner_, ExportFormat::kMisp)).empty());
}

// An object attribute without a uuid, and the file name of a malware-sample
// beside its own filename attribute (its uuid goes to the hash), are
// values the store holds with no uuid: they go back in their objects only,
// not again as top-level attributes with made-up uuids.
TEST_F(MispOtherAttributesTest, ObjectValuesWithoutAUuidOfTheirOwnAreNotWrittenTwice) {
  json url = {{"type", "url"}, {"category", "Network activity"}, {"value", "https://www.circl.lu"},
              {"to_ids", true}, {"object_relation", "url"}};
  json sample = MispAttribute("3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f61", "malware-sample", "Payload delivery",
                              "simple.json|7637beddacbeac59d44469b2b120b9e6", true);
  sample["object_relation"] = "malware-sample";
  json name = MispAttribute("3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f62", "filename", "Payload delivery", "simple.json",
                            false);
  name["object_relation"] = "filename";
  json event = json::parse(MispEvent("1714557600", FullAttributes()));
  event["Event"]["Object"] =
      json::array({{{"uuid", "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f63"}, {"name", "url"}, {"Attribute", {url}}},
                   {{"uuid", "3f6b2a10-8c4d-4e1f-9a72-5d0c1b2e3f64"},
                    {"name", "file"},
                    {"Attribute", {sample, name}}}});
  Import("event.json", event.dump());
  auto attributes = AttributesByUuid(ExportAs(owner_, ExportFormat::kMisp));
  for (const auto& [uuid, attribute] : attributes) {
    EXPECT_NE(attribute["value"], "https://www.circl.lu/") << attribute.dump();
    EXPECT_NE(attribute["value"], "simple.json") << attribute.dump();
  }
  EXPECT_EQ(attributes.count(kIpUuid), 1u) << "the top-level attributes stay";
  auto objects = ObjectsByUuid(ExportAs(owner_, ExportFormat::kMisp));
  EXPECT_EQ(objects.size(), 2u);
}

}  // namespace
}  // namespace accord
