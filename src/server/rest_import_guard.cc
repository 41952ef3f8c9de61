#include "server/rest_import_guard.h"

#include <set>

#include "core/crypto.h"

namespace accord::server::rest {
namespace {

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// The UUID starting at `pos` (8-4-4-4-12 hex digits), lower-cased, or "".
std::string UuidAt(std::string_view text, size_t pos) {
  static constexpr size_t kLength = 36;
  if (pos + kLength > text.size()) return "";
  for (size_t offset = 0; offset < kLength; ++offset) {
    const char c = text[pos + offset];
    const bool dash = offset == 8 || offset == 13 || offset == 18 || offset == 23;
    if (dash ? c != '-' : !IsHex(c)) return "";
  }
  std::string uuid(text.substr(pos, kLength));
  for (char& c : uuid) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return uuid;
}

// UUIDs right after each occurrence of `prefix` ("report--", "grouping--"); every UUID in
// the text when `prefix` is empty.
void CollectUuids(std::string_view text, std::string_view prefix, std::set<std::string>& out) {
  if (prefix.empty()) {
    for (size_t pos = 0; pos + 36 <= text.size(); ++pos) {
      // A UUID starts after a non-hex character; skip most positions cheaply.
      if (pos > 0 && (IsHex(text[pos - 1]) || text[pos - 1] == '-')) continue;
      if (text[pos + 8] != '-') continue;
      std::string uuid = UuidAt(text, pos);
      if (!uuid.empty()) out.insert(std::move(uuid));
    }
    return;
  }
  for (size_t pos = text.find(prefix); pos != std::string_view::npos;
       pos = text.find(prefix, pos + 1)) {
    std::string uuid = UuidAt(text, pos + prefix.size());
    if (!uuid.empty()) out.insert(std::move(uuid));
  }
}

// The group events a STIX bundle's reader derives (stix/stix_objects.cc,
// BundleReader::GroupEvent): one per TLP level, keyed by bundle or source.
void AddGroupEvents(const std::string& group_key, std::set<std::string>& out) {
  for (std::string_view level : {"unmarked", "clear", "green", "amber", "amber+strict", "red"}) {
    out.insert(UuidV5(kAccordUuidNamespace, group_key + ":" + std::string(level)));
  }
}

}  // namespace

std::vector<std::string> ClaimableEventUuids(InputFormat format, std::string_view body,
                                             const std::string& source_name) {
  std::set<std::string> uuids;
  if (format == InputFormat::kMisp) {
    CollectUuids(body, "", uuids);
  } else if (format == InputFormat::kStix) {
    CollectUuids(body, "report--", uuids);
    CollectUuids(body, "grouping--", uuids);  // groupings are events as reports are
    std::set<std::string> bundles;
    CollectUuids(body, "bundle--", bundles);
    for (const std::string& bundle : bundles) AddGroupEvents("stix-bundle:bundle--" + bundle, uuids);
    AddGroupEvents("stix-source:" + source_name, uuids);
  }
  return {uuids.begin(), uuids.end()};
}

Status CheckEventOwnership(Store& store, const std::vector<std::string>& uuids, int64_t org_id) {
  for (const std::string& uuid : uuids) {
    ASSIGN_OR_RETURN(auto event, store.GetEvent(uuid));
    if (event && event->owner_org_id != org_id) {
      return Status::PermissionDenied("the body names event " + uuid +
                                      ", which belongs to another organisation; only its owner "
                                      "may update it");
    }
  }
  return Status::Ok();
}

}  // namespace accord::server::rest
