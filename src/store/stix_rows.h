// The rows and filters of the store's STIX object reads (Store::
// ForEachStixObject, ForEachStixAnchor): what TAXII pages, federation push
// and export read, and how they narrow it. store.h includes this header;
// visibility is still decided by the caller (StixReadCheck, MayRead).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/policy.h"
#include "core/tlp.h"

namespace accord {

struct StoredStixObject {
  int64_t seq = 0;               // insertion order (TAXII date_added order)
  std::string id;
  std::string type;
  std::string spec_version;
  std::string created;
  std::string modified;
  std::string date_added;        // RFC 3339, when this node stored it
  Tlp tlp = Tlp::kAmber;
  int64_t owner_org_id = 0;
  int64_t event_id = 0;          // 0 if none
  bool derived = false;          // built here for a non-STIX event (StixObjectRecord::derived)
  std::string source;            // StixObjectRecord::source: set only outside any event
  std::string json;
};

// Which versions of each object a read returns (TAXII match[version]): the
// union of what is selected; nothing selected means every version. "First"
// and "last" compare the version key (modified, else created) among the
// versions of the same id stored at the same TLP level, since a TAXII
// collection is one TLP level.
struct StixVersionSelection {
  bool first = false;
  bool last = false;
  std::vector<std::string> exact;  // version timestamps; any RFC 3339 spelling
  bool Everything() const { return !first && !last && exact.empty(); }
};

struct StixObjectFilter {
  int64_t after_seq = 0;
  std::string added_after;       // RFC 3339, exclusive
  std::vector<std::string> ids;
  std::vector<std::string> types;
  int64_t limit = 0;
  bool include_derived = true;   // false: only objects that came as STIX
  int64_t event_id = 0;          // 0 = any; else only the objects of this event
  // --- TAXII ---
  std::vector<Tlp> tlps;                   // empty = every level
  std::vector<std::string> spec_versions;  // empty = any ("2.1", "2.0")
  StixVersionSelection versions;
  // Visibility prefilter: when set, only rows this principal may read by the
  // TLP 2.0 rules of core/policy.h (owner, event recipients, contributor
  // limit) come back, so a page of N visible objects is one indexed query.
  // It narrows, it does not decide: callers still check every row with
  // MayRead.
  std::optional<Principal> readable_by;
};

// Where one group of stored STIX objects begins: the objects of one TLP
// level, owner and event, which every principal may either read all of or
// none of (core/policy.h). TAXII serves the identity of an organisation and
// the level's TLP marking definition in a principal's view of a collection
// just before the first object of the first group it may read
// (server/taxii_shared.cc). `upgrade` marks the copy of a group a node
// already held when it gained these rows, placed after everything it held
// then (migration 15).
struct StixAnchor {
  Tlp tlp = Tlp::kAmber;
  bool upgrade = false;
  int64_t owner_org_id = 0;  // 0 if none
  int64_t event_id = 0;      // 0 if none
  int64_t seq = 0;           // the group's first object (or, upgrade, its place)
  std::string date_added;    // that object's
  bool derived = false;      // built here for an event (they name its owner's identity)
};

struct StixAnchorFilter {
  Tlp tlp = Tlp::kAmber;
  bool upgrade = false;
  std::optional<int64_t> owner_org_id;  // only this owner's groups
  int64_t from_seq = 0;                 // seq >= from_seq
  int64_t to_seq = 0;                   // seq <= to_seq; 0: no bound
  int64_t limit = 0;                    // 0: no limit
  bool derived_only = false;            // only groups of derived objects
  // The visibility prefilter of StixObjectFilter: narrows, does not decide.
  std::optional<Principal> readable_by;
};

}  // namespace accord
