// ParseMachine against the synthetic generator's ground truth, family by
// family and in every encoding, plus hand-written layouts for the cases the
// generator does not make (resellers' renamed files, unknown layouts).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "stealer/ingest.h"
#include "stealer/stealer.h"
#include "stealer/synth.h"

namespace accord::stealer {
namespace {

using ::testing::HasSubstr;

// Every field and credential of one generated machine against its truth.
void ExpectParsedAsTruth(const SynthMachine& truth, const MachineFiles& files) {
  auto log = ParseMachine(truth.folder, files);
  EXPECT_TRUE(log.ok()) << truth.folder << ": " << log.status().message();
  if (!log.ok()) return;
  const std::string where =
      truth.folder + " (" + truth.encoding + (truth.layout.empty() ? "" : ", " + truth.layout) + ")";
  EXPECT_EQ(log->family, truth.family) << where;
  EXPECT_EQ(log->machine_id, truth.machine_id) << where;
  EXPECT_EQ(log->ip, truth.ip) << where;
  EXPECT_EQ(log->country, truth.country) << where;
  EXPECT_EQ(log->os, truth.os) << where;
  EXPECT_EQ(log->user_name, truth.user_name) << where;
  EXPECT_EQ(log->computer_name, truth.computer_name) << where;
  EXPECT_EQ(log->build_id, truth.build_id) << where;
  auto infected = ParseTimestamp(log->infected_at);
  EXPECT_TRUE(infected.ok()) << where << ": '" << log->infected_at << "'";
  if (infected.ok()) {
    EXPECT_EQ(*infected, *ParseTimestamp(truth.infected_at)) << where;
  }
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
}

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
    EXPECT_EQ(truth.layout, "") << truth.folder;
    ExpectParsedAsTruth(truth, files);
    ++checked;
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(checked, 30);
}

INSTANTIATE_TEST_SUITE_P(AllFamilies, FamilyParseTest, ::testing::ValuesIn(kAllFamilies),
                         [](const auto& info) { return std::string(FamilyName(info.param)); });

struct VariantCase {
  Family family;
  std::string_view variant;
};

std::vector<VariantCase> AllVariants() {
  std::vector<VariantCase> cases;
  for (Family family : kAllFamilies)
    for (std::string_view variant : SynthVariants(family)) cases.push_back({family, variant});
  return cases;
}

class VariantParseTest : public ::testing::TestWithParam<VariantCase> {};

// Each real-world layout the parser reads, written by the generator, parses
// to its exact ground truth in every encoding.
TEST_P(VariantParseTest, EveryFieldAndCredentialMatchesTheGroundTruthInEveryEncoding) {
  SynthOptions options;
  options.machines = 16;
  options.seed = 23;
  options.families = {GetParam().family};
  options.credentials_per_machine = 10;
  options.utf16_share = 0.25;
  options.cp1252_share = 0.25;
  options.variant_share = 1.0;
  options.variant = std::string(GetParam().variant);
  int checked = 0;
  Status status = GenerateSynthetic(options, [&](const SynthMachine& truth, const MachineFiles& files) {
    EXPECT_EQ(truth.layout, GetParam().variant) << truth.folder;
    ExpectParsedAsTruth(truth, files);
    ++checked;
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(checked, 16);
}

INSTANTIATE_TEST_SUITE_P(AllVariants, VariantParseTest, ::testing::ValuesIn(AllVariants()),
                         [](const auto& info) {
                           std::string name(info.param.variant);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// A mixed stream (documented layouts and every variant, duplicates too)
// parses to its truth machine by machine.
TEST(VariantParseTest, MixedStreamWithEveryVariantMatchesTheGroundTruth) {
  SynthOptions options;
  options.machines = 120;
  options.seed = 5;
  options.credentials_per_machine = 6;
  options.cp1252_share = 0.2;
  options.duplicate_machine_share = 0.1;
  options.variant_share = 0.5;
  std::set<std::string> layouts;
  Status status = GenerateSynthetic(options, [&](const SynthMachine& truth, const MachineFiles& files) {
    layouts.insert(truth.layout);
    ExpectParsedAsTruth(truth, files);
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.message();
  for (const VariantCase& c : AllVariants()) EXPECT_TRUE(layouts.count(std::string(c.variant))) << c.variant;
  EXPECT_TRUE(layouts.count(""));
}

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

// --- Layouts seen in real logs that the generator does not write. All values
// are made up (RFC 5737 addresses, .test domains).

std::string Utf16Le(std::string_view ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

TEST(RealLayoutTest, Lumma2023BuildBannerAndLidLumaIdAreLumma) {
  MachineFiles files = {{"System.txt",
                         "LummaC2, Build Oct 10 2023\nLID(Lumma ID): Camp7--crypt\n\n- PC: DESK-7\n"
                         "- User: alice\n- OS Version: Windows 10 (10.0.17763)\n- HWID: H0123\n"
                         "- IP Address: 192.0.2.7\n- Country: PH\n"}};
  auto log = ParseMachine("PH_H0123", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kLumma);
  EXPECT_EQ(log->build_id, "Camp7--crypt");
  EXPECT_EQ(log->computer_name, "DESK-7");
  EXPECT_EQ(log->machine_id, "H0123");
  EXPECT_EQ(log->ip, "192.0.2.7");
}

TEST(RealLayoutTest, LummaWithoutBuildBannerIsKnownByItsSignedTime) {
  MachineFiles files = {{"System.txt",
                         "@reseller\n\n- OS Version: Windows 11 Home (10.0.26100) x64\n"
                         "- Local Date: 03.04.2025 20:41:05\n- Time Zone: UTC+4\n- HWID: H9\n"
                         "- CPU Vendor: GenuineIntel\n- IP Address: 192.0.2.8\n"
                         "- Time: 03.04.2025 19:41:07 (sig:1743698467.00aa)\n- Country: AE\n"
                         "- LID: @reseller\n\n------------------------------------\n"}};
  auto log = ParseMachine("AE_H9", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kLumma);
  EXPECT_EQ(log->infected_at, "2025-04-03T16:41:07.000Z");
  EXPECT_EQ(log->os, "Windows 11 Home (10.0.26100) x64");
}

// A sig that is no count of seconds (a build or reseller that writes other
// text there) says nothing of the date: the local date and zone do.
TEST(RealLayoutTest, LummaSigThatIsNoEpochFallsBackToItsLocalDate) {
  for (const char* sig : {"abcdef0123", "6b8c1d", "123.45", "99999999999.aa"}) {
    MachineFiles files = {{"System.txt", std::string("- LummaC2 Build: Nov 20 2026\n- LID: x\n"
                                                     "- Local Date: 26.11.2026 18:22:33\n- Time Zone: UTC-5\n"
                                                     "- HWID: H1\n- IP Address: 192.0.2.9\n"
                                                     "- Time: 26.11.2026 18:22:33 (sig:") +
                                             sig + ")\n- Country: US\n"}};
    auto log = ParseMachine("US_H1", files);
    ASSERT_TRUE(log.ok()) << log.status().message();
    EXPECT_EQ(log->family, Family::kLumma) << sig;
    EXPECT_EQ(log->infected_at, "2026-11-26T23:22:33.000Z") << sig;
  }
}

// Vidar's own builds write Date with C's ctime; Local Time has the same
// wall time in digits and stands in when Date cannot be read.
TEST(RealLayoutTest, VidarCtimeDateAndLocalTimeWhenDateIsUnreadable) {
  for (const char* date : {"Fri Nov 27 10:01:02 2026", "Fri Nov  27 10:01:02 2026", "sometime"}) {
    MachineFiles files = {{"information.txt", std::string("Ip: 192.0.2.13\nCountry: DE\nVersion: 9.1\n\n"
                                                          "Date: ") + date +
                                                  "\nMachineID: M1\nHWID: V1\n\nWork Dir: In memory\n"
                                                  "Local Time: 27/11/2026 10:01:02\nTimeZone: 1\n"},
                          {"passwords.txt", "Soft: Google Chrome (Default)\nHost: https://a.test/\n"
                                            "Login: fay\nPassword: one\n\n"}};
    auto log = ParseMachine("DE_V1", files);
    ASSERT_TRUE(log.ok()) << log.status().message();
    EXPECT_EQ(log->family, Family::kVidar) << date;
    EXPECT_EQ(log->infected_at, "2026-11-27T09:01:02.000Z") << date;
    EXPECT_TRUE(log->warnings.empty()) << date << ": " << log->warnings.front();
  }
}

// StealC v2 writes a flat System.txt; resellers paste RedLine's banner on top.
TEST(RealLayoutTest, StealCv2FlatSystemUnderARedLineBannerIsStealC) {
  const std::string banner =
      "***********************************************\n"
      "*  |_| \\_|_____|____/|_____|___|_| \\_|_____|  *\n"
      "***********************************************\n\n";
  MachineFiles day_first = {{"System.txt", banner + "IP: 192.0.2.9\nCountry: IN\nHWID: S1\n"
                                                    "OS: Windows 11\nArchitecture: x64\n"
                                                    "UserName: bob\nLocal Time: 28/03/2026 10:15:00\n"
                                                    "UTC: 4\nLaptop: TRUE\nDevice String: GPU\n"}};
  auto log = ParseMachine("[IN]192.0.2.9_S1", day_first);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kStealC);
  EXPECT_EQ(log->os, "Windows 11");
  EXPECT_EQ(log->user_name, "bob");
  EXPECT_EQ(log->infected_at, "2026-03-28T06:15:00.000Z");
  EXPECT_TRUE(log->warnings.empty());

  MachineFiles year_first = {{"System.txt", "IP: 192.0.2.9\nCountry: NP\nOS: Windows 11\n"
                                            "Local Time: 2026-03-20 10:15:00\nUTC: -3\nLaptop: FALSE\n"}};
  log = ParseMachine("[NP]192.0.2.9_X", year_first);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kStealC);
  EXPECT_EQ(log->infected_at, "2026-03-20T13:15:00.000Z");
}

// Some Raccoon panels write Last seen in digits, the day first.
TEST(RealLayoutTest, RaccoonLastSeenInDigitsIsReadDayFirst) {
  MachineFiles files = {{"System Info.txt",
                         "User ID: 0b1c2d3e-0000-4000-8000-00000000000b|dan\n"
                         "Last seen: 15.12.2022 10:15:00\n"
                         "Build: 638123...25bedf\nIP info: AR 192.0.2.11\nSystem Information: \n"
                         "\t- OS: Windows 10 Pro\n"}};
  auto log = ParseMachine("AR_0b1d", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kRaccoon);
  EXPECT_EQ(log->infected_at, "2022-12-15T10:15:00.000Z");
  EXPECT_TRUE(log->warnings.empty()) << log->warnings.front();
}

// The v2 panel leaves an empty "Time zone:" without its line end.
TEST(RealLayoutTest, RaccoonV2GluedTimeZoneLineStillGivesTheOs) {
  MachineFiles files = {{"System Info.txt",
                         "User ID: 0b1c2d3e-0000-4000-8000-00000000000a|carol\n"
                         "Last seen: Thu Dec 15 2022 10:15:00 GMT+0100 (Central European Standard Time)\n"
                         "Build: 638123...25bedf\nIP info: AR 192.0.2.10\nSystem Information: \n"
                         "\t- Locale: Spanish\n\t- Time zone: \t- OS: Windows 10 Pro\n"
                         "\t- Architecture: x64\nInstalled applications:\n\tCCleaner 6.05\n"}};
  auto log = ParseMachine("AR_0b1c", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kRaccoon);
  EXPECT_EQ(log->os, "Windows 10 Pro");
  EXPECT_EQ(log->machine_id, "0b1c2d3e-0000-4000-8000-00000000000a");
  EXPECT_EQ(log->infected_at, "2022-12-15T09:15:00.000Z");
}

TEST(RealLayoutTest, RaccoonV1BotIdAndLaunchedAt) {
  MachineFiles files = {{"System Info.txt",
                         "Racc0_0n | 1.8.0\r\n\r\nLaunched at: 2021.08.13 - 10:15:00 GMT\r\n\r\n"
                         "Bot_ID: 0b1c2d3e-0000-4000-8000-00000000000b_dave\r\n\r\n"
                         "System Information:\r\n\r\n  - IP: 192.0.2.11\r\n\r\n"
                         "  - ComputerName: PC-DAVE\r\n\r\n  - Product name: Windows 10 Pro\r\n"}};
  auto log = ParseMachine("PL_0b1c", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kRaccoon);
  EXPECT_EQ(log->machine_id, "0b1c2d3e-0000-4000-8000-00000000000b");
  EXPECT_EQ(log->user_name, "dave");
  EXPECT_EQ(log->computer_name, "PC-DAVE");
  EXPECT_EQ(log->os, "Windows 10 Pro");
  EXPECT_EQ(log->country, "PL");  // from the folder name: the log has none
  EXPECT_EQ(log->infected_at, "2021-08-13T10:15:00.000Z");
}

// A reseller's RedLine without Build ID or FileLocation, a ru-RU "Log date"
// (day first) and the victim's zone; UTF-8 with a BOM and CRLF.
TEST(RealLayoutTest, RedLineDottedLogDateIsDayFirstInTheVictimsZone) {
  MachineFiles files = {{"UserInformation.txt",
                         "\xEF\xBB\xBFRe-Uploads /// t.me/someone\r\n\r\nIP: 192.0.2.12\r\n"
                         "UserName: erin\r\nCountry: BR\r\nLocation: UNKNOWN\r\nHWID: R1\r\n"
                         "TimeZone: (UTC-03:00) Bras\xC3\xADlia\r\n"
                         "Operation System: Windows 10 Home x64\r\nLog date: 08.03.2021 20:51:37\r\n"}};
  auto log = ParseMachine("logs/BR_R1", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kRedLine);
  EXPECT_EQ(log->infected_at, "2021-03-08T23:51:37.000Z");

  // en-US: month first, with AM/PM.
  files["UserInformation.txt"] = "Build ID: b\nHWID: R2\nTimeZone: (UTC+04:30) Kabul\n"
                                 "Operation System: Windows 8 Pro x64\nLog date: 10/18/2023 2:05:09 PM\n"
                                 "Hardwares: \nName: METAL GEAR SOLID V, 4 Cores\n";
  log = ParseMachine("AF_R2", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kRedLine);  // "METAL" is not META
  EXPECT_EQ(log->infected_at, "2023-10-18T09:35:09.000Z");
}

TEST(RealLayoutTest, VidarWithUpperCaseIpAndDottedDate) {
  MachineFiles files = {{"information.txt",
                         "==========https://example.test===========\n\nIP: 192.0.2.13\nCountry: BR\n"
                         "Date: 18.05.2026 18:09:16\nMachineID: M1\nHWID: V1\nWork Dir: Admin @seller\n"
                         "Windows: Windows 11 Pro\nComputer Name: PC1\nUser Name: fay\n"
                         "Local Time: 18.05.2026 18:09:15\n"},
                        {"passwords.txt", "Soft: Google Chrome (Default)\nHost: https://a.test/\n"
                                          "Login: fay\nPassword: one\n\n"}};
  auto log = ParseMachine("BR_V1", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kVidar);
  EXPECT_EQ(log->ip, "192.0.2.13");
  EXPECT_EQ(log->infected_at, "2026-05-18T18:09:16.000Z");
  ASSERT_EQ(log->credentials.size(), 1u);
}

// Resellers rewrite passwords files: dashed rules instead of blank lines, a
// seller line, lower-case labels, a block without a username; UTF-16LE.
TEST(RealLayoutTest, PasswordsWithRulesSellerLinesAndUtf16) {
  MachineFiles files = {
      {"UserInformation.txt", "Build ID: x\nHWID: P1\nOperation System: Windows 10\n"},
      {"Passwords.txt",
       Utf16Le("Seller: t.me/someone\r\n-------------\r\nurl: https://one.test/login\r\n"
               "login: gus\r\npassword: p1\r\n-------------\r\nURL: https://two.test/\r\n"
               "Password: p2\r\n-------------\r\nHost: three.test\r\nUsername: gus3\r\n"
               "Password: \r\n===============\r\n")}};
  auto log = ParseMachine("US[P1] [2024-03-05T10_15_00.1234567-05_00]", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->credentials.size(), 3u);
  EXPECT_EQ(log->credentials[0].username, "gus");
  EXPECT_EQ(log->credentials[0].password_sha1, PasswordDigest("p1"));
  EXPECT_EQ(log->credentials[1].username, "");
  EXPECT_EQ(log->credentials[1].password_sha1, PasswordDigest("p2"));
  EXPECT_EQ(log->credentials[2].domain, "three.test");
  EXPECT_EQ(log->credentials[2].password_sha1, "");
  EXPECT_EQ(log->infected_at, "2024-03-05T15:15:00.000Z");
}

// Vidar builds without a MachineID/HWID line: two victims in folders of the
// same name are two machines; the same log read again is the same one.
TEST(RealLayoutTest, LogsWithoutAMachineIdAreToldApartByTheirContent) {
  auto vidar = [](const std::string& ip, const std::string& user) {
    return MachineFiles{{"information.txt", "Ip: " + ip + "\nCountry: AR\nDate: 25/12/2025 10:11:12\n"
                                             "Work Dir: In memory\nWindows: Windows 10 Pro\nUser Name: " + user + "\n"},
                        {"passwords.txt", "Soft: Google Chrome (Default)\nHost: https://a.test/\nLogin: " + user +
                                              "\nPassword: pw-" + user + "\n\n"}};
  };
  auto first = ParseMachine("batch1/AR_victim", vidar("192.0.2.61", "ana"));
  auto second = ParseMachine("batch2/AR_victim", vidar("192.0.2.62", "ben"));
  auto again = ParseMachine("copy/AR_victim", vidar("192.0.2.61", "ana"));
  ASSERT_TRUE(first.ok() && second.ok() && again.ok()) << first.status().message();
  EXPECT_NE(first->machine_id, second->machine_id);
  EXPECT_EQ(first->machine_id, again->machine_id);
  EXPECT_TRUE(first->machine_id.starts_with("folder:AR_victim#")) << first->machine_id;
}

// A reseller's banner listing families is no family: labels decide.
TEST(RealLayoutTest, ABannerListingFamiliesDoesNotMakeRedLineMeta) {
  MachineFiles files = {{"UserInformation.txt",
                         "*   Fresh logs: REDLINE / META / VIDAR        *\nBuild ID: x\nHWID: B1\n"
                         "Operation System: Windows 10 Pro\n"}};
  auto log = ParseMachine("US[B1]", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->family, Family::kRedLine);
  files["UserInformation.txt"] = "*   M E T A   logs   *\nBuild ID: x\nHWID: B1\nOperation System: Windows 10\n"
                                 "Seller: META\n";
  EXPECT_EQ(ParseMachine("US[B1]", files)->family, Family::kMeta);
}

// Meduza writes RedLine's "Operation System:" typo beside labels RedLine
// never writes: read, with a warning that the family is a guess.
TEST(RealLayoutTest, AnotherFamilysLabelsMakeTheRedLineGuessAWarning) {
  MachineFiles files = {{"UserInfo.txt", "HWID: M1\nLog Date: 11-11-2024, 20:06:43\nBuild Name: 665\n"
                                         "Country Code: GB\nOperation System: Windows 10 Home\nIP: 192.0.2.70\n"
                                         "Execute Path: C:\\x.exe\n"}};
  auto log = ParseMachine("GB_M1", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  bool warned = false;
  for (const std::string& warning : log->warnings) warned = warned || warning.find("check its family") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(RealLayoutTest, FolderNameGivesCountryAndIpTheLogLacks) {
  MachineFiles files = {{"System.txt", "HWID: S2\nOS: Windows 10\nUserName: hal\n"
                                       "Local Time: 26/03/2026 10:00:00\nUTC: 3\nLaptop: FALSE\n"}};
  auto log = ParseMachine("drop.zip!/Logs/[de]192.0.2.44_2026-03-26", files);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->country, "DE");
  EXPECT_EQ(log->ip, "192.0.2.44");
}

// One ANSI byte in a reseller's line must not turn a UTF-8 file's other
// lines into mojibake (their passwords' SHA-1 would be wrong); UTF-16LE
// without a byte-order mark is still UTF-16.
TEST(DecodeTextTest, OneAnsiLineLeavesTheUtf8LinesAndBomlessUtf16IsRead) {
  EXPECT_EQ(DecodeText("Username: j\xC3\xBCrgen\nLogs by t.me/example \xA9 2024\nPassword: Gr\xC3\xBC\xC3\x9F" "e\n"),
            "Username: j\xC3\xBCrgen\nLogs by t.me/example \xC2\xA9 2024\nPassword: Gr\xC3\xBC\xC3\x9F" "e\n");
  EXPECT_EQ(DecodeText(std::string("U\0R\0L\0:\0 \0J\0\xE9\0\n\0", 16)), "URL: J\xC3\xA9\n");
  EXPECT_EQ(DecodeText("plain ascii\n"), "plain ascii\n");
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
