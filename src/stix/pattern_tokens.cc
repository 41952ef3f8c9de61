// The STIX pattern tokenizer (pattern_tokens.h).
#include "stix/pattern_tokens.h"

#include <cctype>

namespace accord::stix_internal {
namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

}  // namespace

Status PatternErrorAt(size_t offset, std::string_view what) {
  return Status::Invalid("pattern offset " + std::to_string(offset) + ": " + std::string(what));
}

Result<std::vector<Token>> Tokenize(std::string_view pattern) {
  std::vector<Token> tokens;
  size_t pos = 0;
  while (pos < pattern.size()) {
    const char c = pattern[pos];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++pos;
      continue;
    }
    Token token;
    token.offset = pos;
    const bool typed_literal = (c == 't' || c == 'h' || c == 'b') && pos + 1 < pattern.size() &&
                               pattern[pos + 1] == '\'';
    if (c == '\'' || typed_literal) {
      if (typed_literal) {
        token.prefix = c;
        ++pos;
      }
      ++pos;  // opening quote
      bool closed = false;
      while (pos < pattern.size()) {
        const char s = pattern[pos];
        if (s == '\\') {
          if (pos + 1 >= pattern.size()) break;
          const char next = pattern[pos + 1];
          if (next != '\'' && next != '\\') {
            return PatternErrorAt(pos, "invalid escape '\\" + std::string(1, next) +
                                    "' in string (only \\' and \\\\ are allowed)");
          }
          token.text.push_back(next);
          pos += 2;
          continue;
        }
        ++pos;
        if (s == '\'') {
          closed = true;
          break;
        }
        token.text.push_back(s);
      }
      if (!closed) return PatternErrorAt(token.offset, "unterminated string");
      token.kind = TokenKind::kString;
    } else if (IsWordChar(c)) {
      while (pos < pattern.size() && IsWordChar(pattern[pos])) token.text.push_back(pattern[pos++]);
      token.kind = TokenKind::kWord;
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      token.text.push_back(c);
      ++pos;
      if (pos < pattern.size() && pattern[pos] == '=') token.text.push_back(pattern[pos++]);
      if (token.text == "!") return PatternErrorAt(token.offset, "unexpected '!'");
      token.kind = TokenKind::kOperator;
    } else {
      token.text = std::string(1, c);
      ++pos;
      switch (c) {
        case '[': token.kind = TokenKind::kLeftBracket; break;
        case ']': token.kind = TokenKind::kRightBracket; break;
        case '(': token.kind = TokenKind::kLeftParen; break;
        case ')': token.kind = TokenKind::kRightParen; break;
        case ':': token.kind = TokenKind::kColon; break;
        case '.': token.kind = TokenKind::kDot; break;
        case ',': token.kind = TokenKind::kComma; break;
        case '*': token.kind = TokenKind::kStar; break;
        default:
          return PatternErrorAt(token.offset, "unexpected character '" + token.text + "'");
      }
    }
    tokens.push_back(std::move(token));
  }
  Token end;
  end.offset = pattern.size();
  tokens.push_back(end);
  return tokens;
}

}  // namespace accord::stix_internal
