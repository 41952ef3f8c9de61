// Schema migrations and the connection settings of the SQLite store.
#include "store/sqlite/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "store/sqlite/migrations_testing.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/testing.h"

namespace accord::sqlite {
namespace {

using ::testing::HasSubstr;


TEST(MigrationListTest, VersionsAreConsecutiveFromOne) {
  int64_t expected = 1;
  for (const Migration& migration : AllMigrations()) {
    EXPECT_EQ(migration.version, expected++) << migration.name;
    EXPECT_FALSE(migration.sql.empty());
  }
  EXPECT_EQ(LatestSchemaVersion(), expected - 1);
  EXPECT_GE(LatestSchemaVersion(), 2);
}

TEST_F(MigrationsTest, FreshDatabaseGetsEveryMigrationRecorded) {
  auto store = SqliteStore::Open(DbPath(), true, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto version = (*store)->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, LatestSchemaVersion());

  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM schema_migrations WHERE applied_at = ''"), 0);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'links_by_observable'"),
            1);
  // Migration 10: the index covers the snapshot build's scan of indicator links.
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM pragma_index_info('links_by_observable')"), 3);
}

// A database left by a binary that knew only migration 1 is brought up to
// date when opened, keeping its data.
TEST_F(MigrationsTest, OlderDatabaseIsUpgradedOnOpen) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/1);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    auto version = (*old)->SchemaVersion();
    ASSERT_TRUE(version.ok());
    EXPECT_EQ(*version, 1);
    Organisation org;
    org.name = "CERT-A";
    ASSERT_TRUE((*old)->CreateOrganisation(org).ok());
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_by_modified'"),
              0);
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto version = (*store)->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, LatestSchemaVersion());
  auto org = (*store)->FindOrganisationByName("CERT-A");
  ASSERT_TRUE(org.ok());
  EXPECT_TRUE(org->has_value());
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_by_modified'"),
            1);
  // Migration 5 dropped what migration 1 created.
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'stix_objects_by_type'"),
            0);
  // The page size is fixed when the file is made: the upgraded node keeps
  // the 64 KiB pages it was created with.
  EXPECT_EQ(Count(*raw, "PRAGMA page_size"), 65536);
}

// A node made by an older binary has 4 KiB pages; opening it must neither
// fail nor try to change them (WAL databases cannot).
TEST_F(MigrationsTest, ExistingDatabaseKeepsItsPageSize) {
  {
    auto raw = Connection::Open(DbPath(), true);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE((*raw)->Exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;"
                             " CREATE TABLE unrelated(x)", "old node").ok());
  }
  auto store = SqliteStore::Open(DbPath(), true, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "PRAGMA page_size"), 4096);
}

TEST_F(MigrationsTest, NewerDatabaseIsRefused) {
  { ASSERT_TRUE(SqliteStore::Open(DbPath(), true, std::nullopt).ok()); }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO schema_migrations VALUES (999, 'future', 'x')", "test").ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("999"));
}

TEST_F(MigrationsTest, ConnectionUsesWalAndEnforcesForeignKeys) {
  auto store = SqliteStore::Open(DbPath(), true, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  // journal_mode is a property of the file, so a plain connection sees it.
  auto mode = raw->QueryText("PRAGMA journal_mode", "read journal mode");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, "wal");

  // foreign_keys is per connection: the store's own refuses a dangling link.
  auto batch = (*store)->BeginImport();
  ASSERT_TRUE(batch.ok());
  auto link = (*batch)->Link(12345, {ObservableType::kIpv4, "192.0.2.1"}, {}, "");
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(link.status().message(), HasSubstr("12345"));
}

TEST_F(MigrationsTest, PageCacheSizeIsCheckedAndBulkImportsGetALargerOne) {
  auto none = SqliteStore::Open(DbPath(), true, std::nullopt, false, /*cache_mib=*/0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(none.status().message(), HasSubstr(DbPath()));
  EXPECT_GT(kBulkImportCacheMib, StoreOptions{}.cache_mib);
  auto bulk = SqliteStore::Open(DbPath(), true, std::nullopt, false, kBulkImportCacheMib);
  ASSERT_TRUE(bulk.ok()) << bulk.status().ToString();
  auto batch = (*bulk)->BeginImport();
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE((*batch)->Commit().ok());
}

TEST_F(MigrationsTest, GarbageFileIsReportedNotCrashedOn) {
  testing::WriteFile(DbPath(), std::string(4096, 'x'));
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr(DbPath()));
}

}  // namespace
}  // namespace accord::sqlite

namespace accord::sqlite {
namespace {

// Migration 11: a node upgraded from version 10 publishes over TAXII the
// events it already had that did not come as STIX, and only those.
TEST_F(MigrationsTest, UpgradeMarksEveryNonStixEventForTaxii) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/10);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO events(uuid, tlp, created, modified, source) VALUES"
                          " ('m', 1, '2024-01-01', '2024-01-01', 'misp:event.json'),"
                          " ('s', 1, '2024-01-01', '2024-01-01', 'stix:bundle.json'),"
                          " ('u', 1, '2024-01-01', '2024-01-01', NULL)",
                          "seed events")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM events WHERE stix_stale = 1 AND uuid IN ('m', 'u')"), 2);
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 's'"), 0);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_objects WHERE derived = 1"), 0);
}

// Migration 12: events published before context values became observables
// are redone, and a warning-list mark set later marks the events carrying it.
TEST_F(MigrationsTest, UpgradeRedoesEventsWithContextValuesAndWarningListMarksStaleThem) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/11);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO events(id, uuid, tlp, created, modified, source, stix_stale) VALUES"
                          " (1, 'context', 1, '2024-01-01', '2024-01-01', 'misp:e.json', 0),"
                          " (2, 'plain', 1, '2024-01-01', '2024-01-01', 'misp:e.json', 0),"
                          " (3, 'stix', 1, '2024-01-01', '2024-01-01', 'stix:b.json', 0);"
                          "INSERT INTO observables(id, type, value, created) VALUES"
                          " (1, 1, '192.0.2.1', '2024-01-01'), (2, 1, '192.0.2.2', '2024-01-01');"
                          "INSERT INTO links(event_id, observable_id, is_indicator) VALUES"
                          " (1, 1, 0), (2, 2, 1), (3, 2, 1)",
                          "seed events")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, /*up_to_version=*/12);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 'context'"), 1);
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 'plain'"), 0);

  ASSERT_TRUE((*store)->SetObservableWarningList(2, "public-resolvers").ok());
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 'plain'"), 1);
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 'stix'"), 0);
}

// Migration 13: every event that did not come as STIX is published again.
TEST_F(MigrationsTest, UpgradeRepublishesEveryEventThatDidNotComeAsStix) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/12);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO events(id, uuid, tlp, created, modified, source, stix_stale) VALUES"
                          " (1, 'list', 1, '2024-01-01', '2024-01-01', 'list:feed.txt', 0),"
                          " (2, 'rest', 1, '2024-01-01', '2024-01-01', NULL, 0),"
                          " (3, 'stix', 1, '2024-01-01', '2024-01-01', 'stix:b.json', 0)",
                          "seed events")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM events WHERE stix_stale = 1 AND uuid IN ('list', 'rest')"), 2);
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 'stix'"), 0);
}

// Migration 14: derived objects made under version-5 ids are replaced.
// Events that did not come as STIX are marked stale, and refreshing one
// drops its objects under the old ids.
TEST_F(MigrationsTest, UpgradeRepublishesDerivedObjectsUnderVersion4Ids) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/13);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO events(id, uuid, tlp, created, modified, source, stix_stale) VALUES"
                          " (1, 'misp', 1, '2024-01-01', '2024-01-01', 'misp:e.json', 0),"
                          " (2, 'stix', 1, '2024-01-01', '2024-01-01', 'stix:b.json', 0)",
                          "seed events")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, /*up_to_version=*/14);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 'misp'"), 1);
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 'stix'"), 0);
}

// Migration 15: on a node made by schema 14, each group of stored objects
// (level, owner, event) gets its first object as anchor, and a copy placed
// after everything the node held, dated at the upgrade; afterwards the
// import batch and a trigger keep the anchors right as objects come and go.
TEST_F(MigrationsTest, UpgradeAnchorsTheGroupsANodeAlreadyHeld) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/14);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec(
                       "INSERT INTO organisations(id, uuid, name, created) VALUES"
                       " (1, 'u1', 'CERT-A', '2024-01-01'), (2, 'u2', 'CERT-B', '2024-01-01');"
                       "INSERT INTO events(id, uuid, tlp, owner_org_id, created, modified, source) VALUES"
                       " (1, 'e1', 1, 1, '2024-01-01', '2024-01-01', 'list:a.txt'),"
                       " (2, 'e2', 2, 2, '2024-01-01', '2024-01-01', 'stix:b.json');"
                       "INSERT INTO stix_objects(seq, id, type, modified, date_added, tlp, owner_org_id,"
                       " event_id, json, derived) VALUES"
                       " (1, 'indicator--1', 'indicator', 'm', '2024-01-01T00:00:01.000000Z', 1, 1, 1, '{}', 1),"
                       " (2, 'report--1', 'report', 'm', '2024-01-01T00:00:02.000000Z', 1, 1, 1, '{}', 1),"
                       " (3, 'malware--2', 'malware', 'm', '2024-01-01T00:00:03.000000Z', 2, 2, 2, '{}', 0)",
                       "seed objects")
                    .ok());
  }
  // Up to the latest: the import batch below prepares its statements for
  // the current schema (later migrations leave the anchors alone).
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto anchors = [&](Tlp tlp, bool upgrade) {
    std::vector<StixAnchor> found;
    StixAnchorFilter filter;
    filter.tlp = tlp;
    filter.upgrade = upgrade;
    EXPECT_TRUE((*store)
                    ->ForEachStixAnchor(filter, [&](const StixAnchor& anchor) {
                      found.push_back(anchor);
                      return Status::Ok();
                    })
                    .ok());
    return found;
  };
  std::vector<StixAnchor> green = anchors(Tlp::kGreen, false);
  ASSERT_EQ(green.size(), 1u);
  EXPECT_EQ(green[0].seq, 1);
  EXPECT_EQ(green[0].owner_org_id, 1);
  EXPECT_EQ(green[0].event_id, 1);
  EXPECT_EQ(green[0].date_added, "2024-01-01T00:00:01.000000Z");
  EXPECT_TRUE(green[0].derived);
  std::vector<StixAnchor> amber = anchors(Tlp::kAmber, false);
  ASSERT_EQ(amber.size(), 1u);
  EXPECT_EQ(amber[0].seq, 3);
  EXPECT_FALSE(amber[0].derived);
  // The copies: after the last object held, dated at the upgrade (later).
  for (Tlp tlp : {Tlp::kGreen, Tlp::kAmber}) {
    std::vector<StixAnchor> placed = anchors(tlp, true);
    ASSERT_EQ(placed.size(), 1u);
    EXPECT_EQ(placed[0].seq, 4);
    EXPECT_GT(placed[0].date_added, "2024-01-01T00:00:03.000000Z");
    EXPECT_EQ(placed[0].date_added.size(), std::string("2024-01-01T00:00:03.000000Z").size());
  }
  EXPECT_TRUE(anchors(Tlp::kRed, false).empty());

  // A later object of a group leaves its anchor; one of a new group anchors it.
  {
    auto batch = (*store)->BeginImport();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    for (const auto& [id, owner, event] : {std::tuple<std::string, int64_t, int64_t>{"indicator--3", 1, 1},
                                           {"indicator--4", 2, 2}}) {
      StixObjectRecord object;
      object.id = id;
      object.type = "indicator";
      object.modified = "2024-01-01T00:00:00.000Z";
      object.json = "{}";
      auto put = (*batch)->PutStixObject(object, event, Tlp::kGreen, owner);
      ASSERT_TRUE(put.ok() && *put) << id;
    }
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  green = anchors(Tlp::kGreen, false);
  ASSERT_EQ(green.size(), 2u);
  EXPECT_EQ(green[0].seq, 1);
  EXPECT_EQ(green[1].owner_org_id, 2);
  EXPECT_EQ(green[1].seq, 5);
  EXPECT_GT(green[1].date_added, anchors(Tlp::kGreen, true)[0].date_added);
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  // Deleting a group's first object moves its anchor to the next one...
  ASSERT_TRUE(raw->Exec("DELETE FROM stix_objects WHERE seq = 1", "delete first").ok());
  green = anchors(Tlp::kGreen, false);
  ASSERT_EQ(green.size(), 2u);
  EXPECT_EQ(green[0].seq, 2);
  EXPECT_EQ(green[0].date_added, "2024-01-01T00:00:02.000000Z");
  // ... and emptying a group removes it and its copy.
  ASSERT_TRUE(raw->Exec("DELETE FROM stix_objects WHERE event_id = 1", "empty the group").ok());
  green = anchors(Tlp::kGreen, false);
  ASSERT_EQ(green.size(), 1u);
  EXPECT_EQ(green[0].owner_org_id, 2);
  EXPECT_TRUE(anchors(Tlp::kGreen, true).empty());
  EXPECT_EQ(anchors(Tlp::kAmber, true).size(), 1u);
  // A deleted event's remaining objects keep their anchors, without it.
  ASSERT_TRUE(raw->Exec("DELETE FROM events WHERE id = 2", "delete event").ok());
  amber = anchors(Tlp::kAmber, false);
  ASSERT_EQ(amber.size(), 1u);
  EXPECT_EQ(amber[0].event_id, 0);
  EXPECT_EQ(amber[0].seq, 3);
  EXPECT_EQ(anchors(Tlp::kAmber, true)[0].event_id, 0);
}

}  // namespace
}  // namespace accord::sqlite
