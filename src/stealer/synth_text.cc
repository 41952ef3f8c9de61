// The synthetic generator's text side: encodings, FolderBuilder and the
// pieces several families write; see synth_internal.h.
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stealer/synth_internal.h"

namespace accord::stealer::synth_internal {

// ---------------------------------------------------------------------------
// Text and encodings.

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf16Le:
      return "utf-16le";
    case Encoding::kCp1252:
      return "windows-1252";
    case Encoding::kUtf8:
      break;
  }
  return "utf-8";
}

namespace {

// Our own strings are valid UTF-8, so the decoder need not defend itself.
std::vector<char32_t> CodePoints(std::string_view utf8) {
  std::vector<char32_t> out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const int extra = lead < 0x80 ? 0 : lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? lead : lead & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < utf8.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

std::string ToUtf16Le(std::string_view utf8) {
  std::string out = "\xFF\xFE";
  auto unit = [&out](uint32_t u) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  };
  for (char32_t cp : CodePoints(utf8)) {
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

// Windows-1252 bytes 0x80..0x9F (0 = unassigned); 0xA0..0xFF equal Latin-1.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string ToCp1252(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (char32_t cp : CodePoints(utf8)) {
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    // Every value the generator uses is representable; '?' is what Windows
    // itself writes otherwise.
    char byte = '?';
    for (int k = 0; k < 32; ++k)
      if (kCp1252High[k] != 0 && kCp1252High[k] == cp) byte = static_cast<char>(0x80 + k);
    out.push_back(byte);
  }
  return out;
}

}  // namespace

void FolderBuilder::Text(const std::string& path, std::string_view text) {
  std::string lines;
  if (crlf_) {
    lines.reserve(text.size() + text.size() / 16);
    for (char c : text) {
      if (c == '\n') lines.push_back('\r');
      lines.push_back(c);
    }
  } else {
    lines.assign(text);
  }
  switch (encoding_) {
    case Encoding::kUtf8:
      files_[path] = std::move(lines);
      break;
    case Encoding::kUtf16Le:
      files_[path] = ToUtf16Le(lines);
      break;
    case Encoding::kCp1252:
      files_[path] = ToCp1252(lines);
      break;
  }
}

std::string FakeJpeg() { return std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\xFF\xD9", 14); }
std::string FakePng() { return std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\x00IEND", 16); }

// ---------------------------------------------------------------------------
// Pieces several families write.

// The country's layout, plus US English as most machines also have it.
std::vector<std::string> Keyboards(const Country& country) {
  std::vector<std::string> layouts = {country.language};
  if (layouts[0] != "English (United States)") layouts.emplace_back("English (United States)");
  return layouts;
}

Civil LocalInfected(const Victim& v) {
  return ToCivil(v.infected + v.country->offset_hours * 3600);
}
Civil LocalInstalled(const Victim& v) {
  return ToCivil(v.installed + v.country->offset_hours * 3600);
}

namespace {

std::string CookieLine(const Cookie& cookie) {
  return fmt::format("{}\t{}\t/\t{}\t{}\t{}\t{}\n", cookie.host, cookie.flag ? "TRUE" : "FALSE",
                     cookie.secure ? "TRUE" : "FALSE", cookie.expires, cookie.name, cookie.value);
}

}  // namespace

std::string CookieFile(const BrowserProfile& profile) {
  std::string out;
  for (const Cookie& cookie : profile.cookies) out += CookieLine(cookie);
  return out;
}

}  // namespace accord::stealer::synth_internal
