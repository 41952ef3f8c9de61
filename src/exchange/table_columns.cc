// What a table's columns and cells mean (table_rows.h): the header names
// Accord and the feeds CERTs import use, and an address written with its
// port. The rows themselves are read in table_rows.cc.
#include <algorithm>
#include <cctype>

#include "core/ip.h"
#include "exchange/table_rows.h"

namespace accord::exchange_internal {

bool HoldsValue(Column column) {
  return column == Column::kValue || column == Column::kTypedValue || column == Column::kRangeStart;
}

ColumnSpec ClassifyHeader(std::string_view raw) {
  std::string name = Lower(Trim(raw));
  std::replace(name.begin(), name.end(), ' ', '_');
  std::replace(name.begin(), name.end(), '-', '_');
  auto is = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  // Besides Accord's own names, those of the feeds CERTs import daily
  // (abuse.ch URLhaus, ThreatFox, Feodo Tracker and SSLBL dumps).
  if (is({"value", "indicator", "ioc", "observable", "attribute", "ioc_value"})) return {Column::kValue};
  if (is({"type", "indicator_type", "ioc_type"})) return {Column::kType};
  if (is({"event_uuid", "event", "event_id"})) return {Column::kEventUuid};
  if (is({"event_title", "title", "event_info", "info"})) return {Column::kEventTitle};
  if (is({"event_description"})) return {Column::kEventDescription};
  if (is({"event_date"})) return {Column::kEventDate};
  if (is({"tlp"})) return {Column::kTlp};
  if (is({"tags", "tag", "labels", "event_tag"})) return {Column::kTags};
  if (is({"attribute_tag", "attribute_tags"})) return {Column::kAttributeTags};
  if (is({"role", "category", "threat_type", "threat"})) return {Column::kRole};
  if (is({"confidence", "confidence_level"})) return {Column::kConfidence};
  if (is({"first_seen", "firstseen", "valid_from", "first_seen_utc", "dateadded", "date_added",
          "listingdate"})) {
    return {Column::kFirstSeen};
  }
  if (is({"date"})) return {Column::kDate};
  if (is({"last_seen", "lastseen", "last_seen_utc", "last_online"})) return {Column::kLastSeen};
  if (is({"valid_until", "expires", "expiry", "expiration"})) return {Column::kValidUntil};
  if (is({"comment", "description", "note", "listingreason", "reason", "sblid"})) return {Column::kComment};
  if (is({"is_indicator", "to_ids", "is_active"})) return {Column::kIsIndicator};
  if (is({"malware", "malware_printable", "malware_family", "family", "signature"})) return {Column::kFamily};
  if (is({"port", "dst_port", "dstport"})) return {Column::kPort};
  // SSLBL's botnet C2 list and Feodo Tracker's older CSV: "DstIP".
  if (is({"ip", "ipv4", "ip_address", "ipv4_address", "dst_ip", "dstip"})) {
    return {Column::kTypedValue, ObservableType::kIpv4};
  }
  if (is({"ipv6"})) return {Column::kTypedValue, ObservableType::kIpv6};
  if (is({"cidr", "network", "netblock"})) return {Column::kTypedValue, ObservableType::kCidr};
  // Not from_ip/to_ip: a flow's two ends, no range.
  if (is({"start", "start_ip", "ip_start", "first_ip", "range_start", "startip"})) return {Column::kRangeStart};
  if (is({"end", "end_ip", "ip_end", "last_ip", "range_end", "endip"})) return {Column::kRangeEnd};
  if (is({"domain", "hostname", "host", "fqdn", "domain_name"})) return {Column::kTypedValue, ObservableType::kDomain};
  if (is({"url", "uri_full"})) return {Column::kTypedValue, ObservableType::kUrl};
  if (is({"email", "email_address"})) return {Column::kTypedValue, ObservableType::kEmail};
  if (is({"md5", "md5_hash"})) return {Column::kTypedValue, ObservableType::kMd5};
  if (is({"sha1", "sha_1", "sha1_hash"})) return {Column::kTypedValue, ObservableType::kSha1};
  if (is({"sha256", "sha_256", "sha256_hash"})) return {Column::kTypedValue, ObservableType::kSha256};
  if (is({"wallet", "btc", "bitcoin"})) return {Column::kTypedValue, ObservableType::kWallet};
  if (is({"filename", "file_name"})) return {Column::kTypedValue, ObservableType::kFileName};
  return {Column::kIgnored};
}

std::optional<AddressAndPort> SplitAddressPort(std::string_view text, bool port_promised) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size() || colon + 6 < text.size()) {
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  auto hex_or_colon = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; };
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (host.find(':') == std::string_view::npos || !std::all_of(host.begin(), host.end(), hex_or_colon)) {
      return std::nullopt;
    }
    return AddressAndPort{host, port, ObservableType::kIpv6};
  }
  if (port_promised && host.find(':') != std::string_view::npos &&
      std::all_of(host.begin(), host.end(), hex_or_colon) && ParseIp(host).ok()) {
    return AddressAndPort{host, port, ObservableType::kIpv6};
  }
  if (std::count(host.begin(), host.end(), '.') != 3) return std::nullopt;
  auto digit_or_dot = [](char c) { return (c >= '0' && c <= '9') || c == '.'; };
  if (!std::all_of(host.begin(), host.end(), digit_or_dot)) return std::nullopt;
  return AddressAndPort{host, port, ObservableType::kIpv4};
}

}  // namespace accord::exchange_internal
