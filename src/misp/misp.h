// MISP: event JSON (as MISP and PyMISP write it) and warning lists.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/io.h"
#include "core/model.h"
#include "core/observable.h"
#include "core/status.h"

namespace accord {

struct MispReadOptions {
  std::string source_name;
  size_t max_bytes = 512 << 20;   // MISP events are read whole; larger is an error
};

// Reads {"Event": {...}}, a bare event object, {"response": [{"Event":
// ...}, ...]} or a top-level array of {"Event": ...}, and pushes one
// EventRecord per event (uuid, derived from the source name and position when
// missing: version 4, with its legacy_uuid; info -> title; first event
// report -> description; the most restrictive tlp:* tag -> TLP, else MISP's
// distribution mapped no wider, see misp_reader.cc; other tags and galaxy
// clusters -> tags; date/timestamp; threat_level_id and analysis -> the
// event's grading),
// then one IndicatorRecord per observable in each attribute it can map (top
// level and inside Objects; both parts of domain|ip and filename|hash; to_ids
// -> is_indicator; category -> role; first_seen/last_seen/comment kept), and
// a SightingRecord per MISP sighting of type 0. Deleted attributes and
// proposals (ShadowAttribute) are skipped. An attribute it cannot use (type
// with no observable, wrong JSON type, value over 64 KiB) becomes a Rejection
// naming the attribute uuid and the field ("Event.Attribute[3].value: not a
// string"); a malformed event structure (Event.Tag not an array, a bad event
// uuid, a threat_level_id outside 1..4 or an analysis outside 0..2, invalid
// JSON) is an error naming the source and the field.
Status ReadMispEvent(InputStream& in, const MispReadOptions& options, RecordSink& sink);

// Maps a MISP attribute type ("ip-dst", "domain", "sha256", ...) to ours;
// nullopt for types with no observable. Composite types ("domain|ip",
// "filename|md5") map to their first part; use SplitComposite for both.
std::optional<ObservableType> MispTypeToObservable(std::string_view misp_type);

// The TLP level a MISP tag names: only with its "tlp:" prefix ("tlp:red",
// "tlp:white"); a plain "red" tag, or "tlp:ex:chr", is an ordinary tag.
std::optional<Tlp> TlpOfMispTag(std::string_view tag);

// One observable carried by a MISP attribute value.
struct MispValuePart {
  ObservableType type;
  std::string_view value;  // a view into the value passed to SplitComposite
  // The file name of a "filename|<hash>" or malware-sample: it describes
  // the file whose hash is given, and is not matched alone (an attribute
  // "svchost.exe|<md5>" must not alert on every svchost.exe).
  bool context_only = false;
  // The port of an "ip-dst|port", "ip-src|port" or "hostname|port": not an
  // observable, kept as a note in the value's comment ("port 8443").
  std::string_view port;
  // The MISP type this part is written back as (a single-value type: the
  // attribute's own, or "ip-src" for an "ip-src|port"); empty when the part
  // is written by its value type ("domain|ip" and "filename|<hash>" parts).
  std::string_view misp_type;
};
// Splits an attribute value into the observables it carries: one for plain
// types, both parts for "domain|ip" and "filename|<hash>" (and
// malware-sample), the address for "ip-dst|port". Address types are refined
// by the value: "ip-dst" holding "2001:db8::1" is ipv6, "10.0.0.0/8" is cidr.
// Errors (kInvalidArgument): a type with no observable, or a composite value
// without its '|'.
Result<std::vector<MispValuePart>> SplitComposite(std::string_view misp_type,
                                                  std::string_view value);

// The event uuids a MISP feed's manifest.json lists (each event is
// "<uuid>.json" beside it). Errors name the source and the field.
Result<std::vector<std::string>> ParseMispFeedManifest(InputStream& in);

// Parses a MISP warning list file (misp-warninglists list.json format).
// Errors name the field.
Result<WarningListRecord> ParseWarningList(InputStream& in);

// Decides whether an observable is on a loaded warning list. Immutable once
// built; thread-safe. cidr lists match addresses and networks inside them;
// hostname lists match the name and its subdomains, and the host of URLs and
// e-mail addresses when it names those types; string lists match exactly
// (the entry as written or normalized); substring lists match anywhere;
// regex lists are PHP/PCRE patterns ("/^x$/i"). A list applies only to the
// observable types its matching_attributes name (all it can hold when it
// names none). Entries that do not parse are skipped (WarningListProblems
// lists them). Match allocates nothing unless it finds a list or checks a
// regex list.
class WarningListMatcher {
 public:
  struct Impl;
  static std::unique_ptr<WarningListMatcher> Build(const std::vector<WarningListRecord>& lists);
  // The name of the first list that holds it, or nullopt.
  std::optional<std::string> Match(const Observable& observable) const;
  ~WarningListMatcher();

 private:
  WarningListMatcher();
  std::unique_ptr<Impl> impl_;
};

// What of `list` a matcher cannot use, one line each: entries that do not
// parse ("list[3] '1.2.3.4/33': not an IP address or network") and
// matching_attributes that leave the list nothing to flag.
std::vector<std::string> WarningListProblems(const WarningListRecord& list);

// Writes one MISP event JSON ({"Event": {...}}) for export. Its creator
// (MISP's Orgc) is the one the event came with from MISP
// (EventRecord::misp_orgc), else `orgc` when named. Each attribute has the
// MISP type it came as (IndicatorContext::misp_type) when that type holds
// its value, else the type its observable type exports as.
struct MispExportAttribute {
  Observable observable;
  IndicatorContext context;
};
struct MispOrg {
  std::string name;
  std::string uuid;
};
std::string BuildMispEvent(const EventRecord& event, Tlp tlp,
                           const std::vector<MispExportAttribute>& attributes, const MispOrg& orgc = {});
// The event's entry in a MISP feed's manifest.json (the object under its
// uuid): info, date, grading, timestamp, Orgc and tags, as in its file.
std::string BuildMispFeedManifestEntry(const EventRecord& event, Tlp tlp, const MispOrg& orgc);

}  // namespace accord
