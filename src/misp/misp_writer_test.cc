#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "misp/misp.h"
#include "misp/recording_sink_for_test.h"

namespace accord {
namespace {

using ::testing::ElementsAre;
using testing::ReadMispText;
using testing::RecordingSink;
using Json = nlohmann::json;

EventRecord SampleEvent() {
  EventRecord event;
  event.uuid = "5a3c2fcd-8328-42bb-a95e-4f4402de0b81";
  event.title = "Infostealer C2 — \"operation\" ünïcode";
  event.tags = {"malware:lumma", "misp-galaxy:stealer=\"Lumma\""};
  event.created = "2024-05-01T00:00:00.000Z";
  event.modified = "2024-05-02T10:20:30.000Z";
  event.description = "Lumma **C2** panel seen on three hosts.\n\nSee the report.";
  event.source = "misp:export.json";
  return event;
}

MispExportAttribute Export(ObservableType type, std::string value, std::string role = "",
                           bool is_indicator = true) {
  MispExportAttribute attribute;
  attribute.observable = Observable{type, std::move(value)};
  attribute.context.role = std::move(role);
  attribute.context.is_indicator = is_indicator;
  return attribute;
}

std::vector<MispExportAttribute> SampleAttributes() {
  std::vector<MispExportAttribute> attributes = {
      Export(ObservableType::kIpv4, "192.0.2.1", "c2"),
      Export(ObservableType::kIpv6, "2001:db8::1", "network-activity"),
      Export(ObservableType::kCidr, "198.51.100.0/24", ""),
      Export(ObservableType::kDomain, "evil.example", "payload-delivery", false),
      Export(ObservableType::kUrl, "https://evil.example/gate.php?id=1", "exfiltration"),
      Export(ObservableType::kEmail, "phish@evil.example", "phishing"),
      Export(ObservableType::kMd5, "d41d8cd98f00b204e9800998ecf8427e"),
      Export(ObservableType::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
      Export(ObservableType::kSha256,
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      Export(ObservableType::kWallet, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "financial-fraud"),
      Export(ObservableType::kFileName, "setup|x.exe", "artifacts-dropped"),
  };
  attributes[0].context.comment = "panel";
  attributes[0].context.confidence = 85;
  attributes[0].context.first_seen = "2024-04-01T00:00:00.000Z";
  attributes[0].context.last_seen = "2024-04-30T12:00:00.000Z";
  attributes[0].context.valid_until = "2024-08-01T00:00:00.000Z";
  return attributes;
}

// What ReadMispEvent gives for an attribute written without a role: the
// natural category of its type.
std::string ExpectedRole(const MispExportAttribute& attribute) {
  if (!attribute.context.role.empty()) return attribute.context.role;
  switch (attribute.observable.type) {
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
    case ObservableType::kFileName:
      return "payload-delivery";
    case ObservableType::kWallet:
      return "financial-fraud";
    default:
      return "network-activity";
  }
}

TEST(BuildMispEventTest, WritesTheMispFields) {
  Json document = Json::parse(BuildMispEvent(SampleEvent(), Tlp::kAmber, SampleAttributes()));
  const Json& event = document.at("Event");
  EXPECT_EQ(event.at("uuid"), "5a3c2fcd-8328-42bb-a95e-4f4402de0b81");
  EXPECT_EQ(event.at("date"), "2024-05-01");
  EXPECT_EQ(event.at("threat_level_id"), "4");
  EXPECT_EQ(event.at("analysis"), "2");
  EXPECT_EQ(event.at("distribution"), "1");
  EXPECT_EQ(event.at("published"), false);
  EXPECT_EQ(event.at("timestamp"), "1714645230");
  EXPECT_EQ(event.at("Tag").at(0).at("name"), "tlp:amber");
  const Json& attributes = event.at("Attribute");
  ASSERT_EQ(attributes.size(), 11u);
  EXPECT_EQ(attributes[0].at("type"), "ip-dst");
  EXPECT_EQ(attributes[0].at("category"), "Network activity");
  EXPECT_EQ(attributes[0].at("to_ids"), true);
  EXPECT_EQ(attributes[0].at("first_seen"), "2024-04-01T00:00:00.000Z");
  EXPECT_EQ(attributes[2].at("type"), "ip-dst");
  EXPECT_EQ(attributes[3].at("category"), "Payload delivery");
  EXPECT_EQ(attributes[3].at("to_ids"), false);
  EXPECT_EQ(attributes[5].at("type"), "email");
  EXPECT_EQ(attributes[9].at("type"), "btc");
  EXPECT_EQ(attributes[9].at("category"), "Financial fraud");
  EXPECT_EQ(attributes[10].at("type"), "filename");
  EXPECT_FALSE(attributes[1].contains("first_seen"));
}

// What the event came with from MISP goes back; without it, 4 (undefined)
// and 2 (completed), in the event file and in the feed's manifest alike.
TEST(BuildMispEventTest, WritesTheStoredGradingElseUndefinedAndCompleted) {
  struct Case {
    std::optional<ThreatLevel> level;
    std::optional<AnalysisStage> stage;
    std::string threat_level_id;
    std::string analysis;
  };
  const std::vector<Case> cases = {
      {ThreatLevel::kHigh, AnalysisStage::kInitial, "1", "0"},
      {ThreatLevel::kMedium, AnalysisStage::kOngoing, "2", "1"},
      {ThreatLevel::kLow, AnalysisStage::kCompleted, "3", "2"},
      {ThreatLevel::kUndefined, std::nullopt, "4", "2"},
      {std::nullopt, AnalysisStage::kInitial, "4", "0"},
      {std::nullopt, std::nullopt, "4", "2"},
  };
  for (const Case& test_case : cases) {
    EventRecord event = SampleEvent();
    event.threat_level = test_case.level;
    event.analysis = test_case.stage;
    const std::string where = test_case.threat_level_id + "/" + test_case.analysis;
    Json written = Json::parse(BuildMispEvent(event, Tlp::kGreen, {})).at("Event");
    EXPECT_EQ(written.at("threat_level_id"), test_case.threat_level_id) << where;
    EXPECT_EQ(written.at("analysis"), test_case.analysis) << where;
    Json entry = Json::parse(BuildMispFeedManifestEntry(event, Tlp::kGreen, {}));
    EXPECT_EQ(entry.at("threat_level_id"), test_case.threat_level_id) << where;
    EXPECT_EQ(entry.at("analysis"), test_case.analysis) << where;
  }
  // Read back, a stored grading is the same grading.
  EventRecord graded = SampleEvent();
  graded.threat_level = ThreatLevel::kHigh;
  graded.analysis = AnalysisStage::kInitial;
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(BuildMispEvent(graded, Tlp::kGreen, {}), sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].threat_level, ThreatLevel::kHigh);
  EXPECT_EQ(sink.events[0].analysis, AnalysisStage::kInitial);
}

TEST(BuildMispEventTest, AttributeUuidsAreDeterministic) {
  std::string first = BuildMispEvent(SampleEvent(), Tlp::kGreen, SampleAttributes());
  std::string second = BuildMispEvent(SampleEvent(), Tlp::kGreen, SampleAttributes());
  EXPECT_EQ(first, second);
  Json event = Json::parse(first).at("Event");
  EXPECT_EQ(event.at("Attribute")[0].at("uuid"),
            UuidV5(kAccordUuidNamespace, "5a3c2fcd-8328-42bb-a95e-4f4402de0b81|ip-dst|192.0.2.1"));
  EXPECT_NE(event.at("Attribute")[0].at("uuid"), event.at("Attribute")[1].at("uuid"));
}

TEST(BuildMispEventTest, TlpArgumentDecidesOverStaleTlpTags) {
  EventRecord event = SampleEvent();
  event.tags.push_back("TLP:CLEAR");
  Json document = Json::parse(BuildMispEvent(event, Tlp::kRed, {}));
  const Json& tags = document.at("Event").at("Tag");
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_EQ(tags[0].at("name"), "tlp:red");
  EXPECT_EQ(document.at("Event").at("distribution"), "0");
}

// Nodes before the reader left them out kept attributes tagged more
// strictly than their event with it: a MISP export of the event leaves them
// out for its readers, in objects too.
TEST(BuildMispEventTest, KeptAttributesMarkedMoreStrictlyThanTheEventAreLeftOut) {
  EventRecord event = SampleEvent();
  event.misp_other_attributes =
      R"([{"uuid":"a-1","type":"text","value":"SECRET-RED","Tag":[{"name":"tlp:red"}]},)"
      R"({"uuid":"a-2","type":"text","value":"plain text"}])";
  event.misp_objects =
      R"([{"uuid":"o-1","name":"domain-ip","Attribute":[)"
      R"({"uuid":"o-2","type":"domain","value":"secret.example","Tag":[{"name":"tlp:red"}]},)"
      R"({"uuid":"o-3","type":"ip-dst","value":"192.0.2.9"}]}])";
  const std::string green = BuildMispEvent(event, Tlp::kGreen, {});
  EXPECT_EQ(green.find("SECRET-RED"), std::string::npos) << green;
  EXPECT_EQ(green.find("secret.example"), std::string::npos) << green;
  EXPECT_NE(green.find("plain text"), std::string::npos);
  EXPECT_NE(green.find("192.0.2.9"), std::string::npos);
  const std::string red = BuildMispEvent(event, Tlp::kRed, {});
  EXPECT_NE(red.find("SECRET-RED"), std::string::npos) << "a RED event's readers may read it";
}

TEST(BuildMispEventTest, DistributionFollowsTlp) {
  const std::vector<std::pair<Tlp, std::string>> cases = {
      {Tlp::kClear, "3"}, {Tlp::kGreen, "2"}, {Tlp::kAmber, "1"},
      {Tlp::kAmberStrict, "0"}, {Tlp::kRed, "0"}};
  for (const auto& [tlp, distribution] : cases) {
    Json document = Json::parse(BuildMispEvent(SampleEvent(), tlp, {}));
    EXPECT_EQ(document.at("Event").at("distribution"), distribution) << TlpName(tlp);
    EXPECT_EQ(document.at("Event").at("Tag")[0].at("name"), "tlp:" + std::string(TlpName(tlp)));
  }
}

TEST(BuildMispEventTest, InvalidUtf8IsReplacedNotThrown) {
  EventRecord event = SampleEvent();
  event.title = "bad \xff byte";
  std::string text = BuildMispEvent(event, Tlp::kGreen, {});
  EXPECT_TRUE(Json::accept(text));
}

// Export then import gives back the same event and indicators.
TEST(BuildMispEventTest, AnEventFromMispGivesEachAttributeTheUuidItCameWithOnce) {
  const std::string kept = "0af1d2c3-b4a5-4f60-9e8d-7c6b5a4f3e2d";
  std::vector<MispExportAttribute> attributes = SampleAttributes();
  attributes[0].context.stix_id = "indicator--" + kept;
  attributes[1].context.stix_id = "indicator--" + kept;  // MISP refuses a uuid twice
  attributes[2].context.stix_id = "indicator--not-a-uuid";
  attributes[3].context.stix_id = "domain-name--" + kept;
  Json event = Json::parse(BuildMispEvent(SampleEvent(), Tlp::kGreen, attributes)).at("Event");
  const Json& written = event.at("Attribute");
  EXPECT_EQ(written[0].at("uuid"), kept);
  EXPECT_EQ(written[1].at("uuid"),
            UuidV5(kAccordUuidNamespace, "5a3c2fcd-8328-42bb-a95e-4f4402de0b81|ip-dst|2001:db8::1"));
  EXPECT_EQ(written[2].at("uuid"),
            UuidV5(kAccordUuidNamespace, "5a3c2fcd-8328-42bb-a95e-4f4402de0b81|ip-dst|198.51.100.0/24"));
  EXPECT_EQ(written[3].at("uuid"), UuidV5(kAccordUuidNamespace,
                                          "5a3c2fcd-8328-42bb-a95e-4f4402de0b81|domain|evil.example"));

  // Read back, the attribute carries the same id again.
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(BuildMispEvent(SampleEvent(), Tlp::kGreen, attributes), sink).ok());
  ASSERT_FALSE(sink.indicators.empty());
  EXPECT_EQ(sink.indicators[0].context.stix_id, "indicator--" + kept);
}

TEST(BuildMispEventTest, AnEventThatDidNotComeFromMispKeepsDerivedAttributeUuids) {
  // A STIX indicator may sit in several reports (events): its id is not an
  // attribute uuid MISP would take twice.
  EventRecord event = SampleEvent();
  event.source = "stix:bundle.json";
  std::vector<MispExportAttribute> attributes = SampleAttributes();
  attributes[0].context.stix_id = "indicator--0af1d2c3-b4a5-4f60-9e8d-7c6b5a4f3e2d";
  Json written = Json::parse(BuildMispEvent(event, Tlp::kGreen, attributes)).at("Event").at("Attribute");
  EXPECT_EQ(written[0].at("uuid"),
            UuidV5(kAccordUuidNamespace, "5a3c2fcd-8328-42bb-a95e-4f4402de0b81|ip-dst|192.0.2.1"));
  // Written as the type it came as, it keeps the uuid derived before types
  // were kept: a MISP that follows the feed updates it, not a copy.
  attributes[0].context.misp_type = "ip-src";
  Json typed = Json::parse(BuildMispEvent(event, Tlp::kGreen, attributes)).at("Event").at("Attribute");
  EXPECT_EQ(typed[0].at("type"), "ip-src");
  EXPECT_EQ(typed[0].at("uuid"), written[0].at("uuid"));
}

TEST(BuildMispEventTest, RoundTripsThroughReadMispEvent) {
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    const EventRecord original = SampleEvent();
    const std::vector<MispExportAttribute> attributes = SampleAttributes();
    RecordingSink sink;
    ASSERT_TRUE(ReadMispText(BuildMispEvent(original, tlp, attributes), sink, "export.json").ok());
    ASSERT_EQ(sink.events.size(), 1u);
    const EventRecord& event = sink.events[0];
    EXPECT_EQ(event.uuid, original.uuid);
    EXPECT_EQ(event.title, original.title);
    EXPECT_EQ(event.description, original.description);
    EXPECT_EQ(event.tlp, tlp);
    EXPECT_EQ(event.tags, original.tags);
    EXPECT_EQ(event.created, original.created);
    EXPECT_EQ(event.modified, original.modified);
    EXPECT_EQ(event.source, original.source);
    EXPECT_TRUE(sink.rejections.empty());
    ASSERT_EQ(sink.indicators.size(), attributes.size());
    for (size_t attribute_idx = 0; attribute_idx < attributes.size(); ++attribute_idx) {
      const IndicatorRecord& indicator = sink.indicators[attribute_idx];
      const MispExportAttribute& expected = attributes[attribute_idx];
      EXPECT_EQ(indicator.event_uuid, original.uuid);
      EXPECT_EQ(indicator.type, expected.observable.type) << expected.observable.value;
      EXPECT_EQ(indicator.value, expected.observable.value);
      EXPECT_EQ(indicator.context.role, ExpectedRole(expected)) << expected.observable.value;
      EXPECT_EQ(indicator.context.is_indicator, expected.context.is_indicator);
      EXPECT_EQ(indicator.context.comment, expected.context.comment);
      EXPECT_EQ(indicator.context.confidence, expected.context.confidence);
      EXPECT_EQ(indicator.context.first_seen, expected.context.first_seen);
      EXPECT_EQ(indicator.context.last_seen, expected.context.last_seen);
      EXPECT_EQ(indicator.context.valid_until, expected.context.valid_until);
    }
  }
}

TEST(BuildMispEventTest, ARoleWhoseCategoryCannotHoldTheTypeTravelsAsATag) {
  // MISP refuses {"type":"domain","category":"Attribution"}; the role must
  // come back from the tag instead.
  std::vector<MispExportAttribute> attributes = {Export(ObservableType::kDomain, "actor.example", "attribution"),
                                                 Export(ObservableType::kSha256, std::string(64, 'a'), "persistence-mechanism"),
                                                 Export(ObservableType::kFileName, "svc.exe", "persistence-mechanism")};
  Json event = Json::parse(BuildMispEvent(SampleEvent(), Tlp::kGreen, attributes)).at("Event");
  const Json& written = event.at("Attribute");
  EXPECT_EQ(written[0]["category"], "Network activity");
  EXPECT_EQ(written[1]["category"], "Payload delivery");
  EXPECT_EQ(written[2]["category"], "Persistence mechanism");  // a filename may be
  for (const Json& attribute : written) {
    EXPECT_EQ(attribute["distribution"], "5");
    EXPECT_EQ(attribute["deleted"], false);
    EXPECT_EQ(attribute["timestamp"], event["timestamp"]);
  }
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(BuildMispEvent(SampleEvent(), Tlp::kGreen, attributes), sink, "e.json").ok());
  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[0].context.role, "attribution");
  EXPECT_EQ(sink.indicators[1].context.role, "persistence-mechanism");
  EXPECT_EQ(sink.indicators[2].context.role, "persistence-mechanism");
}

TEST(BuildMispEventTest, WhatMispWouldRefuseIsNeverWritten) {
  EventRecord untitled = SampleEvent();
  untitled.title.clear();
  MispExportAttribute reversed = Export(ObservableType::kIpv4, "192.0.2.7");
  reversed.context.first_seen = "2024-03-01T00:00:00.000Z";
  reversed.context.last_seen = "2024-02-01T00:00:00.000Z";  // as a feed said it
  Json event = Json::parse(BuildMispEvent(untitled, Tlp::kGreen, {reversed})).at("Event");
  EXPECT_EQ(event["info"], "Accord event " + untitled.uuid);
  const Json& attribute = event.at("Attribute")[0];
  EXPECT_EQ(attribute["first_seen"], "2024-03-01T00:00:00.000Z");
  EXPECT_FALSE(attribute.contains("last_seen"));
}

TEST(BuildMispEventTest, WalletsAreWrittenAsTheirCurrency) {
  const std::string monero = "4" + std::string(94, 'A');
  const std::string dash = "X" + std::string(33, 'b');
  const std::string bitcoin = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
  std::vector<MispExportAttribute> attributes = {Export(ObservableType::kWallet, monero),
                                                 Export(ObservableType::kWallet, dash),
                                                 Export(ObservableType::kWallet, bitcoin)};
  Json written = Json::parse(BuildMispEvent(SampleEvent(), Tlp::kGreen, attributes)).at("Event").at("Attribute");
  EXPECT_EQ(written[0]["type"], "xmr");
  EXPECT_EQ(written[1]["type"], "dash");
  EXPECT_EQ(written[2]["type"], "btc");
  for (const Json& attribute : written) EXPECT_EQ(attribute["category"], "Financial fraud");
}

TEST(BuildMispEventTest, EventWithoutUuidGetsADeterministicOne) {
  EventRecord event = SampleEvent();
  event.uuid.clear();
  Json first = Json::parse(BuildMispEvent(event, Tlp::kGreen, {}));
  Json second = Json::parse(BuildMispEvent(event, Tlp::kGreen, {}));
  EXPECT_TRUE(IsUuid(first.at("Event").at("uuid").get<std::string>()));
  EXPECT_EQ(first.at("Event").at("uuid"), second.at("Event").at("uuid"));
}

TEST(BuildMispEventTest, TheTypeAValueCameAsIsWrittenOnlyWhereItHoldsTheValue) {
  MispExportAttribute source = Export(ObservableType::kIpv6, "2001:db8::7");
  source.context.misp_type = "ip-src";
  MispExportAttribute host = Export(ObservableType::kDomain, "mx.evil.example");
  host.context.misp_type = "hostname";
  MispExportAttribute target = Export(ObservableType::kEmail, "clerk@ministry.example", "", false);
  target.context.misp_type = "target-email";
  // Types that cannot hold the value: another family, a composite, no observable.
  MispExportAttribute stale = Export(ObservableType::kDomain, "stale.example");
  stale.context.misp_type = "ip-src";
  MispExportAttribute composite = Export(ObservableType::kDomain, "pair.example");
  composite.context.misp_type = "domain|ip";
  MispExportAttribute text = Export(ObservableType::kUrl, "https://evil.example/x");
  text.context.misp_type = "text";
  Json written = Json::parse(BuildMispEvent(SampleEvent(), Tlp::kGreen,
                                            {source, host, target, stale, composite, text}))
                     .at("Event")
                     .at("Attribute");
  EXPECT_EQ(written[0]["type"], "ip-src");
  EXPECT_EQ(written[0]["category"], "Network activity");
  EXPECT_EQ(written[1]["type"], "hostname");
  EXPECT_EQ(written[2]["type"], "target-email");
  EXPECT_EQ(written[2]["category"], "Targeting data");
  EXPECT_EQ(written[3]["type"], "domain");
  EXPECT_EQ(written[4]["type"], "domain");
  EXPECT_EQ(written[5]["type"], "url");
}

TEST(BuildMispEventTest, TheCreatorAnEventCameWithWinsOverTheOrganisationPassingItOn) {
  EventRecord event = SampleEvent();
  const MispOrg exporter{"CERT-Exporter", "11111111-2222-4333-8444-555555555555"};
  Json own = Json::parse(BuildMispEvent(event, Tlp::kGreen, {}, exporter)).at("Event");
  EXPECT_EQ(own["Orgc"]["name"], "CERT-Exporter");
  event.misp_orgc = R"({"name":"CIRCL","uuid":"55f6ea5e-2c60-40e5-964f-47a8950d210f"})";
  Json kept = Json::parse(BuildMispEvent(event, Tlp::kGreen, {}, exporter)).at("Event");
  EXPECT_EQ(kept["Orgc"]["name"], "CIRCL");
  EXPECT_EQ(kept["Orgc"]["uuid"], "55f6ea5e-2c60-40e5-964f-47a8950d210f");
  Json manifest = Json::parse(BuildMispFeedManifestEntry(event, Tlp::kGreen, exporter));
  EXPECT_EQ(manifest["Orgc"]["name"], "CIRCL");
  // Stored text that is no creator is ignored.
  event.misp_orgc = "not json";
  Json broken = Json::parse(BuildMispEvent(event, Tlp::kGreen, {}, exporter)).at("Event");
  EXPECT_EQ(broken["Orgc"]["name"], "CERT-Exporter");
}

}  // namespace
}  // namespace accord
