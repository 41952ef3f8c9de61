// Upgrades of held data by the later schema migrations (16 on): each opens
// a node made by the version before, seeds what that schema held, and
// checks what the migration made of it and what new imports store.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/migrations.h"
#include "store/sqlite/migrations_testing.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/testing.h"

namespace accord::sqlite {
namespace {

// Migration 16: a node made by schema 15 keeps its events, which read back
// with no MISP grading (NULL, not a default) and are not republished; the
// new columns then hold what an import gives, and only MISP's numbers.
TEST_F(MigrationsTest, UpgradeAddsAnEmptyMispGradingToExistingEvents) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/15);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(
        Count(*raw, "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'threat_level'"),
        0);
    ASSERT_TRUE(raw->Exec("INSERT INTO events(id, uuid, title, tlp, created, modified, source, "
                          "stix_stale) VALUES"
                          " (1, 'misp', 'old MISP event', 1, '2024-01-01T00:00:00.000Z',"
                          " '2024-01-01T00:00:00.000Z', 'misp:e.json', 0)",
                          "seed events")
                    .ok());
  }
  // Up to the latest, as the import batch below needs the current schema.
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto event = (*store)->GetEvent("misp");
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  ASSERT_TRUE(event->has_value());
  EXPECT_EQ((*event)->title, "old MISP event");
  EXPECT_FALSE((*event)->threat_level.has_value());
  EXPECT_FALSE((*event)->analysis.has_value());
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT stix_stale FROM events WHERE uuid = 'misp'"), 0);
  EXPECT_EQ(
      Count(*raw, "SELECT COUNT(*) FROM events WHERE threat_level IS NULL AND analysis IS NULL"),
      1);

  {
    auto batch = (*store)->BeginImport();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    EventRecord record;
    record.uuid = "misp";
    record.title = "old MISP event";
    record.threat_level = ThreatLevel::kMedium;
    record.analysis = AnalysisStage::kOngoing;
    ASSERT_TRUE((*batch)->UpsertEvent(record, Tlp::kGreen, 0, {}).ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  EXPECT_EQ(Count(*raw, "SELECT threat_level FROM events WHERE uuid = 'misp'"), 2);
  EXPECT_EQ(Count(*raw, "SELECT analysis FROM events WHERE uuid = 'misp'"), 1);
  // Anything but MISP's numbers is refused by the table itself.
  EXPECT_FALSE(
      raw->Exec("UPDATE events SET threat_level = 5 WHERE uuid = 'misp'", "bad level").ok());
  EXPECT_FALSE(
      raw->Exec("UPDATE events SET threat_level = 0 WHERE uuid = 'misp'", "bad level").ok());
  EXPECT_FALSE(raw->Exec("UPDATE events SET analysis = 3 WHERE uuid = 'misp'", "bad stage").ok());
  EXPECT_FALSE(raw->Exec("UPDATE events SET analysis = -1 WHERE uuid = 'misp'", "bad stage").ok());
}

// Links and events held before version 24 have no MISP type or creator:
// they read back empty (the export then picks by value type and owner),
// and new imports store both.
TEST_F(MigrationsTest, UpgradeLeavesHeldLinksWithoutAMispTypeAndStoresItForNewOnes) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/23);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    // The import batch needs the current schema: the held rows are written as SQL.
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM pragma_table_info('links') WHERE name = 'misp_type'"), 0);
    ASSERT_TRUE(raw->Exec("INSERT INTO events(id, uuid, title, tlp, created, modified, source) VALUES"
                          " (1, 'held', 'held MISP event', 1, '2024-01-01T00:00:00.000Z',"
                          " '2024-01-01T00:00:00.000Z', 'misp:e.json');"
                          " INSERT INTO observables(id, type, value, created) VALUES"
                          " (1, 1, '192.0.2.1', '2024-01-01T00:00:00.000Z');"
                          " INSERT INTO links(event_id, observable_id) VALUES (1, 1)",
                          "seed a held event")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto event = (*store)->GetEvent("held");
  ASSERT_TRUE(event.ok() && event->has_value());
  std::vector<IndicatorContext> contexts;
  auto collect = [&](const LinkedObservable& link) {
    contexts.push_back(link.context);
    return Status::Ok();
  };
  ASSERT_TRUE((*store)->ForEachLink((*event)->id, collect).ok());
  ASSERT_EQ(contexts.size(), 1u);
  EXPECT_EQ(contexts[0].misp_type, "");
  auto kept = (*store)->GetMispKept((*event)->id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->orgc, "");

  {
    auto batch = (*store)->BeginImport();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    EventRecord record;
    record.uuid = "held";
    record.title = "held MISP event";
    record.misp_orgc = R"({"name":"CIRCL"})";
    auto event_id = (*batch)->UpsertEvent(record, Tlp::kGreen, 0, {});
    ASSERT_TRUE(event_id.ok()) << event_id.status().ToString();
    IndicatorContext context;
    context.misp_type = "ip-src";
    ASSERT_TRUE((*batch)->Link(*event_id, {ObservableType::kIpv4, "192.0.2.1"}, context, "").ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  contexts.clear();
  ASSERT_TRUE((*store)->ForEachLink((*event)->id, collect).ok());
  ASSERT_EQ(contexts.size(), 1u);
  EXPECT_EQ(contexts[0].misp_type, "ip-src");
  kept = (*store)->GetMispKept((*event)->id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->orgc, R"({"name":"CIRCL"})");
}

// Migration 26: ends and sighting times a STIX import kept as the file
// spelled them are held in the one spelling; what is already in it, and
// what SQLite cannot read, is left alone.
TEST_F(MigrationsTest, UpgradeGivesHeldEndsAndSightingTimesOneSpelling) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/25);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO events(id, uuid, title, tlp, created, modified, source) VALUES"
                          " (1, 'held', 'held', 1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 'stix:b.json');"
                          " INSERT INTO observables(id, type, value, created) VALUES"
                          " (1, 1, '192.0.2.1', '2024-01-01T00:00:00.000Z'), (2, 1, '192.0.2.2', '2024-01-01T00:00:00.000Z'),"
                          " (3, 1, '192.0.2.3', '2024-01-01T00:00:00.000Z'), (4, 1, '192.0.2.4', '2024-01-01T00:00:00.000Z');"
                          " INSERT INTO links(event_id, observable_id, valid_until) VALUES"
                          " (1, 1, '2026-02-01T01:00:00+01:00'), (1, 2, '2026-02-01T00:00:00.000Z'),"
                          " (1, 3, '9999-12-31T23:59:59-01:00'), (1, 4, NULL);"
                          " INSERT INTO sightings(observable_id, count, first_seen, last_seen) VALUES"
                          " (1, 3, '2026-01-02T00:00:00Z', '2026-01-05T00:00:00.5Z'), (2, 1, NULL, NULL)",
                          "seed held rows")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Text(*raw, "SELECT valid_until FROM links WHERE observable_id = 1"), "2026-02-01T00:00:00.000Z");
  EXPECT_EQ(Text(*raw, "SELECT valid_until FROM links WHERE observable_id = 2"), "2026-02-01T00:00:00.000Z");
  EXPECT_EQ(Text(*raw, "SELECT valid_until FROM links WHERE observable_id = 3"), "9999-12-31T23:59:59-01:00");
  EXPECT_EQ(Text(*raw, "SELECT COALESCE(valid_until, 'null') FROM links WHERE observable_id = 4"), "null");
  EXPECT_EQ(Text(*raw, "SELECT first_seen || ' ' || last_seen FROM sightings WHERE observable_id = 1"),
            "2026-01-02T00:00:00.000Z 2026-01-05T00:00:00.500Z");
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM sightings WHERE observable_id = 2 AND first_seen IS NULL"), 1);
}

TEST_F(MigrationsTest, UpgradeGivesHeldLinkFirstAndLastSeenOneSpelling) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/26);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO events(id, uuid, title, tlp, created, modified, source) VALUES"
                          " (1, 'held', 'held', 1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 'stix:b.json');"
                          " INSERT INTO observables(id, type, value, created) VALUES"
                          " (1, 1, '192.0.2.1', '2024-01-01T00:00:00.000Z'), (2, 1, '192.0.2.2', '2024-01-01T00:00:00.000Z');"
                          " INSERT INTO links(event_id, observable_id, first_seen, last_seen) VALUES"
                          " (1, 1, '2024-03-01T00:00:00Z', '2024-03-02T01:00:00.25+01:00'), (1, 2, NULL, NULL)",
                          "seed held rows")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Text(*raw, "SELECT first_seen || ' ' || last_seen FROM links WHERE observable_id = 1"),
            "2024-03-01T00:00:00.000Z 2024-03-02T00:00:00.250Z");
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM links WHERE observable_id = 2 AND first_seen IS NULL"
                        " AND last_seen IS NULL"),
            1);
}

TEST_F(MigrationsTest, UpgradeAddsTheCompositeAttributeOfALinkEmptyForHeldLinks) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/27);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM pragma_table_info('links') WHERE name LIKE 'misp_composite%'"), 0);
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM pragma_table_info('links') WHERE name IN"
                        " ('misp_composite_type', 'misp_composite_value', 'misp_composite_id')"),
            3);
}

TEST_F(MigrationsTest, UpgradeNamesStoredTlp1MarkingDefinitions) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/28);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO stix_objects(id, type, spec_version, created, modified, date_added, tlp,"
                          " json) VALUES"
                          " ('marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'marking-definition', '2.1',"
                          " '2017-01-20T00:00:00.000Z', '', '2026-01-01T00:00:00.000000Z', 0,"
                          " '{\"type\":\"marking-definition\",\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"green\"}}'),"
                          " ('marking-definition--0e7d5c3a-1111-4111-8111-111111111111', 'marking-definition', '2.1',"
                          " '2017-01-20T00:00:00.000Z', '', '2026-01-01T00:00:01.000000Z', 0,"
                          " '{\"type\":\"marking-definition\",\"definition_type\":\"statement\",\"definition\":{\"statement\":\"(c)\"}}')",
                          "seed held markings")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Text(*raw, "SELECT json_extract(json, '$.name') FROM stix_objects WHERE id LIKE '%34098fce%'"),
            "TLP:GREEN");
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_objects WHERE id LIKE '%0e7d5c3a%'"
                        " AND json_type(json, '$.name') IS NULL"),
            1);
}

// Migration 37: the TLP 2.0 definitions imports stored (a forged one among
// them) go, the node serving its own; a TLP 1.0 definition stays unless it
// says another level than its id's.
TEST_F(MigrationsTest, UpgradeRemovesStoredTlp2DefinitionsAndForgedTlp1Ones) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/36);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    const std::string row = "('{id}', 'marking-definition', '2.1', '2017-01-20T00:00:00.000Z', '', '{added}', 0, '{json}')";
    auto value = [&](const std::string& id, const std::string& added, const std::string& json) {
      std::string out = row;
      out.replace(out.find("{id}"), 4, id);
      out.replace(out.find("{added}"), 7, added);
      out.replace(out.find("{json}"), 6, json);
      return out;
    };
    const std::string sql =
        "INSERT INTO stix_objects(id, type, spec_version, created, modified, date_added, tlp, json) VALUES " +
        value("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "2026-01-01T00:00:00.000000Z",
              R"({"type":"marking-definition","name":"TLP:CLEAR"})") + ", " +
        value("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "2026-01-01T00:00:01.000000Z",
              R"({"type":"marking-definition","definition_type":"tlp","definition":{"tlp":"green"}})") + ", " +
        value("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "2026-01-01T00:00:02.000000Z",
              R"({"type":"marking-definition","definition_type":"tlp","definition":{"tlp":"white"}})");
    ASSERT_TRUE(raw->Exec(sql, "seed held markings").ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_objects WHERE id LIKE '%e828b379%'"), 0);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_objects WHERE id LIKE '%34098fce%'"), 1);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_objects WHERE id LIKE '%5e57c739%'"), 0);
}

// Migration 34: version keys stored as producers spelled them take the
// reader's one spelling, so a version sent again in the other spelling is
// known; a key whose canonical spelling is stored too, sub-millisecond
// digits and offsets stay as they were.
TEST_F(MigrationsTest, UpgradeKeysHeldStixVersionsInOneSpelling) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/33);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  const std::vector<std::pair<std::string, std::string>> held = {
      {"2026-08-01T00:00:00Z", "2026-08-01T00:00:00.000Z"},
      {"2026-08-01T00:00:00.5Z", "2026-08-01T00:00:00.500Z"},
      {"2026-08-01T00:00:00.12Z", "2026-08-01T00:00:00.120Z"},
      {"2026-08-01T00:00:00.123000Z", "2026-08-01T00:00:00.123Z"},
      {"2026-08-01T00:00:00.100000000Z", "2026-08-01T00:00:00.100Z"},
      {"2026-08-01T00:00:00.123456Z", "2026-08-01T00:00:00.123456Z"},
      {"2026-08-01T00:00:00.123Z", "2026-08-01T00:00:00.123Z"},
      {"2026-08-01T02:00:00+02:00", "2026-08-01T02:00:00+02:00"},
      {"2026-08-02T00:00:00Z", "2026-08-02T00:00:00Z"},  // its canonical spelling is held too
      {"2026-08-02T00:00:00.000Z", "2026-08-02T00:00:00.000Z"},
  };
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    for (size_t row = 0; row < held.size(); ++row) {
      const std::string id = row < 8 ? "malware--0e7d5c3a-1111-4111-8111-11111111110" + std::to_string(row)
                                     : "malware--0e7d5c3a-1111-4111-8111-111111111199";
      ASSERT_TRUE(raw->Exec("INSERT INTO stix_objects(id, type, spec_version, created, modified, date_added, tlp,"
                            " json) VALUES ('" + id + "', 'malware', '2.1', '2026-01-01T00:00:00.000Z', '" +
                                held[row].first + "', '2026-01-01T00:00:0" + std::to_string(row) +
                                ".000000Z', 2, '{}')",
                            "seed held versions")
                      .ok());
    }
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  for (size_t row = 0; row < 8; ++row) {
    EXPECT_EQ(Text(*raw, "SELECT modified FROM stix_objects WHERE id LIKE '%11111111110" + std::to_string(row) + "'"),
              held[row].second);
  }
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_objects WHERE id LIKE '%111111111199'"), 2);
}

// Migration 32: a request's history lines written before it have no audit
// record listing their hashes; they are counted, not checked, and a line
// added later without its record is still caught. Lines written after the
// upgrade are sealed.
TEST_F(MigrationsTest, UpgradeCountsHeldRequestHistoryAsUnsealedAndSealsNewLines) {
  {
    auto old = SqliteStore::Open(DbPath(), true, /*up_to_version=*/31);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
  }
  const std::string history_columns =
      "INSERT INTO request_history(request_id, time, actor, action, from_state, to_state, reason, detail)"
      " VALUES (1, '2026-01-01T00:00:00.000Z', 'test', ";
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO organisations(id, uuid, name, created) VALUES"
                          " (1, 'o1', 'OCLCTIC', '2026-01-01T00:00:00.000Z'),"
                          " (2, 'o2', 'BKA', '2026-01-01T00:00:00.000Z');"
                          " INSERT INTO requests(id, uuid, reference, type, state, urgency, from_org_id, to_org_id,"
                          " subject, fields, created, updated) VALUES (1, 'r1', 'FR-DE-2026-000001', 'preservation',"
                          " 'sent', 'urgent', 1, 2, 'Logs', '{}', '2026-01-01T00:00:00.000Z',"
                          " '2026-01-01T00:00:00.000Z');" +
                              history_columns + "'create', '', 'draft', '', '{}');" + history_columns +
                              "'send', 'draft', 'sent', '', '{}')",
                          "seed a held request")
                    .ok());
  }
  auto store = SqliteStore::Open(DbPath(), false, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto held = (*store)->VerifyAudit();
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_TRUE(held->intact) << held->problem;
  EXPECT_EQ(held->history_lines_unsealed, 2);
  EXPECT_EQ(held->history_lines, 0);

  auto request = (*store)->FindRequest("r1");
  ASSERT_TRUE(request.ok() && request->has_value());
  RequestRow row = **request;
  row.state = "acknowledged";
  RequestHistoryRow line;
  line.time = "2026-01-01T01:00:00.000Z";
  line.actor = "test";
  line.action = "ack";
  line.from_state = "sent";
  line.to_state = "acknowledged";
  AuditEntry audit;
  audit.actor = "test";
  audit.action = "request.ack";
  audit.detail = "{}";
  ASSERT_TRUE((*store)->SaveRequest(row, line, audit).ok());
  auto sealed = (*store)->VerifyAudit();
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_TRUE(sealed->intact) << sealed->problem;
  EXPECT_EQ(sealed->history_lines, 1);
  EXPECT_EQ(sealed->history_lines_unsealed, 2);

  // Forged after the sealed line, with meta raised to pass it as held.
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Exec("UPDATE meta SET value = '10' WHERE key = 'request_history.sealed_after';" +
                            history_columns + "'close', 'acknowledged', 'closed', 'forged', '{}')",
                        "forge")
                  .ok());
  auto forged = (*store)->VerifyAudit();
  ASSERT_TRUE(forged.ok()) << forged.status().ToString();
  EXPECT_FALSE(forged->intact);
  EXPECT_NE(forged->problem.find("request history line 4 (FR-DE-2026-000001, close) has no audit record"),
            std::string::npos)
      << forged->problem;
}

// A fresh node has anchors from its first object on, and no copies.
TEST_F(MigrationsTest, FreshNodeAnchorsGroupsAsObjectsArrive) {
  auto store = SqliteStore::Open(DbPath(), true, std::nullopt);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_anchors"), 0);
  for (int batch_idx = 0; batch_idx < 2; ++batch_idx) {  // a second batch anchors nothing again
    auto batch = (*store)->BeginImport();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    for (int object_idx = 0; object_idx < 2; ++object_idx) {
      StixObjectRecord object;
      object.id = "malware--" + std::to_string(batch_idx) + std::to_string(object_idx);
      object.type = "malware";
      object.modified = "2024-01-01T00:00:00.000Z";
      object.json = "{}";
      ASSERT_TRUE((*batch)->PutStixObject(object, 0, Tlp::kClear, 0).ok());
    }
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_anchors"), 1);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_anchors WHERE kind = 0 AND tlp = 0"
                        " AND owner_org_id = 0 AND event_id = 0 AND seq = 1"),
            1);
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_anchors WHERE kind = 1"), 0);

  // Outside any event too (event_id NULL), deleting a group's first object
  // passes its place to the next one, and the last one takes it along.
  ASSERT_TRUE(raw->Exec("DELETE FROM stix_objects WHERE seq = 1", "delete first").ok());
  EXPECT_EQ(Count(*raw, "SELECT seq FROM stix_anchors WHERE kind = 0 AND tlp = 0"
                        " AND owner_org_id = 0 AND event_id = 0"),
            2);
  ASSERT_TRUE(raw->Exec("DELETE FROM stix_objects WHERE seq IN (2, 3)", "delete two").ok());
  EXPECT_EQ(Count(*raw, "SELECT seq FROM stix_anchors WHERE kind = 0 AND event_id = 0"), 4);
  ASSERT_TRUE(raw->Exec("DELETE FROM stix_objects", "delete the rest").ok());
  EXPECT_EQ(Count(*raw, "SELECT COUNT(*) FROM stix_anchors"), 0);
}

}  // namespace
}  // namespace accord::sqlite
