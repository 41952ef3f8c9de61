// SqliteImportBatch::NarrowAlertsNaming: an alert is stored with the
// audience its events had when telemetry hit (its TLP, the routed
// organisation as a recipient). An event edited to a higher TLP, or with a
// recipient taken off, would otherwise leave its alerts readable, and
// counted, by organisations that lost the event. The alerts that name it
// take its new level (never a lower one) and lose a routed recipient that
// may no longer read it, decided by MayRead as when they were raised.
//
// Alerts name their events only in their JSON; making an event stricter is
// an edit, rare beside imports, so the alerts are found by one scan.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/policy.h"
#include "store/sqlite/import_batch.h"

namespace accord::sqlite {

Status SqliteImportBatch::NarrowAlertsNaming(const std::string& event_uuid, Tlp tlp, int64_t owner_org_id,
                                             const std::vector<int64_t>& recipient_org_ids) {
  struct Narrowed {
    int64_t id;
    Tlp tlp;
    bool routed_reads;
    std::string json;
  };
  std::vector<Narrowed> changes;
  {
    ASSIGN_OR_RETURN(auto select, connection_.Prepare("SELECT id, tlp, routed_org_id, routed_reads, json FROM alerts"
                                                      " WHERE instr(json, ?1) > 0",
                                                      "find alerts naming an event"));
    select->Bind(1, "\"" + event_uuid + "\"");
    const Visibility event{tlp, owner_org_id, recipient_org_ids};
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      nlohmann::json alert = nlohmann::json::parse(select->Text(4), nullptr, false);
      if (!alert.is_object() || !alert.contains("events") || !alert["events"].is_array()) continue;
      bool names = false;
      for (nlohmann::json& named : alert["events"]) {
        if (!named.is_object() || named.value("uuid", "") != event_uuid) continue;
        names = true;
        named["tlp"] = std::string(TlpName(tlp));
      }
      if (!names) continue;  // the uuid was elsewhere in the text
      ASSIGN_OR_RETURN(const Tlp held, TlpFromColumn(select->Int(1), "alerts.tlp"));
      const int64_t routed_org_id = select->Int(2);
      const bool routed_reads = select->Int(3) != 0 && routed_org_id != 0 &&
                                MayRead({routed_org_id, Role::kAnalyst}, event);
      const Tlp narrowed = std::max(held, tlp);
      alert["tlp"] = std::string(TlpName(narrowed));
      changes.push_back({select->Int(0), narrowed, routed_reads,
                         alert.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
    }
  }
  if (changes.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto update, connection_.Prepare("UPDATE alerts SET tlp = ?2, routed_reads = ?3, json = ?4"
                                                    " WHERE id = ?1",
                                                    "narrow an alert"));
  for (const Narrowed& change : changes) {
    update->Reset();
    update->Bind(1, change.id);
    update->Bind(2, static_cast<int64_t>(change.tlp));
    update->Bind(3, int64_t{change.routed_reads ? 1 : 0});
    update->Bind(4, change.json);
    RETURN_IF_ERROR(update->Run());
  }
  return Status::Ok();
}

}  // namespace accord::sqlite
