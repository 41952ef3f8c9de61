// Family detection and the system-information and passwords parsers.
//
// Resellers rename files and add banners, so every parser is driven by
// field labels (matched without regard to case, as lexfo's stealer-parser
// does) and treats any other line as noise; file names only say where to
// look first.
#include <libpsl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <span>

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "core/ip.h"
#include "core/time.h"
#include "stealer/field_text.h"
#include "stealer/log_dates.h"
#include "stealer/stealer.h"

namespace accord::stealer {
namespace {

constexpr std::array<std::string_view, 6> kFamilyNames = {"redline", "meta",    "vidar",
                                                          "lumma",   "raccoon", "stealc"};

constexpr std::string_view kInfoNames[] = {"userinformation.txt", "information.txt",
                                           "system.txt",          "system info.txt",
                                           "system_info.txt",     "userinfo.txt",
                                           "systeminfo.txt"};
constexpr std::string_view kPasswordNames[] = {"all passwords.txt", "passwords.txt",
                                               "password.txt"};

using internal::Lower;
using internal::Trim;

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

size_t Depth(std::string_view path) { return std::count(path.begin(), path.end(), '/'); }

// Splits text into lines without their CR/LF.
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line);
    start = end + 1;
  }
}

// "Key: value", "- Key: value", "\t- Key: value": the lower-case key and the
// value after the colon (one following space dropped: the value itself may
// start or end with spaces, and passwords may hold ": ").
bool SplitField(std::string_view line, std::string* key, std::string_view* value) {
  std::string_view rest = line;
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (rest.starts_with("- ")) rest.remove_prefix(2);
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 40) return false;
  *key = Lower(Trim(rest.substr(0, colon)));
  std::string_view after = rest.substr(colon + 1);
  if (!after.empty() && after.front() == ' ') after.remove_prefix(1);
  *value = after;
  return true;
}

// The machine folder's root file whose lower-cased name is one of `names`,
// in the order `names` lists them.
const std::string* RootFile(const MachineFiles& files, std::span<const std::string_view> names,
                            std::string* found_name = nullptr) {
  for (std::string_view wanted : names) {
    for (const auto& [path, content] : files) {
      if (Depth(path) == 0 && Lower(path) == wanted) {
        if (found_name) *found_name = path;
        return &content;
      }
    }
  }
  return nullptr;
}

// "META" as a word: "METAL GEAR" in a software list or "METAMASK" in a
// reseller's banner must not make a RedLine log META.
bool HasWord(std::string_view text, std::string_view word) {
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
    const size_t end = at + word.size();
    const bool right = end >= text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
    if (left && right) return true;
  }
  return false;
}

// Field labels decide, checked from the most specific. Resellers paste any
// family's banner above any family's fields (a StealC System.txt under the
// RedLine ASCII art is common), so banners never outweigh labels, and the
// generic labels (IP:, HWID:, OS:) that every family writes are never used.
std::optional<Family> FamilyFromInfo(std::string_view text) {
  auto has = [&](std::string_view marker) { return text.find(marker) != std::string_view::npos; };
  // Lumma: the signed "Time: ... (sig:...)" line, the "LummaC2 Build:" banner
  // or the 2023 "LummaC2, Build" one with "LID(Lumma ID):"; builds without
  // either still write their dash list with "Local Date:" and "CPU Vendor:".
  if (has("LummaC2") || has("(sig:") || has("LID(Lumma ID)") ||
      (has("Local Date:") && has("CPU Vendor:"))) {
    return Family::kLumma;
  }
  // Raccoon v2 panel export ("User ID: guid|user", "IP info:") and v1
  // ("Racc0_0n" banner, "Bot_ID: guid_user").
  if ((has("User ID:") && (has("IP info:") || has("Last seen:"))) || has("Racc0_0n") ||
      has("Bot_ID:")) {
    return Family::kRaccoon;
  }
  // StealC v1 sections, or v2's flat list whose "Laptop:"/"UTC:" pair no
  // other family writes.
  if (has("Network Info:") || has("System Summary:") ||
      (has("Laptop:") && (has("UTC:") || has("Device String:")))) {
    return Family::kStealC;
  }
  // Vidar: "Work Dir:", or its "[Hardware]" section, or "MachineID:" beside
  // "Local Time:" when a reseller dropped the rest.
  if (has("Work Dir:") || ((has("Ip:") || has("IP:")) && has("[Hardware]")) ||
      (has("MachineID:") && has("Local Time:"))) {
    return Family::kVidar;
  }
  // RedLine and its clone META: the typo'd "Operation System:" and
  // "FileLocation:", "Build ID:", "Log date:".
  if (has("Operation System:") || has("FileLocation:") || has("Build ID:") || has("Log date:")) {
    // "META" as a word, unless the text names other families too: a
    // reseller's "Fresh logs: REDLINE / META / VIDAR" banner says nothing.
    const bool lists_families = HasWord(text, "REDLINE") || HasWord(text, "VIDAR") ||
                                HasWord(text, "LUMMA") || HasWord(text, "STEALC") ||
                                HasWord(text, "RACCOON");
    if (has("M | E | T | A") || (HasWord(text, "META") && !lists_families) || has("MetaStealer")) {
      return Family::kMeta;
    }
    return Family::kRedLine;
  }
  return std::nullopt;
}

std::optional<Family> FamilyFromPasswords(std::string_view text) {
  auto has = [&](std::string_view marker) { return text.find(marker) != std::string_view::npos; };
  if (has("\nbrowser: ") || text.starts_with("browser: ")) return Family::kStealC;
  if (has("Soft:") && has("Host:")) return Family::kVidar;
  if (has("SOFT:") && has("PASS:")) return Family::kLumma;
  if (has("USER:") && has("PASS:")) return Family::kRaccoon;
  if (has("Username:") && has("Application:")) {
    return has("M | E | T | A") ? Family::kMeta : Family::kRedLine;
  }
  return std::nullopt;
}

// --- system information ---

// Country and IP from the folder name, for logs whose information file
// lacks them: "US[...] [date]" (RedLine, META; the brackets hold the HWID or,
// in some panels, the IP), "[US]192.0.2.1_..." (Lumma, StealC and most
// resellers), "US_..." (Vidar, Raccoon).
void FromFolderName(std::string_view folder, std::string& country, std::string& ip) {
  auto letters = [](std::string_view text) {
    return text.size() == 2 && std::isalpha(static_cast<unsigned char>(text[0])) &&
           std::isalpha(static_cast<unsigned char>(text[1]));
  };
  std::string_view code, rest;
  if (folder.size() > 4 && folder[0] == '[' && folder[3] == ']') {
    code = folder.substr(1, 2);
    rest = folder.substr(4);
  } else if (folder.size() > 3 && (folder[2] == '[' || folder[2] == '_')) {
    code = folder.substr(0, 2);
    rest = folder.substr(3);
  }
  if (!letters(code)) return;
  if (country.empty()) {
    country = std::string(code);
    std::transform(country.begin(), country.end(), country.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  }
  if (ip.empty()) {
    const std::string_view candidate = rest.substr(0, rest.find_first_of("_] "));
    if (ParseIp(candidate).ok()) ip = std::string(candidate);
  }
}

void ParseInfo(Family family, std::string_view text, std::string_view folder, MachineLog& log) {
  std::map<std::string, std::string> fields;  // first occurrence of each key
  auto add = [&](std::string_view line) {
    std::string key;
    std::string_view value;
    if (SplitField(line, &key, &value)) fields.emplace(key, std::string(Trim(value)));
  };
  ForEachLine(text, [&](std::string_view line) {
    // An empty field can lose its line end: Raccoon v2 writes
    // "\t- Time zone: \t- OS: Windows 10 Pro". Split at each "\t- ".
    for (size_t glued = line.find("\t- ", 1); glued != std::string_view::npos;
         glued = line.find("\t- ", 1)) {
      add(line.substr(0, glued));
      line.remove_prefix(glued);
    }
    add(line);
  });
  auto first = [&](std::initializer_list<const char*> keys) -> std::string {
    for (const char* key : keys) {
      auto it = fields.find(key);
      if (it != fields.end() && !it->second.empty() && it->second != "UNKNOWN") return it->second;
    }
    return "";
  };
  log.machine_id = first({"hwid", "machineid", "guid", "uid"});
  log.ip = first({"ip", "ip address", "ipaddress"});
  log.country = first({"country", "country code"});
  log.os = first({"operation system", "os version", "windows", "os", "product name"});
  log.user_name = first({"username", "user name", "user"});
  log.computer_name = first({"machinename", "computer name", "computer", "pc name", "computername",
                             "pc", "hostname"});
  // Lumma 2023 wrote "LID(Lumma ID): ..."; resellers' Vidar and StealC
  // builds sometimes carry "Botnet:" or "Tag:".
  log.build_id = first({"build id", "lid", "lid(lumma id)", "build", "botnet", "tag"});
  if (family == Family::kRaccoon && log.machine_id.empty()) {
    // v1: "Bot_ID: <machine guid>_<user>".
    const std::string bot_id = first({"bot_id"});
    const size_t underscore = bot_id.find('_');
    log.machine_id = bot_id.substr(0, underscore);
    if (underscore != std::string::npos && log.user_name.empty()) {
      log.user_name = bot_id.substr(underscore + 1);
    }
  }
  if (family == Family::kRaccoon) {
    // "User ID: <machine guid>|<user>" and "IP info: <CC> <ip>".
    const std::string user_id = first({"user id"});
    const size_t bar = user_id.find('|');
    if (log.machine_id.empty()) log.machine_id = user_id.substr(0, bar);
    if (bar != std::string::npos && log.user_name.empty()) log.user_name = user_id.substr(bar + 1);
    const std::string ip_info = first({"ip info"});
    const size_t space = ip_info.find(' ');
    if (space != std::string::npos) {
      if (log.country.empty()) log.country = ip_info.substr(0, space);
      if (log.ip.empty()) log.ip = std::string(Trim(std::string_view(ip_info).substr(space + 1)));
    }
  }
  if (!log.ip.empty() && !ParseIp(log.ip).ok()) {
    log.warnings.push_back("IP '" + log.ip + "' is not an address");
    log.ip.clear();
  }
  if (log.country.size() == 2 && std::isalpha(static_cast<unsigned char>(log.country[0])) &&
      std::isalpha(static_cast<unsigned char>(log.country[1]))) {
    std::transform(log.country.begin(), log.country.end(), log.country.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  } else {
    log.country.clear();
  }
  if (log.country.empty() || log.ip.empty()) FromFolderName(folder, log.country, log.ip);
  log.infected_at = internal::InfectionTime(family, fields, folder, log.warnings);
}

// --- passwords ---

enum class Slot { kNone, kUrl, kUser, kPassword, kApplication, kProfile };

Slot SlotOf(const std::string& key) {
  static const std::pair<std::string_view, Slot> kAliases[] = {
      {"url", Slot::kUrl},          {"host", Slot::kUrl},          {"hostname", Slot::kUrl},
      {"ur1", Slot::kUrl},          {"username", Slot::kUser},     {"login", Slot::kUser},
      {"user", Slot::kUser},        {"user login", Slot::kUser},   {"u53rn4m3", Slot::kUser},
      {"password", Slot::kPassword}, {"pass", Slot::kPassword},    {"user password", Slot::kPassword},
      {"p455w0rd", Slot::kPassword}, {"application", Slot::kApplication},
      {"soft", Slot::kApplication}, {"browser", Slot::kApplication},
      {"storage", Slot::kApplication}, {"profile", Slot::kProfile}};
  for (const auto& [alias, slot] : kAliases) {
    if (key == alias) return slot;
  }
  return Slot::kNone;
}

bool IsRule(std::string_view line) {
  if (line.starts_with("\xE2\x94\x80") || line.starts_with("\xE2\x95\x90")) return true;  // ─ ═
  return line.size() >= 3 && line.find_first_not_of(line.front()) == std::string_view::npos &&
         std::string_view("=-*_#~").find(line.front()) != std::string_view::npos;
}

void ParsePasswords(std::string_view text, std::vector<Credential>& out) {
  struct Block {
    std::optional<std::string> url, user, password, application, profile;
    bool Empty() const { return !url && !user && !password; }
  } block;
  auto flush = [&] {
    if (!block.Empty()) {
      Credential credential;
      credential.url = block.url.value_or("");
      credential.domain = RegistrableDomain(credential.url);
      credential.username = block.user.value_or("");
      if (block.password && !block.password->empty()) {
        std::string digest = Sha1Hex(*block.password);
        std::transform(digest.begin(), digest.end(), digest.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        credential.password_sha1 = std::move(digest);
        // Overwrite the clear text before the buffer is released.
        std::fill(block.password->begin(), block.password->end(), '\0');
      }
      credential.application = block.application.value_or("");
      if (block.profile) credential.application += "/" + *block.profile;
      out.push_back(std::move(credential));
    }
    block = Block{};
  };
  ForEachLine(text, [&](std::string_view line) {
    // Blocks end at a blank line or a rule: RedLine's "===============",
    // resellers' "-------------", "*****", "_____" or box-drawing lines.
    const std::string_view trimmed = Trim(line);
    if (trimmed.empty() || IsRule(trimmed)) {
      flush();
      return;
    }
    std::string key;
    std::string_view value;
    if (!SplitField(line, &key, &value)) return;
    const Slot slot = SlotOf(key);
    std::optional<std::string>* target = nullptr;
    switch (slot) {
      case Slot::kUrl: target = &block.url; break;
      case Slot::kUser: target = &block.user; break;
      case Slot::kPassword: target = &block.password; break;
      case Slot::kApplication: target = &block.application; break;
      case Slot::kProfile: target = &block.profile; break;
      case Slot::kNone: return;
    }
    // A field seen twice starts the next block (files without separators).
    if (target->has_value()) flush();
    std::string stored(value);
    if (slot != Slot::kPassword) stored = std::string(Trim(stored));
    switch (slot) {
      case Slot::kUrl: block.url = std::move(stored); break;
      case Slot::kUser: block.user = std::move(stored); break;
      case Slot::kPassword: block.password = std::move(stored); break;
      case Slot::kApplication: block.application = std::move(stored); break;
      case Slot::kProfile: block.profile = std::move(stored); break;
      case Slot::kNone: break;
    }
  });
  flush();
}

bool InFolder(std::string_view path, std::initializer_list<std::string_view> folders) {
  const std::string lower = Lower(path);
  for (std::string_view folder : folders) {
    if (lower.starts_with(std::string(folder) + "/")) return true;
  }
  return false;
}

int64_t CountCookies(std::string_view text) {
  if (Trim(text).starts_with("[")) {
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    return parsed.is_array() ? static_cast<int64_t>(parsed.size()) : 0;
  }
  int64_t count = 0;
  ForEachLine(text, [&](std::string_view line) {
    if (!line.empty() && line.front() != '#' && std::count(line.begin(), line.end(), '\t') >= 6) ++count;
  });
  return count;
}

int64_t CountAutofills(std::string_view text) {
  int64_t named = 0, lines = 0;
  ForEachLine(text, [&](std::string_view line) {
    const std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '*' || trimmed.front() == '=' || trimmed.front() == '#') return;
    const std::string head = Lower(trimmed.substr(0, 5));
    if (head == "name:" || head == "form:") ++named;
    ++lines;
  });
  return named > 0 ? named : lines;
}

}  // namespace

std::string_view FamilyName(Family family) { return kFamilyNames[static_cast<size_t>(family)]; }

std::optional<Family> ParseFamily(std::string_view name) {
  const std::string lower = Lower(name);
  for (size_t i = 0; i < kFamilyNames.size(); ++i) {
    if (kFamilyNames[i] == lower) return static_cast<Family>(i);
  }
  return std::nullopt;
}

std::string CanonicalFamilyName(std::string_view feed_name) {
  const std::string lower = Lower(Trim(feed_name));
  std::string_view name = lower;
  // Malpedia's names: "win.lumma", "win.amadey", "elf.mirai".
  for (std::string_view platform : {"win.", "elf.", "osx.", "apk.", "js."}) {
    if (name.starts_with(platform)) name.remove_prefix(platform.size());
  }
  std::string letters;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) letters += c;
  }
  if (letters == "recordbreaker") return std::string(FamilyName(Family::kRaccoon));  // Raccoon v2
  for (std::string_view suffix : {"stealer", "c2"}) {
    if (letters.size() > suffix.size() && letters.ends_with(suffix)) letters.resize(letters.size() - suffix.size());
  }
  if (std::optional<Family> family = ParseFamily(letters)) return std::string(FamilyName(*family));
  std::string other(name);
  std::replace(other.begin(), other.end(), '_', ' ');
  return other;
}

std::string RegistrableDomain(std::string_view url_or_host) {
  std::string_view host = Trim(url_or_host);
  // Android apps' saved logins ("android://<hash>@com.app/") name a package,
  // not a host.
  if (Lower(host.substr(0, 10)) == "android://") return "";
  if (const size_t scheme = host.find("://"); scheme != std::string_view::npos) {
    host.remove_prefix(scheme + 3);
  }
  host = host.substr(0, host.find_first_of("/?#"));
  if (const size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (!host.empty() && host.front() == '[') return "";  // IPv6 literal
  host = host.substr(0, host.find(':'));
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.find('.') == std::string_view::npos || ParseIp(host).ok()) return "";
  const std::string lower = Lower(host);
  const bool plausible = std::all_of(lower.begin(), lower.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c >= 0x80;
  });
  if (!plausible) return "";
  const char* registrable = psl_registrable_domain(psl_builtin(), lower.c_str());
  return registrable == nullptr ? "" : std::string(registrable);
}

std::optional<Family> DetectFamily(const MachineFiles& files) {
  if (const std::string* info = RootFile(files, kInfoNames)) {
    if (auto family = FamilyFromInfo(DecodeText(*info))) return family;
  }
  for (const auto& [path, content] : files) {
    const std::string name = Lower(BaseName(path));
    if (name == "passwords.txt" || name == "all passwords.txt") {
      if (auto family = FamilyFromPasswords(DecodeText(content))) return family;
    }
  }
  return std::nullopt;
}

bool IsInfoFileName(std::string_view file_name) {
  const std::string lower = Lower(file_name);
  return std::find(std::begin(kInfoNames), std::end(kInfoNames), lower) != std::end(kInfoNames);
}

bool IsPasswordsFileName(std::string_view file_name) {
  const std::string lower = Lower(file_name);
  return std::find(std::begin(kPasswordNames), std::end(kPasswordNames), lower) !=
         std::end(kPasswordNames);
}

Result<MachineLog> ParseMachine(const std::string& path, const MachineFiles& files) {
  auto family = DetectFamily(files);
  if (!family) {
    return Status::Invalid(path + ": unknown stealer-log layout (no system-information or "
                                  "passwords file of RedLine, META, Vidar, Lumma, Raccoon or StealC)");
  }
  MachineLog log;
  log.path = path;
  log.family = *family;
  if (const std::string* info = RootFile(files, kInfoNames)) {
    const std::string text = DecodeText(*info);
    if (*family == Family::kRedLine || *family == Family::kMeta) {
      // Labels RedLine and META never write (Meduza's UserInfo.txt shares
      // their "Operation System:" typo): the family is a guess, said so.
      for (std::string_view foreign : {"Build Name:", "Execute Path:", "Country Code:"}) {
        if (text.find(foreign) != std::string::npos) {
          log.warnings.push_back("labels RedLine and META do not write (" + std::string(foreign) +
                                 "): another family's log, read as " +
                                 (*family == Family::kMeta ? "META" : "RedLine") + "'s; check its family");
          break;
        }
      }
    }
    ParseInfo(*family, text, BaseName(path), log);
  } else {
    log.warnings.push_back("no system-information file");
  }
  // Lumma writes every profile's Passwords.txt and their union in "All
  // Passwords.txt": read the union when it is there, else the parts.
  if (const std::string* all = RootFile(files, std::array<std::string_view, 1>{"all passwords.txt"})) {
    ParsePasswords(DecodeText(*all), log.credentials);
  } else {
    for (const auto& [file, content] : files) {
      if (Lower(BaseName(file)) == "passwords.txt" || Lower(BaseName(file)) == "password.txt") {
        ParsePasswords(DecodeText(content), log.credentials);
      }
    }
  }
  for (const auto& [file, content] : files) {
    const std::string name = Lower(BaseName(file));
    if (InFolder(file, {"cookies"}) || (Depth(file) == 0 && name == "cookies.txt")) {
      log.cookies += CountCookies(DecodeText(content));
    } else if (InFolder(file, {"autofills", "autofill"}) || name == "autofills.txt") {
      log.autofills += CountAutofills(DecodeText(content));
    }
  }
  if (log.machine_id.empty()) {
    // No hardware id (many Vidar builds, Lumma copies without System.txt):
    // the folder name with a hash of what the log holds. The name alone
    // merged different victims whose folders share a name (batch1/AR_victim,
    // batch2/AR_victim) into one "already known"; the hash still knows the
    // same log ingested again.
    std::string held;
    if (const std::string* info = RootFile(files, kInfoNames)) held = *info;
    for (const auto& [file, content] : files) {
      const std::string name = Lower(BaseName(file));
      if (name == "passwords.txt" || name == "password.txt" || name == "all passwords.txt") held += content;
    }
    log.machine_id = "folder:" + std::string(BaseName(path)) + "#" + Sha256Hex(held).substr(0, 16);
    log.warnings.push_back("no machine id; identified by its folder name and a hash of its files");
  }
  return log;
}

}  // namespace accord::stealer
