// An owner's edit of a value already in its event (POST, PUT, PATCH of
// /api/v1/events with the value in indicators), on the real server. Every
// response is checked against docs/openapi.json by RestTest::Call.
#include <gtest/gtest.h>

#include "core/crypto.h"
#include "server/rest_testing.h"

namespace accord {
namespace {

using testing::json;

using testing::OneIndicatorBundle;

class RestIndicatorEditsTest : public testing::RestTest {};

// The owner edits a value a STIX import linked (its id kept): its context
// is what the owner sent, "observed only" included, where an import's
// mention without that id would have left the indicator live.
TEST_F(RestIndicatorEditsTest, AnOwnersEditReplacesTheContextOfAValueAStixImportLinked) {
  auto stix = Call("POST", "/api/v1/import?tlp=green", analyst_a_, OneIndicatorBundle("192.0.2.44"),
                   "application/stix+json;version=2.1");
  ASSERT_EQ(stix.status, 200) << stix.body;
  json touched = Body(stix)["report"]["touched_events"];
  ASSERT_EQ(touched.size(), 1u);
  const std::string path = "/api/v1/events/" + touched[0]["uuid"].get<std::string>();
  const std::string stix_id = "indicator--" + UuidV5(kAccordUuidNamespace, "192.0.2.44");
  auto patch = Call("PATCH", path + "?indicators=none", analyst_a_,
                    json({{"indicators", {{{"type", "ipv4"}, {"value", "192.0.2.44"}, {"role", "scanner"},
                                           {"comment", "a research scanner"}, {"is_indicator", false}}}}})
                        .dump(),
                    "application/json");
  ASSERT_EQ(patch.status, 200) << patch.body;
  json indicators = Body(Get(path, analyst_a_))["indicators"];
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_EQ(indicators[0]["is_indicator"], false);
  EXPECT_EQ(indicators[0]["role"], "scanner");
  EXPECT_EQ(indicators[0]["comment"], "a research scanner");
  EXPECT_EQ(indicators[0]["stix_id"], stix_id) << "the link keeps the object it came with";
  EXPECT_EQ(indicators[0]["first_seen"], "2026-01-01T00:00:00.000Z") << "the seen dates stay the source's";
}

}  // namespace
}  // namespace accord
