// bench/import: how fast indicators go from a STIX bundle into the store.
//
// Generates a synthetic STIX 2.1 bundle of N indicators (IPv4, domains, URLs,
// SHA-256, a mix like real feeds), then runs each phase in its own child
// process so that each phase's peak RSS is its own:
//   read     a read-only pass over the bytes (the ceiling for any importer)
//   parse    the streaming STIX reader with a sink that only counts
//   persist  the full `accord import` pipeline into a fresh SQLite node
//   floor    SQLite alone writing the same rows into a fresh node: per
//            indicator an observable, a link and a STIX object of the
//            bundle's sizes, with the same schema, indexes, pragmas and
//            commit points, by INSERT ... SELECT from rows made beforehand
//            in memory (untimed): no parsing, no statement per row, what
//            the store's schema costs before any of Accord's own work
// and reports rates and ratios. With --attack FILE it also imports a real
// bundle (the ATT&CK data in ../shared/data/stix) and reports objects/s.
//
// With --taxii N it measures TAXII for every event instead: a plain list of
// N values (the same mix) imported as one event (the baseline), then
//   project  RefreshDerivedStix: the event's report and N indicators, as
//            the server's background refresher makes them for TAXII
//   recheck  the same list imported again (the event is marked changed)
//            and refreshed: every object compared, none written
//   export   `accord export --format stix` of the node, for comparison
// each in its own child process, with rates and ratios to the import.
//
// Usage: bench_import [--indicators N]... [--dir DIR] [--attack FILE]
//                     [--batch-size B] [--batch-seconds S] [--taxii N]
// (when a transaction commits, as `accord import --batch-size/--batch-seconds`.)
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "common/child_phase.h"
#include "core/crypto.h"
#include "core/time.h"
#include "exchange/exchange.h"
#include "stix/stix.h"

namespace {

using Clock = std::chrono::steady_clock;

void GenerateBundle(const std::string& path, int64_t n) {
  std::ofstream out(path, std::ios::binary);
  out << "{\"type\":\"bundle\",\"id\":\"bundle--" << accord::UuidV5(accord::kAccordUuidNamespace, "bench:" + std::to_string(n))
      << "\",\"objects\":[";
  out << accord::TlpStixMarkingObject(accord::Tlp::kGreen);
  const std::string green(accord::TlpStixMarkingId(accord::Tlp::kGreen));
  for (int64_t i = 0; i < n; ++i) {
    std::string pattern;
    switch (i % 4) {
      case 0:
        pattern = fmt::format("[ipv4-addr:value = '{}.{}.{}.{}']", 1 + (i >> 24) % 223, (i >> 16) & 255,
                              (i >> 8) & 255, i & 255);
        break;
      case 1: pattern = fmt::format("[domain-name:value = 'host{}.bench-{}.example']", i, i % 1000); break;
      case 2: pattern = fmt::format("[url:value = 'http://site{}.example/gate{}.php']", i % 50000, i); break;
      default: pattern = fmt::format("[file:hashes.'SHA-256' = '{}']", accord::Sha256Hex(std::to_string(i))); break;
    }
    std::string id = accord::UuidV5(accord::kAccordUuidNamespace, "bench-ind:" + std::to_string(i));
    out << fmt::format(
        ",{{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--{}\","
        "\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\","
        "\"indicator_types\":[\"malicious-activity\"],\"pattern\":\"{}\",\"pattern_type\":\"stix\","
        "\"valid_from\":\"2026-01-01T00:00:00.000Z\",\"confidence\":{},\"object_marking_refs\":[\"{}\"]}}",
        id, pattern, i % 101, green);
  }
  out << "]}\n";
}

using accord::bench::PhaseResult;
using accord::bench::RunPhase;

struct CountingSink final : accord::RecordSink {
  int64_t indicators = 0;
  accord::Status OnEvent(accord::EventRecord) override { return accord::Status::Ok(); }
  accord::Status OnIndicator(accord::IndicatorRecord) override { ++indicators; return accord::Status::Ok(); }
  accord::Status OnStixObject(accord::StixObjectRecord) override { return accord::Status::Ok(); }
  accord::Status OnSighting(accord::SightingRecord) override { return accord::Status::Ok(); }
  accord::Status OnEventMembers(accord::EventMembers) override { return accord::Status::Ok(); }
  void OnReject(accord::Rejection) override {}
};

int64_t ReadOnly(const std::string& path) {
  auto in = accord::OpenInput(path);
  if (!in.ok()) return -1;
  std::string buf(1 << 20, '\0');
  int64_t total = 0;
  for (;;) {
    auto n = (*in)->Read(buf.data(), buf.size());
    if (!n.ok()) return -1;
    if (*n == 0) break;
    total += static_cast<int64_t>(*n);
  }
  return total;
}

int64_t ParseOnly(const std::string& path) {
  auto in = accord::OpenInput(path);
  if (!in.ok()) return -1;
  CountingSink sink;
  if (!accord::ReadStixBundle(**in, accord::StixReadOptions{path}, sink).ok()) return -1;
  return sink.indicators;
}

struct BatchPolicy {
  size_t values = accord::ImportOptions{}.batch_size;
  int64_t seconds = accord::ImportOptions{}.batch_seconds;
};

int64_t Persist(const std::string& path, const std::string& node_dir, const BatchPolicy& batch,
                int64_t* objects) {
  std::filesystem::remove_all(node_dir);
  // As `accord import` opens it.
  auto store = accord::OpenStore(
      {.data_dir = node_dir, .create = true, .cache_mib = accord::kBulkImportCacheMib});
  if (!store.ok()) return -1;
  accord::Organisation org{0, accord::UuidV4(), "Bench", "FR", "cert", "", "2026-01-01T00:00:00.000Z"};
  auto created = (*store)->CreateOrganisation(org);
  if (!created.ok()) return -1;
  accord::ImportOptions options;
  options.owner_org_id = created->id;
  options.batch_size = batch.values;
  options.batch_seconds = batch.seconds;
  accord::ImportReport report;
  accord::Status s = accord::ImportFile(**store, path, options, &report);
  if (!s.ok()) {
    fmt::print(stderr, "import failed: {}\n", s.ToString());
    return -1;
  }
  if (objects) *objects = report.stix_objects_new;
  return report.new_values + report.known_values;
}

// The floor phase (see the top of the file). Observables get consecutive
// ids in a fresh node, so each link names its observable by arithmetic, as
// the import's last_insert_rowid does, not by a lookup.
int64_t SqliteFloor(const std::string& node_dir, int64_t n, size_t batch_values, int64_t file_bytes) {
  std::filesystem::remove_all(node_dir);
  int64_t org_id = 0;
  {
    auto store = accord::OpenStore({.data_dir = node_dir, .create = true});
    if (!store.ok()) return -1;
    accord::Organisation org{0, accord::UuidV4(), "Bench", "FR", "cert", "", "2026-01-01T00:00:00.000Z"};
    auto created = (*store)->CreateOrganisation(org);
    if (!created.ok()) return -1;
    org_id = created->id;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((node_dir + "/accord.db").c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return -1;
  }
  auto exec = [db](const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return true;
    fmt::print(stderr, "floor: {}\n", error != nullptr ? error : "?");
    sqlite3_free(error);
    return false;
  };
  // The bundle's objects average this many bytes; each stored object is
  // padded to it.
  const int64_t object_bytes = file_bytes / std::max<int64_t>(n, 1);
  bool ok = exec(fmt::format("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-{};",
                             accord::kBulkImportCacheMib * 1024)) &&
            exec(fmt::format("INSERT INTO events(id, uuid, title, tlp, owner_org_id, created, modified, source)"
                             " VALUES (1, '{}', 'floor', 2, {}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',"
                             " 'stix:floor')",
                             accord::UuidV4(), org_id));
  // x*2654435761 mod 2^32 visits the keys in a scattered order, as the
  // bundle's random uuids and values do.
  const std::string generator =
      "WITH RECURSIVE g(x) AS (SELECT {0} UNION ALL SELECT x + 1 FROM g WHERE x + 1 < {1}),"
      " v(x, h, kind, value) AS (SELECT x, (x * 2654435761) % 4294967296, x % 4,"
      "   CASE x % 4 WHEN 0 THEN printf('%d.%d.%d.%d', 1 + (x >> 24) % 223, (x >> 16) & 255, (x >> 8) & 255, x & 255)"
      "   WHEN 1 THEN printf('host%d.bench-%d.example', x, x % 1000)"
      "   WHEN 2 THEN printf('http://site%d.example/gate%d.php', x % 50000, x)"
      "   ELSE printf('%016x%016x%016x%016x', (x * 2654435761) % 4294967296, (x * 40503) % 4294967296,"
      "               (x * 2246822519) % 4294967296, (x * 3266489917) % 4294967296) END FROM g)";
  // Each batch's rows are made first into a temporary table in memory, and
  // only the inserts from it and the commit are timed: SQLite's printf and
  // string functions that make them cost more than the inserts themselves.
  ok = ok && exec("PRAGMA temp_store=MEMORY");
  double timed_seconds = 0;
  for (int64_t start = 0; ok && start < n; start += static_cast<int64_t>(batch_values)) {
    const int64_t end = std::min<int64_t>(n, start + static_cast<int64_t>(batch_values));
    ok = exec("DROP TABLE IF EXISTS temp.src") &&
         exec("CREATE TEMP TABLE src AS " + fmt::format(fmt::runtime(generator), start, end) +
              fmt::format(" SELECT x, kind, value,"
                          " printf('indicator--%08x-0000-4000-8000-%012x', h, x) AS stix_id,"
                          " substr(printf('{{\"type\":\"indicator\",\"pattern\":\"[x = ''%s'']\",\"pad\":\"%.{}c\"}}',"
                          " value, 'x'), 1, {}) AS json FROM v",
                          object_bytes, object_bytes));
    const auto timed_start = Clock::now();
    ok = ok && exec("BEGIN") &&
         exec(fmt::format("INSERT INTO observables(type, value, created)"
                          " SELECT CASE kind WHEN 0 THEN {} WHEN 1 THEN {} WHEN 2 THEN {} ELSE {} END,"
                          " value, '2026-12-03T00:00:00Z' FROM src",
                          static_cast<int>(accord::ObservableType::kIpv4),
                          static_cast<int>(accord::ObservableType::kDomain),
                          static_cast<int>(accord::ObservableType::kUrl),
                          static_cast<int>(accord::ObservableType::kSha256))) &&
         exec("INSERT INTO links(event_id, observable_id, role, confidence, stix_id, is_indicator)"
              " SELECT 1, x + 1, 'malicious-activity', x % 101, stix_id, 1 FROM src") &&
         exec(fmt::format("INSERT INTO stix_objects(id, type, spec_version, created, modified, date_added,"
                          " tlp, owner_org_id, event_id, json, derived)"
                          " SELECT stix_id, 'indicator', '2.1', '2026-01-01T00:00:00.000Z',"
                          " '2026-01-01T00:00:00.000Z', printf('2026-12-03T00:00:00.%06dZ', x % 1000000),"
                          " 2, {}, 1, json, 0 FROM src",
                          org_id)) &&
         exec("COMMIT");
    timed_seconds += std::chrono::duration<double>(Clock::now() - timed_start).count();
  }
  // Every indicator's three rows are there, or the figure means nothing.
  sqlite3_stmt* count = nullptr;
  int64_t stored = -1;
  if (ok && sqlite3_prepare_v2(db, "SELECT (SELECT COUNT(*) FROM stix_objects) + (SELECT COUNT(*) FROM links)"
                               " + (SELECT COUNT(*) FROM observables)", -1, &count, nullptr) == SQLITE_OK &&
      sqlite3_step(count) == SQLITE_ROW) {
    stored = sqlite3_column_int64(count, 0);
  }
  sqlite3_finalize(count);
  sqlite3_close(db);
  // The phase's wall time includes making the rows; its count carries the
  // inserts' own time, in microseconds.
  return ok && stored == 3 * n ? static_cast<int64_t>(timed_seconds * 1e6) : -1;
}

// The bundle's value mix, one a line.
void GenerateList(const std::string& path, int64_t n) {
  std::ofstream out(path, std::ios::binary);
  for (int64_t i = 0; i < n; ++i) {
    switch (i % 4) {
      case 0: out << fmt::format("{}.{}.{}.{}\n", 1 + (i >> 24) % 223, (i >> 16) & 255, (i >> 8) & 255, i & 255); break;
      case 1: out << fmt::format("host{}.bench-{}.example\n", i, i % 1000); break;
      case 2: out << fmt::format("http://site{}.example/gate{}.php\n", i % 50000, i); break;
      default: out << accord::Sha256Hex(std::to_string(i)) << "\n"; break;
    }
  }
}

accord::Result<std::unique_ptr<accord::Store>> OpenNode(const std::string& node_dir) {
  return accord::OpenStore({.data_dir = node_dir, .create = false});
}

// The list into the node's one organisation, as `accord import` does.
int64_t ImportList(const std::string& list, const std::string& node_dir) {
  auto store = accord::OpenStore({.data_dir = node_dir, .create = false, .cache_mib = accord::kBulkImportCacheMib});
  if (!store.ok()) return -1;
  auto orgs = (*store)->ListOrganisations();
  if (!orgs.ok() || orgs->empty()) return -1;
  accord::ImportOptions options;
  options.owner_org_id = orgs->front().id;
  options.default_tlp = accord::Tlp::kGreen;
  accord::ImportReport report;
  accord::Status s = accord::ImportFile(**store, list, options, &report);
  if (!s.ok()) {
    fmt::print(stderr, "import failed: {}\n", s.ToString());
    return -1;
  }
  return report.new_values + report.known_values;
}

// Derived objects now stored (the report and the indicators).
int64_t Project(const std::string& node_dir) {
  auto store = OpenNode(node_dir);
  if (!store.ok()) return -1;
  auto refreshed = accord::RefreshDerivedStix(**store, accord::SystemClock().Now());
  if (!refreshed.ok() || *refreshed != 1) {
    fmt::print(stderr, "refresh failed: {}\n", refreshed.ok() ? "no event refreshed" : refreshed.status().ToString());
    return -1;
  }
  int64_t objects = 0;
  accord::StixObjectFilter filter;
  auto counted = (*store)->ForEachStixObject(filter, [&](const accord::StoredStixObject&) {
    ++objects;
    return accord::Status::Ok();
  });
  return counted.ok() ? objects : -1;
}

int64_t ExportStix(const std::string& node_dir) {
  auto store = OpenNode(node_dir);
  if (!store.ok()) return -1;
  auto orgs = (*store)->ListOrganisations();
  if (!orgs.ok() || orgs->empty()) return -1;
  accord::ExportOptions options;
  options.viewer = {orgs->front().id, accord::Role::kAdmin};
  std::ofstream out("/dev/null", std::ios::binary);
  accord::ExportReport report;
  if (!accord::Export(**store, options, out, &report).ok()) return -1;
  return report.indicators + report.objects;
}

int BenchTaxii(const std::string& dir, int64_t n) {
  const std::string list = fmt::format("{}/list-{}.txt", dir, n);
  if (!std::filesystem::exists(list)) GenerateList(list, n);
  const std::string node = fmt::format("{}/node-taxii-{}", dir, n);
  std::filesystem::remove_all(node);
  {
    auto store = accord::OpenStore({.data_dir = node, .create = true});
    if (!store.ok()) return 1;
    accord::Organisation org{0, accord::UuidV4(), "Bench", "FR", "cert", "", "2026-01-01T00:00:00.000Z"};
    if (!(*store)->CreateOrganisation(org).ok()) return 1;
  }
  auto imported = RunPhase([&] { return ImportList(list, node); });
  auto projected = RunPhase([&] { return Project(node); });
  const double db_mb = static_cast<double>(std::filesystem::file_size(node + "/accord.db")) / 1e6;
  auto reimported = RunPhase([&] { return ImportList(list, node); });
  auto rechecked = RunPhase([&] { return Project(node); });
  auto exported = RunPhase([&] { return ExportStix(node); });
  // Every value once, its indicator and the event's report; nothing new on
  // the recheck.
  if (imported.count != n || projected.count != n + 1 || rechecked.count != n + 1 || exported.count < n) {
    fmt::print(stderr, "count mismatch: imported {} projected {} rechecked {} exported {} for {} values\n",
               imported.count, projected.count, rechecked.count, exported.count, n);
    return 1;
  }
  fmt::print("| phase | values | s | values/s | / import | peak RSS MB |\n|---|---:|---:|---:|---:|---:|\n");
  auto row = [&](const char* name, const PhaseResult& phase) {
    fmt::print("| {} | {} | {:.2f} | {:.0f} | {:.2f} | {:.0f} |\n", name, n, phase.seconds, n / phase.seconds,
               phase.seconds / imported.seconds, phase.max_rss_kb / 1024.0);
  };
  row("import the list (baseline)", imported);
  row("project: report and indicators stored", projected);
  row("import again (known values)", reimported);
  row("recheck: compared, nothing written", rechecked);
  row("export --format stix", exported);
  fmt::print("\ndatabase after the projection: {:.0f} MB\n", db_mb);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> sizes;
  std::string dir = "/tmp/accord-bench-import";
  std::string attack;
  BatchPolicy batch;
  int64_t taxii = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--indicators" && i + 1 < argc) sizes.push_back(std::stoll(argv[++i]));
    else if (arg == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (arg == "--attack" && i + 1 < argc) attack = argv[++i];
    else if (arg == "--batch-size" && i + 1 < argc) batch.values = std::stoul(argv[++i]);
    else if (arg == "--batch-seconds" && i + 1 < argc) batch.seconds = std::stoll(argv[++i]);
    else if (arg == "--taxii" && i + 1 < argc) taxii = std::stoll(argv[++i]);
    else {
      fmt::print(stderr, "usage: bench_import [--indicators N]... [--dir DIR] [--attack FILE] [--batch-size B] [--batch-seconds S] [--taxii N]\n");
      return 2;
    }
  }
  if (taxii > 0) {
    std::filesystem::create_directories(dir);
    return BenchTaxii(dir, taxii);
  }
  if (sizes.empty()) sizes.push_back(1'000'000);
  std::filesystem::create_directories(dir);

  fmt::print("a transaction commits after {} values or {} s (0 = no time limit)\n\n",
             batch.values, batch.seconds);
  fmt::print("| indicators | file MB | read-only MB/s | parsed ind/s | persisted ind/s | persist / parse | SQLite floor ind/s | persist / floor | parse RSS MB | persist RSS MB |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (int64_t n : sizes) {
    const std::string bundle = fmt::format("{}/bundle-{}.json", dir, n);
    if (!std::filesystem::exists(bundle)) GenerateBundle(bundle, n);
    double mb = static_cast<double>(std::filesystem::file_size(bundle)) / 1e6;
    auto read = RunPhase([&] { return ReadOnly(bundle); });
    auto parse = RunPhase([&] { return ParseOnly(bundle); });
    auto persist = RunPhase([&] { return Persist(bundle, dir + "/node", batch, nullptr); });
    const auto file_bytes = static_cast<int64_t>(std::filesystem::file_size(bundle));
    auto floor = RunPhase([&] { return SqliteFloor(dir + "/node-floor", n, batch.values, file_bytes); });
    if (parse.count != n || persist.count != n || floor.count < 0) {
      fmt::print(stderr, "count mismatch: parsed {} persisted {} expected {} (floor {})\n", parse.count,
                 persist.count, n, floor.count);
      return 1;
    }
    const double floor_seconds = static_cast<double>(floor.count) / 1e6;
    double parse_rate = n / parse.seconds, persist_rate = n / persist.seconds, floor_rate = n / floor_seconds;
    fmt::print("| {} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.2f} | {:.0f} | {:.2f} | {:.0f} | {:.0f} |\n", n, mb,
               mb / read.seconds, parse_rate, persist_rate, persist_rate / parse_rate, floor_rate,
               persist_rate / floor_rate, parse.max_rss_kb / 1024.0, persist.max_rss_kb / 1024.0);
  }
  if (!attack.empty()) {
    int64_t objects = 0;
    auto persist = RunPhase([&] {
      int64_t o = 0;
      int64_t values = Persist(attack, dir + "/node-attack", batch, &o);
      return values < 0 ? -1 : o;
    });
    objects = persist.count;
    fmt::print("\nATT&CK bundle {}: {} STIX objects stored in {:.2f} s ({:.0f} objects/s), peak RSS {:.0f} MB\n",
               std::filesystem::path(attack).filename().string(), objects, persist.seconds,
               objects / persist.seconds, persist.max_rss_kb / 1024.0);
  }
  return 0;
}
