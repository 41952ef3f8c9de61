// What a producer takes back, and what it says twice, end to end on a real
// SQLite node: a revoked STIX indicator's values stop being live, and a
// sighting imported again is not counted again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
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

std::string Objects(const std::string& bundle) {
  return bundle.substr(bundle.find("\"objects\":[") + 11, bundle.rfind("]}") - bundle.find("\"objects\":[") - 11);
}

// The revocation comes first in the file, or the old version is read again
// after it: the value stays withdrawn.
TEST_F(WithdrawalTest, AnEarlierVersionReadAfterTheRevocationStaysWithdrawn) {
  const std::string v1 = IndicatorVersion("2026-01-01T00:00:00.000Z", false);
  const std::string revoked = IndicatorVersion("2026-02-01T00:00:00.000Z", true);
  Import("both.json", std::string(R"({"type":"bundle","id":"bundle--66666666-6666-4666-8666-666666666667","objects":[)") +
                          Objects(revoked) + "," + Objects(v1).substr(Objects(v1).find("},{") + 2) + "]}");
  EXPECT_EQ(ExportAs(owner_, ExportFormat::kZeek).find("revoke-me.example"), std::string::npos)
      << "the earlier version after the revocation made the value live";
  Import("v1.json", v1);
  EXPECT_EQ(ExportAs(owner_, ExportFormat::kZeek).find("revoke-me.example"), std::string::npos)
      << "reading the earlier version again made the value live";
}

// Only the organisation that shared an indicator withdraws it.
TEST_F(WithdrawalTest, AnotherOrganisationsRevocationChangesNothing) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false));
  auto in = OpenInputFromMemory("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", true));
  ASSERT_TRUE(in.ok());
  ImportOptions options;
  options.owner_org_id = other_;
  ImportReport report;
  ASSERT_TRUE(ImportStream(*store_, **in, options, &report).ok());
  EXPECT_EQ(report.withdrawn, 0);
  EXPECT_NE(ExportAs(owner_, ExportFormat::kZeek).find("revoke-me.example"), std::string::npos)
      << "another organisation ended the owner's indicator";
}

// --live-only: no version of a revoked indicator is exported (its earlier
// version alone would say it is live).
TEST_F(WithdrawalTest, ALiveOnlyExportHasNoVersionOfARevokedIndicator) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false));
  Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", true));
  ExportOptions options;
  options.format = ExportFormat::kStix;
  options.viewer = {owner_, Role::kAnalyst};
  options.include_expired = false;
  std::ostringstream out;
  ASSERT_TRUE(Export(*store_, options, out, nullptr).ok());
  const nlohmann::json bundle = nlohmann::json::parse(out.str());
  for (const auto& object : bundle["objects"]) {
    EXPECT_NE(object["id"], "indicator--66666666-0000-4000-8000-000000000002") << object.dump();
  }
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
  // Another organisation importing the same feed records its own.
  auto in = OpenInputFromMemory("sight.json", bundle);
  ASSERT_TRUE(in.ok());
  ImportOptions as_other;
  as_other.owner_org_id = other_;
  ImportReport other_report;
  ASSERT_TRUE(ImportStream(*store_, **in, as_other, &other_report).ok());
  EXPECT_EQ(other_report.sightings, 1);
  auto info = store_->LookupObservable({ObservableType::kDomain, "seen.example"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->sightings.size(), 2u);
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
