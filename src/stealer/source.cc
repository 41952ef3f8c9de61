// Folders and archives to machine folders (see source.h).
#include "stealer/source.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/archive_names.h"

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

// What an archive's first pass learns from the names alone: which folders
// are machine folders and how many files each holds. A machine folder is
// the topmost folder on a path with a system-information or passwords file
// at its root; a candidate below it belongs to it (Lumma's per-profile
// Passwords.txt, a grabbed "information.txt" in a machine's FileGrabber/).
// Except a container: a folder two or more of whose subfolders hold a
// system-information file of their own is a pack of machines, whatever
// note sits beside them (a reseller's "Password.txt" saying the archive's
// password would otherwise make the whole pack one machine).
//
// A partner's archive can hold 100,000 machines, so the census keeps no
// names: folders are known by a 64-bit hash of their path, each with the
// number of files anywhere below it, and the folders holding an info or
// passwords file as a set of hashes. About 200 bytes per machine, whatever
// the files hold. Two different folders sharing a hash (odds about 1 in
// 10^9 at a million folders) would merge their counts; the machine would
// then be handed over early or at the end, never lost.
class Census {
 public:
  void Add(const std::string& file) {
    const std::string_view dir = ParentView(file);
    const std::string_view name = BaseName(file);
    if (IsInfoFileName(name) || IsPasswordsFileName(name)) marked_.insert(Hash(dir));
    if (!dir.empty() && IsInfoFileName(name) && info_dirs_.insert(Hash(dir)).second) {
      ++info_children_[Hash(ParentView(dir))];
    }
    ForEachPrefix(dir, [&](std::string_view prefix) {
      ++files_below_[Hash(prefix)];
      return false;
    });
  }

  // The machine folder holding `file`, if any.
  std::optional<std::string> RootOf(std::string_view file) const {
    std::optional<std::string> found;
    ForEachPrefix(ParentView(file), [&](std::string_view prefix) {
      if (!marked_.count(Hash(prefix))) return false;
      if (auto it = info_children_.find(Hash(prefix)); it != info_children_.end() && it->second >= 2) {
        return false;  // a container
      }
      found = std::string(prefix);
      return true;
    });
    return found;
  }

  // Files anywhere below `root`: how many the second pass waits for.
  size_t FilesBelow(std::string_view root) const {
    auto it = files_below_.find(Hash(root));
    return it == files_below_.end() ? 0 : it->second;
  }

 private:
  static uint64_t Hash(std::string_view path) { return std::hash<std::string_view>()(path); }
  static std::string_view ParentView(std::string_view path) {
    const size_t slash = path.find_last_of('/');
    return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
  }
  // "" (the top), then "a", "a/b", ... down to `dir`; stops when fn says so.
  template <typename Fn>
  static void ForEachPrefix(std::string_view dir, Fn&& fn) {
    if (fn(std::string_view())) return;
    for (size_t pos = 0; pos < dir.size();) {
      size_t end = dir.find('/', pos);
      if (end == std::string_view::npos) end = dir.size();
      if (fn(dir.substr(0, end))) return;
      pos = end + 1;
    }
  }

  std::unordered_set<uint64_t> marked_;
  std::unordered_map<uint64_t, uint32_t> files_below_;
  std::unordered_set<uint64_t> info_dirs_;                 // folders holding an info file
  std::unordered_map<uint64_t, uint32_t> info_children_;  // such subfolders per folder
};

// Files outside every machine folder (archives aside, which are opened),
// counted by top-level folder, or by name for loose top-level files; seen
// in the second pass, reported at its end.
class Orphans {
 public:
  void Add(std::string_view file) {
    const size_t slash = file.find('/');
    ++groups_[std::string(slash == std::string_view::npos ? file : file.substr(0, slash))];
  }
  const std::map<std::string, int64_t>& groups() const { return groups_; }

 private:
  std::map<std::string, int64_t> groups_;
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
      : census_(census), machine_path_(std::move(machine_path)), machine_(machine) {}

  // `content` is empty for files that are listed but not read.
  Status Add(const std::string& root, const std::string& name, std::string content) {
    auto [it, first] = open_.try_emplace(root);
    if (first) it->second.remaining = census_.FilesBelow(root);
    it->second.files[Relative(name, root)] = std::move(content);
    if (it->second.remaining <= 1) return Emit(it);
    --it->second.remaining;
    return Status::Ok();
  }

  Status Finish() {
    while (!open_.empty()) RETURN_IF_ERROR(Emit(open_.begin()));
    return Status::Ok();
  }

 private:
  struct Open {
    size_t remaining = 0;
    MachineFiles files;
  };
  Status Emit(std::map<std::string, Open>::iterator it) {
    const std::string root = it->first;
    MachineFiles files = std::move(it->second.files);
    open_.erase(it);
    return machine_(machine_path_(root), files);
  }

  const Census& census_;
  std::map<std::string, Open> open_;  // machines whose entries are still arriving
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
  // Reads the current entry into `content` (false: not read, reported).
  // `undecodable`, when given, is set instead of a report when the data
  // cannot be read (an encrypted entry the password does not open).
  bool ReadEntry(archive* a, const std::string& label, const std::string& where, int64_t cap,
                 int64_t compressed_floor, std::string& content, bool& stop, bool* undecodable = nullptr);
  void Report(std::string path, std::string reason) { problem_({std::move(path), std::move(reason)}); }
  void ReportOrphans(const Orphans& orphans, const std::function<std::string(const std::string&)>& path_of);
  void ReportOrphan(const std::string& path, int64_t count);
  static bool IsContainer(const fs::path& dir);
  static bool IsSynthGroundTruth(const fs::path& file);
  Status FolderNode(const fs::path& top, const std::string& rel, const std::string& label,
                    int64_t& orphans);
  Status FolderMachine(const fs::path& dir, const std::string& rel, const std::string& label);

  const SourceOptions& options_;
  const MachineFn& machine_;
  const ProblemFn& problem_;
  int64_t decompressed_ = 0;  // of the archive being read
};

void Walker::ReportOrphans(const Orphans& orphans, const std::function<std::string(const std::string&)>& path_of) {
  for (const auto& [group, count] : orphans.groups()) ReportOrphan(path_of(group), count);
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
                       int64_t compressed_floor, std::string& content, bool& stop, bool* undecodable) {
  char buffer[1 << 16];
  while (true) {
    const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) {
      if (undecodable != nullptr) {
        *undecodable = true;  // the caller words it
      } else {
        Report(where, std::string("unreadable: ") + (archive_error_string(a) ? archive_error_string(a) : "read error"));
      }
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
  const Utf8ArchiveNames utf8_names;  // folder names of victims in any language
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
        const char* why = archive_error_string(a.get());  // may be unset: never add a null pointer
        Report(label, std::string("truncated or damaged archive: ") + (why != nullptr ? why : "unknown error"));
        break;
      }
      // Read raw with no filter: not an archive, nor compressed (random
      // bytes named .zip). Opened as its own member it recursed to the
      // depth limit, and said so instead of what it is.
      if (archive_format(a.get()) == ARCHIVE_FORMAT_RAW && archive_filter_code(a.get(), 0) == ARCHIVE_FILTER_NONE) {
        Report(label, "neither an archive nor compressed (damaged, or not what its name says); not read");
        return Status::Ok();
      }
      if (archive_entry_filetype(entry) != AE_IFREG) continue;
      bool unsafe = false;
      const char* raw = archive_entry_pathname(entry);
      if (raw == nullptr) {
        Report(label, "an entry whose name cannot be read as UTF-8 was skipped");
        continue;
      }
      const std::string name = entry_name(a.get(), raw, &unsafe);
      if (unsafe) {
        Report(InArchive(label, raw ? raw : ""),
               "unsafe entry name (absolute or with ..); read by its cleaned name " + name);
      }
      if (!name.empty()) census.Add(name);
    }
  }

  // Pass 2: data, one machine released as soon as its last entry is read.
  ASSIGN_OR_RETURN(ArchivePtr a, Open(from, label));
  Assembler assembler(census, [&](const std::string& root) { return InArchive(label, root); }, machine_);
  Orphans orphans;
  const int64_t compressed_floor = from.bytes ? static_cast<int64_t>(from.bytes->size()) : 0;
  decompressed_ = 0;
  archive_entry* entry = nullptr;
  bool stop = false;
  bool read_any = false;  // a file of this archive was read (its first decides how encryption is reported)
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
    if (!root && !nested) orphans.Add(name);
    std::string content;
    if (!nested && !(root && IsTextName(name))) {
      archive_read_data_skip(a.get());  // outside every machine, or not text: listed only
    } else if (archive_entry_is_encrypted(entry) && options_.password.empty()) {
      // A pack encrypted whole (its first file read is): said once for the
      // archive, not for every file and again for every machine left
      // without its files. In a pack only partly encrypted, per file.
      if (!read_any) {
        Report(label, "encrypted; give the archive's password (--password)");
        return Status::Ok();
      }
      Report(where, "encrypted; give the archive's password (--password)");
      archive_read_data_skip(a.get());
    } else {
      const int64_t cap = nested ? options_.limits.max_nested_bytes : options_.limits.max_file_bytes;
      const int64_t before = decompressed_;
      const bool encrypted = archive_entry_is_encrypted(entry) != 0;
      bool undecodable = false;
      const bool read = ReadEntry(a.get(), label, where, cap, compressed_floor, content, stop,
                                  encrypted ? &undecodable : nullptr);
      if (undecodable) {
        const std::string error = archive_error_string(a.get()) ? archive_error_string(a.get()) : "read error";
        // libarchive says "Incorrect passphrase" (zip) when the password is
        // wrong; anything else is this file's own damage.
        if (!read_any && error.find("assphrase") != std::string::npos) {
          Report(label, "encrypted, and the password given (--password) does not open it (" + error + ")");
          return Status::Ok();
        }
        Report(where, "unreadable: " + error);
      }
      read_any = read_any || read;
      if (!read) content.clear();
      if (nested && read) {
        RETURN_IF_ERROR(ArchiveMemory(content, where, depth + 1));
        decompressed_ = before + static_cast<int64_t>(content.size());
        content.clear();
      }
    }
    if (root) RETURN_IF_ERROR(assembler.Add(*root, name, std::move(content)));
  }
  RETURN_IF_ERROR(assembler.Finish());
  ReportOrphans(orphans, [&](const std::string& group) { return InArchive(label, group); });
  return Status::Ok();
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

// A folder can be read in any order, so it needs no census: a depth-first
// walk meets each machine folder from the top (the first folder on the way
// down with a system-information or passwords file at its root: a candidate
// below it belongs to it) and reads it whole. Nothing is kept per machine
// once it is handed over, and a folder's entries are iterated, never
// collected, so memory stays flat however many machines a folder holds.
Status Walker::Folder(const fs::path& dir, const std::string& label) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::IoError(dir.string() + ": not a readable folder");
  int64_t orphans = 0;
  RETURN_IF_ERROR(FolderNode(dir, "", label, orphans));
  return Status::Ok();
}

// `rel` is the folder's path below the walk's top ("" for the top itself).
// Files outside every machine folder are counted into `orphans`, reported
// once per top-level folder (and one by one for loose top-level files).
Status Walker::FolderNode(const fs::path& top, const std::string& rel, const std::string& label,
                          int64_t& orphans) {
  const fs::path here = rel.empty() ? top : top / rel;
  const auto child = [&](const fs::directory_entry& entry) {
    const std::string name = entry.path().filename().generic_string();
    return rel.empty() ? name : rel + "/" + name;
  };
  std::error_code ec;
  bool machine = false;
  for (fs::directory_iterator it(here, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end && !machine; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().filename().string();
    machine = IsInfoFileName(name) || IsPasswordsFileName(name);
  }
  if (ec) {
    Report(Join(label, rel), "unreadable folder: " + ec.message());
    return Status::Ok();
  }
  if (machine && IsContainer(here)) machine = false;  // see Census
  if (machine) return FolderMachine(here, rel, label);

  for (fs::directory_iterator it(here, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    const std::string name = child(*it);
    if (it->is_symlink(ec)) {
      if (it->is_directory(ec)) continue;  // never followed: a link could loop
    }
    if (it->is_directory(ec)) {
      int64_t below = 0;
      RETURN_IF_ERROR(FolderNode(top, name, label, rel.empty() ? below : orphans));
      if (rel.empty() && below > 0) ReportOrphan(Join(label, name), below);
    } else if (it->is_regular_file(ec)) {
      if (IsArchiveName(name)) {
        RETURN_IF_ERROR(ArchiveFile(it->path().string(), Join(label, name), 1));
      } else if (rel.empty() && IsSynthGroundTruth(it->path())) {
        // `accord stealer synth` writes its ground truth beside the logs it
        // makes: no log, and not an unknown layout either.
      } else if (rel.empty()) {
        ReportOrphan(Join(label, name), 1);
      } else {
        ++orphans;
      }
    }
  }
  if (ec) Report(Join(label, rel), "unreadable folder: " + ec.message());
  return Status::Ok();
}

// One machine folder, read whole: text files with their content, the rest
// listed, archives inside it listed but not opened (they are the machine's
// grabbed files, not more logs).
Status Walker::FolderMachine(const fs::path& dir, const std::string& rel, const std::string& label) {
  MachineFiles files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string name = fs::relative(it->path(), dir, ec).generic_string();
    const std::string where = Join(label, rel.empty() ? name : rel + "/" + name);
    std::string content;
    if (IsTextName(name)) {
      const auto size = it->file_size(ec);
      if (ec || static_cast<int64_t>(size) > options_.limits.max_file_bytes) {
        Report(where, ec ? "unreadable: " + ec.message() : "too large; not read");
        ec.clear();
      } else {
        std::ifstream in(it->path(), std::ios::binary);
        content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (in.bad()) Report(where, "unreadable");
      }
    }
    files[name] = std::move(content);
  }
  if (ec) Report(Join(label, rel), "unreadable folder: " + ec.message());
  return machine_(Join(label, rel), files);
}

bool Walker::IsSynthGroundTruth(const fs::path& file) {
  if (file.filename() != "ground-truth.json") return false;
  std::ifstream in(file, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  return std::string_view(head, static_cast<size_t>(in.gcount())).starts_with("{\"machines\": [");
}

// Two or more subfolders with a system-information file of their own.
bool Walker::IsContainer(const fs::path& dir) {
  std::error_code ec;
  int machines = 0;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end && machines < 2; it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_directory(ec)) continue;
    std::error_code inner;
    for (fs::directory_iterator file(it->path(), fs::directory_options::skip_permission_denied, inner), done;
         !inner && file != done; file.increment(inner)) {
      if (file->is_regular_file(inner) && IsInfoFileName(file->path().filename().string())) {
        ++machines;
        break;
      }
    }
  }
  return machines >= 2;
}

void Walker::ReportOrphan(const std::string& path, int64_t count) {
  Report(path, "unknown stealer-log layout: no system-information or passwords file of a known "
               "family (" + std::to_string(count) + " file(s))");
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
