#include "server/context.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/crypto.h"
#include "server/query_parameters.h"

namespace accord::server {
namespace {

std::string Base64Decode(std::string_view in) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return "";
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

// Splits the Authorization header into key id and secret; empty on failure.
std::pair<std::string, std::string> Credentials(const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  std::string token;
  if (header.size() > 7 && strncasecmp(header.c_str(), "Bearer ", 7) == 0) {
    token = header.substr(7);
  } else if (header.size() > 6 && strncasecmp(header.c_str(), "Token ", 6) == 0) {
    // taxii2client's TokenAuth sends "Token <key>".
    token = header.substr(6);
  } else if (header.size() > 6 && strncasecmp(header.c_str(), "Basic ", 6) == 0) {
    token = Base64Decode(header.substr(6));
  } else {
    return {};
  }
  size_t colon = token.find(':');
  if (colon == std::string::npos) return {};
  return {token.substr(0, colon), token.substr(colon + 1)};
}

void Refuse(httplib::Response& res, ErrorStyle style, int status, const std::string& why) {
  if (status == 401) res.set_header("WWW-Authenticate", "Basic realm=\"accord\", charset=\"UTF-8\"");
  if (style == ErrorStyle::kTaxii) {
    WriteTaxiiError(res, status, status == 401 ? "Unauthorized" : "Refused", why);
  } else {
    WriteRestError(res, status, why);
  }
}

}  // namespace

Result<Store*> StorePool::ForThisThread() {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = stores_[std::this_thread::get_id()];
  if (!slot) {
    // Workers mostly read: TAXII pages, lookups. Mapped reads took the p99 of
    // a 1,000-object TAXII page from 160 ms to 22 ms (bench/http).
    ASSIGN_OR_RETURN(slot, OpenStore(StoreOptions{data_dir_, false, /*map_for_reads=*/true}));
  }
  return slot.get();
}

void StorePool::ReleaseThisThread() {
  std::unique_ptr<Store> released;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = stores_.find(std::this_thread::get_id());
    if (it == stores_.end()) return;
    released = std::move(it->second);
    stores_.erase(it);
  }
  // Closed outside the lock: other workers go on finding their stores.
}

bool LoginThrottle::Blocked(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(address);
  if (it == entries_.end()) return false;
  if (clock_.Now() - it->second.window_start > window_) {
    entries_.erase(it);
    return false;
  }
  return it->second.failures >= max_failures_;
}

void LoginThrottle::Failed(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& entry = entries_[address];
  TimePoint now = clock_.Now();
  if (entry.failures == 0 || now - entry.window_start > window_) {
    entry.failures = 0;
    entry.window_start = now;
  }
  ++entry.failures;
}

void WriteJson(httplib::Response& res, int status, const nlohmann::json& body,
               const char* content_type) {
  res.status = status;
  // Stored text that is not UTF-8 (an old import) must not make a read fail.
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), content_type);
}

void WriteRestError(httplib::Response& res, int status, const std::string& message) {
  WriteJson(res, status, {{"error", {{"status", status}, {"message", message}}}});
}

void WriteTaxiiError(httplib::Response& res, int status, const std::string& title,
                     const std::string& description) {
  WriteJson(res, status,
            {{"title", title}, {"description", description}, {"http_status", std::to_string(status)}},
            kTaxiiMediaType);
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return 200;
    case Status::Code::kInvalidArgument: return 400;
    case Status::Code::kUnauthenticated: return 401;
    case Status::Code::kPermissionDenied: return 403;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kAlreadyExists: return 409;
    case Status::Code::kFailedPrecondition: return 409;
    case Status::Code::kResourceExhausted: return 413;
    case Status::Code::kUnavailable: return 503;
    default: return 500;
  }
}

httplib::Server::Handler Authenticated(ServerState& state, ErrorStyle style, Handler handler) {
  return [&state, style, handler = std::move(handler)](const httplib::Request& req,
                                                        httplib::Response& res) {
    const std::string& address = req.remote_addr;
    // An address that failed too often gets 429 for any key but a valid
    // one (a request without a key still gets 401): many clients share an address (an office behind NAT, a test
    // runner), and one client's wrong key must not lock out the others.
    // Failures go on counting while blocked, and a success clears nothing
    // (a caller holding one valid key cannot lift the block for its
    // guesses at another): the count only ages out with its window. Only
    // a key id the store holds has its secret checked while blocked, so
    // guesses at unknown ids cost no hashing.
    const bool blocked = state.throttle.Blocked(address);
    auto refuse_blocked = [&] {
      res.set_header("Retry-After", "60");
      return Refuse(res, style, 429, "too many failed logins from this address; try again later");
    };
    auto [key_id, secret] = Credentials(req);
    // A request without a key guesses nothing: 401 even while blocked.
    if (key_id.empty()) {
      return Refuse(res, style, 401,
                    "an API key is required: 'Authorization: Bearer KEYID:SECRET' or HTTP Basic");
    }
    auto store = state.stores.ForThisThread();
    if (!store.ok()) return Refuse(res, style, 503, "the store is not available");
    auto key = (*store)->FindApiKey(key_id);
    if (!key.ok()) return Refuse(res, style, 503, "the store is not available");
    const std::string now = FormatTimestamp(state.clock.Now());
    bool valid = key->has_value() && !(*key)->revoked &&
                 ((*key)->expires.empty() || (*key)->expires > now) &&
                 VerifySecret(secret, (*key)->secret);
    if (!valid) {
      state.throttle.Failed(address);
      if (blocked) return refuse_blocked();
      return Refuse(res, style, 401, "unknown, revoked or expired API key");
    }
    if (style == ErrorStyle::kRest) {
      std::vector<std::string> names = QueryParameterNames(req.target);
      // httplib's parameters also hold a form-encoded body's fields, which
      // handlers read alike. A DELETE takes no body here, so its fields are
      // checked as parameters (httplib reads no GET body; a POST's form
      // body is its media type's business, refused as such).
      if (req.method == "DELETE") {
        for (const auto& [name, value] : req.params) {
          if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        }
      }
      if (auto refusal = UnofferedQueryParameter(req.method, req.path, names)) {
        return Refuse(res, style, 400, *refusal);
      }
    }
    RequestContext context;
    context.principal = Principal{(*key)->org_id, (*key)->role};
    context.key_id = key_id;
    context.user = (*key)->user;
    context.actor = "key:" + key_id;
    context.remote_address = address;
    context.store = *store;
    context.state = &state;
    try {
      handler(req, res, context);
      // What a key reads is for that key: no shared cache or browser
      // history keeps it, and no browser reads a JSON answer as a page.
      // A route that set its own caching (the public /range/ answers)
      // keeps it.
      if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
      if (!res.has_header("X-Content-Type-Options")) res.set_header("X-Content-Type-Options", "nosniff");
    } catch (const std::exception& e) {
      // Handlers report errors as values; reaching here is a bug. Say
      // nothing internal to the client.
      CurrentRequestNotes().error = std::string("handler threw: ") + e.what();
      if (style == ErrorStyle::kTaxii) {
        WriteTaxiiError(res, 500, "Internal error", "the server could not complete the request");
      } else {
        WriteRestError(res, 500, "the server could not complete the request");
      }
    }
  };
}

bool JsonNestsDeeperThan(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (in_string) {
      if (c == '\\') {
        ++at;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace accord::server
