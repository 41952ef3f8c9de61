// STIX objects an import finds already stored elsewhere: an indicator sent
// again in another bundle (a TAXII post retried, a push of what a pull
// brought) is not linked a second time, and another organisation's report
// sent again unchanged is known, not refused.
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
         R"(']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","object_marking_refs":[")" + marking +
         R"("]})";
}

std::string Report(const char* marking) {
  return std::string(R"({"type":"report","spec_version":"2.1","id":")") + kReportId +
         R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Campaign",)"
         R"("published":"2026-01-01T00:00:00Z","object_refs":[")" +
         kIndicatorId + R"("],"object_marking_refs":[")" + marking + R"("]})";
}

std::string Bundle(int n, const std::string& objects) {
  return "{\"type\":\"bundle\",\"id\":\"bundle--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c" + std::to_string(10 + n) +
         "\",\"objects\":[" + objects + "]}";
}

class KnownObjectsTest : public ExchangeTest {
 protected:
  ImportReport ImportAs(int64_t org, const std::string& name, const std::string& content) {
    const std::string path = dir_.Join(name);
    testing::WriteFile(path, content);
    ImportOptions options;
    options.owner_org_id = org;
    options.default_tlp = Tlp::kAmber;
    options.on_reject = [this](const Rejection& r) { rejections_.push_back(r); };
    ImportReport report;
    last_status_ = ImportFile(*store_, path, options, &report);
    EXPECT_TRUE(last_status_.ok()) << last_status_.ToString();
    return report;
  }

  std::vector<std::string> EventTitlesOf(const std::string& domain) {
    auto info = store_->LookupObservable({ObservableType::kDomain, domain});
    EXPECT_TRUE(info.ok() && info->has_value());
    std::vector<std::string> titles;
    if (info.ok() && info->has_value()) {
      for (const EventLink& link : (*info)->events) titles.push_back(link.event.title);
    }
    return titles;
  }
};

TEST_F(KnownObjectsTest, AnIndicatorSentAgainInAnotherBundleStaysInTheEventThatHasIt) {
  ImportReport first = ImportAs(owner_, "first.json", Bundle(1, Indicator("twice.example", kGreen)));
  EXPECT_EQ(first.new_values, 1);
  ASSERT_EQ(EventTitlesOf("twice.example").size(), 1u);
  // Another bundle (a TAXII post retried gets a new envelope id), by the
  // same organisation and by another that may read it.
  for (int64_t org : {owner_, other_}) {
    SCOPED_TRACE(org);
    ImportReport again = ImportAs(org, "again.json", Bundle(2 + static_cast<int>(org), Indicator("twice.example", kGreen)));
    EXPECT_EQ(again.known_values, 1);
    EXPECT_EQ(again.stix_objects_known, 1);
    EXPECT_EQ(again.rejected, 0);
    const std::vector<std::string> titles = EventTitlesOf("twice.example");
    ASSERT_EQ(titles.size(), 1u) << "the second bundle's group took the value again";
  }
  EXPECT_TRUE(rejections_.empty());
}

TEST_F(KnownObjectsTest, AnIndicatorStoredWhereTheImporterMayNotReadItIsLinkedIntoItsOwnGroup) {
  ImportAs(owner_, "amber.json", Bundle(1, Indicator("hidden.example", kAmber)));
  ImportReport again = ImportAs(other_, "again.json", Bundle(2, Indicator("hidden.example", kAmber)));
  EXPECT_EQ(again.stix_objects_known, 1);
  EXPECT_EQ(EventTitlesOf("hidden.example").size(), 2u)
      << "the other organisation would lose the value it sent";
}

TEST_F(KnownObjectsTest, AnotherOrganisationsReportSentAgainUnchangedIsKnownNotRefused) {
  const std::string objects = Report(kGreen) + "," + Indicator("reported.example", kGreen);
  ImportAs(owner_, "report.json", Bundle(1, objects));
  ImportReport again = ImportAs(other_, "report-again.json", Bundle(2, objects));
  EXPECT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_EQ(again.rejected, 0);
  EXPECT_EQ(again.known_values, 1);
  EXPECT_EQ(again.stix_objects_known, 2);
  EXPECT_EQ(EventTitlesOf("reported.example"), std::vector<std::string>{"Campaign"});
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
  auto value = store_->LookupObservable({ObservableType::kDomain, "changed.example"});
  ASSERT_TRUE(value.ok());
  EXPECT_FALSE(value->has_value()) << "another organisation's event took a value";
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
