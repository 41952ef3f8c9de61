// HTML to PDF through Debian's Chromium in headless mode (the package the
// web UI's tests already need): `accord request show --pdf`. No shell is
// involved; the page is a temporary file that is removed afterwards.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "cli/cli.h"

extern char** environ;

namespace accord::cli {

Status PrintHtmlToPdf(const std::string& html, const std::string& pdf_path) {
  const char* configured = std::getenv("ACCORD_CHROMIUM");
  const std::string chromium = configured != nullptr && *configured != '\0' ? configured : "/usr/bin/chromium";
  std::error_code ec;
  if (!std::filesystem::exists(chromium, ec)) {
    return Status::FailedPrecondition(
        "--pdf needs Chromium (Debian's chromium package, or ACCORD_CHROMIUM); without it use "
        "--html and print the page from a browser");
  }
  std::string page = (std::filesystem::temp_directory_path() / "accord-request-XXXXXX.html").string();
  const int fd = mkstemps(page.data(), 5);
  if (fd < 0) return Status::IoError("cannot create a temporary file for the page");
  const bool written = write(fd, html.data(), html.size()) == static_cast<ssize_t>(html.size());
  close(fd);
  if (!written) {
    std::filesystem::remove(page, ec);
    return Status::IoError(page + ": write failed");
  }
  const std::string profile = page + ".profile";
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",  // root in containers; the page is our own
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--user-data-dir=" + profile,
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + std::filesystem::absolute(pdf_path).string(),
                                   "file://" + page};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, chromium.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (spawned == 0) waitpid(pid, &status, 0);
  std::filesystem::remove(page, ec);
  std::filesystem::remove_all(profile, ec);
  if (spawned != 0) return Status::IoError(chromium + ": cannot start it");
  std::ifstream pdf(pdf_path, std::ios::binary);
  char magic[5] = {};
  pdf.read(magic, sizeof magic);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || std::string(magic, 5) != "%PDF-") {
    return Status::IoError(chromium + " did not print " + pdf_path);
  }
  return Status::Ok();
}

}  // namespace accord::cli
