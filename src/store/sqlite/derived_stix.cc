// SqliteStore::RefreshDerivedStix: keeps the STIX objects that stand for
// events which did not come as STIX (see migration 11) in step with those
// events, so TAXII serves every event and not only imported bundles.
//
// Each stale event is redone whole in one write transaction: the projector
// makes its objects from the event and its links as they are now, and each
// is compared with the latest version the event holds by rebuilding it with
// that version's time. Only objects whose content changed get a new version,
// so a TAXII client's added_after cursor sees real changes and nothing else.
#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/time.h"
#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

// Events read per query when looking for stale ones.
constexpr int64_t kStaleChunk = 64;

// What an event already holds of one derived object.
struct HeldObject {
  std::string modified;  // the latest version's time, as stored
  TimePoint modified_time{};
  size_t json_hash = 0;  // of the latest version's JSON
  // Every version is at the event's TLP level and owner. A version left at
  // an old level would still be served to that level's readers.
  bool placed_right = true;
};

size_t HashJson(std::string_view json) { return std::hash<std::string_view>{}(json); }

}  // namespace

Result<int64_t> SqliteStore::RefreshDerivedStix(const DerivedStixProjector& projector,
                                                const std::string& now) {
  ASSIGN_OR_RETURN(TimePoint now_time, ParseTimestamp(now));
  int64_t refreshed = 0;
  int64_t after_id = 0;
  for (;;) {
    std::vector<int64_t> stale;
    {
      ASSIGN_OR_RETURN(auto select,
                       connection_->Cached("SELECT id FROM events WHERE stix_stale = 1 AND id > ?"
                                           " ORDER BY id LIMIT ?",
                                           "find events with stale derived STIX"));
      select->Bind(1, after_id);
      select->Bind(2, kStaleChunk);
      while (true) {
        ASSIGN_OR_RETURN(bool row, select->Step());
        if (!row) break;
        stale.push_back(select->Int(0));
      }
    }
    if (stale.empty()) return refreshed;
    // One transaction per chunk: an fsync per event would make a first
    // TAXII read after importing thousands of MISP events take minutes.
    ASSIGN_OR_RETURN(auto batch, BeginImport());
    for (int64_t event_id : stale) {
      after_id = event_id;
      ASSIGN_OR_RETURN(bool done, RefreshDerivedStixOf(*batch, event_id, projector, now_time));
      if (done) ++refreshed;
    }
    RETURN_IF_ERROR(batch->Commit());
  }
}

Result<bool> SqliteStore::RefreshDerivedStixOf(ImportBatch& batch, int64_t event_id,
                                               const DerivedStixProjector& projector, TimePoint now) {
  const std::string operation = "derived STIX of event id " + std::to_string(event_id);
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
    std::vector<LinkedObservable> links;
    RETURN_IF_ERROR(ForEachLink(event_id, [&](const LinkedObservable& link) {
      links.push_back(link);
      return Status::Ok();
    }));
    Result<std::vector<DerivedStixObject>> made = projector(*event, links);
    if (!made.ok()) return made.status().WithContext(operation);

    std::unordered_map<std::string, HeldObject> held;
    {
      ASSIGN_OR_RETURN(auto select,
                       connection_->Cached("SELECT id, modified, json, tlp, owner_org_id FROM"
                                           " stix_objects WHERE event_id = ? AND derived = 1",
                                           operation));
      select->Bind(1, event_id);
      while (true) {
        ASSIGN_OR_RETURN(bool row, select->Step());
        if (!row) break;
        const std::string id = select->Text(0);
        const std::string modified = select->Text(1);
        ASSIGN_OR_RETURN(TimePoint modified_time, ParseTimestamp(modified));
        auto [entry, first] = held.try_emplace(id);
        HeldObject& object = entry->second;
        if (first || modified_time > object.modified_time) {
          object.modified = modified;
          object.modified_time = modified_time;
          object.json_hash = HashJson(select->Text(2));
        }
        if (select->Int(3) != static_cast<int64_t>(event->tlp) || select->Int(4) != event->owner_org_id) {
          object.placed_right = false;
        }
      }
    }

    ASSIGN_OR_RETURN(auto remove, connection_->Cached("DELETE FROM stix_objects WHERE event_id = ?"
                                                      " AND derived = 1 AND id = ?",
                                                      operation));
    auto remove_versions = [&](const std::string& id) {
      remove->Bind(1, event_id);
      remove->Bind(2, id);
      Status status = remove->Run();
      remove->Reset();
      return status;
    };
    std::unordered_set<std::string> made_ids;
    for (const DerivedStixObject& object : *made) {
      made_ids.insert(object.id);
      ASSIGN_OR_RETURN(std::string modified, NormalizeTimestamp(object.modified));
      ASSIGN_OR_RETURN(std::string created, NormalizeTimestamp(object.created));
      auto existing = held.find(object.id);
      if (existing != held.end()) {
        const HeldObject& before = existing->second;
        if (before.placed_right && HashJson(object.build(before.modified)) == before.json_hash) {
          continue;  // unchanged
        }
        if (!before.placed_right) RETURN_IF_ERROR(remove_versions(object.id));
        // A new version must be later than the one it follows.
        ASSIGN_OR_RETURN(TimePoint wanted, ParseTimestamp(object.modified));
        // Whole milliseconds, as written: compared after rounding, so two
        // versions never share a time.
        wanted = std::chrono::floor<std::chrono::milliseconds>(std::max(wanted, now));
        if (wanted <= before.modified_time) wanted = before.modified_time + std::chrono::milliseconds(1);
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
      RETURN_IF_ERROR(batch.PutStixObject(record, event_id, event->tlp, event->owner_org_id).status());
    }
    for (const auto& [id, object] : held) {
      if (!made_ids.contains(id)) RETURN_IF_ERROR(remove_versions(id));
    }
  }

  ASSIGN_OR_RETURN(auto done, connection_->Cached("UPDATE events SET stix_stale = 0 WHERE id = ?",
                                                  operation));
  done->Bind(1, event_id);
  RETURN_IF_ERROR(done->Run());
  return true;
}

}  // namespace accord::sqlite
