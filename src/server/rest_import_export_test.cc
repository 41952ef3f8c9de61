// /api/v1/import, /api/v1/export and /api/v1/warninglists on the real
// server, on bodies the tests write themselves and (when present) on the
// shared real data. Every response is checked against docs/openapi.json.
#include <gmock/gmock.h>
#include <set>
#include <gtest/gtest.h>

#include "core/crypto.h"
#include "server/rest_testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::json;

class RestImportExportTest : public testing::RestTest {
 protected:
  static std::string StixBundle(const std::string& ip) { return testing::OneIndicatorBundle(ip); }
  static std::string MispEvent(const std::string& domain) {
    return json({{"Event",
                  {{"uuid", UuidV4()},
                   {"info", "misp event"},
                   {"Attribute",
                    {{{"type", "domain"}, {"value", domain}, {"to_ids", true}, {"uuid", UuidV4()},
                      {"category", "Network activity"}}}}}}})
        .dump();
  }
  bool LookupFinds(const std::string& value, const std::string& key) {
    return Get("/api/v1/indicators/lookup?value=" + value, key).status == 200;
  }
};

TEST_F(RestImportExportTest, CsvImportReportsCountsAndRejections) {
  auto res = Call("POST", "/api/v1/import?tlp=green&title=feed", contributor_a_,
                  "type,value\nipv4,192.0.2.31\ndomain,csv.example\nipv4,999.1.1.1\n", "text/csv");
  ASSERT_EQ(res.status, 200) << res.body;
  json out = Body(res);
  EXPECT_EQ(out["report"]["format"], "csv");
  EXPECT_EQ(out["report"]["new_values"], 2);
  EXPECT_EQ(out["report"]["rejected"], 1);
  ASSERT_EQ(out["rejections"].size(), 1u);
  EXPECT_EQ(out["rejections"][0]["value"], "999.1.1.1");
  EXPECT_EQ(out["rejections_omitted"], 0);
  EXPECT_TRUE(LookupFinds("csv.example", analyst_b_));  // GREEN, owned by A
  auto audit = AuditOf("import");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "key:" + contributor_a_.substr(0, contributor_a_.find(':')));
  EXPECT_EQ(audit[0].source_address, "127.0.0.1");
}

TEST_F(RestImportExportTest, AFeedsJsonRecordsAsApplicationJsonAreToldFromStixAndMisp) {
  auto res = Call("POST", "/api/v1/import?tlp=green&title=threatfox", contributor_a_,
                  R"({"1": [{"ioc_value": "198.51.100.77:443", "ioc_type": "ip:port", "threat_type": "botnet_cc"}],)"
                  R"( "2": [{"ioc_value": "records.example", "ioc_type": "domain"}]})",
                  "application/json");
  ASSERT_EQ(res.status, 200) << res.body;
  json out = Body(res);
  EXPECT_EQ(out["report"]["format"], "records");
  EXPECT_EQ(out["report"]["new_values"], 2);
  EXPECT_EQ(out["report"]["rejected"], 0);
  EXPECT_TRUE(LookupFinds("records.example", analyst_b_));  // GREEN, owned by A
}

TEST_F(RestImportExportTest, PlainListStixAndMispBodiesAreImportedUnderTheCallersOrganisation) {
  ASSERT_EQ(Call("POST", "/api/v1/import", analyst_a_, "list.example\n192.0.2.41\n", "text/plain").status,
            200);
  auto stix = Call("POST", "/api/v1/import", analyst_a_, StixBundle("192.0.2.42"),
                   "application/stix+json;version=2.1");
  ASSERT_EQ(stix.status, 200) << stix.body;
  EXPECT_EQ(Body(stix)["report"]["format"], "stix");
  auto misp = Call("POST", "/api/v1/import", analyst_a_, MispEvent("misp.example"), "application/json");
  ASSERT_EQ(misp.status, 200) << misp.body;
  EXPECT_EQ(Body(misp)["report"]["format"], "misp");
  auto bundle_as_json = Call("POST", "/api/v1/import", analyst_a_, StixBundle("192.0.2.43"),
                             "application/json");
  EXPECT_EQ(Body(bundle_as_json)["report"]["format"], "stix");
  // Default TLP is AMBER: the owner sees it, another organisation does not.
  for (const std::string value : {"list.example", "192.0.2.42", "misp.example"}) {
    EXPECT_TRUE(LookupFinds(value, reader_a_)) << value;
    EXPECT_FALSE(LookupFinds(value, analyst_b_)) << value;
  }
}

// A new version of an indicator with another pattern: the answer counts
// the value it dropped as withdrawn.
TEST_F(RestImportExportTest, TheImportReportCountsWhatANewVersionWithdrew) {
  auto version = [](const std::string& modified, const std::string& ip) {
    json indicator = {{"type", "indicator"},
                      {"spec_version", "2.1"},
                      {"id", "indicator--6d1c2a7e-0000-4000-8000-00000000c0de"},
                      {"created", "2026-01-01T00:00:00.000Z"},
                      {"modified", modified},
                      {"pattern", "[ipv4-addr:value = '" + ip + "']"},
                      {"pattern_type", "stix"},
                      {"valid_from", "2026-01-01T00:00:00Z"}};
    return json({{"type", "bundle"}, {"id", "bundle--" + UuidV4()}, {"objects", {indicator}}}).dump();
  };
  auto first = Call("POST", "/api/v1/import", analyst_a_, version("2026-01-01T00:00:00.000Z", "192.0.2.50"),
                    "application/stix+json");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Body(first)["report"]["withdrawn"], 0);
  auto second = Call("POST", "/api/v1/import", analyst_a_, version("2026-02-01T00:00:00.000Z", "192.0.2.51"),
                     "application/stix+json");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Body(second)["report"]["withdrawn"], 1);
}

// The importer upserts events by uuid; a body naming another organisation's
// event must not rewrite it (title, TLP, links): that event is refused, by
// name, as `accord import` refuses it, and the rest of the body is read.
TEST_F(RestImportExportTest, ImportNamingAnotherOrganisationsEventIsRefused) {
  const std::string uuid = CreateEvent(analyst_a_, "amber", {"192.0.2.90"}, json::array(), "A's");
  json misp = {{"Event",
                {{"uuid", uuid},
                 {"info", "taken over"},
                 {"Tag", {{{"name", "tlp:clear"}}}},
                 {"Attribute", {{{"type", "domain"}, {"value", "x.example"}, {"to_ids", true}}}}}}};
  auto refused = Call("POST", "/api/v1/import", analyst_b_, misp.dump(), "application/json");
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_EQ(Body(refused)["report"]["new_values"], 0);
  ASSERT_EQ(Body(refused)["rejections"].size(), 1u) << refused.body;
  EXPECT_NE(Body(refused)["rejections"][0]["reason"].get<std::string>().find("belongs to another organisation"),
            std::string::npos);
  json report = {{"type", "report"},
                 {"spec_version", "2.1"},
                 {"id", "report--" + uuid},
                 {"created", "2026-01-01T00:00:00.000Z"},
                 {"modified", "2026-02-01T00:00:00.000Z"},
                 {"name", "taken over"},
                 {"published", "2026-01-01T00:00:00Z"},
                 {"object_refs", json::array()}};
  json bundle = {{"type", "bundle"}, {"id", "bundle--" + UuidV4()}, {"objects", {report}}};
  EXPECT_EQ(Body(Call("POST", "/api/v1/import", contributor_b_, bundle.dump(), "application/stix+json"))["report"]
                ["rejected"],
            1);
  json grouping = report;  // a grouping is an event as a report is
  grouping.erase("published");
  grouping["type"] = "grouping";
  grouping["id"] = "grouping--" + uuid;
  grouping["context"] = "suspicious-activity";
  json grouped = {{"type", "bundle"}, {"id", "bundle--" + UuidV4()}, {"objects", {grouping}}};
  EXPECT_EQ(Body(Call("POST", "/api/v1/import", contributor_b_, grouped.dump(), "application/stix+json"))["report"]
                ["rejected"],
            1);
  json event = Body(Get("/api/v1/events/" + uuid, analyst_a_));
  EXPECT_EQ(event["title"], "A's");
  EXPECT_EQ(event["tlp"], "amber");
  EXPECT_FALSE(LookupFinds("x.example", analyst_b_));
  // The owner may update its own event by import.
  EXPECT_EQ(Call("POST", "/api/v1/import", analyst_a_, misp.dump(), "application/json").status, 200);
  EXPECT_EQ(Body(Get("/api/v1/events/" + uuid, analyst_a_))["title"], "taken over");
}

TEST_F(RestImportExportTest, ImportIntoAnExistingEventKeepsItsTitleTlpAndTagsAndNamesIt) {
  const std::string uuid =
      CreateEvent(analyst_a_, "amber", {"192.0.2.40"}, json::array(), "Operation Kestrel", {"op:kestrel"});
  ASSERT_FALSE(uuid.empty());
  // A list, and a STIX bundle whose own grouping would be a new event.
  auto list = Call("POST", "/api/v1/import?tlp=green&title=other&event=" + uuid, analyst_a_,
                   "kestrel-c2.example\n192.0.2.40\n", "text/plain");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Body(list)["report"]["new_values"], 1);
  EXPECT_EQ(Body(list)["report"]["known_values"], 1);
  EXPECT_EQ(Body(list)["report"]["touched_events"],
            json::array({{{"uuid", uuid}, {"created", false}}}));
  auto stix = Call("POST", "/api/v1/import?event=" + uuid, analyst_a_, StixBundle("198.51.100.40"),
                   "application/stix+json");
  ASSERT_EQ(stix.status, 200) << stix.body;
  EXPECT_EQ(Body(stix)["report"]["events"], 1);

  json event = Body(Get("/api/v1/events/" + uuid, analyst_a_));
  EXPECT_EQ(event["title"], "Operation Kestrel");
  EXPECT_EQ(event["tlp"], "amber");
  EXPECT_EQ(event["tags"], json::array({"op:kestrel"}));
  std::set<std::string> values;
  for (const json& indicator : event["indicators"]) values.insert(indicator["value"]);
  EXPECT_EQ(values, (std::set<std::string>{"192.0.2.40", "kestrel-c2.example", "198.51.100.40"}));
  // Still AMBER: the GREEN default of the body did not open it to others.
  EXPECT_FALSE(LookupFinds("kestrel-c2.example", analyst_b_));

  // Another organisation's event, or none, is answered alike.
  EXPECT_EQ(Call("POST", "/api/v1/import?event=" + uuid, analyst_b_, "x.example\n", "text/plain").status,
            404);
  EXPECT_EQ(Call("POST", "/api/v1/import?event=" + UuidV4(), analyst_a_, "x.example\n", "text/plain")
                .status,
            404);
}

TEST_F(RestImportExportTest, TheMispFeedServesEachCallerOnlyWhatItMayRead) {
  const std::string amber = CreateEvent(analyst_a_, "amber", {"192.0.2.77"}, json::array(), "A only");
  const std::string green = CreateEvent(analyst_a_, "green", {"green-feed.example"}, json::array(), "shared");
  ASSERT_FALSE(amber.empty());
  ASSERT_FALSE(green.empty());

  auto manifest_b = Get("/api/v1/misp-feed/manifest.json", analyst_b_);
  ASSERT_EQ(manifest_b.status, 200) << manifest_b.body;
  const json listed_b = Body(manifest_b);
  EXPECT_TRUE(listed_b.contains(green));
  EXPECT_FALSE(listed_b.contains(amber));
  EXPECT_EQ(listed_b[green]["info"], "shared");
  EXPECT_EQ(listed_b[green]["Orgc"]["name"], "CERT-A");
  EXPECT_TRUE(Body(Get("/api/v1/misp-feed/manifest.json", analyst_a_)).contains(amber));

  auto event_b = Get("/api/v1/misp-feed/" + green + ".json", analyst_b_);
  ASSERT_EQ(event_b.status, 200) << event_b.body;
  const json event = Body(event_b)["Event"];
  EXPECT_EQ(event["uuid"], green);
  EXPECT_EQ(event["timestamp"], listed_b[green]["timestamp"]);
  EXPECT_EQ(event["Attribute"][0]["value"], "green-feed.example");
  // Another organisation's AMBER event is answered like one that does not exist.
  EXPECT_EQ(Get("/api/v1/misp-feed/" + amber + ".json", analyst_b_).status, 404);
  EXPECT_EQ(Get("/api/v1/misp-feed/" + UuidV4() + ".json", analyst_b_).status, 404);
  EXPECT_EQ(Get("/api/v1/misp-feed/" + amber + ".json", analyst_a_).status, 200);
  EXPECT_EQ(Get("/api/v1/misp-feed/feed.txt", analyst_b_).status, 404);

  auto hashes = Get("/api/v1/misp-feed/hashes.csv", analyst_b_);
  ASSERT_EQ(hashes.status, 200);
  EXPECT_NE(hashes.body.find(Md5Hex("green-feed.example") + "," + green + "\n"), std::string::npos) << hashes.body;
  EXPECT_EQ(hashes.body.find(Md5Hex("192.0.2.77")), std::string::npos) << hashes.body;

  EXPECT_EQ(Get("/api/v1/misp-feed/manifest.json", "").status, 401);
}

TEST_F(RestImportExportTest, ImportReportNamesTheEventsItCreated) {
  auto res = Call("POST", "/api/v1/import?title=named", analyst_a_, "named.example\n", "text/plain");
  ASSERT_EQ(res.status, 200) << res.body;
  json touched = Body(res)["report"]["touched_events"];
  ASSERT_EQ(touched.size(), 1u);
  EXPECT_TRUE(touched[0]["created"].get<bool>());
  EXPECT_EQ(Body(Get("/api/v1/events/" + touched[0]["uuid"].get<std::string>(), analyst_a_))["title"],
            "named");
  auto again = Call("POST", "/api/v1/import?title=named&name=feed.txt", analyst_a_, "named2.example\n",
                    "text/plain");
  EXPECT_EQ(Body(again)["report"]["touched_events"][0]["created"], false);
  // The source as the caller named it, nothing of the node's own keying.
  EXPECT_EQ(Body(Get("/api/v1/events/" + touched[0]["uuid"].get<std::string>(), analyst_a_))["source"],
            "list:feed.txt");
  // A name that holds the node's suffix text elsewhere keeps it.
  const std::string odd = "feed@org" + std::to_string(org_a_) + "1.txt";
  auto kept = Call("POST", "/api/v1/import?title=odd&name=" + odd, analyst_a_, "odd.example\n", "text/plain");
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(Body(Get("/api/v1/events/" + Body(kept)["report"]["touched_events"][0]["uuid"].get<std::string>(),
                     analyst_a_))["source"],
            "list:" + odd);
}

// The title names an existing CLEAR event; the caller states RED for what
// it pastes: the event keeps its level, and the pasted values go to its
// companion at RED rather than to everyone. Without a stated level they
// grow the event as before.
TEST_F(RestImportExportTest, ValuesImportedAtAStatedLevelStricterThanTheirTitlesEventKeepThatLevel) {
  ASSERT_EQ(Call("POST", "/api/v1/import?tlp=clear&title=Shared", analyst_a_, "open.example\n", "text/plain").status,
            200);
  auto red = Call("POST", "/api/v1/import?tlp=red&title=Shared", analyst_a_, "secret.example\n", "text/plain");
  ASSERT_EQ(red.status, 200) << red.body;
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=secret.example", analyst_b_).status, 404);
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=open.example", analyst_b_).status, 200);
  json own = Body(Get("/api/v1/indicators/lookup?value=secret.example", analyst_a_));
  ASSERT_EQ(own["events"].size(), 1u) << own.dump();
  EXPECT_EQ(own["events"][0]["event"]["tlp"], "red");
  EXPECT_EQ(own["events"][0]["event"]["title"], "Shared (TLP:RED values)");
  ASSERT_EQ(Call("POST", "/api/v1/import?title=Shared", analyst_a_, "later.example\n", "text/plain").status, 200);
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=later.example", analyst_b_).status, 200);
  // The stated level is for values that carry no marking: a row marked
  // green keeps GREEN (a CSV of that title is an event of its own, CLEAR).
  ASSERT_EQ(Call("POST", "/api/v1/import?tlp=clear&title=Shared", analyst_a_, "value\nfirst-row.example\n",
                 "text/csv").status,
            200);
  auto csv = Call("POST", "/api/v1/import?tlp=red&title=Shared", analyst_a_,
                  "value,type,tlp\nplain-row.example,domain,\ngreen-row.example,domain,green\n", "text/csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=green-row.example", analyst_b_).status, 200);
  EXPECT_EQ(Get("/api/v1/indicators/lookup?value=plain-row.example", analyst_b_).status, 404);
}

TEST_F(RestImportExportTest, RejectionListIsCappedAndTheRestCounted) {
  std::string body;
  for (int line_idx = 0; line_idx < 1200; ++line_idx) body += "bad value " + std::to_string(line_idx) + "\n";
  auto res = Call("POST", "/api/v1/import", analyst_a_, body, "text/plain");
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 500);
  json out = Body(res);
  EXPECT_EQ(out["report"]["rejected"], 1200);
  EXPECT_EQ(out["rejections"].size(), 1000u);
  EXPECT_EQ(out["rejections_omitted"], 200);
}

TEST_F(RestImportExportTest, AZipOfFilesIsImportedFileByFileWithAReportForEach) {
  const std::string zip = testing::ArchiveOf({{"feeds/", ""},
                                              {"feeds/blocklist.txt", "zip-list.example\n192.0.2.61\n"},
                                              {"feeds/c2.csv", "type,value\ndomain,zip-csv.example\nipv4,999.1.1.1\n"},
                                              {"empty.txt", "\n"},
                                              {"bundle.json", StixBundle("192.0.2.62")},
                                              {"event.json", MispEvent("zip-misp.example")}});
  auto res = Call("POST", "/api/v1/import?tlp=green", contributor_a_, zip, "application/zip");
  ASSERT_EQ(res.status, 200) << res.body;
  json out = Body(res);
  EXPECT_EQ(out["report"]["format"], "archive");
  EXPECT_EQ(out["report"]["new_values"], 5);
  EXPECT_EQ(out["report"]["rejected"], 1);
  ASSERT_EQ(out["rejections"].size(), 1u);
  EXPECT_EQ(out["rejections"][0]["value"], "999.1.1.1");
  EXPECT_THAT(out["rejections"][0]["location"].get<std::string>(), HasSubstr("c2.csv"));
  ASSERT_EQ(out["files"].size(), 5u);
  std::vector<std::pair<std::string, json>> seen;
  for (const json& file : out["files"]) seen.emplace_back(file["name"].get<std::string>(), file["format"]);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, json>>{{"feeds/blocklist.txt", "list"},
                                                              {"feeds/c2.csv", "csv"},
                                                              {"empty.txt", nullptr},
                                                              {"bundle.json", "stix"},
                                                              {"event.json", "misp"}}));
  EXPECT_EQ(out["files"][0]["new_values"], 2);
  EXPECT_EQ(out["files"][1]["rejected"], 1);
  EXPECT_EQ(out["files"][2]["skipped"], "empty");
  for (const char* value : {"zip-list.example", "192.0.2.61", "zip-csv.example", "192.0.2.62", "zip-misp.example"}) {
    EXPECT_TRUE(LookupFinds(value, analyst_b_)) << value;  // GREEN, owned by A
  }
  // A list or CSV file without a title parameter makes an event named after it.
  std::set<std::string> titles;
  for (const json& touched : out["report"]["touched_events"]) {
    titles.insert(Body(Get("/api/v1/events/" + touched["uuid"].get<std::string>(), analyst_a_))["title"]);
  }
  EXPECT_TRUE(titles.contains("blocklist.txt"));
  EXPECT_TRUE(titles.contains("c2.csv"));
  // The same archive again adds nothing new.
  auto again = Call("POST", "/api/v1/import?tlp=green", contributor_a_, zip, "application/zip");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Body(again)["report"]["new_values"], 0);
  EXPECT_EQ(Body(again)["report"]["known_values"], 5);
}

TEST_F(RestImportExportTest, ATarGzOfFilesIsImportedWhateverMediaTypeItIsSentAs) {
  const std::string tgz = testing::ArchiveOf(
      {{"a.txt", "tgz-a.example\n"}, {"b.txt", "tgz-b.example\n"}}, testing::ArchiveKind::kTarGz);
  for (const char* media : {"application/gzip", "application/octet-stream", "application/x-tar"}) {
    auto res = Call("POST", "/api/v1/import", analyst_a_, tgz, media);
    ASSERT_EQ(res.status, 200) << media << ": " << res.body;
    EXPECT_EQ(Body(res)["files"].size(), 2u);
  }
  EXPECT_TRUE(LookupFinds("tgz-a.example", analyst_a_));
  EXPECT_TRUE(LookupFinds("tgz-b.example", analyst_a_));
  // A zip of one file is that file, read as one body.
  auto single = Call("POST", "/api/v1/import", analyst_a_, testing::ArchiveOf({{"one.txt", "zip-one.example\n"}}),
                     "text/plain");
  ASSERT_EQ(single.status, 200) << single.body;
  EXPECT_EQ(Body(single)["report"]["format"], "list");
  EXPECT_FALSE(Body(single).contains("files"));
}

// Rejections and errors name the source as the caller named it (?name=),
// not with the suffix the node keeps organisations' sources apart by.
TEST_F(RestImportExportTest, RejectionsAndErrorsNameTheSourceAsTheCallerNamedIt) {
  auto listed = Call("POST", "/api/v1/import?name=arkei.txt", analyst_a_, "good-name.example\n999.1.1.1\n",
                     "text/plain");
  ASSERT_EQ(listed.status, 200) << listed.body;
  json out = Body(listed);
  ASSERT_EQ(out["rejections"].size(), 1u);
  EXPECT_EQ(out["rejections"][0]["location"], "arkei.txt:2");
  std::string picture = "\x89PNG\r\n\x1a\n";
  picture += std::string(16, '\0') + "IHDR";
  auto binary = Call("POST", "/api/v1/import?name=logo.png", analyst_a_, picture, "text/plain");
  EXPECT_EQ(binary.status, 400) << binary.body;
  EXPECT_THAT(binary.body, HasSubstr("logo.png"));
  EXPECT_EQ(binary.body.find("@org"), std::string::npos) << binary.body;
}

// A picture beside the feeds is skipped as binary, not read as a list, and
// the files after it are imported.
TEST_F(RestImportExportTest, AnArchivesBinaryFileIsSkippedAndTheOthersImported) {
  std::string picture = "\x89PNG\r\n\x1a\n";
  picture += std::string(16, '\0') + "IHDR";
  const std::string zip = testing::ArchiveOf(
      {{"1-before.txt", "before-picture.example\n"}, {"2-logo.png", picture}, {"3-after.txt", "after-picture.example\n"}});
  auto res = Call("POST", "/api/v1/import", analyst_a_, zip, "application/zip");
  ASSERT_EQ(res.status, 200) << res.body;
  json out = Body(res);
  ASSERT_EQ(out["files"].size(), 3u);
  EXPECT_EQ(out["files"][1]["skipped"], "binary");
  EXPECT_EQ(out["report"]["rejected"], 0);
  EXPECT_TRUE(LookupFinds("before-picture.example", analyst_a_));
  EXPECT_TRUE(LookupFinds("after-picture.example", analyst_a_));
}

TEST_F(RestImportExportTest, AnArchiveStopsAtAMalformedFileAndSaysWhatWasCommittedBeforeIt) {
  const std::string zip = testing::ArchiveOf(
      {{"1-good.txt", "before-broken.example\n"},
       {"2-broken.json", R"({"type": "bundle", "id": "bundle--1", "objects": [{"type": )"},
       {"3-after.txt", "after-broken.example\n"}});
  auto res = Call("POST", "/api/v1/import", analyst_a_, zip, "application/zip");
  ASSERT_EQ(res.status, 400) << res.body;
  json out = Body(res);
  EXPECT_THAT(out["error"]["message"].get<std::string>(), HasSubstr("2-broken.json"));
  EXPECT_EQ(out["report"]["new_values"], 1);
  ASSERT_EQ(out["files"].size(), 2u);
  EXPECT_TRUE(out["files"][1].contains("error"));
  EXPECT_TRUE(LookupFinds("before-broken.example", analyst_a_));
  EXPECT_FALSE(LookupFinds("after-broken.example", analyst_a_));
}

// An archive whose second file names another organisation's event: that
// event is refused, by name, and left as it was; the rest is imported, as
// `accord import` of the same archive does.
TEST_F(RestImportExportTest, AnArchiveNamingAnotherOrganisationsEventLeavesThatEventAlone) {
  const std::string uuid = CreateEvent(analyst_a_, "amber", {"192.0.2.91"}, json::array(), "A's");
  json misp = {{"Event",
                {{"uuid", uuid},
                 {"info", "taken over"},
                 {"Attribute", {{{"type", "domain"}, {"value", "takeover.example"}, {"to_ids", true}}}}}}};
  const std::string zip = testing::ArchiveOf(
      {{"first.txt", "innocent-first.example\n"}, {"second.json", misp.dump()}});
  auto answered = Call("POST", "/api/v1/import", analyst_b_, zip, "application/zip");
  ASSERT_EQ(answered.status, 200) << answered.body;
  ASSERT_EQ(Body(answered)["rejections"].size(), 1u) << answered.body;
  EXPECT_NE(Body(answered)["rejections"][0]["reason"].get<std::string>().find("belongs to another organisation"),
            std::string::npos);
  EXPECT_TRUE(LookupFinds("innocent-first.example", analyst_b_));
  EXPECT_FALSE(LookupFinds("takeover.example", analyst_a_));
  EXPECT_FALSE(LookupFinds("takeover.example", analyst_b_));
  EXPECT_EQ(Body(Get("/api/v1/events/" + uuid, analyst_a_))["title"], "A's");
  // A damaged archive is the client's error, and changes nothing either.
  std::string list;
  for (int i = 0; i < 20000; ++i) list += "damaged-" + std::to_string(i * 7919) + ".example\n";
  const std::string tgz = testing::ArchiveOf({{"first.txt", "damaged-first.example\n"}, {"second.txt", list}},
                                             testing::ArchiveKind::kTarGz);
  auto bad = Call("POST", "/api/v1/import", analyst_a_, tgz.substr(0, tgz.size() / 2), "application/gzip");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_FALSE(LookupFinds("damaged-first.example", analyst_a_));
}

TEST_F(RestImportExportTest, BadImportsAreRefusedWithJsonErrors) {
  EXPECT_EQ(Call("POST", "/api/v1/import", reader_a_, "a.example\n", "text/plain").status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/import", analyst_a_, "a.example\n", "application/pdf").status, 415);
  EXPECT_EQ(Call("POST", "/api/v1/import", analyst_a_, "a.example\n").status, 415);
  EXPECT_EQ(Call("POST", "/api/v1/import", analyst_a_, "  \n", "text/plain").status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/import?tlp=pink", analyst_a_, "a.example\n", "text/plain").status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/import", analyst_a_, "a.example", "application/json").status, 400);
  auto broken = Call("POST", "/api/v1/import", analyst_a_,
                     R"({"type": "bundle", "id": "bundle--1", "objects": [{"type": )",
                     "application/stix+json");
  EXPECT_EQ(broken.status, 400) << broken.body;
  EXPECT_TRUE(Body(broken).contains("error"));
  for (const char* media : {"application/json", "application/stix+json"}) {
    EXPECT_EQ(Call("POST", "/api/v1/import", analyst_a_, std::string(100000, '['), media).status, 400);
  }
  EXPECT_EQ(Call("POST", "/api/v1/import", analyst_a_,
                 R"({"Event": {"info": "x", "Attribute": )" + std::string(100000, '['),
                 "application/json")
                .status,
            400);
  // A corrupt or cut compressed body is the client's fault: 400, not 500.
  for (const std::string& body : {std::string("\x1f\x8b\x08\x00", 4) + std::string(40, '\xff'),
                                  std::string("\x1f\x8b")}) {
    auto compressed = Call("POST", "/api/v1/import", analyst_a_, body, "text/plain");
    EXPECT_EQ(compressed.status, 400) << compressed.body;
    auto list = Call("POST", "/api/v1/warninglists", admin_a_, body, "application/json");
    EXPECT_EQ(list.status, 400) << list.body;
  }
  // So is a cut zip, whatever media type it came under; and cut telemetry.
  const std::string cut_zip("PK\x03\x04garbage", 11);
  for (const char* media : {"application/zip", "application/octet-stream", "text/plain"}) {
    auto zip = Call("POST", "/api/v1/import", analyst_a_, cut_zip, media);
    EXPECT_EQ(zip.status, 400) << media << ": " << zip.body;
    EXPECT_THAT(Body(zip)["error"]["message"].get<std::string>(), ::testing::HasSubstr("ZIP")) << zip.body;
  }
  EXPECT_EQ(Call("POST", "/api/v1/telemetry", analyst_a_, cut_zip, "application/x-ndjson").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/import", analyst_a_).status, 405);
}

TEST_F(RestImportExportTest, ExportStreamsOnlyWhatTheCallerMayRead) {
  CreateEvent(analyst_a_, "amber", {"192.0.2.61"}, json::array({"Partner-C"}), "amber-event");
  CreateEvent(analyst_a_, "green", {"192.0.2.62"}, json::array(), "green-event");
  auto as_owner = Get("/api/v1/export", analyst_a_);
  ASSERT_EQ(as_owner.status, 200);
  EXPECT_THAT(as_owner.Header("content-type"), HasSubstr("application/stix+json"));
  EXPECT_THAT(as_owner.body, HasSubstr("192.0.2.61"));
  EXPECT_TRUE(json::parse(as_owner.body, nullptr, false).is_object());
  auto as_other = Get("/api/v1/export", analyst_b_);
  EXPECT_THAT(as_other.body, HasSubstr("192.0.2.62"));
  EXPECT_THAT(as_other.body, Not(HasSubstr("192.0.2.61")));
  EXPECT_THAT(Get("/api/v1/export?format=csv", analyst_c_).body, HasSubstr("192.0.2.61"));
  auto capped = Get("/api/v1/export?format=csv&max_tlp=green", analyst_a_);
  EXPECT_EQ(capped.Header("content-type"), "text/csv");
  EXPECT_THAT(capped.body, Not(HasSubstr("192.0.2.61")));
  EXPECT_THAT(capped.body, HasSubstr("192.0.2.62"));
  auto misp = Get("/api/v1/export?format=misp", analyst_b_);
  EXPECT_EQ(misp.status, 200);
  EXPECT_THAT(misp.body, Not(HasSubstr("192.0.2.61")));
  EXPECT_EQ(Get("/api/v1/export?format=pdf", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/export?max_tlp=purple", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/export?live_only=maybe", analyst_a_).status, 400);
}

// Zeek's Intel file streams like the others; Suricata's is a directory of
// files, which only the CLI writes.
TEST_F(RestImportExportTest, ExportServesZeekIntelButNotSuricata) {
  CreateEvent(analyst_a_, "amber", {"192.0.2.61"}, json::array(), "amber-event");
  CreateEvent(analyst_a_, "green", {"192.0.2.62"}, json::array(), "green-event");
  auto zeek = Get("/api/v1/export?format=zeek", analyst_b_);
  ASSERT_EQ(zeek.status, 200);
  EXPECT_EQ(zeek.Header("content-type"), "text/plain");
  EXPECT_THAT(zeek.body, HasSubstr("#fields\tindicator\tindicator_type\tmeta.source\t"));
  EXPECT_THAT(zeek.body, HasSubstr("192.0.2.62\tIntel::ADDR\taccord\t"));
  EXPECT_THAT(zeek.body, Not(HasSubstr("192.0.2.61")));
  auto suricata = Get("/api/v1/export?format=suricata", analyst_a_);
  EXPECT_EQ(suricata.status, 400);
  EXPECT_THAT(suricata.body, HasSubstr("zeek"));
}

TEST_F(RestImportExportTest, TheOperatorsAdminsLoadWarningListsThatFlagStoredValues) {
  CreateEvent(analyst_a_, "green", {"9.9.9.9"});
  json list = {{"name", "Quad9"},
               {"description", "resolvers"},
               {"type", "cidr"},
               {"version", 2},
               {"matching_attributes", {"ip-dst", "ip-src"}},
               {"list", {"9.9.9.0/24"}}};
  EXPECT_EQ(PostJson("/api/v1/warninglists", analyst_a_, list).status, 403);
  auto res = PostJson("/api/v1/warninglists", admin_a_, list);
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(Body(res)["flagged"], 1);
  EXPECT_EQ(Body(Get("/api/v1/indicators/lookup?value=9.9.9.9", analyst_a_))["warninglist"], "Quad9");
  auto lists = Get("/api/v1/warninglists", reader_a_);
  ASSERT_EQ(lists.status, 200);
  ASSERT_EQ(Body(lists)["warninglists"].size(), 1u);
  EXPECT_EQ(Body(lists)["warninglists"][0]["entries"], 1);
  ASSERT_EQ(AuditOf("warninglist.add").size(), 1u);
  EXPECT_EQ(AuditOf("warninglist.add")[0].source_address, "127.0.0.1");
  EXPECT_EQ(Call("POST", "/api/v1/warninglists", admin_a_, "{", "application/json").status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/warninglists", admin_a_, std::string(100000, '['), "application/json")
                .status,
            400);
  EXPECT_EQ(PostJson("/api/v1/warninglists", admin_a_, {{"name", 5}}).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/warninglists", admin_a_, list.dump(), "text/plain").status, 415);
  // A list marks every organisation's values: another organisation's admin
  // may neither load nor remove one.
  const std::string admin_b = node_.AddKey(org_b_, Role::kAdmin);
  auto foreign = PostJson("/api/v1/warninglists", admin_b, list);
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_THAT(Body(foreign)["error"]["message"].get<std::string>(), ::testing::HasSubstr("operator organisation"));
  EXPECT_EQ(Call("DELETE", "/api/v1/warninglists/" + list["name"].get<std::string>(), admin_b).status, 403);
  EXPECT_EQ(Call("DELETE", "/api/v1/warninglists", admin_a_).status, 405);
}

TEST_F(RestImportExportTest, AdminsRemoveAWarningListAndItsValuesGoLiveAgain) {
  CreateEvent(analyst_a_, "green", {"9.9.9.9"});
  json list = {{"name", "Quad 9"}, {"description", "resolvers"}, {"type", "cidr"},
               {"version", 1},     {"list", {"9.9.9.0/24"}}};
  ASSERT_EQ(PostJson("/api/v1/warninglists", admin_a_, list).status, 201);
  EXPECT_EQ(Call("DELETE", "/api/v1/warninglists/Quad%209", analyst_a_).status, 403);
  auto res = Call("DELETE", "/api/v1/warninglists/Quad%209", admin_a_);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Body(res)["cleared"], 1);
  EXPECT_TRUE(Body(Get("/api/v1/indicators/lookup?value=9.9.9.9", analyst_a_))["warninglist"].is_null());
  EXPECT_EQ(Body(Get("/api/v1/warninglists", reader_a_))["warninglists"].size(), 0u);
  ASSERT_EQ(AuditOf("warninglist.remove").size(), 1u);
  EXPECT_EQ(AuditOf("warninglist.remove")[0].object, "Quad 9");
  EXPECT_EQ(Call("DELETE", "/api/v1/warninglists/Quad%209", admin_a_).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/warninglists/Quad%209", admin_a_, "{}", "application/json").status, 405);
}

TEST_F(RestImportExportTest, SharedDataWarningListAndMaltrailFeedImport) {
  auto shared = testing::SharedData();
  if (!shared) GTEST_SKIP() << "ACCORD_SHARED_DATA not set";
  auto res = Call("POST", "/api/v1/warninglists", admin_a_,
                  testing::ReadFile((*shared / "warninglists/public-dns-v4.json").string()),
                  "application/json");
  ASSERT_EQ(res.status, 201) << res.body.substr(0, 300);
  EXPECT_GT(Body(res)["entries"].get<int64_t>(), 1000);
  auto feed = Call("POST", "/api/v1/import?tlp=green&title=redline", analyst_a_,
                   testing::ReadFile((*shared / "ioc/maltrail/redline.txt").string()), "text/plain");
  ASSERT_EQ(feed.status, 200) << feed.body.substr(0, 300);
  EXPECT_GT(Body(feed)["report"]["new_values"].get<int64_t>(), 100);
  auto created = PostJson("/api/v1/events", analyst_a_,
                          {{"title", "resolver"}, {"indicators", {{{"value", "8.8.8.8"}}}}});
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(Body(created)["warninglisted"], 1);
}

}  // namespace
}  // namespace accord
