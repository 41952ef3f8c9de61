#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/crypto.h"
#include "notify/notify.h"

namespace accord::notify {

Result<WebhookUrl> ParseWebhookUrl(const std::string& url) { return ParseHttpUrl(url, "webhook URL"); }

Result<WebhookUrl> ParseHttpUrl(const std::string& url, std::string_view what) {
  auto invalid = [&url, what](std::string_view why) {
    return Status::Invalid(fmt::format("{} '{}': {}", what, url, why));
  };
  WebhookUrl parsed;
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    parsed.scheme = "https";
    parsed.port = 443;
  } else if (rest.starts_with("http://")) {
    parsed.scheme = "http";
    parsed.port = 80;
  } else {
    return invalid("not an http:// or https:// URL");
  }
  rest.remove_prefix(parsed.scheme.size() + 3);
  const size_t path_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_at);
  parsed.path = path_at == std::string_view::npos ? "/" : std::string(rest.substr(path_at));
  if (parsed.path.front() == '?') parsed.path.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    // Not echoed: the URL holds a password.
    return Status::Invalid(fmt::format("{}: credentials in the URL are not supported", what));
  }
  std::string_view port_text;
  if (authority.starts_with('[')) {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unclosed '[' in the host");
    parsed.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("unexpected text after the host");
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (parsed.host.empty()) return invalid("no host");
  for (char c : parsed.host) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '\\') return invalid("bad character in the host");
  }
  if (!port_text.empty() || (authority.ends_with(':'))) {
    int port = 0;
    auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return invalid("the port is not a number from 1 to 65535");
    }
    parsed.port = port;
  }
  return parsed;
}

namespace {

struct Pending {
  std::string body;
  std::string delivery_id;  // the same on every attempt
};

bool Retryable(int status) { return status == 408 || status == 429 || status >= 500; }

}  // namespace

class Webhook::Impl {
 public:
  Impl(WebhookOptions options, WebhookUrl url)
      : options_(std::move(options)),
        url_(std::move(url)),
        // Errors name the receiver by scheme, host and port only: a webhook
        // URL's path is often its bearer secret (chat and SOAR webhooks), and
        // errors reach logs.
        origin_(fmt::format("{}://{}:{}", url_.scheme,
                            url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host,
                            url_.port)),
        client_(origin_) {
    const auto timeout = options_.timeout;
    client_.set_connection_timeout(timeout);
    client_.set_read_timeout(timeout);
    client_.set_write_timeout(timeout);
    client_.set_keep_alive(true);
    worker_ = std::thread([this] { Run(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }

  void Send(std::string body) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queue_.size() < options_.queue_limit || closing_; });
    ++queued_;
    if (closing_) {
      ++stats_.failed;
      ++finished_;
      return;
    }
    queue_.push_back({std::move(body), UuidV4()});
    changed_.notify_all();
  }

  WebhookStats Drain(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    const int64_t target = queued_;
    changed_.wait_for(lock, limit, [this, target] { return finished_ >= target; });
    return stats_;
  }

  WebhookStats stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }

  const std::string& url() const { return options_.url; }

 private:
  void Run() {
    for (;;) {
      Pending next;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
        if (closing_) {
          // Not delivered: the owner let go without draining.
          stats_.failed += static_cast<int64_t>(queue_.size());
          if (!queue_.empty()) stats_.last_error = "closed before delivery";
          finished_ += static_cast<int64_t>(queue_.size());
          queue_.clear();
          changed_.notify_all();
          return;
        }
        next = std::move(queue_.front());
        queue_.pop_front();
        changed_.notify_all();  // room for a waiting Send
      }
      const bool delivered = Deliver(next);
      std::lock_guard lock(mutex_);
      ++(delivered ? stats_.delivered : stats_.failed);
      ++finished_;
      changed_.notify_all();
    }
  }

  bool Deliver(const Pending& pending) {
    httplib::Headers headers = {{"User-Agent", "accord"}, {"X-Accord-Delivery", pending.delivery_id}};
    if (!options_.secret.empty()) {
      headers.emplace("X-Accord-Signature", "sha256=" + HmacSha256Hex(options_.secret, pending.body));
    }
    auto delay = options_.first_retry_delay;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      if (attempt > 1) {
        std::unique_lock lock(mutex_);
        ++stats_.retries;
        if (changed_.wait_for(lock, delay, [this] { return closing_; })) {
          stats_.last_error = "closed before delivery";
          return false;
        }
        delay *= 2;
      }
      httplib::Result result = client_.Post(url_.path, headers, pending.body, "application/json");
      std::string error;
      bool retry = true;
      if (!result) {
        error = fmt::format("{}: {}", origin_, httplib::to_string(result.error()));
      } else if (result->status >= 200 && result->status < 300) {
        return true;
      } else {
        error = fmt::format("{} answered HTTP {}", origin_, result->status);
        retry = Retryable(result->status);
      }
      {
        std::lock_guard lock(mutex_);
        stats_.last_error = std::move(error);
      }
      if (!retry) return false;
    }
    return false;
  }

  const WebhookOptions options_;
  const WebhookUrl url_;
  const std::string origin_;
  httplib::Client client_;  // the worker's only
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Pending> queue_;
  bool closing_ = false;
  int64_t queued_ = 0;    // bodies handed to Send
  int64_t finished_ = 0;  // of those, delivered or given up
  WebhookStats stats_;
  std::thread worker_;
};

Result<std::unique_ptr<Webhook>> Webhook::Start(WebhookOptions options) {
  ASSIGN_OR_RETURN(WebhookUrl url, ParseWebhookUrl(options.url));
  if (options.max_attempts < 1) return Status::Invalid("webhook: at least one attempt is needed");
  if (options.queue_limit < 1) return Status::Invalid("webhook: the queue must hold at least one body");
  return std::unique_ptr<Webhook>(new Webhook(std::make_unique<Impl>(std::move(options), std::move(url))));
}

Webhook::Webhook(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Webhook::~Webhook() = default;
void Webhook::Send(std::string body) { impl_->Send(std::move(body)); }
WebhookStats Webhook::Drain(std::chrono::milliseconds limit) { return impl_->Drain(limit); }
WebhookStats Webhook::stats() const { return impl_->stats(); }
const std::string& Webhook::url() const { return impl_->url(); }

}  // namespace accord::notify
