#include "store/sqlite/connection.h"

#include <string>
#include <utility>

namespace accord::sqlite {
namespace {

// How long a write waits for another connection's write lock.
constexpr int kBusyWaitMs = 5000;
// How often it looks: SQLite's own busy timeout backs off to 100 ms
// between looks, and a bulk import that lets go of the lock for a few
// milliseconds between batches (SqliteImportBatch::Commit) was never caught
// at it, so a REST write beside a long import failed after 5 s every time.
constexpr int kBusyPollMs = 2;

int PollForLock(void* /*unused*/, int tries) {
  if (static_cast<int64_t>(tries) * kBusyPollMs >= kBusyWaitMs) return 0;  // give up: SQLITE_BUSY
  sqlite3_sleep(kBusyPollMs);
  return 1;
}

}  // namespace

Status SqliteError(sqlite3* db, int rc, std::string_view operation) {
  std::string message = "sqlite: " + std::string(operation) + ": ";
  // sqlite3_errmsg describes the connection's most recent error, which is
  // the one `rc` came from; fall back to the generic text without a handle.
  message += (db != nullptr) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::AlreadyExists(std::move(message));
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return Status::FailedPrecondition(std::move(message));
      return Status::Invalid(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(message + " (the node stayed locked by another write for " +
                                 std::to_string(kBusyWaitMs / 1000) + " s: try again)");
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Status::IoError(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

void Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Statement::Bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Statement::BindBlob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

std::string Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

void Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Statement::BindTextOrNull(int index, std::string_view text) {
  if (text.empty()) {
    BindNull(index);
  } else {
    Bind(index, text);
  }
}

void Statement::BindIdOrNull(int index, int64_t id) {
  if (id == 0) {
    BindNull(index);
  } else {
    Bind(index, id);
  }
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) {
    int rc = bind_error_;
    bind_error_ = SQLITE_OK;
    return Status::Internal("sqlite: " + operation_ + ": binding a parameter: " +
                            sqlite3_errstr(rc));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, operation_);
}

Status Statement::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

StatementLease::StatementLease(StatementLease&& other) noexcept
    : stmt_(other.stmt_), owned_(std::move(other.owned_)), busy_(other.busy_) {
  other.stmt_ = nullptr;
  other.busy_ = nullptr;
}

StatementLease::~StatementLease() {
  if (stmt_ != nullptr) stmt_->Reset();
  if (busy_ != nullptr) *busy_ = false;
}

namespace {

// SQLite keeps process-wide memory statistics behind a global mutex taken on
// every allocation; nothing here reads them (sqlite3_memory_used), and
// turning them off makes the import hot path ~8% faster (bench/import).
// This must precede SQLite's initialisation; if another part of the process
// initialised SQLite first, the call fails harmlessly and statistics stay on.
void DisableMemoryStatistics() {
  static const int kConfigured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kConfigured;
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool create) {
  DisableMemoryStatistics();
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteError(db, rc, "opening " + path);
    sqlite3_close_v2(db);  // a handle is returned even on failure
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_handler(db, PollForLock, nullptr);
  return std::unique_ptr<Connection>(new Connection(db, path));
}

Connection::~Connection() {
  // Statements must be finalized before the connection closes.
  cache_.clear();
  sqlite3_close_v2(db_);
}

Status Connection::Exec(std::string_view sql, std::string_view operation) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // the same text is available from sqlite3_errmsg
  if (rc != SQLITE_OK) return SqliteError(db_, rc, operation);
  return Status::Ok();
}

Result<std::unique_ptr<Statement>> Connection::PrepareWithFlags(std::string_view sql,
                                                                std::string_view operation,
                                                                unsigned int flags) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(db_, rc, "preparing " + std::string(operation));
  }
  return std::make_unique<Statement>(db_, stmt, std::string(operation));
}

Result<std::unique_ptr<Statement>> Connection::Prepare(std::string_view sql,
                                                       std::string_view operation) {
  return PrepareWithFlags(sql, operation, 0);
}

Result<StatementLease> Connection::Cached(std::string_view sql, std::string_view operation) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    ASSIGN_OR_RETURN(auto statement, PrepareWithFlags(sql, operation, SQLITE_PREPARE_PERSISTENT));
    it = cache_.emplace(std::string(sql), CachedStatement{std::move(statement), false}).first;
  }
  if (it->second.busy) {
    ASSIGN_OR_RETURN(auto statement, Prepare(sql, operation));
    return StatementLease(std::move(statement));
  }
  it->second.busy = true;
  return StatementLease(it->second.statement.get(), &it->second.busy);
}

Result<std::string> Connection::QueryText(std::string_view sql, std::string_view operation) {
  ASSIGN_OR_RETURN(auto statement, Prepare(sql, operation));
  ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return Status::Internal("sqlite: " + std::string(operation) + ": no result row");
  return statement->Text(0);
}

Result<int64_t> Connection::QueryInt(std::string_view sql, std::string_view operation) {
  ASSIGN_OR_RETURN(auto statement, Prepare(sql, operation));
  ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return Status::Internal("sqlite: " + std::string(operation) + ": no result row");
  return statement->Int(0);
}

Result<std::unique_ptr<Transaction>> Transaction::JoinOrBegin(Connection& connection,
                                                              std::string_view operation) {
  if (sqlite3_get_autocommit(connection.handle()) == 0) return std::unique_ptr<Transaction>();
  return Begin(connection, operation);
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Connection& connection,
                                                        std::string_view operation) {
  RETURN_IF_ERROR(connection.Exec("BEGIN IMMEDIATE", "begin " + std::string(operation)));
  return std::unique_ptr<Transaction>(new Transaction(connection, std::string(operation)));
}

Transaction::~Transaction() {
  if (!done_) {
    // Never throws, and a failed rollback leaves nothing to do: SQLite rolls
    // back an open transaction when the connection closes anyway.
    (void)connection_.Exec("ROLLBACK", "rollback " + operation_);
  }
}

Status Transaction::Commit() {
  if (done_) return Status::FailedPrecondition("sqlite: " + operation_ + ": already committed");
  RETURN_IF_ERROR(connection_.Exec("COMMIT", "commit " + operation_));
  done_ = true;
  return Status::Ok();
}

}  // namespace accord::sqlite
