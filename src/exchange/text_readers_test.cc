#include "exchange/text_readers.h"

#include <gtest/gtest.h>

#include "exchange/exchange.h"

namespace accord {
namespace {

// Collects what a reader pushes.
struct CollectingSink final : RecordSink {
  std::vector<EventRecord> events;
  std::vector<IndicatorRecord> indicators;
  std::vector<Rejection> rejections;
  Status OnEvent(EventRecord e) override { events.push_back(std::move(e)); return Status::Ok(); }
  Status OnIndicator(IndicatorRecord i) override { indicators.push_back(std::move(i)); return Status::Ok(); }
  Status OnStixObject(StixObjectRecord) override { return Status::Ok(); }
  Status OnSighting(SightingRecord) override { return Status::Ok(); }
  Status OnEventMembers(EventMembers) override { return Status::Ok(); }
  void OnReject(Rejection r) override { rejections.push_back(std::move(r)); }
};

TextReadOptions Options() {
  TextReadOptions o;
  o.source_name = "feed.csv";
  o.event_uuid = "11111111-1111-4111-8111-111111111111";
  o.event_title = "feed";
  return o;
}

Status ReadCsvText(const std::string& text, CollectingSink& sink) {
  auto in = OpenInputFromMemory("feed.csv", text);
  EXPECT_TRUE(in.ok());
  return ReadCsv(**in, Options(), sink);
}

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

TEST(ListReaderTest, SkipsCommentsAndBlankLinesAndKeepsLineNumbers) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("list.txt", "# header\n\nevil.example\n198.51.100.1 # note\n// x\n");
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(ReadList(**in, Options(), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "evil.example");
  EXPECT_FALSE(sink.indicators[0].type.has_value());
  EXPECT_EQ(sink.indicators[1].value, "198.51.100.1");
  EXPECT_EQ(sink.indicators[1].location, "feed.csv:4");
}

TEST(ListReaderTest, AddressWithPortKeepsTheAddressAndNotesThePort) {
  CollectingSink sink;
  auto in = OpenInputFromMemory("list.txt", "198.51.100.1:8080\nevil.example:443\n");
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(ReadList(**in, Options(), sink).ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "198.51.100.1");
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kIpv4);
  EXPECT_EQ(sink.indicators[0].context.comment, "port 8080");
  EXPECT_EQ(sink.indicators[1].value, "evil.example:443");  // left for detection to judge
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
}

}  // namespace
}  // namespace accord
