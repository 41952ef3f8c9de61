// Test helpers for the stealer module: synthetic machines written as real
// folders and archives (zip, 7z, tar.gz, encrypted zip) with libarchive's
// writer, so the readers meet the same bytes a partner would hand over.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <utility>
#include <vector>

#include "stealer/synth.h"
#include "testing/testing.h"

namespace accord::stealer::testing {

struct ArchiveEntry {
  std::string name;
  std::string bytes;
};

// "zip", "7zip", "tar.gz"; `passphrase` makes an encrypted zip.
inline std::string WriteArchive(const std::string& path, const std::vector<ArchiveEntry>& entries,
                                const std::string& format, const std::string& passphrase = "") {
  archive* a = archive_write_new();
  if (format == "zip") {
    archive_write_set_format_zip(a);
    if (!passphrase.empty()) {
      archive_write_set_options(a, "zip:encryption=zipcrypt");
      archive_write_set_passphrase(a, passphrase.c_str());
    }
  } else if (format == "7zip") {
    archive_write_set_format_7zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
  }
  if (archive_write_open_filename(a, path.c_str()) != ARCHIVE_OK) {
    std::string error = archive_error_string(a);
    archive_write_free(a);
    return error;
  }
  for (const ArchiveEntry& entry : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, entry.name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(entry.bytes.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, entry.bytes.data(), entry.bytes.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return "";
}

// Synthetic machines as archive entries under `prefix` ("" or "batch1/"),
// with their ground truth.
inline std::vector<ArchiveEntry> SynthEntries(const SynthOptions& options, const std::string& prefix,
                                              std::vector<SynthMachine>* truth) {
  std::vector<ArchiveEntry> entries;
  Status status = GenerateSynthetic(options, [&](const SynthMachine& machine, const MachineFiles& files) {
    if (truth) truth->push_back(machine);
    for (const auto& [name, bytes] : files) entries.push_back({prefix + machine.folder + "/" + name, bytes});
    return Status::Ok();
  });
  (void)status;
  return entries;
}

}  // namespace accord::stealer::testing
