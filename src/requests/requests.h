// The 24/7 network's rules: the request types and the legal fields each one
// needs, the state machine, and the clocks (acknowledgement due times,
// preservation periods, reminders), with no storage in sight so every rule is
// tested on its own. request_ops.h applies them to the store.
//
// Budapest Convention Art. 29 (expedited preservation) names what a
// preservation request must say; Art. 30 (expedited disclosure of preserved
// traffic data) and Art. 35 (the 24/7 network) frame the rest. The 2024 UN
// Convention against Cybercrime repeats them (Art. 42, 43, 41).
//
// Clocks are UTC instants; FormatInZone shows one in a party's IANA zone.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/network_rows.h"

namespace accord::requests {

enum class RequestType {
  kPreservation,         // Art. 29
  kTrafficDisclosure,    // Art. 30
  kSubscriberInfo,
  kEmergencyDisclosure,  // threat to life or safety
  kAssistance,           // general assistance
};
enum class State {
  kDraft, kSent, kAcknowledged, kInProgress, kExecuted, kExtended, kClosed, kRefused, kWithdrawn,
};
enum class Urgency { kEmergency, kUrgent, kNormal };
enum class Action { kSend, kAck, kStart, kExecute, kExtend, kClose, kRefuse, kWithdraw };
// Which party acts: the requesting organisation or the requested one.
enum class Side { kRequester, kRecipient };

// Wire names: "preservation", "traffic-disclosure", "subscriber-info",
// "emergency-disclosure", "assistance"; states "draft" ... "in-progress" ...;
// urgencies "emergency", "urgent", "normal"; actions "send", "ack", ...
std::string_view Name(RequestType type);
std::string_view Name(State state);
std::string_view Name(Urgency urgency);
std::string_view Name(Action action);
std::span<const RequestType> AllTypes();
std::span<const Action> AllActions();
Result<RequestType> ParseType(std::string_view text);
Result<State> ParseState(std::string_view text);
Result<Urgency> ParseUrgency(std::string_view text);
Result<Action> ParseAction(std::string_view text);
std::string_view Describe(RequestType type);  // "Expedited preservation of stored data (Art. 29)"
// The urgency a new request of this type gets when none is given (an
// emergency disclosure is always an emergency).
Urgency DefaultUrgency(RequestType type);

// One field of a request: its wire name, what a person reads, and the legal
// text that asks for it.
struct FieldSpec {
  std::string_view name;
  std::string_view label;
  std::string_view basis;  // e.g. "Budapest Art. 29(2)(e)"; empty when practice, not law
  bool required = true;
};
using Fields = std::map<std::string, std::string, std::less<>>;

std::span<const FieldSpec> FieldsOf(RequestType type);
// The required fields that are absent or blank, in the order FieldsOf lists.
std::vector<FieldSpec> MissingFields(RequestType type, const Fields& fields);
// Fields a request of this type may carry: unknown names and values over
// 64 KiB are kInvalidArgument naming the field. Missing ones are allowed (a
// draft is incomplete); CheckSendable refuses them.
Status CheckFields(RequestType type, const Fields& fields);
// kInvalidArgument naming the first missing required field and its legal
// basis: a request missing one cannot be sent.
Status CheckSendable(RequestType type, const Fields& fields);
// Preservation needs the requesting party's stated intent to follow with a
// mutual-assistance request (Art. 29(2)(f)): "yes" or "true", nothing else.
bool AffirmsIntent(std::string_view value);

// The state machine. kFailedPrecondition names the state and what is allowed
// from it; kPermissionDenied when the other party must do it. A lapsed
// preservation (its preserved-until passed) is not extended (ExtendedUntil
// says why), so no message or menu offers that.
Result<State> NextState(RequestType type, State from, Action action, Side side,
                        bool preservation_lapsed = false);
// What `side` may do now, for menus and error messages.
std::vector<Action> AllowedActions(RequestType type, State state, Side side,
                                   bool preservation_lapsed = false);
// Refusal needs grounds, and withdrawal and closing a reason (what ended
// the request: the record must say); other actions take one optionally.
bool ReasonRequired(Action action);
bool IsTerminal(State state);

// Clock settings for the node, stored in its metadata as JSON.
struct ClockPolicy {
  std::chrono::seconds ack_emergency = std::chrono::hours(2);
  std::chrono::seconds ack_urgent = std::chrono::hours(24);
  std::chrono::seconds ack_normal = std::chrono::hours(72);
  // Art. 29(7): preserved for not less than sixty days, renewable.
  std::chrono::days preservation_period{60};
  // Reminders this long before a preservation expires, each raised once.
  std::vector<std::chrono::seconds> reminders = {std::chrono::days(14), std::chrono::days(3),
                                                 std::chrono::days(1)};
};
std::string ClockPolicyJson(const ClockPolicy& policy);
// Durations are "2h", "90m", "3d", "2w" or ISO 8601 ("PT2H", "P3D").
Result<ClockPolicy> ParseClockPolicy(std::string_view json);
Result<std::chrono::seconds> ParseDuration(std::string_view text);
std::string FormatDuration(std::chrono::seconds duration);  // "2h", "3d", "90m"
std::chrono::seconds AckWindow(const ClockPolicy& policy, Urgency urgency);

// Until when data is preserved once a preservation is executed at `now`:
// `requested` if given (it must be at least the policy's period away), else
// now + the period.
Result<TimePoint> PreservationUntil(const ClockPolicy& policy, TimePoint now,
                                    std::optional<TimePoint> requested);
// A renewal before `current` passes: `requested` if given (it must be
// later than `current`), else one more period counted from `current`. A
// lapsed preservation is kFailedPrecondition: the custodian may already
// have let the data go, so only a new request can ask for it again.
Result<TimePoint> ExtendedUntil(const ClockPolicy& policy, TimePoint current, TimePoint now,
                                std::optional<TimePoint> requested);

// The clock that matters now: acknowledgement for a sent request, expiry of
// the preservation for an executed or extended one.
struct Deadline {
  std::string_view kind;  // "acknowledgement" or "preservation"
  TimePoint due;
};
std::optional<Deadline> NextDeadline(const RequestRow& request);
// Whether the request preserved data until a time that has passed at `now`.
bool PreservationLapsed(const RequestRow& request, TimePoint now);

// The reminders, escalations and expiry notices due at `now` for one request
// (keys make each happen once; the store drops repeats). `backup` names who
// an escalation goes to: the requested party's backup contact.
struct NoticeContext {
  std::string requester_contact;
  std::string recipient_contact;
  std::string recipient_backup;  // empty: none that can be alerted
  // Whether the requested organisation registered a 24/7 point of contact;
  // without one, recipient_contact is the organisation itself.
  bool recipient_has_desk = true;
};
std::vector<RequestNotice> DueNotices(const RequestRow& request, const ClockPolicy& policy,
                                      const NoticeContext& contacts, TimePoint now);

// Time zones (IANA names from the system's tzdata).
Status ValidateTimeZone(std::string_view zone);
// "2026-03-29 14:00 CEST (UTC+02:00)"; kInvalidArgument for an unknown zone.
Result<std::string> FormatInZone(TimePoint t, std::string_view zone);

}  // namespace accord::requests
