#include "server/worker_pool.h"

#include <system_error>
#include <thread>
#include <utility>

namespace accord::server {

WorkerPool::WorkerPool(size_t threads, size_t max_threads, std::chrono::milliseconds idle_end,
                       std::function<void()> on_worker_end)
    : min_workers_(threads < 1 ? 1 : threads),
      max_workers_(max_threads < min_workers_ ? min_workers_ : max_threads),
      idle_end_(idle_end),
      on_worker_end_(std::move(on_worker_end)) {
  std::lock_guard<std::mutex> lock(mu_);
  // Fewer if the system refuses threads: enqueue() tries again.
  for (size_t i = 0; i < min_workers_ && StartWorker(); ++i) {
  }
}

bool WorkerPool::StartWorker() {
  ++workers_;
  ++threads_;
  try {
    // Detached: a worker past the minimum ends on its own; shutdown()
    // waits for the count of threads to reach zero instead of joining.
    std::thread([this] { Work(); }).detach();
    return true;
  } catch (const std::system_error&) {
    // Out of threads (a pids limit, ulimit -u, memory): the connection
    // waits for a worker rather than the server ending.
    --workers_;
    --threads_;
    return false;
  }
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(job));
    if (idle_ < jobs_.size() && workers_ < max_workers_ && !shutting_down_) StartWorker();
  }
  work_.notify_one();
}

void WorkerPool::shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  shutting_down_ = true;
  work_.notify_all();
  ended_.wait(lock, [this] { return threads_ == 0; });
}

size_t WorkerPool::workers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return workers_;
}

void WorkerPool::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    ++idle_;
    bool idled_out = false;
    while (jobs_.empty() && !shutting_down_) {
      if (workers_ <= min_workers_) {
        work_.wait(lock);
      } else if (work_.wait_for(lock, idle_end_) == std::cv_status::timeout && jobs_.empty() &&
                 workers_ > min_workers_) {
        idled_out = true;
        break;
      }
    }
    --idle_;
    if (idled_out || jobs_.empty()) {  // idle too long, or shutting down with nothing left
      --workers_;
      break;
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
  // Counted as a thread until its resources are released, so shutdown()
  // returns only after every on_worker_end_ has run.
  lock.unlock();
  if (on_worker_end_) on_worker_end_();
  lock.lock();
  --threads_;
  ended_.notify_all();
}

}  // namespace accord::server
