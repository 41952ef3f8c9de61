// The SQLite schema as numbered migrations, compiled into the binary.
//
// A migration is never edited once released: a change to the schema is a new
// migration with the next number. Each runs in its own transaction together
// with its row in schema_migrations, so a crash leaves the database at one
// version or the next, never between.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/status.h"
#include "store/sqlite/connection.h"

namespace accord::sqlite {

struct Migration {
  int64_t version;
  std::string_view name;
  std::string_view sql;
};

// Every migration, in version order.
std::span<const Migration> AllMigrations();
int64_t LatestSchemaVersion();

// Applies the migrations the database lacks, in order, up to and including
// `up_to_version` (LatestSchemaVersion() in production; tests stop earlier to
// build a database as an older binary left it). A database whose version is
// newer than this binary knows is refused (kFailedPrecondition).
Status ApplyMigrations(Connection& connection, int64_t up_to_version);

// The highest applied version; 0 for an empty database.
Result<int64_t> AppliedSchemaVersion(Connection& connection);

}  // namespace accord::sqlite
