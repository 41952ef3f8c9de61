// `accord org|user|key` as an administrator runs them, against the real
// binary, and the keys they make used on a running `accord serve`.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "testing/serve_process.h"
#include "testing/testing.h"

namespace accord {
namespace {

using RunResult = testing::CliRun;

RunResult RunAccord(const std::string& args) { return testing::RunCli(ACCORD_BINARY, args); }

using testing::ServeProcess;

// GET with Bearer (token) or Basic (user, password); returns the status.
long HttpGet(int port, const std::string& path, const std::string& bearer,
             const std::string& basic_user = "", const std::string& basic_password = "") {
  CURL* curl = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  struct curl_slist* headers = nullptr;
  if (!bearer.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + bearer).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!basic_user.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, basic_user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, basic_password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t s, size_t n, void*) { return s * n; });
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

class CliAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult init = RunAccord("init " + Data() + " --org Hub --country fr --kind international");
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }
  std::string Data() const { return "--data '" + dir_.Join("node") + "'"; }
  RunResult Run(const std::string& args) { return RunAccord(args + " " + Data()); }
  // Federation: this fixture's node is the peer ("node A"). It creates
  // CERT-B and a key for it with `role`, written where the other node's
  // --credentials-file reads it; returns that file's path.
  std::string IssuePeerKey(const std::string& role) {
    EXPECT_EQ(Run("org create CERT-B --country de --kind cert").exit_code, 0);
    RunResult key = Run("key create --org CERT-B --user sync --role " + role);
    EXPECT_EQ(key.exit_code, 0) << key.err;
    const std::string credentials = dir_.Join("peer.cred");
    testing::WriteFile(credentials, key.out);
    return credentials;
  }
  testing::TempDir dir_;
};

TEST_F(CliAdminTest, ServeTakesItsSettingsFromTheConfigFileAndFlagsWinOverIt) {
  // Every run here names a TLS certificate on the command line: a server
  // that ignored the file would stop at once for want of the key, not serve.
  const std::string config = dir_.Join("accord.toml");
  const std::string cert = " --tls-cert '" + dir_.Join("absent-cert.pem") + "'";
  testing::WriteFile(config, "# a node's settings\n[serve]\nlisten = \"127.0.0.1:0\"\nthreads = 3\n"
                             "tls_key = \"" + dir_.Join("absent-key.pem") + "\"\n");
  // The key comes from the file, so the pair is tried (and is not there).
  RunResult from_file = Run("serve --config '" + config + "'" + cert);
  EXPECT_NE(from_file.exit_code, 0);
  EXPECT_NE(from_file.err.find("cannot load certificate"), std::string::npos) << from_file.err;

  // A file `serve` refuses, with `expected` in what it says.
  auto expect_refused = [&](const std::string& path, const std::string& text, const std::string& expected) {
    testing::WriteFile(path, text);
    RunResult run = Run("serve --config '" + path + "'" + cert);
    EXPECT_NE(run.exit_code, 0) << text;
    EXPECT_NE(run.err.find(expected), std::string::npos) << text << ": " << run.err;
  };
  expect_refused(config, "lisen = \"127.0.0.1:0\"\n", config + ":1: unknown key 'lisen'");
  expect_refused(config, "# settings\nthreads = 0\n", config + ":2: threads");
  expect_refused(config, "listen = 18472\n", config + ":1: listen");  // a port without its host
  // One flag set twice, at the top and in [serve], or in its two spellings.
  expect_refused(config, "threads = 3\n[serve]\nthreads = 4\n", config + ":3: threads: given twice (also on line 1)");
  expect_refused(config, "max_body_mb = 3\nmax-body-mb = 4\n", config + ":2: max-body-mb: given twice");
  expect_refused(config, "public_url = \"not a url\"\n", config + ":1: public_url");
  // Not TOML: an unquoted address, a quote left open.
  for (const char* broken : {"listen = 127.0.0.1:0\n", "threads = 3\nlisten = \"127.0.0.1:0\n"}) {
    testing::WriteFile(config, broken);
    RunResult not_toml = Run("serve --config '" + config + "'" + cert);
    EXPECT_NE(not_toml.exit_code, 0) << broken;
    EXPECT_NE(not_toml.err.find(config + ":"), std::string::npos) << not_toml.err;
    EXPECT_EQ(not_toml.err.find("cannot load certificate"), std::string::npos) << not_toml.err;
  }
  // The same settings in YAML, read by the file's name.
  const std::string yaml = dir_.Join("accord.yaml");
  testing::WriteFile(yaml, "# a node's settings\nserve:\n  listen: 127.0.0.1:0\n  threads: 3\n"
                           "  tls_key: " + dir_.Join("absent-key.pem") + "\n");
  RunResult from_yaml = Run("serve --config '" + yaml + "'" + cert);
  EXPECT_NE(from_yaml.exit_code, 0);
  EXPECT_NE(from_yaml.err.find("cannot load certificate"), std::string::npos) << from_yaml.err;
  expect_refused(yaml, "serve:\n  threads: 3\n  treads: 4\n", yaml + ":3: unknown key 'treads'");
  // A GeoIP file that is not there is named as such, not taken for a
  // missing node.
  // (No certificate here, which would be refused first; an address no
  // interface has stops a server that got past the GeoIP check.)
  testing::WriteFile(config, "listen = \"192.0.2.1:0\"\ngeoip = [\"" + dir_.Join("typo.mmdb") + "\"]\n");
  RunResult bad_geoip = Run("serve --config '" + config + "'");
  EXPECT_NE(bad_geoip.exit_code, 0);
  EXPECT_NE(bad_geoip.err.find("--geoip"), std::string::npos) << bad_geoip.err;
  EXPECT_EQ(bad_geoip.err.find("no node"), std::string::npos) << bad_geoip.err;

  // Flags win over the file: its listen address and webhook are replaced.
  testing::WriteFile(config, "listen = \"127.0.0.1:1\"\nalert-webhook = \"ftp://files.example/\"\n");
  const std::string stderr_path = dir_.Join("serve.err");
  ServeProcess serve(ACCORD_BINARY, dir_.Join("node"), stderr_path,
                     {"--config", config, "--alert-webhook", "http://127.0.0.1:9/hook"});
  ASSERT_GT(serve.port(), 1) << serve.first_line() << testing::ReadFile(stderr_path);
  EXPECT_EQ(serve.Terminate(), 0) << testing::ReadFile(stderr_path);
}

TEST_F(CliAdminTest, BackupWritesACheckedCopyThatServesAsTheNodeAndNeverOverwrites) {
  ASSERT_EQ(Run("org create CERT-B --country de --kind cert").exit_code, 0);
  const std::string copy = dir_.Join("hub.backup");
  RunResult backup = Run("backup --to '" + copy + "'");
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.out.find("accord.db"), std::string::npos) << "says how to restore: " << backup.out;
  RunResult again = Run("backup --to '" + copy + "'");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("exists already"), std::string::npos) << again.err;
  // Put in place as another node's database, it is the node.
  std::filesystem::create_directories(dir_.Join("restored"));
  std::filesystem::copy_file(copy, dir_.Join("restored") + "/accord.db");
  RunResult orgs = RunAccord("org list --data '" + dir_.Join("restored") + "'");
  ASSERT_EQ(orgs.exit_code, 0) << orgs.err;
  EXPECT_NE(orgs.out.find("CERT-B"), std::string::npos) << orgs.out;
  RunResult verified = RunAccord("audit verify --data '" + dir_.Join("restored") + "'");
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  // The node's audit log says a backup was taken, and where to; the copy's
  // chain ends before that record.
  RunResult audit = Run("audit show");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("\tbackup\t"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("hub.backup"), std::string::npos) << audit.out;
  RunResult restored_audit = RunAccord("audit show --data '" + dir_.Join("restored") + "'");
  ASSERT_EQ(restored_audit.exit_code, 0) << restored_audit.err;
  EXPECT_EQ(restored_audit.out.find("\tbackup\t"), std::string::npos) << restored_audit.out;
  EXPECT_EQ(Run("audit verify").exit_code, 0);
}

TEST_F(CliAdminTest, FederatePullImportsWhatThePeerSharesAndResumes) {
  // This fixture's node is the peer ("node A"); it issues a key to CERT-B.
  const std::string bundle = dir_.Join("shared.json");
  testing::WriteFile(bundle, R"({"type":"bundle","objects":[)"
                             R"({"type":"indicator","spec_version":"2.1","id":"indicator--a1111111-1111-4111-8111-111111111111",)"
                             R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
                             R"("pattern":"[domain-name:value = 'green.fed.example']","pattern_type":"stix",)"
                             R"("valid_from":"2026-01-01T00:00:00Z",)"
                             R"("object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}]})");
  ASSERT_EQ(Run("import '" + bundle + "'").exit_code, 0);
  const std::string credentials = IssuePeerKey("reader");
  const std::string stderr_path = dir_.Join("serve.err");
  ServeProcess serve(ACCORD_BINARY, dir_.Join("node"), stderr_path);
  ASSERT_GT(serve.port(), 0) << testing::ReadFile(stderr_path);

  const std::string node_b = "--data '" + dir_.Join("node-b") + "'";
  ASSERT_EQ(RunAccord("init " + node_b).exit_code, 0);
  const std::string pull = "federate pull " + node_b + " --peer node-a --credentials-file '" + credentials +
                           "' --url http://127.0.0.1:" + std::to_string(serve.port()) + "/taxii2/api/";
  RunResult first = RunAccord(pull);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // The indicator and the TLP:GREEN marking definition it refers to, which
  // the collection serves with it (docs/TAXII.md) and node B knows already.
  EXPECT_TRUE(std::regex_search(
      first.out, std::regex(R"(node-a \S+ \(TLP:GREEN\): 2 objects in 1 page\(s\): STIX objects 1 new / 1 known)")))
      << first.out;
  RunResult found = RunAccord("search green.fed.example " + node_b);
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_NE(found.out.find("TLP:GREEN"), std::string::npos) << found.out;

  RunResult again = RunAccord(pull);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("STIX objects 1 new"), std::string::npos) << again.out;

  testing::WriteFile(credentials, "ak_0000000000000000:" + std::string(64, '0') + "\n");
  RunResult refused = RunAccord(pull);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("peer node-a"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("HTTP 401"), std::string::npos) << refused.err;
  EXPECT_EQ(serve.Terminate(), 0);
}

TEST_F(CliAdminTest, FederatePushSendsOnlyWhatThePeersOrganisationMayReadAndResumes) {
  // CERT-B's node B pushes with a key that may write on node A.
  const std::string credentials = IssuePeerKey("contributor");
  const std::string stderr_path = dir_.Join("serve.err");
  ServeProcess serve(ACCORD_BINARY, dir_.Join("node"), stderr_path);
  ASSERT_GT(serve.port(), 0) << testing::ReadFile(stderr_path);

  const std::string node_b = "--data '" + dir_.Join("node-b") + "'";
  ASSERT_EQ(RunAccord("init " + node_b).exit_code, 0);
  ASSERT_EQ(RunAccord("org create CERT-A --country fr --kind cert " + node_b).exit_code, 0);
  const std::string bundle = dir_.Join("b.json");
  auto indicator = [](char digit, const std::string& domain, const std::string& marking) {
    return std::string(R"({"type":"indicator","spec_version":"2.1","id":"indicator--b)") +
           std::string(7, digit) + R"(-1111-4111-8111-111111111111",)" +
           R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)" +
           R"("pattern":"[domain-name:value = ')" + domain + R"(']","pattern_type":"stix",)" +
           R"("valid_from":"2026-01-01T00:00:00Z","object_marking_refs":[")" + marking + R"("]})";
  };
  testing::WriteFile(bundle, R"({"type":"bundle","objects":[)" +
                                 indicator('1', "green.push.example",
                                           "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb") +
                                 "," +
                                 indicator('2', "amber.push.example",
                                           "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421") +
                                 "]}");
  ASSERT_EQ(RunAccord("import '" + bundle + "' " + node_b).exit_code, 0);

  const std::string push = "federate push " + node_b + " --peer node-a --peer-org CERT-A --credentials-file '" +
                           credentials + "' --url http://127.0.0.1:" + std::to_string(serve.port()) +
                           "/taxii2/api/";
  RunResult first = RunAccord(push);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(std::regex_search(
      first.out, std::regex(R"(node-a \S+ \(TLP:GREEN\): 1 objects in 1 post\(s\): 1 stored or known, 0 refused)")))
      << first.out;
  EXPECT_NE(first.out.find("1 withheld (CERT-A may not read them)"), std::string::npos) << first.out;
  // On node A: B's GREEN indicator, not its AMBER one.
  EXPECT_EQ(Run("search green.push.example").exit_code, 0);
  RunResult amber = Run("search amber.push.example");
  EXPECT_EQ(amber.out.find("TLP:AMBER"), std::string::npos) << amber.out;

  RunResult again = RunAccord(push);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("node-a: 0 new STIX objects read"), std::string::npos) << again.out;
  RunResult missing_org = RunAccord("federate push " + node_b +
                                    " --peer-org NOBODY --credentials-file '" + credentials +
                                    "' --url http://127.0.0.1:1/taxii2/api/");
  EXPECT_NE(missing_org.exit_code, 0);
  EXPECT_NE(missing_org.err.find("NOBODY"), std::string::npos) << missing_org.err;
  EXPECT_EQ(serve.Terminate(), 0);
}

// A peer node's stand-in names the organisation that reads what it pushes.
TEST_F(CliAdminTest, AnOrganisationStandingForAPeerSharesWithAnotherByName) {
  ASSERT_EQ(Run("org create CERT-Home --country FR --kind cert").exit_code, 0);
  RunResult peer = Run("org create 'CERT-B (node B)' --country DE --kind cert --shares-with CERT-Home");
  ASSERT_EQ(peer.exit_code, 0) << peer.err;
  RunResult list = Run("org list --json");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto orgs = nlohmann::json::parse(list.out)["organisations"];
  int64_t home = 0;
  std::optional<nlohmann::json> shares;
  for (const auto& org : orgs) {
    if (org["name"] == "CERT-Home") home = org["id"].get<int64_t>();
    if (org["name"] == "CERT-B (node B)") shares = org["shares_with_id"];
  }
  ASSERT_TRUE(shares.has_value()) << list.out;
  EXPECT_EQ(*shares, home);
}

TEST_F(CliAdminTest, CreatedKeyWorksOnTheServerUntilRevoked) {
  RunResult org = Run("org create CERT-KE --country ke --kind cert --contact soc@cert.ke");
  ASSERT_EQ(org.exit_code, 0) << org.err;
  RunResult user = Run("user create wanjiru --org CERT-KE --role analyst --email w@cert.ke");
  ASSERT_EQ(user.exit_code, 0) << user.err;
  RunResult key = Run("key create --org CERT-KE --user wanjiru --expires 90d");
  ASSERT_EQ(key.exit_code, 0) << key.err;
  // stdout is the key and nothing else.
  std::smatch m;
  ASSERT_TRUE(std::regex_match(key.out, m, std::regex("(ak_[0-9a-f]{16}):([0-9a-f]{64})\n")))
      << key.out;
  const std::string token = key.out.substr(0, key.out.size() - 1);
  const std::string key_id = m[1];
  const std::string secret = m[2];

  RunResult listed = Run("key list --org CERT-KE");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(key_id + "\tCERT-KE\twanjiru\tanalyst\tactive"), std::string::npos)
      << listed.out;
  RunResult listed_json = Run("key list --json");
  ASSERT_EQ(listed_json.exit_code, 0);
  nlohmann::json keys = nlohmann::json::parse(listed_json.out)["keys"];
  EXPECT_EQ(keys.size(), 2u);  // init's admin key and this one
  EXPECT_EQ(listed_json.out.find(secret), std::string::npos);
  EXPECT_EQ(listed_json.out.find("hash"), std::string::npos);

  const std::string stderr_path = dir_.Join("serve.err");
  ServeProcess serve(ACCORD_BINARY, dir_.Join("node"), stderr_path);
  ASSERT_GT(serve.port(), 0) << serve.first_line() << testing::ReadFile(stderr_path);
  EXPECT_EQ(HttpGet(serve.port(), "/api/v1/whoami", token), 200);
  EXPECT_EQ(HttpGet(serve.port(), "/api/v1/whoami", "", key_id, secret), 200);  // Basic

  RunResult revoked = Run("key revoke " + key_id);
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(HttpGet(serve.port(), "/api/v1/whoami", token), 401);
  EXPECT_EQ(HttpGet(serve.port(), "/api/v1/whoami", "", key_id, secret), 401);
  EXPECT_EQ(serve.Terminate(), 0) << testing::ReadFile(stderr_path);

  // Only the salted hash was ever written: the secret is in no file byte.
  const std::string bytes = testing::ReadFile(dir_.Join("node/accord.db")) +
                            testing::ReadFile(dir_.Join("node/accord.db-wal"));
  EXPECT_EQ(bytes.find(secret), std::string::npos);
  EXPECT_NE(bytes.find(key_id), std::string::npos);

  RunResult after = Run("key list --org CERT-KE");
  EXPECT_NE(after.out.find(key_id + "\tCERT-KE\twanjiru\tanalyst\trevoked"), std::string::npos)
      << after.out;
  // Every write is in the audit chain, by the local actor, and the chain holds.
  RunResult audit = Run("audit show");
  ASSERT_EQ(audit.exit_code, 0);
  for (const char* action : {"organisation.create", "user.create", "key.create", "key.revoke"}) {
    EXPECT_NE(audit.out.find(std::string("\tlocal\t") + action), std::string::npos) << action;
  }
  EXPECT_NE(audit.out.find("cli:"), std::string::npos);
  EXPECT_EQ(audit.out.find(secret), std::string::npos);
  EXPECT_EQ(Run("audit verify").exit_code, 0);
}

TEST_F(CliAdminTest, ListsShowWhatWasCreated) {
  ASSERT_EQ(Run("org create 'Police BR' --country BR --kind law-enforcement").exit_code, 0);
  ASSERT_EQ(Run("user create ana --org 'Police BR' --role poc").exit_code, 0);
  RunResult orgs = Run("org list");
  ASSERT_EQ(orgs.exit_code, 0);
  EXPECT_NE(orgs.out.find("Police BR\tBR\tlaw-enforcement"), std::string::npos) << orgs.out;
  RunResult orgs_json = Run("org list --json");
  EXPECT_EQ(nlohmann::json::parse(orgs_json.out)["organisations"].size(), 2u);
  RunResult users = Run("user list --org 'Police BR' --json");
  ASSERT_EQ(users.exit_code, 0) << users.err;
  nlohmann::json list = nlohmann::json::parse(users.out)["users"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "ana");
  EXPECT_EQ(list[0]["role"], "poc");
  // A key for a new name with a role creates its user.
  RunResult key = Run("key create --org 'Police BR' --user feed --role contributor");
  ASSERT_EQ(key.exit_code, 0) << key.err;
  EXPECT_NE(key.err.find("Created user 'feed'"), std::string::npos) << key.err;
  RunResult all_users = Run("user list");
  EXPECT_NE(all_users.out.find("Police BR\tfeed\tcontributor"), std::string::npos) << all_users.out;
  EXPECT_NE(all_users.out.find("Hub\tadmin\tadmin"), std::string::npos) << all_users.out;
}

TEST_F(CliAdminTest, BadInputExitsOneWithTheReasonAndWritesNothing) {
  ASSERT_EQ(Run("org create CERT-KE --country KE --kind cert").exit_code, 0);
  ASSERT_EQ(Run("user create bob --org CERT-KE --role reader").exit_code, 0);
  struct Case {
    std::string args;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"org create X --country XY --kind cert", "country: 'XY'"},
      {"org create X --country FR --kind club", "kind: 'club'"},
      {"org create CERT-KE --country KE --kind cert", "already exists"},
      {"org create X --country FR --kind cert --shares-with Nowhere", "--shares-with: no organisation named 'Nowhere'"},
      {"user create carol --org Nowhere --role reader", "no organisation named 'Nowhere'"},
      {"user create carol --org CERT-KE --role boss", "role: 'boss'"},
      {"user create 'bad name' --org CERT-KE --role reader", "name:"},
      {"user create carol --org CERT-KE --role reader --email nope", "email: 'nope'"},
      {"user create bob --org CERT-KE --role reader", "user 'bob' already exists"},
      {"key create --org CERT-KE --user ghost", "no user 'ghost'"},
      {"key create --org CERT-KE --user bob --role admin", "cannot carry role admin"},
      {"key create --org CERT-KE --user bob --expires 2001-01-01", "not in the future"},
      {"key create --org CERT-KE --user bob --expires soon", "expires: 'soon'"},
      {"key revoke ak_0000000000000000", "no API key"},
      {"user disable nobody --org CERT-KE", "nobody"},
  };
  RunResult before = Run("audit show");
  for (const Case& c : cases) {
    RunResult r = Run(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args;
    EXPECT_NE(r.err.find(c.reason), std::string::npos) << c.args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args << ": " << r.out;
  }
  EXPECT_EQ(Run("audit show").out, before.out);
}

// `init` checks its first organisation as `org create` does, with the same
// exit code, before it makes anything: the data directory stays absent.
TEST_F(CliAdminTest, InitRefusesABadFirstOrganisationLikeOrgCreateAndMakesNoNode) {
  struct Case {
    std::string args;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"--org Hub --kind club", "kind: 'club'"},
      {"--org Hub --country XY", "country: 'XY'"},
      {"--org ' Hub'", "name:"},
      {"--org Hub --contact " + std::string(257, 'a'), "contact:"},
  };
  for (const Case& c : cases) {
    const std::string data = dir_.Join("other");
    RunResult r = RunAccord("init --data '" + data + "' " + c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args;
    EXPECT_NE(r.err.find(c.reason), std::string::npos) << c.args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args << ": " << r.out;
    EXPECT_FALSE(std::filesystem::exists(data)) << c.args;
  }
  // Left out, the country is no refusal: a regional hub may be international.
  RunResult hub = RunAccord("init --data '" + dir_.Join("hub") + "' --org Hub --kind international");
  EXPECT_EQ(hub.exit_code, 0) << hub.err;
}

TEST_F(CliAdminTest, DisablingAUserRevokesItsKeys) {
  RunResult key = Run("key create --org Hub --user ops --role reader");
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string key_id = key.out.substr(0, key.out.find(':'));
  ASSERT_EQ(Run("user disable ops --org Hub").exit_code, 0);
  EXPECT_NE(Run("key list").out.find(key_id + "\tHub\tops\treader\trevoked"), std::string::npos);
  RunResult refused = Run("key create --org Hub --user ops");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("disabled"), std::string::npos) << refused.err;
}

TEST_F(CliAdminTest, EverySubcommandHasHelp) {
  for (const char* command : {"org", "org create", "org list", "user", "user create",
                              "user list", "user disable", "key", "key create", "key list",
                              "key revoke"}) {
    RunResult r = RunAccord(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << command << ": " << r.out;
  }
  EXPECT_NE(RunAccord("key create --help").out.find("--expires"), std::string::npos);
  // A missing required option is a usage error (exit 2), not a failure.
  EXPECT_EQ(Run("key create --org Hub").exit_code, 2);
}

}  // namespace
}  // namespace accord
