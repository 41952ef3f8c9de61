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
// pass. A DNS or proxy log line is a small flat object, and simdjson's
// on-demand parse of it (stage 1 over the whole line, then the walk) was
// about 40% of matching DNS NDJSON (bench/match), more than the snapshot
// probes. FastWalk takes mapped values in place in one pass; on anything it
// does not handle simply (an escape in a key or a mapped string, a mapped
// array, invalid UTF-8, anything out of grammar) it gives up and the line
// goes through simdjson, which also words the error. So it accepts a subset
// of what the simdjson walk accepts, with the same results: the differential
// test in telemetry_test.cc and fuzz_telemetry hold it to that.
#include <fmt/format.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
#include <cstdint>
#include <cstring>

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
// FastWalk hands deeper lines to simdjson (it recurses too).
constexpr int kMaxFastDepth = 32;

// A read position in one line for FastWalk. Every helper returns false when
// the text is not what it can take, leaving the line to simdjson. At least 16
// bytes past `end` must be readable (a Line has kLinePadding).
static_assert(kLinePadding >= 16);
struct Cursor {
  const char* p;
  const char* end;
  // A string held a byte above 0x7F: the line's UTF-8 must be validated.
  // Only strings can hold one (anywhere else the grammar refuses it), so
  // pure-ASCII lines, nearly all telemetry, skip the validation pass.
  bool non_ascii = false;

  bool AtEnd() const { return p >= end; }
  char Peek() const { return p < end ? *p : '\0'; }
  void SkipSpace() {
    // Telemetry has no blanks between tokens as a rule: one compare decides
    // (every JSON blank is at most ' ', and *end is readable padding). The
    // loop's four compares per call were a sixth of FastWalk on DNS NDJSON.
    if (static_cast<unsigned char>(*p) > ' ') return;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
  }
  bool Consume(char expected) {
    if (p >= end || *p != expected) return false;
    ++p;
    return true;
  }
  bool ConsumeLiteral(std::string_view literal) {
    if (static_cast<size_t>(end - p) < literal.size() ||
        std::string_view(p, literal.size()) != literal) {
      return false;
    }
    p += literal.size();
    return true;
  }
};

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

#if !defined(__SSE2__)
// Flags (in each byte's top bit) the bytes of `word` that a string scan must
// stop at: '"', '\\', control characters and bytes above 0x7F. The lowest
// flag is exact; flags above it may be spurious (borrows), so only the first
// is used.
uint64_t SpecialBytes(uint64_t word) {
  static_assert(std::endian::native == std::endian::little);
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto zero_bytes = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\')) |
         ((word - kOnes * 0x20) & ~word & kHigh) | (word & kHigh);
}
#endif

#if defined(__SSE2__)
// SpecialBytes for sixteen bytes at once, as a bit mask (bit i = byte i):
// DNS and flow logs are short strings, and one SSE2 step covers most of
// them where the eight-byte loop took two or three. The signed compare
// below 0x20 also catches every byte above 0x7F.
uint32_t SpecialMask16(const char* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
  const __m128i low = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20));
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low)));
}
#endif

// A string starting at the quote. `raw` is its content as written; `escaped`
// tells whether that holds escapes (then it is not the value). Control
// characters and malformed escapes are refused.
bool ScanString(Cursor& c, std::string_view& raw, bool& escaped) {
  if (!c.Consume('"')) return false;
  const char* start = c.p;
  escaped = false;
  while (c.p < c.end) {
    // Sixteen (or eight) bytes at a time to the next byte that matters. The
    // load may run past the line's end into the padding every Line has.
#if defined(__SSE2__)
    if (const uint32_t special = SpecialMask16(c.p); special == 0) {
      c.p += 16;
      continue;
    } else {
      c.p += std::countr_zero(special);
      if (c.p >= c.end) return false;
    }
#else
    uint64_t word = 0;
    std::memcpy(&word, c.p, sizeof word);
    if (const uint64_t special = SpecialBytes(word); special == 0) {
      c.p += sizeof word;
      continue;
    } else {
      c.p += std::countr_zero(special) / 8;
      if (c.p >= c.end) return false;
    }
#endif
    const auto byte = static_cast<unsigned char>(*c.p);
    if (byte == '"') {
      raw = std::string_view(start, static_cast<size_t>(c.p - start));
      ++c.p;
      return true;
    }
    if (byte < 0x20) return false;
    if (byte >= 0x80) {
      c.non_ascii = true;
      ++c.p;
      continue;
    }
    if (byte == '\\') {
      escaped = true;
      if (c.end - c.p < 2) return false;
      const char kind = c.p[1];
      if (kind == 'u') {
        if (c.end - c.p < 6) return false;
        for (int digit = 2; digit < 6; ++digit) {
          if (!IsHexDigit(c.p[digit])) return false;
        }
        c.p += 6;
        continue;
      }
      if (std::string_view("\"\\/bfnrt").find(kind) == std::string_view::npos) return false;
      c.p += 2;
      continue;
    }
    ++c.p;
  }
  return false;
}

// How FastWalk reads strings. ScannedStrings scans each one (any line);
// PairedQuotes takes them from the quote positions of a clean line.
struct ScannedStrings {
  bool Read(Cursor& c, std::string_view& raw, bool& escaped) { return ScanString(c, raw, escaped); }
};

// A line of up to kMaxCleanLine bytes with no backslash, no control
// character and no byte above 0x7F ("clean": nearly every DNS or proxy log
// line). In such a line every quote opens or closes a string, in order, so
// the strings are the pairs of its quote positions: found for the whole line
// at once, sixteen bytes a step, instead of one scan per string, whose
// dependent loads and unpredictable exits were a third of FastWalk's time
// on DNS NDJSON (bench/match). The lines it refuses keep ScannedStrings.
constexpr size_t kMaxCleanLine = 256;
struct PairedQuotes {
  const char* base = nullptr;
  uint64_t quotes[kMaxCleanLine / 64] = {};
  size_t word_count = 0;
  size_t word_idx = 0;
  uint64_t current = 0;  // quotes[word_idx] without the positions taken

  // Fills the quote positions; false when `text` is not clean. At least 64
  // bytes past its end must be readable (a Line has kLinePadding).
  bool Classify(std::string_view text) {
    if (text.size() > kMaxCleanLine) return false;
    base = text.data();
    word_count = (text.size() + 63) / 64;
    uint64_t bad = 0;
    for (size_t word = 0; word < word_count; ++word) {
      uint64_t quote_bits = 0;
      uint64_t bad_bits = 0;
      const char* block = text.data() + word * 64;
#if defined(__SSE2__)
      for (int part = 0; part < 4; ++part) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + part * 16));
        const uint32_t quote = static_cast<uint32_t>(
            _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'))));
        // The signed compare below 0x20 also catches every byte above 0x7F.
        const uint32_t special = static_cast<uint32_t>(_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\')),
                         _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20)))));
        quote_bits |= uint64_t{quote} << (part * 16);
        bad_bits |= uint64_t{special} << (part * 16);
      }
#else
      for (size_t byte_idx = 0; byte_idx < 64; ++byte_idx) {
        const auto byte = static_cast<unsigned char>(block[byte_idx]);
        quote_bits |= uint64_t{byte == '"'} << byte_idx;
        bad_bits |= uint64_t{byte == '\\' || byte < 0x20 || byte >= 0x80} << byte_idx;
      }
#endif
      // Bytes past the line's end (the padding) do not count.
      const size_t valid = text.size() - word * 64;
      if (valid < 64) {
        const uint64_t keep = (uint64_t{1} << valid) - 1;
        quote_bits &= keep;
        bad_bits &= keep;
      }
      quotes[word] = quote_bits;
      bad |= bad_bits;
    }
    word_idx = 0;
    current = quotes[0];
    return bad == 0;
  }

  bool NextQuote(size_t& position) {
    while (current == 0) {
      if (++word_idx >= word_count) return false;
      current = quotes[word_idx];
    }
    position = word_idx * 64 + static_cast<size_t>(std::countr_zero(current));
    current &= current - 1;
    return true;
  }

  // The string at the cursor: its opening quote must be the next quote not
  // yet taken (every byte the walk passed outside strings was no quote, so
  // on a valid line it is).
  bool Read(Cursor& c, std::string_view& raw, bool& escaped) {
    size_t open = 0;
    size_t close = 0;
    if (c.Peek() != '"' || !NextQuote(open) || base + open != c.p || !NextQuote(close)) return false;
    raw = std::string_view(c.p + 1, close - open - 1);
    c.p = base + close + 1;
    escaped = false;
    return true;
  }
};

// RFC 8259's number grammar.
bool ScanNumber(Cursor& c) {
  auto digits = [&c] {
    const char* start = c.p;
    while (c.p < c.end && *c.p >= '0' && *c.p <= '9') ++c.p;
    return c.p > start;
  };
  if (c.Peek() == '-') ++c.p;
  if (c.Peek() == '0') {
    ++c.p;
  } else if (!digits()) {
    return false;
  }
  if (c.Peek() == '.') {
    ++c.p;
    if (!digits()) return false;
  }
  if (c.Peek() == 'e' || c.Peek() == 'E') {
    ++c.p;
    if (c.Peek() == '+' || c.Peek() == '-') ++c.p;
    if (!digits()) return false;
  }
  return true;
}

template <typename Strings>
bool SkipValue(Cursor& c, Strings& strings, int depth) {
  switch (c.Peek()) {
    case '"': {
      std::string_view raw;
      bool escaped = false;
      return strings.Read(c, raw, escaped);
    }
    case '{':
    case '[': {
      if (depth >= kMaxFastDepth) return false;
      const char close = c.Peek() == '{' ? '}' : ']';
      ++c.p;
      c.SkipSpace();
      if (c.Consume(close)) return true;
      for (;;) {
        if (close == '}') {
          std::string_view key;
          bool escaped = false;
          if (!strings.Read(c, key, escaped)) return false;
          c.SkipSpace();
          if (!c.Consume(':')) return false;
          c.SkipSpace();
        }
        if (!SkipValue(c, strings, depth + 1)) return false;
        c.SkipSpace();
        if (c.Consume(close)) return true;
        if (!c.Consume(',')) return false;
        c.SkipSpace();
      }
    }
    case 't':
      return c.ConsumeLiteral("true");
    case 'f':
      return c.ConsumeLiteral("false");
    case 'n':
      return c.ConsumeLiteral("null");
    default:
      return ScanNumber(c);
  }
}

// The first (up to) eight bytes of `text`, zero-filled past its end. `text`
// must have eight readable bytes (a Line's padding, a node's word).
uint64_t FirstWord(const char* text, size_t size) {
  uint64_t word = 0;
  std::memcpy(&word, text, sizeof word);
  return size >= sizeof word ? word : word & ((uint64_t{1} << (size * 8)) - 1);
}

// A child's key as FastWalk compares it: size and first word side by side
// in one array per node, so a key is matched without visiting each child
// node (that pointer walk was a quarter of FastWalk on DNS NDJSON).
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
    if (mapped_ && fast_path_ && FastParse(line, record)) return LineOutcome::kRecord;
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
    Cursor cursor{text.data(), text.data() + text.size()};
    bool taken = false;
    if (PairedQuotes paired; paired.Classify(text)) {
      taken = FastWalk(cursor, paired, 0, 0, record);
    } else {
      ScannedStrings scanned;
      taken = FastWalk(cursor, scanned, 0, 0, record);
    }
    if (taken) {
      cursor.SkipSpace();
      taken = cursor.AtEnd();
    }
    if (taken && cursor.non_ascii) taken = simdjson::validate_utf8(text.data(), text.size());
    if (!taken) {
      record.candidates.clear();
      record.timestamp = {};
      victim_ = {};
      return false;
    }
    record.kind = "ndjson";
    for (Candidate& candidate : record.candidates) candidate.victim = victim_;
    // Every value was taken in place from the line (escaped strings go to
    // simdjson), and the line lives in the LineSource's block.
    record.views_last_until_input_wait = true;
    return true;
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
      size_t child = 0;
      const uint64_t key_word = FirstWord(key.data(), key.size());
      for (const ChildKey& candidate : nodes_[node].child_keys) {
        if (candidate.size == key.size() && candidate.word == key_word &&
            (key.size() <= sizeof key_word ||
             std::memcmp(key.data() + sizeof key_word, nodes_[candidate.node].key.data() + sizeof key_word,
                         key.size() - sizeof key_word) == 0)) {
          child = candidate.node;
          break;
        }
      }
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

  error_code ScanObject(ondemand::object& object, int depth, Record& record) {
    for (auto entry : object) {
      ondemand::field field;
      if (auto error = std::move(entry).get(field)) return error;
      // Unmapped, a top-level key named like a CSV victim or time column
      // ("client", "src", "ts", ...) still gives the record its victim and
      // time, so alerts can be routed and dated; its value is scanned too.
      std::optional<Role> named;
      if (depth == 0) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        named = RoleOfFieldName(key);
        if (named != Role::kVictim && named != Role::kTime) named.reset();
      }
      if (auto error = ScanValue(field.value(), depth + 1, record, named)) return error;
    }
    return simdjson::SUCCESS;
  }

  error_code ScanValue(ondemand::value& value, int depth, Record& record,
                       std::optional<Role> named = std::nullopt) {
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
        return ScanObject(object, depth, record);
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
  std::string_view victim_;
  std::vector<std::string_view> values_;
};

}  // namespace

Result<std::unique_ptr<LineParser>> MakeNdjsonParser(const std::vector<FieldMapping>& mapping,
                                                     NdjsonPath path) {
  return NdjsonParser::Create(mapping, path);
}

}  // namespace accord::telemetry::internal
