// accord export: what an organisation may see, as STIX 2.1, CSV or MISP JSON,
// or its live indicators for sensors: a Zeek Intel file, Suricata datasets.
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "exchange/exchange.h"

namespace accord::cli {
namespace {

struct ExportCliOptions {
  std::string format = "stix";
  std::string output = "-";
  std::string org;
  std::string max_tlp;
  bool live_only = false;
};

int RunExport(const GlobalOptions& global, const ExportCliOptions& cli) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto principal = LocalPrincipal(*store, cli.org);
  if (!principal.ok()) return Fail(principal.status());
  ExportOptions options;
  options.format = *ParseExportFormat(cli.format);
  options.viewer = *principal;
  if (!cli.max_tlp.empty()) options.max_tlp = ParseTlp(cli.max_tlp);
  options.include_expired = !cli.live_only;

  ExportReport report;
  Status status;
  if (options.format == ExportFormat::kSuricata || options.format == ExportFormat::kMispFeed) {
    if (cli.output == "-") {
      return Fail(fmt::format("--format {} writes several files: give --output DIR", cli.format));
    }
    status = ExportToDirectory(*store, options, cli.output, &report);
  } else if (cli.output == "-") {
    status = Export(*store, options, std::cout, &report);
  } else {
    // Write beside the target and rename, so a failed export never leaves a
    // half-written file where a complete one is expected.
    const std::string tmp = cli.output + ".partial";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) return Fail(fmt::format("{}: cannot open for writing", cli.output));
      status = Export(*store, options, out, &report);
    }
    if (status.ok() && std::rename(tmp.c_str(), cli.output.c_str()) != 0) {
      status = Status::IoError(fmt::format("{}: cannot rename into place", cli.output));
    }
    if (!status.ok()) std::remove(tmp.c_str());
  }
  if (!status.ok()) return Fail(status);
  if (options.format == ExportFormat::kZeek || options.format == ExportFormat::kSuricata) {
    fmt::print(stderr,
               "exported {} live indicators from {} events ({} values the format cannot carry, "
               "{} events withheld by TLP)\n",
               report.indicators, report.events, report.skipped, report.withheld);
    return kExitOk;
  }
  // Values: indicators and, in STIX, the context values written as observables.
  fmt::print(stderr, "exported {} events, {} values, {} STIX objects ({} events withheld by TLP)\n",
             report.events, report.indicators, report.objects, report.withheld);
  return kExitOk;
}

}  // namespace

void RegisterExport(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  auto options = std::make_shared<ExportCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "export",
      "Write what an organisation may see as a STIX 2.1 bundle, CSV, MISP JSON or a MISP feed, or its live "
      "indicators as a Zeek Intel file or Suricata datasets and rules");
  sub->add_option("--format", options->format,
                  "stix, csv or misp; misp-feed (a MISP feed in the --output directory: "
                  "manifest.json, an event file each, hashes.csv); zeek (Intel framework file) or "
                  "suricata (datasets and accord.rules in the --output directory): live indicators only")
      ->check(CLI::IsMember({"stix", "csv", "misp", "misp-feed", "zeek", "suricata"}))
      ->capture_default_str();
  sub->add_option("--output,-o", options->output,
                  "Output file ('-' = standard output); a directory for misp-feed and suricata")
      ->capture_default_str();
  sub->add_option("--org", options->org,
                  "Export as this organisation sees the data (default: the operator)");
  sub->add_option("--max-tlp", options->max_tlp, "Leave out anything above this TLP level")
      ->check([](const std::string& v) { return ParseTlp(v) ? "" : "unknown TLP level " + v; });
  sub->add_flag("--live-only", options->live_only, "Leave out expired indicators");
  commands.push_back({sub, [&global, options] { return RunExport(global, *options); }});
}

}  // namespace accord::cli
