// accord request: urgent cross-border requests between 24/7 points of
// contact (expedited preservation, disclosure, emergencies), from draft to
// closure, with their clocks. The node's local operator acts for the
// organisation named by --as (default: the node's operator organisation).
#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>

#include "cli/cli.h"
#include "requests/request_ops.h"

namespace accord::cli {
namespace {

struct RequestOptions {
  std::string as_org;
  std::string handle;
  // new / update
  std::string to;
  std::string type;
  std::string urgency;
  std::string subject;
  std::vector<std::string> fields;
  std::string fields_file;
  bool send = false;
  std::string state;
  std::string reason;
  std::string until;
  std::string note;
  std::vector<std::string> attach;
  std::vector<std::string> links;
  // list / show
  std::string direction;
  bool as_json = false;
  bool as_html = false;
  std::string pdf;
  std::string output;
  int64_t attachment = 0;
  // clocks
  std::string ack_emergency, ack_urgent, ack_normal, preservation_period, reminders;
};

struct Session {
  std::unique_ptr<Store> store;
  requests::Actor actor;
  SystemClock clock;
};

// The node and who acts; on failure prints why and returns nullopt.
std::optional<Session> Open(const GlobalOptions& global, const std::string& as_org) {
  Session session;
  session.store = OpenNode(global);
  if (!session.store) return std::nullopt;
  auto principal = LocalPrincipal(*session.store, as_org);
  if (!principal.ok()) {
    Fail(principal.status().WithContext("--as"));
    return std::nullopt;
  }
  // --as ORG acts as that organisation's point of contact, seeing only its
  // requests; without it the operator acts as the node's admin.
  if (!as_org.empty()) principal->role = Role::kPoc;
  // The audit log says who acted: which party, not only which account.
  session.actor = {*principal, as_org.empty() ? LocalActor() : LocalActor() + " as " + as_org, "local"};
  return session;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": read failed");
  return bytes.str();
}

Status WriteOutput(const std::string& path, std::string_view content) {
  if (path.empty() || path == "-") {
    fmt::print("{}", content);
    return Status::Ok();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return Status::IoError(path + ": write failed");
  return Status::Ok();
}

Result<requests::Fields> CollectFields(const RequestOptions& options) {
  requests::Fields fields;
  if (!options.fields_file.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadWholeFile(options.fields_file));
    auto parsed = requests::ParseFieldsJson(text);
    if (!parsed.ok()) return parsed.status().WithContext(options.fields_file);
    fields = *parsed;
  }
  for (const std::string& pair : options.fields) {
    auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Status::Invalid("--field '" + pair + "': expected NAME=VALUE");
    }
    fields[pair.substr(0, equals)] = pair.substr(equals + 1);
  }
  return fields;
}

void PrintMissing(const RequestRow& row) {
  auto type = requests::ParseType(row.type);
  auto fields = requests::ParseFieldsJson(row.fields_json);
  if (!type.ok() || !fields.ok()) return;
  auto missing = requests::MissingFields(*type, *fields);
  if (missing.empty()) return;
  fmt::print(stderr, "still missing before it can be sent:\n");
  for (const auto& spec : missing) {
    fmt::print(stderr, "  --field {}=...  {}{}\n", spec.name, spec.label,
               spec.basis.empty() ? "" : " (" + std::string(spec.basis) + ")");
  }
}

int PrintState(Store& store, const RequestRow& row);

int RunNew(const GlobalOptions& global, const RequestOptions& options) {
  auto session = Open(global, options.as_org);
  if (!session) return kExitError;
  auto to = FindOrganisationNamed(*session->store, options.to, "--to");
  if (!to.ok()) return Fail(to.status());
  auto fields = CollectFields(options);
  if (!fields.ok()) return Fail(fields.status());
  requests::NewRequest request{options.type, options.urgency, to->id, options.subject, *fields};
  auto row = requests::CreateRequest(*session->store, session->actor, request, session->clock);
  if (!row.ok()) return Fail(row.status());
  fmt::print("{}\t{}\tdraft\n", row->reference, row->uuid);
  if (options.send) {
    auto sent = requests::Act(*session->store, session->actor, row->uuid, {"send", "", "", 0},
                              session->clock);
    if (!sent.ok()) {
      PrintMissing(*row);
      return Fail(sent.status().WithContext("kept as a draft; not sent"));
    }
    return PrintState(*session->store, *sent);
  }
  PrintMissing(*row);
  return kExitOk;
}

// --state S maps to the action that reaches S.
Result<std::string> ActionForState(const std::string& state) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"sent", "send"},         {"acknowledged", "ack"}, {"in-progress", "start"},
      {"executed", "execute"},  {"extended", "extend"},  {"closed", "close"},
      {"refused", "refuse"},    {"withdrawn", "withdraw"}};
  for (const auto& [target, action] : kMap) {
    if (state == target) return std::string(action);
  }
  return Status::Invalid("--state '" + state +
                         "': one of sent, acknowledged, in-progress, executed, extended, closed, "
                         "refused, withdrawn");
}

// " (OCLCTIC: 2026-03-29 16:00 CEST (UTC+02:00); BKA: ...)": an instant as
// each party's 24/7 desk reads it, for the parties whose point of contact
// names a time zone other than UTC.
std::string InPartiesZones(Store& store, const RequestRow& row, const std::string& instant) {
  auto at = ParseTimestamp(instant);
  if (!at.ok()) return "";
  std::vector<std::string> parts;
  for (int64_t org_id : {row.from_org_id, row.to_org_id}) {
    auto poc = store.GetPointOfContact(org_id);
    auto org = store.FindOrganisationById(org_id);
    if (!poc.ok() || !*poc || !org.ok() || !*org || (*poc)->time_zone.empty() || (*poc)->time_zone == "UTC") {
      continue;
    }
    auto local = requests::FormatInZone(*at, (*poc)->time_zone);
    if (local.ok()) parts.push_back((*org)->name + ": " + *local);
  }
  if (parts.empty()) return "";
  std::string text = " (";
  for (size_t i = 0; i < parts.size(); ++i) text += (i ? "; " : "") + parts[i];
  return text + ")";
}

int PrintState(Store& store, const RequestRow& row) {
  // A request to an organisation without a 24/7 desk reaches its inbox, but
  // no escalation can reach anyone there: the sender should know now.
  if (row.state == "sent") {
    auto poc = store.GetPointOfContact(row.to_org_id);
    auto to = store.FindOrganisationById(row.to_org_id);
    if (poc.ok() && !*poc && to.ok() && *to) {
      fmt::print(stderr,
                 "warning: {} has registered no 24/7 point of contact: the request is in its inbox, but a "
                 "missed acknowledgement cannot be escalated to anyone there\n",
                 (*to)->name);
    }
  }
  std::string detail;
  if (row.state == "sent") detail = "acknowledgement due " + row.ack_due + InPartiesZones(store, row, row.ack_due);
  if (!row.preserved_until.empty() && (row.state == "executed" || row.state == "extended")) {
    detail = "preserved until " + row.preserved_until + InPartiesZones(store, row, row.preserved_until);
  }
  fmt::print("{}\t{}\t{}\n", row.reference, row.state, detail);
  return kExitOk;
}

int RunAction(const GlobalOptions& global, const RequestOptions& options, const std::string& action) {
  auto session = Open(global, options.as_org);
  if (!session) return kExitError;
  auto row = requests::Act(*session->store, session->actor, options.handle,
                           {action, options.reason, options.until, 0}, session->clock);
  if (!row.ok()) {
    if (action == "send") {
      if (auto draft = session->store->FindRequest(options.handle); draft.ok() && *draft) {
        PrintMissing(**draft);
      }
    }
    return Fail(row.status());
  }
  return PrintState(*session->store, *row);
}

int RunUpdate(const GlobalOptions& global, const RequestOptions& options) {
  auto session = Open(global, options.as_org);
  if (!session) return kExitError;
  Store& store = *session->store;
  auto fields = CollectFields(options);
  if (!fields.ok()) return Fail(fields.status());
  // A move the state machine would refuse for want of a reason is refused
  // before the note, links and files are added.
  if (!options.state.empty()) {
    auto action = ActionForState(options.state);
    if (!action.ok()) return Fail(action.status());
    auto parsed = requests::ParseAction(*action);
    if (parsed.ok() && requests::ReasonRequired(*parsed) &&
        options.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Fail("--reason: required to move the request to " + options.state);
    }
  }
  // Every note, link and file is checked before anything is written: a
  // command refused halfway would leave part of itself in the record.
  if (!options.note.empty()) {
    if (Status checked = requests::CheckNote(options.note); !checked.ok()) return Fail(checked);
  }
  std::vector<std::pair<std::string, std::string>> links;  // kind, ref
  if (!options.links.empty()) {
    // A link the request already has (or one given twice, however spelt)
    // would be refused at its write, after the ones before it were made.
    auto request = requests::GetRequest(store, session->actor.principal, options.handle);
    if (!request.ok()) return Fail(request.status());
    auto held = store.RequestLinks(request->id);
    if (!held.ok()) return Fail(held.status());
    std::set<std::pair<std::string, std::string>> linked;
    for (const RequestLinkRow& row : *held) linked.emplace(row.kind, row.ref);
    for (const std::string& link : options.links) {
      const auto colon = link.find(':');
      if (colon == std::string::npos) {
        return Fail("--link '" + link + "': expected KIND:REF (event:UUID, observable:VALUE, operation:NAME)");
      }
      links.emplace_back(link.substr(0, colon), link.substr(colon + 1));
      auto target = requests::CheckLinkTarget(store, session->actor, links.back().first, links.back().second);
      if (!target.ok()) return Fail(target.status().WithContext("--link '" + link + "'"));
      if (!linked.emplace(links.back().first, *target).second) {
        return Fail("--link '" + link + "': the request already links " + links.back().first + " " + *target);
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> files;  // name, bytes
  for (const std::string& path : options.attach) {
    auto content = ReadWholeFile(path);
    if (!content.ok()) return Fail(content.status().WithContext("--attach"));
    std::string name = path.substr(path.find_last_of('/') + 1);
    if (Status checked = requests::CheckAttachment(name, "", *content); !checked.ok()) return Fail(checked);
    files.emplace_back(std::move(name), std::move(*content));
  }
  bool did = false;
  if (!fields->empty() || !options.subject.empty() || !options.urgency.empty()) {
    requests::DraftChanges changes;
    changes.fields = *fields;
    if (!options.subject.empty()) changes.subject = options.subject;
    if (!options.urgency.empty()) changes.urgency = options.urgency;
    auto edited = requests::EditDraft(store, session->actor, options.handle, changes, session->clock);
    if (!edited.ok()) return Fail(edited.status());
    PrintMissing(*edited);
    did = true;
  }
  // Any other refusal of the state move (the wrong party, a state it cannot
  // leave, a lapsed preservation) too, after the draft's own edits (which
  // may be what makes it sendable).
  if (!options.state.empty()) {
    auto action = ActionForState(options.state);
    if (!action.ok()) return Fail(action.status());
    Status allowed = requests::CheckAction(store, session->actor, options.handle,
                                           {*action, options.reason, options.until, 0},
                                           session->clock);
    if (!allowed.ok()) {
      if (*action == "send" && !did) {  // as `request send` says what is missing (edits printed it)
        if (auto draft = store.FindRequest(options.handle); draft.ok() && *draft) PrintMissing(**draft);
      }
      return Fail(allowed);
    }
  }
  for (const auto& [kind, ref] : links) {
    Status linked = requests::LinkRequest(store, session->actor, options.handle, kind, ref, session->clock);
    if (!linked.ok()) return Fail(linked);
    did = true;
  }
  for (const auto& [name, content] : files) {
    auto attached = requests::Attach(store, session->actor, options.handle, name, "", content, session->clock);
    if (!attached.ok()) return Fail(attached.status());
    fmt::print("attached {} ({} bytes) sha256 {}\n", attached->name, attached->size, attached->sha256);
    did = true;
  }
  if (!options.note.empty()) {
    Status noted = requests::AddNote(store, session->actor, options.handle, options.note, session->clock);
    if (!noted.ok()) return Fail(noted);
    did = true;
  }
  if (!options.state.empty()) {
    auto action = ActionForState(options.state);
    if (!action.ok()) return Fail(action.status());
    return RunAction(global, options, *action);
  }
  if (!did) {
    return Fail("nothing to update: give --state, --field, --subject, --urgency, --note, --link or --attach");
  }
  auto row = requests::GetRequest(store, session->actor.principal, options.handle);
  if (!row.ok()) return Fail(row.status());
  return PrintState(store, *row);
}

std::string DeadlineText(const RequestRow& row, TimePoint now) {
  auto deadline = requests::NextDeadline(row);
  if (!deadline) return "-";
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline->due - now);
  const int64_t minutes = std::chrono::duration_cast<std::chrono::minutes>(
                              left < left.zero() ? -left : left).count();
  const std::string span = minutes >= 24 * 60 ? fmt::format("{}d {}h", minutes / 1440, minutes % 1440 / 60)
                           : minutes >= 60    ? fmt::format("{}h {}m", minutes / 60, minutes % 60)
                           : minutes >= 1     ? fmt::format("{}m", minutes)
                                              : std::string("less than a minute");
  return fmt::format("{} {} {}", deadline->kind, left < left.zero() ? "OVERDUE by" : "due in",
                     span);
}

int RunList(const GlobalOptions& global, const RequestOptions& options) {
  auto session = Open(global, options.as_org);
  if (!session) return kExitError;
  auto rows = requests::ListRequests(*session->store, session->actor.principal,
                                     {options.state, options.direction});
  if (!rows.ok()) return Fail(rows.status());
  auto orgs = session->store->ListOrganisations();
  if (!orgs.ok()) return Fail(orgs.status());
  const TimePoint now = session->clock.Now();
  if (options.as_json) {
    nlohmann::json list = nlohmann::json::array();
    for (const RequestRow& row : *rows) list.push_back(requests::RequestJson(row, *orgs, now));
    fmt::print("{}\n", nlohmann::json{{"requests", std::move(list)}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  for (const RequestRow& row : *rows) {
    auto json = requests::RequestJson(row, *orgs, now);
    fmt::print("{}\t{}\t{}\t{}\t{} -> {}\t{}\t{}\n", row.reference, row.state, row.type, row.urgency,
               json["from"]["name"].get<std::string>(), json["to"]["name"].get<std::string>(),
               DeadlineText(row, now), row.subject);
  }
  return kExitOk;
}

int RunShow(const GlobalOptions& global, const RequestOptions& options) {
  auto session = Open(global, options.as_org);
  if (!session) return kExitError;
  if (options.attachment != 0) {
    auto attachment = requests::ReadAttachment(*session->store, session->actor.principal,
                                               options.handle, options.attachment);
    if (!attachment.ok()) return Fail(attachment.status());
    if (options.output.empty()) return Fail("--attachment needs --output FILE");
    Status written = WriteOutput(options.output, attachment->content);
    if (!written.ok()) return Fail(written);
    fmt::print(stderr, "{}: {} bytes, sha256 {} (verified)\n", options.output,
               attachment->content.size(), attachment->row.sha256);
    return kExitOk;
  }
  auto view = requests::ViewRequest(*session->store, session->actor.principal, options.handle);
  if (!view.ok()) return Fail(view.status());
  const TimePoint now = session->clock.Now();
  if (!options.pdf.empty()) {
    Status printed = PrintHtmlToPdf(requests::RenderHtml(*view, now), options.pdf);
    if (!printed.ok()) return Fail(printed);
    fmt::print(stderr, "{}: the printable document as PDF\n", options.pdf);
    return kExitOk;
  }
  std::string text;
  if (options.as_html) {
    text = requests::RenderHtml(*view, now);
  } else {
    text = requests::RequestViewJson(*view, now).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  Status written = WriteOutput(options.output, text);
  return written.ok() ? kExitOk : Fail(written);
}

int RunTypes() {
  for (requests::RequestType type : requests::AllTypes()) {
    fmt::print("{}\t{} (default urgency {})\n", requests::Name(type), requests::Describe(type),
               requests::Name(requests::DefaultUrgency(type)));
    for (const auto& spec : requests::FieldsOf(type)) {
      fmt::print("  {}{}\t{}{}\n", spec.name, spec.required ? "" : " (optional)", spec.label,
                 spec.basis.empty() ? "" : " [" + std::string(spec.basis) + "]");
    }
  }
  return kExitOk;
}

int RunClocks(const GlobalOptions& global, const RequestOptions& options) {
  auto session = Open(global, options.as_org);
  if (!session) return kExitError;
  auto policy = requests::LoadClockPolicy(*session->store);
  if (!policy.ok()) return Fail(policy.status());
  nlohmann::json changes = nlohmann::json::parse(requests::ClockPolicyJson(*policy));
  bool changed = false;
  for (const auto& [value, path] :
       {std::pair<const std::string*, std::vector<std::string>>{&options.ack_emergency, {"ack", "emergency"}},
        {&options.ack_urgent, {"ack", "urgent"}},
        {&options.ack_normal, {"ack", "normal"}},
        {&options.preservation_period, {"preservation_period"}}}) {
    if (value->empty()) continue;
    nlohmann::json* slot = &changes;
    for (const std::string& key : path) slot = &(*slot)[key];
    *slot = *value;
    changed = true;
  }
  if (!options.reminders.empty()) {
    nlohmann::json leads = nlohmann::json::array();
    std::stringstream list(options.reminders);
    for (std::string lead; std::getline(list, lead, ',');) leads.push_back(lead);
    changes["reminders"] = leads;
    changed = true;
  }
  if (changed) {
    auto parsed = requests::ParseClockPolicy(changes.dump());
    if (!parsed.ok()) return Fail(parsed.status());
    Status saved = requests::SaveClockPolicy(*session->store, session->actor, *parsed, session->clock);
    if (!saved.ok()) return Fail(saved);
    policy = parsed;
  }
  fmt::print("{}\n", nlohmann::json::parse(requests::ClockPolicyJson(*policy)).dump(2));
  return kExitOk;
}

int RunTick(const GlobalOptions& global) {
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto raised = requests::RunClocks(*store, SystemClock());
  if (!raised.ok()) return Fail(raised.status());
  for (const RequestNotice& notice : *raised) {
    fmt::print("{}\t{}\tto {}\t{}\n", notice.created, notice.kind, notice.addressee, notice.message);
  }
  fmt::print(stderr, "{} notice(s) raised\n", raised->size());
  return kExitOk;
}

int RunNotices(const GlobalOptions& global, const RequestOptions& options) {
  auto session = Open(global, options.as_org);
  if (!session) return kExitError;
  auto notices = requests::NoticesFor(*session->store, session->actor.principal);
  if (!notices.ok()) return Fail(notices.status());
  for (const RequestNotice& notice : *notices) {
    fmt::print("{}\t{}\tto {}\t{}\n", notice.created, notice.kind, notice.addressee, notice.message);
  }
  return kExitOk;
}

}  // namespace

void RegisterRequest(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand(
      "request", "Urgent cross-border requests between 24/7 points of contact");
  sub->require_subcommand(1);
  auto o = std::make_shared<RequestOptions>();
  auto add_as = [&](CLI::App* command) {
    command->add_option("--as", o->as_org,
                        "Act as this organisation's point of contact (default: the node's admin, who sees every request)");
  };
  auto add_handle = [&](CLI::App* command) {
    command->add_option("request", o->handle, "Reference (FR-DE-2026-000001) or id")->required();
    add_as(command);
  };

  CLI::App* types = sub->add_subcommand("types", "List request types and their legal fields");
  commands.push_back({types, [] { return RunTypes(); }});

  CLI::App* create = sub->add_subcommand("new", "Open a draft request (audited)");
  add_as(create);
  create->add_option("--to", o->to, "The requested organisation")->required();
  create->add_option("--type", o->type,
                     "preservation, traffic-disclosure, subscriber-info, emergency-disclosure, assistance")
      ->required();
  create->add_option("--urgency", o->urgency, "emergency, urgent or normal (default by type)");
  create->add_option("--subject", o->subject, "One line; default: the type's description");
  create->add_option("--field", o->fields, "NAME=VALUE (repeatable; see `accord request types`)");
  create->add_option("--fields-file", o->fields_file, "A JSON object of fields");
  create->add_flag("--send", o->send, "Send at once (refused, kept as a draft, if a field is missing)");
  commands.push_back({create, [&global, o] { return RunNew(global, *o); }});

  CLI::App* send = sub->add_subcommand("send", "Send a draft: every required legal field must be present");
  add_handle(send);
  commands.push_back({send, [&global, o] { return RunAction(global, *o, "send"); }});

  CLI::App* ack = sub->add_subcommand("ack", "Acknowledge receipt (the requested party)");
  add_handle(ack);
  ack->add_option("--reason", o->reason, "A note for the record");
  commands.push_back({ack, [&global, o] { return RunAction(global, *o, "ack"); }});

  CLI::App* update = sub->add_subcommand(
      "update", "Edit a draft, add a note, link or attach, or move the request to a new state");
  add_handle(update);
  update->add_option("--state", o->state,
                     "in-progress, executed, refused, withdrawn, closed (the last three need "
                     "--reason), ...");
  update->add_option("--reason", o->reason, "Why (grounds for a refusal)");
  update->add_option("--preserved-until", o->until,
                     "When executing a preservation: a date or a duration (default and minimum 60d)");
  update->add_option("--field", o->fields, "NAME=VALUE (drafts only; empty VALUE removes)");
  update->add_option("--fields-file", o->fields_file, "A JSON object of fields (drafts only)");
  update->add_option("--subject", o->subject, "New subject (drafts only)");
  update->add_option("--urgency", o->urgency, "New urgency (drafts only)");
  update->add_option("--note", o->note, "Add a note to the history");
  update->add_option("--link", o->links, "event:UUID, observable:VALUE or operation:NAME (repeatable)");
  update->add_option("--attach", o->attach, "A file to attach with its SHA-256 (repeatable)");
  commands.push_back({update, [&global, o] { return RunUpdate(global, *o); }});

  CLI::App* extend = sub->add_subcommand("extend", "Renew a preservation (default: one more period)");
  add_handle(extend);
  extend->add_option("--until", o->until, "New end: a date, or a duration added to the current end (90d)");
  extend->add_option("--reason", o->reason, "Why");
  commands.push_back({extend, [&global, o] { return RunAction(global, *o, "extend"); }});

  CLI::App* close = sub->add_subcommand("close", "Close an executed request");
  add_handle(close);
  close->add_option("--reason", o->reason, "What ended it (required)");
  commands.push_back({close, [&global, o] { return RunAction(global, *o, "close"); }});

  CLI::App* list = sub->add_subcommand(
      "list", "Requests the organisation is party to, due and overdue clocks first");
  add_as(list);
  list->add_option("--state", o->state, "Only this state");
  list->add_option("--direction", o->direction, "in (received) or out (sent)");
  list->add_flag("--json", o->as_json, "Print {\"requests\": [...]} as the REST API does");
  commands.push_back({list, [&global, o] { return RunList(global, *o); }});

  CLI::App* show = sub->add_subcommand(
      "show", "Show a request with its clocks in both parties' time zones and its history");
  add_handle(show);
  show->add_flag("--html", o->as_html, "The printable document as HTML");
  show->add_option("--pdf", o->pdf, "The printable document as a PDF file (needs Debian's chromium)");
  show->add_option("--output", o->output, "Write to FILE instead of stdout");
  show->add_option("--attachment", o->attachment, "Extract this attachment (verified against its SHA-256)");
  commands.push_back({show, [&global, o] { return RunShow(global, *o); }});

  CLI::App* clocks = sub->add_subcommand("clocks", "Show or set the node's clocks (admin)");
  add_as(clocks);
  clocks->add_option("--ack-emergency", o->ack_emergency, "Acknowledgement window, e.g. 2h");
  clocks->add_option("--ack-urgent", o->ack_urgent, "e.g. 24h");
  clocks->add_option("--ack-normal", o->ack_normal, "e.g. 72h");
  clocks->add_option("--preservation-period", o->preservation_period, "At least 60d");
  clocks->add_option("--reminders", o->reminders, "Leads before expiry, e.g. 14d,3d,1d");
  commands.push_back({clocks, [&global, o] { return RunClocks(global, *o); }});

  CLI::App* tick = sub->add_subcommand(
      "tick", "Raise the reminders and escalations due now (the server does this every minute)");
  commands.push_back({tick, [&global] { return RunTick(global); }});

  CLI::App* notices = sub->add_subcommand("notices", "Reminders and escalations for the organisation");
  add_as(notices);
  commands.push_back({notices, [&global, o] { return RunNotices(global, *o); }});
}

}  // namespace accord::cli
