// ReadMispEvent on malformed input: truncated or non-JSON text, values and
// structures of the wrong type, limits. An attribute that cannot be used is
// rejected naming its path and the read goes on; an event that cannot be
// read is an error naming the source, and nothing is half-written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "misp/misp.h"
#include "misp/misp_event_for_test.h"
#include "misp/recording_sink_for_test.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using testing::Attribute;
using testing::BasicEvent;
using testing::kEventUuid;
using testing::ReadMispText;
using testing::RecordingSink;
using testing::Wrap;
using Json = nlohmann::json;

// MISP requires info; an event without it is read, named by its uuid.
TEST(ReadMispEventMalformedTest, AnEventWithoutInfoIsNamedByItsUuid) {
  for (const Json& info : {Json(), Json(""), Json("  ")}) {
    Json event = BasicEvent();
    if (info.is_null()) {
      event.erase("info");
    } else {
      event["info"] = info;
    }
    RecordingSink sink;
    ASSERT_TRUE(ReadMispText(event.dump(), sink).ok()) << info;
    ASSERT_EQ(sink.events.size(), 1u);
    EXPECT_EQ(sink.events[0].title, std::string("MISP event ") + kEventUuid) << info;
  }
}

TEST(ReadMispEventMalformedTest, TruncatedJsonNamesFileAndLine) {
  std::string text = Json{{"Event", BasicEvent()}}.dump(2);
  text.resize(text.size() / 2);
  RecordingSink sink;
  Status status = ReadMispText(text, sink);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("test.json: not valid JSON"));
  EXPECT_THAT(status.message(), HasSubstr("line"));
  EXPECT_TRUE(sink.events.empty());
}

TEST(ReadMispEventMalformedTest, EmptyAndNonObjectInputsAreErrors) {
  for (const char* text : {"", "   ", "5", "\"Event\"", "null", "{\"Event\": 5}",
                           "{\"response\": [5]}", "[1, 2]"}) {
    RecordingSink sink;
    Status status = ReadMispText(text, sink);
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << text;
    EXPECT_THAT(status.message(), HasSubstr("test.json")) << text;
  }
}

TEST(ReadMispEventMalformedTest, ObjectThatIsNotAnEventIsAnError) {
  RecordingSink sink;
  Status status = ReadMispText(R"({"uuid": "c5f2dfb4-21a1-42d8-a452-1d3c36a204ff",
                                   "name": "Tea Matrix", "GalaxyCluster": []})",
                               sink);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("not a MISP event"));
}

TEST(ReadMispEventMalformedTest, ValueOfWrongTypeIsRejectedNamingThePath) {
  Json event = BasicEvent();
  Json bad = Attribute("bad-1", "domain", "x");
  bad["value"] = 5;
  event["Attribute"] = Json::array({Attribute("a", "domain", "a.example"),
                                    Attribute("b", "domain", "b.example"),
                                    Attribute("c", "domain", "c.example"), bad,
                                    Attribute("d", "domain", "d.example")});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_EQ(sink.indicators.size(), 4u);
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_EQ(sink.rejections[0].location, "test.json: attribute bad-1");
  EXPECT_EQ(sink.rejections[0].reason, "Event.Attribute[3].value: not a string");
  EXPECT_FALSE(sink.rejections[0].not_matched);
}

TEST(ReadMispEventMalformedTest, AttributeFieldsOfWrongTypeAreRejected) {
  struct Case {
    std::string field;
    Json value;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"type", 7, "Event.Attribute[0].type: not a string"},
      {"to_ids", "maybe", "Event.Attribute[0].to_ids: not a boolean"},
      {"category", Json::array(), "Event.Attribute[0].category: not a string"},
      {"comment", Json::object(), "Event.Attribute[0].comment: not a string"},
      {"first_seen", "yesterday", "Event.Attribute[0].first_seen: "},
      {"Sighting", "many", "Event.Attribute[0].Sighting: not an array"},
  };
  for (const Case& test_case : cases) {
    Json attribute = Attribute("w-1", "domain", "evil.example");
    attribute[test_case.field] = test_case.value;
    Json event = BasicEvent();
    event["Attribute"] = Json::array({attribute});
    RecordingSink sink;
    ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok()) << test_case.field;
    EXPECT_TRUE(sink.indicators.empty()) << test_case.field;
    ASSERT_EQ(sink.rejections.size(), 1u) << test_case.field;
    EXPECT_THAT(sink.rejections[0].reason, HasSubstr(test_case.reason));
  }
}

TEST(ReadMispEventMalformedTest, MissingTypeOrValueIsRejected) {
  Json no_type = Attribute("n-1", "domain", "evil.example");
  no_type.erase("type");
  Json no_value = Attribute("n-2", "domain", "evil.example");
  no_value.erase("value");
  Json not_object = "ip-dst";
  Json event = BasicEvent();
  event["Attribute"] = Json::array({no_type, no_value, not_object});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.rejections.size(), 3u);
  EXPECT_EQ(sink.rejections[0].reason, "Event.Attribute[0].type: missing");
  EXPECT_EQ(sink.rejections[1].reason, "Event.Attribute[1].value: missing");
  EXPECT_EQ(sink.rejections[2].reason, "Event.Attribute[2]: not an object");
}

TEST(ReadMispEventMalformedTest, CompositeWithoutBarIsRejected) {
  Json event = BasicEvent();
  event["Attribute"] = Json::array({Attribute("c-1", "domain|ip", "evil.example")});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_TRUE(sink.indicators.empty());
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_THAT(sink.rejections[0].reason, HasSubstr("has no '|'"));
}

TEST(ReadMispEventMalformedTest, EventStructureOfWrongTypeIsAnErrorNamingTheField) {
  struct Case {
    std::string field;
    Json value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"Attribute", "x", "test.json: Event.Attribute: not an array"},
      {"Object", Json::object(), "test.json: Event.Object: not an array"},
      {"Tag", Json::array({{{"name", 3}}}), "test.json: Event.Tag[0].name: not a string"},
      {"Tag", Json::array({"tlp:red"}), "test.json: Event.Tag[0]: not an object"},
      {"info", Json::array(), "test.json: Event.info: not a string"},
      {"EventReport", Json::array({{{"content", 1}}}),
       "test.json: Event.EventReport[0].content: not a string"},
      {"distribution", "everyone", "test.json: Event.distribution: not a number"},
      {"date", "the ninth of June", "Event.date"},
      {"timestamp", true, "test.json: Event.timestamp: not a number"},
      {"Galaxy", Json::array({{{"GalaxyCluster", 1}}}),
       "test.json: Event.Galaxy[0].GalaxyCluster: not an array"},
  };
  for (const Case& test_case : cases) {
    Json event = BasicEvent();
    event[test_case.field] = test_case.value;
    RecordingSink sink;
    Status status = ReadMispText(Wrap(event), sink);
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << test_case.field;
    EXPECT_THAT(status.message(), HasSubstr(test_case.message));
  }
}

TEST(ReadMispEventMalformedTest, ObjectOfWrongShapeIsRejectedAndReadingGoesOn) {
  Json event = BasicEvent();
  event["Object"] = Json::array({5, {{"name", "file"}, {"Attribute", "none"}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_EQ(sink.indicators.size(), 1u);
  ASSERT_EQ(sink.rejections.size(), 2u);
  EXPECT_EQ(sink.rejections[0].reason, "Event.Object[0]: not an object");
  EXPECT_EQ(sink.rejections[1].reason, "Event.Object[1].Attribute: not an array");
}

TEST(ReadMispEventMalformedTest, HugeValueIsRejectedNotStored) {
  Json event = BasicEvent();
  event["Attribute"] =
      Json::array({Attribute("h-1", "url", "http://evil.example/" + std::string(1 << 20, 'a'))});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_TRUE(sink.indicators.empty());
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_THAT(sink.rejections[0].reason, HasSubstr("byte limit"));
  EXPECT_LE(sink.rejections[0].value.size(), 256u);
}

TEST(ReadMispEventMalformedTest, FileLargerThanTheLimitIsAnErrorNamingTheSource) {
  RecordingSink sink;
  Status status = ReadMispText(Wrap(BasicEvent()), sink, "big.json", /*max_bytes=*/64);
  EXPECT_EQ(status.code(), Status::Code::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("big.json"));
  EXPECT_TRUE(sink.events.empty());
}

TEST(ReadMispEventMalformedTest, DeepNestingIsAnErrorNotACrash) {
  std::string text = "{\"Event\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  RecordingSink sink;
  EXPECT_FALSE(ReadMispText(text, sink).ok());
}

TEST(ReadMispEventMalformedTest, InvalidUtf8IsAnError) {
  std::string text = Wrap(BasicEvent());
  text.replace(text.find("Locky"), 1, "\xff");
  RecordingSink sink;
  Status status = ReadMispText(text, sink);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("test.json"));
}

TEST(ReadMispEventMalformedTest, BadSightingIsRejectedAndTheIndicatorKept) {
  Json attribute = Attribute("s-1", "domain", "evil.example");
  attribute["Sighting"] = Json::array({5, {{"date_sighting", "soon"}}, {{"type", Json::array()}}});
  Json event = BasicEvent();
  event["Attribute"] = Json::array({attribute});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  EXPECT_EQ(sink.indicators.size(), 1u);
  EXPECT_TRUE(sink.sightings.empty());
  ASSERT_EQ(sink.rejections.size(), 3u);
  EXPECT_EQ(sink.rejections[0].reason, "Event.Attribute[0].Sighting[0]: not an object");
  EXPECT_THAT(sink.rejections[1].reason, HasSubstr("Event.Attribute[0].Sighting[1].date_sighting"));
  EXPECT_EQ(sink.rejections[2].reason, "Event.Attribute[0].Sighting[2].type: not a number");
}

// MISP accepts nothing else, so another grading is a broken file: refused
// like a bad date, naming the file, the field and the value.
TEST(ReadMispEventMalformedTest, GradingOutsideMispsNumbersIsAnErrorNamingTheField) {
  struct Case {
    std::string field;
    Json value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"threat_level_id", "0", "test.json: Event.threat_level_id: '0' is not one of 1 (high)"},
      {"threat_level_id", "5", "test.json: Event.threat_level_id: '5' is not one of"},
      {"threat_level_id", 7, "test.json: Event.threat_level_id: '7' is not one of"},
      {"threat_level_id", -1, "test.json: Event.threat_level_id: '-1' is not one of"},
      {"threat_level_id", "99999999999999999999", "Event.threat_level_id: '99999999999999999999'"},
      {"threat_level_id", "high", "test.json: Event.threat_level_id: not a number"},
      {"threat_level_id", 1.5, "test.json: Event.threat_level_id: not a number"},
      {"analysis", "3",
       "test.json: Event.analysis: '3' is not one of 0 (initial), 1 (ongoing), 2 (completed)"},
      {"analysis", -1, "test.json: Event.analysis: '-1' is not one of"},
      {"analysis", "completed", "test.json: Event.analysis: not a number"},
      {"analysis", Json::array(), "test.json: Event.analysis: not a number"},
  };
  for (const Case& test_case : cases) {
    Json event = BasicEvent();
    event[test_case.field] = test_case.value;
    RecordingSink sink;
    Status status = ReadMispText(Wrap(event), sink);
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << test_case.value;
    EXPECT_THAT(status.message(), HasSubstr(test_case.message));
    EXPECT_TRUE(sink.events.empty()) << test_case.value;  // nothing of the event was pushed
  }
  // Inside a response, the path names the event.
  Json response = {
      {"response", Json::array({Json{{"Event", BasicEvent()}}, Json{{"Event", BasicEvent()}}})}};
  response["response"][1]["Event"]["analysis"] = "9";
  RecordingSink sink;
  Status status = ReadMispText(response.dump(), sink);
  EXPECT_THAT(status.message(), HasSubstr("test.json: response[1].Event.analysis: '9'"));
}

}  // namespace
}  // namespace accord
