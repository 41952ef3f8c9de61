// ReadJsonRecords and its detection, on feeds' JSON shapes the tests write.
#include <gtest/gtest.h>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "exchange/exchange_testing.h"
#include "exchange/text_readers.h"

namespace accord {
namespace {

Status Read(const std::string& json, CollectingSink& sink) {
  auto in = OpenInputFromMemory("feed.json", json);
  EXPECT_TRUE(in.ok());
  return ReadJsonRecords(**in, TextReadOptions{"feed.json", "11111111-1111-4111-8111-111111111111", "feed"}, sink);
}

// ThreatFox's JSON dump: arrays keyed by the IOC's id.
constexpr char kThreatFoxDump[] =
    R"({"1220553": [{"ioc_value": "203.0.113.52:443", "ioc_type": "ip:port", "threat_type": "botnet_cc",)"
    R"( "malware_printable": "Lumma Stealer", "first_seen_utc": "2024-01-01 00:00:09", "last_seen_utc": null,)"
    R"( "confidence_level": 100, "tags": "LummaStealer"}],)"
    R"( "1220552": [{"ioc_value": "lumma-json.example", "ioc_type": "domain", "threat_type": "botnet_cc",)"
    R"( "confidence_level": 75}]})";

TEST(JsonRecordsTest, ThreatFoxDumpKeyedByIdGivesEveryIndicatorWithItsContext) {
  CollectingSink sink;
  ASSERT_TRUE(Read(kThreatFoxDump, sink).ok());
  EXPECT_TRUE(sink.rejections.empty());
  ASSERT_EQ(sink.indicators.size(), 2u);
  const IndicatorRecord& c2 = sink.indicators[0];
  EXPECT_EQ(c2.type, ObservableType::kIpv4);
  EXPECT_EQ(c2.value, "203.0.113.52");
  EXPECT_EQ(c2.context.role, "c2");
  EXPECT_EQ(c2.context.confidence, 100);
  EXPECT_EQ(c2.context.first_seen, "2024-01-01T00:00:09.000Z");
  EXPECT_EQ(c2.context.comment, "Lumma Stealer; tags: LummaStealer; port 443");
  EXPECT_EQ(c2.location, "feed.json: record 1");
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kDomain);
  EXPECT_EQ(sink.indicators[1].context.confidence, 75);
  ASSERT_EQ(sink.events.size(), 1u);
}

// SSLBL's records say what a certificate is in a reason, as its CSV does.
TEST(JsonRecordsTest, AnSslblReasonGivesTheRoleAndFamily) {
  CollectingSink sink;
  ASSERT_TRUE(Read(R"({"reason":"QuasarRAT C&C","sha1":")" + std::string(40, 'f') +
                       R"(","ts":"2025-06-25T06:24:44Z"})" "\n",
                   sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 1u) << (sink.rejections.empty() ? "" : sink.rejections[0].reason);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kSha1);
  EXPECT_EQ(sink.indicators[0].context.role, "c2");
  EXPECT_EQ(sink.indicators[0].context.family, "QuasarRAT");
  EXPECT_EQ(sink.indicators[0].context.comment, "QuasarRAT C&C");
}

TEST(JsonRecordsTest, ApiDataArrayAndPlainArrayAreRead) {
  CollectingSink bazaar;  // MalwareBazaar: every hash of a sample, its name, tags as a list
  ASSERT_TRUE(Read(R"({"query_status": "ok", "data": [{"sha256_hash": ")" + std::string(64, 'c') +
                       R"(", "md5_hash": ")" + std::string(32, 'a') +
                       R"(", "file_name": "invoice.exe", "signature": "RedLineStealer", "tags": ["exe", "RedLine"]}]})",
                   bazaar)
                  .ok());
  ASSERT_EQ(bazaar.indicators.size(), 3u);
  EXPECT_EQ(bazaar.indicators[0].type, ObservableType::kSha256);
  EXPECT_EQ(bazaar.indicators[1].type, ObservableType::kMd5);
  EXPECT_EQ(bazaar.indicators[2].type, ObservableType::kFileName);
  EXPECT_EQ(bazaar.indicators[0].context.comment, "RedLineStealer; tags: exe, RedLine");

  CollectingSink feodo;  // Feodo Tracker: a plain array, the port a number
  ASSERT_TRUE(Read(R"([{"ip_address": "198.51.100.32", "port": 4643, "hostname": null, "malware": "Dridex",)"
                   R"( "first_seen": "2021-01-17 07:44:46"}])",
                   feodo)
                  .ok());
  ASSERT_EQ(feodo.indicators.size(), 1u);
  EXPECT_EQ(feodo.indicators[0].value, "198.51.100.32");
  EXPECT_EQ(feodo.indicators[0].context.comment, "Dridex; port 4643");
}

TEST(JsonRecordsTest, RecordsWithoutAValueAreRejectedByPositionAndReadingGoesOn) {
  CollectingSink sink;
  ASSERT_TRUE(Read(R"([{"ioc": "a.example"}, 7, {"note": "x"}, {"ioc": "b.example", "confidence": 300}, {"ioc": "c.example"}])",
                   sink)
                  .ok());
  ASSERT_EQ(sink.rejections.size(), 3u);
  EXPECT_EQ(sink.rejections[0].location, "feed.json: record 2");
  EXPECT_EQ(sink.rejections[0].reason, "not an object");
  EXPECT_EQ(sink.rejections[1].location, "feed.json: record 3");
  EXPECT_NE(sink.rejections[1].reason.find("no field holds a value"), std::string::npos);
  EXPECT_NE(sink.rejections[2].reason.find("confidence"), std::string::npos);
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[1].value, "c.example");
}

// Feodo Tracker's "hostname" is the address's reverse DNS, MalwareBazaar's
// file_name describes the file: context beside the value, never live.
TEST(JsonRecordsTest, AReverseDnsNameAndAFileNameBesideTheValueAreContext) {
  CollectingSink sink;
  ASSERT_TRUE(Read(R"([{"ip_address":"198.51.100.91","port":443,"hostname":"ip-198-51-100-91.hosting.example.net",)"
                   R"("malware":"QakBot"},)"
                   R"({"sha256_hash":")" + std::string(64, 'd') + R"(","file_name":"invoice.exe"},)"
                   R"({"file_name":"dropper.exe"}])",
                   sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 5u);
  for (const IndicatorRecord& indicator : sink.indicators) {
    const bool context = indicator.value == "ip-198-51-100-91.hosting.example.net" || indicator.value == "invoice.exe";
    EXPECT_EQ(indicator.context.is_indicator, !context) << indicator.value;
  }
}

// Spamhaus DROP since 2024: one JSON object a line and a metadata line at
// the end; a broken line is rejected by its line number, the rest read.
TEST(JsonRecordsTest, JsonLinesGiveARecordALineAndSkipTheMetadataLine) {
  CollectingSink sink;
  ASSERT_TRUE(Read("{\"cidr\":\"192.0.2.0/25\",\"sblid\":\"SBL000011\",\"rir\":\"arin\"}\n"
                   "{\"cidr\":\"2001:db8:100::/48\",\"sblid\":\"SBL000012\",\"rir\":\"ripencc\"}\r\n"
                   "{\"cidr\":\n"
                   "{\"type\":\"metadata\",\"timestamp\":1748855732,\"size\":2048,\"records\":2}\n",
                   sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].value, "192.0.2.0/25");
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kCidr);
  EXPECT_EQ(sink.indicators[0].context.comment, "SBL000011");
  EXPECT_EQ(sink.indicators[0].location, "feed.json:1");
  EXPECT_EQ(sink.indicators[1].value, "2001:db8:100::/48");
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_EQ(sink.rejections[0].location, "feed.json:3");
}

TEST(JsonRecordsTest, OneObjectOnItsOwnIsOneRecord) {
  CollectingSink sink;
  ASSERT_TRUE(Read(R"({"ioc": "single.example", "threat_type": "payload_delivery"})", sink).ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].value, "single.example");
  EXPECT_EQ(sink.indicators[0].context.role, "payload-delivery");
}

TEST(JsonRecordsTest, MalformedJsonAndDocumentsWithoutRecordsAreErrorsNamingTheSource) {
  for (const char* json : {R"([{"ioc": "a.example"})", R"("just a string")", R"({"count": 3})"}) {
    CollectingSink sink;
    Status status = Read(json, sink);
    ASSERT_FALSE(status.ok()) << json;
    EXPECT_NE(status.message().find("feed.json"), std::string::npos) << status.ToString();
    EXPECT_TRUE(sink.indicators.empty());
  }
}

// An AlienVault OTX pulse as its API and "Download" give it: many keys of
// its own before the indicators.
constexpr char kOtxPulse[] =
    R"({"id": "65a1b2c3d4e5f6a7b8c9d0e1", "name": "Lumma Stealer C2", "description": "C2 seen in January",)"
    R"( "author_name": "AlienVault", "created": "2024-01-12T10:00:00.123000", "TLP": "green",)"
    R"( "tags": ["lumma", "None"], "references": ["https://example.org/r"], "industries": [],)"
    R"( "attack_ids": [{"id": "T1071", "name": "Application Layer Protocol", "display_name": "T1071"}],)"
    R"( "malware_families": [{"id": "Lumma", "display_name": "Lumma Stealer", "target": null}],)"
    R"( "adversary": "", "indicators": [)"
    R"({"id": 1, "indicator": "198.51.100.23", "type": "IPv4", "created": "2024-01-12T10:00:00",)"
    R"( "title": "C2 server", "description": "", "expiration": "2024-02-11T10:00:00", "is_active": 1,)"
    R"( "role": "command_and_control"},)"
    R"({"id": 2, "indicator": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",)"
    R"( "type": "FileHash-SHA256", "created": "2024-01-12T10:00:00", "description": "payload",)"
    R"( "expiration": null, "is_active": 0, "role": null},)"
    R"({"id": 3, "indicator": "CVE-2023-1234", "type": "CVE", "created": "2024-01-12T10:00:00"},)"
    R"({"id": 4, "indicator": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "type": "BitcoinAddress"}]})";

TEST(JsonRecordsTest, AnOtxPulseIsAnEventOfItsIndicators) {
  CollectingSink sink;
  ASSERT_TRUE(Read(kOtxPulse, sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  const EventRecord& event = sink.events[0];
  EXPECT_EQ(event.title, "Lumma Stealer C2");
  EXPECT_EQ(event.description, "C2 seen in January");
  EXPECT_EQ(event.tlp, Tlp::kGreen);
  EXPECT_EQ(event.tags, (std::vector<std::string>{"lumma", "Lumma Stealer"}));
  EXPECT_EQ(event.created, "2024-01-12T10:00:00.123Z");  // the pulse's, not the import's
  EXPECT_TRUE(IsUuid(event.uuid));
  ASSERT_EQ(sink.indicators.size(), 3u);
  const IndicatorRecord& c2 = sink.indicators[0];
  EXPECT_EQ(c2.type, ObservableType::kIpv4);
  EXPECT_EQ(c2.context.role, "c2");
  EXPECT_EQ(c2.context.first_seen, "2024-01-12T10:00:00.000Z");
  EXPECT_EQ(c2.context.valid_until, "2024-02-11T10:00:00.000Z");
  EXPECT_TRUE(c2.context.is_indicator);
  EXPECT_EQ(c2.location, "feed.json: indicator 1");
  EXPECT_EQ(c2.event_uuid, event.uuid);
  EXPECT_EQ(c2.context.comment, "C2 server");  // the indicator's title, not the event's
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kSha256);
  EXPECT_FALSE(sink.indicators[1].context.is_indicator);  // is_active 0
  EXPECT_EQ(sink.indicators[1].context.comment, "payload");
  EXPECT_EQ(sink.indicators[2].type, ObservableType::kWallet);
  // A CVE is well-formed, with nothing to match.
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_TRUE(sink.rejections[0].not_matched);
  EXPECT_EQ(sink.rejections[0].location, "feed.json: indicator 3");
  EXPECT_EQ(DetectFormat(kOtxPulse, "pulse.json"), InputFormat::kJsonRecords);

  // The subscription API's page of pulses: one event each, the same uuid
  // for the same pulse.
  CollectingSink page;
  ASSERT_TRUE(Read(std::string(R"({"count": 2, "next": null, "results": [)") + kOtxPulse + "," +
                       R"({"id": "65a1b2c3d4e5f6a7b8c9d0e2", "name": "Phishing kit", "TLP": "white", "tags": [],)"
                       R"( "indicators": [{"indicator": "login-bank.example", "type": "hostname"}]}]})",
                   page)
                  .ok());
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[0].uuid, event.uuid);  // the same organisation: the same event
  EXPECT_EQ(page.events[1].tlp, Tlp::kClear);
  EXPECT_EQ(page.events[1].created, "");  // none given: the import's time
  ASSERT_EQ(page.indicators.size(), 4u);
  EXPECT_EQ(page.indicators[3].type, ObservableType::kDomain);
  EXPECT_EQ(page.indicators[3].location, "feed.json: pulse 2 indicator 1");
}

// OTX's "URI" is a path (nothing to match) or a whole URL (a URL).
TEST(JsonRecordsTest, AnOtxUriThatIsAWholeUrlIsAUrl) {
  CollectingSink sink;
  ASSERT_TRUE(Read(R"({"id": "65a1", "name": "Gate", "TLP": "green", "author_name": "x", "indicators": [)"
                   R"({"indicator": "http://evil-otx.example/gate.php", "type": "URI"},)"
                   R"({"indicator": "/gate.php", "type": "URI"}]})",
                   sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kUrl);
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_TRUE(sink.rejections[0].not_matched);
  EXPECT_EQ(sink.rejections[0].location, "feed.json: indicator 2");
}

// Another organisation importing the same public pulse gets its own event;
// a feed's own {"name", "indicators"} without OTX's keys is no pulse.
TEST(JsonRecordsTest, APulseIsEachOrganisationsOwnAndOnlyOtxDocumentsArePulses) {
  CollectingSink mine, theirs;
  ASSERT_TRUE(Read(kOtxPulse, mine).ok());
  auto in = OpenInputFromMemory("feed.json", kOtxPulse);
  ASSERT_TRUE(in.ok());
  TextReadOptions other{"feed.json", "11111111-1111-4111-8111-111111111111", "feed"};
  other.owner_org_id = 7;
  ASSERT_TRUE(ReadJsonRecords(**in, other, theirs).ok());
  ASSERT_EQ(mine.events.size(), 1u);
  ASSERT_EQ(theirs.events.size(), 1u);
  EXPECT_NE(mine.events[0].uuid, theirs.events[0].uuid);

  CollectingSink feed;
  ASSERT_TRUE(Read(R"({"name": "daily", "indicators": [{"ioc": "198.51.100.8"}]})", feed).ok());
  ASSERT_EQ(feed.indicators.size(), 1u);
  EXPECT_EQ(feed.indicators[0].event_uuid, "11111111-1111-4111-8111-111111111111");  // the file's event
}

TEST(JsonRecordsTest, DetectionTellsRecordsFromMispAndStix) {
  EXPECT_EQ(DetectFormat(kThreatFoxDump, "full.json"), InputFormat::kJsonRecords);
  EXPECT_EQ(DetectFormat(R"({"query_status": "ok", "data": [{"sha256_hash": "c"}]})", "x.json"),
            InputFormat::kJsonRecords);
  EXPECT_EQ(DetectFormat(R"([{"ip_address": "198.51.100.32", "port": 443}])", "ipblocklist.json"),
            InputFormat::kJsonRecords);
  EXPECT_EQ(DetectFormat(R"({"Event": {"info": "x", "Attribute": [{"value": "a"}]}})", "e.json"), InputFormat::kMisp);
  // A STIX 2.0 bare array has no spec_version: its ids say STIX.
  EXPECT_EQ(DetectFormat(R"([{"type": "indicator", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",)"
                         R"( "pattern": "[url:value = 'http://a.example/']"}])",
                         "x.json"),
            InputFormat::kStix);
  // JSON that is neither says so through the STIX reader's error, as before.
  EXPECT_EQ(DetectFormat(R"({"hello": "world"})", "x.json"), InputFormat::kStix);
}

}  // namespace
}  // namespace accord
