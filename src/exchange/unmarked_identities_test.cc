// The unmarked identities an import holds until its end (unmarked_identities.h):
// each takes the level of the objects that name it as their creator.
#include "exchange/unmarked_identities.h"

#include <gtest/gtest.h>

#include <string>

namespace accord {
namespace {

// An unmarked identity that names another as its creator counts at the
// level it is given itself; an identity naming itself counts for nothing.
TEST(UnmarkedIdentitiesTest, AnUnmarkedCreatorOfAnUnmarkedIdentityFollowsIt) {
  exchange_internal::UnmarkedIdentities identities(Tlp::kAmber);
  auto identity = [](const std::string& id, const std::string& creator) {
    StixObjectRecord record;
    record.id = id;
    record.type = "identity";
    record.created_by_ref = creator;
    return record;
  };
  identities.Hold(identity("identity--a", "identity--b"), 0);
  identities.Hold(identity("identity--b", "identity--c"), 0);
  identities.Hold(identity("identity--c", "identity--c"), 0);
  identities.Hold(identity("identity--d", "identity--d"), 0);
  identities.NoteCreator("identity--a", Tlp::kGreen);
  const auto released = identities.Release();
  ASSERT_EQ(released.size(), 4u);
  EXPECT_EQ(released[0].identity.id, "identity--a");
  EXPECT_EQ(released[0].tlp, Tlp::kGreen);
  EXPECT_EQ(released[1].tlp, Tlp::kGreen);  // named by a
  EXPECT_EQ(released[2].tlp, Tlp::kGreen);  // named by b
  EXPECT_EQ(released[3].tlp, Tlp::kAmber);  // named by nothing but itself
  EXPECT_TRUE(identities.empty());
}

}  // namespace
}  // namespace accord
