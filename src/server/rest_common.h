// Shared pieces of the REST API (/api/v1): answering in JSON, reading request
// bodies and query parameters with errors that name the field, opaque page
// cursors, the organisation directory, the JSON shapes of events and
// indicators (docs/openapi.json describes them), role rules and audit
// records. Internal to src/server.
//
// Every helper that can refuse a request writes the JSON error itself and
// reports failure to the caller, so a handler reads as a list of checks.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/context.h"

namespace accord::server::rest {

using nlohmann::json;

// Page sizes for the listings: default, and the most one page returns (a
// larger limit is served as this one).
inline constexpr int64_t kDefaultPageLimit = 100;
inline constexpr int64_t kMaxPageLimit = 1000;

// Writes `body` as application/json. Invalid UTF-8 from stored values is
// replaced, never thrown about.
void SendJson(httplib::Response& res, int status, const json& body);
void SendError(httplib::Response& res, int status, const std::string& message);
// A Status from below (store, importer) as an HTTP answer: client mistakes
// keep their message; internal failures are logged and answered 500 without
// detail.
void SendStatus(httplib::Response& res, const Status& status);

// A Status from reading the request body's bytes (opening, decompressing,
// unpacking): a malformed or truncated body (IoError, Corruption: there is
// no disk under a body) is the client's, 400 with its message; anything
// else as SendStatus.
void SendBodyStatus(httplib::Response& res, const Status& status);

// Requires a JSON Content-Type (415 otherwise) and a body that parses as a
// JSON object (400 naming the position otherwise).
std::optional<json> ReadJsonObject(const httplib::Request& req, httplib::Response& res);
// True when the request's Content-Type (parameters ignored) is `media_type`.
bool HasMediaType(const httplib::Request& req, std::string_view media_type);

// Typed access to a member of a JSON object; `where` names the field in
// errors ("indicators[2].confidence: expected an integer"). nullopt when the
// member is absent (or null: clients write null for "not given").
Result<std::optional<std::string>> OptionalString(const json& object, const std::string& key,
                                                  const std::string& where);
Result<std::optional<int64_t>> OptionalInteger(const json& object, const std::string& key,
                                               const std::string& where);
Result<std::optional<bool>> OptionalBool(const json& object, const std::string& key,
                                         const std::string& where);
Result<std::optional<std::vector<std::string>>> OptionalStringArray(const json& object,
                                                                    const std::string& key,
                                                                    const std::string& where);
// An RFC 3339 timestamp, normalized to FormatTimestamp's form.
Result<std::optional<std::string>> OptionalTimestamp(const json& object, const std::string& key,
                                                     const std::string& where);
// Refuses members other than `known`, so a misspelt field is an error rather
// than silently ignored.
Status OnlyKnownFields(const json& object, const std::vector<std::string_view>& known,
                       const std::string& where);

// Query parameters. `limit`: a positive integer, default kDefaultPageLimit,
// capped at kMaxPageLimit. Timestamps are normalized.
Result<int64_t> PageLimit(const httplib::Request& req);
Result<std::optional<std::string>> QueryTimestamp(const httplib::Request& req,
                                                  const std::string& name);
Result<std::optional<Tlp>> QueryTlp(const httplib::Request& req, const std::string& name);

// Opaque page cursors: a kind ("ev", "ix") and numbers, base64url-encoded so
// clients treat them as tokens. Decoding checks kind and shape: a token from
// another listing, or edited, is kInvalidArgument.
std::string EncodeCursor(std::string_view kind, const std::vector<int64_t>& numbers);
Result<std::vector<int64_t>> DecodeCursor(std::string_view token, std::string_view kind,
                                          size_t count);

// The node's organisations, loaded once per request.
class OrgDirectory {
 public:
  static Result<OrgDirectory> Load(Store& store);
  // {"id": 3, "name": "CERT-A"}; the name is null for an id not on the node.
  json Ref(int64_t org_id) const;
  // The organisation of that name; else the one whose name differs only in
  // ASCII letter case, if exactly one does.
  std::optional<int64_t> FindByName(const std::string& name) const;
  bool Has(int64_t org_id) const { return names_.count(org_id) > 0; }

 private:
  std::map<int64_t, std::string> names_;
};

// The JSON shapes (components/schemas in docs/openapi.json).
json ContextJson(const IndicatorContext& context);                 // IndicatorContext
json IndicatorJson(const LinkedObservable& link);                  // Indicator
json EventJson(const EventSummary& event, const OrgDirectory& orgs);  // Event
json ObservableJson(const Observable& observable);                 // Observable

// The principal may read the event (core/policy.h MayRead; nothing else).
bool Visible(const RequestContext& ctx, const EventSummary& event);
// Roles that may write events, sightings and imports: admin, analyst,
// contributor. Reader and poc only read.
bool MaySubmit(Role role);
// Roles that may delete an event of their organisation: admin, analyst.
bool MayDelete(Role role);

// A handler that answers itself on success and returns the Status
// otherwise; Route sends that Status as the JSON error. Where a helper
// already wrote the answer (ReadBody's 415 or 400) the handler returns Ok.
using RouteHandler = Status (*)(const httplib::Request&, httplib::Response&, RequestContext&);
httplib::Server::Handler Route(ServerState& state, RouteHandler handler);

// "attachment; filename=...; filename*=UTF-8''..." (RFC 6266) for a download.
std::string ContentDisposition(const std::string& name);

// An audit record for this request's actor and address.
AuditEntry AuditFor(const RequestContext& ctx, std::string action, std::string object,
                    std::string detail = "");

// Registers, for every method not in `allowed`, a handler answering 405 with
// an Allow header (OPTIONS answers 204 with it), so wrong methods on known
// paths are not mistaken for unknown paths.
void RegisterAllowedMethods(httplib::Server& http, const std::string& pattern,
                            const std::vector<std::string>& allowed);

// Route groups, one file each.
void RegisterEventRoutes(httplib::Server& http, ServerState& state);
// /api/v1/events/{uuid}/objects: the STIX objects an event came with
// (rest_event_objects.cc).
void RegisterEventObjectRoutes(httplib::Server& http, ServerState& state);
// /api/v1/events/{uuid}/indicators: an event's indicators a page at a time
// (rest_event_indicators.cc).
void RegisterEventIndicatorRoutes(httplib::Server& http, ServerState& state);
void RegisterIndicatorRoutes(httplib::Server& http, ServerState& state);
// Imports (rest_import.cc); exports, the MISP feed and warning lists (rest_export.cc).
void RegisterImportRoutes(httplib::Server& http, ServerState& state);
void RegisterExportRoutes(httplib::Server& http, ServerState& state);
// 24/7 network: /api/v1/pocs and /api/v1/requests (rest_requests.cc).
void RegisterRequestRoutes(httplib::Server& http, ServerState& state);
// Infostealer operations and the exposure range API (rest_stealer.cc).
void RegisterStealerRoutes(httplib::Server& http, ServerState& state);
// /api/v1/alerts: the feed, one alert, acknowledgement (rest_alerts.cc).
void RegisterAlertRoutes(httplib::Server& http, ServerState& state);
// /api/v1/stats: the dashboard's counts, maps and time lines (rest_stats.cc).
void RegisterStatsRoutes(httplib::Server& http, ServerState& state);

// How the principal may read an alert: whole, by its TLP, the organisation
// that sent the telemetry and the routed organisation when it may read
// every event the alert names (core/policy.h MayRead); or, as the routed
// organisation that may read only some of them (routed_partial), with
// those events alone; or not at all.
enum class AlertAccess { kNone, kWhole, kRoutedEventsOnly };
AlertAccess AlertAccessOf(const Principal& who, const AlertRow& row);
// Any access, whole or to the routed organisation's own events.
bool AlertVisible(const RequestContext& ctx, const AlertRow& row);
// Whole access only (what a webhook is sent).
bool AlertVisibleTo(const Principal& who, const AlertRow& row);
// The same for a tally's group of alerts: they share those columns.
bool AlertTallyVisible(const RequestContext& ctx, const AlertTally& tally);
// Each group of alerts the caller reads that pass `filter`, counted (with
// the tally's detail when `detailed`): the store's tallies, each through
// AlertTallyVisible; for a contributor, which reaches an alert only through
// an event it may read itself, each alert as a tally of one.
Status ForEachReadableAlertTally(RequestContext& ctx, const AlertFilter& filter, bool detailed,
                                 const std::function<Status(const AlertTally&)>& fn);
// The families of a tally's alerts the caller may see: the routed
// organisation reading only some events sees only theirs.
const std::vector<std::string>& AlertTallyFamilies(const RequestContext& ctx, const AlertTally& tally);
// Whether `who` may acknowledge `row`: a handler (admin, analyst, point of
// contact) of the organisation that raised it or of the one it is routed to.
bool MayAcknowledgeAlert(const Principal& who, const AlertRow& row);
// The alert as stored, with count, last_seen and acknowledged {at, by}|null;
// nullopt when the stored JSON is damaged.
std::optional<json> AlertJson(const AlertRow& row);
// The caller is an admin of the node's operator organisation (store meta
// "operator_org_id"), who acts for the whole node.
Result<bool> IsOperatorAdmin(const RequestContext& ctx);
// The principal may read the operation (as its C2 event; rest_stealer.cc).
Result<bool> StealerOperationVisible(RequestContext& ctx, const StealerOperation& operation);

}  // namespace accord::server::rest
