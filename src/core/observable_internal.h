// Private to the observable_*.cc files: the pieces of normalization that
// more than one observable type needs (an e-mail or URL host is normalized
// like a domain; a URL host may be an IP literal). Not part of core's face;
// other modules use core/observable.h.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ip.h"
#include "core/observable.h"
#include "core/status.h"

namespace accord::observable_internal {

// Upper bound on any raw or normalized value, in bytes.
inline constexpr size_t kMaxValueBytes = 8 * 1024;

bool IsAsciiSpace(char c);
bool IsHexDigit(char c);
char AsciiLower(char c);
std::string AsciiLowerCopy(std::string_view text);
// `text` quoted for an error message, cut to a readable length.
std::string Quote(std::string_view text);

using ::accord::FormatIp;
using ::accord::IpAddress;

// Strict dotted quad: four decimal octets 0..255 without leading zeros.
Result<IpAddress> ParseIpv4(std::string_view text);
// RFC 4291 text form, optionally in [brackets] and with a %zone (dropped).
// An IPv4-mapped address is returned as IPv4.
Result<IpAddress> ParseIpv6(std::string_view text);

Result<Observable> NormalizeIpv4(std::string_view text);
Result<Observable> NormalizeIpv6(std::string_view text);
Result<Observable> NormalizeCidr(std::string_view text);

// A host name to lower-case A-labels, checked against the domain rules of
// docs/NORMALIZATION.md. `text` is already trimmed and refanged.
Result<std::string> NormalizeDomainName(std::string_view text);

Result<Observable> NormalizeUrl(std::string_view text);
// RFC 3986 unreserved: letters, digits, - . _ ~
bool IsUnreservedChar(char c);
// True when `text` reads as "host[:port]/..." without a scheme, the form
// plain lists use for URLs ("evil.example/gate.php").
bool LooksLikeSchemelessUrl(std::string_view text);

Result<Observable> NormalizeEmail(std::string_view text);
Result<Observable> NormalizeWallet(std::string_view text);

}  // namespace accord::observable_internal
