// The rows the store keeps for the 24/7 network (points of contact and
// urgent cross-border requests). The rules that give them meaning (request
// types, legal fields, the state machine, clocks) live in requests/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace accord {

// A point of contact: how to reach an organisation's 24/7 desk. One per
// organisation; the country is the organisation's.
struct ContactChannel {
  std::string kind;   // phone, email, secure-mail, fax, messenger, ...
  std::string value;
};
struct PointOfContact {
  int64_t org_id = 0;
  std::string name;                    // the desk or person
  std::vector<std::string> languages;  // ISO 639-1, e.g. "en", "fr"
  std::string hours;                   // "24/7", or when it is staffed
  std::string time_zone;               // IANA, e.g. "Europe/Berlin"
  std::vector<ContactChannel> channels;
  std::string backup_name;             // who takes over when a clock is missed
  std::vector<ContactChannel> backup_channels;
  std::string updated;
};

// An urgent cross-border request as stored. The rules (types, fields, the
// state machine, clocks) live in requests/; the store keeps rows. `version`
// grows with every write, so a write based on a stale read is refused.
struct RequestRow {
  int64_t id = 0;
  std::string uuid;
  std::string reference;      // human reference, "DE-FR-2026-000042"
  std::string type;
  std::string state;
  std::string urgency;
  int64_t from_org_id = 0;    // requesting organisation
  int64_t to_org_id = 0;      // requested organisation
  std::string subject;
  std::string fields_json;    // the type's legal fields, {"name": "value"}
  std::string created;
  std::string updated;
  std::string sent_at;
  std::string ack_due;
  std::string acknowledged_at;
  std::string executed_at;
  std::string preserved_until;
  std::string closed_at;
  std::string escalated_at;
  int64_t version = 0;
};

// One line of a request's history: a transition, a note, an attachment or a
// link, with who did it and why. Mirrored in the audit chain.
struct RequestHistoryRow {
  int64_t seq = 0;
  int64_t request_id = 0;
  std::string time;
  std::string actor;
  int64_t actor_org_id = 0;
  std::string action;         // send, ack, note, attach, ...
  std::string from_state;
  std::string to_state;
  std::string reason;
  std::string detail;         // JSON
};

struct RequestLinkRow {
  int64_t request_id = 0;
  std::string kind;           // event, observable, operation
  std::string ref;
  std::string added;
};

struct AttachmentRow {
  int64_t id = 0;
  int64_t request_id = 0;
  std::string name;
  std::string media_type;
  int64_t size = 0;
  std::string sha256;         // hex, computed when stored
  std::string added;
  std::string actor;
};

// A reminder or escalation the clocks raised. `key` makes each one happen
// once (e.g. "reminder:2026-05-01T00:00:00.000Z:P14D").
struct RequestNotice {
  int64_t id = 0;
  int64_t request_id = 0;
  std::string kind;           // reminder, escalation, expired
  std::string key;
  std::string created;
  int64_t org_id = 0;         // the organisation it is for
  std::string addressee;      // contact it goes to
  std::string message;
};

struct RequestFilter {
  int64_t party_org_id = 0;   // 0 = every request (admins)
  std::string state;          // empty = any
  std::vector<std::string> states;  // any of these (clocks)
};

}  // namespace accord
