// Keeps an import from taking over another organisation's event.
//
// The importer upserts events by uuid and the store keeps the owner of an
// existing event while replacing its title, TLP, tags and recipients, so a
// body naming the uuid of someone else's event (a MISP Event.uuid, a STIX
// report id, or a bundle id that derives a group event) would rewrite that
// event. Before importing, every event uuid the body can claim is checked;
// one owned by another organisation refuses the whole import.
#pragma once

#include <string>
#include <vector>

#include "exchange/exchange.h"
#include "server/rest_common.h"

namespace accord::server::rest {

// Every event uuid a body of this format may create or update: for MISP any
// UUID in the body (event uuids are among them), for STIX the uuids of
// report ids and the group events derived from bundle ids and from
// `source_name`. Extra candidates only cost a lookup each.
std::vector<std::string> ClaimableEventUuids(InputFormat format, std::string_view body,
                                             const std::string& source_name);

// kPermissionDenied naming the first claimed event that exists and belongs
// to an organisation other than `org_id`.
Status CheckEventOwnership(Store& store, const std::vector<std::string>& uuids, int64_t org_id);

}  // namespace accord::server::rest
