// Request types, their legal fields and the state machine.
#include <algorithm>
#include <array>
#include <cctype>

#include "requests/requests.h"

namespace accord::requests {
namespace {

constexpr std::array<std::string_view, 5> kTypeNames = {
    "preservation", "traffic-disclosure", "subscriber-info", "emergency-disclosure", "assistance"};
constexpr std::array<std::string_view, 9> kStateNames = {
    "draft",    "sent",     "acknowledged", "in-progress", "executed",
    "extended", "closed",   "refused",      "withdrawn"};
constexpr std::array<std::string_view, 3> kUrgencyNames = {"emergency", "urgent", "normal"};
constexpr std::array<std::string_view, 8> kActionNames = {"send",   "ack",   "start",  "execute",
                                                          "extend", "close", "refuse", "withdraw"};
constexpr std::array<RequestType, 5> kTypes = {
    RequestType::kPreservation, RequestType::kTrafficDisclosure, RequestType::kSubscriberInfo,
    RequestType::kEmergencyDisclosure, RequestType::kAssistance};
constexpr std::array<Action, 8> kActions = {Action::kSend,   Action::kAck,   Action::kStart,
                                            Action::kExecute, Action::kExtend, Action::kClose,
                                            Action::kRefuse, Action::kWithdraw};

constexpr FieldSpec kCaseReference{"case_reference", "The requesting party's case reference", "",
                                   false};

constexpr FieldSpec kPreservationFields[] = {
    {"requesting_authority", "Authority seeking the preservation", "Budapest Art. 29(2)(a)", true},
    {"offence", "Offence that is the subject of the investigation", "Budapest Art. 29(2)(b)", true},
    {"facts", "Brief summary of the related facts", "Budapest Art. 29(2)(b)", true},
    {"data_sought", "Stored computer data to be preserved", "Budapest Art. 29(2)(c)", true},
    {"relation_to_offence", "Relationship of the data to the offence", "Budapest Art. 29(2)(c)",
     true},
    {"custodian_location",
     "Custodian of the stored data or location of the computer system (as far as known)",
     "Budapest Art. 29(2)(d)", true},
    {"necessity", "Necessity of the preservation", "Budapest Art. 29(2)(e)", true},
    {"mla_intent", "Intent to submit a mutual-assistance request for the data (yes)",
     "Budapest Art. 29(2)(f)", true},
    kCaseReference,
};

constexpr FieldSpec kTrafficDisclosureFields[] = {
    {"requesting_authority", "Authority seeking the disclosure", "Budapest Art. 30(1)", true},
    {"preservation_reference", "The preservation request (Art. 29) this follows",
     "Budapest Art. 30(1)", true},
    {"offence", "Offence that is the subject of the investigation", "Budapest Art. 29(2)(b)", true},
    {"facts", "Brief summary of the related facts", "Budapest Art. 29(2)(b)", true},
    {"communication", "The specific communication (time with zone, source, destination)",
     "Budapest Art. 30(1)", true},
    {"data_sought", "Traffic data sought to identify the service providers and the path",
     "Budapest Art. 30(1)", true},
    kCaseReference,
};

constexpr FieldSpec kSubscriberInfoFields[] = {
    {"requesting_authority", "Authority seeking the information", "Budapest Art. 18(3)", true},
    {"offence", "Offence that is the subject of the investigation", "", true},
    {"facts", "Brief summary of the related facts", "", true},
    {"identifiers", "Identifiers (IP address with timestamp and time zone, account, number)",
     "Budapest Art. 18(3)", true},
    {"service_provider", "Service provider holding the information", "Budapest Art. 18(1)(b)",
     true},
    {"legal_basis", "Legal basis of the request in the requesting party", "", true},
    kCaseReference,
};

constexpr FieldSpec kEmergencyFields[] = {
    {"requesting_authority", "Authority seeking the disclosure",
     "Second Additional Protocol Art. 9(3)", true},
    {"emergency", "The significant and imminent risk to the life or safety of a person",
     "Second Additional Protocol Art. 3(2)(c), 9(1)", true},
    {"facts", "Summary of the facts", "Second Additional Protocol Art. 9(3)", true},
    {"data_sought", "Stored computer data sought", "Second Additional Protocol Art. 9(3)", true},
    {"custodian_location", "Service provider or location of the data",
     "Second Additional Protocol Art. 9(3)", true},
    kCaseReference,
};

constexpr FieldSpec kAssistanceFields[] = {
    {"requesting_authority", "Authority seeking assistance", "Budapest Art. 35(1)", true},
    {"facts", "Summary of the facts", "", true},
    {"assistance_sought", "The assistance sought", "Budapest Art. 35(1)", true},
    {"offence", "Offence concerned, if any", "", false},
    kCaseReference,
};

constexpr size_t kMaxFieldBytes = 64 * 1024;

bool Blank(std::string_view value) {
  return std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

// Errors name the field first ("urgency: unknown urgency 'asap' (one of:
// ...)"), as every other refusal of a request's input does.
template <typename Enum, size_t N>
Result<Enum> ParseName(const std::array<std::string_view, N>& names, std::string_view text,
                       std::string_view field, std::string_view what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  std::string known;
  for (std::string_view name : names) known += (known.empty() ? "" : ", ") + std::string(name);
  return Status::Invalid(std::string(field) + ": unknown " + std::string(what) + " '" + std::string(text) +
                         "' (one of: " + known + ")");
}

struct Rule {
  Action action;
  std::array<State, 4> from;
  size_t from_count;
  State to;
  std::optional<Side> side;  // nullopt: either party
};

constexpr Rule kRules[] = {
    {Action::kSend, {State::kDraft}, 1, State::kSent, Side::kRequester},
    {Action::kAck, {State::kSent}, 1, State::kAcknowledged, Side::kRecipient},
    {Action::kStart, {State::kAcknowledged}, 1, State::kInProgress, Side::kRecipient},
    {Action::kExecute, {State::kAcknowledged, State::kInProgress}, 2, State::kExecuted,
     Side::kRecipient},
    {Action::kExtend, {State::kExecuted, State::kExtended}, 2, State::kExtended, std::nullopt},
    {Action::kClose, {State::kExecuted, State::kExtended}, 2, State::kClosed, std::nullopt},
    {Action::kRefuse, {State::kSent, State::kAcknowledged, State::kInProgress}, 3, State::kRefused,
     Side::kRecipient},
    {Action::kWithdraw, {State::kDraft, State::kSent, State::kAcknowledged, State::kInProgress}, 4,
     State::kWithdrawn, Side::kRequester},
};

const Rule& RuleFor(Action action) { return kRules[static_cast<size_t>(action)]; }

bool FromAllowed(const Rule& rule, State from) {
  return std::find(rule.from.begin(), rule.from.begin() + rule.from_count, from) !=
         rule.from.begin() + rule.from_count;
}

}  // namespace

std::string_view Name(RequestType type) { return kTypeNames[static_cast<size_t>(type)]; }
std::string_view Name(State state) { return kStateNames[static_cast<size_t>(state)]; }
std::string_view Name(Urgency urgency) { return kUrgencyNames[static_cast<size_t>(urgency)]; }
std::string_view Name(Action action) { return kActionNames[static_cast<size_t>(action)]; }
std::span<const RequestType> AllTypes() { return kTypes; }
std::span<const Action> AllActions() { return kActions; }

Result<RequestType> ParseType(std::string_view text) {
  return ParseName<RequestType>(kTypeNames, text, "type", "request type");
}
Result<State> ParseState(std::string_view text) {
  return ParseName<State>(kStateNames, text, "state", "state");
}
Result<Urgency> ParseUrgency(std::string_view text) {
  return ParseName<Urgency>(kUrgencyNames, text, "urgency", "urgency");
}
Result<Action> ParseAction(std::string_view text) {
  return ParseName<Action>(kActionNames, text, "action", "action");
}

std::string_view Describe(RequestType type) {
  switch (type) {
    case RequestType::kPreservation:
      return "Expedited preservation of stored computer data (Budapest Art. 29)";
    case RequestType::kTrafficDisclosure:
      return "Expedited disclosure of preserved traffic data (Budapest Art. 30)";
    case RequestType::kSubscriberInfo:
      return "Subscriber information";
    case RequestType::kEmergencyDisclosure:
      return "Emergency disclosure: imminent risk to life or safety";
    case RequestType::kAssistance:
      return "General assistance (Budapest Art. 35)";
  }
  return "";
}

Urgency DefaultUrgency(RequestType type) {
  switch (type) {
    case RequestType::kEmergencyDisclosure:
      return Urgency::kEmergency;
    case RequestType::kPreservation:
    case RequestType::kTrafficDisclosure:
      return Urgency::kUrgent;
    default:
      return Urgency::kNormal;
  }
}

std::span<const FieldSpec> FieldsOf(RequestType type) {
  switch (type) {
    case RequestType::kPreservation:
      return kPreservationFields;
    case RequestType::kTrafficDisclosure:
      return kTrafficDisclosureFields;
    case RequestType::kSubscriberInfo:
      return kSubscriberInfoFields;
    case RequestType::kEmergencyDisclosure:
      return kEmergencyFields;
    case RequestType::kAssistance:
      return kAssistanceFields;
  }
  return {};
}

bool AffirmsIntent(std::string_view value) {
  std::string lower;
  for (char c : value) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return lower == "yes" || lower == "true";
}

std::vector<FieldSpec> MissingFields(RequestType type, const Fields& fields) {
  std::vector<FieldSpec> missing;
  for (const FieldSpec& spec : FieldsOf(type)) {
    if (!spec.required) continue;
    auto it = fields.find(spec.name);
    const bool absent = it == fields.end() || Blank(it->second);
    const bool no_intent = !absent && spec.name == "mla_intent" && !AffirmsIntent(it->second);
    if (absent || no_intent) missing.push_back(spec);
  }
  return missing;
}

Status CheckFields(RequestType type, const Fields& fields) {
  for (const auto& field : fields) {
    const std::string& name = field.first;
    const std::string& value = field.second;
    auto specs = FieldsOf(type);
    bool known = std::any_of(specs.begin(), specs.end(),
                             [&](const FieldSpec& spec) { return spec.name == name; });
    if (!known) {
      std::string names;
      for (const FieldSpec& spec : specs) names += (names.empty() ? "" : ", ") + std::string(spec.name);
      return Status::Invalid("field '" + name + "': not a field of a " +
                             std::string(Name(type)) + " request (its fields: " + names + ")");
    }
    if (value.size() > kMaxFieldBytes) {
      return Status::Invalid("field '" + name + "': longer than 64 KiB; attach a file instead");
    }
  }
  return Status::Ok();
}

Status CheckSendable(RequestType type, const Fields& fields) {
  RETURN_IF_ERROR(CheckFields(type, fields));
  auto missing = MissingFields(type, fields);
  if (missing.empty()) return Status::Ok();
  const FieldSpec& first = missing.front();
  std::string message = "field '" + std::string(first.name) + "' is required to send a " +
                        std::string(Name(type)) + " request: " + std::string(first.label);
  if (!first.basis.empty()) message += " (" + std::string(first.basis) + ")";
  if (first.name == "mla_intent") message += "; it must say yes";
  if (missing.size() > 1) {
    message += "; also missing:";
    for (size_t i = 1; i < missing.size(); ++i) message += " " + std::string(missing[i].name);
  }
  return Status::Invalid(std::move(message));
}

Result<State> NextState(RequestType type, State from, Action action, Side side,
                        bool preservation_lapsed) {
  const Rule& rule = RuleFor(action);
  if (action == Action::kExtend && type != RequestType::kPreservation) {
    const std::string name(Name(type));
    const bool vowel = !name.empty() && std::string_view("aeiou").find(name.front()) != std::string_view::npos;
    return Status::FailedPrecondition("only a preservation can be extended; this is " +
                                      std::string(vowel ? "an " : "a ") + name + " request");
  }
  if (!FromAllowed(rule, from)) {
    std::string allowed;
    for (Action other : AllowedActions(type, from, Side::kRequester, preservation_lapsed)) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(Name(other)) + " (requester)";
    }
    for (Action other : AllowedActions(type, from, Side::kRecipient, preservation_lapsed)) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(Name(other)) + " (requested party)";
    }
    return Status::FailedPrecondition(
        "cannot " + std::string(Name(action)) + " a request that is " + std::string(Name(from)) +
        (allowed.empty() ? "; nothing more can happen to it" : "; allowed now: " + allowed));
  }
  if (rule.side && *rule.side != side) {
    return Status::PermissionDenied(
        "only the " +
        std::string(*rule.side == Side::kRequester ? "requesting" : "requested") +
        " party may " + std::string(Name(action)) + " this request");
  }
  return rule.to;
}

std::vector<Action> AllowedActions(RequestType type, State state, Side side,
                                   bool preservation_lapsed) {
  std::vector<Action> allowed;
  for (const Rule& rule : kRules) {
    if (!FromAllowed(rule, state)) continue;
    if (rule.side && *rule.side != side) continue;
    if (rule.action == Action::kExtend && (type != RequestType::kPreservation || preservation_lapsed)) {
      continue;
    }
    allowed.push_back(rule.action);
  }
  return allowed;
}

bool ReasonRequired(Action action) {
  return action == Action::kRefuse || action == Action::kWithdraw || action == Action::kClose;
}

bool IsTerminal(State state) {
  return state == State::kClosed || state == State::kRefused || state == State::kWithdrawn;
}

}  // namespace accord::requests
