// Test helpers for the TAXII tests: a node with three organisations, STIX
// objects the tests write themselves, and TAXII requests with the right
// headers. For taxii_*_test.cc only.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "server/server_testing.h"
#include "stix/stix.h"

namespace accord::testing {

inline constexpr const char* kTaxiiAccept = "Accept: application/taxii+json;version=2.1";
inline constexpr const char* kTaxiiContent = "Content-Type: application/taxii+json;version=2.1";

inline std::string CollectionId(const std::string& alias) {
  return UuidV5(kAccordUuidNamespace, alias);
}
inline std::string CollectionPath(const std::string& alias) {
  return "/taxii2/api/collections/" + CollectionId(alias) + "/";
}

// A STIX 2.1 id of `type` derived from `name`, stable across runs.
inline std::string StixId(const std::string& type, const std::string& name) {
  return type + "--" + UuidV5(kAccordUuidNamespace, "taxii-test:" + name);
}

inline nlohmann::json Malware(const std::string& name, const std::string& modified,
                              const std::string& marking = "") {
  nlohmann::json object = {{"type", "malware"},
                           {"spec_version", "2.1"},
                           {"id", StixId("malware", name)},
                           {"created", "2024-01-01T00:00:00.000Z"},
                           {"modified", modified},
                           {"name", name},
                           {"is_family", true}};
  if (!marking.empty()) object["object_marking_refs"] = {marking};
  return object;
}

inline nlohmann::json Indicator(const std::string& name, const std::string& domain,
                                const std::string& marking = "") {
  nlohmann::json object = {{"type", "indicator"},
                           {"spec_version", "2.1"},
                           {"id", StixId("indicator", name)},
                           {"created", "2024-01-01T00:00:00.000Z"},
                           {"modified", "2024-01-01T00:00:00.000Z"},
                           {"pattern", "[domain-name:value = '" + domain + "']"},
                           {"pattern_type", "stix"},
                           {"valid_from", "2024-01-01T00:00:00Z"}};
  if (!marking.empty()) object["object_marking_refs"] = {marking};
  return object;
}

class TaxiiTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    org_a_ = node_.AddOrganisation("CERT-A", "FR");
    org_b_ = node_.AddOrganisation("CERT-B", "DE");
    org_c_ = node_.AddOrganisation("CERT-C", "IT");
    analyst_a_ = node_.AddKey(org_a_, Role::kAnalyst);
    analyst_b_ = node_.AddKey(org_b_, Role::kAnalyst);
    analyst_c_ = node_.AddKey(org_c_, Role::kAnalyst);
    reader_b_ = node_.AddKey(org_b_, Role::kReader);
    contributor_b_ = node_.AddKey(org_b_, Role::kContributor);
  }

  HttpResponse TaxiiGet(const std::string& path, const std::string& key,
                        const std::string& accept = kTaxiiAccept) {
    return node_.Get(path, key, {accept});
  }

  nlohmann::json TaxiiJson(const std::string& path, const std::string& key) {
    HttpResponse res = TaxiiGet(path, key);
    EXPECT_EQ(res.status, 200) << path << ": " << res.body;
    EXPECT_EQ(res.Header("content-type"), "application/taxii+json;version=2.1") << path;
    return nlohmann::json::parse(res.body, nullptr, false);
  }

  HttpResponse PostEnvelope(const std::string& alias, const std::string& key,
                            const nlohmann::json& objects) {
    HttpRequest request;
    request.method = "POST";
    request.path = CollectionPath(alias) + "objects/";
    request.bearer = key;
    request.body = nlohmann::json{{"objects", objects}}.dump();
    request.headers = {kTaxiiAccept, kTaxiiContent};
    return node_.Send(request);
  }

  // Posts and expects every object to succeed.
  nlohmann::json PostAll(const std::string& alias, const std::string& key,
                         const nlohmann::json& objects) {
    HttpResponse res = PostEnvelope(alias, key, objects);
    EXPECT_EQ(res.status, 202) << res.body;
    nlohmann::json status = nlohmann::json::parse(res.body, nullptr, false);
    EXPECT_EQ(status.value("success_count", -1), static_cast<int>(objects.size())) << res.body;
    return status;
  }

  // The identity a collection serves beside an organisation's objects, and a
  // level's TLP marking definition (docs/TAXII.md, "Identities and marking
  // definitions"): in a reader's view, both come just before the first
  // object it may read that refers to them.
  std::string IdentityOf(int64_t org_id) {
    auto org = node_.store().FindOrganisationById(org_id);
    EXPECT_TRUE(org.ok() && org->has_value());
    return org.ok() && org->has_value() ? StixIdentityId((*org)->uuid) : "";
  }
  static std::string MarkingOf(Tlp tlp) { return std::string(TlpStixMarkingId(tlp)); }

  // Ids of an envelope's or manifest's objects, in order.
  static std::vector<std::string> Ids(const nlohmann::json& resource) {
    std::vector<std::string> ids;
    for (const auto& object : resource.value("objects", nlohmann::json::array())) {
      ids.push_back(object["id"].get<std::string>());
    }
    return ids;
  }

  TestServer node_;
  int64_t org_a_ = 0, org_b_ = 0, org_c_ = 0;
  std::string analyst_a_, analyst_b_, analyst_c_, reader_b_, contributor_b_;
};

}  // namespace accord::testing
