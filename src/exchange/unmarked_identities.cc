// UnmarkedIdentities: see unmarked_identities.h for the rule and why.
#include "exchange/unmarked_identities.h"

#include <algorithm>
#include <utility>

namespace accord::exchange_internal {

void UnmarkedIdentities::NoteCreator(const std::string& creator, Tlp level) {
  auto [it, inserted] = named_at_.try_emplace(creator, level);
  if (!inserted && level < it->second) it->second = level;
}

void UnmarkedIdentities::Hold(StixObjectRecord identity, int64_t event_id) {
  held_.push_back({std::move(identity), event_id});
}

Tlp UnmarkedIdentities::LevelOf(const std::string& identity_id) const {
  auto named = named_at_.find(identity_id);
  return named == named_at_.end() ? default_tlp_ : std::min(default_tlp_, named->second);
}

std::vector<UnmarkedIdentities::Released> UnmarkedIdentities::Release() {
  // Versions of one identity share its level: objects name an id, not a version.
  std::unordered_map<std::string, std::vector<size_t>> held_by_id;
  for (size_t held_idx = 0; held_idx < held_.size(); ++held_idx) {
    held_by_id[held_[held_idx].identity.id].push_back(held_idx);
  }
  // A held identity naming another held one lowers that one's level to its
  // own, which may lower what that one names in turn. A level only falls,
  // so each identity is queued again at most once per level.
  std::vector<size_t> work(held_.size());
  for (size_t held_idx = 0; held_idx < held_.size(); ++held_idx) work[held_idx] = held_idx;
  while (!work.empty()) {
    const StixObjectRecord& identity = held_[work.back()].identity;
    work.pop_back();
    const std::string& creator = identity.created_by_ref;
    if (creator.empty() || creator == identity.id) continue;  // made by itself: no news
    auto creator_versions = held_by_id.find(creator);
    if (creator_versions == held_by_id.end()) continue;  // not held: was noted when stored
    const Tlp level = LevelOf(identity.id);
    auto [named, inserted] = named_at_.try_emplace(creator, level);
    if (!inserted) {
      if (level >= named->second) continue;
      named->second = level;
    }
    work.insert(work.end(), creator_versions->second.begin(), creator_versions->second.end());
  }
  std::vector<Released> released;
  released.reserve(held_.size());
  for (Held& held : held_) {
    const Tlp level = LevelOf(held.identity.id);
    released.push_back({std::move(held.identity), held.event_id, level});
  }
  held_.clear();
  return released;
}

}  // namespace accord::exchange_internal
