// The node's front door: `accord serve`. One HTTP/1.1 server (cpp-httplib)
// carrying the REST API under /api/v1, TAXII 2.1 under /taxii2/, and health
// checks; every request is authenticated by API key (Bearer KEYID:SECRET, or
// Basic with KEYID as user and SECRET as password) and every read goes through
// MayRead (core/policy.h).
//
// Lifecycle: Create() validates the configuration, Start() binds (port 0 picks
// a free port, reported by port()), Wait() serves until Stop(). Stop() is safe
// from another thread (the signal thread of `accord serve`): it stops
// accepting, lets in-flight requests finish, then returns from Wait().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "notify/notify.h"

namespace accord {

struct ServerConfig {
  std::string data_dir;
  std::string host = "127.0.0.1";
  int port = 8470;
  // Workers: `threads` always run; up to `max_threads` when every one is
  // busy, since an open connection (keep-alive, or a slow client) holds
  // one (server/worker_pool.h).
  int threads = 32;
  int max_threads = 512;
  size_t max_body_bytes = 64 << 20;     // larger request bodies get 413
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
  int keep_alive_seconds = 5;
  std::string tls_cert_file;            // both set: HTTPS
  std::string tls_key_file;
  std::string public_url;               // for links in TAXII discovery; default from host:port
  // GeoIP for telemetry alerts: .mmdb paths or "tor:V4[,V6]"; empty = Debian's Tor ranges.
  std::vector<std::string> geoip;
  // How often the match snapshot is checked against the store's generation.
  int snapshot_refresh_seconds = 2;
  // A TAXII read first brings up to date the derived STIX (TAXII for every
  // event) of events with at most this many links; bigger ones are left to
  // the background housekeeper (every snapshot_refresh_seconds), so no reader
  // waits while a million-value list event is projected. A whole real feed
  // (maltrail's largest stealer trail has 31k values) is read at once.
  int64_t taxii_inline_refresh_links = 100000;
  // How often the 24/7 request clocks (reminders, escalations) are checked.
  int request_clock_seconds = 60;
  // The built web UI (index.html and assets) served at `/`; empty: none.
  std::string web_root;
  // Each new alert the operator organisation may read is POSTed here (as
  // GET /api/v1/alerts shows it), signed with the secret when one is given
  // (notify/notify.h). Empty: no webhook.
  std::string alert_webhook_url;
  std::string alert_webhook_secret;
  // Log lines (one per request, and background work): "json" lines or
  // "logfmt" (server/observability.h), each line handed to log_sink
  // (stderr when unset). access_log=false leaves requests out.
  std::string log_format = "json";
  bool access_log = true;
  std::function<void(std::string_view line)> log_sink;
  // Called by the background housekeeper (request clocks, purge, derived
  // STIX of big events) at the start of each pass. For tests: one that
  // holds it shows that this work never holds back the match snapshot.
  std::function<void()> before_housekeeping;
};

// Parses "127.0.0.1:8470", "[::1]:8470", ":8470" into host and port.
Status ParseListenAddress(const std::string& text, std::string* host, int* port);

class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(const ServerConfig& config, const Clock& clock);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status Start();
  int port() const;
  // Waits up to `limit` for the alert webhook's queue; what it delivered and
  // gave up on so far (all zero without a webhook). Stop drains it too.
  notify::WebhookStats DrainAlertWebhook(std::chrono::milliseconds limit);
  void Wait();
  void Stop();

  struct Impl;  // server.cc's

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace accord
