// Test helpers for the stix suites: a sink that records everything and an
// input stream that hands out a few bytes per Read, so every object of a
// test bundle straddles read boundaries.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "core/io.h"
#include "core/model.h"
#include "stix/stix.h"

namespace accord::stix_testing {

// A TLP marking's id, quoted for a JSON list.
inline std::string Marking(Tlp tlp) { return "\"" + std::string(TlpStixMarkingId(tlp)) + "\""; }

// A STIX 2.1 indicator with `pattern`; `extra` is appended to its properties
// (",\"name\":...").
inline std::string Indicator(const std::string& id, const std::string& pattern, const std::string& extra = "") {
  return R"({"type":"indicator","spec_version":"2.1","id":")" + id +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-02T00:00:00.000Z",)"
         R"("pattern":")" + pattern + R"(","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z")" +
         extra + "}";
}

inline std::string Bundle(const std::vector<std::string>& objects, const std::string& id) {
  std::string out = R"({"type": "bundle", "id": ")" + id + R"(", "objects": [)";
  for (size_t object_idx = 0; object_idx < objects.size(); ++object_idx) {
    out += (object_idx ? ",\n  " : "\n  ") + objects[object_idx];
  }
  return out + "\n]}\n";
}

class RecordingSink : public RecordSink {
 public:
  Status OnEvent(EventRecord event) override {
    order.push_back("event");
    events.push_back(std::move(event));
    return Status::Ok();
  }
  Status OnIndicator(IndicatorRecord indicator) override {
    order.push_back("indicator");
    indicators.push_back(std::move(indicator));
    return Status::Ok();
  }
  Status OnStixObject(StixObjectRecord object) override {
    order.push_back("object");
    objects.push_back(std::move(object));
    return fail_objects_after >= 0 && static_cast<int>(objects.size()) > fail_objects_after
               ? Status::IoError("sink full")
               : Status::Ok();
  }
  Status OnSighting(SightingRecord sighting) override {
    order.push_back("sighting");
    sightings.push_back(std::move(sighting));
    return Status::Ok();
  }
  Status OnEventMembers(EventMembers members) override {
    order.push_back("members");
    members_list.push_back(std::move(members));
    return Status::Ok();
  }
  void OnReject(Rejection rejection) override { rejections.push_back(std::move(rejection)); }

  std::vector<std::string> order;
  std::vector<EventRecord> events;
  std::vector<IndicatorRecord> indicators;
  std::vector<StixObjectRecord> objects;
  std::vector<SightingRecord> sightings;
  std::vector<EventMembers> members_list;
  std::vector<Rejection> rejections;
  int fail_objects_after = -1;  // >= 0: OnStixObject fails past this many
};

// Returns 1..7 bytes per Read, cycling, so tokens, escapes and multi-byte
// characters land across read boundaries.
class TrickleStream : public InputStream {
 public:
  TrickleStream(std::string name, std::string bytes) : name_(std::move(name)), bytes_(std::move(bytes)) {}
  Result<size_t> Read(char* buf, size_t max) override {
    size_t n = std::min({max, bytes_.size() - pos_, size_t{1} + (reads_++ % 7)});
    std::copy_n(bytes_.data() + pos_, n, buf);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t compressed_offset() const override { return pos_; }
  uint64_t compressed_size() const override { return bytes_.size(); }

 private:
  std::string name_;
  std::string bytes_;
  size_t pos_ = 0;
  size_t reads_ = 0;
};

// Reads `bundle` through a TrickleStream named `name`.
inline Status ReadTrickled(const std::string& bundle, RecordingSink& sink,
                           const std::string& name = "test.json", size_t max_object_bytes = 64 << 20) {
  TrickleStream in(name, bundle);
  StixReadOptions options;
  options.source_name = name;
  options.max_object_bytes = max_object_bytes;
  return ReadStixBundle(in, options, sink);
}

}  // namespace accord::stix_testing
