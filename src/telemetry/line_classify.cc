// Hand-written vector code (see line_classify.h): one classifier per
// instruction set, each compiled for its own target so the build can stay
// on baseline x86-64 while a newer CPU runs its wider vectors.
#include "telemetry/line_classify.h"

#include <bit>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define ACCORD_X86_VECTORS 1
#endif

namespace accord::telemetry::internal {
namespace {

// Appends the positions of the set bits of `bits` (word `word_idx`).
inline size_t AppendPositions(uint64_t bits, size_t word_idx, uint8_t* positions, size_t count) {
  for (; bits != 0; bits &= bits - 1) {
    positions[count++] = static_cast<uint8_t>(word_idx * 64 + static_cast<size_t>(std::countr_zero(bits)));
  }
  return count;
}

// The bits of word `word_idx` that fall inside a line of `size` bytes.
inline uint64_t KeepMask(size_t size, size_t word_idx) {
  const size_t valid = size - word_idx * 64;
  return valid >= 64 ? ~uint64_t{0} : (uint64_t{1} << valid) - 1;
}

// Takes one classified word: its quotes' positions and its unclean bytes,
// both cut at the line's end.
inline void TakeWord(uint64_t quote_bits, uint64_t bad_bits, size_t size, size_t word_idx,
                     uint8_t* positions, size_t& count, uint64_t& bad) {
  const uint64_t keep = KeepMask(size, word_idx);
  count = AppendPositions(quote_bits & keep, word_idx, positions, count);
  bad |= bad_bits & keep;
}

bool ClassifyPortable(const char* text, size_t size, uint8_t* positions, size_t& count) {
  uint64_t bad = 0;
  count = 0;
  for (size_t word_idx = 0; word_idx * 64 < size; ++word_idx) {
    uint64_t quote_bits = 0;
    uint64_t bad_bits = 0;
    const char* block = text + word_idx * 64;
    for (size_t byte_idx = 0; byte_idx < 64; ++byte_idx) {
      const auto byte = static_cast<unsigned char>(block[byte_idx]);
      quote_bits |= uint64_t{byte == '"'} << byte_idx;
      bad_bits |= uint64_t{byte == '\\' || byte < 0x20 || byte >= 0x80} << byte_idx;
    }
    TakeWord(quote_bits, bad_bits, size, word_idx, positions, count, bad);
  }
  return bad == 0;
}

#if defined(ACCORD_X86_VECTORS)
// In each classifier the signed compare below 0x20 also catches every byte
// above 0x7F (they are negative).

bool ClassifySse2(const char* text, size_t size, uint8_t* positions, size_t& count) {
  uint64_t bad = 0;
  count = 0;
  for (size_t word_idx = 0; word_idx * 64 < size; ++word_idx) {
    uint64_t quote_bits = 0;
    uint64_t bad_bits = 0;
    const char* block = text + word_idx * 64;
    for (int part = 0; part < 4; ++part) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + part * 16));
      const auto quote = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'))));
      const auto special = static_cast<uint32_t>(_mm_movemask_epi8(
          _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\')), _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20)))));
      quote_bits |= uint64_t{quote} << (part * 16);
      bad_bits |= uint64_t{special} << (part * 16);
    }
    TakeWord(quote_bits, bad_bits, size, word_idx, positions, count, bad);
  }
  return bad == 0;
}

__attribute__((target("avx2"))) bool ClassifyAvx2(const char* text, size_t size, uint8_t* positions,
                                                 size_t& count) {
  uint64_t bad = 0;
  count = 0;
  const __m256i quote_char = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  const __m256i space = _mm256_set1_epi8(0x20);
  for (size_t word_idx = 0; word_idx * 64 < size; ++word_idx) {
    const char* block = text + word_idx * 64;
    const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block));
    const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32));
    const auto quote_low = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, quote_char)));
    const auto quote_high = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, quote_char)));
    const auto bad_low = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_cmpeq_epi8(low, backslash), _mm256_cmpgt_epi8(space, low))));
    const auto bad_high = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_cmpeq_epi8(high, backslash), _mm256_cmpgt_epi8(space, high))));
    TakeWord(uint64_t{quote_low} | uint64_t{quote_high} << 32, uint64_t{bad_low} | uint64_t{bad_high} << 32, size,
             word_idx, positions, count, bad);
  }
  return bad == 0;
}

// AVX-512 (BW, VL, VBMI2): a 64-byte word in one register, compares
// straight into mask registers, and the quote positions written by one
// compress instead of a bit loop (whose exit branch the count of quotes
// makes unpredictable).
constexpr uint8_t kByteIndexes[64] = {
    0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
    22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
    44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2,popcnt"))) bool ClassifyAvx512(
    const char* text, size_t size, uint8_t* positions, size_t& count) {
  uint64_t bad = 0;
  count = 0;
  const __m512i quote_char = _mm512_set1_epi8('"');
  const __m512i backslash = _mm512_set1_epi8('\\');
  const __m512i space = _mm512_set1_epi8(0x20);
  __m512i indexes = _mm512_loadu_si512(kByteIndexes);
  for (size_t word_idx = 0; word_idx * 64 < size; ++word_idx) {
    const __m512i bytes = _mm512_loadu_si512(text + word_idx * 64);
    const uint64_t keep = KeepMask(size, word_idx);
    const uint64_t quotes = _mm512_cmpeq_epi8_mask(bytes, quote_char) & keep;
    bad |= (_mm512_cmpeq_epi8_mask(bytes, backslash) | _mm512_cmplt_epi8_mask(bytes, space)) & keep;
    _mm512_storeu_si512(positions + count, _mm512_maskz_compress_epi8(quotes, indexes));
    count += static_cast<size_t>(_mm_popcnt_u64(quotes));
    indexes = _mm512_add_epi8(indexes, _mm512_set1_epi8(64));
  }
  return bad == 0;
}
#endif

}  // namespace

LineClassifier ClassifierFor(VectorSet set) {
  for (VectorSet supported : SupportedVectorSets()) {
    if (supported != set) continue;
    switch (set) {
      case VectorSet::kPortable: return ClassifyPortable;
#if defined(ACCORD_X86_VECTORS)
      case VectorSet::kSse2: return ClassifySse2;
      case VectorSet::kAvx2: return ClassifyAvx2;
      case VectorSet::kAvx512: return ClassifyAvx512;
#endif
      default: return nullptr;
    }
  }
  return nullptr;
}

}  // namespace accord::telemetry::internal
