// accord warninglist: load MISP warning lists (known-benign values).
#include <fmt/format.h>

#include "cli/cli.h"
#include "exchange/exchange.h"

namespace accord::cli {

void RegisterWarningList(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand(
      "warninglist", "Known-benign values (MISP warning-list format) that never become live indicators");
  sub->require_subcommand(1);
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* add = sub->add_subcommand("add", "Load (or replace, by name) warning lists");
  add->add_option("files", *files, "MISP warning list JSON files (list.json)")->required();
  commands.push_back({add, [&global, files] {
                        auto store = OpenNode(global);
                        if (!store) return kExitError;
                        // Each file is its own transaction; one that fails (the
                        // warninglists repository's schema.json in a glob, say)
                        // does not stop the others, and the exit code tells.
                        int exit_code = kExitOk;
                        for (const auto& file : *files) {
                          auto report = AddWarningList(*store, file, LocalActor());
                          if (!report.ok()) {
                            exit_code = Fail(report.status());
                            continue;
                          }
                          fmt::print("{}: '{}', {} entries; {} stored values flagged, {} cleared\n",
                                     file, report->name, report->entries, report->flagged,
                                     report->cleared);
                          constexpr size_t kShown = 20;
                          for (size_t i = 0; i < report->problems.size() && i < kShown; ++i) {
                            fmt::print(stderr, "{}: warning: {}\n", file, report->problems[i]);
                          }
                          if (report->problems.size() > kShown) {
                            fmt::print(stderr, "{}: warning: {} more entries skipped\n", file,
                                       report->problems.size() - kShown);
                          }
                        }
                        return exit_code;
                      }});
  auto names = std::make_shared<std::vector<std::string>>();
  CLI::App* remove = sub->add_subcommand("remove", "Take loaded warning lists out, by name");
  remove->add_option("names", *names, "List names, as `warninglist list` shows them")->required();
  commands.push_back({remove, [&global, names] {
                        auto store = OpenNode(global);
                        if (!store) return kExitError;
                        AuditEntry audit;
                        audit.actor = LocalActor();
                        audit.source_address = "local";
                        int exit_code = kExitOk;
                        for (const auto& name : *names) {
                          auto report = RemoveWarningList(*store, name, audit);
                          if (!report.ok()) {
                            exit_code = Fail(report.status());
                            continue;
                          }
                          fmt::print("'{}' removed; {} stored values cleared (no loaded list holds them)\n",
                                     name, report->cleared);
                        }
                        return exit_code;
                      }});
  CLI::App* list = sub->add_subcommand("list", "Show the loaded warning lists");
  commands.push_back({list, [&global] {
                        auto store = OpenNode(global);
                        if (!store) return kExitError;
                        auto lists = store->LoadWarningLists();
                        if (!lists.ok()) return Fail(lists.status());
                        for (const auto& l : *lists) {
                          fmt::print("{}\t{}\t{} entries\tversion {}\n", l.name, l.type,
                                     l.entries.size(), l.version);
                        }
                        return kExitOk;
                      }});
}

}  // namespace accord::cli
