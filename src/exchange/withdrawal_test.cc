// What a producer takes back, and what it says twice, end to end on a real
// SQLite node: the values of a revoked STIX indicator, of an earlier
// version whose pattern changed and of a deleted MISP attribute stop being
// live, and a sighting imported again is not counted again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <map>
#include <sstream>
#include <string>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

constexpr const char* kRevokeMe = "[domain-name:value = 'revoke-me.example']";

// The report is GREEN; `level` marks the indicator.
std::string IndicatorVersion(const std::string& modified, bool revoked, const std::string& pattern = kRevokeMe,
                             const std::string& pattern_type = "stix", Tlp level = Tlp::kGreen) {
  return std::string(R"({"type":"bundle","id":"bundle--66666666-6666-4666-8666-666666666666","objects":[)") +
         R"({"type":"report","spec_version":"2.1","id":"report--66666666-0000-4000-8000-000000000001",)"
         R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Campaign",)"
         R"("published":"2026-01-01T00:00:00Z","object_refs":["indicator--66666666-0000-4000-8000-000000000002"],)"
         R"("object_marking_refs":[")" + std::string(TlpStixMarkingId(Tlp::kGreen)) + R"("]},)"
         R"({"type":"indicator","spec_version":"2.1","id":"indicator--66666666-0000-4000-8000-000000000002",)"
         R"("created":"2026-01-01T00:00:00.000Z","modified":")" + modified + R"(",)" +
         (revoked ? R"("revoked":true,)" : "") +
         R"("pattern":")" + pattern + R"(","pattern_type":")" + pattern_type + R"(",)"
         R"("valid_from":"2026-01-01T00:00:00Z","object_marking_refs":[")" +
         std::string(TlpStixMarkingId(level)) + R"("]}]})";
}

class WithdrawalTest : public ExchangeTest {
 protected:
  // The same file imported by the other organisation.
  ImportReport ImportAsOther(const std::string& name, const std::string& content) {
    ImportReport report;
    auto in = OpenInputFromMemory(name, content);
    EXPECT_TRUE(in.ok());
    if (!in.ok()) return report;
    ImportOptions options;
    options.owner_org_id = other_;
    EXPECT_TRUE(ImportStream(*store_, **in, options, &report).ok());
    return report;
  }
};

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

// An indicator that already ended when it is revoked: its end, spelled with
// an offset, is the revocation's instant, so nothing is withdrawn (the
// store compares instants as text, in one spelling).
TEST_F(WithdrawalTest, ARevocationAtTheInstantTheIndicatorEndedWithdrawsNothing) {
  std::string v1 = IndicatorVersion("2026-01-01T00:00:00.000Z", false);
  const std::string valid_from = R"("valid_from":"2026-01-01T00:00:00Z")";
  ASSERT_NE(v1.find(valid_from), std::string::npos);
  v1.replace(v1.find(valid_from), valid_from.size(),
             valid_from + R"(,"valid_until":"2026-02-01T01:00:00+01:00")");
  Import("v1.json", v1);
  auto info = store_->LookupObservable({ObservableType::kDomain, "revoke-me.example"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ((*info)->events[0].context.valid_until, "2026-02-01T00:00:00.000Z");
  EXPECT_EQ(Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", true)).withdrawn, 0);
}

std::string Objects(const std::string& bundle) {
  return bundle.substr(bundle.find("\"objects\":[") + 11, bundle.rfind("]}") - bundle.find("\"objects\":[") - 11);
}

// One bundle: `first` whole, then the indicator of `second` (without its report).
std::string InOneFile(const std::string& first, const std::string& second) {
  return first.substr(0, first.rfind("]}")) + "," + Objects(second).substr(Objects(second).find("},{") + 2) + "]}";
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
  EXPECT_EQ(ImportAsOther("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", true)).withdrawn, 0);
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

bool Live(const std::string& zeek, const std::string& value) {
  return zeek.find(value + "\t") != std::string::npos;
}

constexpr const char* kAOrB = "[domain-name:value = 'a.example'] OR [domain-name:value = 'b.example']";
constexpr const char* kBOrC = "[domain-name:value = 'b.example'] OR [domain-name:value = 'c.example']";

TEST_F(WithdrawalTest, ANewPatternEndsTheValuesOnlyEarlierVersionsNamed) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB));
  ASSERT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "a.example"));
  ImportReport changed = Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC));
  EXPECT_EQ(changed.withdrawn, 1);
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "a.example")) << "a value the new pattern dropped is still given to sensors";
  EXPECT_TRUE(Live(zeek, "b.example")) << "a value both versions name was ended";
  EXPECT_TRUE(Live(zeek, "c.example"));
  auto info = store_->LookupObservable({ObservableType::kDomain, "a.example"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ((*info)->events[0].context.valid_until, "2026-02-01T00:00:00.000Z");
  // Read again, the new version changes nothing more.
  EXPECT_EQ(Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC)).withdrawn, 0);
}

// STIX 2.1 3.6: the newest version is the object, its marking included. A
// version marked AMBER moves the value to an AMBER event; the GREEN link
// ends, so GREEN readers stop getting it for detection.
TEST_F(WithdrawalTest, ANewVersionMarkedMoreStrictlyEndsTheValueAtTheOldLevel) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB));
  ASSERT_TRUE(Live(ExportAs(other_, ExportFormat::kZeek), "a.example")) << "GREEN: the other organisation reads it";
  ImportReport raised =
      Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, kAOrB, "stix", Tlp::kAmber));
  EXPECT_EQ(raised.withdrawn, 2);
  const std::string others = ExportAs(other_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(others, "a.example")) << "the value stays live at the level its producer raised it from";
  EXPECT_FALSE(Live(others, "b.example"));
  const std::string owners = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_TRUE(Live(owners, "a.example")) << "live at its new level";
  EXPECT_TRUE(Live(owners, "b.example"));
  // Read again, the new version changes nothing more.
  EXPECT_EQ(Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, kAOrB, "stix", Tlp::kAmber))
                .withdrawn,
            0);
}

// Exporters (Accord's own included) write indicators before the reports
// that name them: the values reach the reports at the end of the import.
std::string IndicatorBeforeTwoReports(const std::string& modified, const std::string& pattern) {
  const std::string bundle = IndicatorVersion(modified, false, pattern);
  const std::string objects = Objects(bundle);
  const size_t split = objects.find("},{") + 1;
  const std::string report = objects.substr(0, split);
  std::string second_report = report;
  second_report.replace(second_report.find("0000-4000-8000-000000000001"), 27, "0000-4000-8000-000000000003");
  second_report.replace(second_report.find("Campaign"), 8, "Second campaign");
  return std::string(R"({"type":"bundle","id":"bundle--66666666-6666-4666-8666-666666666668","objects":[)") +
         objects.substr(split + 1) + "," + report + "," + second_report + "]}";
}

TEST_F(WithdrawalTest, ANewVersionOfAnIndicatorListedBeforeItsReportsKeepsTheValuesItNames) {
  Import("v1.json", IndicatorBeforeTwoReports("2026-01-01T00:00:00.000Z", kAOrB));
  ASSERT_TRUE(Live(ExportAs(other_, ExportFormat::kZeek), "a.example"));
  EXPECT_EQ(Import("v2.json", IndicatorBeforeTwoReports("2026-02-01T00:00:00.000Z", kAOrB)).withdrawn, 0);
  std::string zeek = ExportAs(other_, ExportFormat::kZeek);
  EXPECT_TRUE(Live(zeek, "a.example")) << "a value the new version still names was ended";
  EXPECT_TRUE(Live(zeek, "b.example"));
  ImportReport changed = Import("v3.json", IndicatorBeforeTwoReports("2026-03-01T00:00:00.000Z", kBOrC));
  EXPECT_EQ(changed.withdrawn, 2) << "a.example, in each report";
  zeek = ExportAs(other_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "a.example"));
  EXPECT_TRUE(Live(zeek, "b.example"));
  EXPECT_TRUE(Live(zeek, "c.example"));
}

// A value dropped and named again by a later version is live again.
TEST_F(WithdrawalTest, AValueAThirdVersionNamesAgainIsLiveAgain) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB));
  Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC));
  Import("v3.json", IndicatorVersion("2026-03-01T00:00:00.000Z", false, kAOrB));
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_TRUE(Live(zeek, "a.example"));
  EXPECT_FALSE(Live(zeek, "c.example"));
}

TEST_F(WithdrawalTest, TwoVersionsInOneFileLeaveTheNewestsValues) {
  const std::string v1 = IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB);
  const std::string v2 = IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC);
  ImportReport report = Import("both.json", InOneFile(v1, v2));
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "a.example"));
  EXPECT_TRUE(Live(zeek, "b.example"));
  EXPECT_TRUE(Live(zeek, "c.example"));
  EXPECT_EQ(report.withdrawn, 1);
}

// Read again, an earlier version does not bring back what a later one
// ended, alone or in a file with the later one.
TEST_F(WithdrawalTest, AnEarlierVersionReadAgainLeavesWhatALaterOneEndedEnded) {
  const std::string v1 = IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB);
  const std::string v2 = IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC);
  const std::string both = InOneFile(v1, v2);
  Import("both.json", both);
  ASSERT_FALSE(Live(ExportAs(owner_, ExportFormat::kZeek), "a.example"));
  Import("v1.json", v1);
  EXPECT_FALSE(Live(ExportAs(owner_, ExportFormat::kZeek), "a.example")) << "v1 read again made a.example live";
  Import("both.json", both);
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "a.example")) << "both versions read again made a.example live";
  EXPECT_TRUE(Live(zeek, "b.example"));
  EXPECT_TRUE(Live(zeek, "c.example"));
}

// A file holding the later version first: the earlier one, read second,
// links nothing the later one dropped, as if the two came in order.
TEST_F(WithdrawalTest, AnEarlierVersionAfterALaterOneInOneFileLinksNothingTheLaterDropped) {
  const std::string v1 = IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB);
  const std::string v2 = IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC);
  Import("reversed.json", InOneFile(v2, v1));
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "a.example")) << "the earlier version read after the later made a.example live";
  EXPECT_TRUE(Live(zeek, "b.example"));
  EXPECT_TRUE(Live(zeek, "c.example"));
}

// A new version after an earlier one read again in the same file: the
// earlier one links nothing, the new one links its values.
TEST_F(WithdrawalTest, ANewVersionAfterASupersededOneInOneFileLinksItsValues) {
  const std::string v1 = IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB);
  const std::string v2 = IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC);
  Import("both.json", InOneFile(v1, v2));
  const std::string v3 = IndicatorVersion("2026-03-01T00:00:00.000Z", false, "[domain-name:value = 'd.example']");
  ImportReport report = Import("v1-then-v3.json", InOneFile(v1, v3));
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_TRUE(Live(zeek, "d.example")) << "the new version's value was taken for the superseded one's";
  EXPECT_FALSE(Live(zeek, "a.example"));
  EXPECT_FALSE(Live(zeek, "b.example"));
  EXPECT_FALSE(Live(zeek, "c.example"));
  EXPECT_EQ(report.withdrawn, 2);
}

// An earlier version first read after a later one was stored (an old
// file sent again) ends nothing the later names and links nothing it
// dropped.
TEST_F(WithdrawalTest, AnEarlierVersionReadLaterEndsNothingAndLinksNothingTheLaterDropped) {
  Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC));
  EXPECT_EQ(Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB)).withdrawn, 0);
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_TRUE(Live(zeek, "b.example"));
  EXPECT_TRUE(Live(zeek, "c.example"));
  EXPECT_FALSE(Live(zeek, "a.example")) << "the old version made a value the newer one dropped live";
}

// A version between two stored ones, new to the node, brings back nothing
// the newest dropped.
TEST_F(WithdrawalTest, AVersionBetweenTwoStoredOnesBringsBackNothingTheNewestDropped) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB));
  Import("v3.json", IndicatorVersion("2026-03-01T00:00:00.000Z", false, "[domain-name:value = 'd.example']"));
  Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC));
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_TRUE(Live(zeek, "d.example"));
  EXPECT_FALSE(Live(zeek, "a.example"));
  EXPECT_FALSE(Live(zeek, "b.example")) << "the in-between version made b.example live again";
  EXPECT_FALSE(Live(zeek, "c.example")) << "the in-between version made c.example live";
}

// Another organisation's later version or revocation of the same id
// leaves this organisation's first version alone.
TEST_F(WithdrawalTest, AnotherOrganisationsLaterVersionLeavesAFirstVersionLive) {
  // The indicator alone: the report's event would be the first importer's.
  auto indicator_only = [](const std::string& bundle) {
    return std::string(R"({"type":"bundle","id":"bundle--66666666-6666-4666-8666-666666666668","objects":[)") +
           Objects(bundle).substr(Objects(bundle).find("},{") + 2) + "]}";
  };
  ImportAsOther("theirs.json", indicator_only(IndicatorVersion("2026-02-01T00:00:00.000Z", true)));
  Import("v1.json", indicator_only(IndicatorVersion("2026-01-01T00:00:00.000Z", false)));
  EXPECT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "revoke-me.example"));
  for (const Rejection& rejection : rejections_) {
    EXPECT_EQ(rejection.reason.find("revoked"), std::string::npos) << rejection.reason;
    EXPECT_EQ(rejection.reason.find("later version"), std::string::npos) << rejection.reason;
  }
}

// The same after a revocation: the first version read after it gives no live value.
TEST_F(WithdrawalTest, AFirstVersionReadAfterItsRevocationGivesNoLiveValue) {
  Import("revoked.json", IndicatorVersion("2026-02-01T00:00:00.000Z", true));
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false));
  EXPECT_FALSE(Live(ExportAs(owner_, ExportFormat::kZeek), "revoke-me.example"));
}

// A version whose pattern Accord does not match says nothing about the
// values: they stay live.
TEST_F(WithdrawalTest, ANewVersionAsAYaraRuleLeavesTheValuesLive) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB));
  ImportReport report =
      Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, "rule x { condition: true }", "yara"));
  EXPECT_EQ(report.withdrawn, 0);
  EXPECT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "a.example"));
}

// The indicator alone, without the report (whose event another
// organisation may not write to).
std::string WithoutReport(const std::string& bundle, char bundle_digit = '8') {
  return R"({"type":"bundle","id":"bundle--66666666-6666-4666-8666-66666666666)" + std::string(1, bundle_digit) +
         R"(","objects":[)" +
         Objects(bundle).substr(Objects(bundle).find("},{") + 2) + "]}";
}

TEST_F(WithdrawalTest, AnotherOrganisationsNewPatternEndsNothing) {
  Import("v1.json", WithoutReport(IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB)));
  const std::string v2 = WithoutReport(IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC));
  EXPECT_EQ(ImportAsOther("v2.json", v2).withdrawn, 0);
  EXPECT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "a.example"));
}

// Both organisations imported the first version: the producer's new one
// ends the value in its own events, not in the other's.
TEST_F(WithdrawalTest, ANewPatternEndsTheValueOnlyInTheImportersEvents) {
  const std::string v1 = WithoutReport(IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB));
  Import("v1.json", v1);
  // The other's copy came in another bundle (another group event).
  ImportAsOther("v1.json", WithoutReport(IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB), '9'));
  ASSERT_TRUE(Live(ExportAs(other_, ExportFormat::kZeek), "a.example"));
  EXPECT_EQ(Import("v2.json", WithoutReport(IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC))).withdrawn,
            1);
  EXPECT_TRUE(Live(ExportAs(other_, ExportFormat::kZeek), "a.example"))
      << "one organisation's new version ended another's link";
}

// A version refused (another object is stored under its id and modified)
// says nothing about the values.
TEST_F(WithdrawalTest, AConflictingVersionEndsNothing) {
  Import("v1.json", IndicatorVersion("2026-01-01T00:00:00.000Z", false, kAOrB));
  Import("v2.json", IndicatorVersion("2026-02-01T00:00:00.000Z", false, kBOrC));
  const std::string conflicting =
      IndicatorVersion("2026-02-01T00:00:00.000Z", false, "[domain-name:value = 'b.example']");
  EXPECT_EQ(Import("v2-other.json", conflicting).withdrawn, 0);
  EXPECT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "c.example"));
}

// A MISP event as a sync sends it with deleted data: `deleted` marks what
// its creator took back.
std::string MispEvent(const std::string& attributes, const std::string& objects = "[]") {
  return R"({"Event":{"uuid":"5f0c8a8e-0000-4000-8000-00000000d000","info":"Deletions","timestamp":"1700000000",)"
         R"("Attribute":)" + attributes + R"(,"Object":)" + objects + "}}";
}

std::string MispAttribute(const std::string& uuid, const std::string& value, bool deleted) {
  return R"({"uuid":"5f0c8a8e-0000-4000-8000-00000000)" + uuid + R"(","type":"domain","value":")" + value +
         R"(","to_ids":true,"timestamp":"1700000500")" + (deleted ? R"(,"deleted":true)" : "") + "}";
}

TEST_F(WithdrawalTest, AMispAttributeMarkedDeletedStopsBeingLive) {
  Import("event.json", MispEvent("[" + MispAttribute("d001", "deleted.example", false) + "," +
                                 MispAttribute("d002", "kept.example", false) + "]"));
  ASSERT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "deleted.example"));
  ImportReport again = Import("event.json", MispEvent("[" + MispAttribute("d001", "deleted.example", true) + "," +
                                                      MispAttribute("d002", "kept.example", false) + "]"));
  EXPECT_EQ(again.withdrawn, 1);
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "deleted.example")) << "a deleted MISP attribute is still given to sensors";
  EXPECT_TRUE(Live(zeek, "kept.example"));
  auto info = store_->LookupObservable({ObservableType::kDomain, "deleted.example"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ((*info)->events[0].context.valid_until, "2023-11-14T22:21:40.000Z") << "ends at its deletion";
  // Back to MISP, which has no end to an attribute: the ended value goes as
  // context, or a MISP taking the file would alert on it again.
  const nlohmann::json misp = nlohmann::json::parse(ExportAs(owner_, ExportFormat::kMisp));
  std::map<std::string, bool> to_ids;
  for (const auto& event : misp["response"]) {
    for (const auto& attribute : event["Event"]["Attribute"]) to_ids[attribute["value"]] = attribute["to_ids"];
  }
  ASSERT_EQ(to_ids.count("deleted.example"), 1u) << misp.dump();
  EXPECT_FALSE(to_ids["deleted.example"]);
  EXPECT_TRUE(to_ids["kept.example"]);
}

// The value moved to a new attribute: the old one's deletion leaves it live.
TEST_F(WithdrawalTest, AValueADeletedMispAttributeHandedToANewOneStaysLive) {
  Import("event.json", MispEvent("[" + MispAttribute("d001", "moved.example", false) + "]"));
  ImportReport again = Import("event.json", MispEvent("[" + MispAttribute("d001", "moved.example", true) + "," +
                                                      MispAttribute("d003", "moved.example", false) + "]"));
  EXPECT_EQ(again.withdrawn, 0);
  EXPECT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "moved.example"));
}

std::string MispComposite(const std::string& uuid, const std::string& value, bool deleted) {
  return R"({"uuid":"5f0c8a8e-0000-4000-8000-00000000)" + uuid + R"(","type":"domain|ip","value":")" + value +
         R"(","to_ids":true,"timestamp":"1700000500")" + (deleted ? R"(,"deleted":true)" : "") + "}";
}

// Only one part of a composite carries the attribute's id; its deletion
// ends both.
TEST_F(WithdrawalTest, ADeletedMispCompositeAttributeEndsEveryPart) {
  Import("event.json", MispEvent("[" + MispComposite("d005", "both.example|198.51.100.7", false) + "]"));
  std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  ASSERT_TRUE(Live(zeek, "both.example"));
  ASSERT_TRUE(Live(zeek, "198.51.100.7"));
  ImportReport again =
      Import("event.json", MispEvent("[" + MispComposite("d005", "both.example|198.51.100.7", true) + "]"));
  EXPECT_EQ(again.withdrawn, 2);
  zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "both.example"));
  EXPECT_FALSE(Live(zeek, "198.51.100.7")) << "the composite's address is still given to sensors";
  auto info = store_->LookupObservable({ObservableType::kIpv4, "198.51.100.7"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ((*info)->events[0].context.valid_until, "2023-11-14T22:21:40.000Z") << "ends at its deletion";
}

// Another attribute of the event names the address: it stays.
TEST_F(WithdrawalTest, ADeletedMispCompositeLeavesAPartAnotherAttributeNames) {
  // No uuid: its link carries no id either, as the composite's address does.
  const std::string address = R"({"type":"ip-dst","value":"198.51.100.8","to_ids":true})";
  Import("event.json",
         MispEvent("[" + MispComposite("d005", "gone.example|198.51.100.8", false) + "," + address + "]"));
  ImportReport again =
      Import("event.json",
             MispEvent("[" + MispComposite("d005", "gone.example|198.51.100.8", true) + "," + address + "]"));
  EXPECT_EQ(again.withdrawn, 1);
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "gone.example"));
  EXPECT_TRUE(Live(zeek, "198.51.100.8"));
}

// Tagged tlp:red in a GREEN event, the composite's parts went to the event's
// RED companion; the deleted copy carries no tags.
TEST_F(WithdrawalTest, ADeletedMispCompositeTaggedStricterThanItsEventEndsEveryPart) {
  auto event = [](bool deleted) {
    return R"({"Event":{"uuid":"5f0c8a8e-0000-4000-8000-00000000d100","info":"Tagged","timestamp":"1700000000",)"
           R"("Tag":[{"name":"tlp:green"}],"Attribute":[{"uuid":"5f0c8a8e-0000-4000-8000-00000000d007",)"
           R"("type":"domain|ip","value":"red-part.example|198.51.100.9","to_ids":true,"timestamp":"1700000500")" +
           std::string(deleted ? R"(,"deleted":true}]}})" : R"(,"Tag":[{"name":"tlp:red"}]}]}})");
  };
  Import("event.json", event(false));
  ASSERT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "198.51.100.9"));
  EXPECT_EQ(Import("event.json", event(true)).withdrawn, 2);
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_FALSE(Live(zeek, "red-part.example"));
  EXPECT_FALSE(Live(zeek, "198.51.100.9")) << "the part in the RED companion is still given to sensors";
}

TEST_F(WithdrawalTest, AMispObjectMarkedDeletedEndsItsAttributes) {
  auto object = [](bool deleted) {
    return R"([{"name":"domain-ip","uuid":"5f0c8a8e-0000-4000-8000-00000000d0b0",)" +
           std::string(deleted ? R"("deleted":true,)" : "") + R"("Attribute":[)" +
           MispAttribute("d004", "in-object.example", false) + "]}]";
  };
  Import("event.json", MispEvent("[]", object(false)));
  ASSERT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "in-object.example"));
  EXPECT_EQ(Import("event.json", MispEvent("[]", object(true))).withdrawn, 1);
  EXPECT_FALSE(Live(ExportAs(owner_, ExportFormat::kZeek), "in-object.example"));
}

TEST_F(WithdrawalTest, AnotherOrganisationsDeletedMispAttributeEndsNothing) {
  Import("event.json", MispEvent("[" + MispAttribute("d001", "owners.example", false) + "]"));
  const std::string deleted = MispEvent("[" + MispAttribute("d001", "owners.example", true) + "]");
  EXPECT_EQ(ImportAsOther("event.json", deleted).withdrawn, 0);
  EXPECT_TRUE(Live(ExportAs(owner_, ExportFormat::kZeek), "owners.example"));
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
  const ImportReport again = Import("sight.json", bundle);
  EXPECT_EQ(again.sightings, 0);
  EXPECT_EQ(again.sightings_updated, 0);
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  // Another organisation importing the same feed records its own.
  EXPECT_EQ(ImportAsOther("sight.json", bundle).sightings, 1);
  auto info = store_->LookupObservable({ObservableType::kDomain, "seen.example"});
  ASSERT_TRUE(info.ok() && *info);
  ASSERT_EQ((*info)->sightings.size(), 2u);
  EXPECT_EQ((*info)->sightings[0].count, 5);
}

// STIX 2.1 5.3: a sighting's later version carries its newer count and
// span. It updates the stored sighting (no second row); the earlier
// version read after it changes nothing back.
TEST_F(WithdrawalTest, AStixSightingsLaterVersionUpdatesItsCountAndSpan) {
  auto version = [](const std::string& modified, int count, const std::string& last_seen) {
    return std::string(R"({"type":"bundle","id":"bundle--77777777-7777-4777-8777-777777777778","objects":[)"
                       R"({"type":"indicator","spec_version":"2.1","id":"indicator--77777777-0000-4000-8000-000000000011",)"
                       R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
                       R"("pattern":"[domain-name:value = 'seen-again.example']","pattern_type":"stix",)"
                       R"("valid_from":"2026-01-01T00:00:00Z"},)"
                       R"({"type":"sighting","spec_version":"2.1","id":"sighting--77777777-0000-4000-8000-000000000012",)"
                       R"("created":"2026-01-02T00:00:00.000Z","modified":")") +
           modified + R"(","first_seen":"2026-01-02T00:00:00Z","last_seen":")" + last_seen +
           R"(","sighting_of_ref":"indicator--77777777-0000-4000-8000-000000000011","count":)" +
           std::to_string(count) + "}]}";
  };
  auto only_sighting = [&] {
    auto info = store_->LookupObservable({ObservableType::kDomain, "seen-again.example"});
    EXPECT_TRUE(info.ok() && *info);
    EXPECT_EQ((info.ok() && *info) ? (*info)->sightings.size() : 0u, 1u);
    return (info.ok() && *info && !(*info)->sightings.empty()) ? (*info)->sightings[0] : Sighting{};
  };
  const std::string first = version("2026-01-02T00:00:00.000Z", 5, "2026-01-02T06:00:00Z");
  const std::string later = version("2026-01-05T00:00:00.000Z", 9, "2026-01-05T00:00:00+01:00");
  Import("v1.json", first);
  EXPECT_EQ(only_sighting().count, 5);
  const ImportReport second = Import("v2.json", later);
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_EQ(second.sightings, 0);
  EXPECT_EQ(second.sightings_updated, 1);
  Sighting updated = only_sighting();
  EXPECT_EQ(updated.count, 9);
  EXPECT_EQ(updated.first_seen, "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(updated.last_seen, "2026-01-04T23:00:00.000Z");
  EXPECT_EQ(Import("v1.json", first).sightings_updated, 0) << "the earlier version changed nothing";
  Sighting again = only_sighting();
  EXPECT_EQ(again.count, 9);
  EXPECT_EQ(again.last_seen, "2026-01-04T23:00:00.000Z");
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
