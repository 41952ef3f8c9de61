#include "config/config.h"

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <set>
#include <toml++/toml.h>

namespace accord::config {
namespace {

constexpr size_t kMaxFileBytes = 1 << 20;

std::string Lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Status ErrorAt(std::string_view source, int64_t line, const std::string& message) {
  if (line <= 0) return Status::Invalid(fmt::format("{}: {}", source, message));
  return Status::Invalid(fmt::format("{}:{}: {}", source, line, message));
}

// --- TOML ---

// One TOML value as a flag's text; tables, nested lists and dates are not
// values any flag takes.
Result<std::string> TomlScalar(const toml::node& node, std::string_view source, const std::string& key) {
  const int64_t line = node.source().begin.line;
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* number = node.as_integer()) return std::to_string(number->get());
  if (const auto* number = node.as_floating_point()) return fmt::format("{}", number->get());
  if (const auto* flag = node.as_boolean()) return std::string(flag->get() ? "true" : "false");
  if (node.is_array()) return ErrorAt(source, line, key + ": a list inside a list is no setting's value");
  if (node.is_table()) return ErrorAt(source, line, key + ": a table is no setting's value");
  return ErrorAt(source, line, key + ": a date or time is no setting's value (quote it)");
}

Status AddTomlSetting(const toml::key& key, const toml::node& node, std::string_view source,
                      std::vector<Setting>& settings) {
  Setting setting;
  setting.key = std::string(key.str());
  setting.line = static_cast<int>(key.source().begin.line);
  if (const auto* list = node.as_array()) {
    for (const toml::node& item : *list) {
      ASSIGN_OR_RETURN(std::string value, TomlScalar(item, source, setting.key));
      setting.values.push_back(std::move(value));
    }
  } else {
    ASSIGN_OR_RETURN(std::string value, TomlScalar(node, source, setting.key));
    setting.values.push_back(std::move(value));
  }
  settings.push_back(std::move(setting));
  return Status::Ok();
}

Result<std::vector<Setting>> ReadToml(std::string_view text, std::string_view source, std::string_view section) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& error) {
    return ErrorAt(source, error.source().begin.line, std::string(error.description()));
  }
  std::vector<Setting> settings;
  for (const auto& [key, node] : root) {
    if (const auto* table = node.as_table(); table != nullptr && key.str() == section) {
      for (const auto& [inner_key, inner] : *table) {
        if (inner.is_table()) {
          return ErrorAt(source, inner_key.source().begin.line,
                         fmt::format("unknown table [{}.{}]", section, inner_key.str()));
        }
        RETURN_IF_ERROR(AddTomlSetting(inner_key, inner, source, settings));
      }
      continue;
    }
    if (node.is_table()) {
      return ErrorAt(source, key.source().begin.line, fmt::format("unknown table [{}]", key.str()));
    }
    if (node.is_array_of_tables()) {
      return ErrorAt(source, key.source().begin.line, fmt::format("unknown table [[{}]]", key.str()));
    }
    RETURN_IF_ERROR(AddTomlSetting(key, node, source, settings));
  }
  // toml++ keeps a table's keys sorted; the file's order is its lines'.
  std::stable_sort(settings.begin(), settings.end(),
                   [](const Setting& a, const Setting& b) { return a.line < b.line; });
  return settings;
}

// --- YAML ---
//
// libyaml's event parser (the reference implementation, strict where
// yaml-cpp took an unclosed quote for a value), walked as the few shapes a
// settings file has: a mapping of names to a value or a list of values, and
// the command's own mapping inside it. It keeps no tree and does not
// recurse, so no nesting exhausts the stack.

class YamlReader {
 public:
  YamlReader(std::string_view text, std::string_view source, std::string_view section)
      : source_(source), section_(section) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    yaml_parser_set_encoding(&parser_, YAML_UTF8_ENCODING);
  }
  ~YamlReader() {
    if (has_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }
  YamlReader(const YamlReader&) = delete;
  YamlReader& operator=(const YamlReader&) = delete;

  Result<std::vector<Setting>> Read() {
    RETURN_IF_ERROR(Expect(YAML_STREAM_START_EVENT));
    RETURN_IF_ERROR(Next());
    if (event_.type == YAML_STREAM_END_EVENT) return std::move(settings_);  // nothing but comments
    if (event_.type != YAML_DOCUMENT_START_EVENT) return Unexpected();
    RETURN_IF_ERROR(Next());
    if (event_.type == YAML_MAPPING_START_EVENT) {
      RETURN_IF_ERROR(ReadMapping(/*top=*/true));
    } else if (!IsNull()) {
      return ErrorAt(source_, Line(), "expected `key: value` lines at the top");
    }
    RETURN_IF_ERROR(Expect(YAML_DOCUMENT_END_EVENT));
    RETURN_IF_ERROR(Next());
    if (event_.type == YAML_DOCUMENT_START_EVENT) return ErrorAt(source_, Line(), "more than one YAML document");
    if (event_.type != YAML_STREAM_END_EVENT) return Unexpected();
    return std::move(settings_);
  }

 private:
  Status Next() {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = false;
    if (!yaml_parser_parse(&parser_, &event_)) {
      std::string problem = parser_.problem != nullptr ? parser_.problem : "not YAML";
      if (parser_.context != nullptr) problem = std::string(parser_.context) + ": " + problem;
      return ErrorAt(source_, static_cast<int64_t>(parser_.problem_mark.line) + 1, problem);
    }
    has_event_ = true;
    return Status::Ok();
  }

  Status Expect(yaml_event_type_t type) {
    RETURN_IF_ERROR(Next());
    return event_.type == type ? Status::Ok() : Unexpected();
  }

  Status Unexpected() const { return ErrorAt(source_, Line(), "not a settings file (unexpected YAML structure)"); }

  int64_t Line() const { return static_cast<int64_t>(event_.start_mark.line) + 1; }

  std::string Scalar() const {
    return std::string(reinterpret_cast<const char*>(event_.data.scalar.value), event_.data.scalar.length);
  }

  // `key:` with nothing after it (or `~`, `null`): YAML's null, no value.
  bool IsNull() const {
    if (event_.type != YAML_SCALAR_EVENT || event_.data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
    const std::string text = Scalar();
    return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
  }

  // The current event as one of a setting's values.
  Result<std::string> Value(const std::string& key, int64_t key_line) const {
    switch (event_.type) {
      case YAML_SCALAR_EVENT:
        if (IsNull()) return ErrorAt(source_, key_line, key + ": no value");
        return Scalar();
      case YAML_SEQUENCE_START_EVENT:
        return ErrorAt(source_, Line(), key + ": a list inside a list is no setting's value");
      case YAML_MAPPING_START_EVENT:
        return ErrorAt(source_, Line(), key + ": a mapping is no setting's value");
      case YAML_ALIAS_EVENT:
        return ErrorAt(source_, Line(), key + ": an alias (*name) is no setting's value");
      default:
        return Unexpected();
    }
  }

  // From just after a mapping's start to its end.
  Status ReadMapping(bool top) {
    while (true) {
      RETURN_IF_ERROR(Next());
      if (event_.type == YAML_MAPPING_END_EVENT) return Status::Ok();
      if (event_.type != YAML_SCALAR_EVENT) return ErrorAt(source_, Line(), "a key must be a name");
      Setting setting;
      setting.key = Scalar();
      setting.line = static_cast<int>(Line());
      RETURN_IF_ERROR(Next());
      if (event_.type == YAML_MAPPING_START_EVENT) {
        if (top && setting.key == section_ && !seen_.insert(setting.key).second) {
          return ErrorAt(source_, setting.line, setting.key + ": given twice");
        }
        if (!top || setting.key != section_) {
          return ErrorAt(source_, setting.line,
                         top ? fmt::format("unknown mapping '{}'", setting.key)
                             : fmt::format("unknown mapping '{}.{}'", section_, setting.key));
        }
        RETURN_IF_ERROR(ReadMapping(/*top=*/false));  // one level: the command's own
        continue;
      }
      // YAML leaves a repeated key to the application; the later one would
      // silently win.
      const std::string where = top ? setting.key : std::string(section_) + "." + setting.key;
      if (!seen_.insert(where).second) return ErrorAt(source_, setting.line, setting.key + ": given twice");
      if (event_.type == YAML_SEQUENCE_START_EVENT) {
        while (true) {
          RETURN_IF_ERROR(Next());
          if (event_.type == YAML_SEQUENCE_END_EVENT) break;
          ASSIGN_OR_RETURN(std::string value, Value(setting.key, Line()));
          setting.values.push_back(std::move(value));
        }
      } else {
        ASSIGN_OR_RETURN(std::string value, Value(setting.key, setting.line));
        setting.values.push_back(std::move(value));
      }
      settings_.push_back(std::move(setting));
    }
  }

  const std::string_view source_;
  const std::string_view section_;
  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool has_event_ = false;
  std::set<std::string> seen_;
  std::vector<Setting> settings_;
};

}  // namespace

Format FormatOf(std::string_view path) {
  const std::string lowered = Lowered(path);
  return lowered.ends_with(".yaml") || lowered.ends_with(".yml") ? Format::kYaml : Format::kToml;
}

Result<std::vector<Setting>> ReadSettings(std::string_view text, Format format, std::string_view source,
                                          std::string_view section) {
  if (text.size() > kMaxFileBytes) return ErrorAt(source, 0, "larger than 1 MiB: not a configuration file");
  try {
    if (format == Format::kYaml) return YamlReader(text, source, section).Read();
    return ReadToml(text, source, section);
  } catch (const std::exception& error) {
    // Neither parser should throw past the catches above; a library that
    // does still gets an answer naming the file, not a crash.
    return ErrorAt(source, 0, error.what());
  }
}

}  // namespace accord::config
