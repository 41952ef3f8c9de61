// One peer's TAXII 2.1 API root over HTTP(S), with HTTP Basic credentials:
// the requests that pull and push make, each answer checked for its status
// and size, and every error naming the peer and the URL.
//
// Internal to federation/.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include "core/status.h"

namespace accord::federation::internal {

// The checks pull and push make before connecting: a local organisation
// (`org_what` says which, for the message) and a page size in 1..10000.
Status CheckRunOptions(int64_t org_id, const char* org_what, int64_t page_size);

class Peer {
 public:
  // `api_root_url` as given on the command line; `credentials` is
  // USER:PASSWORD; `name` names the peer in errors (empty: host:port).
  static Result<std::unique_ptr<Peer>> Connect(const std::string& api_root_url,
                                               const std::string& credentials, std::string name,
                                               int timeout_seconds);

  const std::string& name() const { return name_; }

  // GET <root><path>: the body of a 200 answer (and its headers).
  Result<std::string> Get(const std::string& path, httplib::Headers* response_headers = nullptr);
  // POST <root><path> with a TAXII body: the body of a 200 or 202 answer.
  Result<std::string> Post(const std::string& path, const std::string& body);

 private:
  Peer(const std::string& origin, std::string root, std::string name, const std::string& user,
       const std::string& password, int timeout_seconds);
  Result<std::string> Answer(const char* method, const std::string& target,
                             httplib::Result& result, int expected, int also_expected);

  std::string root_;
  std::string name_;
  int timeout_seconds_;
  httplib::Client client_;
};

}  // namespace accord::federation::internal
