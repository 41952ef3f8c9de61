// Suricata eve.json. Each line is walked once, in document order, and the
// fields of the event types we use are kept as views; what they yield is
// decided at the end, since "event_type" need not come before its object.
//   dns       dns.rrname, dns.queries[].rrname (eve v3) -> domain;
//             dns.rdata, dns.answers[].rdata -> addresses and names, or
//             dns.grouped.* when there is no answers array (Suricata 7
//             writes both, the same answers twice); victim: the side
//             whose port is not DNS's (53, or 5353 for mDNS) when one side's
//             is, since which side Suricata calls src_ip in an answer
//             changed across versions and transports (the flow's client
//             before 8.0, except for UDP before 5.0; the reply packet's
//             source from 8.0); else src_ip for a query and dest_ip for a
//             response (v2 "type": "answer", v3 "response")
//   http      http.hostname -> domain (or address, for an IP literal),
//             "http://" hostname [":" http_port, else dest_port, unless
//             80] url -> url (a CONNECT's host:port url -> its host; no
//             hostname: the url on dest_ip);
//             victim src_ip
//   tls       tls.sni -> domain (or address), dest_ip; tls.fingerprint
//             (the server certificate's SHA-1, "4a:a3:...") -> sha1, as
//             abuse.ch's SSL Blacklist and others list C2 certificates;
//             victim src_ip
//   quic      quic.sni, the same way
//   flow, netflow
//             dest_ip (victim src_ip) and src_ip (victim dest_ip)
//   fileinfo  fileinfo.md5, sha1, sha256; victim dest_ip: Suricata logs a
//             file in the direction its bytes travel, so for the usual
//             download the receiver (our host) is dest_ip
//   alert     both addresses, as flow, and the app-layer metadata Suricata
//             adds to it (http, tls with its fingerprint, quic, dns with
//             its v2 "query" array),
//             as the event types above. An alert's src_ip is the packet's
//             source, the server for a rule on a response: the client is
//             flow.src_ip (Suricata 7+), else dest_ip when "direction" is
//             "to_client", else (no direction: before Suricata 7) dest_ip
//             when src_port is the server's (ServerSentIt), else src_ip. An eve.json of alerts alone (a
//             common setup) is matched too.
// Other event types (stats, anomaly...) are records without candidates.
#include <cctype>
#include <charconv>

#include "telemetry/json_line.h"
#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

struct EveFields {
  std::string_view timestamp, event_type, src_ip, dest_ip, src_port, dest_port;
  std::string_view dns_type, http_hostname, http_port, http_url, tls_sni, tls_fingerprint, quic_sni,
      md5, sha1, sha256;
  std::string_view direction, flow_src_ip, flow_dest_ip;  // an alert's
  std::vector<std::string_view> dns_names, dns_answers, dns_grouped;
  bool dns_has_answers = false;  // an "answers" array, even an empty one

  void Clear() {
    timestamp = event_type = src_ip = dest_ip = src_port = dest_port = {};
    dns_type = http_hostname = http_port = http_url = tls_sni = tls_fingerprint = quic_sni = md5 = sha1 =
        sha256 = {};
    direction = flow_src_ip = flow_dest_ip = {};
    dns_names.clear();
    dns_answers.clear();
    dns_grouped.clear();
    dns_has_answers = false;
  }
};

using simdjson::error_code;

// Calls on_element(value) for each element of `value` when it is an array.
template <typename OnElement>
error_code ForEachElement(ondemand::value& value, OnElement on_element) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != ondemand::json_type::array) return SkipChecked(value);
  ondemand::array array;
  if (auto error = value.get_array().get(array)) return error;
  for (auto element : array) {
    ondemand::value item;
    if (auto error = std::move(element).get(item)) return error;
    if (auto error = on_element(item)) return error;
  }
  return simdjson::SUCCESS;
}

class SuricataParser final : public LineParser {
 public:
  LineOutcome Parse(const Line& line, Record& record, std::string& reason) override {
    ondemand::document doc;
    ondemand::object object;
    LineOutcome start = StartJsonObject(parser_, line, doc, object, reason);
    if (start != LineOutcome::kRecord) return start;
    f_.Clear();
    for (auto entry : object) {
      ondemand::field field;
      std::string_view key;
      if (auto error = std::move(entry).get(field)) return JsonError(error, reason);
      if (auto error = field.unescaped_key().get(key)) return JsonError(error, reason);
      if (auto error = TopLevel(key, field.value())) return JsonError(error, reason);
    }
    if (LineOutcome end = FinishJsonObject(doc, line, reason); end != LineOutcome::kRecord) {
      return end;
    }
    if (f_.event_type.empty()) {
      reason = "Suricata event without an event_type";
      return LineOutcome::kMalformed;
    }
    record.kind = f_.event_type;
    record.timestamp = f_.timestamp;
    Emit(record.candidates);
    return LineOutcome::kRecord;
  }

 private:
  error_code TopLevel(std::string_view key, ondemand::value& value) {
    if (key == "timestamp") return ScalarText(value, f_.timestamp);
    if (key == "event_type") return StringOrEmpty(value, f_.event_type);
    if (key == "src_ip") return StringOrEmpty(value, f_.src_ip);
    if (key == "dest_ip") return StringOrEmpty(value, f_.dest_ip);
    if (key == "src_port") return ScalarText(value, f_.src_port);
    if (key == "dest_port") return ScalarText(value, f_.dest_port);
    if (key == "dns") return ForEachField(value, [this](std::string_view k, ondemand::value& v) {
      return Dns(k, v);
    });
    if (key == "http") {
      return ForEachField(value, [this](std::string_view k, ondemand::value& v) {
        if (k == "hostname") return StringOrEmpty(v, f_.http_hostname);
        if (k == "http_port") return ScalarText(v, f_.http_port);
        if (k == "url") return StringOrEmpty(v, f_.http_url);
        return SkipChecked(v);
      });
    }
    if (key == "tls") {
      return ForEachField(value, [this](std::string_view k, ondemand::value& v) {
        if (k == "sni") return StringOrEmpty(v, f_.tls_sni);
        if (k == "fingerprint") return StringOrEmpty(v, f_.tls_fingerprint);
        return SkipChecked(v);
      });
    }
    if (key == "quic") {
      return ForEachField(value, [this](std::string_view k, ondemand::value& v) {
        return k == "sni" ? StringOrEmpty(v, f_.quic_sni) : SkipChecked(v);
      });
    }
    if (key == "direction") return StringOrEmpty(value, f_.direction);
    if (key == "flow") {  // an alert's flow: its addresses in the flow's direction
      return ForEachField(value, [this](std::string_view k, ondemand::value& v) {
        if (k == "src_ip") return StringOrEmpty(v, f_.flow_src_ip);
        if (k == "dest_ip") return StringOrEmpty(v, f_.flow_dest_ip);
        return SkipChecked(v);
      });
    }
    if (key == "fileinfo") {
      return ForEachField(value, [this](std::string_view k, ondemand::value& v) {
        if (k == "md5") return StringOrEmpty(v, f_.md5);
        if (k == "sha1") return StringOrEmpty(v, f_.sha1);
        if (k == "sha256") return StringOrEmpty(v, f_.sha256);
        return SkipChecked(v);
      });
    }
    return SkipChecked(value);
  }

  error_code Dns(std::string_view key, ondemand::value& value) {
    if (key == "type") return StringOrEmpty(value, f_.dns_type);
    if (key == "rrname") return AppendStrings(value, f_.dns_names);
    if (key == "rdata") return AppendStrings(value, f_.dns_answers);
    if (key == "queries" || key == "query") {  // "query": an alert's, eve v2
      return ForEachElement(value, [this](ondemand::value& query) {
        return ForEachField(query, [this](std::string_view k, ondemand::value& v) {
          return k == "rrname" ? AppendStrings(v, f_.dns_names) : SkipChecked(v);
        });
      });
    }
    if (key == "answers") {
      ondemand::json_type type;
      if (auto error = value.type().get(type)) return error;
      f_.dns_has_answers = f_.dns_has_answers || type == ondemand::json_type::array;
      return ForEachElement(value, [this](ondemand::value& answer) {
        return ForEachField(answer, [this](std::string_view k, ondemand::value& v) {
          return k == "rdata" ? AppendStrings(v, f_.dns_answers) : SkipChecked(v);
        });
      });
    }
    if (key == "grouped") {  // {"A": ["192.0.2.1"], "CNAME": ["x.example"]}
      return ForEachField(value, [this](std::string_view, ondemand::value& v) {
        return AppendStrings(v, f_.dns_grouped);
      });
    }
    return SkipChecked(value);
  }

  void Emit(std::vector<Candidate>& out) {
    std::string_view type = f_.event_type;
    if (type == "dns") {
      EmitDns(out);
    } else if (type == "http") {
      EmitHttp(f_.src_ip, f_.dest_ip, out);
    } else if (type == "tls") {
      EmitServerName(f_.tls_sni, f_.dest_ip, f_.src_ip, out);
      Add(ObservableType::kSha1, CertificateSha1(f_.tls_fingerprint), f_.src_ip, out);
    } else if (type == "quic") {
      EmitServerName(f_.quic_sni, f_.dest_ip, f_.src_ip, out);
    } else if (type == "flow" || type == "netflow") {
      EmitAddresses(f_.src_ip, f_.dest_ip, out);
    } else if (type == "fileinfo") {
      Add(ObservableType::kMd5, f_.md5, f_.dest_ip, out);
      Add(ObservableType::kSha1, f_.sha1, f_.dest_ip, out);
      Add(ObservableType::kSha256, f_.sha256, f_.dest_ip, out);
    } else if (type == "alert") {
      std::string_view client = f_.src_ip, server = f_.dest_ip;
      if (!f_.flow_src_ip.empty() && !f_.flow_dest_ip.empty()) {
        client = f_.flow_src_ip;
        server = f_.flow_dest_ip;
      } else if (f_.direction == "to_client" || (f_.direction.empty() && ServerSentIt())) {
        std::swap(client, server);
      }
      EmitAddresses(client, server, out);
      if (!f_.http_hostname.empty() || !f_.http_url.empty()) EmitHttp(client, server, out);
      if (!f_.tls_sni.empty()) AppendHostCandidate(f_.tls_sni, client, out);
      Add(ObservableType::kSha1, CertificateSha1(f_.tls_fingerprint), client, out);
      if (!f_.quic_sni.empty()) AppendHostCandidate(f_.quic_sni, client, out);
      if (!f_.dns_names.empty() || !f_.dns_answers.empty()) EmitDns(out);
    }
  }

  // Suricata before 7 writes neither flow.src_ip nor "direction": an
  // alert on a response then has the server in src_ip. Its port tells:
  // the HTTP port Suricata names, else a well-known port against an
  // ephemeral one (80 -> 47592).
  bool ServerSentIt() const {
    auto number = [](std::string_view text) {
      int value = -1;
      if (text.empty() || std::from_chars(text.data(), text.data() + text.size(), value).ptr != text.data() + text.size()) {
        return -1;
      }
      return value;
    };
    const int src = number(f_.src_port), dest = number(f_.dest_port);
    if (src < 0 || dest < 0 || src == dest) return false;
    if (!f_.http_port.empty() && number(f_.http_port) >= 0) return number(f_.http_port) == src;
    return src < 1024 && dest >= 1024;
  }

  static void Add(ObservableType type, std::string_view value, std::string_view victim,
                  std::vector<Candidate>& out) {
    if (!value.empty()) out.push_back(Candidate{type, value, victim});
  }

  // Suricata writes a certificate's SHA-1 as 20 colon-separated hex pairs;
  // lists give it as 40 hex digits, which is how it is matched. Anything
  // else (another hash, a truncated value) is no candidate. The view is
  // valid until the next line, as the record's are.
  std::string_view CertificateSha1(std::string_view fingerprint) {
    constexpr size_t kPairs = 20;
    if (fingerprint.size() != kPairs * 3 - 1) return {};
    for (size_t pair = 0; pair < kPairs; ++pair) {
      const size_t at = pair * 3;
      if (pair + 1 < kPairs && fingerprint[at + 2] != ':') return {};
      for (size_t half = 0; half < 2; ++half) {
        const auto c = static_cast<unsigned char>(fingerprint[at + half]);
        if (!std::isxdigit(c)) return {};
        fingerprint_sha1_[pair * 2 + half] = static_cast<char>(std::tolower(c));
      }
    }
    return {fingerprint_sha1_, kPairs * 2};
  }

  // Each address, with the other side as the victim.
  static void EmitAddresses(std::string_view client, std::string_view server, std::vector<Candidate>& out) {
    if (!server.empty()) Add(IpType(server), server, client, out);
    if (!client.empty()) Add(IpType(client), client, server, out);
  }

  // A TLS or QUIC server name and the server's address; victim the client.
  static void EmitServerName(std::string_view name, std::string_view server, std::string_view client,
                             std::vector<Candidate>& out) {
    // A server name that is the destination's address is looked up once.
    if (name != server) AppendHostCandidate(name, client, out);
    if (!server.empty()) Add(IpType(server), server, client, out);
  }

  void EmitHttp(std::string_view client, std::string_view server, std::vector<Candidate>& out) {
    // An alert on a response has the server in src_ip and its port in src_port.
    std::string_view server_port = server == f_.src_ip && server != f_.dest_ip ? f_.src_port : f_.dest_port;
    std::string_view port = f_.http_port.empty() ? server_port : f_.http_port;
    AppendHttpCandidates(f_.http_hostname, server, f_.http_url, port, client, scratch_, out);
  }

  void EmitDns(std::vector<Candidate>& out) {
    auto is_dns_port = [](std::string_view port) { return port == "53" || port == "5353"; };
    const bool response = f_.dns_type == "answer" || f_.dns_type == "response";
    std::string_view client = response ? f_.dest_ip : f_.src_ip;
    if (is_dns_port(f_.dest_port) && !is_dns_port(f_.src_port)) {
      client = f_.src_ip;
    } else if (is_dns_port(f_.src_port) && !is_dns_port(f_.dest_port)) {
      client = f_.dest_ip;
    }
    for (std::string_view name : f_.dns_names) Add(ObservableType::kDomain, name, client, out);
    auto add_answers = [&](const std::vector<std::string_view>& answers) {
      for (std::string_view answer : answers) {
        auto answer_type = ClassifyValue(answer);
        if (answer_type == ObservableType::kIpv4 || answer_type == ObservableType::kIpv6 ||
            answer_type == ObservableType::kDomain) {
          Add(*answer_type, answer, client, out);
        }
      }
    };
    add_answers(f_.dns_answers);
    if (!f_.dns_has_answers) add_answers(f_.dns_grouped);
  }

  ondemand::parser parser_;
  EveFields f_;
  Scratch scratch_;
  char fingerprint_sha1_[40] = {};
};

}  // namespace

std::unique_ptr<LineParser> MakeSuricataParser() { return std::make_unique<SuricataParser>(); }

}  // namespace accord::telemetry::internal
