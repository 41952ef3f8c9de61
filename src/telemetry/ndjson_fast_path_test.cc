// The NDJSON reader's hand-written fast path against simdjson: on every line
// the reader with the fast path must give exactly what the simdjson-only
// reader gives (outcome, reason, kind, time, candidates with their victims).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

struct Parsed {
  LineOutcome outcome = LineOutcome::kSkip;
  std::string reason, kind, timestamp;
  std::vector<std::string> candidates;  // "type value victim"
};

Parsed ParseWith(LineParser& parser, const std::string& text) {
  // The padding the LineSource keeps after every line, filled with bytes a
  // scan running past the end would trip over.
  std::string buffer = text + std::string(kLinePadding, '"');
  Line line;
  line.text = std::string_view(buffer.data(), text.size());
  line.readable = buffer.size();
  line.number = 1;
  line.length = static_cast<int64_t>(text.size());
  Record record;
  Parsed parsed;
  parsed.outcome = parser.Parse(line, record, parsed.reason);
  if (parsed.outcome == LineOutcome::kRecord) {
    parsed.kind = std::string(record.kind);
    parsed.timestamp = std::string(record.timestamp);
    for (const Candidate& c : record.candidates) {
      parsed.candidates.push_back(std::to_string(static_cast<int>(c.type)) + " " +
                                  std::string(c.value) + " " + std::string(c.victim));
    }
  }
  return parsed;
}

// Each test runs with a field mapping (the mapped walk) and without one
// (every string scanned, victim and time by key name).
class NdjsonFastPathTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::vector<FieldMapping> mapping = {
        {"query", "domain"}, {"client", "victim"}, {"ts", "time"},   {"id.orig_h", "ip"},
        {"q", "auto"},       {"a.b", "url"},       {"n", "auto"},    {"flag", "auto"},
        {"list", "domain"},  {"id.resp_h", "ip"},  {"ts", "auto"}};
    if (!GetParam()) mapping.clear();
    auto fast = MakeNdjsonParser(mapping, NdjsonPath::kFastThenSimdjson);
    auto slow = MakeNdjsonParser(mapping, NdjsonPath::kSimdjsonOnly);
    ASSERT_TRUE(fast.ok() && slow.ok());
    fast_ = std::move(fast).value();
    slow_ = std::move(slow).value();
  }

  void ExpectSame(const std::string& line) {
    Parsed fast = ParseWith(*fast_, line);
    Parsed slow = ParseWith(*slow_, line);
    EXPECT_EQ(static_cast<int>(fast.outcome), static_cast<int>(slow.outcome)) << line;
    EXPECT_EQ(fast.reason, slow.reason) << line;
    EXPECT_EQ(fast.kind, slow.kind) << line;
    EXPECT_EQ(fast.timestamp, slow.timestamp) << line;
    EXPECT_EQ(fast.candidates, slow.candidates) << line;
  }

  std::unique_ptr<LineParser> fast_, slow_;
};

INSTANTIATE_TEST_SUITE_P(MappedAndUnmapped, NdjsonFastPathTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Mapped" : "Unmapped";
                         });

TEST_P(NdjsonFastPathTest, TakesPlainDnsLinesLikeSimdjson) {
  const std::string line =
      R"({"ts":"2026-01-01T00:00:00Z","client":"10.1.253.88","query":"news.health17595.net","qtype":"A"})";
  Parsed fast = ParseWith(*fast_, line);
  ASSERT_EQ(fast.outcome, LineOutcome::kRecord);
  EXPECT_EQ(fast.timestamp, "2026-01-01T00:00:00Z");
  bool found = false;
  for (const std::string& candidate : fast.candidates) {
    found = found || candidate.find("news.health17595.net 10.1.253.88") != std::string::npos;
  }
  EXPECT_TRUE(found);
  ExpectSame(line);
}

// Unmapped, a string is scanned as free text: several values in one string,
// a URL and its host, a number or a literal scanned as nothing.
TEST_P(NdjsonFastPathTest, UnmappedStringsAreScannedLikeSimdjson) {
  for (const std::string line : {
           R"({"msg":"GET http://evil.example/a from 192.0.2.7","src":"10.0.0.3","n":7})",
           R"({"time":1700000000,"hash":"d41d8cd98f00b204e9800998ecf8427e","ok":true})",
           R"({"timestamp":"2026-02-03T04:05:06Z","victim":"10.9.9.9","note":"mail bad@evil.example"})",
           R"({"client":"","ts":"","x":"a.example b.example"})",
       }) {
    ExpectSame(line);
  }
  if (!GetParam()) {
    Parsed scanned = ParseWith(*fast_, R"({"msg":"GET http://evil.example/a from 192.0.2.7","src":"10.0.0.3"})");
    bool url = false;
    for (const std::string& candidate : scanned.candidates) {
      url = url || candidate.find(" http://evil.example/a 10.0.0.3") != std::string::npos;
    }
    EXPECT_TRUE(url);
  }
}

TEST_P(NdjsonFastPathTest, HandCraftedEdgeCasesMatchSimdjson) {
  const std::vector<std::string> lines = {
      R"({})",
      R"( { "query" : "a.example" , "client" : "10.0.0.1" } )",
      "{\t\"query\":\"a.example\"\r}",
      R"({"query":"a.ex\u0061mple"})",          // escaped mapped value
      R"({"qu\u0065ry":"a.example"})",          // escaped key
      R"({"other":"x\"y\\z\/\b\f\n\r\t\u00e9","query":"b.example"})",
      R"({"other":"\x","query":"b.example"})",  // bad escape in a skipped value
      R"({"other":"\u12G4","query":"b.example"})",
      R"({"query":"c.example","query":"d.example"})",  // duplicate keys
      R"({"client":"10.0.0.1","client":"10.0.0.2","query":"e.example"})",
      R"({"ts":1700000000.25,"query":"f.example"})",
      R"({"ts":-0.5e+10,"query":"f.example"})",
      R"({"ts":01,"query":"f.example"})",
      R"({"ts":1.,"query":"f.example"})",
      R"({"ts":-,"query":"f.example"})",
      R"({"ts":1e,"query":"f.example"})",
      R"({"ts":12abc,"query":"f.example"})",
      R"({"flag":true,"n":false,"q":null,"query":"g.example"})",
      R"({"flag":tru,"query":"g.example"})",
      R"({"flag":nul,"query":"g.example"})",
      R"({"x":truex,"query":"g.example"})",
      R"({"id":{"orig_h":"192.0.2.1","resp_h":"192.0.2.2"},"query":"h.example"})",
      R"({"id.orig_h":"192.0.2.3","query":"h.example"})",
      R"({"id":{"orig_h":{"deeper":1}},"query":"h.example"})",
      R"({"id":"not an object","query":"h.example"})",
      R"({"a":{"b":"http://x.example/p"},"query":"i.example"})",
      R"({"a":{"b":["http://x.example/p"]},"query":"i.example"})",
      R"({"list":["j.example","k.example",3,null],"query":"i.example"})",
      R"({"list":[],"query":"i.example"})",
      R"({"skip":[1,[2,[3,{"x":[]}]],{"y":{}}],"query":"l.example"})",
      R"({"skip":[1,,2],"query":"l.example"})",
      R"({"skip":[1,2,],"query":"l.example"})",
      R"({"skip":{"a":1,},"query":"l.example"})",
      R"({"skip":{"a" 1},"query":"l.example"})",
      R"({"query":"m.example",})",
      R"({"query":"m.example"} )",
      R"({"query":"m.example"}})",
      R"({"query":"m.example"} {"query":"n.example"})",
      R"({"query":"m.example"})",
      R"({"id.orig_x":"192.0.2.9","id.orig_h":"192.0.2.8"})",  // same first 8 key bytes
      R"({"id.orig_hh":"192.0.2.9","querx":"p.example","client!":"10.0.0.9"})",
      R"({"a-long-unmapped-string":"0123456789abcdef0123456789","query":"q.example"})",
      "{\"query\":\"r.example\"}\xc3\xa9",        // non-ASCII after the object
      "{\"query\":\"r.example\",\xff\"x\":1}",    // and between members
      "{\"other\":\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\",\"query\":\"s.example\"}",
      R"({"query":"caf)" "\xc3\xa9" R"(.example"})",
      R"({"query":"bad)" "\xff" R"(.example"})",
      R"({"other":"bad)" "\xc3" R"(","query":"o.example"})",
      std::string("{\"query\":\"ctl\x01.example\"}"),
      std::string("{\"other\":\"ctl\x1f\",\"query\":\"p.example\"}"),
      "{\"query\":\"q.example\"\f}",
      R"({"query":"unclosed})",
      R"({"query")",
      R"({"query":)",
      R"({"query":"r.example")",
      R"({"query":"r.example",)",
      R"({"query" "r.example"})",
      R"({query:"r.example"})",
      R"(["query","r.example"])",
      R"("just a string")",
      R"({"ts":"2026-01-01","ts":"2027-01-01","query":"s.example"})",
      // Flat objects with no blanks (FlatWalk) and near misses it must hand on.
      R"({"ts":"1","client":"10.0.0.1","query":"u.example","qtype":"A","n":0})",
      R"({"query":"u.example","id":5,"flag":false,"q":null})",
      R"({"query":"u.example","ts":true})",
      R"({"q":"","query":"","client":""})",
      R"({"":"x","query":"v.example"})",
      R"({"query":"v.example":"w"})",
      R"({"query":"v.example""x":1})",
      R"({"query":"v.example",,"x":1})",
      R"({"query":"v.example","x":})",
      R"({"query":"v.example","x"})",
      R"({"query":"v.example","x":1 })",
      R"({"query": "v.example"})",
      R"({"query":"v.example","x":{}})",
      R"({"query":"v.example","x":[]})",
      R"({"query":"v.example"}"x")",
      R"({"query":"v.example"])",
      R"({"query":"v.example"}})",
      R"({"query":"v.example","ts":-1.5e3,"client":"10.0.0.2"})",
  };
  for (const std::string& line : lines) ExpectSame(line);
  std::string deep = R"({"skip":)";
  for (int level = 0; level < 40; ++level) deep += "[";
  for (int level = 0; level < 40; ++level) deep += "]";
  ExpectSame(deep + R"(,"query":"t.example"})");
}

// Clean lines (no backslash, control byte or byte above 0x7F) of up to 256
// bytes take their strings from the line's quote positions, four 64-bit
// words of them: lines of every length across the word boundaries and past
// the limit, whole and damaged, must still read as simdjson reads them.
TEST_P(NdjsonFastPathTest, CleanLinesOfEveryLengthMatchSimdjson) {
  for (size_t filler = 0; filler < 300; ++filler) {
    const std::string pad(filler, 'x');
    const std::string digits = "1" + std::string(filler, '0');
    const std::vector<std::string> lines = {
        R"({"other":")" + pad + R"(","query":"a.example","client":"10.0.0.1"})",
        R"({"query":"a.example","other":")" + pad + R"("})",
        R"({"query":"a.example","other":")" + pad + R"(})",
        R"({"query":"a.example","other":")" + pad + R"(""})",
        R"({"query":"a.example","other":")" + pad + R"(" "})",
        R"({"query":"a.example","other":")" + pad,
        R"({"query":"a.example","n":)" + digits + "}",
        R"({"query":"a.example","n":)" + digits + R"(,"ts":"2026-01-01"})",
        R"({"query":"a.example"})" + std::string(filler % 7, ' '),
        R"({"query":"a.example"})" + std::string(filler % 7, ' ') + "x",
        R"({"id":{"orig_h":"192.0.2.1","x":[")" + pad + R"(",{"y":"z"}]},"query":"b.example"})",
        R"({"list":["c.example",")" + pad + R"(.example"],"q":")" + pad + R"("})",
        R"({")" + pad + R"(":"v","query":"d.example"})",
        R"({"query":")" + pad + R"(.example"})",
    };
    for (const std::string& line : lines) ExpectSame(line);
    if (HasFailure()) break;
  }
}

// Lines built from pieces (valid and not), then cut, doubled or
// overwritten at random places: many thousands of shapes the hand-written
// scanner must treat exactly as simdjson does.
TEST_P(NdjsonFastPathTest, RandomlyBuiltAndDamagedLinesMatchSimdjson) {
  const std::vector<std::string> keys = {
      R"("query")", R"("client")", R"("ts")", R"("id")", R"("id.orig_h")", R"("q")",
      R"("a")",     R"("n")",      R"("list")", R"("other")", R"("qu\u0065ry")", R"("")"};
  const std::vector<std::string> values = {
      R"("a.example")", R"("evil.example.")", R"("10.0.0.7")", R"("2001:db8::1")",
      R"("http://x.example/a?b=c")", R"("x\"y")", R"("\u0041.example")", R"("")",
      "1", "-12.5e3", "0", "true", "false", "null", "[]", "{}",
      R"(["a.example","b.example"])", R"({"orig_h":"192.0.2.9"})", R"({"b":"http://y.example/"})",
      R"([{"x":1},[2,"s"]])", "\"\xc3\xa9t\xc3\xa9\"", "\"\xe2\x82\"", "tru", "01", "\"\\q\""};
  const std::string noise = std::string("{}[]\",:\\ \t\r0-1.eE+nulltrfa\x01\x7f\xc3\xff", 32);
  std::mt19937_64 rng(20261202);
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  for (int round = 0; round < 20000; ++round) {
    std::string line = "{";
    const size_t fields = pick(6);
    for (size_t f = 0; f < fields; ++f) {
      if (f > 0) line += pick(8) == 0 ? " , " : ",";
      line += keys[pick(keys.size())];
      line += pick(8) == 0 ? " : " : ":";
      line += values[pick(values.size())];
    }
    line += "}";
    const size_t damage = pick(4);  // most lines stay intact
    for (size_t d = 0; d + 1 < damage; ++d) {
      const size_t at = pick(line.size() + 1);
      switch (pick(4)) {
        case 0:
          line.erase(at, 1);
          break;
        case 1:
          line.insert(at, 1, noise[pick(noise.size())]);
          break;
        case 2:
          if (at < line.size()) line[at] = noise[pick(noise.size())];
          break;
        default:
          line.resize(at);
          break;
      }
    }
    ExpectSame(line);
    if (HasFailure()) break;  // one line to look at, not thousands
  }
}

}  // namespace
}  // namespace accord::telemetry::internal
