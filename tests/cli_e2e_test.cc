// The `accord` binary as a user runs it: exit codes, messages, files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <filesystem>
#include <map>
#include <thread>
#include <cstdio>
#include <regex>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "testing/testing.h"

namespace accord {
namespace {

using RunResult = testing::CliRun;

// Runs the binary through the shell with stdout and stderr captured apart.
RunResult RunAccord(const std::string& args, const std::string& env = "", const std::string& cwd = "") {
  return testing::RunCli(ACCORD_BINARY, args, {env, cwd});
}

class CliTest : public ::testing::Test {
 protected:
  std::string Data() const { return "--data '" + dir_.Join("node") + "'"; }
  std::string Sample(const std::string& name) const {
    return std::string(ACCORD_SOURCE_DIR) + "/samples/" + name;
  }
  RunResult Init() { return RunAccord("init " + Data() + " --org 'CERT-Test' --country fr --kind cert"); }
  testing::TempDir dir_;
};

TEST_F(CliTest, InitPrintsTheAdminKeyOnceAndStoresOnlyItsHash) {
  RunResult r = Init();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex("(ak_[0-9a-f]{16}):([0-9a-f]{64})\n"))) << r.out;
  const std::string secret = m[2];
  std::string db = testing::ReadFile(dir_.Join("node/accord.db"));
  std::string wal = testing::ReadFile(dir_.Join("node/accord.db-wal"));
  EXPECT_EQ(db.find(secret), std::string::npos);
  EXPECT_EQ(wal.find(secret), std::string::npos);
  EXPECT_NE((db + wal).find(std::string(m[1])), std::string::npos);  // the key id is stored
}

TEST_F(CliTest, SecondInitRefusesAndChangesNothing) {
  ASSERT_EQ(Init().exit_code, 0);
  RunResult again = Init();
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already a node"), std::string::npos) << again.err;
  EXPECT_TRUE(again.out.empty());
}

TEST_F(CliTest, CommandsWithoutANodeSayHowToCreateOne) {
  RunResult r = RunAccord("search " + Data() + " evil.example");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("accord init"), std::string::npos) << r.err;
}

TEST_F(CliTest, ImportReportsCountsAndRejectionsWithLines) {
  ASSERT_EQ(Init().exit_code, 0);
  RunResult r = RunAccord("import " + Data() + " '" + Sample("partner-c2.csv") + "' '" +
                    Sample("blocklist.txt") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("partner-c2.csv: csv (1 event): 5 new, 0 already known, 1 rejected"),
            std::string::npos) << r.out;
  EXPECT_NE(r.err.find("rejected partner-c2.csv:7: 203.0.113.999"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rejected blocklist.txt:8: not a valid indicator"), std::string::npos) << r.err;
  // Quiet in a pipe: no carriage-return progress lines.
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
}

TEST_F(CliTest, ImportOfAMispFeedDirectoryReadsTheEventsItsManifestListsAndNamesMissingOnes) {
  ASSERT_EQ(Init().exit_code, 0);
  const std::string feed = dir_.Join("osint-feed");
  std::filesystem::create_directories(feed);
  const std::string present = "5f1a0b2c-0000-4000-8000-00000000feed", missing = "5f1a0b2c-0000-4000-8000-0000000000ff";
  testing::WriteFile(feed + "/manifest.json",
                     "{\"" + present + "\": {\"info\": \"Lumma C2\"}, \"" + missing + "\": {\"info\": \"gone\"}}");
  testing::WriteFile(feed + "/" + present + ".json",
                     "{\"Event\": {\"uuid\": \"" + present + "\", \"info\": \"Lumma C2\", \"Attribute\": ["
                     "{\"type\": \"domain\", \"value\": \"lumma-feed.example\", \"to_ids\": true}]}}");
  testing::WriteFile(feed + "/hashes.csv", "not,an,event\n");
  RunResult r = RunAccord("import " + Data() + " '" + feed + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // one listed event is missing
  EXPECT_NE(r.out.find(present + ".json: misp (1 event): 1 new"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(missing + ".json"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("hashes.csv"), std::string::npos) << r.out;
  EXPECT_EQ(RunAccord("search " + Data() + " lumma-feed.example").exit_code, 0);
}

// A feed server on loopback: GET paths it holds answer 200 with their body;
// "/moved" redirects to the first; anything else is 404.
class FeedServer {
 public:
  explicit FeedServer(std::map<std::string, std::string> files) : files_(std::move(files)) {
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.path == "/moved") {
        res.set_redirect(files_.begin()->first);
        return;
      }
      auto file = files_.find(req.path);
      if (file == files_.end()) {
        res.status = 404;
        return;
      }
      res.set_content(file->second, "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FeedServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  std::map<std::string, std::string> files_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(CliTest, ImportOfAFeedUrlReadsWhatTheServerServesAndNamesFailuresByUrl) {
  ASSERT_EQ(Init().exit_code, 0);
  FeedServer server(std::map<std::string, std::string>{{"/downloads/csv_recent/",
                      "# abuse.ch URLhaus Database Dump (CSV - recent URLs only)\n"
                      "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
                      "\"1\",\"2024-01-01 00:00:04\",\"http://feed-url.example/bins/x\",\"online\",\"\","
                      "\"malware_download\",\"elf\",\"https://urlhaus.abuse.ch/url/1/\",\"e2e\"\n"}});
  RunResult r = RunAccord("import " + Data() + " '" + server.Url("/downloads/csv_recent/") + "' '" +
                          server.Url("/moved") + "' '" + server.Url("/gone.csv") + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // the third is missing
  EXPECT_NE(r.out.find(server.Url("/downloads/csv_recent/") + ": csv (1 event): 1 new"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(server.Url("/moved") + ": csv (1 event): 0 new, 1 already known"), std::string::npos)
      << r.out;  // the redirect was followed
  EXPECT_NE(r.err.find(server.Url("/gone.csv") + ": the server answered HTTP 404"), std::string::npos) << r.err;
  // Two events: one per URL ("csv_recent", "moved"), each named after it.
  RunResult before = RunAccord("search " + Data() + " http://feed-url.example/bins/x");
  EXPECT_NE(before.out.find("events (2)"), std::string::npos) << before.out;
  EXPECT_NE(before.out.find("csv_recent"), std::string::npos) << before.out;
  // So the next day's pull of a URL grows its event, not a new one.
  RunResult again = RunAccord("import " + Data() + " '" + server.Url("/downloads/csv_recent/") + "'");
  EXPECT_NE(again.out.find("0 new, 1 already known"), std::string::npos) << again.out;
  RunResult after = RunAccord("search " + Data() + " http://feed-url.example/bins/x");
  EXPECT_NE(after.out.find("events (2)"), std::string::npos) << after.out;
}

TEST_F(CliTest, ImportOfAMispFeedByUrlFetchesTheEventsItsManifestLists) {
  ASSERT_EQ(Init().exit_code, 0);
  const std::string uuid = "5f1a0b2c-0000-4000-8000-0000000feed1";
  FeedServer server(std::map<std::string, std::string>{
      {"/feed-osint/manifest.json", "{\"" + uuid + "\": {\"info\": \"Phishing kit\"}}"},
      {"/feed-osint/" + uuid + ".json",
       "{\"Event\": {\"uuid\": \"" + uuid + "\", \"info\": \"Phishing kit\", \"Attribute\": ["
       "{\"type\": \"domain\", \"value\": \"kit-by-url.example\", \"to_ids\": true}]}}"}});
  RunResult r = RunAccord("import " + Data() + " '" + server.Url("/feed-osint/manifest.json") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(server.Url("/feed-osint/" + uuid + ".json") + ": misp (1 event): 1 new"), std::string::npos)
      << r.out;
  RunResult search = RunAccord("search " + Data() + " kit-by-url.example");
  EXPECT_NE(search.out.find("Phishing kit"), std::string::npos) << search.out;
}

// Every member who reads an event sees its source: it names the file, not
// the folders the operator keeps it in (the audit record keeps the path).
TEST_F(CliTest, AnImportedEventNamesItsSourceByFileNameNotTheOperatorsPath) {
  ASSERT_EQ(Init().exit_code, 0);
  std::filesystem::create_directories(dir_.Join("private-feeds/lumma"));
  testing::WriteFile(dir_.Join("private-feeds/lumma/c2.txt"), "source-name.example\n");
  testing::WriteFile(dir_.Join("private-feeds/lumma/more.txt"), "source-name-two.example\n");
  ASSERT_EQ(std::system(("tar -czf '" + dir_.Join("private-feeds/pack.tar.gz") + "' -C '" +
                         dir_.Join("private-feeds/lumma") + "' more.txt").c_str()),
            0);
  RunResult r = RunAccord("import " + Data() + " '" + dir_.Join("private-feeds/lumma/c2.txt") + "' '" +
                          dir_.Join("private-feeds/pack.tar.gz") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string db = dir_.Join("node/accord.db");
  auto query = [&](const std::string& sql) {
    return testing::RunCli("sqlite3", "'" + db + "' \"" + sql + "\"").out;
  };
  EXPECT_EQ(query("SELECT source FROM events ORDER BY id"), "list:c2.txt\nlist:pack.tar.gz/more.txt\n");
  EXPECT_NE(query("SELECT group_concat(object, ' ') FROM audit_log").find(dir_.Join("private-feeds/lumma/c2.txt")),
            std::string::npos);
}

// --tlp states the level of a file's unmarked values: into the existing
// CLEAR event of the same title, RED values go to its companion; without
// --tlp, a file grows the event at its level.
TEST_F(CliTest, ValuesImportedWithAStricterTlpThanTheirTitlesEventGoToItsCompanion) {
  ASSERT_EQ(Init().exit_code, 0);
  testing::WriteFile(dir_.Join("a.txt"), "open-value.example\n");
  testing::WriteFile(dir_.Join("b.txt"), "red-value.example\n");
  testing::WriteFile(dir_.Join("c.txt"), "later-value.example\n");
  ASSERT_EQ(RunAccord("import " + Data() + " --tlp clear --title Shared '" + dir_.Join("a.txt") + "'").exit_code, 0);
  ASSERT_EQ(RunAccord("import " + Data() + " --tlp red --title Shared '" + dir_.Join("b.txt") + "'").exit_code, 0);
  ASSERT_EQ(RunAccord("import " + Data() + " --title Shared '" + dir_.Join("c.txt") + "'").exit_code, 0);
  const std::string sql =
      "SELECT o.value || ' ' || e.title || ' ' || e.tlp FROM links l JOIN events e ON e.id = l.event_id"
      " JOIN observables o ON o.id = l.observable_id ORDER BY o.value";
  EXPECT_EQ(testing::RunCli("sqlite3", "'" + dir_.Join("node/accord.db") + "' \"" + sql + "\"").out,
            "later-value.example Shared 0\nopen-value.example Shared 0\n"
            "red-value.example Shared (TLP:RED values) 4\n");
}

// The same by naming the event: `--event UUID --tlp red` into a GREEN
// event sends the file's unmarked values to its RED companion (they went
// into the GREEN event, where every member read them).
TEST_F(CliTest, ValuesImportedIntoANamedEventWithAStricterTlpGoToItsCompanion) {
  ASSERT_EQ(Init().exit_code, 0);
  testing::WriteFile(dir_.Join("a.txt"), "public-value.example\n");
  testing::WriteFile(dir_.Join("b.txt"), "secret-value.example\n");
  ASSERT_EQ(RunAccord("import " + Data() + " --tlp green --title Feed '" + dir_.Join("a.txt") + "'").exit_code, 0);
  const std::string db = dir_.Join("node/accord.db");
  const std::string uuid = testing::RunCli("sqlite3", "'" + db + "' \"SELECT uuid FROM events\"").out;
  ASSERT_EQ(uuid.size(), 37u) << uuid;
  RunResult r = RunAccord("import " + Data() + " --event " + uuid.substr(0, 36) + " --tlp red '" +
                          dir_.Join("b.txt") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string sql =
      "SELECT o.value || ' ' || e.title || ' ' || e.tlp FROM links l JOIN events e ON e.id = l.event_id"
      " JOIN observables o ON o.id = l.observable_id ORDER BY o.value";
  EXPECT_EQ(testing::RunCli("sqlite3", "'" + db + "' \"" + sql + "\"").out,
            "public-value.example Feed 1\nsecret-value.example Feed (TLP:RED values) 4\n");
}

TEST_F(CliTest, ImportOfATarGzImportsEachFileInItAndABrokenOneDoesNotStopTheOthers) {
  ASSERT_EQ(Init().exit_code, 0);
  std::filesystem::create_directories(dir_.Join("feeds"));
  testing::WriteFile(dir_.Join("feeds/a-list.txt"), "tar-member.example\n198.51.100.77\n");
  testing::WriteFile(dir_.Join("feeds/b-broken.json"), R"({"type": "bundle", "objects": [)");
  testing::WriteFile(dir_.Join("feeds/c.csv"), "value,type\ntar-csv.example,domain\n300.1.2.3,ipv4\n");
  testing::WriteFile(dir_.Join("feeds/d-logo.png"), std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  ASSERT_EQ(std::system(("tar -czf '" + dir_.Join("feeds.tar.gz") + "' -C '" + dir_.Join("") + "' feeds").c_str()),
            0);
  RunResult r = RunAccord("import " + Data() + " '" + dir_.Join("feeds.tar.gz") + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // the broken file fails the run
  const std::string archive = dir_.Join("feeds.tar.gz");
  EXPECT_NE(r.out.find(archive + "/feeds/a-list.txt: list (1 event): 2 new"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(archive + "/feeds/c.csv: csv (1 event): 1 new"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(archive + "/feeds/b-broken.json"), std::string::npos) << r.err;
  // A picture beside the feeds is skipped, not read as a list of garbage.
  EXPECT_NE(r.out.find(archive + "/feeds/d-logo.png: skipped, binary data"), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find("d-logo.png:1"), std::string::npos) << r.out << r.err;
  // A rejected line names the archive too, not only the member.
  EXPECT_NE((r.out + r.err).find("feeds.tar.gz/feeds/c.csv:3"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(RunAccord("search " + Data() + " tar-member.example").exit_code, 0);
  EXPECT_EQ(RunAccord("search " + Data() + " tar-csv.example").exit_code, 0);
  // Again: nothing new, as for any file.
  RunResult again = RunAccord("import " + Data() + " '" + archive + "'");
  EXPECT_NE(again.out.find(archive + "/feeds/a-list.txt: list (1 event): 0 new, 2 already known"),
            std::string::npos)
      << again.out;
}

TEST_F(CliTest, AValueSpanningLinesIsReportedOnOneLineWithItsBreaksEscaped) {
  ASSERT_EQ(Init().exit_code, 0);
  testing::WriteFile(dir_.Join("note.json"),
                     R"({"Event": {"uuid": "5f1a0b2c-0000-4000-8000-00000000ee02", "info": "notes",
                         "Attribute": [{"type": "text", "category": "Other", "value": "line one\nline two"},
                                       {"type": "domain", "category": "Network activity",
                                        "value": "note-event.example"}]}})");
  RunResult r = RunAccord("import " + Data() + " '" + dir_.Join("note.json") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("line one\\nline two: "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line one\nline two"), std::string::npos) << r.err;
}

TEST_F(CliTest, StrictImportExitsThreeOnRejections) {
  ASSERT_EQ(Init().exit_code, 0);
  EXPECT_EQ(RunAccord("import --strict " + Data() + " '" + Sample("blocklist.txt") + "'").exit_code, 3);
}

// AMBER is for the owner and the recipients it names: --share-with names
// one (a peer's stand-in, which a push sends for), and a misspelt name is
// refused before anything is read.
TEST_F(CliTest, ImportShareWithNamesARecipientOfItsAmberEvents) {
  ASSERT_EQ(Init().exit_code, 0);
  ASSERT_EQ(RunAccord("org create " + Data() + " CERT-B --country de --kind cert").exit_code, 0);
  testing::WriteFile(dir_.Join("amber.csv"), "value\nshared-amber.example\n");
  testing::WriteFile(dir_.Join("own.csv"), "value\nown-amber.example\n");
  ASSERT_EQ(RunAccord("import " + Data() + " --tlp amber '" + dir_.Join("own.csv") + "'").exit_code, 0);
  RunResult shared =
      RunAccord("import " + Data() + " --tlp amber --share-with CERT-B '" + dir_.Join("amber.csv") + "'");
  ASSERT_EQ(shared.exit_code, 0) << shared.err;
  EXPECT_EQ(RunAccord("search " + Data() + " --org CERT-B shared-amber.example").exit_code, 0);
  EXPECT_EQ(RunAccord("search " + Data() + " --org CERT-B own-amber.example").exit_code, 3);
  RunResult misspelt =
      RunAccord("import " + Data() + " --share-with CERT-X '" + dir_.Join("amber.csv") + "'");
  EXPECT_NE(misspelt.exit_code, 0);
  EXPECT_NE(misspelt.err.find("CERT-X"), std::string::npos) << misspelt.err;
}

TEST_F(CliTest, BatchSizeSetsTheCommitPointsABrokenFileStopsAt) {
  ASSERT_EQ(Init().exit_code, 0);
  // Seven good rows, then an unterminated quote on line 9.
  std::string csv = "value\n";
  for (int row = 1; row <= 7; ++row) csv += "192.0.2." + std::to_string(row) + "\n";
  csv += "\"198.51.100.1\n";
  testing::WriteFile(dir_.Join("broken.csv"), csv);
  RunResult small = RunAccord("import --batch-size 3 " + Data() + " '" + dir_.Join("broken.csv") + "'");
  EXPECT_EQ(small.exit_code, 1);
  EXPECT_NE(small.err.find("2 batch(es) holding 6 values were committed"), std::string::npos)
      << small.err;
  EXPECT_EQ(RunAccord("search " + Data() + " 192.0.2.6").exit_code, 0);
  EXPECT_EQ(RunAccord("search " + Data() + " 192.0.2.7").exit_code, 3);  // rolled back

  RunResult whole = RunAccord("import --batch-size 100 " + Data() + " '" + dir_.Join("broken.csv") + "'");
  EXPECT_EQ(whole.exit_code, 1);
  EXPECT_NE(whole.err.find("0 batch(es) holding 0 values were committed"), std::string::npos)
      << whole.err;
  EXPECT_EQ(RunAccord("search " + Data() + " 192.0.2.7").exit_code, 3);

  RunResult zero = RunAccord("import --batch-size 0 " + Data() + " '" + Sample("blocklist.txt") + "'");
  EXPECT_EQ(zero.exit_code, 2) << zero.err;
}

TEST_F(CliTest, SearchShowsCorrelationAcrossFormatsAndSightings) {
  ASSERT_EQ(Init().exit_code, 0);
  RunResult imported = RunAccord("import " + Data() + " " + Sample("demostealer.stix.json") + " " +
                           Sample("phishing-wave.misp.json") + " " + Sample("blocklist.txt"));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  RunResult r = RunAccord("search " + Data() + " 'EVIL-C2.example.'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("domain evil-c2.example"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("events (3)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Phishing wave delivering DemoStealer"), std::string::npos);
  EXPECT_NE(r.out.find("DemoStealer infrastructure"), std::string::npos);
  EXPECT_NE(r.out.find("count 3"), std::string::npos) << r.out;  // the STIX sighting
  RunResult miss = RunAccord("search " + Data() + " 192.0.2.200");
  EXPECT_EQ(miss.exit_code, 3);
  EXPECT_NE(miss.out.find("not found"), std::string::npos);
}

// An analyst asking about 10.1.2.3 or a.evil.example learns of the listed
// 10.1.2.0/24 and evil.example, which `accord match` alerts through; a
// look-alike (notevil.example) is covered by nothing.
TEST_F(CliTest, SearchShowsTheNetworksAndParentDomainsThatCoverAValue) {
  ASSERT_EQ(Init().exit_code, 0);
  testing::WriteFile(dir_.Join("listed.txt"), "10.1.2.0/24\n10.0.0.0/8\nevil.example\n");
  ASSERT_EQ(RunAccord("import " + Data() + " --title 'C2 ranges' '" + dir_.Join("listed.txt") + "'").exit_code, 0);

  RunResult address = RunAccord("search " + Data() + " 10.1.2.3");
  EXPECT_EQ(address.exit_code, 0) << address.out << address.err;
  EXPECT_NE(address.out.find("ipv4 10.1.2.3: not found itself"), std::string::npos) << address.out;
  const size_t narrow = address.out.find("cidr 10.1.2.0/24");
  const size_t wide = address.out.find("cidr 10.0.0.0/8");
  ASSERT_NE(narrow, std::string::npos) << address.out;
  ASSERT_NE(wide, std::string::npos) << address.out;
  EXPECT_LT(narrow, wide) << "the longest prefix first";
  EXPECT_NE(address.out.find("C2 ranges"), std::string::npos) << address.out;

  RunResult name = RunAccord("search " + Data() + " --json cdn.evil.example");
  ASSERT_EQ(name.exit_code, 0) << name.out << name.err;
  const nlohmann::json found = nlohmann::json::parse(name.out);
  EXPECT_FALSE(found["found"].get<bool>());
  ASSERT_EQ(found["covered_by"].size(), 1u) << name.out;
  EXPECT_EQ(found["covered_by"][0]["type"], "domain");
  EXPECT_EQ(found["covered_by"][0]["value"], "evil.example");
  EXPECT_EQ(found["covered_by"][0]["events"][0]["title"], "C2 ranges");

  // Stored itself and covered: both shown.
  RunResult both = RunAccord("search " + Data() + " evil.example");
  EXPECT_EQ(both.exit_code, 0);
  EXPECT_EQ(both.out.find("covered by"), std::string::npos) << "no parent of evil.example is listed";
  EXPECT_EQ(RunAccord("search " + Data() + " notevil.example").exit_code, 3);
  EXPECT_EQ(RunAccord("search " + Data() + " 192.0.2.1").exit_code, 3);
}

TEST_F(CliTest, SearchFindsAFileNameThatReadsAsADomain) {
  ASSERT_EQ(Init().exit_code, 0);
  testing::WriteFile(dir_.Join("files.csv"), "type,value\nfilename,crypt1.exe\n");
  ASSERT_EQ(RunAccord("import " + Data() + " --title files '" + dir_.Join("files.csv") + "'").exit_code, 0);
  RunResult found = RunAccord("search " + Data() + " crypt1.exe");
  EXPECT_EQ(found.exit_code, 0) << found.out << found.err;
  EXPECT_NE(found.out.find("filename crypt1.exe"), std::string::npos) << found.out;
  RunResult as_domain = RunAccord("search " + Data() + " --type domain crypt1.exe");
  EXPECT_EQ(as_domain.exit_code, 3) << as_domain.out;
}

// The sample MISP event is graded threat level 2 and analysis 1; the plain
// list's event has no grading.
TEST_F(CliTest, SearchShowsEachEventsMispGradingOrNullWhenItHasNone) {
  ASSERT_EQ(Init().exit_code, 0);
  RunResult imported = RunAccord("import " + Data() + " " + Sample("phishing-wave.misp.json") + " " +
                                 Sample("blocklist.txt"));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  RunResult text = RunAccord("search " + Data() + " evil-c2.example");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("threat level medium, analysis ongoing"), std::string::npos) << text.out;

  RunResult r = RunAccord("search " + Data() + " evil-c2.example --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json found = nlohmann::json::parse(r.out);
  ASSERT_EQ(found["events"].size(), 2u) << r.out;
  for (const nlohmann::json& event : found["events"]) {
    if (event["title"] == "Phishing wave delivering DemoStealer") {
      EXPECT_EQ(event["threat_level"], "medium") << event.dump();
      EXPECT_EQ(event["analysis"], "ongoing") << event.dump();
    } else {
      EXPECT_TRUE(event["threat_level"].is_null()) << event.dump();
      EXPECT_TRUE(event["analysis"].is_null()) << event.dump();
    }
  }
}

TEST_F(CliTest, ImportReadsStandardInputAndGzip) {
  ASSERT_EQ(Init().exit_code, 0);
  std::string cmd = "printf '198.51.100.77\\n' | '" + std::string(ACCORD_BINARY) + "' import " +
                    Data() + " - > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ASSERT_EQ(std::system(("gzip -c '" + Sample("partner-c2.csv") + "' > '" + dir_.Join("feed.csv.gz") + "'").c_str()), 0);
  RunResult gz = RunAccord("import " + Data() + " '" + dir_.Join("feed.csv.gz") + "'");
  ASSERT_EQ(gz.exit_code, 0) << gz.err;
  EXPECT_NE(gz.out.find("5 new"), std::string::npos) << gz.out;
  EXPECT_EQ(RunAccord("search " + Data() + " 198.51.100.77").exit_code, 0);
}

TEST_F(CliTest, ExportWritesAFileOnlyWhenComplete) {
  ASSERT_EQ(Init().exit_code, 0);
  ASSERT_EQ(RunAccord("import " + Data() + " " + Sample("demostealer.stix.json")).exit_code, 0);
  RunResult r = RunAccord("export " + Data() + " --format stix --output '" + dir_.Join("out.json") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string bundle = testing::ReadFile(dir_.Join("out.json"));
  EXPECT_NE(bundle.find("\"type\":\"bundle\""), std::string::npos);
  EXPECT_NE(bundle.find("DemoStealer"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.Join("out.json.partial")));
  RunResult bad = RunAccord("export " + Data() + " --format yaml");
  EXPECT_EQ(bad.exit_code, 2);
}

// The sensor formats end to end: a directory of Suricata files, a Zeek file.
TEST_F(CliTest, ExportWritesSuricataDirectoryAndZeekIntelFile) {
  ASSERT_EQ(Init().exit_code, 0);
  ASSERT_EQ(RunAccord("import " + Data() + " " + Sample("partner-c2.csv")).exit_code, 0);
  const std::string dir = dir_.Join("suricata");
  RunResult r = RunAccord("export " + Data() + " --format suricata --output '" + dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("live indicators"), std::string::npos) << r.err;
  const std::string rules = testing::ReadFile(dir + "/accord.rules");
  EXPECT_NE(rules.find("sid:9870010; rev:1;)"), std::string::npos) << rules;
  EXPECT_NE(testing::ReadFile(dir + "/accord-ips.lst").find("203.0.113.10\n"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir + "/accord.rules.partial"));
  // Several files cannot go to standard output.
  RunResult to_stdout = RunAccord("export " + Data() + " --format suricata");
  EXPECT_EQ(to_stdout.exit_code, 1);
  EXPECT_NE(to_stdout.err.find("--output DIR"), std::string::npos) << to_stdout.err;

  RunResult zeek = RunAccord("export " + Data() + " --format zeek");
  ASSERT_EQ(zeek.exit_code, 0) << zeek.err;
  EXPECT_TRUE(zeek.out.starts_with(
      "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n")) << zeek.out;
  EXPECT_NE(zeek.out.find("203.0.113.10\tIntel::ADDR\taccord\tpartner-c2.csv\t-\n"),
            std::string::npos) << zeek.out;
}

TEST_F(CliTest, DataDirComesFromTheEnvironmentThenTheWorkingDirectory) {
  RunResult env_init = RunAccord("init --org A", "ACCORD_DATA='" + dir_.Join("from-env") + "'");
  ASSERT_EQ(env_init.exit_code, 0) << env_init.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("from-env/accord.db")));
  RunResult cwd_init = RunAccord("init --org B", "", dir_.path().string());
  ASSERT_EQ(cwd_init.exit_code, 0) << cwd_init.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("accord-data/accord.db")));
}

TEST_F(CliTest, EveryCommandHasHelp) {
  for (const char* command : {"", "init", "import", "export", "search", "warninglist",
                              "warninglist add", "audit", "audit verify"}) {
    RunResult r = RunAccord(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << command << ": " << r.out;
  }
  EXPECT_EQ(RunAccord("frobnicate").exit_code, 2);
}

// A mistyped flag is named as the mistake, not a required argument the
// parser gave up looking for because of it.
TEST_F(CliTest, AnUnknownOptionIsNamedBeforeAMissingArgument) {
  ASSERT_EQ(Init().exit_code, 0);
  RunResult typo = RunAccord("import " + Data() + " --bogus-flag");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("--bogus-flag"), std::string::npos) << typo.err;
  EXPECT_EQ(typo.err.find("is required"), std::string::npos) << typo.err;
  RunResult missing = RunAccord("import " + Data() + " --strict");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("files is required"), std::string::npos) << missing.err;
}

TEST_F(CliTest, AuditVerifyDetectsAnEditedRecord) {
  ASSERT_EQ(Init().exit_code, 0);
  ASSERT_EQ(RunAccord("import " + Data() + " " + Sample("blocklist.txt")).exit_code, 0);
  RunResult ok = RunAccord("audit verify " + Data());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("intact"), std::string::npos);
  std::string sql = "sqlite3 '" + dir_.Join("node/accord.db") +
                    "' \"UPDATE audit_log SET actor='someone-else' WHERE seq=1\"";
  ASSERT_EQ(std::system(sql.c_str()), 0);
  RunResult broken = RunAccord("audit verify " + Data());
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("record 1"), std::string::npos) << broken.err;
}

TEST_F(CliTest, WarningListStopsValuesFromBecomingLive) {
  ASSERT_EQ(Init().exit_code, 0);
  RunResult wl = RunAccord("warninglist add " + Data() + " " + Sample("warninglist-demo-resolvers.json"));
  ASSERT_EQ(wl.exit_code, 0) << wl.err;
  ASSERT_EQ(RunAccord("import " + Data() + " " + Sample("phishing-wave.misp.json")).exit_code, 0);
  RunResult r = RunAccord("search " + Data() + " 192.0.2.53");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("on warning list: Demo public resolvers"), std::string::npos) << r.out;
}

TEST_F(CliTest, ABadWarningListFileDoesNotStopTheOthersAndListsCanBeRemoved) {
  ASSERT_EQ(Init().exit_code, 0);
  const std::string schema = dir_.Join("schema.json");
  testing::WriteFile(schema, R"({"$schema":"http://json-schema.org/draft-04/schema#"})");
  RunResult wl = RunAccord("warninglist add " + Data() + " " + schema + " " +
                           Sample("warninglist-demo-resolvers.json"));
  EXPECT_EQ(wl.exit_code, 1);
  EXPECT_NE(wl.err.find("schema.json"), std::string::npos) << wl.err;
  EXPECT_NE(wl.out.find("Demo public resolvers"), std::string::npos) << wl.out;
  RunResult listed = RunAccord("warninglist list " + Data());
  EXPECT_NE(listed.out.find("Demo public resolvers"), std::string::npos) << listed.out;
  RunResult removed = RunAccord("warninglist remove " + Data() + " 'Demo public resolvers'");
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_NE(removed.out.find("removed"), std::string::npos) << removed.out;
  EXPECT_EQ(RunAccord("warninglist list " + Data()).out.find("Demo public resolvers"), std::string::npos);
  RunResult again = RunAccord("warninglist remove " + Data() + " 'Demo public resolvers'");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("no warning list named"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace accord
