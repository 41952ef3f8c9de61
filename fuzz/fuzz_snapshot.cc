// libFuzzer target: the match snapshot file (Snapshot::Load) and lookups over
// what it accepts. The checksum after the header is recomputed over the
// input first, so the fuzzer reaches the checks behind it (counts, the empty
// slot, entry indexes, link ranges) instead of stopping at the checksum.
#include <unistd.h>
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "match/match.h"

namespace {
constexpr size_t kHeaderBytes = 96;     // FileHeader in src/match/snapshot_file.cc
constexpr size_t kChecksumOffset = 88;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() > kHeaderBytes) {
    const uint64_t checksum = XXH3_64bits(bytes.data() + kHeaderBytes, bytes.size() - kHeaderBytes);
    std::memcpy(bytes.data() + kChecksumOffset, &checksum, sizeof(checksum));
  }
  const std::string path = "/tmp/fuzz_snapshot." + std::to_string(getpid());
  FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) return 0;
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
  std::fclose(out);
  if (!written) return 0;
  auto snapshot = accord::match::Snapshot::Load(path);
  std::remove(path.c_str());
  if (!snapshot.ok()) return 0;
  // Whatever loaded must answer lookups without reading outside itself
  // (ASan) or probing forever.
  std::vector<accord::match::SnapshotHit> hits;
  const struct {
    accord::ObservableType type;
    const char* value;
  } probes[] = {{accord::ObservableType::kDomain, "a.b.evil.example"},
                {accord::ObservableType::kIpv4, "10.1.2.3"},
                {accord::ObservableType::kIpv6, "2001:db8::1"},
                {accord::ObservableType::kUrl, "http://evil.example/x"},
                {accord::ObservableType::kSha256,
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}};
  for (const auto& probe : probes) {
    (*snapshot)->Match(probe.type, probe.value, 1767225600, hits);
  }
  // Every link a hit names must be readable.
  volatile uint64_t sum = 0;
  for (const accord::match::SnapshotHit& hit : hits) {
    for (const accord::match::SnapshotLink& link : hit.links) sum = sum + link.event_id + link.valid_until;
  }
  return 0;
}
