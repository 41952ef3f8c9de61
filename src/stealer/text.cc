// Text decoding for stealer logs: .NET families write UTF-8, native ones
// often the machine's ANSI code page, and resellers sometimes re-save files
// as UTF-16. Conversion goes through glibc's iconv.
#include <iconv.h>

#include <algorithm>
#include <cerrno>

#include "stealer/stealer.h"

namespace accord::stealer {
namespace {

bool ValidUtf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    size_t length = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0 && c >= 0xC2) length = 2;
    else if ((c & 0xF0) == 0xE0) length = 3;
    else if ((c & 0xF8) == 0xF0 && c <= 0xF4) length = 4;
    else return false;
    if (i + length > bytes.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

// Converts with iconv; a sequence the source encoding cannot hold becomes
// U+FFFD and decoding goes on (one bad byte must not lose a whole file).
std::string Convert(std::string_view bytes, const char* from, size_t unit) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::string(bytes);
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    const size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      const size_t used = static_cast<size_t>(out_ptr - out.data());
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    // EILSEQ or EINVAL (a truncated last unit): replace and skip one unit.
    const size_t skip = std::min(unit, in_left);
    in_ptr += skip;
    in_left -= skip;
    if (out_left < 3) {
      const size_t used = static_cast<size_t>(out_ptr - out.data());
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
    }
    out_ptr[0] = static_cast<char>(0xEF);
    out_ptr[1] = static_cast<char>(0xBF);
    out_ptr[2] = static_cast<char>(0xBD);
    out_ptr += 3;
    out_left -= 3;
  }
  iconv_close(cd);
  out.resize(static_cast<size_t>(out_ptr - out.data()));
  return out;
}

// UTF-16LE without a byte-order mark (some resellers' re-saves): text whose
// every other byte is NUL, the high byte of Latin characters.
bool LooksUtf16Le(std::string_view bytes) {
  const size_t pairs = std::min<size_t>(bytes.size() / 2, 256);
  if (pairs < 4) return false;
  size_t high_nul = 0, low_nul = 0;
  for (size_t i = 0; i < pairs; ++i) {
    if (bytes[2 * i + 1] == '\0') ++high_nul;
    if (bytes[2 * i] == '\0') ++low_nul;
  }
  return high_nul * 10 >= pairs * 9 && low_nul * 10 <= pairs;
}

}  // namespace

std::string DecodeText(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  else if (bytes.starts_with("\xFF\xFE")) return Convert(bytes.substr(2), "UTF-16LE", 2);
  else if (bytes.starts_with("\xFE\xFF")) return Convert(bytes.substr(2), "UTF-16BE", 2);
  else if (LooksUtf16Le(bytes)) return Convert(bytes, "UTF-16LE", 2);
  if (ValidUtf8(bytes)) return std::string(bytes);
  // Line by line: a UTF-8 log with one ANSI line pasted in (a reseller's
  // "(c)" banner) keeps its UTF-8 lines, so a password's SHA-1 is the one
  // the victim's own bytes give; only the lines that are not UTF-8 are read
  // as Windows-1252.
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    const std::string_view line = bytes.substr(0, newline == std::string_view::npos ? bytes.size() : newline + 1);
    if (ValidUtf8(line)) {
      out.append(line);
    } else {
      out += Convert(line, "WINDOWS-1252", 1);
    }
    bytes.remove_prefix(line.size());
  }
  return out;
}

}  // namespace accord::stealer
