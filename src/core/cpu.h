// Which vector instruction sets this CPU runs. The build targets baseline
// x86-64 (SSE2), so one binary runs on any x86-64 machine; the few
// hand-written hot loops (the NDJSON line classifier in src/telemetry, DNS
// name lowering in src/match) also have wider versions, each compiled for
// its own target, and pick one with this at run time.
#pragma once

#include <vector>

namespace accord {

enum class VectorSet { kPortable, kSse2, kAvx2, kAvx512 };

// The sets this CPU runs, narrowest first (kPortable always; kAvx512 means
// AVX-512 BW, VL and VBMI2: byte compares into mask registers and byte
// compression, as Intel since Ice Lake and AMD since Zen 4 have them).
std::vector<VectorSet> SupportedVectorSets();
// The widest of them.
VectorSet WidestVectorSet();

}  // namespace accord
