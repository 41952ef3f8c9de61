// A feed's malware column (ThreatFox, Feodo Tracker, MalwareBazaar) names a
// family for each value: it is kept on the value's link, where alerts on
// the value find it (IndicatorContext::family).
#include <gtest/gtest.h>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

class LinkFamiliesTest : public ExchangeTest {
 protected:
  std::vector<std::pair<int64_t, std::string>> FamiliesOf(ObservableType type, const std::string& value) {
    auto info = store_->LookupObservable({type, value});
    EXPECT_TRUE(info.ok() && info->has_value()) << value;
    if (!info.ok() || !info->has_value()) return {};
    auto families = store_->LinkFamilies((*info)->id);
    EXPECT_TRUE(families.ok()) << families.status().ToString();
    return families.ok() ? *families : std::vector<std::pair<int64_t, std::string>>{};
  }
};

TEST_F(LinkFamiliesTest, AFeedsMalwareColumnIsKeptOnEachValuesLinkUntilAnotherNamesOne) {
  auto any = store_->AnyLinkFamily();
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(*any) << "a node without families says so";
  Import("threatfox.csv",
         "ioc_value,ioc_type,malware_printable\n"
         "lumma-c2.example,domain,Lumma Stealer\n"
         "203.0.113.52:443,ip:port,RedLine Stealer\n"
         "plain.example,domain,\n",
         Tlp::kGreen);
  any = store_->AnyLinkFamily();
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(*any);
  const auto lumma = FamiliesOf(ObservableType::kDomain, "lumma-c2.example");
  ASSERT_EQ(lumma.size(), 1u);
  EXPECT_EQ(lumma[0].second, "Lumma Stealer");
  const auto redline = FamiliesOf(ObservableType::kIpv4, "203.0.113.52");
  ASSERT_EQ(redline.size(), 1u);
  EXPECT_EQ(redline[0].second, "RedLine Stealer");
  EXPECT_EQ(redline[0].first, lumma[0].first) << "one event, the feed's";
  EXPECT_TRUE(FamiliesOf(ObservableType::kDomain, "plain.example").empty());

  // The same event grown by a list that names no family keeps it; a later
  // row naming another family replaces it.
  Import("threatfox.csv", "ioc_value,ioc_type,malware_printable\nlumma-c2.example,domain,\n", Tlp::kGreen);
  ASSERT_EQ(FamiliesOf(ObservableType::kDomain, "lumma-c2.example").size(), 1u);
  EXPECT_EQ(FamiliesOf(ObservableType::kDomain, "lumma-c2.example")[0].second, "Lumma Stealer");
  Import("threatfox.csv", "ioc_value,ioc_type,malware_printable\nlumma-c2.example,domain,Vidar\n", Tlp::kGreen);
  EXPECT_EQ(FamiliesOf(ObservableType::kDomain, "lumma-c2.example")[0].second, "Vidar");
}

TEST_F(LinkFamiliesTest, TheCsvExportCarriesEachValuesFamilyAndAnotherNodeReadsItBackOnce) {
  Import("threatfox.csv",
         "ioc_value,ioc_type,malware_printable,comment\n"
         "lumma-c2.example,domain,Lumma Stealer,seen in a campaign\n"
         "plain.example,domain,,\n",
         Tlp::kGreen);
  const std::string csv = ExportAs(owner_, ExportFormat::kCsv);
  EXPECT_NE(csv.find(",warninglist,family\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",Lumma Stealer\n"), std::string::npos) << csv;

  auto second = ImportIntoAnotherNode("export.csv", csv);
  ASSERT_TRUE(second->status.ok()) << second->status.ToString();
  auto info = second->store->LookupObservable({ObservableType::kDomain, "lumma-c2.example"});
  ASSERT_TRUE(info.ok() && info->has_value());
  ASSERT_EQ((*info)->events.size(), 1u);
  EXPECT_EQ((*info)->events[0].context.family, "Lumma Stealer");
  // The first import noted the family in the comment; the second does not
  // note it again.
  auto mine = store_->LookupObservable({ObservableType::kDomain, "lumma-c2.example"});
  ASSERT_TRUE(mine.ok() && mine->has_value());
  EXPECT_EQ((*info)->events[0].context.comment, (*mine)->events[0].context.comment);
  auto plain = second->store->LookupObservable({ObservableType::kDomain, "plain.example"});
  ASSERT_TRUE(plain.ok() && plain->has_value());
  EXPECT_EQ((*plain)->events[0].context.family, "");
}

}  // namespace
}  // namespace accord
