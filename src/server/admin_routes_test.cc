// The REST administration routes on a real server: organisations, users,
// keys and the audit log, who may use them, and what they refuse.
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "server/server_testing.h"

namespace accord {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::HttpResponse;

TimePoint At(const char* text) { return ParseTimestamp(text).value(); }

// A node (built with TestServer's helpers) served by a Server whose clock the
// test sets, so key expiry can be crossed without waiting.
class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    operator_org_ = node_.AddOrganisation("Hub");  // the first is the operator
    member_org_ = node_.AddOrganisation("CERT-KE", "KE");
    operator_admin_ = node_.AddKey(operator_org_, Role::kAdmin);
    member_admin_ = node_.AddKey(member_org_, Role::kAdmin);
    member_analyst_ = node_.AddKey(member_org_, Role::kAnalyst);
    ServerConfig config;
    config.data_dir = node_.data_dir();
    config.port = 0;
    config.threads = 2;
    auto server = Server::Create(config, clock_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ASSERT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { server_->Wait(); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  HttpResponse Call(const std::string& method, const std::string& path, const std::string& key,
                    const std::string& body = "",
                    const std::string& content_type = "application/json") {
    HttpResponse response;
    CURL* curl = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(server_->port()) + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST" || method == "PUT") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    struct curl_slist* headers = nullptr;
    if (!key.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + key).c_str());
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
      static_cast<std::string*>(out)->append(p, s * n);
      return s * n;
    });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
      std::string line(p, s * n);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
        (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
      }
      return s * n;
    });
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    if (curl_easy_perform(curl) == CURLE_OK) {
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return response;
  }
  HttpResponse Get(const std::string& path, const std::string& key) { return Call("GET", path, key); }
  HttpResponse Post(const std::string& path, const std::string& key, const json& body) {
    return Call("POST", path, key, body.dump());
  }
  static json Body(const HttpResponse& response) {
    return json::parse(response.body, nullptr, false);
  }
  static std::string ErrorMessage(const HttpResponse& response) {
    json body = Body(response);
    if (!body.is_object() || !body.contains("error")) return "<no JSON error body>";
    return body["error"]["message"].get<std::string>();
  }

  testing::TestServer node_;
  testing::ManualClock clock_{At("2026-03-01T00:00:00Z")};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int64_t operator_org_ = 0;
  int64_t member_org_ = 0;
  std::string operator_admin_;
  std::string member_admin_;
  std::string member_analyst_;
};

TEST_F(AdminApiTest, OperatorAdminCreatesListsAndFetchesOrganisations) {
  auto created = Post("/api/v1/organisations", operator_admin_,
                      {{"name", "Police-BR"}, {"country", "br"}, {"kind", "law-enforcement"},
                       {"contact", "+55 61 0000"}});
  ASSERT_EQ(created.status, 201) << created.body;
  json org = Body(created);
  EXPECT_EQ(org["country"], "BR");
  EXPECT_EQ(created.Header("location"), "/api/v1/organisations/" + std::to_string(org["id"].get<int64_t>()));

  auto list = Get("/api/v1/organisations", member_admin_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list)["organisations"].size(), 3u);

  auto by_id = Get("/api/v1/organisations/" + std::to_string(org["id"].get<int64_t>()), member_admin_);
  ASSERT_EQ(by_id.status, 200);
  EXPECT_EQ(Body(by_id)["name"], "Police-BR");
  auto by_uuid = Get("/api/v1/organisations/" + org["uuid"].get<std::string>(), member_admin_);
  ASSERT_EQ(by_uuid.status, 200);
  EXPECT_EQ(Body(by_uuid)["id"], org["id"]);
  EXPECT_EQ(Get("/api/v1/organisations/9999", member_admin_).status, 404);
  auto bad_id = Get("/api/v1/organisations/abc", member_admin_);
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_THAT(ErrorMessage(bad_id), HasSubstr("id"));
  EXPECT_TRUE(org["shares_with_id"].is_null());
}

// A peer node's stand-in names the organisation that reads what it pushes.
TEST_F(AdminApiTest, AStandInForAPeerNodeSharesWithAnOrganisationThatExists) {
  auto reader = Post("/api/v1/organisations", operator_admin_,
                     {{"name", "CERT-Home"}, {"country", "FR"}, {"kind", "cert"}});
  ASSERT_EQ(reader.status, 201) << reader.body;
  const int64_t reader_id = Body(reader)["id"].get<int64_t>();
  auto peer = Post("/api/v1/organisations", operator_admin_,
                   {{"name", "CERT-Peer (node B)"}, {"country", "DE"}, {"kind", "cert"}, {"shares_with_id", reader_id}});
  ASSERT_EQ(peer.status, 201) << peer.body;
  EXPECT_EQ(Body(peer)["shares_with_id"], reader_id);
  auto fetched = Get("/api/v1/organisations/" + std::to_string(Body(peer)["id"].get<int64_t>()), operator_admin_);
  EXPECT_EQ(Body(fetched)["shares_with_id"], reader_id);
  auto unknown = Post("/api/v1/organisations", operator_admin_,
                      {{"name", "CERT-Nowhere"}, {"country", "DE"}, {"kind", "cert"}, {"shares_with_id", 9999}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(ErrorMessage(unknown), HasSubstr("shares_with"));
}

TEST_F(AdminApiTest, NonAdminKeysAreRefusedEverywhereButTheDirectory) {
  for (const char* path : {"/api/v1/users", "/api/v1/keys", "/api/v1/audit", "/api/v1/audit/verify"}) {
    auto res = Get(path, member_analyst_);
    EXPECT_EQ(res.status, 403) << path;
    EXPECT_THAT(ErrorMessage(res), HasSubstr("admin")) << path;
  }
  // Every member names recipients from the node's directory; which
  // organisation stands in for a peer node is for admins.
  ASSERT_EQ(Post("/api/v1/organisations", operator_admin_,
                 {{"name", "Peer node"}, {"country", "DE"}, {"kind", "cert"}, {"shares_with_id", member_org_}})
                .status,
            201);
  auto directory = Get("/api/v1/organisations", member_analyst_);
  ASSERT_EQ(directory.status, 200) << directory.body;
  EXPECT_EQ(Body(directory)["organisations"].size(), 3u);
  const json first = Body(directory)["organisations"][0];
  for (const json& org : Body(directory)["organisations"]) {
    EXPECT_TRUE(org["shares_with_id"].is_null()) << "a peer's stand-in is the node's set-up: " << org.dump();
  }
  EXPECT_NE(Get("/api/v1/organisations", operator_admin_).body.find("\"shares_with_id\":" + std::to_string(member_org_)),
            std::string::npos);
  EXPECT_EQ(Get("/api/v1/organisations/" + std::to_string(first["id"].get<int64_t>()), member_analyst_).status, 200);
  EXPECT_EQ(Post("/api/v1/organisations", member_analyst_, {{"name", "X"}, {"country", "FR"}, {"kind", "cert"}}).status,
            403);
  EXPECT_EQ(Post("/api/v1/keys", member_analyst_, {{"user", "x"}, {"role", "reader"}}).status, 403);
  EXPECT_EQ(Get("/api/v1/keys", "").status, 401);
}

TEST_F(AdminApiTest, MemberAdminManagesOnlyItsOwnOrganisation) {
  // Its own users and keys: yes.
  auto user = Post("/api/v1/users", member_admin_,
                   {{"name", "wanjiru"}, {"role", "analyst"}, {"email", "w@cert.ke"}});
  ASSERT_EQ(user.status, 201) << user.body;
  EXPECT_EQ(Body(user)["organisation_id"], member_org_);
  auto key = Post("/api/v1/keys", member_admin_, {{"user", "wanjiru"}});
  ASSERT_EQ(key.status, 201) << key.body;

  // Other organisations: no.
  EXPECT_EQ(Post("/api/v1/organisations", member_admin_,
                 {{"name", "Rogue"}, {"country", "FR"}, {"kind", "cert"}}).status, 403);
  auto foreign_keys = Get("/api/v1/keys?organisation_id=" + std::to_string(operator_org_), member_admin_);
  EXPECT_EQ(foreign_keys.status, 403);
  EXPECT_THAT(ErrorMessage(foreign_keys), HasSubstr("operator organisation"));
  EXPECT_EQ(Post("/api/v1/users", member_admin_,
                 {{"name", "mole"}, {"role", "admin"}, {"organisation_id", operator_org_}}).status, 403);
  EXPECT_EQ(Post("/api/v1/keys", member_admin_,
                 {{"user", "mole"}, {"role", "admin"}, {"organisation_id", operator_org_}}).status, 403);

  // Its listings show only its own organisation.
  auto keys = Get("/api/v1/keys", member_admin_);
  ASSERT_EQ(keys.status, 200);
  const json keys_body = Body(keys);  // a named value: the loop must not range over a temporary
  ASSERT_FALSE(keys_body["keys"].empty());
  for (const json& listed : keys_body["keys"]) EXPECT_EQ(listed["organisation_id"], member_org_);
  auto users = Get("/api/v1/users", member_admin_);
  const json users_body = Body(users);
  ASSERT_FALSE(users_body["users"].empty());
  for (const json& listed : users_body["users"]) EXPECT_EQ(listed["organisation_id"], member_org_);

  // The operator's key cannot be revoked by it, and still works.
  const std::string operator_key_id = operator_admin_.substr(0, operator_admin_.find(':'));
  EXPECT_EQ(Call("DELETE", "/api/v1/keys/" + operator_key_id, member_admin_).status, 404);
  EXPECT_EQ(Get("/api/v1/whoami", operator_admin_).status, 200);
  // The operator's admin manages everyone's.
  auto all_keys = Get("/api/v1/keys", operator_admin_);
  EXPECT_EQ(Body(all_keys)["keys"].size(), 4u);
  const std::string member_key_id = Body(key)["key_id"];
  EXPECT_EQ(Call("DELETE", "/api/v1/keys/" + member_key_id, operator_admin_).status, 200);
}

TEST_F(AdminApiTest, NewKeySecretIsShownOnceAndNeverListedOrStored) {
  auto created = Post("/api/v1/keys", member_admin_, {{"user", "feeder"}, {"role", "contributor"}});
  ASSERT_EQ(created.status, 201) << created.body;
  json body = Body(created);
  const std::string token = body["key"];
  const std::string key_id = token.substr(0, token.find(':'));
  const std::string secret = token.substr(token.find(':') + 1);
  EXPECT_EQ(body["key_id"], key_id);
  EXPECT_EQ(body["user_created"], true);
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  ASSERT_EQ(secret.size(), 64u);

  auto whoami = Get("/api/v1/whoami", token);
  ASSERT_EQ(whoami.status, 200);
  EXPECT_EQ(Body(whoami)["role"], "contributor");

  auto list = Get("/api/v1/keys", member_admin_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  const json list_body = Body(list);
  for (const json& listed : list_body["keys"]) {
    EXPECT_FALSE(listed.contains("key"));
    EXPECT_FALSE(listed.contains("hash"));
    EXPECT_FALSE(listed.contains("salt"));
  }
  // Only the salted hash reaches the disk: the secret is in neither the
  // database file nor its write-ahead log.
  const std::string bytes = testing::ReadFile(node_.data_dir() + "/accord.db") +
                            testing::ReadFile(node_.data_dir() + "/accord.db-wal");
  EXPECT_EQ(bytes.find(secret), std::string::npos);
  EXPECT_NE(bytes.find(key_id), std::string::npos);
  // The audit log names the key, never the secret.
  std::string audit;
  ASSERT_TRUE(node_.store()
                  .ForEachAuditAfter(0, 1000,
                                     [&](const AuditEntry& entry) {
                                       audit += entry.object + " " + entry.detail + "\n";
                                       return Status::Ok();
                                     })
                  .ok());
  EXPECT_THAT(audit, HasSubstr(key_id));
  EXPECT_EQ(audit.find(secret), std::string::npos);
}

TEST_F(AdminApiTest, KeyExpiryIsHonouredByAuthentication) {
  auto created = Post("/api/v1/keys", member_admin_,
                      {{"user", "temp"}, {"role", "reader"}, {"expires", "1d"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = Body(created)["key"];
  EXPECT_EQ(Body(created)["expires"], "2026-03-02T00:00:00.000Z");
  EXPECT_EQ(Get("/api/v1/whoami", token).status, 200);
  clock_.Advance(std::chrono::hours(25));
  EXPECT_EQ(Get("/api/v1/whoami", token).status, 401);
  auto list = Get("/api/v1/keys", member_admin_);
  ASSERT_EQ(list.status, 200) << list.body;
  bool seen = false;
  const json list_body = Body(list);
  for (const json& listed : list_body["keys"]) {
    if (listed["key_id"] == Body(created)["key_id"]) {
      seen = true;
      EXPECT_EQ(listed["status"], "expired");
    }
  }
  EXPECT_TRUE(seen) << list.body;
  auto past = Post("/api/v1/keys", member_admin_, {{"user", "temp"}, {"expires", "2026-03-01"}});
  EXPECT_EQ(past.status, 400);
  EXPECT_THAT(ErrorMessage(past), HasSubstr("expires"));
}

TEST_F(AdminApiTest, RevokedKeyIsRefusedAndRevokingIsIdempotent) {
  auto created = Post("/api/v1/keys", member_admin_, {{"user", "short"}, {"role", "reader"}});
  ASSERT_EQ(created.status, 201);
  const std::string token = Body(created)["key"];
  const std::string key_id = Body(created)["key_id"];
  auto revoked = Call("DELETE", "/api/v1/keys/" + key_id, member_admin_);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Body(revoked)["status"], "revoked");
  EXPECT_EQ(Get("/api/v1/whoami", token).status, 401);
  EXPECT_EQ(Call("DELETE", "/api/v1/keys/" + key_id, member_admin_).status, 200);
  EXPECT_EQ(Call("DELETE", "/api/v1/keys/ak_0000000000000000", member_admin_).status, 404);
}

TEST_F(AdminApiTest, BadInputGetsTheRightStatusNamingTheField) {
  auto malformed = Call("POST", "/api/v1/users", member_admin_, "{not json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(ErrorMessage(malformed), HasSubstr("JSON"));
  auto wrong_type = Call("POST", "/api/v1/users", member_admin_, "name=x", "text/plain");
  EXPECT_EQ(wrong_type.status, 415);
  auto unknown = Post("/api/v1/users", member_admin_, {{"name", "x"}, {"role", "reader"}, {"colour", 1}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_THAT(ErrorMessage(unknown), HasSubstr("colour"));
  auto missing = Post("/api/v1/users", member_admin_, {{"role", "reader"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_THAT(ErrorMessage(missing), HasSubstr("name"));
  auto not_string = Post("/api/v1/users", member_admin_, {{"name", 7}, {"role", "reader"}});
  EXPECT_EQ(not_string.status, 400);
  auto bad_role = Post("/api/v1/users", member_admin_, {{"name", "x"}, {"role", "boss"}});
  EXPECT_EQ(bad_role.status, 400);
  EXPECT_THAT(ErrorMessage(bad_role), HasSubstr("role"));
  auto bad_email = Post("/api/v1/users", member_admin_, {{"name", "x"}, {"role", "reader"}, {"email", "nope"}});
  EXPECT_EQ(bad_email.status, 400);
  EXPECT_THAT(ErrorMessage(bad_email), HasSubstr("email"));
  ASSERT_EQ(Post("/api/v1/users", member_admin_, {{"name", "dup"}, {"role", "reader"}}).status, 201);
  auto duplicate = Post("/api/v1/users", member_admin_, {{"name", "dup"}, {"role", "reader"}});
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_THAT(ErrorMessage(duplicate), HasSubstr("dup"));
  auto unknown_user = Post("/api/v1/keys", member_admin_, {{"user", "ghost"}});
  EXPECT_EQ(unknown_user.status, 404);
  auto too_strong = Post("/api/v1/keys", member_admin_, {{"user", "dup"}, {"role", "admin"}});
  EXPECT_EQ(too_strong.status, 403);
  auto bad_country = Post("/api/v1/organisations", operator_admin_,
                          {{"name", "X"}, {"country", "XX"}, {"kind", "cert"}});
  EXPECT_EQ(bad_country.status, 400);
  EXPECT_THAT(ErrorMessage(bad_country), HasSubstr("country"));
  auto bad_kind = Post("/api/v1/organisations", operator_admin_,
                       {{"name", "X"}, {"country", "FR"}, {"kind", "club"}});
  EXPECT_EQ(bad_kind.status, 400);
  auto dup_org = Post("/api/v1/organisations", operator_admin_,
                      {{"name", "CERT-KE"}, {"country", "KE"}, {"kind", "cert"}});
  EXPECT_EQ(dup_org.status, 409);
  auto unknown_org = Post("/api/v1/users", operator_admin_,
                          {{"name", "x"}, {"role", "reader"}, {"organisation_id", 999}});
  EXPECT_EQ(unknown_org.status, 404);
  auto put = Call("PUT", "/api/v1/keys", member_admin_, "{}");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.Header("allow"), "GET, POST");
  EXPECT_EQ(Get("/api/v1/audit?limit=0", operator_admin_).status, 400);
  EXPECT_EQ(Get("/api/v1/audit?after_seq=x", operator_admin_).status, 400);
  EXPECT_EQ(Get("/api/v1/users?organisation_id=-1", operator_admin_).status, 400);
}

TEST_F(AdminApiTest, AuditLogPagesThroughEveryWriteWithActorAndAddressWithholdingOtherOrganisationsObjects) {
  for (const char* name : {"u1", "u2", "u3", "u4", "u5"}) {
    ASSERT_EQ(Post("/api/v1/users", member_admin_, {{"name", name}, {"role", "reader"}}).status, 201);
  }
  std::vector<json> records;
  std::string path = "/api/v1/audit?limit=2";
  int pages = 0;
  while (true) {
    auto page = Get(path, operator_admin_);
    ASSERT_EQ(page.status, 200) << page.body;
    json body = Body(page);
    ASSERT_LE(body["audit"].size(), 2u);
    for (const json& record : body["audit"]) records.push_back(record);
    ++pages;
    if (body["next"].is_null()) break;
    path = "/api/v1/audit?limit=2&after_seq=" + std::to_string(body["next"].get<int64_t>());
    ASSERT_LT(pages, 10);
  }
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(pages, 3);
  std::set<int64_t> seqs;
  const std::string actor = "key:" + member_admin_.substr(0, member_admin_.find(':'));
  for (const json& record : records) {
    seqs.insert(record["seq"].get<int64_t>());
    EXPECT_EQ(record["action"], "user.create");
    EXPECT_EQ(record["actor"], actor);
    EXPECT_EQ(record["source_address"], "127.0.0.1");
    // Another organisation's record: who, what action, when and from
    // where, but not what it acted on.
    EXPECT_EQ(record["withheld"], true);
    EXPECT_TRUE(record["object"].is_null()) << record.dump();
    EXPECT_TRUE(record["detail"].is_null()) << record.dump();
  }
  EXPECT_EQ(seqs.size(), 5u);
  ASSERT_EQ(Post("/api/v1/users", operator_admin_, {{"name", "hub-analyst"}, {"role", "analyst"}}).status, 201);
  json own = Body(Get("/api/v1/audit?after_seq=5", operator_admin_))["audit"];
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0]["withheld"], false);
  EXPECT_THAT(own[0]["object"].get<std::string>(), HasSubstr("hub-analyst"));

  auto verify = Get("/api/v1/audit/verify", operator_admin_);
  ASSERT_EQ(verify.status, 200);
  EXPECT_EQ(Body(verify)["intact"], true);
  EXPECT_EQ(Body(verify)["records"], 6);
  // The head, given back as an anchor, holds; one with another hash does not.
  const std::string head = Body(verify)["head"];
  EXPECT_TRUE(head.starts_with("6:")) << head;
  auto anchored = Get("/api/v1/audit/verify?anchor=" + head, operator_admin_);
  ASSERT_EQ(anchored.status, 200);
  EXPECT_EQ(Body(anchored)["intact"], true);
  auto forged = Get("/api/v1/audit/verify?anchor=6:" + std::string(64, 'f'), operator_admin_);
  ASSERT_EQ(forged.status, 200);
  EXPECT_EQ(Body(forged)["intact"], false);
  EXPECT_EQ(Get("/api/v1/audit/verify?anchor=5", operator_admin_).status, 400);
  EXPECT_EQ(Get("/api/v1/audit", member_admin_).status, 403);
  EXPECT_EQ(Get("/api/v1/audit/verify", member_admin_).status, 403);
}

}  // namespace
}  // namespace accord
