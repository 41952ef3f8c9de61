// What `accord serve` tells its operator about itself: GET /metrics in the
// Prometheus text exposition format (0.0.4), and structured log lines (JSON
// lines or logfmt) for requests and background work.
//
// Metrics are node-wide numbers only (requests by route and status, their
// latencies, indicators live, telemetry records and alerts, the snapshot's
// age): no value, organisation or TLP-marked content, so the endpoint needs
// no key, like /healthz. Routes are labelled by a bounded set of templates,
// never by the raw path, so no client can grow the label set.
//
// Log lines carry the method, path, status, duration and remote address of
// a request, never its headers, query string or body: secrets (API keys,
// passwords) travel only in those.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace accord::server {

enum class LogFormat { kJson, kLogfmt };

// "json" or "logfmt"; nullopt for anything else.
std::optional<LogFormat> ParseLogFormat(std::string_view text);

// One field of a log line: text or a number.
using LogValue = std::variant<std::string, int64_t, double>;
using LogFields = std::vector<std::pair<std::string, LogValue>>;

// Formats and emits log lines. Thread-safe: `sink` is called under a lock,
// one complete line (with its newline) at a time.
class LogWriter {
 public:
  using Sink = std::function<void(std::string_view line)>;
  // An empty sink writes to stderr.
  LogWriter(LogFormat format, Sink sink);

  // `time` (RFC 3339, UTC, milliseconds), `level` and `event` lead, then
  // `fields` in order.
  void Write(std::string_view level, std::string_view event, const LogFields& fields) const;
  std::string Format(std::string_view time, std::string_view level, std::string_view event,
                     const LogFields& fields) const;

 private:
  LogFormat format_;
  Sink sink_;
  mutable std::mutex mu_;
};

// What the request a worker thread is serving notes for its log line: when
// it was routed, and the internal error behind a 5xx answer (which the
// client is not told). httplib runs a request's routing, handler and logger
// on one worker thread and gives the logger no start time or context, so
// each worker keeps its current request's notes (thread-local, reset once
// the request is logged).
struct RequestNotes {
  std::chrono::steady_clock::time_point start;
  std::string error;
};
RequestNotes& CurrentRequestNotes();

// The route template a request path is counted under: "/api/v1/events",
// "/taxii2", "/healthz", ... from a fixed list, "/api/v1/other" for an
// unknown API resource, "ui" for everything else (the web UI's files).
std::string RouteLabel(std::string_view path);

// Point-in-time values read when /metrics is rendered.
struct MetricGauges {
  bool snapshot_loaded = false;
  int64_t indicators_live = 0;  // in the match snapshot
  int64_t snapshot_generation = 0;
  double snapshot_age_seconds = 0;
  double start_time_seconds = 0;  // Unix time the server started
  int64_t webhook_delivered = 0;  // the alert webhook's, when one is set
  int64_t webhook_failed = 0;
  bool webhook = false;
};

class Metrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds.
  static constexpr double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                        0.5,   1,    2.5,   5,    10,  30};

  void RecordRequest(std::string_view method, std::string_view path, int status, double seconds);
  void AddTelemetry(int64_t records, int64_t alerts);
  std::string Render(const MetricGauges& gauges) const;

 private:
  struct Histogram {
    int64_t counts[std::size(kBuckets)] = {};  // per bucket, not cumulative
    int64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, int64_t> requests_;  // method, route, status
  std::map<std::string, Histogram> durations_;                             // by route
  std::atomic<int64_t> telemetry_records_{0};
  std::atomic<int64_t> alerts_{0};
};

}  // namespace accord::server
