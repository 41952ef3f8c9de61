// JSON telemetry that is not one object a line: log shippers that post
// batches as arrays (Fluent Bit's http output with `format json`,
// Logstash's `json_batch`, Vector's JSON array framing), and objects
// pretty-printed over several lines (jq's output, a sensor's debug dump).
// LineSource::NextJsonValue splits such a stream into its values, which the
// JSON readers then read as they read NDJSON lines: arrays only group
// values, at any nesting outside a value, and commas and blanks between
// values are skipped.
//
// The split looks at every byte (strings and nesting decide where a value
// ends), so it is slower than NDJSON's memchr per line; it is not the hot
// path. A value is bounded like a line: a longer one is dropped while being
// read and reported, and a value left open at the end of the input is
// handed out as it is, for the reader to report as unfinished.
#include <algorithm>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

bool IsJsonBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Between values: blanks, commas and the brackets of the arrays that group
// them.
bool IsBetweenValues(char c) { return IsJsonBlank(c) || c == ',' || c == '[' || c == ']'; }

// Where a bare value (a number, a literal, or a stray word) ends.
bool EndsBareValue(char c) {
  return IsBetweenValues(c) || c == '{' || c == '}' || c == '"' || c == ':';
}

}  // namespace

bool StartsJsonValueStream(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t at = 0;
  while (at < head.size() && IsJsonBlank(head[at])) ++at;
  if (at == head.size()) return false;
  if (head[at] == '[') {
    // An array of objects; a text log's first line may open with a
    // bracket too ("[2024-05-01 12:00:00] ...").
    for (++at; at < head.size() && IsJsonBlank(head[at]);) ++at;
    return at < head.size() && head[at] == '{';
  }
  if (head[at] != '{') return false;
  // Does the first object close before its line ends?
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (; at < head.size() && head[at] != '\n'; ++at) {
    const char c = head[at];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return false;
    }
  }
  // A first line cut off by the end of what was read says nothing.
  return at < head.size();
}

bool LineSource::ScanJsonValue() {
  while (scan_ < end_) {
    const char c = buf_[scan_];
    if (value_ == JsonValue::kNone) {
      if (IsBetweenValues(c)) {
        if (c == '\n') ++newlines_;
        begin_ = ++scan_;
        continue;
      }
      begin_ = scan_;
      value_line_ = newlines_ + 1;
      depth_ = 0;
      in_string_ = false;
      escaped_ = false;
      value_ = c == '{' ? JsonValue::kObject : c == '"' ? JsonValue::kString : JsonValue::kBare;
      if (value_ == JsonValue::kBare && EndsBareValue(c)) {
        // A stray '}' or ':' is a value of its own, so the reader reports it.
        ++scan_;
        return true;
      }
    }
    if (value_ == JsonValue::kBare) {
      if (EndsBareValue(c)) return true;
      ++scan_;
      continue;
    }
    ++scan_;
    if (c == '\n') ++newlines_;
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (depth_ == 0) return true;  // a string value
      }
    } else if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if ((c == '}' || c == ']') && --depth_ <= 0) {
      return true;
    }
  }
  return false;
}

bool LineSource::NextJsonValue(Line& line) {
  if (!status_.ok()) return false;
  for (;;) {
    if (ScanJsonValue()) {
      const size_t begin = begin_;
      begin_ = scan_;
      value_ = JsonValue::kNone;
      Emit(line, begin, scan_, value_line_);
      return true;
    }
    if (value_ != JsonValue::kNone && scan_ - begin_ > max_line_) {
      // Over-long: drop what is buffered, keep following the value's
      // nesting, and report it once it ends.
      if (!skipping_) {
        skipping_ = true;
        skip_offset_ = base_offset_ + static_cast<int64_t>(begin_);
        skip_length_ = 0;
      }
      skip_length_ += static_cast<int64_t>(scan_ - begin_);
      begin_ = scan_;
    }
    if (!Fill()) {
      if (!status_.ok()) return false;
      if (value_ == JsonValue::kNone) return false;
      // The input ended inside a value: the reader reports it unfinished.
      const size_t begin = begin_;
      begin_ = scan_ = end_;
      value_ = JsonValue::kNone;
      Emit(line, begin, end_, value_line_);
      return true;
    }
  }
}

}  // namespace accord::telemetry::internal
