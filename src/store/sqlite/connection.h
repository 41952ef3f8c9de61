// A small RAII layer over the SQLite C API: one connection, its prepared
// statements, and transactions. Every SQLite failure becomes a Status whose
// message names the operation that failed ("sqlite: insert organisation:
// UNIQUE constraint failed: organisations.name").
//
// Thread safety: none. A Connection (and everything prepared on it) is used by
// one thread at a time; the connection is opened with SQLITE_OPEN_NOMUTEX.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace accord::sqlite {

// Maps an SQLite result code to a Status: UNIQUE/PRIMARY KEY violations become
// kAlreadyExists, FOREIGN KEY violations kFailedPrecondition, corruption
// kCorruption, I/O, full disk and lock timeouts kIoError, the rest kInternal.
Status SqliteError(sqlite3* db, int rc, std::string_view operation);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string operation)
      : db_(db), stmt_(stmt), operation_(std::move(operation)) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied at bind time, so the
  // caller's string need not outlive the call. A bind failure is reported by
  // the next Step()/Run().
  void Bind(int index, int64_t value);
  void Bind(int index, std::string_view text);
  void BindNull(int index);
  void BindBlob(int index, std::string_view bytes);
  // Absent optional values are stored as NULL, never as '' (or as id 0).
  void BindTextOrNull(int index, std::string_view text);
  void BindIdOrNull(int index, int64_t id);

  // One step: true when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps until done, ignoring any rows (INSERT/UPDATE/DELETE).
  Status Run();
  // Clears the statement's state and bindings for its next use.
  void Reset();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  // NULL reads as "".
  std::string Text(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  // Rows changed by the last Run()/Step() of any statement on the connection.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // Rowid of the connection's last successful INSERT.
  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  const std::string& operation() const { return operation_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string operation_;
  int bind_error_ = SQLITE_OK;
};

// Use of a cached statement. It is reset (and its bindings cleared) when the
// lease ends, so no cached statement stays half-stepped holding a read
// snapshot open. A statement already leased (a callback re-entering the
// store) is not shared: the second lease gets a private copy.
class StatementLease {
 public:
  StatementLease(Statement* stmt, bool* busy) : stmt_(stmt), busy_(busy) {}
  explicit StatementLease(std::unique_ptr<Statement> owned)
      : stmt_(owned.get()), owned_(std::move(owned)) {}
  StatementLease(StatementLease&& other) noexcept;
  StatementLease& operator=(StatementLease&&) = delete;
  StatementLease(const StatementLease&) = delete;
  ~StatementLease();

  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
  std::unique_ptr<Statement> owned_;
  bool* busy_ = nullptr;
};

class Connection {
 public:
  // Opens (and with `create`, creates) the database file at `path`.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs one or more SQL statements that return nothing of interest.
  Status Exec(std::string_view sql, std::string_view operation);
  // A fresh statement owned by the caller (dynamic SQL).
  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql, std::string_view operation);
  // A statement prepared once per SQL text and reused: the store's fixed
  // queries go through here so no call plans its query again.
  Result<StatementLease> Cached(std::string_view sql, std::string_view operation);

  // The single-column, single-row result of `sql` (PRAGMA values, counts).
  Result<std::string> QueryText(std::string_view sql, std::string_view operation);
  Result<int64_t> QueryInt(std::string_view sql, std::string_view operation);

  int64_t Changes() const { return sqlite3_changes64(db_); }

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Result<std::unique_ptr<Statement>> PrepareWithFlags(std::string_view sql,
                                                      std::string_view operation,
                                                      unsigned int flags);

  struct CachedStatement {
    std::unique_ptr<Statement> statement;
    bool busy = false;
  };

  sqlite3* db_;
  std::string path_;
  // Node-based map: CachedStatement addresses stay valid as it grows, which
  // the leases rely on.
  std::unordered_map<std::string, CachedStatement> cache_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back on destruction unless committed.
// IMMEDIATE takes the write lock up front, so a transaction never fails half
// way with SQLITE_BUSY when it first writes (busy_timeout waits instead).
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Connection& connection,
                                                    std::string_view operation);
  // Joins the transaction already open on the connection (returning null:
  // its owner commits) or begins one.
  static Result<std::unique_ptr<Transaction>> JoinOrBegin(Connection& connection,
                                                          std::string_view operation);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Commit();
  bool committed() const { return done_; }

 private:
  Transaction(Connection& connection, std::string operation)
      : connection_(connection), operation_(std::move(operation)) {}
  Connection& connection_;
  std::string operation_;
  bool done_ = false;
};

}  // namespace accord::sqlite
