// libFuzzer target for the configuration file (src/cli/config_file.h).
//
// Feeds the input as a TOML file to a command shaped like `accord serve`
// (a string, a ranged integer, a repeatable list) and checks that nothing
// crashes and that an accepted file leaves every value within its flag's
// checks; a value the command line gave is never replaced.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "cli/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
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
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  const accord::Status status =
      accord::cli::ApplyConfig(*serve, in, "fuzz.toml", {"serve", "--public-url", "kept"}, data_dir);
  if (status.ok() && (threads < 1 || threads > 1024 || given != "from the command line")) {
    std::fprintf(stderr, "accepted a file that broke a flag: threads %d, public-url '%s'\n", threads,
                 given.c_str());
    std::abort();
  }
  return 0;
}
