// MISP attribute types and categories <-> Accord observable types and roles.
#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "misp/misp.h"
#include "misp/misp_internal.h"

namespace accord {
namespace {

struct TypeMapping {
  std::string_view misp_type;
  ObservableType type;  // of the first part; address types are refined by value
};

// Types deliberately absent: "uri" (a path, not a URL), "link" (a reference
// to a report, not an indicator), sha224/sha512/ssdeep/imphash (no
// observable type of ours holds them), and free text (text, comment, yara,
// snort, vulnerability, ...). x509 fingerprints are hashes of a
// certificate: Accord holds them as hash values (as it reads STIX
// x509-certificate hashes and SSLBL's list), which Suricata's
// tls.fingerprint is matched against, and writes them back under their type.
constexpr std::array kTypeMappings = {
    TypeMapping{"ip-src", ObservableType::kIpv4},
    TypeMapping{"ip-dst", ObservableType::kIpv4},
    TypeMapping{"ip-src|port", ObservableType::kIpv4},
    TypeMapping{"ip-dst|port", ObservableType::kIpv4},
    TypeMapping{"domain", ObservableType::kDomain},
    TypeMapping{"hostname", ObservableType::kDomain},
    TypeMapping{"hostname|port", ObservableType::kDomain},
    TypeMapping{"domain|ip", ObservableType::kDomain},
    TypeMapping{"url", ObservableType::kUrl},
    TypeMapping{"email", ObservableType::kEmail},
    TypeMapping{"email-src", ObservableType::kEmail},
    TypeMapping{"email-dst", ObservableType::kEmail},
    TypeMapping{"email-reply-to", ObservableType::kEmail},
    TypeMapping{"target-email", ObservableType::kEmail},
    TypeMapping{"whois-registrant-email", ObservableType::kEmail},
    TypeMapping{"dns-soa-email", ObservableType::kEmail},
    TypeMapping{"md5", ObservableType::kMd5},
    TypeMapping{"sha1", ObservableType::kSha1},
    TypeMapping{"sha256", ObservableType::kSha256},
    TypeMapping{"x509-fingerprint-md5", ObservableType::kMd5},
    TypeMapping{"x509-fingerprint-sha1", ObservableType::kSha1},
    TypeMapping{"x509-fingerprint-sha256", ObservableType::kSha256},
    TypeMapping{"filename", ObservableType::kFileName},
    TypeMapping{"email-attachment", ObservableType::kFileName},
    TypeMapping{"filename|md5", ObservableType::kFileName},
    TypeMapping{"filename|sha1", ObservableType::kFileName},
    TypeMapping{"filename|sha256", ObservableType::kFileName},
    TypeMapping{"malware-sample", ObservableType::kFileName},  // "name|md5"
    TypeMapping{"btc", ObservableType::kWallet},
    TypeMapping{"xmr", ObservableType::kWallet},
    TypeMapping{"dash", ObservableType::kWallet},
};

// The second part of composite types whose second part is an observable.
// "ip-dst|port" and "hostname|port" are composite too, but a port is not.
std::optional<ObservableType> SecondPartType(std::string_view misp_type) {
  if (misp_type == "domain|ip") return ObservableType::kIpv4;
  if (misp_type == "filename|md5" || misp_type == "malware-sample") return ObservableType::kMd5;
  if (misp_type == "filename|sha1") return ObservableType::kSha1;
  if (misp_type == "filename|sha256") return ObservableType::kSha256;
  return std::nullopt;
}

bool IsComposite(std::string_view misp_type) {
  return misp_type.find('|') != std::string_view::npos || misp_type == "malware-sample";
}

// MISP's ip-* types hold IPv4, IPv6 and networks alike; the value says which.
ObservableType RefineAddress(ObservableType type, std::string_view value) {
  if (type != ObservableType::kIpv4) return type;
  if (value.find('/') != std::string_view::npos) return ObservableType::kCidr;
  if (value.find(':') != std::string_view::npos) return ObservableType::kIpv6;
  return ObservableType::kIpv4;
}

constexpr std::array<std::string_view, 16> kCategories = {
    "Internal reference", "Targeting data",        "Antivirus detection", "Payload delivery",
    "Artifacts dropped",  "Payload installation",  "Persistence mechanism", "Network activity",
    "Payload type",       "Attribution",           "External analysis",   "Financial fraud",
    "Support Tool",       "Social network",        "Person",              "Other",
};

}  // namespace

std::optional<ObservableType> MispTypeToObservable(std::string_view misp_type) {
  for (const auto& mapping : kTypeMappings) {
    if (mapping.misp_type == misp_type) return mapping.type;
  }
  return std::nullopt;
}

Result<std::vector<MispValuePart>> SplitComposite(std::string_view misp_type,
                                                  std::string_view value) {
  std::optional<ObservableType> first_type = MispTypeToObservable(misp_type);
  if (!first_type) {
    return Status::Invalid("type '" + std::string(misp_type) + "' has no observable");
  }
  if (!IsComposite(misp_type)) {
    return std::vector<MispValuePart>{
        {.type = RefineAddress(*first_type, value), .value = value, .misp_type = misp_type}};
  }
  // Split at the last '|': a file name may hold one, hashes, addresses,
  // ports and domain names never do.
  size_t bar = value.rfind('|');
  if (bar == std::string_view::npos) {
    return Status::Invalid("value of composite type '" + std::string(misp_type) +
                           "' has no '|'");
  }
  std::string_view first = value.substr(0, bar);
  std::string_view second = value.substr(bar + 1);
  if (first.empty() || second.empty()) {
    return Status::Invalid("value of composite type '" + std::string(misp_type) +
                           "' has an empty part");
  }
  std::vector<MispValuePart> parts{{RefineAddress(*first_type, first), first}};
  if (std::optional<ObservableType> second_type = SecondPartType(misp_type)) {
    parts.front().context_only = *first_type == ObservableType::kFileName;
    parts.push_back({RefineAddress(*second_type, second), second});
  } else if (misp_type.ends_with("|port")) {
    parts.front().port = second;
    parts.front().misp_type = misp_type.substr(0, misp_type.size() - 5);  // ip-src, ip-dst, hostname
  }
  return parts;
}

namespace misp_internal {

std::vector<ObservableType> ObservableTypesOf(std::string_view misp_type) {
  std::vector<ObservableType> types;
  for (std::optional<ObservableType> type :
       {MispTypeToObservable(misp_type), SecondPartType(misp_type)}) {
    if (!type) continue;
    if (*type == ObservableType::kIpv4) {
      types.insert(types.end(),
                   {ObservableType::kIpv4, ObservableType::kIpv6, ObservableType::kCidr});
    } else {
      types.push_back(*type);
    }
  }
  if (!MispTypeToObservable(misp_type)) types.clear();
  return types;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<Tlp> TlpFromTag(std::string_view tag) {
  if (!StartsWithIgnoreCase(tag, "tlp:")) return std::nullopt;
  if (std::optional<Tlp> tlp = ParseTlp(tag)) return tlp;
  // Any other tlp: tag meant a level Accord cannot read (a typo, a local
  // "tlp:orange"): held at the strictest, not shared by distribution.
  if (IsUnreadableTlpTag(tag)) return Tlp::kRed;
  return std::nullopt;
}

bool IsUnreadableTlpTag(std::string_view tag) {
  // MISP's tlp taxonomy also holds tlp:ex:* (Chatham House Rule) and
  // tlp:unclear, which are no levels.
  if (!StartsWithIgnoreCase(tag, "tlp:") || StartsWithIgnoreCase(tag, "tlp:ex:") || ParseTlp(tag)) return false;
  return !(tag.size() == 11 && StartsWithIgnoreCase(tag, "tlp:unclear"));
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t char_idx = 0; char_idx < prefix.size(); ++char_idx) {
    if (std::tolower(static_cast<unsigned char>(text[char_idx])) !=
        std::tolower(static_cast<unsigned char>(prefix[char_idx]))) {
      return false;
    }
  }
  return true;
}

std::string RoleFromCategory(std::string_view category) {
  std::string role = AsciiLower(category);
  for (char& c : role) {
    if (c == ' ' || c == '_') c = '-';
  }
  return role;
}

std::optional<std::string_view> CategoryForRole(std::string_view role) {
  for (std::string_view category : kCategories) {
    if (RoleFromCategory(category) == role) return category;
  }
  return std::nullopt;
}

bool CategoryAllowsType(std::string_view category, std::string_view misp_type) {
  // From MISP's categoryDefinitions (AttributesTable), for the types the
  // writer uses; a pair not listed here is treated as refused.
  static constexpr std::string_view kNetwork[] = {"ip-src", "ip-dst", "hostname", "domain", "url"};
  static constexpr std::string_view kFiles[] = {"md5", "sha1", "sha256", "filename"};
  static constexpr std::string_view kMail[] = {"email", "email-src", "email-dst"};
  static constexpr std::string_view kDeliveryMail[] = {"email-attachment", "email-reply-to",
                                                       "whois-registrant-email"};
  static constexpr std::string_view kNetworkComposites[] = {"domain|ip", "ip-src|port", "ip-dst|port",
                                                            "hostname|port"};
  static constexpr std::string_view kFileComposites[] = {"filename|md5", "filename|sha1", "filename|sha256"};
  static constexpr std::string_view kCertificates[] = {"x509-fingerprint-md5", "x509-fingerprint-sha1",
                                                       "x509-fingerprint-sha256"};
  auto in = [&](auto& list) {
    return std::find(std::begin(list), std::end(list), misp_type) != std::end(list);
  };
  if (category == "Network activity") {
    return in(kNetwork) || in(kMail) || in(kNetworkComposites) || in(kCertificates);
  }
  if (category == "Payload delivery") {
    return in(kNetwork) || in(kFiles) || in(kMail) || in(kDeliveryMail) || in(kFileComposites) ||
           in(kCertificates);
  }
  if (category == "External analysis") {
    return in(kNetwork) || in(kFiles) || in(kFileComposites) || in(kCertificates) || misp_type == "domain|ip" ||
           misp_type == "ip-src|port" || misp_type == "ip-dst|port";
  }
  if (category == "Artifacts dropped" || category == "Payload installation") {
    return in(kFiles) || in(kFileComposites);
  }
  if (category == "Persistence mechanism") return misp_type == "filename";
  if (category == "Social network") return in(kMail) || misp_type == "whois-registrant-email";
  if (category == "Attribution") {
    return misp_type == "email" || misp_type == "whois-registrant-email" || misp_type == "dns-soa-email";
  }
  if (category == "Targeting data") return misp_type == "target-email";
  if (category == "Person") return misp_type == "email";
  if (category == "Financial fraud") return misp_type == "btc" || misp_type == "xmr" || misp_type == "dash";
  return false;
}

std::string_view NaturalCategory(ObservableType type) {
  switch (type) {
    case ObservableType::kIpv4:
    case ObservableType::kIpv6:
    case ObservableType::kCidr:
    case ObservableType::kDomain:
    case ObservableType::kUrl:
    case ObservableType::kEmail:
      return "Network activity";
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
    case ObservableType::kFileName:
      return "Payload delivery";
    case ObservableType::kWallet:
      return "Financial fraud";
  }
  return "Other";
}

bool MispTypeHolds(std::string_view misp_type, const Observable& observable) {
  if (IsComposite(misp_type)) return false;
  std::optional<ObservableType> type = MispTypeToObservable(misp_type);
  return type && RefineAddress(*type, observable.value) == observable.type;
}

std::string_view DefaultCategory(std::string_view misp_type, ObservableType type) {
  // MISP's default_category where it is not the value type's own.
  if (misp_type == "target-email") return "Targeting data";
  if (misp_type == "whois-registrant-email" || misp_type == "dns-soa-email") return "Attribution";
  if (misp_type == "email-attachment" || misp_type == "email-reply-to") return "Payload delivery";
  if (misp_type.starts_with("x509-fingerprint-")) return "Network activity";
  return NaturalCategory(type);
}

std::string_view ExportMispType(const Observable& observable) {
  if (observable.type == ObservableType::kWallet) {
    const std::string& address = observable.value;
    // Monero: 95 characters (106 integrated) from '4' or '8'; Dash: 34 from 'X'.
    if ((address.size() == 95 || address.size() == 106) && (address[0] == '4' || address[0] == '8')) {
      return "xmr";
    }
    if (address.size() == 34 && address[0] == 'X') return "dash";
  }
  return ExportMispType(observable.type);
}

std::string_view ExportMispType(ObservableType type) {
  switch (type) {
    case ObservableType::kIpv4:
    case ObservableType::kIpv6:
    case ObservableType::kCidr:
      return "ip-dst";
    case ObservableType::kDomain:
      return "domain";
    case ObservableType::kUrl:
      return "url";
    case ObservableType::kEmail:
      return "email";
    case ObservableType::kMd5:
      return "md5";
    case ObservableType::kSha1:
      return "sha1";
    case ObservableType::kSha256:
      return "sha256";
    case ObservableType::kWallet:
      return "btc";
    case ObservableType::kFileName:
      return "filename";
  }
  return "text";
}

}  // namespace misp_internal

std::optional<Tlp> TlpOfMispTag(std::string_view tag) { return misp_internal::TlpFromTag(tag); }

}  // namespace accord
