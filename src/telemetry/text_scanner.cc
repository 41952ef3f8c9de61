// The free-text scanner: finds indicators in log lines that have no
// structure we know (syslog, proxy logs, NDJSON string values).
//
// Heuristics, chosen to find what an analyst would underline and not much
// more:
// - A token is a run of letters, digits and . - _ : (so "user@host",
//   "a=b", "[2001:db8::1]:443" and "(evil.example)" split where a reader
//   would split them). Tokens are matched whole: a 63-hex-digit string is no
//   hash, "notevil.example" never yields "evil.example", "1.2.3.4.5" (a
//   version) is no address.
// - A token that is a valid IPv6 address is one; otherwise it is split at
//   colons ("1.2.3.4:8080", "host:evil.example").
// - Hashes are hex runs of exactly 32, 40 or 64 digits.
// - A domain has two or more labels and a top-level label of letters (or
//   xn--) of two or more characters, all in one case ("Mr.Smith" and
//   "java.lang.String" are not domains), and which is not a common file
//   extension that is no delegated TLD ("a.txt", "setup.exe", "x.tar.gz").
//   Extensions that are also TLDs (.zip, .mov, .sh, .py, .pl) stay domains:
//   they are real, and abused.
// - URLs are scheme://... for the schemes in kUrlSchemes (defanged hxxp
//   too), up to white space or a quote, less trailing punctuation and an
//   unbalanced closing bracket. The URL's host is reported as well, so a
//   domain indicator matches a URL in the text.
// - local@domain is reported as an e-mail address as well as the domain.
//
// Hot path: the matcher's line rate is bounded by this loop for text logs.
// It classifies bytes with one table, never allocates (candidates are views
// into the line) and looks at each byte a small constant number of times.
#include <array>
#include <cstdint>
#include <cstring>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

enum CharClass : uint8_t {
  kDigit = 1,
  kHexLetter = 2,
  kLetter = 4,
  kTokenPunct = 8,  // . - _ :
  kUrlStop = 16,    // ends a URL
  kLocalPart = 32,  // may appear in the local part of an e-mail address
};

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> classes{};
  for (int c = '0'; c <= '9'; ++c) classes[c] |= kDigit | kLocalPart;
  for (int c = 'a'; c <= 'z'; ++c) classes[c] |= kLetter | kLocalPart;
  for (int c = 'A'; c <= 'Z'; ++c) classes[c] |= kLetter | kLocalPart;
  for (int c = 'a'; c <= 'f'; ++c) classes[c] |= kHexLetter;
  for (int c = 'A'; c <= 'F'; ++c) classes[c] |= kHexLetter;
  for (char c : {'.', '-', '_', ':'}) classes[static_cast<uint8_t>(c)] |= kTokenPunct;
  for (char c : {'.', '-', '_', '+', '%'}) classes[static_cast<uint8_t>(c)] |= kLocalPart;
  for (int c = 0; c <= 0x20; ++c) classes[c] |= kUrlStop;
  classes[0x7f] |= kUrlStop;
  for (char c : {'"', '\'', '<', '>', '`', '\\', '{', '}', '|', '^'}) {
    classes[static_cast<uint8_t>(c)] |= kUrlStop;
  }
  return classes;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

inline uint8_t ClassOf(char c) { return kClasses[static_cast<uint8_t>(c)]; }
inline bool IsDigit(char c) { return (ClassOf(c) & kDigit) != 0; }
inline bool IsHex(char c) { return (ClassOf(c) & (kDigit | kHexLetter)) != 0; }
inline bool IsLetter(char c) { return (ClassOf(c) & kLetter) != 0; }
inline bool IsAlnum(char c) { return (ClassOf(c) & (kDigit | kLetter)) != 0; }
inline bool IsTokenChar(char c) { return (ClassOf(c) & (kDigit | kLetter | kTokenPunct)) != 0; }
constexpr bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr char Lower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool IsNonAscii(char c) { return static_cast<uint8_t>(c) >= 0x80; }

// What the UTF-8 character at `pos` is to the scanner, and its byte length
// (1 for a byte that is no UTF-8).
enum class NonAscii { kWord, kSeparator, kInvalid };

// Letters and marks of the alphabetic scripts that write spaces between
// words and appear in internationalized names: Latin, Greek, Cyrillic,
// Armenian, Hebrew, Arabic, the Indic scripts, Thai, Georgian. A name like
// "bücher.example" is one token (IDNA gives its stored form), not "b" and
// "cher.example". Everything else ends a token as ASCII punctuation does:
// typographic quotes and dashes, no-break space, guillemets, symbols and
// emoji ("evil.example™", "evil.example🔥"), and the scripts written
// without spaces (CJK, kana, hangul), whose text runs into Latin names
// ("访问evil.example失败" must still yield evil.example).
bool IsWordCodePoint(uint32_t cp) {
  if (cp == 0xAD) return true;  // soft hyphen: IDNA drops it
  if (cp >= 0xC0 && cp <= 0x2AF) return cp != 0xD7 && cp != 0xF7;  // Latin, IPA
  if (cp >= 0x300 && cp <= 0x36F) return true;                       // combining marks
  if (cp >= 0x370 && cp <= 0x3FF) return cp != 0x37E && cp != 0x387;  // Greek
  if (cp >= 0x400 && cp <= 0x52F) return true;                       // Cyrillic
  if (cp >= 0x531 && cp <= 0x587) return true;                       // Armenian
  if (cp >= 0x591 && cp <= 0x5F2) return cp != 0x5BE && cp != 0x5C0 && cp != 0x5C3 && cp != 0x5C6;  // Hebrew
  if (cp >= 0x610 && cp <= 0x6FF) {                                  // Arabic
    return !(cp >= 0x66A && cp <= 0x66D) && cp != 0x6D4 && cp != 0x61B && cp != 0x61F;
  }
  if (cp >= 0x900 && cp <= 0xDFF) return cp != 0x964 && cp != 0x965;  // Indic
  if (cp >= 0xE01 && cp <= 0xE59) return true;                          // Thai
  if (cp >= 0x10A0 && cp <= 0x10FF) return true;                        // Georgian
  if (cp >= 0x1E00 && cp <= 0x1FFF) return true;                        // Latin and Greek extended
  return false;
}

NonAscii ClassifyNonAscii(std::string_view text, size_t pos, size_t& length) {
  const auto byte = [&text](size_t at) { return static_cast<uint8_t>(text[at]); };
  const uint8_t lead = byte(pos);
  length = 1;
  uint32_t code_point = 0;
  size_t expected = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    expected = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    expected = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    expected = 4;
    code_point = lead & 0x07;
  } else {
    return NonAscii::kInvalid;
  }
  if (pos + expected > text.size()) return NonAscii::kInvalid;
  for (size_t at = pos + 1; at < pos + expected; ++at) {
    if ((byte(at) & 0xC0) != 0x80) return NonAscii::kInvalid;
    code_point = (code_point << 6) | (byte(at) & 0x3F);
  }
  if ((expected == 3 && code_point < 0x800) ||
      (expected == 4 && (code_point < 0x10000 || code_point > 0x10FFFF)) ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return NonAscii::kInvalid;  // overlong or a surrogate
  }
  length = expected;
  return IsWordCodePoint(code_point) ? NonAscii::kWord : NonAscii::kSeparator;
}

// The byte length of the word character at `pos`, 0 when none is there.
size_t NonAsciiWordCharLength(std::string_view text, size_t pos) {
  size_t length = 0;
  return ClassifyNonAscii(text, pos, length) == NonAscii::kWord ? length : 0;
}

bool EqualsLower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (Lower(text[i]) != lower[i]) return false;
  }
  return true;
}

constexpr std::string_view kUrlSchemes[] = {"http", "https", "ftp",  "ftps", "sftp",
                                            "ws",   "wss",   "hxxp", "hxxps"};

// File extensions seen in logs that are not delegated TLDs.
constexpr std::string_view kFileExtensions[] = {
    "txt",  "log",  "exe",  "dll",  "bin", "dat",  "tmp",  "bak",  "cfg",  "conf", "ini",
    "json", "xml",  "html", "htm",  "php", "asp",  "aspx", "jsp",  "jpg",  "jpeg", "png",
    "gif",  "bmp",  "svg",  "pdf",  "doc", "docx", "xls",  "xlsx", "ppt",  "pptx", "csv",
    "tsv",  "gz",   "tgz",  "bz",   "xz",  "zst",  "tar",  "rar",  "js",   "rb",   "cpp",
    "hpp",  "java", "class", "jar", "lnk", "bat",  "cmd",  "vbs",  "msi",  "iso",  "img",
    "dmg",  "apk",  "elf",  "sys",  "drv", "ocx",  "scr",  "hta",  "pid",  "lock", "yaml",
    "yml",  "toml", "pcap", "db",   "sqlite", "out", "err", "tsx", "jsx",  "css",  "pem",
    "crt",  "key",  "der",  "vmdk", "ova", "swp"};

// A label of up to 8 ASCII bytes as one lower-cased, zero-padded word.
constexpr uint64_t PackLower(std::string_view label) {
  uint64_t packed = 0;
  for (size_t i = 0; i < label.size() && i < 8; ++i) {
    packed |= static_cast<uint64_t>(static_cast<uint8_t>(Lower(label[i]))) << (8 * i);
  }
  return packed;
}

constexpr auto MakePackedExtensions() {
  std::array<uint64_t, std::size(kFileExtensions)> packed{};
  for (size_t i = 0; i < packed.size(); ++i) packed[i] = PackLower(kFileExtensions[i]);
  return packed;
}

// Compared as words: a string compare per extension was most of checking a
// domain's top-level label, which every domain in a log pays.
constexpr auto kPackedExtensions = MakePackedExtensions();

bool IsFileExtension(std::string_view label) {
  if (label.empty() || label.size() > 6) return false;
  const uint64_t packed = PackLower(label);
  for (uint64_t ext : kPackedExtensions) {
    if (ext == packed) return true;
  }
  return false;
}

// Labels of letters, digits, '-' and '_' (not at a label's ends for '-'),
// 1..63 long, 253 in all; the last label letters (2+) or xn--punycode.
// `strict` adds the text heuristics: one case in the TLD, no file extension.
// Bytes beyond ASCII count as letters (the scanner hands over only word
// characters); a label holding them is limited by IDNA, not here, since
// its length in bytes is not its length as an A-label.
bool IsHostNameImpl(std::string_view text, bool strict) {
  if (text.size() < 4 || text.size() > 1024) return false;
  size_t label_start = 0;
  int labels = 0;
  bool label_ascii = true;
  bool all_ascii = true;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '.') {
      char c = text[i];
      if (IsNonAscii(c)) {
        label_ascii = all_ascii = false;
      } else if (!IsAlnum(c) && c != '-' && c != '_') {
        return false;
      }
      continue;
    }
    std::string_view label = text.substr(label_start, i - label_start);
    if (label.empty() || (label_ascii && label.size() > 63) || label.front() == '-' || label.back() == '-') {
      return false;
    }
    label_ascii = true;
    ++labels;
    if (i == text.size()) {
      // The top-level label.
      if (labels < 2 || label.size() < 2) return false;
      if (label.size() > 4 && EqualsLower(label.substr(0, 4), "xn--")) {
        for (char c : label.substr(4)) {
          if (!IsAlnum(c) && c != '-') return false;
        }
        return !all_ascii || text.size() <= 253;
      }
      // Letters; an internationalized TLD ("рф", "中国") as UTF-8.
      bool any_upper = false, any_lower = false;
      for (char c : label) {
        if (IsNonAscii(c)) continue;
        if (!IsLetter(c)) return false;
        (IsUpper(c) ? any_upper : any_lower) = true;
      }
      if (all_ascii && text.size() > 253) return false;
      if (!strict) return true;
      return !(any_upper && any_lower) && !IsFileExtension(label);
    }
    label_start = i + 1;
  }
  return false;
}

std::optional<ObservableType> HashType(std::string_view text) {
  if (text.size() != 32 && text.size() != 40 && text.size() != 64) return std::nullopt;
  for (char c : text) {
    if (!IsHex(c)) return std::nullopt;
  }
  if (text.size() == 32) return ObservableType::kMd5;
  if (text.size() == 40) return ObservableType::kSha1;
  return ObservableType::kSha256;
}

class Scanner {
 public:
  Scanner(std::string_view text, std::string_view victim, std::vector<Candidate>& out)
      : text_(text), victim_(victim), out_(out) {}

  void Run() {
    size_t pos = 0;
    const size_t n = text_.size();
    while (pos < n) {
      if (WordCharLength(pos) == 0) {
        ++pos;  // a separator beyond ASCII is skipped a byte at a time: none is a word character
        continue;
      }
      size_t start = pos;
      // Whether the token holds a ':' is noted on the way: a memchr call per
      // token (and one per part for '.') was a seventh of a proxy log's
      // match time (bench/match, free text), tokens being short.
      bool has_colon = false;
      for (size_t length = 0; pos < n && (length = WordCharLength(pos)) != 0; pos += length) {
        has_colon = has_colon || text_[pos] == ':';
      }
      // A report's defanged value ("evil[.]example", "198.51.100[.]23"):
      // one compare per token when there is none.
      if (pos < n && (text_[pos] == '[' || text_[pos] == '(' || text_[pos] == '{') && DefangedDotLength(pos) != 0) {
        bool defanged = false;
        for (size_t dot = 0; pos < n && (dot = DefangedDotLength(pos)) != 0 && pos + dot < n &&
                             WordCharLength(pos + dot) != 0;) {
          defanged = true;
          pos += dot;
          for (size_t length = 0; pos < n && (length = WordCharLength(pos)) != 0; pos += length) {
            has_colon = has_colon || text_[pos] == ':';
          }
        }
        if (defanged) {
          Defanged(start, pos);
          continue;
        }
      }
      // "scheme://": the token ends in ':' and "//" follows.
      if (text_[pos - 1] == ':' && pos + 1 < n && text_[pos] == '/' && text_[pos + 1] == '/') {
        size_t scheme_start = pos - 1;
        while (scheme_start > start && IsAlnum(text_[scheme_start - 1])) --scheme_start;
        std::string_view scheme = text_.substr(scheme_start, pos - 1 - scheme_start);
        if (IsUrlScheme(scheme)) {
          if (scheme_start > start) {
            Token(start, scheme_start, Contains(text_.substr(start, scheme_start - start), ':'));
          }
          pos = Url(scheme_start, pos + 2);
          continue;
        }
      }
      Token(start, pos, has_colon);
    }
  }

 private:
  static bool IsUrlScheme(std::string_view scheme) {
    for (std::string_view known : kUrlSchemes) {
      if (EqualsLower(scheme, known)) return true;
    }
    return false;
  }

  // A token's characters: ASCII from the table (the hot path), the rest
  // decoded.
  size_t WordCharLength(size_t pos) const {
    const char c = text_[pos];
    if (!IsNonAscii(c)) return IsTokenChar(c) ? 1 : 0;
    return NonAsciiWordCharLength(text_, pos);
  }

  void Add(ObservableType type, std::string_view value) {
    out_.push_back(Candidate{type, value, victim_});
  }

  // "[.]", "(.)", "{.}" or "[dot]" (any case) at `pos`: its length, else 0.
  size_t DefangedDotLength(size_t pos) const {
    const size_t n = text_.size();
    if (pos + 2 < n && text_[pos + 1] == '.' &&
        ((text_[pos] == '[' && text_[pos + 2] == ']') || (text_[pos] == '(' && text_[pos + 2] == ')') ||
         (text_[pos] == '{' && text_[pos + 2] == '}'))) {
      return 3;
    }
    if (pos + 4 < n && text_[pos] == '[' && text_[pos + 4] == ']' && EqualsLower(text_.substr(pos + 1, 3), "dot")) {
      return 5;
    }
    return 0;
  }

  // A token holding defanged dots, each part of it split at colons as
  // Token does ("evil[.]example:443").
  void Defanged(size_t start, size_t end) {
    size_t part_start = start;
    for (size_t i = start; i <= end; ++i) {
      if (i != end && text_[i] != ':') continue;
      std::string_view part = text_.substr(part_start, i - part_start);
      part_start = i + 1;
      while (!part.empty() && (part.back() == '.' || part.back() == '-')) part.remove_suffix(1);
      AddDefanged(part);
    }
  }

  // `part` (a view into the line) refanged in a small buffer only to tell
  // what it is; the candidate is the text as written, which the matcher
  // refangs as the import normalizer does.
  void AddDefanged(std::string_view part) {
    char refanged[256];
    size_t size = 0;
    const size_t offset = static_cast<size_t>(part.data() - text_.data());
    for (size_t pos = 0; pos < part.size();) {
      if (size == sizeof(refanged)) return;
      const size_t dot = DefangedDotLength(offset + pos);
      if (dot != 0 && pos + dot <= part.size()) {
        refanged[size++] = '.';
        pos += dot;
      } else {
        refanged[size++] = part[pos++];
      }
    }
    const std::string_view plain(refanged, size);
    if (plain.size() == part.size()) return;  // nothing defanged in this part
    if (IsIpv4(plain)) {
      Add(ObservableType::kIpv4, part);
    } else if (IsHostNameImpl(plain, /*strict=*/false)) {
      Add(ObservableType::kDomain, part);
    }
  }

  // A URL starting at `start` whose authority starts at `authority`; returns
  // where scanning resumes.
  size_t Url(size_t start, size_t authority) {
    const size_t n = text_.size();
    size_t end = authority;
    while (end < n && (ClassOf(text_[end]) & kUrlStop) == 0) {
      if (IsNonAscii(text_[end])) {
        // Letters of an internationalized name or path go on, and so do
        // bytes that are no UTF-8 (a Latin-1 log's); a closing typographic
        // quote or a no-break space ends the URL.
        size_t length = 1;
        if (ClassifyNonAscii(text_, end, length) == NonAscii::kSeparator) break;
        end += length;
        continue;
      }
      ++end;
    }
    const size_t resume = end;
    // Trailing punctuation belongs to the sentence, not the URL.
    for (;;) {
      if (end <= authority) break;
      char last = text_[end - 1];
      if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' ||
          last == '?') {
        --end;
      } else if ((last == ')' || last == ']') && Unbalanced(authority, end, last)) {
        --end;
      } else {
        break;
      }
    }
    std::string_view rest = text_.substr(authority, end - authority);
    size_t authority_end = rest.find_first_of("/?#");
    std::string_view host = rest.substr(0, authority_end);
    if (size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    if (host.starts_with('[')) {
      size_t close = host.find(']');
      host = close == std::string_view::npos ? std::string_view{} : host.substr(1, close - 1);
    } else {
      host = host.substr(0, host.find(':'));
    }
    if (host.empty()) return resume;
    Add(ObservableType::kUrl, text_.substr(start, end - start));
    if (IsIpv4(host)) {
      Add(ObservableType::kIpv4, host);
    } else if (IsIpv6(host)) {
      Add(ObservableType::kIpv6, host);
    } else if (IsHostNameImpl(host, /*strict=*/false)) {
      Add(ObservableType::kDomain, host);
    } else {
      // hxxp://evil[.]example/x: a domain indicator matches a defanged URL too.
      AddDefanged(host);
    }
    return resume;
  }

  bool Unbalanced(size_t begin, size_t end, char close) const {
    char open = close == ')' ? '(' : '[';
    int depth = 0;
    for (size_t i = begin; i < end; ++i) {
      if (text_[i] == open) ++depth;
      if (text_[i] == close) --depth;
    }
    return depth < 0;
  }

  // An inline loop: the strings are a token's length, too short to repay a
  // library call.
  static bool Contains(std::string_view text, char wanted) {
    for (char c : text) {
      if (c == wanted) return true;
    }
    return false;
  }

  void Token(size_t start, size_t end, bool has_colon) {
    std::string_view token = text_.substr(start, end - start);
    if (!has_colon) {
      Part(start, end);
      return;
    }
    std::string_view address = token;
    while (!address.empty() && address.back() == '.') address.remove_suffix(1);
    if (IsIpv6(address)) {
      Add(ObservableType::kIpv6, address);
      return;
    }
    size_t part_start = start;
    for (size_t i = start; i <= end; ++i) {
      if (i == end || text_[i] == ':') {
        Part(part_start, i);
        part_start = i + 1;
      }
    }
  }

  void Part(size_t start, size_t end) {
    while (start < end && (text_[start] == '.' || text_[start] == '-')) ++start;
    while (end > start && (text_[end - 1] == '.' || text_[end - 1] == '-')) --end;
    if (start == end) return;
    std::string_view part = text_.substr(start, end - start);
    if (auto hash = HashType(part)) {
      Add(*hash, part);
      return;
    }
    if (IsDigit(part.front()) && IsIpv4(part)) {
      Add(ObservableType::kIpv4, part);
      return;
    }
    // The local part of an e-mail address is no domain ("john.doe@...").
    if (end < text_.size() && text_[end] == '@') return;
    if (!Contains(part, '.') || !IsHostNameImpl(part, /*strict=*/true)) {
      return;
    }
    Add(ObservableType::kDomain, part);
    if (start >= 2 && text_[start - 1] == '@') {
      size_t local = start - 1;
      while (local > 0 && (ClassOf(text_[local - 1]) & kLocalPart) != 0) --local;
      // A local part that runs on beyond ASCII ("jürgen@") is not cut into
      // somebody else's address ("rgen@").
      if (local < start - 1 && (local == 0 || !IsNonAscii(text_[local - 1]))) {
        Add(ObservableType::kEmail, text_.substr(local, end - local));
      }
    }
  }

  std::string_view text_;
  std::string_view victim_;
  std::vector<Candidate>& out_;
};

}  // namespace

bool IsHostName(std::string_view text) { return IsHostNameImpl(text, /*strict=*/false); }

std::optional<ObservableType> ClassifyValue(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (size_t colon = text.find("://"); colon != std::string_view::npos && colon > 0) {
    return ObservableType::kUrl;
  }
  if (IsIpv4(text)) return ObservableType::kIpv4;
  if (text.find(':') != std::string_view::npos) {
    if (IsIpv6(text)) return ObservableType::kIpv6;
    return std::nullopt;
  }
  if (auto hash = HashType(text)) return hash;
  if (size_t at = text.find('@'); at != std::string_view::npos) {
    if (at > 0 && IsHostName(text.substr(at + 1))) return ObservableType::kEmail;
    return std::nullopt;
  }
  std::string_view host = text;
  if (host.ends_with('.')) host.remove_suffix(1);  // a fully qualified DNS name
  if (IsHostName(host)) return ObservableType::kDomain;
  return std::nullopt;
}

void ScanText(std::string_view text, std::string_view victim, std::vector<Candidate>& out) {
  Scanner(text, victim, out).Run();
}

namespace {

// Free text: every non-blank line is a record of what the scanner finds.
class TextParser final : public LineParser {
 public:
  LineOutcome Parse(const Line& line, Record& record, std::string&) override {
    if (line.text.find_first_not_of(" \t") == std::string_view::npos) return LineOutcome::kSkip;
    record.kind = "text";
    ScanText(line.text, {}, record.candidates);
    return LineOutcome::kRecord;
  }
};

}  // namespace

std::unique_ptr<LineParser> MakeTextParser() { return std::make_unique<TextParser>(); }

}  // namespace accord::telemetry::internal
