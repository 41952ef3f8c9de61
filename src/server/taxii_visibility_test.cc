// TLP over TAXII: what one organisation stored is visible to another only
// as core/policy.h allows, on every read path (objects, object, versions,
// manifest), and an invisible object is as unknown as a missing one.
#include <set>

#include "core/tlp.h"
#include "server/taxii_testing.h"

namespace accord {
namespace {

using nlohmann::json;
using testing::CollectionPath;
using testing::StixId;

class TaxiiVisibilityTest : public testing::TaxiiTestBase {
 protected:
  void SetUp() override {
    TaxiiTestBase::SetUp();
    node_.Start();
  }

  // Stores one malware object owned by `owner` under an event at `tlp`
  // naming `recipients`, as a STIX import would (events made over REST or
  // from MISP are in taxii_derived_test.cc).
  void Seed(const std::string& name, Tlp tlp, int64_t owner,
            const std::vector<int64_t>& recipients = {}) {
    auto batch = node_.store().BeginImport();
    ASSERT_TRUE(batch.ok());
    EventRecord event;
    event.uuid = UuidV5(kAccordUuidNamespace, "taxii-test-event:" + name);
    event.title = name;
    event.source = "stix:taxii-visibility-test";
    event.created = event.modified = "2024-01-01T00:00:00.000Z";
    auto event_id = (*batch)->UpsertEvent(event, tlp, owner, recipients);
    ASSERT_TRUE(event_id.ok()) << event_id.status().ToString();
    StixObjectRecord object;
    object.id = StixId("malware", name);
    object.type = "malware";
    object.spec_version = "2.1";
    object.created = object.modified = "2024-01-01T00:00:00.000Z";
    object.json = testing::Malware(name, object.modified).dump();
    ASSERT_TRUE((*batch)->PutStixObject(object, *event_id, tlp, owner).ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }

  std::string Alias(Tlp tlp) {
    std::string alias = "tlp-" + std::string(TlpName(tlp));
    std::replace(alias.begin(), alias.end(), '+', '-');
    return alias;
  }

  // Whether `key` sees `name` on each read path of its level's collection;
  // the paths must agree, or the test says which one leaks.
  bool Sees(const std::string& key, const std::string& name, Tlp tlp) {
    const std::string collection = CollectionPath(Alias(tlp));
    const std::string id = StixId("malware", name);
    auto listed = [&](const std::string& path) {
      json resource = TaxiiJson(collection + path, key);
      for (const auto& object : resource.value("objects", json::array())) {
        if (object["id"] == id) return true;
      }
      return false;
    };
    const bool in_objects = listed("objects/");
    const bool in_manifest = listed("manifest/");
    const int object_status = TaxiiGet(collection + "objects/" + id + "/", key).status;
    const int versions_status = TaxiiGet(collection + "objects/" + id + "/versions/", key).status;
    EXPECT_EQ(in_manifest, in_objects) << name;
    EXPECT_EQ(object_status, in_objects ? 200 : 404) << name;
    EXPECT_EQ(versions_status, in_objects ? 200 : 404) << name;
    return in_objects;
  }
};

TEST_F(TaxiiVisibilityTest, AmberIsForTheOwnerAndTheOrganisationsItNames) {
  Seed("amber-named", Tlp::kAmber, org_a_, {org_b_});
  Seed("amber-unnamed", Tlp::kAmber, org_a_);
  EXPECT_TRUE(Sees(analyst_a_, "amber-named", Tlp::kAmber));
  EXPECT_TRUE(Sees(analyst_b_, "amber-named", Tlp::kAmber));
  EXPECT_TRUE(Sees(reader_b_, "amber-named", Tlp::kAmber));
  EXPECT_FALSE(Sees(analyst_c_, "amber-named", Tlp::kAmber));
  EXPECT_TRUE(Sees(analyst_a_, "amber-unnamed", Tlp::kAmber));
  EXPECT_FALSE(Sees(analyst_b_, "amber-unnamed", Tlp::kAmber));
}

TEST_F(TaxiiVisibilityTest, AmberStrictStaysWithTheOwnerEvenWhenOthersAreNamed) {
  Seed("strict", Tlp::kAmberStrict, org_a_, {org_b_});
  EXPECT_TRUE(Sees(analyst_a_, "strict", Tlp::kAmberStrict));
  EXPECT_FALSE(Sees(analyst_b_, "strict", Tlp::kAmberStrict));
}

TEST_F(TaxiiVisibilityTest, RedReachesOnlyNamedRecipients) {
  Seed("red", Tlp::kRed, org_a_, {org_b_});
  EXPECT_TRUE(Sees(analyst_a_, "red", Tlp::kRed));
  EXPECT_TRUE(Sees(analyst_b_, "red", Tlp::kRed));
  EXPECT_FALSE(Sees(analyst_c_, "red", Tlp::kRed));
}

// An object that came unmarked is held at its event's level: above AMBER a
// stock client would read it at its own default, so every read path serves
// it with its level's marking (as `accord export` writes it); at GREEN and
// below it is served as it came.
TEST_F(TaxiiVisibilityTest, AnUnmarkedObjectHeldAboveAmberIsServedWithItsLevelsMarking) {
  Seed("unmarked-red", Tlp::kRed, org_a_);
  Seed("unmarked-strict", Tlp::kAmberStrict, org_a_);
  Seed("unmarked-green", Tlp::kGreen, org_a_);
  for (const auto& [name, tlp] : std::vector<std::pair<std::string, Tlp>>{
           {"unmarked-red", Tlp::kRed}, {"unmarked-strict", Tlp::kAmberStrict}, {"unmarked-green", Tlp::kGreen}}) {
    const std::string collection = CollectionPath(Alias(tlp));
    const std::string id = StixId("malware", name);
    const json expected = tlp > Tlp::kAmber ? json::array({std::string(TlpStixMarkingId(tlp))}) : json();
    json listed = TaxiiJson(collection + "objects/?match[id]=" + id, analyst_a_);
    ASSERT_EQ(listed["objects"].size(), 1u) << name;
    EXPECT_EQ(listed["objects"][0].value("object_marking_refs", json()), expected) << name;
    json single = TaxiiJson(collection + "objects/" + id + "/", analyst_a_);
    ASSERT_EQ(single["objects"].size(), 1u) << name;
    EXPECT_EQ(single["objects"][0].value("object_marking_refs", json()), expected) << name;
    EXPECT_EQ(single["objects"][0]["name"], name);
  }
}

TEST_F(TaxiiVisibilityTest, ClearAndGreenReachEveryMember) {
  Seed("clear", Tlp::kClear, org_a_);
  Seed("green", Tlp::kGreen, org_a_);
  for (const std::string& key : {analyst_b_, reader_b_, contributor_b_, analyst_c_}) {
    EXPECT_TRUE(Sees(key, "clear", Tlp::kClear));
    EXPECT_TRUE(Sees(key, "green", Tlp::kGreen));
  }
}

TEST_F(TaxiiVisibilityTest, AContributorReadsOthersOnlyUpToGreenButAllOfItsOwn) {
  Seed("amber-for-b", Tlp::kAmber, org_a_, {org_b_});
  Seed("own-amber", Tlp::kAmber, org_b_);
  Seed("own-red", Tlp::kRed, org_b_);
  EXPECT_FALSE(Sees(contributor_b_, "amber-for-b", Tlp::kAmber));
  EXPECT_TRUE(Sees(contributor_b_, "own-amber", Tlp::kAmber));
  EXPECT_TRUE(Sees(contributor_b_, "own-red", Tlp::kRed));
  EXPECT_TRUE(Sees(analyst_b_, "amber-for-b", Tlp::kAmber));
}

// Pages over a collection where most objects are invisible: full pages of
// what the reader may see, no gaps, no duplicates.
TEST_F(TaxiiVisibilityTest, PagesSkipInvisibleObjectsWithoutGaps) {
  // The marking definition comes with the first object B may read.
  std::vector<std::string> expected = {MarkingOf(Tlp::kAmber)};
  for (int object_idx = 0; object_idx < 30; ++object_idx) {
    const std::string name = "mixed-" + std::to_string(object_idx);
    const bool for_b = object_idx % 3 == 0;
    Seed(name, Tlp::kAmber, org_a_, for_b ? std::vector<int64_t>{org_b_} : std::vector<int64_t>{});
    if (for_b) expected.push_back(StixId("malware", name));
  }
  std::vector<std::string> seen;
  std::string next;
  for (int page = 0; page < 10; ++page) {
    json envelope = TaxiiJson(CollectionPath("tlp-amber") + "objects/?limit=4" +
                                  (next.empty() ? "" : "&next=" + next),
                              analyst_b_);
    std::vector<std::string> ids = Ids(envelope);
    seen.insert(seen.end(), ids.begin(), ids.end());
    if (!envelope["more"].get<bool>()) break;
    EXPECT_EQ(ids.size(), 4u);
    next = envelope["next"];
  }
  EXPECT_EQ(seen, expected);
}

TEST_F(TaxiiVisibilityTest, AnotherOrganisationsObjectIsNotFoundInAnyCollection) {
  Seed("strict-elsewhere", Tlp::kAmberStrict, org_a_);
  const std::string id = StixId("malware", "strict-elsewhere");
  // The object lives in tlp-amber-strict; in another collection it is
  // unknown even to its owner.
  EXPECT_EQ(TaxiiGet(CollectionPath("tlp-green") + "objects/" + id + "/", analyst_a_).status, 404);
  EXPECT_EQ(TaxiiGet(CollectionPath("tlp-amber-strict") + "objects/" + id + "/", analyst_a_).status,
            200);
}

}  // namespace
}  // namespace accord
