#include "exchange/node_built_objects.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/tlp.h"
#include "stix/stix.h"

namespace accord {
namespace {

bool IsTlp2MarkingId(std::string_view id, Tlp& level) {
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    if (id == TlpStixMarkingId(tlp)) {
      level = tlp;
      return true;
    }
  }
  return false;
}

// Every level the copy states (its name, a TLP 1.0 definition, the TLP 2.0
// extension) must be the id's; a name that states none ("Foo") is not
// OASIS's either.
std::string MarkingDisagreement(std::string_view id, Tlp level, std::string_view json) {
  const auto object = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  const std::string refused =
      fmt::format("{} is OASIS's {} marking definition; a copy that says ", id, TlpLabel(level));
  if (!object.is_object()) return refused + "something else is not stored";
  std::vector<std::pair<std::string, std::string>> statements;  // where, what
  if (auto name = object.find("name"); name != object.end()) {
    statements.emplace_back("name", name->is_string() ? name->get<std::string>() : name->dump());
  }
  if (auto definition = object.find("definition"); definition != object.end() && definition->is_object()) {
    for (const auto& [key, value] : definition->items()) {
      if (key == "tlp" || key == "TLP") {
        statements.emplace_back("definition." + key, value.is_string() ? value.get<std::string>() : value.dump());
      }
    }
  }
  if (auto extensions = object.find("extensions"); extensions != object.end() && extensions->is_object()) {
    for (const auto& [extension, body] : extensions->items()) {
      if (!body.is_object()) continue;
      if (auto stated = body.find("tlp_2_0"); stated != body.end()) {
        statements.emplace_back("tlp_2_0", stated->is_string() ? stated->get<std::string>() : stated->dump());
      }
    }
  }
  for (const auto& [where, what] : statements) {
    if (ParseTlp(what) != level) return refused + fmt::format("{} \"{}\" is not stored", where, what);
  }
  return "";
}

}  // namespace

Result<std::optional<std::string>> NodeBuiltObjects::Check(std::string_view type, std::string_view id,
                                                           std::string_view json) {
  Tlp level = Tlp::kClear;
  if (type == "marking-definition" && IsTlp2MarkingId(id, level)) {
    return std::optional<std::string>(MarkingDisagreement(id, level, json));
  }
  // TLP 1.0's are stored as they come (the node builds none), but one
  // that says another level under OASIS's id is refused all the same.
  if (std::optional<Tlp> tlp1 = TlpFromStixMarkingId(id); type == "marking-definition" && tlp1) {
    std::string disagreement = MarkingDisagreement(id, *tlp1, json);
    if (!disagreement.empty()) return std::optional<std::string>(std::move(disagreement));
  }
  if (type != "identity") return std::optional<std::string>();
  if (!identities_) {
    ASSIGN_OR_RETURN(const std::vector<Organisation> organisations, store_.ListOrganisations());
    identities_.emplace();
    // Peers' stand-ins too: their uuids are this node's, and TAXII builds
    // their identities from their rows like any organisation's.
    for (const Organisation& org : organisations) identities_->emplace(StixIdentityId(org.uuid), org.name);
  }
  auto organisation = identities_->find(id);
  if (organisation == identities_->end()) return std::optional<std::string>();
  const auto object = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  const auto name = object.is_object() ? object.find("name") : object.end();
  if (object.is_object() && name != object.end() && name->is_string() &&
      name->get<std::string>() == organisation->second) {
    return std::optional<std::string>("");
  }
  return std::optional<std::string>(fmt::format(
      "{} is the identity of organisation \"{}\" on this node, built from its record: only the "
      "organisation's record changes it, and a copy that says otherwise is not stored",
      id, organisation->second));
}

}  // namespace accord
