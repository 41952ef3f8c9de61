// Vidar, Lumma, Raccoon v2 and StealC writers of the synthetic generator;
// see synth_internal.h.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "stealer/synth_internal.h"

namespace accord::stealer::synth_internal {

// ---------------------------------------------------------------------------
// Vidar.

namespace {

std::string VidarDate(const Civil& t, bool dotted) {
  if (dotted)  // resellers' builds: "18.05.2026 18:09:16"
    return fmt::format("{:02}.{:02}.{} {:02}:{:02}:{:02}", t.day, t.month, t.year, t.hour, t.minute,
                       t.second);
  return fmt::format("{}/{}/{} {:02}:{:02}:{:02}", t.day, t.month, t.year, t.hour, t.minute,
                     t.second);
}

// Vidar's own builds write "Date:" with C's ctime: "Fri Nov 27 10:01:02 2026".
std::string VidarCtime(const Civil& t) {
  return fmt::format("{} {} {:2} {:02}:{:02}:{:02} {}", kWeekdays[static_cast<size_t>(t.weekday)],
                     kMonths[static_cast<size_t>(t.month - 1)], t.day, t.hour, t.minute, t.second, t.year);
}

}  // namespace

MachineFiles WriteVidar(Victim& v, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.vidar_hwid;
  m.os = v.os->name;
  m.build_id.clear();
  m.folder = fmt::format("{}_{}", m.country, m.machine_id);
  const Civil local = LocalInfected(v);
  // Vidar prints the hour offset as an unsigned 32-bit number.
  const uint32_t zone = static_cast<uint32_t>(v.country->offset_hours);
  // A reseller's copy: a seller rule on top, "IP:", dotted dates and
  // "*****" rules between password blocks.
  const bool reseller = v.variant == "vidar-reseller";

  std::string info;
  if (reseller) info += "==========https://seller.test===========\n\n";
  Append(info, "{}: {}\nCountry: {}\nVersion: 9.{}\n\n", reseller ? "IP" : "Ip", m.ip, m.country,
         v.fraction7 % 9 + 1);
  Append(info, "Date: {}\nMachineID: {}\nGUID: {{{}}}\nHWID: {}\n\n",
         reseller ? VidarDate(local, true) : VidarCtime(local),
         v.machine_guid, v.extra_guid, m.machine_id);
  Append(info, "Path: {}\nWork Dir: In memory\n\n", v.exe_path);
  Append(info, "Windows: {}\nInstall Date: {}\nAV: Windows Defender\n", m.os,
         VidarDate(LocalInstalled(v), reseller));
  Append(info, "Computer Name: {}\nUser Name: {}\nDisplay Resolution: {}x{}\n", m.computer_name,
         m.user_name, v.screen.first, v.screen.second);
  Append(info, "Keyboard Languages: {}\nLocal Time: {}\nTimeZone: {}\n\n",
         fmt::join(Keyboards(*v.country), " / "), VidarDate(local, reseller), zone);
  Append(info, "[Hardware]\nProcessor: {}\nCores: {}\nThreads: {}\nRAM: {} MB\nVideoCard: {}\n\n",
         v.cpu->name, v.cpu->cores, v.cpu->cores * 2, v.ram_mb, v.gpu);
  info += "[Processes]\n";
  for (const char* process : kProcesses) Append(info, "{}\n", process);
  info += "\n[Software]\n";
  // "Space Quest: Reloaded" looks like a key: parsers must not take every
  // "X:" line for a field.
  for (size_t idx : v.software)
    Append(info, "{} - {}\n", kSoftware[idx].first, kSoftware[idx].second);
  out.Text("information.txt", info);

  if (!m.credentials.empty()) {
    std::string passwords;
    for (size_t idx = 0; idx < m.credentials.size(); ++idx) {
      const SynthCredential& c = m.credentials[idx];
      Append(passwords, "Soft: {} ({})\nHost: {}\nLogin: {}\nPassword: {}\n{}", c.browser,
             c.profile, c.url, c.username, c.password, reseller ? "*****\n" : "\n");
    }
    out.Text("passwords.txt", passwords);
  }
  for (const BrowserProfile& profile : v.profiles) {
    const std::string stem = fmt::format("{}_{}", profile.browser->name, profile.profile);
    if (!profile.cookies.empty())
      out.Text(fmt::format("Cookies/{}.txt", stem), CookieFile(profile));
    if (!profile.autofills.empty()) {
      std::string autofills;  // "name value", as StealC (a Vidar descendant) writes
      for (const auto& [name, value] : profile.autofills) Append(autofills, "{} {}\n", name, value);
      out.Text(fmt::format("Autofill/{}.txt", stem), autofills);
    }
  }
  out.Binary("screenshot.jpg", FakeJpeg());
  return out.Take();
}

// ---------------------------------------------------------------------------
// Lumma.

namespace {

std::string LummaDate(const Civil& t) {
  return fmt::format("{:02}.{:02}.{} {:02}:{:02}:{:02}", t.day, t.month, t.year, t.hour, t.minute,
                     t.second);
}

std::string UtcOffset(int hours) {
  return fmt::format("UTC{}{}", hours < 0 ? '-' : '+', hours < 0 ? -hours : hours);
}

}  // namespace

MachineFiles WriteLumma(Victim& v, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.hwid32;
  m.os = fmt::format("{} ({}) x64", v.os->name, v.os->build);
  m.folder = fmt::format("[{}]{}_{}", m.country, m.ip, m.machine_id);
  const Civil local = LocalInfected(v);
  // The build date is the compiler's __DATE__: "Mmm dd yyyy", day padded
  // with a space.
  const Civil built = ToCivil(v.infected - (v.fraction7 % 60 + 3) * int64_t{86400});

  // Builds without the banner are known by their signed time; the 2023
  // builds had another header and no signed time.
  const bool no_banner = v.variant == "lumma-no-banner";
  const bool lumma2023 = v.variant == "lumma-2023";
  std::string system = "# Synthetic test log: no real data\n";
  if (lumma2023) {
    Append(system, "LummaC2, Build {} {:>2} {}\nLID(Lumma ID): {}\n\n- Configuration: {}\n",
           kMonths[built.month - 1], built.day, built.year, m.build_id, v.config_hash);
    Append(system, "- Path: {}\n\n", v.exe_path);
  } else if (no_banner) {
    Append(system, "- LID: {}\n- Configuration: {}\n- Path: {}\n\n", m.build_id, v.config_hash,
           v.exe_path);
  } else {
    Append(system, "- LummaC2 Build: {} {:>2} {}\n- LID: {}\n- Configuration: {}\n- Path: {}\n\n",
           kMonths[built.month - 1], built.day, built.year, m.build_id, v.config_hash, v.exe_path);
  }
  Append(system, "- OS Version: {}\n- Local Date: {}\n- Time Zone: {}\n- Install Date: {}\n", m.os,
         LummaDate(local), UtcOffset(v.country->offset_hours), LummaDate(LocalInstalled(v)));
  Append(system, "- Elevated: false\n- {}: {}\n- User: {}\n- Domain: \n- Hostname: {}\n",
         lumma2023 ? "PC" : "Computer", m.computer_name, m.user_name, m.computer_name);
  Append(system, "- NetBIOS: {}\n- Language: {}\n- Anti Virus:\n\t- Windows Defender\n",
         m.computer_name, v.country->language_tag);
  Append(system, "- HWID: {}\n- RAM Size: {}MB\n- CPU Vendor: {}\n- CPU Name: {}\n", m.machine_id,
         v.ram_mb, v.cpu->vendor, v.cpu->name);
  Append(system,
         "- CPU Threads: {}\n- CPU Cores: {}\n- GPU:\n\t- {}\n- Display resolution: {}x{}\n\n",
         v.cpu->cores * 2, v.cpu->cores, v.gpu, v.screen.first, v.screen.second);
  Append(system, "- IP Address: {}\n", m.ip);
  if (!lumma2023)
    Append(system, "- Time: {} (sig:{}.{})\n", LummaDate(local), v.infected, v.sig_hex);
  Append(system, "- Country: {}\n", m.country);
  out.Text("System.txt", system);

  std::string all;
  std::set<std::string> brute;
  for (size_t p = 0; p < v.profiles.size(); ++p) {
    const BrowserProfile& profile = v.profiles[p];
    const std::string dir = fmt::format("{}/{}", profile.browser->lumma, profile.profile);
    std::string passwords;
    for (size_t idx = 0; idx < m.credentials.size(); ++idx) {
      if (v.profile_of[idx] != p) continue;
      const SynthCredential& c = m.credentials[idx];
      Append(passwords, "SOFT: {} {} ({})\nURL: {}\nUSER: {}\nPASS: {}\n\n", profile.browser->lumma,
             profile.profile, profile.browser->version, c.url, c.username, c.password);
      if (!c.password.empty()) brute.insert(c.password);
    }
    if (!passwords.empty()) out.Text(dir + "/Passwords.txt", passwords);
    all += passwords;
    if (!profile.autofills.empty()) {
      std::string autofills;
      for (const auto& [name, value] : profile.autofills)
        Append(autofills, "FORM: {}\nVALUE: {}\n", name, value);
      out.Text(dir + "/Autofills.txt", autofills);
    }
    if (!profile.cookies.empty())
      out.Text(fmt::format("Cookies/Cookies_{}_{}.txt", profile.browser->lumma, profile.profile),
               CookieFile(profile));
  }
  if (!all.empty()) out.Text("All Passwords.txt", all);
  if (!brute.empty()) {
    std::string text;
    for (const std::string& password : brute) text += password + "\n";
    out.Text("Brute.txt", text);
  }
  std::string software, processes;
  for (size_t idx : v.software)
    Append(software, "{} [{}]\n", kSoftware[idx].first, kSoftware[idx].second);
  for (const char* process : kProcesses) Append(processes, "{}\n", process);
  out.Text("Software.txt", software);
  out.Text("Processes.txt", processes);
  out.Binary("Screen.png", FakePng());
  return out.Take();
}

// ---------------------------------------------------------------------------
// Raccoon v2 (the panel's export).

namespace {

// v1 (2019-2022): a banner, the launch time in UTC, "Bot_ID: guid_user", a
// computer name, but no build and no country.
std::string RaccoonV1System(const Victim& v) {
  const SynthMachine& m = v.truth;
  const Civil utc = ToCivil(v.infected);
  std::string system;
  Append(system, "Racc0_0n | 1.{}.0\n\n", v.fraction7 % 9 + 1);
  Append(system, "Launched at: {}.{:02}.{:02} - {:02}:{:02}:{:02} GMT\n\n", utc.year, utc.month,
         utc.day, utc.hour, utc.minute, utc.second);
  Append(system, "Bot_ID: {}_{}\n\nSystem Information:\n\n", m.machine_id, m.user_name);
  Append(system, "  - IP: {}\n\n  - ComputerName: {}\n\n  - Product name: {}\n\n", m.ip,
         m.computer_name, m.os);
  Append(system, "  - Locale: {}\n\n  - CPU: {}\n\n  - RAM: {} MB\n\nInstalled applications:\n",
         v.country->language, v.cpu->name, v.ram_mb);
  for (size_t idx : v.software)
    Append(system, "  {} {}\n", kSoftware[idx].first, kSoftware[idx].second);
  return system;
}

std::string RaccoonV2System(const Victim& v) {
  const SynthMachine& m = v.truth;
  const Civil local = LocalInfected(v);
  const int offset = v.country->offset_hours;
  std::string system;
  Append(system, "User ID: {}|{}\n", m.machine_id, m.user_name);
  Append(system, "Last seen: {} {} {:02} {} {:02}:{:02}:{:02} GMT{}{:02}00 ({})\n",
         kWeekdays[local.weekday], kMonths[local.month - 1], local.day, local.year, local.hour,
         local.minute, local.second, offset < 0 ? '-' : '+', offset < 0 ? -offset : offset,
         v.country->js_zone);
  Append(system, "Build: {}\nIP info: {} {}\nSystem Information:\n", m.build_id, m.country, m.ip);
  if (v.variant == "raccoon-v2-glued") {
    // Some panel versions leave an empty field without its line end.
    Append(system, "\t- Locale: {}\n\t- Time zone: \t- OS: {}\t- Architecture: x64\n",
           v.country->language, m.os);
  } else {
    Append(system, "\t- Locale: {}\n\t- Time zone: {}\n\t- OS: {}\n\t- Architecture: x64\n",
           v.country->language, v.country->windows_zone, m.os);
  }
  Append(system, "\t- CPU: {} ({} cores)\n\t- RAM: {} MB\n\t- Display size: {}x{}\n", v.cpu->name,
         v.cpu->cores, v.ram_mb, v.screen.first, v.screen.second);
  Append(system, "\t- Display Devices:\n\t\t0) {}\nInstalled applications:\n", v.gpu);
  for (size_t idx : v.software)
    Append(system, "\t{} {}\n", kSoftware[idx].first, kSoftware[idx].second);
  return system;
}

}  // namespace

MachineFiles WriteRaccoon(Victim& v, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.machine_guid;
  m.os = v.os->name;
  m.folder = fmt::format("{}_{}", m.country, m.machine_id);
  std::string system;
  if (v.variant == "raccoon-v1") {
    m.build_id.clear();
    out.set_crlf(true);  // the v1 .exe wrote the file, not the panel
    system = RaccoonV1System(v);
  } else {
    m.computer_name.clear();  // the v2 export names no computer
    // The panel shows a truncated build hash, and that is all a parser sees.
    m.build_id = fmt::format("{}...{}", v.config_hash.substr(0, 6), v.config_hash.substr(26));
    system = RaccoonV2System(v);
  }
  out.Text("System Info.txt", system);

  if (!m.credentials.empty()) {
    std::string passwords;
    for (const SynthCredential& c : m.credentials)
      Append(passwords, "URL: {}\nUSER: {}\nPASS: {}\n\n", c.url, c.username, c.password);
    out.Text("passwords.txt", passwords);
  }
  std::string autofills;
  for (const BrowserProfile& profile : v.profiles) {
    if (!profile.cookies.empty())
      out.Text(fmt::format("cookies/{}_{}.txt", profile.browser->name, profile.profile),
               CookieFile(profile));
    for (const auto& [name, value] : profile.autofills)
      Append(autofills, "Name: {}\nValue: {}\n\n", name, value);
  }
  if (!autofills.empty()) out.Text("autofills.txt", autofills);
  out.Binary("screenshot.jpeg", FakeJpeg());
  return out.Take();
}

// ---------------------------------------------------------------------------
// StealC.

namespace {

std::string StealCV1System(const Victim& v) {
  const SynthMachine& m = v.truth;
  const Civil local = LocalInfected(v);
  std::string system;
  Append(system, "Network Info:\n\t- IP: {}\n\t- Country: {}\n\n", m.ip, m.country);
  Append(system, "System Summary:\n\t- HWID: {}\n\t- OS: {}\n\t- Architecture: x64\n", m.machine_id,
         m.os);
  Append(system, "\t- UserName: {}\n\t- Computer Name: {}\n", m.user_name, m.computer_name);
  Append(system, "\t- Local Time: {}/{}/{} {}:{}:{}\n\t- UTC: {}\n", local.year, local.month,
         local.day, local.hour, local.minute, local.second, v.country->offset_hours);
  Append(system, "\t- Language: {}\n\t- Keyboards: \n", v.country->language_tag);
  for (const std::string& layout : Keyboards(*v.country)) Append(system, "\t\t- {}\n", layout);
  Append(system, "\t- Laptop: {}\n\t- Running Path: {}\n",
         m.computer_name[0] == 'L' ? "TRUE" : "FALSE", v.exe_path);
  Append(system, "\t- CPU: {}\n\t- Cores: {}\n\t- Threads: {}\n\t- RAM: {} MB\n", v.cpu->name,
         v.cpu->cores, v.cpu->cores * 2, v.ram_mb);
  Append(system, "\t- Display Resolution: {}x{}\n\t- GPU:\n\t\t-{}\n\n", v.screen.first,
         v.screen.second, v.gpu);
  system += "Installed Apps:\n\tAll Users:\n";
  for (size_t idx : v.software)
    Append(system, "\t\t{} - {}\n", kSoftware[idx].first, kSoftware[idx].second);
  system += "\nProcess List:\n";
  for (const char* process : kProcesses) Append(system, "\t- {}\n", process);
  return system;
}

// v2 (2025): one flat list in System.txt, the local time day first, and no
// IP or country (the folder name carries them). Resellers paste other
// families' banners on top; odd machines get RedLine's.
std::string StealCV2System(const Victim& v) {
  const SynthMachine& m = v.truth;
  const Civil local = LocalInfected(v);
  std::string system;
  if (v.fraction7 % 2) {
    system +=
        "***********************************************\n"
        "*  |_| \\_|_____|____/|_____|___|_| \\_|_____|  *\n"
        "***********************************************\n\n";
  }
  Append(system, "HWID: {}\nOS: {}\nArchitecture: x64\nUserName: {}\nComputer Name: {}\n",
         m.machine_id, m.os, m.user_name, m.computer_name);
  Append(system, "Local Time: {:02}/{:02}/{} {:02}:{:02}:{:02}\nUTC: {}\nLanguage: {}\n", local.day,
         local.month, local.year, local.hour, local.minute, local.second,
         v.country->offset_hours, v.country->language_tag);
  Append(system, "Laptop: {}\nRunning Path: {}\nCPU: {}\nCores: {}\nThreads: {}\nRAM: {} MB\n",
         m.computer_name[0] == 'L' ? "TRUE" : "FALSE", v.exe_path, v.cpu->name, v.cpu->cores,
         v.cpu->cores * 2, v.ram_mb);
  Append(system, "Display Resolution: {}x{}\nDevice String: {}\n", v.screen.first,
         v.screen.second, v.gpu);
  return system;
}

}  // namespace

MachineFiles WriteStealC(Victim& v, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.stealc_hwid;
  m.os = v.os->name;
  m.build_id.clear();
  m.folder = fmt::format("[{}]{}_{}", m.country, m.ip, m.machine_id);
  if (v.variant == "stealc-v2")
    out.Text("System.txt", StealCV2System(v));
  else
    out.Text("system_info.txt", StealCV1System(v));

  if (!m.credentials.empty()) {
    std::string passwords;
    for (const SynthCredential& c : m.credentials)
      Append(passwords, "browser: {}\nprofile: {}\nurl: {}\nlogin: {}\npassword: {}\n\n", c.browser,
             c.profile, c.url, c.username, c.password);
    out.Text("passwords.txt", passwords);
  }
  std::set<std::string> cookie_hosts;
  for (const BrowserProfile& profile : v.profiles) {
    const std::string stem = fmt::format("{}_{}", profile.browser->name, profile.profile);
    if (!profile.cookies.empty()) {
      out.Text(fmt::format("cookies/{}{}.txt", stem, profile.browser->gecko ? "" : " Network"),
               CookieFile(profile));
      for (const Cookie& cookie : profile.cookies) cookie_hosts.insert(cookie.host);
    }
    if (!profile.autofills.empty()) {
      std::string autofills;
      for (const auto& [name, value] : profile.autofills) Append(autofills, "{} {}\n", name, value);
      out.Text(fmt::format("autofill/{}.txt", stem), autofills);
    }
  }
  std::string cookie_list;
  for (const std::string& host : cookie_hosts) cookie_list += host + "\n";
  out.Text("cookie_list.txt", cookie_list);
  out.Text("copyright.txt", "Synthetic test log: no real data\n");
  out.Binary("screenshot.jpg", FakeJpeg());
  return out.Take();
}

}  // namespace accord::stealer::synth_internal
