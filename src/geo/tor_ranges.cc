// Tor's range files held as two sorted arrays searched by binary search.
//
// Layout: one flat vector per family of {low, high, two-letter code}. Debian's
// files hold about 385k IPv4 and 277k IPv6 ranges; a std::string per range
// would roughly triple the memory, and a sorted flat array needs no index
// beyond itself. The arrays are built once and never change, so concurrent
// lookups need no lock.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/io.h"
#include "geo/geo.h"

namespace accord::geo {
namespace {

// {0, 0} never appears: unknown ranges are dropped while reading.
using CountryCode = std::array<char, 2>;
// Network byte order, so std::array's lexicographic order is numeric order.
using Ipv6Bytes = std::array<uint8_t, 16>;

template <typename Address>
struct Range {
  Address low;
  Address high;
  CountryCode country;
};


uint32_t ToUint32(const IpAddress& address) {
  return (uint32_t{address.bytes[0]} << 24) | (uint32_t{address.bytes[1]} << 16) |
         (uint32_t{address.bytes[2]} << 8) | uint32_t{address.bytes[3]};
}

std::string FormatAddress(uint32_t value) {
  IpAddress address;
  address.is_v4 = true;
  for (int byte_idx = 0; byte_idx < 4; ++byte_idx) {
    address.bytes[byte_idx] = static_cast<uint8_t>(value >> (24 - 8 * byte_idx));
  }
  return FormatIp(address);
}

std::string FormatAddress(const Ipv6Bytes& bytes) {
  IpAddress address;
  address.is_v4 = false;
  address.bytes = bytes;
  return FormatIp(address);
}

std::string_view TrimSpace(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

Result<uint32_t> ParseIpv4Field(std::string_view field) {
  uint32_t value = 0;
  const char* end = field.data() + field.size();
  auto [stop, error] = std::from_chars(field.data(), end, value);
  if (field.empty() || error != std::errc() || stop != end) {
    return Status::Invalid(
        fmt::format("'{}' is not an IPv4 address as a decimal number (0..4294967295)", field));
  }
  return value;
}

Result<Ipv6Bytes> ParseIpv6Field(std::string_view field) {
  // ParseIp would accept a dotted quad as IPv4; in geoip6 that is a mistake.
  if (field.find(':') == std::string_view::npos) {
    return Status::Invalid(fmt::format("'{}' is not an IPv6 address", field));
  }
  ASSIGN_OR_RETURN(IpAddress address, ParseIp(field));
  if (!address.is_v4) return address.bytes;
  // ParseIp reads ::ffff:a.b.c.d as IPv4. Inside an IPv6 range the mapped
  // form is still the right number, so put it back rather than reject it.
  Ipv6Bytes mapped{};
  mapped[10] = 0xff;
  mapped[11] = 0xff;
  std::copy_n(address.bytes.begin(), 4, mapped.begin() + 12);
  return mapped;
}

// Returns {0, 0} for unknown ("??" or empty).
Result<CountryCode> ParseCountry(std::string_view field) {
  if (field.empty() || field == "??") return CountryCode{};
  const auto is_letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (field.size() != 2 || !is_letter(field[0]) || !is_letter(field[1])) {
    return Status::Invalid(fmt::format("country code '{}' is not two letters", field));
  }
  const auto upper = [](char c) { return c >= 'a' ? static_cast<char>(c - 'a' + 'A') : c; };
  return CountryCode{upper(field[0]), upper(field[1])};
}

// Reads "LOW,HIGH,CC" lines from `in`, then sorts them (when they are not
// sorted already, as Debian's are) and rejects overlaps. `line_bytes_hint`
// is about the shortest line the family's file holds: the vectors are
// reserved from the file's size, since growing them by doubling (copies and
// fresh pages each time) was most of the quarter second Debian's files took
// to load at `accord match`'s first alert.
template <typename Address, typename ParseField>
Result<std::vector<Range<Address>>> ReadRanges(InputStream& in, ParseField parse_field,
                                               uint64_t line_bytes_hint) {
  std::vector<Range<Address>> ranges;
  // Each range's line, only to name both culprits of an overlap.
  std::vector<uint64_t> lines;
  constexpr uint64_t kMostReserved = uint64_t{1} << 22;
  const uint64_t expected = std::min(in.compressed_size() / line_bytes_hint, kMostReserved);
  ranges.reserve(expected);
  lines.reserve(expected);
  // Debian's files, comments included, have no line over 81 bytes. A small
  // limit also keeps LineReader's buffer at its 64 KiB floor instead of 1 MiB,
  // which dominated the cost of parsing a small text (fuzz_geo_ranges).
  constexpr size_t kMaxLine = 4096;
  LineReader reader(in, kMaxLine);
  std::string_view line;
  while (reader.Next(line)) {
    const std::string_view text = TrimSpace(line);
    if (text.empty() || text.front() == '#') continue;
    const auto fail = [&](const Status& status) {
      return status.WithContext(fmt::format("{}:{}", in.name(), reader.line_number()));
    };
    const size_t first_comma = text.find(',');
    const size_t second_comma =
        first_comma == std::string_view::npos ? first_comma : text.find(',', first_comma + 1);
    if (second_comma == std::string_view::npos ||
        text.find(',', second_comma + 1) != std::string_view::npos) {
      return fail(Status::Invalid("expected LOW,HIGH,COUNTRY"));
    }
    auto low = parse_field(TrimSpace(text.substr(0, first_comma)));
    if (!low.ok()) return fail(low.status());
    auto high =
        parse_field(TrimSpace(text.substr(first_comma + 1, second_comma - first_comma - 1)));
    if (!high.ok()) return fail(high.status());
    auto country = ParseCountry(TrimSpace(text.substr(second_comma + 1)));
    if (!country.ok()) return fail(country.status());
    if (*high < *low) {
      return fail(Status::Invalid(fmt::format("range starts at {} after its end {}",
                                              FormatAddress(*low), FormatAddress(*high))));
    }
    if (*country == CountryCode{}) continue;  // says no more than a gap would
    ranges.push_back(Range<Address>{*low, *high, *country});
    lines.push_back(reader.line_number());
  }
  RETURN_IF_ERROR(reader.status());

  const auto by_start = [&](size_t a, size_t b) { return ranges[a].low < ranges[b].low; };
  const bool sorted = std::is_sorted(ranges.begin(), ranges.end(),
                                     [](const Range<Address>& a, const Range<Address>& b) {
                                       return a.low < b.low;
                                     });
  if (!sorted) {
    std::vector<size_t> order(ranges.size());
    for (size_t range_idx = 0; range_idx < order.size(); ++range_idx) order[range_idx] = range_idx;
    std::sort(order.begin(), order.end(), by_start);
    std::vector<Range<Address>> sorted_ranges;
    std::vector<uint64_t> sorted_lines;
    sorted_ranges.reserve(order.size());
    sorted_lines.reserve(order.size());
    for (size_t from : order) {
      sorted_ranges.push_back(ranges[from]);
      sorted_lines.push_back(lines[from]);
    }
    ranges = std::move(sorted_ranges);
    lines = std::move(sorted_lines);
  }
  // Sorted by start, the ranges are disjoint exactly when each one starts
  // after its predecessor ends, so neighbours are all that need checking.
  for (size_t range_idx = 1; range_idx < ranges.size(); ++range_idx) {
    if (ranges[range_idx].low > ranges[range_idx - 1].high) continue;
    const bool second_later = lines[range_idx] > lines[range_idx - 1];
    const size_t later = second_later ? range_idx : range_idx - 1;
    const size_t earlier = second_later ? range_idx - 1 : range_idx;
    return Status::Invalid(fmt::format(
        "{}:{}: range {}-{} overlaps range {}-{} on line {}", in.name(), lines[later],
        FormatAddress(ranges[later].low), FormatAddress(ranges[later].high),
        FormatAddress(ranges[earlier].low), FormatAddress(ranges[earlier].high), lines[earlier]));
  }
  return ranges;
}

template <typename Address>
const CountryCode* FindCountry(const std::vector<Range<Address>>& ranges, const Address& address) {
  auto after = std::upper_bound(
      ranges.begin(), ranges.end(), address,
      [](const Address& value, const Range<Address>& range) { return value < range.low; });
  if (after == ranges.begin()) return nullptr;
  const Range<Address>& candidate = *std::prev(after);
  return address <= candidate.high ? &candidate.country : nullptr;
}

class TorRangeDatabase final : public GeoDatabase {
 public:
  TorRangeDatabase(std::string description, std::vector<Range<uint32_t>> ipv4,
                   std::vector<Range<Ipv6Bytes>> ipv6)
      : description_(std::move(description)), ipv4_(std::move(ipv4)), ipv6_(std::move(ipv6)) {}
  TorRangeDatabase(const TorRangeDatabase&) = delete;
  TorRangeDatabase& operator=(const TorRangeDatabase&) = delete;

  GeoInfo Lookup(const IpAddress& address) const override {
    const CountryCode* country =
        address.is_v4 ? FindCountry(ipv4_, ToUint32(address)) : FindCountry(ipv6_, address.bytes);
    GeoInfo info;
    if (country != nullptr) info.country.assign(country->data(), country->size());
    return info;
  }
  std::string Describe() const override { return description_; }

 private:
  const std::string description_;
  const std::vector<Range<uint32_t>> ipv4_;
  const std::vector<Range<Ipv6Bytes>> ipv6_;
};

// Plain bytes already in memory. ParseTorRanges uses this rather than
// OpenInputFromMemory so that fuzzing spends its time in the range parser,
// not in libarchive's format detection (about 15 ms a run under ASan).
class TextStream final : public InputStream {
 public:
  TextStream(std::string name, std::string_view text) : name_(std::move(name)), text_(text) {}
  Result<size_t> Read(char* buf, size_t max) override {
    const size_t count = std::min(max, text_.size() - offset_);
    std::copy_n(text_.data() + offset_, count, buf);
    offset_ += count;
    return count;
  }
  const std::string& name() const override { return name_; }
  uint64_t compressed_offset() const override { return offset_; }
  uint64_t compressed_size() const override { return text_.size(); }

 private:
  const std::string name_;
  const std::string_view text_;
  size_t offset_ = 0;
};

// Either stream may be null to skip that family.
Result<std::unique_ptr<GeoDatabase>> BuildTorRanges(InputStream* ipv4_in, InputStream* ipv6_in,
                                                    std::string description) {
  std::vector<Range<uint32_t>> ipv4;
  std::vector<Range<Ipv6Bytes>> ipv6;
  if (ipv4_in != nullptr) {
    ASSIGN_OR_RETURN(ipv4, ReadRanges<uint32_t>(*ipv4_in, ParseIpv4Field, 20));
  }
  if (ipv6_in != nullptr) {
    ASSIGN_OR_RETURN(ipv6, ReadRanges<Ipv6Bytes>(*ipv6_in, ParseIpv6Field, 40));
  }
  return std::unique_ptr<GeoDatabase>(
      std::make_unique<TorRangeDatabase>(std::move(description), std::move(ipv4), std::move(ipv6)));
}

}  // namespace

Result<std::unique_ptr<GeoDatabase>> OpenTorRanges(const std::string& ipv4_path,
                                                   const std::string& ipv6_path) {
  if (ipv4_path.empty() && ipv6_path.empty()) {
    return Status::Invalid("Tor geoip ranges: neither an IPv4 nor an IPv6 file given");
  }
  std::unique_ptr<InputStream> ipv4_in;
  std::unique_ptr<InputStream> ipv6_in;
  if (!ipv4_path.empty()) {
    ASSIGN_OR_RETURN(ipv4_in, OpenInput(ipv4_path));
  }
  if (!ipv6_path.empty()) {
    ASSIGN_OR_RETURN(ipv6_in, OpenInput(ipv6_path));
  }
  std::string description = "tor-geoip:" + ipv4_path;
  if (!ipv6_path.empty()) description += (ipv4_path.empty() ? "" : ",") + ipv6_path;
  return BuildTorRanges(ipv4_in.get(), ipv6_in.get(), std::move(description));
}

Result<std::unique_ptr<GeoDatabase>> ParseTorRanges(std::string_view ipv4_text,
                                                    std::string_view ipv6_text,
                                                    std::string_view name) {
  TextStream ipv4_in(std::string(name), ipv4_text);
  TextStream ipv6_in(std::string(name) + "6", ipv6_text);
  return BuildTorRanges(&ipv4_in, &ipv6_in, "tor-geoip:" + std::string(name));
}

}  // namespace accord::geo
