// The request types' legal fields and the state machine, on their own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "requests/requests.h"

namespace accord::requests {
namespace {

using ::testing::HasSubstr;

Fields CompletePreservation() {
  return {{"requesting_authority", "Office central de lutte contre la criminalite informatique"},
          {"offence", "Unauthorised access (Art. 2), computer-related fraud (Art. 8)"},
          {"facts", "An infostealer's C2 server collected credentials from 12,000 machines."},
          {"data_sought", "Server logs and disk images of 203.0.113.7, 2026-10-01 to now"},
          {"relation_to_offence", "The server is the malware's command-and-control endpoint."},
          {"custodian_location", "Example Hosting GmbH, Frankfurt data centre"},
          {"necessity", "Logs are rotated every 14 days."},
          {"mla_intent", "yes"}};
}

TEST(RequestFieldsTest, CompletePreservationIsSendable) {
  EXPECT_TRUE(CheckSendable(RequestType::kPreservation, CompletePreservation()).ok());
  EXPECT_TRUE(MissingFields(RequestType::kPreservation, CompletePreservation()).empty());
}

TEST(RequestFieldsTest, EachArticle29FieldIsRequiredAndNamedWhenMissing) {
  const std::vector<std::string> art29 = {"requesting_authority", "offence", "facts",
                                          "data_sought", "relation_to_offence",
                                          "custodian_location", "necessity", "mla_intent"};
  for (const std::string& field : art29) {
    Fields fields = CompletePreservation();
    fields.erase(field);
    Status status = CheckSendable(RequestType::kPreservation, fields);
    ASSERT_FALSE(status.ok()) << field;
    EXPECT_THAT(status.message(), HasSubstr("'" + field + "'"));
    EXPECT_THAT(status.message(), HasSubstr("Art. 29(2)"));
    auto missing = MissingFields(RequestType::kPreservation, fields);
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].name, field);
  }
}

TEST(RequestFieldsTest, BlankValueCountsAsMissing) {
  Fields fields = CompletePreservation();
  fields["necessity"] = "  \n ";
  EXPECT_THAT(CheckSendable(RequestType::kPreservation, fields).message(),
              HasSubstr("'necessity'"));
}

TEST(RequestFieldsTest, MutualAssistanceIntentMustSayYes) {
  Fields fields = CompletePreservation();
  fields["mla_intent"] = "maybe later";
  Status status = CheckSendable(RequestType::kPreservation, fields);
  EXPECT_THAT(status.message(), HasSubstr("mla_intent"));
  EXPECT_THAT(status.message(), HasSubstr("must say yes"));
  fields["mla_intent"] = " True ";
  EXPECT_TRUE(CheckSendable(RequestType::kPreservation, fields).ok());
}

TEST(RequestFieldsTest, UnknownFieldIsRefusedWithTheTypesFieldNames) {
  Fields fields = CompletePreservation();
  fields["victim_password"] = "x";
  Status status = CheckFields(RequestType::kPreservation, fields);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("'victim_password'"));
  EXPECT_THAT(status.message(), HasSubstr("necessity"));
}

TEST(RequestFieldsTest, EveryTypeHasRequiredFieldsAndRefusesAnEmptyRequest) {
  for (RequestType type : AllTypes()) {
    EXPECT_FALSE(MissingFields(type, {}).empty()) << Name(type);
    EXPECT_FALSE(CheckSendable(type, {}).ok()) << Name(type);
    EXPECT_TRUE(CheckFields(type, {}).ok()) << Name(type);  // a draft may be empty
  }
}

TEST(RequestFieldsTest, EmergencyDisclosureDefaultsToEmergencyUrgency) {
  EXPECT_EQ(DefaultUrgency(RequestType::kEmergencyDisclosure), Urgency::kEmergency);
  EXPECT_EQ(DefaultUrgency(RequestType::kPreservation), Urgency::kUrgent);
  EXPECT_EQ(DefaultUrgency(RequestType::kAssistance), Urgency::kNormal);
}

TEST(RequestNamesTest, NamesRoundTripAndUnknownNamesListTheKnownOnes) {
  for (RequestType type : AllTypes()) EXPECT_EQ(*ParseType(Name(type)), type);
  for (Action action : AllActions()) EXPECT_EQ(*ParseAction(Name(action)), action);
  EXPECT_EQ(*ParseState("in-progress"), State::kInProgress);
  auto bad = ParseType("mlat");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("preservation"));
  EXPECT_THAT(bad.status().message(), ::testing::StartsWith("type: unknown request type 'mlat'"));
  EXPECT_THAT(ParseUrgency("asap").status().message(), ::testing::StartsWith("urgency: "));
}

// The whole transition table, written out independently of the rules: every
// (state, action, side) not listed here must be refused.
TEST(RequestStateMachineTest, ExactlyTheListedTransitionsAreAllowed) {
  using S = State;
  using A = Action;
  const Side R = Side::kRequester;
  const Side P = Side::kRecipient;
  const std::set<std::tuple<S, A, Side, S>> allowed = {
      {S::kDraft, A::kSend, R, S::kSent},
      {S::kDraft, A::kWithdraw, R, S::kWithdrawn},
      {S::kSent, A::kAck, P, S::kAcknowledged},
      {S::kSent, A::kRefuse, P, S::kRefused},
      {S::kSent, A::kWithdraw, R, S::kWithdrawn},
      {S::kAcknowledged, A::kStart, P, S::kInProgress},
      {S::kAcknowledged, A::kExecute, P, S::kExecuted},
      {S::kAcknowledged, A::kRefuse, P, S::kRefused},
      {S::kAcknowledged, A::kWithdraw, R, S::kWithdrawn},
      {S::kInProgress, A::kExecute, P, S::kExecuted},
      {S::kInProgress, A::kRefuse, P, S::kRefused},
      {S::kInProgress, A::kWithdraw, R, S::kWithdrawn},
      {S::kExecuted, A::kExtend, R, S::kExtended},
      {S::kExecuted, A::kExtend, P, S::kExtended},
      {S::kExecuted, A::kClose, R, S::kClosed},
      {S::kExecuted, A::kClose, P, S::kClosed},
      {S::kExtended, A::kExtend, R, S::kExtended},
      {S::kExtended, A::kExtend, P, S::kExtended},
      {S::kExtended, A::kClose, R, S::kClosed},
      {S::kExtended, A::kClose, P, S::kClosed},
  };
  int checked = 0;
  for (int s = 0; s <= static_cast<int>(S::kWithdrawn); ++s) {
    for (Action action : AllActions()) {
      for (Side side : {R, P}) {
        const S from = static_cast<S>(s);
        auto next = NextState(RequestType::kPreservation, from, action, side);
        std::optional<S> expected;
        for (const auto& [f, a, who, to] : allowed) {
          if (f == from && a == action && who == side) expected = to;
        }
        ++checked;
        if (expected) {
          ASSERT_TRUE(next.ok()) << Name(from) << " " << Name(action) << ": "
                                 << next.status().message();
          EXPECT_EQ(*next, *expected) << Name(from) << " " << Name(action);
        } else {
          EXPECT_FALSE(next.ok()) << Name(from) << " " << Name(action) << " by "
                                  << (side == R ? "requester" : "recipient");
        }
      }
    }
  }
  EXPECT_EQ(checked, 9 * 8 * 2);
}

TEST(RequestStateMachineTest, WrongPartyIsPermissionDeniedNotAStateError) {
  auto by_requester = NextState(RequestType::kPreservation, State::kSent, Action::kAck,
                                Side::kRequester);
  EXPECT_EQ(by_requester.status().code(), Status::Code::kPermissionDenied);
  EXPECT_THAT(by_requester.status().message(), HasSubstr("requested party"));
}

TEST(RequestStateMachineTest, IllegalTransitionSaysWhatIsAllowedNow) {
  auto early = NextState(RequestType::kPreservation, State::kSent, Action::kExecute,
                         Side::kRecipient);
  EXPECT_EQ(early.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(early.status().message(), HasSubstr("cannot execute a request that is sent"));
  EXPECT_THAT(early.status().message(), HasSubstr("ack (requested party)"));
  auto closed = NextState(RequestType::kPreservation, State::kClosed, Action::kSend,
                          Side::kRequester);
  EXPECT_THAT(closed.status().message(), HasSubstr("nothing more can happen"));
}

TEST(RequestStateMachineTest, OnlyAPreservationCanBeExtended) {
  for (RequestType type : AllTypes()) {
    auto next = NextState(type, State::kExecuted, Action::kExtend, Side::kRequester);
    EXPECT_EQ(next.ok(), type == RequestType::kPreservation) << Name(type);
  }
  auto actions = AllowedActions(RequestType::kSubscriberInfo, State::kExecuted, Side::kRecipient);
  EXPECT_EQ(actions, std::vector<Action>{Action::kClose});
}

TEST(RequestStateMachineTest, RefusalAndWithdrawalNeedAReason) {
  EXPECT_TRUE(ReasonRequired(Action::kRefuse));
  EXPECT_TRUE(ReasonRequired(Action::kWithdraw));
  EXPECT_FALSE(ReasonRequired(Action::kAck));
  EXPECT_TRUE(IsTerminal(State::kRefused));
  EXPECT_FALSE(IsTerminal(State::kExtended));
}

}  // namespace
}  // namespace accord::requests
