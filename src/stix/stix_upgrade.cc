// STIX 2.0 -> 2.1 on the way in, and the small vocabularies shared by the
// reader and the writer.
//
// What the upgrade changes, and only this (everything else is kept as it
// came, including labels, created_by_ref, external_references, custom
// x_ properties and the observed-data "objects" map, which 2.1 deprecates
// but still allows, with ids):
//  - "spec_version": "2.1" is set (an explicit "2.0" is replaced). 2.1
//    requires it on every SDO, SRO and marking-definition.
//  - indicator: "pattern_type": "stix" when absent (2.0 patterns are STIX
//    patterns; 2.1 requires the property), the pattern in 2.1's grammar
//    (2.0 took START/STOP as plain strings and hyphenated names bare,
//    "file:hashes.SHA-256"; 2.1, and today's OASIS validator for either
//    version, want t'...' and "hashes.'SHA-256'"), and "pattern_version":
//    "2.1", the grammar it is now written in.
//  - "created" and "modified" get millisecond precision, which 2.1
//    requires and 2.0 did not ("...:48Z" becomes "...:48.000Z"); the reader
//    keys the version by the same padded text.
//  - 2.0 required "labels" to carry what 2.1 names *_types (indicator,
//    malware, tool, threat-actor, report). When the *_types property is
//    absent, the labels that are terms of its 2.1 vocabulary (indicator-,
//    malware-, tool-, threat-actor- and report-type-ov) are copied to it,
//    and labels stay as they were (a valid 2.1 common property). Other
//    labels are not: ATT&CK 2.0 labels its malware "malware" and its tools
//    "tool", which as malware_types/tool_types would be outside the
//    vocabulary, a warning for every object in the validator. When no label
//    qualifies the property is left out; every one of them is optional in
//    2.1. Every 2.0 vocabulary term is still a 2.1 term, so 2.0 content
//    that followed its vocabularies loses nothing.
//  - a TLP 1.0 marking definition ("definition_type": "tlp") gets the
//    "name" 2.1 gives it ("TLP:GREEN"), which the 2.1 schema requires of
//    a TLP marking and 2.0 did not have.
//  - observed-data: each object of the "objects" map gets an "id", which
//    2.1 requires of every cyber-observable object (a name-based uuid of
//    the observed-data's id and the object's key, so the same every time),
//    and the references between them ("src_ref": "0", "resolves_to_refs")
//    name those ids instead of the keys.
//  - malware: "is_family" (required in 2.1) is set to true when absent.
//    2.0 malware objects overwhelmingly describe families (every one in
//    ATT&CK, whose own 2.1 release marks the same objects is_family: true),
//    and a 2.1 family is exactly what a 2.0 consumer understood.
//
// A 2.1 object is kept as it came, except for the two things a validator
// refuses that have one right spelling: created and modified without
// milliseconds (or with an offset rather than "Z"), and a "stix" pattern
// in 2.0's syntax (above). Both are rewritten, so an object that passed
// the import's checks is served valid; the version is the same instant.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <unordered_map>

#include "core/crypto.h"
#include "core/time.h"
#include "stix/stix.h"
#include "stix/stix_internal.h"

namespace accord::stix_internal {
namespace {

constexpr std::array<std::string_view, 20> kScoTypes = {
    "artifact",   "autonomous-system", "directory", "domain-name", "email-addr",
    "email-message", "file",           "ipv4-addr", "ipv6-addr",   "mac-addr",
    "mutex",      "network-traffic",   "process",   "software",    "url",
    "user-account", "windows-registry-key", "x509-certificate",
    "cryptocurrency-wallet",  // community extension SCO, see PatternFor
    "hostname",               // OpenCTI's, read as a domain (ObservablesOfSco)
};

// The STIX 2.1 open vocabularies the *_types properties SHOULD come from
// (section 10 of the specification; the validator warns on anything else).
constexpr std::array<std::string_view, 7> kIndicatorTypeVocabulary = {
    "anomalous-activity", "anonymization", "benign", "compromised",
    "malicious-activity", "attribution",   "unknown",
};
constexpr std::array<std::string_view, 22> kMalwareTypeVocabulary = {
    "adware",
    "backdoor",
    "bot",
    "bootkit",
    "ddos",
    "downloader",
    "dropper",
    "exploit-kit",
    "keylogger",
    "ransomware",
    "remote-access-trojan",
    "resource-exploitation",
    "rogue-security-software",
    "rootkit",
    "screen-capture",
    "spyware",
    "trojan",
    "unknown",
    "virus",
    "webshell",
    "wiper",
    "worm",
};
constexpr std::array<std::string_view, 8> kToolTypeVocabulary = {
    "denial-of-service",       "exploitation",  "information-gathering",  "network-capture",
    "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown",
};
constexpr std::array<std::string_view, 12> kThreatActorTypeVocabulary = {
    "activist",
    "competitor",
    "crime-syndicate",
    "criminal",
    "hacker",
    "insider-accidental",
    "insider-disgruntled",
    "nation-state",
    "sensationalist",
    "spy",
    "terrorist",
    "unknown",
};
constexpr std::array<std::string_view, 11> kReportTypeVocabulary = {
    "attack-pattern", "campaign",     "identity",      "indicator", "intrusion-set", "malware",
    "observed-data",  "threat-actor", "threat-report", "tool",      "vulnerability",
};

template <size_t N>
bool IsIn(const std::array<std::string_view, N>& vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// The 2.1 property that replaces 2.0 labels for this type and whether a
// value is a term of its vocabulary; an empty property for other types.
struct TypesProperty {
  std::string_view name;
  bool (*in_vocabulary)(std::string_view) = nullptr;
};
TypesProperty TypesPropertyFor(std::string_view type) {
  if (type == "indicator") return {"indicator_types", IsIndicatorTypeVocabulary};
  if (type == "malware")
    return {"malware_types", [](std::string_view v) { return IsIn(kMalwareTypeVocabulary, v); }};
  if (type == "tool")
    return {"tool_types", [](std::string_view v) { return IsIn(kToolTypeVocabulary, v); }};
  if (type == "threat-actor") {
    return {"threat_actor_types",
            [](std::string_view v) { return IsIn(kThreatActorTypeVocabulary, v); }};
  }
  if (type == "report")
    return {"report_types", [](std::string_view v) { return IsIn(kReportTypeVocabulary, v); }};
  return {};
}

// Writes `value` with every string under a *_ref key, or in a *_refs list,
// that names a key of the objects map replaced by that object's id, at any
// depth (an email's body_multipart[].body_raw_ref, an archive's
// extensions.archive-ext.contains_refs). `id_after_type`, when given, is
// written as the object's "id" right after its "type".
void AppendWithReferences(std::string& out, simdjson::dom::element value,
                          const std::unordered_map<std::string_view, std::string>& ids, bool is_reference,
                          const std::string* id_after_type = nullptr) {
  std::string_view text;
  simdjson::dom::object object;
  simdjson::dom::array array;
  if (is_reference && value.get_string().get(text) == simdjson::SUCCESS) {
    auto id = ids.find(text);
    if (id != ids.end()) {
      AppendJsonString(out, id->second);
      return;
    }
  }
  if (value.get_object().get(object) == simdjson::SUCCESS) {
    out.push_back('{');
    bool first = true;
    for (auto field : object) {
      if (!first) out.push_back(',');
      first = false;
      AppendJsonString(out, field.key);
      out.push_back(':');
      AppendWithReferences(out, field.value, ids, field.key.ends_with("_ref") || field.key.ends_with("_refs"));
      if (id_after_type != nullptr && field.key == "type") {
        out += ",\"id\":";
        AppendJsonString(out, *id_after_type);
      }
    }
    out.push_back('}');
  } else if (value.get_array().get(array) == simdjson::SUCCESS) {
    out.push_back('[');
    bool first = true;
    for (auto element : array) {
      if (!first) out.push_back(',');
      first = false;
      AppendWithReferences(out, element, ids, is_reference);
    }
    out.push_back(']');
  } else {
    out += simdjson::minify(value);
  }
}

// The observed-data "objects" map as 2.1 wants it (see the top of the file).
std::string UpgradeEmbeddedObservables(simdjson::dom::object objects, std::string_view observed_data_id) {
  std::unordered_map<std::string_view, std::string> ids;  // map key -> the object's id
  for (auto member : objects) {
    simdjson::dom::object entry;
    std::string_view type, id;
    if (member.value.get_object().get(entry) != simdjson::SUCCESS ||
        entry["type"].get_string().get(type) != simdjson::SUCCESS) {
      continue;
    }
    if (entry["id"].get_string().get(id) == simdjson::SUCCESS) {
      ids.emplace(member.key, std::string(id));
    } else {
      ids.emplace(member.key, std::string(type) + "--" +
                                  UuidV5(kAccordUuidNamespace, "observed-data:" + std::string(observed_data_id) +
                                                                   ":" + std::string(member.key)));
    }
  }
  std::string out = "{";
  bool first_entry = true;
  for (auto member : objects) {
    if (!first_entry) out.push_back(',');
    first_entry = false;
    AppendJsonString(out, member.key);
    out.push_back(':');
    simdjson::dom::object entry;
    auto own_id = ids.find(member.key);
    if (own_id == ids.end() || member.value.get_object().get(entry) != simdjson::SUCCESS) {
      out += simdjson::minify(member.value);
      continue;
    }
    // The entry's members, its id after its type unless it has one.
    const bool needs_id = entry["id"].error() != simdjson::SUCCESS;
    AppendWithReferences(out, member.value, ids, false, needs_id ? &own_id->second : nullptr);
  }
  out.push_back('}');
  return out;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

bool IsScoType(std::string_view type) {
  return std::find(kScoTypes.begin(), kScoTypes.end(), type) != kScoTypes.end();
}

bool IsStixIdOfType(std::string_view id, std::string_view type) {
  if (type.empty() || id.size() != type.size() + 2 + 36) return false;
  if (id.substr(0, type.size()) != type || id.substr(type.size(), 2) != "--") return false;
  std::string_view uuid = id.substr(type.size() + 2);
  for (size_t char_idx = 0; char_idx < uuid.size(); ++char_idx) {
    const bool dash_position = char_idx == 8 || char_idx == 13 || char_idx == 18 || char_idx == 23;
    if (dash_position ? uuid[char_idx] != '-' : !IsHex(uuid[char_idx])) return false;
  }
  return true;
}

std::string_view UuidOfStixId(std::string_view id) {
  size_t sep = id.find("--");
  return sep == std::string_view::npos ? std::string_view() : id.substr(sep + 2);
}

namespace {

// The pattern of an indicator whose pattern_type is "stix", in 2.1's
// syntax; empty when it needs no change (or is no string).
std::string PatternToRewrite(simdjson::dom::object object, std::string_view type) {
  if (type != "indicator") return {};
  std::string_view pattern_type = "stix", pattern;
  if (object["pattern_type"].error() == simdjson::SUCCESS &&
      object["pattern_type"].get_string().get(pattern_type) != simdjson::SUCCESS) {
    return {};
  }
  if (pattern_type != "stix" || object["pattern"].get_string().get(pattern) != simdjson::SUCCESS) return {};
  return PatternInStix21Syntax(pattern).value_or(std::string());
}

// created or modified as stored (WithMilliseconds), when the member is one
// of them and holds a string.
std::optional<std::string> StoredTimestamp(simdjson::dom::key_value_pair field) {
  std::string_view timestamp;
  if ((field.key != "created" && field.key != "modified") ||
      field.value.get_string().get(timestamp) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return stix_internal::WithMilliseconds(timestamp);
}

// A 2.1 object with only its timestamps and pattern rewritten (see the top
// of the file); minified as it is when neither needs it.
std::string Stix21AsStored(simdjson::dom::object object, std::string_view type) {
  const std::string pattern = PatternToRewrite(object, type);
  bool rewrite = !pattern.empty();
  for (auto field : object) {
    const std::optional<std::string> timestamp = StoredTimestamp(field);
    std::string_view original;
    if (timestamp && (field.value.get_string().get(original) != simdjson::SUCCESS || *timestamp != original)) {
      rewrite = true;
    }
  }
  if (!rewrite) return simdjson::minify(object);
  std::string out = "{";
  for (auto field : object) {
    if (out.size() > 1) out.push_back(',');
    stix_internal::AppendJsonString(out, field.key);
    out.push_back(':');
    if (const std::optional<std::string> timestamp = StoredTimestamp(field)) {
      stix_internal::AppendJsonString(out, *timestamp);
    } else if (field.key == "pattern" && !pattern.empty()) {
      stix_internal::AppendJsonString(out, pattern);
    } else {
      out += simdjson::minify(field.value);
    }
  }
  out.push_back('}');
  return out;
}

std::string UpgradeToStix21(simdjson::dom::object object, std::string_view type) {
  const std::string pattern = PatternToRewrite(object, type);
  std::string out;
  out.reserve(1024);
  out.push_back('{');
  bool first = true;
  auto start_member = [&](std::string_view key) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(out, key);
    out.push_back(':');
  };
  bool has_pattern_type = false, has_pattern_version = false, has_is_family = false,
       has_types = false, has_name = false, tlp_definition = false;
  std::string_view tlp_level;  // a marking definition's definition.tlp
  // The labels that are terms of the *_types vocabulary, once each.
  std::vector<std::string_view> vocabulary_labels;
  const TypesProperty types_property = TypesPropertyFor(type);
  for (auto field : object) {
    if (field.key == "spec_version") continue;
    start_member(field.key);
    std::string_view timestamp, observed_data_id;
    simdjson::dom::object embedded;
    if ((field.key == "created" || field.key == "modified") &&
        field.value.get_string().get(timestamp) == simdjson::SUCCESS) {
      AppendJsonString(out, WithMilliseconds(timestamp));
    } else if (field.key == "pattern" && !pattern.empty()) {
      AppendJsonString(out, pattern);
    } else if (type == "observed-data" && field.key == "objects" &&
               field.value.get_object().get(embedded) == simdjson::SUCCESS &&
               object["id"].get_string().get(observed_data_id) == simdjson::SUCCESS) {
      out += UpgradeEmbeddedObservables(embedded, observed_data_id);
    } else {
      out += simdjson::minify(field.value);
    }
    if (field.key == "type") {
      start_member("spec_version");
      AppendJsonString(out, "2.1");
    }
    if (field.key == "pattern_type") has_pattern_type = true;
    if (field.key == "pattern_version") has_pattern_version = true;
    if (field.key == "is_family") has_is_family = true;
    if (field.key == "name") has_name = true;
    std::string_view definition_type;
    if (field.key == "definition_type" && field.value.get_string().get(definition_type) == simdjson::SUCCESS) {
      tlp_definition = definition_type == "tlp";
    }
    if (field.key == "definition" && field.value["tlp"].get_string().get(tlp_level) != simdjson::SUCCESS) {
      tlp_level = {};
    }
    if (!types_property.name.empty() && field.key == types_property.name) has_types = true;
    simdjson::dom::array labels;
    if (types_property.in_vocabulary && field.key == "labels" &&
        field.value.get_array().get(labels) == simdjson::SUCCESS) {
      for (auto label : labels) {
        std::string_view text;
        if (label.get_string().get(text) != simdjson::SUCCESS ||
            !types_property.in_vocabulary(text))
          continue;
        if (std::find(vocabulary_labels.begin(), vocabulary_labels.end(), text) ==
            vocabulary_labels.end()) {
          vocabulary_labels.push_back(text);
        }
      }
    }
  }
  if (type == "indicator" && !has_pattern_type) {
    start_member("pattern_type");
    AppendJsonString(out, "stix");
  }
  if (type == "indicator" && !has_pattern_version) {
    start_member("pattern_version");
    AppendJsonString(out, "2.1");
  }
  if (type == "marking-definition" && tlp_definition && !has_name && !tlp_level.empty()) {
    std::string name = "TLP:";
    for (char c : tlp_level) name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    start_member("name");
    AppendJsonString(out, name);
  }
  if (type == "malware" && !has_is_family) {
    start_member("is_family");
    out += "true";
  }
  // 2.1 forbids empty lists: no qualifying label, no property.
  if (!has_types && !vocabulary_labels.empty()) {
    start_member(types_property.name);
    out.push_back('[');
    for (size_t label_idx = 0; label_idx < vocabulary_labels.size(); ++label_idx) {
      if (label_idx > 0) out.push_back(',');
      AppendJsonString(out, vocabulary_labels[label_idx]);
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

}  // namespace

std::string StoredJsonOf(simdjson::dom::object object, std::string_view type, bool from_stix20) {
  if (from_stix20) return UpgradeToStix21(object, type);
  return IsScoType(type) ? std::string(simdjson::minify(object)) : Stix21AsStored(object, type);
}

std::string WithMilliseconds(std::string_view timestamp) {
  // An offset ("+02:00"): the instant in UTC ("Z" is all STIX allows).
  if (!timestamp.ends_with('Z')) return CanonicalStixTimestamp(timestamp);
  std::string out(timestamp);
  const size_t time = timestamp.find('T');
  const size_t dot = timestamp.find('.', time == std::string_view::npos ? 0 : time);
  if (dot == std::string_view::npos) {
    out.insert(out.size() - 1, ".000");
    return out;
  }
  const size_t digits = timestamp.size() - 1 - (dot + 1);
  if (digits < 3) out.insert(out.size() - 1, 3 - digits, '0');
  return out;
}

bool IsIndicatorTypeVocabulary(std::string_view value) {
  return IsIn(kIndicatorTypeVocabulary, value);
}

std::vector<std::string> IndicatorTypesForRole(std::string_view role) {
  if (role.empty()) return {};
  if (IsIndicatorTypeVocabulary(role)) return {std::string(role)};
  // Roles Accord uses for the victim side of an operation are "compromised"
  // in STIX terms; every other role names attacker infrastructure.
  return {role == "victim" ? "compromised" : "malicious-activity"};
}

bool RoleNeedsOwnProperty(std::string_view role) {
  return !role.empty() && !IsIndicatorTypeVocabulary(role);
}

std::string RoleFromIndicator(std::string_view accord_role,
                              const std::vector<std::string>& indicator_types) {
  if (!accord_role.empty()) return std::string(accord_role);
  // Accord's exports before x_accord_role put the role after the vocabulary
  // term in indicator_types; such files still read the same.
  for (const auto& value : indicator_types) {
    if (!IsIndicatorTypeVocabulary(value)) return value;
  }
  return indicator_types.empty() ? std::string() : indicator_types.front();
}

}  // namespace accord::stix_internal

namespace accord {

std::string CanonicalStixTimestamp(std::string_view timestamp) {
  // "YYYY-MM-DDTHH:MM:SS" then an optional fraction, then "Z".
  constexpr size_t kSeconds = 19;
  auto digits_only = [](std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (timestamp.size() > kSeconds && timestamp[10] == 'T' && timestamp.back() == 'Z') {
    std::string_view fraction = timestamp.substr(kSeconds, timestamp.size() - kSeconds - 1);
    if (fraction.empty() || (fraction.front() == '.' && fraction.size() > 1 && digits_only(fraction.substr(1)))) {
      std::string digits(fraction.empty() ? "" : fraction.substr(1));
      while (digits.size() > 3 && digits.back() == '0') digits.pop_back();
      if (digits.size() < 3) digits.append(3 - digits.size(), '0');
      return std::string(timestamp.substr(0, kSeconds)) + "." + digits + "Z";
    }
  }
  // An offset ("+00:00", "+02:00"): the instant in UTC, to the microsecond.
  Result<TimePoint> parsed = ParseTimestamp(timestamp);
  if (!parsed.ok()) return std::string(timestamp);
  std::string micros = FormatMicros(*parsed);
  return micros.ends_with('Z') ? CanonicalStixTimestamp(micros) : micros;
}

std::string StoredFormOfStixObject(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get(object) != simdjson::SUCCESS) return std::string(json);
  std::string_view type, spec_version;
  if (object["type"].get(type) != simdjson::SUCCESS || stix_internal::IsScoType(type)) return std::string(json);
  const auto version = object["spec_version"];
  const bool from_stix20 = version.error() != simdjson::SUCCESS ||
                           (version.get(spec_version) == simdjson::SUCCESS && spec_version == "2.0");
  return stix_internal::StoredJsonOf(object, type, from_stix20);
}

}  // namespace accord
