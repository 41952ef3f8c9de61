// POST /api/v1/import: a STIX bundle, MISP JSON, CSV or plain list body
// (compressed or not) through the exchange importer, or an archive of such
// files imported one after the other, owned by the caller's organisation.
#include <fmt/format.h>

#include <vector>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "server/query_parameters.h"
#include "server/rest_common.h"

namespace accord::server::rest {
namespace {

// Rejections listed in an import response; the rest are only counted.
constexpr size_t kMaxListedRejections = 1000;
// The most an import body may expand to once decompressed.
constexpr size_t kMaxImportText = size_t{1} << 30;

json ImportReportJson(const ImportReport& report) {
  return {{"format", InputFormatName(report.format)},
          {"events", report.events},
          {"new_values", report.new_values},
          {"known_values", report.known_values},
          {"rejected", report.rejected},
          {"not_matched", report.not_matched},
          {"warninglisted", report.warninglisted},
          {"links_added", report.links_added},
          {"stix_objects_new", report.stix_objects_new},
          {"stix_objects_known", report.stix_objects_known},
          {"sightings", report.sightings},
          {"sightings_updated", report.sightings_updated},
          {"withdrawn", report.withdrawn},
          {"batches_committed", report.batches_committed},
          {"values_committed", report.values_committed},
          {"touched_events", [&] {
             json touched = json::array();
             for (const auto& event : report.touched_events) {
               touched.push_back({{"uuid", event.uuid}, {"created", event.created}});
             }
             return touched;
           }()}};
}

// The format a body's media type announces; nullopt for one we do not take.
// application/json may hold a STIX bundle, a MISP event or a feed's list of
// records: the importer tells them apart by their keys.
std::optional<InputFormat> FormatFor(const httplib::Request& req) {
  if (HasMediaType(req, "application/stix+json")) return InputFormat::kStix;
  if (HasMediaType(req, "application/json")) return InputFormat::kAuto;
  if (HasMediaType(req, "text/csv")) return InputFormat::kCsv;
  if (HasMediaType(req, "text/plain")) return InputFormat::kList;
  return std::nullopt;
}

// Media types for bytes whose format only their content tells: a
// compressed file or a zip of one file (an archive of several is taken
// whatever its type says).
bool IsContainerMediaType(const httplib::Request& req) {
  for (const char* media : {"application/zip", "application/gzip", "application/x-gzip", "application/zstd",
                            "application/x-tar", "application/x-7z-compressed", "application/vnd.rar",
                            "application/x-rar-compressed", "application/octet-stream"}) {
    if (HasMediaType(req, media)) return true;
  }
  return false;
}

// The request's own name for its source ("request", or ?name=) made the
// organisation's own: readers derive event ids from it when a body carries
// none, and those must not collide with another organisation's.
std::string PrivateSuffix(int64_t org_id) { return "@org" + std::to_string(org_id); }

std::string SourceName(std::string_view requested, int64_t org_id) {
  std::string name(requested.substr(0, 200));
  for (char& c : name) {
    if (c == '/' || c == '\\') c = '_';
  }
  return name + PrivateSuffix(org_id);
}

// `text` (a rejection's location, an error) with the source named as the
// caller named it: SourceName's suffix is this node's own.
std::string AsCallerNamedIt(std::string text, const std::string& source_name) {
  const size_t suffix = source_name.rfind("@org");
  if (suffix == std::string::npos) return text;
  const std::string shown = source_name.substr(0, suffix);
  for (size_t at = text.find(source_name); at != std::string::npos; at = text.find(source_name, at + shown.size())) {
    text.replace(at, source_name.size(), shown);
  }
  return text;
}

Status AsCallerNamedIt(const Status& status, const std::string& source_name) {
  std::string message = AsCallerNamedIt(status.message(), source_name);
  switch (status.code()) {
    case Status::Code::kOk: return status;
    case Status::Code::kInvalidArgument: return Status::Invalid(std::move(message));
    case Status::Code::kNotFound: return Status::NotFound(std::move(message));
    case Status::Code::kAlreadyExists: return Status::AlreadyExists(std::move(message));
    case Status::Code::kPermissionDenied: return Status::PermissionDenied(std::move(message));
    case Status::Code::kUnauthenticated: return Status::Unauthenticated(std::move(message));
    case Status::Code::kFailedPrecondition: return Status::FailedPrecondition(std::move(message));
    case Status::Code::kResourceExhausted: return Status::ResourceExhausted(std::move(message));
    case Status::Code::kIoError: return Status::IoError(std::move(message));
    case Status::Code::kCorruption: return Status::Corruption(std::move(message));
    case Status::Code::kInternal: return Status::Internal(std::move(message));
    case Status::Code::kUnavailable: return Status::Unavailable(std::move(message));
  }
  return status;
}

// What one import of a request collects beside its report.
struct RequestRejections {
  json listed = json::array();
  int64_t omitted = 0;
  void Add(const Rejection& rejection) {
    if (listed.size() < kMaxListedRejections) {
      listed.push_back({{"location", rejection.location},
                        {"value", rejection.value},
                        {"reason", rejection.reason},
                        {"not_matched", rejection.not_matched}});
    } else {
      ++omitted;
    }
  }
};

// Imports one text (a body, or one file of an archive) as the request asks:
// TLP, title, target event; its ownership is checked before (it may be the
// first of several texts). `format` is decided (not kAuto). When the Status
// is not ok, `http_status` is the HTTP status to answer with a report, or 0
// when nothing was read (the request itself was refused: the Status says
// how).
Status ImportText(const httplib::Request& req, RequestContext& ctx, const std::string& name,
                  std::string text, InputFormat format, const std::string& default_title,
                  RequestRejections& rejections, ImportReport& report, int& http_status) {
  http_status = 0;
  const std::string into_event = req.get_param_value("event");
  auto tlp = QueryTlp(req, "tlp");
  if (!tlp.ok()) return tlp.status();
  ASSIGN_OR_RETURN(std::optional<Organisation> importer, ctx.store->FindOrganisationById(ctx.principal.org_id));
  ImportOptions options;
  options.format = format;
  options.owner_org_id = ctx.principal.org_id;
  options.importer_role = ctx.principal.role;
  options.share_with_org_id = importer ? importer->shares_with_org_id : 0;
  options.default_tlp = tlp->value_or(Tlp::kAmber);
  options.default_tlp_stated = tlp->has_value();
  options.private_source_suffix = PrivateSuffix(ctx.principal.org_id);
  // A CSV or list upload without a title gets an event of its own; with one,
  // re-sending the same feed grows the same event (the importer derives the
  // event id from the organisation and the title).
  options.title = QueryParameter(req.target, "title").value_or("");
  if (options.title.empty() && (format == InputFormat::kCsv || format == InputFormat::kList ||
                                format == InputFormat::kJsonRecords)) {
    options.title = default_title;
  }
  options.into_event = into_event;
  options.batch_size = kImportBatchInRequest;
  options.batch_seconds = 0;
  options.actor = ctx.actor;
  options.source_address = ctx.remote_address;
  options.on_reject = [&](Rejection rejection) {
    rejection.location = AsCallerNamedIt(std::move(rejection.location), name);
    rejection.reason = AsCallerNamedIt(std::move(rejection.reason), name);
    rejections.Add(rejection);
  };
  options.warning_lists = &ctx.state->warning_lists;
  auto in = OpenInputFromMemory(name, std::move(text));
  if (!in.ok()) return AsCallerNamedIt(in.status(), name);
  Status status = AsCallerNamedIt(ImportStream(*ctx.store, **in, options, &report), name);
  if (!status.ok()) {
    // A body that cannot be read to the end (malformed JSON, a broken
    // compressed stream) is the client's; anything else failing is ours.
    const bool bad_body = status.code() == Status::Code::kCorruption ||
                          status.code() == Status::Code::kIoError;
    http_status = bad_body ? 400 : HttpStatusFor(status);
  }
  return status;
}

// The answer to an import that stopped: where, and what was committed
// before it. An unknown target event or our own failure has no report.
void SendImportFailure(httplib::Response& res, const Status& status, int http_status,
                       json report, RequestRejections& rejections, json files = nullptr) {
  const bool busy = status.code() == Status::Code::kUnavailable;
  if (!busy && (http_status >= 500 || status.code() == Status::Code::kNotFound)) {
    return SendStatus(res, status);
  }
  // Busy: what was committed before the node stayed locked is in the
  // report; the rest comes with the same request sent again (known values
  // add nothing).
  if (busy) res.set_header("Retry-After", "2");
  json body = {{"error", {{"status", http_status}, {"message", status.message()}}},
               {"report", std::move(report)},
               {"rejections", std::move(rejections.listed)},
               {"rejections_omitted", rejections.omitted}};
  if (!files.is_null()) body["files"] = std::move(files);
  SendJson(res, http_status, body);
}

// Adds one file's report to an archive's.
void AddReport(ImportReport& total, ImportReport&& file) {
  total.new_values += file.new_values;
  total.known_values += file.known_values;
  total.rejected += file.rejected;
  total.not_matched += file.not_matched;
  total.warninglisted += file.warninglisted;
  total.links_added += file.links_added;
  total.events += file.events;
  total.stix_objects_new += file.stix_objects_new;
  total.stix_objects_known += file.stix_objects_known;
  total.sightings += file.sightings;
  total.sightings_updated += file.sightings_updated;
  total.withdrawn += file.withdrawn;
  total.batches_committed += file.batches_committed;
  total.values_committed += file.values_committed;
  for (auto& touched : file.touched_events) total.touched_events.push_back(std::move(touched));
}

json ArchiveReportJson(const ImportReport& total) {
  json out = ImportReportJson(total);
  out["format"] = "archive";
  return out;
}

// A tar, 7z or rar archive, or a zip of several files: each file is read
// as `accord import` reads the files of an archive, its format detected from
// its bytes and name, in the archive's order, each committed as it goes.
// Everything that can refuse the request (an unreadable archive, a bad tlp)
// is checked before the first file is imported, so a refused archive
// changes nothing. An event of another organisation a file names is
// refused by the importer, that event alone, as `accord import` does (its
// report sent again unchanged is known).
void ImportArchive(const httplib::Request& req, httplib::Response& res, RequestContext& ctx,
                   const std::string& archive_name) {
  auto tlp = QueryTlp(req, "tlp");
  if (!tlp.ok()) return SendStatus(res, tlp.status());
  struct ArchiveFile {
    std::string path;  // inside the archive
    std::string base;  // its file name
    std::string text;  // empty: skipped
    std::string skipped = "empty";  // why, when skipped
    InputFormat format = InputFormat::kAuto;
  };
  std::vector<ArchiveFile> members;
  size_t text_bytes = 0;
  auto walked = ForEachArchiveMemberInMemory(req.body, archive_name, [&](InputStream& member) -> Status {
    ArchiveFile file;
    file.path = member.name().substr(archive_name.size() + 1);
    const size_t slash = file.path.rfind('/');
    file.base = slash == std::string::npos ? file.path : file.path.substr(slash + 1);
    ASSIGN_OR_RETURN(file.text, ReadAll(member, kMaxImportText - text_bytes));
    text_bytes += file.text.size();
    if (file.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      file.text.clear();
    } else if (std::string why = BinaryDataReason(file.text); !why.empty()) {
      file.skipped = "binary";  // a picture or a PDF beside the feeds: nothing to read
      file.text.clear();
    } else {
      file.format = DetectFormat(std::string_view(file.text).substr(0, 64 << 10), file.base);
    }
    members.push_back(std::move(file));
    return Status::Ok();
  });
  if (!walked.ok()) {
    return SendBodyStatus(res, AsCallerNamedIt(walked.status(), archive_name));
  }
  RequestRejections rejections;
  ImportReport total;
  json files = json::array();
  for (ArchiveFile& file : members) {
    if (file.text.empty()) {
      files.push_back({{"name", file.path}, {"format", nullptr}, {"skipped", file.skipped}});
      continue;
    }
    ImportReport report;
    int http_status = 400;
    Status status = ImportText(req, ctx, SourceName(file.base, ctx.principal.org_id), std::move(file.text),
                               file.format, file.base, rejections, report, http_status);
    json entry = {{"name", file.path},
                  {"format", InputFormatName(file.format)},
                  {"new_values", report.new_values},
                  {"known_values", report.known_values},
                  {"rejected", report.rejected},
                  {"events", report.events}};
    AddReport(total, std::move(report));
    if (!status.ok()) {
      entry["error"] = status.message();
      files.push_back(std::move(entry));
      // Earlier files are committed: the answer says what they brought.
      if (http_status == 0) http_status = HttpStatusFor(status);
      return SendImportFailure(res, status, http_status, ArchiveReportJson(total),
                               rejections, std::move(files));
    }
    files.push_back(std::move(entry));
  }
  SendJson(res, 200,
           {{"report", ArchiveReportJson(total)},
            {"files", std::move(files)},
            {"rejections", std::move(rejections.listed)},
            {"rejections_omitted", rejections.omitted}});
}

void Import(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (!MaySubmit(ctx.principal.role)) {
    return SendError(res, 403, "readers and points of contact may not import");
  }
  const std::string requested_name = QueryParameter(req.target, "name").value_or("request");
  // An archive of files is read file by file whatever the media type says
  // (browsers send application/zip, application/x-tar or none at all).
  if (IsArchiveOfFilesInMemory(req.body)) {
    return ImportArchive(req, res, ctx, SourceName(requested_name, ctx.principal.org_id));
  }
  const bool container = IsContainerMediaType(req);
  std::optional<InputFormat> format = container ? InputFormat::kAuto : FormatFor(req);
  if (!format) {
    return SendError(res, 415,
                     "import takes application/stix+json, application/json (STIX bundle, MISP "
                     "event or a feed's list of records), text/csv or text/plain, or an archive "
                     "(zip, tar, 7z) or compressed file (gzip, zstd) of such files");
  }
  const std::string name = SourceName(requested_name, ctx.principal.org_id);
  // Bodies may be compressed; the ownership check reads the text.
  auto raw = OpenInputFromMemory(name, req.body);
  if (!raw.ok()) return SendBodyStatus(res, AsCallerNamedIt(raw.status(), name));
  auto text = ReadAll(**raw, kMaxImportText);
  if (!text.ok()) return SendBodyStatus(res, AsCallerNamedIt(text.status(), name));
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    return SendError(res, 400, "the request body is empty");
  }
  if (*format == InputFormat::kAuto && container) {
    format = DetectFormat(std::string_view(*text).substr(0, 64 << 10), requested_name);
  } else if (*format == InputFormat::kAuto) {
    InputFormat detected = DetectFormat(std::string_view(*text).substr(0, 64 << 10), "");
    if (detected != InputFormat::kStix && detected != InputFormat::kMisp &&
        detected != InputFormat::kJsonRecords) {
      return SendError(res, 400,
                       "an application/json body must be a STIX bundle, MISP JSON or a feed's list of records");
    }
    format = detected;
  }
  RequestRejections rejections;
  ImportReport report;
  int http_status = 400;
  Status status = ImportText(req, ctx, name, std::move(text).value(), *format,
                             "API import " + FormatTimestamp(ctx.state->clock.Now()), rejections, report,
                             http_status);
  if (!status.ok()) {
    if (http_status == 0) return SendStatus(res, status);
    return SendImportFailure(res, status, http_status, ImportReportJson(report), rejections);
  }
  SendJson(res, 200,
           {{"report", ImportReportJson(report)},
            {"rejections", std::move(rejections.listed)},
            {"rejections_omitted", rejections.omitted}});
}

}  // namespace

void RegisterImportRoutes(httplib::Server& http, ServerState& state) {
  http.Post("/api/v1/import", Authenticated(state, ErrorStyle::kRest, Import));
  RegisterAllowedMethods(http, "/api/v1/import", {"POST"});
}

}  // namespace accord::server::rest
