// Telemetry records -> snapshot hits -> verified, readable, routed alerts.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "core/crypto.h"
#include "core/family_tag.h"
#include "match/match.h"
#include "misp/misp.h"

namespace accord::match {

// What the store says about one hit observable, looked up once per
// observable per Matcher: hits repeat, store round trips must not.
struct Matcher::Indicator {
  bool readable = false;  // the viewer may read at least one carrying event
  std::vector<AlertEvent> events;
  std::vector<EventSummary> summaries;  // the readable events, for routed_reads
  Tlp tlp = Tlp::kClear;
  std::vector<std::string> families;
};

namespace {

// A record's time as seconds: Zeek's epoch seconds ("1700000000.123") or
// RFC 3339 (Suricata's "2024-05-01T12:00:00.000000+0000" included).
// A record's time in milliseconds since the epoch: RFC 3339, or epoch
// seconds (with a fraction, as Zeek writes them), milliseconds,
// microseconds or nanoseconds (as Elastic, Kafka and Go loggers write them).
std::optional<int64_t> RecordMillis(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool numeric = true;
  for (char c : text) numeric = numeric && ((c >= '0' && c <= '9') || c == '.');
  if (numeric) {
    uint64_t count = 0;
    int digits = 0;
    size_t at = 0;
    for (; at < text.size() && text[at] != '.'; ++at) {
      if (++digits > 19) return std::nullopt;
      count = count * 10 + static_cast<uint64_t>(text[at] - '0');
    }
    // A count too large to be seconds before the year 5000 is one of the
    // finer units, a thousand at a time.
    if (count > 100000000000ull) {
      while (count > 100000000000000ull) count /= 1000;
      return static_cast<int64_t>(count);
    }
    int64_t millis = static_cast<int64_t>(count) * 1000;
    int64_t scale = 100;
    for (++at; at < text.size() && scale > 0 && text[at] != '.'; ++at, scale /= 10) {
      millis += (text[at] - '0') * scale;
    }
    return millis;
  }
  Result<TimePoint> time = ParseTimestamp(text);
  if (!time.ok()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(time->time_since_epoch()).count();
}

std::string SecondsText(int64_t seconds) {
  return FormatTimestamp(TimePoint(std::chrono::seconds(seconds)));
}

int64_t ToSeconds(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// `alert`, opened for a hit, becomes the stored alert `stored` with that
// hit counted in: the stored id, first sighting and counts, widened.
void ContinueStoredAlert(const AlertRow& stored, Alert& alert) {
  alert.uuid = stored.uuid;
  alert.continued = true;
  alert.count = stored.count + 1;
  alert.first_seen = std::min(stored.first_seen, alert.first_seen);
  alert.last_seen = std::max(stored.last_seen, alert.last_seen);
  const nlohmann::json first = nlohmann::json::parse(stored.json, nullptr, false);
  if (!first.is_object()) return;
  auto text = [&first](const char* field, std::string& out) {
    if (auto it = first.find(field); it != first.end() && it->is_string()) out = it->get<std::string>();
  };
  text("seen", alert.seen);
  text("kind", alert.kind);
  text("source", alert.source);
  if (auto it = first.find("offset"); it != first.end() && it->is_number_integer()) {
    alert.offset = it->get<int64_t>();
  }
}

}  // namespace

std::string Alert::ToJson() const {
  nlohmann::ordered_json out;
  out["id"] = uuid;
  out["matched"] = matched.value;
  out["type"] = std::string(TypeName(matched.type));
  out["seen"] = seen;
  out["kind"] = kind;
  out["source"] = source;
  out["offset"] = offset;
  out["tlp"] = std::string(TlpName(tlp));
  nlohmann::ordered_json event_list = nlohmann::ordered_json::array();
  for (const AlertEvent& event : events) {
    nlohmann::ordered_json item;
    item["uuid"] = event.uuid;
    item["title"] = event.title;
    item["tlp"] = std::string(TlpName(event.tlp));
    item["tags"] = event.tags;
    if (!event.value_families.empty()) item["value_families"] = event.value_families;
    event_list.push_back(std::move(item));
  }
  out["events"] = std::move(event_list);
  out["families"] = families;
  out["victim"] = victim;
  out["country"] = routing.country;
  if (routing.asn != 0) {
    out["asn"] = routing.asn;
  } else {
    out["asn"] = nullptr;
  }
  out["as_organisation"] = routing.as_organisation;
  out["organisation"] = routing.organisation;
  out["count"] = count;
  out["first_seen"] = first_seen;
  out["last_seen"] = last_seen;
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Matcher::Matcher(Store& store, std::shared_ptr<const Snapshot> snapshot, const Router& router,
                 const MatchOptions& options, AlertSink& sink, const Clock& clock)
    : store_(store),
      snapshot_(std::move(snapshot)),
      router_(router),
      options_(options),
      sink_(sink),
      clock_(clock),
      last_write_seconds_(ToSeconds(clock.Now())),
      pending_(std::make_unique<Pending[]>(kPipelineDepth)) {}

Matcher::~Matcher() = default;

void Matcher::OnMalformed(const telemetry::Malformed& malformed) {
  ++summary_.malformed;
  if (malformed_.size() < 20) malformed_.push_back(malformed);
}

Status Matcher::OnRecord(const telemetry::Record& record) {
  // The clock is read once per 4096 records: expiry is in whole seconds, and
  // a clock read per record cost more than a DNS record's lookup.
  if ((summary_.records++ & 4095) == 0) now_seconds_ = ToSeconds(clock_.Now());
  for (const telemetry::Candidate& candidate : record.candidates) {
    ++summary_.candidates;
    if (pending_count_ == kPipelineDepth) RETURN_IF_ERROR(FinishOldest());
    Pending& next = pending_[(pending_oldest_ + pending_count_) % kPipelineDepth];
    ++pending_count_;
    snapshot_->Prepare(candidate.type, candidate.value, next.probe);
    next.source = record.source;
    next.line = record.line;
    next.offset = record.offset;
    next.type = candidate.type;
    if (record.views_last_until_input_wait) {
      next.kind = record.kind;
      next.timestamp = record.timestamp;
      next.value = candidate.value;
      next.victim = candidate.victim;
    } else {
      next.copy.resize(record.kind.size() + record.timestamp.size() + candidate.value.size() +
                       candidate.victim.size());
      char* out = next.copy.data();
      for (auto [part, view] : {std::pair{record.kind, &next.kind}, std::pair{record.timestamp, &next.timestamp},
                                std::pair{candidate.value, &next.value},
                                std::pair{candidate.victim, &next.victim}}) {
        if (!part.empty()) std::memcpy(out, part.data(), part.size());
        *view = std::string_view(out, part.size());
        out += part.size();
      }
    }
    if (pending_count_ > kPipelineDepth / 2) {
      const size_t middle = (pending_oldest_ + pending_count_ - 1 - kPipelineDepth / 2) % kPipelineDepth;
      snapshot_->PrefetchSlots(pending_[middle].probe);
    }
  }
  return Status::Ok();
}

Status Matcher::FinishOldest() {
  Pending& oldest = pending_[pending_oldest_];
  pending_oldest_ = (pending_oldest_ + 1) % kPipelineDepth;
  --pending_count_;
  hits_.clear();
  snapshot_->Finish(oldest.probe, now_seconds_, hits_);
  if (hits_.empty()) return Status::Ok();
  telemetry::Record record;
  record.source = oldest.source;
  record.line = oldest.line;
  record.offset = oldest.offset;
  record.kind = oldest.kind;
  record.timestamp = oldest.timestamp;
  const telemetry::Candidate candidate{oldest.type, oldest.value, oldest.victim};
  // Networks come longest first (Snapshot::Finish): the longest one the
  // viewer may read alerts, the shorter ones holding it do not.
  bool network_taken = false;
  for (const SnapshotHit& hit : hits_) {
    if (hit.matched.type == ObservableType::kCidr) {
      if (network_taken) continue;
      ASSIGN_OR_RETURN(const Indicator* indicator, Verify(hit));
      network_taken = indicator->readable;
    }
    RETURN_IF_ERROR(Hit(record, candidate, hit));
  }
  return Status::Ok();
}

Status Matcher::OnInputWait() {
  while (pending_count_ > 0) RETURN_IF_ERROR(FinishOldest());
  if (options_.write_every_seconds > 0 && (!dirty_.empty() || !sightings_.empty()) &&
      ToSeconds(clock_.Now()) - last_write_seconds_ >= options_.write_every_seconds) {
    return WriteAlerts();
  }
  return Status::Ok();
}

Status Matcher::OnInputIdle() {
  while (pending_count_ > 0) RETURN_IF_ERROR(FinishOldest());
  return WriteAlerts();
}

Result<const Matcher::Indicator*> Matcher::Verify(const SnapshotHit& hit) {
  auto cached = indicators_.find(hit.observable_id);
  if (cached != indicators_.end()) return cached->second.get();
  auto indicator = std::make_unique<Indicator>();
  // The snapshot has checked the value (its second hash) and carries the
  // indicator's links; the store names their events, each read once per
  // run. Reading the value and links back from the store cost a few random
  // page reads a distinct hit, a third of a DNS log's match time at 0.1%
  // hits (bench/match).
  const int64_t now_seconds = ToSeconds(clock_.Now());
  // A feed's per-value families (its malware column): one read per value
  // hit, on nodes that hold any.
  if (!node_has_link_families_) {
    ASSIGN_OR_RETURN(const bool any, store_.AnyLinkFamily());
    node_has_link_families_ = any;
  }
  std::vector<std::pair<int64_t, std::string>> value_families;
  if (*node_has_link_families_) {
    ASSIGN_OR_RETURN(value_families, store_.LinkFamilies(hit.observable_id));
  }
  for (const SnapshotLink& link : hit.links) {
    if (link.valid_until != 0 && link.valid_until <= now_seconds) continue;
    ASSIGN_OR_RETURN(const EventSummary* event, Event(link.event_id));
    if (event == nullptr) continue;  // deleted since the snapshot was built
    if (!MayRead(options_.viewer, {event->tlp, event->owner_org_id, event->recipient_org_ids})) {
      continue;
    }
    indicator->readable = true;
    indicator->tlp = std::max(indicator->tlp, event->tlp);
    AlertEvent named{event->uuid, event->title, event->tlp, event->tags, {}};
    for (const auto& [family_event_id, family] : value_families) {
      if (family_event_id == link.event_id) named.value_families.push_back(family);
    }
    AppendEventFamilies(event->tags, named.value_families, indicator->families);
    indicator->events.push_back(std::move(named));
    indicator->summaries.push_back(*event);
  }
  const Indicator* result = indicator.get();
  indicators_.emplace(hit.observable_id, std::move(indicator));
  return result;
}

Result<const EventSummary*> Matcher::Event(int64_t event_id) {
  auto cached = events_.find(event_id);
  if (cached == events_.end()) {
    ASSIGN_OR_RETURN(std::optional<EventSummary> event, store_.GetEventById(event_id));
    cached = events_.emplace(event_id, std::move(event)).first;
  }
  return cached->second ? &*cached->second : nullptr;
}

Status Matcher::Hit(const telemetry::Record& record, const telemetry::Candidate& candidate,
                    const SnapshotHit& hit) {
  ASSIGN_OR_RETURN(const Indicator* indicator, Verify(hit));
  if (!indicator->readable) {
    ++summary_.unreadable_hits;
    return Status::Ok();
  }
  // A listed value is never live, but a live network or parent domain can
  // hold one ("warning-list values never alert"): check what was seen
  // when it is not the indicator itself. Hits are rare; the lists are
  // read once per snapshot.
  if (Result<Observable> seen = Normalize(candidate.type, candidate.value);
      seen.ok() && seen->value != hit.matched.value) {
    ASSIGN_OR_RETURN(const WarningListMatcher* lists, snapshot_->WarningLists(store_));
    if (lists->Match(*seen)) {
      ++summary_.warning_listed;
      return Status::Ok();
    }
  }
  // One host is one victim however its address was written
  // ("2001:DB8::1", "2001:db8:0::1", "::ffff:10.0.0.5"): each spelling
  // would open its own alert and sighting.
  std::string victim(candidate.victim);
  std::optional<IpAddress> victim_address;
  if (!victim.empty()) {
    if (Result<IpAddress> address = ParseIp(victim); address.ok()) {
      victim_address = *address;
      victim = FormatIp(*address);
    }
  }
  // A record that names the indicator twice for one victim (a query and its
  // CNAME under one listed domain; a text line repeating a URL) is one
  // sighting, not two.
  if (record.line != hit_record_line_ || record.offset != hit_record_offset_ ||
      record.source != hit_record_source_) {
    hit_record_source_ = std::string(record.source);
    hit_record_line_ = record.line;
    hit_record_offset_ = record.offset;
    hit_record_seen_.clear();
  }
  std::pair<int64_t, std::string> record_key{hit.observable_id, victim};
  if (std::find(hit_record_seen_.begin(), hit_record_seen_.end(), record_key) != hit_record_seen_.end()) {
    return Status::Ok();
  }
  hit_record_seen_.push_back(std::move(record_key));

  ++summary_.hits;
  // Alerts and sightings keep the millisecond (hits within one second
  // stay in order); windows count whole seconds.
  const int64_t seen_millis = RecordMillis(record.timestamp).value_or(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count());
  const int64_t seen_seconds = seen_millis >= 0 ? seen_millis / 1000 : -((-seen_millis + 999) / 1000);
  const std::string seen_text = FormatTimestamp(TimePoint(std::chrono::milliseconds(seen_millis)));

  ++summary_.by_indicator[std::string(TypeName(hit.matched.type)) + " " + hit.matched.value];
  for (const std::string& family : indicator->families) ++summary_.by_family[family];

  const std::pair<int64_t, std::string> key{hit.observable_id, victim};
  // Within the window on either side of an open alert's first sighting: a
  // log read out of order (merged sensors, or a day back-filled after
  // today's) is no repeat of an alert hours away, and a hit back in an
  // earlier alert's window still counts into that one.
  // Newest first: a log read in order finds its alert at once.
  const std::vector<size_t>& open_for_key = open_alerts_[key];
  for (auto it = open_for_key.rbegin(); it != open_for_key.rend(); ++it) {
    const size_t open_idx = *it;
    Alert& alert = alerts_[open_idx];
    Result<TimePoint> first = ParseTimestamp(alert.first_seen);
    const int64_t first_seconds = first.ok() ? ToSeconds(*first) : seen_seconds;
    if (std::abs(seen_seconds - first_seconds) >= options_.window_seconds) continue;
    ++alert.count;
    alert.last_seen = std::max(alert.last_seen, seen_text);
    alert.first_seen = std::min(alert.first_seen, seen_text);
    if (std::find(dirty_.begin(), dirty_.end(), open_idx) == dirty_.end()) dirty_.push_back(open_idx);
    CountSighting(open_idx, hit.matched, seen_text);
    ++summary_.by_country[alert.routing.country.empty() ? "unknown" : alert.routing.country];
    if (dirty_.size() >= options_.flush_every) return WriteAlerts();
    return Status::Ok();
  }

  Alert alert;
  alert.uuid = UuidV4();
  alert.observable_id = hit.observable_id;
  alert.matched = hit.matched;
  alert.seen = std::string(candidate.value);
  alert.kind = std::string(record.kind);
  alert.source = std::string(record.source) + ":" + std::to_string(record.line);
  alert.offset = record.offset;
  alert.events = indicator->events;
  alert.families = indicator->families;
  alert.tlp = indicator->tlp;
  alert.victim = victim;
  if (victim_address) alert.routing = router_.Route(*victim_address);
  alert.first_seen = seen_text;
  alert.last_seen = seen_text;
  AlertRow row;
  row.uuid = alert.uuid;
  row.created = FormatTimestamp(clock_.Now());
  row.observable_id = alert.observable_id;
  row.tlp = alert.tlp;
  row.owner_org_id = options_.viewer.org_id;
  row.routed_org_id = alert.routing.org_id;
  // Routing names a recipient only if that organisation could read every
  // event the alert names anyway: an alert never widens an event's audience.
  // One that may read some of them is still warned of its victim, with
  // those events only (routed_partial): a value in a GREEN feed and in the
  // reporter's own AMBER report must reach the victim's organisation.
  if (row.routed_org_id != 0) {
    bool reads_all = true;
    bool reads_some = false;
    std::vector<std::string> routed_families;
    for (size_t event_idx = 0; event_idx < indicator->summaries.size(); ++event_idx) {
      const EventSummary& event = indicator->summaries[event_idx];
      if (!MayRead({row.routed_org_id, Role::kAnalyst}, {event.tlp, event.owner_org_id, event.recipient_org_ids})) {
        reads_all = false;
        continue;
      }
      reads_some = true;
      AppendEventFamilies(indicator->events[event_idx].tags, indicator->events[event_idx].value_families,
                          routed_families);
    }
    row.routed_reads = reads_all;
    row.routed_partial = !reads_all && reads_some;
    if (row.routed_partial) row.routed_families = AlertFamiliesKey(routed_families);
  }
  row.country = alert.routing.country;
  row.victim = victim;
  // A stored alert with this row's key and audience, within the window:
  // the hit counts into it. Its id and first sighting (what it says it
  // saw, where) stay; events, families and routing are today's.
  ASSIGN_OR_RETURN(std::optional<AlertRow> stored, StoredOpenAlert(row, seen_seconds));
  if (stored) {
    ContinueStoredAlert(*stored, alert);
    row = std::move(*stored);
    row.json.clear();
    ++summary_.continued_alerts;
  } else if (options_.store_alerts && options_.window_seconds > 0) {
    // Another request may open the same alert before this one is stored.
    row.fold_after = SecondsText(seen_seconds - options_.window_seconds);
    row.fold_before = SecondsText(seen_seconds + options_.window_seconds);
  }
  ++summary_.alerts;
  ++summary_.by_country[alert.routing.country.empty() ? "unknown" : alert.routing.country];
  RETURN_IF_ERROR(sink_.OnAlert(alert));

  open_alerts_[key].push_back(alerts_.size());
  dirty_.push_back(alerts_.size());
  CountSighting(alerts_.size(), hit.matched, seen_text);
  alerts_.push_back(std::move(alert));
  rows_.push_back(std::move(row));
  if (dirty_.size() >= options_.flush_every) return WriteAlerts();
  return Status::Ok();
}

void Matcher::CountSighting(size_t alert_idx, const Observable& matched, const std::string& seen_text) {
  SightingInput& sighting = sightings_[alert_idx];
  if (!sighting.observable) {
    sighting.observable = matched;
    sighting.org_id = options_.viewer.org_id;
    sighting.count = 0;
    sighting.first_seen = seen_text;
    sighting.source = "accord match";
  }
  ++sighting.count;
  sighting.first_seen = std::min(sighting.first_seen, seen_text);
  sighting.last_seen = std::max(sighting.last_seen, seen_text);
}

Result<std::optional<AlertRow>> Matcher::StoredOpenAlert(const AlertRow& like, int64_t seen_seconds) {
  if (!options_.store_alerts || options_.window_seconds <= 0) return std::optional<AlertRow>();
  return store_.FindOpenAlert(like, SecondsText(seen_seconds - options_.window_seconds),
                              SecondsText(seen_seconds + options_.window_seconds));
}

Status Matcher::Flush() {
  RETURN_IF_ERROR(OnInputWait());
  return WriteAlerts();
}

// Not Flush: a hit writes from inside FinishOldest, whose hits it must not
// finish again.
Status Matcher::WriteAlerts() {
  if (!options_.store_alerts || (dirty_.empty() && sightings_.empty())) {
    dirty_.clear();
    sightings_.clear();
    return Status::Ok();
  }
  std::vector<AlertRow> batch;
  batch.reserve(dirty_.size());
  for (size_t alert_idx : dirty_) {
    AlertRow& row = rows_[alert_idx];
    const Alert& alert = alerts_[alert_idx];
    row.count = alert.count;
    row.first_seen = alert.first_seen;
    row.last_seen = alert.last_seen;
    // A stored row takes only the counts (the store widens its json).
    if (row.id == 0) row.json = alert.ToJson();
    batch.push_back(row);
  }
  // Copied, not moved: a failed write keeps them for the next (Flush).
  // Each alert's sightings are one row (origin "alert:<id>"), however often
  // written and by however many runs and requests.
  std::vector<SightingInput> sightings;
  sightings.reserve(sightings_.size());
  for (const auto& [alert_idx, sighting] : sightings_) {
    sightings.push_back(sighting);
    sightings.back().origin_id = "alert:" + alerts_[alert_idx].uuid;
  }
  int64_t new_alerts = 0;
  for (const AlertRow& row : batch) new_alerts += row.id == 0 ? 1 : 0;
  std::vector<size_t> stored_new;  // alerts inserted by this write
  stored_new.reserve(static_cast<size_t>(new_alerts));
  // The run's first write and every write that opens alerts are audited;
  // a long stream's count updates between them are not (one record every
  // two seconds would bury the log).
  std::optional<AuditEntry> audit;
  if (!audited_ || new_alerts > 0) {
    audit.emplace();
    audit->time = FormatTimestamp(clock_.Now());
    audit->actor = options_.actor;
    audit->action = "match";
    audit->object = "telemetry";
    audit->source_address = options_.source_address;
    audit->detail = nlohmann::json{{"alerts_new", new_alerts},
                                   {"alerts_updated", static_cast<int64_t>(batch.size()) - new_alerts},
                                   {"sightings", sightings.size()}}
                        .dump();
  }
  RETURN_IF_ERROR(store_.RecordAlerts(batch, sightings, audit));
  audited_ = true;
  std::vector<std::pair<std::string, size_t>> folded;  // reported uuid, alert
  for (size_t batch_idx = 0; batch_idx < batch.size(); ++batch_idx) {
    AlertRow& row = rows_[dirty_[batch_idx]];
    Alert& alert = alerts_[dirty_[batch_idx]];
    if (row.id == 0 && batch[batch_idx].uuid == alert.uuid) stored_new.push_back(dirty_[batch_idx]);
    row.id = batch[batch_idx].id;
    row.json.clear();
    // With what other writers counted into it meanwhile.
    row.count = row.stored_count = batch[batch_idx].stored_count;
    alert.count = row.count;
    // Acknowledged while this run counted into it: what was counted stays
    // there, and the next hit is news again (a new alert), as it is for a
    // later run.
    if (!batch[batch_idx].acknowledged_at.empty()) {
      if (auto open = open_alerts_.find({row.observable_id, row.victim}); open != open_alerts_.end()) {
        std::erase(open->second, dirty_[batch_idx]);
      }
    }
    if (batch[batch_idx].uuid != alert.uuid) {  // folded into another's
      folded.emplace_back(alert.uuid, dirty_[batch_idx]);
      // As if the hit had found it stored: its id and first sighting, and
      // the window measured from its first_seen.
      ContinueStoredAlert(batch[batch_idx], alert);
      alert.count = row.count;
      row.uuid = alert.uuid;
      ++summary_.continued_alerts;
    }
  }
  last_write_seconds_ = ToSeconds(clock_.Now());
  dirty_.clear();
  sightings_.clear();
  // Stored first: a sink whose output fails at OnFolded has still notified.
  for (size_t alert_idx : stored_new) RETURN_IF_ERROR(sink_.OnStored(alerts_[alert_idx]));
  for (const auto& [reported, alert_idx] : folded) RETURN_IF_ERROR(sink_.OnFolded(reported, alerts_[alert_idx]));
  return Status::Ok();
}

}  // namespace accord::match
