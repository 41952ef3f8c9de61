// The records that flow from the format readers (stix/, misp/, exchange/) to
// the importer and the store, and the sink the readers push them into.
//
// Readers stream: they never hold a whole file, they push one record at a
// time. Values arrive raw (as written in the source); the importer normalizes
// them, so every rejection is reported in one place with its location.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/observable.h"
#include "core/status.h"
#include "core/tlp.h"

namespace accord {

// MISP's grading of an event (its threat_level_id and analysis), kept so an
// event that came from MISP goes back to MISP with the grading its author
// gave it. The numbers are MISP's own; STIX has no place for either.
enum class ThreatLevel { kHigh = 1, kMedium = 2, kLow = 3, kUndefined = 4 };
enum class AnalysisStage { kInitial = 0, kOngoing = 1, kCompleted = 2 };

// MISP's number -> the level; nullopt outside 1..4 (0..2 for the stage).
constexpr std::optional<ThreatLevel> ThreatLevelFromNumber(int64_t number) {
  if (number < 1 || number > 4) return std::nullopt;
  return static_cast<ThreatLevel>(number);
}
constexpr std::optional<AnalysisStage> AnalysisStageFromNumber(int64_t number) {
  if (number < 0 || number > 2) return std::nullopt;
  return static_cast<AnalysisStage>(number);
}
// "high", "medium", "low", "undefined"; "initial", "ongoing", "completed".
constexpr std::string_view ThreatLevelName(ThreatLevel level) {
  switch (level) {
    case ThreatLevel::kHigh:
      return "high";
    case ThreatLevel::kMedium:
      return "medium";
    case ThreatLevel::kLow:
      return "low";
    case ThreatLevel::kUndefined:
      return "undefined";
  }
  return "undefined";
}
constexpr std::string_view AnalysisStageName(AnalysisStage stage) {
  switch (stage) {
    case AnalysisStage::kInitial:
      return "initial";
    case AnalysisStage::kOngoing:
      return "ongoing";
    case AnalysisStage::kCompleted:
      return "completed";
  }
  return "completed";
}

// An event: a MISP event, a STIX report, or the group of indicators one
// file (or one STIX bundle at one TLP level) brought with no report.
struct EventRecord {
  std::string uuid;             // stable identity; a second import matches it
  // When `uuid` is derived from a name (a file, a MISP event's position):
  // the version-5 uuid earlier Accord versions derived from the same name.
  // The importer keeps an event already stored under it (StoredEventUuid in
  // exchange/exchange.h). Empty otherwise.
  std::string legacy_uuid;
  std::string title;
  std::string description;
  std::optional<Tlp> tlp;       // nullopt: the importer's default applies
  std::vector<std::string> tags;
  std::vector<std::string> recipient_orgs;  // organisation names, AMBER/RED
  std::string created;          // RFC 3339 UTC, or empty (= now)
  std::string modified;
  std::string stix_id;          // "report--..." when the event is a STIX report
  std::string source;           // where it came from, e.g. "misp:file.json"
  // MISP's grading; nullopt when the source gave none (STIX, CSV, lists).
  std::optional<ThreatLevel> threat_level;
  std::optional<AnalysisStage> analysis;
  // A MISP event's top-level attributes of types that carry no observable
  // (link, text, vulnerability, yara, ...): a JSON array of them as they
  // came, less MISP's local ids and sightings, so that a MISP export gives
  // them back. nullopt when the source says nothing of them (STIX, CSV,
  // lists): what the event holds stays.
  std::optional<std::string> misp_other_attributes;
  // A MISP event's objects (file, domain-ip, email, ...), a JSON array of
  // them whole as they came, less MISP's local ids and sightings, so that a
  // MISP export gives back their structure and the attributes that carry no
  // observable; nullopt as above.
  std::optional<std::string> misp_objects;
  // The creator organisation (Orgc) a MISP event named, as compact JSON
  // {"name": ..., "uuid": ...}, so that a MISP export names its creator
  // again rather than the organisation that imported it; nullopt as above.
  std::optional<std::string> misp_orgc;
};

// Context carried by the link between an event and an observable.
struct IndicatorContext {
  std::string role;             // c2, payload-delivery, phishing, victim, ...
  std::optional<int> confidence;  // 0..100
  std::string first_seen;       // RFC 3339 or empty
  std::string last_seen;
  std::string valid_until;      // expiry; empty = no expiry
  std::string comment;
  std::string stix_id;          // "indicator--..." it came from, if any
  // The MISP attribute type the value came as ("ip-src", "hostname",
  // "email-src"), so that a MISP export gives the same type back; empty
  // when it did not come from MISP (the export then picks by value type).
  std::string misp_type;
  // The composite MISP attribute the value is a part of ("domain|ip",
  // "filename|sha256", "ip-dst|port"...): its type, its value as MISP wrote
  // it and the id its part carrying one got (stix_id above, or empty), so
  // that a MISP export gives one attribute back rather than its parts;
  // empty otherwise.
  std::string misp_composite_type;
  std::string misp_composite_value;
  std::string misp_composite_id;
  bool is_indicator = true;     // false: observed only (MISP to_ids=false,
                                // STIX cyber-observable); never goes live
  // The malware family the source names for this value alone (a feed's
  // malware column: ThreatFox, Feodo Tracker, MalwareBazaar), as written;
  // empty when it names none. Alerts on the value name it beside the
  // families of its events' tags. A later import that names none keeps it.
  std::string family;
};

struct IndicatorRecord {
  std::string event_uuid;       // the EventRecord it belongs to
  std::optional<ObservableType> type;  // nullopt: detect from the value
  std::string value;            // raw, as written in the source
  IndicatorContext context;
  std::string location;         // "file.csv:12" or "indicator--<id>" for reports
  // The malware family the source names for this value alone (a CSV's
  // "malware" column), as written; empty when it names none. The importer
  // keeps it in the link's comment; a stealer operation's C2 list makes it
  // the server's family.
  std::string family;
  // The value's own TLP marking where its source gives one (a STIX object's
  // marking, a MISP attribute's tlp: tag, a CSV row's tlp cell). A value
  // marked more strictly than its event is not readable through the event:
  // the importer puts it in a companion event at its own level.
  std::optional<Tlp> tlp;
};

// A STIX object kept exactly as it came (after a STIX 2.0 -> 2.1 upgrade), so
// it can be served back over TAXII and exported unchanged.
struct StixObjectRecord {
  std::string id;               // "attack-pattern--..."
  std::string type;
  std::string spec_version;     // "2.1"
  std::string created;
  std::string modified;         // empty for objects without one (SCOs, markings)
  std::optional<Tlp> tlp;       // from object_marking_refs, if a TLP marking
  std::string created_by_ref;   // the identity id it names as its creator, if any
  std::string event_uuid;       // the event it was imported under
  std::string json;             // the whole object, compact JSON
  // Built by this node for an event that did not come as STIX (TAXII
  // serves it; export builds its own and skips it).
  bool derived = false;
  // Where an object that belongs to no event came from, as an event's
  // source says it ("stix:taxii:peer/collection"); set by the importer.
  std::string source;
  // A revoked indicator withdraws what its earlier versions said: the
  // importer ends the life of the values it gave.
  bool revoked = false;
};

struct SightingRecord {
  // Either an observable, or the STIX id of the indicator that was sighted.
  std::optional<ObservableType> type;
  std::string value;
  std::string indicator_stix_id;
  int64_t count = 1;
  std::string first_seen;       // RFC 3339
  std::string last_seen;
  std::string source;           // who or where saw it
  std::string location;
  // What names this sighting at its source (a STIX sighting's id, a MISP
  // sighting's uuid): the same sighting imported again is not counted again.
  std::string origin_id;
};

// A STIX report (or other container) names the objects it holds; resolved
// once the whole file is read because references may point forward.
struct EventMembers {
  std::string event_uuid;
  std::vector<std::string> stix_ids;
};

// A producer took back what it shared under `stix_id`: a MISP attribute or
// object marked deleted in a later copy of its event. The values linked
// under that id (in the importing organisation's events) stop being live.
struct Withdrawal {
  std::string stix_id;          // as the attribute's values carried it
  std::string at;               // RFC 3339; empty: when the import runs
  std::string location;
  // A composite attribute ("domain|ip") linked its other parts without an
  // id, in the event the reader announced as `event_uuid`: they end too.
  std::string event_uuid;
  std::vector<std::pair<ObservableType, std::string>> parts_without_id;
};

struct Rejection {
  std::string location;         // "feed.csv:12", "bundle.json: indicator--..."
  std::string value;            // the offending value, may be empty
  std::string reason;
  // Set for well-formed input that simply yields nothing to match: a YARA,
  // Sigma or Snort indicator, a STIX pattern outside the matched subset, a
  // revoked indicator, a MISP attribute type with no observable. Real
  // producers write these all the time, so they are reported apart from
  // malformed input: they must not count as errors (`import --strict`, the
  // "rejected" figure) nor make a partner's valid file look broken.
  bool not_matched = false;
};

// A MISP-format warning list of known-benign values.
struct WarningListRecord {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::string type;              // cidr, hostname, string, substring, regex
  int64_t version = 0;
  std::vector<std::string> matching_attributes;
  std::vector<std::string> entries;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Any non-ok Status stops the reader, which returns it.
  virtual Status OnEvent(EventRecord event) = 0;
  virtual Status OnIndicator(IndicatorRecord indicator) = 0;
  virtual Status OnStixObject(StixObjectRecord object) = 0;
  virtual Status OnSighting(SightingRecord sighting) = 0;
  virtual Status OnEventMembers(EventMembers members) = 0;
  // Only formats that mark deletions (MISP) call it.
  virtual Status OnWithdrawal(Withdrawal withdrawal) {
    (void)withdrawal;
    return Status::Ok();
  }
  // A value or object the reader could not use; reading goes on.
  virtual void OnReject(Rejection rejection) = 0;
};

}  // namespace accord
