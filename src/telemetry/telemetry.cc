// Format names and detection, field mappings, the line splitter and the
// read loop every format shares.
#include "telemetry/telemetry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <array>
#include <cstring>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry {
namespace {

using internal::Line;
using internal::LineOutcome;
using internal::LineParser;

constexpr std::array<std::pair<Format, std::string_view>, 10> kFormatNames = {{
    {Format::kAuto, "auto"},
    {Format::kText, "text"},
    {Format::kNdjson, "ndjson"},
    {Format::kZeekTsv, "zeek"},
    {Format::kZeekJson, "zeek-json"},
    {Format::kSuricata, "suricata"},
    {Format::kCsv, "csv"},
    {Format::kWindowsDns, "windows-dns"},
    {Format::kSquid, "squid"},
    {Format::kKv, "kv"},
}};

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         EqualsIgnoreCase(text.substr(text.size() - suffix.size()), suffix);
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Column names the CSV reader maps by itself (csv_reader.cc): a first line
// holding one of them is taken for a CSV header.
bool IsKnownCsvColumn(std::string_view name) { return internal::RoleOfFieldName(name).has_value(); }

// Split on the delimiter the CSV reader will sniff from this same line, so a
// tab- or semicolon-separated export is recognised as the reader reads it.
bool LooksLikeCsvHeader(std::string_view line) {
  const char delimiter = internal::SniffCsvDelimiter(line);
  if (line.find(delimiter) == std::string_view::npos) return false;
  size_t start = 0;
  while (start <= line.size()) {
    size_t end = line.find(delimiter, start);
    if (end == std::string_view::npos) end = line.size();
    std::string_view name = TrimSpace(line.substr(start, end - start));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    if (IsKnownCsvColumn(name)) return true;
    start = end + 1;
  }
  return false;
}

Result<std::unique_ptr<LineParser>> MakeParser(Format format,
                                               const std::vector<FieldMapping>& mapping) {
  switch (format) {
    case Format::kNdjson:
      return internal::MakeNdjsonParser(mapping);
    case Format::kZeekTsv:
      return internal::MakeZeekTsvParser();
    case Format::kZeekJson:
      return internal::MakeZeekJsonParser();
    case Format::kSuricata:
      return internal::MakeSuricataParser();
    case Format::kCsv:
      return internal::MakeCsvParser(mapping);
    case Format::kWindowsDns:
      return internal::MakeWindowsDnsParser();
    case Format::kSquid:
      return internal::MakeSquidParser();
    case Format::kKv:
      return internal::MakeKvParser();
    case Format::kAuto:
    case Format::kText:
      break;
  }
  return internal::MakeTextParser();
}

}  // namespace

std::string_view FormatName(Format format) {
  for (const auto& [value, name] : kFormatNames) {
    if (value == format) return name;
  }
  return "auto";
}

std::optional<Format> ParseFormatName(std::string_view name) {
  for (const auto& [value, known] : kFormatNames) {
    if (EqualsIgnoreCase(name, known)) return value;
  }
  if (EqualsIgnoreCase(name, "eve") || EqualsIgnoreCase(name, "eve.json")) return Format::kSuricata;
  if (EqualsIgnoreCase(name, "json") || EqualsIgnoreCase(name, "jsonl")) return Format::kNdjson;
  if (EqualsIgnoreCase(name, "windns")) return Format::kWindowsDns;
  if (EqualsIgnoreCase(name, "logfmt")) return Format::kKv;
  return std::nullopt;
}

namespace {

// What a JSON line's keys say it is.
Format JsonLineFormat(std::string_view line) {
  if (line.find("\"event_type\"") != std::string_view::npos) return Format::kSuricata;
  // "orig_h" also when an exporter nests the connection id ("id":{...});
  // "fuid": files.log before Zeek 5 has no connection id.
  for (std::string_view zeek_key : {"\"orig_h\"", "\"id.orig_h\"", "\"_path\"", "\"fuid\""}) {
    if (line.find(zeek_key) != std::string_view::npos) return Format::kZeekJson;
  }
  return Format::kNdjson;
}

}  // namespace

Format DetectFormat(std::string_view head, std::string_view name) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);  // UTF-8 BOM
  // NULs a copytruncate rotation leaves before the first line.
  while (!head.empty() && head.front() == '\0') head.remove_prefix(1);
  // The first non-blank line decides.
  const std::string_view whole = head;
  std::string_view first;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    first = TrimSpace(head.substr(0, nl));
    head.remove_prefix(nl == std::string_view::npos ? head.size() : nl + 1);
    if (!first.empty()) break;
  }
  if (first.starts_with("#separator") || first.starts_with("#fields")) return Format::kZeekTsv;
  // A shipper's batch ([{...},{...}]) or pretty-printed objects: what
  // their first values' keys say, however the lines fall.
  if (!first.empty()) {
    const std::string_view from_first = whole.substr(static_cast<size_t>(first.data() - whole.data()));
    if (internal::StartsJsonValueStream(from_first)) return JsonLineFormat(internal::FirstJsonValue(from_first));
  }
  if (first.starts_with("{")) return JsonLineFormat(first);
  if (internal::LooksLikeWindowsDnsLog(first)) return Format::kWindowsDns;
  if (internal::LooksLikeSquidLog(first)) return Format::kSquid;
  // A first line cut in half (a log copied while written) does not make a
  // sensor's log free text: the next lines that are Suricata or Zeek JSON say.
  for (int line_idx = 0; line_idx < 4 && !head.empty(); ++line_idx) {
    size_t nl = head.find('\n');
    std::string_view next = TrimSpace(head.substr(0, nl));
    head.remove_prefix(nl == std::string_view::npos ? head.size() : nl + 1);
    if (next.starts_with("{") && JsonLineFormat(next) != Format::kNdjson) return JsonLineFormat(next);
  }
  std::string_view base = name;
  for (std::string_view compressed : {".gz", ".zst", ".zstd", ".xz", ".bz2"}) {
    if (EndsWithIgnoreCase(base, compressed)) {
      base.remove_suffix(compressed.size());
      break;
    }
  }
  if (EndsWithIgnoreCase(base, ".csv") || LooksLikeCsvHeader(first)) return Format::kCsv;
  if (internal::LooksLikeKvLog(first)) return Format::kKv;
  return Format::kText;
}

Result<std::vector<FieldMapping>> ParseFieldMapping(std::string_view spec) {
  std::vector<FieldMapping> mapping;
  if (TrimSpace(spec).empty()) return mapping;
  size_t start = 0;
  int part_number = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view part = TrimSpace(spec.substr(start, comma - start));
    ++part_number;
    start = comma + 1;
    if (part.empty()) {
      return Status::Invalid(fmt::format("field mapping: part {} is empty", part_number));
    }
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return Status::Invalid(
          fmt::format("field mapping: '{}' is not of the form field=role", part));
    }
    std::string_view field = TrimSpace(part.substr(0, eq));
    std::string_view role = TrimSpace(part.substr(eq + 1));
    if (field.empty()) {
      return Status::Invalid(fmt::format("field mapping: '{}' names no field", part));
    }
    if (!internal::ParseRole(role)) {
      return Status::Invalid(fmt::format(
          "field mapping: '{}' has an unknown role '{}' (expected domain, url, ipv4, ipv6, md5, "
          "sha1, sha256, email, ip, hash, auto, victim or time)",
          part, role));
    }
    FieldMapping entry;
    entry.field = std::string(field);
    entry.role = std::string(role);
    std::transform(entry.role.begin(), entry.role.end(), entry.role.begin(), LowerAscii);
    mapping.push_back(std::move(entry));
  }
  return mapping;
}

namespace {

// Whether the first line has a key the mapping names (its first path
// segment, quoted): then the mapping, not Zeek's or Suricata's reader, says
// how to read it. A run over several files reads an eve.json beside the
// mapped log as eve.json.
bool NamesAMappedKey(std::string_view head, const std::vector<FieldMapping>& mapping) {
  const std::string_view first_line = head.substr(0, head.find('\n'));
  for (const FieldMapping& field : mapping) {
    const std::string_view name = std::string_view(field.field).substr(0, field.field.find('.'));
    if (first_line.find("\"" + std::string(name) + "\"") != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

Status ReadTelemetry(InputStream& in, const ReaderOptions& options, RecordHandler& handler,
                     ReadStats* stats) {
  ReadStats local;
  internal::LineSource lines(in, std::max<size_t>(options.max_line_bytes, 1), &handler);
  auto finish = [&](Status status) {
    // Also at the end, on every path, so a handler holding records back
    // never holds one past the stream (its source name, for one, dies with
    // it). The first error is the one returned.
    Status waited = handler.OnInputWait();
    if (status.ok()) status = std::move(waited);
    local.bytes = lines.bytes_read();
    local.input_error = !status.ok() && lines.input_failed();
    if (stats != nullptr) *stats = local;
    return status;
  };
  if (Status primed = lines.Prime(); !primed.ok()) return finish(primed);
  lines.SkipByteOrderMark();
  local.format = options.format == Format::kAuto ? DetectFormat(lines.Buffered(), in.name())
                                                 : options.format;
  // A field mapping says how to read JSON lines: a line that looks like
  // Zeek's or Suricata's JSON (an "event_type", a "_path") is then read
  // through the mapping, not through those readers, which ignore it.
  if (options.format == Format::kAuto && !options.mapping.empty() &&
      (local.format == Format::kZeekJson || local.format == Format::kSuricata) &&
      NamesAMappedKey(lines.Buffered(), options.mapping)) {
    local.format = Format::kNdjson;
  }
  auto parser = MakeParser(local.format, options.mapping);
  if (!parser.ok()) return finish(parser.status().WithContext(in.name()));
  const bool json_values = (local.format == Format::kNdjson || local.format == Format::kZeekJson ||
                            local.format == Format::kSuricata) &&
                           internal::StartsJsonValueStream(lines.Buffered());

  Record record;
  record.source = in.name();
  std::string reason;
  Line line;
  auto report = [&](const Line& at, std::string why) {
    ++local.malformed;
    Malformed malformed;
    malformed.source = in.name();
    malformed.line = at.number;
    malformed.offset = at.offset;
    malformed.reason = std::move(why);
    handler.OnMalformed(malformed);
  };
  while (json_values ? lines.NextJsonValue(line) : lines.Next(line)) {
    if (line.too_long) {
      report(line, fmt::format("{} of {} bytes is longer than the {} byte limit",
                               json_values ? "JSON value" : "line", line.length, options.max_line_bytes));
      continue;
    }
    record.line = line.number;
    record.offset = line.offset;
    record.kind = {};
    record.timestamp = {};
    record.candidates.clear();  // keeps its capacity: no allocation once grown
    record.views_last_until_input_wait = false;
    reason.clear();
    switch ((*parser)->Parse(line, record, reason)) {
      case LineOutcome::kRecord:
        ++local.records;
        if (Status handled = handler.OnRecord(record); !handled.ok()) return finish(handled);
        break;
      case LineOutcome::kSkip:
        break;
      case LineOutcome::kMalformed:
        report(line, reason);
        break;
      case LineOutcome::kFatal:
        return finish(Status::Invalid(fmt::format("{}:{}: {}", in.name(), line.number, reason)));
    }
  }
  return finish(lines.status());
}

namespace internal {

// ---- Roles ------------------------------------------------------------------

namespace {

// A name of up to 24 bytes as three words, lower-cased and zero-padded, so
// the known names compare as integers: the library's tolower and memcmp
// per key were a tenth of matching unmapped DNS NDJSON.
constexpr size_t kPackedNameBytes = 24;
struct PackedName {
  uint64_t words[3] = {0, 0, 0};
  friend constexpr bool operator==(const PackedName&, const PackedName&) = default;
};

constexpr PackedName Pack(std::string_view name) {
  PackedName packed;
  for (size_t i = 0; i < name.size() && i < kPackedNameBytes; ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    packed.words[i / 8] |= static_cast<uint64_t>(static_cast<uint8_t>(c)) << (8 * (i % 8));
  }
  return packed;
}

}  // namespace

// Called for every top-level key of unmapped NDJSON: no allocation.
std::optional<Role> RoleOfFieldName(std::string_view name) {
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  if (name.empty() || name.size() > kPackedNameBytes) return std::nullopt;  // no known name is longer
  // A NUL would pack like the padding: "ts\0" is no "ts".
  if (std::memchr(name.data(), '\0', name.size()) != nullptr) return std::nullopt;
  static constexpr std::pair<PackedName, Role> kNames[] = {
      {Pack("domain"), Role::kDomain}, {Pack("host"), Role::kDomain},   {Pack("hostname"), Role::kDomain},
      {Pack("query"), Role::kDomain},  {Pack("url"), Role::kUrl},       {Pack("ip"), Role::kIp},
      {Pack("dst"), Role::kIp},        {Pack("dst_ip"), Role::kIp},     {Pack("dest_ip"), Role::kIp},
      {Pack("src_ip"), Role::kIp},     {Pack("md5"), Role::kMd5},       {Pack("sha1"), Role::kSha1},
      {Pack("sha256"), Role::kSha256}, {Pack("hash"), Role::kHash},     {Pack("src"), Role::kVictim},
      {Pack("client"), Role::kVictim}, {Pack("victim"), Role::kVictim}, {Pack("ts"), Role::kTime},
      {Pack("time"), Role::kTime},     {Pack("timestamp"), Role::kTime}, {Pack("@timestamp"), Role::kTime},
      // Elastic Common Schema, flattened (Kibana's CSV export, shippers
      // that write dotted keys).
      {Pack("source.ip"), Role::kVictim}, {Pack("client.ip"), Role::kVictim},
      {Pack("destination.ip"), Role::kIp}, {Pack("url.full"), Role::kUrl},
      {Pack("url.domain"), Role::kDomain}, {Pack("file.hash.md5"), Role::kMd5},
      {Pack("file.hash.sha1"), Role::kSha1}, {Pack("file.hash.sha256"), Role::kSha256},
      {Pack("dns.question.name"), Role::kDomain}, {Pack("destination.domain"), Role::kDomain},
      {Pack("server.domain"), Role::kDomain}, {Pack("tls.client.server_name"), Role::kDomain},
      {Pack("url.original"), Role::kUrl},
      // Suricata's eve.json, flattened (a SIEM's CSV export of it).
      {Pack("dns.rrname"), Role::kDomain}, {Pack("http.hostname"), Role::kDomain},
      {Pack("tls.sni"), Role::kDomain},
  };
  const PackedName key = Pack(name);
  for (const auto& [known, role] : kNames) {
    if (known == key) return role;
  }
  return std::nullopt;
}

std::optional<Role> ParseRole(std::string_view name) {
  static constexpr std::pair<std::string_view, Role> kRoles[] = {
      {"domain", Role::kDomain}, {"url", Role::kUrl},       {"ipv4", Role::kIpv4},
      {"ipv6", Role::kIpv6},     {"md5", Role::kMd5},       {"sha1", Role::kSha1},
      {"sha256", Role::kSha256}, {"email", Role::kEmail},   {"ip", Role::kIp},
      {"hash", Role::kHash},     {"auto", Role::kAuto},     {"victim", Role::kVictim},
      {"time", Role::kTime},
  };
  for (const auto& [known, role] : kRoles) {
    if (EqualsIgnoreCase(name, known)) return role;
  }
  return std::nullopt;
}

ObservableType IpType(std::string_view address) {
  return address.find(':') == std::string_view::npos ? ObservableType::kIpv4
                                                     : ObservableType::kIpv6;
}

void AppendByRole(Role role, std::string_view value, std::vector<Candidate>& out) {
  value = TrimSpace(value);
  if (value.empty()) return;
  std::optional<ObservableType> type;
  switch (role) {
    case Role::kDomain:
      // A host field may hold an address (a DNS query for an IP literal, a
      // Host header without a name): it is looked up as one. No top-level
      // domain is numeric, so only a value ending in a digit is checked.
      type = ObservableType::kDomain;
      if (const char last = value.back(); last >= '0' && last <= '9') {
        if (IsIpv4(value)) {
          type = ObservableType::kIpv4;
        } else if (IsIpv6(value)) {
          type = ObservableType::kIpv6;
        }
      }
      break;
    case Role::kUrl: type = ObservableType::kUrl; break;
    case Role::kIpv4: type = ObservableType::kIpv4; break;
    case Role::kIpv6: type = ObservableType::kIpv6; break;
    case Role::kMd5: type = ObservableType::kMd5; break;
    case Role::kSha1: type = ObservableType::kSha1; break;
    case Role::kSha256: type = ObservableType::kSha256; break;
    case Role::kEmail: type = ObservableType::kEmail; break;
    case Role::kIp: type = IpType(value); break;
    case Role::kHash:
      if (value.size() == 32) type = ObservableType::kMd5;
      if (value.size() == 40) type = ObservableType::kSha1;
      if (value.size() == 64) type = ObservableType::kSha256;
      break;
    case Role::kAuto: type = ClassifyValue(value); break;
    case Role::kVictim:
    case Role::kTime:
      break;
  }
  if (!type) return;
  out.push_back(Candidate{*type, value, {}});
  if (*type == ObservableType::kUrl) AppendUrlHostCandidate(value, {}, out);
}

}  // namespace internal
}  // namespace accord::telemetry
