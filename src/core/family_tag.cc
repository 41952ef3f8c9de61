#include "core/family_tag.h"

#include <algorithm>

namespace accord {

std::optional<std::string> MalwareFamilyFromTag(std::string_view tag) {
  for (std::string_view prefix : {"malware:", "malware=", "family:", "family=", "malware_family:",
                                  "malware-family:", "misp-galaxy:malpedia=",
                                  "misp-galaxy:malware=", "misp-galaxy:mitre-malware="}) {
    if (tag.size() > prefix.size() && tag.substr(0, prefix.size()) == prefix) {
      std::string_view family = tag.substr(prefix.size());
      if (family.size() >= 2 && family.front() == '"' && family.back() == '"') {
        family = family.substr(1, family.size() - 2);
      }
      if (!family.empty()) return std::string(family);
    }
  }
  return std::nullopt;
}

void AppendEventFamilies(std::span<const std::string> tags, std::span<const std::string> value_families,
                         std::vector<std::string>& families) {
  auto add = [&families](std::string family) {
    if (std::find(families.begin(), families.end(), family) == families.end()) families.push_back(std::move(family));
  };
  for (const std::string& tag : tags) {
    if (std::optional<std::string> family = MalwareFamilyFromTag(tag)) add(std::move(*family));
  }
  for (const std::string& family : value_families) {
    if (!family.empty()) add(family);
  }
}

}  // namespace accord
