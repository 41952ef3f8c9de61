// Early warning over HTTP: POST /api/v1/telemetry (NDJSON bulk, as log
// shippers send it) matched against the live snapshot, GET /api/v1/alerts
// (what the caller may read), GET /api/v1/telemetry/snapshot (its age).
#include <fmt/format.h>

#include <charconv>

#include "server/rest_common.h"

namespace accord::server {

Result<std::shared_ptr<const MatchEngine>> BuildMatchEngine(Store& store, ServerState& state) {
  auto engine = std::make_shared<MatchEngine>();
  ASSIGN_OR_RETURN(engine->snapshot, match::Snapshot::Build(store, state.clock.Now()));
  ASSIGN_OR_RETURN(std::unique_ptr<match::Router> router, match::Router::Create(store, state.geo));
  engine->router = std::move(router);
  return std::shared_ptr<const MatchEngine>(std::move(engine));
}

namespace rest {
namespace {

// The alerts a request produced, for the response (capped: a bulk upload
// full of hits answers with counts and the first alerts; all are stored).
class ResponseSink final : public match::AlertSink {
 public:
  static constexpr size_t kMaxInResponse = 1000;
  Status OnAlert(const match::Alert& alert) override {
    ++count;
    if (alerts.size() < kMaxInResponse) alerts.push_back(json::parse(alert.ToJson()));
    return Status::Ok();
  }
  json alerts = json::array();
  int64_t count = 0;
};

json SnapshotJson(const match::Snapshot& snapshot) {
  return {{"generation", snapshot.generation()},
          {"indicators", snapshot.indicator_count()},
          {"built_at", FormatTimestamp(TimePoint(std::chrono::seconds(snapshot.built_at_seconds())))},
          {"bytes", snapshot.table_bytes()}};
}

void PostTelemetry(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!MaySubmit(ctx.principal.role)) {
    return SendError(res, 403, fmt::format("role {} may not submit telemetry",
                                           RoleName(ctx.principal.role)));
  }
  telemetry::ReaderOptions reader;
  reader.format = telemetry::Format::kAuto;
  if (req.has_param("format")) {
    auto format = telemetry::ParseFormatName(req.get_param_value("format"));
    if (!format) {
      return SendError(res, 400, fmt::format("format: unknown telemetry format '{}'",
                                             req.get_param_value("format")));
    }
    reader.format = *format;
  }
  if (req.has_param("map")) {
    auto mapping = telemetry::ParseFieldMapping(req.get_param_value("map"));
    if (!mapping.ok()) return SendError(res, 400, "map: " + mapping.status().message());
    reader.mapping = std::move(mapping).value();
  }
  match::MatchOptions options;
  options.viewer = ctx.principal;
  options.actor = ctx.actor;
  options.source_address = ctx.remote_address;
  if (req.has_param("window")) {
    const std::string text = req.get_param_value("window");
    int64_t window = -1;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), window);
    if (error != std::errc() || end != text.data() + text.size() || window < 0) {
      return SendError(res, 400, "window: expected seconds as a non-negative integer");
    }
    options.window_seconds = window;
  }
  std::shared_ptr<const MatchEngine> engine = ctx.state->match.Get();
  if (!engine) return SendError(res, 503, "the match snapshot is not built yet");

  auto in = OpenInputFromMemory("telemetry", req.body);
  if (!in.ok()) return SendStatus(res, in.status());
  ResponseSink sink;
  match::Matcher matcher(*ctx.store, engine->snapshot, *engine->router, options, sink,
                         ctx.state->clock);
  telemetry::ReadStats stats;
  Status status = telemetry::ReadTelemetry(**in, reader, matcher, &stats);
  if (!status.ok()) return SendStatus(res, status);
  status = matcher.Flush();
  if (!status.ok()) return SendStatus(res, status);

  const match::MatchSummary& summary = matcher.summary();
  json malformed = json::array();
  for (const telemetry::Malformed& bad : matcher.malformed_examples()) {
    malformed.push_back({{"line", bad.line}, {"offset", bad.offset}, {"reason", bad.reason}});
  }
  SendJson(res, 200,
           {{"format", std::string(telemetry::FormatName(stats.format))},
            {"records", summary.records},
            {"values", summary.candidates},
            {"hits", summary.hits},
            {"alerts_new", sink.count},
            {"malformed", summary.malformed},
            {"malformed_examples", std::move(malformed)},
            {"alerts", std::move(sink.alerts)},
            {"snapshot", SnapshotJson(*engine->snapshot)}});
}

void GetSnapshot(const httplib::Request&, httplib::Response& res, RequestContext& ctx) {
  std::shared_ptr<const MatchEngine> engine = ctx.state->match.Get();
  if (!engine) return SendError(res, 503, "the match snapshot is not built yet");
  SendJson(res, 200, SnapshotJson(*engine->snapshot));
}

void ListAlerts(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  auto limit = PageLimit(req);
  if (!limit.ok()) return SendStatus(res, limit.status());
  AlertFilter filter;
  if (req.has_param("cursor")) {
    auto cursor = DecodeCursor(req.get_param_value("cursor"), "al", 1);
    if (!cursor.ok()) return SendError(res, 400, "cursor: " + cursor.status().message());
    filter.after_id = (*cursor)[0];
  }
  if (req.has_param("country")) filter.country = req.get_param_value("country");
  json alerts = json::array();
  int64_t last_id = 0;
  bool more = false;
  Status status = ctx.store->ForEachAlert(filter, [&](const AlertRow& row) {
    std::vector<int64_t> recipients;
    if (row.routed_reads && row.routed_org_id != 0) recipients.push_back(row.routed_org_id);
    if (!MayRead(ctx.principal, {row.tlp, row.owner_org_id, recipients})) return Status::Ok();
    if (static_cast<int64_t>(alerts.size()) == *limit) {
      more = true;
      return Status::ResourceExhausted("page full");
    }
    json alert = json::parse(row.json, nullptr, false);
    if (alert.is_discarded()) return Status::Ok();
    alert["count"] = row.count;
    alert["last_seen"] = row.last_seen;
    alerts.push_back(std::move(alert));
    last_id = row.id;
    return Status::Ok();
  });
  if (!status.ok() && !more) return SendStatus(res, status);
  json body = {{"alerts", std::move(alerts)}};
  body["next"] = more ? json(EncodeCursor("al", {last_id})) : json(nullptr);
  SendJson(res, 200, body);
}

}  // namespace
}  // namespace rest

void RegisterTelemetryRoutes(httplib::Server& http, ServerState& state) {
  http.Post("/api/v1/telemetry", Authenticated(state, ErrorStyle::kRest, rest::PostTelemetry));
  rest::RegisterAllowedMethods(http, "/api/v1/telemetry", {"POST"});
  http.Get("/api/v1/telemetry/snapshot", Authenticated(state, ErrorStyle::kRest, rest::GetSnapshot));
  rest::RegisterAllowedMethods(http, "/api/v1/telemetry/snapshot", {"GET"});
  http.Get("/api/v1/alerts", Authenticated(state, ErrorStyle::kRest, rest::ListAlerts));
  rest::RegisterAllowedMethods(http, "/api/v1/alerts", {"GET"});
}

}  // namespace accord::server
