// The table rows shared by the CSV and JSON records readers (table_rows.h).
#include "exchange/table_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/crypto.h"
#include "core/ip.h"
#include "core/time.h"
#include "misp/misp.h"

namespace accord::exchange_internal {
namespace {

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
  if (t == "btc" || t == "xmr" || t == "bitcoinaddress") return ObservableType::kWallet;
  // AlienVault OTX's names.
  if (t == "filehash-md5") return ObservableType::kMd5;
  if (t == "filehash-sha1") return ObservableType::kSha1;
  if (t == "filehash-sha256") return ObservableType::kSha256;
  if (t == "file-name" || t == "file") return ObservableType::kFileName;
  return std::nullopt;
}

// Whether `a` becomes `b` by one insertion, deletion, substitution or swap
// of neighbours ("domian" and "domain").
bool OneEditApart(std::string_view a, std::string_view b) {
  if (a == b) return false;
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t first = 0;
  while (first < a.size() && a[first] == b[first]) ++first;
  if (a.size() < b.size()) return a.substr(first) == b.substr(first + 1);
  if (a.substr(first + 1) == b.substr(first + 1)) return true;  // one substituted
  return first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first] &&
         a.substr(first + 2) == b.substr(first + 2);
}

// A type cell one keystroke from a type Accord reads ("domian", "ipv5") is
// a typo, not a type with nothing to match: refused, so `--strict` fails
// and the value is not lost quietly. Names of three letters are left alone
// ("uri" is OTX's and MISP's, one letter from "url").
std::optional<std::string> TypoOfReadType(std::string_view type_cell) {
  const std::string typed = Lower(Trim(type_cell));
  // MISP's SHA-3 and truncated SHA-512 types are one keystroke from
  // "sha-256" and hold 64 hex digits too: read as SHA-256 they would match
  // wrongly. They are types with nothing to match.
  if (typed.size() < 4 || typed.starts_with("sha3") || typed.starts_with("sha512")) return std::nullopt;
  static constexpr std::string_view kAliases[] = {"ip-dst",    "ip-src",    "ipv4-addr", "ipv6-addr",
                                                  "hostname",  "domain-name", "email-addr", "email-src",
                                                  "email-dst", "sha-1",     "sha-256",   "file-name"};
  for (int type = 1; type <= kObservableTypeCount; ++type) {
    const std::string_view name = TypeName(static_cast<ObservableType>(type));
    if (OneEditApart(typed, name)) return std::string(name);
  }
  for (std::string_view alias : kAliases) {
    if (OneEditApart(typed, alias)) return std::string(alias);
  }
  return std::nullopt;
}

// What feeds write for an empty cell: abuse.ch ThreatFox "None", others
// "null", "n/a" or "-". Never a tag or a family.
bool IsPlaceholder(std::string_view cell) {
  const std::string lower = Lower(Trim(cell));
  return lower.empty() || lower == "none" || lower == "null" || lower == "nil" || lower == "n/a" ||
         lower == "-";
}

std::vector<std::string> SplitTags(std::string_view cell) {
  std::vector<std::string> tags;
  size_t start = 0;
  while (start <= cell.size()) {
    size_t end = cell.find_first_of(";|,", start);
    if (end == std::string_view::npos) end = cell.size();
    auto tag = Trim(cell.substr(start, end - start));
    if (!IsPlaceholder(tag)) tags.emplace_back(tag);
    start = end + 1;
  }
  return tags;
}

// Feeds name roles in their own words; the common ones become Accord's.
std::string RoleOfCell(std::string_view cell) {
  const std::string role = Lower(Trim(cell));
  if (role == "botnet_cc" || role == "c&c" || role == "cc" || role == "botnet_c&c") return "c2";
  if (role == "command_and_control") return "c2";  // OTX
  if (role == "malware_download" || role == "payload_delivery" || role == "malware_hosting") {
    return "payload-delivery";
  }
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

// Older MISP CSV exports write an attribute's date as YYYYMMDD
// ("20170116"); eight digits as epoch seconds would be 1970, so they are
// read as that date. Anything else is returned as it is.
std::string CompactDateSpelledOut(std::string_view cell) {
  cell = Trim(cell);
  if (cell.size() != 8 || !std::all_of(cell.begin(), cell.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::string(cell);
  }
  return fmt::format("{}-{}-{}", cell.substr(0, 4), cell.substr(4, 2), cell.substr(6, 2));
}

// abuse.ch SSLBL's Listingreason ("QuasarRAT C&C", "Cobalt Strike C&C")
// names what the value is: a command-and-control server of that family.
// The family, or empty when the note says no such thing (or names no
// family: "Malware C&C").
std::string FamilyOfCommandAndControlNote(std::string_view note) {
  note = Trim(note);
  constexpr std::string_view kSuffix = " C&C";
  if (!note.ends_with(kSuffix)) return {};
  const std::string_view family = Trim(note.substr(0, note.size() - kSuffix.size()));
  if (family.empty() || family.size() > 64 || family.find_first_of(",;|") != std::string_view::npos) return {};
  const std::string lower = Lower(family);
  for (std::string_view generic : {"malware", "botnet", "unknown", "generic", "c&c", "c2"}) {
    if (lower == generic) return {};
  }
  return std::string(family);
}

}  // namespace

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

void AppendNote(std::string& comment, std::string_view part) {
  if (part.empty()) return;
  // Once: a CSV Accord exported already holds the notes its import made
  // (a family, a date) in its comment, beside the columns that made them.
  const std::string_view text = comment;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find("; ", start);
    if (end == std::string_view::npos) end = text.size();
    if (text.substr(start, end - start) == part) return;
    start = end + 2;
  }
  if (!comment.empty()) comment += "; ";
  comment += part;
}

namespace {

// The strictest level MISP's "tlp:..." tags among `tags` name, if any.
std::optional<Tlp> StrictestTlpTag(const std::vector<std::string>& tags) {
  std::optional<Tlp> strictest;
  for (const std::string& tag : tags) {
    std::optional<Tlp> level = TlpOfMispTag(tag);
    if (level && (!strictest || *level > *strictest)) strictest = level;
  }
  return strictest;
}

// The host of a URL as written ("https://user@Host.example:8080/x" ->
// "host.example"), lower-cased; "" when `url` has no "scheme://".
std::string UrlHostOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.starts_with('[')) {  // "[2001:db8::1]:8080"
    authority = authority.substr(1, authority.find(']') == std::string_view::npos ? std::string_view::npos
                                                                                  : authority.find(']') - 1);
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  return Lower(std::string(authority));
}

}  // namespace

Status RowImporter::Row(const std::vector<ColumnSpec>& columns, const std::vector<std::string>& names,
           const std::vector<std::string>& cells, bool has_event_column, const std::string& location) {
  IndicatorContext context;
  std::string value, type_cell, event_uuid, event_title, event_description, event_date, family, port, date,
      date_note;
  std::optional<Tlp> tlp;
  std::vector<std::string> tags, attribute_tags;
  std::vector<std::pair<ObservableType, std::string>> typed_values;
  std::string bad_cell;
  // A range's ends, and what a range row says beside them: the prefix
  // length in a network column, the network's abuse contact in an e-mail
  // column (DShield's "email": not an indicator). A row is a range when its
  // start is an address; a "start" date (a campaign's) is none, and its
  // row's e-mail and network cells are values as in any other table.
  bool is_range = false;
  for (size_t col = 0; col < columns.size(); ++col) {
    if (columns[col].column == Column::kRangeStart) is_range = ParseIp(Trim(cells[col])).ok();
  }
  std::string range_start, range_end, start_name, end_name, prefix_cell, contact_note;
  for (size_t col = 0; col < columns.size() && bad_cell.empty(); ++col) {
    const std::string& cell = cells[col];
    switch (columns[col].column) {
      case Column::kIgnored: break;
      case Column::kValue: value = cell; break;
      case Column::kType: type_cell = Trim(cell); break;
      case Column::kEventUuid: event_uuid = Lower(cell); break;
      case Column::kEventTitle: event_title = cell; break;
      case Column::kEventDescription: event_description = cell; break;
      case Column::kEventDate:
        // The event's, not the value's: one that does not read is noted.
        if (IsPlaceholder(cell)) break;
        if (auto normalized = NormalizeTimestamp(CompactDateSpelledOut(WithoutZoneName(cell))); normalized.ok()) {
          event_date = *normalized;
        } else {
          AppendNote(date_note, names[col] + " " + std::string(Trim(cell)));
        }
        break;
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
        if (IsPlaceholder(cell)) break;  // URLhaus writes "None" for never
        auto normalized = NormalizeTimestamp(WithoutZoneName(cell));
        if (!normalized.ok() && columns[col].column != Column::kValidUntil) {
          // When a value was seen is context: a date that does not read
          // goes into the comment rather than costing the value. An expiry
          // that does not read still refuses the row: guessing would leave
          // an expired indicator live.
          AppendNote(date_note, names[col] + " " + std::string(Trim(cell)));
          break;
        }
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
      case Column::kDate:
        // Not a column a feed promises to be a time (a MISP CSV export
        // writes epoch seconds; others, words): when it is not one, it is
        // kept in the comment rather than costing the row.
        if (auto normalized = NormalizeTimestamp(CompactDateSpelledOut(WithoutZoneName(cell))); normalized.ok()) {
          date = *normalized;
        } else {
          date_note = "date " + std::string(Trim(cell));
        }
        break;
      case Column::kComment: context.comment = cell; break;
      case Column::kIsIndicator: {
        std::string v = Lower(cell);
        context.is_indicator = !(v == "0" || v == "false" || v == "no");
        break;
      }
      case Column::kTypedValue:
        if (cell.empty()) break;
        if (is_range && *columns[col].type == ObservableType::kCidr && IsPrefixLength(Trim(cell))) {
          prefix_cell = Trim(cell);
        } else if (is_range && *columns[col].type == ObservableType::kEmail) {
          AppendNote(contact_note, "contact " + std::string(Trim(cell)));
        } else if (*columns[col].type == ObservableType::kIpv4 && cell.find(':') != std::string::npos &&
                   cell.find('.') == std::string::npos) {
          // An "ip" column holds both families: "2001:db8::1" is an IPv6
          // address ("192.0.2.1:443" and "[2001:db8::1]:443" are split
          // into an address and its port below).
          typed_values.emplace_back(ObservableType::kIpv6, cell);
        } else {
          typed_values.emplace_back(*columns[col].type, cell);
        }
        break;
      case Column::kRangeStart:
        range_start = Trim(cell);
        start_name = names[col];
        break;
      case Column::kRangeEnd:
        range_end = Trim(cell);
        end_name = names[col];
        break;
      case Column::kFamily:
        if (!IsPlaceholder(cell)) family = Trim(cell);
        break;
      case Column::kAttributeTags: attribute_tags = SplitTags(cell); break;
      case Column::kPort: port = Trim(cell); break;
    }
  }
  // A range row's network leads its values (once: a network column may
  // name it too). One that makes no network costs the row only when the row
  // has nothing else; beside another value it is noted. A "start" that is
  // no address is no range, and is no value either.
  const bool other_value = !value.empty() || !typed_values.empty();
  if (bad_cell.empty() && is_range) {
    auto network = NetworkOfRange(start_name, range_start, end_name, range_end, prefix_cell);
    if (network.ok()) {
      const ObservableType type = network->find('/') != std::string::npos ? ObservableType::kCidr
                                  : network->find(':') != std::string::npos ? ObservableType::kIpv6
                                                                            : ObservableType::kIpv4;
      const bool named_too = std::any_of(typed_values.begin(), typed_values.end(),
                                         [&](const auto& typed) { return Trim(typed.second) == *network; });
      if (!named_too) typed_values.insert(typed_values.begin(), {type, *network});
    } else if (!other_value) {
      bad_cell = network.status().message();
    } else {
      AppendNote(date_note, "no range: " + std::string(network.status().message()));
    }
  } else if (bad_cell.empty() && !range_start.empty() && !other_value) {
    bad_cell = NetworkOfRange(start_name, range_start, end_name, range_end, "").status().message();
  }
  // The row's generic value, by its type cell: Accord's and STIX's names,
  // or MISP's, composite ones included ("ip-dst|port", "domain|ip",
  // "filename|sha256": a MISP CSV export), refined by the value. The file
  // name of a filename|<hash> only describes the file (SplitComposite).
  struct RowValue {
    std::optional<ObservableType> type;
    std::string value;
    bool context_only = false;
    std::string misp_type;  // a MISP type cell's, for the MISP export
    std::string misp_composite_type;  // and the composite it is a part of
    std::string misp_composite_value;
  };
  std::vector<RowValue> values;
  if (bad_cell.empty() && !value.empty()) {
    if (type_cell.empty()) {
      values.push_back({std::nullopt, value});
    } else if (const std::string misp_type = Lower(type_cell); MispTypeToObservable(misp_type)) {
      // The parts' views point into misp_type and value, which outlive them.
      auto parts = SplitComposite(misp_type, value);
      // A name Accord's own CSV uses too (domain, url, md5) says nothing
      // MISP-specific; only MISP's own (ip-src, hostname, email-src) is kept.
      const bool misp_specific = !ParseTypeName(misp_type);
      if (parts.ok()) {
        for (const MispValuePart& part : *parts) {
          values.push_back({part.type, std::string(part.value), part.context_only,
                            misp_specific ? std::string(part.misp_type) : std::string()});
          if (misp_type.find('|') != std::string::npos) {
            values.back().misp_composite_type = misp_type;
            values.back().misp_composite_value = value;
          }
          if (!part.port.empty()) port = std::string(part.port.substr(0, 64));
        }
      } else {
        bad_cell = fmt::format("type '{}': {}", type_cell, parts.status().message());
      }
    } else if (std::optional<ObservableType> type = ParseCsvType(type_cell)) {
      values.push_back({type, value});
    } else if (Lower(type_cell) == "uri" && value.find("://") != std::string::npos) {
      // OTX's and MISP's "URI" is a path ("/gate.php", nothing to match)
      // or, often enough, a whole URL, which is one.
      values.push_back({ObservableType::kUrl, value});
    } else if (std::optional<std::string> meant = TypoOfReadType(type_cell)) {
      bad_cell = fmt::format("type '{}' is no type Accord reads; did you mean '{}'?", type_cell, *meant);
    } else {
      // A type Accord has no observable for (a MISP CSV export's link,
      // text, vulnerability, yara...; OTX's CVE, FilePath) is well-formed
      // input with nothing to match, as the MISP reader counts it, not an
      // error that fails `import --strict`.
      sink_.OnReject({location, value,
                      fmt::format("type '{}' has no observable Accord matches; not matched", type_cell),
                      /*not_matched=*/true});
      return Status::Ok();
    }
  }
  if (!bad_cell.empty()) {
    sink_.OnReject({location, value.empty() ? range_start : value, bad_cell});
    return Status::Ok();
  }
  std::string legacy_event_uuid;
  if (!event_uuid.empty() && !IsUuid(event_uuid)) {
    // Another tool's own event number (a MISP CSV export's event_id): the
    // same number in the same file is the same event, as a uuid would be.
    // Version 4, as the file's event (EventRecord::legacy_uuid says why).
    const bool own_seed = !options_.row_events_uuid.empty();
    const std::string& seed = own_seed ? options_.row_events_uuid : options_.event_uuid;
    const std::string& legacy_seed = own_seed ? options_.row_events_legacy_uuid : options_.legacy_event_uuid;
    const std::string& title_prefix = own_seed ? options_.row_events_title : options_.event_title;
    if (event_title.empty()) event_title = fmt::format("{} event {}", title_prefix, event_uuid);
    const std::string number = ":event:" + event_uuid;
    event_uuid = StableUuidV4(kAccordUuidNamespace, seed + number);
    if (!legacy_seed.empty()) legacy_event_uuid = UuidV5(kAccordUuidNamespace, legacy_seed + number);
  }
  if (event_uuid.empty()) {
    event_uuid = options_.event_uuid;
    legacy_event_uuid = options_.legacy_event_uuid;
  }
  // Tags describe the row's event when rows name events; in a feed dump
  // (one event for the file) they describe the row, so they stay with it.
  if (context.first_seen.empty()) context.first_seen = date;
  const std::string family_in_comment =
      family.empty() && context.role.empty() ? FamilyOfCommandAndControlNote(context.comment) : "";
  if (!family_in_comment.empty()) {
    family = family_in_comment;
    context.role = "c2";
  }
  AppendNote(context.comment, date_note);
  AppendNote(context.comment, contact_note);
  if (family_in_comment.empty()) AppendNote(context.comment, family);
  std::vector<std::string> event_tags;
  if (has_event_column) {
    event_tags = std::move(tags);
  } else {
    attribute_tags.insert(attribute_tags.begin(), tags.begin(), tags.end());
  }
  // MISP's tlp: tags (a MISP CSV export's attribute_tag and event_tag): a
  // row's mark its value, as a MISP attribute's do; an event's, its event
  // when no tlp column states it.
  if (!tlp) tlp = StrictestTlpTag(event_tags);
  std::optional<Tlp> value_tlp = tlp;
  if (std::optional<Tlp> tagged = StrictestTlpTag(attribute_tags); tagged && (!value_tlp || *tagged > *value_tlp)) {
    value_tlp = tagged;
  }
  if (!attribute_tags.empty()) {
    std::string joined;
    for (const auto& tag : attribute_tags) joined += (joined.empty() ? "" : ", ") + tag;
    AppendNote(context.comment, "tags: " + joined);
  }
  RETURN_IF_ERROR(Announce(event_uuid, legacy_event_uuid, event_title, event_description, tlp, event_tags,
                           event_date));
  // Beside another value a row's file name only describes the file
  // (MalwareBazaar: sha256_hash, md5_hash, file_name), as in MISP's
  // filename|sha256; and a host name beside an address is the address's
  // reverse DNS (Feodo Tracker's "hostname"), not the C2's name. Either
  // alone is the indicator.
  auto has_other = [&](auto&& is_other) {
    for (const RowValue& row_value : values) {
      if (row_value.type && is_other(*row_value.type)) return true;
    }
    for (const auto& [type, unused] : typed_values) {
      if (is_other(type)) return true;
    }
    return false;
  };
  const bool beside_other_value = has_other([](ObservableType t) { return t != ObservableType::kFileName; });
  const bool beside_address = has_other(
      [](ObservableType t) { return t == ObservableType::kIpv4 || t == ObservableType::kIpv6; });
  // A "host" column that holds its row's URL's own host (URLhaus's CSVs and
  // API: github.com for a loader on GitHub) says where the URL is, not that
  // the whole host is malicious: the URL is the indicator. A column named
  // for a domain or an address (a feed's "domain", "ip") stays a value.
  std::vector<std::string> url_hosts;
  for (const RowValue& row_value : values) {
    if (row_value.type == ObservableType::kUrl) url_hosts.push_back(UrlHostOf(Refang(row_value.value)));
  }
  for (size_t col = 0; col < columns.size(); ++col) {
    if (columns[col].column == Column::kTypedValue && *columns[col].type == ObservableType::kUrl && !cells[col].empty()) {
      url_hosts.push_back(UrlHostOf(Refang(cells[col])));
    }
  }
  std::vector<std::pair<ObservableType, std::string>> context_values;
  for (size_t col = 0; col < columns.size(); ++col) {
    if (columns[col].column != Column::kTypedValue || cells[col].empty()) continue;
    const bool file_name = *columns[col].type == ObservableType::kFileName && beside_other_value;
    const bool reverse_dns = *columns[col].type == ObservableType::kDomain && Lower(names[col]) == "hostname" &&
                             beside_address;
    std::string host = Lower(Refang(Trim(cells[col])));
    if (host.ends_with('.')) host.pop_back();
    const bool url_host = Lower(names[col]) == "host" &&
                          std::find(url_hosts.begin(), url_hosts.end(), host) != url_hosts.end();
    if (file_name || reverse_dns || url_host) context_values.emplace_back(*columns[col].type, cells[col]);
  }
  for (auto& [type, typed_value] : typed_values) {
    const bool context_only =
        std::find(context_values.begin(), context_values.end(), std::pair{type, typed_value}) != context_values.end();
    values.push_back({type, std::move(typed_value), context_only});
  }
  for (RowValue& row_value : values) {
    IndicatorRecord indicator;
    indicator.event_uuid = event_uuid;
    indicator.type = row_value.type;
    indicator.value = std::move(row_value.value);
    indicator.context = context;
    indicator.family = family;
    indicator.context.family = family;
    indicator.context.is_indicator = context.is_indicator && !row_value.context_only;
    indicator.context.misp_type = std::move(row_value.misp_type);
    indicator.context.misp_composite_type = std::move(row_value.misp_composite_type);
    indicator.context.misp_composite_value = std::move(row_value.misp_composite_value);
    std::string value_port = port;
    // "185.196.8.52:443" (ThreatFox), defanged or not ("203.0.113[.]9:8080").
    const std::string refanged = Refang(indicator.value);
    if (auto split = SplitAddressPort(refanged, Lower(type_cell) == "ip:port")) {
      value_port = std::string(split->port);
      indicator.type = split->type;
      indicator.value = std::string(split->address);
    }
    if (!value_port.empty()) AppendNote(indicator.context.comment, "port " + value_port);
    indicator.location = location;
    indicator.tlp = value_tlp;
    RETURN_IF_ERROR(sink_.OnIndicator(std::move(indicator)));
  }
  return Status::Ok();
}

Status RowImporter::Announce(const std::string& uuid, const std::string& legacy_uuid,
                             const std::string& title, const std::string& description,
                             std::optional<Tlp> tlp, const std::vector<std::string>& tags,
                             const std::string& created) {
  if (!announced_events_.insert(uuid).second) return Status::Ok();
  EventRecord event;
  event.created = created;
  event.uuid = uuid;
  event.legacy_uuid = legacy_uuid;
  event.title = title.empty() ? options_.event_title : title;
  event.description = description;
  event.tlp = tlp;
  event.tags = tags;
  return sink_.OnEvent(std::move(event));
}

}  // namespace accord::exchange_internal
