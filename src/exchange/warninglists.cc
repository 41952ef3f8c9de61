// Loading and removing MISP warning lists. Either way every stored
// observable's mark is recomputed against the lists loaded afterwards, in
// the same transaction as the change and its audit record.
#include <fmt/format.h>

#include <map>
#include <memory>

#include "exchange/exchange.h"
#include "misp/misp.h"

namespace accord {
namespace {

// What mark a stored observable should carry given `lists`: a value keeps
// the list it was flagged by while that list still holds it, so loading an
// unrelated list rewrites nothing; otherwise the first list holding it.
class WarningListMarks {
 public:
  explicit WarningListMarks(const std::vector<WarningListRecord>& lists)
      : any_list_(WarningListMatcher::Build(lists)) {
    for (const WarningListRecord& list : lists) {
      by_name_.emplace(list.name, WarningListMatcher::Build({list}));
    }
  }

  std::string operator()(const Observable& observable, const std::string& current) const {
    if (auto it = by_name_.find(current); it != by_name_.end() && it->second->Match(observable)) {
      return current;
    }
    return any_list_->Match(observable).value_or("");
  }

 private:
  std::unique_ptr<WarningListMatcher> any_list_;
  std::map<std::string, std::unique_ptr<WarningListMatcher>, std::less<>> by_name_;
};

std::function<AuditEntry(const Store::WarningListChanges&)> AuditFor(const AuditEntry& audit,
                                                                     std::string action,
                                                                     const std::string& name,
                                                                     int64_t entries) {
  return [audit, action = std::move(action), name, entries](const Store::WarningListChanges& c) {
    AuditEntry record = audit;
    record.action = action;
    record.object = name;
    record.detail = entries < 0 ? fmt::format(R"({{"flagged":{},"cleared":{}}})", c.flagged, c.cleared)
                                : fmt::format(R"({{"entries":{},"flagged":{},"cleared":{}}})", entries,
                                              c.flagged, c.cleared);
    return record;
  };
}

}  // namespace

Result<WarningListReport> ApplyWarningList(Store& store, const WarningListRecord& list,
                                           const AuditEntry& audit) {
  ASSIGN_OR_RETURN(std::vector<WarningListRecord> lists, store.LoadWarningLists());
  bool replaced = false;
  for (WarningListRecord& loaded : lists) {
    if (loaded.name == list.name) {
      // MISP updates a list only to a higher version; an older file loaded
      // by mistake would silently undo the newer list's entries.
      if (list.version < loaded.version) {
        return Status::FailedPrecondition(fmt::format(
            "warning list '{}': version {} is older than the loaded version {} (remove the "
            "loaded list first to go back to an older one)",
            list.name, list.version, loaded.version));
      }
      loaded = list;
      replaced = true;
    }
  }
  if (!replaced) lists.push_back(list);
  const WarningListMarks marks(lists);
  WarningListReport report;
  report.name = list.name;
  report.entries = static_cast<int64_t>(list.entries.size());
  ASSIGN_OR_RETURN(Store::WarningListChanges changes,
                   store.ReplaceWarningList(list, std::cref(marks),
                                            AuditFor(audit, "warninglist.add", list.name, report.entries)));
  report.flagged = changes.flagged;
  report.cleared = changes.cleared;
  report.problems = WarningListProblems(list);
  return report;
}

Result<WarningListReport> RemoveWarningList(Store& store, const std::string& name,
                                            const AuditEntry& audit) {
  ASSIGN_OR_RETURN(std::vector<WarningListRecord> lists, store.LoadWarningLists());
  std::erase_if(lists, [&](const WarningListRecord& list) { return list.name == name; });
  const WarningListMarks marks(lists);
  ASSIGN_OR_RETURN(Store::WarningListChanges changes,
                   store.RemoveWarningList(name, std::cref(marks),
                                           AuditFor(audit, "warninglist.remove", name, -1)));
  WarningListReport report;
  report.name = name;
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
  auto report = ApplyWarningList(store, *parsed, audit);
  if (!report.ok()) return report.status().WithContext(path);
  return report;
}

Result<std::shared_ptr<const WarningListMatcher>> WarningListCache::Get(Store& store) {
  std::lock_guard lock(mutex_);
  // The generation is read before the lists: a list stored in between makes
  // the next call build again, never a stale matcher look current.
  ASSIGN_OR_RETURN(int64_t generation, store.WarningListGeneration());
  if (matcher_ == nullptr || generation != generation_) {
    ASSIGN_OR_RETURN(std::vector<WarningListRecord> lists, store.LoadWarningLists());
    matcher_ = WarningListMatcher::Build(lists);
    generation_ = generation;
  }
  return matcher_;
}

}  // namespace accord
