// GET /api/v1/events/{uuid}/objects: the STIX objects an event came with
// (reports, malware, attack patterns, intrusion sets, relationships,
// indicators...), every stored version in the order the node stored them,
// as they came. The web UI's event page shows them, so that a report's
// context (which family, which ATT&CK techniques) is readable without a
// TAXII client. Objects built here for events that did not come as STIX are
// left out: the event page shows those events' values already.
//
// `type` (comma-separated STIX types) narrows; `limit` and `cursor` page.
// The event must be visible (404 otherwise, as for GET /events/{uuid}), and
// every object passes the STIX read check as TAXII's do.
#include <algorithm>
#include <string>
#include <vector>

#include "server/rest_common.h"
#include "store/stix_read_check.h"

namespace accord::server::rest {
namespace {

const std::string kEventObjectsPattern = R"(/api/v1/events/([^/]+)/objects)";
constexpr std::string_view kCursorKind = "eo";
// More types than STIX defines (and its custom x- types a bundle might
// bring) would be a mistake, not a question.
constexpr size_t kMaxTypes = 32;

// "malware,attack-pattern" -> the types; a STIX type is lowercase letters,
// digits and hyphens (STIX 2.1 section 3.1), 3 to 250 characters.
Result<std::vector<std::string>> ParseTypes(const std::string& text) {
  std::vector<std::string> types;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string type = text.substr(start, comma - start);
    const bool well_formed = type.size() >= 3 && type.size() <= 250 &&
                             std::all_of(type.begin(), type.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                             });
    if (!well_formed) {
      return Status::Invalid("type: '" + type + "' is not a STIX type (lowercase letters, digits and hyphens)");
    }
    if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
    start = comma + 1;
  }
  if (types.size() > kMaxTypes) return Status::Invalid("type: at most 32 types");
  return types;
}

Status ListEventObjects(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  const std::string uuid = req.matches[1];
  ASSIGN_OR_RETURN(int64_t limit, PageLimit(req));
  StixObjectFilter filter;
  filter.include_derived = false;
  if (req.has_param("type")) {
    ASSIGN_OR_RETURN(filter.types, ParseTypes(req.get_param_value("type")));
  }
  if (req.has_param("cursor")) {
    ASSIGN_OR_RETURN(std::vector<int64_t> after, DecodeCursor(req.get_param_value("cursor"), kCursorKind, 1));
    filter.after_seq = after[0];
  }
  ASSIGN_OR_RETURN(std::optional<EventSummary> event, ctx.store->GetEvent(uuid));
  if (!event || !Visible(ctx, *event)) {
    SendError(res, 404, "no event " + uuid);
    return Status::Ok();
  }
  filter.event_id = event->id;
  filter.readable_by = ctx.principal;  // narrows the read; the check below decides

  StixReadCheck check(*ctx.store, ctx.principal);
  // Each object goes out as stored, its members in the order its source
  // wrote them ("type" and "id" first, as STIX producers write them): the
  // body is assembled from the stored texts rather than re-serialized.
  std::string objects;
  int64_t count = 0;
  int64_t last_seq = 0;
  bool more = false;
  Status status = ctx.store->ForEachStixObject(filter, [&](const StoredStixObject& object) {
    ASSIGN_OR_RETURN(bool visible, check.MayReadObject(object));
    if (!visible) return Status::Ok();
    if (count == limit) {
      more = true;
      return Status::ResourceExhausted("page full");
    }
    if (!json::accept(object.json)) return Status::Ok();  // stored as received; never unreadable in practice
    objects += (count == 0 ? "" : ",") + object.json;
    ++count;
    last_seq = object.seq;
    return Status::Ok();
  });
  if (!more) RETURN_IF_ERROR(status);
  const json next = more ? json(EncodeCursor(kCursorKind, {last_seq})) : json(nullptr);
  res.status = 200;
  res.set_content("{\"objects\":[" + objects + "],\"next\":" + next.dump() + "}", "application/json");
  return Status::Ok();
}

}  // namespace

void RegisterEventObjectRoutes(httplib::Server& http, ServerState& state) {
  http.Get(kEventObjectsPattern, Route(state, ListEventObjects));
  RegisterAllowedMethods(http, kEventObjectsPattern, {"GET"});
}

}  // namespace accord::server::rest
