// Typed, checked access to the properties of one parsed STIX object, and the
// observables a cyber-observable object carries. Internal to stix/.
//
// Every accessor returns kInvalidArgument naming the property when it has the
// wrong JSON type or an impossible value; the reader turns that into a
// Rejection for the object. An absent property is never an error here
// (required properties are checked by the caller, which knows the type).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "core/observable.h"
#include "core/status.h"

namespace accord::stix_internal {

class Properties {
 public:
  explicit Properties(simdjson::dom::object object) : object_(object) {}

  bool Has(std::string_view key) const;
  // Leaves `out` unchanged when absent.
  Status String(std::string_view key, std::string* out) const;
  Status RequiredString(std::string_view key, std::string* out) const;
  // A list of strings; STIX forbids empty lists, so [] is an error too.
  Status StringList(std::string_view key, std::vector<std::string>* out) const;
  Status Integer(std::string_view key, int64_t min, int64_t max, std::optional<int64_t>* out) const;
  Status Boolean(std::string_view key, bool* out) const;
  // An RFC 3339 timestamp string (checked with ParseTimestamp), kept as written.
  Status Timestamp(std::string_view key, std::string* out) const;
  // An object-valued property; nullopt when absent.
  Status Object(std::string_view key, std::optional<simdjson::dom::object>* out) const;

 private:
  simdjson::dom::object object_;
};

// The observable values of a cyber-observable object of `type` (ipv4-addr,
// ipv6-addr, domain-name, url, email-addr, file hashes MD5/SHA-1/SHA-256,
// cryptocurrency-wallet); empty for other types. Address values containing
// '/' are networks (cidr).
Status ObservablesOfSco(simdjson::dom::object sco, std::string_view type,
                        std::vector<std::pair<ObservableType, std::string>>* out);

}  // namespace accord::stix_internal
