// NDJSON: one JSON object per line, from any sensor. With a field mapping,
// the mapped fields (dotted paths into nested objects) give the candidates,
// the victim and the time; without one, every string value is scanned like
// free text.
//
// Mapped paths are matched in one walk of the document rather than one
// lookup per path: on-demand lookups out of document order rewind, and a
// rewind reuses simdjson's string buffer (see json_line.h). The paths form a
// small tree; a path "id.orig_h" also matches the literal key "id.orig_h"
// (Zeek and others put dots in key names), so every grouping of a path's
// components into keys is a branch of the tree.
#include <fmt/format.h>

#include "telemetry/json_line.h"
#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

using simdjson::error_code;

// Deeper values are skipped when scanning unmapped documents: nothing a
// sensor writes nests this far, and the walk is recursive.
constexpr int kMaxScanDepth = 32;
// Paths with more components than this match only split at every dot or as
// one literal key (the groupings double with each component).
constexpr size_t kMaxGroupedComponents = 6;

struct PathNode {
  std::string key;
  std::vector<size_t> children;
  std::vector<Role> roles;  // the mappings ending here
};

class NdjsonParser final : public LineParser {
 public:
  static Result<std::unique_ptr<LineParser>> Create(const std::vector<FieldMapping>& mapping) {
    auto parser = std::unique_ptr<NdjsonParser>(new NdjsonParser());
    parser->nodes_.emplace_back();  // the root
    for (const FieldMapping& entry : mapping) {
      auto role = ParseRole(entry.role);
      if (!role) {
        return Status::Invalid(
            fmt::format("field mapping: '{}' has an unknown role '{}'", entry.field, entry.role));
      }
      if (entry.field.empty()) return Status::Invalid("field mapping: an entry names no field");
      std::vector<std::string_view> components;
      std::string_view path = entry.field;
      size_t start = 0;
      while (start <= path.size()) {
        size_t dot = path.find('.', start);
        if (dot == std::string_view::npos) dot = path.size();
        components.push_back(path.substr(start, dot - start));
        start = dot + 1;
      }
      if (components.size() <= kMaxGroupedComponents) {
        parser->Insert(0, components, 0, *role);
      } else {
        parser->InsertChain(components, *role);
        parser->nodes_[parser->Child(0, path)].roles.push_back(*role);
      }
    }
    parser->mapped_ = !mapping.empty();
    return std::unique_ptr<LineParser>(std::move(parser));
  }

  LineOutcome Parse(const Line& line, Record& record, std::string& reason) override {
    ondemand::document doc;
    ondemand::object object;
    LineOutcome start = StartJsonObject(parser_, line, doc, object, reason);
    if (start != LineOutcome::kRecord) return start;
    record.kind = "ndjson";
    victim_ = {};
    error_code error = mapped_ ? WalkMapped(object, 0, record) : ScanObject(object, 0, record);
    if (error) return JsonError(error, reason);
    // The victim may come after the values it belongs to.
    for (Candidate& candidate : record.candidates) candidate.victim = victim_;
    return LineOutcome::kRecord;
  }

 private:
  NdjsonParser() = default;

  size_t Child(size_t node, std::string_view key) {
    for (size_t child : nodes_[node].children) {
      if (nodes_[child].key == key) return child;
    }
    nodes_.push_back(PathNode{std::string(key), {}, {}});
    size_t child = nodes_.size() - 1;
    nodes_[node].children.push_back(child);
    return child;
  }

  // Every grouping of components[from..] into dotted keys, under `node`.
  void Insert(size_t node, const std::vector<std::string_view>& components, size_t from,
              Role role) {
    std::string key;
    for (size_t last = from; last < components.size(); ++last) {
      if (last > from) key.push_back('.');
      key.append(components[last]);
      size_t child = Child(node, key);
      if (last + 1 == components.size()) {
        nodes_[child].roles.push_back(role);
      } else {
        Insert(child, components, last + 1, role);
      }
    }
  }

  void InsertChain(const std::vector<std::string_view>& components, Role role) {
    size_t node = 0;
    for (std::string_view component : components) node = Child(node, component);
    nodes_[node].roles.push_back(role);
  }

  error_code WalkMapped(ondemand::object& object, size_t node, Record& record) {
    for (auto entry : object) {
      ondemand::field field;
      std::string_view key;
      if (auto error = std::move(entry).get(field)) return error;
      if (auto error = field.unescaped_key().get(key)) return error;
      size_t child = 0;
      for (size_t candidate : nodes_[node].children) {
        if (nodes_[candidate].key == key) {
          child = candidate;
          break;
        }
      }
      if (child == 0) continue;  // not mapped: simdjson skips it
      ondemand::value& value = field.value();
      ondemand::json_type type;
      if (auto error = value.type().get(type)) return error;
      const PathNode& target = nodes_[child];
      if (type == ondemand::json_type::object) {
        if (target.children.empty()) continue;
        ondemand::object nested;
        if (auto error = value.get_object().get(nested)) return error;
        if (auto error = WalkMapped(nested, child, record)) return error;
      } else if (!target.roles.empty()) {
        if (auto error = TakeMapped(value, type, target.roles, record)) return error;
      }
    }
    return simdjson::SUCCESS;
  }

  error_code TakeMapped(ondemand::value& value, ondemand::json_type type,
                        const std::vector<Role>& roles, Record& record) {
    values_.clear();
    if (type == ondemand::json_type::array) {
      if (auto error = AppendStrings(value, values_)) return error;
    } else {
      std::string_view text;
      if (auto error = ScalarText(value, text)) return error;
      if (!text.empty()) values_.push_back(text);
    }
    for (Role role : roles) {
      for (std::string_view text : values_) {
        if (role == Role::kVictim) {
          if (victim_.empty()) victim_ = text;
        } else if (role == Role::kTime) {
          if (record.timestamp.empty()) record.timestamp = text;
        } else {
          AppendByRole(role, text, record.candidates);
        }
      }
    }
    return simdjson::SUCCESS;
  }

  error_code ScanObject(ondemand::object& object, int depth, Record& record) {
    for (auto entry : object) {
      ondemand::field field;
      if (auto error = std::move(entry).get(field)) return error;
      if (auto error = ScanValue(field.value(), depth + 1, record)) return error;
    }
    return simdjson::SUCCESS;
  }

  error_code ScanValue(ondemand::value& value, int depth, Record& record) {
    ondemand::json_type type;
    if (auto error = value.type().get(type)) return error;
    switch (type) {
      case ondemand::json_type::string: {
        std::string_view text;
        if (auto error = value.get_string().get(text)) return error;
        ScanText(text, {}, record.candidates);
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::object: {
        if (depth >= kMaxScanDepth) return simdjson::SUCCESS;
        ondemand::object object;
        if (auto error = value.get_object().get(object)) return error;
        return ScanObject(object, depth, record);
      }
      case ondemand::json_type::array: {
        if (depth >= kMaxScanDepth) return simdjson::SUCCESS;
        ondemand::array array;
        if (auto error = value.get_array().get(array)) return error;
        for (auto element : array) {
          ondemand::value item;
          if (auto error = std::move(element).get(item)) return error;
          if (auto error = ScanValue(item, depth + 1, record)) return error;
        }
        return simdjson::SUCCESS;
      }
      // Scalars are checked too, since this walk visits everything: a line
      // it accepts is valid JSON.
      case ondemand::json_type::boolean: {
        bool ignored = false;
        return value.get_bool().get(ignored);
      }
      case ondemand::json_type::null: {
        bool is_null = false;
        if (auto error = value.is_null().get(is_null)) return error;
        return is_null ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
      }
      case ondemand::json_type::number: {
        ondemand::number ignored;
        return value.get_number().get(ignored);
      }
    }
    return simdjson::SUCCESS;
  }

  ondemand::parser parser_;
  std::vector<PathNode> nodes_;
  bool mapped_ = false;
  std::string_view victim_;
  std::vector<std::string_view> values_;
};

}  // namespace

Result<std::unique_ptr<LineParser>> MakeNdjsonParser(const std::vector<FieldMapping>& mapping) {
  return NdjsonParser::Create(mapping);
}

}  // namespace accord::telemetry::internal
