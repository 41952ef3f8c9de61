#include "core/time.h"

#include <fmt/format.h>

#include <charconv>

namespace accord {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `width` digits at `pos`.
bool Digits(std::string_view s, size_t& pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  int value = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  pos += width;
  return true;
}

Status Bad(std::string_view text, std::string_view why) {
  return Status::Invalid(fmt::format("bad timestamp '{}': {}", text.substr(0, 64), why));
}

}  // namespace

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<microseconds>(std::chrono::system_clock::now());
}

Result<TimePoint> ParseTimestamp(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return Bad(text, "empty");

  bool all_digits = true;
  for (char c : text) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits && text.size() >= 9 && text.size() <= 11) {
    int64_t epoch = 0;
    std::from_chars(text.data(), text.data() + text.size(), epoch);
    return TimePoint(seconds(epoch));
  }

  size_t pos = 0;
  int year = 0, month = 0, day = 0;
  if (!Digits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !Digits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !Digits(text, pos, 2, day)) {
    return Bad(text, "expected YYYY-MM-DD");
  }
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok()) return Bad(text, "no such date");
  TimePoint result = std::chrono::sys_days(ymd);
  if (pos == text.size()) return result;

  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') {
    return Bad(text, "expected 'T' after the date");
  }
  ++pos;
  int hour = 0, minute = 0, second = 0;
  if (!Digits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
      !Digits(text, pos, 2, minute)) {
    return Bad(text, "expected HH:MM");
  }
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!Digits(text, pos, 2, second)) return Bad(text, "expected seconds");
  }
  // 60 is allowed for leap seconds and folded into the next minute.
  if (hour > 23 || minute > 59 || second > 60) return Bad(text, "time out of range");
  int64_t micros = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    int64_t scale = 100000;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (scale > 0) micros += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return Bad(text, "empty fraction of a second");
  }
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    char z = text[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
    } else if (z == '+' || z == '-') {
      ++pos;
      int oh = 0, om = 0;
      if (!Digits(text, pos, 2, oh)) return Bad(text, "bad UTC offset");
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (!Digits(text, pos, 2, om)) return Bad(text, "bad UTC offset");
      if (oh > 23 || om > 59) return Bad(text, "UTC offset out of range");
      offset_minutes = (oh * 60 + om) * (z == '+' ? 1 : -1);
    } else {
      return Bad(text, "unexpected text after the time");
    }
  }
  if (pos != text.size()) return Bad(text, "unexpected text after the time zone");
  result += hours(hour) + minutes(minute) + seconds(second) + microseconds(micros);
  result -= minutes(offset_minutes);
  return result;
}

std::string FormatMicros(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day date{day};
  const hh_mm_ss<microseconds> time{t - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()),
                static_cast<long long>(time.subseconds().count()));
  return text;
}

std::string FormatTimestamp(TimePoint t) {
  auto day_point = std::chrono::floor<days>(t);
  std::chrono::year_month_day ymd{day_point};
  auto since_midnight = t - day_point;
  auto h = std::chrono::duration_cast<hours>(since_midnight);
  auto m = std::chrono::duration_cast<minutes>(since_midnight - h);
  auto s = std::chrono::duration_cast<seconds>(since_midnight - h - m);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since_midnight - h - m - s);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     h.count(), m.count(), s.count(), ms.count());
}

Result<std::string> NormalizeTimestamp(std::string_view text) {
  if (text.empty()) return std::string();
  auto parsed = ParseTimestamp(text);
  if (!parsed.ok()) return parsed.status();
  // A far-future end written with an offset ("9999-12-31T23:59:59-01:00")
  // falls after year 9999 in UTC. The text form has four-digit years, and
  // stored instants are compared as text (where "10000-..." would sort
  // before today): it is held as the last instant the form can say.
  constexpr std::string_view kLastInstant = "9999-12-31T23:59:59.999Z";
  std::string normalized = FormatTimestamp(*parsed);
  if (normalized.size() > kLastInstant.size()) return std::string(kLastInstant);
  return normalized;
}

}  // namespace accord
