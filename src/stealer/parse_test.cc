// ParseMachine against the synthetic generator's ground truth, family by
// family and in every encoding, plus hand-written layouts for the cases the
// generator does not make (resellers' renamed files, unknown layouts).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/crypto.h"
#include "stealer/ingest.h"
#include "stealer/stealer.h"
#include "stealer/synth.h"

namespace accord::stealer {
namespace {

using ::testing::HasSubstr;

class FamilyParseTest : public ::testing::TestWithParam<Family> {};

TEST_P(FamilyParseTest, EveryFieldAndCredentialMatchesTheGroundTruthInEveryEncoding) {
  SynthOptions options;
  options.machines = 30;
  options.seed = 11;
  options.families = {GetParam()};
  options.credentials_per_machine = 12;
  options.utf16_share = 0.25;
  options.cp1252_share = 0.25;
  int checked = 0;
  Status status = GenerateSynthetic(options, [&](const SynthMachine& truth, const MachineFiles& files) {
    auto log = ParseMachine(truth.folder, files);
    EXPECT_TRUE(log.ok()) << truth.folder << ": " << log.status().message();
    if (!log.ok()) return Status::Ok();
    const std::string where = truth.folder + " (" + truth.encoding + ")";
    EXPECT_EQ(log->family, truth.family) << where;
    EXPECT_EQ(log->machine_id, truth.machine_id) << where;
    EXPECT_EQ(log->ip, truth.ip) << where;
    EXPECT_EQ(log->country, truth.country) << where;
    EXPECT_EQ(log->os, truth.os) << where;
    EXPECT_EQ(log->user_name, truth.user_name) << where;
    EXPECT_EQ(log->computer_name, truth.computer_name) << where;
    EXPECT_EQ(log->build_id, truth.build_id) << where;
    EXPECT_EQ(*ParseTimestamp(log->infected_at), *ParseTimestamp(truth.infected_at)) << where;
    EXPECT_EQ(log->cookies, truth.cookies) << where;
    EXPECT_EQ(log->autofills, truth.autofills) << where;
    EXPECT_TRUE(log->warnings.empty()) << where << ": " << log->warnings.front();
    EXPECT_EQ(log->credentials.size(), truth.credentials.size()) << where;
    for (size_t i = 0; i < std::min(log->credentials.size(), truth.credentials.size()); ++i) {
      const Credential& got = log->credentials[i];
      const SynthCredential& want = truth.credentials[i];
      EXPECT_EQ(got.url, want.url) << where << " #" << i;
      EXPECT_EQ(got.domain, want.domain) << where << " #" << i;
      EXPECT_EQ(got.username, want.username) << where << " #" << i;
      EXPECT_EQ(got.password_sha1, want.password.empty() ? "" : PasswordDigest(want.password))
          << where << " #" << i;
    }
    ++checked;
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(checked, 30);
}

INSTANTIATE_TEST_SUITE_P(AllFamilies, FamilyParseTest, ::testing::ValuesIn(kAllFamilies),
                         [](const auto& info) { return std::string(FamilyName(info.param)); });

TEST(ParseMachineTest, UnknownLayoutIsRefusedNamingThePath) {
  MachineFiles files = {{"notes.txt", "hello"}, {"Screenshot.jpg", ""}};
  auto log = ParseMachine("drop/US[123]", files);
  ASSERT_FALSE(log.ok());
  EXPECT_THAT(log.status().message(), HasSubstr("drop/US[123]"));
  EXPECT_THAT(log.status().message(), HasSubstr("unknown stealer-log layout"));
}

TEST(ParseMachineTest, ResellerRenamedLummaSystemFileIsStillLumma) {
  MachineFiles files = {
      {"UserInformation.txt",
       "# Buy logs: @reseller\n- LummaC2 Build: Jan 10 2025\n- LID: Camp1\n- HWID: ABCDEF\n"
       "- IP Address: 192.0.2.55\n- Country: fr\n- Time: 05.03.2024 10:15:00 (sig:1709630100.00ff)\n"},
      {"All Passwords.txt", "SOFT: Chrome Default (120)\nURL: https://mail.fakemail.test/\n"
                            "USER: carol\nPASS: pass: with colon \n\n"}};
  auto log = ParseMachine("[FR]192.0.2.55_ABCDEF", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kLumma);
  EXPECT_EQ(log->country, "FR");
  EXPECT_EQ(log->build_id, "Camp1");
  EXPECT_EQ(log->infected_at, "2024-03-05T09:15:00.000Z");
  ASSERT_EQ(log->credentials.size(), 1u);
  EXPECT_EQ(log->credentials[0].password_sha1, PasswordDigest("pass: with colon "));
  EXPECT_EQ(log->credentials[0].domain, "fakemail.test");
}

TEST(ParseMachineTest, UnreadableFieldsBecomeWarningsNotFailures) {
  MachineFiles files = {{"UserInformation.txt",
                         "Build ID: x\r\nIP: 999.1.1.1\r\nCountry: Narnia\r\nHWID: H1\r\n"
                         "Operation System: Windows\r\nLog date: 45/45/2024 99:00:00\r\n"}};
  auto log = ParseMachine("folder-without-date", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kRedLine);
  EXPECT_EQ(log->ip, "");
  EXPECT_EQ(log->country, "");
  EXPECT_EQ(log->infected_at, "");
  EXPECT_GE(log->warnings.size(), 2u);
}

TEST(DecodeTextTest, Utf16AndWindows1252BecomeUtf8) {
  EXPECT_EQ(DecodeText(std::string("\xFF\xFE" "J\0o\0s\0\xE9\0", 10)), "Jos\xC3\xA9");
  EXPECT_EQ(DecodeText(std::string("\xFE\xFF\0J\0\xE9", 6)), "J\xC3\xA9");
  EXPECT_EQ(DecodeText("M\xFCller \x80"), "M\xC3\xBCller \xE2\x82\xAC");
  EXPECT_EQ(DecodeText("\xEF\xBB\xBFplain"), "plain");
  EXPECT_EQ(DecodeText("already \xC3\xA9"), "already \xC3\xA9");
  // A truncated UTF-16 file keeps what it has.
  EXPECT_EQ(DecodeText(std::string("\xFF\xFE" "A\0B", 5)), "A\xEF\xBF\xBD");
}

TEST(RegistrableDomainTest, PublicSuffixRulesApply) {
  EXPECT_EQ(RegistrableDomain("https://login.live.com/oauth?x=1"), "live.com");
  EXPECT_EQ(RegistrableDomain("https://www.bbc.co.uk/"), "bbc.co.uk");
  EXPECT_EQ(RegistrableDomain("login.acme-bank.test"), "acme-bank.test");
  EXPECT_EQ(RegistrableDomain("https://user:pw@portal.example.org:8443/a"), "example.org");
  EXPECT_EQ(RegistrableDomain("http://192.0.2.1/login"), "");
  EXPECT_EQ(RegistrableDomain("android://hash@com.whatsapp/"), "");
  EXPECT_EQ(RegistrableDomain(""), "");
}

TEST(DigestTest, PasswordAndUsernameDigestsAreUpperCaseSha1) {
  EXPECT_EQ(PasswordDigest("password"), "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8");
  EXPECT_EQ(UsernameDigest("  Alice@Example.TEST "), PasswordDigest("alice@example.test"));
}

}  // namespace
}  // namespace accord::stealer
