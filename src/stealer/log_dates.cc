// Infection dates as the stealer families write them (log_dates.h).
#include "stealer/log_dates.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>

#include "core/time.h"
#include "stealer/field_text.h"

namespace accord::stealer::internal {
namespace {

Result<TimePoint> Utc(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t minute,
                      int64_t second, int offset_minutes) {
  using namespace std::chrono;
  if (year < 1990 || year > 2100 || month > 12 || day > 31 || hour > 23 || minute > 59 ||
      second > 60) {
    return Status::Invalid("not a calendar date and time");
  }
  const year_month_day date{std::chrono::year(static_cast<int>(year)),
                            std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return Status::Invalid("not a calendar date");
  return TimePoint(sys_days(date)) + hours(hour) + minutes(minute) + seconds(second) -
         minutes(offset_minutes);
}

// Reads the unsigned numbers of `text` in order, ignoring separators.
std::vector<int64_t> Numbers(std::string_view text) {
  std::vector<int64_t> numbers;
  int64_t value = -1;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      value = (value < 0 ? 0 : value) * 10 + (c - '0');
      if (value > 1'000'000'000'000) value = 1'000'000'000'000;
    } else if (value >= 0) {
      numbers.push_back(value);
      value = -1;
    }
  }
  if (value >= 0) numbers.push_back(value);
  return numbers;
}

// "UTC+1", "+01:00", "GMT+0100", "5", "-3", "4294967293" (Vidar's -3 as
// unsigned): an offset in minutes east of UTC.
std::optional<int> ParseOffset(std::string_view text) {
  text = Trim(text);
  for (std::string_view prefix : {"UTC", "GMT"}) {
    if (text.starts_with(prefix)) text.remove_prefix(prefix.size());
  }
  if (text.empty()) return 0;
  int sign = 1;
  if (text.front() == '+' || text.front() == '-') {
    sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))) return std::nullopt;
  int64_t value = 0;
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    value = value * 10 + (text[digits] - '0');
    if (value > (int64_t{1} << 33)) return std::nullopt;
    ++digits;
  }
  if (value > (int64_t{1} << 31)) value -= int64_t{1} << 32;  // unsigned wrap
  std::string_view rest = text.substr(digits);
  int minutes = 0;
  if (rest.starts_with(':') && rest.size() >= 3) {
    minutes = (rest[1] - '0') * 10 + (rest[2] - '0');
  } else if (digits == 4) {  // "0100"
    minutes = static_cast<int>(value % 100);
    value /= 100;
  }
  if (value < -14 || value > 14) return std::nullopt;
  return sign * static_cast<int>(value * 60 + (value < 0 ? -minutes : minutes));
}

// A local date and time as the logs write it, to UTC with `offset_minutes`.
// The year comes first when the first number has four digits
// ("2026-03-20 10:15:00", "2024/3/5 9:5:7"); else the day does
// ("26/03/2026", "15.08.2026", "27-08-2026") except for '/' dates when
// `slash_month_first` (.NET en-US "3/5/2024 10:15:00 AM"). A first number
// above 12 is always a day and wins over that guess.
Result<TimePoint> LocalDateTime(std::string_view text, bool slash_month_first, int offset_minutes) {
  const auto n = Numbers(text);
  if (n.size() < 6) return Status::Invalid("not a date and time");
  const size_t first_digit = text.find_first_of("0123456789");
  size_t digits_end = first_digit;
  while (digits_end < text.size() && std::isdigit(static_cast<unsigned char>(text[digits_end]))) {
    ++digits_end;
  }
  const char separator = digits_end < text.size() ? text[digits_end] : ' ';
  int64_t year, month, day;
  if (digits_end - first_digit == 4) {
    year = n[0], month = n[1], day = n[2];
  } else {
    year = n[2];
    const bool month_first = separator == '/' && slash_month_first;
    month = month_first ? n[0] : n[1];
    day = month_first ? n[1] : n[0];
    if (month > 12 && day <= 12) std::swap(month, day);
  }
  int64_t hour = n[3];
  const std::string lower = Lower(text);
  if (lower.find("pm") != std::string::npos && hour < 12) hour += 12;
  if (lower.find("am") != std::string::npos && hour == 12) hour = 0;
  return Utc(year, month, day, hour, n[4], n[5], offset_minutes);
}

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};

// The month a date names in words (" Mar "), 1-12, or 0.
int64_t MonthNamed(std::string_view text) {
  const std::string lower = " " + Lower(text) + " ";
  for (size_t m = 0; m < 12; ++m) {
    if (lower.find(" " + std::string(kMonths[m]) + " ") != std::string::npos) return static_cast<int64_t>(m) + 1;
  }
  return 0;
}

// A date with its month in words: C's ctime ("Fri Nov 27 10:01:02 2026",
// Vidar's Date) or JavaScript's ("Tue Mar 05 2024 10:15:00", Raccoon's),
// told apart by where the four-digit year is.
Result<TimePoint> WordMonthDateTime(std::string_view text, int offset_minutes) {
  const int64_t month = MonthNamed(text);
  const auto n = Numbers(text);
  if (month == 0 || n.size() < 5) return Status::Invalid("not a date and time");
  if (n[1] >= 1000) return Utc(n[1], month, n[0], n[2], n[3], n[4], offset_minutes);
  if (n[4] >= 1000) return Utc(n[4], month, n[0], n[1], n[2], n[3], offset_minutes);
  return Status::Invalid("not a date and time");
}

// Lumma's signed time "(sig:1764170553.9f3c...)": seconds since the epoch
// before the dot. Some builds and resellers put other text there: only a
// count of seconds within this century's first decades is taken.
std::optional<int64_t> SignedSeconds(std::string_view time) {
  const size_t sig = time.find("(sig:");
  if (sig == std::string_view::npos) return std::nullopt;
  std::string_view rest = time.substr(sig + 5);
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  if (digits < 9 || digits > 10 || digits >= rest.size() || (rest[digits] != '.' && rest[digits] != ')')) {
    return std::nullopt;
  }
  int64_t seconds = 0;
  for (char c : rest.substr(0, digits)) seconds = seconds * 10 + (c - '0');
  constexpr int64_t kYear2010 = 1262304000, kYear2100 = 4102444800;
  if (seconds < kYear2010 || seconds >= kYear2100) return std::nullopt;
  return seconds;
}

}  // namespace

// Best source first.
std::string InfectionTime(Family family, const std::map<std::string, std::string>& fields,
                          std::string_view folder, std::vector<std::string>& warnings) {
  auto field = [&](const char* key) -> std::string_view {
    auto it = fields.find(key);
    return it == fields.end() ? std::string_view() : std::string_view(it->second);
  };
  auto done = [&](Result<TimePoint> t, std::string_view what) -> std::string {
    if (t.ok()) return FormatTimestamp(*t);
    warnings.push_back("unreadable date in " + std::string(what));
    return "";
  };
  switch (family) {
    case Family::kRedLine:
    case Family::kMeta: {
      // The folder name holds the ISO date with its offset ("[2024-03-05T10_15_00.12+01_00]").
      // (An unpacker may have added " (2)" after the name.)
      const size_t open = folder.rfind('[');
      const size_t close = open == std::string_view::npos ? open : folder.find(']', open);
      if (close != std::string_view::npos && folder.find('T', open) < close) {
        std::string iso(folder.substr(open + 1, close - open - 1));
        std::replace(iso.begin(), iso.end(), '_', ':');
        // Whole seconds are enough, and .NET's seven fraction digits are
        // more than ParseTimestamp takes.
        if (const size_t dot = iso.find('.'); dot != std::string::npos) {
          size_t end = dot + 1;
          while (end < iso.size() && std::isdigit(static_cast<unsigned char>(iso[end]))) ++end;
          iso.erase(dot, end - dot);
        }
        if (auto t = ParseTimestamp(iso); t.ok()) return FormatTimestamp(*t);
      }
      // "Log date:" is the victim's wall time in the panel's culture: M/D/Y
      // with AM/PM (en-US), or D.M.Y (ru-RU), D/M/Y; "TimeZone: (UTC-03:00)
      // Brasilia" gives its offset.
      std::string_view text = field("log date");
      if (text.empty()) return "";
      std::string_view zone = field("timezone");
      const size_t paren = zone.find("(UTC");
      const int offset =
          paren == std::string_view::npos ? 0 : ParseOffset(zone.substr(paren + 1, 9)).value_or(0);
      return done(LocalDateTime(text, true, offset), "Log date");
    }
    case Family::kVidar: {
      // "Date:" is C's ctime ("Fri Nov 27 10:01:02 2026") in most builds,
      // digits in resellers' ("18.05.2026 18:09:16"); "Local Time:" the same
      // wall time in digits. Both are the victim's, at "TimeZone:".
      const int offset = ParseOffset(field("timezone")).value_or(0);
      std::vector<std::string_view> unreadable;
      for (const char* key : {"date", "local time"}) {
        std::string_view text = field(key);
        if (text.empty()) continue;
        Result<TimePoint> t = MonthNamed(text) != 0 ? WordMonthDateTime(text, offset)
                                                    : LocalDateTime(text, false, offset);
        if (t.ok()) return FormatTimestamp(*t);
        unreadable.push_back(key == std::string_view("date") ? "Date" : "Local Time");
      }
      for (std::string_view what : unreadable) warnings.push_back("unreadable date in " + std::string(what));
      return "";
    }
    case Family::kLumma: {
      if (std::optional<int64_t> seconds = SignedSeconds(field("time"))) {
        return FormatTimestamp(TimePoint(std::chrono::seconds(*seconds)));
      }
      std::string_view text = field("local date");
      if (text.empty()) text = field("date");
      if (text.empty()) return "";
      // "Time Zone:" is "UTC+1" or, in some builds, a Windows zone name
      // ("SE Asia Standard Time"), which says no offset: taken as UTC.
      const int offset = ParseOffset(field("time zone")).value_or(0);
      return done(LocalDateTime(text, false, offset), "Local Date");
    }
    case Family::kRaccoon: {
      // "Tue Mar 05 2024 10:15:00 GMT+0100 (Central European Standard Time)"
      std::string_view text = field("last seen");
      if (text.empty()) {
        // v1: "Launched at: 2021.08.13 - 10:15:00 GMT".
        text = field("launched at");
        return text.empty() ? "" : done(LocalDateTime(text, false, 0), "Launched at");
      }
      // Some panels write digits ("15.12.2022 10:15:00"), the day first,
      // with no zone: taken as UTC, as a Lumma zone without an offset is.
      const size_t gmt = text.find("GMT");
      const int offset =
          gmt == std::string_view::npos ? 0 : ParseOffset(text.substr(gmt, 8)).value_or(0);
      const std::string_view wall = text.substr(0, gmt);
      return done(MonthNamed(wall) != 0 ? WordMonthDateTime(wall, offset) : LocalDateTime(wall, false, offset),
                  "Last seen");
    }
    case Family::kStealC: {
      std::string_view text = field("local time");
      if (text.empty()) return "";
      // v1 "2024/3/5 9:5:7", v2 "2026-03-20 10:15:00" or "26/03/2026 10:15:00".
      const int offset = ParseOffset(field("utc")).value_or(0);
      return done(LocalDateTime(text, false, offset), "Local Time");
    }
  }
  return "";
}

}  // namespace accord::stealer::internal
