// accord user: the people and services of an organisation who hold API keys.
#include <fmt/format.h>

#include <map>

#include "cli/cli.h"
#include "server/admin_ops.h"

namespace accord::cli {
namespace {

struct UserOptions {
  std::string name;
  std::string org;
  std::string role;
  std::string email;
  bool as_json = false;
};

int RunUserCreate(const GlobalOptions& global, const UserOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto org = FindOrganisationNamed(*store, options.org);
  if (!org.ok()) return Fail(org.status());
  SystemClock clock;
  admin::NewUser request{org->id, options.name, options.role, options.email};
  auto user = admin::CreateUser(*store, request, {LocalActor(), "local"}, clock);
  if (!user.ok()) return Fail(user.status());
  fmt::print("user '{}' created in '{}' (role {})\n", user->name, org->name, RoleName(user->role));
  return kExitOk;
}

int RunUserList(const GlobalOptions& global, const UserOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto scope = ResolveOrganisationScope(*store, options.org);
  if (!scope.ok()) return Fail(scope.status());
  const std::optional<int64_t> filter = scope->filter;
  std::map<int64_t, std::string>& names = scope->names;
  auto users = store->ListUsers(filter);
  if (!users.ok()) return Fail(users.status());
  if (options.as_json) {
    nlohmann::json list = nlohmann::json::array();
    for (const User& user : *users) list.push_back(admin::UserJson(user, names[user.org_id]));
    fmt::print("{}\n", nlohmann::json{{"users", std::move(list)}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  for (const User& user : *users) {
    fmt::print("{}\t{}\t{}\t{}\t{}\n", names[user.org_id], user.name, RoleName(user.role),
               user.email, user.disabled ? "disabled" : "active");
  }
  return kExitOk;
}

int RunUserSetDisabled(const GlobalOptions& global, const UserOptions& options, bool disabled) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto org = FindOrganisationNamed(*store, options.org);
  if (!org.ok()) return Fail(org.status());
  SystemClock clock;
  Status status = admin::SetUserDisabled(*store, org->id, options.name, disabled,
                                         {LocalActor(), "local"}, clock);
  if (!status.ok()) return Fail(status);
  fmt::print("user '{}' of '{}' {}\n", options.name, org->name,
             disabled ? "disabled; its keys are revoked" : "enabled (create new keys for it)");
  return kExitOk;
}

}  // namespace

void RegisterUser(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand("user", "Users of an organisation (holders of API keys)");
  sub->require_subcommand(1);

  auto create_options = std::make_shared<UserOptions>();
  CLI::App* create = sub->add_subcommand("create", "Create a user (audited)");
  create->add_option("name", create_options->name,
                     "User name, unique in its organisation (A-Z a-z 0-9 . _ - @)")
      ->required();
  create->add_option("--org", create_options->org, "Organisation name")->required();
  create->add_option("--role", create_options->role,
                     "admin, analyst, contributor, reader or poc")
      ->required();
  create->add_option("--email", create_options->email, "E-mail address");
  commands.push_back(
      {create, [&global, create_options] { return RunUserCreate(global, *create_options); }});

  auto list_options = std::make_shared<UserOptions>();
  CLI::App* list = sub->add_subcommand(
      "list", "List users: organisation, name, role, e-mail, active/disabled");
  list->add_option("--org", list_options->org, "Only this organisation's users");
  list->add_flag("--json", list_options->as_json, "Print {\"users\": [...]} as the REST API does");
  commands.push_back({list, [&global, list_options] { return RunUserList(global, *list_options); }});

  for (bool disabled : {true, false}) {
    auto options = std::make_shared<UserOptions>();
    CLI::App* toggle = sub->add_subcommand(
        disabled ? "disable" : "enable",
        disabled ? "Disable a user and revoke every key it holds (audited)"
                 : "Enable a disabled user again; its revoked keys stay revoked (audited)");
    toggle->add_option("name", options->name, "User name")->required();
    toggle->add_option("--org", options->org, "Organisation name")->required();
    commands.push_back({toggle, [&global, options, disabled] {
                          return RunUserSetDisabled(global, *options, disabled);
                        }});
  }
}

}  // namespace accord::cli
