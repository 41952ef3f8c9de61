// GeoIP: which country, and with a MaxMind DB which autonomous system, an
// address belongs to; the early-warning engine routes each alert with it.
//
// Two sources behind one interface: Tor's range files (Debian's tor-geoipdb,
// /usr/share/tor/geoip and geoip6: the default, no download) and any MaxMind
// DB file (MaxMind, DB-IP, IPinfo) through libmaxminddb. Several sources can
// be layered: the first that knows a field wins. Lookups are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip.h"
#include "core/status.h"

namespace accord::geo {

struct GeoInfo {
  std::string country;  // ISO 3166-1 alpha-2, upper case; empty when unknown
  uint32_t asn = 0;     // 0 when unknown
  std::string as_organisation;
};

class GeoDatabase {
 public:
  virtual ~GeoDatabase() = default;
  virtual GeoInfo Lookup(const IpAddress& address) const = 0;
  // "tor-geoip:/usr/share/tor/geoip", "mmdb:/path/GeoLite2-ASN.mmdb", ...
  virtual std::string Describe() const = 0;
  // False for a database that holds AS numbers only (an ASN MaxMind DB):
  // configured alone, it leaves countries to the default Tor ranges.
  virtual bool HoldsCountries() const { return true; }
};

// Tor's format: "# comment" lines and "LOW,HIGH,CC" where LOW and HIGH are
// IPv4 addresses as decimal integers (geoip) or IPv6 text (geoip6). Either
// path may be empty to skip that family. Errors name the file and line.
Result<std::unique_ptr<GeoDatabase>> OpenTorRanges(const std::string& ipv4_path,
                                                   const std::string& ipv6_path);
// The same format from plain text in memory (tests, fuzzing; no
// decompression, unlike the files). Errors call the IPv4 text `name` and the
// IPv6 text `name` + "6" ("geoip:12: ...", "geoip6:3: "), after Tor's own
// pair of files.
//
// Rules shared by both entry points: country codes are two ASCII letters and
// are upper-cased; "??" or an empty code marks a range as unknown and it is
// dropped. Ranges may come in any order; they are sorted, and two ranges that
// share an address are an error naming both lines (Tor's files never
// overlap, so an overlap means a damaged file, and picking one silently would
// hide it).
Result<std::unique_ptr<GeoDatabase>> ParseTorRanges(std::string_view ipv4_text,
                                                    std::string_view ipv6_text,
                                                    std::string_view name);
// A MaxMind DB file: country from country/iso_code (or registered_country),
// ASN from autonomous_system_number/_organization.
Result<std::unique_ptr<GeoDatabase>> OpenMaxMind(const std::string& path);
// The first database that knows a field wins, field by field. The AS number
// and its organisation count as one field (taken together, from the first
// layer with a number). Null entries are ignored.
std::unique_ptr<GeoDatabase> Layered(std::vector<std::unique_ptr<GeoDatabase>> databases);
// Each spec is a .mmdb path or "tor:IPV4_PATH[,IPV6_PATH]"; no specs means
// Debian's Tor files, and so do specs that name only ASN databases, for the
// countries (layered under them, when Debian's files are there). kNotFound
// naming the path when a file is missing.
Result<std::unique_ptr<GeoDatabase>> OpenGeoDatabases(const std::vector<std::string>& specs);
// OpenGeoDatabases(specs) on the first Lookup instead of now. Parsing Tor's
// range files takes 0.1-0.3 s, most of `accord match` over a small log, and
// a run with no hit routes nothing. If opening fails, `on_error` hears it
// once and every lookup answers unknown.
std::unique_ptr<GeoDatabase> OpenGeoDatabasesOnFirstLookup(
    std::vector<std::string> specs, std::function<void(const Status&)> on_error);

}  // namespace accord::geo
