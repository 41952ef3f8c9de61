// The one access-control decision: may this principal read this item?
//
// Every read path (CLI export, REST, TAXII, alerts, web UI) calls MayRead and
// nothing else decides visibility. TLP 2.0 as the spec states it:
//   CLEAR        everyone with access to the node
//   GREEN        every member organisation of the node
//   AMBER        the owner organisation and the organisations it names
//   AMBER+STRICT the owner organisation only
//   RED          the named recipients only (the owner, who wrote it, included)
// A contributor sees its own organisation's data by these rules but other
// organisations' data only up to GREEN. There is no role that bypasses TLP.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/tlp.h"

namespace accord {

enum class Role : uint8_t { kAdmin, kAnalyst, kContributor, kReader, kPoc };
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct Principal {
  int64_t org_id = 0;
  Role role = Role::kReader;
};

struct Visibility {
  Tlp tlp = Tlp::kAmber;
  int64_t owner_org_id = 0;
  std::span<const int64_t> recipient_org_ids;  // named for AMBER and RED
};

bool MayRead(const Principal& who, const Visibility& what);

// A 24/7 request between two organisations. Its parties read it as the named
// recipients of TLP:RED data; node admins also read it (they answer for the
// node's record of requests) but only the parties act on it. A draft is the
// requesting organisation's own work until it is sent: nobody else reads it,
// the requested organisation and other organisations' admins included.
struct RequestParties {
  int64_t requesting_org_id = 0;
  int64_t requested_org_id = 0;
  bool draft = false;
};
bool MayReadRequest(const Principal& who, const RequestParties& parties);
// Acting (sending, acknowledging, executing, ...) needs a party's
// organisation and a role that speaks for it: admin, analyst or poc.
bool MayActOnRequest(const Principal& who, const RequestParties& parties);

}  // namespace accord
