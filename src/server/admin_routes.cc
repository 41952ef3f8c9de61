// REST administration routes; the rules themselves live in admin_ops.cc,
// shared with the CLI. This file decides who may call what and speaks JSON.
#include "server/admin_routes.h"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <optional>

#include "core/crypto.h"
#include "server/admin_ops.h"

namespace accord::server {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultAuditPage = 100;
constexpr int64_t kMaxAuditPage = 1000;

void WriteStatus(httplib::Response& res, const Status& status) {
  WriteRestError(res, HttpStatusFor(status), status.message());
}

admin::AuditSource SourceOf(const RequestContext& ctx) {
  return {ctx.actor, ctx.remote_address};
}

// What the calling admin may reach.
struct AdminScope {
  int64_t own_org_id = 0;
  bool is_operator = false;  // an admin of the node's operator organisation
};

Result<AdminScope> RequireAdmin(const RequestContext& ctx) {
  if (ctx.principal.role != Role::kAdmin) {
    return Status::PermissionDenied("this needs an admin key (your key's role is " +
                                    std::string(RoleName(ctx.principal.role)) + ")");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> operator_id, ctx.store->GetMeta("operator_org_id"));
  return AdminScope{ctx.principal.org_id,
                    operator_id && *operator_id == std::to_string(ctx.principal.org_id)};
}

Status RequireOperator(const AdminScope& scope, std::string_view what) {
  if (scope.is_operator) return Status::Ok();
  return Status::PermissionDenied(
      fmt::format("only an admin of the node's operator organisation may {}", what));
}

// The organisation a request acts on: the caller's own unless it names
// another, which only the operator's admins may.
Result<int64_t> TargetOrganisation(const AdminScope& scope, std::optional<int64_t> requested) {
  if (!requested || *requested == scope.own_org_id) return scope.own_org_id;
  RETURN_IF_ERROR(RequireOperator(scope, "manage another organisation's users and keys"));
  return *requested;
}

Result<std::optional<int64_t>> ParseId(std::string_view text, std::string_view field) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    return Status::Invalid(fmt::format("{}: '{}' is not a non-negative integer", field, text));
  }
  return std::optional<int64_t>(value);
}

Result<std::optional<int64_t>> QueryInt(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name)) return std::optional<int64_t>();
  return ParseId(req.get_param_value(name), name);
}

// The body of a POST: a JSON object whose fields are all in `allowed`.
// Writes the error (415 or 400) and returns nullopt when it is not.
std::optional<json> ReadObjectBody(const httplib::Request& req, httplib::Response& res,
                                   std::initializer_list<std::string_view> allowed) {
  const std::string type = req.get_header_value("Content-Type");
  if (!type.empty() && type.rfind("application/json", 0) != 0) {
    WriteRestError(res, 415, fmt::format("Content-Type must be application/json, not '{}'", type));
    return std::nullopt;
  }
  if (JsonNestsDeeperThan(req.body, kMaxJsonBodyDepth)) {
    WriteRestError(res, 400, fmt::format("the body nests arrays and objects more than {} deep", kMaxJsonBodyDepth));
    return std::nullopt;
  }
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    WriteRestError(res, 400, "the request body must be a JSON object");
    return std::nullopt;
  }
  for (const auto& [field, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
      WriteRestError(res, 400, fmt::format("{}: unknown field", field));
      return std::nullopt;
    }
  }
  return body;
}

Result<std::string> StringField(const json& body, const char* field, bool required) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) return Status::Invalid(fmt::format("{}: required", field));
    return std::string();
  }
  if (!it->is_string()) return Status::Invalid(fmt::format("{}: must be a string", field));
  return it->get<std::string>();
}

Result<std::optional<int64_t>> IdField(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    return Status::Invalid(fmt::format("{}: must be a non-negative integer", field));
  }
  return std::optional<int64_t>(it->get<int64_t>());
}

Result<std::map<int64_t, std::string>> OrganisationNames(Store& store) {
  ASSIGN_OR_RETURN(std::vector<Organisation> orgs, store.ListOrganisations());
  std::map<int64_t, std::string> names;
  for (const Organisation& org : orgs) names[org.id] = org.name;
  return names;
}

Status RequireOrganisationExists(Store& store, int64_t org_id) {
  ASSIGN_OR_RETURN(std::optional<Organisation> org, store.FindOrganisationById(org_id));
  if (!org) return Status::NotFound(fmt::format("organisation_id: no organisation {}", org_id));
  return Status::Ok();
}

// Each handler returns a Status; a non-ok one becomes the JSON error.
using AdminHandler = std::function<Status(const httplib::Request&, httplib::Response&,
                                          RequestContext&, const AdminScope&)>;

httplib::Server::Handler AdminOnly(ServerState& state, AdminHandler handler) {
  return Authenticated(state, ErrorStyle::kRest,
                       [handler = std::move(handler)](const httplib::Request& req,
                                                      httplib::Response& res,
                                                      RequestContext& ctx) {
                         Result<AdminScope> scope = RequireAdmin(ctx);
                         Status status = scope.ok() ? handler(req, res, ctx, *scope)
                                                    : scope.status();
                         if (!status.ok()) WriteStatus(res, status);
                       });
}

// The node's directory, for every member's key (not admins alone): an
// analyst names AMBER and RED recipients from it, a private partner that is
// in no 24/7 directory included. Names, countries, kinds and 24/7 contacts
// are what members share anyway; which organisation stands in for a peer
// node (shares_with_id) is the node's set-up, shown to admins only, as
// users and keys are.
httplib::Server::Handler MemberDirectory(ServerState& state, AdminHandler handler) {
  return Authenticated(state, ErrorStyle::kRest,
                       [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                                      RequestContext& ctx) {
                         Status status = handler(req, res, ctx, AdminScope{ctx.principal.org_id, false});
                         if (!status.ok()) WriteStatus(res, status);
                       });
}

json DirectoryJson(const RequestContext& ctx, const Organisation& org) {
  json entry = admin::OrganisationJson(org);
  if (ctx.principal.role != Role::kAdmin) entry["shares_with_id"] = nullptr;
  return entry;
}

Status ListOrganisations(const httplib::Request&, httplib::Response& res, RequestContext& ctx,
                         const AdminScope&) {
  ASSIGN_OR_RETURN(std::vector<Organisation> orgs, ctx.store->ListOrganisations());
  json list = json::array();
  for (const Organisation& org : orgs) list.push_back(DirectoryJson(ctx, org));
  WriteJson(res, 200, {{"organisations", std::move(list)}});
  return Status::Ok();
}

Status GetOrganisation(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                       const AdminScope&) {
  const std::string id = req.matches[1];
  std::optional<Organisation> found;
  if (IsUuid(id)) {
    ASSIGN_OR_RETURN(std::vector<Organisation> orgs, ctx.store->ListOrganisations());
    for (Organisation& org : orgs) {
      if (org.uuid == id) found = std::move(org);
    }
  } else {
    ASSIGN_OR_RETURN(std::optional<int64_t> numeric, ParseId(id, "id"));
    ASSIGN_OR_RETURN(found, ctx.store->FindOrganisationById(*numeric));
  }
  if (!found) return Status::NotFound(fmt::format("id: no organisation '{}'", id));
  WriteJson(res, 200, DirectoryJson(ctx, *found));
  return Status::Ok();
}

Status CreateOrganisation(const httplib::Request& req, httplib::Response& res,
                          RequestContext& ctx, const AdminScope& scope) {
  RETURN_IF_ERROR(RequireOperator(scope, "create organisations"));
  std::optional<json> body =
      ReadObjectBody(req, res, {"name", "country", "kind", "contact", "shares_with_id"});
  if (!body) return Status::Ok();  // the error is written
  admin::NewOrganisation request;
  ASSIGN_OR_RETURN(std::optional<int64_t> shares_with, IdField(*body, "shares_with_id"));
  request.shares_with_org_id = shares_with.value_or(0);
  ASSIGN_OR_RETURN(request.name, StringField(*body, "name", true));
  ASSIGN_OR_RETURN(request.country, StringField(*body, "country", true));
  ASSIGN_OR_RETURN(request.kind, StringField(*body, "kind", true));
  ASSIGN_OR_RETURN(request.contact, StringField(*body, "contact", false));
  ASSIGN_OR_RETURN(Organisation org, admin::CreateOrganisation(*ctx.store, request, SourceOf(ctx),
                                                               ctx.state->clock));
  res.set_header("Location", fmt::format("/api/v1/organisations/{}", org.id));
  WriteJson(res, 201, admin::OrganisationJson(org));
  return Status::Ok();
}

Status ListUsers(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                 const AdminScope& scope) {
  ASSIGN_OR_RETURN(std::optional<int64_t> requested, QueryInt(req, "organisation_id"));
  std::optional<int64_t> filter;
  if (requested || !scope.is_operator) {
    ASSIGN_OR_RETURN(filter, TargetOrganisation(scope, requested));
  }
  ASSIGN_OR_RETURN(auto names, OrganisationNames(*ctx.store));
  ASSIGN_OR_RETURN(std::vector<User> users, ctx.store->ListUsers(filter));
  json list = json::array();
  for (const User& user : users) list.push_back(admin::UserJson(user, names[user.org_id]));
  WriteJson(res, 200, {{"users", std::move(list)}});
  return Status::Ok();
}

Status CreateUser(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                  const AdminScope& scope) {
  std::optional<json> body = ReadObjectBody(req, res, {"name", "role", "email", "organisation_id"});
  if (!body) return Status::Ok();
  admin::NewUser request;
  ASSIGN_OR_RETURN(std::optional<int64_t> requested, IdField(*body, "organisation_id"));
  ASSIGN_OR_RETURN(request.org_id, TargetOrganisation(scope, requested));
  RETURN_IF_ERROR(RequireOrganisationExists(*ctx.store, request.org_id));
  ASSIGN_OR_RETURN(request.name, StringField(*body, "name", true));
  ASSIGN_OR_RETURN(request.role, StringField(*body, "role", true));
  ASSIGN_OR_RETURN(request.email, StringField(*body, "email", false));
  ASSIGN_OR_RETURN(User user,
                   admin::CreateUser(*ctx.store, request, SourceOf(ctx), ctx.state->clock));
  ASSIGN_OR_RETURN(auto names, OrganisationNames(*ctx.store));
  WriteJson(res, 201, admin::UserJson(user, names[user.org_id]));
  return Status::Ok();
}

Status ListKeys(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                const AdminScope& scope) {
  ASSIGN_OR_RETURN(std::optional<int64_t> requested, QueryInt(req, "organisation_id"));
  std::optional<int64_t> filter;
  if (requested || !scope.is_operator) {
    ASSIGN_OR_RETURN(filter, TargetOrganisation(scope, requested));
  }
  ASSIGN_OR_RETURN(auto names, OrganisationNames(*ctx.store));
  ASSIGN_OR_RETURN(std::vector<ApiKey> keys, ctx.store->ListApiKeys(filter));
  const std::string now = FormatTimestamp(ctx.state->clock.Now());
  json list = json::array();
  for (const ApiKey& key : keys) list.push_back(admin::KeyJson(key, names[key.org_id], now));
  WriteJson(res, 200, {{"keys", std::move(list)}});
  return Status::Ok();
}

Status CreateKey(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                 const AdminScope& scope) {
  std::optional<json> body = ReadObjectBody(req, res, {"user", "role", "expires", "organisation_id"});
  if (!body) return Status::Ok();
  admin::NewKey request;
  ASSIGN_OR_RETURN(std::optional<int64_t> requested, IdField(*body, "organisation_id"));
  ASSIGN_OR_RETURN(request.org_id, TargetOrganisation(scope, requested));
  RETURN_IF_ERROR(RequireOrganisationExists(*ctx.store, request.org_id));
  ASSIGN_OR_RETURN(request.user, StringField(*body, "user", true));
  ASSIGN_OR_RETURN(request.role, StringField(*body, "role", false));
  ASSIGN_OR_RETURN(request.expires, StringField(*body, "expires", false));
  ASSIGN_OR_RETURN(admin::CreatedKey created,
                   admin::CreateKey(*ctx.store, request, SourceOf(ctx), ctx.state->clock));
  ASSIGN_OR_RETURN(auto names, OrganisationNames(*ctx.store));
  json out = admin::KeyJson(created.key, names[created.key.org_id],
                            FormatTimestamp(ctx.state->clock.Now()));
  // The only time the secret leaves the node: keep it out of caches.
  out["key"] = created.token;
  out["user_created"] = created.user_created;
  res.set_header("Cache-Control", "no-store");
  WriteJson(res, 201, out);
  return Status::Ok();
}

Status RevokeKey(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                 const AdminScope& scope) {
  const std::string key_id = req.matches[1];
  std::optional<int64_t> only_org;
  if (!scope.is_operator) only_org = scope.own_org_id;
  ASSIGN_OR_RETURN(ApiKey key, admin::RevokeKey(*ctx.store, key_id, only_org, SourceOf(ctx),
                                                ctx.state->clock));
  ASSIGN_OR_RETURN(auto names, OrganisationNames(*ctx.store));
  WriteJson(res, 200, admin::KeyJson(key, names[key.org_id], FormatTimestamp(ctx.state->clock.Now())));
  return Status::Ok();
}

Status ListAudit(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                 const AdminScope& scope) {
  RETURN_IF_ERROR(RequireOperator(scope, "read the audit log"));
  ASSIGN_OR_RETURN(std::optional<int64_t> after_seq, QueryInt(req, "after_seq"));
  ASSIGN_OR_RETURN(std::optional<int64_t> limit, QueryInt(req, "limit"));
  if (limit && (*limit < 1 || *limit > kMaxAuditPage)) {
    return Status::Invalid(fmt::format("limit: must be between 1 and {}", kMaxAuditPage));
  }
  const int64_t page = limit.value_or(kDefaultAuditPage);
  json records = json::array();
  int64_t last_seq = 0;
  bool more = false;
  // Whose key wrote a record: another organisation's record keeps who,
  // what action, when and from where, but not what it acted on (a value of
  // its RED event, a sensor's name): the operator's admin reads the log
  // over HTTP under TLP like any read. `accord audit show` on the node
  // itself prints every record whole.
  std::map<std::string, int64_t> key_orgs;
  auto written_by_another = [&](const AuditEntry& entry) -> Result<bool> {
    if (!entry.actor.starts_with("key:")) return false;  // the node's own CLI and jobs
    const std::string key_id = entry.actor.substr(4);
    auto known = key_orgs.find(key_id);
    if (known == key_orgs.end()) {
      ASSIGN_OR_RETURN(std::optional<ApiKey> key, ctx.store->FindApiKey(key_id));
      known = key_orgs.emplace(key_id, key ? key->org_id : 0).first;
    }
    return known->second != ctx.principal.org_id;
  };
  // One record past the page tells whether there is a next page.
  RETURN_IF_ERROR(ctx.store->ForEachAuditAfter(
      after_seq.value_or(0), page + 1, [&](const AuditEntry& entry) -> Status {
        if (static_cast<int64_t>(records.size()) == page) {
          more = true;
          return Status::Ok();
        }
        json record = admin::AuditJson(entry);
        ASSIGN_OR_RETURN(const bool withheld, written_by_another(entry));
        record["withheld"] = withheld;
        if (withheld) {
          record["object"] = nullptr;
          record["detail"] = nullptr;
        }
        records.push_back(std::move(record));
        last_seq = entry.seq;
        return Status::Ok();
      }));
  WriteJson(res, 200,
            {{"audit", std::move(records)}, {"next", more ? json(last_seq) : json(nullptr)}});
  return Status::Ok();
}

Status VerifyAudit(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                   const AdminScope& scope) {
  RETURN_IF_ERROR(RequireOperator(scope, "verify the audit log"));
  std::vector<AuditAnchor> anchors;
  for (size_t anchor_idx = 0; anchor_idx < req.get_param_value_count("anchor"); ++anchor_idx) {
    ASSIGN_OR_RETURN(AuditAnchor anchor, ParseAuditAnchor(req.get_param_value("anchor", anchor_idx)));
    anchors.push_back(std::move(anchor));
  }
  ASSIGN_OR_RETURN(AuditVerification result, ctx.store->VerifyAudit(anchors));
  WriteJson(res, 200,
            {{"intact", result.intact},
             {"records", result.records},
             {"history_lines", result.history_lines},
             {"history_lines_unsealed", result.history_lines_unsealed},
             {"first_bad_seq", result.intact ? json(nullptr) : json(result.first_bad_seq)},
             {"problem", result.intact ? json(nullptr) : json(result.problem)},
             // A broken log's head is no anchor to keep.
             {"head", !result.intact || result.head_hash.empty() ? json(nullptr)
                                                : json(std::to_string(result.records) + ":" + result.head_hash)}});
  return Status::Ok();
}

// Other methods on these paths: 405 naming what is allowed, instead of the
// 404 the router would give.
void RefuseOtherMethods(httplib::Server& http, const std::string& pattern, const char* allowed) {
  auto refuse = [allowed](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Allow", allowed);
    WriteRestError(res, 405, fmt::format("{} is not allowed on {} (allowed: {})", req.method,
                                         req.path, allowed));
  };
  const std::string_view allowed_view = allowed;
  if (allowed_view.find("GET") == std::string_view::npos) http.Get(pattern, refuse);
  if (allowed_view.find("POST") == std::string_view::npos) http.Post(pattern, refuse);
  if (allowed_view.find("DELETE") == std::string_view::npos) http.Delete(pattern, refuse);
  http.Put(pattern, refuse);
  http.Patch(pattern, refuse);
}

}  // namespace

void RegisterAdminRoutes(httplib::Server& http, ServerState& state) {
  http.Get("/api/v1/organisations", MemberDirectory(state, ListOrganisations));
  http.Post("/api/v1/organisations", AdminOnly(state, CreateOrganisation));
  http.Get(R"(/api/v1/organisations/([^/]+))", MemberDirectory(state, GetOrganisation));
  http.Get("/api/v1/users", AdminOnly(state, ListUsers));
  http.Post("/api/v1/users", AdminOnly(state, CreateUser));
  http.Get("/api/v1/keys", AdminOnly(state, ListKeys));
  http.Post("/api/v1/keys", AdminOnly(state, CreateKey));
  http.Delete(R"(/api/v1/keys/([^/]+))", AdminOnly(state, RevokeKey));
  http.Get("/api/v1/audit", AdminOnly(state, ListAudit));
  http.Get("/api/v1/audit/verify", AdminOnly(state, VerifyAudit));

  RefuseOtherMethods(http, "/api/v1/organisations", "GET, POST");
  RefuseOtherMethods(http, R"(/api/v1/organisations/([^/]+))", "GET");
  RefuseOtherMethods(http, "/api/v1/users", "GET, POST");
  RefuseOtherMethods(http, "/api/v1/keys", "GET, POST");
  RefuseOtherMethods(http, R"(/api/v1/keys/([^/]+))", "DELETE");
  RefuseOtherMethods(http, "/api/v1/audit", "GET");
  RefuseOtherMethods(http, "/api/v1/audit/verify", "GET");
}

}  // namespace accord::server
