// TAXII 2.1 under /taxii2/ (OASIS TAXII 2.1, docs/TAXII.md): Server
// Discovery (4.1), Get API Root Information (4.2), Get Status (4.3), Get
// Collections (5.1) and Get a Collection (5.2) here; collection content in
// taxii_objects.cc and taxii_post.cc.
//
// URLs end in '/' as the specification writes them; the same URL without
// it is served too, since clients join paths differently (taxii2-client
// builds the status URL without one).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>

#include "server/taxii_internal.h"

namespace accord::server {
namespace {

using nlohmann::json;
using taxii::Collection;

// 406 unless the client accepts the TAXII media type; true when it does.
bool Negotiated(const httplib::Request& req, httplib::Response& res) {
  if (taxii::AcceptsTaxii(req)) return true;
  WriteTaxiiError(res, 406, "Not Acceptable",
                  std::string("this server answers with ") + kTaxiiMediaType);
  return false;
}

bool KnownApiRoot(const httplib::Request& req, httplib::Response& res) {
  if (req.matches[1].str() == taxii::kApiRoot) return true;
  WriteTaxiiError(res, 404, "Not Found", "no API root '" + req.matches[1].str() + "'");
  return false;
}

// A Host header as a client may send it: a name or address and a port, with
// nothing that could change the URL's meaning.
bool IsPlainHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
           c == '[' || c == ']';
  });
}

// Absolute, as TAXII clients join it as is. Without a configured public URL
// the client's own Host header is the address that reached us: the listen
// address (0.0.0.0, or a container's) may not be reachable from outside.
std::string ApiRootUrl(const httplib::Request& req, const ServerState& state) {
  std::string base = state.base_url;
  const std::string host = req.get_header_value("Host");
  if (!state.base_url_configured && IsPlainHost(host)) {
    base = (base.rfind("https://", 0) == 0 ? "https://" : "http://") + host;
  }
  return fmt::format("{}/taxii2/{}/", base, taxii::kApiRoot);
}

json CollectionResource(const Collection& collection, const Principal& principal) {
  return {{"id", collection.id},
          {"title", collection.title},
          {"description", collection.description},
          {"alias", collection.alias},
          // Every organisation may read its own objects at every level, so
          // every principal can read something in every collection; TLP
          // decides which objects (docs/TAXII.md).
          {"can_read", true},
          {"can_write", taxii::MayWrite(principal.role)},
          {"media_types", {kStixMediaType}}};
}

void Discovery(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!Negotiated(req, res)) return;
  std::string title = "Accord TAXII 2.1 server";
  std::string contact;
  // The operator organisation names the node; a lookup failure only costs
  // the optional fields.
  auto operator_id = ctx.store->GetMeta("operator_org_id");
  if (operator_id.ok() && *operator_id) {
    int64_t org_id = std::strtoll((*operator_id)->c_str(), nullptr, 10);
    auto org = ctx.store->FindOrganisationById(org_id);
    if (org.ok() && *org) {
      title += " of " + (*org)->name;
      contact = (*org)->contact;
    }
  }
  json discovery = {
      {"title", title},
      {"description",
       "Cyber threat intelligence shared on this Accord node, one collection per TLP 2.0 level."},
      {"default", ApiRootUrl(req, *ctx.state)},
      {"api_roots", {ApiRootUrl(req, *ctx.state)}}};
  if (!contact.empty()) discovery["contact"] = contact;
  WriteJson(res, 200, discovery, kTaxiiMediaType);
}

void ApiRoot(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!KnownApiRoot(req, res) || !Negotiated(req, res)) return;
  WriteJson(res, 200,
            {{"title", "Accord"},
             {"description", "STIX 2.1 objects by TLP 2.0 level"},
             {"versions", {kTaxiiMediaType}},
             {"max_content_length", ctx.state->config.max_body_bytes}},
            kTaxiiMediaType);
}

void ListCollections(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!KnownApiRoot(req, res) || !Negotiated(req, res)) return;
  json collections = json::array();
  for (const Collection& collection : taxii::Collections()) {
    collections.push_back(CollectionResource(collection, ctx.principal));
  }
  WriteJson(res, 200, {{"collections", collections}}, kTaxiiMediaType);
}

void GetCollection(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!KnownApiRoot(req, res)) return;
  const Collection* collection = taxii::FindCollection(req.matches[2].str());
  if (collection == nullptr) {
    return WriteTaxiiError(res, 404, "Not Found", "no collection '" + req.matches[2].str() + "'");
  }
  if (!Negotiated(req, res)) return;
  WriteJson(res, 200, CollectionResource(*collection, ctx.principal), kTaxiiMediaType);
}

void GetStatus(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!KnownApiRoot(req, res) || !Negotiated(req, res)) return;
  const std::string id = req.matches[2].str();
  auto row = ctx.store->GetTaxiiStatus(id);
  if (!row.ok()) {
    CurrentRequestNotes().error = "TAXII status read: " + row.status().ToString();
    return WriteTaxiiError(res, 500, "Internal error", "the status could not be read");
  }
  // Another organisation's status is as unknown as a missing one.
  if (!*row || (*row)->org_id != ctx.principal.org_id) {
    return WriteTaxiiError(res, 404, "Not Found", "no status '" + id + "'");
  }
  taxii::WriteTaxii(res, 200, (*row)->resource_json);
}

// The methods a TAXII resource answers: POST only adds objects.
std::string AllowedOn(const std::string& path) {
  static const std::regex kObjectsPath(R"(^/taxii2/[^/]+/collections/[^/]+/objects/?$)");
  return std::regex_match(path, kObjectsPath) ? "GET, POST" : "GET";
}

void MethodNotAllowed(const httplib::Request& req, httplib::Response& res, RequestContext&) {
  // HTTP requires a 405 to say what is allowed.
  const std::string allow = AllowedOn(req.path);
  res.set_header("Allow", allow);
  WriteTaxiiError(res, 405, "Method Not Allowed",
                  fmt::format("{} is not supported on {}; allowed: {}", req.method, req.path, allow));
}

}  // namespace

void RegisterTaxiiRoutes(httplib::Server& http, ServerState& state) {
  auto taxii_route = [&state](auto handler) {
    return Authenticated(state, ErrorStyle::kTaxii, handler);
  };
  http.Get(R"(/taxii2/?)", taxii_route(Discovery));
  http.Get(R"(/taxii2/([^/]+)/?)", taxii_route(ApiRoot));
  http.Get(R"(/taxii2/([^/]+)/collections/?)", taxii_route(ListCollections));
  http.Get(std::string(taxii::kCollectionPath) + "/?", taxii_route(GetCollection));
  http.Get(R"(/taxii2/([^/]+)/status/([^/]+)/?)", taxii_route(GetStatus));
  taxii::RegisterObjectRoutes(http, state);
  taxii::RegisterPostRoutes(http, state);
  // Deleting an object is refused with 403 (RegisterObjectRoutes): shared
  // intelligence is revoked by a new version, and the audit trail stays.
  // POST adds objects only (RegisterPostRoutes, above): on any other
  // resource it is refused the same way, not "Not Found".
  http.Post(R"(/taxii2/.*)", taxii_route(MethodNotAllowed));
  http.Delete(R"(/taxii2/.*)", taxii_route(MethodNotAllowed));
  http.Put(R"(/taxii2/.*)", taxii_route(MethodNotAllowed));
  http.Patch(R"(/taxii2/.*)", taxii_route(MethodNotAllowed));
  // OPTIONS says what a resource allows (RFC 9110 9.3.7), without a key:
  // it is the same for every collection, so it tells nothing held.
  http.Options(R"(/taxii2/.*)", [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Allow", AllowedOn(req.path) + ", OPTIONS");
    res.status = 204;
  });
}

}  // namespace accord::server
