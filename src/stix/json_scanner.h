// A forward-only JSON tokenizer for the top levels of a STIX bundle: it
// walks the bundle's own keys and cuts each element of the "objects" array
// out of the byte stream as one complete value, which the reader then parses
// alone with simdjson.
//
// Internal to stix/. Not thread-safe. Memory is one read chunk plus the
// largest value captured (bounded by `max_value_bytes`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/io.h"
#include "core/status.h"

namespace accord::stix_internal {

// Bytes readable past the end of every captured value: simdjson reads up to
// this many bytes beyond a document, so captured views can be parsed in place
// without a copy.
inline constexpr size_t kScannerPadding = 64;

class JsonScanner {
 public:
  static constexpr int kEndOfInput = -1;

  // `source_name` prefixes every message (the stream's name when empty).
  JsonScanner(InputStream& in, std::string source_name, size_t max_value_bytes,
              size_t chunk_bytes = size_t{1} << 20);
  JsonScanner(const JsonScanner&) = delete;
  JsonScanner& operator=(const JsonScanner&) = delete;

  // Skips white space (and a UTF-8 byte order mark at the very start) and
  // returns the next byte without consuming it, or kEndOfInput.
  Result<int> Peek();
  // Consumes the byte Peek() returned.
  void Consume() { ++pos_; }

  // Captures the complete JSON value starting at the next non-blank byte:
  // an object or array up to its matching bracket (strings and escapes
  // honoured), a string up to its closing quote, or a scalar up to the next
  // delimiter. The view stays valid until the next call on the scanner and
  // is followed by kScannerPadding readable bytes. Errors: truncated input,
  // a value over max_value_bytes (kResourceExhausted); each names
  // the byte offset. The value's syntax is NOT checked beyond its extent:
  // that is the parser's job.
  Result<std::string_view> CaptureValue();

  // Stream offset of the next unconsumed byte, and of the last value
  // captured.
  uint64_t offset() const { return base_offset_ + pos_; }
  uint64_t value_offset() const { return value_offset_; }

  // "<source>: byte 123: <what>", for messages about the stream.
  Status ErrorAt(uint64_t offset, std::string_view what) const;

 private:
  // Reads more bytes, keeping everything from `keep_from` on. Returns false
  // at end of input.
  Result<bool> Refill(size_t keep_from);

  InputStream& in_;
  std::string source_name_;
  size_t max_value_bytes_;
  size_t chunk_bytes_;
  std::string data_;          // [0, end_) valid, then at least kScannerPadding spare
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t base_offset_ = 0;  // stream offset of data_[0]
  uint64_t value_offset_ = 0;
  bool eof_ = false;
  bool started_ = false;      // the byte order mark is only skipped at the start
};

}  // namespace accord::stix_internal
