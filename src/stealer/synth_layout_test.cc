#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/time.h"
#include "stealer/synth.h"
#include "stealer/synth_test_helpers.h"

namespace accord::stealer {
namespace {

using synth_testing::Generate;
using synth_testing::Generated;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

SynthOptions OneFamily(Family family, int64_t machines = 6) {
  SynthOptions options;
  options.machines = machines;
  options.seed = 7;
  options.families = {family};
  options.credentials_per_machine = 12;
  return options;
}

// Test-side decoding, independent of the generator's encoders: UTF-16LE
// after its BOM, or Windows-1252 (only the Latin-1 range and the euro sign
// occur in generated text).
std::string AppendUtf8(std::string out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

std::string Decode(const std::string& bytes, const std::string& encoding) {
  std::string out;
  if (encoding == "utf-16le") {
    EXPECT_THAT(bytes, StartsWith("\xFF\xFE"));
    for (size_t i = 2; i + 1 < bytes.size(); i += 2) {
      const char32_t unit =
          static_cast<unsigned char>(bytes[i]) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
      out = AppendUtf8(std::move(out), unit);  // generated text has no surrogates
    }
    return out;
  }
  if (encoding == "windows-1252") {
    for (char c : bytes) {
      const auto byte = static_cast<unsigned char>(c);
      out = AppendUtf8(std::move(out), byte == 0x80 ? 0x20AC : byte);
    }
    return out;
  }
  return bytes;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// The value of every line that starts with `key` ("PASS: "), split on the
// first ": " as a parser must.
std::vector<std::string> Values(const std::string& text, const std::string& key) {
  std::vector<std::string> values;
  for (const std::string& line : Lines(text))
    if (line.rfind(key, 0) == 0) values.push_back(line.substr(key.size()));
  return values;
}

const std::string& File(const Generated& g, const std::string& path) {
  static const std::string kMissing;
  auto it = g.files.find(path);
  EXPECT_NE(it, g.files.end()) << g.machine.folder << " has no " << path;
  return it == g.files.end() ? kMissing : it->second;
}

// Where each family keeps its credentials and how it labels them.
struct PasswordLayout {
  std::string file, user_key, password_key;
};
PasswordLayout LayoutOf(Family family) {
  switch (family) {
    case Family::kRedLine:
    case Family::kMeta:
      return {"Passwords.txt", "Username: ", "Password: "};
    case Family::kVidar:
      return {"passwords.txt", "Login: ", "Password: "};
    case Family::kLumma:
      return {"All Passwords.txt", "USER: ", "PASS: "};
    case Family::kRaccoon:
      return {"passwords.txt", "USER: ", "PASS: "};
    case Family::kStealC:
      return {"passwords.txt", "login: ", "password: "};
  }
  return {};
}

TEST(SynthTest, RedLineFolderFollowsThePanelLayout) {
  for (const Generated& g : Generate(OneFamily(Family::kRedLine))) {
    const SynthMachine& m = g.machine;
    EXPECT_THAT(m.folder,
                ::testing::MatchesRegex(
                    "[A-Z][A-Z]\\[[0-9A-F]{32}\\] \\[2024-[0-9-]+T[0-9]{2}_[0-9]{2}_[0-9]{2}"
                    "\\.[0-9]{7}[-+][0-9]{2}_00\\]"));
    const std::string& info = File(g, "UserInformation.txt");
    EXPECT_THAT(info, StartsWith("***********************************************\r\n"));
    EXPECT_THAT(info, HasSubstr("|_| \\_|_____|____/|_____|___|_| \\_|_____|"));
    for (const char* key :
         {"Build ID: ", "IP: ", "FileLocation: ", "UserName: ", "MachineName: ", "Country: ",
          "HWID: ", "Operation System: ", "UAC: ", "Process Elevation: ", "Log date: "})
      EXPECT_THAT(info, HasSubstr(std::string("\r\n") + key)) << key;
    EXPECT_THAT(info, HasSubstr("HWID: " + m.machine_id + "\r\n"));
    EXPECT_TRUE(g.files.count("DomainDetects.txt"));
    EXPECT_TRUE(g.files.count("Screenshot.jpg"));
    if (m.credentials.empty()) {
      EXPECT_FALSE(g.files.count("Passwords.txt"));
      continue;
    }
    const std::string& passwords = File(g, "Passwords.txt");
    // CRLF everywhere: no bare LF.
    for (size_t pos = passwords.find('\n'); pos != std::string::npos;
         pos = passwords.find('\n', pos + 1))
      ASSERT_EQ(passwords[pos - 1], '\r') << m.folder;
    // Every block, the last included, ends with exactly 15 '='.
    EXPECT_THAT(passwords, ::testing::EndsWith("\r\n===============\r\n"));
    const auto lines = Lines(passwords);
    int blocks = 0;
    for (size_t idx = 0; idx < lines.size(); ++idx) {
      if (lines[idx].rfind("URL: ", 0) != 0) continue;
      ++blocks;
      ASSERT_LT(idx + 4, lines.size());
      EXPECT_THAT(lines[idx + 1], StartsWith("Username: "));
      EXPECT_THAT(lines[idx + 2], StartsWith("Password: "));
      EXPECT_THAT(lines[idx + 3], StartsWith("Application: "));
      EXPECT_EQ(lines[idx + 4], std::string(15, '='));
    }
    EXPECT_EQ(blocks, static_cast<int>(m.credentials.size()));
  }
}

TEST(SynthTest, RedLineAndMetaBannersAreFramed47ColumnsWide) {
  for (Family family : {Family::kRedLine, Family::kMeta}) {
    const Generated g = Generate(OneFamily(family, 1))[0];
    const auto lines = Lines(File(g, "UserInformation.txt"));
    ASSERT_GT(lines.size(), 5u);
    size_t idx = 0;
    for (; idx < lines.size() && !lines[idx].empty(); ++idx) {
      EXPECT_EQ(lines[idx].size(), 47u) << lines[idx];
      EXPECT_EQ(lines[idx].front(), '*');
      EXPECT_EQ(lines[idx].back(), '*');
    }
    EXPECT_EQ(lines[idx - 1], std::string(47, '*'));
  }
}

TEST(SynthTest, MetaHasItsBannerAndMachineNameButNoUac) {
  for (const Generated& g : Generate(OneFamily(Family::kMeta))) {
    const std::string& info = File(g, "UserInformation.txt");
    EXPECT_THAT(info, HasSubstr("( M | E | T | A )"));
    EXPECT_THAT(info, HasSubstr("\r\nMachineName: " + g.machine.computer_name + "\r\n"));
    EXPECT_THAT(info, Not(HasSubstr("UAC:")));
    EXPECT_THAT(info, Not(HasSubstr("Process Elevation:")));
    EXPECT_THAT(info, Not(HasSubstr("____")));  // not RedLine's art
  }
}

TEST(SynthTest, VidarWritesInformationWithLowerCasePAndSoftHostBlocks) {
  for (const Generated& g : Generate(OneFamily(Family::kVidar))) {
    const std::string& info = File(g, "information.txt");
    EXPECT_THAT(info, StartsWith("Ip: " + g.machine.ip + "\r\n"));
    EXPECT_THAT(info, HasSubstr("\r\nHWID: " + g.machine.machine_id + "\r\n"));
    EXPECT_THAT(info, HasSubstr("\r\nWork Dir: In memory\r\n"));
    // C's ctime, as Vidar's own builds write it.
    EXPECT_THAT(info, ::testing::ContainsRegex("\r\nDate: [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] "
                                               "[0-9]{2}:[0-9]{2}:[0-9]{2} 2024\r\n"));
    EXPECT_THAT(info, HasSubstr("\r\n[Hardware]\r\n"));
    EXPECT_EQ(g.machine.folder, g.machine.country + "_" + g.machine.machine_id);
    if (g.machine.credentials.empty()) continue;
    const std::string& passwords = File(g, "passwords.txt");
    EXPECT_THAT(passwords, StartsWith("Soft: "));
    // Blocks of four lines, each followed by a blank line.
    const auto lines = Lines(passwords);
    for (size_t idx = 0; idx + 4 < lines.size(); idx += 5) {
      EXPECT_THAT(lines[idx], StartsWith("Soft: "));
      EXPECT_THAT(lines[idx + 1], StartsWith("Host: "));
      EXPECT_THAT(lines[idx + 2], StartsWith("Login: "));
      EXPECT_THAT(lines[idx + 3], StartsWith("Password: "));
      EXPECT_EQ(lines[idx + 4], "");
    }
  }
}

TEST(SynthTest, LummaSystemTxtHasBuildLidAndSignedTime) {
  for (const Generated& g : Generate(OneFamily(Family::kLumma))) {
    const std::string& system = File(g, "System.txt");
    EXPECT_THAT(system, HasSubstr("\n- LummaC2 Build: "));
    EXPECT_THAT(system, HasSubstr("\n- LID: " + g.machine.build_id + "\n"));
    EXPECT_THAT(system, HasSubstr("\n- HWID: " + g.machine.machine_id + "\n"));
    EXPECT_THAT(system, HasSubstr("\n- IP Address: " + g.machine.ip + "\n"));
    EXPECT_THAT(system, HasSubstr("\n- Country: " + g.machine.country + "\n"));
    EXPECT_THAT(system,
                ::testing::ContainsRegex(
                    "\n- Local Date: [0-9]{2}\\.[0-9]{2}\\.2024 [0-9]{2}:[0-9]{2}:[0-9]{2}\n"));
    EXPECT_THAT(system, ::testing::ContainsRegex(
                            "\n- Time: [0-9.]+ [0-9:]+ \\(sig:[0-9]+\\.[0-9a-f]+\\)\n"));
    EXPECT_THAT(system, Not(HasSubstr("\r\n")));
    EXPECT_EQ(g.machine.folder,
              "[" + g.machine.country + "]" + g.machine.ip + "_" + g.machine.machine_id);
    if (g.machine.credentials.empty()) continue;
    // Per-profile files plus the root file repeating them.
    size_t per_profile = 0;
    for (const auto& [path, bytes] : g.files) {
      if (path.size() > 14 && path.substr(path.size() - 14) == "/Passwords.txt") {
        EXPECT_EQ(std::count(path.begin(), path.end(), '/'), 2) << path;
        per_profile += Values(bytes, "SOFT: ").size();
      }
    }
    EXPECT_EQ(per_profile, g.machine.credentials.size());
    EXPECT_EQ(Values(File(g, "All Passwords.txt"), "URL: ").size(), g.machine.credentials.size());
  }
}

TEST(SynthTest, RaccoonSystemInfoHasUserIdGuidAndJavaScriptDate) {
  for (const Generated& g : Generate(OneFamily(Family::kRaccoon))) {
    const std::string& system = File(g, "System Info.txt");
    EXPECT_THAT(system,
                StartsWith("User ID: " + g.machine.machine_id + "|" + g.machine.user_name + "\n"));
    EXPECT_THAT(system, ::testing::ContainsRegex("\nLast seen: [A-Z][a-z]{2} [A-Z][a-z]{2} "
                                                 "[0-9]{2} 2024 [0-9:]{8} GMT[-+][0-9]{4} \\("));
    EXPECT_THAT(system, HasSubstr("\nBuild: " + g.machine.build_id + "\n"));
    EXPECT_THAT(system, HasSubstr("\nIP info: " + g.machine.country + " " + g.machine.ip + "\n"));
    EXPECT_TRUE(g.machine.computer_name.empty());
    if (g.machine.credentials.empty()) continue;
    EXPECT_THAT(File(g, "passwords.txt"), StartsWith("URL: "));
  }
}

TEST(SynthTest, StealCUsesLowerCaseKeysAndTabIndentedSystemInfo) {
  for (const Generated& g : Generate(OneFamily(Family::kStealC))) {
    const std::string& system = File(g, "system_info.txt");
    EXPECT_THAT(system, StartsWith("Network Info:\n\t- IP: " + g.machine.ip +
                                   "\n\t- Country: " + g.machine.country + "\n"));
    EXPECT_THAT(system, HasSubstr("\nSystem Summary:\n\t- HWID: " + g.machine.machine_id + "\n"));
    EXPECT_THAT(system, ::testing::ContainsRegex("\n\t- Local Time: 2024/[0-9]{1,2}/[0-9]{1,2} "
                                                 "[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}\n"));
    EXPECT_TRUE(g.files.count("cookie_list.txt"));
    if (g.machine.credentials.empty()) continue;
    const std::string& passwords = File(g, "passwords.txt");
    EXPECT_THAT(passwords, StartsWith("browser: "));
    for (const std::string& line : Lines(passwords)) {
      if (line.empty()) continue;
      EXPECT_TRUE(line[0] >= 'a' && line[0] <= 'z') << line;
      EXPECT_THAT(line.substr(0, line.find(": ")),
                  ::testing::AnyOf("browser", "profile", "url", "login", "password"));
    }
  }
}

// Counts and values read back from the files (after decoding) equal the
// truth, for every family and encoding.
TEST(SynthTest, CredentialsInFilesEqualTheTruth) {
  SynthOptions options;
  options.machines = 36;
  options.seed = 11;
  options.credentials_per_machine = 20;
  options.utf16_share = 0.3;
  options.cp1252_share = 0.3;
  int64_t total = 0;
  for (const Generated& g : Generate(options)) {
    const SynthMachine& m = g.machine;
    const PasswordLayout layout = LayoutOf(m.family);
    if (m.credentials.empty()) {
      EXPECT_FALSE(g.files.count(layout.file)) << m.folder;
      continue;
    }
    const std::string text = Decode(File(g, layout.file), m.encoding);
    const auto users = Values(text, layout.user_key);
    const auto passwords = Values(text, layout.password_key);
    ASSERT_EQ(users.size(), m.credentials.size()) << m.folder;
    ASSERT_EQ(passwords.size(), m.credentials.size()) << m.folder;
    for (size_t idx = 0; idx < m.credentials.size(); ++idx) {
      EXPECT_EQ(users[idx], m.credentials[idx].username) << m.folder;
      EXPECT_EQ(passwords[idx], m.credentials[idx].password) << m.folder;
    }
    total += static_cast<int64_t>(m.credentials.size());
  }
  EXPECT_GT(total, 36 * 10);
}

TEST(SynthTest, CookieAndAutofillCountsEqualTheTruth) {
  SynthOptions options;
  options.machines = 12;
  options.seed = 5;
  for (const Generated& g : Generate(options)) {
    int64_t cookies = 0, autofills = 0;
    for (const auto& [path, bytes] : g.files) {
      std::string lower = path;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower.rfind("cookies/", 0) == 0) {
        for (const std::string& line : Lines(bytes)) {
          if (line.empty() || line[0] == '#') continue;
          EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 6) << line;
          ++cookies;
        }
      }
      const bool autofill_file =
          lower.rfind("autofill", 0) == 0 || lower.find("/autofills.txt") != std::string::npos;
      if (!autofill_file) continue;
      switch (g.machine.family) {
        case Family::kRedLine:
        case Family::kMeta:
          autofills += Values(bytes, "Name: ").size();
          break;
        case Family::kLumma:
          autofills += Values(bytes, "FORM: ").size();
          break;
        case Family::kRaccoon:
          autofills += Values(bytes, "Name: ").size();
          break;
        default:
          autofills += Lines(bytes).size();
          break;
      }
    }
    EXPECT_EQ(cookies, g.machine.cookies) << g.machine.folder;
    EXPECT_EQ(autofills, g.machine.autofills) << g.machine.folder;
  }
}

// infected_at is recoverable from what each family's log shows.
TEST(SynthTest, InfectedAtMatchesTheDateEachLogShows) {
  SynthOptions options;
  options.machines = 24;
  for (const Generated& g : Generate(options)) {
    const SynthMachine& m = g.machine;
    auto expected = ParseTimestamp(m.infected_at);
    ASSERT_TRUE(expected.ok()) << m.infected_at;
    std::string shown;  // an RFC 3339 rendering of what the log says
    std::smatch match;
    switch (m.family) {
      case Family::kRedLine:
      case Family::kMeta: {
        ASSERT_TRUE(std::regex_search(
            m.folder, match,
            std::regex(R"(\[(\d{4}-\d\d-\d\d)T(\d\d)_(\d\d)_(\d\d)\.\d{7}([-+]\d\d)_(\d\d)\])")));
        shown = match[1].str() + "T" + match[2].str() + ":" + match[3].str() + ":" +
                match[4].str() + match[5].str() + ":" + match[6].str();
        break;
      }
      case Family::kLumma: {
        const std::string system = Decode(File(g, "System.txt"), m.encoding);
        ASSERT_TRUE(std::regex_search(system, match, std::regex(R"(\(sig:(\d+)\.)")));
        shown = match[1].str();
        break;
      }
      case Family::kRaccoon: {
        const std::string system = Decode(File(g, "System Info.txt"), m.encoding);
        ASSERT_TRUE(std::regex_search(
            system, match,
            std::regex(
                R"(Last seen: \w{3} (\w{3}) (\d\d) (\d{4}) ([\d:]{8}) GMT([-+]\d\d)(\d\d))")));
        const std::string months = "JanFebMarAprMayJunJulAugSepOctNovDec";
        const int month = static_cast<int>(months.find(match[1].str())) / 3 + 1;
        shown = fmt::format("{}-{:02}-{}T{}{}:{}", match[3].str(), month, match[2].str(),
                            match[4].str(), match[5].str(), match[6].str());
        break;
      }
      case Family::kVidar:
      case Family::kStealC: {
        const bool vidar = m.family == Family::kVidar;
        const std::string system =
            Decode(File(g, vidar ? "information.txt" : "system_info.txt"), m.encoding);
        int year, month, day, hour, minute, second;
        int64_t offset;
        if (vidar) {
          ASSERT_TRUE(std::regex_search(
              system, match,
              std::regex(
                  R"(Local Time: (\d+)/(\d+)/(\d+) (\d+):(\d+):(\d+)\r?\nTimeZone: (\d+))")));
          day = std::stoi(match[1]), month = std::stoi(match[2]), year = std::stoi(match[3]);
          offset = std::stoll(match[7]);
          if (offset > (int64_t{1} << 31)) offset -= int64_t{1} << 32;
        } else {
          ASSERT_TRUE(std::regex_search(
              system, match,
              std::regex(R"(Local Time: (\d+)/(\d+)/(\d+) (\d+):(\d+):(\d+)\n\t- UTC: (-?\d+))")));
          year = std::stoi(match[1]), month = std::stoi(match[2]), day = std::stoi(match[3]);
          offset = std::stoll(match[7]);
        }
        hour = std::stoi(match[4]), minute = std::stoi(match[5]), second = std::stoi(match[6]);
        shown = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:00", year, month, day, hour,
                            minute, second, offset < 0 ? '-' : '+', offset < 0 ? -offset : offset);
        break;
      }
    }
    auto parsed = ParseTimestamp(shown);
    ASSERT_TRUE(parsed.ok()) << shown << " " << parsed.status().ToString();
    EXPECT_EQ(*parsed, *expected) << FamilyName(m.family) << " shows " << shown << ", truth "
                                  << m.infected_at;
  }
}

// --- Real-world layout variants (SynthVariants): what each writes instead
// of the documented layout.

std::vector<Generated> OneVariant(Family family, const std::string& variant) {
  SynthOptions options = OneFamily(family, 8);
  options.variant_share = 1.0;
  options.variant = variant;
  auto machines = Generate(options);
  for (const Generated& g : machines) EXPECT_EQ(g.machine.layout, variant);
  return machines;
}

TEST(SynthVariantTest, RedLineResellerHasNoBuildIdNorFolderDateAndDottedLogDate) {
  for (const Generated& g : OneVariant(Family::kRedLine, "redline-reseller")) {
    const std::string& info = File(g, "UserInformation.txt");
    EXPECT_THAT(info, Not(HasSubstr("Build ID:")));
    EXPECT_THAT(info, Not(HasSubstr("FileLocation:")));
    EXPECT_THAT(info, Not(HasSubstr("REDLINE")));
    EXPECT_THAT(info, ::testing::ContainsRegex("\r\nLog date: [0-9]{2}\\.[0-9]{2}\\.2024 "));
    EXPECT_THAT(info, HasSubstr("\r\nTimeZone: (UTC"));
    EXPECT_EQ(g.machine.folder, g.machine.country + "_" + g.machine.machine_id);
    EXPECT_EQ(g.machine.build_id, "");
    if (g.machine.credentials.empty()) continue;
    const std::string& passwords = File(g, "Passwords.txt");
    EXPECT_THAT(passwords, Not(HasSubstr("===============")));
    EXPECT_TRUE(passwords.find("\r\n-------------\r\n") != std::string::npos ||
                passwords.find("\r\n*****\r\n") != std::string::npos);
  }
}

TEST(SynthVariantTest, VidarResellerWritesUpperCaseIpDottedDatesAndStarRules) {
  for (const Generated& g : OneVariant(Family::kVidar, "vidar-reseller")) {
    const std::string& info = File(g, "information.txt");
    EXPECT_THAT(info, HasSubstr("\r\nIP: " + g.machine.ip + "\r\n"));
    EXPECT_THAT(info, ::testing::ContainsRegex("\r\nDate: [0-9]{2}\\.[0-9]{2}\\.2024 "));
    if (!g.machine.credentials.empty()) {
      EXPECT_THAT(File(g, "passwords.txt"), HasSubstr("\r\n*****\r\n"));
    }
  }
}

TEST(SynthVariantTest, LummaVariantsDropTheBannerOrUseThe2023Header) {
  for (const Generated& g : OneVariant(Family::kLumma, "lumma-no-banner")) {
    const std::string& system = File(g, "System.txt");
    EXPECT_THAT(system, Not(HasSubstr("LummaC2")));
    EXPECT_THAT(system, HasSubstr("(sig:"));
  }
  for (const Generated& g : OneVariant(Family::kLumma, "lumma-2023")) {
    const std::string& system = File(g, "System.txt");
    EXPECT_THAT(system, ::testing::ContainsRegex("^# [^\n]*\nLummaC2, Build [A-Z][a-z]{2} "));
    EXPECT_THAT(system, HasSubstr("\nLID(Lumma ID): " + g.machine.build_id + "\n"));
    EXPECT_THAT(system, HasSubstr("\n- PC: " + g.machine.computer_name + "\n"));
    EXPECT_THAT(system, Not(HasSubstr("(sig:")));
  }
}

TEST(SynthVariantTest, RaccoonV1HasBannerBotIdAndUtcLaunchTimeWithCrlf) {
  for (const Generated& g : OneVariant(Family::kRaccoon, "raccoon-v1")) {
    const std::string& system = File(g, "System Info.txt");
    EXPECT_THAT(system, StartsWith("Racc0_0n | 1."));
    EXPECT_THAT(system, HasSubstr("\r\nBot_ID: " + g.machine.machine_id + "_" +
                                  g.machine.user_name + "\r\n"));
    const std::string utc = g.machine.infected_at;  // "2024-03-05T09:15:00Z"
    EXPECT_THAT(system, HasSubstr(fmt::format("Launched at: {}.{}.{} - {} GMT", utc.substr(0, 4),
                                              utc.substr(5, 2), utc.substr(8, 2),
                                              utc.substr(11, 8))));
    EXPECT_THAT(system, Not(HasSubstr("Country")));
    EXPECT_FALSE(g.machine.computer_name.empty());
  }
  for (const Generated& g : OneVariant(Family::kRaccoon, "raccoon-v2-glued")) {
    EXPECT_THAT(File(g, "System Info.txt"), HasSubstr("\n\t- Time zone: \t- OS: " + g.machine.os));
  }
}

TEST(SynthVariantTest, StealCv2WritesFlatSystemTxtWithoutIpOrCountry) {
  int banners = 0;
  for (const Generated& g : OneVariant(Family::kStealC, "stealc-v2")) {
    EXPECT_EQ(g.files.count("system_info.txt"), 0u);
    const std::string& system = File(g, "System.txt");
    EXPECT_THAT(system, ::testing::ContainsRegex("\nLocal Time: [0-9]{2}/[0-9]{2}/2024 "));
    EXPECT_THAT(system, HasSubstr("\nLaptop: "));
    EXPECT_THAT(system, Not(HasSubstr("Country")));
    EXPECT_THAT(system, Not(HasSubstr(g.machine.ip + "\n")));
    banners += system.starts_with("****") ? 1 : 0;
  }
  EXPECT_GT(banners, 0);
}

}  // namespace
}  // namespace accord::stealer
