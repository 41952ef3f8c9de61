// accord poc: the directory of 24/7 points of contact, one per organisation.
#include <fmt/format.h>

#include "cli/cli.h"
#include "requests/request_ops.h"

namespace accord::cli {
namespace {

struct PocOptions {
  std::string org;
  std::string name;
  std::vector<std::string> languages;
  std::string hours;
  std::string time_zone;
  std::vector<std::string> channels;
  std::string backup_name;
  std::vector<std::string> backup_channels;
  std::string country;
  bool as_json = false;
};

Result<std::vector<ContactChannel>> ParseChannels(const std::vector<std::string>& texts,
                                                  std::string_view flag) {
  std::vector<ContactChannel> channels;
  for (const std::string& text : texts) {
    auto channel = requests::ParseChannel(text);
    if (!channel.ok()) return channel.status().WithContext(std::string(flag));
    channels.push_back(*channel);
  }
  return channels;
}

int RunPocSet(const GlobalOptions& global, const PocOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto org = FindOrganisationNamed(*store, options.org, "ORG");
  if (!org.ok()) return Fail(org.status());
  PointOfContact poc;
  poc.org_id = org->id;
  poc.name = options.name;
  for (const std::string& list : options.languages) {
    for (size_t start = 0; start <= list.size();) {
      size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      if (comma > start) poc.languages.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  }
  poc.hours = options.hours;
  poc.time_zone = options.time_zone;
  auto channels = ParseChannels(options.channels, "--channel");
  if (!channels.ok()) return Fail(channels.status());
  poc.channels = *channels;
  poc.backup_name = options.backup_name;
  auto backup = ParseChannels(options.backup_channels, "--backup-channel");
  if (!backup.ok()) return Fail(backup.status());
  poc.backup_channels = *backup;
  SystemClock clock;
  requests::Actor actor{Principal{org->id, Role::kAdmin}, LocalActor(), "local"};
  auto stored = requests::SetPointOfContact(*store, actor, poc, clock);
  if (!stored.ok()) return Fail(stored.status());
  fmt::print("point of contact of '{}' set: {}, {} ({})\n", org->name, stored->name,
             stored->hours, stored->time_zone);
  return kExitOk;
}

int RunPocList(const GlobalOptions& global, const PocOptions& options, bool one) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto orgs = store->ListOrganisations();
  if (!orgs.ok()) return Fail(orgs.status());
  auto pocs = store->ListPointsOfContact();
  if (!pocs.ok()) return Fail(pocs.status());
  std::optional<int64_t> only;
  if (one) {
    auto org = FindOrganisationNamed(*store, options.org, "ORG");
    if (!org.ok()) return Fail(org.status());
    only = org->id;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const PointOfContact& poc : *pocs) {
    if (only && poc.org_id != *only) continue;
    for (const Organisation& org : *orgs) {
      if (org.id != poc.org_id) continue;
      if (!options.country.empty() && org.country != options.country) continue;
      list.push_back(requests::PointOfContactJson(poc, org));
    }
  }
  if (one && list.empty()) return Fail(fmt::format("'{}' has no point of contact", options.org));
  if (options.as_json || one) {
    fmt::print("{}\n", one ? list[0].dump(2, ' ', false, nlohmann::json::error_handler_t::replace) : nlohmann::json{{"points_of_contact", list}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  for (const auto& entry : list) {
    std::string channels;
    for (const auto& channel : entry["channels"]) {
      channels += (channels.empty() ? "" : "; ") + channel["kind"].get<std::string>() + " " +
                  channel["value"].get<std::string>();
    }
    std::string languages;
    for (const auto& language : entry["languages"]) {
      languages += (languages.empty() ? "" : ",") + language.get<std::string>();
    }
    fmt::print("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", entry["country"].get<std::string>(),
               entry["organisation"]["name"].get<std::string>(), entry["name"].get<std::string>(),
               languages, entry["hours"].get<std::string>(), entry["time_zone"].get<std::string>(),
               channels);
  }
  return kExitOk;
}

int RunPocRemove(const GlobalOptions& global, const PocOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto org = FindOrganisationNamed(*store, options.org, "ORG");
  if (!org.ok()) return Fail(org.status());
  requests::Actor actor{Principal{org->id, Role::kAdmin}, LocalActor(), "local"};
  Status removed = requests::RemovePointOfContact(*store, actor, org->id, SystemClock());
  if (!removed.ok()) return Fail(removed);
  fmt::print("point of contact of '{}' removed\n", org->name);
  return kExitOk;
}

}  // namespace

void RegisterPoc(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand("poc", "The directory of 24/7 points of contact");
  sub->require_subcommand(1);
  auto options = std::make_shared<PocOptions>();

  CLI::App* set = sub->add_subcommand("set", "Set an organisation's point of contact (audited)");
  set->add_option("org", options->org, "Organisation name")->required();
  set->add_option("--name", options->name, "The desk or person (default: ORG 24/7 point of contact)");
  set->add_option("--languages", options->languages, "ISO 639 codes, e.g. en,fr (repeatable)");
  set->add_option("--hours", options->hours, "When it is staffed (default 24/7)");
  set->add_option("--time-zone", options->time_zone, "IANA time zone, e.g. Europe/Paris (default UTC)");
  set->add_option("--channel", options->channels,
                  "KIND:VALUE, e.g. phone:+33 1 23 45 67 89 or email:desk@example.org (repeatable; "
                  "kinds: phone, email, secure-mail, fax, messenger, radio, web, other)")
      ->required();
  set->add_option("--backup-name", options->backup_name,
                  "Who is alerted when an acknowledgement clock is missed");
  set->add_option("--backup-channel", options->backup_channels, "KIND:VALUE (repeatable)");
  commands.push_back({set, [&global, options] { return RunPocSet(global, *options); }});

  CLI::App* list = sub->add_subcommand(
      "list", "List points of contact: country, organisation, name, languages, hours, zone, channels");
  list->add_option("--country", options->country, "Only this country (ISO 3166-1 alpha-2)");
  list->add_flag("--json", options->as_json, "Print {\"points_of_contact\": [...]} as the REST API does");
  commands.push_back({list, [&global, options] { return RunPocList(global, *options, false); }});

  CLI::App* show = sub->add_subcommand("show", "Show one organisation's point of contact as JSON");
  show->add_option("org", options->org, "Organisation name")->required();
  commands.push_back({show, [&global, options] { return RunPocList(global, *options, true); }});

  CLI::App* remove = sub->add_subcommand("remove", "Remove an organisation's point of contact (audited)");
  remove->add_option("org", options->org, "Organisation name")->required();
  commands.push_back({remove, [&global, options] { return RunPocRemove(global, *options); }});
}

}  // namespace accord::cli
