// ReadStixBundle on MITRE ATT&CK, read through OpenInput (gzip): every object
// counted exactly, none rejected, every one upgraded or kept as 2.1.
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/io.h"
#include "stix/stix.h"
#include "stix/stix_testing.h"
#include "testing/testing.h"

namespace accord {
namespace {

std::optional<std::string> SharedStixFile(const std::string& name) {
  auto data = testing::SharedData();
  if (!data) return std::nullopt;
  return (*data / "stix" / name).string();
}

void ReadShared(const std::string& path, stix_testing::RecordingSink& sink) {
  auto in = OpenInput(path);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  StixReadOptions options;
  options.source_name = "attack.json";
  Status status = ReadStixBundle(**in, options, sink);
  ASSERT_TRUE(status.ok()) << status.ToString();
}

TEST(StixSharedDataTest, IcsAttack21IsReadCompletely) {
  auto path = SharedStixFile("ics-attack-18.1.json.gz");
  if (!path) GTEST_SKIP() << "shared data not available";
  stix_testing::RecordingSink sink;
  ReadShared(*path, sink);
  EXPECT_EQ(sink.objects.size(), 1826u);
  EXPECT_TRUE(sink.rejections.empty()) << sink.rejections[0].location << ": " << sink.rejections[0].reason;
  std::map<std::string, int> by_type;
  for (const auto& object : sink.objects) ++by_type[object.type];
  EXPECT_EQ(by_type["relationship"], 1373);
  EXPECT_EQ(by_type["attack-pattern"], 95);
  EXPECT_EQ(by_type["malware"], 30);
  EXPECT_EQ(by_type["marking-definition"], 1);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_TRUE(sink.indicators.empty());
  // 2.1 objects are kept: the compact JSON parses back to the same content.
  // Every object names MITRE's copyright statement, which the bundle
  // defines last: the marking comes first and the objects after it.
  EXPECT_EQ(sink.objects[0].type, "marking-definition");
  const auto collection = nlohmann::json::parse(sink.objects[1].json);
  EXPECT_EQ(collection["type"], "x-mitre-collection");
  EXPECT_EQ(collection["spec_version"], "2.1");
}

TEST(StixSharedDataTest, EnterpriseAttack20IsReadAndUpgraded) {
  auto path = SharedStixFile("enterprise-attack-18.1-stix20.json.gz");
  if (!path) GTEST_SKIP() << "shared data not available";
  stix_testing::RecordingSink sink;
  ReadShared(*path, sink);
  EXPECT_EQ(sink.objects.size(), 24771u);
  EXPECT_TRUE(sink.rejections.empty()) << sink.rejections[0].location << ": " << sink.rejections[0].reason;
  std::map<std::string, int> by_type;
  for (const auto& object : sink.objects) {
    ++by_type[object.type];
    const auto json = nlohmann::json::parse(object.json);
    ASSERT_EQ(json["spec_version"], "2.1") << object.id;
    if (object.type == "malware") {
      ASSERT_EQ(json["is_family"], true) << object.id;
    }
    // ATT&CK 2.0 labels its malware ["malware"] and its tools ["tool"]: not
    // malware-type-ov or tool-type-ov terms, so no *_types (the validator
    // would warn on every one), and the labels stay as they came.
    if (object.type == "malware" || object.type == "tool") {
      ASSERT_EQ(json["labels"], nlohmann::json::array({object.type})) << object.id;
      ASSERT_FALSE(json.contains(object.type + "_types")) << object.id;
    }
  }
  EXPECT_EQ(by_type["relationship"], 20048);
  EXPECT_EQ(by_type["malware"], 696);
  EXPECT_EQ(by_type["tool"], 91);
  EXPECT_EQ(by_type["attack-pattern"], 835);
}

}  // namespace
}  // namespace accord
