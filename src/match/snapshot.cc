// The match snapshot. Hand-written because it is the hot path: a lookup is
// one hash (XXH3, from libxxhash) and usually one cache line, and the table
// is 16 bytes a slot at a load factor of 0.75 (about 21 bytes an indicator)
// where a map of strings would be ten times that.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
// Inlined (the header carries the implementation): a DNS name is hashed
// once per label, and the calls into the shared library were a visible part
// of a lookup. Same algorithm, so the same keys as the library's.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "match/match.h"

namespace accord::match {
namespace {

constexpr char kMagic[8] = {'A', 'C', 'C', 'S', 'N', 'A', 'P', '1'};
// 2: the filter after the slots; 3: check hashes and links after the filter.
constexpr uint32_t kFormatVersion = 3;
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
  uint64_t link_count;
  uint64_t checksum;  // XXH3 of everything after the header
};

uint64_t FileBytes(uint64_t slot_count, uint64_t entry_count, uint64_t link_count);

// The filter in front of the table: one bit-triple in one 64-bit word per
// key (a blocked Bloom filter), 8 bits a slot, about 11 an indicator, so 1 M
// indicators take 1.3 MB and stay in cache while the 21 MB table does not.
// Most telemetry misses every indicator, and each miss (every parent of a
// domain, every CIDR length for an address) used to cost a memory access
// into the table; bench/match showed those accesses as most of a lookup.
size_t FilterWords(size_t slot_count) { return std::max<size_t>(1, (slot_count + 7) / 8); }

uint64_t FileBytes(uint64_t slot_count, uint64_t entry_count, uint64_t link_count) {
  return sizeof(FileHeader) + slot_count * sizeof(Slot) + FilterWords(slot_count) * sizeof(uint64_t) +
         (3 * entry_count + 1) * sizeof(uint32_t) + link_count * sizeof(SnapshotLink);
}

uint64_t FilterMask(uint64_t key) {
  return (uint64_t{1} << (key & 63)) | (uint64_t{1} << ((key >> 6) & 63)) |
         (uint64_t{1} << ((key >> 12) & 63));
}

// Seeds keep the types apart: the same bytes as a domain and as a URL are
// different keys. CIDRs get one seed per family and prefix length.
constexpr uint64_t kIpv4Seed = 0x1001;
constexpr uint64_t kIpv6Seed = 0x1002;
uint64_t NetworkSeed(bool is_v4, int prefix_length) {
  return (is_v4 ? 0x4000u : 0x6000u) + static_cast<uint64_t>(prefix_length);
}

uint64_t NonZero(uint64_t key) { return key == 0 ? 1 : key; }

// The check hash beside each slot: XXH3 of the normalized value's text with
// a seed no key uses, so it is independent of the 64-bit key. A hit whose
// value only collides with an indicator's key (odds about N / 2^64 a
// lookup) fails it but for odds of 2^-32 more; that is what the store's copy
// of the value was read for, at a few random page reads a hit.
constexpr uint64_t kCheckSeed = 0x9E3779B97F4A7C15ULL;
uint32_t CheckHash(const Observable& observable) {
  return static_cast<uint32_t>(XXH3_64bits_withSeed(observable.value.data(), observable.value.size(),
                                                    kCheckSeed ^ static_cast<uint64_t>(observable.type)));
}

uint64_t TextKey(ObservableType type, std::string_view value) {
  return NonZero(XXH3_64bits_withSeed(value.data(), value.size(), static_cast<uint64_t>(type)));
}

uint64_t AddressKey(const IpAddress& address) {
  return NonZero(address.is_v4 ? XXH3_64bits_withSeed(address.bytes.data(), 4, kIpv4Seed)
                               : XXH3_64bits_withSeed(address.bytes.data(), 16, kIpv6Seed));
}

uint64_t NetworkKey(const IpAddress& masked, int prefix_length) {
  return NonZero(XXH3_64bits_withSeed(masked.bytes.data(), masked.is_v4 ? 4 : 16,
                                      NetworkSeed(masked.is_v4, prefix_length)));
}

// Lemire's multiply-shift: a slot index in [0, size) without a division.
size_t SlotIndex(uint64_t key, size_t size) {
  __extension__ using Wide = unsigned __int128;  // GCC and clang; -Wpedantic wants the marker
  return static_cast<size_t>((static_cast<Wide>(key) * size) >> 64);
}

IpAddress Masked(const IpAddress& address, int prefix_length) {
  IpAddress masked = address;
  const int bits = address.is_v4 ? 32 : 128;
  for (int byte = prefix_length / 8; byte < bits / 8; ++byte) {
    const int keep = std::max(0, prefix_length - byte * 8);
    masked.bytes[byte] &= keep >= 8 ? 0xFF : static_cast<uint8_t>(0xFF00u >> keep);
  }
  return masked;
}

// Lower-case hex digit for each byte, 0 for anything else. A table, not
// comparisons: hash digits are random, so per-character branches mispredict
// about half the time (bench/match measured it as half of a hash lookup).
constexpr std::array<char, 256> kLowerHex = [] {
  std::array<char, 256> table{};
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = c;
  for (char c = 'a'; c <= 'f'; ++c) {
    table[static_cast<unsigned char>(c)] = c;
    table[static_cast<unsigned char>(c - 32)] = c;
  }
  return table;
}();

// What the domain fast path keeps of each byte: letters lower-cased,
// digits, '-', '.' and '_' as they are; 0 for anything that needs the full
// normalizer. A table: per-character comparisons were most of a DNS name's
// preparation.
constexpr std::array<char, 256> kPlainDomainChar = [] {
  std::array<char, 256> table{};
  for (char c = 'a'; c <= 'z'; ++c) {
    table[static_cast<unsigned char>(c)] = c;
    table[static_cast<unsigned char>(c - 32)] = c;
  }
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = c;
  for (char c : {'-', '.', '_'}) table[static_cast<unsigned char>(c)] = c;
  return table;
}();

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
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

bool Snapshot::MayHold(uint64_t key) const {
  const uint64_t mask = FilterMask(key);
  return (filter_[SlotIndex(key, filter_size_)] & mask) == mask;
}

const Slot* Snapshot::Find(uint64_t key, int64_t now_seconds) const {
  if (!MayHold(key)) return nullptr;
  size_t index = SlotIndex(key, slots_size_);
  // The table is never full (load factor 0.75), so an empty slot ends the probe.
  while (true) {
    const Slot& slot = slots_[index];
    if (slot.key == 0) return nullptr;
    if (slot.key == key && (slot.expires == 0 || slot.expires > now_seconds)) return &slot;
    index = index + 1 == slots_size_ ? 0 : index + 1;
  }
}

bool Snapshot::AddHit(const Slot* slot, Observable matched, std::vector<SnapshotHit>& hits) const {
  const uint32_t entry = slot->entry;
  if (checks_[entry] != CheckHash(matched)) return false;  // only the 64-bit key collided
  hits.push_back({observable_ids_[entry], std::move(matched),
                  {links_ + first_links_[entry], links_ + first_links_[entry + 1]}});
  return true;
}

void Snapshot::AddKey(Probe& probe, uint64_t key, uint8_t position) const {
  probe.keys_[probe.key_count_] = key;
  probe.positions_[probe.key_count_] = position;
  ++probe.key_count_;
  __builtin_prefetch(&filter_[SlotIndex(key, filter_size_)]);
}

void Snapshot::PrepareDomain(std::string_view domain, Probe& probe) const {
  // The name, then each parent: a.b.evil.example, b.evil.example,
  // evil.example, example. Only whole labels, so notevil.example never
  // reaches evil.example. Every key's filter word is prefetched here, so the
  // cache misses of one name's probes overlap instead of following one
  // another (bench/match: the probes were most of a DNS record's cost).
  // `domain` may be probe.value_ itself (the fast path writes it there).
  probe.kind_ = Probe::Kind::kDomain;
  if (domain.data() != probe.value_.data()) probe.value_.assign(domain);
  domain = probe.value_;
  size_t start = 0;
  while (start < domain.size() && probe.key_count_ < Probe::kMaxKeys && start <= 0xFF) {
    AddKey(probe, TextKey(ObservableType::kDomain, domain.substr(start)), static_cast<uint8_t>(start));
    const size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
}

void Snapshot::PrepareIp(const IpAddress& address, Probe& probe) const {
  // The address, then every network length the snapshot holds, longest
  // prefix first.
  probe.kind_ = Probe::Kind::kIp;
  probe.address_ = address;
  const int bits = address.is_v4 ? 32 : 128;
  AddKey(probe, AddressKey(address), static_cast<uint8_t>(bits));
  for (int length = bits; length >= 0; --length) {
    const bool present = address.is_v4
                             ? (length < 64 && ((v4_prefixes_ >> length) & 1) != 0)
                             : ((v6_prefixes_[length / 64] >> (length % 64)) & 1) != 0;
    if (present) AddKey(probe, NetworkKey(Masked(address, length), length), static_cast<uint8_t>(length));
  }
}

void Snapshot::PrepareExact(ObservableType type, std::string_view value, Probe& probe) const {
  probe.kind_ = Probe::Kind::kExact;
  probe.type_ = type;
  probe.value_.assign(value);
  AddKey(probe, TextKey(type, value), 0);
}

void Snapshot::Prepare(ObservableType type, std::string_view value, Probe& probe) const {
  probe.kind_ = Probe::Kind::kNothing;
  probe.key_count_ = 0;
  value = Trim(value);
  if (value.empty() || slots_size_ == 0) return;
  if (type == ObservableType::kUrl && IsNormalUrl(value)) {
    // Already in stored form: the normalizer's parse and copies were a
    // quarter of a proxy log's match time (bench/match, free text).
    PrepareExact(ObservableType::kUrl, value, probe);
    return;
  }
  switch (type) {
    case ObservableType::kDomain: {
      // Fast path for what DNS logs hold: ASCII names, any case, maybe a
      // trailing dot. Anything else goes through the import normalizer.
      if (value.back() == '.') value.remove_suffix(1);
      if (!value.empty() && value.size() <= 255) {
        std::string& name = probe.value_;
        name.resize(value.size());  // no allocation once grown
        char all_plain = 1;
        for (size_t char_idx = 0; char_idx < value.size(); ++char_idx) {
          const char c = kPlainDomainChar[static_cast<unsigned char>(value[char_idx])];
          name[char_idx] = c;
          all_plain = static_cast<char>(all_plain & (c != 0));
        }
        if (all_plain) {
          PrepareDomain(name, probe);
          return;
        }
      }
      Result<Observable> normalized = Normalize(ObservableType::kDomain, value);
      if (normalized.ok() && normalized->type == ObservableType::kDomain) {
        PrepareDomain(normalized->value, probe);
      }
      return;
    }
    case ObservableType::kIpv4:
    case ObservableType::kIpv6: {
      Result<IpAddress> address = ParseIp(value);
      if (address.ok()) PrepareIp(*address, probe);
      return;
    }
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256: {
      const size_t expected = type == ObservableType::kMd5 ? 32 : type == ObservableType::kSha1 ? 40 : 64;
      if (value.size() != expected) return;
      char buffer[64];
      char all_hex = 1;
      for (size_t char_idx = 0; char_idx < value.size(); ++char_idx) {
        const char digit = kLowerHex[static_cast<unsigned char>(value[char_idx])];
        buffer[char_idx] = digit;
        all_hex = static_cast<char>(all_hex & (digit != 0));
      }
      if (all_hex) PrepareExact(type, std::string_view(buffer, value.size()), probe);
      return;
    }
    default: {
      Result<Observable> normalized = Normalize(type, value);
      if (!normalized.ok()) return;
      switch (normalized->type) {
        case ObservableType::kIpv4:
        case ObservableType::kIpv6: {
          Result<IpAddress> address = ParseIp(normalized->value);
          if (address.ok()) PrepareIp(*address, probe);
          return;
        }
        case ObservableType::kDomain: PrepareDomain(normalized->value, probe); return;
        case ObservableType::kCidr: {
          // Stored under its network key, not the text's (ObservableKey).
          probe.kind_ = Probe::Kind::kExact;
          probe.type_ = normalized->type;
          probe.value_ = normalized->value;
          AddKey(probe, ObservableKey(*normalized), 0);
          return;
        }
        default: PrepareExact(normalized->type, normalized->value, probe); return;
      }
    }
  }
}

void Snapshot::PrefetchSlots(const Probe& probe) const {
  for (size_t key_idx = 0; key_idx < probe.key_count_; ++key_idx) {
    const uint64_t key = probe.keys_[key_idx];
    if (MayHold(key)) __builtin_prefetch(&slots_[SlotIndex(key, slots_size_)]);
  }
}

void Snapshot::Finish(const Probe& probe, int64_t now_seconds, std::vector<SnapshotHit>& hits) const {
  switch (probe.kind_) {
    case Probe::Kind::kNothing: return;
    case Probe::Kind::kDomain:
      for (size_t key_idx = 0; key_idx < probe.key_count_; ++key_idx) {
        if (const Slot* slot = Find(probe.keys_[key_idx], now_seconds)) {
          AddHit(slot, {ObservableType::kDomain, probe.value_.substr(probe.positions_[key_idx])}, hits);
        }
      }
      return;
    case Probe::Kind::kIp: {
      const IpAddress& address = probe.address_;
      if (const Slot* slot = Find(probe.keys_[0], now_seconds)) {
        AddHit(slot, {address.is_v4 ? ObservableType::kIpv4 : ObservableType::kIpv6, FormatIp(address)},
               hits);
      }
      // The first (longest) network that holds the address wins.
      for (size_t key_idx = 1; key_idx < probe.key_count_; ++key_idx) {
        if (const Slot* slot = Find(probe.keys_[key_idx], now_seconds)) {
          const int length = probe.positions_[key_idx];
          if (AddHit(slot,
                     {ObservableType::kCidr, FormatIp(Masked(address, length)) + "/" + std::to_string(length)},
                     hits)) {
            return;
          }
        }
      }
      return;
    }
    case Probe::Kind::kExact:
      if (const Slot* slot = Find(probe.keys_[0], now_seconds)) {
        AddHit(slot, {probe.type_, probe.value_}, hits);
      }
      return;
  }
}

void Snapshot::Match(ObservableType type, std::string_view value, int64_t now_seconds,
                     std::vector<SnapshotHit>& hits) const {
  Probe probe;
  Prepare(type, value, probe);
  Finish(probe, now_seconds, hits);
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
