#include "testing/testing.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace accord::testing {

TempDir::TempDir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = base / ("accord-test-" + std::to_string(rd()));
    std::error_code ec;
    if (std::filesystem::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  std::abort();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::optional<std::filesystem::path> SharedData() {
  const char* env = std::getenv("ACCORD_SHARED_DATA");
  if (env == nullptr || *env == '\0') return std::nullopt;
  std::filesystem::path p(env);
  std::error_code ec;
  if (!std::filesystem::is_directory(p, ec)) return std::nullopt;
  return p;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CliRun RunCli(const std::string& binary, const std::string& args, const CliInvocation& how) {
  TempDir capture;
  const std::string command = (how.cwd.empty() ? "" : "cd '" + how.cwd + "' && ") + how.env +
                              " '" + binary + "' " + args + " > '" + capture.Join("out") +
                              "' 2> '" + capture.Join("err") + "' < '" + how.stdin_path + "'";
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadFile(capture.Join("out"));
  run.err = ReadFile(capture.Join("err"));
  return run;
}

std::string ArchiveOf(const std::vector<std::pair<std::string, std::string>>& files, ArchiveKind kind) {
  std::string bytes;
  struct archive* out = archive_write_new();
  if (kind == ArchiveKind::kZip) {
    archive_write_set_format_zip(out);
  } else if (kind == ArchiveKind::kGzip) {
    archive_write_set_format_raw(out);
    archive_write_add_filter_gzip(out);
  } else {
    archive_write_set_format_pax_restricted(out);
    if (kind == ArchiveKind::kTarGz) archive_write_add_filter_gzip(out);
  }
  archive_write_open(
      out, &bytes, nullptr,
      [](struct archive*, void* sink, const void* data, size_t size) -> la_ssize_t {
        static_cast<std::string*>(sink)->append(static_cast<const char*>(data), size);
        return static_cast<la_ssize_t>(size);
      },
      nullptr);
  for (const auto& [name, content] : files) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, name.ends_with("/") ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_write_header(out, entry);
    archive_write_data(out, content.data(), content.size());
    archive_entry_free(entry);
  }
  archive_write_close(out);
  archive_write_free(out);
  return bytes;
}

}  // namespace accord::testing
