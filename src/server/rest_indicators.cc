// /api/v1/indicators/lookup (one observable with its correlation),
// /api/v1/indicators (links of visible events, by type/tag/date, with a
// cursor) and POST /api/v1/sightings.
//
// An observable carried only by events the caller may not read does not
// exist for that caller: lookup and sightings answer 404 exactly as for a
// value the node has never seen (the lookup answers 200 with `found` false
// when a visible network or parent domain covers it).
#include <fmt/format.h>

#include "core/covering.h"
#include "server/rest_common.h"
#include "store/sighting_read_check.h"

namespace accord::server::rest {
namespace {

// Normalizes a (value, type name) pair from a request; `where` names the
// value's field or parameter in errors.
Result<Observable> NormalizeRequested(const std::string& value, const std::string& type_name,
                                      const std::string& where, const std::string& type_where) {
  if (value.empty()) return Status::Invalid(where + ": required");
  if (type_name.empty()) {
    Result<Observable> detected = DetectAndNormalize(value);
    if (!detected.ok()) return Status::Invalid(where + ": " + detected.status().message());
    return detected;
  }
  std::optional<ObservableType> type = ParseTypeName(type_name);
  if (!type) return Status::Invalid(type_where + ": unknown type '" + type_name + "'");
  Result<Observable> normalized = Normalize(*type, value);
  if (!normalized.ok()) return Status::Invalid(where + ": " + normalized.status().message());
  return normalized;
}

// The events that carry the observable and that the caller may read.
std::vector<const EventLink*> VisibleLinks(const RequestContext& ctx, const ObservableInfo& info) {
  std::vector<const EventLink*> visible;
  for (const EventLink& link : info.events) {
    if (Visible(ctx, link.event)) visible.push_back(&link);
  }
  return visible;
}

void Lookup(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  auto observable = NormalizeRequested(req.get_param_value("value"), req.get_param_value("type"),
                                       "value", "type");
  if (!observable.ok()) return SendStatus(res, observable.status());
  auto info = ctx.store->LookupObservable(*observable);
  if (!info.ok()) return SendStatus(res, info.status());
  std::vector<const EventLink*> visible;
  if (*info) visible = VisibleLinks(ctx, **info);
  // A detected domain may have been stored as a file name ("crypt1.exe").
  std::optional<Observable> other = req.get_param_value("type").empty()
                                        ? OtherReading(*observable, req.get_param_value("value"))
                                        : std::nullopt;
  if (visible.empty() && other) {
    auto as_other = ctx.store->LookupObservable(*other);
    if (!as_other.ok()) return SendStatus(res, as_other.status());
    if (*as_other && !VisibleLinks(ctx, **as_other).empty()) {
      info = std::move(as_other);
      visible = VisibleLinks(ctx, **info);
    }
  }
  // What telemetry naming the value also alerts through: the stored
  // networks holding an address, a name's parent domains, a URL's host.
  const bool found = *info && !visible.empty();
  const Observable& shown = found ? (*info)->observable : *observable;
  std::vector<std::pair<ObservableInfo, std::vector<const EventLink*>>> covering;
  for (const Observable& cover : CoveringObservables(shown)) {
    auto cover_info = ctx.store->LookupObservable(cover);
    if (!cover_info.ok()) return SendStatus(res, cover_info.status());
    if (!*cover_info) continue;
    covering.emplace_back(std::move(**cover_info), std::vector<const EventLink*>{});
    covering.back().second = VisibleLinks(ctx, covering.back().first);
    if (covering.back().second.empty()) covering.pop_back();
  }
  if (!found && covering.empty()) {
    return SendError(res, 404,
                     fmt::format("no visible event carries {} {}", TypeName(observable->type), observable->value));
  }

  auto orgs = OrgDirectory::Load(*ctx.store);
  if (!orgs.ok()) return SendStatus(res, orgs.status());
  auto correlated = [&](const std::vector<const EventLink*>& links) {
    json events = json::array();
    for (const EventLink* link : links) {
      events.push_back({{"event", EventJson(link->event, *orgs)}, {"context", ContextJson(link->context)}});
    }
    return events;
  };
  // A sighting is shown as what made it allows (SightingReadCheck: the
  // alert, STIX sighting or MISP event it came from); where it was seen
  // (the source, often a sensor or a customer) only to the caller's own
  // organisation.
  json sightings = json::array();
  int64_t total = 0;
  if (found) {
    std::vector<int64_t> readable_owners;
    for (const EventLink* link : visible) readable_owners.push_back(link->event.owner_org_id);
    SightingReadCheck check(*ctx.store, ctx.principal);
    for (const Sighting& sighting : (*info)->sightings) {
      auto readable = check.MayReadSighting(sighting, readable_owners);
      if (!readable.ok()) return SendStatus(res, readable.status());
      if (!*readable) continue;
      total += sighting.count;
      const bool own = sighting.org_id == ctx.principal.org_id;
      sightings.push_back(
          {{"organisation", orgs->Ref(sighting.org_id)},
           {"count", sighting.count},
           {"first_seen", sighting.first_seen.empty() ? json(nullptr) : json(sighting.first_seen)},
           {"last_seen", sighting.last_seen.empty() ? json(nullptr) : json(sighting.last_seen)},
           {"source", own && !sighting.source.empty() ? json(sighting.source) : json(nullptr)}});
    }
  }
  json covered_by = json::array();
  for (const auto& [cover, links] : covering) {
    covered_by.push_back({{"observable", ObservableJson(cover.observable)}, {"events", correlated(links)}});
  }
  SendJson(res, 200,
           {{"observable", ObservableJson(shown)},
            {"found", found},
            {"created", found ? json((*info)->created) : json(nullptr)},
            {"warninglist", found && !(*info)->warninglist.empty() ? json((*info)->warninglist) : json(nullptr)},
            {"events", found ? correlated(visible) : json::array()},
            {"sightings", std::move(sightings)},
            {"sighting_count", total},
            {"covered_by", std::move(covered_by)}});
}

void ListIndicators(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  IndicatorFilter filter;
  auto limit = PageLimit(req);
  if (!limit.ok()) return SendStatus(res, limit.status());
  if (req.has_param("type")) {
    filter.type = ParseTypeName(req.get_param_value("type"));
    if (!filter.type) {
      return SendError(res, 400, "type: unknown type '" + req.get_param_value("type") + "'");
    }
  }
  filter.tag = req.get_param_value("tag");
  auto since = QueryTimestamp(req, "since");
  if (!since.ok()) return SendStatus(res, since.status());
  filter.modified_since = since->value_or("");
  if (req.has_param("cursor")) {
    auto cursor = DecodeCursor(req.get_param_value("cursor"), "ix", 2);
    if (!cursor.ok()) return SendStatus(res, cursor.status());
    filter.after_event_id = (*cursor)[0];
    filter.after_observable_id = (*cursor)[1];
  }
  json indicators = json::array();
  int64_t last_event = 0;
  int64_t last_observable = 0;
  bool more = false;
  Status status = ctx.store->ForEachIndicator(filter, [&](const IndicatorRow& row) {
    if (!Visible(ctx, row.event)) return Status::Ok();
    if (static_cast<int64_t>(indicators.size()) == *limit) {
      more = true;
      return Status::ResourceExhausted("page full");
    }
    json item = IndicatorJson(row.link);
    item["event"] = {{"uuid", row.event.uuid},
                     {"title", row.event.title},
                     {"tlp", TlpName(row.event.tlp)},
                     {"modified", row.event.modified}};
    indicators.push_back(std::move(item));
    last_event = row.event.id;
    last_observable = row.link.observable_id;
    return Status::Ok();
  });
  if (!status.ok() && !more) return SendStatus(res, status);
  SendJson(res, 200,
           {{"indicators", std::move(indicators)},
            {"next", more ? json(EncodeCursor("ix", {last_event, last_observable})) : json(nullptr)}});
}

void AddSighting(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!MaySubmit(ctx.principal.role)) {
    return SendError(res, 403, "readers and points of contact may not record sightings");
  }
  std::optional<json> body = ReadJsonObject(req, res);
  if (!body) return;
  Status fields = OnlyKnownFields(*body, {"value", "type", "count", "first_seen", "last_seen",
                                          "source"}, "");
  if (!fields.ok()) return SendStatus(res, fields);
  auto value = OptionalString(*body, "value", "value");
  auto type = OptionalString(*body, "type", "type");
  auto count = OptionalInteger(*body, "count", "count");
  auto first_seen = OptionalTimestamp(*body, "first_seen", "first_seen");
  auto last_seen = OptionalTimestamp(*body, "last_seen", "last_seen");
  auto source = OptionalString(*body, "source", "source");
  for (const Status* status : {&value.status(), &type.status(), &count.status(),
                               &first_seen.status(), &last_seen.status(), &source.status()}) {
    if (!status->ok()) return SendStatus(res, *status);
  }
  if (*count && **count < 1) return SendError(res, 400, "count: must be at least 1");
  auto observable =
      NormalizeRequested(value->value_or(""), type->value_or(""), "value", "type");
  if (!observable.ok()) return SendStatus(res, observable.status());

  const std::string now = FormatTimestamp(ctx.state->clock.Now());
  SightingInput sighting;
  sighting.observable = *observable;
  sighting.org_id = ctx.principal.org_id;
  sighting.count = count->value_or(1);
  sighting.first_seen = first_seen->value_or(last_seen->value_or(now));
  sighting.last_seen = last_seen->value_or(sighting.first_seen);
  if (sighting.last_seen < sighting.first_seen) {
    return SendError(res, 400, "last_seen: earlier than first_seen");
  }
  sighting.source = source->value_or("");

  bool found = false;
  Status status = [&]() -> Status {
    ASSIGN_OR_RETURN(auto batch, ctx.store->BeginImport());
    ASSIGN_OR_RETURN(auto info, ctx.store->LookupObservable(*observable));
    if (!info || VisibleLinks(ctx, *info).empty()) return Status::Ok();
    found = true;
    RETURN_IF_ERROR(batch->AddSighting(sighting).status());
    RETURN_IF_ERROR(batch->AppendAudit(AuditFor(
        ctx, "sighting.add", fmt::format("{}:{}", TypeName(observable->type), observable->value),
        json({{"count", sighting.count}, {"source", sighting.source}})
            .dump(-1, ' ', false, json::error_handler_t::replace))));
    return batch->Commit();
  }();
  if (!status.ok()) return SendStatus(res, status);
  if (!found) {
    return SendError(res, 404, fmt::format("no visible event carries {} {}",
                                           TypeName(observable->type), observable->value));
  }
  SendJson(res, 201,
           {{"observable", ObservableJson(*observable)},
            {"organisation_id", ctx.principal.org_id},
            {"count", sighting.count},
            {"first_seen", sighting.first_seen},
            {"last_seen", sighting.last_seen},
            {"source", sighting.source.empty() ? json(nullptr) : json(sighting.source)}});
}

}  // namespace

void RegisterIndicatorRoutes(httplib::Server& http, ServerState& state) {
  http.Get("/api/v1/indicators/lookup", Authenticated(state, ErrorStyle::kRest, Lookup));
  RegisterAllowedMethods(http, "/api/v1/indicators/lookup", {"GET"});
  http.Get("/api/v1/indicators", Authenticated(state, ErrorStyle::kRest, ListIndicators));
  RegisterAllowedMethods(http, "/api/v1/indicators", {"GET"});
  http.Post("/api/v1/sightings", Authenticated(state, ErrorStyle::kRest, AddSighting));
  RegisterAllowedMethods(http, "/api/v1/sightings", {"POST"});
}

}  // namespace accord::server::rest
