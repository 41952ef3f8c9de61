// Shared by synth_test.cc and synth_layout_test.cc: runs the generator and
// keeps every machine it streams.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "stealer/synth.h"

namespace accord::stealer::synth_testing {

struct Generated {
  SynthMachine machine;
  MachineFiles files;
};

inline std::vector<Generated> Generate(const SynthOptions& options) {
  std::vector<Generated> out;
  Status status = GenerateSynthetic(options, [&](const SynthMachine& m, const MachineFiles& f) {
    out.push_back({m, f});
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

}  // namespace accord::stealer::synth_testing
