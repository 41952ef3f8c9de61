// accord import: STIX bundles, MISP events, CSV and plain lists.
#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "cli/cli.h"
#include "cli/fetch.h"
#include "exchange/exchange.h"

namespace accord::cli {
namespace {

struct ImportCliOptions {
  std::vector<std::string> files;
  std::string format = "auto";
  std::string tlp = "amber";
  bool tlp_given = false;
  std::string org;
  std::string share_with;
  std::string title;
  std::string event;
  size_t batch_size = ImportOptions{}.batch_size;
  int64_t batch_seconds = ImportOptions{}.batch_seconds;
  bool strict = false;
  bool quiet = false;
  int fetch_timeout_seconds = 60;
};

// A directory under the system's temporary one, removed with its contents
// when the object goes.
class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "accord-import-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      status_ = Status::IoError(fmt::format("cannot make a directory for downloads: {}", std::strerror(errno)));
    } else {
      path_ = pattern;
    }
  }
  ~TempDirectory() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  Status status_;
};

int RunImport(const GlobalOptions& global, const ImportCliOptions& cli) {
  auto store = OpenNode(global, StoreOptions{.cache_mib = kBulkImportCacheMib});
  if (!store) return kExitError;
  auto principal = LocalPrincipal(*store, cli.org);
  if (!principal.ok()) return Fail(principal.status());

  ImportOptions options;
  options.format = *ParseInputFormat(cli.format);
  options.default_tlp = *ParseTlp(cli.tlp);
  options.default_tlp_stated = cli.tlp_given;
  options.owner_org_id = principal->org_id;
  options.source_by_file_name = true;
  // Named a recipient of every AMBER and RED event the import writes: the
  // peer's stand-in, so a push sends them (a stand-in importing shares
  // with its own organisation, as over REST).
  if (!cli.share_with.empty()) {
    auto recipient = store->FindOrganisationByName(cli.share_with);
    if (!recipient.ok()) return Fail(recipient.status());
    if (!*recipient) return Fail(Status::NotFound("--share-with: no organisation '" + cli.share_with + "' on this node"));
    options.share_with_org_id = (*recipient)->id;
  } else {
    auto importer = store->FindOrganisationById(principal->org_id);
    if (!importer.ok()) return Fail(importer.status());
    if (*importer) options.share_with_org_id = (*importer)->shares_with_org_id;
  }
  options.title = cli.title;
  options.into_event = cli.event;
  options.actor = LocalActor();
  WarningListCache warning_lists;  // one compile for every file of the run
  options.warning_lists = &warning_lists;
  options.batch_size = cli.batch_size;
  options.batch_seconds = cli.batch_seconds;
  const bool show_progress = StderrIsTerminal() && !cli.quiet;
  options.on_progress = [show_progress](const ImportProgress& p) {
    if (!show_progress) return;
    if (p.bytes_total > 0) {
      fmt::print(stderr, "\r{}: {:3}%  {} values", p.source,
                 std::min<uint64_t>(100, p.bytes_read * 100 / p.bytes_total), p.values);
    } else {
      fmt::print(stderr, "\r{}: {} values", p.source, p.values);
    }
  };
  options.on_reject = [](const Rejection& r) {
    std::fflush(stdout);
    PrintRejection(r);
  };


  int exit_code = kExitOk;
  int64_t total_rejected = 0;
  // What to read, in order: local files, and URLs fetched one at a time
  // just before their import into a directory removed at the end (a MISP
  // feed by URL is thousands of events: never all on disk at once). The
  // file keeps the URL's name, so its event is the same one each day.
  struct Source {
    std::string path;  // a local file, or where the URL is downloaded
    std::string url;   // empty for local files
  };
  std::vector<Source> sources;
  std::optional<TempDirectory> downloads;
  size_t fetched_count = 0;
  auto fetch = [&](const std::string& url) -> Result<std::string> {
    if (!downloads) downloads.emplace();
    if (!downloads->ok()) return downloads->status();
    // One directory per URL: two feeds may both be ".../csv.zip".
    const std::string dir = downloads->path() + "/" + std::to_string(fetched_count++);
    std::error_code made;
    std::filesystem::create_directory(dir, made);
    const std::string file = dir + "/" + FeedFileName(url);
    if (show_progress) fmt::print(stderr, "{}: downloading\r", url);
    Status fetched = FetchToFile(url, file, cli.fetch_timeout_seconds);
    if (show_progress) fmt::print(stderr, "\r\033[K");
    if (!fetched.ok()) return fetched;
    return file;
  };
  for (const auto& argument : cli.files) {
    if (!IsHttpUrl(argument)) {
      Result<std::vector<std::string>> local = ImportSourcesOf(argument);
      if (!local.ok()) {
        Fail(local.status());
        exit_code = kExitError;
        continue;
      }
      for (std::string& path : *local) sources.push_back({std::move(path), ""});
      continue;
    }
    // A MISP feed by URL (".../feed-osint/manifest.json"): the events its
    // manifest lists, from beside it.
    if (FeedFileName(argument) == "manifest.json") {
      Result<std::string> manifest = fetch(argument);
      if (!manifest.ok()) {
        Fail(manifest.status());
        exit_code = kExitError;
        continue;
      }
      Result<std::vector<std::string>> events = MispFeedEventFiles(*manifest);
      if (events.ok()) {
        const std::string base = argument.substr(0, argument.rfind("manifest.json"));
        for (const std::string& name : *events) sources.push_back({"", base + name});
        continue;
      }
      sources.push_back({*manifest, argument});  // not a feed's: read as any file
      continue;
    }
    sources.push_back({"", argument});
  }
  // Removes a download once its import is over, however it ended.
  struct RemovedAfterwards {
    std::string dir;
    ~RemovedAfterwards() {
      std::error_code ignored;
      if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
    }
  };
  for (Source& source : sources) {
    RemovedAfterwards download;
    if (!source.url.empty()) {
      if (source.path.empty()) {
        Result<std::string> file = fetch(source.url);
        if (!file.ok()) {
          Fail(file.status());
          exit_code = kExitError;
          continue;
        }
        source.path = *file;
      }
      download.dir = std::filesystem::path(source.path).parent_path().string();
    }
    const std::string& path = source.path;
    const std::string& file = source.url.empty() ? source.path : source.url;
    auto summarize = [&](const std::string& name, const Status& status, const ImportReport& report) {
      if (show_progress) fmt::print(stderr, "\r\033[K");
      if (!status.ok()) {
        Fail(status);
        fmt::print(stderr,
                   "accord: {}: stopped; {} batch(es) holding {} values were committed before the "
                   "error; nothing after the last commit was stored\n",
                   name, report.batches_committed, report.values_committed);
        exit_code = kExitError;
        return;
      }
      total_rejected += report.rejected;
      // Listed values are among the new and known ones, not a fourth count.
      const std::string listed =
          report.warninglisted > 0 ? fmt::format(" ({} of these on warning lists)", report.warninglisted) : "";
      fmt::print("{}: {} ({}): {} new, {} already known{}, {} rejected", name, InputFormatName(report.format),
                 report.events == 1 ? "1 event" : fmt::format("{} events", report.events), report.new_values,
                 report.known_values, listed, report.rejected);
      if (report.not_matched > 0) fmt::print(", {} not matched", report.not_matched);
      if (report.stix_objects_new + report.stix_objects_known > 0) {
        fmt::print(", STIX objects {} new / {} known", report.stix_objects_new, report.stix_objects_known);
      }
      if (report.sightings > 0) fmt::print(", {} sightings", report.sightings);
      if (report.sightings_updated > 0) fmt::print(", {} sightings updated", report.sightings_updated);
      if (report.withdrawn > 0) fmt::print(", {} values withdrawn (revoked or no longer in a new version)", report.withdrawn);
      fmt::print("\n");
      std::fflush(stdout);  // keep each summary next to its file's rejections
    };
    // A tar (or 7z, or a zip of several files) of feeds: each file in it is
    // imported as if named alone, in one pass over the archive.
    if (IsArchiveOfFiles(path)) {
      Result<int64_t> files = ForEachArchiveMember(
          path,
          [&](InputStream& member) {
            ImportReport report;
            Status imported = ImportStream(*store, member, options, &report);
            if (report.binary) {
              // A picture or a PDF beside the feeds: nothing to read, and
              // nothing wrong with the archive.
              fmt::print("{}: skipped, {}\n", member.name(), imported.message().substr(member.name().size() + 2));
              return Status::Ok();
            }
            summarize(member.name(), imported, report);
            return Status::Ok();  // one bad file does not stop the others
          },
          file);
      if (!files.ok() || *files == 0) {
        Fail(files.ok() ? Status::Invalid(file + ": the archive holds no files") : files.status());
        exit_code = kExitError;
      }
      continue;
    }
    ImportReport report;
    summarize(file, ImportFile(*store, path, options, &report), report);
  }
  if (exit_code == kExitOk && cli.strict && total_rejected > 0) return kExitRefused;
  return exit_code;
}

}  // namespace

void RegisterImport(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  auto options = std::make_shared<ImportCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "import",
      "Import STIX 2.x bundles, MISP event JSON, CSV (with a header) or plain lists (one value a "
      "line); gzip and zstd are read directly, '-' reads standard input");
  sub->add_option("files", options->files,
                  "Files to import; a directory or an archive (tar, 7z, a zip of several files) "
                  "imports every file in it, a MISP feed (its directory or manifest.json) the events "
                  "its manifest lists, and an http(s) URL the file it serves")
      ->required();
  sub->add_option("--format", options->format, "Input format (auto detects it)")
      ->check(CLI::IsMember({"auto", "stix", "misp", "csv", "list", "records"}))
      ->capture_default_str();
  sub->add_option("--tlp", options->tlp,
                  "TLP for data that carries no marking (into an existing event of a wider level, "
                  "such values go to its companion at this level)")
      ->check([](const std::string& v) { return ParseTlp(v) ? "" : "unknown TLP level " + v; })
      ->each([options](const std::string&) { options->tlp_given = true; })
      ->capture_default_str();
  sub->add_option("--org", options->org,
                  "Organisation that owns the imported data (default: the operator)");
  sub->add_option("--share-with", options->share_with,
                  "Name this organisation a recipient of every TLP:AMBER and TLP:RED event the import "
                  "writes (a peer node's stand-in, so that a push sends them)");
  sub->add_option("--title", options->title, "Event title for CSV and list files (default: the file name, without .gz, .zst, .xz or .bz2), and for a STIX bundle's indicators that no report names");
  sub->add_option("--event", options->event,
                  "Put everything into this existing event of the organisation (its uuid); "
                  "its title, TLP and tags are kept (values their source marked more strictly go "
                  "into its companion event \"<title> (TLP:X values)\")");
  sub->add_option("--batch-size", options->batch_size,
                  "Commit after this many values (or --batch-seconds, whichever comes first)")
      ->check(CLI::Range(size_t{1}, size_t{10'000'000}))
      ->capture_default_str();
  sub->add_option("--batch-seconds", options->batch_seconds,
                  "Commit after this many seconds: the server's writes wait for an import's "
                  "transaction (5 s at most). 0 = no limit, for bulk loads on a quiet node")
      ->check(CLI::Range(int64_t{0}, int64_t{3600}))
      ->capture_default_str();
  sub->add_option("--fetch-timeout", options->fetch_timeout_seconds,
                  "Seconds to wait for a feed URL's server to connect or send more")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  sub->add_flag("--strict", options->strict, "Exit with 3 if any value was rejected");
  sub->add_flag("--quiet,-q", options->quiet, "No progress display");
  commands.push_back({sub, [&global, options] { return RunImport(global, *options); }});
}

}  // namespace accord::cli
