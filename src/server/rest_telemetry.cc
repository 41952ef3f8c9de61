// Early warning over HTTP: POST /api/v1/telemetry (NDJSON bulk, as log
// shippers send it) matched against the live snapshot, and
// GET /api/v1/telemetry/snapshot (its age). The alerts it stores are read
// and acknowledged through rest_alerts.cc.
#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <string_view>

#include "server/query_parameters.h"
#include "server/rest_common.h"

namespace accord::server {

Result<std::shared_ptr<const MatchEngine>> BuildMatchEngine(Store& store, ServerState& state) {
  auto engine = std::make_shared<MatchEngine>();
  ASSIGN_OR_RETURN(engine->snapshot, match::Snapshot::Build(store, state.clock.Now()));
  ASSIGN_OR_RETURN(std::shared_ptr<const WarningListMatcher> warning_lists, state.warning_lists.Get(store));
  engine->snapshot->AdoptWarningLists(std::move(warning_lists));
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
    ++(alert.continued ? continued : count);
    if (alerts.size() < kMaxInResponse) alerts.push_back(json::parse(alert.ToJson()));
    // The webhook hears of an alert once: a repeat counted into one stored
    // earlier is not news.
    if (keep_uuids && !alert.continued) uuids.push_back(alert.uuid);
    return Status::Ok();
  }
  // Another request opened the alert first: this one counted into it.
  Status OnFolded(const std::string& reported_uuid, const match::Alert& alert) override {
    --count;
    ++continued;
    for (json& reported : alerts) {
      if (reported["id"] == reported_uuid) reported = json::parse(alert.ToJson());
    }
    std::erase(uuids, reported_uuid);
    return Status::Ok();
  }
  json alerts = json::array();
  int64_t count = 0;      // new alerts
  int64_t continued = 0;  // alerts stored earlier that this request counted into
  bool keep_uuids = false;  // for the alert webhook
  std::vector<std::string> uuids;
};

// Hands the node's alert webhook the new alerts its organisation may read,
// as they are stored (GET /api/v1/alerts's form), once they are committed.
Status SendToWebhook(RequestContext& ctx, const std::vector<std::string>& uuids) {
  const Principal reader{ctx.state->alert_webhook_org_id, Role::kReader};
  for (const std::string& uuid : uuids) {
    ASSIGN_OR_RETURN(std::optional<AlertRow> row, ctx.store->FindAlert(uuid));
    if (!row || !AlertVisibleTo(reader, *row)) continue;
    if (std::optional<json> alert = AlertJson(*row)) ctx.state->alert_webhook->Send(alert->dump());
  }
  return Status::Ok();
}

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
    auto mapping = telemetry::ParseFieldMapping(QueryParameter(req.target, "map").value_or(""));
    if (!mapping.ok()) return SendError(res, 400, "map: " + mapping.status().message());
    reader.mapping = std::move(mapping).value();
  }
  match::MatchOptions options;
  options.viewer = ctx.principal;
  // The body is in memory: written once at the end, so a request that fails
  // half way commits nothing (and a retry of it counts nothing twice).
  options.write_every_seconds = 0;
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

  constexpr std::string_view kBodyName = "telemetry";
  auto in = OpenInputFromMemory(std::string(kBodyName), req.body);
  if (!in.ok()) return SendBodyStatus(res, in.status());
  ResponseSink sink;
  sink.keep_uuids = ctx.state->alert_webhook != nullptr && options.store_alerts;
  match::Matcher matcher(*ctx.store, engine->snapshot, *engine->router, options, sink,
                         ctx.state->clock);
  telemetry::ReadStats stats;
  Status read = telemetry::ReadTelemetry(**in, reader, matcher, &stats);
  // A body that cannot be read to its end (a truncated gzip, a broken zstd
  // frame: the input's own errors name it) is the client's, and what was
  // read before is matched and kept, as `accord match` keeps it: 400 with
  // the summary. The store's errors are ours.
  const bool body_broken = !read.ok() &&
                           (read.code() == Status::Code::kIoError || read.code() == Status::Code::kCorruption) &&
                           read.message().starts_with(kBodyName);
  if (!read.ok() && !body_broken) return SendStatus(res, read);
  Status status = matcher.Flush();
  if (!status.ok()) return SendStatus(res, status);
  if (sink.keep_uuids) {
    status = SendToWebhook(ctx, sink.uuids);
    if (!status.ok()) return SendStatus(res, status);
  }

  const match::MatchSummary& summary = matcher.summary();
  ctx.state->metrics.AddTelemetry(summary.records, sink.count);
  json malformed = json::array();
  for (const telemetry::Malformed& bad : matcher.malformed_examples()) {
    malformed.push_back({{"line", bad.line}, {"offset", bad.offset}, {"reason", bad.reason}});
  }
  json answer = {{"format", std::string(telemetry::FormatName(stats.format))},
                 {"records", summary.records},
                 {"values", summary.candidates},
                 {"hits", summary.hits},
                 {"alerts_new", sink.count},
                 {"alerts_continued", sink.continued},
                 {"malformed", summary.malformed},
                 {"malformed_examples", std::move(malformed)},
                 {"alerts", std::move(sink.alerts)},
                 {"snapshot", SnapshotJson(*engine->snapshot)}};
  if (body_broken) answer["error"] = {{"status", 400}, {"message", read.message()}};
  SendJson(res, body_broken ? 400 : 200, answer);
}

void GetSnapshot(const httplib::Request&, httplib::Response& res, RequestContext& ctx) {
  std::shared_ptr<const MatchEngine> engine = ctx.state->match.Get();
  if (!engine) return SendError(res, 503, "the match snapshot is not built yet");
  SendJson(res, 200, SnapshotJson(*engine->snapshot));
}

}  // namespace
}  // namespace rest

void RegisterTelemetryRoutes(httplib::Server& http, ServerState& state) {
  http.Post("/api/v1/telemetry", Authenticated(state, ErrorStyle::kRest, rest::PostTelemetry));
  rest::RegisterAllowedMethods(http, "/api/v1/telemetry", {"POST"});
  http.Get("/api/v1/telemetry/snapshot", Authenticated(state, ErrorStyle::kRest, rest::GetSnapshot));
  rest::RegisterAllowedMethods(http, "/api/v1/telemetry/snapshot", {"GET"});
  rest::RegisterAlertRoutes(http, state);
}

}  // namespace accord::server
