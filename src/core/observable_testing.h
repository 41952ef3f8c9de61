// Test helpers for the observable_*_test.cc files: each expectation also
// checks that the result is a fixed point (normalizing the output again
// gives the same observable), so idempotence is verified on every vector.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/observable.h"

namespace accord::observable_testing {

// Normalizing an already-normalized observable must change nothing.
inline ::testing::AssertionResult IsFixedPoint(const Observable& out) {
  Result<Observable> again = Normalize(out.type, out.value);
  if (!again.ok()) {
    return ::testing::AssertionFailure()
           << TypeName(out.type) << " '" << out.value
           << "' does not normalize again: " << again.status().message();
  }
  if (!(*again == out)) {
    return ::testing::AssertionFailure()
           << TypeName(out.type) << " '" << out.value << "' normalizes again to "
           << TypeName(again->type) << " '" << again->value << "'";
  }
  return ::testing::AssertionSuccess();
}

inline void ExpectNormalizes(ObservableType type, std::string_view raw,
                             ObservableType expected_type, std::string_view expected_value) {
  SCOPED_TRACE(std::string(TypeName(type)) + " input: '" + std::string(raw) + "'");
  Result<Observable> out = Normalize(type, raw);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(TypeName(out->type), TypeName(expected_type));
  EXPECT_EQ(out->value, expected_value);
  EXPECT_TRUE(IsFixedPoint(*out));
}

inline void ExpectNormalizes(ObservableType type, std::string_view raw,
                             std::string_view expected_value) {
  ExpectNormalizes(type, raw, type, expected_value);
}

// Rejected, with a message that contains `reason`.
inline void ExpectRejected(ObservableType type, std::string_view raw, std::string_view reason) {
  SCOPED_TRACE(std::string(TypeName(type)) + " input: '" + std::string(raw) + "'");
  Result<Observable> out = Normalize(type, raw);
  ASSERT_FALSE(out.ok()) << "accepted as " << TypeName(out->type) << " '" << out->value << "'";
  EXPECT_EQ(out.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(out.status().message().find(reason), std::string::npos)
      << "message: " << out.status().message();
}

}  // namespace accord::observable_testing
