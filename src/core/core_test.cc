// Tests for the small pieces of core: TLP, the policy function, time, crypto.
#include <gtest/gtest.h>

#include <vector>

#include "core/crypto.h"
#include "core/csv_field.h"
#include "core/policy.h"
#include "core/status.h"
#include "core/time.h"
#include "core/tlp.h"

namespace accord {
namespace {

TEST(TlpTest, ParsesLabelsNamesAndTlp1White) {
  EXPECT_EQ(ParseTlp("TLP:AMBER+STRICT"), Tlp::kAmberStrict);
  EXPECT_EQ(ParseTlp("tlp:white"), Tlp::kClear);
  EXPECT_EQ(ParseTlp("Green"), Tlp::kGreen);
  EXPECT_EQ(ParseTlp("red"), Tlp::kRed);
  EXPECT_FALSE(ParseTlp("purple").has_value());
  EXPECT_FALSE(ParseTlp("").has_value());
}

TEST(TlpTest, MarkingIdsRoundTripAndTlp1IdsAreRecognised) {
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    EXPECT_EQ(TlpFromStixMarkingId(TlpStixMarkingId(tlp)), tlp);
    EXPECT_NE(TlpStixMarkingObject(tlp).find(TlpStixMarkingId(tlp)), std::string_view::npos);
  }
  EXPECT_EQ(TlpFromStixMarkingId("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"),
            Tlp::kAmber);
  EXPECT_FALSE(TlpFromStixMarkingId("marking-definition--00000000-0000-4000-8000-000000000000"));
}

TEST(PolicyTest, FollowsTlp2ForEveryLevel) {
  const int64_t owner = 1, named = 2, other = 3;
  std::vector<int64_t> recipients = {named};
  auto may = [&](int64_t org, Role role, Tlp tlp) {
    return MayRead(Principal{org, role}, Visibility{tlp, owner, recipients});
  };
  for (Role role : {Role::kAdmin, Role::kAnalyst, Role::kReader, Role::kPoc}) {
    EXPECT_TRUE(may(other, role, Tlp::kClear));
    EXPECT_TRUE(may(other, role, Tlp::kGreen));
    EXPECT_FALSE(may(other, role, Tlp::kAmber));
    EXPECT_TRUE(may(named, role, Tlp::kAmber));
    EXPECT_TRUE(may(owner, role, Tlp::kAmber));
    EXPECT_FALSE(may(named, role, Tlp::kAmberStrict));
    EXPECT_TRUE(may(owner, role, Tlp::kAmberStrict));
    EXPECT_TRUE(may(named, role, Tlp::kRed));
    EXPECT_FALSE(may(other, role, Tlp::kRed));
  }
}

TEST(PolicyTest, ContributorReadsOthersOnlyUpToGreen) {
  std::vector<int64_t> recipients = {2};
  EXPECT_TRUE(MayRead({2, Role::kContributor}, {Tlp::kGreen, 1, recipients}));
  EXPECT_FALSE(MayRead({2, Role::kContributor}, {Tlp::kAmber, 1, recipients}));
  EXPECT_FALSE(MayRead({2, Role::kContributor}, {Tlp::kRed, 1, recipients}));
  EXPECT_TRUE(MayRead({1, Role::kContributor}, {Tlp::kAmberStrict, 1, recipients}));
}

TEST(PolicyTest, NoOrganisationSeesNothing) {
  EXPECT_FALSE(MayRead({0, Role::kAdmin}, {Tlp::kClear, 1, {}}));
}

TEST(TimeTest, ParsesRfc3339WithOffsetsAndFractions) {
  auto t = ParseTimestamp("2024-05-01T14:30:00.123456+02:00");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatTimestamp(*t), "2024-05-01T12:30:00.123Z");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2024-05-01")), "2024-05-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2024-05-01 10:11:12")), "2024-05-01T10:11:12.000Z");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("1700000000")), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2024-02-29T23:59:59Z")), "2024-02-29T23:59:59.000Z");
}

// One spelling per instant, since the store compares instants as text; an
// instant past year 9999 (an offset on the last day) is held at its end,
// which still sorts after every other.
TEST(TimeTest, NormalizedTimestampsHaveOneSpellingAndFourDigitYears) {
  EXPECT_EQ(*NormalizeTimestamp("2024-06-01T02:00:00+02:00"), "2024-06-01T00:00:00.000Z");
  EXPECT_EQ(*NormalizeTimestamp("2024-06-01T00:00:00Z"), *NormalizeTimestamp("2024-06-01T00:00:00.000000Z"));
  EXPECT_EQ(*NormalizeTimestamp(""), "");
  EXPECT_EQ(*NormalizeTimestamp("9999-12-31T23:59:59-01:00"), "9999-12-31T23:59:59.999Z");
  EXPECT_GT(*NormalizeTimestamp("9999-12-31T23:59:59-01:00"), *NormalizeTimestamp("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(NormalizeTimestamp("yesterday").ok());
}

TEST(TimeTest, RejectsImpossibleDatesAndGarbageWithTheText) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-01-01T25:00:00Z", "yesterday",
                          "2024-01-01T10:00:00Zjunk", "2024-01-01T10:00:00+2", ""}) {
    auto t = ParseTimestamp(bad);
    EXPECT_FALSE(t.ok()) << bad;
  }
  EXPECT_NE(ParseTimestamp("2024-13-01").status().message().find("2024-13-01"), std::string::npos);
}

TEST(CryptoTest, KnownDigests) {
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, HmacSha256MatchesRfc4231TestCases) {
  // RFC 4231, test cases 1 and 2.
  EXPECT_EQ(HmacSha256Hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, UuidV5MatchesRfc4122Example) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
  EXPECT_EQ(UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(CryptoTest, UuidV4IsWellFormedAndRandom) {
  std::string a = UuidV4(), b = UuidV4();
  EXPECT_TRUE(IsUuid(a));
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
  EXPECT_FALSE(IsUuid("not-a-uuid"));
}

TEST(CryptoTest, SecretHashVerifiesOnlyTheSecretAndIsSalted) {
  SecretHash h1 = HashSecret("s3cret");
  SecretHash h2 = HashSecret("s3cret");
  EXPECT_NE(h1.hash_hex, h2.hash_hex);  // different salts
  EXPECT_TRUE(VerifySecret("s3cret", h1));
  EXPECT_FALSE(VerifySecret("s3cret!", h1));
  EXPECT_EQ(h1.hash_hex.find("s3cret"), std::string::npos);
}

TEST(StatusTest, ResultCarriesValueOrError) {
  Result<int> good = 5;
  Result<int> bad = Status::Invalid("x.csv:3: bad");
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(*good, 5);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().ToString(), "invalid argument: x.csv:3: bad");
  EXPECT_EQ(bad.status().WithContext("import").message(), "import: x.csv:3: bad");
}

}  // namespace
// Exports and stealer packages are opened in spreadsheets: a cell a
// criminal's log or another organisation wrote must not run as a formula.
TEST(CsvFieldTest, QuotesAsRfc4180AndDisarmsCellsASpreadsheetWouldRunAsFormulas) {
  EXPECT_EQ(CsvField("evil.example"), "evil.example");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x/\",\"x\")"), "\"'=HYPERLINK(\"\"http://x/\"\",\"\"x\"\")\"");
  EXPECT_EQ(CsvField("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  for (const char* cell : {"+SUM(1+1)", "-2+3", "@SUM(A1)", "\tx", "\rx"}) {
    EXPECT_EQ(CsvField(cell).find_first_of("'"), CsvField(cell).front() == '"' ? 1u : 0u) << cell;
  }
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a=b"), "a=b") << "only a leading sign starts a formula";
}

}  // namespace accord
