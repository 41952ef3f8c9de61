// Request reads: visibility, the due-first list, JSON and the printable
// document.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "requests/request_ops.h"

namespace accord::requests {
namespace {

std::string OrgName(const std::vector<Organisation>& orgs, int64_t id) {
  for (const Organisation& org : orgs) {
    if (org.id == id) return org.name;
  }
  return "organisation " + std::to_string(id);
}

nlohmann::json DeadlineJson(const RequestRow& row, TimePoint now) {
  auto deadline = NextDeadline(row);
  if (!deadline) return nullptr;
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline->due - now).count();
  return {{"kind", deadline->kind},
          {"due", FormatTimestamp(deadline->due)},
          {"overdue", left < 0},
          {"seconds_left", left}};
}

nlohmann::json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ZoneOf(const std::optional<PointOfContact>& poc) {
  return poc && !poc->time_zone.empty() ? poc->time_zone : "UTC";
}

// An instant in UTC and in both parties' zones.
nlohmann::json LocalTimes(const std::string& utc, const RequestView& view) {
  if (utc.empty()) return nullptr;
  auto t = ParseTimestamp(utc);
  if (!t.ok()) return utc;
  nlohmann::json out = {{"utc", utc}};
  auto requester = FormatInZone(*t, ZoneOf(view.from_poc));
  auto recipient = FormatInZone(*t, ZoneOf(view.to_poc));
  out["requester"] = requester.ok() ? *requester : utc;
  out["recipient"] = recipient.ok() ? *recipient : utc;
  return out;
}

}  // namespace

Result<Principal> AsRequestReader(Store& store, Principal who) {
  if (who.role != Role::kAdmin) return who;
  ASSIGN_OR_RETURN(std::optional<std::string> operator_id, store.GetMeta("operator_org_id"));
  if (operator_id && *operator_id == std::to_string(who.org_id)) return who;
  who.role = Role::kAnalyst;
  return who;
}

Result<RequestRow> GetRequest(Store& store, const Principal& principal, const std::string& handle) {
  ASSIGN_OR_RETURN(const Principal who, AsRequestReader(store, principal));
  ASSIGN_OR_RETURN(auto row, store.FindRequest(handle));
  // An invisible request and an absent one answer alike.
  if (!row || !MayReadRequest(who, {row->from_org_id, row->to_org_id, NeverSent(*row)})) {
    return Status::NotFound("request " + handle + " does not exist");
  }
  return *row;
}

Result<std::vector<RequestRow>> ListRequests(Store& store, const Principal& principal,
                                             const ListOptions& options) {
  ASSIGN_OR_RETURN(const Principal who, AsRequestReader(store, principal));
  if (!options.direction.empty() && options.direction != "in" && options.direction != "out") {
    return Status::Invalid("direction '" + options.direction + "': in or out");
  }
  if (!options.state.empty()) RETURN_IF_ERROR(ParseState(options.state).status());
  RequestFilter filter;
  filter.party_org_id = who.role == Role::kAdmin && options.direction.empty() ? 0 : who.org_id;
  filter.state = options.state;
  std::vector<RequestRow> rows;
  RETURN_IF_ERROR(store.ForEachRequest(filter, [&](const RequestRow& row) {
    if (!MayReadRequest(who, {row.from_org_id, row.to_org_id, NeverSent(row)})) {
      return Status::Ok();
    }
    if (options.direction == "in" && row.to_org_id != who.org_id) return Status::Ok();
    if (options.direction == "out" && row.from_org_id != who.org_id) return Status::Ok();
    rows.push_back(row);
    return Status::Ok();
  }));
  // Running clocks first, the soonest (overdue ones are sooner than any)
  // at the top; then the rest, newest first.
  std::stable_sort(rows.begin(), rows.end(), [](const RequestRow& a, const RequestRow& b) {
    auto da = NextDeadline(a);
    auto db = NextDeadline(b);
    if (da && db) return da->due < db->due;
    if (da || db) return da.has_value();
    return a.id > b.id;
  });
  return rows;
}

Result<RequestView> ViewRequest(Store& store, const Principal& principal, const std::string& handle) {
  ASSIGN_OR_RETURN(const Principal who, AsRequestReader(store, principal));
  RequestView view;
  ASSIGN_OR_RETURN(view.row, GetRequest(store, who, handle));
  ASSIGN_OR_RETURN(view.fields, ParseFieldsJson(view.row.fields_json));
  ASSIGN_OR_RETURN(auto from, store.FindOrganisationById(view.row.from_org_id));
  ASSIGN_OR_RETURN(auto to, store.FindOrganisationById(view.row.to_org_id));
  if (!from || !to) return Status::Corruption("request " + view.row.reference + ": unknown party");
  view.from = *from;
  view.to = *to;
  ASSIGN_OR_RETURN(view.from_poc, store.GetPointOfContact(from->id));
  ASSIGN_OR_RETURN(view.to_poc, store.GetPointOfContact(to->id));
  ASSIGN_OR_RETURN(view.history, store.RequestHistory(view.row.id));
  ASSIGN_OR_RETURN(view.links, store.RequestLinks(view.row.id));
  ASSIGN_OR_RETURN(view.attachments, store.Attachments(view.row.id));
  // A party reads the notices addressed to it (as GET /notices does); a
  // node admin who is neither party oversees them all.
  const bool party = who.org_id == from->id || who.org_id == to->id;
  ASSIGN_OR_RETURN(view.notices, store.ListNotices(party ? who.org_id : 0, view.row.id));
  if (MayActOnRequest(who, {from->id, to->id, NeverSent(view.row)})) {
    ASSIGN_OR_RETURN(RequestType type, ParseType(view.row.type));
    ASSIGN_OR_RETURN(State state, ParseState(view.row.state));
    view.allowed = AllowedActions(
        type, state, who.org_id == from->id ? Side::kRequester : Side::kRecipient);
  }
  return view;
}

nlohmann::json RequestJson(const RequestRow& row, const std::vector<Organisation>& orgs,
                           TimePoint now) {
  nlohmann::json fields = nlohmann::json::object();
  nlohmann::json missing = nlohmann::json::array();
  if (auto parsed = ParseFieldsJson(row.fields_json); parsed.ok()) {
    for (const auto& [name, value] : *parsed) fields[name] = value;
    if (auto type = ParseType(row.type); type.ok()) {
      for (const FieldSpec& spec : MissingFields(*type, *parsed)) missing.push_back(spec.name);
    }
  }
  return {{"id", row.uuid},
          {"reference", row.reference},
          {"type", row.type},
          {"state", row.state},
          {"urgency", row.urgency},
          {"from", {{"id", row.from_org_id}, {"name", OrgName(orgs, row.from_org_id)}}},
          {"to", {{"id", row.to_org_id}, {"name", OrgName(orgs, row.to_org_id)}}},
          {"subject", row.subject},
          {"fields", std::move(fields)},
          {"missing_fields", std::move(missing)},
          {"created", row.created},
          {"updated", row.updated},
          {"sent_at", TextOrNull(row.sent_at)},
          {"ack_due", TextOrNull(row.ack_due)},
          {"acknowledged_at", TextOrNull(row.acknowledged_at)},
          {"executed_at", TextOrNull(row.executed_at)},
          {"preserved_until", TextOrNull(row.preserved_until)},
          {"closed_at", TextOrNull(row.closed_at)},
          {"escalated_at", TextOrNull(row.escalated_at)},
          {"deadline", DeadlineJson(row, now)},
          {"version", row.version}};
}

nlohmann::json RequestViewJson(const RequestView& view, TimePoint now) {
  nlohmann::json out = RequestJson(view.row, {view.from, view.to}, now);
  out["from"]["country"] = view.from.country;
  out["to"]["country"] = view.to.country;
  out["from"]["time_zone"] = ZoneOf(view.from_poc);
  out["to"]["time_zone"] = ZoneOf(view.to_poc);
  if (auto type = ParseType(view.row.type); type.ok()) out["type_description"] = Describe(*type);
  nlohmann::json clocks = nlohmann::json::object();
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"sent_at", &view.row.sent_at},
        {"ack_due", &view.row.ack_due},
        {"acknowledged_at", &view.row.acknowledged_at},
        {"executed_at", &view.row.executed_at},
        {"preserved_until", &view.row.preserved_until}}) {
    if (!value->empty()) clocks[name] = LocalTimes(*value, view);
  }
  out["local_times"] = std::move(clocks);
  nlohmann::json history = nlohmann::json::array();
  for (const RequestHistoryRow& line : view.history) {
    nlohmann::json entry = {{"time", line.time},       {"actor", line.actor},
                            {"action", line.action},   {"from_state", line.from_state},
                            {"to_state", line.to_state}, {"reason", line.reason}};
    entry["organisation"] = line.actor_org_id == view.from.id ? view.from.name
                            : line.actor_org_id == view.to.id ? view.to.name
                                                              : "";
    // What the step set (an extension's old and new end, an attachment's
    // name and SHA-256): the record must not need the audit log to be read.
    nlohmann::json detail = nlohmann::json::parse(line.detail, nullptr, /*allow_exceptions=*/false);
    entry["detail"] = detail.is_object() ? detail : nlohmann::json::object();
    history.push_back(std::move(entry));
  }
  out["history"] = std::move(history);
  nlohmann::json links = nlohmann::json::array();
  for (const RequestLinkRow& link : view.links) {
    links.push_back({{"kind", link.kind}, {"ref", link.ref}, {"added", link.added}});
  }
  out["links"] = std::move(links);
  nlohmann::json attachments = nlohmann::json::array();
  for (const AttachmentRow& attachment : view.attachments) {
    attachments.push_back({{"id", attachment.id},
                           {"name", attachment.name},
                           {"media_type", attachment.media_type},
                           {"size", attachment.size},
                           {"sha256", attachment.sha256},
                           {"added", attachment.added},
                           {"actor", attachment.actor}});
  }
  out["attachments"] = std::move(attachments);
  // The reminders, escalations and expiries the clocks raised, as
  // ViewRequest selected them for the viewer.
  nlohmann::json notices = nlohmann::json::array();
  for (const RequestNotice& notice : view.notices) {
    notices.push_back({{"kind", notice.kind},
                       {"created", notice.created},
                       {"organisation", notice.org_id == view.from.id ? view.from.name
                                        : notice.org_id == view.to.id ? view.to.name
                                                                      : ""},
                       {"addressee", notice.addressee},
                       {"message", notice.message}});
  }
  out["notices"] = std::move(notices);
  nlohmann::json allowed = nlohmann::json::array();
  for (Action action : view.allowed) {
    // A lapsed preservation is not renewed (ExtendedUntil): not offered.
    if (action == Action::kExtend && PreservationLapsed(view.row, now)) continue;
    allowed.push_back(Name(action));
  }
  out["allowed_actions"] = std::move(allowed);
  return out;
}

std::string RenderHtml(const RequestView& view, TimePoint now) {
  const RequestRow& row = view.row;
  auto type = ParseType(row.type);
  std::string html;
  auto line = [&](std::string_view text) { html.append(text).push_back('\n'); };
  line("<!DOCTYPE html>");
  line("<html lang=\"en\"><head><meta charset=\"utf-8\">");
  line(fmt::format("<title>{} {}</title>", Escape(row.reference), Escape(row.subject)));
  line("<style>body{font:11pt/1.45 system-ui,sans-serif;max-width:50em;margin:2em auto;"
       "color:#111}h1{font-size:16pt}h2{font-size:12pt;border-bottom:1px solid #999;"
       "margin-top:1.6em}table{border-collapse:collapse;width:100%}th,td{text-align:left;"
       "vertical-align:top;padding:.25em .5em;border-bottom:1px solid #ddd}th{width:32%}"
       ".basis{color:#555;font-size:9pt}.missing{color:#b00}.hash{font-family:monospace;"
       "font-size:9pt;word-break:break-all}@media print{body{margin:0}}</style>");
  line("</head><body>");
  line(fmt::format("<h1>{}</h1>", Escape(type.ok() ? Describe(*type) : row.type)));
  line("<table>");
  auto row_of = [&](std::string_view label, std::string_view value) {
    line(fmt::format("<tr><th>{}</th><td>{}</td></tr>", Escape(label), Escape(value)));
  };
  row_of("Reference", row.reference);
  row_of("Identifier", row.uuid);
  row_of("Subject", row.subject);
  row_of("State", row.state);
  row_of("Urgency", row.urgency);
  row_of("Requesting party", view.from.name + " (" + view.from.country + ")");
  row_of("Requested party", view.to.name + " (" + view.to.country + ")");
  line("</table>");
  line("<h2>Clocks</h2><table><tr><th>Clock</th><td>UTC / requesting party / requested party"
       "</td></tr>");
  const std::string_view ended = row.state == "refused"     ? "Refused"
                                 : row.state == "withdrawn" ? "Withdrawn"
                                                            : "Closed";
  for (const auto& [label, value] :
       {std::pair<std::string_view, const std::string*>{"Sent", &row.sent_at},
        {"Acknowledgement due", &row.ack_due},
        {"Acknowledged", &row.acknowledged_at},
        {"Executed", &row.executed_at},
        {"Preserved until", &row.preserved_until},
        {ended, &row.closed_at}}) {
    if (value->empty()) continue;
    nlohmann::json times = LocalTimes(*value, view);
    std::string text = *value;
    if (times.is_object()) {
      text = times["utc"].get<std::string>() + " / " + times["requester"].get<std::string>() +
             " / " + times["recipient"].get<std::string>();
    }
    row_of(label, text);
  }
  if (auto deadline = NextDeadline(row)) {
    const bool overdue = deadline->due < now;
    row_of("Next deadline", std::string(deadline->kind) + " " + FormatTimestamp(deadline->due) +
                                (overdue ? " (OVERDUE)" : ""));
  }
  line("</table>");
  line("<h2>Request</h2><table>");
  if (type.ok()) {
    for (const FieldSpec& spec : FieldsOf(*type)) {
      auto it = view.fields.find(spec.name);
      const bool present = it != view.fields.end() &&
                           it->second.find_first_not_of(" \t\r\n") != std::string::npos;
      std::string cell = present ? Escape(it->second)
                                 : (spec.required ? "<span class=\"missing\">missing</span>"
                                                  : "&mdash;");
      line(fmt::format("<tr><th>{}<div class=\"basis\">{}</div></th><td style=\"white-space:"
                       "pre-wrap\">{}</td></tr>",
                       Escape(spec.label), Escape(spec.basis), cell));
    }
  }
  line("</table>");
  if (!view.links.empty()) {
    line("<h2>Linked records</h2><table>");
    for (const RequestLinkRow& link : view.links) row_of(link.kind, link.ref);
    line("</table>");
  }
  if (!view.attachments.empty()) {
    line("<h2>Attachments (chain of custody)</h2><table>");
    for (const AttachmentRow& attachment : view.attachments) {
      line(fmt::format("<tr><th>{}</th><td>{} bytes, {}, added {} by {}<div class=\"hash\">"
                       "SHA-256 {}</div></td></tr>",
                       Escape(attachment.name), attachment.size, Escape(attachment.media_type),
                       Escape(attachment.added), Escape(attachment.actor),
                       Escape(attachment.sha256)));
    }
    line("</table>");
  }
  line("<h2>Points of contact</h2><table>");
  for (const auto& [label, org, poc] :
       {std::tuple<std::string_view, const Organisation*, const std::optional<PointOfContact>*>{
            "Requesting party", &view.from, &view.from_poc},
        {"Requested party", &view.to, &view.to_poc}}) {
    std::string text = org->name;
    if (*poc) {
      const PointOfContact& contact = **poc;
      if (!contact.name.empty()) text += " — " + contact.name;
      for (const ContactChannel& channel : contact.channels) text += "; " + channel.kind + " " + channel.value;
      if (!contact.hours.empty()) text += "; hours " + contact.hours;
      if (!contact.time_zone.empty()) text += " (" + contact.time_zone + ")";
      if (!contact.languages.empty()) {
        std::string languages;
        for (const std::string& language : contact.languages) languages += (languages.empty() ? "" : ", ") + language;
        text += "; languages " + languages;
      }
      if (!contact.backup_name.empty() || !contact.backup_channels.empty()) {
        text += "; backup " + contact.backup_name;
        for (const ContactChannel& channel : contact.backup_channels) text += "; " + channel.kind + " " + channel.value;
      }
    } else if (!org->contact.empty()) {
      text += " — " + org->contact;
    }
    row_of(label, text);
  }
  line("</table>");
  line("<h2>History</h2><table>");
  for (const RequestHistoryRow& entry : view.history) {
    std::string what = entry.action;
    if (entry.from_state != entry.to_state) what += ": " + entry.from_state + " → " + entry.to_state;
    if (!entry.reason.empty()) what += " — " + entry.reason;
    const nlohmann::json detail = nlohmann::json::parse(entry.detail, nullptr, /*allow_exceptions=*/false);
    if (detail.is_object()) {
      for (const auto& [key, value] : detail.items()) {
        what += "; " + key + " " + (value.is_string() ? value.get<std::string>() : value.dump());
      }
    }
    const std::string organisation = entry.actor_org_id == view.from.id ? view.from.name
                                     : entry.actor_org_id == view.to.id ? view.to.name
                                                                        : "";
    row_of(entry.time + " " + entry.actor + (organisation.empty() ? "" : " (" + organisation + ")"), what);
  }
  line("</table>");
  line(fmt::format("<p class=\"basis\">Printed {} from the Accord node's record; every entry "
                   "above is also in its hash-chained audit log (accord audit verify).</p>",
                   FormatTimestamp(now)));
  line("</body></html>");
  return html;
}

}  // namespace accord::requests
