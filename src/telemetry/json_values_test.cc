// JSON telemetry that is not one object a line (json_values.cc), the
// Elastic Common Schema's victim fields and Elasticsearch _bulk bodies.
#include <gtest/gtest.h>

#include "telemetry/telemetry_testing.h"

namespace accord::telemetry {
namespace {

TEST(JsonValuesTest, AShippersBatchArrayGivesOneRecordPerObjectNumberedByItsFirstLine) {
  const std::string first = R"([{"query":"a.example","client":"10.0.0.1"},{"query":"b.example"}])";
  const std::string input = first + "\n" +
                            "[\n"
                            "  {\n"
                            "    \"query\": \"c.example\",\n"
                            "    \"client\": \"10.0.0.3\"\n"
                            "  },\n"
                            "  {\"query\": \"d.example\"}\n"
                            "]\n";
  auto result = ReadBytes("batch.json", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kNdjson);
  EXPECT_TRUE(result.malformed.empty()) << result.malformed[0].reason;
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "a.example", "10.0.0.1"));
  EXPECT_EQ(result.records[0].line, 1);
  EXPECT_EQ(result.records[0].offset, 1);
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "b.example", ""));
  EXPECT_EQ(result.records[1].line, 1);
  EXPECT_EQ(result.records[1].offset, static_cast<int64_t>(first.find("{\"query\":\"b")));
  EXPECT_TRUE(result.records[2].Has(T::kDomain, "c.example", "10.0.0.3"));
  EXPECT_EQ(result.records[2].line, 3);
  EXPECT_EQ(result.records[2].offset, static_cast<int64_t>(input.find("  {\n") + 2));
  EXPECT_TRUE(result.records[3].Has(T::kDomain, "d.example"));
  EXPECT_EQ(result.records[3].line, 7);
}

TEST(JsonValuesTest, PrettyPrintedObjectsAreReadWhole) {
  // jq's output: objects one after another, each over several lines.
  const std::string input =
      "{\n"
      "  \"@timestamp\": \"2026-11-30T10:00:00Z\",\n"
      "  \"source\": {\"ip\": \"10.0.0.9\", \"port\": 5353},\n"
      "  \"dns\": {\"question\": {\"name\": \"evil.example\"}}\n"
      "}\n"
      "{\n"
      "  \"msg\": \"to 192.0.2.7\"\n"
      "}\n";
  auto result = ReadBytes("dump.json", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kNdjson);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].line, 1);
  EXPECT_EQ(result.records[0].timestamp, "2026-11-30T10:00:00Z");
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "evil.example", "10.0.0.9"));
  EXPECT_EQ(result.records[1].line, 6);
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "192.0.2.7", ""));
}

TEST(JsonValuesTest, BracketsBracesAndEscapedQuotesInsideStringsDoNotEndAValue) {
  const std::string input =
      R"([{"msg":"a } ] , [ { \" quoted \\","query":"x.example"},)" "\n"
      R"( {"msg":"\\\"","query":"y.example"}])" "\n";
  auto result = ReadBytes("strings.json", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_TRUE(result.malformed.empty()) << result.malformed[0].reason;
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "x.example"));
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "y.example"));
  EXPECT_EQ(result.records[1].line, 2);
}

TEST(JsonValuesTest, ASensorsJsonInAnArrayIsStillRecognised) {
  const std::string input =
      R"([{"timestamp":"2026-11-30T10:00:00.000000+0000","event_type":"dns","src_ip":"10.0.0.4",)"
      R"("dns":{"type":"query","rrname":"evil.example"}}])";
  auto result = ReadBytes("eve-batch.json", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kSuricata);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "evil.example", "10.0.0.4"));
  EXPECT_EQ(result.records[0].kind, "dns");
}

TEST(JsonValuesTest, MalformedValuesAreReportedWithTheirLineAndTheRestRead) {
  const std::string input =
      "[{\"query\":\"a.example\"}, 42,\n"
      " {\"query\": tru},\n"
      " } {\"query\":\"b.example\"}]\n"
      "[{\"query\":\"c.example\"";
  auto result = ReadBytes("broken.json", input, WithFormat(Format::kNdjson));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "a.example"));
  EXPECT_TRUE(result.records[1].Has(T::kDomain, "b.example"));
  EXPECT_EQ(result.records[1].line, 3);
  ASSERT_EQ(result.malformed.size(), 4u);
  EXPECT_EQ(result.malformed[0].line, 1);  // 42
  EXPECT_EQ(result.malformed[0].offset, static_cast<int64_t>(input.find("42")));
  EXPECT_NE(result.malformed[0].reason.find("not a JSON object"), std::string::npos);
  EXPECT_EQ(result.malformed[1].line, 2);  // tru
  EXPECT_EQ(result.malformed[2].line, 3);  // the stray }
  EXPECT_EQ(result.malformed[3].line, 4);  // the input ends inside the object
  EXPECT_NE(result.malformed[3].reason.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(result.stats.records, 2);
  EXPECT_EQ(result.stats.malformed, 4);
}

TEST(JsonValuesTest, ValuesAcrossManyReadsAreWholeAndAnOverLongOneIsDroppedAndReported) {
  ReaderOptions options;
  options.max_line_bytes = 1000;  // a 64 KiB read buffer
  std::string input = "[\n";
  for (int i = 0; i < 3000; ++i) {
    if (i == 1500) {
      // Longer than the limit and than the buffer: dropped while read.
      input += "  {\"pad\": \"" + std::string(200000, 'x') + "\", \"nested\": {\"q\": \"}\"}},\n";
    }
    input += "  {\n    \"query\": \"host" + std::to_string(i) + ".example\"\n  },\n";
  }
  input += "  {\"query\": \"last.example\"}\n]\n";
  auto result = ReadBytes("many.json", input, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 3001u);
  for (int i : {0, 1499, 1500, 2999}) {
    const SeenRecord& record = result.records[static_cast<size_t>(i)];
    EXPECT_TRUE(record.Has(T::kDomain, "host" + std::to_string(i) + ".example")) << i;
    // "[" then 3 lines a value, and the long value's line before the 1500th.
    EXPECT_EQ(record.line, 2 + 3 * i + (i >= 1500 ? 1 : 0)) << i;
  }
  const std::string long_start = "  {\"pad\"";
  EXPECT_EQ(result.records[1500].offset,
            static_cast<int64_t>(input.find("{\n    \"query\": \"host1500.")));
  ASSERT_EQ(result.malformed.size(), 1u);
  EXPECT_EQ(result.malformed[0].line, 2 + 3 * 1500);
  EXPECT_EQ(result.malformed[0].offset, static_cast<int64_t>(input.find(long_start) + 2));
  EXPECT_NE(result.malformed[0].reason.find("longer than the 1000 byte limit"), std::string::npos)
      << result.malformed[0].reason;
  EXPECT_TRUE(result.records[3000].Has(T::kDomain, "last.example"));
}

TEST(JsonValuesTest, TextAndNdjsonThatOnlyLookAlikeKeepTheirFraming) {
  // A text log whose lines open with a bracket.
  auto text = ReadBytes("app.log", "[2026-11-30 10:00:00] GET http://evil.example/x\n[INFO] 192.0.2.8\n");
  EXPECT_EQ(text.stats.format, Format::kText);
  ASSERT_EQ(text.records.size(), 2u);
  EXPECT_TRUE(text.records[1].Has(T::kIpv4, "192.0.2.8"));
  // NDJSON stays one object a line: a broken line does not swallow the next.
  auto lines = ReadBytes("dns.ndjson", "{\"query\":\"a.example\"}\n{\"query\":\"unclosed}\n{\"query\":\"b.example\"}\n");
  ASSERT_EQ(lines.records.size(), 2u);
  EXPECT_EQ(lines.records[1].line, 3);
  ASSERT_EQ(lines.malformed.size(), 1u);
  EXPECT_EQ(lines.malformed[0].line, 2);
}

TEST(JsonValuesTest, StartsJsonValueStreamLooksAtTheFirstValueOnly) {
  using internal::StartsJsonValueStream;
  EXPECT_TRUE(StartsJsonValueStream("[{\"a\":1}]"));
  EXPECT_TRUE(StartsJsonValueStream(" \n[\n  {"));
  EXPECT_TRUE(StartsJsonValueStream("{\n\"a\": 1}\n"));
  EXPECT_TRUE(StartsJsonValueStream("{\"a\": \"}\",\n\"b\": 1}\n"));
  EXPECT_FALSE(StartsJsonValueStream("{\"a\":\"{\"}\n{\"a\":2}\n"));
  EXPECT_FALSE(StartsJsonValueStream("[2026-11-30] started\n"));
  EXPECT_FALSE(StartsJsonValueStream("[]\n"));
  EXPECT_FALSE(StartsJsonValueStream("{\"cut off by the read"));
  EXPECT_FALSE(StartsJsonValueStream(""));
  // A first NDJSON record cut off (a crash, head -c) is no pretty-printed
  // object: the rest of the file is still read line by line.
  EXPECT_FALSE(StartsJsonValueStream("{\"query\":\"a.exa\n{\"query\":\"b.example\"}\n"));
  EXPECT_FALSE(StartsJsonValueStream("{\"query\":\"a.example\",\n{\"query\":\"b.example\"}\n"));
  EXPECT_FALSE(StartsJsonValueStream("{\"a\": 1,\n\"b\": 2} trailing text\n"));
  EXPECT_TRUE(StartsJsonValueStream(std::string("\0\0[\n {", 6)));
}

TEST(JsonValuesTest, ACutOffFirstRecordLeavesTheRestReadLineByLine) {
  std::string input = "{\"query\":\"a.exa\n";
  for (int i = 0; i < 50; ++i) input += "{\"query\":\"host" + std::to_string(i) + ".example\"}\n";
  auto result = ReadBytes("cut.ndjson", input);
  EXPECT_EQ(result.stats.format, Format::kNdjson);
  EXPECT_EQ(result.records.size(), 50u);
  ASSERT_EQ(result.malformed.size(), 1u);
  EXPECT_EQ(result.malformed[0].line, 1);
}

TEST(JsonValuesTest, TheFirstRecordAloneDecidesTheFormatOfABatch) {
  // A generic batch with a Suricata record further on stays generic.
  const std::string input =
      R"([{"query":"a.example","client":"10.0.0.1"},)"
      R"({"timestamp":"2026-11-30T10:00:00.000000+0000","event_type":"dns","src_ip":"10.0.0.2"}])";
  auto result = ReadBytes("mixed.json", input);
  EXPECT_EQ(result.stats.format, Format::kNdjson);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "a.example", "10.0.0.1"));
  // NULs a rotation left before a pretty-printed batch are passed over.
  EXPECT_EQ(DetectFormat(std::string(4096, '\0') + "[\n  {\"event_type\": \"dns\"}\n]\n", "eve.json"),
            Format::kSuricata);
}

// ---- Elasticsearch _bulk ---------------------------------------------------

TEST(BulkTest, ActionLinesOfAnElasticsearchBulkBodyAreNoRecords) {
  const std::string input =
      R"({"index":{"_index":"logs-dns","_id":"1"}})" "\n"
      R"({"query":"a.example","client":"10.0.0.1"})" "\n"
      R"({"create":{}})" "\n"
      R"({"query":"b.example","client":"10.0.0.2"})" "\n"
      R"({"update":{"_id":"2","retry_on_conflict":3}})" "\n"
      R"({"doc":{"query":"c.example"}})" "\n"
      R"({"delete":{"_index":"logs-dns","_id":"3"}})" "\n"
      // Not an action: a key the bulk API does not have.
      R"({"index":{"page":"d.example"}})" "\n";
  for (const bool mapped : {false, true}) {
    ReaderOptions options = WithFormat(Format::kNdjson);
    if (mapped) options.mapping = {{"query", "domain"}, {"doc.query", "domain"}, {"index.page", "domain"},
                                   {"client", "victim"}};
    auto result = ReadBytes("bulk.ndjson", input, options);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString();
    EXPECT_TRUE(result.malformed.empty());
    ASSERT_EQ(result.records.size(), 4u) << mapped;
    EXPECT_EQ(result.stats.records, 4) << mapped;
    EXPECT_TRUE(result.records[0].Has(T::kDomain, "a.example", "10.0.0.1")) << mapped;
    EXPECT_EQ(result.records[0].line, 2);
    EXPECT_TRUE(result.records[1].Has(T::kDomain, "b.example", "10.0.0.2")) << mapped;
    EXPECT_TRUE(result.records[2].Has(T::kDomain, "c.example")) << mapped;
    EXPECT_EQ(result.records[3].line, 8);
    EXPECT_TRUE(result.records[3].Has(T::kDomain, "d.example")) << mapped;
  }
}

// ---- Elastic Common Schema ---------------------------------------------------

TEST(EcsTest, SourceOrClientIpNestedOrDottedIsTheVictim) {
  const std::string input =
      R"({"@timestamp":"2026-11-30T10:00:00Z","client":{"ip":"10.0.0.21","port":5353},)"
      R"("dns":{"question":{"name":"a.example"}}})" "\n"
      R"({"source":{"ip":"10.0.0.22"},"destination":{"ip":"192.0.2.9"}})" "\n"
      R"({"source.ip":"10.0.0.23","url.full":"http://b.example/x"})" "\n"
      // Only the ECS objects at the top hold the victim.
      R"({"observer":{"ip":"10.9.9.9"},"msg":"c.example"})" "\n";
  auto result = ReadBytes("ecs.ndjson", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_EQ(result.records[0].timestamp, "2026-11-30T10:00:00Z");
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "a.example", "10.0.0.21"));
  EXPECT_TRUE(result.records[1].Has(T::kIpv4, "192.0.2.9", "10.0.0.22"));
  EXPECT_TRUE(result.records[2].Has(T::kUrl, "http://b.example/x", "10.0.0.23"));
  EXPECT_TRUE(result.records[3].Has(T::kDomain, "c.example", ""));
}

TEST(EcsTest, AKibanaCsvExportIsMappedByItsEcsColumnNames) {
  const std::string input =
      "@timestamp,source.ip,destination.ip,url.full,file.hash.sha256\n"
      "2026-11-30T10:00:00Z,10.0.0.31,192.0.2.10,http://e.example/p," + std::string(64, 'a') + "\n";
  auto result = ReadBytes("kibana.csv", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kCsv);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].timestamp, "2026-11-30T10:00:00Z");
  EXPECT_TRUE(result.records[0].Has(T::kIpv4, "192.0.2.10", "10.0.0.31"));
  EXPECT_TRUE(result.records[0].Has(T::kUrl, "http://e.example/p", "10.0.0.31"));
  EXPECT_TRUE(result.records[0].Has(T::kSha256, std::string(64, 'a'), "10.0.0.31"));
}

// DNS and TLS logs exported from Kibana name the queried host in columns
// longer than the first ECS names read (dns.question.name is 17 bytes).
TEST(EcsTest, AKibanaCsvExportOfDnsOrTlsLogsGivesTheQueriedHostAsADomain) {
  const std::string input =
      "timestamp,source.ip,dns.question.name,destination.domain,tls.client.server_name\n"
      "2026-11-30T10:00:00Z,10.0.0.41,sub.cookiesdough.example,dest.example,sni.example\n";
  auto result = ReadBytes("dns.csv", input);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.stats.format, Format::kCsv);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "sub.cookiesdough.example", "10.0.0.41"));
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "dest.example", "10.0.0.41"));
  EXPECT_TRUE(result.records[0].Has(T::kDomain, "sni.example", "10.0.0.41"));
}

}  // namespace
}  // namespace accord::telemetry
