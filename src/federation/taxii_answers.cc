#include "federation/taxii_answers.h"

#include <nlohmann/json.hpp>

namespace accord::federation::internal {
namespace {

using nlohmann::json;

// A member that is a string, else "" (never throws, unlike json::value()).
std::string StringMember(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<json> ParseObject(std::string_view body, const char* what) {
  json parsed = json::parse(body.begin(), body.end(), nullptr, false);
  if (parsed.is_discarded()) return Status::Corruption(std::string(what) + " is not JSON");
  if (!parsed.is_object()) return Status::Corruption(std::string(what) + " is not a JSON object");
  return parsed;
}

}  // namespace

Result<std::vector<CollectionRef>> ParseCollections(std::string_view body) {
  ASSIGN_OR_RETURN(json listed, ParseObject(body, "the collections answer"));
  std::vector<CollectionRef> collections;
  auto it = listed.find("collections");
  if (it == listed.end()) return collections;
  if (!it->is_array()) return Status::Corruption("\"collections\" is not an array");
  for (const json& collection : *it) {
    if (!collection.is_object()) return Status::Corruption("a collection is not a JSON object");
    CollectionRef ref{StringMember(collection, "id"), StringMember(collection, "title"), false};
    if (ref.id.empty()) return Status::Corruption("a collection has no string \"id\"");
    auto can_read = collection.find("can_read");
    if (can_read != collection.end() && !can_read->is_boolean()) {
      return Status::Corruption("collection " + ref.id + ": \"can_read\" is not a boolean");
    }
    ref.can_read = can_read != collection.end() && can_read->get<bool>();
    auto can_write = collection.find("can_write");
    if (can_write != collection.end() && !can_write->is_boolean()) {
      return Status::Corruption("collection " + ref.id + ": \"can_write\" is not a boolean");
    }
    ref.can_write = can_write != collection.end() && can_write->get<bool>();
    collections.push_back(std::move(ref));
  }
  return collections;
}

Result<Envelope> ParseEnvelope(std::string_view body, const std::unordered_set<std::string>& home_identities) {
  ASSIGN_OR_RETURN(json parsed, ParseObject(body, "the objects answer"));
  Envelope envelope;
  if (auto objects = parsed.find("objects"); objects != parsed.end()) {
    if (!objects->is_array()) return Status::Corruption("\"objects\" is not an array");
    for (const json& object : *objects) {
      if (!object.is_object())
        return Status::Corruption("an element of \"objects\" is not a JSON object");
    }
    envelope.object_count = objects->size();
    if (!home_identities.empty()) {
      json kept = json::array();
      for (json& object : *objects) {
        const bool made_at_home =
            home_identities.contains(StringMember(object, "created_by_ref")) ||
            (StringMember(object, "type") == "identity" && home_identities.contains(StringMember(object, "id")));
        if (made_at_home) {
          ++envelope.from_home;
        } else {
          kept.push_back(std::move(object));
        }
      }
      *objects = std::move(kept);
    }
    envelope.objects_json = objects->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  if (auto more = parsed.find("more"); more != parsed.end()) {
    if (!more->is_boolean()) return Status::Corruption("\"more\" is not a boolean");
    envelope.more = more->get<bool>();
  }
  if (auto next = parsed.find("next"); next != parsed.end()) {
    if (!next->is_string()) return Status::Corruption("\"next\" is not a string");
    envelope.next = next->get<std::string>();
  }
  return envelope;
}

Result<int64_t> ParseMaxContentLength(std::string_view body) {
  ASSIGN_OR_RETURN(json root, ParseObject(body, "the API root answer"));
  auto it = root.find("max_content_length");
  if (it == root.end()) return int64_t{0};
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    return Status::Corruption("\"max_content_length\" is not a non-negative integer");
  }
  return it->get<int64_t>();
}

Result<StatusResource> ParseStatusResource(std::string_view body) {
  ASSIGN_OR_RETURN(json parsed, ParseObject(body, "the status resource"));
  StatusResource status;
  status.id = StringMember(parsed, "id");
  if (status.id.empty()) return Status::Corruption("the status resource has no string \"id\"");
  const std::string state = StringMember(parsed, "status");
  if (state != "complete" && state != "pending") {
    return Status::Corruption("status resource " + status.id +
                              ": \"status\" is neither \"complete\" nor \"pending\"");
  }
  status.complete = state == "complete";
  for (auto [name, field] : {std::pair{"total_count", &StatusResource::total_count},
                             std::pair{"success_count", &StatusResource::success_count},
                             std::pair{"failure_count", &StatusResource::failure_count},
                             std::pair{"pending_count", &StatusResource::pending_count}}) {
    auto it = parsed.find(name);
    if (it == parsed.end()) continue;
    if (!it->is_number_integer() || it->get<int64_t>() < 0) {
      return Status::Corruption("status resource " + status.id + ": \"" + name +
                                "\" is not a non-negative integer");
    }
    status.*field = it->get<int64_t>();
  }
  if (auto failures = parsed.find("failures"); failures != parsed.end()) {
    if (!failures->is_array()) {
      return Status::Corruption("status resource " + status.id + ": \"failures\" is not an array");
    }
    for (const json& failure : *failures) {
      if (!failure.is_object()) {
        return Status::Corruption("status resource " + status.id +
                                  ": a failure is not a JSON object");
      }
      status.failures.push_back({StringMember(failure, "id"), StringMember(failure, "version"),
                                 StringMember(failure, "message")});
    }
  }
  return status;
}

std::string ErrorSummary(std::string_view body) {
  json error = json::parse(body.begin(), body.end(), nullptr, false);
  if (!error.is_object()) return "";
  const std::string title = StringMember(error, "title");
  const std::string description = StringMember(error, "description");
  if (title.empty()) return description;
  return description.empty() ? title : title + ": " + description;
}

}  // namespace accord::federation::internal
