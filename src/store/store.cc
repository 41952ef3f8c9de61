#include "store/store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <system_error>

#include "store/sqlite/sqlite_store.h"

namespace accord {
namespace {

// "<length>:<bytes>": with the length first, no two field lists share an
// encoding (unlike a separator, which a field could contain).
void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

}  // namespace

std::string AuditRecordHash(const AuditEntry& entry, const std::string& prev_hash) {
  std::string encoded;
  AppendField(encoded, std::to_string(entry.seq));
  AppendField(encoded, entry.time);
  AppendField(encoded, entry.actor);
  AppendField(encoded, entry.action);
  AppendField(encoded, entry.object);
  AppendField(encoded, entry.detail);
  AppendField(encoded, entry.source_address);
  AppendField(encoded, prev_hash);
  return Sha256Hex(encoded);
}

std::string RequestHistoryHash(const RequestHistoryRow& line) {
  std::string encoded;
  AppendField(encoded, std::to_string(line.seq));
  AppendField(encoded, std::to_string(line.request_id));
  AppendField(encoded, line.time);
  AppendField(encoded, line.actor);
  AppendField(encoded, std::to_string(line.actor_org_id));
  AppendField(encoded, line.action);
  AppendField(encoded, line.from_state);
  AppendField(encoded, line.to_state);
  AppendField(encoded, line.reason);
  AppendField(encoded, line.detail);
  return Sha256Hex(encoded);
}

Result<AuditAnchor> ParseAuditAnchor(std::string_view text) {
  const size_t colon = text.find(':');
  AuditAnchor anchor;
  bool valid = colon != std::string_view::npos && colon > 0 && colon <= 18 && text.size() - colon - 1 == 64;
  for (size_t char_idx = 0; valid && char_idx < colon; ++char_idx) {
    valid = text[char_idx] >= '0' && text[char_idx] <= '9';
    anchor.seq = anchor.seq * 10 + (text[char_idx] - '0');
  }
  for (char c : valid ? text.substr(colon + 1) : std::string_view()) {
    valid = valid && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
  if (!valid || anchor.seq == 0) {
    return Status::Invalid(fmt::format("audit anchor '{}': expected SEQ:HASH, a record number and its "
                                       "64 hex digits as `accord audit verify` prints them",
                                       text));
  }
  anchor.hash = std::string(text.substr(colon + 1));
  return anchor;
}

namespace {
// No family name holds the ASCII unit separator; a JSON string could, and
// such a family is left out of the key rather than split in two.
constexpr char kFamilySeparator = '\x1f';
}  // namespace

std::string AlertFamiliesKey(const std::vector<std::string>& families) {
  std::string key;
  for (const std::string& name : families) {
    if (name.empty() || name.find(kFamilySeparator) != std::string::npos) continue;
    if (key.empty()) key.push_back(kFamilySeparator);
    key += name;
    key.push_back(kFamilySeparator);
  }
  return key;
}

std::string AlertFamiliesKey(const std::string& alert_json) {
  const nlohmann::json alert = nlohmann::json::parse(alert_json, nullptr, false);
  if (!alert.is_object()) return "";
  auto families = alert.find("families");
  if (families == alert.end() || !families->is_array()) return "";
  std::vector<std::string> names;
  for (const nlohmann::json& family : *families) {
    if (family.is_string()) names.push_back(family.get<std::string>());
  }
  return AlertFamiliesKey(names);
}

std::vector<std::string> SplitAlertFamiliesKey(const std::string& key) {
  std::vector<std::string> families;
  size_t start = 1;
  while (start < key.size()) {
    const size_t end = key.find(kFamilySeparator, start);
    if (end == std::string::npos) break;
    if (end > start) families.push_back(key.substr(start, end - start));
    start = end + 1;
  }
  return families;
}

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (options.data_dir.empty()) return Status::Invalid("store: data directory is empty");
  const std::filesystem::path dir(options.data_dir);
  const std::filesystem::path db_path = dir / "accord.db";
  std::error_code error;
  if (!std::filesystem::exists(db_path, error)) {
    if (!options.create) {
      return Status::NotFound("no Accord node at " + db_path.string() +
                              " (create one with `accord init`)");
    }
    const bool made = std::filesystem::create_directories(dir, error);
    if (error) {
      return Status::IoError("creating data directory " + dir.string() + ": " + error.message());
    }
    // A folder made for a new node is its owner's alone: the database holds
    // TLP:RED data, key hashes and victims' personal data, and SQLite
    // creates its files as the umask allows (usually readable by every
    // local user). A folder that was there (a mounted volume) keeps the
    // permissions its operator gave it.
    if (made) {
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace,
                                   error);
      if (error) {
        return Status::IoError("making data directory " + dir.string() + " private: " + error.message());
      }
    }
  }
  ASSIGN_OR_RETURN(auto store,
                   sqlite::SqliteStore::Open(db_path.string(), options.create, std::nullopt,
                                                 options.map_for_reads, options.cache_mib));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace accord
