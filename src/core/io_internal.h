// Private to io.cc and io_decoders.cc: where a stream's raw bytes come
// from (RawSource) and the decoders that read them directly (gzip, zstd, xz,
// UTF-16). Not part of core's face; other modules use core/io.h.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/io.h"

struct archive;

namespace accord::io_internal {

// libarchive leaves the message unset for some failures (a damaged zip
// header, say): formatting a null pointer would throw.
std::string ArchiveError(struct archive* a);

// POSIX and GNU tar headers carry "ustar" at offset 257 of their first block.
inline bool LooksLikeTar(std::string_view first_bytes) {
  return first_bytes.size() >= 262 && first_bytes.substr(257, 5) == "ustar";
}

// A tar read as a single stream would be its headers and NULs.
Status TarRefused(const std::string& name);

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
    if (interrupted_) return Status::IoError(fmt::format("{}: read interrupted by a signal", name_));
    for (;;) {
      ssize_t n = ::read(fd_, buf, max);
      if (n >= 0) {
        offset_ += static_cast<uint64_t>(n);
        return static_cast<size_t>(n);
      }
      // A signal whose handler asks for no restart (accord match's SIGTERM
      // on a quiet FIFO) ends the read; handlers with SA_RESTART never
      // get here.
      if (errno == EINTR) return Status::IoError(fmt::format("{}: read interrupted by a signal", name_));
      return Status::IoError(fmt::format("{}: {}", name_, std::strerror(errno)));
    }
  }

  // A pipe, socket or terminal with nothing to read for `milliseconds`
  // (InputStream::QuietFor). Regular files and memory are never quiet.
  bool QuietFor(int milliseconds) const {
    if (fd_ < 0 || member_of_ != nullptr) return false;
    if (waits_ < 0) {
      struct stat info {};
      waits_ = (::fstat(fd_, &info) == 0 && !S_ISREG(info.st_mode) && !S_ISBLK(info.st_mode)) ? 1 : 0;
    }
    if (waits_ == 0) return false;
    struct pollfd ready {fd_, POLLIN, 0};
    const int ready_count = ::poll(&ready, 1, milliseconds);
    // A signal during the wait (accord match's SIGTERM) would otherwise be
    // spent here, and the read that follows would block for good.
    if (ready_count < 0 && errno == EINTR) interrupted_ = true;
    return ready_count == 0;
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
  mutable int waits_ = -1;  // whether fd_ can wait at all; -1 until asked
  mutable bool interrupted_ = false;  // a signal came while QuietFor waited
};

// Decoders of one stream, given the source and the bytes already read from
// it to sniff the format (served first, so nothing is lost on a pipe).
std::unique_ptr<InputStream> NewGzipStream(std::unique_ptr<RawSource> src, std::string head);
std::unique_ptr<InputStream> NewZstdStream(std::unique_ptr<RawSource> src, std::string head);
std::unique_ptr<InputStream> NewXzStream(std::unique_ptr<RawSource> src, std::string head);
// `text` as UTF-8 when it starts with a UTF-16 byte-order mark (what Excel's
// "Unicode Text" writes, compressed or not), else as it is; decided at the
// first read, so open reads nothing.
std::unique_ptr<InputStream> DecodeUtf16IfMarked(std::unique_ptr<InputStream> text);

}  // namespace accord::io_internal
