// What an import finds already stored: STIX object versions it reads again,
// the indicators a bundle's group would take a second time, and the
// reports of other organisations sent again unchanged (importer.h).
#include <fmt/format.h>

#include <algorithm>

#include "core/policy.h"
#include "exchange/importer.h"

namespace accord::exchange_internal {
namespace {

// Whether every organisation that may read a group event (the importer's,
// at `level`, naming `recipients`) may read `held` (core/policy.h).
bool ReadersInclude(const EventSummary& held, Tlp level, int64_t importer, const std::vector<int64_t>& recipients) {
  const auto reads = [&held](int64_t org) {
    return org == held.owner_org_id || std::find(held.recipient_org_ids.begin(), held.recipient_org_ids.end(),
                                                 org) != held.recipient_org_ids.end();
  };
  switch (held.tlp) {
    case Tlp::kClear:
    case Tlp::kGreen:
      return true;  // every member
    case Tlp::kAmberStrict:
      return level == Tlp::kAmberStrict && importer == held.owner_org_id;
    case Tlp::kAmber:
    case Tlp::kRed:
      if (level == Tlp::kClear || level == Tlp::kGreen || !reads(importer)) return false;
      return level == Tlp::kAmberStrict || std::all_of(recipients.begin(), recipients.end(), reads);
  }
  return false;
}

}  // namespace

Result<std::optional<int64_t>> Importer::PutStixObject(const StixObjectRecord& object, int64_t event_id, Tlp tlp) {
  // Outside any event, the object keeps where it came from itself
  // (federation push reads it: nothing goes back to the peer it came from).
  StixObjectRecord sourced;
  if (event_id == 0) {
    sourced = object;
    sourced.source = source_prefix_ + in_.name();
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> seq, batch_->PutStixObject(event_id == 0 ? sourced : object, event_id,
                                                                     tlp, options_.owner_org_id));
  put_found_other_versions_ = false;
  if (seq) {
    // A version new to the node looks for others with one index probe
    // (most have none: a first import of a bundle); OnStixObject acts on
    // what it finds.
    if (!object.modified.empty()) {
      ASSIGN_OR_RETURN(put_found_other_versions_, batch_->HasOtherStixVersion(object.id, object.modified));
    }
    ++report_.stix_objects_new;
    return seq;
  }
  // STIX 2.1 (3.6): a changed object must get a later `modified`, so
  // (id, modified) names one content. A producer that breaks that rule
  // would otherwise have its second object silently counted as known.
  // Only versioned objects: an SCO's id may be shared by observations
  // that differ in properties its id is not derived from.
  if (!object.modified.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     batch_->StoredStixVersion(object.id, object.modified));
    if (stored && !SameStixVersion(*stored, object.json)) {
      OnReject({in_.name() + ": " + object.id, "",
                "another object with this id and modified " + object.modified +
                    " is already stored and is kept (a changed object needs a later modified)"});
      if (object.type == "indicator") refused_indicator_id_ = object.id;
      return std::optional<int64_t>();
    }
  }
  ++report_.stix_objects_known;
  return std::optional<int64_t>();
}

Result<bool> Importer::KnownToTheImporter(const Observable& observable, int64_t event_id,
                                          const LinkOutcome& outcome) {
  if (!outcome.link_created) return true;  // this event held it already
  // Held only where the importer may not read it (another organisation's
  // RED or AMBER+STRICT event): "already known" would tell it that some
  // organisation holds the value, which no read path tells it. New to it.
  return batch_->LinkedWhereReadable(observable, event_id, {options_.owner_org_id, options_.importer_role});
}

Result<bool> Importer::HeldForTheGroupsReaders(const Observable& observable, const IndicatorContext& context,
                                               int64_t group) {
  // The store's reads share the batch's connection: a link this import
  // wrote is seen.
  ASSIGN_OR_RETURN(std::optional<ObservableInfo> info, store_.LookupObservable(observable));
  if (!info) return false;
  const EventFacts& facts = levels_.Facts(group);
  const int64_t importer = options_.owner_org_id;
  // An indicator this node derived (for a value of a list or a MISP event,
  // which came without STIX) names the value with an id its link does not
  // keep: the events holding that derived object hold the value under it.
  std::vector<int64_t> derived_holders;
  StixObjectFilter filter;
  filter.ids = {context.stix_id};
  RETURN_IF_ERROR(store_.ForEachStixObject(filter, [&derived_holders](const StoredStixObject& object) {
    if (object.derived && object.event_id != 0) derived_holders.push_back(object.event_id);
    return Status::Ok();
  }));
  for (const EventLink& link : info->events) {
    const EventSummary& held = link.event;
    const bool same_object =
        link.context.stix_id == context.stix_id ||
        (link.context.stix_id.empty() &&
         std::find(derived_holders.begin(), derived_holders.end(), held.id) != derived_holders.end());
    // Another object's link (a report read later finds this object's
    // values by its id), or one ended since (a withdrawal moves its end).
    if (held.id == group || !same_object || link.context.valid_until != context.valid_until) {
      continue;
    }
    // Only the importer's own copy, or one of the same peer's data by the
    // other way (the importer is a peer's stand-in and the copy its
    // organisation's pull, or the copy is a stand-in's push for the
    // importer): another organisation's later version or revocation must
    // not end what the importer sent.
    if (!ReadersInclude(held, facts.tlp, importer, facts.recipients)) continue;
    if (held.owner_org_id == importer ||
        (options_.share_with_org_id != 0 && held.owner_org_id == options_.share_with_org_id)) {
      return true;
    }
    ASSIGN_OR_RETURN(std::optional<Organisation> holder, store_.FindOrganisationById(held.owner_org_id));
    if (holder && holder->shares_with_org_id == importer) return true;
  }
  return false;
}

Result<bool> Importer::IsStoredReportVersion(const EventRecord& event, const EventSummary& existing) {
  if (event.stix_id.empty() || event.modified.empty()) return false;
  // One the importer may not read stays refused: "known" would tell it the
  // version is there.
  if (!MayRead(Principal{options_.owner_org_id, Role::kReader},
               Visibility{existing.tlp, existing.owner_org_id, existing.recipient_org_ids})) {
    return false;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> stored, batch_->StoredStixVersion(event.stix_id, event.modified));
  return stored.has_value();
}

Status Importer::LeaveToKnownReport(int64_t report_event_id, const std::vector<std::string>& stix_ids) {
  // Only where every member reads both: the report and the group shared
  // at CLEAR or GREEN. Above GREEN the group's readers (this importer's
  // recipients) may not be the report's.
  ASSIGN_OR_RETURN(std::optional<EventSummary> report, store_.GetEventById(report_event_id));
  if (!report || !FitsWithin(report->tlp, Tlp::kGreen)) return Status::Ok();
  for (int64_t group : group_events_) {
    if (!unmarked_groups_.contains(group) && !FitsWithin(levels_.Facts(group).tlp, Tlp::kGreen)) continue;
    ASSIGN_OR_RETURN(int64_t removed, batch_->RemoveLinksByStixId(group, stix_ids));
    report_.links_added -= removed;
  }
  return Status::Ok();
}

Result<bool> Importer::IsOlderThanAStoredVersion(const EventRecord& event,
                                                const std::optional<EventSummary>& existing) {
  // Judged by the report's stored versions, not the event's modified time,
  // which the owner's edits move: a newer report received after an edit is
  // still newer.
  if (!existing || event.stix_id.empty() || event.modified.empty()) return false;
  StixObjectFilter filter;
  filter.ids = {event.stix_id};
  bool later_stored = false;
  RETURN_IF_ERROR(store_.ForEachStixObject(filter, [&](const StoredStixObject& stored) {
    later_stored = later_stored || (stored.owner_org_id == existing->owner_org_id &&
                                    IsLaterVersion(stored.modified, event.modified));
    return Status::Ok();
  }));
  return later_stored;
}

Status Importer::OnObjectOfForeignReport(const StixObjectRecord& object) {
  bool stored_same = false;
  if (object.modified.empty() && object.created.empty()) {
    // An SCO has no version of its own. One this node derived for the
    // report's event (a MISP event's context value) is stored under the
    // time the event's objects were made, so a copy with this content in
    // that event is this version. Only there: "known" must not tell the
    // sender that some other event, one it may not read, holds the value.
    if (auto report_event = foreign_report_events_.find(object.event_uuid);
        report_event != foreign_report_events_.end()) {
      StixObjectFilter filter;
      filter.ids = {object.id};
      filter.event_id = report_event->second;
      RETURN_IF_ERROR(store_.ForEachStixObject(filter, [&](const StoredStixObject& stored) {
        stored_same = stored_same || SameStixVersion(stored.json, object.json);
        return Status::Ok();
      }));
    }
  } else {
    // The store's version key: modified, else created.
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     batch_->StoredStixVersion(object.id, !object.modified.empty() ? object.modified : object.created));
    stored_same = stored && SameStixVersion(*stored, object.json);
  }
  foreign_object_refused_ = !stored_same;
  if (foreign_object_refused_) {
    OnReject({in_.name() + ": " + object.id, "",
              fmt::format("its report {} belongs to another organisation here; this version of the object "
                          "was not imported",
                          foreign_reports_.at(object.event_uuid))});
    return MaybeCommit();
  }
  ++report_.stix_objects_known;
  return MaybeCommit();
}

}  // namespace accord::exchange_internal
