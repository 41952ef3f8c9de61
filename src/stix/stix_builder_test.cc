// The builders' output against the rules the OASIS STIX 2.1 validator checks
// as errors (it cannot be installed here, so the rules are restated below),
// and a round trip through ReadStixBundle.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "core/crypto.h"
#include "stix/stix.h"
#include "stix/stix_testing.h"

namespace accord {
namespace {

using Json = nlohmann::json;

const std::regex kTimestamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
const std::regex kUuid(R"(^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)");
const std::regex kCustomPropertyName(R"(^x_[a-z0-9_]{1,248}$)");

bool IsId(const Json& value, const std::string& type = "") {
  if (!value.is_string()) return false;
  const std::string text = value.get<std::string>();
  const size_t sep = text.find("--");
  if (sep == std::string::npos) return false;
  if (!type.empty() && text.substr(0, sep) != type) return false;
  return std::regex_match(text.substr(sep + 2), kUuid);
}

// No empty lists or objects at any depth (validator: "empty lists are not
// allowed").
void ExpectNoEmptyLists(const Json& value, const std::string& path) {
  if (value.is_array()) {
    EXPECT_FALSE(value.empty()) << path << " is an empty list";
    for (const auto& item : value) ExpectNoEmptyLists(item, path + "[]");
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) ExpectNoEmptyLists(item, path + "." + key);
  }
}

// The version digit of an id's uuid (the validator's uuid-check: 4 for
// domain objects, relationships and bundles, 5 for cyber-observables), and
// its variant bits (RFC 4122: 10xx).
char UuidVersion(const Json& id) {
  const std::string text = id.get<std::string>();
  const std::string uuid = text.substr(text.find("--") + 2);
  EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos) << text << ": not an RFC 4122 variant";
  return uuid[14];
}

// The common rules for every SDO/SRO Accord writes.
void ExpectValidSdo(const Json& object, const std::string& type, const std::vector<std::string>& required) {
  ASSERT_TRUE(object.is_object());
  EXPECT_EQ(object.value("type", ""), type);
  EXPECT_EQ(object.value("spec_version", ""), "2.1");
  ASSERT_TRUE(IsId(object["id"], type)) << object["id"];
  EXPECT_EQ(UuidVersion(object["id"]), '4') << object["id"];
  for (const char* key : {"created", "modified"}) {
    ASSERT_TRUE(object.contains(key)) << key;
    EXPECT_TRUE(std::regex_match(object[key].get<std::string>(), kTimestamp)) << object[key];
  }
  EXPECT_GE(object["modified"].get<std::string>(), object["created"].get<std::string>());
  for (const auto& key : required) EXPECT_TRUE(object.contains(key)) << type << " lacks " << key;
  for (const auto& [key, value] : object.items()) {
    if (key.size() > 4 && key.substr(key.size() - 4) == "_ref") {
      EXPECT_TRUE(IsId(value)) << key;
    }
    if (key.size() > 5 && key.substr(key.size() - 5) == "_refs") {
      for (const auto& ref : value) EXPECT_TRUE(IsId(ref)) << key << " " << ref;
    }
    if (key.rfind("x_", 0) == 0) {
      EXPECT_TRUE(std::regex_match(key, kCustomPropertyName)) << key;
    }
  }
  if (object.contains("object_marking_refs")) {
    for (const auto& ref : object["object_marking_refs"]) EXPECT_TRUE(IsId(ref, "marking-definition"));
  }
  ExpectNoEmptyLists(object, type);
}

StixIndicatorSpec SampleIndicator() {
  StixIndicatorSpec spec;
  spec.event_uuid = "0b8f3c3e-8a0d-4c1e-9a55-8e1d1b0c4f11";
  spec.observable = {ObservableType::kUrl, "http://evil.example/it's \"quoted\"/é"};
  spec.context.role = "c2";
  spec.context.confidence = 80;
  spec.context.first_seen = "2024-01-05T10:00:00.000Z";
  spec.context.last_seen = "2024-01-09T10:00:00.000Z";
  spec.context.valid_until = "2024-07-01T00:00:00.000Z";
  spec.context.comment = "Lumma C2 panel";
  spec.tlp = Tlp::kGreen;
  spec.created_by_ref = StixIdentityId("org-1");
  spec.created = "2024-01-05T10:00:00Z";
  spec.modified = "2024-01-06T10:00:00+02:00";
  spec.labels = {"lumma", "", "stealer", "lumma"};
  return spec;
}

TEST(BuildStixIdentityTest, IsValidAndDeterministic) {
  StixIdentitySpec spec{"org-1", "CERT-XX", "cert", "XX", "2024-01-01T00:00:00Z"};
  const Json identity = Json::parse(BuildStixIdentity(spec));
  ExpectValidSdo(identity, "identity", {"name", "identity_class"});
  EXPECT_EQ(identity["id"], StixIdentityId("org-1"));
  EXPECT_EQ(identity["name"], "CERT-XX");
  EXPECT_EQ(identity["identity_class"], "organization");
  EXPECT_EQ(identity["sectors"], Json::array({"government-national"}));
  EXPECT_EQ(identity["created"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(BuildStixIdentity(spec), BuildStixIdentity(spec));
  EXPECT_NE(StixIdentityId("org-1"), StixIdentityId("org-2"));

  // Nothing but an id: still valid (name and times have fallbacks).
  const Json bare = Json::parse(BuildStixIdentity(StixIdentitySpec{"org-3", "", "", "", ""}));
  ExpectValidSdo(bare, "identity", {"name", "identity_class"});
  EXPECT_FALSE(bare.contains("sectors"));
}

TEST(BuildStixIndicatorTest, HasEveryRequiredPropertyInValidForm) {
  const StixIndicatorSpec spec = SampleIndicator();
  const Json indicator = Json::parse(BuildStixIndicator(spec));
  ExpectValidSdo(indicator, "indicator", {"pattern", "pattern_type", "valid_from"});
  EXPECT_EQ(indicator["id"], StixIndicatorId(spec));
  EXPECT_EQ(indicator["pattern"], PatternFor(spec.observable));
  EXPECT_EQ(indicator["pattern_type"], "stix");
  EXPECT_EQ(indicator["pattern_version"], "2.1");
  EXPECT_EQ(indicator["name"], spec.observable.value);
  EXPECT_EQ(indicator["description"], "Lumma C2 panel");
  EXPECT_FALSE(indicator.contains("x_accord_description_generated"));
  EXPECT_EQ(indicator["created"], "2024-01-05T10:00:00.000Z");
  EXPECT_EQ(indicator["modified"], "2024-01-06T08:00:00.000Z");
  EXPECT_EQ(indicator["valid_from"], "2024-01-05T10:00:00.000Z");
  EXPECT_EQ(indicator["valid_until"], "2024-07-01T00:00:00.000Z");
  EXPECT_EQ(indicator["confidence"], 80);
  EXPECT_EQ(indicator["indicator_types"], Json::array({"malicious-activity"}));
  EXPECT_EQ(indicator["x_accord_role"], "c2");
  EXPECT_EQ(indicator["labels"], Json::array({"c2", "lumma", "stealer"}));
  EXPECT_EQ(indicator["created_by_ref"], StixIdentityId("org-1"));
  EXPECT_EQ(indicator["object_marking_refs"], Json::array({std::string(TlpStixMarkingId(Tlp::kGreen))}));
  EXPECT_TRUE(ParsePattern(indicator["pattern"].get<std::string>()).ok());
}

// indicator_types SHOULD hold only indicator-type-ov terms (the validator
// warns otherwise); a role that is none travels in x_accord_role and labels.
TEST(BuildStixIndicatorTest, IndicatorTypesHoldOnlyVocabularyTermsAndTheRoleTravelsApart) {
  const std::vector<std::string> vocabulary = {
      "anomalous-activity", "anonymization", "benign", "compromised",
      "malicious-activity", "attribution",   "unknown"};
  struct Case {
    std::string role;
    std::string indicator_type;  // empty: no indicator_types
    bool own_property;           // x_accord_role and a label
  };
  const std::vector<Case> cases = {
      {"c2", "malicious-activity", true},
      {"payload-delivery", "malicious-activity", true},
      {"network-activity", "malicious-activity", true},
      {"victim", "compromised", true},
      {"benign", "benign", false},
      {"malicious-activity", "malicious-activity", false},
      {"", "", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("role " + c.role);
    StixIndicatorSpec spec = SampleIndicator();
    spec.context.role = c.role;
    spec.labels.clear();
    const Json indicator = Json::parse(BuildStixIndicator(spec));
    if (c.indicator_type.empty()) {
      EXPECT_FALSE(indicator.contains("indicator_types"));
    } else {
      EXPECT_EQ(indicator["indicator_types"], Json::array({c.indicator_type}));
      for (const auto& value : indicator["indicator_types"]) {
        EXPECT_NE(std::find(vocabulary.begin(), vocabulary.end(), value.get<std::string>()),
                  vocabulary.end())
            << value;
      }
    }
    if (c.own_property) {
      EXPECT_EQ(indicator["x_accord_role"], c.role);
      EXPECT_EQ(indicator["labels"], Json::array({c.role}));
    } else {
      EXPECT_FALSE(indicator.contains("x_accord_role"));
      EXPECT_FALSE(indicator.contains("labels"));
    }
  }
}

// The validator warns unless an indicator has both a name and a
// description; without a comment the description says what the value is,
// its role and its event, and is marked as Accord's own.
TEST(BuildStixIndicatorTest, WithoutACommentTheDescriptionSaysWhatTheValueIs) {
  StixIndicatorSpec spec = SampleIndicator();
  spec.context.comment.clear();
  spec.event_title = "Operation \"Thunder\"";
  Json indicator = Json::parse(BuildStixIndicator(spec));
  EXPECT_EQ(indicator["name"], spec.observable.value);
  EXPECT_EQ(indicator["description"], "URL with role c2 from the event \"Operation \"Thunder\"\".");
  EXPECT_EQ(indicator["x_accord_description_generated"], true);

  spec.context.role.clear();
  spec.event_title.clear();
  spec.observable = {ObservableType::kSha256, std::string(64, 'a')};
  indicator = Json::parse(BuildStixIndicator(spec));
  EXPECT_EQ(indicator["description"], "SHA-256 file hash, shared through Accord.");

  // Every kind of value gets a description of its own, never an empty one.
  for (ObservableType type : {ObservableType::kIpv4, ObservableType::kIpv6, ObservableType::kCidr,
                              ObservableType::kDomain, ObservableType::kUrl, ObservableType::kEmail,
                              ObservableType::kMd5, ObservableType::kSha1, ObservableType::kSha256,
                              ObservableType::kWallet, ObservableType::kFileName}) {
    spec.observable.type = type;
    const std::string description =
        Json::parse(BuildStixIndicator(spec))["description"].get<std::string>();
    EXPECT_GT(description.size(), std::string(", shared through Accord.").size()) << TypeName(type);
  }
}

TEST(BuildStixIndicatorTest, IdsAreDeterministicAndKeptWhenGiven) {
  StixIndicatorSpec spec = SampleIndicator();
  const std::string generated = StixIndicatorId(spec);
  EXPECT_TRUE(IsId(generated, "indicator"));
  EXPECT_EQ(generated, StixIndicatorId(SampleIndicator()));
  spec.observable.value = "http://other.example/";
  EXPECT_NE(StixIndicatorId(spec), generated);
  spec.context.stix_id = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
  EXPECT_EQ(Json::parse(BuildStixIndicator(spec))["id"], spec.context.stix_id);
}

TEST(BuildStixIndicatorTest, TimesAreRepairedIntoValidOrder) {
  StixIndicatorSpec spec = SampleIndicator();
  spec.created = "2024-03-01T00:00:00Z";
  spec.modified = "2024-02-01T00:00:00Z";  // before created
  spec.context.first_seen = "";
  spec.context.valid_until = "2024-01-01T00:00:00Z";  // before valid_from
  const Json indicator = Json::parse(BuildStixIndicator(spec));
  ExpectValidSdo(indicator, "indicator", {"pattern", "pattern_type", "valid_from"});
  EXPECT_EQ(indicator["modified"], "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(indicator["valid_until"], "2024-01-01T00:00:00.000Z");
  EXPECT_LT(indicator["valid_from"].get<std::string>(), indicator["valid_until"].get<std::string>());

  spec.context.valid_until = "";
  spec.context.role = "";
  spec.context.confidence.reset();
  spec.labels.clear();
  spec.created_by_ref.clear();
  const Json minimal = Json::parse(BuildStixIndicator(spec));
  ExpectValidSdo(minimal, "indicator", {"pattern", "pattern_type", "valid_from"});
  EXPECT_EQ(minimal["valid_from"], "2024-03-01T00:00:00.000Z");  // created when never seen
  for (const char* absent : {"valid_until", "indicator_types", "confidence", "labels", "created_by_ref"}) {
    EXPECT_FALSE(minimal.contains(absent)) << absent;
  }
}

TEST(BuildStixReportTest, IsValidAndNeverHasEmptyObjectRefs) {
  StixReportSpec spec;
  spec.id = "report--0b8f3c3e-8a0d-4c1e-9a55-8e1d1b0c4f11";
  spec.name = "Operation \"Thunder\"";
  spec.description = "C2 takedown";
  spec.tlp = Tlp::kAmberStrict;
  spec.created_by_ref = StixIdentityId("org-1");
  spec.created = "2024-01-01T00:00:00Z";
  spec.modified = "2024-01-02T00:00:00Z";
  spec.labels = {"stealer"};
  spec.object_refs = {"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"};
  const Json report = Json::parse(BuildStixReport(spec));
  ExpectValidSdo(report, "report", {"name", "published", "object_refs"});
  EXPECT_EQ(report["report_types"], Json::array({"threat-report"}));
  EXPECT_EQ(report["published"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(report["object_refs"], Json::array({"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}));
  EXPECT_EQ(report["object_marking_refs"], Json::array({std::string(TlpStixMarkingId(Tlp::kAmberStrict))}));

  spec.object_refs.clear();
  EXPECT_EQ(Json::parse(BuildStixReport(spec))["object_refs"], Json::array({spec.created_by_ref}));
  spec.created_by_ref.clear();
  const Json orphan = Json::parse(BuildStixReport(spec));
  ExpectValidSdo(orphan, "report", {"name", "published", "object_refs"});
  EXPECT_EQ(orphan["object_refs"], Json::array({std::string(TlpStixMarkingId(Tlp::kAmberStrict))}));
}

TEST(BuildStixMalwareTest, AFamilyIsAValidMalwareThatAnIndicatorIndicates) {
  StixMalwareSpec malware;
  malware.event_uuid = "0b8f3c3e-8a0d-4c1e-9a55-8e1d1b0c4f11";
  malware.name = "Lumma \"Stealer\"";
  malware.tlp = Tlp::kGreen;
  malware.created_by_ref = StixIdentityId("org-1");
  malware.created = "2024-01-05T10:00:00Z";
  malware.modified = "2024-01-04T10:00:00Z";  // before created: repaired
  const Json object = Json::parse(BuildStixMalware(malware));
  ExpectValidSdo(object, "malware", {"name", "is_family"});
  EXPECT_EQ(object["name"], "Lumma \"Stealer\"");
  EXPECT_EQ(object["is_family"], true);
  EXPECT_EQ(object["object_marking_refs"], Json::array({std::string(TlpStixMarkingId(Tlp::kGreen))}));
  EXPECT_EQ(object["id"], StixMalwareId(malware));
  StixMalwareSpec other_event = malware;
  other_event.event_uuid = "1b8f3c3e-8a0d-4c1e-9a55-8e1d1b0c4f11";
  EXPECT_NE(StixMalwareId(other_event), StixMalwareId(malware)) << "one per event and name";

  StixRelationshipSpec relationship;
  relationship.relationship_type = "indicates";
  relationship.source_ref = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
  relationship.target_ref = StixMalwareId(malware);
  relationship.tlp = Tlp::kGreen;
  relationship.created = "2024-01-05T10:00:00Z";
  relationship.modified = "2024-01-06T10:00:00Z";
  const Json sro = Json::parse(BuildStixRelationship(relationship));
  ExpectValidSdo(sro, "relationship", {"relationship_type", "source_ref", "target_ref"});
  EXPECT_EQ(sro["relationship_type"], "indicates");
  EXPECT_EQ(sro["source_ref"], relationship.source_ref);
  EXPECT_EQ(sro["target_ref"], object["id"]);
  EXPECT_FALSE(sro.contains("created_by_ref")) << "none given";
  EXPECT_EQ(BuildStixRelationship(relationship), BuildStixRelationship(relationship)) << "deterministic";
}

TEST(StixBundleWriterTest, WritesA21BundleOneObjectAtATime) {
  std::ostringstream out;
  StixBundleWriter writer(out, "5d0092c5-5f74-4287-9642-33f4c354e56d");
  writer.Add(TlpStixMarkingObject(Tlp::kGreen));
  writer.Add(BuildStixIdentity(StixIdentitySpec{"org-1", "CERT-XX", "cert", "XX", "2024-01-01T00:00:00Z"}));
  writer.Add(BuildStixIndicator(SampleIndicator()));
  writer.Finish();
  writer.Finish();  // idempotent
  EXPECT_EQ(writer.count(), 3u);
  const Json bundle = Json::parse(out.str());
  EXPECT_EQ(bundle["type"], "bundle");
  EXPECT_EQ(bundle["id"], "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d");
  EXPECT_FALSE(bundle.contains("spec_version"));
  EXPECT_EQ(bundle["objects"].size(), 3u);

  std::ostringstream empty_out;
  StixBundleWriter empty(empty_out);
  empty.Finish();
  const Json empty_bundle = Json::parse(empty_out.str());
  EXPECT_TRUE(IsId(empty_bundle["id"], "bundle"));
  EXPECT_TRUE(empty_bundle["objects"].empty());
}

// What Accord exports, Accord imports back unchanged: same observable, same
// link context.
TEST(StixRoundTripTest, BuiltIndicatorReadsBackAsTheSameObservableAndContext) {
  std::vector<Observable> observables = {
      {ObservableType::kUrl, "http://evil.example/it's \"quoted\"/é"},
      {ObservableType::kCidr, "2001:db8::/32"},
      {ObservableType::kWallet, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"},
      {ObservableType::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {ObservableType::kFileName, "C:\\Users\\x\\a.exe"},
  };
  std::ostringstream out;
  StixBundleWriter writer(out, "5d0092c5-5f74-4287-9642-33f4c354e56d");
  std::vector<StixIndicatorSpec> specs;
  for (const auto& observable : observables) {
    StixIndicatorSpec spec = SampleIndicator();
    spec.observable = observable;
    spec.context.stix_id = StixIndicatorId(spec);
    if (observable.type == ObservableType::kFileName) spec.context.role = "victim";
    if (observable.type == ObservableType::kSha1) {
      spec.context.role = "malicious-activity";  // a vocabulary term as role
      spec.context.comment = "";
      spec.context.last_seen = "";
      spec.tlp = Tlp::kRed;
    }
    specs.push_back(spec);
    writer.Add(BuildStixIndicator(spec));
  }
  writer.Finish();

  stix_testing::RecordingSink sink;
  ASSERT_TRUE(stix_testing::ReadTrickled(out.str(), sink, "export.json").ok());
  EXPECT_TRUE(sink.rejections.empty());
  ASSERT_EQ(sink.indicators.size(), specs.size());
  for (size_t spec_idx = 0; spec_idx < specs.size(); ++spec_idx) {
    const IndicatorRecord& record = sink.indicators[spec_idx];
    const StixIndicatorSpec& spec = specs[spec_idx];
    EXPECT_EQ(record.type, spec.observable.type);
    EXPECT_EQ(record.value, spec.observable.value);
    EXPECT_EQ(record.context.role, spec.context.role);
    EXPECT_EQ(record.context.confidence, spec.context.confidence);
    EXPECT_EQ(record.context.first_seen, spec.context.first_seen);
    EXPECT_EQ(record.context.last_seen, spec.context.last_seen);
    EXPECT_EQ(record.context.valid_until, spec.context.valid_until);
    EXPECT_EQ(record.context.comment, spec.context.comment);
    EXPECT_EQ(record.context.stix_id, spec.context.stix_id);
    EXPECT_EQ(record.context.is_indicator, spec.context.is_indicator);
    EXPECT_EQ(sink.objects[spec_idx].tlp, spec.tlp);
  }
}

// A context value is a cyber-observable: the SCO rules (no created or
// modified, a UUIDv5 id, the value in its type's own property), and it
// reads back as the same value, not for detection, with its context.
TEST(BuildStixObservableTest, EveryTypeIsAValidObservableThatReadsBackAsContext) {
  struct Case {
    Observable observable;
    std::string type;
    std::string property;  // JSON pointer to the value
  };
  const std::vector<Case> cases = {
      {{ObservableType::kIpv4, "192.0.2.1"}, "ipv4-addr", "/value"},
      {{ObservableType::kIpv6, "2001:db8::1"}, "ipv6-addr", "/value"},
      {{ObservableType::kCidr, "198.51.100.0/24"}, "ipv4-addr", "/value"},
      {{ObservableType::kCidr, "2001:db8::/32"}, "ipv6-addr", "/value"},
      {{ObservableType::kDomain, "portal.example"}, "domain-name", "/value"},
      {{ObservableType::kUrl, "http://portal.example/it's"}, "url", "/value"},
      {{ObservableType::kEmail, "support@portal.example"}, "email-addr", "/value"},
      {{ObservableType::kMd5, std::string(32, 'a')}, "file", "/hashes/MD5"},
      {{ObservableType::kSha1, std::string(40, 'b')}, "file", "/hashes/SHA-1"},
      {{ObservableType::kSha256, std::string(64, 'c')}, "file", "/hashes/SHA-256"},
      {{ObservableType::kFileName, "invoice.pdf.exe"}, "file", "/name"},
  };
  std::ostringstream out;
  StixBundleWriter writer(out);
  std::vector<StixObservableSpec> specs;
  for (const Case& c : cases) {
    StixObservableSpec spec;
    spec.event_uuid = "0b8f3c3e-8a0d-4c1e-9a55-8e1d1b0c4f11";
    spec.observable = c.observable;
    spec.context.is_indicator = false;
    spec.context.first_seen = "2024-01-05T10:00:00Z";
    spec.context.last_seen = "2024-01-09T10:00:00.000Z";
    spec.context.comment = "seen in the phishing kit";
    spec.tlp = Tlp::kAmber;
    const Json object = Json::parse(BuildStixObservable(spec));
    SCOPED_TRACE(object.dump());
    EXPECT_EQ(object["type"], c.type);
    EXPECT_EQ(object["spec_version"], "2.1");
    ASSERT_TRUE(IsId(object["id"], c.type));
    EXPECT_EQ(object["id"], StixObservableId(spec));
    EXPECT_EQ(object["id"].get<std::string>()[c.type.size() + 2 + 14], '5');  // UUID version 5
    EXPECT_FALSE(object.contains("created"));
    EXPECT_FALSE(object.contains("modified"));
    EXPECT_EQ(object.at(Json::json_pointer(c.property)), c.observable.value);
    EXPECT_EQ(object["object_marking_refs"], Json::array({std::string(TlpStixMarkingId(Tlp::kAmber))}));
    EXPECT_EQ(object["x_accord_first_seen"], "2024-01-05T10:00:00.000Z");
    for (const auto& [key, value] : object.items()) {
      if (key.rfind("x_", 0) == 0) {
        EXPECT_TRUE(std::regex_match(key, kCustomPropertyName)) << key;
      }
    }
    ExpectNoEmptyLists(object, c.type);
    writer.Add(object.dump());
    specs.push_back(spec);
  }
  writer.Finish();

  stix_testing::RecordingSink sink;
  ASSERT_TRUE(stix_testing::ReadTrickled(out.str(), sink, "observables.json").ok());
  EXPECT_TRUE(sink.rejections.empty());
  ASSERT_EQ(sink.indicators.size(), specs.size());
  for (size_t idx = 0; idx < specs.size(); ++idx) {
    const IndicatorRecord& record = sink.indicators[idx];
    EXPECT_EQ(record.type, specs[idx].observable.type) << record.value;
    EXPECT_EQ(record.value, specs[idx].observable.value);
    EXPECT_FALSE(record.context.is_indicator);
    EXPECT_EQ(record.context.first_seen, "2024-01-05T10:00:00.000Z");
    EXPECT_EQ(record.context.last_seen, "2024-01-09T10:00:00.000Z");
    EXPECT_EQ(record.context.comment, "seen in the phishing kit");
  }
}

TEST(BuildStixObservableTest, IdsArePerEventAndKeepAnImportedObservablesOwnId) {
  StixObservableSpec spec;
  spec.event_uuid = "event-a";
  spec.observable = {ObservableType::kDomain, "portal.example"};
  const std::string first = StixObservableId(spec);
  EXPECT_EQ(StixObservableId(spec), first);
  spec.event_uuid = "event-b";
  EXPECT_NE(StixObservableId(spec), first);
  spec.context.stix_id = "domain-name--1f1b7c5e-8d4a-5b1e-9a3c-2e4f6a8b0c1d";
  EXPECT_EQ(StixObservableId(spec), spec.context.stix_id);
  spec.context.stix_id = "indicator--1f1b7c5e-8d4a-4b1e-9a3c-2e4f6a8b0c1d";  // not an observable's id
  EXPECT_NE(StixObservableId(spec), spec.context.stix_id);
}

// The OASIS validator checks domain-name values as IDNA 2008 host names
// and e-mail addresses with its own ASCII pattern: a context value they
// refuse would make the whole bundle invalid, so it stays out.
TEST(BuildStixObservableTest, AValueTheSchemasFormatsRefuseHasNoObservable) {
  for (const Observable& refused : std::vector<Observable>{{ObservableType::kDomain, "bad_host.example"},
                                                           {ObservableType::kDomain, "_dmarc.example"},
                                                           {ObservableType::kDomain, "-lead.example"},
                                                           {ObservableType::kDomain, "ab--cd.example"},
                                                           {ObservableType::kEmail, "j\xc3\xb6hn@xn--exmple-cua.com"}}) {
    StixObservableSpec spec;
    spec.event_uuid = "0b8f3c3e-8a0d-4c1e-9a55-8e1d1b0c4f11";
    spec.observable = refused;
    EXPECT_EQ(StixObservableId(spec), "") << refused.value;
    EXPECT_EQ(BuildStixObservable(spec), "") << refused.value;
  }
  for (const Observable& taken : std::vector<Observable>{{ObservableType::kDomain, "xn--exmple-cua.com"},
                                                         {ObservableType::kDomain, "a-b.c0.example"},
                                                         {ObservableType::kEmail, "first.last+tag@mail.example"}}) {
    StixObservableSpec spec;
    spec.event_uuid = "0b8f3c3e-8a0d-4c1e-9a55-8e1d1b0c4f11";
    spec.observable = taken;
    EXPECT_NE(BuildStixObservable(spec), "") << taken.value;
  }
}

TEST(BuildStixObservableTest, AWalletHasNoCoreObservableAndIsLeftOut) {
  StixObservableSpec spec;
  spec.observable = {ObservableType::kWallet, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"};
  EXPECT_EQ(StixObservableId(spec), "");
  EXPECT_EQ(BuildStixObservable(spec), "");
}

}  // namespace
}  // namespace accord
