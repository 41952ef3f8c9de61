// The malware family an event tag names. Alerts carry the families of the
// events they hit; the matcher names them when it raises an alert, and the
// store names them again when an event's tags change, so both read tags the
// same way.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace accord {

// The family in the spellings feeds use: "malware:redline", "family=RedLine",
// 'misp-galaxy:malpedia="RedLine Stealer"'; nullopt for any other tag.
std::optional<std::string> MalwareFamilyFromTag(std::string_view tag);

// Appends to `families`, once each and in order, the families one event of
// an alert names: those its tags name, then those its source names for the
// matched value alone (a feed's malware column, the alert event's
// value_families). The matcher, the store's alert refresh and the REST
// reads of alerts list them alike.
void AppendEventFamilies(std::span<const std::string> tags, std::span<const std::string> value_families,
                         std::vector<std::string>& families);

}  // namespace accord
