#include "core/archive_names.h"

namespace accord {

Utf8ArchiveNames::Utf8ArchiveNames() {
  // glibc has C.UTF-8 built in (Debian 12); without it names stay as the
  // C locale reads them, and the callers report what they cannot name.
  utf8_ = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (utf8_ != static_cast<locale_t>(0)) previous_ = uselocale(utf8_);
}

Utf8ArchiveNames::~Utf8ArchiveNames() {
  if (utf8_ == static_cast<locale_t>(0)) return;
  uselocale(previous_);
  freelocale(utf8_);
}

}  // namespace accord
