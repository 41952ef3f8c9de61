// SqliteStore::RefreshDerivedStix: keeps the STIX objects that stand for
// events which did not come as STIX (see migration 11) in step with those
// events, so TAXII serves every event and not only imported bundles.
//
// Each stale event is redone from its links as they are now, read a chunk
// at a time: the projector makes one object per link and then the event's
// own, and each is compared with the latest version the event holds by
// rebuilding it with that version's time. Only objects whose content
// changed get a new version, so a TAXII client's added_after cursor sees
// real changes and nothing else. Memory stays bounded by the chunk, the
// ids made (the event's object needs them) and one transaction's writes,
// whatever the event's size: a list event can carry a million values.
#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "core/time.h"
#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

// Events read per query when looking for stale ones.
constexpr int64_t kStaleChunk = 64;
// Links read per query: the chunk is held while its objects are made.
constexpr int64_t kLinkChunk = 4096;
// Objects written per transaction. Small events share one (an fsync per
// event would make the first TAXII read after importing thousands of MISP
// events take minutes); a big one commits as it goes, so the write lock is
// never held for long and the WAL stays small.
constexpr int64_t kWritesPerTransaction = 16384;
constexpr auto kSecondsPerTransaction = std::chrono::seconds(1);

// What an event already holds of one derived object: its latest version.
struct HeldObject {
  std::string modified;  // as stored
  TimePoint modified_time{};
  std::string json;
  // Versions are written and moved together (a move deletes every version
  // first), so the latest one's level and owner are every version's.
  bool placed_right = true;
};

}  // namespace

Result<int64_t> SqliteStore::RefreshDerivedStix(DerivedStixProjector& projector, const std::string& now,
                                                int64_t max_event_links) {
  ASSIGN_OR_RETURN(TimePoint now_time, ParseTimestamp(now));
  const int64_t link_limit = max_event_links > 0 ? max_event_links : INT64_MAX;
  int64_t refreshed = 0;
  int64_t after_id = 0;
  for (;;) {
    std::vector<int64_t> stale;
    {
      ASSIGN_OR_RETURN(auto select,
                       connection_->Cached("SELECT id FROM events WHERE stix_stale = 1 AND id > ?"
                                           " AND observable_count <= ? ORDER BY id LIMIT ?",
                                           "find events with stale derived STIX"));
      select->Bind(1, after_id);
      select->Bind(2, link_limit);
      select->Bind(3, kStaleChunk);
      while (true) {
        ASSIGN_OR_RETURN(bool row, select->Step());
        if (!row) break;
        stale.push_back(select->Int(0));
      }
    }
    if (stale.empty()) return refreshed;
    ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, BeginImport());
    int64_t writes = 0;
    auto batch_began = std::chrono::steady_clock::now();
    for (int64_t event_id : stale) {
      after_id = event_id;
      ASSIGN_OR_RETURN(bool done, RefreshDerivedStixOf(batch, writes, event_id, projector, now_time));
      if (done) ++refreshed;
      // Many small events share a transaction, but not for long: the
      // server's other writes wait at most 5 s for the lock.
      if (std::chrono::steady_clock::now() - batch_began >= kSecondsPerTransaction) {
        RETURN_IF_ERROR(batch->Commit());
        batch.reset();  // a store has one batch open at a time
        ASSIGN_OR_RETURN(batch, BeginImport());
        writes = 0;
        batch_began = std::chrono::steady_clock::now();
      }
    }
    RETURN_IF_ERROR(batch->Commit());
  }
}

Result<bool> SqliteStore::RefreshDerivedStixOf(std::unique_ptr<ImportBatch>& batch, int64_t& writes,
                                               int64_t event_id, DerivedStixProjector& projector,
                                               TimePoint now) {
  const std::string operation = "derived STIX of event id " + std::to_string(event_id);
  auto event_began = std::chrono::steady_clock::now();  // a big event commits as it goes (below)
  // Read again inside the write lock: another process may have done it.
  {
    ASSIGN_OR_RETURN(auto check, connection_->Cached("SELECT stix_stale FROM events WHERE id = ?",
                                                     operation));
    check->Bind(1, event_id);
    ASSIGN_OR_RETURN(bool row, check->Step());
    if (!row || check->Int(0) == 0) return false;
  }
  ASSIGN_OR_RETURN(std::optional<EventSummary> event, GetEventById(event_id));
  if (!event) return false;

  if (!event->source.starts_with("stix:")) {  // STIX events are served as they came
    // An event seen for the first time holds nothing: no lookups needed.
    bool holds_any = false;
    {
      ASSIGN_OR_RETURN(auto any, connection_->Cached("SELECT 1 FROM stix_objects WHERE event_id = ?"
                                                     " AND derived = 1 LIMIT 1",
                                                     operation));
      any->Bind(1, event_id);
      ASSIGN_OR_RETURN(holds_any, any->Step());
    }

    auto held_version = [&](const std::string& id) -> Result<std::optional<HeldObject>> {
      ASSIGN_OR_RETURN(auto select,
                       connection_->Cached("SELECT modified, json, tlp, owner_org_id FROM stix_objects"
                                           " WHERE id = ? AND event_id = ? AND derived = 1"
                                           " ORDER BY modified DESC LIMIT 1",
                                           operation));
      select->Bind(1, id);
      select->Bind(2, event_id);
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) return std::optional<HeldObject>();
      HeldObject held;
      held.modified = select->Text(0);
      ASSIGN_OR_RETURN(held.modified_time, ParseTimestamp(held.modified));
      held.json = select->Text(1);
      held.placed_right =
          select->Int(2) == static_cast<int64_t>(event->tlp) && select->Int(3) == event->owner_org_id;
      return std::optional<HeldObject>(std::move(held));
    };
    auto remove_versions = [&](const std::string& id) -> Status {
      ASSIGN_OR_RETURN(auto remove, connection_->Cached("DELETE FROM stix_objects WHERE event_id = ?"
                                                        " AND derived = 1 AND id = ?",
                                                        operation));
      remove->Bind(1, event_id);
      remove->Bind(2, id);
      return remove->Run();
    };
    // Writes `object` if it is new or changed.
    auto place = [&](const DerivedStixObject& object) -> Status {
      ASSIGN_OR_RETURN(std::string modified, NormalizeTimestamp(object.modified));
      ASSIGN_OR_RETURN(std::string created, NormalizeTimestamp(object.created));
      std::optional<HeldObject> before;
      if (holds_any) {
        ASSIGN_OR_RETURN(before, held_version(object.id));
      }
      if (before) {
        if (before->placed_right && object.build(before->modified) == before->json) return Status::Ok();
        if (!before->placed_right) RETURN_IF_ERROR(remove_versions(object.id));
        // A new version must be later than the one it follows.
        ASSIGN_OR_RETURN(TimePoint wanted, ParseTimestamp(object.modified));
        // Whole milliseconds, as written: compared after rounding, so two
        // versions never share a time.
        wanted = std::chrono::floor<std::chrono::milliseconds>(std::max(wanted, now));
        if (wanted <= before->modified_time) wanted = before->modified_time + std::chrono::milliseconds(1);
        modified = FormatTimestamp(wanted);
      }
      StixObjectRecord record;
      record.id = object.id;
      record.type = object.type;
      record.spec_version = "2.1";
      record.created = created;
      record.modified = modified;
      record.tlp = event->tlp;
      record.event_uuid = event->uuid;
      record.json = object.build(modified);
      record.derived = true;
      RETURN_IF_ERROR(batch->PutStixObject(record, event_id, event->tlp, event->owner_org_id).status());
      // Every 256 writes the clock: a busy machine wrote 16384 in 8 s, and
      // the server's other writes wait at most 5 s for the lock.
      if (++writes >= kWritesPerTransaction ||
          (writes % 256 == 0 && std::chrono::steady_clock::now() - event_began >= kSecondsPerTransaction)) {
        RETURN_IF_ERROR(batch->Commit());
        batch.reset();  // a store has one batch open at a time
        ASSIGN_OR_RETURN(batch, BeginImport());
        writes = 0;
        event_began = std::chrono::steady_clock::now();
      }
      return Status::Ok();
    };

    // A link's STIX id (the indicator it was read from, a MISP attribute's
    // uuid) names the object made for it, unless that would give one id to
    // two contents: the indicator is stored as it came elsewhere, or another
    // of this event's links took the id (one pattern of several values).
    // Stored as it came in this event, it is referred to, not made again.
    auto verbatim_event_of = [&](const std::string& id) -> Result<std::optional<int64_t>> {
      ASSIGN_OR_RETURN(auto select, connection_->Cached("SELECT COALESCE(event_id, 0) FROM stix_objects"
                                                        " WHERE id = ?1 AND derived = 0"
                                                        " ORDER BY event_id IS ?2 DESC LIMIT 1",
                                                        operation));
      select->Bind(1, id);
      select->Bind(2, event_id);
      ASSIGN_OR_RETURN(bool row, select->Step());
      return row ? std::optional<int64_t>(select->Int(0)) : std::nullopt;
    };
    std::set<std::string> taken_ids;
    std::vector<std::string> made_ids;
    std::vector<LinkedObservable> chunk;
    int64_t after_observable = 0;
    do {
      chunk.clear();
      {
        ASSIGN_OR_RETURN(auto select,
                         connection_->Cached("SELECT " + LinkedObservableColumns() +
                                                 " FROM links l JOIN observables o"
                                                 " ON o.id = l.observable_id WHERE l.event_id = ?"
                                                 " AND l.observable_id > ? ORDER BY l.observable_id LIMIT ?",
                                             operation));
        select->Bind(1, event_id);
        select->Bind(2, after_observable);
        select->Bind(3, kLinkChunk);
        while (true) {
          ASSIGN_OR_RETURN(bool row, select->Step());
          if (!row) break;
          ASSIGN_OR_RETURN(LinkedObservable linked, ReadLinkedObservable(*select));
          chunk.push_back(std::move(linked));
        }
      }
      // The statement is reset before anything is written or committed.
      for (LinkedObservable& link : chunk) {
        after_observable = link.observable_id;
        const std::string stix_id = link.context.stix_id;
        if (!stix_id.empty()) {
          ASSIGN_OR_RETURN(std::optional<int64_t> verbatim, verbatim_event_of(stix_id));
          if (verbatim && *verbatim == event_id) {
            if (taken_ids.insert(stix_id).second) made_ids.push_back(stix_id);
            if (holds_any) RETURN_IF_ERROR(remove_versions(stix_id));  // made before this rule
            continue;
          }
          if (verbatim || taken_ids.contains(stix_id)) link.context.stix_id.clear();
        }
        Result<std::optional<DerivedStixObject>> made = projector.LinkObject(*event, link);
        if (!made.ok()) return made.status().WithContext(operation);
        if (!*made) continue;
        if (!taken_ids.insert((*made)->id).second) continue;  // one object per id
        RETURN_IF_ERROR(place(**made));
        made_ids.push_back((*made)->id);
        if ((*made)->type != "indicator" || link.context.family.empty()) continue;
        Result<std::vector<DerivedStixObject>> family = projector.LinkFamilyObjects(*event, link, (*made)->id);
        if (!family.ok()) return family.status().WithContext(operation);
        for (const DerivedStixObject& object : *family) {
          if (!taken_ids.insert(object.id).second) continue;  // the event's malware once
          RETURN_IF_ERROR(place(object));
          made_ids.push_back(object.id);
        }
      }
    } while (static_cast<int64_t>(chunk.size()) == kLinkChunk);

    Result<DerivedStixObject> own = projector.EventObject(*event, made_ids);
    if (!own.ok()) return own.status().WithContext(operation);
    RETURN_IF_ERROR(place(*own));

    if (holds_any) {  // objects the event no longer makes
      made_ids.push_back(own->id);
      std::sort(made_ids.begin(), made_ids.end());
      std::vector<std::string> dropped;
      {
        ASSIGN_OR_RETURN(auto select, connection_->Cached("SELECT DISTINCT id FROM stix_objects"
                                                          " WHERE event_id = ? AND derived = 1",
                                                          operation));
        select->Bind(1, event_id);
        while (true) {
          ASSIGN_OR_RETURN(bool row, select->Step());
          if (!row) break;
          std::string id = select->Text(0);
          if (!std::binary_search(made_ids.begin(), made_ids.end(), id)) dropped.push_back(std::move(id));
        }
      }
      for (const std::string& id : dropped) RETURN_IF_ERROR(remove_versions(id));
    }
  }

  ASSIGN_OR_RETURN(auto done, connection_->Cached("UPDATE events SET stix_stale = 0 WHERE id = ?",
                                                  operation));
  done->Bind(1, event_id);
  RETURN_IF_ERROR(done->Run());
  return true;
}

}  // namespace accord::sqlite
