// The node's request clock policy: read from meta, and set by the node's
// admin with an audit record (`accord request clocks`, PUT
// /api/v1/requests/clocks).
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "requests/request_ops.h"

namespace accord::requests {
namespace {

constexpr std::string_view kClockPolicyKey = "requests.clock_policy";

}  // namespace

Result<ClockPolicy> LoadClockPolicy(Store& store) {
  ASSIGN_OR_RETURN(auto stored, store.GetMeta(std::string(kClockPolicyKey)));
  if (!stored) return ClockPolicy{};
  auto policy = ParseClockPolicy(*stored);
  if (!policy.ok()) return policy.status().WithContext("stored clock policy");
  return policy;
}

Status SaveClockPolicy(Store& store, const Actor& actor, const ClockPolicy& policy,
                       const Clock& clock) {
  ASSIGN_OR_RETURN(const Principal reader, AsRequestReader(store, actor.principal));
  if (reader.role != Role::kAdmin) {
    return Status::PermissionDenied(
        "only an admin of the node's operator organisation sets the node's request clocks");
  }
  // Checked here, not in ParseClockPolicy, so a policy stored before this
  // check still loads. A lead as long as the period would remind before the
  // preservation began: a typo (100d for 10d), never a plan.
  for (std::chrono::seconds lead : policy.reminders) {
    if (lead >= policy.preservation_period) {
      return Status::Invalid("reminders: " + FormatDuration(lead) + " is not shorter than the preservation period (" +
                             FormatDuration(policy.preservation_period) +
                             "): the reminder would come before the data is preserved");
    }
  }
  const std::string json = ClockPolicyJson(policy);
  ASSIGN_OR_RETURN(std::unique_ptr<ImportBatch> batch, store.BeginImport());
  RETURN_IF_ERROR(store.SetMeta(std::string(kClockPolicyKey), json));
  RETURN_IF_ERROR(batch->AppendAudit(AuditOf(actor, clock.Now(), "request.clocks.set",
                                               "clock policy", nlohmann::json::parse(json))));
  return batch->Commit();
}

}  // namespace accord::requests
