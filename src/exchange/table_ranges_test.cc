// Address ranges in tables (exchange/table_ranges.cc): a row's first and
// last address, or its first address and prefix length, as one network;
// the CSV and JSON records readers alike.
#include <gtest/gtest.h>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

Status ReadJsonRecordsText(const std::string& json, CollectingSink& sink) {
  auto in = OpenInputFromMemory("feed.json", json);
  EXPECT_TRUE(in.ok());
  TextReadOptions options = FeedTestOptions();
  options.source_name = "feed.json";
  return ReadJsonRecords(**in, options, sink);
}

// DShield's recommended block list: tab-separated, the network as its first
// and last address and its prefix length, then the registrant's abuse
// contact, which is no indicator.
TEST(TableRangesTest, DShieldBlockListRowsAreTheirNetworksWithTheContactNoted) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("#\n#   DShield.org Recommended Block List\n#\n"
                          "Start\tEnd\tNetblock\tAttacks\tName\tCountry\temail\n"
                          "198.51.100.0\t198.51.100.255\t24\t11593\tTec Media\tNL\tabuse@isp.example\n"
                          "203.0.113.0\t203.0.113.255\t24\t6030\tMevSpace\tPL\t\n"
                          "192.0.2.5\t192.0.2.255\t24\t17\tOdd\tDE\tabuse@odd.example\n",
                          sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kCidr);
  EXPECT_EQ(sink.indicators[0].value, "198.51.100.0/24");
  EXPECT_EQ(sink.indicators[0].context.comment, "contact abuse@isp.example");
  EXPECT_EQ(sink.indicators[1].value, "203.0.113.0/24");
  EXPECT_EQ(sink.indicators[1].context.comment, "");
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_EQ(sink.rejections[0].location, "feed.csv:7");
  EXPECT_EQ(sink.rejections[0].reason, "Start 192.0.2.5 is not the first address of a /24 block");
}

TEST(TableRangesTest, ARangeIsOneCidrBlockOrRefused) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("start_ip,end_ip,comment\n"
                          "198.51.100.0,198.51.100.127,half\n"
                          "198.51.100.200,198.51.100.200,one address\n"
                          "2001:db8::,2001:db8::ffff:ffff:ffff:ffff:ffff,v6\n"
                          "198.51.100.1,198.51.100.10,ten\n"
                          "198.51.100.0,2001:db8::1,mixed\n"
                          "not-an-address,198.51.100.10,bad\n",
                          sink).ok());
  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kCidr);
  EXPECT_EQ(sink.indicators[0].value, "198.51.100.0/25");
  EXPECT_EQ(sink.indicators[0].context.comment, "half");
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kIpv4);
  EXPECT_EQ(sink.indicators[1].value, "198.51.100.200");
  EXPECT_EQ(sink.indicators[2].type, ObservableType::kCidr);
  EXPECT_EQ(sink.indicators[2].value, "2001:db8::/48");
  ASSERT_EQ(sink.rejections.size(), 3u);
  EXPECT_EQ(sink.rejections[0].location, "feed.csv:5");
  EXPECT_EQ(sink.rejections[0].reason, "start_ip 198.51.100.1 to end_ip 198.51.100.10 is not one CIDR block");
  EXPECT_EQ(sink.rejections[1].reason, "start_ip 198.51.100.0 and end_ip 2001:db8::1 are not of one IP version");
  EXPECT_EQ(sink.rejections[2].value, "not-an-address");
  EXPECT_NE(sink.rejections[2].reason.find("start_ip: "), std::string::npos) << sink.rejections[2].reason;
}

// "start" and "end" are also dates (a campaign's): a row whose start is no
// address is no range, and its other cells are read as in any table, an
// e-mail column's sender included.
TEST(TableRangesTest, AStartThatIsNoAddressMakesNoRange) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("email,domain,start,end\n"
                          "ceo@evil.example,evil.example,2026-01-01,2026-02-01\n",
                          sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kEmail);
  EXPECT_EQ(sink.indicators[0].value, "ceo@evil.example");
  EXPECT_EQ(sink.indicators[1].value, "evil.example");
  EXPECT_EQ(sink.indicators[0].context.comment, "");
  EXPECT_TRUE(sink.rejections.empty());
}

// Beside another value, a range that makes no network is noted and costs
// the row nothing; a network that a column also names is one value.
TEST(TableRangesTest, ARangeBesideAnotherValue) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("start,end,url,cidr\n"
                          "198.51.100.1,198.51.100.10,http://evil.example/gate.php,\n"
                          "198.51.100.0,198.51.100.255,,198.51.100.0/24\n",
                          sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "http://evil.example/gate.php");
  EXPECT_EQ(sink.indicators[0].context.comment, "no range: start 198.51.100.1 to end 198.51.100.10 is not one CIDR block");
  EXPECT_EQ(sink.indicators[1].value, "198.51.100.0/24");
  EXPECT_TRUE(sink.rejections.empty());
}

// An address range as a record's first and last address (RIPE-style
// inetnum exports, geo and hosting lists).
TEST(TableRangesTest, ARecordsAddressRangeIsItsNetwork) {
  CollectingSink sink;
  ASSERT_TRUE(ReadJsonRecordsText(R"([{"first_ip": "198.51.100.64", "last_ip": "198.51.100.95", "description": "bulletproof host"},)"
                   R"( {"first_ip": "198.51.100.1", "last_ip": "198.51.100.3"}])",
                   sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kCidr);
  EXPECT_EQ(sink.indicators[0].value, "198.51.100.64/27");
  EXPECT_EQ(sink.indicators[0].context.comment, "bulletproof host");
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_EQ(sink.rejections[0].location, "feed.json: record 2");
  EXPECT_EQ(sink.rejections[0].reason, "first_ip 198.51.100.1 to last_ip 198.51.100.3 is not one CIDR block");
}

}  // namespace
}  // namespace accord
