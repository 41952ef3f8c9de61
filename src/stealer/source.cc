// Folders and archives to machine folders (see source.h).
#include "stealer/source.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>

namespace accord::stealer {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string Parent(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

std::string Relative(std::string_view path, std::string_view root) {
  return std::string(root.empty() ? path : path.substr(root.size() + 1));
}

// Only files a parser reads are loaded; screenshots and grabbed binaries
// are listed without content.
bool IsTextName(std::string_view name) {
  const std::string lower = Lower(name);
  for (std::string_view ext : {".txt", ".json", ".log", ".csv", ".ini"}) {
    if (lower.ends_with(ext)) return true;
  }
  return false;
}

// Entry names as archives spell them, made relative and with '/' only; an
// absolute name or one with a ".." component is unsafe.
std::string CleanName(std::string_view raw, bool* unsafe) {
  std::string name(raw);
  std::replace(name.begin(), name.end(), '\\', '/');
  *unsafe = name.starts_with('/') || (name.size() > 1 && name[1] == ':');
  std::string out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string_view part(name.data() + start, end - start);
    if (part == "..") *unsafe = true;
    if (!part.empty() && part != "." && part != "..") {
      if (!out.empty()) out += '/';
      out += part;
    }
    start = end + 1;
  }
  return out;
}

// Every proper ancestor folder of `path` ("a/b/c" -> "a/b", "a", ""),
// nearest first.
template <typename Fn>
bool AnyAncestor(std::string_view path, Fn&& fn) {
  while (true) {
    const size_t slash = path.find_last_of('/');
    path = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
    if (fn(path)) return true;
    if (path.empty()) return false;
  }
}

// What the first pass learns from the names alone: where the machine
// folders are (folders with an info file at their root, else the topmost
// folders with a passwords file; a candidate inside another belongs to it,
// as Lumma's per-profile Passwords.txt or a grabbed "information.txt" in a
// machine's FileGrabber/) and how many files each holds. It keeps counts
// per folder, not the file names, and finds a file's machine by hash
// lookups up its ancestors: a partner's archive can hold 100,000 machines.
class Census {
 public:
  void Add(const std::string& file) {
    const std::string dir = Parent(file);
    const std::string_view name = BaseName(file);
    if (IsInfoFileName(name)) info_dirs_.insert(dir);
    if (IsPasswordsFileName(name)) password_dirs_.insert(dir);
    ++files_per_dir_[dir];
    if (IsArchiveName(name)) {
      ++archives_per_dir_[dir];
    } else if (dir.empty()) {
      loose_.push_back(file);
    }
  }

  void Finish() {
    std::unordered_set<std::string> candidates = info_dirs_;
    for (const std::string& dir : password_dirs_) {
      const bool in_info = info_dirs_.count(dir) > 0 || AnyAncestor(dir, [&](std::string_view up) {
                             return info_dirs_.count(std::string(up)) > 0;
                           });
      if (!in_info) candidates.insert(dir);
    }
    for (const std::string& candidate : candidates) {
      const bool nested = !candidate.empty() && AnyAncestor(candidate, [&](std::string_view up) {
        return candidates.count(std::string(up)) > 0;
      });
      if (!nested) roots_.insert(candidate);
    }
  }

  std::optional<std::string> RootOfDir(const std::string& dir) const {
    if (roots_.count(dir)) return dir;
    std::optional<std::string> found;
    AnyAncestor(dir, [&](std::string_view up) {
      auto it = roots_.find(std::string(up));
      if (it == roots_.end()) return false;
      found = *it;
      return true;
    });
    return found;
  }
  std::optional<std::string> RootOf(const std::string& file) const { return RootOfDir(Parent(file)); }

  std::unordered_map<std::string, size_t> FilesPerRoot() const {
    std::unordered_map<std::string, size_t> counts;
    for (const auto& [dir, count] : files_per_dir_) {
      if (auto root = RootOfDir(dir)) counts[*root] += static_cast<size_t>(count);
    }
    return counts;
  }

  // Files outside every machine folder (archives aside, which are opened),
  // grouped by top-level folder, or by name for loose top-level files.
  std::map<std::string, int64_t> Orphans() const {
    std::map<std::string, int64_t> groups;
    for (const auto& [dir, count] : files_per_dir_) {
      if (dir.empty() || RootOfDir(dir)) continue;
      auto archives = archives_per_dir_.find(dir);
      const int64_t others = count - (archives == archives_per_dir_.end() ? 0 : archives->second);
      if (others > 0) groups[dir.substr(0, dir.find('/'))] += others;
    }
    if (!roots_.count("")) {
      for (const std::string& file : loose_) groups[file] += 1;
    }
    return groups;
  }

 private:
  std::unordered_set<std::string> info_dirs_, password_dirs_, roots_;
  std::unordered_map<std::string, int64_t> files_per_dir_, archives_per_dir_;
  std::vector<std::string> loose_;
};

std::string Join(const std::string& source, const std::string& inner) {
  return inner.empty() ? source : source + "/" + inner;
}

// A path inside an archive: "logs.zip!/US[...]/Passwords.txt".
std::string InArchive(const std::string& archive, const std::string& inner) {
  return inner.empty() ? archive : archive + "!/" + inner;
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

// Gathers one machine's files as entries arrive and hands the machine over
// when its last entry is in (or at the end, when a damaged source was cut
// short).
class Assembler {
 public:
  Assembler(const Census& census, std::function<std::string(const std::string&)> machine_path,
            const MachineFn& machine)
      : remaining_(census.FilesPerRoot()), machine_path_(std::move(machine_path)),
        machine_(machine) {}

  // `content` is empty for files that are listed but not read.
  Status Add(const std::string& root, const std::string& name, std::string content) {
    open_[root][Relative(name, root)] = std::move(content);
    if (--remaining_[root] == 0) return Emit(root);
    return Status::Ok();
  }

  Status Finish() {
    std::vector<std::string> left;
    for (const auto& [root, files] : open_) left.push_back(root);
    for (const std::string& root : left) RETURN_IF_ERROR(Emit(root));
    return Status::Ok();
  }

 private:
  Status Emit(const std::string& root) {
    MachineFiles files = std::move(open_[root]);
    open_.erase(root);
    return machine_(machine_path_(root), files);
  }

  std::unordered_map<std::string, size_t> remaining_;
  std::map<std::string, MachineFiles> open_;
  std::function<std::string(const std::string&)> machine_path_;
  const MachineFn& machine_;
};

class Walker {
 public:
  Walker(const SourceOptions& options, const MachineFn& machine, const ProblemFn& problem)
      : options_(options), machine_(machine), problem_(problem) {}

  Status Folder(const fs::path& dir, const std::string& label);
  // `label` names the archive in paths ("logs.zip", "logs.zip!/inner.7z").
  Status ArchiveFile(const std::string& path, const std::string& label, int depth);
  Status ArchiveMemory(const std::string& bytes, const std::string& label, int depth);

 private:
  struct Opener {
    const std::string* path = nullptr;    // a file ...
    const std::string* bytes = nullptr;   // ... or bytes in memory
  };
  Result<ArchivePtr> Open(const Opener& from, const std::string& label);
  Status Archive(const Opener& from, const std::string& label, int depth);
  // Reads the current entry's data into `content` within `cap`, checking the
  // archive-wide limits. False when it could not (reported).
  bool ReadEntry(archive* a, const std::string& label, const std::string& where, int64_t cap,
                 int64_t compressed_floor, std::string& content, bool& stop);
  void Report(std::string path, std::string reason) { problem_({std::move(path), std::move(reason)}); }
  void ReportOrphans(const Census& census, const std::function<std::string(const std::string&)>& path_of);

  const SourceOptions& options_;
  const MachineFn& machine_;
  const ProblemFn& problem_;
  int64_t decompressed_ = 0;  // of the archive being read
};

void Walker::ReportOrphans(const Census& census, const std::function<std::string(const std::string&)>& path_of) {
  for (const auto& [group, count] : census.Orphans()) {
    Report(path_of(group), "unknown stealer-log layout: no system-information or passwords file of a "
                           "known family (" + std::to_string(count) + " file(s))");
  }
}

Result<ArchivePtr> Walker::Open(const Opener& from, const std::string& label) {
  ArchivePtr a(archive_read_new());
  if (!a) return Status::Internal("libarchive: out of memory");
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  archive_read_support_format_raw(a.get());  // a lone gzip'd file
  if (!options_.password.empty()) archive_read_add_passphrase(a.get(), options_.password.c_str());
  const int rc = from.path ? archive_read_open_filename(a.get(), from.path->c_str(), 1 << 16)
                           : archive_read_open_memory(a.get(), from.bytes->data(), from.bytes->size());
  if (rc != ARCHIVE_OK) {
    return Status::Invalid(label + ": not a readable archive: " +
                           (archive_error_string(a.get()) ? archive_error_string(a.get()) : "unknown format"));
  }
  return a;
}

bool Walker::ReadEntry(archive* a, const std::string& label, const std::string& where, int64_t cap,
                       int64_t compressed_floor, std::string& content, bool& stop) {
  char buffer[1 << 16];
  while (true) {
    const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) {
      Report(where, std::string("unreadable: ") + (archive_error_string(a) ? archive_error_string(a) : "read error"));
      return false;
    }
    decompressed_ += n;
    const int64_t compressed = std::max<int64_t>({archive_filter_bytes(a, -1), compressed_floor, 1});
    if (decompressed_ > options_.limits.max_archive_bytes ||
        (decompressed_ > (16ll << 20) && decompressed_ / compressed > options_.limits.max_ratio)) {
      Report(label, "decompresses to more than " + std::to_string(options_.limits.max_ratio) +
                        " times its size or past the size limit: refused as a possible zip bomb");
      stop = true;
      return false;
    }
    if (static_cast<int64_t>(content.size()) + n > cap) {
      Report(where, "larger than " + std::to_string(cap >> 20) + " MiB; not read");
      archive_read_data_skip(a);
      return false;
    }
    content.append(buffer, static_cast<size_t>(n));
  }
}

Status Walker::Archive(const Opener& from, const std::string& label, int depth) {
  if (depth > options_.limits.max_depth) {
    Report(label, "archives nested deeper than " + std::to_string(options_.limits.max_depth) + "; not opened");
    return Status::Ok();
  }
  // A lone gzip'd file comes as one entry called "data": name it after the
  // archive ("passwords.txt.gz" -> "passwords.txt").
  auto entry_name = [&](archive* a, const char* raw, bool* unsafe) {
    std::string name = CleanName(raw ? raw : "", unsafe);
    if (name == "data" && archive_format(a) == ARCHIVE_FORMAT_RAW) {
      name = std::string(BaseName(label));
      for (std::string_view ext : {".gz", ".zst", ".xz", ".bz2"}) {
        if (Lower(name).ends_with(ext)) name.resize(name.size() - ext.size());
      }
    }
    return name;
  };
  // Pass 1: names only.
  Census census;
  {
    ASSIGN_OR_RETURN(ArchivePtr a, Open(from, label));
    archive_entry* entry = nullptr;
    while (true) {
      const int rc = archive_read_next_header(a.get(), &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        Report(label, std::string("truncated or damaged archive: ") + archive_error_string(a.get()));
        break;
      }
      if (archive_entry_filetype(entry) != AE_IFREG) continue;
      bool unsafe = false;
      const char* raw = archive_entry_pathname(entry);
      const std::string name = entry_name(a.get(), raw, &unsafe);
      if (unsafe) {
        Report(InArchive(label, raw ? raw : ""),
               "unsafe entry name (absolute or with ..); read by its cleaned name " + name);
      }
      if (!name.empty()) census.Add(name);
    }
  }
  census.Finish();
  ReportOrphans(census, [&](const std::string& group) { return InArchive(label, group); });

  // Pass 2: data, one machine released as soon as its last entry is read.
  ASSIGN_OR_RETURN(ArchivePtr a, Open(from, label));
  Assembler assembler(census, [&](const std::string& root) { return InArchive(label, root); }, machine_);
  const int64_t compressed_floor = from.bytes ? static_cast<int64_t>(from.bytes->size()) : 0;
  decompressed_ = 0;
  archive_entry* entry = nullptr;
  bool stop = false;
  while (!stop) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF || rc < ARCHIVE_WARN) break;
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    bool unsafe = false;
    const std::string name = entry_name(a.get(), archive_entry_pathname(entry), &unsafe);
    if (name.empty()) continue;
    const std::string where = InArchive(label, name);
    const auto root = census.RootOf(name);
    const bool nested = !root && IsArchiveName(name);
    std::string content;
    if (!nested && !(root && IsTextName(name))) {
      archive_read_data_skip(a.get());  // outside every machine, or not text: listed only
    } else if (archive_entry_is_encrypted(entry) && options_.password.empty()) {
      Report(where, "encrypted; give the archive's password (--password)");
      archive_read_data_skip(a.get());
    } else {
      const int64_t cap = nested ? options_.limits.max_nested_bytes : options_.limits.max_file_bytes;
      const int64_t before = decompressed_;
      const bool read = ReadEntry(a.get(), label, where, cap, compressed_floor, content, stop);
      if (!read) content.clear();
      if (nested && read) {
        RETURN_IF_ERROR(ArchiveMemory(content, where, depth + 1));
        decompressed_ = before + static_cast<int64_t>(content.size());
        content.clear();
      }
    }
    if (root) RETURN_IF_ERROR(assembler.Add(*root, name, std::move(content)));
  }
  return assembler.Finish();
}

Status Walker::ArchiveFile(const std::string& path, const std::string& label, int depth) {
  return Archive(Opener{&path, nullptr}, label, depth);
}

Status Walker::ArchiveMemory(const std::string& bytes, const std::string& label, int depth) {
  const int64_t outer = decompressed_;
  auto opened = Open(Opener{nullptr, &bytes}, label);
  if (!opened.ok()) {
    Report(label, opened.status().message());
    return Status::Ok();
  }
  opened->reset();
  Status status = Archive(Opener{nullptr, &bytes}, label, depth);
  decompressed_ = outer;
  return status;
}

Status Walker::Folder(const fs::path& dir, const std::string& label) {
  // Two walks of the tree, like the two passes over an archive: names, then
  // contents machine by machine.
  auto walk = [&](const std::function<Status(const std::string&, const fs::path&)>& fn) -> Status {
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      RETURN_IF_ERROR(fn(fs::relative(it->path(), dir, ec).generic_string(), it->path()));
    }
    if (ec) return Status::IoError(dir.string() + ": " + ec.message());
    return Status::Ok();
  };
  Census census;
  RETURN_IF_ERROR(walk([&](const std::string& name, const fs::path&) {
    census.Add(name);
    return Status::Ok();
  }));
  census.Finish();
  ReportOrphans(census, [&](const std::string& group) { return Join(label, group); });
  Assembler assembler(census, [&](const std::string& root) { return Join(label, root); }, machine_);
  RETURN_IF_ERROR(walk([&](const std::string& name, const fs::path& full) -> Status {
    const auto root = census.RootOf(name);
    if (!root) {
      return IsArchiveName(name) ? ArchiveFile(full.string(), Join(label, name), 1) : Status::Ok();
    }
    std::string content;
    if (IsTextName(name)) {
      std::error_code ec;
      const auto size = fs::file_size(full, ec);
      if (ec || static_cast<int64_t>(size) > options_.limits.max_file_bytes) {
        Report(Join(label, name), ec ? "unreadable: " + ec.message() : "too large; not read");
      } else {
        std::ifstream in(full, std::ios::binary);
        content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (in.bad()) Report(Join(label, name), "unreadable");
      }
    }
    return assembler.Add(*root, name, std::move(content));
  }));
  return assembler.Finish();
}

}  // namespace

bool IsArchiveName(std::string_view name) {
  const std::string lower = Lower(name);
  for (std::string_view ext : {".zip", ".7z", ".tar", ".tgz", ".gz", ".tbz2", ".bz2", ".txz", ".xz",
                               ".rar", ".zst"}) {
    if (lower.ends_with(ext)) return true;
  }
  return false;
}

Status ForEachMachine(const std::string& path, const SourceOptions& options, const MachineFn& machine,
                      const ProblemFn& problem) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return Status::NotFound(path + ": no such file or folder");
  Walker walker(options, machine, problem);
  if (fs::is_directory(status)) return walker.Folder(path, path);
  if (!IsArchiveName(path)) {
    return Status::Invalid(path + ": neither a folder nor an archive (zip, 7z, tar, gz, rar)");
  }
  return walker.ArchiveFile(path, path, 1);
}

}  // namespace accord::stealer
