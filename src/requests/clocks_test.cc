// Clock maths: durations, the policy, preservation periods, deadlines and
// notices, and instants shown across time zones and DST changes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "requests/requests.h"

namespace accord::requests {
namespace {

using ::testing::HasSubstr;
using std::chrono::days;
using std::chrono::hours;

TimePoint At(std::string_view text) { return *ParseTimestamp(text); }

TEST(DurationTest, ShortAndIsoFormsParse) {
  EXPECT_EQ(*ParseDuration("90m"), std::chrono::minutes(90));
  EXPECT_EQ(*ParseDuration("2h"), hours(2));
  EXPECT_EQ(*ParseDuration("3d"), days(3));
  EXPECT_EQ(*ParseDuration("2w"), days(14));
  EXPECT_EQ(*ParseDuration("PT2H"), hours(2));
  EXPECT_EQ(*ParseDuration("P1DT12H"), hours(36));
  EXPECT_EQ(*ParseDuration("P2W"), days(14));
}

TEST(DurationTest, MalformedDurationsAreRefusedNamingTheText) {
  for (std::string_view bad : {"", "2", "h", "2y", "-3d", "P1M", "PT", "2hh", "P1Y",
                               "99999999999999999999d"}) {
    auto parsed = ParseDuration(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_THAT(parsed.status().message(), HasSubstr("'" + std::string(bad) + "'"));
  }
  EXPECT_EQ(FormatDuration(days(14)), "2w");
  EXPECT_EQ(FormatDuration(hours(36)), "36h");
}

TEST(ClockPolicyTest, RoundTripsThroughJsonAndRefusesShortPreservation) {
  ClockPolicy policy;
  policy.ack_emergency = hours(1);
  policy.reminders = {days(7), days(1)};
  auto parsed = ParseClockPolicy(ClockPolicyJson(policy));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->ack_emergency, hours(1));
  EXPECT_EQ(parsed->ack_urgent, hours(24));
  EXPECT_EQ(parsed->reminders.size(), 2u);
  auto short_period = ParseClockPolicy(R"({"preservation_period": "30d"})");
  ASSERT_FALSE(short_period.ok());
  EXPECT_THAT(short_period.status().message(), HasSubstr("sixty days"));
  auto bad = ParseClockPolicy(R"({"ack": {"urgent": "soon"}})");
  EXPECT_THAT(bad.status().message(), HasSubstr("ack.urgent"));
}

TEST(ClockPolicyTest, AcknowledgementWindowFollowsUrgency) {
  ClockPolicy policy;
  EXPECT_EQ(AckWindow(policy, Urgency::kEmergency), hours(2));
  EXPECT_EQ(AckWindow(policy, Urgency::kUrgent), hours(24));
  EXPECT_EQ(AckWindow(policy, Urgency::kNormal), hours(72));
}

TEST(PreservationClockTest, DefaultPeriodIsSixtyDaysOfElapsedTimeAcrossDst) {
  // 1 March to 30 April crosses the spring change in Europe and North
  // America and the autumn change in Australia: 60 days is 1440 hours of
  // UTC, while the local wall clock moves by an hour.
  const TimePoint executed = At("2026-03-01T10:00:00Z");
  auto until = PreservationUntil(ClockPolicy{}, executed, std::nullopt);
  ASSERT_TRUE(until.ok());
  EXPECT_EQ(FormatTimestamp(*until), "2026-04-30T10:00:00.000Z");
  EXPECT_EQ(*FormatInZone(executed, "Europe/Berlin"), "2026-03-01 11:00 CET (UTC+01:00)");
  EXPECT_EQ(*FormatInZone(*until, "Europe/Berlin"), "2026-04-30 12:00 CEST (UTC+02:00)");
  EXPECT_EQ(*FormatInZone(executed, "America/New_York"), "2026-03-01 05:00 EST (UTC-05:00)");
  EXPECT_EQ(*FormatInZone(*until, "America/New_York"), "2026-04-30 06:00 EDT (UTC-04:00)");
  EXPECT_EQ(*FormatInZone(executed, "Australia/Sydney"), "2026-03-01 21:00 AEDT (UTC+11:00)");
  EXPECT_EQ(*FormatInZone(*until, "Australia/Sydney"), "2026-04-30 20:00 AEST (UTC+10:00)");
}

TEST(PreservationClockTest, ShorterThanSixtyDaysIsRefusedLongerIsKept) {
  const TimePoint now = At("2026-01-10T00:00:00Z");
  auto short_until = PreservationUntil(ClockPolicy{}, now, now + days(59));
  ASSERT_FALSE(short_until.ok());
  EXPECT_THAT(short_until.status().message(), HasSubstr("Art. 29(7)"));
  auto long_until = PreservationUntil(ClockPolicy{}, now, now + days(90));
  EXPECT_EQ(*long_until, now + days(90));
}

TEST(PreservationClockTest, ExtensionAddsAPeriodFromTheCurrentEnd) {
  const TimePoint now = At("2026-02-01T00:00:00Z");
  const TimePoint current = now + days(10);
  EXPECT_EQ(*ExtendedUntil(ClockPolicy{}, current, now, std::nullopt), current + days(60));
  EXPECT_FALSE(ExtendedUntil(ClockPolicy{}, current, now, current - days(1)).ok());
}

// Art. 29(7) renews a preservation that runs: once it lapsed the custodian
// may have let the data go, and only a new request asks for it again.
TEST(PreservationClockTest, ALapsedPreservationIsNotRenewed) {
  const TimePoint now = At("2026-02-01T00:00:00Z");
  for (std::optional<TimePoint> requested : {std::optional<TimePoint>(), std::optional(now + days(90))}) {
    auto lapsed = ExtendedUntil(ClockPolicy{}, now - days(1), now, requested);
    ASSERT_FALSE(lapsed.ok());
    EXPECT_EQ(lapsed.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_THAT(lapsed.status().message(), HasSubstr("lapsed at 2026-01-31"));
  }
}

TEST(TimeZoneTest, EmergencyWindowOverTheAutumnChangeShowsOneHourOnTheWallClock) {
  // Berlin leaves summer time at 01:00 UTC on 25 October 2026: two hours
  // after 00:30 UTC the wall clock has moved from 02:30 CEST to 03:30 CET.
  const TimePoint sent = At("2026-10-25T00:30:00Z");
  const TimePoint due = sent + AckWindow(ClockPolicy{}, Urgency::kEmergency);
  EXPECT_EQ(*FormatInZone(sent, "Europe/Berlin"), "2026-10-25 02:30 CEST (UTC+02:00)");
  EXPECT_EQ(*FormatInZone(due, "Europe/Berlin"), "2026-10-25 03:30 CET (UTC+01:00)");
  EXPECT_EQ(*FormatInZone(due, "Asia/Kolkata"), "2026-10-25 08:00 IST (UTC+05:30)");
}

TEST(TimeZoneTest, UnknownZoneIsRefusedByName) {
  EXPECT_TRUE(ValidateTimeZone("Africa/Lagos").ok());
  Status status = ValidateTimeZone("Europe/Atlantis");
  EXPECT_THAT(status.message(), HasSubstr("'Europe/Atlantis'"));
  EXPECT_FALSE(FormatInZone(At("2026-01-01T00:00:00Z"), "CET+99").ok());
}

RequestRow SentRequest(std::string ack_due) {
  RequestRow row;
  row.id = 7;
  row.reference = "FR-DE-2026-000007";
  row.state = "sent";
  row.urgency = "emergency";
  row.from_org_id = 1;
  row.to_org_id = 2;
  row.ack_due = std::move(ack_due);
  return row;
}

TEST(NoticeTest, EscalationOnlyOnceTheAcknowledgementIsOverdue) {
  RequestRow row = SentRequest("2026-05-01T12:00:00.000Z");
  NoticeContext contacts{"FR desk", "DE desk", "DE backup duty officer"};
  EXPECT_TRUE(DueNotices(row, ClockPolicy{}, contacts, At("2026-05-01T11:59:59Z")).empty());
  auto notices = DueNotices(row, ClockPolicy{}, contacts, At("2026-05-01T12:00:00Z"));
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].kind, "escalation");
  EXPECT_EQ(notices[0].org_id, 2);
  EXPECT_EQ(notices[0].addressee, "DE backup duty officer");
  EXPECT_EQ(notices[1].org_id, 1);
  EXPECT_EQ(notices[0].key, notices[1].key);
  row.state = "acknowledged";
  EXPECT_TRUE(DueNotices(row, ClockPolicy{}, contacts, At("2026-05-02T00:00:00Z")).empty());
}

TEST(NoticeTest, NoBackupEscalatesToThePrimaryContactAndTheRecordSaysSo) {
  RequestRow row = SentRequest("2026-05-01T12:00:00.000Z");
  auto notices = DueNotices(row, ClockPolicy{}, {"FR desk", "DE desk", ""},
                            At("2026-05-01T13:00:00Z"));
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].addressee, "DE desk");
  // The record never claims a backup the directory lacks.
  for (const RequestNotice& notice : notices) {
    EXPECT_EQ(notice.message.find("backup contact was alerted"), std::string::npos) << notice.message;
    EXPECT_EQ(notice.message.find("escalated to the backup"), std::string::npos) << notice.message;
  }
  EXPECT_NE(notices[1].message.find("registered no backup contact, so its 24/7 desk was alerted again"),
            std::string::npos)
      << notices[1].message;
  notices = DueNotices(row, ClockPolicy{}, {"FR desk", "Polizia Postale", "", false}, At("2026-05-01T13:00:00Z"));
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_NE(notices[1].message.find("nobody there could be alerted"), std::string::npos) << notices[1].message;
}

TEST(NoticeTest, ReminderUsesTheNearestLeadReachedThenExpiry) {
  RequestRow row = SentRequest("");
  row.state = "executed";
  row.preserved_until = "2026-07-01T00:00:00.000Z";
  const NoticeContext contacts{"FR", "DE", ""};
  const ClockPolicy policy;  // 14d, 3d, 1d
  EXPECT_TRUE(DueNotices(row, policy, contacts, At("2026-06-16T23:59:59Z")).empty());
  auto fourteen = DueNotices(row, policy, contacts, At("2026-06-17T00:00:00Z"));
  ASSERT_EQ(fourteen.size(), 2u);
  EXPECT_EQ(fourteen[0].kind, "reminder");
  EXPECT_THAT(fourteen[0].key, HasSubstr(":2w"));
  // Woken two days before: one reminder (3d), not 14d and 3d together.
  auto late = DueNotices(row, policy, contacts, At("2026-06-29T00:00:00Z"));
  ASSERT_EQ(late.size(), 2u);
  EXPECT_THAT(late[0].key, HasSubstr(":3d"));
  auto expired = DueNotices(row, policy, contacts, At("2026-07-01T00:00:00Z"));
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(expired[0].kind, "expired");
}

TEST(NoticeTest, DeadlineIsAcknowledgementWhenSentAndExpiryWhenPreserved) {
  RequestRow row = SentRequest("2026-05-01T12:00:00.000Z");
  EXPECT_EQ(NextDeadline(row)->kind, "acknowledgement");
  row.state = "extended";
  row.preserved_until = "2026-09-01T00:00:00.000Z";
  EXPECT_EQ(NextDeadline(row)->kind, "preservation");
  row.state = "closed";
  EXPECT_FALSE(NextDeadline(row).has_value());
}

}  // namespace
}  // namespace accord::requests
