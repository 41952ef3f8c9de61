// Squid's access.log in its native format (`logformat squid`, the default),
// the forward proxy many organisations log their web traffic through:
//
//   1700000000.123    456 10.0.0.5 TCP_MISS/200 1234 GET http://evil.example/x - HIER_DIRECT/192.0.2.1 text/html
//
// time (epoch seconds.milliseconds), elapsed ms, client, result/status,
// bytes, method, URL, user, hierarchy/server, content type. The client is
// the victim; the URL is looked up with its host, a CONNECT's host:port
// target as a host, and the address Squid reached (after HIER_DIRECT/) as
// an address. The free-text scanner found the same values but no victim or
// time, so alerts could not be routed or dated.
#include <fmt/format.h>

#include <array>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

constexpr size_t kMaxFields = 16;

size_t Fields(std::string_view text, std::array<std::string_view, kMaxFields>& fields) {
  size_t count = 0;
  size_t at = 0;
  while (at < text.size() && count < kMaxFields) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    if (at == text.size()) break;
    const size_t start = at;
    while (at < text.size() && text[at] != ' ' && text[at] != '\t') ++at;
    fields[count++] = text.substr(start, at - start);
  }
  return count;
}

// Squid's %ts.%03tu: seconds, a dot, milliseconds.
bool IsSquidTime(std::string_view field) {
  const size_t dot = field.find('.');
  if (dot == std::string_view::npos || dot < 9 || dot > 11 || field.size() != dot + 4) return false;
  for (size_t idx = 0; idx < field.size(); ++idx) {
    if (idx != dot && (field[idx] < '0' || field[idx] > '9')) return false;
  }
  return true;
}

// TCP_MISS/200, TCP_DENIED/403, NONE_NONE/000.
bool IsResultCode(std::string_view field) {
  const size_t slash = field.find('/');
  if (slash == std::string_view::npos || slash == 0 || field.size() != slash + 4) return false;
  for (size_t idx = 0; idx < slash; ++idx) {
    if (!((field[idx] >= 'A' && field[idx] <= 'Z') || field[idx] == '_')) return false;
  }
  for (size_t idx = slash + 1; idx < field.size(); ++idx) {
    if (field[idx] < '0' || field[idx] > '9') return false;
  }
  return true;
}

class SquidParser final : public LineParser {
 public:
  LineOutcome Parse(const Line& line, Record& record, std::string& reason) override {
    std::array<std::string_view, kMaxFields> fields;
    const size_t count = Fields(line.text, fields);
    if (count == 0) return LineOutcome::kSkip;
    if (count < 7) {
      reason = fmt::format("{} fields, Squid's native format has 10", count);
      return LineOutcome::kMalformed;
    }
    if (!IsSquidTime(fields[0])) {
      reason = fmt::format("the time '{}' is not Squid's seconds.milliseconds", fields[0]);
      return LineOutcome::kMalformed;
    }
    if (!IsResultCode(fields[3])) {
      reason = fmt::format("the fourth field '{}' is not a result code and status (TCP_MISS/200)", fields[3]);
      return LineOutcome::kMalformed;
    }
    record.kind = "http";
    record.timestamp = fields[0];
    const std::string_view client = fields[2];
    const std::string_view method = fields[5];
    const std::string_view url = fields[6];
    if (method == "CONNECT") {
      AppendHostCandidate(url, client, record.candidates);
    } else if (url.find("://") != std::string_view::npos) {
      AppendByRole(Role::kUrl, url, record.candidates);
    }
    // Where Squid went: HIER_DIRECT/192.0.2.1 (a parent's name, or "-",
    // when it asked another proxy or nothing).
    if (count >= 9) {
      const std::string_view hierarchy = fields[8];
      const size_t slash = hierarchy.find('/');
      const std::string_view server = slash == std::string_view::npos ? std::string_view{} : hierarchy.substr(slash + 1);
      if (IsIpv4(server) || IsIpv6(server)) AppendByRole(Role::kIp, server, record.candidates);
    }
    for (Candidate& candidate : record.candidates) candidate.victim = client;
    record.views_last_until_input_wait = true;  // every view is into the line
    return LineOutcome::kRecord;
  }
};

}  // namespace

std::unique_ptr<LineParser> MakeSquidParser() { return std::make_unique<SquidParser>(); }

bool LooksLikeSquidLog(std::string_view first_line) {
  std::array<std::string_view, kMaxFields> fields;
  return Fields(first_line, fields) >= 7 && IsSquidTime(fields[0]) && IsResultCode(fields[3]);
}

}  // namespace accord::telemetry::internal
