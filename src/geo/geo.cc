// Layering several databases, and opening them from command-line specs.
#include "geo/geo.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace accord::geo {
namespace {

constexpr char kDebianTorIpv4[] = "/usr/share/tor/geoip";
constexpr char kDebianTorIpv6[] = "/usr/share/tor/geoip6";
constexpr std::string_view kTorSpecPrefix = "tor:";

class LayeredDatabase final : public GeoDatabase {
 public:
  explicit LayeredDatabase(std::vector<std::unique_ptr<GeoDatabase>> databases)
      : databases_(std::move(databases)) {}
  LayeredDatabase(const LayeredDatabase&) = delete;
  LayeredDatabase& operator=(const LayeredDatabase&) = delete;

  // Thread-safe because the layers are and the list never changes.
  GeoInfo Lookup(const IpAddress& address) const override {
    GeoInfo info;
    for (const auto& database : databases_) {
      if (!info.country.empty() && info.asn != 0) break;  // later layers cannot add anything
      GeoInfo layer = database->Lookup(address);
      if (info.country.empty()) info.country = std::move(layer.country);
      // The number and the organisation travel together: one database's name
      // beside another's number could describe two different networks.
      if (info.asn == 0 && layer.asn != 0) {
        info.asn = layer.asn;
        info.as_organisation = std::move(layer.as_organisation);
      }
    }
    return info;
  }

  std::string Describe() const override {
    std::string out = "layered(";
    for (size_t layer_idx = 0; layer_idx < databases_.size(); ++layer_idx) {
      if (layer_idx > 0) out += "; ";
      out += databases_[layer_idx]->Describe();
    }
    return out + ")";
  }

 private:
  const std::vector<std::unique_ptr<GeoDatabase>> databases_;
};

class DeferredDatabase final : public GeoDatabase {
 public:
  DeferredDatabase(std::vector<std::string> specs, std::function<void(const Status&)> on_error)
      : specs_(std::move(specs)), on_error_(std::move(on_error)) {}

  // Thread-safe: call_once opens it for every caller, and it never changes
  // after that.
  GeoInfo Lookup(const IpAddress& address) const override {
    std::call_once(opened_, [this] {
      Result<std::unique_ptr<GeoDatabase>> database = OpenGeoDatabases(specs_);
      if (database.ok()) {
        database_ = std::move(database).value();
      } else if (on_error_) {
        on_error_(database.status());
      }
    });
    return database_ ? database_->Lookup(address) : GeoInfo{};
  }

  std::string Describe() const override {
    if (specs_.empty()) return fmt::format("deferred(tor-geoip:{},{})", kDebianTorIpv4, kDebianTorIpv6);
    return fmt::format("deferred({})", fmt::join(specs_, "; "));
  }

 private:
  const std::vector<std::string> specs_;
  const std::function<void(const Status&)> on_error_;
  mutable std::once_flag opened_;
  mutable std::unique_ptr<GeoDatabase> database_;
};

Result<std::unique_ptr<GeoDatabase>> OpenSpec(const std::string& spec) {
  if (spec.empty()) return Status::Invalid("empty GeoIP database spec");
  if (!spec.starts_with(kTorSpecPrefix)) return OpenMaxMind(spec);
  const std::string paths = spec.substr(kTorSpecPrefix.size());
  const size_t comma = paths.find(',');
  const std::string ipv4_path = paths.substr(0, comma);
  const std::string ipv6_path = comma == std::string::npos ? "" : paths.substr(comma + 1);
  if (ipv4_path.empty() && ipv6_path.empty()) {
    return Status::Invalid(
        fmt::format("GeoIP database spec '{}' names no file (tor:IPV4_PATH[,IPV6_PATH])", spec));
  }
  return OpenTorRanges(ipv4_path, ipv6_path);
}

}  // namespace

std::unique_ptr<GeoDatabase> Layered(std::vector<std::unique_ptr<GeoDatabase>> databases) {
  std::erase(databases, nullptr);
  return std::make_unique<LayeredDatabase>(std::move(databases));
}

Result<std::unique_ptr<GeoDatabase>> OpenGeoDatabases(const std::vector<std::string>& specs) {
  if (specs.empty()) return OpenTorRanges(kDebianTorIpv4, kDebianTorIpv6);
  std::vector<std::unique_ptr<GeoDatabase>> databases;
  bool countries = false;
  for (const std::string& spec : specs) {
    ASSIGN_OR_RETURN(auto database, OpenSpec(spec));
    countries = countries || database->HoldsCountries();
    databases.push_back(std::move(database));
  }
  // "--geoip GeoLite2-ASN.mmdb" adds AS numbers; it must not take away the
  // default countries that route alerts.
  if (!countries) {
    Result<std::unique_ptr<GeoDatabase>> tor = OpenTorRanges(kDebianTorIpv4, kDebianTorIpv6);
    if (tor.ok()) databases.push_back(std::move(tor).value());
  }
  if (databases.size() == 1) return std::move(databases.front());
  return Layered(std::move(databases));
}

std::unique_ptr<GeoDatabase> OpenGeoDatabasesOnFirstLookup(
    std::vector<std::string> specs, std::function<void(const Status&)> on_error) {
  return std::make_unique<DeferredDatabase>(std::move(specs), std::move(on_error));
}

}  // namespace accord::geo
