// Internal to src/match: how the snapshot turns values into keys and slot
// positions, shared by the file (building, writing, loading) and the
// lookups. Not part of the module's interface.
#pragma once

// Inlined (the header carries the implementation): a DNS name is hashed
// once per label, and the calls into the shared library were a visible part
// of a lookup. Same algorithm, so the same keys as the library's.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/ip.h"
#include "core/observable.h"

namespace accord::match::internal {

// The filter in front of the table: four bits in one 64-bit word per key
// (a blocked Bloom filter), 16 bits a slot, about 21 an indicator, so 1 M
// indicators take 2.7 MB and stay in cache while the 21 MB table does not.
// Most telemetry misses every indicator, and each miss (every parent of a
// domain, every CIDR length for an address) used to cost a memory access
// into the table; bench/match showed those accesses as most of a lookup.
// With three bits in 8 a slot, 2.0% of absent keys still passed (measured
// on random keys) and each cost a slot read that the prefetch had not
// brought in time (three fifths of finishing a DNS record's probes);
// sixteen bits and four take that to 0.25% for 1.3 bytes more an indicator.
inline size_t FilterWords(size_t slot_count) { return std::max<size_t>(1, (slot_count + 3) / 4); }

inline uint64_t FilterMask(uint64_t key) {
  return (uint64_t{1} << (key & 63)) | (uint64_t{1} << ((key >> 6) & 63)) |
         (uint64_t{1} << ((key >> 12) & 63)) | (uint64_t{1} << ((key >> 18) & 63));
}

// Seeds keep the types apart: the same bytes as a domain and as a URL are
// different keys. CIDRs get one seed per family and prefix length.
constexpr uint64_t kIpv4Seed = 0x1001;
constexpr uint64_t kIpv6Seed = 0x1002;
inline uint64_t NetworkSeed(bool is_v4, int prefix_length) {
  return (is_v4 ? 0x4000u : 0x6000u) + static_cast<uint64_t>(prefix_length);
}

inline uint64_t NonZero(uint64_t key) { return key == 0 ? 1 : key; }

// The check hash beside each slot: XXH3 of the normalized value's text with
// a seed no key uses, so it is independent of the 64-bit key. A hit whose
// value only collides with an indicator's key (odds about N / 2^64 a
// lookup) fails it but for odds of 2^-32 more; that is what the store's copy
// of the value was read for, at a few random page reads a hit.
constexpr uint64_t kCheckSeed = 0x9E3779B97F4A7C15ULL;
inline uint32_t CheckHash(const Observable& observable) {
  return static_cast<uint32_t>(XXH3_64bits_withSeed(observable.value.data(), observable.value.size(),
                                                    kCheckSeed ^ static_cast<uint64_t>(observable.type)));
}

inline uint64_t TextKey(ObservableType type, std::string_view value) {
  return NonZero(XXH3_64bits_withSeed(value.data(), value.size(), static_cast<uint64_t>(type)));
}

inline uint64_t AddressKey(const IpAddress& address) {
  return NonZero(address.is_v4 ? XXH3_64bits_withSeed(address.bytes.data(), 4, kIpv4Seed)
                               : XXH3_64bits_withSeed(address.bytes.data(), 16, kIpv6Seed));
}

inline uint64_t NetworkKey(const IpAddress& masked, int prefix_length) {
  return NonZero(XXH3_64bits_withSeed(masked.bytes.data(), masked.is_v4 ? 4 : 16,
                                      NetworkSeed(masked.is_v4, prefix_length)));
}

// The bit of a domain's label count in the snapshot's label mask: bit n
// for a name of n dot-separated labels, bit 63 for 63 or more. Counted by
// dots, so the same text always gets the same bit; a probe skips the
// suffixes whose bit no indicator set. On DNS logs (names of three labels,
// indicators of two or three) that drops the top-level domain's probe, a
// third of the keys (bench/match).
inline uint64_t DomainLabelBit(size_t labels) {
  return uint64_t{1} << std::min<size_t>(labels, 63);
}

// Lemire's multiply-shift: a slot index in [0, size) without a division.
inline size_t SlotIndex(uint64_t key, size_t size) {
  __extension__ using Wide = unsigned __int128;  // GCC and clang; -Wpedantic wants the marker
  return static_cast<size_t>((static_cast<Wide>(key) * size) >> 64);
}

inline IpAddress Masked(const IpAddress& address, int prefix_length) {
  IpAddress masked = address;
  const int bits = address.is_v4 ? 32 : 128;
  for (int byte = prefix_length / 8; byte < bits / 8; ++byte) {
    const int keep = std::max(0, prefix_length - byte * 8);
    masked.bytes[byte] &= keep >= 8 ? 0xFF : static_cast<uint8_t>(0xFF00u >> keep);
  }
  return masked;
}

}  // namespace accord::match::internal
