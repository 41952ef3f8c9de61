// Zeek logs, as TSV (with the #separator / #fields header Zeek writes) and as
// JSON lines. Both fill the same ZeekFields and share what each log yields:
//   dns    query -> domain, answers -> addresses and names; victim id.orig_h
//   conn   id.resp_h (victim id.orig_h) and id.orig_h (victim id.resp_h)
//   http   host -> domain (or address, for an IP literal), "http://" host
//          [":" id.resp_p unless 80] uri -> url (a CONNECT's host:port
//          target -> its host; no host: the URL on id.resp_h); victim id.orig_h
//   files  md5, sha1, sha256; victim rx_hosts (the receiver is our side),
//          else id.orig_h (Zeek 5+ files logs name the connection instead)
//   ssl    server_name -> domain (or address), id.resp_h; victim id.orig_h;
//          and id.orig_h (victim id.resp_h), as conn
#include <fmt/format.h>

#include <cstring>

#include "telemetry/json_line.h"
#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {

void ZeekFields::Clear() {
  ts = orig_h = resp_h = resp_p = query = host = uri = server_name = md5 = sha1 = sha256 = is_orig = {};
  answers.clear();
  tx_hosts.clear();
  rx_hosts.clear();
  has_fuid = has_conn_state = has_proto = false;
  has_dns_key = has_ssl_key = has_version = has_cipher = false;
}

bool IsZeekDnsOnlyKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "trans_id", "rcode", "rcode_name", "qtype", "qtype_name", "qclass", "qclass_name",
      "AA",       "TC",    "RD",         "RA",    "TTLs"};
  for (std::string_view known : kKeys) {
    if (key == known) return true;
  }
  return false;
}

bool IsZeekSslOnlyKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "ssl_history", "established", "cert_chain_fps", "cert_chain_fuids",
      "client_cert_chain_fps", "client_cert_chain_fuids", "resumed", "next_protocol"};
  for (std::string_view known : kKeys) {
    if (key == known) return true;
  }
  return false;
}

ZeekLog ZeekLogFromPath(std::string_view path) {
  // A log split by a path_func keeps its name before a suffix
  // ("dns_red", "conn-inbound", "ssl_internal").
  const std::string_view name = path.substr(0, path.find_first_of("_-"));
  if (name == "dns") return ZeekLog::kDns;
  if (name == "conn") return ZeekLog::kConn;
  if (name == "http") return ZeekLog::kHttp;
  if (name == "files") return ZeekLog::kFiles;
  if (name == "ssl") return ZeekLog::kSsl;
  return ZeekLog::kOther;
}

std::string_view ZeekLogName(ZeekLog log) {
  switch (log) {
    case ZeekLog::kDns: return "dns";
    case ZeekLog::kConn: return "conn";
    case ZeekLog::kHttp: return "http";
    case ZeekLog::kFiles: return "files";
    case ZeekLog::kSsl: return "ssl";
    case ZeekLog::kOther: break;
  }
  return {};
}

ZeekLog InferZeekLog(const ZeekFields& fields) {
  if (!fields.query.empty() || fields.has_dns_key) return ZeekLog::kDns;
  if (!fields.server_name.empty() || fields.has_ssl_key ||
      (fields.has_version && fields.has_cipher)) {
    return ZeekLog::kSsl;
  }
  if (!fields.uri.empty() && !fields.host.empty()) return ZeekLog::kHttp;
  if (fields.has_fuid || !fields.sha256.empty() || !fields.md5.empty() || !fields.sha1.empty()) {
    return ZeekLog::kFiles;
  }
  if (fields.has_conn_state || fields.has_proto) return ZeekLog::kConn;
  return ZeekLog::kOther;
}

void AppendZeekCandidates(ZeekLog log, const ZeekFields& f, Scratch& scratch,
                          std::vector<Candidate>& out) {
  auto add = [&](ObservableType type, std::string_view value, std::string_view victim) {
    if (!value.empty()) out.push_back(Candidate{type, value, victim});
  };
  auto add_ip = [&](std::string_view value, std::string_view victim) {
    if (!value.empty()) add(IpType(value), value, victim);
  };
  switch (log) {
    case ZeekLog::kDns:
      add(ObservableType::kDomain, f.query, f.orig_h);
      for (std::string_view answer : f.answers) {
        // Answers mix addresses, CNAME targets and TXT strings.
        auto type = ClassifyValue(answer);
        if (type == ObservableType::kIpv4 || type == ObservableType::kIpv6 ||
            type == ObservableType::kDomain) {
          add(*type, answer, f.orig_h);
        }
      }
      break;
    case ZeekLog::kConn:
      add_ip(f.resp_h, f.orig_h);
      add_ip(f.orig_h, f.resp_h);
      break;
    case ZeekLog::kHttp:
      AppendHttpCandidates(f.host, f.resp_h, f.uri, f.resp_p, f.orig_h, scratch, out);
      break;
    case ZeekLog::kFiles: {
      // The host that received the file: rx_hosts before Zeek 5; since, the
      // responder when the originator sent it (is_orig, an upload or an
      // inbound mail), else the originator (a download).
      std::string_view victim = f.orig_h;
      if (!f.rx_hosts.empty()) {
        victim = f.rx_hosts.front();
      } else if ((f.is_orig == "T" || f.is_orig == "true") && !f.resp_h.empty()) {
        victim = f.resp_h;
      }
      add(ObservableType::kMd5, f.md5, victim);
      add(ObservableType::kSha1, f.sha1, victim);
      add(ObservableType::kSha256, f.sha256, victim);
      break;
    }
    case ZeekLog::kSsl:
      // A server name that is the responder's address is looked up once.
      if (f.server_name != f.resp_h) AppendHostCandidate(f.server_name, f.orig_h, out);
      add_ip(f.resp_h, f.orig_h);
      // A listed client of our own TLS server (a scanner, a C2's callback
      // to a compromised host), as conn reads it.
      add_ip(f.orig_h, f.resp_h);
      break;
    case ZeekLog::kOther:
      break;
  }
}

namespace {

// ---- TSV ------------------------------------------------------------------

enum class Slot : uint8_t {
  kNone, kTs, kOrigH, kRespH, kRespP, kQuery, kAnswers, kHost, kUri, kServerName, kMd5, kSha1,
  kSha256, kTxHosts, kRxHosts, kFuid, kConnState, kProto, kDnsKey, kSslKey, kVersion, kCipher,
  kIsOrig,
};

Slot SlotOfField(std::string_view name) {
  static constexpr std::pair<std::string_view, Slot> kSlots[] = {
      {"ts", Slot::kTs},           {"id.orig_h", Slot::kOrigH},
      {"id.resp_h", Slot::kRespH}, {"id.resp_p", Slot::kRespP},
      {"query", Slot::kQuery},
      {"answers", Slot::kAnswers}, {"host", Slot::kHost},
      {"uri", Slot::kUri},         {"server_name", Slot::kServerName},
      {"md5", Slot::kMd5},         {"sha1", Slot::kSha1},
      {"sha256", Slot::kSha256},   {"tx_hosts", Slot::kTxHosts},
      {"rx_hosts", Slot::kRxHosts}, {"fuid", Slot::kFuid},
      {"conn_state", Slot::kConnState}, {"proto", Slot::kProto},
      {"version", Slot::kVersion}, {"cipher", Slot::kCipher},
      {"is_orig", Slot::kIsOrig},
  };
  for (const auto& [field, slot] : kSlots) {
    if (name == field) return slot;
  }
  if (IsZeekDnsOnlyKey(name)) return Slot::kDnsKey;
  if (IsZeekSslOnlyKey(name)) return Slot::kSslKey;
  return Slot::kNone;
}

// "\x09" -> tab; Zeek writes the separator escaped in its own header line.
std::string UnescapeZeek(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x') {
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int high = hex(text[i + 2]), low = hex(text[i + 3]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 3;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

class ZeekTsvParser final : public LineParser {
 public:
  LineOutcome Parse(const Line& line, Record& record, std::string& reason) override {
    std::string_view text = line.text;
    if (text.empty()) return LineOutcome::kSkip;
    if (text.front() == '#') {
      Header(text);
      return LineOutcome::kSkip;
    }
    if (slots_.empty()) {
      reason = "Zeek log data before its #fields header";
      return LineOutcome::kMalformed;
    }
    // Hot path: one memchr per field, and only the columns we use are
    // looked at (a conn log has 20+ columns; we read 2 or 3).
    fields_.Clear();
    decoded_.Reset(text.size());  // decoding only shortens
    const char* data = text.data();
    const size_t n = text.size();
    size_t field_count = 0;
    size_t pos = 0;
    for (;;) {
      const void* sep = std::memchr(data + pos, separator_, n - pos);
      size_t end = sep == nullptr ? n : static_cast<size_t>(static_cast<const char*>(sep) - data);
      if (field_count < slots_.size() && slots_[field_count] != Slot::kNone) {
        Assign(slots_[field_count], text.substr(pos, end - pos));
      }
      ++field_count;
      if (sep == nullptr) break;
      pos = end + 1;
    }
    if (field_count != slots_.size()) {
      reason = fmt::format("{} fields, header has {}", field_count, slots_.size());
      return LineOutcome::kMalformed;
    }
    // A path named otherwise (a log renamed whole by a filter): its fields say.
    ZeekLog log = path_log_;
    if (log == ZeekLog::kOther) log = InferZeekLog(fields_);
    record.kind = path_.empty() ? ZeekLogName(log) : std::string_view(path_);
    record.timestamp = fields_.ts;
    AppendZeekCandidates(log, fields_, scratch_, record.candidates);
    return LineOutcome::kRecord;
  }

 private:
  void Header(std::string_view text) {
    if (text.starts_with("#separator ")) {
      std::string separator = UnescapeZeek(text.substr(11));
      separator_ = separator.empty() ? '\t' : separator.front();
      return;
    }
    size_t sep = text.find(separator_);
    std::string_view key = text.substr(0, sep);
    std::string_view value = sep == std::string_view::npos ? std::string_view{} : text.substr(sep + 1);
    if (key == "#set_separator") {
      std::string set_separator = UnescapeZeek(value);
      set_separator_ = set_separator.empty() ? ',' : set_separator.front();
    } else if (key == "#empty_field") {
      empty_field_ = UnescapeZeek(value);
    } else if (key == "#unset_field") {
      unset_field_ = UnescapeZeek(value);
    } else if (key == "#path") {
      path_ = std::string(value);
      path_log_ = ZeekLogFromPath(path_);
    } else if (key == "#fields") {
      slots_.clear();
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = value.find(separator_, start);
        if (end == std::string_view::npos) end = value.size();
        slots_.push_back(SlotOfField(value.substr(start, end - start)));
        start = end + 1;
      }
    }
  }

  bool IsUnset(std::string_view value) const {
    return value.empty() || value == unset_field_ || value == empty_field_;
  }

  void SplitSet(std::string_view value, std::vector<std::string_view>& out) const {
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find(set_separator_, start);
      if (end == std::string_view::npos) end = value.size();
      std::string_view item = value.substr(start, end - start);
      if (!IsUnset(item)) out.push_back(item);
      start = end + 1;
    }
  }

  void Assign(Slot slot, std::string_view value) {
    if (IsUnset(value)) return;
    // What a request named, as it named it: "\xHH" escapes decoded (only
    // the names and URLs that are matched; an escape is rare).
    if ((slot == Slot::kQuery || slot == Slot::kHost || slot == Slot::kUri || slot == Slot::kServerName) &&
        value.find('\\') != std::string_view::npos) {
      value = decoded_.UnescapeZeekBytes(value);
    }
    switch (slot) {
      case Slot::kTs: fields_.ts = value; break;
      case Slot::kOrigH: fields_.orig_h = value; break;
      case Slot::kRespH: fields_.resp_h = value; break;
      case Slot::kRespP: fields_.resp_p = value; break;
      case Slot::kQuery: fields_.query = value; break;
      case Slot::kAnswers: SplitSet(value, fields_.answers); break;
      case Slot::kHost: fields_.host = value; break;
      case Slot::kUri: fields_.uri = value; break;
      case Slot::kServerName: fields_.server_name = value; break;
      case Slot::kMd5: fields_.md5 = value; break;
      case Slot::kSha1: fields_.sha1 = value; break;
      case Slot::kSha256: fields_.sha256 = value; break;
      case Slot::kTxHosts: SplitSet(value, fields_.tx_hosts); break;
      case Slot::kRxHosts: SplitSet(value, fields_.rx_hosts); break;
      case Slot::kFuid: fields_.has_fuid = true; break;
      case Slot::kConnState: fields_.has_conn_state = true; break;
      case Slot::kProto: fields_.has_proto = true; break;
      case Slot::kDnsKey: fields_.has_dns_key = true; break;
      case Slot::kSslKey: fields_.has_ssl_key = true; break;
      case Slot::kVersion: fields_.has_version = true; break;
      case Slot::kCipher: fields_.has_cipher = true; break;
      case Slot::kIsOrig: fields_.is_orig = value; break;
      case Slot::kNone: break;
    }
  }

  char separator_ = '\t';
  char set_separator_ = ',';
  std::string empty_field_ = "(empty)";
  std::string unset_field_ = "-";
  std::string path_;
  ZeekLog path_log_ = ZeekLog::kOther;
  std::vector<Slot> slots_;
  ZeekFields fields_;
  Scratch decoded_;  // the fields whose escapes were decoded, for this line
  Scratch scratch_;
};

// ---- JSON -----------------------------------------------------------------

class ZeekJsonParser final : public LineParser {
 public:
  LineOutcome Parse(const Line& line, Record& record, std::string& reason) override {
    ondemand::document doc;
    ondemand::object object;
    LineOutcome start = StartJsonObject(parser_, line, doc, object, reason);
    if (start != LineOutcome::kRecord) return start;
    fields_.Clear();
    std::string_view path;
    for (auto entry : object) {
      ondemand::field field;
      std::string_view key;
      if (auto error = std::move(entry).get(field)) return JsonError(error, reason);
      if (auto error = field.unescaped_key().get(key)) return JsonError(error, reason);
      if (auto error = Field(key, field.value(), path)) return JsonError(error, reason);
    }
    if (LineOutcome end = FinishJsonObject(doc, line, reason); end != LineOutcome::kRecord) {
      return end;
    }
    ZeekLog log = ZeekLogFromPath(path);
    if (log == ZeekLog::kOther) log = InferZeekLog(fields_);
    record.kind = path.empty() ? ZeekLogName(log) : path;
    record.timestamp = fields_.ts;
    AppendZeekCandidates(log, fields_, scratch_, record.candidates);
    return LineOutcome::kRecord;
  }

 private:
  simdjson::error_code Field(std::string_view key, ondemand::value& value, std::string_view& path) {
    if (key == "ts") return ScalarText(value, fields_.ts);
    if (key == "_path") return StringOrEmpty(value, path);
    if (key == "id.orig_h") return StringOrEmpty(value, fields_.orig_h);
    if (key == "id.resp_h") return StringOrEmpty(value, fields_.resp_h);
    if (key == "id.resp_p") return ScalarText(value, fields_.resp_p);
    if (key == "query") return StringOrEmpty(value, fields_.query);
    if (key == "answers") return AppendStrings(value, fields_.answers);
    if (key == "host") return StringOrEmpty(value, fields_.host);
    if (key == "uri") return StringOrEmpty(value, fields_.uri);
    if (key == "server_name") return StringOrEmpty(value, fields_.server_name);
    if (key == "md5") return StringOrEmpty(value, fields_.md5);
    if (key == "sha1") return StringOrEmpty(value, fields_.sha1);
    if (key == "sha256") return StringOrEmpty(value, fields_.sha256);
    if (key == "is_orig") return ScalarText(value, fields_.is_orig);
    if (key == "tx_hosts") return AppendStrings(value, fields_.tx_hosts);
    if (key == "rx_hosts") return AppendStrings(value, fields_.rx_hosts);
    if (key == "id") return NestedId(value);  // some exporters nest the conn id
    // The rest only help guess the log of a line without _path.
    if (key == "fuid") {
      fields_.has_fuid = true;
    } else if (key == "conn_state") {
      fields_.has_conn_state = true;
    } else if (key == "proto") {
      fields_.has_proto = true;
    } else if (key == "version") {
      fields_.has_version = true;
    } else if (key == "cipher") {
      fields_.has_cipher = true;
    } else if (IsZeekDnsOnlyKey(key)) {
      fields_.has_dns_key = true;
    } else if (IsZeekSslOnlyKey(key)) {
      fields_.has_ssl_key = true;
    }
    return SkipChecked(value);
  }

  simdjson::error_code NestedId(ondemand::value& value) {
    return ForEachField(value, [this](std::string_view key, ondemand::value& field_value) {
      if (key == "orig_h") return StringOrEmpty(field_value, fields_.orig_h);
      if (key == "resp_h") return StringOrEmpty(field_value, fields_.resp_h);
      if (key == "resp_p") return ScalarText(field_value, fields_.resp_p);
      return SkipChecked(field_value);
    });
  }

  ondemand::parser parser_;
  ZeekFields fields_;
  Scratch scratch_;
};

}  // namespace

std::unique_ptr<LineParser> MakeZeekTsvParser() { return std::make_unique<ZeekTsvParser>(); }
std::unique_ptr<LineParser> MakeZeekJsonParser() { return std::make_unique<ZeekJsonParser>(); }

}  // namespace accord::telemetry::internal
