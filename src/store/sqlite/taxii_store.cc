// SqliteStore for TAXII: event recipients (for MayRead on STIX objects) and
// the status resources of POSTed envelopes (table taxii_status, migration 4).
#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {

Result<std::vector<int64_t>> SqliteStore::ListEventRecipients(int64_t event_id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT org_id FROM event_recipients WHERE event_id = ?"
                                       " ORDER BY org_id",
                                       "list event recipients"));
  select->Bind(1, event_id);
  std::vector<int64_t> recipients;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return recipients;
    recipients.push_back(select->Int(0));
  }
}

Status SqliteStore::PutTaxiiStatus(const std::string& id, int64_t org_id,
                                   const std::string& created, const std::string& resource_json) {
  if (id.empty()) return Status::Invalid("TAXII status: id is empty");
  ASSIGN_OR_RETURN(auto insert,
                   connection_->Cached("INSERT INTO taxii_status(id, org_id, created, resource)"
                                       " VALUES (?, ?, ?, ?)",
                                       "store TAXII status"));
  insert->Bind(1, id);
  insert->Bind(2, org_id);
  insert->Bind(3, created);
  insert->Bind(4, resource_json);
  Status status = insert->Run();
  if (!status.ok()) return status.WithContext("TAXII status " + id);
  return Status::Ok();
}

Result<std::optional<Store::TaxiiStatusRow>> SqliteStore::GetTaxiiStatus(const std::string& id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT org_id, created, resource FROM taxii_status"
                                       " WHERE id = ?",
                                       "read TAXII status"));
  select->Bind(1, id);
  ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) return std::optional<TaxiiStatusRow>();
  TaxiiStatusRow row;
  row.org_id = select->Int(0);
  row.created = select->Text(1);
  row.resource_json = select->Text(2);
  return std::optional<TaxiiStatusRow>(std::move(row));
}

}  // namespace accord::sqlite
