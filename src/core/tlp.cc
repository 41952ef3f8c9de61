#include "core/tlp.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace accord {
namespace {

struct TlpInfo {
  Tlp tlp;
  std::string_view name;
  std::string_view label;
  std::string_view marking_id;  // OASIS TLP 2.0 marking definition
  std::string_view marking_object;
};

// The TLP 2.0 marking definitions as OASIS publishes them
// (cti-stix-common-objects, extension-definition--60a3c5c5-...).
#define ACCORD_TLP_OBJECT(ID, LABEL, VALUE)                                                \
  "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"" ID                 \
  "\",\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"" LABEL                          \
  "\",\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{"    \
  "\"extension_type\":\"property-extension\",\"tlp_2_0\":\"" VALUE "\"}}}"

constexpr std::array<TlpInfo, 5> kTlps = {{
    {Tlp::kClear, "clear", "TLP:CLEAR", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
     ACCORD_TLP_OBJECT("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR",
                       "clear")},
    {Tlp::kGreen, "green", "TLP:GREEN", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
     ACCORD_TLP_OBJECT("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN",
                       "green")},
    {Tlp::kAmber, "amber", "TLP:AMBER", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
     ACCORD_TLP_OBJECT("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER",
                       "amber")},
    {Tlp::kAmberStrict, "amber+strict", "TLP:AMBER+STRICT",
     "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
     ACCORD_TLP_OBJECT("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
                       "TLP:AMBER+STRICT", "amber+strict")},
    {Tlp::kRed, "red", "TLP:RED", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
     ACCORD_TLP_OBJECT("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED",
                       "red")},
}};
#undef ACCORD_TLP_OBJECT

// TLP 1.0 marking definitions from the STIX 2.1 specification (section 7.2.1.4).
struct LegacyMarking {
  std::string_view id;
  Tlp tlp;
};
constexpr std::array<LegacyMarking, 4> kTlp1Markings = {{
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::kClear},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::kGreen},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::kAmber},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::kRed},
}};

const TlpInfo& Info(Tlp tlp) { return kTlps[static_cast<size_t>(tlp)]; }

}  // namespace

std::string_view TlpName(Tlp tlp) { return Info(tlp).name; }

bool FitsWithin(Tlp value, Tlp event) {
  if (value == Tlp::kAmberStrict) return event == Tlp::kAmberStrict;
  return value <= event;
}
std::string_view TlpLabel(Tlp tlp) { return Info(tlp).label; }
std::string_view TlpStixMarkingId(Tlp tlp) { return Info(tlp).marking_id; }
std::string_view TlpStixMarkingObject(Tlp tlp) { return Info(tlp).marking_object; }

std::optional<Tlp> ParseTlp(std::string_view text) {
  std::string lower;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (lower.starts_with("tlp:")) lower.erase(0, 4);
  if (lower == "white") return Tlp::kClear;
  if (lower == "amber-strict" || lower == "amber_strict") return Tlp::kAmberStrict;
  for (const auto& info : kTlps) {
    if (lower == info.name) return info.tlp;
  }
  return std::nullopt;
}

std::optional<Tlp> TlpFromStixMarkingId(std::string_view id) {
  for (const auto& info : kTlps) {
    if (id == info.marking_id) return info.tlp;
  }
  for (const auto& legacy : kTlp1Markings) {
    if (id == legacy.id) return legacy.tlp;
  }
  return std::nullopt;
}

}  // namespace accord
