// GET /metrics and the structured log lines (server/observability.h): the
// formatters on their own, then a real server whose log lines are captured.
#include "server/observability.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <regex>

#include "server/rest_testing.h"
#include "testing/testing.h"

namespace accord::server {
namespace {

using testing::HttpResponse;
using testing::RestTest;

TEST(RouteLabelTest, PathsAreCountedUnderABoundedSetOfTemplates) {
  EXPECT_EQ(RouteLabel("/api/v1/events"), "/api/v1/events");
  EXPECT_EQ(RouteLabel("/api/v1/events/6f1c2d4e-0000-4000-8000-000000000001/indicators"),
            "/api/v1/events");
  EXPECT_EQ(RouteLabel("/taxii2/accord/collections/x/objects/"), "/taxii2");
  EXPECT_EQ(RouteLabel("/range/ABCDE"), "/range");
  EXPECT_EQ(RouteLabel("/healthz"), "/healthz");
  EXPECT_EQ(RouteLabel("/metrics"), "/metrics");
  // A client inventing paths cannot grow the label set.
  EXPECT_EQ(RouteLabel("/api/v1/made-up-1"), "/api/v1/other");
  EXPECT_EQ(RouteLabel("/api/v1/made-up-2/x"), "/api/v1/other");
  EXPECT_EQ(RouteLabel("/api/v2/events"), "/api/v1/other");
  EXPECT_EQ(RouteLabel("/events/abc"), "ui");
  EXPECT_EQ(RouteLabel("/assets/index-1234.js"), "ui");
}

TEST(LogWriterTest, JsonLinesLeadWithTimeLevelAndEventAndKeepFieldOrder) {
  LogWriter log(LogFormat::kJson, [](std::string_view) {});
  const std::string line =
      log.Format("2026-12-02T10:00:00.000Z", "info", "http.request",
                 {{"path", "/api/v1/events"}, {"status", int64_t{200}}, {"duration_ms", 1.5}});
  EXPECT_EQ(line, R"({"time":"2026-12-02T10:00:00.000Z","level":"info","event":"http.request",)"
                  R"("path":"/api/v1/events","status":200,"duration_ms":1.5})"
                  "\n");
  // Bytes that are not UTF-8 (a path can hold anything) do not break the line.
  const std::string odd = log.Format("t", "info", "e", {{"path", std::string("/x\xff\xfe")}});
  EXPECT_FALSE(nlohmann::json::parse(odd, nullptr, false).is_discarded()) << odd;
}

TEST(LogWriterTest, LogfmtQuotesValuesThatNeedItAndEscapesWhatTheyHold) {
  LogWriter log(LogFormat::kLogfmt, [](std::string_view) {});
  EXPECT_EQ(log.Format("2026-12-02T10:00:00.000Z", "info", "http.request",
                       {{"path", "/api/v1/events"}, {"status", int64_t{200}}, {"empty", ""}}),
            "time=2026-12-02T10:00:00.000Z level=info event=http.request path=/api/v1/events "
            "status=200 empty=\"\"\n");
  EXPECT_EQ(log.Format("t", "warn", "e", {{"message", "say \"hi\"\nback\\slash a=b"}}),
            "time=t level=warn event=e message=\"say \\\"hi\\\"\\nback\\\\slash a=b\"\n");
}

TEST(LogWriterTest, EachLineReachesTheSinkWhole) {
  std::vector<std::string> lines;
  LogWriter log(LogFormat::kJson, [&lines](std::string_view line) { lines.emplace_back(line); });
  log.Write("info", "one", {});
  log.Write("error", "two", {{"error", "disk full"}});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[1])["error"], "disk full");
  EXPECT_EQ(lines[0].back(), '\n');
  EXPECT_TRUE(
      std::regex_search(lines[0], std::regex(R"("time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")")))
      << lines[0];
}

TEST(ParseLogFormatTest, TakesJsonAndLogfmtOnly) {
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("logfmt"), LogFormat::kLogfmt);
  EXPECT_EQ(ParseLogFormat("JSON"), std::nullopt);
  EXPECT_EQ(ParseLogFormat("text"), std::nullopt);
}

// The value of one sample line ("name{labels} value"), or -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  const std::string prefix = series + " ";
  size_t at = 0;
  while ((at = text.find(prefix, at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      return std::stod(text.substr(at + prefix.size(), text.find('\n', at) - at - prefix.size()));
    }
    at += prefix.size();
  }
  return -1;
}

// accord_http_requests_total for one method, route and status code.
double Requests(const std::string& text, const std::string& method, const std::string& route,
                int code) {
  return Sample(text, "accord_http_requests_total{method=\"" + method + "\",route=\"" + route +
                          "\",code=\"" + std::to_string(code) + "\"}");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndEndInTheCount) {
  Metrics metrics;
  metrics.RecordRequest("GET", "/api/v1/events", 200, 0.003);
  metrics.RecordRequest("GET", "/api/v1/events/x", 200, 0.2);
  metrics.RecordRequest("GET", "/api/v1/events", 404, 45.0);  // past the last bound
  metrics.RecordRequest("BREW", "/api/v1/events", 200, 0.001);
  const std::string text = metrics.Render({});
  EXPECT_EQ(Requests(text, "GET", "/api/v1/events", 200), 2);
  EXPECT_EQ(Requests(text, "GET", "/api/v1/events", 404), 1);
  EXPECT_EQ(Requests(text, "other", "/api/v1/events", 200), 1);
  const std::string bucket =
      R"(accord_http_request_duration_seconds_bucket{route="/api/v1/events",le=")";
  EXPECT_EQ(Sample(text, bucket + "0.005\"}"), 2);
  EXPECT_EQ(Sample(text, bucket + "0.25\"}"), 3);
  EXPECT_EQ(Sample(text, bucket + "30\"}"), 3);
  EXPECT_EQ(Sample(text, bucket + "+Inf\"}"), 4);
  EXPECT_EQ(Sample(text, R"(accord_http_request_duration_seconds_count{route="/api/v1/events"})"),
            4);
  EXPECT_NEAR(Sample(text, R"(accord_http_request_duration_seconds_sum{route="/api/v1/events"})"),
              45.204, 1e-9);
  // Gauges that are not known are left out rather than reported as zero.
  EXPECT_EQ(text.find("accord_indicators_live"), std::string::npos);
}

// Log lines a running server wrote, as they arrive (the server logs a
// request after writing its answer, so a test waits for the line).
class CapturedLog {
 public:
  void Add(std::string_view line) {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.emplace_back(line);
    arrived_.notify_all();
  }
  // The first line holding every one of `parts`, waiting up to 10 s for it.
  std::optional<std::string> WaitFor(const std::vector<std::string>& parts) {
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<std::string> found;
    arrived_.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const std::string& line : lines_) {
        if (std::all_of(parts.begin(), parts.end(), [&line](const std::string& part) {
              return line.find(part) != std::string::npos;
            })) {
          found = line;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  std::string All() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string all;
    for (const std::string& line : lines_) all += line;
    return all;
  }

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  std::vector<std::string> lines_;
};

class ObservabilityTest : public RestTest {
 protected:
  ServerConfig Config() override {
    ServerConfig config;
    config.log_format = LogFormatName();
    config.log_sink = [log = log_](std::string_view line) { log->Add(line); };
    return config;
  }
  virtual std::string LogFormatName() { return "json"; }
  std::shared_ptr<CapturedLog> log_ = std::make_shared<CapturedLog>();
};

TEST_F(ObservabilityTest, EveryRequestIsOneJsonLineWithoutItsKeyQueryOrBody) {
  const std::string event = CreateEvent(analyst_a_, "green", {"c2.observability.example"});
  ASSERT_FALSE(event.empty());
  ASSERT_EQ(Get("/api/v1/events?tag=query-secret-42", analyst_a_).status, 200);
  std::optional<std::string> line =
      log_->WaitFor({"\"path\":\"/api/v1/events\"", "\"method\":\"GET\""});
  ASSERT_TRUE(line) << log_->All();
  const nlohmann::json parsed = nlohmann::json::parse(*line);
  EXPECT_EQ(parsed["level"], "info");
  EXPECT_EQ(parsed["event"], "http.request");
  EXPECT_EQ(parsed["status"], 200);
  EXPECT_EQ(parsed["remote"], "127.0.0.1");
  EXPECT_GE(parsed["duration_ms"].get<double>(), 0.0);
  ASSERT_TRUE(log_->WaitFor({"\"method\":\"POST\"", "\"status\":201"})) << log_->All();
  // Credentials travel in the Authorization header, search terms in the
  // query, indicator values in the body: none of them is logged.
  const std::string all = log_->All();
  const std::string secret = analyst_a_.substr(analyst_a_.find(':') + 1);
  EXPECT_EQ(all.find(secret), std::string::npos);
  EXPECT_EQ(all.find("Bearer"), std::string::npos);
  EXPECT_EQ(all.find("query-secret-42"), std::string::npos);
  EXPECT_EQ(all.find("c2.observability.example"), std::string::npos);
  // Health probes are not logged (they would drown the log).
  EXPECT_EQ(all.find("/healthz"), std::string::npos);
}

TEST_F(ObservabilityTest, MetricsCountRequestsTelemetryAndTheSnapshotInPrometheusFormat) {
  CreateEvent(analyst_a_, "green", {"cdn.evil.example"});
  AwaitSnapshot(1);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Get("/api/v1/events", analyst_a_).status, 200);
  ASSERT_EQ(node_.Get("/api/v1/no-such-thing", analyst_a_).status, 404);  // not in the OpenAPI file
  HttpResponse posted = Call("POST", "/api/v1/telemetry", analyst_a_,
                             RestTest::SuricataDns("10.0.0.5", "cdn.evil.example") +
                                 RestTest::SuricataDns("10.0.0.6", "benign.example.org"),
                             "application/x-ndjson");
  ASSERT_EQ(posted.status, 200) << posted.body;
  // A request is counted just before it is logged.
  ASSERT_TRUE(log_->WaitFor({"\"path\":\"/api/v1/telemetry\""})) << log_->All();

  HttpResponse metrics = Get("/metrics", "");
  ASSERT_EQ(metrics.status, 200);
  const std::string& text = metrics.body;
  EXPECT_GE(Requests(text, "GET", "/api/v1/events", 200), 3);
  EXPECT_EQ(Requests(text, "GET", "/api/v1/other", 404), 1);
  EXPECT_EQ(Requests(text, "POST", "/api/v1/telemetry", 200), 1);
  EXPECT_EQ(Sample(text, "accord_telemetry_records_total"), 2);
  EXPECT_EQ(Sample(text, "accord_alerts_total"), 1);
  EXPECT_EQ(Sample(text, "accord_indicators_live"), 1);
  EXPECT_GE(Sample(text, "accord_snapshot_age_seconds"), 0);
  EXPECT_GT(Sample(text, "process_start_time_seconds"), 1.7e9);

  // Every sample belongs to a family announced with HELP and TYPE, and
  // every line is a comment or "name{labels} value".
  const std::regex sample_line(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? -?[0-9.e+Inf-]+$)");
  std::set<std::string> typed;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "the last line has no newline";
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.rfind("# TYPE ", 0) == 0) {
      typed.insert(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, sample_line)) << line;
    std::string family = m[1];
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (family.ends_with(suffix) &&
          typed.count(family.substr(0, family.size() - std::strlen(suffix)))) {
        family = family.substr(0, family.size() - std::strlen(suffix));
      }
    }
    EXPECT_TRUE(typed.count(family)) << "no TYPE before " << line;
  }

  // And a stock parser reads it: Debian's python3-prometheus-client.
  testing::TempDir dir;
  testing::WriteFile(dir.Join("metrics.txt"), text);
  const std::string command =
      "/usr/bin/python3 -c 'import sys\nfrom prometheus_client.parser import "
      "text_string_to_metric_families as parse\nfamilies = list(parse(open(sys.argv[1]).read()))\n"
      "print(sum(len(f.samples) for f in families))' '" +
      dir.Join("metrics.txt") + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int rc = ::pclose(pipe);
  if (out.find("No module named") != std::string::npos) {
    GTEST_SKIP() << "python3-prometheus-client is not installed (scripts/setup.sh installs it)";
  }
  ASSERT_EQ(rc, 0) << out;
  const size_t samples = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) -
                         2 * typed.size();  // HELP and TYPE per family
  EXPECT_EQ(std::stoul(out), samples) << out;
}

class LogfmtTest : public ObservabilityTest {
 protected:
  std::string LogFormatName() override { return "logfmt"; }
};

TEST_F(LogfmtTest, RequestLinesAreLogfmtWhenAsked) {
  ASSERT_EQ(Get("/api/v1/whoami", analyst_a_).status, 200);
  std::optional<std::string> line = log_->WaitFor({"path=/api/v1/whoami"});
  ASSERT_TRUE(line) << log_->All();
  EXPECT_TRUE(
      std::regex_match(*line, std::regex(R"(time=\S+Z level=info event=http.request method=GET )"
                                         R"(path=/api/v1/whoami status=200 duration_ms=[0-9.e-]+ )"
                                         R"(bytes=\d+ remote=127\.0\.0\.1\n)")))
      << *line;
}

class QuietTest : public ObservabilityTest {
 protected:
  ServerConfig Config() override {
    ServerConfig config = ObservabilityTest::Config();
    config.access_log = false;
    return config;
  }
};

TEST_F(QuietTest, WithoutTheAccessLogRequestsAreStillCountedButNotLogged) {
  ASSERT_EQ(Get("/api/v1/whoami", analyst_a_).status, 200);
  // The count lands after the answer: poll /metrics for it.
  double counted = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (counted < 1 && std::chrono::steady_clock::now() < deadline) {
    counted = Requests(Get("/metrics", "").body, "GET", "/api/v1/whoami", 200);
  }
  EXPECT_EQ(counted, 1);
  EXPECT_EQ(log_->All().find("http.request"), std::string::npos) << log_->All();
}

TEST(ServerConfigTest, AnUnknownLogFormatIsRefusedByName) {
  testing::TempDir dir;
  ServerConfig config;
  config.data_dir = dir.Join("node");
  config.log_format = "xml";
  SystemClock clock;
  auto server = Server::Create(config, clock);
  ASSERT_FALSE(server.ok());
  // The node does not exist either; the format is checked first.
  EXPECT_NE(server.status().message().find("log format 'xml'"), std::string::npos)
      << server.status().ToString();
}

}  // namespace
}  // namespace accord::server
