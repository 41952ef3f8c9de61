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

// The compact JSON Accord stores and serves for a STIX object read from a
// bundle or a TAXII post: a 2.0 object upgraded to 2.1, a 2.1 object as it
// came, except for what would make it invalid 2.1 where the meaning allows
// one right spelling (see stix_upgrade.cc for what changes and why).
std::string StoredJsonOf(simdjson::dom::object object, std::string_view type, bool from_stix20);
// created and modified as 2.1 requires them: UTC "Z" with at least
// millisecond precision ("2016-04-06T20:03:48Z" -> "2016-04-06T20:03:48.000Z").
std::string WithMilliseconds(std::string_view timestamp);

// Accord keeps one "role" per indicator link (c2, payload-delivery, ...);
// STIX 2.1 has indicator_types, whose values SHOULD come from the
// indicator-type-ov vocabulary (the validator warns on anything else). So
// indicator_types holds only the vocabulary term the role implies (the role
// itself when it is one), and a role that is not a vocabulary term travels
// in x_accord_role, and in labels, which MISP and OpenCTI turn into tags
// (they read no x_ property). The reader takes x_accord_role, else the first
// non-vocabulary value of indicator_types (where Accord wrote the role
// before x_accord_role), else the first value. So a role survives a round
// trip, old exports read as they did, and plain STIX producers still get a
// sensible role ("malicious-activity").
bool IsIndicatorTypeVocabulary(std::string_view value);
std::vector<std::string> IndicatorTypesForRole(std::string_view role);
// Whether `role` says more than indicator_types can (x_accord_role is written).
bool RoleNeedsOwnProperty(std::string_view role);
std::string RoleFromIndicator(std::string_view accord_role,
                              const std::vector<std::string>& indicator_types);

// The object path a value is written under: "ipv4-addr:value",
// "file:hashes.'SHA-256'", ... (patterns name it; observables take the type).
std::string_view PatternPathFor(const Observable& observable);

}  // namespace accord::stix_internal
