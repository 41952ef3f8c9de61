// Infostealer operations: victims, credentials (SHA-1 only for passwords),
// C2 servers, the exposure range query and the purge of personal data.
#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

constexpr std::string_view kOperationColumns =
    "id, name, org_id, event_id, retention_days, created";

StealerOperation ReadOperation(const Statement& row) {
  return {row.Int(0), row.Text(1), row.Int(2), row.Int(3), row.Int(4), row.Text(5)};
}

// The first 15 hex digits (60 bits) of a digest as a non-negative integer:
// the exposure index's key. 0 never occurs as a real key in practice, and
// is only used for "no digest" (bound as NULL).
int64_t DigestKey(const std::string& hex) {
  if (hex.size() < 15) return 0;
  int64_t key = 0;
  for (size_t i = 0; i < 15; ++i) {
    const char c = hex[i];
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
    key = key * 16 + digit;
  }
  return key;
}

StealerC2Row ReadC2(const Statement& row) {
  StealerC2Row c2;
  c2.id = row.Int(0);
  c2.operation_id = row.Int(1);
  c2.type = row.Text(2);
  c2.value = row.Text(3);
  c2.family = row.Text(4);
  c2.country = row.Text(5);
  c2.asn = row.Int(6);
  c2.as_org = row.Text(7);
  c2.first_seen = row.Text(8);
  c2.last_seen = row.Text(9);
  c2.evidence_json = row.Text(10);
  return c2;
}

// Evidence lists merge without repeating an item.
std::string MergeEvidence(const std::string& stored, const std::string& added) {
  auto all = nlohmann::json::parse(stored, nullptr, false);
  auto more = nlohmann::json::parse(added, nullptr, false);
  if (!all.is_array()) all = nlohmann::json::array();
  if (more.is_array()) {
    for (auto& item : more) {
      if (std::find(all.begin(), all.end(), item) == all.end()) all.push_back(std::move(item));
    }
  }
  return all.dump();
}

}  // namespace

Result<StealerOperation> SqliteStore::UpsertStealerOperation(const StealerOperation& operation) {
  ASSIGN_OR_RETURN(auto existing, FindStealerOperation(operation.name));
  if (existing) {
    if (operation.retention_days > 0 && operation.retention_days != existing->retention_days) {
      ASSIGN_OR_RETURN(auto update,
                       connection_->Cached("UPDATE stealer_operations SET retention_days = ?"
                                           " WHERE id = ?",
                                           "set operation retention"));
      update->Bind(1, operation.retention_days);
      update->Bind(2, existing->id);
      RETURN_IF_ERROR(update->Run());
      existing->retention_days = operation.retention_days;
    }
    // The ingest records the event its C2 list went into; one recorded
    // before may be another organisation's (a squatter's, under the uuid
    // earlier versions derived from the name) and is replaced.
    if (operation.event_id != 0 && existing->event_id != operation.event_id) {
      ASSIGN_OR_RETURN(auto update,
                       connection_->Cached("UPDATE stealer_operations SET event_id = ? WHERE id = ?",
                                           "set operation event"));
      update->Bind(1, operation.event_id);
      update->Bind(2, existing->id);
      RETURN_IF_ERROR(update->Run());
      existing->event_id = operation.event_id;
    }
    return *existing;
  }
  ASSIGN_OR_RETURN(auto insert,
                   connection_->Cached("INSERT INTO stealer_operations(name, org_id, event_id,"
                                       " retention_days, created) VALUES (?, ?, ?, ?, ?)",
                                       "create operation"));
  insert->Bind(1, operation.name);
  insert->Bind(2, operation.org_id);
  insert->BindIdOrNull(3, operation.event_id);
  insert->Bind(4, operation.retention_days);
  insert->Bind(5, operation.created);
  RETURN_IF_ERROR(insert->Run());
  StealerOperation created = operation;
  created.id = insert->LastInsertRowId();
  return created;
}

Result<std::optional<StealerOperation>> SqliteStore::FindStealerOperation(const std::string& name) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached(std::string("SELECT ") + std::string(kOperationColumns) +
                                           " FROM stealer_operations WHERE name = ?",
                                       "find operation"));
  select->Bind(1, name);
  ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return std::optional<StealerOperation>();
  return std::optional<StealerOperation>(ReadOperation(*select));
}

Result<std::vector<StealerOperation>> SqliteStore::ListStealerOperations() {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached(std::string("SELECT ") + std::string(kOperationColumns) +
                                           " FROM stealer_operations ORDER BY id",
                                       "list operations"));
  std::vector<StealerOperation> all;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return all;
    all.push_back(ReadOperation(*select));
  }
}

Status SqliteStore::AddStealerVictims(std::vector<StealerVictimRow>& victims,
                                      const AuditEntry& audit) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "add stealer victims"));
  ASSIGN_OR_RETURN(
      auto insert,
      connection_->Cached(
          "INSERT INTO stealer_victims(operation_id, machine_id, family, ip, country, asn, os,"
          " user_name, computer_name, build_id, infected_at, cookies, autofills, credentials,"
          " source, ingested) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          " ON CONFLICT(operation_id, machine_id) DO NOTHING",
          "add stealer victim"));
  ASSIGN_OR_RETURN(auto credential,
                   connection_->Cached("INSERT INTO stealer_credentials(victim_id, domain,"
                                       " username, username_sha1, password_sha1, username_key,"
                                       " password_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                       "add stealer credential"));
  for (StealerVictimRow& victim : victims) {
    insert->Reset();
    insert->Bind(1, victim.operation_id);
    insert->Bind(2, victim.machine_id);
    insert->Bind(3, victim.family);
    insert->BindTextOrNull(4, victim.ip);
    insert->BindTextOrNull(5, victim.country);
    insert->BindIdOrNull(6, victim.asn);
    insert->BindTextOrNull(7, victim.os);
    insert->BindTextOrNull(8, victim.user_name);
    insert->BindTextOrNull(9, victim.computer_name);
    insert->BindTextOrNull(10, victim.build_id);
    insert->BindTextOrNull(11, victim.infected_at);
    insert->Bind(12, victim.cookies);
    insert->Bind(13, victim.autofills);
    insert->Bind(14, static_cast<int64_t>(victim.credentials.size()));
    insert->Bind(15, victim.source);
    insert->Bind(16, victim.ingested);
    RETURN_IF_ERROR(insert->Run());
    if (insert->Changes() == 0) {
      victim.id = 0;  // this machine is already in the operation
      continue;
    }
    victim.id = insert->LastInsertRowId();
    for (const StealerCredentialRow& row : victim.credentials) {
      credential->Reset();
      credential->Bind(1, victim.id);
      credential->BindTextOrNull(2, row.domain);
      credential->BindTextOrNull(3, row.username);
      credential->BindTextOrNull(4, row.username_sha1);
      credential->BindTextOrNull(5, row.password_sha1);
      credential->BindIdOrNull(6, DigestKey(row.username_sha1));
      credential->BindIdOrNull(7, DigestKey(row.password_sha1));
      RETURN_IF_ERROR(credential->Run());
    }
  }
  insert->Reset();
  credential->Reset();
  RETURN_IF_ERROR(AppendAuditRecord(*connection_, audit));
  return transaction->Commit();
}

Status SqliteStore::UpsertStealerC2(const std::vector<StealerC2Row>& servers) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::JoinOrBegin(*connection_, "add C2 servers"));
  ASSIGN_OR_RETURN(auto find,
                   connection_->Cached("SELECT id, evidence, first_seen, last_seen FROM stealer_c2"
                                       " WHERE operation_id = ? AND type = ? AND value = ?",
                                       "find C2 server"));
  for (const StealerC2Row& server : servers) {
    find->Reset();
    find->Bind(1, server.operation_id);
    find->Bind(2, server.type);
    find->Bind(3, server.value);
    ASSIGN_OR_RETURN(bool exists, find->Step());
    if (exists) {
      const int64_t id = find->Int(0);
      const std::string evidence = MergeEvidence(find->Text(1), server.evidence_json);
      std::string first = find->Text(2), last = find->Text(3);
      find->Reset();
      if (!server.first_seen.empty() && (first.empty() || server.first_seen < first)) first = server.first_seen;
      if (!server.last_seen.empty() && server.last_seen > last) last = server.last_seen;
      ASSIGN_OR_RETURN(auto update,
                       connection_->Cached("UPDATE stealer_c2 SET evidence = ?, first_seen = ?,"
                                           " last_seen = ?, family = COALESCE(family, ?)"
                                           " WHERE id = ?",
                                           "merge C2 server"));
      update->Bind(1, evidence);
      update->BindTextOrNull(2, first);
      update->BindTextOrNull(3, last);
      update->BindTextOrNull(4, server.family);
      update->Bind(5, id);
      RETURN_IF_ERROR(update->Run());
      continue;
    }
    find->Reset();
    ASSIGN_OR_RETURN(
        auto insert,
        connection_->Cached("INSERT INTO stealer_c2(operation_id, type, value, family, country,"
                            " asn, as_org, first_seen, last_seen, evidence)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            "add C2 server"));
    insert->Bind(1, server.operation_id);
    insert->Bind(2, server.type);
    insert->Bind(3, server.value);
    insert->BindTextOrNull(4, server.family);
    insert->BindTextOrNull(5, server.country);
    insert->BindIdOrNull(6, server.asn);
    insert->BindTextOrNull(7, server.as_org);
    insert->BindTextOrNull(8, server.first_seen);
    insert->BindTextOrNull(9, server.last_seen);
    insert->Bind(10, server.evidence_json.empty() ? std::string("[]") : server.evidence_json);
    RETURN_IF_ERROR(insert->Run());
  }
  return transaction ? transaction->Commit() : Status::Ok();
}

Status SqliteStore::ForEachStealerVictim(int64_t operation_id,
                                         const std::function<Status(const StealerVictimRow&)>& fn) {
  ASSIGN_OR_RETURN(
      auto select,
      connection_->Cached("SELECT id, operation_id, machine_id, family, ip, country, asn, os,"
                          " user_name, computer_name, build_id, infected_at, cookies, autofills,"
                          " credentials, source, ingested, purged FROM stealer_victims"
                          " WHERE operation_id = ? ORDER BY id",
                          "list stealer victims"));
  select->Bind(1, operation_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    StealerVictimRow victim;
    victim.id = select->Int(0);
    victim.operation_id = select->Int(1);
    victim.machine_id = select->Text(2);
    victim.family = select->Text(3);
    victim.ip = select->Text(4);
    victim.country = select->Text(5);
    victim.asn = select->Int(6);
    victim.os = select->Text(7);
    victim.user_name = select->Text(8);
    victim.computer_name = select->Text(9);
    victim.build_id = select->Text(10);
    victim.infected_at = select->Text(11);
    victim.cookies = select->Int(12);
    victim.autofills = select->Int(13);
    victim.credential_count = select->Int(14);
    victim.source = select->Text(15);
    victim.ingested = select->Text(16);
    victim.purged = select->Int(17) != 0;
    RETURN_IF_ERROR(fn(victim));
  }
}

Status SqliteStore::ForEachStealerCredential(
    int64_t operation_id, bool by_domain,
    const std::function<Status(int64_t victim_id, const StealerCredentialRow&)>& fn) {
  ASSIGN_OR_RETURN(
      auto select,
      connection_->Cached(by_domain
                              ? "SELECT c.victim_id, c.domain, c.username, c.username_sha1,"
                                " c.password_sha1 FROM stealer_victims v JOIN stealer_credentials c"
                                " ON c.victim_id = v.id WHERE v.operation_id = ?"
                                " ORDER BY c.domain, v.id"
                              : "SELECT c.victim_id, c.domain, c.username, c.username_sha1,"
                                " c.password_sha1 FROM stealer_victims v JOIN stealer_credentials c"
                                " ON c.victim_id = v.id WHERE v.operation_id = ? ORDER BY v.id",
                          "list stealer credentials"));
  select->Bind(1, operation_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    StealerCredentialRow credential{select->Text(1), select->Text(2), select->Text(3),
                                    select->Text(4)};
    RETURN_IF_ERROR(fn(select->Int(0), credential));
  }
}

Result<std::vector<StealerC2Row>> SqliteStore::ListStealerC2(int64_t operation_id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT id, operation_id, type, value, family, country, asn,"
                                       " as_org, first_seen, last_seen, evidence FROM stealer_c2"
                                       " WHERE operation_id = ? ORDER BY id",
                                       "list C2 servers"));
  select->Bind(1, operation_id);
  std::vector<StealerC2Row> all;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return all;
    all.push_back(ReadC2(*select));
  }
}

Result<std::vector<ExposureCount>> SqliteStore::ExposureRange(bool usernames,
                                                              const std::string& prefix) {
  // Five hex digits are the top 20 of the key's 60 bits: a key range.
  const int64_t low = DigestKey(prefix + std::string(10, '0'));
  const int64_t high = low + (int64_t{1} << 40);
  ASSIGN_OR_RETURN(
      auto select,
      connection_->Cached(
          usernames ? "SELECT username_sha1, COUNT(*) FROM stealer_credentials"
                      " WHERE username_key >= ?1 AND username_key < ?2 GROUP BY username_sha1"
                    : "SELECT password_sha1, COUNT(*) FROM stealer_credentials"
                      " WHERE password_key >= ?1 AND password_key < ?2 GROUP BY password_sha1",
          "exposure range"));
  select->Bind(1, low);
  select->Bind(2, high);
  std::vector<ExposureCount> counts;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return counts;
    const std::string digest = select->Text(0);
    if (digest.size() != 40) continue;
    counts.push_back({digest.substr(prefix.size()), select->Int(1)});
  }
}

Result<int64_t> SqliteStore::PurgeStealerPersonalData(int64_t operation_id,
                                                      const std::string& cutoff,
                                                      const AuditEntry& audit) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "purge stealer data"));
  ASSIGN_OR_RETURN(
      auto credentials,
      connection_->Cached("UPDATE stealer_credentials SET username = NULL, username_sha1 = NULL,"
                          " username_key = NULL"
                          " WHERE victim_id IN (SELECT id FROM stealer_victims WHERE"
                          " operation_id = ?1 AND purged = 0 AND ingested < ?2)",
                          "purge stealer credentials"));
  credentials->Bind(1, operation_id);
  credentials->Bind(2, cutoff);
  RETURN_IF_ERROR(credentials->Run());
  ASSIGN_OR_RETURN(
      auto victims,
      connection_->Cached("UPDATE stealer_victims SET ip = NULL, user_name = NULL,"
                          " computer_name = NULL, purged = 1 WHERE operation_id = ?1"
                          " AND purged = 0 AND ingested < ?2",
                          "purge stealer victims"));
  victims->Bind(1, operation_id);
  victims->Bind(2, cutoff);
  RETURN_IF_ERROR(victims->Run());
  const int64_t purged = victims->Changes();
  if (purged == 0) return int64_t{0};
  AuditEntry record = audit;
  record.detail = nlohmann::json{{"victims", purged}, {"cutoff", cutoff}}.dump();
  RETURN_IF_ERROR(AppendAuditRecord(*connection_, record));
  RETURN_IF_ERROR(transaction->Commit());
  return purged;
}

}  // namespace accord::sqlite
