// Observables: the unit of correlation, a (type, normalized value) pair.
//
// Normalization is exact and documented in docs/NORMALIZATION.md; the same
// input always gives the same value, and a value that does not normalize is
// rejected with a reason (never stored half-right). All functions here are
// pure and thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace accord {

// Stored as these small integers: never renumber.
enum class ObservableType : uint8_t {
  kIpv4 = 1,
  kIpv6 = 2,
  kCidr = 3,      // IPv4 or IPv6 network, host bits cleared
  kDomain = 4,
  kUrl = 5,
  kEmail = 6,
  kMd5 = 7,
  kSha1 = 8,
  kSha256 = 9,
  kWallet = 10,   // cryptocurrency wallet address
  kFileName = 11,
};
inline constexpr int kObservableTypeCount = 11;

struct Observable {
  ObservableType type = ObservableType::kIpv4;
  std::string value;  // normalized
  friend bool operator==(const Observable&, const Observable&) = default;
  // By type, then value: sorted sets of observables.
  friend auto operator<=>(const Observable&, const Observable&) = default;
};

// "ipv4", "ipv6", "cidr", "domain", "url", "email", "md5", "sha1", "sha256",
// "wallet", "filename".
std::string_view TypeName(ObservableType type);
// Accepts the names above (any case); nullopt for anything else.
std::optional<ObservableType> ParseTypeName(std::string_view name);

// Normalizes `raw` as `type`. Leading/trailing white space is ignored and
// common defanging (hxxp, [.], (.), [:], [@]) is undone first. Some inputs
// change type on the way: an IPv4-mapped IPv6 address becomes ipv4, and a
// /32 (or /128) CIDR becomes the single address. Errors are
// kInvalidArgument with a reason such as "IPv4 octet out of range".
Result<Observable> Normalize(ObservableType type, std::string_view raw);

// For plain lists: detects the type from the text itself (address, network,
// hash by length, e-mail, URL, file name by an extension that is no
// top-level domain such as .exe or .pdf, domain) and normalizes it. Values that fit
// no type are rejected ("not a recognisable indicator").
Result<Observable> DetectAndNormalize(std::string_view raw);

// Another type the same text may have been stored as, for look-ups that
// detected `detected` from `raw`: a name such as "update.zip" reads as a
// domain but may be a file name (several file extensions are top-level
// domains too: .zip, .mov), and one such as "crypt1.exe", detected as a file
// name, may have been stored as a domain before detection knew better.
// nullopt when there is none.
std::optional<Observable> OtherReading(const Observable& detected, std::string_view raw);

// True only when Normalize(kUrl, text) would return `text` unchanged, or
// fail: a conservative check for hot paths (the matcher looks such a URL up
// as it is, skipping the normalizer's copies). It accepts lower-case
// http(s) URLs with a lower-case ASCII host name (no address, port,
// userinfo or xn-- label), a path of unreserved characters and '/' without
// dot segments, and a query that may add '=' and '&'; anything else answers
// false and must go through Normalize.
bool IsNormalUrl(std::string_view text);

// Undoes common defanging: "hxxp://evil[.]example" -> "http://evil.example".
std::string Refang(std::string_view raw);

}  // namespace accord
