// GET /api/v1/events/{uuid}/indicators: an event's indicators a page at a
// time, for its page in the web UI. GET /events/{uuid} answers them whole,
// which for a feed event of a million values is hundreds of MB the browser
// cannot hold; here a page costs what it returns.
//
// `type` (one observable type) and `q` (a part of the value, ASCII case
// ignored) narrow; `limit` and `cursor` page, in the order the node stored
// the values. The first page (no cursor) says how many indicators pass the
// filters (`total`); `types=true` adds how many the event holds of each
// type (`types`), for a type menu that offers only those. Both are a walk
// of the event's links (a second or so at a million), so they are not
// redone for every page or keystroke. The event must be visible (404
// otherwise, as for GET /events/{uuid}).
#include <string>

#include "server/rest_common.h"

namespace accord::server::rest {
namespace {

const std::string kEventIndicatorsPattern = R"(/api/v1/events/([^/]+)/indicators)";
constexpr std::string_view kCursorKind = "ei";
// A part of a value longer than any value a filter box is typed for is a
// mistake; the longest stored values (URLs) are kept at 2048.
constexpr size_t kMaxValuePart = 2048;

Status ListEventIndicators(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  const std::string uuid = req.matches[1];
  ASSIGN_OR_RETURN(int64_t limit, PageLimit(req));
  EventLinkFilter filter;
  if (req.has_param("type")) {
    const std::string name = req.get_param_value("type");
    filter.type = ParseTypeName(name);
    if (!filter.type) return Status::Invalid("type: unknown type '" + name + "'");
  }
  filter.value_contains = req.get_param_value("q");
  if (filter.value_contains.size() > kMaxValuePart) {
    return Status::Invalid("q: at most " + std::to_string(kMaxValuePart) + " bytes");
  }
  const bool first_page = !req.has_param("cursor");
  const std::string types_wanted = req.get_param_value("types");
  if (!types_wanted.empty() && types_wanted != "true" && types_wanted != "false") {
    return Status::Invalid("types: expected true or false, not '" + types_wanted + "'");
  }
  if (!first_page) {
    ASSIGN_OR_RETURN(std::vector<int64_t> after, DecodeCursor(req.get_param_value("cursor"), kCursorKind, 1));
    filter.after_observable_id = after[0];
  }
  ASSIGN_OR_RETURN(std::optional<EventSummary> event, ctx.store->GetEvent(uuid));
  if (!event || !Visible(ctx, *event)) {
    SendError(res, 404, "no event " + uuid);
    return Status::Ok();
  }
  filter.event_id = event->id;
  // One more than the page: whether there is a next one.
  filter.limit = limit + 1;
  json indicators = json::array();
  int64_t last_id = 0;
  bool more = false;
  RETURN_IF_ERROR(ctx.store->ForEachLinkMatching(filter, [&](const LinkedObservable& link) {
    if (static_cast<int64_t>(indicators.size()) == limit) {
      more = true;
      return Status::Ok();
    }
    indicators.push_back(IndicatorJson(link));
    last_id = link.observable_id;
    return Status::Ok();
  }));
  json total = nullptr;
  if (first_page) {
    // Unfiltered, the count the import batch keeps on the event is exact.
    total = event->observable_count;
    if (filter.type || !filter.value_contains.empty()) {
      ASSIGN_OR_RETURN(int64_t matching, ctx.store->CountLinksMatching(filter));
      total = matching;
    }
  }
  json types = nullptr;
  if (types_wanted == "true") {
    ASSIGN_OR_RETURN(auto counts, ctx.store->CountLinksByType(event->id));
    types = json::array();
    for (const auto& [type, count] : counts) types.push_back({{"type", TypeName(type)}, {"count", count}});
  }
  SendJson(res, 200,
           {{"indicators", std::move(indicators)},
            {"next", more ? json(EncodeCursor(kCursorKind, {last_id})) : json(nullptr)},
            {"total", std::move(total)},
            {"types", std::move(types)}});
  return Status::Ok();
}

}  // namespace

void RegisterEventIndicatorRoutes(httplib::Server& http, ServerState& state) {
  http.Get(kEventIndicatorsPattern, Route(state, ListEventIndicators));
  RegisterAllowedMethods(http, kEventIndicatorsPattern, {"GET"});
}

}  // namespace accord::server::rest
