// Every read path against core/policy.h over the whole TLP matrix: events of
// CERT-A at each TLP level, with and without Partner-C named as recipient,
// created over REST and imported as STIX, each carrying its own domain; for
// every reader the expected answer is MayRead itself, and REST (get, list,
// indicator list, lookup, STIX and CSV export), TAXII (objects, manifest,
// object by id, in every collection) and alerts (telemetry posted by CERT-A)
// must all give that answer. A disagreement names the path, the reader and
// the cell.
//
// Federation push is the egress path to other nodes: the second test pushes
// every cell to a peer as each organisation that may stand for one,
// and the peer must receive exactly what MayRead lets that organisation read.
//
// Unlike rest_visibility_test.cc, which writes the expected matrix out by
// hand so the policy itself is under test, this test takes MayRead as the
// judge: it proves that no path decides differently from the one function.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "core/crypto.h"
#include "core/policy.h"
#include "core/tlp.h"
#include "federation/federation.h"
#include "server/rest_testing.h"
#include "server/taxii_testing.h"
#include "stix/stix.h"

namespace accord::testing {
namespace {

constexpr Tlp kLevels[] = {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed};

// A victim address outside every GeoIP range (no routed organisation), and
// one in the NL range, routed to Partner-C.
constexpr const char* kUnroutedVictim = "198.51.100.10";
constexpr const char* kPartnerVictim = "192.0.2.10";

enum class Origin { kRest, kStix };

// One event of the matrix.
struct Cell {
  std::string name;  // "stix/amber/named", for failure messages
  Tlp tlp = Tlp::kAmber;
  bool names_partner = false;
  Origin origin = Origin::kRest;
  std::string value;  // the event's one indicator, a domain no other cell has
  std::string event_uuid;
  std::string report_id;     // as TAXII serves the event
  std::string indicator_id;
  std::vector<int64_t> recipients;

  std::string Label() const { return name + " (" + value + ")"; }
};

struct Reader {
  std::string name;  // "Police-B analyst"
  std::string key;
  Principal principal;
};

// The collection alias of a level, as docs/TAXII.md names them.
std::string Alias(Tlp tlp) {
  std::string alias = "tlp-" + std::string(TlpName(tlp));
  std::replace(alias.begin(), alias.end(), '+', '-');
  return alias;
}

class TlpMatrixTest : public RestTest {
 protected:
  ServerConfig Config() override {
    // 192.0.2.0/24 is NL, where Partner-C is: alerts for victims there are
    // routed to it.
    WriteFile(geo_dir_.Join("geoip"), "3221225984,3221226239,NL\n");
    ServerConfig config;
    config.geoip = {"tor:" + geo_dir_.Join("geoip")};
    config.snapshot_refresh_seconds = 1;
    return config;
  }

  std::vector<Reader> Readers() const {
    return {{"CERT-A admin", admin_a_, {org_a_, Role::kAdmin}},
            {"CERT-A analyst", analyst_a_, {org_a_, Role::kAnalyst}},
            {"CERT-A contributor", contributor_a_, {org_a_, Role::kContributor}},
            {"CERT-A reader", reader_a_, {org_a_, Role::kReader}},
            {"CERT-A poc", poc_a_, {org_a_, Role::kPoc}},
            {"Police-B analyst", analyst_b_, {org_b_, Role::kAnalyst}},
            {"Police-B contributor", contributor_b_, {org_b_, Role::kContributor}},
            {"Partner-C analyst", analyst_c_, {org_c_, Role::kAnalyst}}};
  }

  // Five levels x {no recipient, Partner-C named} x {REST, STIX}.
  std::vector<Cell> MatrixCells() const {
    std::vector<Cell> cells;
    for (Origin origin : {Origin::kRest, Origin::kStix}) {
      for (Tlp tlp : kLevels) {
        for (bool names_partner : {false, true}) {
          Cell cell;
          cell.tlp = tlp;
          cell.names_partner = names_partner;
          cell.origin = origin;
          const std::string origin_name = origin == Origin::kRest ? "rest" : "stix";
          const std::string level = Alias(tlp).substr(4);  // "amber-strict"
          const std::string naming = names_partner ? "named" : "none";
          cell.name = origin_name + "/" + std::string(TlpName(tlp)) + "/" + naming;
          // A distinct first label per cell: no value is a substring or a
          // parent domain of another, so body searches and the matcher's
          // subdomain matching cannot confuse cells.
          char index[8];
          std::snprintf(index, sizeof(index), "m%02zu", cells.size());
          cell.value = std::string(index) + "-" + origin_name + "-" + level + "-" + naming +
                       ".matrix.example";
          if (names_partner) cell.recipients = {org_c_};
          cells.push_back(std::move(cell));
        }
      }
    }
    return cells;
  }

  // The event's Visibility as core/policy.h takes it.
  Visibility EventVisibility(const Cell& cell) const {
    return Visibility{cell.tlp, org_a_, cell.recipients};
  }

  // A STIX bundle with a report (the event) naming one indicator, both
  // marked with the cell's level; the report comes first so the indicator
  // lands in its event rather than in a group event.
  static std::string Bundle(const Cell& cell) {
    const std::string marking = std::string(TlpStixMarkingId(cell.tlp));
    const std::string times =
        R"("created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z")";
    json report_object = json::parse(R"({"type":"report","spec_version":"2.1",)" + times + "}");
    report_object["id"] = cell.report_id;
    report_object["name"] = "matrix cell " + cell.name;
    report_object["published"] = "2024-01-01T00:00:00Z";
    report_object["report_types"] = {"threat-report"};
    report_object["object_refs"] = {cell.indicator_id};
    report_object["object_marking_refs"] = {marking};
    json indicator = json::parse(R"({"type":"indicator","spec_version":"2.1",)" + times + "}");
    indicator["id"] = cell.indicator_id;
    indicator["pattern"] = "[domain-name:value = '" + cell.value + "']";
    indicator["pattern_type"] = "stix";
    indicator["valid_from"] = "2024-01-01T00:00:00Z";
    indicator["indicator_types"] = {"malicious-activity"};
    indicator["object_marking_refs"] = {marking};
    const std::string bundle_id =
        "bundle--" + UuidV5(kAccordUuidNamespace, "tlp-matrix:bundle:" + cell.name);
    return json({{"type", "bundle"}, {"id", bundle_id}, {"objects", {report_object, indicator}}})
        .dump();
  }

  // Creates the cell's event as CERT-A's analyst: over REST, or as a STIX
  // import whose recipients are then named with PATCH (STIX carries no
  // recipients). Checks the owner reads back what was meant.
  void CreateCell(Cell& cell) {
    const json recipients = cell.names_partner ? json::array({"Partner-C"}) : json::array();
    if (cell.origin == Origin::kRest) {
      cell.event_uuid = CreateEvent(analyst_a_, std::string(TlpName(cell.tlp)), {cell.value},
                                    recipients, "matrix cell " + cell.name);
      ASSERT_FALSE(cell.event_uuid.empty()) << cell.name;
      // TAXII serves it as the objects export builds (exchange/event_stix.h).
      cell.report_id = "report--" + cell.event_uuid;
      StixIndicatorSpec spec;
      spec.event_uuid = cell.event_uuid;
      spec.observable = {ObservableType::kDomain, cell.value};
      cell.indicator_id = StixIndicatorId(spec);
    } else {
      const std::string report_uuid =
          UuidV5(kAccordUuidNamespace, "tlp-matrix:report:" + cell.name);
      cell.report_id = "report--" + report_uuid;
      cell.indicator_id =
          "indicator--" + UuidV5(kAccordUuidNamespace, "tlp-matrix:indicator:" + cell.name);
      cell.event_uuid = report_uuid;
      HttpResponse imported = Call("POST", "/api/v1/import?name=matrix", analyst_a_, Bundle(cell),
                                   "application/stix+json");
      ASSERT_EQ(imported.status, 200) << cell.name << ": " << imported.body;
      const json report = Body(imported)["report"];
      ASSERT_EQ(report["events"], 1) << cell.name << ": " << imported.body;
      ASSERT_EQ(report["stix_objects_new"], 2) << cell.name << ": " << imported.body;
      ASSERT_EQ(Body(imported)["rejections"].size(), 0u) << cell.name << ": " << imported.body;
      if (cell.names_partner) {
        HttpResponse patched = Call("PATCH", "/api/v1/events/" + cell.event_uuid, analyst_a_,
                                    json({{"recipients", recipients}}).dump(), "application/json");
        ASSERT_EQ(patched.status, 200) << cell.name << ": " << patched.body;
      }
    }
    HttpResponse owner_view = Get("/api/v1/events/" + cell.event_uuid, analyst_a_);
    ASSERT_EQ(owner_view.status, 200) << cell.name << ": " << owner_view.body;
    const json event = Body(owner_view);
    ASSERT_EQ(event["tlp"], std::string(TlpName(cell.tlp))) << cell.name;
    ASSERT_EQ(event["owner"]["id"], org_a_) << cell.name;
    std::vector<int64_t> stored_recipients;
    for (const json& org : event["recipients"]) {
      stored_recipients.push_back(org["id"].get<int64_t>());
    }
    ASSERT_EQ(stored_recipients, cell.recipients) << cell.name;
    ASSERT_EQ(event["indicators"].size(), 1u) << cell.name << ": " << owner_view.body;
    ASSERT_EQ(event["indicators"][0]["value"], cell.value) << cell.name;
  }

  // Every item of a paged REST list (`member` of each page), following
  // `next` until it is null.
  std::vector<json> ListAll(const std::string& path, const std::string& member,
                            const std::string& key) {
    std::vector<json> items;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
      const std::string query = path + "?limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor);
      HttpResponse response = Get(query, key);
      EXPECT_EQ(response.status, 200) << query << ": " << response.body;
      const json body = Body(response);
      for (const json& item : body.value(member, json::array())) items.push_back(item);
      if (!body.contains("next") || body["next"].is_null()) break;
      cursor = body["next"].get<std::string>();
    }
    return items;
  }

  // A TAXII GET with HTTP Basic, as TAXII clients authenticate.
  HttpResponse Taxii(const std::string& path, const Reader& reader) const {
    HttpRequest request;
    request.path = path;
    request.headers = {kTaxiiAccept};
    const size_t colon = reader.key.find(':');
    request.basic_user = reader.key.substr(0, colon);
    request.basic_password = reader.key.substr(colon + 1);
    return node_.Send(request);
  }

  // The ids a TAXII envelope or manifest lists.
  std::set<std::string> TaxiiIds(const std::string& path, const Reader& reader) {
    HttpResponse response = Taxii(path, reader);
    EXPECT_EQ(response.status, 200) << path << " as " << reader.name << ": " << response.body;
    const json resource = json::parse(response.body, nullptr, false);
    EXPECT_FALSE(resource.value("more", false)) << path << ": the matrix fits one page";
    std::set<std::string> ids;
    for (const json& object : resource.value("objects", json::array())) {
      ids.insert(object["id"].get<std::string>());
    }
    return ids;
  }



  std::string IdentityId(int64_t org_id) {
    auto org = node_.store().FindOrganisationById(org_id);
    EXPECT_TRUE(org.ok() && org->has_value());
    return org.ok() && org->has_value() ? StixIdentityId((*org)->uuid) : "";
  }

  // Records one comparison of a path's answer with MayRead's.
  void Agree(const std::string& path, const Reader& reader, const std::string& item, bool may_read,
             bool shown) {
    ++checks_;
    if (may_read == shown) return;
    ADD_FAILURE() << "path " << path << " | reader " << reader.name << " | cell " << item
                  << ": MayRead says " << (may_read ? "readable" : "NOT readable")
                  << " but the path " << (shown ? "SHOWS it (a leak)" : "hides it");
  }

  TempDir geo_dir_;
  int64_t checks_ = 0;
};

TEST_F(TlpMatrixTest, EveryReadPathAgreesWithMayReadForEveryReaderAndCell) {
  std::vector<Cell> cells = MatrixCells();
  for (Cell& cell : cells) ASSERT_NO_FATAL_FAILURE(CreateCell(cell));
  std::map<std::string, const Cell*> cell_of_uuid;
  std::map<std::string, const Cell*> cell_of_value;
  for (const Cell& cell : cells) {
    cell_of_uuid[cell.event_uuid] = &cell;
    cell_of_value[cell.value] = &cell;
  }

  // Alerts: CERT-A's analyst (who may read every cell) posts telemetry that
  // hits every value twice, from an unrouted victim and from one routed to
  // Partner-C: one alert each.
  ASSERT_NO_FATAL_FAILURE(AwaitSnapshot(static_cast<int64_t>(cells.size())));
  std::string telemetry;
  for (const Cell& cell : cells) {
    telemetry += SuricataDns(kUnroutedVictim, cell.value) + SuricataDns(kPartnerVictim, cell.value);
  }
  HttpResponse posted =
      Call("POST", "/api/v1/telemetry", analyst_a_, telemetry, "application/x-ndjson");
  ASSERT_EQ(posted.status, 200) << posted.body;
  const json telemetry_result = Body(posted);
  ASSERT_EQ(telemetry_result["alerts_new"], static_cast<int64_t>(2 * cells.size())) << posted.body;
  ASSERT_EQ(telemetry_result["alerts"].size(), 2 * cells.size()) << posted.body;
  for (const json& alert : telemetry_result["alerts"]) {
    const bool routed = alert["victim"] == kPartnerVictim;
    ASSERT_EQ(alert["organisation"], std::string(routed ? "Partner-C" : "")) << alert.dump();
  }

  for (const Reader& reader : Readers()) {
    SCOPED_TRACE(reader.name);
    // The list paths, read once per reader.
    std::set<std::string> listed_events;
    for (const json& event : ListAll("/api/v1/events", "events", reader.key)) {
      listed_events.insert(event["uuid"].get<std::string>());
    }
    std::set<std::pair<std::string, std::string>> listed_values;  // (value, event uuid)
    for (const json& item : ListAll("/api/v1/indicators", "indicators", reader.key)) {
      listed_values.emplace(item["value"].get<std::string>(),
                            item["event"]["uuid"].get<std::string>());
    }
    std::map<std::string, std::string> exports;
    for (const char* format : {"stix", "csv"}) {
      HttpResponse exported = Get(std::string("/api/v1/export?format=") + format, reader.key);
      EXPECT_EQ(exported.status, 200) << format << ": " << exported.body;
      exports[format] = exported.body;
    }
    std::map<Tlp, std::set<std::string>> taxii_objects;
    std::map<Tlp, std::set<std::string>> taxii_manifest;
    for (Tlp level : kLevels) {
      taxii_objects[level] = TaxiiIds(CollectionPath(Alias(level)) + "objects/", reader);
      taxii_manifest[level] = TaxiiIds(CollectionPath(Alias(level)) + "manifest/", reader);
    }

    for (const Cell& cell : cells) {
      const bool may = MayRead(reader.principal, EventVisibility(cell));
      const std::string item = cell.Label();

      HttpResponse got = Get("/api/v1/events/" + cell.event_uuid, reader.key);
      EXPECT_TRUE(got.status == 200 || got.status == 404) << got.status << " " << got.body;
      Agree("GET /api/v1/events/{uuid}", reader, item, may, got.status == 200);
      Agree("GET /api/v1/events", reader, item, may, listed_events.count(cell.event_uuid) > 0);
      Agree("GET /api/v1/indicators", reader, item, may,
            listed_values.count({cell.value, cell.event_uuid}) > 0);

      HttpResponse looked_up = Get("/api/v1/indicators/lookup?value=" + cell.value, reader.key);
      EXPECT_TRUE(looked_up.status == 200 || looked_up.status == 404)
          << looked_up.status << " " << looked_up.body;
      std::set<std::string> lookup_events;
      if (looked_up.status == 200) {
        const json lookup = Body(looked_up);
        for (const json& correlated : lookup["events"]) {
          lookup_events.insert(correlated["event"]["uuid"].get<std::string>());
        }
        // A 200 naming no event, or another, would itself reveal the value.
        EXPECT_EQ(lookup_events, std::set<std::string>{cell.event_uuid}) << item;
      }
      Agree("GET /api/v1/indicators/lookup", reader, item, may, looked_up.status == 200);
      for (const auto& [format, body] : exports) {
        Agree("GET /api/v1/export?format=" + format, reader, item, may,
              body.find(cell.value) != std::string::npos);
      }

      // TAXII: every cell is in its level's collection (imported ones as
      // they came, REST ones as derived objects), and in no other.
      for (Tlp level : kLevels) {
        const bool here = level == cell.tlp;
        const std::string collection = "TAXII " + Alias(level);
        Agree(collection + " objects/ (indicator)", reader, item, here && may,
              taxii_objects[level].count(cell.indicator_id) > 0);
        Agree(collection + " objects/ (report)", reader, item, here && may,
              taxii_objects[level].count(cell.report_id) > 0);
        Agree(collection + " manifest/ (indicator)", reader, item, here && may,
              taxii_manifest[level].count(cell.indicator_id) > 0);
      }
      HttpResponse object =
          Taxii(CollectionPath(Alias(cell.tlp)) + "objects/" + cell.indicator_id + "/", reader);
      EXPECT_TRUE(object.status == 200 || object.status == 404)
          << object.status << " " << object.body;
      Agree("TAXII " + Alias(cell.tlp) + " objects/{id}/", reader, item, may, object.status == 200);
    }

    // TAXII identities and marking definitions (docs/TAXII.md): every cell
    // is CERT-A's, so a level's marking definition is in a collection
    // exactly when the reader may read a cell there, CERT-A's identity when
    // it may read a REST cell there (those objects name it; STIX ones name
    // their own), and no other organisation's identity ever is.
    for (Tlp level : kLevels) {
      bool may_any = false;
      bool may_derived = false;
      for (const Cell& cell : cells) {
        const bool may = cell.tlp == level && MayRead(reader.principal, EventVisibility(cell));
        may_any = may_any || may;
        may_derived = may_derived || (may && cell.origin == Origin::kRest);
      }
      const std::string collection = "TAXII " + Alias(level);
      const std::string item = "the cells at " + Alias(level);
      const std::string marking(TlpStixMarkingId(level));
      Agree(collection + " objects/ (CERT-A identity)", reader, item, may_derived,
            taxii_objects[level].count(IdentityId(org_a_)) > 0);
      Agree(collection + " manifest/ (CERT-A identity)", reader, item, may_derived,
            taxii_manifest[level].count(IdentityId(org_a_)) > 0);
      Agree(collection + " objects/ (marking definition)", reader, item, may_any,
            taxii_objects[level].count(marking) > 0);
      HttpResponse identity =
          Taxii(CollectionPath(Alias(level)) + "objects/" + IdentityId(org_a_) + "/", reader);
      Agree(collection + " objects/{identity}/", reader, item, may_derived, identity.status == 200);
      for (int64_t other : {org_b_, org_c_}) {
        EXPECT_EQ(taxii_objects[level].count(IdentityId(other)), 0u) << collection << " " << reader.name;
      }
      for (const std::string& id : taxii_objects[level]) {
        if (id.starts_with("marking-definition--")) {
          EXPECT_EQ(id, marking) << collection;
        }
      }
    }

    // Alerts. An alert is owned by the organisation that posted the
    // telemetry (CERT-A), has its event's level, and names the routed
    // organisation as recipient only if that organisation may read the
    // event (src/match/matcher.cc: an alert never widens an event's
    // audience). MayRead on that Visibility is the expectation.
    std::set<std::pair<std::string, std::string>> listed_alerts;  // (value, victim)
    for (const json& alert : ListAll("/api/v1/alerts", "alerts", reader.key)) {
      listed_alerts.emplace(alert["matched"].get<std::string>(),
                            alert["victim"].get<std::string>());
      auto cell = cell_of_value.find(alert["matched"].get<std::string>());
      if (cell == cell_of_value.end()) {
        ADD_FAILURE() << reader.name << " got an alert for an unknown value: " << alert.dump();
        continue;
      }
      EXPECT_EQ(alert["tlp"], std::string(TlpName(cell->second->tlp))) << alert.dump();
      // The events an alert names are read paths too.
      for (const json& event : alert["events"]) {
        auto named = cell_of_uuid.find(event["uuid"].get<std::string>());
        if (named == cell_of_uuid.end()) {
          ADD_FAILURE() << "an alert names an unknown event: " << alert.dump();
          continue;
        }
        Agree("GET /api/v1/alerts (events named in an alert)", reader, named->second->Label(),
              MayRead(reader.principal, EventVisibility(*named->second)), true);
      }
    }
    for (const Cell& cell : cells) {
      for (const char* victim : {kUnroutedVictim, kPartnerVictim}) {
        const bool routed = std::string(victim) == kPartnerVictim;
        std::vector<int64_t> alert_recipients;
        if (routed && MayRead({org_c_, Role::kAnalyst}, EventVisibility(cell))) {
          alert_recipients.push_back(org_c_);
        }
        const bool may = MayRead(reader.principal, {cell.tlp, org_a_, alert_recipients});
        Agree("GET /api/v1/alerts", reader,
              cell.Label() + (routed ? " alert routed to Partner-C" : " alert unrouted"), may,
              listed_alerts.count({cell.value, victim}) > 0);
      }
    }
  }

  // Paths x readers x cells actually compared: per reader, 6 REST answers,
  // 2 alerts and 16 TAXII answers per cell, plus one per event an alert
  // names.
  const int64_t per_reader = static_cast<int64_t>(cells.size()) * (6 + 2 + 5 * 3 + 1);
  EXPECT_GE(checks_, per_reader * static_cast<int64_t>(Readers().size()));
  std::printf("[ TlpMatrix ] %lld comparisons with MayRead: %zu readers x %zu cells\n",
              static_cast<long long>(checks_), Readers().size(), cells.size());
}

TEST_F(TlpMatrixTest, FederationPushSendsAPeerExactlyWhatItsOrganisationMayRead) {
  std::vector<Cell> cells = MatrixCells();
  for (Cell& cell : cells) ASSERT_NO_FATAL_FAILURE(CreateCell(cell));
  // CERT-A owns every cell, and push never sends an organisation what it
  // owns: the peers stand for Police-B and Partner-C.
  for (const auto& [org_id, org_name] : {std::pair{org_b_, "Police-B"}, {org_c_, "Partner-C"}}) {
    SCOPED_TRACE(org_name);
    TestServer peer;
    const std::string key = peer.AddKey(peer.AddOrganisation("CERT-A"), Role::kContributor);
    peer.Start();
    federation::PushOptions options;
    options.api_root_url = peer.base_url() + "/taxii2/api/";
    options.credentials = key;
    options.peer = std::string("peer-of-") + org_name;
    options.peer_org_id = org_id;
    auto pushed = federation::Push(node_.store(), options);
    ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
    std::map<std::string, Tlp> at_peer;
    ASSERT_TRUE(peer.store()
                    .ForEachStixObject({},
                                       [&at_peer](const StoredStixObject& object) {
                                         at_peer[object.id] = object.tlp;
                                         return Status::Ok();
                                       })
                    .ok());
    const Reader as_peer{std::string(org_name) + " (as a peer)", "", {org_id, Role::kReader}};
    for (const Cell& cell : cells) {
      const bool may = MayRead(as_peer.principal, EventVisibility(cell));
      Agree("federation push (indicator)", as_peer, cell.Label(), may,
            at_peer.count(cell.indicator_id) > 0);
      Agree("federation push (report)", as_peer, cell.Label(), may,
            at_peer.count(cell.report_id) > 0);
      // What arrives keeps its level at the peer.
      if (at_peer.count(cell.indicator_id) > 0) {
        EXPECT_EQ(at_peer[cell.indicator_id], cell.tlp) << cell.Label();
      }
    }
    peer.Stop();
  }
  EXPECT_GE(checks_, 2 * 2 * static_cast<int64_t>(cells.size()));
}

}  // namespace
}  // namespace accord::testing
