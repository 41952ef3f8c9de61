// accord stealer: infostealer takedown operations. Ingest stealer logs and
// partner C2 lists, report, write takedown and notification packages, purge
// personal data past retention, check a password's or username's exposure,
// and generate synthetic logs for trials.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "geo/geo.h"
#include "stealer/ingest.h"
#include "stealer/synth.h"

namespace accord::cli {
namespace {

struct StealerOptions {
  std::string operation;
  std::string org;
  std::vector<std::string> paths;
  std::string password;
  std::string retention;
  std::string tlp;
  std::vector<std::string> share_with;
  std::vector<std::string> geoip;
  std::string output;
  std::vector<std::string> kinds;
  std::vector<std::string> formats;
  bool as_json = false;
  bool check_username = false;
  // synth
  int64_t machines = 100;
  uint64_t seed = 1;
  std::vector<std::string> families;
  int credentials = 50;
  double utf16 = 0, cp1252 = 0, duplicates = 0, variants = 0;
  std::string variant;
};

std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const std::string& value : values) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      if (comma > start) items.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return items;
}

int RunIngest(const GlobalOptions& global, const StealerOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto principal = LocalPrincipal(*store, options.org);
  if (!principal.ok()) return Fail(principal.status().WithContext("--org"));
  if (options.paths.empty() && options.tlp.empty() && options.share_with.empty()) {
    return Fail("paths: give the folders, archives or C2 lists to ingest (or only --tlp or --share-with to "
                "change who reads the operation)");
  }
  stealer::IngestOptions ingest;
  if (!options.tlp.empty()) {
    ingest.tlp = ParseTlp(options.tlp);
    if (!ingest.tlp) return Fail("--tlp '" + options.tlp + "': clear, green, amber, amber+strict or red");
  }
  for (const std::string& name : SplitList(options.share_with)) {
    auto recipient = store->FindOrganisationByName(name);
    if (!recipient.ok()) return Fail(recipient.status().WithContext("--share-with"));
    if (!*recipient) return Fail("--share-with: no organisation '" + name + "' on this node");
    ingest.share_with_org_ids.push_back((*recipient)->id);
  }
  ingest.operation = options.operation;
  ingest.org_id = principal->org_id;
  ingest.actor = LocalActor();
  ingest.source.password = options.password;
  if (!options.retention.empty()) {
    std::string days = options.retention;
    if (!days.empty() && days.back() == 'd') days.pop_back();
    char* end = nullptr;
    const long long value = std::strtoll(days.c_str(), &end, 10);
    if (days.empty() || *end != '\0' || value < 1 || value > 36500) {
      return Fail("--retention '" + options.retention + "': a number of days, e.g. 180 or 180d");
    }
    ingest.retention_days = value;
  }
  auto geo = geo::OpenGeoDatabases(options.geoip);
  std::unique_ptr<geo::GeoDatabase> database;
  if (geo.ok()) {
    database = std::move(geo).value();
    ingest.geo = database.get();
  } else if (!options.geoip.empty()) {
    return Fail(geo.status().WithContext("--geoip"));
  }
  const bool terminal = StderrIsTerminal();
  ingest.on_progress = [terminal](int64_t machines, int64_t credentials) {
    if (terminal) fmt::print(stderr, "\r{} machines, {} credentials", machines, credentials);
  };
  // A path that is not there is a mistake in the command, not a problem of
  // the logs: refused before anything is read.
  for (const std::string& path : options.paths) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return Fail(path + ": no such file or folder");
  }
  SystemClock clock;
  auto report = stealer::Ingest(*store, ingest, options.paths, clock);
  if (terminal) fmt::print(stderr, "\n");
  if (!report.ok()) return Fail(report.status());
  for (const stealer::SourceProblem& problem : report->problems) {
    fmt::print(stderr, "{}: {}\n", ForTerminal(problem.path), ForTerminal(problem.reason));
  }
  fmt::print("operation {}: {} machines read, {} new victims, {} already known, {} credentials, "
             "{} C2 servers ({} rejected), {} problems\n",
             options.operation, report->machines, report->new_victims, report->duplicates,
             report->credentials, report->c2_servers, report->c2_rejected, report->problems.size());
  for (const auto& [family, count] : report->by_family) fmt::print("  {}\t{}\n", family, count);
  return report->problems.empty() ? kExitOk : kExitRefused;
}

// The operation named by --operation, as a local admin sees it.
Result<StealerOperation> Operation(Store& store, const std::string& name) {
  ASSIGN_OR_RETURN(auto operation, store.FindStealerOperation(name));
  if (!operation) {
    return Status::NotFound("--operation: no operation named '" + name +
                            "' (see `accord stealer operations`)");
  }
  return *operation;
}

int RunReport(const GlobalOptions& global, const StealerOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto operation = Operation(*store, options.operation);
  if (!operation.ok()) return Fail(operation.status());
  auto summary = stealer::SummaryReport(*store, *operation);
  if (!summary.ok()) return Fail(summary.status());
  if (options.as_json) {
    fmt::print("{}\n", summary->dump(2));
    return kExitOk;
  }
  const nlohmann::json& s = *summary;
  fmt::print("Operation {} (created {}, personal data kept {} days)\n", operation->name,
             operation->created, operation->retention_days);
  fmt::print("{} victims ({} purged), {} credentials, {} services, {} C2 servers\n",
             s["victims"].get<int64_t>(), s["victims_purged"].get<int64_t>(),
             s["credentials"].get<int64_t>(), s["services"].get<int64_t>(),
             s["c2_servers"].get<int64_t>());
  fmt::print("\nVictims by country and family:\n");
  for (const auto& [country, families] : s["victims_by_country_and_family"].items()) {
    std::string line;
    for (const auto& [family, count] : families.items()) {
      line += fmt::format(" {} {}", family, count.get<int64_t>());
    }
    fmt::print("  {}\t{}\t{}\n", country, s["victims_by_country"][country].get<int64_t>(), line);
  }
  fmt::print("\nTop services (accounts, victims):\n");
  int shown = 0;
  for (const auto& service : s["top_services"]) {
    if (++shown > 15) break;
    fmt::print("  {}\t{}\t{}\n", service["domain"].get<std::string>(),
               service["accounts"].get<int64_t>(), service["victims"].get<int64_t>());
  }
  fmt::print("\nC2 servers by hosting network:\n");
  for (const auto& group : s["c2_by_asn"]) {
    fmt::print("  {}\tAS{}\t{}\t{}\n", group["country"].get<std::string>(), group["asn"].get<int64_t>(),
               group["as_organisation"].get<std::string>(), group["servers"].get<int64_t>());
  }
  fmt::print("\nInfections by day:\n");
  for (const auto& [day, count] : s["timeline"].items()) fmt::print("  {}\t{}\n", day, count.get<int64_t>());
  return kExitOk;
}

int RunPackage(const GlobalOptions& global, const StealerOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto operation = Operation(*store, options.operation);
  if (!operation.ok()) return Fail(operation.status());
  stealer::PackageOptions package;
  auto kinds = SplitList(options.kinds);
  if (!kinds.empty()) {
    package.takedown = package.victims = package.services = package.summary = false;
    for (const std::string& kind : kinds) {
      if (kind == "takedown") package.takedown = true;
      else if (kind == "victims") package.victims = true;
      else if (kind == "services") package.services = true;
      else if (kind == "summary") package.summary = true;
      else return Fail("--kind '" + kind + "': takedown, victims, services or summary");
    }
  }
  auto formats = SplitList(options.formats);
  if (!formats.empty()) {
    package.formats.clear();
    for (const std::string& format : formats) {
      if (format == "json") package.formats.push_back(stealer::PackageFormat::kJson);
      else if (format == "csv") package.formats.push_back(stealer::PackageFormat::kCsv);
      else if (format == "stix") package.formats.push_back(stealer::PackageFormat::kStix);
      else return Fail("--format '" + format + "': json, csv or stix");
    }
  }
  auto written = stealer::WritePackages(*store, *operation, package, options.output, SystemClock());
  if (!written.ok()) return Fail(written.status());
  for (const std::string& file : written->files) fmt::print("{}/{}\n", options.output, file);
  fmt::print(stderr, "{} files written\n", written->files.size());
  return kExitOk;
}

int RunPurge(const GlobalOptions& global, const StealerOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto purged = stealer::PurgeExpired(*store, options.operation, LocalActor(), SystemClock());
  if (!purged.ok()) return Fail(purged.status());
  for (const auto& [name, count] : *purged) fmt::print("{}\t{} victims purged\n", name, count);
  return kExitOk;
}

int RunCheck(const GlobalOptions& global, const StealerOptions& options) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  // Read from standard input, never from a flag: a secret on the command
  // line ends up in shell history and process listings.
  if (isatty(STDIN_FILENO)) {
    fmt::print(stderr, "{} (then Enter): ", options.check_username ? "Username or e-mail" : "Password");
  }
  std::string secret;
  std::getline(std::cin, secret);
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) {
    return Fail(std::string("nothing to check: give the ") +
                (options.check_username ? "username or e-mail address" : "password") + " on standard input");
  }
  const std::string digest = options.check_username ? stealer::UsernameDigest(secret)
                                                     : stealer::PasswordDigest(secret);
  std::fill(secret.begin(), secret.end(), '\0');
  // As a range client does: only the prefix goes to the store.
  auto counts = store->ExposureRange(options.check_username, digest.substr(0, 5));
  if (!counts.ok()) return Fail(counts.status());
  for (const ExposureCount& count : *counts) {
    if (count.suffix == digest.substr(5)) {
      fmt::print("exposed: seen {} times in ingested stealer logs\n", count.count);
      return kExitRefused;
    }
  }
  fmt::print("not found in ingested stealer logs\n");
  return kExitOk;
}

int RunSynth(const StealerOptions& options) {
  stealer::SynthOptions synth;
  synth.machines = options.machines;
  synth.seed = options.seed;
  synth.credentials_per_machine = options.credentials;
  synth.utf16_share = options.utf16;
  synth.cp1252_share = options.cp1252;
  synth.duplicate_machine_share = options.duplicates;
  synth.variant_share = options.variants;
  synth.variant = options.variant;
  const std::vector<std::string> families = SplitList(options.families);
  for (const std::string& name : families) {
    auto family = stealer::ParseFamily(name);
    if (!family) return Fail("--families '" + name + "': redline, meta, vidar, lumma, raccoon or stealc");
    synth.families.push_back(*family);
  }
  Status written = stealer::WriteSynthetic(options.output, synth);
  if (!written.ok()) return Fail(written);
  fmt::print("{} synthetic machines in {} (ground truth: {}/ground-truth.json)\n", synth.machines,
             options.output, options.output);
  return kExitOk;
}

int RunOperations(const GlobalOptions& global) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto operations = store->ListStealerOperations();
  if (!operations.ok()) return Fail(operations.status());
  for (const StealerOperation& operation : *operations) {
    fmt::print("{}\t{}\tretention {} days\n", operation.name, operation.created, operation.retention_days);
  }
  return kExitOk;
}

}  // namespace

void RegisterStealer(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand("stealer", "Infostealer takedown operations");
  sub->require_subcommand(1);
  auto o = std::make_shared<StealerOptions>();

  CLI::App* ingest = sub->add_subcommand(
      "ingest", "Read stealer logs (folders, zip/7z/tar/gz/rar, nested) and partner C2 lists (.csv, STIX .json)");
  ingest->add_option("--operation", o->operation, "Operation name (created on first use)")->required();
  ingest->add_option("paths", o->paths,
                     "Folders, archives, C2 lists (none: only --tlp or --share-with for the operation)");
  ingest->add_option("--org", o->org, "Coordinating organisation (default: the node's operator)");
  ingest->add_option("--password", o->password, "Password of encrypted zip archives");
  ingest->add_option("--retention", o->retention, "Days personal data is kept (new operations: 180)");
  ingest->add_option("--tlp", o->tlp,
                     "TLP of the operation's C2 event, which is what the operation is read as "
                     "(default: the level it has; amber for a new one)");
  ingest->add_option("--share-with", o->share_with,
                     "Organisations (names, comma-separated or repeated) that may read the operation "
                     "besides its coordinator, at AMBER or RED: recipients of its C2 event")
      ->allow_extra_args(false);
  // One value per --geoip: the paths that follow are the folders to ingest.
  ingest->add_option("--geoip", o->geoip, ".mmdb file or tor:V4[,V6] ranges (repeatable; default Debian's tor-geoipdb)")
      ->allow_extra_args(false);
  commands.push_back({ingest, [&global, o] { return RunIngest(global, *o); }});

  CLI::App* report = sub->add_subcommand(
      "report", "Victims per country and family, top services, C2 servers, time line");
  report->add_option("--operation", o->operation, "Operation name")->required();
  report->add_flag("--json", o->as_json, "The summary as JSON");
  commands.push_back({report, [&global, o] { return RunReport(global, *o); }});

  CLI::App* package = sub->add_subcommand(
      "package", "Write takedown (per hosting ASN/country), victim (per country) and service (per domain) packages");
  package->add_option("--operation", o->operation, "Operation name")->required();
  package->add_option("--output", o->output, "Folder to write (created)")->required();
  package->add_option("--kind", o->kinds, "takedown,victims,services,summary (default all)");
  package->add_option("--format", o->formats, "json,csv,stix (default all; STIX for takedown)");
  commands.push_back({package, [&global, o] { return RunPackage(global, *o); }});

  CLI::App* purge = sub->add_subcommand(
      "purge", "Remove victims' personal data past each operation's retention (the server does it hourly)");
  purge->add_option("--operation", o->operation, "Only this operation");
  commands.push_back({purge, [&global, o] { return RunPurge(global, *o); }});

  CLI::App* check = sub->add_subcommand(
      "check", "Is a password (or with --username, a username/e-mail) in ingested logs? Reads it from stdin");
  check->add_flag("--username", o->check_username, "Check a username or e-mail address instead");
  commands.push_back({check, [&global, o] { return RunCheck(global, *o); }});

  CLI::App* synth = sub->add_subcommand(
      "synth", "Write synthetic stealer logs of every family with their ground truth (no real data)");
  synth->add_option("--output", o->output, "Folder to write")->required();
  synth->add_option("--machines", o->machines, "Machine folders (default 100)");
  synth->add_option("--seed", o->seed, "Same seed, same bytes");
  synth->add_option("--families", o->families, "redline,meta,vidar,lumma,raccoon,stealc (default all)");
  synth->add_option("--credentials", o->credentials, "Average credentials per machine (default 50)");
  synth->add_option("--utf16", o->utf16, "Share of machines written as UTF-16LE");
  synth->add_option("--cp1252", o->cp1252, "Share of machines written as Windows-1252");
  synth->add_option("--duplicates", o->duplicates, "Share of machines repeated later in the stream");
  synth->add_option("--variants", o->variants,
                    "Share of machines written in a real-world layout variant (reseller copies, "
                    "Lumma 2023, Raccoon v1, StealC v2, ...)");
  synth->add_option("--variant", o->variant,
                    "Only this variant (redline-reseller, vidar-reseller, lumma-no-banner, "
                    "lumma-2023, raccoon-v1, raccoon-v2-glued, stealc-v2)");
  commands.push_back({synth, [o] { return RunSynth(*o); }});

  CLI::App* operations = sub->add_subcommand("operations", "List operations");
  commands.push_back({operations, [&global] { return RunOperations(global); }});
}

}  // namespace accord::cli
