#include "exchange/export_markings.h"

#include "exchange/exchange.h"

#include <nlohmann/json.hpp>

namespace accord::exchange_internal {
namespace {

bool MarksLevel(const nlohmann::ordered_json& ref, Tlp tlp) {
  if (!ref.is_string()) return false;
  std::optional<Tlp> level = TlpFromStixMarkingId(ref.get<std::string>());
  return level && *level == tlp;
}

}  // namespace

std::optional<std::string> WithTlpMarkingForExport(std::string_view json, Tlp tlp) {
  if (tlp <= Tlp::kAmber) return std::nullopt;
  // Only objects held above AMBER get here, rarely many: parsing them with
  // the general library keeps the change exact (key order included).
  nlohmann::ordered_json object = nlohmann::ordered_json::parse(json, nullptr, false);
  if (!object.is_object()) return std::nullopt;
  auto refs = object.find("object_marking_refs");
  if (refs != object.end() && refs->is_array()) {
    for (const auto& ref : *refs) {
      if (MarksLevel(ref, tlp)) return std::nullopt;
    }
  }
  auto granular = object.find("granular_markings");
  if (granular != object.end() && granular->is_array()) {
    for (const auto& marking : *granular) {
      if (marking.is_object() && marking.contains("marking_ref") && MarksLevel(marking["marking_ref"], tlp)) {
        return std::nullopt;
      }
    }
  }
  const std::string marking(TlpStixMarkingId(tlp));
  if (refs != object.end() && refs->is_array()) {
    refs->push_back(marking);
  } else {
    object["object_marking_refs"] = nlohmann::ordered_json::array({marking});
  }
  return object.dump();
}

}  // namespace accord::exchange_internal

namespace accord {

std::optional<std::string> StixWithTlpMarking(std::string_view json, Tlp tlp) {
  return exchange_internal::WithTlpMarkingForExport(json, tlp);
}

}  // namespace accord
