// SqliteImportBatch's verbatim STIX objects: each version stored once with
// its date_added (strictly rising, so TAXII added_after never splits
// objects), the groups' anchors (migration 15), and the re-adding of an
// event's objects when it is shared with another organisation, and the end
// of the links made under an object its producer took back.
#include <algorithm>
#include <chrono>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/time.h"
#include "core/tlp.h"
#include "store/sqlite/import_batch.h"
#include "store/sqlite/stix_sql.h"

namespace accord::sqlite {

Result<std::optional<std::string>> SqliteImportBatch::StoredStixVersion(
    const std::string& id, const std::string& modified) {
  Statement& select = *statements_.select_stix_version;
  ResetOnExit reset(select);
  select.Bind(1, id);
  select.Bind(2, modified);
  ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(select.Text(0));
}

Result<bool> SqliteImportBatch::HasOtherStixVersion(const std::string& id, const std::string& modified) {
  if (!other_stix_version_) {
    ASSIGN_OR_RETURN(other_stix_version_,
                     connection_.Prepare("SELECT 1 FROM stix_objects WHERE id = ?1 AND modified <> ?2 LIMIT 1",
                                         "look for another STIX object version"));
  }
  ResetOnExit reset(*other_stix_version_);
  other_stix_version_->Bind(1, id);
  other_stix_version_->Bind(2, modified);
  return other_stix_version_->Step();
}

Result<std::vector<int64_t>> SqliteImportBatch::RemoveVersionsRestrictedLater(const std::string& id,
                                                                             int64_t owner_org_id) {
  const std::string operation = "remove the versions of " + id + " restricted later";
  // Only for an object with other versions stored: rare.
  ASSIGN_OR_RETURN(auto remove,
                   connection_.Cached("DELETE FROM stix_objects AS s WHERE s.id = ?1 AND s.owner_org_id IS ?2"
                                      " AND EXISTS (SELECT 1 FROM stix_objects l WHERE l.id = s.id"
                                      " AND l.owner_org_id IS s.owner_org_id"
                                      // Its producer's own marking, not a level the import
                                      // inferred (an unmarked object takes its report's).
                                      " AND instr(l.json, '\"object_marking_refs\"') > 0"
                                      // FitsWithin (core/tlp.h) not: AMBER+STRICT fits only itself.
                                      " AND (CASE WHEN l.tlp = 3 THEN s.tlp <> 3 ELSE l.tlp > s.tlp END) AND " +
                                          SortableTimestampSql("l.modified") + " > " +
                                          SortableTimestampSql("s.modified") + ") RETURNING seq",
                                      operation));
  remove->Bind(1, id);
  remove->BindIdOrNull(2, owner_org_id);
  std::vector<int64_t> removed;
  while (true) {
    ASSIGN_OR_RETURN(bool row, remove->Step());
    if (!row) break;
    removed.push_back(remove->Int(0));
  }
  return removed;
}

Result<std::optional<int64_t>> SqliteImportBatch::PutStixObject(const StixObjectRecord& object,
                                                                int64_t event_id, Tlp tlp, int64_t owner_org_id) {
  if (object.id.empty()) return Status::Invalid("STIX object: id is empty");
  ASSIGN_OR_RETURN(const TimePoint date_added, NextDateAdded());

  Statement& insert = *statements_.insert_stix_object;
  ResetOnExit reset(insert);
  insert.Bind(1, object.id);
  insert.Bind(2, object.type);
  insert.BindTextOrNull(3, object.spec_version);
  insert.BindTextOrNull(4, object.created);
  // The version key: see the stix_objects table in migration_sql.cc.
  insert.Bind(5, !object.modified.empty() ? object.modified : object.created);
  const std::string date_added_text = FormatMicros(date_added);
  insert.Bind(6, date_added_text);
  insert.Bind(7, static_cast<int64_t>(tlp));
  insert.BindIdOrNull(8, owner_org_id);
  insert.BindIdOrNull(9, event_id);
  insert.Bind(10, object.json);
  insert.Bind(11, int64_t{object.derived ? 1 : 0});
  insert.BindTextOrNull(12, event_id == 0 ? object.source : std::string());
  Status status = insert.Run();
  if (!status.ok()) return status.WithContext(object.id);
  if (insert.Changes() == 0) return std::optional<int64_t>();
  const int64_t seq = insert.LastInsertRowId();
  last_date_added_ = date_added;
  // The first object of a group begins it, unless it was begun before.
  if (anchored_groups_.emplace(static_cast<int64_t>(tlp), owner_org_id, event_id).second) {
    Statement& anchor = *statements_.insert_stix_anchor;
    ResetOnExit reset_anchor(anchor);
    anchor.Bind(1, static_cast<int64_t>(tlp));
    anchor.Bind(2, owner_org_id);
    anchor.Bind(3, event_id);
    anchor.Bind(4, seq);
    anchor.Bind(5, date_added_text);
    anchor.Bind(6, int64_t{object.derived ? 1 : 0});
    RETURN_IF_ERROR(anchor.Run().WithContext(object.id));
  }
  return std::optional<int64_t>(seq);
}

Result<TimePoint> SqliteImportBatch::NextDateAdded() {
  if (!last_date_added_) {
    Statement& last = *statements_.last_date_added;
    ResetOnExit reset(last);
    ASSIGN_OR_RETURN(bool any, last.Step());
    last_date_added_ = TimePoint{};
    if (any) {
      ASSIGN_OR_RETURN(*last_date_added_, ParseTimestamp(last.Text(0)));
    }
  }
  return std::max(SystemClock().Now(), *last_date_added_ + std::chrono::microseconds(1));
}

Status SqliteImportBatch::ReaddEventObjects(int64_t event_id) {
  const std::string operation = "re-add the STIX objects of event id " + std::to_string(event_id);
  std::vector<int64_t> seqs;
  {
    ASSIGN_OR_RETURN(auto select, connection_.Cached("SELECT seq FROM stix_objects WHERE event_id = ?"
                                                     " ORDER BY seq",
                                                     operation));
    select->Bind(1, event_id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      seqs.push_back(select->Int(0));
    }
  }
  if (seqs.empty()) return Status::Ok();
  RETURN_IF_ERROR(MoveStixRowsToEnd(seqs, std::nullopt, std::nullopt, operation));
  // The event's groups now begin where their objects moved; the upgrade's
  // placements (kind 1) are behind them and go.
  ASSIGN_OR_RETURN(auto unanchor, connection_.Cached("DELETE FROM stix_anchors WHERE event_id = ? AND kind = 1",
                                                     operation));
  unanchor->Bind(1, event_id);
  RETURN_IF_ERROR(unanchor->Run());
  return AnchorEventGroups(event_id, operation);
}

namespace {

// Whether JSON text (an object's object_marking_refs or granular_markings)
// names a TLP marking definition, 2.0's or 1.0's.
bool NamesTlpMarking(std::string_view json) {
  constexpr std::string_view kPrefix = "marking-definition--";
  constexpr size_t kUuidLength = 36;
  for (size_t at = json.find(kPrefix); at != std::string_view::npos; at = json.find(kPrefix, at + 1)) {
    if (TlpFromStixMarkingId(json.substr(at, kPrefix.size() + kUuidLength))) return true;
  }
  return false;
}

}  // namespace

Status SqliteImportBatch::NarrowEventObjects(int64_t event_id, Tlp tlp) {
  const std::string operation = "narrow the STIX objects of event id " + std::to_string(event_id);
  // Wider: every reader of the event at `tlp` may read them, and more.
  std::string wider;
  for (Tlp level : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    if (level != tlp && FitsWithin(level, tlp)) {
      wider += (wider.empty() ? "" : ",") + std::to_string(static_cast<int>(level));
    }
  }
  if (wider.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto remove, connection_.Cached("DELETE FROM stix_objects WHERE event_id = ? AND derived = 1"
                                                   " AND tlp IN (" + wider + ")",
                                                   operation));
  remove->Bind(1, event_id);
  RETURN_IF_ERROR(remove->Run());
  const bool withdrawn = remove->Changes() > 0;
  if (withdrawn) {
    // The versions made again must follow the withdrawn ones (STIX 2.1,
    // 3.6: one id and modified, one content), and the store keeps no trace
    // of those: the event's modified, which they are made at, moves to now.
    ASSIGN_OR_RETURN(auto later, connection_.Cached("UPDATE events SET modified = MAX(modified, ?) WHERE id = ?",
                                                    operation));
    later->Bind(1, now_);
    later->Bind(2, event_id);
    RETURN_IF_ERROR(later->Run());
  }
  // Objects stored as they came that took their level from the event (they
  // came without a TLP marking of their own) go with it, to be read anew at
  // the new level; a producer's own marking stays the object's level.
  std::vector<int64_t> unmarked;
  {
    ASSIGN_OR_RETURN(auto select, connection_.Cached("SELECT seq, json_extract(json, '$.object_marking_refs'),"
                                                     " json_extract(json, '$.granular_markings')"
                                                     " FROM stix_objects WHERE event_id = ? AND derived = 0"
                                                     " AND tlp IN (" + wider + ") ORDER BY seq",
                                                     operation));
    select->Bind(1, event_id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      if (!NamesTlpMarking(select->Text(1)) && !NamesTlpMarking(select->Text(2))) unmarked.push_back(select->Int(0));
    }
  }
  if (!unmarked.empty()) RETURN_IF_ERROR(MoveStixRowsToEnd(unmarked, std::nullopt, tlp, operation));
  if (!withdrawn && unmarked.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto unanchor, connection_.Cached("DELETE FROM stix_anchors WHERE event_id = ? AND kind = 1",
                                                     operation));
  unanchor->Bind(1, event_id);
  RETURN_IF_ERROR(unanchor->Run());
  return AnchorEventGroups(event_id, operation);
}

Result<std::vector<StixObjectsMoved>> SqliteImportBatch::MoveStixObjects(std::span<const StixObjectMove> moves) {
  const std::string operation = "move the STIX objects a report names";
  std::vector<StixObjectsMoved> outcomes;
  std::set<int64_t> events;  // whose groups changed
  std::set<std::pair<int64_t, int64_t>> outside_groups;  // (tlp, owner) outside any event
  ASSIGN_OR_RETURN(auto select, connection_.Cached("SELECT seq, json_extract(json, '$.created_by_ref'), tlp,"
                                                   " owner_org_id FROM stix_objects WHERE id = ?1"
                                                   " AND event_id IS ?2 AND (?3 IS NULL OR tlp = ?3)",
                                                   operation));
  for (const StixObjectMove& move : moves) {
    std::vector<int64_t> seqs;
    std::set<std::string> creators;
    for (const std::string& stix_id : move.stix_ids) {
      ResetOnExit reset(*select);
      select->Bind(1, stix_id);
      select->BindIdOrNull(2, move.from_event_id);
      if (move.only_at) {
        select->Bind(3, static_cast<int64_t>(*move.only_at));
      } else {
        select->BindNull(3);
      }
      while (true) {
        ASSIGN_OR_RETURN(bool row, select->Step());
        if (!row) break;
        if (move.only_seqs && !std::binary_search(move.only_seqs->begin(), move.only_seqs->end(), select->Int(0))) {
          continue;
        }
        seqs.push_back(select->Int(0));
        if (!select->IsNull(1)) creators.insert(select->Text(1));
        if (move.from_event_id == 0) outside_groups.emplace(select->Int(2), select->Int(3));
      }
    }
    outcomes.push_back({static_cast<int64_t>(seqs.size()), {creators.begin(), creators.end()}});
    if (seqs.empty()) continue;
    std::sort(seqs.begin(), seqs.end());  // the order they came in
    RETURN_IF_ERROR(MoveStixRowsToEnd(seqs, move.to_event_id, move.to_tlp, operation));
    if (move.from_event_id != 0) events.insert(move.from_event_id);
    events.insert(move.to_event_id);
  }
  for (int64_t event_id : events) RETURN_IF_ERROR(AnchorEventGroups(event_id, operation));
  for (const auto& [tlp, owner] : outside_groups) RETURN_IF_ERROR(AnchorOutsideGroup(tlp, owner, operation));
  return outcomes;
}

Status SqliteImportBatch::MoveStixRowsToEnd(const std::vector<int64_t>& seqs, std::optional<int64_t> to_event_id,
                                            std::optional<Tlp> to_tlp, const std::string& operation) {
  // seq is AUTOINCREMENT: past every number handed out, deleted rows' too.
  ASSIGN_OR_RETURN(int64_t next_seq,
                   connection_.QueryInt("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence"
                                        " WHERE name = 'stix_objects'), 0),"
                                        " (SELECT COALESCE(MAX(seq), 0) FROM stix_objects))",
                                        operation));
  // Into an event, an object's source is its event's (the column is kept
  // only outside any event).
  ASSIGN_OR_RETURN(auto move, connection_.Cached("UPDATE stix_objects SET seq = ?1, date_added = ?2,"
                                                 " event_id = COALESCE(?4, event_id), tlp = COALESCE(?5, tlp),"
                                                 " source = CASE WHEN ?4 IS NULL THEN source END"
                                                 " WHERE seq = ?3",
                                                 operation));
  for (int64_t seq : seqs) {
    ASSIGN_OR_RETURN(TimePoint date_added, NextDateAdded());
    ResetOnExit reset(*move);
    move->Bind(1, ++next_seq);
    move->Bind(2, FormatMicros(date_added));
    move->Bind(3, seq);
    if (to_event_id) {
      move->Bind(4, *to_event_id);
    } else {
      move->BindNull(4);
    }
    if (to_tlp) {
      move->Bind(5, static_cast<int64_t>(*to_tlp));
    } else {
      move->BindNull(5);
    }
    RETURN_IF_ERROR(move->Run());
    last_date_added_ = date_added;
  }
  ASSIGN_OR_RETURN(auto counter, connection_.Cached("UPDATE sqlite_sequence SET seq = ?"
                                                    " WHERE name = 'stix_objects' AND seq < ?1",
                                                    operation));
  counter->Bind(1, next_seq);
  return counter->Run();
}

Status SqliteImportBatch::AnchorOutsideGroup(int64_t tlp, int64_t owner_org_id, const std::string& operation) {
  std::erase_if(anchored_groups_, [&](const auto& group) {
    return std::get<0>(group) == tlp && std::get<1>(group) == owner_org_id && std::get<2>(group) == 0;
  });
  ASSIGN_OR_RETURN(auto unanchor, connection_.Cached("DELETE FROM stix_anchors WHERE tlp = ? AND kind = 0"
                                                     " AND owner_org_id = ? AND event_id = 0",
                                                     operation));
  unanchor->Bind(1, tlp);
  unanchor->Bind(2, owner_org_id);
  RETURN_IF_ERROR(unanchor->Run());
  // The first of the group's objects, by stix_objects_by_tlp_seq.
  ASSIGN_OR_RETURN(auto anchor,
                   connection_.Cached("INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq,"
                                      " date_added, derived)"
                                      " SELECT tlp, 0, COALESCE(owner_org_id, 0), 0, seq, date_added, derived"
                                      " FROM stix_objects WHERE tlp = ?1 AND owner_org_id IS ?2"
                                      " AND event_id IS NULL ORDER BY seq LIMIT 1",
                                      operation));
  anchor->Bind(1, tlp);
  anchor->BindIdOrNull(2, owner_org_id);
  return anchor->Run();
}

Status SqliteImportBatch::AnchorEventGroups(int64_t event_id, const std::string& operation) {
  std::erase_if(anchored_groups_, [event_id](const auto& group) { return std::get<2>(group) == event_id; });
  ASSIGN_OR_RETURN(auto unanchor, connection_.Cached("DELETE FROM stix_anchors WHERE event_id = ? AND kind = 0",
                                                     operation));
  unanchor->Bind(1, event_id);
  RETURN_IF_ERROR(unanchor->Run());
  ASSIGN_OR_RETURN(auto anchor,
                   connection_.Cached("INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq,"
                                      " date_added, derived)"
                                      " SELECT tlp, 0, COALESCE(owner_org_id, 0), event_id, MIN(seq),"
                                      " date_added, derived FROM stix_objects WHERE event_id = ?"
                                      " GROUP BY tlp, COALESCE(owner_org_id, 0)",
                                      operation));
  anchor->Bind(1, event_id);
  return anchor->Run();
}

namespace {

// Whether a link of `value` in an event at `event_tlp` is one the import
// still names: the value is named at a level the event's readers may read.
bool StillNamed(std::span<const NamedValue> keep, const Observable& value, Tlp event_tlp) {
  auto named = std::lower_bound(keep.begin(), keep.end(), NamedValue{value, std::nullopt});
  for (; named != keep.end() && named->value == value; ++named) {
    if (!named->level || FitsWithin(*named->level, event_tlp)) return true;
  }
  return false;
}

}  // namespace

Result<int64_t> SqliteImportBatch::WithdrawLinks(const LinkWithdrawal& withdrawal) {
  if (!live_links_by_stix_id_) {
    ASSIGN_OR_RETURN(live_links_by_stix_id_,
                     connection_.Prepare("SELECT l.event_id, l.observable_id, o.type, o.value, e.tlp"
                                         " FROM links l JOIN observables o ON o.id = l.observable_id"
                                         " JOIN events e ON e.id = l.event_id"
                                         " WHERE l.stix_id = ?1 AND (l.valid_until IS NULL OR l.valid_until > ?2)"
                                         " AND (?3 = 0 OR e.owner_org_id = ?3)",
                                         "find the live links of a withdrawn object"));
    ASSIGN_OR_RETURN(expire_link_,
                     connection_.Prepare("UPDATE links SET valid_until = ?3 WHERE event_id = ?1 AND observable_id = ?2",
                                         "expire a withdrawn link"));
    // The events' derived STIX changes with their links' valid_until.
    ASSIGN_OR_RETURN(mark_event_stale_,
                     connection_.Prepare("UPDATE events SET revision = revision + 1,"
                                         " stix_stale = substr(COALESCE(source, ''), 1, 5) <> 'stix:'"
                                         " WHERE id = ?1",
                                         "mark an event with withdrawn links"));
  }
  std::vector<std::pair<int64_t, int64_t>> ending;  // (event, observable)
  {
    Statement& select = *live_links_by_stix_id_;
    ResetOnExit reset(select);
    select.Bind(1, withdrawal.stix_id);
    select.Bind(2, withdrawal.at);
    select.Bind(3, withdrawal.owner_org_id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      const Observable linked{static_cast<ObservableType>(select.Int(2)), select.Text(3)};
      if (!StillNamed(withdrawal.keep, linked, static_cast<Tlp>(select.Int(4)))) {
        ending.emplace_back(select.Int(0), select.Int(1));
      }
    }
  }
  if (!withdrawal.without_id.empty()) {
    if (!live_links_without_id_) {
      ASSIGN_OR_RETURN(live_links_without_id_,
                       connection_.Prepare("SELECT l.observable_id, e.tlp FROM links l"
                                           " JOIN observables o ON o.id = l.observable_id"
                                           " JOIN events e ON e.id = l.event_id"
                                           " WHERE l.event_id = ?1 AND o.type = ?2 AND o.value = ?3"
                                           " AND l.stix_id IS NULL AND (l.valid_until IS NULL OR l.valid_until > ?4)"
                                           " AND (?5 = 0 OR e.owner_org_id = ?5)",
                                           "find the live id-less link of a withdrawn composite's part"));
    }
    Statement& select = *live_links_without_id_;
    for (const int64_t event_id : withdrawal.events) {
      for (const Observable& part : withdrawal.without_id) {
        ResetOnExit reset(select);
        select.Bind(1, event_id);
        select.Bind(2, static_cast<int64_t>(part.type));
        select.Bind(3, part.value);
        select.Bind(4, withdrawal.at);
        select.Bind(5, withdrawal.owner_org_id);
        ASSIGN_OR_RETURN(bool row, select.Step());
        if (row && !StillNamed(withdrawal.keep, part, static_cast<Tlp>(select.Int(1)))) {
          ending.emplace_back(event_id, select.Int(0));
        }
      }
    }
  }
  std::sort(ending.begin(), ending.end());
  ending.erase(std::unique(ending.begin(), ending.end()), ending.end());
  std::set<int64_t> stale_events;
  for (const auto& [event_id, observable_id] : ending) {
    ResetOnExit reset(*expire_link_);
    expire_link_->Bind(1, event_id);
    expire_link_->Bind(2, observable_id);
    expire_link_->Bind(3, withdrawal.at);
    RETURN_IF_ERROR(expire_link_->Run());
    stale_events.insert(event_id);
  }
  for (int64_t event_id : stale_events) {
    ResetOnExit reset(*mark_event_stale_);
    mark_event_stale_->Bind(1, event_id);
    RETURN_IF_ERROR(mark_event_stale_->Run());
  }
  return static_cast<int64_t>(ending.size());
}

Result<int64_t> SqliteImportBatch::NameFamilyFromRelationship(const std::string& relationship_id) {
  const std::string operation = "name the family an indicates relationship gives";
  // The newest version of each says what holds now (STIX 2.1 3.6); of the
  // malware, the relationship owner's own versions first (ids are nobody's:
  // another organisation's copy must not rename the owner's family).
  ASSIGN_OR_RETURN(auto relationship,
                   connection_.Cached("SELECT json_extract(json, '$.relationship_type'),"
                                      " json_extract(json, '$.source_ref'), json_extract(json, '$.target_ref'),"
                                      " COALESCE(json_extract(json, '$.revoked'), 0), tlp, event_id, owner_org_id"
                                      " FROM stix_objects WHERE id = ?1 ORDER BY " +
                                          SortableTimestampSql("modified") + " DESC LIMIT 1",
                                      operation));
  std::string indicator_id, malware_id;
  int64_t relationship_tlp = 0, relationship_event = 0, owner = 0;
  bool revoked = false;
  {
    ResetOnExit reset(*relationship);
    relationship->Bind(1, relationship_id);
    ASSIGN_OR_RETURN(bool row, relationship->Step());
    if (!row || relationship->Text(0) != "indicates" || relationship->IsNull(6)) return 0;
    indicator_id = relationship->Text(1);
    malware_id = relationship->Text(2);
    revoked = relationship->Int(3) != 0;
    relationship_tlp = relationship->Int(4);
    relationship_event = relationship->IsNull(5) ? 0 : relationship->Int(5);
    owner = relationship->Int(6);
  }
  if (!indicator_id.starts_with("indicator--") || !malware_id.starts_with("malware--")) return 0;
  ASSIGN_OR_RETURN(auto malware,
                   connection_.Cached("SELECT json_extract(json, '$.name'), COALESCE(json_extract(json, '$.revoked'), 0),"
                                      " tlp, event_id, owner_org_id FROM stix_objects WHERE id = ?1"
                                      " ORDER BY owner_org_id IS ?2 DESC, " +
                                          SortableTimestampSql("modified") + " DESC LIMIT 1",
                                      operation));
  std::string family;
  int64_t malware_tlp = 0, malware_event = 0, malware_owner = 0;
  {
    ResetOnExit reset(*malware);
    malware->Bind(1, malware_id);
    malware->Bind(2, owner);
    ASSIGN_OR_RETURN(bool row, malware->Step());
    if (!row || malware->IsNull(0)) return 0;
    family = malware->Text(0);
    revoked = revoked || malware->Int(1) != 0;
    malware_tlp = malware->Int(2);
    malware_event = malware->IsNull(3) ? 0 : malware->Int(3);
    malware_owner = malware->IsNull(4) ? 0 : malware->Int(4);
  }
  if (family.empty()) return 0;
  // Every reader of the link's event must be able to read both objects
  // (core/policy.h): an event at least as strict as each (AMBER+STRICT only
  // in one such), and, above GREEN, where readers are named per event, the
  // object's own event, or none of the event owner's when the event names
  // no recipient (a relationship no report lists is stored outside any
  // event, at its marking, as the owner's alone).
  const std::string readable =
      "EXISTS (SELECT 1 FROM events e WHERE e.id = links.event_id AND e.owner_org_id = ?3"
      " AND e.tlp >= ?4 AND (?4 <> 3 OR e.tlp = 3) AND e.tlp >= ?6 AND (?6 <> 3 OR e.tlp = 3)"
      " AND (?4 <= 1 OR e.id = ?5 OR (?5 = 0 AND ?8 = ?3 AND NOT EXISTS"
      "   (SELECT 1 FROM event_recipients r WHERE r.event_id = e.id)))"
      " AND (?6 <= 1 OR e.id = ?7 OR (?7 = 0 AND NOT EXISTS"
      "   (SELECT 1 FROM event_recipients r WHERE r.event_id = e.id))))";
  // A relationship or malware revoked since, or marked more strictly than
  // a link's event now, takes back the family it gave there (?9 = 1: it
  // gives none at all any more); then it names it where it may.
  ASSIGN_OR_RETURN(auto unname_links,
                   connection_.Cached("UPDATE links SET family = NULL WHERE stix_id = ?2 AND family = ?1"
                                      " AND (?9 = 1 OR NOT " + readable + ") RETURNING event_id",
                                      operation));
  ASSIGN_OR_RETURN(auto name_links,
                   connection_.Cached("UPDATE links SET family = ?1 WHERE stix_id = ?2 AND family IS NOT ?1"
                                      " AND ?9 = 0 AND " + readable + " RETURNING event_id",
                                      operation));
  std::set<int64_t> changed_events;
  int64_t changed = 0;
  for (Statement* update : {&*unname_links, &*name_links}) {
    ResetOnExit reset(*update);
    update->Bind(1, family);
    update->Bind(2, indicator_id);
    update->Bind(3, owner);
    update->Bind(4, malware_tlp);
    update->Bind(5, malware_event);
    update->Bind(6, relationship_tlp);
    update->Bind(7, relationship_event);
    update->Bind(8, malware_owner);
    update->Bind(9, int64_t{revoked ? 1 : 0});
    for (;;) {
      ASSIGN_OR_RETURN(bool row, update->Step());
      if (!row) break;
      ++changed;
      changed_events.insert(update->Int(0));
    }
  }
  // The events' bodies changed (their values' families), as a withdrawal's do.
  ASSIGN_OR_RETURN(auto mark_stale,
                   connection_.Cached("UPDATE events SET revision = revision + 1,"
                                      " stix_stale = substr(COALESCE(source, ''), 1, 5) <> 'stix:' WHERE id = ?1",
                                      operation));
  for (int64_t event_id : changed_events) {
    ResetOnExit reset(*mark_stale);
    mark_stale->Bind(1, event_id);
    RETURN_IF_ERROR(mark_stale->Run());
  }
  return changed;
}

}  // namespace accord::sqlite
