// The telemetry readers on samples built here: names, detection, field
// mappings, the text scanner's edge cases, NDJSON, streams (gzip, long lines,
// random bytes). The other formats are in telemetry_formats_test.cc.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <random>

#include "telemetry/telemetry_testing.h"

namespace accord::telemetry {
namespace {

// ---- Names, detection, mappings ----------------------------------------

TEST(FormatNameTest, EveryFormatNameParsesBack) {
  for (Format f : {Format::kAuto, Format::kText, Format::kNdjson, Format::kZeekTsv,
                   Format::kZeekJson, Format::kSuricata, Format::kCsv, Format::kWindowsDns,
                          Format::kSquid, Format::kKv}) {
    auto parsed = ParseFormatName(FormatName(f));
    ASSERT_TRUE(parsed.has_value()) << FormatName(f);
    EXPECT_EQ(*parsed, f);
  }
  EXPECT_EQ(ParseFormatName("ZEEK-JSON"), Format::kZeekJson);
  EXPECT_FALSE(ParseFormatName("syslog").has_value());
}

TEST(DetectFormatTest, EachFormatIsRecognisedFromItsFirstLine) {
  EXPECT_EQ(DetectFormat("#separator \\x09\n#set_separator\t,\n", "dns.log"), Format::kZeekTsv);
  EXPECT_EQ(DetectFormat(R"({"timestamp":"t","event_type":"dns"})" "\n", "eve.json"),
            Format::kSuricata);
  EXPECT_EQ(DetectFormat(R"({"ts":1.5,"id.orig_h":"10.0.0.1"})" "\n", "x"), Format::kZeekJson);
  EXPECT_EQ(DetectFormat(R"({"_path":"dns","query":"a.example"})", "x"), Format::kZeekJson);
  // Exporters that nest the connection id, and files.log before Zeek 5.
  EXPECT_EQ(DetectFormat(R"({"ts":1.5,"id":{"orig_h":"10.0.0.1"},"query":"a.example"})", "x"),
            Format::kZeekJson);
  EXPECT_EQ(DetectFormat(R"({"ts":1.5,"fuid":"F1","tx_hosts":["192.0.2.1"]})", "x"), Format::kZeekJson);
  EXPECT_EQ(DetectFormat(R"({"client":"10.0.0.1","name":"a.example"})", "x"), Format::kNdjson);
  EXPECT_EQ(DetectFormat("ts,client,domain\n1,2,3\n", "export.txt"), Format::kCsv);
  EXPECT_EQ(DetectFormat("a;b;c\n", "export.CSV.gz"), Format::kCsv);
  EXPECT_EQ(DetectFormat("Jan 1 host sshd: connection from 192.0.2.1, port 22\n", "auth.log"),
            Format::kText);
  EXPECT_EQ(DetectFormat("", ""), Format::kText);
}

// A sensor's log copied while written (its first line cut) or left behind
// NULs by a copytruncate rotation is still read as what it is.
TEST(DetectFormatTest, ABrokenFirstLineOrLeadingNulsDoNotMakeASensorLogText) {
  const std::string eve = R"({"timestamp":"t","event_type":"dns","src_ip":"10.0.0.1"})" "\n";
  EXPECT_EQ(DetectFormat(R"(_ip":"10.0.0.9","event_type":"flow"})" "\n" + eve, "eve.json"), Format::kSuricata);
  EXPECT_EQ(DetectFormat(std::string(4096, '\0') + eve, "eve.json"), Format::kSuricata);
  EXPECT_EQ(DetectFormat("h\":1.5}\n" R"({"ts":1.5,"id.orig_h":"10.0.0.1"})" "\n", "x"), Format::kZeekJson);
  // Free text with a JSON line further down stays text.
  EXPECT_EQ(DetectFormat("Jan 1 host app: started\n{\"msg\":\"hello\"}\n", "app.log"), Format::kText);
}

TEST(DetectFormatTest, AutoReadUsesTheDetectedFormat) {
  auto result = ReadBytes("eve.json", R"({"event_type":"tls","tls":{"sni":"c2.example"}})" "\n");
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kSuricata);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "c2.example"));
}

TEST(FieldMappingTest, ParsesFieldsAndRoles) {
  auto mapping = ParseFieldMapping(" query=domain, client = victim,ts=TIME,dns.answers=ip ");
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  ASSERT_EQ(mapping->size(), 4u);
  EXPECT_EQ((*mapping)[0].field, "query");
  EXPECT_EQ((*mapping)[0].role, "domain");
  EXPECT_EQ((*mapping)[1].field, "client");
  EXPECT_EQ((*mapping)[1].role, "victim");
  EXPECT_EQ((*mapping)[2].role, "time");
  EXPECT_EQ((*mapping)[3].field, "dns.answers");
  EXPECT_TRUE(ParseFieldMapping("")->empty());
}

TEST(FieldMappingTest, ErrorsNameTheBadPart) {
  auto no_equals = ParseFieldMapping("query=domain,client");
  ASSERT_FALSE(no_equals.ok());
  EXPECT_EQ(no_equals.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(no_equals.status().message().find("'client'"), std::string::npos);

  auto bad_role = ParseFieldMapping("query=domian");
  ASSERT_FALSE(bad_role.ok());
  EXPECT_NE(bad_role.status().message().find("domian"), std::string::npos);

  auto empty_part = ParseFieldMapping("query=domain,,ts=time");
  ASSERT_FALSE(empty_part.ok());
  EXPECT_NE(empty_part.status().message().find("part 2"), std::string::npos);

  auto no_field = ParseFieldMapping("=domain");
  ASSERT_FALSE(no_field.ok());
  EXPECT_NE(no_field.status().message().find("no field"), std::string::npos);
}

TEST(FieldMappingTest, UnknownRoleInOptionsFailsTheRead) {
  auto result = ReadBytes("x.json", "{}\n", WithFormat(Format::kNdjson, {{"a", "bogus"}}));
  EXPECT_EQ(result.status.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(result.status.message().find("bogus"), std::string::npos);
}

// ---- Text scanner -------------------------------------------------------

TEST(TextScannerTest, FindsIpv4AndRejectsNearMisses) {
  auto found = Scan("from 192.0.2.1, to 198.51.100.7:8080 not 256.1.1.1 nor 1.2.3.4.5 nor 01.2.3.4");
  EXPECT_TRUE(Contains(found, T::kIpv4, "192.0.2.1"));
  EXPECT_TRUE(Contains(found, T::kIpv4, "198.51.100.7"));
  EXPECT_EQ(found.size(), 2u);
}

TEST(TextScannerTest, FindsIpv6InItsWrittenForms) {
  auto found = Scan(
      "a 2001:0db8:0000:0000:0000:ff00:0042:8329 b 2001:db8::1 c ::1 d fe80::1%eth0 "
      "e [2001:db8::2]:443 f ::ffff:192.0.2.9 g 2001:db8::3. h 2001:db8::");
  EXPECT_TRUE(Contains(found, T::kIpv6, "2001:0db8:0000:0000:0000:ff00:0042:8329"));
  EXPECT_TRUE(Contains(found, T::kIpv6, "2001:db8::1"));
  EXPECT_TRUE(Contains(found, T::kIpv6, "::1"));
  EXPECT_TRUE(Contains(found, T::kIpv6, "fe80::1"));
  EXPECT_TRUE(Contains(found, T::kIpv6, "2001:db8::2"));
  EXPECT_TRUE(Contains(found, T::kIpv6, "::ffff:192.0.2.9"));
  EXPECT_TRUE(Contains(found, T::kIpv6, "2001:db8::3"));
  EXPECT_TRUE(Contains(found, T::kIpv6, "2001:db8::"));
  EXPECT_EQ(found.size(), 8u);
}

TEST(TextScannerTest, TimesMacAddressesAndCodeAreNotIpv6) {
  auto found = Scan("at 12:30:45 mac 00:11:22:33:44:55 std::string 1:2:3:4:5:6:7:8:9 1::2::3");
  EXPECT_TRUE(found.empty()) << found.size() << " " << (found.empty() ? "" : found[0].value);
}

TEST(TextScannerTest, UrlWithPortAndQueryAndItsHost) {
  auto found = Scan("GET https://evil.example:8443/dl/x.php?id=7&t=a%20b HTTP/1.1");
  EXPECT_TRUE(Contains(found, T::kUrl, "https://evil.example:8443/dl/x.php?id=7&t=a%20b"));
  EXPECT_TRUE(Contains(found, T::kDomain, "evil.example"));
  EXPECT_EQ(found.size(), 2u);
}

TEST(TextScannerTest, UrlLosesTrailingPunctuationAndUnbalancedBrackets) {
  auto found = Scan("(see http://a.example/x_(y)), then hxxp://192.0.2.5/p. Or ftp://[2001:db8::5]/f;");
  EXPECT_TRUE(Contains(found, T::kUrl, "http://a.example/x_(y)"));
  EXPECT_TRUE(Contains(found, T::kUrl, "hxxp://192.0.2.5/p"));
  EXPECT_TRUE(Contains(found, T::kIpv4, "192.0.2.5"));
  EXPECT_TRUE(Contains(found, T::kUrl, "ftp://[2001:db8::5]/f"));
  EXPECT_TRUE(Contains(found, T::kIpv6, "2001:db8::5"));
}

// Reports defang what they quote; an analyst pasting one into a log or a
// ticket still means the value. Candidates are the text as written (the
// matcher refangs them); a bracket that defangs nothing splits as before.
TEST(TextScannerTest, DefangedDomainsAddressesAndUrlHostsAreFound) {
  auto found = Scan("seen hxxp://evil[.]example/zzz and cookiesdough[.]tk, "
                    "C2 194[.]169[.]175[.]128:443 (.)x [a] list[0].name");
  EXPECT_TRUE(Contains(found, T::kUrl, "hxxp://evil[.]example/zzz"));
  EXPECT_TRUE(Contains(found, T::kDomain, "evil[.]example"));
  EXPECT_TRUE(Contains(found, T::kDomain, "cookiesdough[.]tk"));
  EXPECT_TRUE(Contains(found, T::kIpv4, "194[.]169[.]175[.]128"));
  EXPECT_EQ(found.size(), 4u);
}

TEST(TextScannerTest, HashesOfEachLengthAtWordBoundaries) {
  std::string md5(32, 'a'), sha1(40, 'B'), sha256(64, '0');
  sha256[10] = 'f';
  std::string hex63(63, 'c'), hex65(65, 'd');
  auto found = Scan("md5=" + md5 + " sha1:" + sha1 + " (" + sha256 + ") " + hex63 + " " + hex65 +
                    " x" + md5 + " " + md5 + "_tmp");
  EXPECT_TRUE(Contains(found, T::kMd5, md5));
  EXPECT_TRUE(Contains(found, T::kSha1, sha1));
  EXPECT_TRUE(Contains(found, T::kSha256, sha256));
  EXPECT_EQ(found.size(), 3u);
}

TEST(TextScannerTest, SixtyThreeHexDigitsAreNoHash) {
  EXPECT_TRUE(Scan(std::string(63, 'e')).empty());
}

TEST(TextScannerTest, DomainIsMatchedWholeNotBySuffix) {
  auto found = Scan("query notevil.example from host");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].value, "notevil.example");
  EXPECT_EQ(found[0].type, T::kDomain);
}

TEST(TextScannerTest, DomainLosesTrailingDotsAndPunctuation) {
  auto found = Scan("resolved evil.example. and \"c2.example.org\", (x.example);");
  EXPECT_TRUE(Contains(found, T::kDomain, "evil.example"));
  EXPECT_TRUE(Contains(found, T::kDomain, "c2.example.org"));
  EXPECT_TRUE(Contains(found, T::kDomain, "x.example"));
  EXPECT_EQ(found.size(), 3u);
}

TEST(TextScannerTest, FileNamesVersionsAndIdentifiersAreNoDomains) {
  auto found = Scan("wrote a.txt and setup.exe, x.tar.gz, v1.2, e.g. Mr.Smith java.lang.String");
  EXPECT_TRUE(found.empty()) << found.size() << " " << (found.empty() ? "" : found[0].value);
  // Real TLDs that are also extensions stay domains.
  EXPECT_TRUE(Contains(Scan("get invoice.zip now"), T::kDomain, "invoice.zip"));
}

// Names beyond ASCII are one token (the matcher's IDNA gives their stored
// form): "bücher.example" never yields "cher.example", which could be
// somebody's indicator. Typographic quotes, dashes and guillemets still
// separate, as their ASCII counterparts do.
TEST(TextScannerTest, InternationalizedNamesAreOneTokenAndTypographicPunctuationSeparates) {
  auto found = Scan(
      "Bestellung bei bücher.example und Straße.example, Grüße; siehe “evil.example” – "
      "«c2.example» und http://münchen.example/pfad” sowie пример.рф");
  EXPECT_TRUE(Contains(found, T::kDomain, "bücher.example"));
  EXPECT_TRUE(Contains(found, T::kDomain, "Straße.example"));
  EXPECT_TRUE(Contains(found, T::kDomain, "evil.example"));
  EXPECT_TRUE(Contains(found, T::kDomain, "c2.example"));
  EXPECT_TRUE(Contains(found, T::kUrl, "http://münchen.example/pfad"));
  EXPECT_TRUE(Contains(found, T::kDomain, "münchen.example"));
  EXPECT_TRUE(Contains(found, T::kDomain, "пример.рф"));
  EXPECT_FALSE(Contains(found, T::kDomain, "cher.example"));
  EXPECT_FALSE(Contains(found, T::kDomain, "e.example"));
  EXPECT_EQ(found.size(), 7u);
  // Bytes that are no UTF-8 (a Latin-1 log) end a token as before, but not
  // a URL.
  EXPECT_TRUE(Contains(Scan("caf\xe9 evil.example\xa0" "done"), T::kDomain, "evil.example"));
  EXPECT_TRUE(Contains(Scan("GET http://evil.example/caf\xe9.php 200"), T::kUrl, "http://evil.example/caf\xe9.php"));
}

// Scripts written without spaces, symbols and emoji are no part of a name:
// the ASCII name they touch is still found; a soft hyphen (which IDNA
// drops) joins; a local part beyond ASCII is not cut into another address.
TEST(TextScannerTest, CjkTextSymbolsAndEmojiDoNotGlueOntoANameOrCutAnAddress) {
  for (const std::string line : {"访问evil.example失败", "evil.exampleにアクセス", "evil.example🔥 beacon",
                                  "see evil.example™ now", "‹evil.example›"}) {
    auto found = Scan(line);
    EXPECT_TRUE(Contains(found, T::kDomain, "evil.example")) << line;
    EXPECT_EQ(found.size(), 1u) << line;
  }
  EXPECT_TRUE(Contains(Scan("bü\u00ADcher.example"), T::kDomain, "bü\u00ADcher.example"));
  auto mail = Scan("from jürgen@evil.example and ann@evil.example");
  EXPECT_FALSE(Contains(mail, T::kEmail, "rgen@evil.example"));
  EXPECT_TRUE(Contains(mail, T::kEmail, "ann@evil.example"));
  EXPECT_TRUE(Contains(mail, T::kDomain, "evil.example"));
}

TEST(TextScannerTest, EmailYieldsAddressAndDomainNotLocalPart) {
  auto found = Scan("from <john.doe@mail.example>");
  EXPECT_TRUE(Contains(found, T::kEmail, "john.doe@mail.example"));
  EXPECT_TRUE(Contains(found, T::kDomain, "mail.example"));
  EXPECT_EQ(found.size(), 2u);
}

TEST(TextReaderTest, EachNonBlankLineIsARecordWithPositions) {
  auto result = ReadBytes("app.log", "first 192.0.2.1\r\n\nno indicators\nlast evil.example",
                          WithFormat(Format::kText));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0].line, 1);
  EXPECT_EQ(result.records[0].offset, 0);
  EXPECT_EQ(result.records[0].kind, "text");
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.1", ""));
  EXPECT_TRUE(result.records[1].candidates.empty());
  EXPECT_EQ(result.records[2].line, 4);
  EXPECT_EQ(result.records[2].offset, 32);
  EXPECT_TRUE(result.records[2].Has(T::kDomain, "evil.example"));
  EXPECT_EQ(result.stats.records, 3);
  EXPECT_EQ(result.stats.bytes, 49);
}

// ---- NDJSON -------------------------------------------------------------

TEST(NdjsonTest, MappedNestedAndDottedFieldsGiveCandidatesVictimAndTime) {
  auto mapping = ParseFieldMapping(
      "dns.rrname=domain,id.orig_h=victim,when=time,dns.answers=ip,file.hash=hash,link=url");
  ASSERT_TRUE(mapping.ok());
  std::string line = R"({"when":1700000000.25,"dns":{"rrname":"c2.ex\u0061mple","answers":)"
                     R"(["192.0.2.7","2001:db8::7"]},"other":"ignored.example",)"
                     R"("file":{"hash":")" + std::string(40, 'a') + R"("},"link":"http://x.example/",)"
                     R"("id.orig_h":"10.0.0.5"})";
  auto result = ReadBytes("s.json", line + "\n", WithFormat(Format::kNdjson, *mapping));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  EXPECT_EQ(r.kind, "ndjson");
  EXPECT_EQ(r.timestamp, "1700000000.25");
  EXPECT_TRUE(r.Has(T::kDomain, "c2.example", "10.0.0.5"));
  EXPECT_TRUE(r.Has(T::kIpv4, "192.0.2.7", "10.0.0.5"));
  EXPECT_TRUE(r.Has(T::kIpv6, "2001:db8::7", "10.0.0.5"));
  EXPECT_TRUE(r.Has(T::kSha1, std::string(40, 'a'), "10.0.0.5"));
  EXPECT_TRUE(r.Has(T::kUrl, "http://x.example/", "10.0.0.5"));
  // A URL's host is looked up too, as the text scanner's URLs are.
  EXPECT_TRUE(r.Has(T::kDomain, "x.example", "10.0.0.5"));
  EXPECT_EQ(r.candidates.size(), 6u);
}

// A DNS query for an IP literal, or a proxy's host field holding an
// address: looked up as the address, not as a name that never matches.
TEST(NdjsonTest, AnAddressInADomainFieldIsLookedUpAsTheAddress) {
  auto result = ReadBytes("q.json",
                          R"({"query":"203.0.113.10","client":"10.0.0.5"})" "\n"
                          R"({"query":"2001:db8::10","client":"10.0.0.5"})" "\n"
                          R"({"query":"host-10.example","client":"10.0.0.5"})" "\n",
                          WithFormat(Format::kNdjson, {{"query", "domain"}, {"client", "victim"}}));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "203.0.113.10", "10.0.0.5"));
  EXPECT_TRUE(result.records[1].Has(T::kIpv6, "2001:db8::10", "10.0.0.5"));
  EXPECT_TRUE(result.records[2].Has(T::kDomain, "host-10.example", "10.0.0.5"));
}

// A proxy's JSON with an "event_type" looks like Suricata's, but the user
// gave a mapping: the lines are read through it.
TEST(NdjsonTest, AMappingMakesDetectedSuricataLikeLinesMappedNdjson) {
  auto result = ReadBytes("c.json",
                          R"({"event_type":"proxy","user_ip":"10.0.0.9","dest_host":"evil.example"})" "\n",
                          WithFormat(Format::kAuto, {{"dest_host", "domain"}, {"user_ip", "victim"}}));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kNdjson);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "evil.example", "10.0.0.9"));
  // An eve.json in the same run, whose keys the mapping does not name, is
  // still read as Suricata's.
  auto eve = ReadBytes("eve.json", R"({"event_type":"dns","src_ip":"10.0.0.5","dns":{"rrname":"c2.example"}})" "\n",
                       WithFormat(Format::kAuto, {{"dest_host", "domain"}, {"user_ip", "victim"}}));
  EXPECT_EQ(eve.stats.format, Format::kSuricata);
  ASSERT_EQ(eve.records.size(), 1u);
  EXPECT_TRUE(eve.records[0].Has(T::kDomain, "c2.example", "10.0.0.5"));
}

TEST(NdjsonTest, EscapedKeysMatchTheMappingLikePlainOnes) {
  auto result = ReadBytes("s.json",
                          R"({"qu\u0065ry":"a.example","cl\"ient":"x","client":"10.0.0.3"})" "\n",
                          WithFormat(Format::kNdjson, {{"query", "domain"}, {"client", "victim"}}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "a.example", "10.0.0.3"));
  EXPECT_EQ(result.records[0].candidates.size(), 1u);
}

TEST(NdjsonTest, NestedIdObjectMatchesADottedPath) {
  auto result = ReadBytes("s.json", R"({"id":{"orig_h":"10.0.0.9"},"q":"a.example"})" "\n",
                          WithFormat(Format::kNdjson, {{"id.orig_h", "victim"}, {"q", "auto"}}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "a.example", "10.0.0.9"));
}

TEST(NdjsonTest, WithoutMappingEveryStringValueIsScanned) {
  auto result = ReadBytes(
      "s.json",
      R"({"msg":"beacon to evil.example","n":3,"nested":{"list":["192.0.2.44",{"u":"https://x.example/a"}]},"evil2.example":1})"
      "\n",
      WithFormat(Format::kNdjson));
  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  EXPECT_TRUE(r.Has(T::kDomain, "evil.example", ""));
  EXPECT_TRUE(r.Has(T::kIpv4, "192.0.2.44"));
  EXPECT_TRUE(r.Has(T::kUrl, "https://x.example/a"));
  EXPECT_FALSE(r.Has(T::kDomain, "evil2.example"));  // keys are not scanned
}

TEST(NdjsonTest, WithoutMappingTopLevelClientAndTimeKeysGiveTheVictimAndTime) {
  auto result = ReadBytes(
      "s.json",
      R"({"query":"lookup evil.example","Client":"10.0.0.5","ts":"2026-11-30T10:00:00Z"})" "\n"
      R"({"ts":1700000000.5,"src":"10.0.0.6","msg":"to 192.0.2.44"})" "\n"
      R"({"nested":{"client":"10.0.0.7","time":"x"},"msg":"bad.example"})" "\n"
      R"({"@timestamp":"2026-11-30T11:00:00Z","client":"10.0.0.8","msg":"x"})" "\n",
      WithFormat(Format::kNdjson));
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_EQ(result.records[3].timestamp, "2026-11-30T11:00:00Z");  // Elastic's ECS time key
  EXPECT_EQ(result.records[0].timestamp, "2026-11-30T10:00:00Z");
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "evil.example", "10.0.0.5"));
  EXPECT_EQ(result.records[1].timestamp, "1700000000.5");
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "192.0.2.44", "10.0.0.6"));
  // The named values are still scanned: an indicator there is still found.
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "10.0.0.6", "10.0.0.6"));
  // Only top-level keys name the record's victim and time.
  EXPECT_TRUE(result.records[2].timestamp.empty());
  EXPECT_TRUE(result.records[2].Has(T::kDomain, "bad.example", ""));
}

TEST(NdjsonTest, InvalidLinesAreReportedAndLaterLinesStillRead) {
  std::string input =
      "{\"m\":\"one.example\"}\n"
      "{\"m\":\"unclosed}\n"
      "not json at all\n"
      "{\"m\": tru}\n"
      "{\"m\":\"two.example\"} trailing\n"
      "\n"
      "{\"m\":\"three.example\"}\n";
  auto result = ReadBytes("s.json", input, WithFormat(Format::kNdjson));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "one.example"));
  EXPECT_EQ(result.records[1].line, 7);
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "three.example"));
  ASSERT_EQ(result.malformed.size(), 4u);
  EXPECT_EQ(result.malformed[0].line, 2);
  EXPECT_EQ(result.malformed[0].offset, 20);
  EXPECT_EQ(result.malformed[0].source, "s.json");
  EXPECT_NE(result.malformed[0].reason.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(result.malformed[1].line, 3);
  EXPECT_EQ(result.malformed[2].line, 4);
  EXPECT_EQ(result.malformed[3].line, 5);
  EXPECT_EQ(result.stats.malformed, 4);
  EXPECT_EQ(result.stats.records, 2);
}

// ---- Streams ------------------------------------------------------------

TEST(StreamTest, GzipInputIsReadAndDetected) {
  testing::TempDir dir;
  std::string path = dir.Join("eve.json");
  std::string body;
  for (int i = 0; i < 2000; ++i) {
    body += R"({"event_type":"dns","src_ip":"10.0.0.1","dns":{"rrname":"host)" + std::to_string(i) +
            R"(.example"}})" "\n";
  }
  testing::WriteFile(path, body);
  ASSERT_EQ(std::system(("gzip -n -f " + path).c_str()), 0);
  auto in = OpenInput(path + ".gz");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  Collector collector;
  ReadStats stats;
  ASSERT_TRUE(ReadTelemetry(**in, {}, collector, &stats).ok());
  EXPECT_EQ(stats.format, Format::kSuricata);
  EXPECT_EQ(stats.records, 2000);
  EXPECT_EQ(stats.bytes, static_cast<int64_t>(body.size()));
  ASSERT_EQ(collector.records.size(), 2000u);
  EXPECT_TRUE(collector.records[1999].Has(T::kDomain, "host1999.example", "10.0.0.1"));
}

TEST(StreamTest, OverLongLinesAreMalformedAndSkipped) {
  ReaderOptions options = WithFormat(Format::kText);
  options.max_line_bytes = 100;
  // The second over-long line is larger than the read buffer, so it is
  // dropped while being read rather than found whole.
  std::string input = "a 192.0.2.1\n" + std::string(500, 'x') + "\nb 192.0.2.2\n" +
                      std::string(300000, 'y') + "\nc 192.0.2.3\n" + std::string(150, 'z');
  auto result = ReadBytes("big.log", input, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_TRUE(result.records[2].Has(T::kIpv4, "192.0.2.3"));
  EXPECT_EQ(result.records[2].line, 5);
  EXPECT_EQ(result.records[2].offset, 12 + 501 + 12 + 300001);
  ASSERT_EQ(result.malformed.size(), 3u);
  EXPECT_EQ(result.malformed[0].line, 2);
  EXPECT_EQ(result.malformed[0].offset, 12);
  EXPECT_NE(result.malformed[0].reason.find("500 bytes"), std::string::npos);
  EXPECT_EQ(result.malformed[1].line, 4);
  EXPECT_EQ(result.malformed[1].offset, 12 + 501 + 12);
  EXPECT_NE(result.malformed[1].reason.find("300000 bytes"), std::string::npos);
  EXPECT_EQ(result.malformed[2].line, 6);
}

TEST(StreamTest, HandlerErrorStopsTheRead) {
  auto in = OpenInputFromMemory("x.log", "1.2.3.4\n5.6.7.8\n9.9.9.9\n");
  ASSERT_TRUE(in.ok());
  Collector collector;
  collector.fail_after = 2;
  ReadStats stats;
  Status status = ReadTelemetry(**in, WithFormat(Format::kText), collector, &stats);
  EXPECT_EQ(status.code(), Status::Code::kInternal);
  EXPECT_EQ(collector.records.size(), 2u);
  EXPECT_EQ(stats.records, 2);
}

// Arbitrary bytes, seeded, through every reader: no crash, no hang, and every
// line (or JSON value) accounted for as a record, a skipped line or a
// malformed one.
TEST(StreamTest, RandomInputNeverBreaksAReader) {
  std::mt19937 rng(20240101);
  const std::string alphabet = "{}[]\":,.\\ \t\n#-abcdefxyz0123456789\x09\xff\xc3";
  const std::vector<std::string> seeds = {
      R"({"event_type":"dns","dns":{"queries":[{"rrname":"a.example"}]}})",
      "#separator \\x09\n#fields\tts\tquery\n1\ta.example\n", "domain,src\n\"a\"\"b\",c\n",
      R"({"_path":"dns","answers":["1.2.3.4"]})", "http://[::1]:80/ 1.2.3.4 ::ffff:1.2.3.4",
      "[{\"query\":\"a.example\"},\n {\"q\": \"\\\"}\"}]", "{\n\"dns\": {\"queries\": [{\"rrname\": \"b.example\"}]}\n}\n",
      "6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.1.6.7 5b47   Q [0001   D   NOERROR] A (3)abc(3)com(0)\n",
      "1700000000.123    456 10.0.0.5 TCP_MISS/200 1234 GET http://a.example/x - HIER_DIRECT/192.0.2.1 text/html\n",
      "date=2023-11-17 srcip=10.0.0.5 dstip=192.0.2.1 hostname=\"a.example\" url=\"/x\" msg=\"a \\\" b\"\n"};
  for (int round = 0; round < 300; ++round) {
    std::string input = seeds[static_cast<size_t>(round) % seeds.size()];
    int edits = static_cast<int>(rng() % 20);
    for (int edit = 0; edit < edits; ++edit) {
      size_t at = input.empty() ? 0 : rng() % input.size();
      input.insert(at, 1, alphabet[rng() % alphabet.size()]);
      if (rng() % 3 == 0 && !input.empty()) input.erase(rng() % input.size(), 1);
    }
    for (Format format : {Format::kAuto, Format::kText, Format::kNdjson, Format::kZeekTsv,
                          Format::kZeekJson, Format::kSuricata, Format::kCsv, Format::kWindowsDns,
                          Format::kSquid, Format::kKv}) {
      auto result = ReadBytes("fuzz", input, WithFormat(format, format == Format::kNdjson
                                                                    ? std::vector<FieldMapping>{{"dns.queries", "auto"}}
                                                                    : std::vector<FieldMapping>{}));
      // A stream error (a CSV header naming no column) stops early.
      if (result.status.ok()) {
        EXPECT_EQ(result.stats.bytes, static_cast<int64_t>(input.size()));
      }
      int64_t lines = std::count(input.begin(), input.end(), '\n') + 1;
      // A stream of JSON values may hold several on a line; each has a byte.
      const int64_t most = internal::StartsJsonValueStream(input)
                               ? std::max(lines, static_cast<int64_t>(input.size()))
                               : lines;
      EXPECT_LE(result.stats.records + result.stats.malformed, most);
    }
  }
}

// Keeps the views of every record that says they last until OnInputWait
// and checks them there against copies taken in OnRecord.
class ViewKeeper final : public RecordHandler {
 public:
  Status OnRecord(const Record& record) override {
    if (!record.views_last_until_input_wait) {
      ++copied;
      return Status::Ok();
    }
    ++kept;
    for (const Candidate& candidate : record.candidates) {
      views_.push_back({record.kind, record.timestamp, candidate.value, candidate.victim});
      copies_.push_back({std::string(record.kind), std::string(record.timestamp),
                         std::string(candidate.value), std::string(candidate.victim)});
    }
    return Status::Ok();
  }
  void OnMalformed(const Malformed&) override {}
  Status OnInputWait() override {
    for (size_t idx = 0; idx < views_.size(); ++idx) {
      for (size_t part = 0; part < 4; ++part) {
        EXPECT_EQ(std::string(views_[idx][part]), copies_[idx][part]);
      }
    }
    checked += views_.size();
    views_.clear();
    copies_.clear();
    return Status::Ok();
  }
  int64_t kept = 0, copied = 0;
  size_t checked = 0;

 private:
  std::vector<std::array<std::string_view, 4>> views_;
  std::vector<std::array<std::string, 4>> copies_;
};

// Several blocks of lines, so the reader moves partial lines down and
// reads over old ones: a record's views, when it says they last, must hold
// until the handler's OnInputWait.
TEST(TelemetryTest, ViewsSaidToLastHoldUntilOnInputWait) {
  std::string text;
  for (int line = 0; text.size() < 400000; ++line) {
    if (line % 50 == 0) {
      text += R"({"ts":"2026-01-01T00:00:00Z","client":"10.0.0.1","query":"esc\u0061ped.example"})";
    } else {
      text += R"({"ts":"2026-01-01T00:00:)" + std::to_string(line % 60) + R"(Z","client":"10.0.)" +
              std::to_string(line % 250) + R"(.1","query":")" + std::string(1 + line % 40, 'a') +
              std::to_string(line) + R"(.example"})";
    }
    text += "\n";
  }
  auto in = OpenInputFromMemory("views.ndjson", text);
  ASSERT_TRUE(in.ok());
  ViewKeeper keeper;
  ReaderOptions options =
      WithFormat(Format::kNdjson, {{"query", "domain"}, {"client", "victim"}, {"ts", "time"}});
  options.max_line_bytes = 4096;  // blocks of 64 KiB, the least
  ASSERT_TRUE(ReadTelemetry(**in, options, keeper, nullptr).ok());
  EXPECT_GT(keeper.kept, 0);
  EXPECT_GT(keeper.copied, 0);  // escaped lines go through simdjson: views die with OnRecord
  EXPECT_EQ(keeper.checked, static_cast<size_t>(keeper.kept));
}

}  // namespace
}  // namespace accord::telemetry
