// MISP: event JSON (as MISP and PyMISP write it) and warning lists.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/io.h"
#include "core/model.h"
#include "core/observable.h"
#include "core/status.h"

namespace accord {

struct MispReadOptions {
  std::string source_name;
  size_t max_bytes = 512 << 20;   // MISP events are read whole; larger is an error
};

// Reads {"Event": {...}}, a bare event object, or {"response": [{"Event":
// ...}, ...]} and pushes one EventRecord per event (uuid, info -> title,
// tlp:* tag -> TLP, other tags and galaxy clusters -> tags, date/timestamp)
// and one IndicatorRecord per attribute it can map (top level and inside
// Objects; to_ids -> is_indicator; category/type -> role; first_seen/
// last_seen/comment kept), a SightingRecord per attribute sighting, and a
// Rejection (naming the attribute uuid) for each attribute type it does not
// map. Errors name the field ("Event.Attribute[3].value: not a string").
Status ReadMispEvent(InputStream& in, const MispReadOptions& options, RecordSink& sink);

// Maps a MISP attribute type ("ip-dst", "domain", "sha256", ...) to ours;
// nullopt for types with no observable. Composite types ("domain|ip",
// "filename|md5") map to their first part; use SplitComposite for both.
std::optional<ObservableType> MispTypeToObservable(std::string_view misp_type);

// One observable carried by a MISP attribute value.
struct MispValuePart {
  ObservableType type;
  std::string_view value;  // a view into the value passed to SplitComposite
};
// Splits an attribute value into the observables it carries: one for plain
// types, both parts for "domain|ip" and "filename|<hash>" (and
// malware-sample), the address for "ip-dst|port". Address types are refined
// by the value: "ip-dst" holding "2001:db8::1" is ipv6, "10.0.0.0/8" is cidr.
// Errors (kInvalidArgument): a type with no observable, or a composite value
// without its '|'.
Result<std::vector<MispValuePart>> SplitComposite(std::string_view misp_type,
                                                  std::string_view value);

// Parses a MISP warning list file (misp-warninglists list.json format).
// Errors name the field.
Result<WarningListRecord> ParseWarningList(InputStream& in);

// Decides whether an observable is on a loaded warning list. Immutable once
// built; thread-safe. cidr lists match addresses and networks inside them;
// hostname lists match the name and its subdomains; string lists match
// exactly; substring lists match anywhere; regex lists are skipped.
class WarningListMatcher {
 public:
  static std::unique_ptr<WarningListMatcher> Build(const std::vector<WarningListRecord>& lists);
  // The name of the first list that holds it, or nullopt.
  std::optional<std::string> Match(const Observable& observable) const;
  ~WarningListMatcher();

 private:
  WarningListMatcher();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes one MISP event JSON ({"Event": {...}}) for export.
struct MispExportAttribute {
  Observable observable;
  IndicatorContext context;
};
std::string BuildMispEvent(const EventRecord& event, Tlp tlp,
                           const std::vector<MispExportAttribute>& attributes);

}  // namespace accord
