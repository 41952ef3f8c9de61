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

// A node upgraded from version 30 keys the families of the alerts it holds
// as new alerts are keyed (AlertFamiliesKey), so the family filter finds
// old and new alike; damaged or family-less JSON keys nothing.
TEST_F(AlertSqlTest, UpgradeKeysTheFamiliesOfHeldAlertsAsNewAlertsAreKeyed) {
  const std::vector<std::string> held = {
      R"({"families":["RedLine","lumma"]})", R"({"families":[]})", R"({"families":"lumma"})",
      R"({"families":[3,"vidar",""]})", R"({"families":["lum)", R"({"other":1})"};
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/30);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO observables(id, type, value, created) VALUES"
                          " (1, 1, '192.0.2.1', '2026-01-01T00:00:00Z')",
                          "test observable")
                    .ok());
    for (size_t i = 0; i < held.size(); ++i) {
      auto insert = raw->Prepare(
          "INSERT INTO alerts(uuid, created, observable_id, tlp, first_seen, last_seen, json)"
          " VALUES (?1, '2026-01-01T00:00:00Z', 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?2)",
          "test alert");
      ASSERT_TRUE(insert.ok()) << insert.status().ToString();
      (*insert)->Bind(1, "held-" + std::to_string(i));
      (*insert)->Bind(2, held[i]);
      ASSERT_TRUE((*insert)->Run().ok());
    }
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  for (size_t i = 0; i < held.size(); ++i) {
    EXPECT_EQ(Text(*raw, "SELECT families FROM alerts WHERE uuid = 'held-" + std::to_string(i) + "'"),
              AlertFamiliesKey(held[i]))
        << held[i];
  }
  EXPECT_EQ(AlertFamiliesKey(held[0]), "\x1fRedLine\x1flumma\x1f");
  AlertFilter filter;
  filter.family = "redline";
  std::vector<std::string> found;
  ASSERT_TRUE((*store)->ForEachAlert(filter, [&](const AlertRow& row) {
    found.push_back(row.uuid);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(found, std::vector<std::string>{"held-0"});
}

}  // namespace
}  // namespace accord::sqlite
