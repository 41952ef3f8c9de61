// The reader of one MISP event, shared by misp_reader.cc (the event, its
// tags and description) and misp_attribute_reader.cc (attributes and
// sightings). Internal to misp/. Not thread-safe; one per ReadMispEvent call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "misp/misp.h"
#include "misp/misp_json.h"

namespace accord::misp_internal {

class EventReader {
 public:
  EventReader(std::string source_name, RecordSink& sink)
      : source_name_(std::move(source_name)), sink_(sink) {}

  // Pushes the event, then its indicators and sightings. `path` names the
  // event in messages ("Event", "response[2].Event", "" for a bare event);
  // `event_index` is its position in the file, for a derived uuid.
  Status ReadEvent(JsonObject event, const std::string& path, size_t event_index);

 private:
  Status Error(const Status& status) const { return status.WithContext(source_name_); }
  Status ReadTags(JsonObject event, const std::string& path, EventRecord& record) const;
  Status ReadDescription(JsonObject event, const std::string& path, EventRecord& record) const;
  Status ReadCreator(JsonObject event, const std::string& path, EventRecord& record) const;
  // The top-level attributes of types that carry no observable, as the JSON
  // array EventRecord::misp_other_attributes holds.
  static std::string OtherAttributes(JsonArray attributes);
  // The objects, as the JSON array EventRecord::misp_objects holds.
  static std::string KeptObjects(JsonArray objects);
  Status ReadAttributes(JsonArray attributes, const std::string& path,
                        std::string_view object_name, const std::string& event_uuid);
  // An attribute that cannot be used becomes a Rejection; only the sink's
  // errors stop the read.
  Status ReadAttribute(JsonObject attribute, const std::string& path,
                       std::string_view object_name, const std::string& event_uuid);
  // A deleted attribute (or each attribute of a deleted object) takes back
  // what its earlier copy gave: OnWithdrawal under the id its values carry.
  Status WithdrawDeleted(JsonObject attribute, const std::string& path, const std::string& event_uuid);
  Status WithdrawObject(JsonObject object, const std::string& path, const std::string& event_uuid);
  Status ReadSightings(JsonArray sightings, const std::string& path,
                       const std::vector<MispValuePart>& parts, const std::string& location);
  void Reject(std::string location, std::string_view value, std::string reason) {
    sink_.OnReject(Rejection{std::move(location), std::string(value), std::move(reason)});
  }
  // A valid attribute of a type that carries no observable (text, link,
  // comment, yara, ...): skipped, and said so, but not an error.
  void NoteNotMatched(std::string location, std::string_view value, std::string reason) {
    Rejection note{std::move(location), std::string(value), std::move(reason)};
    note.not_matched = true;
    sink_.OnReject(std::move(note));
  }

  std::string source_name_;
  RecordSink& sink_;
  std::string event_modified_;  // the event being read: its timestamp, for deletions that give none
};

}  // namespace accord::misp_internal
