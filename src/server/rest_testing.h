// Test support for the REST API: docs/openapi.json loaded and used to check
// every real response (status documented for the path and method, body valid
// against its schema), and a fixture with two organisations and keys of
// every role. For rest_*_test.cc only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/server_testing.h"

namespace accord::testing {

using nlohmann::json;

// A checker of the OpenAPI 3.0 subset docs/openapi.json uses: $ref, type,
// nullable, enum, required, properties, additionalProperties, items, oneOf,
// allOf, minimum, maximum, format date-time.
class OpenApi {
 public:
  static const OpenApi& Get() {
    static const OpenApi api(ACCORD_SOURCE_DIR "/docs/openapi.json");
    return api;
  }

  const json& doc() const { return doc_; }

  // The path template of docs/openapi.json matching a concrete path, or "".
  std::string Template(const std::string& path) const {
    const std::string bare = path.substr(0, path.find('?'));
    for (const auto& [templ, item] : doc_["paths"].items()) {
      if (Matches(templ, bare)) return templ;
    }
    return "";
  }

  // "" when the response is documented and valid; else what is wrong.
  std::string Check(const std::string& method, const std::string& path,
                    const HttpResponse& response) const {
    const std::string templ = Template(path);
    if (templ.empty()) return "path not documented: " + path;
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const json& item = doc_["paths"][templ];
    if (!item.contains(lower)) {
      // Wrong methods are answered 405 by the server; the document lists the
      // right ones.
      if (response.status == 405 || (lower == "options" && response.status == 204)) return "";
      return method + " " + templ + " not documented";
    }
    const json& responses = item[lower]["responses"];
    const std::string code = std::to_string(response.status);
    if (!responses.contains(code)) {
      return method + " " + templ + ": status " + code + " not documented; body " + response.body;
    }
    const json& documented = Resolve(responses[code]);
    if (!documented.contains("content")) {
      return response.body.empty() ? "" : method + " " + templ + ": " + code + " has a body";
    }
    const std::string content_type = response.Header("content-type");
    const json& content = documented["content"];
    for (const auto& [media, entry] : content.items()) {
      if (content_type.rfind(media.substr(0, media.find(';')), 0) != 0) continue;
      if (media.find("json") == std::string::npos) return "";
      json body = json::parse(response.body, nullptr, false);
      if (body.is_discarded()) return method + " " + templ + ": body is not JSON: " + response.body;
      std::string problem = Validate(entry["schema"], body, "$");
      if (!problem.empty()) {
        return method + " " + templ + " " + code + ": " + problem + "\nbody: " + response.body;
      }
      return "";
    }
    return method + " " + templ + " " + code + ": content type '" + content_type +
           "' not documented";
  }

  // Validates `value` against `schema`; "" when valid.
  std::string Validate(const json& schema_in, const json& value, const std::string& where) const {
    const json& schema = Resolve(schema_in);
    if (value.is_null()) {
      if (schema.value("nullable", false)) return "";
      if (!schema.contains("type") && !schema.contains("allOf") && !schema.contains("oneOf")) return "";
      return where + ": null but not nullable";
    }
    if (schema.contains("allOf")) {
      for (const json& part : schema["allOf"]) {
        std::string problem = Validate(part, value, where);
        if (!problem.empty()) return problem;
      }
    }
    if (schema.contains("oneOf")) {
      int matches = 0;
      for (const json& part : schema["oneOf"]) {
        if (Validate(part, value, where).empty()) ++matches;
      }
      if (matches != 1) return where + ": matches " + std::to_string(matches) + " of oneOf";
    }
    if (schema.contains("enum")) {
      bool found = false;
      for (const json& option : schema["enum"]) found = found || option == value;
      if (!found) return where + ": " + value.dump() + " not in enum " + schema["enum"].dump();
    }
    if (!schema.contains("type")) return "";
    const std::string type = schema["type"];
    if (type == "object") {
      if (!value.is_object()) return where + ": expected an object";
      for (const auto& name : schema.value("required", json::array())) {
        if (!value.contains(name.get<std::string>())) {
          return where + ": missing required '" + name.get<std::string>() + "'";
        }
      }
      const json properties = schema.value("properties", json::object());
      for (const auto& [name, member] : value.items()) {
        if (properties.contains(name)) {
          std::string problem = Validate(properties[name], member, where + "." + name);
          if (!problem.empty()) return problem;
        } else if (schema.contains("additionalProperties")) {
          const json& extra = schema["additionalProperties"];
          if (extra.is_boolean() && !extra.get<bool>()) {
            return where + ": property '" + name + "' not in the schema";
          }
          if (extra.is_object()) {
            std::string problem = Validate(extra, member, where + "." + name);
            if (!problem.empty()) return problem;
          }
        }
      }
      return "";
    }
    if (type == "array") {
      if (!value.is_array()) return where + ": expected an array";
      for (size_t item_idx = 0; item_idx < value.size(); ++item_idx) {
        std::string problem =
            Validate(schema["items"], value[item_idx], where + "[" + std::to_string(item_idx) + "]");
        if (!problem.empty()) return problem;
      }
      return "";
    }
    if (type == "string") {
      if (!value.is_string()) return where + ": expected a string, got " + value.dump();
      if (schema.value("format", "") == "date-time" && !ParseTimestamp(value.get<std::string>()).ok()) {
        return where + ": not a date-time: " + value.dump();
      }
      return "";
    }
    if (type == "integer" || type == "number") {
      if (type == "integer" ? !value.is_number_integer() : !value.is_number()) {
        return where + ": expected " + type + ", got " + value.dump();
      }
      if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
        return where + ": below minimum";
      }
      if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
        return where + ": above maximum";
      }
      return "";
    }
    if (type == "boolean") return value.is_boolean() ? "" : where + ": expected a boolean";
    return where + ": unknown schema type " + type;
  }

  // Follows "#/components/..." references.
  const json& Resolve(const json& node) const {
    const json* current = &node;
    while (current->is_object() && current->contains("$ref")) {
      std::string ref = (*current)["$ref"];
      current = &doc_.at(json::json_pointer(ref.substr(1)));
    }
    return *current;
  }

 private:
  explicit OpenApi(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    doc_ = json::parse(text.str(), nullptr, false);
  }

  static bool Matches(const std::string& templ, const std::string& path) {
    size_t t = 0;
    size_t p = 0;
    while (t < templ.size() && p < path.size()) {
      if (templ[t] == '{') {
        t = templ.find('}', t) + 1;
        size_t end = path.find('/', p);
        if (end == p) return false;
        p = end == std::string::npos ? path.size() : end;
      } else if (templ[t++] != path[p++]) {
        return false;
      }
    }
    return t == templ.size() && p == path.size();
  }

  json doc_;
};

// Two organisations (A owns the data, B is another member, C is named as a
// recipient) with keys of every role, and a client that checks every
// response against docs/openapi.json.
class RestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(OpenApi::Get().doc().is_discarded()) << "docs/openapi.json does not parse";
    org_a_ = node_.AddOrganisation("CERT-A");
    org_b_ = node_.AddOrganisation("Police-B", "DE");
    org_c_ = node_.AddOrganisation("Partner-C", "NL");
    admin_a_ = node_.AddKey(org_a_, Role::kAdmin);
    analyst_a_ = node_.AddKey(org_a_, Role::kAnalyst);
    contributor_a_ = node_.AddKey(org_a_, Role::kContributor);
    reader_a_ = node_.AddKey(org_a_, Role::kReader);
    poc_a_ = node_.AddKey(org_a_, Role::kPoc);
    analyst_b_ = node_.AddKey(org_b_, Role::kAnalyst);
    contributor_b_ = node_.AddKey(org_b_, Role::kContributor);
    analyst_c_ = node_.AddKey(org_c_, Role::kAnalyst);
    node_.Start(Config());
    // Start() returns once the port is bound, before the accept loop runs;
    // a test that ends before that (a skipped one) would make Stop() miss
    // the loop and the join hang. One answered request proves it runs.
    ASSERT_EQ(node_.Get("/healthz", "").status, 200);
  }

  // The server's configuration; a suite may override parts of it.
  virtual ServerConfig Config() { return {}; }

  // Sends and checks the response against the OpenAPI document.
  HttpResponse Call(const std::string& method, const std::string& path, const std::string& key,
                    const std::string& body = "", const std::string& content_type = "",
                    const std::vector<std::string>& headers = {}) {
    HttpRequest request;
    request.method = method;
    request.path = path;
    request.bearer = key;
    request.body = body;
    request.headers = headers;
    if (!content_type.empty()) request.headers.push_back("Content-Type: " + content_type);
    HttpResponse response = node_.Send(request);
    EXPECT_EQ(OpenApi::Get().Check(method, path, response), "");
    return response;
  }
  HttpResponse Get(const std::string& path, const std::string& key) { return Call("GET", path, key); }
  HttpResponse PostJson(const std::string& path, const std::string& key, const json& body) {
    return Call("POST", path, key, body.dump(), "application/json");
  }
  static json Body(const HttpResponse& response) {
    json body = json::parse(response.body, nullptr, false);
    return body;
  }

  // Creates an event as `key` and returns its uuid ("" on failure).
  std::string CreateEvent(const std::string& key, const std::string& tlp,
                          const std::vector<std::string>& values = {},
                          const json& recipients = json::array(), const std::string& title = "ev",
                          const std::vector<std::string>& tags = {}) {
    json indicators = json::array();
    for (const auto& value : values) indicators.push_back({{"value", value}, {"role", "c2"}});
    HttpResponse created = PostJson("/api/v1/events", key,
                                    {{"title", title}, {"tlp", tlp}, {"indicators", indicators},
                                     {"recipients", recipients}, {"tags", tags}});
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return "";
    return Body(created)["event"]["uuid"];
  }

  // Waits until the server's live match snapshot holds `indicators` (its
  // refresher runs every snapshot_refresh_seconds); fails after 30 s.
  void AwaitSnapshot(int64_t indicators) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      HttpResponse snapshot = Get("/api/v1/telemetry/snapshot", analyst_a_);
      ASSERT_EQ(snapshot.status, 200) << snapshot.body;
      if (Body(snapshot)["indicators"] == indicators) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "the snapshot never reached " << indicators << " indicators";
  }

  // One Suricata eve.json DNS query line, seen at `timestamp`.
  static std::string SuricataDns(const std::string& client, const std::string& query,
                                 const std::string& timestamp = "2026-01-01T00:00:00.000000+0000") {
    return R"({"timestamp":")" + timestamp + R"(","event_type":"dns","src_ip":")" + client +
           R"(","dest_ip":"192.0.2.53","dns":{"type":"query","rrname":")" + query + "\"}}\n";
  }

  // Audit records with this action, in order.
  std::vector<AuditEntry> AuditOf(const std::string& action) {
    std::vector<AuditEntry> entries;
    EXPECT_TRUE(node_.store()
                    .ForEachAudit([&](const AuditEntry& entry) {
                      if (entry.action == action) entries.push_back(entry);
                      return Status::Ok();
                    })
                    .ok());
    return entries;
  }

  TestServer node_;
  int64_t org_a_ = 0, org_b_ = 0, org_c_ = 0;
  std::string admin_a_, analyst_a_, contributor_a_, reader_a_, poc_a_;
  std::string analyst_b_, contributor_b_, analyst_c_;
};

// A STIX 2.1 bundle of one indicator of `ip` (its id derived from the
// address), valid from 2026-01-01, outside any report.
inline std::string OneIndicatorBundle(const std::string& ip) {
  json indicator = {{"type", "indicator"},
                    {"spec_version", "2.1"},
                    {"id", "indicator--" + UuidV5(kAccordUuidNamespace, ip)},
                    {"created", "2026-01-01T00:00:00.000Z"},
                    {"modified", "2026-01-01T00:00:00.000Z"},
                    {"pattern", "[ipv4-addr:value = '" + ip + "']"},
                    {"pattern_type", "stix"},
                    {"valid_from", "2026-01-01T00:00:00Z"}};
  return json({{"type", "bundle"}, {"id", "bundle--" + UuidV4()}, {"objects", {indicator}}}).dump();
}

}  // namespace accord::testing
