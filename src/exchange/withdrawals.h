// What a producer takes back during one import: the values linked under a
// STIX indicator revoked, or under an earlier version whose pattern a new
// version changed (STIX 2.1 3.6: the newest version is the object), and
// those of MISP attributes marked deleted. They stop being live (valid_until
// set, the links and their history kept). Internal to exchange/.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/model.h"
#include "core/observable.h"
#include "core/status.h"
#include "store/store.h"

namespace accord::exchange_internal {

// STIX compares versions as times: "2026-01-01T00:00:00Z" and
// "2026-01-01T00:00:00.000Z" are one version. False if either is no time.
bool IsLaterVersion(const std::string& candidate, const std::string& than);

class Withdrawals {
 public:
  // `owner_org_id`: the importing organisation. Only the organisation that
  // shared an object takes it back (TAXII's rule for versions).
  Withdrawals(Store& store, int64_t owner_org_id) : store_(store), owner_org_id_(owner_org_id) {}

  // A STIX indicator just stored (its values follow, BundleReader emits the
  // object first). `added`: this version was not stored before;
  // `others_stored`: then, whether other versions of it are. Returns the
  // links a revocation ended.
  Result<int64_t> OnIndicatorObject(ImportBatch& batch, const StixObjectRecord& object, bool added,
                                    bool others_stored);
  // A value an indicator's version names (normalized), once linked, at
  // `level` (the indicator's marking, or its event's when stricter; nullopt:
  // unmarked). `may_outlive_deletion`: a MISP value whose link existed
  // already (a deleted attribute may have made it), remembered if named
  // for detection.
  void OnValue(const IndicatorRecord& indicator, std::optional<Tlp> level, const Observable& value,
               bool may_outlive_deletion);
  // A revoked indicator's values stay withdrawn, whatever version names them.
  bool IsRevoked(const std::string& stix_id) const { return revoked_ids_.contains(stix_id); }
  // The version whose values arrive now is older than one stored (or a
  // revocation) or than one this import read before it: its values are not
  // linked (again), so what the later version ended stays ended. Values
  // follow their indicator object, so this holds until the next one.
  bool IsSuperseded(const std::string& stix_id) const { return !superseded_.empty() && stix_id == superseded_; }
  // A deleted MISP attribute; `parts_without_id`: its composite's other
  // parts (normalized), linked without an id in one of `events` (its event
  // and that event's companions).
  void OnDeleted(Withdrawal withdrawal, std::vector<int64_t> events, std::vector<Observable> parts_without_id) {
    deleted_.push_back({std::move(withdrawal), std::move(events), std::move(parts_without_id)});
  }

  // Once the whole input is read: ends the values only earlier versions
  // named and those of deleted attributes. `now` dates deletions that give
  // no time. Returns the links ended.
  Result<int64_t> Finish(ImportBatch& batch, const std::string& now);

 private:
  struct Newest {
    std::string modified;  // as the object gave it
    std::vector<NamedValue> values;
  };
  Result<int64_t> Revoke(ImportBatch& batch, const StixObjectRecord& object);
  struct StoredVersions {
    bool revoked = false;  // one of the importing organisation's is
    bool later = false;    // one of its is, than the object read
    bool earlier = false;  // one of anybody's is
  };
  Result<StoredVersions> ReadStoredVersions(const StixObjectRecord& object);
  Result<int64_t> EndDroppedValues(ImportBatch& batch, const std::string& id, Newest& newest);

  Store& store_;
  const int64_t owner_org_id_;
  std::unordered_set<std::string> revoked_ids_;
  std::string superseded_;  // id of the version read last, when superseded
  // The newest `modified` this import read of each indicator that came in a
  // version other than its first (modified != created): only those can
  // make a version read after them superseded, and they are few.
  std::unordered_map<std::string, std::string> read_later_versions_;
  // New versions of stored indicators: the newest read of each, with its values.
  std::unordered_map<std::string, Newest> newest_;
  std::string collecting_;  // id whose values arrive now; empty: none
  struct Deleted {
    Withdrawal withdrawal;
    std::vector<int64_t> events;
    std::vector<Observable> parts_without_id;
  };
  std::vector<Deleted> deleted_;
  std::vector<NamedValue> named_live_;  // MISP values named for detection, links that existed
};

}  // namespace accord::exchange_internal
