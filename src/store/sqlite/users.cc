// SqliteStore: users (migration 3) and paged reads of the audit log.
#include <sqlite3.h>

#include <utility>

#include "core/time.h"
#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

constexpr std::string_view kUserColumns = "id, org_id, name, role, email, created, disabled";

Result<User> ReadUser(const Statement& row) {
  User user;
  user.id = row.Int(0);
  user.org_id = row.Int(1);
  user.name = row.Text(2);
  const std::string role = row.Text(3);
  std::optional<Role> parsed = ParseRole(role);
  if (!parsed) {
    return Status::Corruption("users: user " + user.name + " has unknown role '" + role + "'");
  }
  user.role = *parsed;
  user.email = row.Text(4);
  user.created = row.Text(5);
  user.disabled = row.Int(6) != 0;
  return user;
}

}  // namespace

Result<User> SqliteStore::CreateUser(const User& user) {
  if (user.name.empty()) return Status::Invalid("user: name is empty");
  User created = user;
  if (created.created.empty()) created.created = FormatTimestamp(SystemClock().Now());
  ASSIGN_OR_RETURN(auto insert,
                   connection_->Cached("INSERT INTO users(org_id, name, role, email, created,"
                                       " disabled) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                       "insert user"));
  insert->Bind(1, created.org_id);
  insert->Bind(2, created.name);
  insert->Bind(3, RoleName(created.role));
  insert->BindTextOrNull(4, created.email);
  insert->Bind(5, created.created);
  insert->Bind(6, int64_t{created.disabled ? 1 : 0});
  Result<bool> row = insert->Step();
  if (!row.ok()) {
    if (row.status().code() == Status::Code::kAlreadyExists) {
      return Status::AlreadyExists("user '" + created.name +
                                   "' already exists in organisation id " +
                                   std::to_string(created.org_id));
    }
    if (row.status().code() == Status::Code::kFailedPrecondition) {
      return Status::NotFound("user " + created.name + ": organisation id " +
                              std::to_string(created.org_id) + " does not exist");
    }
    return row.status();
  }
  created.id = insert->Int(0);
  RETURN_IF_ERROR(insert->Run());
  return created;
}

Result<std::optional<User>> SqliteStore::FindUser(int64_t org_id, const std::string& name) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT " + std::string(kUserColumns) +
                                           " FROM users WHERE org_id = ? AND name = ?",
                                       "find user"));
  select->Bind(1, org_id);
  select->Bind(2, name);
  ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) return std::optional<User>();
  ASSIGN_OR_RETURN(User user, ReadUser(*select));
  return std::optional<User>(std::move(user));
}

Result<std::vector<User>> SqliteStore::ListUsers(std::optional<int64_t> org_id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT " + std::string(kUserColumns) +
                                           " FROM users WHERE ?1 IS NULL OR org_id = ?1"
                                           " ORDER BY org_id, name",
                                       "list users"));
  if (org_id) select->Bind(1, *org_id);
  std::vector<User> users;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(User user, ReadUser(*select));
    users.push_back(std::move(user));
  }
  return users;
}

Status SqliteStore::SetUserDisabled(int64_t org_id, const std::string& name, bool disabled) {
  // The user flag and its keys change together or not at all; inside an
  // open batch the batch's transaction already guarantees that.
  std::unique_ptr<Transaction> transaction;
  if (sqlite3_get_autocommit(connection_->handle()) != 0) {
    ASSIGN_OR_RETURN(transaction, Transaction::Begin(*connection_, "disable user"));
  }
  {
    ASSIGN_OR_RETURN(auto update, connection_->Cached(
                                      "UPDATE users SET disabled = ? WHERE org_id = ? AND name = ?",
                                      "disable user"));
    update->Bind(1, int64_t{disabled ? 1 : 0});
    update->Bind(2, org_id);
    update->Bind(3, name);
    RETURN_IF_ERROR(update->Run());
    if (update->Changes() == 0) {
      return Status::NotFound("user '" + name + "' does not exist in organisation id " +
                              std::to_string(org_id));
    }
  }
  if (disabled) {
    ASSIGN_OR_RETURN(auto revoke, connection_->Cached(
                                      "UPDATE api_keys SET revoked = 1 WHERE org_id = ? AND user = ?",
                                      "revoke the keys of a disabled user"));
    revoke->Bind(1, org_id);
    revoke->Bind(2, name);
    RETURN_IF_ERROR(revoke->Run());
  }
  return transaction ? transaction->Commit() : Status::Ok();
}

Status SqliteStore::ForEachAuditAfter(int64_t after_seq, int64_t limit,
                                      const std::function<Status(const AuditEntry&)>& fn) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached(
                       "SELECT seq, time, actor, action, object, detail, source_address,"
                       " prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                       "read audit log page"));
  select->Bind(1, after_seq);
  select->Bind(2, limit > 0 ? limit : int64_t{-1});  // SQLite: a negative LIMIT means none
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    AuditEntry entry;
    entry.seq = select->Int(0);
    entry.time = select->Text(1);
    entry.actor = select->Text(2);
    entry.action = select->Text(3);
    entry.object = select->Text(4);
    entry.detail = select->Text(5);
    entry.source_address = select->Text(6);
    entry.prev_hash = select->Text(7);
    entry.hash = select->Text(8);
    RETURN_IF_ERROR(fn(entry));
  }
}

}  // namespace accord::sqlite
