// The 24/7 network's operations, shared by `accord poc|request` and the REST
// routes under /api/v1/pocs and /api/v1/requests, so both refuse the same
// things with the same words.
//
// Access goes through core/policy.h: MayReadRequest decides who sees a
// request (the two parties' organisations and admins; anyone else gets
// kNotFound, so a reference reveals nothing), MayActOnRequest who may change
// it. Every change is stored with its history line and its audit record in
// one transaction; a change based on a stale read is refused (versions).
//
// Thread safety: stateless functions; the Store is the caller's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/policy.h"
#include "core/status.h"
#include "core/time.h"
#include "requests/requests.h"
#include "store/store.h"

namespace accord::requests {

// Who acts: the principal, and for the audit log the actor ("key:<id>" or
// "cli:<user>") and the client address ("local" for the CLI).
struct Actor {
  Principal principal;
  std::string name;
  std::string address;
};

// Whether the request never left its requesting organisation: a draft, or
// one withdrawn while a draft. Such a request stays that organisation's own
// work (RequestParties::draft): the requested party never learns of it.
inline bool NeverSent(const RequestRow& row) { return row.sent_at.empty(); }

// MayReadRequest lets a node admin oversee every request. The node's admin
// is the operator organisation's (store meta "operator_org_id"), as for the
// audit log and organisation management: another organisation's admin reads
// requests as its analysts do, its own organisation's only. Every read path
// here passes the principal through this first.
Result<Principal> AsRequestReader(Store& store, Principal who);

// The audit record of a change made by `actor` now (poc and request writes).
AuditEntry AuditOf(const Actor& actor, TimePoint now, std::string action, std::string object,
                   const nlohmann::json& detail);

// --- points of contact ---
// "phone:+33 1 23 45 67 89", "email:cyber-247@example.org".
Result<ContactChannel> ParseChannel(std::string_view text);
// Validates (time zone, languages, channels) and stores the organisation's
// point of contact, replacing the previous one. Admins set any
// organisation's; a poc sets its own.
Result<PointOfContact> SetPointOfContact(Store& store, const Actor& actor, PointOfContact poc,
                                         const Clock& clock);
Status RemovePointOfContact(Store& store, const Actor& actor, int64_t org_id, const Clock& clock);
nlohmann::json PointOfContactJson(const PointOfContact& poc, const Organisation& org);

// --- requests ---
struct NewRequest {
  std::string type;
  std::string urgency;  // empty: the type's default
  int64_t to_org_id = 0;
  std::string subject;
  Fields fields;
};
// A draft from the actor's organisation to `to_org_id`.
Result<RequestRow> CreateRequest(Store& store, const Actor& actor, const NewRequest& request,
                                 const Clock& clock);

struct DraftChanges {
  std::optional<std::string> subject;
  std::optional<std::string> urgency;
  Fields fields;  // each one set; an empty value removes the field
  int64_t expected_version = 0;  // 0: whatever is stored
};
Result<RequestRow> EditDraft(Store& store, const Actor& actor, const std::string& handle,
                             const DraftChanges& changes, const Clock& clock);

struct ActionInput {
  std::string action;           // send, ack, start, execute, extend, close, refuse, withdraw
  std::string reason;           // required to refuse (grounds) and to withdraw
  std::string preserved_until;  // execute/extend a preservation: a time, or "90d" from now
  int64_t expected_version = 0;
};
Result<RequestRow> Act(Store& store, const Actor& actor, const std::string& handle,
                       const ActionInput& input, const Clock& clock);
// Everything Act would refuse, refused the same way, with nothing stored:
// a caller that adds notes or files before a state move (`request update`)
// asks first, so a refused move leaves the request as it was.
Status CheckAction(Store& store, const Actor& actor, const std::string& handle,
                   const ActionInput& input, const Clock& clock);

// What AddNote, LinkRequest and Attach check of their input before they
// write, apart, so that a command adding several (a note, links and files)
// checks them all before it writes any. CheckLinkTarget answers the
// reference as it would be stored.
Status CheckNote(const std::string& text);
Result<std::string> CheckLinkTarget(Store& store, const Actor& actor, const std::string& kind,
                                    const std::string& ref);
Status CheckAttachment(const std::string& name, const std::string& media_type, std::string_view content);

Status AddNote(Store& store, const Actor& actor, const std::string& handle,
               const std::string& text, const Clock& clock);
// kind "event" (an event uuid the actor may read), "observable" (any value
// that normalizes, stored as "type:value") or "operation" (an infostealer
// operation's name).
Status LinkRequest(Store& store, const Actor& actor, const std::string& handle,
                   const std::string& kind, const std::string& ref, const Clock& clock);
// Stores the bytes with their SHA-256 (chain of custody). Up to 32 MiB.
Result<AttachmentRow> Attach(Store& store, const Actor& actor, const std::string& handle,
                             const std::string& name, const std::string& media_type,
                             std::string_view content, const Clock& clock);
struct VerifiedAttachment {
  AttachmentRow row;
  std::string content;
};
// The bytes, after checking them against the recorded SHA-256: kCorruption
// when they no longer match (the evidence was altered).
Result<VerifiedAttachment> ReadAttachment(Store& store, const Principal& who,
                                          const std::string& handle, int64_t attachment_id);

// --- reads ---
Result<RequestRow> GetRequest(Store& store, const Principal& who, const std::string& handle);

struct ListOptions {
  std::string state;      // empty = any
  std::string direction;  // "in" (to the viewer's organisation), "out", or "" (both)
};
// Due and overdue clocks first (soonest first), then the rest newest first.
Result<std::vector<RequestRow>> ListRequests(Store& store, const Principal& who,
                                             const ListOptions& options);

// Everything `show` and the printable document need.
struct RequestView {
  RequestRow row;
  Fields fields;
  Organisation from;
  Organisation to;
  std::optional<PointOfContact> from_poc;
  std::optional<PointOfContact> to_poc;
  std::vector<RequestHistoryRow> history;
  std::vector<RequestLinkRow> links;
  std::vector<AttachmentRow> attachments;
  std::vector<RequestNotice> notices;
  std::vector<Action> allowed;  // what the viewer may do now
};
Result<RequestView> ViewRequest(Store& store, const Principal& who, const std::string& handle);

// JSON for lists (organisation names from `orgs`) and for a full view. Both
// carry "deadline" {kind, due, overdue, seconds_left} when a clock runs.
nlohmann::json RequestJson(const RequestRow& row, const std::vector<Organisation>& orgs,
                           TimePoint now);
nlohmann::json RequestViewJson(const RequestView& view, TimePoint now);
// A self-contained printable HTML document (print it to PDF from a browser).
std::string RenderHtml(const RequestView& view, TimePoint now);
Result<Fields> ParseFieldsJson(std::string_view json);

// --- clocks ---
Result<ClockPolicy> LoadClockPolicy(Store& store);
Status SaveClockPolicy(Store& store, const Actor& actor, const ClockPolicy& policy,
                       const Clock& clock);
// Raises every reminder, escalation and expiry notice due now, once each.
Result<std::vector<RequestNotice>> RunClocks(Store& store, const Clock& clock);
// The notices for the viewer's organisation (admins: all), newest first.
Result<std::vector<RequestNotice>> NoticesFor(Store& store, const Principal& who);

}  // namespace accord::requests
