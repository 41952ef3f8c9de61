// The STIX patterning subset Accord can match: equality comparisons on the
// object paths that name an observable (directly, or through a reference
// such as network-traffic:dst_ref.value), joined by AND / OR inside and
// between observation expressions, with parentheses. Ports and protocols of
// network-traffic narrow a comparison and are not matched.
//
// A tokenizer (pattern_tokens.h) and a recursive-descent parser over the STIX 2.1 grammar
// (docs.oasis-open.org/cti/stix/v2.1, section 9). Everything it reads and
// cannot honour is an error that says what and where (character offset),
// never a silent partial match: an indicator with "[a] FOLLOWEDBY [b]" or a
// MATCHES comparison must not go live as if it were a plain equality.
// Malformed patterns are kInvalidArgument; valid STIX outside the subset is
// kFailedPrecondition, so that the reader can tell a partner's broken
// indicator from one that is simply not matched.
//
// One exception to "all or nothing": a comparison on a property that names
// no value Accord matches (file:size, file:hashes.SSDEEP, an email subject,
// a MAC address) is left out when the pattern has other comparisons that
// do, and named in `not_matched`. MISP writes such pairs all the time
// ("filename|ssdeep" is "[file:name = 'x' AND file:hashes.SSDEEP = 'y']",
// its file objects add sizes and SHA-512s beside the MD5): refusing the
// whole indicator would lose the value its MISP attribute gives, and
// leaving out a comparison on an unmatched property widens an AND exactly
// as ignoring a port does, and narrows an OR to what can be matched.
//
// AND is flattened like OR: Accord matches single observables, so a
// conjunction is approximated by its parts; the alternative (dropping it)
// would lose its values. One exception: a file name joined by AND to a hash
// of the same file ("[file:hashes.MD5 = 'x' AND file:name = 'svchost.exe']",
// MISP's filename|md5) describes the file and is kept as context, not
// matched alone: "svchost.exe" on its own would alert on every Windows host.
// The hash is what the pattern requires. A name with OR, or beside only
// comparisons that are left out (an SSDEEP), is still matched.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "stix/pattern_tokens.h"
#include "stix/stix.h"
#include "stix/stix_internal.h"

namespace accord {
namespace {

using stix_internal::Token;
using stix_internal::TokenKind;
using stix_internal::Tokenize;

constexpr int kMaxNesting = 64;

Status ErrorAt(size_t offset, std::string_view what) { return stix_internal::PatternErrorAt(offset, what); }

// Valid STIX that Accord does not match (see the file comment).
Status UnsupportedAt(size_t offset, std::string_view what) {
  return Status::FailedPrecondition("pattern offset " + std::to_string(offset) +
                                    ": unsupported: " + std::string(what));
}

std::string Describe(const Token& token) {
  return token.kind == TokenKind::kEnd ? "end of pattern" : "'" + token.text + "'";
}

// Upper-cased hash name without separators: 'SHA-256', SHA256, sha_256 -> SHA256.
std::string CanonicalHashName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

class PatternParser {
 public:
  explicit PatternParser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<std::vector<PatternTerm>> Parse() {
    if (Peek().kind == TokenKind::kEnd) return ErrorAt(0, "empty pattern");
    RETURN_IF_ERROR(ParseObservationExpression(0));
    if (Peek().kind != TokenKind::kEnd) {
      return ErrorAt(Peek().offset, "expected AND, OR or end of pattern, found " + Describe(Peek()));
    }
    if (qualifier_) return *qualifier_;
    if (terms_.empty()) {
      if (!left_out_.empty()) return left_out_.front();
      // only ports, protocols and types: nothing to match
      return UnsupportedAt(0, "no comparison names a value to match");
    }
    // A value written twice is matched if any of its comparisons allows it.
    std::vector<bool> matched_alone(terms_.size(), false);
    for (const Occurrence& occurrence : occurrences_) {
      if (!occurrence.beside_hash) matched_alone[occurrence.term] = true;
    }
    for (size_t i = 0; i < terms_.size(); ++i) terms_[i].context_only = !matched_alone[i];
    return std::move(terms_);
  }

  // The comparisons left out of a pattern that gave terms.
  std::vector<std::string> LeftOut() const {
    std::vector<std::string> out;
    for (const Status& status : left_out_) out.push_back(status.message());
    return out;
  }

 private:
  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool PeekWord(std::string_view word) const {
    return Peek().kind == TokenKind::kWord && Peek().text == word;
  }

  Status Expect(TokenKind kind, std::string_view what) {
    if (Peek().kind != kind) {
      return ErrorAt(Peek().offset, "expected " + std::string(what) + ", found " + Describe(Peek()));
    }
    Take();
    return Status::Ok();
  }

  // observation ((AND | OR) observation)*
  Status ParseObservationExpression(int depth) {
    if (depth > kMaxNesting) return ErrorAt(Peek().offset, "parentheses nested too deeply");
    for (;;) {
      RETURN_IF_ERROR(ParseObservation(depth));
      if (PeekWord("AND") || PeekWord("OR")) {
        Take();
        continue;
      }
      if (PeekWord("FOLLOWEDBY")) {
        return UnsupportedAt(Peek().offset, "FOLLOWEDBY (only AND and OR are matched)");
      }
      return Status::Ok();
    }
  }

  // '[' comparisons ']' | '(' observation-expression ')', then qualifiers.
  Status ParseObservation(int depth) {
    const bool parenthesised = Peek().kind == TokenKind::kLeftParen;
    if (parenthesised) {
      Take();
      RETURN_IF_ERROR(ParseObservationExpression(depth + 1));
      RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
    } else {
      RETURN_IF_ERROR(Expect(TokenKind::kLeftBracket, "'[' or '('"));
      RETURN_IF_ERROR(ParseComparisonExpression(depth + 1));
      RETURN_IF_ERROR(Expect(TokenKind::kRightBracket, "']'"));
    }
    return ParseQualifiers(/*simple=*/!parenthesised);
  }

  // Qualifiers after an observation: WITHIN n SECONDS, REPEATS n TIMES,
  // START t'...' STOP t'...'. Valid ones are read to their end, so that a
  // malformed rest of the pattern is still found, and make the pattern
  // unsupported (Parse answers so at the end). As the OASIS validator
  // (stix2patterns) checks: one qualifier of each kind on a bracketed
  // observation; a second one makes the pattern invalid. START takes a
  // plain string too, as STIX 2.0 wrote it (the stored copy is rewritten
  // to t'...', PatternInStix21Syntax).
  Status ParseQualifiers(bool simple) {
    std::vector<std::string_view> kinds;
    for (;;) {
      const size_t offset = Peek().offset;
      std::string_view kind;
      if (PeekWord("WITHIN")) {
        kind = "WITHIN";
        Take();
        RETURN_IF_ERROR(ExpectPositiveNumber("WITHIN", /*fraction_allowed=*/true));
        RETURN_IF_ERROR(ExpectWord("SECONDS", "after WITHIN's number"));
      } else if (PeekWord("REPEATS")) {
        kind = "REPEATS";
        Take();
        RETURN_IF_ERROR(ExpectPositiveNumber("REPEATS", /*fraction_allowed=*/false));
        RETURN_IF_ERROR(ExpectWord("TIMES", "after REPEATS's number"));
      } else if (PeekWord("START")) {
        kind = "START";
        Take();
        RETURN_IF_ERROR(ExpectTimestamp("START"));
        RETURN_IF_ERROR(ExpectWord("STOP", "after START's timestamp"));
        RETURN_IF_ERROR(ExpectTimestamp("STOP"));
      } else if (PeekWord("STOP")) {
        return ErrorAt(offset, "STOP without START");
      } else {
        return Status::Ok();
      }
      if (simple && std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) {
        return ErrorAt(offset, "duplicate qualifier " + std::string(kind) + " on one observation");
      }
      kinds.push_back(kind);
      if (!qualifier_) qualifier_ = UnsupportedAt(offset, "qualifier " + std::string(kind));
    }
  }

  Status ExpectWord(std::string_view word, std::string_view where) {
    if (!PeekWord(word)) {
      return ErrorAt(Peek().offset, "expected " + std::string(word) + " " + std::string(where) + ", found " +
                                        Describe(Peek()));
    }
    Take();
    return Status::Ok();
  }

  static bool AllDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  }

  // An integer, or with `fraction_allowed` a decimal ("5", "0.5", ".5"),
  // which the tokenizer gives as words and a dot.
  Status ExpectPositiveNumber(std::string_view qualifier, bool fraction_allowed) {
    const size_t offset = Peek().offset;
    bool digits = false;
    if (Peek().kind == TokenKind::kWord && AllDigits(Peek().text)) {
      Take();
      digits = true;
    }
    if (fraction_allowed && Peek().kind == TokenKind::kDot && tokens_[next_ + 1].kind == TokenKind::kWord &&
        AllDigits(tokens_[next_ + 1].text)) {
      Take();
      Take();
      digits = true;
    }
    if (!digits) return ErrorAt(offset, "expected a number after " + std::string(qualifier));
    return Status::Ok();
  }

  // t'YYYY-MM-DDTHH:MM:SS[.s]Z' (or a plain string so written, STIX 2.0).
  Status ExpectTimestamp(std::string_view qualifier) {
    const Token& token = Peek();
    if (token.kind != TokenKind::kString || (token.prefix != 0 && token.prefix != 't') ||
        !IsStixTimestampText(token.text)) {
      return ErrorAt(token.offset, "expected a timestamp t'YYYY-MM-DDTHH:MM:SSZ' after " + std::string(qualifier) +
                                       ", found " + Describe(token));
    }
    Take();
    return Status::Ok();
  }

  static bool IsStixTimestampText(std::string_view text) {
    // "2016-06-01T00:00:00" then an optional fraction, then "Z".
    if (text.size() < 20 || text.back() != 'Z') return false;
    for (size_t i = 0; i < 19; ++i) {
      const char expected = i == 4 || i == 7 ? '-' : i == 10 ? 'T' : i == 13 || i == 16 ? ':' : '0';
      if (expected == '0' ? !(text[i] >= '0' && text[i] <= '9') : text[i] != expected) return false;
    }
    const std::string_view fraction = text.substr(19, text.size() - 20);
    return fraction.empty() || (fraction.front() == '.' && AllDigits(fraction.substr(1)));
  }

  // comparison ((AND | OR) comparison)*, AND binding tighter than OR.
  Status ParseComparisonExpression(int depth) {
    if (depth > kMaxNesting) return ErrorAt(Peek().offset, "parentheses nested too deeply");
    size_t conjunction_start = occurrences_.size();
    for (;;) {
      if (Peek().kind == TokenKind::kLeftParen) {
        Take();
        RETURN_IF_ERROR(ParseComparisonExpression(depth + 1));
        RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
      } else {
        RETURN_IF_ERROR(ParseComparison());
      }
      if (PeekWord("AND")) {
        Take();
        continue;
      }
      MarkNamesBesideHashes(conjunction_start);
      if (PeekWord("OR")) {
        Take();
        conjunction_start = occurrences_.size();
        continue;
      }
      return Status::Ok();
    }
  }

  // The comparisons from `start` on were joined by AND (parenthesised parts
  // included) and all hold for one file: when one of them is a hash, the
  // file names among them describe that file.
  void MarkNamesBesideHashes(size_t start) {
    bool has_hash = false;
    for (size_t i = start; i < occurrences_.size(); ++i) {
      has_hash = has_hash || IsHash(terms_[occurrences_[i].term].type);
    }
    if (!has_hash) return;
    for (size_t i = start; i < occurrences_.size(); ++i) {
      if (terms_[occurrences_[i].term].type == ObservableType::kFileName) {
        occurrences_[i].beside_hash = true;
      }
    }
  }

  static bool IsNumberOrBoolean(std::string_view word) {
    if (word == "true" || word == "false") return true;
    if (!word.empty() && word.front() == '-') word.remove_prefix(1);
    return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
  }

  static bool IsHash(ObservableType type) {
    return type == ObservableType::kMd5 || type == ObservableType::kSha1 ||
           type == ObservableType::kSha256;
  }

  Status ParseComparison() {
    const size_t path_offset = Peek().offset;
    std::string path;
    RETURN_IF_ERROR(ParseObjectPath(path));
    if (!IsConstraintOnly(path) && !ReferencePrefix(path) && !TypeForPath(path, "")) {
      return LeaveOut(path_offset, path);
    }
    if (PeekWord("NOT")) return UnsupportedAt(Peek().offset, "NOT (only '=' is matched)");
    const Token& op = Peek();
    // "address ISSUBSET 'network'" is what a CIDR indicator means: any
    // address in the network.
    const bool subset = op.kind == TokenKind::kWord && op.text == "ISSUBSET" && IsAddressPath(path);
    if (op.kind == TokenKind::kWord && !subset && IsOperatorKeyword(op.text)) {
      return UnsupportedAt(op.offset, "operator " + op.text + " (only '=' is matched)");
    }
    if (op.kind != TokenKind::kOperator && !subset) {
      return ErrorAt(op.offset, "expected a comparison operator after " + path + ", found " + Describe(op));
    }
    if (op.text != "=" && !subset) {
      return UnsupportedAt(op.offset, "operator " + op.text + " (only '=' is matched)");
    }
    const size_t op_offset = Take().offset;
    const Token& value = Peek();
    // A port is an integer in STIX ("network-traffic:dst_port = 443", as
    // stix2 and OpenCTI write it); a constraint only narrows the match, so
    // a number or a boolean there is as good as a quoted string.
    if (IsConstraintOnly(path) && value.kind == TokenKind::kWord && IsNumberOrBoolean(value.text)) {
      Take();
      return Status::Ok();
    }
    if (value.kind != TokenKind::kString || value.prefix != 0) {
      if (value.kind == TokenKind::kEnd || value.kind == TokenKind::kRightBracket) {
        return ErrorAt(value.offset, "expected a value after the operator");
      }
      return UnsupportedAt(value.offset, "value of " + path + " must be a quoted string");
    }
    const size_t value_offset = value.offset;
    const std::string text = Take().text;
    if (subset && text.find('/') == std::string::npos) {
      return UnsupportedAt(op_offset, "ISSUBSET of '" + text + "', which is not a network");
    }
    // The port or protocol of a connection narrows it; the address is what
    // is matched ("[network-traffic:dst_ref.value = 'x' AND
    // network-traffic:dst_port = '443']", as MISP writes an ip-dst|port).
    if (IsConstraintOnly(path)) return Status::Ok();
    std::optional<ObservableType> type;
    if (auto reference = ReferencePrefix(path)) {
      // "network-traffic:dst_ref.type = 'ipv4-addr' AND
      // network-traffic:dst_ref.value = '203.0.113.5'": MISP's STIX export
      // of every ip-dst and ip-src; domain-name:resolves_to_refs[*] and
      // email-message:from_ref likewise name another object's value.
      const std::string_view property = std::string_view(path).substr(reference->size() + 1);
      if (property == "type") {
        reference_types_[*reference] = text;
        if (!ReferencedType(text, "0.0.0.0")) {
          left_out_.push_back(UnsupportedAt(path_offset, *reference + " of type '" + text + "'"));
        }
        return Status::Ok();
      }
      auto declared = reference_types_.find(*reference);
      if (declared != reference_types_.end() && !ReferencedType(declared->second, text)) {
        return Status::Ok();  // left out with its type comparison
      }
      type = declared != reference_types_.end()        ? ReferencedType(declared->second, text)
             : reference->starts_with("email-message:") ? std::optional(ObservableType::kEmail)
                                                         : TypeOfAddressOrName(text);
    } else {
      type = TypeForPath(path, text);
      // As the OASIS pattern validator (stix2patterns) checks a hash: a
      // value of the wrong length or not hex makes the pattern invalid, so
      // the indicator is not stored to be served on.
      if (type && IsHash(*type)) {
        const size_t digits = *type == ObservableType::kMd5 ? 32 : *type == ObservableType::kSha1 ? 40 : 64;
        if (text.size() != digits ||
            !std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
          const char* name = *type == ObservableType::kMd5 ? "MD5" : *type == ObservableType::kSha1 ? "SHA-1" : "SHA-256";
          return ErrorAt(value_offset, "'" + text + "' is not a valid " + name + " hash (" + std::to_string(digits) +
                                           " hex digits)");
        }
      }
    }
    if (!type) {
      left_out_.push_back(UnsupportedAt(path_offset, path));
      return Status::Ok();
    }
    size_t index = 0;
    while (index < terms_.size() && !(terms_[index].type == *type && terms_[index].value == text)) {
      ++index;
    }
    if (index == terms_.size()) terms_.push_back(PatternTerm{*type, text});
    occurrences_.push_back(Occurrence{index});
    return Status::Ok();
  }

  static bool IsOperatorKeyword(std::string_view word) {
    for (std::string_view keyword : {"IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"}) {
      if (word == keyword) return true;
    }
    return false;
  }

  // A comparison on a property that names no value Accord matches: read to
  // its end (so that what follows is still checked) and remembered, named
  // by its operator when that is not '=' as for any other path.
  Status LeaveOut(size_t path_offset, const std::string& path) {
    std::optional<Status> reason;
    if (PeekWord("NOT")) {
      reason = UnsupportedAt(Peek().offset, "NOT (only '=' is matched)");
      Take();
    }
    const Token& op = Peek();
    const bool keyword = op.kind == TokenKind::kWord && IsOperatorKeyword(op.text);
    if (!keyword && op.kind != TokenKind::kOperator) {
      return ErrorAt(op.offset, "expected a comparison operator after " + path + ", found " + Describe(op));
    }
    if (!reason && op.text != "=") reason = UnsupportedAt(op.offset, "operator " + op.text + " (only '=' is matched)");
    if (!reason) reason = UnsupportedAt(path_offset, path);
    Take();
    if (Peek().kind == TokenKind::kLeftParen) {  // IN ('a', 'b')
      Take();
      while (Peek().kind == TokenKind::kString || Peek().kind == TokenKind::kWord ||
             Peek().kind == TokenKind::kComma) {
        Take();
      }
      RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after the list of values"));
    } else if (Peek().kind == TokenKind::kString || Peek().kind == TokenKind::kWord) {
      Take();
    } else {
      return ErrorAt(Peek().offset, "expected a value after the operator");
    }
    left_out_.push_back(std::move(*reason));
    return Status::Ok();
  }

  static bool IsAddressPath(std::string_view path) {
    return path == "ipv4-addr:value" || path == "ipv6-addr:value" ||
           ((path.ends_with("_ref.value") || path.ends_with("_refs[*].value")) &&
            !path.starts_with("email-message:"));
  }

  static bool IsConstraintOnly(std::string_view path) {
    return path == "network-traffic:dst_port" || path == "network-traffic:src_port" ||
           path.starts_with("network-traffic:protocols[");
  }

  // "network-traffic:dst_ref" for "network-traffic:dst_ref.value" (and
  // .type): a reference property (..._ref, ..._refs[i]) followed by the
  // referenced object's value or type. nullopt for any other path.
  static std::optional<std::string> ReferencePrefix(std::string_view path) {
    const size_t dot = path.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view property = path.substr(dot + 1);
    if (property != "value" && property != "type") return std::nullopt;
    std::string_view prefix = path.substr(0, dot);
    std::string_view last = prefix.substr(prefix.find_last_of(":.") + 1);
    if (const size_t index = last.find('['); index != std::string_view::npos) {
      if (!last.ends_with("]")) return std::nullopt;
      last = last.substr(0, index);
      if (!last.ends_with("_refs")) return std::nullopt;
    } else if (!last.ends_with("_ref")) {
      return std::nullopt;
    }
    return std::string(prefix);
  }

  // The observable a referenced object of STIX type `stix_type` holds.
  static std::optional<ObservableType> ReferencedType(std::string_view stix_type, std::string_view value) {
    const bool network = value.find('/') != std::string_view::npos;
    if (stix_type == "ipv4-addr") return network ? ObservableType::kCidr : ObservableType::kIpv4;
    if (stix_type == "ipv6-addr") return network ? ObservableType::kCidr : ObservableType::kIpv6;
    if (stix_type == "domain-name") return ObservableType::kDomain;
    if (stix_type == "email-addr") return ObservableType::kEmail;
    if (stix_type == "url") return ObservableType::kUrl;
    return std::nullopt;
  }

  // A connection's end or a resolution, by its shape: an address (v4 has
  // only digits and dots, v6 a colon; either may be a network) or a name.
  static std::optional<ObservableType> TypeOfAddressOrName(std::string_view value) {
    if (value.find(':') != std::string_view::npos) return ReferencedType("ipv6-addr", value);
    const bool dotted_digits = !value.empty() && value.find_first_not_of("0123456789./") == std::string_view::npos;
    return dotted_digits ? ReferencedType("ipv4-addr", value) : ObservableType::kDomain;
  }

  // object-type ':' property ('.' property | '[' index ']')*, written back
  // as text ("file:hashes.SHA-256") for matching and messages.
  Status ParseObjectPath(std::string& path) {
    if (Peek().kind != TokenKind::kWord) {
      return ErrorAt(Peek().offset, "expected an object path, found " + Describe(Peek()));
    }
    path = Take().text;
    RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' after the object type"));
    // A name, or quoted ('x-name'), as 2.1 writes one with a hyphen.
    if ((Peek().kind != TokenKind::kWord && Peek().kind != TokenKind::kString) || Peek().prefix != 0) {
      return ErrorAt(Peek().offset, "expected a property name, found " + Describe(Peek()));
    }
    path += ":" + Take().text;
    for (;;) {
      if (Peek().kind == TokenKind::kDot) {
        Take();
        if ((Peek().kind != TokenKind::kWord && Peek().kind != TokenKind::kString) || Peek().prefix != 0) {
          return ErrorAt(Peek().offset, "expected a property name after '.'");
        }
        path += "." + Take().text;
      } else if (Peek().kind == TokenKind::kLeftBracket) {
        Take();
        if (Peek().kind != TokenKind::kWord && Peek().kind != TokenKind::kStar) {
          return ErrorAt(Peek().offset, "expected a list index or '*'");
        }
        path += "[" + Take().text + "]";
        RETURN_IF_ERROR(Expect(TokenKind::kRightBracket, "']' after the list index"));
      } else {
        return Status::Ok();
      }
    }
  }

  static std::optional<ObservableType> TypeForPath(std::string_view path, std::string_view value) {
    const bool network = value.find('/') != std::string_view::npos;
    if (path == "ipv4-addr:value") return network ? ObservableType::kCidr : ObservableType::kIpv4;
    if (path == "ipv6-addr:value") return network ? ObservableType::kCidr : ObservableType::kIpv6;
    // OpenCTI writes its Hostname and Cryptocurrency-Wallet observables
    // with their own types and a `value` (x-opencti-* before OpenCTI 5).
    if (path == "domain-name:value" || path == "hostname:value" || path == "x-opencti-hostname:value") {
      return ObservableType::kDomain;
    }
    if (path == "url:value") return ObservableType::kUrl;
    if (path == "email-addr:value") return ObservableType::kEmail;
    if (path == "file:name") return ObservableType::kFileName;
    if (path == "cryptocurrency-wallet:address" || path == "x-cryptocurrency-wallet:address" ||
        path == "cryptocurrency-wallet:value" || path == "x-opencti-cryptocurrency-wallet:value") {
      return ObservableType::kWallet;
    }
    // A certificate's fingerprint is matched as the hash it is (TLS
    // telemetry carries it; abuse.ch SSLBL lists them).
    for (std::string_view hashes : {"file:hashes.", "x509-certificate:hashes."}) {
      if (!path.starts_with(hashes)) continue;
      const std::string hash = CanonicalHashName(path.substr(hashes.size()));
      if (hash == "MD5") return ObservableType::kMd5;
      if (hash == "SHA1") return ObservableType::kSha1;
      if (hash == "SHA256") return ObservableType::kSha256;
    }
    return std::nullopt;
  }

  std::vector<Token> tokens_;
  size_t next_ = 0;
  // Every comparison that gave a term, in order, including repeats of a
  // value (terms_ holds each value once).
  struct Occurrence {
    size_t term = 0;
    bool beside_hash = false;  // a file name ANDed with a hash of its file
  };
  std::vector<PatternTerm> terms_;
  std::vector<Occurrence> occurrences_;
  std::vector<Status> left_out_;  // comparisons on properties that name no matched value
  std::map<std::string, std::string> reference_types_;  // "network-traffic:dst_ref" -> "ipv4-addr"
  std::optional<Status> qualifier_;  // the first qualifier read: valid, not matched
};

}  // namespace

Result<std::vector<PatternTerm>> ParsePattern(std::string_view pattern,
                                              std::vector<std::string>* not_matched) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(pattern));
  PatternParser parser(std::move(tokens));
  auto terms = parser.Parse();
  if (terms.ok() && not_matched != nullptr) *not_matched = parser.LeftOut();
  return terms;
}

}  // namespace accord
