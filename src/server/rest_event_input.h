// Reading the body of POST/PUT/PATCH /api/v1/events: every field checked for
// its JSON type and meaning, errors naming it ("indicators[2].confidence:
// expected an integer"). Indicator values are not normalized here: a value
// that does not normalize is reported per value, not refused per request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/rest_common.h"

namespace accord::server::rest {

struct IndicatorInput {
  std::optional<ObservableType> type;  // nullopt: detected from the value
  std::string value;                   // raw, as sent
  IndicatorContext context;
  // A feed's malware family for the value: nullopt (absent or null) keeps
  // the one stored, "" takes it off, a name replaces it (until an import
  // names another, as for the rest of the context).
  std::optional<std::string> family;
};

struct EventInput {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<Tlp> tlp;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::vector<int64_t>> recipient_org_ids;  // resolved from names or ids
  std::optional<std::vector<IndicatorInput>> indicators;
  std::vector<Observable> remove_indicators;              // PATCH only, normalized
};

enum class EventWrite { kCreate, kReplace, kPatch };

// kInvalidArgument naming the field for anything malformed, an unknown
// recipient organisation, or a missing title on create/replace.
Result<EventInput> ParseEventInput(const json& body, EventWrite mode, const OrgDirectory& orgs);

}  // namespace accord::server::rest
