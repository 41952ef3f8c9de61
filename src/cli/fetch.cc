#include "cli/fetch.h"

#include <fmt/format.h>
#include <httplib.h>

#include <fstream>

#include "notify/notify.h"

namespace accord::cli {

namespace {

std::string Described(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection: return "could not connect";
    case httplib::Error::ConnectionTimeout: return "timed out connecting";
    case httplib::Error::Read: return "the connection broke or timed out while reading";
    case httplib::Error::SSLConnection: return "the TLS handshake failed";
    case httplib::Error::SSLServerVerification: return "the server's certificate could not be verified";
    case httplib::Error::ExceedRedirectCount: return "too many redirects";
    default: return httplib::to_string(error);
  }
}

}  // namespace

bool IsHttpUrl(const std::string& argument) {
  return argument.starts_with("http://") || argument.starts_with("https://");
}

std::string FeedFileName(const std::string& url) {
  auto parsed = notify::ParseHttpUrl(url, "feed URL");
  if (!parsed.ok()) return "feed";
  std::string_view path = parsed->path;
  path = path.substr(0, path.find_first_of("?#"));
  while (path.ends_with('/')) path.remove_suffix(1);
  std::string name(path.substr(path.rfind('/') + 1));
  // Only what a file name may hold: the name reaches the file system.
  for (char& c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) c = '_';
  }
  if (name.empty() || name.starts_with('.')) name = parsed->host + name;
  return name;
}

Status FetchToFile(const std::string& url, const std::string& path, int timeout_seconds) {
  ASSIGN_OR_RETURN(notify::WebhookUrl parsed, notify::ParseHttpUrl(url, "feed URL"));
  const std::string host = parsed.host.find(':') != std::string::npos ? "[" + parsed.host + "]" : parsed.host;
  httplib::Client client(fmt::format("{}://{}:{}", parsed.scheme, host, parsed.port));
  client.set_follow_location(true);
  client.set_connection_timeout(timeout_seconds);
  client.set_read_timeout(timeout_seconds);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError(fmt::format("{}: cannot write {}", url, path));
  int status = 0;
  httplib::Result response = client.Get(
      parsed.path,
      [&status](const httplib::Response& answer) {
        status = answer.status;
        return answer.status == 200;  // anything else: stop, and say so below
      },
      [&out](const char* data, size_t size) {
        out.write(data, static_cast<std::streamsize>(size));
        return static_cast<bool>(out);
      });
  out.close();
  if (status != 0 && status != 200) return Status::NotFound(fmt::format("{}: the server answered HTTP {}", url, status));
  if (!response) return Status::IoError(fmt::format("{}: {}", url, Described(response.error())));
  if (!out) return Status::IoError(fmt::format("{}: cannot write {}", url, path));
  return Status::Ok();
}

}  // namespace accord::cli
