// MaxMind DB files (MaxMind, DB-IP, IPinfo) through libmaxminddb.
//
// The file is opened once in MMDB_MODE_MMAP and never changes afterwards;
// libmaxminddb documents lookups on such a handle as safe from many threads,
// so the class holds no lock.
#include <fmt/format.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "geo/geo.h"

namespace accord::geo {
namespace {

// ISO codes are two letters; anything else (a damaged record, a vendor's
// private code) is reported as unknown rather than passed on as a country.
std::string NormalizeCountry(std::string_view code) {
  if (code.size() != 2) return "";
  std::string out;
  for (char c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return "";
    out += c;
  }
  return out;
}

// The value at `path` (null-terminated), or nullopt when the record lacks it
// or holds something else there. `entry` is a per-lookup copy, so this is
// safe to call from many threads.
std::optional<MMDB_entry_data_s> ValueAt(MMDB_entry_s entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(&entry, &data, path) != MMDB_SUCCESS || !data.has_data) return std::nullopt;
  return data;
}

std::string StringAt(const MMDB_entry_s& entry, const char* const* path) {
  std::optional<MMDB_entry_data_s> data = ValueAt(entry, path);
  if (!data || data->type != MMDB_DATA_TYPE_UTF8_STRING) return "";
  return std::string(data->utf8_string, data->data_size);
}

uint32_t AsnAt(const MMDB_entry_s& entry, const char* const* path) {
  std::optional<MMDB_entry_data_s> data = ValueAt(entry, path);
  if (!data) return 0;
  // GeoLite2 stores uint32; other vendors' writers pick the narrowest or
  // widest unsigned type, so accept all that can hold an AS number.
  switch (data->type) {
    case MMDB_DATA_TYPE_UINT16:
      return data->uint16;
    case MMDB_DATA_TYPE_UINT32:
      return data->uint32;
    case MMDB_DATA_TYPE_UINT64:
      return data->uint64 <= UINT32_MAX ? static_cast<uint32_t>(data->uint64) : 0;
    case MMDB_DATA_TYPE_INT32:
      return data->int32 > 0 ? static_cast<uint32_t>(data->int32) : 0;
    default:
      return 0;
  }
}

// "AS29518" (IPinfo), or 0 when the text is not an AS number.
uint32_t AsnFromText(std::string_view text) {
  if (text.size() > 2 && (text[0] == 'A' || text[0] == 'a') && (text[1] == 'S' || text[1] == 's')) {
    text.remove_prefix(2);
  }
  if (text.empty() || text.size() > 10) return 0;
  uint64_t number = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  return number <= UINT32_MAX ? static_cast<uint32_t>(number) : 0;
}

Status OpenError(const std::string& path, int mmdb_status, int saved_errno) {
  const std::string reason = MMDB_strerror(mmdb_status);
  switch (mmdb_status) {
    case MMDB_FILE_OPEN_ERROR:
    case MMDB_IO_ERROR:
      return Status::IoError(
          fmt::format("{}: {} ({})", path, reason, std::generic_category().message(saved_errno)));
    case MMDB_OUT_OF_MEMORY_ERROR:
      return Status::ResourceExhausted(fmt::format("{}: {}", path, reason));
    case MMDB_CORRUPT_SEARCH_TREE_ERROR:
    case MMDB_INVALID_DATA_ERROR:
      return Status::Corruption(fmt::format("{}: {}", path, reason));
    default:  // bad metadata, unknown format, unsupported version
      return Status::Invalid(fmt::format("{}: not a usable MaxMind DB: {}", path, reason));
  }
}

class MaxMindDatabase final : public GeoDatabase {
  // Lets Create() use make_unique while keeping half-built objects private.
  struct PassKey {};

 public:
  MaxMindDatabase(PassKey, std::string path) : path_(std::move(path)) {}
  ~MaxMindDatabase() override {
    if (opened_) MMDB_close(&mmdb_);
  }
  // MMDB_s owns the mapping and is closed exactly once.
  MaxMindDatabase(const MaxMindDatabase&) = delete;
  MaxMindDatabase& operator=(const MaxMindDatabase&) = delete;

  static Result<std::unique_ptr<GeoDatabase>> Create(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return Status::NotFound(fmt::format("{}: no such MaxMind DB file", path));
    }
    auto database = std::make_unique<MaxMindDatabase>(PassKey{}, path);
    errno = 0;
    const int mmdb_status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &database->mmdb_);
    if (mmdb_status != MMDB_SUCCESS) return OpenError(path, mmdb_status, errno);
    database->opened_ = true;
    return std::unique_ptr<GeoDatabase>(std::move(database));
  }

  GeoInfo Lookup(const IpAddress& address) const override {
    sockaddr_in ipv4{};
    sockaddr_in6 ipv6{};
    const sockaddr* socket_address = nullptr;
    if (address.is_v4) {
      ipv4.sin_family = AF_INET;
      std::memcpy(&ipv4.sin_addr, address.bytes.data(), 4);
      socket_address = reinterpret_cast<const sockaddr*>(&ipv4);
    } else {
      ipv6.sin6_family = AF_INET6;
      std::memcpy(&ipv6.sin6_addr, address.bytes.data(), 16);
      socket_address = reinterpret_cast<const sockaddr*>(&ipv6);
    }
    int mmdb_status = MMDB_SUCCESS;
    const MMDB_lookup_result_s result = MMDB_lookup_sockaddr(&mmdb_, socket_address, &mmdb_status);
    // The interface has no error channel for one address. An IPv6 address in
    // an IPv4-only file, or a damaged record, tells us nothing: unknown.
    GeoInfo info;
    if (mmdb_status != MMDB_SUCCESS || !result.found_entry) return info;

    static constexpr const char* kCountry[] = {"country", "iso_code", nullptr};
    static constexpr const char* kRegisteredCountry[] = {"registered_country", "iso_code", nullptr};
    static constexpr const char* kAsn[] = {"autonomous_system_number", nullptr};
    static constexpr const char* kAsOrganisation[] = {"autonomous_system_organization", nullptr};
    info.country = NormalizeCountry(StringAt(result.entry, kCountry));
    // Where the address is used is the better answer for routing an alert;
    // where it is registered still beats nothing (anycast, satellite).
    if (info.country.empty()) {
      info.country = NormalizeCountry(StringAt(result.entry, kRegisteredCountry));
    }
    info.asn = AsnAt(result.entry, kAsn);
    if (info.asn != 0) info.as_organisation = StringAt(result.entry, kAsOrganisation);
    // IPinfo's layout: "country" (or "country_code") is the code itself and
    // "asn" is text ("AS29518") beside "as_name".
    static constexpr const char* kCountryText[] = {"country", nullptr};
    static constexpr const char* kCountryCode[] = {"country_code", nullptr};
    static constexpr const char* kAsnText[] = {"asn", nullptr};
    static constexpr const char* kAsName[] = {"as_name", nullptr};
    if (info.country.empty()) info.country = NormalizeCountry(StringAt(result.entry, kCountryText));
    if (info.country.empty()) info.country = NormalizeCountry(StringAt(result.entry, kCountryCode));
    if (info.asn == 0) {
      info.asn = AsnFromText(StringAt(result.entry, kAsnText));
      if (info.asn != 0) info.as_organisation = StringAt(result.entry, kAsName);
    }
    return info;
  }

  std::string Describe() const override { return "mmdb:" + path_; }

  // MaxMind's GeoLite2-ASN, DB-IP's and IPinfo's ASN files say so in their
  // type ("GeoLite2-ASN", "DBIP-ASN-Lite", "ipinfo asn.mmdb");
  // IPinfo's "country_asn" holds both.
  bool HoldsCountries() const override {
    std::string type = mmdb_.metadata.database_type == nullptr ? "" : mmdb_.metadata.database_type;
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return type.find("asn") == std::string::npos || type.find("country") != std::string::npos;
  }

 private:
  const std::string path_;
  MMDB_s mmdb_{};
  bool opened_ = false;
};

}  // namespace

Result<std::unique_ptr<GeoDatabase>> OpenMaxMind(const std::string& path) {
  return MaxMindDatabase::Create(path);
}

}  // namespace accord::geo
