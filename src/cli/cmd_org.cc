// accord org: the organisations a node hosts (member units, CERTs, partners).
#include <fmt/format.h>

#include "cli/cli.h"
#include "core/ip.h"
#include "core/time.h"
#include "server/admin_ops.h"

namespace accord::cli {
namespace {

struct OrgCreateOptions {
  std::string name;
  std::string country;
  std::string kind;
  std::string contact;
  std::string shares_with;
};

int RunOrgCreate(const GlobalOptions& global, const OrgCreateOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  SystemClock clock;
  admin::NewOrganisation request{options.name, options.country, options.kind, options.contact};
  if (!options.shares_with.empty()) {
    auto reader = FindOrganisationNamed(*store, options.shares_with, "--shares-with");
    if (!reader.ok()) return Fail(reader.status());
    request.shares_with_org_id = reader->id;
  }
  auto org = admin::CreateOrganisation(*store, request, {LocalActor(), "local"}, clock);
  if (!org.ok()) return Fail(org.status());
  fmt::print("organisation '{}' created (id {}, {} {})\n", org->name, org->id, org->country,
             org->kind);
  return kExitOk;
}

int RunOrgList(const GlobalOptions& global, bool as_json) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto orgs = store->ListOrganisations();
  if (!orgs.ok()) return Fail(orgs.status());
  if (as_json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Organisation& org : *orgs) list.push_back(admin::OrganisationJson(org));
    fmt::print("{}\n", nlohmann::json{{"organisations", std::move(list)}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  for (const Organisation& org : *orgs) {
    fmt::print("{}\t{}\t{}\t{}\t{}\n", org.id, org.name, org.country, org.kind, org.contact);
  }
  return kExitOk;
}

// Constituencies: the networks an organisation answers for. Alerts whose
// victim address falls in one go to that organisation before any
// country-wide routing. Audited like every write.
int RunConstituency(const GlobalOptions& global, const std::string& action, const std::string& org_name,
                    const std::string& network_text) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  if (action == "list") {
    auto scope = ResolveOrganisationScope(*store, org_name);
    if (!scope.ok()) return Fail(scope.status());
    auto all = store->ListConstituencies();
    if (!all.ok()) return Fail(all.status());
    for (const Constituency& constituency : *all) {
      if (scope->filter && *scope->filter != constituency.org_id) continue;
      fmt::print("{}\t{}\t{}\n", scope->names[constituency.org_id], constituency.network,
                 constituency.created);
    }
    return kExitOk;
  }
  auto org = FindOrganisationNamed(*store, org_name, "ORG");
  if (!org.ok()) return Fail(org.status());
  auto network = ParseIpNetwork(network_text);
  if (!network.ok()) return Fail(network.status().WithContext("network"));
  const std::string normalized =
      FormatIp(network->address) + "/" + std::to_string(network->prefix_length);
  Status status = action == "add" ? store->AddConstituency(org->id, normalized).status()
                                  : store->RemoveConstituency(org->id, normalized);
  if (!status.ok()) return Fail(status);
  AuditEntry audit;
  audit.time = FormatTimestamp(SystemClock().Now());
  audit.actor = LocalActor();
  audit.action = "constituency." + action;
  audit.object = org->name;
  audit.detail = normalized;
  audit.source_address = "local";
  if (Status audited = store->AppendAudit(audit); !audited.ok()) return Fail(audited);
  fmt::print("{} {} {}\n", org->name, action == "add" ? "now answers for" : "no longer answers for",
             normalized);
  return kExitOk;
}

}  // namespace

Result<Organisation> FindOrganisationNamed(Store& store, const std::string& name, std::string_view given_as) {
  ASSIGN_OR_RETURN(std::optional<Organisation> org, store.FindOrganisationByName(name));
  if (!org) {
    return Status::NotFound(
        fmt::format("{}: no organisation named '{}' (see `accord org list`)", given_as, name));
  }
  return *org;
}

void RegisterOrg(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand("org", "Organisations hosted by this node");
  sub->require_subcommand(1);

  auto create_options = std::make_shared<OrgCreateOptions>();
  CLI::App* create = sub->add_subcommand("create", "Create an organisation (audited)");
  create->add_option("name", create_options->name, "Organisation name, unique on the node")
      ->required();
  create->add_option("--country", create_options->country,
                     "Country, ISO 3166-1 alpha-2 (e.g. FR)")
      ->required();
  create->add_option("--kind", create_options->kind,
                     "law-enforcement, cert, private-partner or international")
      ->required();
  create->add_option("--contact", create_options->contact, "24/7 contact (e-mail or phone)");
  create->add_option("--shares-with", create_options->shares_with,
                     "For an organisation that stands for a peer node: the organisation here that "
                     "reads what the peer pushes at TLP:AMBER and TLP:RED (named a recipient)");
  commands.push_back(
      {create, [&global, create_options] { return RunOrgCreate(global, *create_options); }});

  auto as_json = std::make_shared<bool>(false);
  CLI::App* list = sub->add_subcommand("list", "List organisations: id, name, country, kind, contact");
  list->add_flag("--json", *as_json, "Print {\"organisations\": [...]} as the REST API does");
  commands.push_back({list, [&global, as_json] { return RunOrgList(global, *as_json); }});

  CLI::App* constituency = sub->add_subcommand(
      "constituency",
      "Networks an organisation answers for: alerts for victims inside them are routed to it");
  constituency->require_subcommand(1);
  for (const char* action : {"add", "remove"}) {
    auto org_name = std::make_shared<std::string>();
    auto network = std::make_shared<std::string>();
    CLI::App* command = constituency->add_subcommand(
        action, std::string(action) == "add" ? "Register a network (CIDR or address) for an organisation"
                                             : "Remove a registered network");
    command->add_option("org", *org_name, "Organisation name")->required();
    command->add_option("network", *network, "e.g. 192.0.2.0/24 or 2001:db8::/32")->required();
    const std::string name = action;
    commands.push_back({command, [&global, name, org_name, network] {
                          return RunConstituency(global, name, *org_name, *network);
                        }});
  }
  auto list_org = std::make_shared<std::string>();
  CLI::App* list_networks =
      constituency->add_subcommand("list", "List registered networks: organisation, network, created");
  list_networks->add_option("--org", *list_org, "Only this organisation's");
  commands.push_back({list_networks, [&global, list_org] {
                        return RunConstituency(global, "list", *list_org, "");
                      }});
}

}  // namespace accord::cli
