// ParseWarningList: the misp-warninglists list.json format
// (https://github.com/MISP/misp-warninglists, schema.json there).
#include <simdjson.h>

#include <array>
#include <cctype>

#include "misp/misp.h"
#include "misp/misp_json.h"

namespace accord {
namespace {

// Warning lists are large (public-dns-v4 holds 62 745 entries, 1.3 MB) but
// nothing in the format needs more than this.
constexpr size_t kMaxWarningListBytes = 256 << 20;
constexpr std::array<std::string_view, 5> kListTypes = {"cidr", "hostname", "string",
                                                        "substring", "regex"};

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

Status StringArray(simdjson::dom::object root, std::string_view key, bool required,
                   std::vector<std::string>& out) {
  simdjson::dom::element value;
  if (root.at_key(key).get(value) != simdjson::SUCCESS) {
    if (required) return Status::Invalid("field '" + std::string(key) + "' is missing");
    return Status::Ok();
  }
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return Status::Invalid("field '" + std::string(key) + "' is not an array");
  }
  out.reserve(array.size());
  size_t entry_idx = 0;
  for (simdjson::dom::element entry : array) {
    std::string_view text;
    if (entry.get_string().get(text) != simdjson::SUCCESS) {
      return Status::Invalid("field '" + std::string(key) + "[" + std::to_string(entry_idx) +
                             "]' is not a string");
    }
    out.emplace_back(text);
    ++entry_idx;
  }
  return Status::Ok();
}

// The list's entries as MISP reads them (Warninglist::parseArray): a string
// is "VALUE # COMMENT" (the comment is dropped here), or an object
// {"value": ..., "comment": ...}. Entries left empty are comment lines.
Status Entries(simdjson::dom::object root, std::vector<std::string>& out) {
  simdjson::dom::element value;
  if (root.at_key("list").get(value) != simdjson::SUCCESS) {
    return Status::Invalid("field 'list' is missing");
  }
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return Status::Invalid("field 'list' is not an array");
  }
  out.reserve(array.size());
  size_t entry_idx = 0;
  for (simdjson::dom::element entry : array) {
    std::string_view text;
    simdjson::dom::object object;
    if (entry.get_string().get(text) == simdjson::SUCCESS) {
      text = TrimBlanks(text.substr(0, text.find('#')));
    } else if (entry.get_object().get(object) == simdjson::SUCCESS) {
      if (object["value"].get_string().get(text) != simdjson::SUCCESS) {
        return Status::Invalid("field 'list[" + std::to_string(entry_idx) +
                               "].value' is missing or not a string");
      }
      text = TrimBlanks(text);
    } else {
      return Status::Invalid("field 'list[" + std::to_string(entry_idx) +
                             "]' is neither a string nor an object with a value");
    }
    if (!text.empty()) out.emplace_back(text);
    ++entry_idx;
  }
  return Status::Ok();
}

Status RequiredString(simdjson::dom::object root, std::string_view key, std::string& out) {
  simdjson::dom::element value;
  if (root.at_key(key).get(value) != simdjson::SUCCESS) {
    return Status::Invalid("field '" + std::string(key) + "' is missing");
  }
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return Status::Invalid("field '" + std::string(key) + "' is not a string");
  }
  out = std::string(text);
  return Status::Ok();
}

Status ParseFields(simdjson::dom::element root_element, WarningListRecord& list) {
  simdjson::dom::object root;
  if (root_element.get_object().get(root) != simdjson::SUCCESS) {
    return Status::Invalid("top level is not an object");
  }
  RETURN_IF_ERROR(RequiredString(root, "name", list.name));
  if (TrimBlanks(list.name).empty()) return Status::Invalid("field 'name' is empty");
  RETURN_IF_ERROR(RequiredString(root, "description", list.description));
  RETURN_IF_ERROR(RequiredString(root, "type", list.type));
  bool known_type = false;
  for (std::string_view type : kListTypes) known_type = known_type || list.type == type;
  if (!known_type) {
    return Status::Invalid("field 'type': '" + list.type.substr(0, 64) +
                           "' is not one of cidr, hostname, string, substring, regex");
  }
  simdjson::dom::element version;
  if (root.at_key("version").get(version) != simdjson::SUCCESS) {
    return Status::Invalid("field 'version' is missing");
  }
  if (version.get_int64().get(list.version) != simdjson::SUCCESS) {
    return Status::Invalid("field 'version' is not an integer");
  }
  RETURN_IF_ERROR(Entries(root, list.entries));
  RETURN_IF_ERROR(StringArray(root, "matching_attributes", /*required=*/false,
                              list.matching_attributes));
  return Status::Ok();
}

}  // namespace

Result<WarningListRecord> ParseWarningList(InputStream& in) {
  ASSIGN_OR_RETURN(std::string text, ReadAll(in, kMaxWarningListBytes));
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::error_code code = parser.parse(text).get(root);
  if (code != simdjson::SUCCESS) {
    return Status::Invalid(in.name() + ": not valid JSON: " +
                           misp_internal::DescribeJsonError(text, code));
  }
  WarningListRecord list;
  Status status = ParseFields(root, list);
  if (!status.ok()) return status.WithContext(in.name());
  return list;
}

}  // namespace accord
