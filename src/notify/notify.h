// Alert delivery to webhooks: each alert is POSTed as one JSON object to a
// URL that an `accord match` run or a node names, so a SOAR, a ticketing
// system or a chat bridge hears of it as it happens.
//
// Delivery runs on a thread of its own behind a bounded queue, so matching
// does not wait for the receiver unless the queue fills (then it waits
// rather than drop an alert). Each body is retried on connection errors,
// 408, 429 and 5xx answers, with doubling delays, and carries a delivery id
// that stays the same across retries so a receiver can drop repeats. With
// a secret, each body is signed: X-Accord-Signature: sha256=<hex HMAC-SHA256
// of the body under the secret>.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace accord::notify {

struct WebhookOptions {
  std::string url;     // http:// or https://, with an optional port and path
  std::string secret;  // empty: bodies are not signed
  int max_attempts = 4;
  std::chrono::milliseconds first_retry_delay{500};  // then doubled per attempt
  std::chrono::seconds timeout{10};                  // connect, read and write, each
  size_t queue_limit = 10000;                        // bodies waiting; Send waits beyond
};

struct WebhookStats {
  int64_t delivered = 0;
  int64_t failed = 0;      // given up after the last attempt, or not sent at close
  int64_t retries = 0;
  std::string last_error;  // of the last failed attempt; never holds the secret
};

struct WebhookUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;        // the scheme's default when the URL names none
  std::string path;    // "/" when the URL names none; with its query
};

// Invalid naming the URL when it is not an http(s) URL with a host.
Result<WebhookUrl> ParseWebhookUrl(const std::string& url);
// The same for any http(s) URL; `what` names it in errors ("feed URL").
Result<WebhookUrl> ParseHttpUrl(const std::string& url, std::string_view what);

class Webhook {
 public:
  // Starts the delivery thread; Invalid for a bad URL or options.
  static Result<std::unique_ptr<Webhook>> Start(WebhookOptions options);
  // Gives up on whatever is still queued (counted as failed); Drain first
  // to deliver it.
  ~Webhook();
  Webhook(const Webhook&) = delete;
  Webhook& operator=(const Webhook&) = delete;

  // Queues one body, a JSON object; waits while the queue is full.
  void Send(std::string body);
  // Waits until every body queued so far was delivered or given up, for at
  // most `limit`; returns the counts then.
  WebhookStats Drain(std::chrono::milliseconds limit);
  WebhookStats stats() const;
  const std::string& url() const;

  class Impl;

 private:
  explicit Webhook(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace accord::notify
