// accord init: create a node (database, first organisation, admin key).
#include <fmt/format.h>

#include <filesystem>

#include "cli/cli.h"
#include "core/crypto.h"
#include "core/time.h"
#include "server/admin_ops.h"

namespace accord::cli {
namespace {

struct InitOptions {
  std::string org = "Operator";
  std::string country;
  std::string kind = "international";
  std::string contact;
};

// The first organisation is checked as `org create` checks one (the same
// messages, exit 1), except that its country may be left out: a regional
// hub's operator may be international. Checked before the data directory
// is touched, so a wrong value leaves nothing behind.
Result<std::string> CheckFirstOrganisation(const InitOptions& options) {
  RETURN_IF_ERROR(admin::ValidateOrganisationName(options.org));
  RETURN_IF_ERROR(admin::ValidateKind(options.kind));
  RETURN_IF_ERROR(admin::ValidateContact(options.contact));
  if (options.country.empty()) return std::string();
  return admin::NormalizeCountry(options.country);
}

int RunInit(const GlobalOptions& global, const InitOptions& options) {
  auto country = CheckFirstOrganisation(options);
  if (!country.ok()) return Fail(country.status());
  StoreOptions store_options;
  store_options.data_dir = ResolveDataDir(global);
  store_options.create = true;
  auto opened = OpenStore(store_options);
  if (!opened.ok()) return Fail(opened.status());
  Store& store = **opened;
  auto existing = store.GetMeta("node_id");
  if (!existing.ok()) return Fail(existing.status());
  if (*existing) {
    return Fail(fmt::format("{} is already a node ({}); nothing changed", store_options.data_dir,
                            **existing));
  }
  Organisation org;
  org.uuid = UuidV4();
  org.name = options.org;
  org.country = *country;
  org.kind = options.kind;
  org.contact = options.contact;
  org.created = FormatTimestamp(SystemClock().Now());
  auto created = store.CreateOrganisation(org);
  if (!created.ok()) return Fail(created.status());

  ApiKey key;
  key.key_id = "ak_" + RandomHex(8);
  const std::string secret = RandomHex(32);
  key.secret = HashSecret(secret);
  key.org_id = created->id;
  key.user = "admin";
  key.role = Role::kAdmin;
  key.created = org.created;
  auto stored_key = store.CreateApiKey(key);
  if (!stored_key.ok()) return Fail(stored_key.status());

  const std::string node_id = UuidV4();
  for (auto [k, v] : {std::pair<std::string, std::string>{"node_id", node_id},
                      {"operator_org_id", std::to_string(created->id)}}) {
    if (auto s = store.SetMeta(k, v); !s.ok()) return Fail(s);
  }
  AuditEntry audit;
  audit.actor = LocalActor();
  audit.action = "node.init";
  audit.object = node_id;
  audit.source_address = "local";
  audit.detail = fmt::format(R"({{"organisation":"{}","admin_key":"{}"}})", org.name, key.key_id);
  if (auto s = store.AppendAudit(audit); !s.ok()) return Fail(s);

  fmt::print(stderr, "Created node {} in {} for organisation '{}'.\n", node_id,
             std::filesystem::absolute(store_options.data_dir).string(), org.name);
  fmt::print(stderr, "Admin API key (shown once; store it now):\n");
  fmt::print("{}:{}\n", key.key_id, secret);
  return kExitOk;
}

}  // namespace

void RegisterInit(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  auto options = std::make_shared<InitOptions>();
  CLI::App* sub = app.add_subcommand(
      "init", "Create a node: a SQLite database (WAL), its first organisation and an admin API key "
              "printed once as KEYID:SECRET");
  sub->add_option("--org", options->org, "Name of the first (operator) organisation")
      ->capture_default_str();
  sub->add_option("--country", options->country, "Its country, ISO 3166-1 alpha-2 (e.g. FR)");
  sub->add_option("--kind", options->kind,
                  "law-enforcement, cert, private-partner or international")
      ->capture_default_str();
  sub->add_option("--contact", options->contact, "24/7 contact (e-mail or phone)");
  commands.push_back({sub, [&global, options] { return RunInit(global, *options); }});
}

}  // namespace accord::cli
