// BuildMispEvent: one event -> MISP event JSON, readable by MISP, PyMISP and
// ReadMispEvent (which gives back the same records).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/crypto.h"
#include "core/time.h"
#include "misp/misp.h"
#include "misp/misp_internal.h"

namespace accord {
namespace {

using Json = nlohmann::ordered_json;

// The inverse of the reader's distribution fallback, so that a consumer that
// ignores the tlp:* tag still shares no wider than the TLP allows.
std::string_view DistributionForTlp(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear:
      return "3";  // all communities
    case Tlp::kGreen:
      return "2";  // connected communities
    case Tlp::kAmber:
      return "1";  // this community only
    case Tlp::kAmberStrict:
    case Tlp::kRed:
      return "0";  // your organisation only
  }
  return "0";
}

// "2024-05-01T12:00:00.000Z" -> its date and its Unix time, or nothing when
// the text is empty or not a timestamp.
std::optional<TimePoint> ParseOptionalTime(std::string_view text) {
  if (text.empty()) return std::nullopt;
  auto parsed = ParseTimestamp(text);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

std::string MachineTag(std::string_view prefix, std::string_view value) {
  std::string tag(prefix);
  tag += value;
  tag += '"';
  return tag;
}

// One attribute as written: a single value, or a composite MISP attribute
// ("domain|ip", "filename|sha256", "ip-dst|port") that the store holds as
// its parts, each link naming the attribute it came from
// (IndicatorContext::misp_composite_*).
struct WrittenAttribute {
  std::vector<size_t> parts;  // indices into the exported attributes, in MISP's order
  // Parts taken by value that are also written alone: a file name that is
  // an attribute of its own too (it has its own id).
  std::vector<size_t> also_alone;
  size_t lead = 0;  // the part whose id the composite takes (and context, if one value)
  size_t matched = 0;  // a composite's first matched part, whose context it takes
  std::string composite_type;  // empty: a single value
  std::string composite_value;  // the parts' stored values joined as MISP joins them
  std::string port_note;  // what the reader added to the comment for a port ("port 8443")
};

bool SameContext(const IndicatorContext& a, const IndicatorContext& b) {
  return a.role == b.role && a.confidence == b.confidence && a.first_seen == b.first_seen &&
         a.last_seen == b.last_seen && a.valid_until == b.valid_until && a.comment == b.comment;
}

// Where each value is among the exported attributes, by (type, value).
using ValueIndex = std::map<std::pair<ObservableType, std::string_view>, size_t>;

// The composite whose parts are `members`, when it can be written as MISP
// gave it: each part it had is exported (none expired), the parts still
// agree (no other source gave a matched one another end, comment or
// detection flag: a warning-listed part is not for detection), and only the
// part the reader gave the attribute's id (MispEventReader's IdPart) holds
// that id, so that the attribute keeps its uuid and no other attribute's.
// A file name is one link however many composites name it (a file's
// "filename|md5" and "filename|sha256", and a "filename" attribute of its
// own), and names only the last composite: it is taken by value for the
// others. nullopt otherwise: the parts then go as single attributes.
std::optional<WrittenAttribute> WholeComposite(const std::vector<MispExportAttribute>& attributes,
                                               const std::vector<size_t>& members,
                                               const ValueIndex& by_value) {
  const IndicatorContext& first = attributes[members.front()].context;
  // A malware-sample needs its file, which the store does not keep.
  if (first.misp_composite_type.find('|') == std::string::npos) return std::nullopt;
  auto parts = SplitComposite(first.misp_composite_type, first.misp_composite_value);
  if (!parts.ok() || parts->size() < members.size()) return std::nullopt;
  WrittenAttribute whole;
  whole.composite_type = first.misp_composite_type;
  std::optional<bool> detection;
  const IndicatorContext* matched = nullptr;  // the first matched part's: the others agree with it
  size_t members_used = 0;
  for (const MispValuePart& part : *parts) {
    auto member = std::find_if(members.begin(), members.end(), [&](size_t index) {
      return attributes[index].observable.type == part.type &&
             std::find(whole.parts.begin(), whole.parts.end(), index) == whole.parts.end();
    });
    size_t index = 0;
    if (member != members.end()) {
      index = *member;
      ++members_used;
    } else if (auto named = by_value.find({part.type, part.value});
               part.context_only && named != by_value.end()) {
      index = named->second;
    } else {
      return std::nullopt;
    }
    if (!part.context_only) {
      const IndicatorContext& context = attributes[index].context;
      if (matched && (!SameContext(context, *matched) || context.is_indicator != matched->is_indicator)) {
        return std::nullopt;
      }
      if (!matched) {
        matched = &context;
        whole.matched = index;
      }
      detection = context.is_indicator;
    }
    whole.parts.push_back(index);
    if (!whole.composite_value.empty()) whole.composite_value += '|';
    whole.composite_value += attributes[index].observable.value;
    if (!part.port.empty()) {
      whole.composite_value += '|';
      whole.composite_value += part.port;
      whole.port_note = "port " + std::string(part.port.substr(0, 64));
    }
  }
  if (members_used != members.size()) return std::nullopt;
  // The reader's id part: the first matched part for detection, else the first.
  size_t id_part = 0;
  if (detection.value_or(false)) {
    while (id_part < parts->size() && (*parts)[id_part].context_only) ++id_part;
    if (id_part == parts->size()) id_part = 0;
  }
  for (size_t i = 0; i < whole.parts.size(); ++i) {
    const std::string& id = attributes[whole.parts[i]].context.stix_id;
    // A file name, whether it names this composite or is taken by value,
    // may be an attribute of its own too.
    if ((*parts)[i].context_only && i != id_part) {
      if (!id.empty()) whole.also_alone.push_back(whole.parts[i]);
    } else if (id != (i == id_part ? first.misp_composite_id : std::string())) {
      return std::nullopt;
    }
  }
  whole.lead = whole.parts[id_part];
  return whole;
}

// The attributes in the order they come, a composite at its first part's
// place when it is whole; otherwise its parts go as single attributes. A
// part of any whole composite is not written alone.
std::vector<WrittenAttribute> GroupComposites(const std::vector<MispExportAttribute>& attributes) {
  using Key = std::tuple<std::string_view, std::string_view, std::string_view>;
  std::map<Key, std::vector<size_t>> members;
  ValueIndex by_value;
  for (size_t i = 0; i < attributes.size(); ++i) {
    const IndicatorContext& context = attributes[i].context;
    by_value.emplace(std::pair{attributes[i].observable.type, std::string_view(attributes[i].observable.value)}, i);
    if (!context.misp_composite_type.empty()) {
      members[{context.misp_composite_type, context.misp_composite_value, context.misp_composite_id}]
          .push_back(i);
    }
  }
  std::map<size_t, WrittenAttribute> wholes;  // by the place of their first member
  std::vector<bool> in_whole(attributes.size(), false);
  for (const auto& [key, indices] : members) {
    if (std::optional<WrittenAttribute> whole = WholeComposite(attributes, indices, by_value)) {
      for (size_t part : whole->parts) {
        if (std::find(whole->also_alone.begin(), whole->also_alone.end(), part) == whole->also_alone.end()) {
          in_whole[part] = true;
        }
      }
      wholes.emplace(indices.front(), std::move(*whole));
    }
  }
  std::vector<WrittenAttribute> written;
  for (size_t i = 0; i < attributes.size(); ++i) {
    if (auto whole = wholes.find(i); whole != wholes.end()) written.push_back(std::move(whole->second));
    if (!in_whole[i]) written.push_back({.parts = {i}, .lead = i});
  }
  return written;
}

// A composite's context: its matched part's (a file name is shared by every
// composite that names the file, and a later one rewrote its comment and
// dates), with the id of its id part, without the port note the reader
// added to the comment.
MispExportAttribute CompositeContext(const std::vector<MispExportAttribute>& attributes,
                                     const WrittenAttribute& written) {
  MispExportAttribute merged = attributes[written.matched];
  merged.context.stix_id = attributes[written.lead].context.stix_id;
  std::string& comment = merged.context.comment;
  if (!written.port_note.empty()) {
    if (comment == written.port_note) {
      comment.clear();
    } else if (comment.ends_with("; " + written.port_note)) {
      comment.resize(comment.size() - written.port_note.size() - 2);
    }
  }
  return merged;
}

// `timestamp`: the event's, as Unix seconds in a string (empty: none).
// `uuid`: the attribute's own, when it has one to keep (see BuildMispEvent).
// `written`: the composite it is written as, or a single value (no type).
Json BuildAttribute(const std::string& event_uuid, const std::string& timestamp, std::string uuid,
                    const MispExportAttribute& attribute, const WrittenAttribute& written) {
  const Observable& observable = attribute.observable;
  const IndicatorContext& context = attribute.context;
  const bool composite = !written.composite_type.empty();
  const std::string_view value_type =
      composite ? std::string_view(written.composite_type) : misp_internal::ExportMispType(observable);
  const std::string& value = composite ? written.composite_value : observable.value;
  // The type it came as (ip-src, hostname, email-src, ...), unless that
  // type cannot hold this value (a stored type that no longer fits).
  std::string_view misp_type = value_type;
  if (!composite && !context.misp_type.empty() &&
      misp_internal::MispTypeHolds(context.misp_type, observable)) {
    misp_type = context.misp_type;
  }
  Json out;
  // Otherwise deterministic: exporting the same event twice gives the same
  // attribute ids, so a MISP instance updates instead of duplicating. From
  // the value's type, not the type written: ids derived before types were
  // kept stay the same.
  if (uuid.empty()) {
    uuid = UuidV5(kAccordUuidNamespace, event_uuid + "|" + std::string(value_type) + "|" + value);
  }
  out["uuid"] = std::move(uuid);
  out["type"] = misp_type;
  std::optional<std::string_view> category = misp_internal::CategoryForRole(context.role);
  // A role whose category cannot hold this type travels as a tag instead.
  if (category && !misp_internal::CategoryAllowsType(*category, misp_type)) category.reset();
  out["category"] = category ? *category : misp_internal::DefaultCategory(misp_type, observable.type);
  out["value"] = value;
  out["to_ids"] = context.is_indicator;
  // The MISP core format requires these on every attribute; 5: as the event.
  out["distribution"] = "5";
  out["deleted"] = false;
  if (!timestamp.empty()) out["timestamp"] = timestamp;
  out["comment"] = context.comment;
  if (!context.first_seen.empty()) out["first_seen"] = context.first_seen;
  // MISP and PyMISP refuse a last_seen before first_seen (a feed may say
  // so); the earlier bound is what stays true.
  if (!context.last_seen.empty() &&
      (context.first_seen.empty() || context.first_seen <= context.last_seen)) {
    out["last_seen"] = context.last_seen;
  }
  // A role MISP has no category for, a confidence and an expiry travel as
  // machine tags (see misp_internal.h).
  Json tags = Json::array();
  if (!context.role.empty() && !category) {
    tags.push_back({{"name", MachineTag(misp_internal::kRoleTagPrefix, context.role)}});
  }
  if (context.confidence) {
    tags.push_back({{"name", MachineTag(misp_internal::kConfidenceTagPrefix,
                                        std::to_string(*context.confidence))}});
  }
  if (!context.valid_until.empty()) {
    tags.push_back(
        {{"name", MachineTag(misp_internal::kValidUntilTagPrefix, context.valid_until)}});
  }
  // The value's own family (a feed's malware column) as the galaxy tag MISP
  // attaches clusters by; readers of it, Accord's too, take it as the family.
  if (!context.family.empty()) {
    tags.push_back({{"name", "misp-galaxy:malpedia=\"" + context.family + "\""}});
  }
  if (!tags.empty()) out["Tag"] = std::move(tags);
  return out;
}

}  // namespace

namespace {

// What an event file and a feed's manifest entry both say of the event: its
// info, date, grading, timestamp, creator and tags. `timestamp` gets the
// event's Unix time as text (empty when it has none) for its attributes.
void AddEventHeader(const EventRecord& event, Tlp tlp, const MispOrg& orgc, const std::string& event_uuid,
                    Json& out, std::string& timestamp) {
  std::optional<TimePoint> created = ParseOptionalTime(event.created);
  std::optional<TimePoint> modified = ParseOptionalTime(event.modified);
  // MISP refuses an event without info (valueNotEmpty).
  out["info"] = !event.title.empty() ? event.title : "Accord event " + event_uuid;
  if (created) out["date"] = FormatTimestamp(*created).substr(0, 10);  // YYYY-MM-DD
  // The grading an event came with from MISP goes back unchanged, so a
  // MISP instance that takes the event again does not lose it. Events that
  // never had one: 4 (undefined), as Accord does not grade threat, and 2
  // (completed), as what is shared is what we know.
  const ThreatLevel threat_level = event.threat_level.value_or(ThreatLevel::kUndefined);
  const AnalysisStage analysis = event.analysis.value_or(AnalysisStage::kCompleted);
  out["threat_level_id"] = std::to_string(static_cast<int>(threat_level));
  out["analysis"] = std::to_string(static_cast<int>(analysis));
  timestamp.clear();
  if (modified) {
    auto seconds = std::chrono::floor<std::chrono::seconds>(*modified).time_since_epoch();
    timestamp = std::to_string(seconds.count());
    out["timestamp"] = timestamp;
  }
  // The creator organisation: MISP files the event under it (and a feed's
  // events under the feed's own setting when absent). An event that came
  // from MISP keeps the creator it came with: the organisation that
  // imported it is only passing it on.
  MispOrg creator = orgc;
  if (event.misp_orgc && !event.misp_orgc->empty()) {
    Json kept = Json::parse(*event.misp_orgc, nullptr, /*allow_exceptions=*/false);
    if (kept.is_object() && kept.contains("name") && kept["name"].is_string() &&
        !kept["name"].get<std::string>().empty()) {
      creator.name = kept["name"].get<std::string>();
      creator.uuid = kept.contains("uuid") && kept["uuid"].is_string() ? kept["uuid"].get<std::string>() : "";
    }
  }
  if (!creator.name.empty()) {
    Json org;
    org["name"] = creator.name;
    if (!creator.uuid.empty()) org["uuid"] = creator.uuid;
    out["Orgc"] = std::move(org);
  }
  Json tags = Json::array();
  tags.push_back({{"name", "tlp:" + std::string(TlpName(tlp))}});
  for (const std::string& tag : event.tags) {
    // The TLP argument decides the marking; a stale tlp:* tag must not
    // contradict it.
    if (misp_internal::StartsWithIgnoreCase(tag, "tlp:") && ParseTlp(tag)) continue;
    tags.push_back({{"name", tag}});
  }
  out["Tag"] = std::move(tags);
}

// The attributes without observables a MISP event came with, as they came
// (see EventRecord::misp_other_attributes). One without a uuid gets one
// derived as BuildAttribute derives its, so a second export updates it in
// MISP; one whose uuid another attribute already took is left out (MISP
// refuses a uuid twice).
void AppendOtherAttributes(const EventRecord& event, Tlp tlp, const std::string& event_uuid,
                           const std::string& timestamp, std::set<std::string>& used_uuids,
                           Json& attribute_array) {
  if (!event.misp_other_attributes || event.misp_other_attributes->empty()) return;
  Json kept = Json::parse(*event.misp_other_attributes, nullptr, /*allow_exceptions=*/false);
  if (!kept.is_array()) return;
  for (Json& attribute : kept) {
    // Marked more strictly than the event: not for its readers (kept so by
    // nodes before the reader left such attributes out).
    if (!attribute.is_object() || !attribute.contains("type") || !attribute.contains("value") ||
        !attribute["type"].is_string() || !attribute["value"].is_string() ||
        misp_internal::MarkedStricterThan(attribute, tlp)) {
      continue;
    }
    if (!attribute.contains("uuid") || !attribute["uuid"].is_string() ||
        attribute["uuid"].get<std::string>().empty()) {
      attribute["uuid"] = UuidV5(kAccordUuidNamespace, event_uuid + "|" + attribute["type"].get<std::string>() +
                                                           "|" + attribute["value"].get<std::string>());
    }
    if (!used_uuids.insert("indicator--" + attribute["uuid"].get<std::string>()).second) continue;
    if (!attribute.contains("to_ids")) attribute["to_ids"] = false;
    if (!attribute.contains("timestamp") && !timestamp.empty()) attribute["timestamp"] = timestamp;
    attribute_array.push_back(std::move(attribute));
  }
}

// The values of a kept object's attribute, as the store holds them: a
// value the reader linked from an object attribute without a uuid of its
// own (or whose uuid went to another part) is found by these.
using ObjectValues = std::set<std::pair<ObservableType, std::string>>;

void NoteObjectValues(const Json& attribute, ObjectValues& values) {
  if (!attribute.contains("type") || !attribute.contains("value") || !attribute["type"].is_string() ||
      !attribute["value"].is_string()) {
    return;
  }
  const std::string& value = attribute["value"].get_ref<const std::string&>();
  Result<std::vector<MispValuePart>> parts = SplitComposite(attribute["type"].get<std::string>(), value);
  if (!parts.ok()) return;
  for (const MispValuePart& part : *parts) {
    Result<Observable> normalized = Normalize(part.type, part.value);
    if (normalized.ok()) values.emplace(normalized->type, normalized->value);
  }
}

// The objects a MISP event came with, whole (EventRecord::misp_objects),
// and the uuids and values of the attributes in them: those attributes are
// written in their objects, not again at the top level, where MISP would
// hold each twice.
Json KeptObjects(const EventRecord& event, Tlp tlp, const std::string& timestamp,
                 std::set<std::string>& object_uuids, ObjectValues& object_values) {
  Json objects = Json::array();
  if (!event.misp_objects || event.misp_objects->empty()) return objects;
  Json kept = Json::parse(*event.misp_objects, nullptr, /*allow_exceptions=*/false);
  if (!kept.is_array()) return objects;
  for (Json& object : kept) {
    if (!object.is_object() || !object.contains("Attribute") || !object["Attribute"].is_array() ||
        misp_internal::MarkedStricterThan(object, tlp)) {
      continue;
    }
    Json readable = Json::array();
    for (Json& attribute : object["Attribute"]) {
      if (misp_internal::MarkedStricterThan(attribute, tlp)) continue;
      if (attribute.contains("uuid") && attribute["uuid"].is_string()) {
        object_uuids.insert("indicator--" + attribute["uuid"].get<std::string>());
      }
      NoteObjectValues(attribute, object_values);
      readable.push_back(std::move(attribute));
    }
    object["Attribute"] = std::move(readable);
    if (!object.contains("timestamp") && !timestamp.empty()) object["timestamp"] = timestamp;
    objects.push_back(std::move(object));
  }
  return objects;
}

std::string EventUuid(const EventRecord& event) {
  return event.uuid.empty() ? UuidV5(kAccordUuidNamespace, "event:" + event.title) : event.uuid;
}

}  // namespace

std::string BuildMispFeedManifestEntry(const EventRecord& event, Tlp tlp, const MispOrg& orgc) {
  Json out;
  std::string timestamp;
  AddEventHeader(event, tlp, orgc, EventUuid(event), out, timestamp);
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string BuildMispEvent(const EventRecord& event, Tlp tlp,
                           const std::vector<MispExportAttribute>& attributes, const MispOrg& orgc) {
  const std::string event_uuid = EventUuid(event);
  Json out;
  out["uuid"] = event_uuid;
  std::string timestamp;
  AddEventHeader(event, tlp, orgc, event_uuid, out, timestamp);
  out["distribution"] = DistributionForTlp(tlp);
  out["published"] = false;
  if (!event.description.empty()) {
    // MISP has no event description; an event report carries it (see
    // ReadDescription in misp_reader.cc).
    out["EventReport"] = Json::array({Json{
        {"uuid", UuidV5(kAccordUuidNamespace, event_uuid + "|description")},
        {"name", event.title.empty() ? std::string("Description") : event.title},
        {"content", event.description},
        {"distribution", "5"}}});  // 5: same as the event
  }
  // An event that came from MISP gives each attribute the uuid it came with
  // (the MISP reader keeps it as indicator--<uuid>), so the instance it came
  // from, or any that holds it, updates its attributes instead of adding
  // copies. Other events' STIX ids are not MISP attribute uuids: a STIX
  // indicator may sit in several reports, and MISP refuses an attribute
  // uuid twice. Once per event, for the same reason.
  const bool keep_attribute_uuids = event.source.starts_with("misp:");
  std::set<std::string> object_uuids;
  ObjectValues object_values;
  Json objects = KeptObjects(event, tlp, timestamp, object_uuids, object_values);
  std::set<std::string> used_uuids = object_uuids;
  Json attribute_array = Json::array();
  for (const WrittenAttribute& written : GroupComposites(attributes)) {
    const MispExportAttribute attribute = written.composite_type.empty()
                                              ? attributes[written.lead]
                                              : CompositeContext(attributes, written);
    std::string uuid;
    constexpr std::string_view kIndicatorPrefix = "indicator--";
    const std::string& stix_id = attribute.context.stix_id;
    if (keep_attribute_uuids && object_uuids.count(stix_id) > 0) continue;  // in its object
    // No uuid of its own (an object attribute without one, the file name of
    // a malware-sample): a value an object holds is that object's.
    if (keep_attribute_uuids && stix_id.empty() && written.composite_type.empty() &&
        object_values.contains({attribute.observable.type, attribute.observable.value})) {
      continue;
    }
    if (keep_attribute_uuids && stix_id.starts_with(kIndicatorPrefix) &&
        IsUuid(std::string_view(stix_id).substr(kIndicatorPrefix.size())) &&
        used_uuids.insert(stix_id).second) {
      uuid = stix_id.substr(kIndicatorPrefix.size());
    }
    attribute_array.push_back(BuildAttribute(event_uuid, timestamp, std::move(uuid), attribute, written));
  }
  AppendOtherAttributes(event, tlp, event_uuid, timestamp, used_uuids, attribute_array);
  out["Attribute"] = std::move(attribute_array);
  if (!objects.empty()) out["Object"] = std::move(objects);

  Json document;
  document["Event"] = std::move(out);
  // Invalid UTF-8 in a title or value is replaced, never thrown about.
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace accord
