// accord: the node's command line.
#include <fmt/format.h>

#include "cli/cli.h"

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
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (auto& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return kExitUsage;
}
