// Helpers shared by the STIX reader, upgrader and builders. Internal to stix/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/observable.h"

namespace accord::stix_internal {

// Appends `text` as a quoted JSON string (quotes, backslashes and control
// characters escaped; UTF-8 passed through).
void AppendJsonString(std::string& out, std::string_view text);

// Cyber-observable types (SCOs): they carry no created/modified and may omit
// spec_version (which then means 2.1), unlike SDOs and SROs.
bool IsScoType(std::string_view type);

// "<type>--<uuid>" with the given type and an RFC 4122-shaped uuid (hex in
// any case: producers differ and the uuid is only an identity here).
bool IsStixIdOfType(std::string_view id, std::string_view type);
// The uuid part of a valid id.
std::string_view UuidOfStixId(std::string_view id);

// Compact JSON of a STIX 2.0 object upgraded to 2.1 (see stix_upgrade.cc for
// what changes and why).
std::string UpgradeToStix21(simdjson::dom::object object, std::string_view type);

// Accord keeps one "role" per indicator link (c2, payload-delivery, ...);
// STIX 2.1 has indicator_types from the open indicator-type-ov vocabulary.
// The writer puts the vocabulary term the role implies first and the role
// itself after it when it is not a vocabulary term; the reader takes the
// first non-vocabulary value back as the role, else the first value. So a
// role survives a round trip and plain STIX producers still get a sensible
// role ("malicious-activity").
bool IsIndicatorTypeVocabulary(std::string_view value);
std::vector<std::string> IndicatorTypesForRole(std::string_view role);
std::string RoleFromIndicatorTypes(const std::vector<std::string>& indicator_types);

// The object path a value is written under: "ipv4-addr:value",
// "file:hashes.'SHA-256'", ... (patterns name it; observables take the type).
std::string_view PatternPathFor(const Observable& observable);

}  // namespace accord::stix_internal
