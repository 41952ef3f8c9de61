// NDJSON: one JSON object per line, from any sensor. With a field mapping,
// the mapped fields (dotted paths into nested objects) give the candidates,
// the victim and the time; without one, every string value is scanned like
// free text, and top-level keys named like CSV's victim and time columns
// (RoleOfFieldName) give the victim and the time.
//
// Mapped paths are matched in one walk of the document rather than one
// lookup per path: on-demand lookups out of document order rewind, and a
// rewind reuses simdjson's string buffer (see json_line.h). The paths form a
// small tree; a path "id.orig_h" also matches the literal key "id.orig_h"
// (Zeek and others put dots in key names), so every grouping of a path's
// components into keys is a branch of the tree.
//
// Hot path: mapped lines first go through FastWalk, a hand-written forward
// pass (its JSON grammar is json_fast_scan.h). A DNS or proxy log line is a small flat object, and simdjson's
// on-demand parse of it (stage 1 over the whole line, then the walk) was
// about 40% of matching DNS NDJSON (bench/match), more than the snapshot
// probes. FastWalk takes mapped values in place in one pass; on anything it
// does not handle simply (an escape in a key or a mapped string, a mapped
// array, invalid UTF-8, anything out of grammar) it gives up and the line
// goes through simdjson, which also words the error. So it accepts a subset
// of what the simdjson walk accepts, with the same results: the differential
// test in telemetry_test.cc and fuzz_telemetry hold it to that.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include "telemetry/json_fast_scan.h"
#include "telemetry/json_line.h"
#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

using simdjson::error_code;

// Deeper values are checked but not scanned in unmapped documents: nothing a
// sensor writes nests this far, and the walk is recursive.
constexpr int kMaxScanDepth = 32;
// Paths with more components than this match only split at every dot or as
// one literal key (the groupings double with each component).
constexpr size_t kMaxGroupedComponents = 6;

// A mapped key as FastWalk compares it: the first word and the size decide
// nearly always, so a key is matched without visiting each child node (that
// pointer walk was a quarter of FastWalk on DNS NDJSON).
struct ChildKey {
  uint64_t word = 0;  // FirstWord of the key
  size_t size = 0;
  size_t node = 0;
};

struct PathNode {
  std::string key;
  std::vector<size_t> children;
  std::vector<ChildKey> child_keys;  // parallel to children
  std::vector<Role> roles;  // the mappings ending here
};

class NdjsonParser final : public LineParser {
 public:
  static Result<std::unique_ptr<LineParser>> Create(const std::vector<FieldMapping>& mapping,
                                                    NdjsonPath path) {
    auto parser = std::unique_ptr<NdjsonParser>(new NdjsonParser());
    parser->fast_path_ = path == NdjsonPath::kFastThenSimdjson;
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
    if (IsBulkAction(line)) return LineOutcome::kSkip;
    if (fast_path_ && FastParse(line, record)) return LineOutcome::kRecord;
    ondemand::document doc;
    ondemand::object object;
    LineOutcome start = StartJsonObject(parser_, line, doc, object, reason);
    if (start != LineOutcome::kRecord) return start;
    record.kind = "ndjson";
    victim_ = {};
    error_code error = mapped_ ? WalkMapped(object, 0, record) : ScanObject(object, 0, record);
    if (error) return JsonError(error, reason);
    if (LineOutcome end = FinishJsonObject(doc, line, reason); end != LineOutcome::kRecord) {
      return end;
    }
    // The victim may come after the values it belongs to.
    for (Candidate& candidate : record.candidates) candidate.victim = victim_;
    return LineOutcome::kRecord;
  }

 private:
  NdjsonParser() = default;

  // Elasticsearch's _bulk body, which log shippers send to an
  // "elasticsearch" output (Logstash, Fluent Bit, Vector, Filebeat), puts an
  // action line before each document: {"index":{"_index":"logs"}}. It is no
  // record: one member, an action, whose object holds only the API's own
  // keys. (Its nesting keeps it off the fast path.)
  bool IsBulkAction(const Line& line) {
    // One compare on the hot path: a DNS line opens {"ts" or {"query".
    if (line.text.size() < 12 || (line.text[2] != 'i' && line.text[2] != 'c' && line.text[2] != 'u' &&
                                  line.text[2] != 'd')) {
      return false;
    }
    const std::string_view text = line.text;
    if (!(text.starts_with("{\"index\"") || text.starts_with("{\"create\"") ||
          text.starts_with("{\"update\"") || text.starts_with("{\"delete\""))) {
      return false;
    }
    ondemand::document doc;
    ondemand::object object;
    std::string unused;
    if (StartJsonObject(parser_, line, doc, object, unused) != LineOutcome::kRecord) return false;
    static constexpr std::string_view kActions[] = {"index", "create", "update", "delete"};
    static constexpr std::string_view kApiKeys[] = {
        "_index", "_id", "_type", "_routing", "routing", "pipeline", "require_alias", "require_data_stream",
        "retry_on_conflict", "_retry_on_conflict", "if_seq_no", "if_primary_term", "version", "_version",
        "version_type", "_version_type", "dynamic_templates", "list_executed_pipelines", "op_type"};
    size_t members = 0;
    for (auto entry : object) {
      ondemand::field field;
      std::string_view key;
      ondemand::object action;
      if (++members > 1 || std::move(entry).get(field) || field.unescaped_key().get(key) ||
          std::find(std::begin(kActions), std::end(kActions), key) == std::end(kActions) ||
          field.value().get_object().get(action)) {
        return false;
      }
      for (auto inner : action) {
        ondemand::field api_field;
        std::string_view api_key;
        if (std::move(inner).get(api_field) || api_field.unescaped_key().get(api_key) ||
            std::find(std::begin(kApiKeys), std::end(kApiKeys), api_key) == std::end(kApiKeys) ||
            SkipChecked(api_field.value())) {
          return false;
        }
      }
    }
    return members == 1 && FinishJsonObject(doc, line, unused) == LineOutcome::kRecord;
  }

  size_t Child(size_t node, std::string_view key) {
    for (size_t child : nodes_[node].children) {
      if (nodes_[child].key == key) return child;
    }
    nodes_.push_back(PathNode{std::string(key), {}, {}, {}});
    size_t child = nodes_.size() - 1;
    char padded[sizeof(uint64_t)] = {};
    std::memcpy(padded, key.data(), std::min(key.size(), sizeof padded));
    nodes_[node].children.push_back(child);
    nodes_[node].child_keys.push_back({FirstWord(padded, key.size()), key.size(), child});
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
      ondemand::value& value = field.value();
      if (child == 0) {  // not mapped
        if (auto error = SkipChecked(value)) return error;
        continue;
      }
      ondemand::json_type type;
      if (auto error = value.type().get(type)) return error;
      const PathNode& target = nodes_[child];
      if (type == ondemand::json_type::object) {
        if (target.children.empty()) {
          if (auto error = SkipChecked(value)) return error;
          continue;
        }
        ondemand::object nested;
        if (auto error = value.get_object().get(nested)) return error;
        if (auto error = WalkMapped(nested, child, record)) return error;
      } else if (!target.roles.empty()) {
        if (auto error = TakeMapped(value, type, target.roles, record)) return error;
      } else if (auto error = SkipChecked(value)) {
        return error;
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
      for (std::string_view text : values_) ApplyRole(role, text, record);
    }
    return simdjson::SUCCESS;
  }

  void ApplyRole(Role role, std::string_view text, Record& record) {
    if (role == Role::kVictim) {
      if (victim_.empty()) victim_ = text;
    } else if (role == Role::kTime) {
      if (record.timestamp.empty()) record.timestamp = text;
    } else {
      AppendByRole(role, text, record.candidates);
    }
  }

  // The fast path (see the top of the file). False leaves `record` as it was
  // and the line to simdjson.
  bool FastParse(const Line& line, Record& record) {
    std::string_view text = TrimJsonSpace(line.text);
    if (text.empty() || text.front() != '{') return false;
    victim_ = {};
    auto forget = [&] {
      record.candidates.clear();
      record.timestamp = {};
      victim_ = {};
    };
    bool taken = false;
    bool non_ascii = false;
    if (!mapped_) {
      // Unmapped, only clean flat lines: every string is scanned as it
      // stands, so an escaped one must be unescaped by simdjson first.
      PairedQuotes paired;
      taken = paired.Classify(text, classify_) && FlatScan(text, paired, record);
    } else if (PairedQuotes paired; paired.Classify(text, classify_)) {
      taken = FlatWalk(text, paired, record);
      if (!taken) {
        forget();
        paired.Rewind();
        taken = WalkWhole(text, paired, record, non_ascii);
      }
    } else {
      ScannedStrings scanned;
      taken = WalkWhole(text, scanned, record, non_ascii);
    }
    if (taken && non_ascii) taken = simdjson::validate_utf8(text.data(), text.size());
    if (!taken) {
      forget();
      return false;
    }
    record.kind = "ndjson";
    for (Candidate& candidate : record.candidates) candidate.victim = victim_;
    // Every value was taken in place from the line (escaped strings go to
    // simdjson), and the line lives in the LineSource's block.
    record.views_last_until_input_wait = true;
    return true;
  }

  // FastWalk over the whole line: one object and nothing after it.
  template <typename Strings>
  bool WalkWhole(std::string_view text, Strings& strings, Record& record, bool& non_ascii) {
    Cursor cursor{text.data(), text.data() + text.size()};
    if (!FastWalk(cursor, strings, 0, 0, record)) return false;
    cursor.SkipSpace();
    non_ascii = cursor.non_ascii;
    return cursor.AtEnd();
  }

  // The child of `node` named `key`, or 0. `key` has eight readable bytes
  // after it. An inline word compare first: the library's memcmp call per
  // key was 3% of a DNS record.
  size_t MatchChild(size_t node, std::string_view key) const {
    const uint64_t key_word = FirstWord(key.data(), key.size());
    for (const ChildKey& candidate : nodes_[node].child_keys) {
      if (candidate.size == key.size() && candidate.word == key_word &&
          (key.size() <= sizeof key_word ||
           std::memcmp(key.data() + sizeof key_word, nodes_[candidate.node].key.data() + sizeof key_word,
                       key.size() - sizeof key_word) == 0)) {
        return candidate.node;
      }
    }
    return 0;
  }

  // What a flat member's value is, as FlatMembers hands it on.
  enum class FlatValue : uint8_t { kString, kNumber, kLiteral, kNull };

  // A clean line holding one flat object with no blanks,
  // {"key":value,...} where each value is a string, a number or a literal:
  // the shape of nearly every DNS and proxy log line. Its strings are its
  // quote pairs in order, so a member is a few compares, with none of
  // FastWalk's cursor steps, blank checks and recursion (FastWalk was a
  // fifth of a DNS record, bench/match). Calls on_member(key, value, kind)
  // for each member (a literal's text is its word, null's is empty).
  // Anything else (a blank, a nested value, a stray byte) answers false,
  // and the caller forgets what was taken and hands the line on.
  template <typename OnMember>
  bool FlatMembers(std::string_view text, PairedQuotes& quotes, OnMember&& on_member) {
    const char* base = text.data();
    const size_t size = text.size();
    size_t pos = 1;  // past the '{' FastParse checked
    for (;;) {
      size_t open = 0;
      size_t close = 0;
      if (!quotes.NextQuote(open) || open != pos || !quotes.NextQuote(close)) return false;
      const std::string_view key(base + open + 1, close - open - 1);
      pos = close + 1;
      if (pos >= size || base[pos] != ':') return false;
      ++pos;
      if (pos >= size) return false;
      std::string_view value;
      FlatValue kind = FlatValue::kString;
      const char first = base[pos];
      if (first == '"') {
        if (!quotes.NextQuote(open) || open != pos || !quotes.NextQuote(close)) return false;
        value = std::string_view(base + open + 1, close - open - 1);
        pos = close + 1;
      } else {
        Cursor scalar{base + pos, base + size};
        if (first == 't' || first == 'f') {
          if (!scalar.ConsumeLiteral(first == 't' ? "true" : "false")) return false;
          value = std::string_view(base + pos, static_cast<size_t>(scalar.p - (base + pos)));
          kind = FlatValue::kLiteral;
        } else if (first == 'n') {
          if (!scalar.ConsumeLiteral("null")) return false;  // nothing to take
          kind = FlatValue::kNull;
        } else if (ScanNumber(scalar)) {
          value = std::string_view(base + pos, static_cast<size_t>(scalar.p - (base + pos)));
          kind = FlatValue::kNumber;
        } else {
          return false;  // an object, an array, a blank or no value
        }
        pos = static_cast<size_t>(scalar.p - base);
      }
      on_member(key, value, kind);
      if (pos >= size) return false;
      if (base[pos] == ',') {
        ++pos;
        continue;
      }
      return base[pos] == '}' && pos + 1 == size;
    }
  }

  // FlatMembers for a mapping: takes exactly what FastWalk would.
  bool FlatWalk(std::string_view text, PairedQuotes& quotes, Record& record) {
    return FlatMembers(text, quotes, [&](std::string_view key, std::string_view value, FlatValue) {
      // A mapped key whose node expects an object has no roles: its scalar
      // is skipped, as FastWalk skips it.
      if (value.empty()) return;
      if (const size_t child = MatchChild(0, key); child != 0) {
        for (Role role : nodes_[child].roles) ApplyRole(role, value, record);
      }
    });
  }

  // FlatMembers without a mapping: takes exactly what ScanObject would.
  // Without it, unmapped DNS NDJSON ran about 7x slower than mapped
  // (simdjson's stage 1 and walk were a fifth of a record).
  bool FlatScan(std::string_view text, PairedQuotes& quotes, Record& record) {
    return FlatMembers(text, quotes, [&](std::string_view key, std::string_view value, FlatValue kind) {
      if (kind != FlatValue::kString && kind != FlatValue::kNumber) return;
      std::optional<Role> named = RoleOfFieldName(key);
      if (named != Role::kVictim && named != Role::kTime) named.reset();
      if (kind == FlatValue::kNumber) {
        if (named == Role::kTime) ApplyRole(*named, value, record);
        return;
      }
      if (named && !value.empty()) ApplyRole(*named, value, record);
      ScanText(value, {}, record.candidates);
    });
  }

  // One object, as WalkMapped walks it: mapped scalars are taken, mapped
  // objects walked, everything else skipped (but still checked).
  template <typename Strings>
  bool FastWalk(Cursor& c, Strings& strings, size_t node, int depth, Record& record) {
    if (!c.Consume('{')) return false;
    c.SkipSpace();
    if (c.Consume('}')) return true;
    for (;;) {
      std::string_view key;
      bool escaped = false;
      if (!strings.Read(c, key, escaped) || escaped) return false;
      c.SkipSpace();
      if (!c.Consume(':')) return false;
      c.SkipSpace();
      // An inline word compare first: the library's memcmp call per key was
      // 3% of a DNS record. `key` has eight readable bytes after it.
      const size_t child = MatchChild(node, key);
      const char first = c.Peek();
      if (child == 0 || (first == '{' && nodes_[child].children.empty()) ||
          (first != '{' && nodes_[child].roles.empty())) {
        if (!SkipValue(c, strings, depth + 1)) return false;
      } else if (first == '{') {
        if (depth + 1 >= kMaxFastDepth || !FastWalk(c, strings, child, depth + 1, record)) {
          return false;
        }
      } else if (!FastTake(c, strings, nodes_[child].roles, record)) {
        return false;
      }
      c.SkipSpace();
      if (c.Consume('}')) return true;
      if (!c.Consume(',')) return false;
      c.SkipSpace();
    }
  }

  // A mapped scalar, as ScalarText reads it: a string's content, a number's
  // or boolean's text, nothing for null. Arrays and escaped strings are left
  // to simdjson.
  template <typename Strings>
  bool FastTake(Cursor& c, Strings& strings, const std::vector<Role>& roles, Record& record) {
    std::string_view text;
    const char* start = c.p;
    switch (c.Peek()) {
      case '"': {
        bool escaped = false;
        if (!strings.Read(c, text, escaped) || escaped) return false;
        break;
      }
      case 't':
      case 'f':
        if (!c.ConsumeLiteral(c.Peek() == 't' ? "true" : "false")) return false;
        text = std::string_view(start, static_cast<size_t>(c.p - start));
        break;
      case 'n':
        return c.ConsumeLiteral("null");
      case '[':
        return false;
      default:
        if (!ScanNumber(c)) return false;
        text = std::string_view(start, static_cast<size_t>(c.p - start));
        break;
    }
    if (text.empty()) return true;
    for (Role role : roles) ApplyRole(role, text, record);
    return true;
  }

  // `holds_victim`: the object is ECS's "source" or "client", whose "ip"
  // is the victim.
  error_code ScanObject(ondemand::object& object, int depth, Record& record, bool holds_victim = false) {
    for (auto entry : object) {
      ondemand::field field;
      if (auto error = std::move(entry).get(field)) return error;
      // Unmapped, a top-level key named like a CSV victim or time column
      // ("client", "src", "ts", ...) still gives the record its victim and
      // time, so alerts can be routed and dated; its value is scanned too.
      // So does the Elastic Common Schema's source.ip or client.ip
      // (Filebeat, Packetbeat, Elastic Agent), nested or dotted.
      std::optional<Role> named;
      bool victim_inside = false;
      if (depth == 0 || holds_victim) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        if (depth == 0) {
          named = RoleOfFieldName(key);
          if (named != Role::kVictim && named != Role::kTime) named.reset();
          victim_inside = key == "source" || key == "client";
        } else if (key == "ip") {
          named = Role::kVictim;
        }
      }
      if (auto error = ScanValue(field.value(), depth + 1, record, named, victim_inside)) return error;
    }
    return simdjson::SUCCESS;
  }

  error_code ScanValue(ondemand::value& value, int depth, Record& record,
                       std::optional<Role> named = std::nullopt, bool holds_victim = false) {
    ondemand::json_type type;
    if (auto error = value.type().get(type)) return error;
    switch (type) {
      case ondemand::json_type::string: {
        std::string_view text;
        if (auto error = value.get_string().get(text)) return error;
        if (named && !text.empty()) ApplyRole(*named, text, record);
        ScanText(text, {}, record.candidates);
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::object: {
        if (depth >= kMaxScanDepth) return SkipChecked(value, depth);
        ondemand::object object;
        if (auto error = value.get_object().get(object)) return error;
        return ScanObject(object, depth, record, holds_victim);
      }
      case ondemand::json_type::array: {
        if (depth >= kMaxScanDepth) return SkipChecked(value, depth);
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
      case ondemand::json_type::boolean:
      case ondemand::json_type::null:
        return CheckLiteral(value, type);
      case ondemand::json_type::number: {
        // Epoch seconds ("ts": 1700000000.123), as the mapped walk takes them.
        // Checked by grammar, like every number the readers skip: one too
        // large for a double or an int64 is still valid JSON.
        std::string_view token = TrimJsonSpace(value.raw_json_token());
        if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
        if (named == Role::kTime) ApplyRole(*named, token, record);
        return simdjson::SUCCESS;
      }
    }
    return simdjson::SUCCESS;
  }

  ondemand::parser parser_;
  std::vector<PathNode> nodes_;
  bool mapped_ = false;
  bool fast_path_ = true;
  LineClassifier classify_ = ClassifierFor(WidestVectorSet());
  std::string_view victim_;
  std::vector<std::string_view> values_;
};

}  // namespace

Result<std::unique_ptr<LineParser>> MakeNdjsonParser(const std::vector<FieldMapping>& mapping,
                                                     NdjsonPath path) {
  return NdjsonParser::Create(mapping, path);
}

}  // namespace accord::telemetry::internal
