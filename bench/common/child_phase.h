// Runs one benchmark phase in a child process, so that each phase's peak
// RSS is its own (getrusage of the child), and returns its wall time and
// the count the phase reported (negative on failure).
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>

namespace accord::bench {

struct PhaseResult {
  double seconds = 0;
  long max_rss_kb = 0;
  int64_t count = 0;
};

template <typename Fn>
PhaseResult RunPhase(Fn fn) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) std::abort();
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    const int64_t count = fn();
    if (write(pipe_fds[1], &count, sizeof count) != sizeof count) _exit(3);
    _exit(count >= 0 ? 0 : 1);
  }
  close(pipe_fds[1]);
  PhaseResult result;
  if (read(pipe_fds[0], &result.count, sizeof result.count) != sizeof result.count) result.count = -1;
  close(pipe_fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.max_rss_kb = usage.ru_maxrss;
  return result;
}

}  // namespace accord::bench
