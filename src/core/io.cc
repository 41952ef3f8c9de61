#include "core/io.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <iconv.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string_view>

namespace accord {
namespace {

// libarchive leaves the message unset for some failures (a damaged zip
// header, say): formatting a null pointer would throw.
std::string ArchiveError(struct archive* a) {
  const char* why = archive_error_string(a);
  return why != nullptr ? why : "unknown error";
}

// POSIX and GNU tar headers carry "ustar" at offset 257 of their first block.
bool LooksLikeTar(std::string_view first_bytes) {
  return first_bytes.size() >= 262 && first_bytes.substr(257, 5) == "ustar";
}

Status TarRefused(const std::string& name) {
  return Status::Invalid(fmt::format(
      "{}: is a tar archive; give it by its file name to `accord import` or `accord match`, which read "
      "each file in it, or unpack it",
      name));
}

// Where compressed or plain bytes come from: a file descriptor, memory, or
// the member of an archive.
// `prefix` holds bytes already read to sniff the format; they are served
// first so nothing is lost on a pipe.
class RawSource {
 public:
  RawSource(int fd, bool owns_fd, std::string name) : fd_(fd), owns_fd_(owns_fd), name_(std::move(name)) {}
  RawSource(std::string name, std::string bytes) : name_(std::move(name)), memory_(std::move(bytes)) {}
  // The current member of an archive being walked (ForEachArchiveMember):
  // its bytes, with the offset counted in the archive file's bytes.
  RawSource(struct archive* member_of, std::string name) : name_(std::move(name)), member_of_(member_of) {}
  ~RawSource() {
    if (owns_fd_ && fd_ >= 0) ::close(fd_);
  }

  Result<size_t> Read(char* buf, size_t max) {
    if (member_of_ != nullptr) return ReadMember(buf, max);
    if (fd_ < 0) {
      size_t n = std::min(max, memory_.size() - memory_pos_);
      std::memcpy(buf, memory_.data() + memory_pos_, n);
      memory_pos_ += n;
      offset_ += n;
      return n;
    }
    for (;;) {
      ssize_t n = ::read(fd_, buf, max);
      if (n >= 0) {
        offset_ += static_cast<uint64_t>(n);
        return static_cast<size_t>(n);
      }
      if (errno == EINTR) continue;
      return Status::IoError(fmt::format("{}: {}", name_, std::strerror(errno)));
    }
  }

  const std::string& name() const { return name_; }
  uint64_t offset() const { return offset_; }
  uint64_t size() const { return size_; }
  void set_size(uint64_t size) { size_ = size; }
  std::string& scratch() { return scratch_; }

 private:
  Result<size_t> ReadMember(char* buf, size_t max);

  int fd_ = -1;
  bool owns_fd_ = false;
  std::string name_;
  std::string memory_;
  size_t memory_pos_ = 0;
  uint64_t offset_ = 0;
  uint64_t size_ = 0;
  std::string scratch_;
  struct archive* member_of_ = nullptr;
};

Result<size_t> RawSource::ReadMember(char* buf, size_t max) {
  const la_ssize_t n = archive_read_data(member_of_, buf, max);
  if (n < 0) {
    return Status::IoError(fmt::format("{}: cannot read it from the archive: {}", name_, ArchiveError(member_of_)));
  }
  offset_ = static_cast<uint64_t>(archive_filter_bytes(member_of_, -1));
  return static_cast<size_t>(n);
}

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

// A compressed file that ends mid-stream: an error, after every byte that
// decoded before the cut was handed out.
Status Truncated(const std::string& name, std::string_view format, uint64_t offset) {
  return Status::IoError(fmt::format(
      "{}: truncated {}: the file ends inside compressed data after {} bytes; the lines before that "
      "point were read",
      name, format, offset));
}

// gzip, decoded by zlib directly rather than libarchive's filter: a file cut
// short (a log rotated by copytruncate, a download that broke off) then
// gives every byte that decodes before the error, where libarchive's filter
// drops the last block it had decoded, up to 64 KiB of lines. Members
// written one after another (`cat a.gz b.gz`, logrotate's appends) read as
// one stream, as gunzip reads them.
class GzipStream final : public InputStream {
 public:
  GzipStream(std::unique_ptr<RawSource> src, std::string prefix)
      : src_(std::move(src)), in_(std::move(prefix)) {
    in_.reserve(kChunk);
  }
  ~GzipStream() override {
    if (initialised_) inflateEnd(&z_);
  }

  Result<size_t> Read(char* buf, size_t max) override {
    if (done_ || max == 0) return size_t{0};
    if (!initialised_) {
      // 16 + MAX_WBITS: a gzip header and trailer around the deflate data.
      if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) {
        return Status::Internal(fmt::format("{}: cannot start zlib", name()));
      }
      initialised_ = true;
      z_.next_in = reinterpret_cast<Bytef*>(in_.data());
      z_.avail_in = static_cast<uInt>(in_.size());
    }
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(max, 1u << 30));
    const uInt room = z_.avail_out;
    while (z_.avail_out == room) {
      if (z_.avail_in == 0) {
        if (input_ended_) {
          if (!in_member_) {
            done_ = true;
            return size_t{0};
          }
          return Truncated(name(), "gzip", src_->offset());
        }
        in_.resize(kChunk);
        ASSIGN_OR_RETURN(size_t n, src_->Read(in_.data(), in_.size()));
        in_.resize(n);
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(n);
        if (n == 0) input_ended_ = true;
        continue;
      }
      if (!in_member_) {
        // Between members: another one, or padding (NULs from a preallocated
        // file) that gunzip also ignores.
        if (z_.next_in[0] != 0x1f) {
          done_ = true;
          return size_t{0};
        }
        if (inflateReset(&z_) != Z_OK) return Status::Internal(fmt::format("{}: zlib reset", name()));
        in_member_ = true;
      }
      const int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status::IoError(fmt::format("{}: corrupt compressed data: {}", name(),
                                           z_.msg != nullptr ? z_.msg : "zlib error"));
      }
    }
    const size_t n = room - z_.avail_out;
    if (!tar_checked_) {
      tar_checked_ = true;
      if (LooksLikeTar(std::string_view(buf, n))) return TarRefused(name());
    }
    return n;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset() - z_.avail_in; }
  uint64_t compressed_size() const override { return src_->size(); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::unique_ptr<RawSource> src_;
  std::string in_;  // the sniffed prefix first, then each chunk read
  z_stream z_{};
  bool initialised_ = false;
  bool in_member_ = true;
  bool input_ended_ = false;
  bool done_ = false;
  bool tar_checked_ = false;
};

// zstd, decoded by libzstd directly for the reason GzipStream exists: a file
// cut short gives every byte that decodes before the error (libarchive's
// filter drops its last decoded block). Frames written one after another
// read as one stream, as `zstd -d` reads them.
class ZstdStream final : public InputStream {
 public:
  ZstdStream(std::unique_ptr<RawSource> src, std::string prefix)
      : src_(std::move(src)), in_(std::move(prefix)), stream_(ZSTD_createDStream()) {}
  ~ZstdStream() override { ZSTD_freeDStream(stream_); }

  Result<size_t> Read(char* buf, size_t max) override {
    if (done_ || max == 0) return size_t{0};
    if (stream_ == nullptr) return Status::Internal(fmt::format("{}: cannot start zstd", name()));
    ZSTD_outBuffer out{buf, max, 0};
    while (out.pos == 0) {
      if (in_pos_ == in_.size()) {
        if (input_ended_) {
          if (!in_frame_) {
            done_ = true;
            return size_t{0};
          }
          return Truncated(name(), "zstd", src_->offset());
        }
        in_.resize(kChunk);
        ASSIGN_OR_RETURN(size_t n, src_->Read(in_.data(), in_.size()));
        in_.resize(n);
        in_pos_ = 0;
        if (n == 0) input_ended_ = true;
        continue;
      }
      ZSTD_inBuffer in{in_.data(), in_.size(), in_pos_};
      const size_t rc = ZSTD_decompressStream(stream_, &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(rc)) {
        return Status::IoError(fmt::format("{}: corrupt compressed data: {}", name(), ZSTD_getErrorName(rc)));
      }
      in_frame_ = rc != 0;  // 0: a frame ended and all of it was given out
    }
    if (!tar_checked_) {
      tar_checked_ = true;
      if (LooksLikeTar(std::string_view(buf, out.pos))) return TarRefused(name());
    }
    return out.pos;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset() - (in_.size() - in_pos_); }
  uint64_t compressed_size() const override { return src_->size(); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::unique_ptr<RawSource> src_;
  std::string in_;  // the sniffed prefix first, then each chunk read
  size_t in_pos_ = 0;
  ZSTD_DStream* stream_;
  bool in_frame_ = false;
  bool input_ended_ = false;
  bool done_ = false;
  bool tar_checked_ = false;
};

// xz, decoded by liblzma directly for the same reason (a log cut short gives
// every line before the cut, then says so); concatenated streams read as
// one, as `xz -d` reads them.
class XzStream final : public InputStream {
 public:
  XzStream(std::unique_ptr<RawSource> src, std::string prefix) : src_(std::move(src)), in_(std::move(prefix)) {}
  ~XzStream() override { lzma_end(&lzma_); }

  Result<size_t> Read(char* buf, size_t max) override {
    if (done_ || max == 0) return size_t{0};
    if (!initialised_) {
      if (lzma_stream_decoder(&lzma_, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
        return Status::Internal(fmt::format("{}: cannot start the xz decoder", name()));
      }
      initialised_ = true;
      lzma_.next_in = reinterpret_cast<const uint8_t*>(in_.data());
      lzma_.avail_in = in_.size();
    }
    lzma_.next_out = reinterpret_cast<uint8_t*>(buf);
    lzma_.avail_out = max;
    while (lzma_.avail_out == max) {
      lzma_action action = LZMA_RUN;
      if (lzma_.avail_in == 0 && !input_ended_) {
        in_.resize(kChunk);
        ASSIGN_OR_RETURN(size_t n, src_->Read(in_.data(), in_.size()));
        in_.resize(n);
        lzma_.next_in = reinterpret_cast<const uint8_t*>(in_.data());
        lzma_.avail_in = n;
        if (n == 0) input_ended_ = true;
      }
      if (input_ended_) action = LZMA_FINISH;
      const lzma_ret rc = lzma_code(&lzma_, action);
      if (rc == LZMA_STREAM_END) {
        done_ = true;
        break;
      }
      if (rc == LZMA_BUF_ERROR && input_ended_) {
        if (lzma_.avail_out != max) break;  // give what decoded; the error comes next call
        return Truncated(name(), "xz", src_->offset());
      }
      if (rc != LZMA_OK) {
        return Status::IoError(fmt::format("{}: corrupt compressed data: {}", name(),
                                           rc == LZMA_FORMAT_ERROR ? std::string("not xz")
                                           : rc == LZMA_DATA_ERROR ? std::string("xz data error")
                                           : rc == LZMA_MEM_ERROR  ? std::string("out of memory")
                                                                   : "xz error " + std::to_string(rc)));
      }
    }
    const size_t n = max - lzma_.avail_out;
    if (!tar_checked_ && n > 0) {
      tar_checked_ = true;
      if (LooksLikeTar(std::string_view(buf, n))) return TarRefused(name());
    }
    return n;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset() - lzma_.avail_in; }
  uint64_t compressed_size() const override { return src_->size(); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::unique_ptr<RawSource> src_;
  std::string in_;  // the sniffed prefix first, then each chunk read
  lzma_stream lzma_ = LZMA_STREAM_INIT;
  bool initialised_ = false;
  bool input_ended_ = false;
  bool done_ = false;
  bool tar_checked_ = false;
};

// UTF-16 text with its byte-order mark (what Excel's "Unicode Text" and
// Windows tools write) as UTF-8, through glibc's iconv: every reader after
// this sees the same bytes as if the file had been saved as UTF-8.
class Utf16Stream final : public InputStream {
 public:
  static Result<std::unique_ptr<InputStream>> Create(std::unique_ptr<RawSource> src, std::string head) {
    const bool little_endian = head.starts_with("\xff\xfe");
    iconv_t converter = iconv_open("UTF-8", little_endian ? "UTF-16LE" : "UTF-16BE");
    if (converter == reinterpret_cast<iconv_t>(-1)) {
      return Status::Internal(fmt::format("{}: cannot convert UTF-16: {}", src->name(), std::strerror(errno)));
    }
    head.erase(0, 2);  // the byte-order mark
    return std::unique_ptr<InputStream>(new Utf16Stream(std::move(src), std::move(head), converter));
  }
  ~Utf16Stream() override { iconv_close(converter_); }

  // Any `max` works, one byte included: the text is converted into a
  // buffer of its own and handed out from there (a UTF-8 character may be
  // longer than what a caller asks for).
  Result<size_t> Read(char* buf, size_t max) override {
    if (max == 0) return size_t{0};
    while (out_pos_ == out_.size()) {
      ASSIGN_OR_RETURN(bool more, Convert());
      if (!more) return size_t{0};
    }
    const size_t n = std::min(max, out_.size() - out_pos_);
    std::memcpy(buf, out_.data() + out_pos_, n);
    out_pos_ += n;
    return n;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset(); }
  uint64_t compressed_size() const override { return src_->size(); }

 private:
  static constexpr size_t kChunk = 1 << 16;
  Utf16Stream(std::unique_ptr<RawSource> src, std::string head, iconv_t converter)
      : src_(std::move(src)), in_(std::move(head)), converter_(converter) {}

  // Converts the next piece into out_ (reading more input as needed); false
  // at the end of the text.
  Result<bool> Convert() {
    out_.resize(2 * kChunk);  // UTF-16 to UTF-8 at most 3 bytes for 2
    out_pos_ = 0;
    for (;;) {
      if (pending_ < in_.size()) {
        char* in = in_.data() + pending_;
        size_t in_left = in_.size() - pending_;
        char* out = out_.data();
        size_t out_left = out_.size();
        const size_t rc = iconv(converter_, &in, &in_left, &out, &out_left);
        const int error = rc == static_cast<size_t>(-1) ? errno : 0;
        const size_t consumed = (in_.size() - pending_) - in_left;
        pending_ += consumed;
        converted_ += consumed;
        if (error == EILSEQ) {
          return Status::Invalid(fmt::format(
              "{}: not UTF-16 at byte {} (the file starts with a UTF-16 byte-order mark)", name(),
              converted_ + 2));
        }
        const size_t produced = out_.size() - out_left;
        if (produced > 0) {
          out_.resize(produced);
          return true;
        }
        // EINVAL (a character cut at the end of the chunk) or all taken:
        // keep what is left and read more.
      }
      in_.erase(0, pending_);
      pending_ = 0;
      if (ended_) {
        if (!in_.empty()) {
          return Status::Invalid(fmt::format("{}: ends inside a UTF-16 character at byte {}", name(),
                                             converted_ + 2));
        }
        out_.clear();
        return false;
      }
      const size_t kept = in_.size();
      in_.resize(kept + kChunk);
      ASSIGN_OR_RETURN(size_t n, src_->Read(in_.data() + kept, kChunk));
      in_.resize(kept + n);
      if (n == 0) ended_ = true;
    }
  }

  std::unique_ptr<RawSource> src_;
  std::string in_;        // read, not yet converted from pending_ on
  size_t pending_ = 0;
  std::string out_;       // converted, handed out from out_pos_ on
  size_t out_pos_ = 0;
  uint64_t converted_ = 0;  // UTF-16 bytes converted, for messages
  bool ended_ = false;
  iconv_t converter_;
};

bool LooksCompressed(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  return starts("\x1f\x8b") ||                       // gzip
         starts("\x28\xb5\x2f\xfd") ||               // zstd
         starts(std::string_view("\xfd" "7zXZ\x00", 6)) ||  // xz
         starts("BZh") ||                            // bzip2
         starts("PK\x03\x04");                       // zip
}

Result<std::unique_ptr<InputStream>> Wrap(std::unique_ptr<RawSource> src) {
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
    return std::unique_ptr<InputStream>(new GzipStream(std::move(src), std::move(head)));
  }
  if (head.starts_with("\x28\xb5\x2f\xfd")) {
    return std::unique_ptr<InputStream>(new ZstdStream(std::move(src), std::move(head)));
  }
  if (head.starts_with(std::string_view("\xfd" "7zXZ\x00", 6))) {
    return std::unique_ptr<InputStream>(new XzStream(std::move(src), std::move(head)));
  }
  if (LooksCompressed(head)) return DecompressingStream::Create(std::move(src), std::move(head));
  if (head.starts_with("\xff\xfe") || head.starts_with("\xfe\xff")) {
    return Utf16Stream::Create(std::move(src), std::move(head));
  }
  return std::unique_ptr<InputStream>(new PlainStream(std::move(src), std::move(head)));
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
    auto src = std::make_unique<RawSource>(a.get(), fmt::format("{}/{}", member_prefix, archive_entry_pathname(entry)));
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

}  // namespace accord
