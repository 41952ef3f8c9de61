#include "server/rest_event_input.h"

#include <fmt/format.h>

namespace accord::server::rest {
namespace {

// Fields of the Event schema a client may send back unchanged from a GET;
// they are server-controlled and ignored on input.
const std::vector<std::string_view> kEventFields = {
    "title", "description", "tlp", "tags", "recipients", "indicators", "remove_indicators",
    // read-only, ignored:
    "uuid", "owner", "created", "modified", "stix_id", "source", "indicator_count", "threat_level",
    "analysis"};

const std::vector<std::string_view> kIndicatorFields = {
    "type", "value", "role", "confidence", "first_seen", "last_seen", "valid_until", "comment",
    "is_indicator", "family",
    // read-only, ignored:
    "stix_id", "warninglist"};

Result<std::optional<ObservableType>> TypeField(const json& object, const std::string& where) {
  ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(object, "type", where + ".type"));
  if (!name || name->empty()) return std::optional<ObservableType>();
  std::optional<ObservableType> type = ParseTypeName(*name);
  if (!type) {
    return Status::Invalid(fmt::format(
        "{}.type: unknown type '{}' (ipv4, ipv6, cidr, domain, url, email, md5, sha1, sha256, "
        "wallet, filename)",
        where, *name));
  }
  return std::optional<ObservableType>(*type);
}

Result<IndicatorInput> ParseIndicator(const json& item, const std::string& where) {
  if (!item.is_object()) return Status::Invalid(where + ": expected an object");
  RETURN_IF_ERROR(OnlyKnownFields(item, kIndicatorFields, where));
  IndicatorInput input;
  ASSIGN_OR_RETURN(input.type, TypeField(item, where));
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(item, "value", where + ".value"));
  if (!value) return Status::Invalid(where + ".value: required");
  input.value = std::move(*value);
  IndicatorContext& context = input.context;
  ASSIGN_OR_RETURN(auto role, OptionalString(item, "role", where + ".role"));
  context.role = role.value_or("");
  ASSIGN_OR_RETURN(auto confidence, OptionalInteger(item, "confidence", where + ".confidence"));
  if (confidence) {
    if (*confidence < 0 || *confidence > 100) {
      return Status::Invalid(where + ".confidence: must be between 0 and 100");
    }
    context.confidence = static_cast<int>(*confidence);
  }
  ASSIGN_OR_RETURN(auto first_seen, OptionalTimestamp(item, "first_seen", where + ".first_seen"));
  ASSIGN_OR_RETURN(auto last_seen, OptionalTimestamp(item, "last_seen", where + ".last_seen"));
  ASSIGN_OR_RETURN(auto valid_until, OptionalTimestamp(item, "valid_until", where + ".valid_until"));
  context.first_seen = first_seen.value_or("");
  context.last_seen = last_seen.value_or("");
  context.valid_until = valid_until.value_or("");
  ASSIGN_OR_RETURN(auto comment, OptionalString(item, "comment", where + ".comment"));
  context.comment = comment.value_or("");
  ASSIGN_OR_RETURN(auto is_indicator, OptionalBool(item, "is_indicator", where + ".is_indicator"));
  context.is_indicator = is_indicator.value_or(true);
  ASSIGN_OR_RETURN(input.family, OptionalString(item, "family", where + ".family"));
  if (input.family) {
    const size_t first = input.family->find_first_not_of(" \t");
    input.family = first == std::string::npos
                       ? std::string()
                       : input.family->substr(first, input.family->find_last_not_of(" \t") - first + 1);
    // A family is a name alerts show and filter on: one line of text.
    if (input.family->size() > 200) return Status::Invalid(where + ".family: longer than 200 bytes");
    for (unsigned char c : *input.family) {
      if (c < 0x20 || c == 0x7F) return Status::Invalid(where + ".family: holds a control character");
    }
    context.family = *input.family;
  }
  return input;
}

Result<std::vector<int64_t>> ParseRecipients(const json& value, const OrgDirectory& orgs) {
  if (!value.is_array()) {
    return Status::Invalid("recipients: expected an array of organisation names or ids");
  }
  std::vector<int64_t> ids;
  for (size_t item_idx = 0; item_idx < value.size(); ++item_idx) {
    const json& item = value[item_idx];
    const std::string where = fmt::format("recipients[{}]", item_idx);
    if (item.is_number_integer()) {
      int64_t id = item.get<int64_t>();
      if (!orgs.Has(id)) {
        return Status::Invalid(fmt::format("{}: no organisation with id {} on this node", where, id));
      }
      ids.push_back(id);
    } else if (item.is_string()) {
      std::optional<int64_t> id = orgs.FindByName(item.get<std::string>());
      if (!id) {
        return Status::Invalid(fmt::format("{}: no organisation named '{}' on this node", where,
                                           item.get<std::string>()));
      }
      ids.push_back(*id);
    } else {
      return Status::Invalid(where + ": expected an organisation name or id");
    }
  }
  return ids;
}

}  // namespace

Result<EventInput> ParseEventInput(const json& body, EventWrite mode, const OrgDirectory& orgs) {
  RETURN_IF_ERROR(OnlyKnownFields(body, kEventFields, ""));
  EventInput input;
  ASSIGN_OR_RETURN(input.title, OptionalString(body, "title", "title"));
  if (mode != EventWrite::kPatch && (!input.title || input.title->empty())) {
    return Status::Invalid("title: required");
  }
  if (input.title && input.title->empty()) return Status::Invalid("title: must not be empty");
  ASSIGN_OR_RETURN(input.description, OptionalString(body, "description", "description"));
  ASSIGN_OR_RETURN(std::optional<std::string> tlp, OptionalString(body, "tlp", "tlp"));
  if (tlp) {
    input.tlp = ParseTlp(*tlp);
    if (!input.tlp) {
      return Status::Invalid("tlp: expected clear, green, amber, amber+strict or red");
    }
  }
  ASSIGN_OR_RETURN(input.tags, OptionalStringArray(body, "tags", "tags"));
  if (auto it = body.find("recipients"); it != body.end() && !it->is_null()) {
    ASSIGN_OR_RETURN(input.recipient_org_ids, ParseRecipients(*it, orgs));
  }
  if (auto it = body.find("indicators"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return Status::Invalid("indicators: expected an array");
    std::vector<IndicatorInput> indicators;
    indicators.reserve(it->size());
    for (size_t item_idx = 0; item_idx < it->size(); ++item_idx) {
      ASSIGN_OR_RETURN(IndicatorInput indicator,
                       ParseIndicator((*it)[item_idx], fmt::format("indicators[{}]", item_idx)));
      indicators.push_back(std::move(indicator));
    }
    input.indicators = std::move(indicators);
  }
  if (auto it = body.find("remove_indicators"); it != body.end() && !it->is_null()) {
    if (mode != EventWrite::kPatch) {
      return Status::Invalid("remove_indicators: only PATCH removes; PUT replaces the whole set");
    }
    if (!it->is_array()) return Status::Invalid("remove_indicators: expected an array");
    for (size_t item_idx = 0; item_idx < it->size(); ++item_idx) {
      const std::string where = fmt::format("remove_indicators[{}]", item_idx);
      const json& item = (*it)[item_idx];
      if (!item.is_object()) return Status::Invalid(where + ": expected an object");
      RETURN_IF_ERROR(OnlyKnownFields(item, {"type", "value"}, where));
      ASSIGN_OR_RETURN(auto type, TypeField(item, where));
      ASSIGN_OR_RETURN(auto value, OptionalString(item, "value", where + ".value"));
      if (!value) return Status::Invalid(where + ".value: required");
      Result<Observable> observable = type ? Normalize(*type, *value) : DetectAndNormalize(*value);
      if (!observable.ok()) {
        return Status::Invalid(where + ".value: " + observable.status().message());
      }
      input.remove_indicators.push_back(std::move(observable).value());
    }
  }
  return input;
}

}  // namespace accord::server::rest
