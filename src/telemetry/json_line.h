// simdjson on-demand helpers shared by the NDJSON, Zeek JSON and Suricata
// readers. Private to src/telemetry.
//
// String views these return point into the parser's string buffer (for
// unescaped strings) or into the line (raw numbers). simdjson sizes that
// buffer for the whole document when a line is iterated and writes each
// string once, so the views stay valid until the next line is iterated.
// Nothing here rewinds the document (at_pointer would: a rewind reuses the
// string buffer from its start and would overwrite views already taken),
// which is why the readers walk each object once, in document order.
#pragma once

#include <simdjson.h>

#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {

static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING);

namespace ondemand = simdjson::ondemand;

inline std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// A line the readers accept is one valid JSON object and nothing else. On-demand
// parsing checks only what it visits: it skips a value by counting brackets
// (so {"x":{"y":tru}} or {"x":{"a" 1}} would pass) and stops at the object's
// closing brace (so {...}{...} or {...} #x} would too). So every value a
// reader does not take goes through SkipChecked, and FinishJsonObject checks
// that nothing follows the object. This is the same single walk, visiting
// what it used to jump over; there is no second pass over the line.

// Starts on one line: kSkip for a blank line, kMalformed (reason set) when the
// line is no JSON object, kRecord with `object` ready otherwise.
inline LineOutcome StartJsonObject(ondemand::parser& parser, const Line& line,
                                   ondemand::document& doc, ondemand::object& object,
                                   std::string& reason) {
  std::string_view text = TrimJsonSpace(line.text);
  if (text.empty()) return LineOutcome::kSkip;
  if (text.front() != '{') {
    reason = "invalid JSON: the line is not a JSON object";
    return LineOutcome::kMalformed;
  }
  if (text.back() != '}') {
    reason = "invalid JSON: the object is truncated or followed by other content";
    return LineOutcome::kMalformed;
  }
  // The line is handed to simdjson in place: the LineSource keeps
  // kLinePadding readable bytes after every line.
  size_t readable = line.readable - static_cast<size_t>(text.data() - line.text.data());
  auto error = parser.iterate(text.data(), text.size(), readable).get(doc);
  if (!error) error = doc.get_object().get(object);
  if (error) {
    reason = std::string("invalid JSON: ") + simdjson::error_message(error);
    return LineOutcome::kMalformed;
  }
  return LineOutcome::kRecord;
}

inline LineOutcome JsonError(simdjson::error_code error, std::string& reason) {
  reason = std::string("invalid JSON: ") + simdjson::error_message(error);
  return LineOutcome::kMalformed;
}

// After the walk of the object StartJsonObject began: kRecord when only
// whitespace follows it, else kMalformed naming the column (1-based) where
// the other content starts.
inline LineOutcome FinishJsonObject(ondemand::document& doc, const Line& line,
                                    std::string& reason) {
  const char* rest = nullptr;
  // OUT_OF_BOUNDS: the walk ended at the end of the input.
  if (doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS) return LineOutcome::kRecord;
  size_t column = rest == nullptr ? 0 : static_cast<size_t>(rest - line.text.data()) + 1;
  reason = "invalid JSON: content after the object, at column " + std::to_string(column);
  return LineOutcome::kMalformed;
}

// RFC 8259's number grammar, on the whole of `token`.
inline bool IsJsonNumber(std::string_view token) {
  size_t at = 0;
  auto digits = [&] {
    size_t start = at;
    while (at < token.size() && token[at] >= '0' && token[at] <= '9') ++at;
    return at > start;
  };
  if (at < token.size() && token[at] == '-') ++at;
  if (at < token.size() && token[at] == '0') {
    ++at;
  } else if (!digits()) {
    return false;
  }
  if (at < token.size() && token[at] == '.') {
    ++at;
    if (!digits()) return false;
  }
  if (at < token.size() && (token[at] == 'e' || token[at] == 'E')) {
    ++at;
    if (at < token.size() && (token[at] == '+' || token[at] == '-')) ++at;
    if (!digits()) return false;
  }
  return at == token.size();
}

// A true, false or null the reader does not use, checked: the type test
// looks at the first letter only ("tru" passes it).
inline simdjson::error_code CheckLiteral(ondemand::value& value, ondemand::json_type type) {
  if (type == ondemand::json_type::boolean) {
    bool ignored = false;
    return value.get_bool().get(ignored);
  }
  bool is_null = false;
  if (auto error = value.is_null().get(is_null)) return error;
  return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
}

// Deeper values are refused, as simdjson's DOM parser refuses them; the
// check below is recursive.
inline constexpr int kMaxCheckedDepth = 1024;

// Consumes a value the reader does not use, checking it is valid JSON (see
// the top of the file). Numbers are checked by grammar, not converted, so
// one too large for a double or an int64 (valid JSON) is accepted as the
// skip used to accept it.
inline simdjson::error_code SkipChecked(ondemand::value& value, int depth = 0) {
  if (depth >= kMaxCheckedDepth) return simdjson::DEPTH_ERROR;
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case ondemand::json_type::string: {
      std::string_view ignored;  // unescaping checks the escapes
      return value.get_string().get(ignored);
    }
    case ondemand::json_type::number:
      return IsJsonNumber(TrimJsonSpace(value.raw_json_token())) ? simdjson::SUCCESS
                                                                 : simdjson::NUMBER_ERROR;
    case ondemand::json_type::boolean:
    case ondemand::json_type::null:
      return CheckLiteral(value, type);
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto error = value.get_object().get(object)) return error;
      for (auto entry : object) {
        ondemand::field field;
        std::string_view key;
        if (auto error = std::move(entry).get(field)) return error;
        if (auto error = field.unescaped_key().get(key)) return error;
        if (auto error = SkipChecked(field.value(), depth + 1)) return error;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        ondemand::value item;
        if (auto error = std::move(element).get(item)) return error;
        if (auto error = SkipChecked(item, depth + 1)) return error;
      }
      return simdjson::SUCCESS;
    }
  }
  return simdjson::SUCCESS;
}

// A string, or the raw text of a number or boolean ("ts": 1700000000.5);
// empty for null, objects and arrays (which are skipped, not errors).
inline simdjson::error_code ScalarText(ondemand::value& value, std::string_view& out) {
  out = {};
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case ondemand::json_type::string:
      return value.get_string().get(out);
    case ondemand::json_type::number: {
      std::string_view token = TrimJsonSpace(value.raw_json_token());
      if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
      out = token;
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::boolean: {
      bool truth = false;
      if (auto error = value.get_bool().get(truth)) return error;
      out = truth ? "true" : "false";
      return simdjson::SUCCESS;
    }
    default:
      return SkipChecked(value);
  }
}

// A string only; anything else is skipped and leaves `out` empty.
inline simdjson::error_code StringOrEmpty(ondemand::value& value, std::string_view& out) {
  out = {};
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != ondemand::json_type::string) return SkipChecked(value);
  return value.get_string().get(out);
}

// The strings of an array of strings (other elements are skipped), or a
// single string.
inline simdjson::error_code AppendStrings(ondemand::value& value,
                                          std::vector<std::string_view>& out) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == ondemand::json_type::string) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) return error;
    out.push_back(text);
    return simdjson::SUCCESS;
  }
  if (type != ondemand::json_type::array) return SkipChecked(value);
  ondemand::array array;
  if (auto error = value.get_array().get(array)) return error;
  for (auto element : array) {
    ondemand::value item;
    if (auto error = std::move(element).get(item)) return error;
    std::string_view text;
    if (auto error = StringOrEmpty(item, text)) return error;
    if (!text.empty()) out.push_back(text);
  }
  return simdjson::SUCCESS;
}

// Calls on_field(key, value) for each field of `value` when it is an object
// (anything else is skipped). on_field must consume the value, SkipChecked
// when it does not use it.
template <typename OnField>
simdjson::error_code ForEachField(ondemand::value& value, OnField on_field) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != ondemand::json_type::object) return SkipChecked(value);
  ondemand::object object;
  if (auto error = value.get_object().get(object)) return error;
  for (auto entry : object) {
    ondemand::field field;
    std::string_view key;
    if (auto error = std::move(entry).get(field)) return error;
    if (auto error = field.unescaped_key().get(key)) return error;
    if (auto error = on_field(key, field.value())) return error;
  }
  return simdjson::SUCCESS;
}

}  // namespace accord::telemetry::internal
