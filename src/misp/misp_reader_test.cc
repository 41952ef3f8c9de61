// ReadMispEvent on events the tests write themselves: every shape and
// mapping. Malformed input is in misp_reader_malformed_test.cc; the real
// PyMISP files are read in misp_shared_data_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "misp/misp.h"
#include "misp/misp_event_for_test.h"
#include "misp/recording_sink_for_test.h"

namespace accord {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Attribute;
using testing::BasicEvent;
using testing::kEventUuid;
using testing::ReadMispText;
using testing::RecordingSink;
using testing::Wrap;
using Json = nlohmann::json;

TEST(ReadMispEventTest, WrappedEventGivesEventRecord) {
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(BasicEvent()), sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  const EventRecord& event = sink.events[0];
  EXPECT_EQ(event.uuid, kEventUuid);
  EXPECT_TRUE(event.legacy_uuid.empty());  // the event's own uuid was never derived
  EXPECT_EQ(event.title, "Locky campaign");
  EXPECT_EQ(event.tlp, Tlp::kAmber);
  EXPECT_THAT(event.tags, ElementsAre("malware:locky"));
  EXPECT_EQ(event.created, "2016-06-09T00:00:00.000Z");
  EXPECT_EQ(event.modified, "2016-06-11T21:50:01.000Z");
  EXPECT_EQ(event.source, "misp:test.json");
}

TEST(ReadMispEventTest, BareEventObjectIsRead) {
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(BasicEvent().dump(), sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].uuid, kEventUuid);
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].event_uuid, kEventUuid);
}

TEST(ReadMispEventTest, ResponseArrayGivesEveryEvent) {
  Json second = BasicEvent();
  second["uuid"] = "57c06bb1-625c-4d34-9b9f-4066950d210f";
  second["info"] = "second";
  // MISP's REST API wraps each entry; some exports do not.
  Json document{{"response", Json::array({Json{{"Event", BasicEvent()}}, second})}};
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(document.dump(), sink).ok());
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].title, "second");
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[1].event_uuid, "57c06bb1-625c-4d34-9b9f-4066950d210f");
}

TEST(ReadMispEventTest, TopLevelArrayOfEventsIsRead) {
  Json second = BasicEvent();
  second["uuid"] = "57c06bb1-625c-4d34-9b9f-4066950d210f";
  Json document = Json::array({Json{{"Event", BasicEvent()}}, Json{{"Event", second}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(document.dump(), sink).ok());
  EXPECT_EQ(sink.events.size(), 2u);
}

// The same file imported twice must give the same event id: version 4 (its
// STIX report's id must be), with the version-5 id earlier versions derived
// as its legacy uuid.
TEST(ReadMispEventTest, MissingUuidIsDerivedFromSourceAndPosition) {
  Json event = BasicEvent();
  event.erase("uuid");
  std::string text = Json::array({Json{{"Event", event}}, Json{{"Event", event}}}).dump();
  RecordingSink first;
  RecordingSink again;
  RecordingSink other_file;
  ASSERT_TRUE(ReadMispText(text, first).ok());
  ASSERT_TRUE(ReadMispText(text, again).ok());
  ASSERT_TRUE(ReadMispText(text, other_file, "other.json").ok());
  ASSERT_EQ(first.events.size(), 2u);
  EXPECT_TRUE(IsUuid(first.events[0].uuid));
  EXPECT_EQ(first.events[0].uuid, StableUuidV4(kAccordUuidNamespace, "test.json:0"));
  EXPECT_EQ(first.events[0].uuid[14], '4');  // the version digit
  EXPECT_EQ(first.events[0].legacy_uuid, UuidV5(kAccordUuidNamespace, "test.json:0"));
  EXPECT_EQ(first.events[0].uuid, again.events[0].uuid);
  EXPECT_NE(first.events[0].uuid, first.events[1].uuid);
  EXPECT_NE(first.events[0].uuid, other_file.events[0].uuid);
  EXPECT_EQ(first.indicators[0].event_uuid, first.events[0].uuid);
}

TEST(ReadMispEventTest, EventUuidThatIsNotAUuidIsAnError) {
  Json event = BasicEvent();
  event["uuid"] = "not-a-uuid";
  RecordingSink sink;
  Status status = ReadMispText(Wrap(event), sink);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("test.json: Event.uuid"));
}

struct TlpCase {
  std::vector<std::string> tags;
  std::optional<std::string> distribution;
  std::optional<Tlp> expected;
};

TEST(ReadMispEventTest, TlpComesFromTagsThenDistribution) {
  const std::vector<TlpCase> cases = {
      {{"tlp:white"}, std::nullopt, Tlp::kClear},
      {{"TLP:AMBER+STRICT"}, std::nullopt, Tlp::kAmberStrict},
      {{"Tlp:Green"}, "0", Tlp::kGreen},           // a tag beats distribution
      {{"tlp:green", "tlp:red"}, std::nullopt, Tlp::kRed},  // most restrictive wins
      {{"tlp:clear", "tlp:amber"}, std::nullopt, Tlp::kAmber},
      {{"red"}, std::nullopt, std::nullopt},       // not a TLP tag without "tlp:"
      {{}, "0", Tlp::kAmberStrict},
      {{}, "1", Tlp::kAmber},
      {{}, "2", Tlp::kGreen},
      {{}, "3", Tlp::kGreen},
      {{}, "4", Tlp::kAmber},
      {{}, "5", std::nullopt},
      {{}, std::nullopt, std::nullopt},
  };
  for (const TlpCase& test_case : cases) {
    Json event = BasicEvent();
    event["Tag"] = Json::array();
    for (const std::string& tag : test_case.tags) event["Tag"].push_back({{"name", tag}});
    event.erase("distribution");
    if (test_case.distribution) event["distribution"] = *test_case.distribution;
    RecordingSink sink;
    ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
    ASSERT_EQ(sink.events.size(), 1u);
    EXPECT_EQ(sink.events[0].tlp, test_case.expected)
        << ::testing::PrintToString(test_case.tags) << " " << test_case.distribution.value_or("-");
  }
}

TEST(ReadMispEventTest, DistributionAsJsonNumberIsAccepted) {
  Json event = BasicEvent();
  event["Tag"] = Json::array();
  event["distribution"] = 0;
  event["timestamp"] = 1465681801;
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_EQ(sink.events[0].tlp, Tlp::kAmberStrict);
  EXPECT_EQ(sink.events[0].modified, "2016-06-11T21:50:01.000Z");
}

// Both spellings MISP and PyMISP use: numbers in strings and JSON numbers.
TEST(ReadMispEventTest, ThreatLevelAndAnalysisAreKept) {
  struct Case {
    Json threat_level_id;
    Json analysis;
    std::optional<ThreatLevel> level;
    std::optional<AnalysisStage> stage;
  };
  const std::vector<Case> cases = {
      {"1", "0", ThreatLevel::kHigh, AnalysisStage::kInitial},
      {"2", "1", ThreatLevel::kMedium, AnalysisStage::kOngoing},
      {3, 2, ThreatLevel::kLow, AnalysisStage::kCompleted},
      {"4", nullptr, ThreatLevel::kUndefined, std::nullopt},  // null: not given
  };
  for (const Case& test_case : cases) {
    Json event = BasicEvent();
    event["threat_level_id"] = test_case.threat_level_id;
    event["analysis"] = test_case.analysis;
    RecordingSink sink;
    Status status = ReadMispText(Wrap(event), sink);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_EQ(sink.events.size(), 1u);
    EXPECT_EQ(sink.events[0].threat_level, test_case.level) << test_case.threat_level_id;
    EXPECT_EQ(sink.events[0].analysis, test_case.stage) << test_case.analysis;
  }
  // An event that says nothing of them (hand-written, PyMISP's minimal ones).
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(BasicEvent()), sink).ok());
  EXPECT_FALSE(sink.events[0].threat_level.has_value());
  EXPECT_FALSE(sink.events[0].analysis.has_value());
}

TEST(ReadMispEventTest, NonTlpTagsAndGalaxyClustersBecomeTagsOnce) {
  Json event = BasicEvent();
  event["Tag"] = Json::array({{{"name", "tlp:ex:chr"}},
                              {{"name", "misp-galaxy:banker=\"Gozi\""}},
                              {{"name", "red"}}});
  event["Galaxy"] = Json::array(
      {{{"name", "Banker"},
        {"GalaxyCluster", Json::array({{{"tag_name", "misp-galaxy:banker=\"Gozi\""},
                                        {"value", "Gozi"}},
                                       {{"value", "Dridex"}}})}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_EQ(sink.events[0].tlp, Tlp::kGreen);  // from distribution 3: no tag was TLP
  EXPECT_THAT(sink.events[0].tags,
              ElementsAre("tlp:ex:chr", "misp-galaxy:banker=\"Gozi\"", "red", "Dridex"));
}

TEST(ReadMispEventTest, FirstLiveEventReportBecomesDescription) {
  Json event = BasicEvent();
  event["EventReport"] = Json::array({{{"content", "old"}, {"deleted", true}},
                                      {{"name", "empty"}},
                                      {{"content", "# Findings"}},
                                      {{"content", "later"}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_EQ(sink.events[0].description, "# Findings");
}

TEST(ReadMispEventTest, AttributeBecomesIndicatorWithContext) {
  Json attribute = Attribute("575c8598-f1f0-4c16-a94a-0612c0a83866", "url",
                             "http://fake.website.com/malware", "Payload delivery", false);
  attribute["comment"] = "dropper";
  attribute["first_seen"] = "2024-05-01T10:00:00+02:00";
  attribute["last_seen"] = nullptr;  // MISP writes null for unset times
  Json event = BasicEvent();
  event["Attribute"] = Json::array({attribute});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  const IndicatorRecord& indicator = sink.indicators[0];
  EXPECT_EQ(indicator.type, ObservableType::kUrl);
  EXPECT_EQ(indicator.value, "http://fake.website.com/malware");
  EXPECT_EQ(indicator.context.role, "payload-delivery");
  EXPECT_FALSE(indicator.context.is_indicator);
  EXPECT_EQ(indicator.context.comment, "dropper");
  EXPECT_EQ(indicator.context.first_seen, "2024-05-01T08:00:00.000Z");
  EXPECT_EQ(indicator.context.last_seen, "");
  // The attribute's uuid, as misp-stix names the indicator it makes of it.
  EXPECT_EQ(indicator.context.stix_id, "indicator--575c8598-f1f0-4c16-a94a-0612c0a83866");
  EXPECT_EQ(indicator.location, "test.json: attribute 575c8598-f1f0-4c16-a94a-0612c0a83866");
  EXPECT_TRUE(sink.rejections.empty());
}

// The port of an ip-dst|port says where the C2 listens: kept in the comment.
TEST(ReadMispEventTest, ThePortOfAnAddressAndPortIsKeptInTheComment) {
  Json with_comment = Attribute("6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d", "ip-dst|port", "203.0.113.9|8443");
  with_comment["comment"] = "Lumma C2";
  Json event = BasicEvent();
  event["Attribute"] = Json::array(
      {with_comment, Attribute("6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9e", "hostname|port", "c2.evil.example|443")});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "203.0.113.9");
  EXPECT_EQ(sink.indicators[0].context.comment, "Lumma C2; port 8443");
  EXPECT_EQ(sink.indicators[1].value, "c2.evil.example");
  EXPECT_EQ(sink.indicators[1].context.comment, "port 443");
}

TEST(ReadMispEventTest, AttributeUuidBecomesTheIndicatorIdOnlyWhenVersion4AndOfOneValue) {
  Json event = BasicEvent();
  event["Attribute"] = Json::array({
      Attribute("0AF1D2C3-B4A5-4F60-9E8D-7C6B5A4F3E2D", "ip-dst", "192.0.2.10"),  // upper case
      Attribute("0af1d2c3-b4a5-1f60-9e8d-7c6b5a4f3e2d", "ip-dst", "192.0.2.11"),  // version 1
      Attribute("0af1d2c3-b4a5-4f60-7e8d-7c6b5a4f3e2d", "ip-dst", "192.0.2.12"),  // bad variant
      Attribute("not-a-uuid", "ip-dst", "192.0.2.13"),
      Attribute("5b6464ca-e73c-4707-9b8a-d0350acd0835", "domain|ip", "evil.example|192.0.2.14"),
      Attribute("6c7575db-f84d-4818-8c9b-e1461bde1946", "filename|md5",
                "svchost.exe|" + std::string(32, 'a')),
      Attribute("7d8686ec-095e-4929-9dac-f2572cef2a57", "filename|md5",
                "explorer.exe|" + std::string(32, 'b'), "Payload delivery", false),
  });
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 10u);
  // The name of a filename|md5 for detection only describes the file: the
  // hash, which is matched, is the indicator and takes the id.
  EXPECT_EQ(sink.indicators[6].value, "svchost.exe");
  EXPECT_FALSE(sink.indicators[6].context.is_indicator);
  EXPECT_EQ(sink.indicators[6].context.stix_id, "");
  EXPECT_TRUE(sink.indicators[7].context.is_indicator);
  EXPECT_EQ(sink.indicators[7].context.stix_id, "indicator--6c7575db-f84d-4818-8c9b-e1461bde1946");
  // Not for detection: neither value is matched, and the first has the id.
  EXPECT_EQ(sink.indicators[8].context.stix_id, "indicator--7d8686ec-095e-4929-9dac-f2572cef2a57");
  EXPECT_FALSE(sink.indicators[9].context.is_indicator);
  EXPECT_EQ(sink.indicators[0].context.stix_id, "indicator--0af1d2c3-b4a5-4f60-9e8d-7c6b5a4f3e2d");
  EXPECT_EQ(sink.indicators[1].context.stix_id, "");
  EXPECT_EQ(sink.indicators[2].context.stix_id, "");
  EXPECT_EQ(sink.indicators[3].context.stix_id, "");
  // Two indicators cannot share an id: the composite's second value has none.
  EXPECT_EQ(sink.indicators[4].value, "evil.example");
  EXPECT_EQ(sink.indicators[4].context.stix_id, "indicator--5b6464ca-e73c-4707-9b8a-d0350acd0835");
  EXPECT_EQ(sink.indicators[5].value, "192.0.2.14");
  EXPECT_EQ(sink.indicators[5].context.stix_id, "");
}

TEST(ReadMispEventTest, EveryMappedTypeGivesItsObservableType) {
  struct Case {
    std::string misp_type;
    std::string value;
    std::vector<std::pair<ObservableType, std::string>> expected;
  };
  const std::vector<Case> cases = {
      {"ip-src", "198.51.100.1", {{ObservableType::kIpv4, "198.51.100.1"}}},
      {"ip-dst", "2001:db8::1", {{ObservableType::kIpv6, "2001:db8::1"}}},
      {"ip-dst", "203.0.113.0/24", {{ObservableType::kCidr, "203.0.113.0/24"}}},
      {"ip-src|port", "198.51.100.1|8080", {{ObservableType::kIpv4, "198.51.100.1"}}},
      {"ip-dst|port", "2001:db8::2|53", {{ObservableType::kIpv6, "2001:db8::2"}}},
      {"domain", "evil.example", {{ObservableType::kDomain, "evil.example"}}},
      {"hostname", "c2.evil.example", {{ObservableType::kDomain, "c2.evil.example"}}},
      {"domain|ip",
       "evil.example|192.0.2.1",
       {{ObservableType::kDomain, "evil.example"}, {ObservableType::kIpv4, "192.0.2.1"}}},
      {"url", "https://evil.example/x", {{ObservableType::kUrl, "https://evil.example/x"}}},
      {"email", "a@evil.example", {{ObservableType::kEmail, "a@evil.example"}}},
      {"email-src", "b@evil.example", {{ObservableType::kEmail, "b@evil.example"}}},
      {"email-dst", "c@victim.example", {{ObservableType::kEmail, "c@victim.example"}}},
      {"whois-registrant-email", "r@evil.example", {{ObservableType::kEmail, "r@evil.example"}}},
      {"md5", "d41d8cd98f00b204e9800998ecf8427e", {{ObservableType::kMd5, "d41d8cd98f00b204e9800998ecf8427e"}}},
      {"sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", {{ObservableType::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"}}},
      {"sha256",
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       {{ObservableType::kSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}}},
      {"filename", "invoice.pdf.exe", {{ObservableType::kFileName, "invoice.pdf.exe"}}},
      {"filename|sha1",
       "a.exe|da39a3ee5e6b4b0d3255bfef95601890afd80709",
       {{ObservableType::kFileName, "a.exe"},
        {ObservableType::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"}}},
      {"btc", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", {{ObservableType::kWallet, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"}}},
  };
  for (const Case& test_case : cases) {
    Json event = BasicEvent();
    event["Attribute"] = Json::array({Attribute("u", test_case.misp_type, test_case.value)});
    RecordingSink sink;
    ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
    ASSERT_EQ(sink.indicators.size(), test_case.expected.size()) << test_case.misp_type;
    for (size_t part_idx = 0; part_idx < test_case.expected.size(); ++part_idx) {
      EXPECT_EQ(sink.indicators[part_idx].type, test_case.expected[part_idx].first)
          << test_case.misp_type;
      EXPECT_EQ(sink.indicators[part_idx].value, test_case.expected[part_idx].second);
    }
    EXPECT_TRUE(sink.rejections.empty()) << test_case.misp_type;
  }
}

// Valid attributes of types that carry no observable are skipped with a
// note naming them, flagged not_matched: real events are full of them
// (text, link, comment, yara), and they are not errors.
TEST(ReadMispEventTest, UnmappedTypesAreNotedNotMatchedNamingUuidAndType) {
  Json event = BasicEvent();
  event["Attribute"] = Json::array({Attribute("y-1", "yara", "rule x { condition: true }"),
                                    Attribute("l-1", "link", "https://blog.example/report"),
                                    Attribute("p-1", "uri", "/gate.php"),
                                    Attribute("t-1", "text", "Locky")});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_TRUE(sink.indicators.empty());
  ASSERT_EQ(sink.rejections.size(), 4u);
  EXPECT_EQ(sink.rejections[0].location, "test.json: attribute y-1");
  EXPECT_EQ(sink.rejections[0].reason, "type 'yara' has no observable; kept with the event, not matched");
  EXPECT_EQ(sink.rejections[1].reason, "type 'link' has no observable; kept with the event, not matched");
  EXPECT_EQ(sink.rejections[2].reason, "type 'uri' has no observable; kept with the event, not matched");
  EXPECT_EQ(sink.rejections[3].value, "Locky");
  for (const Rejection& note : sink.rejections) EXPECT_TRUE(note.not_matched) << note.reason;
}

// Those top-level attributes travel with their event, whole, for the MISP
// export; MISP's local row ids and sightings stay behind, and the event's
// TLP decides who reads them (distribution 5). Deleted ones and those inside
// objects are not kept; an event without any says so ("[]").
TEST(ReadMispEventTest, AttributesWithoutObservablesAreKeptWholeWithTheEvent) {
  Json event = BasicEvent();
  Json link = Attribute("l-1", "link", "https://blog.example/report", "External analysis", false);
  link["id"] = "4711";
  link["event_id"] = "12";
  link["distribution"] = "1";
  link["Sighting"] = Json::array({{{"type", "0"}}});
  Json gone = Attribute("t-2", "text", "withdrawn", "Other", false);
  gone["deleted"] = true;
  event["Attribute"] = Json::array({link, Attribute("a-1", "ip-dst", "192.0.2.7"), gone,
                                    Attribute("v-1", "vulnerability", "CVE-2017-0144", "External analysis")});
  event["Object"] = Json::array({{{"name", "report"},
                                  {"Attribute", Json::array({Attribute("o-1", "text", "in an object")})}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  ASSERT_TRUE(sink.events[0].misp_other_attributes.has_value());
  Json kept = Json::parse(*sink.events[0].misp_other_attributes);
  ASSERT_EQ(kept.size(), 2u) << kept.dump();
  EXPECT_EQ(kept[0]["uuid"], "l-1");
  EXPECT_EQ(kept[0]["type"], "link");
  EXPECT_EQ(kept[0]["value"], "https://blog.example/report");
  EXPECT_EQ(kept[0]["category"], "External analysis");
  EXPECT_EQ(kept[0]["distribution"], "5");
  EXPECT_FALSE(kept[0].contains("id"));
  EXPECT_FALSE(kept[0].contains("event_id"));
  EXPECT_FALSE(kept[0].contains("Sighting"));
  EXPECT_EQ(kept[1]["value"], "CVE-2017-0144");
  EXPECT_EQ(sink.indicators.size(), 1u);

  event.erase("Attribute");
  RecordingSink none;
  ASSERT_TRUE(ReadMispText(Wrap(event), none).ok());
  ASSERT_EQ(none.events.size(), 1u);
  EXPECT_EQ(none.events[0].misp_other_attributes, "[]");
}

TEST(ReadMispEventTest, ObjectAttributesAreReadWithCategoryRole) {
  Json event = BasicEvent();
  Json file_object{{"name", "file"},
                   {"uuid", "5a3cd5b6-9568-4342-b2ab-4c62950d210f"},
                   {"Attribute",
                    Json::array({Attribute("o-1", "filename", "Bulletin.doc", "Payload delivery"),
                                 Attribute("o-2", "sha1",
                                           "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                                           "Payload delivery")})}};
  Json no_category = Attribute("o-3", "domain", "evil.example");
  no_category.erase("category");
  Json domain_object{{"name", "domain-ip"}, {"Attribute", Json::array({no_category})}};
  event["Object"] = Json::array({file_object, domain_object});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 4u);  // one top-level + three in objects
  EXPECT_EQ(sink.indicators[1].value, "Bulletin.doc");
  EXPECT_EQ(sink.indicators[1].context.role, "payload-delivery");
  EXPECT_EQ(sink.indicators[2].type, ObservableType::kSha1);
  EXPECT_EQ(sink.indicators[3].context.role, "domain-ip");
  EXPECT_EQ(sink.indicators[3].location, "test.json: attribute o-3");
}

TEST(ReadMispEventTest, DeletedAttributesAndObjectsAreSkipped) {
  Json event = BasicEvent();
  Json deleted = Attribute("d-1", "domain", "gone.example");
  deleted["deleted"] = true;
  Json deleted_as_text = Attribute("d-2", "yara", "x");
  deleted_as_text["deleted"] = "1";
  event["Attribute"] = Json::array({deleted, deleted_as_text, Attribute("k-1", "domain", "kept.example")});
  event["Object"] = Json::array(
      {{{"name", "file"}, {"deleted", true}, {"Attribute", Json::array({Attribute("d-3", "md5", "x")})}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "kept.example");
  EXPECT_TRUE(sink.rejections.empty());
}

// What a deleted attribute gave before is taken back under the id its
// values carried (indicator--<uuid>, lower case), at its own timestamp or
// else its event's; one without a version-4 uuid was never linked by one.
TEST(ReadMispEventTest, DeletedAttributesWithUuidsAreWithdrawn) {
  Json event = BasicEvent();
  event["timestamp"] = "1700000000";
  Json stamped = Attribute("5F0C8A8E-0000-4000-8000-0000000000A1", "domain", "gone.example");
  stamped["deleted"] = true;
  stamped["timestamp"] = "1700000500";
  Json unstamped = Attribute("5f0c8a8e-0000-4000-8000-0000000000a2", "domain", "gone-too.example");
  unstamped["deleted"] = true;
  Json no_uuid = Attribute("d-3", "domain", "never-linked.example");
  no_uuid["deleted"] = true;
  event["Attribute"] = Json::array({stamped, unstamped, no_uuid});
  event["Object"] = Json::array({{{"name", "file"}, {"deleted", true},
                                  {"Attribute", Json::array({Attribute("5f0c8a8e-0000-4000-8000-0000000000a3",
                                                                       "md5", "x")})}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_TRUE(sink.indicators.empty());
  ASSERT_EQ(sink.withdrawals.size(), 3u);
  EXPECT_EQ(sink.withdrawals[0].stix_id, "indicator--5f0c8a8e-0000-4000-8000-0000000000a1");
  EXPECT_EQ(sink.withdrawals[0].at, "2023-11-14T22:21:40.000Z");
  EXPECT_EQ(sink.withdrawals[1].stix_id, "indicator--5f0c8a8e-0000-4000-8000-0000000000a2");
  EXPECT_EQ(sink.withdrawals[1].at, "2023-11-14T22:13:20.000Z") << "the event's timestamp";
  EXPECT_EQ(sink.withdrawals[2].stix_id, "indicator--5f0c8a8e-0000-4000-8000-0000000000a3");
}

TEST(ReadMispEventTest, ShadowAttributesAreIgnored) {
  Json event = BasicEvent();
  Json attribute = Attribute("s-1", "filename", "bar.exe", "Payload delivery");
  attribute["ShadowAttribute"] = Json::array({{{"type", "filename"}, {"value", "bar.pdf"}}});
  event["Attribute"] = Json::array({attribute});
  event["ShadowAttribute"] = Json::array({{{"type", "filename"}, {"value", "baz.jpg"}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "bar.exe");
}

TEST(ReadMispEventTest, SightingsBecomeSightingRecords) {
  Json attribute = Attribute("5b6464ca-e73c-4707-9b8a-d0350acd0835", "domain|ip",
                             "evil.example|192.0.2.9");
  attribute["Sighting"] = Json::array({
      {{"date_sighting", "1551253950"}, {"type", "0"}, {"org_id", "1"},
       {"Organisation", {{"id", "1"}, {"name", "CERT-EX"}}}},
      {{"date_sighting", "1551253960"}, {"org_id", "7"}},                 // no type: a sighting
      {{"date_sighting", "1551253970"}, {"type", "1"}, {"org_id", "1"}},  // false positive
      {{"date_sighting", "1551253980"}, {"type", "2"}, {"org_id", "1"}},  // expiration
  });
  Json event = BasicEvent();
  event["Attribute"] = Json::array({attribute});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.sightings.size(), 4u);  // two sightings, each for both parts
  EXPECT_EQ(sink.sightings[0].type, ObservableType::kDomain);
  EXPECT_EQ(sink.sightings[0].value, "evil.example");
  EXPECT_EQ(sink.sightings[1].type, ObservableType::kIpv4);
  EXPECT_EQ(sink.sightings[1].value, "192.0.2.9");
  EXPECT_EQ(sink.sightings[0].count, 1);
  EXPECT_EQ(sink.sightings[0].first_seen, "2019-02-27T07:52:30.000Z");
  EXPECT_EQ(sink.sightings[0].last_seen, "2019-02-27T07:52:30.000Z");
  EXPECT_EQ(sink.sightings[0].source, "CERT-EX");
  EXPECT_EQ(sink.sightings[2].source, "MISP org 7");
  EXPECT_EQ(sink.sightings[0].location,
            "test.json: attribute 5b6464ca-e73c-4707-9b8a-d0350acd0835");
}

TEST(ReadMispEventTest, ToIdsAsOldMispStringIsAccepted) {
  Json attribute = Attribute("t-1", "domain", "evil.example");
  attribute["to_ids"] = "1";
  Json event = BasicEvent();
  event["Attribute"] = Json::array({attribute});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_TRUE(sink.indicators[0].context.is_indicator);
}

class FailingSink : public RecordingSink {
 public:
  Status OnIndicator(IndicatorRecord) override { return Status::IoError("disk full"); }
};

TEST(ReadMispEventTest, SinkErrorStopsTheRead) {
  Json event = BasicEvent();
  event["Attribute"].push_back(Attribute("a-2", "domain", "evil.example"));
  FailingSink sink;
  Status status = ReadMispText(Wrap(event), sink);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_EQ(sink.events.size(), 1u);
}

// What a MISP event keeps whole (attributes Accord matches nothing in, and
// objects) is read by every reader of the event in MISP exports and feeds:
// an attribute or object marked more strictly than the event (a tlp:red
// tag in a tlp:green event, MISP's distribution 0) stays out of it, and a
// value of such an attribute keeps its level (distribution 0 is
// TLP:AMBER+STRICT), so it goes to the event's companion.
TEST(ReadMispEventTest, WhatIsMarkedMoreStrictlyThanItsEventIsNotKeptWithTheEvent) {
  Json event = BasicEvent();
  event["Tag"] = Json::array({{{"name", "tlp:green"}}});
  Json red_text = Attribute("a-2", "text", "SECRET-TEXT-RED", "Other", false);
  red_text["Tag"] = Json::array({{{"name", "tlp:red"}}});
  Json green_text = Attribute("a-3", "text", "shared text", "Other", false);
  green_text["Tag"] = Json::array({{{"name", "tlp:clear"}}});
  Json own = Attribute("a-4", "domain", "own-only.example");
  own["distribution"] = "0";
  event["Attribute"] = Json::array({Attribute("a-1", "ip-dst", "192.0.2.7"), red_text, green_text, own});
  Json red_domain = Attribute("o-1", "domain", "objred.example");
  red_domain["Tag"] = Json::array({{{"name", "tlp:red"}}});
  Json red_comment = Attribute("o-2", "comment", "SECRET-OBJ-COMMENT", "Other", false);
  red_comment["Tag"] = Json::array({{{"name", "tlp:red"}}});
  event["Object"] = Json::array({{{"uuid", "obj-1"}, {"name", "domain-ip"},
                                  {"Attribute", Json::array({red_domain, red_comment,
                                                             Attribute("o-3", "ip-dst", "192.0.2.8")})}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  const std::string kept = *sink.events[0].misp_other_attributes + *sink.events[0].misp_objects;
  EXPECT_THAT(kept, Not(HasSubstr("SECRET")));
  EXPECT_THAT(kept, Not(HasSubstr("objred.example")));
  EXPECT_THAT(kept, HasSubstr("shared text"));
  EXPECT_THAT(kept, HasSubstr("192.0.2.8")) << "the object stays with its other attributes";
  std::map<std::string, std::optional<Tlp>> levels;
  for (const IndicatorRecord& indicator : sink.indicators) levels[indicator.value] = indicator.tlp;
  EXPECT_EQ(levels.at("own-only.example"), Tlp::kAmberStrict);
  EXPECT_EQ(levels.at("objred.example"), Tlp::kRed);
  // The import's notes say what was left out, not that it was kept.
  bool noted = false;
  for (const Rejection& note : sink.rejections) {
    if (note.value == "SECRET-TEXT-RED") {
      noted = true;
      EXPECT_THAT(note.reason, HasSubstr("not kept: marked more strictly than its event"));
    }
  }
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace accord
