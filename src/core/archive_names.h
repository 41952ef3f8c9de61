// Archive entry names as their writers meant them. libarchive converts an
// entry's name from the archive's charset to the current locale's; in the C
// locale (Accord sets none) a zip name with a byte above 0x7F, which 7-Zip
// and WinRAR write as UTF-8 for any accented or Cyrillic folder name, fails
// to convert: the name is NULL and the entry was skipped in silence (a
// stealer log's victims from half the world). A Utf8ArchiveNames scope reads
// entry headers with a UTF-8 locale, in the calling thread only, and puts
// the thread's locale back when it ends.
#pragma once

#include <locale.h>

namespace accord {

class Utf8ArchiveNames {
 public:
  Utf8ArchiveNames();
  ~Utf8ArchiveNames();
  Utf8ArchiveNames(const Utf8ArchiveNames&) = delete;
  Utf8ArchiveNames& operator=(const Utf8ArchiveNames&) = delete;

 private:
  locale_t utf8_ = static_cast<locale_t>(0);
  locale_t previous_ = static_cast<locale_t>(0);
};

}  // namespace accord
