#include "store/sighting_read_check.h"

#include <algorithm>
#include <string>

namespace accord {

Result<bool> SightingReadCheck::MayReadSighting(const Sighting& sighting,
                                                const std::vector<int64_t>& readable_owners) {
  if (sighting.org_id != 0 && sighting.org_id == principal_.org_id) return true;
  const std::string& origin = sighting.origin_id;
  if (origin.starts_with("alert:")) {
    ASSIGN_OR_RETURN(std::optional<AlertRow> alert, store_.FindAlert(origin.substr(6)));
    if (!alert) return false;
    const std::vector<int64_t> recipients = AlertRecipients(alert->routed_org_id, alert->routed_reads);
    return MayRead(principal_, {alert->tlp, alert->owner_org_id, recipients});
  }
  if (origin.starts_with("sighting--")) {
    StixObjectFilter filter;
    filter.ids = {origin};
    filter.readable_by = principal_;
    bool visible = false;
    RETURN_IF_ERROR(store_.ForEachStixObject(filter, [&](const StoredStixObject& object) {
      ASSIGN_OR_RETURN(const bool readable, stix_.MayReadObject(object));
      visible = visible || readable;
      return Status::Ok();
    }));
    return visible;
  }
  if (origin.starts_with("misp-sighting:")) {
    return std::find(readable_owners.begin(), readable_owners.end(), sighting.org_id) != readable_owners.end();
  }
  return true;
}

}  // namespace accord
