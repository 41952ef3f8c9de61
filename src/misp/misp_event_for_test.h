// The MISP event the reader tests start from, and its parts: a small event
// (TLP:AMBER tag, one ip-dst attribute) that each test bends into the shape
// it needs. Shared by misp_reader_test.cc and misp_reader_malformed_test.cc.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace accord::testing {

inline constexpr const char* kEventUuid = "5758ebf5-c898-48e6-9fe9-5665c0a83866";

inline nlohmann::json Attribute(const std::string& uuid, const std::string& type,
                                const std::string& value,
                                const std::string& category = "Network activity",
                                bool to_ids = true) {
  return nlohmann::json{{"uuid", uuid},         {"type", type},     {"value", value},
                        {"category", category}, {"to_ids", to_ids}, {"comment", ""}};
}

inline nlohmann::json BasicEvent() {
  using Json = nlohmann::json;
  return Json{{"uuid", kEventUuid},
              {"info", "Locky campaign"},
              {"date", "2016-06-09"},
              {"timestamp", "1465681801"},
              {"publish_timestamp", "0"},
              {"distribution", "3"},
              {"Tag", Json::array({{{"name", "tlp:amber"}}, {{"name", "malware:locky"}}})},
              {"Attribute", Json::array({Attribute("a-1", "ip-dst", "192.0.2.7")})}};
}

// {"Event": event} as text, as MISP writes one event.
inline std::string Wrap(const nlohmann::json& event) {
  return nlohmann::json{{"Event", event}}.dump();
}

}  // namespace accord::testing
