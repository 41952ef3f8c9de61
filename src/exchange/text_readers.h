// Readers for the two text formats: CSV with a header, and plain lists (one
// value a line). Both stream line by line and push records into a RecordSink.
#pragma once

#include <string>
#include <string_view>

#include "core/io.h"
#include "core/model.h"
#include "core/status.h"

namespace accord {

struct TextReadOptions {
  std::string source_name;       // for locations: "feed.csv:12"
  std::string event_uuid;        // the event values go to unless a row names one
  std::string event_title;
  // EventRecord::legacy_uuid of that event; with it, the events rows name
  // by number get theirs too. Empty: none.
  std::string legacy_event_uuid;
  // What the events rows name by number (a MISP CSV export's event_id, an
  // OTX pulse without an id) derive their uuids and default titles from:
  // the name the file came under, packed or not (import_stream.cc). Empty:
  // the file event's.
  std::string row_events_uuid;
  std::string row_events_legacy_uuid;
  std::string row_events_title;
  // The importing organisation: events a file names by a key of its own
  // (an OTX pulse id) are that organisation's, as the file's event is.
  int64_t owner_org_id = 0;
};

// CSV (RFC 4180: quotes, doubled quotes, line breaks inside quotes), with the
// delimiter sniffed from the header (comma, semicolon or tab). Recognised
// columns (any case): value|indicator|ioc|observable, type, event_uuid|event,
// event_title|title, tlp, tags, role, confidence, first_seen, last_seen,
// valid_until|expires, comment, is_indicator|to_ids, and the names of the
// feed dumps CERTs import (abuse.ch URLhaus, ThreatFox, Feodo Tracker,
// SSLBL: ioc_value, ioc_type, threat_type, first_seen_utc, dateadded,
// last_online, confidence_level, malware, dst_port, ...). Without a value
// column, columns named after a type (ip, ipv4, dst_ip, domain, url, md5,
// sha256, email, ...) hold values of that type. Lines starting with '#' are
// comments; when the first other line is not a header, the comment just
// before it may be (abuse.ch writes "# id,dateadded,url,..."). "address:port"
// values keep the address and note the port. A type cell may hold a MISP
// type, composite ones included ("domain|ip", "filename|sha256": a MISP CSV
// export), and an event column a number instead of a uuid (MISP's
// event_id: rows with the same number share an event). In a file without an event
// column, a row's tags, family and port go into its link's comment. A row
// with a different field count or a bad cell is rejected with its line; a
// header with no usable column is an error.
Status ReadCsv(InputStream& in, const TextReadOptions& options, RecordSink& sink);

// Whether the start of a file reads as a CSV with a header (as ReadCsv finds
// it, past '#' comments), for format detection.
bool LooksLikeCsv(std::string_view head);

// One value a line; blank lines and lines starting with '#', ';' or '//' are
// skipped. Text after " #" or " ;" (Spamhaus DROP: "1.10.16.0/20 ; SBL256894")
// is kept as the link's comment. Hosts-file lines ("0.0.0.0 evil.example")
// give the names after the address. "address:port" keeps the address and
// notes the port. Types are detected.
Status ReadList(InputStream& in, const TextReadOptions& options, RecordSink& sink);

// A JSON list of indicator objects, as feeds publish them (ThreatFox and
// URLhaus dumps keyed by id, API answers' "data", MalwareBazaar, Feodo
// Tracker's array): each object is a record whose keys name columns as a
// CSV header does (ioc, ioc_type, ip_address, port, sha256_hash,
// malware_printable, tags as a list, ...). An object with no value field is
// rejected with its position ("feed.json: record 12"); a lone object whose
// keys name a value is one record; a document with no records is an error.
Status ReadJsonRecords(InputStream& in, const TextReadOptions& options, RecordSink& sink);

// Whether the start of a JSON document reads as such a list: one of the
// first keys names a value column. For format detection, after MISP and
// STIX have said no.
bool LooksLikeJsonRecords(std::string_view head);

// Splits one CSV record from `text` starting at `pos` (for tests and the
// server). Exposed for the fuzz target.
struct CsvRecord {
  std::vector<std::string> fields;
  bool complete = true;          // false: an unterminated quote ran to the end
  size_t text_after_quote = 0;   // 1-based field with text after its closing quote; 0: none
};
CsvRecord SplitCsvLine(std::string_view line, char delimiter);

}  // namespace accord
