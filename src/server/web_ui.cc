// The web UI: the built single-page app (web/dist, installed beside the
// binary as web/) served at `/` from the same origin as the API, so the
// browser needs no CORS and the API key never leaves the origin. Files are
// served by path; any other page path (not /api, /taxii2, the exposure
// range or health checks, and without a file extension) gets index.html,
// so the app's own routes survive a reload.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/context.h"

namespace accord::server {
namespace {

// The app loads only its own scripts and styles and talks only to this
// origin; nothing may frame it.
const httplib::Headers kUiHeaders = {
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
     "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
};

}  // namespace

Status RegisterWebUi(httplib::Server& http, const std::string& web_root) {
  if (web_root.empty()) {
    http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "<!DOCTYPE html><title>Accord</title><p>This node serves the REST API at /api/v1 and "
          "TAXII 2.1 at /taxii2/. The web UI is not installed (build it with npm in web/, or "
          "pass --web-root).</p>",
          "text/html; charset=utf-8");
    });
    return Status::Ok();
  }
  const std::filesystem::path index = std::filesystem::path(web_root) / "index.html";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(index, ec)) {
    return Status::NotFound("--web-root " + web_root + ": no index.html (run `npm run build` in web/)");
  }
  if (!http.set_mount_point("/", web_root, kUiHeaders)) {
    return Status::Invalid("--web-root " + web_root + ": not a readable folder");
  }
  const std::string index_path = index.string();
  http.Get(R"(/(?!api/|api$|taxii2|range/|exposure/|healthz|readyz|metrics)[^.]*)",
           [index_path](const httplib::Request&, httplib::Response& res) {
             std::ifstream in(index_path, std::ios::binary);
             std::ostringstream html;
             html << in.rdbuf();
             for (const auto& [name, value] : kUiHeaders) res.set_header(name, value);
             res.set_header("Cache-Control", "no-cache");
             res.set_content(html.str(), "text/html; charset=utf-8");
           });
  return Status::Ok();
}

}  // namespace accord::server
