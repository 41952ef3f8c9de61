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
// them, and the NULs a copytruncate rotation leaves before the first.
bool IsBetweenValues(char c) { return IsJsonBlank(c) || c == ',' || c == '[' || c == ']' || c == '\0'; }

// Where a bare value (a number, a literal, or a stray word) ends.
bool EndsBareValue(char c) {
  return IsBetweenValues(c) || c == '{' || c == '}' || c == '"' || c == ':';
}

size_t SkipBlanks(std::string_view text, size_t at) {
  while (at < text.size() && (IsJsonBlank(text[at]) || text[at] == '\0')) ++at;
  return at;
}

// Where the object or array starting at `from` ends (one past its closing
// bracket; npos when not within `text`), where its first line ends (npos:
// no newline within it) and whether that line ended inside a string.
struct ValueEnd {
  size_t end = std::string_view::npos;
  size_t first_line_end = std::string_view::npos;
  bool string_open_at_line_end = false;
};

ValueEnd FindValueEnd(std::string_view text, size_t from) {
  ValueEnd found;
  int64_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t at = from; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '\n' && found.first_line_end == std::string_view::npos) {
      found.first_line_end = at;
      found.string_open_at_line_end = in_string;
    }
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
    } else if ((c == '}' || c == ']') && --depth <= 0) {
      found.end = at + 1;
      return found;
    }
  }
  return found;
}

// The first byte of the stream's first value: past a byte-order mark,
// blanks, the NULs of a rotation and an array's opening bracket.
size_t FirstValueAt(std::string_view head, bool& in_array) {
  size_t at = SkipBlanks(head, head.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  in_array = at < head.size() && head[at] == '[';
  return in_array ? SkipBlanks(head, at + 1) : at;
}

}  // namespace

std::string_view FirstJsonValue(std::string_view head) {
  bool in_array = false;
  const size_t at = FirstValueAt(head, in_array);
  if (at >= head.size() || head[at] != '{') return {};
  const ValueEnd value = FindValueEnd(head, at);
  return head.substr(at, value.end == std::string_view::npos ? std::string_view::npos : value.end - at);
}

bool StartsJsonValueStream(std::string_view head) {
  bool in_array = false;
  const size_t at = FirstValueAt(head, in_array);
  // An array of objects; a text log's first line may open with a bracket
  // too ("[2024-05-01 12:00:00] ...").
  if (at >= head.size() || head[at] != '{') return false;
  if (in_array) return true;
  const ValueEnd first = FindValueEnd(head, at);
  // A first line cut off by the end of what was read says nothing, and
  // one holding its whole object is NDJSON.
  if (first.first_line_end == std::string_view::npos) return false;
  if (first.end != std::string_view::npos && first.end <= first.first_line_end) return false;
  // A pretty-printer never ends a line inside a string, and never starts
  // the next with an object: a first NDJSON record cut off (a crash,
  // `head -c`) must not make the whole file one unfinished value.
  if (first.string_open_at_line_end) return false;
  if (first.first_line_end + 1 < head.size() && head[first.first_line_end + 1] == '{') return false;
  if (first.end == std::string_view::npos) return true;  // longer than what was read
  // After the whole first object: another value, or the end of what was read.
  const size_t next = SkipBlanks(head, first.end);
  return next == head.size() || head[next] == '{' || head[next] == '[' || head[next] == ',';
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
