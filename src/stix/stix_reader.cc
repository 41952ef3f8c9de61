// ReadStixBundle, the stream side: walks the bundle's own members in any
// order with JsonScanner and hands each element of "objects" (or of a bare
// top-level array) to HandleElement, which parses it alone with simdjson.
//
// Errors that make the stream unusable (not JSON, truncated, wrong top-level
// shape, an object over the size limit) stop the reader with a Status naming
// the source and byte offset. A syntax error inside one object is one of
// them: the file is corrupt, and importing around the damage would hide it.
// An object that is valid JSON but not valid STIX is a Rejection, and
// reading goes on.
#include <algorithm>
#include <cctype>
#include <optional>

#include "stix/bundle_reader.h"
#include "stix/stix_internal.h"

namespace accord {
namespace stix_internal {

// Captured values are parsed in place, without a copy.
static_assert(kScannerPadding >= simdjson::SIMDJSON_PADDING);

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ShortText(std::string_view text) {
  constexpr size_t kMaxBytes = 1024;
  if (text.size() <= kMaxBytes) return std::string(text);
  size_t cut = kMaxBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

BundleReader::BundleReader(InputStream& in, const StixReadOptions& options, RecordSink& sink)
    : source_(options.source_name.empty() ? in.name() : options.source_name),
      group_title_(options.group_title),
      sink_(sink),
      scanner_(in, source_, options.max_object_bytes),
      max_object_bytes_(options.max_object_bytes) {}

Status BundleReader::Run() {
  ASSIGN_OR_RETURN(int first, scanner_.Peek());
  if (first == JsonScanner::kEndOfInput) return scanner_.ErrorAt(0, "empty input, expected a STIX bundle");
  if (first == '[') {
    scanner_.Consume();
    RETURN_IF_ERROR(ReadObjectsArray());
  } else if (first == '{') {
    scanner_.Consume();
    RETURN_IF_ERROR(ReadBundle());
  } else {
    return scanner_.ErrorAt(scanner_.offset(), "not a STIX bundle: expected '{' or '[' (is this JSON?)");
  }
  ASSIGN_OR_RETURN(int trailing, scanner_.Peek());
  if (trailing != JsonScanner::kEndOfInput) {
    return scanner_.ErrorAt(scanner_.offset(), "unexpected data after the end of the bundle");
  }
  return ReadDeferred();
}

bool BundleReader::MustWait(simdjson::dom::object object, const CommonFields& common) {
  // The usual bundle (TLP ids Accord knows, nothing waiting) pays nothing more.
  if (common.unresolved_marking.empty() && waiting_ids_.empty() && waiting_members_.empty()) return false;
  const std::string id = Lower(common.id);
  // A marking not read yet may be a TLP one, unless nothing is stricter
  // than what the object already has. Another version of a waiting object
  // waits too (versions keep their order), and so does what a waiting
  // report or observed-data names: read before its container, it would
  // sit at the import's default level until the end of the import.
  const bool waits = (!common.unresolved_marking.empty() && common.tlp != Tlp::kRed) ||
                     waiting_ids_.contains(id) || waiting_members_.contains(id);
  if (!waits) return false;
  waiting_ids_.insert(id);
  simdjson::dom::array refs;
  if (object["object_refs"].get_array().get(refs) == simdjson::SUCCESS) {
    for (simdjson::dom::element ref : refs) {
      std::string_view text;
      if (ref.get_string().get(text) == simdjson::SUCCESS) waiting_members_.insert(Lower(text));
    }
  }
  return true;
}

Status BundleReader::ReadDeferred() {
  reading_deferred_ = true;
  // Marking definitions first: a deferred one may be what another names.
  std::stable_partition(deferred_.begin(), deferred_.end(),
                        [](const Deferred& object) { return object.marking_definition; });
  for (Deferred& object : deferred_) {
    object_index_ = object.index;
    const std::string_view raw(object.text.data(), object.text.size() - kScannerPadding);
    RETURN_IF_ERROR(HandleElement(raw, object.offset));
    std::string().swap(object.text);
  }
  deferred_.clear();
  return Status::Ok();
}

// The top-level object is usually a bundle (or a TAXII envelope), streamed. It may also be a
// single STIX object (OpenCTI exports one that way, and so are some OASIS
// examples): its members are kept until the end, and it is then read as a
// one-object bundle. An "objects" array makes it a bundle; so does
// "type": "bundle", after which nothing more is kept.
Status BundleReader::ReadBundle() {
  std::string type, id;
  uint64_t type_at = 0, id_at = 0;
  bool objects_array = false;
  std::optional<uint64_t> objects_not_array_at;
  std::vector<std::string> other_lists;  // keys besides "objects" holding arrays
  std::string members;  // what a single object holds, as JSON members
  auto not_a_bundle = [&]() {
    return scanner_.ErrorAt(type_at, "top-level object has type \"" + type + "\", not a STIX bundle");
  };
  auto bad_bundle_id = [&]() {
    return scanner_.ErrorAt(id_at, "bundle id \"" + id + "\" is not bundle--<uuid>");
  };
  ASSIGN_OR_RETURN(int next, scanner_.Peek());
  if (next == '}') return scanner_.ErrorAt(0, "top-level object has no \"type\": not a STIX bundle");
  for (;;) {
    ASSIGN_OR_RETURN(std::string key, ReadKey());
    ASSIGN_OR_RETURN(int open, scanner_.Peek());
    if (key == "objects" && open == '[') {
      if (!type.empty() && type != "bundle") return not_a_bundle();
      if (!id.empty() && !IsStixIdOfType(id, "bundle")) return bad_bundle_id();
      objects_array = true;
      members.clear();
      scanner_.Consume();
      RETURN_IF_ERROR(ReadObjectsArray());
    } else {
      // Other members (custom ones included) are read past, within the
      // same size limit as objects.
      ASSIGN_OR_RETURN(std::string_view raw, scanner_.CaptureValue());
      const uint64_t at = scanner_.value_offset();
      simdjson::dom::element ignored;
      if (parser_.parse(raw.data(), raw.size(), false).get(ignored) != simdjson::SUCCESS) {
        return scanner_.ErrorAt(at, "bundle property \"" + key + "\" is not valid JSON");
      }
      if (key == "objects") objects_not_array_at = at;
      if (key != "objects" && !raw.empty() && raw.front() == '[' && other_lists.size() < 5) {
        other_lists.push_back(key);
      }
      if (key == "type" || key == "id" || key == "spec_version") {
        ASSIGN_OR_RETURN(std::string text, ParseStringValue(raw, at, "bundle \"" + key + "\""));
        if (key == "type") {
          type = text;
          type_at = at;
          if (objects_array && type != "bundle") return not_a_bundle();
          if (type == "bundle" && !id.empty() && !IsStixIdOfType(id, "bundle")) return bad_bundle_id();
        } else if (key == "id") {
          id = text;
          id_at = at;
          if (type == "bundle" && !IsStixIdOfType(id, "bundle")) return bad_bundle_id();
          if (IsStixIdOfType(id, "bundle")) bundle_id_ = Lower(id);
        }
      }
      if (!objects_array && type != "bundle") {
        if (!members.empty()) members += ',';
        AppendJsonString(members, key);
        members += ':';
        members += raw;
        if (members.size() > max_object_bytes_) {
          return scanner_.ErrorAt(at, "top-level object is larger than the " +
                                          std::to_string(max_object_bytes_) + " byte limit of an object");
        }
      }
    }
    ASSIGN_OR_RETURN(int separator, scanner_.Peek());
    if (separator == ',') {
      scanner_.Consume();
      continue;
    }
    if (separator == '}') {
      scanner_.Consume();
      break;
    }
    return UnexpectedAt(separator, "',' or '}' in the bundle");
  }
  // A TAXII 2.1 envelope saved to a file ({"more": false, "objects": [...]})
  // holds its objects as a bundle does.
  if (type.empty() && objects_array) return Status::Ok();
  if (type.empty()) return scanner_.ErrorAt(0, "top-level object has no \"type\": not a STIX bundle");
  if (type == "bundle") {
    if (objects_not_array_at) return scanner_.ErrorAt(*objects_not_array_at, "bundle \"objects\" is not an array");
    // Pre-release drafts of STIX 2 listed objects by type ("indicators":
    // [...]): valid JSON, but reading nothing from it silently would hide
    // the whole file.
    if (!objects_array && !other_lists.empty()) {
      std::string keys;
      for (const std::string& key : other_lists) keys += (keys.empty() ? "\"" : ", \"") + key + "\"";
      return scanner_.ErrorAt(type_at, "bundle has no \"objects\" list but lists " + keys +
                                           ": not STIX 2.0 or 2.1 (a pre-release draft?), nothing read");
    }
    return Status::Ok();
  }
  // Anything without an id of its own type is neither a bundle nor an
  // object: say what was expected rather than reject an "object".
  if (objects_array || !IsStixIdOfType(id, type)) return not_a_bundle();
  std::string single = "{" + members + "}";
  single.append(kScannerPadding, ' ');  // HandleElement parses in place
  return HandleElement(std::string_view(single.data(), single.size() - kScannerPadding), 0);
}

Result<std::string> BundleReader::ReadKey() {
  ASSIGN_OR_RETURN(int quote, scanner_.Peek());
  if (quote != '"') return UnexpectedAt(quote, "a property name");
  ASSIGN_OR_RETURN(std::string_view raw, scanner_.CaptureValue());
  ASSIGN_OR_RETURN(std::string key, ParseStringValue(raw, scanner_.value_offset(), "property name"));
  ASSIGN_OR_RETURN(int colon, scanner_.Peek());
  if (colon != ':') return UnexpectedAt(colon, "':'");
  scanner_.Consume();
  return key;
}

Result<std::string> BundleReader::ParseStringValue(std::string_view raw, uint64_t at,
                                                   const std::string& what) {
  simdjson::dom::element element;
  std::string_view text;
  if (parser_.parse(raw.data(), raw.size(), false).get(element) != simdjson::SUCCESS ||
      element.get_string().get(text) != simdjson::SUCCESS) {
    return scanner_.ErrorAt(at, what + " must be a JSON string");
  }
  return std::string(text);
}

Status BundleReader::UnexpectedAt(int found, std::string_view expected) {
  if (found == JsonScanner::kEndOfInput) {
    return scanner_.ErrorAt(scanner_.offset(), "truncated input: expected " + std::string(expected));
  }
  return scanner_.ErrorAt(scanner_.offset(), "expected " + std::string(expected) + ", found '" +
                                                 std::string(1, static_cast<char>(found)) + "'");
}

Status BundleReader::ReadObjectsArray() {
  ASSIGN_OR_RETURN(int next, scanner_.Peek());
  if (next == ']') {
    scanner_.Consume();
    return Status::Ok();
  }
  for (;;) {
    ASSIGN_OR_RETURN(std::string_view raw, scanner_.CaptureValue());
    RETURN_IF_ERROR(HandleElement(raw, scanner_.value_offset()));
    ++object_index_;
    ASSIGN_OR_RETURN(int separator, scanner_.Peek());
    if (separator == ',') {
      scanner_.Consume();
      continue;
    }
    if (separator == ']') {
      scanner_.Consume();
      return Status::Ok();
    }
    return UnexpectedAt(separator, "',' or ']' in the objects array");
  }
}

std::string BundleReader::Location(const std::string& id, uint64_t offset) const {
  if (!id.empty()) return source_ + ": " + id;
  return source_ + ": object #" + std::to_string(object_index_) + " (byte " + std::to_string(offset) + ")";
}

void BundleReader::Reject(std::string location, std::string value, std::string reason) {
  sink_.OnReject(Rejection{std::move(location), std::move(value), std::move(reason)});
}

void BundleReader::NoteNotMatched(std::string location, std::string value, std::string reason) {
  Rejection note{std::move(location), std::move(value), std::move(reason)};
  note.not_matched = true;
  sink_.OnReject(std::move(note));
}

Status BundleReader::HandleElement(std::string_view raw, uint64_t offset) {
  object_offset_ = offset;
  if (raw.front() != '{') {
    Reject(Location("", offset), ShortText(raw), "element of the objects array is not a JSON object");
    return Status::Ok();
  }
  simdjson::dom::element element;
  // `raw` is followed by kScannerPadding readable bytes: parse in place.
  auto error = parser_.parse(raw.data(), raw.size(), false).get(element);
  if (error != simdjson::SUCCESS) {
    return scanner_.ErrorAt(offset, "object #" + std::to_string(object_index_) +
                                        " is not valid JSON: " + simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    return scanner_.ErrorAt(offset, "object #" + std::to_string(object_index_) + " is not a JSON object");
  }
  CommonFields common;
  Status status = ReadCommon(object, &common);
  if (status.ok() && !reading_deferred_ && MustWait(object, common)) {
    // Kept in memory until the end: a bound, so that a bundle whose objects
    // all name a marking it never defines cannot take the node's memory.
    constexpr size_t kMaxDeferredBytes = size_t{256} << 20;
    deferred_bytes_ += raw.size() + kScannerPadding + sizeof(Deferred) + common.id.size();
    if (deferred_bytes_ > kMaxDeferredBytes) {
      return scanner_.ErrorAt(
          offset, "more than 256 MiB of objects wait for marking-definitions the bundle has not defined yet (" +
                      (common.unresolved_marking.empty() ? common.id : common.unresolved_marking) +
                      "): they are held until their TLP is known; put the marking definitions before the "
                      "objects that use them, or split the bundle");
    }
    Deferred later{std::string(raw), offset, object_index_, common.type == "marking-definition"};
    later.text.append(kScannerPadding, ' ');
    deferred_.push_back(std::move(later));
    return Status::Ok();
  }
  if (status.ok()) status = HandleObject(object, common);
  if (!status.ok() && status.code() == Status::Code::kInvalidArgument && !sink_failed_) {
    Reject(Location(common.id, offset), "", status.message());
    return Status::Ok();
  }
  return status;
}

}  // namespace stix_internal

Status ReadStixBundle(InputStream& in, const StixReadOptions& options, RecordSink& sink) {
  return stix_internal::BundleReader(in, options, sink).Run();
}

}  // namespace accord
