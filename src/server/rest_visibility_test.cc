// TLP 2.0 on every REST read path: for each level, which callers see an
// event of CERT-A that names Partner-C as recipient, on list, get, lookup,
// the indicator listing and export. The expectations are written out here,
// not computed with MayRead, so the policy itself is under test too.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "server/rest_testing.h"

namespace accord {
namespace {

using testing::json;

struct Caller {
  std::string name;
  std::string key;
};

class RestVisibilityTest : public testing::RestTest {};

TEST_F(RestVisibilityTest, EveryReadPathAgreesWithTheTlpMatrix) {
  const std::vector<Caller> callers = {
      {"owner analyst", analyst_a_},      {"owner contributor", contributor_a_},
      {"owner reader", reader_a_},        {"other analyst", analyst_b_},
      {"other contributor", contributor_b_}, {"named recipient", analyst_c_}};
  // Rows: TLP level; columns: the callers above, in order.
  const std::map<std::string, std::vector<bool>> expected = {
      {"clear", {true, true, true, true, true, true}},
      {"green", {true, true, true, true, true, true}},
      {"amber", {true, true, true, false, false, true}},
      {"amber+strict", {true, true, true, false, false, false}},
      {"red", {true, true, true, false, false, true}},
  };
  std::map<std::string, std::string> uuid_of;
  std::map<std::string, std::string> value_of;
  int level_idx = 0;
  for (const auto& [tlp, row] : expected) {
    value_of[tlp] = "192.0.2." + std::to_string(100 + level_idx++);
    uuid_of[tlp] = CreateEvent(analyst_a_, tlp, {value_of[tlp]}, json::array({"Partner-C"}), tlp);
  }
  for (size_t caller_idx = 0; caller_idx < callers.size(); ++caller_idx) {
    const Caller& caller = callers[caller_idx];
    std::set<std::string> listed;
    const json events = Body(Get("/api/v1/events", caller.key));
    for (const auto& event : events["events"]) {
      listed.insert(event["uuid"].get<std::string>());
    }
    std::set<std::string> listed_values;
    const json indicators = Body(Get("/api/v1/indicators", caller.key));
    for (const auto& item : indicators["indicators"]) {
      listed_values.insert(item["value"].get<std::string>());
    }
    const std::string exported = Get("/api/v1/export?format=csv", caller.key).body;
    const std::string exported_stix = Get("/api/v1/export", caller.key).body;
    for (const auto& [tlp, row] : expected) {
      const bool may = row[caller_idx];
      SCOPED_TRACE(caller.name + " on TLP:" + tlp);
      EXPECT_EQ(listed.count(uuid_of[tlp]) > 0, may) << "list";
      EXPECT_EQ(Get("/api/v1/events/" + uuid_of[tlp], caller.key).status, may ? 200 : 404) << "get";
      EXPECT_EQ(Get("/api/v1/indicators/lookup?value=" + value_of[tlp], caller.key).status,
                may ? 200 : 404)
          << "lookup";
      EXPECT_EQ(listed_values.count(value_of[tlp]) > 0, may) << "indicator list";
      EXPECT_EQ(exported.find(value_of[tlp]) != std::string::npos, may) << "csv export";
      EXPECT_EQ(exported_stix.find(value_of[tlp]) != std::string::npos, may) << "stix export";
    }
  }
}

// A value both in a visible and an invisible event: the lookup shows the
// correlation with the visible one only.
TEST_F(RestVisibilityTest, LookupCorrelationLeavesOutInvisibleEvents) {
  CreateEvent(analyst_a_, "amber+strict", {"shared.example"}, json::array(), "secret");
  CreateEvent(analyst_b_, "green", {"shared.example"}, json::array(), "public");
  json out = Body(Get("/api/v1/indicators/lookup?value=shared.example", analyst_b_));
  ASSERT_EQ(out["events"].size(), 1u);
  EXPECT_EQ(out["events"][0]["event"]["title"], "public");
  EXPECT_EQ(Body(Get("/api/v1/indicators/lookup?value=shared.example", analyst_a_))["events"].size(),
            2u);
}

}  // namespace
}  // namespace accord
