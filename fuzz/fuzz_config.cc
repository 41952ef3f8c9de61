// libFuzzer target for the configuration file (src/config/config.h read by
// src/cli/config_file.h).
//
// The first byte chooses TOML or YAML; the rest is the file, applied to a
// command shaped like `accord serve` (a string, a ranged integer, a
// repeatable list). Checks that nothing crashes and that an accepted file
// leaves every value within its flag's checks; a value the command line
// gave is never replaced.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "cli/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool yaml = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  CLI::App app{"fuzz"};
  CLI::App* serve = app.add_subcommand("serve");
  std::string listen = "127.0.0.1:8470";
  std::string given = "from the command line";
  int threads = 32;
  std::vector<std::string> geoip;
  serve->add_option("--listen", listen);
  serve->add_option("--public-url", given);
  serve->add_option("--threads", threads)->check(CLI::Range(1, 1024));
  serve->add_option("--geoip", geoip);
  std::string data_dir = "before";
  const accord::Status status = accord::cli::ApplyConfig(*serve, text, yaml ? "fuzz.yaml" : "fuzz.toml", "fuzz",
                                                         {"serve", "--public-url", "kept"}, data_dir);
  if (status.ok() && (threads < 1 || threads > 1024 || given != "from the command line")) {
    std::fprintf(stderr, "accepted a file that broke a flag: threads %d, public-url '%s'\n", threads,
                 given.c_str());
    std::abort();
  }
  if (!status.ok() && status.message().rfind("fuzz", 0) != 0) {
    std::fprintf(stderr, "an error that does not name the file: %s\n", status.message().c_str());
    std::abort();
  }
  return 0;
}
