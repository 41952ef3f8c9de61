// Pull: GET the peer's collections, then each collection's objects page by
// page (TAXII 2.1 section 5.4), importing each page before asking for the
// next one, so memory holds one page and a stop loses nothing committed.
#include <fmt/format.h>
#include <httplib.h>

#include <unordered_set>

#include "core/io.h"
#include "federation/federation.h"
#include "federation/peer.h"
#include "federation/taxii_answers.h"
#include "stix/stix.h"

namespace accord::federation {
namespace {

using internal::CollectionRef;
using internal::Envelope;
using internal::Peer;

// Accord's collections are one per TLP level, titled "TLP:AMBER" ...: an
// unmarked object in one is at that level. Other servers' titles say
// nothing we can rely on.
Tlp CollectionTlp(const CollectionRef& collection, Tlp fallback) {
  if (collection.title.starts_with("TLP:")) return ParseTlp(collection.title).value_or(fallback);
  return fallback;
}

Result<std::vector<CollectionRef>> ChooseCollections(Peer& peer, const PullOptions& options) {
  ASSIGN_OR_RETURN(std::string body, peer.Get("collections/"));
  Result<std::vector<CollectionRef>> listed = internal::ParseCollections(body);
  if (!listed.ok()) return listed.status().WithContext("peer " + peer.name());
  std::vector<CollectionRef> chosen;
  for (CollectionRef& ref : *listed) {
    const bool wanted = options.collections.empty() ||
                        std::find(options.collections.begin(), options.collections.end(), ref.id) !=
                            options.collections.end();
    if (!wanted) continue;
    if (!ref.can_read) {
      if (options.collections.empty()) continue;
      return Status::PermissionDenied(fmt::format(
          "peer {}: collection {} is not readable with these credentials", peer.name(), ref.id));
    }
    chosen.push_back(std::move(ref));
  }
  for (const std::string& wanted : options.collections) {
    if (std::none_of(chosen.begin(), chosen.end(),
                     [&wanted](const CollectionRef& ref) { return ref.id == wanted; })) {
      return Status::NotFound(fmt::format("peer {}: no collection {}", peer.name(), wanted));
    }
  }
  return chosen;
}

// Headers is a case-insensitive multimap: any spelling of the name finds it.
std::string HeaderValue(const httplib::Headers& headers, const std::string& name) {
  auto found = headers.find(name);
  return found == headers.end() ? "" : found->second;
}

Status PullCollection(Store& store, Peer& peer, const CollectionRef& collection,
                      const std::unordered_set<std::string>& home_identities,
                      const PullOptions& options, WarningListCache& warning_lists,
                      CollectionPull& pulled) {
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
    ASSIGN_OR_RETURN(std::string body, peer.Get(query, &headers));
    ++pulled.pages;
    Result<Envelope> envelope = internal::ParseEnvelope(body, home_identities);
    if (!envelope.ok()) return envelope.status().WithContext(where);
    pulled.objects += static_cast<int64_t>(envelope->object_count);
    pulled.from_home += static_cast<int64_t>(envelope->from_home);
    if (envelope->object_count > envelope->from_home) {
      // A bundle without an id: its group events are keyed by the source
      // name, so every page of a collection lands in the same events.
      const std::string source = "taxii:" + peer.name() + "/" + collection.id;
      ASSIGN_OR_RETURN(std::unique_ptr<InputStream> in,
                       OpenInputFromMemory(source, R"({"type":"bundle","objects":)" +
                                                       envelope->objects_json + "}"));
      ImportOptions import;
      import.format = InputFormat::kStix;
      import.owner_org_id = options.owner_org_id;
      import.default_tlp = CollectionTlp(collection, options.default_tlp);
      import.actor = options.actor;
      import.batch_seconds = 0;  // one page, one commit
      // Indicators outside reports land in a group event named after where
      // they came from, in words: "From node-a: Partner feed (TLP:GREEN)".
      import.title = "From " + peer.name() + ": " + (collection.title.empty() ? collection.id : collection.title);
      import.on_reject = options.on_reject;
      import.warning_lists = &warning_lists;
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
    if (!envelope->more || envelope->object_count == 0) return Status::Ok();
    if (!envelope->next.empty()) {
      next = envelope->next;
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
  RETURN_IF_ERROR(internal::CheckRunOptions(options.owner_org_id, "to own what arrives",
                                            options.page_size));
  ASSIGN_OR_RETURN(std::unique_ptr<Peer> peer, Peer::Connect(options.api_root_url, options.credentials,
                                                              options.peer, options.timeout_seconds));
  PullReport report;
  report.peer = peer->name();
  ASSIGN_OR_RETURN(std::vector<CollectionRef> collections, ChooseCollections(*peer, options));
  WarningListCache warning_lists;  // one compile for every page of the run
  // The STIX identities of this node's own organisations (not the
  // stand-ins of peers): what they made comes home through a peer.
  std::unordered_set<std::string> home_identities;
  ASSIGN_OR_RETURN(const std::vector<Organisation> organisations, store.ListOrganisations());
  for (const Organisation& org : organisations) {
    if (org.shares_with_org_id == 0) home_identities.insert(StixIdentityId(org.uuid));
  }
  for (const CollectionRef& collection : collections) {
    report.collections.emplace_back();
    RETURN_IF_ERROR(PullCollection(store, *peer, collection, home_identities, options, warning_lists,
                                   report.collections.back()));
  }
  return report;
}

}  // namespace accord::federation
