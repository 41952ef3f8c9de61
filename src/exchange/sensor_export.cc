// Sensor exports: the live indicators one principal may read, as a Zeek Intel
// framework file or as Suricata datasets with the rules that load them.
//
// Both carry only what a sensor should alert on today: links marked as
// indicator, not past valid_until, whose observable is on no warning list.
// Each value is written once, however many events carry it; the Zeek file
// names the titles of the visible events that carry it (never of the others,
// which would leak what the viewer may not read).
#include "exchange/sensor_export.h"

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "exchange/exchange.h"

namespace accord {
namespace {

// A normalized URL split the way sensors see a request.
struct UrlParts {
  std::string scheme;
  std::string host;        // without port; an IPv6 host keeps its brackets
  std::string host_port;   // as in the URL (a non-default port stays)
  std::string path_query;  // from the first '/', fragment dropped; "/" at least
};

std::optional<UrlParts> SplitUrl(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  UrlParts parts;
  parts.scheme = std::string(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  // Normalized URLs carry no user info, but a value from elsewhere might.
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.empty()) return std::nullopt;
  parts.host_port = std::string(authority);
  if (authority.front() == '[') {
    parts.host = std::string(authority.substr(0, authority.find(']') + 1));
  } else {
    parts.host = std::string(authority.substr(0, authority.find(':')));
  }
  std::string_view path = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  path = path.substr(0, path.find('#'));  // never sent on the wire
  parts.path_query = path.starts_with('/') ? std::string(path) : "/" + std::string(path);
  return parts;
}

}  // namespace

namespace exchange_internal {

Result<LiveIndicators> CollectLiveIndicators(Store& store, const ExportOptions& options,
                                             ExportReport& report) {
  const std::string now = ExportNow(options);
  std::vector<EventSummary> visible;
  RETURN_IF_ERROR(store.ForEachEvent(EventFilter{}, [&](const EventSummary& event) {
    if (!ExportMayShow(options, event.tlp, event.owner_org_id, event.recipient_org_ids)) {
      ++report.withheld;
      return Status::Ok();
    }
    visible.push_back(event);
    return Status::Ok();
  }));
  LiveIndicators live;
  for (const EventSummary& event : visible) {
    bool contributed = false;
    RETURN_IF_ERROR(store.ForEachLink(event.id, [&](const LinkedObservable& link) {
      const IndicatorContext& context = link.context;
      if (!context.is_indicator || !link.warninglist.empty()) return Status::Ok();
      if (!context.valid_until.empty() && context.valid_until <= now) return Status::Ok();
      live[{link.observable.type, link.observable.value}].insert(event.title);
      contributed = true;
      return Status::Ok();
    }));
    if (contributed) ++report.events;
  }
  // A sensor matches the network it is given; the matcher leaves listed
  // addresses under it alone, and so must the sensor.
  RETURN_IF_ERROR(CutListedAddressesOutOfNetworks(store, live).status());
  return live;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  size_t offset = 0;
  for (; offset + 3 <= bytes.size(); offset += 3) {
    const uint32_t group = (static_cast<uint8_t>(bytes[offset]) << 16) |
                           (static_cast<uint8_t>(bytes[offset + 1]) << 8) |
                           static_cast<uint8_t>(bytes[offset + 2]);
    encoded.push_back(kAlphabet[(group >> 18) & 63]);
    encoded.push_back(kAlphabet[(group >> 12) & 63]);
    encoded.push_back(kAlphabet[(group >> 6) & 63]);
    encoded.push_back(kAlphabet[group & 63]);
  }
  const size_t rest = bytes.size() - offset;
  if (rest > 0) {
    uint32_t group = static_cast<uint8_t>(bytes[offset]) << 16;
    if (rest == 2) group |= static_cast<uint8_t>(bytes[offset + 1]) << 8;
    encoded.push_back(kAlphabet[(group >> 18) & 63]);
    encoded.push_back(kAlphabet[(group >> 12) & 63]);
    encoded.push_back(rest == 2 ? kAlphabet[(group >> 6) & 63] : '=');
    encoded.push_back('=');
  }
  return encoded;
}

namespace {

// --- Zeek ------------------------------------------------------------------

std::optional<std::string_view> ZeekType(ObservableType type) {
  switch (type) {
    case ObservableType::kIpv4:
    case ObservableType::kIpv6:
      return "Intel::ADDR";
    case ObservableType::kCidr:
      return "Intel::SUBNET";
    case ObservableType::kDomain:
      return "Intel::DOMAIN";
    case ObservableType::kUrl:
      return "Intel::URL";
    case ObservableType::kEmail:
      return "Intel::EMAIL";
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
      return "Intel::FILE_HASH";
    case ObservableType::kFileName:
      return "Intel::FILE_NAME";
    case ObservableType::kWallet:
      return std::nullopt;
  }
  return std::nullopt;
}

// Zeek's ASCII reader splits on tabs, ends rows at newlines and unescapes
// \xNN, so control characters become spaces and a backslash is escaped.
std::string ZeekField(std::string_view text) {
  std::string field;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      field.push_back(' ');
    } else if (c == '\\') {
      field += "\\x5c";
    } else {
      field.push_back(c);
    }
  }
  const size_t first = field.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return field.substr(first, field.find_last_not_of(' ') - first + 1);
}

// Zeek's Intel::URL is what its HTTP analyzer builds: host[:port]/path,
// without the scheme.
std::optional<std::string> ZeekIndicator(ObservableType type, const std::string& value) {
  std::string indicator = value;
  if (type == ObservableType::kUrl) {
    auto parts = SplitUrl(value);
    if (!parts) return std::nullopt;
    indicator = parts->host_port + parts->path_query;
  }
  // A control character cannot be carried; "-" reads as unset and '#'
  // starts a comment line.
  for (char c : indicator) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
  }
  if (indicator.empty() || indicator == "-" || indicator.starts_with('#')) return std::nullopt;
  return ZeekField(indicator);
}

constexpr size_t kZeekTitlesPerRow = 5;

std::string ZeekDescription(const std::set<std::string>& titles) {
  std::string desc;
  size_t written = 0;
  for (const std::string& title : titles) {
    std::string field = ZeekField(title);
    if (field.empty()) continue;
    if (written == kZeekTitlesPerRow) {
      desc += fmt::format("; and {} more", titles.size() - written);
      break;
    }
    desc += (desc.empty() ? "" : "; ") + field;
    ++written;
  }
  return desc.empty() || desc == "-" ? "-" : desc;
}

}  // namespace

Status WriteZeekIntel(Store& store, const ExportOptions& options, std::ostream& out,
                      ExportReport& report) {
  ASSIGN_OR_RETURN(LiveIndicators live, CollectLiveIndicators(store, options, report));
  // Two values can meet as one row (http:// and https:// of the same URL).
  std::map<std::pair<std::string, std::string_view>, std::set<std::string>> rows;
  for (const auto& [key, titles] : live) {
    auto type = ZeekType(key.first);
    auto indicator = type ? ZeekIndicator(key.first, key.second) : std::nullopt;
    if (!indicator) {
      ++report.skipped;
      continue;
    }
    rows[{*indicator, *type}].insert(titles.begin(), titles.end());
  }
  out << "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n";
  for (const auto& [row, titles] : rows) {
    out << row.first << '\t' << row.second << "\taccord\t" << ZeekDescription(titles) << "\t-\n";
    ++report.indicators;
  }
  return Status::Ok();
}

}  // namespace exchange_internal

// --- Suricata ---------------------------------------------------------------
//
// Layout (README "Sensors"): one list file per kind of value, next to
// accord.rules, which loads them by relative name (datasets `load` relative to
// the rule file; filemd5 & co. fall back to the rule file's directory).
// SIDs 9870000-9979999 are Accord's:
//   9870000-9870002  domains on dns.query, tls.sni, http.host
//   9870004          SHA-1s on tls.cert_fingerprint (lists such as abuse.ch's
//                    SSL Blacklist give C2 certificates by their SHA-1)
//   9870010-9870011  addresses on ip.dst, ip.src
//   9870020-9870049  file hashes (md5, sha1, sha256) per file protocol
//   9870100-9879999  networks (CIDRs), two rules per chunk of addresses
//   9880000-9979999  http:// URLs, one rule each
// A rule is written only when its list has values; every list file is written,
// empty or not, so files of an earlier export never linger with old values.
namespace {

constexpr int64_t kSidDomainDns = 9870000;
constexpr int64_t kSidDomainTls = 9870001;
constexpr int64_t kSidDomainHttp = 9870002;
constexpr int64_t kSidCertificate = 9870004;
constexpr int64_t kSidIpDst = 9870010;
constexpr int64_t kSidIpSrc = 9870011;
constexpr int64_t kSidHashBase = 9870020;  // + 10 * hash kind + protocol index
constexpr int64_t kSidCidrBase = 9870100;  // + 2 * chunk (+1 for "to")
constexpr int64_t kSidLast = 9879999;
constexpr int64_t kSidUrlBase = 9880000;
constexpr int64_t kSidUrlLast = 9979999;
// Networks cannot go into a dataset; they go into rule headers, where an
// address list is matched by Suricata's IP-only engine once per flow.
constexpr size_t kCidrsPerRule = 500;
constexpr std::string_view kClasstype = "bad-unknown";
// The application protocols Suricata 7 extracts files from that rules can name.
constexpr std::array<std::string_view, 4> kFileProtocols = {"http", "smtp", "smb", "ftp-data"};

std::string Rule(std::string_view header, std::string_view msg, std::string_view body,
                 int64_t sid) {
  return fmt::format("alert {} (msg:\"Accord: {}\"; {}{}classtype:{}; sid:{}; rev:1;)\n", header,
                     msg, body, body.empty() ? "" : " ", kClasstype, sid);
}

// Rule text in a msg: quotes, semicolons and backslashes escaped.
std::string MsgText(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == ';' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// A content match's pattern: bytes the rule language gives a meaning to
// (quote, semicolon, backslash, pipe), blanks and anything outside printable
// ASCII as |XX| hex.
std::string ContentText(std::string_view bytes) {
  std::string pattern;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '"' || c == ';' || c == '\\' || c == '|') {
      pattern += fmt::format("|{:02X}|", byte);
    } else {
      pattern += c;
    }
  }
  return pattern;
}

// A path with its %XX escapes decoded, as Suricata's normalized http.uri
// holds it (ContentText writes whatever bytes come out as hex).
std::string PercentDecoded(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string decoded;
  for (size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '%' && at + 2 < text.size() && hex(text[at + 1]) >= 0 && hex(text[at + 2]) >= 0) {
      decoded.push_back(static_cast<char>(hex(text[at + 1]) * 16 + hex(text[at + 2])));
      at += 2;
    } else {
      decoded.push_back(text[at]);
    }
  }
  return decoded;
}

// The buffer holds exactly `bytes`: a content that long at its start.
std::string ExactContent(std::string_view buffer, std::string_view bytes) {
  return fmt::format("{}; content:\"{}\"; bsize:{};", buffer, ContentText(bytes), bytes.size());
}

std::string Dataset(std::string_view name, std::string_view type) {
  return fmt::format("dataset:isset,{},type {},load {}.lst;", name, type, name);
}

std::string Lines(const std::set<std::string>& values) {
  std::string text;
  for (const std::string& value : values) text += value + "\n";
  return text;
}

// tls.cert_fingerprint holds a certificate's SHA-1 as Suricata prints it:
// lower-case hex pairs joined by colons.
std::string ColonPairs(std::string_view hex) {
  std::string pairs;
  for (size_t at = 0; at < hex.size(); at += 2) {
    if (at > 0) pairs += ':';
    pairs.append(hex.substr(at, 2));
  }
  return pairs;
}

}  // namespace

Result<std::vector<ExportFile>> BuildSuricataExport(Store& store, const ExportOptions& options,
                                                    ExportReport* report) {
  ExportReport local;
  ExportReport& counts = report ? *report : local;
  ASSIGN_OR_RETURN(auto live, exchange_internal::CollectLiveIndicators(store, options, counts));
  std::set<std::string> domains, ips, md5, sha1, sha256, certificates;
  std::vector<std::pair<std::string, UrlParts>> urls;  // the URL and its parts, in URL order
  std::vector<std::string> cidrs;
  for (const auto& [key, titles] : live) {
    const auto& [type, value] = key;
    switch (type) {
      case ObservableType::kDomain:
        domains.insert(exchange_internal::Base64Encode(value));
        break;
      case ObservableType::kIpv4:
      case ObservableType::kIpv6:
        ips.insert(value);
        break;
      case ObservableType::kCidr:
        cidrs.push_back(value);
        break;
      case ObservableType::kMd5:
        md5.insert(value);
        break;
      case ObservableType::kSha1:
        // A SHA-1 does not say whether it names a file or a certificate:
        // both rules get it.
        sha1.insert(value);
        certificates.insert(exchange_internal::Base64Encode(ColonPairs(value)));
        break;
      case ObservableType::kSha256:
        sha256.insert(value);
        break;
      case ObservableType::kUrl: {
        // Only cleartext HTTP shows host and path together; see README.
        auto parts = SplitUrl(value);
        if (!parts || parts->scheme != "http") {
          ++counts.skipped;
          continue;
        }
        urls.emplace_back(value, std::move(*parts));
        break;
      }
      case ObservableType::kEmail:
      case ObservableType::kFileName:
      case ObservableType::kWallet:
        ++counts.skipped;
        continue;
    }
    ++counts.indicators;
  }
  const size_t cidr_chunks = (cidrs.size() + kCidrsPerRule - 1) / kCidrsPerRule;
  if (kSidCidrBase + 2 * static_cast<int64_t>(cidr_chunks) - 1 > kSidLast) {
    return Status::ResourceExhausted(
        fmt::format("suricata export: {} networks need more rules than the SID range {}-{} holds",
                    cidrs.size(), kSidCidrBase, kSidLast));
  }
  // URLs past the SID range are left out and counted, not the whole
  // export refused: the domains and addresses still reach the sensor.
  const size_t url_rules = static_cast<size_t>(kSidUrlLast - kSidUrlBase + 1);
  if (urls.size() > url_rules) {
    counts.skipped += static_cast<int64_t>(urls.size() - url_rules);
    counts.indicators -= static_cast<int64_t>(urls.size() - url_rules);
    urls.resize(url_rules);
  }

  std::string rules = fmt::format(
      "# Accord live indicators for Suricata 7, generated {}.\n"
      "# Load with the *.lst files beside this file. SIDs 9870000-9979999 are Accord's.\n",
      exchange_internal::ExportNow(options));
  if (!domains.empty()) {
    const std::string set = Dataset("accord-domains", "string");
    rules += Rule("dns any any -> any any", "DNS query for a listed domain", "dns.query; " + set,
                  kSidDomainDns);
    rules += Rule("tls any any -> any any", "TLS SNI of a listed domain", "tls.sni; " + set,
                  kSidDomainTls);
    rules += Rule("http any any -> any any", "HTTP Host of a listed domain", "http.host; " + set,
                  kSidDomainHttp);
  }
  // A URL is its host and its path together, which two datasets cannot
  // pair (any listed host with any listed path would alert): one rule a
  // URL, exact on both buffers, as MISP's NIDS export writes them. http.host
  // is the Host header's name, lower-cased and without its port; a port
  // the URL names goes into the rule header.
  for (size_t url_idx = 0; url_idx < urls.size(); ++url_idx) {
    const auto& [url, parts] = urls[url_idx];
    std::string_view port = "any";
    if (parts.host_port.size() > parts.host.size() && parts.host_port[parts.host.size()] == ':') {
      port = std::string_view(parts.host_port).substr(parts.host.size() + 1);
    }
    rules += Rule(fmt::format("http any any -> any {}", port), "HTTP request for a listed URL " + MsgText(url),
                  "flow:established,to_server; " + ExactContent("http.host", parts.host) + " " +
                      ExactContent("http.uri", PercentDecoded(parts.path_query)),
                  kSidUrlBase + static_cast<int64_t>(url_idx));
  }
  if (!certificates.empty()) {
    rules += Rule("tls any any -> any any", "TLS certificate with a listed SHA-1",
                  "tls.cert_fingerprint; " + Dataset("accord-cert-sha1", "string"), kSidCertificate);
  }
  if (!ips.empty()) {
    const std::string set = Dataset("accord-ips", "ip");
    rules += Rule("ip any any -> any any", "traffic to a listed IP address",
                  "ip.dst; " + set + " threshold:type limit,track by_dst,count 1,seconds 60;",
                  kSidIpDst);
    rules += Rule("ip any any -> any any", "traffic from a listed IP address",
                  "ip.src; " + set + " threshold:type limit,track by_src,count 1,seconds 60;",
                  kSidIpSrc);
  }
  struct HashList {
    std::string_view keyword, label, file;
    const std::set<std::string>& values;
  };
  const std::array<HashList, 3> hash_lists = {
      {{"filemd5", "MD5", "accord-md5.lst", md5},
       {"filesha1", "SHA-1", "accord-sha1.lst", sha1},
       {"filesha256", "SHA-256", "accord-sha256.lst", sha256}}};
  for (size_t kind_idx = 0; kind_idx < hash_lists.size(); ++kind_idx) {
    const HashList& list = hash_lists[kind_idx];
    if (list.values.empty()) continue;
    for (size_t proto_idx = 0; proto_idx < kFileProtocols.size(); ++proto_idx) {
      const std::string_view proto = kFileProtocols[proto_idx];
      rules += Rule(
          fmt::format("{} any any -> any any", proto),
          fmt::format("file with a listed {} over {}", list.label, proto),
          fmt::format("{}:{};", list.keyword, list.file),
          kSidHashBase + 10 * static_cast<int64_t>(kind_idx) + static_cast<int64_t>(proto_idx));
    }
  }
  for (size_t chunk_idx = 0; chunk_idx < cidr_chunks; ++chunk_idx) {
    const size_t begin = chunk_idx * kCidrsPerRule;
    const size_t end = std::min(cidrs.size(), begin + kCidrsPerRule);
    std::string group = "[";
    for (size_t idx = begin; idx < end; ++idx) group += (idx == begin ? "" : ",") + cidrs[idx];
    group += "]";
    const std::string part = fmt::format("({}/{})", chunk_idx + 1, cidr_chunks);
    const int64_t sid = kSidCidrBase + 2 * static_cast<int64_t>(chunk_idx);
    rules += Rule(fmt::format("ip {} any -> any any", group),
                  "traffic from a listed network " + part, "", sid);
    rules += Rule(fmt::format("ip any any -> {} any", group), "traffic to a listed network " + part,
                  "", sid + 1);
  }

  std::vector<ExportFile> files;
  files.push_back({"accord-domains.lst", Lines(domains)});
  // Lists of URL hosts and paths an older export loaded: written empty, so
  // their old values do not linger in the sensor's directory.
  files.push_back({"accord-url-hosts.lst", ""});
  files.push_back({"accord-url-paths.lst", ""});
  files.push_back({"accord-ips.lst", Lines(ips)});
  files.push_back({"accord-md5.lst", Lines(md5)});
  files.push_back({"accord-sha1.lst", Lines(sha1)});
  files.push_back({"accord-cert-sha1.lst", Lines(certificates)});
  files.push_back({"accord-sha256.lst", Lines(sha256)});
  files.push_back({"accord.rules", std::move(rules)});  // last: it loads the others
  return files;
}

Status ExportToDirectory(Store& store, const ExportOptions& options, const std::string& dir,
                         ExportReport* report) {
  if (options.format == ExportFormat::kMispFeed) return ExportMispFeed(store, options, dir, report);
  if (options.format != ExportFormat::kSuricata) {
    return Status::Invalid("export: only suricata and misp-feed write a directory; give an output file");
  }
  ASSIGN_OR_RETURN(auto files, BuildSuricataExport(store, options, report));
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir)) {
    return Status::IoError(fmt::format("{}: cannot create the output directory", dir));
  }
  // Every file is complete beside its target before any is renamed, so a
  // failure leaves the previous export in place.
  auto remove_partials = [&] {
    for (const ExportFile& file : files)
      fs::remove(fs::path(dir) / (file.name + ".partial"), error);
  };
  for (const ExportFile& file : files) {
    const fs::path partial = fs::path(dir) / (file.name + ".partial");
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << file.content;
    out.close();
    if (!out) {
      remove_partials();
      return Status::IoError(fmt::format("{}: cannot write", partial.string()));
    }
  }
  for (const ExportFile& file : files) {
    const fs::path target = fs::path(dir) / file.name;
    fs::rename(fs::path(dir) / (file.name + ".partial"), target, error);
    if (error) {
      remove_partials();
      return Status::IoError(fmt::format("{}: cannot rename into place", target.string()));
    }
  }
  return Status::Ok();
}

}  // namespace accord
