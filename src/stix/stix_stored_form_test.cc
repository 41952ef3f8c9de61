// What ReadStixBundle stores of an object: a STIX 2.0 object upgraded to
// 2.1, a 2.1 object as it came (compact) but for the spellings a validator
// refuses that have one right form (stix_upgrade.cc).
#include <gtest/gtest.h>

#include "stix/stix.h"
#include "stix/stix_testing.h"

namespace accord {
namespace {

using stix_testing::ReadTrickled;
using stix_testing::RecordingSink;

const std::string kBundleId = "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d";
const std::string kIndicatorId = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
const std::string kMalwareId = "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b";

std::string Bundle(const std::vector<std::string>& objects, const std::string& id = kBundleId) {
  return stix_testing::Bundle(objects, id);
}

// 2.1 requires millisecond precision on created and modified (the OASIS
// schema's timestamp_millis), which 2.0 did not; and a 2.0 pattern is
// written in 2.1's grammar (START/STOP take t'', hyphenated names quoted),
// which today's validator wants for either version, and says so.
TEST(ReadStixBundleTest, Stix20TimestampsGetMillisecondsAndPatternsThe21Syntax) {
  RecordingSink sink;
  const std::string bundle =
      R"({"type":"bundle","id":")" + kBundleId + R"(","spec_version":"2.0","objects":[)"
      R"({"type":"indicator","id":")" + kIndicatorId +
      R"(","created":"2016-04-06T20:03:48Z","modified":"2016-04-06T20:03:48.5Z",)"
      R"("labels":["malicious-activity"],"valid_from":"2016-01-01T00:00:00Z",)"
      R"("pattern":"[ipv4-addr:value = '198.51.100.7'] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'"}]})";
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  const std::string& json = sink.objects[0].json;
  EXPECT_NE(json.find(R"("created":"2016-04-06T20:03:48.000Z")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("modified":"2016-04-06T20:03:48.500Z")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("valid_from":"2016-01-01T00:00:00Z")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("pattern_version":"2.1")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"(START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z')"), std::string::npos)
      << json;
  // The version is keyed by the text the object carries.
  EXPECT_EQ(sink.objects[0].created, "2016-04-06T20:03:48.000Z");
  EXPECT_EQ(sink.objects[0].modified, "2016-04-06T20:03:48.500Z");
}

// 2.0 labels move to the 2.1 *_types property only as terms of its 2.1
// vocabulary (the validator warns on anything else); labels stay as they came,
// and a property no label qualifies for is left out (2.1 forbids empty lists).
TEST(ReadStixBundleTest, Stix20LabelsBecomeTypesOnlyWhenTheyAreVocabularyTerms) {
  struct Case {
    std::string type;
    std::string labels;    // the 2.0 labels, as JSON
    std::string property;  // the 2.1 *_types property
    std::string expected;  // its JSON, or empty when it must be absent
  };
  const std::vector<Case> cases = {
      // ATT&CK 2.0: its malware is labelled "malware", its tools "tool".
      {"malware", R"(["malware"])", "malware_types", ""},
      {"tool", R"(["tool"])", "tool_types", ""},
      {"malware", R"(["malware","backdoor","Backdoor","backdoor"])", "malware_types",
       R"(["backdoor"])"},
      {"tool", R"(["remote-access","tool"])", "tool_types", R"(["remote-access"])"},
      {"threat-actor", R"(["apt","nation-state"])", "threat_actor_types", R"(["nation-state"])"},
      {"report", R"(["threat-report","campaign","lumma"])", "report_types",
       R"(["threat-report","campaign"])"},
      {"indicator", R"(["malicious-activity","c2"])", "indicator_types",
       R"(["malicious-activity"])"},
      {"indicator", R"(["c2"])", "indicator_types", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.type + " " + c.labels);
    std::string object =
        R"({"type":")" + c.type + R"(","id":")" + c.type +
        R"(--31b940d4-6f7f-459a-80ea-9c1f17b5891b","created":"2017-01-01T00:00:00.000Z",)"
        R"("modified":"2017-01-01T00:00:00.000Z","name":"X","labels":)" +
        c.labels;
    if (c.type == "indicator") {
      object +=
          R"(,"pattern":"[ipv4-addr:value = '192.0.2.1']","valid_from":"2017-01-01T00:00:00Z")";
    }
    if (c.type == "report") {
      object += R"(,"published":"2017-01-01T00:00:00Z","object_refs":[")" + kMalwareId + "\"]";
    }
    object += "}";
    RecordingSink sink;
    ASSERT_TRUE(ReadTrickled(Bundle({object}), sink).ok());
    ASSERT_FALSE(sink.objects.empty());
    const std::string& json = sink.objects.back().json;
    EXPECT_NE(json.find(R"("labels":)" + c.labels), std::string::npos) << json;
    const std::string property = "\"" + c.property + "\":";
    if (c.expected.empty()) {
      EXPECT_EQ(json.find(property), std::string::npos) << json;
    } else {
      EXPECT_NE(json.find(property + c.expected), std::string::npos) << json;
    }
  }
}

// A 2.0 object that already names its 2.1 types keeps them as they are.
TEST(ReadStixBundleTest, Stix20TypesAlreadyPresentAreNotReplacedByLabels) {
  RecordingSink sink;
  const std::string malware =
      R"({"type":"malware","id":")" + kMalwareId +
      R"(","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z",)"
      R"("name":"X","labels":["worm"],"malware_types":["custom-type"]})";
  ASSERT_TRUE(ReadTrickled(Bundle({malware}), sink).ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_NE(sink.objects[0].json.find(R"("malware_types":["custom-type"])"), std::string::npos);
  EXPECT_EQ(sink.objects[0].json.find(R"("malware_types":["worm"])"), std::string::npos);
}

TEST(ReadStixBundleTest, Stix21ObjectsAreKeptVerbatimButCompact) {
  RecordingSink sink;
  const std::string malware = "{ \"type\" : \"malware\",\n \"spec_version\": \"2.1\", \"id\": \"" + kMalwareId +
                              "\", \"created\": \"2024-01-01T00:00:00.000Z\", \"modified\": "
                              "\"2024-01-01T00:00:00.000Z\", \"name\": \"X\", \"is_family\": false,"
                              " \"x_custom\": {\"n\": [1, 2.5, null]} }";
  ASSERT_TRUE(ReadTrickled(Bundle({malware}), sink).ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_EQ(sink.objects[0].json,
            R"({"type":"malware","spec_version":"2.1","id":")" + kMalwareId +
                R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"X",)"
                R"("is_family":false,"x_custom":{"n":[1,2.5,null]}})");
  // The JSON as it came; the version's times in the store's one spelling.
  EXPECT_EQ(sink.objects[0].created, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(sink.objects[0].modified, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(sink.objects[0].event_uuid, "");
}

// What the OASIS validator refuses in a 2.1 object and has one right
// spelling is stored so: created and modified without milliseconds (its
// timestamp_millis) or with an offset, and a "stix" pattern with 2.0's bare
// hyphenated hash name. The rest stays as it came, and the version is the
// same instant.
TEST(ReadStixBundleTest, Stix21TimestampsWithoutMillisecondsAndOldPatternSpellingsAreStoredValid) {
  RecordingSink sink;
  const std::string sha256(64, 'e');
  const std::string indicator =
      R"({"type":"indicator","spec_version":"2.1","id":")" + kIndicatorId +
      R"(","created":"2026-02-01T00:00:00Z","modified":"2026-02-01T02:00:00.5+02:00","name":"n",)"
      R"("pattern":"[file:hashes.SHA-256 = ')" + sha256 +
      R"(']","pattern_type":"stix","valid_from":"2026-02-01T00:00:00Z","x_custom":[1]})";
  ASSERT_TRUE(ReadTrickled(Bundle({indicator}), sink).ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_EQ(sink.objects[0].json,
            R"({"type":"indicator","spec_version":"2.1","id":")" + kIndicatorId +
                R"(","created":"2026-02-01T00:00:00.000Z","modified":"2026-02-01T00:00:00.500Z","name":"n",)"
                R"("pattern":"[file:hashes.'SHA-256' = ')" + sha256 +
                R"(']","pattern_type":"stix","valid_from":"2026-02-01T00:00:00Z","x_custom":[1]})");
  EXPECT_EQ(sink.objects[0].modified, "2026-02-01T00:00:00.500Z");
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kSha256);
  // A TAXII server compares a posted copy with the stored one by this form.
  EXPECT_EQ(StoredFormOfStixObject(indicator), sink.objects[0].json);
}

}  // namespace
}  // namespace accord
