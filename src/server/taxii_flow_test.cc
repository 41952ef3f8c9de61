// TAXII 2.1 as a client meets it: discovery -> API root -> collections ->
// paged objects -> POST -> status, and the protocol's errors.
#include <set>

#include "core/tlp.h"
#include "server/taxii_testing.h"

namespace accord {
namespace {

using nlohmann::json;
using testing::CollectionId;
using testing::CollectionPath;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::kTaxiiAccept;
using testing::kTaxiiContent;

class TaxiiFlowTest : public testing::TaxiiTestBase {
 protected:
  void SetUp() override {
    TaxiiTestBase::SetUp();
    node_.Start();
  }

  json Objects(int count, const std::string& prefix) {
    json objects = json::array();
    for (int object_idx = 0; object_idx < count; ++object_idx) {
      objects.push_back(testing::Malware(prefix + std::to_string(object_idx),
                                         "2024-03-01T00:00:00.000Z"));
    }
    return objects;
  }
};

TEST_F(TaxiiFlowTest, DiscoveryNamesTheApiRootAsAnAbsoluteUrl) {
  json discovery = TaxiiJson("/taxii2/", analyst_a_);
  const std::string root = node_.base_url() + "/taxii2/api/";
  EXPECT_FALSE(discovery.value("title", "").empty());
  EXPECT_EQ(discovery["default"], root);
  EXPECT_EQ(discovery["api_roots"], json::array({root}));
}

TEST_F(TaxiiFlowTest, DiscoveryBuildsTheApiRootFromTheHostTheClientUsed) {
  // Behind a name or a wildcard listen address, the address the client
  // reached is the one it can use again.
  HttpRequest request;
  request.path = "/taxii2/";
  request.bearer = analyst_a_;
  request.headers = {kTaxiiAccept, "Host: taxii.cert.example:8443"};
  auto res = node_.Send(request);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["default"], "http://taxii.cert.example:8443/taxii2/api/");
  // A Host header that is not a plain host[:port] is not copied into URLs.
  request.headers = {kTaxiiAccept, "Host: evil/x?"};
  auto odd = node_.Send(request);
  ASSERT_EQ(odd.status, 200) << odd.body;
  EXPECT_EQ(json::parse(odd.body)["default"], node_.base_url() + "/taxii2/api/");
}

TEST_F(TaxiiFlowTest, ApiRootAdvertisesTaxii21AndTheBodyLimit) {
  json root = TaxiiJson("/taxii2/api/", analyst_a_);
  EXPECT_EQ(root["versions"], json::array({"application/taxii+json;version=2.1"}));
  EXPECT_EQ(root["max_content_length"].get<int64_t>(), int64_t{64} << 20);
  EXPECT_FALSE(root.value("title", "").empty());
}

TEST_F(TaxiiFlowTest, CollectionsAreTheTlpLevelsWithStableIdsAndRoleRights) {
  json collections = TaxiiJson("/taxii2/api/collections/", analyst_a_)["collections"];
  std::vector<std::string> aliases;
  for (const auto& collection : collections) {
    aliases.push_back(collection["alias"]);
    EXPECT_EQ(collection["id"], CollectionId(collection["alias"]));
    EXPECT_TRUE(collection["can_read"].get<bool>());
    EXPECT_TRUE(collection["can_write"].get<bool>());
    EXPECT_EQ(collection["media_types"], json::array({"application/stix+json;version=2.1"}));
  }
  EXPECT_EQ(aliases, (std::vector<std::string>{"tlp-clear", "tlp-green", "tlp-amber",
                                               "tlp-amber-strict", "tlp-red"}));
  // A reader reads but may not write; one collection by id says the same.
  json green = TaxiiJson(CollectionPath("tlp-green"), reader_b_);
  EXPECT_EQ(green["id"], CollectionId("tlp-green"));
  EXPECT_TRUE(green["can_read"].get<bool>());
  EXPECT_FALSE(green["can_write"].get<bool>());
  EXPECT_TRUE(TaxiiJson(CollectionPath("tlp-red"), contributor_b_)["can_write"].get<bool>());
}

// The whole flow: POST an envelope, poll its status, then page through the
// collection with limit/next: every object once, in date_added order.
TEST_F(TaxiiFlowTest, PostedObjectsComeBackPagedWithoutGapsOrDuplicates) {
  json status = PostAll("tlp-green", analyst_a_, Objects(25, "flow-"));
  EXPECT_EQ(status["status"], "complete");
  EXPECT_EQ(status["total_count"], 25);
  EXPECT_EQ(status["failure_count"], 0);
  EXPECT_EQ(status["pending_count"], 0);
  EXPECT_EQ(status["successes"].size(), 25u);
  EXPECT_EQ(status["successes"][0]["version"], "2024-03-01T00:00:00.000Z");

  // Poll the status as taxii2-client does (no trailing slash) and with one.
  const std::string status_path = "/taxii2/api/status/" + status["id"].get<std::string>();
  EXPECT_EQ(TaxiiJson(status_path, analyst_a_), status);
  EXPECT_EQ(TaxiiJson(status_path + "/", analyst_a_), status);

  std::vector<std::string> seen;
  std::string next;
  int pages = 0;
  std::string previous_last;
  while (true) {
    std::string path = CollectionPath("tlp-green") + "objects/?limit=10";
    if (!next.empty()) path += "&next=" + next;
    HttpResponse res = TaxiiGet(path, reader_b_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.Header("content-type"), "application/taxii+json;version=2.1");
    json envelope = json::parse(res.body);
    ++pages;
    std::vector<std::string> ids = Ids(envelope);
    seen.insert(seen.end(), ids.begin(), ids.end());
    // The headers bound the page, and pages follow each other in time.
    json manifest = TaxiiJson(CollectionPath("tlp-green") + "manifest/?limit=10" +
                                  (next.empty() ? "" : "&next=" + next),
                              reader_b_);
    ASSERT_EQ(manifest["objects"].size(), ids.size());
    EXPECT_EQ(res.Header("x-taxii-date-added-first"), manifest["objects"].front()["date_added"]);
    EXPECT_EQ(res.Header("x-taxii-date-added-last"), manifest["objects"].back()["date_added"]);
    EXPECT_GT(res.Header("x-taxii-date-added-first"), previous_last);
    previous_last = res.Header("x-taxii-date-added-last");
    if (!envelope["more"].get<bool>()) {
      EXPECT_FALSE(envelope.contains("next"));
      break;
    }
    EXPECT_EQ(ids.size(), 10u);
    next = envelope["next"];
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  // The marking definition, then the 25 objects.
  std::vector<std::string> expected = {MarkingOf(Tlp::kGreen)};
  for (const std::string& id : Ids(json{{"objects", Objects(25, "flow-")}})) expected.push_back(id);
  EXPECT_EQ(seen, expected);
}

TEST_F(TaxiiFlowTest, AnEmptyCollectionIsAnEmptyEnvelopeWithoutDateHeaders) {
  HttpResponse res = TaxiiGet(CollectionPath("tlp-clear") + "objects/", analyst_a_);
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(json::parse(res.body), json({{"more", false}}));
  EXPECT_EQ(res.Header("x-taxii-date-added-first"), "");
}

TEST_F(TaxiiFlowTest, BasicAuthWorksAndNoCredentialsGet401WithABasicChallenge) {
  HttpRequest basic;
  basic.path = "/taxii2/";
  basic.headers = {kTaxiiAccept};
  basic.basic_user = analyst_a_.substr(0, analyst_a_.find(':'));
  basic.basic_password = analyst_a_.substr(analyst_a_.find(':') + 1);
  EXPECT_EQ(node_.Send(basic).status, 200);

  HttpResponse anonymous = TaxiiGet("/taxii2/", "");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.Header("www-authenticate").rfind("Basic", 0), 0u);
  EXPECT_EQ(anonymous.Header("content-type"), "application/taxii+json;version=2.1");
  EXPECT_EQ(json::parse(anonymous.body)["http_status"], "401");
}

TEST_F(TaxiiFlowTest, AcceptHeadersOutsideTaxii21Get406) {
  const std::string objects = CollectionPath("tlp-green") + "objects/";
  for (const char* accept : {"Accept: application/json", "Accept: application/taxii+json;version=2.0",
                             "Accept: application/taxii+json;version=2.1;q=0",
                             "Accept: application/stix+json;version=2.1"}) {
    for (const std::string& path : {std::string("/taxii2/"), std::string("/taxii2/api/"), objects,
                                    CollectionPath("tlp-green") + "manifest/"}) {
      HttpResponse res = TaxiiGet(path, analyst_a_, accept);
      EXPECT_EQ(res.status, 406) << accept << " " << path;
      EXPECT_EQ(json::parse(res.body)["http_status"], "406");
    }
  }
  for (const char* accept : {"Accept: application/taxii+json", "Accept: */*",
                             "Accept: text/html, application/taxii+json; version=2.1",
                             "Accept: application/*"}) {
    EXPECT_EQ(TaxiiGet(objects, analyst_a_, accept).status, 200) << accept;
  }
  EXPECT_EQ(node_.Get(objects, analyst_a_).status, 200) << "no Accept header means anything";
}

TEST_F(TaxiiFlowTest, PostNeedsTheTaxiiContentTypeAWriterAndAnEnvelope) {
  HttpRequest request;
  request.method = "POST";
  request.path = CollectionPath("tlp-green") + "objects/";
  request.bearer = analyst_a_;
  request.body = json{{"objects", Objects(1, "post-")}}.dump();
  request.headers = {kTaxiiAccept, "Content-Type: application/json"};
  EXPECT_EQ(node_.Send(request).status, 415);
  request.headers = {kTaxiiAccept, "Content-Type: application/stix+json;version=2.1"};
  EXPECT_EQ(node_.Send(request).status, 415);
  request.headers = {"Accept: application/json", kTaxiiContent};
  EXPECT_EQ(node_.Send(request).status, 406);

  request.headers = {kTaxiiAccept, kTaxiiContent};
  request.bearer = reader_b_;
  HttpResponse refused = node_.Send(request);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Header("content-type"), "application/taxii+json;version=2.1");

  request.bearer = analyst_a_;
  for (const char* body : {"{not json", "[]", R"({"type":"bundle"})", R"({"objects":{}})"}) {
    request.body = body;
    HttpResponse res = node_.Send(request);
    EXPECT_EQ(res.status, 400) << body;
    EXPECT_EQ(json::parse(res.body)["http_status"], "400") << body;
  }
  // Nothing was stored by the refused requests.
  EXPECT_EQ(TaxiiJson(CollectionPath("tlp-green") + "objects/", analyst_a_), json({{"more", false}}));
}

TEST_F(TaxiiFlowTest, BadLimitNextAndTimestampsGet400) {
  const std::string objects = CollectionPath("tlp-green") + "objects/";
  for (const char* query : {"?limit=0", "?limit=-1", "?limit=abc", "?limit=", "?limit=1.5",
                            "?next=garbage", "?next=s0", "?next=", "?added_after=yesterday",
                            "?match[version]=newest",
                            // TAXII 2.1 3.4: not repeated.
                            "?added_after=2020-01-01T00:00:00Z&added_after=2030-01-01T00:00:00Z",
                            "?limit=5&limit=6"}) {
    HttpResponse res = TaxiiGet(objects + query, analyst_a_);
    EXPECT_EQ(res.status, 400) << query;
    EXPECT_EQ(res.Header("content-type"), "application/taxii+json;version=2.1") << query;
    EXPECT_FALSE(json::parse(res.body).value("description", "").empty()) << query;
  }
  EXPECT_EQ(TaxiiGet(CollectionPath("tlp-green") + "manifest/?limit=x", analyst_a_).status, 400);
}

TEST_F(TaxiiFlowTest, ALimitAboveTheServerPageIsCut) {
  PostAll("tlp-green", analyst_a_, Objects(3, "cut-"));
  json envelope = TaxiiJson(CollectionPath("tlp-green") + "objects/?limit=99999999999", analyst_a_);
  EXPECT_EQ(envelope["objects"].size(), 4u);  // with the marking definition
  EXPECT_FALSE(envelope["more"].get<bool>());
}

TEST_F(TaxiiFlowTest, UnknownRootsCollectionsObjectsAndStatusesAre404) {
  const std::string unknown_object = testing::StixId("malware", "never-posted");
  for (const std::string& path :
       {std::string("/taxii2/other/"), std::string("/taxii2/other/collections/"),
        std::string("/taxii2/api/collections/no-such-collection/"),
        std::string("/taxii2/api/collections/no-such-collection/objects/"),
        CollectionPath("tlp-green") + "objects/" + unknown_object + "/",
        CollectionPath("tlp-green") + "objects/" + unknown_object + "/versions/",
        std::string("/taxii2/api/status/00000000-0000-4000-8000-000000000000/")}) {
    HttpResponse res = TaxiiGet(path, analyst_a_);
    EXPECT_EQ(res.status, 404) << path;
    EXPECT_EQ(res.Header("content-type"), "application/taxii+json;version=2.1") << path;
    EXPECT_EQ(json::parse(res.body, nullptr, false).value("http_status", ""), "404") << path;
  }
}

// TAXII 2.1 5.7 allows 403 and 404 as a refusal of Delete an Object (a
// client library's delete_object expects one of them, not 405): an object
// the caller reads is refused, one it does not is not found.
TEST_F(TaxiiFlowTest, DeletingAnObjectIsRefusedWith403OrNotFoundWith404) {
  PostAll("tlp-green", analyst_a_, Objects(1, "keep-"));
  HttpRequest request;
  request.method = "DELETE";
  request.path = CollectionPath("tlp-green") + "objects/" + testing::StixId("malware", "keep-0") + "/";
  request.bearer = analyst_a_;
  request.headers = {kTaxiiAccept};
  auto refused = node_.Send(request);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.Header("content-type"), "application/taxii+json;version=2.1");
  request.path = CollectionPath("tlp-red") + "objects/" + testing::StixId("malware", "keep-0") + "/";
  EXPECT_EQ(node_.Send(request).status, 404) << "not in that collection";
  request.path = CollectionPath("tlp-green") + "objects/";
  EXPECT_EQ(node_.Send(request).Header("allow"), "GET, POST");
  EXPECT_EQ(Ids(TaxiiJson(CollectionPath("tlp-green") + "objects/", analyst_a_)),
            (std::vector<std::string>{MarkingOf(Tlp::kGreen), testing::StixId("malware", "keep-0")}));
}

// POST adds objects, and only there: on the collections list, a collection
// or the manifest it is refused as a method, not answered "Not Found".
TEST_F(TaxiiFlowTest, PostingAnywhereButObjectsIsAMethodNotAllowed) {
  for (const std::string& path : {std::string("/taxii2/api/collections/"), CollectionPath("tlp-green"),
                                  CollectionPath("tlp-green") + "manifest/"}) {
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.bearer = analyst_a_;
    request.headers = {kTaxiiAccept, "Content-Type: application/taxii+json;version=2.1"};
    request.body = R"({"objects":[]})";
    auto refused = node_.Send(request);
    EXPECT_EQ(refused.status, 405) << path;
    EXPECT_EQ(refused.Header("allow"), "GET") << path;
    EXPECT_EQ(refused.Header("content-type"), "application/taxii+json;version=2.1") << path;
  }
}

// OPTIONS on a resource says what it allows (RFC 9110), not "Not Found".
TEST_F(TaxiiFlowTest, OptionsSaysWhatEachResourceAllows) {
  for (const auto& [path, allow] : std::vector<std::pair<std::string, std::string>>{
           {CollectionPath("tlp-green") + "objects/", "GET, POST, OPTIONS"},
           {CollectionPath("tlp-green"), "GET, OPTIONS"},
           {"/taxii2/", "GET, OPTIONS"}}) {
    HttpRequest request;
    request.method = "OPTIONS";
    request.path = path;
    auto answered = node_.Send(request);
    EXPECT_EQ(answered.status, 204) << path;
    EXPECT_EQ(answered.Header("allow"), allow) << path;
  }
}

TEST_F(TaxiiFlowTest, AStatusIsReadableOnlyByThePostersOrganisation) {
  json status = PostAll("tlp-green", analyst_a_, Objects(1, "status-"));
  const std::string path = "/taxii2/api/status/" + status["id"].get<std::string>() + "/";
  EXPECT_EQ(TaxiiGet(path, analyst_a_).status, 200);
  EXPECT_EQ(TaxiiGet(path, analyst_b_).status, 404);
}

TEST_F(TaxiiFlowTest, PostingIsAuditedWithTheKeyAndAddress) {
  PostAll("tlp-green", analyst_a_, Objects(2, "audit-"));
  bool found = false;
  ASSERT_TRUE(node_.store()
                  .ForEachAudit([&](const AuditEntry& entry) {
                    if (entry.action == "import" && entry.object.rfind("taxii:tlp-green/", 0) == 0) {
                      found = true;
                      EXPECT_EQ(entry.actor, "key:" + analyst_a_.substr(0, analyst_a_.find(':')));
                      EXPECT_EQ(entry.source_address, "127.0.0.1");
                    }
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace accord
