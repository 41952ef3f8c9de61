// RedLine and META writers of the synthetic generator; see synth_internal.h.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stealer/synth_internal.h"

namespace accord::stealer::synth_internal {

// ---------------------------------------------------------------------------
// RedLine and META: the .NET panel writes both (META is a RedLine clone).

namespace {

std::string FramedLine(std::string_view text) {
  // The banners are 47 columns wide: "*  " + text padded + "*".
  return fmt::format("*  {:<43}*\n", text);
}

std::string Banner(bool meta) {
  std::string out =
      "***********************************************\n"
      "*                                             *\n";
  if (meta) {
    out += "*              ( M | E | T | A )              *\n";
  } else {
    out += R"(*   ____  _____ ____  _     ___ _   _ _____   *
*  |  _ \| ____|  _ \| |   |_ _| \ | | ____|  *
*  | |_) |  _| | | | | |    | ||  \| |  _|    *
*  |  _ <| |___| |_| | |___ | || |\  | |___   *
*  |_| \_|_____|____/|_____|___|_| \_|_____|  *
)";
  }
  out += "*                                             *\n";
  // Resellers replace the panel's Telegram line; ours names no real channel.
  out += FramedLine("Seller: synthetic test data, not a log");
  out += "***********************************************\n";
  return out;
}

std::string RedLineLogDate(const Victim& v) {
  const Civil t = LocalInfected(v);
  switch (v.date_culture) {
    case 0: {  // en-US
      const int hour12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
      return fmt::format("{}/{}/{} {}:{:02}:{:02} {}", t.month, t.day, t.year, hour12, t.minute,
                         t.second, t.hour < 12 ? "AM" : "PM");
    }
    case 1:  // InvariantCulture
      return fmt::format("{:02}/{:02}/{} {:02}:{:02}:{:02}", t.month, t.day, t.year, t.hour,
                         t.minute, t.second);
    default:  // ru-RU
      return fmt::format("{:02}.{:02}.{} {:02}:{:02}:{:02}", t.day, t.month, t.year, t.hour,
                         t.minute, t.second);
  }
}

std::string RedLineApplication(const BrowserProfile& profile) {
  return fmt::format("{}_{}", profile.browser->redline, profile.profile);
}

}  // namespace

MachineFiles WriteRedLine(Victim& v, bool meta, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.hwid32;
  m.os = fmt::format("{} x64", v.os->name);
  const Civil local = LocalInfected(v);
  const int offset = v.country->offset_hours;
  // A reseller's copy: no banner, Build ID or FileLocation, the folder
  // renamed without its date (so the time must come from `Log date:` and
  // `TimeZone:`), a ru-RU panel, and rules of its own between passwords.
  const bool reseller = v.variant == "redline-reseller";
  if (reseller) {
    m.build_id.clear();
    v.date_culture = 2;
    m.folder = fmt::format("{}_{}", m.country, m.machine_id);
  } else {
    m.folder = fmt::format("{}[{}] [{:04}-{:02}-{:02}T{:02}_{:02}_{:02}.{:07}{}{:02}_00]", m.country,
                           m.machine_id, local.year, local.month, local.day, local.hour,
                           local.minute, local.second, v.fraction7, offset < 0 ? '-' : '+',
                           offset < 0 ? -offset : offset);
  }
  const std::string banner =
      reseller ? std::string("Re-Uploads /// synthetic test data, not a log\n") : Banner(meta);
  const std::string_view separator = !reseller          ? "===============\n"  // 15 '='
                                     : v.fraction7 % 2 ? "-------------\n"
                                                        : "*****\n";
  constexpr std::string_view kSeparator = "===============\n";

  std::string info = banner + "\n";
  if (reseller) {
    Append(info, "IP: {}\nUserName: {}\nMachineName: {}\n", m.ip, m.user_name, m.computer_name);
  } else {
    Append(info, "Build ID: {}\nIP: {}\nFileLocation: {}\nUserName: {}\nMachineName: {}\n",
           m.build_id, m.ip, v.exe_path, m.user_name, m.computer_name);
  }
  Append(info, "Country: {}\nZip Code: UNKNOWN\nLocation: {}, {}\nHWID: {}\n", m.country,
         v.country->city, v.country->region, m.machine_id);
  Append(info, "Current Language: {}\nScreenSize: {{Width={}, Height={}}}\nTimeZone: {}\n",
         v.country->language, v.screen.first, v.screen.second, v.country->windows_zone);
  Append(info, "Operation System: {}\n", m.os);
  if (!meta) info += "UAC: AllowAll\nProcess Elevation: False\n";
  Append(info, "Log date: {}\n\n", RedLineLogDate(v));
  Append(info, "Available KeyboardLayouts: \n{}\n\n", fmt::join(Keyboards(*v.country), "\n"));
  Append(info, "Hardwares: \nName: {}, {} Cores\nName: {}, {} bytes\n", v.cpu->name, v.cpu->cores,
         v.gpu, int64_t{4293918720});
  Append(info, "Name: Total of RAM, {}.00 MB or {} bytes\n\n", v.ram_mb,
         int64_t{v.ram_mb} * 1024 * 1024);
  info += "Anti-Viruses: \nWindows Defender\n";
  out.Text("UserInformation.txt", info);

  if (!m.credentials.empty()) {
    // Banner, a blank line, then per profile a blank line and its blocks,
    // each block closed by the separator (the last one too).
    std::string passwords = banner + "\n";
    for (size_t idx = 0; idx < m.credentials.size(); ++idx) {
      if (idx == 0 || v.profile_of[idx] != v.profile_of[idx - 1]) passwords += "\n";
      const SynthCredential& c = m.credentials[idx];
      Append(passwords, "URL: {}\nUsername: {}\nPassword: {}\nApplication: {}\n", c.url, c.username,
             c.password, RedLineApplication(v.profiles[v.profile_of[idx]]));
      passwords += separator;
    }
    out.Text("Passwords.txt", passwords);
  }

  std::set<std::string> important;  // ImportantAutofills.txt lists each value once
  for (const BrowserProfile& profile : v.profiles) {
    // Cookies moved to a "Network" folder in Chromium 96; RedLine keeps
    // that in the file name.
    const std::string stem = RedLineApplication(profile);
    if (!profile.cookies.empty())
      out.Text(fmt::format("Cookies/{}{}.txt", stem, profile.browser->gecko ? "" : " Network"),
               CookieFile(profile));
    if (!profile.autofills.empty()) {
      std::string autofills = banner + "\n";
      for (size_t idx = 0; idx < profile.autofills.size(); ++idx) {
        if (idx > 0) autofills += kSeparator;  // between blocks only
        Append(autofills, "Name: {}\nValue: {}\n", profile.autofills[idx].first,
               profile.autofills[idx].second);
        if (profile.autofills[idx].first == "email" || profile.autofills[idx].first == "first_name")
          important.insert(
              fmt::format("{}: {}\n", profile.autofills[idx].first, profile.autofills[idx].second));
      }
      out.Text(fmt::format("Autofills/{}.txt", stem), autofills);
    }
  }
  if (!important.empty()) {
    std::string text = banner + "\n";
    for (const std::string& line : important) text += line;
    out.Text("ImportantAutofills.txt", text);
  }

  // DomainDetects.txt has no banner; counts are hits among passwords (PDD)
  // and cookies (CDD) for the panel's watch list.
  std::map<std::string, std::pair<std::string, int>> pdd, cdd;
  for (const auto& [label, domain] : kDetects) {
    for (const SynthCredential& c : m.credentials) {
      if (c.domain != domain) continue;
      auto& hit = pdd[domain];
      hit.first = label;
      ++hit.second;
    }
    for (const BrowserProfile& profile : v.profiles) {
      for (const Cookie& cookie : profile.cookies) {
        if (cookie.host.find(domain) == std::string::npos) continue;
        auto& hit = cdd[domain];
        hit.first = label;
        ++hit.second;
      }
    }
  }
  auto detects = [](std::string_view key, const auto& hits) {
    if (hits.empty()) return fmt::format("{}: NOT FOUND\n", key);
    std::string line = fmt::format("{}: \n", key);
    bool first = true;
    for (const auto& [domain, hit] : hits) {
      Append(line, "{}[{}] {} ({})", first ? "" : ", ", hit.first, domain, hit.second);
      first = false;
    }
    return line + "\n";
  };
  out.Text("DomainDetects.txt", detects("PDD", pdd) + detects("CDD", cdd));

  std::string software = banner + "\n";
  for (size_t idx = 0; idx < v.software.size(); ++idx)
    Append(software, "{}) {} [{}]\n", idx + 1, kSoftware[v.software[idx]].first,
           kSoftware[v.software[idx]].second);
  out.Text("InstalledSoftware.txt", software);
  std::string browsers = banner + "\n";
  std::vector<const Browser*> installed;
  for (const BrowserProfile& profile : v.profiles)
    if (std::find(installed.begin(), installed.end(), profile.browser) == installed.end())
      installed.push_back(profile.browser);
  for (size_t idx = 0; idx < installed.size(); ++idx)
    Append(browsers, "{}) Name: {}, Path: {}, Version: {}\n", idx + 1, installed[idx]->name,
           installed[idx]->exe, installed[idx]->version);
  out.Text("InstalledBrowsers.txt", browsers);
  // ProcessList.txt uses the same 15 '=' separator as Passwords.txt: a
  // parser that counts separators instead of reading labels overcounts.
  std::string processes = banner + "\n";
  for (size_t idx = 0; idx < std::size(kProcesses); ++idx)
    Append(processes, "ID: {}, Name: {}, CommandLine: \n{}", 400 + 4 * idx, kProcesses[idx],
           kSeparator);
  out.Text("ProcessList.txt", processes);
  out.Binary("Screenshot.jpg", FakeJpeg());
  return out.Take();
}

}  // namespace accord::stealer::synth_internal
