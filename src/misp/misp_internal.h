// Helpers shared by the MISP reader, writer and warning-list matcher; not
// part of the module's face (misp.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/observable.h"
#include "core/tlp.h"

namespace accord::misp_internal {

// An indicator's role travels through MISP as an attribute tag
// accord:role="c2" when it is not one of MISP's own categories, so that a
// MISP export read back gives the same role. Confidence and expiry, which
// MISP attributes cannot carry, travel the same way.
inline constexpr std::string_view kRoleTagPrefix = "accord:role=\"";
inline constexpr std::string_view kConfidenceTagPrefix = "accord:confidence=\"";
inline constexpr std::string_view kValidUntilTagPrefix = "accord:valid-until=\"";

// "Network activity" -> "network-activity": lower case, spaces and
// underscores become hyphens.
std::string RoleFromCategory(std::string_view category);
// The MISP category whose role name is `role` ("payload-delivery" ->
// "Payload delivery"), or nullopt when the role is not a MISP category.
std::optional<std::string_view> CategoryForRole(std::string_view role);
// Whether MISP accepts an attribute of `misp_type` (one ExportMispType
// writes) in `category`: MISP refuses a pair its categoryDefinitions do not
// list, and PyMISP quietly drops the category. Only pairs known to be valid
// answer true.
bool CategoryAllowsType(std::string_view category, std::string_view misp_type);
// The category MISP would give an attribute of this type by default.
std::string_view NaturalCategory(ObservableType type);
// The same for an attribute of `misp_type` holding a value of `type`
// (target-email: "Targeting data", whois-registrant-email: "Attribution").
std::string_view DefaultCategory(std::string_view misp_type, ObservableType type);
// Whether an attribute of the single-value `misp_type` can hold `observable`
// ("ip-src" an IPv6 address or a network, "hostname" a domain); false for
// composite types and types with no observable.
bool MispTypeHolds(std::string_view misp_type, const Observable& observable);
// Our type -> the MISP attribute type an export writes.
std::string_view ExportMispType(ObservableType type);
// The same for a value: a wallet's currency is told by its address (Monero
// and Dash have MISP types of their own; anything else is written btc).
std::string_view ExportMispType(const Observable& observable);

// Every observable type an attribute of `misp_type` can carry: both parts of
// composites, and ipv4, ipv6 and cidr for the address types. Empty for types
// with no observable.
std::vector<ObservableType> ObservableTypesOf(std::string_view misp_type);

// ASCII lower case (MISP tags, hostnames and hashes are ASCII).
std::string AsciiLower(std::string_view text);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);
// A tag is a TLP marking only with its "tlp:" prefix: a plain "red" or
// "clear" tag is an ordinary tag. "tlp:ex:chr" and the like stay tags.
std::optional<Tlp> TlpFromTag(std::string_view tag);
// A tlp: tag that names no level (not tlp:ex:*, not tlp:unclear):
// TlpFromTag holds it at RED, and the reader says why.
bool IsUnreadableTlpTag(std::string_view tag);

// The marking of a MISP attribute or object as JSON (either nlohmann type):
// its strictest tlp: tag, and distribution 0 ("your organisation only") as
// TLP:AMBER+STRICT. nullopt when it has neither.
template <typename JsonT>
std::optional<Tlp> MarkingOf(const JsonT& attribute) {
  std::optional<Tlp> marking;
  if (auto distribution = attribute.find("distribution"); distribution != attribute.end()) {
    if ((distribution->is_string() && *distribution == "0") || (distribution->is_number() && *distribution == 0)) {
      marking = Tlp::kAmberStrict;
    }
  }
  if (auto tags = attribute.find("Tag"); tags != attribute.end() && tags->is_array()) {
    for (const auto& tag : *tags) {
      if (!tag.is_object() || !tag.contains("name") || !tag["name"].is_string()) continue;
      if (std::optional<Tlp> tlp = TlpFromTag(tag["name"].template get_ref<const std::string&>())) {
        if (!marking || *tlp > *marking) marking = tlp;
      }
    }
  }
  return marking;
}

// Whether such an attribute or object, kept whole with its event, is marked
// more strictly than the event: any marking but CLEAR when the event states
// no level (the import's default decides it).
template <typename JsonT>
bool MarkedStricterThan(const JsonT& attribute, std::optional<Tlp> event_tlp) {
  const std::optional<Tlp> marking = MarkingOf(attribute);
  if (!marking) return false;
  if (!event_tlp) return *marking != Tlp::kClear;
  return !FitsWithin(*marking, *event_tlp);
}

}  // namespace accord::misp_internal
