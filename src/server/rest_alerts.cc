// The early-warning alerts a node stores, over HTTP:
//
//   GET  /api/v1/alerts                    the feed (filters, cursor paging)
//   GET  /api/v1/alerts/{uuid}             one alert
//   POST /api/v1/alerts/{uuid}/acknowledge someone is handling it
//
// The feed is oldest stored first by default (a consumer catching up: a
// cursor never skips an alert stored later); with order=newest it is newest
// observed first (by when telemetry last hit, last_seen, the later stored
// first among equal times: a screen showing what just happened, which polls
// the first page, and on which a replayed old log does not sit on top).
// Each page has `next` (the page after) and `prev` (the page before, null on
// the first), and `total`, the alerts the caller may read that pass the
// filters. Filters: country, family (case-insensitive, any of the alert's
// families), organisation (the routed organisation's name) and
// acknowledged. Every alert passes AlertVisible, in pages and in the total
// alike; an alert the caller may not read is answered as absent. The routed
// organisation that may read only some of an alert's events reads it with
// those alone (their families, their strictest level), and its family
// filter and counts look at those families only.
#include <algorithm>
#include <cctype>
#include <functional>
#include <chrono>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/family_tag.h"
#include "server/rest_common.h"

namespace accord::server::rest {

namespace {
std::string LowerAscii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

AlertAccess AccessOf(const Principal& who, Tlp tlp, int64_t owner_org_id, int64_t routed_org_id, bool routed_reads,
                     bool routed_partial) {
  if (MayRead(who, {tlp, owner_org_id, AlertRecipients(routed_org_id, routed_reads)})) return AlertAccess::kWhole;
  // Warned of its victim with the events it may read (a contributor reads
  // another organisation's data only when it is for everyone).
  if (routed_partial && who.org_id != 0 && who.org_id == routed_org_id && who.role != Role::kContributor) {
    return AlertAccess::kRoutedEventsOnly;
  }
  return AlertAccess::kNone;
}
}  // namespace

AlertAccess AlertAccessOf(const Principal& who, const AlertRow& row) {
  return AccessOf(who, row.tlp, row.owner_org_id, row.routed_org_id, row.routed_reads, row.routed_partial);
}

bool AlertVisible(const RequestContext& ctx, const AlertRow& row) {
  return AlertAccessOf(ctx.principal, row) != AlertAccess::kNone;
}

bool AlertVisibleTo(const Principal& who, const AlertRow& row) {
  return AlertAccessOf(who, row) == AlertAccess::kWhole;
}

bool AlertTallyVisible(const RequestContext& ctx, const AlertTally& tally) {
  return AccessOf(ctx.principal, tally.tlp, tally.owner_org_id, tally.routed_org_id, tally.routed_reads,
                  tally.routed_partial) != AlertAccess::kNone;
}

const std::vector<std::string>& AlertTallyFamilies(const RequestContext& ctx, const AlertTally& tally) {
  const AlertAccess access = AccessOf(ctx.principal, tally.tlp, tally.owner_org_id, tally.routed_org_id,
                                      tally.routed_reads, tally.routed_partial);
  return access == AlertAccess::kRoutedEventsOnly ? tally.routed_families : tally.families;
}

// The people who handle alerts acknowledge them: admins, analysts and points
// of contact (contributors feed telemetry and readers only read) of the
// organisation whose telemetry raised the alert or of the one it is routed
// to. Others who may read it (a GREEN alert's audience) may not close
// another member's early warning.
bool MayAcknowledgeAlert(const Principal& who, const AlertRow& row) {
  const bool handler = who.role == Role::kAdmin || who.role == Role::kAnalyst || who.role == Role::kPoc;
  const bool party = who.org_id == row.owner_org_id ||
                     ((row.routed_reads || row.routed_partial) && who.org_id == row.routed_org_id);
  return handler && party;
}

namespace {

// Where each event an alert names came from (its `source`: api,
// misp:<file>, a feed), for the events the caller may read; null for the
// others and for events deleted since. Loaded once per event per request.
class EventSources {
 public:
  explicit EventSources(RequestContext& ctx) : ctx_(ctx) {}

  Status AddTo(json& alert) {
    auto events = alert.find("events");
    if (events == alert.end() || !events->is_array()) return Status::Ok();
    for (json& event : *events) {
      if (!event.is_object() || !event.contains("uuid") || !event["uuid"].is_string()) continue;
      ASSIGN_OR_RETURN(const Seen* seen, Look(event["uuid"]));
      event["source"] = seen->source;
    }
    return Status::Ok();
  }

  // Whether the caller reaches the alert: whole, or as the routed
  // organisation that may still read one of its events now (one whose
  // readable events were all deleted since reads nothing of it). A
  // contributor reads another organisation's events only up to GREEN
  // (core/policy.h), while its organisation's alert names the events any
  // of its members may read: it reaches the alert through an event it may
  // read itself.
  Result<bool> Reaches(const AlertRow& row) {
    const AlertAccess access = AlertAccessOf(ctx_.principal, row);
    if (access == AlertAccess::kNone) return false;
    if (access == AlertAccess::kWhole && ctx_.principal.role != Role::kContributor) return true;
    const json alert = json::parse(row.json, nullptr, false);
    if (!alert.is_object() || !alert.contains("events") || !alert["events"].is_array()) return false;
    for (const json& event : alert["events"]) {
      if (!event.is_object() || !event.contains("uuid") || !event["uuid"].is_string()) continue;
      ASSIGN_OR_RETURN(const Seen* seen, Look(event["uuid"]));
      if (seen->visible) return true;
    }
    return false;
  }

  // The alert with only the events the caller may read now, as for any
  // event (Visible): the routed organisation that may read only some of
  // them, a contributor, a reader of an alert whose event changed hands
  // since. When one is left out, the alert's families are those the kept
  // events name (tags and value_families), and its TLP the strictest of
  // their levels.
  Status KeepReadableEvents(json& alert) {
    auto events = alert.find("events");
    if (events == alert.end() || !events->is_array()) return Status::Ok();
    bool all = true;
    for (const json& event : *events) {
      if (!event.is_object() || !event.contains("uuid") || !event["uuid"].is_string()) continue;
      ASSIGN_OR_RETURN(const Seen* seen, Look(event["uuid"]));
      all = all && seen->visible;
    }
    if (all) return Status::Ok();
    json kept = json::array();
    std::vector<std::string> families;
    std::optional<Tlp> strictest;
    for (json& event : *events) {
      if (!event.is_object() || !event.contains("uuid") || !event["uuid"].is_string()) continue;
      ASSIGN_OR_RETURN(const Seen* seen, Look(event["uuid"]));
      if (!seen->visible) continue;
      std::optional<Tlp> level = event.contains("tlp") && event["tlp"].is_string()
                                     ? ParseTlp(event["tlp"].get<std::string>())
                                     : std::nullopt;
      if (level) strictest = strictest ? std::max(*strictest, *level) : *level;
      std::vector<std::string> tags, value_families;
      for (auto [key, strings] : {std::pair{"tags", &tags}, std::pair{"value_families", &value_families}}) {
        if (auto array = event.find(key); array != event.end() && array->is_array()) {
          for (const json& item : *array) {
            if (item.is_string()) strings->push_back(item.get<std::string>());
          }
        }
      }
      AppendEventFamilies(tags, value_families, families);
      kept.push_back(std::move(event));
    }
    alert["events"] = std::move(kept);
    alert["families"] = families;
    if (strictest) alert["tlp"] = std::string(TlpName(*strictest));
    return Status::Ok();
  }

  // The alert as the caller reads it (KeepReadableEvents), when it reaches
  // it and, given a family, the events it reads name that family
  // (case-insensitive, as the store's filter); else nullopt.
  Result<std::optional<json>> AsRead(const AlertRow& row, const std::string& family) {
    ASSIGN_OR_RETURN(const bool reaches, Reaches(row));
    std::optional<json> alert = reaches ? AlertJson(row) : std::nullopt;
    if (!alert) return std::optional<json>();
    RETURN_IF_ERROR(KeepReadableEvents(*alert));
    if (family.empty()) return alert;
    const std::string wanted = LowerAscii(family);
    for (const json& named : alert->value("families", json::array())) {
      if (named.is_string() && LowerAscii(named.get<std::string>()) == wanted) return alert;
    }
    return std::optional<json>();
  }

  // Which of the alert's parties (its owner, its routed organisation)
  // acknowledged it, by name; "another organisation" when neither name
  // starts the record (an organisation renamed since).
  Result<std::string> HandlingOrganisation(const AlertRow& row) {
    if (!orgs_) {
      ASSIGN_OR_RETURN(OrgDirectory orgs, OrgDirectory::Load(*ctx_.store));
      orgs_ = std::move(orgs);
    }
    for (int64_t org_id : {row.owner_org_id, row.routed_org_id}) {
      const json name = orgs_->Ref(org_id)["name"];
      if (!name.is_string()) continue;
      const std::string text = name.get<std::string>();
      if (row.acknowledged_by.starts_with(text + ": ") || row.acknowledged_by.starts_with(text + " (")) return text;
    }
    return std::string("another organisation");
  }

 private:
  struct Seen {
    bool visible = false;
    json source;  // null when not visible, deleted or without one
  };

  Result<const Seen*> Look(const std::string& uuid) {
    auto known = seen_.find(uuid);
    if (known == seen_.end()) {
      ASSIGN_OR_RETURN(std::optional<EventSummary> found, ctx_.store->GetEvent(uuid));
      Seen seen;
      seen.visible = found && Visible(ctx_, *found);
      seen.source = seen.visible && !found->source.empty() ? json(found->source) : json(nullptr);
      known = seen_.emplace(uuid, std::move(seen)).first;
    }
    return &known->second;
  }

  RequestContext& ctx_;
  std::map<std::string, Seen> seen_;
  std::optional<OrgDirectory> orgs_;
};

// The alert as the caller sees it: with whether the caller may acknowledge
// it and where its events came from.
Result<json> AlertJsonFor(RequestContext& ctx, const AlertRow& row, EventSources& sources) {
  std::optional<json> alert = AlertJson(row);
  if (!alert) return Status::Internal("alert " + row.uuid + " has damaged JSON");
  (*alert)["may_acknowledge"] = row.acknowledged_at.empty() && MayAcknowledgeAlert(ctx.principal, row);
  // Who handled it is the parties' own business (a person, a key id):
  // others who may read the alert see which organisation did.
  const bool party = ctx.principal.org_id == row.owner_org_id ||
                     (row.routed_org_id != 0 && ctx.principal.org_id == row.routed_org_id);
  if (!row.acknowledged_at.empty() && !party) {
    ASSIGN_OR_RETURN(std::string handler, sources.HandlingOrganisation(row));
    (*alert)["acknowledged"]["by"] = handler;
  }
  RETURN_IF_ERROR(sources.KeepReadableEvents(*alert));
  RETURN_IF_ERROR(sources.AddTo(*alert));
  return *std::move(alert);
}

}  // namespace

Status ForEachReadableAlertTally(RequestContext& ctx, const AlertFilter& filter, bool detailed,
                                 const std::function<Status(const AlertTally&)>& fn) {
  // A contributor reads other organisations' events only up to GREEN: an
  // alert above GREEN is its organisation's own, which it reaches only
  // through the events it may read itself, with their families alone; the
  // store's tallies cannot tell those apart. Those alerts are counted one
  // by one (the rest, GREEN and below, from the tallies).
  const bool contributor = ctx.principal.role == Role::kContributor;
  bool any_trimmed = false;
  RETURN_IF_ERROR(ctx.store->ForEachAlertTally(filter, detailed, [&](const AlertTally& tally) {
    if (!AlertTallyVisible(ctx, tally)) return Status::Ok();
    if (contributor && tally.tlp > Tlp::kGreen) {
      any_trimmed = true;
      return Status::Ok();
    }
    return fn(tally);
  }));
  if (!any_trimmed) return Status::Ok();
  AlertFilter whole = filter;
  whole.family.clear();  // matched against the families it reads, below
  EventSources sources(ctx);
  return ctx.store->ForEachAlert(whole, [&](const AlertRow& row) -> Status {
    if (row.tlp <= Tlp::kGreen || !AlertVisible(ctx, row)) return Status::Ok();
    ASSIGN_OR_RETURN(std::optional<json> alert, sources.AsRead(row, filter.family));
    if (!alert) return Status::Ok();
    AlertTally tally;
    tally.tlp = row.tlp;
    tally.owner_org_id = row.owner_org_id;
    tally.routed_org_id = row.routed_org_id;
    tally.routed_reads = row.routed_reads;
    tally.routed_partial = row.routed_partial;
    tally.last_seen_day = row.last_seen.substr(0, 10);
    tally.country = row.country;
    tally.acknowledged = !row.acknowledged_at.empty();
    for (const json& family : alert->value("families", json::array())) {
      if (family.is_string()) tally.families.push_back(family.get<std::string>());
    }
    tally.count = 1;
    return fn(tally);
  });
}

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

// A place in a listing's order: after (or before) this alert.
struct AlertKey {
  std::string last_seen;
  int64_t id = 0;
};

// One listing order and the statements that read it either way from a key.
// Stored order (oldest first) reads by id; observed order (newest first) by
// (last_seen, id). Cursors name their order and direction, so a token of one
// order is refused by the other.
class AlertOrder {
 public:
  AlertOrder(const AlertFilter& filters, bool observed) : filters_(filters), observed_(observed) {}

  // The listing's own direction from `from` (exclusive), or from its start.
  AlertFilter Forward(const std::optional<AlertKey>& from) const {
    AlertFilter filter = filters_;
    if (observed_) {
      filter.by_observed = true;
      if (from) SetKey(filter, *from);
    } else {
      filter.after_id = from ? from->id : 0;
    }
    return filter;
  }

  // Toward the listing's start from `from` (exclusive): the page before.
  AlertFilter Backward(const AlertKey& from) const {
    AlertFilter filter = filters_;
    if (observed_) {
      filter.by_observed = true;
      filter.observed_ascending = true;
      SetKey(filter, from);
    } else {
      filter.newest_first = true;
      filter.before_id = from.id;
    }
    return filter;
  }

  std::string Cursor(bool forward, const AlertKey& key) const {
    if (!observed_) return EncodeCursor(forward ? "al" : "ab", {key.id});
    // Milliseconds, as last_seen is stored: hits within one second must
    // not fall between two pages.
    Result<TimePoint> seen = ParseTimestamp(key.last_seen);
    const int64_t millis =
        seen.ok() ? std::chrono::duration_cast<std::chrono::milliseconds>(seen->time_since_epoch()).count() : 0;
    return EncodeCursor(forward ? "ao" : "ap", {std::max<int64_t>(millis, 0), key.id});
  }

  // The key and direction (true = forward) a cursor of this order names.
  Result<std::pair<AlertKey, bool>> Decode(const std::string& token) const {
    const size_t numbers = observed_ ? 2 : 1;
    for (bool forward : {true, false}) {
      const std::string_view kind = observed_ ? (forward ? "ao" : "ap") : (forward ? "al" : "ab");
      Result<std::vector<int64_t>> cursor = DecodeCursor(token, kind, numbers);
      if (!cursor.ok()) continue;
      AlertKey key;
      key.id = cursor->back();
      if (observed_) key.last_seen = FormatTimestamp(TimePoint(std::chrono::milliseconds((*cursor)[0])));
      return std::make_pair(std::move(key), forward);
    }
    return Status::Invalid("cursor: not a token this listing handed out (in this order)");
  }

 private:
  static void SetKey(AlertFilter& filter, const AlertKey& key) {
    filter.last_seen_key = key.last_seen;
    filter.id_key = key.id;
  }

  AlertFilter filters_;
  bool observed_;
};

// Up to `limit` rows the caller may read by `filter`; `more` says another
// follows. A limit of 0 only asks whether one exists.
Status ReadListed(RequestContext& ctx, const AlertFilter& filter, int64_t limit, std::vector<AlertRow>& rows,
                  bool& more) {
  more = false;
  EventSources sources(ctx);
  Status status = ctx.store->ForEachAlert(filter, [&](const AlertRow& row) -> Status {
    // A row whose JSON is damaged is left out of pages, as it always was.
    if (!AlertVisible(ctx, row) || !AlertJson(row)) return Status::Ok();
    ASSIGN_OR_RETURN(const bool reaches, sources.Reaches(row));
    if (!reaches) return Status::Ok();
    // The store matched the family against every event's tags; a
    // contributor's alert above GREEN must name it among the events the
    // contributor reads (ForEachReadableAlertTally), or the filter would
    // tell it what a RED event it may not read is tagged.
    if (ctx.principal.role == Role::kContributor && row.tlp > Tlp::kGreen && !filter.family.empty()) {
      ASSIGN_OR_RETURN(std::optional<json> as_read, sources.AsRead(row, filter.family));
      if (!as_read) return Status::Ok();
    }
    if (static_cast<int64_t>(rows.size()) == limit) {
      more = true;
      return Status::ResourceExhausted("page full");
    }
    rows.push_back(row);
    return Status::Ok();
  });
  return more ? Status::Ok() : status;
}

Result<bool> AnyListed(RequestContext& ctx, const AlertFilter& filter) {
  std::vector<AlertRow> none;
  bool more = false;
  RETURN_IF_ERROR(ReadListed(ctx, filter, 0, none, more));
  return more;
}

// Every alert the caller may read that passes the filters, whatever the
// page: counted by audience in the store, each audience through the policy.
Result<int64_t> CountListed(RequestContext& ctx, const AlertFilter& filters) {
  int64_t total = 0;
  RETURN_IF_ERROR(ForEachReadableAlertTally(ctx, filters, false, [&](const AlertTally& tally) {
    total += tally.count;
    return Status::Ok();
  }));
  return total;
}

Status ListAlerts(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(int64_t limit, PageLimit(req));
  AlertFilter filters;
  filters.viewer_org_id = ctx.principal.org_id;
  const std::string order_name = req.has_param("order") ? req.get_param_value("order") : "oldest";
  if (order_name != "oldest" && order_name != "newest") {
    return Status::Invalid("order: expected 'oldest' or 'newest', got '" + order_name + "'");
  }
  if (req.has_param("country")) {
    std::string country = req.get_param_value("country");
    std::transform(country.begin(), country.end(), country.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    filters.country = country;
  }
  if (req.has_param("organisation")) {
    ASSIGN_OR_RETURN(OrgDirectory orgs, OrgDirectory::Load(*ctx.store));
    const std::string name = req.get_param_value("organisation");
    std::optional<int64_t> id = orgs.FindByName(name);
    if (!id) return Status::Invalid("organisation: no organisation named '" + name + "'");
    filters.routed_org_id = *id;
  }
  if (req.has_param("acknowledged")) {
    const std::string value = req.get_param_value("acknowledged");
    if (value != "true" && value != "false") {
      return Status::Invalid("acknowledged: expected true or false, got '" + value + "'");
    }
    filters.acknowledged = value == "true";
  }
  if (req.has_param("family")) {
    filters.family = req.get_param_value("family");
    if (std::any_of(filters.family.begin(), filters.family.end(),
                    [](unsigned char c) { return c < 0x20; })) {
      return Status::Invalid("family: a family name holds no control characters");
    }
  }
  const AlertOrder order(filters, order_name == "newest");
  std::optional<std::pair<AlertKey, bool>> cursor;
  if (req.has_param("cursor")) {
    ASSIGN_OR_RETURN(cursor, order.Decode(req.get_param_value("cursor")));
  }

  // A page read backward (the page before) comes nearest first: turned round.
  std::vector<AlertRow> rows;
  bool more = false;
  const bool forward = !cursor || cursor->second;
  RETURN_IF_ERROR(ReadListed(ctx, forward ? order.Forward(cursor ? std::optional(cursor->first) : std::nullopt)
                                          : order.Backward(cursor->first),
                             limit, rows, more));
  if (!forward) std::reverse(rows.begin(), rows.end());
  json next = nullptr;
  json prev = nullptr;
  if (!rows.empty()) {
    const AlertKey first{rows.front().last_seen, rows.front().id};
    const AlertKey last{rows.back().last_seen, rows.back().id};
    ASSIGN_OR_RETURN(bool after, forward ? Result<bool>(more) : AnyListed(ctx, order.Forward(last)));
    ASSIGN_OR_RETURN(bool before, !cursor ? Result<bool>(false)
                                  : forward ? AnyListed(ctx, order.Backward(first))
                                            : Result<bool>(more));
    if (after) next = order.Cursor(true, last);
    if (before) prev = order.Cursor(false, first);
  } else if (cursor) {
    // Past either end (the alerts after the cursor were acknowledged or
    // filtered away): the way back is from where the cursor pointed.
    const bool look_back = forward;
    ASSIGN_OR_RETURN(bool any, AnyListed(ctx, look_back ? order.Backward(cursor->first)
                                                        : order.Forward(cursor->first)));
    if (any && look_back) prev = order.Cursor(false, cursor->first);
    if (any && !look_back) next = order.Cursor(true, cursor->first);
  }
  ASSIGN_OR_RETURN(int64_t total, CountListed(ctx, filters));

  EventSources sources(ctx);
  json alerts = json::array();
  for (const AlertRow& row : rows) {
    ASSIGN_OR_RETURN(json alert, AlertJsonFor(ctx, row, sources));
    alerts.push_back(std::move(alert));
  }
  SendJson(res, 200, {{"alerts", std::move(alerts)}, {"next", next}, {"prev", prev}, {"total", total}});
  return Status::Ok();
}

Result<AlertRow> FindVisibleAlert(const httplib::Request& req, RequestContext& ctx) {
  const std::string uuid = req.matches[1];
  ASSIGN_OR_RETURN(std::optional<AlertRow> row, ctx.store->FindAlert(uuid));
  if (!row || !AlertVisible(ctx, *row)) return Status::NotFound("no alert '" + uuid + "'");
  EventSources sources(ctx);
  ASSIGN_OR_RETURN(const bool reaches, sources.Reaches(*row));
  if (!reaches) return Status::NotFound("no alert '" + uuid + "'");
  return *std::move(row);
}

Status GetAlert(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(AlertRow row, FindVisibleAlert(req, ctx));
  EventSources sources(ctx);
  ASSIGN_OR_RETURN(json alert, AlertJsonFor(ctx, row, sources));
  SendJson(res, 200, alert);
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
  EventSources sources(ctx);
  ASSIGN_OR_RETURN(json alert, AlertJsonFor(ctx, row, sources));
  SendJson(res, 200, alert);
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
