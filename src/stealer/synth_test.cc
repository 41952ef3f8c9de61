#include "stealer/synth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "stealer/synth_test_helpers.h"
#include "testing/testing.h"

namespace accord::stealer {
namespace {

using synth_testing::Generate;
using synth_testing::Generated;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(SynthTest, SameSeedGivesIdenticalBytesAndAnotherSeedDoesNot) {
  SynthOptions options;
  options.machines = 18;
  options.utf16_share = 0.2;
  options.cp1252_share = 0.2;
  options.duplicate_machine_share = 0.2;
  const auto first = Generate(options);
  const auto second = Generate(options);
  ASSERT_EQ(first.size(), 18u);
  ASSERT_EQ(second.size(), first.size());
  for (size_t idx = 0; idx < first.size(); ++idx) {
    EXPECT_EQ(first[idx].files, second[idx].files);
    EXPECT_EQ(SynthMachineJson(first[idx].machine), SynthMachineJson(second[idx].machine));
  }
  options.seed = 2;
  const auto other = Generate(options);
  EXPECT_NE(first[0].files, other[0].files);
}

TEST(SynthTest, VariantsAreReproducibleAndLeaveOtherMachinesAsBefore) {
  SynthOptions options;
  options.machines = 36;
  options.credentials_per_machine = 4;
  const auto documented = Generate(options);
  options.variant_share = 0.5;
  const auto first = Generate(options);
  const auto second = Generate(options);
  ASSERT_EQ(first.size(), documented.size());
  int variants = 0;
  for (size_t idx = 0; idx < first.size(); ++idx) {
    EXPECT_EQ(first[idx].files, second[idx].files);
    EXPECT_EQ(SynthMachineJson(first[idx].machine), SynthMachineJson(second[idx].machine));
    EXPECT_EQ(documented[idx].machine.layout, "");
    if (first[idx].machine.layout.empty()) {
      EXPECT_EQ(first[idx].files, documented[idx].files) << idx;
      continue;
    }
    ++variants;
    // A layout changes how a machine is written, never who it is.
    EXPECT_EQ(first[idx].machine.user_name, documented[idx].machine.user_name);
    EXPECT_EQ(first[idx].machine.infected_at, documented[idx].machine.infected_at);
    EXPECT_EQ(first[idx].machine.credentials.size(), documented[idx].machine.credentials.size());
  }
  // META has no variant: half of the other five sixths, within a few.
  EXPECT_NEAR(variants, 15, 4);
}

TEST(SynthTest, UnknownVariantIsRejected) {
  auto fn = [](const SynthMachine&, const MachineFiles&) { return Status::Ok(); };
  SynthOptions options;
  options.variant = "redline-2019";
  EXPECT_EQ(GenerateSynthetic(options, fn).code(), Status::Code::kInvalidArgument);
  options.variant = "stealc-v2";
  EXPECT_TRUE(GenerateSynthetic(options, fn).ok());
  options.variant_share = 1.5;
  EXPECT_EQ(GenerateSynthetic(options, fn).code(), Status::Code::kInvalidArgument);
}

TEST(SynthTest, EmptyFamilyListCyclesThroughAllSix) {
  SynthOptions options;
  options.machines = 12;
  const auto machines = Generate(options);
  ASSERT_EQ(machines.size(), 12u);
  for (size_t idx = 0; idx < machines.size(); ++idx)
    EXPECT_EQ(machines[idx].machine.family, kAllFamilies[idx % 6]);
}

TEST(SynthTest, Utf16ShareWritesTextFilesWithLittleEndianBom) {
  SynthOptions options;
  options.machines = 20;
  options.utf16_share = 0.5;
  int utf16 = 0;
  for (const Generated& g : Generate(options)) {
    if (g.machine.encoding != "utf-16le") continue;
    ++utf16;
    for (const auto& [path, bytes] : g.files) {
      if (path.find(".txt") == std::string::npos) continue;
      EXPECT_THAT(bytes, StartsWith("\xFF\xFE")) << path;
      EXPECT_EQ(bytes.size() % 2, 0u) << path;
    }
  }
  EXPECT_NEAR(utf16, 10, 1);
}

TEST(SynthTest, Cp1252MachinesWriteEAcuteAsByteE9AndNeverAsUtf8) {
  SynthOptions options;
  options.machines = 20;
  options.cp1252_share = 0.3;
  int cp1252 = 0;
  for (const Generated& g : Generate(options)) {
    std::string all;
    for (const auto& [path, bytes] : g.files) all += bytes;
    if (g.machine.encoding != "windows-1252") {
      continue;
    }
    ++cp1252;
    EXPECT_THAT(g.machine.user_name, HasSubstr("é"));
    EXPECT_NE(all.find('\xE9'), std::string::npos) << g.machine.folder;
    EXPECT_EQ(all.find("\xC3\xA9"), std::string::npos) << g.machine.folder;
  }
  EXPECT_NEAR(cp1252, 6, 1);
}

TEST(SynthTest, EncodingSharesHoldAmongOriginalsWhenDuplicatesArePresent) {
  SynthOptions options;
  options.machines = 100;
  options.credentials_per_machine = 2;
  options.utf16_share = 0.2;
  options.cp1252_share = 0.2;
  options.duplicate_machine_share = 0.3;
  std::map<std::string, int> originals;
  for (const Generated& g : Generate(options))
    if (!g.machine.duplicate) ++originals[g.machine.encoding];
  const int total = originals["utf-8"] + originals["utf-16le"] + originals["windows-1252"];
  EXPECT_NEAR(total, 70, 1);
  EXPECT_NEAR(originals["utf-16le"], 14, 5);
  EXPECT_NEAR(originals["windows-1252"], 14, 5);
}

TEST(SynthTest, DuplicatesRepeatAnEarlierMachineWithIdenticalFiles) {
  SynthOptions options;
  options.machines = 30;
  options.duplicate_machine_share = 0.25;
  const auto machines = Generate(options);
  std::map<std::string, const Generated*> seen;
  int duplicates = 0;
  for (const Generated& g : machines) {
    auto it = seen.find(g.machine.machine_id);
    if (!g.machine.duplicate) {
      EXPECT_EQ(it, seen.end()) << "machine ids of originals are unique";
      seen[g.machine.machine_id] = &g;
      continue;
    }
    ++duplicates;
    ASSERT_NE(it, seen.end()) << g.machine.folder << " repeats no earlier machine";
    EXPECT_EQ(g.files, it->second->files);
    EXPECT_THAT(g.machine.folder, StartsWith(it->second->machine.folder + " ("));
    EXPECT_EQ(g.machine.credentials.size(), it->second->machine.credentials.size());
  }
  EXPECT_NEAR(duplicates, 7, 1);
  EXPECT_FALSE(machines[0].machine.duplicate);
}

TEST(SynthTest, ValuesAreFictionalAndExerciseParsers) {
  SynthOptions options;
  options.machines = 60;
  options.credentials_per_machine = 30;
  std::map<std::string, int> password_machines;
  std::map<std::string, int> domain_counts;
  bool colon_password = false, non_ascii_username = false, ip_url = false;
  for (const Generated& g : Generate(options)) {
    const SynthMachine& m = g.machine;
    EXPECT_THAT(
        m.ip,
        ::testing::MatchesRegex(
            "(192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.[0-9]+|10\\.[0-9]+\\.[0-9]+\\.[0-9]+"));
    EXPECT_THAT(m.country, ::testing::MatchesRegex("[A-Z][A-Z]"));
    std::set<std::string> passwords_here;
    for (const SynthCredential& c : m.credentials) {
      if (c.domain.empty()) {
        ip_url = true;
      } else {
        EXPECT_THAT(c.domain, ::testing::EndsWith(".test"));
        EXPECT_THAT(c.url, HasSubstr(c.domain));
        ++domain_counts[c.domain];
      }
      colon_password |= c.password.find(": ") != std::string::npos;
      for (char ch : c.username) non_ascii_username |= static_cast<unsigned char>(ch) >= 0x80;
      passwords_here.insert(c.password);
    }
    for (const std::string& password : passwords_here) ++password_machines[password];
  }
  EXPECT_TRUE(colon_password);
  EXPECT_TRUE(non_ascii_username);
  EXPECT_TRUE(ip_url);
  EXPECT_GT(password_machines["Summer2024!"], 3) << "common passwords repeat across machines";
  // Zipf: the most popular service is far ahead of the tail.
  EXPECT_GT(domain_counts["fakemail.test"], 5 * domain_counts["recipes.test"]);
  EXPECT_GE(domain_counts.size(), 30u);
}

TEST(SynthTest, OptionsOutOfRangeAreRejected) {
  auto fn = [](const SynthMachine&, const MachineFiles&) { return Status::Ok(); };
  SynthOptions options;
  options.machines = -1;
  EXPECT_EQ(GenerateSynthetic(options, fn).code(), Status::Code::kInvalidArgument);
  options.machines = 1;
  options.utf16_share = 0.7;
  options.cp1252_share = 0.7;
  EXPECT_EQ(GenerateSynthetic(options, fn).code(), Status::Code::kInvalidArgument);
  options.cp1252_share = 0;
  options.duplicate_machine_share = 1.5;
  EXPECT_EQ(GenerateSynthetic(options, fn).code(), Status::Code::kInvalidArgument);
}

TEST(SynthTest, CallbackErrorStopsTheStream) {
  SynthOptions options;
  options.machines = 10;
  int calls = 0;
  Status status = GenerateSynthetic(options, [&](const SynthMachine&, const MachineFiles&) {
    return ++calls == 3 ? Status::Internal("stop here") : Status::Ok();
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(status.message(), "stop here");
}

TEST(SynthTest, WriteSyntheticWritesFoldersAndMatchingGroundTruth) {
  testing::TempDir dir;
  SynthOptions options;
  options.machines = 14;
  options.credentials_per_machine = 8;
  options.duplicate_machine_share = 0.15;
  options.cp1252_share = 0.2;
  ASSERT_TRUE(WriteSynthetic(dir.path().string(), options).ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "ground-truth.json.partial"));
  const auto truth = nlohmann::json::parse(testing::ReadFile(dir.Join("ground-truth.json")));
  const auto expected = Generate(options);
  ASSERT_EQ(truth["machines"].size(), expected.size());
  int64_t unique = 0, credentials = 0;
  std::map<std::string, int64_t> accounts;
  for (size_t idx = 0; idx < expected.size(); ++idx) {
    const Generated& g = expected[idx];
    EXPECT_EQ(truth["machines"][idx], SynthMachineJson(g.machine));
    for (const auto& [path, bytes] : g.files)
      EXPECT_EQ(testing::ReadFile((dir.path() / g.machine.folder / path).string()), bytes) << path;
    if (g.machine.duplicate) continue;
    ++unique;
    credentials += static_cast<int64_t>(g.machine.credentials.size());
    for (const SynthCredential& c : g.machine.credentials)
      if (!c.domain.empty()) ++accounts[c.domain];
  }
  const auto& totals = truth["totals"];
  EXPECT_EQ(totals["machines"], 14);
  EXPECT_EQ(totals["unique_machines"], unique);
  EXPECT_EQ(totals["duplicates"], 14 - unique);
  EXPECT_EQ(totals["credentials"], credentials);
  for (const auto& [domain, count] : accounts)
    EXPECT_EQ(totals["domains"][domain]["accounts"], count);
  const auto first = truth["machines"][0];
  EXPECT_EQ(first["family"], "redline");
  EXPECT_TRUE(first["credentials"].empty() || first["credentials"][0].contains("password"));
}

TEST(SynthTest, WriteSyntheticNamesAPathItCannotCreate) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("file"), "x");
  SynthOptions options;
  options.machines = 1;
  Status status = WriteSynthetic(dir.Join("file/sub"), options);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_THAT(status.message(), HasSubstr("file/sub"));
}

}  // namespace
}  // namespace accord::stealer
