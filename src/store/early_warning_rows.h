// The rows the store keeps for early warning: the live observables the
// match snapshot is built from, organisations' constituencies (networks they
// answer for) and alerts with the columns that decide who may read them.
// Matching lives in match/; store.h includes this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/observable.h"
#include "core/tlp.h"

namespace accord {

// An observable the match snapshot holds: linked as an indicator by at least
// one event, not on a warning list. `expires` is the latest valid_until of
// its indicator links (RFC 3339), empty when one of them never expires.
struct LiveObservable {
  struct Link {
    int64_t event_id = 0;
    std::string valid_until;  // empty = no expiry
  };
  int64_t id = 0;
  Observable observable;
  std::string expires;      // the latest valid_until of `links`; empty = never
  std::vector<Link> links;  // its indicator links still valid, in event id order
};

// An IP network an organisation answers for (a CERT's constituency).
struct Constituency {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string network;  // normalized CIDR text ("192.0.2.0/24")
  std::string created;
};

// An early-warning alert as the node keeps it: the JSON as emitted, plus the
// columns that decide who may read it (TLP, owner = who sent the telemetry,
// routed organisation = a named recipient) and the aggregation key.
struct AlertRow {
  int64_t id = 0;
  std::string uuid;
  std::string created;
  int64_t observable_id = 0;
  Tlp tlp = Tlp::kAmber;
  int64_t owner_org_id = 0;
  int64_t routed_org_id = 0;  // 0 when no organisation is responsible
  // Whether the routed organisation may read every event the alert names,
  // and so is one of the alert's recipients.
  bool routed_reads = false;
  // Whether it may read some of them but not all (a GREEN event and an
  // AMBER one it is not named in): it is still warned of its victim, and
  // reads the alert with only the events it may read (server/rest_alerts.cc);
  // routed_families are the families those events name (AlertFamiliesKey's
  // form).
  bool routed_partial = false;
  std::string routed_families;
  std::string country;
  std::string victim;
  int64_t count = 1;
  // The count the store holds: RecordAlerts adds count - stored_count to
  // it, so two writers counting into one alert (a node's concurrent
  // telemetry requests) lose neither's hits. Set by the store's reads and
  // writes.
  int64_t stored_count = 0;
  std::string first_seen;
  std::string last_seen;
  // A new row (id 0) with these set is folded, as it is written, into the
  // open alert FindOpenAlert(row, fold_after, fold_before) finds then: two
  // requests that each opened the alert before either stored it (a log
  // shipper's parallel workers) make one alert, not two. RecordAlerts then
  // gives the row that alert's id, uuid and counts.
  std::string fold_after;
  std::string fold_before;
  std::string json;
  std::string acknowledged_at;  // empty while nobody has acknowledged it
  std::string acknowledged_by;  // "organisation name: key holder (key id)"
};

// Who besides its owner an alert is for: the routed organisation, when it
// may read every event the alert names (routed_reads). With the alert's TLP
// and owner, what MayRead decides an alert by.
inline std::vector<int64_t> AlertRecipients(int64_t routed_org_id, bool routed_reads) {
  if (routed_reads && routed_org_id != 0) return {routed_org_id};
  return {};
}

struct AlertFilter {
  // Oldest first from after_id (exclusive); or, with newest_first, newest
  // first from before_id (exclusive; 0 = from the newest). Both in stored
  // order (id).
  int64_t after_id = 0;
  bool newest_first = false;
  int64_t before_id = 0;
  // By observed time instead (when telemetry last hit: last_seen, then id,
  // so among equal times the later stored comes first): newest observed
  // first from below the key (last_seen_key, id_key), exclusive; or, with
  // observed_ascending, oldest observed first from above it (the page
  // before one of the newest-first feed). An empty last_seen_key starts at
  // the end. alerts_by_last_seen (migration 30) serves both.
  bool by_observed = false;
  bool observed_ascending = false;
  std::string last_seen_key;
  int64_t id_key = 0;
  int64_t limit = 0;        // 0 = no limit
  std::string country;      // empty = any
  int64_t routed_org_id = 0;  // 0 = any
  std::optional<bool> acknowledged;  // nullopt = both
  // Alerts naming this malware family, compared without ASCII case; empty
  // = any. Read from a column written with the row (families_key), so a
  // rare family's feed is not a parse of every alert's JSON.
  std::string family;
  // With `family`: the organisation asking. Where it reads an alert only as
  // its routed organisation with part of its events (routed_partial), the
  // families of those events are compared, not every event's.
  int64_t viewer_org_id = 0;
};

// How many alerts share the columns that decide who may read them (and,
// for the dashboard, the day telemetry last hit them, the country, whether
// they are acknowledged and the families they name): totals are counted
// group by group through the same policy as each row, never row by row.
struct AlertTally {
  Tlp tlp = Tlp::kAmber;
  int64_t owner_org_id = 0;
  int64_t routed_org_id = 0;
  bool routed_reads = false;
  bool routed_partial = false;
  // Set only when tallied with detail (ForEachAlertTally's `detailed`).
  std::string last_seen_day;  // "2026-12-06"
  std::string country;
  bool acknowledged = false;
  std::vector<std::string> families;
  std::vector<std::string> routed_families;  // what the routed organisation reads of them
  int64_t count = 0;
};

// The alerts table's `families` column for an alert's JSON: each string of
// its "families" array between unit separators ("\x1flumma\x1fvidar\x1f"),
// empty when it names none. A family filter looks for "\x1f<family>\x1f".
std::string AlertFamiliesKey(const std::string& alert_json);
std::string AlertFamiliesKey(const std::vector<std::string>& families);
std::vector<std::string> SplitAlertFamiliesKey(const std::string& key);

}  // namespace accord
