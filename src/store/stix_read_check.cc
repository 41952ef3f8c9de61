#include "store/stix_read_check.h"

namespace accord {

Result<bool> StixReadCheck::MayReadObject(const StoredStixObject& object) {
  Visibility visibility{object.tlp, object.owner_org_id, {}};
  // Recipients count only for AMBER and RED (core/policy.h).
  if (object.event_id != 0 && (object.tlp == Tlp::kAmber || object.tlp == Tlp::kRed)) {
    auto cached = recipients_by_event_.find(object.event_id);
    if (cached == recipients_by_event_.end()) {
      ASSIGN_OR_RETURN(std::vector<int64_t> recipients, store_.ListEventRecipients(object.event_id));
      cached = recipients_by_event_.emplace(object.event_id, std::move(recipients)).first;
    }
    visibility.recipient_org_ids = cached->second;
  }
  return MayRead(principal_, visibility);
}

}  // namespace accord
