// Observable names, refanging, the checks every value goes through, hashes,
// file names, and type detection. The per-type rules live in
// observable_ip.cc, observable_domain.cc, observable_url.cc and
// observable_wallet.cc; docs/NORMALIZATION.md describes them all.

#include "core/observable.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "core/observable_internal.h"

namespace accord {

using namespace observable_internal;  // NOLINT: this file is their front end

namespace observable_internal {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLowerCopy(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

std::string Quote(std::string_view text) {
  constexpr size_t kMaxQuoted = 80;
  bool cut = false;
  if (text.size() > kMaxQuoted) {
    size_t end = kMaxQuoted;
    // Do not split a UTF-8 sequence.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
    cut = true;
  }
  std::string out = "'";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += cut ? "...'" : "'";
  return out;
}

}  // namespace observable_internal

namespace {

constexpr std::array<std::string_view, kObservableTypeCount> kTypeNames = {
    "ipv4", "ipv6", "cidr", "domain", "url", "email", "md5", "sha1", "sha256", "wallet", "filename",
};

constexpr size_t kMaxFileNameBytes = 255;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Well-formed UTF-8 per RFC 3629: no overlong forms, no surrogates, nothing
// past U+10FFFF. Returns the offset of the first bad byte, or npos.
size_t FindInvalidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    size_t length = 0;
    unsigned char min_second = 0x80;
    unsigned char max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) min_second = 0xA0;  // overlong
      if (lead == 0xED) max_second = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) min_second = 0x90;  // overlong
      if (lead == 0xF4) max_second = 0x8F;  // past U+10FFFF
    } else {
      return pos;
    }
    if (pos + length > text.size()) return pos;
    auto second = static_cast<unsigned char>(text[pos + 1]);
    if (second < min_second || second > max_second) return pos;
    for (size_t idx = 2; idx < length; ++idx) {
      if ((static_cast<unsigned char>(text[pos + idx]) & 0xC0) != 0x80) return pos;
    }
    pos += length;
  }
  return std::string_view::npos;
}

// The checks every value goes through before its type's rules.
Result<std::string> Prepare(std::string_view raw, bool refang) {
  std::string_view trimmed = Trim(raw);
  if (trimmed.empty()) return Status::Invalid("value is empty");
  if (trimmed.size() > kMaxValueBytes) {
    return Status::Invalid("value is " + std::to_string(trimmed.size()) + " bytes, limit " +
                           std::to_string(kMaxValueBytes));
  }
  if (size_t nul = trimmed.find('\0'); nul != std::string_view::npos) {
    return Status::Invalid("value contains a NUL byte at offset " + std::to_string(nul));
  }
  if (size_t bad = FindInvalidUtf8(trimmed); bad != std::string_view::npos) {
    return Status::Invalid("value is not valid UTF-8 (byte offset " + std::to_string(bad) + ")");
  }
  if (!refang) return std::string(trimmed);
  return std::string(Trim(Refang(trimmed)));
}

Result<Observable> NormalizeHash(ObservableType type, std::string_view text) {
  std::string_view name;
  size_t digits = 0;
  switch (type) {
    case ObservableType::kMd5:
      name = "MD5";
      digits = 32;
      break;
    case ObservableType::kSha1:
      name = "SHA-1";
      digits = 40;
      break;
    default:
      name = "SHA-256";
      digits = 64;
      break;
  }
  if (text.size() != digits) {
    return Status::Invalid(std::string(name) + " must be " + std::to_string(digits) +
                           " hex digits, got " + std::to_string(text.size()));
  }
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (!IsHexDigit(text[pos])) {
      return Status::Invalid(std::string(name) + " has non-hex character " +
                             Quote(text.substr(pos, 1)) + " at position " + std::to_string(pos));
    }
  }
  return Observable{type, AsciiLowerCopy(text)};
}

Result<Observable> NormalizeFileName(std::string_view text) {
  if (text.size() > kMaxFileNameBytes) {
    return Status::Invalid("file name is " + std::to_string(text.size()) + " bytes, limit " +
                           std::to_string(kMaxFileNameBytes));
  }
  for (size_t pos = 0; pos < text.size(); ++pos) {
    auto byte = static_cast<unsigned char>(text[pos]);
    bool c1_control = byte == 0xC2 && pos + 1 < text.size() &&
                      static_cast<unsigned char>(text[pos + 1]) >= 0x80 &&
                      static_cast<unsigned char>(text[pos + 1]) <= 0x9F;
    if (byte < 0x20 || byte == 0x7f || c1_control) {
      return Status::Invalid("file name contains a control character at byte " +
                             std::to_string(pos));
    }
  }
  return Observable{ObservableType::kFileName, std::string(text)};
}

// `text` has been through Prepare().
Result<Observable> NormalizePrepared(ObservableType type, std::string_view text) {
  switch (type) {
    case ObservableType::kIpv4:
      return NormalizeIpv4(text);
    case ObservableType::kIpv6:
      return NormalizeIpv6(text);
    case ObservableType::kCidr:
      return NormalizeCidr(text);
    case ObservableType::kDomain: {
      ASSIGN_OR_RETURN(std::string domain, NormalizeDomainName(text));
      return Observable{ObservableType::kDomain, std::move(domain)};
    }
    case ObservableType::kUrl:
      return NormalizeUrl(text);
    case ObservableType::kEmail:
      return NormalizeEmail(text);
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
      return NormalizeHash(type, text);
    case ObservableType::kWallet:
      return NormalizeWallet(text);
    case ObservableType::kFileName:
      return NormalizeFileName(text);
  }
  return Status::Invalid("unknown observable type " + std::to_string(static_cast<int>(type)));
}

// Decoding a URL's escapes can spell a defanging pattern ("(%2E)" becomes
// "(.)"), so a result is refanged and normalized again until it is stable;
// that keeps Normalize idempotent. Decoding happens once per round and each
// refang shortens the value, so this ends within a few rounds.
Result<Observable> Finish(Result<Observable> result) {
  constexpr int kMaxRounds = 4;
  for (int round = 0; round < kMaxRounds && result.ok(); ++round) {
    if (result->type == ObservableType::kFileName) break;
    std::string refanged = Refang(result->value);
    if (refanged == result->value) break;
    result = NormalizePrepared(result->type, refanged);
  }
  if (result.ok() && result->value.size() > kMaxValueBytes) {
    return Status::Invalid("normalized value is " + std::to_string(result->value.size()) +
                           " bytes, limit " + std::to_string(kMaxValueBytes));
  }
  return result;
}

bool IsAllHex(std::string_view text) {
  for (char c : text) {
    if (!IsHexDigit(c)) return false;
  }
  return true;
}

// Extensions of executables, scripts, documents and archives that are no
// top-level domain (checked against the Public Suffix List in
// observable_test.cc): an untyped "dropper.exe" in a list is a file name,
// not a domain nobody could register. Extensions that are also TLDs (.zip,
// .mov, .one, .cab, .dot) stay domains; a look-up tries the other reading.
constexpr std::array<std::string_view, 62> kFileExtensionsNoTld = {
    "7z",   "apk",  "appx", "asp",  "aspx", "bat",  "bin",  "bz2",  "cgi",  "chm",  "class",
    "cmd",  "cpl",  "csv",  "dat",  "dll",  "dmg",  "doc",  "docm", "docx", "dotm", "drv",
    "elf",  "exe",  "gz",   "hta",  "htm",  "html", "img",  "inf",  "iqy",  "iso",  "jar",
    "js",   "jse",  "jsp",  "lnk",  "log",  "msi",  "msix", "msp",  "ocx",  "pdf",  "php",
    "pif",  "ppt",  "pptm", "pptx", "ps1",  "psm1", "rar",  "rtf",  "scr",  "slk",  "sys",
    "tgz",  "tmp",  "vbe",  "vbs",  "vhd",  "vhdx", "wsf",
};

bool HasFileExtensionNoTld(std::string_view text) {
  // One token only: a sentence in a list ("see the full list in feed.csv")
  // is no file name (and was rejected as no domain before).
  if (text.size() > 255 || text.find_first_of(" \t,;\"'") != std::string_view::npos) return false;
  const size_t dot = text.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= text.size()) return false;
  std::string extension(text.substr(dot + 1));
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(kFileExtensionsNoTld.begin(), kFileExtensionsNoTld.end(), extension) !=
         kFileExtensionsNoTld.end();
}

bool IsAllDigitsAndDots(std::string_view text) {
  for (char c : text) {
    if (!(c >= '0' && c <= '9') && c != '.') return false;
  }
  return text.find('.') != std::string_view::npos;
}

Result<Observable> Detect(std::string_view text) {
  bool has_colon = text.find(':') != std::string_view::npos;
  bool has_slash = text.find('/') != std::string_view::npos;
  bool has_at = text.find('@') != std::string_view::npos;
  bool has_scheme_separator = text.find("://") != std::string_view::npos;
  // Digits and dots only: an IPv4 address, and if not, its error says why
  // better than "not a domain" would.
  if (IsAllDigitsAndDots(text)) return NormalizeIpv4(text);
  if (has_colon && !has_slash && !has_at) {
    Result<IpAddress> address = ParseIpv6(text);
    if (address.ok()) return NormalizeIpv6(text);
  }
  if (has_slash && !has_scheme_separator) {
    Result<Observable> network = NormalizeCidr(text);
    if (network.ok()) return network;
    // "10.0.0.0/33" is a network written wrong, not a URL to host 10.0.0.0:
    // an address, a slash and only digits says why it is refused.
    const size_t slash = text.rfind('/');
    const std::string_view after = text.substr(slash + 1);
    const std::string_view before = text.substr(0, slash);
    const bool digits_after =
        !after.empty() && std::all_of(after.begin(), after.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits_after && (IsAllDigitsAndDots(before) || ParseIpv6(before).ok())) return network.status();
  }
  if (IsAllHex(text)) {
    switch (text.size()) {
      case 32:
        return NormalizeHash(ObservableType::kMd5, text);
      case 40:
        return NormalizeHash(ObservableType::kSha1, text);
      case 64:
        return NormalizeHash(ObservableType::kSha256, text);
      default:
        return Status::Invalid("hex string of " + std::to_string(text.size()) +
                               " digits is not an MD5 (32), SHA-1 (40) or SHA-256 (64)");
    }
  }
  if (has_at && !has_slash) return NormalizeEmail(text);
  if (has_scheme_separator || LooksLikeSchemelessUrl(text)) return NormalizeUrl(text);
  if (!has_slash && !has_colon && HasFileExtensionNoTld(text)) return NormalizeFileName(text);
  Result<std::string> domain = NormalizeDomainName(text);
  if (domain.ok()) return Observable{ObservableType::kDomain, std::move(*domain)};
  Result<Observable> wallet = NormalizeWallet(text);
  if (wallet.ok()) return wallet;
  std::string message = "not a recognisable indicator: " + Quote(text);
  if (text.find('.') != std::string_view::npos) {
    message += " (as a domain: " + domain.status().message() + ")";
  }
  return Status::Invalid(message);
}

// Defanging patterns, matched case-insensitively. Each ends with a closing
// bracket, which Refang relies on.
struct RefangRule {
  std::string_view pattern;
  char replacement;
};
constexpr std::array<RefangRule, 8> kRefangRules = {{
    {"[.]", '.'},
    {"(.)", '.'},
    {"{.}", '.'},
    {"[dot]", '.'},
    {"[:]", ':'},
    {"[@]", '@'},
    {"[at]", '@'},
    {"[/]", '/'},
}};

bool EndsWithIgnoringCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  std::string_view tail = text.substr(text.size() - suffix.size());
  for (size_t idx = 0; idx < suffix.size(); ++idx) {
    if (AsciiLower(tail[idx]) != suffix[idx]) return false;
  }
  return true;
}

}  // namespace

std::string_view TypeName(ObservableType type) {
  auto index = static_cast<size_t>(type);
  if (index < 1 || index > kTypeNames.size()) return "unknown";
  return kTypeNames[index - 1];
}

std::optional<ObservableType> ParseTypeName(std::string_view name) {
  std::string lower = AsciiLowerCopy(name);
  for (size_t idx = 0; idx < kTypeNames.size(); ++idx) {
    if (lower == kTypeNames[idx]) return static_cast<ObservableType>(idx + 1);
  }
  return std::nullopt;
}

std::string Refang(std::string_view raw) {
  // Patterns are replaced as soon as the output ends with one, so nested
  // defanging ("[[.].]") is undone completely in one pass and Refang is
  // idempotent: a replacement only ever shortens the tail it looks at.
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    out += c;
    if (c != ']' && c != ')' && c != '}') continue;
    for (const RefangRule& rule : kRefangRules) {
      if (EndsWithIgnoringCase(out, rule.pattern)) {
        out.resize(out.size() - rule.pattern.size());
        out += rule.replacement;
        break;
      }
    }
  }
  // Defanged schemes at the start: hxxp://, hxxps://, fxp://.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kSchemes = {{
      {"hxxps:", "https:"},
      {"hxxp:", "http:"},
      {"fxps:", "ftps:"},
      {"fxp:", "ftp:"},
  }};
  std::string head = AsciiLowerCopy(std::string_view(out).substr(0, 6));
  for (const auto& [defanged, scheme] : kSchemes) {
    if (std::string_view(head).substr(0, defanged.size()) == defanged) {
      out.replace(0, defanged.size(), scheme);
      break;
    }
  }
  return out;
}

Result<Observable> Normalize(ObservableType type, std::string_view raw) {
  // File names are taken literally: "[at]" or "(.)" in one is part of the
  // name, and nobody defangs a file name.
  ASSIGN_OR_RETURN(std::string prepared, Prepare(raw, type != ObservableType::kFileName));
  return Finish(NormalizePrepared(type, prepared));
}

Result<Observable> DetectAndNormalize(std::string_view raw) {
  ASSIGN_OR_RETURN(std::string prepared, Prepare(raw, /*refang=*/true));
  return Finish(Detect(prepared));
}

std::optional<Observable> OtherReading(const Observable& detected, std::string_view raw) {
  // Before lists read them as file names, "dropper.exe" was stored as a domain.
  if (detected.type == ObservableType::kFileName) {
    Result<Observable> domain = Normalize(ObservableType::kDomain, raw);
    if (!domain.ok()) return std::nullopt;
    return std::move(domain).value();
  }
  if (detected.type != ObservableType::kDomain) return std::nullopt;
  Result<Observable> file_name = Normalize(ObservableType::kFileName, raw);
  if (!file_name.ok()) return std::nullopt;
  return std::move(file_name).value();
}

}  // namespace accord
