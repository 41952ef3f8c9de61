// Observable names, refanging, checks common to every type, hashes,
// wallets, file names, type detection and idempotence. IP, domain, URL and
// e-mail rules are tested in observable_ip_test.cc and observable_web_test.cc.

#include "core/observable.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/observable_testing.h"
#include "testing/testing.h"

namespace accord {
namespace {

using observable_testing::ExpectNormalizes;
using observable_testing::ExpectRejected;
using observable_testing::IsFixedPoint;
using T = ObservableType;

constexpr T kAllTypes[] = {T::kIpv4, T::kIpv6, T::kCidr,   T::kDomain, T::kUrl,     T::kEmail,
                           T::kMd5,  T::kSha1, T::kSha256, T::kWallet, T::kFileName};

TEST(ObservableTypeTest, NamesRoundTrip) {
  for (T type : kAllTypes) {
    std::optional<T> parsed = ParseTypeName(TypeName(type));
    ASSERT_TRUE(parsed.has_value()) << TypeName(type);
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_EQ(TypeName(T::kSha256), "sha256");
  EXPECT_EQ(TypeName(T::kFileName), "filename");
}

TEST(ObservableTypeTest, ParseTypeNameIgnoresCaseAndRejectsOthers) {
  EXPECT_EQ(ParseTypeName("SHA256"), T::kSha256);
  EXPECT_EQ(ParseTypeName("Domain"), T::kDomain);
  EXPECT_EQ(ParseTypeName("ip"), std::nullopt);
  EXPECT_EQ(ParseTypeName("sha-256"), std::nullopt);
  EXPECT_EQ(ParseTypeName(""), std::nullopt);
}

TEST(RefangTest, UndoesCommonDefanging) {
  EXPECT_EQ(Refang("hxxp://evil[.]example"), "http://evil.example");
  EXPECT_EQ(Refang("hxxps[:]//a(.)b{.}c[dot]d[/]e"), "https://a.b.c.d/e");
  EXPECT_EQ(Refang("HXXP://X[DOT]Y"), "http://X.Y");
  EXPECT_EQ(Refang("user[at]mail[.]example"), "user@mail.example");
  EXPECT_EQ(Refang("user[@]mail[.]example"), "user@mail.example");
  EXPECT_EQ(Refang("fxp://files[.]example"), "ftp://files.example");
}

TEST(RefangTest, LeavesCleanTextAlone) {
  for (const char* clean : {"http://evil.example/a(b)c[d]", "a[b].c", "hxxpfoo", "", "(x)"}) {
    EXPECT_EQ(Refang(clean), clean);
  }
}

TEST(RefangTest, NestedPatternsAreUndoneAtOnce) {
  EXPECT_EQ(Refang("evil[[.]]example"), "evil.example");
  EXPECT_EQ(Refang("evil(([.]))example"), "evil.example");
  EXPECT_EQ(Refang("evil[[.].]example"), "evil[..]example");  // not nested: no pattern left
  for (const char* raw : {"[[.].]", "[[[dot]]dot]", "([.)]", "hxxp://a[[:]]b"}) {
    EXPECT_EQ(Refang(Refang(raw)), Refang(raw)) << raw;
  }
}

TEST(NormalizeTest, EmptyValueIsRejectedForEveryType) {
  for (T type : kAllTypes) {
    ExpectRejected(type, "", "value is empty");
    ExpectRejected(type, " \t\r\n", "value is empty");
  }
}

TEST(NormalizeTest, NulByteIsRejectedForEveryType) {
  for (T type : kAllTypes) {
    ExpectRejected(type, std::string("1.2.3.4\0x", 9), "NUL byte at offset 7");
  }
}

TEST(NormalizeTest, InvalidUtf8IsRejectedForEveryType) {
  for (T type : kAllTypes) {
    ExpectRejected(type, "evil\xFF.example", "not valid UTF-8 (byte offset 4)");
    ExpectRejected(type, "\xC0\xAF", "not valid UTF-8");           // overlong '/'
    ExpectRejected(type, "a\xED\xA0\x80", "not valid UTF-8");      // surrogate
    ExpectRejected(type, "a\xF4\x90\x80\x80", "not valid UTF-8");  // past U+10FFFF
    ExpectRejected(type, "a\xE2\x82", "not valid UTF-8");          // truncated
  }
}

TEST(NormalizeTest, ValuesOver8KiBAreRejectedForEveryType) {
  std::string huge = "http://x.example/" + std::string(8200, 'a');
  for (T type : kAllTypes) ExpectRejected(type, huge, "bytes, limit 8192");
  std::string megabyte(1 << 20, 'a');
  for (T type : kAllTypes) ExpectRejected(type, megabyte, "1048576 bytes, limit 8192");
  EXPECT_FALSE(DetectAndNormalize(megabyte).ok());
}

TEST(NormalizeTest, UrlOfExactly8KiBIsAccepted) {
  std::string url = "http://x.example/";
  url += std::string(8192 - url.size(), 'a');
  ExpectNormalizes(T::kUrl, url, url);
}

// Escaping can make a URL longer than its input; the limit holds for the
// stored value too.
TEST(NormalizeTest, UrlThatGrowsPast8KiBWhenEscapedIsRejected) {
  std::string url = "http://x.example/";
  for (int idx = 0; idx < 3000; ++idx) url += "\xC3\xA4";
  ExpectRejected(T::kUrl, url, "normalized value is 18017 bytes, limit 8192");
}

TEST(NormalizeTest, HashesAreLowerCased) {
  ExpectNormalizes(T::kMd5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e");
  ExpectNormalizes(T::kSha1, " DA39A3EE5E6B4B0D3255BFEF95601890AFD80709\n",
                   "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  ExpectNormalizes(T::kSha256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(NormalizeTest, HashOfWrongLengthIsRejected) {
  std::string sha256(64, 'a');
  ExpectRejected(T::kSha256, sha256.substr(1), "SHA-256 must be 64 hex digits, got 63");
  ExpectRejected(T::kSha256, sha256 + "a", "SHA-256 must be 64 hex digits, got 65");
  ExpectRejected(T::kMd5, sha256, "MD5 must be 32 hex digits, got 64");
  ExpectRejected(T::kSha1, std::string(32, '0'), "SHA-1 must be 40 hex digits, got 32");
}

TEST(NormalizeTest, HashWithNonHexCharacterIsRejected) {
  ExpectRejected(T::kMd5, "d41d8g d98f00b204e9800998ecf8427",
                 "MD5 has non-hex character 'g' at position 5");
  ExpectRejected(T::kSha1, "0x39a3ee5e6b4b0d3255bfef95601890afd80709",
                 "non-hex character 'x' at position 1");
  ExpectRejected(T::kSha256, std::string(63, 'a') + "\xC3", "not valid UTF-8");
}

TEST(NormalizeTest, BitcoinBase58KeepsCase) {
  ExpectNormalizes(T::kWallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                   "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
  ExpectNormalizes(T::kWallet, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
                   "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
}

TEST(NormalizeTest, BitcoinBech32IsLowerCasedAndChecksummed) {
  // BIP 173 and BIP 350 test vectors.
  ExpectNormalizes(T::kWallet, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
                   "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
  ExpectNormalizes(T::kWallet, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
                   "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0");
  ExpectRejected(T::kWallet, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "wrong checksum");
  ExpectRejected(T::kWallet, "bc1Qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                 "mixes upper and lower case");
  ExpectRejected(T::kWallet, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb",
                 "not in the bech32 alphabet");
  ExpectRejected(T::kWallet, "bc1qw508", "14 to 90 characters, got 8");
}

TEST(NormalizeTest, EthereumIsLowerCased) {
  ExpectNormalizes(T::kWallet, "0x52908400098527886E0F7030069857D2E4169EE7",
                   "0x52908400098527886e0f7030069857d2e4169ee7");
  ExpectNormalizes(T::kWallet, "0X52908400098527886E0F7030069857D2E4169EE7",
                   "0x52908400098527886e0f7030069857d2e4169ee7");
  ExpectRejected(T::kWallet, "0x52908400098527886E0F7030069857D2E4169EE", "40 hex digits, got 39");
  ExpectRejected(T::kWallet, "0x52908400098527886E0F7030069857D2E4169EEZ",
                 "non-hex character 'Z' at position 41");
}

TEST(NormalizeTest, MoneroIsKept) {
  const std::string monero =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBE"
      "P3A";
  ExpectNormalizes(T::kWallet, monero, monero);
  ExpectRejected(T::kWallet, monero.substr(1), "Monero address must be 95 characters, got 94");
  ExpectRejected(T::kWallet, "4" + monero.substr(2) + "0",
                 "character '0' at position 94 is not in the base58");
}

TEST(NormalizeTest, MalformedWalletIsRejected) {
  ExpectRejected(T::kWallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", "character '0' at position 33");
  ExpectRejected(T::kWallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNI",
                 "'I' at position 33 is not in the base58");
  ExpectRejected(T::kWallet, "1abc", "26 to 35 characters, got 4");
  ExpectRejected(T::kWallet, "hello", "is not a wallet address");
}

TEST(NormalizeTest, FileNameIsKeptAsIs) {
  ExpectNormalizes(T::kFileName, "Invoice.PDF.exe", "Invoice.PDF.exe");
  ExpectNormalizes(T::kFileName, "  spaced name.doc \n", "spaced name.doc");
  ExpectNormalizes(T::kFileName, "C:\\Users\\x\\AppData\\evil.dll",
                   "C:\\Users\\x\\AppData\\evil.dll");
  ExpectNormalizes(T::kFileName, "счёт.pdf", "счёт.pdf");
  // Not refanged: brackets in a file name are part of the name.
  ExpectNormalizes(T::kFileName, "Report[at]March(.)pdf", "Report[at]March(.)pdf");
  ExpectNormalizes(T::kFileName, "hxxp.txt", "hxxp.txt");
}

TEST(NormalizeTest, FileNameLimitsAreEnforced) {
  ExpectNormalizes(T::kFileName, std::string(255, 'f'), std::string(255, 'f'));
  ExpectRejected(T::kFileName, std::string(256, 'f'), "file name is 256 bytes, limit 255");
  ExpectRejected(T::kFileName,
                 "a\x01"
                 "b",
                 "control character at byte 1");
  ExpectRejected(T::kFileName, "a\tb", "control character at byte 1");
  ExpectRejected(T::kFileName, "a\x7f", "control character");
  ExpectRejected(T::kFileName,
                 "a\xC2\x85"
                 "b",
                 "control character at byte 1");  // U+0085
}

struct DetectCase {
  const char* raw;
  T type;
  const char* value;
};

const DetectCase kDetectCases[] = {
    {"1.2.3.4", T::kIpv4, "1.2.3.4"},
    {"1[.]2[.]3[.]4", T::kIpv4, "1.2.3.4"},
    {"2001:DB8::1", T::kIpv6, "2001:db8::1"},
    {"[2001:db8::1]", T::kIpv6, "2001:db8::1"},
    {"fe80::1%eth0", T::kIpv6, "fe80::1"},
    {"::ffff:1.2.3.4", T::kIpv4, "1.2.3.4"},
    {"10.1.2.3/8", T::kCidr, "10.0.0.0/8"},
    {"2001:db8::/32", T::kCidr, "2001:db8::/32"},
    {"1.2.3.4/32", T::kIpv4, "1.2.3.4"},
    {"D41D8CD98F00B204E9800998ECF8427E", T::kMd5, "d41d8cd98f00b204e9800998ecf8427e"},
    {"da39a3ee5e6b4b0d3255bfef95601890afd80709", T::kSha1,
     "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", T::kSha256,
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"Victim@Example.com", T::kEmail, "victim@example.com"},
    {"victim[at]example[.]com", T::kEmail, "victim@example.com"},
    {"http://Evil.Example:80/a/../b", T::kUrl, "http://evil.example/b"},
    {"hxxp://evil[.]example", T::kUrl, "http://evil.example/"},
    {"evil.example/gate.php", T::kUrl, "http://evil.example/gate.php"},
    {"1.2.3.4/gate.php", T::kUrl, "http://1.2.3.4/gate.php"},
    {"107.189.3.166:1873/e1bb991a5d5d7be581/m0l1adip.7j5ws", T::kUrl,
     "http://107.189.3.166:1873/e1bb991a5d5d7be581/m0l1adip.7j5ws"},
    {"ftp://user:pw@files.example/x", T::kUrl, "ftp://user:pw@files.example/x"},
    {"Evil.Example.", T::kDomain, "evil.example"},
    {"bücher.example", T::kDomain, "xn--bcher-kva.example"},
    {"evil[.]example", T::kDomain, "evil.example"},
    {"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", T::kWallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
    {"0x52908400098527886E0F7030069857D2E4169EE7", T::kWallet,
     "0x52908400098527886e0f7030069857d2e4169ee7"},
    {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", T::kWallet,
     "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
};

TEST(DetectTest, EachKindIsRecognised) {
  for (const DetectCase& c : kDetectCases) {
    SCOPED_TRACE(c.raw);
    Result<Observable> out = DetectAndNormalize(c.raw);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(TypeName(out->type), TypeName(c.type));
    EXPECT_EQ(out->value, c.value);
  }
}

// Detection agrees with itself and with Normalize on its own output.
TEST(DetectTest, DetectedValuesAreFixedPoints) {
  for (const DetectCase& c : kDetectCases) {
    Result<Observable> out = DetectAndNormalize(c.raw);
    ASSERT_TRUE(out.ok()) << c.raw;
    EXPECT_TRUE(IsFixedPoint(*out));
    Result<Observable> again = DetectAndNormalize(out->value);
    ASSERT_TRUE(again.ok()) << out->value;
    EXPECT_EQ(*again, *out);
  }
}

void ExpectNotDetected(std::string_view raw, std::string_view reason) {
  SCOPED_TRACE(std::string(raw));
  Result<Observable> out = DetectAndNormalize(raw);
  ASSERT_FALSE(out.ok()) << "detected as " << TypeName(out->type) << " '" << out->value << "'";
  EXPECT_NE(out.status().message().find(reason), std::string::npos) << out.status().message();
}

TEST(DetectTest, HexOfOtherLengthsIsNotGuessed) {
  ExpectNotDetected("abcdef",
                    "hex string of 6 digits is not an MD5 (32), SHA-1 (40) or SHA-256 (64)");
  ExpectNotDetected(std::string(31, 'a'), "hex string of 31 digits");
  ExpectNotDetected(std::string(128, 'f'), "hex string of 128 digits");
}

// A network written wrong is refused as a network, not read as a URL.
TEST(DetectTest, ANetworkWithABadPrefixIsRefusedAsANetwork) {
  ExpectNotDetected("10.0.0.0/33", "IPv4 prefix length 33 out of range");
  ExpectNotDetected("2001:db8::/129", "IPv6 prefix length 129 out of range");
  // A path of digits after a host name stays a URL.
  auto url = DetectAndNormalize("files.example/12");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->type, ObservableType::kUrl);
}

TEST(DetectTest, ANameWithAnExtensionThatIsNoTopLevelDomainIsAFileName) {
  for (const char* raw : {"dropper.exe", "Invoice.PDF", "payload.dll", "stage2.ps1", "x.y.HTA"}) {
    auto detected = DetectAndNormalize(raw);
    ASSERT_TRUE(detected.ok()) << raw;
    EXPECT_EQ(detected->type, ObservableType::kFileName) << raw;
    EXPECT_EQ(detected->value, raw);
    // Stored as a domain before detection knew: a look-up still finds it.
    std::optional<Observable> other = OtherReading(*detected, raw);
    ASSERT_TRUE(other.has_value()) << raw;
    EXPECT_EQ(other->type, ObservableType::kDomain);
  }
  // Names and URLs with such a last label stay what they were.
  EXPECT_EQ(DetectAndNormalize("http://evil.example/dropper.exe")->type, ObservableType::kUrl);
  EXPECT_EQ(DetectAndNormalize("evil.example/dropper.exe")->type, ObservableType::kUrl);
  EXPECT_EQ(DetectAndNormalize("exe.evil.example")->type, ObservableType::kDomain);
  // A sentence ending in a file name is no value at all, as before.
  EXPECT_FALSE(DetectAndNormalize("List generated daily, see full list in feed.csv").ok());
  EXPECT_FALSE(DetectAndNormalize("see index.html").ok());
}

// The list of extensions read as file names holds no top-level domain
// (a domain under one would otherwise be stored as a file name).
TEST(DetectTest, NoTopLevelDomainOfThePublicSuffixListIsReadAsAFileName) {
  std::ifstream list("/usr/share/publicsuffix/public_suffix_list.dat");
  if (!list) GTEST_SKIP() << "Debian's publicsuffix package is not installed";
  size_t top_level = 0;
  for (std::string line; std::getline(list, line);) {
    if (line.empty() || line.starts_with("//") || line.find('.') != std::string::npos) continue;
    if (line.starts_with("!") || line.starts_with("*")) continue;
    ++top_level;
    auto detected = DetectAndNormalize("name." + line);
    if (!detected.ok()) continue;  // IDN labels: not ASCII
    EXPECT_NE(detected->type, ObservableType::kFileName) << line;
  }
  EXPECT_GT(top_level, 1000u);
}

TEST(DetectTest, ANameThatReadsAsADomainMayAlsoBeAFileName) {
  for (const char* raw : {"update.zip", "Clip.MOV", "notes.one"}) {
    auto detected = DetectAndNormalize(raw);
    ASSERT_TRUE(detected.ok()) << raw;
    ASSERT_EQ(detected->type, ObservableType::kDomain) << raw;
    std::optional<Observable> other = OtherReading(*detected, raw);
    ASSERT_TRUE(other.has_value()) << raw;
    EXPECT_EQ(other->type, ObservableType::kFileName);
    EXPECT_EQ(other->value, raw);  // file names keep their case
  }
  for (const char* raw : {"192.0.2.1", "http://evil.example/x", "a@b.example",
                          "d41d8cd98f00b204e9800998ecf8427e"}) {
    auto detected = DetectAndNormalize(raw);
    ASSERT_TRUE(detected.ok()) << raw;
    EXPECT_FALSE(OtherReading(*detected, raw).has_value()) << raw;
  }
}

TEST(DetectTest, UnrecognisableValuesSayWhy) {
  ExpectNotDetected("hello", "not a recognisable indicator: 'hello'");
  ExpectNotDetected("foo..bar", "(as a domain: domain 'foo..bar' has an empty label)");
  ExpectNotDetected("1.2.3.256", "IPv4 octet 256 out of range");
  ExpectNotDetected("1.2.3", "has 3 octets, expected 4");
  ExpectNotDetected("010.1.1.1", "leading zero");
  ExpectNotDetected("a@b@c.example", "more than one '@'");
  ExpectNotDetected("http://exa mple.com/", "white space");
  ExpectNotDetected("45.142.212.126:6677", "not a recognisable indicator");
  ExpectNotDetected("/gate/setOnline.php", "not a recognisable indicator");
}

// The idempotence property over vectors of every type (each ExpectNormalizes
// in the other files checks it too): Normalize(out.type, out.value) == out.
TEST(NormalizeTest, OutputIsAFixedPointForEveryTypeOfVector) {
  const std::pair<T, const char*> vectors[] = {
      {T::kIpv4, "1[.]2[.]3[.]4"},
      {T::kIpv4, "::ffff:102:304"},
      {T::kIpv6, "2001:0DB8:0:0:1:0:0:1"},
      {T::kIpv6, "[fe80::1%25eth0]"},
      {T::kIpv6, "::1.2.3.4"},
      {T::kCidr, "10.1.2.3/8"},
      {T::kCidr, "::ffff:10.1.0.0/112"},
      {T::kCidr, "2001:db8::1/128"},
      {T::kDomain, "BÜCHER.Example."},
      {T::kDomain, "XN--BCHER-KVA.example"},
      {T::kDomain, "\xF0\x9F\x92\xA9.la"},
      {T::kDomain, "faß.de"},
      {T::kDomain, "例え。テスト"},
      {T::kUrl, "eXAMPLE://a.example/./b/../b/%63/%7bfoo%7d"},
      {T::kUrl, "HTTP://User:Pa%3as@Bücher.Example:0080/a/../ä?q=%7e#F"},
      {T::kUrl, "http://x.example/a(%2E)b"},
      {T::kUrl, "evil[.]example/gate.php"},
      {T::kUrl, "http://[::FFFF:1.2.3.4]:443"},
      {T::kUrl, "http://x.example/100%/%zz/[x]"},
      {T::kEmail, "User[at]Bücher[.]Example"},
      {T::kMd5, "D41D8CD98F00B204E9800998ECF8427E"},
      {T::kSha1, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"},
      {T::kSha256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"},
      {T::kWallet, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"},
      {T::kWallet, "0X52908400098527886E0F7030069857D2E4169EE7"},
      {T::kWallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
      {T::kFileName, " Report[at]March(.)pdf "},
  };
  for (const auto& [type, raw] : vectors) {
    Result<Observable> out = Normalize(type, raw);
    ASSERT_TRUE(out.ok()) << raw << ": " << out.status().message();
    EXPECT_TRUE(IsFixedPoint(*out)) << raw;
  }
}

// A small seeded fuzzer over characters that matter to the parsers: every
// accepted value, whatever its type, must be a fixed point.
TEST(NormalizeTest, RandomInputsThatNormalizeAreFixedPoints) {
  const std::vector<std::string> pieces = {
      "a",       "Z",       "0",    "1",   "9",   "f",        "x",
      ".",       ":",       "::",   "/",   "@",   "%",        "%2e",
      "%41",     "%7E",     "[",    "]",   "(.)", "[.]",      "[at]",
      "-",       "_",       "?",    "#",   "ff",  "ffff",     "xn--",
      "hxxp://", "http://", "..",   "/..", "/.",  "\xC3\xBC", "\xE3\x80\x82",
      "255",     "256",     "010",  "bc1", "0x",  " ",        "%25",
      "(",       ")",       "(%2E)"};
  std::mt19937 random(7);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string raw;
    int length = 1 + static_cast<int>(random() % 12);
    for (int idx = 0; idx < length; ++idx) raw += pieces[random() % pieces.size()];
    for (T type : kAllTypes) {
      Result<Observable> out = Normalize(type, raw);
      if (!out.ok()) continue;
      ++accepted;
      ASSERT_TRUE(IsFixedPoint(*out)) << "input: '" << raw << "' as " << TypeName(type);
    }
    Result<Observable> detected = DetectAndNormalize(raw);
    if (detected.ok()) {
      ASSERT_TRUE(IsFixedPoint(*detected)) << "detected input: '" << raw << "'";
    }
  }
  EXPECT_GT(accepted, 1000);
}

std::vector<std::string> ReadTrailLines(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    lines.push_back(line);
  }
  return lines;
}

// maltrail trails: every IP, domain and URL line is detected; the only
// lines refused are "ip:port" (no observable type carries a port) and bare
// paths without a host.
TEST(DetectTest, MaltrailTrailsAreDetected) {
  std::optional<std::filesystem::path> data = testing::SharedData();
  if (!data) GTEST_SKIP() << "ACCORD_SHARED_DATA not set";
  size_t detected = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*data / "ioc" / "maltrail")) {
    if (entry.path().extension() != ".txt") continue;
    for (const std::string& line : ReadTrailLines(entry.path())) {
      Result<Observable> out = DetectAndNormalize(line);
      bool host_and_port =
          line.find(':') != std::string::npos && line.find('/') == std::string::npos;
      bool bare_path = line[0] == '/';
      if (host_and_port || bare_path) {
        EXPECT_FALSE(out.ok()) << line;
        continue;
      }
      ASSERT_TRUE(out.ok()) << entry.path().filename() << ": " << line << ": "
                            << out.status().message();
      EXPECT_TRUE(IsFixedPoint(*out));
      ++detected;
    }
  }
  EXPECT_GT(detected, 50000u);
}

std::vector<std::string> WarningListValues(const std::filesystem::path& path) {
  std::ifstream in(path);
  nlohmann::json list = nlohmann::json::parse(in);
  return list.at("list").get<std::vector<std::string>>();
}

// MISP warning lists of top domains and cloud ranges normalize cleanly.
TEST(NormalizeTest, WarningListsNormalize) {
  std::optional<std::filesystem::path> data = testing::SharedData();
  if (!data) GTEST_SKIP() << "ACCORD_SHARED_DATA not set";
  for (const char* file : {"tranco10k.json", "alexa.json"}) {
    for (const std::string& value : WarningListValues(*data / "warninglists" / file)) {
      Result<Observable> out = Normalize(T::kDomain, value);
      ASSERT_TRUE(out.ok()) << file << ": " << value << ": " << out.status().message();
      EXPECT_TRUE(IsFixedPoint(*out));
    }
  }
  for (const char* file : {"amazon-aws.json", "google-gcp.json", "public-dns-v6.json",
                           "rfc1918.json", "sinkholes.json"}) {
    for (const std::string& value : WarningListValues(*data / "warninglists" / file)) {
      Result<Observable> out = Normalize(T::kCidr, value);
      ASSERT_TRUE(out.ok()) << file << ": " << value << ": " << out.status().message();
      EXPECT_TRUE(IsFixedPoint(*out));
    }
  }
}

}  // namespace
}  // namespace accord
