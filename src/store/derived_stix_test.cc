// Derived STIX objects (Store::RefreshDerivedStix): what TAXII serves for
// events that did not come as STIX. The projector here is the test's own, a
// plain one object per link plus a summary naming every value, so these
// tests hold the store's rules (stale marks, versions, deletions, TLP
// moves); exchange_test holds the real report and indicators.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "store/store.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kNow[] = "2026-12-01T00:00:00.000Z";

// One object per link ("x-value--<value>") and a summary naming them.
class TestProjector final : public DerivedStixProjector {
 public:
  Result<std::optional<DerivedStixObject>> LinkObject(const EventSummary& event,
                                                     const LinkedObservable& link) override {
    if (++calls == fail_at_call) return Status::Internal("projector broke");
    const std::string id = "x-value--" + link.observable.value;
    return std::optional<DerivedStixObject>(
        DerivedStixObject{id, "x-value", event.created, event.modified, [id](const std::string& modified) {
                            return R"({"id":")" + id + R"(","modified":")" + modified + R"("})";
                          }});
  }

  Result<DerivedStixObject> EventObject(const EventSummary& event,
                                        const std::vector<std::string>& link_object_ids) override {
    if (++calls == fail_at_call) return Status::Internal("projector broke");
    std::string named;
    for (const std::string& id : link_object_ids) named += id + ";";
    const std::string id = "x-summary--" + event.uuid;
    const std::string tlp(TlpName(event.tlp));
    return DerivedStixObject{id, "x-summary", event.created, event.modified,
                             [id, named, tlp](const std::string& modified) {
                               return R"({"id":")" + id + R"(","modified":")" + modified + R"(","named":")" +
                                      named + R"(","tlp":")" + tlp + R"("})";
                             }};
  }

  int calls = 0;
  int fail_at_call = 0;  // the call that fails; 0: none
};

class DerivedStixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), /*create=*/true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    Organisation org;
    org.name = "CERT-A";
    org.country = "FR";
    org.kind = "cert";
    auto created = store_->CreateOrganisation(org);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    org_id_ = created->id;
  }

  // Creates or updates the event and links the values, in one batch.
  int64_t Write(const std::string& uuid, const std::vector<std::string>& values, Tlp tlp = Tlp::kGreen,
                const std::string& source = "misp:event.json") {
    auto batch = store_->BeginImport();
    EXPECT_TRUE(batch.ok());
    EventRecord event;
    event.uuid = uuid;
    event.title = "event " + uuid;
    event.created = "2024-05-01T00:00:00.000Z";
    event.modified = "2024-05-01T00:00:00.000Z";
    event.source = source;
    auto event_id = (*batch)->UpsertEvent(event, tlp, org_id_, {});
    EXPECT_TRUE(event_id.ok()) << event_id.status().ToString();
    for (const std::string& value : values) {
      auto linked = (*batch)->Link(*event_id, {ObservableType::kDomain, value}, {}, "");
      EXPECT_TRUE(linked.ok()) << linked.status().ToString();
    }
    EXPECT_TRUE((*batch)->Commit().ok());
    return *event_id;
  }

  int64_t Refresh(int64_t max_event_links = 0) { return Refresh(projector_, max_event_links); }
  int64_t Refresh(TestProjector& projector, int64_t max_event_links = 0) {
    auto refreshed = store_->RefreshDerivedStix(projector, kNow, max_event_links);
    EXPECT_TRUE(refreshed.ok()) << refreshed.status().ToString();
    return refreshed.ok() ? *refreshed : -1;
  }

  std::vector<StoredStixObject> Objects(bool include_derived = true) {
    std::vector<StoredStixObject> objects;
    StixObjectFilter filter;
    filter.include_derived = include_derived;
    EXPECT_TRUE(store_
                    ->ForEachStixObject(filter,
                                        [&](const StoredStixObject& object) {
                                          objects.push_back(object);
                                          return Status::Ok();
                                        })
                    .ok());
    return objects;
  }

  // id -> every stored version's modified, in seq order.
  std::map<std::string, std::vector<std::string>> Versions() {
    std::map<std::string, std::vector<std::string>> versions;
    for (const StoredStixObject& object : Objects()) versions[object.id].push_back(object.modified);
    return versions;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  int64_t org_id_ = 0;
  TestProjector projector_;
};

TEST_F(DerivedStixTest, ANewEventIsPublishedOnceAtItsLevelAndOwner) {
  const int64_t event_id = Write("e1", {"evil.example", "bad.example"}, Tlp::kAmber);
  EXPECT_EQ(Refresh(), 1);
  std::vector<StoredStixObject> objects = Objects();
  ASSERT_EQ(objects.size(), 3u);
  for (const StoredStixObject& object : objects) {
    EXPECT_TRUE(object.derived);
    EXPECT_EQ(object.tlp, Tlp::kAmber);
    EXPECT_EQ(object.owner_org_id, org_id_);
    EXPECT_EQ(object.event_id, event_id);
    EXPECT_EQ(object.modified, "2024-05-01T00:00:00.000Z");
  }
  // Nothing changed: nothing to redo, nothing stored again.
  EXPECT_EQ(Refresh(), 0);
  EXPECT_EQ(Objects().size(), 3u);
  // Export's view leaves them out.
  EXPECT_THAT(Objects(/*include_derived=*/false), IsEmpty());
}

TEST_F(DerivedStixTest, ANewLinkAddsItsObjectAndVersionsOnlyWhatChanged) {
  Write("e1", {"evil.example"});
  ASSERT_EQ(Refresh(), 1);
  const int64_t first_seq = Objects().front().seq;
  Write("e1", {"bad.example"});
  EXPECT_EQ(Refresh(), 1);
  auto versions = Versions();
  EXPECT_THAT(versions["x-value--evil.example"], ElementsAre("2024-05-01T00:00:00.000Z"));
  EXPECT_THAT(versions["x-value--bad.example"], ElementsAre("2024-05-01T00:00:00.000Z"));
  // The summary's content changed: a second version, dated when it changed.
  EXPECT_THAT(versions["x-summary--e1"], ElementsAre("2024-05-01T00:00:00.000Z", kNow));
  EXPECT_EQ(Objects().front().seq, first_seq);  // the unchanged object kept its row
}

TEST_F(DerivedStixTest, RelinkingTheSameValuesChangesNothing) {
  Write("e1", {"evil.example"});
  ASSERT_EQ(Refresh(), 1);
  Write("e1", {"evil.example"});  // marks it stale again
  EXPECT_EQ(Refresh(), 1);
  EXPECT_EQ(Objects().size(), 2u);
}

TEST_F(DerivedStixTest, ARemovedLinkTakesItsObjectAway) {
  const int64_t event_id = Write("e1", {"evil.example", "bad.example"});
  ASSERT_EQ(Refresh(), 1);
  auto info = store_->LookupObservable({ObservableType::kDomain, "bad.example"});
  ASSERT_TRUE(info.ok() && info->has_value());
  ASSERT_EQ(store_->RemoveLinks(event_id, {(*info)->id}).value(), 1);
  EXPECT_EQ(Refresh(), 1);
  auto versions = Versions();
  EXPECT_EQ(versions.count("x-value--bad.example"), 0u);
  EXPECT_EQ(versions.count("x-value--evil.example"), 1u);
  EXPECT_EQ(versions["x-summary--e1"].size(), 2u);
}

TEST_F(DerivedStixTest, ATlpChangeLeavesNoVersionAtTheOldLevel) {
  Write("e1", {"evil.example"}, Tlp::kGreen);
  ASSERT_EQ(Refresh(), 1);
  Write("e1", {"evil.example"}, Tlp::kRed);
  EXPECT_EQ(Refresh(), 1);
  std::vector<StoredStixObject> objects = Objects();
  ASSERT_EQ(objects.size(), 2u);
  for (const StoredStixObject& object : objects) {
    EXPECT_EQ(object.tlp, Tlp::kRed) << object.id;
    // Never the time of the version that was withdrawn at GREEN.
    EXPECT_GT(object.modified, "2024-05-01T00:00:00.000Z") << object.id;
  }
}

// Between the narrowing and the refresh that makes them again (for a big
// event, the background housekeeper's), no derived object is held at the
// old, wider level: the narrowing withdraws them. Widening leaves them to
// the refresh (nothing is readable that should not be).
TEST_F(DerivedStixTest, NarrowingAnEventWithdrawsItsDerivedObjectsAtOnce) {
  Write("e1", {"evil.example"}, Tlp::kGreen);
  ASSERT_EQ(Refresh(), 1);
  ASSERT_EQ(Objects().size(), 2u);
  Write("e1", {"evil.example"}, Tlp::kAmber);
  EXPECT_THAT(Objects(), IsEmpty());
  EXPECT_EQ(Refresh(), 1);
  ASSERT_EQ(Objects().size(), 2u);
  for (const StoredStixObject& object : Objects()) EXPECT_EQ(object.tlp, Tlp::kAmber) << object.id;
  Write("e1", {"evil.example"}, Tlp::kClear);
  EXPECT_EQ(Objects().size(), 2u);  // still AMBER until redone
  EXPECT_EQ(Refresh(), 1);
  for (const StoredStixObject& object : Objects()) EXPECT_EQ(object.tlp, Tlp::kClear) << object.id;
}

TEST_F(DerivedStixTest, EventsThatCameAsStixAreNeverProjected) {
  Write("s1", {"evil.example"}, Tlp::kGreen, "stix:bundle.json");
  EXPECT_EQ(Refresh(), 0);
  EXPECT_EQ(projector_.calls, 0);
  EXPECT_THAT(Objects(), IsEmpty());
}

TEST_F(DerivedStixTest, AFailingProjectorWritesNothingAndLeavesTheEventStale) {
  Write("e1", {"evil.example"});
  TestProjector failing;
  failing.fail_at_call = 2;  // the summary, after the value's object was made
  auto failed = store_->RefreshDerivedStix(failing, kNow, 0);
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().message(), ::testing::HasSubstr("projector broke"));
  EXPECT_THAT(Objects(), IsEmpty());
  EXPECT_EQ(Refresh(), 1);  // still stale: the next refresh does it
  EXPECT_EQ(Objects().size(), 2u);
}

TEST_F(DerivedStixTest, AnEventOverTheLinkLimitWaitsForACallWithoutOne) {
  Write("big", {"a.example", "b.example", "c.example"});
  Write("small", {"d.example"});
  EXPECT_EQ(Refresh(/*max_event_links=*/2), 1);
  EXPECT_THAT(Versions(), ::testing::ElementsAre(::testing::Key("x-summary--small"),
                                                 ::testing::Key("x-value--d.example")));
  EXPECT_EQ(Refresh(/*max_event_links=*/2), 0);  // still too big, still waiting
  EXPECT_EQ(Refresh(), 1);
  EXPECT_EQ(Versions().size(), 6u);
}

TEST_F(DerivedStixTest, ABigEventInterruptedPartWayIsFinishedNotRedone) {
  // More links than one transaction's worth of objects and one read's chunk.
  std::vector<std::string> values;
  for (int i = 0; i < 20000; ++i) values.push_back("v" + std::to_string(i) + ".example");
  Write("big", values);
  TestProjector failing;
  failing.fail_at_call = 19000;
  ASSERT_FALSE(store_->RefreshDerivedStix(failing, kNow, 0).ok());
  std::vector<StoredStixObject> kept = Objects();
  ASSERT_FALSE(kept.empty());  // what was committed stays
  ASSERT_LT(kept.size(), values.size());
  const int64_t first_seq = kept.front().seq;

  EXPECT_EQ(Refresh(), 1);  // the event kept its stale mark
  auto versions = Versions();
  EXPECT_EQ(versions.size(), values.size() + 1);
  for (const auto& [id, modified] : versions) EXPECT_EQ(modified.size(), 1u) << id;
  EXPECT_EQ(Objects().front().seq, first_seq);  // kept, not written again
  EXPECT_EQ(Refresh(), 0);
}

TEST_F(DerivedStixTest, DeletingTheEventDeletesItsObjects) {
  const int64_t event_id = Write("e1", {"evil.example"});
  ASSERT_EQ(Refresh(), 1);
  ASSERT_TRUE(store_->DeleteEvent(event_id).ok());
  EXPECT_THAT(Objects(), IsEmpty());
}

TEST_F(DerivedStixTest, AnIdAnotherEventAlreadyHoldsIsNoError) {
  Write("e1", {"evil.example"});
  Write("e2", {"evil.example", "bad.example"});
  EXPECT_EQ(Refresh(), 2);
  std::vector<std::string> ids;
  for (const StoredStixObject& object : Objects()) ids.push_back(object.id);
  // The test projector names values by value, so two events share an id;
  // the (id, modified) key stores the shared version once, under e1.
  EXPECT_THAT(ids, UnorderedElementsAre("x-value--evil.example", "x-summary--e1", "x-value--bad.example",
                                        "x-summary--e2"));
}

}  // namespace
}  // namespace accord
