// Values marked more strictly than the event that carries them: a TLP:RED
// indicator named by a TLP:GREEN report, a MISP attribute tagged tlp:red in
// a tlp:green event, a CSV row at red among green rows, a TLP:RED file
// imported into a GREEN event of one's own. Each goes into a companion
// event at its own level ("<title> (TLP:RED values)", same owner, uuid
// derived from the event's and the level, so the same on every import):
// readers of the event's level never read it (core/policy.h). Internal to
// exchange/ (the importer keeps one per import).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/tlp.h"
#include "exchange/exchange.h"
#include "store/store.h"

namespace accord::exchange_internal {

// What the importer knows of an event it wrote to.
struct EventFacts {
  std::string uuid, title, source, created, modified;
  Tlp tlp = Tlp::kAmber;
  std::vector<int64_t> recipients;
};

class ValueLevels {
 public:
  // Companions belong to `owner_org_id`; at AMBER or RED they also name
  // `share_with_org_id` (a peer's stand-in shares with it; 0 = none).
  ValueLevels(Store& store, int64_t owner_org_id, int64_t share_with_org_id)
      : store_(store), owner_org_id_(owner_org_id), share_with_org_id_(share_with_org_id) {}

  void Note(int64_t event_id, EventFacts facts) { facts_[event_id] = std::move(facts); }
  // An event Note was given (the caller's invariant).
  const EventFacts& Facts(int64_t event_id) const { return facts_.at(event_id); }

  // The event a value marked `tlp` goes into when its event is `event_id`:
  // that event when the value fits within it (or is unmarked, or the event
  // is unknown), else its companion at the value's level, written in
  // `batch` the first time (`report` counts it as touched).
  // kPermissionDenied when another organisation holds the companion's uuid.
  Result<int64_t> EventFor(int64_t event_id, std::optional<Tlp> tlp, ImportBatch& batch,
                           ImportReport& report);
  // `event_id` and the companions it has (made by this import or stored).
  Result<std::vector<int64_t>> EventAndCompanions(int64_t event_id);
  // The companions at a level other than `level` whose values a value at
  // `level` may take the place of (their level fits within it): made by
  // this import.
  std::vector<int64_t> CompanionsWithin(int64_t event_id, Tlp level) const {
    std::vector<int64_t> within;
    for (const auto& [key, companion] : companions_) {
      if (key.first == event_id && key.second != level && FitsWithin(key.second, level)) within.push_back(companion);
    }
    return within;
  }

 private:
  Store& store_;
  int64_t owner_org_id_;
  int64_t share_with_org_id_;
  static std::string CompanionUuid(const std::string& event_uuid, Tlp tlp);

  std::unordered_map<int64_t, EventFacts> facts_;
  std::map<std::pair<int64_t, Tlp>, int64_t> companions_;  // (event, level) -> companion event
};

}  // namespace accord::exchange_internal
