// ReadMispEvent: MISP event JSON -> records.
//
// The whole file is parsed at once (simdjson DOM): MISP events are single
// JSON documents, bounded by MispReadOptions::max_bytes. Problems with the
// event's own structure (Event.Tag not an array, a bad event uuid) stop the
// read with an error naming the field path; problems with one attribute or
// sighting become a Rejection naming the attribute and the path, and the
// rest of the event is still read.
#include <algorithm>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "core/time.h"
#include "misp/misp.h"
#include "misp/misp_internal.h"
#include "misp/misp_json.h"

namespace accord {
namespace {

using misp_internal::Field;
using misp_internal::FieldPath;
using misp_internal::IndexPath;
using misp_internal::JsonArray;
using misp_internal::JsonElement;
using misp_internal::JsonObject;
using misp_internal::OptionalArray;
using misp_internal::OptionalFlag;
using misp_internal::OptionalNumberText;
using misp_internal::OptionalObject;
using misp_internal::OptionalString;

// No observable value is this long; a longer one is a broken or hostile
// file, refused before it reaches the normalizer or the store.
constexpr size_t kMaxValueBytes = 64 * 1024;

// MISP's distribution levels, used for the TLP only when the event carries no
// tlp:* tag. Never wider than what the level promises:
//   0 your organisation only   -> AMBER+STRICT (owner organisation only)
//   1 this community only      -> AMBER (we cannot know the origin's
//                                  community, so the owner and named orgs)
//   2 connected communities    -> GREEN (every member of the receiving node)
//   3 all communities          -> GREEN (still a closed MISP network, never
//                                  CLEAR, which would mean public)
//   4 sharing group            -> AMBER (its members are not in the file)
//   5 inherit / anything else  -> no signal: the importer's default applies
std::optional<Tlp> TlpFromDistribution(std::string_view distribution) {
  if (distribution == "0") return Tlp::kAmberStrict;
  if (distribution == "1" || distribution == "4") return Tlp::kAmber;
  if (distribution == "2" || distribution == "3") return Tlp::kGreen;
  return std::nullopt;
}

// A tag is a TLP marking only with its "tlp:" prefix: a plain "red" or
// "clear" tag is an ordinary tag. "tlp:ex:chr" and the like stay tags.
std::optional<Tlp> TlpFromTag(std::string_view tag) {
  if (!misp_internal::StartsWithIgnoreCase(tag, "tlp:")) return std::nullopt;
  return ParseTlp(tag);
}

// Reads the value of a machine tag `prefix...\"` ("accord:role=\"c2\"").
std::optional<std::string_view> MachineTagValue(std::string_view tag, std::string_view prefix) {
  if (!tag.starts_with(prefix) || !tag.ends_with('"') || tag.size() <= prefix.size()) {
    return std::nullopt;
  }
  return tag.substr(prefix.size(), tag.size() - prefix.size() - 1);
}

void AddUnique(std::vector<std::string>& tags, std::string_view tag) {
  if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.emplace_back(tag);
}

// Detects a bare event object (no "Event" wrapper): PyMISP writes these.
// Anything else at the top level (a galaxy, a lone sighting) is not an event.
bool LooksLikeEvent(JsonObject object) {
  for (std::string_view key : {"info", "Attribute", "Object", "date", "threat_level_id", "Orgc"}) {
    JsonElement ignored;
    if (object.at_key(key).get(ignored) == simdjson::SUCCESS) return true;
  }
  return false;
}

class EventReader {
 public:
  EventReader(std::string source_name, RecordSink& sink)
      : source_name_(std::move(source_name)), sink_(sink) {}

  Status ReadEvent(JsonObject event, const std::string& path, size_t event_index);

 private:
  Status Error(const Status& status) const { return status.WithContext(source_name_); }
  Status ReadTags(JsonObject event, const std::string& path, EventRecord& record) const;
  Status ReadAttributes(JsonArray attributes, const std::string& path,
                        std::string_view object_name, const std::string& event_uuid);
  // An attribute that cannot be used becomes a Rejection; only the sink's
  // errors stop the read.
  Status ReadAttribute(JsonObject attribute, const std::string& path,
                       std::string_view object_name, const std::string& event_uuid);
  Status ReadSightings(JsonArray sightings, const std::string& path,
                       const std::vector<MispValuePart>& parts, const std::string& location);
  void Reject(std::string location, std::string_view value, std::string reason) {
    sink_.OnReject(Rejection{std::move(location), std::string(value), std::move(reason)});
  }

  std::string source_name_;
  RecordSink& sink_;
};

Status EventReader::ReadEvent(JsonObject event, const std::string& path, size_t event_index) {
  EventRecord record;
  record.source = "misp:" + source_name_;

  auto uuid = OptionalString(event, "uuid", path);
  if (!uuid.ok()) return Error(uuid.status());
  if (uuid->has_value()) {
    if (!IsUuid(**uuid)) {
      return Error(Status::Invalid(FieldPath(path, "uuid") + ": '" +
                                   std::string((**uuid).substr(0, 64)) + "' is not a UUID"));
    }
    record.uuid = misp_internal::AsciiLower(**uuid);
  } else {
    // No uuid (PyMISP test files, hand-written events): derive one from the
    // file name and the event's position so a second import of the same file
    // updates the same event instead of creating a twin.
    record.uuid = UuidV5(kAccordUuidNamespace, source_name_ + ":" + std::to_string(event_index));
  }

  auto info = OptionalString(event, "info", path);
  if (!info.ok()) return Error(info.status());
  if (info->has_value()) record.title = std::string(**info);

  RETURN_IF_ERROR(ReadTags(event, path, record));
  if (!record.tlp) {
    auto distribution = OptionalNumberText(event, "distribution", path);
    if (!distribution.ok()) return Error(distribution.status());
    if (distribution->has_value()) record.tlp = TlpFromDistribution(**distribution);
  }

  // date (YYYY-MM-DD) is when the event happened; timestamp is MISP's last
  // change, publish_timestamp its last publication ("0" = never).
  auto date = OptionalString(event, "date", path);
  if (!date.ok()) return Error(date.status());
  if (date->has_value() && !(*date)->empty()) {
    auto created = NormalizeTimestamp(**date);
    if (!created.ok()) return Error(created.status().WithContext(FieldPath(path, "date")));
    record.created = *created;
  }
  for (std::string_view key : {"timestamp", "publish_timestamp"}) {
    auto text = OptionalNumberText(event, key, path);
    if (!text.ok()) return Error(text.status());
    if (!text->has_value() || **text == "0") continue;
    auto modified = NormalizeTimestamp(**text);
    if (!modified.ok()) return Error(modified.status().WithContext(FieldPath(path, key)));
    record.modified = *modified;
    break;
  }

  const std::string event_uuid = record.uuid;
  RETURN_IF_ERROR(sink_.OnEvent(std::move(record)));

  // ShadowAttribute (proposals not yet accepted) is never read: a proposal
  // is not the owner's data.
  auto attributes = OptionalArray(event, "Attribute", path);
  if (!attributes.ok()) return Error(attributes.status());
  if (attributes->has_value()) {
    RETURN_IF_ERROR(ReadAttributes(**attributes, FieldPath(path, "Attribute"), "", event_uuid));
  }

  auto objects = OptionalArray(event, "Object", path);
  if (!objects.ok()) return Error(objects.status());
  if (!objects->has_value()) return Status::Ok();
  size_t object_idx = 0;
  for (JsonElement element : **objects) {
    std::string object_path = IndexPath(FieldPath(path, "Object"), object_idx++);
    JsonObject object;
    if (element.get_object().get(object) != simdjson::SUCCESS) {
      Reject(source_name_ + ": " + object_path, "", object_path + ": not an object");
      continue;
    }
    auto deleted = OptionalFlag(object, "deleted", object_path);
    if (deleted.ok() && deleted->value_or(false)) continue;
    auto name = OptionalString(object, "name", object_path);
    auto object_attributes = OptionalArray(object, "Attribute", object_path);
    if (!name.ok() || !object_attributes.ok()) {
      const Status& status = !name.ok() ? name.status() : object_attributes.status();
      Reject(source_name_ + ": " + object_path, "", status.message());
      continue;
    }
    if (!object_attributes->has_value()) continue;
    RETURN_IF_ERROR(ReadAttributes(**object_attributes, FieldPath(object_path, "Attribute"),
                                   name->value_or(""), event_uuid));
  }
  return Status::Ok();
}

// Event.Tag[].name and the clusters of Event.Galaxy[] become tags; the most
// restrictive tlp:* tag becomes the TLP. MISP lists a galaxy cluster both as
// a tag and under Galaxy, so tags are de-duplicated.
Status EventReader::ReadTags(JsonObject event, const std::string& path,
                             EventRecord& record) const {
  auto tags = OptionalArray(event, "Tag", path);
  if (!tags.ok()) return Error(tags.status());
  if (tags->has_value()) {
    size_t tag_idx = 0;
    for (JsonElement element : **tags) {
      std::string tag_path = IndexPath(FieldPath(path, "Tag"), tag_idx++);
      JsonObject tag;
      if (element.get_object().get(tag) != simdjson::SUCCESS) {
        return Error(Status::Invalid(tag_path + ": not an object"));
      }
      auto name = OptionalString(tag, "name", tag_path);
      if (!name.ok()) return Error(name.status());
      if (!name->has_value() || (*name)->empty()) continue;
      if (std::optional<Tlp> tlp = TlpFromTag(**name)) {
        if (!record.tlp || *tlp > *record.tlp) record.tlp = tlp;
        continue;
      }
      AddUnique(record.tags, **name);
    }
  }

  auto galaxies = OptionalArray(event, "Galaxy", path);
  if (!galaxies.ok()) return Error(galaxies.status());
  if (!galaxies->has_value()) return Status::Ok();
  size_t galaxy_idx = 0;
  for (JsonElement element : **galaxies) {
    std::string galaxy_path = IndexPath(FieldPath(path, "Galaxy"), galaxy_idx++);
    JsonObject galaxy;
    if (element.get_object().get(galaxy) != simdjson::SUCCESS) {
      return Error(Status::Invalid(galaxy_path + ": not an object"));
    }
    auto clusters = OptionalArray(galaxy, "GalaxyCluster", galaxy_path);
    if (!clusters.ok()) return Error(clusters.status());
    if (!clusters->has_value()) continue;
    size_t cluster_idx = 0;
    for (JsonElement cluster_element : **clusters) {
      std::string cluster_path = IndexPath(FieldPath(galaxy_path, "GalaxyCluster"), cluster_idx++);
      JsonObject cluster;
      if (cluster_element.get_object().get(cluster) != simdjson::SUCCESS) {
        return Error(Status::Invalid(cluster_path + ": not an object"));
      }
      auto tag_name = OptionalString(cluster, "tag_name", cluster_path);
      if (!tag_name.ok()) return Error(tag_name.status());
      auto value = OptionalString(cluster, "value", cluster_path);
      if (!value.ok()) return Error(value.status());
      if (tag_name->has_value() && !(*tag_name)->empty()) {
        AddUnique(record.tags, **tag_name);
      } else if (value->has_value() && !(*value)->empty()) {
        AddUnique(record.tags, **value);
      }
    }
  }
  return Status::Ok();
}

Status EventReader::ReadAttributes(JsonArray attributes, const std::string& path,
                                   std::string_view object_name, const std::string& event_uuid) {
  size_t attribute_idx = 0;
  for (JsonElement element : attributes) {
    std::string attribute_path = IndexPath(path, attribute_idx++);
    JsonObject attribute;
    if (element.get_object().get(attribute) != simdjson::SUCCESS) {
      Reject(source_name_ + ": " + attribute_path, "", attribute_path + ": not an object");
      continue;
    }
    RETURN_IF_ERROR(ReadAttribute(attribute, attribute_path, object_name, event_uuid));
  }
  return Status::Ok();
}

// Role: the attribute's category as a slug ("Network activity" ->
// "network-activity"), for attributes inside objects too (the object name,
// "file" or "domain-ip", says what the object is, not what the value did);
// an object attribute without a category takes the object's name. An
// accord:role="..." attribute tag, written by our own export, wins.
Status EventReader::ReadAttribute(JsonObject attribute, const std::string& path,
                                  std::string_view object_name, const std::string& event_uuid) {
  auto deleted = OptionalFlag(attribute, "deleted", path);
  if (deleted.ok() && deleted->value_or(false)) return Status::Ok();

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
    Reject(location, raw_value,
           "type '" + std::string(misp_type.substr(0, 64)) + "' has no observable; kept out");
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
  if (tags->has_value()) {
    for (JsonElement element : **tags) {
      JsonObject tag;
      std::string_view name;
      if (element.get_object().get(tag) != simdjson::SUCCESS ||
          tag.at_key("name").get_string().get(name) != simdjson::SUCCESS) {
        continue;  // attribute tags other than ours carry nothing we keep
      }
      if (auto role = MachineTagValue(name, misp_internal::kRoleTagPrefix)) {
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
      }
    }
  }

  for (const MispValuePart& part : *parts) {
    IndicatorRecord record;
    record.event_uuid = event_uuid;
    record.type = part.type;
    record.value = std::string(part.value);
    record.context = context;
    record.location = location;
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
    bool usable = true;
    for (const Status& status :
         {kind.status(), date.status(), organisation.status(), org_id.status()}) {
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
      RETURN_IF_ERROR(sink_.OnSighting(std::move(record)));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ReadMispEvent(InputStream& in, const MispReadOptions& options, RecordSink& sink) {
  const std::string source_name = options.source_name.empty() ? in.name() : options.source_name;
  ASSIGN_OR_RETURN(std::string text, ReadAll(in, options.max_bytes));

  simdjson::dom::parser parser;
  JsonElement root;
  simdjson::error_code code = parser.parse(text).get(root);
  if (code != simdjson::SUCCESS) {
    return Status::Invalid(source_name + ": not valid JSON: " +
                           misp_internal::DescribeJsonError(text, code));
  }

  EventReader reader(source_name, sink);
  // The shapes MISP and PyMISP write, each event with the path that names it.
  std::vector<std::pair<JsonElement, std::string>> events;
  JsonObject top;
  JsonArray top_array;
  if (root.get_object().get(top) == simdjson::SUCCESS) {
    if (std::optional<JsonElement> event = Field(top, "Event")) {
      events.emplace_back(*event, "Event");
    } else if (std::optional<JsonElement> response = Field(top, "response")) {
      JsonArray response_array;
      if (response->get_array().get(response_array) == simdjson::SUCCESS) {
        size_t entry_idx = 0;
        for (JsonElement entry : response_array) {
          events.emplace_back(entry, IndexPath("response", entry_idx++));
        }
      } else {
        events.emplace_back(*response, "response");
      }
    } else if (LooksLikeEvent(top)) {
      events.emplace_back(root, "");
    } else {
      return Status::Invalid(source_name +
                             ": not a MISP event (no Event, response, info, Attribute or "
                             "Object field at the top level)");
    }
  } else if (root.get_array().get(top_array) == simdjson::SUCCESS) {
    size_t entry_idx = 0;
    for (JsonElement entry : top_array) events.emplace_back(entry, IndexPath("", entry_idx++));
  } else {
    return Status::Invalid(source_name + ": not a MISP event (top level is not an object)");
  }

  size_t event_index = 0;
  for (auto& [element, path] : events) {
    JsonObject event;
    if (element.get_object().get(event) != simdjson::SUCCESS) {
      return Status::Invalid(source_name + ": " + (path.empty() ? "top level" : path) +
                             ": not an object");
    }
    // Entries of a response or an array are usually {"Event": {...}}.
    if (std::optional<JsonElement> inner = Field(event, "Event")) {
      path = FieldPath(path, "Event");
      if (inner->get_object().get(event) != simdjson::SUCCESS) {
        return Status::Invalid(source_name + ": " + path + ": not an object");
      }
    }
    RETURN_IF_ERROR(reader.ReadEvent(event, path, event_index++));
  }
  return Status::Ok();
}

}  // namespace accord
