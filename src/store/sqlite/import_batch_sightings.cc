// SqliteImportBatch's sightings: counted against the values they name (one
// row per value), and merged, not added again, when their source names
// them again (kMergeSighting in import_batch.cc: a later version of a STIX
// sighting, the same file imported twice).
#include "store/sqlite/import_batch.h"

namespace accord::sqlite {

Result<SightingOutcome> SqliteImportBatch::AddSighting(const SightingInput& sighting) {
  auto bind_details = [&](Statement& statement) {
    statement.BindIdOrNull(2, sighting.org_id);
    statement.Bind(3, sighting.count);
    statement.BindTextOrNull(4, sighting.first_seen);
    statement.BindTextOrNull(5, sighting.last_seen);
    statement.BindTextOrNull(6, sighting.source);
    statement.BindTextOrNull(7, sighting.origin_id);
  };
  // Rows under the sighting's origin id: a name its source gave before
  // merges (kMergeSighting) rather than adding, so what the write added is
  // the difference (the statement's change count includes merges).
  auto rows_of_origin = [&]() -> Result<int64_t> {
    if (sighting.origin_id.empty()) return int64_t{0};
    if (!count_sighting_origin_) {
      ASSIGN_OR_RETURN(count_sighting_origin_,
                       connection_.Prepare("SELECT count(*) FROM sightings WHERE origin_id = ?1 AND org_id IS ?2",
                                           "count sightings by origin"));
    }
    // Per organisation: a second one importing the same feed records it too.
    Statement& count = *count_sighting_origin_;
    ResetOnExit reset(count);
    count.Bind(1, sighting.origin_id);
    count.BindIdOrNull(2, sighting.org_id);
    ASSIGN_OR_RETURN(bool row, count.Step());
    return row ? count.Int(0) : 0;
  };
  auto outcome_of = [&](Statement& insert) -> Result<SightingOutcome> {
    SightingOutcome outcome;
    ASSIGN_OR_RETURN(outcome.known, rows_of_origin());
    RETURN_IF_ERROR(insert.Run());
    if (sighting.origin_id.empty()) {
      outcome.added = insert.Changes();  // no origin, nothing to merge into
    } else {
      ASSIGN_OR_RETURN(const int64_t after, rows_of_origin());
      outcome.added = after - outcome.known;
      outcome.updated = insert.Changes() - outcome.added;
    }
    return outcome;
  };
  if (sighting.observable) {
    int64_t observable_id = 0;
    {
      Statement& select = *statements_.select_observable;
      ResetOnExit reset(select);
      select.Bind(1, static_cast<int64_t>(sighting.observable->type));
      select.Bind(2, sighting.observable->value);
      ASSIGN_OR_RETURN(bool found, select.Step());
      if (!found) {
        SightingOutcome outcome;
        ASSIGN_OR_RETURN(outcome.known, rows_of_origin());
        return outcome;
      }
      observable_id = select.Int(0);
    }
    Statement& insert = *statements_.sighting_by_observable;
    ResetOnExit reset(insert);
    insert.Bind(1, observable_id);
    bind_details(insert);
    return outcome_of(insert);
  }
  if (sighting.indicator_stix_id.empty()) {
    return Status::Invalid("sighting: neither an observable nor an indicator id");
  }
  Statement& insert = *statements_.sighting_by_stix_id;
  ResetOnExit reset(insert);
  insert.Bind(1, sighting.indicator_stix_id);
  bind_details(insert);
  return outcome_of(insert);
}

}  // namespace accord::sqlite
