#include "exchange/text_readers.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_set>

#include "core/crypto.h"
#include "core/time.h"

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
  if (is({"value", "indicator", "ioc", "observable", "attribute"})) return {Column::kValue};
  if (is({"type", "indicator_type", "ioc_type"})) return {Column::kType};
  if (is({"event_uuid", "event", "event_id"})) return {Column::kEventUuid};
  if (is({"event_title", "title", "event_info", "info"})) return {Column::kEventTitle};
  if (is({"tlp"})) return {Column::kTlp};
  if (is({"tags", "tag", "labels"})) return {Column::kTags};
  if (is({"role", "category"})) return {Column::kRole};
  if (is({"confidence"})) return {Column::kConfidence};
  if (is({"first_seen", "firstseen", "valid_from"})) return {Column::kFirstSeen};
  if (is({"last_seen", "lastseen"})) return {Column::kLastSeen};
  if (is({"valid_until", "expires", "expiry"})) return {Column::kValidUntil};
  if (is({"comment", "description", "note"})) return {Column::kComment};
  if (is({"is_indicator", "to_ids"})) return {Column::kIsIndicator};
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
  if (t == "ip" || t == "ip-dst" || t == "ip-src" || t == "ipv4-addr") return ObservableType::kIpv4;
  if (t == "ipv6-addr") return ObservableType::kIpv6;
  if (t == "hostname" || t == "domain-name" || t == "fqdn") return ObservableType::kDomain;
  if (t == "email-addr" || t == "email-src" || t == "email-dst") return ObservableType::kEmail;
  if (t == "sha-1") return ObservableType::kSha1;
  if (t == "sha-256") return ObservableType::kSha256;
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
    size_t end = cell.find_first_of(";|", start);
    if (end == std::string_view::npos) end = cell.size();
    auto tag = Trim(cell.substr(start, end - start));
    if (!tag.empty()) tags.emplace_back(tag);
    start = end + 1;
  }
  return tags;
}

// "192.0.2.1:8080" -> "8080"; nullopt for anything else.
std::optional<std::string_view> SplitIpv4Port(std::string_view line) {
  size_t colon = line.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= line.size() || colon + 6 < line.size()) {
    return std::nullopt;
  }
  std::string_view host = line.substr(0, colon), port = line.substr(colon + 1);
  if (std::count(host.begin(), host.end(), '.') != 3) return std::nullopt;
  auto digit_or_dot = [](char c) { return (c >= '0' && c <= '9') || c == '.'; };
  if (!std::all_of(host.begin(), host.end(), digit_or_dot)) return std::nullopt;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return port;
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

Status ReadCsv(InputStream& in, const TextReadOptions& options, RecordSink& sink) {
  LineReader lines(in);
  std::string_view line;
  // Header: the first line that is not blank.
  std::string header_line;
  while (lines.Next(line)) {
    if (!Trim(line).empty()) {
      header_line = std::string(line);
      break;
    }
  }
  RETURN_IF_ERROR(lines.status());
  if (header_line.empty()) return Status::Ok();  // an empty file holds nothing
  if (header_line.starts_with("\xEF\xBB\xBF")) header_line.erase(0, 3);  // UTF-8 BOM
  const char delimiter = SniffDelimiter(header_line);
  CsvRecord header = SplitCsvLine(header_line, delimiter);
  std::vector<ColumnSpec> columns;
  bool has_value = false, has_typed = false;
  for (const auto& name : header.fields) {
    columns.push_back(ClassifyHeader(name));
    has_value = has_value || columns.back().column == Column::kValue;
    has_typed = has_typed || columns.back().column == Column::kTypedValue;
  }
  if (!has_value && !has_typed) {
    return Status::Invalid(fmt::format(
        "{}:{}: the header names no value column (expected 'value', or a type such as 'ip', "
        "'domain', 'url', 'sha256')",
        options.source_name, lines.line_number()));
  }

  std::unordered_set<std::string> announced_events;
  auto announce = [&](const std::string& uuid, const std::string& title, std::optional<Tlp> tlp,
                      const std::vector<std::string>& tags) -> Status {
    if (!announced_events.insert(uuid).second) return Status::Ok();
    EventRecord event;
    event.uuid = uuid;
    event.title = title.empty() ? options.event_title : title;
    event.tlp = tlp;
    event.tags = tags;
    return sink.OnEvent(std::move(event));
  };

  std::string pending;  // a record whose quoted field spans lines
  uint64_t record_line = 0;
  while (lines.Next(line)) {
    if (pending.empty()) {
      if (Trim(line).empty()) continue;
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
    IndicatorContext context;
    std::string value, event_uuid, event_title;
    std::optional<ObservableType> type;
    std::optional<Tlp> tlp;
    std::vector<std::string> tags;
    std::vector<std::pair<ObservableType, std::string>> typed_values;
    std::string bad_cell;
    for (size_t col = 0; col < columns.size() && bad_cell.empty(); ++col) {
      const std::string& cell = record.fields[col];
      switch (columns[col].column) {
        case Column::kIgnored: break;
        case Column::kValue: value = cell; break;
        case Column::kType:
          if (!cell.empty()) {
            type = ParseCsvType(cell);
            if (!type) bad_cell = fmt::format("unknown type '{}'", cell);
          }
          break;
        case Column::kEventUuid: event_uuid = Lower(cell); break;
        case Column::kEventTitle: event_title = cell; break;
        case Column::kTlp:
          if (!cell.empty()) {
            tlp = ParseTlp(cell);
            if (!tlp) bad_cell = fmt::format("tlp: unknown level '{}'", cell);
          }
          break;
        case Column::kTags: tags = SplitTags(cell); break;
        case Column::kRole: context.role = cell; break;
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
          auto normalized = NormalizeTimestamp(cell);
          if (!normalized.ok()) {
            bad_cell = fmt::format("{}: {}", header.fields[col], normalized.status().message());
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
      }
    }
    if (!bad_cell.empty()) {
      sink.OnReject({location, value, bad_cell});
      continue;
    }
    if (!event_uuid.empty() && !IsUuid(event_uuid)) {
      sink.OnReject({location, value, fmt::format("event_uuid '{}' is not a UUID", event_uuid)});
      continue;
    }
    if (event_uuid.empty()) event_uuid = options.event_uuid;
    RETURN_IF_ERROR(announce(event_uuid, event_title, tlp, tags));
    if (!value.empty()) typed_values.insert(typed_values.begin(), {ObservableType::kIpv4, value});
    bool first_is_generic = !value.empty();
    for (size_t idx = 0; idx < typed_values.size(); ++idx) {
      IndicatorRecord indicator;
      indicator.event_uuid = event_uuid;
      indicator.type = (idx == 0 && first_is_generic) ? type : typed_values[idx].first;
      indicator.value = typed_values[idx].second;
      indicator.context = context;
      indicator.location = location;
      RETURN_IF_ERROR(sink.OnIndicator(std::move(indicator)));
    }
  }
  RETURN_IF_ERROR(lines.status());
  if (!pending.empty()) {
    return Status::Invalid(
        fmt::format("{}:{}: unterminated quoted field", options.source_name, record_line));
  }
  return Status::Ok();
}

Status ReadList(InputStream& in, const TextReadOptions& options, RecordSink& sink) {
  LineReader lines(in);
  std::string_view line;
  bool announced = false;
  while (lines.Next(line)) {
    if (lines.line_number() == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    size_t comment = line.find(" #");
    if (comment != std::string_view::npos) line = line.substr(0, comment);
    line = Trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';' || line.starts_with("//")) {
      continue;
    }
    if (!announced) {
      EventRecord event;
      event.uuid = options.event_uuid;
      event.title = options.event_title;
      RETURN_IF_ERROR(sink.OnEvent(std::move(event)));
      announced = true;
    }
    IndicatorRecord indicator;
    indicator.event_uuid = options.event_uuid;
    indicator.value = std::string(line);
    // Blocklists often write a C2 as "address:port"; the address is the
    // indicator and the port is kept as context.
    if (auto port = SplitIpv4Port(line)) {
      indicator.value = std::string(line.substr(0, line.size() - port->size() - 1));
      indicator.type = ObservableType::kIpv4;
      indicator.context.comment = "port " + std::string(*port);
    }
    indicator.location = fmt::format("{}:{}", options.source_name, lines.line_number());
    RETURN_IF_ERROR(sink.OnIndicator(std::move(indicator)));
  }
  return lines.status();
}

}  // namespace accord
