// The alert feed's statements and the index that serves them (migration
// 30). A feed read through the wrong index returns the same rows, only
// sorted anew on every poll, so the plan itself is what is checked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite/migrations_testing.h"
#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

using AlertSqlTest = MigrationsTest;  // a node's database file, opened raw too

// Newest observed first, from the top or below a cursor's key, and the page
// before (oldest observed first above a key): each walks alerts_by_last_seen
// in its direction, with no sort of the whole table.
TEST_F(AlertSqlTest, ObservedOrderWalksTheLastSeenIndexWithoutSorting) {
  auto store = SqliteStore::Open(DbPath(), true, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  for (bool ascending : {false, true}) {
    for (const std::string key : {"", "2026-01-01T00:00:00Z"}) {
      AlertFilter filter;
      filter.by_observed = true;
      filter.observed_ascending = ascending;
      filter.last_seen_key = key;
      const std::string plan = Joined(PlanOf(*raw, AlertListSql(filter)));
      EXPECT_NE(plan.find("alerts_by_last_seen"), std::string::npos) << plan;
      EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
    }
  }
}

// A node upgraded from version 29 gets the index over the alerts it holds.
TEST_F(AlertSqlTest, UpgradeIndexesHeldAlertsByLastSeen) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/29);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'alerts_by_last_seen'"), 0);
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM pragma_index_info('alerts_by_last_seen')"), 2);
}

}  // namespace
}  // namespace accord::sqlite
