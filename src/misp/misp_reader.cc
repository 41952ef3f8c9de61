// ReadMispEvent: MISP event JSON -> records.
//
// The whole file is parsed at once (simdjson DOM): MISP events are single
// JSON documents, bounded by MispReadOptions::max_bytes. Problems with the
// event's own structure (Event.Tag not an array, a bad event uuid) stop the
// read with an error naming the field path; problems with one attribute or
// sighting become a Rejection naming the attribute and the path, and the
// rest of the event is still read.
#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "core/time.h"
#include "misp/misp.h"
#include "misp/misp_event_reader.h"
#include "misp/misp_internal.h"
#include "misp/misp_json.h"

namespace accord {

using misp_internal::Field;
using misp_internal::FieldPath;
using misp_internal::IndexPath;
using misp_internal::JsonArray;
using misp_internal::JsonElement;
using misp_internal::JsonObject;
using misp_internal::OptionalArray;
using misp_internal::OptionalFlag;
using misp_internal::OptionalNumberText;
using misp_internal::OptionalString;

namespace misp_internal {
namespace {

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

void AddUnique(std::vector<std::string>& tags, std::string_view tag) {
  if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.emplace_back(tag);
}

// An event field MISP restricts to a few numbers (threat_level_id 1..4,
// analysis 0..2): nullopt when absent or null. MISP itself refuses any other
// value, so one here is a broken file and, like a bad date, an error naming
// the field; `meaning` lists what the numbers stand for.
Result<std::optional<int64_t>> OptionalGradeNumber(JsonObject event, std::string_view key,
                                                   const std::string& path, int64_t lowest,
                                                   int64_t highest, std::string_view meaning) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalNumberText(event, key, path));
  if (!text) return std::optional<int64_t>();
  int64_t number = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
  if (error != std::errc() || end != text->data() + text->size() || number < lowest ||
      number > highest) {
    return Status::Invalid(FieldPath(path, key) + ": '" + text->substr(0, 24) + "' is not one of " +
                           std::string(meaning));
  }
  return std::optional<int64_t>(number);
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

}  // namespace

// The creator organisation (Orgc: {"id", "name", "uuid"}), its name and
// uuid kept so that a MISP export names it again. An event without one
// (PyMISP files) keeps what was stored.
Status EventReader::ReadCreator(JsonObject event, const std::string& path, EventRecord& record) const {
  auto orgc = OptionalObject(event, "Orgc", path);
  if (!orgc.ok()) return Error(orgc.status());
  if (!orgc->has_value()) return Status::Ok();
  const std::string orgc_path = FieldPath(path, "Orgc");
  auto name = OptionalString(**orgc, "name", orgc_path);
  if (!name.ok()) return Error(name.status());
  auto uuid = OptionalString(**orgc, "uuid", orgc_path);
  if (!uuid.ok()) return Error(uuid.status());
  if (!name->has_value() || (*name)->empty()) return Status::Ok();
  nlohmann::json creator;
  creator["name"] = std::string(**name);
  if (uuid->has_value() && IsUuid(**uuid)) creator["uuid"] = misp_internal::AsciiLower(**uuid);
  record.misp_orgc = creator.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return Status::Ok();
}

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
    // updates the same event instead of creating a twin. Version 4, as the
    // STIX report it is published as should be; the version-5 uuid earlier
    // versions derived lets the importer keep an event stored under it.
    const std::string name = source_name_ + ":" + std::to_string(event_index);
    record.uuid = StableUuidV4(kAccordUuidNamespace, name);
    record.legacy_uuid = UuidV5(kAccordUuidNamespace, name);
  }

  auto info = OptionalString(event, "info", path);
  if (!info.ok()) return Error(info.status());
  if (info->has_value()) record.title = std::string(**info);
  // MISP requires info; an event without it (hand-made, or a library's
  // test file) is named by its uuid rather than listed with no title.
  if (record.title.find_first_not_of(" \t\r\n") == std::string::npos) record.title = "MISP event " + record.uuid;

  RETURN_IF_ERROR(ReadTags(event, path, record));
  auto distribution = OptionalNumberText(event, "distribution", path);
  if (!distribution.ok()) return Error(distribution.status());
  if (!record.tlp && distribution->has_value()) {
    record.tlp = TlpFromDistribution(**distribution);
  }

  auto threat_level = OptionalGradeNumber(event, "threat_level_id", path, 1, 4,
                                          "1 (high), 2 (medium), 3 (low), 4 (undefined)");
  if (!threat_level.ok()) return Error(threat_level.status());
  if (threat_level->has_value()) record.threat_level = ThreatLevelFromNumber(**threat_level);
  auto analysis =
      OptionalGradeNumber(event, "analysis", path, 0, 2, "0 (initial), 1 (ongoing), 2 (completed)");
  if (!analysis.ok()) return Error(analysis.status());
  if (analysis->has_value()) record.analysis = AnalysisStageFromNumber(**analysis);

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

  RETURN_IF_ERROR(ReadDescription(event, path, record));
  RETURN_IF_ERROR(ReadCreator(event, path, record));

  // ShadowAttribute (proposals not yet accepted) is never read: a proposal
  // is not the owner's data.
  auto attributes = OptionalArray(event, "Attribute", path);
  if (!attributes.ok()) return Error(attributes.status());
  // Every MISP event says what it holds: one with none any more clears them.
  linked_in_event_.clear();
  const std::vector<bool> repeated =
      attributes->has_value() ? RepeatedAttributes(**attributes) : std::vector<bool>{};
  record.misp_other_attributes = attributes->has_value() ? OtherAttributes(**attributes, repeated, record.tlp) : "[]";
  auto objects = OptionalArray(event, "Object", path);
  if (!objects.ok()) return Error(objects.status());
  record.misp_objects = objects->has_value() ? KeptObjects(**objects, record.tlp) : "[]";

  const std::string event_uuid = record.uuid;
  event_modified_ = record.modified;
  event_tlp_ = record.tlp;
  RETURN_IF_ERROR(sink_.OnEvent(std::move(record)));

  if (attributes->has_value()) {
    RETURN_IF_ERROR(ReadAttributes(**attributes, FieldPath(path, "Attribute"), "", event_uuid, &repeated));
  }

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
    if (deleted.ok() && deleted->value_or(false)) {
      RETURN_IF_ERROR(WithdrawObject(object, object_path, event_uuid));
      continue;
    }
    auto name = OptionalString(object, "name", object_path);
    auto object_attributes = OptionalArray(object, "Attribute", object_path);
    if (!name.ok() || !object_attributes.ok()) {
      const Status& status = !name.ok() ? name.status() : object_attributes.status();
      Reject(source_name_ + ": " + object_path, "", status.message());
      continue;
    }
    if (!object_attributes->has_value()) continue;
    RETURN_IF_ERROR(ReadAttributes(**object_attributes, FieldPath(object_path, "Attribute"),
                                   name->value_or(""), event_uuid, nullptr));
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
        if (IsUnreadableTlpTag(**name)) {
          sink_.OnReject(Rejection{source_name_ + ": " + tag_path, std::string(**name),
                                   "not a TLP 2.0 level (clear, green, amber, amber+strict, red): the event is "
                                   "held at TLP:RED until its tag is corrected"});
        }
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

// MISP events have no description field; the event's first report
// (EventReport, MISP 2.4.140+: a markdown document attached to the event)
// plays that part, and BuildMispEvent writes the description there.
Status EventReader::ReadDescription(JsonObject event, const std::string& path,
                                    EventRecord& record) const {
  auto reports = OptionalArray(event, "EventReport", path);
  if (!reports.ok()) return Error(reports.status());
  if (!reports->has_value()) return Status::Ok();
  size_t report_idx = 0;
  for (JsonElement element : **reports) {
    std::string report_path = IndexPath(FieldPath(path, "EventReport"), report_idx++);
    JsonObject report;
    if (element.get_object().get(report) != simdjson::SUCCESS) {
      return Error(Status::Invalid(report_path + ": not an object"));
    }
    auto deleted = OptionalFlag(report, "deleted", report_path);
    if (!deleted.ok()) return Error(deleted.status());
    if (deleted->value_or(false)) continue;
    auto content = OptionalString(report, "content", report_path);
    if (!content.ok()) return Error(content.status());
    if (content->has_value() && !(*content)->empty()) {
      record.description = std::string(**content);
      break;
    }
  }
  return Status::Ok();
}

}  // namespace misp_internal

using misp_internal::EventReader;

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
    } else if (misp_internal::LooksLikeEvent(top)) {
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
