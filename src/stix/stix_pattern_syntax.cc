// PatternInStix21Syntax (stix.h): older spellings of a STIX pattern written
// as 2.1's grammar wants them, edit by edit on the tokens' offsets, so the
// rest of the pattern stays byte for byte.
#include <optional>
#include <string>
#include <vector>

#include "stix/pattern_tokens.h"
#include "stix/stix.h"

namespace accord {

using stix_internal::Token;
using stix_internal::TokenKind;

std::optional<std::string> PatternInStix21Syntax(std::string_view pattern) {
  auto tokens = stix_internal::Tokenize(pattern);
  if (!tokens.ok()) return std::nullopt;
  // Edits by offset in the pattern, in order: text to insert there, and how
  // many bytes of the pattern it replaces.
  struct Edit {
    size_t offset;
    size_t replaced;
    std::string text;
  };
  std::vector<Edit> edits;
  const std::vector<Token>& list = *tokens;
  for (size_t i = 1; i < list.size(); ++i) {
    const Token& token = list[i];
    const Token& before = list[i - 1];
    // A path component after ':' or '.' with a hyphen ("hashes.SHA-256",
    // "extensions.windows-pebinary-ext"): 2.1 names it only quoted. (The
    // object type before ':' may hold hyphens; a number's fraction has none.)
    if (token.kind == TokenKind::kWord && (before.kind == TokenKind::kColon || before.kind == TokenKind::kDot) &&
        token.text.find('-') != std::string::npos) {
      edits.push_back({token.offset, token.text.size(), "'" + token.text + "'"});
    }
    // START '2016-...' (2.0): 2.1 types the literal, t'2016-...'.
    if (token.kind == TokenKind::kString && token.prefix == 0 && before.kind == TokenKind::kWord &&
        (before.text == "START" || before.text == "STOP")) {
      edits.push_back({token.offset, 0, "t"});
    }
  }
  if (edits.empty()) return std::nullopt;
  std::string out;
  size_t copied = 0;
  for (const Edit& edit : edits) {
    out.append(pattern.substr(copied, edit.offset - copied));
    out += edit.text;
    copied = edit.offset + edit.replaced;
  }
  out.append(pattern.substr(copied));
  return out;
}

}  // namespace accord
