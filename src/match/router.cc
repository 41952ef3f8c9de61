// Routing an alert to whoever answers for the victim's address.
#include <algorithm>
#include <set>
#include <tuple>

#include "match/match.h"

namespace accord::match {
namespace {

// Which kind of organisation a country's alerts go to when several share
// it: the national CERT handles victim notification, then the police unit.
int KindRank(const std::string& kind) {
  if (kind == "cert") return 0;
  if (kind == "law-enforcement") return 1;
  return 2;
}

}  // namespace

Result<std::unique_ptr<Router>> Router::Create(Store& store,
                                               std::shared_ptr<const geo::GeoDatabase> geo) {
  std::unique_ptr<Router> router(new Router());
  router->geo_ = std::move(geo);
  ASSIGN_OR_RETURN(std::vector<Organisation> organisations, store.ListOrganisations());
  ASSIGN_OR_RETURN(std::vector<Constituency> constituencies, store.ListConstituencies());
  // A country's alerts go to its CERT or police unit before anyone else
  // (a private partner, a peer node's stand-in), and among those to one
  // that registered no networks: one that did answers for them, not for
  // its whole country (a university CERT with one /16 took every alert of
  // its country, the national police unit's included). The others are the
  // country's choice only when nobody else is there.
  std::set<int64_t> scoped;
  for (const Constituency& constituency : constituencies) scoped.insert(constituency.org_id);
  std::map<int64_t, std::string> names;
  // country -> (not an authority, a stand-in, scoped, rank, org id)
  std::map<std::string, std::tuple<bool, bool, bool, int, int64_t>> best;
  for (const Organisation& org : organisations) {
    names[org.id] = org.name;
    if (org.country.empty()) continue;
    const std::tuple<bool, bool, bool, int, int64_t> candidate{KindRank(org.kind) > 1, org.shares_with_org_id != 0,
                                                                scoped.contains(org.id), KindRank(org.kind), org.id};
    auto [it, inserted] = best.emplace(org.country, candidate);
    if (!inserted && candidate < it->second) it->second = candidate;
  }
  for (const auto& [country, choice] : best) {
    const int64_t org_id = std::get<4>(choice);
    router->by_country_[country] = {org_id, names[org_id]};
  }
  for (const Constituency& constituency : constituencies) {
    Result<IpNetwork> network = ParseIpNetwork(constituency.network);
    if (!network.ok()) {
      return network.status().WithContext("constituency of organisation id " +
                                          std::to_string(constituency.org_id));
    }
    router->constituencies_.push_back({*network, constituency.org_id, names[constituency.org_id]});
  }
  // Longest prefix first, so the first network holding an address is the
  // most specific registration.
  std::stable_sort(router->constituencies_.begin(), router->constituencies_.end(),
                   [](const Network& a, const Network& b) {
                     return a.network.prefix_length > b.network.prefix_length;
                   });
  return router;
}

Routing Router::Route(const IpAddress& victim) const {
  Routing routing;
  if (geo_) {
    geo::GeoInfo info = geo_->Lookup(victim);
    routing.country = std::move(info.country);
    routing.asn = info.asn;
    routing.as_organisation = std::move(info.as_organisation);
  }
  for (const Network& network : constituencies_) {
    if (NetworkContains(network.network, victim)) {
      routing.org_id = network.org_id;
      routing.organisation = network.name;
      return routing;
    }
  }
  if (!routing.country.empty()) {
    auto it = by_country_.find(routing.country);
    if (it != by_country_.end()) {
      routing.org_id = it->second.first;
      routing.organisation = it->second.second;
    }
  }
  return routing;
}

}  // namespace accord::match
