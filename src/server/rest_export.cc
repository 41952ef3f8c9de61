// GET /api/v1/export (what the caller may see, streamed), the MISP feed
// (/api/v1/misp-feed/...) and /api/v1/warninglists.
#include <fmt/format.h>

#include <streambuf>

#include "exchange/exchange.h"
#include "misp/misp.h"
#include "server/rest_common.h"

namespace accord::server::rest {
namespace {

// Collects the exporter's many small writes into chunks of the HTTP
// response; remembers when the client went away.
class ChunkBuffer final : public std::streambuf {
 public:
  explicit ChunkBuffer(httplib::DataSink& sink) : sink_(sink) { buffer_.reserve(kChunk); }
  bool failed() const { return failed_; }

 protected:
  std::streamsize xsputn(const char* data, std::streamsize n) override {
    if (failed_) return 0;
    buffer_.append(data, static_cast<size_t>(n));
    if (buffer_.size() >= kChunk && !Flush()) return 0;
    return n;
  }
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
  }
  int sync() override { return Flush() ? 0 : -1; }

 private:
  static constexpr size_t kChunk = 64 << 10;
  bool Flush() {
    if (failed_) return false;
    if (!buffer_.empty() && !sink_.write(buffer_.data(), buffer_.size())) failed_ = true;
    buffer_.clear();
    return !failed_;
  }
  httplib::DataSink& sink_;
  std::string buffer_;
  bool failed_ = false;
};

void ExportHandler(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  const std::string format_name = req.has_param("format") ? req.get_param_value("format") : "stix";
  std::optional<ExportFormat> format = ParseExportFormat(format_name);
  // Suricata's export and a MISP feed are directories of files; the CLI
  // writes them.
  if (!format || *format == ExportFormat::kSuricata || *format == ExportFormat::kMispFeed) {
    return SendError(res, 400, "format: expected stix, csv, misp or zeek");
  }
  auto max_tlp = QueryTlp(req, "max_tlp");
  if (!max_tlp.ok()) return SendStatus(res, max_tlp.status());
  const std::string live_only = req.get_param_value("live_only");
  if (!live_only.empty() && live_only != "true" && live_only != "false") {
    return SendError(res, 400, "live_only: expected true or false");
  }
  ExportOptions options;
  options.format = *format;
  options.viewer = ctx.principal;  // MayRead decides, inside Export
  options.max_tlp = *max_tlp;
  options.include_expired = live_only != "true";
  const char* content_type = *format == ExportFormat::kStix  ? kStixMediaType
                             : *format == ExportFormat::kCsv ? "text/csv"
                             : *format == ExportFormat::kZeek ? "text/plain"
                                                              : "application/json";
  // The provider runs on this worker thread after the handler returns, so
  // the thread's store is still the one to use.
  Store* store = ctx.store;
  res.status = 200;
  res.set_chunked_content_provider(content_type, [store, options](size_t, httplib::DataSink& sink) {
    ChunkBuffer buffer(sink);
    std::ostream out(&buffer);
    Status status;
    try {
      status = Export(*store, options, out, nullptr);
    } catch (const std::exception& e) {
      status = Status::Internal(e.what());
    }
    out.flush();
    if (!status.ok() || buffer.failed()) {
      // Headers are gone: the only honest signal left is to cut the
      // connection, so the client sees a truncated transfer, not a short one.
      if (!status.ok()) CurrentRequestNotes().error = "export: " + status.ToString();
      return false;
    }
    sink.done();
    return true;
  });
}

// A MISP feed of what the caller may read, for a MISP instance's Feeds
// (format "MISP Feed", URL .../api/v1/misp-feed, the caller's key in an
// Authorization header): MISP fetches manifest.json, then <uuid>.json for
// the events whose timestamp moved, and hashes.csv for its feed cache. An
// event the caller may not read is answered like one that does not exist.
void MispFeedHandler(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  auto max_tlp = QueryTlp(req, "max_tlp");
  if (!max_tlp.ok()) return SendStatus(res, max_tlp.status());
  ExportOptions options;
  options.format = ExportFormat::kMispFeed;
  options.viewer = ctx.principal;  // MayRead decides, inside the exporter
  options.max_tlp = *max_tlp;
  const std::string file = req.matches[1].str();
  if (file == "manifest.json") {
    auto manifest = MispFeedManifest(*ctx.store, options);
    if (!manifest.ok()) return SendStatus(res, manifest.status());
    res.status = 200;
    return res.set_content(*manifest, "application/json");
  }
  if (file == "hashes.csv") {
    auto hashes = MispFeedHashes(*ctx.store, options);
    if (!hashes.ok()) return SendStatus(res, hashes.status());
    res.status = 200;
    return res.set_content(*hashes, "text/csv");
  }
  const std::string uuid = file.size() == 41 && file.ends_with(".json") ? file.substr(0, 36) : "";
  if (!IsUuid(uuid)) {
    return SendError(res, 404, "a MISP feed holds manifest.json, hashes.csv and <event uuid>.json");
  }
  auto event = MispFeedEvent(*ctx.store, options, uuid);
  if (!event.ok()) return SendStatus(res, event.status());
  if (!*event) return SendError(res, 404, "no event " + uuid);
  res.status = 200;
  res.set_content(**event, "application/json");
}

void ListWarningLists(const httplib::Request&, httplib::Response& res, RequestContext& ctx) {
  auto lists = ctx.store->LoadWarningLists();
  if (!lists.ok()) return SendStatus(res, lists.status());
  json out = json::array();
  for (const WarningListRecord& list : *lists) {
    out.push_back({{"name", list.name},
                   {"description", list.description},
                   {"type", list.type},
                   {"version", list.version},
                   {"matching_attributes", list.matching_attributes},
                   {"entries", list.entries.size()}});
  }
  SendJson(res, 200, {{"warninglists", std::move(out)}});
}

// As exchange's AddWarningList, from a request body and with the caller in
// the audit record: the list replaces any of the same name, and observables
// already stored that it covers are flagged so they never go live (one
// transaction).
void AddWarningListHandler(const httplib::Request& req, httplib::Response& res,
                           RequestContext& ctx) {
  // A list marks values of every organisation on the node (including
  // those the caller may not read) as never live: the node's own call.
  auto operator_admin = IsOperatorAdmin(ctx);
  if (!operator_admin.ok()) return SendStatus(res, operator_admin.status());
  if (!*operator_admin) {
    return SendError(res, 403, "only an admin of the node's operator organisation may load warning lists: "
                               "a list applies to every organisation's values");
  }
  if (!HasMediaType(req, "application/json")) {
    return SendError(res, 415, "a warning list is application/json (MISP warning list format)");
  }
  auto in = OpenInputFromMemory("request body", req.body);
  if (!in.ok()) return SendBodyStatus(res, in.status());
  auto parsed = ParseWarningList(**in);
  if (!parsed.ok()) return SendError(res, 400, parsed.status().message());
  auto report = ApplyWarningList(*ctx.store, *parsed, AuditFor(ctx, "warninglist.add", parsed->name, ""));
  if (!report.ok()) return SendStatus(res, report.status());
  SendJson(res, 201,
           {{"name", report->name},
            {"entries", report->entries},
            {"flagged", report->flagged},
            {"cleared", report->cleared},
            {"problems", report->problems}});
}

// Takes a list out by name (URL-encoded in the path); the values only it
// held go live again. Audited like loading one.
void RemoveWarningListHandler(const httplib::Request& req, httplib::Response& res,
                              RequestContext& ctx) {
  auto operator_admin = IsOperatorAdmin(ctx);
  if (!operator_admin.ok()) return SendStatus(res, operator_admin.status());
  if (!*operator_admin) {
    return SendError(res, 403, "only an admin of the node's operator organisation may remove warning lists");
  }
  const std::string name = req.matches[1].str();
  auto report =
      RemoveWarningList(*ctx.store, name, AuditFor(ctx, "warninglist.remove", name, ""));
  if (!report.ok()) return SendStatus(res, report.status());
  SendJson(res, 200, {{"name", report->name}, {"cleared", report->cleared}});
}

}  // namespace

void RegisterExportRoutes(httplib::Server& http, ServerState& state) {
  http.Get("/api/v1/export", Authenticated(state, ErrorStyle::kRest, ExportHandler));
  RegisterAllowedMethods(http, "/api/v1/export", {"GET"});
  http.Get(R"(/api/v1/misp-feed/([^/]+))", Authenticated(state, ErrorStyle::kRest, MispFeedHandler));
  RegisterAllowedMethods(http, R"(/api/v1/misp-feed/([^/]+))", {"GET"});
  http.Get("/api/v1/warninglists", Authenticated(state, ErrorStyle::kRest, ListWarningLists));
  http.Post("/api/v1/warninglists", Authenticated(state, ErrorStyle::kRest, AddWarningListHandler));
  RegisterAllowedMethods(http, "/api/v1/warninglists", {"GET", "POST"});
  http.Delete(R"(/api/v1/warninglists/([^/]+))",
              Authenticated(state, ErrorStyle::kRest, RemoveWarningListHandler));
  RegisterAllowedMethods(http, R"(/api/v1/warninglists/([^/]+))", {"DELETE"});
}

}  // namespace accord::server::rest
