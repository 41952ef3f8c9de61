// The peer's answers, read: the collections list (TAXII 2.1 5.1) and an
// envelope of objects (3.7). Pure functions over the bytes, so that
// fuzz/fuzz_taxii_answers.cc can hold them to never crashing or throwing:
// whatever a peer sends, the answer is a value or an error naming what is
// wrong.
//
// Internal to federation/.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/status.h"

namespace accord::federation::internal {

struct CollectionRef {
  std::string id;
  std::string title;
  bool can_read = false;
  bool can_write = false;
};

// The body of GET <root>/collections/. A missing "collections" is none.
Result<std::vector<CollectionRef>> ParseCollections(std::string_view body);

struct Envelope {
  std::string objects_json = "[]";  // the "objects" array as JSON text
  size_t object_count = 0;  // in the answer, those left out included
  size_t from_home = 0;     // left out: made by one of `home_identities`
  bool more = false;
  std::string next;  // "" when the server gave none
};

// The body of GET <root>/collections/<id>/objects/. Every element of
// "objects" must be a JSON object (the STIX reader checks the rest).
// Objects whose created_by_ref is one of `home_identities`, and those
// identities themselves, are left out of objects_json: what this node's
// own organisations shared, come back through a peer, is never taken back
// (an older copy undid a restriction the owner made since, or brought back
// an event the owner deleted).
Result<Envelope> ParseEnvelope(std::string_view body,
                               const std::unordered_set<std::string>& home_identities = {});

// The body of GET <root> (TAXII 2.1 4.2): the largest request body the
// API root takes, 0 when it does not say.
Result<int64_t> ParseMaxContentLength(std::string_view body);

// One object's outcome in a status resource (TAXII 2.1 4.3.1).
struct StatusDetail {
  std::string id;
  std::string version;
  std::string message;
};

// The status resource a POST of objects answers with (4.3), or a later GET
// of it: "complete" or "pending", with the counts.
struct StatusResource {
  std::string id;
  bool complete = false;
  int64_t total_count = 0;
  int64_t success_count = 0;
  int64_t failure_count = 0;
  int64_t pending_count = 0;
  std::vector<StatusDetail> failures;
};
Result<StatusResource> ParseStatusResource(std::string_view body);

// "title: description" of a TAXII error resource; "" when the body is not one.
std::string ErrorSummary(std::string_view body);

}  // namespace accord::federation::internal
