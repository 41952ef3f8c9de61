// Infostealer takedown over HTTP: the exposure check and the operations.
//
//   GET /range/{prefix}                        the Pwned Passwords range API
//   GET /exposure/passwords/range/{prefix}     the same
//   GET /exposure/usernames/range/{prefix}     the same for usernames/e-mails
//   GET /api/v1/stealer/operations[/{name}[/victims|/c2|/packages]]
//   POST /api/v1/stealer/operations/{name}/purge
//
// The range routes take no key: a citizen's browser or a service calls them,
// and k-anonymity protects the caller (only 5 hex digits of a SHA-1 leave it;
// padding hides how many suffixes came back). Everything else needs a key.
//
// An operation is visible exactly as its C2 event is (core/policy.h MayRead
// through Visible); before any C2 list created that event it is treated as
// TLP:AMBER+STRICT of the coordinating organisation. Invisible and absent
// operations are answered alike (404). All the meaning lives in stealer/
// (ingest.h); this file turns HTTP into those calls.
#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "server/rest_common.h"
#include "stealer/ingest.h"

namespace accord::server::rest {
namespace {

namespace fs = std::filesystem;

const std::string kOperationsPath = "/api/v1/stealer/operations";
const std::string kOperationPattern = R"(/api/v1/stealer/operations/([^/]+))";
const std::string kVictimsPattern = R"(/api/v1/stealer/operations/([^/]+)/victims)";
const std::string kC2Pattern = R"(/api/v1/stealer/operations/([^/]+)/c2)";
const std::string kPackagesPattern = R"(/api/v1/stealer/operations/([^/]+)/packages)";
const std::string kPurgePattern = R"(/api/v1/stealer/operations/([^/]+)/purge)";

// Range answers change only when logs are ingested or purged; a few minutes
// of caching spare the node repeated lookups of popular prefixes.
constexpr const char* kRangeCacheControl = "public, max-age=300";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

json NullIfEmpty(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

// --- the exposure range API ---

void SetCorsHeaders(httplib::Response& res) {
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Access-Control-Allow-Methods", "GET, OPTIONS");
  res.set_header("Access-Control-Allow-Headers", "Add-Padding");
}

httplib::Server::Handler RangeRoute(ServerState& state, bool usernames) {
  return [&state, usernames](const httplib::Request& req, httplib::Response& res) {
    // Errors too carry CORS headers, so a page can show why it was refused.
    SetCorsHeaders(res);
    try {
      auto store = state.stores.ForThisThread();
      if (!store.ok()) return SendError(res, 503, "the store is not available");
      const bool pad = Lower(Trimmed(req.get_header_value("Add-Padding"))) == "true";
      auto text = stealer::ExposureRangeText(**store, usernames, req.matches[1].str(), pad);
      if (!text.ok()) return SendStatus(res, text.status());
      res.status = 200;
      res.set_header("Cache-Control", kRangeCacheControl);
      // A padded and an unpadded answer for one URL differ.
      res.set_header("Vary", "Add-Padding");
      res.set_content(std::move(text).value(), "text/plain; charset=utf-8");
    } catch (const std::exception& e) {
      CurrentRequestNotes().error = std::string("handler threw: ") + e.what();
      SendError(res, 500, "the server could not complete the request");
    }
  };
}

void RegisterRangeRoute(httplib::Server& http, ServerState& state, const std::string& pattern,
                        bool usernames) {
  http.Get(pattern, RangeRoute(state, usernames));
  // The CORS preflight a browser sends before a GET with Add-Padding;
  // registered before RegisterAllowedMethods' OPTIONS, so it answers first.
  http.Options(pattern, [](const httplib::Request&, httplib::Response& res) {
    SetCorsHeaders(res);
    res.set_header("Allow", "GET, OPTIONS");
    res.set_header("Access-Control-Max-Age", "86400");
    res.status = 204;
  });
  RegisterAllowedMethods(http, pattern, {"GET"});
}

// --- operations ---

struct OperationAccess {
  Tlp tlp = Tlp::kAmberStrict;
  bool visible = false;
};

Result<OperationAccess> AccessTo(RequestContext& ctx, const StealerOperation& operation) {
  ASSIGN_OR_RETURN(const std::optional<std::string> event_uuid, stealer::OperationEventUuid(*ctx.store, operation));
  std::optional<EventSummary> event;
  if (event_uuid) {
    ASSIGN_OR_RETURN(event, ctx.store->GetEvent(*event_uuid));
  }
  if (event) return OperationAccess{event->tlp, Visible(ctx, *event)};
  // No C2 list yet, so no event: the coordinator's alone, as strictly as TLP allows.
  return OperationAccess{
      Tlp::kAmberStrict,
      MayRead(ctx.principal, Visibility{Tlp::kAmberStrict, operation.org_id, {}})};
}

struct VisibleOperation {
  StealerOperation operation;
  Tlp tlp = Tlp::kAmberStrict;
};

// The operation named in the path if the caller may read it; NotFound for
// absent and invisible alike.
Result<VisibleOperation> FindVisible(const httplib::Request& req, RequestContext& ctx) {
  const std::string name = req.matches[1];
  const Status absent = Status::NotFound("no stealer operation '" + name + "'");
  ASSIGN_OR_RETURN(std::optional<StealerOperation> operation,
                   ctx.store->FindStealerOperation(name));
  if (!operation) return absent;
  ASSIGN_OR_RETURN(OperationAccess access, AccessTo(ctx, *operation));
  if (!access.visible) return absent;
  return VisibleOperation{*operation, access.tlp};
}

// The coordinating organisation runs the operation: its keys and admins take
// the packages (personal data of victims and account holders) and purge.
bool Coordinates(const RequestContext& ctx, const StealerOperation& operation) {
  return ctx.principal.org_id != 0 && ctx.principal.org_id == operation.org_id;
}

Status ListOperations(const httplib::Request&, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(OrgDirectory orgs, OrgDirectory::Load(*ctx.store));
  ASSIGN_OR_RETURN(std::vector<StealerOperation> operations, ctx.store->ListStealerOperations());
  json list = json::array();
  for (const StealerOperation& operation : operations) {
    ASSIGN_OR_RETURN(OperationAccess access, AccessTo(ctx, operation));
    if (!access.visible) continue;
    // Counted from the victim rows rather than SummaryReport, which also
    // reads every credential.
    int64_t victims = 0;
    int64_t credentials = 0;
    RETURN_IF_ERROR(ctx.store->ForEachStealerVictim(operation.id, [&](const StealerVictimRow& row) {
      ++victims;
      credentials += row.credential_count;
      return Status::Ok();
    }));
    ASSIGN_OR_RETURN(std::vector<StealerC2Row> servers, ctx.store->ListStealerC2(operation.id));
    list.push_back({{"name", operation.name},
                    {"created", operation.created},
                    {"retention_days", operation.retention_days},
                    {"organisation", orgs.Ref(operation.org_id)},
                    {"tlp", TlpName(access.tlp)},
                    {"victims", victims},
                    {"credentials", credentials},
                    {"c2_servers", servers.size()}});
  }
  SendJson(res, 200, {{"operations", std::move(list)}});
  return Status::Ok();
}

Status GetSummary(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(VisibleOperation found, FindVisible(req, ctx));
  ASSIGN_OR_RETURN(json summary, stealer::SummaryReport(*ctx.store, found.operation));
  ASSIGN_OR_RETURN(OrgDirectory orgs, OrgDirectory::Load(*ctx.store));
  summary["organisation"] = orgs.Ref(found.operation.org_id);
  summary["tlp"] = TlpName(found.tlp);
  SendJson(res, 200, summary);
  return Status::Ok();
}

// A victim without usernames or passwords: the machine, where and when, and
// how much was taken. The IP is null once purged.
json VictimJson(const StealerVictimRow& victim) {
  return {{"machine_id", victim.machine_id},
          {"family", victim.family},
          {"ip", NullIfEmpty(victim.ip)},
          {"country", NullIfEmpty(victim.country)},
          {"asn", victim.asn == 0 ? json(nullptr) : json(victim.asn)},
          {"os", NullIfEmpty(victim.os)},
          {"build_id", NullIfEmpty(victim.build_id)},
          {"infected_at", NullIfEmpty(victim.infected_at)},
          {"ingested", victim.ingested},
          {"credentials", victim.credential_count},
          {"cookies", victim.cookies},
          {"autofills", victim.autofills},
          {"purged", victim.purged}};
}

Status ListVictims(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(VisibleOperation found, FindVisible(req, ctx));
  ASSIGN_OR_RETURN(int64_t limit, PageLimit(req));
  std::string country;
  if (req.has_param("country")) {
    country = req.get_param_value("country");
    std::transform(country.begin(), country.end(), country.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const bool alpha2 = country.size() == 2 &&
                        std::isalpha(static_cast<unsigned char>(country[0])) &&
                        std::isalpha(static_cast<unsigned char>(country[1]));
    if (!alpha2) {
      return Status::Invalid("country: expected an ISO 3166-1 alpha-2 code, e.g. DE (XX: unknown)");
    }
  }
  int64_t after_id = 0;
  if (req.has_param("cursor")) {
    ASSIGN_OR_RETURN(std::vector<int64_t> cursor,
                     DecodeCursor(req.get_param_value("cursor"), "sv", 1));
    after_id = cursor[0];
  }
  // The store walks an operation's victims in id order; the page starts
  // after the cursor's id and reads one past `limit` to know whether a next
  // page exists.
  json victims = json::array();
  int64_t last_id = 0;
  bool more = false;
  Status status =
      ctx.store->ForEachStealerVictim(found.operation.id, [&](const StealerVictimRow& row) {
        if (row.id <= after_id) return Status::Ok();
        const std::string row_country = row.country.empty() ? "XX" : row.country;
        if (!country.empty() && row_country != country) return Status::Ok();
        if (static_cast<int64_t>(victims.size()) == limit) {
          more = true;
          return Status::ResourceExhausted("page full");
        }
        victims.push_back(VictimJson(row));
        last_id = row.id;
        return Status::Ok();
      });
  if (!status.ok() && !more) return status;
  SendJson(res, 200,
           {{"victims", std::move(victims)},
            {"next", more ? json(EncodeCursor("sv", {last_id})) : json(nullptr)}});
  return Status::Ok();
}

Status ListC2(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(VisibleOperation found, FindVisible(req, ctx));
  ASSIGN_OR_RETURN(std::vector<StealerC2Row> servers, ctx.store->ListStealerC2(found.operation.id));
  json list = json::array();
  for (const StealerC2Row& server : servers) {
    json evidence = json::parse(server.evidence_json, nullptr, false);
    if (!evidence.is_array()) evidence = json::array();
    list.push_back({{"type", server.type},
                    {"value", server.value},
                    {"family", NullIfEmpty(server.family)},
                    {"country", NullIfEmpty(server.country)},
                    {"asn", server.asn == 0 ? json(nullptr) : json(server.asn)},
                    {"as_organisation", NullIfEmpty(server.as_org)},
                    {"first_seen", NullIfEmpty(server.first_seen)},
                    {"last_seen", NullIfEmpty(server.last_seen)},
                    {"evidence", std::move(evidence)}});
  }
  SendJson(res, 200, {{"c2_servers", std::move(list)}});
  return Status::Ok();
}

// --- packages ---

// "a,b" with each item one of `allowed` ("all" among them); "all" when absent.
Result<std::set<std::string>> Choice(const httplib::Request& req, const std::string& name,
                                     const std::vector<std::string>& allowed) {
  std::set<std::string> chosen;
  const std::string text = req.has_param(name.c_str()) ? req.get_param_value(name.c_str()) : "all";
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    item = Lower(Trimmed(item));
    if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
      std::string options;
      for (const std::string& option : allowed) options += (options.empty() ? "" : ", ") + option;
      return Status::Invalid(fmt::format("{}: '{}' is not one of {}", name, item, options));
    }
    chosen.insert(item);
  }
  if (chosen.empty()) return Status::Invalid(name + ": empty");
  return chosen;
}

Result<stealer::PackageOptions> PackageChoice(const httplib::Request& req) {
  ASSIGN_OR_RETURN(std::set<std::string> kinds,
                   Choice(req, "kind", {"takedown", "victims", "services", "summary", "all"}));
  ASSIGN_OR_RETURN(std::set<std::string> formats,
                   Choice(req, "format", {"json", "csv", "stix", "all"}));
  const bool all_kinds = kinds.count("all") > 0;
  const bool all_formats = formats.count("all") > 0;
  stealer::PackageOptions options;
  options.takedown = all_kinds || kinds.count("takedown") > 0;
  options.victims = all_kinds || kinds.count("victims") > 0;
  options.services = all_kinds || kinds.count("services") > 0;
  options.summary = all_kinds || kinds.count("summary") > 0;
  options.formats.clear();
  if (all_formats || formats.count("json"))
    options.formats.push_back(stealer::PackageFormat::kJson);
  if (all_formats || formats.count("csv")) options.formats.push_back(stealer::PackageFormat::kCsv);
  if (all_formats || formats.count("stix"))
    options.formats.push_back(stealer::PackageFormat::kStix);
  // Only takedown packages have a STIX form (C2 servers are indicators;
  // victims and account holders are not threat intelligence). Asking for
  // nothing but STIX of those would answer an empty archive.
  const bool stix_only = !all_formats && formats.size() == 1 && formats.count("stix");
  if (stix_only && !options.takedown) {
    return Status::Invalid("format: only takedown packages have a STIX form; ask for json or csv");
  }
  return options;
}

// A fresh private directory under the system's temp dir, removed with its
// contents when this goes out of scope: packages hold personal data and
// must not outlive the request.
class ScratchDir {
 public:
  static Result<std::unique_ptr<ScratchDir>> Create() {
    std::error_code ec;
    const fs::path base = fs::temp_directory_path(ec);
    if (ec) return Status::IoError("temporary directory: " + ec.message());
    const fs::path path = base / ("accord-packages-" + RandomHex(12));
    if (!fs::create_directory(path, ec) || ec) {
      return Status::IoError(path.string() + ": " + (ec ? ec.message() : "already exists"));
    }
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec);
    return std::unique_ptr<ScratchDir>(new ScratchDir(path));
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (ec) CurrentRequestNotes().error = "cannot remove " + path_.string() + ": " + ec.message();
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  explicit ScratchDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

la_ssize_t AppendToString(archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// The files (relative to `dir`) as a zip archive in memory, entries named
// by their relative paths.
Result<std::string> ZipFiles(const fs::path& dir, const std::vector<std::string>& files,
                             time_t mtime) {
  std::string zip;
  std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(),
                                                                 archive_write_free);
  archive* a = writer.get();
  auto failed = [a](const std::string& what) {
    const char* why = archive_error_string(a);
    return Status::Internal("zip " + what + ": " + (why ? why : "unknown error"));
  };
  // No padding after the central directory: the default pads the last block
  // with zeros, which strict zip readers reject.
  if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
      archive_write_open(a, &zip, nullptr, AppendToString, nullptr) != ARCHIVE_OK) {
    return failed("open");
  }
  for (const std::string& relative : files) {
    std::ifstream in(dir / relative, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
      return Status::IoError((dir / relative).string() + ": read failed");
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_pathname(entry.get(), relative.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0640);
    archive_entry_set_mtime(entry.get(), mtime, 0);
    if (archive_write_header(a, entry.get()) != ARCHIVE_OK) return failed(relative);
    size_t written = 0;
    while (written < bytes.size()) {
      const la_ssize_t n = archive_write_data(a, bytes.data() + written, bytes.size() - written);
      if (n <= 0) return failed(relative);
      written += static_cast<size_t>(n);
    }
  }
  if (archive_write_close(a) != ARCHIVE_OK) return failed("close");
  return zip;
}

Status GetPackages(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(VisibleOperation found, FindVisible(req, ctx));
  const StealerOperation& operation = found.operation;
  // Victims' addresses and account holders' usernames: the coordinator's
  // to hand out, not every member's admin's who may see the operation.
  if (!Coordinates(ctx, operation)) {
    return Status::PermissionDenied("only the coordinating organisation of operation '" +
                                    operation.name + "' may download its packages");
  }
  ASSIGN_OR_RETURN(stealer::PackageOptions options, PackageChoice(req));
  const std::string kind =
      req.has_param("kind") ? Lower(Trimmed(req.get_param_value("kind"))) : "all";
  ASSIGN_OR_RETURN(std::unique_ptr<ScratchDir> scratch, ScratchDir::Create());
  const fs::path out = scratch->path() / "packages";
  ASSIGN_OR_RETURN(
      stealer::PackageReport report,
      stealer::WritePackages(*ctx.store, operation, options, out.string(), ctx.state->clock));
  const TimePoint now = ctx.state->clock.Now();
  const time_t mtime = static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  ASSIGN_OR_RETURN(std::string zip, ZipFiles(out, report.files, mtime));
  // Packages carry victims' addresses and account holders' usernames: who
  // took which is on the record.
  AuditEntry audit =
      AuditFor(ctx, "stealer.packages", operation.name,
               json({{"kind", kind},
                     {"format", req.has_param("format") ? req.get_param_value("format") : "all"},
                     {"files", report.files.size()},
                     {"bytes", zip.size()}})
                   .dump(-1, ' ', false, json::error_handler_t::replace));
  audit.time = FormatTimestamp(now);
  RETURN_IF_ERROR(ctx.store->AppendAudit(audit));
  res.status = 200;
  // Kind and format in the name, so two downloads never overwrite each other.
  const std::string format =
      req.has_param("format") ? Lower(Trimmed(req.get_param_value("format"))) : "all";
  std::string file = operation.name + "-" + kind;
  if (format != "all") file += "-" + format;
  std::replace(file.begin(), file.end(), ',', '+');
  res.set_header("Content-Disposition", ContentDisposition(file + ".zip"));
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(std::move(zip), "application/zip");
  return Status::Ok();
}

// --- purge ---

Status Purge(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  ASSIGN_OR_RETURN(VisibleOperation found, FindVisible(req, ctx));
  const Role role = ctx.principal.role;
  const bool allowed = Coordinates(ctx, found.operation) && (role == Role::kAdmin || role == Role::kAnalyst);
  if (!allowed) {
    return Status::PermissionDenied(fmt::format(
        "only the coordinating organisation's admins and analysts may purge operation '{}'",
        found.operation.name));
  }
  ASSIGN_OR_RETURN(auto purged, stealer::PurgeExpired(*ctx.store, found.operation.name, ctx.actor,
                                                      ctx.state->clock, ctx.remote_address));
  SendJson(res, 200,
           {{"operation", found.operation.name}, {"purged", purged[found.operation.name]}});
  return Status::Ok();
}

}  // namespace

Result<bool> StealerOperationVisible(RequestContext& ctx, const StealerOperation& operation) {
  ASSIGN_OR_RETURN(OperationAccess access, AccessTo(ctx, operation));
  return access.visible;
}

void RegisterStealerRoutes(httplib::Server& http, ServerState& state) {
  RegisterRangeRoute(http, state, R"(/range/([^/]*))", false);
  RegisterRangeRoute(http, state, R"(/exposure/passwords/range/([^/]*))", false);
  RegisterRangeRoute(http, state, R"(/exposure/usernames/range/([^/]*))", true);

  http.Get(kOperationsPath, Route(state, ListOperations));
  RegisterAllowedMethods(http, kOperationsPath, {"GET"});
  http.Get(kOperationPattern, Route(state, GetSummary));
  RegisterAllowedMethods(http, kOperationPattern, {"GET"});
  http.Get(kVictimsPattern, Route(state, ListVictims));
  RegisterAllowedMethods(http, kVictimsPattern, {"GET"});
  http.Get(kC2Pattern, Route(state, ListC2));
  RegisterAllowedMethods(http, kC2Pattern, {"GET"});
  http.Get(kPackagesPattern, Route(state, GetPackages));
  RegisterAllowedMethods(http, kPackagesPattern, {"GET"});
  http.Post(kPurgePattern, Route(state, Purge));
  RegisterAllowedMethods(http, kPurgePattern, {"POST"});
}

}  // namespace accord::server::rest
