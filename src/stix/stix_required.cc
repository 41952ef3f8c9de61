// STIX 2.1's required properties beyond the common ones (bundle_reader.h
// CheckRequiredProperties).
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "stix/bundle_reader.h"
#include "stix/stix_fields.h"
#include "stix/stix_internal.h"

namespace accord::stix_internal {
namespace {

// The type of the object an id names ("malware" of "malware--...").
std::string_view TypeOfId(std::string_view id) {
  const size_t dashes = id.find("--");
  return dashes == std::string_view::npos ? std::string_view() : id.substr(0, dashes);
}

}  // namespace

// Sections 4-5 of STIX 2.1; 2.0 asks the same of relationships and reports.
Status CheckRequiredProperties(simdjson::dom::object object, const CommonFields& common) {
  Properties properties(object);
  const std::string& type = common.type;
  const bool stix21 = !common.from_stix20;
  auto required = [&](std::string_view key) -> Status {
    if (!properties.Has(key)) return Status::Invalid("missing required property \"" + std::string(key) + "\"");
    return Status::Ok();
  };
  auto non_empty_list = [&](std::string_view key) -> Status {
    RETURN_IF_ERROR(required(key));
    std::vector<std::string> list;
    return properties.StringList(key, &list);  // an empty list is an error there
  };
  auto reference = [&](std::string_view key, auto&& acceptable, std::string_view what) -> Status {
    std::string ref;
    RETURN_IF_ERROR(properties.String(key, &ref));
    if (!properties.Has(key)) return Status::Ok();
    const std::string_view ref_type = TypeOfId(ref);
    if (!IsStixIdOfType(ref, ref_type) || !acceptable(ref_type)) {
      return Status::Invalid("property \"" + std::string(key) + "\" must name " + std::string(what) + ", not \"" +
                             ref + "\"");
    }
    return Status::Ok();
  };
  auto is_identity = [](std::string_view t) { return t == "identity"; };
  // STIX 2.1 (5.1): a relationship joins domain or cyber-observable objects.
  auto is_sdo_or_sco = [](std::string_view t) {
    return !t.empty() && t != "relationship" && t != "sighting" && t != "marking-definition" && t != "bundle" &&
           t != "language-content";
  };
  // The order STIX 2.1 asks of an object's seen or observed span (the OASIS
  // validator's timestamp checks): an object breaking it is refused, never
  // stored to be served on as invalid STIX.
  auto not_before = [&](std::string_view first_key, std::string_view last_key) -> Status {
    std::string first, last;
    RETURN_IF_ERROR(properties.Timestamp(first_key, &first));
    RETURN_IF_ERROR(properties.Timestamp(last_key, &last));
    if (first.empty() || last.empty()) return Status::Ok();
    auto first_time = ParseTimestamp(first);
    auto last_time = ParseTimestamp(last);
    if (first_time.ok() && last_time.ok() && *last_time < *first_time) {
      return Status::Invalid("\"" + std::string(last_key) + "\" (" + last + ") is before \"" +
                             std::string(first_key) + "\" (" + first + ")");
    }
    return Status::Ok();
  };
  if (type == "campaign" || type == "infrastructure" || type == "intrusion-set" || type == "malware" ||
      type == "sighting" || type == "threat-actor") {
    RETURN_IF_ERROR(not_before("first_seen", "last_seen"));
  } else if (type == "observed-data") {
    RETURN_IF_ERROR(not_before("first_observed", "last_observed"));
  }
  RETURN_IF_ERROR(reference("created_by_ref", is_identity, "an identity"));
  if (type == "relationship") {
    RETURN_IF_ERROR(required("relationship_type"));
    RETURN_IF_ERROR(required("source_ref"));
    RETURN_IF_ERROR(required("target_ref"));
    RETURN_IF_ERROR(reference("source_ref", is_sdo_or_sco, "a domain or cyber-observable object"));
    RETURN_IF_ERROR(reference("target_ref", is_sdo_or_sco, "a domain or cyber-observable object"));
  } else if (type == "report") {
    RETURN_IF_ERROR(required("published"));
    RETURN_IF_ERROR(non_empty_list("object_refs"));
  } else if (type == "grouping") {
    RETURN_IF_ERROR(required("context"));
    RETURN_IF_ERROR(non_empty_list("object_refs"));
  } else if (stix21 && type == "indicator") {
    RETURN_IF_ERROR(required("pattern_type"));
  } else if (stix21 && type == "malware") {
    RETURN_IF_ERROR(required("is_family"));
    bool is_family = false;
    RETURN_IF_ERROR(properties.Boolean("is_family", &is_family));
    if (is_family) RETURN_IF_ERROR(required("name"));
  }
  return Status::Ok();
}

}  // namespace accord::stix_internal
