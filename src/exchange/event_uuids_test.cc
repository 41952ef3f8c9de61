// Event uuids Accord derives from a name are version 4 (their STIX reports'
// ids must be), and a node holding such an event under the version-5 uuid
// earlier versions derived keeps updating that event on a re-import
// (StoredEventUuid in exchange.h).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"

namespace accord {
namespace {

// The version digit of a uuid's text ("xxxxxxxx-xxxx-Vxxx-...").
char UuidVersion(const std::string& uuid) { return uuid.size() == 36 ? uuid[14] : '?'; }

class EventUuidTest : public ExchangeTest {
 protected:
  // An event of the owner with one value, stored under `uuid` as a node
  // before version-4 event uuids stored it.
  void StoreOldEvent(const std::string& uuid, const std::string& title, const std::string& source = "") {
    auto batch = store_->BeginImport();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    EventRecord event;
    event.uuid = uuid;
    event.title = title;
    event.source = source;
    auto id = (*batch)->UpsertEvent(event, Tlp::kGreen, owner_, {});
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ASSERT_TRUE((*batch)->Link(*id, {ObservableType::kIpv4, "192.0.2.1"}, {}, "").ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }

  std::optional<EventSummary> Event(const std::string& uuid) {
    auto event = store_->GetEvent(uuid);
    EXPECT_TRUE(event.ok()) << event.status().ToString();
    return event.ok() ? *event : std::nullopt;
  }

  int64_t EventCount() {
    auto counts = store_->Counts("2026-06-01T00:00:00.000Z");
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    return counts.ok() ? counts->events : -1;
  }

  // The name the importer derives a file's event uuid from.
  std::string FileEventName(std::string_view format, std::string_view file) const {
    return fmt::format("{}:{}:{}", format, owner_, file);
  }
};

TEST_F(EventUuidTest, StoredEventUuidPrefersTheNewUuidThenTheLegacyOne) {
  const std::string fresh = StableUuidV4(kAccordUuidNamespace, "name");
  const std::string legacy = UuidV5(kAccordUuidNamespace, "name");
  EXPECT_EQ(StoredEventUuid(*store_, fresh, legacy).value(), fresh);  // neither stored
  StoreOldEvent(legacy, "old");
  EXPECT_EQ(StoredEventUuid(*store_, fresh, legacy).value(), legacy);
  EXPECT_EQ(DerivedEventUuid(*store_, "name").value(), legacy);
  EXPECT_EQ(StoredEventUuid(*store_, fresh, "").value(), fresh);  // no legacy uuid: no lookup
  StoreOldEvent(fresh, "new");
  EXPECT_EQ(StoredEventUuid(*store_, fresh, legacy).value(), fresh);  // both: the new one
  EXPECT_EQ(DerivedEventUuid(*store_, "other name").value(),
            StableUuidV4(kAccordUuidNamespace, "other name"));
}

// A list, a CSV and a feed's JSON records each make a version-4 event, and
// the same file imported again grows that event.
TEST_F(EventUuidTest, AFileImportsAsAVersion4EventThatItsReimportUpdates) {
  struct Case {
    std::string file, format, first, second;
  };
  const Case cases[] = {
      {"feed.txt", "list", "192.0.2.1\n", "192.0.2.1\n192.0.2.2\n"},
      {"feed.csv", "csv", "type,value\nipv4,192.0.2.1\n",
       "type,value\nipv4,192.0.2.1\nipv4,192.0.2.2\n"},
      {"feed.json", "records", R"([{"ioc":"192.0.2.1"}])",
       R"([{"ioc":"192.0.2.1"},{"ioc":"192.0.2.2"}])"},
  };
  int64_t events = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string expected =
        StableUuidV4(kAccordUuidNamespace, FileEventName(c.format, c.file));
    ImportReport first = Import(c.file, c.first);
    ASSERT_EQ(first.touched_events.size(), 1u);
    EXPECT_EQ(first.touched_events[0].uuid, expected);
    EXPECT_EQ(UuidVersion(first.touched_events[0].uuid), '4');
    EXPECT_TRUE(first.touched_events[0].created);
    ImportReport second = Import(c.file, c.second);
    ASSERT_EQ(second.touched_events.size(), 1u);
    EXPECT_EQ(second.touched_events[0].uuid, expected);
    EXPECT_FALSE(second.touched_events[0].created);
    EXPECT_EQ(EventCount(), ++events);
    ASSERT_TRUE(Event(expected).has_value());
    EXPECT_EQ(Event(expected)->observable_count, 2);
  }
}

// A node upgraded from before: the list it imported is under the
// version-5 uuid, and the same list again updates that event, not a twin.
TEST_F(EventUuidTest, AnEventStoredUnderTheLegacyUuidIsUpdatedNotForked) {
  const std::string legacy = UuidV5(kAccordUuidNamespace, FileEventName("list", "feed.txt"));
  StoreOldEvent(legacy, "feed.txt");
  ImportReport report = Import("feed.txt", "192.0.2.1\n192.0.2.2\n");
  ASSERT_EQ(report.touched_events.size(), 1u);
  EXPECT_EQ(report.touched_events[0].uuid, legacy);
  EXPECT_FALSE(report.touched_events[0].created);
  EXPECT_EQ(EventCount(), 1);
  EXPECT_FALSE(
      Event(StableUuidV4(kAccordUuidNamespace, FileEventName("list", "feed.txt"))).has_value());
  ASSERT_TRUE(Event(legacy).has_value());
  EXPECT_EQ(Event(legacy)->observable_count, 2);
  // Another file of the same node is new: a version-4 event.
  ImportReport other = Import("other.txt", "192.0.2.3\n");
  ASSERT_EQ(other.touched_events.size(), 1u);
  EXPECT_EQ(UuidVersion(other.touched_events[0].uuid), '4');
}

// STIX group events (values no report names) were keyed by the bundle id
// alone, and producers reuse bundle ids: now the file name is part of the
// key. A node upgraded from before keeps updating the event its file made;
// another file under the same bundle id gets an event of its own.
TEST_F(EventUuidTest, AStixGroupEventKeyedByTheBundleIdAloneIsKeptForItsOwnFileOnly) {
  const std::string bundle_id = "bundle--44af6c39-c09b-49c5-9de2-394224b04982";
  auto bundle = [&](const std::string& domain) {
    return R"({"type":"bundle","id":")" + bundle_id +
           R"(","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--)" +
           UuidV5(kAccordUuidNamespace, domain) +
           R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
           R"("pattern":"[domain-name:value = ')" + domain +
           R"(']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]})";
  };
  const std::string legacy = UuidV5(kAccordUuidNamespace, "stix-bundle:" + bundle_id + ":unmarked");
  StoreOldEvent(legacy, "STIX bundle first.json (unmarked)", "stix:first.json");
  ImportReport first = Import("first.json", bundle("first.example"));
  ASSERT_EQ(first.touched_events.size(), 1u) << last_status_.ToString();
  EXPECT_EQ(first.touched_events[0].uuid, legacy);
  EXPECT_FALSE(first.touched_events[0].created);
  ImportReport second = Import("second.json", bundle("second.example"));
  ASSERT_EQ(second.touched_events.size(), 1u) << last_status_.ToString();
  EXPECT_NE(second.touched_events[0].uuid, legacy);
  EXPECT_TRUE(second.touched_events[0].created);
  EXPECT_EQ(EventCount(), 2);
  ASSERT_TRUE(Event(legacy).has_value());
  EXPECT_EQ(Event(legacy)->title, "STIX bundle first.json (unmarked)");
  EXPECT_EQ(Event(legacy)->observable_count, 2);
  // The new file's event is its own on the next import too.
  ImportReport again = Import("second.json", bundle("second.example"));
  ASSERT_EQ(again.touched_events.size(), 1u);
  EXPECT_EQ(again.touched_events[0].uuid, second.touched_events[0].uuid);
  EXPECT_EQ(EventCount(), 2);
}

// A list is the same event plain or packed (gzip, zstd, xz, bzip2): feed.txt.gz grows
// feed.txt's event, and an event made from feed.txt.gz is titled feed.txt.
TEST_F(EventUuidTest, AListImportedPlainOrPackedIsOneEventTitledWithoutTheSuffix) {
  ImportReport plain = Import("arkei.txt", "one.example\n");
  ASSERT_EQ(plain.touched_events.size(), 1u);
  const std::string arkei = plain.touched_events[0].uuid;
  ImportReport packed = Import("arkei.txt.gz", testing::ArchiveOf({{"arkei.txt", "one.example\ntwo.example\n"}},
                                                                  testing::ArchiveKind::kGzip));
  ASSERT_EQ(packed.touched_events.size(), 1u);
  EXPECT_EQ(packed.touched_events[0].uuid, arkei);
  EXPECT_FALSE(packed.touched_events[0].created);
  EXPECT_EQ(packed.new_values, 1);

  // Packed first: the event is titled as the plain file, which then grows it.
  ImportReport first = Import("vidar.txt.gz", testing::ArchiveOf({{"vidar.txt", "three.example\n"}},
                                                                 testing::ArchiveKind::kGzip));
  ImportReport second = Import("vidar.txt", "three.example\nfour.example\n");
  ASSERT_EQ(first.touched_events.size(), 1u);
  ASSERT_EQ(second.touched_events.size(), 1u);
  EXPECT_EQ(second.touched_events[0].uuid, first.touched_events[0].uuid);
  ASSERT_TRUE(Event(first.touched_events[0].uuid).has_value());
  EXPECT_EQ(Event(first.touched_events[0].uuid)->title, "vidar.txt");
  EXPECT_EQ(EventCount(), 2);
}

// A node that imported only the packed file before this rule (its event
// named by "feed.txt.gz") keeps that event for the packed and the plain file.
TEST_F(EventUuidTest, AnEventStoredUnderThePackedFileNameIsKept) {
  const std::string old = StableUuidV4(kAccordUuidNamespace, FileEventName("list", "feed.txt.gz"));
  StoreOldEvent(old, "feed.txt.gz");
  ImportReport packed = Import("feed.txt.gz", testing::ArchiveOf({{"feed.txt", "192.0.2.2\n"}},
                                                                 testing::ArchiveKind::kGzip));
  ASSERT_EQ(packed.touched_events.size(), 1u);
  EXPECT_EQ(packed.touched_events[0].uuid, old);
  EXPECT_EQ(EventCount(), 1);
  ASSERT_TRUE(Event(old).has_value());
  EXPECT_EQ(Event(old)->observable_count, 2);
  ImportReport plain = Import("feed.txt", "192.0.2.3\n");
  ASSERT_EQ(plain.touched_events.size(), 1u);
  EXPECT_EQ(plain.touched_events[0].uuid, old);
  EXPECT_EQ(EventCount(), 1);
}

// Numbered events (a MISP CSV export's event_id) keep the name their file
// came under, packed or not, as earlier versions derived them: a packed
// export imported again updates its events, before and after this rule.
TEST_F(EventUuidTest, NumberedEventsOfAPackedCsvAreTheSameOnEveryImport) {
  const std::string csv = "event_id,type,value\n1234,ip-dst,192.0.2.1\n1235,domain,evil.example\n";
  const std::string packed = testing::ArchiveOf({{"export.csv", csv}}, testing::ArchiveKind::kGzip);
  ImportReport first = Import("export.csv.gz", packed);
  ASSERT_EQ(first.touched_events.size(), 2u);
  const std::string legacy_1234 = StableUuidV4(
      kAccordUuidNamespace, StableUuidV4(kAccordUuidNamespace, FileEventName("csv", "export.csv.gz")) + ":event:1234");
  EXPECT_EQ(first.touched_events[0].uuid, legacy_1234) << "derived from the packed name, as before";
  ImportReport again = Import("export.csv.gz", packed);
  ASSERT_EQ(again.touched_events.size(), 2u);
  EXPECT_EQ(again.touched_events[0].uuid, first.touched_events[0].uuid);
  EXPECT_EQ(again.touched_events[1].uuid, first.touched_events[1].uuid);
  EXPECT_FALSE(again.touched_events[0].created);
  EXPECT_EQ(EventCount(), 2);
}

// The events a MISP CSV export names by number: one stored before under
// its version-5 uuid is updated, a new one is version 4.
TEST_F(EventUuidTest, NumberedEventsOfACsvKeepTheirLegacyEvents) {
  const std::string file_name = FileEventName("csv", "export.csv");
  const std::string legacy_1234 =
      UuidV5(kAccordUuidNamespace, UuidV5(kAccordUuidNamespace, file_name) + ":event:1234");
  const std::string new_1235 = StableUuidV4(
      kAccordUuidNamespace, StableUuidV4(kAccordUuidNamespace, file_name) + ":event:1235");
  StoreOldEvent(legacy_1234, "export.csv event 1234");
  const std::string csv =
      "event_id,type,value\n1234,ip-dst,192.0.2.1\n1234,ip-dst,192.0.2.2\n"
      "1235,domain,evil.example\n";
  ImportReport report = Import("export.csv", csv);
  ASSERT_EQ(report.touched_events.size(), 2u);
  EXPECT_EQ(report.touched_events[0].uuid, legacy_1234);
  EXPECT_FALSE(report.touched_events[0].created);
  EXPECT_EQ(report.touched_events[1].uuid, new_1235);
  EXPECT_TRUE(report.touched_events[1].created);
  ASSERT_TRUE(Event(legacy_1234).has_value());
  EXPECT_EQ(Event(legacy_1234)->observable_count, 2);
  Import("export.csv", csv);
  EXPECT_EQ(EventCount(), 2);
}

// A MISP event without a uuid: version 4 from the file name and its
// position, the same event on a second import, and an event stored under
// the version-5 uuid of the same name is the one updated.
TEST_F(EventUuidTest, AMispEventWithoutAUuidIsVersion4AndKeepsItsLegacyEvent) {
  const std::string event = R"({"Event":{"info":"No uuid","Attribute":[)"
                            R"({"type":"ip-dst","value":"192.0.2.1","to_ids":true},)"
                            R"({"type":"ip-dst","value":"192.0.2.2","to_ids":true}]}})";
  const std::string expected = StableUuidV4(kAccordUuidNamespace, "event.json:0");
  ImportReport first = Import("event.json", event);
  ASSERT_EQ(first.touched_events.size(), 1u);
  EXPECT_EQ(first.touched_events[0].uuid, expected);
  EXPECT_EQ(UuidVersion(expected), '4');
  ImportReport second = Import("event.json", event);
  ASSERT_EQ(second.touched_events.size(), 1u);
  EXPECT_EQ(second.touched_events[0].uuid, expected);
  EXPECT_FALSE(second.touched_events[0].created);
  EXPECT_EQ(EventCount(), 1);

  const std::string legacy = UuidV5(kAccordUuidNamespace, "old.json:0");
  StoreOldEvent(legacy, "No uuid");
  ImportReport old = Import("old.json", event);
  ASSERT_EQ(old.touched_events.size(), 1u);
  EXPECT_EQ(old.touched_events[0].uuid, legacy);
  EXPECT_FALSE(old.touched_events[0].created);
  EXPECT_EQ(EventCount(), 2);
  ASSERT_TRUE(Event(legacy).has_value());
  EXPECT_EQ(Event(legacy)->observable_count, 2);
}

// Two nodes derive a file's event from its title and the importing
// organisation's number, which both nodes' first organisation shares: the
// node's own id keeps them apart, so one node's export imported by the
// other makes an event of its own and leaves the other's RED list RED.
TEST_F(EventUuidTest, AnotherNodesEventOfTheSameFileNameIsNeverThisNodesEvent) {
  ASSERT_TRUE(store_->SetMeta("node_id", UuidV4()).ok());
  ImportReport mine = Import("case.txt", "victim-secret.example\n", Tlp::kRed);
  ASSERT_EQ(mine.touched_events.size(), 1u);
  const std::string my_event = mine.touched_events[0].uuid;
  EXPECT_EQ(UuidVersion(my_event), '4');
  EXPECT_NE(my_event, StableUuidV4(kAccordUuidNamespace, FileEventName("list", "case.txt")));
  // The same file again is still the same event.
  ImportReport again = Import("case.txt", "victim-secret.example\nsecond-secret.example\n", Tlp::kRed);
  ASSERT_EQ(again.touched_events.size(), 1u);
  EXPECT_EQ(again.touched_events[0].uuid, my_event);

  // The partner's node: its first organisation has the same number.
  testing::TempDir partner_dir;
  auto partner = OpenStore({partner_dir.Join("node"), true});
  ASSERT_TRUE(partner.ok()) << partner.status().ToString();
  ASSERT_TRUE((*partner)->SetMeta("node_id", UuidV4()).ok());
  Organisation org{0, UuidV4(), "Partner", "DE", "cert", "", "2026-01-01T00:00:00.000Z"};
  auto partner_org = (*partner)->CreateOrganisation(org);
  ASSERT_TRUE(partner_org.ok());
  ASSERT_EQ(partner_org->id, owner_) << "the case this test is about";
  const std::string partner_file = partner_dir.Join("case.txt");
  testing::WriteFile(partner_file, "public-thing.example\n");
  ImportOptions partner_import;
  partner_import.owner_org_id = partner_org->id;
  partner_import.default_tlp = Tlp::kClear;
  ImportReport partner_report;
  ASSERT_TRUE(ImportFile(**partner, partner_file, partner_import, &partner_report).ok());
  ASSERT_EQ(partner_report.touched_events.size(), 1u);
  EXPECT_NE(partner_report.touched_events[0].uuid, my_event);

  for (ExportFormat format : {ExportFormat::kMisp, ExportFormat::kStix}) {
    ExportOptions export_options;
    export_options.format = format;
    export_options.viewer = {partner_org->id, Role::kAnalyst};
    std::ostringstream exported;
    ASSERT_TRUE(Export(**partner, export_options, exported, nullptr).ok());
    ImportReport imported = Import(format == ExportFormat::kMisp ? "partner.misp.json" : "partner.stix.json",
                                   exported.str(), Tlp::kClear);
    for (const auto& touched : imported.touched_events) EXPECT_NE(touched.uuid, my_event);
    ASSERT_TRUE(Event(my_event).has_value());
    EXPECT_EQ(Event(my_event)->tlp, Tlp::kRed);
    EXPECT_EQ(Event(my_event)->observable_count, 2);
    auto secret = store_->LookupObservable({ObservableType::kDomain, "victim-secret.example"});
    ASSERT_TRUE(secret.ok() && secret->has_value());
    ASSERT_EQ((*secret)->events.size(), 1u);
    EXPECT_EQ((*secret)->events[0].event.tlp, Tlp::kRed);
  }
}

// A node upgraded to salted uuids keeps updating the events its files made
// before, but not an event another source stored under a file's unsalted
// uuid (a peer's export of its own file of that name).
TEST_F(EventUuidTest, AfterSaltingOnlyTheSameSourcesEventKeepsItsUnsaltedUuid) {
  ImportReport before = Import("feed.txt", "192.0.2.1\n");
  ASSERT_EQ(before.touched_events.size(), 1u);
  const std::string unsalted = before.touched_events[0].uuid;
  EXPECT_EQ(unsalted, StableUuidV4(kAccordUuidNamespace, FileEventName("list", "feed.txt")));
  const std::string foreign = StableUuidV4(kAccordUuidNamespace, FileEventName("list", "other.txt"));
  StoreOldEvent(foreign, "other.txt");  // stored by no file of this node

  ASSERT_TRUE(store_->SetMeta("node_id", UuidV4()).ok());
  ImportReport after = Import("feed.txt", "192.0.2.1\n192.0.2.2\n");
  ASSERT_EQ(after.touched_events.size(), 1u);
  EXPECT_EQ(after.touched_events[0].uuid, unsalted);
  EXPECT_FALSE(after.touched_events[0].created);

  ImportReport other = Import("other.txt", "198.51.100.1\n");
  ASSERT_EQ(other.touched_events.size(), 1u);
  EXPECT_NE(other.touched_events[0].uuid, foreign);
  EXPECT_TRUE(other.touched_events[0].created);
  ASSERT_TRUE(Event(foreign).has_value());
  EXPECT_EQ(Event(foreign)->observable_count, 1) << "the foreign event is left as it was";
}

}  // namespace
}  // namespace accord
