// URL normalization: RFC 3986 section 6.2.2 (syntax-based) and 6.2.3
// (scheme-based) plus host normalization shared with domains
// (docs/NORMALIZATION.md, "URLs").

#include <string>
#include <string_view>

#include "core/observable.h"
#include "core/observable_internal.h"

namespace accord::observable_internal {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsUnreserved(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

}  // namespace

bool IsUnreservedChar(char c) { return IsUnreserved(c); }

namespace {

bool IsSubDelim(char c) {
  return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendPercentEncoded(unsigned char byte, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 0xf];
}

enum class Component { kUserInfo, kPath, kQueryOrFragment };

bool IsAllowedRaw(char c, Component component) {
  if (IsUnreserved(c) || IsSubDelim(c)) return true;
  switch (component) {
    case Component::kUserInfo:
      return c == ':';
    case Component::kPath:
      return c == ':' || c == '@' || c == '/';
    case Component::kQueryOrFragment:
      return c == ':' || c == '@' || c == '/' || c == '?';
  }
  return false;
}

// RFC 3986 6.2.2.1 and 6.2.2.2: escapes get upper-case hex, escaped
// unreserved characters are decoded. Characters the component may not
// hold raw (non-ASCII bytes, '"', '<', '[', a '%' that starts no escape...)
// are escaped, as browsers do, so that the output is a valid URI.
std::string NormalizePercentEncoding(std::string_view text, Component component) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '%' && pos + 2 < text.size() && HexValue(text[pos + 1]) >= 0 &&
        HexValue(text[pos + 2]) >= 0) {
      auto byte =
          static_cast<unsigned char>(HexValue(text[pos + 1]) * 16 + HexValue(text[pos + 2]));
      if (IsUnreserved(static_cast<char>(byte))) {
        out += static_cast<char>(byte);
      } else {
        AppendPercentEncoded(byte, out);
      }
      pos += 2;
    } else if (c != '%' && IsAllowedRaw(c, component)) {
      out += c;
    } else {
      AppendPercentEncoded(static_cast<unsigned char>(c), out);
    }
  }
  return out;
}

// RFC 3986 5.2.4 for an absolute path (it starts with '/').
std::string RemoveDotSegments(std::string_view path) {
  std::string output;
  std::string_view input = path;
  auto drop_last_segment = [&output]() {
    size_t slash = output.rfind('/');
    output.resize(slash == std::string::npos ? 0 : slash);
  };
  while (!input.empty()) {
    if (input.substr(0, 3) == "../") {
      input.remove_prefix(3);
    } else if (input.substr(0, 2) == "./") {
      input.remove_prefix(2);
    } else if (input.substr(0, 3) == "/./") {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.substr(0, 4) == "/../") {
      input.remove_prefix(3);
      drop_last_segment();
    } else if (input == "/..") {
      input = "/";
      drop_last_segment();
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      size_t next = input.find('/', input[0] == '/' ? 1 : 0);
      if (next == std::string_view::npos) next = input.size();
      output += input.substr(0, next);
      input.remove_prefix(next);
    }
  }
  return output;
}

bool IsValidScheme(std::string_view scheme) {
  if (scheme.empty() || !IsAlpha(scheme[0])) return false;
  for (char c : scheme) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

int DefaultPort(std::string_view scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  if (scheme == "ftp") return 21;
  return -1;
}

struct HostPort {
  std::string host;  // normalized; IPv6 in brackets
  int port = -1;     // -1: none given
};

bool IsAllDigitsAndDots(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c) && c != '.') return false;
  }
  return !text.empty();
}

Result<std::string> NormalizeHost(std::string_view host) {
  if (host.empty()) return Status::Invalid("URL has no host");
  if (host.front() == '[') {
    ASSIGN_OR_RETURN(IpAddress address, ParseIpv6(host));
    // An IPv4-mapped literal is the IPv4 host; write it so that it
    // correlates with the same address elsewhere.
    return address.is_v4 ? FormatIp(address) : "[" + FormatIp(address) + "]";
  }
  std::string decoded;
  for (size_t pos = 0; pos < host.size(); ++pos) {
    if (host[pos] == '%') {
      if (pos + 2 < host.size() && HexValue(host[pos + 1]) >= 0 && HexValue(host[pos + 2]) >= 0) {
        char byte = static_cast<char>(HexValue(host[pos + 1]) * 16 + HexValue(host[pos + 2]));
        if (IsUnreserved(byte)) {
          decoded += byte;
          pos += 2;
          continue;
        }
      }
      return Status::Invalid("URL host " + Quote(host) + " holds a percent-encoded byte");
    }
    decoded += host[pos];
  }
  if (IsAllDigitsAndDots(decoded)) {
    ASSIGN_OR_RETURN(IpAddress address, ParseIpv4(decoded));
    return FormatIp(address);
  }
  Result<std::string> domain = NormalizeDomainName(decoded);
  if (!domain.ok()) return domain.status().WithContext("URL host");
  return domain;
}

Result<HostPort> ParseHostPort(std::string_view text) {
  HostPort result;
  std::string_view host = text;
  std::string_view port;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Status::Invalid("URL host " + Quote(text) + " lacks its ']'");
    }
    host = text.substr(0, close + 1);
    std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return Status::Invalid("URL host " + Quote(text) + " has text after ']'");
      }
      port = after.substr(1);
      has_port = true;
    }
  } else {
    size_t colon = text.rfind(':');
    if (colon != std::string_view::npos) {
      host = text.substr(0, colon);
      port = text.substr(colon + 1);
      has_port = true;
    }
  }
  ASSIGN_OR_RETURN(result.host, NormalizeHost(host));
  // RFC 3986 6.2.3: an empty port ("host:") is the same as none.
  if (has_port && !port.empty()) {
    for (char c : port) {
      if (!IsDigit(c)) return Status::Invalid("URL port " + Quote(port) + " is not a number");
    }
    size_t first_nonzero = port.find_first_not_of('0');
    std::string_view significant =
        first_nonzero == std::string_view::npos ? "0" : port.substr(first_nonzero);
    if (significant.size() > 5 || std::stoi(std::string(significant)) > 65535 ||
        significant == "0") {
      return Status::Invalid("URL port " + std::string(port) + " out of range (1..65535)");
    }
    result.port = std::stoi(std::string(significant));
  }
  return result;
}

}  // namespace

bool LooksLikeSchemelessUrl(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  std::string_view host_port = text.substr(0, slash);
  if (host_port.find_first_of("@?#%") != std::string_view::npos) return false;
  return ParseHostPort(host_port).ok();
}

Result<Observable> NormalizeUrl(std::string_view text) {
  for (size_t pos = 0; pos < text.size(); ++pos) {
    auto byte = static_cast<unsigned char>(text[pos]);
    if (byte <= 0x20 || byte == 0x7f) {
      return Status::Invalid("URL contains white space or a control character at byte " +
                             std::to_string(pos));
    }
  }
  std::string scheme;
  std::string_view rest;
  size_t separator = text.find("://");
  if (separator != std::string_view::npos && IsValidScheme(text.substr(0, separator))) {
    scheme = AsciiLowerCopy(text.substr(0, separator));
    rest = text.substr(separator + 3);
  } else {
    // Plain lists write URLs without a scheme ("evil.example/gate.php");
    // they are web addresses, so http is assumed when what precedes the
    // path is a valid host.
    size_t authority_end = text.find_first_of("/?#");
    std::string_view authority = text.substr(0, authority_end);
    if (authority.empty() || authority.find('@') != std::string_view::npos ||
        !ParseHostPort(authority).ok()) {
      return Status::Invalid("URL " + Quote(text) + " has no scheme (expected scheme://host/...)");
    }
    scheme = "http";
    rest = text;
  }

  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view after_authority =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

  std::string userinfo;
  bool has_userinfo = false;
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    userinfo = NormalizePercentEncoding(authority.substr(0, at), Component::kUserInfo);
    has_userinfo = true;
    authority = authority.substr(at + 1);
  }
  if (authority.empty()) return Status::Invalid("URL " + Quote(text) + " has no host");
  Result<HostPort> host_port = ParseHostPort(authority);
  if (!host_port.ok()) return host_port.status().WithContext("URL " + Quote(text));

  size_t path_end = after_authority.find_first_of("?#");
  std::string_view path = after_authority.substr(0, path_end);
  std::string_view query_and_fragment =
      path_end == std::string_view::npos ? std::string_view() : after_authority.substr(path_end);

  std::string out = scheme + "://";
  if (has_userinfo) out += userinfo + "@";
  out += host_port->host;
  if (host_port->port >= 0 && host_port->port != DefaultPort(scheme)) {
    out += ":" + std::to_string(host_port->port);
  }
  std::string normalized_path = RemoveDotSegments(NormalizePercentEncoding(path, Component::kPath));
  if (normalized_path.empty() && (scheme == "http" || scheme == "https")) normalized_path = "/";
  out += normalized_path;

  // The fragment is dropped: a browser never sends it, so no proxy, sensor
  // or server log holds it, and an indicator that kept it would never match
  // (phishing kits put the victim's address there, which is no indicator).
  if (!query_and_fragment.empty() && query_and_fragment.front() == '?') {
    const size_t hash = query_and_fragment.find('#');
    std::string_view query = query_and_fragment.substr(
        1, hash == std::string_view::npos ? std::string_view::npos : hash - 1);
    out += "?" + NormalizePercentEncoding(query, Component::kQueryOrFragment);
  }
  return Observable{ObservableType::kUrl, std::move(out)};
}

}  // namespace accord::observable_internal

namespace accord {

bool IsNormalUrl(std::string_view text) {
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    rest = text.substr(8);
  } else {
    return false;
  }
  // Host: lower-case letters, digits, '.' and '-', so no userinfo, port,
  // IP literal or anything IDNA would rewrite.
  size_t host_end = 0;
  bool digits_and_dots = true;
  for (; host_end < rest.size() && rest[host_end] != '/'; ++host_end) {
    const char c = rest[host_end];
    const bool digit = c >= '0' && c <= '9';
    if (!(c >= 'a' && c <= 'z') && !digit && c != '.' && c != '-') return false;
    digits_and_dots = digits_and_dots && (digit || c == '.');
  }
  const std::string_view host = rest.substr(0, host_end);
  if (host.empty() || digits_and_dots || host.front() == '.' || host.back() == '.' ||
      host.find("..") != std::string_view::npos || host.starts_with("xn--") ||
      host.find(".xn--") != std::string_view::npos) {
    return false;
  }
  // Path (never empty: http(s) URLs normalize to at least "/") of
  // unreserved characters and '/', without dot segments; then an optional
  // query that adds '=' and '&'. No percent-encoding, no fragment.
  const std::string_view tail = rest.substr(host_end);
  if (tail.empty()) return false;
  bool in_query = false;
  for (size_t pos = 0; pos < tail.size(); ++pos) {
    const char c = tail[pos];
    if (c == '?' && !in_query) {
      in_query = true;
    } else if (observable_internal::IsUnreservedChar(c) || c == '/') {
      // "/." may start a dot segment ("/./", "/..", "/."): leave it to Normalize.
      if (!in_query && c == '.' && tail[pos - 1] == '/') return false;
    } else if (!in_query || (c != '=' && c != '&')) {
      return false;
    }
  }
  return true;
}

}  // namespace accord
