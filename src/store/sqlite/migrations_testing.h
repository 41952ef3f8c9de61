// The fixture of the migration tests (migrations_test.cc and
// migrations_upgrade_test.cc): a node's database file in a temporary
// directory, opened raw to seed or inspect what a schema version held.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/sqlite/connection.h"
#include "testing/testing.h"

namespace accord::sqlite {

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
