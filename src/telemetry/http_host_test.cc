// HTTP hosts and rebuilt URLs as the Zeek and Suricata readers give them.
#include <gtest/gtest.h>

#include "telemetry/telemetry_testing.h"

namespace accord::telemetry::internal {
namespace {

std::vector<SeenCandidate> Http(std::string_view host, std::string_view uri,
                                std::string_view port, std::string_view server = "192.0.2.80") {
  Scratch scratch;
  std::vector<Candidate> found;
  AppendHttpCandidates(host, server, uri, port, "10.0.0.5", scratch, found);
  std::vector<SeenCandidate> out;
  for (const Candidate& c : found) out.push_back({c.type, std::string(c.value), std::string(c.victim)});
  return out;
}

TEST(SplitHostTest, NamesAddressesAndPortsComeApart) {
  EXPECT_EQ(SplitHost("evil.example").name, "evil.example");
  EXPECT_EQ(SplitHost("evil.example").port, "");
  EXPECT_EQ(SplitHost("evil.example:8080").name, "evil.example");
  EXPECT_EQ(SplitHost("evil.example:8080").port, "8080");
  EXPECT_EQ(SplitHost("[2001:db8::1]:8443").name, "2001:db8::1");
  EXPECT_EQ(SplitHost("[2001:db8::1]:8443").port, "8443");
  EXPECT_EQ(SplitHost("2001:db8::1").name, "2001:db8::1");
  EXPECT_EQ(SplitHost("2001:db8::1").port, "");
}

std::vector<SeenCandidate> UrlHost(std::string_view url) {
  std::vector<Candidate> found;
  AppendUrlHostCandidate(url, "10.0.0.5", found);
  std::vector<SeenCandidate> out;
  for (const Candidate& c : found) out.push_back({c.type, std::string(c.value), std::string(c.victim)});
  return out;
}

TEST(UrlHostTest, AUrlGivesItsHostWithoutUserPortOrPath) {
  EXPECT_TRUE(Contains(UrlHost("http://user:pw@Evil.example:8080/x?y#z"), T::kDomain, "Evil.example"));
  EXPECT_TRUE(Contains(UrlHost("https://192.0.2.9/dl"), T::kIpv4, "192.0.2.9"));
  EXPECT_TRUE(Contains(UrlHost("ftp://[2001:db8::9]:21/f"), T::kIpv6, "2001:db8::9"));
  EXPECT_TRUE(Contains(UrlHost("http://evil.example?q=1"), T::kDomain, "evil.example"));
  EXPECT_TRUE(UrlHost("evil.example/path").empty());
  EXPECT_TRUE(UrlHost("http:///nohost").empty());
}

TEST(HttpCandidatesTest, PortOtherThan80IsWrittenIntoTheUrl) {
  auto found = Http("evil.example", "/gate.php", "8080");
  EXPECT_TRUE(Contains(found, T::kUrl, "http://evil.example:8080/gate.php"));
  EXPECT_FALSE(Contains(found, T::kUrl, "http://evil.example/gate.php"));
  EXPECT_TRUE(Contains(found, T::kDomain, "evil.example"));
}

TEST(HttpCandidatesTest, Port80OrNoPortLeavesTheUrlWithout) {
  EXPECT_TRUE(Contains(Http("evil.example", "/gate.php", "80"), T::kUrl,
                       "http://evil.example/gate.php"));
  EXPECT_TRUE(Contains(Http("evil.example", "/gate.php", ""), T::kUrl,
                       "http://evil.example/gate.php"));
}

TEST(HttpCandidatesTest, HostThatCarriesItsPortIsNotGivenASecond) {
  auto found = Http("evil.example:8081", "/x", "8081");
  EXPECT_TRUE(Contains(found, T::kUrl, "http://evil.example:8081/x"));
  EXPECT_TRUE(Contains(found, T::kDomain, "evil.example"));
  EXPECT_EQ(found.size(), 2u);
}

TEST(HttpCandidatesTest, IpLiteralHostIsLookedUpAsAnAddress) {
  auto v4 = Http("203.0.113.66", "/gate.php", "80");
  EXPECT_TRUE(Contains(v4, T::kIpv4, "203.0.113.66"));
  EXPECT_FALSE(Contains(v4, T::kDomain, "203.0.113.66"));
  EXPECT_TRUE(Contains(v4, T::kUrl, "http://203.0.113.66/gate.php"));

  auto v6 = Http("[2001:db8::66]:8080", "/gate.php", "8080");
  EXPECT_TRUE(Contains(v6, T::kIpv6, "2001:db8::66"));
  EXPECT_TRUE(Contains(v6, T::kUrl, "http://[2001:db8::66]:8080/gate.php"));

  auto bare_v6 = Http("2001:db8::66", "/gate.php", "8080");
  EXPECT_TRUE(Contains(bare_v6, T::kIpv6, "2001:db8::66"));
  EXPECT_TRUE(Contains(bare_v6, T::kUrl, "http://[2001:db8::66]:8080/gate.php"));
}

TEST(HttpCandidatesTest, ConnectTargetIsAHostNotAPath) {
  auto same = Http("evil.example:443", "evil.example:443", "3128");
  ASSERT_EQ(same.size(), 1u);
  EXPECT_TRUE(Contains(same, T::kDomain, "evil.example"));

  auto other = Http("proxy.example", "203.0.113.9:443", "3128");
  EXPECT_TRUE(Contains(other, T::kDomain, "proxy.example"));
  EXPECT_TRUE(Contains(other, T::kIpv4, "203.0.113.9"));
  for (const auto& c : other) EXPECT_NE(c.type, T::kUrl) << c.value;
}

TEST(HttpCandidatesTest, ProxyRequestKeepsItsAbsoluteUrl) {
  auto found = Http("evil.example", "http://evil.example/gate.php", "3128");
  EXPECT_TRUE(Contains(found, T::kUrl, "http://evil.example/gate.php"));
}

// HTTP/1.0 and some malware send no Host header: the URL is on the server's
// address, and no host candidate comes from the missing header.
TEST(HttpCandidatesTest, ARequestWithoutHostGivesItsUrlOnTheServerAddress) {
  auto v4 = Http("", "/bins/x.arm", "80");
  ASSERT_EQ(v4.size(), 1u);
  EXPECT_TRUE(Contains(v4, T::kUrl, "http://192.0.2.80/bins/x.arm"));
  EXPECT_TRUE(Contains(Http("", "/gate", "8080", "2001:db8::7"), T::kUrl, "http://[2001:db8::7]:8080/gate"));
  EXPECT_TRUE(Http("", "/gate", "80", "").empty());
  EXPECT_TRUE(Http("", "", "80").empty());
}

}  // namespace
}  // namespace accord::telemetry::internal
