// SqliteStore's warning lists: storing a MISP warning list, re-marking the
// observables it covers, and the generation the match snapshot watches.
#include <cstdio>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

// A JSON array of strings, for warninglists.matching_attributes (read back
// with SQLite's json_each, so no JSON library is needed here).
std::string JsonStringArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
    if (value_idx > 0) out += ',';
    out += '"';
    for (unsigned char c : values[value_idx]) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        out += escaped;
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '"';
  }
  out += ']';
  return out;
}

}  // namespace

Result<int64_t> SqliteStore::PutWarningList(const WarningListRecord& list) {
  if (list.name.empty()) return Status::Invalid("warning list: name is empty");
  std::string operation = "store warning list '" + list.name + "'";
  ASSIGN_OR_RETURN(auto transaction, Transaction::JoinOrBegin(*connection_, operation));
  int64_t list_id = 0;
  {
    ASSIGN_OR_RETURN(auto upsert,
                     connection_->Cached(
                         "INSERT INTO warninglists(name, description, type, version,"
                         " matching_attributes) VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE"
                         " SET description = excluded.description, type = excluded.type,"
                         " version = excluded.version,"
                         " matching_attributes = excluded.matching_attributes RETURNING id",
                         operation));
    upsert->Bind(1, list.name);
    upsert->BindTextOrNull(2, list.description);
    upsert->BindTextOrNull(3, list.type);
    upsert->Bind(4, list.version);
    upsert->Bind(5, JsonStringArray(list.matching_attributes));
    ASSIGN_OR_RETURN(bool row, upsert->Step());
    if (!row) return Status::Internal("sqlite: " + operation + ": no id returned");
    list_id = upsert->Int(0);
    RETURN_IF_ERROR(upsert->Run());
  }
  {
    ASSIGN_OR_RETURN(auto clear, connection_->Cached(
                                     "DELETE FROM warninglist_entries WHERE list_id = ?",
                                     operation));
    clear->Bind(1, list_id);
    RETURN_IF_ERROR(clear->Run());
  }
  ASSIGN_OR_RETURN(auto insert, connection_->Cached(
                                    "INSERT INTO warninglist_entries(list_id, value) VALUES (?, ?)",
                                    operation));
  for (const std::string& entry : list.entries) {
    insert->Bind(1, list_id);
    insert->Bind(2, entry);
    RETURN_IF_ERROR(insert->Run());
    insert->Reset();
  }
  RETURN_IF_ERROR(BumpWarningListGeneration(operation));
  if (transaction) RETURN_IF_ERROR(transaction->Commit());
  return list_id;
}

Status SqliteStore::BumpWarningListGeneration(const std::string& operation) {
  ASSIGN_OR_RETURN(auto bump, connection_->Cached(
                                  "INSERT INTO meta(key, value) VALUES ('warninglists.generation', '1')"
                                  " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                                  operation));
  return bump->Run();
}

Result<int64_t> SqliteStore::WarningListGeneration() {
  ASSIGN_OR_RETURN(auto select, connection_->Cached("SELECT CAST(value AS INTEGER) FROM meta"
                                                    " WHERE key = 'warninglists.generation'",
                                                    "read the warning lists' generation"));
  ASSIGN_OR_RETURN(bool found, select->Step());
  return found ? select->Int(0) : int64_t{0};
}

Result<Store::WarningListChanges> SqliteStore::RemarkObservables(const std::string& operation,
                                                                  const WarningListMarkFn& mark_for) {
  // Marks are gathered first and written after the scan: updating the rows
  // a statement is still walking is left undefined by SQLite.
  std::vector<std::pair<int64_t, std::string>> changed;
  WarningListChanges changes;
  {
    ASSIGN_OR_RETURN(auto select,
                     connection_->Cached("SELECT id, type, value, COALESCE(warninglist, '')"
                                         " FROM observables",
                                         operation));
    Observable observable;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      observable.type = static_cast<ObservableType>(select->Int(1));
      observable.value = select->Text(2);
      std::string current = select->Text(3);
      std::string mark = mark_for(observable, current);
      if (mark == current) continue;
      if (mark.empty()) {
        ++changes.cleared;
      } else if (current.empty()) {
        ++changes.flagged;
      }
      changed.emplace_back(select->Int(0), std::move(mark));
    }
  }
  ASSIGN_OR_RETURN(auto update, connection_->Cached(
                                    "UPDATE observables SET warninglist = ? WHERE id = ?", operation));
  for (const auto& [id, mark] : changed) {
    update->BindTextOrNull(1, mark);
    update->Bind(2, id);
    RETURN_IF_ERROR(update->Run());
    update->Reset();
  }
  return changes;
}

Result<Store::WarningListChanges> SqliteStore::ReplaceWarningList(
    const WarningListRecord& list, const WarningListMarkFn& mark_for,
    const std::function<AuditEntry(const WarningListChanges&)>& audit_for) {
  const std::string operation = "load warning list '" + list.name + "'";
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, operation));
  RETURN_IF_ERROR(PutWarningList(list).status());
  ASSIGN_OR_RETURN(WarningListChanges changes, RemarkObservables(operation, mark_for));
  RETURN_IF_ERROR(AppendAuditRecord(*connection_, audit_for(changes)));
  RETURN_IF_ERROR(transaction->Commit());
  return changes;
}

Result<Store::WarningListChanges> SqliteStore::RemoveWarningList(
    const std::string& name, const WarningListMarkFn& mark_for,
    const std::function<AuditEntry(const WarningListChanges&)>& audit_for) {
  const std::string operation = "remove warning list '" + name + "'";
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, operation));
  {
    ASSIGN_OR_RETURN(auto find, connection_->Cached("SELECT id FROM warninglists WHERE name = ?",
                                                    operation));
    find->Bind(1, name);
    ASSIGN_OR_RETURN(bool row, find->Step());
    if (!row) return Status::NotFound("no warning list named '" + name + "'");
    const int64_t list_id = find->Int(0);
    ASSIGN_OR_RETURN(auto entries, connection_->Cached(
                                       "DELETE FROM warninglist_entries WHERE list_id = ?", operation));
    entries->Bind(1, list_id);
    RETURN_IF_ERROR(entries->Run());
    ASSIGN_OR_RETURN(auto remove,
                     connection_->Cached("DELETE FROM warninglists WHERE id = ?", operation));
    remove->Bind(1, list_id);
    RETURN_IF_ERROR(remove->Run());
  }
  RETURN_IF_ERROR(BumpWarningListGeneration(operation));
  ASSIGN_OR_RETURN(WarningListChanges changes, RemarkObservables(operation, mark_for));
  RETURN_IF_ERROR(AppendAuditRecord(*connection_, audit_for(changes)));
  RETURN_IF_ERROR(transaction->Commit());
  return changes;
}

Result<std::vector<WarningListRecord>> SqliteStore::LoadWarningLists() {
  ASSIGN_OR_RETURN(auto lists, connection_->Cached(
                                   "SELECT id, name, description, type, version,"
                                   " matching_attributes FROM warninglists ORDER BY id",
                                   "load warning lists"));
  std::vector<WarningListRecord> result;
  while (true) {
    ASSIGN_OR_RETURN(bool row, lists->Step());
    if (!row) break;
    WarningListRecord list;
    list.id = lists->Int(0);
    list.name = lists->Text(1);
    list.description = lists->Text(2);
    list.type = lists->Text(3);
    list.version = lists->Int(4);
    {
      ASSIGN_OR_RETURN(auto attributes,
                       connection_->Cached("SELECT value FROM json_each(?)",
                                           "read warning list matching_attributes"));
      attributes->Bind(1, lists->Text(5));
      while (true) {
        ASSIGN_OR_RETURN(bool attribute_row, attributes->Step());
        if (!attribute_row) break;
        list.matching_attributes.push_back(attributes->Text(0));
      }
    }
    ASSIGN_OR_RETURN(auto entries, connection_->Cached(
                                       "SELECT value FROM warninglist_entries WHERE list_id = ?"
                                       " ORDER BY rowid",
                                       "load warning list entries"));
    entries->Bind(1, list.id);
    while (true) {
      ASSIGN_OR_RETURN(bool entry_row, entries->Step());
      if (!entry_row) break;
      list.entries.push_back(entries->Text(0));
    }
    result.push_back(std::move(list));
  }
  return result;
}

}  // namespace accord::sqlite
