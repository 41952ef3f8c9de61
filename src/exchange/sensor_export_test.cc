// The Zeek and Suricata exports on a real SQLite store: which values, in
// which file, in which exact form.
#include "exchange/sensor_export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"
#include "testing/testing.h"

namespace accord {
namespace {

using exchange_internal::Base64Encode;

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Base64Decode(const std::string& text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    const size_t index = kAlphabet.find(c);
    if (index == std::string::npos) return "<not base64>";
    bits = (bits << 6) | static_cast<uint32_t>(index);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

std::set<std::string> DecodedLines(const std::string& text) {
  std::set<std::string> values;
  for (const std::string& line : SplitLines(text)) values.insert(Base64Decode(line));
  return values;
}

const std::string kMd5(32, 'a');
const std::string kSha1(40, 'b');
const std::string kSha256(64, 'c');
constexpr char kTitle[] = "Wave\tone\nphish";

class SensorExportTest : public ExchangeTest {
 protected:
  void SetUp() override {
    ExchangeTest::SetUp();
    testing::WriteFile(dir_.Join("wl.json"),
                       R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                       R"("matching_attributes":["ip-dst"],"list":["192.0.2.53/32"]})");
    ASSERT_TRUE(AddWarningList(*store_, dir_.Join("wl.json"), "test").ok());
    // Every type, one observed-only value, one expired, one expiring after
    // the test clock's now, one warning-listed.
    // clang-format off
    Import("wave.csv",
           "type,value,valid_until,is_indicator\n"
           "ipv4,192.0.2.1,,true\n"
           "ipv6,2001:db8::1,,true\n"
           "cidr,198.51.100.0/24,,true\n"
           "cidr,2001:db8:1::/48,,true\n"
           "domain,evil.example,,true\n"
           "url,http://evil.example:8080/gate.php?id=1#frag,,true\n"
           "url,https://phish.example/login,,true\n"
           "email,bad@evil.example,,true\n"
           "md5," + kMd5 + ",,true\n"
           "sha1," + kSha1 + ",,true\n"
           "sha256," + kSha256 + ",,true\n"
           "filename,invoice.pdf.exe,,true\n"
           "ipv4,192.0.2.50,,false\n"
           "ipv4,192.0.2.60,2026-05-01,true\n"
           "ipv4,192.0.2.61,2026-07-01,true\n"
           "ipv4,192.0.2.53,,true\n",
           Tlp::kGreen, kTitle);
    // clang-format on
    Import("second.txt", "evil.example\n", Tlp::kGreen, "Second wave");
    // TLP:RED of the owner: the other organisation may not read it.
    Import("red.txt", "203.0.113.66\nred.example\n192.0.2.1\n", Tlp::kRed, "Secret op");
  }

  void Import(const std::string& name, const std::string& content, Tlp tlp,
              const std::string& title) {
    testing::WriteFile(dir_.Join(name), content);
    ImportOptions options;
    options.owner_org_id = owner_;
    options.default_tlp = tlp;
    options.title = title;
    ImportReport report;
    Status s = ImportFile(*store_, dir_.Join(name), options, &report);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(report.rejected, 0) << name;
  }

  ExportOptions Options(int64_t viewer, ExportFormat format) const {
    ExportOptions options;
    options.format = format;
    options.viewer = {viewer, Role::kAnalyst};
    options.clock = &clock_;
    return options;
  }

  std::string Zeek(int64_t viewer, ExportReport* report = nullptr) {
    std::ostringstream out;
    Status s = Export(*store_, Options(viewer, ExportFormat::kZeek), out, report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }

  std::map<std::string, std::string> Suricata(int64_t viewer, ExportReport* report = nullptr) {
    auto files = BuildSuricataExport(*store_, Options(viewer, ExportFormat::kSuricata), report);
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    std::map<std::string, std::string> by_name;
    if (files.ok()) {
      for (auto& file : *files) by_name[file.name] = file.content;
    }
    return by_name;
  }

  testing::ManualClock clock_{*ParseTimestamp("2026-06-01T00:00:00Z")};
};

TEST(SensorBase64Test, MatchesTheRfc4648TestVectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("\xff\xfe"), "//4=");
}

TEST(SensorFormatTest, ZeekAndSuricataAreExportFormatNames) {
  EXPECT_EQ(ParseExportFormat("zeek"), ExportFormat::kZeek);
  EXPECT_EQ(ParseExportFormat("suricata"), ExportFormat::kSuricata);
  EXPECT_EQ(ParseExportFormat("snort"), std::nullopt);
}

TEST_F(SensorExportTest, ZeekFileHasTheHeaderAndOneRowPerLiveValue) {
  ExportReport report;
  const std::vector<std::string> lines = SplitLines(Zeek(other_, &report));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url");
  const std::string desc = "Wave one phish";
  const std::multiset<std::string> expected = {
      "192.0.2.1\tIntel::ADDR\taccord\t" + desc + "\t-",
      "192.0.2.61\tIntel::ADDR\taccord\t" + desc + "\t-",
      "2001:db8::1\tIntel::ADDR\taccord\t" + desc + "\t-",
      "198.51.100.0/24\tIntel::SUBNET\taccord\t" + desc + "\t-",
      "2001:db8:1::/48\tIntel::SUBNET\taccord\t" + desc + "\t-",
      "evil.example\tIntel::DOMAIN\taccord\tSecond wave; " + desc + "\t-",
      // Zeek's Intel::URL has no scheme; the fragment never reaches the wire.
      "evil.example:8080/gate.php?id=1\tIntel::URL\taccord\t" + desc + "\t-",
      "phish.example/login\tIntel::URL\taccord\t" + desc + "\t-",
      "bad@evil.example\tIntel::EMAIL\taccord\t" + desc + "\t-",
      kMd5 + "\tIntel::FILE_HASH\taccord\t" + desc + "\t-",
      kSha1 + "\tIntel::FILE_HASH\taccord\t" + desc + "\t-",
      kSha256 + "\tIntel::FILE_HASH\taccord\t" + desc + "\t-",
      "invoice.pdf.exe\tIntel::FILE_NAME\taccord\t" + desc + "\t-",
  };
  EXPECT_EQ(std::multiset<std::string>(lines.begin() + 1, lines.end()), expected);
  EXPECT_EQ(report.indicators, static_cast<int64_t>(expected.size()));
  EXPECT_EQ(report.withheld, 1);  // the RED event
}

// The RED event also carries 192.0.2.1; its title must not reach the viewer.
TEST_F(SensorExportTest, ZeekDescriptionNamesOnlyEventsTheViewerMayRead) {
  const std::string theirs = Zeek(other_);
  EXPECT_EQ(theirs.find("Secret op"), std::string::npos);
  const std::string mine = Zeek(owner_);
  EXPECT_NE(mine.find("192.0.2.1\tIntel::ADDR\taccord\tSecret op; Wave one phish\t-\n"),
            std::string::npos)
      << mine;
  EXPECT_NE(mine.find("203.0.113.66\tIntel::ADDR\taccord\tSecret op\t-\n"), std::string::npos);
}

TEST_F(SensorExportTest, SensorExportsLeaveOutWhatShouldNotAlert) {
  std::string everything = Zeek(other_);
  for (const auto& [name, content] : Suricata(other_)) {
    everything += content;
    if (name.find("domains") != std::string::npos || name.find("url") != std::string::npos) {
      for (const std::string& value : DecodedLines(content)) everything += value + "\n";
    }
  }
  for (const char* absent : {"192.0.2.50",    // observed only, not an indicator
                             "192.0.2.60",    // expired before the clock's now
                             "192.0.2.53",    // on a warning list
                             "203.0.113.66",  // TLP:RED, not readable
                             "red.example"}) {
    EXPECT_EQ(everything.find(absent), std::string::npos) << absent;
  }
  // Expiry is judged by the injected clock: a month later 192.0.2.61 is gone.
  clock_.Set(*ParseTimestamp("2026-07-02T00:00:00Z"));
  EXPECT_EQ(Zeek(other_).find("192.0.2.61"), std::string::npos);
  EXPECT_EQ(Suricata(other_)["accord-ips.lst"], "192.0.2.1\n2001:db8::1\n");
}

// The matcher never alerts on a listed address under a live network; the
// sensors get the network without it, as the CIDRs that cover the rest.
TEST_F(SensorExportTest, SensorsGetALiveNetworkWithoutTheAddressesAWarningListHolds) {
  Import("net.txt", "192.0.2.0/29\n", Tlp::kGreen, "Around the resolver");  // .0-.7: no listed address
  Import("net2.txt", "192.0.2.48/28\n", Tlp::kGreen, "Around the resolver");  // .48-.63 holds .53
  const std::string zeek = Zeek(other_);
  EXPECT_NE(zeek.find("192.0.2.0/29\tIntel::SUBNET"), std::string::npos) << zeek;
  EXPECT_EQ(zeek.find("192.0.2.48/28"), std::string::npos) << zeek;
  // .48/28 less .53: .48/30, .52, .54/31, .56/29.
  for (const char* piece : {"192.0.2.48/30\tIntel::SUBNET", "192.0.2.52\tIntel::ADDR", "192.0.2.54/31\tIntel::SUBNET",
                            "192.0.2.56/29\tIntel::SUBNET"}) {
    EXPECT_NE(zeek.find(piece), std::string::npos) << piece << "\n" << zeek;
  }
  EXPECT_EQ(zeek.find("192.0.2.53"), std::string::npos) << zeek;
  auto suricata = Suricata(other_);
  EXPECT_EQ(suricata["accord.rules"].find("192.0.2.48/28"), std::string::npos);
  EXPECT_NE(suricata["accord.rules"].find("192.0.2.56/29"), std::string::npos);
  EXPECT_NE(suricata["accord-ips.lst"].find("192.0.2.52\n"), std::string::npos);
  // A network wholly listed goes.
  testing::WriteFile(dir_.Join("wl-net.json"),
                     R"({"name":"cloud","version":1,"description":"d","type":"cidr","list":["192.0.2.0/28"]})");
  ASSERT_TRUE(AddWarningList(*store_, dir_.Join("wl-net.json"), "test").ok());
  EXPECT_EQ(Zeek(other_).find("192.0.2.0/29"), std::string::npos);
}

// A file name given beside a hash of the same file (a STIX pattern's AND,
// MISP's filename|sha256) describes the file: a sensor alerting on
// "svchost.exe" would fire on every Windows host. The hashes go out.
// A consumer of the CSV that keys on is_indicator must not alert on a
// listed value: it says false there, as to_ids does in the MISP export.
TEST_F(SensorExportTest, CsvExportSaysAWarningListedValueIsNoIndicator) {
  std::ostringstream out;
  ASSERT_TRUE(Export(*store_, Options(owner_, ExportFormat::kCsv), out, nullptr).ok());
  // The rows of one value (the event title spans lines): up to the next row.
  const std::string csv = out.str();
  auto row_of = [&](const std::string& start) {
    const size_t at = csv.find(start);
    if (at == std::string::npos) return std::string();
    for (size_t nl = csv.find('\n', at); nl != std::string::npos; nl = csv.find('\n', nl + 1)) {
      for (std::string_view type : {"ipv4,", "ipv6,", "cidr,", "domain,", "url,", "email,", "md5,",
                                    "sha1,", "sha256,", "filename,"}) {
        if (std::string_view(csv).substr(nl + 1).starts_with(type)) {
          return csv.substr(at, nl + 1 - at);
        }
      }
    }
    return csv.substr(at);
  };
  const std::string listed = row_of("ipv4,192.0.2.53,");
  const std::string live = row_of("ipv4,192.0.2.1,");
  // is_indicator, warninglist, family.
  EXPECT_TRUE(listed.ends_with(",false,resolvers,\n")) << listed;
  EXPECT_TRUE(live.ends_with(",true,,\n")) << live;
}

// MISP updates a list only to a higher version: an older file loaded by
// mistake is refused, naming both versions, and changes nothing.
TEST_F(SensorExportTest, AnOlderVersionOfALoadedWarningListIsRefused) {
  testing::WriteFile(dir_.Join("wl2.json"),
                     R"({"name":"resolvers","version":2,"description":"d","type":"cidr",)"
                     R"("list":["192.0.2.53/32","192.0.2.54/32"]})");
  testing::WriteFile(dir_.Join("wl-old.json"),
                     R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                     R"("list":[]})");
  ASSERT_TRUE(AddWarningList(*store_, dir_.Join("wl2.json"), "test").ok());
  auto older = AddWarningList(*store_, dir_.Join("wl-old.json"), "test");
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(older.status().message().find("wl-old.json"), std::string::npos);
  EXPECT_NE(older.status().message().find("version 1 is older than the loaded version 2"),
            std::string::npos);
  auto lists = store_->LoadWarningLists();
  ASSERT_TRUE(lists.ok());
  ASSERT_EQ(lists->size(), 1u);
  EXPECT_EQ((*lists)[0].version, 2);
}

TEST_F(SensorExportTest, FileNamesGivenBesideTheirHashOnlyDescribeTheFile) {
  const std::string md5(32, 'd');
  const std::string sha256(64, 'e');
  Import("bundle.json",
         R"({"type":"bundle","id":"bundle--6d0f3b52-7c0e-4f43-9a5f-3c1b0c6a1e01","objects":[)"
         R"({"type":"indicator","spec_version":"2.1","id":"indicator--0d5e8a4a-8f38-4a25-9f5f-0c7f2b1e6a11",)"
         R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
         R"("pattern":"[file:name = 'svchost.exe' AND file:hashes.MD5 = ')" + md5 + R"(']",)"
         R"("pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"},)"
         R"({"type":"indicator","spec_version":"2.1","id":"indicator--0d5e8a4a-8f38-4a25-9f5f-0c7f2b1e6a12",)"
         R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
         R"("pattern":"[file:name = 'dropper.exe' OR file:hashes.MD5 = ')" + std::string(32, 'f') + R"(']",)"
         R"("pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]})",
         Tlp::kGreen, "Bundle");
  Import("event.json",
         R"({"Event":{"uuid":"5b1e6c1a-3f2d-4c4e-9a8b-1d2e3f4a5b6c","info":"Sample",)"
         R"("Attribute":[{"type":"filename|sha256","category":"Payload delivery","to_ids":true,)"
         R"("value":"explorer.exe|)" + sha256 + R"("}]}})",
         Tlp::kGreen, "Event");
  const std::string zeek = Zeek(other_);
  EXPECT_NE(zeek.find(md5 + "\tIntel::FILE_HASH"), std::string::npos) << zeek;
  EXPECT_NE(zeek.find(sha256 + "\tIntel::FILE_HASH"), std::string::npos) << zeek;
  EXPECT_EQ(zeek.find("svchost.exe"), std::string::npos) << zeek;
  EXPECT_EQ(zeek.find("explorer.exe"), std::string::npos) << zeek;
  // With OR the name is evidence on its own.
  EXPECT_NE(zeek.find("dropper.exe\tIntel::FILE_NAME"), std::string::npos) << zeek;
  // The names stay as observed context of their events.
  for (const char* name : {"svchost.exe", "explorer.exe"}) {
    auto found = store_->LookupObservable({ObservableType::kFileName, name});
    ASSERT_TRUE(found.ok() && found->has_value()) << name;
    ASSERT_EQ((*found)->events.size(), 1u) << name;
    EXPECT_FALSE((*found)->events[0].context.is_indicator) << name;
  }
}

TEST_F(SensorExportTest, SuricataStringDatasetsAreBase64OfEachValue) {
  auto files = Suricata(other_);
  EXPECT_EQ(files["accord-domains.lst"], Base64Encode("evil.example") + "\n");
  EXPECT_EQ(DecodedLines(files["accord-domains.lst"]), std::set<std::string>{"evil.example"});
}

// Two lists (hosts, paths) would pair any listed host with any listed path:
// each URL has its own rule, exact on the host and on the path with its
// query, its port in the header.
TEST_F(SensorExportTest, SuricataGivesEachUrlItsOwnRuleExactOnHostAndPath) {
  Import("urls.txt", "http://second.example/a;b=1|2\nhttp://second.example/\n", Tlp::kGreen, "URLs");
  const std::string rules = Suricata(other_)["accord.rules"];
  for (const std::string& expected : {
           std::string("alert http any any -> any 8080 (msg:\"Accord: HTTP request for a listed URL "
                       "http://evil.example:8080/gate.php?id=1\"; flow:established,to_server; "
                       "http.host; content:\"evil.example\"; bsize:12; http.uri; content:\"/gate.php?id=1\"; "
                       "bsize:14; classtype:bad-unknown; sid:9880000; rev:1;)"),
           std::string("alert http any any -> any any (msg:\"Accord: HTTP request for a listed URL "
                       "http://second.example/\"; flow:established,to_server; http.host; "
                       "content:\"second.example\"; bsize:14; http.uri; content:\"/\"; bsize:1; "
                       "classtype:bad-unknown; sid:9880001; rev:1;)"),
       }) {
    EXPECT_NE(rules.find(expected + "\n"), std::string::npos) << expected << "\nin\n" << rules;
  }
  // The rule language's own characters are escaped: \; in the message,
  // hex in the content.
  EXPECT_NE(rules.find("URL http://second.example/a\\;b=1"), std::string::npos) << rules;
  EXPECT_NE(rules.find("content:\"/a|3B|b=1"), std::string::npos) << rules;
  EXPECT_EQ(rules.find("accord-url"), std::string::npos) << "no URL datasets";
}

// Suricata's http.uri is normalized, its %XX escapes decoded: the rule's
// path is too, or it could never match.
TEST_F(SensorExportTest, SuricataMatchesAUrlsPathDecodedAsHttpUriHoldsIt) {
  Import("encoded.txt", "http://third.example/a?u=http%3A%2F%2Fy.example%2F&q=%22x%22\n", Tlp::kGreen, "Encoded");
  auto files = Suricata(other_);
  const std::string& rules = files["accord.rules"];
  EXPECT_NE(rules.find("http.uri; content:\"/a?u=http://y.example/&q=|22|x|22|\"; bsize:28;"), std::string::npos)
      << rules;
  // An older export's URL lists are emptied, not left with old values.
  EXPECT_EQ(files["accord-url-hosts.lst"], "");
  EXPECT_EQ(files["accord-url-paths.lst"], "");
}

TEST_F(SensorExportTest, SuricataIpDatasetHoldsAddressesAndNetworksGoIntoRules) {
  auto files = Suricata(other_);
  EXPECT_EQ(files["accord-ips.lst"], "192.0.2.1\n192.0.2.61\n2001:db8::1\n");
  const std::string& rules = files["accord.rules"];
  EXPECT_NE(rules.find("alert ip [198.51.100.0/24,2001:db8:1::/48] any -> any any "
                       "(msg:\"Accord: traffic from a listed network (1/1)\"; "
                       "classtype:bad-unknown; sid:9870100; rev:1;)\n"),
            std::string::npos)
      << rules;
  EXPECT_NE(rules.find("alert ip any any -> [198.51.100.0/24,2001:db8:1::/48] any "
                       "(msg:\"Accord: traffic to a listed network (1/1)\"; "
                       "classtype:bad-unknown; sid:9870101; rev:1;)\n"),
            std::string::npos)
      << rules;
}

TEST_F(SensorExportTest, SuricataHashListsAreHexOnePerLine) {
  auto files = Suricata(other_);
  EXPECT_EQ(files["accord-md5.lst"], kMd5 + "\n");
  EXPECT_EQ(files["accord-sha1.lst"], kSha1 + "\n");
  // The SHA-1 may name a TLS certificate too: as tls.cert_fingerprint
  // prints one, base64 as a string dataset wants it.
  std::string pairs;
  for (size_t at = 0; at < kSha1.size(); at += 2) pairs += (at ? ":" : "") + kSha1.substr(at, 2);
  EXPECT_EQ(DecodedLines(files["accord-cert-sha1.lst"]), std::set<std::string>{pairs});
  EXPECT_EQ(files["accord-sha256.lst"], kSha256 + "\n");
}

TEST_F(SensorExportTest, SuricataRulesUseTheDatasetKeywordOnTheRightBuffers) {
  const std::string rules = Suricata(other_)["accord.rules"];
  const std::string domains = "dataset:isset,accord-domains,type string,load accord-domains.lst;";
  const std::string ips = "dataset:isset,accord-ips,type ip,load accord-ips.lst;";
  for (const std::string& expected : {
           "alert dns any any -> any any (msg:\"Accord: DNS query for a listed domain\"; "
           "dns.query; " +
               domains + " classtype:bad-unknown; sid:9870000; rev:1;)",
           "alert tls any any -> any any (msg:\"Accord: TLS SNI of a listed domain\"; tls.sni; " +
               domains + " classtype:bad-unknown; sid:9870001; rev:1;)",
           "alert http any any -> any any (msg:\"Accord: HTTP Host of a listed domain\"; "
           "http.host; " +
               domains + " classtype:bad-unknown; sid:9870002; rev:1;)",
           std::string("alert tls any any -> any any (msg:\"Accord: TLS certificate with a listed "
                       "SHA-1\"; tls.cert_fingerprint; dataset:isset,accord-cert-sha1,type string,"
                       "load accord-cert-sha1.lst; classtype:bad-unknown; sid:9870004; rev:1;)"),
           "alert ip any any -> any any (msg:\"Accord: traffic to a listed IP address\"; ip.dst; " +
               ips +
               " threshold:type limit,track by_dst,count 1,seconds 60; "
               "classtype:bad-unknown; sid:9870010; rev:1;)",
           std::string("alert http any any -> any any (msg:\"Accord: file with a listed MD5 over "
                       "http\"; filemd5:accord-md5.lst; classtype:bad-unknown; sid:9870020; "
                       "rev:1;)"),
           std::string("alert ftp-data any any -> any any (msg:\"Accord: file with a listed "
                       "SHA-256 over ftp-data\"; filesha256:accord-sha256.lst; "
                       "classtype:bad-unknown; sid:9870043; rev:1;)"),
       }) {
    EXPECT_NE(rules.find(expected + "\n"), std::string::npos) << expected << "\nin\n" << rules;
  }
}

// Every rule line is well formed, has its own SID in Accord's range and loads
// only files the export writes.
TEST_F(SensorExportTest, SuricataRulesHaveUniqueSidsInTheRangeAndLoadExportedFiles) {
  auto files = Suricata(other_);
  const std::regex rule_shape(
      R"(^alert [a-z-]+ \S+ \S+ -> \S+ \S+ \(msg:"Accord: (?:[^";\\]|\\.)+"; (.*)classtype:bad-unknown; sid:(\d+); rev:1;\)$)");
  const std::regex list_file(R"((?:load |filemd5:|filesha1:|filesha256:)([a-z0-9.-]+))");
  std::set<int64_t> sids;
  int rule_count = 0;
  for (const std::string& line : SplitLines(files["accord.rules"])) {
    if (line.empty() || line.starts_with('#')) continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, rule_shape)) << line;
    ++rule_count;
    const int64_t sid = std::stoll(m[2]);
    EXPECT_GE(sid, 9870000);
    EXPECT_LE(sid, 9979999);
    EXPECT_TRUE(sids.insert(sid).second) << "duplicate sid " << sid;
    const std::string body = m[1];
    for (auto it = std::sregex_iterator(body.begin(), body.end(), list_file);
         it != std::sregex_iterator(); ++it) {
      EXPECT_TRUE(files.contains((*it)[1])) << (*it)[1] << " in " << line;
    }
  }
  // 3 domain + 1 URL + 1 certificate + 2 IP + 3 hash kinds x 4 protocols +
  // 2 network rules.
  EXPECT_EQ(rule_count, 21);
}

TEST_F(SensorExportTest, SuricataSplitsLongNetworkListsAcrossRules) {
  std::string list;
  for (int net_idx = 0; net_idx < 501; ++net_idx) {
    list += "10." + std::to_string(net_idx / 256) + "." + std::to_string(net_idx % 256) + ".0/24\n";
  }
  Import("nets.txt", list, Tlp::kGreen, "Networks");
  const std::string rules = Suricata(other_)["accord.rules"];
  EXPECT_NE(
      rules.find("traffic from a listed network (1/2)\"; classtype:bad-unknown; sid:9870100;"),
      std::string::npos);
  EXPECT_NE(rules.find("traffic to a listed network (2/2)\"; classtype:bad-unknown; sid:9870103;"),
            std::string::npos);
  EXPECT_EQ(rules.find("sid:9870104;"), std::string::npos);
}

TEST_F(SensorExportTest, SuricataWritesNoRuleForAnEmptyList) {
  testing::TempDir empty_dir;
  auto empty = OpenStore({empty_dir.Join("node"), true});
  ASSERT_TRUE(empty.ok());
  auto files = BuildSuricataExport(**empty, Options(other_, ExportFormat::kSuricata), nullptr);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 9u);
  for (const ExportFile& file : *files) {
    if (file.name == "accord.rules") {
      EXPECT_EQ(file.content.find("alert "), std::string::npos) << file.content;
    } else {
      EXPECT_EQ(file.content, "") << file.name;
    }
  }
}

TEST_F(SensorExportTest, ExportToDirectoryWritesEveryFileAndNoPartials) {
  const std::string out = dir_.Join("suricata/rules");  // created, parents too
  ExportReport report;
  Status s = ExportToDirectory(*store_, Options(other_, ExportFormat::kSuricata), out, &report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto files = Suricata(other_);
  for (const auto& [name, content] : files) {
    EXPECT_EQ(testing::ReadFile(out + "/" + name), content) << name;
  }
  size_t on_disk = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out)) {
    EXPECT_EQ(entry.path().extension(),
              entry.path().filename() == "accord.rules" ? ".rules" : ".lst");
    ++on_disk;
  }
  EXPECT_EQ(on_disk, files.size());
  // 10 values fit Suricata; the e-mail, the file name and the https URL do not.
  EXPECT_EQ(report.indicators, 10);
  EXPECT_EQ(report.skipped, 3);
}

TEST_F(SensorExportTest, StreamExportRefusesSuricataAndDirectoryExportRefusesTheOthers) {
  std::ostringstream out;
  Status stream = Export(*store_, Options(other_, ExportFormat::kSuricata), out, nullptr);
  EXPECT_EQ(stream.code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(out.str().empty());
  Status dir =
      ExportToDirectory(*store_, Options(other_, ExportFormat::kZeek), dir_.Join("z"), nullptr);
  EXPECT_EQ(dir.code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir_.Join("z")));
}

}  // namespace
}  // namespace accord
