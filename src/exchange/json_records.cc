// ReadJsonRecords: lists of indicator objects as feeds publish them in JSON
// (abuse.ch ThreatFox and URLhaus dumps keyed by id, their API answers'
// "data", MalwareBazaar, Feodo Tracker's array, AlienVault OTX pulses), read
// as a table: each object a record, each key a column named as in a CSV
// header.
#include <simdjson.h>

#include <fmt/format.h>

#include <span>
#include <utility>

#include "core/crypto.h"
#include "exchange/table_rows.h"
#include "exchange/text_readers.h"

namespace accord {

using namespace exchange_internal;  // NOLINT: this module's own table rows

namespace {

// Read whole (a DOM): the largest published dump (ThreatFox full) is a few
// hundred megabytes.
constexpr size_t kMaxJsonRecordsBytes = 1ull << 30;

// A cell's text: strings as they are, numbers and booleans as written,
// lists of strings joined with commas (tags); anything else is empty.
std::string CellText(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING: return std::string(value.get_string().value());
    case simdjson::dom::element_type::INT64: return std::to_string(value.get_int64().value());
    case simdjson::dom::element_type::UINT64: return std::to_string(value.get_uint64().value());
    case simdjson::dom::element_type::DOUBLE: return fmt::format("{}", value.get_double().value());
    case simdjson::dom::element_type::BOOL: return value.get_bool().value() ? "true" : "false";
    case simdjson::dom::element_type::ARRAY: {
      std::string joined;
      simdjson::dom::array items;
      if (value.get_array().get(items) != simdjson::SUCCESS) return joined;
      for (simdjson::dom::element item : items) {
        std::string_view text;
        if (item.get_string().get(text) != simdjson::SUCCESS) continue;
        if (!joined.empty()) joined += ',';
        joined += text;
      }
      return joined;
    }
    default: return "";
  }
}

// The arrays of records in a document: the document itself, its "data"
// (API answers), or every member that is an array of objects (dumps keyed
// by id: {"1220553": [{...}], ...}).
std::vector<simdjson::dom::array> RecordArrays(simdjson::dom::element root) {
  std::vector<simdjson::dom::array> arrays;
  simdjson::dom::array array;
  if (root.get_array().get(array) == simdjson::SUCCESS) return {array};
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return arrays;
  if (object["data"].get_array().get(array) == simdjson::SUCCESS) return {array};
  for (auto field : object) {
    if (field.value.get_array().get(array) == simdjson::SUCCESS) arrays.push_back(array);
  }
  return arrays;
}

// One JSON object as a table row: each key a column named as in a CSV
// header. The buffers are reused from record to record.
class ObjectRows {
 public:
  ObjectRows(const TextReadOptions& options, RecordSink& sink) : rows_(options, sink), sink_(sink) {}

  // `extra`: cells the record's container gives every record (an OTX
  // pulse's event), after the record's own, so they win.
  Status Row(simdjson::dom::object record, const std::string& location,
             std::span<const std::pair<std::string, std::string>> extra = {}) {
    names_.clear();
    cells_.clear();
    columns_.clear();
    bool has_value = false, has_event_column = false;
    auto add = [&](std::string_view name, std::string cell) {
      names_.emplace_back(name);
      columns_.push_back(ClassifyHeader(name));
      cells_.push_back(std::move(cell));
      const Column column = columns_.back().column;
      has_value = has_value || HoldsValue(column);
      has_event_column = has_event_column || column == Column::kEventUuid;
    };
    for (auto field : record) add(field.key, CellText(field.value));
    for (const auto& [name, cell] : extra) add(name, cell);
    if (!has_value) {
      sink_.OnReject({location, "", "no field holds a value (expected 'ioc', 'value', 'cidr', or a type "
                                    "such as 'ip_address', 'url', 'sha256_hash')"});
      return Status::Ok();
    }
    return rows_.Row(columns_, names_, cells_, has_event_column, location);
  }

 private:
  RowImporter rows_;
  RecordSink& sink_;
  std::vector<std::string> names_, cells_;
  std::vector<ColumnSpec> columns_;
};

// Several lines whose first is a whole JSON object by itself.
bool IsJsonLines(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  text.remove_prefix(start);
  const size_t newline = text.find('\n');
  if (newline == std::string_view::npos || text.find_first_not_of(" \t\r\n", newline) == std::string_view::npos) {
    return false;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  return parser.parse(text.substr(0, newline)).get_object().get(object) == simdjson::SUCCESS;
}

// One record a line (Spamhaus DROP since 2024: {"cidr":...,"sblid":...},
// ending with a {"type":"metadata",...} line, which is no record).
Status ReadJsonLines(std::string_view text, const TextReadOptions& options, RecordSink& sink) {
  ObjectRows rows(options, sink);
  simdjson::dom::parser parser;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const std::string location = fmt::format("{}:{}", options.source_name, line_number);
    simdjson::dom::object record;
    if (auto error = parser.parse(line).get_object().get(record); error != simdjson::SUCCESS) {
      sink.OnReject({location, std::string(line.substr(0, 256)),
                     fmt::format("not a JSON object: {}", simdjson::error_message(error))});
      continue;
    }
    std::string_view kind;
    if (record["type"].get_string().get(kind) == simdjson::SUCCESS && kind == "metadata") continue;
    RETURN_IF_ERROR(rows.Row(record, location));
  }
  return Status::Ok();
}

// AlienVault OTX pulses: one pulse ({"name", "indicators": [...], "TLP",
// "tags", "malware_families"}, what its API and "Download" give) or a page
// of them ({"results": [pulse, ...]}, the subscription API). Empty when the
// document is neither.
std::vector<simdjson::dom::object> OtxPulses(simdjson::dom::element root) {
  // A name, an indicators list and a key only OTX writes: another feed's
  // {"name", "indicators"} stays a list of records of the file's event.
  auto is_pulse = [](simdjson::dom::object object) {
    simdjson::dom::array indicators;
    std::string_view name;
    if (object["indicators"].get_array().get(indicators) != simdjson::SUCCESS ||
        object["name"].get_string().get(name) != simdjson::SUCCESS) {
      return false;
    }
    for (std::string_view marker : {"TLP", "tlp", "author_name", "pulse_source", "adversary"}) {
      simdjson::dom::element value;
      if (object[marker].get(value) == simdjson::SUCCESS) return true;
    }
    return false;
  };
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return {};
  if (is_pulse(object)) return {object};
  std::vector<simdjson::dom::object> pulses;
  simdjson::dom::array results;
  if (object["results"].get_array().get(results) != simdjson::SUCCESS) return {};
  for (simdjson::dom::element element : results) {
    simdjson::dom::object pulse;
    if (element.get_object().get(pulse) == simdjson::SUCCESS && is_pulse(pulse)) pulses.push_back(pulse);
  }
  return pulses;
}

// A pulse is an event: its name, TLP, tags, malware families and
// adversary; each indicator a row of it, dated by its "created".
Status ReadOtxPulse(simdjson::dom::object pulse, size_t pulse_idx, bool several, const TextReadOptions& options,
                    ObjectRows& rows, RecordSink& sink) {
  auto text = [&](std::string_view key) {
    simdjson::dom::element value;
    return pulse[key].get(value) == simdjson::SUCCESS ? CellText(value) : std::string();
  };
  std::string tags = text("tags");
  simdjson::dom::array families;
  if (pulse["malware_families"].get_array().get(families) == simdjson::SUCCESS) {
    for (simdjson::dom::element family : families) {
      std::string_view name;
      // Older pulses list names, newer ones {"id", "display_name"}.
      if (family.get_string().get(name) != simdjson::SUCCESS &&
          family["display_name"].get_string().get(name) != simdjson::SUCCESS) {
        continue;
      }
      if (!name.empty()) tags += (tags.empty() ? "" : ",") + std::string(name);
    }
  }
  if (const std::string adversary = text("adversary"); !adversary.empty()) {
    tags += (tags.empty() ? "" : ",") + adversary;
  }
  std::string id = text("id");
  if (id.empty()) {
    id = (options.row_events_uuid.empty() ? options.event_uuid : options.row_events_uuid) + ":" +
         std::to_string(pulse_idx);
  }
  std::string tlp = text("TLP");
  if (tlp.empty()) tlp = text("tlp");
  std::vector<std::pair<std::string, std::string>> extra = {
      // One event per pulse and organisation: two organisations importing
      // the same public pulse each get their own (a file's event is so too).
      {"event_uuid", StableUuidV4(kAccordUuidNamespace, fmt::format("otx-pulse:{}:{}", options.owner_org_id, id))},
      {"event_title", text("name")},
      {"event_description", text("description")},
      {"tlp", tlp},
      {"tags", tags},
      {"event_date", text("created")},
  };
  const size_t pulse_columns = extra.size();
  simdjson::dom::array indicators;
  if (pulse["indicators"].get_array().get(indicators) != simdjson::SUCCESS) return Status::Ok();  // OtxPulses checked
  size_t indicator_idx = 0;
  for (simdjson::dom::element element : indicators) {
    ++indicator_idx;
    const std::string location =
        several ? fmt::format("{}: pulse {} indicator {}", options.source_name, pulse_idx, indicator_idx)
                : fmt::format("{}: indicator {}", options.source_name, indicator_idx);
    simdjson::dom::object indicator;
    if (element.get_object().get(indicator) != simdjson::SUCCESS) {
      sink.OnReject({location, "", "not an object"});
      continue;
    }
    std::string_view created, title, description;
    extra.resize(pulse_columns);
    if (indicator["created"].get_string().get(created) == simdjson::SUCCESS) {
      extra.emplace_back("first_seen", std::string(created));
    }
    // An indicator's own title ("Emotet C2 tier 1") is no event's: it goes
    // into the value's comment with its description (after the record's
    // keys, so the pulse's name stays the event title).
    if (indicator["title"].get_string().get(title) == simdjson::SUCCESS && !title.empty()) {
      if (indicator["description"].get_string().get(description) != simdjson::SUCCESS) description = {};
      extra.emplace_back("comment", description.empty() ? std::string(title)
                                                        : fmt::format("{}: {}", title, description));
    }
    RETURN_IF_ERROR(rows.Row(indicator, location, extra));
  }
  return Status::Ok();
}

}  // namespace

Status ReadJsonRecords(InputStream& in, const TextReadOptions& options, RecordSink& sink) {
  ASSIGN_OR_RETURN(std::string text, ReadAll(in, kMaxJsonRecordsBytes));
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const simdjson::error_code whole = parser.parse(text).get(root);
  if (whole != simdjson::SUCCESS && IsJsonLines(text)) return ReadJsonLines(text, options, sink);
  if (whole != simdjson::SUCCESS) {
    return Status::Invalid(fmt::format("{}: not valid JSON: {}", options.source_name,
                                       simdjson::error_message(whole)));
  }
  ObjectRows rows(options, sink);
  size_t record_idx = 0;
  auto read_record = [&](simdjson::dom::element element) -> Status {
    ++record_idx;
    const std::string location = fmt::format("{}: record {}", options.source_name, record_idx);
    simdjson::dom::object record;
    if (element.get_object().get(record) != simdjson::SUCCESS) {
      sink.OnReject({location, "", "not an object"});
      return Status::Ok();
    }
    return rows.Row(record, location);
  };
  if (const std::vector<simdjson::dom::object> pulses = OtxPulses(root); !pulses.empty()) {
    for (size_t pulse_idx = 0; pulse_idx < pulses.size(); ++pulse_idx) {
      RETURN_IF_ERROR(ReadOtxPulse(pulses[pulse_idx], pulse_idx + 1, pulses.size() > 1, options, rows, sink));
    }
    return Status::Ok();
  }
  const std::vector<simdjson::dom::array> arrays = RecordArrays(root);
  if (arrays.empty()) {
    // One object on its own is one record, when a key names a value.
    simdjson::dom::object single;
    bool names_a_value = false;
    if (root.get_object().get(single) == simdjson::SUCCESS) {
      for (auto field : single) {
        const Column column = ClassifyHeader(field.key).column;
        names_a_value = names_a_value || column == Column::kValue || column == Column::kTypedValue;
      }
    }
    if (!names_a_value) {
      return Status::Invalid(fmt::format(
          "{}: no list of records (expected an array of objects, a \"data\" array, or arrays keyed by id)",
          options.source_name));
    }
    return read_record(root);
  }
  for (simdjson::dom::array array : arrays) {
    for (simdjson::dom::element element : array) RETURN_IF_ERROR(read_record(element));
  }
  return Status::Ok();
}

bool LooksLikeJsonRecords(std::string_view head) {
  // The first object's keys, as far as the head shows them: one naming a
  // value column is enough. Cheap: no parse, the head may end mid-document.
  size_t pos = 0;
  for (int keys = 0; keys < 256; ++keys) {
    pos = head.find('"', pos);
    if (pos == std::string_view::npos) return false;
    const size_t end = head.find('"', pos + 1);
    if (end == std::string_view::npos) return false;
    const std::string_view word = head.substr(pos + 1, end - pos - 1);
    const size_t after = head.find_first_not_of(" \t\r\n", end + 1);
    if (after != std::string_view::npos && head[after] == ':') {
      const Column column = ClassifyHeader(word).column;
      if (column == Column::kValue || column == Column::kTypedValue) return true;
      // An OTX pulse: its indicators come after many keys of its own.
      const size_t value = head.find_first_not_of(" \t\r\n", after + 1);
      if (word == "indicators" && value != std::string_view::npos && head[value] == '[') return true;
    }
    pos = end + 1;
  }
  return false;
}

}  // namespace accord
