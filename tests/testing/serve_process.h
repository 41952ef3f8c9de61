// `accord serve --listen 127.0.0.1:0` as a child process, for end-to-end
// tests that need the real server binary (not an in-process Server): its
// settings from the command line, a kill at any moment, a restart on the
// same data directory.
//
// Header-only; POSIX. The port comes from the server's first stdout line.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <string>
#include <vector>

extern char** environ;

namespace accord::testing {

class ServeProcess {
 public:
  // Starts `binary serve --data data_dir --listen 127.0.0.1:0 --threads 2`
  // plus `extra_args`, its stderr to `stderr_path`, and waits for the line
  // that names the port (port() is 0 if the server exited first).
  ServeProcess(const std::string& binary, const std::string& data_dir,
               const std::string& stderr_path, const std::vector<std::string>& extra_args = {}) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> args = {binary,     "serve",       "--data",    data_dir,
                                     "--listen", "127.0.0.1:0", "--threads", "2"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (rc != 0) {
      pid_ = -1;
      ::close(pipe_fds[0]);
      return;
    }
    stdout_ = ::fdopen(pipe_fds[0], "r");
    char line[512];
    // Blocks until the line arrives, or returns null if the server exits first.
    if (stdout_ != nullptr && std::fgets(line, sizeof line, stdout_) != nullptr) {
      first_line_ = line;
      std::smatch m;
      if (std::regex_search(first_line_, m,
                            std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)"))) {
        port_ = std::stoi(m[1]);
      }
    }
  }
  ~ServeProcess() {
    Kill();
    if (stdout_ != nullptr) std::fclose(stdout_);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }

  // SIGTERM, then the exit code (-1 if it did not exit normally).
  int Terminate() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // SIGKILL, as a power cut or the OOM killer would end it: no shutdown
  // code runs. Returns once the process is gone.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  std::string first_line_;
  int port_ = 0;
};

}  // namespace accord::testing
