#include "stix/json_scanner.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace accord::stix_internal {
namespace {

constexpr size_t kFirstReadBytes = 64 << 10;
constexpr size_t kMinReadBytes = 16 << 10;

bool IsJsonBlank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Where a scalar (number, true, false, null) ends.
bool IsScalarDelimiter(char c) {
  return IsJsonBlank(c) || c == ',' || c == ']' || c == '}' || c == ':' || c == '[' || c == '{' ||
         c == '"';
}

}  // namespace

JsonScanner::JsonScanner(InputStream& in, std::string source_name, size_t max_value_bytes,
                         size_t chunk_bytes)
    : in_(in),
      source_name_(source_name.empty() ? in.name() : std::move(source_name)),
      max_value_bytes_(max_value_bytes),
      chunk_bytes_(chunk_bytes == 0 ? 1 : chunk_bytes) {}

Status JsonScanner::ErrorAt(uint64_t offset, std::string_view what) const {
  return Status::Invalid(source_name_ + ": byte " + std::to_string(offset) + ": " + std::string(what));
}

Result<bool> JsonScanner::Refill(size_t keep_from) {
  // Slide the kept bytes (a value being captured) to the front so the
  // buffer holds one chunk plus at most one value, however long the file.
  if (keep_from > 0) {
    std::memmove(data_.data(), data_.data() + keep_from, end_ - keep_from);
    end_ -= keep_from;
    pos_ -= keep_from;
    base_offset_ += keep_from;
  }
  if (eof_) return false;
  size_t room = data_.size() >= end_ + kScannerPadding ? data_.size() - end_ - kScannerPadding : 0;
  if (room < std::min(chunk_bytes_, kMinReadBytes)) {
    // Small inputs (request bodies, single objects) should not pay for a
    // whole chunk, so the buffer starts small and grows to chunk size.
    const size_t grow = data_.empty() ? std::min(chunk_bytes_, kFirstReadBytes) : chunk_bytes_;
    data_.resize(end_ + grow + kScannerPadding);
    room = grow;
  }
  auto read = in_.Read(data_.data() + end_, room);
  if (!read.ok()) return read.status();
  if (*read == 0) {
    eof_ = true;
    return false;
  }
  end_ += *read;
  return true;
}

Result<int> JsonScanner::Peek() {
  if (!started_) {
    started_ = true;
    while (end_ - pos_ < 3) {
      ASSIGN_OR_RETURN(bool more, Refill(pos_));
      if (!more) break;
    }
    if (end_ - pos_ >= 3 && std::memcmp(data_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
  }
  for (;;) {
    while (pos_ < end_ && IsJsonBlank(data_[pos_])) ++pos_;
    if (pos_ < end_) return static_cast<int>(static_cast<unsigned char>(data_[pos_]));
    ASSIGN_OR_RETURN(bool more, Refill(pos_));
    if (!more) return kEndOfInput;
  }
}

// This is the hot path of STIX import: every byte of a bundle passes through
// the loop below once. It is hand-written rather than a JSON library because
// simdjson needs the whole document in memory, and a 1 GB bundle must import
// in memory bounded by one object; so this loop only tracks what delimits an
// object (bracket depth, strings, escapes) and leaves parsing to simdjson,
// object by object. Inside strings it skips ahead to the next quote or
// backslash without looking at depth.
Result<std::string_view> JsonScanner::CaptureValue() {
  ASSIGN_OR_RETURN(int first, Peek());
  if (first == kEndOfInput) return ErrorAt(offset(), "truncated input: expected a value");
  size_t start = pos_;
  value_offset_ = offset();
  const bool scalar = first != '{' && first != '[' && first != '"';
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (;;) {
    const char* data = data_.data();
    const char* p = data + pos_;
    const char* end = data + end_;
    bool done = false;
    if (scalar) {
      while (p < end && !IsScalarDelimiter(*p)) ++p;
      done = p < end;
    } else {
      while (p < end) {
        if (in_string) {
          if (escaped) {
            escaped = false;
            ++p;
            continue;
          }
          while (p < end && *p != '"' && *p != '\\') ++p;
          if (p == end) break;
          if (*p == '\\') {
            escaped = true;
            ++p;
            continue;
          }
          in_string = false;
          ++p;
          if (depth == 0) {
            done = true;
            break;
          }
          continue;
        }
        const char c = *p++;
        if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            done = true;
            break;
          }
        }
      }
    }
    pos_ = static_cast<size_t>(p - data);
    if (pos_ - start > max_value_bytes_) {
      return Status::ResourceExhausted(source_name_ + ": byte " + std::to_string(value_offset_) +
                                       ": object larger than the limit of " +
                                       std::to_string(max_value_bytes_) + " bytes");
    }
    if (done) return std::string_view(data_.data() + start, pos_ - start);
    ASSIGN_OR_RETURN(bool more, Refill(start));
    start = 0;
    if (!more) {
      if (scalar && pos_ > start) return std::string_view(data_.data(), pos_);
      return ErrorAt(offset(), in_string ? "truncated input inside a string"
                                         : "truncated input: value starting at byte " +
                                               std::to_string(value_offset_) + " is not closed");
    }
  }
}

}  // namespace accord::stix_internal
