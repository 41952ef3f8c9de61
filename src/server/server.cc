#include "server/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <charconv>
#include <chrono>
#include <ctime>
#include <cmath>
#include <thread>

#include "exchange/exchange.h"
#include "requests/request_ops.h"
#include "stealer/ingest.h"
#include "server/admin_routes.h"
#include "server/context.h"
#include "server/worker_pool.h"

namespace accord {
namespace {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 411: return "Length Required";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Error";
  }
}

}  // namespace

struct Server::Impl {
  Impl(const ServerConfig& config, const Clock& clock)
      : state{config, clock, server::StorePool(config.data_dir),
              server::LoginThrottle(clock, 10, std::chrono::seconds(60)), ""} {}
  server::ServerState state;
  std::unique_ptr<httplib::Server> http;
  int port = 0;
  std::atomic<bool> serving{false};         // Wait() was called
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> finished{false};        // Wait() returned
  // Two background threads, each with its own store connection, so that
  // neither waits for the other's work:
  // - the match snapshot refresher wakes every snapshot_refresh_seconds and
  //   swaps in a new engine when the store's generation moved: early
  //   warning on new indicators within seconds;
  // - the housekeeper runs the request clocks, the victims' data purge and
  //   the derived STIX of big events. Projecting a million-value event
  //   takes a minute on a small machine; when this thread also refreshed
  //   the snapshot, values imported meanwhile were matched only after it.
  // Both wake at Stop.
  std::thread snapshot_refresher;
  std::thread housekeeper;
  std::mutex background_mu;
  std::condition_variable background_wake;
  bool background_stop = false;  // guarded by background_mu
};

namespace {

// One log line per reminder or escalation, for whoever watches the log (the
// notices are also stored for the parties to list).
void RunRequestClocks(Store& store, const Clock& clock, const server::LogWriter& log) {
  auto raised = requests::RunClocks(store, clock);
  if (!raised.ok()) {
    log.Write("error", "request.clocks_failed", {{"error", raised.status().ToString()}});
    return;
  }
  for (const RequestNotice& notice : *raised) {
    log.Write("warn", "request." + notice.kind,
              {{"request_id", notice.request_id}, {"organisation_id", notice.org_id},
               {"addressee", notice.addressee}, {"message", notice.message},
               {"created", notice.created}});
  }
}

// Victims' personal data past its operation's retention is purged without
// anyone having to remember (the spec's "automatic purge").
void RunStealerPurge(Store& store, const Clock& clock, const server::LogWriter& log) {
  auto purged = stealer::PurgeExpired(store, "", "server:retention", clock);
  if (!purged.ok()) {
    log.Write("error", "stealer.purge_failed", {{"error", purged.status().ToString()}});
    return;
  }
  for (const auto& [operation, count] : *purged) {
    if (count == 0) continue;
    log.Write("info", "stealer.purge", {{"operation", operation}, {"victims", count}});
  }
}

// A response's body size for the log: a streamed one (an export, a TAXII
// page) has no body string, only its provider's announced length (0 when
// chunked: unknown until sent).
size_t BodyBytes(const httplib::Response& res) {
  return res.content_provider_ ? res.content_length_ : res.body.size();
}

// Swaps in a new match engine when the store's generation moved.
void RefreshMatchEngine(Store& store, server::ServerState& state) {
  auto generation = store.IndicatorGeneration();
  std::shared_ptr<const server::MatchEngine> current = state.match.Get();
  if (!generation.ok() || (current && current->snapshot->generation() == *generation)) return;
  auto next = server::BuildMatchEngine(store, state);
  if (next.ok()) {
    state.match.Set(*next);
  } else {
    state.log->Write("error", "snapshot.rebuild_failed", {{"error", next.status().ToString()}});
  }
}

// The derived STIX of events too big for a TAXII read to project on the
// spot (ServerConfig::taxii_inline_refresh_links), and of any event no
// reader asked for yet, so the first read finds it ready.
// A stop ends it part-way (a million-value event takes about 20 s); what
// was committed stays and the next start finishes it.
void RefreshEventStix(Store& store, server::ServerState& state, const std::atomic<bool>& stopping) {
  const auto started = std::chrono::steady_clock::now();
  auto refreshed = RefreshDerivedStix(store, state.clock.Now(), 0, [&stopping] { return stopping.load(); });
  if (stopping.load()) return;
  if (!refreshed.ok()) {
    state.log->Write("error", "taxii.derived_stix_failed", {{"error", refreshed.status().ToString()}});
    return;
  }
  if (*refreshed == 0) return;
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  state.log->Write("info", "taxii.derived_stix", {{"events", *refreshed}, {"ms", static_cast<int64_t>(took.count())}});
}

// Waits `seconds` or until Stop; false at Stop.
bool WaitForNextPass(Server::Impl* impl, int seconds) {
  std::unique_lock<std::mutex> lock(impl->background_mu);
  impl->background_wake.wait_for(lock, std::chrono::seconds(seconds), [impl] { return impl->background_stop; });
  return !impl->background_stop;
}

void SnapshotRefreshLoop(Server::Impl* impl) {
  server::ServerState& state = impl->state;
  std::unique_ptr<Store> store;
  while (WaitForNextPass(impl, state.config.snapshot_refresh_seconds)) {
    if (!store) {
      auto opened = OpenStore(StoreOptions{state.config.data_dir, false});
      if (!opened.ok()) continue;
      store = std::move(opened).value();
    }
    RefreshMatchEngine(*store, state);
  }
}

void HousekeepingLoop(Server::Impl* impl) {
  server::ServerState& state = impl->state;
  std::unique_ptr<Store> store;
  std::optional<TimePoint> clocks_checked;
  std::optional<TimePoint> purge_checked;
  // As often as the snapshot: a big event's derived STIX is published soon
  // after its import.
  const int wake = std::min(state.config.snapshot_refresh_seconds, state.config.request_clock_seconds);
  while (WaitForNextPass(impl, wake)) {
    if (state.config.before_housekeeping) state.config.before_housekeeping();
    if (!store) {
      auto opened = OpenStore(StoreOptions{state.config.data_dir, false});
      if (!opened.ok()) continue;
      store = std::move(opened).value();
    }
    const TimePoint now = state.clock.Now();
    if (!clocks_checked ||
        now - *clocks_checked >= std::chrono::seconds(state.config.request_clock_seconds)) {
      clocks_checked = now;
      RunRequestClocks(*store, state.clock, *state.log);
    }
    if (!purge_checked || now - *purge_checked >= std::chrono::hours(1)) {
      purge_checked = now;
      RunStealerPurge(*store, state.clock, *state.log);
    }
    RefreshEventStix(*store, state, impl->stop_requested);
  }
}

}  // namespace

Status ParseListenAddress(const std::string& text, std::string* host, int* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return Status::Invalid(fmt::format("listen address '{}': expected HOST:PORT", text));
  }
  std::string h = text.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  std::string p = text.substr(colon + 1);
  int value = -1;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || ptr != p.data() + p.size() || value < 0 || value > 65535) {
    return Status::Invalid(fmt::format("listen address '{}': bad port '{}'", text, p));
  }
  *host = h.empty() ? "127.0.0.1" : h;
  *port = value;
  return Status::Ok();
}

Result<std::unique_ptr<Server>> Server::Create(const ServerConfig& config, const Clock& clock) {
  if (config.threads < 1 || config.threads > 1024) {
    return Status::Invalid("threads must be between 1 and 1024");
  }
  if (config.max_threads < config.threads || config.max_threads > 4096) {
    return Status::Invalid(fmt::format("max-threads must be between threads ({}) and 4096", config.threads));
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return Status::Invalid("TLS needs both a certificate and a key file");
  }
  const std::optional<server::LogFormat> log_format = server::ParseLogFormat(config.log_format);
  if (!log_format) {
    return Status::Invalid(fmt::format("log format '{}': expected json or logfmt", config.log_format));
  }
  // Fail early, with the path, when there is no node to serve.
  auto probe = OpenStore(StoreOptions{config.data_dir, false});
  if (!probe.ok()) return probe.status();

  auto impl = std::make_unique<Impl>(config, clock);
  impl->state.log = std::make_unique<server::LogWriter>(*log_format, config.log_sink);
  impl->state.start_time_seconds =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (!config.tls_cert_file.empty()) {
    auto https = std::make_unique<httplib::SSLServer>(config.tls_cert_file.c_str(),
                                                      config.tls_key_file.c_str());
    if (!https->is_valid()) {
      return Status::Invalid(fmt::format("TLS: cannot load certificate {} and key {}",
                                         config.tls_cert_file, config.tls_key_file));
    }
    impl->http = std::move(https);
  } else {
    impl->http = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *impl->http;
  // Extra workers end after this long idle (keep-alive connections close
  // after keep_alive_seconds, so a burst's workers end soon after it).
  constexpr std::chrono::seconds kExtraWorkerIdleEnd{30};
  http.new_task_queue = [threads = config.threads, max_threads = config.max_threads, idle_end = kExtraWorkerIdleEnd,
                         &stores = impl->state.stores] {
    return new server::WorkerPool(static_cast<size_t>(threads), static_cast<size_t>(max_threads),
                                  idle_end, [&stores] { stores.ReleaseThisThread(); });
  };
  http.set_read_timeout(config.read_timeout_seconds, 0);
  http.set_write_timeout(config.write_timeout_seconds, 0);
  http.set_keep_alive_timeout(config.keep_alive_seconds);
  http.set_keep_alive_max_count(1000);
  // cpp-httplib's default sets SO_REUSEPORT, with which a second node
  // started on the same address listens beside the first and the kernel
  // splits connections between them. SO_REUSEADDR alone still allows a
  // quick restart (sockets in TIME_WAIT) and makes a taken port an error.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_payload_max_length(config.max_body_bytes);
  // Small JSON answers would otherwise wait for the client's delayed ACK
  // (Nagle), about 40 ms each on a keep-alive connection.
  http.set_tcp_nodelay(true);
  // Every answered request is counted for /metrics and, unless turned off,
  // logged (server/observability.h).
  http.set_pre_routing_handler([max_mb = config.max_body_bytes >> 20](const httplib::Request& req,
                                                                      httplib::Response& res) {
    server::CurrentRequestNotes() = {std::chrono::steady_clock::now(), ""};
    // cpp-httplib bounds a body by Content-Length only: a chunked body was
    // read whole, whatever --max-body-mb says, and before the key was
    // checked. It runs this handler before reading any body, so a chunked
    // one is refused here (RFC 9110's 411) and the connection closed
    // rather than its body read.
    // Debian's cpp-httplib compresses with Brotli at its top quality when a
    // client accepts it, as every browser does: a 2 MB event took 3.5 s to
    // compress (gzip 0.1 s) while it held a worker. Answers go out
    // gzip-compressed instead; the request object is ours, as below.
    if (req.has_header("Accept-Encoding")) {
      const std::string offered = req.get_header_value("Accept-Encoding");
      std::string accepted;
      for (size_t start = 0; start <= offered.size();) {
        size_t comma = offered.find(',', start);
        if (comma == std::string::npos) comma = offered.size();
        std::string_view coding = std::string_view(offered).substr(start, comma - start);
        start = comma + 1;
        coding.remove_prefix(std::min(coding.size(), coding.find_first_not_of(' ')));
        if (coding.empty() || coding.starts_with("br")) continue;
        accepted += (accepted.empty() ? "" : ", ") + std::string(coding);
      }
      auto& headers = const_cast<httplib::Request&>(req).headers;
      headers.erase("Accept-Encoding");
      if (!accepted.empty()) headers.emplace("Accept-Encoding", accepted);
    }
    // cpp-httplib also unpacks a Content-Encoding body whole, before any
    // key is checked and with --max-body-mb bounding only the packed bytes:
    // 18 MB of gzip took 4 GB. Telemetry and imports read gzip and zstd
    // themselves, as a stream, so they get the packed body; elsewhere a
    // packed body is refused.
    if (req.has_header("Content-Encoding")) {
      std::string coding = req.get_header_value("Content-Encoding");
      std::transform(coding.begin(), coding.end(), coding.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      coding.erase(0, coding.find_first_not_of(' '));
      coding.erase(coding.find_last_not_of(' ') + 1);
      const bool reads_packed = req.path == "/api/v1/telemetry" || req.path == "/api/v1/import";
      const bool has_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                            req.method == "DELETE";
      if (!has_body || coding == "identity" ||
          (reads_packed && (coding == "gzip" || coding == "x-gzip" || coding == "zstd"))) {
        const_cast<httplib::Request&>(req).headers.erase("Content-Encoding");
      } else {
        const std::string why = fmt::format(
            "Content-Encoding '{}' is not accepted here: send the body as it is{}", coding.substr(0, 32),
            reads_packed ? " or gzip/zstd-compressed" : "");
        if (req.path.starts_with("/taxii2")) {
          server::WriteTaxiiError(res, 415, "Unsupported Media Type", why);
        } else {
          server::WriteRestError(res, 415, why);
        }
        res.set_header("Connection", "close");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    std::string encoding = req.get_header_value("Transfer-Encoding");
    std::transform(encoding.begin(), encoding.end(), encoding.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (encoding.empty() && !req.has_header("Content-Length") &&
        (req.method == "POST" || req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE")) {
      // A request with neither header has no body (RFC 9112 6.3; `curl -X
      // POST` sends one so). cpp-httplib would read one until the client
      // closed, which it never does while it waits for the answer: the
      // request stalled for the read timeout, then failed as malformed.
      // The request object is ours (only the handler's view of it is const).
      const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
    }
    if (encoding.find("chunked") == std::string::npos) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const std::string why = fmt::format(
        "send the body with a Content-Length (at most {} MiB); chunked request bodies are not "
        "accepted", max_mb);
    if (req.path.starts_with("/taxii2")) {
      server::WriteTaxiiError(res, 411, "Length Required", why);
    } else {
      server::WriteRestError(res, 411, why);
    }
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
  // RFC 9110 (6.6.1): an origin server with a clock sends Date; TAXII 2.1
  // (3.4) points clients to it to correct for skew in added_after.
  http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.has_header("Date")) return;
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char date[40];
    if (std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc) > 0) res.set_header("Date", date);
  });
  http.set_logger([state = &impl->state](const httplib::Request& req, const httplib::Response& res) {
    server::RequestNotes notes = std::move(server::CurrentRequestNotes());
    server::CurrentRequestNotes() = {};
    // A request refused before routing (a malformed request line) has no start.
    const double seconds =
        notes.start == std::chrono::steady_clock::time_point{}
            ? 0.0
            : std::chrono::duration<double>(std::chrono::steady_clock::now() - notes.start).count();
    state->metrics.RecordRequest(req.method, req.path, res.status, seconds);
    // Without the access log, a request that failed on our side is still
    // an error to log (README: "keeps only the background events and errors").
    const bool failed = res.status >= 500 || !notes.error.empty();
    if ((!state->config.access_log && !failed) || req.path == "/healthz" || req.path == "/readyz" ||
        req.path == "/metrics") {
      return;  // probes every few seconds would drown the log
    }
    constexpr size_t kMaxLoggedPath = 1024;
    server::LogFields fields = {{"method", req.method.substr(0, 16)},
                                {"path", req.path.substr(0, kMaxLoggedPath)},
                                {"status", static_cast<int64_t>(res.status)},
                                {"duration_ms", std::round(seconds * 1e6) / 1e3},
                                {"bytes", static_cast<int64_t>(BodyBytes(res))},
                                {"remote", req.remote_addr}};
    if (!notes.error.empty()) fields.emplace_back("error", std::move(notes.error));
    state->log->Write(failed ? "error" : "info", "http.request", fields);
  });
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // the handler already wrote its error body
    std::string message;
    switch (res.status) {
      case 404: message = fmt::format("no such resource: {}", req.path); break;
      case 405: message = fmt::format("{} is not allowed on {}", req.method, req.path); break;
      case 413: message = "request body too large"; break;
      case 400: message = "malformed request"; break;
      case 414:
        message = "the request line is over 8,192 bytes: ask for fewer ids a request (match[id])";
        break;
      default: message = ReasonPhrase(res.status); break;
    }
    // A 414 is answered before the request line is parsed, so its path is
    // unknown: the long URLs are TAXII's (match[id] lists), whose stock
    // clients parse only a TAXII error.
    if (req.path.starts_with("/taxii2") || (res.status == 414 && req.path.empty())) {
      server::WriteTaxiiError(res, res.status, ReasonPhrase(res.status), message);
    } else {
      server::WriteRestError(res, res.status, message);
    }
  });
  server::RegisterHealthRoutes(http, impl->state);
  server::RegisterRestRoutes(http, impl->state);
  server::RegisterAdminRoutes(http, impl->state);
  server::RegisterTaxiiRoutes(http, impl->state);
  server::RegisterTelemetryRoutes(http, impl->state);
  // Last: its page fallback must not shadow an API route.
  if (Status ui = server::RegisterWebUi(http, config.web_root); !ui.ok()) {
    // Not kNotFound, which callers read as "no node here".
    return ui.code() == Status::Code::kNotFound ? Status::Invalid(ui.message()) : ui;
  }

  auto geo = geo::OpenGeoDatabases(config.geoip);
  if (geo.ok()) {
    impl->state.geo = std::move(geo).value();
  } else if (!config.geoip.empty()) {
    // Not kNotFound, which callers read as "no node here".
    return Status::Invalid(geo.status().WithContext("--geoip").message());
  }
  auto engine = server::BuildMatchEngine(**probe, impl->state);
  if (!engine.ok()) return engine.status();
  impl->state.match.Set(*engine);
  if (!config.alert_webhook_url.empty()) {
    // The webhook sees what the operator organisation would see in
    // GET /api/v1/alerts: a node hosting many organisations must not push
    // one organisation's alerts to another's receiver.
    auto operator_org = (*probe)->GetMeta("operator_org_id");
    if (!operator_org.ok()) return operator_org.status();
    int64_t org_id = 0;
    if (*operator_org) org_id = std::strtoll((*operator_org)->c_str(), nullptr, 10);
    if (org_id <= 0) return Status::FailedPrecondition("alert webhook: the node has no operator organisation");
    auto webhook = notify::Webhook::Start({.url = config.alert_webhook_url, .secret = config.alert_webhook_secret});
    if (!webhook.ok()) return webhook.status();
    impl->state.alert_webhook = std::move(webhook).value();
    impl->state.alert_webhook_org_id = org_id;
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  Stop();
  // Alerts found before the stop still go out, within reason.
  if (impl_ && impl_->state.alert_webhook) (void)impl_->state.alert_webhook->Drain(std::chrono::seconds(10));
  if (impl_) {
    {
      std::lock_guard<std::mutex> lock(impl_->background_mu);
      impl_->background_stop = true;
    }
    impl_->background_wake.notify_all();
    if (impl_->snapshot_refresher.joinable()) impl_->snapshot_refresher.join();
    if (impl_->housekeeper.joinable()) impl_->housekeeper.join();
  }
}

Status Server::Start() {
  const ServerConfig& config = impl_->state.config;
  if (config.port == 0) {
    impl_->port = impl_->http->bind_to_any_port(config.host);
    if (impl_->port <= 0) return Status::IoError(fmt::format("cannot bind {}", config.host));
  } else {
    if (!impl_->http->bind_to_port(config.host, config.port)) {
      return Status::IoError(fmt::format("cannot listen on {}:{} (in use, or not an address of "
                                         "this machine)", config.host, config.port));
    }
    impl_->port = config.port;
  }
  if (!impl_->snapshot_refresher.joinable()) {
    impl_->snapshot_refresher = std::thread(SnapshotRefreshLoop, impl_.get());
  }
  if (!impl_->housekeeper.joinable()) impl_->housekeeper = std::thread(HousekeepingLoop, impl_.get());
  const bool tls = !config.tls_cert_file.empty();
  const std::string host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  impl_->state.base_url = config.public_url.empty()
                              ? fmt::format("{}://{}:{}", tls ? "https" : "http", host, impl_->port)
                              : config.public_url;
  impl_->state.base_url_configured = !config.public_url.empty();
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

notify::WebhookStats Server::DrainAlertWebhook(std::chrono::milliseconds limit) {
  if (!impl_->state.alert_webhook) return {};
  return impl_->state.alert_webhook->Drain(limit);
}

void Server::Wait() {
  impl_->serving.store(true);
  if (!impl_->stop_requested.load()) impl_->http->listen_after_bind();
  impl_->finished.store(true);
}

void Server::Stop() {
  if (!impl_ || !impl_->http) return;
  impl_->stop_requested.store(true);
  // httplib ignores stop() until its accept loop runs; a stop that arrives
  // between Wait() being called and the loop starting must wait for it, or
  // Wait() would never return.
  if (impl_->serving.load()) {
    while (!impl_->http->is_running() && !impl_->finished.load()) std::this_thread::yield();
  }
  impl_->http->stop();
}

namespace server {

void RegisterHealthRoutes(httplib::Server& http, ServerState& state) {
  // Liveness: the process answers. Readiness: the store answers too.
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    WriteJson(res, 200, {{"status", "ok"}});
  });
  http.Get("/readyz", [&state](const httplib::Request&, httplib::Response& res) {
    auto store = state.stores.ForThisThread();
    if (!store.ok()) return WriteJson(res, 503, {{"status", "unavailable"}});
    auto version = (*store)->SchemaVersion();
    if (!version.ok()) return WriteJson(res, 503, {{"status", "unavailable"}});
    WriteJson(res, 200, {{"status", "ready"}, {"schema_version", *version}});
  });
  // Prometheus text format; node-wide numbers only (server/observability.h).
  http.Get("/metrics", [&state](const httplib::Request&, httplib::Response& res) {
    MetricGauges gauges;
    gauges.start_time_seconds = state.start_time_seconds;
    if (std::shared_ptr<const MatchEngine> engine = state.match.Get(); engine && engine->snapshot) {
      gauges.snapshot_loaded = true;
      gauges.indicators_live = engine->snapshot->indicator_count();
      gauges.snapshot_generation = engine->snapshot->generation();
      const double now_seconds =
          std::chrono::duration<double>(state.clock.Now().time_since_epoch()).count();
      gauges.snapshot_age_seconds =
          std::max(0.0, now_seconds - static_cast<double>(engine->snapshot->built_at_seconds()));
    }
    if (state.alert_webhook) {
      const notify::WebhookStats stats = state.alert_webhook->stats();
      gauges.webhook = true;
      gauges.webhook_delivered = stats.delivered;
      gauges.webhook_failed = stats.failed;
    }
    res.status = 200;
    res.set_content(state.metrics.Render(gauges), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace server
}  // namespace accord
