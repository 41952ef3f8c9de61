// SightingReadCheck: who may read a sighting of an observable. Sightings
// carry no TLP column; what made them does: an alert (the organisation's
// telemetry hit a shared value), a STIX sighting object with its marking,
// a MISP sighting inside an event. Shared by every path that shows them
// (REST lookup, `accord search`).
#pragma once

#include <cstdint>
#include <vector>

#include "core/policy.h"
#include "store/stix_read_check.h"
#include "store/store.h"

namespace accord {

// MayRead for sightings, one principal at a time:
// - its own organisation's members read it;
// - one an alert recorded ("alert:<uuid>"): those who may read that alert;
// - one a STIX sighting object gave ("sighting--..."): those who may read a
//   stored version of that object;
// - one a MISP event gave ("misp-sighting:..."): those who may read an event
//   of the sighting's organisation carrying the value (`readable_owners`:
//   the owners of the events carrying it that the principal may read);
// - one posted to the API (no origin): everyone who may see the value, as
//   the organisation that posted it shares it.
class SightingReadCheck {
 public:
  SightingReadCheck(Store& store, Principal principal)
      : store_(store), principal_(principal), stix_(store, principal) {}
  Result<bool> MayReadSighting(const Sighting& sighting, const std::vector<int64_t>& readable_owners);

 private:
  Store& store_;
  Principal principal_;
  StixReadCheck stix_;
};

}  // namespace accord
