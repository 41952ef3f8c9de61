// EventReader's attribute half: attributes (top level and in objects) ->
// IndicatorRecords, their sightings -> SightingRecords, and a Rejection for
// each attribute that cannot be used.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto.h"
#include "core/family_tag.h"
#include "core/time.h"
#include "misp/misp.h"
#include "misp/misp_event_reader.h"
#include "misp/misp_internal.h"
#include "misp/misp_json.h"

namespace accord::misp_internal {
namespace {

// No observable value is this long; a longer one is a broken or hostile
// file, refused before it reaches the normalizer or the store.
constexpr size_t kMaxValueBytes = 64 * 1024;

// Reads the value of a machine tag `prefix...\"` ("accord:role=\"c2\"").
std::optional<std::string_view> MachineTagValue(std::string_view tag, std::string_view prefix) {
  if (!tag.starts_with(prefix) || !tag.ends_with('"') || tag.size() <= prefix.size()) {
    return std::nullopt;
  }
  return tag.substr(prefix.size(), tag.size() - prefix.size() - 1);
}

// The part of a composite attribute whose link carries the attribute's id:
// two indicators cannot share an id, so only one does. The first that is
// matched (the hash of a "filename|md5" for detection), else the first.
size_t IdPart(const std::vector<MispValuePart>& parts, bool for_detection) {
  size_t id_part = 0;
  while (for_detection && id_part < parts.size() && parts[id_part].context_only) ++id_part;
  return id_part == parts.size() ? 0 : id_part;
}

}  // namespace

// Kept whole, so a MISP export gives back the links, texts and
// vulnerabilities a MISP event came with; less what only means something in
// the MISP instance that wrote it (its row ids, sharing group, sightings,
// proposals). Distribution 5 (as the event): on this node the event's TLP
// decides who reads them, as for every other attribute.
std::string EventReader::OtherAttributes(JsonArray attributes, const std::vector<bool>& repeated,
                                         std::optional<Tlp> event_tlp) {
  nlohmann::ordered_json kept = nlohmann::ordered_json::array();
  size_t attribute_idx = 0;
  for (JsonElement element : attributes) {
    const bool repeats = attribute_idx < repeated.size() && repeated[attribute_idx];
    ++attribute_idx;
    JsonObject attribute;
    std::string_view type;
    std::string_view value;
    if (element.get_object().get(attribute) != simdjson::SUCCESS ||
        attribute.at_key("type").get_string().get(type) != simdjson::SUCCESS ||
        attribute.at_key("value").get_string().get(value) != simdjson::SUCCESS ||
        value.size() > kMaxValueBytes || (MispTypeToObservable(type) && !repeats)) {
      continue;
    }
    auto deleted = OptionalFlag(attribute, "deleted", "");
    if (!deleted.ok() || deleted->value_or(false)) continue;
    nlohmann::ordered_json copy =
        nlohmann::ordered_json::parse(simdjson::to_string(element), nullptr, /*allow_exceptions=*/false);
    if (!copy.is_object() || MarkedStricterThan(copy, event_tlp)) continue;
    for (const char* local : {"id", "event_id", "object_id", "sharing_group_id", "Sighting",
                              "ShadowAttribute", "SharingGroup", "Event"}) {
      copy.erase(local);
    }
    copy["distribution"] = "5";
    kept.push_back(std::move(copy));
  }
  return kept.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Objects kept whole the same way, each attribute in them as above (all of
// them: the object is the unit MISP shares and edits), its references to
// other objects and attributes by uuid as they came.
std::string EventReader::KeptObjects(JsonArray objects, std::optional<Tlp> event_tlp) {
  nlohmann::ordered_json kept = nlohmann::ordered_json::array();
  for (JsonElement element : objects) {
    JsonObject object;
    if (element.get_object().get(object) != simdjson::SUCCESS) continue;
    auto deleted = OptionalFlag(object, "deleted", "");
    if (!deleted.ok() || deleted->value_or(false)) continue;
    nlohmann::ordered_json copy =
        nlohmann::ordered_json::parse(simdjson::to_string(element), nullptr, /*allow_exceptions=*/false);
    if (!copy.is_object() || !copy.contains("name") || !copy["name"].is_string() ||
        MarkedStricterThan(copy, event_tlp)) {
      continue;
    }
    for (const char* local : {"id", "event_id", "sharing_group_id", "SharingGroup", "Event"}) copy.erase(local);
    copy["distribution"] = "5";
    nlohmann::ordered_json attributes = nlohmann::ordered_json::array();
    if (copy.contains("Attribute") && copy["Attribute"].is_array()) {
      for (nlohmann::ordered_json& attribute : copy["Attribute"]) {
        if (!attribute.is_object() || (attribute.contains("deleted") && attribute["deleted"] == true)) continue;
        if (!attribute.contains("type") || !attribute["type"].is_string() || !attribute.contains("value") ||
            !attribute["value"].is_string() || attribute["value"].get_ref<const std::string&>().size() > kMaxValueBytes ||
            MarkedStricterThan(attribute, event_tlp)) {
          continue;
        }
        for (const char* local : {"id", "event_id", "object_id", "sharing_group_id", "Sighting",
                                  "ShadowAttribute", "SharingGroup", "Event"}) {
          attribute.erase(local);
        }
        attribute["distribution"] = "5";
        attributes.push_back(std::move(attribute));
      }
    }
    copy["Attribute"] = std::move(attributes);
    if (copy.contains("ObjectReference") && copy["ObjectReference"].is_array()) {
      for (nlohmann::ordered_json& reference : copy["ObjectReference"]) {
        if (!reference.is_object()) continue;
        for (const char* local : {"id", "object_id", "event_id", "referenced_id", "Object", "Attribute"}) {
          reference.erase(local);
        }
      }
    }
    kept.push_back(std::move(copy));
  }
  return kept.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<bool> EventReader::RepeatedAttributes(JsonArray attributes) {
  std::vector<bool> repeated;
  for (JsonElement element : attributes) {
    JsonObject attribute;
    repeated.push_back(element.get_object().get(attribute) == simdjson::SUCCESS && RepeatsLinkedValues(attribute));
  }
  return repeated;
}

bool EventReader::RepeatsLinkedValues(JsonObject attribute) {
  std::string_view type;
  std::string_view value;
  if (attribute.at_key("type").get_string().get(type) != simdjson::SUCCESS ||
      attribute.at_key("value").get_string().get(value) != simdjson::SUCCESS || value.size() > kMaxValueBytes ||
      !MispTypeToObservable(type)) {
    return false;
  }
  auto deleted = OptionalFlag(attribute, "deleted", "");
  auto to_ids = OptionalFlag(attribute, "to_ids", "");
  auto parts = SplitComposite(type, value);
  if (!deleted.ok() || deleted->value_or(false) || !to_ids.ok() || !parts.ok()) return false;
  // A value marked apart from its event (its own tlp: tag) may go to a
  // companion event: it is linked as it always was.
  bool marked = false;
  if (auto tags = OptionalArray(attribute, "Tag", ""); tags.ok() && tags->has_value()) {
    for (JsonElement element : **tags) {
      JsonObject tag;
      std::string_view name;
      if (element.get_object().get(tag) == simdjson::SUCCESS &&
          tag.at_key("name").get_string().get(name) == simdjson::SUCCESS && TlpFromTag(name)) {
        marked = true;
      }
    }
  }
  std::vector<std::pair<std::pair<ObservableType, std::string>, bool>> values;  // value, as indicator
  bool all_linked = true;
  bool any_matched_part = false;
  for (const MispValuePart& part : *parts) {
    Result<Observable> observable = Normalize(part.type, part.value);
    if (!observable.ok()) return false;  // rejected when read: nothing to repeat
    const bool indicator = to_ids->value_or(false) && !part.context_only;
    values.push_back({{observable->type, observable->value}, indicator});
    // A file name beside a hash only describes the file: a "filename|md5"
    // whose hash is linked repeats it, whatever its name.
    if (part.context_only) continue;
    any_matched_part = true;
    auto linked = linked_in_event_.find(values.back().first);
    if (linked == linked_in_event_.end() || (indicator && !linked->second)) all_linked = false;
  }
  if (any_matched_part && all_linked && !marked) return true;
  for (const auto& [key, indicator] : values) {
    bool& as_indicator = linked_in_event_[key];
    as_indicator = as_indicator || indicator;
  }
  return false;
}

Status EventReader::ReadAttributes(JsonArray attributes, const std::string& path,
                                   std::string_view object_name, const std::string& event_uuid,
                                   const std::vector<bool>* repeated) {
  size_t attribute_idx = 0;
  for (JsonElement element : attributes) {
    const size_t index = attribute_idx;
    std::string attribute_path = IndexPath(path, attribute_idx++);
    JsonObject attribute;
    if (element.get_object().get(attribute) != simdjson::SUCCESS) {
      Reject(source_name_ + ": " + attribute_path, "", attribute_path + ": not an object");
      continue;
    }
    // An object's attributes are kept whole with it (KeptObjects): one that
    // repeats a linked value only needs no second link.
    const bool repeats = repeated ? index < repeated->size() && (*repeated)[index] : RepeatsLinkedValues(attribute);
    RETURN_IF_ERROR(ReadAttribute(attribute, attribute_path, object_name, event_uuid, repeats));
  }
  return Status::Ok();
}

// MISP keeps a deleted attribute (soft deletion) and sends it with
// `deleted: true` to whoever syncs deleted data; its uuid is what the
// values of its earlier copy were linked under (ReadAttribute). An
// attribute without a version-4 uuid was never linked by one.
Status EventReader::WithdrawDeleted(JsonObject attribute, const std::string& path, const std::string& event_uuid) {
  auto uuid = OptionalString(attribute, "uuid", path);
  if (!uuid.ok() || !uuid->has_value() || !IsUuidV4(**uuid)) return Status::Ok();
  std::string stix_id = "indicator--" + std::string(**uuid);
  for (char& c : stix_id) c = static_cast<char>(c >= 'A' && c <= 'F' ? c + 32 : c);
  Withdrawal withdrawal{std::move(stix_id), event_modified_, source_name_ + ": attribute " + std::string(**uuid),
                        event_uuid, {}};
  // A composite's parts besides the one that carried the id were linked
  // without one (ReadAttribute): a deleted "domain|ip" ends its address too.
  auto misp_type = OptionalString(attribute, "type", path);
  auto raw_value = OptionalString(attribute, "value", path);
  if (misp_type.ok() && misp_type->has_value() && raw_value.ok() && raw_value->has_value()) {
    auto to_ids = OptionalFlag(attribute, "to_ids", path);
    if (auto parts = SplitComposite(**misp_type, **raw_value); parts.ok()) {
      const size_t id_part = IdPart(*parts, to_ids.ok() && to_ids->value_or(false));
      for (size_t i = 0; i < parts->size(); ++i) {
        if (i != id_part) withdrawal.parts_without_id.emplace_back((*parts)[i].type, std::string((*parts)[i].value));
      }
    }
  }
  auto timestamp = OptionalNumberText(attribute, "timestamp", path);
  if (timestamp.ok() && timestamp->has_value() && **timestamp != "0") {
    auto at = NormalizeTimestamp(**timestamp);
    if (at.ok()) withdrawal.at = *at;
  }
  return sink_.OnWithdrawal(std::move(withdrawal));
}

Status EventReader::WithdrawObject(JsonObject object, const std::string& path, const std::string& event_uuid) {
  auto attributes = OptionalArray(object, "Attribute", path);
  if (!attributes.ok() || !attributes->has_value()) return Status::Ok();
  for (JsonElement element : **attributes) {
    JsonObject attribute;
    if (element.get_object().get(attribute) != simdjson::SUCCESS) continue;
    RETURN_IF_ERROR(WithdrawDeleted(attribute, path, event_uuid));
  }
  return Status::Ok();
}

// Role: the attribute's category as a slug ("Network activity" ->
// "network-activity"), for attributes inside objects too (the object name,
// "file" or "domain-ip", says what the object is, not what the value did);
// an object attribute without a category takes the object's name. An
// accord:role="..." attribute tag, written by our own export, wins.
Status EventReader::ReadAttribute(JsonObject attribute, const std::string& path,
                                  std::string_view object_name, const std::string& event_uuid, bool repeated) {
  auto deleted = OptionalFlag(attribute, "deleted", path);
  if (deleted.ok() && deleted->value_or(false)) return WithdrawDeleted(attribute, path, event_uuid);

  auto uuid = OptionalString(attribute, "uuid", path);
  std::string location = source_name_ + ": " + path;
  if (uuid.ok() && uuid->has_value() && !(*uuid)->empty()) {
    location = source_name_ + ": attribute " + std::string((*uuid)->substr(0, 64));
  }

  auto type = OptionalString(attribute, "type", path);
  auto value = OptionalString(attribute, "value", path);
  for (const Status& status : {uuid.status(), type.status(), value.status()}) {
    if (!status.ok()) {
      Reject(location, "", status.message());
      return Status::Ok();
    }
  }
  if (!type->has_value()) {
    Reject(location, "", FieldPath(path, "type") + ": missing");
    return Status::Ok();
  }
  if (!value->has_value()) {
    Reject(location, "", FieldPath(path, "value") + ": missing");
    return Status::Ok();
  }
  std::string_view misp_type = **type;
  std::string_view raw_value = **value;
  if (raw_value.size() > kMaxValueBytes) {
    Reject(location, raw_value.substr(0, 256),
           FieldPath(path, "value") + ": " + std::to_string(raw_value.size()) +
               " bytes, longer than the " + std::to_string(kMaxValueBytes) + " byte limit");
    return Status::Ok();
  }
  if (!MispTypeToObservable(misp_type)) {
    // Kept whole with its event (OtherAttributes) or object (KeptObjects),
    // unless marked more strictly than the event.
    const nlohmann::ordered_json copy = nlohmann::ordered_json::parse(simdjson::to_string(attribute), nullptr,
                                                                      /*allow_exceptions=*/false);
    const bool left_out = copy.is_object() && MarkedStricterThan(copy, event_tlp_);
    NoteNotMatched(location, raw_value,
                   "type '" + std::string(misp_type.substr(0, 64)) + "' has no observable; " +
                       (left_out              ? "not kept: marked more strictly than its event"
                        : object_name.empty() ? "kept with the event, not matched"
                                              : "kept with its object, not matched"));
    return Status::Ok();
  }
  auto parts = SplitComposite(misp_type, raw_value);
  if (!parts.ok()) {
    Reject(location, raw_value, FieldPath(path, "value") + ": " + parts.status().message());
    return Status::Ok();
  }

  IndicatorContext context;
  auto to_ids = OptionalFlag(attribute, "to_ids", path);
  auto category = OptionalString(attribute, "category", path);
  auto comment = OptionalString(attribute, "comment", path);
  auto tags = OptionalArray(attribute, "Tag", path);
  auto sightings = OptionalArray(attribute, "Sighting", path);
  for (const Status& status : {to_ids.status(), category.status(), comment.status(),
                               tags.status(), sightings.status()}) {
    if (!status.ok()) {
      Reject(location, raw_value, status.message());
      return Status::Ok();
    }
  }
  // MISP's own default: an attribute is not for detection unless it says so.
  context.is_indicator = to_ids->value_or(false);
  if (category->has_value() && !(*category)->empty()) {
    context.role = misp_internal::RoleFromCategory(**category);
  } else {
    context.role = misp_internal::RoleFromCategory(object_name);
  }
  if (comment->has_value()) context.comment = std::string(**comment);
  for (std::string_view key : {"first_seen", "last_seen"}) {
    auto text = OptionalString(attribute, key, path);
    if (!text.ok()) {
      Reject(location, raw_value, text.status().message());
      return Status::Ok();
    }
    if (!text->has_value() || (*text)->empty()) continue;
    auto normalized = NormalizeTimestamp(**text);
    if (!normalized.ok()) {
      Reject(location, raw_value, FieldPath(path, key) + ": " + normalized.status().message());
      return Status::Ok();
    }
    (key == "first_seen" ? context.first_seen : context.last_seen) = *normalized;
  }
  // An attribute's own tlp: tag: the most restrictive one, when the
  // attribute is marked apart from its event.
  std::optional<Tlp> value_tlp;
  if (tags->has_value()) {
    for (JsonElement element : **tags) {
      JsonObject tag;
      std::string_view name;
      if (element.get_object().get(tag) != simdjson::SUCCESS ||
          tag.at_key("name").get_string().get(name) != simdjson::SUCCESS) {
        continue;  // attribute tags other than ours carry nothing we keep
      }
      if (std::optional<Tlp> tlp = TlpFromTag(name)) {
        if (!value_tlp || *tlp > *value_tlp) value_tlp = tlp;
      } else if (auto role = MachineTagValue(name, misp_internal::kRoleTagPrefix)) {
        context.role = std::string(*role);
      } else if (auto until = MachineTagValue(name, misp_internal::kValidUntilTagPrefix)) {
        if (auto normalized = NormalizeTimestamp(*until); normalized.ok()) {
          context.valid_until = *normalized;
        }
      } else if (auto confidence = MachineTagValue(name, misp_internal::kConfidenceTagPrefix)) {
        int number = 0;
        bool valid = !confidence->empty() && confidence->size() <= 3;
        for (char c : *confidence) {
          valid = valid && c >= '0' && c <= '9';
          if (valid) number = number * 10 + (c - '0');
        }
        if (valid && number <= 100) context.confidence = number;
      } else if (std::optional<std::string> family = MalwareFamilyFromTag(name)) {
        // A galaxy cluster or malware tag on the attribute alone: the family
        // of this value, as a feed's malware column gives it (alerts name it).
        context.family = std::move(*family);
      }
    }
  }
  // MISP's distribution 0, "your organisation only", is TLP:AMBER+STRICT,
  // as for an event (TlpFromDistribution).
  if (auto distribution = OptionalNumberText(attribute, "distribution", path);
      distribution.ok() && distribution->has_value() && **distribution == "0" &&
      (!value_tlp || *value_tlp < Tlp::kAmberStrict)) {
    value_tlp = Tlp::kAmberStrict;
  }

  // The attribute's uuid travels as the STIX id misp-stix gives its
  // indicator (indicator--<attribute uuid>): the derived indicator served over
  // TAXII then has the id a partner converting the same MISP event gets, a
  // STIX sighting of it finds this link, and a MISP export gives the
  // attribute its own uuid back (a MISP instance then updates the attribute
  // instead of adding a copy). Only a version-4 uuid, as STIX asks of
  // indicator ids (MISP mints nothing else); only one value of a composite
  // attribute (IdPart).
  std::string attribute_stix_id;
  if (uuid->has_value() && IsUuidV4(**uuid)) {
    attribute_stix_id = "indicator--" + std::string(**uuid);
    for (char& c : attribute_stix_id) c = static_cast<char>(c >= 'A' && c <= 'F' ? c + 32 : c);
  }
  const size_t id_part = IdPart(*parts, context.is_indicator);
  for (size_t i = 0; i < parts->size() && !repeated; ++i) {
    const MispValuePart& part = (*parts)[i];
    IndicatorRecord record;
    record.event_uuid = event_uuid;
    record.type = part.type;
    record.value = std::string(part.value);
    record.context = context;
    record.context.is_indicator = context.is_indicator && !part.context_only;
    record.context.misp_type = std::string(part.misp_type);
    if (misp_type.find('|') != std::string_view::npos) {
      record.context.misp_composite_type = std::string(misp_type);
      record.context.misp_composite_value = std::string(raw_value);
      record.context.misp_composite_id = attribute_stix_id;
    }
    if (!part.port.empty()) {
      std::string& comment = record.context.comment;
      comment += (comment.empty() ? "port " : "; port ") + std::string(part.port.substr(0, 64));
    }
    if (i == id_part) record.context.stix_id = attribute_stix_id;
    record.location = location;
    record.tlp = value_tlp;
    RETURN_IF_ERROR(sink_.OnIndicator(std::move(record)));
  }
  if (sightings->has_value()) {
    RETURN_IF_ERROR(ReadSightings(**sightings, FieldPath(path, "Sighting"), *parts, location));
  }
  return Status::Ok();
}

// Only MISP sighting type 0 is a sighting; type 1 is a false-positive report
// and type 2 an expiration, neither of which means the value was seen.
Status EventReader::ReadSightings(JsonArray sightings, const std::string& path,
                                  const std::vector<MispValuePart>& parts,
                                  const std::string& location) {
  size_t sighting_idx = 0;
  for (JsonElement element : sightings) {
    std::string sighting_path = IndexPath(path, sighting_idx++);
    JsonObject sighting;
    if (element.get_object().get(sighting) != simdjson::SUCCESS) {
      Reject(location, "", sighting_path + ": not an object");
      continue;
    }
    auto kind = OptionalNumberText(sighting, "type", sighting_path);
    auto date = OptionalNumberText(sighting, "date_sighting", sighting_path);
    auto organisation = OptionalObject(sighting, "Organisation", sighting_path);
    auto org_id = OptionalNumberText(sighting, "org_id", sighting_path);
    auto sighting_uuid = OptionalString(sighting, "uuid", sighting_path);
    bool usable = true;
    for (const Status& status :
         {kind.status(), date.status(), organisation.status(), org_id.status(), sighting_uuid.status()}) {
      if (usable && !status.ok()) {
        Reject(location, "", status.message());
        usable = false;
      }
    }
    if (!usable || (kind->has_value() && **kind != "0")) continue;

    std::string seen;
    if (date->has_value()) {
      auto normalized = NormalizeTimestamp(**date);
      if (!normalized.ok()) {
        Reject(location, "", FieldPath(sighting_path, "date_sighting") + ": " +
                                 normalized.status().message());
        continue;
      }
      seen = *normalized;
    }
    std::string source;
    if (organisation->has_value()) {
      auto name = OptionalString(**organisation, "name", FieldPath(sighting_path, "Organisation"));
      if (name.ok() && name->has_value()) source = std::string(**name);
    }
    if (source.empty() && org_id->has_value()) source = "MISP org " + **org_id;

    for (const MispValuePart& part : parts) {
      SightingRecord record;
      record.type = part.type;
      record.value = std::string(part.value);
      record.count = 1;
      record.first_seen = seen;
      record.last_seen = seen;
      record.source = source;
      record.location = location;
      // MISP names each sighting: imported again, it is the same one.
      if (sighting_uuid->has_value() && !(*sighting_uuid)->empty()) {
        record.origin_id = "misp-sighting:" + std::string((*sighting_uuid)->substr(0, 64));
      }
      RETURN_IF_ERROR(sink_.OnSighting(std::move(record)));
    }
  }
  return Status::Ok();
}

}  // namespace accord::misp_internal
