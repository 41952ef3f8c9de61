#include "server/rest_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace accord::server::rest {
namespace {

constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64Url[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kBase64Url[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    size_t v = kBase64Url.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

std::optional<int64_t> ParseNonNegative(std::string_view text) {
  int64_t value = 0;
  if (text.empty() || text.size() > 18) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

json NullIfEmpty(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

// Absent and null both mean "not given".
const json* Member(const json& object, const std::string& key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  SendJson(res, status, {{"error", {{"status", status}, {"message", message}}}});
}

void SendBodyStatus(httplib::Response& res, const Status& status) {
  if (status.code() == Status::Code::kIoError || status.code() == Status::Code::kCorruption) {
    return SendError(res, 400, status.message());
  }
  SendStatus(res, status);
}

void SendStatus(httplib::Response& res, const Status& status) {
  int http_status = HttpStatusFor(status);
  if (status.code() == Status::Code::kUnavailable) {
    // Another writer held the node longer than a write waits: nothing was
    // written, and the same request a moment later will do.
    res.set_header("Retry-After", "2");
    CurrentRequestNotes().error = status.ToString();
    return SendError(res, http_status, "the node is busy with another write; nothing was changed, try again");
  }
  if (http_status >= 500) {
    CurrentRequestNotes().error = status.ToString();
    return SendError(res, http_status, "the server could not complete the request");
  }
  SendError(res, http_status, status.message());
}

bool HasMediaType(const httplib::Request& req, std::string_view media_type) {
  std::string value = req.get_header_value("Content-Type");
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') value.pop_back();
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value == media_type;
}

std::optional<json> ReadJsonObject(const httplib::Request& req, httplib::Response& res) {
  if (!HasMediaType(req, "application/json")) {
    SendError(res, 415, "the request body must be application/json");
    return std::nullopt;
  }
  if (JsonNestsDeeperThan(req.body, kMaxJsonBodyDepth)) {
    SendError(res, 400, fmt::format("the body nests arrays and objects more than {} deep", kMaxJsonBodyDepth));
    return std::nullopt;
  }
  // The parser's exception stays inside this function; callers get a value.
  json body;
  try {
    body = json::parse(req.body);
  } catch (const json::parse_error& e) {
    SendError(res, 400, fmt::format("malformed JSON at byte {}", e.byte));
    return std::nullopt;
  }
  if (!body.is_object()) {
    SendError(res, 400, "the request body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

Result<std::optional<std::string>> OptionalString(const json& object, const std::string& key,
                                                  const std::string& where) {
  const json* value = Member(object, key);
  if (!value) return std::optional<std::string>();
  if (!value->is_string()) return Status::Invalid(where + ": expected a string");
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<int64_t>> OptionalInteger(const json& object, const std::string& key,
                                               const std::string& where) {
  const json* value = Member(object, key);
  if (!value) return std::optional<int64_t>();
  if (!value->is_number_integer()) return Status::Invalid(where + ": expected an integer");
  if (value->is_number_unsigned() && value->get<uint64_t>() > INT64_MAX) {
    return Status::Invalid(where + ": integer out of range");
  }
  return std::optional<int64_t>(value->get<int64_t>());
}

Result<std::optional<bool>> OptionalBool(const json& object, const std::string& key,
                                         const std::string& where) {
  const json* value = Member(object, key);
  if (!value) return std::optional<bool>();
  if (!value->is_boolean()) return Status::Invalid(where + ": expected true or false");
  return std::optional<bool>(value->get<bool>());
}

Result<std::optional<std::vector<std::string>>> OptionalStringArray(const json& object,
                                                                    const std::string& key,
                                                                    const std::string& where) {
  const json* value = Member(object, key);
  if (!value) return std::optional<std::vector<std::string>>();
  if (!value->is_array()) return Status::Invalid(where + ": expected an array of strings");
  std::vector<std::string> items;
  for (size_t item_idx = 0; item_idx < value->size(); ++item_idx) {
    const json& item = (*value)[item_idx];
    if (!item.is_string()) {
      return Status::Invalid(fmt::format("{}[{}]: expected a string", where, item_idx));
    }
    items.push_back(item.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(items));
}

Result<std::optional<std::string>> OptionalTimestamp(const json& object, const std::string& key,
                                                     const std::string& where) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(object, key, where));
  if (!text || text->empty()) return std::optional<std::string>();
  Result<std::string> normalized = NormalizeTimestamp(*text);
  if (!normalized.ok()) return Status::Invalid(where + ": not an RFC 3339 timestamp");
  return std::optional<std::string>(*normalized);
}

Status OnlyKnownFields(const json& object, const std::vector<std::string_view>& known,
                       const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return Status::Invalid(fmt::format("{}{}: unknown field", where, where.empty() ? key : "." + key));
    }
  }
  return Status::Ok();
}

Result<int64_t> PageLimit(const httplib::Request& req) {
  if (!req.has_param("limit")) return kDefaultPageLimit;
  std::optional<int64_t> limit = ParseNonNegative(req.get_param_value("limit"));
  if (!limit || *limit < 1) return Status::Invalid("limit: expected a positive integer");
  return std::min(*limit, kMaxPageLimit);
}

Result<std::optional<std::string>> QueryTimestamp(const httplib::Request& req,
                                                  const std::string& name) {
  if (!req.has_param(name.c_str())) return std::optional<std::string>();
  Result<std::string> normalized = NormalizeTimestamp(req.get_param_value(name.c_str()));
  if (!normalized.ok() || normalized->empty()) {
    return Status::Invalid(name + ": not an RFC 3339 timestamp");
  }
  return std::optional<std::string>(*normalized);
}

Result<std::optional<Tlp>> QueryTlp(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name.c_str())) return std::optional<Tlp>();
  std::optional<Tlp> tlp = ParseTlp(req.get_param_value(name.c_str()));
  if (!tlp) return Status::Invalid(name + ": expected clear, green, amber, amber+strict or red");
  return std::optional<Tlp>(*tlp);
}

std::string EncodeCursor(std::string_view kind, const std::vector<int64_t>& numbers) {
  std::string text(kind);
  for (int64_t number : numbers) text += ":" + std::to_string(number);
  return Base64UrlEncode(text);
}

Result<std::vector<int64_t>> DecodeCursor(std::string_view token, std::string_view kind,
                                          size_t count) {
  const Status bad = Status::Invalid("cursor: not a token this listing handed out");
  if (token.size() > 200) return bad;
  std::optional<std::string> text = Base64UrlDecode(token);
  if (!text || !text->starts_with(std::string(kind) + ":")) return bad;
  std::vector<int64_t> numbers;
  std::string_view rest = std::string_view(*text).substr(kind.size() + 1);
  while (true) {
    size_t colon = rest.find(':');
    std::optional<int64_t> number = ParseNonNegative(rest.substr(0, colon));
    if (!number) return bad;
    numbers.push_back(*number);
    if (colon == std::string_view::npos) break;
    rest = rest.substr(colon + 1);
  }
  if (numbers.size() != count) return bad;
  return numbers;
}

Result<OrgDirectory> OrgDirectory::Load(Store& store) {
  ASSIGN_OR_RETURN(auto orgs, store.ListOrganisations());
  OrgDirectory directory;
  for (const auto& org : orgs) directory.names_.emplace(org.id, org.name);
  return directory;
}

json OrgDirectory::Ref(int64_t org_id) const {
  auto it = names_.find(org_id);
  return {{"id", org_id}, {"name", it == names_.end() ? json(nullptr) : json(it->second)}};
}

std::optional<int64_t> OrgDirectory::FindByName(const std::string& name) const {
  for (const auto& [id, org_name] : names_) {
    if (org_name == name) return id;
  }
  // People type "bka" for "BKA": a name that differs only in the case of
  // its ASCII letters is the organisation, when only one is so named.
  const auto folded = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
  };
  const std::string wanted = folded(name);
  std::optional<int64_t> found;
  for (const auto& [id, org_name] : names_) {
    if (folded(org_name) != wanted) continue;
    if (found) return std::nullopt;  // "Bka" and "BKA": say neither
    found = id;
  }
  return found;
}

json ContextJson(const IndicatorContext& context) {
  return {{"role", NullIfEmpty(context.role)},
          {"confidence", context.confidence ? json(*context.confidence) : json(nullptr)},
          {"first_seen", NullIfEmpty(context.first_seen)},
          {"last_seen", NullIfEmpty(context.last_seen)},
          {"valid_until", NullIfEmpty(context.valid_until)},
          {"comment", NullIfEmpty(context.comment)},
          {"stix_id", NullIfEmpty(context.stix_id)},
          {"is_indicator", context.is_indicator},
          {"family", NullIfEmpty(context.family)}};
}

json ObservableJson(const Observable& observable) {
  return {{"type", TypeName(observable.type)}, {"value", observable.value}};
}

json IndicatorJson(const LinkedObservable& link) {
  json out = ContextJson(link.context);
  out["type"] = TypeName(link.observable.type);
  out["value"] = link.observable.value;
  out["warninglist"] = NullIfEmpty(link.warninglist);
  return out;
}

json EventJson(const EventSummary& event, const OrgDirectory& orgs) {
  json recipients = json::array();
  for (int64_t org_id : event.recipient_org_ids) recipients.push_back(orgs.Ref(org_id));
  // MISP's grading by name, null for an event that never had one.
  json threat_level = nullptr;
  if (event.threat_level) threat_level = ThreatLevelName(*event.threat_level);
  json analysis = nullptr;
  if (event.analysis) analysis = AnalysisStageName(*event.analysis);
  return {{"uuid", event.uuid},
          {"title", event.title},
          {"description", event.description},
          {"tlp", TlpName(event.tlp)},
          {"owner", orgs.Ref(event.owner_org_id)},
          {"recipients", std::move(recipients)},
          {"tags", event.tags},
          {"created", event.created},
          {"modified", event.modified},
          {"stix_id", NullIfEmpty(event.stix_id)},
          {"source", NullIfEmpty(event.source)},
          {"indicator_count", event.observable_count},
          {"threat_level", std::move(threat_level)},
          {"analysis", std::move(analysis)}};
}

bool Visible(const RequestContext& ctx, const EventSummary& event) {
  return MayRead(ctx.principal, Visibility{event.tlp, event.owner_org_id, event.recipient_org_ids});
}

bool MaySubmit(Role role) {
  return role == Role::kAdmin || role == Role::kAnalyst || role == Role::kContributor;
}

bool MayDelete(Role role) { return role == Role::kAdmin || role == Role::kAnalyst; }

AuditEntry AuditFor(const RequestContext& ctx, std::string action, std::string object,
                    std::string detail) {
  AuditEntry entry;
  entry.actor = ctx.actor;
  entry.action = std::move(action);
  entry.object = std::move(object);
  entry.detail = std::move(detail);
  entry.source_address = ctx.remote_address;
  return entry;
}

void RegisterAllowedMethods(httplib::Server& http, const std::string& pattern,
                            const std::vector<std::string>& allowed) {
  std::string allow;
  for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  auto refuse = [allow](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Allow", allow);
    SendError(res, 405, fmt::format("{} is not allowed on {}; allowed: {}", req.method, req.path,
                                    allow));
  };
  auto is_allowed = [&allowed](std::string_view method) {
    return std::find(allowed.begin(), allowed.end(), method) != allowed.end();
  };
  if (!is_allowed("GET")) http.Get(pattern, refuse);
  if (!is_allowed("POST")) http.Post(pattern, refuse);
  if (!is_allowed("PUT")) http.Put(pattern, refuse);
  if (!is_allowed("PATCH")) http.Patch(pattern, refuse);
  if (!is_allowed("DELETE")) http.Delete(pattern, refuse);
  http.Options(pattern, [allow](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", allow + ", OPTIONS");
    res.status = 204;
  });
}

// RFC 6266: an ASCII fallback name and the exact one percent-encoded.
std::string ContentDisposition(const std::string& name) {
  std::string fallback;
  std::string encoded;
  for (unsigned char c : name) {
    const bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    fallback.push_back(plain || c == ' ' ? static_cast<char>(c) : '_');
    encoded += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

httplib::Server::Handler Route(ServerState& state, RouteHandler handler) {
  return Authenticated(
      state, ErrorStyle::kRest,
      [handler](const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
        Status status = handler(req, res, ctx);
        if (!status.ok()) SendStatus(res, status);
      });
}

Result<bool> IsOperatorAdmin(const RequestContext& ctx) {
  if (ctx.principal.role != Role::kAdmin) return false;
  ASSIGN_OR_RETURN(std::optional<std::string> operator_id, ctx.store->GetMeta("operator_org_id"));
  return operator_id && *operator_id == std::to_string(ctx.principal.org_id);
}

}  // namespace accord::server::rest
