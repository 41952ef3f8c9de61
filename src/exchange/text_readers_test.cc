#include "exchange/text_readers.h"

#include <gtest/gtest.h>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

TEST(CsvReaderTest, ReadsValueTypeAndContextColumns) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("Type,Value,Role,Confidence,Valid_Until,Comment\n"
                          "ipv4,192.0.2.1,c2,80,2027-01-01,\"a, quoted \"\"comment\"\"\"\n",
                          sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  const auto& i = sink.indicators[0];
  EXPECT_EQ(i.type, ObservableType::kIpv4);
  EXPECT_EQ(i.value, "192.0.2.1");
  EXPECT_EQ(i.context.role, "c2");
  EXPECT_EQ(i.context.confidence, 80);
  EXPECT_EQ(i.context.valid_until, "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(i.context.comment, "a, quoted \"comment\"");
  EXPECT_EQ(i.location, "feed.csv:2");
  ASSERT_EQ(sink.events.size(), 1u);
}

TEST(CsvReaderTest, TypeNamedColumnsAndSemicolonDelimiter) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("domain;sha256\nevil.example;" + std::string(64, 'a') + "\n", sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kDomain);
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kSha256);
}

TEST(CsvReaderTest, QuotedFieldMaySpanLines) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("value,comment\n192.0.2.1,\"line one\nline two\"\n192.0.2.2,x\n", sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].context.comment, "line one\nline two");
  EXPECT_EQ(sink.indicators[1].location, "feed.csv:4");
}

TEST(CsvReaderTest, BadRowsAreRejectedWithTheirLineAndReadingGoesOn) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("value,confidence,tlp\n"
                          "192.0.2.1,200,green\n"
                          "192.0.2.2,10\n"
                          "192.0.2.3,10,purple\n"
                          "192.0.2.4,10,amber\n",
                          sink).ok());
  ASSERT_EQ(sink.rejections.size(), 3u);
  EXPECT_EQ(sink.rejections[0].location, "feed.csv:2");
  EXPECT_NE(sink.rejections[0].reason.find("confidence"), std::string::npos);
  EXPECT_NE(sink.rejections[1].reason.find("2 fields"), std::string::npos);
  EXPECT_NE(sink.rejections[2].reason.find("purple"), std::string::npos);
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "192.0.2.4");
}

TEST(CsvReaderTest, HeaderWithoutValueColumnIsAnErrorNamingTheLine) {
  CollectingSink sink;
  Status s = ReadCsvText("alpha,beta\n1,2\n", sink);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("feed.csv:1"), std::string::npos) << s.ToString();
}

TEST(CsvReaderTest, AFileWithoutAHeaderIsSaidToHaveNone) {
  CollectingSink sink;
  Status s = ReadCsvText("## Master Feed of known C&Cs\n"
                         "192.0.2.77,IP used by banjori C&C,2026-12-07 00:03,http://feed.example/manual/banjori.txt\n",
                         sink);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "feed.csv:2: the file has no header: column 1 of its first line holds the value "
                         "'192.0.2.77', not a column name. Add a first line that names its 4 columns, such as "
                         "'value,comment,column3,column4'");
  EXPECT_TRUE(sink.indicators.empty());
  // Dotted column names read as domains: such a line is a header without a
  // value column, as it says.
  Status dotted = ReadCsvText("source.ip,threat.name\n192.0.2.1,x\n", sink);
  EXPECT_NE(dotted.message().find("feed.csv:1: the header names no value column"), std::string::npos)
      << dotted.message();
  // The header it proposes reads the file.
  CollectingSink with_header;
  ASSERT_TRUE(ReadCsvText("value,comment,column3,column4\n"
                          "192.0.2.77,IP used by banjori C&C,2026-12-07 00:03,http://feed.example/manual/banjori.txt\n",
                          with_header).ok());
  ASSERT_EQ(with_header.indicators.size(), 1u);
  EXPECT_EQ(with_header.indicators[0].value, "192.0.2.77");
  EXPECT_EQ(with_header.indicators[0].context.comment, "IP used by banjori C&C");
}

TEST(CsvReaderTest, UnterminatedQuoteAtEndIsAnError) {
  CollectingSink sink;
  Status s = ReadCsvText("value,comment\n192.0.2.1,\"never closed\n", sink);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unterminated"), std::string::npos);
}

TEST(CsvReaderTest, EventColumnsGroupRowsIntoEvents) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("type,value,event_uuid,event_title,tlp\n"
                          "ipv4,192.0.2.1,22222222-2222-4222-8222-222222222222,A,red\n"
                          "ipv4,192.0.2.2,22222222-2222-4222-8222-222222222222,A,red\n"
                          "ipv4,192.0.2.3,33333333-3333-4333-8333-333333333333,B,clear\n",
                          sink).ok());
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].tlp, Tlp::kRed);
  EXPECT_EQ(sink.events[1].title, "B");
  EXPECT_EQ(sink.indicators[2].event_uuid, "33333333-3333-4333-8333-333333333333");
}

TEST(DetectFormatTest, RecognisesEachFormatFromItsBytes) {
  EXPECT_EQ(DetectFormat(R"({"type": "bundle", "id": "bundle--x", "objects": []})", "x"), InputFormat::kStix);
  EXPECT_EQ(DetectFormat(R"({"Event": {"info": "x"}})", "x.json"), InputFormat::kMisp);
  EXPECT_EQ(DetectFormat(R"({"response": [{"Event": {}}]})", "x"), InputFormat::kMisp);
  EXPECT_EQ(DetectFormat(R"([{"type": "indicator", "id": "indicator--1"}])", "x"), InputFormat::kStix);
  EXPECT_EQ(DetectFormat("type,value\nipv4,1.2.3.4\n", "feed"), InputFormat::kCsv);
  EXPECT_EQ(DetectFormat("1.2.3.4\nevil.example\n", "feed.txt"), InputFormat::kList);
  EXPECT_EQ(DetectFormat("1.2.3.4\n", "feed.csv.gz"), InputFormat::kCsv);
}

TEST(CsvSplitTest, HandlesQuotesAndEmptyFields) {
  auto r = SplitCsvLine("a,\"b,c\",,\"d\"\"e\"", ',');
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.fields, (std::vector<std::string>{"a", "b,c", "", "d\"e"}));
  EXPECT_FALSE(SplitCsvLine("a,\"b", ',').complete);
  EXPECT_EQ(SplitCsvLine("\"a\" ,b", ',').text_after_quote, 0u);
  EXPECT_EQ(SplitCsvLine("1,\"http://a.example/a\"x,b", ',').text_after_quote, 2u);
}

TEST(CsvReaderTest, TextAfterAClosingQuoteRejectsTheRowNamingTheField) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("id,url,status\n1,\"http://bad3.example.com/a\"x,online\n2,\"http://ok.example/b\",online\n",
                          sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "http://ok.example/b");
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_EQ(sink.rejections[0].location, "feed.csv:2");
  EXPECT_NE(sink.rejections[0].reason.find("field 2 (url)"), std::string::npos) << sink.rejections[0].reason;
}

// The feed dumps CERTs import daily, in their published shapes (abuse.ch
// writes a '#' banner and puts the header in the last comment line).
constexpr char kUrlhausDump[] =
    "################################################################\n"
    "# abuse.ch URLhaus Database Dump (CSV - recent URLs only)      #\n"
    "################################################################\n"
    "#\n"
    "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
    "\"2772183\",\"2024-01-01 00:00:04\",\"http://198.51.100.7:59409/i\",\"online\","
    "\"2024-01-02 10:00:00\",\"malware_download\",\"32-bit,elf,Mozi\","
    "\"https://urlhaus.abuse.ch/url/2772183/\",\"geenensp\"\n";

TEST(CsvReaderTest, UrlhausDumpWithItsHeaderInAComment) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText(kUrlhausDump, sink).ok());
  EXPECT_TRUE(sink.rejections.empty());
  ASSERT_EQ(sink.indicators.size(), 1u);
  const IndicatorRecord& url = sink.indicators[0];
  EXPECT_EQ(url.type, ObservableType::kUrl);
  EXPECT_EQ(url.value, "http://198.51.100.7:59409/i");
  EXPECT_EQ(url.context.role, "payload-delivery");
  EXPECT_EQ(url.context.first_seen, "2024-01-01T00:00:04.000Z");
  EXPECT_EQ(url.context.last_seen, "2024-01-02T10:00:00.000Z");
  EXPECT_EQ(url.context.comment, "tags: 32-bit, elf, Mozi");
  EXPECT_EQ(url.location, "feed.csv:6");
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].tags.empty());  // one row's tags are not the whole dump's
}

// URLhaus writes "None" for a URL never seen offline: the row keeps its
// value. A seen date that is no time goes into the comment; an expiry that
// is no time still refuses its row (guessing could leave it live).
TEST(CsvReaderTest, PlaceholderAndUnreadableSeenDatesKeepTheRow) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("url,url_status,last_online,first_seen,valid_until\n"
                          "http://a.example/x,online,None,2024-01-01 00:00:04,\n"
                          "http://b.example/y,offline,last week,,\n"
                          "http://c.example/z,online,,,someday\n",
                          sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "http://a.example/x");
  EXPECT_EQ(sink.indicators[0].context.last_seen, "");
  EXPECT_EQ(sink.indicators[0].context.first_seen, "2024-01-01T00:00:04.000Z");
  EXPECT_EQ(sink.indicators[1].value, "http://b.example/y");
  EXPECT_EQ(sink.indicators[1].context.comment, "last_online last week");
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_EQ(sink.rejections[0].location, "feed.csv:4");
  EXPECT_NE(sink.rejections[0].reason.find("valid_until"), std::string::npos) << sink.rejections[0].reason;
}

// Each row's value carries the row's TLP: the importer keeps a row marked
// more strictly than the file's event apart from it.
TEST(CsvReaderTest, EachValueCarriesItsRowsTlp) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("type,value,tlp\ndomain,g.example,green\ndomain,r.example,red\n", sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].tlp, Tlp::kGreen);
  EXPECT_EQ(sink.indicators[1].tlp, Tlp::kRed);
}

TEST(CsvReaderTest, ThreatFoxDumpSplitsAddressAndPortAndMapsItsTypes) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText(
                  "# ThreatFox IOCs: CSV\n"
                  "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\","
                  "\"fk_malware\",\"malware_alias\",\"malware_printable\",\"last_seen_utc\","
                  "\"confidence_level\",\"reference\",\"tags\",\"anonymous\",\"reporter\"\n"
                  "\"2024-01-01 00:00:09\", \"1220553\", \"203.0.113.52:443\", \"ip:port\", \"botnet_cc\", "
                  "\"win.lumma\", \"LummaC2\", \"Lumma Stealer\", \"\", \"100\", \"\", \"LummaStealer\", "
                  "\"0\", \"abuse_ch\"\n"
                  "\"2024-01-01 00:00:07\", \"1220551\", \"" + std::string(64, 'e') + "\", \"sha256_hash\", "
                  "\"payload\", \"win.redline_stealer\", \"\", \"RedLine Stealer\", \"\", \"50\", \"\", "
                  "\"RedLine\", \"0\", \"abuse_ch\"\n"
                  "# Number of entries: 2\n",
                  sink)
                  .ok());
  EXPECT_TRUE(sink.rejections.empty()) << sink.rejections[0].reason;
  ASSERT_EQ(sink.indicators.size(), 2u);
  const IndicatorRecord& c2 = sink.indicators[0];
  EXPECT_EQ(c2.type, ObservableType::kIpv4);
  EXPECT_EQ(c2.value, "203.0.113.52");
  EXPECT_EQ(c2.context.role, "c2");
  EXPECT_EQ(c2.context.confidence, 100);
  EXPECT_EQ(c2.context.comment, "Lumma Stealer; tags: LummaStealer; port 443");
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kSha256);
  EXPECT_EQ(sink.indicators[1].context.role, "payload");
}

// ThreatFox's first record often holds "domain" or "url" (its ioc_type),
// which are column names too: the record is not taken for the header.
TEST(CsvReaderTest, AThreatFoxDumpWhoseFirstRecordHoldsAColumnNameKeepsItsCommentHeader) {
  for (const std::string& first : {std::string("\"c2-panel.example.net\", \"domain\""),
                                   std::string("\"http://198.51.100.9/gate.php\", \"url\""),
                                   "\"" + std::string(32, 'c') + "\", \"md5_hash\""}) {
    CollectingSink sink;
    ASSERT_TRUE(ReadCsvText("# ThreatFox IOCs: CSV\n"
                            "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\","
                            "\"malware_printable\"\n"
                            "\"2025-06-02 10:19:04\", \"1500001\", " + first + ", \"botnet_cc\", \"Remcos\"\n"
                            "\"2025-06-02 09:46:30\", \"1500002\", \"198.51.100.55:4444\", \"ip:port\", "
                            "\"botnet_cc\", \"Remcos\"\n",
                            sink)
                    .ok())
        << first;
    EXPECT_TRUE(sink.rejections.empty()) << first << ": " << sink.rejections[0].reason;
    ASSERT_EQ(sink.indicators.size(), 2u) << first;
    EXPECT_EQ(sink.indicators[0].location, "feed.csv:3");
    EXPECT_EQ(sink.indicators[0].context.role, "c2");
    EXPECT_EQ(sink.indicators[1].value, "198.51.100.55");
  }
}

// Excel's "CSV" is Windows-1252: its text arrives as UTF-8, never as bytes
// that no JSON reader or writer accepts.
TEST(CsvReaderTest, AWindows1252LineIsReadAsUtf8) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("value,type,comment\nlatin1.example.com,domain,Soci\xe9t\xe9 \x80 \x81\n", sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].context.comment, "Soci\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xEF\xBF\xBD");
  CollectingSink list;
  auto in = OpenInputFromMemory("list.txt", "evil.example # vu \xe0 Paris\n");
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), list).ok());
  ASSERT_EQ(list.indicators.size(), 1u);
  EXPECT_EQ(list.indicators[0].context.comment, "vu \xC3\xA0 Paris");
}

// A line with UTF-8 characters and a byte that is no UTF-8 is broken UTF-8:
// read as Windows-1252 it would become a value nobody wrote.
TEST(CsvReaderTest, ALineOfBrokenUtf8IsRejectedNamingTheByte) {
  CollectingSink list;
  auto in = OpenInputFromMemory("list.txt", "b\xc3\xbc" "cher-x\xff.example\nfine.example\n");
  ASSERT_TRUE(ReadList(**in, FeedTestOptions(), list).ok());
  ASSERT_EQ(list.indicators.size(), 1u);
  EXPECT_EQ(list.indicators[0].value, "fine.example");
  ASSERT_EQ(list.rejections.size(), 1u);
  EXPECT_EQ(list.rejections[0].location, "feed.csv:1");
  EXPECT_NE(list.rejections[0].reason.find("not UTF-8 at byte 10"), std::string::npos) << list.rejections[0].reason;
  CollectingSink csv;
  ASSERT_TRUE(ReadCsvText("value,type\nb\xc3\xbc" "cher\xff.example,domain\n", csv).ok());
  EXPECT_TRUE(csv.indicators.empty());
  ASSERT_EQ(csv.rejections.size(), 1u);
  EXPECT_EQ(csv.rejections[0].location, "feed.csv:2");
}

TEST(CsvReaderTest, FeodoAndSslblDumps) {
  CollectingSink feodo;
  ASSERT_TRUE(ReadCsvText("################################################################\n"
                          "# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #\n"
                          "################################################################\n"
                          "\"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"\n"
                          "\"2021-01-17 07:44:46\",\"198.51.100.32\",\"4643\",\"online\",\"2024-01-01\",\"Dridex\"\n",
                          feodo)
                  .ok());
  ASSERT_EQ(feodo.indicators.size(), 1u);
  EXPECT_EQ(feodo.indicators[0].type, ObservableType::kIpv4);
  EXPECT_EQ(feodo.indicators[0].value, "198.51.100.32");
  EXPECT_EQ(feodo.indicators[0].context.comment, "Dridex; port 4643");
  EXPECT_EQ(feodo.indicators[0].context.last_seen, "2024-01-01T00:00:00.000Z");

  CollectingSink sslbl;
  ASSERT_TRUE(ReadCsvText("# abuse.ch SSLBL SSL Certificate Blacklist (SHA1 Fingerprints)\n"
                          "# Listingdate,SHA1,Listingreason\n"
                          "2024-01-01 00:00:01 UTC," + std::string(40, 'a') + ",AsyncRAT C&C\n",
                          sslbl)
                  .ok());
  ASSERT_EQ(sslbl.indicators.size(), 1u);
  EXPECT_EQ(sslbl.indicators[0].type, ObservableType::kSha1);
  EXPECT_EQ(sslbl.indicators[0].context.first_seen, "2024-01-01T00:00:01.000Z");
  EXPECT_EQ(sslbl.indicators[0].context.comment, "AsyncRAT C&C");
  // The listing reason names what the certificate is: a C2 of that family.
  EXPECT_EQ(sslbl.indicators[0].context.role, "c2");
  EXPECT_EQ(sslbl.indicators[0].family, "AsyncRAT");
  EXPECT_EQ(sslbl.indicators[0].context.family, "AsyncRAT");

  // SSLBL's botnet C2 IP list (and Feodo's older CSV) name the address DstIP.
  CollectingSink c2;
  ASSERT_TRUE(ReadCsvText("# abuse.ch SSLBL Botnet C2 IP Blacklist (CSV)\n"
                          "# Firstseen,DstIP,DstPort\n"
                          "2024-05-20 10:11:12,198.51.100.33,443\n",
                          c2)
                  .ok());
  ASSERT_EQ(c2.indicators.size(), 1u);
  EXPECT_EQ(c2.indicators[0].value, "198.51.100.33");
  EXPECT_EQ(c2.indicators[0].context.comment, "port 443");
}

// An "ip" column holds IPv6 addresses too.
TEST(CsvReaderTest, AnIpColumnHoldsBothFamilies) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("ip,comment\n2001:db8::7,v6\n[2001:db8::8]:443,v6 with a port\n192.0.2.7,v4\n", sink).ok());
  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kIpv6);
  EXPECT_EQ(sink.indicators[0].value, "2001:db8::7");
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kIpv6);
  EXPECT_EQ(sink.indicators[1].value, "2001:db8::8");
  EXPECT_EQ(sink.indicators[1].context.comment, "v6 with a port; port 443");
  EXPECT_EQ(sink.indicators[2].type, ObservableType::kIpv4);
}

// ThreatFox writes an IPv6 C2 of type "ip:port" without brackets: the last
// group is the port. Without that type the same text is an IPv6 address
// (its last group "443" is one).
TEST(CsvReaderTest, AnIpPortTypeSplitsTheLastGroupOffAnUnbracketedIpv6Address) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("value,type\n2001:db8:1::5:40669,ip:port\n2001:db8::5:443,ip:port\n2001:db8::6:443,ip\n",
                          sink)
                  .ok());
  EXPECT_TRUE(sink.rejections.empty()) << sink.rejections[0].reason;
  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kIpv6);
  EXPECT_EQ(sink.indicators[0].value, "2001:db8:1::5");
  EXPECT_EQ(sink.indicators[0].context.comment, "port 40669");
  EXPECT_EQ(sink.indicators[1].value, "2001:db8::5");
  EXPECT_EQ(sink.indicators[1].context.comment, "port 443");
  EXPECT_EQ(sink.indicators[2].value, "2001:db8::6:443");
  EXPECT_EQ(sink.indicators[2].context.comment, "");
}

TEST(CsvReaderTest, ACommentThatIsNoHeaderForItsRowsIsNotTakenAsOne) {
  CollectingSink sink;
  Status s = ReadCsvText("# value,comment\nalpha,beta,gamma\n", sink);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("feed.csv:2"), std::string::npos) << s.ToString();
}

TEST(DetectFormatTest, FeedDumpsWithCommentBannersAreCsvAndCommentedListsAreNot) {
  EXPECT_EQ(DetectFormat(kUrlhausDump, "csv.txt"), InputFormat::kCsv);
  EXPECT_EQ(DetectFormat("# Feodo\n\"first_seen_utc\",\"dst_ip\",\"dst_port\"\n\"2021-01-17\",\"192.0.2.1\",\"443\"\n",
                         "ipblocklist.txt"),
            InputFormat::kCsv);
  // maltrail: comments with commas and words, then one value a line.
  EXPECT_EQ(DetectFormat("# Copyright (c) 2014-2024 Maltrail developers\n"
                         "# Reference: https://example.org/ip, domain and url\n"
                         "lumma-c2.example\n192.0.2.9\n",
                         "lummac2.txt"),
            InputFormat::kList);
  EXPECT_EQ(DetectFormat("; Spamhaus DROP\n198.51.100.0/24 ; SBL1\n", "drop.txt"), InputFormat::kList);
  EXPECT_EQ(DetectFormat("0.0.0.0 ads.example\n", "hosts"), InputFormat::kList);
}

// A type one keystroke from one Accord reads is a typo: refused (so
// `import --strict` fails), with the type meant. Types with nothing to
// match, and OTX's "URI", are still only not matched.
TEST(CsvReaderTest, ATypoedTypeIsRefusedWithTheTypeMeant) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("type,value\n"
                          "domian,evil.example\n"
                          "ipv5,192.0.2.1\n"
                          "sha3-256,abc\n"
                          "uri,/gate.php\n"
                          "domain,fine.example\n",
                          sink)
                  .ok());
  ASSERT_EQ(sink.rejections.size(), 4u);
  EXPECT_FALSE(sink.rejections[0].not_matched);
  EXPECT_NE(sink.rejections[0].reason.find("did you mean 'domain'"), std::string::npos) << sink.rejections[0].reason;
  EXPECT_FALSE(sink.rejections[1].not_matched);
  EXPECT_NE(sink.rejections[1].reason.find("'ipv4'"), std::string::npos) << sink.rejections[1].reason;
  EXPECT_TRUE(sink.rejections[2].not_matched) << sink.rejections[2].reason;
  EXPECT_TRUE(sink.rejections[3].not_matched) << sink.rejections[3].reason;
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "fine.example");
}

TEST(CsvReaderTest, MispCsvExportWithCompositeTypesAndNumberedEvents) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("uuid,event_id,category,type,value,comment,to_ids,date\n"
                          "a1,1234,Network activity,ip-dst|port,203.0.113.9|8443,C2,1,1704067200\n"
                          "a2,1234,Payload delivery,filename|sha256,invoice.exe|" + std::string(64, 'a') +
                          ",,1,1704067200\n"
                          "a3,1235,Network activity,ip-src,2001:db8::7,,0,1704067200\n"
                          "a4,1235,External analysis,text,a note,,0,1704067200\n",
                          sink)
                  .ok());
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_EQ(sink.rejections[0].location, "feed.csv:5");
  EXPECT_NE(sink.rejections[0].reason.find("'text'"), std::string::npos);
  // Well-formed, nothing to match: counted apart, as the MISP reader does.
  EXPECT_TRUE(sink.rejections[0].not_matched);
  ASSERT_EQ(sink.indicators.size(), 4u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kIpv4);
  EXPECT_EQ(sink.indicators[0].value, "203.0.113.9");
  EXPECT_EQ(sink.indicators[0].context.first_seen, "2024-01-01T00:00:00.000Z");  // the date column
  EXPECT_EQ(sink.indicators[0].context.role, "network-activity");
  EXPECT_EQ(sink.indicators[0].context.comment, "C2; port 8443");
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kFileName);
  EXPECT_FALSE(sink.indicators[1].context.is_indicator);  // describes the file, as in MISP JSON
  EXPECT_EQ(sink.indicators[2].type, ObservableType::kSha256);
  EXPECT_TRUE(sink.indicators[2].context.is_indicator);
  EXPECT_EQ(sink.indicators[3].type, ObservableType::kIpv6);  // ip-src refined by its value
  EXPECT_FALSE(sink.indicators[3].context.is_indicator);
  // MISP's event numbers group the rows: two events, each its own uuid.
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].title, "feed event 1234");
  EXPECT_TRUE(IsUuid(sink.events[0].uuid));
  EXPECT_NE(sink.events[0].uuid, sink.events[1].uuid);
  EXPECT_EQ(sink.indicators[0].event_uuid, sink.indicators[1].event_uuid);
  EXPECT_EQ(sink.indicators[3].event_uuid, sink.events[1].uuid);
}

// The columns MISP's CSV export adds: attribute_tag (the row's tags, kept
// in its comment whatever the event's tags are), object columns ignored.
// A date that is no time is kept in the comment, and placeholders ("None",
// ThreatFox's empty cell) are no tags and no family.
TEST(CsvReaderTest, MispCsvAttributeTagsDatesAndPlaceholderCells) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("uuid,event_id,category,type,value,comment,to_ids,date,object_relation,attribute_tag,"
                          "object_uuid,object_name,object_meta_category\n"
                          "a1,77,Network activity,domain,c2.evil.example,,1,1710460800,,"
                          "\"tlp:amber,kill-chain:Command and Control\",,,\n"
                          "a2,77,Network activity,ip-dst,203.0.113.7,,1,last Tuesday,,None,,,\n",
                          sink)
                  .ok());
  EXPECT_TRUE(sink.rejections.empty()) << sink.rejections[0].reason;
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].context.first_seen, "2024-03-15T00:00:00.000Z");
  EXPECT_EQ(sink.indicators[0].context.comment, "tags: tlp:amber, kill-chain:Command and Control");
  EXPECT_EQ(sink.indicators[1].context.first_seen, "");
  EXPECT_EQ(sink.indicators[1].context.comment, "date last Tuesday");
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].tags.empty());

  CollectingSink feed;
  ASSERT_TRUE(ReadCsvText("ioc_value,ioc_type,malware_printable,tags\n"
                          "198.51.100.4,ip,None,None\n"
                          "198.51.100.5,ip,Remcos,\"None,rat\"\n",
                          feed)
                  .ok());
  ASSERT_EQ(feed.indicators.size(), 2u);
  EXPECT_EQ(feed.indicators[0].context.comment, "");
  EXPECT_EQ(feed.indicators[1].context.comment, "Remcos; tags: rat");
}

// URLhaus's country and TLD dumps name each URL's host in a column of its
// own: a loader on GitHub made github.com a live indicator, alerting on all
// GitHub traffic. A host column holding its row's URL's host is context.
TEST(CsvReaderTest, AHostColumnHoldingItsUrlsOwnHostIsContextNotAnIndicator) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("# Dateadded (UTC),URL,URL_status,Threat,Host,IPaddress,ASnumber,Country\n"
                          "2024-05-21 10:41:00,https://github.com/evil-user/repo/releases/download/v1/loader.exe,"
                          "online,malware_download,GitHub.com,140.82.121.4,36459,US\n"
                          "2024-05-21 10:42:00,http://198.51.100.9:8080/bin.sh,online,malware_download,"
                          "198.51.100.9,198.51.100.9,64500,NL\n"
                          "2024-05-21 10:43:00,http://cdn.example/a.exe,online,malware_download,evil-c2.example,,,\n",
                          sink)
                  .ok());
  std::map<std::string, bool> live;
  for (const IndicatorRecord& indicator : sink.indicators) live[indicator.value] = indicator.context.is_indicator;
  EXPECT_TRUE(live.at("https://github.com/evil-user/repo/releases/download/v1/loader.exe"));
  EXPECT_FALSE(live.at("GitHub.com")) << "the URL's own host";
  EXPECT_FALSE(live.at("198.51.100.9")) << "an address host too";
  EXPECT_TRUE(live.at("evil-c2.example")) << "a host the row's URL is not on is a value of its own";

  // Defanged, or an IPv6 URL: the same host. A column named for a domain
  // is the feed's own value, the URL's host or not.
  CollectingSink other;
  ASSERT_TRUE(ReadCsvText("url,host,domain\n"
                          "hxxp://dedicated[.]example/gate.php,dedicated[.]example,dedicated.example\n"
                          "http://[2001:db8::5]:8080/x.sh,2001:db8::5,\n",
                          other)
                  .ok());
  std::map<std::string, std::vector<bool>> seen;
  for (const IndicatorRecord& indicator : other.indicators) {
    seen[indicator.value].push_back(indicator.context.is_indicator);
  }
  EXPECT_EQ(seen.at("dedicated[.]example"), std::vector<bool>{false});
  EXPECT_EQ(seen.at("dedicated.example"), std::vector<bool>{true}) << "the domain column";
  EXPECT_EQ(seen.at("2001:db8::5"), std::vector<bool>{false});
}

// MISP's tlp: tags in a CSV export mark what they tag, as in MISP's JSON:
// an attribute_tag its row's value (a RED attribute read at the import's
// CLEAR default was shared with everyone), an event_tag its event.
TEST(CsvReaderTest, TlpTagsOfAMispCsvExportMarkTheirValueAndEvent) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("uuid,event_id,type,value,to_ids,attribute_tag,event_tag\n"
                          "a1,1900,ip-dst,198.51.100.77,1,\"tlp:red,osint\",\n"
                          "a2,1900,domain,plain.example,1,,\n"
                          "a3,1901,domain,event-green.example,1,,tlp:green\n",
                          sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 3u);
  EXPECT_EQ(sink.indicators[0].tlp, Tlp::kRed);
  EXPECT_FALSE(sink.indicators[1].tlp.has_value());
  EXPECT_EQ(sink.indicators[2].tlp, Tlp::kGreen);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_FALSE(sink.events[0].tlp.has_value()) << "an attribute's tag marks the value, not its event";
  EXPECT_EQ(sink.events[1].tlp, Tlp::kGreen);
}

// An event a row names by number gets a version-4 uuid from the file's
// event, and the version-5 one earlier versions derived from the file's
// legacy uuid; a file without a legacy uuid gives it none.
TEST(CsvReaderTest, NumberedEventsAreVersion4WithTheLegacyUuidOfTheirNumber) {
  TextReadOptions options = FeedTestOptions();
  options.legacy_event_uuid = "22222222-2222-5222-8222-222222222222";
  auto in = OpenInputFromMemory("feed.csv", "event_id,value\n1234,192.0.2.1\n,192.0.2.2\n");
  ASSERT_TRUE(in.ok());
  CollectingSink sink;
  ASSERT_TRUE(ReadCsv(**in, options, sink).ok());
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].uuid,
            StableUuidV4(kAccordUuidNamespace, options.event_uuid + ":event:1234"));
  EXPECT_EQ(sink.events[0].legacy_uuid,
            UuidV5(kAccordUuidNamespace, options.legacy_event_uuid + ":event:1234"));
  EXPECT_EQ(sink.events[1].uuid, options.event_uuid);  // the row without a number
  EXPECT_EQ(sink.events[1].legacy_uuid, options.legacy_event_uuid);

  CollectingSink without_legacy;
  ASSERT_TRUE(ReadCsvText("event_id,value\n1234,192.0.2.1\n", without_legacy).ok());
  ASSERT_EQ(without_legacy.events.size(), 1u);
  EXPECT_TRUE(without_legacy.events[0].legacy_uuid.empty());
}

}  // namespace
}  // namespace accord
