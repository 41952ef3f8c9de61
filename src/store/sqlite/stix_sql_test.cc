// Query plans of the STIX object reads. A correlated subquery that walks the
// wrong index returns the same rows, only slower with every object stored,
// so the plan itself is what is checked.
#include "store/sqlite/stix_sql.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite/migrations_testing.h"
#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

using StixSqlTest = MigrationsTest;  // a node's database file, opened raw too

// A collection page asks for each object's last (or first) version at its
// level: the other versions of the same object are found by its id, not by
// walking every object of the level for each row (17 s for a page of 1000
// on a level of 74k objects).
TEST_F(StixSqlTest, AnObjectsOtherVersionsAreFoundByItsIdNotByItsLevel) {
  auto store = SqliteStore::Open(DbPath(), true, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  for (bool last : {true, false}) {
    StixVersionSelection versions;
    versions.last = last;
    versions.first = !last;
    std::vector<StixSqlParam> params;
    auto version_sql = StixVersionSql(versions, params);
    ASSERT_TRUE(version_sql.ok()) << version_sql.status().ToString();
    const std::vector<std::string> plan =
        PlanOf(*raw, "SELECT s.seq FROM stix_objects s WHERE s.seq > 0 AND s.tlp IN (1)" + *version_sql +
                         " ORDER BY s.seq LIMIT 1000");
    bool by_id = false;
    for (const std::string& step : plan) {
      EXPECT_EQ(step.find("SEARCH o USING INDEX stix_objects_by_tlp"), std::string::npos) << step;
      if (step.find("SEARCH o USING INDEX sqlite_autoindex_stix_objects_1 (id=?") != std::string::npos) {
        by_id = true;
      }
    }
    EXPECT_TRUE(by_id) << (last ? "last" : "first") << ": " << ::testing::PrintToString(plan);
  }
}

// An event's objects (the web UI's event page) are read through the event
// index, not by walking every object stored after the cursor.
TEST_F(StixSqlTest, AnEventsObjectsAreReadThroughTheEventIndex) {
  auto store = SqliteStore::Open(DbPath(), true, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  const std::vector<std::string> plan =
      PlanOf(*raw, "SELECT s.seq FROM stix_objects s WHERE s.seq > 0 AND s.derived = 0 AND s.event_id = 7"
                   " AND s.type IN ('malware') ORDER BY s.seq LIMIT 100");
  bool by_event = false;
  for (const std::string& step : plan) {
    if (step.find("USING INDEX stix_objects_by_event") != std::string::npos) by_event = true;
    EXPECT_EQ(step.find("TEMP B-TREE"), std::string::npos) << step;
  }
  EXPECT_TRUE(by_event) << ::testing::PrintToString(plan);
}

}  // namespace
}  // namespace accord::sqlite
