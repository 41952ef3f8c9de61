// /api/v1/events: create, read, update (PUT replaces, PATCH merges), delete,
// and list with filters and a cursor.
//
// Writes run in one import batch (one transaction): the checks that decide
// whether the caller may write are made after the batch took the write lock,
// so the event cannot change owner or vanish between the check and the write,
// and the audit record commits together with the change.
#include <fmt/format.h>

#include <deque>
#include <set>

#include "core/crypto.h"
#include "misp/misp.h"
#include "server/rest_common.h"
#include "server/rest_event_input.h"

namespace accord::server::rest {
namespace {

const std::string kEventPattern = R"(/api/v1/events/([^/]+))";

// What linking a request's indicators did, for the response.
struct LinkReport {
  json rejections = json::array();
  int64_t linked = 0;
  int64_t warninglisted = 0;
  std::set<std::pair<ObservableType, std::string>> observables;  // what is linked now
};

// Normalizes each value as the importer does (Normalize / DetectAndNormalize,
// then the stored warning lists) and links it; a value that does not
// normalize is reported with its index and reason and linking goes on.
Status LinkIndicators(Store& store, WarningListCache& warning_lists, ImportBatch& batch,
                      int64_t event_id, const std::vector<IndicatorInput>& inputs, LinkReport& report) {
  if (inputs.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(std::shared_ptr<const WarningListMatcher> warnings, warning_lists.Get(store));
  for (size_t input_idx = 0; input_idx < inputs.size(); ++input_idx) {
    const IndicatorInput& input = inputs[input_idx];
    Result<Observable> normalized =
        input.type ? Normalize(*input.type, input.value) : DetectAndNormalize(input.value);
    if (!normalized.ok()) {
      report.rejections.push_back({{"index", input_idx},
                                   {"value", input.value},
                                   {"reason", normalized.status().message()}});
      continue;
    }
    std::string warninglist = warnings->Match(*normalized).value_or("");
    if (!warninglist.empty()) ++report.warninglisted;
    // The owner's word replaces the value's context, even where an import
    // would keep a STIX indicator live beside a mention without one.
    ASSIGN_OR_RETURN(LinkOutcome outcome,
                     batch.Link(event_id, *normalized, input.context, warninglist,
                                input.family ? LinkMerge::kReplaceContextAndFamily : LinkMerge::kReplaceContext));
    (void)outcome;
    ++report.linked;
    report.observables.emplace(normalized->type, normalized->value);
  }
  return Status::Ok();
}

// The Event schema plus its indicators (EventDetail).
Result<json> EventDetailJson(Store& store, const EventSummary& event, const OrgDirectory& orgs) {
  json out = EventJson(event, orgs);
  json indicators = json::array();
  RETURN_IF_ERROR(store.ForEachLink(event.id, [&](const LinkedObservable& link) {
    indicators.push_back(IndicatorJson(link));
    return Status::Ok();
  }));
  out["indicators"] = std::move(indicators);
  return out;
}

// The event's version for edits, as a strong validator: a hash of its JSON
// and its revision, which every write to the event or its links moves on,
// so any change to it (title, TLP, tags, indicators) changes the tag. A
// value's warning-list mark belongs to the value, not the event, and does
// not. It is the
// same with or without the indicators in the answer, and it is had without
// reading them (a feed event holds millions). An edit sent with If-Match and
// a tag that is no longer current is refused (412), so two analysts editing
// one event cannot silently undo each other.
std::string EventTag(const EventSummary& event, const OrgDirectory& orgs) {
  const std::string text =
      EventJson(event, orgs).dump(-1, ' ', false, json::error_handler_t::replace) + "#" +
      std::to_string(event.revision);
  return "\"" + Sha256Hex(text).substr(0, 32) + "\"";
}

// `indicators`: all (the default) puts the event's indicators in the
// answer, none leaves them out (a page that shows an event's fields, or
// edits them, read a million-value event whole, hundreds of MB, for a few
// fields; GET /events/{uuid}/indicators pages them).
Result<bool> WantsIndicators(const httplib::Request& req) {
  const std::string indicators = req.get_param_value("indicators");
  if (indicators.empty() || indicators == "all") return true;
  if (indicators == "none") return false;
  return Status::Invalid("indicators: expected all or none, not '" + indicators + "'");
}

// If-Match (RFC 9110 13.1.1): "*", or a list of tags one of which must be
// the current one.
bool IfMatchHolds(const std::string& if_match, const std::string& current) {
  if (if_match.empty()) return true;
  size_t start = 0;
  while (start < if_match.size()) {
    size_t comma = if_match.find(',', start);
    if (comma == std::string::npos) comma = if_match.size();
    std::string tag = if_match.substr(start, comma - start);
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag == "*" || tag == current) return true;
    start = comma + 1;
  }
  return false;
}

// Reads the event back after a write and answers with it (its indicators
// unless `with_indicators` is false) and the report.
void SendWriteResult(httplib::Response& res, RequestContext& ctx, int status,
                     const std::string& uuid, const OrgDirectory& orgs, const LinkReport& report,
                     int64_t removed, bool with_indicators) {
  auto event = ctx.store->GetEvent(uuid);
  if (!event.ok()) return SendStatus(res, event.status());
  if (!*event) return SendError(res, 404, "event " + uuid + " is gone");
  json detail = EventJson(**event, orgs);
  if (with_indicators) {
    auto whole = EventDetailJson(*ctx.store, **event, orgs);
    if (!whole.ok()) return SendStatus(res, whole.status());
    detail = std::move(whole).value();
  }
  res.set_header("ETag", EventTag(**event, orgs));
  SendJson(res, status,
           {{"event", std::move(detail)},
            {"rejections", report.rejections},
            {"linked", report.linked},
            {"warninglisted", report.warninglisted},
            {"removed", removed}});
}

std::string AuditDetail(const EventRecord& record, Tlp tlp, const LinkReport& report,
                        int64_t removed) {
  return json({{"title", record.title},
               {"tlp", TlpName(tlp)},
               {"linked", report.linked},
               {"rejected", report.rejections.size()},
               {"removed", removed}})
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

void CreateEvent(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!MaySubmit(ctx.principal.role)) {
    return SendError(res, 403, "readers and points of contact may not create events");
  }
  std::optional<json> body = ReadJsonObject(req, res);
  if (!body) return;
  auto orgs = OrgDirectory::Load(*ctx.store);
  if (!orgs.ok()) return SendStatus(res, orgs.status());
  auto input = ParseEventInput(*body, EventWrite::kCreate, *orgs);
  if (!input.ok()) return SendStatus(res, input.status());
  auto with_indicators = WantsIndicators(req);
  if (!with_indicators.ok()) return SendStatus(res, with_indicators.status());

  EventRecord record;
  record.uuid = UuidV4();
  record.title = *input->title;
  record.description = input->description.value_or("");
  record.tags = input->tags.value_or(std::vector<std::string>{});
  record.created = FormatTimestamp(ctx.state->clock.Now());
  record.modified = record.created;
  record.source = "api";
  const Tlp tlp = input->tlp.value_or(Tlp::kAmber);

  LinkReport report;
  Status status = [&]() -> Status {
    ASSIGN_OR_RETURN(auto batch, ctx.store->BeginImport());
    ASSIGN_OR_RETURN(int64_t event_id,
                     batch->UpsertEvent(record, tlp, ctx.principal.org_id,
                                        input->recipient_org_ids.value_or(std::vector<int64_t>{})));
    RETURN_IF_ERROR(LinkIndicators(*ctx.store, ctx.state->warning_lists, *batch, event_id,
                                   input->indicators.value_or(std::vector<IndicatorInput>{}),
                                   report));
    RETURN_IF_ERROR(batch->AppendAudit(
        AuditFor(ctx, "event.create", record.uuid, AuditDetail(record, tlp, report, 0))));
    return batch->Commit();
  }();
  if (!status.ok()) return SendStatus(res, status);
  res.set_header("Location", "/api/v1/events/" + record.uuid);
  SendWriteResult(res, ctx, 201, record.uuid, *orgs, report, 0, *with_indicators);
}

void GetEvent(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  const std::string uuid = req.matches[1];
  auto event = ctx.store->GetEvent(uuid);
  if (!event.ok()) return SendStatus(res, event.status());
  // Absent and invisible answer alike: existence is not revealed.
  if (!*event || !Visible(ctx, **event)) return SendError(res, 404, "no event " + uuid);
  auto with_indicators = WantsIndicators(req);
  if (!with_indicators.ok()) return SendStatus(res, with_indicators.status());
  auto orgs = OrgDirectory::Load(*ctx.store);
  if (!orgs.ok()) return SendStatus(res, orgs.status());
  json body = EventJson(**event, *orgs);
  if (*with_indicators) {
    auto detail = EventDetailJson(*ctx.store, **event, *orgs);
    if (!detail.ok()) return SendStatus(res, detail.status());
    body = std::move(detail).value();
  }
  res.set_header("ETag", EventTag(**event, *orgs));
  SendJson(res, 200, body);
}

// The correlation of a whole event: the other events the caller may read
// that share observables with it, most shared first. A separate resource,
// not part of GET /events/{uuid}: for an event of a million values the
// join takes a while, and the page shows the event without waiting for it.
void GetRelatedEvents(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  // Reads at most this many of the event's values; "truncated" says so.
  constexpr int64_t kScanLimit = 200000;
  constexpr size_t kMaxListed = 200;
  const std::string uuid = req.matches[1];
  auto event = ctx.store->GetEvent(uuid);
  if (!event.ok()) return SendStatus(res, event.status());
  if (!*event || !Visible(ctx, **event)) return SendError(res, 404, "no event " + uuid);
  auto shared = ctx.store->EventsSharingObservables((*event)->id, kScanLimit);
  if (!shared.ok()) return SendStatus(res, shared.status());
  auto orgs = OrgDirectory::Load(*ctx.store);
  if (!orgs.ok()) return SendStatus(res, orgs.status());
  json events = json::array();
  for (const Store::SharedObservables& other : *shared) {
    if (events.size() >= kMaxListed) break;
    auto related = ctx.store->GetEventById(other.event_id);
    if (!related.ok()) return SendStatus(res, related.status());
    if (!*related || !Visible(ctx, **related)) continue;  // TLP: never named, never counted
    json entry = EventJson(**related, *orgs);
    entry["shared"] = other.shared;
    events.push_back(std::move(entry));
  }
  SendJson(res, 200,
           {{"events", std::move(events)},
            {"truncated", (*event)->observable_count > kScanLimit}});
}

// Runs `write` in a batch after checking, under the write lock, that the
// event exists, is visible and belongs to the caller's organisation.
// `refused_status` is set when the answer is a refusal rather than a failure.
Status WithOwnedEvent(RequestContext& ctx, const std::string& uuid, int& refused_status,
                      std::string& refused_message,
                      const std::function<Status(ImportBatch&, const EventSummary&)>& write) {
  ASSIGN_OR_RETURN(auto batch, ctx.store->BeginImport());
  ASSIGN_OR_RETURN(auto event, ctx.store->GetEvent(uuid));
  if (!event || !Visible(ctx, *event)) {
    refused_status = 404;
    refused_message = "no event " + uuid;
    return Status::Ok();
  }
  if (event->owner_org_id != ctx.principal.org_id) {
    refused_status = 403;
    refused_message = "only the owner organisation may change or delete event " + uuid;
    return Status::Ok();
  }
  RETURN_IF_ERROR(write(*batch, *event));
  return batch->Commit();
}

void UpdateEvent(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                 EventWrite mode) {
  if (!MaySubmit(ctx.principal.role)) {
    return SendError(res, 403, "readers and points of contact may not change events");
  }
  const std::string uuid = req.matches[1];
  std::optional<json> body = ReadJsonObject(req, res);
  if (!body) return;
  auto orgs = OrgDirectory::Load(*ctx.store);
  if (!orgs.ok()) return SendStatus(res, orgs.status());
  auto input = ParseEventInput(*body, mode, *orgs);
  if (!input.ok()) return SendStatus(res, input.status());
  auto with_indicators = WantsIndicators(req);
  if (!with_indicators.ok()) return SendStatus(res, with_indicators.status());
  const bool replace = mode == EventWrite::kReplace;

  LinkReport report;
  int64_t removed = 0;
  int refused_status = 0;
  std::string refused_message;
  Status status = WithOwnedEvent(
      ctx, uuid, refused_status, refused_message,
      [&](ImportBatch& batch, const EventSummary& event) -> Status {
        // Checked under the write lock, so no other edit slips in between.
        if (const std::string if_match = req.get_header_value("If-Match"); !if_match.empty()) {
          if (!IfMatchHolds(if_match, EventTag(event, *orgs))) {
            refused_status = 412;
            refused_message = "event " + uuid + " changed since it was read (If-Match " + if_match +
                              "); read it again and reapply the change";
            return Status::Ok();
          }
        }
        // PUT: a field left out takes its default, as on create; PATCH: it
        // keeps its value.
        EventRecord record;
        record.uuid = event.uuid;
        record.title = input->title.value_or(event.title);
        record.description = input->description.value_or(replace ? "" : event.description);
        record.tags = input->tags.value_or(replace ? std::vector<std::string>{} : event.tags);
        record.created = event.created;
        record.modified = FormatTimestamp(ctx.state->clock.Now());
        const Tlp tlp = input->tlp.value_or(replace ? Tlp::kAmber : event.tlp);
        const std::vector<int64_t> recipients = input->recipient_org_ids.value_or(
            replace ? std::vector<int64_t>{} : event.recipient_org_ids);
        RETURN_IF_ERROR(batch.UpsertEvent(record, tlp, event.owner_org_id, recipients).status());
        if (input->indicators) {
          RETURN_IF_ERROR(LinkIndicators(*ctx.store, ctx.state->warning_lists, batch, event.id,
                                         *input->indicators, report));
        }
        // Which links go: for PUT with indicators, those not in the new set;
        // for PATCH, those named in remove_indicators.
        std::set<std::pair<ObservableType, std::string>> to_remove;
        for (const Observable& o : input->remove_indicators) to_remove.emplace(o.type, o.value);
        std::vector<int64_t> remove_ids;
        if ((replace && input->indicators) || !to_remove.empty()) {
          RETURN_IF_ERROR(ctx.store->ForEachLink(event.id, [&](const LinkedObservable& link) {
            std::pair<ObservableType, std::string> key(link.observable.type, link.observable.value);
            bool drop = replace ? report.observables.count(key) == 0 : to_remove.count(key) > 0;
            if (drop) remove_ids.push_back(link.observable_id);
            return Status::Ok();
          }));
        }
        if (!remove_ids.empty()) {
          ASSIGN_OR_RETURN(removed, ctx.store->RemoveLinks(event.id, remove_ids));
        }
        return batch.AppendAudit(
            AuditFor(ctx, "event.update", uuid, AuditDetail(record, tlp, report, removed)));
      });
  if (!status.ok()) return SendStatus(res, status);
  if (refused_status != 0) return SendError(res, refused_status, refused_message);
  SendWriteResult(res, ctx, 200, uuid, *orgs, report, removed, *with_indicators);
}

void DeleteEvent(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!MayDelete(ctx.principal.role)) {
    return SendError(res, 403, "only analysts and admins may delete events");
  }
  const std::string uuid = req.matches[1];
  int refused_status = 0;
  std::string refused_message;
  Status status = WithOwnedEvent(ctx, uuid, refused_status, refused_message,
                                 [&](ImportBatch& batch, const EventSummary& event) -> Status {
                                   RETURN_IF_ERROR(ctx.store->DeleteEvent(event.id));
                                   return batch.AppendAudit(AuditFor(
                                       ctx, "event.delete", uuid,
                                       json({{"title", event.title}}).dump(
                                           -1, ' ', false, json::error_handler_t::replace)));
                                 });
  if (!status.ok()) return SendStatus(res, status);
  if (refused_status != 0) return SendError(res, refused_status, refused_message);
  res.status = 204;
}

void ListEvents(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  auto orgs = OrgDirectory::Load(*ctx.store);
  if (!orgs.ok()) return SendStatus(res, orgs.status());
  EventFilter filter;
  auto limit = PageLimit(req);
  if (!limit.ok()) return SendStatus(res, limit.status());
  auto tlp = QueryTlp(req, "tlp");
  if (!tlp.ok()) return SendStatus(res, tlp.status());
  filter.tlp = *tlp;
  auto since = QueryTimestamp(req, "modified_since");
  if (!since.ok()) return SendStatus(res, since.status());
  filter.modified_since = since->value_or("");
  filter.tag = req.get_param_value("tag");
  filter.title_contains = req.get_param_value("q");
  if (req.has_param("organisation")) {
    // A name, or an id in digits.
    const std::string org = req.get_param_value("organisation");
    std::optional<int64_t> id = orgs->FindByName(org);
    if (!id && !org.empty() && org.find_first_not_of("0123456789") == std::string::npos &&
        org.size() < 19 && orgs->Has(std::stoll(org))) {
      id = std::stoll(org);
    }
    if (!id) return SendError(res, 400, "organisation: no organisation '" + org + "' on this node");
    filter.owner_org_id = *id;
  }
  const std::string order = req.has_param("order") ? req.get_param_value("order") : "oldest";
  if (order != "oldest" && order != "newest") {
    return SendError(res, 400, "order: expected 'oldest' or 'newest', got '" + order + "'");
  }
  filter.newest_first = order == "newest";
  // The cursor kinds differ by order, so a token cannot be replayed in the other.
  const std::string_view cursor_kind = filter.newest_first ? "en" : "ev";
  if (req.has_param("cursor")) {
    auto cursor = DecodeCursor(req.get_param_value("cursor"), cursor_kind, 1);
    if (!cursor.ok()) return SendStatus(res, cursor.status());
    (filter.newest_first ? filter.before_id : filter.after_id) = (*cursor)[0];
  }

  // Invisible events are skipped, so a page is filled by reading on until
  // `limit` visible ones are found; one more tells whether a next page exists.
  json events = json::array();
  int64_t last_id = 0;
  bool more = false;
  Status status = ctx.store->ForEachEvent(filter, [&](const EventSummary& event) {
    if (!Visible(ctx, event)) return Status::Ok();
    if (static_cast<int64_t>(events.size()) == *limit) {
      more = true;
      return Status::ResourceExhausted("page full");
    }
    events.push_back(EventJson(event, *orgs));
    last_id = event.id;
    return Status::Ok();
  });
  if (!status.ok() && !more) return SendStatus(res, status);
  // The total counts what the pages hold, whatever the cursor: the visible
  // events that pass the filters (a walk of them, as the dashboard's count).
  // The same walk counts those before the cursor, so a page opened from its
  // address alone (a reload, a shared link) knows where it is.
  EventFilter all = filter;
  all.after_id = 0;
  all.before_id = 0;
  all.limit = 0;
  // It also keeps the last limit + 1 of those: the first of them is where
  // the page before this one starts after (`prev`; 0, the first page's).
  int64_t total = 0;
  int64_t before = 0;
  std::deque<int64_t> tail;
  const bool from_cursor = filter.after_id != 0 || filter.before_id != 0;
  status = ctx.store->ForEachEvent(all, [&](const EventSummary& event) {
    if (!Visible(ctx, event)) return Status::Ok();
    ++total;
    if (from_cursor && (filter.newest_first ? event.id >= filter.before_id : event.id <= filter.after_id)) {
      ++before;
      tail.push_back(event.id);
      if (static_cast<int64_t>(tail.size()) > *limit + 1) tail.pop_front();
    }
    return Status::Ok();
  });
  if (!status.ok()) return SendStatus(res, status);
  json prev = nullptr;
  if (from_cursor) prev = EncodeCursor(cursor_kind, {before > *limit ? tail.front() : 0});
  SendJson(res, 200,
           {{"events", std::move(events)},
            {"next", more ? json(EncodeCursor(cursor_kind, {last_id})) : json(nullptr)},
            {"prev", std::move(prev)},
            {"total", total},
            {"before", before}});
}

}  // namespace

void RegisterEventRoutes(httplib::Server& http, ServerState& state) {
  http.Post("/api/v1/events", Authenticated(state, ErrorStyle::kRest, CreateEvent));
  http.Get("/api/v1/events", Authenticated(state, ErrorStyle::kRest, ListEvents));
  RegisterAllowedMethods(http, "/api/v1/events", {"GET", "POST"});
  http.Get(kEventPattern, Authenticated(state, ErrorStyle::kRest, GetEvent));
  http.Put(kEventPattern,
           Authenticated(state, ErrorStyle::kRest,
                         [](const httplib::Request& req, httplib::Response& res,
                            RequestContext& ctx) { UpdateEvent(req, res, ctx, EventWrite::kReplace); }));
  http.Patch(kEventPattern,
             Authenticated(state, ErrorStyle::kRest,
                           [](const httplib::Request& req, httplib::Response& res,
                              RequestContext& ctx) { UpdateEvent(req, res, ctx, EventWrite::kPatch); }));
  http.Delete(kEventPattern, Authenticated(state, ErrorStyle::kRest, DeleteEvent));
  RegisterAllowedMethods(http, kEventPattern, {"GET", "PUT", "PATCH", "DELETE"});
  const std::string related = kEventPattern + "/related";
  http.Get(related, Authenticated(state, ErrorStyle::kRest, GetRelatedEvents));
  RegisterAllowedMethods(http, related, {"GET"});
}

}  // namespace accord::server::rest
