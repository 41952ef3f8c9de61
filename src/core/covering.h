// What else a value is matched through. Telemetry naming an address alerts
// on every stored network that contains it (longest prefix first), a name
// on each of its parent domains, a URL on its host and what covers that, an
// e-mail address on its domain (match/match.h). `accord search` and the
// indicator lookup show these beside the value itself, so an analyst who
// asks about 10.1.2.3 learns of the listed 10.1.2.0/24.
#pragma once

#include <vector>

#include "core/observable.h"

namespace accord {

// The stored forms that cover a normalized `observable`, nearest first:
// networks /31../1 (/127../1 for IPv6) of an address, the parents of a
// domain (the top-level label included), a URL's host and what covers it,
// an e-mail address's domain and its parents. Empty for hashes, wallets,
// file names and networks.
std::vector<Observable> CoveringObservables(const Observable& observable);

}  // namespace accord
