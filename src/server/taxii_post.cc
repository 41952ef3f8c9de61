// TAXII 2.1 Add Objects (5.5): an envelope {"objects": [...]} goes through
// the same import pipeline as `accord import` (exchange ImportStream), so
// indicators become observables and links, warning lists apply and the
// import is audited. It runs to completion inside the request, so the
// status resource returned with 202 is already "complete"; it is stored for
// Get Status (4.3).
#include <fmt/format.h>

#include <charconv>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/crypto.h"
#include "core/io.h"
#include "core/time.h"
#include "exchange/exchange.h"
#include "exchange/node_built_objects.h"
#include "server/taxii_internal.h"
#include "stix/stix.h"
#include "store/stix_read_check.h"

namespace accord::server::taxii {
namespace {

using nlohmann::json;

// What the envelope said about one element, for its status-details entry.
struct Posted {
  std::string id;
  std::string version_key;  // modified, else created, else "" (as stored: CanonicalStixTimestamp)
  std::string version;      // the same as the element spells it, for its status
  bool versioned = false;   // it has "modified"
  std::string json;         // the element as posted
  std::string type;
};

std::string StringMember(const json& object, const char* name) {
  auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// The STIX id a rejection's location names ("source: indicator--..." or a
// bare id), or "" when it names none.
std::string IdInLocation(const std::string& location) {
  size_t dashes = location.find("--");
  if (dashes == std::string::npos) return "";
  size_t begin = location.find_last_of(" :", dashes);
  begin = begin == std::string::npos ? 0 : begin + 1;
  size_t end = location.find_first_of(" :", dashes);
  return location.substr(begin, end == std::string::npos ? end : end - begin);
}

// What a rejection's message is filed under: the STIX id its location
// names, else "#N" for the envelope's element N ("source: object #3 (byte
// 120)"), so elements without an id each get their own reason.
std::string MessageKey(const std::string& location) {
  std::string id = IdInLocation(location);
  if (!id.empty()) return id;
  const size_t mark = location.find("object #");
  if (mark == std::string::npos) return "";
  const size_t digits = mark + 8;
  const size_t end = location.find_first_not_of("0123456789", digits);
  return "#" + location.substr(digits, end == std::string::npos ? end : end - digits);
}

// Calls `visit` with every stored version of the posted ids, whatever its
// level and owner.
Status ForEachStoredVersion(Store& store, const std::vector<Posted>& posted,
                            const std::function<void(const StoredStixObject&)>& visit) {
  std::set<std::string> ids;
  for (const Posted& element : posted) {
    if (!element.id.empty()) ids.insert(element.id);
  }
  constexpr size_t kIdsPerQuery = 500;  // well under SQLite's parameter limit
  StixObjectFilter filter;
  for (auto it = ids.begin(); it != ids.end();) {
    filter.ids.clear();
    while (it != ids.end() && filter.ids.size() < kIdsPerQuery) filter.ids.push_back(*it++);
    RETURN_IF_ERROR(store.ForEachStixObject(filter, [&](const StoredStixObject& object) {
      visit(object);
      return Status::Ok();
    }));
  }
  return Status::Ok();
}

// A stored version of a posted object, as the poster may know it.
struct StoredVersion {
  std::string date_added;
  Tlp tlp = Tlp::kClear;
  bool readable = false;  // by the poster (StixReadCheck)
  std::string json;
};

// (id, version key) -> the stored copy of that version the poster reads
// (in the collection posted to, when it is there), else an unreadable one.
// A peer's stand-in posts for the organisation it shares with
// (`shared_with`): a copy that organisation owns is where the post meant
// it to be (node B pulled A's AMBER event into its own organisation; A's
// push of the same objects is then known, not refused). Only its own
// copies: another member's that it may read are not the stand-in's to
// learn of.
Result<std::map<std::pair<std::string, std::string>, StoredVersion>> StoredVersions(
    Store& store, const std::vector<Posted>& posted, StixReadCheck& check, int64_t shared_with,
    Tlp collection_tlp) {
  std::map<std::pair<std::string, std::string>, StoredVersion> stored;
  Status read_status;
  RETURN_IF_ERROR(ForEachStoredVersion(store, posted, [&](const StoredStixObject& object) {
    Result<bool> readable = check.MayReadObject(object);
    if (readable.ok() && !*readable && shared_with != 0 && object.owner_org_id == shared_with) readable = true;
    if (!readable.ok()) {
      read_status = readable.status();
      return;
    }
    StoredVersion candidate{object.date_added, object.tlp, *readable, object.json};
    auto [it, inserted] = stored.try_emplace({object.id, object.modified}, candidate);
    const auto rank = [collection_tlp](const StoredVersion& version) {
      return (version.readable ? 2 : 0) + (version.readable && version.tlp == collection_tlp ? 1 : 0);
    };
    if (!inserted && rank(candidate) > rank(it->second)) it->second = candidate;
  }));
  RETURN_IF_ERROR(read_status);
  return stored;
}

std::string CollectionAliasOf(Tlp tlp) {
  for (const Collection& collection : Collections()) {
    if (collection.tlp == tlp) return collection.alias;
  }
  return std::string(TlpName(tlp));
}

// The posted elements (by index) that would be a new version of an object
// another organisation shared: stored already, in other versions, none of
// them this organisation's. STIX 2.1 (3.6) lets only an object's creator
// version it; without this any writer could revoke another organisation's
// indicator, or hide it behind a version its readers may not see. A version
// already stored is no new version (it is reported as stored), and objects
// without "modified" (cyber-observables, marking definitions), which every
// organisation shares alike, are not versioned.
Result<std::set<size_t>> NewVersionsOfOthersObjects(Store& store, const std::vector<Posted>& posted,
                                                    int64_t org_id) {
  std::map<std::string, std::set<std::string>> versions;  // id -> stored version keys
  std::set<std::string> own;                             // ids with a version of org_id's
  RETURN_IF_ERROR(ForEachStoredVersion(store, posted, [&](const StoredStixObject& object) {
    versions[object.id].insert(object.modified);
    if (object.owner_org_id == org_id) own.insert(object.id);
  }));
  std::set<size_t> refused;
  for (size_t index = 0; index < posted.size(); ++index) {
    const Posted& entry = posted[index];
    if (!entry.versioned || own.contains(entry.id)) continue;
    auto stored = versions.find(entry.id);
    if (stored != versions.end() && !stored->second.contains(entry.version_key)) refused.insert(index);
  }
  return refused;
}

json StatusDetails(const std::string& id, const std::string& version, const std::string& message) {
  json details = {{"id", id}, {"version", version}};
  if (!message.empty()) details["message"] = message;
  return details;
}

void AddObjects(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  if (req.matches[1].str() != kApiRoot) {
    return WriteTaxiiError(res, 404, "Not Found", "no API root '" + req.matches[1].str() + "'");
  }
  const Collection* collection = FindCollection(req.matches[2].str());
  if (collection == nullptr) {
    return WriteTaxiiError(res, 404, "Not Found", "no collection '" + req.matches[2].str() + "'");
  }
  if (!AcceptsTaxii(req)) {
    return WriteTaxiiError(res, 406, "Not Acceptable",
                           std::string("this server answers with ") + kTaxiiMediaType);
  }
  if (!IsTaxiiContentType(req.get_header_value("Content-Type"))) {
    return WriteTaxiiError(res, 415, "Unsupported Media Type",
                           std::string("send an envelope as ") + kTaxiiMediaType);
  }
  if (!MayWrite(ctx.principal.role)) {
    return WriteTaxiiError(res, 403, "Forbidden",
                           fmt::format("role {} may not add objects", RoleName(ctx.principal.role)));
  }

  if (JsonNestsDeeperThan(req.body, kMaxJsonBodyDepth)) {
    return WriteTaxiiError(res, 400, "Bad Request",
                           fmt::format("the body nests arrays and objects more than {} deep", kMaxJsonBodyDepth));
  }
  json envelope = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (envelope.is_discarded()) {
    return WriteTaxiiError(res, 400, "Bad Request", "the body is not valid JSON");
  }
  if (!envelope.is_object() || !envelope.contains("objects") || !envelope["objects"].is_array()) {
    return WriteTaxiiError(res, 400, "Bad Request",
                           "the body must be a TAXII envelope: {\"objects\": [...]}");
  }
  const json& objects = envelope["objects"];
  if (objects.empty()) {  // TAXII 2.1 (2): lists are never empty
    return WriteTaxiiError(res, 400, "Bad Request", "the envelope's objects list is empty");
  }
  std::vector<Posted> posted;
  posted.reserve(objects.size());
  for (const json& element : objects) {
    Posted entry;
    if (element.is_object()) {
      entry.id = StringMember(element, "id");
      entry.type = StringMember(element, "type");
      entry.version_key = StringMember(element, "modified");
      entry.versioned = !entry.version_key.empty();
      if (entry.version_key.empty()) entry.version_key = StringMember(element, "created");
      // As the store keys it (the STIX reader's spelling).
      entry.version = entry.version_key;
      if (!entry.version_key.empty()) entry.version_key = CanonicalStixTimestamp(entry.version_key);
      entry.json = element.dump();
    }
    posted.push_back(std::move(entry));
  }

  std::map<std::string, std::string> messages_by_id;
  auto others = NewVersionsOfOthersObjects(*ctx.store, posted, ctx.principal.org_id);
  if (!others.ok()) {
    return WriteTaxiiError(res, 500, "Internal error", "the stored versions could not be read");
  }
  json accepted = json::array();
  std::vector<size_t> posted_index;  // of each element of `accepted`
  for (size_t index = 0; index < objects.size(); ++index) {
    if (!others->contains(index)) {
      accepted.push_back(objects[index]);
      posted_index.push_back(index);
      continue;
    }
    messages_by_id[posted[index].id] =
        "another organisation shared this object: only it may add versions of it (STIX 2.1, "
        "section 3.6)";
  }

  // The envelope becomes a bundle for the STIX reader; its id names the
  // group events of this post, and the status id names the import.
  const std::string status_id = UuidV4();
  // TAXII 2.1 (2.1, timestamps): microseconds, as date_added.
  const std::string request_timestamp = FormatMicros(ctx.state->clock.Now());
  std::string bundle = R"({"type":"bundle","id":"bundle--)" + status_id + R"(","objects":)" +
                       accepted.dump() + "}";
  auto in = OpenInputFromMemory(fmt::format("taxii:{}/{}", collection->alias, status_id),
                                std::move(bundle));
  if (!in.ok()) return WriteTaxiiError(res, 500, "Internal error", "could not read the envelope");

  // A peer node's push: what it brings at AMBER or RED is for the
  // organisation its stand-in shares with.
  Result<std::optional<Organisation>> poster = ctx.store->FindOrganisationById(ctx.principal.org_id);
  if (!poster.ok()) return WriteTaxiiError(res, 500, "Internal error", "could not read the organisation");

  ImportOptions options;
  options.format = InputFormat::kStix;
  options.owner_org_id = ctx.principal.org_id;
  options.importer_role = ctx.principal.role;
  options.share_with_org_id = *poster ? (*poster)->shares_with_org_id : 0;
  options.default_tlp = collection->tlp;
  options.batch_size = kImportBatchInRequest;
  options.batch_seconds = 0;
  options.actor = ctx.actor;
  options.source_address = ctx.remote_address;
  options.warning_lists = &ctx.state->warning_lists;
  options.on_reject = [&](const Rejection& rejection) {
    std::string key = MessageKey(rejection.location);
    if (key.starts_with('#')) {  // the bundle's element: which posted one
      size_t element = 0;
      std::from_chars(key.data() + 1, key.data() + key.size(), element);
      if (element < posted_index.size()) key = "#" + std::to_string(posted_index[element]);
    }
    std::string& message = messages_by_id[key];
    if (!message.empty()) message += "; ";
    message += rejection.reason;
  };
  ImportReport report;
  Status imported = ImportStream(*ctx.store, **in, options, &report);
  if (!imported.ok()) {
    int status = HttpStatusFor(imported);
    if (status == 400) status = 422;  // well-formed JSON that cannot be processed
    if (status == 503) {
      res.set_header("Retry-After", "2");
      return WriteTaxiiError(res, 503, "Service Unavailable",
                             "the node is busy with another write; send the envelope again (what was stored is known)");
    }
    if (status >= 500) {
      CurrentRequestNotes().error = "TAXII add objects: " + imported.ToString();
      return WriteTaxiiError(res, 500, "Internal error", "the objects could not be stored");
    }
    return WriteTaxiiError(res, status, "Unprocessable", imported.message());
  }

  StixReadCheck check(*ctx.store, ctx.principal);
  auto stored = StoredVersions(*ctx.store, posted, check, options.share_with_org_id, collection->tlp);
  if (!stored.ok()) {
    return WriteTaxiiError(res, 500, "Internal error", "the outcome could not be read back");
  }
  NodeBuiltObjects node_built(*ctx.store);
  const auto node_built_agrees = [&](const Posted& entry) {
    Result<std::optional<std::string>> check = node_built.Check(entry.type, entry.id, entry.json);
    return check.ok() && check->has_value() && (*check)->empty();
  };
  json successes = json::array();
  json failures = json::array();
  // The importer's messages are keyed by id: where the envelope holds an id
  // twice (a changed or a refused copy beside the stored one), they cannot
  // be told apart, and a success must not carry the other copy's failure.
  std::map<std::string, int> posted_ids;
  for (const Posted& entry : posted) {
    if (!entry.id.empty()) ++posted_ids[entry.id];
  }
  for (size_t index = 0; index < posted.size(); ++index) {
    const Posted& entry = posted[index];
    auto version = stored->find({entry.id, entry.version_key});
    std::string message = messages_by_id[entry.id.empty() ? "#" + std::to_string(index) : entry.id];
    if (!entry.id.empty() && version != stored->end() && !version->second.readable) {
      // A success would say the object is in the node for the poster's
      // readers (and its date_added told when another organisation added
      // it); it is not. The node keeps one copy of each version.
      failures.push_back(StatusDetails(
          entry.id, entry.version,
          "not stored: this node holds one copy of each object version, and its copy of this one is "
          "where your organisation may not read it"));
    } else if (!entry.id.empty() && version != stored->end() && entry.versioned &&
               !SameStixVersion(version->second.json, StoredFormOfStixObject(entry.json))) {
      // STIX 2.1 (3.6): a changed object needs a later modified. The
      // stored copy stays; the posted one was not added, so it is no success.
      failures.push_back(StatusDetails(
          entry.id, entry.version,
          "another object with this id and modified is stored and is kept: a changed object needs a later "
          "modified (STIX 2.1, section 3.6)"));
    } else if (!entry.id.empty() && version != stored->end()) {
      if (posted_ids[entry.id] > 1) message.clear();  // may be the other copy's (above)
      // Its own marking (or an earlier copy) may have put it in another
      // collection than the one posted to: say which, so a client reading
      // back knows where to look.
      if (version->second.tlp != collection->tlp) {
        if (!message.empty()) message += "; ";
        message += "held in collection " + CollectionAliasOf(version->second.tlp);
      }
      successes.push_back(StatusDetails(
          entry.id, entry.version.empty() ? version->second.date_added : entry.version, message));
    } else if (message.empty() && !entry.id.empty() && node_built_agrees(entry)) {
      // Known without a stored copy: the node serves its own
      // (node_built_objects.h), which a copy that disagrees would have
      // been refused for.
      successes.push_back(StatusDetails(entry.id, entry.version,
                                        "this node's own object, served from its record, not stored"));
    } else {
      failures.push_back(StatusDetails(entry.id, entry.version,
                                       message.empty() ? "not a STIX object this server could store"
                                                       : message));
    }
  }
  json resource = {{"id", status_id},
                   {"status", "complete"},
                   {"request_timestamp", request_timestamp},
                   {"total_count", posted.size()},
                   {"success_count", successes.size()},
                   {"failure_count", failures.size()},
                   {"pending_count", 0}};
  if (!successes.empty()) resource["successes"] = std::move(successes);
  if (!failures.empty()) resource["failures"] = std::move(failures);
  const std::string body = resource.dump();
  Status saved = ctx.store->PutTaxiiStatus(status_id, ctx.principal.org_id, request_timestamp, body);
  if (!saved.ok()) {
    CurrentRequestNotes().error = "TAXII status not stored: " + saved.ToString();
    return WriteTaxiiError(res, 500, "Internal error", "the status resource could not be stored");
  }
  WriteTaxii(res, 202, body);
}

}  // namespace

void RegisterPostRoutes(httplib::Server& http, ServerState& state) {
  http.Post(std::string(kCollectionPath) + "/objects/?",
            Authenticated(state, ErrorStyle::kTaxii, AddObjects));
}

}  // namespace accord::server::taxii
