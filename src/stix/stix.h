// STIX 2.x: a streaming bundle reader, the indicator pattern subset, and the
// builders the exporter uses to write valid STIX 2.1.
//
// Reading never holds the whole bundle: objects are cut out of the byte
// stream one at a time and parsed alone, so memory is bounded by the largest
// object (a limit), not by the file. STIX 2.0 objects are upgraded to 2.1 on
// the way in (spec_version added; the changes are listed in stix_upgrade.cc).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/io.h"
#include "core/model.h"
#include "core/observable.h"
#include "core/status.h"
#include "core/tlp.h"

namespace accord {

struct StixReadOptions {
  std::string source_name;             // used in messages and the group event title
  std::string group_title;             // the group events' title instead of "STIX bundle <source>"
  size_t max_object_bytes = 64 << 20;  // an object larger than this is an error
};

// Reads a bundle ({"type":"bundle","objects":[...]}) or a bare array of
// objects, and pushes into `sink`:
//  - every object as a StixObjectRecord (kept verbatim, upgraded if 2.0);
//  - an EventRecord per STIX report (uuid = the report's uuid) followed by an
//    EventMembers with its object_refs;
//  - for indicators and observables outside reports, one group EventRecord per
//    TLP level met (uuid derived from the bundle id and the level);
//  - an IndicatorRecord per comparison of a supported pattern (or per
//    cyber-observable value: ipv4-addr, ipv6-addr, domain-name, url,
//    email-addr, file hashes, with is_indicator=false);
//  - a SightingRecord per sighting (by sighting_of_ref);
//  - a Rejection for each object or pattern it cannot use, naming the id.
// Returns non-ok only when the stream itself is unusable (not JSON, truncated,
// wrong top-level shape), naming the byte offset.
Status ReadStixBundle(InputStream& in, const StixReadOptions& options, RecordSink& sink);

// One comparison of an indicator pattern that maps to an observable.
struct PatternTerm {
  ObservableType type;
  std::string value;   // raw (unescaped) value from the pattern
  // A file name the pattern ANDs with a hash of the same file: it describes
  // the file and is not matched alone (kept as observed context).
  bool context_only = false;
};
// The supported subset: comparisons `[object-path = 'value']` of ipv4-addr,
// ipv6-addr, domain-name, url, email-addr :value and file:hashes.(MD5|'SHA-1'
// |'SHA-256'|...) and file:name, joined by OR/AND inside and between
// observation expressions. Anything else (other operators, qualifiers,
// other object types) is an error saying what is not supported:
// kFailedPrecondition for valid STIX outside the subset, kInvalidArgument
// for a malformed pattern. A comparison on a property that names no matched
// value (file:size, file:hashes.SSDEEP, email-message:subject) is left out
// of a pattern whose other comparisons give terms, and described in
// `not_matched` when given.
Result<std::vector<PatternTerm>> ParsePattern(std::string_view pattern,
                                              std::vector<std::string>* not_matched = nullptr);

// A STIX pattern written as 2.1's grammar wants what 2.0 (and some 2.1
// producers) wrote otherwise: hyphenated path components quoted
// ("file:hashes.'SHA-256'"), START/STOP timestamps typed (t'...').
// nullopt when nothing needs to change or the pattern does not tokenize.
std::optional<std::string> PatternInStix21Syntax(std::string_view pattern);

// A STIX timestamp as the store keys versions by it: UTC with "Z", at
// least milliseconds, no zeros after them ("...:00Z", "...:00.0Z" and
// "...:00.000000Z" are one instant, "...:00.000Z"; "...:00.123456Z" stays).
// STIX 2.1 (3.6) names a version by id and modified, whatever the spelling.
// Text that is no timestamp is returned as it is.
std::string CanonicalStixTimestamp(std::string_view timestamp);

// An object as ReadStixBundle stores it: a STIX 2.0 object (no
// spec_version, or "2.0"; SCOs aside) upgraded to 2.1, a 2.1 object with
// created, modified and a "stix" pattern in 2.1's spelling, an SCO as it
// is. A TAXII server compares a posted object with its stored copy so.
std::string StoredFormOfStixObject(std::string_view json);

// "[ipv4-addr:value = '1.2.3.4']", escaping quotes and backslashes.
std::string PatternFor(const Observable& observable);

// Builders for objects Accord writes itself. All return compact JSON of a
// valid STIX 2.1 object with deterministic ids (the same input gives the
// same id), carrying object_marking_refs for `tlp`.
struct StixIdentitySpec {
  std::string org_uuid;
  std::string name;
  std::string kind;     // -> identity_class/sectors
  std::string country;
  std::string created;
};
std::string StixIdentityId(const std::string& org_uuid);
std::string BuildStixIdentity(const StixIdentitySpec& spec);

struct StixIndicatorSpec {
  std::string event_uuid;
  std::string event_title;  // named in the description written when there is no comment
  Observable observable;
  IndicatorContext context;
  Tlp tlp = Tlp::kAmber;
  std::string created_by_ref;   // identity id
  std::string created;          // event's created
  std::string modified;
  std::vector<std::string> labels;
};
// context.stix_id is kept as the id when it is set (round trips keep ids).
// The description is context.comment or, without one, a sentence naming the
// kind of value, its role and the event, marked x_accord_description_generated
// so that the reader takes no comment from it. A role outside indicator-type-ov
// is written as x_accord_role and a label (see stix_internal.h).
std::string StixIndicatorId(const StixIndicatorSpec& spec);
std::string BuildStixIndicator(const StixIndicatorSpec& spec);

// A value shared as context, not for detection: a STIX cyber-observable
// object (ipv4-addr, domain-name, file, ...), which no receiver turns into
// a detection rule. Its id is a UUIDv5 of the event and the value, so each
// event's object is its own (an event's objects are stored, versioned and
// placed in a TLP collection together); context.stix_id is kept when it
// names an object of the same type. Context that STIX observables have no
// property for travels in x_accord_ properties, which the reader takes back.
struct StixObservableSpec {
  std::string event_uuid;
  Observable observable;
  IndicatorContext context;
  Tlp tlp = Tlp::kAmber;
};
// Empty for values STIX 2.1 has no core observable for (wallets).
std::string StixObservableId(const StixObservableSpec& spec);
std::string BuildStixObservable(const StixObservableSpec& spec);

struct StixReportSpec {
  std::string id;               // "report--<event uuid>" unless the event came with one
  std::string name;
  std::string description;
  Tlp tlp = Tlp::kAmber;
  std::string created_by_ref;
  std::string created;
  std::string modified;
  std::string published;
  std::vector<std::string> labels;
  std::vector<std::string> object_refs;
};
std::string BuildStixReport(const StixReportSpec& spec);

// The malware family a feed names for some of an event's values, as STIX
// (and OpenCTI, and MISP's STIX import) carries it: a malware object with
// is_family, which each indicator `indicates` (a relationship).
struct StixMalwareSpec {
  std::string event_uuid;  // one object per event and name
  std::string name;
  Tlp tlp = Tlp::kAmber;
  std::string created_by_ref;
  std::string created;
  std::string modified;
};
std::string StixMalwareId(const StixMalwareSpec& spec);
std::string BuildStixMalware(const StixMalwareSpec& spec);

struct StixRelationshipSpec {
  std::string relationship_type;  // "indicates"
  std::string source_ref;
  std::string target_ref;
  Tlp tlp = Tlp::kAmber;
  std::string created_by_ref;
  std::string created;
  std::string modified;
};
// From the type and both ends: one relationship per pair.
std::string StixRelationshipId(const StixRelationshipSpec& spec);
std::string BuildStixRelationship(const StixRelationshipSpec& spec);

// Writes a bundle to an ostream one object at a time. The bundle id is
// random unless given.
class StixBundleWriter {
 public:
  explicit StixBundleWriter(std::ostream& out, std::string bundle_id = "");
  void Add(std::string_view object_json);
  void Finish();
  size_t count() const { return count_; }

 private:
  std::ostream& out_;
  size_t count_ = 0;
  bool finished_ = false;
};

}  // namespace accord
