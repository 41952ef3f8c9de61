#include "core/cpu.h"

namespace accord {

std::vector<VectorSet> SupportedVectorSets() {
  std::vector<VectorSet> sets = {VectorSet::kPortable};
#if defined(__x86_64__) && defined(__GNUC__)
  sets.push_back(VectorSet::kSse2);  // part of x86-64 itself
  if (__builtin_cpu_supports("avx2")) sets.push_back(VectorSet::kAvx2);
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512vbmi2")) {
    sets.push_back(VectorSet::kAvx512);
  }
#endif
  return sets;
}

VectorSet WidestVectorSet() { return SupportedVectorSets().back(); }

}  // namespace accord
