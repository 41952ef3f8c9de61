// Node administration: organisations, users and API keys, with the rules
// both front ends share (`accord org|user|key` and the REST admin routes), so
// a value the CLI refuses is refused over HTTP with the same message.
//
// Every write validates its input first (errors are kInvalidArgument naming
// the field, kNotFound for an unknown organisation or user, kAlreadyExists for
// a duplicate name, kFailedPrecondition for a disabled user) and then commits
// the change together with its audit record in one transaction: either both
// are stored or neither. Secrets never reach the audit log or the store; the
// store keeps only HashSecret's salted hash.
//
// Thread safety: stateless functions; the Store is the caller's (one thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/policy.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace accord::admin {

// Who did it, for the audit log: actor "key:<id>" or "cli:<user>", and the
// client address or "local".
struct AuditSource {
  std::string actor;
  std::string address;
};

inline constexpr std::string_view kOrganisationKinds[] = {"law-enforcement", "cert",
                                                          "private-partner", "international"};

// ISO 3166-1 alpha-2 (the 249 assigned codes, plus XK for Kosovo, which
// INTERPOL and Europol use); lower case is accepted and upper-cased.
Result<std::string> NormalizeCountry(std::string_view text);
Status ValidateKind(std::string_view kind);
// An organisation's 24/7 contact: at most 256 printable characters.
Status ValidateContact(std::string_view contact);
Result<Role> ParseRoleField(std::string_view text);
// Organisation and user names: 1-64 printable characters; users also no
// spaces or ':' (the name appears in logs and Basic credentials).
Status ValidateOrganisationName(std::string_view name);
Status ValidateUserName(std::string_view name);
Status ValidateEmail(std::string_view email);

// May a key carry `key_role` when its user has `user_role`? A key never
// grants more than its holder: the same role, or a narrower one (an admin may
// hold any key, an analyst a contributor or reader key, a poc a reader key).
bool KeyRoleWithinUserRole(Role user_role, Role key_role);

// "2027-01-01", any ParseTimestamp form, or a duration from now: "90d",
// "12h", "2w". Returns FormatTimestamp's form (the text the authenticator
// compares against); a time not after `now` is refused.
Result<std::string> ParseExpiry(std::string_view text, TimePoint now);

struct NewOrganisation {
  std::string name;
  std::string country;
  std::string kind;
  std::string contact;
  int64_t shares_with_org_id = 0;  // Organisation::shares_with_org_id; must exist
};
Result<Organisation> CreateOrganisation(Store& store, const NewOrganisation& request,
                                        const AuditSource& source, const Clock& clock);

struct NewUser {
  int64_t org_id = 0;
  std::string name;
  std::string role;
  std::string email;
};
Result<User> CreateUser(Store& store, const NewUser& request, const AuditSource& source,
                        const Clock& clock);

struct NewKey {
  int64_t org_id = 0;
  std::string user;
  std::string role;     // empty: the user's role
  std::string expires;  // empty: never; else as ParseExpiry takes
};
struct CreatedKey {
  ApiKey key;           // as stored (hash only)
  std::string token;    // "KEYID:SECRET", to show once and forget
  bool user_created = false;
};
// The user must exist, unless `role` is given: then a user of that role is
// created with the key ("create the user row when needed").
Result<CreatedKey> CreateKey(Store& store, const NewKey& request, const AuditSource& source,
                             const Clock& clock);

// Revokes a key. `only_org_id`, when set, limits the caller to its own
// organisation's keys (others are reported as not found, revealing nothing).
// Revoking a revoked key succeeds and writes no second audit record.
Result<ApiKey> RevokeKey(Store& store, const std::string& key_id,
                         std::optional<int64_t> only_org_id, const AuditSource& source,
                         const Clock& clock);

// Disables (revoking every key the user holds) or re-enables a user.
Status SetUserDisabled(Store& store, int64_t org_id, const std::string& name, bool disabled,
                       const AuditSource& source, const Clock& clock);

// The JSON views shown by `--json` and the REST API. Keys never show their
// secret or its hash; `status` is active, expired or revoked at `now`.
nlohmann::json OrganisationJson(const Organisation& org);
nlohmann::json UserJson(const User& user, const std::string& org_name);
nlohmann::json KeyJson(const ApiKey& key, const std::string& org_name, const std::string& now);
nlohmann::json AuditJson(const AuditEntry& entry);
std::string KeyStatus(const ApiKey& key, const std::string& now);

}  // namespace accord::admin
