// The server's workers: more start when every one is busy, up to the
// maximum; those past the minimum end when idle, each releasing its
// thread's resources; and, on the real server, clients sending their
// headers slowly no longer stop it answering others.
#include "server/worker_pool.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "server/server_testing.h"

namespace accord {
namespace {

using namespace std::chrono_literals;

// Jobs that hold their worker until released, counting themselves.
struct Gate {
  std::mutex mu;
  std::condition_variable changed;
  int started = 0;
  int finished = 0;
  bool open = false;

  std::function<void()> Job() {
    return [this] {
      std::unique_lock<std::mutex> lock(mu);
      ++started;
      changed.notify_all();
      changed.wait(lock, [this] { return open; });
      ++finished;
      changed.notify_all();
    };
  }
  // Waits (at most a minute, so a broken pool fails rather than hangs).
  template <typename Predicate>
  bool Await(Predicate done) {
    std::unique_lock<std::mutex> lock(mu);
    return changed.wait_for(lock, 60s, done);
  }
};

TEST(WorkerPoolTest, MoreWorkersStartWhenEveryOneIsBusyUpToTheMaximumAndTheExtraOnesEndWhenIdle) {
  std::atomic<int> ended{0};
  server::WorkerPool pool(2, 5, 20ms, [&ended] { ++ended; });
  EXPECT_EQ(pool.workers(), 2u);
  Gate gate;
  for (int i = 0; i < 8; ++i) pool.enqueue(gate.Job());
  // Five run at once, the most the pool has; three wait for a worker.
  ASSERT_TRUE(gate.Await([&] { return gate.started == 5; }));
  EXPECT_EQ(pool.workers(), 5u);
  {
    std::lock_guard<std::mutex> lock(gate.mu);
    EXPECT_EQ(gate.started, 5);
    gate.open = true;
  }
  gate.changed.notify_all();
  ASSERT_TRUE(gate.Await([&] { return gate.finished == 8; }));
  // Idle, the three past the minimum end, each releasing what it held.
  std::mutex mu;
  std::condition_variable never;
  std::unique_lock<std::mutex> lock(mu);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while ((pool.workers() > 2 || ended.load() < 3) && std::chrono::steady_clock::now() < deadline) {
    never.wait_for(lock, 5ms);
  }
  EXPECT_EQ(pool.workers(), 2u);
  EXPECT_EQ(ended.load(), 3);
  pool.shutdown();
  EXPECT_EQ(pool.workers(), 0u);
  EXPECT_EQ(ended.load(), 5);
}

TEST(WorkerPoolTest, ShutdownRunsWhatIsQueuedFirst) {
  std::atomic<int> ran{0};
  {
    server::WorkerPool pool(1, 1, 20ms, nullptr);
    for (int i = 0; i < 20; ++i) pool.enqueue([&ran] { ++ran; });
    pool.shutdown();
  }
  EXPECT_EQ(ran.load(), 20);
}

// A connection that sends the start of a request and then nothing, as a
// slow client (or an attacker) does.
int OpenSlowConnection(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return -1;
  const std::string start = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n";
  if (send(fd, start.data(), start.size(), 0) != static_cast<ssize_t>(start.size())) return -1;
  return fd;
}

// Open and unanswered: nothing to read, and not closed by the server.
bool StillWaiting(int fd) {
  char byte = 0;
  const ssize_t got = recv(fd, &byte, 1, MSG_DONTWAIT);
  return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

TEST(WorkerPoolTest, ClientsSendingTheirHeadersSlowlyDoNotStopTheServerAnsweringOthers) {
  testing::TestServer node;
  node.AddOrganisation("CERT-A");
  ServerConfig config;
  config.threads = 2;
  config.max_threads = 32;
  // Far longer than the test: a server that answered only once the slow
  // ones timed out would have closed them first.
  config.read_timeout_seconds = 120;
  node.Start(config);
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {
    const int fd = OpenSlowConnection(node.port());
    ASSERT_GE(fd, 0) << "connection " << i;
    slow.push_back(fd);
  }
  testing::HttpResponse health = node.Get("/healthz", "");
  EXPECT_EQ(health.status, 200);
  for (int fd : slow) {
    EXPECT_TRUE(StillWaiting(fd)) << "answered only after the slow clients were dropped";
    close(fd);
  }
}

}  // namespace
}  // namespace accord
