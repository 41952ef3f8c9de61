// What a producer takes back, and what it says twice, end to end on a real
// SQLite node: a revoked STIX indicator's values stop being live, and a
// sighting imported again is not counted again.
#include <gtest/gtest.h>

#include <string>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

std::string IndicatorVersion(const std::string& modified, bool revoked) {
  return std::string(R"({"type":"bundle","id":"bundle--66666666-6666-4666-8666-666666666666","objects":[)") +
         R"({"type":"report","spec_version":"2.1","id":"report--66666666-0000-4000-8000-000000000001",)"
         R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Campaign",)"
         R"("published":"2026-01-01T00:00:00Z","object_refs":["indicator--66666666-0000-4000-8000-000000000002"],)"
         R"("object_marking_refs":[")" + std::string(TlpStixMarkingId(Tlp::kGreen)) + R"("]},)"
         R"({"type":"indicator","spec_version":"2.1","id":"indicator--66666666-0000-4000-8000-000000000002",)"
         R"("created":"2026-01-01T00:00:00.000Z","modified":")" + modified + R"(",)" +
         (revoked ? R"("revoked":true,)" : "") +
         R"("pattern":"[domain-name:value = 'revoke-me.example']","pattern_type":"stix",)"
         R"("valid_from":"2026-01-01T00:00:00Z","object_marking_refs":[")" +
         std::string(TlpStixMarkingId(Tlp::kGreen)) + R"("]}]})";
}

using WithdrawalTest = ExchangeTest;

TEST_F(WithdrawalTest, ARevokedVersionOfAnIndicatorEndsItsValues) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false));
  ASSERT_NE(ExportAs(owner_, ExportFormat::kZeek).find("revoke-me.example"), std::string::npos)
      << "the first version's value is live";
  ImportReport revoked = Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", true));
  EXPECT_EQ(revoked.withdrawn, 1);
  EXPECT_EQ(ExportAs(owner_, ExportFormat::kZeek).find("revoke-me.example"), std::string::npos)
      << "a revoked indicator's value is still given to sensors";
  // The value stays known, with when it ended, for whoever looks it up.
  auto info = store_->LookupObservable({ObservableType::kDomain, "revoke-me.example"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ((*info)->events[0].context.valid_until, "2026-02-01T00:00:00.000Z");
  // Read again, the revocation changes nothing more.
  EXPECT_EQ(Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", true)).withdrawn, 0);
}

TEST_F(WithdrawalTest, AStixSightingImportedAgainIsNotCountedAgain) {
  const std::string bundle =
      R"({"type":"bundle","id":"bundle--77777777-7777-4777-8777-777777777777","objects":[)"
      R"({"type":"indicator","spec_version":"2.1","id":"indicator--77777777-0000-4000-8000-000000000001",)"
      R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
      R"("pattern":"[domain-name:value = 'seen.example']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"},)"
      R"({"type":"sighting","spec_version":"2.1","id":"sighting--77777777-0000-4000-8000-000000000002",)"
      R"("created":"2026-01-02T00:00:00.000Z","modified":"2026-01-02T00:00:00.000Z",)"
      R"("sighting_of_ref":"indicator--77777777-0000-4000-8000-000000000001","count":5}]})";
  EXPECT_EQ(Import("sight.json", bundle).sightings, 1);
  EXPECT_EQ(Import("sight.json", bundle).sightings, 0);
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  auto info = store_->LookupObservable({ObservableType::kDomain, "seen.example"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->sightings.size(), 1u);
  EXPECT_EQ((*info)->sightings[0].count, 5);
}

TEST_F(WithdrawalTest, AMispSightingImportedAgainIsNotCountedAgain) {
  const std::string event = R"({"Event":{"uuid":"5f0c8a8e-0000-4000-8000-00000000b001","info":"Seen",
    "Attribute":[{"type":"domain","value":"misp-seen.example","to_ids":true,"Sighting":[
      {"type":"0","date_sighting":"1700000000","uuid":"5f0c8a8e-0000-4000-8000-00000000b002"},
      {"type":"0","date_sighting":"1700000100","uuid":"5f0c8a8e-0000-4000-8000-00000000b003"}]}]}})";
  EXPECT_EQ(Import("event.json", event).sightings, 2);
  EXPECT_EQ(Import("event.json", event).sightings, 0);
  auto info = store_->LookupObservable({ObservableType::kDomain, "misp-seen.example"});
  ASSERT_TRUE(info.ok() && *info);
  EXPECT_EQ((*info)->sightings.size(), 2u);
}

}  // namespace
}  // namespace accord
