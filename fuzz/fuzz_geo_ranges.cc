// libFuzzer target: Tor's geoip/geoip6 range parser and the lookups over what
// it accepts. The input is split at its first NUL byte: the part before is
// the IPv4 file, the part after the IPv6 file, so one corpus reaches both.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/ip.h"
#include "geo/geo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t split = bytes.find('\0');
  std::string_view ipv4_text = bytes.substr(0, split);
  std::string_view ipv6_text = split == std::string_view::npos ? "" : bytes.substr(split + 1);
  auto database = accord::geo::ParseTorRanges(ipv4_text, ipv6_text, "fuzz");
  if (!database.ok()) return 0;
  // Boundaries of both address spaces and a few inside them.
  for (std::string_view text :
       {"0.0.0.0", "0.0.0.255", "1.0.0.0", "10.0.0.1", "255.255.255.255", "::", "::1",
        "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}) {
    if (auto address = accord::ParseIp(text); address.ok()) {
      accord::geo::GeoInfo info = (*database)->Lookup(*address);
      // A country, when known, is always two upper-case letters.
      if (!info.country.empty() &&
          (info.country.size() != 2 || info.country[0] < 'A' || info.country[0] > 'Z' ||
           info.country[1] < 'A' || info.country[1] > 'Z')) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
