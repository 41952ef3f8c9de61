// libFuzzer target: the CSV, plain-list and JSON records readers and format detection.
#include <cstddef>
#include <cstdint>
#include <string>

#include "exchange/exchange.h"
#include "exchange/text_readers.h"

namespace {

struct DiscardingSink final : accord::RecordSink {
  accord::Status OnEvent(accord::EventRecord) override { return accord::Status::Ok(); }
  accord::Status OnIndicator(accord::IndicatorRecord) override { return accord::Status::Ok(); }
  accord::Status OnStixObject(accord::StixObjectRecord) override { return accord::Status::Ok(); }
  accord::Status OnSighting(accord::SightingRecord) override { return accord::Status::Ok(); }
  accord::Status OnEventMembers(accord::EventMembers) override { return accord::Status::Ok(); }
  void OnReject(accord::Rejection) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  (void)accord::DetectFormat(bytes, "fuzz.csv");
  (void)accord::DetectFormat(bytes, "fuzz");  // by content: LooksLikeCsv
  accord::TextReadOptions options{"fuzz.csv", "11111111-1111-4111-8111-111111111111", "fuzz"};
  DiscardingSink sink;
  if (auto in = accord::OpenInputFromMemory("fuzz.csv", bytes); in.ok()) {
    (void)accord::ReadCsv(**in, options, sink);
  }
  if (auto in = accord::OpenInputFromMemory("fuzz.txt", bytes); in.ok()) {
    (void)accord::ReadList(**in, options, sink);
  }
  (void)accord::LooksLikeJsonRecords(bytes);
  if (auto in = accord::OpenInputFromMemory("fuzz.json", bytes); in.ok()) {
    (void)accord::ReadJsonRecords(**in, options, sink);
  }
  return 0;
}
