// The early-warning alerts a node stores, over HTTP:
//
//   GET  /api/v1/alerts                    the feed (filters, cursor paging)
//   GET  /api/v1/alerts/{uuid}             one alert
//   POST /api/v1/alerts/{uuid}/acknowledge someone is handling it
//
// The feed is oldest first by default (a consumer catching up); with
// order=newest it is newest first (a screen showing what just happened, which
// polls the first page). Filters: country, family (case-insensitive, any of
// the alert's families), organisation (the routed organisation's name) and
// acknowledged. Every alert passes AlertVisible; an alert the caller may not
// read is answered as absent.
#include <algorithm>
#include <cctype>

#include "server/rest_common.h"

namespace accord::server::rest {

bool AlertVisible(const RequestContext& ctx, const AlertRow& row) { return AlertVisibleTo(ctx.principal, row); }

bool AlertVisibleTo(const Principal& who, const AlertRow& row) {
  std::vector<int64_t> recipients;
  if (row.routed_reads && row.routed_org_id != 0) recipients.push_back(row.routed_org_id);
  return MayRead(who, {row.tlp, row.owner_org_id, recipients});
}

// The people who handle alerts acknowledge them: admins, analysts and points
// of contact (contributors feed telemetry and readers only read) of the
// organisation whose telemetry raised the alert or of the one it is routed
// to. Others who may read it (a GREEN alert's audience) may not close
// another member's early warning.
bool MayAcknowledgeAlert(const Principal& who, const AlertRow& row) {
  const bool handler = who.role == Role::kAdmin || who.role == Role::kAnalyst || who.role == Role::kPoc;
  const bool party = who.org_id == row.owner_org_id || (row.routed_reads && who.org_id == row.routed_org_id);
  return handler && party;
}

namespace {

// The alert as the caller sees it: with whether the caller may acknowledge it.
std::optional<json> AlertJsonFor(const RequestContext& ctx, const AlertRow& row) {
  std::optional<json> alert = AlertJson(row);
  if (alert) (*alert)["may_acknowledge"] = row.acknowledged_at.empty() && MayAcknowledgeAlert(ctx.principal, row);
  return alert;
}

}  // namespace

std::optional<json> AlertJson(const AlertRow& row) {
  json alert = json::parse(row.json, nullptr, false);
  if (alert.is_discarded() || !alert.is_object()) return std::nullopt;
  alert["count"] = row.count;
  alert["last_seen"] = row.last_seen;
  alert["acknowledged"] = row.acknowledged_at.empty()
                              ? json(nullptr)
                              : json{{"at", row.acknowledged_at}, {"by", row.acknowledged_by}};
  return alert;
}

namespace {

const std::string kAlertsPath = "/api/v1/alerts";
const std::string kAlertPattern = R"(/api/v1/alerts/([^/]+))";
const std::string kAcknowledgePattern = R"(/api/v1/alerts/([^/]+)/acknowledge)";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool HasFamily(const json& alert, const std::string& family_lower) {
  auto it = alert.find("families");
  if (it == alert.end() || !it->is_array()) return false;
  return std::any_of(it->begin(), it->end(), [&](const json& f) {
    return f.is_string() && Lower(f.get<std::string>()) == family_lower;
  });
}

Status ListAlerts(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(int64_t limit, PageLimit(req));
  AlertFilter filter;
  const std::string order = req.has_param("order") ? req.get_param_value("order") : "oldest";
  if (order != "oldest" && order != "newest") {
    return Status::Invalid("order: expected 'oldest' or 'newest', got '" + order + "'");
  }
  filter.newest_first = order == "newest";
  // The cursor kinds differ by order, so a token cannot be replayed in the other.
  const std::string_view cursor_kind = filter.newest_first ? "an" : "al";
  if (req.has_param("cursor")) {
    auto cursor = DecodeCursor(req.get_param_value("cursor"), cursor_kind, 1);
    if (!cursor.ok()) return Status::Invalid("cursor: " + cursor.status().message());
    (filter.newest_first ? filter.before_id : filter.after_id) = (*cursor)[0];
  }
  if (req.has_param("country")) {
    std::string country = req.get_param_value("country");
    std::transform(country.begin(), country.end(), country.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    filter.country = country;
  }
  if (req.has_param("organisation")) {
    ASSIGN_OR_RETURN(OrgDirectory orgs, OrgDirectory::Load(*ctx.store));
    const std::string name = req.get_param_value("organisation");
    std::optional<int64_t> id = orgs.FindByName(name);
    if (!id) return Status::Invalid("organisation: no organisation named '" + name + "'");
    filter.routed_org_id = *id;
  }
  if (req.has_param("acknowledged")) {
    const std::string value = req.get_param_value("acknowledged");
    if (value != "true" && value != "false") {
      return Status::Invalid("acknowledged: expected true or false, got '" + value + "'");
    }
    filter.acknowledged = value == "true";
  }
  const std::string family = req.has_param("family") ? Lower(req.get_param_value("family")) : "";

  json alerts = json::array();
  int64_t last_id = 0;
  bool more = false;
  Status status = ctx.store->ForEachAlert(filter, [&](const AlertRow& row) {
    if (!AlertVisible(ctx, row)) return Status::Ok();
    std::optional<json> alert = AlertJsonFor(ctx, row);
    if (!alert || (!family.empty() && !HasFamily(*alert, family))) return Status::Ok();
    if (static_cast<int64_t>(alerts.size()) == limit) {
      more = true;
      return Status::ResourceExhausted("page full");
    }
    alerts.push_back(std::move(*alert));
    last_id = row.id;
    return Status::Ok();
  });
  if (!status.ok() && !more) return status;
  json body = {{"alerts", std::move(alerts)}};
  body["next"] = more ? json(EncodeCursor(cursor_kind, {last_id})) : json(nullptr);
  SendJson(res, 200, body);
  return Status::Ok();
}

Result<AlertRow> FindVisibleAlert(const httplib::Request& req, RequestContext& ctx) {
  const std::string uuid = req.matches[1];
  ASSIGN_OR_RETURN(std::optional<AlertRow> row, ctx.store->FindAlert(uuid));
  if (!row || !AlertVisible(ctx, *row)) return Status::NotFound("no alert '" + uuid + "'");
  return *std::move(row);
}

Status GetAlert(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(AlertRow row, FindVisibleAlert(req, ctx));
  std::optional<json> alert = AlertJsonFor(ctx, row);
  if (!alert) return Status::Internal("alert " + row.uuid + " has damaged JSON");
  SendJson(res, 200, *alert);
  return Status::Ok();
}


Status AcknowledgeAlert(const httplib::Request& req, httplib::Response& res,
                        RequestContext& ctx) {
  ASSIGN_OR_RETURN(AlertRow row, FindVisibleAlert(req, ctx));
  if (!MayAcknowledgeAlert({ctx.principal.org_id, Role::kAdmin}, row)) {
    return Status::PermissionDenied(
        "only the organisation whose telemetry raised the alert, or the one it is routed to, acknowledges it");
  }
  if (!MayAcknowledgeAlert(ctx.principal, row)) {
    return Status::PermissionDenied("the " + std::string(RoleName(ctx.principal.role)) +
                                    " role may not acknowledge alerts");
  }
  if (!row.acknowledged_at.empty()) {
    return Status::FailedPrecondition("the alert was already acknowledged by " +
                                      row.acknowledged_by + " at " + row.acknowledged_at);
  }
  ASSIGN_OR_RETURN(OrgDirectory orgs, OrgDirectory::Load(*ctx.store));
  const json org = orgs.Ref(ctx.principal.org_id);
  // The person first: a key id alone says nothing to the colleague who
  // reads "acknowledged by" (the key stays, for the audit trail).
  const std::string who =
      (org["name"].is_string() ? org["name"].get<std::string>()
                               : "organisation #" + std::to_string(ctx.principal.org_id)) +
      (ctx.user.empty() ? "" : ": " + ctx.user) + " (" + ctx.key_id + ")";
  const std::string now = FormatTimestamp(ctx.state->clock.Now());
  RETURN_IF_ERROR(ctx.store->AcknowledgeAlert(
      row.id, now, who, AuditFor(ctx, "alert.acknowledge", row.uuid, row.country)));
  row.acknowledged_at = now;
  row.acknowledged_by = who;
  std::optional<json> alert = AlertJsonFor(ctx, row);
  if (!alert) return Status::Internal("alert " + row.uuid + " has damaged JSON");
  SendJson(res, 200, *alert);
  return Status::Ok();
}

}  // namespace

void RegisterAlertRoutes(httplib::Server& http, ServerState& state) {
  http.Get(kAlertsPath, Route(state, ListAlerts));
  RegisterAllowedMethods(http, kAlertsPath, {"GET"});
  http.Post(kAcknowledgePattern, Route(state, AcknowledgeAlert));
  RegisterAllowedMethods(http, kAcknowledgePattern, {"POST"});
  http.Get(kAlertPattern, Route(state, GetAlert));
  RegisterAllowedMethods(http, kAlertPattern, {"GET"});
}

}  // namespace accord::server::rest
