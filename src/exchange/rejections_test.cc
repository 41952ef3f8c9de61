// What an import counts and says about the values it does not take: where
// each rejected one was, why, and input with nothing to match counted apart.
#include <gtest/gtest.h>

#include "exchange/exchange_testing.h"

namespace accord {
namespace {

TEST_F(ExchangeTest, ListImportCountsNewKnownAndRejectedWithLines) {
  auto report = Import("list.txt", "192.0.2.1\nevil.example\nnot an indicator\n192.0.2.1\n");
  EXPECT_EQ(report.format, InputFormat::kList);
  EXPECT_EQ(report.new_values, 2);
  EXPECT_EQ(report.known_values, 1);
  EXPECT_EQ(report.rejected, 1);
  ASSERT_EQ(rejections_.size(), 1u);
  EXPECT_EQ(rejections_[0].location, "list.txt:3");
  EXPECT_EQ(rejections_[0].value, "not an indicator");
}

// A CSV's "ip" column holding a URL: the rejection says what the value is,
// not only what the address parser made of it.
TEST_F(ExchangeTest, AValueOfAnotherTypeInATypedColumnIsRejectedSayingWhatItIs) {
  auto report = Import("c2.csv", "ip,comment\nhttp://192.0.2.8/gate.php,panel\n192.0.2.9,c2\nnot an address,x\n");
  EXPECT_EQ(report.new_values, 1);
  ASSERT_EQ(rejections_.size(), 2u);
  EXPECT_EQ(rejections_[0].location, "c2.csv:2");
  EXPECT_TRUE(rejections_[0].reason.starts_with("the value reads as url, not ipv4 (")) << rejections_[0].reason;
  // A value that is no indicator at all keeps the parser's own words.
  EXPECT_EQ(rejections_[1].location, "c2.csv:4");
  EXPECT_EQ(rejections_[1].reason.find("reads as"), std::string::npos) << rejections_[1].reason;
}

// A YARA indicator or a MISP "text" attribute is valid input with nothing
// to match: counted as not matched, never as rejected (so `import --strict`
// accepts a partner's valid file), while a malformed value still is.
TEST_F(ExchangeTest, NotMatchedInputIsCountedApartFromRejected) {
  const std::string stix =
      R"({"type":"bundle","id":"bundle--6f7e2c57-56a0-4a7a-9c1f-0b6e3e7d5a01","objects":[)"
      R"({"type":"indicator","spec_version":"2.1","id":"indicator--6f7e2c57-56a0-4a7a-9c1f-0b6e3e7d5a02",)"
      R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","valid_from":"2024-01-01T00:00:00Z",)"
      R"("pattern_type":"yara","pattern":"rule x { condition: true }"},)"
      R"({"type":"indicator","spec_version":"2.1","id":"indicator--6f7e2c57-56a0-4a7a-9c1f-0b6e3e7d5a03",)"
      R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","valid_from":"2024-01-01T00:00:00Z",)"
      R"("pattern_type":"stix","pattern":"[ipv4-addr:value = '999.1.1.1']"}]})";
  ImportReport report = Import("rules.json", stix);
  EXPECT_EQ(report.not_matched, 1);
  EXPECT_EQ(report.rejected, 1);  // 999.1.1.1 is no address
  EXPECT_EQ(report.stix_objects_new, 2);
  ASSERT_EQ(rejections_.size(), 2u);
  EXPECT_TRUE(rejections_[0].not_matched);
  EXPECT_FALSE(rejections_[1].not_matched);

  const std::string misp = R"({"Event":{"uuid":"6f7e2c57-56a0-4a7a-9c1f-0b6e3e7d5a04","info":"x",)"
                           R"("Attribute":[{"uuid":"6f7e2c57-56a0-4a7a-9c1f-0b6e3e7d5a05","type":"text",)"
                           R"("value":"Locky"},{"uuid":"6f7e2c57-56a0-4a7a-9c1f-0b6e3e7d5a06","type":"domain",)"
                           R"("value":"locky.example","to_ids":true}]}})";
  report = Import("event.json", misp);
  EXPECT_EQ(report.new_values, 1);
  EXPECT_EQ(report.not_matched, 1);
  EXPECT_EQ(report.rejected, 0);
}

}  // namespace
}  // namespace accord
