// A command's configuration file read into settings, before any command
// sees them: TOML (toml++) or YAML (libyaml), by the file's name. Each
// setting is a key at the top of the file or in the one table (TOML) or
// mapping (YAML) named after the command, with one value or a list of
// values, each as text. Both parsers are strict: a broken quote, a value
// that is not one (`listen = 127.0.0.1:8470` in TOML), a key given twice,
// another table, or a nested list is an error naming the file, the line
// and, where there is one, the key. cli/config_file.h applies the settings
// to a command's flags.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace accord::config {

enum class Format { kToml, kYaml };

// YAML for a name ending in .yaml or .yml (any case), TOML otherwise.
Format FormatOf(std::string_view path);

struct Setting {
  std::string key;                  // as written ("max_body_mb", "max-body-mb")
  std::vector<std::string> values;  // one for a scalar; a list's items in order
  int line = 0;                     // where the key is, from 1
};

// The settings of `text` at the top and in the table/mapping `section`, in
// the order written. `source` starts every error ("--config accord.toml"),
// followed by ":LINE:". Booleans are "true"/"false", numbers as written in
// decimal. A file over 1 MiB is refused unread.
Result<std::vector<Setting>> ReadSettings(std::string_view text, Format format, std::string_view source,
                                          std::string_view section);

}  // namespace accord::config
