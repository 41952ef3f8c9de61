// SqliteImportBatch::RefreshAlertsNaming: an alert carries the events it
// hit as they were when telemetry hit (title, tags, level), the malware
// families their tags name, and the audience they had (its TLP, the routed
// organisation as a recipient). When an event is edited, its alerts say
// what it says now: a retitled event is not shown under its old title, and
// an event tagged `malware:redline` after its alerts were raised has them
// counted and filtered under that family. An event made stricter (a higher
// TLP, a recipient taken off) also narrows them, or organisations that lost
// the event would still read its alerts, labelled at the old level: an
// alert's TLP is raised to the event's (never lowered) and its routed
// organisation stays a recipient only if MayRead still lets it read the
// event, as when the alert was raised; one that may still read some of
// its events keeps a partial view (routed_partial), never a wider one.
// An event the alert's owner (whose telemetry raised it) may no longer
// read, or one deleted, leaves the alert's events altogether: an alert
// names only what its owner may read, as when the matcher raised it. An
// alert left with no event is its owner's hit alone (RED): its level came
// from its events, and other members would otherwise go on reading that
// the value was an indicator, at the level it had before.
//
// Alerts name their events only in their JSON, so they are found by one
// scan; an edit that does not narrow first looks whether any of the
// event's values was ever hit.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/family_tag.h"
#include "core/policy.h"
#include "store/early_warning_rows.h"
#include "store/sqlite/import_batch.h"

namespace accord::sqlite {

namespace {

// The uuid an alert's event entry names; empty for a damaged entry.
std::string UuidOf(const nlohmann::json& named) {
  if (!named.is_object()) return "";
  auto uuid = named.find("uuid");
  return uuid != named.end() && uuid->is_string() ? uuid->get<std::string>() : "";
}

// The strings of an alert event's array `key` (its tags, value_families);
// anything else in it is skipped.
std::vector<std::string> StringsOf(const nlohmann::json& named, const char* key) {
  std::vector<std::string> strings;
  if (auto array = named.find(key); array != named.end() && array->is_array()) {
    for (const nlohmann::json& item : *array) {
      if (item.is_string()) strings.push_back(item.get<std::string>());
    }
  }
  return strings;
}

// The families the alert's events name by their tags and for the matched
// value alone (value_families: a feed's malware column), as the matcher
// lists them when it raises an alert; only the events `counted` keeps.
template <typename Counted>
std::vector<std::string> FamiliesOfEvents(const nlohmann::json& events, Counted counted) {
  std::vector<std::string> families;
  for (const nlohmann::json& named : events) {
    if (!named.is_object() || !named.contains("tags") || !named["tags"].is_array() || !counted(named)) continue;
    AppendEventFamilies(StringsOf(named, "tags"), StringsOf(named, "value_families"), families);
  }
  return families;
}

}  // namespace

namespace {

// Who may read a stored event: nullopt when none of that uuid is stored.
struct StoredAudience {
  Tlp tlp = Tlp::kAmber;
  int64_t owner_org_id = 0;
  std::vector<int64_t> recipient_org_ids;
};

Result<std::optional<StoredAudience>> StoredEventAudience(Connection& connection, const std::string& uuid) {
  ASSIGN_OR_RETURN(auto event, connection.Cached("SELECT id, tlp, owner_org_id FROM events WHERE uuid = ?",
                                                 "read an event's audience"));
  event->Bind(1, uuid);
  ASSIGN_OR_RETURN(bool found, event->Step());
  if (!found) return std::optional<StoredAudience>();
  StoredAudience audience;
  ASSIGN_OR_RETURN(audience.tlp, TlpFromColumn(event->Int(1), "events.tlp"));
  audience.owner_org_id = event->Int(2);
  const int64_t event_id = event->Int(0);
  event->Reset();
  ASSIGN_OR_RETURN(auto recipients, connection.Cached("SELECT org_id FROM event_recipients WHERE event_id = ?",
                                                      "read an event's recipients"));
  recipients->Bind(1, event_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, recipients->Step());
    if (!row) break;
    audience.recipient_org_ids.push_back(recipients->Int(0));
  }
  return std::optional<StoredAudience>(std::move(audience));
}

// What the routed organisation may read of an alert's events now: the
// event `changed` as `changed_to` says (nullopt: deleted, nobody), the
// others as stored (one deleted since: nothing).
struct RoutedView {
  bool reads_all = true;
  bool reads_some = false;
  std::vector<std::string> families;  // of the events it reads
};

Result<RoutedView> ViewOfRouted(Connection& connection, const nlohmann::json& events, int64_t routed_org_id,
                                const std::string& changed, const std::optional<Visibility>& changed_to) {
  RoutedView view;
  std::vector<std::string> readable;
  for (const nlohmann::json& named : events) {
    const std::string uuid = UuidOf(named);
    bool reads = false;
    if (uuid == changed) {
      reads = changed_to && MayRead({routed_org_id, Role::kAnalyst}, *changed_to);
    } else if (!uuid.empty()) {
      ASSIGN_OR_RETURN(std::optional<StoredAudience> held, StoredEventAudience(connection, uuid));
      reads = held && MayRead({routed_org_id, Role::kAnalyst}, {held->tlp, held->owner_org_id, held->recipient_org_ids});
    }
    view.reads_all = view.reads_all && reads;
    view.reads_some = view.reads_some || reads;
    if (reads) readable.push_back(uuid);
  }
  view.families = FamiliesOfEvents(events, [&readable](const nlohmann::json& named) {
    return std::find(readable.begin(), readable.end(), UuidOf(named)) != readable.end();
  });
  return view;
}

// An alert rewritten after one of its events changed: its level, who of
// its routed organisation reads it, and its JSON (events, families).
struct AlertChange {
  int64_t id = 0;
  Tlp tlp = Tlp::kAmber;
  bool routed_reads = false;
  bool routed_partial = false;
  std::string routed_families;  // AlertFamiliesKey's form
  std::string json;
};

Status WriteAlertChanges(Connection& connection, const std::vector<AlertChange>& changes) {
  if (changes.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto update, connection.Prepare("UPDATE alerts SET tlp = ?2, routed_reads = ?3, json = ?4,"
                                                   " families = ?5, routed_partial = ?6, routed_families = ?7"
                                                   " WHERE id = ?1",
                                                   "rewrite an alert"));
  for (const AlertChange& change : changes) {
    update->Reset();
    update->Bind(1, change.id);
    update->Bind(2, static_cast<int64_t>(change.tlp));
    update->Bind(3, int64_t{change.routed_reads ? 1 : 0});
    update->Bind(4, change.json);
    update->Bind(5, AlertFamiliesKey(change.json));
    update->Bind(6, int64_t{change.routed_partial ? 1 : 0});
    update->Bind(7, change.routed_families);
    RETURN_IF_ERROR(update->Run());
  }
  return Status::Ok();
}

}  // namespace

Status NarrowAlertsOfDeletedEvent(Connection& connection, const std::string& event_uuid) {
  std::vector<AlertChange> changes;
  {
    ASSIGN_OR_RETURN(auto select, connection.Prepare("SELECT id, routed_org_id, routed_reads, routed_partial, json,"
                                                     " tlp FROM alerts WHERE instr(json, ?1) > 0",
                                                     "find alerts naming a deleted event"));
    select->Bind(1, "\"" + event_uuid + "\"");
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      nlohmann::json alert = nlohmann::json::parse(select->Text(4), nullptr, false);
      if (!alert.is_object() || !alert.contains("events") || !alert["events"].is_array()) continue;
      // The deleted event leaves the alert (its title and tags with it);
      // the alert stays, as the hit in its owner's telemetry.
      nlohmann::json kept = nlohmann::json::array();
      for (nlohmann::json& named : alert["events"]) {
        if (UuidOf(named) != event_uuid) kept.push_back(std::move(named));
      }
      if (kept.size() == alert["events"].size()) continue;  // the uuid was elsewhere in the text
      alert["events"] = std::move(kept);
      alert["families"] = FamiliesOfEvents(alert["events"], [](const nlohmann::json&) { return true; });
      ASSIGN_OR_RETURN(Tlp tlp, TlpFromColumn(select->Int(5), "alerts.tlp"));
      if (alert["events"].empty()) tlp = Tlp::kRed;
      alert["tlp"] = std::string(TlpName(tlp));
      const int64_t routed_org_id = select->Int(1);
      bool routed_reads = select->Int(2) != 0;
      bool routed_partial = select->Int(3) != 0;
      std::vector<std::string> routed_families;
      if (routed_org_id != 0 && (routed_reads || routed_partial)) {
        ASSIGN_OR_RETURN(RoutedView view, ViewOfRouted(connection, alert["events"], routed_org_id, event_uuid,
                                                       std::nullopt));
        routed_reads = routed_reads && view.reads_all && view.reads_some;
        routed_partial = view.reads_some && !routed_reads;
        if (routed_partial) routed_families = std::move(view.families);
      }
      changes.push_back({select->Int(0), tlp, routed_reads, routed_partial, AlertFamiliesKey(routed_families),
                         alert.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
    }
  }
  return WriteAlertChanges(connection, changes);
}

Status SqliteImportBatch::RefreshAlertsNaming(const EventRecord& event, Tlp tlp, int64_t owner_org_id,
                                              const std::vector<int64_t>& recipient_org_ids, bool narrow) {
  // A retitled or retagged event (a MISP feed refreshed, a pull) was most
  // often never hit: one look from its links into the alerts' observable
  // index spares reading every alert's JSON. Not when it is narrowed: an
  // alert outlives the link that raised it, and its audience must follow.
  if (!narrow) {
    ASSIGN_OR_RETURN(auto hit, connection_.Cached("SELECT 1 FROM links l JOIN events e ON e.id = l.event_id"
                                                  " WHERE e.uuid = ?1 AND EXISTS (SELECT 1 FROM alerts a"
                                                  " WHERE a.observable_id = l.observable_id) LIMIT 1",
                                                  "look for alerts on an event's values"));
    hit->Bind(1, event.uuid);
    ASSIGN_OR_RETURN(bool any, hit->Step());
    hit->Reset();
    if (!any) return Status::Ok();
  }
  std::vector<AlertChange> changes;
  {
    ASSIGN_OR_RETURN(auto select, connection_.Prepare("SELECT id, tlp, routed_org_id, routed_reads, json,"
                                                      " routed_partial, owner_org_id FROM alerts"
                                                      " WHERE instr(json, ?1) > 0",
                                                      "find alerts naming an event"));
    select->Bind(1, "\"" + event.uuid + "\"");
    // In the order the matcher reads them from the store.
    std::vector<std::string> tags = event.tags;
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    const Visibility edited{tlp, owner_org_id, recipient_org_ids};
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      nlohmann::json alert = nlohmann::json::parse(select->Text(4), nullptr, false);
      if (!alert.is_object() || !alert.contains("events") || !alert["events"].is_array()) continue;
      // An alert names the events its owner's telemetry hit that the owner
      // may read (the matcher sees no others): an owner that may no longer
      // read the event as it is about to be (taken off its recipients, the
      // event made stricter) loses it from the alert, for every reader of
      // the alert. The alert stays: it was the owner's own telemetry.
      const int64_t alert_owner = select->Int(6);
      const bool owner_reads = MayRead({alert_owner, Role::kAnalyst}, edited);
      bool names = false;
      nlohmann::json kept = nlohmann::json::array();
      for (nlohmann::json& named : alert["events"]) {
        if (UuidOf(named) != event.uuid) {
          kept.push_back(std::move(named));
          continue;
        }
        names = true;
        if (!owner_reads) continue;
        named["tlp"] = std::string(TlpName(tlp));
        named["title"] = event.title;
        named["tags"] = tags;
        kept.push_back(std::move(named));
      }
      if (!names) continue;  // the uuid was elsewhere in the text
      alert["events"] = std::move(kept);
      alert["families"] = FamiliesOfEvents(alert["events"], [](const nlohmann::json&) { return true; });
      ASSIGN_OR_RETURN(Tlp alert_tlp, TlpFromColumn(select->Int(1), "alerts.tlp"));
      if (narrow && owner_reads) alert_tlp = std::max(alert_tlp, tlp);
      if (alert["events"].empty()) alert_tlp = Tlp::kRed;
      alert["tlp"] = std::string(TlpName(alert_tlp));

      // What the routed organisation reads of the alert's events now (the
      // edited one as it is about to be, the others as stored; one deleted
      // since, nothing). A wider audience is never given: only narrowed.
      const int64_t routed_org_id = select->Int(2);
      bool routed_reads = select->Int(3) != 0;
      bool routed_partial = select->Int(5) != 0;
      std::vector<std::string> routed_families;
      if (routed_org_id != 0 && (routed_reads || routed_partial)) {
        ASSIGN_OR_RETURN(RoutedView view,
                         ViewOfRouted(connection_, alert["events"], routed_org_id, event.uuid, edited));
        if (narrow || !owner_reads) {
          const bool was_reading = routed_reads || routed_partial;
          routed_reads = routed_reads && view.reads_all && view.reads_some;
          routed_partial = was_reading && view.reads_some && !routed_reads;
        }
        if (routed_partial) routed_families = std::move(view.families);
      }
      changes.push_back({select->Int(0), alert_tlp, routed_reads, routed_partial, AlertFamiliesKey(routed_families),
                         alert.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
    }
  }
  return WriteAlertChanges(connection_, changes);
}

}  // namespace accord::sqlite
