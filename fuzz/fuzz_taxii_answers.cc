// libFuzzer target for what a federation peer answers (src/federation/
// taxii_answers.h): the collections list and an objects envelope.
//
// Nothing crashes or throws, whatever the peer sends; an accepted
// collection has an id; an accepted envelope's objects text is a JSON array
// of exactly object_count objects (what the importer is then handed).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "federation/taxii_answers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  using namespace accord::federation::internal;
  if (auto collections = ParseCollections(body); collections.ok()) {
    for (const CollectionRef& collection : *collections) {
      if (collection.id.empty()) {
        std::fprintf(stderr, "accepted a collection without an id\n");
        std::abort();
      }
    }
  }
  if (auto envelope = ParseEnvelope(body); envelope.ok()) {
    const nlohmann::json objects = nlohmann::json::parse(envelope->objects_json, nullptr, false);
    if (!objects.is_array() || objects.size() != envelope->object_count) {
      std::fprintf(stderr, "envelope objects text does not hold %zu objects\n",
                   envelope->object_count);
      std::abort();
    }
    for (const auto& object : objects) {
      if (!object.is_object()) std::abort();
    }
  }
  (void)ErrorSummary(body);
  return 0;
}
