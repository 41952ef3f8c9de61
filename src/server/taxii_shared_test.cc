// A collection is self-contained: a principal pulling one gets the identity
// of every organisation whose objects it reads there and the TLP marking
// definition its objects are marked with, each once and no later than the
// first object that refers to it, and nothing about organisations whose
// objects it may not read (docs/TAXII.md, "Identities and marking
// definitions").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "server/rest_testing.h"
#include "server/taxii_testing.h"
#include "core/time.h"
#include "stix/stix.h"
#include "store/sqlite/connection.h"

namespace accord {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::CollectionPath;
using testing::HttpResponse;
using testing::json;

class TaxiiSharedTest : public testing::RestTest {
 protected:
  HttpResponse TaxiiGet(const std::string& path, const std::string& key) {
    return node_.Get(path, key, {testing::kTaxiiAccept});
  }

  json Envelope(const std::string& alias, const std::string& key, const std::string& query = "") {
    HttpResponse res = TaxiiGet(CollectionPath(alias) + "objects/" + query, key);
    EXPECT_EQ(res.status, 200) << res.body;
    return json::parse(res.body, nullptr, false);
  }

  std::vector<json> Objects(const std::string& alias, const std::string& key,
                            const std::string& query = "") {
    std::vector<json> objects;
    for (const json& object : Envelope(alias, key, query).value("objects", json::array())) {
      objects.push_back(object);
    }
    return objects;
  }

  // Every object of a collection, page by page through `next`, checking
  // that no page holds more than `limit`.
  std::vector<json> AllPages(const std::string& alias, const std::string& key, int limit) {
    std::vector<json> objects;
    std::string next;
    for (int page_idx = 0; page_idx < 100; ++page_idx) {
      std::string query = "?limit=" + std::to_string(limit);
      if (!next.empty()) query += "&next=" + next;
      json page = Envelope(alias, key, query);
      const json items = page.value("objects", json::array());
      EXPECT_LE(items.size(), static_cast<size_t>(limit));
      for (const json& object : items) objects.push_back(object);
      if (!page.value("more", false)) return objects;
      next = page.value("next", "");
      EXPECT_FALSE(next.empty());
    }
    ADD_FAILURE() << "paging did not end";
    return objects;
  }

  static std::vector<std::string> Ids(const std::vector<json>& objects) {
    std::vector<std::string> ids;
    for (const json& object : objects) ids.push_back(object["id"].get<std::string>());
    return ids;
  }

  // References that do not resolve inside `objects`.
  static std::set<std::string> Dangling(const std::vector<json>& objects) {
    const std::vector<std::string> all = Ids(objects);
    std::set<std::string> ids(all.begin(), all.end());
    std::set<std::string> dangling;
    for (const json& object : objects) {
      if (object.contains("created_by_ref") && !ids.count(object["created_by_ref"])) {
        dangling.insert(object["created_by_ref"].get<std::string>());
      }
      for (const json& marking : object.value("object_marking_refs", json::array())) {
        if (!ids.count(marking)) dangling.insert(marking.get<std::string>());
      }
    }
    return dangling;
  }

  // Index of the first object with that id or that refers to it.
  static size_t FirstWithId(const std::vector<json>& objects, const std::string& id) {
    for (size_t idx = 0; idx < objects.size(); ++idx) {
      if (objects[idx]["id"] == id) return idx;
    }
    return objects.size();
  }
  static size_t FirstReferrer(const std::vector<json>& objects, const std::string& id) {
    for (size_t idx = 0; idx < objects.size(); ++idx) {
      const json& object = objects[idx];
      if (object.value("created_by_ref", "") == id) return idx;
      for (const json& marking : object.value("object_marking_refs", json::array())) {
        if (marking == id) return idx;
      }
    }
    return objects.size();
  }

  std::string IdentityOf(int64_t org_id) {
    auto org = node_.store().FindOrganisationById(org_id);
    EXPECT_TRUE(org.ok() && org->has_value());
    return StixIdentityId((*org)->uuid);
  }

  static std::string Marking(Tlp tlp) { return std::string(TlpStixMarkingId(tlp)); }
};

TEST_F(TaxiiSharedTest, APulledCollectionResolvesEveryReferenceOfItsObjects) {
  ASSERT_FALSE(CreateEvent(analyst_a_, "green", {"evil.example", "198.51.100.7"}).empty());
  std::vector<json> objects = Objects("tlp-green", analyst_b_);
  EXPECT_THAT(Dangling(objects), IsEmpty()) << json(objects).dump();

  const std::string identity_a = IdentityOf(org_a_);
  const size_t identity_at = FirstWithId(objects, identity_a);
  const size_t marking_at = FirstWithId(objects, Marking(Tlp::kGreen));
  ASSERT_LT(identity_at, objects.size());
  ASSERT_LT(marking_at, objects.size());
  // Each before the first object that refers to it.
  EXPECT_LT(identity_at, FirstReferrer(objects, identity_a));
  EXPECT_LT(marking_at, FirstReferrer(objects, Marking(Tlp::kGreen)));
  // The identity is the one export writes; the marking is OASIS's.
  const json& identity = objects[identity_at];
  EXPECT_EQ(identity["name"], "CERT-A");
  EXPECT_EQ(identity["identity_class"], "organization");
  EXPECT_EQ(identity["spec_version"], "2.1");
  EXPECT_EQ(objects[marking_at], json::parse(TlpStixMarkingObject(Tlp::kGreen)));
  // Exactly one of each, and nothing about the organisations that shared nothing.
  const std::vector<std::string> ids = Ids(objects);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), identity_a), 1);
  EXPECT_EQ(FirstWithId(objects, IdentityOf(org_b_)), objects.size());
  EXPECT_EQ(FirstWithId(objects, IdentityOf(org_c_)), objects.size());

  // The object, its versions and the manifest show them too.
  const std::string object_path = CollectionPath("tlp-green") + "objects/" + identity_a + "/";
  HttpResponse single = TaxiiGet(object_path, analyst_b_);
  ASSERT_EQ(single.status, 200) << single.body;
  EXPECT_EQ(json::parse(single.body)["objects"], json::array({identity}));
  HttpResponse versions = TaxiiGet(object_path + "versions/", analyst_b_);
  ASSERT_EQ(versions.status, 200) << versions.body;
  EXPECT_EQ(json::parse(versions.body)["versions"], json::array({identity["modified"]}));
  HttpResponse manifest = TaxiiGet(CollectionPath("tlp-green") + "manifest/", analyst_b_);
  ASSERT_EQ(manifest.status, 200) << manifest.body;
  std::vector<std::string> manifest_ids;
  const json records = json::parse(manifest.body)["objects"];
  for (const json& record : records) {
    manifest_ids.push_back(record["id"]);
    if (record["id"] == identity_a) {
      EXPECT_EQ(record["version"], identity["modified"]);
    }
  }
  EXPECT_EQ(manifest_ids, Ids(objects));
}

// Under the rule of docs/TAXII.md an identity reaches a principal in a
// collection only with an object of that organisation it may read there:
// one that reads nothing of A learns nothing new, not even that A exists.
TEST_F(TaxiiSharedTest, APrincipalThatMayNotReadAnOrganisationsObjectsLearnsNothingNew) {
  ASSERT_FALSE(CreateEvent(analyst_a_, "amber", {"named.example"}, json::array({"Police-B"})).empty());
  ASSERT_FALSE(CreateEvent(analyst_a_, "red", {"red.example"}, json::array({"Police-B"})).empty());
  const std::string identity_a = IdentityOf(org_a_);

  // B, named, gets A's identity and the markings with A's objects.
  std::vector<json> amber_b = Objects("tlp-amber", analyst_b_);
  EXPECT_THAT(Dangling(amber_b), IsEmpty());
  EXPECT_LT(FirstWithId(amber_b, identity_a), amber_b.size());
  EXPECT_LT(FirstWithId(amber_b, Marking(Tlp::kAmber)), amber_b.size());
  EXPECT_THAT(Dangling(Objects("tlp-red", analyst_b_)), IsEmpty());

  // C, not named, and B's contributor (no AMBER of others) get nothing at
  // all: not the identity, not even the public marking definition, which
  // would say the collection holds something for someone.
  for (const std::string* key : {&analyst_c_, &contributor_b_}) {
    for (const char* alias : {"tlp-clear", "tlp-green", "tlp-amber", "tlp-amber-strict", "tlp-red"}) {
      json envelope = Envelope(alias, *key);
      EXPECT_EQ(envelope, json({{"more", false}})) << alias << ": " << envelope.dump();
      HttpResponse manifest = TaxiiGet(CollectionPath(alias) + "manifest/", *key);
      EXPECT_EQ(json::parse(manifest.body), json({{"more", false}})) << alias;
      for (const std::string& id : {identity_a, Marking(Tlp::kAmber), Marking(Tlp::kRed)}) {
        const std::string path = CollectionPath(alias) + "objects/" + id + "/";
        EXPECT_EQ(TaxiiGet(path, *key).status, 404) << alias << " " << id;
        EXPECT_EQ(TaxiiGet(path + "versions/", *key).status, 404) << alias << " " << id;
      }
      EXPECT_THAT(Objects(alias, *key, "?match[type]=identity,marking-definition"), IsEmpty());
    }
  }
  // B reads nothing in AMBER+STRICT or GREEN: nothing there for B either.
  EXPECT_THAT(Objects("tlp-amber-strict", analyst_b_), IsEmpty());
  EXPECT_THAT(Objects("tlp-green", analyst_b_), IsEmpty());
}

// A client (federate pull among them) that pages by added_after = the last
// page's X-TAXII-Date-Added-Last, one object a page, gets every object:
// a page ending on a marking or identity does not hide the object after it.
TEST_F(TaxiiSharedTest, PagingByAddedAfterOneItemAPageSkipsNothing) {
  ASSERT_FALSE(CreateEvent(analyst_a_, "green", {"first.example"}).empty());
  ASSERT_FALSE(CreateEvent(analyst_c_, "green", {"second.example"}).empty());
  const std::vector<std::string> all = Ids(Objects("tlp-green", analyst_b_));
  ASSERT_GE(all.size(), 6u);  // marking, 2 identities, 2 indicators, 2 reports
  std::vector<std::string> paged;
  std::string query = "?limit=1";
  for (size_t page_idx = 0; page_idx <= all.size(); ++page_idx) {
    HttpResponse page = TaxiiGet(CollectionPath("tlp-green") + "objects/" + query, analyst_b_);
    ASSERT_EQ(page.status, 200);
    json body = json::parse(page.body);
    if (!body.contains("objects")) break;
    for (const json& object : body["objects"]) paged.push_back(object["id"]);
    query = "?limit=1&added_after=" + page.Header("x-taxii-date-added-last");
  }
  EXPECT_EQ(paged, all);
}

TEST_F(TaxiiSharedTest, AddedAfterPollingDeliversEachSharedObjectOnceAndNoLaterThanItsFirstReferrer) {
  ASSERT_FALSE(CreateEvent(analyst_a_, "green", {"first.example"}).empty());
  HttpResponse first = TaxiiGet(CollectionPath("tlp-green") + "objects/", analyst_b_);
  ASSERT_EQ(first.status, 200);
  std::vector<json> first_objects = json::parse(first.body)["objects"].get<std::vector<json>>();
  EXPECT_THAT(Dangling(first_objects), IsEmpty());
  // The first item is the marking, dated like the first object.
  ASSERT_GE(first_objects.size(), 3u);
  EXPECT_EQ(first_objects.front()["id"], Marking(Tlp::kGreen));
  HttpResponse manifest = TaxiiGet(CollectionPath("tlp-green") + "manifest/", analyst_b_);
  json records = json::parse(manifest.body)["objects"];
  ASSERT_EQ(records.size(), first_objects.size());
  // Marking, identity, object: each dated just before the next, so that
  // paging by added_after never skips one.
  auto micros = [](const json& record) { return ParseTimestamp(record["date_added"].get<std::string>()).value(); };
  EXPECT_EQ(micros(records[2]) - micros(records[0]), std::chrono::microseconds(2));
  EXPECT_EQ(micros(records[2]) - micros(records[1]), std::chrono::microseconds(1));
  EXPECT_EQ(first.Header("x-taxii-date-added-first"), records[0]["date_added"]);
  std::string last = first.Header("x-taxii-date-added-last");

  // A shares again: the new objects alone, no identity or marking again.
  ASSERT_FALSE(CreateEvent(analyst_a_, "green", {"second.example"}).empty());
  HttpResponse second = TaxiiGet(CollectionPath("tlp-green") + "objects/?added_after=" + last, analyst_b_);
  ASSERT_EQ(second.status, 200);
  std::vector<json> second_objects = json::parse(second.body)["objects"].get<std::vector<json>>();
  std::set<std::string> types;
  for (const json& object : second_objects) types.insert(object["type"]);
  EXPECT_EQ(types, (std::set<std::string>{"indicator", "report"}));
  last = second.Header("x-taxii-date-added-last");

  // C shares for the first time: C's identity comes with it, before it.
  ASSERT_FALSE(CreateEvent(analyst_c_, "green", {"third.example"}).empty());
  HttpResponse third = TaxiiGet(CollectionPath("tlp-green") + "objects/?added_after=" + last, analyst_b_);
  std::vector<json> third_objects = json::parse(third.body)["objects"].get<std::vector<json>>();
  ASSERT_FALSE(third_objects.empty());
  EXPECT_EQ(third_objects.front()["id"], IdentityOf(org_c_));
  EXPECT_EQ(FirstWithId(third_objects, IdentityOf(org_a_)), third_objects.size());
  EXPECT_EQ(FirstWithId(third_objects, Marking(Tlp::kGreen)), third_objects.size());
  last = third.Header("x-taxii-date-added-last");

  // Polling again with nothing new gives nothing.
  EXPECT_EQ(Envelope("tlp-green", analyst_b_, "?added_after=" + last), json({{"more", false}}));

  // Every item of the collection came exactly once over the three polls.
  std::vector<std::string> polled;
  for (const auto* objects : {&first_objects, &second_objects, &third_objects}) {
    for (const std::string& id : Ids(*objects)) polled.push_back(id);
  }
  EXPECT_EQ(polled, Ids(Objects("tlp-green", analyst_b_)));
}

// An AMBER event naming B after B polled past everything: A's identity
// reaches B with the first of A's objects B may read, though A's identity
// came to the collection earlier for others.
TEST_F(TaxiiSharedTest, AnIdentityReachesANewReaderWithTheFirstObjectItMayRead) {
  ASSERT_FALSE(CreateEvent(analyst_a_, "amber", {"own.example"}).empty());
  ASSERT_FALSE(CreateEvent(analyst_c_, "amber", {"c.example"}, json::array({"Police-B"})).empty());
  HttpResponse first = TaxiiGet(CollectionPath("tlp-amber") + "objects/", analyst_b_);
  std::vector<json> first_objects = json::parse(first.body)["objects"].get<std::vector<json>>();
  EXPECT_EQ(FirstWithId(first_objects, IdentityOf(org_a_)), first_objects.size());
  EXPECT_LT(FirstWithId(first_objects, IdentityOf(org_c_)), first_objects.size());
  const std::string last = first.Header("x-taxii-date-added-last");

  ASSERT_FALSE(CreateEvent(analyst_a_, "amber", {"named.example"}, json::array({"Police-B"})).empty());
  std::vector<json> next = Objects("tlp-amber", analyst_b_, "?added_after=" + last);
  ASSERT_FALSE(next.empty());
  EXPECT_EQ(next.front()["id"], IdentityOf(org_a_));
  // The marking B had already; A's identity is all that was missing.
  EXPECT_THAT(Dangling(next), ElementsAre(Marking(Tlp::kAmber)));
  EXPECT_EQ(FirstWithId(next, Marking(Tlp::kAmber)), next.size());
}

// B's poller had passed an AMBER event's objects before A named B as a
// recipient: its next added_after poll (and federate pull's) brings them,
// with A's identity ahead of them, and B's full read agrees with its polls.
TEST_F(TaxiiSharedTest, ObjectsSharedWithAnOrganisationLaterReachItsNextAddedAfterPoll) {
  const std::string uuid = CreateEvent(analyst_a_, "amber", {"late.example"});
  ASSERT_FALSE(uuid.empty());
  ASSERT_FALSE(CreateEvent(analyst_c_, "amber", {"c.example"}, json::array({"Police-B"})).empty());
  HttpResponse first = TaxiiGet(CollectionPath("tlp-amber") + "objects/", analyst_b_);
  ASSERT_EQ(first.status, 200);
  std::vector<json> first_objects = json::parse(first.body)["objects"].get<std::vector<json>>();
  EXPECT_EQ(FirstWithId(first_objects, IdentityOf(org_a_)), first_objects.size());
  const std::string last = first.Header("x-taxii-date-added-last");
  ASSERT_FALSE(last.empty());

  ASSERT_EQ(Call("PATCH", "/api/v1/events/" + uuid, analyst_a_,
                 json({{"recipients", json::array({"Police-B"})}}).dump(), "application/json")
                .status,
            200);
  std::vector<json> next = Objects("tlp-amber", analyst_b_, "?added_after=" + last);
  ASSERT_FALSE(next.empty());
  EXPECT_EQ(next.front()["id"], IdentityOf(org_a_));
  bool indicator_came = false;
  for (const json& object : next) {
    if (object["type"] == "indicator" &&
        object.value("pattern", "").find("late.example") != std::string::npos) {
      indicator_came = true;
    }
  }
  EXPECT_TRUE(indicator_came) << json(next).dump();
  EXPECT_THAT(Dangling(next), ElementsAre(Marking(Tlp::kAmber)));

  std::vector<std::string> polled = Ids(first_objects);
  for (const std::string& id : Ids(next)) polled.push_back(id);
  EXPECT_EQ(polled, Ids(Objects("tlp-amber", analyst_b_)));
  // Polling on from there gives nothing: the move happened once.
  HttpResponse second = TaxiiGet(CollectionPath("tlp-amber") + "objects/?added_after=" + last, analyst_b_);
  const std::string second_last = second.Header("x-taxii-date-added-last");
  EXPECT_EQ(Envelope("tlp-amber", analyst_b_, "?added_after=" + second_last), json({{"more", false}}));
}

TEST_F(TaxiiSharedTest, PagingAcrossPageBoundariesGivesEveryItemOnceInOrder) {
  ASSERT_FALSE(CreateEvent(analyst_a_, "green", {"a.example", "b.example", "c.example"}).empty());
  ASSERT_FALSE(CreateEvent(analyst_c_, "green", {"d.example"}).empty());
  const std::vector<json> whole = Objects("tlp-green", analyst_b_);
  ASSERT_EQ(whole.size(), 9u);  // marking, 2 identities, 2 reports, 4 indicators
  for (int limit = 1; limit <= 10; ++limit) {
    EXPECT_EQ(Ids(AllPages("tlp-green", analyst_b_, limit)), Ids(whole)) << "limit " << limit;
  }
  // The manifest pages the same way, by its own next tokens.
  std::vector<std::string> manifest_ids;
  std::string next;
  for (int page_idx = 0; page_idx < 20; ++page_idx) {
    HttpResponse res = TaxiiGet(CollectionPath("tlp-green") + "manifest/?limit=2" +
                                    (next.empty() ? "" : "&next=" + next),
                                analyst_b_);
    ASSERT_EQ(res.status, 200) << res.body;
    json page = json::parse(res.body);
    for (const json& record : page.value("objects", json::array())) manifest_ids.push_back(record["id"]);
    if (!page["more"].get<bool>()) break;
    next = page["next"];
  }
  EXPECT_EQ(manifest_ids, Ids(whole));
  // A token of an item served beside the objects is only this server's.
  EXPECT_EQ(TaxiiGet(CollectionPath("tlp-green") + "objects/?next=t1", analyst_b_).status, 400);
  EXPECT_EQ(TaxiiGet(CollectionPath("tlp-green") + "objects/?next=t1.x", analyst_b_).status, 400);
}

TEST_F(TaxiiSharedTest, MatchFiltersApplyToSharedObjects) {
  ASSERT_FALSE(CreateEvent(analyst_a_, "green", {"a.example"}).empty());
  const std::string identity_a = IdentityOf(org_a_);
  const std::string green = Marking(Tlp::kGreen);
  EXPECT_THAT(Ids(Objects("tlp-green", analyst_b_, "?match[type]=identity")), ElementsAre(identity_a));
  EXPECT_THAT(Ids(Objects("tlp-green", analyst_b_, "?match[type]=marking-definition")), ElementsAre(green));
  for (const json& object : Objects("tlp-green", analyst_b_, "?match[type]=indicator,report")) {
    EXPECT_NE(object["type"], "identity");
    EXPECT_NE(object["type"], "marking-definition");
  }
  EXPECT_THAT(Ids(Objects("tlp-green", analyst_b_, "?match[id]=" + identity_a)), ElementsAre(identity_a));
  EXPECT_THAT(Ids(Objects("tlp-green", analyst_b_, "?match[id]=" + green + "," + identity_a)),
              ElementsAre(green, identity_a));
  EXPECT_THAT(Objects("tlp-green", analyst_b_, "?match[spec_version]=2.0"), IsEmpty());
  EXPECT_THAT(Ids(Objects("tlp-green", analyst_b_, "?match[type]=identity&match[spec_version]=2.1")),
              ElementsAre(identity_a));
  const std::string version = Objects("tlp-green", analyst_b_, "?match[type]=identity")[0]["modified"];
  EXPECT_THAT(Ids(Objects("tlp-green", analyst_b_, "?match[type]=identity&match[version]=" + version)),
              ElementsAre(identity_a));
  EXPECT_THAT(Objects("tlp-green", analyst_b_, "?match[type]=identity&match[version]=2001-01-01T00:00:00Z"),
              IsEmpty());
  EXPECT_THAT(Ids(Objects("tlp-green", analyst_b_, "?match[type]=marking-definition&match[version]=first")),
              ElementsAre(green));
  EXPECT_THAT(Ids(Objects("tlp-green", analyst_b_, "?match[type]=marking-definition&match[version]=all")),
              ElementsAre(green));
  // added_after past everything: nothing, shared objects included.
  HttpResponse all = TaxiiGet(CollectionPath("tlp-green") + "objects/", analyst_b_);
  EXPECT_EQ(Envelope("tlp-green", analyst_b_, "?added_after=" + all.Header("x-taxii-date-added-last")),
            json({{"more", false}}));
  // The object GET of an identity honours added_after too.
  const std::string path = CollectionPath("tlp-green") + "objects/" + identity_a + "/";
  HttpResponse later = TaxiiGet(path + "?added_after=" + all.Header("x-taxii-date-added-last"), analyst_b_);
  ASSERT_EQ(later.status, 200) << later.body;
  EXPECT_EQ(json::parse(later.body), json({{"more", false}}));
}

// When the object an identity was placed before goes (an event left the
// level), the identity moves to the next object of that group, and goes
// with the group's last object: nobody is told about an organisation whose
// objects are no longer there for them.
TEST_F(TaxiiSharedTest, AnIdentityLeavesWithTheObjectsItWasServedFor) {
  const std::string uuid = CreateEvent(analyst_a_, "green", {"a.example"});
  ASSERT_FALSE(uuid.empty());
  EXPECT_LT(FirstWithId(Objects("tlp-green", analyst_b_), IdentityOf(org_a_)), 10u);
  HttpResponse moved = Call("PUT", "/api/v1/events/" + uuid, analyst_a_,
                            json({{"title", "ev"},
                                  {"tlp", "amber"},
                                  {"indicators", {{{"value", "a.example"}, {"role", "c2"}}}}})
                                .dump(),
                            "application/json");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_THAT(Objects("tlp-green", analyst_b_), IsEmpty());
  EXPECT_THAT(Objects("tlp-amber", analyst_b_), IsEmpty());
  std::vector<json> own = Objects("tlp-amber", analyst_a_);
  EXPECT_THAT(Dangling(own), IsEmpty());
  EXPECT_EQ(own.front()["id"], Marking(Tlp::kAmber));
}

// Objects that came as STIX keep what they came with: their own identity
// and marking objects are served as stored, the TLP marking definition
// once per page even when the bundle carried it too, and no Accord identity
// is added for them (they do not name one).
TEST_F(TaxiiSharedTest, ObjectsThatCameAsStixKeepTheirOwnIdentitiesAndMarkings) {
  const std::string green = Marking(Tlp::kGreen);
  const json author = {{"type", "identity"},           {"spec_version", "2.1"},
                       {"id", testing::StixId("identity", "author")},
                       {"created", "2024-01-01T00:00:00.000Z"},
                       {"modified", "2024-01-01T00:00:00.000Z"},
                       {"name", "Vendor X"},           {"identity_class", "organization"},
                       {"object_marking_refs", {green}}};
  json malware = testing::Malware("vendor-x", "2024-01-01T00:00:00.000Z", green);
  malware["created_by_ref"] = author["id"];
  testing::HttpRequest post;
  post.method = "POST";
  post.path = CollectionPath("tlp-green") + "objects/";
  post.bearer = analyst_a_;
  post.headers = {testing::kTaxiiAccept, testing::kTaxiiContent};
  post.body = json({{"objects", {json::parse(TlpStixMarkingObject(Tlp::kGreen)), author, malware}}}).dump();
  HttpResponse posted = node_.Send(post);
  ASSERT_EQ(posted.status, 202) << posted.body;
  ASSERT_EQ(json::parse(posted.body)["success_count"], 3) << posted.body;

  std::vector<json> objects = Objects("tlp-green", analyst_b_);
  EXPECT_THAT(Dangling(objects), IsEmpty());
  const std::vector<std::string> ids = Ids(objects);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), green), 1) << json(ids).dump();
  EXPECT_EQ(std::count(ids.begin(), ids.end(), author["id"].get<std::string>()), 1);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), IdentityOf(org_a_)), 0);
  EXPECT_EQ(ids.size(), 3u);
}

// An identity posted without a marking, into tlp-amber, beside GREEN objects
// that name it as their creator, goes to tlp-green with them
// (exchange/unmarked_identities.h): a GREEN reader resolves who made them.
TEST_F(TaxiiSharedTest, AnUnmarkedIdentityIsServedWhereTheObjectsItMadeAre) {
  const json author = {{"type", "identity"},
                       {"spec_version", "2.1"},
                       {"id", testing::StixId("identity", "unmarked author")},
                       {"created", "2024-01-01T00:00:00.000Z"},
                       {"modified", "2024-01-01T00:00:00.000Z"},
                       {"name", "Vendor Y"},
                       {"identity_class", "organization"}};
  json malware = testing::Malware("vendor-y", "2024-01-01T00:00:00.000Z", Marking(Tlp::kGreen));
  malware["created_by_ref"] = author["id"];
  testing::HttpRequest post;
  post.method = "POST";
  post.path = CollectionPath("tlp-amber") + "objects/";
  post.bearer = analyst_a_;
  post.headers = {testing::kTaxiiAccept, testing::kTaxiiContent};
  post.body = json({{"objects", {author, malware}}}).dump();
  HttpResponse posted = node_.Send(post);
  ASSERT_EQ(posted.status, 202) << posted.body;
  ASSERT_EQ(json::parse(posted.body)["success_count"], 2) << posted.body;

  std::vector<json> objects = Objects("tlp-green", analyst_b_);
  EXPECT_THAT(Dangling(objects), IsEmpty()) << json(objects).dump();
  EXPECT_LT(FirstWithId(objects, author["id"]), objects.size());
  EXPECT_THAT(Objects("tlp-amber", analyst_b_), IsEmpty());
}

// A node upgraded to schema 15 places a copy of every group it held after
// its last object, dated at the upgrade (migration 15): a client that had
// polled everything before gets the identities and marking on its next
// poll, once; a client pulling from the start gets them before the first
// objects as well, never twice on one page.
TEST_F(TaxiiSharedTest, AClientThatPolledBeforeAnUpgradeGetsTheSharedObjectsOnItsNextPoll) {
  ASSERT_FALSE(CreateEvent(analyst_a_, "green", {"a.example"}).empty());
  HttpResponse before = TaxiiGet(CollectionPath("tlp-green") + "objects/", analyst_b_);
  ASSERT_EQ(before.status, 200);
  const std::string last = before.Header("x-taxii-date-added-last");
  {
    auto raw = sqlite::Connection::Open(node_.data_dir() + "/accord.db", false);
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    // What migration 15 does on a node that holds objects.
    ASSERT_TRUE((*raw)->Exec(
                         "INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq, date_added,"
                         " derived)"
                         " SELECT tlp, 1, owner_org_id, event_id, (SELECT MAX(seq) + 1 FROM stix_objects),"
                         " MAX(strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'),"
                         " (SELECT date_added FROM stix_objects ORDER BY seq DESC LIMIT 1)), derived"
                         " FROM stix_anchors WHERE kind = 0",
                         "upgrade")
                    .ok());
  }
  HttpResponse after = TaxiiGet(CollectionPath("tlp-green") + "objects/?added_after=" + last, analyst_b_);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_THAT(Ids(json::parse(after.body)["objects"].get<std::vector<json>>()),
              ElementsAre(Marking(Tlp::kGreen), IdentityOf(org_a_)));
  const std::string upgraded = after.Header("x-taxii-date-added-last");
  EXPECT_GT(upgraded, last);
  EXPECT_EQ(Envelope("tlp-green", analyst_b_, "?added_after=" + upgraded), json({{"more", false}}));

  // From the start: once on a whole page, once more across small pages.
  std::vector<std::string> whole = Ids(Objects("tlp-green", analyst_b_));
  EXPECT_EQ(std::count(whole.begin(), whole.end(), IdentityOf(org_a_)), 1);
  EXPECT_EQ(whole.front(), Marking(Tlp::kGreen));
  std::vector<std::string> paged = Ids(AllPages("tlp-green", analyst_b_, 2));
  EXPECT_EQ(std::count(paged.begin(), paged.end(), IdentityOf(org_a_)), 2);
  // The copies are read by the rule of their groups: C reads nothing of
  // A's AMBER, before or after an upgrade.
  ASSERT_FALSE(CreateEvent(analyst_a_, "amber", {"b.example"}).empty());
  EXPECT_EQ(Envelope("tlp-amber", analyst_c_), json({{"more", false}}));
}

}  // namespace
}  // namespace accord
