// libFuzzer target: the 24/7 network's parsers (clock policy JSON, durations,
// request fields JSON, contact channels) and the field checks over what they
// accept. A policy that parses must survive its own round trip.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "requests/request_ops.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace requests = accord::requests;
  if (auto duration = requests::ParseDuration(text); duration.ok()) {
    if (duration->count() < 0) __builtin_trap();
  }
  if (auto policy = requests::ParseClockPolicy(text); policy.ok()) {
    auto again = requests::ParseClockPolicy(requests::ClockPolicyJson(*policy));
    if (!again.ok() || again->ack_urgent != policy->ack_urgent ||
        again->preservation_period != policy->preservation_period) {
      __builtin_trap();
    }
  }
  if (auto fields = requests::ParseFieldsJson(text); fields.ok()) {
    for (requests::RequestType type : requests::AllTypes()) {
      (void)requests::CheckSendable(type, *fields);
      (void)requests::MissingFields(type, *fields);
    }
  }
  (void)requests::ParseChannel(text);
  (void)requests::ValidateTimeZone(text.substr(0, 64));
  return 0;
}
