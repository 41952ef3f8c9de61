// key=value logs (kv_reader.cc): firewall and logfmt lines keep everything
// the text scanner finds and add the victim, the time, each connection
// end's victim and a web filter's URL.
#include <gtest/gtest.h>

#include "telemetry/telemetry_testing.h"

namespace accord::telemetry {
namespace {

TEST(KvTest, AFirewallLineGivesTheSourceAsVictimTheEventTimeAndTheUrl) {
  const std::string input =
      "date=2026-11-30 time=10:00:00 devname=\"fw01\" logid=\"0316013056\" type=\"utm\" subtype=\"webfilter\" "
      "eventtime=1764496800123456789 srcip=10.0.0.5 srcport=51234 dstip=192.0.2.10 dstport=80 "
      "service=\"HTTP\" hostname=\"cdn.evil.example\" url=\"/gate.php?id=1\" msg=\"URL belongs to a denied category\"\n"
      "date=2026-11-30 time=10:00:01 srcip=10.0.0.6 dstip=192.0.2.11 dstport=443 service=\"HTTPS\" "
      "hostname=\"tls.evil.example\" url=\"/x\"\n";
  auto result = ReadBytes("fortigate.log", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kKv);
  ASSERT_EQ(result.records.size(), 2u);
  const SeenRecord& web = result.records[0];
  EXPECT_EQ(web.kind, "kv");
  EXPECT_EQ(web.timestamp, "1764496800123456789");
  EXPECT_TRUE(web.Has(T::kIpv4, "192.0.2.10", "10.0.0.5"));
  EXPECT_TRUE(web.Has(T::kDomain, "cdn.evil.example", "10.0.0.5"));
  EXPECT_TRUE(web.Has(T::kUrl, "http://cdn.evil.example/gate.php?id=1", "10.0.0.5"));
  // The source itself is looked up too, warning about the other end.
  EXPECT_TRUE(web.Has(T::kIpv4, "10.0.0.5", "192.0.2.10"));
  EXPECT_TRUE(result.records[1].timestamp.empty()) << "time=10:00:01 alone is no time";
  EXPECT_TRUE(result.records[1].Has(T::kUrl, "https://tls.evil.example/x", "10.0.0.6"));
}

TEST(KvTest, AnInboundNetfilterLineWarnsAboutTheHostItReached) {
  // A listed address knocking on an internal host: its hit's victim is the
  // destination, not itself.
  const std::string input =
      "Nov 30 10:00:00 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55 SRC=198.51.100.66 "
      "DST=10.0.0.9 LEN=40 PROTO=TCP SPT=443 DPT=51234\n";
  auto result = ReadBytes("ufw.log", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kKv);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "198.51.100.66", "10.0.0.9"));
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "10.0.0.9", "198.51.100.66"));
}

TEST(KvTest, LogfmtQuotedValuesAndAnRfc3339TimeAreRead) {
  const std::string input =
      "ts=2026-11-30T10:00:00Z level=info client=10.0.0.7 msg=\"fetched \\\"http://bad.example/p\\\" ok\" "
      "status=200\n"
      "ts=2026-11-30T10:00:01Z level=info client=10.0.0.8 msg=\"nothing here\" status=200\n";
  auto result = ReadBytes("app.log", input, WithFormat(Format::kKv));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].timestamp, "2026-11-30T10:00:00Z");
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "bad.example", "10.0.0.7"));
  EXPECT_EQ(result.records[1].line, 2);
}

TEST(KvTest, OnlyLinesWithSeveralPairsAndASourceAreDetected) {
  EXPECT_EQ(DetectFormat("date=2026-11-30 time=10:00:00 srcip=10.0.0.5 dstip=192.0.2.10\n", "fw.log"), Format::kKv);
  // Pairs but no source, and prose with a stray pair, stay text.
  EXPECT_EQ(DetectFormat("level=info msg=started port=8080 workers=4\n", "app.log"), Format::kText);
  EXPECT_EQ(DetectFormat("connection from 10.0.0.5 src=10.0.0.5 refused\n", "app.log"), Format::kText);
  EXPECT_EQ(ParseFormatName("logfmt"), Format::kKv);
}

}  // namespace
}  // namespace accord::telemetry
