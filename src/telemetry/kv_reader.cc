// key=value logs: firewalls (FortiGate's `srcip=10.0.0.5 dstip=... hostname="evil.example"`,
// netfilter/UFW's `SRC=... DST=...` kernel lines), logfmt from Go and
// Heroku services, and the many appliances that syslog in this shape.
//
// A line is scanned as free text is (so nothing the text reader found is
// lost, whatever the vendor's keys), and its pairs add what text has not:
// the victim (a source-like key: src, srcip, src_ip, SRC, client...) and the
// time (eventtime, timestamp, ts, time, @timestamp, when it is a full time
// or epoch count). A value equal to the source is the other end's
// business: it gets the destination (dst, dstip, DST...) as its victim, as
// Zeek's conn log gives each end the other, so a connection from a listed
// address warns about the host it reached. FortiGate's web filter logs the
// host and path apart (hostname, url="/path"): the URL is rebuilt from them
// as the Zeek and Suricata readers rebuild it.
#include <algorithm>
#include <array>

#include "core/time.h"
#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-' || c == '@';
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool KeyIs(std::string_view key, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t idx = 0; idx < key.size() && same; ++idx) same = Lower(key[idx]) == name[idx];
    if (same) return true;
  }
  return false;
}

struct Pair {
  std::string_view key;
  std::string_view value;  // without its quotes
};

// Calls on_pair for each key=value or key="value" token of `text`; returns
// how many there were. A token that is no pair (a syslog header, "kernel:",
// "[UFW BLOCK]") is passed over.
template <typename OnPair>
size_t ForEachPair(std::string_view text, OnPair&& on_pair) {
  size_t pairs = 0;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    const size_t key_start = at;
    while (at < text.size() && IsKeyChar(text[at])) ++at;
    if (at > key_start && at < text.size() && text[at] == '=') {
      const std::string_view key = text.substr(key_start, at - key_start);
      ++at;
      std::string_view value;
      if (at < text.size() && text[at] == '"') {
        const size_t value_start = ++at;
        while (at < text.size() && text[at] != '"') at += text[at] == '\\' && at + 1 < text.size() ? 2 : 1;
        value = text.substr(value_start, std::min(at, text.size()) - value_start);
        if (at < text.size()) ++at;  // the closing quote
      } else {
        const size_t value_start = at;
        while (at < text.size() && text[at] != ' ' && text[at] != '\t') ++at;
        value = text.substr(value_start, at - value_start);
      }
      ++pairs;
      on_pair(Pair{key, value});
      continue;
    }
    // Not a pair: skip the rest of the token.
    while (at < text.size() && text[at] != ' ' && text[at] != '\t') ++at;
  }
  return pairs;
}

bool IsSourceKey(std::string_view key) {
  return KeyIs(key, {"src", "srcip", "src_ip", "source", "source_ip", "sourceip", "source.ip", "client",
                     "client_ip", "clientip", "client.ip", "victim", "src_addr", "srcaddr"});
}

bool IsDestinationKey(std::string_view key) {
  return KeyIs(key, {"dst", "dstip", "dst_ip", "dest", "dest_ip", "destip", "destination", "destination_ip",
                     "destination.ip", "dst_addr", "dstaddr", "server_ip"});
}

// A time the matcher can read: an epoch count, or an RFC 3339 time
// (FortiGate's time=22:13:20 alone is neither, and is passed over).
bool IsFullTime(std::string_view value) {
  if (value.empty()) return false;
  if (std::all_of(value.begin(), value.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
    return value.size() >= 9;
  }
  return ParseTimestamp(value).ok();
}

class KvParser final : public LineParser {
 public:
  LineOutcome Parse(const Line& line, Record& record, std::string&) override {
    if (line.text.find_first_not_of(" \t") == std::string_view::npos) return LineOutcome::kSkip;
    record.kind = "kv";
    std::string_view source, destination, host, path, port, service;
    ForEachPair(line.text, [&](const Pair& pair) {
      if (pair.value.empty() || pair.value == "-") return;
      if (source.empty() && IsSourceKey(pair.key)) source = pair.value;
      if (destination.empty() && IsDestinationKey(pair.key)) destination = pair.value;
      if (record.timestamp.empty() && KeyIs(pair.key, {"eventtime", "timestamp", "ts", "time", "@timestamp"}) &&
          IsFullTime(pair.value)) {
        record.timestamp = pair.value;
      }
      if (host.empty() && KeyIs(pair.key, {"hostname", "host"})) host = pair.value;
      if (path.empty() && KeyIs(pair.key, {"url", "uri"}) && pair.value.front() == '/') path = pair.value;
      if (port.empty() && KeyIs(pair.key, {"dstport", "dst_port", "dpt"})) port = pair.value;
      if (service.empty() && KeyIs(pair.key, {"service"})) service = pair.value;
    });
    ScanText(line.text, source, record.candidates);
    if (!host.empty() && !path.empty()) {
      if (port == "443" || KeyIs(service, {"https"})) {
        // Seen by an inspecting firewall: the URL a client asked for is https.
        scratch_.Reset(host.size() + path.size() + 16);
        const std::string_view url = scratch_.Append({"https://", host, path});
        if (!url.empty()) record.candidates.push_back(Candidate{ObservableType::kUrl, url, source});
      } else {
        AppendHttpCandidates(host, destination, path, port, source, scratch_, record.candidates);
      }
    }
    if (!destination.empty()) {
      for (Candidate& candidate : record.candidates) {
        if (candidate.value == source) candidate.victim = destination;
      }
    }
    return LineOutcome::kRecord;
  }

 private:
  Scratch scratch_;
};

}  // namespace

std::unique_ptr<LineParser> MakeKvParser() { return std::make_unique<KvParser>(); }

bool LooksLikeKvLog(std::string_view first_line) {
  size_t sources = 0;
  const size_t pairs = ForEachPair(first_line, [&](const Pair& pair) { sources += IsSourceKey(pair.key) ? 1 : 0; });
  // Several pairs, one of them naming the source: a line of text with a
  // stray a=b stays text.
  return pairs >= 4 && sources > 0;
}

}  // namespace accord::telemetry::internal
