// A command's configuration file (TOML), applied to its CLI11 options:
// each key is a flag's long name ('_' or '-'), at the top or in a table
// named after the command, and sets that flag unless the command line gave
// it, over any ACCORD_* variable (flags > file > environment). `data` sets
// the node's directory. Unknown keys and tables, and values the flag's
// checks refuse, are errors naming the source and the key.
//
// Header-only so that fuzz/fuzz_config.cc can hold it to that on any input.
#pragma once

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <istream>
#include <string>
#include <vector>

#include "core/status.h"

namespace accord::cli {

inline bool OnCommandLine(const std::vector<std::string>& args, const std::string& flag) {
  return std::any_of(args.begin(), args.end(), [&flag](const std::string& arg) {
    return arg == flag || arg.starts_with(flag + "=");
  });
}

// `args`: the command line (argv without the program); `source` names the
// file in errors ("--config accord.toml").
inline Status ApplyConfig(CLI::App& command, std::istream& in, const std::string& source,
                          const std::vector<std::string>& args, std::string& data_dir) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(in);
  } catch (const std::exception& error) {
    return Status::Invalid(fmt::format("{}: {}", source, error.what()));
  }
  const std::string table = command.get_name();
  for (const CLI::ConfigItem& item : items) {
    if (!(item.parents.empty() || (item.parents.size() == 1 && item.parents[0] == table))) {
      return Status::Invalid(fmt::format("{}: unknown table [{}]", source, fmt::join(item.parents, ".")));
    }
    if (item.name == "++" || item.name == "--") continue;  // CLI11's marks for a table's start and end
    std::string key = item.name;
    std::replace(key.begin(), key.end(), '_', '-');
    const std::string flag = "--" + key;
    if (key == "data") {  // the global --data
      if (!OnCommandLine(args, flag) && !item.inputs.empty()) data_dir = item.inputs.front();
      continue;
    }
    CLI::Option* option = key.empty() ? nullptr : command.get_option_no_throw(flag);
    if (option == nullptr || key == "config") {
      return Status::Invalid(fmt::format("{}: unknown key '{}'", source, item.name));
    }
    if (OnCommandLine(args, flag)) continue;
    try {
      option->clear();
      for (const std::string& value : item.inputs) option->add_result(value);
      option->run_callback();
    } catch (const std::exception& error) {
      return Status::Invalid(fmt::format("{}: {}: {}", source, item.name, error.what()));
    }
  }
  return Status::Ok();
}

}  // namespace accord::cli
