// IP addresses in binary form, for the modules that compare or look up
// addresses rather than store their text (GeoIP, matching, constituency
// ranges). Text parsing follows the observable rules (docs/NORMALIZATION.md):
// strict dotted quads, RFC 4291 IPv6 with optional [brackets] and %zone, and
// IPv4-mapped IPv6 read as the IPv4 address.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace accord {

// Network byte order. IPv4 uses bytes[0..3]; the rest stay zero.
struct IpAddress {
  bool is_v4 = true;
  std::array<uint8_t, 16> bytes{};
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Either family; kInvalidArgument with a reason otherwise.
Result<IpAddress> ParseIp(std::string_view text);
// "1.2.3.4" or RFC 5952 text.
std::string FormatIp(const IpAddress& address);

// An IP network: the address with host bits cleared, and its prefix length
// (0..32 for IPv4, 0..128 for IPv6).
struct IpNetwork {
  IpAddress address;
  int prefix_length = 0;
  friend bool operator==(const IpNetwork&, const IpNetwork&) = default;
};
// "10.0.0.0/8", "2001:db8::/32", or a single address (a full-length prefix).
// Host bits set in the text are cleared, as for CIDR observables.
Result<IpNetwork> ParseIpNetwork(std::string_view text);
bool NetworkContains(const IpNetwork& network, const IpAddress& address);

}  // namespace accord
