// The DNS name lowerers: every vector set this CPU runs must lower, mark
// dots and refuse exactly as the portable table does.
#include "match/domain_lower.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>

namespace accord::match::internal {
namespace {

struct Lowered {
  bool plain = false;
  std::string text;
  DotBits dots{};
};

Lowered LowerWith(DomainLowerer lower, const std::string& name) {
  Lowered out;
  // Exactly the name's bytes, on the heap, so a read past its end would
  // show under the sanitizers.
  std::unique_ptr<char[]> copy(new char[name.size()]);
  if (!name.empty()) std::memcpy(copy.get(), name.data(), name.size());
  out.text.assign(name.size(), '?');
  out.plain = lower(std::string_view(copy.get(), name.size()), out.text.data(), out.dots);
  return out;
}

TEST(DomainLowerTest, PortableLowererLowersMarksDotsAndRefusesOtherBytes) {
  DomainLowerer portable = LowererFor(VectorSet::kPortable);
  ASSERT_NE(portable, nullptr);
  Lowered lowered = LowerWith(portable, "WWW.Evil-Site_1.Example");
  EXPECT_TRUE(lowered.plain);
  EXPECT_EQ(lowered.text, "www.evil-site_1.example");
  EXPECT_EQ(lowered.dots[0], (uint64_t{1} << 3) | (uint64_t{1} << 15));
  for (const char* refused : {"a b.example", "a\xc3\xa9.example", "a/b.example", "a@b", "x\x7f"}) {
    EXPECT_FALSE(LowerWith(portable, refused).plain) << refused;
  }
}

TEST(DomainLowerTest, EveryVectorSetThisCpuRunsLowersLikeThePortableTable) {
  DomainLowerer portable = LowererFor(VectorSet::kPortable);
  const std::string alphabet = "abcxyzABCXYZ0189-._@[`{ \x7f\x80\xc3\xff/";
  std::mt19937 random(31);
  for (VectorSet set : SupportedVectorSets()) {
    DomainLowerer lower = LowererFor(set);
    ASSERT_NE(lower, nullptr) << static_cast<int>(set);
    for (int round = 0; round < 20000; ++round) {
      const size_t size = random() % 256;  // up to 255 bytes
      std::string name(size, 'a');
      const bool mostly_plain = round % 2 == 0;
      for (char& byte : name) {
        const size_t pick = random() % alphabet.size();
        byte = alphabet[mostly_plain ? pick % 19 : pick];  // the first 19: plain bytes only
      }
      const Lowered expected = LowerWith(portable, name);
      const Lowered actual = LowerWith(lower, name);
      ASSERT_EQ(actual.plain, expected.plain) << "set " << static_cast<int>(set) << ": " << name;
      if (!expected.plain) continue;  // the output does not matter then
      ASSERT_EQ(actual.text, expected.text) << "set " << static_cast<int>(set);
      ASSERT_EQ(actual.dots, expected.dots) << "set " << static_cast<int>(set) << ": " << name;
    }
  }
}

}  // namespace
}  // namespace accord::match::internal
