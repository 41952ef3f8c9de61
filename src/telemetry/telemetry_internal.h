// Pieces shared by the telemetry readers: the line splitter, the per-format
// line parsers, the free-text scanner and the helpers that turn a field into
// candidates. Private to src/telemetry.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/telemetry.h"

namespace accord::telemetry::internal {

// Bytes readable after the end of every line the LineSource hands out. The
// JSON readers give lines to simdjson in place, and simdjson reads up to
// SIMDJSON_PADDING (64) bytes past the end of its input (their content does
// not matter, only that they are allocated).
inline constexpr size_t kLinePadding = 64;

struct Line {
  std::string_view text;  // without the \n or \r\n
  size_t readable = 0;    // bytes allocated from text.data() on (>= size + kLinePadding)
  int64_t number = 0;     // 1-based
  int64_t offset = 0;     // of the line's first byte in the decompressed stream
  bool too_long = false;  // text is empty: the line was dropped unread
  int64_t length = 0;     // the line's length, also when too long
};

// Splits a stream into lines in large blocks with memchr. Memory is bounded
// by twice the longest accepted line; a longer line is skipped without being
// buffered and handed out once with too_long set, so the reader can report it
// and go on. Not thread-safe.
class LineSource {
 public:
  // `waiting`, when given, hears OnInputWait before every read of `in`, and
  // before the lines handed out so far are moved or overwritten.
  LineSource(InputStream& in, size_t max_line, RecordHandler* waiting = nullptr);
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // Reads the first block so that Buffered() can be sniffed.
  Status Prime();
  std::string_view Buffered() const { return {buf_.data() + begin_, end_ - begin_}; }
  // After Prime: a UTF-8 byte-order mark (Windows tools write one) is no
  // part of the first line, whatever its format.
  void SkipByteOrderMark() {
    if (Buffered().starts_with("\xEF\xBB\xBF")) {
      begin_ += 3;
      scan_ = std::max(scan_, begin_);
    }
  }
  // The next line; false at the end of input or on a stream error (status()).
  bool Next(Line& line);
  // For JSON that is not one value a line (see json_values.cc): the next
  // value of a stream of them, where arrays only group values (a log
  // shipper's batch, `[{...},{...}]`) and a value may span lines (jq's
  // pretty-printed output). The value is handed out as a line numbered by
  // the line it starts on. Use Next or NextJsonValue for a whole stream,
  // not both.
  bool NextJsonValue(Line& line);
  const Status& status() const { return status_; }
  // status() is the stream's own error (not the waiting handler's).
  bool input_failed() const { return input_failed_; }
  int64_t bytes_read() const { return bytes_read_; }

 private:
  bool Fill();
  void Emit(Line& line, size_t begin, size_t end, int64_t number);
  // NextJsonValue's step over buffered bytes: true when a value ended.
  bool ScanJsonValue();

  InputStream& in_;
  RecordHandler* waiting_;
  size_t max_line_;
  size_t capacity_;    // usable bytes of buf_; the rest is padding
  std::string buf_;
  size_t begin_ = 0;   // first byte of the next line
  size_t end_ = 0;     // end of valid data
  size_t scan_ = 0;    // bytes before this hold no newline
  int64_t base_offset_ = 0;  // stream offset of buf_[0]
  int64_t line_number_ = 0;
  int64_t bytes_read_ = 0;
  bool eof_ = false;
  bool input_failed_ = false;
  bool skipping_ = false;  // inside an over-long line
  int64_t skip_offset_ = 0;
  int64_t skip_length_ = 0;
  Status status_;
  // NextJsonValue's state, kept across reads: newlines before scan_, and
  // the value being read (begin_ is its first byte, or the next byte to
  // look at between values).
  int64_t newlines_ = 0;
  enum class JsonValue : uint8_t { kNone, kObject, kString, kBare };
  JsonValue value_ = JsonValue::kNone;
  int64_t value_line_ = 0;
  int64_t depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

// Whether a JSON stream's first bytes are a value stream for
// LineSource::NextJsonValue rather than NDJSON: they open an array, or the
// first object does not close on its first line.
bool StartsJsonValueStream(std::string_view head);
// The stream's first object (inside an array, when it opens one), as far
// as `head` holds it; empty when it starts with no object. Format
// detection looks at its keys only.
std::string_view FirstJsonValue(std::string_view head);

// Values built for one record (an http URL from host and path, an unescaped
// CSV field). Views it hands out must survive until the record has been
// delivered, so Reset reserves the most the record can need and Append never
// reallocates; an append that would is refused (empty view) rather than
// invalidating earlier views.
class Scratch {
 public:
  void Reset(size_t capacity) {
    buf_.clear();
    if (buf_.capacity() < capacity) buf_.reserve(capacity);
    limit_ = buf_.capacity();
  }
  std::string_view Append(std::initializer_list<std::string_view> parts);
  // RFC 4180: "" inside a quoted field stands for one quote.
  std::string_view UnescapeCsvQuotes(std::string_view quoted_content);
  // Zeek's ASCII writer escapes the separator, and with
  // LogAscii::enable_utf_8=F every byte outside printable ASCII, as
  // "\xHH": decoded, so "/get/\xc3\xa4.bin" is the URL that was requested.
  std::string_view UnescapeZeekBytes(std::string_view text);

 private:
  std::string buf_;
  size_t limit_ = 0;
};

enum class LineOutcome {
  kRecord,     // deliver the record
  kSkip,       // a header, comment or blank line
  kMalformed,  // reason says why; the stream goes on
  kFatal,      // reason says why; the read stops (e.g. a CSV header naming no column)
};

// One per format. Parse fills `record` (its candidates are empty, its source,
// line and offset set) from one line, or explains in `reason` why it cannot.
// Implementations keep their buffers between lines so that nothing is
// allocated per record once they have grown.
class LineParser {
 public:
  virtual ~LineParser() = default;
  virtual LineOutcome Parse(const Line& line, Record& record, std::string& reason) = 0;
};

std::unique_ptr<LineParser> MakeTextParser();
// kSimdjsonOnly is for the differential test of the fast path.
enum class NdjsonPath : uint8_t { kFastThenSimdjson, kSimdjsonOnly };
Result<std::unique_ptr<LineParser>> MakeNdjsonParser(
    const std::vector<FieldMapping>& mapping, NdjsonPath path = NdjsonPath::kFastThenSimdjson);
std::unique_ptr<LineParser> MakeZeekTsvParser();
std::unique_ptr<LineParser> MakeZeekJsonParser();
std::unique_ptr<LineParser> MakeSuricataParser();
std::unique_ptr<LineParser> MakeWindowsDnsParser();
// Its header's first line, or a packet line (windows_dns_reader.cc).
bool LooksLikeWindowsDnsLog(std::string_view first_line);
std::unique_ptr<LineParser> MakeSquidParser();
// A line of Squid's native access.log (squid_reader.cc).
bool LooksLikeSquidLog(std::string_view first_line);
std::unique_ptr<LineParser> MakeKvParser();
// Several key=value pairs, one a source address's (kv_reader.cc).
bool LooksLikeKvLog(std::string_view first_line);
Result<std::unique_ptr<LineParser>> MakeCsvParser(const std::vector<FieldMapping>& mapping);
// The CSV delimiter a header line uses: tab or semicolon when it has more of
// them than commas, else comma. Format detection splits a first line the
// same way the reader will.
char SniffCsvDelimiter(std::string_view header);

// ---- Values -----------------------------------------------------------

// Appends what the scanner finds in free text: URLs (and their hosts), IPv4
// and IPv6 addresses, domains, e-mail addresses and MD5/SHA-1/SHA-256 hashes.
// Views point into `text`.
void ScanText(std::string_view text, std::string_view victim, std::vector<Candidate>& out);

bool IsIpv4(std::string_view text);
bool IsIpv6(std::string_view text);
// A host name of two or more labels whose last label is letters (or xn--).
bool IsHostName(std::string_view text);
// What a bare value looks like: URL, address, hash by length, e-mail or host
// name; nullopt when it looks like none.
std::optional<ObservableType> ClassifyValue(std::string_view text);

// The role of a mapped field (see FieldMapping).
enum class Role : uint8_t {
  kDomain, kUrl, kIpv4, kIpv6, kMd5, kSha1, kSha256, kEmail, kIp, kHash, kAuto, kVictim, kTime,
};
std::optional<Role> ParseRole(std::string_view name);
// The role a column or key name implies when no mapping is given (CSV
// headers; NDJSON's victim and time): domain, host, hostname, query ->
// domain; url; ip, dst, dst_ip, dest_ip, src_ip -> ip; md5, sha1, sha256;
// hash (by length); src, client, victim -> victim; ts, time, timestamp ->
// time. Case and surrounding blanks are ignored.
std::optional<Role> RoleOfFieldName(std::string_view name);
// Appends `value` as a candidate of `role` (which is neither victim nor
// time); values the role cannot hold (a hash of the wrong length, nothing
// recognisable for "auto") are dropped.
void AppendByRole(Role role, std::string_view value, std::vector<Candidate>& out);
// "ipv6" when the text has a colon, else "ipv4": sensors write addresses.
ObservableType IpType(std::string_view address);

// ---- Zeek logs, shared by the TSV and JSON readers ------------------------

enum class ZeekLog : uint8_t { kDns, kConn, kHttp, kFiles, kSsl, kOther };
ZeekLog ZeekLogFromPath(std::string_view path);
std::string_view ZeekLogName(ZeekLog log);  // "dns", ...; empty for kOther

// The fields the readers use, as views; empty means unset.
struct ZeekFields {
  std::string_view ts, orig_h, resp_h, resp_p, query, host, uri, server_name, md5, sha1, sha256;
  std::string_view is_orig;  // files: "T"/"true" when the originator sent the file
  std::vector<std::string_view> answers, tx_hosts, rx_hosts;
  bool has_fuid = false, has_conn_state = false, has_proto = false;
  // Keys only one log has, for guessing the log of a line without _path.
  bool has_dns_key = false;  // trans_id, rcode, rcode_name, qtype, qtype_name, AA, RD, ...
  bool has_ssl_key = false;  // ssl_history, established, cert_chain_fps, cert_chain_fuids, ...
  bool has_version = false, has_cipher = false;  // both: ssl (http has a version too)
  void Clear();
};
// The keys ZeekFields' has_dns_key and has_ssl_key stand for.
bool IsZeekDnsOnlyKey(std::string_view key);
bool IsZeekSslOnlyKey(std::string_view key);
// For logs that do not say their path: query or a dns-only key -> dns,
// server_name, version with cipher or an ssl-only key -> ssl, host+uri ->
// http, fuid or a hash -> files, conn_state or proto -> conn. A dns line
// without its query (a reply-only or failed lookup) has a proto too, so the
// dns keys come before conn's.
ZeekLog InferZeekLog(const ZeekFields& fields);
void AppendZeekCandidates(ZeekLog log, const ZeekFields& fields, Scratch& scratch,
                          std::vector<Candidate>& out);

// ---- HTTP and TLS hosts, shared by the Zeek and Suricata readers ----------

// A host as a request names it ("evil.example", "evil.example:8080",
// "[2001:db8::1]:8443", "2001:db8::1"): the name or address without its
// brackets, and the port (empty when none).
struct HostAndPort {
  std::string_view name, port;
};
HostAndPort SplitHost(std::string_view host);
// Appends a host (an HTTP Host, a TLS server name) as what it is: an IPv4 or
// IPv6 address when it is an IP literal, else a domain; without its port.
void AppendHostCandidate(std::string_view host, std::string_view victim,
                         std::vector<Candidate>& out);
// A URL's host ("http://user@evil.example:8080/x" -> evil.example), as
// AppendHostCandidate takes it, so that a URL field (a proxy log's, mapped
// or in a CSV) hits a domain or address indicator as the text scanner's
// URLs do. Nothing when `url` has no scheme://.
void AppendUrlHostCandidate(std::string_view url, std::string_view victim,
                            std::vector<Candidate>& out);
// An HTTP request as the sensors log it, the host and the path apart: the
// host, and the URL rebuilt as http:// host [":" port] uri. `port` is the
// server's (Zeek id.resp_p, Suricata http_port else dest_port) and is written
// unless it is 80 or the host already carries one, so a request to port 8080
// matches http://h:8080/... and not the port-80 indicator http://h/....
// A CONNECT's target ("evil.example:443") is no path: it gives its host as a
// candidate instead of a URL. A request without a Host header gives its URL
// on `server`, the address it went to. Resets `scratch`.
void AppendHttpCandidates(std::string_view host, std::string_view server, std::string_view uri,
                          std::string_view port, std::string_view victim, Scratch& scratch,
                          std::vector<Candidate>& out);

}  // namespace accord::telemetry::internal
