// docs/openapi.json itself: it holds together (every $ref resolves, every
// operation documents its responses), it lists every REST route the server
// has, and the checker the other REST tests rely on does reject wrong bodies.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <set>

#include "server/query_parameters.h"
#include "server/rest_testing.h"

namespace accord {
namespace {

using testing::json;
using testing::OpenApi;

// Every "$ref" anywhere in the document.
void CollectRefs(const json& node, std::vector<std::string>& refs) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string()) refs.push_back(value);
      CollectRefs(value, refs);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) CollectRefs(item, refs);
  }
}

TEST(OpenApiTest, DocumentIsOpenApi3AndEveryReferenceResolves) {
  const json& doc = OpenApi::Get().doc();
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_THAT(doc["openapi"].get<std::string>(), ::testing::StartsWith("3.0"));
  std::vector<std::string> refs;
  CollectRefs(doc, refs);
  EXPECT_GT(refs.size(), 50u);
  for (const std::string& ref : refs) {
    ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
    EXPECT_TRUE(doc.contains(json::json_pointer(ref.substr(1)))) << "dangling " << ref;
  }
}

TEST(OpenApiTest, EveryOperationDocumentsItsResponsesWithSchemas) {
  const OpenApi& api = OpenApi::Get();
  for (const auto& [path, item] : api.doc()["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      ASSERT_TRUE(operation.contains("responses")) << method << " " << path;
      for (const auto& [code, response] : operation["responses"].items()) {
        const json& resolved = api.Resolve(response);
        EXPECT_TRUE(resolved.contains("description")) << method << " " << path << " " << code;
        if (!resolved.contains("content")) continue;
        for (const auto& [media, entry] : resolved["content"].items()) {
          EXPECT_TRUE(entry.contains("schema")) << method << " " << path << " " << code << " " << media;
        }
      }
    }
  }
}

TEST(OpenApiTest, EveryRestRouteIsDocumented) {
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"get", "/healthz"},           {"get", "/readyz"},
      {"get", "/api/v1/whoami"},     {"get", "/api/v1/events"},
      {"post", "/api/v1/events"},    {"get", "/api/v1/events/{uuid}"},
      {"put", "/api/v1/events/{uuid}"}, {"patch", "/api/v1/events/{uuid}"},
      {"delete", "/api/v1/events/{uuid}"}, {"get", "/api/v1/indicators"},
      {"get", "/api/v1/indicators/lookup"}, {"post", "/api/v1/sightings"},
      {"post", "/api/v1/import"},    {"get", "/api/v1/export"},
      {"get", "/api/v1/misp-feed/{file}"},
      {"get", "/api/v1/warninglists"}, {"post", "/api/v1/warninglists"},
      {"get", "/api/v1/organisations"}, {"get", "/api/v1/keys"},
      {"get", "/api/v1/users"},      {"get", "/api/v1/audit"},
      {"post", "/api/v1/organisations"}, {"get", "/api/v1/organisations/{id}"},
      {"post", "/api/v1/users"},     {"post", "/api/v1/keys"},
      {"delete", "/api/v1/keys/{key_id}"}, {"get", "/api/v1/audit/verify"},
      {"get", "/api/v1/pocs"},       {"get", "/api/v1/pocs/{org_id}"},
      {"put", "/api/v1/pocs/{org_id}"}, {"delete", "/api/v1/pocs/{org_id}"},
      {"get", "/api/v1/requests"},   {"post", "/api/v1/requests"},
      {"get", "/api/v1/requests/{handle}"}, {"patch", "/api/v1/requests/{handle}"},
      {"post", "/api/v1/requests/{handle}/actions"},
      {"post", "/api/v1/requests/{handle}/notes"},
      {"post", "/api/v1/requests/{handle}/links"},
      {"post", "/api/v1/requests/{handle}/attachments"},
      {"get", "/api/v1/requests/{handle}/attachments/{id}"},
      {"get", "/api/v1/requests/{handle}/document"}, {"get", "/api/v1/requests-types"},
      {"get", "/api/v1/requests-clocks"}, {"put", "/api/v1/requests-clocks"},
      {"get", "/api/v1/notices"},
      {"get", "/range/{prefix}"},    {"get", "/exposure/passwords/range/{prefix}"},
      {"get", "/exposure/usernames/range/{prefix}"},
      {"get", "/api/v1/stealer/operations"},
      {"get", "/api/v1/stealer/operations/{name}"},
      {"get", "/api/v1/stealer/operations/{name}/victims"},
      {"get", "/api/v1/stealer/operations/{name}/c2"},
      {"get", "/api/v1/stealer/operations/{name}/packages"},
      {"post", "/api/v1/stealer/operations/{name}/purge"}};
  const json& paths = OpenApi::Get().doc()["paths"];
  for (const auto& [method, path] : routes) {
    EXPECT_TRUE(paths.contains(path) && paths[path].contains(method)) << method << " " << path;
  }
}

// The checker must be able to fail, or the other tests prove nothing.
TEST(OpenApiTest, CheckerRejectsBodiesThatBreakTheSchema) {
  const OpenApi& api = OpenApi::Get();
  const json event_schema = {{"$ref", "#/components/schemas/Event"}};
  json event = {{"uuid", "0b8f3c3e-8a0d-4c1e-9a55-8e1d1b0c4f11"},
                {"title", "t"},
                {"description", ""},
                {"tlp", "amber"},
                {"owner", {{"id", 1}, {"name", "CERT-A"}}},
                {"recipients", json::array()},
                {"tags", json::array()},
                {"created", "2026-01-01T00:00:00.000Z"},
                {"modified", "2026-01-01T00:00:00.000Z"},
                {"stix_id", nullptr},
                {"source", "api"},
                {"indicator_count", 0},
                {"threat_level", nullptr},
                {"analysis", nullptr}};
  EXPECT_EQ(api.Validate(event_schema, event, "$"), "");
  json graded = event;
  graded["threat_level"] = "high";
  graded["analysis"] = "initial";
  EXPECT_EQ(api.Validate(event_schema, graded, "$"), "");
  json bad_grade = event;
  bad_grade["threat_level"] = "1";  // MISP's number, not the name
  EXPECT_THAT(api.Validate(event_schema, bad_grade, "$"), ::testing::HasSubstr("threat_level"));
  json missing = event;
  missing.erase("uuid");
  EXPECT_THAT(api.Validate(event_schema, missing, "$"), ::testing::HasSubstr("uuid"));
  json extra = event;
  extra["secret"] = 1;
  EXPECT_THAT(api.Validate(event_schema, extra, "$"), ::testing::HasSubstr("secret"));
  json bad_enum = event;
  bad_enum["tlp"] = "white";
  EXPECT_NE(api.Validate(event_schema, bad_enum, "$"), "");
  json bad_null = event;
  bad_null["title"] = nullptr;
  EXPECT_NE(api.Validate(event_schema, bad_null, "$"), "");
  json bad_time = event;
  bad_time["created"] = "yesterday";
  EXPECT_NE(api.Validate(event_schema, bad_time, "$"), "");
  json bad_nested = event;
  bad_nested["owner"]["id"] = "1";
  EXPECT_THAT(api.Validate(event_schema, bad_nested, "$"), ::testing::HasSubstr("owner.id"));

  testing::HttpResponse undocumented;
  undocumented.status = 418;
  undocumented.headers["content-type"] = "application/json";
  undocumented.body = "{}";
  EXPECT_NE(api.Check("GET", "/api/v1/events", undocumented), "");
  EXPECT_NE(api.Check("GET", "/api/v1/nowhere", undocumented), "");
}

class RestOpenApiTest : public testing::RestTest {};

TEST_F(RestOpenApiTest, HealthWhoamiAuthenticationAndOptionsMatchTheDocument) {
  EXPECT_EQ(Get("/healthz", "").status, 200);
  EXPECT_EQ(Get("/readyz", "").status, 200);
  auto whoami = Get("/api/v1/whoami", contributor_a_);
  ASSERT_EQ(whoami.status, 200);
  EXPECT_EQ(Body(whoami)["role"], "contributor");
  EXPECT_EQ(Get("/api/v1/indicators", "").status, 401);
  auto options = Call("OPTIONS", "/api/v1/events", "");
  EXPECT_EQ(options.status, 204);
  EXPECT_EQ(options.Header("allow"), "GET, POST, OPTIONS");
}

// The server's list of query parameters and the document's are one list:
// a parameter the document offers is taken, and no other is.
TEST(OpenApiTest, TheServersQueryParametersAreExactlyTheDocumentedOnes) {
  const OpenApi& api = OpenApi::Get();
  std::set<std::string> documented;
  for (const auto& [path, item] : api.doc()["paths"].items()) {
    if (!path.starts_with("/api/v1/")) continue;
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      for (const json& reference : operation.value("parameters", json::array())) {
        const json& parameter = api.Resolve(reference);
        if (parameter["in"] != "query") continue;
        std::string upper = method;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        documented.insert(upper + " " + path + " " + parameter["name"].get<std::string>());
      }
    }
  }
  std::set<std::string> served;
  for (const server::RouteQueryParameters& route : server::RestQueryParameters()) {
    for (std::string_view name : route.names) {
      served.insert(fmt::format("{} {} {}", route.method, route.path, name));
    }
  }
  EXPECT_GT(documented.size(), 40u);
  EXPECT_EQ(served, documented);
}

TEST(OpenApiTest, AQueryParameterTheRouteDoesNotTakeIsNamedInTheRefusal) {
  using server::UnofferedQueryParameter;
  const std::vector<std::string> tlp = {"tlp"};
  auto refusal = UnofferedQueryParameter("GET", "/api/v1/alerts", tlp);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_THAT(*refusal, ::testing::HasSubstr("'tlp'"));
  EXPECT_THAT(*refusal, ::testing::HasSubstr("family"));
  EXPECT_FALSE(UnofferedQueryParameter("GET", "/api/v1/events", tlp).has_value());
  EXPECT_FALSE(UnofferedQueryParameter("HEAD", "/api/v1/events", tlp).has_value());
  // {uuid} takes one segment, not two, and not none.
  const std::vector<std::string> type = {"type"};
  EXPECT_FALSE(UnofferedQueryParameter("GET", "/api/v1/events/abc/objects", type).has_value());
  EXPECT_TRUE(UnofferedQueryParameter("GET", "/api/v1/events/abc/def/objects", type).has_value());
  EXPECT_TRUE(UnofferedQueryParameter("GET", "/api/v1/events/abc", type).has_value());
  EXPECT_TRUE(UnofferedQueryParameter("POST", "/api/v1/events/abc/objects", type).has_value());
  // TAXII has its own rules (match[...] filters), and no parameters is always fine.
  EXPECT_FALSE(UnofferedQueryParameter("GET", "/taxii2/", tlp).has_value());
  EXPECT_FALSE(UnofferedQueryParameter("GET", "/api/v1/whoami", {}).has_value());
  // Names come from the query string alone, decoded, each once.
  EXPECT_EQ(server::QueryParameterNames("/api/v1/x?b=1&a&match%5Bid%5D=2&b=3&&c+d=4#f"),
            (std::vector<std::string>{"b", "a", "match[id]", "c d"}));
  EXPECT_TRUE(server::QueryParameterNames("/api/v1/sightings").empty());
}

TEST_F(RestOpenApiTest, AFilterAListingDoesNotOfferIsRefusedNotIgnored) {
  auto refused = Get("/api/v1/alerts?tlp=red", analyst_a_);
  EXPECT_EQ(refused.status, 400);
  EXPECT_THAT(Body(refused)["error"]["message"].get<std::string>(), ::testing::HasSubstr("'tlp'"));
  EXPECT_EQ(Get("/api/v1/events?tlp=red&limit=5", analyst_a_).status, 200);
  EXPECT_EQ(Get("/api/v1/whoami?verbose=1", analyst_a_).status, 400);
  // The key is checked first: without one the answer is still 401.
  EXPECT_EQ(Get("/api/v1/alerts?tlp=red", "").status, 401);
  // httplib reads a DELETE's form-encoded body into the parameters the
  // handlers read: checked alike. (It reads no body for a GET.)
  EXPECT_EQ(Call("DELETE", "/api/v1/events/nowhere", analyst_a_, "force=1", "application/x-www-form-urlencoded")
                .status,
            400);
  EXPECT_EQ(Call("DELETE", "/api/v1/events/nowhere", analyst_a_).status, 404);
}

// What a key reads stays with it: no shared cache or browser history keeps
// an answer, and no browser sniffs one into a page; REST and TAXII alike.
TEST_F(RestOpenApiTest, AuthenticatedAnswersAreNotCachedNorSniffed) {
  for (const std::string path : {"/api/v1/events", "/api/v1/whoami", "/api/v1/events/nowhere"}) {
    testing::HttpResponse answer = Get(path, analyst_a_);
    EXPECT_EQ(answer.Header("cache-control"), "no-store") << path;
    EXPECT_EQ(answer.Header("x-content-type-options"), "nosniff") << path;
  }
  testing::HttpRequest taxii;
  taxii.path = "/taxii2/";
  taxii.headers = {"Accept: application/taxii+json;version=2.1"};
  taxii.bearer = analyst_a_;
  testing::HttpResponse discovery = node_.Send(taxii);
  ASSERT_EQ(discovery.status, 200) << discovery.body;
  EXPECT_EQ(discovery.Header("cache-control"), "no-store");
  EXPECT_EQ(discovery.Header("x-content-type-options"), "nosniff");
}

}  // namespace
}  // namespace accord
