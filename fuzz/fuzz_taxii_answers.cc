// libFuzzer target for what a federation peer answers (src/federation/
// taxii_answers.h): the collections list, an objects envelope, the API
// root and a status resource.
//
// Nothing crashes or throws, whatever the peer sends; an accepted
// collection has an id; an accepted envelope's objects text is a JSON array
// of exactly object_count objects (what the importer is then handed); an
// accepted status resource has an id and no negative count; an accepted
// max_content_length is not negative.

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
  if (auto status = ParseStatusResource(body); status.ok()) {
    if (status->id.empty() || status->total_count < 0 || status->success_count < 0 ||
        status->failure_count < 0 || status->pending_count < 0) {
      std::fprintf(stderr, "accepted a status resource without an id or with a negative count\n");
      std::abort();
    }
  }
  if (auto max_length = ParseMaxContentLength(body); max_length.ok() && *max_length < 0) {
    std::fprintf(stderr, "accepted a negative max_content_length\n");
    std::abort();
  }
  (void)ErrorSummary(body);
  return 0;
}
