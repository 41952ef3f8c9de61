// A RecordSink that keeps everything it is given, for the misp tests.
#pragma once

#include <string>
#include <vector>

#include "core/io.h"
#include "core/model.h"
#include "misp/misp.h"

namespace accord::testing {

class RecordingSink : public RecordSink {
 public:
  Status OnEvent(EventRecord event) override {
    events.push_back(std::move(event));
    return Status::Ok();
  }
  Status OnIndicator(IndicatorRecord indicator) override {
    indicators.push_back(std::move(indicator));
    return Status::Ok();
  }
  Status OnStixObject(StixObjectRecord object) override {
    stix_objects.push_back(std::move(object));
    return Status::Ok();
  }
  Status OnSighting(SightingRecord sighting) override {
    sightings.push_back(std::move(sighting));
    return Status::Ok();
  }
  Status OnEventMembers(EventMembers members) override {
    members_.push_back(std::move(members));
    return Status::Ok();
  }
  Status OnWithdrawal(Withdrawal withdrawal) override {
    withdrawals.push_back(std::move(withdrawal));
    return Status::Ok();
  }
  void OnReject(Rejection rejection) override { rejections.push_back(std::move(rejection)); }

  std::vector<EventRecord> events;
  std::vector<IndicatorRecord> indicators;
  std::vector<StixObjectRecord> stix_objects;
  std::vector<SightingRecord> sightings;
  std::vector<EventMembers> members_;
  std::vector<Withdrawal> withdrawals;
  std::vector<Rejection> rejections;
};

// Reads `json` as a MISP event named `source_name` into `sink`.
inline Status ReadMispText(const std::string& json, RecordingSink& sink,
                           const std::string& source_name = "test.json",
                           size_t max_bytes = 512 << 20) {
  auto in = OpenInputFromMemory(source_name, json);
  if (!in.ok()) return in.status();
  MispReadOptions options;
  options.source_name = source_name;
  options.max_bytes = max_bytes;
  return ReadMispEvent(**in, options, sink);
}

}  // namespace accord::testing
