// The operation's summary report and its packages: takedown (per hosting
// ASN and country, with evidence; JSON, CSV, STIX 2.1), victim notification
// (per country; no passwords) and service notification (per domain;
// usernames only). Files are written under a temporary name and renamed,
// so a reader never sees half a package.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/crypto.h"
#include "core/csv_field.h"
#include "core/observable.h"
#include "stealer/ingest.h"
#include "stix/stix.h"

namespace accord::stealer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string CsvLine(std::initializer_list<std::string_view> fields) {
  std::string line;
  for (std::string_view field : fields) line += (line.empty() ? "" : ",") + CsvField(field);
  return line + "\r\n";
}

// A file name from a key that may hold anything ("acme-bank.test",
// "DE-AS64500"): letters, digits, '.', '-', '_' only.
std::string SafeName(std::string_view key) {
  std::string name;
  for (char c : key) {
    name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  }
  if (name.empty() || name.front() == '.') name.insert(0, "_");
  return name.substr(0, 120);
}

class PackageWriter {
 public:
  PackageWriter(std::string dir, PackageReport& report) : dir_(std::move(dir)), report_(report) {}
  Status Write(const std::string& relative, std::string_view content) {
    const fs::path path = fs::path(dir_) / relative;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return Status::IoError(path.parent_path().string() + ": " + ec.message());
    const fs::path partial = path.string() + ".partial";
    {
      std::ofstream out(partial, std::ios::binary | std::ios::trunc);
      out.write(content.data(), static_cast<std::streamsize>(content.size()));
      if (!out) return Status::IoError(partial.string() + ": write failed");
    }
    fs::rename(partial, path, ec);
    if (ec) return Status::IoError(path.string() + ": " + ec.message());
    report_.files.push_back(relative);
    return Status::Ok();
  }

 private:
  std::string dir_;
  PackageReport& report_;
};

bool Wants(const PackageOptions& options, PackageFormat format) {
  return std::find(options.formats.begin(), options.formats.end(), format) != options.formats.end();
}

// The operation's level is its C2 event's. Before a C2 list made that event
// (or once it is deleted) the operation is its coordinator's alone, at
// AMBER+STRICT, as the REST API reads it: a package never says less.
Result<Tlp> OperationTlp(Store& store, const StealerOperation& operation) {
  if (operation.event_id == 0) return Tlp::kAmberStrict;
  EventFilter filter;
  filter.after_id = operation.event_id - 1;
  filter.limit = 1;
  Tlp tlp = Tlp::kAmberStrict;
  RETURN_IF_ERROR(store.ForEachEvent(filter, [&](const EventSummary& event) {
    if (event.id == operation.event_id) tlp = event.tlp;
    return Status::Ok();
  }));
  return tlp;
}

std::string HostingKey(const StealerC2Row& server) {
  return (server.country.empty() ? "XX" : server.country) + "-AS" + std::to_string(server.asn);
}

// A STIX 2.1 bundle for one hosting group: the coordinator's identity, the
// TLP marking, the malware family, and per server an indicator and an
// infrastructure object (command-and-control) tied by relationships.
std::string TakedownStix(const StealerOperation& operation, const std::string& event_uuid,
                         const Organisation& coordinator,
                         const std::vector<const StealerC2Row*>& servers, Tlp tlp,
                         const std::string& now) {
  std::ostringstream out;
  StixBundleWriter bundle(out, "bundle--" + StableUuidV4(kAccordUuidNamespace, "takedown:" + operation.name + ":" + HostingKey(*servers.front())));
  bundle.Add(TlpStixMarkingObject(tlp));
  const std::string identity = StixIdentityId(coordinator.uuid);
  bundle.Add(BuildStixIdentity({coordinator.uuid, coordinator.name, coordinator.kind, coordinator.country, coordinator.created}));
  const json markings = json::array({std::string(TlpStixMarkingId(tlp))});
  auto base = [&](std::string_view type, const std::string& key) {
    return json{{"type", type}, {"spec_version", "2.1"},
                {"id", std::string(type) + "--" + StableUuidV4(kAccordUuidNamespace, operation.name + ":" + key)},
                {"created", operation.created}, {"modified", operation.created},
                {"created_by_ref", identity}, {"object_marking_refs", markings}};
  };
  std::map<std::string, std::string> malware_ids;
  for (const StealerC2Row* server : servers) {
    const std::string family = server->family.empty() ? "unknown infostealer" : server->family;
    if (malware_ids.count(family)) continue;
    json malware = base("malware", "malware:" + family);
    malware["name"] = family;
    malware["is_family"] = true;
    // An information stealer is spyware; a family Accord does not read as
    // one (a loader a partner listed) is not called that.
    const bool stealer = server->family.empty() || ParseFamily(server->family).has_value();
    malware["malware_types"] = json::array({stealer ? "spyware" : "unknown"});
    malware_ids[family] = malware["id"];
    bundle.Add(malware.dump());
  }
  for (const StealerC2Row* server : servers) {
    auto type = ParseTypeName(server->type);
    if (!type) continue;
    StixIndicatorSpec spec;
    spec.event_uuid = event_uuid;
    spec.event_title = "Operation " + operation.name + ": C2 servers";  // its event (ingest.cc)
    spec.observable = {*type, server->value};
    spec.context.role = "c2";
    spec.context.first_seen = server->first_seen;
    spec.context.last_seen = server->last_seen;
    spec.tlp = tlp;
    spec.created_by_ref = identity;
    spec.created = operation.created;
    spec.modified = operation.created;
    spec.labels = {"c2", "operation:" + operation.name};
    const std::string indicator_id = StixIndicatorId(spec);
    bundle.Add(BuildStixIndicator(spec));
    json infrastructure = base("infrastructure", "c2:" + server->type + ":" + server->value);
    infrastructure["name"] = server->value;
    infrastructure["infrastructure_types"] = json::array({"command-and-control"});
    infrastructure["description"] = fmt::format("Hosted in {} (AS{} {}); evidence: {}",
                                                server->country.empty() ? "unknown country" : server->country,
                                                server->asn, server->as_org, server->evidence_json);
    bundle.Add(infrastructure.dump());
    const std::string family = server->family.empty() ? "unknown infostealer" : server->family;
    for (const auto& [source, kind, target] :
         {std::tuple<std::string, std::string, std::string>{indicator_id, "indicates", infrastructure["id"]},
          {infrastructure["id"], "controls", malware_ids[family]}}) {
      json relationship = base("relationship", "rel:" + source + ":" + kind + ":" + target);
      relationship["relationship_type"] = kind;
      relationship["source_ref"] = source;
      relationship["target_ref"] = target;
      bundle.Add(relationship.dump());
    }
  }
  (void)now;
  bundle.Finish();
  return out.str();
}

Status WriteTakedown(Store& store, const StealerOperation& operation, const PackageOptions& options,
                     PackageWriter& writer, Tlp tlp, const std::string& now) {
  ASSIGN_OR_RETURN(std::vector<StealerC2Row> servers, store.ListStealerC2(operation.id));
  ASSIGN_OR_RETURN(auto coordinator, store.FindOrganisationById(operation.org_id));
  if (!coordinator) return Status::Corruption("operation " + operation.name + ": unknown organisation");
  // The takedown's indicators carry the ids the node serves for its event
  // (none yet: the ones the name would give, as before events were recorded).
  ASSIGN_OR_RETURN(const std::optional<std::string> recorded_uuid, OperationEventUuid(store, operation));
  const std::string event_uuid =
      recorded_uuid.value_or(StableUuidV4(kAccordUuidNamespace, "stealer-operation:" + operation.name));
  std::map<std::string, std::vector<const StealerC2Row*>> groups;
  for (const StealerC2Row& server : servers) groups[HostingKey(server)].push_back(&server);
  for (const auto& [key, members] : groups) {
    const std::string base = "takedown/" + SafeName(key);
    if (Wants(options, PackageFormat::kJson)) {
      json list = json::array();
      for (const StealerC2Row* server : members) {
        list.push_back({{"type", server->type}, {"value", server->value}, {"family", server->family},
                        {"first_seen", server->first_seen}, {"last_seen", server->last_seen},
                        {"evidence", json::parse(server->evidence_json, nullptr, false)}});
      }
      json package = {{"package", "takedown"}, {"operation", operation.name}, {"generated", now},
                      {"tlp", TlpLabel(tlp)},
                      {"hosting", {{"country", members.front()->country}, {"asn", members.front()->asn},
                                   {"as_organisation", members.front()->as_org}}},
                      {"servers", std::move(list)}};
      RETURN_IF_ERROR(writer.Write(base + ".json", package.dump(2) + "\n"));
    }
    if (Wants(options, PackageFormat::kCsv)) {
      std::string csv = CsvLine({"type", "value", "family", "country", "asn", "as_organisation",
                                 "first_seen", "last_seen", "evidence", "tlp"});
      for (const StealerC2Row* server : members) {
        csv += CsvLine({server->type, server->value, server->family, server->country,
                        std::to_string(server->asn), server->as_org, server->first_seen,
                        server->last_seen, server->evidence_json, TlpLabel(tlp)});
      }
      RETURN_IF_ERROR(writer.Write(base + ".csv", csv));
    }
    if (Wants(options, PackageFormat::kStix)) {
      RETURN_IF_ERROR(
          writer.Write(base + ".stix.json",
                       TakedownStix(operation, event_uuid, *coordinator, members, tlp, now)));
    }
  }
  return Status::Ok();
}

Status WriteVictims(Store& store, const StealerOperation& operation, const PackageOptions& options,
                    PackageWriter& writer, Tlp tlp, const std::string& now) {
  // Affected services per victim (domain -> accounts), never a password.
  std::map<int64_t, std::map<std::string, int64_t>> services;
  RETURN_IF_ERROR(store.ForEachStealerCredential(operation.id, false, [&](int64_t victim, const StealerCredentialRow& row) {
    if (!row.domain.empty()) services[victim][row.domain]++;
    return Status::Ok();
  }));
  std::map<std::string, std::vector<StealerVictimRow>> by_country;
  RETURN_IF_ERROR(store.ForEachStealerVictim(operation.id, [&](const StealerVictimRow& victim) {
    by_country[victim.country.empty() ? "XX" : victim.country].push_back(victim);
    return Status::Ok();
  }));
  for (const auto& [country, victims] : by_country) {
    const std::string base = "victims/" + SafeName(country);
    if (Wants(options, PackageFormat::kJson)) {
      json list = json::array();
      for (const StealerVictimRow& victim : victims) {
        json affected = json::object();
        for (const auto& [domain, accounts] : services[victim.id]) affected[domain] = accounts;
        list.push_back({{"machine_id", victim.machine_id}, {"ip", victim.ip}, {"asn", victim.asn},
                        {"family", victim.family}, {"infected_at", victim.infected_at},
                        {"computer_name", victim.computer_name}, {"user_name", victim.user_name},
                        {"credentials", victim.credential_count}, {"cookies", victim.cookies},
                        {"autofills", victim.autofills}, {"services", std::move(affected)},
                        {"personal_data_purged", victim.purged}});
      }
      json package = {{"package", "victim-notification"}, {"operation", operation.name},
                      {"country", country}, {"generated", now}, {"tlp", TlpLabel(tlp)},
                      {"note", "No passwords: services list the domains whose accounts were stolen and how many."},
                      {"victims", std::move(list)}};
      RETURN_IF_ERROR(writer.Write(base + ".json", package.dump(2) + "\n"));
    }
    if (Wants(options, PackageFormat::kCsv)) {
      std::string csv = CsvLine({"machine_id", "ip", "asn", "family", "infected_at", "computer_name",
                                 "user_name", "credentials", "cookies", "services", "tlp"});
      for (const StealerVictimRow& victim : victims) {
        std::string affected;
        for (const auto& [domain, accounts] : services[victim.id]) {
          affected += (affected.empty() ? "" : "; ") + domain + " (" + std::to_string(accounts) + ")";
        }
        csv += CsvLine({victim.machine_id, victim.ip, std::to_string(victim.asn), victim.family,
                        victim.infected_at, victim.computer_name, victim.user_name,
                        std::to_string(victim.credential_count), std::to_string(victim.cookies), affected,
                        TlpLabel(tlp)});
      }
      RETURN_IF_ERROR(writer.Write(base + ".csv", csv));
    }
  }
  return Status::Ok();
}

Status WriteServices(Store& store, const StealerOperation& operation, const PackageOptions& options,
                     PackageWriter& writer, Tlp tlp, const std::string& now) {
  // Grouped by domain in the query, so one domain's accounts are in memory
  // at a time.
  std::string domain;
  std::map<std::string, int64_t> usernames;  // username -> machines it was stolen from
  int64_t accounts = 0;
  auto flush = [&]() -> Status {
    if (domain.empty() || accounts == 0) return Status::Ok();
    const std::string base = "services/" + SafeName(domain);
    if (Wants(options, PackageFormat::kJson)) {
      json list = json::array();
      for (const auto& [username, count] : usernames) list.push_back({{"username", username}, {"machines", count}});
      json package = {{"package", "service-notification"}, {"operation", operation.name},
                      {"domain", domain}, {"generated", now}, {"tlp", TlpLabel(tlp)}, {"accounts", accounts},
                      {"note", "Usernames only: reset these accounts' passwords and sessions."},
                      {"usernames", std::move(list)}};
      RETURN_IF_ERROR(writer.Write(base + ".json", package.dump(2) + "\n"));
    }
    if (Wants(options, PackageFormat::kCsv)) {
      std::string csv = CsvLine({"username", "machines", "tlp"});
      for (const auto& [username, count] : usernames) {
        csv += CsvLine({username, std::to_string(count), TlpLabel(tlp)});
      }
      RETURN_IF_ERROR(writer.Write(base + ".csv", csv));
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(store.ForEachStealerCredential(operation.id, true, [&](int64_t, const StealerCredentialRow& row) {
    if (row.domain != domain) {
      RETURN_IF_ERROR(flush());
      domain = row.domain;
      usernames.clear();
      accounts = 0;
    }
    ++accounts;
    if (!row.username.empty()) usernames[row.username]++;
    return Status::Ok();
  }));
  return flush();
}

}  // namespace

Result<nlohmann::json> SummaryReport(Store& store, const StealerOperation& operation) {
  std::map<std::string, int64_t> by_country, by_family, timeline;
  std::map<std::string, std::map<std::string, int64_t>> by_country_family;
  int64_t victims = 0, credentials = 0, cookies = 0, purged = 0;
  RETURN_IF_ERROR(store.ForEachStealerVictim(operation.id, [&](const StealerVictimRow& victim) {
    const std::string country = victim.country.empty() ? "XX" : victim.country;
    ++victims;
    credentials += victim.credential_count;
    cookies += victim.cookies;
    purged += victim.purged ? 1 : 0;
    ++by_country[country];
    ++by_family[victim.family];
    ++by_country_family[country][victim.family];
    ++timeline[victim.infected_at.size() >= 10 ? victim.infected_at.substr(0, 10) : "unknown"];
    return Status::Ok();
  }));
  std::map<std::string, std::pair<int64_t, std::set<int64_t>>> services;
  RETURN_IF_ERROR(store.ForEachStealerCredential(operation.id, false, [&](int64_t victim, const StealerCredentialRow& row) {
    if (row.domain.empty()) return Status::Ok();
    auto& entry = services[row.domain];
    ++entry.first;
    entry.second.insert(victim);
    return Status::Ok();
  }));
  std::vector<std::tuple<int64_t, int64_t, std::string>> ranked;
  for (const auto& [domain, entry] : services) {
    ranked.emplace_back(entry.first, static_cast<int64_t>(entry.second.size()), domain);
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) > std::get<0>(b) : std::get<2>(a) < std::get<2>(b);
  });
  json top = json::array();
  for (size_t i = 0; i < ranked.size() && i < 50; ++i) {
    top.push_back({{"domain", std::get<2>(ranked[i])}, {"accounts", std::get<0>(ranked[i])},
                   {"victims", std::get<1>(ranked[i])}});
  }
  ASSIGN_OR_RETURN(std::vector<StealerC2Row> servers, store.ListStealerC2(operation.id));
  std::map<std::string, int64_t> c2_by_country;
  std::map<std::pair<int64_t, std::string>, std::pair<std::string, int64_t>> by_asn;
  for (const StealerC2Row& server : servers) {
    const std::string country = server.country.empty() ? "XX" : server.country;
    ++c2_by_country[country];
    auto& entry = by_asn[{server.asn, country}];
    entry.first = server.as_org;
    ++entry.second;
  }
  json c2_by_asn = json::array();
  for (const auto& [key, entry] : by_asn) {
    c2_by_asn.push_back({{"asn", key.first}, {"country", key.second}, {"as_organisation", entry.first},
                         {"servers", entry.second}});
  }
  return json{{"operation", operation.name},
              {"created", operation.created},
              {"retention_days", operation.retention_days},
              {"victims", victims},
              {"victims_purged", purged},
              {"credentials", credentials},
              {"cookies", cookies},
              {"victims_by_country", by_country},
              {"victims_by_family", by_family},
              {"victims_by_country_and_family", by_country_family},
              {"timeline", timeline},
              {"services", ranked.size()},
              {"top_services", std::move(top)},
              {"c2_servers", servers.size()},
              {"c2_by_country", c2_by_country},
              {"c2_by_asn", std::move(c2_by_asn)}};
}

Result<PackageReport> WritePackages(Store& store, const StealerOperation& operation,
                                    const PackageOptions& options, const std::string& dir,
                                    const Clock& clock) {
  PackageReport report;
  PackageWriter writer(dir, report);
  const std::string now = FormatTimestamp(clock.Now());
  ASSIGN_OR_RETURN(Tlp tlp, OperationTlp(store, operation));
  if (options.takedown) RETURN_IF_ERROR(WriteTakedown(store, operation, options, writer, tlp, now));
  if (options.victims) RETURN_IF_ERROR(WriteVictims(store, operation, options, writer, tlp, now));
  if (options.services) RETURN_IF_ERROR(WriteServices(store, operation, options, writer, tlp, now));
  if (options.summary) {
    ASSIGN_OR_RETURN(json summary, SummaryReport(store, operation));
    summary["generated"] = now;
    summary["tlp"] = TlpLabel(tlp);
    RETURN_IF_ERROR(writer.Write("summary.json", summary.dump(2) + "\n"));
    if (Wants(options, PackageFormat::kCsv)) {
      std::string csv = CsvLine({"country", "family", "victims", "tlp"});
      for (const auto& [country, families] : summary["victims_by_country_and_family"].items()) {
        for (const auto& [family, count] : families.items()) {
          csv += CsvLine({country, family, std::to_string(count.get<int64_t>()), TlpLabel(tlp)});
        }
      }
      RETURN_IF_ERROR(writer.Write("summary.csv", csv));
    }
  }
  return report;
}

}  // namespace accord::stealer
