// Every JSON reader (Suricata, Zeek JSON, NDJSON mapped and not) takes a
// line only when it is one valid JSON object followed by nothing but
// whitespace: content after the object, and invalid values in fields the
// reader skips, make the line malformed (reported with its position) and
// the next lines are still read.
#include <gtest/gtest.h>

#include "telemetry/telemetry_testing.h"

namespace accord::telemetry {
namespace {

struct JsonCase {
  const char* name;
  Format format;
  std::vector<FieldMapping> mapping;
  // A valid line of the format whose candidates include good.example.
  std::string good;
};

std::vector<JsonCase> Cases() {
  return {
      {"suricata", Format::kSuricata, {},
       R"({"event_type":"tls","src_ip":"10.0.0.5","dest_ip":"192.0.2.1","tls":{"sni":"good.example"}})"},
      {"zeek-json", Format::kZeekJson, {},
       R"({"_path":"ssl","id.orig_h":"10.0.0.5","id.resp_h":"192.0.2.1","server_name":"good.example"})"},
      {"ndjson mapped", Format::kNdjson, {{"query", "domain"}, {"client", "victim"}},
       R"({"client":"10.0.0.5","query":"good.example"})"},
      {"ndjson unmapped", Format::kNdjson, {}, R"({"client":"10.0.0.5","query":"good.example"})"},
  };
}

// `bad` lines, each followed by the good line: every bad line is malformed
// at its own line number and every good one is read.
void ExpectMalformed(const JsonCase& c, const std::vector<std::string>& bad,
                     const std::string& reason_part = "invalid JSON") {
  std::string input;
  for (const std::string& line : bad) input += line + "\n" + c.good + "\n";
  auto result = ReadBytes("in.json", input, WithFormat(c.format, c.mapping));
  ASSERT_TRUE(result.status.ok()) << c.name << ": " << result.status.ToString();
  ASSERT_EQ(result.malformed.size(), bad.size()) << c.name;
  EXPECT_EQ(result.stats.malformed, static_cast<int64_t>(bad.size())) << c.name;
  for (size_t bad_idx = 0; bad_idx < bad.size(); ++bad_idx) {
    const Malformed& m = result.malformed[bad_idx];
    EXPECT_EQ(m.line, static_cast<int64_t>(2 * bad_idx + 1)) << c.name << ": " << bad[bad_idx];
    EXPECT_NE(m.reason.find(reason_part), std::string::npos)
        << c.name << ": " << bad[bad_idx] << " -> " << m.reason;
  }
  ASSERT_EQ(result.records.size(), bad.size()) << c.name;
  for (const auto& record : result.records) {
    EXPECT_TRUE(record.Has(T::kDomain, "good.example", "10.0.0.5")) << c.name;
  }
}

TEST(JsonLineTest, TwoObjectsGluedOnOneLineAreMalformed) {
  for (const JsonCase& c : Cases()) {
    ExpectMalformed(c, {c.good + c.good, c.good + " " + c.good}, "content after the object");
  }
}

TEST(JsonLineTest, ContentAfterTheObjectIsMalformedAndItsColumnIsNamed) {
  for (const JsonCase& c : Cases()) {
    ExpectMalformed(c, {c.good + " #garbage}", c.good + "x}", c.good + ",{}"},
                    "content after the object");
    auto result = ReadBytes("in.json", c.good + "  #garbage}\n", WithFormat(c.format, c.mapping));
    ASSERT_EQ(result.malformed.size(), 1u) << c.name;
    EXPECT_NE(result.malformed[0].reason.find("column " + std::to_string(c.good.size() + 3)),
              std::string::npos)
        << c.name << ": " << result.malformed[0].reason;
  }
}

TEST(JsonLineTest, TrailingWhitespaceIsAccepted) {
  for (const JsonCase& c : Cases()) {
    auto result = ReadBytes("in.json", c.good + " \t \r\n", WithFormat(c.format, c.mapping));
    EXPECT_TRUE(result.malformed.empty()) << c.name;
    ASSERT_EQ(result.records.size(), 1u) << c.name;
  }
}

// Fields the readers do not use are checked too, however deep.
TEST(JsonLineTest, InvalidValuesInSkippedFieldsAreMalformed) {
  for (const JsonCase& c : Cases()) {
    std::string body = c.good.substr(1);  // after the opening brace
    ExpectMalformed(c, {
                           R"({"x":{"y":tru},)" + body,
                           R"({"x":[1,{"y":nul}],)" + body,
                           R"({"x":{"y":falsey},)" + body,
                           R"({"x":{"y":01},)" + body,
                           R"({"x":{"y":1.},)" + body,
                           R"({"x":{"y" 1},)" + body,
                           R"({"x":[1 2],)" + body,
                           R"({"x":{"y":"\q"},)" + body,
                           R"({"x":tru,)" + body,
                       });
  }
}

TEST(JsonLineTest, ValidSkippedValuesOfEveryKindAreAccepted) {
  for (const JsonCase& c : Cases()) {
    std::string body = c.good.substr(1);
    std::string line =
        R"({"x":{"a":[true,false,null,-1.5e+3,0,"s\u00e9\n",{},[]],"big":123456789012345678901234567890},)" +
        body;
    auto result = ReadBytes("in.json", line + "\n", WithFormat(c.format, c.mapping));
    EXPECT_TRUE(result.malformed.empty())
        << c.name << ": " << (result.malformed.empty() ? "" : result.malformed[0].reason);
    ASSERT_EQ(result.records.size(), 1u) << c.name;
    EXPECT_TRUE(result.records[0].Has(T::kDomain, "good.example", "10.0.0.5")) << c.name;
  }
}

}  // namespace
}  // namespace accord::telemetry
