// Tags of MISP events and attributes: a tlp: tag that names no level is
// held at the strictest and reported, never read as no marking; an
// attribute's galaxy or malware tag is its value's family.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "misp/misp.h"
#include "misp/misp_event_for_test.h"
#include "misp/recording_sink_for_test.h"

namespace accord {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Attribute;
using testing::BasicEvent;
using testing::ReadMispText;
using testing::RecordingSink;
using testing::Wrap;
using Json = nlohmann::json;

// A tlp: tag that names no level (a typo, a local "tlp:orange") was
// ignored, and the event took its level from distribution (GREEN for
// all): it is held at RED, and said so with the tag's place.
TEST(ReadMispEventTest, AnUnknownTlpTagHoldsTheEventAtRedAndIsReported) {
  Json event = BasicEvent();
  event["Tag"] = Json::array({{{"name", "tlp:rouge"}}, {{"name", "tlp:unclear"}}});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].tlp, Tlp::kRed);
  EXPECT_THAT(sink.events[0].tags, ElementsAre("tlp:unclear"));
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_THAT(sink.rejections[0].location, HasSubstr("Event.Tag[0]"));
  EXPECT_EQ(sink.rejections[0].value, "tlp:rouge");
  EXPECT_THAT(sink.rejections[0].reason, HasSubstr("held at TLP:RED"));
}

// MISP tags an attribute with a galaxy cluster (or a malware: tag) when the
// family is this value's alone: it is the value's family, as a feed's
// malware column gives it; other tags give none.
TEST(ReadMispEventTest, AnAttributesGalaxyOrMalwareTagIsTheValuesFamily) {
  Json galaxy = Attribute("575c8598-f1f0-4c16-a94a-0612c0a83866", "domain", "lumma-c2.example", "Network activity");
  galaxy["Tag"] = Json::array({{{"name", "misp-galaxy:malpedia=\"Lumma Stealer\""}}});
  Json plain = Attribute("675c8598-f1f0-4c16-a94a-0612c0a83866", "domain", "plain.example", "Network activity");
  plain["Tag"] = Json::array({{{"name", "osint:source-type=\"blog-post\""}}});
  Json event = BasicEvent();
  event["Attribute"] = Json::array({galaxy, plain});
  RecordingSink sink;
  ASSERT_TRUE(ReadMispText(Wrap(event), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].context.family, "Lumma Stealer");
  EXPECT_EQ(sink.indicators[1].context.family, "");
}

}  // namespace
}  // namespace accord
