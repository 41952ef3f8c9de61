// What an import finds already stored: STIX object versions it reads again,
// the indicators a bundle's group would take a second time, and the
// reports of other organisations sent again unchanged (importer.h).
#include <fmt/format.h>

#include "exchange/importer.h"
#include "store/stix_read_check.h"

namespace accord::exchange_internal {

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
  if (seq) {
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
      return std::optional<int64_t>();
    }
  }
  ++report_.stix_objects_known;
  return std::optional<int64_t>();
}

Result<bool> Importer::KnownInAnotherEvent(const StixObjectRecord& object, int64_t event_id) {
  // Stored by this import's open batch (the same object twice in one
  // file): the store's readers do not see it yet, and it went where this
  // one goes.
  StixObjectFilter filter;
  filter.ids = {object.id};
  std::optional<StoredStixObject> stored;
  RETURN_IF_ERROR(store_.ForEachStixObject(filter, [&](const StoredStixObject& version) {
    if (version.modified == object.modified) stored = version;
    return Status::Ok();
  }));
  if (!stored || stored->event_id == 0 || stored->event_id == event_id) return false;
  // Where the importing organisation could not read it, its values would
  // be lost to it: they go into its group as before.
  StixReadCheck check(store_, Principal{options_.owner_org_id, Role::kReader});
  return check.MayReadObject(*stored);
}

Result<bool> Importer::IsStoredReportVersion(const EventRecord& event) {
  if (event.stix_id.empty() || event.modified.empty()) return false;
  ASSIGN_OR_RETURN(std::optional<std::string> stored, batch_->StoredStixVersion(event.stix_id, event.modified));
  return stored.has_value();
}

Status Importer::OnObjectOfForeignReport(const StixObjectRecord& object) {
  if (!object.modified.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> stored, batch_->StoredStixVersion(object.id, object.modified));
    if (!stored || !SameStixVersion(*stored, object.json)) {
      refused_objects_.insert(object.id);
      OnReject({in_.name() + ": " + object.id, "",
                fmt::format("its report {} belongs to another organisation here; this version of the object "
                            "was not imported",
                            foreign_reports_.at(object.event_uuid))});
      return MaybeCommit();
    }
  }
  // A cyber-observable's id is derived from its value: known with it.
  ++report_.stix_objects_known;
  return MaybeCommit();
}

}  // namespace accord::exchange_internal
