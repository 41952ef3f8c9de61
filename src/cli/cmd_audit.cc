// accord audit: show and verify the hash-chained audit log.
#include <fmt/format.h>

#include "cli/cli.h"

namespace accord::cli {

void RegisterAudit(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand("audit", "The hash-chained log of every write");
  sub->require_subcommand(1);
  CLI::App* verify = sub->add_subcommand(
      "verify",
      "Check that no audit record was edited, removed or reordered (exit 1 if broken); prints the "
      "head as SEQ:HASH to keep elsewhere and give back later with --anchor");
  auto anchors = std::make_shared<std::vector<std::string>>();
  verify->add_option("--anchor", *anchors,
                     "SEQ:HASH an earlier verify printed: record SEQ must still have HASH, which shows "
                     "a log rewritten whole (repeatable)")
      ->allow_extra_args(false);
  commands.push_back({verify, [&global, anchors] {
                        std::vector<AuditAnchor> parsed;
                        for (const std::string& text : *anchors) {
                          auto anchor = ParseAuditAnchor(text);
                          if (!anchor.ok()) return Fail(anchor.status().WithContext("--anchor"));
                          parsed.push_back(*anchor);
                        }
                        auto store = OpenNode(global);
                        if (!store) return kExitError;
                        auto result = store->VerifyAudit(parsed);
                        if (!result.ok()) return Fail(result.status());
                        if (!result->intact) {
                          return Fail(fmt::format("audit chain broken at record {}: {}",
                                                  result->first_bad_seq, result->problem));
                        }
                        fmt::print("audit chain intact: {} records{}\n", result->records,
                                   parsed.empty() ? "" : fmt::format(", {} anchors hold", parsed.size()));
                        if (result->history_lines + result->history_lines_unsealed > 0) {
                          fmt::print("request history intact: {} lines{}\n", result->history_lines,
                                     result->history_lines_unsealed == 0
                                         ? ""
                                         : fmt::format(" ({} older lines, written before they were sealed,"
                                                       " are not checked)",
                                                       result->history_lines_unsealed));
                        }
                        if (!result->head_hash.empty()) {
                          fmt::print("head: {}:{}\n", result->records, result->head_hash);
                        }
                        return kExitOk;
                      }});
  CLI::App* show = sub->add_subcommand("show", "Print the audit log, oldest first");
  commands.push_back({show, [&global] {
                        auto store = OpenNode(global);
                        if (!store) return kExitError;
                        Status s = store->ForEachAudit([](const AuditEntry& e) {
                          fmt::print("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", e.seq, e.time, e.actor,
                                     e.source_address, e.action, e.object, e.detail);
                          return Status::Ok();
                        });
                        return s.ok() ? kExitOk : Fail(s);
                      }});
}

}  // namespace accord::cli
