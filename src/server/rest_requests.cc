// 24/7 network over HTTP: /api/v1/pocs (the directory of points of contact)
// and /api/v1/requests (urgent cross-border requests, their actions, notes,
// links, attachments and printable document), with /api/v1/requests-types,
// /api/v1/requests-clocks and /api/v1/notices.
//
// Every rule lives in requests/request_ops.h, shared with the CLI: who may
// read or act, the state machine, the legal fields, versions, audit. This
// file only turns HTTP into those calls and their results into JSON, so both
// front doors refuse the same things with the same words.
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <span>

#include "core/crypto.h"
#include "requests/request_ops.h"
#include "server/query_parameters.h"
#include "server/rest_common.h"

namespace accord::server::rest {
namespace {

const std::string kPocPattern = R"(/api/v1/pocs/([^/]+))";
const std::string kRequestPattern = R"(/api/v1/requests/([^/]+))";
const std::string kActionsPattern = R"(/api/v1/requests/([^/]+)/actions)";
const std::string kNotesPattern = R"(/api/v1/requests/([^/]+)/notes)";
const std::string kLinksPattern = R"(/api/v1/requests/([^/]+)/links)";
const std::string kAttachmentsPattern = R"(/api/v1/requests/([^/]+)/attachments)";
const std::string kAttachmentPattern = R"(/api/v1/requests/([^/]+)/attachments/([^/]+))";
const std::string kDocumentPattern = R"(/api/v1/requests/([^/]+)/document)";

requests::Actor ActorOf(const RequestContext& ctx) {
  return requests::Actor{ctx.principal, ctx.actor, ctx.remote_address};
}

// The JSON object body with no members beyond `known`; nullopt when the
// refusal (415, or 400 naming the position or the field) is written.
std::optional<json> ReadBody(const httplib::Request& req, httplib::Response& res,
                             const std::vector<std::string_view>& known) {
  std::optional<json> body = ReadJsonObject(req, res);
  if (!body) return std::nullopt;
  Status fields = OnlyKnownFields(*body, known, "");
  if (!fields.ok()) {
    SendStatus(res, fields);
    return std::nullopt;
  }
  return body;
}

Result<std::string> RequiredString(const json& object, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(object, key, key));
  if (!value) return Status::Invalid(key + ": required");
  return *value;
}

Result<int64_t> Version(const json& body) {
  ASSIGN_OR_RETURN(std::optional<int64_t> version, OptionalInteger(body, "version", "version"));
  if (version && *version < 1) return Status::Invalid("version: expected a positive integer");
  return version.value_or(0);
}

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

// "fields": {"name": "text", ...}. With `null_clears` (a draft edit) a null
// value is "", which removes the field; otherwise null members are left out.
Result<requests::Fields> FieldsMember(const json& body, bool null_clears) {
  requests::Fields fields;
  auto it = body.find("fields");
  if (it == body.end() || it->is_null()) return fields;
  if (!it->is_object()) return Status::Invalid("fields: expected an object of strings");
  for (const auto& [name, value] : it->items()) {
    if (value.is_null()) {
      if (null_clears) fields[name] = "";
      continue;
    }
    if (!value.is_string()) return Status::Invalid("fields." + name + ": expected a string");
    fields[name] = value.get<std::string>();
  }
  return fields;
}

// "to": an organisation id, or its name.
Result<int64_t> Recipient(Store& store, const json& body) {
  auto it = body.find("to");
  if (it == body.end() || it->is_null()) {
    return Status::Invalid("to: required (an organisation id or name)");
  }
  if (it->is_string()) {
    const std::string name = it->get<std::string>();
    ASSIGN_OR_RETURN(std::optional<Organisation> org, store.FindOrganisationByName(name));
    if (!org) return Status::NotFound("to: no organisation named '" + name + "' on this node");
    return org->id;
  }
  if (!it->is_number_integer()) {
    return Status::Invalid("to: expected an organisation id (integer) or name (string)");
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> id, OptionalInteger(body, "to", "to"));
  return *id;
}

// The request as the viewer sees it now (RequestView in docs/openapi.json).
Status SendView(httplib::Response& res, RequestContext& ctx, const std::string& handle,
                int http_status) {
  ASSIGN_OR_RETURN(requests::RequestView view,
                   requests::ViewRequest(*ctx.store, ctx.principal, handle));
  SendJson(res, http_status, requests::RequestViewJson(view, ctx.state->clock.Now()));
  return Status::Ok();
}

// The printable document. The policy forbids scripts and outside resources:
// the page is built from parties' free text, and escaping is its only other
// defence.
Status SendDocument(httplib::Response& res, RequestContext& ctx, const std::string& handle) {
  ASSIGN_OR_RETURN(requests::RequestView view,
                   requests::ViewRequest(*ctx.store, ctx.principal, handle));
  res.status = 200;
  res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(requests::RenderHtml(view, ctx.state->clock.Now()), "text/html; charset=utf-8");
  return Status::Ok();
}

// --- points of contact ---

Result<int64_t> OrgIdOf(const httplib::Request& req) {
  const std::string text = req.matches[1];
  std::optional<int64_t> id = ParseId(text);
  if (!id) return Status::Invalid("org_id: '" + text + "' is not an organisation id (an integer)");
  return *id;
}

// [{"kind": "phone", "value": "+49 ..."}]; the kinds and values are checked
// by SetPointOfContact.
Result<std::vector<ContactChannel>> Channels(const json& object, const std::string& key,
                                             const std::string& where) {
  std::vector<ContactChannel> channels;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return channels;
  if (!it->is_array()) return Status::Invalid(where + ": expected an array of {kind, value}");
  for (size_t channel_idx = 0; channel_idx < it->size(); ++channel_idx) {
    const json& item = (*it)[channel_idx];
    const std::string at = fmt::format("{}[{}]", where, channel_idx);
    if (!item.is_object()) return Status::Invalid(at + ": expected an object {kind, value}");
    RETURN_IF_ERROR(OnlyKnownFields(item, {"kind", "value"}, at));
    ASSIGN_OR_RETURN(std::optional<std::string> kind, OptionalString(item, "kind", at + ".kind"));
    ASSIGN_OR_RETURN(std::optional<std::string> value,
                     OptionalString(item, "value", at + ".value"));
    channels.push_back({kind.value_or(""), value.value_or("")});
  }
  return channels;
}

Status ListPocs(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::string country = req.get_param_value("country");
  for (char& c : country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (req.has_param("country") && country.size() != 2) {
    return Status::Invalid("country: expected an ISO 3166-1 alpha-2 code, e.g. DE");
  }
  ASSIGN_OR_RETURN(std::vector<Organisation> orgs, ctx.store->ListOrganisations());
  ASSIGN_OR_RETURN(std::vector<PointOfContact> pocs, ctx.store->ListPointsOfContact());
  json list = json::array();
  for (const PointOfContact& poc : pocs) {
    for (const Organisation& org : orgs) {
      if (org.id != poc.org_id || (!country.empty() && org.country != country)) continue;
      list.push_back(requests::PointOfContactJson(poc, org));
    }
  }
  SendJson(res, 200, {{"points_of_contact", std::move(list)}});
  return Status::Ok();
}

Status GetPoc(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(int64_t org_id, OrgIdOf(req));
  ASSIGN_OR_RETURN(std::optional<Organisation> org, ctx.store->FindOrganisationById(org_id));
  if (!org) return Status::NotFound(fmt::format("organisation {} does not exist", org_id));
  ASSIGN_OR_RETURN(std::optional<PointOfContact> poc, ctx.store->GetPointOfContact(org_id));
  if (!poc) return Status::NotFound(org->name + " has no point of contact");
  SendJson(res, 200, requests::PointOfContactJson(*poc, *org));
  return Status::Ok();
}

Status PutPoc(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(int64_t org_id, OrgIdOf(req));
  std::optional<json> body =
      ReadBody(req, res, {"name", "languages", "hours", "time_zone", "channels", "backup"});
  if (!body) return Status::Ok();
  PointOfContact poc;
  poc.org_id = org_id;
  ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(*body, "name", "name"));
  poc.name = name.value_or("");
  ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> languages,
                   OptionalStringArray(*body, "languages", "languages"));
  poc.languages = languages.value_or(std::vector<std::string>{});
  ASSIGN_OR_RETURN(std::optional<std::string> hours, OptionalString(*body, "hours", "hours"));
  poc.hours = hours.value_or("");
  ASSIGN_OR_RETURN(std::optional<std::string> zone,
                   OptionalString(*body, "time_zone", "time_zone"));
  poc.time_zone = zone.value_or("");
  ASSIGN_OR_RETURN(poc.channels, Channels(*body, "channels", "channels"));
  if (auto backup = body->find("backup"); backup != body->end() && !backup->is_null()) {
    if (!backup->is_object()) return Status::Invalid("backup: expected an object {name, channels}");
    RETURN_IF_ERROR(OnlyKnownFields(*backup, {"name", "channels"}, "backup"));
    ASSIGN_OR_RETURN(std::optional<std::string> backup_name,
                     OptionalString(*backup, "name", "backup.name"));
    poc.backup_name = backup_name.value_or("");
    ASSIGN_OR_RETURN(poc.backup_channels, Channels(*backup, "channels", "backup.channels"));
  }
  ASSIGN_OR_RETURN(PointOfContact stored,
                   requests::SetPointOfContact(*ctx.store, ActorOf(ctx), poc, ctx.state->clock));
  ASSIGN_OR_RETURN(std::optional<Organisation> org, ctx.store->FindOrganisationById(org_id));
  if (!org) return Status::NotFound(fmt::format("organisation {} does not exist", org_id));
  SendJson(res, 200, requests::PointOfContactJson(stored, *org));
  return Status::Ok();
}

Status DeletePoc(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(int64_t org_id, OrgIdOf(req));
  RETURN_IF_ERROR(
      requests::RemovePointOfContact(*ctx.store, ActorOf(ctx), org_id, ctx.state->clock));
  res.status = 204;
  return Status::Ok();
}

// --- requests ---

Status ListRequestSummaries(const httplib::Request& req, httplib::Response& res,
                            RequestContext& ctx) {
  requests::ListOptions options{req.get_param_value("state"), req.get_param_value("direction")};
  ASSIGN_OR_RETURN(std::vector<RequestRow> rows,
                   requests::ListRequests(*ctx.store, ctx.principal, options));
  ASSIGN_OR_RETURN(std::vector<Organisation> orgs, ctx.store->ListOrganisations());
  const TimePoint now = ctx.state->clock.Now();
  json list = json::array();
  // ListRequests' order (running clocks first, soonest first) is the answer's.
  for (const RequestRow& row : rows) list.push_back(requests::RequestJson(row, orgs, now));
  SendJson(res, 200, {{"requests", std::move(list)}});
  return Status::Ok();
}

Status OpenRequest(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::optional<json> body =
      ReadBody(req, res, {"type", "urgency", "to", "subject", "fields", "send"});
  if (!body) return Status::Ok();
  requests::NewRequest request;
  ASSIGN_OR_RETURN(request.type, RequiredString(*body, "type"));
  ASSIGN_OR_RETURN(std::optional<std::string> urgency, OptionalString(*body, "urgency", "urgency"));
  request.urgency = urgency.value_or("");
  ASSIGN_OR_RETURN(request.to_org_id, Recipient(*ctx.store, *body));
  ASSIGN_OR_RETURN(std::optional<std::string> subject, OptionalString(*body, "subject", "subject"));
  request.subject = subject.value_or("");
  ASSIGN_OR_RETURN(request.fields, FieldsMember(*body, /*null_clears=*/false));
  ASSIGN_OR_RETURN(std::optional<bool> send, OptionalBool(*body, "send", "send"));
  ASSIGN_OR_RETURN(RequestRow row,
                   requests::CreateRequest(*ctx.store, ActorOf(ctx), request, ctx.state->clock));
  const std::string location = "/api/v1/requests/" + row.uuid;
  // Set even when sending fails: the draft exists and the client may fix it.
  res.set_header("Location", location);
  if (send.value_or(false)) {
    requests::ActionInput input;
    input.action = "send";
    input.expected_version = row.version;
    auto sent = requests::Act(*ctx.store, ActorOf(ctx), row.uuid, input, ctx.state->clock);
    if (!sent.ok()) {
      return sent.status().WithContext(fmt::format(
          "request {} was saved as a draft ({}) but not sent", row.reference, location));
    }
  }
  return SendView(res, ctx, row.uuid, 201);
}

// `format=html|json`, else the Accept header: a browser asking for a page
// gets the printable document.
Result<bool> WantsHtml(const httplib::Request& req) {
  if (req.has_param("format")) {
    const std::string format = req.get_param_value("format");
    if (format != "html" && format != "json") return Status::Invalid("format: html or json");
    return format == "html";
  }
  return req.get_header_value("Accept").find("text/html") != std::string::npos;
}

Status ShowRequest(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(bool html, WantsHtml(req));
  res.set_header("Vary", "Accept");
  if (html) return SendDocument(res, ctx, req.matches[1]);
  return SendView(res, ctx, req.matches[1], 200);
}

Status GetDocument(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  return SendDocument(res, ctx, req.matches[1]);
}

Status EditRequest(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::optional<json> body = ReadBody(req, res, {"subject", "urgency", "fields", "version"});
  if (!body) return Status::Ok();
  requests::DraftChanges changes;
  ASSIGN_OR_RETURN(changes.subject, OptionalString(*body, "subject", "subject"));
  ASSIGN_OR_RETURN(changes.urgency, OptionalString(*body, "urgency", "urgency"));
  ASSIGN_OR_RETURN(changes.fields, FieldsMember(*body, /*null_clears=*/true));
  ASSIGN_OR_RETURN(changes.expected_version, Version(*body));
  ASSIGN_OR_RETURN(RequestRow row, requests::EditDraft(*ctx.store, ActorOf(ctx), req.matches[1],
                                                       changes, ctx.state->clock));
  return SendView(res, ctx, row.uuid, 200);
}

Status ActOnRequest(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::optional<json> body = ReadBody(req, res, {"action", "reason", "preserved_until", "version"});
  if (!body) return Status::Ok();
  requests::ActionInput input;
  ASSIGN_OR_RETURN(input.action, RequiredString(*body, "action"));
  ASSIGN_OR_RETURN(std::optional<std::string> reason, OptionalString(*body, "reason", "reason"));
  input.reason = reason.value_or("");
  ASSIGN_OR_RETURN(std::optional<std::string> until,
                   OptionalString(*body, "preserved_until", "preserved_until"));
  input.preserved_until = until.value_or("");
  ASSIGN_OR_RETURN(input.expected_version, Version(*body));
  ASSIGN_OR_RETURN(RequestRow row, requests::Act(*ctx.store, ActorOf(ctx), req.matches[1], input,
                                                 ctx.state->clock));
  return SendView(res, ctx, row.uuid, 200);
}

Status PostNote(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::optional<json> body = ReadBody(req, res, {"text"});
  if (!body) return Status::Ok();
  ASSIGN_OR_RETURN(std::string text, RequiredString(*body, "text"));
  // The check words its errors for the CLI's --note; here the field is text.
  if (Status checked = requests::CheckNote(text); !checked.ok()) {
    return Status::Invalid("text: " + checked.message().substr(checked.message().find(':') + 2));
  }
  const std::string handle = req.matches[1];
  RETURN_IF_ERROR(requests::AddNote(*ctx.store, ActorOf(ctx), handle, text, ctx.state->clock));
  return SendView(res, ctx, handle, 201);
}

Status PostLink(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::optional<json> body = ReadBody(req, res, {"kind", "ref"});
  if (!body) return Status::Ok();
  ASSIGN_OR_RETURN(std::string kind, RequiredString(*body, "kind"));
  ASSIGN_OR_RETURN(std::string ref, RequiredString(*body, "ref"));
  const std::string handle = req.matches[1];
  RETURN_IF_ERROR(
      requests::LinkRequest(*ctx.store, ActorOf(ctx), handle, kind, ref, ctx.state->clock));
  return SendView(res, ctx, handle, 201);
}

// --- attachments ---

std::string Base64(std::span<const uint8_t> bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t at = 0; at < bytes.size(); at += 3) {
    const size_t left = bytes.size() - at;
    uint32_t group = static_cast<uint32_t>(bytes[at]) << 16;
    if (left > 1) group |= static_cast<uint32_t>(bytes[at + 1]) << 8;
    if (left > 2) group |= bytes[at + 2];
    out.push_back(kAlphabet[(group >> 18) & 0x3f]);
    out.push_back(kAlphabet[(group >> 12) & 0x3f]);
    out.push_back(left > 1 ? kAlphabet[(group >> 6) & 0x3f] : '=');
    out.push_back(left > 2 ? kAlphabet[group & 0x3f] : '=');
  }
  return out;
}

json AttachmentJson(const AttachmentRow& attachment) {
  return {{"id", attachment.id},
          {"name", attachment.name},
          {"media_type", attachment.media_type},
          {"size", attachment.size},
          {"sha256", attachment.sha256},
          {"added", attachment.added},
          {"actor", attachment.actor}};
}

Status PostAttachment(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  // cpp-httplib parses a form into req.files and leaves the body empty; the
  // bytes would be lost, so a form is refused rather than stored as nothing.
  if (req.is_multipart_form_data()) {
    SendError(res, 415,
              "send the file's bytes as the request body with its own Content-Type and "
              "?name=FILE, not a multipart form");
    return Status::Ok();
  }
  // The name exactly as sent ('=' in it included): the chain of custody
  // records it.
  const std::optional<std::string> name = QueryParameter(req.target, "name");
  if (!name) return Status::Invalid("name: required as ?name=FILE");
  const std::string handle = req.matches[1];
  ASSIGN_OR_RETURN(
      AttachmentRow stored,
      requests::Attach(*ctx.store, ActorOf(ctx), handle, *name,
                       req.get_header_value("Content-Type"), req.body, ctx.state->clock));
  ASSIGN_OR_RETURN(RequestRow row, requests::GetRequest(*ctx.store, ctx.principal, handle));
  res.set_header("Location",
                 fmt::format("/api/v1/requests/{}/attachments/{}", row.uuid, stored.id));
  SendJson(res, 201, AttachmentJson(stored));
  return Status::Ok();
}

Status GetAttachment(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  const std::string handle = req.matches[1];
  const std::string id_text = req.matches[2];
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return Status::NotFound("request " + handle + " has no attachment '" + id_text + "'");
  auto attachment = requests::ReadAttachment(*ctx.store, ctx.principal, handle, *id);
  if (attachment.status().code() == Status::Code::kCorruption) {
    // Altered evidence is the finding itself, not an internal detail: the
    // caller must learn which attachment and which hashes disagree.
    CurrentRequestNotes().error = attachment.status().ToString();
    SendError(res, 500, attachment.status().message());
    return Status::Ok();
  }
  if (!attachment.ok()) return attachment.status();
  const AttachmentRow& row = attachment->row;
  res.status = 200;
  res.set_header("X-Content-SHA256", row.sha256);
  res.set_header("Digest", "sha-256=" + Base64(Sha256(attachment->content)));
  // Stored bytes come from another organisation: never rendered or sniffed
  // on this origin (an HTML attachment must not run as the API's page).
  res.set_header("Content-Disposition", ContentDisposition(row.name));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", "sandbox");
  res.set_content(attachment->content, row.media_type);
  return Status::Ok();
}

// --- types, notices, clocks ---

Status ListTypes(const httplib::Request&, httplib::Response& res, RequestContext&) {
  json types = json::array();
  for (requests::RequestType type : requests::AllTypes()) {
    json fields = json::array();
    for (const requests::FieldSpec& spec : requests::FieldsOf(type)) {
      fields.push_back({{"name", spec.name},
                        {"label", spec.label},
                        {"basis", spec.basis},
                        {"required", spec.required}});
    }
    types.push_back({{"type", requests::Name(type)},
                     {"description", requests::Describe(type)},
                     {"default_urgency", requests::Name(requests::DefaultUrgency(type))},
                     {"fields", std::move(fields)}});
  }
  SendJson(res, 200, {{"types", std::move(types)}});
  return Status::Ok();
}

Status ListNotices(const httplib::Request&, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<RequestNotice> notices,
                   requests::NoticesFor(*ctx.store, ctx.principal));
  json list = json::array();
  for (const RequestNotice& notice : notices) {
    list.push_back({{"id", notice.id},
                    {"request_id", notice.request_id},
                    {"kind", notice.kind},
                    {"created", notice.created},
                    {"addressee", notice.addressee},
                    {"message", notice.message}});
  }
  SendJson(res, 200, {{"notices", std::move(list)}});
  return Status::Ok();
}

Status GetClocks(const httplib::Request&, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(requests::ClockPolicy policy, requests::LoadClockPolicy(*ctx.store));
  SendJson(res, 200, json::parse(requests::ClockPolicyJson(policy)));
  return Status::Ok();
}

Status PutClocks(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::optional<json> body = ReadBody(req, res, {"ack", "preservation_period", "reminders"});
  if (!body) return Status::Ok();
  if (auto ack = body->find("ack"); ack != body->end() && ack->is_object()) {
    RETURN_IF_ERROR(OnlyKnownFields(*ack, {"emergency", "urgent", "normal"}, "ack"));
  }
  ASSIGN_OR_RETURN(requests::ClockPolicy policy, requests::ParseClockPolicy(body->dump()));
  RETURN_IF_ERROR(requests::SaveClockPolicy(*ctx.store, ActorOf(ctx), policy, ctx.state->clock));
  SendJson(res, 200, json::parse(requests::ClockPolicyJson(policy)));
  return Status::Ok();
}

}  // namespace

void RegisterRequestRoutes(httplib::Server& http, ServerState& state) {
  http.Get("/api/v1/pocs", Route(state, ListPocs));
  RegisterAllowedMethods(http, "/api/v1/pocs", {"GET"});
  http.Get(kPocPattern, Route(state, GetPoc));
  http.Put(kPocPattern, Route(state, PutPoc));
  http.Delete(kPocPattern, Route(state, DeletePoc));
  RegisterAllowedMethods(http, kPocPattern, {"GET", "PUT", "DELETE"});

  http.Get("/api/v1/requests", Route(state, ListRequestSummaries));
  http.Post("/api/v1/requests", Route(state, OpenRequest));
  RegisterAllowedMethods(http, "/api/v1/requests", {"GET", "POST"});
  http.Get(kRequestPattern, Route(state, ShowRequest));
  http.Patch(kRequestPattern, Route(state, EditRequest));
  RegisterAllowedMethods(http, kRequestPattern, {"GET", "PATCH"});
  http.Post(kActionsPattern, Route(state, ActOnRequest));
  RegisterAllowedMethods(http, kActionsPattern, {"POST"});
  http.Post(kNotesPattern, Route(state, PostNote));
  RegisterAllowedMethods(http, kNotesPattern, {"POST"});
  http.Post(kLinksPattern, Route(state, PostLink));
  RegisterAllowedMethods(http, kLinksPattern, {"POST"});
  http.Post(kAttachmentsPattern, Route(state, PostAttachment));
  RegisterAllowedMethods(http, kAttachmentsPattern, {"POST"});
  http.Get(kAttachmentPattern, Route(state, GetAttachment));
  RegisterAllowedMethods(http, kAttachmentPattern, {"GET"});
  http.Get(kDocumentPattern, Route(state, GetDocument));
  RegisterAllowedMethods(http, kDocumentPattern, {"GET"});

  http.Get("/api/v1/requests-types", Route(state, ListTypes));
  RegisterAllowedMethods(http, "/api/v1/requests-types", {"GET"});
  http.Get("/api/v1/requests-clocks", Route(state, GetClocks));
  http.Put("/api/v1/requests-clocks", Route(state, PutClocks));
  RegisterAllowedMethods(http, "/api/v1/requests-clocks", {"GET", "PUT"});
  http.Get("/api/v1/notices", Route(state, ListNotices));
  RegisterAllowedMethods(http, "/api/v1/notices", {"GET"});
}

}  // namespace accord::server::rest
