// SqliteStore reads for the REST API: event links across events, in key
// order, for the indicator listing and its cursor; one event's links a page
// at a time, for its page.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {

Status SqliteStore::ForEachIndicator(const IndicatorFilter& filter,
                                     const std::function<Status(const IndicatorRow&)>& fn) {
  // The row-value comparison walks the links primary key from the cursor, so
  // a page costs what it returns (plus the rows its filters skip).
  std::string sql = "SELECT " + std::string(kEventColumns) +
                    ", o.id, o.type, o.value, o.warninglist, o.created, " + std::string(kLinkColumns) +
                    " FROM links l JOIN events e ON e.id = l.event_id"
                    " JOIN observables o ON o.id = l.observable_id"
                    " WHERE (l.event_id, l.observable_id) > (?1, ?2)";
  std::string modified_since;
  if (filter.type) sql += " AND o.type = ?3";
  if (!filter.tag.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM event_tags t WHERE t.event_id = e.id AND t.tag = ?4)";
  }
  if (!filter.modified_since.empty()) {
    Result<std::string> normalized = NormalizeTimestamp(filter.modified_since);
    if (!normalized.ok()) return normalized.status().WithContext("indicator filter since");
    modified_since = *normalized;
    sql += " AND e.modified >= ?5";
  }
  sql += " ORDER BY l.event_id, l.observable_id";
  ASSIGN_OR_RETURN(auto select, connection_->Cached(sql, "list indicators"));
  select->Bind(1, filter.after_event_id);
  select->Bind(2, filter.after_observable_id);
  if (filter.type) select->Bind(3, static_cast<int64_t>(*filter.type));
  if (!filter.tag.empty()) select->Bind(4, filter.tag);
  if (!modified_since.empty()) select->Bind(5, modified_since);

  IndicatorRow row;
  constexpr int kLinkFirst = kEventColumnCount;
  while (true) {
    ASSIGN_OR_RETURN(bool more, select->Step());
    if (!more) return Status::Ok();
    // Links arrive grouped by event: its tags and recipients are read once.
    if (select->Int(0) != row.event.id) {
      ASSIGN_OR_RETURN(row.event, ReadEventRow(*select, 0));
      RETURN_IF_ERROR(FillEventLists(row.event));
    }
    row.link.observable_id = select->Int(kLinkFirst);
    ASSIGN_OR_RETURN(row.link.observable.type,
                     ObservableTypeFromColumn(select->Int(kLinkFirst + 1),
                                              "observable " + std::to_string(row.link.observable_id)));
    row.link.observable.value = select->Text(kLinkFirst + 2);
    row.link.warninglist = select->Text(kLinkFirst + 3);
    row.link.created = select->Text(kLinkFirst + 4);
    row.link.context = ReadLinkContext(*select, kLinkFirst + 5);
    RETURN_IF_ERROR(fn(row));
  }
}

namespace {

// The WHERE clause for `filter` over "links l JOIN observables o": ?1 the
// event, ?2 the cursor, ?3 the type, ?4 the lowered part of the value.
// SQLite's lower() folds ASCII letters only, and so does the needle.
std::string EventLinkCondition(const EventLinkFilter& filter) {
  std::string sql = " WHERE l.event_id = ?1 AND l.observable_id > ?2";
  if (filter.type) sql += " AND o.type = ?3";
  if (!filter.value_contains.empty()) sql += " AND instr(lower(o.value), ?4) > 0";
  return sql;
}

void BindEventLinkFilter(Statement& statement, const EventLinkFilter& filter) {
  statement.Bind(1, filter.event_id);
  statement.Bind(2, filter.after_observable_id);
  if (filter.type) statement.Bind(3, static_cast<int64_t>(*filter.type));
  if (!filter.value_contains.empty()) {
    std::string needle = filter.value_contains;
    std::transform(needle.begin(), needle.end(), needle.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    statement.Bind(4, needle);
  }
}

}  // namespace

Status SqliteStore::ForEachLinkMatching(const EventLinkFilter& filter,
                                        const std::function<Status(const LinkedObservable&)>& fn) {
  // The links' primary key (event_id, observable_id) is walked from the
  // cursor: a page costs what it returns plus the rows the filters skip.
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT " + LinkedObservableColumns() +
                                           " FROM links l JOIN observables o ON o.id = l.observable_id" +
                                           EventLinkCondition(filter) +
                                           " ORDER BY l.observable_id LIMIT ?5",
                                       "list an event's links"));
  BindEventLinkFilter(*select, filter);
  select->Bind(5, filter.limit > 0 ? filter.limit : int64_t{-1});
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    ASSIGN_OR_RETURN(LinkedObservable linked, ReadLinkedObservable(*select));
    RETURN_IF_ERROR(fn(linked));
  }
}

Result<int64_t> SqliteStore::CountLinksMatching(const EventLinkFilter& filter) {
  EventLinkFilter whole = filter;
  whole.after_observable_id = 0;
  ASSIGN_OR_RETURN(auto count,
                   connection_->Cached("SELECT count(*) FROM links l JOIN observables o"
                                       " ON o.id = l.observable_id" + EventLinkCondition(whole),
                                       "count an event's links"));
  BindEventLinkFilter(*count, whole);
  ASSIGN_OR_RETURN(bool row, count->Step());
  if (!row) return Status::Corruption("count an event's links: no row");
  return count->Int(0);
}

Result<std::vector<std::pair<ObservableType, int64_t>>> SqliteStore::CountLinksByType(int64_t event_id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT o.type, count(*) FROM links l JOIN observables o"
                                       " ON o.id = l.observable_id WHERE l.event_id = ?1"
                                       " GROUP BY o.type ORDER BY count(*) DESC, o.type",
                                       "count an event's links by type"));
  select->Bind(1, event_id);
  std::vector<std::pair<ObservableType, int64_t>> counts;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return counts;
    ASSIGN_OR_RETURN(ObservableType type, ObservableTypeFromColumn(select->Int(0), "event links by type"));
    counts.emplace_back(type, select->Int(1));
  }
}

Status SqliteStore::ForEachIndicatorFact(const std::string& now,
                                         const std::function<Status(const IndicatorFact&)>& fn) {
  ASSIGN_OR_RETURN(std::string normalized_now, NormalizeTimestamp(now));
  // links_by_observable (observable_id, is_indicator, valid_until) covers the
  // link side and arrives in observable order, so the observables are read
  // in rowid order too: two sequential walks, no event or text column. The
  // full ForEachIndicator took 2 s for the dashboard at 1 M links.
  ASSIGN_OR_RETURN(
      auto select,
      connection_->Cached(
          "SELECT l.event_id, l.observable_id,"
          " COALESCE(o.warninglist, '') = '' AND"
          "   (l.valid_until IS NULL OR l.valid_until = '' OR l.valid_until > ?1),"
          " substr(o.created, 1, 10)"
          " FROM links l INDEXED BY links_by_observable JOIN observables o ON o.id = l.observable_id"
          " WHERE l.is_indicator = 1 ORDER BY l.observable_id",
          "count indicator links"));
  select->Bind(1, normalized_now);
  IndicatorFact fact;
  while (true) {
    ASSIGN_OR_RETURN(bool more, select->Step());
    if (!more) return Status::Ok();
    fact.event_id = select->Int(0);
    fact.observable_id = select->Int(1);
    fact.live = select->Int(2) != 0;
    fact.stored_day = select->Text(3);
    RETURN_IF_ERROR(fn(fact));
  }
}

}  // namespace accord::sqlite
