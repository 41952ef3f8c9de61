// The line classifiers: every vector set this CPU runs must find the same
// quotes and give the same verdict as the portable byte loop.
#include "telemetry/line_classify.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <vector>

namespace accord::telemetry::internal {
namespace {

struct Classified {
  bool clean = false;
  std::vector<size_t> quotes;  // positions
};

// The line followed by 64 bytes that would flag it if they were read as
// part of it.
Classified ClassifyPadded(LineClassifier classify, const std::string& line) {
  std::string buffer = line + std::string(32, '\\') + std::string(32, '"');
  std::array<uint8_t, kQuotePositionsCapacity> positions;
  positions.fill(0xEE);
  size_t count = 12345;
  Classified out;
  out.clean = classify(buffer.data(), line.size(), positions.data(), count);
  EXPECT_LE(count, line.size());
  for (size_t quote = 0; quote < count && quote < positions.size(); ++quote) out.quotes.push_back(positions[quote]);
  return out;
}

TEST(LineClassifyTest, PortableClassifierFindsQuotesAndRefusesEachUncleanByteKind) {
  LineClassifier portable = ClassifierFor(VectorSet::kPortable);
  ASSERT_NE(portable, nullptr);
  std::string line(130, 'a');
  line[0] = '"';
  line[63] = '"';
  line[64] = '"';
  line[129] = '"';
  Classified result = ClassifyPadded(portable, line);
  EXPECT_TRUE(result.clean);
  EXPECT_EQ(result.quotes, (std::vector<size_t>{0, 63, 64, 129}));
  for (char bad : {'\\', '\x01', '\x1f', '\xc3', '\xff'}) {
    for (size_t at : {size_t{0}, size_t{63}, size_t{64}, size_t{129}}) {
      std::string unclean = line;
      unclean[at] = bad;
      EXPECT_FALSE(ClassifyPadded(portable, unclean).clean) << "byte " << static_cast<int>(bad) << " at " << at;
    }
  }
  EXPECT_TRUE(ClassifyPadded(portable, "").clean);
  EXPECT_TRUE(ClassifyPadded(portable, "").quotes.empty());
  // A line of quotes only: every position, up to the last a byte can hold.
  const std::string all_quotes(kMaxClassifiedLine, '"');
  Classified full = ClassifyPadded(portable, all_quotes);
  ASSERT_EQ(full.quotes.size(), kMaxClassifiedLine);
  EXPECT_EQ(full.quotes.back(), kMaxClassifiedLine - 1);
}

TEST(LineClassifyTest, EveryVectorSetThisCpuRunsAgreesWithThePortableClassifier) {
  LineClassifier portable = ClassifierFor(VectorSet::kPortable);
  const std::string alphabet = std::string("\"\\\x01\x1f \x7f\x80\xc3\xff{}:,") + "abcXYZ09.-";
  std::mt19937 random(20261203);
  for (VectorSet set : SupportedVectorSets()) {
    LineClassifier classify = ClassifierFor(set);
    ASSERT_NE(classify, nullptr) << static_cast<int>(set);
    for (int round = 0; round < 20000; ++round) {
      const size_t size = random() % (kMaxClassifiedLine + 1);
      // Mostly plain bytes, so clean lines (and their quotes) are common too.
      const bool mostly_clean = round % 2 == 0;
      std::string line(size, 'a');
      for (char& byte : line) {
        const size_t pick = random() % (mostly_clean ? 200 : alphabet.size());
        byte = pick < alphabet.size() ? alphabet[pick] : 'a';
        if (mostly_clean && (byte == '\\' || static_cast<unsigned char>(byte) < 0x20 ||
                             static_cast<unsigned char>(byte) >= 0x7f)) {
          byte = '"';
        }
      }
      const Classified expected = ClassifyPadded(portable, line);
      const Classified actual = ClassifyPadded(classify, line);
      ASSERT_EQ(actual.clean, expected.clean) << "set " << static_cast<int>(set) << ", size " << size;
      ASSERT_EQ(actual.quotes, expected.quotes) << "set " << static_cast<int>(set) << ", size " << size;
    }
  }
}

TEST(LineClassifyTest, EverySetThisCpuRunsHasAClassifierAndOthersNone) {
  const std::vector<VectorSet> sets = SupportedVectorSets();
  for (VectorSet set : {VectorSet::kPortable, VectorSet::kSse2, VectorSet::kAvx2, VectorSet::kAvx512}) {
    const bool supported = std::find(sets.begin(), sets.end(), set) != sets.end();
    EXPECT_EQ(ClassifierFor(set) != nullptr, supported) << static_cast<int>(set);
  }
  EXPECT_NE(ClassifierFor(WidestVectorSet()), nullptr);
}

}  // namespace
}  // namespace accord::telemetry::internal
