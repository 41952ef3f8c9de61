// Companion events for values marked more strictly than their event.
#include "exchange/value_levels.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/crypto.h"

namespace accord::exchange_internal {

bool FitsWithin(Tlp value, Tlp event) {
  if (value == Tlp::kAmberStrict) return event == Tlp::kAmberStrict;
  return value <= event;
}

Result<int64_t> ValueLevels::EventFor(int64_t event_id, std::optional<Tlp> tlp, ImportBatch& batch,
                                      ImportReport& report) {
  auto facts = facts_.find(event_id);
  if (!tlp || facts == facts_.end() || FitsWithin(*tlp, facts->second.tlp)) return event_id;
  auto companion = companions_.find({event_id, *tlp});
  if (companion != companions_.end()) return companion->second;
  const EventFacts& parent = facts->second;
  EventRecord record;
  record.uuid = StableUuidV4(kAccordUuidNamespace, parent.uuid + ":values-at:" + std::string(TlpName(*tlp)));
  record.title = fmt::format("{} ({} values)", parent.title, TlpLabel(*tlp));
  record.description = fmt::format(
      "Values of event {} that their source marked {}, more restricted than the event ({}): "
      "kept apart so that only readers at their own level read them.",
      parent.uuid, TlpLabel(*tlp), TlpLabel(parent.tlp));
  record.source = parent.source;
  record.created = parent.created;
  record.modified = parent.modified;
  ASSIGN_OR_RETURN(auto existing, store_.GetEvent(record.uuid));
  // Its uuid can be worked out by whoever sees the event's: one that
  // another organisation holds is never written into.
  if (existing && existing->owner_org_id != owner_org_id_) {
    return Status::PermissionDenied(fmt::format(
        "the companion event {} for values marked {} belongs to another organisation; the value was "
        "not imported", record.uuid, TlpLabel(*tlp)));
  }
  // Named recipients count for AMBER and RED only (core/policy.h): an
  // AMBER+STRICT event's would widen a RED companion.
  std::vector<int64_t> recipients;
  if (parent.tlp == Tlp::kAmber || parent.tlp == Tlp::kRed) recipients = parent.recipients;
  if (share_with_org_id_ != 0 && (*tlp == Tlp::kAmber || *tlp == Tlp::kRed) &&
      std::find(recipients.begin(), recipients.end(), share_with_org_id_) == recipients.end()) {
    recipients.push_back(share_with_org_id_);
  }
  ASSIGN_OR_RETURN(int64_t id, batch.UpsertEvent(record, *tlp, owner_org_id_, recipients));
  facts_[id] = {record.uuid, record.title, record.source, record.created, record.modified, *tlp, recipients};
  companions_.emplace(std::pair{event_id, *tlp}, id);
  ++report.events;
  report.touched_events.push_back({record.uuid, !existing});
  return id;
}

}  // namespace accord::exchange_internal
