#include "store/backup.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE (glibc 2.28)
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

namespace accord {
namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;

Result<Database> OpenDatabase(const std::string& path, int flags, const std::string& what) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) {
    return Status::IoError(what + " " + path + ": " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  // A writer holding the lock (an import's commit) is waited for, as the
  // node's own connections wait.
  sqlite3_busy_timeout(db.get(), 10000);
  return db;
}

// The partial copy, created empty and private before SQLite writes a page
// into it (SQLite would create it as the umask allows).
Status CreatePrivateFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("backup: cannot create " + path + ": " + std::strerror(errno));
  ::close(fd);
  return Status::Ok();
}

// fsync of a file, or of a directory (its entries: a new name in it).
Status FlushToDisk(const std::string& path, bool directory = false) {
  const std::string what = directory ? "the directory " + path : path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return Status::IoError("backup: cannot open " + what + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::IoError("backup: cannot flush " + what + ": " + std::strerror(errno));
  return Status::Ok();
}

// The copy takes its name only if nothing holds that name by then: a file
// made at `target` after the first check (another backup to the same name,
// a user's file) is never replaced. A file system without
// RENAME_NOREPLACE gets a hard link and an unlink, which fail the same way.
Status RenameWithoutReplacing(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return Status::Ok();
  int failure = errno;
  if (failure == EINVAL || failure == ENOSYS) {
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      return Status::Ok();
    }
    failure = errno;
  }
  if (failure == EEXIST) {
    return Status::Invalid("backup: " + to + " exists already; a backup never overwrites a file");
  }
  return Status::IoError("backup: cannot rename " + from + " to " + to + ": " + std::strerror(failure));
}

Status CopyInto(sqlite3* source, sqlite3* copy, const std::string& partial) {
  sqlite3_backup* backup = sqlite3_backup_init(copy, "main", source, "main");
  if (backup == nullptr) return Status::IoError("backup: " + std::string(sqlite3_errmsg(copy)));
  // Every page in one step: one read transaction, so one snapshot. In WAL
  // mode it does not stop the node's writers.
  int rc = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Status::IoError("backup: copying pages: " + std::string(sqlite3_errstr(rc)));
  if (finished != SQLITE_OK) return Status::IoError("backup: " + std::string(sqlite3_errmsg(copy)));
  // The copy is read back before it is called one.
  sqlite3_stmt* check = nullptr;
  rc = sqlite3_prepare_v2(copy, "PRAGMA quick_check", -1, &check, nullptr);
  std::string verdict;
  if (rc == SQLITE_OK && sqlite3_step(check) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(check, 0);
    verdict = text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(check);
  if (verdict != "ok") return Status::Corruption("backup: the copy " + partial + " does not check: " + verdict);
  return Status::Ok();
}

}  // namespace

Result<int64_t> BackupNode(const std::string& data_dir, const std::string& target) {
  if (target.empty()) return Status::Invalid("backup: no target file");
  const std::string db_path = (std::filesystem::path(data_dir) / "accord.db").string();
  std::error_code error;
  if (!std::filesystem::is_regular_file(db_path, error)) {
    return Status::NotFound("no Accord node at " + db_path + " (create one with `accord init`)");
  }
  if (std::filesystem::exists(target, error)) {
    return Status::Invalid("backup: " + target + " exists already; a backup never overwrites a file");
  }
  const std::string partial = target + ".partial";
  // Left by a backup that was stopped: never a usable copy, so it goes.
  std::filesystem::remove(partial, error);
  RETURN_IF_ERROR(CreatePrivateFile(partial));
  Status copied = [&]() -> Status {
    ASSIGN_OR_RETURN(Database source, OpenDatabase(db_path, SQLITE_OPEN_READONLY, "backup: cannot open the node's database"));
    ASSIGN_OR_RETURN(Database copy, OpenDatabase(partial, SQLITE_OPEN_READWRITE, "backup: cannot open"));
    return CopyInto(source.get(), copy.get(), partial);
  }();
  // The copy's connection is closed (its WAL folded in) before it is flushed and named.
  if (copied.ok()) copied = FlushToDisk(partial);
  if (copied.ok()) {
    copied = RenameWithoutReplacing(partial, target);
  }
  // The new name is an entry of the directory: flushed too, or a crash
  // could lose the copy that was reported written. A copy whose name may
  // not last is a failed backup, and a failed backup leaves no file.
  if (copied.ok()) {
    const std::filesystem::path parent = std::filesystem::path(target).parent_path();
    copied = FlushToDisk(parent.empty() ? "." : parent.string(), /*directory=*/true);
    if (!copied.ok()) std::filesystem::remove(target, error);
  }
  if (!copied.ok()) {
    std::filesystem::remove(partial, error);
    return copied;
  }
  const auto size = std::filesystem::file_size(target, error);
  if (error) return Status::IoError("backup: " + target + ": " + error.message());
  return static_cast<int64_t>(size);
}

}  // namespace accord
