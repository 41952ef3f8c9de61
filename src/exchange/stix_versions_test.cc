// STIX object versions on import: (id, modified) names one content, so a
// second, different object under the same pair is reported, not counted as
// known; the same object written by another serializer is known.
#include <gtest/gtest.h>

#include <string>

#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

constexpr char kMalwareId[] = "malware--4f6a3d2c-1b0e-4c8d-9a7f-6e5d4c3b2a19";

std::string Malware(const std::string& name, const std::string& modified = "2026-02-01T00:00:00.000Z",
                    const std::string& id = kMalwareId) {
  return std::string(R"({"type":"malware","spec_version":"2.1","id":")") + id +
         R"(","created":"2026-01-01T00:00:00.000Z","modified":")" + modified + R"(","name":")" + name +
         R"(","is_family":true})";
}

std::string Bundle(const std::string& objects) {
  return R"({"type":"bundle","id":"bundle--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d","objects":[)" + objects +
         "]}";
}

TEST_F(ExchangeTest, ADifferentObjectUnderAStoredIdAndModifiedIsReportedAndTheStoredOneKept) {
  // In one file, and in one batch or two.
  for (size_t batch : {size_t{20000}, size_t{1}}) {
    SCOPED_TRACE(batch);
    rejections_.clear();
    const std::string name = "twice-" + std::to_string(batch) + ".json";
    const std::string id = "malware--4f6a3d2c-1b0e-4c8d-9a7f-6e5d4c3b2a" + std::to_string(10 + batch % 90);
    const std::string modified = "2026-02-01T00:00:00.000Z";
    ImportReport report = Import(
        name, Bundle(Malware("Lumma", modified, id) + "," + Malware("LummaC2", modified, id)), Tlp::kGreen, batch);
    ASSERT_EQ(rejections_.size(), 1u);
    EXPECT_EQ(rejections_[0].location, dir_.Join(name) + ": " + id);
    EXPECT_NE(rejections_[0].reason.find("modified 2026-02-01T00:00:00.000Z"), std::string::npos)
        << rejections_[0].reason;
    EXPECT_FALSE(rejections_[0].not_matched);
    EXPECT_EQ(report.rejected, 1);
    EXPECT_EQ(report.stix_objects_new, 1);
    EXPECT_EQ(report.stix_objects_known, 0);
    const std::string stix = ExportAs(owner_, ExportFormat::kStix);
    EXPECT_NE(stix.find("\"Lumma\""), std::string::npos);
    EXPECT_EQ(stix.find("LummaC2"), std::string::npos);
    // Sent again, the stored object is known and the other reported again.
    rejections_.clear();
    ImportReport again = Import(
        name, Bundle(Malware("Lumma", modified, id) + "," + Malware("LummaC2", modified, id)), Tlp::kGreen, batch);
    EXPECT_EQ(again.stix_objects_known, 1);
    EXPECT_EQ(again.rejected, 1);
  }
}

// MITRE releases ATT&CK as STIX 2.1 and as 2.0: one version of an object in
// both (Enterprise 2.0 after ICS 2.1) is known, not a changed object, though
// the upgrade adds is_family and the 2.0 release carries labels.
TEST_F(ExchangeTest, OneVersionReleasedAsStix21AndAs20IsKnown) {
  ImportReport first = Import("ics.json", Bundle(Malware("Stuxnet")), Tlp::kClear);
  EXPECT_EQ(first.stix_objects_new, 1);
  const std::string stix20 = std::string(R"({"type":"bundle","id":"bundle--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4e",)") +
                             R"("spec_version":"2.0","objects":[{"type":"malware","id":")" + kMalwareId +
                             R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-02-01T00:00:00.000Z",)"
                             R"("name":"Stuxnet","labels":["malware"]}]})";
  ImportReport second = Import("enterprise.json", stix20, Tlp::kClear);
  EXPECT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_EQ(second.rejected, 0);
  EXPECT_EQ(second.stix_objects_known, 1);
  // A 2.0 release that changed the object is still reported.
  const std::string changed = std::string(stix20).replace(stix20.find("\"Stuxnet\""), 9, "\"Stuxnet2\"");
  ImportReport third = Import("changed.json", changed, Tlp::kClear);
  EXPECT_EQ(third.rejected, 1);
}

// A TLP 1.0 marking definition a 2.0 bundle brought before the upgrade
// named it is the same object as the named one now (a marking definition
// has no modified: one id, one version).
TEST_F(ExchangeTest, ATlp1MarkingStoredWithoutItsNameIsKnownWhenReadAgain) {
  const std::string marking =
      R"({"type":"marking-definition","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",)"
      R"("created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"green"}})";
  auto bundle = [&](const std::string& version, const std::string& object) {
    return R"({"type":"bundle","id":"bundle--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4f","spec_version":")" + version +
           R"(","objects":[)" + object + "]}";
  };
  // As an older Accord stored it: upgraded, without the name.
  std::string unnamed = marking;
  unnamed.insert(unnamed.find(",\"id\""), R"(,"spec_version":"2.1")");
  ImportReport first = Import("old.json", bundle("2.1", unnamed), Tlp::kClear);
  EXPECT_EQ(first.stix_objects_new, 1);
  ImportReport second = Import("again.json", bundle("2.0", marking), Tlp::kClear);
  EXPECT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_EQ(second.stix_objects_known, 1);
}

// An observed-data a 2.0 feed brought, stored before the upgrade gave its
// embedded objects ids: the same feed read again is known, not a changed
// object under the same version.
TEST_F(ExchangeTest, AStix20ObservedDataStoredBeforeItsObjectsHadIdsIsKnownWhenReadAgain) {
  const std::string body =
      R"("id":"observed-data--5b1e6c1a-3f2d-4c4e-9a8b-1d2e3f4a5b6c","created":"2017-01-01T00:00:00.000Z",)"
      R"("modified":"2017-01-01T00:00:00.000Z","first_observed":"2017-01-01T00:00:00Z",)"
      R"("last_observed":"2017-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr",)"
      R"("value":"198.51.100.3"},"1":{"type":"network-traffic","dst_ref":"0","protocols":["tcp"]}}})";
  auto bundle = [](const std::string& version, const std::string& object) {
    return R"({"type":"bundle","id":"bundle--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d","spec_version":")" + version +
           R"(","objects":[)" + object + "]}";
  };
  // As an older Accord stored it: upgraded, its objects without ids.
  ImportReport first =
      Import("old.json", bundle("2.1", R"({"type":"observed-data","spec_version":"2.1",)" + body), Tlp::kGreen);
  EXPECT_EQ(first.stix_objects_new, 1);
  ImportReport second = Import("again.json", bundle("2.0", R"({"type":"observed-data",)" + body), Tlp::kGreen);
  EXPECT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_EQ(second.stix_objects_known, 1);
}

TEST_F(ExchangeTest, TheSameObjectWrittenByAnotherSerializerIsKnown) {
  ImportReport first = Import("first.json", Bundle(Malware("Lumma")), Tlp::kGreen);
  EXPECT_EQ(first.stix_objects_new, 1);
  // Keys in another order and spaces: the same JSON value.
  const std::string reordered =
      std::string(R"({ "name" : "Lumma", "is_family" : true, "id" : ")") + kMalwareId +
      R"(", "modified" : "2026-02-01T00:00:00.000Z", "created" : "2026-01-01T00:00:00.000Z",)"
      R"( "spec_version" : "2.1", "type" : "malware" })";
  ImportReport second = Import("second.json", Bundle(reordered), Tlp::kGreen);
  EXPECT_EQ(second.stix_objects_known, 1);
  EXPECT_EQ(second.rejected, 0);
  EXPECT_TRUE(rejections_.empty());
  // A changed object with a later modified is its next version.
  ImportReport third = Import("third.json", Bundle(Malware("LummaC2", "2026-03-01T00:00:00.000Z")), Tlp::kGreen);
  EXPECT_EQ(third.stix_objects_new, 1);
  EXPECT_EQ(third.rejected, 0);
}

// SCO ids are derived from some properties only (a file's from its hashes),
// so two observations of one file may differ elsewhere: not a conflict.
TEST_F(ExchangeTest, ObservablesSharingAnIdAreNotVersionConflicts) {
  const std::string file_id = "file--6f1a2b3c-4d5e-5f60-8172-839405a6b7c8";
  auto file = [&](const std::string& name) {
    return R"({"type":"file","spec_version":"2.1","id":")" + file_id + R"(","name":")" + name +
           R"(","hashes":{"MD5":"d41d8cd98f00b204e9800998ecf8427e"}})";
  };
  ImportReport report = Import("files.json", Bundle(file("a.exe") + "," + file("b.exe")), Tlp::kGreen);
  EXPECT_EQ(report.rejected, 0);
  EXPECT_TRUE(rejections_.empty());
  EXPECT_EQ(report.stix_objects_new, 1);
  EXPECT_EQ(report.stix_objects_known, 1);
}

}  // namespace
}  // namespace accord
