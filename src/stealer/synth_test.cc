#include "stealer/synth.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/time.h"
#include "testing/testing.h"

namespace accord::stealer {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct Generated {
  SynthMachine machine;
  MachineFiles files;
};

std::vector<Generated> Generate(const SynthOptions& options) {
  std::vector<Generated> out;
  Status status = GenerateSynthetic(options, [&](const SynthMachine& m, const MachineFiles& f) {
    out.push_back({m, f});
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

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

TEST(SynthTest, EmptyFamilyListCyclesThroughAllSix) {
  SynthOptions options;
  options.machines = 12;
  const auto machines = Generate(options);
  ASSERT_EQ(machines.size(), 12u);
  for (size_t idx = 0; idx < machines.size(); ++idx)
    EXPECT_EQ(machines[idx].machine.family, kAllFamilies[idx % 6]);
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
