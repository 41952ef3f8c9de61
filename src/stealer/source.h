// Where stealer logs come from: folders, and archives (zip, 7z, tar, gzip,
// rar through libarchive; password-protected zip with the password given),
// archives inside archives, and folders inside both. ForEachMachine finds
// each machine folder (a folder with a system-information file of a known
// family at its root, else a passwords file not below another machine) and
// hands over its text files; everything else is reported as a problem with
// its path, never skipped in silence.
//
// Folders are walked depth first: a machine folder is read whole when the
// walk reaches it and released before the next, so memory is bounded by one
// machine whatever the number of machines. Archives can only be read in
// their own order, so they are read twice: first the names only (cheap: no
// data is decompressed), to find the machine folders and how many entries
// each has, then the data, releasing each machine as soon as its last entry
// is read. Their memory is one machine (archives written folder by folder)
// plus a small count per folder, within the limits below.
//
// Nothing is ever written to disk, so a hostile entry name ("../../etc")
// cannot escape; such names are still reported.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "stealer/stealer.h"

namespace accord::stealer {

struct SourceLimits {
  int64_t max_file_bytes = 64ll << 20;     // one text file (larger ones are reported)
  int64_t max_archive_bytes = 16ll << 30;  // decompressed bytes of one archive, nested included
  int64_t max_nested_bytes = 1ll << 30;    // an archive inside an archive is read into memory
  int64_t max_ratio = 200;                 // decompressed/compressed, checked past 16 MiB
  int max_depth = 4;                       // archives inside archives
};

struct SourceOptions {
  SourceLimits limits;
  std::string password;  // for encrypted zip entries
};

// A problem with part of a source: an unknown layout, an unreadable or
// encrypted file, an unsafe name, a limit hit. `path` names it inside its
// archives ("logs.zip!/batch2.7z!/US[...]/Passwords.txt").
struct SourceProblem {
  std::string path;
  std::string reason;
};

using MachineFn = std::function<Status(const std::string& path, const MachineFiles& files)>;
using ProblemFn = std::function<void(const SourceProblem& problem)>;

// Walks `path` (a folder or an archive file). A non-ok status from
// `machine` stops the walk and is returned; problems never stop it. Errors
// opening `path` itself are returned with the path.
Status ForEachMachine(const std::string& path, const SourceOptions& options,
                      const MachineFn& machine, const ProblemFn& problem);

// Is this file name an archive ForEachMachine opens (by its extension)?
bool IsArchiveName(std::string_view name);

}  // namespace accord::stealer
