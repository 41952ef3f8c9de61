// HTTP hosts and URLs as Zeek and Suricata log them (see
// telemetry_internal.h). Both keep the Host header, the path and the server
// port apart, so the URL an indicator names is rebuilt here, once for both.
#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

HostAndPort SplitHost(std::string_view host) {
  if (host.starts_with('[')) {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return {host, {}};
    std::string_view after = host.substr(close + 1);
    std::string_view port = after.starts_with(':') ? after.substr(1) : std::string_view{};
    return {host.substr(1, close - 1), AllDigits(port) ? port : std::string_view{}};
  }
  // More than one colon: a bare IPv6 address, which has no port.
  size_t colon = host.find(':');
  if (colon == std::string_view::npos || host.find(':', colon + 1) != std::string_view::npos) {
    return {host, {}};
  }
  std::string_view port = host.substr(colon + 1);
  if (!AllDigits(port) && !port.empty()) return {host, {}};
  return {host.substr(0, colon), port};
}

void AppendHostCandidate(std::string_view host, std::string_view victim,
                         std::vector<Candidate>& out) {
  std::string_view name = SplitHost(host).name;
  if (name.empty()) return;
  ObservableType type = ObservableType::kDomain;
  if (IsIpv4(name)) {
    type = ObservableType::kIpv4;
  } else if (IsIpv6(name)) {
    type = ObservableType::kIpv6;
  }
  out.push_back(Candidate{type, name, victim});
}

void AppendUrlHostCandidate(std::string_view url, std::string_view victim,
                            std::vector<Candidate>& out) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return;
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  AppendHostCandidate(authority, victim, out);
}

void AppendHttpCandidates(std::string_view host, std::string_view server, std::string_view uri,
                          std::string_view port, std::string_view victim, Scratch& scratch,
                          std::vector<Candidate>& out) {
  AppendHostCandidate(host, victim, out);
  if (uri.empty()) return;
  if (host.empty()) {
    // HTTP/1.0 and some malware send no Host: the URL is on the address the
    // request went to (URL indicators often name one: http://ip/bins/x.arm).
    if (server.empty() || uri.front() != '/') return;
    host = server;
  }
  if (uri.starts_with("http://") || uri.starts_with("https://")) {  // a request to a proxy
    out.push_back(Candidate{ObservableType::kUrl, uri, victim});
    return;
  }
  if (uri.front() != '/') {
    // CONNECT's authority form: the target, not a path on `host`.
    HostAndPort target = SplitHost(uri);
    if (!target.port.empty()) {
      if (target.name != SplitHost(host).name) AppendHostCandidate(uri, victim, out);
      return;
    }
  }
  HostAndPort host_and_port = SplitHost(host);
  // The normalizer drops :80 from http URLs, so it is never written here;
  // a host that names its port (Host: h:8080) already says it.
  std::string_view written_port = port;
  while (written_port.size() > 1 && written_port.front() == '0') written_port.remove_prefix(1);
  if (!host_and_port.port.empty() || !AllDigits(written_port) || written_port == "80" ||
      written_port == "0") {
    written_port = {};
  }
  // A bare IPv6 host gets the brackets a URL needs.
  const bool bracket = host.find(':') != std::string_view::npos && !host.starts_with('[') &&
                       host_and_port.port.empty() && host_and_port.name == host;
  scratch.Reset(host.size() + uri.size() + written_port.size() + 16);
  std::string_view url = scratch.Append({"http://", bracket ? "[" : "", host, bracket ? "]" : "",
                                         written_port.empty() ? "" : ":", written_port,
                                         uri.front() == '/' ? "" : "/", uri});
  if (!url.empty()) out.push_back(Candidate{ObservableType::kUrl, url, victim});
}

}  // namespace accord::telemetry::internal
