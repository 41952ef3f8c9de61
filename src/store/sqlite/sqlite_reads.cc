// SqliteStore reads: observables with their correlation, events, links and
// STIX objects. Each iterates one statement and calls back per row; a
// callback may call the store again (a busy cached statement is not shared,
// see StatementLease).
#include <algorithm>
#include <cctype>
#include <limits>
#include <string>
#include <utility>

#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

// Normalizes a filter timestamp to the stored form, naming the filter field.
Result<std::string> NormalizedFilterTime(const std::string& text, std::string_view field) {
  Result<std::string> normalized = NormalizeTimestamp(text);
  if (!normalized.ok()) return normalized.status().WithContext(field);
  return normalized;
}

}  // namespace

Result<EventSummary> SqliteStore::ReadEventRow(Statement& row, int first_column) {
  EventSummary event;
  event.id = row.Int(first_column);
  event.uuid = row.Text(first_column + 1);
  event.title = row.Text(first_column + 2);
  event.description = row.Text(first_column + 3);
  ASSIGN_OR_RETURN(event.tlp, TlpFromColumn(row.Int(first_column + 4), "event " + event.uuid));
  event.owner_org_id = row.Int(first_column + 5);
  event.created = row.Text(first_column + 6);
  event.modified = row.Text(first_column + 7);
  event.stix_id = row.Text(first_column + 8);
  event.source = row.Text(first_column + 9);
  event.observable_count = row.Int(first_column + 10);
  if (!row.IsNull(first_column + 11)) {
    event.threat_level = ThreatLevelFromNumber(row.Int(first_column + 11));
    if (!event.threat_level) {
      return Status::Corruption("event " + event.uuid + ": threat level " +
                                std::to_string(row.Int(first_column + 11)) + " out of range");
    }
  }
  if (!row.IsNull(first_column + 12)) {
    event.analysis = AnalysisStageFromNumber(row.Int(first_column + 12));
    if (!event.analysis) {
      return Status::Corruption("event " + event.uuid + ": analysis " +
                                std::to_string(row.Int(first_column + 12)) + " out of range");
    }
  }
  event.revision = row.Int(first_column + 13);
  return event;
}

// Tags in text order, recipients in id order.
Status SqliteStore::FillEventLists(EventSummary& event) {
  {
    ASSIGN_OR_RETURN(auto tags, connection_->Cached(
                                    "SELECT tag FROM event_tags WHERE event_id = ? ORDER BY tag",
                                    "read event tags"));
    tags->Bind(1, event.id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, tags->Step());
      if (!row) break;
      event.tags.push_back(tags->Text(0));
    }
  }
  ASSIGN_OR_RETURN(auto recipients,
                   connection_->Cached("SELECT org_id FROM event_recipients WHERE event_id = ?"
                                       " ORDER BY org_id",
                                       "read event recipients"));
  recipients->Bind(1, event.id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, recipients->Step());
    if (!row) break;
    event.recipient_org_ids.push_back(recipients->Int(0));
  }
  return Status::Ok();
}

Result<std::optional<ObservableInfo>> SqliteStore::LookupObservable(const Observable& observable) {
  ObservableInfo info;
  info.observable = observable;
  {
    ASSIGN_OR_RETURN(auto select,
                     connection_->Cached("SELECT id, created, warninglist FROM observables"
                                         " WHERE type = ? AND value = ?",
                                         "look up observable"));
    select->Bind(1, static_cast<int64_t>(observable.type));
    select->Bind(2, observable.value);
    ASSIGN_OR_RETURN(bool found, select->Step());
    if (!found) return std::optional<ObservableInfo>();
    info.id = select->Int(0);
    info.created = select->Text(1);
    info.warninglist = select->Text(2);
  }
  {
    // The correlation: every event linking this observable, through the
    // links_by_observable index.
    ASSIGN_OR_RETURN(auto events, connection_->Cached(
                                      "SELECT " + std::string(kEventColumns) + ", " +
                                          std::string(kLinkColumns) +
                                          " FROM links l JOIN events e ON e.id = l.event_id"
                                          " WHERE l.observable_id = ? ORDER BY e.id",
                                      "read observable's events"));
    events->Bind(1, info.id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, events->Step());
      if (!row) break;
      EventLink link;
      ASSIGN_OR_RETURN(link.event, ReadEventRow(*events, 0));
      link.context = ReadLinkContext(*events, kEventColumnCount);
      info.events.push_back(std::move(link));
    }
  }
  for (EventLink& link : info.events) RETURN_IF_ERROR(FillEventLists(link.event));

  ASSIGN_OR_RETURN(auto sightings,
                   connection_->Cached("SELECT id, observable_id, org_id, count, first_seen,"
                                       " last_seen, source, origin_id FROM sightings WHERE observable_id = ?"
                                       " ORDER BY id",
                                       "read sightings"));
  sightings->Bind(1, info.id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, sightings->Step());
    if (!row) break;
    Sighting sighting;
    sighting.id = sightings->Int(0);
    sighting.observable_id = sightings->Int(1);
    sighting.org_id = sightings->Int(2);
    sighting.count = sightings->Int(3);
    sighting.first_seen = sightings->Text(4);
    sighting.last_seen = sightings->Text(5);
    sighting.source = sightings->Text(6);
    sighting.origin_id = sightings->Text(7);
    info.sightings.push_back(std::move(sighting));
  }
  return std::optional<ObservableInfo>(std::move(info));
}

Result<std::optional<EventSummary>> SqliteStore::GetEvent(const std::string& uuid) {
  static const std::string kSql =
      "SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.uuid = ?";
  ASSIGN_OR_RETURN(auto select, connection_->Cached(kSql, "read event"));
  select->Bind(1, uuid);
  return ReadOneEvent(*select);
}

Result<std::optional<EventSummary>> SqliteStore::GetEventById(int64_t event_id) {
  static const std::string kSql =
      "SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.id = ?";
  ASSIGN_OR_RETURN(auto select, connection_->Cached(kSql, "read event by id"));
  select->Bind(1, event_id);
  return ReadOneEvent(*select);
}

// Both read the partial index links_with_family (migration 36).
Result<std::vector<std::pair<int64_t, std::string>>> SqliteStore::LinkFamilies(int64_t observable_id) {
  ASSIGN_OR_RETURN(auto select, connection_->Cached("SELECT event_id, family FROM links"
                                                    " WHERE observable_id = ? AND family IS NOT NULL ORDER BY event_id",
                                                    "read a value's families"));
  select->Bind(1, observable_id);
  std::vector<std::pair<int64_t, std::string>> families;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    families.emplace_back(select->Int(0), select->Text(1));
  }
  return families;
}

Result<bool> SqliteStore::AnyLinkFamily() {
  ASSIGN_OR_RETURN(int64_t any, connection_->QueryInt("SELECT EXISTS(SELECT 1 FROM links INDEXED BY links_with_family"
                                                      " WHERE family IS NOT NULL)",
                                                      "read whether any value has a family"));
  return any != 0;
}

Result<std::vector<Store::SharedObservables>> SqliteStore::EventsSharingObservables(
    int64_t event_id, int64_t scan_limit) {
  // links_by_observable holds the primary key (event_id, observable_id): a
  // covering index probe per observable of the event.
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT other.event_id, COUNT(*) FROM"
                                       " (SELECT observable_id FROM links WHERE event_id = ?"
                                       " LIMIT ?) mine"
                                       " JOIN links other ON other.observable_id = mine.observable_id"
                                       " AND other.event_id <> ?"
                                       " GROUP BY other.event_id ORDER BY 2 DESC, 1",
                                       "read events sharing observables"));
  select->Bind(1, event_id);
  select->Bind(2, scan_limit);
  select->Bind(3, event_id);
  std::vector<SharedObservables> related;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    related.push_back({select->Int(0), select->Int(1)});
  }
  return related;
}

Result<Store::MispKept> SqliteStore::GetMispKept(int64_t event_id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT misp_other_attributes, misp_objects, misp_orgc FROM events"
                                       " WHERE id = ?",
                                       "read what a MISP event came with"));
  select->Bind(1, event_id);
  ASSIGN_OR_RETURN(bool found, select->Step());
  MispKept kept;
  if (found) {
    kept.other_attributes = select->Text(0);
    kept.objects = select->Text(1);
    kept.orgc = select->Text(2);
  }
  select->Reset();
  return kept;
}

Result<std::optional<EventSummary>> SqliteStore::ReadOneEvent(Statement& select) {
  std::optional<EventSummary> event;
  ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return event;
  ASSIGN_OR_RETURN(event, ReadEventRow(select, 0));
  select.Reset();  // before FillEventLists runs its own statements
  RETURN_IF_ERROR(FillEventLists(*event));
  return event;
}

Status SqliteStore::ForEachEvent(const EventFilter& filter,
                                 const std::function<Status(const EventSummary&)>& fn) {
  // Only the filters in use appear in the SQL, so each combination gets a
  // plan that can use its index; the few combinations are cached.
  std::string sql = "SELECT " + std::string(kEventColumns) + " FROM events e WHERE " +
                    (filter.newest_first ? "e.id < ?1" : "e.id > ?1");  // a rowid range either way
  std::string modified_since;
  if (filter.tlp) sql += " AND e.tlp = ?2";
  if (filter.owner_org_id) sql += " AND e.owner_org_id = ?3";
  if (!filter.tag.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM event_tags t WHERE t.event_id = e.id AND t.tag = ?4)";
  }
  if (!filter.modified_since.empty()) {
    ASSIGN_OR_RETURN(modified_since,
                     NormalizedFilterTime(filter.modified_since, "event filter modified_since"));
    sql += " AND e.modified >= ?5";
  }
  std::string title_lower = filter.title_contains;
  std::transform(title_lower.begin(), title_lower.end(), title_lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // instr, not LIKE: the text needs no escaping of % and _.
  if (!title_lower.empty()) sql += " AND instr(lower(e.title), ?7) > 0";
  sql += filter.newest_first ? " ORDER BY e.id DESC" : " ORDER BY e.id";
  if (filter.limit > 0) sql += " LIMIT ?6";
  ASSIGN_OR_RETURN(auto select, connection_->Cached(sql, "list events"));
  select->Bind(1, !filter.newest_first        ? filter.after_id
                  : filter.before_id > 0        ? filter.before_id
                                                : std::numeric_limits<int64_t>::max());
  if (filter.tlp) select->Bind(2, static_cast<int64_t>(*filter.tlp));
  if (filter.owner_org_id) select->Bind(3, *filter.owner_org_id);
  if (!filter.tag.empty()) select->Bind(4, filter.tag);
  if (!modified_since.empty()) select->Bind(5, modified_since);
  if (filter.limit > 0) select->Bind(6, filter.limit);
  if (!title_lower.empty()) select->Bind(7, title_lower);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    ASSIGN_OR_RETURN(EventSummary event, ReadEventRow(*select, 0));
    RETURN_IF_ERROR(FillEventLists(event));
    RETURN_IF_ERROR(fn(event));
  }
}

Status SqliteStore::ForEachLink(int64_t event_id,
                                const std::function<Status(const LinkedObservable&)>& fn) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT " + LinkedObservableColumns() +
                                           " FROM links l JOIN observables o"
                                           " ON o.id = l.observable_id WHERE l.event_id = ?"
                                           " ORDER BY l.observable_id",
                                       "list event links"));
  select->Bind(1, event_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    ASSIGN_OR_RETURN(LinkedObservable linked, ReadLinkedObservable(*select));
    RETURN_IF_ERROR(fn(linked));
  }
}

// ForEachStixObject is in stix_reads.cc.


}  // namespace accord::sqlite
