// Windows DNS Server's debug log (dns.log, "Log packets for debugging"):
// the resolver many public bodies run. A packet line reads
//
//   6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (12)somecomputer(6)domain(3)com(0)
//
// date, time (the server's locale: "2019/08/20 11:48:27" too), thread,
// PACKET, context, UDP/TCP, Snd/Rcv, the remote address, the xid, R for a
// response, the opcode, the flags in brackets, the question type and the
// question name in the wire's length-prefixed labels.
//
// A client's question (Rcv, a query) is a record whose victim is the remote
// address. The answer the server sends back (Snd, R) names the same client
// and name, so it is a record only in a log that holds no client question
// (one filtered to outgoing packets): otherwise each lookup would count
// twice. The server's own recursive questions and the answers it gets
// (Snd Q, Rcv R) name no client, and updates and notifies are no lookups:
// all are skipped, as are the header, the legend, EVENT and Note lines and
// the multi-line packet details. The times are local, without a zone, so
// records carry none: an alert is dated when it is read.
#include <fmt/format.h>

#include <array>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

constexpr size_t kMaxTokens = 32;

// Splits on blanks; false when the line has more tokens than a packet line.
bool Tokens(std::string_view text, std::array<std::string_view, kMaxTokens>& tokens, size_t& count) {
  count = 0;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    if (at == text.size()) break;
    const size_t start = at;
    while (at < text.size() && text[at] != ' ' && text[at] != '\t') ++at;
    if (count == kMaxTokens) return false;
    tokens[count++] = text.substr(start, at - start);
  }
  return true;
}

bool IsHex(std::string_view token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

// (3)www(7)example(3)com(0) -> www.example.com into `out`; false (with
// `why`) when the name is not in that form. "(0)" alone, the root, gives
// an empty name.
bool DecodeName(std::string_view wire, std::string& out, std::string& why) {
  out.clear();
  size_t at = 0;
  for (;;) {
    if (at >= wire.size() || wire[at] != '(') {
      why = "does not continue with a (length)";
      return false;
    }
    size_t length = 0;
    size_t digits = 0;
    for (++at; at < wire.size() && wire[at] >= '0' && wire[at] <= '9' && digits < 3; ++at, ++digits) {
      length = length * 10 + static_cast<size_t>(wire[at] - '0');
    }
    if (digits == 0 || at >= wire.size() || wire[at] != ')' || length > 63) {
      why = "has a label length that is not (0) to (63)";
      return false;
    }
    ++at;
    if (length == 0) break;
    if (wire.size() - at < length) {
      why = "has a label longer than what is left of it";
      return false;
    }
    if (!out.empty()) out.push_back('.');
    out.append(wire.substr(at, length));
    at += length;
  }
  if (at != wire.size()) {
    why = "goes on after its (0)";
    return false;
  }
  return true;
}

class WindowsDnsParser final : public LineParser {
 public:
  LineOutcome Parse(const Line& line, Record& record, std::string& reason) override {
    std::array<std::string_view, kMaxTokens> tokens;
    size_t count = 0;
    // Not a packet line (the header, the legend, EVENT and Note lines, a
    // packet's details): skipped.
    if (!Tokens(line.text, tokens, count) || count < 5) return LineOutcome::kSkip;
    size_t packet = 0;
    // After the date, the time (and AM/PM) and the thread.
    for (size_t idx = 3; idx <= 4; ++idx) {
      if (tokens[idx] == "PACKET" && IsHex(tokens[idx - 1])) packet = idx;
    }
    if (packet == 0) return LineOutcome::kSkip;
    // context, protocol, direction, remote, xid, [R], opcode, [flags...],
    // type, name.
    if (count < packet + 11) {
      reason = fmt::format("a PACKET line has {} fields, fewer than a question's", count);
      return LineOutcome::kMalformed;
    }
    const std::string_view direction = tokens[packet + 3];
    const std::string_view remote = tokens[packet + 4];
    size_t at = packet + 6;
    const bool response = tokens[at] == "R";
    if (response) ++at;
    const std::string_view opcode = tokens[at];
    if (direction != "Rcv" && direction != "Snd") {
      reason = fmt::format("the direction '{}' is neither Snd nor Rcv", direction);
      return LineOutcome::kMalformed;
    }
    if (tokens[count - 3].back() != ']') {
      reason = "the flags are not closed by ']' before the question type and name";
      return LineOutcome::kMalformed;
    }
    const bool client_question = direction == "Rcv" && !response;
    const bool answer_to_client = direction == "Snd" && response;
    if (opcode != "Q" || !(client_question || answer_to_client)) return LineOutcome::kSkip;
    if (client_question) client_questions_logged_ = true;
    if (answer_to_client && client_questions_logged_) return LineOutcome::kSkip;
    std::string why;
    if (!DecodeName(tokens[count - 1], name_, why)) {
      reason = fmt::format("the question name '{}' {}", tokens[count - 1], why);
      return LineOutcome::kMalformed;
    }
    record.kind = "dns";
    if (!name_.empty()) {
      AppendByRole(Role::kDomain, name_, record.candidates);
      for (Candidate& candidate : record.candidates) candidate.victim = remote;
    }
    return LineOutcome::kRecord;
  }

 private:
  std::string name_;  // the decoded question name, alive until the next line
  bool client_questions_logged_ = false;
};

}  // namespace

std::unique_ptr<LineParser> MakeWindowsDnsParser() { return std::make_unique<WindowsDnsParser>(); }

bool LooksLikeWindowsDnsLog(std::string_view first_line) {
  if (first_line.starts_with("DNS Server log file creation at") ||
      first_line.starts_with("Message logging key (for packets")) {
    return true;
  }
  std::array<std::string_view, kMaxTokens> tokens;
  size_t count = 0;
  if (first_line.empty() || first_line[0] < '0' || first_line[0] > '9' ||
      !Tokens(first_line, tokens, count) || count < 5) {
    return false;
  }
  for (size_t idx = 3; idx <= 4; ++idx) {
    if (tokens[idx] == "PACKET" && tokens[idx - 1].size() == 4 && IsHex(tokens[idx - 1])) return true;
  }
  return false;
}

}  // namespace accord::telemetry::internal
