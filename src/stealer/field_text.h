// Small text helpers the log parsers share (families.cc, log_dates.cc):
// labels are matched without regard to case and values without the spaces
// around them. Internal to src/stealer.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace accord::stealer::internal {

inline std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

inline std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace accord::stealer::internal
