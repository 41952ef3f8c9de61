// Squid's native access.log (squid_reader.cc): the client is the victim,
// the line's time is the record's, and the URL, a CONNECT's host and the
// address Squid reached are looked up.
#include <gtest/gtest.h>

#include "telemetry/telemetry_testing.h"

namespace accord::telemetry {
namespace {

TEST(SquidTest, EachRequestGivesItsUrlHostAndServerWithTheClientAsVictim) {
  const std::string input =
      "1700000000.123    456 10.0.0.5 TCP_MISS/200 1234 GET http://cdn.evil.example/gate.php?id=1 - "
      "HIER_DIRECT/192.0.2.10 text/html\n"
      "1700000001.007  60000 10.0.0.6 TCP_TUNNEL/200 5120 CONNECT c2.example:443 alice HIER_DIRECT/198.51.100.7 -\n"
      "1700000002.500      0 10.0.0.7 TCP_DENIED/403 3900 GET http://blocked.example/ - HIER_NONE/- text/html\n"
      "1700000003.000      1 10.0.0.8 NONE_NONE/400 3800 NONE error:invalid-request - HIER_NONE/- text/html\n"
      "\n";
  auto result = ReadBytes("access.log", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kSquid);
  EXPECT_TRUE(result.malformed.empty()) << result.malformed[0].reason;
  ASSERT_EQ(result.records.size(), 4u);
  const SeenRecord& get = result.records[0];
  EXPECT_EQ(get.kind, "http");
  EXPECT_EQ(get.timestamp, "1700000000.123");
  EXPECT_TRUE(get.Has(T::kUrl, "http://cdn.evil.example/gate.php?id=1", "10.0.0.5"));
  EXPECT_TRUE(get.Has(T::kDomain, "cdn.evil.example", "10.0.0.5"));
  EXPECT_TRUE(get.Has(T::kIpv4, "192.0.2.10", "10.0.0.5"));
  const SeenRecord& connect = result.records[1];
  EXPECT_TRUE(connect.Has(T::kDomain, "c2.example", "10.0.0.6"));
  EXPECT_TRUE(connect.Has(T::kIpv4, "198.51.100.7", "10.0.0.6"));
  EXPECT_EQ(connect.candidates.size(), 2u) << "a CONNECT target is no URL";
  EXPECT_TRUE(result.records[2].Has(T::kUrl, "http://blocked.example/", "10.0.0.7"));
  EXPECT_TRUE(result.records[3].candidates.empty()) << "an error pseudo-URL names nothing";
}

TEST(SquidTest, LinesNotInTheNativeFormatAreReportedWithTheirLine) {
  const std::string input =
      "1700000000.123    456 10.0.0.5 TCP_MISS/200 1234 GET http://a.example/ - HIER_DIRECT/192.0.2.1 -\n"
      "17/Nov/2023:22:13:20 +0000 10.0.0.5 GET http://b.example/ 200 512\n"
      "1700000000.123    456 10.0.0.5 200 1234 GET http://c.example/ - HIER_DIRECT/192.0.2.1 -\n"
      "1700000000.123 456 10.0.0.5\n"
      "1700000004.000    456 10.0.0.9 TCP_HIT/200 1234 GET http://d.example/ - HIER_NONE/- -\n";
  auto result = ReadBytes("access.log", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kSquid);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[1].line, 5);
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "d.example", "10.0.0.9"));
  ASSERT_EQ(result.malformed.size(), 3u);
  EXPECT_EQ(result.malformed[0].line, 2);
  EXPECT_NE(result.malformed[0].reason.find("seconds.milliseconds"), std::string::npos);
  EXPECT_EQ(result.malformed[1].line, 3);
  EXPECT_NE(result.malformed[1].reason.find("'200'"), std::string::npos);
  EXPECT_EQ(result.malformed[2].line, 4);
  EXPECT_NE(result.malformed[2].reason.find("3 fields"), std::string::npos);
}

TEST(SquidTest, OnlyTheNativeFormatIsDetected) {
  EXPECT_EQ(DetectFormat("1700000000.123    456 10.0.0.5 TCP_MISS/200 1234 GET http://a.example/ - "
                         "HIER_DIRECT/192.0.2.1 text/html\n",
                         "access.log"),
            Format::kSquid);
  // Apache's common format and a text log that starts with a time stay text.
  EXPECT_EQ(DetectFormat("10.0.0.5 - - [17/Nov/2023:22:13:20 +0000] \"GET / HTTP/1.1\" 200 512\n", "access.log"),
            Format::kText);
  EXPECT_EQ(DetectFormat("1700000000.123 started worker 4 of 8 on 10.0.0.5\n", "app.log"), Format::kText);
}

}  // namespace
}  // namespace accord::telemetry
