// WarningListMatcher: is this observable on a known-benign list?
//
// Match runs once per imported value and, through the early-warning engine,
// per telemetry value, so it is written to allocate nothing on a miss:
// string_view probes into hash maps with transparent lookup, a stack buffer
// for inet_pton, binary search over merged ranges. Budget: 200 000 values/s
// on one core; warning_list_test records the rate it reaches.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "misp/ip_network.h"
#include "misp/misp.h"
#include "misp/misp_internal.h"

namespace accord {
namespace {

using misp_internal::IpNetwork;
using misp_internal::Ipv6Number;

constexpr uint32_t kNoList = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kEndOfChain = std::numeric_limits<uint32_t>::max();

using TypeMask = uint32_t;
constexpr TypeMask Bit(ObservableType type) { return TypeMask{1} << static_cast<int>(type); }
constexpr TypeMask kAddressTypes =
    Bit(ObservableType::kIpv4) | Bit(ObservableType::kIpv6) | Bit(ObservableType::kCidr);
constexpr TypeMask kHostTypes =
    Bit(ObservableType::kDomain) | Bit(ObservableType::kUrl) | Bit(ObservableType::kEmail);
constexpr TypeMask kAllTypes = ~TypeMask{0};

// Observable types whose normalized text is lower case: their values are
// compared with the lower-cased entries of string and substring lists.
// URLs (paths are case-sensitive), file names and wallets are compared as
// written.
constexpr TypeMask kCaseFoldedTypes = kAddressTypes | Bit(ObservableType::kDomain) |
                                      Bit(ObservableType::kEmail) | Bit(ObservableType::kMd5) |
                                      Bit(ObservableType::kSha1) | Bit(ObservableType::kSha256);

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// One key can be on several lists: each key points at a chain of postings.
struct Posting {
  uint32_t list;
  uint32_t next;
};

class PostingIndex {
 public:
  void Add(std::string key, uint32_t list) {
    auto [it, inserted] = heads_.try_emplace(std::move(key), kEndOfChain);
    if (it->second != kEndOfChain && postings_[it->second].list == list) return;  // duplicate
    postings_.push_back({list, it->second});
    it->second = static_cast<uint32_t>(postings_.size() - 1);
  }
  // The lowest list index below `best` holding `key` whose mask has `type_bit`.
  uint32_t Find(std::string_view key, TypeMask type_bit, const std::vector<TypeMask>& masks,
                uint32_t best) const {
    auto it = heads_.find(key);
    if (it == heads_.end()) return best;
    for (uint32_t at = it->second; at != kEndOfChain; at = postings_[at].next) {
      uint32_t list = postings_[at].list;
      if (list < best && (masks[list] & type_bit) != 0) best = list;
    }
    return best;
  }

 private:
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> heads_;
  std::vector<Posting> postings_;
};

struct V4Range {
  uint32_t first;
  uint32_t last;
};
struct V6Range {
  Ipv6Number first;
  Ipv6Number last;
};

// A cidr list as sorted, merged, non-overlapping ranges, so "is this whole
// network on the list" is one binary search even when the list covers it
// with several adjacent blocks.
struct CidrList {
  uint32_t list = 0;
  std::vector<V4Range> v4;
  std::vector<V6Range> v6;
};

struct SubstringList {
  uint32_t list = 0;
  std::vector<std::string> verbatim;
  std::vector<std::string> folded;
};

// One compiled PCRE2 pattern. PCRE2, not std::regex: the lists are written
// for PHP's preg_match (PCRE), whose syntax std::regex does not implement.
// Match data is made per call (the matcher is shared between threads); only
// values checked against a regex list pay that allocation.
class CompiledRegex {
 public:
  explicit CompiledRegex(pcre2_code* code) : code_(code) {
    context_ = pcre2_match_context_create(nullptr);
    // A pattern that backtracks without end must not hang an import.
    pcre2_set_match_limit(context_, 1'000'000);
    pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT is absent
  }
  CompiledRegex(CompiledRegex&& other) noexcept
      : code_(std::exchange(other.code_, nullptr)),
        context_(std::exchange(other.context_, nullptr)) {}
  CompiledRegex(const CompiledRegex&) = delete;
  CompiledRegex& operator=(const CompiledRegex&) = delete;
  CompiledRegex& operator=(CompiledRegex&&) = delete;
  ~CompiledRegex() {
    pcre2_match_context_free(context_);
    pcre2_code_free(code_);
  }
  // Only errors such as the match limit return below -1; they count as no
  // match (a warning list only ever suppresses).
  bool Matches(std::string_view value) const {
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(code_, nullptr);
    if (data == nullptr) return false;
    const int result = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(value.data()), value.size(),
                                   0, 0, data, context_);
    pcre2_match_data_free(data);
    return result >= 0;
  }

 private:
  pcre2_code* code_;
  pcre2_match_context* context_;
};

struct RegexList {
  uint32_t list = 0;
  std::vector<CompiledRegex> patterns;
};

// A PHP preg pattern "/body/flags" (any non-alphanumeric delimiter, or a
// bracket pair) compiled by PCRE2, or the reason it cannot be.
std::variant<CompiledRegex, std::string> CompilePhpRegex(std::string_view entry) {
  if (entry.empty()) return std::string("empty pattern");
  const char open = entry.front();
  if (std::isalnum(static_cast<unsigned char>(open)) || open == '\\' ||
      std::isspace(static_cast<unsigned char>(open))) {
    return std::string("no delimiter (PHP patterns are written /pattern/flags)");
  }
  char close = open;
  if (open == '(') close = ')';
  if (open == '[') close = ']';
  if (open == '{') close = '}';
  if (open == '<') close = '>';
  const size_t end = entry.rfind(close);
  if (end == 0 || end == std::string_view::npos) return std::string("no closing delimiter");
  const std::string_view body = entry.substr(1, end - 1);
  uint32_t options = 0;
  for (char flag : entry.substr(end + 1)) {
    switch (flag) {
      case 'i': options |= PCRE2_CASELESS; break;
      case 'm': options |= PCRE2_MULTILINE; break;
      case 's': options |= PCRE2_DOTALL; break;
      case 'x': options |= PCRE2_EXTENDED; break;
      case 'u': options |= PCRE2_UTF; break;
      case 'D': options |= PCRE2_DOLLAR_ENDONLY; break;
      case 'U': options |= PCRE2_UNGREEDY; break;
      case 'A': options |= PCRE2_ANCHORED; break;
      default: return std::string("unknown flag '") + flag + "'";
    }
  }
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(body.data()), body.size(), options,
                                   &error, &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    return "at offset " + std::to_string(offset) + ": " + reinterpret_cast<const char*>(message);
  }
  return CompiledRegex(code);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// "*.Example.COM." and ".example.com" (dynamic-dns writes a leading dot to
// mean "and below") both become "example.com". Empty for entries that are
// not host names.
std::string NormalizeHostEntry(std::string_view entry) {
  entry = Trim(entry);
  if (entry.starts_with("*.")) entry.remove_prefix(2);
  while (entry.starts_with('.')) entry.remove_prefix(1);
  while (entry.ends_with('.')) entry.remove_suffix(1);
  for (char c : entry) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '@' || c == ':') return {};
  }
  return misp_internal::AsciiLower(entry);
}

std::string FoldStringEntry(std::string_view entry) {
  std::string folded = misp_internal::AsciiLower(entry);
  if (folded.size() > 1 && folded.back() == '.') folded.pop_back();
  return folded;
}

template <typename Range, typename Successor>
std::vector<Range> MergeRanges(std::vector<Range> ranges, Successor successor) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.first < b.first; });
  std::vector<Range> merged;
  for (const Range& range : ranges) {
    if (!merged.empty()) {
      Range& previous = merged.back();
      decltype(range.first) next;
      bool has_next = successor(previous.last, next);
      if (!has_next || range.first <= next) {  // overlapping or adjacent
        if (previous.last < range.last) previous.last = range.last;
        continue;
      }
    }
    merged.push_back(range);
  }
  return merged;
}

template <typename Range, typename Number>
bool RangesCover(const std::vector<Range>& ranges, Number first, Number last) {
  auto after = std::upper_bound(ranges.begin(), ranges.end(), first,
                                [](const Number& value, const Range& range) {
                                  return value < range.first;
                                });
  if (after == ranges.begin()) return false;
  const Range& candidate = *(after - 1);
  return candidate.first <= first && last <= candidate.last;
}

// The host part of a normalized URL: "http://user@Host:8080/p" -> "Host".
std::string_view UrlHost(std::string_view url) {
  size_t scheme_end = url.find("://");
  std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) return {};  // IPv6 literal: not a host name
  if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  return authority;
}

}  // namespace

struct WarningListMatcher::Impl {
  std::vector<std::string> names;
  std::vector<TypeMask> masks;  // which observable types each list applies to
  PostingIndex exact_verbatim;
  PostingIndex exact_folded;
  PostingIndex hostnames;
  std::vector<SubstringList> substring_lists;
  std::vector<RegexList> regex_lists;
  std::vector<CidrList> cidr_lists;

  // `problems`, when given, receives one line per entry that cannot be used.
  void AddList(const WarningListRecord& record, std::vector<std::string>* problems);
  uint32_t MatchHost(std::string_view host, TypeMask type_bit, uint32_t best) const;
  uint32_t MatchAddress(std::string_view value, TypeMask type_bit, uint32_t best) const;
};

// A list applies to the types its kind can hold, narrowed, as in MISP
// (Warninglist::checkForWarning), to the types its matching_attributes
// name: the tlds list, for domains, never flags a file name "com", and
// dynamic-dns, for domains only, leaves the URLs of a C2 under a dynamic
// name live. A hostname list that names url or email types matches their
// host. A list whose attributes name only types Accord does not hold
// (user-agent) applies to nothing, as it would in MISP.
static TypeMask MaskFor(const WarningListRecord& record) {
  TypeMask natural = kAllTypes;
  if (record.type == "cidr") natural = kAddressTypes;
  if (record.type == "hostname") natural = kHostTypes;
  if (record.matching_attributes.empty()) return natural;
  TypeMask declared = 0;
  for (const std::string& misp_type : record.matching_attributes) {
    for (ObservableType type : misp_internal::ObservableTypesOf(misp_type)) declared |= Bit(type);
  }
  return natural & declared;
}

void WarningListMatcher::Impl::AddList(const WarningListRecord& record,
                                      std::vector<std::string>* problems) {
  const uint32_t list = static_cast<uint32_t>(names.size());
  names.push_back(record.name);
  masks.push_back(MaskFor(record));
  if (problems != nullptr && masks.back() == 0) {
    std::string named;
    for (const std::string& type : record.matching_attributes) named += (named.empty() ? "" : ", ") + type;
    problems->push_back("matching_attributes (" + named + ") name no type a " + record.type +
                        " list can hold here: the list flags nothing");
  }
  // Entries that do not parse are skipped (and reported through
  // `problems`): a warning list only ever suppresses, so a bad entry costs
  // a missed suppression, never a leak.
  auto skip = [&](size_t index, std::string_view entry, std::string_view why) {
    if (problems == nullptr) return;
    problems->push_back("list[" + std::to_string(index) + "] '" +
                        std::string(entry.substr(0, 80)) + "': " + std::string(why));
  };
  if (record.type == "cidr") {
    CidrList cidr{list, {}, {}};
    for (size_t i = 0; i < record.entries.size(); ++i) {
      IpNetwork network;
      if (!misp_internal::ParseIpNetwork(Trim(record.entries[i]), network)) {
        skip(i, record.entries[i], "not an IP address or network");
        continue;
      }
      if (network.is_v6) {
        cidr.v6.push_back({network.v6_first, network.v6_last});
      } else {
        cidr.v4.push_back({network.v4_first, network.v4_last});
      }
    }
    cidr.v4 = MergeRanges(std::move(cidr.v4), [](uint32_t last, uint32_t& next) {
      if (last == std::numeric_limits<uint32_t>::max()) return false;
      next = last + 1;
      return true;
    });
    cidr.v6 = MergeRanges(std::move(cidr.v6), misp_internal::Ipv6Successor);
    cidr_lists.push_back(std::move(cidr));
  } else if (record.type == "hostname") {
    for (size_t i = 0; i < record.entries.size(); ++i) {
      std::string host = NormalizeHostEntry(record.entries[i]);
      if (host.empty()) {
        skip(i, record.entries[i], "not a host name");
        continue;
      }
      hostnames.Add(std::move(host), list);
    }
  } else if (record.type == "string") {
    for (const std::string& entry : record.entries) {
      std::string_view trimmed = Trim(entry);
      if (trimmed.empty()) continue;
      exact_verbatim.Add(std::string(trimmed), list);
      exact_folded.Add(FoldStringEntry(trimmed), list);
      // MISP compares the attribute as written with the entry as written;
      // Accord holds values normalized ("2001:DB8:0::1" is "2001:db8::1",
      // "http://Example.org" is "http://example.org/"), so the entry's
      // normalized form is listed too.
      if (Result<Observable> normalized = DetectAndNormalize(trimmed);
          normalized.ok() && normalized->value != trimmed) {
        exact_verbatim.Add(normalized->value, list);
        exact_folded.Add(normalized->value, list);
      }
    }
  } else if (record.type == "substring") {
    SubstringList substrings{list, {}, {}};
    for (const std::string& entry : record.entries) {
      if (entry.empty()) continue;
      substrings.verbatim.push_back(entry);
      substrings.folded.push_back(misp_internal::AsciiLower(entry));
    }
    substring_lists.push_back(std::move(substrings));
  } else if (record.type == "regex") {
    RegexList regexes;
    regexes.list = list;
    for (size_t i = 0; i < record.entries.size(); ++i) {
      auto compiled = CompilePhpRegex(Trim(record.entries[i]));
      if (auto* why = std::get_if<std::string>(&compiled)) {
        skip(i, record.entries[i], "not a PCRE pattern: " + *why);
        continue;
      }
      regexes.patterns.push_back(std::move(std::get<CompiledRegex>(compiled)));
    }
    regex_lists.push_back(std::move(regexes));
  }
}

// Probes the host and every parent ("a.b.example.com", "b.example.com",
// "example.com", "com"), so a list entry covers its subdomains but never a
// look-alike ("notgoogle.com" is not under "google.com").
uint32_t WarningListMatcher::Impl::MatchHost(std::string_view host, TypeMask type_bit,
                                             uint32_t best) const {
  while (host.ends_with('.')) host.remove_suffix(1);
  while (!host.empty()) {
    best = hostnames.Find(host, type_bit, masks, best);
    size_t dot = host.find('.');
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return best;
}

uint32_t WarningListMatcher::Impl::MatchAddress(std::string_view value, TypeMask type_bit,
                                                uint32_t best) const {
  IpNetwork network;
  if (!misp_internal::ParseIpNetwork(value, network)) return best;
  for (const CidrList& cidr : cidr_lists) {
    if (cidr.list >= best) break;  // cidr_lists is in list order
    if ((masks[cidr.list] & type_bit) == 0) continue;
    bool covered = network.is_v6 ? RangesCover(cidr.v6, network.v6_first, network.v6_last)
                                 : RangesCover(cidr.v4, network.v4_first, network.v4_last);
    if (covered) return cidr.list;
  }
  return best;
}

WarningListMatcher::WarningListMatcher() : impl_(std::make_unique<Impl>()) {}
WarningListMatcher::~WarningListMatcher() = default;

std::unique_ptr<WarningListMatcher> WarningListMatcher::Build(
    const std::vector<WarningListRecord>& lists) {
  // The constructor is private (a matcher only comes from Build), so
  // make_unique cannot reach it.
  std::unique_ptr<WarningListMatcher> matcher(new WarningListMatcher());
  for (const WarningListRecord& list : lists) matcher->impl_->AddList(list, nullptr);
  return matcher;
}

std::vector<std::string> WarningListProblems(const WarningListRecord& list) {
  std::vector<std::string> problems;
  WarningListMatcher::Impl impl;
  impl.AddList(list, &problems);
  return problems;
}

std::optional<std::string> WarningListMatcher::Match(const Observable& observable) const {
  const Impl& impl = *impl_;
  const TypeMask type_bit = Bit(observable.type);
  std::string_view value = observable.value;
  uint32_t best = kNoList;

  switch (observable.type) {
    case ObservableType::kIpv4:
    case ObservableType::kIpv6:
    case ObservableType::kCidr:
      best = impl.MatchAddress(value, type_bit, best);
      break;
    case ObservableType::kDomain:
      best = impl.MatchHost(value, type_bit, best);
      break;
    case ObservableType::kUrl:
      best = impl.MatchHost(UrlHost(value), type_bit, best);
      break;
    case ObservableType::kEmail:
      if (size_t at = value.rfind('@'); at != std::string_view::npos) {
        best = impl.MatchHost(value.substr(at + 1), type_bit, best);
      }
      break;
    default:
      break;
  }

  const bool folded = (kCaseFoldedTypes & type_bit) != 0;
  best = (folded ? impl.exact_folded : impl.exact_verbatim).Find(value, type_bit, impl.masks, best);
  for (const SubstringList& substrings : impl.substring_lists) {
    if (substrings.list >= best) break;
    if ((impl.masks[substrings.list] & type_bit) == 0) continue;
    for (const std::string& entry : folded ? substrings.folded : substrings.verbatim) {
      if (value.find(entry) != std::string_view::npos) {
        best = substrings.list;
        break;
      }
    }
  }

  for (const RegexList& regexes : impl.regex_lists) {
    if (regexes.list >= best) break;
    if ((impl.masks[regexes.list] & type_bit) == 0) continue;
    for (const CompiledRegex& regex : regexes.patterns) {
      if (regex.Matches(value)) {
        best = regexes.list;
        break;
      }
    }
  }

  if (best == kNoList) return std::nullopt;
  return impl.names[best];
}

}  // namespace accord
