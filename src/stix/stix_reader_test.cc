// ReadStixBundle on bundles the tests write themselves. Every bundle is read
// through TrickleStream (1..7 bytes per Read), so every object, string,
// escape and multi-byte character crosses read boundaries.
#include <cstdio>

#include <gtest/gtest.h>

#include "core/crypto.h"
#include "stix/stix.h"
#include "stix/stix_testing.h"

namespace accord {
namespace {

using stix_testing::ReadTrickled;
using stix_testing::RecordingSink;

const std::string kBundleId = "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d";
const std::string kIndicatorId = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
const std::string kReportId = "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3";
const std::string kMalwareId = "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b";

using stix_testing::Indicator;
using stix_testing::Marking;

std::string Bundle(const std::vector<std::string>& objects, const std::string& id = kBundleId) {
  return stix_testing::Bundle(objects, id);
}

TEST(ReadStixBundleTest, IndicatorTermsBecomeIndicatorsInTheGroupEventOfTheirTlp) {
  RecordingSink sink;
  const std::string bundle = Bundle({Indicator(
      kIndicatorId,
      "[ipv4-addr:value = '198.51.100.7'] OR [domain-name:value = 'c2.evil.example']",
      R"(,"name":"C2 of campaign X","confidence":85,"valid_until":"2024-06-01T00:00:00Z",)"
      R"("indicator_types":["malicious-activity"],"object_marking_refs":[)" + Marking(Tlp::kAmber) + "]")});
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  const EventRecord& group = sink.events[0];
  EXPECT_EQ(group.uuid, UuidV5(kAccordUuidNamespace, "stix-bundle:" + kBundleId + ":source:test.json:amber"));
  // Events keyed by the bundle id alone, as before, are kept by the importer.
  EXPECT_EQ(group.legacy_uuid, UuidV5(kAccordUuidNamespace, "stix-bundle:" + kBundleId + ":amber"));
  EXPECT_EQ(group.tlp, Tlp::kAmber);
  EXPECT_EQ(group.title, "STIX bundle test.json (TLP:AMBER)");
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_EQ(sink.objects[0].id, kIndicatorId);
  EXPECT_EQ(sink.objects[0].tlp, Tlp::kAmber);
  EXPECT_EQ(sink.objects[0].event_uuid, group.uuid);
  ASSERT_EQ(sink.indicators.size(), 2u);
  const IndicatorRecord& ip = sink.indicators[0];
  EXPECT_EQ(ip.event_uuid, group.uuid);
  EXPECT_EQ(ip.type, ObservableType::kIpv4);
  EXPECT_EQ(ip.value, "198.51.100.7");
  EXPECT_EQ(ip.location, kIndicatorId);
  EXPECT_EQ(ip.context.stix_id, kIndicatorId);
  EXPECT_EQ(ip.context.confidence, 85);
  EXPECT_EQ(ip.context.first_seen, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(ip.context.valid_until, "2024-06-01T00:00:00.000Z") << "one spelling for the store";
  EXPECT_EQ(ip.context.role, "malicious-activity");
  EXPECT_EQ(ip.context.comment, "C2 of campaign X");
  EXPECT_TRUE(ip.context.is_indicator);
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kDomain);
  EXPECT_EQ(sink.order, (std::vector<std::string>{"event", "object", "indicator", "indicator"}));
  EXPECT_TRUE(sink.rejections.empty());
}

TEST(ReadStixBundleTest, OneGroupEventPerTlpLevelAndOneForUnmarked) {
  RecordingSink sink;
  const std::string bundle = Bundle({
      Indicator("indicator--00000000-0000-4000-8000-000000000001", "[domain-name:value = 'a.example']",
                R"(,"object_marking_refs":[)" + Marking(Tlp::kGreen) + "]"),
      Indicator("indicator--00000000-0000-4000-8000-000000000002", "[domain-name:value = 'b.example']",
                R"(,"object_marking_refs":[)" + Marking(Tlp::kRed) + "]"),
      Indicator("indicator--00000000-0000-4000-8000-000000000003", "[domain-name:value = 'c.example']",
                R"(,"object_marking_refs":[)" + Marking(Tlp::kGreen) + "]"),
      Indicator("indicator--00000000-0000-4000-8000-000000000004", "[domain-name:value = 'd.example']"),
  });
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.events.size(), 3u);
  EXPECT_EQ(sink.events[0].tlp, Tlp::kGreen);
  EXPECT_EQ(sink.events[1].tlp, Tlp::kRed);
  EXPECT_EQ(sink.events[2].tlp, std::nullopt);
  EXPECT_EQ(sink.events[2].uuid, UuidV5(kAccordUuidNamespace, "stix-bundle:" + kBundleId + ":source:test.json:unmarked"));
  ASSERT_EQ(sink.indicators.size(), 4u);
  EXPECT_EQ(sink.indicators[2].event_uuid, sink.events[0].uuid);
}

TEST(ReadStixBundleTest, MostRestrictiveTlpMarkingGovernsAndTlp1IdsAreUnderstood) {
  RecordingSink sink;
  const std::string tlp1_green = "\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\"";
  const std::string statement = "\"marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168\"";
  const std::string bundle = Bundle({
      Indicator(kIndicatorId, "[domain-name:value = 'a.example']",
                R"(,"object_marking_refs":[)" + tlp1_green + "," + statement + "," +
                    Marking(Tlp::kAmberStrict) + "]"),
      Indicator("indicator--00000000-0000-4000-8000-000000000002", "[domain-name:value = 'b.example']",
                R"(,"object_marking_refs":[)" + tlp1_green + "]"),
  });
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 2u);
  // The one naming a marking the bundle never defines is read at its end.
  for (const StixObjectRecord& object : sink.objects) {
    EXPECT_EQ(object.tlp, object.id == kIndicatorId ? Tlp::kAmberStrict : Tlp::kGreen) << object.id;
  }
}

TEST(ReadStixBundleTest, TlpMarkingDefinedInTheBundleIsHonoured) {
  RecordingSink sink;
  const std::string custom = "marking-definition--0a8e8a32-7c4d-4d2f-8f8e-51a4e5c1f0d7";
  const std::string bundle = Bundle({
      R"({"type":"marking-definition","spec_version":"2.1","id":")" + custom +
          R"(","created":"2024-01-01T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"red"}})",
      Indicator(kIndicatorId, "[domain-name:value = 'a.example']",
                R"(,"object_marking_refs":[")" + custom + "\"]"),
  });
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 2u);
  EXPECT_EQ(sink.objects[1].tlp, Tlp::kRed);
}

TEST(ReadStixBundleTest, ReportBecomesEventWithMembersAndClaimsLaterIndicators) {
  RecordingSink sink;
  const std::string report =
      R"({"type":"report","spec_version":"2.1","id":")" + kReportId +
      R"(","created":"2024-02-01T10:00:00.000Z","modified":"2024-02-02T10:00:00.000Z",)"
      R"("name":"Operation Thunder","description":"C2 servers","published":"2024-02-01T10:00:00Z",)"
      R"("report_types":["threat-report","campaign"],"labels":["stealer","lumma"],)"
      R"("object_refs":[")" + kIndicatorId + R"(",")" + kMalwareId + R"("],"object_marking_refs":[)" +
      Marking(Tlp::kGreen) + "]}";
  const std::string malware = R"({"type":"malware","spec_version":"2.1","id":")" + kMalwareId +
                              R"(","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",)"
                              R"("name":"Lumma","is_family":true})";
  ASSERT_TRUE(ReadTrickled(Bundle({report, Indicator(kIndicatorId, "[url:value = 'http://a.example/x']"),
                                   malware}),
                           sink)
                  .ok());
  ASSERT_EQ(sink.events.size(), 1u);  // no group event: the report holds the indicator
  const EventRecord& event = sink.events[0];
  EXPECT_EQ(event.uuid, "84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3");
  EXPECT_EQ(event.title, "Operation Thunder");
  EXPECT_EQ(event.description, "C2 servers");
  EXPECT_EQ(event.tlp, Tlp::kGreen);
  EXPECT_EQ(event.tags, (std::vector<std::string>{"stealer", "lumma", "campaign"}));
  EXPECT_EQ(event.created, "2024-02-01T10:00:00.000Z");
  EXPECT_EQ(event.modified, "2024-02-02T10:00:00.000Z");
  EXPECT_EQ(event.stix_id, kReportId);
  EXPECT_EQ(event.source, "stix:test.json");
  ASSERT_EQ(sink.members_list.size(), 1u);
  EXPECT_EQ(sink.members_list[0].event_uuid, event.uuid);
  EXPECT_EQ(sink.members_list[0].stix_ids, (std::vector<std::string>{kIndicatorId, kMalwareId}));
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].event_uuid, event.uuid);
  ASSERT_EQ(sink.objects.size(), 3u);
  EXPECT_EQ(sink.objects[2].event_uuid, event.uuid);  // the malware, named by the report
  EXPECT_EQ(sink.order, (std::vector<std::string>{"event", "object", "members", "object", "indicator",
                                                  "object"}));
}

TEST(ReadStixBundleTest, GroupingBecomesEventAsAReportDoes) {
  RecordingSink sink;
  const std::string grouping_id = "grouping--6a1f0c62-2b1e-4f65-9b2b-0c1d2e3f4a5b";
  const std::string grouping =
      R"({"type":"grouping","spec_version":"2.1","id":")" + grouping_id +
      R"(","created":"2024-02-01T10:00:00.000Z","modified":"2024-02-02T10:00:00.000Z",)"
      R"("name":"MISP event 42: Lumma wave","context":"suspicious-activity",)"
      R"("object_refs":[")" + kIndicatorId + R"("],"object_marking_refs":[)" + Marking(Tlp::kAmber) + "]}";
  ASSERT_TRUE(
      ReadTrickled(Bundle({Indicator(kIndicatorId, "[domain-name:value = 'lumma.example']"), grouping}), sink)
          .ok());
  EXPECT_TRUE(sink.rejections.empty());
  const EventRecord* event = nullptr;
  for (const EventRecord& candidate : sink.events) {
    if (candidate.stix_id == grouping_id) event = &candidate;
  }
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(event->uuid, "6a1f0c62-2b1e-4f65-9b2b-0c1d2e3f4a5b");
  EXPECT_EQ(event->title, "MISP event 42: Lumma wave");
  EXPECT_EQ(event->tlp, Tlp::kAmber);
  EXPECT_EQ(event->tags, (std::vector<std::string>{"suspicious-activity"}));
  ASSERT_EQ(sink.members_list.size(), 1u);
  EXPECT_EQ(sink.members_list[0].event_uuid, event->uuid);
  EXPECT_EQ(sink.members_list[0].stix_ids, (std::vector<std::string>{kIndicatorId}));

  // Without a name (optional for a grouping) the title says what it is.
  RecordingSink unnamed;
  std::string no_name = grouping;
  no_name.erase(no_name.find(R"("name")"), std::string(R"("name":"MISP event 42: Lumma wave",)").size());
  ASSERT_TRUE(ReadTrickled(Bundle({no_name}), unnamed).ok());
  ASSERT_EQ(unnamed.events.size(), 1u);
  EXPECT_EQ(unnamed.events[0].title, "Grouping (suspicious-activity) of 2024-02-01");
}

// Where the role is read from: x_accord_role; else the non-vocabulary value
// Accord's exports before x_accord_role put in indicator_types; else the
// first indicator_types value. Labels are anyone's and never the role.
TEST(ReadStixBundleTest, IndicatorRoleComesFromXAccordRoleAndStillFromOldExports) {
  struct Case {
    std::string extra;
    std::string role;
  };
  const std::vector<Case> cases = {
      {R"(,"indicator_types":["malicious-activity"],"x_accord_role":"c2","labels":["c2","lumma"])",
       "c2"},
      {R"(,"indicator_types":["malicious-activity","payload-delivery"])", "payload-delivery"},
      {R"(,"indicator_types":["compromised"],"x_accord_role":"victim")", "victim"},
      {R"(,"indicator_types":["anomalous-activity"])", "anomalous-activity"},
      {R"(,"indicator_types":["malicious-activity"],"labels":["phishing"])", "malicious-activity"},
      {R"(,"labels":["phishing"])", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.extra);
    RecordingSink sink;
    ASSERT_TRUE(
        ReadTrickled(Bundle({Indicator(kIndicatorId, "[ipv4-addr:value = '192.0.2.1']", c.extra)}),
                     sink)
            .ok());
    ASSERT_EQ(sink.indicators.size(), 1u);
    EXPECT_EQ(sink.indicators[0].context.role, c.role);
  }
}

// An indicator's description is its comment, unless Accord marked it as the
// sentence it writes for a value without one.
TEST(ReadStixBundleTest, AGeneratedDescriptionIsNotReadAsAComment) {
  struct Case {
    std::string extra;
    std::string comment;
  };
  const std::vector<Case> cases = {
      {R"(,"name":"192.0.2.1","description":"Lumma C2 panel")", "Lumma C2 panel"},
      {R"(,"name":"192.0.2.1","description":"IPv4 address with role c2 from the event \"X\".",)"
       R"("x_accord_description_generated":true)",
       ""},
      {R"(,"name":"Lumma panel","description":"IPv4 address.","x_accord_description_generated":true)",
       "Lumma panel"},
      {R"(,"name":"192.0.2.1","description":"d","x_accord_description_generated":false)", "d"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.extra);
    RecordingSink sink;
    ASSERT_TRUE(
        ReadTrickled(Bundle({Indicator(kIndicatorId, "[ipv4-addr:value = '192.0.2.1']", c.extra)}),
                     sink)
            .ok());
    ASSERT_EQ(sink.indicators.size(), 1u);
    EXPECT_EQ(sink.indicators[0].context.comment, c.comment);
  }
}

// 2.1 names its TLP 1.0 marking definitions ("TLP:GREEN"), and its schema
// requires that name of a TLP marking; 2.0's had none.
TEST(ReadStixBundleTest, AStix20TlpMarkingDefinitionGetsIts21Name) {
  RecordingSink sink;
  const std::string bundle =
      R"({"type":"bundle","id":")" + kBundleId + R"(","spec_version":"2.0","objects":[)"
      R"({"type":"marking-definition","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",)"
      R"("created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"green"}},)"
      R"({"type":"marking-definition","id":"marking-definition--d1a1dc3a-7e4d-4e36-8f2a-1b0c7e2f6a11",)"
      R"("created":"2017-01-20T00:00:00.000Z","definition_type":"statement",)"
      R"("definition":{"statement":"Copyright Example"}}]})";
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 2u);
  EXPECT_NE(sink.objects[0].json.find(R"("name":"TLP:GREEN")"), std::string::npos) << sink.objects[0].json;
  EXPECT_EQ(sink.objects[1].json.find(R"("name")"), std::string::npos) << sink.objects[1].json;
}

// 2.1 requires an id of every cyber-observable object, embedded ones too;
// references between them name those ids, not the map's keys.
TEST(ReadStixBundleTest, AStix20ObservedDatasObjectsGetIdsAndTheirReferencesFollow) {
  RecordingSink sink;
  const std::string observed_id = "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf";
  const std::string bundle =
      R"({"type":"bundle","id":")" + kBundleId + R"(","spec_version":"2.0","objects":[)"
      R"({"type":"observed-data","id":")" + observed_id +
      R"(","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z",)"
      R"("first_observed":"2017-01-01T00:00:00Z","last_observed":"2017-01-02T00:00:00Z","number_observed":1,)"
      R"("objects":{"0":{"type":"ipv4-addr","value":"203.0.113.9"},"1":{"type":"domain-name","value":"d.example",)"
      R"("resolves_to_refs":["0"]},"2":{"type":"network-traffic","dst_ref":"0","protocols":["tcp"]},)"
      R"("3":{"type":"file","name":"invoice.pdf"},"4":{"type":"email-message","is_multipart":true,)"
      R"("body_multipart":[{"body_raw_ref":"3","content_type":"application/pdf"}]}}}]})";
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  const std::string& json = sink.objects[0].json;
  const std::string address_id = "ipv4-addr--" + UuidV5(kAccordUuidNamespace, "observed-data:" + observed_id + ":0");
  EXPECT_NE(json.find(R"("0":{"type":"ipv4-addr","id":")" + address_id + R"(","value":"203.0.113.9"})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("resolves_to_refs":[")" + address_id + R"("])"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("dst_ref":")" + address_id + R"(")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("2":{"type":"network-traffic","id":"network-traffic--)"), std::string::npos) << json;
  // A reference deeper in an object is one too.
  const std::string file_id = "file--" + UuidV5(kAccordUuidNamespace, "observed-data:" + observed_id + ":3");
  EXPECT_NE(json.find(R"("body_multipart":[{"body_raw_ref":")" + file_id + R"(","content_type")"), std::string::npos)
      << json;
  // The values are read as before: the address, the domain, the file's name.
  ASSERT_EQ(sink.indicators.size(), 3u);
}

TEST(ReadStixBundleTest, Stix20ObjectsAreUpgradedTo21) {
  RecordingSink sink;
  const std::string bundle =
      R"({"type":"bundle","id":")" + kBundleId + R"(","spec_version":"2.0","objects":[)"
      R"({"type":"indicator","id":")" + kIndicatorId +
      R"(","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z",)"
      R"("labels":["malicious-activity"],"pattern":"[file:hashes.'SHA-256' = ')" + std::string(64, 'a') + R"(']","valid_from":"2017-01-01T00:00:00Z"},)"
      R"({"type":"malware","id":")" + kMalwareId +
      R"(","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z","name":"X","labels":["trojan"]},)"
      R"({"type":"observed-data","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",)"
      R"("created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z",)"
      R"("first_observed":"2017-01-01T00:00:00Z","last_observed":"2017-01-02T00:00:00Z","number_observed":1,)"
      R"("objects":{"0":{"type":"ipv4-addr","value":"203.0.113.9"},"1":{"type":"domain-name","value":"d.example"},)"
      R"("2":{"type":"ipv4-addr"}}}]})";
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 3u);
  const std::string& indicator = sink.objects[0].json;
  EXPECT_EQ(indicator.find(R"({"type":"indicator","spec_version":"2.1",)"), 0u) << indicator;
  EXPECT_NE(indicator.find(R"("pattern_type":"stix")"), std::string::npos);
  EXPECT_NE(indicator.find(R"("indicator_types":["malicious-activity"])"), std::string::npos);
  EXPECT_NE(indicator.find(R"("labels":["malicious-activity"])"), std::string::npos);
  const std::string& malware = sink.objects[1].json;
  EXPECT_NE(malware.find(R"("is_family":true)"), std::string::npos) << malware;
  EXPECT_NE(malware.find(R"("malware_types":["trojan"])"), std::string::npos);
  EXPECT_NE(sink.objects[2].json.find(R"("objects":{"0":{"type":"ipv4-addr")"), std::string::npos);
  for (const auto& object : sink.objects) EXPECT_EQ(object.spec_version, "2.1");

  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kSha256);
  EXPECT_TRUE(sink.indicators[0].context.is_indicator);
  EXPECT_EQ(sink.indicators[1].value, "203.0.113.9");
  EXPECT_FALSE(sink.indicators[1].context.is_indicator);
  EXPECT_EQ(sink.indicators[1].context.first_seen, "2017-01-01T00:00:00.000Z");
  EXPECT_EQ(sink.indicators[1].context.last_seen, "2017-01-02T00:00:00.000Z");
  EXPECT_EQ(sink.indicators[2].type, ObservableType::kDomain);
  // The embedded object without a value is rejected by its key; the rest stays.
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_NE(sink.rejections[0].location.find("observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf objects.2"),
            std::string::npos);
}

// Braces, brackets, quotes and backslashes inside strings must not move the
// object boundaries; UTF-8 and \u escapes come through intact.
TEST(ReadStixBundleTest, BracesEscapesAndUnicodeInsideStrings) {
  RecordingSink sink;
  const std::string tricky = R"(}{ ][ \" \\\" \\ \u00e9 é 漢字 😀 \/ \n)";
  const std::string bundle = Bundle({
      Indicator(kIndicatorId, "[file:name = 'a}{]['] OR [file:name = 'b\\\\\\\\c']",
                R"(,"description":")" + tricky + "\""),
      Indicator("indicator--00000000-0000-4000-8000-000000000002", "[domain-name:value = 'x.example']"),
  });
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok()) << bundle;
  ASSERT_EQ(sink.objects.size(), 2u);
  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[0].value, "a}{][");
  EXPECT_EQ(sink.indicators[1].value, "b\\c");
  EXPECT_EQ(sink.indicators[0].context.comment, "}{ ][ \" \\\" \\ é é 漢字 😀 / \n");
  EXPECT_EQ(sink.indicators[2].value, "x.example");
}

// The group event uuid depends on the file only: the same bytes read twice
// give the same uuids whatever the key order.
TEST(ReadStixBundleTest, KeysInAnyOrderAndDeterministicGroupEvents) {
  const std::string objects_first =
      R"({"objects":[)" + Indicator(kIndicatorId, "[domain-name:value = 'a.example']") +
      R"(],"spec_version":"2.1","id":")" + kBundleId + R"(","type":"bundle","x_extra":{"a":[1,{"b":"}"}]}})";
  RecordingSink first, second;
  ASSERT_TRUE(ReadTrickled(objects_first, first, "late-id.json").ok());
  ASSERT_TRUE(ReadTrickled(objects_first, second, "late-id.json").ok());
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_EQ(first.events[0].uuid, UuidV5(kAccordUuidNamespace, "stix-source:late-id.json:unmarked"));
  EXPECT_EQ(first.events[0].uuid, second.events[0].uuid);
  EXPECT_EQ(first.indicators.size(), 1u);

  RecordingSink id_first;
  ASSERT_TRUE(ReadTrickled(Bundle({Indicator(kIndicatorId, "[domain-name:value = 'a.example']")}), id_first,
                           "other-name.json")
                  .ok());
  EXPECT_EQ(id_first.events[0].uuid,
            UuidV5(kAccordUuidNamespace, "stix-bundle:" + kBundleId + ":source:other-name.json:unmarked"));
  EXPECT_TRUE(first.events[0].legacy_uuid.empty());
}

// Producers reuse bundle ids (OASIS's own examples share one across
// unrelated files): two files with one bundle id are two group events.
TEST(ReadStixBundleTest, TwoFilesSharingABundleIdAreTwoGroupEvents) {
  const std::string bundle = Bundle({Indicator(kIndicatorId, "[domain-name:value = 'a.example']")});
  RecordingSink first, second;
  ASSERT_TRUE(ReadTrickled(bundle, first, "first.json").ok());
  ASSERT_TRUE(ReadTrickled(bundle, second, "second.json").ok());
  ASSERT_EQ(first.events.size(), 1u);
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_NE(first.events[0].uuid, second.events[0].uuid);
  EXPECT_EQ(first.events[0].title, "STIX bundle first.json (unmarked)");
  EXPECT_EQ(second.events[0].title, "STIX bundle second.json (unmarked)");
}

TEST(ReadStixBundleTest, BareArrayOfObjects) {
  RecordingSink sink;
  const std::string array = "\xEF\xBB\xBF [" + Indicator(kIndicatorId, "[domain-name:value = 'a.example']") +
                            ", " + Indicator("indicator--00000000-0000-4000-8000-000000000002",
                                             "[domain-name:value = 'b.example']") +
                            "]";
  ASSERT_TRUE(ReadTrickled(array, sink, "list.json").ok());
  EXPECT_EQ(sink.objects.size(), 2u);
  EXPECT_EQ(sink.indicators.size(), 2u);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].uuid, UuidV5(kAccordUuidNamespace, "stix-source:list.json:unmarked"));
}

// OpenCTI exports a single object as the whole file, id first, and some
// OASIS examples are one object: read as a bundle of that one object.
TEST(ReadStixBundleTest, LoneObjectAtTopLevelIsReadAsAOneObjectBundle) {
  RecordingSink sink;
  const std::string lone = R"({"id":")" + kIndicatorId +
                           R"(","spec_version":"2.1","type":"indicator","extensions":{"extension-definition--)"
                           R"(ea279b3e-5c71-4632-ac08-831c66a786ba":{"extension_type":"property-extension","score":50}},)"
                           R"("created":"2024-01-01T00:00:00.000Z","modified":"2024-01-02T00:00:00.000Z",)"
                           R"("name":"é \"quoted\"","pattern":"[domain-name:value = 'lone.example']",)"
                           R"("pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})";
  ASSERT_TRUE(ReadTrickled(lone, sink, "one.json").ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_EQ(sink.objects[0].id, kIndicatorId);
  EXPECT_NE(sink.objects[0].json.find("extension-definition--ea279b3e"), std::string::npos);
  EXPECT_NE(sink.objects[0].json.find("é \\\"quoted\\\""), std::string::npos) << sink.objects[0].json;
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "lone.example");
  EXPECT_EQ(sink.indicators[0].context.comment, "é \"quoted\"");

  // A 2.0 object whose "objects" is the observed-data map, not an array.
  RecordingSink observed;
  ASSERT_TRUE(ReadTrickled(R"({"type":"observed-data","id":"observed-data--cf8eaa41-6f4c-482e-89b9-9cd2d6a83cb1",)"
                           R"("created":"2017-02-28T19:37:11.213Z","modified":"2017-02-28T19:37:11.213Z",)"
                           R"("first_observed":"2017-02-27T21:37:11.213Z","last_observed":"2017-02-27T21:37:11.213Z",)"
                           R"("number_observed":1,"objects":{"0":{"type":"ipv4-addr","value":"198.51.100.9"}}})",
                           observed, "od.json")
                  .ok());
  ASSERT_EQ(observed.objects.size(), 1u);
  EXPECT_EQ(observed.objects[0].spec_version, "2.1");
  ASSERT_EQ(observed.indicators.size(), 1u);
  EXPECT_EQ(observed.indicators[0].value, "198.51.100.9");
}

TEST(ReadStixBundleTest, EmptyBundleAndEmptyArrayAreFine) {
  RecordingSink sink;
  EXPECT_TRUE(ReadTrickled(R"({"type":"bundle","id":")" + kBundleId + R"(","objects":[]})", sink).ok());
  EXPECT_TRUE(ReadTrickled(R"({"type":"bundle","id":")" + kBundleId + R"("})", sink).ok());
  EXPECT_TRUE(ReadTrickled(" [ ] ", sink).ok());
  EXPECT_TRUE(sink.order.empty());
}

// The scanner's 1 MiB chunks and 1..7-byte reads cut objects in different
// places; the records must not depend on where.
TEST(ReadStixBundleTest, RecordsDoNotDependOnReadSizes) {
  std::vector<std::string> objects;
  for (int object_idx = 0; object_idx < 200; ++object_idx) {
    char id[64];
    std::snprintf(id, sizeof id, "indicator--00000000-0000-4000-8000-%012d", object_idx);
    objects.push_back(Indicator(id, "[domain-name:value = 'host" + std::to_string(object_idx) + ".example']",
                                R"(,"description":"}\"{ )" + std::string(object_idx * 37, 'z') + "\""));
  }
  // One object far larger than a read chunk.
  objects.push_back(Indicator("indicator--00000000-0000-4000-8000-999999999999",
                              "[domain-name:value = 'big.example']",
                              R"(,"description":")" + std::string(3 << 20, 'q') + "\""));
  const std::string bundle = Bundle(objects);

  RecordingSink trickled, whole;
  ASSERT_TRUE(ReadTrickled(bundle, trickled).ok());
  auto in = OpenInputFromMemory("test.json", bundle);
  ASSERT_TRUE(in.ok());
  StixReadOptions options;
  options.source_name = "test.json";
  ASSERT_TRUE(ReadStixBundle(**in, options, whole).ok());
  ASSERT_EQ(whole.objects.size(), 201u);
  ASSERT_EQ(trickled.objects.size(), 201u);
  for (size_t object_idx = 0; object_idx < whole.objects.size(); ++object_idx) {
    ASSERT_EQ(whole.objects[object_idx].json, trickled.objects[object_idx].json);
  }
  EXPECT_EQ(whole.order, trickled.order);
  EXPECT_EQ(whole.indicators.back().value, "big.example");
  EXPECT_EQ(whole.indicators.back().context.comment.size(), 1024u + 3);  // shortened
}

TEST(ReadStixBundleTest, GroupEventsTakeTheTitleTheCallerGives) {
  RecordingSink sink;
  auto in = OpenInputFromMemory("page.json", Bundle({Indicator(kIndicatorId, "[domain-name:value = 'a.example']",
                                                               R"(,"object_marking_refs":[)" +
                                                                   Marking(Tlp::kGreen) + "]")}));
  ASSERT_TRUE(in.ok());
  StixReadOptions options;
  options.source_name = "taxii:node-a/3f1c";
  options.group_title = "From node-a: Partner feed";
  ASSERT_TRUE(ReadStixBundle(**in, options, sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].title, "From node-a: Partner feed (TLP:GREEN)");
  EXPECT_EQ(sink.events[0].source, "stix:taxii:node-a/3f1c");  // provenance unchanged
}

}  // namespace
}  // namespace accord
