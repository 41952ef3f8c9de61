// Ingest of stealer logs and partner C2 lists, purge, exposure ranges.
#include "stealer/ingest.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/crypto.h"
#include "core/ip.h"
#include "core/observable.h"
#include "exchange/exchange.h"
#include "exchange/text_readers.h"
#include "misp/misp.h"
#include "stix/stix.h"

namespace accord::stealer {
namespace {

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

AuditEntry Audit(const IngestOptions& options, TimePoint now, std::string action,
                 const nlohmann::json& detail) {
  AuditEntry entry;
  entry.time = FormatTimestamp(now);
  entry.actor = options.actor;
  entry.action = std::move(action);
  entry.object = options.operation;
  entry.detail = detail.dump();
  entry.source_address = options.source_address;
  return entry;
}

Result<StealerOperation> EnsureOperation(Store& store, const IngestOptions& options,
                                         TimePoint now) {
  if (options.operation.empty() || options.operation.size() > 200) {
    return Status::Invalid("operation: a name of 1-200 characters");
  }
  StealerOperation wanted;
  wanted.name = options.operation;
  wanted.org_id = options.org_id;
  wanted.retention_days = options.retention_days;
  wanted.created = FormatTimestamp(now);
  ASSIGN_OR_RETURN(auto existing, store.FindStealerOperation(options.operation));
  // The name is a path segment of the operation's REST address and web
  // page, which a '/' would split (an encoded %2F is decoded before
  // routing); control characters have no place in a name.
  const bool unaddressable = std::any_of(options.operation.begin(), options.operation.end(), [](char c) {
    return c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (!existing && unaddressable) {
    return Status::Invalid("operation '" + options.operation +
                           "': a name without '/' or control characters (it is part of the operation's address)");
  }
  if (!existing && wanted.retention_days == 0) wanted.retention_days = kDefaultRetentionDays;
  if (existing && existing->org_id != options.org_id) {
    return Status::PermissionDenied("operation '" + options.operation +
                                    "' belongs to another organisation");
  }
  return store.UpsertStealerOperation(wanted);
}

bool IsC2ListName(std::string_view path) {
  const std::string lower = Lower(path);
  for (std::string_view ext : {".csv", ".json", ".lst"}) {
    if (lower.ends_with(ext)) return true;
  }
  return false;
}

// Collects the values a C2 list's reader finds; nothing touches the store
// until the whole list has been read.
class C2Collector final : public RecordSink {
 public:
  Status OnEvent(EventRecord) override { return Status::Ok(); }
  Status OnIndicator(IndicatorRecord indicator) override {
    indicators.push_back(std::move(indicator));
    return Status::Ok();
  }
  Status OnStixObject(StixObjectRecord object) override {
    if (object.type == "malware") {
      auto parsed = nlohmann::json::parse(object.json, nullptr, false);
      if (parsed.is_object() && parsed.contains("name") && parsed["name"].is_string()) {
        family = CanonicalFamilyName(parsed["name"].get<std::string>());
      }
    }
    return Status::Ok();
  }
  Status OnSighting(SightingRecord) override { return Status::Ok(); }
  Status OnEventMembers(EventMembers) override { return Status::Ok(); }
  void OnReject(Rejection rejection) override { rejections.push_back(std::move(rejection)); }

  std::vector<IndicatorRecord> indicators;
  std::vector<Rejection> rejections;
  std::string family;
};

// The address a takedown goes to: the IP itself, or a URL's IP host.
std::optional<IpAddress> HostAddress(const Observable& observable) {
  if (observable.type == ObservableType::kIpv4 || observable.type == ObservableType::kIpv6) {
    auto address = ParseIp(observable.value);
    if (address.ok()) return *address;
  }
  if (observable.type == ObservableType::kUrl) {
    std::string_view host = observable.value;
    if (const size_t scheme = host.find("://"); scheme != std::string_view::npos) host.remove_prefix(scheme + 3);
    host = host.substr(0, host.find_first_of("/?#"));
    if (host.starts_with('[')) host = host.substr(1, host.find(']') - 1);
    else host = host.substr(0, host.find(':'));
    auto address = ParseIp(host);
    if (address.ok()) return *address;
  }
  return std::nullopt;
}

// Who the C2 event is shared with: those it was, and those named now.
std::vector<int64_t> Recipients(const std::optional<EventSummary>& held, const std::vector<int64_t>& added) {
  std::vector<int64_t> recipients = held ? held->recipient_org_ids : std::vector<int64_t>();
  for (int64_t org_id : added) {
    if (std::find(recipients.begin(), recipients.end(), org_id) == recipients.end()) recipients.push_back(org_id);
  }
  return recipients;
}

// --share-with (or --tlp) in a run that read no C2 list: the operation's
// C2 event, which the first C2 list made, takes the new audience. Without
// one there is nothing shared yet: the run says so rather than pretend.
Status ApplyAudience(Store& store, const IngestOptions& options, const StealerOperation& operation,
                     TimePoint now, IngestReport& report) {
  ASSIGN_OR_RETURN(const std::optional<std::string> event_uuid, OperationEventUuid(store, operation));
  std::optional<EventSummary> held;
  if (event_uuid) {
    ASSIGN_OR_RETURN(held, store.GetEvent(*event_uuid));
  }
  if (!held) {
    if (!options.share_with_org_ids.empty()) {
      report.problems.push_back({"--share-with", "operation " + operation.name +
                                                     " has no C2 list yet, so nothing was shared: an operation is"
                                                     " read as its C2 event, which its first C2 list makes"});
    }
    return Status::Ok();
  }
  const Tlp tlp = options.tlp.value_or(held->tlp);
  if (tlp == Tlp::kAmberStrict && !options.share_with_org_ids.empty()) {
    report.problems.push_back({"--share-with", "operation " + operation.name +
                                                   " is TLP:AMBER+STRICT, which its coordinator alone reads:"
                                                   " recipients read an AMBER or RED operation"});
  }
  std::vector<int64_t> recipients =
      Recipients(held, tlp == Tlp::kAmberStrict ? std::vector<int64_t>() : options.share_with_org_ids);
  if (tlp == held->tlp && recipients.size() == held->recipient_org_ids.size()) return Status::Ok();
  EventRecord event;
  event.uuid = held->uuid;
  event.title = held->title;
  event.description = held->description;
  event.tags = held->tags;
  event.source = held->source;
  event.stix_id = held->stix_id;
  event.threat_level = held->threat_level;
  event.analysis = held->analysis;
  event.created = held->created;
  event.modified = FormatTimestamp(now);
  ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, store.BeginImport());
  RETURN_IF_ERROR(batch->UpsertEvent(event, tlp, operation.org_id, recipients).status());
  RETURN_IF_ERROR(batch->AppendAudit(Audit(options, now, "stealer.share",
                                           {{"tlp", std::string(TlpName(tlp))}, {"recipients", recipients}})));
  return batch->Commit();
}

// `operation` learns the event its servers went into: a later list of the
// same run goes there too (OperationEventUuid).
Status IngestC2List(Store& store, const IngestOptions& options, StealerOperation& operation,
                    const std::string& path, TimePoint now, IngestReport& report) {
  ASSIGN_OR_RETURN(std::unique_ptr<InputStream> in, OpenInput(path));
  // A new operation's event gets a random uuid, which no member can work
  // out from the name (to post a report under it first, or to ask TAXII
  // whether a server is in it); the operation records it below.
  ASSIGN_OR_RETURN(const std::optional<std::string> recorded_uuid, OperationEventUuid(store, operation));
  const std::string event_uuid = recorded_uuid.value_or(UuidV4());
  C2Collector collector;
  const std::string name = std::filesystem::path(path).filename().string();
  if (Lower(path).ends_with(".json")) {
    StixReadOptions stix;
    stix.source_name = name;
    RETURN_IF_ERROR(ReadStixBundle(*in, stix, collector));
  } else {
    TextReadOptions text;
    text.source_name = name;
    text.event_uuid = event_uuid;
    RETURN_IF_ERROR(Lower(path).ends_with(".csv") ? ReadCsv(*in, text, collector)
                                                  : ReadList(*in, text, collector));
  }
  for (const Rejection& rejection : collector.rejections) {
    report.problems.push_back({rejection.location, rejection.reason});
    ++report.c2_rejected;
  }
  std::vector<std::pair<Observable, const IndicatorRecord*>> servers;
  for (const IndicatorRecord& record : collector.indicators) {
    auto observable = record.type ? Normalize(*record.type, record.value) : DetectAndNormalize(record.value);
    const bool server_type = observable.ok() &&
                             (observable->type == ObservableType::kIpv4 ||
                              observable->type == ObservableType::kIpv6 ||
                              observable->type == ObservableType::kDomain ||
                              observable->type == ObservableType::kUrl);
    if (!server_type) {
      report.problems.push_back({record.location, observable.ok() ? "'" + record.value + "' is a " +
                                                                        std::string(TypeName(observable->type)) +
                                                                        ", not a server address"
                                                                  : observable.status().message()});
      ++report.c2_rejected;
      continue;
    }
    servers.emplace_back(*observable, &record);
  }
  if (servers.empty()) return Status::Ok();
  // The row's own family (a CSV's malware column), else the list's (a STIX
  // bundle's malware object).
  const auto family_of = [&collector](const IndicatorRecord& record) {
    return record.family.empty() ? collector.family : CanonicalFamilyName(record.family);
  };
  // The event names its servers' families as tags ("malware:lumma"), so
  // alerts on them name the family as for any event; a later list adds to
  // what the earlier ones named.
  std::vector<std::string> tags = {"stealer-operation:" + operation.name, "threat:infostealer"};
  const auto add_tag = [&tags](std::string tag) {
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
  };
  ASSIGN_OR_RETURN(std::optional<EventSummary> held, store.GetEvent(event_uuid));
  if (held) {
    for (const std::string& tag : held->tags) add_tag(tag);
  }
  for (const auto& server : servers) {
    if (const std::string family = family_of(*server.second); !family.empty()) add_tag("malware:" + family);
  }
  ASSIGN_OR_RETURN(std::vector<WarningListRecord> lists, store.LoadWarningLists());
  const std::unique_ptr<WarningListMatcher> warnings = WarningListMatcher::Build(lists);
  ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, store.BeginImport());
  EventRecord event;
  event.uuid = event_uuid;
  event.title = "Operation " + operation.name + ": C2 servers";
  event.description = "Command-and-control servers of the infostealer operation " + operation.name +
                      ", from partner lists; takedown packages group them by hosting network.";
  event.tags = std::move(tags);
  event.source = "stealer:" + operation.name;
  // A level or recipients the event was given since (an edit, an earlier
  // --share-with) stay unless this ingest says otherwise: a partner list
  // ingested without --tlp must not widen a RED operation to AMBER.
  const Tlp tlp = options.tlp.value_or(held ? held->tlp : Tlp::kAmber);
  // TLP:AMBER+STRICT is its coordinator's alone: recipients named then
  // would read the operation the day its level is lowered, unasked.
  const std::vector<int64_t> recipients =
      Recipients(held, tlp == Tlp::kAmberStrict ? std::vector<int64_t>() : options.share_with_org_ids);
  ASSIGN_OR_RETURN(int64_t event_id, batch->UpsertEvent(event, tlp, operation.org_id, recipients));
  std::vector<StealerC2Row> rows;
  for (const auto& [observable, record] : servers) {
    IndicatorContext context = record->context;
    context.role = "c2";
    context.is_indicator = true;
    // A value on a warning list (a public resolver, a CDN, a sinkhole) is a
    // partner's mistake or shared infrastructure: kept with the operation as
    // evidence but never live and never a takedown target.
    const std::string warninglist = warnings->Match(observable).value_or("");
    RETURN_IF_ERROR(batch->Link(event_id, observable, context, warninglist).status());
    if (!warninglist.empty()) {
      report.problems.push_back({record->location, "'" + observable.value + "' is on the warning list " +
                                                       warninglist + ": kept, but not a takedown target"});
      ++report.c2_rejected;
      continue;
    }
    StealerC2Row row;
    row.operation_id = operation.id;
    row.type = std::string(TypeName(observable.type));
    row.value = observable.value;
    row.family = family_of(*record);
    row.first_seen = context.first_seen;
    row.last_seen = context.last_seen;
    if (auto address = HostAddress(observable); address && options.geo) {
      const geo::GeoInfo info = options.geo->Lookup(*address);
      row.country = info.country;
      row.asn = info.asn;
      row.as_org = info.as_organisation;
    }
    row.evidence_json = nlohmann::json::array({{{"source", name},
                                                {"location", record->location},
                                                {"note", context.comment},
                                                {"added", FormatTimestamp(now)}}})
                            .dump();
    rows.push_back(std::move(row));
  }
  RETURN_IF_ERROR(store.UpsertStealerC2(rows));
  StealerOperation with_event = operation;
  with_event.event_id = event_id;
  with_event.retention_days = 0;
  RETURN_IF_ERROR(store.UpsertStealerOperation(with_event).status());
  RETURN_IF_ERROR(batch->AppendAudit(
      Audit(options, now, "stealer.c2",
            {{"source", name}, {"servers", rows.size()}, {"tlp", std::string(TlpName(tlp))}, {"recipients", recipients}})));
  RETURN_IF_ERROR(batch->Commit());
  operation.event_id = event_id;
  report.c2_servers += static_cast<int64_t>(rows.size());
  return Status::Ok();
}

StealerVictimRow VictimRow(const MachineLog& log, const StealerOperation& operation,
                           const IngestOptions& options, const std::string& now) {
  StealerVictimRow victim;
  victim.operation_id = operation.id;
  victim.machine_id = log.machine_id;
  victim.family = std::string(FamilyName(log.family));
  victim.ip = log.ip;
  victim.country = log.country;
  if (!log.ip.empty() && options.geo) {
    if (auto address = ParseIp(log.ip); address.ok()) {
      const geo::GeoInfo info = options.geo->Lookup(*address);
      if (victim.country.empty()) victim.country = info.country;
      victim.asn = info.asn;
    }
  }
  victim.os = log.os;
  victim.user_name = log.user_name;
  victim.computer_name = log.computer_name;
  victim.build_id = log.build_id;
  victim.infected_at = log.infected_at;
  victim.cookies = log.cookies;
  victim.autofills = log.autofills;
  victim.source = log.path;
  victim.ingested = now;
  victim.credentials.reserve(log.credentials.size());
  for (const Credential& credential : log.credentials) {
    StealerCredentialRow row;
    row.domain = credential.domain;
    row.username = credential.username;
    if (!credential.username.empty()) row.username_sha1 = UsernameDigest(credential.username);
    row.password_sha1 = credential.password_sha1;
    victim.credentials.push_back(std::move(row));
  }
  return victim;
}

}  // namespace

Result<std::optional<std::string>> OperationEventUuid(Store& store, const StealerOperation& operation) {
  if (operation.event_id != 0) {
    ASSIGN_OR_RETURN(std::optional<EventSummary> recorded, store.GetEventById(operation.event_id));
    if (recorded && recorded->owner_org_id == operation.org_id) return std::optional<std::string>(recorded->uuid);
  }
  // An event made before operations recorded theirs sits under the uuid
  // derived from the name.
  ASSIGN_OR_RETURN(std::string derived, DerivedEventUuid(store, "stealer-operation:" + operation.name));
  ASSIGN_OR_RETURN(std::optional<EventSummary> held, store.GetEvent(derived));
  if (held && held->owner_org_id == operation.org_id) return std::optional<std::string>(derived);
  return std::optional<std::string>();
}

std::string PasswordDigest(std::string_view password) { return Upper(Sha1Hex(password)); }

std::string UsernameDigest(std::string_view username) {
  size_t start = 0, end = username.size();
  while (start < end && std::isspace(static_cast<unsigned char>(username[start]))) ++start;
  while (end > start && std::isspace(static_cast<unsigned char>(username[end - 1]))) --end;
  return Upper(Sha1Hex(Lower(username.substr(start, end - start))));
}

Result<IngestReport> Ingest(Store& store, const IngestOptions& options,
                            const std::vector<std::string>& paths, const Clock& clock) {
  const TimePoint started = clock.Now();
  ASSIGN_OR_RETURN(StealerOperation operation, EnsureOperation(store, options, started));
  IngestReport report;
  std::vector<StealerVictimRow> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    int64_t credentials = 0;
    for (const auto& victim : batch) credentials += static_cast<int64_t>(victim.credentials.size());
    RETURN_IF_ERROR(store.AddStealerVictims(
        batch, Audit(options, clock.Now(), "stealer.victims",
                     {{"machines", batch.size()}, {"credentials", credentials}})));
    for (const StealerVictimRow& victim : batch) {
      if (victim.id == 0) {
        ++report.duplicates;
        continue;
      }
      ++report.new_victims;
      report.credentials += static_cast<int64_t>(victim.credentials.size());
      ++report.by_family[victim.family];
    }
    batch.clear();
    if (options.on_progress) options.on_progress(report.machines, report.credentials);
    return Status::Ok();
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec) && IsC2ListName(path)) {
      Status status = IngestC2List(store, options, operation, path, started, report);
      if (!status.ok()) report.problems.push_back({path, status.message()});
      continue;
    }
    Status walked = ForEachMachine(
        path, options.source,
        [&](const std::string& machine_path, const MachineFiles& files) -> Status {
          auto log = ParseMachine(machine_path, files);
          if (!log.ok()) {
            // The parser's message names the machine already; the problem's path says it.
            std::string reason = log.status().message();
            if (reason.starts_with(machine_path + ": ")) reason.erase(0, machine_path.size() + 2);
            report.problems.push_back({machine_path, std::move(reason)});
            return Status::Ok();
          }
          ++report.machines;
          for (const std::string& warning : log->warnings) {
            report.problems.push_back({machine_path, warning});
          }
          batch.push_back(VictimRow(*log, operation, options, FormatTimestamp(clock.Now())));
          return batch.size() >= options.batch_machines ? flush() : Status::Ok();
        },
        [&](const SourceProblem& problem) { report.problems.push_back(problem); });
    RETURN_IF_ERROR(flush());
    if (!walked.ok()) report.problems.push_back({path, walked.message()});
  }
  if (options.tlp || !options.share_with_org_ids.empty()) {
    RETURN_IF_ERROR(ApplyAudience(store, options, operation, started, report));
  }
  return report;
}

Result<std::map<std::string, int64_t>> PurgeExpired(Store& store, const std::string& operation,
                                                    const std::string& actor, const Clock& clock,
                                                    const std::string& source_address) {
  ASSIGN_OR_RETURN(auto operations, store.ListStealerOperations());
  const TimePoint now = clock.Now();
  std::map<std::string, int64_t> purged;
  bool found = operation.empty();
  for (const StealerOperation& candidate : operations) {
    if (!operation.empty() && candidate.name != operation) continue;
    found = true;
    const TimePoint cutoff = now - std::chrono::days(candidate.retention_days);
    AuditEntry audit;
    audit.time = FormatTimestamp(now);
    audit.actor = actor;
    audit.action = "stealer.purge";
    audit.object = candidate.name;
    audit.source_address = source_address;
    ASSIGN_OR_RETURN(int64_t count,
                     store.PurgeStealerPersonalData(candidate.id, FormatTimestamp(cutoff), audit));
    purged[candidate.name] = count;
  }
  if (!found) return Status::NotFound("no operation named '" + operation + "'");
  return purged;
}

Result<std::string> ExposureRangeText(Store& store, bool usernames, std::string_view prefix,
                                      bool pad) {
  const bool hex = prefix.size() == 5 && std::all_of(prefix.begin(), prefix.end(), [](unsigned char c) {
                     return std::isxdigit(c) != 0;
                   });
  if (!hex) {
    return Status::Invalid("range prefix '" + std::string(prefix) +
                           "': the first 5 hexadecimal digits of a SHA-1");
  }
  const std::string upper = Upper(std::string(prefix));
  ASSIGN_OR_RETURN(std::vector<ExposureCount> counts, store.ExposureRange(usernames, upper));
  if (pad) {
    // Pwned Passwords pads to a random 800-1,000 lines with count 0.
    const size_t target = 800 + static_cast<unsigned char>(RandomBytes(1)[0]) % 201;
    while (counts.size() < target) counts.push_back({Upper(RandomHex(18)).substr(0, 35), 0});
    std::sort(counts.begin(), counts.end(),
              [](const ExposureCount& a, const ExposureCount& b) { return a.suffix < b.suffix; });
  }
  std::string text;
  for (const ExposureCount& count : counts) {
    text += count.suffix + ":" + std::to_string(count.count) + "\r\n";
  }
  return text;
}

}  // namespace accord::stealer
