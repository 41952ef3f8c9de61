// Reading input files: plain, gzip or zstd (detected from the bytes, not the
// name), from a path or standard input, in bounded memory.
#pragma once

#include <cstddef>
#include <cstdint>
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

}  // namespace accord
