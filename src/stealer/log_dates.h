// The infection time of a machine's log, from the date fields its family
// writes (and, for RedLine and META, the folder name): each family and
// panel culture writes dates its own way. Internal to src/stealer
// (families.cc).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stealer/stealer.h"

namespace accord::stealer::internal {

// RFC 3339 UTC, or empty when the log gives no date; a date that is there but
// cannot be read adds a line to `warnings`.
std::string InfectionTime(Family family, const std::map<std::string, std::string>& fields,
                          std::string_view folder, std::vector<std::string>& warnings);

}  // namespace accord::stealer::internal
