// The summary report and the packages, checked against the generator's
// ground truth; no package carries a password or its hash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "stealer/ingest.h"
#include "stealer/stealer_testing.h"

namespace accord::stealer {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class PackagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore({dir_.Join("node"), true}).value();
    Organisation org;
    org.name = "Hub";
    org.country = "NL";
    org.kind = "international";
    org.uuid = UuidV4();
    org_id_ = store_->CreateOrganisation(org).value().id;
    geo_ = geo::ParseTorRanges("167772160,184549375,DE\n3221225984,3221226239,NL\n", "", "geoip").value();
    SynthOptions synth;
    synth.machines = 45;
    synth.seed = 4;
    synth.credentials_per_machine = 6;
    ASSERT_TRUE(GenerateSynthetic(synth, [&](const SynthMachine& machine, const MachineFiles& files) {
                  truth_.push_back(machine);
                  for (const auto& [name, bytes] : files) {
                    const auto file = std::filesystem::path(dir_.Join("logs")) / machine.folder / name;
                    std::filesystem::create_directories(file.parent_path());
                    ::accord::testing::WriteFile(file.string(), bytes);
                  }
                  return Status::Ok();
                }).ok());
    ::accord::testing::WriteFile(dir_.Join("c2.csv"),
                                 "value,malware,comment\n10.9.9.9,LummaC2,panel\n10.9.9.10,Amadey,gate\n"
                                 "192.0.2.77,,drop\nc2.evil.test,,dns\n");
    IngestOptions options;
    options.operation = "Endgame";
    options.org_id = org_id_;
    options.geo = geo_.get();
    ASSERT_TRUE(Ingest(*store_, options, {dir_.Join("logs"), dir_.Join("c2.csv")}, clock_).ok());
    operation_ = *store_->FindStealerOperation("Endgame").value();
  }

  json ReadJson(const std::string& relative) {
    return json::parse(::accord::testing::ReadFile(dir_.Join("out/" + relative)));
  }

  ::accord::testing::TempDir dir_;
  ::accord::testing::ManualClock clock_{*ParseTimestamp("2026-02-01T00:00:00Z")};
  std::unique_ptr<Store> store_;
  std::unique_ptr<geo::GeoDatabase> geo_;
  std::vector<SynthMachine> truth_;
  StealerOperation operation_;
  int64_t org_id_ = 0;
};

TEST_F(PackagesTest, SummaryCountsVictimsServicesAndC2AsTheGroundTruth) {
  auto summary = SummaryReport(*store_, operation_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  std::map<std::string, int64_t> by_country, by_family, by_domain;
  for (const SynthMachine& machine : truth_) {
    by_country[machine.country]++;
    by_family[std::string(FamilyName(machine.family))]++;
    for (const auto& credential : machine.credentials) {
      if (!credential.domain.empty()) by_domain[credential.domain]++;
    }
  }
  EXPECT_EQ((*summary)["victims"], 45);
  for (const auto& [country, count] : by_country) EXPECT_EQ((*summary)["victims_by_country"][country], count) << country;
  for (const auto& [family, count] : by_family) EXPECT_EQ((*summary)["victims_by_family"][family], count) << family;
  const json& top = (*summary)["top_services"];
  ASSERT_FALSE(top.empty());
  int64_t most = 0;
  for (const auto& [domain, count] : by_domain) most = std::max(most, count);
  EXPECT_EQ(top[0]["accounts"], most);
  EXPECT_EQ(top[0]["accounts"], by_domain[top[0]["domain"].get<std::string>()]);
  EXPECT_EQ((*summary)["c2_servers"], 4);
  EXPECT_EQ((*summary)["c2_by_country"]["DE"], 2);
  EXPECT_FALSE((*summary)["timeline"].empty());
}

TEST_F(PackagesTest, PackagesAreGroupedAndCarryNoPasswordOrItsHash) {
  auto written = WritePackages(*store_, operation_, {}, dir_.Join("out"), clock_);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  // Takedown: one group per hosting country and ASN.
  json de = ReadJson("takedown/DE-AS0.json");
  EXPECT_EQ(de["servers"].size(), 2u);
  EXPECT_THAT(de["servers"][0]["evidence"].dump(), HasSubstr("c2.csv:2"));
  EXPECT_EQ(ReadJson("takedown/NL-AS0.json")["servers"].size(), 1u);
  EXPECT_EQ(ReadJson("takedown/XX-AS0.json")["servers"][0]["value"], "c2.evil.test");
  json bundle = ReadJson("takedown/DE-AS0.stix.json");
  EXPECT_EQ(bundle["type"], "bundle");
  std::map<std::string, int> types;
  // The OASIS validator's uuid-check: domain objects, relationships and the
  // bundle carry version-4 uuids (the TLP marking's id is the standard one).
  auto uuid_version = [](const json& id) {
    const std::string text = id.get<std::string>();
    return text.substr(text.find("--") + 2)[14];
  };
  EXPECT_EQ(uuid_version(bundle["id"]), '4');
  std::map<std::string, std::string> malware_types;  // name -> type
  for (const auto& object : bundle["objects"]) {
    types[object["type"]]++;
    EXPECT_EQ(object["spec_version"], "2.1") << object.dump();
    EXPECT_EQ(uuid_version(object["id"]), '4') << object.dump();
    if (object["type"] == "malware") malware_types[object["name"]] = object["malware_types"][0];
  }
  EXPECT_EQ(types["indicator"], 2);
  EXPECT_EQ(types["infrastructure"], 2);
  EXPECT_EQ(types["relationship"], 4);
  // Each server's family from the list's malware column: a stealer is
  // spyware, a loader is not called that.
  EXPECT_EQ(malware_types, (std::map<std::string, std::string>{{"lumma", "spyware"}, {"amadey", "unknown"}}));
  EXPECT_EQ(types["marking-definition"], 1);
  // Victims per country; services per domain with usernames only.
  std::map<std::string, int64_t> by_country;
  std::map<std::string, int64_t> by_domain;
  for (const SynthMachine& machine : truth_) {
    by_country[machine.country]++;
    for (const auto& credential : machine.credentials) {
      if (!credential.domain.empty()) by_domain[credential.domain]++;
    }
  }
  for (const auto& [country, count] : by_country) {
    EXPECT_EQ(ReadJson("victims/" + country + ".json")["victims"].size(), static_cast<size_t>(count)) << country;
  }
  for (const auto& [domain, count] : by_domain) {
    EXPECT_EQ(ReadJson("services/" + domain + ".json")["accounts"], count) << domain;
  }
  std::string everything;
  for (const std::string& file : written->files) everything += ::accord::testing::ReadFile(dir_.Join("out/" + file));
  // Common passwords ("password") are words of the packages' own notes:
  // those are not looked for.
  const std::string notes = ReadJson("services/" + by_domain.begin()->first + ".json")["note"].dump() +
                            ReadJson("victims/" + by_country.begin()->first + ".json")["note"].dump();
  int searched = 0;
  for (const SynthMachine& machine : truth_) {
    for (const auto& credential : machine.credentials) {
      if (credential.password.size() < 8 || notes.find(credential.password) != std::string::npos) continue;
      ++searched;
      EXPECT_EQ(everything.find(credential.password), std::string::npos) << machine.folder;
      EXPECT_EQ(everything.find(PasswordDigest(credential.password)), std::string::npos) << machine.folder;
    }
  }
  EXPECT_GT(searched, 50);
  for (const std::string& file : written->files) EXPECT_FALSE(file.ends_with(".partial"));
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("out/summary.csv")));
}

TEST_F(PackagesTest, OnlyTheAskedKindsAndFormatsAreWritten) {
  PackageOptions options;
  options.formats = {PackageFormat::kCsv};
  options.victims = options.services = options.summary = false;
  auto written = WritePackages(*store_, operation_, options, dir_.Join("out"), clock_);
  ASSERT_TRUE(written.ok());
  for (const std::string& file : written->files) {
    EXPECT_TRUE(file.starts_with("takedown/") && file.ends_with(".csv")) << file;
  }
  EXPECT_EQ(written->files.size(), 3u);
}

// A CSV has no header block to say its level in: each row says it, so a
// row forwarded alone (to a hosting provider, a service) still carries it.
TEST_F(PackagesTest, EveryCsvRowCarriesTheOperationsTlp) {
  PackageOptions options;
  options.formats = {PackageFormat::kCsv};
  auto written = WritePackages(*store_, operation_, options, dir_.Join("out"), clock_);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  int rows = 0;
  for (const std::string& file : written->files) {
    if (!file.ends_with(".csv")) continue;  // the summary's JSON is always written
    std::istringstream lines(::accord::testing::ReadFile(dir_.Join("out/" + file)));
    std::string line;
    bool header = true;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      EXPECT_TRUE(line.ends_with(header ? ",tlp" : ",TLP:AMBER")) << file << ": " << line;
      rows += header ? 0 : 1;
      header = false;
    }
  }
  EXPECT_GT(rows, 5);
}

// Packages carry the operation's level: its C2 event's, and before a C2
// list made that event, AMBER+STRICT (the coordinator's alone), never less.
TEST_F(PackagesTest, PackagesCarryTheOperationsLevelAndAmberStrictBeforeAnyC2List) {
  PackageOptions options;
  options.formats = {PackageFormat::kJson};
  ASSERT_TRUE(WritePackages(*store_, operation_, options, dir_.Join("out"), clock_).ok());
  EXPECT_EQ(ReadJson("summary.json")["tlp"], "TLP:AMBER") << "the C2 event's level";

  IngestOptions logs_only;
  logs_only.operation = "Logs only";
  logs_only.org_id = org_id_;
  logs_only.geo = geo_.get();
  ASSERT_TRUE(Ingest(*store_, logs_only, {dir_.Join("logs")}, clock_).ok());
  const StealerOperation operation = *store_->FindStealerOperation("Logs only").value();
  ASSERT_EQ(operation.event_id, 0);
  auto written = WritePackages(*store_, operation, options, dir_.Join("strict"), clock_);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(json::parse(::accord::testing::ReadFile(dir_.Join("strict/summary.json")))["tlp"], "TLP:AMBER+STRICT");
  size_t victims = 0;
  for (const std::string& file : written->files) {
    if (!file.starts_with("victims/")) continue;
    ++victims;
    EXPECT_EQ(json::parse(::accord::testing::ReadFile(dir_.Join("strict/" + file)))["tlp"], "TLP:AMBER+STRICT")
        << file;
  }
  EXPECT_GT(victims, 0u);
}

}  // namespace
}  // namespace accord::stealer
