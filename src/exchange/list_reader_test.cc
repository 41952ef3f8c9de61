// ReadList: one value a line, with the shapes blocklists write (hosts
// files, Spamhaus DROP's "; SBL" comments, address:port, Tor's exit list).
#include <gtest/gtest.h>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

TEST(ListReaderTest, SkipsCommentsAndBlankLinesAndKeepsLineNumbers) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("list.txt", "# header\n\nevil.example\n198.51.100.1 # note\n// x\n");
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "evil.example");
  EXPECT_FALSE(sink.indicators[0].type.has_value());
  EXPECT_EQ(sink.indicators[1].value, "198.51.100.1");
  EXPECT_EQ(sink.indicators[1].location, "feed.csv:4");
}

TEST(ListReaderTest, AddressWithPortKeepsTheAddressAndNotesThePort) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("list.txt", "198.51.100.1:8080\nevil.example:443\n[2001:db8::7]:8443\n");
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[2].value, "2001:db8::7");
  EXPECT_EQ(sink.indicators[2].type, ObservableType::kIpv6);
  EXPECT_EQ(sink.indicators[2].context.comment, "port 8443");
  EXPECT_EQ(sink.indicators[0].value, "198.51.100.1");
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kIpv4);
  EXPECT_EQ(sink.indicators[0].context.comment, "port 8080");
  EXPECT_EQ(sink.indicators[1].value, "evil.example:443");  // left for detection to judge
}

// The lines a hosts file keeps for the machine itself hold no indicator,
// and are not rejections either (--strict would fail a clean hosts file).
TEST(ListReaderTest, ADefangedAddressWithAPortIsStillAnAddress) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("list.txt", "203.0.113[.]241:8080\n198.51.100[.]7\n");
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "203.0.113.241");
  EXPECT_EQ(sink.indicators[0].context.comment, "port 8080");
  CollectingSink csv;
  ASSERT_TRUE(ReadCsvText("ip,comment\n203.0.113[.]241:8080,c2\n", csv).ok());
  ASSERT_EQ(csv.indicators.size(), 1u);
  EXPECT_EQ(csv.indicators[0].value, "203.0.113.241");
}

TEST(ListReaderTest, AHostsFilesOwnLinesAreSkipped) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("hosts",
                                "127.0.0.1 localhost\n255.255.255.255 broadcasthost\n::1 localhost\n"
                                "fe80::1%lo0 localhost\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n"
                                "0.0.0.0 ads.example\n");
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "ads.example");
}

TEST(ListReaderTest, SpamhausDropAndHostsFilesGiveTheirValues) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("list.txt",
                                "; Spamhaus DROP List 2024/01/01\n"
                                "198.51.100.0/24 ; SBL256894\n"
                                "# hosts-file blocklist\n"
                                "127.0.0.1 localhost\n"
                                "0.0.0.0 tracker.example phish.example # two at once\n"
                                "evil.example\t# tabbed note\n"
                                "not an indicator\n");
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 5u);
  EXPECT_EQ(sink.indicators[0].value, "198.51.100.0/24");
  EXPECT_EQ(sink.indicators[0].context.comment, "SBL256894");
  EXPECT_EQ(sink.indicators[1].value, "tracker.example");
  EXPECT_EQ(sink.indicators[2].value, "phish.example");
  EXPECT_EQ(sink.indicators[2].context.comment, "two at once");
  EXPECT_EQ(sink.indicators[2].location, "feed.csv:5");
  EXPECT_EQ(sink.indicators[3].value, "evil.example");
  EXPECT_EQ(sink.indicators[3].context.comment, "tabbed note");
  EXPECT_EQ(sink.indicators[4].value, "not an indicator");  // whole, for its rejection
}


// Tor's exit list: each ExitAddress line is an address, noted with its exit
// node and last seen when the list says it exited; the node's own lines
// are no values and no rejections.
TEST(ListReaderTest, TorsExitListGivesItsExitAddresses) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("exit-addresses",
                                "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n"
                                "Published 2026-12-06 19:29:55\n"
                                "LastStatus 2026-12-07 09:00:00\n"
                                "ExitAddress 198.51.100.201 2026-12-07 09:06:43\n"
                                "ExitNode 0091174DE56EA5E6A9A9AA3E9B3F3E4A9E3E1F77\n"
                                "Published 2026-12-06 11:39:22\n"
                                "LastStatus 2026-12-07 08:00:00\n"
                                "ExitAddress 198.51.100.22 2026-12-07 08:13:01\n"
                                "ExitAddress 2001:db8::22 2026-12-07 08:13:02\n");
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), sink).ok());
  EXPECT_TRUE(sink.rejections.empty()) << sink.rejections.front().reason;
  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[0].value, "198.51.100.201");
  EXPECT_EQ(sink.indicators[0].context.comment, "Tor exit node 0011BD2485AD45D984EC4159C88FC066E5E3300E");
  EXPECT_EQ(sink.indicators[0].context.last_seen, "2026-12-07T09:06:43.000Z");
  EXPECT_EQ(sink.indicators[0].location, "feed.csv:4");
  EXPECT_EQ(sink.indicators[1].value, "198.51.100.22");
  EXPECT_EQ(sink.indicators[1].context.comment, "Tor exit node 0091174DE56EA5E6A9A9AA3E9B3F3E4A9E3E1F77");
  EXPECT_EQ(sink.indicators[2].value, "2001:db8::22");
  // Outside such a list (no ExitNode before), the lines are read whole, as
  // any list's, and the importer rejects them as no values.
  CollectingSink plain;
  auto other = OpenInputFromMemory("list.txt", "ExitAddress 198.51.100.9\nPublished 2026-12-06\n");
  ASSERT_TRUE(ReadList(**other, FeedTestOptions(), plain).ok());
  ASSERT_EQ(plain.indicators.size(), 2u);
  EXPECT_EQ(plain.indicators[0].value, "ExitAddress 198.51.100.9");
  EXPECT_EQ(plain.indicators[1].value, "Published 2026-12-06");
}

// Tor Metrics' CollecTor archives of the exit list open with their type
// annotation and download time: no values, no rejections (so --strict
// accepts the file). Elsewhere such lines are still read whole.
TEST(ListReaderTest, TorCollectorArchiveHeaderLinesAreNoValues) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("exit-list-2024-01-30",
                                "@type tordnsel 1.0\n"
                                "Downloaded 2024-01-30 13:02:00\n"
                                "ExitNode FE39F07EBE7870DCE124AB30DF3ABD0700A43F75\n"
                                "Published 2024-01-30 00:10:50\n"
                                "LastStatus 2024-01-30 10:00:00\n"
                                "ExitAddress 198.51.100.231 2024-01-30 10:21:54\n");
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), sink).ok());
  EXPECT_TRUE(sink.rejections.empty()) << sink.rejections.front().reason;
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "198.51.100.231");
  CollectingSink plain;
  auto other = OpenInputFromMemory("list.txt", "198.51.100.9\nDownloaded 2024-01-30 13:02:00\n");
  ASSERT_TRUE(ReadList(**other, FeedTestOptions(), plain).ok());
  ASSERT_EQ(plain.indicators.size(), 2u);
  EXPECT_EQ(plain.indicators[1].value, "Downloaded 2024-01-30 13:02:00");
}

}  // namespace
}  // namespace accord
