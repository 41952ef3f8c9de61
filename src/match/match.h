// Early warning: every live indicator compiled into an immutable match
// snapshot, telemetry records matched against it, and each hit turned into
// an alert routed to the country and organisation responsible for the
// victim's address.
//
// - Snapshot: one open-addressing table of 64-bit hashes (XXH3) of the
//   indicators' normalized values with their observable ids and expiry, 16
//   bytes a slot, behind a small blocked Bloom filter that answers most
//   misses from cache. Domains are probed by the name and each parent; IPs
//   exactly and by every CIDR prefix length present, longest first. Values
//   are not stored: beside each slot sit a second, independent hash of the
//   value, which a hit must also match, and the indicator's links (event,
//   valid until), so a hit needs no store read but its events' (once per
//   run). Built from the store, written to a file and memory-mapped back, so a
//   process starts matching without rebuilding; immutable, so any number of
//   threads read it while a newer one is built and swapped in (Live).
// - Matcher: telemetry records in, alerts out (NDJSON to a sink, stored on
//   the node with sightings, in batches). Repeats of one indicator for one
//   victim within a window are counted into the first alert, not repeated,
//   also across runs and requests: a repeat of an alert stored earlier and
//   not yet acknowledged counts into it.
//   Only events the viewer may read (core/policy.h) are named; an indicator
//   carried by none the viewer may read does not alert.
// - Router: victim address -> country and ASN (geo), and the responsible
//   organisation: the longest registered constituency network containing it,
//   else an organisation of that country (CERTs first).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ip.h"
#include "core/observable.h"
#include "core/policy.h"
#include "core/status.h"
#include "core/time.h"
#include "geo/geo.h"
#include "store/store.h"
#include "telemetry/telemetry.h"

namespace accord {
class WarningListMatcher;  // misp/misp.h
}

namespace accord::match {

// One snapshot entry: the key of (type, value) and what it points at.
struct Slot {
  uint64_t key = 0;             // 0 = empty
  uint32_t entry = 0;           // the indicator's index in the entry arrays
  uint32_t expires = 0;         // seconds since the epoch; 0 = never
};
static_assert(sizeof(Slot) == 16);

// An indicator link as the snapshot keeps it: the event carrying the
// indicator and until when (seconds since the epoch; 0 = no expiry).
struct SnapshotLink {
  uint32_t event_id = 0;
  uint32_t valid_until = 0;
};
static_assert(sizeof(SnapshotLink) == 8);

struct SnapshotHit {
  uint32_t observable_id = 0;
  Observable matched;  // the indicator's normalized value, rebuilt from the probe
  // Its indicator links when the snapshot was built, in event id order
  // (views into the snapshot: valid while it is).
  std::span<const SnapshotLink> links;
};

// A value made ready for a snapshot lookup: normalized, hashed, and the
// filter words of its keys prefetched (Snapshot::Prepare). A caller that
// prepares a few values ahead of the one it finishes overlaps their memory
// accesses instead of waiting on each in turn (see Matcher). Reusable: its
// buffers keep their capacity.
class Probe {
 public:
  Probe() = default;
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;

 private:
  friend class Snapshot;
  enum class Kind : uint8_t { kNothing, kDomain, kIp, kExact };
  // A 253-byte name has at most 127 labels; an IPv6 address has 128 network
  // lengths besides itself.
  static constexpr size_t kMaxKeys = 130;

  Kind kind_ = Kind::kNothing;
  ObservableType type_ = ObservableType::kDomain;  // kExact: the value's type
  std::string value_;    // kExact: the normalized value
  // kDomain: the normalized name (at most 255 bytes), in place: resizing a
  // string per name was a tenth of preparing a DNS record (bench/match).
  std::array<char, 256> name_;
  size_t name_size_ = 0;
  std::string_view name() const { return {name_.data(), name_size_}; }
  IpAddress address_;    // kIp
  size_t key_count_ = 0;
  bool filtered_ = false;  // PrefetchSlots kept only the keys the filter passes
  // kDomain: the name's key, then each parent's. kIp: the address's key,
  // then each network's, longest prefix first. kExact: one key.
  std::array<uint64_t, kMaxKeys> keys_;
  // kDomain: where each key's name starts in name_; kIp: each key's prefix
  // length (the address's own key has the full length).
  std::array<uint8_t, kMaxKeys> positions_;
};

class Snapshot {
 public:
  // The node's warning lists, read from `store` at the first call and kept
  // with this snapshot (both describe the store at one generation): a hit
  // on a network or a parent domain is dropped when the value seen is
  // itself listed (8.8.8.8 under a live 8.8.8.0/24). Thread-safe.
  Result<const WarningListMatcher*> WarningLists(Store& store) const;
  // Gives the snapshot a matcher compiled from the same store before its
  // first use (the server's WarningListCache), so that each new snapshot
  // does not compile the lists again at its first such hit: with a top-1M
  // list, a 1.6 s stall in the telemetry path after every import.
  void AdoptWarningLists(std::shared_ptr<const WarningListMatcher> lists) const;

  // Compiles every live observable of the store at `now`. Records the
  // store's IndicatorGeneration so callers can tell when it is stale.
  static Result<std::shared_ptr<const Snapshot>> Build(Store& store, TimePoint now);
  // Maps a file written by Write. kCorruption naming the file when it is not
  // a snapshot, is truncated, or fails its checksum; kNotFound when absent.
  static Result<std::shared_ptr<const Snapshot>> Load(const std::string& path);
  // Writes to a temporary file and renames it over `path`: a reader never
  // sees half a snapshot.
  Status Write(const std::string& path) const;

  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  int64_t generation() const { return generation_; }
  int64_t indicator_count() const { return indicator_count_; }
  int64_t built_at_seconds() const { return built_at_seconds_; }
  // Everything a snapshot holds: table, filter, entries and links.
  size_t table_bytes() const {
    return slots_size_ * sizeof(Slot) + filter_size_ * sizeof(uint64_t) +
           static_cast<size_t>(indicator_count_) * 3 * sizeof(uint32_t) + sizeof(uint32_t) +
           link_count_ * sizeof(SnapshotLink);
  }

  // Normalizes `value` as `type` (the import rules, with fast paths for the
  // common forms) and appends every live indicator it hits at `now_seconds`:
  // for a domain, the name and its parents; for an IP, the address and the
  // networks containing it; for a URL, the URL. Thread-safe.
  void Match(ObservableType type, std::string_view value, int64_t now_seconds,
             std::vector<SnapshotHit>& hits) const;
  // Match in three steps, for callers that keep several values in flight:
  // Prepare normalizes and hashes `value` and prefetches its filter words;
  // PrefetchSlots, some time later, prefetches the table slots of the keys
  // the filter lets through (and drops the others from a name's or an exact
  // value's probe); Finish appends the hits as Match would.
  void Prepare(ObservableType type, std::string_view value, Probe& probe) const;
  void PrefetchSlots(Probe& probe) const;
  void Finish(const Probe& probe, int64_t now_seconds, std::vector<SnapshotHit>& hits) const;

 private:
  Snapshot();  // picks lower_domain_ for this CPU
  const Slot* Find(uint64_t key, int64_t now_seconds) const;
  const Slot* FindInTable(uint64_t key, int64_t now_seconds) const;  // Find without the filter
  bool MayHold(uint64_t key) const;  // the filter: false means surely absent
  // Appends the hit of `slot` unless `matched` fails its check hash.
  bool AddHit(const Slot* slot, Observable matched, std::vector<SnapshotHit>& hits) const;
  void AddKey(Probe& probe, uint64_t key, uint8_t position) const;
  void PrepareDomain(std::string_view domain, Probe& probe) const;
  // Keys for probe.name(): `dots` marks its dots (bit i: byte i).
  void PrepareDomainKeys(const std::array<uint64_t, 4>& dots, Probe& probe) const;
  void PrepareIp(const IpAddress& address, Probe& probe) const;
  void PrepareExact(ObservableType type, std::string_view value, Probe& probe) const;

  int64_t generation_ = 0;
  int64_t indicator_count_ = 0;
  int64_t built_at_seconds_ = 0;
  // Which CIDR prefix lengths occur, bit i = /i (IPv4: word 0; IPv6: 0..2).
  uint64_t v4_prefixes_ = 0;
  uint64_t v6_prefixes_[3] = {0, 0, 0};
  // Which label counts domain indicators have (see DomainLabelBit in
  // snapshot_keys.h): a name's suffix of a count no indicator has cannot
  // hit, so it is neither hashed nor probed.
  uint64_t domain_labels_ = 0;
  // The DNS name lowerer for this CPU's vectors (domain_lower.h).
  bool (*lower_domain_)(std::string_view in, char* out, std::array<uint64_t, 4>& dots) = nullptr;
  const Slot* slots_ = nullptr;
  size_t slots_size_ = 0;
  const uint64_t* filter_ = nullptr;  // see FilterMask in snapshot_keys.h
  size_t filter_size_ = 0;
  // The entry arrays, one element per indicator in build order (a slot
  // names its entry): the observable id, a second, independent 32-bit hash
  // of the value (see CheckHash in snapshot_keys.h), and where its links start
  // in links_ (one more element: the end of the last).
  const uint32_t* observable_ids_ = nullptr;
  const uint32_t* checks_ = nullptr;
  const uint32_t* first_links_ = nullptr;
  const SnapshotLink* links_ = nullptr;
  size_t link_count_ = 0;
  std::vector<Slot> owned_;     // when built in memory
  std::vector<uint64_t> owned_filter_;
  std::vector<uint32_t> owned_observable_ids_;
  std::vector<uint32_t> owned_checks_;
  std::vector<uint32_t> owned_first_links_;
  std::vector<SnapshotLink> owned_links_;
  void* mapping_ = nullptr;     // when loaded from a file
  size_t mapping_bytes_ = 0;
  // Built on demand (most runs never hit through a network or a parent).
  mutable std::mutex warning_lists_mutex_;
  mutable std::shared_ptr<const WarningListMatcher> warning_lists_;
};

// The 64-bit key of a normalized observable (exposed for tests and bench).
uint64_t ObservableKey(const Observable& observable);

// The current snapshot of a node, swapped atomically: readers take a
// shared_ptr and keep matching against it while Refresh builds the next.
class LiveSnapshot {
 public:
  explicit LiveSnapshot(std::shared_ptr<const Snapshot> initial) : current_(std::move(initial)) {}
  std::shared_ptr<const Snapshot> Get() const { return std::atomic_load(&current_); }
  void Set(std::shared_ptr<const Snapshot> next) { std::atomic_store(&current_, std::move(next)); }
  // Rebuilds from `store` when its generation moved; returns whether it did.
  // One refresh at a time (others return false at once).
  Result<bool> Refresh(Store& store, TimePoint now);

 private:
  std::shared_ptr<const Snapshot> current_;
  std::mutex refresh_mutex_;
};

// Loads DATA_DIR/match.snapshot when it is current for the store, else
// builds one and writes it there (best effort: a read-only directory still
// gets a snapshot in memory).
Result<std::shared_ptr<const Snapshot>> OpenSnapshot(Store& store, const std::string& data_dir,
                                                     TimePoint now);

struct Routing {
  std::string country;
  uint32_t asn = 0;
  std::string as_organisation;
  int64_t org_id = 0;
  std::string organisation;
};

class Router {
 public:
  // `geo` may be null (no country or ASN; constituencies still route). The
  // organisations and constituencies are read now: build a new Router when
  // they change (the server does so with each new snapshot).
  static Result<std::unique_ptr<Router>> Create(Store& store,
                                                std::shared_ptr<const geo::GeoDatabase> geo);
  Routing Route(const IpAddress& victim) const;

 private:
  Router() = default;
  struct Network {
    IpNetwork network;
    int64_t org_id = 0;
    std::string name;
  };
  std::shared_ptr<const geo::GeoDatabase> geo_;
  std::vector<Network> constituencies_;
  std::map<std::string, std::pair<int64_t, std::string>> by_country_;
};

// An alert as emitted (NDJSON) and stored.
struct AlertEvent {
  std::string uuid;
  std::string title;
  Tlp tlp = Tlp::kAmber;
  std::vector<std::string> tags;
  // The family the event's source names for the matched value alone (a
  // feed's malware column, IndicatorContext::family); empty when none.
  std::vector<std::string> value_families;
};

struct Alert {
  std::string uuid;
  int64_t observable_id = 0;
  Observable matched;
  std::string seen;          // the value as the telemetry had it
  std::string kind;          // the record's kind ("dns", "conn", ...)
  std::string source;        // "file:line"
  int64_t offset = 0;
  std::vector<AlertEvent> events;
  Tlp tlp = Tlp::kAmber;     // the most restrictive of the events'
  std::string victim;
  Routing routing;
  int64_t count = 1;
  std::string first_seen;
  std::string last_seen;
  std::vector<std::string> families;
  // Counted into an alert an earlier run or request stored (its id, first
  // source and counts are that alert's): a sink that notifies says so
  // only of new alerts.
  bool continued = false;

  std::string ToJson() const;
};

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  // Called once per alert a Matcher opens or continues (not for repeats
  // folded into one it already reported).
  virtual Status OnAlert(const Alert& alert) = 0;
  // An alert reported new was, as it was stored, counted into one another
  // request or run opened meanwhile (AlertRow's fold): `alert` now has that
  // one's uuid, its stored count, and is continued. A sink that answers at
  // the end (the REST response, the webhook) reports it as such; one that
  // has printed the line already has nothing to take back.
  virtual Status OnFolded(const std::string& reported_uuid, const Alert& alert) {
    (void)reported_uuid;
    (void)alert;
    return Status::Ok();
  }
  // An alert reported new is stored as new: no other request or run opened
  // it first. A sink that notifies (a webhook) does it here, so that two
  // runs opening one alert at once notify once. Not called when the
  // Matcher stores nothing.
  virtual Status OnStored(const Alert& alert) {
    (void)alert;
    return Status::Ok();
  }
};

struct MatchOptions {
  Principal viewer;                 // whose TLP view decides what alerts name
  int64_t window_seconds = 3600;    // repeats within this fold into one alert
  bool store_alerts = true;         // alerts and sightings written to the node
  size_t flush_every = 5000;        // alert updates per store transaction
  // Pending alert changes are also written when this much time has passed
  // since the last write (a long run or a busy stream), and whenever the
  // input goes quiet (OnInputIdle): what a run has found is on the node
  // within seconds, not only at its end.
  int64_t write_every_seconds = 2;
  std::string actor = "cli";
  std::string source_address = "local";
};

struct MatchSummary {
  int64_t records = 0;
  int64_t candidates = 0;
  int64_t hits = 0;               // verified hits, repeats included
  int64_t alerts = 0;             // distinct alerts
  int64_t continued_alerts = 0;   // of those, alerts stored earlier that this run counted into
  int64_t malformed = 0;
  int64_t unreadable_hits = 0;    // hits on indicators the viewer may not see
  int64_t warning_listed = 0;     // hits whose value seen is on a warning list
  std::map<std::string, int64_t> by_indicator;
  std::map<std::string, int64_t> by_family;
  std::map<std::string, int64_t> by_country;
};

// Not thread-safe: one Matcher per stream (or per request).
class Matcher final : public telemetry::RecordHandler {
 public:
  Matcher(Store& store, std::shared_ptr<const Snapshot> snapshot, const Router& router,
          const MatchOptions& options, AlertSink& sink, const Clock& clock);
  ~Matcher() override;

  // Candidates are looked up a few behind the record that brings them (see
  // Pending): alerts for a record may come during a later call, during
  // OnInputWait, or during Flush.
  Status OnRecord(const telemetry::Record& record) override;
  void OnMalformed(const telemetry::Malformed& malformed) override;
  // Finishes every candidate still in flight, so a quiet stream's alerts
  // are not held back while the reader waits.
  Status OnInputWait() override;
  // Finishes every candidate and writes pending alert changes and
  // sightings: the input is quiet.
  Status OnInputIdle() override;
  // Finishes what is in flight and writes pending alert changes and
  // sightings. Call at the end.
  Status Flush();
  const MatchSummary& summary() const { return summary_; }
  // The malformed records seen, first ones only (for the report).
  const std::vector<telemetry::Malformed>& malformed_examples() const { return malformed_; }

 private:
  struct Indicator;  // what the store says about one observable, cached
  // A candidate in flight: its probe and what an alert needs from its
  // record: the record's views when they last until OnInputWait (which
  // finishes every candidate), else a copy, since they die with the call.
  // Copying four short strings per candidate was 5% of a DNS record
  // (bench/match). A candidate is prepared when
  // it arrives, its slots are prefetched kPipelineDepth / 2 candidates
  // later, and it is finished kPipelineDepth candidates later: the memory
  // accesses of a lookup (bench/match: most of a DNS record's cost) overlap
  // the parsing of the records after it instead of stalling it.
  struct Pending {
    Probe probe;
    std::string_view source;  // lives as long as the stream (telemetry::Record)
    int64_t line = 0;
    int64_t offset = 0;
    ObservableType type = ObservableType::kDomain;
    // Into the record's input, or into `copy`.
    std::string_view kind, timestamp, value, victim;
    // The copy when one is needed: the four one after the other, one buffer,
    // no allocation once grown.
    std::string copy;
  };
  static constexpr size_t kPipelineDepth = 8;
  Status FinishOldest();
  // Writes pending alert changes and sightings to the store.
  Status WriteAlerts();
  Result<const Indicator*> Verify(const SnapshotHit& hit);
  // nullptr when the event is gone; read once per Matcher.
  Result<const EventSummary*> Event(int64_t event_id);
  Status Hit(const telemetry::Record& record, const telemetry::Candidate& candidate,
             const SnapshotHit& hit);
  // The unacknowledged alert an earlier run or request stored with the key
  // and audience of `like` whose first sighting is within the window of
  // `seen_seconds`; nullopt when there is none (or nothing is stored).
  Result<std::optional<AlertRow>> StoredOpenAlert(const AlertRow& like, int64_t seen_seconds);
  // One more sighting of the alert alerts_[alert_idx].
  void CountSighting(size_t alert_idx, const Observable& matched, const std::string& seen_text);

  Store& store_;
  std::shared_ptr<const Snapshot> snapshot_;
  const Router& router_;
  MatchOptions options_;
  AlertSink& sink_;
  const Clock& clock_;
  MatchSummary summary_;
  int64_t now_seconds_ = 0;        // refreshed every 4096 records
  int64_t last_write_seconds_ = 0;  // when WriteAlerts last wrote (clock_)
  std::vector<telemetry::Malformed> malformed_;
  std::vector<SnapshotHit> hits_;  // reused per candidate
  std::unique_ptr<Pending[]> pending_;  // a ring of kPipelineDepth
  size_t pending_oldest_ = 0;
  size_t pending_count_ = 0;
  std::unordered_map<uint32_t, std::unique_ptr<Indicator>> indicators_;
  std::unordered_map<int64_t, std::optional<EventSummary>> events_;
  // Whether any link of the node names a family (Store::AnyLinkFamily),
  // asked at the first hit: nodes without them ask nothing more per hit.
  std::optional<bool> node_has_link_families_;
  // (observable id, victim) -> indexes into alerts_ still open, one per
  // window of time hits fell in (a log read out of order reopens none).
  std::map<std::pair<int64_t, std::string>, std::vector<size_t>> open_alerts_;
  std::vector<Alert> alerts_;
  std::vector<AlertRow> rows_;      // parallel to alerts_
  std::vector<size_t> dirty_;       // alerts_ indexes changed since the last flush
  std::map<size_t, SightingInput> sightings_;  // by alerts_ index, until written
  bool audited_ = false;  // a write of this Matcher has been audited
  // The record Hit last counted and its (observable id, victim) pairs:
  // hits arrive in record order, so a repeat within a record is seen here.
  std::string hit_record_source_;
  int64_t hit_record_line_ = -1;
  int64_t hit_record_offset_ = -1;
  std::vector<std::pair<int64_t, std::string>> hit_record_seen_;
};

// Reads every file (or "-" for stdin) into `handler` (a Matcher, or a wrapper), with `format` and
// `mapping` as given (kAuto detects per file; each file of an archive is a file). A file that
// cannot be opened or read to its end (a truncated gzip of a log still being rotated) does not
// stop the others: what was read of it is matched, and the answer is then an error naming each
// such file. The handler's own error stops everything.
Status MatchFiles(const std::vector<std::string>& paths, const telemetry::ReaderOptions& options,
                  telemetry::RecordHandler& handler, int64_t* bytes_read);

}  // namespace accord::match
