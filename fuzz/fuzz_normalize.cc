// libFuzzer target for observable normalization (src/core/observable.h).
//
// Feeds the input to DetectAndNormalize and to Normalize for every type and
// checks the promises of docs/NORMALIZATION.md: nothing crashes, every
// success is a fixed point (normalizing the output again gives the same
// observable), stored values stay within 8 KiB, Refang is idempotent, and
// a URL IsNormalUrl accepts normalizes to itself (or is rejected), since the
// matcher looks such URLs up without normalizing them.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/observable.h"

namespace {

void Fail(const char* what, std::string_view input, const accord::Observable& out) {
  std::fprintf(stderr, "%s\ninput: '%.*s'\noutput: %.*s '%s'\n", what,
               static_cast<int>(input.size()), input.data(),
               static_cast<int>(accord::TypeName(out.type).size()),
               accord::TypeName(out.type).data(), out.value.c_str());
  std::abort();
}

void CheckFixedPoint(std::string_view input, const accord::Result<accord::Observable>& out) {
  if (!out.ok()) return;
  if (out->value.empty()) Fail("empty normalized value", input, *out);
  if (out->value.size() > 8192) Fail("normalized value over 8 KiB", input, *out);
  accord::Result<accord::Observable> again = accord::Normalize(out->type, out->value);
  if (!again.ok()) Fail("normalized value is rejected when normalized again", input, *out);
  if (!(*again == *out)) Fail("normalization is not idempotent", input, *out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  std::string refanged = accord::Refang(input);
  if (accord::Refang(refanged) != refanged) {
    std::fprintf(stderr, "Refang is not idempotent on '%.*s'\n", static_cast<int>(size),
                 input.data());
    std::abort();
  }

  CheckFixedPoint(input, accord::DetectAndNormalize(input));
  if (accord::IsNormalUrl(input)) {
    accord::Result<accord::Observable> url = accord::Normalize(accord::ObservableType::kUrl, input);
    if (url.ok() && url->value != input) {
      Fail("IsNormalUrl accepted a URL the normalizer rewrites", input, *url);
    }
  }
  for (int type_number = 1; type_number <= accord::kObservableTypeCount; ++type_number) {
    auto type = static_cast<accord::ObservableType>(type_number);
    CheckFixedPoint(input, accord::Normalize(type, input));
  }
  return 0;
}
