// The hand-written JSON grammar of the NDJSON fast path (ndjson_reader.cc):
// a cursor over one padded line, strings scanned one at a time or taken from
// a clean line's quote positions, numbers, literals and skipped values.
// Hand-written because it is the hot path of DNS and proxy NDJSON
// (bench/match): each helper answers false on anything it does not take
// simply, and the line then goes to simdjson, which also words the error.
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "telemetry/line_classify.h"
#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {

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

inline bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

#if !defined(__SSE2__)
// Flags (in each byte's top bit) the bytes of `word` that a string scan must
// stop at: '"', '\\', control characters and bytes above 0x7F. The lowest
// flag is exact; flags above it may be spurious (borrows), so only the first
// is used.
inline uint64_t SpecialBytes(uint64_t word) {
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
inline uint32_t SpecialMask16(const char* p) {
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
inline bool ScanString(Cursor& c, std::string_view& raw, bool& escaped) {
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
// at once, a vector step per 32 or 64 bytes, instead of one scan per string, whose
// dependent loads and unpredictable exits were a third of FastWalk's time
// on DNS NDJSON (bench/match). The lines it refuses keep ScannedStrings.
constexpr size_t kMaxCleanLine = kMaxClassifiedLine;
struct PairedQuotes {
  const char* base = nullptr;
  uint8_t positions[kQuotePositionsCapacity];  // of the quotes, in order
  size_t count = 0;
  size_t next = 0;  // positions[next] is the first not yet taken

  // Finds the quotes with `classify` (line_classify.h); false when `text`
  // is not clean. At least 64 bytes past its end must be readable (a Line
  // has kLinePadding).
  bool Classify(std::string_view text, LineClassifier classify) {
    if (text.size() > kMaxCleanLine) return false;
    base = text.data();
    next = 0;
    return classify(text.data(), text.size(), positions, count);
  }

  // Back to the first quote, for a second walk of the same line.
  void Rewind() { next = 0; }

  bool NextQuote(size_t& position) {
    if (next >= count) return false;
    position = positions[next++];
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
inline bool ScanNumber(Cursor& c) {
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
inline bool SkipValue(Cursor& c, Strings& strings, int depth) {
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
inline uint64_t FirstWord(const char* text, size_t size) {
  uint64_t word = 0;
  std::memcpy(&word, text, sizeof word);
  return size >= sizeof word ? word : word & ((uint64_t{1} << (size * 8)) - 1);
}

}  // namespace accord::telemetry::internal
