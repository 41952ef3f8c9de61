// ParseMispFeedManifest: the manifest.json of a MISP feed, the directory
// layout MISP publishes events in (CIRCL's OSINT feed, every MISP instance's
// "feed" export): {"<event uuid>": {"info": ..., "timestamp": ...}, ...},
// with each event in "<event uuid>.json" beside it.
#include <simdjson.h>

#include "core/crypto.h"
#include "misp/misp.h"
#include "misp/misp_json.h"

namespace accord {
namespace {

// A manifest names one small object per event; 64 MiB is millions of events.
constexpr size_t kMaxManifestBytes = 64 << 20;

}  // namespace

Result<std::vector<std::string>> ParseMispFeedManifest(InputStream& in) {
  ASSIGN_OR_RETURN(std::string text, ReadAll(in, kMaxManifestBytes));
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::error_code code = parser.parse(text).get(root);
  if (code != simdjson::SUCCESS) {
    return Status::Invalid(in.name() + ": not valid JSON: " + misp_internal::DescribeJsonError(text, code));
  }
  simdjson::dom::object events;
  if (root.get_object().get(events) != simdjson::SUCCESS) {
    return Status::Invalid(in.name() + ": a MISP feed manifest is an object of events by uuid");
  }
  std::vector<std::string> uuids;
  for (auto field : events) {
    const std::string uuid(field.key);
    simdjson::dom::object event;
    if (!IsUuid(uuid) || field.value.get_object().get(event) != simdjson::SUCCESS) {
      return Status::Invalid(in.name() + ": field '" + uuid.substr(0, 64) +
                             "': a MISP feed manifest maps event uuids to objects");
    }
    uuids.push_back(uuid);
  }
  return uuids;
}

}  // namespace accord
