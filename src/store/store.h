// The Store: everything a node keeps, behind one interface so that the SQLite
// backend (embedded default) and a PostgreSQL backend serve the same callers.
//
// Model (docs/ARCHITECTURE.md has the tables): organisations and API keys;
// events with their TLP, owner and named recipients; one row per observable
// (type, normalized value); one link per (event, observable) carrying the
// indicator context. Correlation is derived from the links, never stored as
// pairs. STIX objects are kept verbatim, every version, keyed (id, modified).
//
// Reads return everything that matches; visibility is decided by the caller
// through MayRead (core/policy.h), the one policy function.
//
// Thread safety: a Store object is used by one thread at a time. Open one per
// thread; they share the database underneath.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/crypto.h"
#include "core/model.h"
#include "core/observable.h"
#include "core/policy.h"
#include "core/status.h"
#include "core/tlp.h"
#include "store/early_warning_rows.h"
#include "store/event_rows.h"
#include "store/import_batch.h"
#include "store/network_rows.h"
#include "store/stealer_rows.h"
#include "store/stix_rows.h"

namespace accord {

struct Organisation {
  int64_t id = 0;
  std::string uuid;
  std::string name;
  std::string country;   // ISO 3166-1 alpha-2, upper case
  std::string kind;      // law-enforcement, cert, private-partner, international
  std::string contact;   // 24/7 contact
  std::string created;
  // For an organisation that stands for a peer node (the one whose key
  // the peer pushes with): the organisation here that reads what it brings
  // at TLP:AMBER and TLP:RED, named a recipient of those events. 0: none.
  int64_t shares_with_org_id = 0;
};

struct ApiKey {
  int64_t id = 0;
  std::string key_id;    // public part, "ak_..."
  int64_t org_id = 0;
  std::string user;      // who holds it
  Role role = Role::kReader;
  SecretHash secret;
  std::string created;
  std::string expires;   // empty = never
  bool revoked = false;
};

// --- users (admin) ---
// A person (or service) of one organisation who holds API keys. The name is
// unique within the organisation; ApiKey::user names the holder.
struct User {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string name;
  Role role = Role::kReader;
  std::string email;     // empty = none
  std::string created;
  bool disabled = false;
};
// --- end users (admin) ---

struct Sighting {
  int64_t id = 0;
  int64_t observable_id = 0;
  int64_t org_id = 0;
  int64_t count = 1;
  std::string first_seen;
  std::string last_seen;
  std::string source;
  std::string origin_id;  // what names it at its source ("alert:<uuid>", a STIX sighting id), or empty
};

struct EventLink {
  EventSummary event;
  IndicatorContext context;
};

// One observable with everything that refers to it.
struct ObservableInfo {
  int64_t id = 0;
  Observable observable;
  std::string created;
  std::string warninglist;
  std::vector<EventLink> events;     // the correlation: every event carrying it
  std::vector<Sighting> sightings;
};

// One object a derived-STIX projector makes for an event. `build` writes its
// JSON for a given version time: the store asks for the version it already
// holds to tell whether anything changed, and for a new one when it did.
struct DerivedStixObject {
  std::string id;
  std::string type;
  std::string created;
  std::string modified;  // the version time when the object is new
  std::function<std::string(const std::string& modified)> build;
};
// Makes the objects that stand for an event that did not come as STIX
// (exchange/ implements it; the store keeps what it makes). Asked one link
// at a time, so a list event of a million values is never held whole.
class DerivedStixProjector {
 public:
  virtual ~DerivedStixProjector() = default;
  // The object for one link of the event; nullopt leaves the link out.
  virtual Result<std::optional<DerivedStixObject>> LinkObject(const EventSummary& event,
                                                             const LinkedObservable& link) = 0;
  // What else stands for the link beside its indicator `indicator_id`: the
  // malware object of the family a feed names for it, and the relationship
  // saying the indicator indicates it. Empty by default.
  virtual Result<std::vector<DerivedStixObject>> LinkFamilyObjects(const EventSummary& event,
                                                                   const LinkedObservable& link,
                                                                   const std::string& indicator_id) {
    (void)event;
    (void)link;
    (void)indicator_id;
    return std::vector<DerivedStixObject>();
  }
  // The event's own object; `link_object_ids` are what LinkObject and
  // LinkFamilyObjects made, in order.
  virtual Result<DerivedStixObject> EventObject(const EventSummary& event,
                                                const std::vector<std::string>& link_object_ids) = 0;
};


struct AuditEntry {
  int64_t seq = 0;
  std::string time;              // RFC 3339
  std::string actor;             // key id, or "cli:<user>"
  std::string action;            // "import", "key.create", ...
  std::string object;            // what it acted on
  std::string detail;            // JSON or text; never a secret
  std::string source_address;    // client IP, or "local"
  std::string prev_hash;
  std::string hash;
};

struct AuditVerification {
  bool intact = true;
  int64_t records = 0;
  int64_t first_bad_seq = 0;     // 0 when intact
  std::string problem;           // what is wrong at first_bad_seq
  // Request history lines checked against the audit records written with
  // them, and lines older than that check (written before schema 32).
  int64_t history_lines = 0;
  int64_t history_lines_unsealed = 0;
  // The last record's hash (empty for an empty or broken log): kept
  // somewhere the node's writers cannot reach, it is an AuditAnchor for
  // later checks.
  std::string head_hash;
};

// A record's hash as a verification reported it earlier. The chain alone
// cannot show a log rewritten whole, every hash after an edit recomputed;
// a hash kept elsewhere can: record `seq` must still have it.
struct AuditAnchor {
  int64_t seq = 0;
  std::string hash;
};
// "SEQ:HASH" (as `accord audit verify` prints it); kInvalidArgument otherwise.
Result<AuditAnchor> ParseAuditAnchor(std::string_view text);

struct StoreCounts {
  int64_t organisations = 0;
  int64_t events = 0;
  int64_t observables = 0;
  int64_t links = 0;
  int64_t live_indicators = 0;   // linked as indicator, not expired, not warning-listed
  int64_t stix_objects = 0;
  int64_t sightings = 0;
};


class Store {
 public:
  virtual ~Store() = default;

  // Schema version after migrations (numbered, see store/migrations).
  virtual Result<int64_t> SchemaVersion() = 0;

  // Node metadata (node id, name, operator organisation).
  virtual Result<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  virtual Status SetMeta(const std::string& key, const std::string& value) = 0;

  // Organisations. Names are unique (case-sensitive as given).
  virtual Result<Organisation> CreateOrganisation(const Organisation& org) = 0;
  // The organisation of that name; else the one whose name differs only in
  // the case of ASCII letters ("bka" for "BKA"), when exactly one does.
  virtual Result<std::optional<Organisation>> FindOrganisationByName(const std::string& name) = 0;
  virtual Result<std::optional<Organisation>> FindOrganisationById(int64_t id) = 0;
  virtual Result<std::vector<Organisation>> ListOrganisations() = 0;

  // API keys. key_id is unique.
  virtual Result<ApiKey> CreateApiKey(const ApiKey& key) = 0;
  virtual Result<std::optional<ApiKey>> FindApiKey(const std::string& key_id) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeys(std::optional<int64_t> org_id) = 0;
  virtual Status RevokeApiKey(const std::string& key_id) = 0;

  virtual Result<std::unique_ptr<ImportBatch>> BeginImport() = 0;

  // Reads.
  virtual Result<std::optional<ObservableInfo>> LookupObservable(const Observable& observable) = 0;
  virtual Result<std::optional<EventSummary>> GetEvent(const std::string& uuid) = 0;
  virtual Result<std::optional<EventSummary>> GetEventById(int64_t event_id) = 0;
  // The families feeds name for one value (IndicatorContext::family), as
  // (event id, family) for each link that has one. AnyLinkFamily answers
  // whether any link has one, so a matcher on a node without them asks
  // nothing per hit.
  virtual Result<std::vector<std::pair<int64_t, std::string>>> LinkFamilies(int64_t observable_id) = 0;
  virtual Result<bool> AnyLinkFamily() = 0;
  // The correlation of a whole event: every other event sharing an
  // observable with it, most shared first, as (event id, observables
  // shared). Reads at most the event's first `scan_limit` links, so a huge
  // event answers in bounded time. Callers filter by MayRead.
  struct SharedObservables {
    int64_t event_id = 0;
    int64_t shared = 0;
  };
  virtual Result<std::vector<SharedObservables>> EventsSharingObservables(int64_t event_id,
                                                                          int64_t scan_limit) = 0;
  // What a MISP event came with that only the MISP export needs, read apart
  // from EventSummary: its attributes that carry no observable, its objects
  // and its creator (EventRecord::misp_other_attributes, misp_objects,
  // misp_orgc). Each is empty when the event has none.
  struct MispKept {
    std::string other_attributes;  // a JSON array
    std::string objects;           // a JSON array
    std::string orgc;              // a JSON object
  };
  virtual Result<MispKept> GetMispKept(int64_t event_id) = 0;
  // Events in id order; stops early when the callback returns non-ok (that
  // status is returned).
  virtual Status ForEachEvent(const EventFilter& filter,
                              const std::function<Status(const EventSummary&)>& fn) = 0;
  virtual Status ForEachLink(int64_t event_id,
                             const std::function<Status(const LinkedObservable&)>& fn) = 0;
  // Objects in insertion (seq) order.
  virtual Status ForEachStixObject(const StixObjectFilter& filter,
                                   const std::function<Status(const StoredStixObject&)>& fn) = 0;
  // Groups in seq order (each group once; two at one seq in owner order).
  virtual Status ForEachStixAnchor(const StixAnchorFilter& filter,
                                   const std::function<Status(const StixAnchor&)>& fn) = 0;
  // Brings the derived STIX objects of stale events up to date: objects
  // the projector makes that are new or changed get a new version (at the
  // event's TLP, owned by its owner), unchanged ones are left alone, and
  // derived objects of the event that it no longer makes, or that sit at
  // another TLP level or owner, are deleted. Events that came as STIX only
  // lose their stale mark. Small events are done whole in one transaction;
  // a big one commits every few thousand objects and keeps its stale mark
  // until its end, so a failure part-way leaves it to be finished (not
  // redone) by the next call. Events with more than `max_event_links`
  // links are left for a call without that limit (0: no limit). Returns how
  // many events were brought up to date. `now` (RFC 3339) dates the
  // versions of changed objects.
  virtual Result<int64_t> RefreshDerivedStix(DerivedStixProjector& projector, const std::string& now,
                                             int64_t max_event_links) = 0;
  virtual Status SetObservableWarningList(int64_t observable_id, const std::string& list_name) = 0;
  virtual Result<StoreCounts> Counts(const std::string& now) = 0;

  // Warning lists, replaced whole by name.
  virtual Result<int64_t> PutWarningList(const WarningListRecord& list) = 0;
  // Loading a list as one transaction: stores `list` (replacing the list of
  // that name), sets every stored observable's mark to what `mark_for` says
  // (a loaded list's name, or empty for none) given its current mark, and
  // appends the audit record `audit_for` builds from the changes. A failure
  // anywhere leaves the node as it was.
  struct WarningListChanges {
    int64_t flagged = 0;  // observables that now carry a mark they did not
    int64_t cleared = 0;  // observables whose mark was removed
  };
  using WarningListMarkFn =
      std::function<std::string(const Observable& observable, const std::string& current_mark)>;
  virtual Result<WarningListChanges> ReplaceWarningList(
      const WarningListRecord& list, const WarningListMarkFn& mark_for,
      const std::function<AuditEntry(const WarningListChanges&)>& audit_for) = 0;
  // The same for taking the list `name` out (kNotFound when there is none):
  // `mark_for` then judges by the lists that remain.
  virtual Result<WarningListChanges> RemoveWarningList(
      const std::string& name, const WarningListMarkFn& mark_for,
      const std::function<AuditEntry(const WarningListChanges&)>& audit_for) = 0;
  virtual Result<std::vector<WarningListRecord>> LoadWarningLists() = 0;
  // A number that changes whenever a list is stored or removed, in the
  // transaction that does it (0 before the first): a matcher built from
  // LoadWarningLists stays good while this stays the same.
  virtual Result<int64_t> WarningListGeneration() = 0;

  // Audit chain: each record's hash covers its fields and the previous hash.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  virtual Status ForEachAudit(const std::function<Status(const AuditEntry&)>& fn) = 0;
  // Also checks each anchor's record still has its hash.
  virtual Result<AuditVerification> VerifyAudit(const std::vector<AuditAnchor>& anchors) = 0;
  Result<AuditVerification> VerifyAudit() { return VerifyAudit({}); }
  // --- users (admin) ---
  // Users. (org_id, name) is unique: kAlreadyExists for a second one,
  // kNotFound for an unknown organisation. Every API key's user has a row:
  // creating a key for a name with none creates it with the key's role.
  virtual Result<User> CreateUser(const User& user) = 0;
  virtual Result<std::optional<User>> FindUser(int64_t org_id, const std::string& name) = 0;
  // In (org_id, name) order; every organisation's when org_id is nullopt.
  virtual Result<std::vector<User>> ListUsers(std::optional<int64_t> org_id) = 0;
  // Disabling a user also revokes every key it holds (in one transaction),
  // so authentication needs no second lookup. kNotFound for an unknown user.
  virtual Status SetUserDisabled(int64_t org_id, const std::string& name, bool disabled) = 0;
  // Audit records with seq > after_seq in seq order, at most `limit` of them
  // (0 = no limit): cursor pagination without reading the chain from 1.
  virtual Status ForEachAuditAfter(int64_t after_seq, int64_t limit,
                                   const std::function<Status(const AuditEntry&)>& fn) = 0;
  // --- end users (admin) ---

  // --- events and indicators (REST) ---
  // Event links across events, for listing indicators (REST /indicators).
  // Rows come in (event id, observable id) order; the caller decides
  // visibility with MayRead on row.event, which carries TLP, owner and
  // recipients. Stops early when the callback returns non-ok (that status is
  // returned). Bad filter timestamps are kInvalidArgument naming the field.
  virtual Status ForEachIndicator(const IndicatorFilter& filter,
                                  const std::function<Status(const IndicatorRow&)>& fn) = 0;
  // Every indicator link as an IndicatorFact, in observable id order (so a
  // value linked by several events arrives in one run), live judged at
  // `now` (RFC 3339). The caller decides visibility by event with MayRead.
  virtual Status ForEachIndicatorFact(const std::string& now,
                                      const std::function<Status(const IndicatorFact&)>& fn) = 0;
  // One event's links in observable id order, narrowed by `filter`; the
  // caller has decided the event is visible. Stops early as above.
  virtual Status ForEachLinkMatching(const EventLinkFilter& filter,
                                     const std::function<Status(const LinkedObservable&)>& fn) = 0;
  // How many of the event's links pass `filter` (its cursor and limit are
  // ignored).
  virtual Result<int64_t> CountLinksMatching(const EventLinkFilter& filter) = 0;
  // How many links the event has of each observable type, most first.
  virtual Result<std::vector<std::pair<ObservableType, int64_t>>> CountLinksByType(int64_t event_id) = 0;
  // Deletes an event with its links, tags, recipients and the STIX objects
  // imported under it; observables and sightings stay (other events may
  // carry them). kNotFound for an unknown id. Runs inside the open import
  // batch's transaction when there is one (so the caller can commit it with
  // its audit record), else in its own.
  virtual Status DeleteEvent(int64_t event_id) = 0;
  // Removes the event's links to these observables and keeps the event's
  // observable_count right. Returns how many were removed. Same transaction
  // rule as DeleteEvent.
  virtual Result<int64_t> RemoveLinks(int64_t event_id,
                                      const std::vector<int64_t>& observable_ids) = 0;
  // --- end events and indicators (REST) ---

  // --- TAXII ---
  // The organisations named as recipients of an event, in id order (empty
  // for an unknown event): what MayRead needs for a STIX object's event.
  virtual Result<std::vector<int64_t>> ListEventRecipients(int64_t event_id) = 0;
  // TAXII status resources (POST objects). `resource_json` is the status
  // resource as served; org_id is the poster's organisation, the only one
  // that may read it back. kAlreadyExists for a repeated id.
  virtual Status PutTaxiiStatus(const std::string& id, int64_t org_id, const std::string& created,
                                const std::string& resource_json) = 0;
  struct TaxiiStatusRow {
    int64_t org_id = 0;
    std::string created;
    std::string resource_json;
  };
  virtual Result<std::optional<TaxiiStatusRow>> GetTaxiiStatus(const std::string& id) = 0;
  // --- end TAXII ---

  // --- early warning ---
  // Every live observable, in id order, with its indicator links, for
  // building a match snapshot. Links that expired by `now` are left out, and
  // so is an observable left with none, or on a warning list.
  virtual Status ForEachLiveObservable(const std::string& now,
                                       const std::function<Status(const LiveObservable&)>& fn) = 0;
  // The highest observable id, 0 when there is none: a bound on how many
  // ForEachLiveObservable yields, read in one index step, so a snapshot's
  // arrays are sized once instead of regrown (and copied) as they fill.
  virtual Result<int64_t> MaxObservableId() = 0;
  // A number that changes whenever anything that decides matching may have
  // changed (every such write appends to the audit log): a snapshot built at
  // generation G is current while IndicatorGeneration() is still G.
  virtual Result<int64_t> IndicatorGeneration() = 0;
  // kAlreadyExists when the organisation already has the network; kNotFound
  // for an unknown organisation. `network` must be normalized CIDR text.
  virtual Result<Constituency> AddConstituency(int64_t org_id, const std::string& network) = 0;
  virtual Status RemoveConstituency(int64_t org_id, const std::string& network) = 0;
  virtual Result<std::vector<Constituency>> ListConstituencies() = 0;
  // Inserts new alerts (id 0) and adds to existing ones (count grows by
  // count - stored_count; first_seen and last_seen widen, in the columns and
  // the stored json) with the sightings and the audit record, in one
  // transaction. Sets each row's id and stored_count (and an existing
  // row's acknowledged_at, first_seen and last_seen as stored now: a writer
  // can tell it was acknowledged meanwhile). A new row with fold
  // bounds that finds an open alert then counts into it instead (AlertRow;
  // the row takes its json), and the sightings named by its alert
  // ("alert:<uuid>") go to that one's.
  // A sighting with an origin_id adds to the one stored under it. `audit`
  // is appended when given (a stream's later count updates go unaudited);
  // its detail's alerts_new and alerts_updated, when it has them, count
  // folded rows as updated.
  virtual Status RecordAlerts(std::vector<AlertRow>& alerts,
                              const std::vector<SightingInput>& sightings,
                              const std::optional<AuditEntry>& audit) = 0;
  // The newest alert nobody has acknowledged with the key of `like`
  // (observable, victim, owner) and its audience (tlp, routed organisation,
  // routed_reads: a hit never widens who reads an alert), first seen
  // strictly between the two timestamps: where telemetry of a later request
  // or run counts a repeat instead of opening a new alert.
  virtual Result<std::optional<AlertRow>> FindOpenAlert(const AlertRow& like,
                                                        const std::string& first_seen_after,
                                                        const std::string& first_seen_before) = 0;
  // In id order. The caller decides visibility with MayRead on each row.
  virtual Status ForEachAlert(const AlertFilter& filter,
                              const std::function<Status(const AlertRow&)>& fn) = 0;
  // The alerts that pass `filter` (its order, keys and limit aside), counted
  // per audience (tlp, owner, routed organisation, routed_reads) and, when
  // `detailed`, also per day of last_seen, country, acknowledgement and
  // families. The caller decides visibility with MayRead on each group.
  virtual Status ForEachAlertTally(const AlertFilter& filter, bool detailed,
                                   const std::function<Status(const AlertTally&)>& fn) = 0;
  virtual Result<std::optional<AlertRow>> FindAlert(const std::string& uuid) = 0;
  // Sets acknowledged_at/by with its audit record in one transaction.
  // kFailedPrecondition when the alert is already acknowledged.
  virtual Status AcknowledgeAlert(int64_t alert_id, const std::string& at, const std::string& by,
                                  const AuditEntry& audit) = 0;
  // --- end early warning ---

  // --- 24/7 network ---
  // Points of contact, one per organisation (replaced whole).
  virtual Status PutPointOfContact(const PointOfContact& poc) = 0;
  virtual Status RemovePointOfContact(int64_t org_id) = 0;
  virtual Result<std::optional<PointOfContact>> GetPointOfContact(int64_t org_id) = 0;
  virtual Result<std::vector<PointOfContact>> ListPointsOfContact() = 0;
  // Inserts (id 0: assigns id, uuid is the caller's, reference becomes
  // `reference` + the id zero-padded to six digits) or updates the request,
  // appending the history line (when its action is non-empty) and the audit
  // record, in one transaction. An update whose `version` is not the stored
  // one is kFailedPrecondition (someone changed it since it was read); on success
  // `request.version` is the new one.
  virtual Status SaveRequest(RequestRow& request, const RequestHistoryRow& history,
                             const AuditEntry& audit) = 0;
  // By id, uuid or reference.
  virtual Result<std::optional<RequestRow>> FindRequest(const std::string& handle) = 0;
  virtual Status ForEachRequest(const RequestFilter& filter,
                                const std::function<Status(const RequestRow&)>& fn) = 0;
  virtual Result<std::vector<RequestHistoryRow>> RequestHistory(int64_t request_id) = 0;
  // Links and attachments come with their history line and audit record, in
  // one transaction. A repeated link is kAlreadyExists.
  virtual Status AddRequestLink(const RequestLinkRow& link, const RequestHistoryRow& history,
                                const AuditEntry& audit) = 0;
  virtual Result<std::vector<RequestLinkRow>> RequestLinks(int64_t request_id) = 0;
  virtual Result<AttachmentRow> AddAttachment(const AttachmentRow& attachment,
                                              std::string_view content,
                                              const RequestHistoryRow& history,
                                              const AuditEntry& audit) = 0;
  virtual Result<std::vector<AttachmentRow>> Attachments(int64_t request_id) = 0;
  // The stored bytes, as they are now (the caller checks them against sha256).
  virtual Result<std::string> AttachmentContent(int64_t attachment_id) = 0;
  // Records the notices not already raised (same request and key), each with
  // a history line on its request (action = kind, reason = message), and,
  // when any was new, the audit record, in one transaction. An "escalation"
  // also sets its request's escalated_at. Returns the new notices with ids.
  virtual Result<std::vector<RequestNotice>> RaiseNotices(
      const std::vector<RequestNotice>& notices, const AuditEntry& audit) = 0;
  // Newest first; org_id 0 = all.
  virtual Result<std::vector<RequestNotice>> ListNotices(int64_t org_id, int64_t request_id) = 0;
  // --- end 24/7 network ---

  // --- infostealer operations ---
  // Creates the operation, or returns the one with that name (its
  // retention_days updated when `operation.retention_days` > 0).
  virtual Result<StealerOperation> UpsertStealerOperation(const StealerOperation& operation) = 0;
  virtual Result<std::optional<StealerOperation>> FindStealerOperation(const std::string& name) = 0;
  virtual Result<std::vector<StealerOperation>> ListStealerOperations() = 0;
  // Inserts the victims whose machine id the operation does not have yet,
  // with their credentials, and the audit record, in one transaction.
  // `victims[i].id` is set for the new ones and stays 0 for duplicates.
  virtual Status AddStealerVictims(std::vector<StealerVictimRow>& victims, const AuditEntry& audit) = 0;
  // Inserts or merges (evidence appended, first/last seen widened) C2 rows,
  // inside the open import batch when there is one.
  virtual Status UpsertStealerC2(const std::vector<StealerC2Row>& servers) = 0;
  virtual Status ForEachStealerVictim(int64_t operation_id,
                                      const std::function<Status(const StealerVictimRow&)>& fn) = 0;
  // Credentials of the operation's victims, in victim id order, or grouped
  // by domain (then victim id) with `by_domain`.
  virtual Status ForEachStealerCredential(
      int64_t operation_id, bool by_domain,
      const std::function<Status(int64_t victim_id, const StealerCredentialRow&)>& fn) = 0;
  virtual Result<std::vector<StealerC2Row>> ListStealerC2(int64_t operation_id) = 0;
  // Every stored SHA-1 starting with `prefix` (5 upper-case hex digits), of
  // passwords or of usernames, with how many credentials carry it.
  virtual Result<std::vector<ExposureCount>> ExposureRange(bool usernames,
                                                           const std::string& prefix) = 0;
  // Removes the personal data (usernames and their hashes, victims' IPs,
  // account and computer names) of victims ingested before `cutoff`, with
  // the audit record. Returns how many victims were purged.
  virtual Result<int64_t> PurgeStealerPersonalData(int64_t operation_id, const std::string& cutoff,
                                                   const AuditEntry& audit) = 0;
  // --- end infostealer operations ---
};

// Hash of an audit record given the previous record's hash: SHA-256 over the
// fields, length-prefixed so no two field sets collide. Shared by backends.
std::string AuditRecordHash(const AuditEntry& entry, const std::string& prev_hash);
// SHA-256 of a request history line's fields, seq included (lines cannot
// swap places): the audit record written with the line lists it.
std::string RequestHistoryHash(const RequestHistoryRow& line);

struct StoreOptions {
  std::string data_dir;          // SQLite: DATA_DIR/accord.db
  bool create = false;           // create the directory and database if absent
  // Read pages through a memory map of the database instead of copying them
  // into the page cache: for read-mostly processes (`accord match`, the
  // server), where a point lookup would otherwise copy whole 64 KiB pages.
  // Mapped pages count in the process's RSS, so imports leave it off.
  bool map_for_reads = false;
  // SQLite's page cache per connection, allocated as pages are read. 64 MiB
  // suits the server's many connections; `accord import` asks for
  // kBulkImportCacheMib.
  int64_t cache_mib = 64;
};

// The page cache for bulk imports: enough to keep the random-key indexes
// (values, STIX ids) of a million-indicator node in memory. bench/import at
// 1 M: 23.5 s instead of 46 s with 200,000 values per transaction, most of
// the difference being 64 KiB pages read back from the OS; peak RSS 294 MB
// instead of 84 MB, still bounded whatever the input's size.
inline constexpr int64_t kBulkImportCacheMib = 256;

// Opens the node's store and applies pending migrations. Errors name the
// path: kNotFound when there is no node there and `create` is false.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace accord
