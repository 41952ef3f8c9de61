// Domain and e-mail normalization (docs/NORMALIZATION.md, "Domains" and
// "E-mail addresses").

#include <idn2.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/observable.h"
#include "core/observable_internal.h"

namespace accord::observable_internal {
namespace {

constexpr size_t kMaxLabelBytes = 63;
constexpr size_t kMaxDomainBytes = 253;
constexpr size_t kMaxLocalPartBytes = 64;

struct FreeDeleter {
  void operator()(char* pointer) const { std::free(pointer); }
};

std::vector<std::string_view> SplitLabels(std::string_view name) {
  std::vector<std::string_view> labels;
  size_t pos = 0;
  while (true) {
    size_t dot = name.find('.', pos);
    if (dot == std::string_view::npos) {
      labels.push_back(name.substr(pos));
      return labels;
    }
    labels.push_back(name.substr(pos, dot - pos));
    pos = dot + 1;
  }
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// UTS #46 treats these as label separators; they are mapped before the name
// is split so that labels can be converted one at a time.
std::string MapIdeographicDots(std::string_view name) {
  static constexpr std::string_view kDots[] = {"\xE3\x80\x82", "\xEF\xBC\x8E", "\xEF\xBD\xA1"};
  std::string out;
  out.reserve(name.size());
  for (size_t pos = 0; pos < name.size();) {
    bool mapped = false;
    for (std::string_view dot : kDots) {
      if (name.substr(pos, dot.size()) == dot) {
        out += '.';
        pos += dot.size();
        mapped = true;
        break;
      }
    }
    if (!mapped) out += name[pos++];
  }
  return out;
}

// One label to A-label form with libidn2. Labels are converted one at a
// time because IDNA2008 refuses ASCII labels that DNS allows and that
// real (and malicious) names use, such as "r3---sn-abc" (hyphens in
// positions 3 and 4); those never reach libidn2.
Result<std::string> LabelToAscii(std::string_view label) {
  std::string input(label);
  char* raw_output = nullptr;
  int rc = idn2_to_ascii_8z(input.c_str(), &raw_output, IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    // Browsers fall back to UTS #46 transitional processing, which still
    // admits some symbols IDNA2008 refuses; do the same so that names a
    // victim can actually visit are accepted.
    std::free(raw_output);
    raw_output = nullptr;
    int transitional_rc = idn2_to_ascii_8z(input.c_str(), &raw_output, IDN2_TRANSITIONAL);
    if (transitional_rc != IDN2_OK) {
      std::free(raw_output);
      return Status::Invalid("domain label " + Quote(label) +
                             " is not a valid IDNA label: " + idn2_strerror(rc));
    }
  }
  std::unique_ptr<char, FreeDeleter> output(raw_output);
  return std::string(output.get());
}

Status CheckAsciiName(std::string_view name) {
  if (name.size() > kMaxDomainBytes) {
    return Status::Invalid("domain is " + std::to_string(name.size()) + " characters, limit " +
                           std::to_string(kMaxDomainBytes));
  }
  std::vector<std::string_view> labels = SplitLabels(name);
  if (labels.size() < 2) {
    return Status::Invalid("domain " + Quote(name) + " needs at least two labels");
  }
  for (std::string_view label : labels) {
    if (label.empty()) return Status::Invalid("domain " + Quote(name) + " has an empty label");
    if (label.size() > kMaxLabelBytes) {
      return Status::Invalid("domain label " + Quote(label) + " is " +
                             std::to_string(label.size()) + " characters, limit " +
                             std::to_string(kMaxLabelBytes));
    }
    for (char c : label) {
      bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!allowed) {
        return Status::Invalid("invalid character " + Quote(std::string_view(&c, 1)) +
                               " in domain " + Quote(name));
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return Status::Invalid("domain label " + Quote(label) + " starts or ends with '-'");
    }
  }
  std::string_view tld = labels.back();
  bool all_digits = true;
  for (char c : tld) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    return Status::Invalid("domain " + Quote(name) + " has an all-numeric top-level label");
  }
  return Status::Ok();
}

bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  if (static_cast<unsigned char>(c) >= 0x80) return true;  // RFC 6531 UTF-8 local parts
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

}  // namespace

Result<std::string> NormalizeDomainName(std::string_view text) {
  std::string name = AsciiLowerCopy(MapIdeographicDots(text));
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty()) return Status::Invalid("domain is empty");
  std::string ascii;
  for (std::string_view label : SplitLabels(name)) {
    if (label.empty()) return Status::Invalid("domain " + Quote(text) + " has an empty label");
    if (!ascii.empty()) ascii += '.';
    if (IsAscii(label) && label.substr(0, 4) != "xn--") {
      ascii += label;
      continue;
    }
    ASSIGN_OR_RETURN(std::string converted, LabelToAscii(label));
    ascii += converted;
  }
  RETURN_IF_ERROR(CheckAsciiName(ascii));
  return ascii;
}

Result<Observable> NormalizeEmail(std::string_view text) {
  size_t at = text.find('@');
  if (at == std::string_view::npos) {
    return Status::Invalid("e-mail address " + Quote(text) + " has no '@'");
  }
  if (text.find('@', at + 1) != std::string_view::npos) {
    return Status::Invalid("e-mail address " + Quote(text) + " has more than one '@'");
  }
  std::string_view local = text.substr(0, at);
  std::string_view domain = text.substr(at + 1);
  if (local.empty()) return Status::Invalid("e-mail address " + Quote(text) + " has no local part");
  if (local.size() > kMaxLocalPartBytes) {
    return Status::Invalid("e-mail local part is " + std::to_string(local.size()) +
                           " bytes, limit " + std::to_string(kMaxLocalPartBytes));
  }
  for (char c : local) {
    if (c != '.' && !IsAtext(c)) {
      return Status::Invalid("invalid character " + Quote(std::string_view(&c, 1)) +
                             " in e-mail local part " + Quote(local));
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return Status::Invalid("e-mail local part " + Quote(local) +
                           " has a leading, trailing or doubled '.'");
  }
  if (domain.empty()) return Status::Invalid("e-mail address " + Quote(text) + " has no domain");
  Result<std::string> normalized_domain = NormalizeDomainName(domain);
  if (!normalized_domain.ok()) {
    return normalized_domain.status().WithContext("e-mail address " + Quote(text));
  }
  return Observable{ObservableType::kEmail, AsciiLowerCopy(local) + "@" + *normalized_domain};
}

}  // namespace accord::observable_internal
