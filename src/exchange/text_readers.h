// Readers for the two text formats: CSV with a header, and plain lists (one
// value a line). Both stream line by line and push records into a RecordSink.
#pragma once

#include <string>

#include "core/io.h"
#include "core/model.h"
#include "core/status.h"

namespace accord {

struct TextReadOptions {
  std::string source_name;       // for locations: "feed.csv:12"
  std::string event_uuid;        // the event values go to unless a row names one
  std::string event_title;
};

// CSV (RFC 4180: quotes, doubled quotes, line breaks inside quotes), with the
// delimiter sniffed from the header (comma, semicolon or tab). Recognised
// columns (any case): value|indicator|ioc|observable, type, event_uuid|event,
// event_title|title, tlp, tags, role, confidence, first_seen, last_seen,
// valid_until|expires, comment, is_indicator|to_ids. Without a value column,
// columns named after a type (ip, ipv4, domain, url, md5, sha256, email, ...)
// hold values of that type. A row with a different field count or a bad cell
// is rejected with its line; a header with no usable column is an error.
Status ReadCsv(InputStream& in, const TextReadOptions& options, RecordSink& sink);

// One value a line; blank lines and lines starting with '#', ';' or '//' are
// skipped, as is anything after " #" on a line. Types are detected.
Status ReadList(InputStream& in, const TextReadOptions& options, RecordSink& sink);

// Splits one CSV record from `text` starting at `pos` (for tests and the
// server). Exposed for the fuzz target.
struct CsvRecord {
  std::vector<std::string> fields;
  bool complete = true;          // false: an unterminated quote ran to the end
};
CsvRecord SplitCsvLine(std::string_view line, char delimiter);

}  // namespace accord
