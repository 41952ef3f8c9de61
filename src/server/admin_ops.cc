#include "server/admin_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>

#include "core/crypto.h"

namespace accord::admin {
namespace {

// ISO 3166-1 alpha-2, from Debian's iso-codes (iso_3166-1.json), two letters
// per code in order, plus XK. A flat string: a binary search over 250 codes
// needs no table type and no initialisation.
constexpr std::string_view kCountryCodes =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCI"
    "CKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQ"
    "GRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLS"
    "LTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPG"
    "PHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTK"
    "TLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSXKYEYTZAZMZW";

bool IsAssignedCountry(std::string_view code) {
  size_t low = 0;
  size_t high = kCountryCodes.size() / 2;
  while (low < high) {
    const size_t mid = (low + high) / 2;
    const std::string_view candidate = kCountryCodes.substr(mid * 2, 2);
    if (candidate == code) return true;
    if (candidate < code) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return false;
}

bool IsPrintable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7f;  // UTF-8 continuation bytes are >= 0x80: allowed
  });
}

std::string Now(const Clock& clock) { return FormatTimestamp(clock.Now()); }

// Commits `write` together with its audit record. An import batch is the
// store's one transaction handle: store calls made while it is open run
// inside it (store/sqlite/sqlite_store.h), so the change and its record land
// together or not at all.
template <typename T, typename Write>
Result<T> WriteAudited(Store& store, Write write, const std::function<AuditEntry(const T&)>& audit) {
  ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, store.BeginImport());
  ASSIGN_OR_RETURN(T value, write());
  RETURN_IF_ERROR(batch->AppendAudit(audit(value)));
  RETURN_IF_ERROR(batch->Commit());
  return value;
}

AuditEntry MakeAudit(const AuditSource& source, const Clock& clock, std::string action,
                     std::string object, const nlohmann::json& detail) {
  AuditEntry entry;
  entry.time = Now(clock);
  entry.actor = source.actor;
  entry.action = std::move(action);
  entry.object = std::move(object);
  entry.detail = detail.dump();
  entry.source_address = source.address;
  return entry;
}

}  // namespace

Result<std::string> NormalizeCountry(std::string_view text) {
  std::string code(text);
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (code.size() != 2 || !IsAssignedCountry(code)) {
    return Status::Invalid(fmt::format(
        "country: '{}' is not an ISO 3166-1 alpha-2 country code (such as FR or KE)", text));
  }
  return code;
}

Status ValidateKind(std::string_view kind) {
  for (std::string_view known : kOrganisationKinds) {
    if (kind == known) return Status::Ok();
  }
  return Status::Invalid(fmt::format(
      "kind: '{}' is not one of law-enforcement, cert, private-partner, international", kind));
}

Result<Role> ParseRoleField(std::string_view text) {
  std::optional<Role> role = ParseRole(text);
  if (!role) {
    return Status::Invalid(
        fmt::format("role: '{}' is not one of admin, analyst, contributor, reader, poc", text));
  }
  return *role;
}

Status ValidateContact(std::string_view contact) {
  if (!IsPrintable(contact) || contact.size() > 256) {
    return Status::Invalid("contact: must be at most 256 printable characters");
  }
  return Status::Ok();
}

Status ValidateOrganisationName(std::string_view name) {
  if (name.empty() || name.size() > 128 || !IsPrintable(name) || name.front() == ' ' ||
      name.back() == ' ') {
    return Status::Invalid(fmt::format(
        "name: organisation name '{}' must be 1 to 128 printable characters without leading or "
        "trailing spaces",
        name));
  }
  return Status::Ok();
}

Status ValidateUserName(std::string_view name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
           c == '@';
  });
  if (name.empty() || name.size() > 64 || !plain) {
    return Status::Invalid(fmt::format(
        "name: user name '{}' must be 1 to 64 of the characters A-Z a-z 0-9 . _ - @", name));
  }
  return Status::Ok();
}

Status ValidateEmail(std::string_view email) {
  const size_t at = email.find('@');
  const bool shaped = at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
                      email.find('@', at + 1) == std::string_view::npos &&
                      email.find('.', at) != std::string_view::npos && email.size() <= 254 &&
                      IsPrintable(email) && email.find(' ') == std::string_view::npos;
  if (!shaped) {
    return Status::Invalid(fmt::format("email: '{}' is not an e-mail address", email));
  }
  return Status::Ok();
}

bool KeyRoleWithinUserRole(Role user_role, Role key_role) {
  if (user_role == key_role || user_role == Role::kAdmin) return true;
  switch (user_role) {
    case Role::kAnalyst: return key_role == Role::kContributor || key_role == Role::kReader;
    case Role::kPoc: return key_role == Role::kReader;
    default: return false;
  }
}

Result<std::string> ParseExpiry(std::string_view text, TimePoint now) {
  TimePoint expires;
  const char unit = text.empty() ? '\0' : text.back();
  if (text.size() >= 2 && (unit == 'd' || unit == 'h' || unit == 'w')) {
    int64_t count = 0;
    const char* end = text.data() + text.size() - 1;
    auto [ptr, ec] = std::from_chars(text.data(), end, count);
    // 40 years of hours bounds every unit well inside TimePoint's range.
    if (ec != std::errc() || ptr != end || count <= 0 || count > 350000) {
      return Status::Invalid(fmt::format(
          "expires: '{}' is not a positive duration such as 90d, 12h or 2w", text));
    }
    const std::chrono::hours unit_hours(unit == 'h' ? 1 : unit == 'd' ? 24 : 24 * 7);
    expires = now + count * unit_hours;
  } else {
    Result<TimePoint> parsed = ParseTimestamp(text);
    if (!parsed.ok()) {
      return Status::Invalid(fmt::format(
          "expires: '{}' is neither a date (2027-01-01, RFC 3339) nor a duration (90d, 12h, 2w)",
          text));
    }
    expires = *parsed;
  }
  if (expires <= now) {
    return Status::Invalid(fmt::format("expires: '{}' is not in the future", text));
  }
  return FormatTimestamp(expires);
}

Result<Organisation> CreateOrganisation(Store& store, const NewOrganisation& request,
                                        const AuditSource& source, const Clock& clock) {
  RETURN_IF_ERROR(ValidateOrganisationName(request.name));
  ASSIGN_OR_RETURN(std::string country, NormalizeCountry(request.country));
  RETURN_IF_ERROR(ValidateKind(request.kind));
  RETURN_IF_ERROR(ValidateContact(request.contact));
  if (request.shares_with_org_id != 0) {
    ASSIGN_OR_RETURN(std::optional<Organisation> reader, store.FindOrganisationById(request.shares_with_org_id));
    if (!reader) {
      return Status::NotFound(
          fmt::format("shares_with: no organisation with id {}", request.shares_with_org_id));
    }
  }
  Organisation org;
  org.uuid = UuidV4();
  org.name = request.name;
  org.country = country;
  org.kind = request.kind;
  org.contact = request.contact;
  org.shares_with_org_id = request.shares_with_org_id;
  org.created = Now(clock);
  return WriteAudited<Organisation>(
      store, [&] { return store.CreateOrganisation(org); },
      [&](const Organisation& created) {
        return MakeAudit(source, clock, "organisation.create", created.uuid,
                         {{"id", created.id},
                          {"name", created.name},
                          {"country", created.country},
                          {"kind", created.kind},
                          {"shares_with_id", created.shares_with_org_id == 0
                                                 ? nlohmann::json(nullptr)
                                                 : nlohmann::json(created.shares_with_org_id)}});
      });
}

Result<User> CreateUser(Store& store, const NewUser& request, const AuditSource& source,
                        const Clock& clock) {
  RETURN_IF_ERROR(ValidateUserName(request.name));
  ASSIGN_OR_RETURN(Role role, ParseRoleField(request.role));
  if (!request.email.empty()) RETURN_IF_ERROR(ValidateEmail(request.email));
  ASSIGN_OR_RETURN(std::optional<Organisation> org, store.FindOrganisationById(request.org_id));
  if (!org) {
    return Status::NotFound(fmt::format("organisation: no organisation with id {}", request.org_id));
  }
  User user;
  user.org_id = org->id;
  user.name = request.name;
  user.role = role;
  user.email = request.email;
  user.created = Now(clock);
  Result<User> created = WriteAudited<User>(
      store, [&] { return store.CreateUser(user); },
      [&](const User& stored) {
        return MakeAudit(source, clock, "user.create", fmt::format("{}/{}", org->name, stored.name),
                         {{"organisation_id", stored.org_id},
                          {"name", stored.name},
                          {"role", RoleName(stored.role)}});
      });
  if (!created.ok() && created.status().code() == Status::Code::kAlreadyExists) {
    return Status::AlreadyExists(
        fmt::format("name: user '{}' already exists in organisation '{}'", user.name, org->name));
  }
  return created;
}

Result<CreatedKey> CreateKey(Store& store, const NewKey& request, const AuditSource& source,
                             const Clock& clock) {
  RETURN_IF_ERROR(ValidateUserName(request.user));
  std::optional<Role> requested_role;
  if (!request.role.empty()) {
    ASSIGN_OR_RETURN(requested_role, ParseRoleField(request.role));
  }
  const TimePoint now = clock.Now();
  std::string expires;
  if (!request.expires.empty()) {
    ASSIGN_OR_RETURN(expires, ParseExpiry(request.expires, now));
  }
  ASSIGN_OR_RETURN(std::optional<Organisation> org, store.FindOrganisationById(request.org_id));
  if (!org) {
    return Status::NotFound(fmt::format("organisation: no organisation with id {}", request.org_id));
  }

  CreatedKey result;
  const std::string secret = RandomHex(32);
  result.key.key_id = "ak_" + RandomHex(8);
  result.key.secret = HashSecret(secret);
  result.key.org_id = org->id;
  result.key.user = request.user;
  result.key.created = FormatTimestamp(now);
  result.key.expires = expires;
  result.token = result.key.key_id + ":" + secret;

  auto write = [&]() -> Result<CreatedKey> {
    // Read inside the transaction, so a user disabled meanwhile is seen.
    ASSIGN_OR_RETURN(std::optional<User> user, store.FindUser(org->id, request.user));
    if (!user) {
      if (!requested_role) {
        return Status::NotFound(fmt::format(
            "user: no user '{}' in organisation '{}' (create it first, or give a role to create "
            "it with the key)",
            request.user, org->name));
      }
      User fresh;
      fresh.org_id = org->id;
      fresh.name = request.user;
      fresh.role = *requested_role;
      fresh.created = result.key.created;
      ASSIGN_OR_RETURN(user, store.CreateUser(fresh));
      result.user_created = true;
    }
    if (user->disabled) {
      return Status::FailedPrecondition(
          fmt::format("user: '{}' of organisation '{}' is disabled", user->name, org->name));
    }
    result.key.role = requested_role.value_or(user->role);
    if (!KeyRoleWithinUserRole(user->role, result.key.role)) {
      return Status::PermissionDenied(
          fmt::format("role: a key for '{}' (role {}) cannot carry role {}", user->name,
                      RoleName(user->role), RoleName(result.key.role)));
    }
    ASSIGN_OR_RETURN(result.key, store.CreateApiKey(result.key));
    return result;
  };
  return WriteAudited<CreatedKey>(store, write, [&](const CreatedKey& created) {
    return MakeAudit(source, clock, "key.create", created.key.key_id,
                     {{"organisation_id", created.key.org_id},
                      {"user", created.key.user},
                      {"role", RoleName(created.key.role)},
                      {"expires", created.key.expires},
                      {"user_created", created.user_created}});
  });
}

Result<ApiKey> RevokeKey(Store& store, const std::string& key_id,
                         std::optional<int64_t> only_org_id, const AuditSource& source,
                         const Clock& clock) {
  auto write = [&]() -> Result<ApiKey> {
    ASSIGN_OR_RETURN(std::optional<ApiKey> key, store.FindApiKey(key_id));
    if (!key || (only_org_id && key->org_id != *only_org_id)) {
      return Status::NotFound(fmt::format(
          "key_id: no API key '{}'{}", key_id, only_org_id ? " in your organisation" : ""));
    }
    if (!key->revoked) RETURN_IF_ERROR(store.RevokeApiKey(key_id));
    return *key;  // `revoked` still tells whether this call changed it
  };
  ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, store.BeginImport());
  ASSIGN_OR_RETURN(ApiKey before, write());
  if (!before.revoked) {
    RETURN_IF_ERROR(batch->AppendAudit(MakeAudit(source, clock, "key.revoke", key_id,
                                                 {{"organisation_id", before.org_id},
                                                  {"user", before.user}})));
  }
  RETURN_IF_ERROR(batch->Commit());
  before.revoked = true;
  return before;
}

Status SetUserDisabled(Store& store, int64_t org_id, const std::string& name, bool disabled,
                       const AuditSource& source, const Clock& clock) {
  ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, store.BeginImport());
  RETURN_IF_ERROR(store.SetUserDisabled(org_id, name, disabled));
  RETURN_IF_ERROR(batch->AppendAudit(
      MakeAudit(source, clock, disabled ? "user.disable" : "user.enable", name,
                {{"organisation_id", org_id}, {"name", name}})));
  return batch->Commit();
}

std::string KeyStatus(const ApiKey& key, const std::string& now) {
  if (key.revoked) return "revoked";
  if (!key.expires.empty() && key.expires <= now) return "expired";
  return "active";
}

nlohmann::json OrganisationJson(const Organisation& org) {
  return {{"id", org.id},
          {"uuid", org.uuid},
          {"name", org.name},
          {"country", org.country},
          {"kind", org.kind},
          {"contact", org.contact},
          {"created", org.created},
          {"shares_with_id",
           org.shares_with_org_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(org.shares_with_org_id)}};
}

nlohmann::json UserJson(const User& user, const std::string& org_name) {
  nlohmann::json json = {{"id", user.id},
                         {"organisation_id", user.org_id},
                         {"organisation", org_name},
                         {"name", user.name},
                         {"role", RoleName(user.role)},
                         {"email", nullptr},
                         {"created", user.created},
                         {"disabled", user.disabled}};
  if (!user.email.empty()) json["email"] = user.email;
  return json;
}

nlohmann::json KeyJson(const ApiKey& key, const std::string& org_name, const std::string& now) {
  nlohmann::json json = {{"key_id", key.key_id},
                         {"organisation_id", key.org_id},
                         {"organisation", org_name},
                         {"user", key.user},
                         {"role", RoleName(key.role)},
                         {"created", key.created},
                         {"expires", nullptr},
                         {"revoked", key.revoked},
                         {"status", KeyStatus(key, now)}};
  if (!key.expires.empty()) json["expires"] = key.expires;
  return json;
}

nlohmann::json AuditJson(const AuditEntry& entry) {
  return {{"seq", entry.seq},
          {"time", entry.time},
          {"actor", entry.actor},
          {"action", entry.action},
          {"object", entry.object},
          {"detail", entry.detail},
          {"source_address", entry.source_address},
          {"prev_hash", entry.prev_hash},
          {"hash", entry.hash}};
}

}  // namespace accord::admin
