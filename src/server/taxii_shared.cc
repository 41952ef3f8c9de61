// The identities and TLP marking definitions a collection serves beside its
// stored objects, so that the created_by_ref and object_marking_refs of what
// a principal reads in one collection resolve in that collection
// (docs/TAXII.md, "Identities and marking definitions").
//
// They are not stored as objects: an identity is built from its
// organisation's row, as `accord export` builds it, and a marking definition
// is OASIS's (core/tlp.h), so neither can drift from what the objects name.
// Each is placed in a principal's view of a collection just before the first
// stored object it may read there that names it (identity: a derived object
// of the organisation's events; objects that came as STIX name their own) or
// at all (marking), and dated just before it (the marking 2 µs, an identity
// 1 µs): a client polling with added_after gets it with that object, once,
// and one paging by added_after with a page that ends on it still gets the
// object next (dated like it, the object would be skipped: added_after is
// exclusive). Who may read an object of a group may read the
// whole group (core/policy.h), so "the first object it may read" is the
// first object of the first group it may read, which stix_anchors
// (migration 15) answers with a probe per owner instead of a scan.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/time.h"
#include "server/taxii_internal.h"
#include "stix/stix.h"

namespace accord::server::taxii {
namespace {

constexpr int64_t kMarkingRank = 0;
int64_t IdentityRank(int64_t org_id) { return 1 + org_id; }

// An item's date_added: its anchor's, less 2 µs for the marking and 1 µs for
// an identity, so the items before one object keep their order by date too.
std::optional<TimePoint> ItemDateAdded(const StixAnchor& anchor, int64_t rank) {
  Result<TimePoint> added = ParseTimestamp(anchor.date_added);
  if (!added.ok()) return std::nullopt;
  return *added - std::chrono::microseconds(rank == kMarkingRank ? 2 : 1);
}

bool Contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// match[type], match[id] and match[spec_version] for an item.
bool TypeIdSpecPass(const StixObjectFilter& filter, std::string_view type, std::string_view id) {
  return (filter.types.empty() || Contains(filter.types, type)) &&
         (filter.ids.empty() || Contains(filter.ids, id)) &&
         (filter.spec_versions.empty() || Contains(filter.spec_versions, "2.1"));
}

// match[version]: an item has one version, so first and last are it.
bool VersionPasses(const StixVersionSelection& versions, const std::string& version) {
  if (versions.Everything() || versions.first || versions.last) return true;
  Result<TimePoint> mine = ParseTimestamp(version);
  if (!mine.ok()) return false;
  for (const std::string& exact : versions.exact) {
    Result<TimePoint> wanted = ParseTimestamp(exact);
    if (wanted.ok() && *wanted == *mine) return true;
  }
  return false;
}

// Ends a store walk early; never leaves this file.
Status StopWalk() { return Status::FailedPrecondition("taxii shared: walk stopped"); }
bool IsStop(const Status& status) {
  return status.code() == Status::Code::kFailedPrecondition &&
         status.message() == "taxii shared: walk stopped";
}

class SharedReader {
 public:
  SharedReader(RequestContext& ctx, StixReadCheck& check, Tlp tlp)
      : store_(*ctx.store), check_(check), tlp_(tlp) {}

  // MayRead for the objects of an anchor's group.
  Result<bool> MayReadGroup(const StixAnchor& anchor) {
    StoredStixObject group;
    group.tlp = anchor.tlp;
    group.owner_org_id = anchor.owner_org_id;
    group.event_id = anchor.event_id;
    return check_.MayReadObject(group);
  }

  // The first group of `owner` (any owner when nullopt) the principal may
  // read, among the node's groups (`upgrade` false) or their copies placed
  // at the upgrade (true). With an owner, only groups of objects Accord
  // derived count: they name its identity; objects that came as STIX name
  // their own.
  Result<std::optional<StixAnchor>> FirstReadable(bool upgrade, std::optional<int64_t> owner) {
    StixAnchorFilter filter;
    filter.tlp = tlp_;
    filter.upgrade = upgrade;
    filter.owner_org_id = owner;
    filter.derived_only = owner.has_value();
    filter.readable_by = check_.principal();
    std::optional<StixAnchor> first;
    Status walked = store_.ForEachStixAnchor(filter, [&](const StixAnchor& anchor) -> Status {
      ASSIGN_OR_RETURN(bool readable, MayReadGroup(anchor));
      if (!readable) return Status::Ok();
      first = anchor;
      return StopWalk();
    });
    if (!walked.ok() && !IsStop(walked)) return walked;
    return first;
  }

  // Owners of the derived groups (of either kind) that begin in
  // [from_seq, to_seq] and the principal may read; `any` says whether there
  // was a readable group, derived or not, at all.
  Status ReadableOwnersBetween(int64_t from_seq, int64_t to_seq, std::set<int64_t>& owners,
                               bool& any) {
    for (bool upgrade : {false, true}) {
      StixAnchorFilter filter;
      filter.tlp = tlp_;
      filter.upgrade = upgrade;
      filter.from_seq = from_seq;
      filter.to_seq = to_seq == INT64_MAX ? 0 : to_seq;
      filter.readable_by = check_.principal();
      RETURN_IF_ERROR(store_.ForEachStixAnchor(filter, [&](const StixAnchor& anchor) -> Status {
        ASSIGN_OR_RETURN(bool readable, MayReadGroup(anchor));
        if (!readable) return Status::Ok();
        any = true;
        if (anchor.owner_org_id != 0 && anchor.derived) owners.insert(anchor.owner_org_id);
        return Status::Ok();
      }));
    }
    return Status::Ok();
  }

  Store& store() { return store_; }
  Tlp tlp() const { return tlp_; }

 private:
  Store& store_;
  StixReadCheck& check_;
  Tlp tlp_;
};

// An item as the page code handles stored objects.
StoredStixObject ItemObject(const StixAnchor& anchor, int64_t rank, std::string type,
                            std::string id, std::string json) {
  StoredStixObject object;
  object.seq = anchor.seq;
  object.type = std::move(type);
  object.id = std::move(id);
  object.spec_version = "2.1";
  // Both are built with created = modified (or no modified at all).
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_object()) {
    object.created = parsed.value("created", "");
    object.modified = parsed.value("modified", object.created);
  }
  const std::optional<TimePoint> added = ItemDateAdded(anchor, rank);
  object.date_added = added ? FormatMicros(*added) : anchor.date_added;
  object.tlp = anchor.tlp;
  object.owner_org_id = anchor.owner_org_id;
  object.event_id = anchor.event_id;
  object.derived = true;
  object.json = std::move(json);
  return object;
}

}  // namespace

Result<std::vector<SharedItem>> ReadSharedItems(RequestContext& ctx, StixReadCheck& check, Tlp tlp,
                                                const StixObjectFilter& filter,
                                                const Cursor& cursor, int64_t end_seq) {
  std::vector<SharedItem> items;
  const std::string marking_id(TlpStixMarkingId(tlp));
  const bool marking_wanted = TypeIdSpecPass(filter, "marking-definition", marking_id);
  const bool identities_wanted =
      (filter.types.empty() || Contains(filter.types, "identity")) &&
      (filter.spec_versions.empty() || Contains(filter.spec_versions, "2.1"));
  if (!marking_wanted && !identities_wanted) return items;  // e.g. match[type]=indicator

  std::optional<TimePoint> added_after;
  if (!filter.added_after.empty()) {
    ASSIGN_OR_RETURN(added_after, ParseTimestamp(filter.added_after));
  }
  SharedReader reader(ctx, check, tlp);

  // Which organisations' identities can be on this page, and the marking.
  std::set<int64_t> owners;
  bool marking_candidate = marking_wanted;
  std::map<int64_t, Organisation> orgs;
  if (!filter.ids.empty()) {
    // Asked by id (an object GET, match[id]): the organisations whose
    // identity ids were asked.
    const bool identity_asked = std::any_of(filter.ids.begin(), filter.ids.end(), [](const std::string& id) {
      return id.starts_with("identity--");
    });
    if (identities_wanted && identity_asked) {
      ASSIGN_OR_RETURN(std::vector<Organisation> all, ctx.store->ListOrganisations());
      for (Organisation& org : all) {
        if (Contains(filter.ids, StixIdentityId(org.uuid))) {
          owners.insert(org.id);
          orgs.emplace(org.id, std::move(org));
        }
      }
    }
  } else {
    // An item on this page sits before an object of a group that begins on
    // it: the groups beginning there say which owners to look at.
    bool any = false;
    RETURN_IF_ERROR(reader.ReadableOwnersBetween(cursor.seq, end_seq, owners, any));
    marking_candidate = marking_candidate && any;
    if (!identities_wanted) owners.clear();
  }

  auto in_range = [&](const StixAnchor& anchor, int64_t rank) {
    if (!cursor.Before(anchor.seq, rank) || anchor.seq > end_seq) return false;
    if (added_after) {
      const std::optional<TimePoint> added = ItemDateAdded(anchor, rank);
      if (!added || *added <= *added_after) return false;
    }
    return true;
  };
  auto add = [&](const StixAnchor& anchor, int64_t rank, StoredStixObject object) {
    if (!VersionPasses(filter.versions, VersionOf(object))) return;
    items.push_back({anchor.seq, rank, std::move(object)});
  };

  for (bool upgrade : {false, true}) {
    if (marking_candidate) {
      ASSIGN_OR_RETURN(std::optional<StixAnchor> first, reader.FirstReadable(upgrade, std::nullopt));
      if (first && in_range(*first, kMarkingRank)) {
        add(*first, kMarkingRank,
            ItemObject(*first, kMarkingRank, "marking-definition", marking_id,
                       std::string(TlpStixMarkingObject(tlp))));
      }
    }
    for (int64_t owner : owners) {
      ASSIGN_OR_RETURN(std::optional<StixAnchor> first, reader.FirstReadable(upgrade, owner));
      if (!first || !in_range(*first, IdentityRank(owner))) continue;
      auto org = orgs.find(owner);
      if (org == orgs.end()) {
        ASSIGN_OR_RETURN(std::optional<Organisation> found, ctx.store->FindOrganisationById(owner));
        if (!found) continue;  // objects of an organisation no longer there: no identity to give
        org = orgs.emplace(owner, std::move(*found)).first;
      }
      const Organisation& o = org->second;
      add(*first, IdentityRank(owner),
          ItemObject(*first, IdentityRank(owner), "identity", StixIdentityId(o.uuid),
                     BuildStixIdentity({o.uuid, o.name, o.kind, o.country, o.created})));
    }
  }
  std::sort(items.begin(), items.end(), [](const SharedItem& a, const SharedItem& b) {
    return a.seq != b.seq ? a.seq < b.seq : a.rank < b.rank;
  });
  // A node upgraded with its objects serves an identity again at the
  // upgrade; one page never carries it twice.
  std::set<std::string> seen;
  std::erase_if(items, [&](const SharedItem& item) { return !seen.insert(item.object.id).second; });
  return items;
}

}  // namespace accord::server::taxii
