#include "exchange/text_readers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <unordered_set>

#include "core/crypto.h"
#include "core/time.h"
#include "misp/misp.h"

namespace accord {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

enum class Column {
  kIgnored, kValue, kType, kEventUuid, kEventTitle, kTlp, kTags, kRole, kConfidence,
  kFirstSeen, kLastSeen, kValidUntil, kComment, kIsIndicator, kTypedValue,
  kFamily, kPort,  // feed dumps: noted in the link's comment
};

struct ColumnSpec {
  Column column = Column::kIgnored;
  std::optional<ObservableType> type;  // for kTypedValue
};

ColumnSpec ClassifyHeader(std::string_view raw) {
  std::string name = Lower(Trim(raw));
  std::replace(name.begin(), name.end(), ' ', '_');
  std::replace(name.begin(), name.end(), '-', '_');
  auto is = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  // Besides Accord's own names, those of the feeds CERTs import daily
  // (abuse.ch URLhaus, ThreatFox, Feodo Tracker and SSLBL dumps).
  if (is({"value", "indicator", "ioc", "observable", "attribute", "ioc_value"})) return {Column::kValue};
  if (is({"type", "indicator_type", "ioc_type"})) return {Column::kType};
  if (is({"event_uuid", "event", "event_id"})) return {Column::kEventUuid};
  if (is({"event_title", "title", "event_info", "info"})) return {Column::kEventTitle};
  if (is({"tlp"})) return {Column::kTlp};
  if (is({"tags", "tag", "labels"})) return {Column::kTags};
  if (is({"role", "category", "threat_type", "threat"})) return {Column::kRole};
  if (is({"confidence", "confidence_level"})) return {Column::kConfidence};
  if (is({"first_seen", "firstseen", "valid_from", "first_seen_utc", "dateadded", "date_added",
          "listingdate"})) {
    return {Column::kFirstSeen};
  }
  if (is({"last_seen", "lastseen", "last_seen_utc", "last_online"})) return {Column::kLastSeen};
  if (is({"valid_until", "expires", "expiry"})) return {Column::kValidUntil};
  if (is({"comment", "description", "note", "listingreason", "reason"})) return {Column::kComment};
  if (is({"is_indicator", "to_ids"})) return {Column::kIsIndicator};
  if (is({"malware", "malware_printable", "malware_family", "family"})) return {Column::kFamily};
  if (is({"port", "dst_port"})) return {Column::kPort};
  if (is({"ip", "ipv4", "ip_address", "ipv4_address", "dst_ip"})) return {Column::kTypedValue, ObservableType::kIpv4};
  if (is({"ipv6"})) return {Column::kTypedValue, ObservableType::kIpv6};
  if (is({"cidr", "network", "netblock"})) return {Column::kTypedValue, ObservableType::kCidr};
  if (is({"domain", "hostname", "host", "fqdn", "domain_name"})) return {Column::kTypedValue, ObservableType::kDomain};
  if (is({"url", "uri_full"})) return {Column::kTypedValue, ObservableType::kUrl};
  if (is({"email", "email_address"})) return {Column::kTypedValue, ObservableType::kEmail};
  if (is({"md5"})) return {Column::kTypedValue, ObservableType::kMd5};
  if (is({"sha1", "sha_1"})) return {Column::kTypedValue, ObservableType::kSha1};
  if (is({"sha256", "sha_256"})) return {Column::kTypedValue, ObservableType::kSha256};
  if (is({"wallet", "btc", "bitcoin"})) return {Column::kTypedValue, ObservableType::kWallet};
  if (is({"filename", "file_name"})) return {Column::kTypedValue, ObservableType::kFileName};
  return {Column::kIgnored};
}

// MISP and STIX spellings of types are accepted in a type column too.
std::optional<ObservableType> ParseCsvType(std::string_view raw) {
  std::string t = Lower(Trim(raw));
  if (auto parsed = ParseTypeName(t)) return parsed;
  if (t == "ip" || t == "ip-dst" || t == "ip-src" || t == "ipv4-addr" || t == "ip:port") {
    return ObservableType::kIpv4;  // "ip:port" (ThreatFox): the port is split off the value
  }
  if (t == "ipv6-addr") return ObservableType::kIpv6;
  if (t == "hostname" || t == "domain-name" || t == "fqdn") return ObservableType::kDomain;
  if (t == "email-addr" || t == "email-src" || t == "email-dst") return ObservableType::kEmail;
  if (t == "md5_hash") return ObservableType::kMd5;
  if (t == "sha-1" || t == "sha1_hash") return ObservableType::kSha1;
  if (t == "sha-256" || t == "sha256_hash") return ObservableType::kSha256;
  if (t == "btc" || t == "xmr") return ObservableType::kWallet;
  if (t == "file-name" || t == "file") return ObservableType::kFileName;
  return std::nullopt;
}

char SniffDelimiter(std::string_view header) {
  size_t commas = std::count(header.begin(), header.end(), ',');
  size_t semis = std::count(header.begin(), header.end(), ';');
  size_t tabs = std::count(header.begin(), header.end(), '\t');
  if (tabs > commas && tabs >= semis) return '\t';
  if (semis > commas) return ';';
  return ',';
}

std::vector<std::string> SplitTags(std::string_view cell) {
  std::vector<std::string> tags;
  size_t start = 0;
  while (start <= cell.size()) {
    size_t end = cell.find_first_of(";|,", start);
    if (end == std::string_view::npos) end = cell.size();
    auto tag = Trim(cell.substr(start, end - start));
    if (!tag.empty()) tags.emplace_back(tag);
    start = end + 1;
  }
  return tags;
}

// An address with its port, as blocklists write a C2: "192.0.2.1:8080" or
// "[2001:db8::1]:443". nullopt for anything else (a name with a port is
// left for detection to judge).
struct AddressAndPort {
  std::string_view address;
  std::string_view port;
  ObservableType type;
};
std::optional<AddressAndPort> SplitAddressPort(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size() || colon + 6 < text.size()) {
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    auto hex_or_colon = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; };
    if (host.find(':') == std::string_view::npos || !std::all_of(host.begin(), host.end(), hex_or_colon)) {
      return std::nullopt;
    }
    return AddressAndPort{host, port, ObservableType::kIpv6};
  }
  if (std::count(host.begin(), host.end(), '.') != 3) return std::nullopt;
  auto digit_or_dot = [](char c) { return (c >= '0' && c <= '9') || c == '.'; };
  if (!std::all_of(host.begin(), host.end(), digit_or_dot)) return std::nullopt;
  return AddressAndPort{host, port, ObservableType::kIpv4};
}

// Feeds name roles in their own words; the common ones become Accord's.
std::string RoleOfCell(std::string_view cell) {
  const std::string role = Lower(Trim(cell));
  if (role == "botnet_cc" || role == "c&c" || role == "cc" || role == "botnet_c&c") return "c2";
  if (role == "malware_download" || role == "payload_delivery") return "payload-delivery";
  // MISP categories ("Network activity") as the MISP reader writes them.
  std::string out = role;
  std::replace(out.begin(), out.end(), ' ', '-');
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

// Feed timestamps sometimes end with their zone's name ("... 00:05:03 UTC").
std::string_view WithoutZoneName(std::string_view cell) {
  cell = Trim(cell);
  for (std::string_view zone : {" UTC", " utc", " GMT", " gmt", " Z"}) {
    if (cell.ends_with(zone)) return cell.substr(0, cell.size() - zone.size());
  }
  return cell;
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
    has_value = has_value || column == Column::kValue || column == Column::kTypedValue;
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
  if (start.header || last_comment.empty()) return start;
  std::optional<CsvHeader> from_comment = ParseCsvHeader(last_comment);
  if (from_comment && from_comment->names.size() >= 2 &&
      SplitCsvLine(first_line, from_comment->delimiter).fields.size() == from_comment->names.size()) {
    start.header = std::move(from_comment);
    start.first_line_is_record = true;
  }
  return start;
}

// Appends `part` to a "; "-separated comment.
void AppendNote(std::string& comment, std::string_view part) {
  if (part.empty()) return;
  if (!comment.empty()) comment += "; ";
  comment += part;
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
    } else {
      field.push_back(c);
    }
  }
  record.complete = !in_quotes;
  record.fields.push_back(field_was_quoted ? field : std::string(Trim(field)));
  return record;
}

// One record of a table (a CSV row, a JSON object) into records: its
// cells by what their columns hold. Events are announced once each.
class RowImporter {
 public:
  RowImporter(const TextReadOptions& options, RecordSink& sink) : options_(options), sink_(sink) {}

  Status Row(const std::vector<ColumnSpec>& columns, const std::vector<std::string>& names,
             const std::vector<std::string>& cells, bool has_event_column, const std::string& location) {
    IndicatorContext context;
    std::string value, type_cell, event_uuid, event_title, family, port;
    std::optional<Tlp> tlp;
    std::vector<std::string> tags;
    std::vector<std::pair<ObservableType, std::string>> typed_values;
    std::string bad_cell;
    for (size_t col = 0; col < columns.size() && bad_cell.empty(); ++col) {
      const std::string& cell = cells[col];
      switch (columns[col].column) {
        case Column::kIgnored: break;
        case Column::kValue: value = cell; break;
        case Column::kType: type_cell = Trim(cell); break;
        case Column::kEventUuid: event_uuid = Lower(cell); break;
        case Column::kEventTitle: event_title = cell; break;
        case Column::kTlp:
          if (!cell.empty()) {
            tlp = ParseTlp(cell);
            if (!tlp) bad_cell = fmt::format("tlp: unknown level '{}'", cell);
          }
          break;
        case Column::kTags: tags = SplitTags(cell); break;
        case Column::kRole: context.role = RoleOfCell(cell); break;
        case Column::kConfidence:
          if (!cell.empty()) {
            int confidence = -1;
            auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), confidence);
            if (ec != std::errc() || ptr != cell.data() + cell.size() || confidence < 0 ||
                confidence > 100) {
              bad_cell = fmt::format("confidence: '{}' is not a number from 0 to 100", cell);
            } else {
              context.confidence = confidence;
            }
          }
          break;
        case Column::kFirstSeen:
        case Column::kLastSeen:
        case Column::kValidUntil: {
          auto normalized = NormalizeTimestamp(WithoutZoneName(cell));
          if (!normalized.ok()) {
            bad_cell = fmt::format("{}: {}", names[col], normalized.status().message());
            break;
          }
          std::string& target = columns[col].column == Column::kFirstSeen  ? context.first_seen
                                : columns[col].column == Column::kLastSeen ? context.last_seen
                                                                           : context.valid_until;
          target = *normalized;
          break;
        }
        case Column::kComment: context.comment = cell; break;
        case Column::kIsIndicator: {
          std::string v = Lower(cell);
          context.is_indicator = !(v == "0" || v == "false" || v == "no");
          break;
        }
        case Column::kTypedValue:
          if (!cell.empty()) typed_values.emplace_back(*columns[col].type, cell);
          break;
        case Column::kFamily: family = Trim(cell); break;
        case Column::kPort: port = Trim(cell); break;
      }
    }
    // The row's generic value, by its type cell: Accord's and STIX's names,
    // or MISP's, composite ones included ("ip-dst|port", "domain|ip",
    // "filename|sha256": a MISP CSV export), refined by the value.
    std::vector<std::pair<std::optional<ObservableType>, std::string>> values;
    if (bad_cell.empty() && !value.empty()) {
      if (type_cell.empty()) {
        values.emplace_back(std::nullopt, value);
      } else if (MispTypeToObservable(Lower(type_cell))) {
        auto parts = SplitComposite(Lower(type_cell), value);
        if (parts.ok()) {
          for (const MispValuePart& part : *parts) values.emplace_back(part.type, std::string(part.value));
        } else {
          bad_cell = fmt::format("type '{}': {}", type_cell, parts.status().message());
        }
      } else if (std::optional<ObservableType> type = ParseCsvType(type_cell)) {
        values.emplace_back(type, value);
      } else {
        bad_cell = fmt::format("unknown type '{}'", type_cell);
      }
    }
    if (!bad_cell.empty()) {
      sink_.OnReject({location, value, bad_cell});
      return Status::Ok();
    }
    if (!event_uuid.empty() && !IsUuid(event_uuid)) {
      // Another tool's own event number (a MISP CSV export's event_id): the
      // same number in the same file is the same event, as a uuid would be.
      if (event_title.empty()) event_title = fmt::format("{} event {}", options_.event_title, event_uuid);
      event_uuid = UuidV5(kAccordUuidNamespace, options_.event_uuid + ":event:" + event_uuid);
    }
    if (event_uuid.empty()) event_uuid = options_.event_uuid;
    // Tags describe the row's event when rows name events; in a feed dump
    // (one event for the file) they describe the row, so they stay with it.
    AppendNote(context.comment, family);
    std::vector<std::string> event_tags;
    if (has_event_column) {
      event_tags = std::move(tags);
    } else if (!tags.empty()) {
      std::string joined;
      for (const auto& tag : tags) joined += (joined.empty() ? "" : ", ") + tag;
      AppendNote(context.comment, "tags: " + joined);
    }
    RETURN_IF_ERROR(Announce(event_uuid, event_title, tlp, event_tags));
    for (auto& [type, typed_value] : typed_values) values.emplace_back(type, std::move(typed_value));
    for (auto& [type, row_value] : values) {
      IndicatorRecord indicator;
      indicator.event_uuid = event_uuid;
      indicator.type = type;
      indicator.value = std::move(row_value);
      indicator.context = context;
      std::string value_port = port;
      if (auto split = SplitAddressPort(indicator.value)) {  // "185.196.8.52:443" (ThreatFox)
        value_port = std::string(split->port);
        indicator.type = split->type;
        indicator.value = std::string(split->address);
      }
      if (!value_port.empty()) AppendNote(indicator.context.comment, "port " + value_port);
      indicator.location = location;
      RETURN_IF_ERROR(sink_.OnIndicator(std::move(indicator)));
    }
    return Status::Ok();
  }

 private:
  Status Announce(const std::string& uuid, const std::string& title, std::optional<Tlp> tlp,
                  const std::vector<std::string>& tags) {
    if (!announced_events_.insert(uuid).second) return Status::Ok();
    EventRecord event;
    event.uuid = uuid;
    event.title = title.empty() ? options_.event_title : title;
    event.tlp = tlp;
    event.tags = tags;
    return sink_.OnEvent(std::move(event));
  }

  const TextReadOptions& options_;
  RecordSink& sink_;
  std::unordered_set<std::string> announced_events_;
};

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
  while (lines.Next(line)) {
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
                               "ip6-localhost", "ip6-loopback", "0.0.0.0"}) {
    if (name == own) return true;
  }
  return false;
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
  while (lines.Next(line)) {
    if (lines.line_number() == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
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
    if (tokens.size() >= 2 && IsHostsSinkAddress(tokens[0])) {
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
      event.title = options.event_title;
      RETURN_IF_ERROR(sink.OnEvent(std::move(event)));
      announced = true;
    }
    for (std::string_view value : values) {
      IndicatorRecord indicator;
      indicator.event_uuid = options.event_uuid;
      indicator.value = std::string(value);
      indicator.context.comment = comment;
      // Blocklists often write a C2 as "address:port"; the address is the
      // indicator and the port is kept as context.
      if (auto split = SplitAddressPort(value)) {
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
