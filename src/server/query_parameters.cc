#include "server/query_parameters.h"

#include <fmt/format.h>

#include <algorithm>

namespace accord::server {
namespace {

const std::vector<RouteQueryParameters>& Table() {
  static const std::vector<RouteQueryParameters> table = {
      {"GET", "/api/v1/events", {"tlp", "tag", "q", "organisation", "modified_since", "order", "cursor", "limit"}},
      {"POST", "/api/v1/events", {"indicators"}},
      {"GET", "/api/v1/events/{uuid}", {"indicators"}},
      {"PUT", "/api/v1/events/{uuid}", {"indicators"}},
      {"PATCH", "/api/v1/events/{uuid}", {"indicators"}},
      {"GET", "/api/v1/events/{uuid}/indicators", {"type", "q", "types", "cursor", "limit"}},
      {"GET", "/api/v1/events/{uuid}/objects", {"type", "cursor", "limit"}},
      {"GET", "/api/v1/indicators", {"type", "tag", "since", "cursor", "limit"}},
      {"GET", "/api/v1/indicators/lookup", {"value", "type"}},
      {"POST", "/api/v1/import", {"tlp", "title", "name", "event"}},
      {"GET", "/api/v1/export", {"format", "max_tlp", "live_only"}},
      {"GET", "/api/v1/misp-feed/{file}", {"max_tlp"}},
      {"GET", "/api/v1/keys", {"organisation_id"}},
      {"GET", "/api/v1/users", {"organisation_id"}},
      {"GET", "/api/v1/audit", {"after_seq", "limit"}},
      {"GET", "/api/v1/audit/verify", {"anchor"}},
      {"POST", "/api/v1/telemetry", {"format", "map", "window"}},
      {"GET",
       "/api/v1/alerts",
       {"limit", "cursor", "country", "order", "family", "organisation", "acknowledged"}},
      {"GET", "/api/v1/pocs", {"country"}},
      {"GET", "/api/v1/requests", {"state", "direction"}},
      {"GET", "/api/v1/requests/{handle}", {"format"}},
      {"POST", "/api/v1/requests/{handle}/attachments", {"name"}},
      {"GET", "/api/v1/stealer/operations/{name}/victims", {"country", "cursor", "limit"}},
      {"GET", "/api/v1/stealer/operations/{name}/packages", {"kind", "format"}},
      {"GET", "/api/v1/stats", {"days"}},
  };
  return table;
}

// True when `path` fits `pattern`, whose {name} segments take any one
// non-empty segment.
bool PathFits(std::string_view pattern, std::string_view path) {
  while (!pattern.empty() && !path.empty()) {
    const size_t pattern_end = std::min(pattern.find('/', 1), pattern.size());
    const size_t path_end = std::min(path.find('/', 1), path.size());
    const std::string_view pattern_segment = pattern.substr(0, pattern_end);
    const std::string_view path_segment = path.substr(0, path_end);
    const bool any = pattern_segment.starts_with("/{") && pattern_segment.ends_with("}");
    if (any ? path_segment.size() < 2 : pattern_segment != path_segment) return false;
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return pattern.empty() && path.empty();
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
               HexDigit(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The "name=value" pairs of a request target's query string, raw, in order
// (empty ones left out).
std::vector<std::string_view> QueryPairs(std::string_view target) {
  std::vector<std::string_view> pairs;
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return pairs;
  std::string_view query = target.substr(question + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const size_t amp = std::min(query.find('&'), query.size());
    if (amp > 0) pairs.push_back(query.substr(0, amp));
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
  return pairs;
}

}  // namespace

std::vector<std::string> QueryParameterNames(std::string_view target) {
  std::vector<std::string> names;
  for (std::string_view pair : QueryPairs(target)) {
    std::string name = PercentDecoded(pair.substr(0, pair.find('=')));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  }
  return names;
}

std::optional<std::string> QueryParameter(std::string_view target, std::string_view name) {
  for (std::string_view pair : QueryPairs(target)) {
    const size_t equals = pair.find('=');
    if (PercentDecoded(pair.substr(0, equals)) != name) continue;
    return equals == std::string_view::npos ? std::string() : PercentDecoded(pair.substr(equals + 1));
  }
  return std::nullopt;
}

std::span<const RouteQueryParameters> RestQueryParameters() { return Table(); }

std::optional<std::string> UnofferedQueryParameter(std::string_view method, std::string_view path,
                                                   std::span<const std::string> names) {
  if (names.empty() || !path.starts_with("/api/v1/")) return std::nullopt;
  if (method == "HEAD") method = "GET";
  const RouteQueryParameters* route = nullptr;
  for (const RouteQueryParameters& candidate : Table()) {
    if (candidate.method == method && PathFits(candidate.path, path)) {
      route = &candidate;
      break;
    }
  }
  for (const std::string& name : names) {
    if (route && std::find(route->names.begin(), route->names.end(), name) != route->names.end()) {
      continue;
    }
    if (!route) {
      return fmt::format("unknown query parameter '{}': {} {} takes none", name, method, path);
    }
    return fmt::format("unknown query parameter '{}': {} {} takes {}", name, method, route->path,
                       fmt::join(route->names, ", "));
  }
  return std::nullopt;
}

}  // namespace accord::server
