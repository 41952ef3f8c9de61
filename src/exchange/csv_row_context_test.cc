// What a CSV row's cells say beyond its value: a feed's reason naming a
// family, a MISP CSV export's attribute and event dates.
#include <gtest/gtest.h>

#include "exchange/exchange_testing.h"
#include "exchange/text_readers.h"

namespace accord {
namespace {

// "<family> C&C" in a reason or comment gives the role and family unless
// columns say them; a reason that names no family ("Malware C&C") or says
// something else gives neither.
TEST(CsvReaderTest, AFamilyCAndCReasonGivesRoleAndFamilyUnlessColumnsSayThem) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("sha1,reason,malware,role\n" + std::string(40, 'a') + ",Cobalt Strike C&C,,\n" +
                              std::string(40, 'b') + ",Malware C&C,,\n" + std::string(40, 'c') +
                              ",AsyncRAT C&C,Quasar,\n" + std::string(40, 'd') + ",Vidar C&C,,payload_delivery\n" +
                              std::string(40, 'e') + ",seen in phishing,,\n",
                          sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 5u);
  EXPECT_EQ(sink.indicators[0].context.family, "Cobalt Strike");
  EXPECT_EQ(sink.indicators[0].context.role, "c2");
  EXPECT_EQ(sink.indicators[1].context.family, "");
  EXPECT_EQ(sink.indicators[1].context.role, "");
  EXPECT_EQ(sink.indicators[2].context.family, "Quasar");
  EXPECT_EQ(sink.indicators[2].context.role, "");
  EXPECT_EQ(sink.indicators[3].context.family, "");
  EXPECT_EQ(sink.indicators[3].context.role, "payload-delivery");
  EXPECT_EQ(sink.indicators[4].context.family, "");
  EXPECT_EQ(sink.indicators[4].context.comment, "seen in phishing");
}

// A MISP CSV export with event columns dates each event by its event_date;
// one that does not read is noted beside the value.
TEST(CsvReaderTest, AMispCsvEventDateIsWhenItsEventWasMade) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("uuid,event_id,type,value,event_info,event_date\n"
                          "58a5a5a2-0000-4000-8000-000000000001,42,domain,nile.example,Nile phish,2017-01-16\n"
                          "58a5a5a2-0000-4000-8000-000000000002,43,domain,other.example,Other,someday\n",
                          sink)
                  .ok());
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].created, "2017-01-16T00:00:00.000Z");
  EXPECT_EQ(sink.events[1].created, "");
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].context.first_seen, "");
  EXPECT_EQ(sink.indicators[1].context.comment, "event_date someday");
}

// Older MISP CSV exports date attributes as YYYYMMDD: that is when the value
// was first seen, not a note.
TEST(CsvReaderTest, AnOldMispCsvExportsCompactDateIsFirstSeen) {
  CollectingSink sink;
  ASSERT_TRUE(ReadCsvText("uuid,event_id,category,type,value,comment,to_ids,date\n"
                          "58a5a5a2-0000-4000-8000-000000000001,42,Network activity,domain,nile.example,"
                          "phishing,1,20170116\n",
                          sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].context.first_seen, "2017-01-16T00:00:00.000Z");
  EXPECT_EQ(sink.indicators[0].context.comment, "phishing");
}

}  // namespace
}  // namespace accord
