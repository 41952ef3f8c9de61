// ReadStixBundle, the object side: checks one parsed object and pushes its
// records. Every handler reads and checks all it needs before it emits
// anything, so an invalid object is rejected whole, never half-written.
//
// Group events. Indicators and observables need an event. When a report seen
// earlier in the stream names them, they go under that report's event;
// otherwise under one "group" event per TLP level of the bundle, emitted the
// first time the level is met. Its uuid must be the same on every import of
// the same file, so it is UuidV5(kAccordUuidNamespace, key + ":" + level)
// where key is "stix-bundle:<bundle id>:source:<source name>" when the
// bundle id was read before the first object that needs a group event (the
// usual order: id before objects), else "stix-source:<source name>" (bare
// arrays, or an id written after the objects). Either way it depends only
// on the bytes and the source name, and all levels of one bundle use the
// same key. The source name is in the bundle's key because bundle ids are
// transient (STIX 2.1, section 8) and producers reuse them: OASIS's own
// examples share one across unrelated files, which merged into one event
// renamed after the last. Group events keyed by the bundle id alone, as
// before, are the legacy uuid: the importer keeps such an event when it
// came from a file of the same name (Importer::OnEvent).
//
// A report that comes after its indicators still links them: its
// EventMembers lists every object_ref and the importer resolves them.
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "core/crypto.h"
#include "core/time.h"
#include "stix/bundle_reader.h"
#include "stix/stix_fields.h"
#include "stix/stix_internal.h"

namespace accord::stix_internal {
namespace {

bool IsBefore(const std::string& earlier, const std::string& later) {
  auto a = ParseTimestamp(earlier);
  auto b = ParseTimestamp(later);
  return a.ok() && b.ok() && *a < *b;
}

// The store compares instants as text: a link's first and last seen merge by
// the earlier and later of two, and an end is compared with now and with the
// end already set before a withdrawal. They are kept in the one spelling MISP
// and CSV imports give them, so "...00Z" and "...00.000Z", or an offset, are
// the same instant there too. The object keeps its own.
Status NormalizeInstants(IndicatorContext& context) {
  for (std::string* instant : {&context.first_seen, &context.last_seen, &context.valid_until}) {
    if (!instant->empty()) {
      ASSIGN_OR_RETURN(*instant, NormalizeTimestamp(*instant));
    }
  }
  return Status::Ok();
}

}  // namespace

namespace {

// The marking_ref of each of `object`'s granular_markings (entries with
// only a lang carry none).
Status GranularMarkingRefs(simdjson::dom::object object, std::vector<std::string>* refs) {
  simdjson::dom::element granular;
  if (object["granular_markings"].get(granular) != simdjson::SUCCESS) return Status::Ok();
  simdjson::dom::array entries;
  if (granular.get_array().get(entries) != simdjson::SUCCESS) {
    return Status::Invalid("granular_markings: expected a list of granular markings");
  }
  size_t index = 0;
  for (simdjson::dom::element entry : entries) {
    const std::string where = "granular_markings[" + std::to_string(index++) + "]";
    simdjson::dom::object marking;
    if (entry.get_object().get(marking) != simdjson::SUCCESS) {
      return Status::Invalid(where + ": expected an object");
    }
    simdjson::dom::element ref;
    if (marking["marking_ref"].get(ref) != simdjson::SUCCESS) continue;
    std::string_view id;
    if (ref.get_string().get(id) != simdjson::SUCCESS || !IsStixIdOfType(id, "marking-definition")) {
      return Status::Invalid(where + ".marking_ref is not a marking-definition id");
    }
    refs->emplace_back(id);
  }
  return Status::Ok();
}

}  // namespace

Status BundleReader::ReadCommon(simdjson::dom::object object, CommonFields* common) {
  Properties properties(object);
  // The id first, so that every later error can name it.
  std::string id;
  RETURN_IF_ERROR(properties.String("id", &id));
  common->id = id;
  RETURN_IF_ERROR(properties.RequiredString("type", &common->type));
  if (id.empty()) return Status::Invalid("missing required property \"id\"");
  // STIX 2.1 (3.1): lower-case letters, digits and '-', 3 to 250 of them.
  if (common->type.size() < 3 || common->type.size() > 250 ||
      !std::all_of(common->type.begin(), common->type.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; })) {
    return Status::Invalid("type \"" + common->type + "\" is not a STIX type name (3 to 250 of a-z, 0-9 and -)");
  }
  if (!IsStixIdOfType(id, common->type)) {
    return Status::Invalid("id \"" + id + "\" is not " + common->type + "--<uuid>");
  }
  std::string spec_version;
  RETURN_IF_ERROR(properties.String("spec_version", &spec_version));
  const bool sco = IsScoType(common->type);
  if (!properties.Has("spec_version")) {
    // 2.1 requires spec_version on everything but SCOs, so its absence
    // means 2.0 (where no object carried it).
    common->from_stix20 = !sco;
  } else if (spec_version == "2.0") {
    common->from_stix20 = true;
  } else if (spec_version != "2.1") {
    return Status::Invalid("unsupported spec_version \"" + spec_version + "\"");
  }
  RETURN_IF_ERROR(properties.Timestamp("created", &common->created));
  RETURN_IF_ERROR(properties.Timestamp("modified", &common->modified));
  // In one spelling (as UpgradeToStix21 writes 2.0's, and whatever a 2.1
  // producer wrote): two spellings of one instant are one version.
  if (!common->created.empty()) common->created = CanonicalStixTimestamp(common->created);
  if (!common->modified.empty()) common->modified = CanonicalStixTimestamp(common->modified);
  if (!sco && common->created.empty()) return Status::Invalid("missing required property \"created\"");
  if (!sco && common->type != "marking-definition" && common->modified.empty()) {
    return Status::Invalid("missing required property \"modified\"");
  }
  if (!common->modified.empty() && IsBefore(common->modified, common->created)) {
    return Status::Invalid("modified is before created");
  }
  RETURN_IF_ERROR(properties.StringList("labels", &common->labels));
  RETURN_IF_ERROR(properties.Boolean("revoked", &common->revoked));
  std::vector<std::string> markings;
  RETURN_IF_ERROR(properties.StringList("object_marking_refs", &markings));
  for (const auto& marking : markings) {
    if (!IsStixIdOfType(marking, "marking-definition")) {
      return Status::Invalid("object_marking_refs entry \"" + marking + "\" is not a marking-definition id");
    }
  }
  // A granular marking governs only the properties it selects, but Accord
  // shares and withholds whole objects: a TLP given to any part of an object
  // is taken for all of it, so a RED description never leaves at GREEN.
  RETURN_IF_ERROR(GranularMarkingRefs(object, &markings));
  for (const auto& marking : markings) {
    std::optional<Tlp> tlp = TlpFromStixMarkingId(Lower(marking));
    if (!tlp) {
      auto defined = marking_tlp_.find(Lower(marking));
      if (defined != marking_tlp_.end()) tlp = defined->second;
    }
    // Several TLP markings: the most restrictive governs.
    if (tlp && (!common->tlp || *tlp > *common->tlp)) common->tlp = tlp;
    if (!tlp && common->unresolved_marking.empty() && !markings_read_.contains(Lower(marking))) {
      common->unresolved_marking = marking;
    }
  }
  return Status::Ok();
}

Status BundleReader::HandleObject(simdjson::dom::object object, const CommonFields& common) {
  RETURN_IF_ERROR(CheckRequiredProperties(object, common));
  const std::string& type = common.type;
  if (type == "indicator") return HandleIndicator(object, common);
  // A grouping (MISP's and OpenCTI's containers) is an event as a report is.
  if (type == "report" || type == "grouping") return HandleReport(object, common);
  if (type == "sighting") return HandleSighting(object, common);
  if (type == "observed-data" || IsScoType(type)) return HandleObservables(object, common);
  if (type == "marking-definition") {
    markings_read_.insert(Lower(common.id));
    LearnTlpMarking(object, common);
  }
  return EmitObject(object, common, ReportOf(common.id, common.tlp));
}

Status BundleReader::HandleIndicator(simdjson::dom::object object, const CommonFields& common) {
  Properties properties(object);
  std::string pattern, pattern_type = "stix", valid_until, name, description, last_seen;
  std::string accord_role;
  bool generated_description = false;
  IndicatorContext context;
  std::optional<int64_t> confidence;
  std::vector<std::string> indicator_types;
  RETURN_IF_ERROR(properties.RequiredString("pattern", &pattern));
  RETURN_IF_ERROR(properties.String("pattern_type", &pattern_type));
  RETURN_IF_ERROR(properties.Timestamp("valid_from", &context.first_seen));
  RETURN_IF_ERROR(properties.Timestamp("valid_until", &context.valid_until));
  RETURN_IF_ERROR(properties.Timestamp("x_accord_last_seen", &context.last_seen));
  RETURN_IF_ERROR(properties.Integer("confidence", 0, 100, &confidence));
  RETURN_IF_ERROR(properties.StringList("indicator_types", &indicator_types));
  if (common.from_stix20 && indicator_types.empty()) {
    // 2.0 put in labels what 2.1 names indicator_types (the upgrade moves
    // them there for export): the role is read from them alike.
    for (const auto& label : common.labels) {
      if (IsIndicatorTypeVocabulary(label)) indicator_types.push_back(label);
    }
  }
  RETURN_IF_ERROR(properties.String("x_accord_role", &accord_role));
  RETURN_IF_ERROR(properties.String("name", &name));
  RETURN_IF_ERROR(properties.String("description", &description));
  RETURN_IF_ERROR(properties.Boolean("x_accord_description_generated", &generated_description));
  // Accord's own sentence for a value without a comment is not a comment.
  if (generated_description) description.clear();
  if (context.first_seen.empty()) return Status::Invalid("missing required property \"valid_from\"");
  if (!context.valid_until.empty() && !IsBefore(context.first_seen, context.valid_until)) {
    return Status::Invalid("valid_until is not after valid_from");
  }
  RETURN_IF_ERROR(NormalizeInstants(context));

  std::vector<PatternTerm> terms;
  const std::string location = Location(common.id, object_offset_);
  // A revoked indicator, a YARA, Sigma or Snort rule, or a pattern outside
  // the matched subset is valid STIX: stored and exported, noted as not
  // matched. Only a malformed pattern is rejected.
  if (common.revoked) {
    NoteNotMatched(location, "", "revoked indicator is stored but not matched");
  } else if (pattern_type != "stix") {
    NoteNotMatched(location, "", "pattern_type " + pattern_type + " is stored but not matched");
  } else {
    std::vector<std::string> left_out;
    auto parsed = ParsePattern(pattern, &left_out);
    if (parsed.ok()) {
      terms = std::move(parsed).value();
      std::string reason;
      for (const auto& comparison : left_out) reason += (reason.empty() ? "" : "; ") + comparison;
      if (!reason.empty()) {
        NoteNotMatched(location, ShortText(pattern),
                       reason + " (stored; the pattern's other comparisons are matched)");
      }
    } else if (parsed.status().code() == Status::Code::kFailedPrecondition) {
      NoteNotMatched(location, ShortText(pattern), parsed.status().message() + " (stored, not matched)");
    } else {
      // Not valid STIX 2.1: not stored, so never served or exported on
      // ("never stored half-right").
      Reject(location, ShortText(pattern), parsed.status().message() + " (not stored)");
      return Status::Ok();
    }
  }

  std::string event_uuid = ReportOf(common.id, common.tlp);
  if (event_uuid.empty() && !terms.empty()) {
    ASSIGN_OR_RETURN(event_uuid, GroupEvent(common.tlp));
  }
  RETURN_IF_ERROR(EmitObject(object, common, event_uuid));

  context.stix_id = common.id;
  context.role = RoleFromIndicator(accord_role, indicator_types);
  if (confidence) context.confidence = static_cast<int>(*confidence);
  // The builder writes the value as the name, so a name equal to a value
  // says nothing and is not a comment.
  bool name_is_value = name == pattern;
  for (const auto& term : terms) name_is_value = name_is_value || name == term.value;
  context.comment = ShortText(!description.empty() ? description : (name_is_value ? "" : name));
  context.is_indicator = true;
  for (auto& term : terms) {
    IndicatorRecord record;
    record.event_uuid = event_uuid;
    record.type = term.type;
    record.value = std::move(term.value);
    record.context = context;
    record.context.is_indicator = !term.context_only;
    record.location = common.id;
    record.tlp = common.tlp;
    RETURN_IF_ERROR(Sink(sink_.OnIndicator(std::move(record))));
  }
  return Status::Ok();
}

// Top-level SCOs, and observed-data with the 2.0-style embedded "objects"
// map: their values become observed-only indicators (is_indicator=false).
Status BundleReader::HandleObservables(simdjson::dom::object object, const CommonFields& common) {
  std::vector<std::pair<ObservableType, std::string>> values;
  IndicatorContext context;
  context.stix_id = common.id;
  context.is_indicator = false;
  if (common.type == "observed-data") {
    Properties properties(object);
    std::optional<simdjson::dom::object> embedded;
    RETURN_IF_ERROR(properties.Timestamp("first_observed", &context.first_seen));
    RETURN_IF_ERROR(properties.Timestamp("last_observed", &context.last_seen));
    RETURN_IF_ERROR(properties.Object("objects", &embedded));
    // STIX 2.1 refers to its observables (2.0 embedded them): a report
    // naming this observed-data names them too (HandleReport), whichever
    // is read first.
    std::vector<std::string> refs;
    RETURN_IF_ERROR(properties.StringList("object_refs", &refs));
    if (!refs.empty()) {
      if (auto claims = report_of_.find(common.id); claims != report_of_.end()) {
        const std::vector<ReportClaim> reports = claims->second;
        for (const ReportClaim& report : reports) {
          for (const std::string& ref : refs) report_of_[ref].push_back(report);
          RETURN_IF_ERROR(Sink(sink_.OnEventMembers(EventMembers{report.event_uuid, refs})));
        }
      }
      observed_refs_[common.id] = std::move(refs);
    }
    if (embedded) {
      for (auto field : *embedded) {
        simdjson::dom::object sco;
        std::string sco_type;
        Status valid = field.value.get_object().get(sco) == simdjson::SUCCESS
                           ? Properties(sco).RequiredString("type", &sco_type)
                           : Status::Invalid("is not an object");
        if (valid.ok()) valid = ObservablesOfSco(sco, sco_type, &values);
        if (!valid.ok()) {
          Reject(Location(common.id, object_offset_) + " objects." + std::string(field.key), "",
                 valid.message());
        }
      }
    }
  } else {
    RETURN_IF_ERROR(ObservablesOfSco(object, common.type, &values));
    if (values.empty()) {
      // A mutex, an autonomous system, a MAC address, a user account...:
      // kept as it came, but nothing in it is matched.
      NoteNotMatched(Location(common.id, object_offset_), "",
                     common.type + " is stored; it names no value Accord matches");
    }
    // What Accord's own writer adds to a context value (stix_builder.cc).
    Properties properties(object);
    RETURN_IF_ERROR(properties.Timestamp("x_accord_first_seen", &context.first_seen));
    RETURN_IF_ERROR(properties.Timestamp("x_accord_last_seen", &context.last_seen));
    std::string comment;
    RETURN_IF_ERROR(properties.String("x_accord_comment", &comment));
    context.comment = ShortText(comment);
    std::string role;
    RETURN_IF_ERROR(properties.String("x_accord_role", &role));
    context.role = ShortText(role);
  }
  RETURN_IF_ERROR(NormalizeInstants(context));
  std::string event_uuid = ReportOf(common.id, common.tlp);
  if (event_uuid.empty() && !values.empty()) {
    ASSIGN_OR_RETURN(event_uuid, GroupEvent(common.tlp));
  }
  RETURN_IF_ERROR(EmitObject(object, common, event_uuid));
  for (auto& [type, value] : values) {
    IndicatorRecord record;
    record.event_uuid = event_uuid;
    record.type = type;
    record.value = std::move(value);
    record.context = context;
    record.location = common.id;
    record.tlp = common.tlp;
    RETURN_IF_ERROR(Sink(sink_.OnIndicator(std::move(record))));
  }
  return Status::Ok();
}

Status BundleReader::HandleReport(simdjson::dom::object object, const CommonFields& common) {
  Properties properties(object);
  EventRecord event;
  std::vector<std::string> report_types, object_refs;
  RETURN_IF_ERROR(properties.String("name", &event.title));
  RETURN_IF_ERROR(properties.String("description", &event.description));
  RETURN_IF_ERROR(properties.StringList("report_types", &report_types));
  // A grouping's context ("suspicious-activity", "malware-analysis") says
  // what it is about as a report type does; "unspecified" says nothing.
  std::string context;
  RETURN_IF_ERROR(properties.String("context", &context));
  if (!context.empty() && context != "unspecified") report_types.push_back(context);
  RETURN_IF_ERROR(properties.StringList("object_refs", &object_refs));
  std::string published;
  RETURN_IF_ERROR(properties.Timestamp("published", &published));
  event.uuid = Lower(UuidOfStixId(common.id));
  if (event.title.empty()) {
    // A grouping's name is optional (a report's is required): say what it
    // is, about what and when, as a person would title it; its id stays
    // the event's stix_id.
    event.title = common.type == "grouping" ? "Grouping" : "Report";
    if (!context.empty()) event.title += " (" + context + ")";
    if (common.created.size() >= 10) event.title += " of " + common.created.substr(0, 10);
  }
  event.tlp = common.tlp;
  event.tags = common.labels;
  // "threat-report" is the generic report type every producer writes (and
  // Accord's own export adds): as a tag it would say nothing.
  for (const auto& report_type : report_types) {
    if (report_type == "threat-report") continue;
    bool known = false;
    for (const auto& tag : event.tags) known = known || tag == report_type;
    if (!known) event.tags.push_back(report_type);
  }
  event.created = common.created;
  event.modified = common.modified;
  event.stix_id = common.id;
  event.source = "stix:" + source_;
  const std::string event_uuid = event.uuid;
  RETURN_IF_ERROR(Sink(sink_.OnEvent(std::move(event))));
  RETURN_IF_ERROR(EmitObject(object, common, event_uuid));
  // The observables an observed-data it names refers to are the report's
  // too (at its level), as if it named them itself.
  const size_t named = object_refs.size();
  for (size_t ref_idx = 0; ref_idx < named; ++ref_idx) {
    auto observed = observed_refs_.find(object_refs[ref_idx]);
    if (observed == observed_refs_.end()) continue;
    object_refs.insert(object_refs.end(), observed->second.begin(), observed->second.end());
  }
  for (const auto& ref : object_refs) report_of_[ref].push_back({event_uuid, common.tlp});
  if (object_refs.empty()) return Status::Ok();
  return Sink(sink_.OnEventMembers(EventMembers{event_uuid, std::move(object_refs)}));
}

Status BundleReader::HandleSighting(simdjson::dom::object object, const CommonFields& common) {
  Properties properties(object);
  SightingRecord sighting;
  std::optional<int64_t> count;
  std::vector<std::string> where, observed_data_refs;
  RETURN_IF_ERROR(properties.RequiredString("sighting_of_ref", &sighting.indicator_stix_id));
  RETURN_IF_ERROR(properties.StringList("observed_data_refs", &observed_data_refs));
  RETURN_IF_ERROR(properties.Integer("count", 0, 999999999, &count));
  RETURN_IF_ERROR(properties.Timestamp("first_seen", &sighting.first_seen));
  RETURN_IF_ERROR(properties.Timestamp("last_seen", &sighting.last_seen));
  RETURN_IF_ERROR(properties.StringList("where_sighted_refs", &where));
  // In the store's one spelling: a later version merges by the earlier and
  // later of the two (compared as text).
  for (std::string* seen : {&sighting.first_seen, &sighting.last_seen}) {
    if (!seen->empty()) {
      ASSIGN_OR_RETURN(*seen, NormalizeTimestamp(*seen));
    }
  }
  if (count) sighting.count = *count;
  for (const auto& ref : where) {
    if (!sighting.source.empty()) sighting.source += ",";
    sighting.source += ref;
  }
  sighting.location = common.id;
  sighting.origin_id = common.id;
  RETURN_IF_ERROR(EmitObject(object, common, ReportOf(common.id, common.tlp)));
  // Sightings count against values: those of an indicator or of observed
  // data. A sighting of malware, a threat actor or a campaign (the STIX
  // examples have them) counts against the values of the observed data it
  // names as evidence ("this malware was seen: these files"), one sighting
  // per observed-data; without any it is kept as the object it is, with a
  // note, not "something this node does not hold".
  const std::string_view of = sighting.indicator_stix_id;
  const std::string_view of_type = of.substr(0, of.find("--"));
  if (of_type != "indicator" && of_type != "observed-data" && !IsScoType(of_type) &&
      !observed_data_refs.empty()) {
    for (std::string& observed : observed_data_refs) {
      SightingRecord evidence = sighting;
      evidence.indicator_stix_id = std::move(observed);
      RETURN_IF_ERROR(Sink(sink_.OnSighting(std::move(evidence))));
    }
    return Status::Ok();
  }
  if (of_type != "indicator" && of_type != "observed-data" && !IsScoType(of_type)) {
    NoteNotMatched(Location(common.id, object_offset_), sighting.indicator_stix_id,
                   "sighting of a " + std::string(of_type) +
                       " is stored; only sightings of indicators and observed values are counted");
    return Status::Ok();
  }
  return Sink(sink_.OnSighting(std::move(sighting)));
}

// A bundle may define its own TLP marking (2.0 style definition_type "tlp",
// or a TLP 2.0 marking under another id): remember it so later objects that
// refer to it get the level. Unrecognised markings are simply not TLP.
void BundleReader::LearnTlpMarking(simdjson::dom::object object, const CommonFields& common) {
  std::string_view definition_type, level;
  if (object["definition_type"].get_string().get(definition_type) == simdjson::SUCCESS &&
      definition_type == "tlp" && object["definition"]["tlp"].get_string().get(level) == simdjson::SUCCESS) {
    if (auto tlp = ParseTlp(level)) marking_tlp_[Lower(common.id)] = *tlp;
    return;
  }
  std::string_view name;
  if (object["name"].get_string().get(name) == simdjson::SUCCESS && name.substr(0, 4) == "TLP:") {
    if (auto tlp = ParseTlp(name)) marking_tlp_[Lower(common.id)] = *tlp;
  }
}

Status BundleReader::EmitObject(simdjson::dom::object object, const CommonFields& common,
                                std::string event_uuid) {
  StixObjectRecord record;
  record.id = common.id;
  record.type = common.type;
  record.spec_version = "2.1";
  record.created = common.created;
  record.modified = common.modified;
  record.tlp = common.tlp;
  record.revoked = common.revoked;
  // Who made it, so the importer can give an unmarked identity the level of
  // what it made (CheckRequiredProperties refused any other kind of id).
  std::string_view creator;
  if (object["created_by_ref"].get_string().get(creator) == simdjson::SUCCESS &&
      IsStixIdOfType(creator, "identity")) {
    record.created_by_ref = std::string(creator);
  }
  record.event_uuid = std::move(event_uuid);
  record.json = StoredJsonOf(object, common.type, common.from_stix20);
  return Sink(sink_.OnStixObject(std::move(record)));
}

// Of the reports that name an object, the one whose level its marking fits
// within, and of those the least restrictive: an unmarked object named by a
// GREEN and an AMBER report goes into the GREEN one in either order (in the
// AMBER one the GREEN report's readers could not fetch it), one marked
// AMBER into the AMBER one. Levels that do not compare (AMBER+STRICT and
// RED) and unmarked reports, whose level the import decides, leave the
// first claim.
std::string BundleReader::ReportOf(const std::string& stix_id, std::optional<Tlp> object_tlp) const {
  auto found = report_of_.find(stix_id);
  if (found == report_of_.end() || found->second.empty()) return std::string();
  auto better = [&](const ReportClaim& claim, const ReportClaim& best) {
    if (!claim.tlp || !best.tlp || *claim.tlp == *best.tlp) return false;
    if (object_tlp) {
      const bool claim_fits = FitsWithin(*object_tlp, *claim.tlp);
      if (claim_fits != FitsWithin(*object_tlp, *best.tlp)) return claim_fits;
    }
    return FitsWithin(*claim.tlp, *best.tlp);
  };
  const ReportClaim* best = &found->second.front();
  for (const ReportClaim& claim : found->second) {
    if (better(claim, *best)) best = &claim;
  }
  return best->event_uuid;
}

Result<std::string> BundleReader::GroupEvent(std::optional<Tlp> tlp) {
  std::string& uuid = group_event_uuids_[tlp ? static_cast<size_t>(*tlp) + 1 : 0];
  if (!uuid.empty()) return uuid;
  if (group_key_.empty()) {
    group_key_ = bundle_id_.empty() ? "stix-source:" + source_ : "stix-bundle:" + bundle_id_ + ":source:" + source_;
    legacy_group_key_ = bundle_id_.empty() ? "" : "stix-bundle:" + bundle_id_;
  }
  const std::string level = tlp ? std::string(TlpName(*tlp)) : "unmarked";
  uuid = UuidV5(kAccordUuidNamespace, group_key_ + ":" + level);
  EventRecord event;
  event.uuid = uuid;
  if (!legacy_group_key_.empty()) event.legacy_uuid = UuidV5(kAccordUuidNamespace, legacy_group_key_ + ":" + level);
  // The level after the name, unless the name ends with it already (a
  // peer's collection titled "TLP:GREEN"). The unmarked group always says
  // so: the store tells it by its title (MemberChunkSql).
  const std::string label = tlp ? std::string(TlpLabel(*tlp)) : "unmarked";
  event.title = group_title_.empty() ? "STIX bundle " + source_ : group_title_;
  if (!tlp || !event.title.ends_with(label)) event.title += " (" + label + ")";
  event.description = "Indicators and observables of " + (bundle_id_.empty() ? source_ : bundle_id_) +
                      " that no report names";
  event.tlp = tlp;
  event.source = "stix:" + source_;
  RETURN_IF_ERROR(Sink(sink_.OnEvent(std::move(event))));
  return uuid;
}

}  // namespace accord::stix_internal
