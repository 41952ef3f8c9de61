// IPv4, IPv6 and CIDR normalization (docs/NORMALIZATION.md, "Addresses").
//
// The parser and RFC 5952 formatter are written here rather than taken from
// inet_pton/inet_ntop: inet_pton accepts forms we want to name precisely in
// errors, and glibc's inet_ntop prints IPv4-compatible addresses (::1.2.3.4)
// in dotted form, which RFC 5952 does not ask for.

#include <cctype>
#include <string>
#include <string_view>

#include "core/observable.h"
#include "core/observable_internal.h"

namespace accord::observable_internal {
namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool IsDecimal(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsMapped(const IpAddress& address) {
  if (address.is_v4) return false;
  for (size_t byte_idx = 0; byte_idx < kMappedPrefix.size(); ++byte_idx) {
    if (address.bytes[byte_idx] != kMappedPrefix[byte_idx]) return false;
  }
  return true;
}

IpAddress MappedToV4(const IpAddress& address) {
  IpAddress v4;
  v4.is_v4 = true;
  for (int byte_idx = 0; byte_idx < 4; ++byte_idx)
    v4.bytes[byte_idx] = address.bytes[12 + byte_idx];
  return v4;
}

// Parses the IPv6 body (no brackets, no zone) into 16 bytes.
Status ParseIpv6Body(std::string_view text, std::array<uint8_t, 16>& bytes) {
  if (text.empty()) return Status::Invalid("IPv6 address is empty");
  std::array<uint16_t, 8> groups{};
  int group_count = 0;
  int compress_at = -1;  // group index where "::" stands
  size_t pos = 0;
  if (text.substr(0, 2) == "::") {
    compress_at = 0;
    pos = 2;
  } else if (text[0] == ':') {
    return Status::Invalid("IPv6 address " + Quote(text) + " starts with a single ':'");
  }
  while (pos < text.size()) {
    if (group_count == 8) {
      return Status::Invalid("IPv6 address " + Quote(text) + " has more than 8 groups");
    }
    size_t end = pos;
    while (end < text.size() && text[end] != ':') ++end;
    std::string_view piece = text.substr(pos, end - pos);
    if (piece.find('.') != std::string_view::npos) {
      // Embedded IPv4 in the last two groups (::ffff:1.2.3.4).
      if (end != text.size()) {
        return Status::Invalid("IPv6 address " + Quote(text) + " has an IPv4 part before its end");
      }
      if (group_count > 6) {
        return Status::Invalid("IPv6 address " + Quote(text) + " has more than 8 groups");
      }
      Result<IpAddress> v4 = ParseIpv4(piece);
      if (!v4.ok()) return v4.status().WithContext("in IPv6 address " + Quote(text));
      groups[group_count++] = static_cast<uint16_t>(v4->bytes[0] << 8 | v4->bytes[1]);
      groups[group_count++] = static_cast<uint16_t>(v4->bytes[2] << 8 | v4->bytes[3]);
      pos = end;
      break;
    }
    if (piece.empty()) {
      return Status::Invalid("IPv6 address " + Quote(text) + " has an empty group");
    }
    if (piece.size() > 4) {
      return Status::Invalid("IPv6 group '" + std::string(piece) + "' has more than 4 hex digits");
    }
    uint32_t group = 0;
    for (char c : piece) {
      int digit = HexValue(c);
      if (digit < 0) {
        return Status::Invalid("invalid character '" + std::string(1, c) + "' in IPv6 address " +
                               Quote(text));
      }
      group = group * 16 + static_cast<uint32_t>(digit);
    }
    groups[group_count++] = static_cast<uint16_t>(group);
    pos = end;
    if (pos == text.size()) break;
    // At a ':'. A second one right after is the "::" compression.
    if (pos + 1 < text.size() && text[pos + 1] == ':') {
      if (compress_at >= 0) {
        return Status::Invalid("IPv6 address " + Quote(text) + " has more than one '::'");
      }
      compress_at = group_count;
      pos += 2;
    } else if (pos + 1 == text.size()) {
      return Status::Invalid("IPv6 address " + Quote(text) + " ends with a single ':'");
    } else {
      pos += 1;
    }
  }
  if (pos != text.size()) {
    return Status::Invalid("IPv6 address " + Quote(text) + " has text after its IPv4 part");
  }
  if (compress_at < 0 && group_count != 8) {
    return Status::Invalid("IPv6 address " + Quote(text) + " has " + std::to_string(group_count) +
                           " groups, expected 8 (or '::')");
  }
  if (compress_at >= 0 && group_count > 7) {
    return Status::Invalid("IPv6 address " + Quote(text) + " has 8 groups and a '::'");
  }
  std::array<uint16_t, 8> full{};
  if (compress_at < 0) {
    full = groups;
  } else {
    int tail = group_count - compress_at;
    for (int idx = 0; idx < compress_at; ++idx) full[idx] = groups[idx];
    for (int idx = 0; idx < tail; ++idx) full[8 - tail + idx] = groups[compress_at + idx];
  }
  for (int idx = 0; idx < 8; ++idx) {
    bytes[2 * idx] = static_cast<uint8_t>(full[idx] >> 8);
    bytes[2 * idx + 1] = static_cast<uint8_t>(full[idx] & 0xff);
  }
  return Status::Ok();
}

std::string FormatIpv6(const std::array<uint8_t, 16>& bytes) {
  std::array<uint16_t, 8> groups{};
  for (int idx = 0; idx < 8; ++idx) {
    groups[idx] = static_cast<uint16_t>(bytes[2 * idx] << 8 | bytes[2 * idx + 1]);
  }
  // RFC 5952 4.2: compress the longest run of zero groups (at least two),
  // the first one when runs tie.
  int best_start = -1;
  int best_length = 1;
  for (int start = 0; start < 8;) {
    if (groups[start] != 0) {
      ++start;
      continue;
    }
    int end = start;
    while (end < 8 && groups[end] == 0) ++end;
    if (end - start > best_length) {
      best_start = start;
      best_length = end - start;
    }
    start = end;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int idx = 0; idx < 8; ++idx) {
    if (idx == best_start) {
      out += "::";
      idx += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    uint16_t group = groups[idx];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int digit = (group >> shift) & 0xf;
      if (digit != 0 || started || shift == 0) {
        out += kHex[digit];
        started = true;
      }
    }
  }
  return out;
}

Observable AddressObservable(const IpAddress& address) {
  return Observable{address.is_v4 ? ObservableType::kIpv4 : ObservableType::kIpv6,
                    FormatIp(address)};
}

// Addresses are short, and the matcher parses one per flow or log field:
// these scans are inline loops, as the memchr calls (one per octet) were
// about 40% of parsing one (bench/match, free text).
size_t FindChar(std::string_view text, char wanted, size_t from = 0) {
  for (size_t i = from; i < text.size(); ++i) {
    if (text[i] == wanted) return i;
  }
  return std::string_view::npos;
}

Result<IpAddress> ParseEitherFamily(std::string_view text) {
  for (char c : text) {
    if (c == ':' || c == '[') return ParseIpv6(text);
  }
  return ParseIpv4(text);
}

}  // namespace

Result<IpAddress> ParseIpv4(std::string_view text) {
  IpAddress address;
  address.is_v4 = true;
  int octet_count = 0;
  size_t pos = 0;
  while (true) {
    size_t end = FindChar(text, '.', pos);
    std::string_view octet = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (octet.empty()) {
      return Status::Invalid("IPv4 address " + Quote(text) + " has an empty octet");
    }
    ++octet_count;
    if (octet_count > 4) {
      return Status::Invalid("IPv4 address " + Quote(text) + " has more than 4 octets");
    }
    for (char c : octet) {
      if (!IsDecimal(c)) {
        return Status::Invalid("invalid character '" + std::string(1, c) + "' in IPv4 address " +
                               Quote(text));
      }
    }
    if (octet.size() > 1 && octet[0] == '0') {
      return Status::Invalid("IPv4 octet '" + std::string(octet) +
                             "' has a leading zero (ambiguous: octal or decimal)");
    }
    if (octet.size() > 3) {
      return Status::Invalid("IPv4 octet " + std::string(octet) + " out of range");
    }
    int value = 0;
    for (char c : octet) value = value * 10 + (c - '0');
    if (value > 255) {
      return Status::Invalid("IPv4 octet " + std::to_string(value) + " out of range");
    }
    address.bytes[octet_count - 1] = static_cast<uint8_t>(value);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  if (octet_count != 4) {
    return Status::Invalid("IPv4 address " + Quote(text) + " has " + std::to_string(octet_count) +
                           " octets, expected 4");
  }
  return address;
}

Result<IpAddress> ParseIpv6(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && body.front() == '[') {
    if (body.back() != ']')
      return Status::Invalid("IPv6 address " + Quote(text) + " lacks its ']'");
    body = body.substr(1, body.size() - 2);
  } else if (!body.empty() && body.back() == ']') {
    return Status::Invalid("IPv6 address " + Quote(text) + " lacks its '['");
  }
  // A zone id names an interface on one host; it means nothing elsewhere,
  // so it is dropped (fe80::1%eth0 -> fe80::1).
  size_t zone = body.find('%');
  if (zone != std::string_view::npos) {
    if (zone + 1 == body.size()) {
      return Status::Invalid("IPv6 address " + Quote(text) + " has an empty zone id after '%'");
    }
    // An interface name or number (RFC 6874's unreserved characters): a
    // space would let the rest of a line ("fe80::1%lo0 localhost") pass.
    for (char c : body.substr(zone + 1)) {
      const auto u = static_cast<unsigned char>(c);
      if (!(std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~')) {
        return Status::Invalid("IPv6 address " + Quote(text) + " has a zone id that is no interface name");
      }
    }
    body = body.substr(0, zone);
  }
  IpAddress address;
  address.is_v4 = false;
  RETURN_IF_ERROR(ParseIpv6Body(body, address.bytes));
  if (IsMapped(address)) return MappedToV4(address);
  return address;
}

}  // namespace accord::observable_internal

namespace accord {

std::string FormatIp(const IpAddress& address) {
  if (!address.is_v4) return observable_internal::FormatIpv6(address.bytes);
  std::string out;
  for (int idx = 0; idx < 4; ++idx) {
    if (idx > 0) out += '.';
    out += std::to_string(address.bytes[idx]);
  }
  return out;
}

Result<IpAddress> ParseIp(std::string_view text) {
  return observable_internal::ParseEitherFamily(text);
}

Result<IpNetwork> ParseIpNetwork(std::string_view text) {
  IpNetwork network;
  const size_t slash = text.find('/');
  ASSIGN_OR_RETURN(network.address, ParseIp(text.substr(0, slash)));
  const int bit_count = network.address.is_v4 ? 32 : 128;
  network.prefix_length = bit_count;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    int prefix = 0;
    if (digits.empty() || digits.size() > 3) {
      return Status::Invalid("network " + observable_internal::Quote(text) +
                             ": prefix length is not a number");
    }
    for (char c : digits) {
      if (c < '0' || c > '9') {
        return Status::Invalid("network " + observable_internal::Quote(text) +
                               ": prefix length is not a number");
      }
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > bit_count) {
      return Status::Invalid("network " + observable_internal::Quote(text) + ": prefix length " +
                             std::to_string(prefix) + " exceeds " + std::to_string(bit_count));
    }
    network.prefix_length = prefix;
  }
  for (int bit = network.prefix_length; bit < bit_count; ++bit) {
    network.address.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return network;
}

bool NetworkContains(const IpNetwork& network, const IpAddress& address) {
  if (network.address.is_v4 != address.is_v4) return false;
  const int full_bytes = network.prefix_length / 8;
  for (int byte = 0; byte < full_bytes; ++byte) {
    if (network.address.bytes[byte] != address.bytes[byte]) return false;
  }
  const int rest = network.prefix_length % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xFFu << (8 - rest));
  return (address.bytes[full_bytes] & mask) == network.address.bytes[full_bytes];
}

}  // namespace accord

namespace accord::observable_internal {

Result<Observable> NormalizeIpv4(std::string_view text) {
  if (text.find('/') != std::string_view::npos) return NormalizeCidr(text);
  // An IPv4-mapped IPv6 address names an IPv4 host; accept it here too.
  if (text.find(':') != std::string_view::npos) {
    ASSIGN_OR_RETURN(IpAddress address, ParseIpv6(text));
    if (!address.is_v4) {
      return Status::Invalid(Quote(text) + " is an IPv6 address, not IPv4");
    }
    return AddressObservable(address);
  }
  ASSIGN_OR_RETURN(IpAddress address, ParseIpv4(text));
  return AddressObservable(address);
}

Result<Observable> NormalizeIpv6(std::string_view text) {
  if (text.find('/') != std::string_view::npos) return NormalizeCidr(text);
  if (text.find(':') == std::string_view::npos && text.find('[') == std::string_view::npos) {
    if (ParseIpv4(text).ok()) {
      return Status::Invalid(Quote(text) + " is an IPv4 address, not IPv6");
    }
    return Status::Invalid(Quote(text) + " is not an IPv6 address (no ':')");
  }
  ASSIGN_OR_RETURN(IpAddress address, ParseIpv6(text));
  return AddressObservable(address);
}

Result<Observable> NormalizeCidr(std::string_view text) {
  size_t slash = text.rfind('/');
  // A bare address is the network of that one address (/32 or /128).
  if (slash == std::string_view::npos) {
    ASSIGN_OR_RETURN(IpAddress address, ParseEitherFamily(text));
    return AddressObservable(address);
  }
  std::string_view address_text = text.substr(0, slash);
  std::string_view prefix_text = text.substr(slash + 1);
  if (prefix_text.empty()) {
    return Status::Invalid("CIDR " + Quote(text) + " has no prefix length after '/'");
  }
  for (char c : prefix_text) {
    if (!IsDecimal(c)) {
      return Status::Invalid("CIDR prefix length " + Quote(prefix_text) + " is not a number");
    }
  }
  if (prefix_text.size() > 3) {
    return Status::Invalid("CIDR prefix length " + Quote(prefix_text) + " out of range");
  }
  int prefix = std::stoi(std::string(prefix_text));

  bool written_as_v6 = address_text.find(':') != std::string_view::npos ||
                       address_text.find('[') != std::string_view::npos;
  IpAddress address;
  if (written_as_v6) {
    address.is_v4 = false;
    std::string_view body = address_text;
    if (!body.empty() && body.front() == '[' && body.back() == ']' && body.size() >= 2) {
      body = body.substr(1, body.size() - 2);
    }
    size_t zone = body.find('%');
    if (zone != std::string_view::npos) body = body.substr(0, zone);
    Status parsed = ParseIpv6Body(body, address.bytes);
    if (!parsed.ok()) return parsed.WithContext("CIDR " + Quote(text));
    if (prefix > 128) {
      return Status::Invalid("IPv6 prefix length " + std::to_string(prefix) +
                             " out of range (0..128)");
    }
    // ::ffff:0:0/96 and longer lie inside the IPv4-mapped space: they are
    // IPv4 networks written in IPv6.
    if (prefix >= 96 && IsMapped(address)) {
      address = MappedToV4(address);
      prefix -= 96;
    }
  } else {
    Result<IpAddress> parsed = ParseIpv4(address_text);
    if (!parsed.ok()) return parsed.status().WithContext("CIDR " + Quote(text));
    address = *parsed;
    if (prefix > 32) {
      return Status::Invalid("IPv4 prefix length " + std::to_string(prefix) +
                             " out of range (0..32)");
    }
  }
  int bit_count = address.is_v4 ? 32 : 128;
  for (int bit = prefix; bit < bit_count; ++bit) {
    address.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  if (prefix == bit_count) return AddressObservable(address);
  return Observable{ObservableType::kCidr, FormatIp(address) + "/" + std::to_string(prefix)};
}

}  // namespace accord::observable_internal
