// Internal to exchange/: the tables CSV files and JSON record lists both
// are (named columns, records of cells), and how one record becomes
// records: what a column name holds (ClassifyHeader) and RowImporter,
// shared by the CSV reader (text_readers.cc) and the JSON records reader
// (json_records.cc).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/model.h"
#include "core/observable.h"
#include "core/status.h"
#include "exchange/text_readers.h"

namespace accord::exchange_internal {

std::string Lower(std::string_view s);
std::string_view Trim(std::string_view s);

enum class Column {
  kIgnored, kValue, kType, kEventUuid, kEventTitle, kTlp, kTags, kRole, kConfidence,
  kFirstSeen, kLastSeen, kValidUntil, kComment, kIsIndicator, kTypedValue,
  kFamily, kPort,  // feed dumps: noted in the link's comment
  kAttributeTags,  // a MISP CSV export's attribute_tag: the row's, noted in its comment
  kDate,  // a bare "date" (MISP CSV's attribute time): first seen when it reads as a time
  kEventDescription,
  kEventDate,  // when the event was made (MISP CSV's event_date, an OTX pulse's created)
  // An address range's ends (DShield's block list: Start, End, and the
  // prefix length in Netblock): the row's network, as one CIDR block.
  kRangeStart, kRangeEnd,
};

// Whether a column holds the row's value, or a part of it: a table with none
// has nothing to import.
bool HoldsValue(Column column);

struct ColumnSpec {
  Column column = Column::kIgnored;
  std::optional<ObservableType> type;  // for kTypedValue
};

// What a column (a CSV header name, a JSON key) holds: Accord's own names
// and those of the feeds CERTs import. kIgnored for anything else.
ColumnSpec ClassifyHeader(std::string_view raw);

// An address with its port, as blocklists write a C2: "192.0.2.1:8080" or
// "[2001:db8::1]:443". nullopt for anything else (a name with a port is
// left for detection to judge). `port_promised`: the row's type says
// "ip:port" (ThreatFox), so an unbracketed IPv6 address's last group is the
// port ("2a02:cf40:1::5:40669"), as ThreatFox writes them.
struct AddressAndPort {
  std::string_view address;
  std::string_view port;
  ObservableType type;
};
std::optional<AddressAndPort> SplitAddressPort(std::string_view text, bool port_promised = false);

// A range row's prefix length ("24": DShield's Netblock): one to three digits.
bool IsPrefixLength(std::string_view text);

// The network a range row names, as CIDR text (the address alone for a
// one-address range): from its first address and either its prefix length
// or its last address. The names are the columns', for messages. A range
// that is not one CIDR block is an error: widened to one, it would match
// addresses the source never listed.
Result<std::string> NetworkOfRange(std::string_view start_name, std::string_view start_text,
                                   std::string_view end_name, std::string_view end_text,
                                   std::string_view prefix_text);

// Appends `part` to a "; "-separated comment.
void AppendNote(std::string& comment, std::string_view part);

// One record of a table (a CSV row, a JSON object) into records: its
// cells by what their columns hold. Events are announced once each.
class RowImporter {
 public:
  RowImporter(const TextReadOptions& options, RecordSink& sink) : options_(options), sink_(sink) {}

  // `cells` line up with `columns` (and `names`, for messages); a bad cell
  // rejects the record at `location`, a sink failure is returned.
  Status Row(const std::vector<ColumnSpec>& columns, const std::vector<std::string>& names,
             const std::vector<std::string>& cells, bool has_event_column, const std::string& location);

 private:
  Status Announce(const std::string& uuid, const std::string& legacy_uuid, const std::string& title,
                  const std::string& description, std::optional<Tlp> tlp,
                  const std::vector<std::string>& tags, const std::string& created);

  const TextReadOptions& options_;
  RecordSink& sink_;
  std::unordered_set<std::string> announced_events_;
};

}  // namespace accord::exchange_internal
