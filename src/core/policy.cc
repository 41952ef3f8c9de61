#include "core/policy.h"

#include <algorithm>
#include <array>

namespace accord {
namespace {

constexpr std::array<std::string_view, 5> kRoleNames = {"admin", "analyst", "contributor",
                                                        "reader", "poc"};

bool IsRecipient(const Principal& who, const Visibility& what) {
  return std::find(what.recipient_org_ids.begin(), what.recipient_org_ids.end(), who.org_id) !=
         what.recipient_org_ids.end();
}

}  // namespace

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

bool MayRead(const Principal& who, const Visibility& what) {
  const bool own = who.org_id != 0 && who.org_id == what.owner_org_id;
  // A contributor submits; it reads other organisations' data only when that
  // data is meant for everyone.
  if (who.role == Role::kContributor && !own) return what.tlp <= Tlp::kGreen;
  switch (what.tlp) {
    case Tlp::kClear:
    case Tlp::kGreen:
      return who.org_id != 0;
    case Tlp::kAmber:
      return own || IsRecipient(who, what);
    case Tlp::kAmberStrict:
      return own;
    case Tlp::kRed:
      return own || IsRecipient(who, what);
  }
  return false;
}

bool MayReadRequest(const Principal& who, const RequestParties& parties) {
  if (parties.draft) {
    const int64_t own[] = {parties.requesting_org_id};
    return MayRead(who, Visibility{Tlp::kRed, parties.requesting_org_id, own});
  }
  // A node admin: requests::AsRequestReader has already made any other
  // organisation's admin an analyst here.
  if (who.role == Role::kAdmin && who.org_id != 0) return true;
  const int64_t recipients[] = {parties.requesting_org_id, parties.requested_org_id};
  return MayRead(who, Visibility{Tlp::kRed, parties.requesting_org_id, recipients});
}

bool MayActOnRequest(const Principal& who, const RequestParties& parties) {
  const bool party =
      who.org_id != 0 &&
      (who.org_id == parties.requesting_org_id || who.org_id == parties.requested_org_id);
  const bool speaks_for_org =
      who.role == Role::kAdmin || who.role == Role::kAnalyst || who.role == Role::kPoc;
  return party && speaks_for_org && MayReadRequest(who, parties);
}

}  // namespace accord
