// The spec's crash bar, end to end: killing the server (or `accord import`)
// during an import loses nothing committed and corrupts nothing, and a
// restarted server serves the same data. The processes are the real binary,
// killed with SIGKILL so no shutdown code runs; the database is read back
// with SQLite's own checks.
//
// What "committed" means is observed, not assumed: a second connection
// polls the database while the import runs and the kill comes only once it
// sees a committed batch, so every run kills an import half done.
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <thread>

#include "testing/serve_process.h"
#include "testing/testing.h"

namespace accord {
namespace {

using nlohmann::json;
using testing::ServeProcess;

// Both the server and `accord import` commit every 20,000 values here
// (the server's kImportBatchInRequest; the CLI is told so).
constexpr int64_t kBatch = 20000;
// Enough batches that no machine finishes the import between the first
// commit being seen and the kill.
constexpr int64_t kValues = 15 * kBatch;

struct HttpResult {
  long status = 0;
  std::string body;
  std::string etag;
};

HttpResult Http(const std::string& method, int port, const std::string& path,
                const std::string& token, const std::string& body = "",
                const std::string& content_type = "") {
  HttpResult result;
  CURL* curl = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  struct curl_slist* headers =
      curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
  if (!content_type.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* out) {
        static_cast<std::string*>(out)->append(data, size * count);
        return size * count;
      });
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.etag);
  curl_easy_setopt(
      curl, CURLOPT_HEADERFUNCTION, +[](char* data, size_t size, size_t count, void* out) {
        const std::string line(data, size * count);
        if (line.rfind("ETag:", 0) == 0 || line.rfind("etag:", 0) == 0) {
          *static_cast<std::string*>(out) = line.substr(5, line.find_last_not_of("\r\n") - 4);
        }
        return size * count;
      });
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 300L);
  if (curl_easy_perform(curl) == CURLE_OK)
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

// One integer from a fresh read-only connection (each poll sees the latest
// commit); nullopt while the database or the table is not there yet.
std::optional<int64_t> QueryInt(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::optional<int64_t> value;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db);
  return value;
}

// Every row of a one-column pragma, joined by newlines.
std::string PragmaRows(const std::string& db_path, const std::string& pragma) {
  sqlite3* db = nullptr;
  std::string rows;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return "cannot open " + db_path;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, pragma.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    rows = sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int column = 0; column < sqlite3_column_count(stmt); ++column) {
        const unsigned char* text = sqlite3_column_text(stmt, column);
        rows += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
        rows += column + 1 < sqlite3_column_count(stmt) ? "|" : "\n";
      }
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return rows;
}

// Polls `sql` until it gives a value above zero, or `still_running` says the
// writer is gone, or a minute passes. Returns the last value seen.
int64_t WaitForFirstCommit(const std::string& db_path, const std::string& sql,
                           const std::function<bool()>& still_running) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  int64_t seen = 0;
  while (std::chrono::steady_clock::now() < deadline && still_running()) {
    seen = QueryInt(db_path, sql).value_or(0);
    if (seen > 0) break;
  }
  return seen;
}

std::string DomainList(int64_t count) {
  std::string list;
  list.reserve(static_cast<size_t>(count) * 28);
  for (int64_t n = 0; n < count; ++n) list += "crash-" + std::to_string(n) + ".example.net\n";
  return list;
}

class CrashRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CliRun init = testing::RunCli(ACCORD_BINARY, "init --data '" + Node() + "'");
    ASSERT_EQ(init.exit_code, 0) << init.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(init.out, m, std::regex("(ak_[0-9a-f]{16}:[0-9a-f]{64})")))
        << init.out;
    token_ = m[1];
  }
  std::string Node() const { return dir_.Join("node"); }
  std::string Db() const { return dir_.Join("node") + "/accord.db"; }

  // What a crash must never leave behind: a damaged file, a dangling
  // reference, or an event whose count disagrees with its links (half a
  // batch).
  void ExpectConsistent() {
    EXPECT_EQ(PragmaRows(Db(), "PRAGMA integrity_check"), "ok\n");
    EXPECT_EQ(PragmaRows(Db(), "PRAGMA foreign_key_check"), "");
    EXPECT_EQ(PragmaRows(Db(),
                         "SELECT id, observable_count, (SELECT COUNT(*) FROM links"
                         " WHERE event_id = events.id) AS linked FROM events"
                         " WHERE observable_count <> linked"),
              "");
  }

  testing::TempDir dir_;
  std::string token_;
};

TEST_F(CrashRecoveryTest, KilledServerKeepsEveryCommittedBatchAndServesTheSameDataAfterRestart) {
  const std::string stderr_path = dir_.Join("serve.err");
  std::string baseline_uuid;
  HttpResult baseline_before;
  int64_t committed_before_kill = 0;
  {
    ServeProcess serve(ACCORD_BINARY, Node(), stderr_path);
    ASSERT_GT(serve.port(), 0) << testing::ReadFile(stderr_path);
    // Data that was there before the import, read back after the restart.
    HttpResult baseline = Http("POST", serve.port(), "/api/v1/import?title=before%20the%20crash",
                               token_, "198.51.100.7\nbefore.example.org\n", "text/plain");
    ASSERT_EQ(baseline.status, 200) << baseline.body;
    baseline_uuid = json::parse(baseline.body)["report"]["touched_events"][0]["uuid"];
    baseline_before = Http("GET", serve.port(), "/api/v1/events/" + baseline_uuid, token_);
    ASSERT_EQ(baseline_before.status, 200) << baseline_before.body;
    ASSERT_FALSE(baseline_before.etag.empty());

    const std::string list = DomainList(kValues);
    std::thread upload([&] {
      Http("POST", serve.port(), "/api/v1/import?title=crash", token_, list, "text/plain");
    });
    const std::string committed_sql =
        "SELECT COUNT(*) FROM links WHERE event_id = (SELECT id FROM events WHERE title = 'crash')";
    committed_before_kill = WaitForFirstCommit(Db(), committed_sql, [] { return true; });
    serve.Kill();
    upload.join();
    ASSERT_GT(committed_before_kill, 0) << "no batch was committed within a minute";
    const int64_t at_kill = QueryInt(Db(), committed_sql).value_or(-1);
    ASSERT_LT(at_kill, kValues) << "the import finished before the kill; raise kValues";
    // Whole batches only, and at least what a reader saw before the kill.
    EXPECT_GE(at_kill, committed_before_kill);
    EXPECT_EQ(at_kill % kBatch, 0) << at_kill;
    committed_before_kill = at_kill;
    EXPECT_EQ(QueryInt(Db(), "SELECT COUNT(*) FROM events WHERE title = 'crash'"), 1);
  }
  ExpectConsistent();

  ServeProcess restarted(ACCORD_BINARY, Node(), stderr_path);
  ASSERT_GT(restarted.port(), 0) << testing::ReadFile(stderr_path);
  HttpResult baseline_after =
      Http("GET", restarted.port(), "/api/v1/events/" + baseline_uuid, token_);
  EXPECT_EQ(baseline_after.status, 200);
  EXPECT_EQ(baseline_after.body, baseline_before.body);
  EXPECT_EQ(baseline_after.etag, baseline_before.etag);

  const json listed = json::parse(Http("GET", restarted.port(), "/api/v1/events", token_).body);
  int64_t served_count = -1;
  for (const json& event : listed["events"]) {
    if (event["title"] == "crash") served_count = event["indicator_count"].get<int64_t>();
  }
  EXPECT_EQ(served_count, committed_before_kill);

  // Sending the feed again completes it: what was committed is known, the
  // rest is new, nothing is counted twice.
  HttpResult resumed = Http("POST", restarted.port(), "/api/v1/import?title=crash", token_,
                            DomainList(kValues), "text/plain");
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  const json report = json::parse(resumed.body)["report"];
  EXPECT_EQ(report["known_values"].get<int64_t>(), committed_before_kill);
  EXPECT_EQ(report["new_values"].get<int64_t>(), kValues - committed_before_kill);
  EXPECT_EQ(restarted.Terminate(), 0);
  ExpectConsistent();
  EXPECT_EQ(QueryInt(Db(), "SELECT COUNT(*) FROM links"), kValues + 2);
}

TEST_F(CrashRecoveryTest, KilledImportCommandKeepsWholeBatchesAndARerunCompletesTheFile) {
  const std::string list_path = dir_.Join("feed.txt");
  testing::WriteFile(list_path, DomainList(kValues));
  std::vector<std::string> args = {
      ACCORD_BINARY,          "import",          "--data", Node(),   "--batch-size",
      std::to_string(kBatch), "--batch-seconds", "0",      list_path};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  ASSERT_EQ(posix_spawn(&pid, ACCORD_BINARY, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  bool exited = false;
  const int64_t seen = WaitForFirstCommit(Db(), "SELECT COUNT(*) FROM links", [&] {
    exited = exited || ::waitpid(pid, nullptr, WNOHANG) == pid;
    return !exited;
  });
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  ASSERT_FALSE(exited) << "accord import ended before the kill";
  ASSERT_GT(seen, 0);
  const int64_t at_kill = QueryInt(Db(), "SELECT COUNT(*) FROM links").value_or(-1);
  ASSERT_LT(at_kill, kValues) << "the import finished before the kill; raise kValues";
  EXPECT_GE(at_kill, seen);
  EXPECT_EQ(at_kill % kBatch, 0) << at_kill;
  ExpectConsistent();

  testing::CliRun rerun =
      testing::RunCli(ACCORD_BINARY, "import --data '" + Node() + "' '" + list_path + "'");
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const std::string expected = std::to_string(kValues - at_kill) + " new, " +
                               std::to_string(at_kill) + " already known, 0 rejected";
  EXPECT_NE((rerun.out + rerun.err).find(expected), std::string::npos) << rerun.out << rerun.err;
  ExpectConsistent();
  EXPECT_EQ(QueryInt(Db(), "SELECT COUNT(*) FROM links"), kValues);
}

}  // namespace
}  // namespace accord
