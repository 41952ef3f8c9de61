// Helpers shared by the test suites: temporary directories, the optional
// shared data folder, and a settable clock.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"

namespace accord::testing {

// A fresh directory under the system temp dir, removed when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string Join(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// ../shared/data (or $ACCORD_SHARED_DATA) when present. Tests that need it
// call GTEST_SKIP() when this is nullopt: a user's fresh clone has no copy.
std::optional<std::filesystem::path> SharedData();

void WriteFile(const std::string& path, const std::string& content);

enum class ArchiveKind { kZip, kTar, kTarGz, kGzip };

// An archive of (name, content) files written with libarchive, as the tests
// cannot count on a zip tool. Names ending in "/" are directories. kGzip is
// one file's content gzip-compressed, without a tar around it.
std::string ArchiveOf(const std::vector<std::pair<std::string, std::string>>& files,
                      ArchiveKind kind = ArchiveKind::kZip);
std::string ReadFile(const std::string& path);

// Runs a command line (the `accord` binary and its arguments, quoted by the
// caller) through the shell, capturing stdout, stderr and the exit code.
// `env` is prefixed (e.g. "ACCORD_DATA=/x"), `cwd` changes directory first.
struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};
struct CliInvocation {
  std::string env;
  std::string cwd;
  std::string stdin_path = "/dev/null";
};
CliRun RunCli(const std::string& binary, const std::string& args, const CliInvocation& how = {});

// A clock tests set by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Set(TimePoint t) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = t;
  }
  void Advance(std::chrono::microseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

}  // namespace accord::testing
