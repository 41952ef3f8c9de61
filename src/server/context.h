// What every route handler gets: the authenticated principal, a Store for
// this worker thread, the clock, and helpers to answer in JSON. Internal to
// src/server.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>

#include "core/policy.h"
#include "core/time.h"
#include "exchange/exchange.h"
#include "match/match.h"
#include "server/observability.h"
#include "server/server.h"
#include "store/store.h"

namespace accord::server {

// One Store per worker thread: a Store is single-threaded (store/store.h),
// and opening one per request would cost a connection each time.
class StorePool {
 public:
  explicit StorePool(std::string data_dir) : data_dir_(std::move(data_dir)) {}
  Result<Store*> ForThisThread();
  // Closes this thread's store, if it opened one (a worker that ends).
  void ReleaseThisThread();

 private:
  std::string data_dir_;
  std::mutex mu_;
  std::map<std::thread::id, std::unique_ptr<Store>> stores_;  // guarded by mu_
};

// Counts failed logins per client address within a window; past the limit
// the address is refused every key but a valid one until the window ends
// (see Authenticated). Successes do not reset the count.
class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, int max_failures, std::chrono::seconds window)
      : clock_(clock), max_failures_(max_failures), window_(window) {}
  bool Blocked(const std::string& address);
  void Failed(const std::string& address);

 private:
  struct Entry {
    int failures = 0;
    TimePoint window_start;
  };
  const Clock& clock_;
  int max_failures_;
  std::chrono::seconds window_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
};

// What the telemetry endpoint matches with: a snapshot and the router built
// from the same store generation, replaced together by the refresher thread
// (server.cc) when indicators, organisations or constituencies change.
// Requests take the current pair and never wait for a rebuild.
struct MatchEngine {
  std::shared_ptr<const match::Snapshot> snapshot;
  std::shared_ptr<const match::Router> router;
};

class LiveMatchEngine {
 public:
  std::shared_ptr<const MatchEngine> Get() const { return std::atomic_load(&engine_); }
  void Set(std::shared_ptr<const MatchEngine> engine) { std::atomic_store(&engine_, std::move(engine)); }

 private:
  std::shared_ptr<const MatchEngine> engine_;
};

struct ServerState {
  ServerConfig config;
  const Clock& clock;
  StorePool stores;
  LoginThrottle throttle;
  std::string base_url;  // "http://127.0.0.1:8470"
  // Set when the operator configured public_url: links then use base_url
  // whatever the request's Host header says.
  bool base_url_configured = false;
  std::shared_ptr<const geo::GeoDatabase> geo;  // null: alerts carry no country
  LiveMatchEngine match;
  // The loaded warning lists' matcher, shared by imports, TAXII posts and
  // event edits.
  WarningListCache warning_lists;
  // ServerConfig::alert_webhook_url's sender, and the organisation whose
  // view decides which alerts it sends (the node's operator). Null: none.
  std::unique_ptr<notify::Webhook> alert_webhook;
  int64_t alert_webhook_org_id = 0;
  // GET /metrics and the log lines (server/observability.h).
  Metrics metrics;
  std::unique_ptr<LogWriter> log;
  double start_time_seconds = 0;
};

// Builds a MatchEngine from `store` as it is now.
Result<std::shared_ptr<const MatchEngine>> BuildMatchEngine(Store& store, ServerState& state);

struct RequestContext {
  Principal principal;
  std::string key_id;
  std::string user;            // the key's holder (ApiKey::user), for what people read
  std::string actor;           // "key:<key id>", for the audit log
  std::string remote_address;
  Store* store = nullptr;
  ServerState* state = nullptr;
};

// Error bodies. REST: {"error": {"status": 400, "message": "..."}}.
// TAXII 2.1: an error resource {"title", "description", "http_status"} with
// the TAXII media type.
void WriteJson(httplib::Response& res, int status, const nlohmann::json& body,
               const char* content_type = "application/json");
void WriteRestError(httplib::Response& res, int status, const std::string& message);
// Commit points of an import inside a request (a REST upload, a TAXII POST),
// beside other workers' writes: every 20,000 values, well under a second of
// holding the write lock here, and never by time (ImportOptions'
// batch_seconds = 0), so the answer can say exactly which values were
// committed before an error. `accord import` batches larger (see
// ImportOptions).
inline constexpr size_t kImportBatchInRequest = 20000;

inline constexpr const char* kTaxiiMediaType = "application/taxii+json;version=2.1";
inline constexpr const char* kStixMediaType = "application/stix+json;version=2.1";
void WriteTaxiiError(httplib::Response& res, int status, const std::string& title,
                     const std::string& description);
// Maps a Status code to an HTTP status (kInvalidArgument -> 400, ...).
int HttpStatusFor(const Status& status);

// Whether the JSON text nests arrays and objects deeper than `max_depth`
// (brackets inside strings do not count). Bodies are checked before they are
// parsed: nlohmann::json copies and writes values recursively, so a 200 KB
// body of nested brackets would end the process.
bool JsonNestsDeeperThan(std::string_view text, int max_depth);
// Deep enough for any STIX object or request body Accord takes.
inline constexpr int kMaxJsonBodyDepth = 128;

using Handler = std::function<void(const httplib::Request&, httplib::Response&, RequestContext&)>;
enum class ErrorStyle { kRest, kTaxii };

// Wraps a handler: authenticates the request (401 with WWW-Authenticate when
// absent or wrong, 429 when throttled), opens the thread's Store, and turns
// any escaped exception into a 500 that names nothing internal.
httplib::Server::Handler Authenticated(ServerState& state, ErrorStyle style, Handler handler);

// Route groups, one file each.
void RegisterHealthRoutes(httplib::Server& http, ServerState& state);
// The web UI's files at `/` with the app's page fallback (web_ui.cc).
Status RegisterWebUi(httplib::Server& http, const std::string& web_root);
void RegisterRestRoutes(httplib::Server& http, ServerState& state);
void RegisterTaxiiRoutes(httplib::Server& http, ServerState& state);
void RegisterTelemetryRoutes(httplib::Server& http, ServerState& state);

}  // namespace accord::server
