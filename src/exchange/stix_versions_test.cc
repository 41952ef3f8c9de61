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

// A node serves an object it holds above AMBER with its level's marking
// added (TAXII, export): the copy coming back from a peer that pulled it
// is the same version, not a changed object.
TEST_F(ExchangeTest, AnObjectComingBackWithTheTlpMarkingItWasServedWithIsKnown) {
  ImportReport first = Import("a.json", Bundle(Malware("Lumma")), Tlp::kRed);
  EXPECT_EQ(first.stix_objects_new, 1);
  std::string marked = Malware("Lumma");
  marked.insert(marked.size() - 1, R"(,"object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"])");
  ImportReport back = Import("b.json", Bundle(marked), Tlp::kRed);
  EXPECT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_EQ(back.stix_objects_known, 1);
  EXPECT_EQ(back.stix_objects_new, 0);
}

// One instant spelled two ways ("...:00Z", "...:00.000Z") is one version:
// the same object in the other spelling is known, a different one reported,
// and an indicator sent so does not make its second pattern's value live.
TEST_F(ExchangeTest, TwoSpellingsOfOneModifiedAreOneVersion) {
  ImportReport first = Import("a.json", Bundle(Malware("Lumma", "2026-02-01T00:00:00.000Z")), Tlp::kGreen);
  EXPECT_EQ(first.stix_objects_new, 1);
  ImportReport same = Import("b.json", Bundle(Malware("Lumma", "2026-02-01T00:00:00Z")), Tlp::kGreen);
  EXPECT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_EQ(same.stix_objects_known, 1);
  EXPECT_EQ(same.stix_objects_new, 0);
  ImportReport changed = Import("c.json", Bundle(Malware("LummaC2", "2026-02-01T00:00:00.0000Z")), Tlp::kGreen);
  EXPECT_EQ(changed.rejected, 1);
  EXPECT_EQ(changed.stix_objects_new, 0);

  auto indicator = [](const std::string& modified, const std::string& domain) {
    return std::string(R"({"type":"indicator","spec_version":"2.1",)") +
           R"("id":"indicator--5d2c07bb-7a3f-4f57-9d3a-0c1c6f1f2a11","created":"2026-08-01T00:00:00.000Z",)" +
           R"("modified":")" + modified + R"(","pattern_type":"stix","valid_from":"2026-08-01T00:00:00Z",)" +
           R"("pattern":"[domain-name:value = ')" + domain + R"(']"})";
  };
  rejections_.clear();
  Import("versions.json",
         Bundle(indicator("2026-08-01T00:00:00.000Z", "dupver-a.example") + "," +
                indicator("2026-08-01T00:00:00Z", "dupver-b.example")),
         Tlp::kGreen);
  EXPECT_EQ(rejections_.size(), 1u);
  const std::string zeek = ExportAs(owner_, ExportFormat::kZeek);
  EXPECT_NE(zeek.find("dupver-a.example"), std::string::npos);
  EXPECT_EQ(zeek.find("dupver-b.example"), std::string::npos) << zeek;
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

// STIX 2.1 3.6: the newest version of an object is the object. A report's
// event follows its newest version whatever order the versions come in: an
// older version listed after a newer one, or imported later, changes neither
// the event's title nor its level (a GREEN older version read last made a
// RED report's event GREEN).
TEST_F(ExchangeTest, AnOlderReportVersionReadAfterANewerOneLeavesTheEventAsTheNewerLeftIt) {
  const std::string report_id = "report--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
  const std::string red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
  const std::string green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
  auto indicator = [](const std::string& id, const std::string& value) {
    return R"({"type":"indicator","spec_version":"2.1","id":")" + id +
           R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
           R"("pattern":"[domain-name:value = ')" + value +
           R"(']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"})";
  };
  auto report = [&](const std::string& name, const std::string& modified, const std::string& marking,
                    const std::string& member) {
    return R"({"type":"report","spec_version":"2.1","id":")" + report_id +
           R"(","created":"2026-01-01T00:00:00.000Z","modified":")" + modified + R"(","name":")" + name +
           R"(","published":"2026-01-01T00:00:00Z","object_marking_refs":[")" + marking +
           R"("],"object_refs":[")" + member + R"("]})";
  };
  const std::string first_member = "indicator--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
  const std::string second_member = "indicator--2a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
  const std::string newer = report("Newer", "2026-03-01T00:00:00.000Z", red, first_member);
  const std::string older = report("Older", "2026-02-01T00:00:00.000Z", green, second_member);
  auto the_event = [&] {
    std::vector<EventSummary> events;
    EXPECT_TRUE(store_
                    ->ForEachEvent({},
                                   [&](const EventSummary& e) {
                                     if (e.stix_id == report_id) events.push_back(e);
                                     return Status::Ok();
                                   })
                    .ok());
    EXPECT_EQ(events.size(), 1u);
    return events.empty() ? EventSummary{} : events[0];
  };
  // Newest first in one bundle.
  Import("newest-first.json",
         Bundle(indicator(first_member, "one.example") + "," + indicator(second_member, "two.example") + "," + newer +
                "," + older),
         Tlp::kClear);
  EventSummary event = the_event();
  EXPECT_EQ(event.title, "Newer");
  EXPECT_EQ(event.tlp, Tlp::kRed);
  EXPECT_EQ(event.modified, "2026-03-01T00:00:00.000Z");
  // The newer version's value is the event's, live for its owner.
  EXPECT_NE(ExportAs(owner_, ExportFormat::kZeek).find("one.example\t"), std::string::npos);
  // The older version sent again on its own.
  Import("older-again.json", Bundle(indicator(second_member, "two.example") + "," + older), Tlp::kClear);
  event = the_event();
  EXPECT_EQ(event.title, "Newer");
  EXPECT_EQ(event.tlp, Tlp::kRed);
  // Nothing of the report reaches a reader of GREEN.
  const std::string seen_by_other = ExportAs(other_, ExportFormat::kStix);
  EXPECT_EQ(seen_by_other.find("Older"), std::string::npos) << seen_by_other;
  EXPECT_EQ(seen_by_other.find("Newer"), std::string::npos) << seen_by_other;
  // A later version still moves the event on.
  Import("later.json",
         Bundle(indicator(first_member, "one.example") + "," +
                report("Latest", "2026-04-01T00:00:00.000Z", red, first_member)),
         Tlp::kClear);
  EXPECT_EQ(the_event().title, "Latest");
}

// A report shared GREEN, then restricted by its producer (a later version
// marked AMBER): the GREEN version is no longer given to GREEN readers (a
// downstream node went on serving it over TAXII and in exports, so a third
// country received what its producer had restricted). Another
// organisation's stricter version of the same id changes nothing.
TEST_F(ExchangeTest, AReportRestrictedByALaterVersionIsNoLongerGivenAtItsEarlierLevel) {
  const std::string report_id = "report--6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e";
  const std::string green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
  const std::string amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
  auto report = [&](const std::string& name, const std::string& modified, const std::string& marking) {
    return R"({"type":"report","spec_version":"2.1","id":")" + report_id +
           R"(","created":"2026-01-01T00:00:00.000Z","modified":")" + modified + R"(","name":")" + name +
           R"(","published":"2026-01-01T00:00:00Z","object_marking_refs":[")" + marking +
           R"("],"object_refs":["malware--4f6a3d2c-1b0e-4c8d-9a7f-6e5d4c3b2a19"]})";
  };
  Import("shared.json", Bundle(report("Shared widely", "2026-02-01T00:00:00.000Z", green)), Tlp::kClear);
  ASSERT_NE(ExportAs(other_, ExportFormat::kStix).find("Shared widely"), std::string::npos);
  ImportReport restricted =
      Import("restricted.json", Bundle(report("Restricted", "2026-03-01T00:00:00.000Z", amber)), Tlp::kClear);
  EXPECT_EQ(restricted.stix_objects_new, 1);
  const std::string seen_by_other = ExportAs(other_, ExportFormat::kStix);
  EXPECT_EQ(seen_by_other.find("Shared widely"), std::string::npos) << seen_by_other;
  EXPECT_EQ(seen_by_other.find("Restricted"), std::string::npos);
  EXPECT_NE(ExportAs(owner_, ExportFormat::kStix).find("Restricted"), std::string::npos);
  // The earlier version sent again is history: known, not given again.
  rejections_.clear();
  ImportReport again =
      Import("shared-again.json", Bundle(report("Shared widely", "2026-02-01T00:00:00.000Z", green)), Tlp::kClear);
  EXPECT_EQ(again.stix_objects_new, 0);
  EXPECT_EQ(again.stix_objects_known, 1);
  ASSERT_EQ(rejections_.size(), 1u);
  EXPECT_TRUE(rejections_[0].not_matched);
  EXPECT_EQ(ExportAs(other_, ExportFormat::kStix).find("Shared widely"), std::string::npos);
}

// Only the producer's own stricter marking restricts: an unmarked object
// takes the level of the report it comes with, so its next version named
// by an AMBER report leaves the version a GREEN report gave its readers.
TEST_F(ExchangeTest, AnUnmarkedObjectsEarlierVersionStaysWhereItWasWhenAStricterReportNamesTheNext) {
  auto report = [](const std::string& id, const std::string& name, const std::string& marking) {
    return R"({"type":"report","spec_version":"2.1","id":")" + id +
           R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":")" + name +
           R"(","published":"2026-01-01T00:00:00Z","object_marking_refs":[")" + marking + R"("],"object_refs":[")" +
           kMalwareId + R"("]})";
  };
  const std::string green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
  const std::string amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
  Import("green.json",
         Bundle(Malware("Lumma") + "," + report("report--1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d", "Green", green)),
         Tlp::kClear);
  ASSERT_NE(ExportAs(other_, ExportFormat::kStix).find("\"Lumma\""), std::string::npos);
  Import("amber.json",
         Bundle(Malware("LummaC2", "2026-03-01T00:00:00.000Z") + "," +
                report("report--2b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d", "Amber", amber)),
         Tlp::kClear);
  EXPECT_NE(ExportAs(other_, ExportFormat::kStix).find("\"Lumma\""), std::string::npos)
      << "the producer restricted nothing";
}

}  // namespace
}  // namespace accord
