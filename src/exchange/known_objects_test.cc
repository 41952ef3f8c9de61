// STIX objects an import finds already stored: an indicator its importer
// (or the organisation a peer's stand-in shares with) holds where the new
// bundle's readers read it is not linked a second time (a TAXII post
// retried, a push of what a pull brought), and another organisation's
// report sent again unchanged is known, not refused.
#include <gtest/gtest.h>

#include <string>

#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

constexpr char kGreen[] = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
constexpr char kAmber[] = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
constexpr char kIndicatorId[] = "indicator--5a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
constexpr char kReportId[] = "report--6b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d5e";

std::string Indicator(const std::string& domain, const char* marking,
                      const std::string& modified = "2026-01-01T00:00:00.000Z") {
  return std::string(R"({"type":"indicator","spec_version":"2.1","id":")") + kIndicatorId +
         R"(","created":"2026-01-01T00:00:00.000Z","modified":")" + modified +
         R"(","pattern":"[domain-name:value = ')" + domain +
         R"(']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","valid_until":"2027-01-01T00:00:00Z",)"
         R"("object_marking_refs":[")" + marking +
         R"("]})";
}

constexpr char kSightedAddressId[] = "ipv4-addr--7c3d4e5f-6071-5c8d-9eaf-1a2b3c4d5e6f";

std::string Report(const char* marking) {
  return std::string(R"({"type":"report","spec_version":"2.1","id":")") + kReportId +
         R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Campaign",)"
         R"("published":"2026-01-01T00:00:00Z","object_refs":[")" +
         kIndicatorId + R"(",")" + kSightedAddressId + R"("],"object_marking_refs":[")" + marking + R"("]})";
}

std::string Address(const std::string& value) {
  return std::string(R"({"type":"ipv4-addr","spec_version":"2.1","id":")") + kSightedAddressId +
         R"(","value":")" + value + R"("})";
}

std::string Bundle(int n, const std::string& objects) {
  return "{\"type\":\"bundle\",\"id\":\"bundle--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c" + std::to_string(10 + n) +
         "\",\"objects\":[" + objects + "]}";
}

class KnownObjectsTest : public ExchangeTest {
 protected:
  ImportReport ImportAs(int64_t org, const std::string& name, const std::string& content,
                        int64_t share_with = 0) {
    const std::string path = dir_.Join(name);
    testing::WriteFile(path, content);
    ImportOptions options;
    options.owner_org_id = org;
    options.share_with_org_id = share_with;
    options.default_tlp = Tlp::kAmber;
    options.on_reject = [this](const Rejection& r) { rejections_.push_back(r); };
    ImportReport report;
    last_status_ = ImportFile(*store_, path, options, &report);
    EXPECT_TRUE(last_status_.ok()) << last_status_.ToString();
    return report;
  }

  std::vector<EventLink> LinksOf(const std::string& domain) {
    auto info = store_->LookupObservable({ObservableType::kDomain, domain});
    EXPECT_TRUE(info.ok() && info->has_value()) << domain;
    return info.ok() && info->has_value() ? (*info)->events : std::vector<EventLink>{};
  }
};

TEST_F(KnownObjectsTest, AnIndicatorItsImporterSendsAgainInAnotherBundleStaysInTheEventThatHasIt) {
  ImportReport first = ImportAs(owner_, "first.json", Bundle(1, Indicator("twice.example", kGreen)));
  EXPECT_EQ(first.new_values, 1);
  // A TAXII post retried gets another envelope id: another group event.
  ImportReport again = ImportAs(owner_, "again.json", Bundle(2, Indicator("twice.example", kGreen)));
  EXPECT_EQ(again.known_values, 1);
  EXPECT_EQ(again.stix_objects_known, 1);
  EXPECT_EQ(again.rejected, 0);
  EXPECT_EQ(LinksOf("twice.example").size(), 1u) << "the second bundle's group took the value again";
  EXPECT_TRUE(rejections_.empty());
}

// Node B pulled A's indicator into B's own organisation; A pushes it as its
// stand-in on B, which shares with B's organisation.
TEST_F(KnownObjectsTest, WhatAStandInSendsThatItsOrganisationHoldsIsNotLinkedAgain) {
  ImportAs(owner_, "pulled.json", Bundle(1, Indicator("pulled.example", kGreen)));
  ImportReport pushed = ImportAs(other_, "pushed.json", Bundle(2, Indicator("pulled.example", kGreen)), owner_);
  EXPECT_EQ(pushed.known_values, 1);
  ASSERT_EQ(LinksOf("pulled.example").size(), 1u);
  EXPECT_EQ(LinksOf("pulled.example")[0].event.owner_org_id, owner_);
}

// The other order: A pushed first (as its stand-in, which shares with B's
// organisation), then B's organisation pulls the same indicator.
TEST_F(KnownObjectsTest, WhatAStandInPushedIsNotLinkedAgainByThePullOfTheOrganisationItSharesWith) {
  Organisation org;
  org.uuid = UuidV4();
  org.name = "CERT-A (stand-in)";
  org.country = "FR";
  org.kind = "cert";
  org.created = "2026-01-01T00:00:00.000Z";
  org.shares_with_org_id = owner_;
  auto stand_in = store_->CreateOrganisation(org);
  ASSERT_TRUE(stand_in.ok()) << stand_in.status().ToString();
  ImportAs(stand_in->id, "pushed.json", Bundle(1, Indicator("pushed.example", kGreen)), owner_);
  ImportReport pulled = ImportAs(owner_, "pulled.json", Bundle(2, Indicator("pushed.example", kGreen)));
  EXPECT_EQ(pulled.known_values, 1);
  ASSERT_EQ(LinksOf("pushed.example").size(), 1u);
  EXPECT_EQ(LinksOf("pushed.example")[0].event.owner_org_id, stand_in->id);
}

// Another organisation's copy stays its own: the first holder's later
// version or revocation must not end what the other sent
// (WithdrawalTest.ANewPatternEndsTheValueOnlyInTheImportersEvents).
TEST_F(KnownObjectsTest, AnotherOrganisationsCopyOfTheSameVersionIsLinkedIntoItsOwnGroup) {
  ImportAs(owner_, "first.json", Bundle(1, Indicator("shared.example", kGreen)));
  ImportReport theirs = ImportAs(other_, "theirs.json", Bundle(2, Indicator("shared.example", kGreen)));
  EXPECT_EQ(theirs.stix_objects_known, 1);
  EXPECT_EQ(LinksOf("shared.example").size(), 2u);
}

// A bundle's group event is named by the bundle, so the same file imported
// by another organisation first held its uuid, and the file's author was
// then refused its own file ("belongs to another organisation").
TEST_F(KnownObjectsTest, TheSameBundleImportedByTwoOrganisationsGivesEachItsOwnGroup) {
  const std::string bundle = Bundle(4, Indicator("same-file.example", kGreen));
  ImportAs(other_, "partners.json", bundle);
  ImportReport authors = ImportAs(owner_, "authors.json", bundle);
  EXPECT_EQ(authors.rejected, 0) << (rejections_.empty() ? "" : rejections_[0].reason);
  EXPECT_EQ(authors.new_values + authors.known_values, 1);
  const std::vector<EventLink> links = LinksOf("same-file.example");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_NE(links[0].event.owner_org_id, links[1].event.owner_org_id);
}

// Another organisation's GREEN report listed after the indicators it names
// (the order many exporters write): the report is known, and the values the
// bundle's group took before it was read leave the group, as they do when
// the report comes first. The partner's import made a copy of the author's
// event that stayed live after the author revoked the indicator.
TEST_F(KnownObjectsTest, AnotherOrganisationsReportListedAfterItsIndicatorsIsKnownWholeInEitherOrder) {
  const std::string bundle = Bundle(5, Indicator("report-last.example", kGreen) + "," + Report(kGreen));
  ImportAs(owner_, "authors.json", bundle);
  ASSERT_EQ(LinksOf("report-last.example").size(), 1u);
  ImportReport theirs = ImportAs(other_, "partners.json", bundle);
  EXPECT_EQ(theirs.rejected, 0) << (rejections_.empty() ? "" : rejections_[0].reason);
  const std::vector<EventLink> links = LinksOf("report-last.example");
  ASSERT_EQ(links.size(), 1u) << "the partner's group kept a copy of the report's value";
  EXPECT_EQ(links[0].event.owner_org_id, owner_);
  bool partner_event = false;
  ASSERT_TRUE(store_->ForEachEvent({}, [&](const EventSummary& e) {
                      partner_event = partner_event || e.owner_org_id == other_;
                      return Status::Ok();
                    }).ok());
  EXPECT_FALSE(partner_event) << "an empty group of the partner's was left behind";
  // The author's own file again: nothing refused.
  rejections_.clear();
  ImportReport again = ImportAs(owner_, "authors.json", bundle);
  EXPECT_EQ(again.rejected, 0) << (rejections_.empty() ? "" : rejections_[0].reason);
}

TEST_F(KnownObjectsTest, AValueHeldOnlyWhereFewerMayReadItIsLinkedIntoTheWiderGroup) {
  // A GREEN indicator of an AMBER report stays in the AMBER event.
  ImportAs(owner_, "amber-report.json", Bundle(1, Report(kAmber) + "," + Indicator("narrow.example", kGreen)));
  ASSERT_EQ(LinksOf("narrow.example").size(), 1u);
  ASSERT_EQ(LinksOf("narrow.example")[0].event.tlp, Tlp::kAmber);
  ImportAs(owner_, "green-again.json", Bundle(2, Indicator("narrow.example", kGreen)));
  const std::vector<EventLink> links = LinksOf("narrow.example");
  ASSERT_EQ(links.size(), 2u) << "GREEN readers of the new bundle would not find the value";
  EXPECT_EQ(links[1].event.tlp, Tlp::kGreen);
}

TEST_F(KnownObjectsTest, ANewVersionAfterAKnownOneInTheSameBundleIsLinked) {
  ImportAs(owner_, "v1.json", Bundle(1, Indicator("first.example", kGreen)));
  ImportReport both = ImportAs(owner_, "both.json",
                               Bundle(2, Indicator("first.example", kGreen) + "," +
                                             Indicator("second.example", kGreen, "2026-02-01T00:00:00.000Z")));
  EXPECT_EQ(both.new_values, 1);
  EXPECT_EQ(LinksOf("second.example").size(), 1u);
}

// An import that failed after committing the object but not its values
// (batches commit as they fill): the next copy brings the values.
TEST_F(KnownObjectsTest, AnObjectStoredWithoutItsValuesGetsThemFromTheNextCopy) {
  ImportAs(owner_, "first.json", Bundle(1, Indicator("lost.example", kGreen)));
  const std::vector<EventLink> links = LinksOf("lost.example");
  ASSERT_EQ(links.size(), 1u);
  {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok());
    auto removed = (*batch)->RemoveLinksByStixId(links[0].event.id, {kIndicatorId});
    ASSERT_TRUE(removed.ok() && *removed == 1);
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  ImportReport again = ImportAs(owner_, "again.json", Bundle(2, Indicator("lost.example", kGreen)));
  EXPECT_EQ(again.stix_objects_known, 1);
  EXPECT_EQ(LinksOf("lost.example").size(), 1u) << "the value is linked nowhere";
}

TEST_F(KnownObjectsTest, AnotherOrganisationsReportSentAgainUnchangedIsKnownNotRefused) {
  const std::string objects = Report(kGreen) + "," + Indicator("reported.example", kGreen);
  ImportAs(owner_, "report.json", Bundle(1, objects));
  ImportReport again = ImportAs(other_, "report-again.json", Bundle(2, objects));
  EXPECT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_EQ(again.rejected, 0);
  EXPECT_EQ(again.known_values, 1);
  EXPECT_EQ(again.stix_objects_known, 2);
  const std::vector<EventLink> links = LinksOf("reported.example");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].event.title, "Campaign");
}

TEST_F(KnownObjectsTest, ANewObjectVersionInAnotherOrganisationsUnchangedReportIsRefusedByName) {
  ImportAs(owner_, "report.json", Bundle(1, Report(kGreen) + "," + Indicator("reported.example", kGreen)));
  ImportReport changed = ImportAs(
      other_, "changed.json",
      Bundle(2, Report(kGreen) + "," + Indicator("changed.example", kGreen, "2026-03-01T00:00:00.000Z")));
  ASSERT_EQ(rejections_.size(), 1u);
  EXPECT_EQ(rejections_[0].location, dir_.Join("changed.json") + ": " + kIndicatorId);
  EXPECT_NE(rejections_[0].reason.find(kReportId), std::string::npos) << rejections_[0].reason;
  EXPECT_NE(rejections_[0].reason.find("belongs to another organisation"), std::string::npos);
  EXPECT_EQ(changed.stix_objects_known, 1);  // the report
  EXPECT_EQ(changed.known_values, 0);
  EXPECT_EQ(changed.rejected, 2);  // the object, and its value with it
  auto value = store_->LookupObservable({ObservableType::kDomain, "changed.example"});
  ASSERT_TRUE(value.ok());
  EXPECT_FALSE(value->has_value()) << "another organisation's event took a value";
}

TEST_F(KnownObjectsTest, ANewObservableInAnotherOrganisationsUnchangedReportIsRefused) {
  ImportAs(owner_, "report.json", Bundle(1, Report(kGreen) + "," + Indicator("reported.example", kGreen)));
  ImportReport again = ImportAs(other_, "with-address.json",
                                Bundle(2, Report(kGreen) + "," + Indicator("reported.example", kGreen) + "," +
                                              Address("198.51.100.7")));
  ASSERT_EQ(rejections_.size(), 1u);
  EXPECT_EQ(rejections_[0].location, dir_.Join("with-address.json") + ": " + kSightedAddressId);
  EXPECT_EQ(again.stix_objects_known, 2);
  auto address = store_->LookupObservable({ObservableType::kIpv4, "198.51.100.7"});
  ASSERT_TRUE(address.ok());
  EXPECT_FALSE(address->has_value()) << "another organisation's event took a value";
}

TEST_F(KnownObjectsTest, AReportTheImporterMayNotReadIsRefusedNotCalledKnown) {
  ImportAs(owner_, "report.json", Bundle(1, Report(kAmber) + "," + Indicator("hidden.example", kAmber)));
  ImportReport again = ImportAs(other_, "again.json",
                                Bundle(2, Report(kAmber) + "," + Indicator("hidden.example", kAmber)));
  ASSERT_EQ(rejections_.size(), 1u);
  EXPECT_NE(rejections_[0].reason.find("its content was not imported"), std::string::npos) << rejections_[0].reason;
  EXPECT_EQ(again.stix_objects_known, 0);
}

TEST_F(KnownObjectsTest, AnotherOrganisationsChangedReportIsStillRefusedAsAWhole) {
  ImportAs(owner_, "report.json", Bundle(1, Report(kGreen) + "," + Indicator("reported.example", kGreen)));
  std::string changed_report = Report(kGreen);
  changed_report.replace(changed_report.find("\"modified\":\"2026-01-01"), 22, "\"modified\":\"2026-04-01");
  ImportReport changed = ImportAs(other_, "changed.json",
                                  Bundle(2, changed_report + "," + Indicator("reported.example", kGreen)));
  ASSERT_EQ(rejections_.size(), 1u);
  EXPECT_NE(rejections_[0].reason.find("belongs to another organisation; its content was not imported"),
            std::string::npos)
      << rejections_[0].reason;
  EXPECT_GE(changed.rejected, 1);
}

}  // namespace
}  // namespace accord
