// MatchFiles: files, quoted globs and archives of telemetry read in turn
// into one handler (accord match).
#include <fmt/format.h>
#include <glob.h>

#include "match/match.h"

namespace accord::match {

Status MatchFiles(const std::vector<std::string>& paths, const telemetry::ReaderOptions& options,
                  telemetry::RecordHandler& handler, int64_t* bytes_read) {
  std::vector<std::string> expanded;
  for (const std::string& path : paths) {
    // Quoted globs ("logs/*.log.gz") are expanded here, as the shell would.
    if (path != "-" && path.find_first_of("*?[") != std::string::npos) {
      glob_t found{};
      const int rc = glob(path.c_str(), 0, nullptr, &found);
      if (rc == 0) {
        for (size_t path_idx = 0; path_idx < found.gl_pathc; ++path_idx) {
          expanded.emplace_back(found.gl_pathv[path_idx]);
        }
      }
      globfree(&found);
      if (rc != 0) return Status::NotFound(path + ": no file matches");
      continue;
    }
    expanded.push_back(path);
  }
  std::vector<std::string> unreadable;  // one message per file not read whole
  Status handler_error = Status::Ok();
  auto read = [&](InputStream& in) -> Status {
    telemetry::ReadStats stats;
    Status status = telemetry::ReadTelemetry(in, options, handler, &stats);
    if (bytes_read != nullptr) *bytes_read += stats.bytes;
    if (!status.ok() && !stats.input_error) handler_error = status;
    return status;
  };
  for (const std::string& path : expanded) {
    Status status = Status::Ok();
    // A tar of a day's logs (or a zip of several): each file in it, in order.
    if (IsArchiveOfFiles(path)) {
      status = ForEachArchiveMember(path, read).status();
    } else if (auto in = OpenInput(path); !in.ok()) {
      status = in.status();
    } else {
      status = read(**in);
    }
    if (!handler_error.ok()) return handler_error;
    if (!status.ok()) unreadable.push_back(status.message());
  }
  if (unreadable.empty()) return Status::Ok();
  std::string message = fmt::format("{} of {} inputs not read to the end (what was read is matched): ",
                                    unreadable.size(), expanded.size());
  for (size_t file_idx = 0; file_idx < unreadable.size(); ++file_idx) {
    message += (file_idx == 0 ? "" : "; ") + unreadable[file_idx];
  }
  return Status::IoError(message);
}

}  // namespace accord::match
