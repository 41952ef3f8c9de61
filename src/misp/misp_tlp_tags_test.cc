// TLP tags of MISP events: a tlp: tag that names no level is held at the
// strictest and reported, never read as no marking.
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

}  // namespace
}  // namespace accord
