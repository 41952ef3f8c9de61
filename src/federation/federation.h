// Federation over TAXII 2.1: pulling from a peer and pushing to one.
//
// Pull: this node reads what a peer's TAXII 2.1 server
// shares with it (an Accord node of another country, or any TAXII 2.1
// server) and imports it like a STIX bundle, keeping where it came from.
//
// - Egress TLP is the peer's to enforce: its server answers with what the
//   credentials' organisation may read there (Accord's MayRead). What
//   arrives keeps its markings; an unmarked object takes its collection's
//   TLP when the collection is one of Accord's per-TLP ones ("tlp-amber"),
//   else PullOptions::default_tlp.
// - Provenance: everything pulled from a collection goes through the
//   importer under the source name "taxii:<peer>/<collection id>", so its
//   events say where it came from.
// - Cursors: after each page is committed, the newest date_added it held
//   (X-TAXII-Date-Added-Last) is kept in the store's meta table, per peer
//   and collection; the next pull asks only for what was added after it. A
//   pull stopped half-way re-reads at most one page, which imports as
//   "already known": STIX objects are deduplicated by (id, modified), so
//   objects that travel A -> B -> A are known at home and nothing loops.
//
// Push: this node POSTs to a peer's collections what the peer may read
// here, as `PushOptions::peer_org_id` (the organisation that stands for the
// peer on this node, the one whose key the peer pulls with):
// - Egress TLP is ours to enforce: each stored STIX object goes through
//   StixReadCheck (MayRead) for that organisation, and --max-tlp.
// - An object goes into the peer collection of its own TLP level (Accord's
//   "TLP:AMBER" ... collections), or into a chosen collection when the
//   object carries its TLP marking itself or the collection is titled with
//   its level: an unmarked object is never put where the peer would give it
//   another level.
// - On the peer, what arrives is owned by the organisation whose key we
//   push with; when that stand-in shares with the peer's own organisation
//   (Organisation::shares_with_org_id), AMBER and RED events name it.
// - Nothing loops: objects the peer organisation owns here (it posted them)
//   and objects pulled from that peer are not sent back; the peer would
//   find them known anyway, STIX objects being deduplicated by (id,
//   modified).
// - Cursor: the last stored object (seq) pushed, in the meta table per peer
//   and target, saved after each page the peer accepted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/tlp.h"
#include "exchange/exchange.h"
#include "store/store.h"

namespace accord::federation {

struct PullOptions {
  // The peer's API root, e.g. https://peer.example/taxii2/api/ (for Accord,
  // <base>/taxii2/api/).
  std::string api_root_url;
  // "USER:PASSWORD", sent as HTTP Basic (for Accord, "KEYID:SECRET" of a key
  // the peer issued to this node's organisation).
  std::string credentials;
  // Collection ids to pull; empty: every collection the peer lets us read.
  std::vector<std::string> collections;
  // Names the peer in provenance and cursors; empty: the URL's host:port.
  std::string peer;
  int64_t owner_org_id = 0;       // the local organisation that owns what arrives
  Tlp default_tlp = Tlp::kAmber;  // unmarked objects of an unknown collection
  int64_t page_size = 1000;
  int timeout_seconds = 60;
  std::string actor = "cli";  // for the audit log
  std::function<void(const Rejection&)> on_reject;
};

struct CollectionPull {
  std::string id;
  std::string title;
  int64_t pages = 0;
  int64_t objects = 0;  // objects the peer sent
  // Of those, made by this node's own organisations: left out, never taken
  // back (an older copy would undo what the owner restricted or deleted).
  int64_t from_home = 0;
  int64_t stix_objects_new = 0;
  int64_t stix_objects_known = 0;
  int64_t new_values = 0;
  int64_t known_values = 0;
  int64_t rejected = 0;
  std::string cursor;  // the date_added pulled up to ("" = none yet)
};

struct PullReport {
  std::string peer;
  std::vector<CollectionPull> collections;
};

// Pulls every chosen collection from where the last pull stopped. Errors
// name the peer and collection; pages committed before an error stay, with
// their cursor.
Result<PullReport> Pull(Store& store, const PullOptions& options);

// The meta key holding a collection's cursor.
std::string CursorKey(const std::string& peer, const std::string& collection_id);

struct PushOptions {
  std::string api_root_url;  // as PullOptions
  std::string credentials;   // USER:PASSWORD the peer issued to this node
  std::string peer;          // names the peer in cursors and errors; empty: host:port
  // The organisation on this node that stands for the peer: what it may
  // read is what is sent; what it owns is not sent back.
  int64_t peer_org_id = 0;
  // The peer collection everything goes into; empty: each object into the
  // writable collection titled with its TLP level (Accord's collections).
  std::string collection;
  std::optional<Tlp> max_tlp;  // also withhold anything above this level
  int64_t page_size = 1000;    // stored objects read per round
  int timeout_seconds = 60;
  std::string actor = "cli";  // for the audit log
  std::string source_address = "local";
};

struct CollectionPush {
  std::string id;
  std::string title;
  int64_t posts = 0;
  int64_t objects = 0;    // objects sent
  int64_t successes = 0;  // as the peer's status resources count them
  int64_t failures = 0;
  std::vector<std::string> failure_messages;  // "id: message", the first few
};

struct PushReport {
  std::string peer;
  int64_t considered = 0;  // stored objects read past the cursor
  int64_t withheld = 0;    // the peer organisation may not read them (or over max_tlp)
  int64_t returned = 0;    // they came from the peer: not sent back
  int64_t unplaced = 0;    // no peer collection of their TLP level
  // Organisation identities sent with the first object of this push naming
  // them (counted in the collections' objects too).
  int64_t identities = 0;
  std::vector<CollectionPush> collections;
  int64_t cursor = 0;  // the stored object (seq) pushed up to
};

// Pushes what was stored since the last push. Errors name the peer; pages
// the peer accepted before an error stay pushed, with their cursor.
Result<PushReport> Push(Store& store, const PushOptions& options);

// The meta key holding a push cursor ("" target: per-TLP collections).
std::string PushCursorKey(const std::string& peer, const std::string& collection_id);

}  // namespace accord::federation
