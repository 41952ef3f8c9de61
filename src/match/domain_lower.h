// Internal to src/match: the first step of preparing a DNS name for its
// probes, lower-casing it and marking its dots. Every DNS record passes
// here, so it runs on the widest vectors the CPU has, chosen once per
// snapshot (core/cpu.h): with SSE2 alone a name shorter than sixteen bytes
// was copied into a padded buffer first, and that store-then-load was most
// of the step (bench/match). Not part of the module's interface.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/cpu.h"

namespace accord::match::internal {

// Bit i set when byte i of a name (at most 256 bytes) is a dot: where its
// parents start.
using DotBits = std::array<uint64_t, 4>;

// Lower-cases a name of at most 255 bytes into `out` (as many bytes) and
// marks its dots; false when it holds a byte other than an ASCII letter, a
// digit, '-', '.' or '_' (then the caller uses the full normalizer and the
// output does not matter). Reads nothing past `in`.
using DomainLowerer = bool (*)(std::string_view in, char* out, DotBits& dots);

// nullptr when the CPU lacks the set; kAvx2 has no version of its own and
// gets SSE2's.
DomainLowerer LowererFor(VectorSet set);

}  // namespace accord::match::internal
