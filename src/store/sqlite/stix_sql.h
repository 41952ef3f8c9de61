// SQL fragments of the STIX object reads (stix_reads.cc), declared here so
// that their query plans can be tested: a correlated subquery that picks
// the wrong index is correct and only slow, which no result shows.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "store/stix_rows.h"

namespace accord::sqlite {

// A parameter a query builder collects, bound in order (?1, ?2, ...).
using StixSqlParam = std::variant<int64_t, std::string>;

// A STIX timestamp column as text that sorts in time order whatever its
// precision: "...:00Z", "...:00.5Z" and "...:00.500Z" differ as text, and
// "." sorts before "Z", so plain text order puts "...:00Z" after
// "...:00.500Z". The fraction is padded to nine digits.
std::string SortableTimestampSql(const std::string& column);

// " AND (...)": the versions `versions` selects of the rows of
// "stix_objects s" (first, last, exact); empty when it selects every one.
// Exact versions are appended to `params`.
Result<std::string> StixVersionSql(const StixVersionSelection& versions, std::vector<StixSqlParam>& params);

}  // namespace accord::sqlite
