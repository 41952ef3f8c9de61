// MaxMind DB files (libmaxminddb), layered databases, and the GeoIP specs a
// node is configured with.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "geo/geo.h"
#include "geo/geo_testing.h"
#include "testing/testing.h"

namespace accord::geo {
namespace {

using ::testing::HasSubstr;
using geo_testing::CountryOf;
using geo_testing::Ip;
using geo_testing::kIpv4Ranges;

// --- MaxMind DB -------------------------------------------------------------

std::optional<std::string> TestMmdb(const std::string& name) {
  std::optional<std::filesystem::path> shared = testing::SharedData();
  if (!shared) return std::nullopt;
  std::filesystem::path path = *shared / "geoip" / name;
  if (!std::filesystem::exists(path)) return std::nullopt;
  return path.string();
}

#define OPEN_TEST_MMDB_OR_SKIP(variable, name)                                          \
  std::optional<std::string> variable##_path = TestMmdb(name);                          \
  if (!variable##_path) GTEST_SKIP() << name << " not found under $ACCORD_SHARED_DATA"; \
  auto variable##_result = OpenMaxMind(*variable##_path);                               \
  ASSERT_TRUE(variable##_result.ok()) << variable##_result.status().ToString();         \
  const GeoDatabase& variable = **variable##_result

// Answers below come from ../shared/data/geoip/source-data/*.json.
TEST(MaxMindTest, CountryDatabaseAnswersIpv4AndIpv6) {
  OPEN_TEST_MMDB_OR_SKIP(database, "GeoIP2-Country-Test.mmdb");
  EXPECT_EQ(CountryOf(database, "2.125.160.216"), "GB");  // registered FR: country wins
  EXPECT_EQ(CountryOf(database, "89.160.20.128"), "SE");
  EXPECT_EQ(CountryOf(database, "67.43.156.1"), "BT");
  EXPECT_EQ(CountryOf(database, "2001:218::1"), "JP");
  EXPECT_EQ(CountryOf(database, "2001:220::"), "SE");  // a /128 inside KR's /32
  EXPECT_EQ(CountryOf(database, "2001:220::1"), "KR");
  EXPECT_EQ(database.Lookup(Ip("2.125.160.216")).asn, 0u);
  EXPECT_EQ(database.Describe(), "mmdb:" + *database_path);
}

TEST(MaxMindTest, AddressesMissingFromTheDatabaseOrWithoutCountryAreUnknown) {
  OPEN_TEST_MMDB_OR_SKIP(database, "GeoIP2-Country-Test.mmdb");
  EXPECT_EQ(CountryOf(database, "10.0.0.1"), "");
  EXPECT_EQ(CountryOf(database, "2001:db8::1"), "");
  // 2a02:d500::/29 has a continent but neither country nor registered_country.
  EXPECT_EQ(CountryOf(database, "2a02:d500::1"), "");
}

TEST(MaxMindTest, CityDatabaseGivesCountryToo) {
  OPEN_TEST_MMDB_OR_SKIP(database, "GeoIP2-City-Test.mmdb");
  EXPECT_EQ(CountryOf(database, "81.2.69.160"), "GB");
  EXPECT_EQ(CountryOf(database, "2001:220::1"), "KR");
}

TEST(MaxMindTest, AsnDatabaseGivesNumberAndOrganisation) {
  OPEN_TEST_MMDB_OR_SKIP(database, "GeoLite2-ASN-Test.mmdb");
  // 1.128.0.0/11: first and last address.
  for (const char* address : {"1.128.0.0", "1.159.255.255"}) {
    GeoInfo info = database.Lookup(Ip(address));
    EXPECT_EQ(info.asn, 1221u) << address;
    EXPECT_EQ(info.as_organisation, "Telstra Pty Ltd") << address;
    EXPECT_EQ(info.country, "") << address;
  }
  EXPECT_EQ(database.Lookup(Ip("1.160.0.0")).asn, 0u);
  GeoInfo ipv6 = database.Lookup(Ip("2600:7000::1"));
  EXPECT_EQ(ipv6.asn, 6939u);
  EXPECT_EQ(ipv6.as_organisation, "Hurricane Electric, Inc.");
  // 216.160.83.56/29 has a number and no organisation.
  GeoInfo bare = database.Lookup(Ip("216.160.83.56"));
  EXPECT_EQ(bare.asn, 209u);
  EXPECT_EQ(bare.as_organisation, "");
}

TEST(MaxMindTest, ConcurrentLookupsGiveTheSameAnswers) {
  OPEN_TEST_MMDB_OR_SKIP(database, "GeoLite2-ASN-Test.mmdb");
  constexpr int kThreads = 4;
  std::vector<int> wrong_answers(kThreads, 0);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      const IpAddress telstra = Ip("1.130.0.1");
      const IpAddress hurricane = Ip("2600:7000::1");
      for (int round = 0; round < 2000; ++round) {
        if (database.Lookup(telstra).asn != 1221u) ++wrong_answers[thread_idx];
        if (database.Lookup(hurricane).asn != 6939u) ++wrong_answers[thread_idx];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(wrong_answers, ::testing::Each(0));
}

// Just enough of the MaxMind DB format (maxmind.github.io/MaxMind-DB) to
// write a file by hand: the test databases hold no record that has only a
// registered country, and none with a lower-case code.
std::string MmdbString(std::string_view text) {  // shorter than 29 bytes
  return static_cast<char>(0x40 | text.size()) + std::string(text);
}
std::string MmdbMap(int entry_count) {
  return std::string(1, static_cast<char>(0xE0 | entry_count));
}
std::string MmdbUint16(uint8_t value) {
  return {static_cast<char>(0xA1), static_cast<char>(value)};
}

// An IPv4-only database in which every address maps to `record`.
std::string OneRecordMmdb(const std::string& record, std::string_view database_type = "Accord-Test") {
  // One node whose two records both point at data offset 0: node_count (1)
  // + 16 (the separator) + offset.
  std::string file = {0, 0, 17, 0, 0, 17};
  file += std::string(16, '\0');
  file += record;
  file += "\xAB\xCD\xEFMaxMind.com";
  file += MmdbMap(9);
  file += MmdbString("node_count") + "\xC1\x01";
  file += MmdbString("record_size") + MmdbUint16(24);
  file += MmdbString("ip_version") + MmdbUint16(4);
  file += MmdbString("database_type") + MmdbString(database_type);
  file += MmdbString("languages") + std::string("\x00\x04", 2);  // empty array
  file += MmdbString("binary_format_major_version") + MmdbUint16(2);
  file += MmdbString("binary_format_minor_version") + "\xA0";  // uint16 0
  file += MmdbString("build_epoch") + "\x01\x02\x01";          // uint64 1
  file += MmdbString("description") + MmdbMap(0);
  return file;
}

TEST(MaxMindTest, RegisteredCountryStandsInForAMissingCountry) {
  testing::TempDir dir;
  const std::string record = MmdbMap(2) + MmdbString("registered_country") + MmdbMap(1) +
                             MmdbString("iso_code") + MmdbString("ca") +
                             MmdbString("autonomous_system_number") + "\xC2\xFB\xF4";  // 64500
  testing::WriteFile(dir.Join("tiny.mmdb"), OneRecordMmdb(record));
  auto database = OpenMaxMind(dir.Join("tiny.mmdb"));
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  GeoInfo info = (*database)->Lookup(Ip("198.51.100.7"));
  EXPECT_EQ(info.country, "CA");
  EXPECT_EQ(info.asn, 64500u);
  EXPECT_EQ(info.as_organisation, "");
  // An IPv6 address cannot be looked up in an IPv4-only file: unknown, not a crash.
  EXPECT_EQ(CountryOf(**database, "2001:db8::1"), "");
}

// IPinfo writes the country code and the AS number as plain text.
TEST(MaxMindTest, IpinfoLayoutGivesCountryAndAsn) {
  testing::TempDir dir;
  const std::string record = MmdbMap(3) + MmdbString("country") + MmdbString("se") + MmdbString("asn") +
                             MmdbString("AS29518") + MmdbString("as_name") + MmdbString("Bredband2 AB");
  testing::WriteFile(dir.Join("ipinfo.mmdb"), OneRecordMmdb(record, "ipinfo country_asn.mmdb"));
  auto database = OpenMaxMind(dir.Join("ipinfo.mmdb"));
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  GeoInfo info = (*database)->Lookup(Ip("198.51.100.7"));
  EXPECT_EQ(info.country, "SE");
  EXPECT_EQ(info.asn, 29518u);
  EXPECT_EQ(info.as_organisation, "Bredband2 AB");
  EXPECT_TRUE((*database)->HoldsCountries());
}

// `--geoip GeoLite2-ASN.mmdb` adds AS numbers to the default countries.
TEST(MaxMindTest, AnAsnOnlyDatabaseKeepsTheDefaultCountries) {
  testing::TempDir dir;
  const std::string record = MmdbMap(1) + MmdbString("autonomous_system_number") + "\xC2\xFB\xF4";  // 64500
  testing::WriteFile(dir.Join("asn.mmdb"), OneRecordMmdb(record, "GeoLite2-ASN"));
  auto alone = OpenMaxMind(dir.Join("asn.mmdb"));
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  EXPECT_FALSE((*alone)->HoldsCountries());
  if (!std::filesystem::exists("/usr/share/tor/geoip")) GTEST_SKIP() << "tor-geoipdb is not installed";
  auto configured = OpenGeoDatabases({dir.Join("asn.mmdb")});
  ASSERT_TRUE(configured.ok()) << configured.status().ToString();
  EXPECT_THAT((*configured)->Describe(), HasSubstr("tor-geoip"));
  GeoInfo info = (*configured)->Lookup(Ip("8.8.8.8"));
  EXPECT_EQ(info.country, "US");
  EXPECT_EQ(info.asn, 64500u);
}

TEST(MaxMindTest, CodesThatAreNotTwoLettersAreUnknown) {
  testing::TempDir dir;
  const std::string record =
      MmdbMap(1) + MmdbString("country") + MmdbMap(1) + MmdbString("iso_code") + MmdbString("C1");
  testing::WriteFile(dir.Join("odd.mmdb"), OneRecordMmdb(record));
  auto database = OpenMaxMind(dir.Join("odd.mmdb"));
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  EXPECT_EQ(CountryOf(**database, "198.51.100.7"), "");
}

TEST(MaxMindTest, MissingFileIsNotFoundNamingThePath) {
  auto database = OpenMaxMind("/nonexistent/GeoLite2-ASN.mmdb");
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(database.status().message(), HasSubstr("/nonexistent/GeoLite2-ASN.mmdb"));
}

TEST(MaxMindTest, FileThatIsNotAMaxMindDbIsAnErrorNamingThePath) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("fake.mmdb"), std::string(4096, 'x'));
  auto database = OpenMaxMind(dir.Join("fake.mmdb"));
  ASSERT_FALSE(database.ok());
  EXPECT_THAT(database.status().message(), HasSubstr(dir.Join("fake.mmdb")));
}

// --- Layering and specs -----------------------------------------------------

// A database answering every address the same way, to see which layer wins.
class FixedDatabase final : public GeoDatabase {
 public:
  explicit FixedDatabase(GeoInfo info) : info_(std::move(info)) {}
  GeoInfo Lookup(const IpAddress&) const override { return info_; }
  std::string Describe() const override { return "fixed:" + info_.country; }

 private:
  GeoInfo info_;
};

std::unique_ptr<GeoDatabase> Fixed(std::string country, uint32_t asn, std::string organisation) {
  return std::make_unique<FixedDatabase>(GeoInfo{std::move(country), asn, std::move(organisation)});
}

TEST(LayeredTest, FirstDatabaseThatKnowsEachFieldWins) {
  std::vector<std::unique_ptr<GeoDatabase>> layers;
  layers.push_back(Fixed("", 0, ""));
  layers.push_back(Fixed("DE", 0, ""));
  layers.push_back(Fixed("FR", 3320, "Deutsche Telekom AG"));
  layers.push_back(Fixed("IT", 1234, "Other"));
  auto database = Layered(std::move(layers));
  GeoInfo info = database->Lookup(Ip("192.0.2.1"));
  EXPECT_EQ(info.country, "DE");
  EXPECT_EQ(info.asn, 3320u);
  EXPECT_EQ(info.as_organisation, "Deutsche Telekom AG");
  EXPECT_EQ(database->Describe(), "layered(fixed:; fixed:DE; fixed:FR; fixed:IT)");
}

TEST(LayeredTest, OrganisationIsNeverTakenWithoutItsNumber) {
  std::vector<std::unique_ptr<GeoDatabase>> layers;
  layers.push_back(Fixed("", 0, "Name without a number"));
  layers.push_back(Fixed("", 64500, "Right"));
  auto database = Layered(std::move(layers));
  GeoInfo info = database->Lookup(Ip("192.0.2.1"));
  EXPECT_EQ(info.asn, 64500u);
  EXPECT_EQ(info.as_organisation, "Right");
}

TEST(LayeredTest, NoLayersKnowNothing) {
  auto database = Layered({});
  GeoInfo info = database->Lookup(Ip("192.0.2.1"));
  EXPECT_EQ(info.country, "");
  EXPECT_EQ(info.asn, 0u);
}

TEST(LayeredTest, TorCountryPlusMaxMindAsn) {
  std::optional<std::string> asn_path = TestMmdb("GeoLite2-ASN-Test.mmdb");
  if (!asn_path) GTEST_SKIP() << "GeoLite2-ASN-Test.mmdb not found under $ACCORD_SHARED_DATA";
  testing::TempDir dir;
  // 1.128.0.0-1.159.255.255 and 2600:7000::/24.
  testing::WriteFile(dir.Join("geoip"), "25165824,27262975,AU\n");
  testing::WriteFile(dir.Join("geoip6"),
                     "2600:7000::,2600:70ff:ffff:ffff:ffff:ffff:ffff:ffff,US\n");
  auto database =
      OpenGeoDatabases({"tor:" + dir.Join("geoip") + "," + dir.Join("geoip6"), *asn_path});
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  GeoInfo telstra = (*database)->Lookup(Ip("1.130.0.1"));
  EXPECT_EQ(telstra.country, "AU");
  EXPECT_EQ(telstra.asn, 1221u);
  EXPECT_EQ(telstra.as_organisation, "Telstra Pty Ltd");
  GeoInfo hurricane = (*database)->Lookup(Ip("2600:7000::1"));
  EXPECT_EQ(hurricane.country, "US");
  EXPECT_EQ(hurricane.asn, 6939u);
  GeoInfo nowhere = (*database)->Lookup(Ip("192.0.2.1"));
  EXPECT_EQ(nowhere.country, "");
  EXPECT_EQ(nowhere.asn, 0u);
  EXPECT_THAT((*database)->Describe(), HasSubstr("layered(tor-geoip:"));
  EXPECT_THAT((*database)->Describe(), HasSubstr("; mmdb:" + *asn_path + ")"));
}

TEST(OpenGeoDatabasesTest, SingleSpecIsNotWrappedInALayer) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("geoip"), kIpv4Ranges);
  auto database = OpenGeoDatabases({"tor:" + dir.Join("geoip")});
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  EXPECT_EQ((*database)->Describe(), "tor-geoip:" + dir.Join("geoip"));
  EXPECT_EQ(CountryOf(**database, "1.0.0.1"), "AU");
}

TEST(OpenGeoDatabasesTest, MissingFileInAnySpecIsNotFoundNamingThePath) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("geoip"), kIpv4Ranges);
  for (const std::string& missing : {dir.Join("absent.mmdb"), dir.Join("absent-geoip6")}) {
    std::vector<std::string> specs = {"tor:" + dir.Join("geoip")};
    specs.push_back(missing.ends_with(".mmdb") ? missing : "tor:," + missing);
    auto database = OpenGeoDatabases(specs);
    ASSERT_FALSE(database.ok()) << missing;
    EXPECT_EQ(database.status().code(), Status::Code::kNotFound);
    EXPECT_THAT(database.status().message(), HasSubstr(missing));
  }
}

TEST(OpenGeoDatabasesTest, SpecsNamingNoFileAreInvalid) {
  for (const std::string& spec : {std::string(""), std::string("tor:"), std::string("tor:,")}) {
    auto database = OpenGeoDatabases({spec});
    ASSERT_FALSE(database.ok()) << spec;
    EXPECT_EQ(database.status().code(), Status::Code::kInvalidArgument) << spec;
  }
}

TEST(OpenGeoDatabasesTest, NoSpecsMeansDebianTorFiles) {
  auto database = OpenGeoDatabases({});
  if (std::filesystem::exists("/usr/share/tor/geoip") &&
      std::filesystem::exists("/usr/share/tor/geoip6")) {
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    EXPECT_EQ((*database)->Describe(), "tor-geoip:/usr/share/tor/geoip,/usr/share/tor/geoip6");
  } else {
    ASSERT_FALSE(database.ok());
    EXPECT_EQ(database.status().code(), Status::Code::kNotFound);
    EXPECT_THAT(database.status().message(), HasSubstr("/usr/share/tor/geoip"));
  }
}

}  // namespace
}  // namespace accord::geo
