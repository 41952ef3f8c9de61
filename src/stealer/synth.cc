#include "stealer/synth.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace accord::stealer {
namespace {

// ---------------------------------------------------------------------------
// Randomness. splitmix64: tiny, fast and fully specified, so the output is
// the same on every platform and standard library (std::mt19937 is too, but
// the std distributions are not).

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A well-mixed value for (seed, a, b): seeds the per-machine streams, so a
// machine can be rebuilt from its index alone (that is how duplicates repeat
// an earlier machine without keeping it in memory).
uint64_t Mix(uint64_t seed, uint64_t a, uint64_t b = 0) {
  uint64_t state = seed ^ (a * 0xD1B54A32D192ED03ULL) ^ (b * 0x8CB92BA72F3D8DD7ULL);
  SplitMix(state);
  return SplitMix(state);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return SplitMix(state_); }
  // Uniform in [0, n); n > 0. The modulo bias (< n / 2^64) is irrelevant here.
  uint64_t Below(uint64_t n) { return Next() % n; }
  int Range(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

// Position `index` of a Weyl sequence in [0, 1): evenly spread, so "share *
// machines" positions fall below `share` within one, where independent coin
// flips could leave a small test run with none. Each use takes its own
// irrational step (fractions of the golden ratio, sqrt 2): with a shared step
// two sequences differ by a constant, and duplicate positions could then
// swallow every position of one encoding.
constexpr uint64_t kGoldenStep = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kSqrt2Step = 0x6A09E667F3BCC909ULL;
double Weyl(uint64_t seed, uint64_t salt, uint64_t step, uint64_t index) {
  const uint64_t x = index * step + Mix(seed, salt, 0xFFFF);
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

// ---------------------------------------------------------------------------
// Fictional values.

struct Country {
  const char* code;
  int offset_hours;          // standard time; the generator ignores daylight saving
  const char* windows_zone;  // TimeZoneInfo.DisplayName, as RedLine writes it
  const char* js_zone;       // the name in JavaScript's Date.toString()
  const char* language_tag;
  const char* language;
  const char* city;
  const char* region;
};
// Whole-hour offsets only: Vidar and StealC write the offset as an integer
// number of hours, and a half-hour zone would make their truth inexact.
constexpr Country kCountries[] = {
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

struct Browser {
  const char* name;     // neutral, as SynthCredential::browser
  const char* redline;  // RedLine/META "{Company}_[{Product}]"
  const char* lumma;    // Lumma's folder name
  const char* version;
  bool gecko;
  int weight;
  const char* exe;
};
constexpr Browser kBrowsers[] = {
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

struct Service {
  const char* url;
  const char* domain;  // registrable domain; "" for an IP
};
// In popularity order: the draw weight of rank r is 1/r (Zipf, s = 1), so a
// "top services" report has a clear head and a long tail. Several services
// share a registrable domain, as real sites do (login. and m.).
constexpr Service kServices[] = {
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
constexpr size_t kServiceCount = std::size(kServices);

// Labels for RedLine's DomainDetects.txt (the panel's watch list).
constexpr std::pair<const char*, const char*> kDetects[] = {
    {"Banks", "acme-bank.test"},    {"Banks", "first-national.test"},
    {"Payments", "paywallet.test"}, {"Crypto", "cryptoex.test"},
    {"Mail", "fakemail.test"},      {"Corporate", "corp-example.test"},
};

struct Name {
  const char* display;  // "José"
  const char* lower;    // "josé"
  const char* ascii;    // "jose"
};
constexpr Name kFirstNames[] = {
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
constexpr Name kAcuteNames[] = {
    {"José", "josé", "jose"},
    {"Renée", "renée", "renee"},
    {"André", "andré", "andre"},
    {"Hélène", "hélène", "helene"},
    {"Frédéric", "frédéric", "frederic"},
    {"Noé", "noé", "noe"},
};
constexpr Name kLastNames[] = {
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
constexpr const char* kCommonPasswords[] = {
    "123456",    "password", "Summer2024!", "Qwerty123", "iloveyou",   "Welcome1!",
    "Passw0rd!", "admin123", "letmein",     "Football1", "Monkey123!", "abc123",
};
constexpr const char* kWords[] = {"Sunshine", "Dragon", "Shadow", "Tiger",  "Falcon", "Maple",
                                  "Ocean",    "Rocket", "Coffee", "Pepper", "Garden", "Winter"};

struct Os {
  const char* name;
  const char* build;
};
constexpr Os kOses[] = {{"Windows 10 Pro", "10.0.19045"},
                        {"Windows 10 Home", "10.0.19045"},
                        {"Windows 11 Pro", "10.0.22631"},
                        {"Windows 11 Home", "10.0.22631"},
                        {"Windows 10 Enterprise", "10.0.19044"}};
struct Cpu {
  const char* name;
  const char* vendor;
  int cores;
};
constexpr Cpu kCpus[] = {{"Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz", "GenuineIntel", 6},
                         {"Intel(R) Core(TM) i7-10750H CPU @ 2.60GHz", "GenuineIntel", 6},
                         {"AMD Ryzen 5 3600 6-Core Processor", "AuthenticAMD", 6},
                         {"Intel(R) Core(TM) i3-10110U CPU @ 2.10GHz", "GenuineIntel", 2},
                         {"AMD Ryzen 7 5800X 8-Core Processor", "AuthenticAMD", 8}};
constexpr const char* kGpus[] = {"NVIDIA GeForce GTX 1650", "Intel(R) UHD Graphics 630",
                                 "AMD Radeon RX 580 Series", "NVIDIA GeForce RTX 3060"};
constexpr std::pair<int, int> kScreens[] = {{1920, 1080}, {1366, 768}, {1536, 864}, {2560, 1440}};
constexpr std::pair<const char*, const char*> kSoftware[] = {
    {"7-Zip 23.01 (x64)", "23.01"},
    {"VLC media player", "3.0.20"},
    {"Notepad++ (64-bit x64)", "8.6.4"},
    {"Steam", "2.10.91.91"},
    {"Space Quest: Reloaded", "1.0.2"},
    {"Microsoft Visual C++ 2015-2022 Redistributable", "14.38"},
    {"Zoom", "5.17.11"},
    {"Spotify", "1.2.31"},
};
constexpr const char* kProcesses[] = {
    "System",     "svchost.exe",       "explorer.exe",   "lsass.exe",    "chrome.exe",
    "msedge.exe", "RuntimeBroker.exe", "SearchHost.exe", "OneDrive.exe", "Discord.exe"};
constexpr const char* kCookieNames[] = {"sessionid",  "_ga",  "_gid", "SID",     "csrftoken",
                                        "auth_token", "PREF", "lang", "__cf_bm", "remember_me"};
constexpr const char* kSearches[] = {"weather",   "news today", "cheap flights",   "recipes",
                                     "translate", "bank login", "football scores", "maps"};
constexpr const char* kBuildTags[] = {"TestBuild", "@synthetic_seller", "spring-campaign",
                                      "cloud-42",  "Fresh_Logs",        "build-7"};

// ---------------------------------------------------------------------------
// Time: civil dates without <chrono>'s time-zone database (not in GCC 12),
// after Howard Hinnant's algorithms.

struct Civil {
  int year, month, day, hour, minute, second;
  int weekday;  // 0 = Sunday
};

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

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// 2024-01-01T00:00:00Z; infections fall in that year.
constexpr int64_t kEpoch2024 = 1704067200;

// ---------------------------------------------------------------------------
// Text and encodings.

enum class Encoding { kUtf8, kUtf16Le, kCp1252 };

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf16Le:
      return "utf-16le";
    case Encoding::kCp1252:
      return "windows-1252";
    case Encoding::kUtf8:
      break;
  }
  return "utf-8";
}

// Our own strings are valid UTF-8, so the decoder need not defend itself.
std::vector<char32_t> CodePoints(std::string_view utf8) {
  std::vector<char32_t> out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const int extra = lead < 0x80 ? 0 : lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? lead : lead & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < utf8.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

std::string ToUtf16Le(std::string_view utf8) {
  std::string out = "\xFF\xFE";
  auto unit = [&out](uint32_t u) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  };
  for (char32_t cp : CodePoints(utf8)) {
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

// Windows-1252 bytes 0x80..0x9F (0 = unassigned); 0xA0..0xFF equal Latin-1.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string ToCp1252(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (char32_t cp : CodePoints(utf8)) {
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    // Every value the generator uses is representable; '?' is what Windows
    // itself writes otherwise.
    char byte = '?';
    for (int k = 0; k < 32; ++k)
      if (kCp1252High[k] != 0 && kCp1252High[k] == cp) byte = static_cast<char>(0x80 + k);
    out.push_back(byte);
  }
  return out;
}

// Collects one machine's files: text is composed in UTF-8 with '\n' and
// converted once here, so the family writers need not care about either.
class FolderBuilder {
 public:
  FolderBuilder(bool crlf, Encoding encoding) : crlf_(crlf), encoding_(encoding) {}

  void Text(const std::string& path, std::string_view text) {
    std::string lines;
    if (crlf_) {
      lines.reserve(text.size() + text.size() / 16);
      for (char c : text) {
        if (c == '\n') lines.push_back('\r');
        lines.push_back(c);
      }
    } else {
      lines.assign(text);
    }
    switch (encoding_) {
      case Encoding::kUtf8:
        files_[path] = std::move(lines);
        break;
      case Encoding::kUtf16Le:
        files_[path] = ToUtf16Le(lines);
        break;
      case Encoding::kCp1252:
        files_[path] = ToCp1252(lines);
        break;
    }
  }
  void Binary(const std::string& path, std::string bytes) { files_[path] = std::move(bytes); }
  MachineFiles Take() { return std::move(files_); }

 private:
  bool crlf_;
  Encoding encoding_;
  MachineFiles files_;
};

// A placeholder image: a JPEG/PNG signature and nothing else. Parsers only
// list binary files; the bytes just have to be clearly not text.
std::string FakeJpeg() { return std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\xFF\xD9", 14); }
std::string FakePng() { return std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\x00IEND", 16); }

template <typename... Args>
void Append(std::string& out, fmt::format_string<Args...> format, Args&&... args) {
  fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
}

// ---------------------------------------------------------------------------
// One victim machine, family-neutral; the family writers render it.

struct Cookie {
  std::string host;
  bool flag, secure;
  int64_t expires;
  std::string name, value;
};

struct BrowserProfile {
  const Browser* browser;
  std::string profile;
  std::vector<Cookie> cookies;
  std::vector<std::pair<std::string, std::string>> autofills;  // field name, value
};

struct Victim {
  SynthMachine truth;
  const Country* country = nullptr;
  int64_t infected = 0;  // unix seconds, UTC
  int64_t installed = 0;
  uint32_t fraction7 = 0;
  int date_culture = 0;  // RedLine `Log date:` format
  const Os* os = nullptr;
  const Cpu* cpu = nullptr;
  const char* gpu = nullptr;
  std::pair<int, int> screen;
  int ram_mb = 0;
  std::string hwid32, machine_guid, vidar_hwid, stealc_hwid, extra_guid, sig_hex, config_hash;
  std::string exe_path;
  std::vector<BrowserProfile> profiles;
  std::vector<size_t> profile_of;  // per credential
  std::vector<size_t> software;    // indices into kSoftware
};

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

std::string Capitalize(std::string_view lower) {
  std::string out(lower);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

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
// chooses how it is written.
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

// The country's layout, plus US English as most machines also have it.
std::vector<std::string> Keyboards(const Country& country) {
  std::vector<std::string> layouts = {country.language};
  if (layouts[0] != "English (United States)") layouts.emplace_back("English (United States)");
  return layouts;
}

Civil LocalInfected(const Victim& v) {
  return ToCivil(v.infected + v.country->offset_hours * 3600);
}
Civil LocalInstalled(const Victim& v) {
  return ToCivil(v.installed + v.country->offset_hours * 3600);
}

std::string CookieLine(const Cookie& cookie) {
  return fmt::format("{}\t{}\t/\t{}\t{}\t{}\t{}\n", cookie.host, cookie.flag ? "TRUE" : "FALSE",
                     cookie.secure ? "TRUE" : "FALSE", cookie.expires, cookie.name, cookie.value);
}

std::string CookieFile(const BrowserProfile& profile) {
  std::string out;
  for (const Cookie& cookie : profile.cookies) out += CookieLine(cookie);
  return out;
}

// ---------------------------------------------------------------------------
// RedLine and META: the .NET panel writes both (META is a RedLine clone).

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

MachineFiles WriteRedLine(Victim& v, bool meta, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.hwid32;
  m.os = fmt::format("{} x64", v.os->name);
  const Civil local = LocalInfected(v);
  const int offset = v.country->offset_hours;
  m.folder =
      fmt::format("{}[{}] [{:04}-{:02}-{:02}T{:02}_{:02}_{:02}.{:07}{}{:02}_00]", m.country,
                  m.machine_id, local.year, local.month, local.day, local.hour, local.minute,
                  local.second, v.fraction7, offset < 0 ? '-' : '+', offset < 0 ? -offset : offset);
  const std::string banner = Banner(meta);
  constexpr std::string_view kSeparator = "===============\n";  // 15 '='

  std::string info = banner + "\n";
  Append(info, "Build ID: {}\nIP: {}\nFileLocation: {}\nUserName: {}\nMachineName: {}\n",
         m.build_id, m.ip, v.exe_path, m.user_name, m.computer_name);
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
      passwords += kSeparator;
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

// ---------------------------------------------------------------------------
// Vidar.

std::string VidarDate(const Civil& t) {
  return fmt::format("{}/{}/{} {:02}:{:02}:{:02}", t.day, t.month, t.year, t.hour, t.minute,
                     t.second);
}

MachineFiles WriteVidar(Victim& v, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.vidar_hwid;
  m.os = v.os->name;
  m.build_id.clear();
  m.folder = fmt::format("{}_{}", m.country, m.machine_id);
  const Civil local = LocalInfected(v);
  // Vidar prints the hour offset as an unsigned 32-bit number.
  const uint32_t zone = static_cast<uint32_t>(v.country->offset_hours);

  std::string info;
  Append(info, "Ip: {}\nCountry: {}\nVersion: 9.{}\n\n", m.ip, m.country, v.fraction7 % 9 + 1);
  Append(info, "Date: {}\nMachineID: {}\nGUID: {{{}}}\nHWID: {}\n\n", VidarDate(local),
         v.machine_guid, v.extra_guid, m.machine_id);
  Append(info, "Path: {}\nWork Dir: In memory\n\n", v.exe_path);
  Append(info, "Windows: {}\nInstall Date: {}\nAV: Windows Defender\n", m.os,
         VidarDate(LocalInstalled(v)));
  Append(info, "Computer Name: {}\nUser Name: {}\nDisplay Resolution: {}x{}\n", m.computer_name,
         m.user_name, v.screen.first, v.screen.second);
  Append(info, "Keyboard Languages: {}\nLocal Time: {}\nTimeZone: {}\n\n",
         fmt::join(Keyboards(*v.country), " / "), VidarDate(local), zone);
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
      Append(passwords, "Soft: {} ({})\nHost: {}\nLogin: {}\nPassword: {}\n\n", c.browser,
             c.profile, c.url, c.username, c.password);
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

std::string LummaDate(const Civil& t) {
  return fmt::format("{:02}.{:02}.{} {:02}:{:02}:{:02}", t.day, t.month, t.year, t.hour, t.minute,
                     t.second);
}

std::string UtcOffset(int hours) {
  return fmt::format("UTC{}{}", hours < 0 ? '-' : '+', hours < 0 ? -hours : hours);
}

MachineFiles WriteLumma(Victim& v, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.hwid32;
  m.os = fmt::format("{} ({}) x64", v.os->name, v.os->build);
  m.folder = fmt::format("[{}]{}_{}", m.country, m.ip, m.machine_id);
  const Civil local = LocalInfected(v);
  // The build date is the compiler's __DATE__: "Mmm dd yyyy", day padded
  // with a space.
  const Civil built = ToCivil(v.infected - (v.fraction7 % 60 + 3) * int64_t{86400});

  std::string system = "# Synthetic test log: no real data\n";
  Append(system, "- LummaC2 Build: {} {:>2} {}\n- LID: {}\n- Configuration: {}\n- Path: {}\n\n",
         kMonths[built.month - 1], built.day, built.year, m.build_id, v.config_hash, v.exe_path);
  Append(system, "- OS Version: {}\n- Local Date: {}\n- Time Zone: {}\n- Install Date: {}\n", m.os,
         LummaDate(local), UtcOffset(v.country->offset_hours), LummaDate(LocalInstalled(v)));
  Append(system, "- Elevated: false\n- Computer: {}\n- User: {}\n- Domain: \n- Hostname: {}\n",
         m.computer_name, m.user_name, m.computer_name);
  Append(system, "- NetBIOS: {}\n- Language: {}\n- Anti Virus:\n\t- Windows Defender\n",
         m.computer_name, v.country->language_tag);
  Append(system, "- HWID: {}\n- RAM Size: {}MB\n- CPU Vendor: {}\n- CPU Name: {}\n", m.machine_id,
         v.ram_mb, v.cpu->vendor, v.cpu->name);
  Append(system,
         "- CPU Threads: {}\n- CPU Cores: {}\n- GPU:\n\t- {}\n- Display resolution: {}x{}\n\n",
         v.cpu->cores * 2, v.cpu->cores, v.gpu, v.screen.first, v.screen.second);
  Append(system, "- IP Address: {}\n- Time: {} (sig:{}.{})\n- Country: {}\n", m.ip,
         LummaDate(local), v.infected, v.sig_hex, m.country);
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

MachineFiles WriteRaccoon(Victim& v, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.machine_guid;
  m.os = v.os->name;
  m.computer_name.clear();  // the v2 export names no computer
  // The panel shows a truncated build hash, and that is all a parser sees.
  m.build_id = fmt::format("{}...{}", v.config_hash.substr(0, 6), v.config_hash.substr(26));
  m.folder = fmt::format("{}_{}", m.country, m.machine_id);
  const Civil local = LocalInfected(v);
  const int offset = v.country->offset_hours;

  std::string system;
  Append(system, "User ID: {}|{}\n", m.machine_id, m.user_name);
  Append(system, "Last seen: {} {} {:02} {} {:02}:{:02}:{:02} GMT{}{:02}00 ({})\n",
         kWeekdays[local.weekday], kMonths[local.month - 1], local.day, local.year, local.hour,
         local.minute, local.second, offset < 0 ? '-' : '+', offset < 0 ? -offset : offset,
         v.country->js_zone);
  Append(system, "Build: {}\nIP info: {} {}\nSystem Information:\n", m.build_id, m.country, m.ip);
  Append(system, "\t- Locale: {}\n\t- Time zone: {}\n\t- OS: {}\n\t- Architecture: x64\n",
         v.country->language, v.country->windows_zone, m.os);
  Append(system, "\t- CPU: {} ({} cores)\n\t- RAM: {} MB\n\t- Display size: {}x{}\n", v.cpu->name,
         v.cpu->cores, v.ram_mb, v.screen.first, v.screen.second);
  Append(system, "\t- Display Devices:\n\t\t0) {}\nInstalled applications:\n", v.gpu);
  for (size_t idx : v.software)
    Append(system, "\t{} {}\n", kSoftware[idx].first, kSoftware[idx].second);
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

MachineFiles WriteStealC(Victim& v, FolderBuilder& out) {
  SynthMachine& m = v.truth;
  m.machine_id = v.stealc_hwid;
  m.os = v.os->name;
  m.build_id.clear();
  m.folder = fmt::format("[{}]{}_{}", m.country, m.ip, m.machine_id);
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
  out.Text("system_info.txt", system);

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

// ---------------------------------------------------------------------------
// The stream.

constexpr uint64_t kSaltEncoding = 1;
constexpr uint64_t kSaltDuplicate = 2;
constexpr uint64_t kSaltOriginal = 3;
constexpr uint64_t kSaltMachine = 4;

Status Validate(const SynthOptions& options) {
  auto share_ok = [](double share) { return share >= 0.0 && share <= 1.0; };
  if (options.machines < 0) return Status::Invalid("synthetic logs: machines must be >= 0");
  if (options.credentials_per_machine < 0)
    return Status::Invalid("synthetic logs: credentials_per_machine must be >= 0");
  if (options.credentials_per_machine > 100000)
    return Status::Invalid("synthetic logs: credentials_per_machine must be <= 100000");
  if (!share_ok(options.utf16_share) || !share_ok(options.cp1252_share) ||
      !share_ok(options.duplicate_machine_share))
    return Status::Invalid("synthetic logs: shares must be between 0 and 1");
  if (options.utf16_share + options.cp1252_share > 1.0)
    return Status::Invalid("synthetic logs: utf16_share + cp1252_share must be <= 1");
  return Status::Ok();
}

bool IsDuplicate(const SynthOptions& options, int64_t index) {
  return index > 0 && Weyl(options.seed, kSaltDuplicate, kSqrt2Step, static_cast<uint64_t>(index)) <
                          options.duplicate_machine_share;
}

// Builds original machine `index` (never a duplicate position) from scratch.
std::pair<SynthMachine, MachineFiles> BuildOriginal(const SynthOptions& options,
                                                    const std::vector<Family>& families,
                                                    int64_t index) {
  const auto position = static_cast<uint64_t>(index);
  const double u = Weyl(options.seed, kSaltEncoding, kGoldenStep, position);
  const Encoding encoding = u < options.utf16_share                          ? Encoding::kUtf16Le
                            : u < options.utf16_share + options.cp1252_share ? Encoding::kCp1252
                                                                             : Encoding::kUtf8;
  Victim v = MakeVictim(Mix(options.seed, kSaltMachine, position), encoding,
                        options.credentials_per_machine);
  const Family family = families[position % families.size()];
  v.truth.family = family;
  const bool crlf =
      family == Family::kRedLine || family == Family::kMeta || family == Family::kVidar;
  FolderBuilder out(crlf, encoding);
  MachineFiles files;
  switch (family) {
    case Family::kRedLine:
      files = WriteRedLine(v, false, out);
      break;
    case Family::kMeta:
      files = WriteRedLine(v, true, out);
      break;
    case Family::kVidar:
      files = WriteVidar(v, out);
      break;
    case Family::kLumma:
      files = WriteLumma(v, out);
      break;
    case Family::kRaccoon:
      files = WriteRaccoon(v, out);
      break;
    case Family::kStealC:
      files = WriteStealC(v, out);
      break;
  }
  return {std::move(v.truth), std::move(files)};
}

}  // namespace

Status GenerateSynthetic(
    const SynthOptions& options,
    const std::function<Status(const SynthMachine&, const MachineFiles&)>& fn) {
  RETURN_IF_ERROR(Validate(options));
  std::vector<Family> families = options.families;
  if (families.empty()) families.assign(std::begin(kAllFamilies), std::end(kAllFamilies));
  for (int64_t index = 0; index < options.machines; ++index) {
    if (!IsDuplicate(options, index)) {
      auto [machine, files] = BuildOriginal(options, families, index);
      RETURN_IF_ERROR(fn(machine, files));
      continue;
    }
    // Rebuilding the original from its index costs time, not memory; the
    // walk back ends at index 0, which is never a duplicate.
    int64_t original = static_cast<int64_t>(Mix(options.seed, kSaltOriginal, index) %
                                            static_cast<uint64_t>(index));
    while (IsDuplicate(options, original)) --original;
    auto [machine, files] = BuildOriginal(options, families, original);
    machine.duplicate = true;
    machine.folder += fmt::format(" ({})", index + 1);
    RETURN_IF_ERROR(fn(machine, files));
  }
  return Status::Ok();
}

nlohmann::json SynthMachineJson(const SynthMachine& machine) {
  nlohmann::json credentials = nlohmann::json::array();
  for (const SynthCredential& c : machine.credentials) {
    credentials.push_back({{"url", c.url},
                           {"domain", c.domain},
                           {"username", c.username},
                           {"password", c.password},
                           {"browser", c.browser},
                           {"profile", c.profile}});
  }
  return {{"folder", machine.folder},
          {"family", std::string(FamilyName(machine.family))},
          {"machine_id", machine.machine_id},
          {"ip", machine.ip},
          {"country", machine.country},
          {"os", machine.os},
          {"user_name", machine.user_name},
          {"computer_name", machine.computer_name},
          {"build_id", machine.build_id},
          {"infected_at", machine.infected_at},
          {"cookies", machine.cookies},
          {"autofills", machine.autofills},
          {"credentials", std::move(credentials)},
          {"duplicate", machine.duplicate},
          {"encoding", machine.encoding}};
}

Status WriteSynthetic(const std::string& dir, const SynthOptions& options) {
  namespace fs = std::filesystem;
  RETURN_IF_ERROR(Validate(options));
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir))
    return Status::IoError(fmt::format("{}: cannot create the output directory", dir));
  const fs::path truth_path = fs::path(dir) / "ground-truth.json";
  const fs::path partial_path = fs::path(dir) / "ground-truth.json.partial";
  std::ofstream truth(partial_path, std::ios::binary | std::ios::trunc);
  if (!truth) return Status::IoError(fmt::format("{}: cannot write", partial_path.string()));
  truth << "{\"machines\": [\n";

  // Totals stay small (a few counters per family and per domain), so the
  // truth is streamed machine by machine like the folders.
  int64_t machines = 0, duplicates = 0, credentials = 0, credentials_all = 0, cookies = 0,
          autofills = 0;
  std::map<std::string, int64_t> per_family;
  std::map<std::string, std::pair<int64_t, int64_t>> per_domain;  // accounts, machines
  Status status =
      GenerateSynthetic(options, [&](const SynthMachine& m, const MachineFiles& files) -> Status {
        const fs::path folder = fs::path(dir) / m.folder;
        for (const auto& [relative, bytes] : files) {
          const fs::path path = folder / relative;
          fs::create_directories(path.parent_path(), error);
          if (error)
            return Status::IoError(
                fmt::format("{}: cannot create directory", path.parent_path().string()));
          std::ofstream file(path, std::ios::binary | std::ios::trunc);
          file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
          file.close();
          if (!file) return Status::IoError(fmt::format("{}: cannot write", path.string()));
        }
        truth << (machines > 0 ? ",\n" : "") << SynthMachineJson(m).dump();
        ++machines;
        credentials_all += static_cast<int64_t>(m.credentials.size());
        if (m.duplicate) {
          ++duplicates;
          return Status::Ok();
        }
        credentials += static_cast<int64_t>(m.credentials.size());
        cookies += m.cookies;
        autofills += m.autofills;
        ++per_family[std::string(FamilyName(m.family))];
        std::set<std::string> domains_here;
        for (const SynthCredential& c : m.credentials) {
          if (c.domain.empty()) continue;
          ++per_domain[c.domain].first;
          if (domains_here.insert(c.domain).second) ++per_domain[c.domain].second;
        }
        return Status::Ok();
      });
  if (!status.ok()) {
    truth.close();
    fs::remove(partial_path, error);
    return status;
  }
  nlohmann::json domains = nlohmann::json::object();
  for (const auto& [domain, counts] : per_domain)
    domains[domain] = {{"accounts", counts.first}, {"machines", counts.second}};
  nlohmann::json totals = {{"machines", machines},
                           {"unique_machines", machines - duplicates},
                           {"duplicates", duplicates},
                           {"credentials", credentials},
                           {"credentials_with_duplicates", credentials_all},
                           {"cookies", cookies},
                           {"autofills", autofills},
                           {"families", per_family},
                           {"domains", std::move(domains)}};
  truth << "\n],\n\"totals\": " << totals.dump(2) << "}\n";
  truth.close();
  if (!truth) return Status::IoError(fmt::format("{}: cannot write", partial_path.string()));
  fs::rename(partial_path, truth_path, error);
  if (error)
    return Status::IoError(fmt::format("{}: cannot rename into place", truth_path.string()));
  return Status::Ok();
}

}  // namespace accord::stealer
