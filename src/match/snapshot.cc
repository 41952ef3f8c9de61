// The match snapshot's lookups. Hand-written because it is the hot path: a
// lookup is one hash (XXH3) and usually one cache line, and the table is 16
// bytes a slot at a load factor of 0.75 (about 21 bytes an indicator) where
// a map of strings would be ten times that. Building, writing and loading
// are in snapshot_file.cc.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>

#include "misp/misp.h"
#include "match/domain_lower.h"
#include "match/match.h"
#include "match/snapshot_keys.h"

namespace accord::match {

using namespace internal;  // NOLINT: the keys are this module's own

namespace {

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

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Snapshot::Snapshot() : lower_domain_(LowererFor(WidestVectorSet())) {}

Result<const WarningListMatcher*> Snapshot::WarningLists(Store& store) const {
  std::lock_guard<std::mutex> lock(warning_lists_mutex_);
  if (!warning_lists_) {
    ASSIGN_OR_RETURN(std::vector<WarningListRecord> lists, store.LoadWarningLists());
    warning_lists_ = WarningListMatcher::Build(lists);
  }
  return warning_lists_.get();
}

void Snapshot::AdoptWarningLists(std::shared_ptr<const WarningListMatcher> lists) const {
  std::lock_guard<std::mutex> lock(warning_lists_mutex_);
  if (!warning_lists_) warning_lists_ = std::move(lists);
}

bool Snapshot::MayHold(uint64_t key) const {
  const uint64_t mask = FilterMask(key);
  return (filter_[SlotIndex(key, filter_size_)] & mask) == mask;
}

const Slot* Snapshot::Find(uint64_t key, int64_t now_seconds) const {
  return MayHold(key) ? FindInTable(key, now_seconds) : nullptr;
}

const Slot* Snapshot::FindInTable(uint64_t key, int64_t now_seconds) const {
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
  // From the normalizer: any normalized name (at most 253 bytes).
  if (domain.size() > probe.name_.size()) return;
  std::memcpy(probe.name_.data(), domain.data(), domain.size());
  probe.name_size_ = domain.size();
  DotBits dots{};
  for (size_t char_idx = 0; char_idx < domain.size(); ++char_idx) {
    if (domain[char_idx] == '.') dots[char_idx / 64] |= uint64_t{1} << (char_idx % 64);
  }
  PrepareDomainKeys(dots, probe);
}

void Snapshot::PrepareDomainKeys(const DotBits& dots, Probe& probe) const {
  // The name, then each parent: a.b.evil.example, b.evil.example,
  // evil.example, example. Only whole labels, so notevil.example never
  // reaches evil.example. Every key's filter word is prefetched here, so the
  // cache misses of one name's probes overlap instead of following one
  // another (bench/match: the probes were most of a DNS record's cost).
  // Suffixes of a label count no indicator has are skipped (domain_labels_):
  // no hash, no filter word, no probe; the walk ends once no shorter count
  // is left. Where each suffix starts is listed first, which also counts the
  // labels: a popcount of the dot words is a libgcc call or a long bit trick
  // on this build's baseline target, a fifth of preparing a DNS name.
  probe.kind_ = Probe::Kind::kDomain;
  const std::string_view domain = probe.name();
  std::array<uint16_t, 257> starts;  // a 256-byte name has at most 256 dots
  size_t start_count = 0;
  starts[start_count++] = 0;
  for (size_t word_idx = 0; word_idx < dots.size(); ++word_idx) {
    for (uint64_t word = dots[word_idx]; word != 0; word &= word - 1) {
      starts[start_count++] = static_cast<uint16_t>(word_idx * 64 + static_cast<size_t>(std::countr_zero(word)) + 1);
    }
  }
  size_t labels = start_count;
  for (size_t start_idx = 0; start_idx < start_count; ++start_idx, --labels) {
    const size_t start = starts[start_idx];
    if (start >= domain.size() || start > 0xFF || probe.key_count_ >= Probe::kMaxKeys) break;
    const uint64_t bit = DomainLabelBit(labels);
    if ((domain_labels_ & (bit | (bit - 1))) == 0) break;
    if ((domain_labels_ & bit) != 0) {
      AddKey(probe, TextKey(ObservableType::kDomain, domain.substr(start)), static_cast<uint8_t>(start));
    }
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
  probe.filtered_ = false;
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
        DotBits dots;
        if (lower_domain_(value, probe.name_.data(), dots)) {
          probe.name_size_ = value.size();
          PrepareDomainKeys(dots, probe);
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
      if (!address.ok() && value.find_first_of("[({") != std::string_view::npos) {
        // Defanged in free text ("198.51.100[.]23"): refanged as imports are.
        if (Result<Observable> normalized = Normalize(type, value); normalized.ok()) {
          address = ParseIp(normalized->value);
        }
      }
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

void Snapshot::PrefetchSlots(Probe& probe) const {
  if (probe.kind_ == Probe::Kind::kIp) {
    // Finish reads an address's keys by position (the address, then its
    // networks): they stay, and are filtered again there.
    for (size_t key_idx = 0; key_idx < probe.key_count_; ++key_idx) {
      const uint64_t key = probe.keys_[key_idx];
      if (MayHold(key)) __builtin_prefetch(&slots_[SlotIndex(key, slots_size_)]);
    }
    return;
  }
  // A name's or a value's keys the filter refuses (nearly all of them) are
  // dropped here, so Finish does not read the filter a second time (about
  // 3% of a DNS NDJSON record, bench/match).
  size_t kept = 0;
  for (size_t key_idx = 0; key_idx < probe.key_count_; ++key_idx) {
    const uint64_t key = probe.keys_[key_idx];
    if (!MayHold(key)) continue;
    __builtin_prefetch(&slots_[SlotIndex(key, slots_size_)]);
    probe.keys_[kept] = key;
    probe.positions_[kept] = probe.positions_[key_idx];
    ++kept;
  }
  probe.key_count_ = kept;
  probe.filtered_ = true;
}

void Snapshot::Finish(const Probe& probe, int64_t now_seconds, std::vector<SnapshotHit>& hits) const {
  switch (probe.kind_) {
    case Probe::Kind::kNothing: return;
    case Probe::Kind::kDomain:
      for (size_t key_idx = 0; key_idx < probe.key_count_; ++key_idx) {
        const uint64_t key = probe.keys_[key_idx];
        if (const Slot* slot = probe.filtered_ ? FindInTable(key, now_seconds) : Find(key, now_seconds)) {
          AddHit(slot, {ObservableType::kDomain, std::string(probe.name().substr(probe.positions_[key_idx]))},
                 hits);
        }
      }
      return;
    case Probe::Kind::kIp: {
      const IpAddress& address = probe.address_;
      if (const Slot* slot = Find(probe.keys_[0], now_seconds)) {
        AddHit(slot, {address.is_v4 ? ObservableType::kIpv4 : ObservableType::kIpv6, FormatIp(address)},
               hits);
      }
      // Every network that holds the address, longest first: the matcher
      // alerts on the longest its caller may read (another organisation's
      // narrower network, unreadable to the caller, must not hide the
      // caller's own broader one).
      for (size_t key_idx = 1; key_idx < probe.key_count_; ++key_idx) {
        if (const Slot* slot = Find(probe.keys_[key_idx], now_seconds)) {
          const int length = probe.positions_[key_idx];
          AddHit(slot, {ObservableType::kCidr, FormatIp(Masked(address, length)) + "/" + std::to_string(length)},
                 hits);
        }
      }
      return;
    }
    case Probe::Kind::kExact:
      if (probe.key_count_ == 0) return;  // refused by the filter in PrefetchSlots
      if (const Slot* slot =
              probe.filtered_ ? FindInTable(probe.keys_[0], now_seconds) : Find(probe.keys_[0], now_seconds)) {
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

}  // namespace accord::match
