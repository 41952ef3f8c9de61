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

// Starts on one line: kSkip for a blank line, kMalformed (reason set) when the
// line is no JSON object, kRecord with `object` ready otherwise. On-demand
// parsing checks what it visits; the readers visit every top-level field, and
// the line must start with '{' and end with '}', so truncated or trailing
// content is caught too.
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

// A string, or the raw text of a number or boolean ("ts": 1700000000.5);
// empty for null, objects and arrays (which are skipped, not errors).
inline simdjson::error_code ScalarText(ondemand::value& value, std::string_view& out) {
  out = {};
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case ondemand::json_type::string:
      return value.get_string().get(out);
    case ondemand::json_type::number:
    case ondemand::json_type::boolean:
      out = TrimJsonSpace(value.raw_json_token());
      return simdjson::SUCCESS;
    default:
      return simdjson::SUCCESS;
  }
}

// A string only; anything else leaves `out` empty.
inline simdjson::error_code StringOrEmpty(ondemand::value& value, std::string_view& out) {
  out = {};
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != ondemand::json_type::string) return simdjson::SUCCESS;
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
  if (type != ondemand::json_type::array) return simdjson::SUCCESS;
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

// Calls on_field(key, value) for each field of `value` when it is an object.
template <typename OnField>
simdjson::error_code ForEachField(ondemand::value& value, OnField on_field) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != ondemand::json_type::object) return simdjson::SUCCESS;
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
