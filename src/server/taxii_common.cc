// Shared TAXII pieces: collections, content negotiation, query parsing,
// cursors and visibility. See taxii_internal.h.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/crypto.h"
#include "core/time.h"
#include "exchange/exchange.h"
#include "server/taxii_internal.h"
#include "store/stix_read_check.h"

namespace accord::server::taxii {
namespace {

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(Trim(text.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// One media type of a header: "type/subtype" lower-cased, and its
// parameters (names lower-cased, quotes removed).
struct MediaType {
  std::string type;
  std::map<std::string, std::string> params;
};

MediaType ParseMediaType(std::string_view text) {
  std::vector<std::string> parts = Split(text, ';');
  MediaType media;
  media.type = Lower(parts[0]);
  for (size_t part_idx = 1; part_idx < parts.size(); ++part_idx) {
    size_t equals = parts[part_idx].find('=');
    if (equals == std::string::npos) continue;
    std::string value = Trim(std::string_view(parts[part_idx]).substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    media.params[Lower(Trim(std::string_view(parts[part_idx]).substr(0, equals)))] = value;
  }
  return media;
}

bool IsTaxii21(const MediaType& media) {
  if (media.type != "application/taxii+json") return false;
  auto version = media.params.find("version");
  return version == media.params.end() || version->second == "2.1";
}

// Every value of a repeated query parameter, comma lists flattened.
std::vector<std::string> ListParam(const httplib::Request& req, const char* name) {
  std::vector<std::string> values;
  const size_t count = req.get_param_value_count(name);
  for (size_t value_idx = 0; value_idx < count; ++value_idx) {
    for (std::string& value : Split(req.get_param_value(name, value_idx), ',')) {
      if (!value.empty()) values.push_back(std::move(value));
    }
  }
  return values;
}

Result<int64_t> ParseLimit(const std::string& text) {
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  if (!digits) return Status::Invalid(fmt::format("limit \"{}\" is not a positive integer", text));
  if (text.size() > 9) return kMaxPageSize;  // far above the server page size
  int64_t limit = std::stoll(text);
  if (limit <= 0) return Status::Invalid("limit must be at least 1");
  return std::min(limit, kMaxPageSize);
}

Status ParseVersions(const std::vector<std::string>& values, StixVersionSelection* versions) {
  for (const std::string& value : values) {
    if (value == "all") {
      *versions = StixVersionSelection{};
      return Status::Ok();
    }
    if (value == "first") {
      versions->first = true;
    } else if (value == "last") {
      versions->last = true;
    } else if (ParseTimestamp(value).ok()) {
      versions->exact.push_back(value);
    } else {
      return Status::Invalid(fmt::format(
          "match[version] \"{}\" is not first, last, all or an RFC 3339 timestamp", value));
    }
  }
  return Status::Ok();
}

}  // namespace

const std::vector<Collection>& Collections() {
  // Built once and never changed: the collections are the TLP levels.
  static const std::vector<Collection> collections = [] {
    std::vector<Collection> all;
    for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
      Collection collection;
      collection.tlp = tlp;
      collection.alias = "tlp-" + std::string(TlpName(tlp));
      std::replace(collection.alias.begin(), collection.alias.end(), '+', '-');
      collection.id = UuidV5(kAccordUuidNamespace, collection.alias);
      collection.title = std::string(TlpLabel(tlp));
      collection.description = fmt::format(
          "STIX 2.1 objects shared under {} on this node; you see those TLP 2.0 lets your "
          "organisation read. Objects added here without a TLP marking are marked {}.",
          TlpLabel(tlp), TlpLabel(tlp));
      all.push_back(std::move(collection));
    }
    return all;
  }();
  return collections;
}

const Collection* FindCollection(std::string_view id_or_alias) {
  const std::string key = Lower(id_or_alias);
  for (const Collection& collection : Collections()) {
    if (collection.id == key || collection.alias == key) return &collection;
  }
  return nullptr;
}

bool MayWrite(Role role) {
  return role == Role::kContributor || role == Role::kAnalyst || role == Role::kAdmin;
}

bool AcceptsTaxii(const httplib::Request& req) {
  if (!req.has_header("Accept")) return true;
  const std::string header = req.get_header_value("Accept");
  if (Trim(header).empty()) return true;
  for (const std::string& entry : Split(header, ',')) {
    if (entry.empty()) continue;
    MediaType media = ParseMediaType(entry);
    auto quality = media.params.find("q");
    if (quality != media.params.end() && std::strtod(quality->second.c_str(), nullptr) <= 0) {
      continue;  // q=0: explicitly not acceptable
    }
    if (media.type == "*/*" || media.type == "application/*" || IsTaxii21(media)) return true;
  }
  return false;
}

bool IsTaxiiContentType(std::string_view content_type) {
  return IsTaxii21(ParseMediaType(content_type));
}

Result<PageQuery> ParsePageQuery(const httplib::Request& req, Endpoint endpoint) {
  PageQuery query;
  // TAXII 2.1 (3.4): these must not be repeated (match[...] lists may be).
  for (const char* single : {"limit", "next", "added_after"}) {
    if (req.get_param_value_count(single) > 1) {
      return Status::Invalid(fmt::format("{} is given {} times; give it once", single,
                                         req.get_param_value_count(single)));
    }
  }
  if (req.has_param("limit")) {
    ASSIGN_OR_RETURN(query.limit, ParseLimit(req.get_param_value("limit")));
  }
  if (req.has_param("next")) {
    ASSIGN_OR_RETURN(query.cursor, DecodeNextToken(req.get_param_value("next")));
    // After an item served before the object at seq, that object is still to come.
    query.filter.after_seq = query.cursor.rank == kRowRank ? query.cursor.seq : query.cursor.seq - 1;
  }
  if (req.has_param("added_after")) {
    const std::string added_after = req.get_param_value("added_after");
    if (!ParseTimestamp(added_after).ok()) {
      return Status::Invalid(
          fmt::format("added_after \"{}\" is not an RFC 3339 timestamp", added_after));
    }
    query.filter.added_after = added_after;
  }
  query.filter.spec_versions = ListParam(req, "match[spec_version]");
  if (endpoint == Endpoint::kObjects || endpoint == Endpoint::kManifest) {
    query.filter.ids = ListParam(req, "match[id]");
    query.filter.types = ListParam(req, "match[type]");
  }
  if (endpoint != Endpoint::kVersions) {
    std::vector<std::string> versions = ListParam(req, "match[version]");
    // No match[version]: the latest version of each object (TAXII 2.1).
    if (versions.empty()) versions.push_back("last");
    RETURN_IF_ERROR(ParseVersions(versions, &query.filter.versions));
  }
  return query;
}

std::string EncodeNextToken(const Cursor& cursor) {
  if (cursor.rank == kRowRank) return fmt::format("s{:x}", cursor.seq);
  return fmt::format("t{:x}.{:x}", cursor.seq, cursor.rank);
}

Result<Cursor> DecodeNextToken(std::string_view token) {
  auto bad = [&] {
    return Status::Invalid(fmt::format("next \"{}\" is not a token this server gave", token));
  };
  auto hex = [](std::string_view digits, int64_t* value) {
    if (digits.empty() || digits.size() > 16) return false;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), *value, 16);
    return error == std::errc() && end == digits.data() + digits.size() && *value >= 0;
  };
  if (token.size() < 2 || (token[0] != 's' && token[0] != 't')) return bad();
  Cursor cursor;
  if (token[0] == 's') {
    if (!hex(token.substr(1), &cursor.seq) || cursor.seq <= 0) return bad();
    return cursor;
  }
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || !hex(token.substr(1, dot - 1), &cursor.seq) ||
      !hex(token.substr(dot + 1), &cursor.rank) || cursor.seq <= 0 || cursor.rank == kRowRank) {
    return bad();
  }
  return cursor;
}

Result<Page> ReadVisiblePage(RequestContext& ctx, StixObjectFilter filter, int64_t limit,
                             const Cursor& cursor) {
  // Events made here (MISP, CSV, lists, REST, the UI) are served too: their
  // derived objects are brought up to date first (one indexed query when
  // nothing changed). Big events are the background housekeeper's.
  RETURN_IF_ERROR(RefreshDerivedStix(*ctx.store, ctx.state->clock.Now(),
                                     ctx.state->config.taxii_inline_refresh_links)
                      .status());
  const StixObjectFilter query = filter;  // as asked, before the loop moves the cursor
  std::vector<StoredStixObject> rows;
  StixReadCheck check(*ctx.store, ctx.principal);
  filter.readable_by = ctx.principal;
  // One more than asked tells whether more follow. The SQL prefilter and
  // MayRead agree, so this loop runs once; it goes on only if MayRead
  // refused rows the prefilter let through, to keep pages full.
  while (static_cast<int64_t>(rows.size()) <= limit) {
    const int64_t wanted = limit + 1 - static_cast<int64_t>(rows.size());
    filter.limit = wanted;
    int64_t fetched = 0;
    RETURN_IF_ERROR(ctx.store->ForEachStixObject(filter, [&](const StoredStixObject& object) {
      ++fetched;
      filter.after_seq = object.seq;
      filter.added_after.clear();  // the cursor now lies past it
      ASSIGN_OR_RETURN(bool visible, check.MayReadObject(object));
      if (visible) rows.push_back(object);
      return Status::Ok();
    }));
    if (fetched < wanted) break;
  }

  // A collection also serves the identities and marking definitions its
  // objects refer to, each placed before an object; only those up to the
  // last stored object read can be on this page.
  std::vector<SharedItem> shared;
  if (query.tlps.size() == 1) {
    const int64_t end_seq =
        static_cast<int64_t>(rows.size()) > limit ? rows.back().seq : INT64_MAX;
    ASSIGN_OR_RETURN(shared, ReadSharedItems(ctx, check, query.tlps.front(), query, cursor, end_seq));
    // A bundle (or a federation peer) may have brought the same marking
    // definition as an object: one page never carries it twice.
    std::erase_if(shared, [&](const SharedItem& item) {
      return std::any_of(rows.begin(), rows.end(), [&](const StoredStixObject& row) {
        return row.id == item.object.id && VersionOf(row) == VersionOf(item.object);
      });
    });
  }

  Page page;
  size_t row_idx = 0, shared_idx = 0;
  while (static_cast<int64_t>(page.objects.size()) < limit &&
         (row_idx < rows.size() || shared_idx < shared.size())) {
    // An item sits before the stored object of its seq.
    const bool take_shared = shared_idx < shared.size() &&
                             (row_idx == rows.size() || shared[shared_idx].seq <= rows[row_idx].seq);
    if (take_shared) {
      page.next = Cursor{shared[shared_idx].seq, shared[shared_idx].rank};
      page.objects.push_back(std::move(shared[shared_idx++].object));
      page.shared.push_back(true);
    } else {
      page.next = Cursor{rows[row_idx].seq, kRowRank};
      page.objects.push_back(std::move(rows[row_idx++]));
      page.shared.push_back(false);
    }
  }
  page.more = row_idx < rows.size() || shared_idx < shared.size();
  return page;
}

std::string VersionOf(const StoredStixObject& object) {
  return object.modified.empty() ? object.date_added : object.modified;
}

void SetDateAddedHeaders(httplib::Response& res, const std::vector<StoredStixObject>& objects) {
  if (objects.empty()) return;
  res.set_header("X-TAXII-Date-Added-First", objects.front().date_added);
  res.set_header("X-TAXII-Date-Added-Last", objects.back().date_added);
}

void WriteTaxii(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, kTaxiiMediaType);
}

}  // namespace accord::server::taxii
