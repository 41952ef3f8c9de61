// libFuzzer target for the webhook URL parser (src/notify/notify.h).
//
// Nothing crashes, and an accepted URL keeps the promises the delivery
// thread relies on: an http(s) scheme, a non-empty host without spaces or
// slashes, a port from 1 to 65535 and a path that starts with '/'.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "notify/notify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string url(reinterpret_cast<const char*>(data), size);
  auto parsed = accord::notify::ParseWebhookUrl(url);
  if (!parsed.ok()) return 0;
  const bool sound = (parsed->scheme == "http" || parsed->scheme == "https") && !parsed->host.empty() &&
                     parsed->host.find_first_of(" /\\") == std::string::npos && parsed->port >= 1 &&
                     parsed->port <= 65535 && !parsed->path.empty() && parsed->path.front() == '/';
  if (!sound) {
    std::fprintf(stderr, "accepted an unsound URL: '%s'\n", url.c_str());
    std::abort();
  }
  return 0;
}
