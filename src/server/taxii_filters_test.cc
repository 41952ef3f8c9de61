// TAXII 2.1 filters, versions and manifest: match[id|type|version|
// spec_version], added_after, the versions resource and what POST does with
// markings and bad objects.
#include "core/tlp.h"
#include "server/taxii_testing.h"

namespace accord {
namespace {

using nlohmann::json;
using testing::CollectionPath;
using testing::HttpResponse;
using testing::StixId;

class TaxiiFiltersTest : public testing::TaxiiTestBase {
 protected:
  void SetUp() override {
    TaxiiTestBase::SetUp();
    node_.Start();
    // Three versions of one malware, a second malware, an indicator.
    PostAll("tlp-green", analyst_a_,
            {testing::Malware("emotet", "2024-01-01T00:00:00.000Z"),
             testing::Malware("emotet", "2024-02-01T00:00:00.000Z"),
             testing::Malware("emotet", "2024-03-01T00:00:00.000Z"),
             testing::Malware("qakbot", "2024-01-15T00:00:00.000Z"),
             testing::Indicator("evil", "evil.example")});
  }

  json Get(const std::string& query) {
    return TaxiiJson(CollectionPath("tlp-green") + query, analyst_b_);
  }

  std::vector<std::string> Versions(const json& envelope) {
    std::vector<std::string> versions;
    for (const auto& object : envelope.value("objects", json::array())) {
      versions.push_back(object.value("modified", ""));
    }
    return versions;
  }

  const std::string emotet_ = StixId("malware", "emotet");
  const std::string qakbot_ = StixId("malware", "qakbot");
  const std::string evil_ = StixId("indicator", "evil");
};

TEST_F(TaxiiFiltersTest, ObjectsDefaultToTheLastVersionOfEach) {
  json envelope = Get("objects/");
  // The TLP marking definition the objects refer to comes first
  // (docs/TAXII.md); objects that came as STIX name no Accord identity.
  EXPECT_EQ(Ids(envelope), (std::vector<std::string>{MarkingOf(Tlp::kGreen), emotet_, qakbot_, evil_}));
  EXPECT_EQ(Versions(envelope)[1], "2024-03-01T00:00:00.000Z");
}

TEST_F(TaxiiFiltersTest, MatchVersionSelectsFirstLastAllAndExactTimestamps) {
  auto emotet = [&](const std::string& version) {
    return Versions(Get("objects/?match[id]=" + emotet_ + "&match[version]=" + version));
  };
  EXPECT_EQ(emotet("first"), std::vector<std::string>{"2024-01-01T00:00:00.000Z"});
  EXPECT_EQ(emotet("last"), std::vector<std::string>{"2024-03-01T00:00:00.000Z"});
  EXPECT_EQ(emotet("all").size(), 3u);
  EXPECT_EQ(emotet("first,last"),
            (std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"}));
  // Another spelling of the same instant still matches.
  EXPECT_EQ(emotet("2024-02-01T00:00:00Z"), std::vector<std::string>{"2024-02-01T00:00:00.000Z"});
  EXPECT_TRUE(emotet("2023-01-01T00:00:00Z").empty());
}

TEST_F(TaxiiFiltersTest, MatchIdAndTypeTakeCommaListsAndRepeats) {
  EXPECT_EQ(Ids(Get("objects/?match[type]=indicator")), std::vector<std::string>{evil_});
  EXPECT_EQ(Ids(Get("objects/?match[type]=indicator,malware")).size(), 3u);
  EXPECT_EQ(Ids(Get("objects/?match[id]=" + qakbot_ + "," + evil_)),
            (std::vector<std::string>{qakbot_, evil_}));
  EXPECT_EQ(Ids(Get("objects/?match[id]=" + qakbot_ + "&match[id]=" + evil_)),
            (std::vector<std::string>{qakbot_, evil_}));
  EXPECT_TRUE(Ids(Get("objects/?match[type]=campaign")).empty());
}

TEST_F(TaxiiFiltersTest, MatchSpecVersionKeepsOnly21Objects) {
  // Three objects and the marking definition.
  EXPECT_EQ(Ids(Get("objects/?match[spec_version]=2.1")).size(), 4u);
  EXPECT_TRUE(Ids(Get("objects/?match[spec_version]=2.0")).empty());
  EXPECT_EQ(Ids(Get("objects/?match[spec_version]=2.0,2.1")).size(), 4u);
}

TEST_F(TaxiiFiltersTest, AddedAfterIsExclusive) {
  // The marking definition, then five versions.
  json manifest = Get("manifest/?match[version]=all");
  ASSERT_EQ(manifest["objects"].size(), 6u);
  const std::string third = manifest["objects"][3]["date_added"];
  json after = Get("manifest/?match[version]=all&added_after=" + third);
  ASSERT_EQ(after["objects"].size(), 2u);
  EXPECT_EQ(after["objects"][0], manifest["objects"][4]);
  EXPECT_EQ(after["objects"][1], manifest["objects"][5]);
  // With the defaults, the objects added after the third one.
  EXPECT_EQ(Ids(Get("objects/?added_after=" + third)), (std::vector<std::string>{qakbot_, evil_}));
}

TEST_F(TaxiiFiltersTest, ManifestRecordsCarryIdDateAddedVersionAndMediaType) {
  json manifest = Get("manifest/");
  ASSERT_EQ(manifest["objects"].size(), 4u);  // with the marking definition
  EXPECT_EQ(manifest["objects"][0]["id"], MarkingOf(Tlp::kGreen));
  EXPECT_EQ(manifest["objects"][0]["version"], "2022-10-01T00:00:00.000Z");
  const json& emotet = manifest["objects"][1];
  EXPECT_EQ(emotet["id"], emotet_);
  EXPECT_EQ(emotet["version"], "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(emotet["media_type"], "application/stix+json;version=2.1");
  EXPECT_FALSE(emotet["date_added"].get<std::string>().empty());
  EXPECT_FALSE(manifest["more"].get<bool>());
  EXPECT_EQ(Get("manifest/?match[type]=indicator")["objects"].size(), 1u);
  json paged = Get("manifest/?limit=2");
  EXPECT_EQ(paged["objects"].size(), 2u);
  EXPECT_TRUE(paged["more"].get<bool>());
}

TEST_F(TaxiiFiltersTest, OneObjectDefaultsToItsLastVersionAndAcceptsMatchVersion) {
  HttpResponse res = TaxiiGet(CollectionPath("tlp-green") + "objects/" + emotet_ + "/", analyst_b_);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(res.Header("x-taxii-date-added-last").empty());
  EXPECT_EQ(Versions(json::parse(res.body)), std::vector<std::string>{"2024-03-01T00:00:00.000Z"});
  EXPECT_EQ(Versions(Get("objects/" + emotet_ + "/?match[version]=all")).size(), 3u);
  json paged = Get("objects/" + emotet_ + "/?match[version]=all&limit=2");
  EXPECT_EQ(paged["objects"].size(), 2u);
  EXPECT_TRUE(paged["more"].get<bool>());
  json rest = Get("objects/" + emotet_ + "/?match[version]=all&limit=2&next=" +
                  paged["next"].get<std::string>());
  EXPECT_EQ(Versions(rest), std::vector<std::string>{"2024-03-01T00:00:00.000Z"});
  // Filtered to nothing is an empty envelope, not a 404: the object exists.
  EXPECT_EQ(Get("objects/" + emotet_ + "/?match[version]=2020-01-01T00:00:00Z"),
            json({{"more", false}}));
}

TEST_F(TaxiiFiltersTest, VersionsListsEveryVersionInDateAddedOrder) {
  HttpResponse res =
      TaxiiGet(CollectionPath("tlp-green") + "objects/" + emotet_ + "/versions/", analyst_b_);
  ASSERT_EQ(res.status, 200);
  json versions = json::parse(res.body);
  EXPECT_EQ(versions["versions"], json::array({"2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z",
                                               "2024-03-01T00:00:00.000Z"}));
  EXPECT_FALSE(versions["more"].get<bool>());
  EXPECT_LT(res.Header("x-taxii-date-added-first"), res.Header("x-taxii-date-added-last"));
  json first_page = Get("objects/" + emotet_ + "/versions/?limit=1");
  EXPECT_EQ(first_page["versions"], json::array({"2024-01-01T00:00:00.000Z"}));
  EXPECT_TRUE(first_page["more"].get<bool>());
}

TEST_F(TaxiiFiltersTest, UnmarkedObjectsTakeTheCollectionsLevelAndMarkedOnesKeepTheirs) {
  PostAll("tlp-amber", analyst_a_,
          {testing::Malware("unmarked", "2024-01-01T00:00:00.000Z"),
           testing::Malware("marked-red", "2024-01-01T00:00:00.000Z",
                            std::string(TlpStixMarkingId(Tlp::kRed)))});
  auto ids_in = [&](const std::string& alias) {
    return Ids(TaxiiJson(CollectionPath(alias) + "objects/", analyst_a_));
  };
  EXPECT_EQ(ids_in("tlp-amber"),
            (std::vector<std::string>{MarkingOf(Tlp::kAmber), StixId("malware", "unmarked")}));
  EXPECT_EQ(ids_in("tlp-red"),
            (std::vector<std::string>{MarkingOf(Tlp::kRed), StixId("malware", "marked-red")}));
}

TEST_F(TaxiiFiltersTest, PostedIndicatorsBecomeObservables) {
  auto info = node_.store().LookupObservable({ObservableType::kDomain, "evil.example"});
  ASSERT_TRUE(info.ok());
  ASSERT_TRUE(info->has_value());
  ASSERT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ((*info)->events[0].event.owner_org_id, org_a_);
  EXPECT_EQ((*info)->events[0].event.tlp, Tlp::kGreen);
}

TEST_F(TaxiiFiltersTest, StatusReportsEachBadObjectWithItsReason) {
  json broken = testing::Malware("broken", "2024-01-01T00:00:00.000Z");
  broken.erase("created");
  HttpResponse res = PostEnvelope("tlp-green", analyst_a_,
                                  {testing::Malware("fine", "2024-01-01T00:00:00.000Z"), broken,
                                   "not an object"});
  ASSERT_EQ(res.status, 202) << res.body;
  json status = json::parse(res.body);
  EXPECT_EQ(status["total_count"], 3);
  EXPECT_EQ(status["success_count"], 1);
  EXPECT_EQ(status["failure_count"], 2);
  ASSERT_EQ(status["failures"].size(), 2u);
  EXPECT_EQ(status["failures"][0]["id"], StixId("malware", "broken"));
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("created"), std::string::npos);
  EXPECT_EQ(status["successes"][0]["id"], StixId("malware", "fine"));
}

// A 200 KB envelope of nested brackets ended the process (nlohmann::json
// copies and writes values recursively): it is refused before parsing. An
// empty objects list (TAXII lists are never empty) is refused too.
TEST_F(TaxiiFiltersTest, ADeeplyNestedEnvelopeIsRefusedAndTheServerGoesOn) {
  testing::HttpRequest request;
  request.method = "POST";
  request.path = CollectionPath("tlp-green") + "objects/";
  request.bearer = analyst_a_;
  request.body = R"({"objects":[)" + std::string(100000, '[') + std::string(100000, ']') + "]}";
  request.headers = {testing::kTaxiiAccept, testing::kTaxiiContent};
  HttpResponse res = node_.Send(request);
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_NE(res.body.find("128 deep"), std::string::npos) << res.body;
  json nested = json::array({json::array({json::array()})});
  EXPECT_EQ(PostEnvelope("tlp-green", analyst_a_, nested).status, 202) << "shallow nesting is read";
  EXPECT_EQ(PostEnvelope("tlp-green", analyst_a_, json::array()).status, 400) << "an empty list";
}

// STIX 2.1 (3.6): only an object's creator versions it. Another writer's
// "newer version" (revoked, say) is refused and the object stays as its
// owner shared it; re-posting a version already stored is no new version.
TEST_F(TaxiiFiltersTest, OnlyTheOrganisationThatSharedAnObjectMayAddVersionsOfIt) {
  json mine = testing::Malware("owned", "2024-01-01T00:00:00.000Z");
  ASSERT_EQ(PostEnvelope("tlp-green", analyst_a_, json::array({mine})).status, 202);
  json forged = testing::Malware("owned", "2024-06-01T00:00:00.000Z");
  forged["revoked"] = true;
  HttpResponse res = PostEnvelope("tlp-green", analyst_b_, {forged, mine});
  ASSERT_EQ(res.status, 202) << res.body;
  json status = json::parse(res.body);
  EXPECT_EQ(status["failure_count"], 1);
  EXPECT_EQ(status["success_count"], 1);  // the version already stored
  ASSERT_EQ(status["failures"].size(), 1u);
  EXPECT_EQ(status["failures"][0]["id"], StixId("malware", "owned"));
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("only it may add versions"),
            std::string::npos);
  json served = TaxiiJson(CollectionPath("tlp-green") + "objects/" + StixId("malware", "owned") + "/",
                          analyst_b_);
  ASSERT_EQ(served["objects"].size(), 1u);
  EXPECT_EQ(served["objects"][0]["modified"], "2024-01-01T00:00:00.000Z");
  EXPECT_FALSE(served["objects"][0].contains("revoked"));
  // Its owner may.
  json update = testing::Malware("owned", "2024-06-01T00:00:00.000Z");
  HttpResponse own = PostEnvelope("tlp-green", analyst_a_, json::array({update}));
  EXPECT_EQ(json::parse(own.body)["success_count"], 1) << own.body;
}

// STIX 2.1 (3.6): a changed object needs a later modified. One posted under
// a version already stored, with other content, was a success carrying the
// conflict as a message, though it was not added: a failure now, and the
// stored copy stays. The same object again (its time spelled otherwise)
// is still a success.
TEST_F(TaxiiFiltersTest, AChangedObjectUnderAStoredVersionIsAFailureAndTheStoredOneStays) {
  json original = testing::Malware("changed", "2024-01-01T00:00:00.000Z");
  ASSERT_EQ(PostAll("tlp-green", analyst_a_, json::array({original}))["success_count"], 1);
  json changed = original;
  changed["description"] = "rewritten without a new modified";
  HttpResponse posted = PostEnvelope("tlp-green", analyst_a_, json::array({changed}));
  ASSERT_EQ(posted.status, 202) << posted.body;
  json status = json::parse(posted.body);
  EXPECT_EQ(status["success_count"], 0) << status.dump();
  ASSERT_EQ(status["failure_count"], 1) << status.dump();
  EXPECT_EQ(status["failures"][0]["id"], StixId("malware", "changed"));
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("needs a later modified"), std::string::npos)
      << status.dump();
  json served = TaxiiJson(CollectionPath("tlp-green") + "objects/" + StixId("malware", "changed") + "/",
                          analyst_a_);
  ASSERT_EQ(served["objects"].size(), 1u);
  EXPECT_FALSE(served["objects"][0].contains("description"));
  json same = original;
  same["modified"] = "2024-01-01T00:00:00Z";
  json again = PostAll("tlp-green", analyst_a_, json::array({same}));
  EXPECT_EQ(again["success_count"], 1) << again.dump();
  EXPECT_EQ(again["failure_count"], 0) << again.dump();
}

// A posted 2.1 object in spellings the OASIS validator refuses (created
// without milliseconds, a bare hyphenated hash name in its pattern) is
// served in the valid spelling of the same version, and posting it again as
// it came is the same version: a success, not a conflict.
TEST_F(TaxiiFiltersTest, AnObjectPostedInOldSpellingsIsServedValidAndTheSameVersionAgain) {
  json indicator = testing::Indicator("spelled", "unused.example");
  indicator["created"] = "2024-01-01T00:00:00Z";
  indicator["modified"] = "2024-01-01T00:00:00Z";
  indicator["pattern"] = "[file:hashes.SHA-256 = '" + std::string(64, 'd') + "']";
  ASSERT_EQ(PostAll("tlp-green", analyst_a_, json::array({indicator}))["success_count"], 1);
  json served = TaxiiJson(CollectionPath("tlp-green") + "objects/" + StixId("indicator", "spelled") + "/",
                          analyst_a_);
  ASSERT_EQ(served["objects"].size(), 1u) << served.dump();
  EXPECT_EQ(served["objects"][0]["created"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(served["objects"][0]["modified"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(served["objects"][0]["pattern"], "[file:hashes.'SHA-256' = '" + std::string(64, 'd') + "']");
  json again = PostAll("tlp-green", analyst_a_, json::array({indicator}));
  EXPECT_EQ(again["success_count"], 1) << again.dump();
  EXPECT_EQ(again["failure_count"], 0) << again.dump();
}

// One envelope with the stored copy and a changed one under the same id and
// modified: the copy is a success with no word of the other's conflict.
TEST_F(TaxiiFiltersTest, AStoredCopyBesideAChangedOneInTheEnvelopeIsASuccessWithoutItsConflict) {
  json original = testing::Malware("twice", "2024-01-01T00:00:00.000Z");
  ASSERT_EQ(PostAll("tlp-green", analyst_a_, json::array({original}))["success_count"], 1);
  json changed = original;
  changed["description"] = "rewritten without a new modified";
  HttpResponse posted = PostEnvelope("tlp-green", analyst_a_, json::array({changed, original}));
  ASSERT_EQ(posted.status, 202) << posted.body;
  json status = json::parse(posted.body);
  ASSERT_EQ(status["success_count"], 1) << status.dump();
  ASSERT_EQ(status["failure_count"], 1) << status.dump();
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("needs a later modified"), std::string::npos)
      << status.dump();
  EXPECT_EQ(status["successes"][0].value("message", "").find("later modified"), std::string::npos) << status.dump();
}

// The node keeps one copy of each object version. Another organisation's
// post of a version held where it may not read it was a success carrying
// that copy's date_added, and nothing was stored for its readers: a
// failure now, saying so without the copy's details.
TEST_F(TaxiiFiltersTest, AVersionHeldWhereThePosterMayNotReadItIsAFailureNotASuccess) {
  const json address = {{"type", "ipv4-addr"}, {"spec_version", "2.1"},
                        {"id", "ipv4-addr--" + UuidV5(kAccordUuidNamespace, "held-red")}, {"value", "198.51.100.66"}};
  ASSERT_EQ(PostAll("tlp-red", analyst_a_, json::array({address}))["success_count"], 1);
  HttpResponse res = PostEnvelope("tlp-green", analyst_b_, json::array({address}));
  ASSERT_EQ(res.status, 202) << res.body;
  json status = json::parse(res.body);
  EXPECT_EQ(status["success_count"], 0) << res.body;
  ASSERT_EQ(status["failures"].size(), 1u) << res.body;
  EXPECT_EQ(status["failures"][0]["id"], address["id"]);
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("not stored"), std::string::npos);
  EXPECT_EQ(status["failures"][0]["version"], "") << "no date_added of the RED copy";
}

// An object whose own marking puts it in another collection than the one
// posted to is a success that names where it is.
TEST_F(TaxiiFiltersTest, ASuccessHeldInAnotherCollectionNamesIt) {
  json amber = testing::Indicator("elsewhere", "elsewhere.example",
                                  std::string(TlpStixMarkingId(Tlp::kAmber)));
  json status = PostAll("tlp-green", analyst_a_, json::array({amber}));
  ASSERT_EQ(status["successes"].size(), 1u);
  EXPECT_NE(status["successes"][0]["message"].get<std::string>().find("held in collection tlp-amber"),
            std::string::npos)
      << status.dump();
  EXPECT_EQ(TaxiiGet(CollectionPath("tlp-amber") + "objects/" + amber["id"].get<std::string>() + "/", analyst_a_)
                .status,
            200);
}

// Elements without an id each get their own reason, not one message
// joining every id-less element's.
TEST_F(TaxiiFiltersTest, ElementsWithoutAnIdEachGetTheirOwnReason) {
  json no_type = json::object();
  HttpResponse res = PostEnvelope("tlp-green", analyst_a_, {1, no_type});
  ASSERT_EQ(res.status, 202) << res.body;
  json status = json::parse(res.body);
  ASSERT_EQ(status["failures"].size(), 2u);
  const std::string first = status["failures"][0]["message"];
  const std::string second = status["failures"][1]["message"];
  EXPECT_NE(first.find("not a JSON object"), std::string::npos) << first;
  EXPECT_EQ(first.find("type"), std::string::npos) << first;
  EXPECT_NE(second.find("\"type\""), std::string::npos) << second;
  EXPECT_EQ(second.find("not a JSON object"), std::string::npos) << second;
}

}  // namespace
}  // namespace accord
