// The STIX 2.1 objects Accord writes, built with nlohmann::ordered_json (for
// correct escaping and a readable property order) and dumped compact.
//
// They follow the rules the OASIS validator (cti-stix-validator) checks as
// errors: required properties present, ids "<type>--<uuid>", timestamps in
// UTC with millisecond precision and a trailing Z, no empty lists, modified
// not before created, valid_until after valid_from, identity_class from its
// vocabulary, pattern_type and pattern_version on indicators, report
// object_refs non-empty, and its warnings too: ids are made from a name in
// Accord's namespace, so the same input gives the same object and a second
// export does not duplicate anything at the receiver; domain objects' uuids
// are marked version 4 (StableUuidV4), observables' version 5, as the
// validator's uuid-check asks.
#include <algorithm>
#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "core/time.h"
#include "stix/stix.h"
#include "stix/stix_internal.h"

namespace accord {
namespace {

using Json = nlohmann::ordered_json;

// What a builder writes when given no usable time at all, rather than an
// invalid object; every caller in Accord passes the event's times.
constexpr std::string_view kFallbackTime = "1970-01-01T00:00:00.000Z";

// "2024-01-01T00:00:00.000Z", or empty when `text` is empty or not a time.
std::string StixTime(std::string_view text) {
  auto normalized = NormalizeTimestamp(text);
  return normalized.ok() ? *normalized : std::string();
}

// Millisecond UTC text of one fixed width compares like the times it names.
struct CreatedModified {
  std::string created;
  std::string modified;
};
CreatedModified Times(std::string_view created_text, std::string_view modified_text) {
  CreatedModified times{StixTime(created_text), StixTime(modified_text)};
  if (times.created.empty()) {
    times.created = times.modified.empty() ? std::string(kFallbackTime) : times.modified;
  }
  if (times.modified.empty() || times.modified < times.created) times.modified = times.created;
  return times;
}

Json Header(std::string_view type, const std::string& id, const CreatedModified& times,
            const std::string& created_by_ref) {
  Json object;
  object["type"] = type;
  object["spec_version"] = "2.1";
  object["id"] = id;
  if (!created_by_ref.empty()) object["created_by_ref"] = created_by_ref;
  object["created"] = times.created;
  object["modified"] = times.modified;
  return object;
}

// STIX forbids empty lists and empty strings carry nothing: the values as
// a JSON array, without empties or repeats (empty when none is left).
// Repeats are found through a hash set and the array is built in place: a
// list event's report names a million indicators, and a linear search made
// building it quadratic, a copy of the list half a gigabyte more.
Json NonEmpty(const std::vector<std::string>& values) {
  Json out = Json::array();
  std::unordered_set<std::string_view> seen;
  seen.reserve(values.size());
  for (const auto& value : values) {
    if (!value.empty() && seen.insert(value).second) out.push_back(value);
  }
  return out;
}

// Compact JSON. Invalid UTF-8 in a value becomes U+FFFD instead of an
// exception: builders cannot fail, and the text came from a store that
// validated it.
std::string Dump(const Json& object) {
  return object.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Accord's organisation kinds in the industry-sector-ov vocabulary.
std::vector<std::string> SectorsForKind(std::string_view kind) {
  if (kind == "law-enforcement" || kind == "cert") return {"government-national"};
  if (kind == "international") return {"government"};
  if (kind == "private-partner") return {"technology"};
  return {};
}

// What kind of value an indicator looks for, in words, for its description.
std::string_view ValueKind(ObservableType type) {
  switch (type) {
    case ObservableType::kIpv4:
      return "IPv4 address";
    case ObservableType::kIpv6:
      return "IPv6 address";
    case ObservableType::kCidr:
      return "IP network";
    case ObservableType::kDomain:
      return "Domain name";
    case ObservableType::kUrl:
      return "URL";
    case ObservableType::kEmail:
      return "Email address";
    case ObservableType::kMd5:
      return "MD5 file hash";
    case ObservableType::kSha1:
      return "SHA-1 file hash";
    case ObservableType::kSha256:
      return "SHA-256 file hash";
    case ObservableType::kWallet:
      return "Cryptocurrency wallet address";
    case ObservableType::kFileName:
      return "File name";
  }
  return "Value";
}

// The validator warns on an indicator without both a name and a
// description, and the name is only the value: without a comment, the
// description says what kind of value it is, its role and where it comes
// from, which is what a receiving analyst asks first. Never empty.
std::string GeneratedIndicatorDescription(const StixIndicatorSpec& spec) {
  std::string text(ValueKind(spec.observable.type));
  if (!spec.context.role.empty()) text += " with role " + spec.context.role;
  text += spec.event_title.empty() ? ", shared through Accord"
                                   : " from the event \"" + spec.event_title + "\"";
  return text + ".";
}

}  // namespace

std::string StixIdentityId(const std::string& org_uuid) {
  return "identity--" + StableUuidV4(kAccordUuidNamespace, "identity:" + org_uuid);
}

std::string BuildStixIdentity(const StixIdentitySpec& spec) {
  Json object = Header("identity", StixIdentityId(spec.org_uuid), Times(spec.created, spec.created), "");
  object["name"] = spec.name.empty() ? "Organisation " + spec.org_uuid : spec.name;
  // Every Accord party is an organisation; identity_class is from
  // identity-class-ov.
  object["identity_class"] = "organization";
  std::vector<std::string> sectors = SectorsForKind(spec.kind);
  if (!sectors.empty()) object["sectors"] = sectors;
  if (!spec.kind.empty()) object["roles"] = std::vector<std::string>{spec.kind};
  // 2.1 identities have no country property; a location object would be
  // one more object to keep in step, so the country is stated in words.
  if (!spec.country.empty()) object["description"] = "Country: " + spec.country;
  return Dump(object);
}

std::string StixIndicatorId(const StixIndicatorSpec& spec) {
  if (!spec.context.stix_id.empty()) return spec.context.stix_id;
  return "indicator--" + StableUuidV4(kAccordUuidNamespace, "indicator:" + spec.event_uuid + ":" +
                                                          std::string(TypeName(spec.observable.type)) +
                                                          ":" + spec.observable.value);
}

std::string BuildStixIndicator(const StixIndicatorSpec& spec) {
  const CreatedModified times = Times(spec.created, spec.modified);
  Json object = Header("indicator", StixIndicatorId(spec), times, spec.created_by_ref);
  object["name"] = spec.observable.value;
  const bool generated_description = spec.context.comment.empty();
  object["description"] =
      generated_description ? GeneratedIndicatorDescription(spec) : spec.context.comment;
  const std::string& role = spec.context.role;
  std::vector<std::string> indicator_types = stix_internal::IndicatorTypesForRole(role);
  if (!indicator_types.empty()) object["indicator_types"] = indicator_types;
  object["pattern"] = PatternFor(spec.observable);
  object["pattern_type"] = "stix";
  object["pattern_version"] = "2.1";
  std::string valid_from = StixTime(spec.context.first_seen);
  if (valid_from.empty()) valid_from = times.created;
  const std::string valid_until = StixTime(spec.context.valid_until);
  if (!valid_until.empty() && valid_until <= valid_from) {
    // 2.1 requires valid_until after valid_from. Dropping the expiry would
    // make an expired indicator live forever at the receiver, so the start
    // moves instead: valid for the last millisecond before it expired.
    valid_from = FormatTimestamp(*ParseTimestamp(valid_until) - std::chrono::milliseconds(1));
  }
  object["valid_from"] = valid_from;
  if (!valid_until.empty()) object["valid_until"] = valid_until;
  if (spec.context.confidence) object["confidence"] = std::clamp(*spec.context.confidence, 0, 100);
  // A role indicator_types cannot hold goes first in labels too: MISP and
  // OpenCTI turn an indicator's labels into tags and read no x_ property.
  std::vector<std::string> label_values;
  if (stix_internal::RoleNeedsOwnProperty(role)) label_values.push_back(role);
  label_values.insert(label_values.end(), spec.labels.begin(), spec.labels.end());
  Json labels = NonEmpty(label_values);
  if (!labels.empty()) object["labels"] = std::move(labels);
  object["object_marking_refs"] = std::vector<std::string>{std::string(TlpStixMarkingId(spec.tlp))};
  // The role itself, for Accord's reader: labels are free-form and may hold
  // anything, so they cannot say which one is the role.
  if (stix_internal::RoleNeedsOwnProperty(role)) object["x_accord_role"] = role;
  // STIX indicators have no "last seen" (sightings do); kept as a custom
  // property so that it survives a round trip between Accord nodes.
  const std::string last_seen = StixTime(spec.context.last_seen);
  if (!last_seen.empty()) object["x_accord_last_seen"] = last_seen;
  // Tells Accord's reader the description is not a comment, so a link
  // without one reads back without one.
  if (generated_description) object["x_accord_description_generated"] = true;
  return Dump(object);
}

namespace {

// A host name as the 2.1 schema's "idn-hostname" format takes it (the OASIS
// validator checks it with IDNA 2008): labels of letters, digits and inner
// hyphens, at most 63 bytes, no "--" in the third and fourth place but for
// xn--. A normalized domain is lower-case ASCII, so that is all to check;
// an underscore (_dmarc, bad_host.example) is what fails in practice.
bool IsIdnHostName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (label.size() >= 4 && label.substr(2, 2) == "--" && !label.starts_with("xn--")) return false;
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    start = end + 1;
  }
  return true;
}

// An e-mail address as the OASIS validator's own format check takes it:
// ^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$ (no non-ASCII local part).
bool ValidatorTakesEmail(std::string_view address) {
  const size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  auto all_of = [](std::string_view text, std::string_view extra) {
    for (char c : text) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && extra.find(c) == std::string_view::npos) return false;
    }
    return !text.empty();
  };
  const std::string_view domain = address.substr(at + 1);
  const size_t dot = domain.find('.');
  return all_of(address.substr(0, at), "_.+-") && dot != std::string_view::npos && dot > 0 &&
         all_of(domain.substr(0, dot), "-") && all_of(domain.substr(dot + 1), "-.");
}

// The object type of the value's pattern path ("ipv4-addr:value" ->
// "ipv4-addr"). The wallet SCO is a community extension, not core STIX: a
// context value of that kind stays out rather than invent an object type.
// So does a host name or an e-mail address the 2.1 schema's formats refuse
// (the validator would refuse the whole bundle): indicators of such values
// still go out, their patterns are not format-checked.
std::string_view ObservableObjectType(const Observable& observable) {
  if (observable.type == ObservableType::kWallet) return "";
  if (observable.type == ObservableType::kDomain && !IsIdnHostName(observable.value)) return "";
  if (observable.type == ObservableType::kEmail && !ValidatorTakesEmail(observable.value)) return "";
  const std::string_view path = stix_internal::PatternPathFor(observable);
  return path.substr(0, path.find(':'));
}

}  // namespace

std::string StixObservableId(const StixObservableSpec& spec) {
  const std::string_view type = ObservableObjectType(spec.observable);
  if (type.empty()) return "";
  const std::string prefix = std::string(type) + "--";
  if (spec.context.stix_id.starts_with(prefix)) return spec.context.stix_id;
  return prefix + UuidV5(kAccordUuidNamespace, "observable:" + spec.event_uuid + ":" +
                                                   std::string(TypeName(spec.observable.type)) + ":" +
                                                   spec.observable.value);
}

std::string BuildStixObservable(const StixObservableSpec& spec) {
  const std::string id = StixObservableId(spec);
  if (id.empty()) return "";
  const std::string& value = spec.observable.value;
  Json object;
  object["type"] = ObservableObjectType(spec.observable);
  object["spec_version"] = "2.1";
  object["id"] = id;
  switch (spec.observable.type) {
    case ObservableType::kMd5: object["hashes"] = Json{{"MD5", value}}; break;
    case ObservableType::kSha1: object["hashes"] = Json{{"SHA-1", value}}; break;
    case ObservableType::kSha256: object["hashes"] = Json{{"SHA-256", value}}; break;
    case ObservableType::kFileName: object["name"] = value; break;
    default: object["value"] = value; break;
  }
  object["object_marking_refs"] = std::vector<std::string>{std::string(TlpStixMarkingId(spec.tlp))};
  const std::string first_seen = StixTime(spec.context.first_seen);
  if (!first_seen.empty()) object["x_accord_first_seen"] = first_seen;
  const std::string last_seen = StixTime(spec.context.last_seen);
  if (!last_seen.empty()) object["x_accord_last_seen"] = last_seen;
  if (!spec.context.comment.empty()) object["x_accord_comment"] = spec.context.comment;
  // A cyber-observable has no property for what the value did, so the role
  // travels as Accord's own, as on indicators.
  if (!spec.context.role.empty()) object["x_accord_role"] = spec.context.role;
  return Dump(object);
}

std::string BuildStixReport(const StixReportSpec& spec) {
  const CreatedModified times = Times(spec.created, spec.modified);
  const std::string id =
      !spec.id.empty() ? spec.id
                       : "report--" + StableUuidV4(kAccordUuidNamespace, "report:" + spec.name + ":" + times.created);
  Json object = Header("report", id, times, spec.created_by_ref);
  object["name"] = spec.name.empty() ? "Untitled event" : spec.name;
  if (!spec.description.empty()) object["description"] = spec.description;
  object["report_types"] = std::vector<std::string>{"threat-report"};
  std::string published = StixTime(spec.published);
  object["published"] = published.empty() ? times.created : published;
  Json refs = NonEmpty(spec.object_refs);
  if (refs.empty()) {
    // A 2.1 report must name at least one object. An event with nothing to
    // share still has an author (or at least a marking), and naming it keeps
    // the report valid without inventing content.
    refs.push_back(!spec.created_by_ref.empty() ? spec.created_by_ref
                                                : std::string(TlpStixMarkingId(spec.tlp)));
  }
  object["object_refs"] = std::move(refs);
  Json labels = NonEmpty(spec.labels);
  if (!labels.empty()) object["labels"] = std::move(labels);
  object["object_marking_refs"] = std::vector<std::string>{std::string(TlpStixMarkingId(spec.tlp))};
  return Dump(object);
}

std::string StixMalwareId(const StixMalwareSpec& spec) {
  return "malware--" + StableUuidV4(kAccordUuidNamespace, "malware:" + spec.event_uuid + ":" + spec.name);
}

std::string BuildStixMalware(const StixMalwareSpec& spec) {
  Json object = Header("malware", StixMalwareId(spec), Times(spec.created, spec.modified), spec.created_by_ref);
  object["name"] = spec.name;
  object["is_family"] = true;
  object["object_marking_refs"] = std::vector<std::string>{std::string(TlpStixMarkingId(spec.tlp))};
  return Dump(object);
}

std::string StixRelationshipId(const StixRelationshipSpec& spec) {
  return "relationship--" + StableUuidV4(kAccordUuidNamespace, "relationship:" + spec.relationship_type + ":" +
                                                                   spec.source_ref + ":" + spec.target_ref);
}

std::string BuildStixRelationship(const StixRelationshipSpec& spec) {
  Json object =
      Header("relationship", StixRelationshipId(spec), Times(spec.created, spec.modified), spec.created_by_ref);
  object["relationship_type"] = spec.relationship_type;
  object["source_ref"] = spec.source_ref;
  object["target_ref"] = spec.target_ref;
  object["object_marking_refs"] = std::vector<std::string>{std::string(TlpStixMarkingId(spec.tlp))};
  return Dump(object);
}

StixBundleWriter::StixBundleWriter(std::ostream& out, std::string bundle_id) : out_(out) {
  if (bundle_id.empty()) bundle_id = UuidV4();
  if (bundle_id.rfind("bundle--", 0) != 0) bundle_id = "bundle--" + bundle_id;
  // A 2.1 bundle carries no spec_version (that was 2.0).
  std::string header = "{\"type\":\"bundle\",\"id\":";
  stix_internal::AppendJsonString(header, bundle_id);
  header += ",\"objects\":[";
  out_ << header;
}

void StixBundleWriter::Add(std::string_view object_json) {
  if (finished_) return;
  if (count_ > 0) out_ << ',';
  out_ << object_json;
  ++count_;
}

void StixBundleWriter::Finish() {
  if (finished_) return;
  finished_ = true;
  out_ << "]}";
}

// The writing side of patterns (the reading side is stix_pattern.cc).
namespace stix_internal {

std::string_view PatternPathFor(const Observable& observable) {
  switch (observable.type) {
    case ObservableType::kIpv4: return "ipv4-addr:value";
    case ObservableType::kIpv6: return "ipv6-addr:value";
    case ObservableType::kCidr:
      return observable.value.find(':') != std::string::npos ? "ipv6-addr:value" : "ipv4-addr:value";
    case ObservableType::kDomain: return "domain-name:value";
    case ObservableType::kUrl: return "url:value";
    case ObservableType::kEmail: return "email-addr:value";
    case ObservableType::kMd5: return "file:hashes.MD5";
    case ObservableType::kSha1: return "file:hashes.'SHA-1'";
    case ObservableType::kSha256: return "file:hashes.'SHA-256'";
    case ObservableType::kWallet: return "x-cryptocurrency-wallet:address";
    case ObservableType::kFileName: return "file:name";
  }
  return "x-accord-unknown:value";
}

}  // namespace stix_internal

// STIX 2.1 has no cyber-observable for a cryptocurrency wallet. Wallets are
// written as "x-cryptocurrency-wallet:address": a custom object type in a
// pattern must start with "x-" (the OASIS validator's patterns check fails
// the indicator otherwise). The reader also accepts "cryptocurrency-wallet",
// the SCO of the community extension
// (extension-definition--532ae28d-137b-4b89-afb7-9cf9b504191b) that the
// stix2extensions library and several feeds write.
std::string PatternFor(const Observable& observable) {
  std::string pattern = "[";
  pattern += stix_internal::PatternPathFor(observable);
  pattern += " = '";
  for (char c : observable.value) {
    if (c == '\'' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern += "']";
  return pattern;
}

}  // namespace accord
