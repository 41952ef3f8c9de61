// Whether two copies of one STIX object version (the same id and
// modified) are the same object (exchange.h).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/tlp.h"
#include "exchange/exchange.h"
#include "stix/stix.h"

namespace accord {
namespace {

// An observed-data's "objects" map as a 2.0 release wrote it: without the
// ids the upgrade gives its objects, references by the map's keys. One
// stored by an Accord from before the upgrade gave them ids is then the
// same object as the upgraded one.
void WithoutEmbeddedIds(nlohmann::json& object) {
  auto objects = object.find("objects");
  if (objects == object.end() || !objects->is_object()) return;
  std::unordered_map<std::string, std::string> keys;  // id -> map key
  for (auto& [key, entry] : objects->items()) {
    if (!entry.is_object()) continue;
    if (auto id = entry.find("id"); id != entry.end() && id->is_string()) {
      keys.emplace(id->get<std::string>(), key);
      entry.erase(id);
    }
  }
  if (keys.empty()) return;
  auto rewrite = [&keys](auto& self, nlohmann::json& value, bool is_reference) -> void {
    if (is_reference && value.is_string()) {
      if (auto key = keys.find(value.get<std::string>()); key != keys.end()) value = key->second;
    } else if (value.is_object()) {
      for (auto& [name, member] : value.items()) {
        self(self, member, name.ends_with("_ref") || name.ends_with("_refs"));
      }
    } else if (value.is_array()) {
      for (auto& element : value) self(self, element, is_reference);
    }
  };
  rewrite(rewrite, *objects, false);
}

}  // namespace

// Equal as JSON values: the same object written by another serializer
// (key order, spacing, number spelling) is the same object. So is one
// version released as STIX 2.0 and as 2.1 (MITRE ATT&CK publishes both):
// the upgrade adds spec_version and a malware's is_family, and the 2.1
// release drops the labels 2.0 required, so those are not compared; nor
// are the ids the upgrade gives an observed-data's embedded objects.
bool SameStixVersion(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto left = nlohmann::json::parse(a, nullptr, /*allow_exceptions=*/false);
  auto right = nlohmann::json::parse(b, nullptr, /*allow_exceptions=*/false);
  if (left.is_discarded() || right.is_discarded() || !left.is_object() || !right.is_object()) return false;
  for (const char* release_only : {"spec_version", "is_family", "labels"}) {
    left.erase(release_only);
    right.erase(release_only);
  }
  WithoutEmbeddedIds(left);
  WithoutEmbeddedIds(right);
  // A TLP marking added on the way out to an object that came unmarked
  // (TAXII and export mark what is held above AMBER) is no other content:
  // the object coming back from a peer is the same version. The levels
  // themselves are the store's business, kept with the stored copy.
  for (nlohmann::json* side : {&left, &right}) {
    auto refs = side->find("object_marking_refs");
    if (refs == side->end() || !refs->is_array()) continue;
    refs->erase(std::remove_if(refs->begin(), refs->end(),
                               [](const nlohmann::json& ref) {
                                 return ref.is_string() && TlpFromStixMarkingId(ref.get<std::string>());
                               }),
                refs->end());
    if (refs->empty()) side->erase(refs);
  }
  // One instant in two spellings ("...:00Z", "...:00.000Z") is one version.
  for (nlohmann::json* side : {&left, &right}) {
    for (const char* instant : {"created", "modified"}) {
      auto value = side->find(instant);
      if (value != side->end() && value->is_string()) *value = CanonicalStixTimestamp(value->get<std::string>());
    }
    // A pattern as 2.0 wrote it and as the node stores it, in 2.1's syntax
    // (StoredFormOfStixObject), is one pattern.
    auto pattern = side->find("pattern");
    if (pattern != side->end() && pattern->is_string()) {
      if (auto in_21 = PatternInStix21Syntax(pattern->get<std::string>())) *pattern = *in_21;
    }
  }
  return left == right;
}

}  // namespace accord
