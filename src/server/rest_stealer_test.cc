// The exposure range API and /api/v1/stealer/operations on the real server,
// seeded by stealer::Ingest with synthetic logs (stealer/synth.h) and a
// partner C2 list: the range answers a client computes its own SHA-1 against,
// who sees an operation (as its C2 event's TLP says), victims' pagination,
// the packages zip and the purge's roles. Every response is checked against
// docs/openapi.json by RestTest::Call. The counts themselves are tested in
// stealer/ingest_test.cc and packages_test.cc; these tests check that HTTP
// reaches them and says what they say.
#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "geo/geo.h"
#include "server/rest_testing.h"
#include "stealer/ingest.h"
#include "stealer/synth.h"

namespace accord {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::json;
using ::testing::Not;
using testing::OpenApi;

constexpr char kOperation[] = "Operation Endgame";
// The path segment of kOperation, as a client encodes it.
constexpr char kOperationPath[] = "/api/v1/stealer/operations/Operation%20Endgame";

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "SUFFIX:COUNT\r\n" lines as suffix -> count; fails on a malformed line.
std::map<std::string, int64_t> RangeLines(const std::string& body) {
  std::map<std::string, int64_t> lines;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    EXPECT_TRUE(line.ends_with('\r')) << line;
    line.pop_back();
    const size_t colon = line.find(':');
    EXPECT_EQ(colon, 35u) << line;
    if (colon != 35) continue;
    lines[line.substr(0, colon)] = std::stoll(line.substr(colon + 1));
  }
  return lines;
}

// Entry name -> bytes of a zip archive, read with libarchive's reader.
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> entries;
  archive* reader = archive_read_new();
  archive_read_support_format_zip(reader);
  EXPECT_EQ(archive_read_open_memory(reader, zip.data(), zip.size()), ARCHIVE_OK)
      << archive_error_string(reader);
  archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(reader, &entry)) == ARCHIVE_OK) {
    std::string bytes;
    char buffer[8192];
    la_ssize_t n = 0;
    while ((n = archive_read_data(reader, buffer, sizeof buffer)) > 0) bytes.append(buffer, n);
    EXPECT_EQ(n, 0) << archive_error_string(reader);
    entries[archive_entry_pathname(entry)] = std::move(bytes);
  }
  EXPECT_EQ(rc, ARCHIVE_EOF) << archive_error_string(reader);
  archive_read_free(reader);
  return entries;
}

class RestStealerTest : public testing::RestTest {
 protected:
  // Ingests synthetic machines (and, with `c2`, a partner C2 list) into
  // kOperation, coordinated by organisation A, as if two years ago: a purge
  // now removes every victim's personal data.
  void Seed(Tlp tlp = Tlp::kAmber, bool c2 = true) {
    stealer::SynthOptions synth;
    synth.machines = 30;
    synth.seed = 11;
    synth.credentials_per_machine = 8;
    ASSERT_TRUE(stealer::GenerateSynthetic(synth, [&](const stealer::SynthMachine& machine,
                                                      const stealer::MachineFiles& files) {
                  truth_.push_back(machine);
                  for (const auto& [name, bytes] : files) {
                    const auto file =
                        std::filesystem::path(dir_.Join("logs")) / machine.folder / name;
                    std::filesystem::create_directories(file.parent_path());
                    ::accord::testing::WriteFile(file.string(), bytes);
                  }
                  return Status::Ok();
                }).ok());
    std::vector<std::string> paths = {dir_.Join("logs")};
    if (c2) {
      ::accord::testing::WriteFile(
          dir_.Join("c2.csv"),
          "value,comment\n10.9.9.9,panel\n10.9.9.10,gate\n192.0.2.77,drop\n"
          "c2.evil.test,dns\n");
      paths.push_back(dir_.Join("c2.csv"));
    }
    // 10.0.0.0/8 is DE, 192.0.2.0/24 is NL.
    auto geo =
        geo::ParseTorRanges("167772160,184549375,DE\n3221225984,3221226239,NL\n", "", "geoip");
    ASSERT_TRUE(geo.ok()) << geo.status().ToString();
    stealer::IngestOptions options;
    options.operation = kOperation;
    options.org_id = org_a_;
    options.tlp = tlp;
    options.actor = "test";
    options.geo = geo->get();
    ::accord::testing::ManualClock two_years_ago(*ParseTimestamp("2024-11-01T09:00:00Z"));
    auto report = stealer::Ingest(node_.store(), options, paths, two_years_ago);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->new_victims, static_cast<int64_t>(truth_.size()));
  }

  // A GET with extra headers, checked against the document as Call does.
  HttpResponse GetWith(const std::string& path, const std::string& key,
                       std::vector<std::string> headers) {
    HttpResponse response = node_.Get(path, key, std::move(headers));
    EXPECT_EQ(OpenApi::Get().Check("GET", path, response), "");
    return response;
  }

  HttpResponse Purge(const std::string& key) {
    return Call("POST", std::string(kOperationPath) + "/purge", key);
  }

  int64_t TruthCredentials() const {
    int64_t credentials = 0;
    for (const auto& machine : truth_)
      credentials += static_cast<int64_t>(machine.credentials.size());
    return credentials;
  }

  // The clear-text password most credentials share, and how many do.
  std::pair<std::string, int64_t> CommonPassword() const {
    std::map<std::string, int64_t> counts;
    for (const auto& machine : truth_) {
      for (const auto& credential : machine.credentials) {
        if (!credential.password.empty()) ++counts[credential.password];
      }
    }
    auto best = counts.begin();
    for (auto it = counts.begin(); it != counts.end(); ++it) {
      if (it->second > best->second) best = it;
    }
    return *best;
  }

  static std::string Message(const HttpResponse& response) {
    json body = Body(response);
    return body.contains("error") ? body["error"].value("message", "") : "";
  }

  ::accord::testing::TempDir dir_;
  std::vector<stealer::SynthMachine> truth_;
};

// A client hashes a password itself, sends the first five hex digits (in
// lower case, as some clients do) and finds its suffix with the number of
// stolen credentials carrying that password; no key is needed.
TEST_F(RestStealerTest, RangeFindsAPasswordsSuffixWithItsCountWithoutAKey) {
  Seed();
  const auto [password, count] = CommonPassword();
  const std::string digest = Upper(Sha1Hex(password));
  ASSERT_EQ(digest.size(), 40u);

  auto range = Get("/range/" + Lower(digest.substr(0, 5)), "");
  ASSERT_EQ(range.status, 200) << range.body;
  EXPECT_THAT(range.Header("content-type"), ::testing::StartsWith("text/plain"));
  EXPECT_THAT(range.Header("cache-control"), AllOf(HasSubstr("public"), HasSubstr("max-age=")));
  EXPECT_EQ(range.Header("access-control-allow-origin"), "*");
  const auto lines = RangeLines(range.body);
  ASSERT_TRUE(lines.count(digest.substr(5))) << range.body;
  EXPECT_EQ(lines.at(digest.substr(5)), count);
  EXPECT_LT(lines.size(), 800u);  // unpadded: only what is stored

  // /exposure/passwords/range is the same answer.
  auto alias = Get("/exposure/passwords/range/" + digest.substr(0, 5), "");
  ASSERT_EQ(alias.status, 200) << alias.body;
  EXPECT_EQ(alias.body, range.body);

  // A password nobody had is simply not listed.
  const std::string unknown = Upper(Sha1Hex("correct horse battery staple, never stolen"));
  auto miss = Get("/range/" + unknown.substr(0, 5), "");
  ASSERT_EQ(miss.status, 200);
  EXPECT_EQ(RangeLines(miss.body).count(unknown.substr(5)), 0u);
}

TEST_F(RestStealerTest, RangePaddingBringsTheAnswerToAtLeast800LinesAndKeepsTheRealOne) {
  Seed();
  const auto [password, count] = CommonPassword();
  const std::string digest = Upper(Sha1Hex(password));
  // The header's value is case-insensitive.
  auto padded = GetWith("/range/" + digest.substr(0, 5), "", {"Add-Padding: True"});
  ASSERT_EQ(padded.status, 200) << padded.body;
  const auto lines = RangeLines(padded.body);
  EXPECT_GE(lines.size(), 800u);
  EXPECT_EQ(lines.at(digest.substr(5)), count);
  int64_t padding = 0;
  for (const auto& [suffix, n] : lines) padding += n == 0 ? 1 : 0;
  EXPECT_GT(padding, 700);
  EXPECT_THAT(padded.Header("vary"), HasSubstr("Add-Padding"));

  auto unpadded = GetWith("/range/" + digest.substr(0, 5), "", {"Add-Padding: false"});
  EXPECT_LT(RangeLines(unpadded.body).size(), 800u);
}

TEST_F(RestStealerTest, RangeRefusesAPrefixThatIsNotFiveHexDigitsNamingIt) {
  for (const std::string prefix : {"ABCDG", "ABCD", "ABCDEF", "12%2034"}) {
    auto refused = Get("/range/" + prefix, "");
    EXPECT_EQ(refused.status, 400) << prefix;
    EXPECT_THAT(Message(refused), HasSubstr("range prefix")) << prefix;
    EXPECT_EQ(refused.Header("access-control-allow-origin"), "*");
  }
  EXPECT_THAT(Message(Get("/range/ABCDG", "")), HasSubstr("'ABCDG'"));
  EXPECT_EQ(Get("/exposure/usernames/range/xyz12", "").status, 400);
  // An empty prefix too; the document's template needs a segment, so this
  // one is not checked against it.
  EXPECT_EQ(node_.Get("/range/", "").status, 400);
}

TEST_F(RestStealerTest, UsernameRangeFindsALowerCasedUsernamesSuffixWithItsCount) {
  Seed();
  std::map<std::string, int64_t> by_digest;
  for (const auto& machine : truth_) {
    for (const auto& credential : machine.credentials) {
      if (!credential.username.empty()) ++by_digest[stealer::UsernameDigest(credential.username)];
    }
  }
  ASSERT_FALSE(by_digest.empty());
  // The client's own hash of the first username as a person would type it.
  std::string username;
  for (const auto& machine : truth_) {
    for (const auto& credential : machine.credentials) {
      if (username.empty() && !credential.username.empty()) username = credential.username;
    }
  }
  const std::string digest = Upper(Sha1Hex(Lower(username)));
  ASSERT_TRUE(by_digest.count(digest)) << username;
  auto range = Get("/exposure/usernames/range/" + digest.substr(0, 5), "");
  ASSERT_EQ(range.status, 200) << range.body;
  EXPECT_EQ(RangeLines(range.body).at(digest.substr(5)), by_digest[digest]);
  // Usernames are not passwords: the password range does not list it.
  EXPECT_EQ(RangeLines(Get("/range/" + digest.substr(0, 5), "").body).count(digest.substr(5)), 0u);
}

TEST_F(RestStealerTest, RangeAnswersTheCorsPreflightAndRefusesOtherMethods) {
  HttpRequest preflight;
  preflight.method = "OPTIONS";
  preflight.path = "/range/ABCDE";
  preflight.headers = {"Origin: https://check.example", "Access-Control-Request-Method: GET",
                       "Access-Control-Request-Headers: add-padding"};
  HttpResponse options = node_.Send(preflight);
  EXPECT_EQ(options.status, 204);
  EXPECT_EQ(options.Header("access-control-allow-origin"), "*");
  EXPECT_THAT(options.Header("access-control-allow-headers"), HasSubstr("Add-Padding"));
  EXPECT_EQ(OpenApi::Get().Check("OPTIONS", preflight.path, options), "");
  auto post = Call("POST", "/range/ABCDE", "", "{}", "application/json");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("allow"), "GET");
}

TEST_F(RestStealerTest, OperationIsListedAndSummarisedForItsOrganisationAndHiddenFromOthers) {
  Seed();
  std::map<std::string, int64_t> by_country, by_family;
  for (const auto& machine : truth_) {
    ++by_country[machine.country];
    ++by_family[std::string(stealer::FamilyName(machine.family))];
  }
  for (const std::string& key : {admin_a_, analyst_a_, reader_a_}) {
    auto list = Get("/api/v1/stealer/operations", key);
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(Body(list)["operations"].size(), 1u);
    const json item = Body(list)["operations"][0];
    EXPECT_EQ(item["name"], kOperation);
    EXPECT_EQ(item["organisation"]["name"], "CERT-A");
    EXPECT_EQ(item["tlp"], "amber");
    EXPECT_EQ(item["retention_days"], stealer::kDefaultRetentionDays);
    EXPECT_EQ(item["victims"], static_cast<int64_t>(truth_.size()));
    EXPECT_EQ(item["credentials"], TruthCredentials());
    EXPECT_EQ(item["c2_servers"], 4);

    auto summary = Get(kOperationPath, key);
    ASSERT_EQ(summary.status, 200) << summary.body;
    const json report = Body(summary);
    EXPECT_EQ(report["operation"], kOperation);
    EXPECT_EQ(report["victims"], static_cast<int64_t>(truth_.size()));
    for (const auto& [country, count] : by_country)
      EXPECT_EQ(report["victims_by_country"][country], count);
    for (const auto& [family, count] : by_family)
      EXPECT_EQ(report["victims_by_family"][family], count);
    EXPECT_EQ(report["c2_servers"], 4);
    EXPECT_EQ(report["c2_by_country"]["DE"], 2);
  }

  // Another organisation's analyst and a recipient-less partner: nothing,
  // and the same 404 as for an operation that does not exist.
  for (const std::string& key : {analyst_b_, analyst_c_, contributor_b_}) {
    auto list = Get("/api/v1/stealer/operations", key);
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(Body(list)["operations"].empty());
    for (const std::string suffix : {"", "/victims", "/c2", "/packages"}) {
      auto hidden = Get(kOperationPath + suffix, key);
      EXPECT_EQ(hidden.status, 404) << suffix;
      EXPECT_EQ(Message(hidden), "no stealer operation 'Operation Endgame'");
    }
    EXPECT_EQ(Purge(key).status, 404);
  }
  auto absent = Get("/api/v1/stealer/operations/Operation%20Nowhere", admin_a_);
  EXPECT_EQ(absent.status, 404);
  EXPECT_EQ(Message(absent), "no stealer operation 'Operation Nowhere'");
  EXPECT_EQ(Get("/api/v1/stealer/operations", "").status, 401);
  EXPECT_EQ(Get(kOperationPath, "").status, 401);
}

// Before a C2 list created the operation's event, nothing names a TLP: the
// operation is its organisation's alone.
TEST_F(RestStealerTest, OperationWithoutAC2EventIsVisibleOnlyToItsOrganisation) {
  Seed(Tlp::kAmber, /*c2=*/false);
  auto own = Get(kOperationPath, reader_a_);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(Body(own)["tlp"], "amber+strict");
  EXPECT_EQ(Body(own)["c2_servers"], 0);
  EXPECT_EQ(Get(kOperationPath, analyst_b_).status, 404);
  EXPECT_TRUE(Body(Get("/api/v1/stealer/operations", analyst_c_))["operations"].empty());
}

TEST_F(RestStealerTest, VictimPagesCoverEveryVictimExactlyOnceWithoutCredentials) {
  Seed();
  std::multiset<std::string> seen;
  std::string next;
  int pages = 0;
  do {
    std::string path = std::string(kOperationPath) + "/victims?limit=7";
    if (!next.empty()) path += "&cursor=" + next;
    auto page = Get(path, analyst_a_);
    ASSERT_EQ(page.status, 200) << page.body;
    const json body = Body(page);
    EXPECT_LE(body["victims"].size(), 7u);
    for (const json& victim : body["victims"]) {
      seen.insert(victim["machine_id"].get<std::string>());
      EXPECT_FALSE(victim.contains("username"));
      EXPECT_FALSE(victim.contains("user_name"));
      EXPECT_FALSE(victim["purged"].get<bool>());
      EXPECT_FALSE(victim["ip"].is_null());
    }
    EXPECT_THAT(page.body, Not(HasSubstr("password")));
    next = body["next"].is_null() ? "" : body["next"].get<std::string>();
    ASSERT_LT(++pages, 20);
  } while (!next.empty());
  EXPECT_EQ(pages, (static_cast<int>(truth_.size()) + 6) / 7);
  std::multiset<std::string> expected;
  for (const auto& machine : truth_) expected.insert(machine.machine_id);
  EXPECT_EQ(seen, expected);

  // Filtered by country (any case), the page holds that country's victims.
  std::map<std::string, int64_t> by_country;
  for (const auto& machine : truth_) ++by_country[machine.country];
  const auto& [country, count] = *by_country.begin();
  auto filtered =
      Get(std::string(kOperationPath) + "/victims?country=" + Lower(country), reader_a_);
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_EQ(static_cast<int64_t>(Body(filtered)["victims"].size()), count);
  const json filtered_body = Body(filtered);
  for (const json& victim : filtered_body["victims"]) EXPECT_EQ(victim["country"], country);

  EXPECT_THAT(Message(Get(std::string(kOperationPath) + "/victims?country=Germany", analyst_a_)),
              HasSubstr("country:"));
  EXPECT_THAT(Message(Get(std::string(kOperationPath) + "/victims?cursor=bogus", analyst_a_)),
              HasSubstr("cursor:"));
  EXPECT_THAT(Message(Get(std::string(kOperationPath) + "/victims?limit=0", analyst_a_)),
              HasSubstr("limit:"));
}

TEST_F(RestStealerTest, C2ServersCarryTheirHostingCountryAndEvidence) {
  Seed();
  auto c2 = Get(std::string(kOperationPath) + "/c2", analyst_a_);
  ASSERT_EQ(c2.status, 200) << c2.body;
  const json servers = Body(c2)["c2_servers"];
  ASSERT_EQ(servers.size(), 4u);
  std::map<std::string, json> by_value;
  for (const json& server : servers) by_value[server["value"]] = server;
  ASSERT_TRUE(by_value.count("10.9.9.9"));
  EXPECT_EQ(by_value["10.9.9.9"]["type"], "ipv4");
  EXPECT_EQ(by_value["10.9.9.9"]["country"], "DE");
  EXPECT_EQ(by_value["192.0.2.77"]["country"], "NL");
  EXPECT_TRUE(by_value["c2.evil.test"]["country"].is_null());  // a name has no hosting address
  ASSERT_FALSE(by_value["10.9.9.9"]["evidence"].empty());
  EXPECT_EQ(by_value["10.9.9.9"]["evidence"][0]["source"], "c2.csv");
  EXPECT_EQ(by_value["10.9.9.9"]["evidence"][0]["note"], "panel");
}

TEST_F(RestStealerTest, PackagesZipHoldsTakedownVictimAndSummaryFilesAndLeavesNothingBehind) {
  Seed();
  // The server makes its scratch directory under TMPDIR: pointed here, the
  // test can see that nothing is left once the answer is sent.
  const std::string scratch = dir_.Join("tmp");
  std::filesystem::create_directories(scratch);
  const char* saved = std::getenv("TMPDIR");
  const std::string saved_value = saved ? saved : "";
  setenv("TMPDIR", scratch.c_str(), 1);
  auto all = Get(std::string(kOperationPath) + "/packages?kind=all&format=all", analyst_a_);
  auto csv = Get(std::string(kOperationPath) + "/packages?kind=takedown&format=csv", admin_a_);
  if (saved)
    setenv("TMPDIR", saved_value.c_str(), 1);
  else
    unsetenv("TMPDIR");
  EXPECT_TRUE(std::filesystem::is_empty(scratch));

  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.Header("content-type"), "application/zip");
  EXPECT_THAT(all.Header("content-disposition"), AllOf(::testing::StartsWith("attachment"),
                                                       HasSubstr("\"Operation Endgame-all.zip\"")));
  const auto entries = Unzip(all.body);
  std::set<std::string> names;
  for (const auto& [name, bytes] : entries) names.insert(name);
  EXPECT_THAT(names, Contains("takedown/DE-AS0.json"));
  EXPECT_THAT(names, Contains("takedown/DE-AS0.csv"));
  EXPECT_THAT(names, Contains("takedown/DE-AS0.stix.json"));
  EXPECT_THAT(names, Contains("summary.json"));
  int64_t victims = 0;
  bool victims_csv = false;
  for (const auto& [name, bytes] : entries) {
    EXPECT_THAT(name, Not(HasSubstr(".partial")));
    if (name.starts_with("victims/") && name.ends_with(".csv")) victims_csv = true;
    if (!name.starts_with("victims/") || !name.ends_with(".json")) continue;
    json package = json::parse(bytes, nullptr, false);
    ASSERT_FALSE(package.is_discarded()) << name;
    EXPECT_EQ(package["package"], "victim-notification");
    victims += static_cast<int64_t>(package["victims"].size());
  }
  EXPECT_TRUE(victims_csv);
  EXPECT_EQ(victims, static_cast<int64_t>(truth_.size()));
  EXPECT_EQ(json::parse(entries.at("summary.json"))["victims"],
            static_cast<int64_t>(truth_.size()));

  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_THAT(csv.Header("content-disposition"), HasSubstr("Operation Endgame-takedown-csv.zip"));
  for (const auto& [name, bytes] : Unzip(csv.body)) {
    EXPECT_TRUE(name.starts_with("takedown/") && name.ends_with(".csv")) << name;
  }

  // Each download is on the record.
  const auto audit = AuditOf("stealer.packages");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].object, kOperation);
  EXPECT_THAT(audit[0].actor, ::testing::StartsWith("key:"));

  EXPECT_THAT(Message(Get(std::string(kOperationPath) + "/packages?kind=everything", analyst_a_)),
              HasSubstr("kind: 'everything'"));
  EXPECT_THAT(Message(Get(std::string(kOperationPath) + "/packages?format=pdf", analyst_a_)),
              HasSubstr("format: 'pdf'"));
  // Victims and services have no STIX form: asking only for that is refused,
  // not answered with an empty archive.
  EXPECT_THAT(Message(Get(std::string(kOperationPath) + "/packages?kind=victims&format=stix",
                          analyst_a_)),
              HasSubstr("only takedown packages have a STIX form"));
}

// TLP:GREEN lets every member read the operation; its packages (victims'
// addresses, account holders' usernames) stay with the coordinator.
// A RED operation shared with one organisation (recipients of its C2 event)
// is read by that one and its coordinator only. A later partner list
// ingested without --tlp or --share-with keeps both, and sharing needs no
// new C2 list; before the first there is nothing to share, and it says so.
TEST_F(RestStealerTest, AnOperationSharedWithOneOrganisationKeepsItsLevelAndRecipientsAcrossLists) {
  auto ingest = [&](const std::string& csv, std::optional<Tlp> tlp, std::vector<int64_t> share_with) {
    std::vector<std::string> paths;
    if (!csv.empty()) {
      ::accord::testing::WriteFile(dir_.Join("more-c2.csv"), "value,comment\n" + csv);
      paths.push_back(dir_.Join("more-c2.csv"));
    }
    stealer::IngestOptions options;
    options.operation = kOperation;
    options.org_id = org_a_;
    options.tlp = tlp;
    options.share_with_org_ids = std::move(share_with);
    ::accord::testing::ManualClock now(*ParseTimestamp("2026-11-01T09:00:00Z"));
    auto report = stealer::Ingest(node_.store(), options, paths, now);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : stealer::IngestReport{};
  };
  Seed(Tlp::kAmber, /*c2=*/false);
  const stealer::IngestReport too_early = ingest("", std::nullopt, {org_b_});
  ASSERT_EQ(too_early.problems.size(), 1u);
  EXPECT_THAT(too_early.problems[0].reason, HasSubstr("no C2 list yet, so nothing was shared"));
  EXPECT_EQ(Get(kOperationPath, analyst_b_).status, 404);

  ingest("10.9.9.9,panel\n", Tlp::kRed, {org_b_});
  auto shared = Get(kOperationPath, analyst_b_);
  ASSERT_EQ(shared.status, 200) << shared.body;
  EXPECT_EQ(Body(shared)["tlp"], "red");
  EXPECT_EQ(Get(std::string(kOperationPath) + "/c2", analyst_b_).status, 200);
  EXPECT_EQ(Get(kOperationPath, analyst_c_).status, 404);

  ingest("10.9.9.10,gate\n", std::nullopt, {});
  EXPECT_EQ(Body(Get(kOperationPath, analyst_b_))["tlp"], "red") << "a list without --tlp keeps the level";
  EXPECT_EQ(Body(Get(kOperationPath, analyst_b_))["c2_servers"], 2);
  EXPECT_EQ(Get(kOperationPath, analyst_c_).status, 404);

  ingest("", std::nullopt, {org_c_});
  EXPECT_EQ(Get(kOperationPath, analyst_c_).status, 200);
  EXPECT_EQ(Get(kOperationPath, analyst_b_).status, 200) << "an earlier recipient stays";
  EXPECT_EQ(AuditOf("stealer.share").size(), 1u);
}

TEST_F(RestStealerTest, PackagesAreForbiddenToAnotherOrganisationThatCanSeeTheOperation) {
  Seed(Tlp::kGreen);
  const std::string reader_b = node_.AddKey(org_b_, Role::kReader);
  const std::string admin_b = node_.AddKey(org_b_, Role::kAdmin);
  auto summary = Get(kOperationPath, reader_b);
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_EQ(Body(summary)["tlp"], "green");
  EXPECT_EQ(Get(std::string(kOperationPath) + "/victims", reader_b).status, 200);
  // Another organisation's admin neither: packages and purges stay with
  // the coordinator.
  for (const std::string& key : {reader_b, analyst_b_, analyst_c_, admin_b}) {
    auto refused = Get(std::string(kOperationPath) + "/packages", key);
    EXPECT_EQ(refused.status, 403);
    EXPECT_THAT(Message(refused), HasSubstr("coordinating organisation"));
  }
  EXPECT_EQ(Purge(analyst_b_).status, 403);
  EXPECT_EQ(Purge(admin_b).status, 403);
  EXPECT_EQ(Get(std::string(kOperationPath) + "/packages?kind=summary", reader_a_).status, 200);
  EXPECT_TRUE(AuditOf("stealer.packages").size() == 1u);
}

TEST_F(RestStealerTest, PurgeNeedsTheCoordinatorsAdminOrAnalystAndRemovesPersonalData) {
  Seed();
  for (const std::string& key : {reader_a_, contributor_a_, poc_a_}) {
    auto refused = Purge(key);
    EXPECT_EQ(refused.status, 403);
    EXPECT_THAT(Message(refused), HasSubstr("may purge"));
  }
  EXPECT_EQ(Purge(analyst_b_).status, 404);  // AMBER: B cannot see it at all
  auto victims = Get(std::string(kOperationPath) + "/victims", analyst_a_);
  const json before = Body(victims);
  for (const json& victim : before["victims"]) EXPECT_FALSE(victim["purged"].get<bool>());

  // Ingested two years ago, kept 180 days: everything is due.
  auto purged = Purge(admin_a_);
  ASSERT_EQ(purged.status, 200) << purged.body;
  EXPECT_EQ(Body(purged)["purged"], static_cast<int64_t>(truth_.size()));
  victims = Get(std::string(kOperationPath) + "/victims", analyst_a_);
  const json after = Body(victims);
  ASSERT_EQ(after["victims"].size(), truth_.size());
  for (const json& victim : after["victims"]) {
    EXPECT_TRUE(victim["purged"].get<bool>());
    EXPECT_TRUE(victim["ip"].is_null());
    EXPECT_FALSE(victim["country"].is_null());  // kept for the statistics
  }
  // Usernames are gone from the username range too.
  std::string username;
  for (const auto& machine : truth_) {
    for (const auto& credential : machine.credentials) {
      if (username.empty() && !credential.username.empty()) username = credential.username;
    }
  }
  const std::string digest = stealer::UsernameDigest(username);
  EXPECT_EQ(RangeLines(Get("/exposure/usernames/range/" + digest.substr(0, 5), "").body)
                .count(digest.substr(5)),
            0u);

  auto again = Purge(analyst_a_);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Body(again)["purged"], 0);
  // Only a purge that removed something is on the record.
  const auto audit = AuditOf("stealer.purge");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_THAT(audit[0].actor, ::testing::StartsWith("key:"));
  EXPECT_EQ(audit[0].source_address, "127.0.0.1");
  EXPECT_EQ(Call("GET", std::string(kOperationPath) + "/purge", admin_a_).status, 405);
}

}  // namespace
}  // namespace accord
