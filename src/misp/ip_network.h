// IP networks as numeric ranges, for the warning-list matcher. Parsed here
// with inet_pton rather than through core/observable: the matcher needs
// numbers, not canonical text, and must not allocate per lookup.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>

namespace accord::misp_internal {

struct Ipv6Number {
  uint64_t high = 0;
  uint64_t low = 0;
  friend auto operator<=>(const Ipv6Number&, const Ipv6Number&) = default;
  friend bool operator==(const Ipv6Number&, const Ipv6Number&) = default;
};

// An inclusive range [first, last] of addresses of one family.
struct IpNetwork {
  bool is_v6 = false;
  uint32_t v4_first = 0;
  uint32_t v4_last = 0;
  Ipv6Number v6_first;
  Ipv6Number v6_last;
};

// Parses "192.0.2.1", "192.0.2.0/24", "2001:db8::/32", "2001:db8::1".
// Host bits below the prefix are ignored ("10.1.2.3/8" is 10.0.0.0/8); an
// IPv4-mapped IPv6 address or network ("::ffff:192.0.2.0/120") becomes IPv4.
// Returns false for anything else. Allocates nothing.
bool ParseIpNetwork(std::string_view text, IpNetwork& out);

// last + 1 without wrapping; false when `number` is the largest address.
bool Ipv6Successor(const Ipv6Number& number, Ipv6Number& out);

}  // namespace accord::misp_internal
