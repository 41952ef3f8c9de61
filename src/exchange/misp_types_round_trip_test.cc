// A MISP event through a node and back out as MISP: each attribute keeps the
// type it came as (ip-src stays ip-src, hostname stays hostname, target-email
// stays target-email with a category MISP accepts for it) and the event keeps
// its creator organisation (Orgc), so that a MISP instance taking the export
// sees the event it shared, not one retyped and re-attributed to whoever
// passed it on. Also through a second node, and through the MISP feed.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

using nlohmann::json;

constexpr const char* kEventUuid = "7c1d9e20-4b3a-4f5e-8d61-2a9b0c3d4e50";
constexpr const char* kCircl = "55f6ea5e-2c60-40e5-964f-47a8950d210f";

constexpr const char* kDomainIpUuid = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
constexpr const char* kFileNameUuid = "4e2c3d5e-6f70-4b8c-9dae-1f2a3b4c5d6e";

json Attribute(const std::string& type, const std::string& category, const std::string& value, bool to_ids) {
  return {{"type", type}, {"category", category}, {"value", value}, {"to_ids", to_ids}};
}

std::string SharedEvent() {
  json attributes = json::array({
      Attribute("ip-src", "Network activity", "198.51.100.7", true),
      Attribute("ip-src", "Network activity", "2001:db8::5", true),
      Attribute("hostname", "Network activity", "mail.bad.example", true),
      Attribute("email-src", "Payload delivery", "phisher@bad.example", true),
      Attribute("target-email", "Targeting data", "victim@corp.example", false),
      Attribute("ip-dst|port", "Network activity", "203.0.113.9|8443", true),
      Attribute("domain|ip", "Network activity", "evil.example|192.0.2.10", true),
      Attribute("domain", "Network activity", "plain.example", true),
      Attribute("filename|sha256", "Payload delivery",
                "invoice.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true),
      Attribute("filename|md5", "Payload delivery", "invoice.exe|d41d8cd98f00b204e9800998ecf8427e", true),
      Attribute("filename", "Payload delivery", "invoice.exe", false),
  });
  attributes[5]["comment"] = "panel";
  attributes[6]["uuid"] = kDomainIpUuid;
  attributes[10]["uuid"] = kFileNameUuid;
  return json{{"Event",
               {{"uuid", kEventUuid},
                {"info", "Phishing wave against ministries"},
                {"date", "2026-03-02"},
                {"timestamp", "1772445600"},
                {"Orgc", {{"id", "12"}, {"name", "CIRCL"}, {"uuid", "55F6EA5E-2C60-40E5-964F-47A8950D210F"}}},
                {"Tag", json::array({{{"name", "tlp:green"}}})},
                {"Attribute", attributes}}}}
      .dump();
}

// The one exported event.
json OnlyEvent(const std::string& exported) {
  json parsed = json::parse(exported);
  json events = parsed.is_array() ? parsed : parsed.at("response");
  EXPECT_EQ(events.size(), 1u);
  return events.empty() ? json::object() : events[0]["Event"];
}

// value -> attribute.
std::map<std::string, json> AttributesByValue(const json& event) {
  std::map<std::string, json> by_value;
  for (const json& attribute : event["Attribute"]) by_value[attribute["value"].get<std::string>()] = attribute;
  return by_value;
}

void ExpectTypesAsTheyCame(const json& event) {
  auto attributes = AttributesByValue(event);
  EXPECT_EQ(attributes["198.51.100.7"]["type"], "ip-src");
  EXPECT_EQ(attributes["2001:db8::5"]["type"], "ip-src");
  EXPECT_EQ(attributes["mail.bad.example"]["type"], "hostname");
  EXPECT_EQ(attributes["phisher@bad.example"]["type"], "email-src");
  EXPECT_EQ(attributes["phisher@bad.example"]["category"], "Payload delivery");
  EXPECT_EQ(attributes["victim@corp.example"]["type"], "target-email");
  EXPECT_EQ(attributes["victim@corp.example"]["category"], "Targeting data");
  // A composite goes out whole, as one attribute, not as its parts.
  EXPECT_EQ(event["Attribute"].size(), 11u);
  EXPECT_EQ(attributes["203.0.113.9|8443"]["type"], "ip-dst|port");
  EXPECT_EQ(attributes["203.0.113.9|8443"]["comment"], "panel");  // without the port note
  EXPECT_EQ(attributes["203.0.113.9|8443"]["category"], "Network activity");
  EXPECT_EQ(attributes["evil.example|192.0.2.10"]["type"], "domain|ip");
  EXPECT_EQ(attributes["evil.example|192.0.2.10"]["uuid"], kDomainIpUuid);
  EXPECT_EQ(attributes["evil.example|192.0.2.10"]["to_ids"], true);
  const std::string file = "invoice.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  EXPECT_EQ(attributes[file]["type"], "filename|sha256");
  EXPECT_EQ(attributes[file]["category"], "Payload delivery");
  EXPECT_EQ(attributes[file]["to_ids"], true);
  // The same file's other hash names the file too, although the file name
  // is one value.
  EXPECT_EQ(attributes["invoice.exe|d41d8cd98f00b204e9800998ecf8427e"]["type"], "filename|md5");
  // And the file name that was an attribute of its own is one still.
  EXPECT_EQ(attributes["invoice.exe"]["uuid"], kFileNameUuid);
  EXPECT_EQ(attributes["invoice.exe"]["type"], "filename");
  EXPECT_EQ(attributes.count("evil.example"), 0u);
  EXPECT_EQ(attributes["plain.example"]["type"], "domain");
  ASSERT_TRUE(event.contains("Orgc"));
  EXPECT_EQ(event["Orgc"]["name"], "CIRCL");
  EXPECT_EQ(event["Orgc"]["uuid"], kCircl);
}

using MispTypesRoundTripTest = ExchangeTest;

TEST_F(MispTypesRoundTripTest, TheMispExportGivesEachAttributeItsTypeAndTheEventItsCreator) {
  ImportReport report = Import("event.json", SharedEvent());
  EXPECT_EQ(report.new_values, 12);
  ExpectTypesAsTheyCame(OnlyEvent(ExportAs(owner_, ExportFormat::kMisp)));
}

TEST_F(MispTypesRoundTripTest, ASecondNodeTakingTheExportGivesTheSameTypesAndCreatorBack) {
  Import("event.json", SharedEvent());
  auto second = ImportIntoAnotherNode("export.json", ExportAs(owner_, ExportFormat::kMisp));
  ASSERT_TRUE(second->status.ok());
  auto receiver = second->store->FindOrganisationByName("Receiver");
  ASSERT_TRUE(receiver.ok() && receiver->has_value());
  ExportOptions options;
  options.format = ExportFormat::kMisp;
  options.viewer = {(*receiver)->id, Role::kAnalyst};
  std::ostringstream out;
  ASSERT_TRUE(Export(*second->store, options, out, nullptr).ok());
  ExpectTypesAsTheyCame(OnlyEvent(out.str()));
}

TEST_F(MispTypesRoundTripTest, EventsThatDidNotComeFromMispKeepTheTypeOfTheirValueAndTheirOwner) {
  Import("list.txt", "198.51.100.7\nmail.bad.example\nphisher@bad.example\n");
  json event = OnlyEvent(ExportAs(owner_, ExportFormat::kMisp));
  auto attributes = AttributesByValue(event);
  EXPECT_EQ(attributes["198.51.100.7"]["type"], "ip-dst");
  EXPECT_EQ(attributes["mail.bad.example"]["type"], "domain");
  EXPECT_EQ(attributes["phisher@bad.example"]["type"], "email");
  auto owner = store_->FindOrganisationById(owner_);
  ASSERT_TRUE(owner.ok() && owner->has_value());
  EXPECT_EQ(event["Orgc"]["name"], (*owner)->name);
}

// A MISP CSV export's type column: the MISP-specific types go back as they
// came; names Accord's own CSV uses too are the value types anyway.
TEST_F(MispTypesRoundTripTest, AMispCsvExportsTypeColumnCountsToo) {
  Import("misp.csv",
         "type,value,category\n"
         "ip-src,198.51.100.7,Network activity\n"
         "whois-registrant-email,registrant@bad.example,Attribution\n"
         "hostname|port,mx.bad.example|25,Network activity\n"
         "domain,plain.example,Network activity\n");
  auto attributes = AttributesByValue(OnlyEvent(ExportAs(owner_, ExportFormat::kMisp)));
  EXPECT_EQ(attributes["198.51.100.7"]["type"], "ip-src");
  EXPECT_EQ(attributes["registrant@bad.example"]["type"], "whois-registrant-email");
  EXPECT_EQ(attributes["registrant@bad.example"]["category"], "Attribution");
  EXPECT_EQ(attributes["mx.bad.example|25"]["type"], "hostname|port");
  EXPECT_EQ(attributes["plain.example"]["type"], "domain");
}

json WithUuid(json attribute, const std::string& uuid) {
  attribute["uuid"] = uuid;
  return attribute;
}

// A value one attribute gives alone and another as a composite's part is
// one link, with the single attribute's id: the composite goes out as its
// parts, so no attribute is written under another's uuid.
TEST_F(MispTypesRoundTripTest, ACompositeSharingAValueWithASingleAttributeKeepsEachUuidOnItsOwnValue) {
  constexpr const char* kSingle = "0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  json event = json::parse(SharedEvent());
  event["Event"]["Attribute"] = json::array(
      {WithUuid(Attribute("ip-dst", "Network activity", "192.0.2.10", true), kSingle),
       WithUuid(Attribute("domain|ip", "Network activity", "evil.example|192.0.2.10", true), kDomainIpUuid)});
  Import("event.json", event.dump());
  json exported = OnlyEvent(ExportAs(owner_, ExportFormat::kMisp));
  std::map<std::string, json> by_uuid;
  for (const json& attribute : exported["Attribute"]) by_uuid[attribute["uuid"].get<std::string>()] = attribute;
  ASSERT_EQ(by_uuid.size(), 2u);
  EXPECT_EQ(by_uuid[kSingle]["value"], "192.0.2.10");
  EXPECT_EQ(by_uuid[kSingle]["type"], "ip-dst");
  EXPECT_EQ(by_uuid[kDomainIpUuid]["value"], "evil.example");
}

// Two ports of one address: the address is linked once, by the first; the
// second only repeats it and is kept whole. Each goes back under its own
// uuid with its own value, never under the other's.
TEST_F(MispTypesRoundTripTest, TwoPortsOfOneAddressEachGoBackUnderTheirOwnUuid) {
  constexpr const char* kFirst = "1a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  constexpr const char* kSecond = "2a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  json event = json::parse(SharedEvent());
  event["Event"]["Attribute"] =
      json::array({WithUuid(Attribute("ip-dst|port", "Network activity", "203.0.113.9|8443", true), kFirst),
                   WithUuid(Attribute("ip-dst|port", "Network activity", "203.0.113.9|443", true), kSecond)});
  Import("event.json", event.dump());
  json exported = OnlyEvent(ExportAs(owner_, ExportFormat::kMisp));
  ASSERT_EQ(exported["Attribute"].size(), 2u);
  std::map<std::string, std::string> by_uuid;
  for (const json& attribute : exported["Attribute"]) by_uuid[attribute["uuid"]] = attribute["value"];
  EXPECT_EQ(by_uuid[kFirst], "203.0.113.9|8443");
  EXPECT_EQ(by_uuid[kSecond], "203.0.113.9|443");
}

// Attributes that repeat a value an earlier attribute of the event links (a
// hash also given as "filename|sha256", a domain named twice) go back as
// they came: their own uuid, type, comment and file name; the first keeps
// its comment; the value is linked once and stays live.
TEST_F(MispTypesRoundTripTest, AttributesRepeatingALinkedValueGoBackAsTheyCame) {
  constexpr const char* kHash = "3a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  constexpr const char* kFile = "4a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  constexpr const char* kDomain = "5a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  constexpr const char* kAgain = "6a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  const std::string hash = "cf717a646a015ee72f965488f8df2dd3c36c4714ccc755c2956a5f0a5ea6a4c1";
  json event = json::parse(SharedEvent());
  json first_domain = WithUuid(Attribute("domain", "Network activity", "evil.example", true), kDomain);
  first_domain["comment"] = "C2 panel";
  json second_domain = WithUuid(Attribute("hostname", "Network activity", "evil.example", true), kAgain);
  second_domain["comment"] = "seen in the proxy log";
  event["Event"]["Attribute"] = json::array(
      {WithUuid(Attribute("sha256", "Payload delivery", hash, true), kHash),
       WithUuid(Attribute("filename|sha256", "Payload delivery", "iuso.exe|" + hash, true), kFile), first_domain,
       second_domain});
  Import("event.json", event.dump());
  json exported = OnlyEvent(ExportAs(owner_, ExportFormat::kMisp));
  std::map<std::string, json> by_uuid;
  for (const json& attribute : exported["Attribute"]) by_uuid[attribute["uuid"]] = attribute;
  ASSERT_EQ(by_uuid.size(), 4u) << exported["Attribute"].dump();
  EXPECT_EQ(by_uuid[kHash]["type"], "sha256");
  EXPECT_EQ(by_uuid[kFile]["type"], "filename|sha256");
  EXPECT_EQ(by_uuid[kFile]["value"], "iuso.exe|" + hash);
  EXPECT_EQ(by_uuid[kDomain]["comment"], "C2 panel");
  EXPECT_EQ(by_uuid[kAgain]["type"], "hostname");
  EXPECT_EQ(by_uuid[kAgain]["comment"], "seen in the proxy log");
  auto linked = store_->LookupObservable({ObservableType::kSha256, hash});
  ASSERT_TRUE(linked.ok() && linked->has_value());
}

// A later version of the event that gives the parts as single attributes
// ends the composite: the export does not rebuild it.
TEST_F(MispTypesRoundTripTest, ALaterVersionGivingThePartsAloneEndsTheComposite) {
  json event = json::parse(SharedEvent());
  event["Event"]["Attribute"] = json::array({Attribute("domain|ip", "Network activity",
                                                       "evil.example|192.0.2.10", true)});
  Import("event.json", event.dump());
  EXPECT_EQ(AttributesByValue(OnlyEvent(ExportAs(owner_, ExportFormat::kMisp)))
                .count("evil.example|192.0.2.10"),
            1u);
  event["Event"]["timestamp"] = "1772449200";
  event["Event"]["Attribute"] = json::array({Attribute("domain", "Network activity", "evil.example", true),
                                             Attribute("ip-dst", "Network activity", "192.0.2.10", true)});
  Import("event.json", event.dump());
  auto attributes = AttributesByValue(OnlyEvent(ExportAs(owner_, ExportFormat::kMisp)));
  EXPECT_EQ(attributes.count("evil.example|192.0.2.10"), 0u);
  EXPECT_EQ(attributes["evil.example"]["type"], "domain");
  EXPECT_EQ(attributes["192.0.2.10"]["type"], "ip-dst");
}

// Two composites of one file not for detection: the reader gives each
// composite's id to its file name, which is one link, and the later one
// rewrites that link's comment. The first comes back with its own comment,
// taken from its hash, not the file name's.
TEST_F(MispTypesRoundTripTest, AFileCompositeNotForDetectionKeepsItsOwnCommentThoughItsFileNameIsShared) {
  constexpr const char* kSha256 = "5a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  constexpr const char* kMd5 = "6a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d";
  json sha256 = WithUuid(Attribute("filename|sha256", "Payload delivery",
                                   "invoice.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                   false),
                         kSha256);
  sha256["comment"] = "first sample";
  json md5 = WithUuid(
      Attribute("filename|md5", "Payload delivery", "invoice.exe|d41d8cd98f00b204e9800998ecf8427e", false), kMd5);
  md5["comment"] = "second sample";
  json event = json::parse(SharedEvent());
  event["Event"]["Attribute"] = json::array({sha256, md5});
  Import("event.json", event.dump());
  json exported = OnlyEvent(ExportAs(owner_, ExportFormat::kMisp));
  bool found = false;
  for (const json& attribute : exported["Attribute"]) {
    if (attribute["uuid"] != kSha256) continue;
    found = true;
    EXPECT_EQ(attribute["type"], "filename|sha256");
    EXPECT_EQ(attribute["comment"], "first sample");
    EXPECT_EQ(attribute["to_ids"], false);
  }
  EXPECT_TRUE(found) << exported["Attribute"].dump();
}

// A composite some of whose parts are no longer exported (here, expired)
// goes out as the parts that are.
TEST_F(MispTypesRoundTripTest, ACompositeWithAPartNoLongerExportedGoesOutAsItsOtherPart) {
  json event = json::parse(SharedEvent());
  event["Event"]["Attribute"] = json::array({Attribute("domain|ip", "Network activity",
                                                       "evil.example|192.0.2.10", true)});
  Import("event.json", event.dump());
  // A second event, a list, gives the address an end in the past; the
  // export leaves out what expired.
  const std::string path = dir_.Join("ended.csv");
  testing::WriteFile(path, "type,value,valid_until\nipv4,192.0.2.10,2020-01-01T00:00:00Z\n");
  ImportOptions options;
  options.owner_org_id = owner_;
  options.into_event = kEventUuid;
  ImportReport report;
  ASSERT_TRUE(ImportFile(*store_, path, options, &report).ok());
  auto attributes = AttributesByValue(OnlyEvent(ExportAs(owner_, ExportFormat::kMisp)));
  EXPECT_EQ(attributes.count("evil.example|192.0.2.10"), 0u);
  EXPECT_EQ(attributes["evil.example"]["type"], "domain");
}

TEST_F(MispTypesRoundTripTest, AValueTheEventAlsoGetsFromAListKeepsItsMispType) {
  Import("event.json", SharedEvent());
  ImportOptions options;
  options.owner_org_id = owner_;
  options.into_event = kEventUuid;
  const std::string path = dir_.Join("more.txt");
  testing::WriteFile(path, "198.51.100.7\nmail.bad.example\n");
  ImportReport report;
  ASSERT_TRUE(ImportFile(*store_, path, options, &report).ok());
  EXPECT_EQ(report.known_values, 2);
  auto attributes = AttributesByValue(OnlyEvent(ExportAs(owner_, ExportFormat::kMisp)));
  EXPECT_EQ(attributes["198.51.100.7"]["type"], "ip-src");
  EXPECT_EQ(attributes["mail.bad.example"]["type"], "hostname");
}

TEST_F(MispTypesRoundTripTest, AnEventWithoutACreatorKeepsTheOneStoredAndTheFeedManifestNamesIt) {
  Import("event.json", SharedEvent());
  // A later version as PyMISP writes it: no Orgc.
  json later = json::parse(SharedEvent());
  later["Event"].erase("Orgc");
  later["Event"]["timestamp"] = "1772449200";
  Import("event.json", later.dump());
  EXPECT_EQ(OnlyEvent(ExportAs(owner_, ExportFormat::kMisp))["Orgc"]["name"], "CIRCL");

  ExportOptions options;
  options.format = ExportFormat::kMispFeed;
  options.viewer = {owner_, Role::kAnalyst};
  auto manifest = MispFeedManifest(*store_, options);
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  json parsed = json::parse(*manifest);
  ASSERT_TRUE(parsed.contains(kEventUuid));
  EXPECT_EQ(parsed[kEventUuid]["Orgc"]["name"], "CIRCL");
  EXPECT_EQ(parsed[kEventUuid]["Orgc"]["uuid"], kCircl);
}

TEST_F(MispTypesRoundTripTest, AMalformedCreatorIsRejectedNamingItsField) {
  json event = json::parse(SharedEvent());
  event["Event"]["Orgc"] = {{"name", 5}};
  const std::string path = dir_.Join("bad.json");
  testing::WriteFile(path, event.dump());
  ImportOptions options;
  options.owner_org_id = owner_;
  ImportReport report;
  Status status = ImportFile(*store_, path, options, &report);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("Orgc.name"), std::string::npos) << status.ToString();
  auto stored = store_->GetEvent(kEventUuid);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
}

// A MISP event's older copy read after a newer one (the node's own export,
// whose timestamps are whole seconds, read back) never moves the event's
// modified time back: consumers already hold the later version.
TEST_F(MispTypesRoundTripTest, AnOlderCopyOfAnEventLeavesItsModifiedTime) {
  json event = json::parse(SharedEvent());
  event["Event"]["timestamp"] = "1772449200";
  Import("event.json", event.dump());
  auto stored = store_->GetEvent(kEventUuid);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  const std::string later = (*stored)->modified;
  event["Event"]["timestamp"] = "1772445600";  // an hour earlier
  Import("event.json", event.dump());
  stored = store_->GetEvent(kEventUuid);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->modified, later);
}

}  // namespace
}  // namespace accord
