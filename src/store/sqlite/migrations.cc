#include "store/sqlite/migrations.h"

#include <string>

#include "core/time.h"
#include "store/sqlite/migration_sql.h"

namespace accord::sqlite {

std::span<const Migration> AllMigrations() {
  // The texts are defined in migration_sql*.cc, so this list cannot be a
  // compile-time constant here; it is built on first use.
  static const Migration kMigrations[] = {
      {1, "initial schema", kInitialSchema},
      {2, "read-path indexes", kReadPathIndexes},
      {3, "users", kUsers},
      {4, "taxii", kTaxii},
      {5, "leaner stix_objects indexes", kLeanerStixIndexes},
      {6, "early warning", kEarlyWarning},
      {7, "24/7 network", kNetwork247},
      {8, "infostealer operations", kStealer},
      {9, "alert acknowledgement", kAlertAcknowledgement},
      {10, "links_by_observable covers the snapshot build", kCoveringLinksIndex},
      {11, "derived STIX objects for events that did not come as STIX", kDerivedStix},
      {12, "context and warning-listed values published as observables", kContextAsObservables},
      {13, "derived indicators with vocabulary indicator_types and a description",
       kRepublishDerivedIndicators},
      {14, "derived domain objects with version-4 uuids", kRepublishWithVersion4Ids},
      {15, "where each group of STIX objects begins, for TAXII identities and markings", kStixAnchors},
      {16, "MISP threat level and analysis of events", kMispGrading},
      {17, "MISP attributes that carry no observable", kMispOtherAttributes},
      {18, "MISP objects kept whole", kMispObjects},
      {19, "where STIX objects outside any event came from", kStixObjectSources},
      {20, "the organisation that reads what a peer node's stand-in brings", kOrganisationSharesWith},
      {21, "what names a sighting at its source", kSightingOrigins},
      {22, "an emptied event's STIX objects keep their group's first place", kAnchorsOfDeletedEvents},
      {23, "open alerts by indicator, victim and organisation", kOpenAlertsIndex},
      {24, "MISP attribute types and event creators", kMispTypesAndCreators},
      {25, "a deleted first object outside any event passes its group's place on",
       kAnchorsOutsideEventsOnDelete},
      {26, "valid_until and sighting times in one spelling", kOneSpellingForInstants},
      {27, "a link's first and last seen in one spelling", kOneSpellingForLinkTimes},
      {28, "the composite MISP attribute a value was a part of", kMispComposites},
      {29, "TLP 1.0 marking definitions named as STIX 2.1 names them", kTlp1MarkingNames},
      {30, "alerts by when telemetry last hit them, for the newest-first feed", kAlertsByLastSeen},
      {31, "the malware families each alert names, as a column", kAlertFamilies},
      {32, "request history lines sealed by the audit record written with them", kSealedRequestHistory},
      {33, "alerts warn a routed organisation that may read some of their events", kRoutedPartialAlerts},
      {34, "STIX object versions keyed in one spelling of their time", kStixVersionsInOneSpelling},
      {35, "an event's revision, one more at every write to it or its links", kEventRevisions},
      {36, "the malware family a feed names for one value", kLinkFamilies},
      {37, "no stored copies of the TLP marking definitions the node serves", kNoStoredTlpConstants},
  };
  return kMigrations;
}

int64_t LatestSchemaVersion() { return AllMigrations().back().version; }

Result<int64_t> AppliedSchemaVersion(Connection& connection) {
  RETURN_IF_ERROR(connection.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
      "create schema_migrations"));
  return connection.QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                             "read schema version");
}

Status ApplyMigrations(Connection& connection, int64_t up_to_version) {
  ASSIGN_OR_RETURN(int64_t applied, AppliedSchemaVersion(connection));
  if (applied > LatestSchemaVersion()) {
    return Status::FailedPrecondition(
        connection.path() + ": database schema version " + std::to_string(applied) +
        " is newer than this binary knows (" + std::to_string(LatestSchemaVersion()) +
        "); upgrade Accord");
  }
  for (const Migration& migration : AllMigrations()) {
    if (migration.version <= applied || migration.version > up_to_version) continue;
    std::string operation = "migration " + std::to_string(migration.version) + " (" +
                            std::string(migration.name) + ")";
    ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(connection, operation));
    // Re-read inside the write lock: another process may have migrated the
    // same database while this one waited.
    ASSIGN_OR_RETURN(int64_t now_applied, AppliedSchemaVersion(connection));
    if (now_applied >= migration.version) continue;
    RETURN_IF_ERROR(connection.Exec(migration.sql, operation));
    ASSIGN_OR_RETURN(auto record,
                     connection.Prepare("INSERT INTO schema_migrations(version, name, applied_at)"
                                        " VALUES (?, ?, ?)",
                                        "record " + operation));
    record->Bind(1, migration.version);
    record->Bind(2, migration.name);
    record->Bind(3, FormatTimestamp(SystemClock().Now()));
    RETURN_IF_ERROR(record->Run());
    RETURN_IF_ERROR(transaction->Commit());
  }
  return Status::Ok();
}

}  // namespace accord::sqlite
