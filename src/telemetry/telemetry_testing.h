// For the telemetry tests: reading bytes through a format and copying what
// the readers report (their views die when OnRecord returns).
#pragma once

#include "telemetry/telemetry.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "telemetry/telemetry_internal.h"
#include "testing/testing.h"


namespace accord::telemetry {


struct SeenCandidate {
  ObservableType type;
  std::string value;
  std::string victim;
  friend bool operator==(const SeenCandidate&, const SeenCandidate&) = default;
};

struct SeenRecord {
  int64_t line = 0;
  int64_t offset = 0;
  std::string kind;
  std::string timestamp;
  std::vector<SeenCandidate> candidates;

  bool Has(ObservableType type, std::string_view value, std::string_view victim = "*") const {
    for (const auto& c : candidates) {
      if (c.type == type && c.value == value && (victim == "*" || c.victim == victim)) return true;
    }
    return false;
  }
};

// Copies what it sees: the record's views die when OnRecord returns.
class Collector final : public RecordHandler {
 public:
  Status OnRecord(const Record& record) override {
    SeenRecord seen{record.line, record.offset, std::string(record.kind),
                    std::string(record.timestamp), {}};
    for (const auto& c : record.candidates) {
      seen.candidates.push_back({c.type, std::string(c.value), std::string(c.victim)});
    }
    records.push_back(std::move(seen));
    if (fail_after > 0 && static_cast<int>(records.size()) >= fail_after) {
      return Status::Internal("handler stops here");
    }
    return Status::Ok();
  }
  void OnMalformed(const Malformed& malformed) override { malformed_records.push_back(malformed); }

  std::vector<SeenRecord> records;
  std::vector<Malformed> malformed_records;
  int fail_after = 0;
};

struct ReadResult {
  Status status;
  ReadStats stats;
  std::vector<SeenRecord> records;
  std::vector<Malformed> malformed;
};

inline ReadResult ReadBytes(const std::string& name, const std::string& bytes, ReaderOptions options = {}) {
  ReadResult result;
  auto in = OpenInputFromMemory(name, bytes);
  EXPECT_TRUE(in.ok()) << in.status().ToString();
  if (!in.ok()) return result;
  Collector collector;
  result.status = ReadTelemetry(**in, options, collector, &result.stats);
  result.records = std::move(collector.records);
  result.malformed = std::move(collector.malformed_records);
  return result;
}

inline ReaderOptions WithFormat(Format format, std::vector<FieldMapping> mapping = {}) {
  ReaderOptions options;
  options.format = format;
  options.mapping = std::move(mapping);
  return options;
}

inline std::vector<SeenCandidate> Scan(std::string_view text) {
  std::vector<Candidate> found;
  internal::ScanText(text, {}, found);
  std::vector<SeenCandidate> out;
  for (const auto& c : found) out.push_back({c.type, std::string(c.value), ""});
  return out;
}

inline bool Contains(const std::vector<SeenCandidate>& found, ObservableType type, std::string_view value) {
  for (const auto& c : found) {
    if (c.type == type && c.value == value) return true;
  }
  return false;
}

using T = ObservableType;

}  // namespace accord::telemetry
