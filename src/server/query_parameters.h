// The query parameters each REST route (/api/v1) takes, as docs/openapi.json
// lists them (a test holds the two together). A request naming any other is
// refused with 400 naming it: a filter a route does not offer
// (`/alerts?tlp=red`) was otherwise ignored, and the caller read the whole
// listing as if it had been filtered. Internal to src/server.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace accord::server {

struct RouteQueryParameters {
  std::string_view method;  // "GET", "POST"...
  std::string_view path;    // "/api/v1/events/{uuid}/objects": {name} is one segment
  std::vector<std::string_view> names;
};

// Every REST route that takes query parameters. Routes not listed take none.
std::span<const RouteQueryParameters> RestQueryParameters();

// The names in a request target's query string ("/a?x=1&y" gives x, y),
// percent-decoded, each once. Not httplib's params: those also hold the
// fields of a form-encoded body.
std::vector<std::string> QueryParameterNames(std::string_view target);

// The value of the query parameter `name` as the client wrote it, decoded:
// everything after the first '=' up to the next '&' (the first such
// parameter; nullopt when absent). httplib's parsed parameters keep only
// what follows a value's last '=': `?name=a=b.pdf` read as "b.pdf", and
// `?map=query=domain` (log shippers leave '=' unencoded) lost its mapping.
std::optional<std::string> QueryParameter(std::string_view target, std::string_view name);

// For a request to `path` under /api/v1 with these query parameter names:
// the refusal's message when one of them is not the route's, else nullopt.
// HEAD is read as GET. Paths outside /api/v1 are not checked.
std::optional<std::string> UnofferedQueryParameter(std::string_view method, std::string_view path,
                                                   std::span<const std::string> names);

}  // namespace accord::server
