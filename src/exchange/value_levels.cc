// Companion events for values marked more strictly than their event.
#include "exchange/value_levels.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/crypto.h"

namespace accord::exchange_internal {

std::string ValueLevels::CompanionUuid(const std::string& event_uuid, Tlp tlp) {
  return StableUuidV4(kAccordUuidNamespace, event_uuid + ":values-at:" + std::string(TlpName(tlp)));
}

Result<std::vector<int64_t>> ValueLevels::EventAndCompanions(int64_t event_id) {
  std::vector<int64_t> events = {event_id};
  auto facts = facts_.find(event_id);
  if (facts == facts_.end()) return events;
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    if (FitsWithin(tlp, facts->second.tlp)) continue;  // never a companion
    if (auto made = companions_.find({event_id, tlp}); made != companions_.end()) {
      events.push_back(made->second);
      continue;
    }
    ASSIGN_OR_RETURN(auto stored, store_.GetEvent(CompanionUuid(facts->second.uuid, tlp)));
    if (stored && stored->owner_org_id == owner_org_id_) events.push_back(stored->id);
  }
  return events;
}

Result<int64_t> ValueLevels::EventFor(int64_t event_id, std::optional<Tlp> tlp, ImportBatch& batch,
                                      ImportReport& report) {
  auto facts = facts_.find(event_id);
  if (!tlp || facts == facts_.end() || FitsWithin(*tlp, facts->second.tlp)) return event_id;
  auto companion = companions_.find({event_id, *tlp});
  if (companion != companions_.end()) return companion->second;
  const EventFacts& parent = facts->second;
  EventRecord record;
  record.uuid = CompanionUuid(parent.uuid, *tlp);
  record.title = fmt::format("{} ({} values)", parent.title, TlpLabel(*tlp));
  record.description = fmt::format(
      "Values of event {} that their source marked {}, more restricted than the event ({}): "
      "kept apart so that only readers at their own level read them.",
      parent.uuid, TlpLabel(*tlp), TlpLabel(parent.tlp));
  record.source = parent.source;
  ASSIGN_OR_RETURN(auto existing, store_.GetEvent(record.uuid));
  // A new companion is created now (empty: the batch's time), so that a
  // sync by modification time finds it even when its parent was stored
  // long before (values added to an existing event); a held one keeps its
  // creation and moves on with its parent.
  if (existing) {
    record.created = existing->created;
    record.modified = std::max(existing->modified, parent.modified);
  }
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
