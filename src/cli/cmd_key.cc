// accord key: API keys. The secret is printed once, as KEYID:SECRET, and only
// its salted hash is stored.
#include <fmt/format.h>

#include <map>

#include "cli/cli.h"
#include "server/admin_ops.h"

namespace accord::cli {
namespace {

struct KeyOptions {
  std::string org;
  std::string user;
  std::string role;
  std::string expires;
  std::string key_id;
  bool as_json = false;
};

int RunKeyCreate(const GlobalOptions& global, const KeyOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto org = FindOrganisationNamed(*store, options.org);
  if (!org.ok()) return Fail(org.status());
  SystemClock clock;
  admin::NewKey request{org->id, options.user, options.role, options.expires};
  auto created = admin::CreateKey(*store, request, {LocalActor(), "local"}, clock);
  if (!created.ok()) return Fail(created.status());
  if (created->user_created) {
    fmt::print(stderr, "Created user '{}' in '{}' (role {}).\n", created->key.user, org->name,
               RoleName(created->key.role));
  }
  fmt::print(stderr, "API key {} for {}/{} (role {}, {}). Shown once; store it now:\n",
             created->key.key_id, org->name, created->key.user, RoleName(created->key.role),
             created->key.expires.empty() ? "never expires" : "expires " + created->key.expires);
  // stdout carries the key and nothing else, so `KEY=$(accord key create ...)` works.
  fmt::print("{}\n", created->token);
  return kExitOk;
}

int RunKeyList(const GlobalOptions& global, const KeyOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto scope = ResolveOrganisationScope(*store, options.org);
  if (!scope.ok()) return Fail(scope.status());
  const std::optional<int64_t> filter = scope->filter;
  std::map<int64_t, std::string>& names = scope->names;
  auto keys = store->ListApiKeys(filter);
  if (!keys.ok()) return Fail(keys.status());
  const std::string now = FormatTimestamp(SystemClock().Now());
  if (options.as_json) {
    nlohmann::json list = nlohmann::json::array();
    for (const ApiKey& key : *keys) list.push_back(admin::KeyJson(key, names[key.org_id], now));
    fmt::print("{}\n", nlohmann::json{{"keys", std::move(list)}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  for (const ApiKey& key : *keys) {
    fmt::print("{}\t{}\t{}\t{}\t{}\t{}\n", key.key_id, names[key.org_id], key.user,
               RoleName(key.role), admin::KeyStatus(key, now),
               key.expires.empty() ? "never" : key.expires);
  }
  return kExitOk;
}

int RunKeyRevoke(const GlobalOptions& global, const KeyOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  SystemClock clock;
  auto key = admin::RevokeKey(*store, options.key_id, std::nullopt, {LocalActor(), "local"}, clock);
  if (!key.ok()) return Fail(key.status());
  fmt::print("API key {} of {} revoked\n", key->key_id, key->user);
  return kExitOk;
}

}  // namespace

void RegisterKey(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand("key", "API keys (Bearer KEYID:SECRET, or Basic KEYID/SECRET)");
  sub->require_subcommand(1);

  auto create_options = std::make_shared<KeyOptions>();
  CLI::App* create = sub->add_subcommand(
      "create", "Create an API key and print it once as KEYID:SECRET on stdout (audited)");
  create->add_option("--org", create_options->org, "Organisation name")->required();
  create->add_option("--user", create_options->user,
                     "The user who holds it (created with --role if it does not exist)")
      ->required();
  create->add_option("--role", create_options->role,
                     "admin, analyst, contributor, reader or poc (default: the user's role; "
                     "never more than the user's)");
  create->add_option("--expires", create_options->expires,
                     "Expiry: a date (2027-01-01, RFC 3339) or a duration (90d, 12h, 2w)");
  commands.push_back(
      {create, [&global, create_options] { return RunKeyCreate(global, *create_options); }});

  auto list_options = std::make_shared<KeyOptions>();
  CLI::App* list = sub->add_subcommand(
      "list", "List keys: id, organisation, user, role, status, expiry (never secrets)");
  list->add_option("--org", list_options->org, "Only this organisation's keys");
  list->add_flag("--json", list_options->as_json, "Print {\"keys\": [...]} as the REST API does");
  commands.push_back({list, [&global, list_options] { return RunKeyList(global, *list_options); }});

  auto revoke_options = std::make_shared<KeyOptions>();
  CLI::App* revoke = sub->add_subcommand("revoke", "Revoke a key at once (audited)");
  revoke->add_option("key_id", revoke_options->key_id, "The key id (ak_...)")->required();
  commands.push_back(
      {revoke, [&global, revoke_options] { return RunKeyRevoke(global, *revoke_options); }});
}

}  // namespace accord::cli
