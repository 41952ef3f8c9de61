// ParseWarningList and WarningListMatcher on lists the tests write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "misp/misp.h"

namespace accord {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

Result<WarningListRecord> ParseText(const std::string& text, const std::string& name = "list.json") {
  auto in = OpenInputFromMemory(name, text);
  if (!in.ok()) return in.status();
  return ParseWarningList(**in);
}

Json ValidList() {
  return Json{{"name", "List of RFC 1918 CIDR blocks"},
              {"description", "private networks"},
              {"version", 5},
              {"type", "cidr"},
              {"list", {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}},
              {"matching_attributes", {"ip-src", "ip-dst", "domain|ip"}}};
}

TEST(ParseWarningListTest, ReadsEveryField) {
  auto list = ParseText(ValidList().dump());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->name, "List of RFC 1918 CIDR blocks");
  EXPECT_EQ(list->description, "private networks");
  EXPECT_EQ(list->version, 5);
  EXPECT_EQ(list->type, "cidr");
  EXPECT_THAT(list->entries, ElementsAre("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"));
  EXPECT_THAT(list->matching_attributes, ElementsAre("ip-src", "ip-dst", "domain|ip"));
}

TEST(ParseWarningListTest, MatchingAttributesAreOptional) {
  Json list = ValidList();
  list.erase("matching_attributes");
  auto parsed = ParseText(list.dump());
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->matching_attributes.empty());
}

TEST(ParseWarningListTest, MissingRequiredFieldIsNamed) {
  for (const char* field : {"name", "description", "version", "type", "list"}) {
    Json list = ValidList();
    list.erase(field);
    auto parsed = ParseText(list.dump(), "rfc1918.json");
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(),
              std::string("rfc1918.json: field '") + field + "' is missing");
  }
}

TEST(ParseWarningListTest, WrongTypesAreNamed) {
  struct Case {
    std::string field;
    Json value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"name", 5, "list.json: field 'name' is not a string"},
      {"name", " ", "list.json: field 'name' is empty"},
      {"version", "5", "list.json: field 'version' is not an integer"},
      {"version", 5.5, "list.json: field 'version' is not an integer"},
      {"type", "glob", "list.json: field 'type': 'glob' is not one of cidr, hostname, string, "
                       "substring, regex"},
      {"list", "10.0.0.0/8", "list.json: field 'list' is not an array"},
      {"list", Json::array({"a", "b", 3}),
       "list.json: field 'list[2]' is neither a string nor an object with a value"},
      {"list", Json::array({"a", Json{{"comment", "no value"}}}),
       "list.json: field 'list[1].value' is missing or not a string"},
      {"matching_attributes", Json::object(),
       "list.json: field 'matching_attributes' is not an array"},
  };
  for (const Case& test_case : cases) {
    Json list = ValidList();
    list[test_case.field] = test_case.value;
    auto parsed = ParseText(list.dump());
    ASSERT_FALSE(parsed.ok()) << test_case.field;
    EXPECT_EQ(parsed.status().message(), test_case.message);
  }
}

// MISP's Warninglist::parseArray: "VALUE # COMMENT", or {"value", "comment"}.
TEST(ParseWarningListTest, EntriesLoseTheirCommentsAsInMisp) {
  Json list = ValidList();
  list["list"] = Json::array({"8.8.8.8/32 # google", " 9.9.9.9 ", "# a comment line",
                              Json{{"value", "1.1.1.1"}, {"comment", "cloudflare"}}});
  auto parsed = ParseText(list.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_THAT(parsed->entries, ElementsAre("8.8.8.8/32", "9.9.9.9", "1.1.1.1"));
}

TEST(ParseWarningListTest, BrokenJsonNamesFileAndLine) {
  std::string text = ValidList().dump(2);
  text.resize(text.size() - 10);
  auto parsed = ParseText(text, "broken.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("broken.json: not valid JSON"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("line"));
  auto not_object = ParseText("[1]", "array.json");
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.status().message(), "array.json: top level is not an object");
}

// --- matcher -----------------------------------------------------------------

WarningListRecord List(std::string name, std::string type, std::vector<std::string> entries,
                       std::vector<std::string> matching_attributes = {}) {
  WarningListRecord list;
  list.name = std::move(name);
  list.type = std::move(type);
  list.entries = std::move(entries);
  list.matching_attributes = std::move(matching_attributes);
  return list;
}

std::optional<std::string> MatchOne(const WarningListMatcher& matcher, ObservableType type,
                                    std::string value) {
  return matcher.Match(Observable{type, std::move(value)});
}

TEST(WarningListMatcherTest, Ipv4NetworkBoundaries) {
  auto matcher = WarningListMatcher::Build({List("rfc1918", "cidr", {"10.0.0.0/8"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "10.0.0.0"), "rfc1918");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "10.1.2.3"), "rfc1918");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "10.255.255.255"), "rfc1918");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv4, "9.255.255.255"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv4, "11.0.0.0"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv6, "::a00:1"));
}

TEST(WarningListMatcherTest, PlainAddressEntriesMatchOnlyThemselves) {
  auto matcher = WarningListMatcher::Build({List("dns", "cidr", {"8.8.8.8", "2001:4860:4860::8888"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "8.8.8.8"), "dns");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv4, "8.8.8.9"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv4, "8.8.8.7"));
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv6, "2001:4860:4860::8888"), "dns");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv6, "2001:4860:4860::8889"));
}

TEST(WarningListMatcherTest, NetworkMatchesOnlyWhenFullyInside) {
  auto matcher = WarningListMatcher::Build(
      {List("blocks", "cidr", {"10.0.0.0/9", "10.128.0.0/9", "192.168.0.0/16"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kCidr, "10.1.0.0/16"), "blocks");
  // Two adjacent /9 blocks cover the /8 together.
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kCidr, "10.0.0.0/8"), "blocks");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kCidr, "10.0.0.0/7"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kCidr, "192.168.0.0/15"));
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kCidr, "192.168.255.0/24"), "blocks");
}

TEST(WarningListMatcherTest, Ipv6NetworkBoundaries) {
  auto matcher = WarningListMatcher::Build({List("doc", "cidr", {"2001:db8::/32"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv6, "2001:db8::"), "doc");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv6, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
            "doc");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv6, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv6, "2001:db9::"));
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kCidr, "2001:db8:1::/48"), "doc");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kCidr, "2001:db8::/31"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv4, "32.1.13.184"));
}

TEST(WarningListMatcherTest, PrefixLengthsAtTheEdges) {
  auto matcher = WarningListMatcher::Build(
      {List("everything", "cidr", {"0.0.0.0/0", "::/0"}),
       List("mid", "cidr", {"2001:db8:0:0:8000::/65", "192.0.2.128/25"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "255.255.255.255"), "everything");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            "everything");
  auto mid_only = WarningListMatcher::Build(
      {List("mid", "cidr", {"2001:db8:0:0:8000::/65", "192.0.2.128/25"})});
  EXPECT_EQ(MatchOne(*mid_only, ObservableType::kIpv6, "2001:db8::8000:0:0:1"), "mid");
  EXPECT_FALSE(MatchOne(*mid_only, ObservableType::kIpv6, "2001:db8::7fff:ffff:ffff:ffff"));
  EXPECT_EQ(MatchOne(*mid_only, ObservableType::kIpv4, "192.0.2.128"), "mid");
  EXPECT_FALSE(MatchOne(*mid_only, ObservableType::kIpv4, "192.0.2.127"));
}

TEST(WarningListMatcherTest, EntriesWithHostBitsOrMappedFormAreUnderstood) {
  auto matcher = WarningListMatcher::Build(
      {List("odd", "cidr", {" 10.1.2.3/8 ", "::ffff:192.0.2.0/120"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "10.200.0.1"), "odd");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "192.0.2.77"), "odd");
}

TEST(WarningListMatcherTest, UnparsableEntriesAreSkipped) {
  auto matcher = WarningListMatcher::Build(
      {List("mixed", "cidr",
            {"not-an-ip", "10.0.0.0/33", "1.2.3.4/", "1.2.3.4/-1", "2001:db8::/129", "",
             "300.1.1.1", "01.2.3.4", std::string(200, '1'), "203.0.113.9"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "203.0.113.9"), "mixed");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv4, "1.2.3.4"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv4, "10.0.0.1"));
}

TEST(WarningListMatcherTest, HostnameCoversSubdomainsButNotLookAlikes) {
  auto matcher = WarningListMatcher::Build({List("top", "hostname", {"google.com"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "google.com"), "top");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "mail.google.com"), "top");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "a.b.mail.google.com"), "top");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "notgoogle.com"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "google.com.evil.example"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "com"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "google.co"));
}

TEST(WarningListMatcherTest, HostnameEntriesAreNormalized) {
  auto matcher = WarningListMatcher::Build(
      {List("dyn", "hostname", {"GOOGLE.COM.", ".duckdns.org", "*.example.net", " spaced.example "})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "google.com"), "dyn");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "victim.duckdns.org"), "dyn");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "www.example.net"), "dyn");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "spaced.example"), "dyn");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "google.com."), "dyn");
}

TEST(WarningListMatcherTest, HostnameListsCheckTheHostOfUrlsAndEmails) {
  auto matcher = WarningListMatcher::Build({List("top", "hostname", {"google.com"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "https://mail.google.com/x?y=1"), "top");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "https://user:pw@google.com:8443/"), "top");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "http://google.com"), "top");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kUrl, "https://notgoogle.com/google.com"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kUrl, "http://[2001:db8::1]/google.com"));
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kEmail, "alice@google.com"), "top");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kEmail, "google.com@evil.example"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kFileName, "google.com"));
}

TEST(WarningListMatcherTest, StringListsMatchExactly) {
  auto matcher = WarningListMatcher::Build(
      {List("empty-hashes", "string",
            {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
             "D41D8CD98F00B204E9800998ECF8427E"},
            {"md5", "sha256", "filename|md5"}),
       List("tlds", "string", {"COM", "co.uk"}, {"hostname", "domain", "domain|ip"}),
       List("urls", "string", {"http://Example.com/A"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kSha256,
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "empty-hashes");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kMd5, "d41d8cd98f00b204e9800998ecf8427e"),
            "empty-hashes");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kSha256,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b856"));
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "com"), "tlds");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "co.uk"), "tlds");
  // Exact: a name under a listed TLD is not the TLD.
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "example.com"));
  // matching_attributes keeps the tlds list to domains.
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kFileName, "com"));
  // URLs compare as written: paths are case-sensitive.
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "http://Example.com/A"), "urls");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kUrl, "http://example.com/a"));
}

TEST(WarningListMatcherTest, SubstringListsMatchAnywhere) {
  auto matcher = WarningListMatcher::Build({List("paste", "substring", {"pastebin.com/raw"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "https://pastebin.com/raw/abc"), "paste");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kUrl, "https://pastebin.com/abc"));
}

// MISP runs preg_match on each entry: PHP patterns with delimiters and flags.
TEST(WarningListMatcherTest, RegexListsArePhpPcrePatterns) {
  auto matcher = WarningListMatcher::Build(
      {List("re", "regex",
            {"/^EVIL[0-9]+\\.example$/i", "#^https?://[^/]+/gate\\.php$#", ".*", "/(/", "/a/q"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "evil7.example"), "re");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "notevil7.example"));
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "http://c2.example/gate.php"), "re");
  // ".*" opens with the delimiter '.' and never closes it (PHP refuses it
  // too), so it matches nothing.
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "other.example"));
}

TEST(WarningListMatcherTest, ProblemsNameEachEntryThatCannotBeUsed) {
  EXPECT_THAT(WarningListProblems(List("bad", "cidr", {"garbage", "1.2.3.4/33", "8.8.8.8"})),
              ElementsAre("list[0] 'garbage': not an IP address or network",
                          "list[1] '1.2.3.4/33': not an IP address or network"));
  auto regex = WarningListProblems(List("re", "regex", {".*", "/(/", "/a/q", "/ok/i"}));
  ASSERT_EQ(regex.size(), 3u);
  // '.' is a delimiter to PHP too, so ".*" lacks its closing one.
  EXPECT_THAT(regex[0], HasSubstr("list[0] '.*': not a PCRE pattern: no closing delimiter"));
  EXPECT_THAT(regex[1], HasSubstr("list[1] '/(/': not a PCRE pattern: at offset 1"));
  EXPECT_THAT(regex[2], HasSubstr("unknown flag 'q'"));
  EXPECT_THAT(WarningListProblems(List("ua", "substring", {"curl"}, {"user-agent"})),
              ElementsAre(HasSubstr("the list flags nothing")));
  EXPECT_TRUE(WarningListProblems(List("ok", "hostname", {"example.com"}, {"domain"})).empty());
}

// Stored values are normalized; MISP compares the value as written, so an
// entry written as the attribute was must still flag the stored form.
TEST(WarningListMatcherTest, StringEntriesMatchTheNormalizedValue) {
  auto matcher = WarningListMatcher::Build(
      {List("s", "string", {"2001:DB8:0:0::1", "http://UrlNorm.example"}, {"ip-dst", "url"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv6, "2001:db8::1"), "s");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "http://urlnorm.example/"), "s");
}

TEST(WarningListMatcherTest, FirstListHoldingTheValueIsNamed) {
  auto matcher = WarningListMatcher::Build({List("rfc1918", "cidr", {"10.0.0.0/8"}),
                                            List("rfc5735", "cidr", {"10.0.0.0/8", "127.0.0.0/8"}),
                                            List("alexa", "hostname", {"example.com"}),
                                            List("tranco", "hostname", {"www.example.com"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "10.9.9.9"), "rfc1918");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv4, "127.0.0.1"), "rfc5735");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "www.example.com"), "alexa");
  auto reversed = WarningListMatcher::Build({List("tranco", "hostname", {"www.example.com"}),
                                             List("alexa", "hostname", {"example.com"})});
  EXPECT_EQ(MatchOne(*reversed, ObservableType::kDomain, "www.example.com"), "tranco");
}

TEST(WarningListMatcherTest, MatchingAttributesNarrowWhatAListAppliesTo) {
  auto matcher = WarningListMatcher::Build(
      {List("urls-only", "hostname", {"bit.ly"}, {"url"}),
       List("ips", "cidr", {"2001:db8::/32", "192.0.2.0/24"}, {"ip-src"}),
       List("nothing-we-hold", "hostname", {"example.org"}, {"ja3-fingerprint-md5"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "https://bit.ly/x"), "urls-only");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "bit.ly"));
  // ip-src holds IPv4, IPv6 and networks alike.
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kIpv6, "2001:db8::1"), "ips");
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kCidr, "192.0.2.0/25"), "ips");
  // As in MISP: attributes naming only types Accord does not hold leave
  // the list nothing to flag.
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, "www.example.org"));
}

// dynamic-dns declares domain, hostname and domain|ip: a C2's URL or mail
// address under a dynamic name stays live (MISP checks only the declared
// types); lists that name url (tranco, alexa) do check URLs.
TEST(WarningListMatcherTest, HostnameListsCheckUrlsOnlyWhenTheyNameUrls) {
  auto matcher = WarningListMatcher::Build(
      {List("dyn", "hostname", {"duckdns.org"}, {"domain", "hostname", "domain|ip"}),
       List("top", "hostname", {"google.com"}, {"hostname", "domain", "url", "domain|ip"})});
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kDomain, "rat.duckdns.org"), "dyn");
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kUrl, "http://rat.duckdns.org/gate.php"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kEmail, "bob@rat.duckdns.org"));
  EXPECT_EQ(MatchOne(*matcher, ObservableType::kUrl, "https://mail.google.com/"), "top");
}

TEST(WarningListMatcherTest, EmptyMatcherMatchesNothing) {
  auto matcher = WarningListMatcher::Build({});
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kIpv4, "10.0.0.1"));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kDomain, ""));
  EXPECT_FALSE(MatchOne(*matcher, ObservableType::kCidr, "garbage"));
}

TEST(WarningListMatcherTest, ConcurrentMatchesAgree) {
  auto matcher = WarningListMatcher::Build(
      {List("rfc1918", "cidr", {"10.0.0.0/8"}), List("top", "hostname", {"google.com"})});
  std::vector<int> hits(4, 0);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int round = 0; round < 2000; ++round) {
        hits[thread_idx] += MatchOne(*matcher, ObservableType::kIpv4, "10.0.0.1").has_value();
        hits[thread_idx] += MatchOne(*matcher, ObservableType::kDomain, "a.google.com").has_value();
        hits[thread_idx] += MatchOne(*matcher, ObservableType::kDomain, "b.example").has_value();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(hits, ElementsAre(4000, 4000, 4000, 4000));
}

// Match is on the import path (one call per value); this records its rate
// (see the "match_rate" property in the test XML) and checks the hit count,
// leaving timing assertions to bench/ where the machine is quiet.
TEST(WarningListMatcherTest, ManyLookupsOnLargeListsGiveExactHitCounts) {
  std::vector<std::string> hosts;
  std::vector<std::string> networks;
  for (int entry_idx = 0; entry_idx < 50000; ++entry_idx) {
    hosts.push_back("site" + std::to_string(entry_idx) + ".example");
    networks.push_back("10." + std::to_string(entry_idx / 256 % 256) + "." +
                       std::to_string(entry_idx % 256) + ".0/24");
  }
  auto matcher = WarningListMatcher::Build(
      {List("hosts", "hostname", hosts), List("nets", "cidr", networks)});
  std::vector<Observable> probes;
  for (int probe_idx = 0; probe_idx < 100000; ++probe_idx) {
    probes.push_back({ObservableType::kDomain,
                      "www.site" + std::to_string(probe_idx) + ".example"});  // half hit
    probes.push_back({ObservableType::kIpv4, "10." + std::to_string(probe_idx / 256 % 256) + "." +
                                                 std::to_string(probe_idx % 256) + ".7"});
  }
  auto start = std::chrono::steady_clock::now();
  size_t hit_count = 0;
  for (const Observable& probe : probes) hit_count += matcher->Match(probe).has_value();
  auto elapsed = std::chrono::steady_clock::now() - start;
  // Domains: probes 0..49 999. Addresses: the listed /24s are the first
  // 50 000 of 10.0.0.0/8; probes wrap after 65 536, so 50 000 + 34 464 hit.
  EXPECT_EQ(hit_count, 50000u + 50000u + 34464u);
  double seconds = std::chrono::duration<double>(elapsed).count();
  ::testing::Test::RecordProperty("match_rate",
                                  std::to_string(static_cast<int64_t>(probes.size() / seconds)));
}

}  // namespace
}  // namespace accord
