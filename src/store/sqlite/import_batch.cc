// Hot path: Link() runs once per imported indicator; bench/import holds it to
// >= 200,000 indicators/s. Everything it runs is prepared once per store;
// a new indicator usually costs two statements (insert observable, insert
// link), a re-imported one two as well (find observable, insert link that
// conflicts, then update); it never formats a timestamp or plans a query.
#include "store/sqlite/import_batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

namespace accord::sqlite {
namespace {

std::string MemberChunkSql() {
  std::string sql =
      "INSERT INTO links(event_id, observable_id, role, confidence, first_seen, last_seen,"
      " valid_until, comment, stix_id, is_indicator)"
      " SELECT ?1, observable_id, role, confidence, first_seen, last_seen, valid_until, comment,"
      " stix_id, is_indicator FROM links WHERE event_id <> ?1"
      // A report takes values only from its owner's events, and only from
      // events whose level fits within the report's (AMBER+STRICT only into
      // AMBER+STRICT): a value marked RED, in its bundle's RED group or a
      // RED companion, never reaches a GREEN report's readers, nor does
      // another organisation's indicator of the same id. The bundle's group
      // of unmarked values (stix_objects.cc GroupEvent titles it
      // "... (unmarked)") gives to any report of its bundle: unmarked values
      // take the level of the report that names them.
      " AND event_id IN (SELECT e.id FROM events e, events t WHERE t.id = ?1"
      "   AND e.owner_org_id IS t.owner_org_id"
      "   AND ((e.tlp <= t.tlp AND (e.tlp <> 3 OR t.tlp = 3))"
      "        OR (e.stix_id IS NULL AND e.source IS t.source AND e.title LIKE '% (unmarked)')))"
      " AND stix_id IN (";
  for (int param_idx = 0; param_idx < BatchStatements::kMemberChunk; ++param_idx) {
    if (param_idx > 0) sql += ',';
    sql += '?' + std::to_string(param_idx + 2);
  }
  // Several events may carry the same observable under one STIX id: the
  // first copy wins, the others hit the key and are skipped.
  sql += ") ON CONFLICT(event_id, observable_id) DO NOTHING";
  return sql;
}

}  // namespace

// The source an upsert leaves on an event. An event that did not come as
// STIX (MISP, CSV, a list, the API) stays so when a STIX report of the same
// uuid arrives: that is its own export coming back (a partner re-sharing
// it, a federation round trip), and taking the report's source made the
// event "as it came" in STIX, so exports served only the incoming copies
// and dropped the event's own indicators and objects.
constexpr std::string_view kKeptSource =
    "(CASE WHEN substr(COALESCE(source, ''), 1, 5) <> 'stix:' AND"
    " substr(COALESCE(excluded.source, ''), 1, 5) = 'stix:' THEN source"
    " ELSE COALESCE(excluded.source, source) END)";

// A sighting its source names again (a STIX sighting's later version, a
// MISP sighting exported again) merges into the stored one: the larger
// count and the widest span seen. Versions are not compared: a merge gives
// the same row in any order and once more changes nothing. An end missing
// on one side takes the other's.
// Rows the merge leaves as they were are not written, so the statement's
// change count is the rows added plus the rows the merge changed.
constexpr std::string_view kMergeSighting =
    "count = MAX(count, excluded.count),"
    " first_seen = MIN(COALESCE(first_seen, excluded.first_seen), COALESCE(excluded.first_seen, first_seen)),"
    " last_seen = MAX(COALESCE(last_seen, excluded.last_seen), COALESCE(excluded.last_seen, last_seen))"
    " WHERE excluded.count > count"
    " OR (excluded.first_seen IS NOT NULL AND (first_seen IS NULL OR excluded.first_seen < first_seen))"
    " OR (excluded.last_seen IS NOT NULL AND (last_seen IS NULL OR excluded.last_seen > last_seen))";

Result<std::unique_ptr<BatchStatements>> BatchStatements::Prepare(Connection& c) {
  auto s = std::make_unique<BatchStatements>();
  ASSIGN_OR_RETURN(
      s->upsert_event,
      // stix_stale: see migration 11; events that came as STIX never are.
      // threat_level, analysis, misp_other_attributes, misp_objects, misp_orgc: only a record that
      // has them changes them (ImportBatch::UpsertEvent in store.h).
      c.Prepare("INSERT INTO events(uuid, title, description, tlp, owner_org_id, created,"
                " modified, stix_id, source, stix_stale, threat_level, analysis,"
                " misp_other_attributes, misp_objects, misp_orgc)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?9,"
                " substr(COALESCE(?9, ''), 1, 5) <> 'stix:', ?10, ?11, ?12, ?13, ?14)"
                " ON CONFLICT(uuid) DO UPDATE SET revision = revision + 1, title = excluded.title,"
                " description = excluded.description, tlp = excluded.tlp,"
                // Never back in time: a source's older copy (a node's own
                // MISP export read back, its timestamps in whole seconds)
                // would hide the version consumers already hold.
                " modified = MAX(modified, excluded.modified), stix_id = COALESCE(excluded.stix_id, stix_id),"
                " source = " + std::string(kKeptSource) + ","
                " threat_level = COALESCE(excluded.threat_level, threat_level),"
                " analysis = COALESCE(excluded.analysis, analysis),"
                " misp_other_attributes = COALESCE(excluded.misp_other_attributes,"
                "   misp_other_attributes),"
                " misp_objects = COALESCE(excluded.misp_objects, misp_objects),"
                " misp_orgc = COALESCE(excluded.misp_orgc, misp_orgc),"
                " stix_stale = substr(COALESCE(" + std::string(kKeptSource) + ", ''), 1, 5) <> 'stix:'"
                " RETURNING id",
                "upsert event"));
  ASSIGN_OR_RETURN(s->delete_tags,
                   c.Prepare("DELETE FROM event_tags WHERE event_id = ?", "replace event tags"));
  ASSIGN_OR_RETURN(s->insert_tag, c.Prepare("INSERT INTO event_tags(event_id, tag) VALUES (?, ?)"
                                            " ON CONFLICT DO NOTHING",
                                            "insert event tag"));
  ASSIGN_OR_RETURN(s->delete_recipients, c.Prepare("DELETE FROM event_recipients WHERE"
                                                   " event_id = ?",
                                                   "replace event recipients"));
  ASSIGN_OR_RETURN(s->insert_recipient,
                   c.Prepare("INSERT INTO event_recipients(event_id, org_id) VALUES (?, ?)"
                             " ON CONFLICT DO NOTHING",
                             "insert event recipient"));
  // Which of these two runs first is decided per row: see ObservableId.
  ASSIGN_OR_RETURN(s->insert_observable,
                   c.Prepare("INSERT INTO observables(type, value, created, warninglist)"
                             " VALUES (?, ?, ?, ?) ON CONFLICT(type, value) DO NOTHING",
                             "insert observable"));
  ASSIGN_OR_RETURN(s->select_observable,
                   c.Prepare("SELECT id, warninglist FROM observables WHERE type = ? AND value = ?",
                             "find observable"));
  ASSIGN_OR_RETURN(s->set_warninglist,
                   c.Prepare("UPDATE observables SET warninglist = ? WHERE id = ?",
                             "mark observable warning-listed"));
  // DO NOTHING plus changes() tells a new link from an existing one, which a
  // single DO UPDATE cannot (both report one change); the UPDATE then runs
  // only for re-imported links.
  ASSIGN_OR_RETURN(s->insert_link,
                   c.Prepare("INSERT INTO links(event_id, observable_id, role, confidence,"
                             " first_seen, last_seen, valid_until, comment, stix_id, is_indicator,"
                             " misp_type, misp_composite_type, misp_composite_value, misp_composite_id, family)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?16)"
                             " ON CONFLICT(event_id, observable_id) DO NOTHING",
                             "insert link"));
  // A value an event names both as an indicator and as context (a STIX
  // indicator beside the observed-data of the same domain, a MISP attribute
  // with to_ids beside one without) stays live whatever the order: a context
  // mention from another object (another STIX id, or none) only widens the
  // seen dates of a live link. The same object's later version (the same
  // STIX id, a MISP attribute whose to_ids was turned off) does replace it.
  // LinkMerge::kKeepOtherObjects (?15 = 1) keeps a link made under another
  // STIX object's id as it is, its seen dates too; kReplaceContext (?15 = 2)
  // is the owner's own word and keeps nothing, but a feed's family, which
  // kReplaceContextAndFamily (?15 = 3) replaces too.
  const std::string keep_other = "(?15 = 1 AND stix_id IS NOT NULL AND stix_id IS NOT ?9)";
  const std::string keep_live =
      "(?15 < 2 AND ((is_indicator = 1 AND ?10 = 0 AND stix_id IS NOT ?9) OR " + keep_other + "))";
  auto unless_kept = [&](const char* column, const std::string& incoming) {
    return fmt::format("CASE WHEN {1} THEN {0} ELSE {2} END", column, keep_live, incoming);
  };
  // Each column and what it becomes. The UPDATE writes only a row that
  // changes (the WHERE compares old with new; SQLite evaluates both on the
  // old row), so a returned row tells the event's content changed: a feed
  // imported again unchanged leaves its event's modified time, and with it
  // every exported version, as it was.
  const std::vector<std::pair<std::string, std::string>> link_columns = {
      {"role", unless_kept("role", "?3")},
      {"confidence", unless_kept("confidence", "?4")},
      {"first_seen", "CASE WHEN ?5 IS NULL OR " + keep_other + " THEN first_seen"
                     "   WHEN first_seen IS NULL OR ?5 < first_seen THEN ?5 ELSE first_seen END"},
      {"last_seen", "CASE WHEN ?6 IS NULL OR " + keep_other + " THEN last_seen"
                    "   WHEN last_seen IS NULL OR ?6 > last_seen THEN ?6 ELSE last_seen END"},
      {"valid_until", unless_kept("valid_until", "?7")},
      {"comment", unless_kept("comment", "?8")},
      // A link keeps the STIX id it was made under: a report that names
      // that object still finds it (a second object of the same value is
      // the importer's to place, LinkOutcome::kept_stix_id).
      {"stix_id", unless_kept("stix_id", "COALESCE(stix_id, ?9)")},
      {"is_indicator", unless_kept("is_indicator", "?10")},
      // A value the event also has from elsewhere (STIX, a list) keeps the
      // MISP type it came as.
      {"misp_type", unless_kept("misp_type", "COALESCE(?11, misp_type)")},
      // And the composite attribute it is a part of: a MISP attribute (a
      // part, or a single one, which has a MISP type) says anew; STIX and
      // lists leave it.
      {"misp_composite_type",
       unless_kept("misp_composite_type", "CASE WHEN ?11 IS NULL AND ?12 IS NULL THEN misp_composite_type ELSE ?12 END")},
      {"misp_composite_value",
       unless_kept("misp_composite_value", "CASE WHEN ?11 IS NULL AND ?12 IS NULL THEN misp_composite_value ELSE ?13 END")},
      {"misp_composite_id",
       unless_kept("misp_composite_id", "CASE WHEN ?11 IS NULL AND ?12 IS NULL THEN misp_composite_id ELSE ?14 END")},
      // A feed's family for the value stays until one names another, or its
      // owner sets or clears it.
      {"family", "CASE WHEN ?15 = 3 THEN ?16 ELSE COALESCE(?16, family) END"},
  };
  std::string set_clause, differs_clause;
  for (const auto& [column, becomes] : link_columns) {
    set_clause += (set_clause.empty() ? " " : ", ") + column + " = " + becomes;
    differs_clause += (differs_clause.empty() ? "" : " OR ") + column + " IS NOT (" + becomes + ")";
  }
  ASSIGN_OR_RETURN(s->update_link,
                   c.Prepare("UPDATE links SET" + set_clause + " WHERE event_id = ?1 AND observable_id = ?2 AND (" +
                                 differs_clause + ") RETURNING stix_id",
                             "update link"));
  ASSIGN_OR_RETURN(s->link_stix_id, c.Prepare("SELECT stix_id FROM links WHERE event_id = ? AND observable_id = ?",
                                              "read link STIX id"));
  // ?3: a link was added or changed, so the event is modified now, unless
  // its writer stated the version time (in this batch: stated_version_events_;
  // or, in an import's later batches, a source that always states it: a
  // STIX report's `modified`, a MISP event's `timestamp`).
  ASSIGN_OR_RETURN(s->bump_observable_count,
                   c.Prepare("UPDATE events SET observable_count = observable_count + ?1, revision = revision + 1,"
                             " stix_stale = substr(COALESCE(source, ''), 1, 5) <> 'stix:',"
                             " modified = CASE WHEN ?3 AND substr(COALESCE(source, ''), 1, 5) NOT IN ('stix:', 'misp:')"
                             "   THEN MAX(modified, ?4) ELSE modified END WHERE id = ?2",
                             "update event observable count"));
  ASSIGN_OR_RETURN(s->insert_stix_object,
                   c.Prepare("INSERT INTO stix_objects(id, type, spec_version, created, modified,"
                             " date_added, tlp, owner_org_id, event_id, json, derived, source)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                             " ON CONFLICT(id, modified) DO NOTHING",
                             "insert STIX object"));
  ASSIGN_OR_RETURN(s->select_stix_version,
                   c.Prepare("SELECT json FROM stix_objects WHERE id = ?1 AND modified = ?2",
                             "read STIX object version"));
  ASSIGN_OR_RETURN(s->last_date_added,
                   c.Prepare("SELECT date_added FROM stix_objects ORDER BY seq DESC LIMIT 1",
                             "read last date_added"));
  ASSIGN_OR_RETURN(s->insert_stix_anchor,
                   c.Prepare("INSERT OR IGNORE INTO stix_anchors(tlp, kind, owner_org_id, event_id,"
                             " seq, date_added, derived) VALUES (?, 0, ?, ?, ?, ?, ?)",
                             "anchor STIX object group"));
  ASSIGN_OR_RETURN(s->add_members, c.Prepare(MemberChunkSql(), "add report members"));
  ASSIGN_OR_RETURN(s->sighting_by_observable,
                   c.Prepare("INSERT INTO sightings(observable_id, org_id, count, first_seen,"
                             " last_seen, source, origin_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                             " ON CONFLICT(origin_id, observable_id, org_id) WHERE origin_id IS NOT NULL"
                             " DO UPDATE SET " + std::string(kMergeSighting),
                             "insert sighting"));
  ASSIGN_OR_RETURN(s->sighting_by_stix_id,
                   c.Prepare("INSERT INTO sightings(observable_id, org_id, count, first_seen,"
                             " last_seen, source, origin_id) SELECT DISTINCT observable_id, ?2, ?3, ?4, ?5,"
                             " ?6, ?7 FROM links WHERE stix_id IN (SELECT ?1 UNION"
                             // STIX 2.1 observed-data names its values' SCOs
                             // in object_refs (2.0 embeds them: the links
                             // then carry the observed-data's own id).
                             " SELECT r.value FROM stix_objects o, json_each(o.json, '$.object_refs') r"
                             " WHERE o.id = ?1 AND o.type = 'observed-data')"
                             " ON CONFLICT(origin_id, observable_id, org_id) WHERE origin_id IS NOT NULL"
                             " DO UPDATE SET " + std::string(kMergeSighting),
                             "insert sighting by indicator id"));
  ASSIGN_OR_RETURN(s->delete_empty_event,
                   c.Prepare("DELETE FROM events WHERE id = ?1 AND"
                             " NOT EXISTS (SELECT 1 FROM links WHERE event_id = ?1) RETURNING uuid",
                             "delete empty event"));
  return s;
}

SqliteImportBatch::SqliteImportBatch(SqliteStore& store, Connection& connection,
                                     BatchStatements& statements,
                                     std::unique_ptr<Transaction> transaction)
    : store_(store),
      connection_(connection),
      statements_(statements),
      transaction_(std::move(transaction)),
      now_(FormatTimestamp(SystemClock().Now())) {}

Result<std::unique_ptr<SqliteImportBatch>> SqliteImportBatch::Begin(SqliteStore& store,
                                                                    Connection& connection,
                                                                    BatchStatements& statements) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(connection, "import batch"));
  return std::unique_ptr<SqliteImportBatch>(
      new SqliteImportBatch(store, connection, statements, std::move(transaction)));
}

SqliteImportBatch::~SqliteImportBatch() {
  transaction_.reset();  // rolls back if Commit() did not happen
  store_.BatchEnded();
}

Result<std::optional<int64_t>> SqliteImportBatch::FindObservable(const Observable& observable,
                                                                 const std::string& warninglist) {
  Statement& select = *statements_.select_observable;
  ResetOnExit reset(select);
  select.Bind(1, static_cast<int64_t>(observable.type));
  select.Bind(2, observable.value);
  ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return std::optional<int64_t>();
  const int64_t id = select.Int(0);
  if (!warninglist.empty() && select.Text(1) != warninglist) {
    Statement& mark = *statements_.set_warninglist;
    ResetOnExit reset_mark(mark);
    mark.Bind(1, warninglist);
    mark.Bind(2, id);
    RETURN_IF_ERROR(mark.Run());
  }
  return std::optional<int64_t>(id);
}

Result<std::optional<int64_t>> SqliteImportBatch::InsertObservable(
    const Observable& observable, const std::string& warninglist) {
  Statement& insert = *statements_.insert_observable;
  ResetOnExit reset(insert);
  insert.Bind(1, static_cast<int64_t>(observable.type));
  insert.Bind(2, observable.value);
  insert.Bind(3, now_);
  insert.BindTextOrNull(4, warninglist);
  // changes() and last_insert_rowid() rather than RETURNING, which buffers
  // its rows in a temporary table: a third slower here (bench/import).
  RETURN_IF_ERROR(insert.Run());
  if (insert.Changes() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(insert.LastInsertRowId());
}

Result<int64_t> SqliteImportBatch::ObservableId(const Observable& observable,
                                                const std::string& warninglist, bool& created) {
  // Whichever statement is likely to succeed goes first: a feed's first
  // import is all new values (INSERT succeeds), a re-import all known ones
  // (SELECT succeeds), and values arrive in such runs, so the previous
  // outcome predicts the next. A wrong guess costs one extra statement.
  std::optional<int64_t> id;
  created = false;
  if (last_observable_existed_) {
    ASSIGN_OR_RETURN(id, FindObservable(observable, warninglist));
    if (!id) {
      ASSIGN_OR_RETURN(id, InsertObservable(observable, warninglist));
      created = true;
    }
  } else {
    ASSIGN_OR_RETURN(id, InsertObservable(observable, warninglist));
    created = id.has_value();
    if (!id) {
      ASSIGN_OR_RETURN(id, FindObservable(observable, warninglist));
    }
  }
  if (!id) {
    return Status::Internal("sqlite: observable " + observable.value +
                            " neither inserted nor found");
  }
  last_observable_existed_ = !created;
  return *id;
}

void SqliteImportBatch::CountNewLinks(int64_t event_id, int64_t added) {
  if (event_id != counting_event_id_) {
    if (counting_event_id_ != 0) new_links_per_event_[counting_event_id_] += counting_event_links_;
    counting_event_id_ = event_id;
    counting_event_links_ = 0;
  }
  counting_event_links_ += added;
}

Result<LinkOutcome> SqliteImportBatch::Link(int64_t event_id, const Observable& observable,
                                            const IndicatorContext& context, const std::string& warninglist,
                                            LinkMerge merge) {
  if (observable.value.empty()) return Status::Invalid("link: observable value is empty");
  if (context.confidence && (*context.confidence < 0 || *context.confidence > 100)) {
    return Status::Invalid("link " + observable.value + ": confidence " +
                           std::to_string(*context.confidence) + " is outside 0..100");
  }
  LinkOutcome outcome;
  ASSIGN_OR_RETURN(int64_t observable_id,
                   ObservableId(observable, warninglist, outcome.observable_created));

  auto bind_link = [&](Statement& statement) {
    statement.Bind(1, event_id);
    statement.Bind(2, observable_id);
    statement.BindTextOrNull(3, context.role);
    if (context.confidence) {
      statement.Bind(4, static_cast<int64_t>(*context.confidence));
    } else {
      statement.BindNull(4);
    }
    statement.BindTextOrNull(5, context.first_seen);
    statement.BindTextOrNull(6, context.last_seen);
    statement.BindTextOrNull(7, context.valid_until);
    statement.BindTextOrNull(8, context.comment);
    statement.BindTextOrNull(9, context.stix_id);
    statement.Bind(10, int64_t{context.is_indicator ? 1 : 0});
    statement.BindTextOrNull(11, context.misp_type);
    statement.BindTextOrNull(12, context.misp_composite_type);
    statement.BindTextOrNull(13, context.misp_composite_value);
    statement.BindTextOrNull(14, context.misp_composite_id);
    statement.BindTextOrNull(16, context.family);
  };
  {
    Statement& insert = *statements_.insert_link;
    ResetOnExit reset(insert);
    bind_link(insert);
    Status status = insert.Run();
    if (status.code() == Status::Code::kFailedPrecondition) {
      return Status::NotFound("link " + observable.value + ": event id " +
                              std::to_string(event_id) + " does not exist");
    }
    RETURN_IF_ERROR(status);
    outcome.link_created = insert.Changes() > 0;
  }
  if (outcome.link_created) {
    CountNewLinks(event_id, 1);
  } else {
    CountNewLinks(event_id, 0);  // still marks the event's derived STIX stale
    Statement& update = *statements_.update_link;
    ResetOnExit reset(update);
    bind_link(update);
    update.Bind(15, int64_t{merge == LinkMerge::kKeepOtherObjects            ? 1
                            : merge == LinkMerge::kReplaceContext          ? 2
                            : merge == LinkMerge::kReplaceContextAndFamily ? 3
                                                                           : 0});
    ASSIGN_OR_RETURN(bool updated, update.Step());
    if (updated) {
      changed_events_.insert(event_id);
      if (!context.stix_id.empty() && !update.IsNull(0) && update.Text(0) != context.stix_id) {
        outcome.kept_stix_id = update.Text(0);
      }
      RETURN_IF_ERROR(update.Run());  // steps to the end
    } else if (!context.stix_id.empty()) {
      // Nothing changed: the link's own id still tells whether it was kept.
      Statement& held = *statements_.link_stix_id;
      ResetOnExit reset_held(held);
      held.Bind(1, event_id);
      held.Bind(2, observable_id);
      ASSIGN_OR_RETURN(bool found, held.Step());
      if (found && !held.IsNull(0) && held.Text(0) != context.stix_id) outcome.kept_stix_id = held.Text(0);
    }
  }
  return outcome;
}

Result<int64_t> SqliteImportBatch::AddMembersByStixId(int64_t event_id,
                                                      const std::vector<std::string>& stix_ids) {
  Statement& add = *statements_.add_members;
  int64_t added = 0;
  for (size_t chunk_start = 0; chunk_start < stix_ids.size();
       chunk_start += BatchStatements::kMemberChunk) {
    ResetOnExit reset(add);  // also clears the bindings: unused slots are NULL
    add.Bind(1, event_id);
    const size_t chunk_end =
        std::min(stix_ids.size(), chunk_start + static_cast<size_t>(BatchStatements::kMemberChunk));
    for (size_t id_idx = chunk_start; id_idx < chunk_end; ++id_idx) {
      add.Bind(static_cast<int>(id_idx - chunk_start) + 2, stix_ids[id_idx]);
    }
    Status status = add.Run();
    if (status.code() == Status::Code::kFailedPrecondition) {
      return Status::NotFound("add report members: event id " + std::to_string(event_id) +
                              " does not exist");
    }
    RETURN_IF_ERROR(status);
    added += add.Changes();
  }
  CountNewLinks(event_id, added);
  return added;
}

Result<bool> SqliteImportBatch::LinkedWhereReadable(const Observable& observable, int64_t except_event_id,
                                                     const Principal& reader) {
  if (!linked_where_readable_) {
    // MayRead (core/policy.cc) in SQL, tlp as stored (0 clear .. 4 red):
    // its own; CLEAR and GREEN for every member; AMBER and RED for the
    // recipients too, except for a contributor, which reads others' data
    // only up to GREEN.
    ASSIGN_OR_RETURN(linked_where_readable_,
                     connection_.Prepare(
                         "SELECT 1 FROM links l JOIN events e ON e.id = l.event_id"
                         " WHERE l.observable_id = (SELECT id FROM observables WHERE type = ?1 AND value = ?2)"
                         " AND l.event_id <> ?3"
                         " AND (e.owner_org_id = ?4 OR e.tlp <= 1"
                         "      OR (?5 = 0 AND e.tlp IN (2, 4) AND EXISTS (SELECT 1 FROM event_recipients r"
                         "          WHERE r.event_id = e.id AND r.org_id = ?4)))"
                         " LIMIT 1",
                         "look for a readable link of a value"));
  }
  Statement& probe = *linked_where_readable_;
  ResetOnExit reset(probe);
  probe.Bind(1, static_cast<int64_t>(observable.type));
  probe.Bind(2, observable.value);
  probe.Bind(3, except_event_id);
  probe.Bind(4, reader.org_id);
  probe.Bind(5, int64_t{reader.role == Role::kContributor ? 1 : 0});
  return probe.Step();
}

Result<std::vector<std::string>> SqliteImportBatch::StixIdsLinkedIn(int64_t event_id,
                                                                    const std::vector<std::string>& stix_ids) {
  std::vector<std::string> linked;
  for (const std::string& stix_id : stix_ids) {
    if (!linked_by_stix_id_) {
      ASSIGN_OR_RETURN(linked_by_stix_id_,
                       connection_.Prepare("SELECT 1 FROM links WHERE stix_id = ?2 AND event_id = ?1 LIMIT 1",
                                           "look for links by STIX id"));
    }
    Statement& probe = *linked_by_stix_id_;
    ResetOnExit reset(probe);
    probe.Bind(1, event_id);
    probe.Bind(2, stix_id);
    ASSIGN_OR_RETURN(bool found, probe.Step());
    if (found) linked.push_back(stix_id);
  }
  return linked;
}

Result<int64_t> SqliteImportBatch::RemoveLinksByStixId(int64_t event_id,
                                                       const std::vector<std::string>& stix_ids) {
  int64_t removed = 0;
  for (const std::string& stix_id : stix_ids) {
    if (!remove_by_stix_id_) {
      ASSIGN_OR_RETURN(remove_by_stix_id_,
                       connection_.Prepare("DELETE FROM links WHERE event_id = ?1 AND stix_id = ?2",
                                           "remove links by STIX id"));
    }
    Statement& remove = *remove_by_stix_id_;
    ResetOnExit reset(remove);
    remove.Bind(1, event_id);
    remove.Bind(2, stix_id);
    RETURN_IF_ERROR(remove.Run());
    removed += remove.Changes();
  }
  CountNewLinks(event_id, -removed);
  return removed;
}

Status SqliteImportBatch::DeleteEventIfEmpty(int64_t event_id) {
  std::string deleted_uuid;
  {
    Statement& remove = *statements_.delete_empty_event;
    ResetOnExit reset(remove);
    remove.Bind(1, event_id);
    ASSIGN_OR_RETURN(bool deleted, remove.Step());
    if (!deleted) return Status::Ok();
    deleted_uuid = remove.Text(0);
  }
  // No links means no pending count worth writing to a deleted row.
  new_links_per_event_.erase(event_id);
  if (counting_event_id_ == event_id) {
    counting_event_id_ = 0;
    counting_event_links_ = 0;
  }
  // Telemetry may have hit the event between two batches of this import.
  return NarrowAlertsOfDeletedEvent(connection_, deleted_uuid);
}

Status SqliteImportBatch::AppendAudit(const AuditEntry& entry) {
  return AppendAuditRecord(connection_, entry);
}

Status SqliteImportBatch::FlushObservableCounts() {
  CountNewLinks(0, 0);  // moves the current event's count into the map
  Statement& bump = *statements_.bump_observable_count;
  // Every event the batch linked into, even with no new link (a context
  // may have changed), gets its derived STIX objects marked stale.
  for (const auto& [event_id, added] : new_links_per_event_) {
    ResetOnExit reset(bump);
    bump.Bind(1, added);
    bump.Bind(2, event_id);
    const bool changed = added != 0 || changed_events_.count(event_id) > 0;
    bump.Bind(3, int64_t{changed && stated_version_events_.count(event_id) == 0 ? 1 : 0});
    bump.Bind(4, now_);
    RETURN_IF_ERROR(bump.Run());
  }
  new_links_per_event_.clear();
  changed_events_.clear();
  return Status::Ok();
}

Status SqliteImportBatch::Commit() {
  if (transaction_->committed()) {
    return Status::FailedPrecondition("import batch: already committed");
  }
  RETURN_IF_ERROR(FlushObservableCounts());
  RETURN_IF_ERROR(transaction_->Commit());
  // A batch that held the write lock a while (a bulk import, the derived
  // STIX build) lets go of it for a moment before its writer begins the
  // next: a REST write or another command waiting for the lock (polling
  // every 2 ms, connection.cc) gets in, instead of failing after 5 s
  // because the next batch always took the lock back at once.
  constexpr auto kLongHeld = std::chrono::milliseconds(250);
  constexpr auto kLetGo = std::chrono::milliseconds(10);
  if (std::chrono::steady_clock::now() - began_ >= kLongHeld) std::this_thread::sleep_for(kLetGo);
  return Status::Ok();
}

}  // namespace accord::sqlite
