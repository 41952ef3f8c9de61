// TAXII serves every event, not only bundles imported as STIX: an event made
// over REST (as the UI, MISP, CSV and list imports make them) appears in its
// TLP level's collection as a report and one indicator per value, the same
// objects `accord export` writes, and only to those MayRead lets see it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "server/rest_testing.h"
#include "server/taxii_testing.h"

namespace accord {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using testing::CollectionPath;
using testing::HttpResponse;
using testing::json;

class TaxiiDerivedTest : public testing::RestTest {
 protected:
  json Taxii(const std::string& path, const std::string& key) {
    HttpResponse res = node_.Get(path, key, {testing::kTaxiiAccept});
    EXPECT_EQ(res.status, 200) << path << ": " << res.body;
    return json::parse(res.body, nullptr, false);
  }

  std::vector<json> Objects(const std::string& alias, const std::string& key,
                            const std::string& query = "") {
    json envelope = Taxii(CollectionPath(alias) + "objects/" + query, key);
    std::vector<json> objects;
    for (const json& object : envelope.value("objects", json::array())) objects.push_back(object);
    return objects;
  }

  static std::set<std::string> Patterns(const std::vector<json>& objects) {
    std::set<std::string> patterns;
    for (const json& object : objects) {
      if (object["type"] == "indicator") patterns.insert(object["pattern"].get<std::string>());
    }
    return patterns;
  }
};

TEST_F(TaxiiDerivedTest, AnEventMadeOverRestIsServedAsAReportAndItsIndicators) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"evil.example", "198.51.100.7"});
  ASSERT_FALSE(uuid.empty());
  std::vector<json> objects = Objects("tlp-green", analyst_b_);
  EXPECT_EQ(Patterns(objects), (std::set<std::string>{"[domain-name:value = 'evil.example']",
                                                      "[ipv4-addr:value = '198.51.100.7']"}));
  const json* report = nullptr;
  std::set<std::string> shared_types;
  for (const json& object : objects) {
    // The marking definition and identity the others refer to (docs/TAXII.md).
    if (object["type"] == "marking-definition" || object["type"] == "identity") {
      shared_types.insert(object["type"].get<std::string>());
      continue;
    }
    EXPECT_EQ(object["object_marking_refs"], json::array({std::string(TlpStixMarkingId(Tlp::kGreen))}))
        << object["id"];
    if (object["id"] == "report--" + uuid) report = &object;
  }
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(shared_types, (std::set<std::string>{"identity", "marking-definition"}));
  std::set<std::string> refs;
  for (const json& ref : (*report)["object_refs"]) refs.insert(ref.get<std::string>());
  std::set<std::string> indicator_ids;
  for (const json& object : objects) {
    if (object["type"] == "indicator") indicator_ids.insert(object["id"].get<std::string>());
  }
  EXPECT_EQ(refs, indicator_ids);
  // The same objects export writes, not a second rendering of them.
  HttpResponse exported = Get("/api/v1/export?format=stix", analyst_b_);
  ASSERT_EQ(exported.status, 200) << exported.body;
  json bundle = json::parse(exported.body, nullptr, false);
  int reports = 0;
  for (const json& object : bundle["objects"]) {
    if (object["id"] == "report--" + uuid) {
      ++reports;
      EXPECT_EQ(object, *report);
    }
  }
  EXPECT_EQ(reports, 1);
}

TEST_F(TaxiiDerivedTest, AnAmberEventReachesOnlyItsOwnerAndTheOrganisationsItNames) {
  const std::string named = CreateEvent(analyst_a_, "amber", {"named.example"}, json::array({"Police-B"}));
  const std::string unnamed = CreateEvent(analyst_a_, "amber", {"unnamed.example"});
  EXPECT_EQ(Patterns(Objects("tlp-amber", analyst_a_)),
            (std::set<std::string>{"[domain-name:value = 'named.example']",
                                   "[domain-name:value = 'unnamed.example']"}));
  EXPECT_EQ(Patterns(Objects("tlp-amber", analyst_b_)),
            (std::set<std::string>{"[domain-name:value = 'named.example']"}));
  EXPECT_THAT(Objects("tlp-amber", analyst_c_), IsEmpty());
  // Nor does it sit at another level.
  EXPECT_THAT(Patterns(Objects("tlp-green", analyst_a_)), IsEmpty());
}

TEST_F(TaxiiDerivedTest, AChangedEventShowsOnlyWhatChangedPastTheClientsCursor) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"kept.example", "dropped.example"});
  HttpResponse first = node_.Get(CollectionPath("tlp-green") + "objects/", analyst_b_, {testing::kTaxiiAccept});
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string last_added = first.Header("x-taxii-date-added-last");
  ASSERT_FALSE(last_added.empty());

  HttpResponse replaced = Call("PUT", "/api/v1/events/" + uuid, analyst_a_,
                               json({{"title", "ev"},
                                     {"tlp", "green"},
                                     {"indicators", {{{"value", "kept.example"}, {"role", "c2"}},
                                                     {{"value", "added.example"}, {"role", "c2"}}}}})
                                   .dump(),
                               "application/json");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  std::vector<json> changed = Objects("tlp-green", analyst_b_, "?added_after=" + last_added);
  std::vector<std::string> ids;
  for (const json& object : changed) ids.push_back(object["id"].get<std::string>());
  // The new indicator and the report's new version; the kept indicator did
  // not change, and the dropped one is gone rather than re-sent.
  ASSERT_EQ(ids.size(), 2u) << json(changed).dump();
  EXPECT_EQ(Patterns(changed), (std::set<std::string>{"[domain-name:value = 'added.example']"}));
  EXPECT_THAT(ids, Contains("report--" + uuid));
  EXPECT_EQ(Patterns(Objects("tlp-green", analyst_b_)),
            (std::set<std::string>{"[domain-name:value = 'kept.example']",
                                   "[domain-name:value = 'added.example']"}));
}

TEST_F(TaxiiDerivedTest, MovingAnEventToRedTakesItOutOfTheGreenCollection) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"moved.example"});
  ASSERT_EQ(Patterns(Objects("tlp-green", analyst_b_)).size(), 1u);
  HttpResponse patched = Call("PATCH", "/api/v1/events/" + uuid, analyst_a_,
                              json({{"tlp", "red"}}).dump(), "application/json");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_THAT(Patterns(Objects("tlp-green", analyst_b_)), IsEmpty());
  EXPECT_THAT(Patterns(Objects("tlp-red", analyst_b_)), IsEmpty());
  EXPECT_EQ(Patterns(Objects("tlp-red", analyst_a_)),
            (std::set<std::string>{"[domain-name:value = 'moved.example']"}));
}

// An event that came as STIX, made stricter by its owner: the objects it
// holds that took their level from it (they came unmarked) go with it; one
// its producer marked keeps its own level.
TEST_F(TaxiiDerivedTest, MakingAStixEventStricterTakesItsUnmarkedObjectsAlong) {
  const std::string report_id = "report--7d1c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
  const std::string unmarked_id = "indicator--7d1c1b2a-3e4f-4a5b-8c6d-000000000001";
  const std::string marked_id = "indicator--7d1c1b2a-3e4f-4a5b-8c6d-000000000002";
  const std::string common = R"("spec_version":"2.1","created":"2026-01-01T00:00:00.000Z",)"
                             R"("modified":"2026-01-01T00:00:00.000Z",)";
  const std::string bundle =
      R"({"type":"bundle","id":"bundle--7d1c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d","objects":[)"
      R"({"type":"report","id":")" + report_id + R"(",)" + common +
      R"("name":"case","published":"2026-01-01T00:00:00Z","object_refs":[")" + unmarked_id + R"(",")" + marked_id +
      R"("]},{"type":"indicator","id":")" + unmarked_id + R"(",)" + common +
      R"("pattern":"[domain-name:value = 'unmarked.example']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"},)"
      R"({"type":"indicator","id":")" + marked_id + R"(",)" + common +
      R"("pattern":"[domain-name:value = 'marked.example']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",)"
      R"("object_marking_refs":[")" + std::string(TlpStixMarkingId(Tlp::kClear)) + R"("]}]})";
  HttpResponse imported = Call("POST", "/api/v1/import?tlp=green", analyst_a_, bundle, "application/json");
  ASSERT_EQ(imported.status, 200) << imported.body;
  auto ids = [&](const std::string& alias) {
    std::set<std::string> found;
    for (const json& object : Objects(alias, analyst_b_)) found.insert(object["id"].get<std::string>());
    return found;
  };
  ASSERT_TRUE(ids("tlp-green").contains(unmarked_id));
  ASSERT_TRUE(ids("tlp-clear").contains(marked_id));
  json event = Body(Get("/api/v1/events?limit=10", analyst_a_))["events"][0];
  HttpResponse patched = Call("PATCH", "/api/v1/events/" + event["uuid"].get<std::string>(), analyst_a_,
                              json({{"tlp", "red"}}).dump(), "application/json");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_FALSE(ids("tlp-green").contains(unmarked_id));
  EXPECT_FALSE(ids("tlp-green").contains(report_id));
  EXPECT_TRUE(ids("tlp-clear").contains(marked_id)) << "marked CLEAR by its producer";
  std::set<std::string> owners_red;
  for (const json& object : Objects("tlp-red", analyst_a_)) owners_red.insert(object["id"].get<std::string>());
  EXPECT_TRUE(owners_red.contains(unmarked_id));
  EXPECT_TRUE(owners_red.contains(report_id));
}

TEST_F(TaxiiDerivedTest, ADeletedEventLeavesNothingBehind) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"gone.example"});
  ASSERT_EQ(Patterns(Objects("tlp-green", analyst_b_)).size(), 1u);
  ASSERT_EQ(Call("DELETE", "/api/v1/events/" + uuid, analyst_a_).status, 204);
  EXPECT_THAT(Objects("tlp-green", analyst_b_), IsEmpty());
}

// A whole feed imported is in the very next read: with the default limit,
// reads project it themselves (the background housekeeper never wakes here).
class TaxiiFeedTest : public TaxiiDerivedTest {
 protected:
  ServerConfig Config() override {
    ServerConfig config;
    config.snapshot_refresh_seconds = 3600;
    config.request_clock_seconds = 3600;
    return config;
  }

  // The refs of the green collection's only report, after importing `list`.
  size_t ReportRefsAfterImporting(const std::string& list) {
    HttpResponse imported = Call("POST", "/api/v1/import?tlp=green&title=feed", analyst_a_, list, "text/plain");
    EXPECT_EQ(imported.status, 200) << imported.body.substr(0, 300);
    std::vector<json> reports = Objects("tlp-green", analyst_b_, "?match[type]=report");
    EXPECT_EQ(reports.size(), 1u);
    return reports.empty() ? 0 : reports[0]["object_refs"].size();
  }
};

TEST_F(TaxiiFeedTest, AFeedOfTwentyThousandValuesIsInTheNextRead) {
  std::string list;
  for (int i = 0; i < 20000; ++i) list += "host" + std::to_string(i) + ".feed.example\n";
  EXPECT_EQ(ReportRefsAfterImporting(list), 20000u);
}

TEST_F(TaxiiFeedTest, TheLargestRealStealerTrailIsInTheNextRead) {
  auto shared = testing::SharedData();
  if (!shared) GTEST_SKIP() << "ACCORD_SHARED_DATA not set";
  HttpResponse imported = Call("POST", "/api/v1/import?tlp=green&title=meta", analyst_a_,
                               testing::ReadFile((*shared / "ioc/maltrail/meta.txt").string()), "text/plain");
  ASSERT_EQ(imported.status, 200) << imported.body.substr(0, 300);
  const int64_t values = Body(imported)["report"]["new_values"].get<int64_t>();
  ASSERT_GT(values, 20000);
  std::vector<json> reports = Objects("tlp-green", analyst_b_, "?match[type]=report");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(static_cast<int64_t>(reports[0]["object_refs"].size()), values);
}

// A read projects small events on the spot and leaves big ones to the
// background housekeeper, which in this suite never wakes.
class TaxiiInlineLimitTest : public TaxiiDerivedTest {
 protected:
  ServerConfig Config() override {
    ServerConfig config;
    config.taxii_inline_refresh_links = 2;
    config.snapshot_refresh_seconds = 3600;
    config.request_clock_seconds = 3600;
    return config;
  }

  std::set<std::string> Ids(const std::string& alias, const std::string& key) {
    std::set<std::string> ids;
    for (const json& object : Objects(alias, key)) ids.insert(object["id"].get<std::string>());
    return ids;
  }
};

TEST_F(TaxiiInlineLimitTest, AReadDoesNotWaitForAnEventOverTheLimit) {
  const std::string big = CreateEvent(analyst_a_, "green", {"a.example", "b.example", "c.example"});
  const std::string small = CreateEvent(analyst_a_, "green", {"d.example"});
  ASSERT_FALSE(big.empty());
  ASSERT_FALSE(small.empty());
  std::set<std::string> ids = Ids("tlp-green", analyst_b_);
  EXPECT_TRUE(ids.contains("report--" + small));
  EXPECT_FALSE(ids.contains("report--" + big));
  // The small event's report and indicator, the marking definition and CERT-A's identity.
  EXPECT_EQ(ids.size(), 4u);
}

// An event published while small, then grown past the limit, is left to
// the housekeeper (which never wakes here). Narrowed then, the objects it
// published at its old level must not stay readable at that level until
// they are redone: the narrowing withdraws them at once.
TEST_F(TaxiiInlineLimitTest, NarrowingAnEventOverTheLimitWithdrawsItsPublishedObjectsAtOnce) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"a.example", "b.example"});
  ASSERT_FALSE(uuid.empty());
  ASSERT_TRUE(Ids("tlp-green", analyst_b_).contains("report--" + uuid));
  HttpResponse grown = Call("PATCH", "/api/v1/events/" + uuid, analyst_a_,
                            json({{"indicators", json::array({{{"value", "c.example"}}})}}).dump(),
                            "application/json");
  ASSERT_EQ(grown.status, 200) << grown.body;
  ASSERT_TRUE(Ids("tlp-green", analyst_b_).contains("report--" + uuid)) << "published as it was, not redone";
  HttpResponse narrowed = Call("PATCH", "/api/v1/events/" + uuid, analyst_a_, json({{"tlp", "red"}}).dump(),
                               "application/json");
  ASSERT_EQ(narrowed.status, 200) << narrowed.body;
  for (const std::string alias : {"tlp-clear", "tlp-green", "tlp-amber", "tlp-red"}) {
    for (const json& object : Objects(alias, analyst_b_)) {
      EXPECT_TRUE(object["type"] == "identity" || object["type"] == "marking-definition")
          << alias << " still serves " << object.dump();
    }
  }
  // Until the housekeeper makes them again at RED, nobody reads them.
  EXPECT_FALSE(Ids("tlp-red", analyst_a_).contains("report--" + uuid));
}

// The background housekeeper (every snapshot_refresh_seconds) publishes what
// reads leave to it, with no read asking.
class TaxiiBackgroundRefreshTest : public TaxiiInlineLimitTest {
 protected:
  ServerConfig Config() override {
    ServerConfig config = TaxiiInlineLimitTest::Config();
    config.snapshot_refresh_seconds = 1;
    return config;
  }
};

TEST_F(TaxiiBackgroundRefreshTest, AnEventOverTheLimitIsPublishedInTheBackground) {
  const std::string big = CreateEvent(analyst_a_, "green", {"a.example", "b.example", "c.example"});
  ASSERT_FALSE(big.empty());
  // Reads never project it (over the limit): only the housekeeper can.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::set<std::string> ids;
  while (std::chrono::steady_clock::now() < deadline) {
    ids = Ids("tlp-green", analyst_b_);
    if (ids.contains("report--" + big)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(ids.contains("report--" + big)) << "the background housekeeper never published the event";
  // Its report and three indicators, the marking definition and CERT-A's identity.
  EXPECT_EQ(ids.size(), 6u);
}

}  // namespace
}  // namespace accord
