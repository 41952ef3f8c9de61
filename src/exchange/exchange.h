// Exchange: moving intelligence in and out of a node.
//
// Import detects the format (STIX 2.x bundle, MISP event JSON, CSV with a
// header, plain list), streams the file through its reader, normalizes every
// value, checks it against the loaded warning lists and writes it in batches:
// one transaction per batch, so a failure leaves exactly the batches it
// reported as committed. Re-importing a file adds nothing: events, observables,
// links and STIX object versions all have stable identities.
//
// Export writes what one principal may see (core/policy.h decides) as a STIX
// 2.1 bundle, CSV or MISP JSON, or, for the sensors people run, as a Zeek
// Intel framework file or a directory of Suricata datasets and rules.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/io.h"
#include "core/model.h"
#include "core/policy.h"
#include "core/status.h"
#include "core/time.h"
#include "core/tlp.h"
#include "store/store.h"

namespace accord {

class WarningListMatcher;  // misp/misp.h
class WarningListCache;

// kJsonRecords: a JSON list of indicator objects (ThreatFox, URLhaus,
// MalwareBazaar, Feodo Tracker), named "records".
enum class InputFormat { kAuto, kStix, kMisp, kCsv, kList, kJsonRecords };
std::string_view InputFormatName(InputFormat format);
std::optional<InputFormat> ParseInputFormat(std::string_view name);

// Decides the format from the first bytes (and the name as a tie-breaker).
InputFormat DetectFormat(std::string_view head, std::string_view name);

// A stored STIX object as it leaves the node (export, TAXII): held above
// TLP:AMBER and not marked at its level, it gets that level's TLP 2.0
// marking, or whoever reads it would take it at its own default; nullopt
// when it leaves as stored.
std::optional<std::string> StixWithTlpMarking(std::string_view json, Tlp tlp);
// Why the first bytes of a decoded input are binary data rather than text
// (a NUL byte in the first 8000, as git and grep decide), or empty for text.
std::string BinaryDataReason(std::string_view head);

struct ImportProgress {
  std::string source;
  uint64_t bytes_read = 0;       // compressed bytes consumed
  uint64_t bytes_total = 0;      // 0 when unknown (a pipe)
  int64_t values = 0;            // values seen so far
};

// A stored event as the record readers produce: what rewrites it unchanged
// (UpsertEvent) or exports it (MISP). TLP and recipients travel apart.
inline EventRecord EventRecordOf(const EventSummary& event) {
  EventRecord record;
  record.uuid = event.uuid;
  record.title = event.title;
  record.description = event.description;
  record.tlp = event.tlp;
  record.tags = event.tags;
  record.created = event.created;
  record.modified = event.modified;
  record.source = event.source;
  record.threat_level = event.threat_level;
  record.analysis = event.analysis;
  return record;
}

struct ImportOptions {
  InputFormat format = InputFormat::kAuto;
  int64_t owner_org_id = 0;      // the importing organisation owns what it brings
  // The importing key's role: a value counts as already known only where
  // this role of the organisation could read it (a contributor reads
  // others' data up to GREEN).
  Role importer_role = Role::kAnalyst;
  Tlp default_tlp = Tlp::kAmber; // for data that carries no marking (an unmarked STIX
                                 // identity may go lower: unmarked_identities.h)
  // The importer stated default_tlp (--tlp, ?tlp=, a form's choice) rather
  // than leaving the default: an existing event the file grows (the same
  // title) keeps its level, but this file's unmarked values are not read
  // more widely than stated: stricter than the event, they go to its
  // companion at the stated level.
  bool default_tlp_stated = false;
  std::string title;             // event title for CSV / list imports (default: file name), and
                                 // for a STIX bundle's values that no report names
  // The uuid of an existing event of the importing organisation: every value
  // and object goes into it, whatever events the file describes, and the
  // event's title, TLP, tags and recipients stay as they are.
  std::string into_event;
  // true: the events name their source by the file's name ("list:c2.txt",
  // "stix:feeds.zip/apt.json"), not by the path the operator gave
  // ("list:/srv/feeds/c2.txt"): every member who reads an event sees its
  // source, and the operator's folders are not theirs to read. The audit
  // record keeps the whole path. (Federation names its pages
  // "taxii:PEER/COLLECTION", which push reads back: left whole.)
  bool source_by_file_name = false;
  // A suffix the input's name carries for this node's own use, left out of
  // the event's source: REST names a body "feed.txt@org3", which keeps the
  // event ids derived from it apart per organisation, and the event says
  // "list:feed.txt".
  std::string private_source_suffix;
  std::string actor = "cli";     // for the audit log
  std::string source_address = "local";
  // A transaction commits after batch_size values or batch_seconds,
  // whichever comes first. Every commit rewrites the index pages its batch
  // touched, and with random keys (values, STIX ids) that is nearly all of
  // them, so fewer commits write far less (bench/import). The time limit
  // keeps the node's write lock short: the server's writes wait for it, for
  // at most 5 s. batch_seconds 0 = no time limit (a bulk load on a quiet
  // node).
  // Named a recipient of every TLP:AMBER and TLP:RED event the import
  // writes (Organisation::shares_with_org_id of a peer node's stand-in):
  // 0 for none.
  int64_t share_with_org_id = 0;
  // Shared by the imports of a run or a server so they do not each read and
  // compile every warning list; null: this import reads them itself.
  WarningListCache* warning_lists = nullptr;
  size_t batch_size = 200000;
  int64_t batch_seconds = 2;
  const Clock* clock = nullptr;  // for batch_seconds; nullptr = the system clock
  std::function<void(const ImportProgress&)> on_progress;  // about every batch
  // Every rejected value, and every note (Rejection::not_matched) on input
  // that was well-formed but gives nothing to match.
  std::function<void(const Rejection&)> on_reject;
};

struct ImportReport {
  std::string source;
  InputFormat format = InputFormat::kAuto;
  int64_t new_values = 0;        // observables this node had never seen
  int64_t known_values = 0;      // already stored (from this or another event)
  int64_t rejected = 0;          // values or objects that could not be used
  int64_t not_matched = 0;       // well-formed but nothing to match (Rejection::not_matched)
  int64_t warninglisted = 0;     // values found on a warning list (kept, never live)
  int64_t links_added = 0;
  int64_t events = 0;            // events created or updated
  int64_t stix_objects_new = 0;
  int64_t stix_objects_known = 0;
  int64_t sightings = 0;         // sightings recorded (one imported before is not counted again)
  int64_t sightings_updated = 0; // stored sightings a later version gave a larger count or span
  int64_t withdrawn = 0;         // links ended by a revoked STIX indicator or a new pattern
  int64_t batches_committed = 0;
  int64_t values_committed = 0;  // values (new + known) in committed batches
  bool binary = false;           // refused as binary data (BinaryDataReason): nothing read
  struct TouchedEvent {
    std::string uuid;
    bool created = false;        // false: an existing event grew or was updated
  };
  std::vector<TouchedEvent> touched_events;  // of a finished import, in order
};

// The files `accord import PATH` reads: PATH itself; for a directory, the
// events its MISP feed manifest (manifest.json) lists, "<uuid>.json" each,
// or else every file in it (sorted; hidden files skipped); for a MISP
// feed's manifest.json, the events it lists. An event the manifest lists
// but the directory lacks is still named, so its import reports it missing.
// Errors: a directory that cannot be read, a manifest.json in a directory
// that is not a MISP feed manifest.
Result<std::vector<std::string>> ImportSourcesOf(const std::string& path);

// The event files a MISP feed's manifest.json (at `manifest_path`) lists,
// "<uuid>.json", in uuid order: what ImportSourcesOf finds beside it, and
// what `accord import` fetches beside a manifest's URL.
Result<std::vector<std::string>> MispFeedEventFiles(const std::string& manifest_path);

// Whether two copies of one STIX object version (id and modified) are the
// same object: equal as JSON, leaving aside what one release or the 2.0
// upgrade adds and the TLP marking a server adds on the way out
// (same_stix_version.cc). False when either is no JSON object.
bool SameStixVersion(const std::string& a, const std::string& b);

// Event uuids Accord derives from a name (a list or CSV file of one
// organisation, a MISP event without a uuid, a stealer operation) are
// version 4, StableUuidV4(kAccordUuidNamespace, name): the event is
// published as the STIX report "report--<event uuid>", and the OASIS
// validator's uuid check asks for version 4 there. Earlier versions derived
// UuidV5 of the same name, and a node upgraded from them holds events under
// those ids; re-importing the same file must update such an event, not fork
// a twin. So: `uuid` when the store holds an event under it or under
// neither, `legacy_uuid` when the store holds one only under that (an empty
// `legacy_uuid` is never looked up). Errors are the store's.
Result<std::string> StoredEventUuid(Store& store, const std::string& uuid,
                                    const std::string& legacy_uuid);
// The uuid an event derived from a name (EventRecord::legacy_uuid set) is
// stored under on this node: the reader's `uuid` made the node's own with
// `node_salt` (its random node_id), so two nodes that import a file of one
// title make two events, and one node's export imported by the other does
// not land in, and rewrite, the other's own event (a RED list made CLEAR).
// An event stored before salting, under `uuid` or `legacy_uuid`, keeps
// being updated when the same source made it (`source`, the event's
// EventRecord::source): one stored under that uuid by another source (a
// peer's export of its own file of that name, imported before salting) is
// not this file's event. An empty salt (a store without a node_id) or an
// empty `legacy_uuid` (no derived uuid) is StoredEventUuid.
Result<std::string> NodeEventUuid(Store& store, std::string_view node_salt, const std::string& uuid,
                                  const std::string& legacy_uuid, std::string_view source);
// StoredEventUuid of StableUuidV4 and UuidV5 of `name` in Accord's namespace.
Result<std::string> DerivedEventUuid(Store& store, std::string_view name);

// Imports one file ("-" = standard input). On a fatal reader error the
// returned Status says what went wrong and where, and `report` (if given)
// tells what was committed before it.
Status ImportFile(Store& store, const std::string& path, const ImportOptions& options,
                  ImportReport* report);
Status ImportStream(Store& store, InputStream& in, const ImportOptions& options,
                    ImportReport* report);

// Loads a MISP warning list into the store (replacing the list of the same
// name) and re-marks the stored observables, in one transaction with its
// audit record: values it covers are flagged, values a new version of the
// list dropped are cleared. Returns the list with its entry count.
struct WarningListReport {
  std::string name;
  int64_t entries = 0;
  int64_t flagged = 0;  // stored observables newly flagged
  int64_t cleared = 0;  // stored observables no loaded list holds any more
  // Entries skipped and other reasons the list flags less than it holds
  // (misp's WarningListProblems); the list is loaded all the same.
  std::vector<std::string> problems;
};
Result<WarningListReport> AddWarningList(Store& store, const std::string& path,
                                         const std::string& actor);
// The same from a parsed list; `audit` gives the actor and source address.
Result<WarningListReport> ApplyWarningList(Store& store, const WarningListRecord& list,
                                           const AuditEntry& audit);
// Takes the list `name` out (kNotFound when there is none); the values only
// it held go live again (`cleared`), or take another list's mark.
Result<WarningListReport> RemoveWarningList(Store& store, const std::string& name,
                                            const AuditEntry& audit);

// The matcher of the warning lists a store holds, read and compiled again
// only after a list is loaded or removed (Store::WarningListGeneration):
// imports in a row (a federation pull's pages, a folder of MISP events, the
// server's uploads) share it. With a top-1M hostname list loaded, compiling
// costs about 1.6 s and 200 MB, which every one-value import had paid.
// Thread-safe.
class WarningListCache {
 public:
  Result<std::shared_ptr<const WarningListMatcher>> Get(Store& store);

 private:
  std::mutex mutex_;
  int64_t generation_ = -1;
  std::shared_ptr<const WarningListMatcher> matcher_;
};

// kZeek and kSuricata are sensor formats: they carry only live indicators
// (linked as indicator, not expired, not on a warning list), each value once,
// whatever `include_expired` says. kSuricata is several files: write it with
// ExportToDirectory (or BuildSuricataExport); Export refuses it.
// kMispFeed is a directory, as MISP's Feeds pull it (manifest.json, one
// <uuid>.json per event, hashes.csv): ExportToDirectory writes it.
enum class ExportFormat { kStix, kCsv, kMisp, kMispFeed, kZeek, kSuricata };
std::optional<ExportFormat> ParseExportFormat(std::string_view name);

struct ExportOptions {
  ExportFormat format = ExportFormat::kStix;
  Principal viewer;              // decides what is written, through MayRead
  std::optional<Tlp> max_tlp;    // also drop anything above this level
  bool include_expired = true;
  const Clock* clock = nullptr;  // "now" for expiry; nullptr = the system clock
};

struct ExportReport {
  int64_t events = 0;
  int64_t indicators = 0;        // values written (sensor formats: distinct live values)
  int64_t objects = 0;
  int64_t withheld = 0;          // events the viewer may not see
  int64_t skipped = 0;           // sensor formats: live values the format cannot carry
};

// Writes one stream (every format but kSuricata, which is kInvalidArgument).
// TAXII for every event: brings the stored STIX objects that stand for
// events which did not come as STIX (the report and indicators `export`
// builds for them) up to date, through Store::RefreshDerivedStix. TAXII
// reads call it for events of up to `max_event_links` links, and the
// server's background housekeeper and federation push for all (0: no limit);
// it costs one indexed query when nothing changed. Returns how many events
// were redone. `stop`, when given, is asked before each link: true ends the
// refresh with kFailedPrecondition, keeping what was committed (the event
// stays stale and a later refresh finishes it).
Result<int64_t> RefreshDerivedStix(Store& store, TimePoint now, int64_t max_event_links = 0,
                                   const std::function<bool()>& stop = {});

Status Export(Store& store, const ExportOptions& options, std::ostream& out,
              ExportReport* report);

// A MISP feed's parts one at a time, for what `options.viewer` may read
// (max_tlp and include_expired apply): manifest.json, hashes.csv, and the
// file of one event (nullopt when there is no such event or the viewer may
// not read it). The server serves them under /api/v1/misp-feed/.
Result<std::string> MispFeedManifest(Store& store, const ExportOptions& options);
Result<std::string> MispFeedHashes(Store& store, const ExportOptions& options);
Result<std::optional<std::string>> MispFeedEvent(Store& store, const ExportOptions& options,
                                                 const std::string& uuid);

// The kMispFeed export into `dir` (ExportToDirectory calls it).
Status ExportMispFeed(Store& store, const ExportOptions& options, const std::string& dir, ExportReport* report);

// One file of a multi-file export, named relative to the export directory.
struct ExportFile {
  std::string name;
  std::string content;
};

// The Suricata export in memory: the dataset files, the hash lists and
// accord.rules (see sensor_export.cc for the layout and the SID range).
Result<std::vector<ExportFile>> BuildSuricataExport(Store& store, const ExportOptions& options,
                                                    ExportReport* report);

// Writes a multi-file export (kSuricata, kMispFeed) into `dir`, creating it if absent.
// Each file is written beside its target and renamed into place, the lists
// before the rules that load them, so a failure never leaves a half-written
// file; files of an earlier export with the same names are replaced.
Status ExportToDirectory(Store& store, const ExportOptions& options, const std::string& dir,
                         ExportReport* report);

}  // namespace accord
