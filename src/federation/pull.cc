// Pull: GET the peer's collections, then each collection's objects page by
// page (TAXII 2.1 section 5.4), importing each page before asking for the
// next one, so memory holds one page and a stop loses nothing committed.
#include <fmt/format.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/io.h"
#include "federation/federation.h"
#include "notify/notify.h"

namespace accord::federation {
namespace {

using nlohmann::json;

constexpr const char* kTaxiiAccept = "application/taxii+json;version=2.1";
// A peer's answer larger than this is refused rather than held in memory.
constexpr size_t kMaxResponseBytes = size_t{256} << 20;

class Peer {
 public:
  static Result<std::unique_ptr<Peer>> Connect(const PullOptions& options) {
    ASSIGN_OR_RETURN(notify::WebhookUrl url, notify::ParseWebhookUrl(options.api_root_url));
    const size_t colon = options.credentials.find(':');
    if (colon == std::string::npos) {
      return Status::Invalid(
          "federation: credentials must be USER:PASSWORD (for Accord, KEYID:SECRET)");
    }
    std::string root = url.path;
    if (root.find('?') != std::string::npos) {
      return Status::Invalid(
          fmt::format("federation: API root {} must not have a query", options.api_root_url));
    }
    if (root.empty() || root.back() != '/') root += '/';
    const std::string host =
        url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    const std::string origin = fmt::format("{}://{}:{}", url.scheme, host, url.port);
    std::string name = options.peer.empty() ? fmt::format("{}:{}", host, url.port) : options.peer;
    return std::unique_ptr<Peer>(
        new Peer(origin, root, std::move(name), options.credentials.substr(0, colon),
                 options.credentials.substr(colon + 1), options.timeout_seconds));
  }

  const std::string& name() const { return name_; }

  // GET <root><path>; the JSON body and the response (for its headers).
  Result<json> Get(const std::string& path, httplib::Headers* response_headers = nullptr) {
    const std::string target = root_ + path;
    httplib::Result result = client_.Get(target, {{"Accept", kTaxiiAccept}});
    if (!result) {
      return Status::IoError(
          fmt::format("peer {}: GET {}: {}", name_, target, httplib::to_string(result.error())));
    }
    if (result->status != 200) {
      std::string detail;
      json error = json::parse(result->body, nullptr, false);
      if (error.is_object()) {
        detail = error.value("title", "") +
                 (error.contains("description") ? ": " + error.value("description", "") : "");
      }
      return Status::IoError(fmt::format("peer {}: GET {}: HTTP {}{}", name_, target,
                                         result->status,
                                         detail.empty() ? "" : " (" + detail + ")"));
    }
    if (result->body.size() > kMaxResponseBytes) {
      return Status::ResourceExhausted(
          fmt::format("peer {}: GET {}: answer over {} bytes", name_, target, kMaxResponseBytes));
    }
    json body = json::parse(result->body, nullptr, false);
    if (!body.is_object()) {
      return Status::Corruption(
          fmt::format("peer {}: GET {}: the answer is not a JSON object", name_, target));
    }
    if (response_headers != nullptr) *response_headers = result->headers;
    return body;
  }

 private:
  Peer(const std::string& origin, std::string root, std::string name, const std::string& user,
       const std::string& password, int timeout_seconds)
      : root_(std::move(root)), name_(std::move(name)), client_(origin) {
    client_.set_basic_auth(user, password);
    client_.set_connection_timeout(timeout_seconds);
    client_.set_read_timeout(timeout_seconds);
    client_.set_keep_alive(true);
  }

  std::string root_;
  std::string name_;
  httplib::Client client_;
};

struct CollectionRef {
  std::string id;
  std::string title;
};

// Accord's collections are one per TLP level, titled "TLP:AMBER" ...: an
// unmarked object in one is at that level. Other servers' titles say
// nothing we can rely on.
Tlp CollectionTlp(const CollectionRef& collection, Tlp fallback) {
  if (collection.title.starts_with("TLP:")) return ParseTlp(collection.title).value_or(fallback);
  return fallback;
}

Result<std::vector<CollectionRef>> ChooseCollections(Peer& peer, const PullOptions& options) {
  ASSIGN_OR_RETURN(json listed, peer.Get("collections/"));
  std::vector<CollectionRef> all;
  const json& collections = listed.contains("collections") ? listed["collections"] : json::array();
  if (!collections.is_array()) {
    return Status::Corruption(fmt::format("peer {}: \"collections\" is not an array", peer.name()));
  }
  for (const json& collection : collections) {
    if (!collection.is_object() || !collection.contains("id") || !collection["id"].is_string()) {
      return Status::Corruption(
          fmt::format("peer {}: a collection has no string \"id\"", peer.name()));
    }
    const bool readable = collection.value("can_read", false);
    CollectionRef ref{collection["id"].get<std::string>(),
                      collection.contains("title") && collection["title"].is_string()
                          ? collection["title"].get<std::string>()
                          : ""};
    if (options.collections.empty()) {
      if (readable) all.push_back(std::move(ref));
      continue;
    }
    if (std::find(options.collections.begin(), options.collections.end(), ref.id) !=
        options.collections.end()) {
      if (!readable) {
        return Status::PermissionDenied(fmt::format(
            "peer {}: collection {} is not readable with these credentials", peer.name(), ref.id));
      }
      all.push_back(std::move(ref));
    }
  }
  for (const std::string& wanted : options.collections) {
    if (std::none_of(all.begin(), all.end(),
                     [&wanted](const CollectionRef& ref) { return ref.id == wanted; })) {
      return Status::NotFound(fmt::format("peer {}: no collection {}", peer.name(), wanted));
    }
  }
  return all;
}

std::string HeaderValue(const httplib::Headers& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return "";
}

Status PullCollection(Store& store, Peer& peer, const CollectionRef& collection,
                      const PullOptions& options, CollectionPull& pulled) {
  pulled.id = collection.id;
  pulled.title = collection.title;
  const std::string cursor_key = CursorKey(peer.name(), collection.id);
  ASSIGN_OR_RETURN(std::optional<std::string> cursor, store.GetMeta(cursor_key));
  pulled.cursor = cursor.value_or("");
  std::string added_after = pulled.cursor;
  std::string next;
  const std::string where = fmt::format("peer {}: collection {}", peer.name(), collection.id);
  for (;;) {
    std::string query =
        fmt::format("collections/{}/objects/?limit={}",
                    httplib::detail::encode_query_param(collection.id), options.page_size);
    if (!added_after.empty())
      query += "&added_after=" + httplib::detail::encode_query_param(added_after);
    if (!next.empty()) query += "&next=" + httplib::detail::encode_query_param(next);
    httplib::Headers headers;
    ASSIGN_OR_RETURN(json envelope, peer.Get(query, &headers));
    ++pulled.pages;
    const json objects = envelope.contains("objects") ? envelope["objects"] : json::array();
    if (!objects.is_array()) return Status::Corruption(where + ": \"objects\" is not an array");
    if (!objects.empty()) {
      pulled.objects += static_cast<int64_t>(objects.size());
      // A bundle without an id: its group events are keyed by the source
      // name, so every page of a collection lands in the same events.
      const std::string source = "taxii:" + peer.name() + "/" + collection.id;
      json bundle = {{"type", "bundle"}, {"objects", objects}};
      ASSIGN_OR_RETURN(std::unique_ptr<InputStream> in, OpenInputFromMemory(source, bundle.dump()));
      ImportOptions import;
      import.format = InputFormat::kStix;
      import.owner_org_id = options.owner_org_id;
      import.default_tlp = CollectionTlp(collection, options.default_tlp);
      import.actor = options.actor;
      import.batch_seconds = 0;  // one page, one commit
      import.on_reject = options.on_reject;
      ImportReport report;
      Status imported = ImportStream(store, *in, import, &report);
      pulled.stix_objects_new += report.stix_objects_new;
      pulled.stix_objects_known += report.stix_objects_known;
      pulled.new_values += report.new_values;
      pulled.known_values += report.known_values;
      pulled.rejected += report.rejected;
      if (!imported.ok()) return imported.WithContext(where);
    }
    const std::string last = HeaderValue(headers, "X-TAXII-Date-Added-Last");
    if (!last.empty() && last > pulled.cursor) {
      RETURN_IF_ERROR(store.SetMeta(cursor_key, last));
      pulled.cursor = last;
    }
    const bool more = envelope.value("more", false);
    if (!more || objects.empty()) return Status::Ok();
    if (envelope.contains("next") && envelope["next"].is_string()) {
      next = envelope["next"].get<std::string>();
    } else if (!last.empty()) {
      // A server without `next` pages by added_after alone.
      added_after = last;
      next.clear();
    } else {
      return Status::Corruption(where + ": \"more\" is true but the answer gives no next page");
    }
  }
}

}  // namespace

std::string CursorKey(const std::string& peer, const std::string& collection_id) {
  return "federation.pull:" + peer + ":" + collection_id;
}

Result<PullReport> Pull(Store& store, const PullOptions& options) {
  if (options.owner_org_id <= 0)
    return Status::Invalid("federation: no local organisation to own what arrives");
  if (options.page_size < 1 || options.page_size > 10000) {
    return Status::Invalid("federation: page size must be between 1 and 10000");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Peer> peer, Peer::Connect(options));
  PullReport report;
  report.peer = peer->name();
  ASSIGN_OR_RETURN(std::vector<CollectionRef> collections, ChooseCollections(*peer, options));
  for (const CollectionRef& collection : collections) {
    report.collections.emplace_back();
    RETURN_IF_ERROR(PullCollection(store, *peer, collection, options, report.collections.back()));
  }
  return report;
}

}  // namespace accord::federation
