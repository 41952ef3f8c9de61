// TAXII 2.1 reads of a collection's content: Get Objects (5.4), Get an
// Object (5.6), Get Object Manifests (5.3), Get Object Versions (5.8);
// Delete an Object (5.7) is refused.
//
// Bodies are written as text around the stored objects' JSON, never parsed
// and re-serialized: a page of 1,000 objects is one copy (bench/http).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "exchange/exchange.h"
#include "server/taxii_internal.h"

namespace accord::server::taxii {
namespace {

std::string Quoted(const std::string& text) { return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// The checks every collection read makes, in the order TAXII clients
// expect: unknown API root or collection 404, then media type 406. Returns
// nullptr once it has written the error.
const Collection* OpenCollection(const httplib::Request& req, httplib::Response& res) {
  if (req.matches[1].str() != kApiRoot) {
    WriteTaxiiError(res, 404, "Not Found", "no API root '" + req.matches[1].str() + "'");
    return nullptr;
  }
  const Collection* collection = FindCollection(req.matches[2].str());
  if (collection == nullptr) {
    WriteTaxiiError(res, 404, "Not Found", "no collection '" + req.matches[2].str() + "'");
    return nullptr;
  }
  if (!AcceptsTaxii(req)) {
    WriteTaxiiError(res, 406, "Not Acceptable",
                    std::string("this server answers with ") + kTaxiiMediaType);
    return nullptr;
  }
  return collection;
}

// Parses the query; writes the 400 and returns nullopt when it is bad.
std::optional<PageQuery> QueryOrError(const httplib::Request& req, httplib::Response& res,
                                      Endpoint endpoint) {
  Result<PageQuery> query = ParsePageQuery(req, endpoint);
  if (!query.ok()) {
    WriteTaxiiError(res, 400, "Bad Request", query.status().message());
    return std::nullopt;
  }
  return std::move(query).value();
}

void WriteStoreError(httplib::Response& res, const Status& status) {
  int http_status = HttpStatusFor(status);
  if (http_status == 400) return WriteTaxiiError(res, 400, "Bad Request", status.message());
  if (http_status == 503) {
    res.set_header("Retry-After", "2");
    return WriteTaxiiError(res, 503, "Service Unavailable", "the node is busy with another write; try again");
  }
  CurrentRequestNotes().error = "TAXII read: " + status.ToString();
  WriteTaxiiError(res, 500, "Internal error", "the server could not read the collection");
}

// "more" and, when more follow, "next" (also on manifest and versions
// resources, where it is an extension taxii2-client's pager understands).
std::string PagingMembers(const Page& page) {
  std::string members = fmt::format(R"("more":{})", page.more ? "true" : "false");
  if (page.more) {
    members += R"(,"next":)" + Quoted(EncodeNextToken(page.next));
  }
  return members;
}

std::string Envelope(const Page& page) {
  std::string body = "{" + PagingMembers(page);
  if (!page.objects.empty()) {
    body += R"(,"objects":[)";
    for (size_t object_idx = 0; object_idx < page.objects.size(); ++object_idx) {
      if (object_idx > 0) body += ',';
      const StoredStixObject& object = page.objects[object_idx];
      // An object that came unmarked is served marked at the level it is
      // held at (RED, AMBER+STRICT), as `accord export` writes it. Not the
      // identities and TLP definitions served beside the objects, which are
      // the same in every collection (a peer pulling two would otherwise
      // get two contents of one version), nor marking definitions.
      const bool as_held = (object_idx < page.shared.size() && page.shared[object_idx]) ||
                           object.type == "marking-definition";
      std::optional<std::string> marked;
      if (!as_held) marked = StixWithTlpMarking(object.json, object.tlp);
      body += marked ? *marked : object.json;
    }
    body += ']';
  }
  return body + "}";
}

// True when the principal may read some version of `object_id` in the
// collection: an object filtered to nothing is an empty answer, an object
// it cannot see is a 404 (its existence is not revealed).
Result<bool> ObjectVisible(RequestContext& ctx, const Collection& collection,
                           const std::string& object_id) {
  StixObjectFilter any;
  any.ids = {object_id};
  any.tlps = {collection.tlp};
  ASSIGN_OR_RETURN(Page page, ReadVisiblePage(ctx, any, 1));
  return !page.objects.empty();
}

void GetObjects(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  const Collection* collection = OpenCollection(req, res);
  if (collection == nullptr) return;
  std::optional<PageQuery> query = QueryOrError(req, res, Endpoint::kObjects);
  if (!query) return;
  query->filter.tlps = {collection->tlp};
  Result<Page> page = ReadVisiblePage(ctx, query->filter, query->limit, query->cursor);
  if (!page.ok()) return WriteStoreError(res, page.status());
  SetDateAddedHeaders(res, page->objects);
  WriteTaxii(res, 200, Envelope(*page));
}

// One object's page (its versions, filtered by the query) in the collection
// named by the request. Answers the error itself and returns nullopt when the
// collection or query is bad, or when the object is absent or not visible
// (both 404, so existence is never revealed).
std::optional<Page> ReadObjectPage(const httplib::Request& req, httplib::Response& res,
                                   RequestContext& ctx, Endpoint endpoint) {
  const Collection* collection = OpenCollection(req, res);
  if (collection == nullptr) return std::nullopt;
  std::optional<PageQuery> query = QueryOrError(req, res, endpoint);
  if (!query) return std::nullopt;
  const std::string object_id = req.matches[3].str();
  query->filter.ids = {object_id};
  query->filter.tlps = {collection->tlp};
  Result<Page> page = ReadVisiblePage(ctx, query->filter, query->limit, query->cursor);
  if (!page.ok()) {
    WriteStoreError(res, page.status());
    return std::nullopt;
  }
  if (page->objects.empty()) {
    Result<bool> visible = ObjectVisible(ctx, *collection, object_id);
    if (!visible.ok()) {
      WriteStoreError(res, visible.status());
      return std::nullopt;
    }
    if (!*visible) {
      WriteTaxiiError(res, 404, "Not Found",
                      "no object '" + object_id + "' in collection " + collection->alias);
      return std::nullopt;
    }
  }
  return std::move(page).value();
}

void GetObject(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::optional<Page> page = ReadObjectPage(req, res, ctx, Endpoint::kObject);
  if (!page) return;
  SetDateAddedHeaders(res, page->objects);
  WriteTaxii(res, 200, Envelope(*page));
}

void GetVersions(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::optional<Page> page = ReadObjectPage(req, res, ctx, Endpoint::kVersions);
  if (!page) return;
  std::string body = "{" + PagingMembers(*page);
  if (!page->objects.empty()) {
    body += R"(,"versions":[)";
    for (size_t object_idx = 0; object_idx < page->objects.size(); ++object_idx) {
      if (object_idx > 0) body += ',';
      body += Quoted(VersionOf(page->objects[object_idx]));
    }
    body += ']';
  }
  SetDateAddedHeaders(res, page->objects);
  WriteTaxii(res, 200, body + "}");
}

void GetManifest(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  const Collection* collection = OpenCollection(req, res);
  if (collection == nullptr) return;
  std::optional<PageQuery> query = QueryOrError(req, res, Endpoint::kManifest);
  if (!query) return;
  query->filter.tlps = {collection->tlp};
  Result<Page> page = ReadVisiblePage(ctx, query->filter, query->limit, query->cursor);
  if (!page.ok()) return WriteStoreError(res, page.status());
  std::string body = "{" + PagingMembers(*page);
  if (!page->objects.empty()) {
    body += R"(,"objects":[)";
    for (size_t object_idx = 0; object_idx < page->objects.size(); ++object_idx) {
      const StoredStixObject& object = page->objects[object_idx];
      if (object_idx > 0) body += ',';
      body += fmt::format(R"({{"id":{},"date_added":{},"version":{},"media_type":{}}})",
                          Quoted(object.id), Quoted(object.date_added),
                          Quoted(VersionOf(object)), Quoted(kStixMediaType));
    }
    body += ']';
  }
  SetDateAddedHeaders(res, page->objects);
  WriteTaxii(res, 200, body + "}");
}

// TAXII 2.1 5.7 (Delete an Object) allows 403 and 404 as refusals: an
// object the caller may read is refused with 403 (shared intelligence is
// withdrawn by a newer version, revoked, or with its event, and the audit
// trail stays), one it may not read is as unknown (404) as GET says.
void DeleteObject(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  httplib::Response probe;
  GetObject(req, probe, ctx);
  if (probe.status != 200) {
    res = std::move(probe);
    return;
  }
  WriteTaxiiError(res, 403, "Forbidden",
                  "objects are not deleted over TAXII on this node: its owner withdraws one by posting a newer "
                  "version (revoked), or deletes the event that holds it");
}

}  // namespace

void RegisterObjectRoutes(httplib::Server& http, ServerState& state) {
  const std::string collection = kCollectionPath;
  http.Get(collection + "/objects/?", Authenticated(state, ErrorStyle::kTaxii, GetObjects));
  http.Get(collection + "/objects/([^/]+)/?",
           Authenticated(state, ErrorStyle::kTaxii, GetObject));
  http.Get(collection + "/objects/([^/]+)/versions/?",
           Authenticated(state, ErrorStyle::kTaxii, GetVersions));
  http.Get(collection + "/manifest/?", Authenticated(state, ErrorStyle::kTaxii, GetManifest));
  http.Delete(collection + "/objects/([^/]+)/?", Authenticated(state, ErrorStyle::kTaxii, DeleteObject));
}

}  // namespace accord::server::taxii
