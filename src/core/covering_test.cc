// What a value is also matched through, as search and lookup show it.
#include "core/covering.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace accord {
namespace {

std::vector<std::string> Values(const std::vector<Observable>& observables, ObservableType type) {
  std::vector<std::string> values;
  for (const Observable& observable : observables) {
    if (observable.type == type) values.push_back(observable.value);
  }
  return values;
}

TEST(CoveringTest, AnAddressIsCoveredByEveryNetworkHoldingItLongestFirst) {
  std::vector<Observable> v4 = CoveringObservables({ObservableType::kIpv4, "10.1.2.3"});
  ASSERT_EQ(v4.size(), 31u);
  EXPECT_EQ(v4.front().value, "10.1.2.2/31");
  EXPECT_EQ(v4[7].value, "10.1.2.0/24");
  EXPECT_EQ(v4[23].value, "10.0.0.0/8");
  EXPECT_EQ(v4.back().value, "0.0.0.0/1");
  EXPECT_EQ(Values(v4, ObservableType::kCidr).size(), 31u);

  std::vector<Observable> v6 = CoveringObservables({ObservableType::kIpv6, "2001:db8::1"});
  ASSERT_EQ(v6.size(), 127u);
  EXPECT_EQ(v6.front().value, "2001:db8::/127");
  EXPECT_EQ(v6[127 - 32].value, "2001:db8::/32");
  EXPECT_EQ(v6.back().value, "::/1");
}

TEST(CoveringTest, ANameIsCoveredByItsParentsNotByLookAlikes) {
  std::vector<Observable> covering = CoveringObservables({ObservableType::kDomain, "a.b.evil.example"});
  EXPECT_EQ(Values(covering, ObservableType::kDomain),
            (std::vector<std::string>{"b.evil.example", "evil.example", "example"}));
  EXPECT_TRUE(CoveringObservables({ObservableType::kDomain, "example"}).empty());
}

TEST(CoveringTest, AUrlIsCoveredByItsHostAndWhatCoversThat) {
  EXPECT_EQ(Values(CoveringObservables({ObservableType::kUrl, "http://cdn.evil.example:8080/gate.php?id=1"}),
                   ObservableType::kDomain),
            (std::vector<std::string>{"cdn.evil.example", "evil.example", "example"}));
  std::vector<Observable> by_address = CoveringObservables({ObservableType::kUrl, "http://[2001:db8::5]/x"});
  ASSERT_FALSE(by_address.empty());
  EXPECT_EQ(by_address.front().type, ObservableType::kIpv6);
  EXPECT_EQ(by_address.front().value, "2001:db8::5");
  EXPECT_EQ(by_address[1].value, "2001:db8::4/127");
  std::vector<Observable> v4 = CoveringObservables({ObservableType::kUrl, "https://user@192.0.2.7/p"});
  ASSERT_FALSE(v4.empty());
  EXPECT_EQ(v4.front().value, "192.0.2.7");
}

TEST(CoveringTest, AnEmailAddressIsCoveredByItsDomainAndHashesByNothing) {
  EXPECT_EQ(Values(CoveringObservables({ObservableType::kEmail, "boss@mail.evil.example"}), ObservableType::kDomain),
            (std::vector<std::string>{"mail.evil.example", "evil.example", "example"}));
  EXPECT_TRUE(CoveringObservables({ObservableType::kSha256, std::string(64, 'a')}).empty());
  EXPECT_TRUE(CoveringObservables({ObservableType::kCidr, "10.0.0.0/8"}).empty());
}

}  // namespace
}  // namespace accord
