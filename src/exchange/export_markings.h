// The TLP marking an exported STIX object must carry. Objects are exported
// as they came, but one that came without a TLP marking was stored at the
// level its import gave it (--tlp, its event's): above TLP:AMBER, the
// usual default of whoever reads the file, it would be read at a lower
// level than Accord holds it, so its level's marking is added to it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/tlp.h"

namespace accord::exchange_internal {

// The object `json` (a STIX object as stored) with the TLP 2.0 marking of
// `tlp` in its object_marking_refs, or nullopt when it is to be exported
// unchanged: held at TLP:AMBER or below, or already marked at `tlp` (by
// object or granular marking, TLP 1.0 or 2.0 ids).
std::optional<std::string> WithTlpMarkingForExport(std::string_view json, Tlp tlp);

}  // namespace accord::exchange_internal
