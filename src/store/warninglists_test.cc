// Loading and removing warning lists through the Store interface: the list,
// the observables' marks and the audit record change in one transaction.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store_testing.h"

namespace accord {
namespace {

using ::testing::UnorderedElementsAre;
using testing::StoreTest;

TEST_F(StoreTest, ReplacingAWarningListRemarksObservablesAndAudits) {
  auto batch = Begin();
  int64_t event_id = AddEvent(*batch, "e1");
  ASSERT_TRUE(batch->Link(event_id, ip_, Context(), "").ok());
  ASSERT_TRUE(batch->Link(event_id, {ObservableType::kIpv4, "1.1.1.1"}, Context(), "old").ok());
  ASSERT_TRUE(batch->Commit().ok());
  WarningListRecord list;
  list.name = "resolvers";
  list.type = "cidr";
  list.entries = {"192.0.2.1/32"};
  std::vector<std::string> seen_marks;
  auto changes = store_->ReplaceWarningList(
      list,
      [&](const Observable& observable, const std::string& current) {
        seen_marks.push_back(observable.value + "=" + current);
        return observable.value == ip_.value ? std::string("resolvers") : std::string();
      },
      [](const Store::WarningListChanges& c) {
        AuditEntry audit;
        audit.actor = "test";
        audit.action = "warninglist.add";
        audit.detail = std::to_string(c.flagged) + "/" + std::to_string(c.cleared);
        return audit;
      });
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  EXPECT_EQ(changes->flagged, 1);
  EXPECT_EQ(changes->cleared, 1);
  EXPECT_THAT(seen_marks, UnorderedElementsAre("192.0.2.1=", "1.1.1.1=old"));
  auto info = store_->LookupObservable(ip_);
  ASSERT_TRUE(info.ok() && info->has_value());
  EXPECT_EQ((*info)->warninglist, "resolvers");
  auto lists = store_->LoadWarningLists();
  ASSERT_TRUE(lists.ok());
  ASSERT_EQ(lists->size(), 1u);
  EXPECT_EQ((*lists)[0].entries, list.entries);
  std::string last_detail;
  ASSERT_TRUE(store_->ForEachAudit([&](const AuditEntry& e) {
                      last_detail = e.detail;
                      return Status::Ok();
                    }).ok());
  EXPECT_EQ(last_detail, "1/1");
}

TEST_F(StoreTest, FailedWarningListLoadChangesNothing) {
  auto batch = Begin();
  int64_t event_id = AddEvent(*batch, "e1");
  ASSERT_TRUE(batch->Link(event_id, ip_, Context(), "").ok());
  ASSERT_TRUE(batch->Commit().ok());
  WarningListRecord list;
  list.name = "resolvers";
  list.entries = {"192.0.2.1"};
  // An audit record without an action is refused, after the list and the
  // marks were written: the transaction must take them back.
  auto changes = store_->ReplaceWarningList(
      list, [](const Observable&, const std::string&) { return std::string("resolvers"); },
      [](const Store::WarningListChanges&) { return AuditEntry{}; });
  EXPECT_FALSE(changes.ok());
  auto lists = store_->LoadWarningLists();
  ASSERT_TRUE(lists.ok());
  EXPECT_TRUE(lists->empty());
  auto info = store_->LookupObservable(ip_);
  ASSERT_TRUE(info.ok() && info->has_value());
  EXPECT_EQ((*info)->warninglist, "");
  auto generation = store_->WarningListGeneration();
  ASSERT_TRUE(generation.ok());
  EXPECT_EQ(*generation, 0) << "a load that was rolled back counts as no change";
}

TEST_F(StoreTest, WarningListGenerationChangesWithEveryLoadAndRemovalOnly) {
  auto Generation = [&] {
    auto generation = store_->WarningListGeneration();
    EXPECT_TRUE(generation.ok()) << generation.status().ToString();
    return generation.ok() ? *generation : -1;
  };
  auto no_marks = [](const Observable&, const std::string&) { return std::string(); };
  auto audit = [](const Store::WarningListChanges&) {
    AuditEntry entry;
    entry.actor = "test";
    entry.action = "warninglist.add";
    return entry;
  };
  EXPECT_EQ(Generation(), 0);
  WarningListRecord list;
  list.name = "resolvers";
  list.entries = {"192.0.2.1"};
  ASSERT_TRUE(store_->ReplaceWarningList(list, no_marks, audit).ok());
  const int64_t after_load = Generation();
  EXPECT_NE(after_load, 0);
  ASSERT_TRUE(store_->LoadWarningLists().ok());
  auto batch = Begin();
  AddEvent(*batch, "e1");
  ASSERT_TRUE(batch->Commit().ok());
  EXPECT_EQ(Generation(), after_load) << "reads and imports leave it alone";
  // The same list again with other entries: a matcher built before is stale.
  list.entries = {"192.0.2.2"};
  ASSERT_TRUE(store_->ReplaceWarningList(list, no_marks, audit).ok());
  const int64_t after_reload = Generation();
  EXPECT_NE(after_reload, after_load);
  ASSERT_TRUE(store_->RemoveWarningList("resolvers", no_marks, audit).ok());
  EXPECT_NE(Generation(), after_reload);
  EXPECT_NE(Generation(), after_load);
  EXPECT_FALSE(store_->RemoveWarningList("resolvers", no_marks, audit).ok());
}

}  // namespace
}  // namespace accord
