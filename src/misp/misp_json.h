// Typed access to simdjson DOM values with errors that name the field path
// ("Event.Attribute[3].value: not a string"). Internal to misp/.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace accord::misp_internal {

using JsonElement = simdjson::dom::element;
using JsonObject = simdjson::dom::object;
using JsonArray = simdjson::dom::array;

// "Event" + "info" -> "Event.info"; "" + "info" -> "info".
std::string FieldPath(std::string_view parent, std::string_view key);
// "Event.Attribute" + 3 -> "Event.Attribute[3]".
std::string IndexPath(std::string_view parent, size_t index);

// Absent and null both read as "not there": MISP writes null for unset
// optional fields (first_seen, object_relation, ...).
std::optional<JsonElement> Field(JsonObject object, std::string_view key);

// Each of these returns nullopt when the field is absent or null, and an
// kInvalidArgument "<path>: not a <kind>" when it holds the wrong JSON type.
Result<std::optional<std::string_view>> OptionalString(JsonObject object, std::string_view key,
                                                       std::string_view path);
Result<std::optional<JsonArray>> OptionalArray(JsonObject object, std::string_view key,
                                               std::string_view path);
Result<std::optional<JsonObject>> OptionalObject(JsonObject object, std::string_view key,
                                                 std::string_view path);
// MISP writes numbers as strings ("distribution": "0", "timestamp":
// "1465681804"); PyMISP and hand-written files use JSON numbers. Both give
// the decimal text.
Result<std::optional<std::string>> OptionalNumberText(JsonObject object, std::string_view key,
                                                      std::string_view path);
// true/false, 0/1 or "0"/"1"/"true"/"false" (older MISP versions).
Result<std::optional<bool>> OptionalFlag(JsonObject object, std::string_view key,
                                         std::string_view path);

// A compact description of a parse failure with its line and column,
// computed by a second (slower, exact) parser only when simdjson refuses.
std::string DescribeJsonError(std::string_view text, simdjson::error_code code);

}  // namespace accord::misp_internal
