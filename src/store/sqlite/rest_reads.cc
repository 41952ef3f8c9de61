// SqliteStore reads for the REST API: event links across events, in key
// order, for the indicator listing and its cursor.
#include <string>

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
