// SqliteStore::ForEachStixObject: the read behind TAXII objects, manifest
// and versions, and behind STIX export.
//
// Every filter is SQL, so a page costs an index walk of the rows it returns,
// not a scan of the table (bench/http: objects?limit=1000 at 1 M stored):
//  - the cursor and TLP levels walk stix_objects_by_tlp_seq (tlp, seq, owner,
//    event), which also answers the visibility prefilter without reading the
//    table;
//  - "first"/"last" versions are one probe each in the (id, modified) unique
//    index;
//  - the recipients of the principal's organisation are one small set that
//    SQLite builds once per statement.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/stix_sql.h"

namespace accord::sqlite {
namespace {

using Param = StixSqlParam;

// Binds the parameters a query builder collected, in order (?1, ?2, ...).
void BindParams(Statement& statement, const std::vector<Param>& params) {
  for (size_t param_idx = 0; param_idx < params.size(); ++param_idx) {
    const int index = static_cast<int>(param_idx) + 1;
    if (const int64_t* number = std::get_if<int64_t>(&params[param_idx])) {
      statement.Bind(index, *number);
    } else {
      statement.Bind(index, std::get<std::string>(params[param_idx]));
    }
  }
}

// "?,?,?" for an IN list of `count` parameters, appending their values.
template <typename Values, typename ToParam>
std::string InList(const Values& values, std::vector<Param>& params, ToParam to_param) {
  std::string text;
  for (const auto& value : values) {
    text += text.empty() ? "?" : ",?";
    params.push_back(to_param(value));
  }
  return text;
}

// The spellings a version timestamp may be stored in: as given, and with
// second, millisecond and microsecond precision (producers differ; the
// stored text is the object's own).

// The sortable form (above) of each requested version, so that any RFC 3339
// spelling of a version finds it however the object spells it.
Result<std::vector<std::string>> SortableVersions(const std::vector<std::string>& versions) {
  std::vector<std::string> keys;
  for (const std::string& version : versions) {
    Result<TimePoint> parsed = ParseTimestamp(version);
    if (!parsed.ok()) {
      return Status::Invalid("version \"" + version + "\" is not an RFC 3339 timestamp");
    }
    const std::string micros = FormatMicros(*parsed);  // "YYYY-MM-DDTHH:MM:SS.ffffffZ"
    keys.push_back(micros.substr(0, 26) + "000");
  }
  return keys;
}

// TLP 2.0 as core/policy.h states it, narrowed to SQL. MayRead stays the
// judge; this only keeps unreadable rows out of the page.
std::string VisibilitySql(const Principal& who, std::vector<Param>& params) {
  if (who.org_id == 0) return " AND 0";
  const std::string green = std::to_string(static_cast<int>(Tlp::kGreen));
  std::string sql = " AND (s.tlp <= " + green + " OR s.owner_org_id = ?";
  params.push_back(who.org_id);
  if (who.role != Role::kContributor) {
    // AMBER and RED reach the organisations their event names.
    sql += " OR (s.tlp IN (" + std::to_string(static_cast<int>(Tlp::kAmber)) + "," +
           std::to_string(static_cast<int>(Tlp::kRed)) +
           ") AND s.event_id IN (SELECT r.event_id FROM event_recipients r WHERE r.org_id = ?))";
    params.push_back(who.org_id);
  }
  return sql + ")";
}

}  // namespace

// Plain text order served the older version as the last (stix_sql.h):
// "YYYY-MM-DDTHH:MM:SS.fffffffff".
std::string SortableTimestampSql(const std::string& column) {
  return "(substr(" + column + ",1,19)||'.'||substr(CASE WHEN length(" + column +
         ")>21 THEN substr(" + column + ",21,length(" + column + ")-21) ELSE '' END||'000000000',1,9))";
}

Result<std::string> StixVersionSql(const StixVersionSelection& versions, std::vector<Param>& params) {
  if (versions.Everything()) return std::string();
  std::vector<std::string> alternatives;
  const std::string other = SortableTimestampSql("o.modified");
  const std::string self = SortableTimestampSql("s.modified");
  // Equal text is the same version; only differing text needs the sortable form.
  // "+o.tlp": the object's other versions are found by the (id, modified)
  // key. Without statistics the planner preferred the TLP index, and walked
  // every object of the level for each row of a page: 17 s for a page of
  // 1000 on a collection of 74k objects, against 10 ms this way.
  if (versions.first) {
    alternatives.push_back(
        "NOT EXISTS (SELECT 1 FROM stix_objects o WHERE o.id = s.id AND +o.tlp = s.tlp"
        " AND o.modified <> s.modified AND " + other + " < " + self + ")");
  }
  if (versions.last) {
    alternatives.push_back(
        "NOT EXISTS (SELECT 1 FROM stix_objects o WHERE o.id = s.id AND +o.tlp = s.tlp"
        " AND o.modified <> s.modified AND " + other + " > " + self + ")");
  }
  if (!versions.exact.empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> keys, SortableVersions(versions.exact));
    auto as_text = [](const std::string& text) { return Param(text); };
    std::string in_modified = InList(keys, params, as_text);
    // Objects without modified or created (SCOs) are versioned by date_added.
    std::string in_added = InList(keys, params, as_text);
    alternatives.push_back("(s.modified <> '' AND " + self + " IN (" + in_modified +
                           ")) OR (s.modified = '' AND " + SortableTimestampSql("s.date_added") +
                           " IN (" + in_added + "))");
  }
  std::string sql = " AND (";
  for (size_t alternative_idx = 0; alternative_idx < alternatives.size(); ++alternative_idx) {
    if (alternative_idx > 0) sql += " OR ";
    sql += "(" + alternatives[alternative_idx] + ")";
  }
  return sql + ")";
}

// date_added rises with seq (the import batch makes each one later than the
// last, under the write lock), so the objects added at or before a time are
// a seq prefix, found by binary search over seq: about 30 rowid probes
// instead of an index on date_added that every import would have to keep.
// Both sides are FormatMicros text, so text order is time order.
Result<int64_t> SqliteStore::LastSeqAddedAtOrBefore(const std::string& time) {
  ASSIGN_OR_RETURN(int64_t high, connection_->QueryInt("SELECT COALESCE(MAX(seq), 0) + 1 FROM"
                                                       " stix_objects",
                                                       "find added_after position"));
  ASSIGN_OR_RETURN(auto probe, connection_->Cached("SELECT seq, date_added FROM stix_objects"
                                                   " WHERE seq >= ? ORDER BY seq LIMIT 1",
                                                   "find added_after position"));
  // Invariant: every object with seq <= low was added at or before `time`,
  // every object with seq >= high after it.
  int64_t low = 0;
  while (high - low > 1) {
    const int64_t middle = low + (high - low) / 2;
    probe->Reset();
    probe->Bind(1, middle);
    ASSIGN_OR_RETURN(bool row, probe->Step());
    if (row && probe->Int(0) < high && probe->Text(1) <= time) {
      low = probe->Int(0);
    } else {
      high = middle;
    }
  }
  probe->Reset();
  return low;
}

Status SqliteStore::ForEachStixObject(const StixObjectFilter& filter,
                                      const std::function<Status(const StoredStixObject&)>& fn) {
  int64_t after_seq = filter.after_seq;
  if (!filter.added_after.empty()) {
    Result<TimePoint> added_after = ParseTimestamp(filter.added_after);
    if (!added_after.ok()) return added_after.status().WithContext("STIX filter added_after");
    ASSIGN_OR_RETURN(int64_t last_before, LastSeqAddedAtOrBefore(FormatMicros(*added_after)));
    after_seq = std::max(after_seq, last_before);
  }

  std::vector<Param> params;
  std::string sql =
      "SELECT s.seq, s.id, s.type, s.spec_version, s.created, s.modified, s.date_added, s.tlp,"
      " s.owner_org_id, s.event_id, s.json, s.derived, s.source FROM stix_objects s WHERE s.seq > ?";
  params.push_back(after_seq);
  if (!filter.include_derived) sql += " AND s.derived = 0";
  if (filter.event_id != 0) {
    sql += " AND s.event_id = ?";  // stix_objects_by_event, in seq (rowid) order
    params.push_back(filter.event_id);
  }
  if (!filter.tlps.empty()) {
    // With ids, the (id, modified) index finds the few rows; "+" keeps the
    // planner from walking the TLP index in seq order instead.
    sql += filter.ids.empty() ? " AND s.tlp IN (" : " AND +s.tlp IN (";
    sql += InList(filter.tlps, params, [](Tlp tlp) { return Param(static_cast<int64_t>(tlp)); }) +
           ")";
  }
  auto as_text = [](const std::string& text) { return Param(text); };
  if (!filter.ids.empty()) sql += " AND s.id IN (" + InList(filter.ids, params, as_text) + ")";
  if (!filter.types.empty()) {
    sql += " AND s.type IN (" + InList(filter.types, params, as_text) + ")";
  }
  if (!filter.spec_versions.empty()) {
    // Objects are stored as 2.1 (2.0 input is upgraded); NULL is the same.
    sql += " AND COALESCE(s.spec_version, '2.1') IN (" +
           InList(filter.spec_versions, params, as_text) + ")";
  }
  if (filter.readable_by) sql += VisibilitySql(*filter.readable_by, params);
  ASSIGN_OR_RETURN(std::string version_sql, StixVersionSql(filter.versions, params));
  sql += version_sql;
  sql += " ORDER BY s.seq";
  if (filter.limit > 0) {
    sql += " LIMIT ?";
    params.push_back(filter.limit);
  }

  // The hot shapes (a collection page: fixed lists) are prepared once per
  // connection; id and version lists vary in length, so those statements
  // are prepared per call rather than filling the cache with variants.
  const bool fixed_shape = filter.ids.empty() && filter.versions.exact.empty() &&
                           filter.types.size() <= 4 && filter.spec_versions.size() <= 2 &&
                           filter.tlps.size() <= 5;
  std::unique_ptr<Statement> owned;
  std::optional<StatementLease> lease;
  Statement* select = nullptr;
  if (fixed_shape) {
    ASSIGN_OR_RETURN(StatementLease cached, connection_->Cached(sql, "list STIX objects"));
    lease.emplace(std::move(cached));
    select = &**lease;
  } else {
    ASSIGN_OR_RETURN(owned, connection_->Prepare(sql, "list STIX objects"));
    select = owned.get();
  }
  BindParams(*select, params);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    StoredStixObject object;
    object.seq = select->Int(0);
    object.id = select->Text(1);
    object.type = select->Text(2);
    object.spec_version = select->Text(3);
    object.created = select->Text(4);
    object.modified = select->Text(5);
    object.date_added = select->Text(6);
    ASSIGN_OR_RETURN(object.tlp, TlpFromColumn(select->Int(7), object.id));
    object.owner_org_id = select->Int(8);
    object.event_id = select->Int(9);
    object.json = select->Text(10);
    object.derived = select->Int(11) != 0;
    object.source = select->Text(12);
    RETURN_IF_ERROR(fn(object));
  }
}

// The groups' first objects (migration 15). A collection page asks for the
// groups that begin inside its seq range, then for each owner found the
// first group the principal may read: both walk an index of stix_anchors,
// which holds a row per (level, owner, event), not per object.
Status SqliteStore::ForEachStixAnchor(const StixAnchorFilter& filter,
                                      const std::function<Status(const StixAnchor&)>& fn) {
  std::vector<Param> params;
  std::string sql =
      "SELECT s.seq, s.date_added, s.owner_org_id, s.event_id, s.derived FROM stix_anchors s"
      " WHERE s.tlp = ? AND s.kind = ? AND s.seq >= ?";
  params.push_back(static_cast<int64_t>(filter.tlp));
  params.push_back(int64_t{filter.upgrade ? 1 : 0});
  params.push_back(filter.from_seq);
  if (filter.to_seq > 0) {
    sql += " AND s.seq <= ?";
    params.push_back(filter.to_seq);
  }
  if (filter.owner_org_id) {
    sql += " AND s.owner_org_id = ?";
    params.push_back(*filter.owner_org_id);
  }
  if (filter.derived_only) sql += " AND s.derived = 1";
  if (filter.readable_by) sql += VisibilitySql(*filter.readable_by, params);
  sql += " ORDER BY s.seq, s.owner_org_id";
  if (filter.limit > 0) {
    sql += " LIMIT ?";
    params.push_back(filter.limit);
  }
  ASSIGN_OR_RETURN(StatementLease select, connection_->Cached(sql, "list STIX anchors"));
  BindParams(*select, params);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    StixAnchor anchor;
    anchor.tlp = filter.tlp;
    anchor.upgrade = filter.upgrade;
    anchor.seq = select->Int(0);
    anchor.date_added = select->Text(1);
    anchor.owner_org_id = select->Int(2);
    anchor.event_id = select->Int(3);
    anchor.derived = select->Int(4) != 0;
    RETURN_IF_ERROR(fn(anchor));
  }
}

}  // namespace accord::sqlite
