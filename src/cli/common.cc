#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "cli/cli.h"

namespace accord::cli {

std::string ResolveDataDir(const GlobalOptions& global) {
  if (!global.data_dir.empty()) return global.data_dir;
  if (const char* env = std::getenv("ACCORD_DATA"); env != nullptr && *env != '\0') return env;
  return "accord-data";
}

std::unique_ptr<Store> OpenNode(const GlobalOptions& global, StoreOptions options) {
  options.data_dir = ResolveDataDir(global);
  auto store = OpenStore(options);
  if (!store.ok()) {
    Fail(store.status().code() == Status::Code::kNotFound
             ? Status::NotFound(fmt::format("no node at {} (run `accord init --data {}` first)",
                                            options.data_dir, options.data_dir))
             : store.status());
    return nullptr;
  }
  return std::move(store).value();
}

Result<Principal> LocalPrincipal(Store& store, const std::string& org_name) {
  if (org_name.empty()) {
    ASSIGN_OR_RETURN(auto operator_id, store.GetMeta("operator_org_id"));
    if (!operator_id) return Status::FailedPrecondition("the node has no operator organisation");
    return Principal{std::stoll(*operator_id), Role::kAdmin};
  }
  ASSIGN_OR_RETURN(auto org, store.FindOrganisationByName(org_name));
  if (!org) return Status::NotFound(fmt::format("no organisation named '{}'", org_name));
  return Principal{org->id, Role::kAdmin};
}

int Fail(const Status& status) { return Fail(status.ToString()); }

int Fail(const std::string& message) {
  fmt::print(stderr, "accord: {}\n", message);
  return kExitError;
}

Result<OrganisationScope> ResolveOrganisationScope(Store& store, const std::string& org_name) {
  OrganisationScope scope;
  if (!org_name.empty()) {
    ASSIGN_OR_RETURN(Organisation org, FindOrganisationNamed(store, org_name));
    scope.filter = org.id;
  }
  ASSIGN_OR_RETURN(auto orgs, store.ListOrganisations());
  for (const Organisation& org : orgs) scope.names[org.id] = org.name;
  return scope;
}

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string LocalActor() {
  const char* user = std::getenv("USER");
  return fmt::format("cli:{}", user != nullptr && *user != '\0' ? user : "local");
}

Result<std::string> ReadSecretFile(const std::string& flag, const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{} {}: cannot read", flag, path));
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return Status::Invalid(fmt::format("{} {}: empty", flag, path));
  return secret;
}

std::string ForTerminal(std::string_view text) {
  std::string shown;
  for (char c : text) {
    if (c == '\n') {
      shown += "\\n";
    } else if (c == '\r') {
      shown += "\\r";
    } else if (c == '\t') {
      shown += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      shown += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      shown += c;
    }
  }
  return shown;
}

void PrintRejection(const Rejection& r) {
  fmt::print(stderr, "{} {}: {}{}{}\n", r.not_matched ? "not matched" : "rejected", ForTerminal(r.location),
             ForTerminal(std::string_view(r.value).substr(0, 200)), r.value.empty() ? "" : ": ",
             ForTerminal(r.reason));
}

}  // namespace accord::cli
