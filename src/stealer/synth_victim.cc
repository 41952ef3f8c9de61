// MakeVictim: one family-neutral synthetic machine; see synth_internal.h.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stealer/synth_internal.h"

namespace accord::stealer::synth_internal {

Victim MakeVictim(uint64_t machine_seed, Encoding encoding, int credentials_per_machine) {
  Rng rng(machine_seed);
  Victim v;
  v.truth.encoding = std::string(EncodingName(encoding));
  v.country = &rng.Pick(kCountries);
  v.truth.country = v.country->code;
  v.truth.ip = rng.Chance(0.25)
                   ? fmt::format("10.{}.{}.{}", rng.Below(256), rng.Below(256), rng.Range(1, 254))
                   : fmt::format("{}.{}", rng.Pick({"192.0.2", "198.51.100", "203.0.113"}),
                                 rng.Range(1, 254));
  v.infected = kEpoch2024 + static_cast<int64_t>(rng.Below(366 * 86400));
  v.installed = v.infected - rng.Range(30, 1500) * int64_t{86400} - rng.Range(0, 86399);
  v.fraction7 = static_cast<uint32_t>(rng.Below(10000000));
  v.date_culture = static_cast<int>(rng.Below(3));
  v.os = &rng.Pick(kOses);
  v.cpu = &rng.Pick(kCpus);
  v.gpu = rng.Pick(kGpus);
  v.screen = rng.Pick(kScreens);
  v.ram_mb = rng.Pick({8, 16, 32}) * 1024 - rng.Range(100, 400);
  v.hwid32 = Hex(rng, 32, true);
  v.machine_guid = Guid(rng);
  v.vidar_hwid = Hex(rng, 16, true) + "-" + v.machine_guid;
  v.stealc_hwid = Alnum(rng, 20, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789");
  v.extra_guid = Guid(rng);
  v.sig_hex = Hex(rng, 16, false);
  v.config_hash = Hex(rng, 32, false);
  v.truth.build_id = rng.Pick(kBuildTags);

  // The person: a Windows-1252 machine always has an "é" in its user name.
  const bool acute = encoding == Encoding::kCp1252 || rng.Chance(0.1);
  const Name& first = acute ? rng.Pick(kAcuteNames) : rng.Pick(kFirstNames);
  const Name& last = rng.Pick(kLastNames);
  switch (acute ? rng.Below(2) : rng.Below(5)) {
    case 0:
      v.truth.user_name = first.display;
      break;
    case 1:
      v.truth.user_name = first.lower;
      break;
    case 2:
      v.truth.user_name = fmt::format("{}{}", first.display, last.display);
      break;
    case 3:
      v.truth.user_name = "User";
      break;
    default:
      v.truth.user_name = "Admin";
      break;
  }
  v.truth.computer_name = rng.Chance(0.7)
                              ? "DESKTOP-" + Alnum(rng, 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                              : "LAPTOP-" + Alnum(rng, 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  v.exe_path = fmt::format(R"(C:\Users\{}\AppData\Local\Temp\{})", v.truth.user_name,
                           rng.Pick({"setup.exe", "Installer_x64.exe", "crack_patch.exe",
                                     "FreeGame_Launcher.exe", "invoice_0423.scr"}));
  for (size_t idx = 0; idx < std::size(kSoftware); ++idx)
    if (rng.Chance(0.5)) v.software.push_back(idx);

  // Browser profiles: one to three. A browser's first profile is "Default"
  // (Chromium) or "<random>.default-release" (Firefox), the next ones
  // "Profile N" or "<random>.default".
  const int profile_count = rng.Range(1, 3);
  for (int p = 0; p < profile_count; ++p) {
    int total = 0;
    for (const Browser& b : kBrowsers) total += b.weight;
    int x = static_cast<int>(rng.Below(total));
    const Browser* browser = &kBrowsers[0];
    for (const Browser& b : kBrowsers) {
      if (x < b.weight) {
        browser = &b;
        break;
      }
      x -= b.weight;
    }
    int earlier = 0;
    for (const BrowserProfile& existing : v.profiles) earlier += existing.browser == browser;
    std::string profile = browser->gecko
                              ? Alnum(rng, 8, "abcdefghijklmnopqrstuvwxyz0123456789") +
                                    (earlier == 0 ? ".default-release" : ".default")
                              : (earlier == 0 ? "Default" : fmt::format("Profile {}", earlier));
    v.profiles.push_back({browser, std::move(profile), {}, {}});
  }

  // Identities the person uses on sites.
  const bool fold = rng.Chance(0.7);  // most people keep accents out of e-mail addresses
  const std::string first_mail = fold ? first.ascii : first.lower;
  const std::string last_mail = fold ? last.ascii : last.lower;
  const std::vector<std::string> identities = {
      fmt::format("{}.{}@fakemail.test", first_mail, last_mail),
      fmt::format("{}{}{}@postbox.test", first_mail, last.ascii[0], rng.Range(10, 99)),
      fmt::format("{}_{}", first.lower, rng.Range(1, 999)),  // a handle, accents kept
      fmt::format("{}.{}@mailhub.test", first.ascii, last.ascii),
  };
  const std::string corporate = fmt::format("{}.{}@corp-example.test", first.ascii, last.ascii);
  std::vector<std::string> own_passwords;
  for (int k = rng.Range(1, 3); k > 0; --k)
    own_passwords.push_back(PersonalPassword(rng, first, last));

  const int credential_count =
      static_cast<int>(rng.Below(2 * static_cast<uint64_t>(credentials_per_machine) + 1));
  std::vector<std::pair<size_t, SynthCredential>> drawn;  // profile, credential
  std::set<std::pair<std::string, std::string>> seen;     // (url, username) once per machine
  for (int c = 0; c < credential_count; ++c) {
    SynthCredential cred;
    const Service& service = kServices[PickService(rng)];
    cred.url = service.url;
    cred.domain = service.domain;
    const double who = rng.Unit();
    if (cred.domain == "corp-example.test") {
      cred.username = corporate;
    } else if (who < 0.02) {
      cred.username = "";
    } else if (cred.domain == "fakemail.test" || cred.domain == "postbox.test" ||
               cred.domain == "mailhub.test") {
      cred.username = identities[cred.domain == "fakemail.test"  ? 0
                                 : cred.domain == "postbox.test" ? 1
                                                                 : 3];
    } else {
      cred.username = identities[rng.Below(identities.size())];
    }
    if (!seen.insert({cred.url, cred.username}).second) {
      // A second account at the same site: a numbered handle keeps the
      // (url, username) pair unique, so file counts and truth agree.
      cred.username = fmt::format("{}{}", first.lower, c);
      if (!seen.insert({cred.url, cred.username}).second) continue;
    }
    const double how = rng.Unit();
    if (how < 0.02) {
      cred.password = "";
    } else if (how < 0.27) {
      cred.password = rng.Pick(kCommonPasswords);
    } else if (how < 0.67) {
      cred.password = own_passwords[rng.Below(own_passwords.size())];
    } else {
      cred.password = FreshPassword(rng);
    }
    const size_t profile_idx = rng.Below(v.profiles.size());
    cred.browser = v.profiles[profile_idx].browser->name;
    cred.profile = v.profiles[profile_idx].profile;
    drawn.emplace_back(profile_idx, std::move(cred));
  }
  // File order: the stealers write profile by profile.
  std::stable_sort(drawn.begin(), drawn.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [profile_idx, cred] : drawn) {
    v.profile_of.push_back(profile_idx);
    v.truth.credentials.push_back(std::move(cred));
  }

  for (BrowserProfile& profile : v.profiles) {
    for (int n = rng.Range(0, 80); n > 0; --n) {
      const Service& service = kServices[PickService(rng)];
      std::string host = service.domain[0] != '\0' ? std::string(".") + service.domain : "10.0.0.1";
      profile.cookies.push_back(
          {std::move(host), rng.Chance(0.5), rng.Chance(0.8),
           v.infected + rng.Range(1, 400) * int64_t{86400}, rng.Pick(kCookieNames),
           Alnum(rng, rng.Range(16, 40),
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")});
    }
    for (int n = rng.Range(0, 16); n > 0; --n) {
      switch (rng.Below(6)) {
        case 0:
          profile.autofills.emplace_back("email", identities[0]);
          break;
        case 1:
          profile.autofills.emplace_back("name", fmt::format("{} {}", first.display, last.display));
          break;
        case 2:
          profile.autofills.emplace_back("first_name", first.display);
          break;
        case 3:
          profile.autofills.emplace_back("city", v.country->city);
          break;
        case 4:
          profile.autofills.emplace_back("phone", fmt::format("555-01{:02}", rng.Range(0, 99)));
          break;
        default:
          profile.autofills.emplace_back("q", rng.Pick(kSearches));
          break;
      }
    }
    v.truth.cookies += static_cast<int64_t>(profile.cookies.size());
    v.truth.autofills += static_cast<int64_t>(profile.autofills.size());
  }

  const Civil utc = ToCivil(v.infected);
  v.truth.infected_at = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.year, utc.month,
                                    utc.day, utc.hour, utc.minute, utc.second);
  return v;
}

}  // namespace accord::stealer::synth_internal
