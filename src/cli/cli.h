// The `accord` command line: one file per command, each registering its
// subcommand on the CLI11 app. Exit codes (documented in the README):
//   0 success, 1 error (message on stderr), 2 usage error,
//   3 completed but something was refused (--strict imports, search misses).
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/policy.h"
#include "core/status.h"
#include "store/store.h"

namespace accord::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRefused = 3;

// What a command needs from the shared flags.
struct GlobalOptions {
  std::string data_dir;  // --data, else $ACCORD_DATA, else ./accord-data
  std::vector<std::string> args;  // the command line, for telling flags from config files
};

// Each command's Register adds its subcommand and sets `run` to the action.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

void RegisterInit(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterImport(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterExport(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterSearch(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterWarningList(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterAudit(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterBackup(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterServe(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterOrg(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterUser(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterKey(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterMatch(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterPoc(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterRequest(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterStealer(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);
void RegisterFederate(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands);

// Shared helpers (common.cc).
std::string ResolveDataDir(const GlobalOptions& global);
// Opens an existing node; on failure prints why and returns nullptr.
// `options` tunes the connection (map_for_reads, cache_mib: see
// StoreOptions); its data_dir is replaced by the resolved one.
std::unique_ptr<Store> OpenNode(const GlobalOptions& global, StoreOptions options = {});
// The principal a local command acts as: the organisation named by `org_name`
// (default: the node's operator organisation), with the admin role.
Result<Principal> LocalPrincipal(Store& store, const std::string& org_name);
// Prints "accord: <message>" on stderr and returns kExitError.
int Fail(const Status& status);
int Fail(const std::string& message);
bool StderrIsTerminal();
// A secret (a webhook signing key) from the file `flag` names, so that it
// stays off the command line, which other users of the machine can read.
// Empty for an empty path; trailing newlines are not part of it.
Result<std::string> ReadSecretFile(const std::string& flag, const std::string& path);
// For list commands: the organisation filter named by `org_name` (none when
// empty) and every organisation's name by id, for printing.
struct OrganisationScope {
  std::optional<int64_t> filter;
  std::map<int64_t, std::string> names;
};
Result<OrganisationScope> ResolveOrganisationScope(Store& store, const std::string& org_name);
std::string LocalActor();
// One line on stderr for what an import refused or keeps without matching
// ("rejected LOCATION: VALUE: REASON", "not matched ..."), control
// characters of the value escaped (a MISP text attribute, a pasted block, a
// peer's answer).
void PrintRejection(const Rejection& rejection);
// `text` with its control characters escaped ("\\n", "\\x1b"): names and
// values that others wrote (archive entries, a peer's answers) must not
// move the cursor, recolour or rewrite the analyst's terminal.
std::string ForTerminal(std::string_view text);
// Prints an HTML page to a PDF file with headless Chromium (pdf.cc).
Status PrintHtmlToPdf(const std::string& html, const std::string& pdf_path);
// The organisation named `name`, or kNotFound saying how to list them, the
// error starting with `given_as`, the option or argument that named it
// ("--org", "--to", "ORG"; cmd_org.cc).
Result<Organisation> FindOrganisationNamed(Store& store, const std::string& name,
                                           std::string_view given_as = "--org");

}  // namespace accord::cli
