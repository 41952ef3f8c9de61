// ParseMispFeedManifest on manifests the tests write.
#include <gtest/gtest.h>

#include "core/io.h"
#include "misp/misp.h"

namespace accord {
namespace {

Result<std::vector<std::string>> Parse(const std::string& text) {
  auto in = OpenInputFromMemory("feed/manifest.json", text);
  EXPECT_TRUE(in.ok());
  return ParseMispFeedManifest(**in);
}

TEST(MispFeedManifestTest, ListsTheEventUuids) {
  auto uuids = Parse(R"({"57c4445b-c548-4654-af0b-4be3950d210f": {"info": "OSINT", "timestamp": "1472569567",)"
                     R"( "Tag": [{"name": "tlp:white"}]}, "5f1a0b2c-0000-4000-8000-000000000001": {}})");
  ASSERT_TRUE(uuids.ok()) << uuids.status().ToString();
  EXPECT_EQ(*uuids, (std::vector<std::string>{"57c4445b-c548-4654-af0b-4be3950d210f",
                                              "5f1a0b2c-0000-4000-8000-000000000001"}));
  auto empty = Parse("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(MispFeedManifestTest, AnythingElseIsAnErrorNamingTheSourceAndField) {
  for (const char* text : {"[1, 2]", R"({"not-a-uuid": {}})",
                           R"({"57c4445b-c548-4654-af0b-4be3950d210f": "x"})", R"({"a": )", ""}) {
    auto parsed = Parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument) << text;
    EXPECT_NE(parsed.status().message().find("feed/manifest.json"), std::string::npos)
        << parsed.status().ToString();
  }
  auto field = Parse(R"({"not-a-uuid": {}})");
  EXPECT_NE(field.status().message().find("'not-a-uuid'"), std::string::npos) << field.status().ToString();
}

}  // namespace
}  // namespace accord
