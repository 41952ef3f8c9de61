// IPv4, IPv6 and CIDR normalization.

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>

#include "core/ip.h"
#include "core/observable.h"
#include "core/observable_testing.h"

namespace accord {
namespace {

using observable_testing::ExpectNormalizes;
using observable_testing::ExpectRejected;
using T = ObservableType;

TEST(NormalizeTest, Ipv4DottedQuadIsKept) {
  ExpectNormalizes(T::kIpv4, "192.168.1.1", "192.168.1.1");
  ExpectNormalizes(T::kIpv4, "0.0.0.0", "0.0.0.0");
  ExpectNormalizes(T::kIpv4, "255.255.255.255", "255.255.255.255");
}

TEST(NormalizeTest, Ipv4SurroundingWhitespaceIsIgnored) {
  ExpectNormalizes(T::kIpv4, " \t8.8.8.8\r\n", "8.8.8.8");
}

TEST(NormalizeTest, Ipv4DefangedIsRefanged) {
  ExpectNormalizes(T::kIpv4, "1[.]2[.]3[.]4", "1.2.3.4");
  ExpectNormalizes(T::kIpv4, "10(.)0{.}0[dot]1", "10.0.0.1");
}

TEST(NormalizeTest, Ipv4LeadingZeroIsRejectedAsAmbiguousOctal) {
  ExpectRejected(T::kIpv4, "010.1.1.1", "IPv4 octet '010' has a leading zero");
  ExpectRejected(T::kIpv4, "1.2.3.00", "leading zero");
}

TEST(NormalizeTest, Ipv4OctetOutOfRangeIsRejected) {
  ExpectRejected(T::kIpv4, "1.2.3.256", "IPv4 octet 256 out of range");
  ExpectRejected(T::kIpv4, "1.2.3.1000", "IPv4 octet 1000 out of range");
}

TEST(NormalizeTest, Ipv4WrongOctetCountIsRejected) {
  ExpectRejected(T::kIpv4, "1.2.3", "has 3 octets, expected 4");
  ExpectRejected(T::kIpv4, "1", "has 1 octets, expected 4");
  ExpectRejected(T::kIpv4, "1.2.3.4.5", "more than 4 octets");
  ExpectRejected(T::kIpv4, "1.2.3.4.", "empty octet");
  ExpectRejected(T::kIpv4, ".1.2.3", "empty octet");
  ExpectRejected(T::kIpv4, "1..2.3", "empty octet");
}

TEST(NormalizeTest, Ipv4NonDecimalFormsAreRejected) {
  ExpectRejected(T::kIpv4, "0x7f.0.0.1", "invalid character 'x'");
  ExpectRejected(T::kIpv4, "1.2.3.-4", "invalid character '-'");
  ExpectRejected(T::kIpv4, "+1.2.3.4", "invalid character '+'");
  ExpectRejected(T::kIpv4, "1.2.3.4 5", "invalid character ' '");
  ExpectRejected(T::kIpv4, "example.com", "invalid character 'e'");
}

TEST(NormalizeTest, Ipv4TypeRejectsPlainIpv6) {
  ExpectRejected(T::kIpv4, "2001:db8::1", "is an IPv6 address, not IPv4");
}

TEST(NormalizeTest, Ipv4MappedIpv6BecomesIpv4) {
  ExpectNormalizes(T::kIpv6, "::ffff:1.2.3.4", T::kIpv4, "1.2.3.4");
  ExpectNormalizes(T::kIpv6, "::FFFF:102:304", T::kIpv4, "1.2.3.4");
  ExpectNormalizes(T::kIpv6, "0:0:0:0:0:ffff:0102:0304", T::kIpv4, "1.2.3.4");
  ExpectNormalizes(T::kIpv6, "[::ffff:192.0.2.1]", T::kIpv4, "192.0.2.1");
  ExpectNormalizes(T::kIpv4, "::ffff:1.2.3.4", T::kIpv4, "1.2.3.4");
}

TEST(NormalizeTest, Ipv6IsWrittenInRfc5952CanonicalForm) {
  struct Case {
    const char* raw;
    const char* canonical;
  };
  const Case cases[] = {
      {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},  // leading zeros, run
      {"2001:DB8::1", "2001:db8::1"},                              // lower case
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},               // first run on a tie
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},                     // longest run
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},            // one zero not compressed
      {"2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},             // '::' for one group
      {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
      {"2001:db8::0:1", "2001:db8::1"},
      {"0:0:1:0:0:0:0:0", "0:0:1::"},
      {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
      {"0:0:0:0:0:0:0:0", "::"},
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
      {"ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"},
      {"::1.2.3.4", "::102:304"},                    // IPv4-compatible: hex, not dotted
      {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},  // embedded IPv4 elsewhere too
      {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
  };
  for (const Case& c : cases) ExpectNormalizes(T::kIpv6, c.raw, c.canonical);
}

TEST(NormalizeTest, Ipv6BracketsAreAccepted) {
  ExpectNormalizes(T::kIpv6, "[2001:db8::1]", "2001:db8::1");
}

// A zone names an interface of one host, meaningless to anyone else.
TEST(NormalizeTest, Ipv6ZoneIdIsDropped) {
  ExpectNormalizes(T::kIpv6, "fe80::1%eth0", "fe80::1");
  ExpectNormalizes(T::kIpv6, "[fe80::1%25en0]", "fe80::1");
  ExpectRejected(T::kIpv6, "fe80::1%", "empty zone id");
  // A zone is an interface name: the rest of a hosts line is not one.
  ExpectRejected(T::kIpv6, "fe80::1%lo0 localhost", "no interface name");
}

TEST(NormalizeTest, Ipv6MalformedIsRejected) {
  ExpectRejected(T::kIpv6, "2001:db8::1::2", "more than one '::'");
  ExpectRejected(T::kIpv6, "2001:db8:::1", "empty group");
  ExpectRejected(T::kIpv6, "1:2:3:4:5:6:7:8:9", "more than 8 groups");
  ExpectRejected(T::kIpv6, "1:2:3:4:5:6:7", "has 7 groups, expected 8");
  ExpectRejected(T::kIpv6, "1:2:3:4:5:6:7::8", "8 groups and a '::'");
  ExpectRejected(T::kIpv6, "12345::", "more than 4 hex digits");
  ExpectRejected(T::kIpv6, "g::1", "invalid character 'g'");
  ExpectRejected(T::kIpv6, ":1::", "starts with a single ':'");
  ExpectRejected(T::kIpv6, "1::2:", "ends with a single ':'");
  ExpectRejected(T::kIpv6, "[::1", "lacks its ']'");
  ExpectRejected(T::kIpv6, "::1]", "lacks its '['");
  ExpectRejected(T::kIpv6, "[]", "IPv6 address is empty");
  ExpectRejected(T::kIpv6, "::ffff:1.2.3.256", "IPv4 octet 256 out of range");
  ExpectRejected(T::kIpv6, "1.2.3.4::", "IPv4 part before its end");
  ExpectRejected(T::kIpv6, "1:2:3:4:5:6:7:1.2.3.4", "more than 8 groups");
}

TEST(NormalizeTest, Ipv6TypeRejectsIpv4) {
  ExpectRejected(T::kIpv6, "1.2.3.4", "is an IPv4 address, not IPv6");
  ExpectRejected(T::kIpv6, "example.com", "not an IPv6 address");
}

// Cross-check of the formatter against glibc on random addresses rich in
// zero groups. Excluded: the IPv4-mapped (becomes ipv4) and IPv4-compatible
// (glibc prints dotted) ranges, where we intentionally differ.
TEST(NormalizeTest, Ipv6FormatterAgreesWithInetNtopOnRandomAddresses) {
  std::mt19937 random(20240601);
  int compared = 0;
  for (int round = 0; round < 20000; ++round) {
    std::array<uint8_t, 16> bytes{};
    for (int group = 0; group < 8; ++group) {
      if (random() % 2 == 0) continue;  // leave a zero group
      uint32_t value = random() % 3 == 0 ? 1 + random() % 15 : random() % 65536;
      bytes[2 * group] = static_cast<uint8_t>(value >> 8);
      bytes[2 * group + 1] = static_cast<uint8_t>(value & 0xff);
    }
    bool first_80_bits_zero = true;
    for (int idx = 0; idx < 10; ++idx) first_80_bits_zero = first_80_bits_zero && bytes[idx] == 0;
    if (first_80_bits_zero) continue;
    char text[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET6, bytes.data(), text, sizeof(text)), nullptr);
    // Feed a fully expanded upper-case form so that formatting is tested.
    char expanded[64];
    std::snprintf(expanded, sizeof(expanded),
                  "%02X%02X:%02X%02X:%02X%02X:%02X%02X:%02X%02X:%02X%02X:%02X%02X:%02X%02X",
                  bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                  bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14],
                  bytes[15]);
    Result<Observable> out = Normalize(T::kIpv6, expanded);
    ASSERT_TRUE(out.ok()) << expanded << ": " << out.status().message();
    ASSERT_EQ(out->value, text) << expanded;
    ++compared;
  }
  EXPECT_GT(compared, 15000);
}

TEST(NormalizeTest, CidrHostBitsAreCleared) {
  ExpectNormalizes(T::kCidr, "10.1.2.3/8", "10.0.0.0/8");
  ExpectNormalizes(T::kCidr, "192.168.1.77/26", "192.168.1.64/26");
  ExpectNormalizes(T::kCidr, "255.255.255.255/0", "0.0.0.0/0");
  ExpectNormalizes(T::kCidr, "172.16.0.1/31", "172.16.0.0/31");
  ExpectNormalizes(T::kCidr, "2001:DB8:1::ab/32", "2001:db8::/32");
  ExpectNormalizes(T::kCidr, "2001:db8::1/127", "2001:db8::/127");
  ExpectNormalizes(T::kCidr, "2001:db8:ffff:ffff::/33", "2001:db8:8000::/33");
  ExpectNormalizes(T::kCidr, "::/0", "::/0");
  ExpectNormalizes(T::kCidr, "[2001:db8::]/48", "2001:db8::/48");
}

TEST(NormalizeTest, CidrOfOneAddressBecomesTheAddress) {
  ExpectNormalizes(T::kCidr, "1.2.3.4/32", T::kIpv4, "1.2.3.4");
  ExpectNormalizes(T::kCidr, "2001:db8::1/128", T::kIpv6, "2001:db8::1");
  ExpectNormalizes(T::kCidr, "::ffff:1.2.3.4/128", T::kIpv4, "1.2.3.4");
  // A bare address in a cidr field is the network of that one address.
  ExpectNormalizes(T::kCidr, "1.2.3.4", T::kIpv4, "1.2.3.4");
  ExpectNormalizes(T::kCidr, "2001:DB8::1", T::kIpv6, "2001:db8::1");
}

// STIX ipv4-addr / ipv6-addr values may carry a prefix.
TEST(NormalizeTest, AddressTypesWithPrefixBecomeCidr) {
  ExpectNormalizes(T::kIpv4, "10.1.2.3/8", T::kCidr, "10.0.0.0/8");
  ExpectNormalizes(T::kIpv6, "2001:db8::1/64", T::kCidr, "2001:db8::/64");
}

TEST(NormalizeTest, Ipv4MappedNetworkBecomesIpv4Network) {
  ExpectNormalizes(T::kCidr, "::ffff:10.1.0.0/112", "10.1.0.0/16");
  ExpectNormalizes(T::kCidr, "::ffff:0:0/96", "0.0.0.0/0");
  ExpectNormalizes(T::kCidr, "::ffff:c000:280/120", "192.0.2.0/24");
  // Shorter than /96 reaches outside the mapped space: it stays IPv6.
  ExpectNormalizes(T::kCidr, "::ffff:0:0/95", "::fffe:0:0/95");
}

TEST(NormalizeTest, CidrPrefixIsRangeChecked) {
  ExpectRejected(T::kCidr, "10.0.0.0/33", "IPv4 prefix length 33 out of range (0..32)");
  ExpectRejected(T::kCidr, "2001:db8::/129", "IPv6 prefix length 129 out of range (0..128)");
  ExpectRejected(T::kCidr, "10.0.0.0/1000", "out of range");
  ExpectRejected(T::kCidr, "10.0.0.0/", "no prefix length");
  ExpectRejected(T::kCidr, "10.0.0.0/abc", "is not a number");
  ExpectRejected(T::kCidr, "10.0.0.0/-1", "is not a number");
}

TEST(NormalizeTest, CidrMalformedAddressIsRejected) {
  ExpectRejected(T::kCidr, "10.0.0/8", "has 3 octets");
  ExpectRejected(T::kCidr, "10.0.0.0/8/9", "invalid character '/'");
  ExpectRejected(T::kCidr, "/8", "empty octet");
  ExpectRejected(T::kCidr, "2001:db8:::/32", "empty group");
  ExpectRejected(T::kCidr, "010.0.0.0/8", "leading zero");
  ExpectRejected(T::kCidr, "example.com/24", "invalid character 'e'");
}

}  // namespace
}  // namespace accord

namespace accord {
namespace {

TEST(IpNetworkTest, ParsesBothFamiliesAndClearsHostBits) {
  auto v4 = ParseIpNetwork("10.1.2.3/8");
  ASSERT_TRUE(v4.ok()) << v4.status().ToString();
  EXPECT_EQ(FormatIp(v4->address), "10.0.0.0");
  EXPECT_EQ(v4->prefix_length, 8);
  auto v6 = ParseIpNetwork("2001:db8::1/32");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(FormatIp(v6->address), "2001:db8::");
  auto single = ParseIpNetwork("::ffff:192.0.2.7");
  ASSERT_TRUE(single.ok());
  EXPECT_TRUE(single->address.is_v4);
  EXPECT_EQ(single->prefix_length, 32);
}

TEST(IpNetworkTest, RejectsBadPrefixesWithTheReason) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "2001:db8::/129", "300.0.0.0/8"}) {
    auto network = ParseIpNetwork(bad);
    EXPECT_FALSE(network.ok()) << bad;
    EXPECT_EQ(network.status().code(), Status::Code::kInvalidArgument) << bad;
  }
}

TEST(IpNetworkTest, ContainsChecksFamilyAndPartialBytes) {
  auto network = ParseIpNetwork("192.0.2.128/25");
  ASSERT_TRUE(network.ok());
  EXPECT_TRUE(NetworkContains(*network, *ParseIp("192.0.2.200")));
  EXPECT_FALSE(NetworkContains(*network, *ParseIp("192.0.2.127")));
  EXPECT_FALSE(NetworkContains(*network, *ParseIp("::c000:2c8")));
  auto everything = ParseIpNetwork("0.0.0.0/0");
  ASSERT_TRUE(everything.ok());
  EXPECT_TRUE(NetworkContains(*everything, *ParseIp("203.0.113.9")));
}

}  // namespace
}  // namespace accord
