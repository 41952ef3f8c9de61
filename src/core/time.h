// Time: an injectable Clock, and RFC 3339 timestamps as used by STIX/TAXII.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace accord {

using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;

// Where code gets "now": the system clock in production, a settable clock in
// tests. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// Parses RFC 3339 / ISO 8601 with a time zone ("2024-05-01T12:00:00Z",
// "...+02:00", fractional seconds to microseconds), a plain date
// ("2024-05-01", midnight UTC), or "YYYY-MM-DD HH:MM:SS" (taken as UTC; MISP
// writes this) and Unix epoch seconds as digits. Errors name the text.
Result<TimePoint> ParseTimestamp(std::string_view text);

// "2024-05-01T12:00:00.000Z": UTC, millisecond precision, as STIX writes.
std::string FormatTimestamp(TimePoint t);
// "2024-05-01T12:00:00.123456Z": with microseconds, as TAXII's date_added
// needs them so consecutive objects get distinct, increasing values.
std::string FormatMicros(TimePoint t);
// Normalizes any accepted form to FormatTimestamp's; empty stays empty, and
// an instant after year 9999 is 9999-12-31T23:59:59.999Z.
Result<std::string> NormalizeTimestamp(std::string_view text);

}  // namespace accord
