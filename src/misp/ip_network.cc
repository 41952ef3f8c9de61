#include "misp/ip_network.h"

#include <arpa/inet.h>

#include <cstring>

namespace accord::misp_internal {
namespace {

bool ParsePrefix(std::string_view digits, int max_prefix, int& prefix) {
  if (digits.empty() || digits.size() > 3) return false;
  prefix = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    prefix = prefix * 10 + (c - '0');
  }
  return prefix <= max_prefix;
}

uint32_t V4Mask(int prefix) { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }

Ipv6Number V6Mask(int prefix) {
  if (prefix <= 64) return {prefix == 0 ? 0 : ~uint64_t{0} << (64 - prefix), 0};
  return {~uint64_t{0}, ~uint64_t{0} << (128 - prefix)};
}

uint64_t BigEndian64(const unsigned char* bytes) {
  uint64_t value = 0;
  for (int byte_idx = 0; byte_idx < 8; ++byte_idx) value = (value << 8) | bytes[byte_idx];
  return value;
}

}  // namespace

bool ParseIpNetwork(std::string_view text, IpNetwork& out) {
  std::string_view address = text;
  std::string_view prefix_text;
  bool has_prefix = false;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    prefix_text = text.substr(slash + 1);
    has_prefix = true;
  }
  // inet_pton wants a NUL-terminated string; the longest valid text form is
  // INET6_ADDRSTRLEN - 1 characters, so a stack buffer is enough.
  char buffer[INET6_ADDRSTRLEN];
  if (address.empty() || address.size() >= sizeof(buffer)) return false;
  std::memcpy(buffer, address.data(), address.size());
  buffer[address.size()] = '\0';

  if (address.find(':') == std::string_view::npos) {
    unsigned char bytes[4];
    if (inet_pton(AF_INET, buffer, bytes) != 1) return false;
    int prefix = 32;
    if (has_prefix && !ParsePrefix(prefix_text, 32, prefix)) return false;
    uint32_t value = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                     (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]};
    out.is_v6 = false;
    out.v4_first = value & V4Mask(prefix);
    out.v4_last = out.v4_first | ~V4Mask(prefix);
    return true;
  }

  unsigned char bytes[16];
  if (inet_pton(AF_INET6, buffer, bytes) != 1) return false;
  int prefix = 128;
  if (has_prefix && !ParsePrefix(prefix_text, 128, prefix)) return false;
  Ipv6Number value{BigEndian64(bytes), BigEndian64(bytes + 8)};
  constexpr uint64_t kMappedHigh = 0;
  constexpr uint64_t kMappedLowTop = 0x0000ffffULL;
  if (value.high == kMappedHigh && (value.low >> 32) == kMappedLowTop && prefix >= 96) {
    int v4_prefix = prefix - 96;
    uint32_t v4 = static_cast<uint32_t>(value.low);
    out.is_v6 = false;
    out.v4_first = v4 & V4Mask(v4_prefix);
    out.v4_last = out.v4_first | ~V4Mask(v4_prefix);
    return true;
  }
  Ipv6Number mask = V6Mask(prefix);
  out.is_v6 = true;
  out.v6_first = {value.high & mask.high, value.low & mask.low};
  out.v6_last = {out.v6_first.high | ~mask.high, out.v6_first.low | ~mask.low};
  return true;
}

bool Ipv6Successor(const Ipv6Number& number, Ipv6Number& out) {
  if (number.high == ~uint64_t{0} && number.low == ~uint64_t{0}) return false;
  out = number;
  if (++out.low == 0) ++out.high;
  return true;
}

}  // namespace accord::misp_internal
