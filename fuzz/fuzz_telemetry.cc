// libFuzzer target: every telemetry reader (and format detection) on
// arbitrary bytes. A reader must neither crash nor hang; malformed records
// are counted, never fatal.
#include <cstddef>
#include <cstdint>
#include <string>

#include "telemetry/telemetry.h"

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using accord::telemetry::Format;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  (void)accord::telemetry::DetectFormat(bytes, "fuzz.log");
  (void)accord::telemetry::ParseFieldMapping(bytes.substr(0, 256));
  for (Format format : {Format::kAuto, Format::kText, Format::kNdjson, Format::kZeekTsv,
                        Format::kZeekJson, Format::kSuricata, Format::kCsv}) {
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
