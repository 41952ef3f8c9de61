// accord org: the organisations a node hosts (member units, CERTs, partners).
#include <fmt/format.h>

#include "cli/cli.h"
#include "server/admin_ops.h"

namespace accord::cli {
namespace {

struct OrgCreateOptions {
  std::string name;
  std::string country;
  std::string kind;
  std::string contact;
};

int RunOrgCreate(const GlobalOptions& global, const OrgCreateOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  SystemClock clock;
  admin::NewOrganisation request{options.name, options.country, options.kind, options.contact};
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
    fmt::print("{}\n", nlohmann::json{{"organisations", std::move(list)}}.dump(2));
    return kExitOk;
  }
  for (const Organisation& org : *orgs) {
    fmt::print("{}\t{}\t{}\t{}\t{}\n", org.id, org.name, org.country, org.kind, org.contact);
  }
  return kExitOk;
}

}  // namespace

Result<Organisation> FindOrganisationNamed(Store& store, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<Organisation> org, store.FindOrganisationByName(name));
  if (!org) {
    return Status::NotFound(
        fmt::format("--org: no organisation named '{}' (see `accord org list`)", name));
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
  commands.push_back(
      {create, [&global, create_options] { return RunOrgCreate(global, *create_options); }});

  auto as_json = std::make_shared<bool>(false);
  CLI::App* list = sub->add_subcommand("list", "List organisations: id, name, country, kind, contact");
  list->add_flag("--json", *as_json, "Print {\"organisations\": [...]} as the REST API does");
  commands.push_back({list, [&global, as_json] { return RunOrgList(global, *as_json); }});
}

}  // namespace accord::cli
