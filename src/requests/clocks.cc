// Clocks: acknowledgement windows, preservation periods, reminders,
// escalation, and showing an instant in a party's time zone. All arithmetic
// is on UTC instants; zones only change how an instant is written.
#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "requests/requests.h"

namespace accord::requests {
namespace {

using std::chrono::seconds;

std::string Iso(TimePoint t) { return FormatTimestamp(t); }

Result<TimePoint> Parse(const std::string& text, std::string_view column) {
  auto parsed = ParseTimestamp(text);
  if (!parsed.ok()) return parsed.status().WithContext(std::string(column));
  return *parsed;
}

}  // namespace

Result<seconds> ParseDuration(std::string_view text) {
  std::string_view rest = text;
  auto fail = [&] {
    return Status::Invalid("duration '" + std::string(text) +
                           "': expected a number with a unit (90m, 2h, 3d, 2w) or ISO 8601 "
                           "(PT2H, P3D)");
  };
  if (rest.empty()) return fail();
  if (rest.front() == 'P' || rest.front() == 'p') {
    // ISO 8601: PnW, PnD, PTnH, PTnM, PnDTnH... (no years or months: their
    // length varies, and a clock must not).
    rest.remove_prefix(1);
    bool in_time = false;
    int64_t total = 0;
    bool any = false;
    while (!rest.empty()) {
      if (rest.front() == 'T' || rest.front() == 't') {
        in_time = true;
        rest.remove_prefix(1);
        continue;
      }
      int64_t value = 0;
      auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
      if (ec != std::errc() || end == rest.data() + rest.size() || value < 0) return fail();
      const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(*end)));
      int64_t scale = 0;
      if (!in_time && unit == 'W') scale = 7 * 86400;
      if (!in_time && unit == 'D') scale = 86400;
      if (in_time && unit == 'H') scale = 3600;
      if (in_time && unit == 'M') scale = 60;
      if (in_time && unit == 'S') scale = 1;
      if (scale == 0 || value > (int64_t{1} << 40) / scale) return fail();
      total += value * scale;
      any = true;
      rest.remove_prefix(static_cast<size_t>(end - rest.data()) + 1);
    }
    if (!any) return fail();
    return seconds(total);
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (ec != std::errc() || value < 0 || static_cast<size_t>(end - rest.data()) + 1 != rest.size()) {
    return fail();
  }
  int64_t scale = 0;
  switch (*end) {
    case 's': scale = 1; break;
    case 'm': scale = 60; break;
    case 'h': scale = 3600; break;
    case 'd': scale = 86400; break;
    case 'w': scale = 7 * 86400; break;
    default: return fail();
  }
  if (value > (int64_t{1} << 40) / scale) return fail();
  return seconds(value * scale);
}

std::string FormatDuration(seconds duration) {
  const int64_t s = duration.count();
  if (s != 0 && s % (7 * 86400) == 0) return std::to_string(s / (7 * 86400)) + "w";
  if (s != 0 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

std::string ClockPolicyJson(const ClockPolicy& policy) {
  nlohmann::json reminders = nlohmann::json::array();
  for (seconds lead : policy.reminders) reminders.push_back(FormatDuration(lead));
  return nlohmann::json{
      {"ack", {{"emergency", FormatDuration(policy.ack_emergency)},
               {"urgent", FormatDuration(policy.ack_urgent)},
               {"normal", FormatDuration(policy.ack_normal)}}},
      {"preservation_period", FormatDuration(policy.preservation_period)},
      {"reminders", std::move(reminders)}}
      .dump();
}

Result<ClockPolicy> ParseClockPolicy(std::string_view json) {
  auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_object()) return Status::Invalid("clock policy: not a JSON object");
  ClockPolicy policy;
  auto duration_at = [](const nlohmann::json& value, std::string_view field) -> Result<seconds> {
    if (!value.is_string()) return Status::Invalid(std::string(field) + ": not a duration text");
    auto duration = ParseDuration(value.get<std::string>());
    if (!duration.ok()) return duration.status().WithContext(std::string(field));
    if (duration->count() <= 0) return Status::Invalid(std::string(field) + ": must be positive");
    return *duration;
  };
  if (parsed.contains("ack")) {
    const auto& ack = parsed["ack"];
    if (!ack.is_object()) return Status::Invalid("ack: not an object");
    if (ack.contains("emergency")) {
      ASSIGN_OR_RETURN(policy.ack_emergency, duration_at(ack["emergency"], "ack.emergency"));
    }
    if (ack.contains("urgent")) {
      ASSIGN_OR_RETURN(policy.ack_urgent, duration_at(ack["urgent"], "ack.urgent"));
    }
    if (ack.contains("normal")) {
      ASSIGN_OR_RETURN(policy.ack_normal, duration_at(ack["normal"], "ack.normal"));
    }
  }
  if (parsed.contains("preservation_period")) {
    ASSIGN_OR_RETURN(seconds period,
                     duration_at(parsed["preservation_period"], "preservation_period"));
    if (period < std::chrono::days(60)) {
      return Status::Invalid(
          "preservation_period: Art. 29(7) asks for not less than sixty days (60d)");
    }
    policy.preservation_period = std::chrono::floor<std::chrono::days>(period);
  }
  if (parsed.contains("reminders")) {
    if (!parsed["reminders"].is_array()) return Status::Invalid("reminders: not a list");
    policy.reminders.clear();
    for (const auto& lead : parsed["reminders"]) {
      ASSIGN_OR_RETURN(seconds value, duration_at(lead, "reminders"));
      policy.reminders.push_back(value);
    }
    std::sort(policy.reminders.rbegin(), policy.reminders.rend());
  }
  return policy;
}

seconds AckWindow(const ClockPolicy& policy, Urgency urgency) {
  switch (urgency) {
    case Urgency::kEmergency: return policy.ack_emergency;
    case Urgency::kUrgent: return policy.ack_urgent;
    case Urgency::kNormal: return policy.ack_normal;
  }
  return policy.ack_normal;
}

Result<TimePoint> PreservationUntil(const ClockPolicy& policy, TimePoint now,
                                    std::optional<TimePoint> requested) {
  const TimePoint minimum = now + policy.preservation_period;
  if (!requested) return minimum;
  if (*requested < minimum) {
    return Status::Invalid("preserved_until: " + Iso(*requested) + " is less than " +
                           std::to_string(policy.preservation_period.count()) +
                           " days away; Art. 29(7) asks for at least that (earliest " +
                           Iso(minimum) + ")");
  }
  return *requested;
}

Result<TimePoint> ExtendedUntil(const ClockPolicy& policy, TimePoint current, TimePoint now,
                                std::optional<TimePoint> requested) {
  if (current <= now) {
    return Status::FailedPrecondition("the preservation lapsed at " + Iso(current) +
                                      "; the data may no longer be held: send a new preservation request");
  }
  if (!requested) return current + policy.preservation_period;
  if (*requested <= current) {
    return Status::Invalid("preserved_until: " + Iso(*requested) +
                           " does not extend the preservation, which already runs until " +
                           Iso(current));
  }
  return *requested;
}

std::optional<Deadline> NextDeadline(const RequestRow& request) {
  if (request.state == "sent" && !request.ack_due.empty()) {
    auto due = ParseTimestamp(request.ack_due);
    if (due.ok()) return Deadline{"acknowledgement", *due};
  }
  if ((request.state == "executed" || request.state == "extended") &&
      !request.preserved_until.empty()) {
    auto due = ParseTimestamp(request.preserved_until);
    if (due.ok()) return Deadline{"preservation", *due};
  }
  return std::nullopt;
}

bool PreservationLapsed(const RequestRow& request, TimePoint now) {
  if (request.preserved_until.empty()) return false;
  auto until = ParseTimestamp(request.preserved_until);
  return until.ok() && *until <= now;
}

std::vector<RequestNotice> DueNotices(const RequestRow& request, const ClockPolicy& policy,
                                      const NoticeContext& contacts, TimePoint now) {
  std::vector<RequestNotice> notices;
  auto add = [&](std::string kind, std::string key, int64_t org_id, std::string addressee,
                 std::string message) {
    RequestNotice notice;
    notice.request_id = request.id;
    notice.kind = std::move(kind);
    notice.key = std::move(key);
    notice.created = Iso(now);
    notice.org_id = org_id;
    notice.addressee = std::move(addressee);
    notice.message = std::move(message);
    notices.push_back(std::move(notice));
  };
  if (request.state == "sent" && !request.ack_due.empty()) {
    auto due = Parse(request.ack_due, "ack_due");
    if (due.ok() && now >= *due) {
      const std::string key = "escalation:ack:" + request.ack_due;
      const std::string message = "acknowledgement of " + request.reference + " (" +
                                  request.urgency + ") was due at " + request.ack_due +
                                  " and has not come";
      // The record says who was told: it is read later as evidence of what
      // the parties knew, so it never claims a backup the directory lacks.
      if (!contacts.recipient_backup.empty()) {
        add("escalation", key, request.to_org_id, contacts.recipient_backup,
            message + "; escalated to the backup contact");
        add("escalation", key, request.from_org_id, contacts.requester_contact,
            message + "; the requested party's backup contact was alerted");
      } else if (contacts.recipient_has_desk) {
        add("escalation", key, request.to_org_id, contacts.recipient_contact,
            message + "; no backup contact is registered, so the 24/7 desk is alerted again");
        add("escalation", key, request.from_org_id, contacts.requester_contact,
            message + "; the requested party registered no backup contact, so its 24/7 desk was alerted again");
      } else {
        add("escalation", key, request.to_org_id, contacts.recipient_contact,
            message + "; no 24/7 point of contact is registered to alert, so this notice waits in the inbox");
        add("escalation", key, request.from_org_id, contacts.requester_contact,
            message + "; the requested party registered no 24/7 point of contact: nobody there could be alerted");
      }
    }
  }
  if ((request.state == "executed" || request.state == "extended") &&
      !request.preserved_until.empty()) {
    auto until = Parse(request.preserved_until, "preserved_until");
    if (!until.ok()) return notices;
    if (now >= *until) {
      const std::string message = "preservation under " + request.reference + " expired at " +
                                  request.preserved_until;
      add("expired", "expired:" + request.preserved_until, request.from_org_id,
          contacts.requester_contact, message);
      add("expired", "expired:" + request.preserved_until, request.to_org_id,
          contacts.recipient_contact, message);
      return notices;
    }
    // The nearest lead already reached: a clock checked rarely raises one
    // reminder, not every one it slept through.
    std::optional<seconds> lead;
    for (seconds candidate : policy.reminders) {
      if (now >= *until - candidate && (!lead || candidate < *lead)) lead = candidate;
    }
    if (lead) {
      const std::string key = "reminder:" + request.preserved_until + ":" + FormatDuration(*lead);
      const std::string message = "preservation under " + request.reference + " expires at " +
                                  request.preserved_until + " (in less than " +
                                  FormatDuration(*lead) + "); extend it or close the request";
      add("reminder", key, request.from_org_id, contacts.requester_contact, message);
      add("reminder", key, request.to_org_id, contacts.recipient_contact, message);
    }
  }
  return notices;
}

Status ValidateTimeZone(std::string_view zone) {
  if (zone.empty()) return Status::Invalid("time zone: empty (an IANA name, e.g. Europe/Berlin)");
  try {
    date::locate_zone(zone);
  } catch (const std::runtime_error&) {
    return Status::Invalid("time zone '" + std::string(zone) +
                           "': not an IANA time zone name (e.g. Europe/Berlin, UTC)");
  }
  return Status::Ok();
}

Result<std::string> FormatInZone(TimePoint t, std::string_view zone) {
  RETURN_IF_ERROR(ValidateTimeZone(zone));
  // date throws on an unknown zone (checked above) and nothing else here.
  const auto zoned = date::make_zoned(date::locate_zone(zone), std::chrono::floor<seconds>(t));
  return date::format("%Y-%m-%d %H:%M %Z (UTC%Ez)", zoned);
}

}  // namespace accord::requests
