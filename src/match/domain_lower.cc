// Hand-written vector code (see domain_lower.h), one version per
// instruction set, each compiled for its own target.
#include "match/domain_lower.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define ACCORD_X86_VECTORS 1
#endif

namespace accord::match::internal {
namespace {

// What the name keeps of each byte: letters lower-cased, digits, '-', '.'
// and '_' as they are; 0 for anything that needs the full normalizer. A
// table: per-character comparisons were most of a DNS name's preparation.
constexpr std::array<char, 256> kPlainDomainChar = [] {
  std::array<char, 256> table{};
  for (char c = 'a'; c <= 'z'; ++c) {
    table[static_cast<unsigned char>(c)] = c;
    table[static_cast<unsigned char>(c - 32)] = c;
  }
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = c;
  for (char c : {'-', '.', '_'}) table[static_cast<unsigned char>(c)] = c;
  return table;
}();

bool LowerPortable(std::string_view in, char* out, DotBits& dots) {
  dots = {};
  char all_plain = 1;
  for (size_t char_idx = 0; char_idx < in.size(); ++char_idx) {
    const char c = kPlainDomainChar[static_cast<unsigned char>(in[char_idx])];
    out[char_idx] = c;
    all_plain = static_cast<char>(all_plain & (c != 0));
    dots[char_idx / 64] |= uint64_t{c == '.'} << (char_idx % 64);
  }
  return all_plain != 0;
}

#if defined(ACCORD_X86_VECTORS)
// kPlainDomainChar for sixteen bytes: the bytes lower-cased, and masks of
// the bytes kept and of the dots. Signed compares: bytes above 0x7F are
// negative and fall in no range.
inline void LowerBlock(__m128i bytes, __m128i& lower, uint32_t& plain, uint32_t& dots) {
  auto in_range = [](__m128i v, char low, char high) {
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(low - 1))),
                         _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(high + 1))));
  };
  lower = _mm_or_si128(bytes, _mm_and_si128(in_range(bytes, 'A', 'Z'), _mm_set1_epi8(0x20)));
  const __m128i dot = _mm_cmpeq_epi8(lower, _mm_set1_epi8('.'));
  const __m128i other = _mm_or_si128(_mm_cmpeq_epi8(lower, _mm_set1_epi8('-')),
                                     _mm_cmpeq_epi8(lower, _mm_set1_epi8('_')));
  const __m128i ok = _mm_or_si128(_mm_or_si128(in_range(lower, 'a', 'z'), in_range(lower, '0', '9')),
                                  _mm_or_si128(dot, other));
  plain = static_cast<uint32_t>(_mm_movemask_epi8(ok));
  dots = static_cast<uint32_t>(_mm_movemask_epi8(dot));
}

// Sixteen bytes a step: the byte loop and a second pass for the dots were a
// tenth of a DNS record (bench/match).
bool LowerSse2(std::string_view in, char* out, DotBits& dots) {
  dots = {};
  const size_t size = in.size();
  const size_t full = size & ~size_t{15};
  const size_t rest = size - full;
  uint32_t refused = 0;
  __m128i lower;
  uint32_t plain = 0;
  uint32_t dot = 0;
  for (size_t at = 0; at < full; at += 16) {
    LowerBlock(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + at)), lower, plain, dot);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + at), lower);
    refused |= ~plain & 0xFFFF;
    dots[at / 64] |= uint64_t{dot} << (at % 64);
  }
  if (rest != 0) {
    if (size >= 16) {
      // The last sixteen bytes, overlapping bytes already done (rewritten
      // the same): their masks shifted down to the new bytes.
      LowerBlock(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + size - 16)), lower, plain, dot);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + size - 16), lower);
      refused |= ~plain & 0xFFFF;
      dots[full / 64] |= uint64_t{dot >> (16 - rest)} << (full % 64);
    } else {
      char padded[16] = {};
      std::memcpy(padded, in.data(), rest);
      LowerBlock(_mm_loadu_si128(reinterpret_cast<const __m128i*>(padded)), lower, plain, dot);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(padded), lower);
      std::memcpy(out, padded, rest);
      refused |= ~plain & ((1u << rest) - 1);
      dots[0] |= dot;  // the zero padding holds no dot
    }
  }
  return refused == 0;
}

// The bytes of `v` in [low, low + span].
__attribute__((target("avx512bw,avx512vl"))) inline __mmask32 InRange(__m256i v, char low, char span) {
  return _mm256_cmple_epu8_mask(_mm256_sub_epi8(v, _mm256_set1_epi8(low)), _mm256_set1_epi8(span));
}

// Thirty-two bytes a step with masked loads and stores: a short name needs
// no padded copy, and the compares go straight into mask registers. 256-bit
// registers, so no CPU lowers its clock for them.
__attribute__((target("avx512bw,avx512vl"))) bool LowerAvx512(std::string_view in, char* out,
                                                              DotBits& dots) {
  dots = {};
  const size_t size = in.size();
  uint32_t refused = 0;
  for (size_t at = 0; at < size; at += 32) {
    const size_t count = std::min<size_t>(32, size - at);
    const __mmask32 live = count == 32 ? ~__mmask32{0} : static_cast<__mmask32>((1u << count) - 1);
    const __m256i bytes = _mm256_maskz_loadu_epi8(live, in.data() + at);
    const __m256i lower = _mm256_mask_add_epi8(bytes, InRange(bytes, 'A', 25), bytes, _mm256_set1_epi8(0x20));
    const __mmask32 dot = _mm256_cmpeq_epi8_mask(lower, _mm256_set1_epi8('.'));
    const __mmask32 plain = InRange(lower, 'a', 25) | InRange(lower, '0', 9) | dot |
                            _mm256_cmpeq_epi8_mask(lower, _mm256_set1_epi8('-')) |
                            _mm256_cmpeq_epi8_mask(lower, _mm256_set1_epi8('_'));
    _mm256_mask_storeu_epi8(out + at, live, lower);
    refused |= live & ~plain;
    dots[at / 64] |= uint64_t{dot & live} << (at % 64);
  }
  return refused == 0;
}
#endif

}  // namespace

DomainLowerer LowererFor(VectorSet set) {
  const std::vector<VectorSet> supported = SupportedVectorSets();
  if (std::find(supported.begin(), supported.end(), set) == supported.end()) return nullptr;
  switch (set) {
    case VectorSet::kPortable: return LowerPortable;
#if defined(ACCORD_X86_VECTORS)
    case VectorSet::kSse2:
    case VectorSet::kAvx2: return LowerSse2;
    case VectorSet::kAvx512: return LowerAvx512;
#endif
    default: return nullptr;
  }
}

}  // namespace accord::match::internal
