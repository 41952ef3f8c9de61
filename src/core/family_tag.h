// The malware family an event tag names. Alerts carry the families of the
// events they hit; the matcher names them when it raises an alert, and the
// store names them again when an event's tags change, so both read tags the
// same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace accord {

// The family in the spellings feeds use: "malware:redline", "family=RedLine",
// 'misp-galaxy:malpedia="RedLine Stealer"'; nullopt for any other tag.
std::optional<std::string> MalwareFamilyFromTag(std::string_view tag);

}  // namespace accord
