#include "misp/misp_json.h"

#include <nlohmann/json.hpp>

namespace accord::misp_internal {
namespace {

Status WrongType(std::string_view path, std::string_view kind) {
  return Status::Invalid(std::string(path) + ": not " + std::string(kind));
}

// Records the first parse error; builds nothing. Used only to locate an
// error simdjson reported, since simdjson gives no position.
class ErrorLocator : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    message_ = error.what();
    return false;
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

}  // namespace

std::string FieldPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path(parent);
  path += '.';
  path += key;
  return path;
}

std::string IndexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::optional<JsonElement> Field(JsonObject object, std::string_view key) {
  JsonElement value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) {
    return std::nullopt;
  }
  return value;
}

Result<std::optional<std::string_view>> OptionalString(JsonObject object, std::string_view key,
                                                       std::string_view path) {
  std::optional<JsonElement> value = Field(object, key);
  if (!value) return std::optional<std::string_view>();
  std::string_view text;
  if (value->get_string().get(text) != simdjson::SUCCESS) {
    return WrongType(FieldPath(path, key), "a string");
  }
  return std::optional<std::string_view>(text);
}

Result<std::optional<JsonArray>> OptionalArray(JsonObject object, std::string_view key,
                                               std::string_view path) {
  std::optional<JsonElement> value = Field(object, key);
  if (!value) return std::optional<JsonArray>();
  JsonArray array;
  if (value->get_array().get(array) != simdjson::SUCCESS) {
    return WrongType(FieldPath(path, key), "an array");
  }
  return std::optional<JsonArray>(array);
}

Result<std::optional<JsonObject>> OptionalObject(JsonObject object, std::string_view key,
                                                 std::string_view path) {
  std::optional<JsonElement> value = Field(object, key);
  if (!value) return std::optional<JsonObject>();
  JsonObject inner;
  if (value->get_object().get(inner) != simdjson::SUCCESS) {
    return WrongType(FieldPath(path, key), "an object");
  }
  return std::optional<JsonObject>(inner);
}

Result<std::optional<std::string>> OptionalNumberText(JsonObject object, std::string_view key,
                                                      std::string_view path) {
  std::optional<JsonElement> value = Field(object, key);
  if (!value) return std::optional<std::string>();
  switch (value->type()) {
    case simdjson::dom::element_type::STRING: {
      std::string_view text = value->get_string().value_unsafe();
      bool all_digits = !text.empty() && text.size() <= 20;
      for (char c : text) all_digits = all_digits && c >= '0' && c <= '9';
      if (!all_digits) return WrongType(FieldPath(path, key), "a number");
      return std::optional<std::string>(std::string(text));
    }
    case simdjson::dom::element_type::INT64:
      return std::optional<std::string>(std::to_string(value->get_int64().value_unsafe()));
    case simdjson::dom::element_type::UINT64:
      return std::optional<std::string>(std::to_string(value->get_uint64().value_unsafe()));
    default:
      return WrongType(FieldPath(path, key), "a number");
  }
}

Result<std::optional<bool>> OptionalFlag(JsonObject object, std::string_view key,
                                         std::string_view path) {
  std::optional<JsonElement> value = Field(object, key);
  if (!value) return std::optional<bool>();
  switch (value->type()) {
    case simdjson::dom::element_type::BOOL:
      return std::optional<bool>(value->get_bool().value_unsafe());
    case simdjson::dom::element_type::INT64: {
      int64_t number = value->get_int64().value_unsafe();
      if (number == 0 || number == 1) return std::optional<bool>(number == 1);
      break;
    }
    case simdjson::dom::element_type::UINT64: {
      uint64_t number = value->get_uint64().value_unsafe();
      if (number <= 1) return std::optional<bool>(number == 1);
      break;
    }
    case simdjson::dom::element_type::STRING: {
      std::string_view text = value->get_string().value_unsafe();
      if (text == "1" || text == "true") return std::optional<bool>(true);
      if (text == "0" || text == "false") return std::optional<bool>(false);
      break;
    }
    default:
      break;
  }
  return WrongType(FieldPath(path, key), "a boolean");
}

std::string DescribeJsonError(std::string_view text, simdjson::error_code code) {
  ErrorLocator locator;
  nlohmann::json::sax_parse(text.begin(), text.end(), &locator,
                            nlohmann::json::input_format_t::json, /*strict=*/true,
                            /*ignore_comments=*/false);
  if (!locator.message().empty()) {
    // "[json.exception.parse_error.101] parse error at line 3, column 7: ..."
    std::string message = locator.message();
    size_t start = message.find("parse error");
    return start == std::string::npos ? message : message.substr(start);
  }
  return simdjson::error_message(code);
}

}  // namespace accord::misp_internal
