// The first step of the NDJSON fast path: where a short line's quotes are,
// and whether it is clean (no backslash, no control character, no byte
// above 0x7F). Every DNS or proxy log line passes here, so it runs on the
// widest vectors the CPU has, chosen once at run time: the build targets
// baseline x86-64 (SSE2), where one 64-byte word took four loads and a
// dozen compares (bench/match). Private to src/telemetry.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/cpu.h"

namespace accord::telemetry::internal {

// The longest line the fast path classifies; longer ones are scanned string
// by string.
inline constexpr size_t kMaxClassifiedLine = 256;

// Writes the positions of the line's quotes ('"'), in order, to
// positions[0 .. count) and answers whether the line is clean. `size` is at
// most kMaxClassifiedLine (so a position fits a byte), `positions` holds
// kQuotePositionsCapacity bytes (a vector store may write a word past the
// last position), and at least 64 bytes past text + size must be readable
// (a Line has kLinePadding); their content does not matter.
inline constexpr size_t kQuotePositionsCapacity = kMaxClassifiedLine + 64;
using LineClassifier = bool (*)(const char* text, size_t size, uint8_t* positions, size_t& count);

// nullptr when this build or CPU lacks the set (core/cpu.h).
LineClassifier ClassifierFor(VectorSet set);

}  // namespace accord::telemetry::internal
