// Internal to the synthetic log generator (synth.h): shared by its synth*.cc
// files only, and not part of the stealer module's API. Include synth.h
// instead.
//
//   synth_values.cc    value tables, calendar, random value helpers
//   synth_victim.cc    MakeVictim: one family-neutral machine
//   synth_text.cc      encodings, FolderBuilder, pieces several families write
//   synth_redline.cc   RedLine and META writers
//   synth_families.cc  Vidar, Lumma, Raccoon and StealC writers
//   synth.cc           the stream and the public API
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stealer/synth.h"

namespace accord::stealer::synth_internal {

// ---------------------------------------------------------------------------
// Randomness. splitmix64: tiny, fast and fully specified, so the output is
// the same on every platform and standard library (std::mt19937 is too, but
// the std distributions are not).

inline uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A well-mixed value for (seed, a, b): seeds the per-machine streams, so a
// machine can be rebuilt from its index alone (that is how duplicates repeat
// an earlier machine without keeping it in memory).
inline uint64_t Mix(uint64_t seed, uint64_t a, uint64_t b = 0) {
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
  // The value tables below; the same draw as the array form.
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_;
};

// ---------------------------------------------------------------------------
// Fictional values (defined in synth_values.cc).

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

struct Browser {
  const char* name;     // neutral, as SynthCredential::browser
  const char* redline;  // RedLine/META "{Company}_[{Product}]"
  const char* lumma;    // Lumma's folder name
  const char* version;
  bool gecko;
  int weight;
  const char* exe;
};

struct Service {
  const char* url;
  const char* domain;  // registrable domain; "" for an IP
};

struct Name {
  const char* display;  // "José"
  const char* lower;    // "josé"
  const char* ascii;    // "jose"
};

struct Os {
  const char* name;
  const char* build;
};

struct Cpu {
  const char* name;
  const char* vendor;
  int cores;
};

extern const std::span<const Country> kCountries;  // whole-hour offsets only
extern const std::span<const Browser> kBrowsers;
extern const std::span<const Service> kServices;  // in popularity order
// RedLine's DomainDetects.txt watch list: label, domain.
extern const std::span<const std::pair<const char*, const char*>> kDetects;
extern const std::span<const Name> kFirstNames;
extern const std::span<const Name> kAcuteNames;  // names with "é"
extern const std::span<const Name> kLastNames;
extern const std::span<const char* const> kCommonPasswords;
extern const std::span<const char* const> kWords;
extern const std::span<const Os> kOses;
extern const std::span<const Cpu> kCpus;
extern const std::span<const char* const> kGpus;
extern const std::span<const std::pair<int, int>> kScreens;
extern const std::span<const std::pair<const char*, const char*>> kSoftware;  // name, version
extern const std::span<const char* const> kProcesses;
extern const std::span<const char* const> kCookieNames;
extern const std::span<const char* const> kSearches;
extern const std::span<const char* const> kBuildTags;

// ---------------------------------------------------------------------------
// Time: civil dates without <chrono>'s time-zone database (not in GCC 12).

struct Civil {
  int year, month, day, hour, minute, second;
  int weekday;  // 0 = Sunday
};

Civil ToCivil(int64_t unix_seconds);

extern const std::span<const char* const> kMonths;    // "Jan".."Dec"
extern const std::span<const char* const> kWeekdays;  // "Sun".."Sat"

// 2024-01-01T00:00:00Z; infections fall in that year.
inline constexpr int64_t kEpoch2024 = 1704067200;

// ---------------------------------------------------------------------------
// Text and encodings (synth_text.cc).

enum class Encoding { kUtf8, kUtf16Le, kCp1252 };

std::string_view EncodingName(Encoding encoding);

// Collects one machine's files: text is composed in UTF-8 with '\n' and
// converted once here, so the family writers need not care about either.
class FolderBuilder {
 public:
  FolderBuilder(bool crlf, Encoding encoding) : crlf_(crlf), encoding_(encoding) {}

  void Text(const std::string& path, std::string_view text);
  // For variants whose line ends differ from their family's.
  void set_crlf(bool crlf) { crlf_ = crlf; }
  void Binary(const std::string& path, std::string bytes) { files_[path] = std::move(bytes); }
  MachineFiles Take() { return std::move(files_); }

 private:
  bool crlf_;
  Encoding encoding_;
  MachineFiles files_;
};

// A placeholder image: a JPEG/PNG signature and nothing else. Parsers only
// list binary files; the bytes just have to be clearly not text.
std::string FakeJpeg();
std::string FakePng();

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
  std::string variant;   // "" or one of SynthVariants(); the writers read it
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

// Random values (synth_values.cc).
std::string Hex(Rng& rng, int n, bool upper);
std::string Alnum(Rng& rng, int n, std::string_view alphabet);
std::string Guid(Rng& rng);
size_t PickService(Rng& rng);  // index into kServices, Zipf-weighted
std::string PersonalPassword(Rng& rng, const Name& first, const Name& last);
std::string FreshPassword(Rng& rng);

// Builds everything a machine needs from its own stream; the family only
// chooses how it is written (synth_victim.cc).
Victim MakeVictim(uint64_t machine_seed, Encoding encoding, int credentials_per_machine);

// Pieces several families write (synth_text.cc).
std::vector<std::string> Keyboards(const Country& country);
Civil LocalInfected(const Victim& v);
Civil LocalInstalled(const Victim& v);
std::string CookieFile(const BrowserProfile& profile);  // Netscape format

// ---------------------------------------------------------------------------
// Family writers: each sets the family-specific truth fields (folder,
// machine_id, os, ...) on `v` and returns the machine's files.

MachineFiles WriteRedLine(Victim& v, bool meta, FolderBuilder& out);  // synth_redline.cc
MachineFiles WriteVidar(Victim& v, FolderBuilder& out);               // synth_families.cc
MachineFiles WriteLumma(Victim& v, FolderBuilder& out);
MachineFiles WriteRaccoon(Victim& v, FolderBuilder& out);
MachineFiles WriteStealC(Victim& v, FolderBuilder& out);

}  // namespace accord::stealer::synth_internal
