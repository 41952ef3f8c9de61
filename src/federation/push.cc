// Push: read the stored STIX objects past the cursor in seq order, keep
// those the peer organisation may read, sort them into the peer's
// collections and POST each collection's share as one envelope (TAXII 2.1
// section 5.4), split so no body exceeds the API root's max_content_length.
// The cursor moves only after every envelope of a page was accepted.
// Like a TAXII collection (server/taxii_shared.cc), what is sent is
// self-contained: the identity of an organisation goes with the first
// object of a push that names it (the derived objects of its events), so
// the peer can resolve their created_by_ref.
#include <fmt/format.h>

#include <algorithm>

#include <charconv>
#include <chrono>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/time.h"
#include "exchange/exchange.h"
#include "federation/federation.h"
#include "federation/peer.h"
#include "federation/taxii_answers.h"
#include "stix/stix.h"
#include "store/stix_read_check.h"

namespace accord::federation {
namespace {

using internal::CollectionRef;
using internal::Peer;
using internal::StatusResource;

constexpr size_t kMaxFailureMessages = 20;
// What an envelope adds around its objects: {"objects":[...]} and commas.
constexpr size_t kEnvelopeOverhead = 16;

struct Target {
  CollectionRef collection;
  std::optional<Tlp> tlp;  // the level its title names, if it names one
  size_t report_index = 0;
};

// Where each object may go: by level (Accord's "TLP:..." collections), or
// one chosen collection.
struct Placement {
  std::map<Tlp, Target> by_tlp;
  std::optional<Target> chosen;
};

std::optional<Tlp> TitleTlp(const CollectionRef& collection) {
  if (!collection.title.starts_with("TLP:")) return std::nullopt;
  return ParseTlp(collection.title);
}

Result<Placement> PlanPlacement(Peer& peer, const PushOptions& options, PushReport& report) {
  ASSIGN_OR_RETURN(std::string body, peer.Get("collections/"));
  Result<std::vector<CollectionRef>> listed = internal::ParseCollections(body);
  if (!listed.ok()) return listed.status().WithContext("peer " + peer.name());
  Placement placement;
  auto add_target = [&report](const CollectionRef& ref) {
    report.collections.push_back({ref.id, ref.title});
    return Target{ref, TitleTlp(ref), report.collections.size() - 1};
  };
  for (const CollectionRef& ref : *listed) {
    if (!options.collection.empty()) {
      if (ref.id != options.collection) continue;
      if (!ref.can_write) {
        return Status::PermissionDenied(fmt::format(
            "peer {}: collection {} is not writable with these credentials", peer.name(), ref.id));
      }
      placement.chosen = add_target(ref);
      continue;
    }
    std::optional<Tlp> level = TitleTlp(ref);
    if (ref.can_write && level && placement.by_tlp.count(*level) == 0) {
      placement.by_tlp.emplace(*level, add_target(ref));
    }
  }
  if (!options.collection.empty() && !placement.chosen) {
    return Status::NotFound(fmt::format("peer {}: no collection {}", peer.name(), options.collection));
  }
  if (options.collection.empty() && placement.by_tlp.empty()) {
    if (std::none_of(listed->begin(), listed->end(), [](const CollectionRef& ref) { return ref.can_write; })) {
      return Status::PermissionDenied(fmt::format(
          "peer {}: these credentials may write to none of its collections (a reader's or point of "
          "contact's key? pushing needs one of a contributor, analyst or admin)",
          peer.name()));
    }
    return Status::NotFound(fmt::format(
        "peer {}: no writable collection is titled with a TLP level (TLP:GREEN, ...); name one "
        "with --collection",
        peer.name()));
  }
  return placement;
}

// The object carries the TLP marking of its level itself, so any collection
// keeps that level: the marking's id appears in its marking references.
bool MarkedAtItsLevel(const StoredStixObject& object) {
  return object.json.find(TlpStixMarkingId(object.tlp)) != std::string::npos;
}

const Target* PlaceObject(const Placement& placement, const StoredStixObject& object) {
  if (placement.chosen) {
    const Target& target = *placement.chosen;
    if (MarkedAtItsLevel(object) || target.tlp == object.tlp) return &target;
    return nullptr;
  }
  auto found = placement.by_tlp.find(object.tlp);
  return found == placement.by_tlp.end() ? nullptr : &found->second;
}

class Pusher {
 public:
  Pusher(Store& store, Peer& peer, const PushOptions& options, PushReport& report)
      : store_(store),
        peer_(peer),
        options_(options),
        report_(report),
        check_(store, Principal{options.peer_org_id, Role::kReader}) {}

  Status Run(const Placement& placement, int64_t max_content_length, const std::string& cursor_key) {
    max_body_bytes_ = max_content_length > 0 ? static_cast<size_t>(max_content_length) : 0;
    StixObjectFilter filter;
    filter.after_seq = report_.cursor;
    // No visibility prefilter: every object past the cursor is judged here,
    // so the report can say how many were withheld.
    filter.limit = options_.page_size;
    for (;;) {
      std::map<size_t, std::vector<std::string>> envelopes;  // report index -> objects
      int64_t rows = 0;
      int64_t last_seq = filter.after_seq;
      RETURN_IF_ERROR(store_.ForEachStixObject(filter, [&](const StoredStixObject& object) {
        ++rows;
        last_seq = object.seq;
        ++report_.considered;
        ASSIGN_OR_RETURN(bool readable, check_.MayReadObject(object));
        if (!readable || (options_.max_tlp && object.tlp > *options_.max_tlp)) {
          ++report_.withheld;
          return Status::Ok();
        }
        ASSIGN_OR_RETURN(bool returned, CameFromPeer(object));
        if (returned) {
          ++report_.returned;
          return Status::Ok();
        }
        const Target* target = PlaceObject(placement, object);
        if (target == nullptr) {
          ++report_.unplaced;
          return Status::Ok();
        }
        std::vector<std::string>& envelope = envelopes[target->report_index];
        ASSIGN_OR_RETURN(std::optional<std::string> identity, IdentityToSend(object, target->report_index));
        if (identity) envelope.push_back(std::move(*identity));
        envelope.push_back(object.json);
        return Status::Ok();
      }));
      for (auto& [report_index, objects] : envelopes) {
        RETURN_IF_ERROR(PostAll(report_.collections[report_index], objects));
      }
      if (last_seq > report_.cursor) {
        RETURN_IF_ERROR(store_.SetMeta(cursor_key, std::to_string(last_seq)));
        report_.cursor = last_seq;
      }
      if (rows < options_.page_size) return Status::Ok();
      filter.after_seq = last_seq;
    }
  }

 private:
  // Owned here by the peer's organisation (it posted it), or pulled from
  // the peer (its event's provenance names it).
  Result<bool> CameFromPeer(const StoredStixObject& object) {
    if (object.owner_org_id == options_.peer_org_id) return true;
    if (object.event_id == 0) return FromPeer(object.source);
    auto cached = event_from_peer_.find(object.event_id);
    if (cached == event_from_peer_.end()) {
      ASSIGN_OR_RETURN(std::optional<EventSummary> event, store_.GetEventById(object.event_id));
      cached = event_from_peer_.emplace(object.event_id, event && FromPeer(event->source)).first;
    }
    return cached->second;
  }

  // Pull names its pages "taxii:<peer>/<collection>"; the STIX reader puts
  // "stix:" before a source name.
  bool FromPeer(std::string_view source) const {
    if (source.starts_with("stix:")) source.remove_prefix(5);
    return source.starts_with("taxii:" + peer_.name() + "/");
  }

  // The identity of the object's owner when the object names it and this
  // push has not yet sent it to that collection. The peer may read the
  // object, whose created_by_ref already names the organisation, so the
  // identity tells it nothing more (the rule of docs/TAXII.md).
  Result<std::optional<std::string>> IdentityToSend(const StoredStixObject& object, size_t report_index) {
    if (object.owner_org_id == 0) return std::optional<std::string>();
    auto cached = identities_.find(object.owner_org_id);
    if (cached == identities_.end()) {
      ASSIGN_OR_RETURN(std::optional<Organisation> org, store_.FindOrganisationById(object.owner_org_id));
      OwnerIdentity owner;
      if (org) {
        owner.id = StixIdentityId(org->uuid);
        owner.json = BuildStixIdentity({org->uuid, org->name, org->kind, org->country, org->created});
      }
      cached = identities_.emplace(object.owner_org_id, std::move(owner)).first;
    }
    const OwnerIdentity& owner = cached->second;
    if (owner.id.empty() || object.json.find('"' + owner.id + '"') == std::string::npos ||
        !identities_sent_.emplace(report_index, object.owner_org_id).second) {
      return std::optional<std::string>();
    }
    ++report_.identities;
    return std::optional<std::string>(owner.json);
  }

  // The "id" of a stored object's JSON, for messages.
  static std::string IdOf(const std::string& object) {
    nlohmann::json parsed = nlohmann::json::parse(object, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.contains("id") && parsed["id"].is_string()) return parsed["id"];
    return "an object";
  }

  // Splits the objects into envelopes under the peer's body limit.
  Status PostAll(CollectionPush& pushed, const std::vector<std::string>& objects) {
    std::string body;
    size_t in_body = 0;
    for (const std::string& object : objects) {
      if (max_body_bytes_ > 0 && object.size() + kEnvelopeOverhead > max_body_bytes_) {
        // No envelope can carry it: it is counted as refused and the push
        // goes on, so one large object does not hold the cursor (and every
        // object after it) back on every later run.
        ++pushed.failures;
        if (pushed.failure_messages.size() < kMaxFailureMessages) {
          pushed.failure_messages.push_back(fmt::format(
              "{}: not sent, {} bytes exceed the peer's max_content_length {}", IdOf(object),
              object.size(), max_body_bytes_));
        }
        continue;
      }
      if (in_body > 0 && max_body_bytes_ > 0 &&
          body.size() + object.size() + kEnvelopeOverhead > max_body_bytes_) {
        RETURN_IF_ERROR(PostEnvelope(pushed, body, in_body));
        body.clear();
        in_body = 0;
      }
      body += in_body == 0 ? R"({"objects":[)" : ",";
      body += object;
      ++in_body;
    }
    if (in_body > 0) RETURN_IF_ERROR(PostEnvelope(pushed, body, in_body));
    return Status::Ok();
  }

  Status PostEnvelope(CollectionPush& pushed, std::string& body, size_t count) {
    body += "]}";
    const std::string where = fmt::format("peer {}: collection {}", peer_.name(), pushed.id);
    ASSIGN_OR_RETURN(std::string answer,
                     peer_.Post(fmt::format("collections/{}/objects/",
                                            httplib::detail::encode_query_param(pushed.id)),
                                body));
    Result<StatusResource> status = internal::ParseStatusResource(answer);
    if (!status.ok()) return status.status().WithContext(where);
    ASSIGN_OR_RETURN(StatusResource final_status, AwaitCompletion(*status, where));
    ++pushed.posts;
    pushed.objects += static_cast<int64_t>(count);
    pushed.successes += final_status.success_count;
    pushed.failures += final_status.failure_count;
    for (const internal::StatusDetail& failure : final_status.failures) {
      if (pushed.failure_messages.size() >= kMaxFailureMessages) break;
      pushed.failure_messages.push_back(failure.id + ": " + failure.message);
    }
    return Status::Ok();
  }

  // A server may accept now and store later ("pending"): ask for the status
  // resource until it is complete or the timeout passes.
  Result<StatusResource> AwaitCompletion(StatusResource status, const std::string& where) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(options_.timeout_seconds);
    auto pause = std::chrono::milliseconds(100);
    while (!status.complete) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return Status::IoError(fmt::format(
            "{}: status {} still pending after {} s", where, status.id, options_.timeout_seconds));
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(5000));
      ASSIGN_OR_RETURN(std::string answer,
                       peer_.Get(fmt::format("status/{}/",
                                             httplib::detail::encode_query_param(status.id))));
      Result<StatusResource> polled = internal::ParseStatusResource(answer);
      if (!polled.ok()) return polled.status().WithContext(where);
      status = std::move(*polled);
    }
    return status;
  }

  Store& store_;
  Peer& peer_;
  const PushOptions& options_;
  PushReport& report_;
  StixReadCheck check_;
  size_t max_body_bytes_ = 0;
  std::map<int64_t, bool> event_from_peer_;
  struct OwnerIdentity {
    std::string id;    // empty: the organisation is gone
    std::string json;
  };
  std::map<int64_t, OwnerIdentity> identities_;             // by organisation
  std::set<std::pair<size_t, int64_t>> identities_sent_;  // (collection, organisation)
};

Status AuditPush(Store& store, const PushOptions& options, const PushReport& report,
                 const Status& outcome) {
  int64_t sent = 0;
  nlohmann::json collections = nlohmann::json::array();
  for (const CollectionPush& pushed : report.collections) {
    sent += pushed.objects;
    if (pushed.objects == 0) continue;
    collections.push_back({{"id", pushed.id},
                           {"objects", pushed.objects},
                           {"successes", pushed.successes},
                           {"failures", pushed.failures}});
  }
  AuditEntry audit;
  audit.time = FormatTimestamp(SystemClock().Now());
  audit.actor = options.actor;
  audit.action = "federate.push";
  audit.object = "taxii:" + report.peer;
  audit.source_address = options.source_address;
  nlohmann::json detail = {{"peer_org_id", options.peer_org_id},
                           {"sent", sent},
                           {"withheld", report.withheld},
                           {"cursor", report.cursor},
                           {"collections", std::move(collections)}};
  if (!outcome.ok()) detail["error"] = outcome.ToString();
  audit.detail = detail.dump();
  return store.AppendAudit(audit);
}

}  // namespace

std::string PushCursorKey(const std::string& peer, const std::string& collection_id) {
  return "federation.push:" + peer + ":" + (collection_id.empty() ? "by-tlp" : collection_id);
}

Result<PushReport> Push(Store& store, const PushOptions& options) {
  RETURN_IF_ERROR(internal::CheckRunOptions(options.peer_org_id, "stands for the peer",
                                            options.page_size));
  ASSIGN_OR_RETURN(std::unique_ptr<Peer> peer, Peer::Connect(options.api_root_url, options.credentials,
                                                              options.peer, options.timeout_seconds));
  PushReport report;
  report.peer = peer->name();
  ASSIGN_OR_RETURN(std::string root_body, peer->Get(""));
  Result<int64_t> max_content_length = internal::ParseMaxContentLength(root_body);
  if (!max_content_length.ok()) return max_content_length.status().WithContext("peer " + peer->name());
  ASSIGN_OR_RETURN(Placement placement, PlanPlacement(*peer, options, report));
  // Events made here (MISP, CSV, lists, REST, the UI) go too, as the
  // derived objects TAXII serves for them.
  RETURN_IF_ERROR(RefreshDerivedStix(store, SystemClock().Now()).status());
  const std::string cursor_key = PushCursorKey(peer->name(), options.collection);
  ASSIGN_OR_RETURN(std::optional<std::string> cursor, store.GetMeta(cursor_key));
  if (cursor && !cursor->empty()) {
    auto [end, error] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), report.cursor);
    if (error != std::errc() || end != cursor->data() + cursor->size()) {
      return Status::Corruption(fmt::format("meta {}: \"{}\" is not a number", cursor_key, *cursor));
    }
  }
  Status pushed = Pusher(store, *peer, options, report).Run(placement, *max_content_length, cursor_key);
  RETURN_IF_ERROR(AuditPush(store, options, report, pushed));
  RETURN_IF_ERROR(pushed);
  return report;
}

}  // namespace accord::federation
