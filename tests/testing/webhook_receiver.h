// A webhook receiver for tests: a real HTTP server on 127.0.0.1 that keeps
// every request POSTed to /hook and answers with the statuses it is given,
// in turn (the last one repeats). Header-only: only the tests that link
// cpp-httplib (through accord_notify) include it.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace accord::testing {

class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::vector<int> statuses = {200}) : statuses_(std::move(statuses)) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      requests_.push_back(req);
      res.status = statuses_[std::min(requests_.size(), statuses_.size()) - 1];
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost; the socket already
    // listens, so clients connecting meanwhile wait in its backlog.
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~WebhookReceiver() { Stop(); }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // Nothing listens on port() afterwards.
  void Stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int port() const { return port_; }
  std::vector<httplib::Request> Requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  httplib::Server server_;
  std::vector<int> statuses_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<httplib::Request> requests_;
};

}  // namespace accord::testing
