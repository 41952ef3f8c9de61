// The server's front door: binding, authentication, errors, health.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <utility>
#include <vector>

#include "server/server_testing.h"

namespace accord {
namespace {

using testing::HttpRequest;
using testing::TestServer;

TEST(ServerTest, HealthNeedsNoKeyAndReadinessChecksTheStore) {
  TestServer node;
  node.AddOrganisation("CERT-A");
  node.Start();
  auto health = node.Get("/healthz", "");
  EXPECT_EQ(health.status, 200);
  auto ready = node.Get("/readyz", "");
  EXPECT_EQ(ready.status, 200);
  EXPECT_GE(nlohmann::json::parse(ready.body)["schema_version"].get<int>(), 1);
}

// Brotli at cpp-httplib's quality took seconds on a large answer: a client
// that offers it gets gzip (or the answer as it is), never br.
TEST(ServerTest, AnswersAreNeverBrotliCompressedEvenWhenOffered) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string key = node.AddKey(org, Role::kAnalyst);
  node.Start();
  auto both = node.Get("/api/v1/whoami", key, {"Accept-Encoding: br, gzip"});
  ASSERT_EQ(both.status, 200);
  EXPECT_EQ(both.Header("content-encoding"), "gzip");
  auto only_br = node.Get("/api/v1/whoami", key, {"Accept-Encoding: br;q=1.0"});
  ASSERT_EQ(only_br.status, 200);
  EXPECT_EQ(only_br.Header("content-encoding"), "");
  EXPECT_EQ(nlohmann::json::parse(only_br.body)["role"], "analyst");
}

TEST(ServerTest, BearerBasicAndTokenSchemesAllAuthenticate) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string key = node.AddKey(org, Role::kAnalyst);
  node.Start();
  auto bearer = node.Get("/api/v1/whoami", key);
  ASSERT_EQ(bearer.status, 200) << bearer.body;
  EXPECT_EQ(nlohmann::json::parse(bearer.body)["role"], "analyst");
  HttpRequest basic;
  basic.path = "/api/v1/whoami";
  basic.basic_user = key.substr(0, key.find(':'));
  basic.basic_password = key.substr(key.find(':') + 1);
  EXPECT_EQ(node.Send(basic).status, 200);
  HttpRequest token;  // taxii2client's TokenAuth
  token.path = "/api/v1/whoami";
  token.headers = {"Authorization: Token " + key};
  EXPECT_EQ(node.Send(token).status, 200);
  token.headers = {"Authorization: Token " + key.substr(0, key.find(':')) + ":wrong"};
  EXPECT_EQ(node.Send(token).status, 401);
}

TEST(ServerTest, MissingWrongRevokedAndExpiredKeysAreRefusedWithJson) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string good = node.AddKey(org, Role::kReader);
  std::string expired = node.AddKey(org, Role::kReader, "2020-01-01T00:00:00.000Z");
  std::string revoked = node.AddKey(org, Role::kReader);
  ASSERT_TRUE(node.store().RevokeApiKey(revoked.substr(0, revoked.find(':'))).ok());
  node.Start();
  auto none = node.Get("/api/v1/whoami", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_FALSE(none.Header("www-authenticate").empty());
  EXPECT_TRUE(nlohmann::json::parse(none.body).contains("error"));
  EXPECT_EQ(node.Get("/api/v1/whoami", good.substr(0, good.find(':')) + ":wrong").status, 401);
  EXPECT_EQ(node.Get("/api/v1/whoami", expired).status, 401);
  EXPECT_EQ(node.Get("/api/v1/whoami", revoked).status, 401);
}

TEST(ServerTest, RepeatedFailedLoginsThrottleEveryKeyButAValidOne) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string good = node.AddKey(org, Role::kReader);
  node.Start();
  for (int attempt = 0; attempt < 10; ++attempt) {
    EXPECT_EQ(node.Get("/api/v1/whoami", "ak_0000000000000000:bad").status, 401);
  }
  // Any other key is refused from this address for a while now...
  auto blocked = node.Get("/api/v1/whoami", "ak_0000000000000000:bad");
  EXPECT_EQ(blocked.status, 429);
  EXPECT_FALSE(blocked.Header("retry-after").empty());
  EXPECT_EQ(node.Get("/api/v1/whoami", good.substr(0, good.find(':')) + ":wrong").status, 429);
  // No key is no guess: it is told a key is needed, as anywhere else (a
  // client asking without one, behind the same address as the guesser).
  EXPECT_EQ(node.Get("/api/v1/whoami", "").status, 401);
  // ...but not a valid one: another client behind the same address works on.
  EXPECT_EQ(node.Get("/api/v1/whoami", good).status, 200);
  // A success lifts nothing for the guesses.
  EXPECT_EQ(node.Get("/api/v1/whoami", "ak_0000000000000000:bad").status, 429);
}

TEST(ServerTest, UnknownPathsGiveJsonNotFound) {
  TestServer node;
  node.AddOrganisation("CERT-A");
  node.Start();
  auto res = node.Get("/api/v1/no-such-thing", "");
  EXPECT_EQ(res.status, 404);
  EXPECT_TRUE(nlohmann::json::parse(res.body).contains("error"));
}

TEST(ServerTest, OversizedBodyIsRefusedWith413) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string key = node.AddKey(org, Role::kAnalyst);
  ServerConfig config;
  config.max_body_bytes = 1024;
  node.Start(config);
  auto res = node.Post("/api/v1/whoami", key, std::string(4096, 'x'));
  EXPECT_EQ(res.status, 413);
}

// cpp-httplib bounds bodies by Content-Length only: a chunked body would be
// read whole before the key is checked. It is refused unread.
TEST(ServerTest, ChunkedBodiesAreRefusedWith411BeforeTheyAreRead) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string key = node.AddKey(org, Role::kAnalyst);
  ServerConfig config;
  config.max_body_bytes = 1 << 20;
  node.Start(config);
  HttpRequest chunked;
  chunked.method = "POST";
  chunked.path = "/api/v1/telemetry";
  chunked.body = std::string(3 << 20, 'x');
  chunked.headers = {"Transfer-Encoding: chunked", "Content-Type: application/x-ndjson"};
  auto rest = node.Send(chunked);  // no key at all
  EXPECT_EQ(rest.status, 411);
  EXPECT_NE(nlohmann::json::parse(rest.body)["error"]["message"].get<std::string>().find(
                "Content-Length"),
            std::string::npos);
  chunked.path = "/taxii2/";
  chunked.bearer = key;
  auto taxii = node.Send(chunked);
  EXPECT_EQ(taxii.status, 411);
  EXPECT_EQ(nlohmann::json::parse(taxii.body)["http_status"], "411");
  // The same body with its length is judged by the limit as before.
  EXPECT_EQ(node.Post("/api/v1/telemetry", key, std::string(3 << 20, 'x')).status, 413);
}

// RFC 9110 6.6.1: every answer says when it was made (TAXII 2.1 3.4 sends
// clients to it to correct their clock for added_after).
TEST(ServerTest, EveryAnswerCarriesAnHttpDate) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string key = node.AddKey(org, Role::kAnalyst);
  node.Start();
  const std::regex imf_fixdate(R"(^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$)");
  for (const auto& [path, status] : std::vector<std::pair<std::string, int>>{
           {"/api/v1/whoami", 200}, {"/api/v1/no-such-thing", 404}, {"/taxii2/", 200}}) {
    auto res = node.Get(path, key);
    EXPECT_EQ(res.status, status) << path;
    EXPECT_TRUE(std::regex_match(res.Header("date"), imf_fixdate)) << path << ": '" << res.Header("date") << "'";
  }
  EXPECT_FALSE(node.Get("/api/v1/whoami", "").Header("date").empty()) << "a refusal too";
}

// cpp-httplib unpacked a Content-Encoding body whole before the key was
// checked (18 MB of gzip took 4 GB): telemetry and imports get the packed
// body and read it as a stream; everywhere else a packed body is refused.
TEST(ServerTest, APackedBodyIsReadAsAStreamByTelemetryAndRefusedElsewhereBeforeTheKey) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string key = node.AddKey(org, Role::kAnalyst);
  node.Start();
  HttpRequest packed;
  packed.method = "POST";
  packed.path = "/api/v1/events";
  packed.body = testing::ArchiveOf({{"body.json", R"({"title":"packed"})"}}, testing::ArchiveKind::kGzip);
  packed.headers = {"Content-Encoding: gzip", "Content-Type: application/json"};
  auto refused = node.Send(packed);  // no key at all
  EXPECT_EQ(refused.status, 415) << refused.body;
  EXPECT_NE(refused.body.find("Content-Encoding 'gzip'"), std::string::npos) << refused.body;
  packed.bearer = key;
  EXPECT_EQ(node.Send(packed).status, 415) << "with a key too";
  EXPECT_EQ(node.Get("/api/v1/whoami", key, {"Content-Encoding: gzip"}).status, 200) << "a GET has no body";

  HttpRequest telemetry;
  telemetry.method = "POST";
  telemetry.path = "/api/v1/telemetry";
  telemetry.bearer = key;
  telemetry.body = testing::ArchiveOf({{"dns.ndjson", "{\"query\":\"a.example\"}\n{\"query\":\"b.example\"}\n"}},
                                      testing::ArchiveKind::kGzip);
  telemetry.headers = {"Content-Encoding: gzip", "Content-Type: application/x-ndjson"};
  auto read = node.Send(telemetry);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(nlohmann::json::parse(read.body)["records"], 2) << read.body;
}

// `curl -X POST URL` sends no Content-Length: the body is empty, and the
// request is answered as such rather than waiting for a body.
TEST(ServerTest, APostWithoutContentLengthHasAnEmptyBody) {
  TestServer node;
  int64_t org = node.AddOrganisation("CERT-A");
  std::string key = node.AddKey(org, Role::kAnalyst);
  ServerConfig config;
  config.read_timeout_seconds = 2;  // how long a failure takes, not what passes
  node.Start(config);
  HttpRequest post;
  post.method = "POST";
  post.path = "/api/v1/alerts/999/acknowledge";
  post.bearer = key;
  post.headers = {"Content-Length:"};  // curl then sends none
  auto answer = node.Send(post);
  EXPECT_EQ(answer.status, 404) << answer.body;
}

TEST(ServerTest, RefusesToStartWithoutANode) {
  testing::TempDir empty;
  ServerConfig config;
  config.data_dir = empty.Join("nothing-here");
  SystemClock clock;
  auto server = Server::Create(config, clock);
  EXPECT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kNotFound);
}

// Two nodes on one address would each answer some of the connections
// (cpp-httplib sets SO_REUSEPORT by default): the second must not start.
TEST(ServerTest, ASecondServerOnATakenAddressFailsToStart) {
  TestServer first;
  first.AddOrganisation("CERT-A");
  first.Start();
  TestServer other;
  other.AddOrganisation("CERT-B");
  ServerConfig config;
  config.data_dir = other.data_dir();
  config.host = "127.0.0.1";
  config.port = first.port();
  SystemClock clock;
  auto second = Server::Create(config, clock);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  Status started = (*second)->Start();
  EXPECT_FALSE(started.ok());
  EXPECT_NE(started.ToString().find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << started.ToString();
}

TEST(ServerTest, ParsesListenAddresses) {
  std::string host;
  int port = 0;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:9000", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 9000);
  ASSERT_TRUE(ParseListenAddress("[::1]:9001", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_FALSE(ParseListenAddress("127.0.0.1", &host, &port).ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:99999", &host, &port).ok());
}

}  // namespace
}  // namespace accord
