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

// "a/b" is inside "a"; everything is inside "".
bool Inside(std::string_view path, std::string_view root) {
  return root.empty() || (path.size() > root.size() && path.starts_with(root) && path[root.size()] == '/');
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

// The machine folders among these file names: folders with an info file at
// their root, else the topmost folders with a passwords file; a candidate
// inside another belongs to it (Lumma's per-profile Passwords.txt, a
// grabbed "information.txt" inside a machine's FileGrabber/).
std::vector<std::string> MachineRoots(const std::vector<std::string>& files) {
  std::set<std::string> info_roots, password_roots;
  for (const std::string& file : files) {
    const std::string_view name = BaseName(file);
    if (IsInfoFileName(name)) info_roots.insert(Parent(file));
    if (IsPasswordsFileName(name)) password_roots.insert(Parent(file));
  }
  std::set<std::string> candidates = info_roots;
  for (const std::string& root : password_roots) {
    const bool below_info = std::any_of(info_roots.begin(), info_roots.end(), [&](const std::string& info) {
      return Inside(root, info) || Inside(info, root);
    });
    if (!below_info) candidates.insert(root);
  }
  std::vector<std::string> roots;
  for (const std::string& candidate : candidates) {
    const bool nested = std::any_of(candidates.begin(), candidates.end(), [&](const std::string& other) {
      return other != candidate && Inside(candidate, other);
    });
    if (!nested) roots.push_back(candidate);
  }
  return roots;
}

std::optional<std::string> RootOf(const std::string& file, const std::vector<std::string>& roots) {
  for (const std::string& root : roots) {
    if (Inside(file, root)) return root;
  }
  return std::nullopt;
}

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
  void Report(std::string path, std::string reason) { problem_({std::move(path), std::move(reason)}); }
  void ReportUnknown(const std::string& label, const std::vector<std::string>& orphans,
                     bool in_archive);

  const SourceOptions& options_;
  const MachineFn& machine_;
  const ProblemFn& problem_;
};

void Walker::ReportUnknown(const std::string& label, const std::vector<std::string>& orphans,
                           bool in_archive) {
  // One report per top-level folder (or loose file) that holds no machine.
  std::map<std::string, int> groups;
  for (const std::string& file : orphans) groups[file.substr(0, file.find('/'))]++;
  for (const auto& [group, count] : groups) {
    Report(in_archive ? InArchive(label, group) : Join(label, group), "unknown stealer-log layout: no system-information or passwords "
                               "file of a known family (" + std::to_string(count) + " file(s))");
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

Status Walker::Archive(const Opener& from, const std::string& label, int depth) {
  if (depth > options_.limits.max_depth) {
    Report(label, "archives nested deeper than " + std::to_string(options_.limits.max_depth) + "; not opened");
    return Status::Ok();
  }
  // Pass 1: names only.
  std::vector<std::string> files;
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
      std::string name = CleanName(raw ? raw : "", &unsafe);
      if (name == "data" && archive_format(a.get()) == ARCHIVE_FORMAT_RAW) {
        std::string base(BaseName(label));
        for (std::string_view ext : {".gz", ".zst", ".xz", ".bz2"}) {
          if (Lower(base).ends_with(ext)) base.resize(base.size() - ext.size());
        }
        name = base;
      }
      if (unsafe) Report(InArchive(label, raw ? raw : ""), "unsafe entry name (absolute or with ..); read by its cleaned name " + name);
      if (!name.empty()) files.push_back(name);
    }
  }
  const std::vector<std::string> roots = MachineRoots(files);
  std::map<std::string, size_t> remaining;
  std::vector<std::string> orphans;
  for (const std::string& file : files) {
    if (auto root = RootOf(file, roots)) {
      remaining[*root]++;
    } else if (!IsArchiveName(file)) {
      orphans.push_back(file);
    }
  }
  ReportUnknown(label, orphans, true);

  // Pass 2: data, one machine released as soon as its last entry is read.
  ASSIGN_OR_RETURN(ArchivePtr a, Open(from, label));
  std::map<std::string, MachineFiles> open_machines;
  const int64_t compressed_floor = from.bytes ? static_cast<int64_t>(from.bytes->size()) : 0;
  int64_t decompressed = 0;
  archive_entry* entry = nullptr;
  auto emit = [&](const std::string& root) -> Status {
    MachineFiles machine_files = std::move(open_machines[root]);
    open_machines.erase(root);
    return machine_(InArchive(label, root), machine_files);
  };
  bool stop = false;
  while (!stop) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF || rc < ARCHIVE_WARN) break;
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    bool unsafe = false;
    const char* raw = archive_entry_pathname(entry);
    std::string name = CleanName(raw ? raw : "", &unsafe);
    if (name == "data" && archive_format(a.get()) == ARCHIVE_FORMAT_RAW && !files.empty()) name = files.front();
    const std::string where = InArchive(label, name);
    const auto root = RootOf(name, roots);
    const bool nested = !root && IsArchiveName(name);
    const bool wanted = nested || (root && IsTextName(name));
    if (!wanted) {
      if (root) open_machines[*root][Relative(name, *root)];  // listed, not read
      archive_read_data_skip(a.get());
    } else if (archive_entry_is_encrypted(entry) && options_.password.empty()) {
      Report(where, "encrypted; give the archive's password (--password)");
      archive_read_data_skip(a.get());
    } else {
      const int64_t cap = nested ? options_.limits.max_nested_bytes : options_.limits.max_file_bytes;
      std::string content;
      char buffer[1 << 16];
      bool failed = false;
      while (true) {
        const la_ssize_t n = archive_read_data(a.get(), buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
          Report(where, std::string("unreadable: ") + (archive_error_string(a.get()) ? archive_error_string(a.get()) : "read error"));
          failed = true;
          break;
        }
        decompressed += n;
        const int64_t compressed = std::max<int64_t>({archive_filter_bytes(a.get(), -1), compressed_floor, 1});
        if (decompressed > options_.limits.max_archive_bytes ||
            (decompressed > (16ll << 20) && decompressed / compressed > options_.limits.max_ratio)) {
          Report(label, "decompresses to more than " + std::to_string(options_.limits.max_ratio) +
                            " times its size or past the size limit: refused as a possible zip bomb");
          failed = stop = true;
          break;
        }
        if (static_cast<int64_t>(content.size()) + n > cap) {
          Report(where, "larger than " + std::to_string(cap >> 20) + " MiB; not read");
          failed = true;
          archive_read_data_skip(a.get());
          break;
        }
        content.append(buffer, static_cast<size_t>(n));
      }
      if (nested && !failed) {
        RETURN_IF_ERROR(ArchiveMemory(content, where, depth + 1));
      } else if (root) {
        open_machines[*root][Relative(name, *root)] = failed ? std::string() : std::move(content);
      }
    }
    if (root && --remaining[*root] == 0) RETURN_IF_ERROR(emit(*root));
  }
  // Machines cut short by a damaged archive still count with what was read.
  std::vector<std::string> left;
  for (const auto& [root, machine_files] : open_machines) left.push_back(root);
  for (const std::string& root : left) RETURN_IF_ERROR(emit(root));
  return Status::Ok();
}

Status Walker::ArchiveFile(const std::string& path, const std::string& label, int depth) {
  return Archive(Opener{&path, nullptr}, label, depth);
}

Status Walker::ArchiveMemory(const std::string& bytes, const std::string& label, int depth) {
  auto opened = Open(Opener{nullptr, &bytes}, label);
  if (!opened.ok()) {
    Report(label, opened.status().message());
    return Status::Ok();
  }
  opened->reset();
  return Archive(Opener{nullptr, &bytes}, label, depth);
}

Status Walker::Folder(const fs::path& dir, const std::string& label) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(fs::relative(it->path(), dir, ec).generic_string());
  }
  if (ec) return Status::IoError(dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  const std::vector<std::string> roots = MachineRoots(files);
  std::map<std::string, std::vector<std::string>> by_root;
  std::vector<std::string> orphans;
  for (const std::string& file : files) {
    if (auto root = RootOf(file, roots)) {
      by_root[*root].push_back(file);
    } else if (IsArchiveName(file)) {
      RETURN_IF_ERROR(ArchiveFile((dir / file).string(), Join(label, file), 1));
    } else {
      orphans.push_back(file);
    }
  }
  ReportUnknown(label, orphans, false);
  for (const auto& [root, members] : by_root) {
    MachineFiles machine_files;
    for (const std::string& file : members) {
      const std::string relative = Relative(file, root);
      std::string& content = machine_files[relative];
      if (!IsTextName(file)) continue;
      const fs::path full = dir / file;
      const auto size = fs::file_size(full, ec);
      if (ec || static_cast<int64_t>(size) > options_.limits.max_file_bytes) {
        Report(Join(label, file), ec ? "unreadable: " + ec.message() : "too large; not read");
        continue;
      }
      std::ifstream in(full, std::ios::binary);
      content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (in.bad()) Report(Join(label, file), "unreadable");
    }
    RETURN_IF_ERROR(machine_(Join(label, root), machine_files));
  }
  return Status::Ok();
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
