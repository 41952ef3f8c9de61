// Reading input files: plain or compressed (gzip, zstd, xz, bzip2: detected
// from the bytes, not the name), from a path or standard input, in bounded
// memory; UTF-16 text with a byte-order mark read as UTF-8; and archives of
// several files (tar, compressed or not, zip, 7z), read member by member.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace accord {

// A forward-only byte stream. Not thread-safe.
class InputStream {
 public:
  virtual ~InputStream() = default;
  // Reads up to `max` bytes into `buf`. Returns the count; 0 means end of
  // input. Errors (corrupt compressed data, I/O) name the source.
  virtual Result<size_t> Read(char* buf, size_t max) = 0;
  // The name used in messages: the path, or "<stdin>".
  virtual const std::string& name() const = 0;
  // Bytes consumed from the underlying file so far (for progress), and its
  // size if known (0 otherwise).
  virtual uint64_t compressed_offset() const = 0;
  virtual uint64_t compressed_size() const = 0;
  // True when no input arrives within `milliseconds` (a pipe or terminal
  // that stays empty: the next Read would block), having waited at most that
  // long; false at once when bytes are ready or buffered, and always for
  // files and memory. A reader that batches work finishes it before such a
  // wait; the interval keeps a stream that is only briefly empty between
  // lines from being treated as quiet. Compressed and UTF-16 streams say
  // false (their decoders may hold bytes).
  virtual bool QuietFor(int milliseconds) const {
    (void)milliseconds;
    return false;
  }
};

// Opens `path` ("-" = standard input), transparently decompressing gzip and
// zstd. Errors: kNotFound / kIoError naming the path.
Result<std::unique_ptr<InputStream>> OpenInput(const std::string& path);
// Wraps bytes already in memory (request bodies, tests); decompresses too.
Result<std::unique_ptr<InputStream>> OpenInputFromMemory(std::string name, std::string bytes);

// Splits a stream into lines without holding more than one buffer. Lines may
// end in \n or \r\n (the \r is dropped). A line longer than `max_line` is
// an error naming its line number. Not thread-safe.
class LineReader {
 public:
  explicit LineReader(InputStream& in, size_t max_line = 1 << 20);
  // Sets `line` to the next line (valid until the next call) and returns
  // true; false at end of input. Check status() after false.
  bool Next(std::string_view& line);
  uint64_t line_number() const { return line_number_; }
  const Status& status() const { return status_; }

 private:
  bool Refill();
  InputStream& in_;
  size_t max_line_;
  std::string buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t line_number_ = 0;
  Status status_;
};

// Reads a whole (small) stream into memory, refusing past `limit` bytes.
Result<std::string> ReadAll(InputStream& in, size_t limit);

// Whether the file at `path` is an archive that OpenInput cannot read as one
// stream: a tar (plain, gzip, zstd, xz or bzip2), 7z or rar archive,
// or a zip of more than one file (a zip of one file reads as that file
// through OpenInput). Reads only the archive's headers. False for anything
// else, including paths that cannot be opened (OpenInput then says why).
bool IsArchiveOfFiles(const std::string& path);

// Reads the archive at `path` once, in order, handing each regular file to
// `fn` as a stream named "ARCHIVE/MEMBER", where ARCHIVE is `display_name`
// or else `path` (itself decompressed when the member is gzip or zstd). Directories, links and macOS resource forks
// (__MACOSX/, "._" files) are skipped. `fn` returning an error stops the
// walk with that error; a damaged archive is an error naming it. Returns the
// number of files handed over.
Result<int64_t> ForEachArchiveMember(const std::string& path,
                                     const std::function<Status(InputStream&)>& fn,
                                     const std::string& display_name = "");

// The same two for an archive held in memory (a request body): `bytes`
// must outlive the walk, and members are named "NAME/MEMBER".
bool IsArchiveOfFilesInMemory(std::string_view bytes);
Result<int64_t> ForEachArchiveMemberInMemory(std::string_view bytes, const std::string& name,
                                             const std::function<Status(InputStream&)>& fn);

}  // namespace accord
