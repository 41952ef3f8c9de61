// `accord stealer` as a coordinator uses it: synthetic logs zipped the way a
// partner hands them over, a C2 list, ingest with its report and exit code,
// the summary, the packages, the exposure check and the purge.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class CliStealerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Run("init --org Hub --country NL --kind international").exit_code, 0);
    auto synth = Run("stealer synth --machines 30 --credentials 6 --seed 9 --output '" + dir_.Join("logs") + "'");
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
    truth_ = json::parse(testing::ReadFile(dir_.Join("logs/ground-truth.json")));
    std::filesystem::remove(dir_.Join("logs/ground-truth.json"));
    testing::WriteFile(dir_.Join("c2.csv"), "value,comment\n203.0.113.50,panel\nc2.evil.test,gate\n");
  }

  testing::CliRun Run(const std::string& args, const std::string& stdin_path = "/dev/null") {
    return testing::RunCli(ACCORD_BINARY, args + " --data '" + dir_.Join("node") + "'",
                           {"", "", stdin_path});
  }

  testing::TempDir dir_;
  json truth_;
};

TEST_F(CliStealerTest, IngestReportPackageCheckAndPurgeEndToEnd) {
  // --geoip takes one value: the paths after it are what to ingest.
  testing::WriteFile(dir_.Join("geoip"), "3405803776,3405804031,AU\n");
  auto ingest = Run("stealer ingest --operation Endgame --retention 90 --geoip 'tor:" + dir_.Join("geoip") + "' '" +
                    dir_.Join("logs") + "' '" + dir_.Join("c2.csv") + "'");
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_THAT(ingest.out, HasSubstr("30 new victims"));
  EXPECT_THAT(ingest.out, HasSubstr("2 C2 servers"));
  // Nothing the command prints carries a password.
  for (const auto& machine : truth_["machines"]) {
    for (const auto& credential : machine["credentials"]) {
      const std::string password = credential["password"];
      if (password.size() < 8) continue;
      EXPECT_EQ((ingest.out + ingest.err).find(password), std::string::npos);
    }
  }

  auto report = Run("stealer report --operation Endgame --json");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  json summary = json::parse(report.out);
  EXPECT_EQ(summary["victims"], 30);
  EXPECT_EQ(summary["credentials"], truth_["totals"]["credentials"]);
  EXPECT_EQ(summary["retention_days"], 90);
  EXPECT_THAT(Run("stealer report --operation Endgame").out, HasSubstr("Top services"));

  auto package = Run("stealer package --operation Endgame --output '" + dir_.Join("pk") + "'");
  ASSERT_EQ(package.exit_code, 0) << package.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("pk/summary.json")));
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("pk/takedown/XX-AS0.stix.json")));
  EXPECT_FALSE(std::filesystem::is_empty(dir_.Join("pk/victims")));

  // The exposure check reads the secret from stdin.
  std::string password;
  for (const auto& machine : truth_["machines"]) {
    for (const auto& credential : machine["credentials"]) {
      if (password.empty() && credential["password"].get<std::string>().size() >= 6) {
        password = credential["password"];
      }
    }
  }
  testing::WriteFile(dir_.Join("secret"), password + "\n");
  auto exposed = Run("stealer check", dir_.Join("secret"));
  EXPECT_EQ(exposed.exit_code, 3);
  EXPECT_THAT(exposed.out, HasSubstr("exposed: seen"));
  testing::WriteFile(dir_.Join("fresh"), "a-password-no-stealer-ever-saw-9f8e7d\n");
  auto fresh = Run("stealer check", dir_.Join("fresh"));
  EXPECT_EQ(fresh.exit_code, 0);
  EXPECT_THAT(fresh.out, HasSubstr("not found"));
  EXPECT_THAT(Run("stealer check --username", dir_.Join("fresh")).out, HasSubstr("not found"));
  // Nothing on stdin is a mistake, not an answer that nothing was found.
  testing::WriteFile(dir_.Join("empty"), "");
  auto nothing = Run("stealer check", dir_.Join("empty"));
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_THAT(nothing.err, HasSubstr("nothing to check"));

  auto purge = Run("stealer purge --operation Endgame");
  EXPECT_EQ(purge.exit_code, 0) << purge.err;
  EXPECT_THAT(purge.out, HasSubstr("Endgame\t0 victims purged"));  // within retention
  EXPECT_EQ(Run("audit verify").exit_code, 0);
}

// --share-with names organisations, not the paths after it; a later run
// with no path only shares, and sharing at AMBER+STRICT is refused.
TEST_F(CliStealerTest, AnOperationIsSharedWithNamedOrganisationsWithOrWithoutNewPaths) {
  ASSERT_EQ(Run("org create BKA --country DE --kind law-enforcement").exit_code, 0);
  ASSERT_EQ(Run("org create 'Polizia Postale' --country IT --kind law-enforcement").exit_code, 0);
  auto ingest = Run("stealer ingest --operation Endgame --tlp red --share-with BKA '" + dir_.Join("c2.csv") + "' '" +
                    dir_.Join("logs") + "'");
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_THAT(ingest.out, HasSubstr("2 C2 servers"));
  auto share = Run("stealer ingest --operation Endgame --share-with 'Polizia Postale'");
  ASSERT_EQ(share.exit_code, 0) << share.err;
  auto audit = Run("audit show");
  EXPECT_THAT(audit.out, HasSubstr("stealer.share"));
  auto strict = Run("stealer ingest --operation Endgame --tlp amber+strict --share-with BKA");
  EXPECT_EQ(strict.exit_code, 3);
  EXPECT_THAT(strict.err, HasSubstr("AMBER+STRICT"));
  EXPECT_EQ(Run("stealer ingest --operation Endgame").exit_code, 1) << "nothing to do";
}

TEST_F(CliStealerTest, ProblemsAreReportedWithTheirPathAndExitThree) {
  std::filesystem::create_directories(dir_.Join("logs/stray"));
  testing::WriteFile(dir_.Join("logs/stray/readme.txt"), "not a machine");
  auto ingest = Run("stealer ingest --operation Endgame '" + dir_.Join("logs") + "'");
  EXPECT_EQ(ingest.exit_code, 3);
  EXPECT_THAT(ingest.err, HasSubstr(dir_.Join("logs") + "/stray: unknown stealer-log layout"));
  EXPECT_THAT(ingest.out, HasSubstr("30 new victims"));
  // A path that is not there is a mistake in the command: refused (exit 1)
  // before any of the others is read.
  auto missing = Run("stealer ingest --operation Typo '" + dir_.Join("logs") + "' '" + dir_.Join("nope.zip") + "'");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("nope.zip: no such file or folder"));
  EXPECT_THAT(Run("stealer report --operation Typo").err, HasSubstr("no operation named 'Typo'"));
  EXPECT_THAT(Run("stealer report --operation Nope").err, HasSubstr("no operation named 'Nope'"));
  EXPECT_EQ(Run("stealer synth --output x --families mirai").exit_code, 1);
}

}  // namespace
}  // namespace accord
