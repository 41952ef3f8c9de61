#include <gtest/gtest.h>

#include "misp/misp.h"
#include "misp/misp_internal.h"

namespace accord {
namespace {

TEST(MispTypeToObservableTest, MapsNetworkTypes) {
  EXPECT_EQ(MispTypeToObservable("ip-src"), ObservableType::kIpv4);
  EXPECT_EQ(MispTypeToObservable("ip-dst"), ObservableType::kIpv4);
  EXPECT_EQ(MispTypeToObservable("ip-dst|port"), ObservableType::kIpv4);
  EXPECT_EQ(MispTypeToObservable("ip-src|port"), ObservableType::kIpv4);
  EXPECT_EQ(MispTypeToObservable("domain"), ObservableType::kDomain);
  EXPECT_EQ(MispTypeToObservable("hostname"), ObservableType::kDomain);
  EXPECT_EQ(MispTypeToObservable("domain|ip"), ObservableType::kDomain);
  EXPECT_EQ(MispTypeToObservable("url"), ObservableType::kUrl);
}

TEST(MispTypeToObservableTest, MapsEmailHashFileAndWalletTypes) {
  for (const char* type : {"email", "email-src", "email-dst", "whois-registrant-email"}) {
    EXPECT_EQ(MispTypeToObservable(type), ObservableType::kEmail) << type;
  }
  EXPECT_EQ(MispTypeToObservable("md5"), ObservableType::kMd5);
  EXPECT_EQ(MispTypeToObservable("sha1"), ObservableType::kSha1);
  EXPECT_EQ(MispTypeToObservable("sha256"), ObservableType::kSha256);
  EXPECT_EQ(MispTypeToObservable("filename"), ObservableType::kFileName);
  EXPECT_EQ(MispTypeToObservable("filename|sha256"), ObservableType::kFileName);
  for (const char* type : {"btc", "xmr", "dash"}) {
    EXPECT_EQ(MispTypeToObservable(type), ObservableType::kWallet) << type;
  }
}

// uri is a path and link a reference to a report: neither is an indicator.
TEST(MispTypeToObservableTest, RefusesTypesWithNoObservable) {
  for (const char* type : {"uri", "link", "text", "comment", "yara", "vulnerability", "sha512",
                           "ssdeep", "regkey|value", "", "IP-DST", "ip-dst "}) {
    EXPECT_FALSE(MispTypeToObservable(type).has_value()) << type;
  }
}

TEST(SplitCompositeTest, PlainTypeGivesOnePart) {
  auto parts = SplitComposite("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].type, ObservableType::kSha1);
  EXPECT_EQ((*parts)[0].value, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(SplitCompositeTest, AddressTypesAreRefinedByValue) {
  auto v6 = SplitComposite("ip-dst", "2001:db8::1");
  auto network = SplitComposite("ip-src", "10.0.0.0/8");
  auto v6_network = SplitComposite("ip-src", "2001:db8::/32");
  ASSERT_TRUE(v6.ok() && network.ok() && v6_network.ok());
  EXPECT_EQ((*v6)[0].type, ObservableType::kIpv6);
  EXPECT_EQ((*network)[0].type, ObservableType::kCidr);
  EXPECT_EQ((*v6_network)[0].type, ObservableType::kCidr);
}

TEST(SplitCompositeTest, DomainIpGivesBothParts) {
  auto parts = SplitComposite("domain|ip", "evil.example|2001:db8::5");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].type, ObservableType::kDomain);
  EXPECT_EQ((*parts)[0].value, "evil.example");
  EXPECT_EQ((*parts)[1].type, ObservableType::kIpv6);
  EXPECT_EQ((*parts)[1].value, "2001:db8::5");
}

// A Unix file name may contain '|'; hashes never do.
TEST(SplitCompositeTest, FilenameHashSplitsAtTheLastBar) {
  auto parts = SplitComposite("filename|md5", "a|b.exe|d41d8cd98f00b204e9800998ecf8427e");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].type, ObservableType::kFileName);
  EXPECT_EQ((*parts)[0].value, "a|b.exe");
  EXPECT_EQ((*parts)[1].type, ObservableType::kMd5);
}

// The name describes the file whose hash is given; "svchost.exe|<md5>" must
// not make svchost.exe a live indicator. domain|ip gives two matched values.
TEST(SplitCompositeTest, TheFileNameBesideAHashIsContextOnly) {
  for (std::string_view type : {"filename|md5", "filename|sha1", "filename|sha256", "malware-sample"}) {
    auto parts = SplitComposite(type, "svchost.exe|aa");
    ASSERT_TRUE(parts.ok()) << type;
    ASSERT_EQ(parts->size(), 2u) << type;
    EXPECT_TRUE((*parts)[0].context_only) << type;
    EXPECT_FALSE((*parts)[1].context_only) << type;
  }
  auto domain_ip = SplitComposite("domain|ip", "evil.example|192.0.2.5");
  ASSERT_TRUE(domain_ip.ok());
  for (const auto& part : *domain_ip) EXPECT_FALSE(part.context_only) << part.value;
  auto plain = SplitComposite("filename", "svchost.exe");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE((*plain)[0].context_only);
}

// The single type each part is written back as by a MISP export.
TEST(SplitCompositeTest, EachPartSaysTheTypeItIsWrittenBackAs) {
  auto source = SplitComposite("ip-src", "192.0.2.9");
  auto host_port = SplitComposite("hostname|port", "mx.evil.example|25");
  auto address_port = SplitComposite("ip-src|port", "192.0.2.9|4444");
  auto domain_ip = SplitComposite("domain|ip", "evil.example|192.0.2.5");
  auto file_hash = SplitComposite("filename|sha1", "a.exe|da39a3ee5e6b4b0d3255bfef95601890afd80709");
  ASSERT_TRUE(source.ok() && host_port.ok() && address_port.ok() && domain_ip.ok() && file_hash.ok());
  EXPECT_EQ((*source)[0].misp_type, "ip-src");
  EXPECT_EQ((*host_port)[0].misp_type, "hostname");
  EXPECT_EQ((*address_port)[0].misp_type, "ip-src");
  // Parts of a pair of values go out by their own value types.
  for (const auto& part : *domain_ip) EXPECT_EQ(part.misp_type, "") << part.value;
  for (const auto& part : *file_hash) EXPECT_EQ(part.misp_type, "") << part.value;
}

TEST(SplitCompositeTest, MalwareSampleIsFileNameAndMd5) {
  auto parts = SplitComposite("malware-sample", "drop.exe|d41d8cd98f00b204e9800998ecf8427e");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[1].type, ObservableType::kMd5);
}

TEST(SplitCompositeTest, PortIsNotAValueButIsKeptBesideTheAddress) {
  auto parts = SplitComposite("ip-dst|port", "192.0.2.1|443");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].type, ObservableType::kIpv4);
  EXPECT_EQ((*parts)[0].value, "192.0.2.1");
  EXPECT_EQ((*parts)[0].port, "443");
  auto host = SplitComposite("hostname|port", "c2.evil.example|8443");
  ASSERT_TRUE(host.ok());
  EXPECT_EQ((*host)[0].port, "8443");
  auto domain_ip = SplitComposite("domain|ip", "evil.example|192.0.2.5");
  ASSERT_TRUE(domain_ip.ok());
  EXPECT_TRUE((*domain_ip)[0].port.empty());
}

TEST(SplitCompositeTest, CompositeWithoutBarOrWithEmptyPartIsAnError) {
  EXPECT_FALSE(SplitComposite("domain|ip", "evil.example").ok());
  EXPECT_FALSE(SplitComposite("domain|ip", "evil.example|").ok());
  EXPECT_FALSE(SplitComposite("filename|sha1", "|abc").ok());
  EXPECT_FALSE(SplitComposite("yara", "rule x {}").ok());
}

// A certificate's fingerprint is a hash value (matched against Suricata's
// tls.fingerprint), written back to MISP under its own type and category.
TEST(MispTypeToObservableTest, CertificateFingerprintsAreHashValues) {
  EXPECT_EQ(MispTypeToObservable("x509-fingerprint-md5"), ObservableType::kMd5);
  EXPECT_EQ(MispTypeToObservable("x509-fingerprint-sha1"), ObservableType::kSha1);
  EXPECT_EQ(MispTypeToObservable("x509-fingerprint-sha256"), ObservableType::kSha256);
  EXPECT_EQ(misp_internal::DefaultCategory("x509-fingerprint-sha1", ObservableType::kSha1), "Network activity");
  EXPECT_TRUE(misp_internal::CategoryAllowsType("Network activity", "x509-fingerprint-sha1"));
  EXPECT_FALSE(misp_internal::CategoryAllowsType("Persistence mechanism", "x509-fingerprint-sha1"));
}

TEST(MispCategoryTest, RoleIsTheCategorySlugAndBack) {
  EXPECT_EQ(misp_internal::RoleFromCategory("Network activity"), "network-activity");
  EXPECT_EQ(misp_internal::RoleFromCategory("Payload delivery"), "payload-delivery");
  EXPECT_EQ(misp_internal::CategoryForRole("payload-delivery"), "Payload delivery");
  EXPECT_EQ(misp_internal::CategoryForRole("support-tool"), "Support Tool");
  EXPECT_FALSE(misp_internal::CategoryForRole("c2").has_value());
}

}  // namespace
}  // namespace accord
