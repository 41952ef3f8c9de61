// Pull against a real peer: an Accord server (server/), started in process
// on 127.0.0.1, whose TAXII 2.1 endpoints decide what this node may read.
#include "federation/federation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "federation/federation_testing.h"
#include "federation/taxii_answers.h"
#include "server/server_testing.h"

namespace accord::federation {
namespace {

using fixtures::Indicator;
using fixtures::ImportObjects;
using fixtures::kAmber;
using fixtures::kClear;
using fixtures::kGreen;
using fixtures::StoredObjects;

int64_t Total(const PullReport& report, int64_t CollectionPull::*field) {
  int64_t total = 0;
  for (const CollectionPull& pulled : report.collections) total += pulled.*field;
  return total;
}

class FederationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_org_ = peer_a_.AddOrganisation("CERT-A", "FR");
    b_on_a_ = peer_a_.AddOrganisation("CERT-B", "DE");
    key_for_b_ = peer_a_.AddKey(b_on_a_, Role::kReader);
    b_org_ = node_b_.AddOrganisation("CERT-B", "DE");
  }

  PullOptions Options() {
    PullOptions options;
    options.api_root_url = peer_a_.base_url() + "/taxii2/api/";
    options.credentials = key_for_b_;
    options.peer = "node-a";
    options.owner_org_id = b_org_;
    return options;
  }

  // A pulling back from B what B pulled from A: B's server started with a
  // key for A's organisation there.
  PullOptions BackFromB() {
    const int64_t a_on_b = node_b_.AddOrganisation("CERT-A", "FR");
    const std::string key_for_a = node_b_.AddKey(a_on_b, Role::kReader);
    node_b_.Start();
    PullOptions back;
    back.api_root_url = node_b_.base_url() + "/taxii2/api/";
    back.credentials = key_for_a;
    back.peer = "node-b";
    back.owner_org_id = a_org_;
    return back;
  }

  // A GREEN plain list of A's organisation: no STIX of its own, so A
  // serves indicators it derived for its values.
  void ImportGreenListOnA(const std::string& values) {
    auto in = OpenInputFromMemory("c2-list.txt", values);
    ASSERT_TRUE(in.ok());
    ImportOptions options;
    options.owner_org_id = a_org_;
    options.default_tlp = Tlp::kGreen;
    ImportReport report;
    ASSERT_TRUE(ImportStream(peer_a_.store(), **in, options, &report).ok());
  }

  testing::TestServer peer_a_;
  testing::TestServer node_b_;  // pulls; its server is only started to be pulled from
  int64_t a_org_ = 0;
  int64_t b_on_a_ = 0;
  int64_t b_org_ = 0;
  std::string key_for_b_;
};

TEST_F(FederationTest, PullBringsWhatThePeerSharesWithItsMarkingsAndThenOnlyWhatIsNew) {
  ImportObjects(
      peer_a_.store(), a_org_,
      {Indicator(1, "green.fed.example", kGreen), Indicator(2, "amber.fed.example", kAmber),
       Indicator(3, "clear.fed.example", kClear)},
      "a-first");
  peer_a_.Start();

  auto first = Pull(node_b_.store(), Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->peer, "node-a");
  // Node A's own TAXII server decides: CERT-B reads CLEAR and GREEN, not
  // A's TLP:AMBER (not shared with it).
  std::map<std::string, Tlp> at_b = StoredObjects(node_b_.store());
  ASSERT_EQ(at_b.size(), 2u);
  EXPECT_EQ(at_b["indicator--00000001-1111-4111-8111-111111111111"], Tlp::kGreen);
  EXPECT_EQ(at_b["indicator--00000003-1111-4111-8111-111111111111"], Tlp::kClear);
  EXPECT_EQ(Total(*first, &CollectionPull::stix_objects_new), 2);
  EXPECT_EQ(Total(*first, &CollectionPull::new_values), 2);
  // Provenance: the events say which peer and collection they came from.
  int64_t events = 0;
  ASSERT_TRUE(node_b_.store()
                  .ForEachEvent({},
                                [&](const EventSummary& summary) {
                                  ++events;
                                  EXPECT_NE(summary.source.find("taxii:node-a/"), std::string::npos)
                                      << summary.source;
                                  // Titled in words, not with the collection's id.
                                  EXPECT_TRUE(summary.title == "From node-a: TLP:GREEN" ||
                                              summary.title == "From node-a: TLP:CLEAR")
                                      << summary.title;
                                  EXPECT_EQ(summary.owner_org_id, b_org_);
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_EQ(events, 2);  // one group event per TLP level

  // Nothing new: the cursors skip what was pulled.
  auto second = Pull(node_b_.store(), Options());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(Total(*second, &CollectionPull::objects), 0);

  // Something new on A: only that arrives.
  ImportObjects(peer_a_.store(), a_org_, {Indicator(4, "later.fed.example", kGreen)}, "a-second");
  auto third = Pull(node_b_.store(), Options());
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(Total(*third, &CollectionPull::objects), 1);
  EXPECT_EQ(Total(*third, &CollectionPull::stix_objects_new), 1);
  EXPECT_EQ(StoredObjects(node_b_.store()).size(), 3u);
}

TEST_F(FederationTest, PagesAreFollowedUntilThePeerHasNoMore) {
  std::vector<std::string> objects;
  for (int n = 1; n <= 7; ++n)
    objects.push_back(Indicator(n, fmt::format("p{}.fed.example", n), kGreen));
  ImportObjects(peer_a_.store(), a_org_, objects, "a-pages");
  peer_a_.Start();
  PullOptions options = Options();
  options.page_size = 3;
  auto pulled = Pull(node_b_.store(), options);
  ASSERT_TRUE(pulled.ok()) << pulled.status().ToString();
  EXPECT_EQ(StoredObjects(node_b_.store()).size(), 7u);
  int64_t green_pages = 0;
  for (const CollectionPull& collection : pulled->collections) {
    if (collection.title == "TLP:GREEN") green_pages = collection.pages;
  }
  EXPECT_EQ(green_pages, 3);  // 3 + 3 + 1
}

TEST_F(FederationTest, ObjectsThatTravelBackAreKnownSoNothingLoops) {
  ImportObjects(peer_a_.store(), a_org_, {Indicator(1, "loop.fed.example", kGreen)}, "a-loop");
  peer_a_.Start();
  ASSERT_TRUE(Pull(node_b_.store(), Options()).ok());

  // A pulls from B what B pulled from A.
  auto returned = Pull(peer_a_.store(), BackFromB());
  ASSERT_TRUE(returned.ok()) << returned.status().ToString();
  // The indicator, and the TLP:GREEN marking definition B's collection
  // serves with it (docs/TAXII.md), which A knows as its own constant.
  EXPECT_EQ(Total(*returned, &CollectionPull::objects), 2);
  EXPECT_EQ(Total(*returned, &CollectionPull::stix_objects_new), 0);
  EXPECT_EQ(Total(*returned, &CollectionPull::stix_objects_known), 2);
  EXPECT_EQ(StoredObjects(peer_a_.store()).size(), 1u);
}

// Values of a list (no STIX of their own: TAXII serves indicators the node
// derived for them) that travel A -> B -> A are A's own: A links them into
// no new event, also when they come on pages before their report, or a
// second source would seem to confirm them and the copy would stay GREEN
// after A's event was made stricter.
TEST_F(FederationTest, DerivedIndicatorsThatTravelBackAreKnownAndLinkedNowhereNew) {
  ImportGreenListOnA("derived.loop.example\nsecond.loop.example\n");
  peer_a_.Start();
  ASSERT_TRUE(Pull(node_b_.store(), Options()).ok());
  PullOptions back = BackFromB();
  // Pages of one object: the indicators come before the report that puts
  // them in A's event, as a large list's do.
  back.page_size = 1;
  auto returned = Pull(peer_a_.store(), back);
  ASSERT_TRUE(returned.ok()) << returned.status().ToString();
  EXPECT_EQ(Total(*returned, &CollectionPull::new_values), 0);
  EXPECT_EQ(Total(*returned, &CollectionPull::rejected), 0);
  // The indicators and report are A's own versions (the identity they name,
  // which A makes as it serves, is stored as the peer's copy).
  std::map<std::string, int> types;
  for (const StoredStixObject& object : fixtures::AllStoredObjects(peer_a_.store())) ++types[object.type];
  EXPECT_EQ(types["indicator"], 2);
  EXPECT_EQ(types["report"], 1);
  auto held = peer_a_.store().LookupObservable({ObservableType::kDomain, "derived.loop.example"});
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_EQ((*held)->events.size(), 1u) << "linked into " << (*held)->events.back().event.title;
}

// Another member's MISP event on A: its context values are served as
// SCOs A derived (a file with its hash). Coming back from B they are the
// versions A holds, not objects of a report A's importer may not change.
TEST_F(FederationTest, DerivedObservablesOfAnotherMembersEventThatTravelBackAreKnown) {
  const int64_t police = peer_a_.AddOrganisation("Police-A", "FR");
  {
    auto in = OpenInputFromMemory(
        "event.json",
        R"({"Event":{"uuid":"5f0c2a3e-1111-4111-8111-000000000001","info":"Loader","date":"2026-01-01",)"
        R"("Tag":[{"name":"tlp:green"}],"Attribute":[)"
        R"({"uuid":"5f0c2a3e-1111-4111-8111-000000000002","type":"sha256","category":"Payload delivery",)"
        R"("to_ids":false,"value":"b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c"},)"
        R"({"uuid":"5f0c2a3e-1111-4111-8111-000000000003","type":"domain","category":"Network activity",)"
        R"("to_ids":true,"value":"loader.loop.example"}]}})");
    ASSERT_TRUE(in.ok());
    ImportOptions options;
    options.owner_org_id = police;
    ImportReport report;
    ASSERT_TRUE(ImportStream(peer_a_.store(), **in, options, &report).ok());
    ASSERT_EQ(report.rejected, 0);
  }
  peer_a_.Start();
  ASSERT_TRUE(Pull(node_b_.store(), Options()).ok());
  PullOptions back = BackFromB();
  std::vector<std::string> rejections;
  back.on_reject = [&rejections](const Rejection& rejection) {
    rejections.push_back(rejection.location + ": " + rejection.reason);
  };
  auto returned = Pull(peer_a_.store(), back);
  ASSERT_TRUE(returned.ok()) << returned.status().ToString();
  EXPECT_EQ(Total(*returned, &CollectionPull::rejected), 0);
  EXPECT_TRUE(rejections.empty()) << rejections.front();
  // Made by a member of A's (their creator is its identity): left out.
  EXPECT_GE(Total(*returned, &CollectionPull::from_home), 3) << "indicator, file, report";
}

// What A's own members shared comes back from B as it was when B pulled
// it. A deleted the event since: the copy brought it back, live, at its
// old level (and an event A made stricter went back to GREEN). Objects
// whose creator is one of A's own organisations are never taken back.
TEST_F(FederationTest, WhatComesHomeThroughAPeerDoesNotBringBackADeletedEvent) {
  ImportGreenListOnA("deleted.loop.example\n");
  peer_a_.Start();
  ASSERT_TRUE(Pull(node_b_.store(), Options()).ok());
  auto held = peer_a_.store().LookupObservable({ObservableType::kDomain, "deleted.loop.example"});
  ASSERT_TRUE(held.ok() && held->has_value());
  ASSERT_EQ((*held)->events.size(), 1u);
  ASSERT_TRUE(peer_a_.store().DeleteEvent((*held)->events[0].event.id).ok());
  auto returned = Pull(peer_a_.store(), BackFromB());
  ASSERT_TRUE(returned.ok()) << returned.status().ToString();
  EXPECT_GE(Total(*returned, &CollectionPull::from_home), 2) << "the indicator and the report";
  EXPECT_EQ(Total(*returned, &CollectionPull::stix_objects_new), 0);
  EXPECT_EQ(Total(*returned, &CollectionPull::new_values), 0);
  held = peer_a_.store().LookupObservable({ObservableType::kDomain, "deleted.loop.example"});
  ASSERT_TRUE(held.ok());
  EXPECT_TRUE(!held->has_value() || (*held)->events.empty()) << "the deleted event came back";
}

TEST_F(FederationTest, ErrorsNameThePeerAndWhatWentWrong) {
  peer_a_.Start();
  PullOptions wrong_key = Options();
  wrong_key.credentials = "ak_0000000000000000:" + std::string(64, '0');
  auto refused = Pull(node_b_.store(), wrong_key);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("peer node-a"), std::string::npos)
      << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("HTTP 401"), std::string::npos)
      << refused.status().ToString();

  PullOptions unknown = Options();
  unknown.collections = {"no-such-collection"};
  auto missing = Pull(node_b_.store(), unknown);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no collection no-such-collection"), std::string::npos)
      << missing.status().ToString();

  PullOptions no_colon = Options();
  no_colon.credentials = "just-a-token";
  EXPECT_EQ(Pull(node_b_.store(), no_colon).status().code(), Status::Code::kInvalidArgument);

  // Named like a collection here, a peer would take posts to it for its own.
  for (const char* name : {"tlp-green", "node/a"}) {
    PullOptions collection_name = Options();
    collection_name.peer = name;
    auto clash = Pull(node_b_.store(), collection_name);
    ASSERT_FALSE(clash.ok()) << name;
    EXPECT_NE(clash.status().message().find("--peer"), std::string::npos) << clash.status().ToString();
  }

  PullOptions nobody_listening = Options();
  nobody_listening.api_root_url = "http://127.0.0.1:1/taxii2/api/";
  nobody_listening.timeout_seconds = 5;
  auto unreachable = Pull(node_b_.store(), nobody_listening);
  ASSERT_FALSE(unreachable.ok());
  EXPECT_NE(unreachable.status().message().find("peer node-a"), std::string::npos);
  // In words, not cpp-httplib's "Connection".
  EXPECT_NE(unreachable.status().message().find("could not connect"), std::string::npos)
      << unreachable.status().ToString();
  EXPECT_TRUE(StoredObjects(node_b_.store()).empty());
}

TEST(TaxiiAnswersTest, AWrongTypeAnywhereIsAnErrorNamingTheMemberNotAnException) {
  using internal::ParseCollections;
  using internal::ParseEnvelope;
  EXPECT_EQ(ParseCollections("{}")->size(), 0u);
  auto listed = ParseCollections(
      R"({"collections":[{"id":"c1","title":"TLP:GREEN","can_read":true},{"id":"c2"}]})");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_TRUE((*listed)[0].can_read);
  EXPECT_FALSE((*listed)[1].can_read);
  EXPECT_NE(ParseCollections(R"({"collections":[{"id":"c1","can_read":"yes"}]})")
                .status()
                .message()
                .find("can_read"),
            std::string::npos);
  EXPECT_NE(ParseCollections(R"({"collections":{}})")
                .status()
                .message()
                .find("\"collections\" is not an array"),
            std::string::npos);
  EXPECT_NE(ParseCollections(R"({"collections":[{"title":"x"}]})")
                .status()
                .message()
                .find("no string \"id\""),
            std::string::npos);
  EXPECT_NE(ParseCollections("[1,2]").status().message().find("not a JSON object"),
            std::string::npos);
  EXPECT_NE(ParseCollections("{\"collections\":[").status().message().find("not JSON"),
            std::string::npos);

  auto envelope = ParseEnvelope(
      R"({"more":true,"next":"abc","objects":[{"type":"indicator"},{"type":"malware"}]})");
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->object_count, 2u);
  EXPECT_TRUE(envelope->more);
  EXPECT_EQ(envelope->next, "abc");
  EXPECT_EQ(ParseEnvelope("{}")->object_count, 0u);
  EXPECT_NE(ParseEnvelope(R"({"more":"yes"})").status().message().find("\"more\""),
            std::string::npos);
  EXPECT_NE(ParseEnvelope(R"({"next":7})").status().message().find("\"next\""), std::string::npos);
  EXPECT_NE(
      ParseEnvelope(R"({"objects":{}})").status().message().find("\"objects\" is not an array"),
      std::string::npos);
  EXPECT_NE(ParseEnvelope(R"({"objects":[1]})").status().message().find("not a JSON object"),
            std::string::npos);
  EXPECT_EQ(internal::ErrorSummary(R"({"title":"Unauthorized","description":"bad key"})"),
            "Unauthorized: bad key");
  EXPECT_EQ(internal::ErrorSummary("<html>"), "");
}

}  // namespace
}  // namespace accord::federation
