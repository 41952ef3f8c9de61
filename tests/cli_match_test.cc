// `accord match` as a user runs it: every telemetry format from files the
// test writes (gzip and globs included), alerts on stdout, the summary on
// stderr, constituency routing, and a bad line that does not stop a stream.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "testing/testing.h"
#include "testing/webhook_receiver.h"

extern char** environ;

namespace accord {
namespace {

using nlohmann::json;

using RunResult = testing::CliRun;

RunResult RunAccord(const std::string& args, const std::string& stdin_path = "/dev/null") {
  return testing::RunCli(ACCORD_BINARY, args, {"", "", stdin_path});
}

std::vector<json> Alerts(const std::string& ndjson) {
  std::vector<json> alerts;
  std::istringstream lines(ndjson);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) alerts.push_back(json::parse(line));
  }
  return alerts;
}

class CliMatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult init = RunAccord("init " + Data() + " --org CERT-DE --country DE --kind cert");
    ASSERT_EQ(init.exit_code, 0) << init.err;
    testing::WriteFile(Path("iocs.txt"),
                       "evil.example\n203.0.113.9\n198.51.100.0/24\n"
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
    RunResult imported = RunAccord("import " + Data() + " " + Path("iocs.txt"));
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    // 10.0.0.0/8 is DE.
    testing::WriteFile(Path("geoip"), "167772160,184549375,DE\n");
  }
  std::string Data() const { return "--data '" + dir_.Join("node") + "'"; }
  std::string Path(const std::string& name) const { return dir_.Join(name); }
  std::string Match(const std::string& args) {
    return "match " + Data() + " --geoip 'tor:" + Path("geoip") + "' " + args;
  }
  testing::TempDir dir_;
};

TEST_F(CliMatchTest, EveryFormatIsDetectedAndItsHitsBecomeAlerts) {
  testing::WriteFile(Path("eve.json"),
                     R"({"event_type":"dns","src_ip":"10.0.0.5","dns":{"type":"query","rrname":"a.evil.example"}})"
                     "\n");
  testing::WriteFile(Path("conn.log"),
                     "#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\n"
                     "#types\ttime\tstring\taddr\tport\taddr\tport\n"
                     "1767225600.0\tC1\t10.0.0.6\t5555\t203.0.113.9\t443\n");
  testing::WriteFile(Path("notes.txt"), "saw a beacon to 198.51.100.77 from the lab\n");
  testing::WriteFile(Path("hashes.csv"),
                     "sha256,host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,10.0.0.8\n");
  RunResult r = RunAccord(Match(Path("eve.json") + " " + Path("conn.log") + " " + Path("notes.txt") +
                          " " + Path("hashes.csv")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 4u) << r.out;
  EXPECT_EQ(alerts[0]["matched"], "evil.example");
  EXPECT_EQ(alerts[0]["kind"], "dns");
  EXPECT_EQ(alerts[0]["country"], "DE");
  EXPECT_EQ(alerts[0]["organisation"], "CERT-DE");
  EXPECT_EQ(alerts[1]["matched"], "203.0.113.9");
  EXPECT_EQ(alerts[1]["victim"], "10.0.0.6");
  EXPECT_EQ(alerts[1]["source"], Path("conn.log") + ":5");
  EXPECT_EQ(alerts[2]["matched"], "198.51.100.0/24");
  EXPECT_EQ(alerts[3]["type"], "sha256");
  EXPECT_NE(r.err.find("4 alerts"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("by country"), std::string::npos) << r.err;
}

TEST_F(CliMatchTest, NdjsonMappingGzipGlobsAndStdinAllWork) {
  const std::string lines =
      R"({"q":"x.evil.example","c":"10.0.0.5","t":"2026-01-01T00:00:00Z"})" "\n"
      R"({"q":"x.evil.example","c":"10.0.0.5","t":"2026-01-01T00:10:00Z"})" "\n";
  testing::WriteFile(Path("one.ndjson"), lines);
  ASSERT_EQ(std::system(("gzip -k '" + Path("one.ndjson") + "'").c_str()), 0);
  RunResult r = RunAccord(Match("--format ndjson --map q=domain,c=victim,t=time --no-store '" +
                          Path("one.ndjson.g*") + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 1u);  // the repeat within the window is folded
  EXPECT_EQ(alerts[0]["victim"], "10.0.0.5");
  RunResult from_stdin =
      RunAccord(Match("--format ndjson --map q=domain,c=victim --no-store"), Path("one.ndjson"));
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(Alerts(from_stdin.out).size(), 1u);
  // The names the server's `format` parameter accepts work here too.
  RunResult jsonl = RunAccord(Match("--format JSONL --map q=domain,c=victim --no-store"), Path("one.ndjson"));
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_EQ(Alerts(jsonl.out).size(), 1u);
}

TEST_F(CliMatchTest, EachLogInATarGzIsMatchedAndAlertsNameTheLogInsideTheArchive) {
  std::filesystem::create_directories(Path("day"));
  testing::WriteFile(Path("day/dns.ndjson"), R"({"query":"x.evil.example","client":"10.0.0.5"})" "\n");
  testing::WriteFile(Path("day/proxy.log"), "2026-01-01 10.0.0.7 GET http://203.0.113.9/a\n");
  ASSERT_EQ(std::system(("tar -czf '" + Path("day.tar.gz") + "' -C '" + Path("") + "' day").c_str()), 0);
  RunResult r = RunAccord(Match("--no-store '" + Path("day.tar.gz") + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 2u) << r.out;
  std::set<std::string> sources;
  for (const json& alert : alerts) sources.insert(alert["source"].get<std::string>());
  EXPECT_EQ(sources, (std::set<std::string>{Path("day.tar.gz") + "/day/dns.ndjson:1",
                                            Path("day.tar.gz") + "/day/proxy.log:1"}))
      << r.out;
}

TEST_F(CliMatchTest, UnmappedNdjsonStillRoutesByItsClientAndDatesByItsTime) {
  testing::WriteFile(Path("dns.ndjson"),
                     R"({"ts":"2026-01-01T00:00:00Z","client":"10.0.0.5","query":"x.evil.example"})" "\n");
  RunResult r = RunAccord(Match("--format ndjson --no-store " + Path("dns.ndjson")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 1u) << r.out;
  EXPECT_EQ(alerts[0]["matched"], "evil.example");
  EXPECT_EQ(alerts[0]["victim"], "10.0.0.5");
  EXPECT_EQ(alerts[0]["country"], "DE");  // routed by the victim's address
  EXPECT_EQ(alerts[0]["first_seen"], "2026-01-01T00:00:00.000Z");  // the record's time, not now
}

TEST_F(CliMatchTest, AConstituencyRoutesItsNetworkToItsOrganisation) {
  ASSERT_EQ(RunAccord("org create CERT-Uni " + Data() + " --country DE --kind cert").exit_code, 0);
  RunResult added = RunAccord("org constituency add " + Data() + " CERT-Uni 10.1.0.0/16");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(RunAccord("org constituency add " + Data() + " CERT-Uni 10.1.0.0/33").exit_code, 1);
  RunResult listed = RunAccord("org constituency list " + Data());
  EXPECT_NE(listed.out.find("CERT-Uni\t10.1.0.0/16"), std::string::npos) << listed.out;
  testing::WriteFile(Path("eve.json"),
                     R"({"event_type":"dns","src_ip":"10.1.2.3","dns":{"rrname":"evil.example"}})" "\n"
                     R"({"event_type":"dns","src_ip":"10.2.0.1","dns":{"rrname":"evil.example"}})" "\n");
  RunResult r = RunAccord(Match(Path("eve.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0]["organisation"], "CERT-Uni");
  EXPECT_EQ(alerts[1]["organisation"], "CERT-DE");
}

TEST_F(CliMatchTest, MalformedLinesAreReportedWithTheirPositionAndSkipped) {
  testing::WriteFile(Path("eve.json"),
                     "{\"event_type\":\"dns\",\"src_ip\":\"10.0.0.5\",\"dns\":{\"rrname\":\"a.evil.example\"}}\n"
                     "{\"event_type\": \"dns\", \"broken\n"
                     "{\"event_type\":\"dns\",\"src_ip\":\"10.0.0.6\",\"dns\":{\"rrname\":\"b.evil.example\"}}\n");
  RunResult r = RunAccord(Match("--format suricata " + Path("eve.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Alerts(r.out).size(), 2u);
  EXPECT_NE(r.err.find("1 malformed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("eve.json:2"), std::string::npos) << r.err;
  // Not one line read (a Zeek conn.log given as Suricata): refused, exit 3.
  testing::WriteFile(Path("conn.log"), "not json at all\nnor this\n");
  RunResult wrong = RunAccord(Match("--format suricata " + Path("conn.log")));
  EXPECT_EQ(wrong.exit_code, 3) << wrong.err;
  EXPECT_NE(wrong.err.find("is --format right?"), std::string::npos) << wrong.err;
}

TEST_F(CliMatchTest, MissingFilesAndBadFlagsFailWithAReason) {
  RunResult missing = RunAccord(Match(Path("absent.log")));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("absent.log"), std::string::npos) << missing.err;
  EXPECT_NE(RunAccord(Match("--format pcap x")).exit_code, 0);
  RunResult bad_map = RunAccord(Match("--map nonsense " + Path("iocs.txt")));
  EXPECT_EQ(bad_map.exit_code, 1);
  EXPECT_NE(bad_map.err.find("--map"), std::string::npos) << bad_map.err;
}

// A log still being compressed by rotation (a truncated .gz) or a missing
// file among many: the other files are still matched and summed up, and
// the run then fails naming the file.
TEST_F(CliMatchTest, AFileThatBreaksOffDoesNotStopTheFilesAfterIt) {
  std::string big;
  for (int line_idx = 0; line_idx < 20000; ++line_idx) {
    big += R"({"event_type":"dns","src_ip":"10.0.0.)" + std::to_string(line_idx % 200) +
           R"(","dns":{"type":"query","rrname":"host)" + std::to_string(line_idx) + R"(.example"}})" "\n";
  }
  testing::WriteFile(Path("rotated.json"), big);
  ASSERT_EQ(std::system(("gzip -k '" + Path("rotated.json") + "'").c_str()), 0);
  const std::string gz = Path("rotated.json.gz");
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) - 20);
  testing::WriteFile(Path("after.json"),
                     R"({"event_type":"dns","src_ip":"10.0.0.7","dns":{"type":"query","rrname":"b.evil.example"}})"
                     "\n");
  RunResult r = RunAccord(Match("--no-store '" + gz + "' '" + Path("absent.log") + "' '" + Path("after.json") + "'"));
  EXPECT_EQ(r.exit_code, 1);
  std::vector<json> alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 1u) << r.err;
  EXPECT_EQ(alerts[0]["victim"], "10.0.0.7");
  EXPECT_NE(r.err.find("matched "), std::string::npos) << r.err;  // the summary
  EXPECT_NE(r.err.find("2 of 3 inputs not read to the end"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rotated.json.gz"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("absent.log"), std::string::npos) << r.err;
}

// `accord ARGS` through /bin/sh with its stdout a pipe back to the test and,
// with `feed_stdin`, its stdin a pipe from it: a live run the test talks to
// while the run's input stays open.
struct LiveRun {
  pid_t pid = 0;
  int to_stdin = -1;  // the write end of its stdin, -1 without feed_stdin
  int from_stdout = -1;
};

LiveRun StartLive(const std::string& args, bool feed_stdin) {
  LiveRun run;
  int to_child[2] = {-1, -1};
  int from_child[2] = {-1, -1};
  if ((feed_stdin && pipe(to_child) != 0) || pipe(from_child) != 0) {
    ADD_FAILURE() << "pipe failed";
    return run;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (feed_stdin) {
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_addclose(&actions, to_child[1]);
  }
  posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
  posix_spawn_file_actions_addclose(&actions, from_child[0]);
  const std::string command = std::string("exec '") + ACCORD_BINARY + "' " + args;
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  if (posix_spawn(&run.pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ) != 0) {
    ADD_FAILURE() << "cannot start " << command;
  }
  posix_spawn_file_actions_destroy(&actions);
  if (feed_stdin) {
    close(to_child[0]);
    run.to_stdin = to_child[1];
  }
  close(from_child[1]);
  run.from_stdout = from_child[0];
  return run;
}

// The first line the run prints, read while its input stays open; a
// generous bound only keeps a broken build from hanging the suite.
std::string FirstLine(const LiveRun& run) {
  std::string out;
  while (out.find('\n') == std::string::npos) {
    pollfd ready{run.from_stdout, POLLIN, 0};
    if (poll(&ready, 1, 60000) != 1) {
      ADD_FAILURE() << "no line while the input stayed open; got: " << out;
      return "";
    }
    char buffer[4096];
    const ssize_t n = read(run.from_stdout, buffer, sizeof buffer);
    if (n <= 0) {
      ADD_FAILURE() << "output closed before a line; got: " << out;
      return "";
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  return out.substr(0, out.find('\n'));
}

// Closes what the test holds of the run and waits for it: its wait status.
int Finish(LiveRun& run) {
  if (run.to_stdin >= 0) close(run.to_stdin);
  int status = 0;
  EXPECT_EQ(waitpid(run.pid, &status, 0), run.pid);
  close(run.from_stdout);
  return status;
}

std::string ReadText(const std::string& path) {
  std::ifstream file(path);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

const std::string kDnsLine = R"({"query":"cdn.evil.example","client":"10.0.0.5"})" "\n";

TEST_F(CliMatchTest, AnAlertFromAPipeIsPrintedBeforeTheInputEnds) {
  // `tail -F dns.log | accord match -`: the writer keeps the pipe open, and
  // the alert for a line must come out while it does, not at the end.
  LiveRun run = StartLive(Match("--no-store --map query=domain,client=victim - 2>/dev/null"), true);
  ASSERT_EQ(write(run.to_stdin, kDnsLine.data(), kDnsLine.size()), static_cast<ssize_t>(kDnsLine.size()));
  const std::string line = FirstLine(run);
  ASSERT_FALSE(line.empty());
  const json alert = json::parse(line);
  EXPECT_EQ(alert["matched"], "evil.example");
  EXPECT_EQ(alert["source"], "<stdin>:1");
  const int status = Finish(run);  // the pipe closes: the run ends as usual
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// `tail -F dns.log | accord match -` runs for days: a hit is on the node
// (sightings, alerts feed, web UI) as soon as the stream goes quiet, and
// SIGTERM (systemctl stop) or Ctrl-C ends the run with its summary, as the
// end of the input would, instead of killing it between store writes.
TEST_F(CliMatchTest, AQuietPipesHitIsStoredAtOnceAndSigtermEndsTheRunWithItsSummary) {
  LiveRun run = StartLive(Match("--map query=domain,client=victim - 2>'" + Path("stderr") + "'"), true);
  ASSERT_EQ(write(run.to_stdin, kDnsLine.data(), kDnsLine.size()), static_cast<ssize_t>(kDnsLine.size()));
  ASSERT_FALSE(FirstLine(run).empty());
  // The alert is printed after it is written: the node has its sighting
  // while the run still waits for input.
  RunResult searched = RunAccord("search " + Data() + " --json evil.example");
  ASSERT_EQ(searched.exit_code, 0) << searched.err;
  const json found = json::parse(searched.out);
  ASSERT_EQ(found["sightings"].size(), 1u) << searched.out;
  EXPECT_EQ(found["sightings"][0]["count"], 1);

  ASSERT_EQ(kill(run.pid, SIGTERM), 0);
  const int status = Finish(run);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM) << status;
  const std::string err = ReadText(Path("stderr"));
  EXPECT_NE(err.find("matched 1 records"), std::string::npos) << err;
  EXPECT_NE(err.find("1 alerts"), std::string::npos) << err;
  EXPECT_NE(err.find("stopped by SIGTERM"), std::string::npos) << err;
}

// `accord match /run/sensor.fifo` under systemd: SIGTERM while the read
// waits on the FIFO ends the run with its summary too (only stdin could be
// swapped for /dev/null; the interrupted read ends the FIFO's input).
TEST_F(CliMatchTest, SigtermEndsARunWaitingOnAFifo) {
  const std::string fifo = Path("sensor.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  LiveRun run =
      StartLive(Match("--map query=domain,client=victim '" + fifo + "' 2>'" + Path("stderr") + "'"), false);
  // Opening the write end waits for the reader, so the run has begun.
  const int writer = open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(writer, 0);
  ASSERT_EQ(write(writer, kDnsLine.data(), kDnsLine.size()), static_cast<ssize_t>(kDnsLine.size()));
  ASSERT_FALSE(FirstLine(run).empty());
  ASSERT_EQ(kill(run.pid, SIGTERM), 0);
  const int status = Finish(run);
  close(writer);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM) << status;
  const std::string err = ReadText(Path("stderr"));
  EXPECT_NE(err.find("matched 1 records"), std::string::npos) << err;
  EXPECT_NE(err.find("stopped by SIGTERM"), std::string::npos) << err;
}

// Today's log after yesterday's: a host still beaconing within the window
// counts into the alert the first run stored (same id, growing count),
// and the summary says so.
TEST_F(CliMatchTest, ASecondRunCountsRepeatsIntoTheAlertTheFirstStored) {
  testing::WriteFile(Path("monday.log"), R"({"query":"cdn.evil.example","client":"10.0.0.5","ts":1767225600})" "\n");
  testing::WriteFile(Path("tuesday.log"),
                     R"({"query":"www.evil.example","client":"10.0.0.5","ts":1767226600})" "\n"
                     R"({"query":"www.evil.example","client":"10.0.0.9","ts":1767226600})" "\n");
  RunResult first = RunAccord(Match("--map query=domain,client=victim,ts=time " + Path("monday.log")));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::vector<json> first_alerts = Alerts(first.out);
  ASSERT_EQ(first_alerts.size(), 1u);
  testing::WebhookReceiver receiver;
  RunResult second = RunAccord(Match("--map query=domain,client=victim,ts=time --webhook " +
                                     receiver.Url() + " " + Path("tuesday.log")));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::vector<json> second_alerts = Alerts(second.out);
  ASSERT_EQ(second_alerts.size(), 2u) << second.out;
  EXPECT_EQ(second_alerts[0]["id"], first_alerts[0]["id"]);
  EXPECT_EQ(second_alerts[0]["count"], 2);
  EXPECT_EQ(second_alerts[0]["seen"], "cdn.evil.example") << "the alert keeps its first sighting";
  EXPECT_NE(second_alerts[1]["id"], first_alerts[0]["id"]);
  EXPECT_NE(second.err.find("2 alerts (1 of them stored earlier and counted into)"), std::string::npos)
      << second.err;
  // The webhook heard of the first alert when it was new: only the new one.
  auto requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(json::parse(requests[0].body)["id"], second_alerts[1]["id"]);
}

using testing::WebhookReceiver;

TEST_F(CliMatchTest, EachAlertIsPostedToTheWebhookSignedWithTheSecret) {
  WebhookReceiver receiver;
  testing::WriteFile(Path("secret"), "s3cret\n");
  testing::WriteFile(Path("notes.txt"),
                     "beacon to 198.51.100.77 from 10.0.0.5\nlookup of a.evil.example by 10.0.0.6\n");
  RunResult r = RunAccord(Match("--no-store --webhook " + receiver.Url() + " --webhook-secret-file '" +
                                Path("secret") + "' " + Path("notes.txt")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> printed = Alerts(r.out);
  ASSERT_EQ(printed.size(), 2u) << r.out;
  auto requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  for (size_t i = 0; i < requests.size(); ++i) {
    // The same alert as printed, signed with the file's secret (its newline
    // is not part of it).
    EXPECT_EQ(json::parse(requests[i].body), printed[i]);
    EXPECT_EQ(requests[i].get_header_value("X-Accord-Signature"),
              "sha256=" + HmacSha256Hex("s3cret", requests[i].body));
  }
  EXPECT_NE(r.err.find("webhook: 2 alerts delivered"), std::string::npos) << r.err;
}

TEST_F(CliMatchTest, AnUnreachableWebhookFailsTheRunButAlertsAreStillPrinted) {
  int closed_port = 0;
  {
    WebhookReceiver gone;
    closed_port = gone.port();
  }
  testing::WriteFile(Path("notes.txt"), "beacon to 198.51.100.77 from 10.0.0.5\n");
  RunResult r = RunAccord(Match("--no-store --webhook-wait 1 --webhook http://127.0.0.1:" +
                                std::to_string(closed_port) + "/alerts " + Path("notes.txt")));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(Alerts(r.out).size(), 1u) << r.out;
  EXPECT_NE(r.err.find("1 alerts not delivered"), std::string::npos) << r.err;
  RunResult bad = RunAccord(Match("--webhook ftp://h.example/ " + Path("notes.txt")));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--webhook"), std::string::npos) << bad.err;
  RunResult unsigned_secret = RunAccord(Match("--webhook-secret-file '" + Path("notes.txt") + "' " + Path("notes.txt")));
  EXPECT_NE(unsigned_secret.exit_code, 0);
}

}  // namespace
}  // namespace accord
