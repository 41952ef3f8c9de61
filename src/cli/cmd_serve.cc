// accord serve: the HTTP front door (REST, TAXII 2.1, health).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <signal.h>

#include <thread>

#include "cli/cli.h"
#include "cli/config_file.h"
#include "notify/notify.h"
#include "server/observability.h"
#include "server/server.h"

namespace accord::cli {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8470";
  int threads = 32;
  int max_threads = 0;  // 0: the larger of 512 and --threads
  size_t max_body_mb = 64;
  int read_timeout = 30;
  int write_timeout = 30;
  std::string tls_cert;
  std::string tls_key;
  std::string public_url;
  std::vector<std::string> geoip;
  int snapshot_refresh = 2;
  int request_clock = 60;
  std::string web_root;
  std::string alert_webhook;
  std::string alert_webhook_secret_file;
  std::string log_format = "json";
  bool access_log = true;
  std::string config;
};

// CLI11 reads configuration files for the top-level command only, so
// `serve` reads its own (cli/config_file.h).
Status ApplyConfigFile(CLI::App& serve, const std::string& path, GlobalOptions& global) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return Status::Invalid(fmt::format("--config {}: a directory, not a file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("--config {}: cannot read", path));
  // One byte past the parser's limit, so that it can say the file is too big.
  std::string text((1 << 20) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Status::IoError(fmt::format("--config {}: cannot read", path));
  text.resize(static_cast<size_t>(in.gcount()));
  return ApplyConfig(serve, text, path, "--config " + path, global.args, global.data_dir);
}

// A --geoip source whose files are not there: said as it is read, so a
// mistake in the config file is named with its line and key (the files are
// parsed when the server starts).
std::string MissingGeoipFile(const std::string& spec) {
  constexpr std::string_view kTor = "tor:";
  std::vector<std::string> paths;
  if (spec.starts_with(kTor)) {
    const std::string rest = spec.substr(kTor.size());
    const size_t comma = rest.find(',');
    paths.push_back(rest.substr(0, comma));
    if (comma != std::string::npos) paths.push_back(rest.substr(comma + 1));
  } else {
    paths.push_back(spec);
  }
  for (const std::string& path : paths) {
    std::error_code error;
    if (!path.empty() && !std::filesystem::is_regular_file(path, error)) return "no file " + path;
  }
  return "";
}

// The web UI installed beside the binary (the build copies web/dist there).
std::string DefaultWebRoot() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const auto candidate = exe.parent_path() / "web";
  return std::filesystem::is_regular_file(candidate / "index.html", ec) ? candidate.string() : "";
}

int RunServe(const GlobalOptions& global, const ServeOptions& cli) {
  ServerConfig config;
  config.data_dir = ResolveDataDir(global);
  if (Status s = ParseListenAddress(cli.listen, &config.host, &config.port); !s.ok()) return Fail(s);
  config.threads = cli.threads;
  config.max_threads = cli.max_threads == 0 ? std::max(512, cli.threads) : cli.max_threads;
  if (config.max_threads < cli.threads) {
    return Fail(fmt::format("--max-threads {} is below --threads {}", cli.max_threads, cli.threads));
  }
  config.max_body_bytes = cli.max_body_mb << 20;
  config.read_timeout_seconds = cli.read_timeout;
  config.write_timeout_seconds = cli.write_timeout;
  config.tls_cert_file = cli.tls_cert;
  config.tls_key_file = cli.tls_key;
  config.public_url = cli.public_url;
  config.geoip = cli.geoip;
  config.snapshot_refresh_seconds = cli.snapshot_refresh;
  config.request_clock_seconds = cli.request_clock;
  config.web_root = cli.web_root.empty() ? DefaultWebRoot() : cli.web_root;
  config.alert_webhook_url = cli.alert_webhook;
  auto secret = ReadSecretFile("--alert-webhook-secret-file", cli.alert_webhook_secret_file);
  if (!secret.ok()) return Fail(secret.status());
  if (!secret->empty() && cli.alert_webhook.empty()) {
    return Fail("--alert-webhook-secret-file: no --alert-webhook to sign for");
  }
  config.alert_webhook_secret = *secret;
  config.log_format = cli.log_format;
  config.access_log = cli.access_log;
  // The same format for this command's own lines (signals, stop).
  const server::LogWriter log(server::ParseLogFormat(cli.log_format).value_or(server::LogFormat::kJson), {});

  // Block the stop signals in every thread; one thread waits for them and
  // stops the server, so in-flight requests finish before we exit.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (cli.tls_cert.empty() != cli.tls_key.empty()) {
    return Fail("--tls-cert and --tls-key (tls_cert and tls_key in --config) go together: one is missing");
  }
  SystemClock clock;
  auto server = Server::Create(config, clock);
  if (!server.ok()) {
    if (server.status().code() == Status::Code::kNotFound) {
      return Fail(fmt::format("no node at {} (run `accord init --data {}` first)", config.data_dir,
                              config.data_dir));
    }
    return Fail(server.status());
  }
  if (Status s = (*server)->Start(); !s.ok()) return Fail(s);
  fmt::print("accord serve: listening on {}://{}:{} (data {})\n",
             cli.tls_cert.empty() ? "http" : "https", config.host, (*server)->port(), config.data_dir);
  std::fflush(stdout);

  std::thread signal_thread([&stop_signals, &server, &log] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log.Write("info", "server.stopping",
              {{"signal", static_cast<int64_t>(signal_number)},
               {"message", "finishing in-flight requests"}});
    (*server)->Stop();
  });
  (*server)->Wait();
  // Wake the signal thread if the server stopped on its own.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  log.Write("info", "server.stopped", {});
  return kExitOk;
}

}  // namespace

void RegisterServe(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* sub = app.add_subcommand(
      "serve", "Serve the REST API (/api/v1), TAXII 2.1 (/taxii2/) and health checks. Flags "
               "override the --config file (TOML, or YAML for *.yaml), which overrides ACCORD_* "
               "environment variables");
  sub->add_option("--config", options->config,
                  "Configuration file (TOML: listen = \"127.0.0.1:8470\", ...; YAML for *.yaml and "
                  "*.yml: listen: 127.0.0.1:8470; every flag's long name is a key, optionally in a "
                  "[serve] table or serve: mapping)")
      ->envname("ACCORD_CONFIG");
  // Checked as it is read, so that a bad value in the config file is
  // reported with the file and key, as the other checks are.
  const CLI::Validator listen_address(
      [](std::string& text) {
        std::string host;
        int port = 0;
        Status parsed = ParseListenAddress(text, &host, &port);
        return parsed.ok() ? std::string() : parsed.message();
      },
      "HOST:PORT");
  sub->add_option("--listen", options->listen, "Address and port to listen on")
      ->envname("ACCORD_LISTEN")->check(listen_address)->capture_default_str();
  sub->add_option("--threads", options->threads, "Worker threads always running")
      ->envname("ACCORD_THREADS")->check(CLI::Range(1, 1024))->capture_default_str();
  sub->add_option("--max-threads", options->max_threads,
                  "Workers when every one is busy: an open connection (keep-alive, a slow client) "
                  "holds one; those past --threads end after 30 s idle (default: 512, or --threads "
                  "if more)")
      ->envname("ACCORD_MAX_THREADS")->check(CLI::Range(1, 4096));
  sub->add_option("--max-body-mb", options->max_body_mb, "Largest request body accepted")
      ->envname("ACCORD_MAX_BODY_MB")->check(CLI::Range(1, 4096))->capture_default_str();
  sub->add_option("--read-timeout", options->read_timeout, "Seconds to wait for a request")
      ->envname("ACCORD_READ_TIMEOUT")->check(CLI::Range(1, 3600))->capture_default_str();
  sub->add_option("--write-timeout", options->write_timeout, "Seconds to wait for the client to read")
      ->envname("ACCORD_WRITE_TIMEOUT")->check(CLI::Range(1, 3600))->capture_default_str();
  sub->add_option("--tls-cert", options->tls_cert, "PEM certificate: serve HTTPS")
      ->envname("ACCORD_TLS_CERT");
  sub->add_option("--tls-key", options->tls_key, "PEM private key for --tls-cert")
      ->envname("ACCORD_TLS_KEY");
  const CLI::Validator http_url(
      [](std::string& text) {
        auto url = notify::ParseHttpUrl(text, "URL");
        return url.ok() ? std::string() : url.status().message();
      },
      "URL");
  sub->add_option("--public-url", options->public_url,
                  "URL clients reach this node at (for TAXII links), if not the listen address")
      ->envname("ACCORD_PUBLIC_URL")->check(http_url);
  sub->add_option("--geoip", options->geoip,
                  "GeoIP for telemetry alerts: a .mmdb file or tor:V4_FILE[,V6_FILE]; repeat to "
                  "layer (default: Debian's tor-geoipdb ranges)")
      ->envname("ACCORD_GEOIP")
      ->allow_extra_args(false)
      ->check(CLI::Validator(MissingGeoipFile, "SOURCE"));
  sub->add_option("--snapshot-refresh", options->snapshot_refresh,
                  "Seconds between checks for changed indicators (the match snapshot is rebuilt "
                  "in the background and swapped in)")
      ->envname("ACCORD_SNAPSHOT_REFRESH")->check(CLI::Range(1, 3600))->capture_default_str();
  sub->add_option("--request-clock", options->request_clock,
                  "Seconds between checks of the 24/7 request clocks (reminders before a "
                  "preservation expires, escalation of a missed acknowledgement)")
      ->envname("ACCORD_REQUEST_CLOCK")->check(CLI::Range(1, 3600))->capture_default_str();
  sub->add_option("--web-root", options->web_root,
                  "The built web UI to serve at / (default: web/ beside the binary, when present)")
      ->envname("ACCORD_WEB_ROOT");
  sub->add_option("--alert-webhook", options->alert_webhook,
                  "POST each new telemetry alert the operator organisation may read (as GET "
                  "/api/v1/alerts shows it) to this http(s) URL, retried on errors")
      ->envname("ACCORD_ALERT_WEBHOOK")->check(http_url);
  sub->add_option("--alert-webhook-secret-file", options->alert_webhook_secret_file,
                  "Sign each webhook body with the secret in this file: X-Accord-Signature: "
                  "sha256=<hex HMAC-SHA256 of the body>")
      ->envname("ACCORD_ALERT_WEBHOOK_SECRET_FILE");
  sub->add_option("--log-format", options->log_format,
                  "Log lines on stderr as JSON lines or logfmt: one per request (method, path, "
                  "status, duration; never headers, query or body) and per background event")
      ->envname("ACCORD_LOG_FORMAT")->check(CLI::IsMember({"json", "logfmt"}))->capture_default_str();
  sub->add_option("--access-log", options->access_log,
                  "Log every request (false: only background events and errors)")
      ->envname("ACCORD_ACCESS_LOG")->capture_default_str();
  commands.push_back({sub, [&global, options, sub] {
    if (!options->config.empty()) {
      if (Status applied = ApplyConfigFile(*sub, options->config, global); !applied.ok()) return Fail(applied);
    }
    return RunServe(global, *options);
  }});
}

}  // namespace accord::cli
