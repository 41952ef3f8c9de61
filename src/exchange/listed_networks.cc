// Live networks less the addresses warning lists hold, for the sensor
// exports (sensor_export.h). The matcher never alerts on a listed address
// under a live network (8.8.8.8 under 8.8.8.0/24); a Zeek or Suricata
// sensor matches the network it is given, so the listed part is cut out of
// it here, as CIDRs that cover the rest.
#include <algorithm>

#include "core/ip.h"
#include "exchange/sensor_export.h"

namespace accord::exchange_internal {
namespace {

int Bits(const IpAddress& address) { return address.is_v4 ? 32 : 128; }

bool BitSet(const IpAddress& address, int bit) { return ((address.bytes[bit / 8] >> (7 - bit % 8)) & 1) != 0; }

// Whether `outer` holds all of `inner`.
bool Covers(const IpNetwork& outer, const IpNetwork& inner) {
  if (outer.address.is_v4 != inner.address.is_v4 || outer.prefix_length > inner.prefix_length) return false;
  for (int bit = 0; bit < outer.prefix_length; ++bit) {
    if (BitSet(outer.address, bit) != BitSet(inner.address, bit)) return false;
  }
  return true;
}

std::string NetworkText(const IpNetwork& network) {
  return FormatIp(network.address) + "/" + std::to_string(network.prefix_length);
}

// `network` less every listed network, as the fewest CIDRs: halves that
// touch no listed network stay whole, halves a listed network covers go,
// the others are split again. Each listed network costs at most one split
// per bit of prefix, so the output stays small.
void Subtract(const IpNetwork& network, const std::vector<IpNetwork>& listed, std::vector<IpNetwork>& out) {
  bool overlaps = false;
  for (const IpNetwork& entry : listed) {
    if (Covers(entry, network)) return;
    overlaps = overlaps || Covers(network, entry);
  }
  if (!overlaps || network.prefix_length >= Bits(network.address)) {
    out.push_back(network);
    return;
  }
  IpNetwork low = network;
  low.prefix_length = network.prefix_length + 1;
  IpNetwork high = low;
  high.address.bytes[network.prefix_length / 8] |= static_cast<uint8_t>(0x80u >> (network.prefix_length % 8));
  Subtract(low, listed, out);
  Subtract(high, listed, out);
}

}  // namespace

Result<int64_t> CutListedAddressesOutOfNetworks(Store& store, LiveIndicators& live) {
  std::vector<std::pair<std::pair<ObservableType, std::string>, IpNetwork>> networks;
  for (const auto& [key, titles] : live) {
    if (key.first != ObservableType::kCidr) continue;
    if (Result<IpNetwork> network = ParseIpNetwork(key.second); network.ok()) networks.emplace_back(key, *network);
  }
  if (networks.empty()) return int64_t{0};
  // Addresses and networks of the lists that flag addresses: CIDR lists,
  // and addresses in string lists (the list's matching_attributes are not
  // read here; a list naming only other types still cuts, which only ever
  // leaves an address out of a sensor's set).
  ASSIGN_OR_RETURN(std::vector<WarningListRecord> lists, store.LoadWarningLists());
  std::vector<IpNetwork> listed;
  for (const WarningListRecord& list : lists) {
    if (list.type != "cidr" && list.type != "string") continue;
    for (const std::string& entry : list.entries) {
      if (Result<IpNetwork> network = ParseIpNetwork(entry); network.ok()) listed.push_back(*network);
    }
  }
  int64_t cut = 0;
  for (const auto& [key, network] : networks) {
    std::vector<IpNetwork> inside;
    for (const IpNetwork& entry : listed) {
      if (Covers(network, entry) || Covers(entry, network)) inside.push_back(entry);
    }
    if (inside.empty()) continue;
    ++cut;
    std::vector<IpNetwork> rest;
    Subtract(network, inside, rest);
    const std::set<std::string> titles = live[key];
    live.erase(key);
    for (const IpNetwork& piece : rest) {
      const bool single = piece.prefix_length == Bits(piece.address);
      const ObservableType type =
          !single ? ObservableType::kCidr : (piece.address.is_v4 ? ObservableType::kIpv4 : ObservableType::kIpv6);
      live[{type, single ? FormatIp(piece.address) : NetworkText(piece)}].insert(titles.begin(), titles.end());
    }
  }
  return cut;
}

}  // namespace accord::exchange_internal
