#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "stix/stix.h"

namespace accord {
namespace {

std::vector<PatternTerm> Terms(std::string_view pattern) {
  auto parsed = ParsePattern(pattern);
  EXPECT_TRUE(parsed.ok()) << pattern << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : std::vector<PatternTerm>{};
}

std::string ErrorOf(std::string_view pattern) {
  auto parsed = ParsePattern(pattern);
  EXPECT_FALSE(parsed.ok()) << pattern << " parsed";
  return parsed.ok() ? "" : parsed.status().message();
}

void ExpectSingle(std::string_view pattern, ObservableType type, std::string_view value) {
  auto terms = Terms(pattern);
  ASSERT_EQ(terms.size(), 1u) << pattern;
  EXPECT_EQ(terms[0].type, type) << pattern;
  EXPECT_EQ(terms[0].value, value) << pattern;
}

TEST(ParsePatternTest, EverySupportedObjectPath) {
  ExpectSingle("[ipv4-addr:value = '198.51.100.7']", ObservableType::kIpv4, "198.51.100.7");
  ExpectSingle("[ipv4-addr:value = '198.51.100.0/24']", ObservableType::kCidr, "198.51.100.0/24");
  ExpectSingle("[ipv6-addr:value = '2001:db8::1']", ObservableType::kIpv6, "2001:db8::1");
  ExpectSingle("[ipv6-addr:value = '2001:db8::/32']", ObservableType::kCidr, "2001:db8::/32");
  ExpectSingle("[domain-name:value = 'evil.example']", ObservableType::kDomain, "evil.example");
  ExpectSingle("[url:value = 'http://evil.example/a?b=c']", ObservableType::kUrl, "http://evil.example/a?b=c");
  ExpectSingle("[email-addr:value = 'bad@evil.example']", ObservableType::kEmail, "bad@evil.example");
  ExpectSingle("[file:name = 'invoice.pdf.exe']", ObservableType::kFileName, "invoice.pdf.exe");
  ExpectSingle("[cryptocurrency-wallet:address = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh']",
               ObservableType::kWallet, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
  ExpectSingle("[x-cryptocurrency-wallet:address = 'abc']", ObservableType::kWallet, "abc");
}

TEST(ParsePatternTest, OpenCtiHostnameAndWalletPathsAreDomainAndWallet) {
  ExpectSingle("[hostname:value = 'c2.evil.example']", ObservableType::kDomain, "c2.evil.example");
  ExpectSingle("[x-opencti-hostname:value = 'c2.evil.example']", ObservableType::kDomain, "c2.evil.example");
  ExpectSingle("[cryptocurrency-wallet:value = '1BoatSLRHtKNngkdXEeobR76b53LETtpyT']", ObservableType::kWallet,
               "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
  ExpectSingle("[x-opencti-cryptocurrency-wallet:value = 'abc']", ObservableType::kWallet, "abc");
}

TEST(ParsePatternTest, HashNamesInEverySpelling) {
  const std::string md5 = "d41d8cd98f00b204e9800998ecf8427e";
  ExpectSingle("[file:hashes.MD5 = '" + md5 + "']", ObservableType::kMd5, md5);
  ExpectSingle("[file:hashes.'MD5' = '" + md5 + "']", ObservableType::kMd5, md5);
  const std::string sha1(40, 'a'), sha256(64, 'B');
  ExpectSingle("[file:hashes.'SHA-1' = '" + sha1 + "']", ObservableType::kSha1, sha1);
  ExpectSingle("[file:hashes.SHA1 = '" + sha1 + "']", ObservableType::kSha1, sha1);
  ExpectSingle("[file:hashes.'SHA-256' = '" + sha256 + "']", ObservableType::kSha256, sha256);
  ExpectSingle("[file:hashes.SHA256 = '" + sha256 + "']", ObservableType::kSha256, sha256);
  ExpectSingle("[file:hashes.sha256 = '" + sha256 + "']", ObservableType::kSha256, sha256);
}

// As the OASIS validator's pattern check: a hash that is not hex of its
// algorithm's length makes the pattern invalid (not a value to reject
// while the indicator is stored and served on), naming where it is.
TEST(ParsePatternTest, AHashOfTheWrongShapeIsAnInvalidPattern) {
  EXPECT_EQ(ErrorOf("[file:hashes.MD5 = 'nothex']"),
            "pattern offset 19: 'nothex' is not a valid MD5 hash (32 hex digits)");
  EXPECT_NE(ErrorOf("[file:hashes.'SHA-1' = '" + std::string(39, 'a') + "']").find("SHA-1"), std::string::npos);
  EXPECT_NE(ErrorOf("[x509-certificate:hashes.'SHA-256' = '" + std::string(63, 'c') + "z']").find("SHA-256"),
            std::string::npos);
  auto parsed = ParsePattern("[file:hashes.MD5 = 'nothex']");
  EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
}

TEST(ParsePatternTest, StringEscapesAreUndone) {
  ExpectSingle(R"([file:name = 'it\'s here'])", ObservableType::kFileName, "it's here");
  ExpectSingle(R"([file:name = 'C:\\Temp\\x.exe'])", ObservableType::kFileName, R"(C:\Temp\x.exe)");
  ExpectSingle("[file:name = 'файл.exe']", ObservableType::kFileName, "файл.exe");
}

TEST(ParsePatternTest, WhiteSpaceIsFree) {
  ExpectSingle("  [ \t domain-name:value\n=\n'a.example'  ]  ", ObservableType::kDomain, "a.example");
  ExpectSingle("[domain-name:value='a.example']", ObservableType::kDomain, "a.example");
}

TEST(ParsePatternTest, AndOrInsideAndBetweenObservations) {
  auto inside = Terms("[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value = '192.0.2.2' AND "
                      "domain-name:value = 'x.example']");
  ASSERT_EQ(inside.size(), 3u);
  EXPECT_EQ(inside[2].type, ObservableType::kDomain);

  auto between = Terms("[url:value = 'http://a.example/'] OR ([file:hashes.MD5 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'] AND "
                       "[file:name = 'b.exe'])");
  ASSERT_EQ(between.size(), 3u);
  EXPECT_EQ(between[0].type, ObservableType::kUrl);
  EXPECT_EQ(between[1].type, ObservableType::kMd5);
  EXPECT_EQ(between[2].type, ObservableType::kFileName);

  auto nested = Terms("[(domain-name:value = 'a.example' OR (domain-name:value = 'b.example'))]");
  EXPECT_EQ(nested.size(), 2u);
}

// "svchost.exe" matched alone would alert on every Windows host: beside a
// hash of the same file it only describes that file.
TEST(ParsePatternTest, AFileNameAndedWithAHashOfTheSameFileIsContextOnly) {
  const std::string md5 = "d41d8cd98f00b204e9800998ecf8427e";
  auto anded = Terms("[file:name = 'svchost.exe' AND file:hashes.MD5 = '" + md5 + "']");
  ASSERT_EQ(anded.size(), 2u);
  EXPECT_EQ(anded[0].type, ObservableType::kFileName);
  EXPECT_TRUE(anded[0].context_only);
  EXPECT_FALSE(anded[1].context_only);

  // AND binds tighter than OR; a parenthesised part is part of the AND.
  auto mixed = Terms("[file:name = 'a.exe' OR file:name = 'b.exe' AND file:hashes.'SHA-256' = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' "
                     "OR (file:name = 'c.exe' OR file:name = 'd.exe') AND file:hashes.MD5 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']");
  ASSERT_EQ(mixed.size(), 6u);
  EXPECT_FALSE(mixed[0].context_only) << "a.exe stands alone in its OR branch";
  EXPECT_TRUE(mixed[1].context_only) << "b.exe is ANDed with the SHA-256";
  EXPECT_TRUE(mixed[3].context_only) << "c.exe is in a group ANDed with the MD5";
  EXPECT_TRUE(mixed[4].context_only) << "d.exe is in a group ANDed with the MD5";

  EXPECT_FALSE(Terms("[file:name = 'a.exe' OR file:hashes.MD5 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']")[0].context_only);
  // Different observations may be different files.
  EXPECT_FALSE(Terms("[file:name = 'a.exe'] AND [file:hashes.MD5 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']")[0].context_only);
  // Beside a comparison that is left out the name is all there is to match.
  EXPECT_FALSE(Terms("[file:name = 'a.exe' AND file:hashes.SSDEEP = '3:a:b']")[0].context_only);
  // The same name written again on its own is matched.
  auto twice = Terms("[file:name = 'a.exe' AND file:hashes.MD5 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'] OR [file:name = 'a.exe']");
  ASSERT_EQ(twice.size(), 2u);
  EXPECT_FALSE(twice[0].context_only);
  // Only file names become context: two matched values of other kinds stay.
  for (const auto& term : Terms("[domain-name:value = 'a.example' AND "
                                "domain-name:resolves_to_refs[*].value = '192.0.2.9']")) {
    EXPECT_FALSE(term.context_only) << term.value;
  }
}

TEST(ParsePatternTest, RepeatedComparisonGivesOneTerm) {
  EXPECT_EQ(Terms("[domain-name:value = 'a.example'] OR [domain-name:value = 'a.example']").size(), 1u);
}

TEST(ParsePatternTest, OtherOperatorsAreRejectedByName) {
  EXPECT_NE(ErrorOf("[domain-name:value != 'a.example']").find("operator !="), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value MATCHES '^a']").find("operator MATCHES"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value LIKE 'a%']").find("operator LIKE"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value IN ('a', 'b')]").find("operator IN"), std::string::npos);
  EXPECT_NE(ErrorOf("[file:name ISSUBSET 'a']").find("operator ISSUBSET"), std::string::npos);
  EXPECT_NE(ErrorOf("[ipv4-addr:value ISSUPERSET '10.0.0.1']").find("ISSUPERSET"), std::string::npos);
  EXPECT_NE(ErrorOf("[file:size > 10]").find("operator >"), std::string::npos);
  EXPECT_NE(ErrorOf("[file:size <= 10]").find("operator <="), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value NOT = 'a']").find("NOT"), std::string::npos);
}

TEST(ParsePatternTest, QualifiersAndFollowedByAreRejected) {
  EXPECT_NE(ErrorOf("[domain-name:value = 'a'] WITHIN 300 SECONDS").find("qualifier WITHIN"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = 'a'] REPEATS 5 TIMES").find("qualifier REPEATS"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = 'a'] START t'2016-06-01T00:00:00Z' STOP "
                    "t'2016-07-01T00:00:00Z'")
                .find("qualifier START"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = 'a'] FOLLOWEDBY [domain-name:value = 'b']").find("FOLLOWEDBY"),
            std::string::npos);
}

// As stix2patterns checks them: a malformed qualifier, or a second one of
// the same kind on one bracketed observation, makes the pattern invalid
// (the indicator is not stored); valid ones leave it unsupported.
TEST(ParsePatternTest, MalformedOrRepeatedQualifiersAreInvalid) {
  for (std::string_view pattern : {
           "[domain-name:value = 'a'] WITHIN 5 SECONDS WITHIN 6 SECONDS",
           "[domain-name:value = 'a'] REPEATS 2 TIMES REPEATS 3 TIMES",
           "[domain-name:value = 'a'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z' "
           "START t'2016-08-01T00:00:00Z' STOP t'2016-09-01T00:00:00Z'",
           "[domain-name:value = 'a'] WITHIN SECONDS",
           "[domain-name:value = 'a'] WITHIN 5",
           "[domain-name:value = 'a'] REPEATS 2.5 TIMES",
           "[domain-name:value = 'a'] START t'2016-06-01' STOP t'2016-07-01T00:00:00Z'",
           "[domain-name:value = 'a'] START t'2016-06-01T00:00:00Z'",
           "[domain-name:value = 'a'] STOP t'2016-06-01T00:00:00Z'",
           // A malformed rest after a valid qualifier is still found.
           "[domain-name:value = 'a'] WITHIN 5 SECONDS AND [domain-name:value = 'b'",
           "[domain-name:value = 'a'] WITHIN 5 SECONDS OR [domain-name:value = 'b'] WITHIN 1 SECONDS "
           "WITHIN 2 SECONDS",
       }) {
    auto parsed = ParsePattern(pattern);
    ASSERT_FALSE(parsed.ok()) << pattern;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument) << pattern << ": " << parsed.status().message();
  }
  EXPECT_EQ(ErrorOf("[domain-name:value = 'a'] WITHIN 5 SECONDS WITHIN 6 SECONDS"),
            "pattern offset 43: duplicate qualifier WITHIN on one observation");
  // One of each kind, a fraction of a second, a 2.0 plain-string START, and
  // the same kind again on a parenthesised group: valid, not matched.
  for (std::string_view pattern : {
           "[domain-name:value = 'a'] WITHIN 5 SECONDS REPEATS 2 TIMES",
           "[domain-name:value = 'a'] WITHIN 0.5 SECONDS",
           "[domain-name:value = 'a'] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00.5Z'",
           "([domain-name:value = 'a'] WITHIN 5 SECONDS) WITHIN 6 SECONDS",
       }) {
    auto parsed = ParsePattern(pattern);
    ASSERT_FALSE(parsed.ok()) << pattern;
    EXPECT_EQ(parsed.status().code(), Status::Code::kFailedPrecondition) << pattern << ": " << parsed.status().message();
  }
}

// 2.0's spellings (bare hyphenated names, untyped START/STOP strings) are
// rewritten as 2.1's grammar wants them; everything else stays byte for
// byte, and a pattern already in 2.1's syntax needs no rewrite.
TEST(PatternInStix21SyntaxTest, QuotesHyphenatedNamesAndTypesQualifierTimestamps) {
  EXPECT_EQ(PatternInStix21Syntax("[file:hashes.SHA-256 = 'ab']  AND  [file:hashes.MD5 = 'cd']"),
            "[file:hashes.'SHA-256' = 'ab']  AND  [file:hashes.MD5 = 'cd']");
  EXPECT_EQ(PatternInStix21Syntax("[domain-name:value = 'x-y.example'] START '2016-06-01T00:00:00Z' "
                                  "STOP '2016-07-01T00:00:00Z'"),
            "[domain-name:value = 'x-y.example'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'");
  EXPECT_EQ(PatternInStix21Syntax("[file:extensions.windows-pebinary-ext.imphash = 'x']"),
            "[file:extensions.'windows-pebinary-ext'.imphash = 'x']");
  EXPECT_EQ(PatternInStix21Syntax("[file:hashes.'SHA-256' = 'ab'] WITHIN 0.5 SECONDS"), std::nullopt);
  EXPECT_EQ(PatternInStix21Syntax("[x509-certificate:hashes.MD5 = 'ab']"), std::nullopt);
  EXPECT_EQ(PatternInStix21Syntax("[file:name = 'unterminated]"), std::nullopt);
  EXPECT_EQ(PatternInStix21Syntax("[x-custom:some-name = 'v']"), "[x-custom:'some-name' = 'v']");
  // The rewrite reads as the original did; a quoted name right after ':'
  // is a name too.
  EXPECT_EQ(ErrorOf("[x-custom:'some-name' = 'v']"), ErrorOf("[x-custom:some-name = 'v']"));
  EXPECT_NE(ErrorOf("[x-custom:'some-name' = 'v']").find("unsupported: x-custom:some-name"), std::string::npos);
  const std::string sha256(64, 'a');
  auto rewritten = Terms(*PatternInStix21Syntax("[file:hashes.SHA-256 = '" + sha256 + "']"));
  ASSERT_EQ(rewritten.size(), 1u);
  EXPECT_EQ(rewritten[0].type, ObservableType::kSha256);
}

TEST(ParsePatternTest, UnsupportedObjectPathsAreNamed) {
  EXPECT_NE(ErrorOf("[process:name = 'evil.exe']").find("unsupported: process:name"), std::string::npos);
  EXPECT_NE(ErrorOf("[file:hashes.'SHA-512' = 'aa']").find("unsupported: file:hashes.SHA-512"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[email-message:subject = 'invoice']").find("unsupported: email-message:subject"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[network-traffic:dst_ref.type = 'mac-addr' AND network-traffic:dst_ref.value = "
                    "'00:11:22:33:44:55']")
                .find("unsupported: network-traffic:dst_ref of type 'mac-addr'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[ipv4-addr:value ISSUBSET '198.51.100.7']").find("not a network"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value ISSUBSET 'a.example']").find("operator ISSUBSET"), std::string::npos);
  EXPECT_NE(ErrorOf("[network-traffic:dst_port = '443']").find("no comparison names a value"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[network-traffic:dst_ref.name = 'x']").find("unsupported: network-traffic:dst_ref.name"),
            std::string::npos);
}

// The forms MISP's STIX 2.1 export writes for ip-dst, ip-src, ip-dst|port,
// domain|ip and email-src, and certificate fingerprints.
TEST(ParsePatternTest, ValuesNamedThroughReferencesAreMatched) {
  ExpectSingle("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.5']",
               ObservableType::kIpv4, "203.0.113.5");
  ExpectSingle("[network-traffic:src_ref.type = 'ipv6-addr' AND network-traffic:src_ref.value = '2001:db8::5']",
               ObservableType::kIpv6, "2001:db8::5");
  ExpectSingle("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.7'"
               " AND network-traffic:dst_port = '443']",
               ObservableType::kIpv4, "203.0.113.7");
  // STIX's own form: a port is an integer.
  ExpectSingle("[network-traffic:dst_ref.value = '198.51.100.202' AND network-traffic:dst_port = 443]",
               ObservableType::kIpv4, "198.51.100.202");
  ExpectSingle("[network-traffic:dst_ref.value = '198.51.100.203' AND network-traffic:src_port = 49152]",
               ObservableType::kIpv4, "198.51.100.203");
  ExpectSingle("[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'c2.example']",
               ObservableType::kDomain, "c2.example");
  // Without the type comparison, the value's shape says.
  ExpectSingle("[network-traffic:dst_ref.value = '198.51.100.0/24']", ObservableType::kCidr, "198.51.100.0/24");
  ExpectSingle("[network-traffic:dst_ref.value = 'c2.example']", ObservableType::kDomain, "c2.example");
  ExpectSingle("[email-message:from_ref.value = 'bad@evil.example']", ObservableType::kEmail, "bad@evil.example");
  ExpectSingle("[email-message:to_refs[*].value = 'a@b.example']", ObservableType::kEmail, "a@b.example");
  ExpectSingle("[x509-certificate:hashes.'SHA-1' = '" + std::string(40, 'b') + "']", ObservableType::kSha1,
               std::string(40, 'b'));

  ExpectSingle("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", ObservableType::kCidr, "198.51.100.0/24");
  ExpectSingle("[network-traffic:dst_ref.value ISSUBSET '2001:db8::/32']", ObservableType::kCidr,
               "2001:db8::/32");

  auto resolved = Terms("[domain-name:value = 'a.example' AND domain-name:resolves_to_refs[*].value = "
                        "'203.0.113.8']");
  ASSERT_EQ(resolved.size(), 2u);
  EXPECT_EQ(resolved[1].type, ObservableType::kIpv4);
  EXPECT_EQ(resolved[1].value, "203.0.113.8");

  auto both_ends = Terms("[(network-traffic:src_ref.type = 'ipv4-addr' AND network-traffic:src_ref.value = "
                         "'192.0.2.1') AND (network-traffic:dst_ref.type = 'domain-name' AND "
                         "network-traffic:dst_ref.value = 'circl.example')]");
  ASSERT_EQ(both_ends.size(), 2u);
  EXPECT_EQ(both_ends[0].type, ObservableType::kIpv4);
  EXPECT_EQ(both_ends[1].type, ObservableType::kDomain);
}

// A comparison on a property that names no matched value is left out of a
// pattern that has others, and named: MISP's filename|ssdeep, its file
// objects (sizes, SHA-512 beside the MD5), its email objects (subject beside
// the sender).
TEST(ParsePatternTest, UnmatchedPropertiesBesideMatchedOnesAreLeftOutAndNamed) {
  std::vector<std::string> left_out;
  auto terms = ParsePattern("[file:name = 'filename7' AND file:hashes.SSDEEP = '96:QRWkwoBevsL0:QRWkt']", &left_out);
  ASSERT_TRUE(terms.ok()) << terms.status().ToString();
  ASSERT_EQ(terms->size(), 1u);
  EXPECT_EQ((*terms)[0].type, ObservableType::kFileName);
  ASSERT_EQ(left_out.size(), 1u);
  EXPECT_NE(left_out[0].find("unsupported: file:hashes.SSDEEP"), std::string::npos) << left_out[0];

  terms = ParsePattern("[file:hashes.MD5 = '" + std::string(32, 'a') + "' AND file:hashes.'SHA-512' = '" +
                           std::string(128, 'b') + "' AND file:size = 35 AND file:size > 10 AND file:mime_type "
                           "IN ('a', 'b') AND file:mime_type NOT = 'x']",
                       &left_out);
  ASSERT_TRUE(terms.ok()) << terms.status().ToString();
  ASSERT_EQ(terms->size(), 1u);
  EXPECT_EQ((*terms)[0].type, ObservableType::kMd5);
  EXPECT_EQ(left_out.size(), 5u);

  terms = ParsePattern("[email-message:subject = 'Invoice' AND email-message:from_ref.value = 'bad@evil.example']",
                       &left_out);
  ASSERT_TRUE(terms.ok()) << terms.status().ToString();
  ASSERT_EQ(terms->size(), 1u);
  EXPECT_EQ((*terms)[0].value, "bad@evil.example");
  ASSERT_EQ(left_out.size(), 1u);
  EXPECT_NE(left_out[0].find("email-message:subject"), std::string::npos);

  terms = ParsePattern("[network-traffic:dst_ref.type = 'mac-addr' AND network-traffic:dst_ref.value = "
                       "'00:11:22:33:44:55' AND network-traffic:src_ref.value = '192.0.2.1']",
                       &left_out);
  ASSERT_TRUE(terms.ok()) << terms.status().ToString();
  ASSERT_EQ(terms->size(), 1u);
  EXPECT_EQ((*terms)[0].value, "192.0.2.1");

  // A value Accord matches under an operator it cannot honour still sinks
  // the whole pattern: "MATCHES" must never go live as "=".
  EXPECT_NE(ErrorOf("[file:hashes.'SHA-512' = 'bb' AND domain-name:value MATCHES 'a']").find("operator MATCHES"),
            std::string::npos);
}

// The reader notes valid STIX outside the subset and rejects malformed
// patterns; the status code tells them apart.
TEST(ParsePatternTest, UnsupportedIsFailedPreconditionAndMalformedIsInvalidArgument) {
  for (std::string_view pattern :
       {"[process:name = 'x']", "[domain-name:value MATCHES 'a']", "[url:value = 'http://a/'] WITHIN 5 SECONDS",
        "[domain-name:value = 'a'] FOLLOWEDBY [domain-name:value = 'b']", "[network-traffic:dst_port = '443']",
        "[file:size > 10]", "[ipv4-addr:value = 12]"}) {
    auto parsed = ParsePattern(pattern);
    ASSERT_FALSE(parsed.ok()) << pattern;
    EXPECT_EQ(parsed.status().code(), Status::Code::kFailedPrecondition) << pattern;
  }
  for (std::string_view pattern : {"", "[domain-name:value = 'a'", "[file:size >]", "[file:size 10]",
                                   "[file:size IN (1, 2]", "domain-name:value = 'a'"}) {
    auto parsed = ParsePattern(pattern);
    ASSERT_FALSE(parsed.ok()) << pattern;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument) << pattern;
  }
}

TEST(ParsePatternTest, NonStringValuesAreRejected) {
  EXPECT_NE(ErrorOf("[ipv4-addr:value = 12]").find("must be a quoted string"), std::string::npos);
  EXPECT_NE(ErrorOf("[file:name = h'6162']").find("must be a quoted string"), std::string::npos);
  EXPECT_NE(ErrorOf("[file:name = true]").find("must be a quoted string"), std::string::npos);
}

// Malformed patterns name the character offset of the problem.
TEST(ParsePatternTest, MalformedSyntaxNamesTheOffset) {
  EXPECT_EQ(ErrorOf(""), "pattern offset 0: empty pattern");
  EXPECT_NE(ErrorOf("[domain-name:value = 'a'").find("offset 24: expected ']'"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = 'a").find("offset 21: unterminated string"), std::string::npos);
  EXPECT_NE(ErrorOf("domain-name:value = 'a'").find("offset 0: expected '[' or '('"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name = 'a']").find("offset 13: expected ':'"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = ]").find("offset 21: expected a value"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = 'a'] [url:value = 'b']").find("offset 26"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = 'a'] OR").find("expected '[' or '('"), std::string::npos);
  EXPECT_NE(ErrorOf(R"([file:name = 'a\n'])").find("invalid escape"), std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = 'a'] and [url:value = 'b']").find("found 'and'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[domain-name:value = 'a' ; ]").find("unexpected character ';'"), std::string::npos);
  EXPECT_NE(ErrorOf("([domain-name:value = 'a']").find("expected ')'"), std::string::npos);
}

TEST(ParsePatternTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(10000, '(');
  EXPECT_NE(ErrorOf(deep + "[domain-name:value = 'a']").find("nested too deeply"), std::string::npos);
  std::string deep_inside = "[" + std::string(10000, '(') + "domain-name:value = 'a']";
  EXPECT_NE(ErrorOf(deep_inside).find("nested too deeply"), std::string::npos);
}

TEST(PatternForTest, EveryTypeRoundTripsThroughParsePattern) {
  const std::vector<Observable> observables = {
      {ObservableType::kIpv4, "192.0.2.1"},
      {ObservableType::kIpv6, "2001:db8::1"},
      {ObservableType::kCidr, "10.0.0.0/8"},
      {ObservableType::kCidr, "2001:db8::/32"},
      {ObservableType::kDomain, "evil.example"},
      {ObservableType::kUrl, "http://evil.example/it's\\here"},
      {ObservableType::kEmail, "x@evil.example"},
      {ObservableType::kMd5, "d41d8cd98f00b204e9800998ecf8427e"},
      {ObservableType::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {ObservableType::kSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {ObservableType::kWallet, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"},
      {ObservableType::kFileName, "O'Brien\\report.exe"},
  };
  for (const auto& observable : observables) {
    const std::string pattern = PatternFor(observable);
    auto terms = ParsePattern(pattern);
    ASSERT_TRUE(terms.ok()) << pattern << ": " << terms.status().ToString();
    ASSERT_EQ(terms->size(), 1u);
    EXPECT_EQ((*terms)[0].type, observable.type) << pattern;
    EXPECT_EQ((*terms)[0].value, observable.value) << pattern;
  }
}

TEST(PatternForTest, WritesTheStixPathsOtherToolsExpect) {
  EXPECT_EQ(PatternFor({ObservableType::kIpv4, "192.0.2.1"}), "[ipv4-addr:value = '192.0.2.1']");
  EXPECT_EQ(PatternFor({ObservableType::kCidr, "2001:db8::/32"}), "[ipv6-addr:value = '2001:db8::/32']");
  EXPECT_EQ(PatternFor({ObservableType::kMd5, "aa"}), "[file:hashes.MD5 = 'aa']");
  EXPECT_EQ(PatternFor({ObservableType::kSha1, "aa"}), "[file:hashes.'SHA-1' = 'aa']");
  EXPECT_EQ(PatternFor({ObservableType::kSha256, "aa"}), "[file:hashes.'SHA-256' = 'aa']");
  EXPECT_EQ(PatternFor({ObservableType::kFileName, "it's"}), R"([file:name = 'it\'s'])");
  // A custom object type in a pattern must start with "x-" (OASIS validator).
  EXPECT_EQ(PatternFor({ObservableType::kWallet, "w"}), "[x-cryptocurrency-wallet:address = 'w']");
}

// STIX 2.1 (3.6): id and modified name one version, however the instant
// is spelled; the store keys versions by this one spelling.
TEST(CanonicalStixTimestampTest, OneInstantHasOneSpelling) {
  for (const auto& [given, canonical] : std::vector<std::pair<std::string, std::string>>{
           {"2026-08-01T00:00:00Z", "2026-08-01T00:00:00.000Z"},
           {"2026-08-01T00:00:00.5Z", "2026-08-01T00:00:00.500Z"},
           {"2026-08-01T00:00:00.000Z", "2026-08-01T00:00:00.000Z"},
           {"2026-08-01T00:00:00.000000Z", "2026-08-01T00:00:00.000Z"},
           {"2026-08-01T00:00:00.123400Z", "2026-08-01T00:00:00.1234Z"},
           {"2026-08-01T00:00:00.123456789Z", "2026-08-01T00:00:00.123456789Z"},
           {"2026-08-01T02:00:00+02:00", "2026-08-01T00:00:00.000Z"},
           {"2026-08-01T00:00:00.25+00:00", "2026-08-01T00:00:00.250Z"},
           {"not a time", "not a time"},
           {"", ""},
       }) {
    EXPECT_EQ(CanonicalStixTimestamp(given), canonical) << given;
  }
}

}  // namespace
}  // namespace accord
