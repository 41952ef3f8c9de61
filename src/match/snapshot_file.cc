// The match snapshot's life outside lookups: built from the store's live
// observables, written to a file (temporary file, rename), memory-mapped
// back and checked (sizes, checksum, the empty slot lookups stop at, entry
// and link ranges) so a damaged or foreign file is refused, never trusted.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "misp/misp.h"
#include "match/match.h"
#include "match/snapshot_keys.h"

namespace accord::match {

using namespace internal;  // NOLINT: the keys are this module's own

namespace {

constexpr char kMagic[8] = {'A', 'C', 'C', 'S', 'N', 'A', 'P', '1'};
// 2: the filter after the slots; 3: check hashes and links after the filter;
// 4: the domain label mask in the header.
constexpr uint32_t kFormatVersion = 5;
constexpr double kLoadFactor = 0.75;

// The file is this header followed by the slots, the filter words, the
// entry arrays (observable ids, check hashes, first links and one more) and
// the links, all little-endian as the machine that wrote them (a snapshot
// is a cache of the store, never moved between machines).
struct FileHeader {
  char magic[8];
  uint32_t version;
  uint32_t header_bytes;
  int64_t generation;
  int64_t built_at_seconds;
  int64_t indicator_count;
  uint64_t slot_count;
  uint64_t v4_prefixes;
  uint64_t v6_prefixes[3];
  uint64_t domain_labels;
  uint64_t link_count;
  uint64_t checksum;  // XXH3 of everything after the header
};

uint64_t FileBytes(uint64_t slot_count, uint64_t entry_count, uint64_t link_count) {
  return sizeof(FileHeader) + slot_count * sizeof(Slot) + FilterWords(slot_count) * sizeof(uint64_t) +
         (3 * entry_count + 1) * sizeof(uint32_t) + link_count * sizeof(SnapshotLink);
}

uint32_t ExpirySeconds(const std::string& expires) {
  if (expires.empty()) return 0;
  Result<TimePoint> time = ParseTimestamp(expires);
  if (!time.ok()) return 0;
  const int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(time->time_since_epoch()).count();
  if (seconds <= 0) return 1;
  if (seconds > 0xFFFFFFFFll) return 0;
  return static_cast<uint32_t>(seconds);
}

}  // namespace

uint64_t ObservableKey(const Observable& observable) {
  switch (observable.type) {
    case ObservableType::kIpv4:
    case ObservableType::kIpv6: {
      Result<IpAddress> address = ParseIp(observable.value);
      if (address.ok()) return AddressKey(*address);
      break;
    }
    case ObservableType::kCidr: {
      Result<IpNetwork> network = ParseIpNetwork(observable.value);
      if (network.ok()) return NetworkKey(network->address, network->prefix_length);
      break;
    }
    default: break;
  }
  return TextKey(observable.type, observable.value);
}

Snapshot::~Snapshot() {
  if (mapping_ != nullptr) munmap(mapping_, mapping_bytes_);
}

Result<std::shared_ptr<const Snapshot>> Snapshot::Build(Store& store, TimePoint now) {
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  // The generation is read before the rows: a write landing in between makes
  // the snapshot look stale (rebuilt once more), never current while missing it.
  ASSIGN_OR_RETURN(snapshot->generation_, store.IndicatorGeneration());
  snapshot->built_at_seconds_ =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // The entry arrays are filled in the store's order; the slots are placed
  // once the count is known. Reserved up front: regrowing them copied each
  // and touched twice the memory, and first touches of memory are costly on
  // virtual machines (bench/match: a fifth of the build).
  ASSIGN_OR_RETURN(const int64_t max_id, store.MaxObservableId());
  const size_t bound = static_cast<size_t>(std::clamp<int64_t>(max_id, 0, 0xFFFFFFFFll));
  std::vector<Slot> entries;
  entries.reserve(bound);
  snapshot->owned_observable_ids_.reserve(bound);
  snapshot->owned_checks_.reserve(bound);
  snapshot->owned_first_links_.reserve(bound + 1);
  snapshot->owned_links_.reserve(bound);
  RETURN_IF_ERROR(store.ForEachLiveObservable(FormatTimestamp(now), [&](const LiveObservable& live) {
    if (live.id <= 0 || live.id > 0xFFFFFFFFll) {
      return Status::ResourceExhausted("match snapshot: observable id " + std::to_string(live.id) +
                                       " does not fit the snapshot's 32-bit ids");
    }
    if (entries.size() >= 0xFFFFFFFEull || snapshot->owned_links_.size() + live.links.size() > 0xFFFFFFFFull) {
      return Status::ResourceExhausted("match snapshot: more than 2^32 indicators or links");
    }
    if (live.observable.type == ObservableType::kCidr) {
      Result<IpNetwork> network = ParseIpNetwork(live.observable.value);
      if (!network.ok()) return Status::Ok();  // cannot happen for a normalized CIDR
      const int length = network->prefix_length;
      if (network->address.is_v4) {
        snapshot->v4_prefixes_ |= uint64_t{1} << length;
      } else {
        snapshot->v6_prefixes_[length / 64] |= uint64_t{1} << (length % 64);
      }
    }
    if (live.observable.type == ObservableType::kDomain) {
      const std::string& name = live.observable.value;
      snapshot->domain_labels_ |= DomainLabelBit(1 + static_cast<size_t>(std::count(name.begin(), name.end(), '.')));
    }
    entries.push_back({ObservableKey(live.observable), static_cast<uint32_t>(entries.size()),
                       ExpirySeconds(live.expires)});
    snapshot->owned_observable_ids_.push_back(static_cast<uint32_t>(live.id));
    snapshot->owned_checks_.push_back(CheckHash(live.observable));
    snapshot->owned_first_links_.push_back(static_cast<uint32_t>(snapshot->owned_links_.size()));
    for (const LiveObservable::Link& link : live.links) {
      if (link.event_id <= 0 || link.event_id > 0xFFFFFFFFll) {
        return Status::ResourceExhausted("match snapshot: event id " + std::to_string(link.event_id) +
                                         " does not fit the snapshot's 32-bit ids");
      }
      snapshot->owned_links_.push_back({static_cast<uint32_t>(link.event_id), ExpirySeconds(link.valid_until)});
    }
    return Status::Ok();
  }));
  snapshot->owned_first_links_.push_back(static_cast<uint32_t>(snapshot->owned_links_.size()));
  snapshot->indicator_count_ = static_cast<int64_t>(entries.size());
  const size_t size =
      std::max<size_t>(16, static_cast<size_t>(static_cast<double>(entries.size()) / kLoadFactor) + 1);
  snapshot->owned_.assign(size, Slot{});
  for (const Slot& entry : entries) {
    size_t index = SlotIndex(entry.key, size);
    while (snapshot->owned_[index].key != 0) index = index + 1 == size ? 0 : index + 1;
    snapshot->owned_[index] = entry;
  }
  snapshot->owned_filter_.assign(FilterWords(size), 0);
  for (const Slot& entry : entries) {
    snapshot->owned_filter_[SlotIndex(entry.key, snapshot->owned_filter_.size())] |= FilterMask(entry.key);
  }
  snapshot->slots_ = snapshot->owned_.data();
  snapshot->slots_size_ = size;
  snapshot->filter_ = snapshot->owned_filter_.data();
  snapshot->filter_size_ = snapshot->owned_filter_.size();
  snapshot->observable_ids_ = snapshot->owned_observable_ids_.data();
  snapshot->checks_ = snapshot->owned_checks_.data();
  snapshot->first_links_ = snapshot->owned_first_links_.data();
  snapshot->links_ = snapshot->owned_links_.data();
  snapshot->link_count_ = snapshot->owned_links_.size();
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

Status Snapshot::Write(const std::string& path) const {
  FileHeader header{};
  std::memcpy(header.magic, kMagic, sizeof(kMagic));
  header.version = kFormatVersion;
  header.header_bytes = sizeof(FileHeader);
  header.generation = generation_;
  header.built_at_seconds = built_at_seconds_;
  header.indicator_count = indicator_count_;
  header.slot_count = slots_size_;
  header.v4_prefixes = v4_prefixes_;
  std::memcpy(header.v6_prefixes, v6_prefixes_, sizeof(v6_prefixes_));
  header.domain_labels = domain_labels_;
  header.link_count = link_count_;
  // The parts as written, in file order.
  const size_t entries = static_cast<size_t>(indicator_count_);
  const std::pair<const void*, size_t> parts[] = {
      {slots_, slots_size_ * sizeof(Slot)},
      {filter_, filter_size_ * sizeof(uint64_t)},
      {observable_ids_, entries * sizeof(uint32_t)},
      {checks_, entries * sizeof(uint32_t)},
      {first_links_, (entries + 1) * sizeof(uint32_t)},
      {links_, link_count_ * sizeof(SnapshotLink)}};
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const auto& [data, size] : parts) XXH3_64bits_update(state, data, size);
  header.checksum = XXH3_64bits_digest(state);
  XXH3_freeState(state);

  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) return Status::IoError(temporary + ": " + std::strerror(errno));
  bool written = std::fwrite(&header, sizeof(header), 1, out) == 1;
  for (const auto& [data, size] : parts) {
    written = written && (size == 0 || std::fwrite(data, 1, size, out) == size);
  }
  written = std::fflush(out) == 0 && written;
  written = fsync(fileno(out)) == 0 && written;
  written = std::fclose(out) == 0 && written;
  if (!written) {
    std::remove(temporary.c_str());
    return Status::IoError(temporary + ": cannot write the match snapshot");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Status::IoError(path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::shared_ptr<const Snapshot>> Snapshot::Load(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no match snapshot");
    return Status::IoError(path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    close(fd);
    return Status::IoError(path + ": " + std::strerror(errno));
  }
  const size_t bytes = static_cast<size_t>(info.st_size);
  if (bytes < sizeof(FileHeader)) {
    close(fd);
    return Status::Corruption(path + ": too short for a match snapshot");
  }
  void* mapping = mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  if (mapping == MAP_FAILED) return Status::IoError(path + ": mmap: " + std::strerror(errno));
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->mapping_ = mapping;
  snapshot->mapping_bytes_ = bytes;
  FileHeader header{};
  std::memcpy(&header, mapping, sizeof(header));
  if (std::memcmp(header.magic, kMagic, sizeof(kMagic)) != 0) {
    return Status::Corruption(path + ": not a match snapshot (bad magic)");
  }
  if (header.version != kFormatVersion || header.header_bytes != sizeof(FileHeader)) {
    return Status::Corruption(path + ": match snapshot format " + std::to_string(header.version) +
                              " is not " + std::to_string(kFormatVersion));
  }
  // Counts bounded by the file's size first, so FileBytes cannot overflow.
  if (header.slot_count == 0 || header.slot_count > bytes / sizeof(Slot) || header.indicator_count < 0 ||
      static_cast<uint64_t>(header.indicator_count) >= header.slot_count ||
      header.link_count > bytes / sizeof(SnapshotLink) ||
      FileBytes(header.slot_count, static_cast<uint64_t>(header.indicator_count), header.link_count) != bytes) {
    return Status::Corruption(path + ": match snapshot is truncated, has trailing bytes or its counts disagree");
  }
  const uint64_t entry_count = static_cast<uint64_t>(header.indicator_count);
  const Slot* slots =
      reinterpret_cast<const Slot*>(static_cast<const char*>(mapping) + sizeof(FileHeader));
  const uint64_t* filter = reinterpret_cast<const uint64_t*>(slots + header.slot_count);
  const uint32_t* observable_ids = reinterpret_cast<const uint32_t*>(filter + FilterWords(header.slot_count));
  const uint32_t* checks = observable_ids + entry_count;
  const uint32_t* first_links = checks + entry_count;
  const SnapshotLink* links = reinterpret_cast<const SnapshotLink*>(first_links + entry_count + 1);
  if (XXH3_64bits(slots, bytes - sizeof(FileHeader)) != header.checksum) {
    return Status::Corruption(path + ": match snapshot checksum mismatch");
  }
  // Find stops at the first empty slot; a table without one (a file made by
  // something else, with a valid checksum) would make a miss loop forever.
  // And every used slot must name an entry there is.
  bool has_empty_slot = false;
  bool entries_ok = true;
  for (uint64_t slot_idx = 0; slot_idx < header.slot_count; ++slot_idx) {
    has_empty_slot = has_empty_slot || slots[slot_idx].key == 0;
    entries_ok = entries_ok && (slots[slot_idx].key == 0 || slots[slot_idx].entry < entry_count);
  }
  if (!has_empty_slot) return Status::Corruption(path + ": match snapshot table is full");
  if (!entries_ok) return Status::Corruption(path + ": match snapshot slot names no entry");
  // Every entry's links must lie inside the links: ranges that only grow,
  // from 0 to the count.
  bool ranges_ok = first_links[0] == 0 && first_links[entry_count] == header.link_count;
  for (uint64_t entry_idx = 0; entry_idx < entry_count && ranges_ok; ++entry_idx) {
    ranges_ok = first_links[entry_idx] <= first_links[entry_idx + 1];
  }
  if (!ranges_ok) return Status::Corruption(path + ": match snapshot link ranges are out of order");
  snapshot->generation_ = header.generation;
  snapshot->built_at_seconds_ = header.built_at_seconds;
  snapshot->indicator_count_ = header.indicator_count;
  snapshot->v4_prefixes_ = header.v4_prefixes;
  std::memcpy(snapshot->v6_prefixes_, header.v6_prefixes, sizeof(header.v6_prefixes));
  snapshot->domain_labels_ = header.domain_labels;
  snapshot->slots_ = slots;
  snapshot->slots_size_ = header.slot_count;
  snapshot->filter_ = filter;
  snapshot->filter_size_ = FilterWords(header.slot_count);
  snapshot->observable_ids_ = observable_ids;
  snapshot->checks_ = checks;
  snapshot->first_links_ = first_links;
  snapshot->links_ = links;
  snapshot->link_count_ = header.link_count;
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

Result<bool> LiveSnapshot::Refresh(Store& store, TimePoint now) {
  std::unique_lock<std::mutex> lock(refresh_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return false;
  ASSIGN_OR_RETURN(int64_t generation, store.IndicatorGeneration());
  std::shared_ptr<const Snapshot> current = Get();
  if (current && current->generation() == generation) return false;
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> next, Snapshot::Build(store, now));
  Set(std::move(next));
  return true;
}

Result<std::shared_ptr<const Snapshot>> OpenSnapshot(Store& store, const std::string& data_dir,
                                                     TimePoint now) {
  const std::string path = (std::filesystem::path(data_dir) / "match.snapshot").string();
  ASSIGN_OR_RETURN(int64_t generation, store.IndicatorGeneration());
  Result<std::shared_ptr<const Snapshot>> loaded = Snapshot::Load(path);
  if (loaded.ok() && (*loaded)->generation() == generation) return loaded;
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> built, Snapshot::Build(store, now));
  // A snapshot that cannot be saved still matches; the next run rebuilds.
  (void)built->Write(path);
  return built;
}

}  // namespace accord::match
