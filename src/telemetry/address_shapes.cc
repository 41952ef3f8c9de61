// Whether text is an IPv4 or IPv6 address as sensors write one: the
// readers' and the scanner's cheap shape checks (telemetry_internal.h),
// before anything is parsed.
#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

bool IsHexChar(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

bool IsIpv4(std::string_view text) {
  if (text.size() < 7 || text.size() > 15) return false;
  int octets = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int value = 0;
    while (i < text.size() && (text[i] >= '0' && text[i] <= '9') && i - start < 3) {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    size_t digits = i - start;
    if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) return false;
    ++octets;
    if (i == text.size()) break;
    if (text[i] != '.' || octets == 4) return false;
    ++i;
    if (i == text.size()) return false;
  }
  return octets == 4;
}

bool IsIpv6(std::string_view text) {
  const size_t n = text.size();
  if (n < 3 || n > 45) return false;
  int groups = 0;
  bool compressed = false;
  size_t i = 0;
  if (text[0] == ':') {
    if (text[1] != ':') return false;
    compressed = true;
    i = 2;
  }
  while (i < n) {
    size_t j = i;
    while (j < n && IsHexChar(text[j]) && j - i < 5) ++j;
    if (j < n && text[j] == '.') {
      // An embedded IPv4 address ends the text and counts for two groups.
      if (!IsIpv4(text.substr(i))) return false;
      groups += 2;
      i = n;
      break;
    }
    size_t digits = j - i;
    if (digits == 0 || digits > 4) return false;
    ++groups;
    if (j == n) {
      i = n;
      break;
    }
    if (text[j] != ':') return false;
    ++j;
    if (j < n && text[j] == ':') {
      if (compressed) return false;
      compressed = true;
      ++j;
    } else if (j == n) {
      return false;  // a single trailing colon
    }
    i = j;
  }
  if (groups == 0) return false;  // "::" alone is no useful address
  return compressed ? groups <= 7 : groups == 8;
}

}  // namespace accord::telemetry::internal
