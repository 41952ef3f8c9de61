// The import's write interface: one transaction that stores events,
// links values to them with their context, keeps STIX objects verbatim,
// records sightings and ends what a producer withdrew. Store::BeginImport
// (store.h) opens one; the importer (src/exchange) is its one writer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/policy.h"
#include "core/observable.h"
#include "core/status.h"
#include "core/tlp.h"

namespace accord {

struct AuditEntry;  // store.h

// What Link does to an existing link made under another STIX object's id.
enum class LinkMerge : uint8_t {
  kMerge,  // the newer context replaces the older, seen dates widen
  // The link stays as the first object made it (its outcome still names
  // that object): a STIX bundle's group of indicators outside any report,
  // where each report read later must take its own object's context.
  kKeepOtherObjects,
  // An owner's edit of the value (REST POST, PUT, PATCH of an event): the
  // context given replaces the link's, whether it came with a STIX id or
  // not, so the owner can turn a live indicator into observed only. The
  // seen dates still widen; the link keeps its STIX id and MISP type, and
  // the family a feed named for the value.
  kReplaceContext,
  // The same, and the context's family replaces the link's (empty: none).
  kReplaceContextAndFamily,
};

struct LinkOutcome {
  bool observable_created = false;
  bool link_created = false;
  // The link already existed under another STIX object's id, which it
  // keeps (the value came with two indicators): empty otherwise.
  std::string kept_stix_id;
};

// A value an import names still, at the level it was named at (nullopt:
// unmarked, so any).
struct NamedValue {
  Observable value;
  std::optional<Tlp> level;
  auto operator<=>(const NamedValue&) const = default;
};

struct LinkWithdrawal {
  std::string stix_id;           // the object whose links end
  std::string at;                // RFC 3339: when they stop being live
  int64_t owner_org_id = 0;      // only links in this organisation's events (0: any)
  // Values named still (sorted): their links stay live in events whose
  // readers may read them at the level named (FitsWithin), wherever the
  // import linked them (a report read later copies them). A value a new
  // version marks more strictly ends at the old, wider level.
  std::span<const NamedValue> keep;
  // Links of these values in `events` that carry no object id end too
  // (the other parts of a deleted MISP composite attribute: in its event
  // or one of that event's companions at a stricter level).
  std::span<const int64_t> events;
  std::span<const Observable> without_id;
};

// STIX objects a report read later in the file claims: the versions of
// `stix_ids` stored in `from_event_id` (0: outside any event; only those at
// `only_at`, and only the rows `only_seqs` when given) go into
// `to_event_id`, at `to_tlp` when given (objects that came without a TLP
// marking take the report's level, as their values do), and to the end of
// the TAXII order, so readers who gain them by the move find them after
// their added_after cursor.
struct StixObjectMove {
  std::span<const std::string> stix_ids;
  int64_t from_event_id = 0;
  std::optional<Tlp> only_at;
  std::optional<std::span<const int64_t>> only_seqs;  // sorted: the rows PutStixObject returned
  int64_t to_event_id = 0;
  std::optional<Tlp> to_tlp;
};

struct StixObjectsMoved {
  int64_t versions = 0;
  // The created_by_ref of the versions moved (each once): an unmarked
  // creator's level follows its objects' (exchange/unmarked_identities.h).
  std::vector<std::string> creators;
};

struct SightingInput {
  std::optional<Observable> observable;  // either this ...
  std::string indicator_stix_id;         // ... or the indicator it sighted
  int64_t org_id = 0;
  int64_t count = 1;
  std::string first_seen;
  std::string last_seen;
  std::string source;
  std::string origin_id;  // SightingRecord::origin_id; empty: always a new sighting
};

struct SightingOutcome {
  int64_t added = 0;  // sighting rows written (one per value sighted)
  int64_t known = 0;  // rows already there under the same origin id
  int64_t updated = 0;  // of those, rows given a larger count or a wider span
};

// One transaction. Nothing is visible to other readers until Commit();
// destroying an uncommitted batch rolls it back.
class ImportBatch {
 public:
  virtual ~ImportBatch() = default;
  // Inserts the event, or updates title/description/tlp/tags/recipients/
  // modified of the event with the same uuid. Returns its id. The threat
  // level and analysis stage, and the MISP attributes without observables,
  // are updated only when the record has them: a writer that knows nothing
  // of MISP (a REST edit, a STIX import) never erases them.
  virtual Result<int64_t> UpsertEvent(const EventRecord& event, Tlp tlp, int64_t owner_org_id,
                                      const std::vector<int64_t>& recipient_org_ids) = 0;
  // Creates the observable if new and the (event, observable) link if new;
  // an existing link keeps its row and gets the newer context (see
  // LinkMerge). `warninglist` (a list name, or empty) is recorded on the
  // observable.
  virtual Result<LinkOutcome> Link(int64_t event_id, const Observable& observable,
                                   const IndicatorContext& context, const std::string& warninglist,
                                   LinkMerge merge = LinkMerge::kMerge) = 0;
  // Stores one STIX object version: its row's seq (StoredStixObject::seq),
  // or nullopt when (id, modified) is already there.
  virtual Result<std::optional<int64_t>> PutStixObject(const StixObjectRecord& object, int64_t event_id,
                                                       Tlp tlp, int64_t owner_org_id) = 0;
  // The JSON stored for version `modified` of object `id` (this batch's
  // writes included), or nullopt.
  virtual Result<std::optional<std::string>> StoredStixVersion(const std::string& id,
                                                               const std::string& modified) = 0;
  // Whether a version of object `id` other than `modified` is stored.
  virtual Result<bool> HasOtherStixVersion(const std::string& id, const std::string& modified) = 0;
  // STIX 2.1 3.6: the newest version of an object is the object. Removes
  // each version of `id` stored by `owner_org_id` that a later version of
  // theirs marks more strictly with its own marking (not a level an import
  // inferred for an unmarked object) (a report made AMBER after it was shared
  // GREEN): kept, the earlier one went on being served at its laxer level
  // (TAXII, exports, federation) after its producer had restricted it, and
  // one read after the stricter version came was served too. Returns the
  // seqs removed (StoredStixObject::seq).
  virtual Result<std::vector<int64_t>> RemoveVersionsRestrictedLater(const std::string& id,
                                                                     int64_t owner_org_id) = 0;
  // Links into `event_id` every observable that any event links with one of
  // `stix_ids` as its context.stix_id (a STIX report's object_refs). Returns
  // the number of links added.
  virtual Result<int64_t> AddMembersByStixId(int64_t event_id,
                                             const std::vector<std::string>& stix_ids) = 0;
  // Whether an event other than `except_event_id` links `observable` where
  // `reader` may read it (core/policy.h MayRead): one indexed look, for
  // counting a value the importer could already read as known.
  virtual Result<bool> LinkedWhereReadable(const Observable& observable, int64_t except_event_id,
                                           const Principal& reader) = 0;
  // Those of `stix_ids` that `event_id` links values under (as their
  // context.stix_id), in the order given.
  virtual Result<std::vector<std::string>> StixIdsLinkedIn(int64_t event_id,
                                                           const std::vector<std::string>& stix_ids) = 0;
  // Removes from `event_id` the links whose context.stix_id is one of
  // `stix_ids`: a STIX bundle's group event gives up the indicators a report
  // (read later in the same file) claimed. Returns the number removed.
  virtual Result<int64_t> RemoveLinksByStixId(int64_t event_id,
                                              const std::vector<std::string>& stix_ids) = 0;
  // See StixObjectMove: what each move moved, in order. The events' groups
  // are anchored again once, after every move.
  virtual Result<std::vector<StixObjectsMoved>> MoveStixObjects(std::span<const StixObjectMove> moves) = 0;
  // Records a sighting of an observable or of every observable an indicator
  // id carries. Returns how many observables it was recorded on (0 = unknown).
  virtual Result<SightingOutcome> AddSighting(const SightingInput& sighting) = 0;
  // The links made under `withdrawal.stix_id` stop being live at its `at`
  // (valid_until set to it, unless already earlier), but for the values it
  // keeps: a revoked STIX indicator, a new version with another pattern, a
  // MISP attribute deleted. Returns the links changed.
  virtual Result<int64_t> WithdrawLinks(const LinkWithdrawal& withdrawal) = 0;
  // A STIX `indicates` relationship from an indicator to a malware object
  // (its newest stored version, not revoked, the malware's too) names the
  // malware as the family of the values the indicator's links carry
  // (IndicatorContext::family), as a feed's malware column does: alerts on
  // them name it. Only links of the relationship's owner whose every reader
  // may read both objects get it: events no wider than either, and, for an
  // object above GREEN, the object's own event or none of the event
  // owner's when the event names no recipient (a relationship no report
  // names is stored outside any event). A relationship or malware revoked
  // since, or now marked more strictly than a link's event, takes back the
  // family it gave there. Returns the links changed.
  virtual Result<int64_t> NameFamilyFromRelationship(const std::string& relationship_id) = 0;
  // Deletes an event that ended up with no links (a STIX bundle's group of
  // unreported indicators once reports claimed them all). No-op otherwise.
  virtual Status DeleteEventIfEmpty(int64_t event_id) = 0;
  // Appends to the audit chain inside this transaction.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  virtual Status Commit() = 0;
};

}  // namespace accord
