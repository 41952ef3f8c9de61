// Synthetic stealer logs with known ground truth, for tests and benchmarks:
// no real stolen data ever enters the repository.
//
// Each machine folder follows the on-disk layout of its family (RedLine,
// META, Vidar, Lumma, Raccoon v2, StealC) as far as public sources describe
// it: file names, field labels and their order, separators, line endings,
// cookie and autofill files. Every value is fictional: IPs from RFC 5737 and
// 10.0.0.0/8, services under the reserved `.test` TLD, made-up people.
//
// Output is a pure function of SynthOptions: the same options give the same
// bytes on every run (a splitmix64 stream per machine; no clock, no
// std::random_device). Machines are built one at a time, so memory does not
// grow with `machines`.
//
// Folder names (CC = ISO country code, HWID as the log carries it):
//   RedLine, META  CC[HWID] [2024-03-05T10_15_00.1234567+01_00]   (panel's
//                  LogDate.ToString("O") with ':' -> '_', victim's offset)
//   Vidar          CC_HWID                 ("DE_1F3A...-0b1c...-...")
//   Lumma          [CC]ip_HWID             ("[FR]192.0.2.55_0123...CDEF")
//   Raccoon        CC_MachineGuid          ("NL_0b1c2d3e-...")
//   StealC         [CC]ip_HWID             ("[JP]10.4.7.9_ABCDEFGHJK0123456789")
// The four non-RedLine namings are our choice (no public source fixes them).
// A duplicate (see SynthOptions) gets its original's folder plus " (N)",
// N being its 1-based position in the stream, as an unpacker renames a
// clashing folder; its files are byte-identical to the original's.
//
// Dates. Every machine has one instant, `infected_at` (UTC, whole seconds).
// The log shows it as local time in the victim country's standard offset
// (fixed offsets, no daylight saving), and every family also writes an
// offset, so infected_at is always recoverable exactly:
//   RedLine/META  folder date carries the offset (fraction: 7 random digits,
//                 truncate); `Log date:` is the same wall time in one of
//                 "M/d/yyyy h:mm:ss AM", "MM/dd/yyyy HH:mm:ss",
//                 "dd.MM.yyyy HH:mm:ss" (the panel's culture), no offset
//                 there; `TimeZone:` names the Windows zone.
//   Vidar         `Date:`/`Local Time:` "d/M/yyyy HH:MM:SS" local;
//                 `TimeZone:` integer hours, negatives as unsigned 32-bit
//                 (-5 -> 4294967291).
//   Lumma         `Local Date:` and `Time:` "dd.mm.yyyy HH:MM:SS" local,
//                 `Time Zone: UTC+1`; the `(sig:<unix>.<hex>)` epoch is
//                 infected_at itself.
//   Raccoon       `Last seen:` JavaScript Date.toString() with "GMT+0100".
//   StealC        `Local Time:` "yyyy/m/d H:M:S" unpadded, `UTC:` signed
//                 integer hours.
//
// Line endings: CRLF for RedLine/META (.NET) and Vidar; LF for Lumma,
// Raccoon and StealC (panel-side text; unconfirmed). Encodings: see
// SynthOptions.
//
// All of the above is the documented layout; SynthOptions::variant_share
// writes some machines in the variants real logs show instead (see
// SynthVariants: other folder names, date formats, labels and line ends).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "stealer/stealer.h"

namespace accord::stealer {

struct SynthOptions {
  // Machine folders produced, duplicates included. Must be >= 0.
  int64_t machines = 10;
  uint64_t seed = 1;  // same seed (and options), same output, byte for byte
  // Families in round robin over the stream positions of original machines;
  // empty = all six.
  std::vector<Family> families;
  // Average per machine; each machine draws uniformly from 0..2x.
  int credentials_per_machine = 50;
  // Shares in [0, 1] of machines whose text files are written as UTF-16LE
  // with a BOM, or as Windows-1252 (non-ASCII text as cp1252 bytes; these
  // machines always have a user name with "é"). Their sum must be <= 1.
  // Positions are spread evenly (a Weyl sequence): without duplicates the
  // counts are within one of share * machines. A duplicate has its
  // original's encoding.
  double utf16_share = 0.0;
  double cp1252_share = 0.0;
  // Share of stream positions (never the first) that repeat an earlier
  // original machine: same machine id, same files, as when two archives
  // overlap.
  double duplicate_machine_share = 0.0;
  // Share in [0, 1] of original machines written in one of their family's
  // real-world layout variants (SynthVariants) instead of the documented
  // layout; positions are a Weyl sequence like the encodings', and which
  // variant a machine gets comes from the seed and its position. 0 keeps the
  // output of earlier versions byte for byte.
  double variant_share = 0.0;
  // Non-empty: variant machines use only this variant (one of SynthVariants'
  // names), and machines of other families keep the documented layout.
  std::string variant;
};

struct SynthCredential {
  std::string url;       // as the log writes it ("https://login.acme-bank.test/")
  std::string domain;    // registrable domain ("acme-bank.test"); empty for IP URLs
  std::string username;  // may be empty, may be non-ASCII ("josé.lópez@fakemail.test")
  std::string password;  // clear text, test data only; may be empty, contain ": " or spaces
  // Where the browser stored it, neutral names ("Google Chrome", "Default";
  // Firefox profiles look like "k3x9q2aa.default-release"). Each family
  // writes them its own way (RedLine "Google_[Chrome]_Default", Vidar
  // "Google Chrome (Default)", Lumma folders "Chrome/Default", StealC
  // browser:/profile:); Raccoon's passwords.txt does not name them.
  std::string browser;
  std::string profile;
};

struct SynthMachine {
  std::string folder;  // top-level folder name (see the header comment)
  Family family = Family::kRedLine;
  // What a parser should report as the machine id: RedLine/META/Lumma HWID
  // (32 hex), Vidar `HWID:`, Raccoon the GUID before '|' in `User ID:`,
  // StealC `HWID:` (20 characters).
  std::string machine_id;
  std::string ip;
  std::string country;  // ISO 3166-1 alpha-2
  std::string os;       // the log's OS field as written ("Windows 10 Pro x64", ...)
  std::string user_name;
  std::string computer_name;  // empty for Raccoon (its log has none)
  // RedLine/META `Build ID:`, Lumma `LID:`, Raccoon `Build:`; empty for
  // Vidar and StealC (no such field).
  std::string build_id;
  std::string infected_at;  // RFC 3339 UTC, "2024-03-05T09:15:00Z"
  // Cookie lines across the cookie files; autofill entries across the
  // autofill files (RedLine's ImportantAutofills.txt repeats some of them
  // and does not count).
  int64_t cookies = 0, autofills = 0;
  // Each credential once, in file order. Lumma's root `All Passwords.txt`
  // repeats the per-profile `Passwords.txt` files; no passwords file is
  // written for a machine without credentials.
  std::vector<SynthCredential> credentials;
  bool duplicate = false;  // a repeat of an earlier machine
  std::string encoding;    // "utf-8", "utf-16le" or "windows-1252"
  // "" for the documented layout, else the variant's name (SynthVariants).
  std::string layout;
};

// The layout variants seen in the wild that the generator writes for
// `family` (README, "Families and layouts"), by name:
//   redline-reseller   no banner, no Build ID or FileLocation, "IP:", ru-RU
//                      dotted `Log date:`; the folder ("CC_HWID") has no
//                      date, so the time comes from `Log date:` and the
//                      `TimeZone: (UTC-03:00) ...` offset; passwords end at
//                      "-------------" or "*****" rules
//   vidar-reseller     seller rule on top, "IP:" for "Ip:", dotted
//                      "dd.MM.yyyy" dates; passwords end at "*****" rules
//   lumma-no-banner    no "- LummaC2 Build:" line (known by the signed time)
//   lumma-2023         "LummaC2, Build Mmm dd yyyy" / "LID(Lumma ID):"
//                      header, "- PC:", no signed time (`Local Date:` and
//                      `Time Zone:` give it)
//   raccoon-v1         "Racc0_0n" banner, "Bot_ID: guid_user", "Launched at:"
//                      in UTC, CRLF; no country (the folder gives it)
//   raccoon-v2-glued   empty "Time zone:" glued to the next "\t- " fields
//   stealc-v2          flat `System.txt` ("Laptop:", "UTC:", day-first
//                      `Local Time:`), no IP or country (the folder gives
//                      them), on odd machines under a pasted RedLine banner
// META has none.
std::vector<std::string_view> SynthVariants(Family family);

// Builds the machines in stream order and calls `fn(machine, files)` for
// each; `files` maps paths relative to the machine folder
// ("Cookies/Google_[Chrome]_Default Network.txt", always '/') to bytes, and
// is valid only during the call. Stops at the first non-ok Status from `fn`
// and returns it. kInvalidArgument for options out of range.
Status GenerateSynthetic(const SynthOptions& options,
                         const std::function<Status(const SynthMachine&, const MachineFiles&)>& fn);

// Writes every machine as DIR/<folder>/... and DIR/ground-truth.json:
//   {"machines": [SynthMachineJson, ... one per line],
//    "totals": {"machines", "unique_machines", "duplicates",
//               "credentials" (unique machines), "credentials_with_duplicates",
//               "cookies", "autofills" (unique machines),
//               "families": {"redline": machines, ...},
//               "domains": {"acme-bank.test": {"accounts": credentials,
//                                              "machines": machines}, ...}}}
// (domain totals count unique machines only). The truth is written beside
// as ground-truth.json.partial and renamed last, so a failed run leaves no
// truth that looks complete. Creates DIR if needed; existing files with the
// same names are overwritten. I/O errors are kIoError naming the path.
Status WriteSynthetic(const std::string& dir, const SynthOptions& options);

// Every field of `machine`, credentials with their passwords; "family" as
// FamilyName.
nlohmann::json SynthMachineJson(const SynthMachine& machine);

}  // namespace accord::stealer
