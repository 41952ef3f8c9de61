// STIX object storage: versions, date_added order and the TAXII filters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::ElementsAre;

class StixObjectsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  static StixObjectRecord Object(const std::string& id, const std::string& modified) {
    StixObjectRecord object;
    object.id = id;
    object.type = id.substr(0, id.find("--"));
    object.spec_version = "2.1";
    object.created = "2024-01-01T00:00:00.000Z";
    object.modified = modified;
    object.json = R"({"id":")" + id + R"(","modified":")" + modified + R"("})";
    return object;
  }

  // Stores the objects in one batch; returns what PutStixObject said.
  std::vector<bool> Put(const std::vector<StixObjectRecord>& objects, Tlp tlp = Tlp::kGreen) {
    std::vector<bool> stored;
    auto batch = store_->BeginImport();
    EXPECT_TRUE(batch.ok());
    if (!batch.ok()) return stored;
    for (const StixObjectRecord& object : objects) {
      auto put = (*batch)->PutStixObject(object, 0, tlp, 0);
      EXPECT_TRUE(put.ok()) << put.status().ToString();
      stored.push_back(put.ok() && *put);
    }
    EXPECT_TRUE((*batch)->Commit().ok());
    return stored;
  }

  std::vector<StoredStixObject> List(const StixObjectFilter& filter) {
    std::vector<StoredStixObject> objects;
    Status status = store_->ForEachStixObject(filter, [&](const StoredStixObject& object) {
      objects.push_back(object);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return objects;
  }

  static std::vector<std::string> Ids(const std::vector<StoredStixObject>& objects) {
    std::vector<std::string> ids;
    for (const StoredStixObject& object : objects) ids.push_back(object.id);
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StixObjectsTest, EachModifiedIsAVersionAndRepeatsAreRefused) {
  std::vector<bool> stored = Put({Object("malware--1", "2024-01-01T00:00:00.000Z"),
                                  Object("malware--1", "2024-02-01T00:00:00.000Z"),
                                  Object("malware--1", "2024-01-01T00:00:00.000Z")});
  EXPECT_THAT(stored, ElementsAre(true, true, false));
  std::vector<StoredStixObject> objects = List({});
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].modified, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(objects[1].modified, "2024-02-01T00:00:00.000Z");
  EXPECT_EQ(objects[1].tlp, Tlp::kGreen);
  EXPECT_EQ(objects[1].json, Object("malware--1", "2024-02-01T00:00:00.000Z").json);
  EXPECT_LT(objects[0].seq, objects[1].seq);
}

// Objects without modified (SCOs, markings) are keyed by created, so a
// repeat is still recognised.
TEST_F(StixObjectsTest, UnversionedObjectIsStoredOnce) {
  StixObjectRecord sco = Object("ipv4-addr--1", "");
  StixObjectRecord no_times = Object("marking-definition--1", "");
  no_times.created.clear();
  EXPECT_THAT(Put({sco, sco, no_times, no_times}), ElementsAre(true, false, true, false));
  std::vector<StoredStixObject> objects = List({});
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].modified, sco.created);
}

TEST_F(StixObjectsTest, DateAddedStrictlyIncreasesAcrossBatches) {
  std::vector<StixObjectRecord> first;
  for (int object_idx = 0; object_idx < 50; ++object_idx) {
    first.push_back(Object("indicator--" + std::to_string(object_idx), "2024-01-01T00:00:00Z"));
  }
  Put(first);
  Put({Object("indicator--late", "2024-01-01T00:00:00Z")});
  std::vector<StoredStixObject> objects = List({});
  ASSERT_EQ(objects.size(), 51u);
  for (size_t object_idx = 1; object_idx < objects.size(); ++object_idx) {
    EXPECT_LT(objects[object_idx - 1].date_added, objects[object_idx].date_added);
    EXPECT_LT(objects[object_idx - 1].seq, objects[object_idx].seq);
  }
  EXPECT_TRUE(ParseTimestamp(objects[0].date_added).ok()) << objects[0].date_added;
}

TEST_F(StixObjectsTest, AddedAfterIsExclusive) {
  Put({Object("indicator--a", "2024-01-01T00:00:00Z"), Object("indicator--b", "2024-01-01T00:00:00Z"),
       Object("indicator--c", "2024-01-01T00:00:00Z")});
  std::vector<StoredStixObject> all = List({});
  ASSERT_EQ(all.size(), 3u);
  StixObjectFilter filter;
  filter.added_after = all[0].date_added;
  EXPECT_THAT(Ids(List(filter)), ElementsAre("indicator--b", "indicator--c"));
  filter.added_after = all[2].date_added;
  EXPECT_TRUE(List(filter).empty());
  filter.added_after = "2000-01-01T00:00:00Z";
  EXPECT_EQ(List(filter).size(), 3u);
}

TEST_F(StixObjectsTest, FiltersByIdTypeSeqAndLimit) {
  Put({Object("indicator--a", "2024-01-01T00:00:00Z"), Object("malware--m", "2024-01-01T00:00:00Z"),
       Object("indicator--b", "2024-01-01T00:00:00Z"), Object("indicator--a", "2024-03-01T00:00:00Z")});
  StixObjectFilter filter;
  filter.types = {"malware"};
  EXPECT_THAT(Ids(List(filter)), ElementsAre("malware--m"));
  filter = {};
  filter.ids = {"indicator--a", "malware--m"};
  EXPECT_THAT(Ids(List(filter)), ElementsAre("indicator--a", "malware--m", "indicator--a"));
  filter.types = {"indicator"};
  EXPECT_THAT(Ids(List(filter)), ElementsAre("indicator--a", "indicator--a"));

  // Paging by seq visits every object once, in order.
  filter = {};
  filter.limit = 3;
  std::vector<StoredStixObject> page = List(filter);
  ASSERT_EQ(page.size(), 3u);
  filter.after_seq = page.back().seq;
  EXPECT_THAT(Ids(List(filter)), ElementsAre("indicator--a"));
}

TEST_F(StixObjectsTest, ObjectKeepsItsEventUntilTheEventIsDeleted) {
  auto batch = store_->BeginImport();
  ASSERT_TRUE(batch.ok());
  EventRecord event;
  event.uuid = "group";
  auto event_id = (*batch)->UpsertEvent(event, Tlp::kAmber, 0, {});
  ASSERT_TRUE(event_id.ok()) << event_id.status().ToString();
  ASSERT_TRUE((*batch)->PutStixObject(Object("indicator--a", "2024-01-01T00:00:00Z"), *event_id,
                                      Tlp::kAmber, 0)
                  .ok());
  EXPECT_EQ(List({})[0].event_id, *event_id);
  ASSERT_TRUE((*batch)->DeleteEventIfEmpty(*event_id).ok());
  ASSERT_TRUE((*batch)->Commit().ok());
  std::vector<StoredStixObject> objects = List({});
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].event_id, 0);
  EXPECT_EQ(objects[0].tlp, Tlp::kAmber);
}

}  // namespace
}  // namespace accord
