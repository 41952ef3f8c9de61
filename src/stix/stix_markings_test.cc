// How the reader turns markings into the TLP Accord enforces: granular
// markings count for the whole object, and a 2.0 indicator's labels give
// its role as a 2.1 indicator's indicator_types do.
#include <gtest/gtest.h>

#include "stix/stix.h"
#include "stix/stix_testing.h"

namespace accord {
namespace {

using stix_testing::Bundle;
using stix_testing::Indicator;
using stix_testing::Marking;
using stix_testing::ReadTrickled;
using stix_testing::RecordingSink;

const std::string kBundleId = "bundle--0f6cbd3b-9d0f-4b47-9c55-5c7bd03a0d1e";
const std::string kIndicatorId = "indicator--6b7a3c0e-1f0e-4d64-9c1b-0b5d5c3e9a11";

std::string Granular(const std::string& marking_ref, const std::string& selector) {
  return R"({"marking_ref":)" + marking_ref + R"(,"selectors":[")" + selector + "\"]}";
}

TEST(StixMarkingsTest, AGranularTlpMarkingGovernsTheWholeObjectWhenStricter) {
  RecordingSink sink;
  const std::string bundle = Bundle(
      {Indicator(kIndicatorId, "[domain-name:value = 'granular-red.example']",
                 R"(,"object_marking_refs":[)" + Marking(Tlp::kGreen) + R"(],"granular_markings":[)" +
                     Granular(Marking(Tlp::kRed), "pattern") + "]")},
      kBundleId);
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_EQ(sink.objects[0].tlp, Tlp::kRed);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].tlp, Tlp::kRed);  // the value is shared at RED, not GREEN
}

TEST(StixMarkingsTest, AGranularMarkingAloneGivesTheObjectItsTlp) {
  RecordingSink sink;
  const std::string bundle =
      Bundle({Indicator(kIndicatorId, "[domain-name:value = 'granular-only.example']",
                        R"(,"granular_markings":[{"lang":"en","selectors":["name"]},)" +
                            Granular(Marking(Tlp::kAmber), "description") + "]")},
             kBundleId);
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_EQ(sink.objects[0].tlp, Tlp::kAmber);
}

TEST(StixMarkingsTest, AGranularMarkingLooserThanTheObjectsChangesNothing) {
  RecordingSink sink;
  const std::string bundle = Bundle(
      {Indicator(kIndicatorId, "[domain-name:value = 'granular-clear.example']",
                 R"(,"object_marking_refs":[)" + Marking(Tlp::kAmber) + R"(],"granular_markings":[)" +
                     Granular(Marking(Tlp::kClear), "name") + "]")},
      kBundleId);
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_EQ(sink.objects[0].tlp, Tlp::kAmber);
}

TEST(StixMarkingsTest, MalformedGranularMarkingsAreRejectedWithTheFieldNamed) {
  for (const std::string& granular :
       {std::string(R"("granular_markings":{"marking_ref":"x"})"),
        std::string(R"("granular_markings":["marking-definition--x"])"),
        std::string(R"("granular_markings":[{"marking_ref":"identity--6b7a3c0e-1f0e-4d64-9c1b-0b5d5c3e9a11","selectors":["name"]}])")}) {
    SCOPED_TRACE(granular);
    RecordingSink sink;
    const std::string bundle =
        Bundle({Indicator(kIndicatorId, "[domain-name:value = 'bad-granular.example']", "," + granular)},
               kBundleId);
    Status status = ReadTrickled(bundle, sink);
    const std::string said = status.ok() && !sink.rejections.empty() ? sink.rejections[0].reason
                                                                     : status.message();
    EXPECT_NE(said.find("granular_markings"), std::string::npos) << said;
    EXPECT_TRUE(sink.indicators.empty());
  }
}

// STIX does not order a bundle's objects: a TLP marking the bundle defines
// after the objects it marks still governs them (read as unmarked, they took
// the import's default, CLEAR for a `--tlp clear` feed).
const std::string kLateRedMarking = "marking-definition--c3c3c3c3-0000-4000-8000-0000000000ff";
const std::string kLateRedDefinition =
    R"({"type":"marking-definition","spec_version":"2.1","id":")" + kLateRedMarking +
    R"(","created":"2022-10-01T00:00:00.000Z","definition_type":"statement",)"
    R"("definition":{"statement":"TLP:RED"},"name":"TLP:RED"})";

TEST(StixMarkingsTest, ATlpMarkingDefinedAfterTheObjectsItMarksStillGovernsThem) {
  RecordingSink sink;
  const std::string report_id = "report--7b7a3c0e-1f0e-4d64-9c1b-0b5d5c3e9a12";
  const std::string bundle = Bundle(
      {Indicator(kIndicatorId, "[ipv4-addr:value = '203.0.113.66']",
                 R"(,"object_marking_refs":[")" + kLateRedMarking + R"("])"),
       R"({"type":"report","spec_version":"2.1","id":")" + report_id +
           R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"Late",)"
           R"("published":"2024-01-01T00:00:00Z","object_refs":[")" + kIndicatorId +
           R"("],"object_marking_refs":[")" + kLateRedMarking + R"("]})",
       kLateRedDefinition},
      kBundleId);
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].tlp, Tlp::kRed);
  ASSERT_FALSE(sink.events.empty());
  for (const EventRecord& event : sink.events) EXPECT_EQ(event.tlp, Tlp::kRed) << event.title;
  for (const StixObjectRecord& object : sink.objects) {
    if (object.type != "marking-definition") {
      EXPECT_EQ(object.tlp, Tlp::kRed) << object.id;
    }
  }
}

TEST(StixMarkingsTest, AMarkingTheBundleNeverDefinesLeavesTheObjectUnmarkedAndReadAtTheEnd) {
  RecordingSink sink;
  const std::string bundle = Bundle(
      {Indicator(kIndicatorId, "[ipv4-addr:value = '203.0.113.67']",
                 R"(,"object_marking_refs":["marking-definition--c3c3c3c3-0000-4000-8000-0000000000fe"])"),
       Indicator("indicator--6b7a3c0e-1f0e-4d64-9c1b-0b5d5c3e9a13", "[ipv4-addr:value = '203.0.113.68']")},
      kBundleId);
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "203.0.113.68") << "the marked one waits for the bundle's end";
  EXPECT_EQ(sink.indicators[1].value, "203.0.113.67");
  EXPECT_FALSE(sink.indicators[1].tlp.has_value());
}

// A report that waits for its marking is read before what it names: its
// members wait with it (read first, they would sit in the bundle's
// unmarked group at the import's default level until the import's end),
// and a later version of a waiting object waits too, so versions keep
// their order (the older one read last would be the event's state).
TEST(StixMarkingsTest, WhatAWaitingReportNamesAndItsLaterVersionsWaitWithIt) {
  const std::string report_id = "report--7b7a3c0e-1f0e-4d64-9c1b-0b5d5c3e9a14";
  const std::string pap = "marking-definition--c3c3c3c3-0000-4000-8000-0000000000fd";
  auto report = [&](const std::string& modified, const std::string& title, const std::string& markings) {
    return R"({"type":"report","spec_version":"2.1","id":")" + report_id +
           R"(","created":"2024-01-01T00:00:00.000Z","modified":")" + modified + R"(","name":")" + title +
           R"(","published":"2024-01-01T00:00:00Z","object_refs":[")" + kIndicatorId +
           R"("],"object_marking_refs":[)" + markings + "]}";
  };
  RecordingSink sink;
  const std::string bundle = Bundle(
      {report("2024-01-01T00:00:00.000Z", "Old", Marking(Tlp::kGreen) + ",\"" + pap + "\""),
       Indicator(kIndicatorId, "[domain-name:value = 'member.example']"),
       report("2024-03-01T00:00:00.000Z", "New", Marking(Tlp::kRed)),
       R"({"type":"marking-definition","spec_version":"2.1","id":")" + pap +
           R"(","created":"2022-10-01T00:00:00.000Z","definition_type":"statement","definition":{"statement":"PAP:RED"}})"},
      kBundleId);
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  ASSERT_FALSE(sink.events.empty());
  EXPECT_EQ(sink.indicators[0].event_uuid, sink.events[0].uuid) << "into the report, not a group";
  for (const EventRecord& event : sink.events) EXPECT_NE(event.title.find("STIX bundle"), 0u) << event.title;
  EXPECT_EQ(sink.events.back().title, "New") << "versions in the bundle's order";
  EXPECT_EQ(sink.events.back().tlp, Tlp::kRed);
}

TEST(StixMarkingsTest, ATaxiiEnvelopeSavedToAFileIsReadAsABundle) {
  RecordingSink sink;
  const std::string envelope = R"({"more": false, "objects": [)" +
                               Indicator(kIndicatorId, "[domain-name:value = 'envelope.example']") + "]}";
  Status status = ReadTrickled(envelope, sink);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "envelope.example");
}

TEST(StixMarkingsTest, AStix20IndicatorsLabelsGiveItsRoleAsIndicatorTypesDo) {
  RecordingSink sink;
  const std::string indicator20 =
      R"({"type":"indicator","id":")" + kIndicatorId +
      R"(","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z",)"
      R"("labels":["malicious-activity"],"pattern":"[file:hashes.'SHA-256' = )"
      R"('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']","valid_from":"2017-01-01T00:00:00Z"})";
  ASSERT_TRUE(ReadTrickled(Bundle({indicator20}, kBundleId), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].context.role, "malicious-activity");
  // A label outside the vocabulary says nothing about the role.
  RecordingSink other;
  std::string custom = indicator20;
  custom.replace(custom.find("malicious-activity"), 18, "my-own-label");
  ASSERT_TRUE(ReadTrickled(Bundle({custom}, kBundleId), other).ok());
  ASSERT_EQ(other.indicators.size(), 1u);
  EXPECT_EQ(other.indicators[0].context.role, "");
}

}  // namespace
}  // namespace accord
