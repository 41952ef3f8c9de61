// accord: the node's command line.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "cli/cli.h"

namespace {

// CLI11 checks required arguments before it names an unknown option, so
// `accord import --bogus FILE`... says "files is required" for a typo'd
// flag. The first option no parsed command knows, to name it instead.
std::string UnknownOption(CLI::App& app, const std::vector<std::string>& args) {
  std::vector<CLI::App*> chain = {&app};
  while (true) {
    std::vector<CLI::App*> parsed = chain.back()->get_subcommands();
    if (parsed.empty()) break;
    chain.push_back(parsed.front());
  }
  for (const std::string& arg : args) {
    if (arg == "--") break;
    // Long options only: a short one may be a cluster of flags.
    if (arg.size() < 3 || arg.rfind("--", 0) != 0) continue;
    const std::string name = arg.substr(0, arg.find('='));
    bool known = false;
    for (CLI::App* command : chain) known = known || command->get_option_no_throw(name) != nullptr;
    if (!known) return name;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace accord::cli;
  CLI::App app{
      "Accord: cross-border cybercrime information exchange and early warning.\n"
      "Every command finds its node with --data DIR (default: $ACCORD_DATA, then ./accord-data)."};
  app.require_subcommand(1);
  // Global flags such as --data work after the subcommand too.
  app.fallthrough();
  app.set_version_flag("--version", "accord 0.1.0");
  GlobalOptions global;
  global.args.assign(argv + 1, argv + argc);
  app.add_option("--data", global.data_dir, "The node's data directory")->envname("ACCORD_DATA");
  std::vector<Command> commands;
  RegisterInit(app, global, commands);
  RegisterImport(app, global, commands);
  RegisterExport(app, global, commands);
  RegisterSearch(app, global, commands);
  RegisterWarningList(app, global, commands);
  RegisterAudit(app, global, commands);
  RegisterBackup(app, global, commands);
  RegisterServe(app, global, commands);
  RegisterOrg(app, global, commands);
  RegisterUser(app, global, commands);
  RegisterKey(app, global, commands);
  RegisterMatch(app, global, commands);
  RegisterPoc(app, global, commands);
  RegisterRequest(app, global, commands);
  RegisterStealer(app, global, commands);
  RegisterFederate(app, global, commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RequiredError& e) {
    if (const std::string unknown = UnknownOption(app, global.args); !unknown.empty()) {
      app.exit(CLI::ExtrasError({unknown}));
      return kExitUsage;
    }
    app.exit(e);
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (auto& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return kExitUsage;
}
