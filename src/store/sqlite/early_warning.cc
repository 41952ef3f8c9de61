// The early-warning tables: what the match snapshot is built from,
// constituencies, alerts and the sightings the matcher writes back.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

// A valid_until that sorts after every real timestamp: "never expires".
constexpr std::string_view kNever = "9999-12-31T23:59:59Z";

constexpr std::string_view kAlertSelect =
    "SELECT id, uuid, created, observable_id, tlp, owner_org_id, routed_org_id, country, victim,"
    " count, first_seen, last_seen, json, routed_reads, acknowledged_at, acknowledged_by,"
    " routed_partial, routed_families FROM alerts";

AlertRow ReadAlertRow(const Statement& row) {
  AlertRow alert;
  alert.id = row.Int(0);
  alert.uuid = row.Text(1);
  alert.created = row.Text(2);
  alert.observable_id = row.Int(3);
  alert.tlp = static_cast<Tlp>(row.Int(4));
  alert.owner_org_id = row.Int(5);
  alert.routed_org_id = row.Int(6);
  alert.country = row.Text(7);
  alert.victim = row.Text(8);
  alert.count = row.Int(9);
  alert.stored_count = alert.count;
  alert.first_seen = row.Text(10);
  alert.last_seen = row.Text(11);
  alert.json = row.Text(12);
  alert.routed_reads = row.Int(13) != 0;
  alert.acknowledged_at = row.Text(14);
  alert.acknowledged_by = row.Text(15);
  alert.routed_partial = row.Int(16) != 0;
  alert.routed_families = row.Text(17);
  return alert;
}

}  // namespace

Status SqliteStore::ForEachLiveObservable(
    const std::string& now, const std::function<Status(const LiveObservable&)>& fn) {
  // A merge of two ordered scans instead of a join: indicator links in
  // observable order (links_by_observable covers them, migration 10) and
  // observables in id order. A join probed links once per observable and
  // then the links table once per link; at 1 M indicators those random
  // lookups were most of the snapshot's build time. Both statements run in
  // the one read transaction a connection holds while any statement is
  // active, so they see the same data.
  // event_id is part of the links key, so the index still covers the scan.
  ASSIGN_OR_RETURN(auto links,
                   connection_->Cached("SELECT observable_id, valid_until, event_id FROM links"
                                       " WHERE is_indicator = 1 ORDER BY observable_id",
                                       "list indicator links"));
  ASSIGN_OR_RETURN(auto observables,
                   connection_->Cached("SELECT id, type, value FROM observables"
                                       " WHERE warninglist IS NULL ORDER BY id",
                                       "list observables"));
  // Reset on every exit: the two statements hold the read transaction open.
  struct ResetOnExit {
    Statement& a;
    Statement& b;
    ~ResetOnExit() {
      a.Reset();
      b.Reset();
    }
  } reset{*links, *observables};

  ASSIGN_OR_RETURN(bool have_link, links->Step());
  ASSIGN_OR_RETURN(bool have_observable, observables->Step());
  LiveObservable live;  // reused: its links keep their capacity
  while (have_link && have_observable) {
    // One observable's indicator links still valid at `now`: the latest
    // valid_until wins, and none (NULL) means it never expires.
    const int64_t observable_id = links->Int(0);
    live.links.clear();
    std::string expires;
    while (have_link && links->Int(0) == observable_id) {
      std::string valid_until = links->IsNull(1) ? std::string(kNever) : links->Text(1);
      if (valid_until > now) {
        if (valid_until > expires) expires = valid_until;
        live.links.push_back({links->Int(2), valid_until == kNever ? std::string() : std::move(valid_until)});
      }
      ASSIGN_OR_RETURN(have_link, links->Step());
    }
    if (live.links.empty()) continue;
    // In index order they come by valid_until; event order is the contract.
    std::sort(live.links.begin(), live.links.end(),
              [](const LiveObservable::Link& a, const LiveObservable::Link& b) { return a.event_id < b.event_id; });
    while (have_observable && observables->Int(0) < observable_id) {
      ASSIGN_OR_RETURN(have_observable, observables->Step());
    }
    if (!have_observable || observables->Int(0) != observable_id) continue;  // on a warning list
    live.id = observable_id;
    ASSIGN_OR_RETURN(live.observable.type,
                     ObservableTypeFromColumn(observables->Int(1), "observable"));
    live.observable.value = observables->Text(2);
    live.expires = expires == kNever ? std::string() : std::move(expires);
    RETURN_IF_ERROR(fn(live));
  }
  return Status::Ok();
}

Result<int64_t> SqliteStore::MaxObservableId() {
  return connection_->QueryInt("SELECT COALESCE(MAX(id), 0) FROM observables", "read the highest observable id");
}

Result<int64_t> SqliteStore::IndicatorGeneration() {
  // Every write appends to the audit log, so its last seq moves with any
  // change; the matcher's own records (alerts and sightings) and the 24/7
  // network's (requests, points of contact), stealer victims and backups
  // change nothing a snapshot holds
  // and are skipped, walking back from the end.
  return connection_->QueryInt("SELECT COALESCE((SELECT seq FROM audit_log WHERE action <> 'match'"
                               " AND action NOT LIKE 'request.%' AND action NOT LIKE 'poc.%'"
                               " AND action NOT IN ('stealer.victims', 'stealer.purge', 'backup')"
                               " ORDER BY seq DESC LIMIT 1), 0)",
                               "read indicator generation");
}

Result<Constituency> SqliteStore::AddConstituency(int64_t org_id, const std::string& network) {
  ASSIGN_OR_RETURN(auto org, FindOrganisationById(org_id));
  if (!org) return Status::NotFound("organisation id " + std::to_string(org_id) + " does not exist");
  ASSIGN_OR_RETURN(auto insert,
                   connection_->Cached("INSERT INTO constituencies(org_id, network, created)"
                                       " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                       "add constituency"));
  Constituency added;
  added.org_id = org_id;
  added.network = network;
  added.created = FormatTimestamp(SystemClock().Now());
  insert->Bind(1, org_id);
  insert->Bind(2, network);
  insert->Bind(3, added.created);
  RETURN_IF_ERROR(insert->Run());
  if (insert->Changes() == 0) {
    return Status::AlreadyExists(org->name + " already answers for " + network);
  }
  added.id = insert->LastInsertRowId();
  return added;
}

Status SqliteStore::RemoveConstituency(int64_t org_id, const std::string& network) {
  ASSIGN_OR_RETURN(auto remove,
                   connection_->Cached("DELETE FROM constituencies WHERE org_id = ? AND network = ?",
                                       "remove constituency"));
  remove->Bind(1, org_id);
  remove->Bind(2, network);
  RETURN_IF_ERROR(remove->Run());
  if (remove->Changes() == 0) {
    return Status::NotFound("organisation id " + std::to_string(org_id) + " has no network " +
                            network);
  }
  return Status::Ok();
}

Result<std::vector<Constituency>> SqliteStore::ListConstituencies() {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT id, org_id, network, created FROM constituencies"
                                       " ORDER BY org_id, network",
                                       "list constituencies"));
  std::vector<Constituency> all;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return all;
    all.push_back({select->Int(0), select->Int(1), select->Text(2), select->Text(3)});
  }
}

Status SqliteStore::RecordAlerts(std::vector<AlertRow>& alerts,
                                 const std::vector<SightingInput>& sightings,
                                 const std::optional<AuditEntry>& audit) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "record alerts"));
  ASSIGN_OR_RETURN(
      auto insert,
      connection_->Cached("INSERT INTO alerts(uuid, created, observable_id, tlp, owner_org_id,"
                          " routed_org_id, country, victim, count, first_seen, last_seen, json,"
                          " routed_reads, families, routed_partial, routed_families)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "insert alert"));
  // Existing rows first: the rows inserted below start at their count.
  // SET's expressions all read the row as it was, so the json takes the
  // same widened values as the columns.
  ASSIGN_OR_RETURN(
      auto update,
      connection_->Cached("UPDATE alerts SET count = count + ?1, first_seen = min(first_seen, ?2),"
                          " last_seen = max(last_seen, ?3), json = json_set(json, '$.count',"
                          " count + ?1, '$.first_seen', min(first_seen, ?2), '$.last_seen',"
                          " max(last_seen, ?3)) WHERE id = ?4 RETURNING count, acknowledged_at, first_seen, last_seen",
                          "update alert"));
  // Folded inside this transaction (BEGIN IMMEDIATE: no other writer can
  // open the alert between the look and the insert). A stored alert takes
  // at most one of the batch's rows: two alerts the writer kept apart (a
  // window apart) stay apart.
  std::unordered_set<int64_t> claimed;
  for (const AlertRow& alert : alerts) {
    if (alert.id != 0) claimed.insert(alert.id);
  }
  std::unordered_map<std::string, std::string> folded_origins;  // old, new
  for (AlertRow& alert : alerts) {
    if (alert.id != 0 || alert.fold_after.empty()) continue;
    ASSIGN_OR_RETURN(std::optional<AlertRow> open, FindOpenAlert(alert, alert.fold_after, alert.fold_before));
    if (!open || !claimed.insert(open->id).second) continue;
    folded_origins.emplace("alert:" + alert.uuid, "alert:" + open->uuid);
    alert.id = open->id;
    alert.uuid = open->uuid;
    alert.stored_count = 0;  // all of this row's count is new to the stored one
    alert.json = std::move(open->json);  // its first sighting, for the writer
  }
  for (AlertRow& alert : alerts) {
    if (alert.id == 0) continue;
    update->Reset();
    update->Bind(1, alert.count - alert.stored_count);
    update->Bind(2, alert.first_seen);
    update->Bind(3, alert.last_seen);
    update->Bind(4, alert.id);
    ASSIGN_OR_RETURN(bool row, update->Step());
    if (!row) return Status::NotFound("alert " + alert.uuid + " no longer exists");
    alert.count = update->Int(0);
    alert.stored_count = alert.count;
    alert.acknowledged_at = update->Text(1);
    alert.first_seen = update->Text(2);
    alert.last_seen = update->Text(3);
  }
  update->Reset();
  for (AlertRow& alert : alerts) {
    if (alert.id != 0) continue;
    insert->Reset();
    insert->Bind(1, alert.uuid);
    insert->Bind(2, alert.created);
    insert->Bind(3, alert.observable_id);
    insert->Bind(4, static_cast<int64_t>(alert.tlp));
    insert->BindIdOrNull(5, alert.owner_org_id);
    insert->BindIdOrNull(6, alert.routed_org_id);
    insert->BindTextOrNull(7, alert.country);
    insert->BindTextOrNull(8, alert.victim);
    insert->Bind(9, alert.count);
    insert->Bind(10, alert.first_seen);
    insert->Bind(11, alert.last_seen);
    insert->Bind(12, alert.json);
    insert->Bind(13, int64_t{alert.routed_reads ? 1 : 0});
    insert->Bind(14, AlertFamiliesKey(alert.json));
    insert->Bind(15, int64_t{alert.routed_partial ? 1 : 0});
    insert->Bind(16, alert.routed_families);
    Status status = insert->Run();
    if (!status.ok()) return status.WithContext("alert " + alert.uuid);
    alert.id = insert->LastInsertRowId();
    alert.stored_count = alert.count;
  }
  insert->Reset();
  ASSIGN_OR_RETURN(
      auto sighting,
      connection_->Cached("INSERT INTO sightings(observable_id, org_id, count, first_seen,"
                          " last_seen, source, origin_id) SELECT id, ?3, ?4, ?5, ?6, ?7, ?8 FROM observables"
                          " WHERE type = ?1 AND value = ?2"
                          // One row per origin (the matcher's: its alert) however often
                          // it is written: counts add, dates widen.
                          " ON CONFLICT(origin_id, observable_id, org_id) WHERE origin_id IS NOT NULL"
                          " DO UPDATE SET count = count + excluded.count,"
                          " first_seen = min(COALESCE(first_seen, excluded.first_seen), excluded.first_seen),"
                          " last_seen = max(COALESCE(last_seen, excluded.last_seen), excluded.last_seen)",
                          "record sighting"));
  for (const SightingInput& input : sightings) {
    if (!input.observable) continue;
    sighting->Reset();
    sighting->Bind(1, static_cast<int64_t>(input.observable->type));
    sighting->Bind(2, input.observable->value);
    sighting->BindIdOrNull(3, input.org_id);
    sighting->Bind(4, input.count);
    sighting->BindTextOrNull(5, input.first_seen);
    sighting->BindTextOrNull(6, input.last_seen);
    sighting->BindTextOrNull(7, input.source);
    const auto folded = folded_origins.find(input.origin_id);
    sighting->BindTextOrNull(8, folded == folded_origins.end() ? input.origin_id : folded->second);
    RETURN_IF_ERROR(sighting->Run());
  }
  sighting->Reset();
  if (audit && !folded_origins.empty()) {
    // The writer counted the folded rows as new alerts; the record says
    // what this transaction did.
    AuditEntry counted = *audit;
    nlohmann::json detail = nlohmann::json::parse(counted.detail, nullptr, false);
    if (detail.is_object() && detail.contains("alerts_new") && detail["alerts_new"].is_number_integer() &&
        detail.contains("alerts_updated") && detail["alerts_updated"].is_number_integer()) {
      const auto folded = static_cast<int64_t>(folded_origins.size());
      detail["alerts_new"] = detail["alerts_new"].get<int64_t>() - folded;
      detail["alerts_updated"] = detail["alerts_updated"].get<int64_t>() + folded;
      counted.detail = detail.dump();
    }
    RETURN_IF_ERROR(AppendAuditRecord(*connection_, counted));
  } else if (audit) {
    RETURN_IF_ERROR(AppendAuditRecord(*connection_, *audit));
  }
  return transaction->Commit();
}

namespace {

// The filters both the feed and its tallies apply: ?2 country, ?3 routed
// organisation, ?5 acknowledged, ?8 family ("\x1f<family>\x1f", lowercase;
// lower() folds ASCII only, as the feed's filter always did).
constexpr std::string_view kAlertFilters =
    " WHERE (?2 = '' OR country = ?2) AND (?3 = 0 OR routed_org_id = ?3)"
    " AND (?5 = -1 OR (acknowledged_at IS NOT NULL) = ?5)"
    // ?9: the viewer, who may read a routed_partial alert's own events only.
    " AND (?8 = '' OR instr(lower(CASE WHEN routed_partial = 1 AND routed_org_id = ?9"
    "   AND owner_org_id IS NOT ?9 THEN routed_families ELSE families END), ?8) > 0)";

void BindAlertFilters(Statement& statement, const AlertFilter& filter) {
  statement.Bind(2, filter.country);
  statement.Bind(3, filter.routed_org_id);
  statement.Bind(5, filter.acknowledged ? int64_t{*filter.acknowledged ? 1 : 0} : int64_t{-1});
  std::string family;
  if (!filter.family.empty()) {
    family = "\x1f";
    for (char c : filter.family) family.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    family.push_back('\x1f');
  }
  statement.Bind(8, family);
  statement.Bind(9, filter.viewer_org_id);
}

}  // namespace

std::string AlertListSql(const AlertFilter& filter) {
  // One statement per order and direction rather than a computed ORDER BY,
  // so each walks its index (the primary key, or alerts_by_last_seen) in
  // its own direction from its key.
  std::string sql = std::string(kAlertSelect) + std::string(kAlertFilters);
  if (filter.by_observed) {
    const bool from_key = !filter.last_seen_key.empty();
    if (filter.observed_ascending) {
      if (from_key) sql += " AND (last_seen, id) > (?6, ?7)";
      return sql + " ORDER BY last_seen, id LIMIT ?4";
    }
    if (from_key) sql += " AND (last_seen, id) < (?6, ?7)";
    return sql + " ORDER BY last_seen DESC, id DESC LIMIT ?4";
  }
  if (filter.newest_first) return sql + " AND (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?4";
  return sql + " AND id > ?1 ORDER BY id LIMIT ?4";
}

Status SqliteStore::ForEachAlert(const AlertFilter& filter,
                                 const std::function<Status(const AlertRow&)>& fn) {
  const std::string sql = AlertListSql(filter);
  ASSIGN_OR_RETURN(auto select, connection_->Cached(sql, "list alerts"));
  if (!filter.by_observed) select->Bind(1, filter.newest_first ? filter.before_id : filter.after_id);
  BindAlertFilters(*select, filter);
  select->Bind(4, filter.limit > 0 ? filter.limit : int64_t{-1});
  if (filter.by_observed && !filter.last_seen_key.empty()) {
    select->Bind(6, filter.last_seen_key);
    select->Bind(7, filter.id_key);
  }
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    RETURN_IF_ERROR(fn(ReadAlertRow(*select)));
  }
}

std::string AlertTallySql(bool detailed) {
  const std::string where(kAlertFilters);
  if (!detailed) {
    return "SELECT tlp, owner_org_id, routed_org_id, routed_reads, count(*), routed_partial FROM alerts" + where +
           " GROUP BY 1, 2, 3, 4, 6";
  }
  return "SELECT tlp, owner_org_id, routed_org_id, routed_reads, count(*), routed_partial,"
         " substr(last_seen, 1, 10), country, acknowledged_at IS NOT NULL, families, routed_families FROM alerts" +
         where + " GROUP BY 1, 2, 3, 4, 6, 7, 8, 9, 10, 11";
}

Status SqliteStore::ForEachAlertTally(const AlertFilter& filter, bool detailed,
                                      const std::function<Status(const AlertTally&)>& fn) {
  ASSIGN_OR_RETURN(auto select, connection_->Cached(AlertTallySql(detailed), "tally alerts"));
  BindAlertFilters(*select, filter);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    AlertTally tally;
    ASSIGN_OR_RETURN(tally.tlp, TlpFromColumn(select->Int(0), "alerts.tlp"));
    tally.owner_org_id = select->Int(1);
    tally.routed_org_id = select->Int(2);
    tally.routed_reads = select->Int(3) != 0;
    tally.count = select->Int(4);
    tally.routed_partial = select->Int(5) != 0;
    if (detailed) {
      tally.last_seen_day = select->Text(6);
      tally.country = select->Text(7);
      tally.acknowledged = select->Int(8) != 0;
      tally.families = SplitAlertFamiliesKey(select->Text(9));
      tally.routed_families = SplitAlertFamiliesKey(select->Text(10));
    }
    RETURN_IF_ERROR(fn(tally));
  }
}

Result<std::optional<AlertRow>> SqliteStore::FindAlert(const std::string& uuid) {
  ASSIGN_OR_RETURN(auto select, connection_->Cached(std::string(kAlertSelect) + " WHERE uuid = ?1",
                                                    "find alert"));
  select->Bind(1, uuid);
  ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return std::optional<AlertRow>();
  return std::optional<AlertRow>(ReadAlertRow(*select));
}

Result<std::optional<AlertRow>> SqliteStore::FindOpenAlert(const AlertRow& like,
                                                           const std::string& first_seen_after,
                                                           const std::string& first_seen_before) {
  // The conditions of alerts_open_by_key (version 23) first.
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached(std::string(kAlertSelect) +
                                           " WHERE observable_id = ?1 AND victim IS ?2 AND owner_org_id IS ?3"
                                           " AND first_seen > ?4 AND first_seen < ?5 AND acknowledged_at IS NULL"
                                           " AND tlp = ?6 AND routed_org_id IS ?7 AND routed_reads = ?8"
                                           " AND routed_partial = ?9"
                                           " ORDER BY id DESC LIMIT 1",
                                       "find open alert"));
  select->Bind(1, like.observable_id);
  select->BindTextOrNull(2, like.victim);
  select->BindIdOrNull(3, like.owner_org_id);
  select->Bind(4, first_seen_after);
  select->Bind(5, first_seen_before);
  select->Bind(6, static_cast<int64_t>(like.tlp));
  select->BindIdOrNull(7, like.routed_org_id);
  select->Bind(8, int64_t{like.routed_reads ? 1 : 0});
  select->Bind(9, int64_t{like.routed_partial ? 1 : 0});
  ASSIGN_OR_RETURN(bool row, select->Step());
  std::optional<AlertRow> found;
  if (row) found = ReadAlertRow(*select);
  select->Reset();
  return found;
}

Status SqliteStore::AcknowledgeAlert(int64_t alert_id, const std::string& at, const std::string& by,
                                     const AuditEntry& audit) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "acknowledge alert"));
  ASSIGN_OR_RETURN(auto update,
                   connection_->Cached("UPDATE alerts SET acknowledged_at = ?2, acknowledged_by = ?3"
                                       " WHERE id = ?1 AND acknowledged_at IS NULL",
                                       "acknowledge alert"));
  update->Bind(1, alert_id);
  update->Bind(2, at);
  update->Bind(3, by);
  RETURN_IF_ERROR(update->Run());
  if (connection_->Changes() == 0) {
    return Status::FailedPrecondition("the alert is already acknowledged (or no longer exists)");
  }
  RETURN_IF_ERROR(AppendAuditRecord(*connection_, audit));
  return transaction->Commit();
}

}  // namespace accord::sqlite
