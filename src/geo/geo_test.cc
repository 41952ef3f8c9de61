#include "geo/geo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "geo/geo_testing.h"
#include "testing/testing.h"

namespace accord::geo {
namespace {

using geo_testing::Ip;
using geo_testing::CountryOf;
using geo_testing::kIpv4Ranges;

using ::testing::HasSubstr;

std::unique_ptr<GeoDatabase> MustParse(std::string_view ipv4_text, std::string_view ipv6_text) {
  auto database = ParseTorRanges(ipv4_text, ipv6_text, "geoip");
  EXPECT_TRUE(database.ok()) << database.status().ToString();
  return database.ok() ? std::move(database).value() : nullptr;
}

Status ParseError(std::string_view ipv4_text, std::string_view ipv6_text) {
  return ParseTorRanges(ipv4_text, ipv6_text, "geoip").status();
}

constexpr char kIpv6Ranges[] =
    "# geoip6\n"
    "2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP\n"
    "2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,US\n";

// --- Tor range files --------------------------------------------------------

TEST(TorRangesTest, FirstAndLastAddressOfARangeHaveItsCountry) {
  auto database = MustParse(kIpv4Ranges, kIpv6Ranges);
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "1.0.0.0"), "AU");
  EXPECT_EQ(CountryOf(*database, "1.0.0.255"), "AU");
  EXPECT_EQ(CountryOf(*database, "1.0.2.0"), "CN");
  EXPECT_EQ(CountryOf(*database, "1.0.3.255"), "CN");
  EXPECT_EQ(CountryOf(*database, "2001:200::"), "JP");
  EXPECT_EQ(CountryOf(*database, "2001:200:ffff:ffff:ffff:ffff:ffff:ffff"), "JP");
  EXPECT_EQ(CountryOf(*database, "2001:4860:4860::8888"), "US");
}

TEST(TorRangesTest, AddressesInGapsAndBeyondAllRangesAreUnknown) {
  auto database = MustParse(kIpv4Ranges, kIpv6Ranges);
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "0.255.255.255"), "");  // just before the first range
  EXPECT_EQ(CountryOf(*database, "1.0.1.0"), "");        // gap after AU
  EXPECT_EQ(CountryOf(*database, "1.0.1.255"), "");      // gap before CN
  EXPECT_EQ(CountryOf(*database, "1.0.4.0"), "");        // just after the last range
  EXPECT_EQ(CountryOf(*database, "255.255.255.255"), "");
  EXPECT_EQ(CountryOf(*database, "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff"), "");
  EXPECT_EQ(CountryOf(*database, "2001:201::"), "");
  EXPECT_EQ(CountryOf(*database, "::"), "");
  GeoInfo info = database->Lookup(Ip("1.0.0.1"));
  EXPECT_EQ(info.asn, 0u);
  EXPECT_EQ(info.as_organisation, "");
}

TEST(TorRangesTest, FamiliesDoNotLeakIntoEachOther) {
  // 0.0.0.0-255.255.255.255 in geoip says nothing about IPv6 addresses.
  auto database = MustParse("0,4294967295,DE\n", "");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "0.0.0.0"), "DE");
  EXPECT_EQ(CountryOf(*database, "255.255.255.255"), "DE");
  EXPECT_EQ(CountryOf(*database, "::1"), "");
  EXPECT_EQ(CountryOf(*database, "2001:db8::1"), "");
}

TEST(TorRangesTest, WholeIpv6SpaceIncludingItsLastAddress) {
  auto database = MustParse("", "::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,NL\n");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "::"), "NL");
  EXPECT_EQ(CountryOf(*database, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "NL");
  EXPECT_EQ(CountryOf(*database, "10.0.0.1"), "");
}

TEST(TorRangesTest, SingleAddressRangeMatchesOnlyThatAddress) {
  auto database = MustParse("167772161,167772161,FR\n", "2001:db8::5,2001:db8::5,FR\n");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "10.0.0.1"), "FR");
  EXPECT_EQ(CountryOf(*database, "10.0.0.0"), "");
  EXPECT_EQ(CountryOf(*database, "10.0.0.2"), "");
  EXPECT_EQ(CountryOf(*database, "2001:db8::5"), "FR");
  EXPECT_EQ(CountryOf(*database, "2001:db8::4"), "");
  EXPECT_EQ(CountryOf(*database, "2001:db8::6"), "");
}

TEST(TorRangesTest, UnsortedInputIsSortedBeforeLookup) {
  auto database = MustParse(
      "16777728,16778239,CN\n"
      "300,399,SE\n"
      "16777216,16777471,AU\n"
      "100,199,NO\n",
      "2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,US\n"
      "2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP\n");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "0.0.0.100"), "NO");
  EXPECT_EQ(CountryOf(*database, "0.0.0.199"), "NO");
  EXPECT_EQ(CountryOf(*database, "0.0.0.200"), "");
  EXPECT_EQ(CountryOf(*database, "0.0.1.143"), "SE");  // 399
  EXPECT_EQ(CountryOf(*database, "1.0.0.128"), "AU");
  EXPECT_EQ(CountryOf(*database, "1.0.3.0"), "CN");
  EXPECT_EQ(CountryOf(*database, "2001:200::1"), "JP");
  EXPECT_EQ(CountryOf(*database, "2001:4860::1"), "US");
}

TEST(TorRangesTest, OverlappingRangesAreAnErrorNamingBothLines) {
  Status status = ParseError(
      "# header\n"
      "100,199,NO\n"
      "500,600,SE\n"
      "150,250,DK\n",
      "");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("geoip:4:"));
  EXPECT_THAT(status.message(), HasSubstr("line 2"));
  EXPECT_THAT(status.message(), HasSubstr("overlaps"));
}

TEST(TorRangesTest, RangesSharingOnlyTheirBoundaryAddressOverlap) {
  Status status = ParseError("", "2001:db8::,2001:db8::ff,NL\n2001:db8::ff,2001:db8::1ff,BE\n");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("geoip6:2:"));
  EXPECT_THAT(status.message(), HasSubstr("line 1"));
}

TEST(TorRangesTest, AdjacentRangesAreAccepted) {
  auto database = MustParse("100,199,NO\n200,299,SE\n", "");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "0.0.0.199"), "NO");
  EXPECT_EQ(CountryOf(*database, "0.0.0.200"), "SE");
}

TEST(TorRangesTest, CountryCodesAreUpperCasedAndUnknownCodesAreEmpty) {
  auto database = MustParse("100,199,us\n200,299,??\n300,399,\n400,499,  gB \n", "");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "0.0.0.150"), "US");
  EXPECT_EQ(CountryOf(*database, "0.0.0.250"), "");
  EXPECT_EQ(CountryOf(*database, "0.0.1.94"), "");     // 350
  EXPECT_EQ(CountryOf(*database, "0.0.1.194"), "GB");  // 450
}

TEST(TorRangesTest, UnknownRangesDoNotTakePartInOverlapChecks) {
  // "??" ranges are dropped: they say no more than a gap would.
  auto database = MustParse("100,299,??\n200,299,SE\n", "");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "0.0.0.150"), "");
  EXPECT_EQ(CountryOf(*database, "0.0.0.250"), "SE");
}

TEST(TorRangesTest, CrLfLinesBlankLinesAndCommentsAreAccepted) {
  auto database = MustParse("# comment\r\n\r\n   \n  # indented comment\n100,199,NO\r\n", "");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(CountryOf(*database, "0.0.0.100"), "NO");
}

TEST(TorRangesTest, Ipv4MappedIpv6RangesStayIpv6) {
  auto database = MustParse("", "::ffff:0.0.0.0,::ffff:255.255.255.255,ZZ\n");
  ASSERT_NE(database, nullptr);
  // ParseIp reads mapped text as IPv4, so the caller's address is IPv4 and
  // the IPv4 table (empty here) answers.
  EXPECT_EQ(CountryOf(*database, "::ffff:1.2.3.4"), "");
  IpAddress mapped;
  mapped.is_v4 = false;
  mapped.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4};
  EXPECT_EQ(database->Lookup(mapped).country, "ZZ");
}

struct MalformedCase {
  std::string ipv4_text;
  std::string ipv6_text;
  std::string where;   // "geoip:N:" or "geoip6:N:"
  std::string reason;  // part of the message
};

class TorRangesMalformedTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(TorRangesMalformedTest, IsAnErrorNamingFileAndLine) {
  const MalformedCase& c = GetParam();
  Status status = ParseError(c.ipv4_text, c.ipv6_text);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(c.where)) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(c.reason)) << status.ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Lines, TorRangesMalformedTest,
    ::testing::Values(
        MalformedCase{"# ok\n100,199,NO\n200,299\n", "", "geoip:3:", "expected LOW,HIGH,COUNTRY"},
        MalformedCase{"100,199,NO,extra\n", "", "geoip:1:", "expected LOW,HIGH,COUNTRY"},
        MalformedCase{"just text\n", "", "geoip:1:", "expected LOW,HIGH,COUNTRY"},
        MalformedCase{"1x,199,NO\n", "", "geoip:1:", "'1x' is not an IPv4 address"},
        MalformedCase{"100,-1,NO\n", "", "geoip:1:", "'-1' is not an IPv4 address"},
        MalformedCase{"100,4294967296,NO\n", "", "geoip:1:", "'4294967296'"},
        MalformedCase{",199,NO\n", "", "geoip:1:", "'' is not an IPv4 address"},
        MalformedCase{"1.2.3.4,1.2.3.5,NO\n", "", "geoip:1:", "'1.2.3.4' is not an IPv4"},
        MalformedCase{"\n\n200,100,NO\n", "", "geoip:3:", "after its end"},
        MalformedCase{"100,199,NOR\n", "", "geoip:1:", "country code 'NOR'"},
        MalformedCase{"100,199,N1\n", "", "geoip:1:", "country code 'N1'"},
        MalformedCase{"", "#\n1.2.3.4,1.2.3.5,NO\n", "geoip6:2:", "not an IPv6 address"},
        MalformedCase{"", "2001:db8::g,2001:db8::ff,NL\n", "geoip6:1:", "2001:db8::g"},
        MalformedCase{"", "2001:db8::ff,2001:db8::,NL\n", "geoip6:1:", "after its end"},
        MalformedCase{"", "2001:db8::,2001:db8::ff,N\n", "geoip6:1:", "country code 'N'"}));

TEST(TorRangesTest, OversizedLineIsAnErrorNotACrash) {
  Status status = ParseError("100,199,NO\n" + std::string(100000, '1'), "");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("geoip:2:"));
  EXPECT_THAT(status.message(), HasSubstr("line longer than"));
}

TEST(TorRangesTest, OpensFilesPlainAndGzippedAndNamesThemInDescribe) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("geoip"), kIpv4Ranges);
  testing::WriteFile(dir.Join("geoip6"), kIpv6Ranges);
  ASSERT_EQ(std::system(("gzip -k " + dir.Join("geoip6")).c_str()), 0);
  auto database = OpenTorRanges(dir.Join("geoip"), dir.Join("geoip6.gz"));
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  EXPECT_EQ(CountryOf(**database, "1.0.0.7"), "AU");
  EXPECT_EQ(CountryOf(**database, "2001:200::7"), "JP");
  EXPECT_THAT((*database)->Describe(), HasSubstr("tor-geoip:"));
  EXPECT_THAT((*database)->Describe(), HasSubstr(dir.Join("geoip6.gz")));
}

TEST(TorRangesTest, MalformedFileErrorNamesThePathAndLine) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("geoip"), "# header\n100,199,NO\n100;199;NO\n");
  auto database = OpenTorRanges(dir.Join("geoip"), "");
  ASSERT_FALSE(database.ok());
  EXPECT_THAT(database.status().message(), HasSubstr(dir.Join("geoip") + ":3:"));
}

TEST(TorRangesTest, EitherFamilyMayBeSkipped) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("geoip6"), kIpv6Ranges);
  auto database = OpenTorRanges("", dir.Join("geoip6"));
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  EXPECT_EQ(CountryOf(**database, "2001:200::7"), "JP");
  EXPECT_EQ(CountryOf(**database, "1.0.0.7"), "");
}

TEST(DeferredGeoTest, FilesAreReadAtTheFirstLookupNotBefore) {
  testing::TempDir dir;
  int errors = 0;
  auto database = OpenGeoDatabasesOnFirstLookup(
      {"tor:" + dir.Join("geoip") + "," + dir.Join("geoip6")}, [&errors](const Status&) { ++errors; });
  // Written after the database was made: it has not looked yet.
  testing::WriteFile(dir.Join("geoip"), kIpv4Ranges);
  testing::WriteFile(dir.Join("geoip6"), kIpv6Ranges);
  EXPECT_EQ(CountryOf(*database, "1.0.0.7"), "AU");
  EXPECT_EQ(CountryOf(*database, "2001:200::7"), "JP");
  EXPECT_EQ(errors, 0);
  EXPECT_THAT(database->Describe(), HasSubstr(dir.Join("geoip6")));
}

TEST(DeferredGeoTest, AFailureToOpenIsReportedOnceAndLookupsAnswerUnknown) {
  testing::TempDir dir;
  std::vector<std::string> messages;
  auto database = OpenGeoDatabasesOnFirstLookup(
      {"tor:" + dir.Join("absent")}, [&messages](const Status& status) {
        messages.push_back(status.message());
      });
  EXPECT_TRUE(messages.empty());
  EXPECT_EQ(CountryOf(*database, "1.0.0.7"), "");
  EXPECT_EQ(CountryOf(*database, "2001:200::7"), "");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_THAT(messages[0], HasSubstr(dir.Join("absent")));
}

TEST(TorRangesTest, NoFileAtAllIsAnError) {
  auto database = OpenTorRanges("", "");
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.status().code(), Status::Code::kInvalidArgument);
}

TEST(TorRangesTest, MissingFileIsNotFoundNamingThePath) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("geoip"), kIpv4Ranges);
  auto database = OpenTorRanges(dir.Join("geoip"), dir.Join("no-such-geoip6"));
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(database.status().message(), HasSubstr("no-such-geoip6"));
}

TEST(TorRangesTest, DebianTorFilesLoadAndPlaceWellKnownAddresses) {
  const std::string ipv4_path = "/usr/share/tor/geoip";
  const std::string ipv6_path = "/usr/share/tor/geoip6";
  if (!std::filesystem::exists(ipv4_path) || !std::filesystem::exists(ipv6_path)) {
    GTEST_SKIP() << "tor-geoipdb is not installed";
  }
  auto database = OpenTorRanges(ipv4_path, ipv6_path);
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  // Google's public resolvers have been registered in the US for years.
  EXPECT_EQ(CountryOf(**database, "8.8.8.8"), "US");
  EXPECT_EQ(CountryOf(**database, "2001:4860:4860::8888"), "US");
  EXPECT_EQ(CountryOf(**database, "127.0.0.1"), "");
}

}  // namespace
}  // namespace accord::geo
