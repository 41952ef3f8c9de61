// Windows DNS Server's debug log (windows_dns_reader.cc): client questions
// become records with the client as victim, everything else is skipped,
// and broken packet lines are reported with their line.
#include <gtest/gtest.h>

#include "telemetry/telemetry_testing.h"

namespace accord::telemetry {
namespace {

// The header and legend the server writes at the top of each log file.
const std::string kHeader =
    "DNS Server log file creation at 12/7/2026 10:15:30 AM\n"
    "Log file wrap at 12/7/2026 10:15:30 AM\n"
    "\n"
    "Message logging key (for packets - other items use a subset of these fields):\n"
    "\tField #  Information         Values\n"
    "\t-------  -----------         ------\n"
    "\t   1     Date\n"
    "\t  16     Question Name\n"
    "\n";

TEST(WindowsDnsTest, ClientQuestionsAreRecordsWithTheClientAsVictim) {
  const std::string input =
      kHeader +
      "12/7/2026 10:15:31 AM 0A54 EVENT   The DNS server has finished the background loading of zones.\n"
      // 11: a client's question.
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Rcv 10.0.0.5        5b3c   Q [0001   D   NOERROR] A      (3)cdn(4)evil(7)example(0)\n"
      // 12, 13: the server's own recursive question and its answer.
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2B0C0 UDP Snd 192.0.2.53      e2a1   Q [0001   D   NOERROR] A      (3)cdn(4)evil(7)example(0)\n"
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2B0C0 UDP Rcv 192.0.2.53      e2a1 R Q [8081   DR  NOERROR] A      (3)cdn(4)evil(7)example(0)\n"
      // 14: the answer to the client: the question above counted it.
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Snd 10.0.0.5        5b3c R Q [8081   DR  NOERROR] A      (3)cdn(4)evil(7)example(0)\n"
      // 15: a 24-hour locale, TCP, an IPv6 client.
      "2026/12/07 10:15:33 0B10 PACKET  000001F8C3F2C0D0 TCP Rcv 2001:db8::5     77aa   Q [0001   D   NOERROR] AAAA   (5)other(7)example(3)org(0)\n"
      // 16: a dynamic update is no lookup.
      "12/7/2026 10:15:34 AM 0A54 PACKET  000001F8C3F2D0E0 UDP Rcv 10.0.0.6        0001   U [0028       NOERROR] SOA    (4)corp(7)example(0)\n"
      // 17: a question for the root names nothing.
      "12/7/2026 10:15:35 AM 0A54 PACKET  000001F8C3F2E0F0 UDP Rcv 10.0.0.7        0002   Q [0001   D   NOERROR] NS     (0)\n"
      // 18, 19: a packet's details.
      "UDP question info at 000001F8C3F2A0B0\n"
      "  Socket = 508\n";
  auto result = ReadBytes("dns.log", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kWindowsDns);
  EXPECT_TRUE(result.malformed.empty()) << result.malformed[0].reason;
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0].line, 11);
  EXPECT_EQ(result.records[0].kind, "dns");
  EXPECT_TRUE(result.records[0].timestamp.empty()) << "local time, no zone";
  ASSERT_EQ(result.records[0].candidates.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "cdn.evil.example", "10.0.0.5"));
  EXPECT_EQ(result.records[1].line, 15);
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "other.example.org", "2001:db8::5"));
  EXPECT_EQ(result.records[2].line, 17);
  EXPECT_TRUE(result.records[2].candidates.empty());
}

TEST(WindowsDnsTest, AnswersToClientsCountWhenTheLogHoldsNoClientQuestions) {
  // Logged with the "Outgoing" packets only.
  const std::string input =
      "6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.161.60.71    5b47 R Q [8081   DR  NOERROR] A      (12)somecomputer(6)domain(3)com(0)\n"
      "6/5/2013 10:00:33 AM 0E70 PACKET  00000000033397B0 UDP Snd 192.0.2.1       1234   Q [0001   D   NOERROR] A      (6)domain(3)com(0)\n";
  auto result = ReadBytes("dns.log", input);
  EXPECT_EQ(result.stats.format, Format::kWindowsDns);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "somecomputer.domain.com", "10.161.60.71"));
}

TEST(WindowsDnsTest, BrokenPacketLinesAreReportedWithTheirLineAndTheRestRead) {
  const std::string input =
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Rcv 10.0.0.5 5b3c Q [0001 D NOERROR] A (3)ww(7)example(0)\n"
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Rcv 10.0.0.5\n"
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Xyz 10.0.0.5 5b3c Q [0001 D NOERROR] A (1)a(0)\n"
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Rcv 10.0.0.5 5b3c Q [0001 D NOERROR A (1)a(0)\n"
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Rcv 10.0.0.5 5b3c Q [0001 D NOERROR] A (1)a(0)x\n"
      "12/7/2026 10:15:32 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Rcv 10.0.0.5 5b3c Q [0001 D NOERROR] A (99)a(0)\n"
      "12/7/2026 10:15:33 AM 0A54 PACKET  000001F8C3F2A0B0 UDP Rcv 10.0.0.8 5b3d Q [0001 D NOERROR] A (4)good(7)example(0)\n";
  auto result = ReadBytes("dns.log", input, WithFormat(Format::kWindowsDns));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "good.example", "10.0.0.8"));
  EXPECT_EQ(result.records[0].line, 7);
  ASSERT_EQ(result.malformed.size(), 6u);
  for (int64_t idx = 0; idx < 6; ++idx) EXPECT_EQ(result.malformed[static_cast<size_t>(idx)].line, idx + 1);
  EXPECT_NE(result.malformed[0].reason.find("(3)ww(7)example(0)"), std::string::npos) << result.malformed[0].reason;
  EXPECT_NE(result.malformed[1].reason.find("fewer than a question's"), std::string::npos);
  EXPECT_NE(result.malformed[2].reason.find("'Xyz'"), std::string::npos);
  EXPECT_NE(result.malformed[3].reason.find("']'"), std::string::npos);
  EXPECT_NE(result.malformed[4].reason.find("after its (0)"), std::string::npos);
  EXPECT_NE(result.malformed[5].reason.find("(0) to (63)"), std::string::npos);
}

TEST(WindowsDnsTest, DetectedFromAPacketLineWithoutTheHeader) {
  EXPECT_EQ(DetectFormat("2019/08/20 11:48:27 0BE4 PACKET  000000149B80B390 UDP Rcv 8.8.8.8 ccfb R Q "
                         "[0581   D   REFUSED] A      (6)google(3)com(0)\n",
                         "dns.log"),
            Format::kWindowsDns);
  EXPECT_EQ(DetectFormat("6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71 5b47 Q "
                         "[0001 D NOERROR] A (3)abc(3)com(0)\n",
                         "x.txt"),
            Format::kWindowsDns);
  // A text log that says PACKET elsewhere is still text.
  EXPECT_EQ(DetectFormat("2026-12-07 10:00:00 firewall PACKET dropped from 192.0.2.1\n", "fw.log"), Format::kText);
  EXPECT_EQ(ParseFormatName("windns"), Format::kWindowsDns);
}

}  // namespace
}  // namespace accord::telemetry
