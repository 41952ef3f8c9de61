// The reader of one MISP event, shared by misp_reader.cc (the event, its
// tags and description) and misp_attribute_reader.cc (attributes and
// sightings). Internal to misp/. Not thread-safe; one per ReadMispEvent call.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
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
  // The top-level attributes kept whole, as the JSON array
  // EventRecord::misp_other_attributes holds: those of types that carry no
  // observable, and those `repeated` marks (RepeatedAttributes); none marked
  // more strictly than `event_tlp` (those go to the event's companion).
  static std::string OtherAttributes(JsonArray attributes, const std::vector<bool>& repeated,
                                     std::optional<Tlp> event_tlp);
  // Which top-level attributes only repeat values an earlier attribute of
  // the event links (a "sha256" beside a "filename|sha256" of the same
  // hash, a "domain" named twice with two comments). The store holds one
  // link per (event, value), which keeps the first attribute's uuid: a
  // second attribute linked again gave the link its comment and type and
  // lost its own uuid, so a MISP export changed or dropped it. Such an
  // attribute is kept whole instead, and a MISP export gives it back as it
  // came; the value stays linked by the first. Records the values the
  // others link, for the objects' attributes read after them.
  std::vector<bool> RepeatedAttributes(JsonArray attributes);
  // Whether every value `attribute` would link (its file names aside) is
  // already linked in the event, as an indicator where it is one; when it
  // is not, its values are recorded as linked.
  bool RepeatsLinkedValues(JsonObject attribute);
  // The objects, as the JSON array EventRecord::misp_objects holds, less
  // objects and attributes marked more strictly than `event_tlp`.
  static std::string KeptObjects(JsonArray objects, std::optional<Tlp> event_tlp);
  // `repeated` (top-level attributes: RepeatedAttributes) says which to
  // leave unlinked; an object's attributes are checked as they are read.
  Status ReadAttributes(JsonArray attributes, const std::string& path,
                        std::string_view object_name, const std::string& event_uuid,
                        const std::vector<bool>* repeated);
  // An attribute that cannot be used becomes a Rejection; only the sink's
  // errors stop the read.
  Status ReadAttribute(JsonObject attribute, const std::string& path,
                       std::string_view object_name, const std::string& event_uuid, bool repeated);
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
  std::optional<Tlp> event_tlp_;  // and its level, as its tags or distribution state it
  // The values the event's attributes link so far (RepeatsLinkedValues),
  // each with whether an attribute linked it as an indicator.
  std::map<std::pair<ObservableType, std::string>, bool> linked_in_event_;
};

}  // namespace accord::misp_internal
