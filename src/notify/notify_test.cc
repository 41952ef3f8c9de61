// Webhook delivery against a real HTTP server on loopback.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto.h"
#include "notify/notify.h"
#include "testing/webhook_receiver.h"

namespace accord::notify {
namespace {

using Receiver = testing::WebhookReceiver;

WebhookOptions Options(const std::string& url) {
  WebhookOptions options;
  options.url = url;
  options.first_retry_delay = std::chrono::milliseconds(5);
  options.timeout = std::chrono::seconds(5);
  return options;
}

constexpr std::chrono::seconds kDrainLimit{20};

TEST(WebhookTest, PostsEachBodyInOrderAsJsonSignedWithTheSecret) {
  Receiver receiver;
  WebhookOptions options = Options(receiver.Url());
  options.secret = "shared secret";
  auto webhook = Webhook::Start(options);
  ASSERT_TRUE(webhook.ok()) << webhook.status().ToString();
  const std::vector<std::string> bodies = {R"({"n":1})", R"({"n":2})", R"({"n":3})"};
  for (const std::string& body : bodies) (*webhook)->Send(body);
  WebhookStats stats = (*webhook)->Drain(kDrainLimit);
  EXPECT_EQ(stats.delivered, 3);
  EXPECT_EQ(stats.failed, 0);
  auto requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 3u);
  std::vector<std::string> ids;
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].body, bodies[i]);
    EXPECT_EQ(requests[i].get_header_value("Content-Type"), "application/json");
    EXPECT_EQ(requests[i].get_header_value("X-Accord-Signature"),
              "sha256=" + HmacSha256Hex("shared secret", bodies[i]));
    ids.push_back(requests[i].get_header_value("X-Accord-Delivery"));
    EXPECT_TRUE(IsUuid(ids.back())) << ids.back();
  }
  EXPECT_NE(ids[0], ids[1]);
}

TEST(WebhookTest, UnsignedWithoutASecret) {
  Receiver receiver;
  auto webhook = Webhook::Start(Options(receiver.Url()));
  ASSERT_TRUE(webhook.ok());
  (*webhook)->Send("{}");
  EXPECT_EQ((*webhook)->Drain(kDrainLimit).delivered, 1);
  ASSERT_EQ(receiver.Requests().size(), 1u);
  EXPECT_FALSE(receiver.Requests()[0].has_header("X-Accord-Signature"));
}

TEST(WebhookTest, RetriesServerErrorsWithTheSameDeliveryIdUntilAccepted) {
  Receiver receiver({503, 500, 200});
  auto webhook = Webhook::Start(Options(receiver.Url()));
  ASSERT_TRUE(webhook.ok());
  (*webhook)->Send(R"({"alert":1})");
  WebhookStats stats = (*webhook)->Drain(kDrainLimit);
  EXPECT_EQ(stats.delivered, 1);
  EXPECT_EQ(stats.failed, 0);
  EXPECT_EQ(stats.retries, 2);
  auto requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].get_header_value("X-Accord-Delivery"), requests[2].get_header_value("X-Accord-Delivery"));
}

TEST(WebhookTest, GivesUpAfterTheLastAttemptAndSaysWhy) {
  Receiver receiver({500});
  WebhookOptions options = Options(receiver.Url());
  options.max_attempts = 3;
  auto webhook = Webhook::Start(options);
  ASSERT_TRUE(webhook.ok());
  (*webhook)->Send("{}");
  WebhookStats stats = (*webhook)->Drain(kDrainLimit);
  EXPECT_EQ(stats.delivered, 0);
  EXPECT_EQ(stats.failed, 1);
  EXPECT_EQ(receiver.Requests().size(), 3u);
  EXPECT_NE(stats.last_error.find("HTTP 500"), std::string::npos) << stats.last_error;
}

TEST(WebhookTest, ClientErrorsAreNotRetried) {
  Receiver receiver({400});
  auto webhook = Webhook::Start(Options(receiver.Url()));
  ASSERT_TRUE(webhook.ok());
  (*webhook)->Send("{}");
  WebhookStats stats = (*webhook)->Drain(kDrainLimit);
  EXPECT_EQ(stats.failed, 1);
  EXPECT_EQ(receiver.Requests().size(), 1u);
}

TEST(WebhookTest, ErrorsNameTheReceiverButNotItsPath) {
  // A chat or SOAR webhook's path is its secret; errors go to logs.
  Receiver receiver;
  const int port = receiver.port();
  receiver.Stop();  // nothing listens there now
  WebhookOptions options = Options("http://127.0.0.1:" + std::to_string(port) + "/services/T0/B0/SECRETTOKEN");
  options.max_attempts = 2;
  auto webhook = Webhook::Start(options);
  ASSERT_TRUE(webhook.ok());
  (*webhook)->Send("{}");
  WebhookStats stats = (*webhook)->Drain(kDrainLimit);
  EXPECT_EQ(stats.failed, 1);
  EXPECT_NE(stats.last_error.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << stats.last_error;
  EXPECT_EQ(stats.last_error.find("SECRETTOKEN"), std::string::npos) << stats.last_error;
}

TEST(WebhookTest, AFullQueueMakesSendWaitInsteadOfDropping) {
  Receiver receiver;
  WebhookOptions options = Options(receiver.Url());
  options.queue_limit = 1;
  auto webhook = Webhook::Start(options);
  ASSERT_TRUE(webhook.ok());
  for (int i = 0; i < 20; ++i) (*webhook)->Send(R"({"i":)" + std::to_string(i) + "}");
  WebhookStats stats = (*webhook)->Drain(kDrainLimit);
  EXPECT_EQ(stats.delivered, 20);
  EXPECT_EQ(receiver.Requests().size(), 20u);
}

TEST(WebhookTest, ClosingWithoutDrainingDoesNotWaitOutARetryDelay) {
  Receiver receiver({500});
  WebhookOptions options = Options(receiver.Url());
  options.first_retry_delay = std::chrono::milliseconds(60000);  // stuck retrying the first
  auto webhook = Webhook::Start(options);
  ASSERT_TRUE(webhook.ok());
  (*webhook)->Send("{}");
  (*webhook)->Send("{}");
  // The first body waits a minute before its retry; closing must not.
  const auto start = std::chrono::steady_clock::now();
  webhook->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST(WebhookUrlTest, TakesHttpAndHttpsUrlsWithPortsPathsAndIpv6Hosts) {
  auto plain = ParseWebhookUrl("http://soar.example/hooks/accord?team=cert");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->scheme, "http");
  EXPECT_EQ(plain->host, "soar.example");
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->path, "/hooks/accord?team=cert");
  auto tls = ParseWebhookUrl("https://[2001:db8::1]:8443");
  ASSERT_TRUE(tls.ok());
  EXPECT_EQ(tls->host, "2001:db8::1");
  EXPECT_EQ(tls->port, 8443);
  EXPECT_EQ(tls->path, "/");
  EXPECT_EQ(ParseWebhookUrl("https://h.example")->port, 443);
}

TEST(WebhookUrlTest, RefusesWhatIsNotAnHttpUrlNamingIt) {
  for (const std::string bad : {"ftp://h.example/", "http://", "h.example/hook", "http://h.example:0/",
                                "http://h.example:99999/", "http://h.example:80x/", "https://[::1/",
                                "http://h example/"}) {
    auto parsed = ParseWebhookUrl(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(bad), std::string::npos) << parsed.status().message();
  }
  auto with_password = ParseWebhookUrl("http://user:pw@h.example/");
  ASSERT_FALSE(with_password.ok());
  EXPECT_EQ(with_password.status().message().find("pw@"), std::string::npos);  // not echoed
  EXPECT_FALSE(Webhook::Start(WebhookOptions{.url = "ftp://x"}).ok());
}

}  // namespace
}  // namespace accord::notify
