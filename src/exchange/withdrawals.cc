#include "exchange/withdrawals.h"

#include <algorithm>
#include <utility>

#include "core/time.h"

namespace accord::exchange_internal {

bool IsLaterVersion(const std::string& candidate, const std::string& than) {
  auto a = ParseTimestamp(candidate);
  auto b = ParseTimestamp(than);
  return a.ok() && b.ok() && *a > *b;
}

Result<int64_t> Withdrawals::OnIndicatorObject(ImportBatch& batch, const StixObjectRecord& object, bool added,
                                               bool others_stored) {
  collecting_.clear();
  superseded_.clear();
  if (object.revoked) return Revoke(batch, object);
  // A file holding a later version before an earlier one: the earlier one,
  // read second, changes nothing, as if the two came in order.
  if (auto read = read_later_versions_.find(object.id);
      read != read_later_versions_.end() && IsLaterVersion(read->second, object.modified)) {
    superseded_ = object.id;
    return 0;
  }
  if (object.modified != object.created && IsLaterVersion(object.modified, object.created)) {
    read_later_versions_[object.id] = object.modified;  // the check above made it the newest read
  }
  // A version new to the node reads the others only if its store found
  // some (`others_stored`); one read again reads them. A revocation or a later version of the
  // importing organisation's keeps what it ended ended: an old file sent
  // again, a version between two stored ones, a version read again. The
  // newest version read again makes its decision again (an import that
  // failed after storing it made none).
  if (added && !others_stored) return 0;
  ASSIGN_OR_RETURN(const StoredVersions stored, ReadStoredVersions(object));
  if (stored.revoked) revoked_ids_.insert(object.id);
  if (stored.revoked || stored.later) {
    superseded_ = object.id;
    return 0;
  }
  if (!stored.earlier) return 0;
  auto [it, inserted] = newest_.try_emplace(object.id);
  if (!inserted && !IsLaterVersion(object.modified, it->second.modified)) return 0;
  it->second = {object.modified, {}};
  collecting_ = object.id;
  return 0;
}

void Withdrawals::OnValue(const IndicatorRecord& indicator, std::optional<Tlp> level, const Observable& value,
                          bool may_outlive_deletion) {
  const std::string& stix_id = indicator.context.stix_id;
  if (!stix_id.empty() && stix_id == collecting_) newest_[stix_id].values.push_back({value, level});
  if (may_outlive_deletion && indicator.context.is_indicator) named_live_.push_back({value, level});
}

// STIX 2.1 3.6: a revoked object is withdrawn by its producer. The values
// its earlier versions gave stop being live when it was revoked (its
// modified time). Another organisation's revocation is stored as it came
// and changes nothing.
Result<int64_t> Withdrawals::Revoke(ImportBatch& batch, const StixObjectRecord& object) {
  revoked_ids_.insert(object.id);
  StixObjectFilter versions;
  versions.ids = {object.id};
  bool shared_by_another = false;
  RETURN_IF_ERROR(store_.ForEachStixObject(versions, [&](const StoredStixObject& stored) {
    shared_by_another = shared_by_another || stored.owner_org_id != owner_org_id_;
    return Status::Ok();
  }));
  Result<std::string> at = NormalizeTimestamp(object.modified);
  if (shared_by_another || !at.ok()) return 0;
  return batch.WithdrawLinks({object.id, *at, owner_org_id_, {}});
}

Result<Withdrawals::StoredVersions> Withdrawals::ReadStoredVersions(const StixObjectRecord& object) {
  StixObjectFilter versions;
  versions.ids = {object.id};
  StoredVersions found;
  RETURN_IF_ERROR(store_.ForEachStixObject(versions, [&](const StoredStixObject& stored) {
    // Only the organisation that shared an object takes it back: another's
    // revocation or later version leaves this one's values alone (and says
    // nothing to it of what another holds).
    const bool own = stored.owner_org_id == owner_org_id_;
    found.revoked = found.revoked || (own && stored.json.find("\"revoked\":true") != std::string::npos);
    found.later = found.later || (own && IsLaterVersion(stored.modified, object.modified));
    found.earlier = found.earlier || IsLaterVersion(object.modified, stored.modified);
    return Status::Ok();
  }));
  return found;
}

// A new version with another pattern takes back the values only earlier
// versions named: they stop being live at its `modified`. Nothing ends when
// a later version is stored already, when another organisation shared a
// version (as for a revocation), or when the newest version names no value
// that is matched (a YARA rule, a malformed or unsupported pattern say
// nothing about the values).
Result<int64_t> Withdrawals::EndDroppedValues(ImportBatch& batch, const std::string& id, Newest& newest) {
  if (newest.values.empty() || IsRevoked(id)) return 0;
  Result<std::string> at = NormalizeTimestamp(newest.modified);
  if (!at.ok()) return 0;
  StixObjectFilter versions;
  versions.ids = {id};
  bool superseded = false;
  RETURN_IF_ERROR(store_.ForEachStixObject(versions, [&](const StoredStixObject& stored) {
    superseded = superseded || stored.owner_org_id != owner_org_id_ ||
                 IsLaterVersion(stored.modified, newest.modified);
    return Status::Ok();
  }));
  if (superseded) return 0;
  std::sort(newest.values.begin(), newest.values.end());
  return batch.WithdrawLinks({id, *at, owner_org_id_, newest.values});
}

Result<int64_t> Withdrawals::Finish(ImportBatch& batch, const std::string& now) {
  int64_t ended = 0;
  for (auto& [id, newest] : newest_) {
    ASSIGN_OR_RETURN(int64_t count, EndDroppedValues(batch, id, newest));
    ended += count;
  }
  newest_.clear();
  collecting_.clear();
  superseded_.clear();
  read_later_versions_.clear();
  // A MISP attribute marked deleted: what it gave ends at its deletion, in
  // the importing organisation's events only, unless another attribute of
  // the import names the same value for detection (a value moved to a new
  // attribute keeps the link, and the link the first attribute's id).
  std::sort(named_live_.begin(), named_live_.end());
  named_live_.erase(std::unique(named_live_.begin(), named_live_.end()), named_live_.end());
  for (Deleted& deleted : deleted_) {
    const Withdrawal& withdrawal = deleted.withdrawal;
    ASSIGN_OR_RETURN(int64_t count,
                     batch.WithdrawLinks({withdrawal.stix_id, withdrawal.at.empty() ? now : withdrawal.at,
                                          owner_org_id_, named_live_, deleted.events, deleted.parts_without_id}));
    ended += count;
  }
  deleted_.clear();
  named_live_.clear();
  return ended;
}

}  // namespace accord::exchange_internal
