// Push against a real peer: node A holds objects and pushes; node B is an
// Accord server started in process on 127.0.0.1, whose TAXII 2.1 POST
// stores what arrives. A's own MayRead, for the organisation that stands for
// B on A, decides what leaves.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "core/crypto.h"
#include "federation/federation.h"
#include "federation/federation_testing.h"
#include "federation/taxii_answers.h"
#include "server/server_testing.h"
#include "store/stix_read_check.h"
#include "stix/stix.h"

namespace accord::federation {
namespace {

using fixtures::AllStoredObjects;
using fixtures::ImportObjects;
using fixtures::Indicator;
using fixtures::kAmber;
using fixtures::kClear;
using fixtures::kGreen;
using fixtures::StoredObjects;

std::string Id(int n) { return fmt::format("indicator--{:08x}-1111-4111-8111-111111111111", n); }

int64_t Sent(const PushReport& report) {
  int64_t sent = 0;
  for (const CollectionPush& pushed : report.collections) sent += pushed.objects;
  return sent;
}

class FederationPushTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_org_ = node_a_.AddOrganisation("CERT-A", "FR");
    b_on_a_ = node_a_.AddOrganisation("CERT-B", "DE");
    b_org_ = peer_b_.AddOrganisation("CERT-B", "DE");
    a_on_b_ = peer_b_.AddOrganisation("CERT-A", "FR");
    key_for_a_ = peer_b_.AddKey(a_on_b_, Role::kContributor);
  }

  PushOptions Options() {
    PushOptions options;
    options.api_root_url = peer_b_.base_url() + "/taxii2/api/";
    options.credentials = key_for_a_;
    options.peer = "node-b";
    options.peer_org_id = b_on_a_;
    return options;
  }

  // Who owns each object on B.
  std::map<std::string, int64_t> OwnersAtB() {
    std::map<std::string, int64_t> owners;
    for (const StoredStixObject& object : AllStoredObjects(peer_b_.store())) {
      owners[object.id] = object.owner_org_id;
    }
    return owners;
  }

  testing::TestServer node_a_;  // pushes; never started
  testing::TestServer peer_b_;
  int64_t a_org_ = 0;
  int64_t b_on_a_ = 0;
  int64_t b_org_ = 0;
  int64_t a_on_b_ = 0;
  std::string key_for_a_;
};

TEST_F(FederationPushTest, PushSendsWhatThePeerMayReadIntoTheCollectionOfEachLevelThenOnlyWhatIsNew) {
  ImportObjects(node_a_.store(), a_org_,
                {Indicator(1, "green.push.example", kGreen),
                 Indicator(2, "amber.push.example", kAmber),
                 Indicator(3, "clear.push.example", kClear)},
                "a-marked");
  // Unmarked, stored as GREEN on A: it must land as GREEN on B too.
  ImportObjects(node_a_.store(), a_org_, {Indicator(4, "unmarked.push.example", nullptr)},
                "a-unmarked", Tlp::kGreen);
  peer_b_.Start();

  auto first = Push(node_a_.store(), Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->peer, "node-b");
  // A's TLP:AMBER indicator is A's own (no recipients): CERT-B may not read it.
  std::map<std::string, Tlp> at_b = StoredObjects(peer_b_.store());
  ASSERT_EQ(at_b.size(), 3u);
  EXPECT_EQ(at_b.count(Id(2)), 0u);
  EXPECT_EQ(at_b[Id(1)], Tlp::kGreen);
  EXPECT_EQ(at_b[Id(3)], Tlp::kClear);
  EXPECT_EQ(at_b[Id(4)], Tlp::kGreen);
  EXPECT_EQ(Sent(*first), 3);
  EXPECT_EQ(first->withheld, 1);
  for (const auto& [id, owner] : OwnersAtB()) EXPECT_EQ(owner, a_on_b_) << id;
  std::map<std::string, int64_t> sent_by_title;
  for (const CollectionPush& pushed : first->collections) {
    EXPECT_EQ(pushed.successes, pushed.objects) << pushed.title;
    EXPECT_EQ(pushed.failures, 0) << pushed.title;
    sent_by_title[pushed.title] = pushed.objects;
  }
  EXPECT_EQ(sent_by_title["TLP:GREEN"], 2);
  EXPECT_EQ(sent_by_title["TLP:CLEAR"], 1);
  EXPECT_EQ(sent_by_title["TLP:AMBER"], 0);
  auto cursor = node_a_.store().GetMeta(PushCursorKey("node-b", ""));
  ASSERT_TRUE(cursor.ok() && cursor->has_value());
  EXPECT_EQ(**cursor, std::to_string(first->cursor));

  // Nothing new: the cursor skips what was pushed.
  auto second = Push(node_a_.store(), Options());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->considered, 0);
  EXPECT_EQ(Sent(*second), 0);

  ImportObjects(node_a_.store(), a_org_, {Indicator(5, "later.push.example", kGreen)}, "a-later");
  auto third = Push(node_a_.store(), Options());
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->considered, 1);
  EXPECT_EQ(Sent(*third), 1);
  EXPECT_EQ(StoredObjects(peer_b_.store()).size(), 4u);

  // Each push is in A's audit chain, with what was sent.
  int64_t push_records = 0;
  ASSERT_TRUE(node_a_.store()
                  .ForEachAudit([&](const AuditEntry& entry) {
                    if (entry.action != "federate.push") return Status::Ok();
                    ++push_records;
                    EXPECT_EQ(entry.object, "taxii:node-b");
                    EXPECT_NE(entry.detail.find("\"sent\""), std::string::npos) << entry.detail;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(push_records, 3);
}

TEST_F(FederationPushTest, WhatCameFromThePeerIsNotSentBack) {
  // B shares one indicator; A pulls it.
  const std::string key_for_a_to_read = peer_b_.AddKey(a_on_b_, Role::kReader);
  ImportObjects(peer_b_.store(), b_org_, {Indicator(1, "from-b.push.example", kGreen)}, "b-own");
  peer_b_.Start();
  PullOptions pull;
  pull.api_root_url = peer_b_.base_url() + "/taxii2/api/";
  pull.credentials = key_for_a_to_read;
  pull.peer = "node-b";
  pull.owner_org_id = a_org_;
  ASSERT_TRUE(Pull(node_a_.store(), pull).ok());
  // And CERT-B posted one to A directly (A stores it as CERT-B's).
  ImportObjects(node_a_.store(), b_on_a_, {Indicator(2, "posted-by-b.push.example", kGreen)},
                "b-posted");
  ImportObjects(node_a_.store(), a_org_, {Indicator(3, "a-own.push.example", kGreen)}, "a-own");

  auto pushed = Push(node_a_.store(), Options());
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_EQ(pushed->returned, 2);
  EXPECT_EQ(Sent(*pushed), 1);
  std::map<std::string, int64_t> owners = OwnersAtB();
  EXPECT_EQ(owners.size(), 2u);
  EXPECT_EQ(owners[Id(1)], b_org_);  // still B's own, not re-posted by A
  EXPECT_EQ(owners[Id(3)], a_on_b_);
  EXPECT_EQ(owners.count(Id(2)), 0u);
}

// A's AMBER event names CERT-B (its stand-in for node B); pushed, it lands
// on B owned by CERT-A's stand-in there. That stand-in shares with B's own
// organisation, which is named a recipient and so reads it; another
// organisation on B does not.
TEST_F(FederationPushTest, AmberPushedToAPeerIsReadByTheOrganisationTheStandInSharesWith) {
  const int64_t sharing = peer_b_.AddOrganisation("CERT-A via push", "FR", b_org_);
  const int64_t bystander = peer_b_.AddOrganisation("CERT-C", "IT");
  {
    auto in = OpenInputFromMemory(
        "a-amber", std::string(R"({"type":"bundle","objects":[)") + Indicator(5, "amber.shared.example", kAmber) + "]}");
    ASSERT_TRUE(in.ok());
    ImportOptions options;
    options.owner_org_id = a_org_;
    options.share_with_org_id = b_on_a_;  // names CERT-B on A's AMBER event
    ASSERT_TRUE(ImportStream(node_a_.store(), **in, options, nullptr).ok());
  }
  peer_b_.Start();
  PushOptions options = Options();
  options.credentials = peer_b_.AddKey(sharing, Role::kContributor);
  auto pushed = Push(node_a_.store(), options);
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_EQ(Sent(*pushed), 1);

  const std::vector<StoredStixObject> at_b = AllStoredObjects(peer_b_.store());
  ASSERT_EQ(at_b.size(), 1u);
  EXPECT_EQ(at_b[0].tlp, Tlp::kAmber);
  EXPECT_EQ(at_b[0].owner_org_id, sharing);
  StixReadCheck as_b(peer_b_.store(), Principal{b_org_, Role::kAnalyst});
  auto b_reads = as_b.MayReadObject(at_b[0]);
  ASSERT_TRUE(b_reads.ok()) << b_reads.status().ToString();
  EXPECT_TRUE(*b_reads) << "B's own organisation reads what A shared with it";
  StixReadCheck as_c(peer_b_.store(), Principal{bystander, Role::kAnalyst});
  auto c_reads = as_c.MayReadObject(at_b[0]);
  ASSERT_TRUE(c_reads.ok());
  EXPECT_FALSE(*c_reads) << "TLP:AMBER goes no further than the named organisation";
}

// Objects that belong to no event (a malware SDO, an identity: no report
// holds them) keep where they came from themselves, so they do not travel
// back either.
TEST_F(FederationPushTest, AnObjectOutsideAnyEventThatCameFromThePeerIsNotSentBack) {
  const std::string key_for_a_to_read = peer_b_.AddKey(a_on_b_, Role::kReader);
  const std::string malware =
      fmt::format(R"({{"type":"malware","spec_version":"2.1","id":"malware--0000beef-1111-4111-8111-111111111111",)"
                  R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
                  R"("name":"DemoStealer","is_family":true,"object_marking_refs":["{}"]}})",
                  kGreen);
  ImportObjects(peer_b_.store(), b_org_, {malware}, "b-malware");
  peer_b_.Start();
  PullOptions pull;
  pull.api_root_url = peer_b_.base_url() + "/taxii2/api/";
  pull.credentials = key_for_a_to_read;
  pull.peer = "node-b";
  pull.owner_org_id = a_org_;
  ASSERT_TRUE(Pull(node_a_.store(), pull).ok());
  const std::vector<StoredStixObject> at_a = AllStoredObjects(node_a_.store());
  ASSERT_EQ(at_a.size(), 1u);
  EXPECT_EQ(at_a[0].event_id, 0) << "the test needs an object outside any event";
  EXPECT_TRUE(at_a[0].source.starts_with("stix:taxii:node-b/")) << at_a[0].source;

  auto pushed = Push(node_a_.store(), Options());
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_EQ(pushed->returned, 1);
  EXPECT_EQ(Sent(*pushed), 0);
  std::map<std::string, int64_t> owners = OwnersAtB();
  ASSERT_EQ(owners.size(), 1u);
  EXPECT_EQ(owners.begin()->second, b_org_) << "B's own malware, not posted back as CERT-A's";
}

TEST_F(FederationPushTest, AChosenCollectionTakesOnlyObjectsThatKeepTheirLevelThere) {
  ImportObjects(node_a_.store(), a_org_, {Indicator(1, "marked-green.push.example", kGreen)},
                "a-marked");
  ImportObjects(node_a_.store(), a_org_, {Indicator(2, "unmarked-green.push.example", nullptr)},
                "a-unmarked", Tlp::kGreen);
  peer_b_.Start();
  PushOptions options = Options();
  options.collection = UuidV5(kAccordUuidNamespace, "tlp-clear");
  auto pushed = Push(node_a_.store(), options);
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  // The marked object keeps its GREEN marking in B's CLEAR collection; the
  // unmarked one would have become CLEAR there, so it stays home.
  std::map<std::string, Tlp> at_b = StoredObjects(peer_b_.store());
  ASSERT_EQ(at_b.size(), 1u);
  EXPECT_EQ(at_b[Id(1)], Tlp::kGreen);
  EXPECT_EQ(pushed->unplaced, 1);
  auto cursor = node_a_.store().GetMeta(PushCursorKey("node-b", options.collection));
  ASSERT_TRUE(cursor.ok() && cursor->has_value());
}

TEST_F(FederationPushTest, EnvelopesAreSplitUnderThePeersMaxContentLength) {
  std::vector<std::string> objects;
  for (int n = 1; n <= 12; ++n)
    objects.push_back(Indicator(n, fmt::format("split{}.push.example", n), kGreen));
  ImportObjects(node_a_.store(), a_org_, objects, "a-split");
  ServerConfig config;
  config.max_body_bytes = 1000;  // two indicators of ~400 bytes an envelope
  peer_b_.Start(config);
  auto pushed = Push(node_a_.store(), Options());
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  // One envelope of twelve would have been refused with 413.
  EXPECT_EQ(StoredObjects(peer_b_.store()).size(), 12u);
  int64_t green_posts = 0;
  for (const CollectionPush& collection : pushed->collections) {
    if (collection.title == "TLP:GREEN") green_posts = collection.posts;
  }
  EXPECT_GE(green_posts, 6);
}

// An object no envelope under the peer's limit can carry is counted as
// refused and the push goes on: it used to stop every run at that object,
// with the cursor (and everything after it) held back for good.
TEST_F(FederationPushTest, AnObjectLargerThanThePeersLimitIsSkippedAndTheRestIsSent) {
  nlohmann::json big = nlohmann::json::parse(Indicator(2, "big.push.example", kGreen));
  big["description"] = std::string(3000, 'd');
  ImportObjects(node_a_.store(), a_org_,
                {Indicator(1, "small1.push.example", kGreen), big.dump(),
                 Indicator(3, "small3.push.example", kGreen)},
                "a-big");
  ServerConfig config;
  config.max_body_bytes = 1000;
  peer_b_.Start(config);
  auto pushed = Push(node_a_.store(), Options());
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  std::set<std::string> at_b;
  for (const auto& [id, owner] : OwnersAtB()) at_b.insert(id);
  EXPECT_TRUE(at_b.contains(Id(1)));
  EXPECT_TRUE(at_b.contains(Id(3)));
  EXPECT_FALSE(at_b.contains(Id(2)));
  int64_t failures = 0;
  std::string message;
  for (const CollectionPush& collection : pushed->collections) {
    failures += collection.failures;
    if (!collection.failure_messages.empty()) message = collection.failure_messages[0];
  }
  EXPECT_EQ(failures, 1);
  EXPECT_NE(message.find(Id(2) + ": not sent"), std::string::npos) << message;
  auto cursor = node_a_.store().GetMeta(PushCursorKey("node-b", ""));
  ASSERT_TRUE(cursor.ok());
  EXPECT_TRUE(cursor->has_value());
}

TEST_F(FederationPushTest, RefusalsNameThePeerAndLeaveTheCursorWhereItWas) {
  ImportObjects(node_a_.store(), a_org_, {Indicator(1, "refused.push.example", kGreen)}, "a-1");
  peer_b_.Start();

  PushOptions read_only = Options();
  read_only.credentials = peer_b_.AddKey(a_on_b_, Role::kReader);  // cannot write
  auto unwritable = Push(node_a_.store(), read_only);
  ASSERT_FALSE(unwritable.ok());
  EXPECT_NE(unwritable.status().message().find("peer node-b"), std::string::npos)
      << unwritable.status().ToString();
  // Said as it is: the key may write nowhere (naming a collection would
  // not help).
  EXPECT_EQ(unwritable.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(unwritable.status().message().find("may write to none of its collections"), std::string::npos)
      << unwritable.status().ToString();

  PushOptions wrong_key = Options();
  wrong_key.credentials = "ak_0000000000000000:" + std::string(64, '0');
  auto refused = Push(node_a_.store(), wrong_key);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("HTTP 401"), std::string::npos)
      << refused.status().ToString();

  PushOptions unknown = Options();
  unknown.collection = "no-such-collection";
  EXPECT_EQ(Push(node_a_.store(), unknown).status().code(), Status::Code::kNotFound);

  PushOptions nobody = Options();
  nobody.peer_org_id = 0;
  EXPECT_EQ(Push(node_a_.store(), nobody).status().code(), Status::Code::kInvalidArgument);

  EXPECT_TRUE(StoredObjects(peer_b_.store()).empty());
  auto cursor = node_a_.store().GetMeta(PushCursorKey("node-b", ""));
  ASSERT_TRUE(cursor.ok());
  EXPECT_FALSE(cursor->has_value());
}

TEST(TaxiiAnswersTest, StatusResourcesAndApiRootsAreReadWithEveryMemberTypeChecked) {
  auto status = internal::ParseStatusResource(
      R"({"id":"s1","status":"complete","total_count":3,"success_count":2,"failure_count":1,)"
      R"("pending_count":0,"failures":[{"id":"indicator--x","version":"v","message":"bad"}]})");
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_TRUE(status->complete);
  EXPECT_EQ(status->success_count, 2);
  EXPECT_EQ(status->failure_count, 1);
  ASSERT_EQ(status->failures.size(), 1u);
  EXPECT_EQ(status->failures[0].message, "bad");
  EXPECT_FALSE(internal::ParseStatusResource(R"({"id":"s2","status":"pending"})")->complete);
  EXPECT_NE(internal::ParseStatusResource(R"({"status":"complete"})").status().message().find("\"id\""),
            std::string::npos);
  EXPECT_NE(internal::ParseStatusResource(R"({"id":"s","status":"done"})").status().message().find(
                "\"status\""),
            std::string::npos);
  EXPECT_NE(internal::ParseStatusResource(R"({"id":"s","status":"complete","success_count":"2"})")
                .status()
                .message()
                .find("success_count"),
            std::string::npos);
  EXPECT_NE(internal::ParseStatusResource(R"({"id":"s","status":"complete","failures":{}})")
                .status()
                .message()
                .find("failures"),
            std::string::npos);
  EXPECT_EQ(*internal::ParseMaxContentLength(R"({"title":"api","max_content_length":1024})"), 1024);
  EXPECT_EQ(*internal::ParseMaxContentLength(R"({"title":"api"})"), 0);
  EXPECT_NE(internal::ParseMaxContentLength(R"({"max_content_length":-5})").status().message().find(
                "max_content_length"),
            std::string::npos);
  auto listed = internal::ParseCollections(
      R"({"collections":[{"id":"c1","can_read":true,"can_write":true},{"id":"c2","can_read":true}]})");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE((*listed)[0].can_write);
  EXPECT_FALSE((*listed)[1].can_write);
  EXPECT_NE(internal::ParseCollections(R"({"collections":[{"id":"c","can_write":1}]})")
                .status()
                .message()
                .find("can_write"),
            std::string::npos);
}

// Derived objects (of a list import here) name their organisation's identity
// in created_by_ref; the push sends it with them, once per collection.
TEST_F(FederationPushTest, PushSendsTheIdentityThatDerivedObjectsNameOncePerCollectionAndRun) {
  auto import_list = [&](const std::string& name, const std::string& values, Tlp tlp) {
    auto in = OpenInputFromMemory(name, values);
    ASSERT_TRUE(in.ok());
    ImportOptions options;
    options.owner_org_id = a_org_;
    options.format = InputFormat::kList;
    options.default_tlp = tlp;
    ImportReport report;
    ASSERT_TRUE(ImportStream(node_a_.store(), **in, options, &report).ok());
  };
  import_list("green-list", "one.identity.example\ntwo.identity.example\n", Tlp::kGreen);
  import_list("clear-list", "three.identity.example\n", Tlp::kClear);
  auto a = node_a_.store().FindOrganisationById(a_org_);
  ASSERT_TRUE(a.ok() && a->has_value());
  const std::string identity_id = StixIdentityId((*a)->uuid);
  peer_b_.Start();

  auto first = Push(node_a_.store(), Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->identities, 2);  // into TLP:GREEN and into TLP:CLEAR
  for (const CollectionPush& pushed : first->collections) EXPECT_EQ(pushed.failures, 0) << pushed.title;
  // Every reference B holds now resolves at B.
  std::set<std::string> ids;
  std::vector<std::string> named;
  for (const StoredStixObject& object : AllStoredObjects(peer_b_.store())) {
    ids.insert(object.id);
    auto json = nlohmann::json::parse(object.json);
    if (json.contains("created_by_ref")) named.push_back(json["created_by_ref"]);
  }
  EXPECT_EQ(ids.count(identity_id), 1u);
  ASSERT_FALSE(named.empty());
  for (const std::string& ref : named) EXPECT_EQ(ids.count(ref), 1u) << ref;

  // A later push sends it again with its first object (the peer keeps one).
  import_list("green-later", "four.identity.example\n", Tlp::kGreen);
  auto later = Push(node_a_.store(), Options());
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ(later->identities, 1);
  size_t identities_at_b = 0;
  for (const auto& [id, tlp] : StoredObjects(peer_b_.store())) identities_at_b += id.starts_with("identity--");
  EXPECT_EQ(identities_at_b, 1u);

  // Objects that name no Accord identity (they came as STIX) bring none.
  ImportObjects(node_a_.store(), a_org_, {Indicator(9, "stix.identity.example", kGreen)}, "a-stix");
  auto stix = Push(node_a_.store(), Options());
  ASSERT_TRUE(stix.ok()) << stix.status().ToString();
  EXPECT_EQ(stix->identities, 0);
}

// B pulled A's indicators before A pushed them: the pushed copies are known
// on B, and their values stay in the one event the pull put them in (no
// second "STIX bundle" event owned by A's stand-in, which shares with B's
// organisation as the README sets it up).
TEST_F(FederationPushTest, WhatThePeerPulledAlreadyIsKnownThereAndNotLinkedTwice) {
  const std::vector<std::string> objects = {Indicator(1, "pulled.push.example", kGreen)};
  ImportObjects(node_a_.store(), a_org_, objects, "a-own");
  ImportObjects(peer_b_.store(), b_org_, objects, "taxii:node-a/pulled");
  const int64_t sharing_stand_in = peer_b_.AddOrganisation("CERT-A (shares with CERT-B)", "FR", b_org_);
  const std::string key = peer_b_.AddKey(sharing_stand_in, Role::kContributor);
  peer_b_.Start();
  PushOptions options = Options();
  options.credentials = key;
  auto pushed = Push(node_a_.store(), options);
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_EQ(Sent(*pushed), 1);
  for (const CollectionPush& collection : pushed->collections) EXPECT_EQ(collection.failures, 0);
  auto value = peer_b_.store().LookupObservable({ObservableType::kDomain, "pulled.push.example"});
  ASSERT_TRUE(value.ok() && value->has_value());
  ASSERT_EQ((*value)->events.size(), 1u) << "pushed again into " << (*value)->events.back().event.title;
  EXPECT_EQ((*value)->events[0].event.owner_org_id, b_org_);
}

// B pulled A's AMBER indicator (shared with B's stand-in on A) into B's own
// organisation, which alone reads it there. A's push of it, as its
// stand-in on B that shares with B's organisation, is known, not refused
// because the stand-in itself may not read B's copy.
TEST_F(FederationPushTest, AmberThePeerPulledAlreadyIsKnownToAStandInSharingWithItsHolder) {
  const std::vector<std::string> objects = {Indicator(2, "amber-pulled.push.example", kAmber)};
  {
    auto in = OpenInputFromMemory("a-amber", std::string(R"({"type":"bundle","objects":[)") + objects[0] + "]}");
    ASSERT_TRUE(in.ok());
    ImportOptions options;
    options.owner_org_id = a_org_;
    options.share_with_org_id = b_on_a_;
    ImportReport report;
    ASSERT_TRUE(ImportStream(node_a_.store(), **in, options, &report).ok());
  }
  ImportObjects(peer_b_.store(), b_org_, objects, "taxii:node-a/pulled");
  const int64_t sharing_stand_in = peer_b_.AddOrganisation("CERT-A (shares with CERT-B)", "FR", b_org_);
  const std::string key = peer_b_.AddKey(sharing_stand_in, Role::kContributor);
  peer_b_.Start();
  PushOptions options = Options();
  options.credentials = key;
  auto pushed = Push(node_a_.store(), options);
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_GE(Sent(*pushed), 1);
  for (const CollectionPush& collection : pushed->collections) {
    EXPECT_EQ(collection.failures, 0) << (collection.failure_messages.empty() ? "" : collection.failure_messages[0]);
  }
}

}  // namespace
}  // namespace accord::federation
