// The SQL text of each migration, internal to store/sqlite. The exchange
// core's are defined in migration_sql.cc, those of the other jobs (early
// warning, the 24/7 network, infostealer operations) in
// migration_sql_jobs.cc; migrations.cc numbers and names them.
#pragma once

#include <string_view>

namespace accord::sqlite {

extern const std::string_view kInitialSchema;               // 1
extern const std::string_view kReadPathIndexes;             // 2
extern const std::string_view kUsers;                       // 3
extern const std::string_view kTaxii;                       // 4
extern const std::string_view kLeanerStixIndexes;           // 5
extern const std::string_view kEarlyWarning;                // 6
extern const std::string_view kNetwork247;                  // 7
extern const std::string_view kStealer;                     // 8
extern const std::string_view kAlertAcknowledgement;        // 9
extern const std::string_view kCoveringLinksIndex;          // 10
extern const std::string_view kDerivedStix;                 // 11
extern const std::string_view kContextAsObservables;        // 12
extern const std::string_view kRepublishDerivedIndicators;  // 13
extern const std::string_view kRepublishWithVersion4Ids;    // 14
extern const std::string_view kStixAnchors;                 // 15
extern const std::string_view kMispGrading;                 // 16
extern const std::string_view kMispOtherAttributes;         // 17
extern const std::string_view kMispObjects;                 // 18
extern const std::string_view kStixObjectSources;           // 19
extern const std::string_view kOrganisationSharesWith;      // 20
extern const std::string_view kSightingOrigins;             // 21
extern const std::string_view kAnchorsOfDeletedEvents;      // 22
extern const std::string_view kOpenAlertsIndex;             // 23 (migration_sql_jobs.cc)
extern const std::string_view kMispTypesAndCreators;        // 24
extern const std::string_view kAnchorsOutsideEventsOnDelete;  // 25
extern const std::string_view kOneSpellingForInstants;        // 26
extern const std::string_view kOneSpellingForLinkTimes;       // 27
extern const std::string_view kMispComposites;                // 28
extern const std::string_view kTlp1MarkingNames;              // 29
extern const std::string_view kAlertsByLastSeen;              // 30 (migration_sql_jobs.cc)
extern const std::string_view kAlertFamilies;                 // 31 (migration_sql_jobs.cc)
extern const std::string_view kSealedRequestHistory;          // 32 (migration_sql_jobs.cc)
extern const std::string_view kRoutedPartialAlerts;           // 33 (migration_sql_jobs.cc)
extern const std::string_view kStixVersionsInOneSpelling;     // 34
extern const std::string_view kEventRevisions;                // 35
extern const std::string_view kLinkFamilies;                  // 36
extern const std::string_view kNoStoredTlpConstants;          // 37

}  // namespace accord::sqlite
