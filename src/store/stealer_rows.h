// The rows the store keeps for infostealer takedown operations. What they
// mean (families, layouts, packages, the exposure check) is in stealer/.
// Passwords appear only as SHA-1 (upper-case hex); usernames, victims'
// addresses and account names are personal data the purge removes once an
// operation's retention period has passed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace accord {

struct StealerOperation {
  int64_t id = 0;
  std::string name;
  int64_t org_id = 0;          // the coordinating organisation (owner of its event)
  int64_t event_id = 0;        // the event carrying its C2 servers as indicators
  int64_t retention_days = 0;  // personal data is purged this long after ingest
  std::string created;
};

struct StealerCredentialRow {
  std::string domain;          // registrable domain; empty when the URL has none
  std::string username;        // empty once purged
  std::string username_sha1;   // SHA-1 of the lower-cased username, upper-case hex
  std::string password_sha1;
};

struct StealerVictimRow {
  int64_t id = 0;
  int64_t operation_id = 0;
  std::string machine_id;
  std::string family;
  std::string ip;              // empty once purged
  std::string country;
  int64_t asn = 0;
  std::string os;
  std::string user_name;       // empty once purged
  std::string computer_name;   // empty once purged
  std::string build_id;
  std::string infected_at;
  int64_t cookies = 0;
  int64_t autofills = 0;
  int64_t credential_count = 0;
  std::string source;          // archive and folder it came from
  std::string ingested;
  bool purged = false;
  std::vector<StealerCredentialRow> credentials;  // filled on insert only
};

struct StealerC2Row {
  int64_t id = 0;
  int64_t operation_id = 0;
  std::string type;            // observable type name: ipv4, domain, url, ...
  std::string value;           // normalized
  std::string family;
  std::string country;         // hosting country (GeoIP)
  int64_t asn = 0;
  std::string as_org;
  std::string first_seen;
  std::string last_seen;
  std::string evidence_json;   // [{"source": ..., "location": ..., "note": ...}]
};

// One line of a Pwned-Passwords-style range answer.
struct ExposureCount {
  std::string suffix;          // the 35 hex digits after the 5-digit prefix
  int64_t count = 0;
};

}  // namespace accord
