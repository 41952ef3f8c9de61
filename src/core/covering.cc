// The stored forms a value is also matched through (core/covering.h).
#include "core/covering.h"

#include <string>
#include <string_view>

#include "core/ip.h"

namespace accord {
namespace {

void AddNetworks(IpAddress address, std::vector<Observable>& out) {
  const int bits = address.is_v4 ? 32 : 128;
  // Longest first: each step clears one more host bit of the last.
  for (int length = bits - 1; length >= 1; --length) {
    address.bytes[length / 8] &= static_cast<uint8_t>(~(0x80u >> (length % 8)));
    out.push_back({ObservableType::kCidr, FormatIp(address) + "/" + std::to_string(length)});
  }
}

void AddDomainAndParents(std::string_view domain, bool include_itself, std::vector<Observable>& out) {
  if (include_itself) out.push_back({ObservableType::kDomain, std::string(domain)});
  for (size_t dot = domain.find('.'); dot != std::string_view::npos; dot = domain.find('.', dot + 1)) {
    if (dot + 1 < domain.size()) out.push_back({ObservableType::kDomain, std::string(domain.substr(dot + 1))});
  }
}

// A normalized URL's host: "evil.example", "192.0.2.1" or "2001:db8::1".
std::string_view UrlHost(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string_view{} : authority.substr(1, close - 1);
  }
  return authority.substr(0, authority.find(':'));
}

// A host as the observable it is stored as, and what covers it.
void AddHost(std::string_view host, std::vector<Observable>& out) {
  if (host.empty()) return;
  if (Result<IpAddress> address = ParseIp(host); address.ok()) {
    out.push_back({address->is_v4 ? ObservableType::kIpv4 : ObservableType::kIpv6, FormatIp(*address)});
    AddNetworks(*address, out);
    return;
  }
  AddDomainAndParents(host, /*include_itself=*/true, out);
}

}  // namespace

std::vector<Observable> CoveringObservables(const Observable& observable) {
  std::vector<Observable> out;
  switch (observable.type) {
    case ObservableType::kIpv4:
    case ObservableType::kIpv6:
      if (Result<IpAddress> address = ParseIp(observable.value); address.ok()) AddNetworks(*address, out);
      break;
    case ObservableType::kDomain:
      AddDomainAndParents(observable.value, /*include_itself=*/false, out);
      break;
    case ObservableType::kUrl:
      AddHost(UrlHost(observable.value), out);
      break;
    case ObservableType::kEmail:
      if (size_t at = observable.value.rfind('@'); at != std::string::npos) {
        AddDomainAndParents(std::string_view(observable.value).substr(at + 1), /*include_itself=*/true, out);
      }
      break;
    default:
      break;
  }
  return out;
}

}  // namespace accord
