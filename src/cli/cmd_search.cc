// accord search: an observable, every event carrying it, and its sightings.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/cli.h"

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
  auto visible_links = [&](const std::optional<ObservableInfo>& found) {
    std::vector<const EventLink*> links;
    if (!found) return links;
    for (const auto& link : found->events) {
      if (MayRead(*principal, Visibility{link.event.tlp, link.event.owner_org_id,
                                         link.event.recipient_org_ids})) {
        links.push_back(&link);
      }
    }
    return links;
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
  if (!*info || visible.empty()) {
    if (cli.json) {
      fmt::print("{}\n", nlohmann::json{{"type", TypeName(observable->type)},
                                        {"value", observable->value},
                                        {"found", false}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
      fmt::print("{} {}: not found\n", TypeName(observable->type), observable->value);
    }
    return kExitRefused;
  }
  const ObservableInfo& found = **info;
  if (cli.json) {
    nlohmann::json out = {{"type", TypeName(found.observable.type)},
                          {"value", found.observable.value},
                          {"found", true},
                          {"created", found.created},
                          {"warninglist", found.warninglist},
                          {"events", nlohmann::json::array()},
                          {"sightings", nlohmann::json::array()}};
    for (const EventLink* link : visible) {
      const auto& c = link->context;
      out["events"].push_back({{"uuid", link->event.uuid},
                               {"title", link->event.title},
                               {"tlp", TlpName(link->event.tlp)},
                               {"threat_level", ThreatLevelJson(link->event)},
                               {"analysis", AnalysisJson(link->event)},
                               {"role", c.role},
                               {"confidence", c.confidence ? nlohmann::json(*c.confidence) : nlohmann::json()},
                               {"first_seen", c.first_seen},
                               {"last_seen", c.last_seen},
                               {"valid_until", c.valid_until},
                               {"is_indicator", c.is_indicator},
                               {"comment", c.comment}});
    }
    for (const auto& s : found.sightings) {
      out["sightings"].push_back({{"count", s.count}, {"first_seen", s.first_seen},
                                  {"last_seen", s.last_seen}, {"source", s.source}});
    }
    fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  fmt::print("{} {}\n", TypeName(found.observable.type), found.observable.value);
  fmt::print("  first stored: {}\n", found.created);
  if (!found.warninglist.empty()) {
    fmt::print("  on warning list: {} (never a live indicator)\n", found.warninglist);
  }
  fmt::print("events ({}):\n", visible.size());
  for (const EventLink* link : visible) {
    const auto& c = link->context;
    fmt::print("  {}  {:<16}  {}\n", link->event.uuid, TlpLabel(link->event.tlp), link->event.title);
    if (link->event.threat_level || link->event.analysis) {
      // MISP's grading of the event, when it came with one.
      std::string graded;
      if (link->event.threat_level) graded += fmt::format(", threat level {}", ThreatLevelName(*link->event.threat_level));
      if (link->event.analysis) graded += fmt::format(", analysis {}", AnalysisStageName(*link->event.analysis));
      fmt::print("     {}\n", graded.substr(2));
    }
    std::string details;
    if (!c.role.empty()) details += " role=" + c.role;
    if (c.confidence) details += fmt::format(" confidence={}", *c.confidence);
    if (!c.first_seen.empty()) details += " first_seen=" + c.first_seen;
    if (!c.last_seen.empty()) details += " last_seen=" + c.last_seen;
    if (!c.valid_until.empty()) details += " valid_until=" + c.valid_until;
    if (!c.is_indicator) details += " (observed only)";
    if (!details.empty()) fmt::print("     {}\n", details.substr(1));
  }
  fmt::print("sightings ({}):\n", found.sightings.size());
  for (const auto& s : found.sightings) {
    fmt::print("  {} .. {}  count {}  {}\n", s.first_seen, s.last_seen, s.count, s.source);
  }
  return kExitOk;
}

}  // namespace

void RegisterSearch(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  auto options = std::make_shared<SearchOptions>();
  CLI::App* sub = app.add_subcommand(
      "search", "Show an observable, every event that carries it (correlation) and its sightings; "
                "exit 3 when not found");
  sub->add_option("value", options->value, "The value (IP, domain, URL, hash, e-mail, ...)")
      ->required();
  sub->add_option("--type", options->type, "Its type, when detection is not enough");
  sub->add_option("--org", options->org, "Search as this organisation (default: the operator)");
  sub->add_flag("--json", options->json, "Print JSON");
  commands.push_back({sub, [&global, options] { return RunSearch(global, *options); }});
}

}  // namespace accord::cli
