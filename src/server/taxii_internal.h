// TAXII 2.1 pieces shared by the route files (taxii_routes.cc: discovery,
// API root, collections, status; taxii_objects.cc: objects, object,
// versions, manifest; taxii_post.cc: add objects). Internal to src/server;
// docs/TAXII.md describes the design.
#pragma once

#include <httplib.h>

#include <climits>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/policy.h"
#include "core/tlp.h"
#include "server/context.h"
#include "store/stix_read_check.h"
#include "store/store.h"

namespace accord::server::taxii {

// The node's one API root: /taxii2/api/.
inline constexpr std::string_view kApiRoot = "api";
// Server page size: a larger `limit` is cut to this, no `limit` means this.
inline constexpr int64_t kMaxPageSize = 1000;

// One collection per TLP level, with a stable id (UuidV5 of the alias).
struct Collection {
  Tlp tlp = Tlp::kAmber;
  std::string alias;        // "tlp-amber-strict"
  std::string id;           // UUID
  std::string title;        // "TLP:AMBER+STRICT"
  std::string description;
};
const std::vector<Collection>& Collections();
// By id or alias; nullptr when neither.
const Collection* FindCollection(std::string_view id_or_alias);

// Every role reads (TLP decides what); contributors, analysts and admins
// may add objects.
bool MayWrite(Role role);

// Content negotiation. Accept: a missing header, */*, application/*,
// application/taxii+json with version 2.1 or none. Content-Type: the TAXII
// media type, with version 2.1 or none.
bool AcceptsTaxii(const httplib::Request& req);
bool IsTaxiiContentType(std::string_view content_type);

// The query parameters an endpoint honours.
enum class Endpoint { kObjects, kObject, kVersions, kManifest };

// Turns the request's query into a store filter (without the collection and
// visibility parts) and a page size. kInvalidArgument names the parameter
// for a bad limit, next token, added_after or version.
// Where a page starts in a principal's view of a collection: after the item
// at (seq, rank). Stored objects have rank kRowRank; the identities and
// marking definitions served beside them (taxii_shared.cc) sit just before
// the object at their seq, ordered by rank (the marking 0, an identity 1 +
// its organisation's id).
inline constexpr int64_t kRowRank = INT64_MAX;
struct Cursor {
  int64_t seq = 0;
  int64_t rank = kRowRank;
  bool Before(int64_t item_seq, int64_t item_rank) const {
    return seq < item_seq || (seq == item_seq && rank < item_rank);
  }
};

struct PageQuery {
  StixObjectFilter filter;  // after_seq: the stored objects after the cursor
  Cursor cursor;
  int64_t limit = kMaxPageSize;
};
Result<PageQuery> ParsePageQuery(const httplib::Request& req, Endpoint endpoint);

// `next` tokens: opaque to clients, a cursor to us ("s<seq>" after a stored
// object, "t<seq>.<rank>" after an item served beside it).
std::string EncodeNextToken(const Cursor& cursor);
Result<Cursor> DecodeNextToken(std::string_view token);

// At most `limit` items the principal may read, in date_added (seq) order,
// whether more follow, and the cursor after the last. Items are the stored
// objects and, in a collection (one TLP level in `filter`), the identities
// and marking definitions they refer to (taxii_shared.cc). `filter` carries
// the query's conditions with after_seq set from `cursor`; the principal's
// visibility prefilter is added here.
struct Page {
  std::vector<StoredStixObject> objects;
  // Parallel to objects: an identity or TLP marking definition served beside
  // the stored objects (ReadSharedItems), the same in every collection.
  std::vector<bool> shared;
  bool more = false;
  Cursor next;  // after the last object (when more)
};
Result<Page> ReadVisiblePage(RequestContext& ctx, StixObjectFilter filter, int64_t limit,
                             const Cursor& cursor = {});

// The identities and TLP marking definitions of a principal's view of one
// collection that lie after `cursor` and at or before the stored object at
// `end_seq` (INT64_MAX: no bound), in position order, with their positions.
// Each is readable exactly when the group of stored objects it is placed
// before is (StixReadCheck, i.e. MayRead), and passes `filter`'s match[...]
// and added_after conditions. taxii_shared.cc; docs/TAXII.md.
struct SharedItem {
  int64_t seq = 0;
  int64_t rank = 0;
  StoredStixObject object;
};
Result<std::vector<SharedItem>> ReadSharedItems(RequestContext& ctx, StixReadCheck& check,
                                                Tlp tlp, const StixObjectFilter& filter,
                                                const Cursor& cursor, int64_t end_seq);

// The version TAXII reports: modified, else created, else date_added.
std::string VersionOf(const StoredStixObject& object);

// X-TAXII-Date-Added-First/Last for a non-empty page.
void SetDateAddedHeaders(httplib::Response& res, const std::vector<StoredStixObject>& objects);

// Writes a TAXII resource with the TAXII media type.
void WriteTaxii(httplib::Response& res, int status, const std::string& body);

// Route groups.
void RegisterObjectRoutes(httplib::Server& http, ServerState& state);
void RegisterPostRoutes(httplib::Server& http, ServerState& state);

// Path prefix of a collection, e.g. "/taxii2/api/collections/<id>".
inline constexpr const char* kCollectionPath = R"(/taxii2/([^/]+)/collections/([^/]+))";

}  // namespace accord::server::taxii
