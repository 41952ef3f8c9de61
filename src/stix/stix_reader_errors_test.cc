// ReadStixBundle on broken input: stream errors stop the reader with a
// Status naming the source and byte offset; objects that are JSON but not
// valid STIX are rejected by id (or index) and reading goes on.
#include <gtest/gtest.h>

#include "stix/stix.h"
#include "stix/stix_testing.h"

namespace accord {
namespace {

using stix_testing::ReadTrickled;
using stix_testing::RecordingSink;

const std::string kBundleId = "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d";
const std::string kGood =
    R"({"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",)"
    R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","pattern":"[domain-name:value = 'ok.example']",)"
    R"("pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})";

std::string Bundle(const std::string& objects) {
  return R"({"type":"bundle","id":")" + kBundleId + R"(","objects":[)" + objects + "]}";
}

Status Read(const std::string& bytes, RecordingSink& sink, size_t max_object_bytes = 64 << 20) {
  return ReadTrickled(bytes, sink, "bad.json", max_object_bytes);
}

std::string ErrorOf(const std::string& bytes, size_t max_object_bytes = 64 << 20) {
  RecordingSink sink;
  Status status = Read(bytes, sink, max_object_bytes);
  EXPECT_FALSE(status.ok()) << bytes;
  return status.message();
}

TEST(ReadStixBundleErrorsTest, EveryTruncationIsAnErrorNamingTheSource) {
  const std::string bundle = Bundle(kGood + "," + kGood);
  for (size_t cut = 0; cut < bundle.size(); ++cut) {
    RecordingSink sink;
    Status status = Read(bundle.substr(0, cut), sink);
    ASSERT_FALSE(status.ok()) << "prefix of " << cut << " bytes was accepted";
    EXPECT_EQ(status.message().rfind("bad.json: byte ", 0), 0u) << status.message();
  }
}

TEST(ReadStixBundleErrorsTest, TruncationNamesTheOffset) {
  const std::string bundle = Bundle(kGood);
  const std::string message = ErrorOf(bundle.substr(0, bundle.size() - 10));
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  EXPECT_NE(message.find("byte " + std::to_string(bundle.size() - 10)), std::string::npos) << message;
}

TEST(ReadStixBundleErrorsTest, NotJson) {
  EXPECT_NE(ErrorOf("hello").find("byte 0: not a STIX bundle"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("empty input"), std::string::npos);
  EXPECT_NE(ErrorOf("   \n").find("empty input"), std::string::npos);
  EXPECT_NE(ErrorOf("\x1f\x8b garbage").find("not a STIX bundle"), std::string::npos);
}

TEST(ReadStixBundleErrorsTest, WrongTopLevelShape) {
  // A lone object needs an id of its own type (a lone valid object is read:
  // stix_reader_test.cc).
  EXPECT_NE(ErrorOf(R"({"type":"indicator","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"})")
                .find("has type \"indicator\", not a STIX bundle"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"campaign","name":"x"})").find("has type \"campaign\", not a STIX bundle"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"report","objects":[]})").find("has type \"report\", not a STIX bundle"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"objects":[],"type":"report"})").find("has type \"report\", not a STIX bundle"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"id":"bundle--nope","type":"bundle"})").find("is not bundle--<uuid>"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"objects":{},"type":"bundle"})").find("\"objects\" is not an array"),
            std::string::npos);
  EXPECT_NE(ErrorOf("{}").find("no \"type\""), std::string::npos);
  // Objects without a type around them: a TAXII envelope, read as a bundle.
  RecordingSink envelope;
  EXPECT_TRUE(Read(R"({"more":false,"objects":[]})", envelope).ok());
  EXPECT_NE(ErrorOf(R"({"more":false})").find("no \"type\""), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"bundle","objects":{}})").find("\"objects\" is not an array"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":5,"objects":[]})").find("bundle \"type\" must be a JSON string"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"bundle","id":"bundle--nope"})").find("is not bundle--<uuid>"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"bundle" "objects":[]})").find("expected ',' or '}'"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"bundle",5:1})").find("expected a property name"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"bundle","objects":[] } {})").find("after the end of the bundle"),
            std::string::npos);
  EXPECT_NE(ErrorOf("42").find("not a STIX bundle"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"bundle","x_flag":tru})").find("\"x_flag\" is not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"bundle","x_list":[1,}})").find("\"x_list\" is not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf(Bundle(kGood + " " + kGood)).find("expected ',' or ']'"), std::string::npos);
}

TEST(ReadStixBundleErrorsTest, ADraftBundleListingObjectsByTypeIsRefusedNotReadAsEmpty) {
  // The shape of pre-release STIX 2 examples (apt1.json before 2.0).
  const std::string draft = R"({"type":"bundle","id":")" + kBundleId +
                            R"(","spec_version":"2.0","indicators":[)" + kGood +
                            R"(],"reports":[],"x_custom":{"a":1}})";
  const std::string message = ErrorOf(draft);
  EXPECT_NE(message.find("no \"objects\" list but lists \"indicators\", \"reports\""), std::string::npos)
      << message;
  EXPECT_EQ(message.rfind("bad.json: byte ", 0), 0u) << message;
  // A bundle with objects may carry other lists of its own.
  RecordingSink sink;
  ASSERT_TRUE(Read(R"({"type":"bundle","id":")" + kBundleId + R"(","x_list":[1],"objects":[)" + kGood + "]}", sink)
                  .ok());
  EXPECT_EQ(sink.indicators.size(), 1u);
}

TEST(ReadStixBundleErrorsTest, InvalidJsonInsideAnObjectNamesItsOffset) {
  const std::string bundle = Bundle(kGood + R"(,{"type":"indicator","id":})");
  const std::string message = ErrorOf(bundle);
  const size_t offset = bundle.find(R"({"type":"indicator","id":})");
  EXPECT_NE(message.find("byte " + std::to_string(offset) + ": object #1 is not valid JSON"), std::string::npos)
      << message;
  EXPECT_NE(ErrorOf(Bundle(R"({"a":[}])")).find("not valid JSON"), std::string::npos);
}

TEST(ReadStixBundleErrorsTest, ObjectOverTheSizeLimit) {
  const std::string huge = R"({"type":"note","id":"note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","content":")" +
                           std::string(5000, 'x') + "\"}";
  RecordingSink sink;
  Status status = Read(Bundle(kGood + "," + huge), sink, 1000);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kResourceExhausted);
  EXPECT_NE(status.message().find("bad.json: byte " + std::to_string(Bundle(kGood + ",").size() - 2)),
            std::string::npos)
      << status.message();
  EXPECT_EQ(sink.objects.size(), 1u);  // the object before it was read
  // Huge members of the bundle itself are bounded too.
  EXPECT_NE(ErrorOf(R"({"type":"bundle","x_big":")" + std::string(5000, 'y') + "\"}", 1000).find("limit"),
            std::string::npos);
}

struct RejectCase {
  std::string object;
  std::string location;  // expected substring of the rejection's location
  std::string reason;    // expected substring of the reason
};

// Each invalid object is rejected with its id (or index) and the reader goes
// on to the valid object after it.
TEST(ReadStixBundleErrorsTest, InvalidStixObjectsAreRejectedAndReadingContinues) {
  const std::string id = "indicator--0a1b2c3d-0000-4000-8000-000000000009";
  auto indicator = [&](const std::string& fields) {
    return R"({"type":"indicator","spec_version":"2.1","id":")" + id +
           R"(","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","pattern_type":"stix")" +
           fields + "}";
  };
  const std::string valid_pattern = R"(,"pattern":"[url:value = 'http://a.example/']","valid_from":"2024-01-01T00:00:00Z")";
  const std::vector<RejectCase> cases = {
      {R"({"type":"indicator"})", "bad.json: object #0 (byte ", "missing required property \"id\""},
      {R"({"id":"indicator--0a1b2c3d-0000-4000-8000-000000000009"})", id, "missing required property \"type\""},
      {R"({"type":"indicator","id":"indicator-0a1b2c3d"})", "indicator-0a1b2c3d", "is not indicator--<uuid>"},
      {R"({"type":"malware","id":")" + id + R"("})", id, "is not malware--<uuid>"},
      {R"({"type":7,"id":"x"})", "bad.json: x", "property \"type\" must be a string"},
      {R"({"type":"indicator","spec_version":"3.0","id":")" + id + R"("})", id, "unsupported spec_version"},
      {R"({"type":"indicator","spec_version":"2.1","id":")" + id + R"(","created":5})", id,
       "property \"created\" must be a string"},
      {R"({"type":"indicator","spec_version":"2.1","id":")" + id + R"(","created":"yesterday"})", id,
       "property \"created\" is not a timestamp"},
      {R"({"type":"indicator","spec_version":"2.1","id":")" + id + R"(","modified":"2024-01-01T00:00:00Z"})",
       id, "missing required property \"created\""},
      {R"({"type":"indicator","spec_version":"2.1","id":")" + id +
           R"(","created":"2024-02-01T00:00:00Z","modified":"2024-01-01T00:00:00Z"})",
       id, "modified is before created"},
      {indicator(valid_pattern + R"(,"labels":"x")"), id, "\"labels\" must be a list of strings"},
      {indicator(valid_pattern + R"(,"labels":[])"), id, "\"labels\" is an empty list"},
      {indicator(valid_pattern + R"(,"object_marking_refs":"tlp")"), id, "object_marking_refs"},
      {indicator(valid_pattern + R"(,"object_marking_refs":[5])"), id, "object_marking_refs"},
      {indicator(valid_pattern + R"(,"object_marking_refs":["identity--0a1b2c3d-0000-4000-8000-000000000009"])"),
       id, "is not a marking-definition id"},
      {indicator(valid_pattern + R"(,"confidence":"high")"), id, "\"confidence\" must be an integer from 0 to 100"},
      {indicator(valid_pattern + R"(,"confidence":101)"), id, "\"confidence\" must be an integer"},
      {indicator(valid_pattern + R"(,"revoked":"no")"), id, "\"revoked\" must be true or false"},
      {indicator(R"(,"valid_from":"2024-01-01T00:00:00Z")"), id, "missing required property \"pattern\""},
      {indicator(R"(,"pattern":["x"],"valid_from":"2024-01-01T00:00:00Z")"), id, "\"pattern\" must be a string"},
      {indicator(R"(,"pattern":"[url:value = 'x']")"), id, "missing required property \"valid_from\""},
      {indicator(valid_pattern + R"(,"valid_until":"2023-01-01T00:00:00Z")"), id,
       "valid_until is not after valid_from"},
      {R"({"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":7})",
       "ipv4-addr--ff26c055", "\"value\" must be a string"},
      {R"({"type":"file","id":"file--ff26c055-6336-5bc5-b98d-13d6226742dd","hashes":{"MD5":5}})", "file--",
       "\"hashes\" must map names to strings"},
      {R"({"type":"sighting","spec_version":"2.1","id":"sighting--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z"})",
       "sighting--", "missing required property \"sighting_of_ref\""},
      {R"({"type":"report","spec_version":"2.1","id":"report--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","published":"2024-01-01T00:00:00Z",)"
       R"("object_refs":"x"})",
       "report--", "\"object_refs\" must be a list of strings"},
      {R"({"type":"Indicator","spec_version":"2.1","id":"Indicator--ff26c055-6336-4bc5-b98d-13d6226742dd"})",
       "Indicator--", "is not a STIX type name"},
      {R"({"type":"indicator","spec_version":"2.1","id":")" + id +
           R"(","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",)"
           R"("pattern":"[url:value = 'http://a.example/']","valid_from":"2024-01-01T00:00:00Z"})",
       id, "missing required property \"pattern_type\""},
      {R"({"type":"malware","spec_version":"2.1","id":"malware--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","name":"x"})",
       "malware--", "missing required property \"is_family\""},
      {R"({"type":"malware","spec_version":"2.1","id":"malware--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","is_family":true})",
       "malware--", "missing required property \"name\""},
      {R"({"type":"relationship","spec_version":"2.1","id":"relationship--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","relationship_type":"uses",)"
       R"("source_ref":"malware--ff26c055-6336-4bc5-b98d-13d6226742dd"})",
       "relationship--", "missing required property \"target_ref\""},
      {R"({"type":"relationship","spec_version":"2.1","id":"relationship--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","relationship_type":"uses",)"
       R"("source_ref":"marking-definition--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("target_ref":"malware--ff26c055-6336-4bc5-b98d-13d6226742dd"})",
       "relationship--", "\"source_ref\" must name a domain or cyber-observable object"},
      {R"({"type":"report","spec_version":"2.1","id":"report--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","name":"r",)"
       R"("object_refs":["malware--ff26c055-6336-4bc5-b98d-13d6226742dd"]})",
       "report--", "missing required property \"published\""},
      {R"({"type":"report","spec_version":"2.1","id":"report--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","name":"r",)"
       R"("published":"2024-01-01T00:00:00Z"})",
       "report--", "missing required property \"object_refs\""},
      // The seen and observed spans in order, as the OASIS validator asks.
      {R"({"type":"malware","spec_version":"2.1","id":"malware--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","is_family":false,)"
       R"("first_seen":"2024-02-02T00:00:00Z","last_seen":"2024-02-01T00:00:00Z"})",
       "malware--", "\"last_seen\" (2024-02-01T00:00:00Z) is before \"first_seen\""},
      {R"({"type":"sighting","spec_version":"2.1","id":"sighting--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","sighting_of_ref":")" + id +
           R"(","first_seen":"2024-02-02T00:00:00.000Z","last_seen":"2024-02-01T00:00:00.000Z"})",
       "sighting--", "is before \"first_seen\""},
      {R"({"type":"observed-data","spec_version":"2.1","id":"observed-data--ff26c055-6336-4bc5-b98d-13d6226742dd",)"
       R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","number_observed":1,)"
       R"("first_observed":"2024-02-02T00:00:00Z","last_observed":"2024-02-01T00:00:00Z",)"
       R"("object_refs":["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"]})",
       "observed-data--", "\"last_observed\" (2024-02-01T00:00:00Z) is before \"first_observed\""},
      {indicator(R"(,"pattern":"[file:hashes.MD5 = 'nothex']","valid_from":"2024-01-01T00:00:00Z")"), id,
       "'nothex' is not a valid MD5 hash"},
      {"[1,2]", "bad.json: object #0", "not a JSON object"},
      {"\"text\"", "bad.json: object #0", "not a JSON object"},
  };
  for (const auto& test_case : cases) {
    RecordingSink sink;
    Status status = Read(Bundle(test_case.object + "," + kGood), sink);
    ASSERT_TRUE(status.ok()) << test_case.object << ": " << status.ToString();
    ASSERT_EQ(sink.rejections.size(), 1u) << test_case.object;
    EXPECT_NE(sink.rejections[0].location.find(test_case.location), std::string::npos)
        << test_case.object << " -> " << sink.rejections[0].location;
    EXPECT_NE(sink.rejections[0].reason.find(test_case.reason), std::string::npos)
        << test_case.object << " -> " << sink.rejections[0].reason;
    // Nothing of the invalid object was emitted; the valid one after it was.
    ASSERT_EQ(sink.objects.size(), 1u) << test_case.object;
    EXPECT_EQ(sink.objects[0].id, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
    EXPECT_EQ(sink.indicators.size(), 1u);
  }
}

// Indicators whose pattern Accord cannot match are stored as objects and
// their pattern is noted with the reason. Only a malformed pattern is a
// rejection, and its indicator is not stored; valid STIX Accord does not match (another pattern language,
// an operator or object outside the subset, a revoked indicator) is a note
// flagged not_matched, which the importer does not count as an error.
TEST(ReadStixBundleErrorsTest, UnmatchablePatternsAreStoredAndNotedAndMalformedOnesRejectedUnstored) {
  const std::string id = "indicator--0a1b2c3d-0000-4000-8000-00000000000a";
  auto indicator = [&](const std::string& fields) {
    return R"({"type":"indicator","spec_version":"2.1","id":")" + id +
           R"(","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","valid_from":"2024-01-01T00:00:00Z")" +
           fields + "}";
  };
  struct Case {
    std::string fields;
    std::string reason;
    bool not_matched;
  };
  const std::vector<Case> cases = {
      {R"(,"pattern":"[process:name = 'evil.exe']","pattern_type":"stix")", "unsupported: process:name", true},
      {R"(,"pattern":"[domain-name:value MATCHES 'x']","pattern_type":"stix")", "unsupported: operator MATCHES", true},
      {R"(,"pattern":"[domain-name:value = 'x'] FOLLOWEDBY [url:value = 'http://x/']","pattern_type":"stix")",
       "unsupported: FOLLOWEDBY", true},
      {R"(,"pattern":"[domain-name:value = 'x'","pattern_type":"stix")", "pattern offset 24: expected ']'", false},
      {R"(,"pattern":"[domain-name:value = 'x' ; ]","pattern_type":"stix")", "unexpected character ';'", false},
      {R"(,"pattern":"rule x { condition: true }","pattern_type":"yara")", "pattern_type yara is stored but not matched", true},
      {R"(,"pattern":"title: x\ndetection:\n  condition: selection","pattern_type":"sigma")",
       "pattern_type sigma is stored but not matched", true},
      {R"(,"pattern":"alert tcp any any","pattern_type":"snort")", "pattern_type snort is stored but not matched", true},
      {R"(,"pattern":"[domain-name:value = 'x']","pattern_type":"stix","revoked":true)",
       "revoked indicator is stored but not matched", true},
  };
  for (const auto& [fields, reason, not_matched] : cases) {
    RecordingSink sink;
    ASSERT_TRUE(Read(Bundle(indicator(fields)), sink).ok()) << fields;
    ASSERT_EQ(sink.rejections.size(), 1u) << fields;
    EXPECT_EQ(sink.rejections[0].location, "bad.json: " + id);
    EXPECT_NE(sink.rejections[0].reason.find(reason), std::string::npos) << sink.rejections[0].reason;
    EXPECT_EQ(sink.rejections[0].not_matched, not_matched) << fields;
    // A malformed pattern is not valid STIX: its indicator is not stored
    // (it was, and went on to other organisations' exports).
    EXPECT_EQ(sink.objects.size(), not_matched ? 1u : 0u) << fields;
    EXPECT_TRUE(sink.indicators.empty());
    EXPECT_TRUE(sink.events.empty());  // no empty group event
  }
}

// MISP writes "filename|ssdeep" as a file name AND an SSDEEP hash: the name
// is matched, the hash named in a note, and the indicator is not lost.
TEST(ReadStixBundleErrorsTest, UnmatchedComparisonBesideMatchedOnesIsNotedAndTheRestMatched) {
  const std::string id = "indicator--9060e814-a36f-45ab-84e5-66fc82dc7cff";
  const std::string bundle = Bundle(
      R"({"type":"indicator","spec_version":"2.1","id":")" + id +
      R"(","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","valid_from":"2024-01-01T00:00:00Z",)"
      R"("pattern_type":"stix","pattern":"[file:name = 'filename7' AND file:hashes.SSDEEP = '96:QRWkwoBevsL0:QRWkt']"})");
  RecordingSink sink;
  ASSERT_TRUE(Read(bundle, sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kFileName);
  EXPECT_EQ(sink.indicators[0].value, "filename7");
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_TRUE(sink.rejections[0].not_matched);
  EXPECT_NE(sink.rejections[0].reason.find("unsupported: file:hashes.SSDEEP"), std::string::npos)
      << sink.rejections[0].reason;
}

// The STIX examples sight malware; there is no value to count the sighting
// against, but the node holds the malware and the sighting, so this is no
// "sighting of something this node does not hold".
TEST(ReadStixBundleErrorsTest, SightingOfMalwareIsStoredAndNotedNotCounted) {
  const std::string bundle = Bundle(
      R"({"type":"sighting","spec_version":"2.1","id":"sighting--779c4ae8-e134-4180-baa4-03141095d971",)"
      R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","count":1,)"
      R"("sighting_of_ref":"malware--ae560258-a5cb-4be8-8f05-013d6712295f"})");
  RecordingSink sink;
  ASSERT_TRUE(Read(bundle, sink).ok());
  EXPECT_EQ(sink.objects.size(), 1u);
  EXPECT_TRUE(sink.sightings.empty());
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_TRUE(sink.rejections[0].not_matched);
  EXPECT_NE(sink.rejections[0].reason.find("sighting of a malware is stored"), std::string::npos);
}

// created_by_ref is passed on when it is an identity id (the importer levels
// unmarked identities by it); anything else there breaks STIX 2.1 (3.2: it
// MUST name an identity) and rejects the object, naming the property.
TEST(ReadStixBundleErrorsTest, CreatedByRefIsPassedOnOnlyWhenItNamesAnIdentity) {
  auto malware = [](const std::string& uuid_tail, const std::string& created_by_ref) {
    return R"({"type":"malware","spec_version":"2.1","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b589)" +
           uuid_tail +
           R"(","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","name":"m","is_family":true,)"
           R"("created_by_ref":)" + created_by_ref + "}";
  };
  const std::string author = "identity--7af17dc7-1024-45f7-8953-a52ffcd35f3f";
  RecordingSink sink;
  ASSERT_TRUE(Read(Bundle(malware("01", "\"" + author + "\"") + "," +
                          malware("02", R"("malware--31b940d4-6f7f-459a-80ea-9c1f17b58901")") + "," +
                          malware("03", R"("identity--not-a-uuid")") + "," + malware("04", "42")),
                   sink)
                  .ok());
  ASSERT_EQ(sink.objects.size(), 1u);
  EXPECT_EQ(sink.objects[0].created_by_ref, author);
  ASSERT_EQ(sink.rejections.size(), 3u);
  EXPECT_NE(sink.rejections[0].reason.find("\"created_by_ref\" must name an identity"), std::string::npos)
      << sink.rejections[0].reason;
  EXPECT_NE(sink.rejections[1].reason.find("\"created_by_ref\" must name an identity"), std::string::npos)
      << sink.rejections[1].reason;
  EXPECT_NE(sink.rejections[2].reason.find("\"created_by_ref\" must be a string"), std::string::npos)
      << sink.rejections[2].reason;
}

TEST(ReadStixBundleErrorsTest, SinkErrorStopsTheReaderAndIsReturned) {
  RecordingSink sink;
  sink.fail_objects_after = 1;
  const std::string second = R"({"type":"malware","spec_version":"2.1","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",)"
                             R"("created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","name":"m",)"
                             R"("is_family":true})";
  Status status = Read(Bundle(kGood + "," + second + "," + second), sink);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_EQ(sink.objects.size(), 2u);
  EXPECT_TRUE(sink.rejections.empty());
}

}  // namespace
}  // namespace accord
