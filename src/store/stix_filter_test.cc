// The TAXII filters of ForEachStixObject: TLP levels, spec versions,
// first/last/exact versions, and the visibility prefilter, which must agree
// with MayRead for every role, level and relation to the object.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto.h"
#include "store/store.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::ElementsAre;

class StixFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    for (const char* name : {"A", "B", "C"}) {
      Organisation org;
      org.uuid = UuidV4();
      org.name = name;
      org.created = "2024-01-01T00:00:00.000Z";
      auto created = store_->CreateOrganisation(org);
      ASSERT_TRUE(created.ok());
      orgs_.push_back(created->id);
    }
  }

  // Stores one object version under its own event (with `recipients`).
  void Put(const std::string& id, const std::string& modified, Tlp tlp, int64_t owner,
           const std::vector<int64_t>& recipients = {}) {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    EventRecord event;
    event.uuid = UuidV5(kAccordUuidNamespace, id + modified);
    event.title = id;
    auto event_id = (*batch)->UpsertEvent(event, tlp, owner, recipients);
    ASSERT_TRUE(event_id.ok());
    StixObjectRecord object;
    object.id = id;
    object.type = id.substr(0, id.find("--"));
    object.spec_version = "2.1";
    object.created = "2024-01-01T00:00:00.000Z";
    object.modified = modified;
    object.json = "{}";
    auto put = (*batch)->PutStixObject(object, *event_id, tlp, owner);
    ASSERT_TRUE(put.ok() && *put);
    ASSERT_TRUE((*batch)->Commit().ok());
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

  std::vector<std::string> Modified(const StixObjectFilter& filter) {
    std::vector<std::string> versions;
    for (const auto& object : List(filter)) versions.push_back(object.modified);
    return versions;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<int64_t> orgs_;
};

TEST_F(StixFilterTest, VersionSelectionPicksFirstLastAndExactPerTlpLevel) {
  Put("malware--1", "2024-01-01T00:00:00.000Z", Tlp::kGreen, orgs_[0]);
  Put("malware--1", "2024-02-01T00:00:00.000Z", Tlp::kGreen, orgs_[0]);
  Put("malware--1", "2024-03-01T00:00:00.000Z", Tlp::kAmber, orgs_[0]);
  StixObjectFilter filter;
  filter.versions.last = true;
  // The AMBER version is the last at its level; the GREEN level has its own.
  EXPECT_THAT(Modified(filter), ElementsAre("2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"));
  filter.tlps = {Tlp::kGreen};
  EXPECT_THAT(Modified(filter), ElementsAre("2024-02-01T00:00:00.000Z"));
  filter.versions = {};
  filter.versions.first = true;
  EXPECT_THAT(Modified(filter), ElementsAre("2024-01-01T00:00:00.000Z"));
  filter.versions = {};
  filter.versions.exact = {"2024-02-01T00:00:00Z"};
  EXPECT_THAT(Modified(filter), ElementsAre("2024-02-01T00:00:00.000Z"));
  filter.versions = {};
  EXPECT_EQ(Modified(filter).size(), 2u) << "no selection is every version";
}

// Producers write timestamps with different precision; as text "." sorts
// before "Z", so "...:00Z" came after "...:00.500Z" and the older version
// was served as the last.
TEST_F(StixFilterTest, VersionsCompareAsTimesWhateverTheirPrecision) {
  Put("malware--1", "2026-03-01T10:00:00Z", Tlp::kGreen, orgs_[0]);
  Put("malware--1", "2026-03-01T10:00:00.5Z", Tlp::kGreen, orgs_[0]);
  Put("malware--2", "2026-03-01T10:00:00.25Z", Tlp::kGreen, orgs_[0]);
  Put("malware--2", "2026-03-01T10:00:00.1Z", Tlp::kGreen, orgs_[0]);
  StixObjectFilter filter;
  filter.versions.last = true;
  EXPECT_THAT(Modified(filter), ElementsAre("2026-03-01T10:00:00.5Z", "2026-03-01T10:00:00.25Z"));
  filter.versions = {};
  filter.versions.first = true;
  EXPECT_THAT(Modified(filter), ElementsAre("2026-03-01T10:00:00Z", "2026-03-01T10:00:00.1Z"));
  // Any spelling of a version finds it however the object spells it.
  filter.versions = {};
  filter.versions.exact = {"2026-03-01T10:00:00.100Z", "2026-03-01T10:00:00.500000Z"};
  EXPECT_THAT(Modified(filter), ElementsAre("2026-03-01T10:00:00.5Z", "2026-03-01T10:00:00.1Z"));
}

TEST_F(StixFilterTest, ABadExactVersionIsAnInvalidArgument) {
  StixObjectFilter filter;
  filter.versions.exact = {"yesterday"};
  Status status = store_->ForEachStixObject(filter, [](const StoredStixObject&) { return Status::Ok(); });
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
}

TEST_F(StixFilterTest, SpecVersionsAndTlpLevelsFilter) {
  Put("malware--1", "2024-01-01T00:00:00.000Z", Tlp::kGreen, orgs_[0]);
  Put("malware--2", "2024-01-01T00:00:00.000Z", Tlp::kRed, orgs_[0]);
  StixObjectFilter filter;
  filter.spec_versions = {"2.0"};
  EXPECT_TRUE(List(filter).empty());
  filter.spec_versions = {"2.1"};
  EXPECT_EQ(List(filter).size(), 2u);
  filter.tlps = {Tlp::kRed, Tlp::kClear};
  auto red = List(filter);
  ASSERT_EQ(red.size(), 1u);
  EXPECT_EQ(red[0].id, "malware--2");
}

TEST_F(StixFilterTest, AfterSeqAndLimitPage) {
  for (int object_idx = 1; object_idx <= 5; ++object_idx) {
    Put("malware--" + std::to_string(object_idx), "2024-01-01T00:00:00.000Z", Tlp::kGreen, orgs_[0]);
  }
  StixObjectFilter filter;
  filter.limit = 2;
  auto first = List(filter);
  ASSERT_EQ(first.size(), 2u);
  filter.after_seq = first.back().seq;
  auto second = List(filter);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].id, "malware--3");
  filter.added_after = second[0].date_added;  // exclusive, and the later cursor wins
  EXPECT_EQ(List(filter)[0].id, "malware--4");
}

// added_after is answered by a binary search over seq, so it must give the
// objects added strictly later for every boundary, including times between
// objects, before the first and after the last, and across deleted rows.
TEST_F(StixFilterTest, AddedAfterGivesExactlyTheLaterObjectsAcrossGapsInSeq) {
  for (int object_idx = 1; object_idx <= 9; ++object_idx) {
    Put("malware--" + std::to_string(object_idx), "2024-01-01T00:00:00.000Z", Tlp::kGreen, orgs_[0]);
  }
  // Deleting events 3, 4 and 8 leaves holes in seq.
  for (const StoredStixObject& object : List({})) {
    if (object.id == "malware--3" || object.id == "malware--4" || object.id == "malware--8") {
      ASSERT_TRUE(store_->DeleteEvent(object.event_id).ok());
    }
  }
  const std::vector<StoredStixObject> all = List({});
  ASSERT_EQ(all.size(), 6u);
  auto ids_added_after = [&](const std::string& time) {
    StixObjectFilter filter;
    filter.added_after = time;
    std::vector<std::string> ids;
    for (const StoredStixObject& object : List(filter)) ids.push_back(object.id);
    return ids;
  };
  for (size_t boundary = 0; boundary < all.size(); ++boundary) {
    std::vector<std::string> expected;
    for (size_t later = boundary + 1; later < all.size(); ++later) expected.push_back(all[later].id);
    EXPECT_EQ(ids_added_after(all[boundary].date_added), expected) << all[boundary].date_added;
  }
  EXPECT_EQ(ids_added_after("2000-01-01T00:00:00Z").size(), all.size());
  EXPECT_TRUE(ids_added_after("2999-01-01T00:00:00Z").empty());
}

// The prefilter is an optimisation of MayRead, so it must return exactly
// the rows MayRead allows, for every role, level and relation.
TEST_F(StixFilterTest, ReadablePrefilterAgreesWithMayReadEverywhere) {
  int serial = 0;
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    // Owned by A; naming B; naming nobody.
    Put("malware--" + std::to_string(++serial), "2024-01-01T00:00:00.000Z", tlp, orgs_[0], {orgs_[1]});
    Put("malware--" + std::to_string(++serial), "2024-01-01T00:00:00.000Z", tlp, orgs_[0]);
  }
  std::vector<StoredStixObject> all = List({});
  ASSERT_EQ(all.size(), 10u);
  for (Role role : {Role::kAdmin, Role::kAnalyst, Role::kContributor, Role::kReader, Role::kPoc}) {
    for (int64_t org : orgs_) {
      Principal who{org, role};
      std::vector<std::string> expected;
      for (const StoredStixObject& object : all) {
        auto recipients = store_->ListEventRecipients(object.event_id);
        ASSERT_TRUE(recipients.ok());
        if (MayRead(who, Visibility{object.tlp, object.owner_org_id, *recipients})) {
          expected.push_back(object.id);
        }
      }
      StixObjectFilter filter;
      filter.readable_by = who;
      std::vector<std::string> got;
      for (const auto& object : List(filter)) got.push_back(object.id);
      EXPECT_EQ(got, expected) << RoleName(role) << " of org " << org;
    }
  }
}

TEST_F(StixFilterTest, EventRecipientsComeInIdOrder) {
  Put("malware--1", "2024-01-01T00:00:00.000Z", Tlp::kRed, orgs_[0], {orgs_[2], orgs_[1]});
  auto object = List({});
  ASSERT_EQ(object.size(), 1u);
  auto recipients = store_->ListEventRecipients(object[0].event_id);
  ASSERT_TRUE(recipients.ok());
  EXPECT_THAT(*recipients, ElementsAre(orgs_[1], orgs_[2]));
  auto none = store_->ListEventRecipients(987654);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(StixFilterTest, TaxiiStatusesRoundTripAndIdsAreUnique) {
  ASSERT_TRUE(store_->PutTaxiiStatus("s-1", orgs_[0], "2024-01-01T00:00:00.000Z", "{\"id\":\"s-1\"}").ok());
  auto row = store_->GetTaxiiStatus("s-1");
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->org_id, orgs_[0]);
  EXPECT_EQ((*row)->resource_json, "{\"id\":\"s-1\"}");
  EXPECT_EQ(store_->PutTaxiiStatus("s-1", orgs_[0], "x", "{}").code(), Status::Code::kAlreadyExists);
  auto missing = store_->GetTaxiiStatus("s-2");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

}  // namespace
}  // namespace accord
