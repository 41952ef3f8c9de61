// accord match: telemetry files (or stdin) against every live indicator;
// alerts as NDJSON on stdout or --output, stored on the node, a summary by
// indicator, family and country on stderr.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "match/match.h"
#include "notify/notify.h"

namespace accord::cli {
namespace {

struct MatchCliOptions {
  std::vector<std::string> inputs;
  std::string format = "auto";
  std::string mapping;
  std::string output = "-";
  std::string org;
  std::vector<std::string> geoip;
  int64_t window = 3600;
  bool no_store = false;
  int top = 10;
  std::string webhook;
  std::string webhook_secret_file;
  int webhook_wait = 60;
};

// SIGINT and SIGTERM end a run the way the end of its input does: what
// was read is matched, the alerts are written to the node, the summary is
// printed. Killed outright, a run would lose the alerts not yet written. A
// second signal kills as usual (SA_RESETHAND). A signal handler reaches
// only static storage, hence these two.
volatile std::sig_atomic_t stop_signal = 0;
int stop_stdin_replacement = -1;  // /dev/null when stdin is read, else -1

void OnStopSignal(int signal_number) {
  const int saved_errno = errno;
  stop_signal = signal_number;
  // A read waiting on a quiet input (`tail -f log | accord match -`, a
  // FIFO) is interrupted (no SA_RESTART) and ends that input
  // (core/io: EINTR is an error); stdin is also pointed at /dev/null, in
  // case the signal came just before its read began. dup2 is
  // async-signal-safe.
  if (stop_stdin_replacement >= 0) ::dup2(stop_stdin_replacement, STDIN_FILENO);
  errno = saved_errno;
}

void StopOnSignals(bool reads_stdin) {
  if (reads_stdin) stop_stdin_replacement = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (int signal_number : {SIGINT, SIGTERM}) sigaction(signal_number, &action, nullptr);
}

// Alerts as NDJSON lines and, with --webhook, each new one POSTed: once
// stored as new when the run stores (another run or request opening the
// same alert at once notifies, not both; an alert stored earlier that this
// run counts into was sent then), else as it comes.
class NdjsonSink final : public match::AlertSink {
 public:
  NdjsonSink(std::ostream& out, notify::Webhook* webhook, bool stores)
      : out_(out), webhook_(webhook), stores_(stores) {}
  Status OnAlert(const match::Alert& alert) override {
    std::string json = alert.ToJson();
    out_ << json << '\n';
    if (!out_) return Status::IoError("alert output: write failed");
    if (!stores_ && !alert.continued) Notify(std::move(json));
    return Status::Ok();
  }
  Status OnStored(const match::Alert& alert) override {
    Notify(alert.ToJson());
    return Status::Ok();
  }
  // Another run or request stored the alert first: the line printed for it
  // named an id the node does not keep, so the alert is printed again as
  // stored (its id, first sighting, count). The webhook has had it already.
  Status OnFolded(const std::string&, const match::Alert& alert) override {
    out_ << alert.ToJson() << '\n';
    if (!out_) return Status::IoError("alert output: write failed");
    return Status::Ok();
  }
  int64_t sent() const { return sent_; }

 private:
  void Notify(std::string json) {
    if (webhook_ == nullptr) return;
    webhook_->Send(std::move(json));
    ++sent_;
  }

  std::ostream& out_;
  notify::Webhook* webhook_;
  const bool stores_;
  int64_t sent_ = 0;
};

// Forwards to the matcher and, on a terminal, shows how far it got. Before
// the reader waits for input, the alerts so far are flushed to `alerts`, so
// a pipe's reader (jq, a SIEM shipper) sees each one without delay.
class ProgressHandler final : public telemetry::RecordHandler {
 public:
  ProgressHandler(match::Matcher& matcher, std::ostream& alerts, bool show)
      : matcher_(matcher), alerts_(alerts), show_(show) {}
  ~ProgressHandler() override {
    if (shown_) fmt::print(stderr, "\n");
  }
  Status OnRecord(const telemetry::Record& record) override {
    if (show_ && (++records_ % 100000) == 0) {
      fmt::print(stderr, "\r{}: {} records, {} alerts", record.source, records_,
                 matcher_.summary().alerts);
      shown_ = true;
    }
    if (stop_signal != 0) return Status::FailedPrecondition("interrupted");
    return matcher_.OnRecord(record);
  }
  void OnMalformed(const telemetry::Malformed& malformed) override {
    matcher_.OnMalformed(malformed);
  }
  Status OnInputWait() override {
    RETURN_IF_ERROR(matcher_.OnInputWait());
    if (!alerts_.flush()) return Status::IoError("alert output: write failed");
    // After the flush, whose reader (a test, a shipper) may preempt this
    // process and signal it before the read that follows: checked here, a
    // signal in that moment still stops the run instead of being spent
    // before a read that would then wait for good.
    if (stop_signal != 0) return Status::FailedPrecondition("interrupted");
    return Status::Ok();
  }
  Status OnInputIdle() override { return matcher_.OnInputIdle(); }

 private:
  match::Matcher& matcher_;
  std::ostream& alerts_;
  bool show_;
  bool shown_ = false;
  int64_t records_ = 0;
};

void PrintTop(const std::string& title, const std::map<std::string, int64_t>& counts, int top) {
  if (counts.empty()) return;
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto& [name, count] : counts) sorted.emplace_back(-count, name);
  std::sort(sorted.begin(), sorted.end());
  fmt::print(stderr, "{}:\n", title);
  for (size_t row_idx = 0; row_idx < sorted.size() && static_cast<int>(row_idx) < top; ++row_idx) {
    fmt::print(stderr, "  {:>8}  {}\n", -sorted[row_idx].first, sorted[row_idx].second);
  }
  if (static_cast<int>(sorted.size()) > top) {
    fmt::print(stderr, "  ... and {} more\n", sorted.size() - static_cast<size_t>(top));
  }
}

int RunMatch(const GlobalOptions& global, const MatchCliOptions& cli) {
  telemetry::ReaderOptions reader;
  auto format = telemetry::ParseFormatName(cli.format);
  if (!format) return Fail(fmt::format("--format: unknown format '{}'", cli.format));
  reader.format = *format;
  if (!cli.mapping.empty()) {
    auto mapping = telemetry::ParseFieldMapping(cli.mapping);
    if (!mapping.ok()) return Fail(mapping.status().WithContext("--map"));
    reader.mapping = std::move(mapping).value();
  }
  // Hits read their events from the store by point lookups.
  auto store = OpenNode(global, StoreOptions{.map_for_reads = true});
  if (!store) return kExitError;
  auto principal = LocalPrincipal(*store, cli.org);
  if (!principal.ok()) return Fail(principal.status());

  SystemClock clock;
  auto snapshot = match::OpenSnapshot(*store, ResolveDataDir(global), clock.Now());
  if (!snapshot.ok()) return Fail(snapshot.status());
  std::unique_ptr<geo::GeoDatabase> geo;
  if (!cli.geoip.empty()) {
    // Named files fail the command at once if they cannot be opened.
    auto opened = geo::OpenGeoDatabases(cli.geoip);
    if (!opened.ok()) return Fail(opened.status());
    geo = std::move(opened).value();
  } else {
    // Debian's Tor ranges are parsed only when a first alert needs a
    // country: a log with no hit is matched without that startup cost.
    geo = geo::OpenGeoDatabasesOnFirstLookup({}, [](const Status& status) {
      fmt::print(stderr, "accord: no GeoIP data ({}); alerts carry no country\n", status.message());
    });
  }
  auto router = match::Router::Create(*store, std::move(geo));
  if (!router.ok()) return Fail(router.status());

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (cli.output != "-") {
    file.open(cli.output, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(fmt::format("{}: cannot open for writing", cli.output));
    out = &file;
  }
  std::unique_ptr<notify::Webhook> webhook;
  if (!cli.webhook.empty()) {
    auto secret = ReadSecretFile("--webhook-secret-file", cli.webhook_secret_file);
    if (!secret.ok()) return Fail(secret.status());
    auto started = notify::Webhook::Start({.url = cli.webhook, .secret = *secret});
    if (!started.ok()) return Fail(started.status().WithContext("--webhook"));
    webhook = std::move(started).value();
  } else if (!cli.webhook_secret_file.empty()) {
    return Fail("--webhook-secret-file: no --webhook to sign for");
  }
  NdjsonSink sink(*out, webhook.get(), !cli.no_store);
  match::MatchOptions options;
  options.viewer = *principal;
  options.window_seconds = cli.window;
  options.store_alerts = !cli.no_store;
  options.actor = LocalActor();
  match::Matcher matcher(*store, *snapshot, **router, options, sink, clock);
  ProgressHandler progress(matcher, *out, StderrIsTerminal());
  std::vector<std::string> inputs = cli.inputs.empty() ? std::vector<std::string>{"-"} : cli.inputs;
  StopOnSignals(std::find(inputs.begin(), inputs.end(), "-") != inputs.end());

  int64_t bytes = 0;
  // MatchFiles drives the matcher; progress wraps it.
  Status status = Status::Ok();
  // The progress wrapper is the handler the readers see.
  status = match::MatchFiles(inputs, reader, progress, &bytes);
  const int stopped_by = stop_signal;
  if (stopped_by != 0 && !status.ok()) {
    // Stopping ends the input being read (and refuses the next record);
    // anything else that went wrong before is still said.
    if (status.message().find("interrupted") == std::string::npos) {
      fmt::print(stderr, "accord: {}\n", status.message());
    }
    status = Status::Ok();  // the summary of what was read, then 128 + signal
  }
  Status flushed = matcher.Flush();
  out->flush();
  // Alerts already printed and stored still go out before an error is
  // reported: a receiver should not miss what the run found.
  Status delivered = Status::Ok();
  if (webhook) {
    const notify::WebhookStats sent = webhook->Drain(std::chrono::seconds(cli.webhook_wait));
    const int64_t undelivered = sink.sent() - sent.delivered;
    fmt::print(stderr, "webhook: {} alerts delivered{}\n", sent.delivered,
               sent.retries > 0 ? fmt::format(" ({} retries)", sent.retries) : "");
    if (undelivered > 0) {
      delivered = Status::IoError(fmt::format(
          "webhook: {} alerts not delivered{}", undelivered,
          sent.last_error.empty() ? "" : fmt::format(" (last error: {})", sent.last_error)));
    }
  }
  if (!flushed.ok()) return Fail(flushed);
  // A file not read whole still leaves a summary of what was read first.
  if (!status.ok() && status.code() != Status::Code::kIoError) return Fail(status);

  const match::MatchSummary& summary = matcher.summary();
  fmt::print(stderr,
             "matched {} records ({} MB, {} values) against {} live indicators: {} hits, {} alerts{}, "
             "{} malformed records skipped\n",
             summary.records, bytes / 1000000, summary.candidates, (*snapshot)->indicator_count(),
             summary.hits, summary.alerts,
             summary.continued_alerts > 0
                 ? fmt::format(" ({} of them stored earlier and counted into)", summary.continued_alerts)
                 : "",
             summary.malformed);
  for (const telemetry::Malformed& bad : matcher.malformed_examples()) {
    fmt::print(stderr, "  malformed {}:{}: {}\n", bad.source, bad.line, bad.reason);
  }
  if (summary.unreadable_hits > 0) {
    fmt::print(stderr, "{} hits on indicators this organisation may not read were not alerted\n",
               summary.unreadable_hits);
  }
  if (summary.warning_listed > 0) {
    fmt::print(stderr,
               "{} hits through a network or parent domain were not alerted: the value seen is on "
               "a warning list\n",
               summary.warning_listed);
  }
  PrintTop("by indicator", summary.by_indicator, cli.top);
  PrintTop("by family", summary.by_family, cli.top);
  PrintTop("by country", summary.by_country, cli.top);
  if (!status.ok()) return Fail(status);
  if (!delivered.ok()) return Fail(delivered);
  // Also a signal that came while the alerts were written or delivered.
  if (const int stopped = stop_signal; stopped != 0) {
    fmt::print(stderr, "accord: stopped by {} after {} records{}\n",
               stopped == SIGINT ? "SIGINT" : "SIGTERM", summary.records,
               cli.no_store ? "" : "; the alerts found are stored");
    return 128 + stopped;
  }
  // Not one line could be read: most likely the wrong --format (or a file
  // that is no telemetry). Finished, but it refused everything.
  if (summary.records == 0 && summary.malformed > 0) {
    fmt::print(stderr, "accord: no record could be read ({} malformed); is --format right?\n",
               summary.malformed);
    return kExitRefused;
  }
  return kExitOk;
}

}  // namespace

void RegisterMatch(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  auto options = std::make_shared<MatchCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "match",
      "Match telemetry (DNS, proxy, flow, file-hash and sensor logs) against every live indicator; "
      "alerts as NDJSON on stdout, stored on the node, summary on stderr");
  sub->add_option("files", options->inputs,
                  "Files or quoted globs; gzip and zstd are read directly, and every file in a tar, 7z or "
                  "zip; - or none for stdin");
  sub->add_option("--format", options->format,
                  "auto (default), text, ndjson (or json, jsonl), zeek, zeek-json, suricata (or eve), "
                  "csv, windows-dns (Windows DNS Server's debug log), squid (Squid's access.log) or kv (key=value "
                  "lines: firewalls, logfmt)")
      ->check(CLI::IsMember({"auto", "text", "ndjson", "json", "jsonl", "zeek", "zeek-json", "suricata",
                             "eve", "eve.json", "csv", "windows-dns", "windns", "squid", "kv", "logfmt"},
                            CLI::ignore_case));
  sub->add_option("--map", options->mapping,
                  "NDJSON/CSV fields: FIELD=ROLE,... where ROLE is domain, url, ip, ipv4, ipv6, "
                  "md5, sha1, sha256, hash, email, auto, victim or time (e.g. "
                  "query=domain,client=victim,ts=time)");
  sub->add_option("--output,-o", options->output, "Write alerts to this file instead of stdout");
  sub->add_option("--org", options->org,
                  "Match as this organisation: alerts name only events it may read "
                  "(default: the node's operator organisation)");
  sub->add_option("--geoip", options->geoip,
                  "GeoIP data: a .mmdb file (country and ASN) or tor:IPV4_FILE[,IPV6_FILE]; "
                  "repeat to layer; default Debian's tor-geoipdb ranges")
      ->allow_extra_args(false);
  sub->add_option("--window", options->window,
                  "Seconds within which repeats of one indicator for one victim fold into one "
                  "alert, also one an earlier run stored that nobody has acknowledged (default 3600)")
      ->check(CLI::Range(int64_t{0}, int64_t{365} * 86400));
  sub->add_flag("--no-store", options->no_store,
                "Do not store alerts and sightings on the node (print only)");
  sub->add_option("--top", options->top, "Rows per summary table (default 10)");
  sub->add_option("--webhook", options->webhook,
                  "POST each alert (one JSON object, as printed) to this http(s) URL as it is found; "
                  "retried on errors; the exit code says if any was not delivered")
      ->envname("ACCORD_WEBHOOK_URL");
  sub->add_option("--webhook-secret-file", options->webhook_secret_file,
                  "Sign each webhook body with the secret in this file: header X-Accord-Signature: "
                  "sha256=<hex HMAC-SHA256 of the body>")
      ->envname("ACCORD_WEBHOOK_SECRET_FILE");
  sub->add_option("--webhook-wait", options->webhook_wait,
                  "Seconds to wait at the end for undelivered webhook alerts (default 60)")
      ->check(CLI::Range(0, 86400));
  commands.push_back({sub, [&global, options] { return RunMatch(global, *options); }});
}

}  // namespace accord::cli
