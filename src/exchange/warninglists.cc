#include <fmt/format.h>

#include "exchange/exchange.h"
#include "misp/misp.h"

namespace accord {

Result<WarningListReport> AddWarningList(Store& store, const std::string& path,
                                         const std::string& actor) {
  ASSIGN_OR_RETURN(auto in, OpenInput(path));
  auto parsed = ParseWarningList(*in);
  if (!parsed.ok()) return parsed.status().WithContext(path);
  WarningListRecord list = std::move(parsed).value();
  WarningListReport report;
  report.name = list.name;
  report.entries = static_cast<int64_t>(list.entries.size());
  ASSIGN_OR_RETURN(int64_t list_id, store.PutWarningList(list));
  (void)list_id;

  // Values already stored are flagged too, so nothing on the list stays live.
  auto matcher = WarningListMatcher::Build({list});
  for (int type_idx = 1; type_idx <= kObservableTypeCount; ++type_idx) {
    std::vector<int64_t> hits;
    RETURN_IF_ERROR(store.ForEachObservable(
        static_cast<ObservableType>(type_idx), [&](int64_t id, const Observable& observable) {
          if (matcher->Match(observable)) hits.push_back(id);
          return Status::Ok();
        }));
    for (int64_t id : hits) {
      RETURN_IF_ERROR(store.SetObservableWarningList(id, list.name));
      ++report.flagged;
    }
  }
  AuditEntry audit;
  audit.actor = actor;
  audit.action = "warninglist.add";
  audit.object = list.name;
  audit.source_address = "local";
  audit.detail = fmt::format(R"({{"entries":{},"flagged":{}}})", report.entries, report.flagged);
  RETURN_IF_ERROR(store.AppendAudit(audit));
  return report;
}

}  // namespace accord
