// The SQLite ImportBatch: one BEGIN IMMEDIATE transaction on the store's
// connection, driven through statements prepared once per store.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace accord::sqlite {

// The batch's statements, prepared on the first BeginImport and kept by the
// store, so no batch plans a query again.
// Resets a statement on scope exit so it never stays half-stepped.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& statement) : statement_(statement) {}
  ~ResetOnExit() { statement_.Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& statement_;
};

struct BatchStatements {
  static Result<std::unique_ptr<BatchStatements>> Prepare(Connection& connection);

  // STIX ids bound per AddMembersByStixId statement; shorter chunks leave the
  // remaining parameters NULL, which match nothing.
  static constexpr int kMemberChunk = 200;

  std::unique_ptr<Statement> upsert_event;
  std::unique_ptr<Statement> delete_tags;
  std::unique_ptr<Statement> insert_tag;
  std::unique_ptr<Statement> delete_recipients;
  std::unique_ptr<Statement> insert_recipient;
  std::unique_ptr<Statement> insert_observable;
  std::unique_ptr<Statement> select_observable;
  std::unique_ptr<Statement> set_warninglist;
  std::unique_ptr<Statement> insert_link;
  std::unique_ptr<Statement> update_link;
  std::unique_ptr<Statement> bump_observable_count;
  std::unique_ptr<Statement> link_stix_id;
  std::unique_ptr<Statement> insert_stix_object;
  std::unique_ptr<Statement> select_stix_version;
  std::unique_ptr<Statement> last_date_added;
  std::unique_ptr<Statement> insert_stix_anchor;
  std::unique_ptr<Statement> add_members;
  std::unique_ptr<Statement> sighting_by_observable;
  std::unique_ptr<Statement> sighting_by_stix_id;
  std::unique_ptr<Statement> delete_empty_event;
};

class SqliteImportBatch final : public ImportBatch {
 public:
  static Result<std::unique_ptr<SqliteImportBatch>> Begin(SqliteStore& store,
                                                          Connection& connection,
                                                          BatchStatements& statements);
  // Rolls back unless committed; never throws.
  ~SqliteImportBatch() override;

  // An existing event keeps its owner and created time; title, description,
  // TLP and modified are replaced, stix_id and source only when given.
  Result<int64_t> UpsertEvent(const EventRecord& event, Tlp tlp, int64_t owner_org_id,
                              const std::vector<int64_t>& recipient_org_ids) override;
  // For an existing link the newer context wins (role, confidence,
  // valid_until, comment, is_indicator), except that first_seen/last_seen
  // widen to cover both and the link keeps the stix_id it was made under
  // (LinkMerge::kKeepOtherObjects: the link stays as it is). A non-empty
  // `warninglist` marks the observable; an empty one leaves any existing
  // mark (SetObservableWarningList clears it).
  Result<LinkOutcome> Link(int64_t event_id, const Observable& observable,
                           const IndicatorContext& context, const std::string& warninglist,
                           LinkMerge merge = LinkMerge::kMerge) override;
  // date_added is the insertion time with microseconds, strictly increasing
  // across all batches (the write lock orders them), so TAXII added_after
  // never splits objects that share a timestamp.
  Result<std::optional<int64_t>> PutStixObject(const StixObjectRecord& object, int64_t event_id, Tlp tlp,
                                               int64_t owner_org_id) override;
  Result<std::optional<std::string>> StoredStixVersion(const std::string& id,
                                                       const std::string& modified) override;
  Result<bool> HasOtherStixVersion(const std::string& id, const std::string& modified) override;
  Result<std::vector<int64_t>> RemoveVersionsRestrictedLater(const std::string& id, int64_t owner_org_id) override;
  Result<int64_t> AddMembersByStixId(int64_t event_id,
                                     const std::vector<std::string>& stix_ids) override;
  Result<bool> LinkedWhereReadable(const Observable& observable, int64_t except_event_id,
                                   const Principal& reader) override;
  Result<std::vector<std::string>> StixIdsLinkedIn(int64_t event_id,
                                                   const std::vector<std::string>& stix_ids) override;
  Result<int64_t> RemoveLinksByStixId(int64_t event_id,
                                      const std::vector<std::string>& stix_ids) override;
  Result<std::vector<StixObjectsMoved>> MoveStixObjects(std::span<const StixObjectMove> moves) override;
  Result<SightingOutcome> AddSighting(const SightingInput& sighting) override;
  Result<int64_t> WithdrawLinks(const LinkWithdrawal& withdrawal) override;
  Result<int64_t> NameFamilyFromRelationship(const std::string& relationship_id) override;
  Status DeleteEventIfEmpty(int64_t event_id) override;
  Status AppendAudit(const AuditEntry& entry) override;
  Status Commit() override;

 private:
  SqliteImportBatch(SqliteStore& store, Connection& connection, BatchStatements& statements,
                    std::unique_ptr<Transaction> transaction);
  // Finds the observable's id, creating the row if needed.
  Result<int64_t> ObservableId(const Observable& observable, const std::string& warninglist,
                               bool& created);
  // The id of an existing observable (marking it with a non-empty
  // `warninglist`), or nullopt.
  Result<std::optional<int64_t>> FindObservable(const Observable& observable,
                                                const std::string& warninglist);
  // The id of the new row, or nullopt when the observable already exists.
  Result<std::optional<int64_t>> InsertObservable(const Observable& observable,
                                                  const std::string& warninglist);
  // The date_added for the next object written or moved: now, or just after
  // the last one handed out.
  Result<TimePoint> NextDateAdded();
  // Gives every stored STIX object of the event a new seq and date_added
  // after all others, keeping their order: an organisation named as a
  // recipient after they were stored could read them only from a full
  // re-read, since its added_after cursor (TAXII polls, `federate pull`) had
  // passed them. Others who already read them see them again, unchanged.
  Status ReaddEventObjects(int64_t event_id);
  // The event was made stricter (`tlp`): its derived STIX objects (what
  // TAXII serves for an event that did not come as STIX) at a wider level
  // go now, every version. The event is stale, so they are made again at
  // its level by the next read or, for an event over the inline limit, by
  // the background housekeeper: left until then, they stayed readable at
  // the old level. Objects stored as they came that took the event's level
  // (no TLP marking of their own) move to `tlp`, after all others (as
  // ReaddEventObjects moves them); a producer's own marking stays theirs.
  Status NarrowEventObjects(int64_t event_id, Tlp tlp);
  // The alerts that name the event say what it says now: its title, tags,
  // level and the families its tags name. With `narrow` (the event was made
  // stricter: a higher TLP, a recipient taken off) they are narrowed as
  // MayRead would have decided when they were raised: an alert's TLP is at
  // least the event's, and its routed organisation stays a recipient only
  // if it may still read the event. Alerts are stored with their audience
  // (alert_refresh.cc).
  Status RefreshAlertsNaming(const EventRecord& event, Tlp tlp, int64_t owner_org_id,
                             const std::vector<int64_t>& recipient_org_ids, bool narrow);
  // Gives the rows `seqs` (ascending) new seq and date_added after all
  // others, keeping their order; into `to_event_id` at `to_tlp` when given.
  Status MoveStixRowsToEnd(const std::vector<int64_t>& seqs, std::optional<int64_t> to_event_id,
                           std::optional<Tlp> to_tlp, const std::string& operation);
  // The event's groups begin at their first object again (kind 0 anchors
  // rebuilt from the objects).
  Status AnchorEventGroups(int64_t event_id, const std::string& operation);
  // Likewise for the group of (tlp, owner) outside any event (event_id 0 in
  // stix_anchors).
  Status AnchorOutsideGroup(int64_t tlp, int64_t owner_org_id, const std::string& operation);
  void CountNewLinks(int64_t event_id, int64_t added);
  Status FlushObservableCounts();

  SqliteStore& store_;
  Connection& connection_;
  BatchStatements& statements_;
  std::unique_ptr<Statement> remove_by_stix_id_;  // prepared on first use
  std::unique_ptr<Statement> linked_by_stix_id_;  // prepared on first use
  std::unique_ptr<Statement> linked_where_readable_;  // prepared on first use
  std::unique_ptr<Statement> count_sighting_origin_;  // likewise
  std::unique_ptr<Statement> other_stix_version_;
  std::unique_ptr<Statement> live_links_by_stix_id_;
  std::unique_ptr<Statement> live_links_without_id_;
  std::unique_ptr<Statement> expire_link_;
  std::unique_ptr<Statement> mark_event_stale_;
  std::unique_ptr<Transaction> transaction_;
  // When the write lock was taken (Commit: a batch that held it long lets go).
  std::chrono::steady_clock::time_point began_ = std::chrono::steady_clock::now();
  // One timestamp for every row this batch creates: formatting the clock
  // per row would cost more than the insert on the hot path.
  std::string now_;
  // New links per event, written to events.observable_count at Commit (with
  // the event's stix_stale mark: an event in here was linked into). The
  // last event is kept apart because links arrive grouped by event.
  int64_t counting_event_id_ = 0;
  int64_t counting_event_links_ = 0;
  std::unordered_map<int64_t, int64_t> new_links_per_event_;
  // Events whose existing links this batch changed (not only repeated).
  std::unordered_set<int64_t> changed_events_;
  // Events upserted in this batch with a version time of their own.
  std::unordered_set<int64_t> stated_version_events_;
  // Whether the last observable looked up was already stored: decides which
  // of INSERT and SELECT runs first for the next one.
  bool last_observable_existed_ = false;
  // The last date_added handed out, read from the table on first use.
  std::optional<TimePoint> last_date_added_;
  // Groups of STIX objects (TLP level, owner, event) this batch has made
  // sure are anchored (stix_anchors, migration 15): one INSERT OR IGNORE per
  // group rather than per object (a trigger per row made a 1 M-object import
  // three times slower, bench/import). Nothing this batch does afterwards
  // empties such a group: RefreshDerivedStix deletes only other groups' rows
  // or rows beside the event's own object, which stays. An event whose
  // anchors are rebuilt (AnchorEventGroups) leaves the set.
  std::set<std::tuple<int64_t, int64_t, int64_t>> anchored_groups_;
};

}  // namespace accord::sqlite
