// libFuzzer target: every telemetry reader (and format detection) on
// arbitrary bytes. A reader must neither crash nor hang; malformed records
// are counted, never fatal. The NDJSON reader's hand-written fast path must
// also give, line for line, exactly what its simdjson path gives.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/telemetry.h"
#include "telemetry/telemetry_internal.h"

namespace {

struct DiscardingHandler final : accord::telemetry::RecordHandler {
  accord::Status OnRecord(const accord::telemetry::Record& record) override {
    // Touch every view so ASan sees a dangling one.
    for (const auto& candidate : record.candidates) {
      checksum += candidate.value.size() + candidate.victim.size();
      if (!candidate.value.empty()) checksum += static_cast<unsigned char>(candidate.value.back());
    }
    checksum += record.kind.size() + record.timestamp.size();
    return accord::Status::Ok();
  }
  void OnMalformed(const accord::telemetry::Malformed& malformed) override {
    checksum += malformed.reason.size();
  }
  size_t checksum = 0;
};

// Outcome, reason, time and candidates of one line, as one comparable string.
std::string Describe(accord::telemetry::internal::LineParser& parser, std::string_view text) {
  using accord::telemetry::internal::kLinePadding;
  std::string buffer(text);
  buffer.append(kLinePadding, '"');
  accord::telemetry::internal::Line line;
  line.text = std::string_view(buffer.data(), text.size());
  line.readable = buffer.size();
  line.number = 1;
  accord::telemetry::Record record;
  std::string reason;
  auto outcome = parser.Parse(line, record, reason);
  std::string out = std::to_string(static_cast<int>(outcome)) + "|" + reason + "|" +
                    std::string(record.kind) + "|" + std::string(record.timestamp);
  for (const auto& candidate : record.candidates) {
    out += "|" + std::to_string(static_cast<int>(candidate.type)) + " " +
           std::string(candidate.value) + " " + std::string(candidate.victim);
  }
  return out;
}

void CheckNdjsonFastPath(std::string_view bytes) {
  using accord::telemetry::internal::MakeNdjsonParser;
  using accord::telemetry::internal::NdjsonPath;
  const std::vector<accord::telemetry::FieldMapping> mapping = {
      {"query", "domain"}, {"src", "victim"}, {"ts", "time"}, {"id.orig_h", "ip"},
      {"a.b.c", "auto"},   {"n", "auto"}};
  // With the mapping (the mapped walk) and without (every string scanned).
  for (bool mapped : {true, false}) {
    const std::vector<accord::telemetry::FieldMapping> used =
        mapped ? mapping : std::vector<accord::telemetry::FieldMapping>{};
    auto fast = MakeNdjsonParser(used, NdjsonPath::kFastThenSimdjson);
    auto slow = MakeNdjsonParser(used, NdjsonPath::kSimdjsonOnly);
    if (!fast.ok() || !slow.ok()) std::abort();
    size_t start = 0;
    while (start <= bytes.size()) {
      size_t end = bytes.find('\n', start);
      if (end == std::string_view::npos) end = bytes.size();
      std::string_view text = bytes.substr(start, end - start);
      if (Describe(**fast, text) != Describe(**slow, text)) std::abort();
      start = end + 1;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using accord::telemetry::Format;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  (void)accord::telemetry::DetectFormat(bytes, "fuzz.log");
  (void)accord::telemetry::ParseFieldMapping(bytes.substr(0, 256));
  CheckNdjsonFastPath(bytes);
  for (Format format : {Format::kAuto, Format::kText, Format::kNdjson, Format::kZeekTsv,
                        Format::kZeekJson, Format::kSuricata, Format::kCsv, Format::kWindowsDns,
                          Format::kSquid, Format::kKv}) {
    accord::telemetry::ReaderOptions options;
    options.format = format;
    options.max_line_bytes = 4096;  // reach the over-long line path too
    DiscardingHandler handler;
    accord::telemetry::ReadStats stats;
    if (auto in = accord::OpenInputFromMemory("fuzz.log", bytes); in.ok()) {
      (void)accord::telemetry::ReadTelemetry(**in, options, handler, &stats);
    }
    if (format == Format::kNdjson || format == Format::kCsv) {
      // The mapped paths as well as the unmapped ones.
      options.mapping = {{"dns.rrname", "domain"}, {"src", "victim"}, {"ts", "time"},
                         {"a.b.c", "auto"}, {"domain", "hash"}};
      if (format == Format::kCsv) options.mapping = {{"domain", "auto"}};
      if (auto in = accord::OpenInputFromMemory("fuzz.log", bytes); in.ok()) {
        (void)accord::telemetry::ReadTelemetry(**in, options, handler, &stats);
      }
    }
  }
  return 0;
}
