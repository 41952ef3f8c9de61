#include "server/observability.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace accord::server {
namespace {

// The resources under /api/v1 (their first path segment). A path naming
// another is counted as "/api/v1/other", so the label set stays this size.
constexpr std::array<std::string_view, 21> kApiResources = {
    "alerts",         "audit",     "events",        "export",  "import",    "indicators",
    "keys",           "notices",   "organisations", "pocs",    "requests",  "requests-clocks",
    "requests-types", "sightings", "stats",         "stealer", "telemetry", "users",
    "warninglists",   "whoami",    "openapi.json"};

constexpr std::array<std::string_view, 7> kMethods = {"GET",    "POST", "PUT",    "PATCH",
                                                      "DELETE", "HEAD", "OPTIONS"};

std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known : kMethods) {
    if (method == known) return known;
  }
  return "other";
}

// Prometheus label values: backslash, quote and newline escaped.
std::string LabelValue(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// logfmt quotes a value that is empty or holds a space, '=', '"' or a
// control character.
std::string LogfmtValue(std::string_view text) {
  bool quote = text.empty();
  for (char c : text) {
    if (c == ' ' || c == '=' || c == '"' || static_cast<unsigned char>(c) < 0x20) quote = true;
  }
  if (!quote) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string NowMillis() {
  const auto now = std::chrono::system_clock::now();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{}.{:03}Z", text, millis);
}

}  // namespace

RequestNotes& CurrentRequestNotes() {
  thread_local RequestNotes notes;
  return notes;
}

std::optional<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "json") return LogFormat::kJson;
  if (text == "logfmt") return LogFormat::kLogfmt;
  return std::nullopt;
}

LogWriter::LogWriter(LogFormat format, Sink sink) : format_(format), sink_(std::move(sink)) {
  if (!sink_) {
    sink_ = [](std::string_view line) {
      std::fwrite(line.data(), 1, line.size(), stderr);
      std::fflush(stderr);
    };
  }
}

std::string LogWriter::Format(std::string_view time, std::string_view level, std::string_view event,
                              const LogFields& fields) const {
  if (format_ == LogFormat::kJson) {
    nlohmann::ordered_json line = {{"time", time}, {"level", level}, {"event", event}};
    for (const auto& field : fields) {
      // The pair, not a structured binding: clang 14 (the fuzz build)
      // cannot capture bindings in a lambda.
      std::visit([&line, &field](const auto& v) { line[field.first] = v; }, field.second);
    }
    // Invalid UTF-8 in a path is replaced, not thrown on.
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::string line =
      fmt::format("time={} level={} event={}", time, LogfmtValue(level), LogfmtValue(event));
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    if (const auto* text = std::get_if<std::string>(&value)) {
      line += LogfmtValue(*text);
    } else if (const auto* integer = std::get_if<int64_t>(&value)) {
      line += std::to_string(*integer);
    } else {
      line += fmt::format("{}", std::get<double>(value));
    }
  }
  return line + "\n";
}

void LogWriter::Write(std::string_view level, std::string_view event,
                      const LogFields& fields) const {
  const std::string line = Format(NowMillis(), level, event, fields);
  std::lock_guard<std::mutex> lock(mu_);
  sink_(line);
}

std::string RouteLabel(std::string_view path) {
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") return std::string(path);
  if (path == "/taxii2" || path.starts_with("/taxii2/")) return "/taxii2";
  if (path.starts_with("/range/")) return "/range";
  if (path.starts_with("/exposure/")) return "/exposure";
  constexpr std::string_view kApi = "/api/v1/";
  if (path.starts_with(kApi)) {
    std::string_view resource = path.substr(kApi.size());
    resource = resource.substr(0, resource.find('/'));
    for (std::string_view known : kApiResources) {
      if (resource == known) return std::string(kApi) + std::string(known);
    }
    return "/api/v1/other";
  }
  if (path == "/api" || path.starts_with("/api/")) return "/api/v1/other";
  return "ui";
}

void Metrics::RecordRequest(std::string_view method, std::string_view path, int status,
                            double seconds) {
  const std::string route = RouteLabel(path);
  // Status codes outside HTTP's range are counted together.
  if (status < 100 || status > 599) status = 0;
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(MethodLabel(method)), route, status}];
  Histogram& histogram = durations_[route];
  size_t bucket = 0;
  while (bucket < std::size(kBuckets) && seconds > kBuckets[bucket]) ++bucket;
  if (bucket < std::size(kBuckets)) ++histogram.counts[bucket];
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::AddTelemetry(int64_t records, int64_t alerts) {
  telemetry_records_.fetch_add(records, std::memory_order_relaxed);
  alerts_.fetch_add(alerts, std::memory_order_relaxed);
}

std::string Metrics::Render(const MetricGauges& gauges) const {
  std::string out;
  auto header = [&out](std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  {
    std::lock_guard<std::mutex> lock(mu_);
    header("accord_http_requests_total", "counter",
           "HTTP requests answered, by method, route template and status code.");
    for (const auto& [key, count] : requests_) {
      const auto& [method, route, status] = key;
      out +=
          fmt::format("accord_http_requests_total{{method=\"{}\",route=\"{}\",code=\"{}\"}} {}\n",
                      LabelValue(method), LabelValue(route), status, count);
    }
    header("accord_http_request_duration_seconds", "histogram",
           "Time from a request's routing to its answer being written, by route template.");
    for (const auto& [route, histogram] : durations_) {
      const std::string label = LabelValue(route);
      int64_t cumulative = 0;
      for (size_t bucket = 0; bucket < std::size(kBuckets); ++bucket) {
        cumulative += histogram.counts[bucket];
        out += fmt::format(
            "accord_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label,
            kBuckets[bucket], cumulative);
      }
      out += fmt::format(
          "accord_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label,
          histogram.count);
      out += fmt::format("accord_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                         histogram.sum);
      out += fmt::format("accord_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                         histogram.count);
    }
  }
  header("accord_telemetry_records_total", "counter",
         "Telemetry records read through POST /api/v1/telemetry.");
  out += fmt::format("accord_telemetry_records_total {}\n", telemetry_records_.load());
  header("accord_alerts_total", "counter", "Alerts raised by telemetry matching.");
  out += fmt::format("accord_alerts_total {}\n", alerts_.load());
  if (gauges.snapshot_loaded) {
    header("accord_indicators_live", "gauge",
           "Indicators in the match snapshot: linked, not expired, not warning-listed.");
    out += fmt::format("accord_indicators_live {}\n", gauges.indicators_live);
    header("accord_snapshot_generation", "gauge",
           "The store's indicator generation the match snapshot was built from.");
    out += fmt::format("accord_snapshot_generation {}\n", gauges.snapshot_generation);
    header("accord_snapshot_age_seconds", "gauge", "Seconds since the match snapshot was built.");
    out += fmt::format("accord_snapshot_age_seconds {}\n", gauges.snapshot_age_seconds);
  }
  if (gauges.webhook) {
    header("accord_alert_webhook_deliveries_total", "counter",
           "Alerts the alert webhook delivered, or gave up on after its retries.");
    out += fmt::format("accord_alert_webhook_deliveries_total{{outcome=\"delivered\"}} {}\n",
                       gauges.webhook_delivered);
    out += fmt::format("accord_alert_webhook_deliveries_total{{outcome=\"failed\"}} {}\n",
                       gauges.webhook_failed);
  }
  header("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch.");
  out += fmt::format("process_start_time_seconds {}\n", gauges.start_time_seconds);
  return out;
}

}  // namespace accord::server
