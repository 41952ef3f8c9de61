// Ingest into a real SQLite node, checked against the generator's ground
// truth: victims and credentials, duplicates across archives, the exposure
// range answers, the purge, partner C2 lists, and no clear-text password
// anywhere in the database files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/crypto.h"
#include "stealer/ingest.h"
#include "stealer/stealer_testing.h"

namespace accord::stealer {
namespace {

using ::testing::HasSubstr;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), /*create=*/true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    Organisation org;
    org.name = "Hub";
    org.country = "NL";
    org.kind = "international";
    org_id_ = store_->CreateOrganisation(org).value().id;
    // 10.0.0.0/8 is DE, 192.0.2.0/24 is NL.
    geo_ = geo::ParseTorRanges("167772160,184549375,DE\n3221225984,3221226239,NL\n", "", "geoip").value();
  }

  IngestOptions Options(const std::string& operation = "Endgame") {
    IngestOptions options;
    options.operation = operation;
    options.org_id = org_id_;
    options.geo = geo_.get();
    options.batch_machines = 7;  // several batches even in small tests
    return options;
  }

  std::vector<SynthMachine> WriteMachines(const std::string& folder, SynthOptions synth) {
    std::vector<SynthMachine> truth;
    EXPECT_TRUE(GenerateSynthetic(synth, [&](const SynthMachine& machine, const MachineFiles& files) {
                  truth.push_back(machine);
                  for (const auto& [name, bytes] : files) {
                    const auto file = std::filesystem::path(folder) / machine.folder / name;
                    std::filesystem::create_directories(file.parent_path());
                    ::accord::testing::WriteFile(file.string(), bytes);
                  }
                  return Status::Ok();
                }).ok());
    return truth;
  }

  // Another organisation's RED event under `uuid` (a report posted with a
  // guessed id): its organisation's id and the event's.
  std::pair<int64_t, int64_t> Squat(const std::string& uuid) {
    Organisation squatter;
    squatter.name = "Squatter";
    squatter.country = "DE";
    squatter.kind = "law-enforcement";
    const int64_t squatter_id = store_->CreateOrganisation(squatter).value().id;
    auto batch = store_->BeginImport().value();
    EventRecord event;
    event.uuid = uuid;
    event.title = "squatted";
    const int64_t event_id = batch->UpsertEvent(event, Tlp::kRed, squatter_id, {}).value();
    EXPECT_TRUE(batch->Commit().ok());
    return {squatter_id, event_id};
  }

  ::accord::testing::TempDir dir_;
  ::accord::testing::ManualClock clock_{*ParseTimestamp("2026-01-10T08:00:00Z")};
  std::unique_ptr<Store> store_;
  std::unique_ptr<geo::GeoDatabase> geo_;
  int64_t org_id_ = 0;
};

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

SynthOptions Synth(int64_t machines, double duplicates = 0) {
  SynthOptions options;
  options.machines = machines;
  options.seed = 21;
  options.credentials_per_machine = 8;
  options.duplicate_machine_share = duplicates;
  options.utf16_share = 0.1;
  options.cp1252_share = 0.1;
  return options;
}

TEST_F(IngestTest, VictimsAndCredentialsMatchTheGroundTruth) {
  auto truth = WriteMachines(dir_.Join("logs"), Synth(60, 0.1));
  auto report = Ingest(*store_, Options(), {dir_.Join("logs")}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  int64_t unique = 0, duplicates = 0, credentials = 0;
  std::map<std::string, int64_t> accounts_by_domain;
  for (const SynthMachine& machine : truth) {
    if (machine.duplicate) {
      ++duplicates;
      continue;
    }
    ++unique;
    credentials += static_cast<int64_t>(machine.credentials.size());
    for (const auto& credential : machine.credentials) accounts_by_domain[credential.domain]++;
  }
  EXPECT_EQ(report->machines, 60);
  EXPECT_EQ(report->new_victims, unique);
  EXPECT_EQ(report->duplicates, duplicates);
  EXPECT_EQ(report->credentials, credentials);
  EXPECT_TRUE(report->problems.empty()) << report->problems.front().path << ": " << report->problems.front().reason;

  auto operation = store_->FindStealerOperation("Endgame").value();
  ASSERT_TRUE(operation.has_value());
  EXPECT_EQ(operation->retention_days, kDefaultRetentionDays);
  std::map<std::string, int64_t> stored_by_domain;
  ASSERT_TRUE(store_->ForEachStealerCredential(operation->id, false, [&](int64_t, const StealerCredentialRow& row) {
                stored_by_domain[row.domain]++;
                return Status::Ok();
              }).ok());
  EXPECT_EQ(stored_by_domain, accounts_by_domain);
  int64_t geolocated = 0;
  ASSERT_TRUE(store_->ForEachStealerVictim(operation->id, [&](const StealerVictimRow& victim) {
                EXPECT_FALSE(victim.country.empty());
                if (victim.ip.starts_with("10.")) ++geolocated;
                return Status::Ok();
              }).ok());
  EXPECT_GT(geolocated, 0);
  EXPECT_TRUE(store_->VerifyAudit().value().intact);
}

// A machine folder no family's layout fits is one problem naming the
// folder once (the parser's message names it already).
TEST_F(IngestTest, AnUnknownLayoutIsOneProblemNamingTheFolderOnce) {
  const std::string machine = dir_.Join("drop/PC-0001");
  std::filesystem::create_directories(machine);
  ::accord::testing::WriteFile(machine + "/Passwords.txt", "nothing a stealer writes\n");
  auto report = Ingest(*store_, Options(), {dir_.Join("drop")}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].path, machine);
  EXPECT_EQ(report->problems[0].reason.find(machine), std::string::npos) << report->problems[0].reason;
  EXPECT_NE(report->problems[0].reason.find("unknown stealer-log layout"), std::string::npos)
      << report->problems[0].reason;
}

// The name is a segment of the operation's REST address and web page.
TEST_F(IngestTest, ANewOperationsNameMayNotHoldASlash) {
  WriteMachines(dir_.Join("drop"), Synth(2));
  auto refused = Ingest(*store_, Options("Endgame (Lumma/RedLine)"), {dir_.Join("drop")}, clock_);
  EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("without '/'"), std::string::npos) << refused.status().message();
  EXPECT_FALSE(store_->FindStealerOperation("Endgame (Lumma/RedLine)").value().has_value());
  EXPECT_TRUE(Ingest(*store_, Options("Endgame (Lumma, RedLine)"), {dir_.Join("drop")}, clock_).ok());
}

TEST_F(IngestTest, OverlappingArchivesAddEachMachineOnce) {
  std::vector<SynthMachine> truth;
  auto entries = testing::SynthEntries(Synth(10), "", &truth);
  // Machines 0-6 in one archive, 3-9 in the other: 3-6 are in both.
  auto machines_in = [&](size_t from, size_t to) {
    std::vector<testing::ArchiveEntry> part;
    for (const auto& entry : entries) {
      for (size_t i = from; i < to; ++i) {
        if (entry.name.starts_with(truth[i].folder + "/")) part.push_back(entry);
      }
    }
    return part;
  };
  auto first = machines_in(0, 7);
  auto second = machines_in(3, 10);
  ASSERT_EQ(testing::WriteArchive(dir_.Join("a.zip"), first, "zip"), "");
  ASSERT_EQ(testing::WriteArchive(dir_.Join("b.7z"), second, "7zip"), "");
  auto report = Ingest(*store_, Options(), {dir_.Join("a.zip"), dir_.Join("b.7z")}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->new_victims, 10);
  EXPECT_EQ(report->duplicates, 4);
  auto again = Ingest(*store_, Options(), {dir_.Join("a.zip")}, clock_);
  EXPECT_EQ(again->new_victims, 0);
}

TEST_F(IngestTest, NoClearTextPasswordIsAnywhereInTheDatabaseFiles) {
  auto truth = WriteMachines(dir_.Join("logs"), Synth(40));
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("logs")}, clock_).ok());
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.Join("node"))) {
    if (entry.is_regular_file()) bytes += ::accord::testing::ReadFile(entry.path().string());
  }
  ASSERT_GT(bytes.size(), 0u);
  // A common password such as "password" is also a word of the schema: such
  // passwords are looked for only if an empty node's files lack them.
  ::accord::testing::TempDir empty_dir;
  ASSERT_TRUE(OpenStore({empty_dir.Join("node"), true}).ok());
  std::string empty_bytes;
  for (const auto& entry : std::filesystem::directory_iterator(empty_dir.Join("node"))) {
    if (entry.is_regular_file()) empty_bytes += ::accord::testing::ReadFile(entry.path().string());
  }
  int searched = 0;
  for (const SynthMachine& machine : truth) {
    for (const auto& credential : machine.credentials) {
      if (credential.password.size() < 6 || empty_bytes.find(credential.password) != std::string::npos) {
        continue;
      }
      ++searched;
      EXPECT_EQ(bytes.find(credential.password), std::string::npos)
          << "clear-text password of " << machine.folder << " found in the database";
    }
  }
  EXPECT_GT(searched, 100);
  // The usernames are there (personal data, kept until the purge): the
  // search would have found a stored string.
  EXPECT_NE(bytes.find(truth[0].credentials.empty() ? truth[1].credentials[0].domain
                                                     : truth[0].credentials[0].domain),
            std::string::npos);
}

TEST_F(IngestTest, RangeAnswersMatchTheGroundTruthAndPaddingHidesTheSize) {
  auto truth = WriteMachines(dir_.Join("logs"), Synth(40));
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("logs")}, clock_).ok());
  std::map<std::string, int64_t> expected;  // full SHA-1 -> count
  std::map<std::string, int64_t> expected_users;
  for (const SynthMachine& machine : truth) {
    for (const auto& credential : machine.credentials) {
      if (!credential.password.empty()) expected[PasswordDigest(credential.password)]++;
      if (!credential.username.empty()) expected_users[UsernameDigest(credential.username)]++;
    }
  }
  int prefixes = 0;
  for (const auto& [digest, count] : expected) {
    if (++prefixes > 25) break;
    const std::string prefix = digest.substr(0, 5);
    auto text = ExposureRangeText(*store_, false, Lower(prefix), false);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    std::map<std::string, int64_t> got;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      ASSERT_TRUE(line.ends_with('\r'));
      const size_t colon = line.find(':');
      got[prefix + line.substr(0, colon)] = std::stoll(line.substr(colon + 1));
    }
    for (const auto& [other, other_count] : expected) {
      if (other.starts_with(prefix)) {
        EXPECT_EQ(got[other], other_count) << other;
      }
    }
    EXPECT_EQ(got.size(), static_cast<size_t>(std::count_if(expected.begin(), expected.end(), [&](const auto& e) {
                return e.first.starts_with(prefix);
              })));
  }
  const std::string user = expected_users.begin()->first;
  auto users = ExposureRangeText(*store_, true, user.substr(0, 5), false).value();
  EXPECT_THAT(users, HasSubstr(user.substr(5) + ":" + std::to_string(expected_users.begin()->second) + "\r\n"));
  auto padded = ExposureRangeText(*store_, false, expected.begin()->first.substr(0, 5), true).value();
  EXPECT_GE(std::count(padded.begin(), padded.end(), '\n'), 800);
  EXPECT_THAT(padded, HasSubstr(expected.begin()->first.substr(5) + ":"));
  EXPECT_FALSE(ExposureRangeText(*store_, false, "ABCDG", false).ok());
  EXPECT_FALSE(ExposureRangeText(*store_, false, "ABCD", false).ok());
}

TEST_F(IngestTest, PurgeRemovesPersonalDataOnlyAfterTheRetentionPeriod) {
  auto truth = WriteMachines(dir_.Join("logs"), Synth(12));
  IngestOptions options = Options();
  options.retention_days = 30;
  ASSERT_TRUE(Ingest(*store_, options, {dir_.Join("logs")}, clock_).ok());
  clock_.Advance(std::chrono::days(29));
  EXPECT_EQ(PurgeExpired(*store_, "", "test", clock_).value()["Endgame"], 0);
  clock_.Advance(std::chrono::days(2));
  EXPECT_EQ(PurgeExpired(*store_, "Endgame", "test", clock_).value()["Endgame"], 12);
  auto operation = store_->FindStealerOperation("Endgame").value();
  ASSERT_TRUE(store_->ForEachStealerVictim(operation->id, [&](const StealerVictimRow& victim) {
                EXPECT_TRUE(victim.purged);
                EXPECT_EQ(victim.ip, "");
                EXPECT_EQ(victim.user_name, "");
                EXPECT_FALSE(victim.country.empty());  // kept for the statistics
                return Status::Ok();
              }).ok());
  int64_t with_password = 0;
  ASSERT_TRUE(store_->ForEachStealerCredential(operation->id, false, [&](int64_t, const StealerCredentialRow& row) {
                EXPECT_EQ(row.username, "");
                EXPECT_EQ(row.username_sha1, "");
                if (!row.password_sha1.empty()) ++with_password;
                return Status::Ok();
              }).ok());
  EXPECT_GT(with_password, 0);  // the exposure check still works
  EXPECT_FALSE(PurgeExpired(*store_, "Nope", "test", clock_).ok());
  bool audited = false;
  ASSERT_TRUE(store_->ForEachAudit([&](const AuditEntry& entry) {
                audited |= entry.action == "stealer.purge";
                return Status::Ok();
              }).ok());
  EXPECT_TRUE(audited);
}

TEST_F(IngestTest, PartnerC2ListsJoinTheOperationAsGeolocatedIndicators) {
  ::accord::testing::WriteFile(dir_.Join("c2.csv"),
                               "value,first_seen,comment\n"
                               "10.1.2.3,2025-12-01,panel login page\n"
                               "http://192.0.2.9:8080/gate.php,2025-12-02,gate\n"
                               "c2.evil.test,,\n"
                               "d41d8cd98f00b204e9800998ecf8427e,,a hash is not a server\n");
  const int64_t generation = store_->IndicatorGeneration().value();
  auto report = Ingest(*store_, Options(), {dir_.Join("c2.csv")}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->c2_servers, 3);
  EXPECT_EQ(report->c2_rejected, 1);
  auto operation = store_->FindStealerOperation("Endgame").value();
  auto servers = store_->ListStealerC2(operation->id).value();
  ASSERT_EQ(servers.size(), 3u);
  EXPECT_EQ(servers[0].country, "DE");
  EXPECT_EQ(servers[1].country, "NL");
  EXPECT_EQ(servers[2].country, "");
  EXPECT_THAT(servers[0].evidence_json, HasSubstr("c2.csv:2"));
  auto info = store_->LookupObservable({ObservableType::kIpv4, "10.1.2.3"}).value();
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->events[0].context.role, "c2");
  EXPECT_NE(store_->IndicatorGeneration().value(), generation);  // the matcher will pick them up
  // A second list merges evidence instead of repeating the server.
  ::accord::testing::WriteFile(dir_.Join("more.csv"), "ip,comment\n10.1.2.3,seen by partner B\n");
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("more.csv")}, clock_).ok());
  servers = store_->ListStealerC2(operation->id).value();
  ASSERT_EQ(servers.size(), 3u);
  EXPECT_THAT(servers[0].evidence_json, HasSubstr("more.csv"));
}

TEST_F(IngestTest, ACsvC2ListsMalwareColumnIsEachServersFamily) {
  ::accord::testing::WriteFile(dir_.Join("c2.csv"),
                               "ip,malware,comment\n"
                               "10.1.2.3,RedLine Stealer,panel\n"
                               "10.1.2.4,win.lumma,\n"
                               "10.1.2.5,,no family\n"
                               "10.1.2.6,Amadey,\n"
                               "10.1.2.7,win.amadey,\n");
  auto report = Ingest(*store_, Options(), {dir_.Join("c2.csv")}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto operation = store_->FindStealerOperation("Endgame").value();
  std::map<std::string, std::string> family_of;
  for (const StealerC2Row& server : store_->ListStealerC2(operation->id).value()) {
    family_of[server.value] = server.family;
  }
  EXPECT_EQ(family_of["10.1.2.3"], "redline");
  EXPECT_EQ(family_of["10.1.2.4"], "lumma");
  EXPECT_EQ(family_of["10.1.2.5"], "");
  EXPECT_EQ(family_of["10.1.2.6"], "amadey");  // not a family Accord reads: as given,
  EXPECT_EQ(family_of["10.1.2.7"], "amadey");  // without Malpedia's platform
  // The operation's C2 event names the families as tags, which alerts on its
  // servers report; a later list adds to them.
  ::accord::testing::WriteFile(dir_.Join("more.csv"), "ip,malware\n10.1.2.8,Vidar\n");
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("more.csv")}, clock_).ok());
  auto info = store_->LookupObservable({ObservableType::kIpv4, "10.1.2.3"}).value();
  ASSERT_TRUE(info.has_value());
  const std::vector<std::string>& tags = info->events[0].event.tags;
  for (const char* tag : {"malware:redline", "malware:lumma", "malware:amadey", "malware:vidar"}) {
    EXPECT_NE(std::find(tags.begin(), tags.end(), tag), tags.end()) << tag;
  }
}

TEST_F(IngestTest, AC2OnAWarningListIsKeptButNeverATakedownTargetOrLive) {
  WarningListRecord list;
  list.name = "Public resolvers";
  list.type = "cidr";
  list.matching_attributes = {"ip-dst", "ip-src"};
  list.entries = {"8.8.8.0/24"};
  ASSERT_TRUE(store_->PutWarningList(list).ok());
  ::accord::testing::WriteFile(dir_.Join("c2.csv"), "value\n10.1.2.3\n8.8.8.8\n");
  auto report = Ingest(*store_, Options(), {dir_.Join("c2.csv")}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->c2_servers, 1);
  EXPECT_EQ(report->c2_rejected, 1);
  bool named = false;
  for (const auto& problem : report->problems) {
    named = named || (problem.path == "c2.csv:3" &&
                      problem.reason.find("warning list Public resolvers") != std::string::npos);
  }
  EXPECT_TRUE(named);
  auto operation = store_->FindStealerOperation("Endgame").value();
  auto servers = store_->ListStealerC2(operation->id).value();
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0].value, "10.1.2.3");
  auto info = store_->LookupObservable({ObservableType::kIpv4, "8.8.8.8"}).value();
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->warninglist, "Public resolvers");
}

TEST_F(IngestTest, StixC2ListNamesTheFamilyFromItsMalwareObject) {
  ::accord::testing::WriteFile(dir_.Join("c2.stix.json"), R"({"type": "bundle", "id": "bundle--6a7c1d57-5d3e-4f0b-9c41-0e1d2b3c4d5e", "objects": [
    {"type": "malware", "spec_version": "2.1", "id": "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
     "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "LummaC2", "is_family": true},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
     "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
     "pattern": "[ipv4-addr:value = '10.7.7.7']", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}]})");
  auto report = Ingest(*store_, Options(), {dir_.Join("c2.stix.json")}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->c2_servers, 1);
  auto operation = store_->FindStealerOperation("Endgame").value();
  auto servers = store_->ListStealerC2(operation->id).value();
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0].family, "lumma");  // the name its victims get
  EXPECT_EQ(servers[0].country, "DE");
}

// The operation's event is published as a STIX report whose id carries its
// uuid: version 4, and the one event however many lists come.
TEST_F(IngestTest, TheOperationEventIsARandomVersion4UuidAndEachC2ListUpdatesIt) {
  ::accord::testing::WriteFile(dir_.Join("c2.csv"), "value\n10.1.2.3\n");
  ::accord::testing::WriteFile(dir_.Join("more.csv"), "value\n10.1.2.4\n");
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("c2.csv")}, clock_).ok());
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("more.csv")}, clock_).ok());
  // Not derived from the name, which any member may know or guess.
  EXPECT_TRUE(store_->GetEvent(StableUuidV4(kAccordUuidNamespace, "stealer-operation:Endgame")).value() ==
              std::nullopt);
  const std::string expected =
      OperationEventUuid(*store_, *store_->FindStealerOperation("Endgame").value()).value().value_or("");
  EXPECT_EQ(expected[14], '4');  // the version digit
  auto event = store_->GetEvent(expected).value();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->observable_count, 2);
  EXPECT_EQ(store_->FindStealerOperation("Endgame").value()->event_id, event->id);
  EXPECT_EQ(store_->Counts("2026-01-10T08:00:00.000Z").value().events, 1);
}

// A node upgraded from before holds the operation's event under the
// version-5 uuid earlier versions derived: a new C2 list goes into it.
TEST_F(IngestTest, AnOperationEventUnderTheLegacyUuidIsUpdatedNotForked) {
  const std::string legacy = UuidV5(kAccordUuidNamespace, "stealer-operation:Endgame");
  {
    auto batch = store_->BeginImport().value();
    EventRecord event;
    event.uuid = legacy;
    event.title = "Operation Endgame: C2 servers";
    const int64_t id = batch->UpsertEvent(event, Tlp::kAmber, org_id_, {}).value();
    ASSERT_TRUE(batch->Link(id, {ObservableType::kIpv4, "10.1.2.3"}, {}, "").ok());
    ASSERT_TRUE(batch->Commit().ok());
  }
  ::accord::testing::WriteFile(dir_.Join("c2.csv"), "value\n10.1.2.3\n10.1.2.4\n");
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("c2.csv")}, clock_).ok());
  EXPECT_EQ(OperationEventUuid(*store_, *store_->FindStealerOperation("Endgame").value()).value(), legacy);
  auto event = store_->GetEvent(legacy).value();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->observable_count, 2);
  EXPECT_EQ(store_->FindStealerOperation("Endgame").value()->event_id, event->id);
  EXPECT_FALSE(store_->GetEvent(StableUuidV4(kAccordUuidNamespace, "stealer-operation:Endgame"))
                   .value()
                   .has_value());
  EXPECT_EQ(store_->Counts("2026-01-10T08:00:00.000Z").value().events, 1);
}

// Anyone who knows an operation's name can work out the uuid its C2 event
// would get, and post a report under it first (over TAXII). The squatter's
// event must neither receive the operation's servers, nor pass its level
// and readers on to them, nor stop the operation.
TEST_F(IngestTest, AnEventAnotherOrganisationHoldsUnderTheOperationsUuidGetsNoneOfItsServers) {
  const std::string derived = StableUuidV4(kAccordUuidNamespace, "stealer-operation:Endgame");
  const auto [squatter_id, squatted_id] = Squat(derived);
  ASSERT_NE(squatted_id, 0);
  ::accord::testing::WriteFile(dir_.Join("c2.csv"), "value\n10.1.2.3\n");
  ::accord::testing::WriteFile(dir_.Join("more.csv"), "value\n10.1.2.4\n");
  IngestOptions options = Options();
  options.tlp = Tlp::kRed;
  auto report = Ingest(*store_, options, {dir_.Join("c2.csv"), dir_.Join("more.csv")}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->c2_servers, 2);
  auto squatted = store_->GetEvent(derived).value();
  ASSERT_TRUE(squatted.has_value());
  EXPECT_EQ(squatted->owner_org_id, squatter_id);
  EXPECT_EQ(squatted->observable_count, 0);
  // Both lists went into one event of the coordinator's, which the
  // operation records and every later read finds.
  const StealerOperation operation = *store_->FindStealerOperation("Endgame").value();
  const std::string uuid = OperationEventUuid(*store_, operation).value().value_or("");
  EXPECT_NE(uuid, derived);
  auto own = store_->GetEvent(uuid).value();
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->id, operation.event_id);
  EXPECT_EQ(own->owner_org_id, org_id_);
  EXPECT_EQ(own->tlp, Tlp::kRed);
  EXPECT_EQ(own->observable_count, 2);
  // A later run adds to the same event.
  ::accord::testing::WriteFile(dir_.Join("third.csv"), "value\n10.1.2.5\n");
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("third.csv")}, clock_).ok());
  EXPECT_EQ(store_->GetEvent(uuid).value()->observable_count, 3);
  EXPECT_EQ(store_->GetEvent(derived).value()->observable_count, 0);
}

// An earlier version recorded the squatter's event as the operation's: the
// next C2 list goes into one event of the coordinator's, which replaces it.
TEST_F(IngestTest, AnOperationThatRecordedASquattersEventTakesItsOwnAtTheNextList) {
  const auto [squatter_id, squatted_id] = Squat(StableUuidV4(kAccordUuidNamespace, "stealer-operation:Endgame"));
  ASSERT_NE(squatted_id, 0);
  ASSERT_TRUE(Ingest(*store_, Options(), {}, clock_).ok());  // the operation, no C2 list yet
  StealerOperation recorded = *store_->FindStealerOperation("Endgame").value();
  recorded.event_id = squatted_id;
  ASSERT_TRUE(store_->UpsertStealerOperation(recorded).ok());
  EXPECT_FALSE(OperationEventUuid(*store_, *store_->FindStealerOperation("Endgame").value()).value().has_value())
      << "never the squatter's";
  ::accord::testing::WriteFile(dir_.Join("c2.csv"), "value\n10.1.2.3\n");
  ::accord::testing::WriteFile(dir_.Join("more.csv"), "value\n10.1.2.4\n");
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("c2.csv")}, clock_).ok());
  ASSERT_TRUE(Ingest(*store_, Options(), {dir_.Join("more.csv")}, clock_).ok());
  const StealerOperation operation = *store_->FindStealerOperation("Endgame").value();
  EXPECT_NE(operation.event_id, squatted_id);
  auto own = store_->GetEventById(operation.event_id).value();
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->owner_org_id, org_id_);
  EXPECT_EQ(own->observable_count, 2) << "one event for both lists";
  EXPECT_EQ(store_->GetEventById(squatted_id).value()->observable_count, 0);
}

TEST_F(IngestTest, AnotherOrganisationCannotIngestIntoAnOperation) {
  ASSERT_TRUE(Ingest(*store_, Options(), {}, clock_).ok());
  IngestOptions other = Options();
  other.org_id = org_id_ + 1000;
  EXPECT_EQ(Ingest(*store_, other, {}, clock_).status().code(), Status::Code::kPermissionDenied);
}

}  // namespace
}  // namespace accord::stealer
