// Helpers the geo tests share: an address from text, a database's country
// for one, and a small Tor-format IPv4 range file.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/ip.h"
#include "geo/geo.h"

namespace accord::geo_testing {

inline IpAddress Ip(std::string_view text) {
  auto address = ParseIp(text);
  EXPECT_TRUE(address.ok()) << address.status().ToString();
  return address.ok() ? *address : IpAddress{};
}

inline std::string CountryOf(const geo::GeoDatabase& database, std::string_view address) {
  return database.Lookup(Ip(address)).country;
}

// 1.0.0.0-1.0.0.255 = 16777216-16777471; 1.0.2.0-1.0.3.255 = 16777728-16778239.
inline constexpr char kIpv4Ranges[] =
    "# Tor-style header\n"
    "#\n"
    "16777216,16777471,AU\n"
    "16777728,16778239,CN\n";

}  // namespace accord::geo_testing
