// A command's configuration file (TOML or YAML, read by config/config.h),
// applied to its CLI11 options: each key is a flag's long name ('_' or
// '-'), at the top or in a table named after the command, and sets that
// flag unless the command line gave it, over any ACCORD_* variable (flags >
// file > environment). `data` sets the node's directory. Unknown keys and
// tables, and values the flag's checks refuse, are errors naming the
// source, the line and the key.
//
// Header-only so that fuzz/fuzz_config.cc can hold it to that on any input.
#pragma once

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/status.h"

namespace accord::cli {

inline bool OnCommandLine(const std::vector<std::string>& args, const std::string& flag) {
  return std::any_of(args.begin(), args.end(), [&flag](const std::string& arg) {
    return arg == flag || arg.starts_with(flag + "=");
  });
}

// Applies `settings` (config/config.h) to `command`. `args`: the command
// line (argv without the program); `source` names the file in errors
// ("--config accord.toml"), with the setting's line.
inline Status ApplySettings(CLI::App& command, const std::vector<config::Setting>& settings,
                            const std::string& source, const std::vector<std::string>& args,
                            std::string& data_dir) {
  std::map<std::string, int> lines;  // each flag's setting, by line
  for (const config::Setting& setting : settings) {
    const std::string where = fmt::format("{}:{}", source, setting.line);
    std::string key = setting.key;
    std::replace(key.begin(), key.end(), '_', '-');
    const std::string flag = "--" + key;
    // At the top and in the command's table, or as max_body_mb and
    // max-body-mb: the later would silently win.
    if (auto [earlier, first] = lines.emplace(key, setting.line); !first) {
      return Status::Invalid(fmt::format("{}: {}: given twice (also on line {})", where, setting.key, earlier->second));
    }
    if (key == "data") {  // the global --data
      if (setting.values.size() != 1) return Status::Invalid(fmt::format("{}: data: one directory", where));
      if (!OnCommandLine(args, flag)) data_dir = setting.values.front();
      continue;
    }
    CLI::Option* option = key.empty() ? nullptr : command.get_option_no_throw(flag);
    if (option == nullptr || key == "config" || key == "help") {
      return Status::Invalid(fmt::format("{}: unknown key '{}'", where, setting.key));
    }
    if (OnCommandLine(args, flag)) continue;
    if (setting.values.empty()) return Status::Invalid(fmt::format("{}: {}: an empty list", where, setting.key));
    if (setting.values.size() > 1 && option->get_expected_max() <= 1) {
      return Status::Invalid(fmt::format("{}: {}: takes one value, not a list", where, setting.key));
    }
    try {
      option->clear();
      for (const std::string& value : setting.values) option->add_result(value);
      option->run_callback();
    } catch (const std::exception& error) {
      return Status::Invalid(fmt::format("{}: {}: {}", where, setting.key, error.what()));
    }
  }
  return Status::Ok();
}

// Reads `text` (TOML, or YAML for a .yaml/.yml `path`) and applies it to
// `command` (above): its settings at the top or under the command's name.
inline Status ApplyConfig(CLI::App& command, std::string_view text, const std::string& path,
                          const std::string& source, const std::vector<std::string>& args,
                          std::string& data_dir) {
  auto settings = config::ReadSettings(text, config::FormatOf(path), source, command.get_name());
  if (!settings.ok()) return settings.status();
  return ApplySettings(command, *settings, source, args, data_dir);
}

}  // namespace accord::cli
