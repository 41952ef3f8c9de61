// Request writes: create, edit a draft, act (the state machine), notes,
// links, attachments, and running the clocks (the policy: clock_policy_ops.cc).
#include "requests/request_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>
#include <string_view>

#include "core/crypto.h"
#include "core/observable.h"

namespace accord::requests {
namespace {

constexpr size_t kMaxAttachmentBytes = 32 * 1024 * 1024;
constexpr size_t kMaxNoteBytes = 64 * 1024;

RequestHistoryRow MakeHistory(const Actor& actor, TimePoint now, std::string action,
                              std::string from_state, std::string to_state, std::string reason,
                              const nlohmann::json& detail) {
  RequestHistoryRow history;
  history.time = FormatTimestamp(now);
  history.actor = actor.name;
  history.actor_org_id = actor.principal.org_id;
  history.action = std::move(action);
  history.from_state = std::move(from_state);
  history.to_state = std::move(to_state);
  history.reason = std::move(reason);
  history.detail = detail.is_null() ? "{}" : detail.dump();
  return history;
}

RequestParties PartiesOf(const RequestRow& row) {
  return {row.from_org_id, row.to_org_id, NeverSent(row)};
}

// The request as the actor may change it: kNotFound when it may not even see
// it, kPermissionDenied when it may see but not act.
Result<RequestRow> RequestToChange(Store& store, const Actor& actor, const std::string& handle,
                                   int64_t expected_version) {
  ASSIGN_OR_RETURN(RequestRow row, GetRequest(store, actor.principal, handle));
  if (!MayActOnRequest(actor.principal, PartiesOf(row))) {
    return Status::PermissionDenied(
        "only a party's admin, analyst or poc may change request " + row.reference +
        "; this key's organisation or role does not speak for either party");
  }
  if (expected_version != 0 && expected_version != row.version) {
    return Status::FailedPrecondition(fmt::format(
        "request {} is at version {}, not {}: someone changed it since you read it; reload it",
        row.reference, row.version, expected_version));
  }
  return row;
}

// A closed, refused or withdrawn request's record is final: what a party
// hands over or notes after it (chain of custody) belongs to a new request.
Result<RequestRow> OpenRequestToChange(Store& store, const Actor& actor, const std::string& handle,
                                       std::string_view what) {
  ASSIGN_OR_RETURN(RequestRow row, RequestToChange(store, actor, handle, 0));
  ASSIGN_OR_RETURN(State state, ParseState(row.state));
  if (IsTerminal(state)) {
    return Status::FailedPrecondition(fmt::format(
        "request {} is {}: its record is final and takes no more {}; send a new request to continue",
        row.reference, row.state, what));
  }
  return row;
}

// A media type as RFC 6838 and RFC 9110 spell one ("type/subtype", then
// `; name=value` parameters, the value a token or a quoted string): what
// the API serves the attachment back as, in a header.
bool IsMediaType(std::string_view media_type) {
  if (media_type.size() > 255) return false;
  // Visible ASCII and tabs only: it goes back in a header.
  if (std::any_of(media_type.begin(), media_type.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && byte != '\t') || byte >= 0x7f;
      })) {
    return false;
  }
  auto is_tchar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  };
  size_t at = 0;
  auto token = [&](std::string_view& out) {
    const size_t start = at;
    while (at < media_type.size() && is_tchar(media_type[at])) ++at;
    out = media_type.substr(start, at - start);
    return !out.empty();
  };
  auto skip_spaces = [&] {
    while (at < media_type.size() && (media_type[at] == ' ' || media_type[at] == '\t')) ++at;
  };
  // RFC 6838 restricts type and subtype names further: a letter or digit first.
  auto restricted_name = [](std::string_view name) {
    return name.size() <= 127 && std::isalnum(static_cast<unsigned char>(name[0])) &&
           name.find_first_of("%'*`|~") == std::string_view::npos;
  };
  std::string_view type, subtype;
  if (!token(type) || !restricted_name(type) || at >= media_type.size() || media_type[at++] != '/') return false;
  if (!token(subtype) || !restricted_name(subtype)) return false;
  while (true) {
    skip_spaces();
    if (at == media_type.size()) return true;
    if (media_type[at++] != ';') return false;
    skip_spaces();
    std::string_view name, value;
    if (!token(name) || at >= media_type.size() || media_type[at++] != '=') return false;
    if (at < media_type.size() && media_type[at] == '"') {
      ++at;
      while (at < media_type.size() && media_type[at] != '"') {
        if (media_type[at] == '\\') ++at;  // a quoted pair: the next character is taken as it is
        ++at;
      }
      if (at++ >= media_type.size()) return false;  // no closing quote
    } else if (!token(value)) {
      return false;
    }
  }
}

Side SideOf(const Actor& actor, const RequestRow& row) {
  return actor.principal.org_id == row.from_org_id ? Side::kRequester : Side::kRecipient;
}

std::string FieldsJson(const Fields& fields) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : fields) object[name] = value;
  return object.dump();
}

// A time (RFC 3339 or a date) or a duration from now ("90d").
Result<TimePoint> ParseWhen(std::string_view text, TimePoint now) {
  auto when = ParseTimestamp(text);
  // "Preserved until 2027-02-03" keeps the data through that day: a bare
  // date is its last millisecond (UTC), not its first.
  const bool date_only = text.size() == 10 && text[4] == '-' && text[7] == '-';
  if (when.ok() && date_only) return *when + std::chrono::hours(24) - std::chrono::milliseconds(1);
  if (when.ok()) return *when;
  auto duration = ParseDuration(text);
  if (duration.ok()) return now + *duration;
  return Status::Invalid("preserved_until '" + std::string(text) +
                         "': expected a date, an RFC 3339 time or a duration such as 90d");
}

std::string ContactText(const std::optional<PointOfContact>& poc, const Organisation& org,
                        bool backup) {
  // Without a directory entry there is no backup; the organisation itself
  // (its inbox, its general contact) is who a notice reaches.
  if (!poc) return backup ? "" : org.contact.empty() ? org.name : org.name + " (" + org.contact + ")";
  const std::string& name = backup ? poc->backup_name : poc->name;
  const auto& channels = backup ? poc->backup_channels : poc->channels;
  // A backup named without a channel cannot be alerted.
  if (backup && channels.empty()) return "";
  std::string text = name.empty() ? org.name : name;
  std::string list;
  for (const ContactChannel& channel : channels) {
    list += (list.empty() ? "" : "; ") + channel.kind + " " + channel.value;
  }
  return list.empty() ? text : text + " (" + list + ")";
}

}  // namespace

AuditEntry AuditOf(const Actor& actor, TimePoint now, std::string action, std::string object,
                     const nlohmann::json& detail) {
  AuditEntry entry;
  entry.time = FormatTimestamp(now);
  entry.actor = actor.name;
  entry.action = std::move(action);
  entry.object = std::move(object);
  entry.detail = detail.dump();
  entry.source_address = actor.address.empty() ? "local" : actor.address;
  return entry;
}

Result<Fields> ParseFieldsJson(std::string_view json) {
  auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_object()) return Status::Invalid("fields: not a JSON object");
  Fields fields;
  for (const auto& [name, value] : parsed.items()) {
    if (!value.is_string()) return Status::Invalid("field '" + name + "': not a string");
    fields[name] = value.get<std::string>();
  }
  return fields;
}

Result<RequestRow> CreateRequest(Store& store, const Actor& actor, const NewRequest& request,
                                 const Clock& clock) {
  ASSIGN_OR_RETURN(RequestType type, ParseType(request.type));
  Urgency urgency = DefaultUrgency(type);
  if (!request.urgency.empty()) {
    ASSIGN_OR_RETURN(urgency, ParseUrgency(request.urgency));
  }
  if (type == RequestType::kEmergencyDisclosure && urgency != Urgency::kEmergency) {
    return Status::Invalid("urgency: an emergency disclosure is always an emergency");
  }
  RETURN_IF_ERROR(CheckFields(type, request.fields));
  if (request.subject.size() > 512) return Status::Invalid("subject: longer than 512 bytes");
  const Principal& who = actor.principal;
  ASSIGN_OR_RETURN(auto from, store.FindOrganisationById(who.org_id));
  if (!from) return Status::NotFound("the acting organisation does not exist");
  ASSIGN_OR_RETURN(auto to, store.FindOrganisationById(request.to_org_id));
  if (!to) return Status::NotFound("to: no such organisation (see `accord poc list`)");
  if (to->id == from->id) return Status::Invalid("to: a request goes to another organisation");
  if (!MayActOnRequest(who, {from->id, to->id})) {
    return Status::PermissionDenied("only an admin, analyst or poc may open a 24/7 request");
  }
  const TimePoint now = clock.Now();
  RequestRow row;
  row.uuid = UuidV4();
  const std::string year = FormatTimestamp(now).substr(0, 4);
  row.reference = fmt::format("{}-{}-{}-", from->country.empty() ? "XX" : from->country,
                              to->country.empty() ? "XX" : to->country, year);
  row.type = std::string(Name(type));
  row.state = std::string(Name(State::kDraft));
  row.urgency = std::string(Name(urgency));
  row.from_org_id = from->id;
  row.to_org_id = to->id;
  row.subject = request.subject.empty() ? std::string(Describe(type)) : request.subject;
  row.fields_json = FieldsJson(request.fields);
  row.created = row.updated = FormatTimestamp(now);
  auto history = MakeHistory(actor, now, "create", "", row.state, "",
                             {{"type", row.type}, {"urgency", row.urgency}, {"to", to->name}});
  auto audit = AuditOf(actor, now, "request.create", "",
                         {{"type", row.type}, {"from", from->name}, {"to", to->name}});
  RETURN_IF_ERROR(store.SaveRequest(row, history, audit));
  return row;
}

Result<RequestRow> EditDraft(Store& store, const Actor& actor, const std::string& handle,
                             const DraftChanges& changes, const Clock& clock) {
  ASSIGN_OR_RETURN(RequestRow row, RequestToChange(store, actor, handle, changes.expected_version));
  if (row.state != Name(State::kDraft)) {
    return Status::FailedPrecondition("request " + row.reference + " was " + row.state +
                                      "; only a draft can be edited (add a note instead)");
  }
  if (actor.principal.org_id != row.from_org_id) {
    return Status::PermissionDenied("only the requesting party edits its draft");
  }
  ASSIGN_OR_RETURN(RequestType type, ParseType(row.type));
  ASSIGN_OR_RETURN(Fields fields, ParseFieldsJson(row.fields_json));
  nlohmann::json changed = nlohmann::json::array();
  for (const auto& [name, value] : changes.fields) {
    if (value.empty()) {
      fields.erase(name);
    } else {
      fields[name] = value;
    }
    changed.push_back(name);
  }
  RETURN_IF_ERROR(CheckFields(type, fields));
  if (changes.subject) {
    if (changes.subject->size() > 512) return Status::Invalid("subject: longer than 512 bytes");
    row.subject = *changes.subject;
    changed.push_back("subject");
  }
  if (changes.urgency) {
    ASSIGN_OR_RETURN(Urgency urgency, ParseUrgency(*changes.urgency));
    if (type == RequestType::kEmergencyDisclosure && urgency != Urgency::kEmergency) {
      return Status::Invalid("urgency: an emergency disclosure is always an emergency");
    }
    row.urgency = std::string(Name(urgency));
    changed.push_back("urgency");
  }
  const TimePoint now = clock.Now();
  row.fields_json = FieldsJson(fields);
  row.updated = FormatTimestamp(now);
  auto history = MakeHistory(actor, now, "edit", row.state, row.state, "", {{"changed", changed}});
  auto audit = AuditOf(actor, now, "request.edit", row.reference, {{"changed", changed}});
  RETURN_IF_ERROR(store.SaveRequest(row, history, audit));
  return row;
}

namespace {

// What an action would store: Act saves it, CheckAction only builds it.
struct PlannedAction {
  RequestRow row;
  RequestHistoryRow history;
  AuditEntry audit;
};

Result<PlannedAction> PlanAction(Store& store, const Actor& actor, const std::string& handle,
                                 const ActionInput& input, const Clock& clock) {
  ASSIGN_OR_RETURN(Action action, ParseAction(input.action));
  ASSIGN_OR_RETURN(RequestRow row, RequestToChange(store, actor, handle, input.expected_version));
  ASSIGN_OR_RETURN(RequestType type, ParseType(row.type));
  ASSIGN_OR_RETURN(State from, ParseState(row.state));
  const TimePoint now = clock.Now();
  ASSIGN_OR_RETURN(State to, NextState(type, from, action, SideOf(actor, row), PreservationLapsed(row, now)));
  if (ReasonRequired(action) && input.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::Invalid(std::string("reason: required to ") + std::string(Name(action)) +
                           (action == Action::kRefuse ? " (the grounds for refusal)" : ""));
  }
  if (input.reason.size() > kMaxNoteBytes) return Status::Invalid("reason: longer than 64 KiB");
  const bool sets_until = type == RequestType::kPreservation &&
                          (action == Action::kExecute || action == Action::kExtend);
  if (!input.preserved_until.empty() && !sets_until) {
    return Status::Invalid("preserved_until: only executing or extending a preservation sets it");
  }
  const std::string now_text = FormatTimestamp(now);
  nlohmann::json detail = nlohmann::json::object();
  std::optional<TimePoint> requested_until;
  if (!input.preserved_until.empty()) {
    // An extension by a duration ("60d") adds it to the period running, as
    // the default renewal does: counted from now it could end a moment
    // after the current end and "extend" nothing.
    TimePoint base = now;
    if (action == Action::kExtend && !row.preserved_until.empty()) {
      ASSIGN_OR_RETURN(TimePoint current, ParseTimestamp(row.preserved_until));
      base = std::max(base, current);
    }
    ASSIGN_OR_RETURN(requested_until, ParseWhen(input.preserved_until, base));
  }
  ASSIGN_OR_RETURN(ClockPolicy policy, LoadClockPolicy(store));
  switch (action) {
    case Action::kSend: {
      ASSIGN_OR_RETURN(Fields fields, ParseFieldsJson(row.fields_json));
      RETURN_IF_ERROR(CheckSendable(type, fields));
      ASSIGN_OR_RETURN(Urgency urgency, ParseUrgency(row.urgency));
      row.sent_at = now_text;
      row.ack_due = FormatTimestamp(now + AckWindow(policy, urgency));
      detail["ack_due"] = row.ack_due;
      break;
    }
    case Action::kAck:
      row.acknowledged_at = now_text;
      break;
    case Action::kExecute:
      row.executed_at = now_text;
      if (type == RequestType::kPreservation) {
        ASSIGN_OR_RETURN(TimePoint until, PreservationUntil(policy, now, requested_until));
        row.preserved_until = FormatTimestamp(until);
        detail["preserved_until"] = row.preserved_until;
      }
      break;
    case Action::kExtend: {
      ASSIGN_OR_RETURN(TimePoint current, ParseTimestamp(row.preserved_until));
      ASSIGN_OR_RETURN(TimePoint until, ExtendedUntil(policy, current, now, requested_until));
      detail["previous_until"] = row.preserved_until;
      row.preserved_until = FormatTimestamp(until);
      detail["preserved_until"] = row.preserved_until;
      break;
    }
    case Action::kClose:
    case Action::kRefuse:
    case Action::kWithdraw:
      row.closed_at = now_text;
      break;
    case Action::kStart:
      break;
  }
  row.state = std::string(Name(to));
  row.updated = now_text;
  detail["from"] = Name(from);
  detail["to"] = Name(to);
  if (!input.reason.empty()) detail["reason"] = input.reason;
  auto history = MakeHistory(actor, now, std::string(Name(action)), std::string(Name(from)),
                             row.state, input.reason, detail);
  auto audit = AuditOf(actor, now, "request." + std::string(Name(action)), row.reference, detail);
  return PlannedAction{std::move(row), std::move(history), std::move(audit)};
}

}  // namespace

Result<RequestRow> Act(Store& store, const Actor& actor, const std::string& handle,
                       const ActionInput& input, const Clock& clock) {
  ASSIGN_OR_RETURN(PlannedAction planned, PlanAction(store, actor, handle, input, clock));
  RETURN_IF_ERROR(store.SaveRequest(planned.row, planned.history, planned.audit));
  return std::move(planned.row);
}

Status CheckAction(Store& store, const Actor& actor, const std::string& handle,
                   const ActionInput& input, const Clock& clock) {
  return PlanAction(store, actor, handle, input, clock).status();
}

Status CheckNote(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::Invalid("note: empty");
  }
  if (text.size() > kMaxNoteBytes) return Status::Invalid("note: longer than 64 KiB");
  return Status::Ok();
}

Status AddNote(Store& store, const Actor& actor, const std::string& handle,
               const std::string& text, const Clock& clock) {
  RETURN_IF_ERROR(CheckNote(text));
  ASSIGN_OR_RETURN(RequestRow row, OpenRequestToChange(store, actor, handle, "notes"));
  const TimePoint now = clock.Now();
  row.updated = FormatTimestamp(now);
  auto history = MakeHistory(actor, now, "note", row.state, row.state, text, nullptr);
  auto audit = AuditOf(actor, now, "request.note", row.reference, {{"note", text}});
  return store.SaveRequest(row, history, audit);
}

Result<std::string> CheckLinkTarget(Store& store, const Actor& actor, const std::string& kind,
                                    const std::string& ref) {
  if (kind == "event") {
    if (!IsUuid(ref)) return Status::Invalid("event: '" + ref.substr(0, 64) + "' is not an event uuid");
    ASSIGN_OR_RETURN(auto event, store.GetEvent(ref));
    const bool visible =
        event && MayRead(actor.principal, Visibility{event->tlp, event->owner_org_id,
                                                     event->recipient_org_ids});
    if (!visible) return Status::NotFound("event " + ref + " does not exist");
    return event->uuid;
  }
  if (kind == "observable") {
    auto separator = ref.find(':');
    auto type = separator == std::string::npos ? std::nullopt : ParseTypeName(ref.substr(0, separator));
    Result<Observable> observable = type ? Normalize(*type, ref.substr(separator + 1)) : DetectAndNormalize(ref);
    if (!observable.ok()) return observable.status().WithContext("observable");
    return std::string(TypeName(observable->type)) + ":" + observable->value;
  }
  if (kind == "operation") {
    if (ref.empty() || ref.size() > 200) return Status::Invalid("operation: 1-200 characters");
    return ref;
  }
  return Status::Invalid("link kind '" + kind + "': one of event, observable, operation");
}

namespace {

// Whether `name` holds a control character (C0, DEL, C1) or a bidirectional
// format character (U+200E/F, U+202A-E, U+2066-9): the last make
// "invoice<U+202E>fdp.exe" read as "invoiceexe.pdf" in a listing.
bool HoldsControlOrBidi(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) return true;
    const auto next = [&](size_t k) { return i + k < name.size() ? static_cast<unsigned char>(name[i + k]) : 0; };
    if (c == 0xc2 && next(1) >= 0x80 && next(1) <= 0x9f) return true;
    if (c == 0xe2 && next(1) == 0x80 && (next(2) == 0x8e || next(2) == 0x8f || (next(2) >= 0xaa && next(2) <= 0xae))) {
      return true;
    }
    if (c == 0xe2 && next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9) return true;
  }
  return false;
}

}  // namespace

Status CheckAttachment(const std::string& name, const std::string& media_type, std::string_view content) {
  const bool control = HoldsControlOrBidi(name);
  // "." and ".." name folders, not files: saved as named they would not be
  // the file the chain of custody records.
  if (name.empty() || name.size() > 255 || control || name.find_first_of("/\\") != std::string::npos ||
      name == "." || name == "..") {
    return Status::Invalid(
        "attachment name: 1-255 characters, not '.' or '..', no path separators, control or text-direction "
        "characters");
  }
  if (content.empty()) return Status::Invalid("attachment " + name + ": empty; nothing to keep");
  if (content.size() > kMaxAttachmentBytes) {
    return Status::ResourceExhausted("attachment " + name + ": larger than 32 MiB");
  }
  if (!media_type.empty() && !IsMediaType(media_type)) {
    return Status::Invalid("attachment " + name + ": media type '" + media_type.substr(0, 80) +
                           "' is not a type/subtype (RFC 6838), e.g. application/pdf");
  }
  return Status::Ok();
}

Status LinkRequest(Store& store, const Actor& actor, const std::string& handle,
                   const std::string& kind, const std::string& ref, const Clock& clock) {
  ASSIGN_OR_RETURN(RequestRow row, OpenRequestToChange(store, actor, handle, "links"));
  ASSIGN_OR_RETURN(const std::string stored_ref, CheckLinkTarget(store, actor, kind, ref));
  const TimePoint now = clock.Now();
  RequestLinkRow link{row.id, kind, stored_ref, FormatTimestamp(now)};
  auto history = MakeHistory(actor, now, "link", row.state, row.state, "",
                             {{"kind", kind}, {"ref", stored_ref}});
  auto audit = AuditOf(actor, now, "request.link", row.reference,
                         {{"kind", kind}, {"ref", stored_ref}});
  return store.AddRequestLink(link, history, audit);
}

Result<AttachmentRow> Attach(Store& store, const Actor& actor, const std::string& handle,
                             const std::string& name, const std::string& media_type,
                             std::string_view content, const Clock& clock) {
  RETURN_IF_ERROR(CheckAttachment(name, media_type, content));
  ASSIGN_OR_RETURN(RequestRow row, OpenRequestToChange(store, actor, handle, "attachments"));
  const TimePoint now = clock.Now();
  AttachmentRow attachment;
  attachment.request_id = row.id;
  attachment.name = name;
  attachment.media_type = media_type.empty() ? "application/octet-stream" : media_type;
  attachment.sha256 = Sha256Hex(content);
  attachment.added = FormatTimestamp(now);
  attachment.actor = actor.name;
  nlohmann::json detail = {
      {"name", name}, {"sha256", attachment.sha256}, {"size", content.size()}};
  auto history = MakeHistory(actor, now, "attach", row.state, row.state, "", detail);
  auto audit = AuditOf(actor, now, "request.attach", row.reference, detail);
  return store.AddAttachment(attachment, content, history, audit);
}

Result<VerifiedAttachment> ReadAttachment(Store& store, const Principal& who,
                                          const std::string& handle, int64_t attachment_id) {
  ASSIGN_OR_RETURN(RequestRow row, GetRequest(store, who, handle));
  ASSIGN_OR_RETURN(auto attachments, store.Attachments(row.id));
  for (const AttachmentRow& attachment : attachments) {
    if (attachment.id != attachment_id) continue;
    ASSIGN_OR_RETURN(std::string content, store.AttachmentContent(attachment.id));
    const std::string actual = Sha256Hex(content);
    if (actual != attachment.sha256) {
      return Status::Corruption(fmt::format(
          "attachment {} ({}) of {}: its bytes hash to {}, not the recorded {}; the stored "
          "copy was altered",
          attachment.id, attachment.name, row.reference, actual, attachment.sha256));
    }
    // The row's hash must also be the one the request's history recorded
    // when the file came (a row and content altered together agree with
    // each other, not with the record).
    ASSIGN_OR_RETURN(auto history, store.RequestHistory(row.id));
    bool recorded = false;
    for (const RequestHistoryRow& line : history) {
      if (line.action != "attach") continue;
      const nlohmann::json detail = nlohmann::json::parse(line.detail, nullptr, /*allow_exceptions=*/false);
      if (detail.is_object() && detail.value("sha256", "") == actual &&
          detail.value("size", int64_t{-1}) == static_cast<int64_t>(content.size())) {
        recorded = true;
        break;
      }
    }
    if (!recorded) {
      return Status::Corruption(fmt::format(
          "attachment {} ({}) of {}: its SHA-256 {} and size {} are not what the request's history "
          "recorded when it was attached; the stored copy was altered",
          attachment.id, attachment.name, row.reference, actual, content.size()));
    }
    return VerifiedAttachment{attachment, std::move(content)};
  }
  return Status::NotFound(fmt::format("request {} has no attachment {}", row.reference,
                                      attachment_id));
}

Result<std::vector<RequestNotice>> RunClocks(Store& store, const Clock& clock) {
  ASSIGN_OR_RETURN(ClockPolicy policy, LoadClockPolicy(store));
  const TimePoint now = clock.Now();
  RequestFilter filter;
  filter.states = {"sent", "executed", "extended"};
  std::vector<RequestRow> running;
  RETURN_IF_ERROR(store.ForEachRequest(filter, [&](const RequestRow& row) {
    running.push_back(row);
    return Status::Ok();
  }));
  std::vector<RequestNotice> due;
  for (const RequestRow& row : running) {
    ASSIGN_OR_RETURN(auto from, store.FindOrganisationById(row.from_org_id));
    ASSIGN_OR_RETURN(auto to, store.FindOrganisationById(row.to_org_id));
    if (!from || !to) return Status::Corruption("request " + row.reference + ": unknown party");
    ASSIGN_OR_RETURN(auto from_poc, store.GetPointOfContact(row.from_org_id));
    ASSIGN_OR_RETURN(auto to_poc, store.GetPointOfContact(row.to_org_id));
    NoticeContext contacts{ContactText(from_poc, *from, false), ContactText(to_poc, *to, false),
                           ContactText(to_poc, *to, true), to_poc.has_value()};
    for (RequestNotice& notice : DueNotices(row, policy, contacts, now)) {
      due.push_back(std::move(notice));
    }
  }
  if (due.empty()) return due;
  Actor clock_actor{Principal{}, "clock", "local"};
  return store.RaiseNotices(due, AuditOf(clock_actor, now, "request.notices", "clocks", nullptr));
}

Result<std::vector<RequestNotice>> NoticesFor(Store& store, const Principal& principal) {
  ASSIGN_OR_RETURN(const Principal who, AsRequestReader(store, principal));
  ASSIGN_OR_RETURN(std::vector<RequestNotice> notices,
                   store.ListNotices(who.role == Role::kAdmin ? 0 : who.org_id, 0));
  // A notice tells of its request (reference, kind, deadline): only those
  // the caller may read (a contributor of a party reads none).
  std::set<int64_t> readable;
  RequestFilter filter;
  filter.party_org_id = who.role == Role::kAdmin ? 0 : who.org_id;
  RETURN_IF_ERROR(store.ForEachRequest(filter, [&](const RequestRow& row) {
    if (MayReadRequest(who, PartiesOf(row))) readable.insert(row.id);
    return Status::Ok();
  }));
  std::erase_if(notices, [&](const RequestNotice& notice) {
    return notice.request_id != 0 && !readable.contains(notice.request_id);
  });
  return notices;
}

}  // namespace accord::requests
