#include "exchange/text_readers.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/time.h"
#include "exchange/table_rows.h"

namespace accord {

using namespace exchange_internal;  // NOLINT: this module's own table rows

namespace {

char SniffDelimiter(std::string_view header) {
  size_t commas = std::count(header.begin(), header.end(), ',');
  size_t semis = std::count(header.begin(), header.end(), ';');
  size_t tabs = std::count(header.begin(), header.end(), '\t');
  if (tabs > commas && tabs >= semis) return '\t';
  if (semis > commas) return ';';
  return ',';
}


// A line that is not UTF-8 is read as Windows-1252, what Excel and most
// Windows tools save "CSV" as: stored as it came it would be text no JSON
// reader or writer accepts (a search for it failed). UTF-8 lines pass as
// they are.
// Whether `line` holds a well-formed UTF-8 sequence of two or more bytes.
bool HoldsUtf8Sequence(std::string_view line) {
  for (size_t pos = 0; pos < line.size(); ++pos) {
    const auto lead = static_cast<unsigned char>(line[pos]);
    const size_t length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                          : lead >= 0xF0 && lead <= 0xF4                                     ? 4
                                                                                             : 0;
    if (length == 0 || pos + length > line.size()) continue;
    if (simdjson::validate_utf8(line.data() + pos, length)) return true;
  }
  return false;
}

// The offset of the first byte that ends `line`'s well-formed UTF-8 prefix.
size_t FirstBadUtf8Byte(std::string_view line) {
  size_t good = 0;
  while (good < line.size()) {
    const auto lead = static_cast<unsigned char>(line[good]);
    const size_t length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                          : lead >= 0xF0 && lead <= 0xF4                                                   ? 4
                                                                                                           : 0;
    if (length == 0 || good + length > line.size() || !simdjson::validate_utf8(line.data() + good, length)) break;
    good += length;
  }
  return good;
}

// Why a line is neither UTF-8 nor Windows-1252 text, or empty when it is
// one of them: a line that holds UTF-8 characters beside a byte that is no
// UTF-8 is broken UTF-8, and read as Windows-1252 it would give a value
// nobody wrote (NORMALIZATION.md: nothing is guessed).
std::string BrokenUtf8(std::string_view line) {
  if (simdjson::validate_utf8(line.data(), line.size()) || !HoldsUtf8Sequence(line)) return "";
  return fmt::format("not UTF-8 at byte {} (the line holds UTF-8 characters, so it is not Windows-1252 "
                     "text either)", FirstBadUtf8Byte(line) + 1);
}

std::string_view AsUtf8(std::string_view line, std::string& scratch) {
  if (simdjson::validate_utf8(line.data(), line.size())) return line;
  // Windows-1252's 0x80-0x9F; 0 where it defines nothing (U+FFFD then).
  static constexpr char16_t kHigh[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  scratch.clear();
  for (char byte : line) {
    const auto c = static_cast<unsigned char>(byte);
    char32_t code = c;
    if (c >= 0x80 && c < 0xA0) code = kHigh[c - 0x80] != 0 ? kHigh[c - 0x80] : 0xFFFD;
    if (code < 0x80) {
      scratch.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      scratch.push_back(static_cast<char>(0xC0 | (code >> 6)));
      scratch.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      scratch.push_back(static_cast<char>(0xE0 | (code >> 12)));
      scratch.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      scratch.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }
  return scratch;
}

// A header line: its delimiter and what each column holds. nullopt when it
// names no value column, so it cannot be a header.
struct CsvHeader {
  char delimiter = ',';
  std::vector<std::string> names;
  std::vector<ColumnSpec> columns;
  bool has_event_column = false;
};
std::optional<CsvHeader> ParseCsvHeader(std::string_view line) {
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // UTF-8 BOM
  CsvHeader header;
  header.delimiter = SniffDelimiter(line);
  header.names = SplitCsvLine(line, header.delimiter).fields;
  bool has_value = false;
  for (const auto& name : header.names) {
    header.columns.push_back(ClassifyHeader(name));
    const Column column = header.columns.back().column;
    has_value = has_value || HoldsValue(column);
    header.has_event_column = header.has_event_column || column == Column::kEventUuid;
  }
  if (!has_value) return std::nullopt;
  return header;
}

// What a '#' comment line says without its marks: abuse.ch dumps write their
// header as the last comment line ("# id,dateadded,url,...").
std::string_view CommentText(std::string_view trimmed) {
  while (!trimmed.empty() && trimmed.front() == '#') trimmed.remove_prefix(1);
  return Trim(trimmed);
}

// Where a CSV's header is: the first line that is not blank or a comment,
// or the comment just before it when that names the columns and the line
// has as many fields (then the line is the first record).
struct CsvStart {
  std::optional<CsvHeader> header;
  bool first_line_is_record = false;
};
CsvStart FindCsvHeader(std::string_view first_line, std::string_view last_comment) {
  CsvStart start;
  start.header = ParseCsvHeader(first_line);
  if (last_comment.empty()) return start;
  std::optional<CsvHeader> from_comment = ParseCsvHeader(last_comment);
  if (!from_comment || from_comment->names.size() < 2) return start;
  const std::vector<std::string> cells = SplitCsvLine(first_line, from_comment->delimiter).fields;
  if (cells.size() != from_comment->names.size()) return start;
  // The first line may pass for a header too: ThreatFox's first record
  // holds the cell "domain" (its ioc_type), a column name. A line with a
  // cell that is an indicator is a record; a header names columns only.
  if (start.header) {
    const bool holds_indicator = std::any_of(cells.begin(), cells.end(), [](const std::string& cell) {
      return !Trim(cell).empty() && DetectAndNormalize(Trim(cell)).ok();
    });
    if (!holds_indicator) return start;
  }
  start.header = std::move(from_comment);
  start.first_line_is_record = true;
  return start;
}

}  // namespace

CsvRecord SplitCsvLine(std::string_view line, char delimiter) {
  CsvRecord record;
  std::string field;
  bool in_quotes = false;
  bool field_was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"' && Trim(field).empty() && !field_was_quoted) {
      field.clear();
      in_quotes = true;
      field_was_quoted = true;
    } else if (c == delimiter) {
      record.fields.push_back(field_was_quoted ? field : std::string(Trim(field)));
      field.clear();
      field_was_quoted = false;
    } else if (field_was_quoted) {
      // `"http://a.example/a"x`: the x is no part of the value; glued on,
      // it would make another indicator. Blanks before the delimiter pass.
      if (c != ' ' && c != '\t' && c != '\r' && record.text_after_quote == 0) {
        record.text_after_quote = record.fields.size() + 1;
      }
    } else {
      field.push_back(c);
    }
  }
  record.complete = !in_quotes;
  record.fields.push_back(field_was_quoted ? field : std::string(Trim(field)));
  // A cell CsvField disarmed for spreadsheets ("'=SUM(1)", "'-setup.exe"):
  // an export read back gives back the value it wrote.
  for (std::string& cell : record.fields) {
    if (cell.size() >= 2 && cell[0] == '\'' && std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos) {
      cell.erase(0, 1);
    }
  }
  return record;
}


bool LooksLikeCsv(std::string_view head) {
  std::string_view last_comment;
  while (!head.empty()) {
    size_t eol = head.find('\n');
    std::string_view line = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 1);
    std::string_view trimmed = Trim(line);
    if (trimmed.starts_with("\xEF\xBB\xBF")) trimmed.remove_prefix(3);
    if (trimmed.empty()) continue;
    if (trimmed.front() == '#') {
      last_comment = CommentText(trimmed);
      continue;
    }
    CsvStart start = FindCsvHeader(trimmed, last_comment);
    // One bare column name is a list's first value more likely than a header.
    return start.header && (start.header->names.size() >= 2 || start.first_line_is_record);
  }
  return false;
}

Status ReadCsv(InputStream& in, const TextReadOptions& options, RecordSink& sink) {
  LineReader lines(in);
  std::string_view line;
  // Header: the first line that is not blank or a '#' comment (or the
  // comment before it: FindCsvHeader).
  std::string first_line, last_comment;
  uint64_t first_line_number = 0;
  std::string utf8;
  while (lines.Next(line)) {
    line = AsUtf8(line, utf8);
    std::string_view trimmed = Trim(line);
    if (lines.line_number() == 1 && trimmed.starts_with("\xEF\xBB\xBF")) trimmed.remove_prefix(3);
    if (trimmed.empty()) continue;
    if (trimmed.front() == '#') {
      last_comment = std::string(CommentText(trimmed));
      continue;
    }
    first_line = std::string(trimmed);
    first_line_number = lines.line_number();
    break;
  }
  RETURN_IF_ERROR(lines.status());
  if (first_line.empty()) return Status::Ok();  // an empty file holds nothing
  CsvStart start = FindCsvHeader(first_line, last_comment);
  if (!start.header) {
    // A file without a header (Bambenek's C2 feeds: "192.0.2.1,IP used by
    // banjori C&C,..."): its first line is a record, and saying its header
    // names no value column would send the reader looking in the wrong place.
    const char delimiter = SniffDelimiter(first_line);
    const std::vector<std::string> cells = SplitCsvLine(first_line, delimiter).fields;
    for (size_t i = 0; i < cells.size(); ++i) {
      // Not a name: dotted column names ("source.ip") read as domains.
      auto detected = DetectAndNormalize(Trim(cells[i]));
      if (Trim(cells[i]).empty() || !detected.ok() || detected->type == ObservableType::kDomain) continue;
      // A header that fits: "value" over this column, the next one the
      // comment, the others named but ignored.
      std::string example;
      for (size_t col = 0; col < cells.size(); ++col) {
        if (col > 0) example.push_back(delimiter);
        example += col == i ? "value" : col == i + 1 ? "comment" : fmt::format("column{}", col + 1);
      }
      return Status::Invalid(fmt::format(
          "{}:{}: the file has no header: column {} of its first line holds the value '{}', not a column "
          "name. Add a first line that names its {}, such as '{}'",
          options.source_name, first_line_number, i + 1, Trim(cells[i]),
          cells.size() == 1 ? "column" : fmt::format("{} columns", cells.size()), example));
    }
    return Status::Invalid(fmt::format(
        "{}:{}: the header names no value column (expected 'value', or a type such as 'ip', "
        "'domain', 'url', 'sha256')",
        options.source_name, first_line_number));
  }
  const CsvHeader& header = *start.header;
  const char delimiter = header.delimiter;
  const std::vector<ColumnSpec>& columns = header.columns;

  RowImporter rows(options, sink);

  std::string pending;  // a record whose quoted field spans lines
  uint64_t record_line = 0;
  bool pending_is_ready = false;  // the first line is a record, already read
  if (start.first_line_is_record) {
    pending = first_line;
    record_line = first_line_number;
    pending_is_ready = true;
  }
  while (pending_is_ready || lines.Next(line)) {
    if (!pending_is_ready && pending.empty()) {
      if (std::string why = BrokenUtf8(line); !why.empty()) {
        sink.OnReject({fmt::format("{}:{}", options.source_name, lines.line_number()), "", why});
        continue;
      }
    }
    if (!pending_is_ready) line = AsUtf8(line, utf8);
    if (pending_is_ready) {
      pending_is_ready = false;
    } else if (pending.empty()) {
      const std::string_view trimmed = Trim(line);
      if (trimmed.empty() || trimmed.front() == '#') continue;  // dumps end with "# N entries"
      record_line = lines.line_number();
      pending.assign(line);
    } else {
      pending.push_back('\n');
      pending.append(line);
    }
    CsvRecord record = SplitCsvLine(pending, delimiter);
    if (!record.complete) {
      if (pending.size() > (1 << 20)) {
        return Status::Invalid(fmt::format("{}:{}: unterminated quoted field",
                                           options.source_name, record_line));
      }
      continue;
    }
    pending.clear();
    const std::string location = fmt::format("{}:{}", options.source_name, record_line);
    if (record.fields.size() != columns.size()) {
      sink.OnReject({location, "",
                     fmt::format("{} fields where the header has {}", record.fields.size(),
                                 columns.size())});
      continue;
    }
    if (record.text_after_quote != 0) {
      sink.OnReject({location, record.fields[record.text_after_quote - 1],
                     fmt::format("field {} ({}) has text after its closing quote", record.text_after_quote,
                                 header.names[record.text_after_quote - 1])});
      continue;
    }
    RETURN_IF_ERROR(rows.Row(columns, header.names, record.fields, header.has_event_column, location));
  }
  RETURN_IF_ERROR(lines.status());
  if (!pending.empty()) {
    return Status::Invalid(
        fmt::format("{}:{}: unterminated quoted field", options.source_name, record_line));
  }
  return Status::Ok();
}

namespace {

// A hosts file ("0.0.0.0 evil.example") blocks the names after the address.
bool IsHostsSinkAddress(std::string_view token) {
  return token == "0.0.0.0" || token == "127.0.0.1" || token == "::" || token == "::1";
}
// The names every hosts file carries for the machine itself.
bool IsHostsOwnName(std::string_view name) {
  for (std::string_view own : {"localhost", "localhost.localdomain", "local", "broadcasthost",
                               "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix",
                               "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0"}) {
    if (name == own) return true;
  }
  return false;
}
// A hosts file's lines for the machine itself ("255.255.255.255
// broadcasthost", "fe80::1%lo0 localhost", "ff02::1 ip6-allnodes"): every
// name on them is the machine's own, so they hold no indicator.
bool IsHostsHousekeeping(const std::vector<std::string_view>& tokens) {
  if (tokens.size() < 2) return false;
  for (size_t idx = 1; idx < tokens.size(); ++idx) {
    if (!IsHostsOwnName(tokens[idx])) return false;
  }
  return true;
}

std::vector<std::string_view> SplitWhitespace(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t begin = text.find_first_not_of(" \t", pos);
    if (begin == std::string_view::npos) break;
    size_t end = text.find_first_of(" \t", begin);
    if (end == std::string_view::npos) end = text.size();
    tokens.push_back(text.substr(begin, end - begin));
    pos = end;
  }
  return tokens;
}

}  // namespace

Status ReadList(InputStream& in, const TextReadOptions& options, RecordSink& sink) {
  LineReader lines(in);
  std::string_view line;
  bool announced = false;
  std::string utf8;
  // Tor's exit list (check.torproject.org/exit-addresses): "ExitNode <fingerprint>",
  // then its "Published" and "LastStatus" times, then one "ExitAddress
  // <address> <date> <time>" line for each address it exits from.
  // Tor Metrics' CollecTor archives of it begin with "@type tordnsel 1.0"
  // and a "Downloaded <date> <time>" line, which are no values.
  std::string tor_exit_node;
  bool tor_collector_archive = false;
  while (lines.Next(line)) {
    if (lines.line_number() == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (std::string why = BrokenUtf8(line); !why.empty()) {
      sink.OnReject({fmt::format("{}:{}", options.source_name, lines.line_number()), "", why});
      continue;
    }
    line = AsUtf8(line, utf8);
    // A comment after the value: " # note" or, as Spamhaus DROP writes,
    // "1.10.16.0/20 ; SBL256894". It is kept as the link's comment.
    std::string_view trailing;
    for (size_t pos = 1; pos < line.size(); ++pos) {
      if ((line[pos] == '#' || line[pos] == ';') && (line[pos - 1] == ' ' || line[pos - 1] == '\t')) {
        trailing = Trim(line.substr(pos + 1));
        line = line.substr(0, pos);
        break;
      }
    }
    line = Trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';' || line.starts_with("//")) {
      continue;
    }
    const std::vector<std::string_view> tokens = SplitWhitespace(line);
    std::vector<std::string_view> values;
    std::string comment;
    if (IsHostsHousekeeping(tokens)) continue;
    if (lines.line_number() == 1 && tokens.size() == 3 && tokens[0] == "@type" && tokens[1] == "tordnsel") {
      tor_collector_archive = true;
      continue;
    }
    if (tor_collector_archive && tor_exit_node.empty() && tokens[0] == "Downloaded") continue;
    std::string last_seen;
    if (tokens.size() == 2 && tokens[0] == "ExitNode" && tokens[1].size() == 40 &&
        std::all_of(tokens[1].begin(), tokens[1].end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
      tor_exit_node = tokens[1];
      continue;
    }
    if (!tor_exit_node.empty() && (tokens[0] == "Published" || tokens[0] == "LastStatus")) continue;
    if (!tor_exit_node.empty() && tokens[0] == "ExitAddress" && tokens.size() >= 2) {
      values.push_back(tokens[1]);
      AppendNote(comment, "Tor exit node " + tor_exit_node);
      // When the address was last seen exiting.
      if (tokens.size() >= 4) {
        if (auto seen = NormalizeTimestamp(fmt::format("{} {}", tokens[2], tokens[3])); seen.ok()) last_seen = *seen;
      }
    } else if (tokens.size() >= 2 && IsHostsSinkAddress(tokens[0])) {
      for (size_t idx = 1; idx < tokens.size(); ++idx) {
        if (!IsHostsOwnName(tokens[idx])) values.push_back(tokens[idx]);
      }
    } else {
      // The whole line: words after a value without a comment mark are more
      // likely a line that is no value at all, and its rejection shows it.
      values.push_back(line);
    }
    AppendNote(comment, trailing);
    if (values.empty()) continue;
    if (!announced) {
      EventRecord event;
      event.uuid = options.event_uuid;
      event.legacy_uuid = options.legacy_event_uuid;
      event.title = options.event_title;
      RETURN_IF_ERROR(sink.OnEvent(std::move(event)));
      announced = true;
    }
    for (std::string_view value : values) {
      IndicatorRecord indicator;
      indicator.event_uuid = options.event_uuid;
      indicator.value = std::string(value);
      indicator.context.comment = comment;
      indicator.context.last_seen = last_seen;
      // Blocklists often write a C2 as "address:port"; the address is the
      // indicator and the port is kept as context.
      const std::string refanged = Refang(value);  // "203.0.113[.]9:8080" too
      if (auto split = SplitAddressPort(refanged)) {
        indicator.value = std::string(split->address);
        indicator.type = split->type;
        AppendNote(indicator.context.comment, "port " + std::string(split->port));
      }
      indicator.location = fmt::format("{}:{}", options.source_name, lines.line_number());
      RETURN_IF_ERROR(sink.OnIndicator(std::move(indicator)));
    }
  }
  return lines.status();
}

}  // namespace accord
