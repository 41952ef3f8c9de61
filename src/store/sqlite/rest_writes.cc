// SqliteStore writes for the REST API: deleting an event and removing some of
// its links. Both join the caller's open transaction (an import batch, which
// then commits them with their audit record) or run in their own.
#include <sqlite3.h>

#include <string>

#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {

Status SqliteStore::DeleteEvent(int64_t event_id) {
  const std::string operation = "delete event id " + std::to_string(event_id);
  ASSIGN_OR_RETURN(auto transaction, Transaction::JoinOrBegin(*connection_, operation));
  {
    ASSIGN_OR_RETURN(auto uuid, connection_->Cached("SELECT uuid FROM events WHERE id = ?", operation));
    uuid->Bind(1, event_id);
    ASSIGN_OR_RETURN(bool found, uuid->Step());
    const std::string event_uuid = found ? uuid->Text(0) : std::string();
    uuid->Reset();
    if (found) RETURN_IF_ERROR(NarrowAlertsOfDeletedEvent(*connection_, event_uuid));
  }
  // The STIX objects imported under the event go with it: left behind (their
  // event_id set NULL) they would still be served over TAXII and exported.
  {
    ASSIGN_OR_RETURN(auto objects, connection_->Cached(
                                       "DELETE FROM stix_objects WHERE event_id = ?", operation));
    objects->Bind(1, event_id);
    RETURN_IF_ERROR(objects->Run());
  }
  // links, event_tags and event_recipients go by ON DELETE CASCADE.
  ASSIGN_OR_RETURN(auto remove,
                   connection_->Cached("DELETE FROM events WHERE id = ?", operation));
  remove->Bind(1, event_id);
  RETURN_IF_ERROR(remove->Run());
  if (remove->Changes() == 0) {
    return Status::NotFound("event id " + std::to_string(event_id) + " does not exist");
  }
  return transaction ? transaction->Commit() : Status::Ok();
}

Result<int64_t> SqliteStore::RemoveLinks(int64_t event_id,
                                         const std::vector<int64_t>& observable_ids) {
  const std::string operation = "remove links of event id " + std::to_string(event_id);
  ASSIGN_OR_RETURN(auto transaction, Transaction::JoinOrBegin(*connection_, operation));
  int64_t removed = 0;
  {
    ASSIGN_OR_RETURN(auto remove, connection_->Cached(
                                      "DELETE FROM links WHERE event_id = ? AND observable_id = ?",
                                      operation));
    for (int64_t observable_id : observable_ids) {
      remove->Bind(1, event_id);
      remove->Bind(2, observable_id);
      RETURN_IF_ERROR(remove->Run());
      removed += remove->Changes();
      remove->Reset();
    }
  }
  if (removed > 0) {
    // A subtraction commutes with the additions an open batch writes at its
    // commit, so the count stays exact either way.
    ASSIGN_OR_RETURN(auto count, connection_->Cached(
                                     "UPDATE events SET observable_count = observable_count - ?, revision = revision + 1,"
                                     " stix_stale = substr(COALESCE(source, ''), 1, 5) <> 'stix:'"
                                     " WHERE id = ?",
                                     operation));
    count->Bind(1, removed);
    count->Bind(2, event_id);
    RETURN_IF_ERROR(count->Run());
  }
  if (transaction) RETURN_IF_ERROR(transaction->Commit());
  return removed;
}

}  // namespace accord::sqlite
