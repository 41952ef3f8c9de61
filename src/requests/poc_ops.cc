// The points-of-contact directory.
#include <algorithm>
#include <cctype>

#include "requests/request_ops.h"

namespace accord::requests {
namespace {

constexpr std::string_view kChannelKinds[] = {"phone", "email", "secure-mail", "fax",
                                              "messenger", "radio", "web", "other"};

Status CheckText(std::string_view value, std::string_view field, size_t max) {
  if (value.size() > max) {
    return Status::Invalid(std::string(field) + ": longer than " + std::to_string(max) + " bytes");
  }
  if (std::any_of(value.begin(), value.end(),
                  [](unsigned char c) { return c < 0x20 && c != '\t'; })) {
    return Status::Invalid(std::string(field) + ": control characters are not allowed");
  }
  return Status::Ok();
}

Status CheckChannels(const std::vector<ContactChannel>& channels, std::string_view field) {
  if (channels.size() > 16) return Status::Invalid(std::string(field) + ": at most 16");
  for (const ContactChannel& channel : channels) {
    if (std::find(std::begin(kChannelKinds), std::end(kChannelKinds), channel.kind) ==
        std::end(kChannelKinds)) {
      return Status::Invalid(std::string(field) + ": unknown kind '" + channel.kind +
                             "' (phone, email, secure-mail, fax, messenger, radio, web, other)");
    }
    if (channel.value.empty()) return Status::Invalid(std::string(field) + ": empty value");
    RETURN_IF_ERROR(CheckText(channel.value, field, 256));
  }
  return Status::Ok();
}

// The node's admin (the operator organisation's, as AsRequestReader says)
// keeps the directory; an organisation's own admin or poc keeps its entry.
// Another member's admin may not: the directory is where escalations go.
Status MayManage(Store& store, const Principal& who, int64_t org_id) {
  if ((who.role == Role::kAdmin || who.role == Role::kPoc) && who.org_id == org_id) return Status::Ok();
  if (who.role == Role::kAdmin) {
    ASSIGN_OR_RETURN(const Principal node_role, AsRequestReader(store, who));
    if (node_role.role == Role::kAdmin) return Status::Ok();
  }
  return Status::PermissionDenied(
      "only the organisation's own admin or poc, or the node's admin, changes its point of contact");
}

nlohmann::json ChannelsJson(const std::vector<ContactChannel>& channels) {
  nlohmann::json list = nlohmann::json::array();
  for (const ContactChannel& channel : channels) {
    list.push_back({{"kind", channel.kind}, {"value", channel.value}});
  }
  return list;
}

}  // namespace

Result<ContactChannel> ParseChannel(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::Invalid("channel '" + std::string(text) +
                           "': expected KIND:VALUE, e.g. phone:+33 1 23 45 67 89");
  }
  return ContactChannel{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

Result<PointOfContact> SetPointOfContact(Store& store, const Actor& actor, PointOfContact poc,
                                         const Clock& clock) {
  RETURN_IF_ERROR(MayManage(store, actor.principal, poc.org_id));
  ASSIGN_OR_RETURN(auto org, store.FindOrganisationById(poc.org_id));
  if (!org) return Status::NotFound("organisation id " + std::to_string(poc.org_id) + " does not exist");
  if (poc.name.empty()) poc.name = org->name + " 24/7 point of contact";
  RETURN_IF_ERROR(CheckText(poc.name, "name", 200));
  if (poc.hours.empty()) poc.hours = "24/7";
  RETURN_IF_ERROR(CheckText(poc.hours, "hours", 200));
  if (poc.time_zone.empty()) poc.time_zone = "UTC";
  RETURN_IF_ERROR(ValidateTimeZone(poc.time_zone));
  if (poc.languages.size() > 16) return Status::Invalid("languages: at most 16");
  for (std::string& language : poc.languages) {
    std::transform(language.begin(), language.end(), language.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool letters = std::all_of(language.begin(), language.end(),
                                     [](unsigned char c) { return std::isalpha(c) != 0; });
    if (!letters || language.size() < 2 || language.size() > 3) {
      return Status::Invalid("languages: '" + language +
                             "' is not an ISO 639 code (two or three letters, e.g. en, fr)");
    }
  }
  if (poc.channels.empty()) {
    return Status::Invalid("channels: a point of contact needs at least one way to reach it");
  }
  RETURN_IF_ERROR(CheckChannels(poc.channels, "channels"));
  RETURN_IF_ERROR(CheckText(poc.backup_name, "backup_name", 200));
  RETURN_IF_ERROR(CheckChannels(poc.backup_channels, "backup_channels"));
  const TimePoint now = clock.Now();
  poc.updated = FormatTimestamp(now);
  ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, store.BeginImport());
  RETURN_IF_ERROR(store.PutPointOfContact(poc));
  RETURN_IF_ERROR(batch->AppendAudit(
      AuditOf(actor, now, "poc.set", org->name, PointOfContactJson(poc, *org))));
  RETURN_IF_ERROR(batch->Commit());
  return poc;
}

Status RemovePointOfContact(Store& store, const Actor& actor, int64_t org_id, const Clock& clock) {
  RETURN_IF_ERROR(MayManage(store, actor.principal, org_id));
  ASSIGN_OR_RETURN(auto org, store.FindOrganisationById(org_id));
  if (!org) return Status::NotFound("organisation id " + std::to_string(org_id) + " does not exist");
  ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, store.BeginImport());
  RETURN_IF_ERROR(store.RemovePointOfContact(org_id));
  RETURN_IF_ERROR(
      batch->AppendAudit(AuditOf(actor, clock.Now(), "poc.remove", org->name, nullptr)));
  return batch->Commit();
}

nlohmann::json PointOfContactJson(const PointOfContact& poc, const Organisation& org) {
  return {{"organisation", {{"id", org.id}, {"name", org.name}, {"kind", org.kind}}},
          {"country", org.country},
          {"name", poc.name},
          {"languages", poc.languages},
          {"hours", poc.hours},
          {"time_zone", poc.time_zone},
          {"channels", ChannelsJson(poc.channels)},
          {"backup", {{"name", poc.backup_name}, {"channels", ChannelsJson(poc.backup_channels)}}},
          {"updated", poc.updated}};
}

}  // namespace accord::requests
