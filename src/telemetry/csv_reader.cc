// CSV with a header row (RFC 4180 quoting; comma, semicolon or tab,
// sniffed from the header). Columns are mapped by the field mapping, else by
// their header names (RoleOfFieldName):
//   domain, host, hostname, query -> domain     url -> url
//   ip, dst, dst_ip, dest_ip, src_ip -> ip      md5, sha1, sha256 -> that hash
//   hash -> hash by length                      src, client, victim -> victim
//   ts, time, timestamp -> time
// A quoted field must close on its own line: records spanning lines are
// reported as malformed ("unclosed quote"), since sensors do not write them.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {
namespace {

std::string_view TrimBlank(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

// Splits one CSV line, calling on_field(index, content, has_escaped_quotes)
// for every field; the content of a quoted field comes without its quotes.
// Returns false with `reason` set on bad quoting.
//
// Hot path: unquoted fields, the common case, are found with one memchr each
// and never copied; only the callback decides whether a field is used.
template <typename OnField>
bool SplitCsv(std::string_view line, char delimiter, std::string& reason, OnField on_field) {
  const char* data = line.data();
  const size_t n = line.size();
  size_t pos = 0;
  size_t index = 0;
  for (;;) {
    size_t first = pos;
    while (first < n && (data[first] == ' ' || data[first] == '\t') && data[first] != delimiter) {
      ++first;
    }
    if (first < n && data[first] == '"') {
      size_t scan = first + 1;
      bool escaped = false;
      size_t close = 0;
      for (;;) {
        const void* quote = scan < n ? std::memchr(data + scan, '"', n - scan) : nullptr;
        if (quote == nullptr) {
          reason = fmt::format("bad CSV quoting: unclosed quote in field {}", index + 1);
          return false;
        }
        size_t at = static_cast<size_t>(static_cast<const char*>(quote) - data);
        if (at + 1 < n && data[at + 1] == '"') {
          escaped = true;
          scan = at + 2;
          continue;
        }
        close = at;
        break;
      }
      size_t after = close + 1;
      while (after < n && data[after] != delimiter && (data[after] == ' ' || data[after] == '\t')) {
        ++after;
      }
      if (after < n && data[after] != delimiter) {
        reason = fmt::format("bad CSV quoting: text after the closing quote of field {}", index + 1);
        return false;
      }
      on_field(index, line.substr(first + 1, close - first - 1), escaped);
      pos = after;
    } else {
      const void* next = pos < n ? std::memchr(data + pos, delimiter, n - pos) : nullptr;
      size_t end = next == nullptr ? n : static_cast<size_t>(static_cast<const char*>(next) - data);
      on_field(index, TrimBlank(line.substr(pos, end - pos)), false);
      pos = end;
    }
    ++index;
    if (pos >= n) return true;
    ++pos;  // the delimiter; a trailing one starts an empty last field
  }
}

}  // namespace

char SniffCsvDelimiter(std::string_view header) {
  size_t commas = std::count(header.begin(), header.end(), ',');
  size_t semicolons = std::count(header.begin(), header.end(), ';');
  size_t tabs = std::count(header.begin(), header.end(), '\t');
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

namespace {

class CsvParser final : public LineParser {
 public:
  explicit CsvParser(std::vector<FieldMapping> mapping) : mapping_(std::move(mapping)) {}

  LineOutcome Parse(const Line& line, Record& record, std::string& reason) override {
    std::string_view text = line.text;
    if (!have_header_) {
      if (TrimBlank(text).empty()) return LineOutcome::kSkip;
      if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
      return Header(text, reason);
    }
    if (TrimBlank(text).empty()) return LineOutcome::kSkip;
    record.kind = "csv";
    // An unescaped field is never longer than its line: reserving the line
    // up front keeps every view into the scratch valid for the record.
    scratch_.Reset(text.size());
    std::string_view victim;
    size_t fields = 0;
    bool ok = SplitCsv(text, delimiter_, reason, [&](size_t index, std::string_view content,
                                                     bool escaped) {
      fields = index + 1;
      if (index >= roles_.size() || !roles_[index]) return;
      std::string_view value = escaped ? scratch_.UnescapeCsvQuotes(content) : content;
      if (value.empty()) return;
      switch (*roles_[index]) {
        case Role::kVictim:
          if (victim.empty()) victim = value;
          break;
        case Role::kTime:
          if (record.timestamp.empty()) record.timestamp = value;
          break;
        default:
          AppendByRole(*roles_[index], value, record.candidates);
      }
    });
    if (!ok) return LineOutcome::kMalformed;
    // Read by position, a row of another width puts its values under the
    // wrong columns: a listed URL in the fifth of six fields went unseen.
    if (fields != roles_.size()) {
      reason = fmt::format("{} fields, the header has {}", fields, roles_.size());
      record.candidates.clear();
      record.timestamp = {};
      return LineOutcome::kMalformed;
    }
    for (Candidate& candidate : record.candidates) candidate.victim = victim;
    return LineOutcome::kRecord;
  }

 private:
  LineOutcome Header(std::string_view text, std::string& reason) {
    delimiter_ = SniffCsvDelimiter(text);
    std::vector<std::string> names;
    bool ok = SplitCsv(text, delimiter_, reason, [&](size_t, std::string_view content, bool escaped) {
      std::string name;
      if (escaped) {
        for (size_t i = 0; i < content.size(); ++i) {
          name.push_back(content[i]);
          if (content[i] == '"' && i + 1 < content.size()) ++i;
        }
      } else {
        name = std::string(content);
      }
      names.push_back(std::move(name));
    });
    if (!ok) {
      reason = "CSV header: " + reason;
      return LineOutcome::kFatal;
    }
    roles_.assign(names.size(), std::nullopt);
    bool any = false;
    if (mapping_.empty()) {
      for (size_t i = 0; i < names.size(); ++i) {
        roles_[i] = RoleOfFieldName(names[i]);
        any = any || roles_[i].has_value();
      }
      if (!any) {
        reason =
            "the CSV header names no known column (domain, url, ip, md5, sha1, sha256, hash, ...); "
            "give a field mapping";
        return LineOutcome::kFatal;
      }
    } else {
      for (const FieldMapping& entry : mapping_) {
        auto role = ParseRole(entry.role);
        std::string wanted = LowerCopy(TrimBlank(entry.field));
        auto found = std::find_if(names.begin(), names.end(), [&](const std::string& name) {
          return LowerCopy(TrimBlank(name)) == wanted;
        });
        if (found == names.end()) {
          reason = fmt::format("the field mapping names '{}', which is not a column of the CSV header",
                               entry.field);
          return LineOutcome::kFatal;
        }
        roles_[static_cast<size_t>(found - names.begin())] = role;
      }
    }
    have_header_ = true;
    return LineOutcome::kSkip;
  }

  std::vector<FieldMapping> mapping_;
  bool have_header_ = false;
  char delimiter_ = ',';
  std::vector<std::optional<Role>> roles_;  // by column
  Scratch scratch_;
};

}  // namespace

Result<std::unique_ptr<LineParser>> MakeCsvParser(const std::vector<FieldMapping>& mapping) {
  for (const FieldMapping& entry : mapping) {
    if (!ParseRole(entry.role)) {
      return Status::Invalid(
          fmt::format("field mapping: '{}' has an unknown role '{}'", entry.field, entry.role));
    }
  }
  return std::unique_ptr<LineParser>(std::make_unique<CsvParser>(mapping));
}

}  // namespace accord::telemetry::internal
