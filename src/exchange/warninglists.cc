#include <fmt/format.h>

#include <map>
#include <memory>

#include "exchange/exchange.h"
#include "misp/misp.h"

namespace accord {

Result<WarningListReport> ApplyWarningList(Store& store, const WarningListRecord& list,
                                           const AuditEntry& audit) {
  // The marks are recomputed against every loaded list with this one in
  // place of its namesake: a value the new version no longer holds loses its
  // mark (or takes another list's), and a value it adds is flagged.
  ASSIGN_OR_RETURN(std::vector<WarningListRecord> lists, store.LoadWarningLists());
  bool replaced = false;
  for (WarningListRecord& loaded : lists) {
    if (loaded.name == list.name) {
      loaded = list;
      replaced = true;
    }
  }
  if (!replaced) lists.push_back(list);
  std::map<std::string, std::unique_ptr<WarningListMatcher>, std::less<>> by_name;
  for (const WarningListRecord& loaded : lists) {
    by_name.emplace(loaded.name, WarningListMatcher::Build({loaded}));
  }
  auto any_list = WarningListMatcher::Build(lists);
  auto mark_for = [&](const Observable& observable, const std::string& current) -> std::string {
    // A value keeps the list it was flagged by while that list still holds
    // it, so loading an unrelated list rewrites nothing.
    if (auto it = by_name.find(current); it != by_name.end() && it->second->Match(observable)) {
      return current;
    }
    return any_list->Match(observable).value_or("");
  };
  WarningListReport report;
  report.name = list.name;
  report.entries = static_cast<int64_t>(list.entries.size());
  auto audit_for = [&](const Store::WarningListChanges& changes) {
    AuditEntry record = audit;
    record.action = "warninglist.add";
    record.object = list.name;
    record.detail = fmt::format(R"({{"entries":{},"flagged":{},"cleared":{}}})", report.entries,
                                changes.flagged, changes.cleared);
    return record;
  };
  ASSIGN_OR_RETURN(Store::WarningListChanges changes,
                   store.ReplaceWarningList(list, mark_for, audit_for));
  report.flagged = changes.flagged;
  report.cleared = changes.cleared;
  return report;
}

Result<WarningListReport> AddWarningList(Store& store, const std::string& path,
                                         const std::string& actor) {
  ASSIGN_OR_RETURN(auto in, OpenInput(path));
  auto parsed = ParseWarningList(*in);  // its errors name the file already
  if (!parsed.ok()) return parsed.status();
  AuditEntry audit;
  audit.actor = actor;
  audit.source_address = "local";
  return ApplyWarningList(store, *parsed, audit);
}

}  // namespace accord
