// accord backup: a consistent copy of the node's database while it runs
// (store/backup.h).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "cli/cli.h"
#include "core/time.h"
#include "store/backup.h"

namespace accord::cli {
namespace {

int RunBackup(const GlobalOptions& global, const std::string& target) {
  const std::string data_dir = ResolveDataDir(global);
  auto bytes = BackupNode(data_dir, target);
  if (!bytes.ok()) return Fail(bytes.status());
  // A backup reads everything, TLP:RED and victims' data included: the
  // audit log says who took one, where to and when (after the copy, so the
  // copy's chain ends before it).
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(target, error);
  AuditEntry audit;
  audit.time = FormatTimestamp(SystemClock().Now());
  audit.actor = LocalActor();
  audit.action = "backup";
  audit.object = error ? target : absolute.lexically_normal().string();
  audit.detail = nlohmann::json{{"bytes", *bytes}}.dump();
  audit.source_address = "local";
  auto store = OpenNode(global);
  Status audited = store ? store->AppendAudit(audit) : Status::IoError("cannot open the node");
  if (!audited.ok()) {
    return Fail(audited.WithContext(fmt::format("the copy {} was written, but its audit record was not", target)));
  }
  fmt::print("Backed up the node in {} to {} ({} bytes, checked).\n"
             "To restore: stop `accord serve`, then copy it to {}/accord.db.\n",
             data_dir, target, *bytes, data_dir);
  return kExitOk;
}

}  // namespace

void RegisterBackup(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  auto target = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "backup", "Copy the node's database while it runs: one consistent snapshot, checked, "
                "written to a new file readable only by you");
  sub->add_option("--to", *target, "The copy to write (a new file; never overwritten)")->required();
  commands.push_back({sub, [&global, target] { return RunBackup(global, *target); }});
}

}  // namespace accord::cli
