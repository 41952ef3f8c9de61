// What export, TAXII and MISP export write for values kept for context or
// on a warning list, end to end on a real SQLite node.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

// A value kept for context (to_ids false, is_indicator false) or on a
// warning list is shared as a cyber-observable, never as an indicator: a
// partner that lacks our warning lists must not alert on 8.8.8.8.
class ContextValuesTest : public ExchangeTest {
 protected:
  void ImportMixedEvent() {
    testing::WriteFile(dir_.Join("wl.json"),
                       R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                       R"("matching_attributes":["ip-dst"],"list":["192.0.2.53/32"]})");
    ASSERT_TRUE(AddWarningList(*store_, dir_.Join("wl.json"), "test").ok());
    Import("feed.csv",
           "type,value,is_indicator,first_seen,last_seen,comment,role\n"
           "ipv4,203.0.113.7,true,,,the c2,c2\n"
           "domain,victim-portal.example,false,2026-01-02,2026-01-05,phished brand,phishing\n"
           "ipv4,192.0.2.53,true,,,resolver it used,\n"
           "filename,invoice.pdf.exe,false,,,dropper name,\n",
           Tlp::kGreen);
    ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  }

  // type -> objects of that type in a bundle
  static std::map<std::string, std::vector<nlohmann::json>> ByType(const std::string& bundle) {
    std::map<std::string, std::vector<nlohmann::json>> by_type;
    const nlohmann::json parsed = nlohmann::json::parse(bundle);
    for (const auto& object : parsed["objects"]) {
      by_type[object["type"].get<std::string>()].push_back(object);
    }
    return by_type;
  }
};

TEST_F(ContextValuesTest, StixExportWritesContextAndWarningListedValuesAsObservables) {
  ImportMixedEvent();
  const std::string bundle = ExportAs(owner_, ExportFormat::kStix);
  auto objects = ByType(bundle);
  ASSERT_EQ(objects["indicator"].size(), 1u) << bundle;
  EXPECT_EQ(objects["indicator"][0]["pattern"], "[ipv4-addr:value = '203.0.113.7']");
  ASSERT_EQ(objects["domain-name"].size(), 1u);
  const nlohmann::json& domain = objects["domain-name"][0];
  EXPECT_EQ(domain["value"], "victim-portal.example");
  EXPECT_EQ(domain["x_accord_first_seen"], "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(domain["x_accord_comment"], "phished brand");
  EXPECT_EQ(domain["x_accord_role"], "phishing");
  EXPECT_EQ(domain["object_marking_refs"][0], std::string(TlpStixMarkingId(Tlp::kGreen)));
  ASSERT_EQ(objects["ipv4-addr"].size(), 1u);
  EXPECT_EQ(objects["ipv4-addr"][0]["value"], "192.0.2.53");
  ASSERT_EQ(objects["file"].size(), 1u);
  EXPECT_EQ(objects["file"][0]["name"], "invoice.pdf.exe");
  // The report names all four, so the receiver keeps them in one event.
  ASSERT_EQ(objects["report"].size(), 1u);
  EXPECT_EQ(objects["report"][0]["object_refs"].size(), 4u);
}

// STIX ids of domain objects must be RFC 4122 uuids (the OASIS schema
// refuses others): an event whose uuid is not a v4 one (old MISP, a CSV's
// event_uuid) exports its report under a stable v4 uuid derived from it.
TEST_F(ContextValuesTest, AnEventWithANonV4UuidExportsAReportWithAValidV4Id) {
  Import("events.csv",
         "type,value,event_uuid,event_title\n"
         "ipv4,203.0.113.8,12345678-1234-1234-1234-123456789abc,Old-style uuid\n",
         Tlp::kGreen);
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  const std::string first = ExportAs(owner_, ExportFormat::kStix);
  auto reports = ByType(first)["report"];
  ASSERT_EQ(reports.size(), 1u) << first;
  const std::string id = reports[0]["id"];
  ASSERT_EQ(id.rfind("report--", 0), 0u);
  EXPECT_NE(id, "report--12345678-1234-1234-1234-123456789abc");
  EXPECT_TRUE(IsUuidV4(id.substr(8))) << id;
  EXPECT_EQ(ByType(ExportAs(owner_, ExportFormat::kStix))["report"][0]["id"], id);  // stable
}

// An event's own export coming back (a partner re-sharing it, A -> B -> A)
// must not turn it into an event "as it came" in STIX: exports then served
// only the incoming copies and dropped the event's indicators and objects.
TEST_F(ContextValuesTest, AnEventsOwnStixExportComingBackChangesNothingExported) {
  ImportMixedEvent();
  const std::string before = ExportAs(owner_, ExportFormat::kStix);
  Import("echo.json", before, Tlp::kGreen);
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  const std::string after = ExportAs(owner_, ExportFormat::kStix);
  auto objects_before = ByType(before);
  auto objects_after = ByType(after);
  for (const char* type : {"report", "indicator", "domain-name", "ipv4-addr", "file", "identity"}) {
    EXPECT_EQ(objects_after[type].size(), objects_before[type].size()) << type;
  }
  ASSERT_EQ(objects_after["report"].size(), 1u);
  EXPECT_EQ(objects_after["report"][0]["object_refs"].size(), 4u);
}

TEST_F(ContextValuesTest, StixRoundTripKeepsContextValuesOutOfDetection) {
  ImportMixedEvent();
  auto second = ImportIntoAnotherNode("export.json", ExportAs(owner_, ExportFormat::kStix));
  ASSERT_TRUE(second->status.ok());
  EXPECT_EQ(second->report.rejected, 0);
  EXPECT_EQ(second->report.new_values, 4);
  auto counts = second->store->Counts("2026-06-01T00:00:00.000Z");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->live_indicators, 1);  // the receiver has no warning list, yet only the C2 is live

  auto domain = second->store->LookupObservable({ObservableType::kDomain, "victim-portal.example"});
  ASSERT_TRUE(domain.ok() && domain->has_value());
  ASSERT_EQ((*domain)->events.size(), 1u);
  const IndicatorContext& context = (*domain)->events[0].context;
  EXPECT_FALSE(context.is_indicator);
  EXPECT_EQ(context.first_seen, "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(context.last_seen, "2026-01-05T00:00:00.000Z");
  EXPECT_EQ(context.comment, "phished brand");
  EXPECT_EQ(context.role, "phishing");
  auto original = store_->LookupObservable({ObservableType::kDomain, "victim-portal.example"});
  ASSERT_TRUE(original.ok() && original->has_value());
  EXPECT_EQ((*domain)->events[0].event.uuid, (*original)->events[0].event.uuid);
  auto file = second->store->LookupObservable({ObservableType::kFileName, "invoice.pdf.exe"});
  ASSERT_TRUE(file.ok() && file->has_value());
  EXPECT_FALSE((*file)->events[0].context.is_indicator);
}

TEST_F(ContextValuesTest, MispExportMarksWarningListedValuesNotForDetection) {
  ImportMixedEvent();
  nlohmann::json misp = nlohmann::json::parse(ExportAs(owner_, ExportFormat::kMisp));
  std::map<std::string, bool> to_ids;
  for (const auto& attribute : misp["response"][0]["Event"]["Attribute"]) {
    to_ids[attribute["value"]] = attribute["to_ids"];
  }
  ASSERT_EQ(to_ids.size(), 4u) << misp.dump();
  EXPECT_TRUE(to_ids["203.0.113.7"]);
  EXPECT_FALSE(to_ids["192.0.2.53"]);
  EXPECT_FALSE(to_ids["victim-portal.example"]);
}

TEST_F(ContextValuesTest, AWarningListAddedLaterTurnsThePublishedIndicatorIntoAnObservable) {
  Import("list.txt", "192.0.2.53\n203.0.113.7\n", Tlp::kGreen);
  ASSERT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 1);
  auto derived_types = [&] {
    std::multiset<std::string> types;
    EXPECT_TRUE(store_->ForEachStixObject({}, [&](const StoredStixObject& object) {
                        types.insert(object.type);
                        return Status::Ok();
                      }).ok());
    return types;
  };
  EXPECT_EQ(derived_types(), (std::multiset<std::string>{"indicator", "indicator", "report"}));

  testing::WriteFile(dir_.Join("wl.json"),
                     R"({"name":"resolvers","version":1,"description":"d","type":"cidr",)"
                     R"("matching_attributes":["ip-dst"],"list":["192.0.2.53/32"]})");
  ASSERT_TRUE(AddWarningList(*store_, dir_.Join("wl.json"), "test").ok());
  ASSERT_EQ(RefreshDerivedStix(*store_, SystemClock().Now()).value(), 1);  // the list marked it stale
  // The report's new version names the observable instead of the indicator.
  EXPECT_EQ(derived_types(), (std::multiset<std::string>{"indicator", "ipv4-addr", "report", "report"}));
}

// The link of `value` (a domain) in its one event.
IndicatorContext OnlyLinkOf(Store& store, const std::string& value) {
  auto found = store.LookupObservable({ObservableType::kDomain, value});
  EXPECT_TRUE(found.ok() && found->has_value());
  if (!found.ok() || !found->has_value()) return {};
  EXPECT_EQ((*found)->events.size(), 1u);
  return (*found)->events.empty() ? IndicatorContext{} : (*found)->events[0].context;
}

constexpr char kIndicatorId[] = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

// A STIX report holding an indicator for evil-one.example and, after it,
// the observed-data and domain-name SCO of the same domain (as misp-stix and
// many feeds write them).
std::string IndicatorThenObservedDomain() {
  return std::string(R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[)"
                     R"({"type":"indicator","spec_version":"2.1","id":")") + kIndicatorId +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",)"
         R"("pattern":"[domain-name:value = 'evil-one.example']","pattern_type":"stix",)"
         R"("valid_from":"2024-01-01T00:00:00Z","valid_until":"2030-01-01T00:00:00Z"},)"
         R"({"type":"domain-name","spec_version":"2.1","id":"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5","value":"evil-one.example"},)"
         R"({"type":"observed-data","spec_version":"2.1","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",)"
         R"("created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",)"
         R"("first_observed":"2023-12-30T00:00:00Z","last_observed":"2023-12-31T00:00:00Z","number_observed":1,)"
         R"("object_refs":["domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5"]},)"
         R"({"type":"report","spec_version":"2.1","id":"report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3",)"
         R"("created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"R",)"
         R"("published":"2024-01-01T00:00:00Z","object_refs":[")" + kIndicatorId +
         R"(","observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf","domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5"]}]})";
}

TEST_F(ContextValuesTest, AnIndicatorStaysLiveWhenTheSameEventAlsoObservedItsValue) {
  Import("report.json", IndicatorThenObservedDomain(), Tlp::kGreen);
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  const IndicatorContext context = OnlyLinkOf(*store_, "evil-one.example");
  EXPECT_TRUE(context.is_indicator);
  EXPECT_EQ(context.stix_id, kIndicatorId);
  EXPECT_EQ(context.valid_until, "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(context.first_seen, "2024-01-01T00:00:00.000Z");
  auto counts = store_->Counts("2026-06-01T00:00:00.000Z");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->live_indicators, 1);
  // A second run of the same file changes nothing.
  Import("report.json", IndicatorThenObservedDomain(), Tlp::kGreen);
  EXPECT_TRUE(OnlyLinkOf(*store_, "evil-one.example").is_indicator);
}

// Two indicators of one value whose times the file spells differently: the
// link keeps the earlier start and the later last sighting as instants, not
// as text ("...00.5Z" sorts before "...00Z").
TEST_F(ContextValuesTest, ALinksFirstAndLastSeenMergeAsInstantsWhateverTheirSpelling) {
  auto indicator = [](const std::string& id, const std::string& valid_from, const std::string& last_seen) {
    return R"({"type":"indicator","spec_version":"2.1","id":"indicator--)" + id +
           R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",)"
           R"("pattern":"[domain-name:value = 'evil-one.example']","pattern_type":"stix",)"
           R"("valid_from":")" + valid_from + R"(","x_accord_last_seen":")" + last_seen + R"("})";
  };
  Import("two.json",
         R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[)" +
             indicator("8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "2024-03-01T00:00:00.5Z", "2024-03-05T00:00:00Z") +
             "," +
             indicator("0b0c6a3e-3bb4-4a43-9d2b-1f1e1a6f0c11", "2024-03-01T00:00:00Z", "2024-03-05T00:00:00.5Z") +
             "]}",
         Tlp::kGreen);
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  const IndicatorContext context = OnlyLinkOf(*store_, "evil-one.example");
  EXPECT_EQ(context.first_seen, "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(context.last_seen, "2024-03-05T00:00:00.500Z");
}

std::string MispEventOf(const std::string& attributes) {
  return R"({"Event":{"uuid":"5a0c6a3f-2b1d-4c8e-9f70-1a2b3c4d5e6f","info":"phishing wave",)"
         R"("date":"2026-01-01","Attribute":[)" + attributes + "]}}";
}

std::string MispDomain(const std::string& uuid, bool to_ids) {
  return R"({"uuid":")" + uuid + R"(","type":"domain","value":"evil-one.example","to_ids":)" +
         (to_ids ? "true" : "false") + "}";
}

constexpr char kDetectionUuid[] = "0e5a7c1d-3f2b-4a9c-8d6e-7f1a2b3c4d5e";
constexpr char kContextUuid[] = "6c1d2e3f-4a5b-4c6d-9e7f-8a9b0c1d2e3f";

TEST_F(ContextValuesTest, AMispValueWithToIdsOnOneAttributeIsLiveWhateverTheOrder) {
  Import("detection-first.json",
         MispEventOf(MispDomain(kDetectionUuid, true) + "," + MispDomain(kContextUuid, false)));
  ASSERT_TRUE(rejections_.empty()) << rejections_[0].reason;
  EXPECT_TRUE(OnlyLinkOf(*store_, "evil-one.example").is_indicator);
  // The same event re-published with the attributes the other way round.
  Import("context-first.json",
         MispEventOf(MispDomain(kContextUuid, false) + "," + MispDomain(kDetectionUuid, true)));
  const IndicatorContext context = OnlyLinkOf(*store_, "evil-one.example");
  EXPECT_TRUE(context.is_indicator);
  EXPECT_EQ(context.stix_id, std::string("indicator--") + kDetectionUuid);
}

TEST_F(ContextValuesTest, TheSameAttributeRepublishedWithoutToIdsStopsBeingLive) {
  Import("v1.json", MispEventOf(MispDomain(kDetectionUuid, true)));
  EXPECT_TRUE(OnlyLinkOf(*store_, "evil-one.example").is_indicator);
  Import("v2.json", MispEventOf(MispDomain(kDetectionUuid, false)));
  EXPECT_FALSE(OnlyLinkOf(*store_, "evil-one.example").is_indicator);
  auto counts = store_->Counts("2026-06-01T00:00:00.000Z");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->live_indicators, 0);
}

}  // namespace
}  // namespace accord
