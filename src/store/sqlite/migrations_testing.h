// The fixture of the migration and query-plan tests (migrations_test.cc,
// migrations_upgrade_test.cc, *_sql_test.cc): a node's database file in a
// temporary directory, opened raw to seed or inspect what a schema version
// held, and the plan SQLite chooses for a statement.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "testing/testing.h"

namespace accord::sqlite {

// EXPLAIN QUERY PLAN's details of `sql`, one line each.
inline std::vector<std::string> PlanOf(Connection& connection, const std::string& sql) {
  std::vector<std::string> details;
  auto plan = connection.Prepare("EXPLAIN QUERY PLAN " + sql, "plan");
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  if (!plan.ok()) return details;
  while (true) {
    auto row = (*plan)->Step();
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    if (!row.ok() || !*row) break;
    details.push_back((*plan)->Text(3));
  }
  return details;
}

class MigrationsTest : public ::testing::Test {
 protected:
  std::string DbPath() const { return dir_.Join("accord.db"); }

  std::unique_ptr<Connection> Raw() {
    auto connection = Connection::Open(DbPath(), false);
    EXPECT_TRUE(connection.ok()) << connection.status().ToString();
    return connection.ok() ? std::move(connection).value() : nullptr;
  }

  int64_t Count(Connection& connection, const std::string& sql) {
    auto count = connection.QueryInt(sql, "test query");
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }

  std::string Text(Connection& connection, const std::string& sql) {
    auto value = connection.QueryText(sql, "test query");
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() ? *value : std::string("?");
  }

  accord::testing::TempDir dir_;
};

}  // namespace accord::sqlite
