#include "stix/stix_fields.h"

#include <cctype>

#include "core/time.h"

namespace accord::stix_internal {
namespace {

Status WrongType(std::string_view key, std::string_view expected) {
  return Status::Invalid("property \"" + std::string(key) + "\" must be " + std::string(expected));
}

// MD5, SHA1, SHA256 whatever the spelling ('SHA-256', sha256, SHA_256).
std::string CanonicalHashName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

bool Properties::Has(std::string_view key) const {
  return object_.at_key(key).error() == simdjson::SUCCESS;
}

Status Properties::String(std::string_view key, std::string* out) const {
  auto value = object_.at_key(key);
  if (value.error() != simdjson::SUCCESS) return Status::Ok();
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return WrongType(key, "a string");
  out->assign(text);
  return Status::Ok();
}

Status Properties::RequiredString(std::string_view key, std::string* out) const {
  if (!Has(key)) return Status::Invalid("missing required property \"" + std::string(key) + "\"");
  RETURN_IF_ERROR(String(key, out));
  if (out->empty()) return Status::Invalid("property \"" + std::string(key) + "\" is empty");
  return Status::Ok();
}

Status Properties::StringList(std::string_view key, std::vector<std::string>* out) const {
  auto value = object_.at_key(key);
  if (value.error() != simdjson::SUCCESS) return Status::Ok();
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) return WrongType(key, "a list of strings");
  if (array.size() == 0) return Status::Invalid("property \"" + std::string(key) + "\" is an empty list");
  out->clear();
  for (auto item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) return WrongType(key, "a list of strings");
    out->emplace_back(text);
  }
  return Status::Ok();
}

Status Properties::Integer(std::string_view key, int64_t min, int64_t max,
                           std::optional<int64_t>* out) const {
  auto value = object_.at_key(key);
  if (value.error() != simdjson::SUCCESS) return Status::Ok();
  int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS || number < min || number > max) {
    return WrongType(key, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  *out = number;
  return Status::Ok();
}

Status Properties::Boolean(std::string_view key, bool* out) const {
  auto value = object_.at_key(key);
  if (value.error() != simdjson::SUCCESS) return Status::Ok();
  if (value.get_bool().get(*out) != simdjson::SUCCESS) return WrongType(key, "true or false");
  return Status::Ok();
}

Status Properties::Timestamp(std::string_view key, std::string* out) const {
  std::string text;
  RETURN_IF_ERROR(String(key, &text));
  if (!Has(key)) return Status::Ok();
  if (!ParseTimestamp(text).ok()) {
    return Status::Invalid("property \"" + std::string(key) + "\" is not a timestamp: \"" + text + "\"");
  }
  *out = std::move(text);
  return Status::Ok();
}

Status Properties::Object(std::string_view key, std::optional<simdjson::dom::object>* out) const {
  auto value = object_.at_key(key);
  if (value.error() != simdjson::SUCCESS) return Status::Ok();
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return WrongType(key, "an object");
  *out = object;
  return Status::Ok();
}

Status ObservablesOfSco(simdjson::dom::object sco, std::string_view type,
                        std::vector<std::pair<ObservableType, std::string>>* out) {
  Properties properties(sco);
  auto address = [&](ObservableType single) -> Status {
    std::string value;
    RETURN_IF_ERROR(properties.RequiredString("value", &value));
    const bool network = value.find('/') != std::string::npos;
    out->emplace_back(network ? ObservableType::kCidr : single, std::move(value));
    return Status::Ok();
  };
  auto plain = [&](std::string_view key, ObservableType observable_type) -> Status {
    std::string value;
    RETURN_IF_ERROR(properties.RequiredString(key, &value));
    out->emplace_back(observable_type, std::move(value));
    return Status::Ok();
  };
  if (type == "ipv4-addr") return address(ObservableType::kIpv4);
  if (type == "ipv6-addr") return address(ObservableType::kIpv6);
  // OpenCTI's Hostname observable: a host's name, matched as a domain.
  if (type == "domain-name" || type == "hostname") return plain("value", ObservableType::kDomain);
  if (type == "url") return plain("value", ObservableType::kUrl);
  if (type == "email-addr") return plain("value", ObservableType::kEmail);
  // The community extension's SCO names it `address`; OpenCTI's, `value`.
  if (type == "cryptocurrency-wallet") {
    return plain(properties.Has("address") || !properties.Has("value") ? "address" : "value",
                 ObservableType::kWallet);
  }
  // A certificate's hashes are its fingerprints, matched as file hashes are
  // (as its pattern path x509-certificate:hashes is).
  if (type == "file" || type == "x509-certificate") {
    std::optional<simdjson::dom::object> hashes;
    RETURN_IF_ERROR(properties.Object("hashes", &hashes));
    // A file known only by its name (a context value Accord writes so);
    // with hashes, the hashes say which file and the name is a detail.
    if (!hashes && type == "file") {
      std::string name;
      RETURN_IF_ERROR(properties.String("name", &name));
      if (!name.empty()) out->emplace_back(ObservableType::kFileName, std::move(name));
      return Status::Ok();
    }
    if (!hashes) return Status::Ok();
    for (auto field : *hashes) {
      std::string_view value;
      if (field.value.get_string().get(value) != simdjson::SUCCESS) {
        return Status::Invalid("property \"hashes\" must map names to strings");
      }
      const std::string name = CanonicalHashName(field.key);
      if (name == "MD5") out->emplace_back(ObservableType::kMd5, std::string(value));
      if (name == "SHA1") out->emplace_back(ObservableType::kSha1, std::string(value));
      if (name == "SHA256") out->emplace_back(ObservableType::kSha256, std::string(value));
    }
  }
  return Status::Ok();
}

}  // namespace accord::stix_internal
