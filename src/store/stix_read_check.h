// StixReadCheck: the TLP decision for stored STIX objects, shared by every
// path that hands them to someone (TAXII pages, federation push).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/policy.h"
#include "store/store.h"

namespace accord {

// MayRead for stored STIX objects, one principal at a time: an object's
// visibility is its TLP, its owner and, for AMBER and RED, the recipients
// named on the event it came with, fetched once per event. Every path that
// hands STIX objects to someone (TAXII pages, federation push) asks this.
class StixReadCheck {
 public:
  StixReadCheck(Store& store, Principal principal) : store_(store), principal_(principal) {}
  Result<bool> MayReadObject(const StoredStixObject& object);
  const Principal& principal() const { return principal_; }

 private:
  Store& store_;
  Principal principal_;
  std::map<int64_t, std::vector<int64_t>> recipients_by_event_;
};

}  // namespace accord
