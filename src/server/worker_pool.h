// The server's workers, as cpp-httplib's task queue. A connection holds its
// worker for as long as it is open: a keep-alive client between requests,
// or a slow one sending its headers a line every few seconds (httplib's read
// timeout is per read, not per request). httplib's own pool is fixed, so 32
// such clients stopped a node answering anyone. Here `threads` workers
// always run and more are started, up to `max_threads`, whenever a
// connection arrives and none is idle; a worker past `threads` ends once it
// has been idle for `idle_end`, calling `on_worker_end` on its own thread
// first (the server closes that thread's store). Internal to src/server.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace accord::server {

class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(size_t threads, size_t max_threads, std::chrono::milliseconds idle_end,
             std::function<void()> on_worker_end);
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void enqueue(std::function<void()> job) override;
  // Runs what is queued, then ends every worker and waits for them.
  void shutdown() override;

  // How many workers run now (busy or idle).
  size_t workers() const;

 private:
  void Work();
  // Starts one more worker; false when the system would not give a thread
  // (the job stays queued for the workers there are). Called with mu_ held.
  bool StartWorker();

  const size_t min_workers_;
  const size_t max_workers_;
  const std::chrono::milliseconds idle_end_;
  const std::function<void()> on_worker_end_;
  mutable std::mutex mu_;
  std::condition_variable work_;   // a job queued, or shutdown
  std::condition_variable ended_;  // a worker ended
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  // Workers serving, or waiting to: a worker that decides to end leaves
  // this count at once, under mu_, so two idling out together cannot both
  // take the pool below its minimum.
  size_t workers_ = 0;                       // guarded by mu_
  // Threads not yet finished (a worker that left workers_ still releases
  // its thread's resources); shutdown() waits for none.
  size_t threads_ = 0;                       // guarded by mu_
  size_t idle_ = 0;                          // guarded by mu_
  bool shutting_down_ = false;               // guarded by mu_
};

}  // namespace accord::server
