// The SQLite backend of the Store: the embedded default, one file
// DATA_DIR/accord.db in WAL mode.
//
// A SqliteStore owns one sqlite3 connection and its prepared statements, so
// it is used by one thread at a time; open one Store per thread (they share
// the database file, and WAL lets readers run beside the one writer). An
// ImportBatch borrows the store's connection: at most one batch is open per
// store, the store must outlive it, and other store calls made while it is
// open run inside its transaction.
//
// Timestamps are stored as given and compared as text, so callers pass them
// in FormatTimestamp's form (the importer normalizes); filter arguments
// (modified_since, added_after, Counts' now) are normalized here.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/time.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace accord::sqlite {

struct BatchStatements;

class SqliteStore final : public Store {
 public:
  // Opens `path`, sets the connection's PRAGMAs and applies migrations up to
  // `up_to_version` (all of them unless a test says otherwise).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, bool create,
                                                   std::optional<int64_t> up_to_version,
                                                   bool map_for_reads = false,
                                                   int64_t cache_mib = 64);
  ~SqliteStore() override;

  Result<int64_t> SchemaVersion() override;
  Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  Status SetMeta(const std::string& key, const std::string& value) override;

  Result<Organisation> CreateOrganisation(const Organisation& org) override;
  Result<std::optional<Organisation>> FindOrganisationByName(const std::string& name) override;
  Result<std::optional<Organisation>> FindOrganisationById(int64_t id) override;
  Result<std::vector<Organisation>> ListOrganisations() override;

  Result<ApiKey> CreateApiKey(const ApiKey& key) override;
  Result<std::optional<ApiKey>> FindApiKey(const std::string& key_id) override;
  Result<std::vector<ApiKey>> ListApiKeys(std::optional<int64_t> org_id) override;
  Status RevokeApiKey(const std::string& key_id) override;

  Result<std::unique_ptr<ImportBatch>> BeginImport() override;

  // observable_count of the EventSummary entries comes from the counter the
  // import batch keeps on the event, so it is exact and cheap everywhere.
  Result<std::optional<ObservableInfo>> LookupObservable(const Observable& observable) override;
  Result<std::optional<EventSummary>> GetEvent(const std::string& uuid) override;
  Result<std::optional<EventSummary>> GetEventById(int64_t event_id) override;
  Result<std::vector<std::pair<int64_t, std::string>>> LinkFamilies(int64_t observable_id) override;
  Result<bool> AnyLinkFamily() override;
  Result<std::vector<SharedObservables>> EventsSharingObservables(int64_t event_id,
                                                                  int64_t scan_limit) override;
  Result<MispKept> GetMispKept(int64_t event_id) override;
  Status ForEachEvent(const EventFilter& filter,
                      const std::function<Status(const EventSummary&)>& fn) override;
  // In observable id order.
  Status ForEachLink(int64_t event_id,
                     const std::function<Status(const LinkedObservable&)>& fn) override;
  Status ForEachStixObject(const StixObjectFilter& filter,
                           const std::function<Status(const StoredStixObject&)>& fn) override;
  Status ForEachStixAnchor(const StixAnchorFilter& filter,
                           const std::function<Status(const StixAnchor&)>& fn) override;
  // derived_stix.cc
  Result<int64_t> RefreshDerivedStix(DerivedStixProjector& projector, const std::string& now,
                                     int64_t max_event_links) override;
  // An empty `list_name` clears the mark. kNotFound for an unknown id.
  Status SetObservableWarningList(int64_t observable_id, const std::string& list_name) override;
  Result<StoreCounts> Counts(const std::string& now) override;

  Result<int64_t> PutWarningList(const WarningListRecord& list) override;
  Result<WarningListChanges> ReplaceWarningList(
      const WarningListRecord& list, const WarningListMarkFn& mark_for,
      const std::function<AuditEntry(const WarningListChanges&)>& audit_for) override;
  Result<WarningListChanges> RemoveWarningList(
      const std::string& name, const WarningListMarkFn& mark_for,
      const std::function<AuditEntry(const WarningListChanges&)>& audit_for) override;
  Result<std::vector<WarningListRecord>> LoadWarningLists() override;
  Result<int64_t> WarningListGeneration() override;

  Status AppendAudit(const AuditEntry& entry) override;
  Status ForEachAudit(const std::function<Status(const AuditEntry&)>& fn) override;
  using Store::VerifyAudit;
  Result<AuditVerification> VerifyAudit(const std::vector<AuditAnchor>& anchors) override;

  // --- users (admin) --- (users.cc)
  Result<User> CreateUser(const User& user) override;
  Result<std::optional<User>> FindUser(int64_t org_id, const std::string& name) override;
  Result<std::vector<User>> ListUsers(std::optional<int64_t> org_id) override;
  // Runs inside the caller's transaction when one is open (an import batch
  // used to commit the change with its audit record), else in its own.
  Status SetUserDisabled(int64_t org_id, const std::string& name, bool disabled) override;
  Status ForEachAuditAfter(int64_t after_seq, int64_t limit,
                           const std::function<Status(const AuditEntry&)>& fn) override;
  // --- end users (admin) ---

  // --- events and indicators (REST) --- (rest_reads.cc, rest_writes.cc)
  Status ForEachIndicator(const IndicatorFilter& filter,
                          const std::function<Status(const IndicatorRow&)>& fn) override;
  Status ForEachIndicatorFact(const std::string& now,
                              const std::function<Status(const IndicatorFact&)>& fn) override;
  Status DeleteEvent(int64_t event_id) override;
  Result<int64_t> RemoveLinks(int64_t event_id,
                              const std::vector<int64_t>& observable_ids) override;
  Status ForEachLinkMatching(const EventLinkFilter& filter,
                             const std::function<Status(const LinkedObservable&)>& fn) override;
  Result<int64_t> CountLinksMatching(const EventLinkFilter& filter) override;
  Result<std::vector<std::pair<ObservableType, int64_t>>> CountLinksByType(int64_t event_id) override;
  // --- end events and indicators (REST) ---

  // --- TAXII --- (taxii_store.cc; ForEachStixObject is in stix_reads.cc)
  Result<std::vector<int64_t>> ListEventRecipients(int64_t event_id) override;
  Status PutTaxiiStatus(const std::string& id, int64_t org_id, const std::string& created,
                        const std::string& resource_json) override;
  Result<std::optional<TaxiiStatusRow>> GetTaxiiStatus(const std::string& id) override;
  // --- end TAXII ---

  // --- early warning --- (early_warning.cc)
  Status ForEachLiveObservable(const std::string& now,
                               const std::function<Status(const LiveObservable&)>& fn) override;
  Result<int64_t> MaxObservableId() override;
  Result<int64_t> IndicatorGeneration() override;
  Result<Constituency> AddConstituency(int64_t org_id, const std::string& network) override;
  Status RemoveConstituency(int64_t org_id, const std::string& network) override;
  Result<std::vector<Constituency>> ListConstituencies() override;
  Status RecordAlerts(std::vector<AlertRow>& alerts, const std::vector<SightingInput>& sightings,
                      const std::optional<AuditEntry>& audit) override;
  Result<std::optional<AlertRow>> FindAlert(const std::string& uuid) override;
  Result<std::optional<AlertRow>> FindOpenAlert(const AlertRow& like, const std::string& first_seen_after,
                                                const std::string& first_seen_before) override;
  Status AcknowledgeAlert(int64_t alert_id, const std::string& at, const std::string& by,
                          const AuditEntry& audit) override;
  Status ForEachAlert(const AlertFilter& filter,
                      const std::function<Status(const AlertRow&)>& fn) override;
  Status ForEachAlertTally(const AlertFilter& filter, bool detailed,
                           const std::function<Status(const AlertTally&)>& fn) override;

  // Called by the batch when it ends, committed or not.
  void BatchEnded() { batch_open_ = false; }

  // --- 24/7 network --- (network247.cc)
  Status PutPointOfContact(const PointOfContact& poc) override;
  Status RemovePointOfContact(int64_t org_id) override;
  Result<std::optional<PointOfContact>> GetPointOfContact(int64_t org_id) override;
  Result<std::vector<PointOfContact>> ListPointsOfContact() override;
  Status SaveRequest(RequestRow& request, const RequestHistoryRow& history,
                     const AuditEntry& audit) override;
  Result<std::optional<RequestRow>> FindRequest(const std::string& handle) override;
  Status ForEachRequest(const RequestFilter& filter,
                        const std::function<Status(const RequestRow&)>& fn) override;
  Result<std::vector<RequestHistoryRow>> RequestHistory(int64_t request_id) override;
  Status AddRequestLink(const RequestLinkRow& link, const RequestHistoryRow& history,
                        const AuditEntry& audit) override;
  Result<std::vector<RequestLinkRow>> RequestLinks(int64_t request_id) override;
  Result<AttachmentRow> AddAttachment(const AttachmentRow& attachment, std::string_view content,
                                      const RequestHistoryRow& history,
                                      const AuditEntry& audit) override;
  Result<std::vector<AttachmentRow>> Attachments(int64_t request_id) override;
  Result<std::string> AttachmentContent(int64_t attachment_id) override;
  Result<std::vector<RequestNotice>> RaiseNotices(const std::vector<RequestNotice>& notices,
                                                  const AuditEntry& audit) override;
  Result<std::vector<RequestNotice>> ListNotices(int64_t org_id, int64_t request_id) override;

  // --- infostealer operations --- (stealer.cc)
  Result<StealerOperation> UpsertStealerOperation(const StealerOperation& operation) override;
  Result<std::optional<StealerOperation>> FindStealerOperation(const std::string& name) override;
  Result<std::vector<StealerOperation>> ListStealerOperations() override;
  Status AddStealerVictims(std::vector<StealerVictimRow>& victims, const AuditEntry& audit) override;
  Status UpsertStealerC2(const std::vector<StealerC2Row>& servers) override;
  Status ForEachStealerVictim(int64_t operation_id,
                              const std::function<Status(const StealerVictimRow&)>& fn) override;
  Status ForEachStealerCredential(
      int64_t operation_id, bool by_domain,
      const std::function<Status(int64_t victim_id, const StealerCredentialRow&)>& fn) override;
  Result<std::vector<StealerC2Row>> ListStealerC2(int64_t operation_id) override;
  Result<std::vector<ExposureCount>> ExposureRange(bool usernames, const std::string& prefix) override;
  Result<int64_t> PurgeStealerPersonalData(int64_t operation_id, const std::string& cutoff,
                                           const AuditEntry& audit) override;

 private:
  // Sets every observable's warning-list mark to what `mark_for` says; runs
  // inside the caller's transaction.
  // Within the transaction that stores or removes a warning list.
  Status BumpWarningListGeneration(const std::string& operation);
  Result<WarningListChanges> RemarkObservables(const std::string& operation,
                                               const WarningListMarkFn& mark_for);
  explicit SqliteStore(std::unique_ptr<Connection> connection);
  Result<EventSummary> ReadEventRow(Statement& row, int first_column);
  Status FillEventLists(EventSummary& event);
  // Steps a "SELECT <kEventColumns> ..." statement once; the event with its
  // tags and recipients, or nullopt.
  Result<std::optional<EventSummary>> ReadOneEvent(Statement& select);
  // The highest seq of the objects added at or before `time` (FormatMicros
  // text), 0 when none was.
  Result<int64_t> LastSeqAddedAtOrBefore(const std::string& time);
  // RefreshDerivedStix for one event inside `batch`'s transaction, which
  // it commits and reopens when `writes` reaches a transaction's worth;
  // false when the event was no longer stale.
  Result<bool> RefreshDerivedStixOf(std::unique_ptr<ImportBatch>& batch, int64_t& writes,
                                    int64_t event_id, DerivedStixProjector& projector, TimePoint now);

  std::unique_ptr<Connection> connection_;
  // Prepared once on the first BeginImport and reused by every batch.
  std::unique_ptr<BatchStatements> batch_statements_;
  bool batch_open_ = false;
};

// Store-level helpers shared by the store and its import batch.

// Appends `entry` to the audit chain on `connection`, which must be inside a
// write transaction (the head in meta and the new record change together).
Status AppendAuditRecord(Connection& connection, const AuditEntry& entry);
// Before an event is deleted: the alerts that name it lose it (its title,
// tags and families), and their routed organisations keep reading them only
// through the events left (alert_refresh.cc); one that may read none of
// those no longer reads the alert.
Status NarrowAlertsOfDeletedEvent(Connection& connection, const std::string& event_uuid);

// The seq the next audit record on `connection` takes.
Result<int64_t> NextAuditSeq(Connection& connection);

// A request history line is sealed by the audit record written with it:
// the record's detail lists the line's RequestHistoryHash under this key,
// and the line keeps the record's seq (request_history.audit_seq).
inline constexpr std::string_view kHistoryHashesKey = "history_sha256";

// The columns ReadEventRow expects, for "SELECT <kEventColumns> FROM events e".
inline constexpr std::string_view kEventColumns =
    "e.id, e.uuid, e.title, e.description, e.tlp, e.owner_org_id, e.created, e.modified, "
    "e.stix_id, e.source, e.observable_count, e.threat_level, e.analysis, e.revision";
inline constexpr int kEventColumnCount = 14;

// The columns ReadLinkContext expects, for "... FROM links l".
inline constexpr std::string_view kLinkColumns =
    "l.role, l.confidence, l.first_seen, l.last_seen, l.valid_until, l.comment, l.stix_id, "
    "l.is_indicator, l.misp_type, l.misp_composite_type, l.misp_composite_value, "
    "l.misp_composite_id, l.family";
IndicatorContext ReadLinkContext(const Statement& row, int first_column);
// An event's link with its observable, for "SELECT <LinkedObservableColumns()>
// FROM links l JOIN observables o ON o.id = l.observable_id".
inline std::string LinkedObservableColumns() {
  return "o.id, o.type, o.value, o.warninglist, " + std::string(kLinkColumns);
}
Result<LinkedObservable> ReadLinkedObservable(const Statement& row);

// The statement ForEachAlert runs for `filter`: ?1 the stored-order id
// bound, ?2 country, ?3 routed organisation, ?4 limit, ?5 acknowledged,
// ?6 and ?7 the observed-order key, ?8 the family ("\x1f<family>\x1f",
// lowercase). Apart so its query plan can be tested.
std::string AlertListSql(const AlertFilter& filter);
// The statement ForEachAlertTally runs: the same filters (?2, ?3, ?5, ?8).
std::string AlertTallySql(bool detailed);

Result<Tlp> TlpFromColumn(int64_t value, std::string_view where);
Result<ObservableType> ObservableTypeFromColumn(int64_t value, std::string_view where);

}  // namespace accord::sqlite
