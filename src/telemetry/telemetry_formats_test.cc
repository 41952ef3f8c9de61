// The telemetry readers for sensor logs: Zeek TSV and JSON, Suricata
// eve.json and CSV, on samples built here.
#include <gtest/gtest.h>

#include "telemetry/telemetry_testing.h"

namespace accord::telemetry {
namespace {

// ---- Zeek TSV -----------------------------------------------------------

std::string ZeekHeader(const std::string& path, const std::string& fields) {
  return "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t" +
         path + "\n#open\t2024-01-01-00-00-00\n#fields\t" + fields + "\n#types\tx\n";
}

TEST(ZeekTsvTest, DnsQueryAndAnswers) {
  std::string log = ZeekHeader("dns", "ts\tuid\tid.orig_h\tid.resp_h\tquery\tanswers") +
                    "1700000000.1\tC1\t10.0.0.5\t10.0.0.53\tc2.example\tcdn.example,192.0.2.8,TXT x\n"
                    "1700000000.2\tC2\t10.0.0.6\t10.0.0.53\tquiet.example\t-\n"
                    "#close\t2024-01-01-01-00-00\n";
  auto result = ReadBytes("dns.log", log);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kZeekTsv);
  ASSERT_EQ(result.records.size(), 2u);
  const auto& r = result.records[0];
  EXPECT_EQ(r.kind, "dns");
  EXPECT_EQ(r.timestamp, "1700000000.1");
  EXPECT_EQ(r.line, 9);
  EXPECT_TRUE(r.Has(T::kDomain, "c2.example", "10.0.0.5"));
  EXPECT_TRUE(r.Has(T::kDomain, "cdn.example", "10.0.0.5"));
  EXPECT_TRUE(r.Has(T::kIpv4, "192.0.2.8", "10.0.0.5"));
  EXPECT_EQ(r.candidates.size(), 3u);
  EXPECT_EQ(result.records[1].candidates.size(), 1u);
}

// Windows tools start files with a UTF-8 byte-order mark: the first record
// is still read, whatever the format.
TEST(TelemetryTest, AByteOrderMarkDoesNotCostTheFirstRecord) {
  const std::string bom = "\xEF\xBB\xBF";
  auto eve = ReadBytes("eve.json", bom + R"({"event_type":"dns","src_ip":"10.0.0.5","dns":{"rrname":"c2.example"}})" "\n");
  ASSERT_TRUE(eve.status.ok()) << eve.status.ToString();
  EXPECT_EQ(eve.stats.malformed, 0);
  ASSERT_EQ(eve.records.size(), 1u);
  EXPECT_TRUE(eve.records[0].Has(T::kDomain, "c2.example", "10.0.0.5"));
  auto zeek = ReadBytes("dns.log", bom + ZeekHeader("dns", "ts\tid.orig_h\tquery") + "1700000000.1\t10.0.0.5\tc2.example\n");
  ASSERT_TRUE(zeek.status.ok()) << zeek.status.ToString();
  EXPECT_EQ(zeek.stats.format, Format::kZeekTsv);
  EXPECT_EQ(zeek.stats.malformed, 0);
  ASSERT_EQ(zeek.records.size(), 1u);
}

TEST(ZeekTsvTest, ConnGivesBothEndsEachWithTheOtherAsVictim) {
  auto result = ReadBytes("conn.log", ZeekHeader("conn", "ts\tid.orig_h\tid.resp_h\tproto") +
                                          "1.0\t10.0.0.5\t2001:db8::9\ttcp\n");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kIpv6, "2001:db8::9", "10.0.0.5"));
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "10.0.0.5", "2001:db8::9"));
}

TEST(ZeekTsvTest, HttpRebuildsTheUrlAndSkipsUnsetFields) {
  auto result = ReadBytes(
      "http.log", ZeekHeader("http", "ts\tid.orig_h\thost\turi\tuser_agent") +
                      "1.0\t10.0.0.5\tdl.example\t/payload.bin?x=1\t(empty)\n"
                      "2.0\t10.0.0.6\t-\t/index.html\t-\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "dl.example", "10.0.0.5"));
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://dl.example/payload.bin?x=1", "10.0.0.5"));
  EXPECT_TRUE(result.records[1].candidates.empty());
}

// Zeek escapes bytes outside printable ASCII as \xHH (LogAscii's
// enable_utf_8=F, still set in many local.zeek files) and its separator
// wherever it appears: the URL matched is the one requested.
TEST(ZeekTsvTest, EscapedBytesInNamesAndUrlsAreDecoded) {
  auto result = ReadBytes("http.log", ZeekHeader("http", "ts\tid.orig_h\thost\turi") +
                                          "1.0\t10.0.0.5\tdl.example\t/get/\\xc3\\xa4.bin\n"
                                          "2.0\t10.0.0.6\tdl.example\t/x\\x41y\\xzz\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://dl.example/get/\xc3\xa4.bin", "10.0.0.5"));
  // A backslash not followed by two hex digits is itself.
  EXPECT_TRUE(result.records[1].Has(T::kUrl, "http://dl.example/xAy\\xzz", "10.0.0.6"));
}

TEST(ZeekTsvTest, FilesHashesWithTheReceiverAsVictim) {
  std::string sha256(64, 'f');
  auto result = ReadBytes("files.log", ZeekHeader("files", "ts\tfuid\ttx_hosts\trx_hosts\tmd5\tsha1\tsha256") +
                                           "1.0\tF1\t192.0.2.1\t10.0.0.5,10.0.0.6\t" +
                                           std::string(32, 'a') + "\t-\t" + sha256 + "\n");
  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  EXPECT_EQ(r.kind, "files");
  EXPECT_TRUE(r.Has(T::kMd5, std::string(32, 'a'), "10.0.0.5"));
  EXPECT_TRUE(r.Has(T::kSha256, sha256, "10.0.0.5"));
  EXPECT_EQ(r.candidates.size(), 2u);
}

// Zeek 5 and later: no tx/rx_hosts, the connection and is_orig instead. A
// download (F) reached the originator; an upload or an inbound mail (T) the
// responder.
TEST(ZeekTsvTest, FilesSinceZeek5NameTheReceiverByIsOrig) {
  auto result = ReadBytes("files.log", ZeekHeader("files", "ts\tfuid\tid.orig_h\tid.resp_h\tis_orig\tmd5") +
                                           "1.0\tF1\t10.0.0.5\t192.0.2.1\tF\t" + std::string(32, 'a') + "\n" +
                                           "2.0\tF2\t203.0.113.25\t10.0.0.25\tT\t" + std::string(32, 'b') + "\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kMd5, std::string(32, 'a'), "10.0.0.5"));
  EXPECT_TRUE(result.records[1].Has(T::kMd5, std::string(32, 'b'), "10.0.0.25"));
  auto json_log = ReadBytes("files.json", R"({"_path":"files","fuid":"F3","id.orig_h":"203.0.113.25","id.resp_h":"10.0.0.26","is_orig":true,"sha1":")" +
                                              std::string(40, 'c') + "\"}\n");
  ASSERT_EQ(json_log.records.size(), 1u);
  EXPECT_TRUE(json_log.records[0].Has(T::kSha1, std::string(40, 'c'), "10.0.0.26"));
}

// Both ends of a TLS connection are looked up, as in conn.log: a listed
// client of one of our TLS servers has that server as its victim.
TEST(ZeekTsvTest, SslServerNameAndBothEnds) {
  auto result = ReadBytes("ssl.log", ZeekHeader("ssl", "ts\tid.orig_h\tid.resp_h\tserver_name") +
                                         "1.0\t10.0.0.5\t192.0.2.77\tc2.example\n");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "c2.example", "10.0.0.5"));
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.77", "10.0.0.5"));
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "10.0.0.5", "192.0.2.77"));
}

TEST(ZeekTsvTest, WrongFieldCountIsMalformedAndReadingGoesOn) {
  std::string log = ZeekHeader("conn", "ts\tid.orig_h\tid.resp_h\tproto") +
                    "1.0\t10.0.0.5\t192.0.2.1\n"
                    "2.0\t10.0.0.5\t192.0.2.2\ttcp\textra\n"
                    "3.0\t10.0.0.5\t192.0.2.3\ttcp\n";
  auto result = ReadBytes("conn.log", log);
  ASSERT_EQ(result.malformed.size(), 2u);
  EXPECT_EQ(result.malformed[0].line, 9);
  EXPECT_EQ(result.malformed[0].reason, "3 fields, header has 4");
  EXPECT_EQ(result.malformed[1].line, 10);
  EXPECT_EQ(result.malformed[1].reason, "5 fields, header has 4");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].line, 11);
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.3"));
}

TEST(ZeekTsvTest, DataBeforeTheFieldsHeaderIsMalformed) {
  auto result = ReadBytes("x.log", "1.0\t10.0.0.5\n", WithFormat(Format::kZeekTsv));
  ASSERT_EQ(result.malformed.size(), 1u);
  EXPECT_NE(result.malformed[0].reason.find("#fields"), std::string::npos);
}

TEST(ZeekTsvTest, LogWithoutPathIsInferredFromItsFields) {
  auto result = ReadBytes("x.log", "#separator \\x09\n#fields\tts\tid.orig_h\tquery\n1.0\t10.0.0.1\tq.example\n");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].kind, "dns");
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "q.example", "10.0.0.1"));
}

// Logs split or renamed by a filter's path_func keep their kind: by the
// name before the suffix, else by their fields.
TEST(ZeekTsvTest, ALogSplitByAPathFuncIsReadAsTheLogItComesFrom) {
  auto split = ReadBytes("dns_red.log", "#separator \\x09\n#path\tdns_red\n#fields\tts\tid.orig_h\tquery\n"
                                        "1.0\t10.0.0.1\tq.example\n");
  ASSERT_EQ(split.records.size(), 1u);
  EXPECT_EQ(split.records[0].kind, "dns_red");
  EXPECT_TRUE(split.records[0].Has(T::kDomain, "q.example", "10.0.0.1"));
  auto renamed = ReadBytes("z.log", R"({"_path":"local_lookups","ts":1.5,"id.orig_h":"10.0.0.5","query":"c2.example"})" "\n");
  ASSERT_EQ(renamed.records.size(), 1u);
  EXPECT_EQ(renamed.records[0].kind, "local_lookups");
  EXPECT_TRUE(renamed.records[0].Has(T::kDomain, "c2.example", "10.0.0.5"));
}

// ---- Zeek JSON ----------------------------------------------------------

TEST(ZeekJsonTest, PathGivenOrInferredFromKeys) {
  std::string input =
      R"({"_path":"ssl","ts":"2024-01-01T00:00:00Z","id.orig_h":"10.0.0.5","id.resp_h":"192.0.2.9","server_name":"tls.example"})" "\n"
      R"({"ts":1.5,"id.orig_h":"10.0.0.5","query":"c2.example","answers":["192.0.2.10","alias.example"]})" "\n"
      R"({"ts":2.5,"id.orig_h":"10.0.0.5","host":"h.example","uri":"/x"})" "\n"
      R"({"ts":3.5,"fuid":"F1","rx_hosts":["10.0.0.7"],"sha256":")" + std::string(64, '1') + R"("})" "\n"
      R"({"ts":4.5,"id.orig_h":"10.0.0.5","id.resp_h":"192.0.2.11","conn_state":"SF"})" "\n";
  auto result = ReadBytes("zeek.json", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kZeekJson);
  ASSERT_EQ(result.records.size(), 5u);
  EXPECT_EQ(result.records[0].kind, "ssl");
  EXPECT_EQ(result.records[0].timestamp, "2024-01-01T00:00:00Z");
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "tls.example", "10.0.0.5"));
  EXPECT_EQ(result.records[1].kind, "dns");
  EXPECT_EQ(result.records[1].timestamp, "1.5");
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "192.0.2.10", "10.0.0.5"));
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "alias.example", "10.0.0.5"));
  EXPECT_EQ(result.records[2].kind, "http");
  EXPECT_TRUE(result.records[2].Has(T::kUrl, "http://h.example/x", "10.0.0.5"));
  EXPECT_EQ(result.records[3].kind, "files");
  EXPECT_TRUE(result.records[3].Has(T::kSha256, std::string(64, '1'), "10.0.0.7"));
  EXPECT_EQ(result.records[4].kind, "conn");
  EXPECT_TRUE(result.records[4].Has(T::kIpv4, "192.0.2.11", "10.0.0.5"));
  EXPECT_TRUE(result.records[4].Has(T::kIpv4, "10.0.0.5", "192.0.2.11"));
}

// Zeek JSON has no _path: a line is told by its keys. ssl without a server
// name and dns without a query must still be read as ssl and dns.
TEST(ZeekJsonTest, SslWithoutServerNameIsStillSslAndGivesBothEnds) {
  std::string input =
      R"({"ts":1.5,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":49152,"id.resp_h":"192.0.2.40","id.resp_p":443,"version":"TLSv12","cipher":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256","resumed":false,"established":true})" "\n"
      R"({"ts":1.6,"uid":"C2","id.orig_h":"10.0.0.5","id.resp_h":"192.0.2.41","id.resp_p":443,"ssl_history":"CsiI"})" "\n";
  auto result = ReadBytes("zeek.json", input, WithFormat(Format::kZeekJson));
  ASSERT_EQ(result.records.size(), 2u);
  for (const auto& r : result.records) EXPECT_EQ(r.kind, "ssl");
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.40", "10.0.0.5"));
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "10.0.0.5", "192.0.2.40"));
  EXPECT_EQ(result.records[0].candidates.size(), 2u);
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "192.0.2.41", "10.0.0.5"));
}

TEST(ZeekJsonTest, DnsWithoutQueryIsDnsNotConn) {
  std::string input =
      R"({"ts":2.5,"uid":"C3","id.orig_h":"10.0.0.5","id.orig_p":53512,"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","trans_id":4242,"rcode":0,"rcode_name":"NOERROR","AA":false,"RD":true,"answers":["192.0.2.50"]})" "\n";
  auto result = ReadBytes("zeek.json", input, WithFormat(Format::kZeekJson));
  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  EXPECT_EQ(r.kind, "dns");
  EXPECT_TRUE(r.Has(T::kIpv4, "192.0.2.50", "10.0.0.5"));
  // conn would have looked up the resolver and named it the victim.
  EXPECT_FALSE(r.Has(T::kIpv4, "10.0.0.53"));
  EXPECT_EQ(r.candidates.size(), 1u);
}

TEST(ZeekJsonTest, HttpUrlOnANonDefaultPortCarriesIt) {
  std::string input =
      R"({"ts":3.5,"id.orig_h":"10.0.0.5","id.resp_h":"192.0.2.60","id.resp_p":8080,"method":"GET","host":"portbad.example","uri":"/c2/beacon.php"})" "\n"
      R"({"ts":3.6,"id.orig_h":"10.0.0.5","id.resp_h":"192.0.2.60","id.resp_p":80,"method":"GET","host":"plain.example","uri":"/x"})" "\n"
      R"({"ts":3.7,"id":{"orig_h":"10.0.0.5","resp_h":"192.0.2.60","resp_p":8443},"host":"nested.example","uri":"/y"})" "\n";
  auto result = ReadBytes("zeek.json", input, WithFormat(Format::kZeekJson));
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://portbad.example:8080/c2/beacon.php", "10.0.0.5"));
  EXPECT_FALSE(result.records[0].Has(T::kUrl, "http://portbad.example/c2/beacon.php"));
  EXPECT_TRUE(result.records[1].Has(T::kUrl, "http://plain.example/x", "10.0.0.5"));
  EXPECT_TRUE(result.records[2].Has(T::kUrl, "http://nested.example:8443/y", "10.0.0.5"));
}

TEST(ZeekJsonTest, IpLiteralHostsAndServerNamesAreAddresses) {
  std::string input =
      R"({"_path":"http","id.orig_h":"10.0.0.5","id.resp_h":"203.0.113.66","id.resp_p":80,"host":"203.0.113.66","uri":"/gate.php"})" "\n"
      R"({"_path":"ssl","id.orig_h":"10.0.0.5","id.resp_h":"203.0.113.67","server_name":"2001:db8::67"})" "\n"
      R"({"_path":"http","id.orig_h":"10.0.0.5","id.resp_h":"192.0.2.70","id.resp_p":3128,"method":"CONNECT","host":"evil.example:443","uri":"evil.example:443"})" "\n";
  auto result = ReadBytes("zeek.json", input, WithFormat(Format::kZeekJson));
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "203.0.113.66", "10.0.0.5"));
  EXPECT_FALSE(result.records[0].Has(T::kDomain, "203.0.113.66"));
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://203.0.113.66/gate.php", "10.0.0.5"));
  EXPECT_TRUE(result.records[1].Has(T::kIpv6, "2001:db8::67", "10.0.0.5"));
  EXPECT_FALSE(result.records[1].Has(T::kDomain, "2001:db8::67"));
  const auto& connect = result.records[2];
  EXPECT_TRUE(connect.Has(T::kDomain, "evil.example", "10.0.0.5"));
  for (const auto& c : connect.candidates) EXPECT_NE(c.type, T::kUrl) << c.value;
}

TEST(ZeekTsvTest, HttpUrlOnANonDefaultPortCarriesIt) {
  auto result = ReadBytes("http.log", ZeekHeader("http", "ts\tid.orig_h\tid.resp_h\tid.resp_p\thost\turi") +
                                          "1.0\t10.0.0.5\t192.0.2.60\t8080\tportbad.example\t/gate.php\n"
                                          "2.0\t10.0.0.5\t192.0.2.60\t80\tportbad.example\t/gate.php\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://portbad.example:8080/gate.php", "10.0.0.5"));
  EXPECT_FALSE(result.records[0].Has(T::kUrl, "http://portbad.example/gate.php"));
  EXPECT_TRUE(result.records[1].Has(T::kUrl, "http://portbad.example/gate.php", "10.0.0.5"));
}

// ---- Suricata -----------------------------------------------------------

TEST(SuricataTest, EventTypesYieldTheirCandidates) {
  std::string input =
      R"({"timestamp":"2024-01-01T00:00:00.1+0000","event_type":"dns","src_ip":"10.0.0.5","dest_ip":"10.0.0.53","dns":{"type":"query","rrname":"v2.example"}})" "\n"
      R"({"event_type":"dns","src_ip":"10.0.0.5","dns":{"version":3,"queries":[{"rrname":"v3.example"}],"answers":[{"rrname":"v3.example","rdata":"192.0.2.20"},{"rdata":"cname.example"}]}})" "\n"
      R"({"event_type":"http","src_ip":"10.0.0.5","dest_ip":"192.0.2.30","http":{"hostname":"web.example","url":"/a?b=c"}})" "\n"
      R"({"event_type":"tls","src_ip":"10.0.0.5","dest_ip":"192.0.2.31","tls":{"sni":"sni.example"}})" "\n"
      R"({"event_type":"flow","src_ip":"10.0.0.5","dest_ip":"192.0.2.32","flow":{"pkts_toserver":1}})" "\n"
      R"({"event_type":"fileinfo","src_ip":"192.0.2.33","dest_ip":"10.0.0.5","fileinfo":{"md5":")" + std::string(32, 'b') + R"("}})" "\n"
      R"({"event_type":"alert","src_ip":"10.0.0.5","dest_ip":"192.0.2.34","alert":{"signature":"evil.example seen"}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 7u);
  EXPECT_TRUE(result.malformed.empty());
  const auto& r = result.records;
  EXPECT_EQ(r[0].kind, "dns");
  EXPECT_EQ(r[0].timestamp, "2024-01-01T00:00:00.1+0000");
  EXPECT_TRUE(r[0].Has(T::kDomain, "v2.example", "10.0.0.5"));
  EXPECT_TRUE(r[1].Has(T::kDomain, "v3.example", "10.0.0.5"));
  EXPECT_TRUE(r[1].Has(T::kIpv4, "192.0.2.20", "10.0.0.5"));
  EXPECT_TRUE(r[1].Has(T::kDomain, "cname.example", "10.0.0.5"));
  EXPECT_EQ(r[1].candidates.size(), 3u);
  EXPECT_EQ(r[2].kind, "http");
  EXPECT_TRUE(r[2].Has(T::kDomain, "web.example", "10.0.0.5"));
  EXPECT_TRUE(r[2].Has(T::kUrl, "http://web.example/a?b=c", "10.0.0.5"));
  EXPECT_TRUE(r[3].Has(T::kDomain, "sni.example", "10.0.0.5"));
  EXPECT_EQ(r[4].kind, "flow");
  EXPECT_TRUE(r[4].Has(T::kIpv4, "192.0.2.32", "10.0.0.5"));
  EXPECT_TRUE(r[4].Has(T::kIpv4, "10.0.0.5", "192.0.2.32"));
  EXPECT_TRUE(r[5].Has(T::kMd5, std::string(32, 'b'), "10.0.0.5"));
  EXPECT_EQ(r[6].kind, "alert");
  // The addresses, not the signature's text.
  EXPECT_EQ(r[6].candidates.size(), 2u);
  EXPECT_TRUE(r[6].Has(T::kIpv4, "192.0.2.34", "10.0.0.5"));
  EXPECT_TRUE(r[6].Has(T::kIpv4, "10.0.0.5", "192.0.2.34"));
}

// abuse.ch's SSL Blacklist lists C2 certificates by SHA-1, which Suricata
// logs as tls.fingerprint in colon-separated pairs: matched as a sha1 of 40
// lower-case digits, with the client as the victim (also on an alert).
TEST(SuricataTest, ATlsCertificatesFingerprintIsASha1Candidate) {
  const std::string pairs = "4A:A3:66:0E:2F:95:5B:4C:AB:8D:8F:53:0F:C1:11:C2:3D:1A:7E:90";
  const std::string sha1 = "4aa3660e2f955b4cab8d8f530fc111c23d1a7e90";
  std::string input =
      R"({"event_type":"tls","src_ip":"10.0.0.5","dest_ip":"192.0.2.31","tls":{"sni":"sni.example","fingerprint":")" + pairs + R"("}})" "\n"
      R"({"event_type":"alert","src_ip":"192.0.2.51","dest_ip":"10.0.0.6","direction":"to_client","alert":{"signature_id":2},"tls":{"fingerprint":")" + pairs + R"("}})" "\n"
      R"({"event_type":"tls","src_ip":"10.0.0.5","dest_ip":"192.0.2.32","tls":{"fingerprint":"4a:a3:66"}})" "\n"
      R"({"event_type":"tls","src_ip":"10.0.0.5","dest_ip":"192.0.2.33","tls":{"fingerprint":")" + sha1 + R"(:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00"}})" "\n"
      R"({"event_type":"tls","src_ip":"10.0.0.5","dest_ip":"192.0.2.34","tls":{"fingerprint":"zz:a3:66:0e:2f:95:5b:4c:ab:8d:8f:53:0f:c1:11:c2:3d:1a:7e:90"}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 5u);
  EXPECT_TRUE(result.malformed.empty());
  const auto& r = result.records;
  EXPECT_TRUE(r[0].Has(T::kSha1, sha1, "10.0.0.5"));
  EXPECT_TRUE(r[0].Has(T::kDomain, "sni.example", "10.0.0.5"));
  EXPECT_TRUE(r[1].Has(T::kSha1, sha1, "10.0.0.6"));
  for (size_t i = 2; i < r.size(); ++i) {
    for (const auto& candidate : r[i].candidates) {
      EXPECT_NE(candidate.type, T::kSha1) << "line " << i + 1 << ": " << candidate.value;
    }
  }
}

// An eve.json of alerts alone is common. An alert carries the flow's
// app-layer metadata, and its src_ip is the triggering packet's source,
// which is the server for a rule on a response.
TEST(SuricataTest, AlertsGiveTheirAddressesAndMetadataWithTheFlowsClientAsVictim) {
  std::string input =
      R"({"event_type":"alert","src_ip":"10.0.0.5","src_port":50000,"dest_ip":"192.0.2.50","dest_port":8080,"direction":"to_server","alert":{"signature_id":1},"http":{"hostname":"web.example","url":"/gate.php"},"app_proto":"http"})" "\n"
      R"({"event_type":"alert","src_ip":"192.0.2.51","src_port":443,"dest_ip":"10.0.0.6","dest_port":50001,"direction":"to_client","alert":{"signature_id":2},"tls":{"sni":"sni.example"}})" "\n"
      R"({"event_type":"alert","src_ip":"192.0.2.52","dest_ip":"10.0.0.7","alert":{"signature_id":3},"flow":{"pkts_toserver":3,"src_ip":"10.0.0.7","dest_ip":"192.0.2.52"},"quic":{"sni":"quic.example"}})" "\n"
      R"({"event_type":"alert","src_ip":"10.0.0.8","src_port":40000,"dest_ip":"10.0.0.53","dest_port":53,"alert":{"signature_id":4},"dns":{"query":[{"type":"query","rrname":"dga.example","rrtype":"A"}]}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_TRUE(result.malformed.empty());
  const auto& r = result.records;
  EXPECT_TRUE(r[0].Has(T::kDomain, "web.example", "10.0.0.5"));
  EXPECT_TRUE(r[0].Has(T::kUrl, "http://web.example:8080/gate.php", "10.0.0.5"));
  EXPECT_TRUE(r[0].Has(T::kIpv4, "192.0.2.50", "10.0.0.5"));
  EXPECT_TRUE(r[1].Has(T::kDomain, "sni.example", "10.0.0.6"));
  EXPECT_TRUE(r[1].Has(T::kIpv4, "192.0.2.51", "10.0.0.6"));
  EXPECT_FALSE(r[1].Has(T::kIpv4, "10.0.0.6", "10.0.0.6"));
  EXPECT_TRUE(r[2].Has(T::kDomain, "quic.example", "10.0.0.7"));
  EXPECT_TRUE(r[2].Has(T::kIpv4, "192.0.2.52", "10.0.0.7"));
  EXPECT_TRUE(r[2].Has(T::kIpv4, "10.0.0.7", "192.0.2.52"));
  EXPECT_TRUE(r[3].Has(T::kDomain, "dga.example", "10.0.0.8"));
}

// Suricata 6 writes neither "direction" nor the flow's addresses: an alert
// on a response (src_port 80, dest_port ephemeral) names the server first,
// and the client is still the victim of its host name and address.
TEST(SuricataTest, AnAlertWithoutDirectionOnAResponseHasTheClientAsVictim) {
  std::string input =
      R"({"event_type":"alert","src_ip":"192.0.2.80","src_port":80,"dest_ip":"10.0.0.9","dest_port":47592,"proto":"TCP","alert":{"signature_id":2100498},"http":{"hostname":"nids.example","url":"/uid/index.html","http_port":80},"app_proto":"http"})" "\n"
      R"({"event_type":"alert","src_ip":"10.0.0.10","src_port":51000,"dest_ip":"192.0.2.81","dest_port":443,"alert":{"signature_id":5},"tls":{"sni":"c2.example"}})" "\n"
      R"({"event_type":"alert","src_ip":"10.0.0.11","src_port":2000,"dest_ip":"192.0.2.82","dest_port":3000,"alert":{"signature_id":6}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_EQ(result.records.size(), 3u);
  const auto& r = result.records;
  EXPECT_TRUE(r[0].Has(T::kDomain, "nids.example", "10.0.0.9"));
  EXPECT_TRUE(r[0].Has(T::kUrl, "http://nids.example/uid/index.html", "10.0.0.9"));
  EXPECT_TRUE(r[0].Has(T::kIpv4, "192.0.2.80", "10.0.0.9"));
  EXPECT_FALSE(r[0].Has(T::kDomain, "nids.example", "192.0.2.80"));
  EXPECT_TRUE(r[1].Has(T::kDomain, "c2.example", "10.0.0.10"));
  // Two ephemeral ports say nothing: src_ip stays the client.
  EXPECT_TRUE(r[2].Has(T::kIpv4, "192.0.2.82", "10.0.0.11"));
}

TEST(SuricataTest, QuicServerNamesAndNetflowAddressesAreRead) {
  std::string input =
      R"({"event_type":"quic","src_ip":"10.0.0.5","dest_ip":"192.0.2.60","quic":{"version":"1","sni":"h3.example"}})" "\n"
      R"({"event_type":"netflow","src_ip":"192.0.2.61","dest_ip":"10.0.0.9","netflow":{"pkts":4}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "h3.example", "10.0.0.5"));
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.60", "10.0.0.5"));
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "192.0.2.61", "10.0.0.9"));
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "10.0.0.9", "192.0.2.61"));
}

TEST(SuricataTest, EventWithoutTypeOrInvalidJsonIsMalformed) {
  auto result = ReadBytes("eve.json",
                          "{\"src_ip\":\"10.0.0.1\"}\n{\"event_type\":\"dns\",\"dns\":{\"rrname\":}\n"
                          "{\"event_type\":\"tls\",\"tls\":{\"sni\":\"ok.example\"}}\n",
                          WithFormat(Format::kSuricata));
  ASSERT_EQ(result.malformed.size(), 2u);
  EXPECT_NE(result.malformed[0].reason.find("event_type"), std::string::npos);
  EXPECT_EQ(result.malformed[1].line, 2);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "ok.example"));
}

// Suricata logs a DNS response with the reply packet's addresses: src_ip is
// the resolver and dest_ip the client that asked.
TEST(SuricataTest, DnsResponseNamesTheClientInDestIpAsVictim) {
  std::string input =
      R"({"event_type":"dns","src_ip":"10.0.0.5","dest_ip":"10.0.0.53","dns":{"type":"query","rrname":"q.example"}})" "\n"
      R"({"event_type":"dns","src_ip":"10.0.0.53","dest_ip":"10.0.0.5","dns":{"version":2,"type":"answer","rrname":"a2.example","answers":[{"rrname":"a2.example","rrtype":"A","rdata":"192.0.2.80"}]}})" "\n"
      R"({"event_type":"dns","src_ip":"10.0.0.53","dest_ip":"10.0.0.5","dns":{"version":3,"type":"response","queries":[{"rrname":"a3.example"}],"answers":[{"rrname":"a3.example","rdata":"192.0.2.81"}]}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "q.example", "10.0.0.5"));
  for (size_t record_idx = 1; record_idx < 3; ++record_idx) {
    const auto& r = result.records[record_idx];
    ASSERT_FALSE(r.candidates.empty());
    for (const auto& c : r.candidates) EXPECT_EQ(c.victim, "10.0.0.5") << c.value;
  }
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "a2.example", "10.0.0.5"));
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "192.0.2.80", "10.0.0.5"));
  EXPECT_TRUE(result.records[2].Has(T::kIpv4, "192.0.2.81", "10.0.0.5"));
}

// Suricata 5 to 7 log a v2 answer with the flow's addresses (src_ip the
// client, as real eve.json from those versions shows), and every version
// does so over TCP: the ports say which side asked.
TEST(SuricataTest, TheDnsPortsSayWhichSideIsTheClientWhateverTheVersion) {
  std::string input =
      R"({"event_type":"dns","src_ip":"192.168.1.114","src_port":38886,"dest_ip":"8.8.8.8","dest_port":53,"proto":"UDP","dns":{"version":2,"type":"answer","rrname":"api.example","answers":[{"rdata":"192.0.2.110"}]}})" "\n"
      R"({"event_type":"dns","src_ip":"8.8.4.4","src_port":53,"dest_ip":"192.168.1.7","dest_port":51000,"proto":"TCP","dns":{"version":3,"type":"response","queries":[{"rrname":"tcp.example"}]}})" "\n"
      R"({"event_type":"dns","src_ip":"192.168.1.8","src_port":5353,"dest_ip":"224.0.0.251","dest_port":5353,"dns":{"version":2,"type":"answer","rrname":"printer.local"}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "api.example", "192.168.1.114"));
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.110", "192.168.1.114"));
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "tcp.example", "192.168.1.7"));
  // Both sides on a DNS port: the answer's dest_ip, as before.
  EXPECT_TRUE(result.records[2].Has(T::kDomain, "printer.local", "224.0.0.251"));
}

// Suricata 7 writes each answer twice, in answers (with rdata) and grouped.
TEST(SuricataTest, V2AnswersAreCountedOnceAndGroupedAloneIsStillRead) {
  std::string input =
      R"({"event_type":"dns","src_ip":"10.0.0.53","dest_ip":"10.0.0.5","dns":{"version":2,"type":"answer","rrname":"b.example","answers":[{"rrtype":"CNAME","rdata":"alias.example"},{"rrtype":"A","rdata":"192.0.2.90"}],"grouped":{"CNAME":["alias.example"],"A":["192.0.2.90"]}}})" "\n"
      R"({"event_type":"dns","src_ip":"10.0.0.53","dest_ip":"10.0.0.5","dns":{"version":2,"type":"answer","rrname":"c.example","grouped":{"A":["192.0.2.91"]}}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].candidates.size(), 3u);  // b.example, alias.example, 192.0.2.90
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "alias.example", "10.0.0.5"));
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.90", "10.0.0.5"));
  EXPECT_EQ(result.records[1].candidates.size(), 2u);
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "192.0.2.91", "10.0.0.5"));
}

TEST(SuricataTest, HttpUrlTakesHttpPortElseDestPortUnless80) {
  std::string input =
      R"({"event_type":"http","src_ip":"10.0.0.5","dest_ip":"192.0.2.60","dest_port":8080,"http":{"hostname":"portbad.example","http_port":8080,"url":"/c2/beacon.php"}})" "\n"
      R"({"event_type":"http","src_ip":"10.0.0.5","dest_ip":"192.0.2.60","dest_port":8000,"http":{"hostname":"portbad.example","url":"/c2/beacon.php"}})" "\n"
      R"({"event_type":"http","src_ip":"10.0.0.5","dest_ip":"192.0.2.60","dest_port":80,"http":{"hostname":"portbad.example","url":"/c2/beacon.php"}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://portbad.example:8080/c2/beacon.php", "10.0.0.5"));
  EXPECT_FALSE(result.records[0].Has(T::kUrl, "http://portbad.example/c2/beacon.php"));
  EXPECT_TRUE(result.records[1].Has(T::kUrl, "http://portbad.example:8000/c2/beacon.php", "10.0.0.5"));
  EXPECT_TRUE(result.records[2].Has(T::kUrl, "http://portbad.example/c2/beacon.php", "10.0.0.5"));
}

TEST(SuricataTest, IpLiteralHostsAndSniAreAddressesAndConnectGivesNoUrl) {
  std::string input =
      R"({"event_type":"http","src_ip":"10.0.0.5","dest_ip":"203.0.113.66","dest_port":80,"http":{"hostname":"203.0.113.66","url":"/gate.php"}})" "\n"
      R"({"event_type":"tls","src_ip":"10.0.0.5","dest_ip":"203.0.113.67","tls":{"sni":"203.0.113.68"}})" "\n"
      R"({"event_type":"http","src_ip":"10.0.0.5","dest_ip":"192.0.2.50","dest_port":3128,"http":{"hostname":"evil.example","http_port":443,"url":"evil.example:443","http_method":"CONNECT"}})" "\n";
  auto result = ReadBytes("eve.json", input);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "203.0.113.66", "10.0.0.5"));
  EXPECT_FALSE(result.records[0].Has(T::kDomain, "203.0.113.66"));
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://203.0.113.66/gate.php", "10.0.0.5"));
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "203.0.113.68", "10.0.0.5"));
  EXPECT_FALSE(result.records[1].Has(T::kDomain, "203.0.113.68"));
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "203.0.113.67", "10.0.0.5"));
  const auto& connect = result.records[2];
  EXPECT_TRUE(connect.Has(T::kDomain, "evil.example", "10.0.0.5"));
  for (const auto& c : connect.candidates) EXPECT_NE(c.type, T::kUrl) << c.value;
}

// ---- CSV ----------------------------------------------------------------

TEST(CsvTest, ColumnsMappedByHeaderNamesWithQuotedFields) {
  std::string input =
      "\xEF\xBB\xBFTimestamp,Client,Query,note,URL\n"
      "2024-01-01,10.0.0.5,c2.example,\"a, b\",\"http://x.example/?q=\"\"1\"\"\"\n"
      "\n"
      "2024-01-02, 10.0.0.6 ,other.example,,\n";
  auto result = ReadBytes("dns.csv", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kCsv);
  ASSERT_EQ(result.records.size(), 2u);
  const auto& r = result.records[0];
  EXPECT_EQ(r.kind, "csv");
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.timestamp, "2024-01-01");
  EXPECT_TRUE(r.Has(T::kDomain, "c2.example", "10.0.0.5"));
  EXPECT_TRUE(r.Has(T::kUrl, "http://x.example/?q=\"1\"", "10.0.0.5"));
  // A proxy log's URL column also hits a domain indicator on its host.
  EXPECT_TRUE(r.Has(T::kDomain, "x.example", "10.0.0.5"));
  EXPECT_EQ(r.candidates.size(), 3u);
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "other.example", "10.0.0.6"));
}

TEST(CsvTest, MappingOverridesHeaderNames) {
  auto result = ReadBytes("x.csv", "who;what;sum\n10.0.0.5;192.0.2.1;" + std::string(64, 'c') + "\n",
                          WithFormat(Format::kCsv, {{"who", "victim"}, {"what", "ip"}, {"sum", "hash"}}));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.1", "10.0.0.5"));
  EXPECT_TRUE(result.records[0].Has(T::kSha256, std::string(64, 'c'), "10.0.0.5"));
}

TEST(CsvTest, BadQuotingIsMalformedAndLaterRowsAreRead) {
  std::string input =
      "domain,src\n"
      "\"unclosed.example,10.0.0.1\n"
      "\"a.example\"x,10.0.0.2\n"
      "good.example,10.0.0.3\n";
  auto result = ReadBytes("x.csv", input);
  ASSERT_EQ(result.malformed.size(), 2u);
  EXPECT_EQ(result.malformed[0].line, 2);
  EXPECT_NE(result.malformed[0].reason.find("unclosed quote"), std::string::npos);
  EXPECT_EQ(result.malformed[1].line, 3);
  EXPECT_NE(result.malformed[1].reason.find("closing quote"), std::string::npos);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "good.example", "10.0.0.3"));
}

// Read by position, a row wider or narrower than its header puts values
// under the wrong columns: malformed, with both widths.
TEST(CsvTest, ARowOfAnotherWidthThanTheHeaderIsMalformed) {
  std::string input =
      "ts,src,url,status\n"
      "2024-01-01,10.0.0.1\n"
      "2024-01-01,10.0.0.2,extra,http://late.example/x,200,more\n"
      "2024-01-01,10.0.0.3,http://good.example/x,200\n";
  auto result = ReadBytes("proxy.csv", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.malformed.size(), 2u);
  EXPECT_EQ(result.malformed[0].line, 2);
  EXPECT_EQ(result.malformed[0].reason, "2 fields, the header has 4");
  EXPECT_EQ(result.malformed[1].line, 3);
  EXPECT_EQ(result.malformed[1].reason, "6 fields, the header has 4");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://good.example/x", "10.0.0.3"));
}

TEST(CsvTest, HeaderWithoutKnownColumnsOrMissingMappedColumnFails) {
  auto unknown = ReadBytes("x.csv", "alpha,beta\n1,2\n", WithFormat(Format::kCsv));
  EXPECT_EQ(unknown.status.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(unknown.status.message().find("x.csv:1"), std::string::npos);

  auto missing = ReadBytes("x.csv", "alpha,beta\n1,2\n",
                           WithFormat(Format::kCsv, {{"gamma", "domain"}}));
  EXPECT_EQ(missing.status.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(missing.status.message().find("gamma"), std::string::npos);
}

// The reader sniffs tab and semicolon from the header; detection must too.
TEST(CsvTest, TabAndSemicolonSeparatedExportsWithAHeaderAreCsv) {
  auto tabs = ReadBytes("dns_export.tsv", "ts\tclient\tquery\n1714564800.1\t10.8.0.2\twww.evil.example\n");
  ASSERT_TRUE(tabs.status.ok()) << tabs.status.ToString();
  EXPECT_EQ(tabs.stats.format, Format::kCsv);
  ASSERT_EQ(tabs.records.size(), 1u);
  EXPECT_TRUE(tabs.records[0].Has(T::kDomain, "www.evil.example", "10.8.0.2"));
  EXPECT_EQ(tabs.records[0].timestamp, "1714564800.1");

  auto semicolons = ReadBytes("export.txt", "Time;Client;Domain\n2024-05-01;10.8.0.3;bad.example\n");
  EXPECT_EQ(semicolons.stats.format, Format::kCsv);
  ASSERT_EQ(semicolons.records.size(), 1u);
  EXPECT_TRUE(semicolons.records[0].Has(T::kDomain, "bad.example", "10.8.0.3"));
}

}  // namespace
}  // namespace accord::telemetry
