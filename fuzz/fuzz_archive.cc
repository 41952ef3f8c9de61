// libFuzzer target: the input layer every import and match goes through on
// untrusted bytes (a request body, an uploaded file): gzip/zstd/zip-of-one
// detection and decompression, and the walk over an archive of several
// files. Whatever the bytes, a read ends in text or an error, never a crash,
// and never more text than the budget allows.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/io.h"

namespace {

constexpr size_t kBudget = 1 << 20;  // a zip bomb must stop here, not exhaust memory

void ReadBounded(accord::InputStream& in) {
  auto text = accord::ReadAll(in, kBudget);
  if (text.ok() && text->size() > kBudget) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  if (accord::IsArchiveOfFilesInMemory(bytes)) {
    int64_t members = 0;
    auto walked = accord::ForEachArchiveMemberInMemory(bytes, "fuzz", [&](accord::InputStream& member) {
      ++members;
      // Members are named under the archive's name.
      if (!std::string_view(member.name()).starts_with("fuzz/")) __builtin_trap();
      ReadBounded(member);
      return accord::Status::Ok();
    });
    if (walked.ok() && *walked != members) __builtin_trap();
    return 0;
  }
  auto in = accord::OpenInputFromMemory("fuzz", bytes);
  if (in.ok()) ReadBounded(**in);
  return 0;
}
