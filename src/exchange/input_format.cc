// Input formats by name, and detected from a file's first bytes and name:
// STIX, MISP, a feed's JSON records, CSV, or a plain list.
#include <algorithm>
#include <cctype>

#include "exchange/exchange.h"
#include "exchange/text_readers.h"

namespace accord {

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kAuto: return "auto";
    case InputFormat::kStix: return "stix";
    case InputFormat::kMisp: return "misp";
    case InputFormat::kCsv: return "csv";
    case InputFormat::kList: return "list";
    case InputFormat::kJsonRecords: return "records";
  }
  return "auto";
}

std::optional<InputFormat> ParseInputFormat(std::string_view name) {
  for (InputFormat f : {InputFormat::kAuto, InputFormat::kStix, InputFormat::kMisp,
                        InputFormat::kCsv, InputFormat::kList, InputFormat::kJsonRecords}) {
    if (InputFormatName(f) == name) return f;
  }
  return std::nullopt;
}

namespace {

// Where the first STIX id ("indicator--8e2e2d2b-...") starts, or npos.
size_t FirstStixId(std::string_view head) {
  for (size_t dashes = head.find("--"); dashes != std::string_view::npos; dashes = head.find("--", dashes + 2)) {
    const std::string_view uuid = head.substr(dashes + 2, 9);
    if (uuid.size() == 9 && uuid[8] == '-' &&
        std::all_of(uuid.begin(), uuid.begin() + 8, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; })) {
      return dashes;
    }
  }
  return std::string_view::npos;
}

}  // namespace

InputFormat DetectFormat(std::string_view head, std::string_view name) {
  size_t first = head.find_first_not_of(" \t\r\n");
  if (head.substr(0, 3) == "\xEF\xBB\xBF") first = head.find_first_not_of(" \t\r\n", 3);
  if (first != std::string_view::npos && (head[first] == '{' || head[first] == '[')) {
    // MISP events announce themselves with "Event" / "Attribute"; STIX with
    // "type": "bundle" or typed objects. Look at the keys near the start.
    size_t misp = std::min({head.find("\"Event\""), head.find("\"Attribute\""),
                            head.find("\"response\"")});
    size_t stix = std::min({head.find("\"bundle\""), head.find("\"spec_version\""),
                            head.find("\"objects\""), FirstStixId(head)});
    if (misp < stix) return InputFormat::kMisp;
    // Neither: a feed's list of indicator objects, when its keys say so;
    // else the STIX reader, whose error says what it expected.
    if (stix == std::string_view::npos && LooksLikeJsonRecords(head)) return InputFormat::kJsonRecords;
    return InputFormat::kStix;
  }
  std::string lower_name(name);
  std::transform(lower_name.begin(), lower_name.end(), lower_name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view suffix : {".gz", ".zst", ".zstd", ".zip"}) {
    if (lower_name.ends_with(suffix)) lower_name.erase(lower_name.size() - suffix.size());
  }
  if (lower_name.ends_with(".csv") || lower_name.ends_with(".tsv")) return InputFormat::kCsv;
  // A header naming a value column, perhaps after '#' comments.
  if (LooksLikeCsv(head.substr(0, std::min<size_t>(head.size(), 16 << 10)))) return InputFormat::kCsv;
  return InputFormat::kList;
}

std::string BinaryDataReason(std::string_view head) {
  head = head.substr(0, 8000);
  const size_t nul = head.find('\0');
  if (nul == std::string_view::npos) {
    // XML or HTML read as a list would be lines of rejected markup and an
    // empty event: STIX 1.x, a feed's error page, an RSS feed.
    std::string_view text = head.starts_with("\xEF\xBB\xBF") ? head.substr(3) : head;
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '<') return "";
    const bool stix1 = text.find("STIX_Package") != std::string_view::npos ||
                       text.find("stix.mitre.org") != std::string_view::npos;
    return stix1 ? "STIX 1.x XML, which Accord does not read: convert it to STIX 2.1 first (the OASIS "
                   "stix2-elevator does)"
                 : "XML or HTML (it begins with '<'), not a format Accord imports: STIX or MISP JSON, CSV and "
                   "lists of values";
  }
  std::string why = "binary data (a NUL byte at byte " + std::to_string(nul) + "), not a text file";
  // UTF-16 with a byte-order mark was decoded before this (io.cc); without
  // one, ASCII text in it has a NUL in nearly every other byte.
  size_t nul_at_even = 0, nul_at_odd = 0;
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\0') ++(i % 2 == 0 ? nul_at_even : nul_at_odd);
  }
  const size_t pairs = head.size() / 2;
  if (pairs >= 4 && std::max(nul_at_even, nul_at_odd) * 10 >= pairs * 9) {
    return why + "; UTF-16 text needs a byte-order mark";
  }
  for (std::string_view magic : {std::string_view("\x1f\x8b"), std::string_view("\x28\xb5\x2f\xfd"),
                                 std::string_view("\xfd" "7zXZ"), std::string_view("PK\x03\x04")}) {
    if (head.starts_with(magic)) return why + "; it is compressed inside its compression (decompress it once)";
  }
  return why + ": Accord imports STIX or MISP JSON, CSV and lists of values, plain or compressed";
}

}  // namespace accord
