// Domains, URLs and e-mail addresses.

#include <gtest/gtest.h>

#include <string>

#include "core/observable.h"
#include "core/observable_testing.h"

namespace accord {
namespace {

using observable_testing::ExpectNormalizes;
using observable_testing::ExpectRejected;
using T = ObservableType;

TEST(NormalizeTest, DomainIsLowerCasedAndLosesOneTrailingDot) {
  ExpectNormalizes(T::kDomain, "WWW.Example.COM.", "www.example.com");
  ExpectNormalizes(T::kDomain, "  evil.example\t", "evil.example");
}

TEST(NormalizeTest, DomainDefangedIsRefanged) {
  ExpectNormalizes(T::kDomain, "evil[.]example", "evil.example");
  ExpectNormalizes(T::kDomain, "login(.)evil{.}example[DOT]com", "login.evil.example.com");
}

TEST(NormalizeTest, DomainUnicodeBecomesALabels) {
  ExpectNormalizes(T::kDomain, "bücher.example", "xn--bcher-kva.example");
  ExpectNormalizes(T::kDomain, "BÜCHER.Example", "xn--bcher-kva.example");
  ExpectNormalizes(T::kDomain,
                   "bu\xCC\x88"
                   "cher.example",
                   "xn--bcher-kva.example");                               // NFD
  ExpectNormalizes(T::kDomain, "例え。テスト", "xn--r8jz45g.xn--zckzah");  // ideographic dot
  ExpectNormalizes(T::kDomain, "_dmarc.bücher.de", "_dmarc.xn--bcher-kva.de");
}

TEST(NormalizeTest, DomainAlreadyPunycodeIsCheckedAndKept) {
  ExpectNormalizes(T::kDomain, "xn--bcher-kva.example", "xn--bcher-kva.example");
  ExpectNormalizes(T::kDomain, "XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example");
  ExpectRejected(T::kDomain, "xn--zz.example", "not a valid IDNA label");
  ExpectRejected(T::kDomain, "xn--abc.example", "not a valid IDNA label");
}

// IDNA2008 keeps sharp s (transitional processing would map it to "ss").
TEST(NormalizeTest, DomainUsesNontransitionalIdna) {
  ExpectNormalizes(T::kDomain, "faß.de", "xn--fa-hia.de");
}

// Symbols IDNA2008 refuses are accepted the way browsers do (UTS #46).
TEST(NormalizeTest, DomainFallsBackToTransitionalForSymbols) {
  ExpectNormalizes(T::kDomain, "\xF0\x9F\x92\xA9.la", "xn--ls8h.la");
  ExpectNormalizes(T::kDomain, "xn--ls8h.la", "xn--ls8h.la");
}

TEST(NormalizeTest, DomainLookAlikesStayDistinct) {
  // Cyrillic 'а' (U+0430) in place of Latin 'a'.
  ExpectNormalizes(T::kDomain, "\xD0\xB0pple.com", "xn--pple-43d.com");
  // Upper-case I for l is only a visual trick: it lower-cases to 'i'.
  ExpectNormalizes(T::kDomain, "paypaI.com", "paypai.com");
}

// DNS admits these; IDNA2008 would refuse them, so they bypass libidn2.
TEST(NormalizeTest, DomainKeepsUnderscoreAndHyphenPairs) {
  ExpectNormalizes(T::kDomain, "_dmarc.example.com", "_dmarc.example.com");
  ExpectNormalizes(T::kDomain, "r3---sn-abc.googlevideo.com", "r3---sn-abc.googlevideo.com");
  ExpectNormalizes(T::kDomain, "a_b-c.example", "a_b-c.example");
}

TEST(NormalizeTest, DomainLengthLimitsAreEnforced) {
  std::string label63(63, 'a');
  ExpectNormalizes(T::kDomain, label63 + ".example", label63 + ".example");
  ExpectRejected(T::kDomain, std::string(64, 'a') + ".example", "is 64 characters, limit 63");
  // 4 labels of 61 + 4 dots + "com" = 251 characters; "ab." makes it 254.
  std::string name = std::string(61, 'a') + "." + std::string(61, 'b') + "." +
                     std::string(61, 'c') + "." + std::string(61, 'd') + ".com";
  ExpectNormalizes(T::kDomain, name, name);
  ExpectNormalizes(T::kDomain, name + ".", name);
  ExpectRejected(T::kDomain, "ab." + name, "domain is 254 characters, limit 253");
}

TEST(NormalizeTest, DomainMalformedIsRejected) {
  ExpectRejected(T::kDomain, "a..b", "empty label");
  ExpectRejected(T::kDomain, "example.com..", "empty label");
  ExpectRejected(T::kDomain, ".example.com", "empty label");
  ExpectRejected(T::kDomain, ".", "domain is empty");
  ExpectRejected(T::kDomain, "localhost", "needs at least two labels");
  ExpectRejected(T::kDomain, "example.123", "all-numeric top-level label");
  ExpectRejected(T::kDomain, "1.2.3.4", "all-numeric top-level label");
  ExpectRejected(T::kDomain, "-evil.example", "starts or ends with '-'");
  ExpectRejected(T::kDomain, "evil-.example", "starts or ends with '-'");
  ExpectRejected(T::kDomain, "exa mple.com", "invalid character ' '");
  ExpectRejected(T::kDomain, "evil.example/path", "invalid character '/'");
  ExpectRejected(T::kDomain, "*.example.com", "invalid character '*'");
  ExpectRejected(T::kDomain, "evil.example:80", "invalid character ':'");
  ExpectRejected(T::kDomain,
                 "\xE2\x92\x88"
                 "com",
                 "not a valid IDNA label");  // U+2488
}

TEST(NormalizeTest, UrlSchemeAndHostAreLowerCased) {
  // RFC 3986 6.2.2.1.
  ExpectNormalizes(T::kUrl, "HTTP://www.EXAMPLE.com/", "http://www.example.com/");
  ExpectNormalizes(T::kUrl, "https://Evil.Example/Login.PHP", "https://evil.example/Login.PHP");
}

// RFC 3986 6.2.2: "eXAMPLE://a/./b/../b/%63/%7bfoo%7d" is example://a/b/c/%7Bfoo%7D
// (with a two-label host, which domain rules require).
TEST(NormalizeTest, UrlRfc3986SyntaxBasedExample) {
  ExpectNormalizes(T::kUrl, "eXAMPLE://a.example/./b/../b/%63/%7bfoo%7d",
                   "example://a.example/b/c/%7Bfoo%7D");
}

// RFC 3986 6.2.3: all four are http://example.com/.
TEST(NormalizeTest, UrlRfc3986SchemeBasedEquivalents) {
  for (const char* raw : {"http://example.com", "http://example.com/", "http://example.com:/",
                          "http://example.com:80/"}) {
    ExpectNormalizes(T::kUrl, raw, "http://example.com/");
  }
}

TEST(NormalizeTest, UrlDefaultPortIsRemoved) {
  ExpectNormalizes(T::kUrl, "https://x.example:443/a", "https://x.example/a");
  ExpectNormalizes(T::kUrl, "ftp://x.example:21/pub", "ftp://x.example/pub");
  ExpectNormalizes(T::kUrl, "HTTP://Example.COM:0080/", "http://example.com/");
  ExpectNormalizes(T::kUrl, "http://x.example:8080/a", "http://x.example:8080/a");
  ExpectNormalizes(T::kUrl, "https://x.example:80/", "https://x.example:80/");
}

// RFC 3986 5.2.4 examples, on absolute paths.
TEST(NormalizeTest, UrlDotSegmentsAreRemoved) {
  ExpectNormalizes(T::kUrl, "http://x.example/a/b/c/./../../g", "http://x.example/a/g");
  ExpectNormalizes(T::kUrl, "http://x.example/../../g", "http://x.example/g");
  ExpectNormalizes(T::kUrl, "http://x.example/a/b/..", "http://x.example/a/");
  ExpectNormalizes(T::kUrl, "http://x.example/a/./b/.", "http://x.example/a/b/");
  ExpectNormalizes(T::kUrl, "http://x.example/a/%2E%2E/b", "http://x.example/b");
  ExpectNormalizes(T::kUrl, "http://x.example/a..b/.c", "http://x.example/a..b/.c");
}

TEST(NormalizeTest, UrlPercentEncodingIsNormalized) {
  ExpectNormalizes(T::kUrl, "http://x.example/%7euser/%41%2f%3a", "http://x.example/~user/A%2F%3A");
}

TEST(NormalizeTest, UrlCharactersNotAllowedRawAreEscaped) {
  ExpectNormalizes(T::kUrl, "http://x.example/a<b>\"c{d}|e\\f^g`h[i]",
                   "http://x.example/a%3Cb%3E%22c%7Bd%7D%7Ce%5Cf%5Eg%60h%5Bi%5D");
  ExpectNormalizes(T::kUrl, "http://x.example/100%", "http://x.example/100%25");
  ExpectNormalizes(T::kUrl, "http://x.example/%zz", "http://x.example/%25zz");
  ExpectNormalizes(T::kUrl, "http://bücher.example/ä?q=ü",
                   "http://xn--bcher-kva.example/%C3%A4?q=%C3%BC");
}

TEST(NormalizeTest, UrlQueryKeepsItsTextAndTheFragmentIsDropped) {
  ExpectNormalizes(T::kUrl, "http://x.example/p?B=1&a=%7e&c=%3a&a=2#Frag/x?y",
                   "http://x.example/p?B=1&a=~&c=%3A&a=2");
  ExpectNormalizes(T::kUrl, "http://x.example?q=/../a", "http://x.example/?q=/../a");
  ExpectNormalizes(T::kUrl, "http://x.example/?", "http://x.example/?");
  // No sensor ever sees a fragment: with it the indicator would never match.
  ExpectNormalizes(T::kUrl, "http://x.example/#a#b", "http://x.example/");
  ExpectNormalizes(T::kUrl, "http://frag.example/invoice.php?id=7#victim@corp.example",
                   "http://frag.example/invoice.php?id=7");
  ExpectNormalizes(T::kUrl, "http://x.example:8080/gate.php?id=1#x", "http://x.example:8080/gate.php?id=1");
}

TEST(NormalizeTest, UrlUserInfoIsKept) {
  ExpectNormalizes(T::kUrl, "ftp://User:Pa%3as@FTP.Example.com/",
                   "ftp://User:Pa%3As@ftp.example.com/");
  ExpectNormalizes(T::kUrl, "http://a@b@x.example/", "http://a%40b@x.example/");
}

TEST(NormalizeTest, UrlIpHostsAreNormalized) {
  ExpectNormalizes(T::kUrl, "http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x");
  ExpectNormalizes(T::kUrl, "http://[::ffff:1.2.3.4]/", "http://1.2.3.4/");
  ExpectNormalizes(T::kUrl, "http://[fe80::1%25eth0]/", "http://[fe80::1]/");
  ExpectNormalizes(T::kUrl, "http://192.0.2.1:80", "http://192.0.2.1/");
  ExpectNormalizes(T::kUrl, "http://%65vil.example/", "http://evil.example/");
}

// Plain lists (maltrail) write URLs without a scheme.
TEST(NormalizeTest, UrlWithoutSchemeAssumesHttp) {
  ExpectNormalizes(T::kUrl, "evil.example/gate.php", "http://evil.example/gate.php");
  ExpectNormalizes(T::kUrl, "1.2.3.4:8080/x", "http://1.2.3.4:8080/x");
  ExpectNormalizes(T::kUrl, "evil.example", "http://evil.example/");
  ExpectNormalizes(T::kUrl, "evil.example?x=1", "http://evil.example/?x=1");
}

TEST(NormalizeTest, UrlDefangedIsRefanged) {
  ExpectNormalizes(T::kUrl, "hxxps://evil[.]example/login", "https://evil.example/login");
  ExpectNormalizes(T::kUrl, "hXXp[:]//evil[.]example[/]a", "http://evil.example/a");
  ExpectNormalizes(T::kUrl, "fxp://files[.]example/x", "ftp://files.example/x");
}

// "(%2E)" decodes to "(.)", itself defanging; the result is refanged
// again so that normalizing the output changes nothing.
TEST(NormalizeTest, UrlDecodedDefangingIsRefangedToo) {
  ExpectNormalizes(T::kUrl, "http://x.example/a(%2E)b", "http://x.example/a.b");
}

TEST(NormalizeTest, UrlWhitespaceInsideIsRejected) {
  ExpectRejected(T::kUrl, "http://evil.example/a b",
                 "white space or a control character at byte 21");
  ExpectRejected(T::kUrl, "http://evil.example/a\tb", "white space");
}

TEST(NormalizeTest, UrlMissingHostIsRejected) {
  ExpectRejected(T::kUrl, "http:///path", "has no host");
  ExpectRejected(T::kUrl, "http://user@/x", "has no host");
  ExpectRejected(T::kUrl, "http://:80/", "URL has no host");
  ExpectRejected(T::kUrl, "file:///etc/passwd", "has no host");
}

TEST(NormalizeTest, UrlBadPortIsRejected) {
  ExpectRejected(T::kUrl, "http://x.example:abc/", "URL port 'abc' is not a number");
  ExpectRejected(T::kUrl, "http://x.example:70000/", "URL port 70000 out of range");
  ExpectRejected(T::kUrl, "http://x.example:0/", "out of range");
  ExpectRejected(T::kUrl, "http://x.example:-1/", "is not a number");
  ExpectRejected(T::kUrl, "http://[::1]:99999999999/", "out of range");
}

TEST(NormalizeTest, UrlBadHostIsRejected) {
  ExpectRejected(T::kUrl, "http://exa..mple.com/", "empty label");
  ExpectRejected(T::kUrl, "http://localhost/", "needs at least two labels");
  ExpectRejected(T::kUrl, "http://1.2.3.256/", "IPv4 octet 256 out of range");
  ExpectRejected(T::kUrl, "http://[::1/", "lacks its ']'");
  ExpectRejected(T::kUrl, "http://[::1]x/", "text after ']'");
  ExpectRejected(T::kUrl, "http://[zz::1]/", "invalid character 'z'");
  ExpectRejected(T::kUrl, "http://evil%2Eexample%2F/", "percent-encoded byte");
}

TEST(NormalizeTest, UrlWithoutRecognisableSchemeIsRejected) {
  ExpectRejected(T::kUrl, "/just/a/path", "has no scheme");
  ExpectRejected(T::kUrl, "://x.example/", "has no scheme");
  ExpectRejected(T::kUrl, "mailto:x@y.example", "has no scheme");
  ExpectRejected(T::kUrl, "1http://x.example/", "has no scheme");
}

TEST(IsNormalUrlTest, AcceptsOnlyUrlsTheNormalizerLeavesAsTheyAre) {
  // Hand-picked: each accepted URL normalizes to itself; each refused one is
  // a form the normalizer rewrites (or a form the check leaves to it).
  for (std::string_view url :
       {"http://evil.example/", "https://a.b.example/gate.php?id=7&x=y", "http://x-1.example/A/b_c~d.png",
        "http://evil.example/?", "http://localhost/a"}) {
    EXPECT_TRUE(IsNormalUrl(url)) << url;
    Result<Observable> normalized = Normalize(ObservableType::kUrl, url);
    if (normalized.ok()) {
      EXPECT_EQ(normalized->value, url);
    }
  }
  for (std::string_view url :
       {"HTTP://evil.example/", "http://Evil.example/", "http://evil.example", "http://evil.example:80/",
        "http://user@evil.example/", "http://10.0.0.1/", "http://010.0.0.1/", "http://evil.example./",
        "http://xn--bcher-kva.example/", "http://evil.example/a/../b", "http://evil.example/./a",
        "http://evil.example/a/.", "http://evil.example/%41", "http://evil.example/a#frag",
        "http://evil.example/a b", "hxxp://evil.example/", "ftp://evil.example/", "evil.example/a",
        "http://evil.example/a?b=c?d", "http://evil.example/a?q=\"x\"", "http://[::1]/"}) {
    EXPECT_FALSE(IsNormalUrl(url)) << url;
  }
}

TEST(IsNormalUrlTest, RandomUrlsTheCheckAcceptsNormalizeToThemselves) {
  // Differential: URLs built from pieces that exercise every rule the check
  // relies on (case, ports, dot segments, escapes, IDNA, addresses).
  const std::vector<std::string_view> schemes = {"http://", "https://", "HTTP://", "ftp://"};
  const std::vector<std::string_view> hosts = {"evil.example", "a-b.example", "Evil.example", "1.2.3.4",
                                               "01.2.3.4", "xn--bcher-kva.example", "a..b",
                                               "evil.example.", "-a.example", "a.example-",
                                               "evil.example:8080", "evil.example:80", "u@evil.example",
                                               "localhost", "a.b.c.d.e.example"};
  const std::vector<std::string_view> pieces = {"",   "/",  "a",  ".",  "..", "%2e", "%41", "~",
                                                "?",  "=",  "&",  "#",  "_",  "-",  "A",   "+",
                                                "/.", "./", "//", ":",  "@",  "!"};
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state](size_t bound) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<size_t>(state % bound);
  };
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string url(schemes[next(schemes.size())]);
    url += hosts[next(hosts.size())];
    const size_t count = next(7);
    for (size_t piece = 0; piece < count; ++piece) url += pieces[next(pieces.size())];
    if (!IsNormalUrl(url)) continue;
    ++accepted;
    Result<Observable> normalized = Normalize(ObservableType::kUrl, url);
    if (normalized.ok()) {
      EXPECT_EQ(normalized->value, url);
    }
  }
  EXPECT_GT(accepted, 100);  // the check is exercised, not refusing everything
}

TEST(NormalizeTest, EmailIsLowerCased) {
  ExpectNormalizes(T::kEmail, "John.Doe@Example.COM", "john.doe@example.com");
  ExpectNormalizes(T::kEmail, "a+tag@x.example.", "a+tag@x.example");
  ExpectNormalizes(T::kEmail, "o'brien@x.example", "o'brien@x.example");
}

TEST(NormalizeTest, EmailDomainIsNormalizedLikeADomain) {
  ExpectNormalizes(T::kEmail, "info@bücher.example", "info@xn--bcher-kva.example");
  ExpectNormalizes(T::kEmail, "user[at]evil[.]example", "user@evil.example");
  ExpectNormalizes(T::kEmail, "user[@]evil(.)example", "user@evil.example");
}

TEST(NormalizeTest, EmailMalformedIsRejected) {
  ExpectRejected(T::kEmail, "no-at.example", "has no '@'");
  ExpectRejected(T::kEmail, "a@b@c.example", "more than one '@'");
  ExpectRejected(T::kEmail, "@x.example", "has no local part");
  ExpectRejected(T::kEmail, "a@", "has no domain");
  ExpectRejected(T::kEmail, std::string(65, 'a') + "@x.example",
                 "local part is 65 bytes, limit 64");
  ExpectNormalizes(T::kEmail, std::string(64, 'a') + "@x.example",
                   std::string(64, 'a') + "@x.example");
  ExpectRejected(T::kEmail, "a..b@x.example", "leading, trailing or doubled '.'");
  ExpectRejected(T::kEmail, ".a@x.example", "leading, trailing or doubled '.'");
  ExpectRejected(T::kEmail, "a.@x.example", "leading, trailing or doubled '.'");
  ExpectRejected(T::kEmail, "a b@x.example", "invalid character ' '");
  ExpectRejected(T::kEmail, "a\"b@x.example", "invalid character '\"'");
  ExpectRejected(T::kEmail, "a@localhost", "needs at least two labels");
  ExpectRejected(T::kEmail, "a@[192.0.2.1]", "invalid character '['");
}

}  // namespace
}  // namespace accord
