// The import pipeline's record sink: what a reader (STIX, MISP, CSV, list,
// JSON records) hands over is normalized, checked against the warning
// lists, linked at its own TLP level, and written to the store in batches
// of one transaction each; what must wait for the whole file (report
// members, sightings, withdrawals, unmarked identities) is resolved in
// Finish, which commits the last batch. ImportStream (import_stream.cc)
// drives it. Internal to exchange/.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/time.h"
#include "exchange/exchange.h"
#include "exchange/node_built_objects.h"
#include "exchange/unmarked_identities.h"
#include "exchange/value_levels.h"
#include "exchange/withdrawals.h"
#include "misp/misp.h"
#include "store/store.h"

namespace accord::exchange_internal {

// A file's name without its folders ("<stdin>" as it is).
std::string BaseName(const std::string& path);

// The file's name for messages. An archive member is named
// "ARCHIVE/MEMBER" (ForEachArchiveMember): "feeds.tar.gz/urlhaus.csv",
// where the base name alone would hide which archive holds it.
std::string DisplayName(const std::string& path);

class Importer final : public RecordSink {
 public:
  Importer(Store& store, const ImportOptions& options, InputStream& in, ImportReport& report,
           const WarningListMatcher& warnings)
      : store_(store),
        options_(options),
        in_(in),
        report_(report),
        warnings_(warnings),
        committed_(report),
        levels_(store, options.owner_org_id, options.share_with_org_id),
        unmarked_identities_(options.default_tlp) {}

  Status Begin() {
    batch_.reset();  // the store allows one open batch at a time
    ASSIGN_OR_RETURN(batch_, store_.BeginImport());
    in_batch_ = 0;
    batch_started_ = clock().Now();
    return Status::Ok();
  }

  // Everything goes into this event (ImportOptions::into_event).
  void set_target(const EventSummary& event) {
    target_ = event;
    target_id_ = event.id;
    target_uuid_ = event.uuid;
    levels_.Note(event.id, {event.uuid, event.title, event.source, event.created, event.modified, event.tlp,
                            event.recipient_org_ids});
  }

  Status OnEvent(EventRecord event) override;
  Status OnIndicator(IndicatorRecord indicator) override;
  Status OnStixObject(StixObjectRecord object) override;
  Status OnSighting(SightingRecord sighting) override;

  Status OnWithdrawal(Withdrawal withdrawal) override;

  Status OnEventMembers(EventMembers members) override {
    pending_members_.push_back(std::move(members));
    return Status::Ok();
  }

  void OnReject(Rejection rejection) override {
    ++(rejection.not_matched ? report_.not_matched : report_.rejected);
    // The readers name a member of an archive by its own name.
    if (display_name_ != BaseName(in_.name())) rejection.location = InFile(rejection.location);
    if (options_.on_reject) options_.on_reject(rejection);
  }

  // Resolves what had to wait for the whole file, then commits.
  Status Finish();

  void set_source_prefix(std::string prefix) { source_prefix_ = std::move(prefix); }
  // Rolls the open batch back now (a failed read), so the store shows only
  // what was committed, and so does the report: its counts of what was
  // stored go back to where the last commit left them (a broken CSV said
  // "1 new value" of a value its rolled-back batch never kept). What the
  // file held (rejections, notes) stays counted.
  void Abandon() {
    batch_.reset();
    committed_.RestoreInto(report_);
  }

 private:
  // The report's counts of what was stored, as of the last commit.
  struct StoredCounts {
    explicit StoredCounts(const ImportReport& report) { TakeFrom(report); }
    void TakeFrom(const ImportReport& report) {
      new_values = report.new_values;
      known_values = report.known_values;
      warninglisted = report.warninglisted;
      links_added = report.links_added;
      stix_objects_new = report.stix_objects_new;
      stix_objects_known = report.stix_objects_known;
      sightings = report.sightings;
      sightings_updated = report.sightings_updated;
      withdrawn = report.withdrawn;
    }
    void RestoreInto(ImportReport& report) const {
      report.new_values = new_values;
      report.known_values = known_values;
      report.warninglisted = warninglisted;
      report.links_added = links_added;
      report.stix_objects_new = stix_objects_new;
      report.stix_objects_known = stix_objects_known;
      report.sightings = sightings;
      report.sightings_updated = sightings_updated;
      report.withdrawn = withdrawn;
    }
    int64_t new_values = 0, known_values = 0, warninglisted = 0, links_added = 0;
    int64_t stix_objects_new = 0, stix_objects_known = 0;
    int64_t sightings = 0, sightings_updated = 0, withdrawn = 0;
  };

  const Clock& clock() const { return options_.clock ? *options_.clock : system_clock_; }

  bool BatchFull() const {
    if (in_batch_ >= options_.batch_size) return true;
    // The clock is read every 256 values, not per value.
    if (options_.batch_seconds <= 0 || in_batch_ % 256 != 0) return false;
    return clock().Now() - batch_started_ >= std::chrono::seconds(options_.batch_seconds);
  }

  // A location that names no file ("indicator--..." from a STIX bundle)
  // gets the file's name, as the reader's own rejections have it: with
  // several files in one run, the user must see which one.
  std::string InFile(const std::string& location) const;

  bool IsGroupEvent(int64_t event_id) const {
    return std::find(group_events_.begin(), group_events_.end(), event_id) != group_events_.end();
  }

  // Links a value into its event, or, when the value is marked more
  // strictly than the event (a TLP:RED indicator in a TLP:GREEN report, a
  // MISP attribute tagged tlp:red, a CSV row at RED in a file of GREEN
  // rows), into a companion event at the value's own level: readers of the
  // event's level must not read it (core/policy.h).
  Result<LinkOutcome> LinkValue(int64_t event_id, const Observable& observable,
                                const IndicatorContext& context, std::optional<Tlp> tlp,
                                const std::string& warninglist, LinkMerge merge = LinkMerge::kMerge) {
    ASSIGN_OR_RETURN(int64_t into, levels_.EventFor(event_id, tlp, *batch_, report_));
    return batch_->Link(into, observable, context, warninglist, merge);
  }

  // The values held by OnIndicator whose object `stix_ids` names: into
  // the report's event (or its companion at their level).
  Status LinkSecondObjects(int64_t event_id, const std::vector<std::string>& stix_ids);

  // The stored row's seq when the object was new to the node
  // (importer_known.cc, with what follows).
  Result<std::optional<int64_t>> PutStixObject(const StixObjectRecord& object, int64_t event_id, Tlp tlp);
  // The values of a known report of another organisation (foreign_reports_)
  // that this import's groups took before the report was read: known, they
  // leave the groups, as a report of the importer's own takes them.
  Status LeaveToKnownReport(int64_t report_event_id, const std::vector<std::string>& stix_ids);
  // The values of `stix_ids` leave this import's groups whose readers the
  // report's event covers (it took them, or an older version of it named
  // them).
  Status LeaveGroupsFor(int64_t report_event_id, const std::vector<std::string>& stix_ids);
  // The values of `stix_ids` in this import's groups marked more strictly
  // than the report's event go to its companion at their level.
  Status IntoCompanionsFor(int64_t report_event_id, const std::vector<std::string>& stix_ids);
  // Whether `event` is a STIX report version older than one of the same
  // report that the event's owner stored.
  Result<bool> IsOlderThanAStoredVersion(const EventRecord& event, const std::optional<EventSummary>& existing);
  // A STIX bundle's group of the values and objects no report names
  // (BundleReader::GroupEvent).
  bool IsBundleGroup(const EventRecord& event) const { return event.stix_id.empty() && source_prefix_ == "stix:"; }
  // Whether `observable` is linked, by the same object (context.stix_id)
  // and not ended since, in an event that every reader of `group` may read,
  // of the importer, of the organisation it shares with, or of a stand-in
  // that shares with it.
  Result<bool> HeldForTheGroupsReaders(const Observable& observable, const IndicatorContext& context,
                                       int64_t group);
  // Whether a value linked into `event_id` that the node held already is
  // one the importer could read before (it counts as known), not only one
  // another organisation holds where the importer may not read it (new).
  Result<bool> KnownToTheImporter(const Observable& observable, int64_t event_id, const LinkOutcome& outcome);
  // Whether the STIX report `event` was read from is stored, this version,
  // in `existing`, which the importer may read.
  Result<bool> IsStoredReportVersion(const EventRecord& event, const EventSummary& existing);
  // An object of another organisation's report sent again: known if this
  // version is stored, else refused (that event is not ours to change).
  Status OnObjectOfForeignReport(const StixObjectRecord& object);
  // The level a STIX object that came without a TLP marking is stored at:
  // its event's (a GREEN report's readers must be able to fetch the
  // objects it names, as they read its values), else the import's default.
  Tlp UnmarkedObjectLevel(const StixObjectRecord& object, int64_t event_id) const;
  // The objects a bundle's group events hold, and the unmarked ones it
  // stored outside any event, that a report read later names go into the
  // report's event, as their values do.
  // `stricter`: see StricterReportMembers (empty without a target).
  Status MoveObjectsIntoReports(const std::unordered_map<std::string, Tlp>& stricter);
  // Into a target event: the members of reports stricter than the target,
  // each at the widest such level (none when a report at the target's
  // level names it too).
  std::unordered_map<std::string, Tlp> StricterReportMembers() const;
  // Their objects, then (after the reports took their members) their
  // links, go to the target's companion at that level.
  Status MoveObjectsOfStricterReports(const std::unordered_map<std::string, Tlp>& stricter);
  Status MoveLinksOfStricterReports(const std::unordered_map<std::string, Tlp>& stricter);

  Status MaybeCommit();

  Store& store_;
  const ImportOptions& options_;
  InputStream& in_;
  const std::string display_name_ = DisplayName(in_.name());
  ImportReport& report_;
  const WarningListMatcher& warnings_;
  StoredCounts committed_;
  std::unique_ptr<ImportBatch> batch_;
  size_t in_batch_ = 0;
  SystemClock system_clock_;
  TimePoint batch_started_;
  int64_t values_seen_ = 0;
  std::string source_prefix_;
  std::unordered_map<std::string, int64_t> event_ids_;
  std::unordered_set<std::string> refused_events_;
  // Of those, another organisation's reports whose version is stored
  // (reader uuid -> report id), and whether the object read last in one
  // was new to the node (refused: its values follow it).
  std::unordered_map<std::string, std::string> foreign_reports_;
  std::unordered_map<std::string, int64_t> foreign_report_events_;  // the same, to the stored event's id
  bool foreign_object_refused_ = false;
  // The indicator read last, when its version was already stored and it
  // went into a bundle's group event (its values follow it).
  std::string known_indicator_id_;
  // The indicator just read whose object was refused: a different object
  // under a stored (id, modified). Its values are not linked either.
  std::string refused_indicator_id_;
  // The node's node_id, read at the first event (NodeEventUuid); empty on
  // a store without one.
  std::optional<std::string> node_salt_;
  NodeBuiltObjects node_built_objects_{store_};
  // The last PutStixObject stored a new version of an object that has
  // other versions stored (its one index probe, which withdrawals reuse).
  bool put_found_other_versions_ = false;
  std::vector<int64_t> group_events_;
  EventSummary target_;
  int64_t target_id_ = 0;
  std::string target_uuid_;
  // With a target: the TLP each event read was marked with (reader uuid).
  std::unordered_map<std::string, Tlp> incoming_levels_;
  // Per reader event uuid: the level a stated --tlp gives the values of an
  // existing, wider event that carry no marking of their own (OnEvent).
  std::unordered_map<std::string, Tlp> unmarked_levels_;
  std::vector<EventMembers> pending_members_;
  // What the importer knows of each event it wrote to, and their
  // companions for values marked more strictly.
  ValueLevels levels_;
  struct HeldValue {
    Observable observable;
    IndicatorContext context;
    std::optional<Tlp> tlp;
    std::string warninglist;
    int64_t group_event_id = 0;
    bool claimed = false;  // a report named it
  };
  std::unordered_set<int64_t> unmarked_groups_;  // group events of unmarked values
  // The rows (seq, ascending) of the unmarked objects this import stored
  // outside any event (8 bytes each: a malware or attack pattern read
  // before its report).
  std::vector<int64_t> unmarked_outside_;
  // Marked objects this import stored outside any event (a malware read
  // before the report that names it), by level: a report may claim them.
  std::map<Tlp, std::vector<int64_t>> marked_outside_;
  // Into a target event: (creator, object id) of unmarked objects stored in
  // it, noted once their final level is known.
  std::vector<std::pair<std::string, std::string>> target_creators_;
  Withdrawals withdrawals_{store_, options_.owner_org_id};
  std::vector<HeldValue> second_objects_;
  std::vector<std::pair<SightingInput, std::string>> pending_sightings_;
  // Ids of the `indicates` relationships read: at the end each names its
  // malware as the family of its indicator's values (alerts show it).
  std::set<std::string> indicates_relationships_;
  UnmarkedIdentities unmarked_identities_;
};

}  // namespace accord::exchange_internal
