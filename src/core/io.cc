#include "core/io.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <functional>

#include "core/archive_names.h"
#include "core/io_internal.h"

namespace accord {
namespace {

using io_internal::ArchiveError;
using io_internal::LooksLikeTar;
using io_internal::RawSource;
using io_internal::TarRefused;


// Plain input: bytes straight from the source after the sniffed prefix.
class PlainStream final : public InputStream {
 public:
  PlainStream(std::unique_ptr<RawSource> src, std::string prefix)
      : src_(std::move(src)), prefix_(std::move(prefix)) {}
  Result<size_t> Read(char* buf, size_t max) override {
    if (prefix_pos_ < prefix_.size()) {
      size_t n = std::min(max, prefix_.size() - prefix_pos_);
      std::memcpy(buf, prefix_.data() + prefix_pos_, n);
      prefix_pos_ += n;
      return n;
    }
    ASSIGN_OR_RETURN(size_t n, src_->Read(buf, max));
    // The first read after the sniffed prefix holds offset 257, where a tar
    // header says "ustar"; a plain tar read as text would be its headers.
    if (!tar_checked_) {
      tar_checked_ = true;
      const size_t tar_magic_at = 257;
      if (prefix_.size() < tar_magic_at && prefix_.size() + n >= tar_magic_at + 5 &&
          std::string_view(buf + (tar_magic_at - prefix_.size()), 5) == "ustar") {
        return TarRefused(name());
      }
    }
    return n;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset(); }
  uint64_t compressed_size() const override { return src_->size(); }
  bool QuietFor(int milliseconds) const override {
    return prefix_pos_ == prefix_.size() && src_->QuietFor(milliseconds);
  }

 private:
  std::unique_ptr<RawSource> src_;
  std::string prefix_;
  size_t prefix_pos_ = 0;
  bool tar_checked_ = false;
};

// Compressed input, decoded by libarchive's filters (gzip, zstd, xz, bzip2)
// with its "raw" format: one stream, no archive structure. A zip holding one
// file reads as that file (abuse.ch publishes its dumps as csv.zip); a zip
// of several is an error when the second begins, naming the way out, and so
// is a compressed tar (read as raw bytes it would be headers and NULs).
class DecompressingStream final : public InputStream {
 public:
  static Result<std::unique_ptr<InputStream>> Create(std::unique_ptr<RawSource> src,
                                                     std::string prefix) {
    auto stream = std::unique_ptr<DecompressingStream>(
        new DecompressingStream(std::move(src), std::move(prefix)));
    RETURN_IF_ERROR(stream->Open());
    return std::unique_ptr<InputStream>(std::move(stream));
  }
  ~DecompressingStream() override {
    if (archive_ != nullptr) archive_read_free(archive_);
  }

  Result<size_t> Read(char* buf, size_t max) override {
    if (done_) return size_t{0};
    la_ssize_t n = archive_read_data(archive_, buf, max);
    if (n < 0) {
      return Status::IoError(
          fmt::format("{}: corrupt compressed data: {}", name(), ArchiveError(archive_)));
    }
    if (!tar_checked_) {
      tar_checked_ = true;
      if (LooksLikeTar(std::string_view(buf, static_cast<size_t>(n)))) return TarRefused(name());
    }
    if (n == 0) {
      done_ = true;
      if (is_zip_) RETURN_IF_ERROR(CheckNoSecondEntry());
    }
    return static_cast<size_t>(n);
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset(); }
  uint64_t compressed_size() const override { return src_->size(); }

 private:
  DecompressingStream(std::unique_ptr<RawSource> src, std::string prefix)
      : src_(std::move(src)), prefix_(std::move(prefix)) {}

  Status Open() {
    const Utf8ArchiveNames utf8_names;
    archive_ = archive_read_new();
    archive_read_support_filter_all(archive_);
    archive_read_support_format_raw(archive_);
    is_zip_ = prefix_.starts_with("PK\x03\x04");
    if (is_zip_) archive_read_support_format_zip_streamable(archive_);
    if (archive_read_open(archive_, this, nullptr, &DecompressingStream::ReadCallback, nullptr) !=
        ARCHIVE_OK) {
      return Status::IoError(fmt::format("{}: {}", name(), ArchiveError(archive_)));
    }
    struct archive_entry* entry = nullptr;
    int rc = archive_read_next_header(archive_, &entry);
    if (rc == ARCHIVE_EOF) {
      done_ = true;
      return Status::Ok();
    }
    if (rc != ARCHIVE_OK) {
      return Status::IoError(
          fmt::format("{}: cannot decompress: {}", name(), ArchiveError(archive_)));
    }
    // A zip may begin with directory entries; the first file is the stream.
    while (is_zip_ && archive_entry_filetype(entry) != AE_IFREG) {
      rc = archive_read_next_header(archive_, &entry);
      if (rc == ARCHIVE_EOF) {
        done_ = true;
        return Status::Ok();
      }
      if (rc != ARCHIVE_OK) {
        return Status::IoError(fmt::format("{}: cannot read the zip: {}", name(), ArchiveError(archive_)));
      }
    }
    if (is_zip_) entry_name_ = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    return Status::Ok();
  }

  Status CheckNoSecondEntry() {
    const Utf8ArchiveNames utf8_names;
    struct archive_entry* entry = nullptr;
    for (;;) {
      const int rc = archive_read_next_header(archive_, &entry);
      if (rc == ARCHIVE_EOF) return Status::Ok();
      if (rc != ARCHIVE_OK) {
        return Status::IoError(fmt::format("{}: cannot read the zip: {}", name(), ArchiveError(archive_)));
      }
      if (archive_entry_filetype(entry) != AE_IFREG) continue;
      const char* second = archive_entry_pathname(entry);
      return Status::Invalid(fmt::format(
          "{}: the zip holds more than one file ({} and {}); give it by its file name to `accord import` or "
          "`accord match`, which read each file in it, or unpack it",
          name(),
          entry_name_, second ? second : "?"));
    }
  }

  static la_ssize_t ReadCallback(struct archive* a, void* self_ptr, const void** out) {
    auto* self = static_cast<DecompressingStream*>(self_ptr);
    if (self->prefix_pos_ < self->prefix_.size()) {
      *out = self->prefix_.data() + self->prefix_pos_;
      la_ssize_t n = static_cast<la_ssize_t>(self->prefix_.size() - self->prefix_pos_);
      self->prefix_pos_ = self->prefix_.size();
      return n;
    }
    self->buffer_.resize(1 << 20);
    auto n = self->src_->Read(self->buffer_.data(), self->buffer_.size());
    if (!n.ok()) {
      archive_set_error(a, EIO, "%s", n.status().message().c_str());
      return -1;
    }
    *out = self->buffer_.data();
    return static_cast<la_ssize_t>(*n);
  }

  std::unique_ptr<RawSource> src_;
  std::string prefix_;
  size_t prefix_pos_ = 0;
  std::string buffer_;
  struct archive* archive_ = nullptr;
  bool done_ = false;
  bool is_zip_ = false;
  bool tar_checked_ = false;
  std::string entry_name_;  // the zip's file, for messages
};


bool LooksCompressed(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  return starts("\x1f\x8b") ||                       // gzip
         starts("\x28\xb5\x2f\xfd") ||               // zstd
         starts(std::string_view("\xfd" "7zXZ\x00", 6)) ||  // xz
         starts("BZh") ||                            // bzip2
         starts("PK\x03\x04");                       // zip
}

// The bytes of `src` decompressed when they are compressed.
Result<std::unique_ptr<InputStream>> Decompressed(std::unique_ptr<RawSource> src) {
  // Sniff up to 6 bytes; a pipe may deliver fewer per read.
  std::string head(6, '\0');
  size_t have = 0;
  while (have < head.size()) {
    ASSIGN_OR_RETURN(size_t n, src->Read(head.data() + have, head.size() - have));
    if (n == 0) break;
    have += n;
  }
  head.resize(have);
  if (head.starts_with("\x1f\x8b")) {
    return io_internal::NewGzipStream(std::move(src), std::move(head));
  }
  if (head.starts_with("\x28\xb5\x2f\xfd")) {
    return io_internal::NewZstdStream(std::move(src), std::move(head));
  }
  if (head.starts_with(std::string_view("\xfd" "7zXZ\x00", 6))) {
    return io_internal::NewXzStream(std::move(src), std::move(head));
  }
  if (LooksCompressed(head)) return DecompressingStream::Create(std::move(src), std::move(head));
  return std::unique_ptr<InputStream>(new PlainStream(std::move(src), std::move(head)));
}

// Decompressed, then UTF-16 text (a UTF-16 export zipped or gzipped for
// mail as much as a plain one) as UTF-8.
Result<std::unique_ptr<InputStream>> Wrap(std::unique_ptr<RawSource> src) {
  ASSIGN_OR_RETURN(std::unique_ptr<InputStream> decompressed, Decompressed(std::move(src)));
  return io_internal::DecodeUtf16IfMarked(std::move(decompressed));  // decided at the first read
}

}  // namespace

Result<std::unique_ptr<InputStream>> OpenInput(const std::string& path) {
  if (path == "-") return Wrap(std::make_unique<RawSource>(0, false, "<stdin>"));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{}: no such file", path));
    return Status::IoError(fmt::format("{}: {}", path, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::Invalid(fmt::format("{}: is a directory", path));
  }
  auto src = std::make_unique<RawSource>(fd, true, path);
  src->set_size(static_cast<uint64_t>(st.st_size));
  return Wrap(std::move(src));
}

Result<std::unique_ptr<InputStream>> OpenInputFromMemory(std::string name, std::string bytes) {
  auto size = bytes.size();
  auto src = std::make_unique<RawSource>(std::move(name), std::move(bytes));
  src->set_size(size);
  return Wrap(std::move(src));
}

Result<std::string> ReadAll(InputStream& in, size_t limit) {
  std::string out;
  std::string chunk(1 << 16, '\0');
  for (;;) {
    ASSIGN_OR_RETURN(size_t n, in.Read(chunk.data(), chunk.size()));
    if (n == 0) break;
    if (out.size() + n > limit) {
      return Status::ResourceExhausted(
          fmt::format("{}: larger than the {} byte limit", in.name(), limit));
    }
    out.append(chunk.data(), n);
  }
  return out;
}

namespace {

// The archive formats read member by member. Not libarchive's "all": its
// "empty" format would take an empty file for an archive, "raw" any file,
// and cpio's bidder only a six-byte magic ("070701") that a list of MD5
// hashes may begin with.
struct archive* NewArchiveReader() {
  struct archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_zip_seekable(a);
  archive_read_support_format_7zip(a);
  archive_read_support_format_rar(a);
  archive_read_support_format_rar5(a);
  return a;
}

struct ArchiveReaderFree {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchiveReader = std::unique_ptr<struct archive, ArchiveReaderFree>;

bool IsFileEntry(struct archive_entry* entry) {
  if (archive_entry_filetype(entry) != AE_IFREG) return false;
  const char* path = archive_entry_pathname(entry);
  if (path == nullptr) return false;
  const std::string_view name(path);
  const size_t slash = name.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  return !name.starts_with("__MACOSX/") && !base.starts_with("._");
}

}  // namespace

namespace {

// Opens `a` on a file or on bytes in memory; ARCHIVE_OK on success.
using ArchiveOpener = std::function<int(struct archive*)>;

ArchiveOpener FileOpener(const std::string& path) {
  return [&path](struct archive* a) { return archive_read_open_filename(a, path.c_str(), 1 << 16); };
}

ArchiveOpener MemoryOpener(std::string_view bytes) {
  return [bytes](struct archive* a) { return archive_read_open_memory(a, bytes.data(), bytes.size()); };
}

bool IsArchiveOfFilesWith(const ArchiveOpener& open) {
  const Utf8ArchiveNames utf8_names;
  ArchiveReader a(NewArchiveReader());
  if (open(a.get()) != ARCHIVE_OK) return false;
  struct archive_entry* entry = nullptr;
  int files = 0;
  for (;;) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      // A damaged archive is still one: ForEachArchiveMember reports it.
      return files > 0 || archive_format(a.get()) != 0;
    }
    if ((archive_format(a.get()) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ZIP) {
      return true;  // tar, 7z, rar: never one stream
    }
    if (IsFileEntry(entry) && ++files > 1) return true;
  }
  return false;  // a zip of one file (or none): OpenInput reads it
}

// Errors name the archive `name`; members are "PREFIX/MEMBER".
Result<int64_t> ForEachArchiveMemberWith(const ArchiveOpener& open, const std::string& name,
                                         const std::string& member_prefix, uint64_t archive_size,
                                         const std::function<Status(InputStream&)>& fn) {
  const Utf8ArchiveNames utf8_names;
  ArchiveReader a(NewArchiveReader());
  if (open(a.get()) != ARCHIVE_OK) {
    return Status::IoError(fmt::format("{}: cannot open the archive: {}", name, ArchiveError(a.get())));
  }
  int64_t handed = 0;
  struct archive_entry* entry = nullptr;
  for (;;) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      return Status::IoError(fmt::format("{}: cannot read the archive after {} file(s): {}", name, handed,
                                         ArchiveError(a.get())));
    }
    if (!IsFileEntry(entry)) continue;
    // "tar -C dir ." names its files "./a.txt": the member is "x.tar/a.txt".
    std::string_view path = archive_entry_pathname(entry);
    while (path.starts_with("./")) path.remove_prefix(2);
    auto src = std::make_unique<RawSource>(a.get(), fmt::format("{}/{}", member_prefix, path));
    src->set_size(archive_size);
    ASSIGN_OR_RETURN(std::unique_ptr<InputStream> member, Wrap(std::move(src)));
    ++handed;
    RETURN_IF_ERROR(fn(*member));
  }
  return handed;
}

}  // namespace

bool IsArchiveOfFiles(const std::string& path) {
  if (path == "-" || path.empty()) return false;  // libarchive would read standard input
  // Only a regular file can be looked at and then opened again: a FIFO or
  // a process substitution (`accord match <(zcat log.gz)`, /dev/fd/63)
  // would lose the bytes the look read.
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  return IsArchiveOfFilesWith(FileOpener(path));
}

bool IsArchiveOfFilesInMemory(std::string_view bytes) {
  if (bytes.empty()) return false;
  return IsArchiveOfFilesWith(MemoryOpener(bytes));
}

Result<int64_t> ForEachArchiveMember(const std::string& path,
                                     const std::function<Status(InputStream&)>& fn,
                                     const std::string& display_name) {
  struct stat st {};
  const uint64_t archive_size = ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  return ForEachArchiveMemberWith(FileOpener(path), path, display_name.empty() ? path : display_name,
                                  archive_size, fn);
}

Result<int64_t> ForEachArchiveMemberInMemory(std::string_view bytes, const std::string& name,
                                             const std::function<Status(InputStream&)>& fn) {
  return ForEachArchiveMemberWith(MemoryOpener(bytes), name, name, bytes.size(), fn);
}

namespace io_internal {

std::string ArchiveError(struct archive* a) {
  const char* why = archive_error_string(a);
  return why != nullptr ? why : "unknown error";
}

Status TarRefused(const std::string& name) {
  return Status::Invalid(fmt::format(
      "{}: is a tar archive; give it by its file name to `accord import` or `accord match`, which read "
      "each file in it, or unpack it",
      name));
}

Result<size_t> RawSource::ReadMember(char* buf, size_t max) {
  const la_ssize_t n = archive_read_data(member_of_, buf, max);
  if (n < 0) {
    return Status::IoError(fmt::format("{}: cannot read it from the archive: {}", name_, ArchiveError(member_of_)));
  }
  offset_ = static_cast<uint64_t>(archive_filter_bytes(member_of_, -1));
  return static_cast<size_t>(n);
}

}  // namespace io_internal

}  // namespace accord
