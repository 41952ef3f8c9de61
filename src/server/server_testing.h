// Test harness for the server: a node in a temp dir with organisations and
// API keys, the real Server on 127.0.0.1 port 0 in a background thread, and
// a libcurl client. For *_test.cc files in src/server only.
#pragma once

#include <curl/curl.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "core/time.h"
#include "server/server.h"
#include "store/store.h"
#include "testing/testing.h"

namespace accord::testing {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct HttpRequest {
  std::string method = "GET";
  std::string path;             // "/api/v1/events?limit=2"
  std::string body;
  std::vector<std::string> headers;  // "Accept: application/taxii+json;version=2.1"
  std::string bearer;           // "KEYID:SECRET" -> Authorization: Bearer
  std::string basic_user;       // with basic_password -> HTTP Basic
  std::string basic_password;
};

class TestServer {
 public:
  TestServer() {
    auto store = OpenStore({dir_.Join("node"), true});
    if (!store.ok()) throw std::runtime_error(store.status().ToString());
    store_ = std::move(store).value();
  }
  ~TestServer() { Stop(); }

  // Creates an organisation and returns its id; `shares_with`: see
  // Organisation::shares_with_org_id.
  int64_t AddOrganisation(const std::string& name, const std::string& country = "FR", int64_t shares_with = 0) {
    Organisation org;
    org.shares_with_org_id = shares_with;
    org.uuid = UuidV4();
    org.name = name;
    org.country = country;
    org.kind = "cert";
    org.created = "2026-01-01T00:00:00.000Z";
    auto created = store_->CreateOrganisation(org);
    if (!created.ok()) throw std::runtime_error(created.status().ToString());
    if (!store_->GetMeta("operator_org_id").value()) {
      (void)store_->SetMeta("operator_org_id", std::to_string(created->id));
      (void)store_->SetMeta("node_id", UuidV4());
    }
    return created->id;
  }

  // Creates an API key and returns "KEYID:SECRET".
  std::string AddKey(int64_t org_id, Role role, const std::string& expires = "") {
    ApiKey key;
    key.key_id = "ak_" + RandomHex(8);
    std::string secret = RandomHex(32);
    key.secret = HashSecret(secret);
    key.org_id = org_id;
    key.user = "test";
    key.role = role;
    key.created = "2026-01-01T00:00:00.000Z";
    key.expires = expires;
    auto created = store_->CreateApiKey(key);
    if (!created.ok()) throw std::runtime_error(created.status().ToString());
    return key.key_id + ":" + secret;
  }

  Store& store() { return *store_; }
  const std::string& data_dir() const { return data_dir_; }

  void Start(ServerConfig config = {}) {
    config.data_dir = data_dir_;
    config.host = "127.0.0.1";
    config.port = 0;
    if (config.threads == 32) config.threads = 4;
    auto server = Server::Create(config, clock_);
    if (!server.ok()) throw std::runtime_error(server.status().ToString());
    server_ = std::move(server).value();
    Status s = server_->Start();
    if (!s.ok()) throw std::runtime_error(s.ToString());
    thread_ = std::thread([this] { server_->Wait(); });
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  void Stop() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  const std::string& base_url() const { return base_; }
  int port() const { return server_ ? server_->port() : 0; }
  notify::WebhookStats DrainAlertWebhook(std::chrono::milliseconds limit) {
    return server_->DrainAlertWebhook(limit);
  }

  HttpResponse Send(const HttpRequest& request) const {
    HttpResponse response;
    CURL* curl = curl_easy_init();
    std::string url = base_ + request.path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    struct curl_slist* headers = nullptr;
    for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
    if (!request.bearer.empty()) {
      headers = curl_slist_append(headers, ("Authorization: Bearer " + request.bearer).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (!request.basic_user.empty()) {
      curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(curl, CURLOPT_USERNAME, request.basic_user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, request.basic_password.c_str());
    }
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
        while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
        (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
      }
      return s * n;
    });
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return response;
  }

  HttpResponse Get(const std::string& path, const std::string& key,
                   std::vector<std::string> headers = {}) const {
    HttpRequest r;
    r.path = path;
    r.bearer = key;
    r.headers = std::move(headers);
    return Send(r);
  }
  HttpResponse Post(const std::string& path, const std::string& key, const std::string& body,
                    const std::string& content_type = "application/json") const {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.bearer = key;
    r.body = body;
    r.headers = {"Content-Type: " + content_type};
    return Send(r);
  }

 private:
  TempDir dir_;
  std::string data_dir_ = dir_.Join("node");
  std::unique_ptr<Store> store_;
  SystemClock clock_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::string base_;
};

}  // namespace accord::testing
