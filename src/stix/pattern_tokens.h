// The STIX pattern tokenizer, shared by the parser (stix_pattern.cc) and
// the 2.1 spelling of older patterns (stix_pattern_syntax.cc). Internal to
// stix/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace accord::stix_internal {

enum class TokenKind {
  kEnd,
  kLeftBracket,
  kRightBracket,
  kLeftParen,
  kRightParen,
  kColon,
  kDot,
  kComma,
  kWord,      // identifiers, keywords, numbers: [A-Za-z0-9_-]+
  kString,    // '...' with \' and \\ undone
  kOperator,  // = != < > <= >=
  kStar,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // word, operator, or unescaped string
  size_t offset = 0;
  char prefix = 0;   // t, h or b for typed literals (t'...', h'...', b'...')
};

// "pattern offset N: what": a malformed pattern (kInvalidArgument).
Status PatternErrorAt(size_t offset, std::string_view what);

// Words ([A-Za-z0-9_-]+), strings ('...' with \' and \\ undone; t'', h''
// and b'' typed), operators and punctuation, each with its offset, then a
// kEnd token. A stray character or a bad escape is an error naming where.
Result<std::vector<Token>> Tokenize(std::string_view pattern);

}  // namespace accord::stix_internal
