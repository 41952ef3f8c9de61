#include "federation/peer.h"

#include <fmt/format.h>

#include "federation/taxii_answers.h"
#include "notify/notify.h"

namespace accord::federation::internal {
namespace {

constexpr const char* kTaxiiMediaType = "application/taxii+json;version=2.1";
// A peer's answer larger than this is refused rather than held in memory.
constexpr size_t kMaxResponseBytes = size_t{256} << 20;

}  // namespace

Status CheckRunOptions(int64_t org_id, const char* org_what, int64_t page_size) {
  if (org_id <= 0) return Status::Invalid(fmt::format("federation: no local organisation {}", org_what));
  if (page_size < 1 || page_size > 10000) {
    return Status::Invalid("federation: page size must be between 1 and 10000");
  }
  return Status::Ok();
}

Result<std::unique_ptr<Peer>> Peer::Connect(const std::string& api_root_url,
                                            const std::string& credentials, std::string name,
                                            int timeout_seconds) {
  ASSIGN_OR_RETURN(notify::WebhookUrl url, notify::ParseWebhookUrl(api_root_url));
  const size_t colon = credentials.find(':');
  if (colon == std::string::npos) {
    return Status::Invalid(
        "federation: credentials must be USER:PASSWORD (for Accord, KEYID:SECRET)");
  }
  std::string root = url.path;
  if (root.find('?') != std::string::npos) {
    return Status::Invalid(
        fmt::format("federation: API root {} must not have a query", api_root_url));
  }
  if (root.empty() || root.back() != '/') root += '/';
  const std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  const std::string origin = fmt::format("{}://{}:{}", url.scheme, host, url.port);
  if (name.empty()) name = fmt::format("{}:{}", host, url.port);
  // Provenance is "taxii:<peer>/<collection>", and a TAXII post's is
  // "taxii:<collection alias>/<status id>": a peer named like one of
  // Accord's collections would take everything posted there for its own
  // (and push would never send it).
  if (name.starts_with("tlp-") || name.find('/') != std::string::npos) {
    return Status::Invalid(fmt::format(
        "federation: --peer '{}' may not contain '/' or begin with 'tlp-' (the names of this node's "
        "collections)",
        name));
  }
  return std::unique_ptr<Peer>(new Peer(origin, root, std::move(name), credentials.substr(0, colon),
                                        credentials.substr(colon + 1), timeout_seconds));
}

namespace {

// What went wrong, in words (cpp-httplib says "Connection" or "Read").
std::string TransportFailure(httplib::Error error, int timeout_seconds) {
  switch (error) {
    case httplib::Error::Connection:
      return fmt::format("could not connect (refused, unreachable, or no answer within {} s; --timeout)",
                         timeout_seconds);
    case httplib::Error::Read:
      return fmt::format("no answer within {} s, or the connection dropped while reading (--timeout)",
                         timeout_seconds);
    case httplib::Error::Write:
      return fmt::format("could not send (the connection dropped, or no progress within {} s)", timeout_seconds);
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLServerVerification:
      return "the peer's TLS certificate could not be verified";
    default:
      return httplib::to_string(error);
  }
}

}  // namespace

Peer::Peer(const std::string& origin, std::string root, std::string name, const std::string& user,
           const std::string& password, int timeout_seconds)
    : root_(std::move(root)), name_(std::move(name)), timeout_seconds_(timeout_seconds), client_(origin) {
  client_.set_basic_auth(user, password);
  client_.set_connection_timeout(timeout_seconds);
  client_.set_read_timeout(timeout_seconds);
  client_.set_write_timeout(timeout_seconds);
  client_.set_keep_alive(true);
}

Result<std::string> Peer::Answer(const char* method, const std::string& target,
                                 httplib::Result& result, int expected, int also_expected) {
  if (!result) {
    return Status::IoError(fmt::format("peer {}: {} {}: {}", name_, method, target,
                                       TransportFailure(result.error(), timeout_seconds_)));
  }
  if (result->status != expected && result->status != also_expected) {
    const std::string detail = ErrorSummary(result->body);
    return Status::IoError(fmt::format("peer {}: {} {}: HTTP {}{}", name_, method, target,
                                       result->status, detail.empty() ? "" : " (" + detail + ")"));
  }
  if (result->body.size() > kMaxResponseBytes) {
    return Status::ResourceExhausted(fmt::format("peer {}: {} {}: answer over {} bytes", name_,
                                                 method, target, kMaxResponseBytes));
  }
  return std::move(result->body);
}

Result<std::string> Peer::Get(const std::string& path, httplib::Headers* response_headers) {
  const std::string target = root_ + path;
  httplib::Result result = client_.Get(target, {{"Accept", kTaxiiMediaType}});
  ASSIGN_OR_RETURN(std::string body, Answer("GET", target, result, 200, 200));
  if (response_headers != nullptr) *response_headers = result->headers;
  return body;
}

Result<std::string> Peer::Post(const std::string& path, const std::string& body) {
  const std::string target = root_ + path;
  httplib::Result result =
      client_.Post(target, {{"Accept", kTaxiiMediaType}}, body, kTaxiiMediaType);
  return Answer("POST", target, result, 202, 200);
}

}  // namespace accord::federation::internal
