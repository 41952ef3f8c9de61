// ImportSourcesOf: what a path given to `accord import` stands for. A MISP
// feed (CIRCL's OSINT feed, any MISP instance's feed export) is a directory
// of "<uuid>.json" events listed by a manifest.json, and is imported by
// naming the directory or its manifest.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/io.h"
#include "exchange/exchange.h"
#include "misp/misp.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kManifestName = "manifest.json";

Result<std::vector<std::string>> ListedEvents(const fs::path& manifest) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, MispFeedEventFiles(manifest.string()));
  for (std::string& name : names) name = (manifest.parent_path() / name).string();
  return names;
}

}  // namespace

Result<std::vector<std::string>> MispFeedEventFiles(const std::string& manifest_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<InputStream> in, OpenInput(manifest_path));
  ASSIGN_OR_RETURN(std::vector<std::string> uuids, ParseMispFeedManifest(*in));
  std::sort(uuids.begin(), uuids.end());
  for (std::string& uuid : uuids) uuid += ".json";
  return uuids;
}

Result<std::vector<std::string>> ImportSourcesOf(const std::string& path) {
  if (path == "-") return std::vector<std::string>{path};
  std::error_code error;
  const fs::path given(path);
  if (fs::is_directory(given, error)) {
    const fs::path manifest = given / kManifestName;
    if (fs::is_regular_file(manifest, error)) return ListedEvents(manifest);
    std::vector<std::string> files;
    for (fs::directory_iterator entry(given, error), end; !error && entry != end; entry.increment(error)) {
      const std::string name = entry->path().filename().string();
      if (name.starts_with('.') || !entry->is_regular_file(error)) continue;
      files.push_back(entry->path().string());
    }
    if (error) return Status::IoError(path + ": cannot list the directory: " + error.message());
    std::sort(files.begin(), files.end());
    return files;
  }
  // A feed's manifest named directly; any other manifest.json is a file like
  // the rest, and its import says what it is.
  if (given.filename() == kManifestName) {
    Result<std::vector<std::string>> listed = ListedEvents(given);
    if (listed.ok()) return listed;
  }
  return std::vector<std::string>{path};
}

}  // namespace accord
