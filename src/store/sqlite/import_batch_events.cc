// SqliteImportBatch::UpsertEvent: an event's row, tags and recipients as
// an import or an edit gives them, and what follows from the change: STIX
// objects re-added for a recipient gained (ReaddEventObjects), and the
// alerts that name the event told what it says now, narrowed when it was
// made stricter (RefreshAlertsNaming, alert_refresh.cc).
#include <algorithm>
#include <string>
#include <vector>

#include "store/sqlite/import_batch.h"

namespace accord::sqlite {
namespace {

// Whether the stored event's tags are other than `tags` (as sets).
Result<bool> TagsDiffer(Connection& connection, int64_t event_id, std::vector<std::string> tags) {
  ASSIGN_OR_RETURN(auto held, connection.Cached("SELECT tag FROM event_tags WHERE event_id = ? ORDER BY tag",
                                                "read event tags"));
  held->Bind(1, event_id);
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  size_t next = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, held->Step());
    if (!row) break;
    if (next == tags.size() || held->Text(0) != tags[next]) return true;
    ++next;
  }
  return next != tags.size();
}

}  // namespace

Result<int64_t> SqliteImportBatch::UpsertEvent(const EventRecord& event, Tlp tlp,
                                               int64_t owner_org_id,
                                               const std::vector<int64_t>& recipient_org_ids) {
  if (event.uuid.empty()) return Status::Invalid("event: uuid is empty");
  const std::string where = "event " + event.uuid;
  // What it said, if it was stored: its alerts follow an edit (a stricter
  // level narrows them).
  std::optional<Tlp> tlp_before;
  bool alerts_named_differently = false;
  // An import that states no version time (a list, a CSV) and changes
  // nothing of the event keeps its modified time: a feed imported again
  // unchanged publishes no new version. Its links, if they change, move it
  // at Commit (FlushObservableCounts).
  std::string modified = event.modified.empty() ? now_ : event.modified;
  // Its recipients as stored (none for a new event), sorted: compared with
  // the new ones here and below (ReaddEventObjects).
  std::vector<int64_t> recipients_before;
  {
    ASSIGN_OR_RETURN(auto held, connection_.Cached("SELECT id, tlp, title, description, modified FROM events"
                                                   " WHERE uuid = ?",
                                                   "read event as stored"));
    held->Bind(1, event.uuid);
    ASSIGN_OR_RETURN(bool found, held->Step());
    if (found) {
      ASSIGN_OR_RETURN(tlp_before, TlpFromColumn(held->Int(1), where));
      const int64_t held_id = held->Int(0);
      alerts_named_differently = *tlp_before != tlp || held->Text(2) != event.title;
      const bool same_description = held->Text(3) == event.description;
      const std::string held_modified = held->Text(4);
      held->Reset();
      if (!alerts_named_differently) {
        ASSIGN_OR_RETURN(alerts_named_differently, TagsDiffer(connection_, held_id, event.tags));
      }
      ASSIGN_OR_RETURN(auto recipients, connection_.Cached("SELECT org_id FROM event_recipients WHERE event_id = ?"
                                                           " ORDER BY org_id",
                                                           "read event recipients"));
      recipients->Bind(1, held_id);
      while (true) {
        ASSIGN_OR_RETURN(bool row, recipients->Step());
        if (!row) break;
        recipients_before.push_back(recipients->Int(0));
      }
      if (event.modified.empty() && !alerts_named_differently && same_description && !event.threat_level &&
          !event.analysis && !event.misp_other_attributes && !event.misp_objects && !event.misp_orgc) {
        std::vector<int64_t> after = recipient_org_ids;
        std::sort(after.begin(), after.end());
        after.erase(std::unique(after.begin(), after.end()), after.end());
        if (recipients_before == after) modified = held_modified;
      }
    }
  }
  Statement& upsert = *statements_.upsert_event;
  ResetOnExit reset_upsert(upsert);
  const std::string& created = event.created.empty() ? now_ : event.created;
  upsert.Bind(1, event.uuid);
  upsert.BindTextOrNull(2, event.title);
  upsert.BindTextOrNull(3, event.description);
  upsert.Bind(4, static_cast<int64_t>(tlp));
  upsert.BindIdOrNull(5, owner_org_id);
  upsert.Bind(6, created);
  upsert.Bind(7, modified);
  upsert.BindTextOrNull(8, event.stix_id);
  upsert.BindTextOrNull(9, event.source);
  if (event.threat_level) {
    upsert.Bind(10, static_cast<int64_t>(*event.threat_level));
  } else {
    upsert.BindNull(10);
  }
  if (event.analysis) {
    upsert.Bind(11, static_cast<int64_t>(*event.analysis));
  } else {
    upsert.BindNull(11);
  }
  if (event.misp_other_attributes) {
    upsert.Bind(12, *event.misp_other_attributes);
  } else {
    upsert.BindNull(12);
  }
  if (event.misp_objects) {
    upsert.Bind(13, *event.misp_objects);
  } else {
    upsert.BindNull(13);
  }
  if (event.misp_orgc) {
    upsert.Bind(14, *event.misp_orgc);
  } else {
    upsert.BindNull(14);
  }
  Result<bool> row = upsert.Step();
  if (!row.ok()) return row.status().WithContext(where);
  if (!*row) return Status::Internal("sqlite: upsert event: no id returned for " + event.uuid);
  const int64_t event_id = upsert.Int(0);
  if (!event.modified.empty()) stated_version_events_.insert(event_id);

  Statement& delete_tags = *statements_.delete_tags;
  ResetOnExit reset_delete_tags(delete_tags);
  delete_tags.Bind(1, event_id);
  RETURN_IF_ERROR(delete_tags.Run());
  Statement& insert_tag = *statements_.insert_tag;
  for (const std::string& tag : event.tags) {
    ResetOnExit reset_tag(insert_tag);
    insert_tag.Bind(1, event_id);
    insert_tag.Bind(2, tag);
    RETURN_IF_ERROR(insert_tag.Run());
  }

  // Whether an organisation that could not read the event's stored STIX
  // objects now can: see ReaddEventObjects.
  bool recipient_gained = false;
  bool recipient_lost = false;
  for (int64_t org_id : recipient_org_ids) {
    if (!std::binary_search(recipients_before.begin(), recipients_before.end(), org_id)) recipient_gained = true;
  }
  for (int64_t org_id : recipients_before) {
    if (std::find(recipient_org_ids.begin(), recipient_org_ids.end(), org_id) == recipient_org_ids.end()) {
      recipient_lost = true;
    }
  }

  Statement& delete_recipients = *statements_.delete_recipients;
  ResetOnExit reset_delete_recipients(delete_recipients);
  delete_recipients.Bind(1, event_id);
  RETURN_IF_ERROR(delete_recipients.Run());
  Statement& insert_recipient = *statements_.insert_recipient;
  for (int64_t org_id : recipient_org_ids) {
    ResetOnExit reset_recipient(insert_recipient);
    insert_recipient.Bind(1, event_id);
    insert_recipient.Bind(2, org_id);
    Status status = insert_recipient.Run();
    if (status.code() == Status::Code::kFailedPrecondition) {
      return Status::NotFound(where + ": recipient organisation id " + std::to_string(org_id) +
                              " does not exist");
    }
    RETURN_IF_ERROR(status);
  }
  if (recipient_gained) RETURN_IF_ERROR(ReaddEventObjects(event_id).WithContext(where));
  // AMBER+STRICT ranks below RED but reaches fewer: RED to AMBER+STRICT
  // drops every recipient.
  const bool narrowed = tlp_before && (tlp > *tlp_before || (tlp == Tlp::kAmberStrict && *tlp_before != tlp) ||
                                       recipient_lost);
  // A recipient lost is enforced where objects are read (their event's
  // recipients are looked up then); a stricter level is each object's own.
  if (tlp_before && tlp != *tlp_before && FitsWithin(*tlp_before, tlp)) {
    RETURN_IF_ERROR(NarrowEventObjects(event_id, tlp).WithContext(where));
  }
  if (narrowed || alerts_named_differently) {
    RETURN_IF_ERROR(
        RefreshAlertsNaming(event, tlp, owner_org_id, recipient_org_ids, narrowed).WithContext(where));
  }
  return event_id;
}

}  // namespace accord::sqlite
