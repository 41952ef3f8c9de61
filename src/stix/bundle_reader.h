// The state of one ReadStixBundle call. Internal to stix/: stix_reader.cc
// walks the stream (bundle members, the objects array), stix_objects.cc
// turns each parsed object into records.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <simdjson.h>

#include "stix/json_scanner.h"
#include "stix/stix.h"

namespace accord::stix_internal {

// What every object carries, checked before anything is emitted for it.
struct CommonFields {
  std::string id;
  std::string type;
  std::string created;
  std::string modified;
  std::optional<Tlp> tlp;
  std::vector<std::string> labels;
  bool from_stix20 = false;
  bool revoked = false;
  // A marking ref that is neither a TLP id Accord knows nor a
  // marking-definition read so far: the object waits for the bundle's end.
  std::string unresolved_marking;
};

// STIX 2.1's MUSTs beyond the common properties, for the types Accord reads
// (stix_required.cc): an object that breaks one is rejected naming the
// property, not stored and served back to clients that would refuse it.
Status CheckRequiredProperties(simdjson::dom::object object, const CommonFields& common);

class BundleReader {
 public:
  BundleReader(InputStream& in, const StixReadOptions& options, RecordSink& sink);
  BundleReader(const BundleReader&) = delete;
  BundleReader& operator=(const BundleReader&) = delete;

  Status Run();

 private:
  // stix_reader.cc: the stream.
  Status ReadBundle();
  Status ReadObjectsArray();
  Result<std::string> ReadKey();
  Result<std::string> ParseStringValue(std::string_view raw, uint64_t at, const std::string& what);
  Status UnexpectedAt(int found, std::string_view expected);
  Status HandleElement(std::string_view raw, uint64_t offset);

  // stix_objects.cc: one object. kInvalidArgument from these (unless
  // sink_failed_) means the object is not valid STIX and becomes its
  // Rejection; anything else stops the reader.
  Status ReadCommon(simdjson::dom::object object, CommonFields* common);
  Status HandleObject(simdjson::dom::object object, const CommonFields& common);
  Status HandleIndicator(simdjson::dom::object object, const CommonFields& common);
  Status HandleObservables(simdjson::dom::object object, const CommonFields& common);
  Status HandleReport(simdjson::dom::object object, const CommonFields& common);
  Status HandleSighting(simdjson::dom::object object, const CommonFields& common);
  void LearnTlpMarking(simdjson::dom::object object, const CommonFields& common);
  Status EmitObject(simdjson::dom::object object, const CommonFields& common, std::string event_uuid);
  Result<std::string> GroupEvent(std::optional<Tlp> tlp);
  // The report event that named `stix_id` earlier in the stream, or empty.
  // The event uuid of the report an object marked `object_tlp` (none:
  // unmarked) is read into; empty when no report named it before.
  std::string ReportOf(const std::string& stix_id, std::optional<Tlp> object_tlp) const;

  std::string Location(const std::string& id, uint64_t offset) const;
  void Reject(std::string location, std::string value, std::string reason);
  // Valid input that gives nothing to match (Rejection::not_matched).
  void NoteNotMatched(std::string location, std::string value, std::string reason);
  Status Sink(Status status) {
    if (!status.ok()) sink_failed_ = true;
    return status;
  }

  std::string source_;
  std::string group_title_;
  RecordSink& sink_;
  JsonScanner scanner_;
  size_t max_object_bytes_;
  simdjson::dom::parser parser_;
  size_t object_index_ = 0;
  uint64_t object_offset_ = 0;
  bool sink_failed_ = false;
  std::string bundle_id_;
  std::string group_key_;
  std::string legacy_group_key_;  // the bundle id alone, as group events were keyed before
  std::array<std::string, 6> group_event_uuids_;            // [0] unmarked, [1 + Tlp]
  // Every report that names an object, in the order read: ReportOf picks
  // the one the object is read into.
  struct ReportClaim {
    std::string event_uuid;
    std::optional<Tlp> tlp;  // the report's marking; none: the import's default
  };
  std::unordered_map<std::string, std::vector<ReportClaim>> report_of_;  // stix id -> reports
  std::unordered_map<std::string, Tlp> marking_tlp_;        // TLP markings the bundle defines
  std::unordered_set<std::string> markings_read_;           // every marking-definition id read
  std::unordered_map<std::string, std::vector<std::string>> observed_refs_;  // observed-data id -> object_refs

  // Objects whose markings were not yet defined when read (STIX does not
  // order a bundle's objects): read again at its end, marking definitions
  // first, so that a TLP:RED marking defined after its object still
  // governs it. Each text is followed by kScannerPadding spaces.
  struct Deferred {
    std::string text;
    uint64_t offset = 0;
    size_t index = 0;
    bool marking_definition = false;
  };
  std::vector<Deferred> deferred_;
  std::unordered_set<std::string> waiting_ids_;      // ids of deferred objects, lower case
  std::unordered_set<std::string> waiting_members_;  // what deferred objects name in object_refs
  size_t deferred_bytes_ = 0;
  bool reading_deferred_ = false;
  // Whether the object waits for the bundle's end (and notes what it names).
  bool MustWait(simdjson::dom::object object, const CommonFields& common);
  Status ReadDeferred();
};

// Lower-cased copy (ids and uuids compare case-insensitively).
std::string Lower(std::string_view text);
// At most ~1 KiB, cut at a UTF-8 character boundary.
std::string ShortText(std::string_view text);

}  // namespace accord::stix_internal
