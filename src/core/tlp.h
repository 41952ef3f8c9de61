// TLP 2.0 levels and their STIX 2.1 marking-definition ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace accord {

// Ordered from least to most restrictive. Stored as these integers.
enum class Tlp : uint8_t {
  kClear = 0,
  kGreen = 1,
  kAmber = 2,
  kAmberStrict = 3,
  kRed = 4,
};

// "clear", "green", "amber", "amber+strict", "red".
std::string_view TlpName(Tlp tlp);
// "TLP:CLEAR" ... as written on a label.
std::string_view TlpLabel(Tlp tlp);
// Accepts "clear", "TLP:AMBER+STRICT", "tlp:white" (TLP 1.0 WHITE = CLEAR), any case.
std::optional<Tlp> ParseTlp(std::string_view text);

// Whether a value marked `value` may be read through an event at `event`:
// every reader of the event may read the value. AMBER+STRICT is the owner
// alone, so only an AMBER+STRICT event holds it (a RED event names
// recipients); otherwise the higher level is the narrower audience.
bool FitsWithin(Tlp value, Tlp event);

// The OASIS TLP 2.0 marking-definition id for the level.
std::string_view TlpStixMarkingId(Tlp tlp);
// Recognises the TLP 2.0 ids and the STIX 2.1 spec's TLP 1.0 ids.
std::optional<Tlp> TlpFromStixMarkingId(std::string_view id);
// The complete STIX 2.1 marking-definition object for the level (TLP 2.0,
// with its extension), as compact JSON, ready to put in a bundle.
std::string_view TlpStixMarkingObject(Tlp tlp);

}  // namespace accord
