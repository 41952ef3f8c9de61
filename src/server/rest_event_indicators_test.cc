// GET /api/v1/events/{uuid}/indicators on the real server: an event's
// indicators a page at a time, narrowed by type and a part of the value;
// and the event's ETag, had without reading its indicators, which every
// write to the event or its links moves on. Every response is checked
// against docs/openapi.json by RestTest::Call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "server/rest_testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using testing::json;

class RestEventIndicatorsTest : public testing::RestTest {
 protected:
  // An event of A's at `tlp` holding 250 addresses and three domains.
  std::string CreateFeedEvent(const std::string& tlp) {
    std::vector<std::string> values;
    for (int i = 0; i < 250; ++i) values.push_back("10.0." + std::to_string(i / 200) + "." + std::to_string(i % 200));
    for (const char* domain : {"evil-panel.example", "Lumma-EVIL.example", "mail.example"}) values.push_back(domain);
    return CreateEvent(analyst_a_, tlp, values);
  }

  // Every value of `path`'s pages, following `next`; also checks that only
  // the first page counts what passes the filters.
  std::vector<std::string> AllPages(const std::string& path, const std::string& key) {
    std::vector<std::string> values;
    std::string next_path = path;
    for (int page = 0; page < 100; ++page) {
      testing::HttpResponse res = Get(next_path, key);
      EXPECT_EQ(res.status, 200) << next_path << ": " << res.body;
      if (res.status != 200) break;
      const json body = Body(res);
      EXPECT_EQ(body["total"].is_null(), page > 0) << next_path;
      EXPECT_TRUE(body["types"].is_null()) << "counted only when asked";
      for (const json& indicator : body["indicators"]) values.push_back(indicator["value"]);
      if (body["next"].is_null()) break;
      next_path = path + (path.find('?') == std::string::npos ? "?" : "&") +
                  "cursor=" + body["next"].get<std::string>();
    }
    return values;
  }
};

TEST_F(RestEventIndicatorsTest, AnEventsIndicatorsComeAPageAtATimeWithoutGapsOrRepeats) {
  const std::string uuid = CreateFeedEvent("green");
  ASSERT_FALSE(uuid.empty());
  const std::string path = "/api/v1/events/" + uuid + "/indicators";
  testing::HttpResponse first = Get(path + "?limit=100&types=true", analyst_b_);  // another member reads GREEN
  ASSERT_EQ(first.status, 200) << first.body;
  const json body = Body(first);
  EXPECT_EQ(body["indicators"].size(), 100u);
  EXPECT_EQ(body["total"], 253);
  EXPECT_EQ(body["types"], json::parse(R"([{"type":"ipv4","count":250},{"type":"domain","count":3}])"));
  EXPECT_EQ(body["indicators"][0]["role"], "c2") << "each as GET /events/{uuid} gives it";

  const std::vector<std::string> paged = AllPages(path + "?limit=100", analyst_b_);
  EXPECT_EQ(paged.size(), 253u);
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), 253u) << "no value twice";
  // The same values as the whole event.
  std::set<std::string> whole;
  const json event = Body(Get("/api/v1/events/" + uuid, analyst_b_));
  for (const json& indicator : event["indicators"]) {
    whole.insert(indicator["value"].get<std::string>());
  }
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), whole);
}

TEST_F(RestEventIndicatorsTest, IndicatorsNarrowByTypeAndByAPartOfTheValueInAnyCase) {
  const std::string uuid = CreateFeedEvent("green");
  ASSERT_FALSE(uuid.empty());
  const std::string path = "/api/v1/events/" + uuid + "/indicators";
  testing::HttpResponse evil = Get(path + "?q=EVIL&types=true", analyst_a_);
  ASSERT_EQ(evil.status, 200) << evil.body;
  EXPECT_EQ(Body(evil)["total"], 2);
  EXPECT_THAT(AllPages(path + "?q=EVIL", analyst_a_),
              ::testing::UnorderedElementsAre("evil-panel.example", "lumma-evil.example"));
  // The types stay the event's, whatever the filters: the filter offers them all.
  EXPECT_EQ(Body(evil)["types"].size(), 2u);
  EXPECT_EQ(AllPages(path + "?type=domain&limit=2", analyst_a_).size(), 3u);
  testing::HttpResponse addresses = Get(path + "?type=ipv4&q=10.0.1.", analyst_a_);
  ASSERT_EQ(addresses.status, 200) << addresses.body;
  EXPECT_EQ(Body(addresses)["total"], 50);
  testing::HttpResponse none = Get(path + "?type=url", analyst_a_);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(Body(none)["total"], 0);
  EXPECT_EQ(Body(none)["indicators"], json::array());
  EXPECT_TRUE(Body(none)["next"].is_null());
}

TEST_F(RestEventIndicatorsTest, AnUnreadableEventAndBadFiltersAreRefused) {
  const std::string red = CreateEvent(analyst_a_, "red", {"192.0.2.1"});
  ASSERT_FALSE(red.empty());
  const std::string path = "/api/v1/events/" + red + "/indicators";
  ASSERT_EQ(Get(path, analyst_a_).status, 200);
  // Not a recipient: answered as an event that does not exist.
  testing::HttpResponse hidden = Get(path, analyst_b_);
  testing::HttpResponse missing = Get("/api/v1/events/00000000-0000-4000-8000-000000000000/indicators", analyst_b_);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Get(path, "").status, 401);

  testing::HttpResponse type = Get(path + "?type=phone-number", analyst_a_);
  EXPECT_EQ(type.status, 400);
  EXPECT_THAT(type.body, HasSubstr("type"));
  testing::HttpResponse cursor = Get(path + "?cursor=garbage", analyst_a_);
  EXPECT_EQ(cursor.status, 400);
  EXPECT_THAT(cursor.body, HasSubstr("cursor"));
  testing::HttpResponse types = Get(path + "?types=yes", analyst_a_);
  EXPECT_EQ(types.status, 400);
  EXPECT_THAT(types.body, HasSubstr("types"));
  testing::HttpResponse long_part = Get(path + "?q=" + std::string(3000, 'a'), analyst_a_);
  EXPECT_EQ(long_part.status, 400);
  EXPECT_THAT(long_part.body, HasSubstr("q:"));
  EXPECT_EQ(Get(path + "?limit=0", analyst_a_).status, 400);
  EXPECT_EQ(Get(path + "?tlp=red", analyst_a_).status, 400) << "a filter the route does not offer";
  EXPECT_EQ(Call("DELETE", path, analyst_a_).status, 405);
}

// The edit form reads the event without its indicators, with the tag it
// sends back; an import into the event meanwhile makes that tag stale.
TEST_F(RestEventIndicatorsTest, TheTagIsTheSameWithoutIndicatorsAndAnImportIntoTheEventMakesItStale) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"192.0.2.40"});
  ASSERT_FALSE(uuid.empty());
  const std::string path = "/api/v1/events/" + uuid;
  testing::HttpResponse bare = Get(path + "?indicators=none", analyst_a_);
  ASSERT_EQ(bare.status, 200) << bare.body;
  EXPECT_FALSE(Body(bare).contains("indicators"));
  const std::string tag = bare.Header("etag");
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(Get(path, analyst_a_).Header("etag"), tag);

  // A value the event already holds, imported again: the link is written.
  testing::HttpResponse import = Call("POST", "/api/v1/import?event=" + uuid, analyst_a_,
                                      "192.0.2.40\n", "text/plain");
  ASSERT_EQ(import.status, 200) << import.body;
  const std::string after_import = Get(path + "?indicators=none", analyst_a_).Header("etag");
  EXPECT_NE(after_import, tag);
  testing::HttpResponse stale = Call("PATCH", path + "?indicators=none", analyst_a_,
                                     json({{"title", "mine"}}).dump(), "application/json",
                                     {"If-Match: " + tag});
  EXPECT_EQ(stale.status, 412) << stale.body;

  // Saved on the current tag, answered without the indicators, with the
  // tag a read gives next.
  testing::HttpResponse saved = Call("PATCH", path + "?indicators=none", analyst_a_,
                                     json({{"title", "mine"}}).dump(), "application/json",
                                     {"If-Match: " + after_import});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_FALSE(Body(saved)["event"].contains("indicators"));
  EXPECT_EQ(Body(saved)["event"]["indicator_count"], 1);
  EXPECT_EQ(saved.Header("etag"), Get(path, analyst_a_).Header("etag"));
  EXPECT_EQ(Call("PATCH", path + "?indicators=some", analyst_a_, json({{"title", "x"}}).dump(),
                 "application/json").status,
            400);
}

}  // namespace
}  // namespace accord
