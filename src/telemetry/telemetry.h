// Telemetry readers: the logs sensors already write, turned into records of
// candidate values for the early-warning matcher (src/match).
//
// Formats: free text (a scanner finds IPs, domains, URLs and hashes), NDJSON
// with a field mapping, Zeek TSV (with its #fields header) and Zeek JSON
// (dns, conn, http, files, ssl), Suricata eve.json (dns, http, tls, flow,
// fileinfo), CSV with a header, Windows DNS Server's debug log, Squid's
// access.log and key=value lines (firewalls, logfmt). Auto-detected from the first bytes and
// the name, overridable. Readers stream: memory is bounded by the longest
// line, nothing is allocated per record once buffers have grown, and a
// malformed record is reported with its position and skipped, never ending
// the stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/io.h"
#include "core/observable.h"
#include "core/status.h"

namespace accord::telemetry {

enum class Format { kAuto, kText, kNdjson, kZeekTsv, kZeekJson, kSuricata, kCsv, kWindowsDns, kSquid, kKv };

// "auto", "text", "ndjson", "zeek", "zeek-json", "suricata", "csv",
// "windows-dns", "squid", "kv".
std::string_view FormatName(Format format);
std::optional<Format> ParseFormatName(std::string_view name);
// From the first bytes of the (decompressed) stream and the file name.
// Never returns kAuto: text is the fallback.
Format DetectFormat(std::string_view head, std::string_view name);

// A value worth looking up, as the sensor wrote it (not normalized: the
// matcher normalizes it the way imports do). `victim` is the address on our
// side of what was seen: the DNS client, the connection's other end, the
// HTTP client; empty when the record names none.
struct Candidate {
  ObservableType type = ObservableType::kDomain;
  std::string_view value;
  std::string_view victim;
};

// One telemetry record. Views stay valid only during OnRecord, unless
// views_last_until_input_wait says they live longer.
struct Record {
  std::string_view source;     // the input's name, valid until ReadTelemetry returns
  int64_t line = 0;            // 1-based line of the record
  int64_t offset = 0;          // byte offset of the line in the decompressed stream
  std::string_view kind;       // "dns", "conn", "http", "files", "ssl", "tls", "flow",
                               // "fileinfo", "text", "ndjson", "csv"
  std::string_view timestamp;  // as the record gives it; empty when none
  std::vector<Candidate> candidates;
  // True when kind, timestamp and every candidate's value and victim point
  // into the reader's block of input or at static text, which stay as they
  // are until the handler's next OnInputWait: a handler that holds records
  // back (the matcher) may keep the views instead of copying them. Set for
  // NDJSON lines read in place; false for values a reader built or
  // unescaped into a buffer of its own.
  bool views_last_until_input_wait = false;
};

struct Malformed {
  std::string source;
  int64_t line = 0;
  int64_t offset = 0;
  std::string reason;  // e.g. "invalid JSON: unclosed string", "12 fields, header has 14"
};

// What a mapped NDJSON or CSV field holds. `role` is an observable type name
// ("domain", "url", "ipv4", "ipv6", "md5", "sha1", "sha256", "email"), "ip"
// (either family), "hash" (by length), "auto" (detected), "victim" (the
// address on our side) or "time".
struct FieldMapping {
  std::string field;  // a column name, or a dotted JSON path ("dns.rrname")
  std::string role;
};
// "query=domain,client=victim,ts=time": kInvalidArgument naming the bad part.
Result<std::vector<FieldMapping>> ParseFieldMapping(std::string_view spec);

struct ReaderOptions {
  Format format = Format::kAuto;
  // For NDJSON and CSV. Empty: NDJSON string values are scanned like free
  // text is, and top-level keys named src, client or victim give the victim
  // and ts, time or timestamp the time; CSV columns are mapped by their
  // header names (domain, url, ip, ...).
  std::vector<FieldMapping> mapping;
  // A longer line is reported as malformed and skipped without being
  // buffered; memory stays bounded by about twice this.
  size_t max_line_bytes = 1 << 20;
};

class RecordHandler {
 public:
  virtual ~RecordHandler() = default;
  // An error stops the read and is returned by ReadTelemetry.
  virtual Status OnRecord(const Record& record) = 0;
  virtual void OnMalformed(const Malformed& malformed) = 0;
  // Called before the reader waits for more input (every block of a file,
  // every read of a pipe) and before ReadTelemetry returns, whatever it
  // returns: a handler that holds records back to batch their work finishes
  // them here, so a quiet stream is not left waiting and no record outlives
  // its stream. An error stops the read like OnRecord's.
  virtual Status OnInputWait() { return Status::Ok(); }
  // Called just before OnInputWait when the input has nothing more yet (a
  // quiet pipe: `tail -f log | accord match -`) and the reader is about to
  // block for it: a handler that batches its writes makes them now, so
  // what it found is not held back for as long as the stream stays quiet.
  // An error stops the read like OnRecord's.
  virtual Status OnInputIdle() { return Status::Ok(); }
};

struct ReadStats {
  Format format = Format::kAuto;  // the format used
  int64_t records = 0;
  int64_t malformed = 0;
  int64_t bytes = 0;  // decompressed bytes read
  // The error returned is the stream's own (a truncated gzip, an unreadable
  // file), not the handler's: the records before it were read and handled.
  bool input_error = false;
};

// Reads the whole stream. Errors are the stream's own (I/O, corrupt gzip) or
// the handler's; malformed records are not errors.
Status ReadTelemetry(InputStream& in, const ReaderOptions& options, RecordHandler& handler,
                     ReadStats* stats);

}  // namespace accord::telemetry
