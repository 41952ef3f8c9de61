// accord search: an observable, every event carrying it, and its sightings.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "store/sighting_read_check.h"
#include "core/covering.h"

namespace accord::cli {
namespace {

// MISP's grading of an event by name, null when it never had one (as the
// REST API's event JSON).
nlohmann::json ThreatLevelJson(const EventSummary& event) {
  return event.threat_level ? nlohmann::json(ThreatLevelName(*event.threat_level)) : nlohmann::json();
}

nlohmann::json AnalysisJson(const EventSummary& event) {
  return event.analysis ? nlohmann::json(AnalysisStageName(*event.analysis)) : nlohmann::json();
}

struct SearchOptions {
  std::string value;
  std::string type;
  std::string org;
  bool json = false;
};

nlohmann::json LinkJson(const EventLink& link) {
  const auto& c = link.context;
  return {{"uuid", link.event.uuid},
          {"title", link.event.title},
          {"tlp", TlpName(link.event.tlp)},
          {"threat_level", ThreatLevelJson(link.event)},
          {"analysis", AnalysisJson(link.event)},
          {"role", c.role},
          {"confidence", c.confidence ? nlohmann::json(*c.confidence) : nlohmann::json()},
          {"first_seen", c.first_seen},
          {"last_seen", c.last_seen},
          {"valid_until", c.valid_until},
          {"is_indicator", c.is_indicator},
          {"comment", c.comment}};
}

void PrintLink(const EventLink& link, std::string_view indent) {
  const auto& c = link.context;
  fmt::print("{}{}  {:<16}  {}\n", indent, link.event.uuid, TlpLabel(link.event.tlp), link.event.title);
  if (link.event.threat_level || link.event.analysis) {
    // MISP's grading of the event, when it came with one.
    std::string graded;
    if (link.event.threat_level) graded += fmt::format(", threat level {}", ThreatLevelName(*link.event.threat_level));
    if (link.event.analysis) graded += fmt::format(", analysis {}", AnalysisStageName(*link.event.analysis));
    fmt::print("{}   {}\n", indent, graded.substr(2));
  }
  std::string details;
  if (!c.role.empty()) details += " role=" + c.role;
  if (c.confidence) details += fmt::format(" confidence={}", *c.confidence);
  if (!c.first_seen.empty()) details += " first_seen=" + c.first_seen;
  if (!c.last_seen.empty()) details += " last_seen=" + c.last_seen;
  if (!c.valid_until.empty()) details += " valid_until=" + c.valid_until;
  if (!c.is_indicator) details += " (observed only)";
  if (!details.empty()) fmt::print("{}   {}\n", indent, details.substr(1));
}

// A stored value that covers the one searched for, with the events the
// caller may read that carry it.
struct Covering {
  ObservableInfo info;
  std::vector<const EventLink*> visible;
};

int RunSearch(const GlobalOptions& global, const SearchOptions& cli) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto principal = LocalPrincipal(*store, cli.org);
  if (!principal.ok()) return Fail(principal.status());

  Result<Observable> observable = Status::Invalid("unset");
  if (cli.type.empty()) {
    observable = DetectAndNormalize(cli.value);
  } else {
    auto type = ParseTypeName(cli.type);
    if (!type) return Fail(fmt::format("unknown type '{}'", cli.type));
    observable = Normalize(*type, cli.value);
  }
  if (!observable.ok()) return Fail(observable.status());
  // Only events the caller may read are shown; an observable known only
  // from events it may not read is reported as not found.
  // Pointers into `found`, which must outlive them.
  auto visible_in = [&](const ObservableInfo& found) {
    std::vector<const EventLink*> links;
    for (const auto& link : found.events) {
      if (MayRead(*principal, Visibility{link.event.tlp, link.event.owner_org_id,
                                         link.event.recipient_org_ids})) {
        links.push_back(&link);
      }
    }
    return links;
  };
  auto visible_links = [&](const std::optional<ObservableInfo>& found) {
    return found ? visible_in(*found) : std::vector<const EventLink*>{};
  };
  auto info = store->LookupObservable(*observable);
  if (!info.ok()) return Fail(info.status());
  // A detected domain may have been stored as a file name ("crypt1.exe").
  std::optional<Observable> other = cli.type.empty() ? OtherReading(*observable, cli.value) : std::nullopt;
  if (visible_links(*info).empty() && other) {
    auto as_other = store->LookupObservable(*other);
    if (!as_other.ok()) return Fail(as_other.status());
    if (!visible_links(*as_other).empty()) info = std::move(as_other);
  }
  const std::vector<const EventLink*> visible = visible_links(*info);
  const bool found = *info && !visible.empty();
  const Observable& shown = found ? (*info)->observable : *observable;
  // What `accord match` would also alert on for this value: the networks
  // holding an address, a name's parent domains, a URL's host.
  std::vector<Covering> covering;
  for (const Observable& cover : CoveringObservables(shown)) {
    auto cover_info = store->LookupObservable(cover);
    if (!cover_info.ok()) return Fail(cover_info.status());
    if (!*cover_info) continue;
    Covering item{std::move(**cover_info), {}};
    item.visible = visible_in(item.info);
    if (!item.visible.empty()) covering.push_back(std::move(item));
  }

  // The sightings the caller may read (SightingReadCheck); where each was
  // seen only for its own organisation's (all of them for the operator).
  std::vector<const Sighting*> sightings;
  if (found) {
    std::vector<int64_t> readable_owners;
    for (const EventLink* link : visible) readable_owners.push_back(link->event.owner_org_id);
    SightingReadCheck check(*store, *principal);
    for (const Sighting& sighting : (*info)->sightings) {
      auto readable = check.MayReadSighting(sighting, readable_owners);
      if (!readable.ok()) return Fail(readable.status());
      if (*readable) sightings.push_back(&sighting);
    }
  }
  auto source_of = [&](const Sighting& s) {
    return cli.org.empty() || s.org_id == principal->org_id ? s.source : std::string();
  };

  if (cli.json) {
    nlohmann::json out = {{"type", TypeName(shown.type)}, {"value", shown.value}, {"found", found}};
    if (found) {
      out["created"] = (*info)->created;
      out["warninglist"] = (*info)->warninglist;
      out["events"] = nlohmann::json::array();
      for (const EventLink* link : visible) out["events"].push_back(LinkJson(*link));
      out["sightings"] = nlohmann::json::array();
      for (const Sighting* s : sightings) {
        out["sightings"].push_back({{"count", s->count}, {"first_seen", s->first_seen},
                                    {"last_seen", s->last_seen}, {"source", source_of(*s)}});
      }
    }
    out["covered_by"] = nlohmann::json::array();
    for (const Covering& item : covering) {
      nlohmann::json events = nlohmann::json::array();
      for (const EventLink* link : item.visible) events.push_back(LinkJson(*link));
      out["covered_by"].push_back({{"type", TypeName(item.info.observable.type)},
                                   {"value", item.info.observable.value},
                                   {"events", std::move(events)}});
    }
    fmt::print("{}\n", out.dump(found || !covering.empty() ? 2 : -1, ' ', false,
                                nlohmann::json::error_handler_t::replace));
    return found || !covering.empty() ? kExitOk : kExitRefused;
  }
  if (!found) {
    fmt::print("{} {}: not found{}\n", TypeName(shown.type), shown.value,
               covering.empty() ? "" : " itself");
  } else {
    const ObservableInfo& stored = **info;
    fmt::print("{} {}\n", TypeName(stored.observable.type), stored.observable.value);
    fmt::print("  first stored: {}\n", stored.created);
    if (!stored.warninglist.empty()) {
      fmt::print("  on warning list: {} (never a live indicator)\n", stored.warninglist);
    }
    fmt::print("events ({}):\n", visible.size());
    for (const EventLink* link : visible) PrintLink(*link, "  ");
    fmt::print("sightings ({}):\n", sightings.size());
    for (const Sighting* s : sightings) {
      fmt::print("  {} .. {}  count {}  {}\n", s->first_seen, s->last_seen, s->count, source_of(*s));
    }
  }
  if (!covering.empty()) {
    fmt::print("covered by ({}; telemetry naming it alerts on these too):\n", covering.size());
    for (const Covering& item : covering) {
      fmt::print("  {} {}\n", TypeName(item.info.observable.type), item.info.observable.value);
      for (const EventLink* link : item.visible) PrintLink(*link, "    ");
    }
  }
  return found || !covering.empty() ? kExitOk : kExitRefused;
}

}  // namespace

void RegisterSearch(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  auto options = std::make_shared<SearchOptions>();
  CLI::App* sub = app.add_subcommand(
      "search", "Show an observable, every event that carries it (correlation), its sightings, and "
                "the stored networks and parent domains that cover it; exit 3 when none is found");
  sub->add_option("value", options->value, "The value (IP, domain, URL, hash, e-mail, ...)")
      ->required();
  sub->add_option("--type", options->type, "Its type, when detection is not enough");
  sub->add_option("--org", options->org, "Search as this organisation (default: the operator)");
  sub->add_flag("--json", options->json, "Print JSON");
  commands.push_back({sub, [&global, options] { return RunSearch(global, *options); }});
}

}  // namespace accord::cli
