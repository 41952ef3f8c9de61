// SqliteStore: opening, PRAGMAs, metadata, organisations, API keys and
// counts. Warning lists are in warning_lists.cc, reads in sqlite_reads.cc,
// the import batch in import_batch.cc, the audit chain in audit.cc.
#include "store/sqlite/sqlite_store.h"

#include <chrono>
#include <utility>

#include "store/sqlite/import_batch.h"
#include "store/sqlite/migrations.h"

namespace accord::sqlite {
namespace {

std::string NowText() { return FormatTimestamp(SystemClock().Now()); }

constexpr std::string_view kOrganisationColumns =
    "id, uuid, name, country, kind, contact, created, shares_with_org_id";

Organisation ReadOrganisation(const Statement& row) {
  Organisation org;
  org.id = row.Int(0);
  org.uuid = row.Text(1);
  org.name = row.Text(2);
  org.country = row.Text(3);
  org.kind = row.Text(4);
  org.contact = row.Text(5);
  org.created = row.Text(6);
  org.shares_with_org_id = row.Int(7);
  return org;
}

constexpr std::string_view kApiKeyColumns =
    "id, key_id, org_id, user, role, salt, hash, created, expires, revoked";

Result<ApiKey> ReadApiKey(const Statement& row) {
  ApiKey key;
  key.id = row.Int(0);
  key.key_id = row.Text(1);
  key.org_id = row.Int(2);
  key.user = row.Text(3);
  std::string role = row.Text(4);
  std::optional<Role> parsed = ParseRole(role);
  if (!parsed) {
    return Status::Corruption("api_keys: key " + key.key_id + " has unknown role '" + role + "'");
  }
  key.role = *parsed;
  key.secret.salt_hex = row.Text(5);
  key.secret.hash_hex = row.Text(6);
  key.created = row.Text(7);
  key.expires = row.Text(8);
  key.revoked = row.Int(9) != 0;
  return key;
}

}  // namespace


Result<Tlp> TlpFromColumn(int64_t value, std::string_view where) {
  if (value < 0 || value > static_cast<int64_t>(Tlp::kRed)) {
    return Status::Corruption(std::string(where) + ": TLP value " + std::to_string(value) +
                              " out of range");
  }
  return static_cast<Tlp>(value);
}

Result<ObservableType> ObservableTypeFromColumn(int64_t value, std::string_view where) {
  if (value < 1 || value > kObservableTypeCount) {
    return Status::Corruption(std::string(where) + ": observable type " + std::to_string(value) +
                              " unknown");
  }
  return static_cast<ObservableType>(value);
}

IndicatorContext ReadLinkContext(const Statement& row, int first_column) {
  IndicatorContext context;
  context.role = row.Text(first_column);
  if (!row.IsNull(first_column + 1)) {
    context.confidence = static_cast<int>(row.Int(first_column + 1));
  }
  context.first_seen = row.Text(first_column + 2);
  context.last_seen = row.Text(first_column + 3);
  context.valid_until = row.Text(first_column + 4);
  context.comment = row.Text(first_column + 5);
  context.stix_id = row.Text(first_column + 6);
  context.is_indicator = row.Int(first_column + 7) != 0;
  context.misp_type = row.Text(first_column + 8);
  context.misp_composite_type = row.Text(first_column + 9);
  context.misp_composite_value = row.Text(first_column + 10);
  context.misp_composite_id = row.Text(first_column + 11);
  context.family = row.Text(first_column + 12);
  return context;
}

Result<LinkedObservable> ReadLinkedObservable(const Statement& row) {
  LinkedObservable linked;
  linked.observable_id = row.Int(0);
  ASSIGN_OR_RETURN(linked.observable.type,
                   ObservableTypeFromColumn(row.Int(1), "observable " + std::to_string(linked.observable_id)));
  linked.observable.value = row.Text(2);
  linked.warninglist = row.Text(3);
  linked.context = ReadLinkContext(row, 4);
  return linked;
}

SqliteStore::SqliteStore(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, bool create,
                                                       std::optional<int64_t> up_to_version,
                                                       bool map_for_reads, int64_t cache_mib) {
  ASSIGN_OR_RETURN(auto connection, Connection::Open(path, create));
  // Connection::Open gave it a busy handler (5 s) for the locks below.
  // 64 KiB pages, set before the first table exists (a WAL database keeps
  // its page size for life): an import writes about 1.2 KB per indicator, and
  // with 4 KiB pages the write system calls and the per-page index splits
  // dominated it; bench/import measured 64 KiB at 1.6x the rate of 4 KiB.
  // A node created by an older binary keeps its 4 KiB pages.
  if (create) {
    ASSIGN_OR_RETURN(int64_t pages, connection->QueryInt("PRAGMA page_count",
                                                         path + ": read page count"));
    if (pages == 0) {
      RETURN_IF_ERROR(connection->Exec("PRAGMA page_size = 65536", path + ": set page_size"));
    }
  }
  // WAL: readers never block the writer nor each other, and a commit is one
  // append to the log.
  ASSIGN_OR_RETURN(std::string mode,
                   connection->QueryText("PRAGMA journal_mode = WAL", path + ": set WAL mode"));
  if (mode != "wal") {
    return Status::FailedPrecondition(path + ": SQLite refused WAL mode (journal_mode is " +
                                      mode + "); is the file system local?");
  }
  // Durability first: FULL syncs the WAL on every commit. NORMAL would be
  // faster (one sync per checkpoint) but a power loss can undo the last
  // commits, and an import the user was told is stored must stay stored.
  // bench/import measures the difference.
  RETURN_IF_ERROR(connection->Exec("PRAGMA synchronous = FULL", path + ": set synchronous"));
  RETURN_IF_ERROR(connection->Exec("PRAGMA foreign_keys = ON", path + ": set foreign_keys"));
  // The page cache (see StoreOptions::cache_mib); negative means KiB.
  if (cache_mib < 1) return Status::Invalid(path + ": page cache must be at least 1 MiB");
  RETURN_IF_ERROR(connection->Exec("PRAGMA cache_size = -" + std::to_string(cache_mib * 1024),
                                   path + ": set cache_size"));
  RETURN_IF_ERROR(connection->Exec("PRAGMA temp_store = MEMORY", path + ": set temp_store"));
  if (map_for_reads) {
    // SQLite caps this at its compile-time maximum (2 GB on Debian); the
    // rest of a larger database is read as before. bench/match: the
    // matcher's per-hit lookups took a quarter of a DNS log's match time
    // copying 64 KiB pages.
    RETURN_IF_ERROR(connection->Exec("PRAGMA mmap_size = 2147418112", path + ": set mmap_size"));
  }

  RETURN_IF_ERROR(
      ApplyMigrations(*connection, up_to_version.value_or(LatestSchemaVersion())));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(connection)));
}

Result<int64_t> SqliteStore::SchemaVersion() {
  return connection_->QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                               "read schema version");
}

Result<std::optional<std::string>> SqliteStore::GetMeta(const std::string& key) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT value FROM meta WHERE key = ?", "read meta"));
  select->Bind(1, key);
  ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(select->Text(0));
}

Status SqliteStore::SetMeta(const std::string& key, const std::string& value) {
  ASSIGN_OR_RETURN(auto upsert, connection_->Cached(
                                    "INSERT INTO meta(key, value) VALUES (?, ?)"
                                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                    "write meta"));
  upsert->Bind(1, key);
  upsert->Bind(2, value);
  return upsert->Run();
}

Result<Organisation> SqliteStore::CreateOrganisation(const Organisation& org) {
  if (org.name.empty()) return Status::Invalid("organisation: name is empty");
  Organisation created = org;
  if (created.uuid.empty()) created.uuid = UuidV4();
  if (created.created.empty()) created.created = NowText();
  // Names are found whatever their letter case, so two may not differ only in it.
  ASSIGN_OR_RETURN(auto twin, connection_->Cached("SELECT name FROM organisations WHERE lower(name) = lower(?1)"
                                                  " AND name <> ?1 LIMIT 1", "find an organisation name's twin"));
  twin->Bind(1, created.name);
  ASSIGN_OR_RETURN(bool has_twin, twin->Step());
  const std::string twin_name = has_twin ? twin->Text(0) : std::string();
  twin->Reset();
  if (has_twin) {
    return Status::AlreadyExists("organisation name '" + created.name + "' differs only in letter case from '" +
                                 twin_name + "', which exists");
  }
  // The column of migration 20 only when it is set: tests write organisations
  // into databases left at older schema versions through this call.
  ASSIGN_OR_RETURN(auto insert,
                   connection_->Cached(created.shares_with_org_id == 0
                                           ? "INSERT INTO organisations(uuid, name, country, kind,"
                                             " contact, created) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"
                                           : "INSERT INTO organisations(uuid, name, country, kind,"
                                             " contact, created, shares_with_org_id)"
                                             " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                       "insert organisation"));
  insert->Bind(1, created.uuid);
  insert->Bind(2, created.name);
  insert->BindTextOrNull(3, created.country);
  insert->BindTextOrNull(4, created.kind);
  insert->BindTextOrNull(5, created.contact);
  insert->Bind(6, created.created);
  if (created.shares_with_org_id != 0) insert->Bind(7, created.shares_with_org_id);
  Result<bool> row = insert->Step();
  if (!row.ok()) {
    if (row.status().code() == Status::Code::kAlreadyExists) {
      if (row.status().message().find("organisations.name") != std::string::npos) {
        return Status::AlreadyExists("organisation name '" + created.name + "' already exists");
      }
      return Status::AlreadyExists("organisation uuid '" + created.uuid + "' already exists");
    }
    return row.status();
  }
  created.id = insert->Int(0);
  RETURN_IF_ERROR(insert->Run());  // finish the statement so the insert completes
  return created;
}

Result<std::optional<Organisation>> SqliteStore::FindOrganisationByName(const std::string& name) {
  // The exact name first; else one that differs only in ASCII letter case
  // (SQLite's lower(), as the REST directory folds): two such is none.
  ASSIGN_OR_RETURN(auto select, connection_->Cached("SELECT " + std::string(kOrganisationColumns) +
                                                        " FROM organisations WHERE lower(name) = lower(?1)"
                                                        " ORDER BY name = ?1 DESC LIMIT 2",
                                                    "find organisation by name"));
  select->Bind(1, name);
  ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) return std::optional<Organisation>();
  Organisation org = ReadOrganisation(*select);
  if (org.name == name) return std::optional<Organisation>(std::move(org));
  ASSIGN_OR_RETURN(bool another, select->Step());
  return another ? std::optional<Organisation>() : std::optional<Organisation>(std::move(org));
}

Result<std::optional<Organisation>> SqliteStore::FindOrganisationById(int64_t id) {
  ASSIGN_OR_RETURN(auto select, connection_->Cached("SELECT " + std::string(kOrganisationColumns) +
                                                        " FROM organisations WHERE id = ?",
                                                    "find organisation by id"));
  select->Bind(1, id);
  ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) return std::optional<Organisation>();
  return std::optional<Organisation>(ReadOrganisation(*select));
}

Result<std::vector<Organisation>> SqliteStore::ListOrganisations() {
  ASSIGN_OR_RETURN(auto select, connection_->Cached("SELECT " + std::string(kOrganisationColumns) +
                                                        " FROM organisations ORDER BY id",
                                                    "list organisations"));
  std::vector<Organisation> orgs;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    orgs.push_back(ReadOrganisation(*select));
  }
  return orgs;
}

Result<ApiKey> SqliteStore::CreateApiKey(const ApiKey& key) {
  if (key.key_id.empty()) return Status::Invalid("API key: key_id is empty");
  if (key.secret.salt_hex.empty() || key.secret.hash_hex.empty()) {
    return Status::Invalid("API key " + key.key_id + ": secret hash is missing");
  }
  ApiKey created = key;
  if (created.created.empty()) created.created = NowText();
  ASSIGN_OR_RETURN(auto insert, connection_->Cached(
                                    "INSERT INTO api_keys(key_id, org_id, user, role, salt, hash,"
                                    " created, expires, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                    " RETURNING id",
                                    "insert API key"));
  insert->Bind(1, created.key_id);
  insert->Bind(2, created.org_id);
  insert->BindTextOrNull(3, created.user);
  insert->Bind(4, RoleName(created.role));
  insert->Bind(5, created.secret.salt_hex);
  insert->Bind(6, created.secret.hash_hex);
  insert->Bind(7, created.created);
  insert->BindTextOrNull(8, created.expires);
  insert->Bind(9, int64_t{created.revoked ? 1 : 0});
  Result<bool> row = insert->Step();
  if (!row.ok()) {
    if (row.status().code() == Status::Code::kAlreadyExists) {
      return Status::AlreadyExists("API key '" + created.key_id + "' already exists");
    }
    if (row.status().code() == Status::Code::kFailedPrecondition) {
      return Status::NotFound("API key " + created.key_id + ": organisation id " +
                              std::to_string(created.org_id) + " does not exist");
    }
    return row.status();
  }
  created.id = insert->Int(0);
  RETURN_IF_ERROR(insert->Run());
  return created;
}

Result<std::optional<ApiKey>> SqliteStore::FindApiKey(const std::string& key_id) {
  ASSIGN_OR_RETURN(auto select, connection_->Cached("SELECT " + std::string(kApiKeyColumns) +
                                                        " FROM api_keys WHERE key_id = ?",
                                                    "find API key"));
  select->Bind(1, key_id);
  ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) return std::optional<ApiKey>();
  ASSIGN_OR_RETURN(ApiKey key, ReadApiKey(*select));
  return std::optional<ApiKey>(std::move(key));
}

Result<std::vector<ApiKey>> SqliteStore::ListApiKeys(std::optional<int64_t> org_id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT " + std::string(kApiKeyColumns) +
                                           " FROM api_keys WHERE ?1 IS NULL OR org_id = ?1"
                                           " ORDER BY id",
                                       "list API keys"));
  if (org_id) select->Bind(1, *org_id);
  std::vector<ApiKey> keys;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(ApiKey key, ReadApiKey(*select));
    keys.push_back(std::move(key));
  }
  return keys;
}

Status SqliteStore::RevokeApiKey(const std::string& key_id) {
  ASSIGN_OR_RETURN(auto update, connection_->Cached(
                                    "UPDATE api_keys SET revoked = 1 WHERE key_id = ?",
                                    "revoke API key"));
  update->Bind(1, key_id);
  RETURN_IF_ERROR(update->Run());
  if (update->Changes() == 0) return Status::NotFound("API key '" + key_id + "' does not exist");
  return Status::Ok();
}

Result<std::unique_ptr<ImportBatch>> SqliteStore::BeginImport() {
  if (batch_open_) {
    return Status::FailedPrecondition("import batch: another batch is open on this store");
  }
  if (!batch_statements_) {
    ASSIGN_OR_RETURN(batch_statements_, BatchStatements::Prepare(*connection_));
  }
  ASSIGN_OR_RETURN(auto batch, SqliteImportBatch::Begin(*this, *connection_, *batch_statements_));
  batch_open_ = true;
  return std::unique_ptr<ImportBatch>(std::move(batch));
}

Status SqliteStore::SetObservableWarningList(int64_t observable_id, const std::string& list_name) {
  ASSIGN_OR_RETURN(auto update, connection_->Cached(
                                    "UPDATE observables SET warninglist = ? WHERE id = ?",
                                    "set observable warning list"));
  update->BindTextOrNull(1, list_name);
  update->Bind(2, observable_id);
  RETURN_IF_ERROR(update->Run());
  if (update->Changes() == 0) {
    return Status::NotFound("observable id " + std::to_string(observable_id) + " does not exist");
  }
  return Status::Ok();
}

Result<StoreCounts> SqliteStore::Counts(const std::string& now) {
  std::string now_text = now.empty() ? NowText() : now;
  ASSIGN_OR_RETURN(now_text, NormalizeTimestamp(now_text));
  // live_indicators: distinct observables with at least one unexpired
  // indicator link and no warning-list mark; EXISTS stops at the first link.
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached(
                       "SELECT (SELECT COUNT(*) FROM organisations), (SELECT COUNT(*) FROM events),"
                       " (SELECT COUNT(*) FROM observables), (SELECT COUNT(*) FROM links),"
                       " (SELECT COUNT(*) FROM observables o WHERE o.warninglist IS NULL AND"
                       "   EXISTS (SELECT 1 FROM links l WHERE l.observable_id = o.id AND"
                       "   l.is_indicator = 1 AND (l.valid_until IS NULL OR l.valid_until > ?))),"
                       " (SELECT COUNT(*) FROM stix_objects), (SELECT COUNT(*) FROM sightings)",
                       "count rows"));
  select->Bind(1, now_text);
  ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return Status::Internal("sqlite: count rows: no result row");
  StoreCounts counts;
  counts.organisations = select->Int(0);
  counts.events = select->Int(1);
  counts.observables = select->Int(2);
  counts.links = select->Int(3);
  counts.live_indicators = select->Int(4);
  counts.stix_objects = select->Int(5);
  counts.sightings = select->Int(6);
  return counts;
}

}  // namespace accord::sqlite
