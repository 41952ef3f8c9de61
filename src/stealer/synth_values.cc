// The synthetic generator's value tables, calendar and random value helpers;
// see synth_internal.h.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "stealer/synth_internal.h"

namespace accord::stealer::synth_internal {
namespace {

// ---------------------------------------------------------------------------
// Fictional values.

// Whole-hour offsets only: Vidar and StealC write the offset as an integer
// number of hours, and a half-hour zone would make their truth inexact.
constexpr Country kCountriesTable[] = {
    {"US", -5, "(UTC-05:00) Eastern Time (US & Canada)", "Eastern Standard Time", "en-US",
     "English (United States)", "Springfield", "Ohio"},
    {"CA", -5, "(UTC-05:00) Eastern Time (US & Canada)", "Eastern Standard Time", "en-CA",
     "English (Canada)", "Kingston", "Ontario"},
    {"BR", -3, "(UTC-03:00) Brasilia", "Brasilia Standard Time", "pt-BR", "Portuguese (Brazil)",
     "Campinas", "Sao Paulo"},
    {"GB", 0, "(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Greenwich Mean Time", "en-GB",
     "English (United Kingdom)", "Reading", "England"},
    {"FR", 1, "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Central European Standard Time",
     "fr-FR", "French (France)", "Lyon", "Auvergne-Rhone-Alpes"},
    {"DE", 1, "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
     "Central European Standard Time", "de-DE", "German (Germany)", "Kassel", "Hesse"},
    {"NL", 1, "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
     "Central European Standard Time", "nl-NL", "Dutch (Netherlands)", "Utrecht", "Utrecht"},
    {"ES", 1, "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Central European Standard Time",
     "es-ES", "Spanish (Spain)", "Zaragoza", "Aragon"},
    {"IT", 1, "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
     "Central European Standard Time", "it-IT", "Italian (Italy)", "Bologna", "Emilia-Romagna"},
    {"PL", 1, "(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb", "Central European Standard Time",
     "pl-PL", "Polish (Poland)", "Lodz", "Lodz Voivodeship"},
    {"TR", 3, "(UTC+03:00) Istanbul", "GMT+03:00", "tr-TR", "Turkish (Turkey)", "Izmir", "Izmir"},
    {"JP", 9, "(UTC+09:00) Osaka, Sapporo, Tokyo", "Japan Standard Time", "ja-JP",
     "Japanese (Japan)", "Sendai", "Miyagi"},
};

constexpr Browser kBrowsersTable[] = {
    {"Google Chrome", "Google_[Chrome]", "Chrome", "124.0.6367.91", false, 50,
     R"(C:\Program Files\Google\Chrome\Application\chrome.exe)"},
    {"Microsoft Edge", "Microsoft_[Edge]", "Edge", "124.0.2478.67", false, 20,
     R"(C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe)"},
    {"Mozilla Firefox", "Mozilla_[Firefox]", "Mozilla Firefox", "125.0.3", true, 15,
     R"(C:\Program Files\Mozilla Firefox\firefox.exe)"},
    {"Brave", "BraveSoftware_[Brave-Browser]", "Brave", "124.1.65.123", false, 8,
     R"(C:\Program Files\BraveSoftware\Brave-Browser\Application\brave.exe)"},
    {"Opera GX", "Opera Software_[Opera GX Stable]", "Opera GX Stable", "109.0.5097.80", false, 7,
     R"(C:\Program Files\Opera GX\opera.exe)"},
};

// In popularity order: the draw weight of rank r is 1/r (Zipf, s = 1), so a
// "top services" report has a clear head and a long tail. Several services
// share a registrable domain, as real sites do (login. and m.).
constexpr Service kServicesTable[] = {
    {"https://mail.fakemail.test/", "fakemail.test"},
    {"https://accounts.searchly.test/signin", "searchly.test"},
    {"https://www.friendbook.test/login", "friendbook.test"},
    {"https://www.shop-one.test/account/login", "shop-one.test"},
    {"https://www.streamflix.test/login", "streamflix.test"},
    {"https://login.acme-bank.test/", "acme-bank.test"},
    {"https://www.chirper.test/i/flow/login", "chirper.test"},
    {"https://www.vidtube.test/", "vidtube.test"},
    {"https://mail.postbox.test/", "postbox.test"},
    {"https://www.gamehub.test/login", "gamehub.test"},
    {"https://auth.codeforge.test/login", "codeforge.test"},
    {"https://www.photogram.test/accounts/login/", "photogram.test"},
    {"https://chat.talkspace.test/login", "talkspace.test"},
    {"https://secure.paywallet.test/signin", "paywallet.test"},
    {"https://m.friendbook.test/login.php", "friendbook.test"},
    {"https://login.cloudoffice.test/", "cloudoffice.test"},
    {"https://www.marketbay.test/signin", "marketbay.test"},
    {"https://vpn.corp-example.test:8443/remote/login", "corp-example.test"},
    {"https://online.first-national.test/logon", "first-national.test"},
    {"https://www.jobnet.test/login", "jobnet.test"},
    {"http://10.0.0.1/", ""},  // the home router's admin page
    {"https://www.cryptoex.test/login", "cryptoex.test"},
    {"https://my.telco-one.test/login", "telco-one.test"},
    {"https://www.travelbook.test/signin", "travelbook.test"},
    {"https://webmail.mailhub.test/", "mailhub.test"},
    {"https://intranet.corp-example.test/login", "corp-example.test"},
    {"https://shop.techstore.test/login", "techstore.test"},
    {"https://www.musicbox.test/login", "musicbox.test"},
    {"https://id.cloudstore.test/signin", "cloudstore.test"},
    {"https://www.forum-one.test/login.php", "forum-one.test"},
    {"https://portal.citizen-services.test/login", "citizen-services.test"},
    {"https://www.foodorder.test/login", "foodorder.test"},
    {"https://online.acme-bank.test/business/", "acme-bank.test"},
    {"https://www.rideshare.test/login", "rideshare.test"},
    {"https://account.antivirus-pro.test/", "antivirus-pro.test"},
    {"https://login.university.test/cas/login", "university.test"},
    {"https://www.insurance-co.test/login", "insurance-co.test"},
    {"https://app.taskboard.test/login", "taskboard.test"},
    {"https://secure.creditcard.test/login", "creditcard.test"},
    {"https://www.pharmacy-one.test/signin", "pharmacy-one.test"},
    {"http://admin.smallshop.test/wp-login.php", "smallshop.test"},
    {"https://www.recipes.test/login", "recipes.test"},
};
constexpr size_t kServiceCount = std::size(kServicesTable);

// Labels for RedLine's DomainDetects.txt (the panel's watch list).
constexpr std::pair<const char*, const char*> kDetectsTable[] = {
    {"Banks", "acme-bank.test"},    {"Banks", "first-national.test"},
    {"Payments", "paywallet.test"}, {"Crypto", "cryptoex.test"},
    {"Mail", "fakemail.test"},      {"Corporate", "corp-example.test"},
};

constexpr Name kFirstNamesTable[] = {
    {"Alice", "alice", "alice"},
    {"Bob", "bob", "bob"},
    {"Carol", "carol", "carol"},
    {"Dave", "dave", "dave"},
    {"Erin", "erin", "erin"},
    {"Frank", "frank", "frank"},
    {"Grace", "grace", "grace"},
    {"Heidi", "heidi", "heidi"},
    {"Ivan", "ivan", "ivan"},
    {"Judy", "judy", "judy"},
    {"Mike", "mike", "mike"},
    {"Nina", "nina", "nina"},
    {"Oscar", "oscar", "oscar"},
    {"Peggy", "peggy", "peggy"},
    {"Rupert", "rupert", "rupert"},
    {"Trent", "trent", "trent"},
    {"Victor", "victor", "victor"},
    {"Wendy", "wendy", "wendy"},
    {"Zoë", "zoë", "zoe"},
    {"Jürgen", "jürgen", "jurgen"},
    {"François", "françois", "francois"},
    {"Søren", "søren", "soren"},
    {"Inès", "inès", "ines"},
    {"Begoña", "begoña", "begona"},
};
// Names with "é": a Windows-1252 machine always gets one, so tests can look
// for the byte 0xE9.
constexpr Name kAcuteNamesTable[] = {
    {"José", "josé", "jose"},
    {"Renée", "renée", "renee"},
    {"André", "andré", "andre"},
    {"Hélène", "hélène", "helene"},
    {"Frédéric", "frédéric", "frederic"},
    {"Noé", "noé", "noe"},
};
constexpr Name kLastNamesTable[] = {
    {"Smith", "smith", "smith"},          {"García", "garcía", "garcia"},
    {"Müller", "müller", "muller"},       {"Dubois", "dubois", "dubois"},
    {"Rossi", "rossi", "rossi"},          {"Nowak", "nowak", "nowak"},
    {"Yilmaz", "yilmaz", "yilmaz"},       {"Tanaka", "tanaka", "tanaka"},
    {"Silva", "silva", "silva"},          {"Jansen", "jansen", "jansen"},
    {"Martin", "martin", "martin"},       {"Schmidt", "schmidt", "schmidt"},
    {"López", "lópez", "lopez"},          {"Brown", "brown", "brown"},
    {"Kowalski", "kowalski", "kowalski"}, {"Jørgensen", "jørgensen", "jorgensen"},
};

// Passwords many victims share, so password-reuse statistics have a head.
constexpr const char* kCommonPasswordsTable[] = {
    "123456",    "password", "Summer2024!", "Qwerty123", "iloveyou",   "Welcome1!",
    "Passw0rd!", "admin123", "letmein",     "Football1", "Monkey123!", "abc123",
};
constexpr const char* kWordsTable[] = {"Sunshine", "Dragon", "Shadow", "Tiger",
                                       "Falcon",   "Maple",  "Ocean",  "Rocket",
                                       "Coffee",   "Pepper", "Garden", "Winter"};

constexpr Os kOsesTable[] = {{"Windows 10 Pro", "10.0.19045"},
                             {"Windows 10 Home", "10.0.19045"},
                             {"Windows 11 Pro", "10.0.22631"},
                             {"Windows 11 Home", "10.0.22631"},
                             {"Windows 10 Enterprise", "10.0.19044"}};
constexpr Cpu kCpusTable[] = {{"Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz", "GenuineIntel", 6},
                              {"Intel(R) Core(TM) i7-10750H CPU @ 2.60GHz", "GenuineIntel", 6},
                              {"AMD Ryzen 5 3600 6-Core Processor", "AuthenticAMD", 6},
                              {"Intel(R) Core(TM) i3-10110U CPU @ 2.10GHz", "GenuineIntel", 2},
                              {"AMD Ryzen 7 5800X 8-Core Processor", "AuthenticAMD", 8}};
constexpr const char* kGpusTable[] = {"NVIDIA GeForce GTX 1650", "Intel(R) UHD Graphics 630",
                                      "AMD Radeon RX 580 Series", "NVIDIA GeForce RTX 3060"};
constexpr std::pair<int, int> kScreensTable[] = {
    {1920, 1080}, {1366, 768}, {1536, 864}, {2560, 1440}};
constexpr std::pair<const char*, const char*> kSoftwareTable[] = {
    {"7-Zip 23.01 (x64)", "23.01"},
    {"VLC media player", "3.0.20"},
    {"Notepad++ (64-bit x64)", "8.6.4"},
    {"Steam", "2.10.91.91"},
    {"Space Quest: Reloaded", "1.0.2"},
    {"Microsoft Visual C++ 2015-2022 Redistributable", "14.38"},
    {"Zoom", "5.17.11"},
    {"Spotify", "1.2.31"},
};
constexpr const char* kProcessesTable[] = {
    "System",     "svchost.exe",       "explorer.exe",   "lsass.exe",    "chrome.exe",
    "msedge.exe", "RuntimeBroker.exe", "SearchHost.exe", "OneDrive.exe", "Discord.exe"};
constexpr const char* kCookieNamesTable[] = {"sessionid", "_ga",        "_gid", "SID",
                                             "csrftoken", "auth_token", "PREF", "lang",
                                             "__cf_bm",   "remember_me"};
constexpr const char* kSearchesTable[] = {"weather",   "news today", "cheap flights",   "recipes",
                                          "translate", "bank login", "football scores", "maps"};
constexpr const char* kBuildTagsTable[] = {"TestBuild", "@synthetic_seller", "spring-campaign",
                                           "cloud-42",  "Fresh_Logs",        "build-7"};

constexpr const char* kMonthsTable[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kWeekdaysTable[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

}  // namespace

constinit const std::span<const Country> kCountries = kCountriesTable;
constinit const std::span<const Browser> kBrowsers = kBrowsersTable;
constinit const std::span<const Service> kServices = kServicesTable;
constinit const std::span<const std::pair<const char*, const char*>> kDetects = kDetectsTable;
constinit const std::span<const Name> kFirstNames = kFirstNamesTable;
constinit const std::span<const Name> kAcuteNames = kAcuteNamesTable;
constinit const std::span<const Name> kLastNames = kLastNamesTable;
constinit const std::span<const char* const> kCommonPasswords = kCommonPasswordsTable;
constinit const std::span<const char* const> kWords = kWordsTable;
constinit const std::span<const Os> kOses = kOsesTable;
constinit const std::span<const Cpu> kCpus = kCpusTable;
constinit const std::span<const char* const> kGpus = kGpusTable;
constinit const std::span<const std::pair<int, int>> kScreens = kScreensTable;
constinit const std::span<const std::pair<const char*, const char*>> kSoftware = kSoftwareTable;
constinit const std::span<const char* const> kProcesses = kProcessesTable;
constinit const std::span<const char* const> kCookieNames = kCookieNamesTable;
constinit const std::span<const char* const> kSearches = kSearchesTable;
constinit const std::span<const char* const> kBuildTags = kBuildTagsTable;
constinit const std::span<const char* const> kMonths = kMonthsTable;
constinit const std::span<const char* const> kWeekdays = kWeekdaysTable;

// ---------------------------------------------------------------------------
// Time: civil dates without <chrono>'s time-zone database (not in GCC 12),
// after Howard Hinnant's algorithms.

Civil ToCivil(int64_t unix_seconds) {
  int64_t days = unix_seconds / 86400;
  int64_t rem = unix_seconds % 86400;
  if (rem < 0) rem += 86400, --days;
  Civil c{};
  c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = static_cast<int>(yoe + era * 400 + (c.month <= 2 ? 1 : 0));
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  return c;
}

// ---------------------------------------------------------------------------
// Random values.

std::string Hex(Rng& rng, int n, bool upper) {
  static constexpr char kUpper[] = "0123456789ABCDEF";
  static constexpr char kLower[] = "0123456789abcdef";
  std::string out(n, '0');
  for (char& c : out) c = (upper ? kUpper : kLower)[rng.Below(16)];
  return out;
}

std::string Alnum(Rng& rng, int n, std::string_view alphabet) {
  std::string out(n, '0');
  for (char& c : out) c = alphabet[rng.Below(alphabet.size())];
  return out;
}

std::string Guid(Rng& rng) {
  return fmt::format("{}-{}-{}-{}-{}", Hex(rng, 8, false), Hex(rng, 4, false), Hex(rng, 4, false),
                     Hex(rng, 4, false), Hex(rng, 12, false));
}

size_t PickService(Rng& rng) {
  // Cumulative 1/r weights in integers, so every platform draws the same.
  static const std::array<uint64_t, kServiceCount> kCumulative = [] {
    std::array<uint64_t, kServiceCount> sums{};
    uint64_t total = 0;
    for (size_t rank = 0; rank < kServiceCount; ++rank) sums[rank] = total += 720720 / (rank + 1);
    return sums;
  }();
  const uint64_t x = rng.Below(kCumulative.back());
  return std::upper_bound(kCumulative.begin(), kCumulative.end(), x) - kCumulative.begin();
}

namespace {

std::string Capitalize(std::string_view lower) {
  std::string out(lower);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

}  // namespace

std::string PersonalPassword(Rng& rng, const Name& first, const Name& last) {
  switch (rng.Below(4)) {
    case 0:
      return fmt::format("{}{}!", first.display, rng.Range(1960, 2008));
    case 1:
      return fmt::format("{}{}", Capitalize(last.ascii), rng.Range(2018, 2024));
    case 2:
      return fmt::format("{}.{}", rng.Pick(kWords), rng.Range(10, 99));
    default:
      return fmt::format("{}_{}{}", first.ascii, last.ascii[0], rng.Range(100, 999));
  }
}

std::string FreshPassword(Rng& rng) {
  switch (rng.Below(10)) {
    // Colons and spaces: a parser must split "Password: " on the first ": ".
    case 0:
      return fmt::format("pass: word {}", rng.Range(10, 99));
    case 1:
      return fmt::format("my secret:key{}", rng.Range(1, 9));
    case 2:
      return "correct horse battery staple";
    // Non-ASCII, all representable in Windows-1252.
    case 3:
      return fmt::format("Passwört{}", rng.Range(1, 99));
    case 4:
      return fmt::format("€uro{}", rng.Range(2019, 2024));
    case 5:
      return fmt::format("contraseña{}", rng.Range(1, 99));
    default:
      return fmt::format("{}{}{}", rng.Pick(kWords), rng.Range(1, 9999),
                         std::string(1, "!@#$%&*?"[rng.Below(8)]));
  }
}

// Builds everything a machine needs from its own stream; the family only

}  // namespace accord::stealer::synth_internal
