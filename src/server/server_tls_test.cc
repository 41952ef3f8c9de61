// HTTPS: `accord serve --tls-cert/--tls-key` with a certificate the test
// makes with the openssl command, reached by libcurl verifying it against
// that certificate; plain HTTP to the same port is not served.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/server_testing.h"

namespace accord {
namespace {

using testing::TestServer;

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// GET over the given URL trusting only `ca_file`; returns the HTTP status, or
// -1 with the curl error in `body` when the transfer failed.
long Get(const std::string& url, const std::string& ca_file, const std::string& bearer,
         std::string& body) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  struct curl_slist* headers = nullptr;
  const std::string auth = "Authorization: Bearer " + bearer;
  if (!bearer.empty()) headers = curl_slist_append(headers, auth.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  const CURLcode code = curl_easy_perform(curl);
  long status = -1;
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  } else {
    body = curl_easy_strerror(code);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

TEST(ServerTlsTest, ServesHttpsWithTheConfiguredCertificateAndRefusesPlainHttp) {
  testing::TempDir dir;
  const std::string cert = dir.Join("cert.pem");
  const std::string key_file = dir.Join("key.pem");
  const std::string make_cert =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout '" + key_file + "' -out '" + cert +
      "' 2>/dev/null";
  ASSERT_EQ(std::system(make_cert.c_str()), 0) << "openssl could not make a test certificate";

  TestServer node;
  const int64_t org = node.AddOrganisation("CERT-A");
  const std::string api_key = node.AddKey(org, Role::kAnalyst);
  ServerConfig config;
  config.tls_cert_file = cert;
  config.tls_key_file = key_file;
  node.Start(config);
  const std::string port = std::to_string(node.port());

  std::string body;
  ASSERT_EQ(Get("https://127.0.0.1:" + port + "/api/v1/whoami", cert, api_key, body), 200) << body;
  EXPECT_EQ(nlohmann::json::parse(body)["role"], "analyst");

  std::string plain;
  EXPECT_NE(Get("http://127.0.0.1:" + port + "/healthz", cert, "", plain), 200);

  // A client that does not trust the certificate is refused by its own check.
  std::string untrusted;
  EXPECT_EQ(Get("https://127.0.0.1:" + port + "/healthz", "/dev/null", "", untrusted), -1);
}

TEST(ServerTlsTest, ACertificateThatDoesNotLoadIsAnErrorAtCreate) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("cert.pem"), "not a certificate");
  testing::WriteFile(dir.Join("key.pem"), "not a key");
  TestServer node;
  node.AddOrganisation("CERT-A");
  ServerConfig config;
  config.data_dir = node.data_dir();
  config.tls_cert_file = dir.Join("cert.pem");
  config.tls_key_file = dir.Join("key.pem");
  SystemClock clock;
  auto server = Server::Create(config, clock);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("TLS"), std::string::npos) << server.status().ToString();
}

}  // namespace
}  // namespace accord
