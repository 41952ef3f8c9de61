// Address ranges: see table_rows.h (NetworkOfRange).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "core/ip.h"
#include "exchange/table_rows.h"

namespace accord::exchange_internal {

bool IsPrefixLength(std::string_view text) {
  return !text.empty() && text.size() <= 3 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::string> NetworkOfRange(std::string_view start_name, std::string_view start_text,
                                   std::string_view end_name, std::string_view end_text,
                                   std::string_view prefix_text) {
  auto start = ParseIp(start_text);
  if (!start.ok()) return Status::Invalid(fmt::format("{}: {}", start_name, start.status().message()));
  const int bits = start->is_v4 ? 32 : 128;
  auto bit = [](const IpAddress& a, int i) { return (a.bytes[i / 8] >> (7 - i % 8)) & 1; };
  std::optional<IpAddress> end;
  if (!end_text.empty()) {
    auto parsed = ParseIp(end_text);
    if (!parsed.ok()) return Status::Invalid(fmt::format("{}: {}", end_name, parsed.status().message()));
    if (parsed->is_v4 != start->is_v4) {
      return Status::Invalid(fmt::format("{} {} and {} {} are not of one IP version", start_name, start_text,
                                         end_name, end_text));
    }
    end = *parsed;
  }
  // The range [start, start | host bits of a /prefix]: its last address.
  auto last_of = [&](int prefix) {
    IpAddress last = *start;
    for (int i = prefix; i < bits; ++i) last.bytes[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
    return last;
  };
  auto first_of_block = [&](int prefix) {
    for (int i = prefix; i < bits; ++i) {
      if (bit(*start, i) != 0) return false;
    }
    return true;
  };
  int prefix = -1;
  if (!prefix_text.empty()) {
    prefix = std::stoi(std::string(prefix_text));  // IsPrefixLength: at most three digits
    if (prefix > bits) {
      return Status::Invalid(fmt::format("prefix length {} is more than {} bits", prefix_text, bits));
    }
    if (!first_of_block(prefix)) {
      return Status::Invalid(fmt::format("{} {} is not the first address of a /{} block", start_name,
                                         start_text, prefix));
    }
    if (end && !(*end == last_of(prefix))) {
      return Status::Invalid(fmt::format("{} {} is not the last address of {}/{}", end_name, end_text,
                                         FormatIp(*start), prefix));
    }
  } else if (end) {
    for (int candidate = 0; candidate <= bits && prefix < 0; ++candidate) {
      if (first_of_block(candidate) && *end == last_of(candidate)) prefix = candidate;
    }
    if (prefix < 0) {
      return Status::Invalid(fmt::format("{} {} to {} {} is not one CIDR block", start_name, start_text,
                                         end_name, end_text));
    }
  }
  if (prefix < 0 || prefix == bits) return FormatIp(*start);
  return fmt::format("{}/{}", FormatIp(*start), prefix);
}

}  // namespace accord::exchange_internal
