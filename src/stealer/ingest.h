// Infostealer operations on the store: ingest stealer logs and partner C2
// lists into an operation, purge its personal data when retention ends,
// answer the exposure range query, and build the takedown, notification and
// summary packages.
//
// Ingest streams: machines are parsed one at a time and written in batches
// (one transaction each, with its audit record), so memory stays flat
// whatever the input's size. A machine already in the operation (the same
// machine id, e.g. from an overlapping archive) is counted as a duplicate
// and adds nothing. C2 servers become rows with their hosting country and
// ASN (GeoIP) and evidence, and indicators (role c2) of the operation's
// event, so the early-warning engine matches them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "core/tlp.h"
#include "geo/geo.h"
#include "stealer/source.h"
#include "stealer/stealer.h"
#include "store/store.h"

namespace accord::stealer {

inline constexpr int64_t kDefaultRetentionDays = 180;

struct IngestOptions {
  std::string operation;
  int64_t org_id = 0;              // the coordinating organisation
  // The operation's C2 event's level (what the operation is read as):
  // nullopt keeps the level it has (amber for a new one).
  std::optional<Tlp> tlp;
  // Organisations made recipients of the C2 event (added to those it has),
  // so an AMBER or RED operation is shared with them and no one else.
  std::vector<int64_t> share_with_org_ids;
  int64_t retention_days = 0;      // 0: keep the operation's (new ones: 180)
  std::string actor = "cli";
  std::string source_address = "local";
  SourceOptions source;
  const geo::GeoDatabase* geo = nullptr;  // hosting country and ASN
  size_t batch_machines = 256;
  std::function<void(int64_t machines, int64_t credentials)> on_progress;
};

struct IngestReport {
  int64_t machines = 0;            // machine folders parsed
  int64_t new_victims = 0;
  int64_t duplicates = 0;          // machines the operation already had
  int64_t credentials = 0;         // of new victims
  int64_t c2_servers = 0;          // C2 values read from partner lists
  int64_t c2_rejected = 0;
  std::map<std::string, int64_t> by_family;  // new victims per family
  std::vector<SourceProblem> problems;       // unknown layouts, unreadable files, C2 rejects
};

// Ingests each path: a folder or archive of stealer logs, or a partner C2
// list (a .csv with a header, or a STIX bundle .json). Errors stop the
// ingest only for the input itself being unusable; everything committed
// before stays (and is in the report).
Result<IngestReport> Ingest(Store& store, const IngestOptions& options,
                            const std::vector<std::string>& paths, const Clock& clock);

// The uuid of the event holding an operation's C2 indicators: visibility of
// the operation follows that event's TLP. The event the operation recorded
// at its first C2 list (a random uuid); else the coordinator's event under
// the uuid earlier versions derived from the operation's name (version 4,
// or version 5 before that: DerivedEventUuid in exchange/exchange.h); else
// nullopt, no C2 list yet. Anyone who knows the name can work out the
// derived uuid: another organisation's event under it (a STIX report
// posted with that id), or recorded by an earlier version, is never the
// operation's. Errors are the store's.
Result<std::optional<std::string>> OperationEventUuid(Store& store, const StealerOperation& operation);

// Purges the personal data of every operation's victims ingested more than
// its retention period before now (one operation when `operation` is
// non-empty). Returns victims purged per operation name. The audit record
// names `actor` and `source_address` (the client's, for a purge over HTTP).
Result<std::map<std::string, int64_t>> PurgeExpired(Store& store, const std::string& operation,
                                                    const std::string& actor, const Clock& clock,
                                                    const std::string& source_address = "local");

// The exposure range answer: "SUFFIX:COUNT" lines (CRLF, as Pwned Passwords
// answers), suffixes upper-case. With `pad`, random suffixes with count 0
// bring the answer to at least 800 lines, so its size says nothing.
// kInvalidArgument unless `prefix` is 5 hex digits.
Result<std::string> ExposureRangeText(Store& store, bool usernames, std::string_view prefix, bool pad);
// SHA-1 as the range API wants it: of the password as given, or of the
// username lower-cased and trimmed; upper-case hex.
std::string PasswordDigest(std::string_view password);
std::string UsernameDigest(std::string_view username);

// --- reports and packages ---
Result<nlohmann::json> SummaryReport(Store& store, const StealerOperation& operation);

enum class PackageFormat { kJson, kCsv, kStix };
struct PackageOptions {
  std::vector<PackageFormat> formats = {PackageFormat::kJson, PackageFormat::kCsv,
                                        PackageFormat::kStix};
  bool takedown = true;   // per hosting ASN and country, with evidence
  bool victims = true;    // per victim country, no passwords
  bool services = true;   // per affected domain, usernames only
  bool summary = true;
};
struct PackageReport {
  std::vector<std::string> files;  // written, relative to the output folder
};
// Writes the packages under `dir` (created): takedown/, victims/,
// services/ and summary.*. Each file is renamed into place complete.
Result<PackageReport> WritePackages(Store& store, const StealerOperation& operation,
                                    const PackageOptions& options, const std::string& dir,
                                    const Clock& clock);

}  // namespace accord::stealer
