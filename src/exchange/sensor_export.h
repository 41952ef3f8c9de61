// Internal to exchange/: what the sensor exports (Zeek, Suricata) share with
// export.cc. Not part of the module's face; include exchange/exchange.h.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "exchange/exchange.h"

namespace accord::exchange_internal {

// The one visibility test of every export: MayRead, then --max-tlp.
bool ExportMayShow(const ExportOptions& options, Tlp tlp, int64_t owner_org_id,
                   std::span<const int64_t> recipient_org_ids);

// "Now" as stored timestamps are written, from options.clock or the system.
std::string ExportNow(const ExportOptions& options);

// Every live indicator the viewer may read, once per (type, value), with the
// titles of the visible events that carry it live. Ordered by type, then
// value. Networks come without the addresses warning lists hold.
using LiveIndicators = std::map<std::pair<ObservableType, std::string>, std::set<std::string>>;
Result<LiveIndicators> CollectLiveIndicators(Store& store, const ExportOptions& options,
                                             ExportReport& report);

// Cuts the addresses loaded warning lists hold out of the networks in
// `live` (listed_networks.cc): a network partly listed becomes the CIDRs
// (or single addresses) that cover the rest, one wholly listed goes.
// Returns how many networks were cut.
Result<int64_t> CutListedAddressesOutOfNetworks(Store& store, LiveIndicators& live);

// The Zeek Intel framework file (kZeek).
Status WriteZeekIntel(Store& store, const ExportOptions& options, std::ostream& out,
                      ExportReport& report);

// Standard base64 with padding (RFC 4648 section 4), as Suricata reads
// string datasets.
std::string Base64Encode(std::string_view bytes);

}  // namespace accord::exchange_internal
