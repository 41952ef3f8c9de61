// Infostealer logs: what one infected machine's folder says, read from the
// layouts the RedLine, META, Vidar, Lumma, Raccoon and StealC families write.
//
// A machine folder is a small set of text files (a passwords file of
// URL/username/password blocks, a system-information file, cookie and
// autofill files). ParseMachine decodes them (UTF-8, UTF-16 with a BOM,
// else Windows-1252), detects the family from the field labels (resellers
// rename files, so names are only a hint) and returns the victim and its
// credentials. A password never leaves the parser in clear: it is reduced
// to its SHA-1 (upper-case hex, as the Pwned Passwords range API uses) as
// soon as it is read.
//
// Sources (folders, archives, archives inside archives) are walked by
// ForEachMachine in source.h; the tables and packages are in ingest.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace accord::stealer {

enum class Family { kRedLine, kMeta, kVidar, kLumma, kRaccoon, kStealC };
std::string_view FamilyName(Family family);  // "redline", "meta", "vidar", ...
std::optional<Family> ParseFamily(std::string_view name);
// A feed's spelling of a family ("LummaC2", "RedLine Stealer",
// "win.lumma_stealer") as the name its victims get ("lumma") when it is a
// family Accord reads; otherwise lowercased, without Malpedia's platform
// prefix, '_' read as a space ("win.amadey" -> "amadey").
std::string CanonicalFamilyName(std::string_view feed_name);
inline constexpr Family kAllFamilies[] = {Family::kRedLine, Family::kMeta,    Family::kVidar,
                                          Family::kLumma,   Family::kRaccoon, Family::kStealC};

struct Credential {
  std::string url;            // as written (host or URL)
  std::string domain;         // registrable domain of the URL's host; empty when none
  std::string username;       // personal data: kept until the operation's retention ends
  std::string password_sha1;  // SHA-1 of the password, upper-case hex; empty when none
  std::string application;    // browser/profile, when the log says
};

// One infected machine as its log describes it.
struct MachineLog {
  std::string path;           // where it was found: "archive.zip!/US[ABC] [2024...]"
  Family family = Family::kRedLine;
  std::string machine_id;     // HWID, machine GUID or MachineID; else derived from the path
  std::string ip;
  std::string country;        // ISO 3166-1 alpha-2 upper case, or empty
  std::string os;
  std::string user_name;      // Windows account name: personal data
  std::string computer_name;  // personal data
  std::string build_id;       // build or campaign id (RedLine Build ID, Lumma LID, ...)
  std::string infected_at;    // RFC 3339 UTC, or empty when the log gives no usable date
  std::vector<Credential> credentials;
  int64_t cookies = 0;        // cookie lines across the cookie files
  int64_t autofills = 0;      // autofill entries
  std::vector<std::string> warnings;  // fields present but unreadable, e.g. a bad date
};

// A machine folder's files: relative path ("Cookies/Chrome_Default.txt")
// to raw bytes. Only text files a parser may read are loaded; others are
// listed with empty content.
using MachineFiles = std::map<std::string, std::string>;

// Bytes to UTF-8: a UTF-8 or UTF-16 (LE/BE) byte-order mark decides; else
// valid UTF-8 stays as it is and anything else is read as Windows-1252.
std::string DecodeText(std::string_view bytes);

// Which family wrote this folder, from its files' names and field labels;
// nullopt when it matches no known layout.
std::optional<Family> DetectFamily(const MachineFiles& files);

// File names (any case) a family gives its system-information file
// ("UserInformation.txt", "System Info.txt", ...) and its passwords file
// ("Passwords.txt", "All Passwords.txt"): what marks a machine folder.
bool IsInfoFileName(std::string_view file_name);
bool IsPasswordsFileName(std::string_view file_name);

// Parses a machine folder. kInvalidArgument naming `path` when the layout is
// unknown; fields that are present but unreadable become warnings, never a
// failure of the whole machine.
Result<MachineLog> ParseMachine(const std::string& path, const MachineFiles& files);

// The registrable domain (public suffix + 1, via libpsl) of a URL or host:
// "https://login.live.com/x" -> "live.com". Empty for IPs and non-hosts.
std::string RegistrableDomain(std::string_view url_or_host);

}  // namespace accord::stealer
