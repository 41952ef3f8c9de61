// The rows the store keeps for events and the values linked into them, as
// the REST API, export and search read them, and the filters that page
// through them. The Store (store.h) reads and writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/observable.h"
#include "core/tlp.h"

namespace accord {

struct EventSummary {
  int64_t id = 0;
  std::string uuid;
  std::string title;
  std::string description;
  Tlp tlp = Tlp::kAmber;
  int64_t owner_org_id = 0;
  std::vector<int64_t> recipient_org_ids;
  std::vector<std::string> tags;
  std::string created;
  std::string modified;
  std::string stix_id;
  std::string source;
  int64_t observable_count = 0;
  // MISP's grading (EventRecord); nullopt when never given.
  std::optional<ThreatLevel> threat_level;
  std::optional<AnalysisStage> analysis;
  // One more at every write to the event or its links (an edit, an import
  // into it, a withdrawal ending some of its values): what an edit's
  // If-Match is checked against, without reading the links.
  int64_t revision = 0;
};

struct LinkedObservable {
  int64_t observable_id = 0;
  Observable observable;
  IndicatorContext context;
  std::string warninglist;  // name of the warning list it is on, or empty
  std::string created;      // when the node first stored the value (ForEachIndicator fills it)
};

struct EventFilter {
  std::optional<Tlp> tlp;
  std::optional<int64_t> owner_org_id;
  std::string tag;
  std::string modified_since;    // RFC 3339
  // Only events whose title contains this text, ignoring ASCII case (as
  // SQLite's lower() does); empty = any title.
  std::string title_contains;
  // Oldest first (id order) by default; newest first for screens that show
  // what just arrived.
  bool newest_first = false;
  int64_t after_id = 0;          // cursor, oldest first: events with id > after_id
  int64_t before_id = 0;         // cursor, newest first: events with id < before_id; 0 = from the newest
  int64_t limit = 0;             // 0 = no limit
};

// --- events and indicators (REST) ---
struct IndicatorFilter {
  std::optional<ObservableType> type;
  std::string tag;                 // links of events carrying this tag
  std::string modified_since;      // links of events modified at or after (RFC 3339)
  int64_t after_event_id = 0;      // cursor: rows after (after_event_id,
  int64_t after_observable_id = 0; //   after_observable_id), exclusive
};

struct IndicatorRow {
  EventSummary event;              // with tags and recipients filled
  LinkedObservable link;
};

// One event's links, for its page: a page at a time, narrowed by type and
// by a part of the value.
struct EventLinkFilter {
  int64_t event_id = 0;
  std::optional<ObservableType> type;
  std::string value_contains;       // ignoring ASCII case; empty = any value
  int64_t after_observable_id = 0;  // cursor: links after this observable, exclusive
  int64_t limit = 0;                // 0 = no limit
};

// What the dashboard counts about one indicator link (is_indicator set):
// no strings but the day, so a million links are read in a fraction of a
// second.
struct IndicatorFact {
  int64_t event_id = 0;
  int64_t observable_id = 0;
  bool live = false;        // not expired at the given time, not warning-listed
  std::string stored_day;   // "YYYY-MM-DD" the observable was first stored
};
// --- end events and indicators (REST) ---

}  // namespace accord
