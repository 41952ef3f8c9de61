// bench/stealer: how fast stealer logs go from an archive into an operation.
//
// Writes N synthetic machines (every family, ~50 credentials each on
// average, some UTF-16 and Windows-1252) into one uncompressed tar, then
// runs each phase in its own child process so its peak RSS is its own:
//   read    a read-only pass over every entry with libarchive (the floor:
//           no parser can be faster than reading the bytes)
//   parse   ForEachMachine + ParseMachine, counting credentials, no store
//   ingest  the full `accord stealer ingest` pipeline into a fresh node
// and reports machines/s, credentials/s, the ratios to the baselines, and
// peak RSS. Several --machines values show whether memory stays flat.
//
// Usage: bench_stealer [--machines N]... [--credentials C] [--dir DIR]
#include <CLI/CLI.hpp>
#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/child_phase.h"
#include "stealer/ingest.h"
#include "stealer/synth.h"

namespace {

using accord::bench::PhaseResult;
using accord::bench::RunPhase;
namespace stealer = accord::stealer;

// Streams the machines into a tar as they are generated (memory flat).
int64_t WriteTar(const std::string& path, int64_t machines, int credentials) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (archive_write_open_filename(a, path.c_str()) != ARCHIVE_OK) return -1;
  stealer::SynthOptions options;
  options.machines = machines;
  options.seed = 2026;
  options.credentials_per_machine = credentials;
  options.utf16_share = 0.05;
  options.cp1252_share = 0.05;
  int64_t total = 0;
  accord::Status status = stealer::GenerateSynthetic(
      options, [&](const stealer::SynthMachine& machine, const stealer::MachineFiles& files) {
        total += static_cast<int64_t>(machine.credentials.size());
        for (const auto& [name, bytes] : files) {
          archive_entry* entry = archive_entry_new();
          archive_entry_set_pathname(entry, ("logs/" + machine.folder + "/" + name).c_str());
          archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
          archive_entry_set_filetype(entry, AE_IFREG);
          archive_entry_set_perm(entry, 0644);
          archive_write_header(a, entry);
          archive_write_data(a, bytes.data(), bytes.size());
          archive_entry_free(entry);
        }
        return accord::Status::Ok();
      });
  archive_write_close(a);
  archive_write_free(a);
  return status.ok() ? total : -1;
}

int64_t ReadOnly(const std::string& path) {
  archive* a = archive_read_new();
  archive_read_support_format_all(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) return -1;
  archive_entry* entry = nullptr;
  std::vector<char> buffer(1 << 16);
  int64_t bytes = 0;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    for (la_ssize_t n; (n = archive_read_data(a, buffer.data(), buffer.size())) > 0;) bytes += n;
  }
  archive_read_free(a);
  return bytes;
}

int64_t ParseOnly(const std::string& path) {
  int64_t credentials = 0;
  accord::Status status = stealer::ForEachMachine(
      path, {},
      [&](const std::string& machine, const stealer::MachineFiles& files) {
        auto log = stealer::ParseMachine(machine, files);
        if (log.ok()) credentials += static_cast<int64_t>(log->credentials.size());
        return accord::Status::Ok();
      },
      [](const stealer::SourceProblem&) {});
  return status.ok() ? credentials : -1;
}

int64_t IngestAll(const std::string& path, const std::string& node) {
  std::filesystem::remove_all(node);
  auto store = accord::OpenStore({node, true});
  if (!store.ok()) return -1;
  accord::Organisation org;
  org.name = "Bench";
  org.country = "NL";
  org.kind = "international";
  auto created = (*store)->CreateOrganisation(org);
  if (!created.ok()) return -1;
  stealer::IngestOptions options;
  options.operation = "bench";
  options.org_id = created->id;
  accord::SystemClock clock;
  auto report = stealer::Ingest(**store, options, {path}, clock);
  if (!report.ok()) {
    fmt::print(stderr, "ingest failed: {}\n", report.status().ToString());
    return -1;
  }
  return report->credentials;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> sizes;
  int credentials = 50;
  std::string dir = (std::filesystem::temp_directory_path() / "accord-bench-stealer").string();
  CLI::App app{"Stealer-log ingest benchmark: read-only, parse and ingest of N synthetic machines"};
  app.add_option("--machines", sizes, "Machines per run; repeat for several runs (default 10000 and 100000)")
      ->check(CLI::PositiveNumber);
  app.add_option("--credentials", credentials, "Average credentials per machine")->check(CLI::PositiveNumber);
  app.add_option("--dir", dir, "Scratch folder for the tar and the nodes");
  CLI11_PARSE(app, argc, argv);
  if (sizes.empty()) sizes = {10000, 100000};
  std::filesystem::create_directories(dir);
  fmt::print("| machines | credentials | tar MB | read-only MB/s | parsed cred/s | ingested machines/s | "
             "ingested cred/s | ingest / parse | parse RSS MB | ingest RSS MB |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|\n");
  for (int64_t machines : sizes) {
    const std::string tar = dir + "/logs-" + std::to_string(machines) + ".tar";
    const int64_t total = WriteTar(tar, machines, credentials);
    if (total < 0) return 1;
    const double mb = static_cast<double>(std::filesystem::file_size(tar)) / (1 << 20);
    PhaseResult read = RunPhase([&] { return ReadOnly(tar); });
    PhaseResult parse = RunPhase([&] { return ParseOnly(tar); });
    PhaseResult ingest = RunPhase([&] { return IngestAll(tar, dir + "/node"); });
    if (read.count < 0 || parse.count != total || ingest.count != total) {
      fmt::print(stderr, "count mismatch: generated {}, parsed {}, ingested {}\n", total, parse.count,
                 ingest.count);
      return 1;
    }
    const double parse_rate = static_cast<double>(total) / parse.seconds;
    const double ingest_rate = static_cast<double>(total) / ingest.seconds;
    fmt::print("| {} | {} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.2f} | {:.0f} | {:.0f} |\n", machines,
               total, mb, mb / read.seconds, parse_rate, static_cast<double>(machines) / ingest.seconds,
               ingest_rate, ingest_rate / parse_rate, parse.max_rss_kb / 1024.0, ingest.max_rss_kb / 1024.0);
    std::filesystem::remove(tar);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
