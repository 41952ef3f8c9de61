// STIX sightings on a real node: what each counts against.
#include <gtest/gtest.h>

#include <string>

#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

constexpr char kFileId[] = "file--5a27d487-c542-5f97-a131-a8866b477b46";
constexpr char kObservedId[] = "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf";
constexpr char kMalwareId[] = "malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc";
const std::string kMd5 = "d41d8cd98f00b204e9800998ecf8427e";

std::string Bundle(const std::string& objects) {
  return R"({"type":"bundle","id":"bundle--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d","objects":[)" + objects +
         "]}";
}

// A file, the STIX 2.1 observed-data naming it in object_refs, and malware.
std::string Evidence() {
  return std::string(R"({"type":"file","spec_version":"2.1","id":")") + kFileId +
         R"(","hashes":{"MD5":")" + kMd5 + R"("}},)"
         R"({"type":"observed-data","spec_version":"2.1","id":")" + kObservedId +
         R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
         R"("first_observed":"2026-01-01T00:00:00Z","last_observed":"2026-01-02T00:00:00Z",)"
         R"("number_observed":1,"object_refs":[")" + kFileId + R"("]},)"
         R"({"type":"malware","spec_version":"2.1","id":")" + kMalwareId +
         R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
         R"("name":"Lumma","is_family":true})";
}

std::string Sighting(const std::string& id, const std::string& of, const std::string& observed_refs,
                     int count) {
  std::string sighting = R"({"type":"sighting","spec_version":"2.1","id":")" + id +
                         R"(","created":"2026-01-03T00:00:00.000Z","modified":"2026-01-03T00:00:00.000Z",)"
                         R"("sighting_of_ref":")" + of + R"(","count":)" + std::to_string(count);
  if (!observed_refs.empty()) sighting += R"(,"observed_data_refs":[)" + observed_refs + "]";
  return sighting + "}";
}

int64_t SightingCount(Store& store) {
  auto found = store.LookupObservable({ObservableType::kMd5, kMd5});
  EXPECT_TRUE(found.ok() && found->has_value());
  int64_t total = 0;
  if (found.ok() && found->has_value()) {
    for (const auto& sighting : (*found)->sightings) total += sighting.count;
  }
  return total;
}

// "This malware was seen, and here is what was observed": the files of the
// observed data are what the sighting counts against.
TEST_F(ExchangeTest, ASightingOfMalwareCountsAgainstTheValuesOfItsObservedData) {
  ImportReport report = Import(
      "seen.json",
      Bundle(Sighting("sighting--6b0b8a2e-7e56-4f31-9c3a-5d2f0e1b4a01", kMalwareId,
                      std::string("\"") + kObservedId + "\"", 3) +
             "," + Evidence()),
      Tlp::kGreen);
  EXPECT_EQ(report.sightings, 1);
  EXPECT_EQ(report.rejected, 0);
  EXPECT_EQ(report.not_matched, 0);
  EXPECT_EQ(SightingCount(*store_), 3);
}

// A 2.1 observed-data holds its values by reference; a sighting of it, in a
// later file, counts against them.
TEST_F(ExchangeTest, ASightingOfObservedDataCountsAgainstTheObjectsItRefersTo) {
  Import("evidence.json", Bundle(Evidence()), Tlp::kGreen);
  ImportReport report =
      Import("seen.json", Bundle(Sighting("sighting--6b0b8a2e-7e56-4f31-9c3a-5d2f0e1b4a02", kObservedId, "", 2)),
             Tlp::kGreen);
  EXPECT_EQ(report.sightings, 1);
  EXPECT_EQ(report.rejected, 0);
  EXPECT_EQ(SightingCount(*store_), 2);
}

// Without observed data there is nothing to count against: a note.
TEST_F(ExchangeTest, ASightingOfMalwareWithoutObservedDataIsANoteNotARejection) {
  ImportReport report = Import(
      "seen.json",
      Bundle(Sighting("sighting--6b0b8a2e-7e56-4f31-9c3a-5d2f0e1b4a03", kMalwareId, "", 1) + "," + Evidence()),
      Tlp::kGreen);
  EXPECT_EQ(report.sightings, 0);
  EXPECT_EQ(report.rejected, 0);
  EXPECT_EQ(report.not_matched, 1);
  EXPECT_EQ(SightingCount(*store_), 0);
}

}  // namespace
}  // namespace accord
