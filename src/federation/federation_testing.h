// Helpers for the federation tests: STIX indicators with one TLP marking,
// imported into a node, and what a node's store holds afterwards.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/io.h"
#include "exchange/exchange.h"
#include "store/store.h"

namespace accord::federation::fixtures {

inline constexpr const char* kGreen = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
inline constexpr const char* kAmber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
inline constexpr const char* kClear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";

// An indicator for `domain`, numbered `n` (its id), with one TLP marking
// (none when `marking` is null).
inline std::string Indicator(int n, const std::string& domain, const char* marking) {
  return fmt::format(
      R"({{"type":"indicator","spec_version":"2.1","id":"indicator--{:08x}-1111-4111-8111-111111111111",)"
      R"("created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
      R"("pattern":"[domain-name:value = '{}']","pattern_type":"stix",)"
      R"("valid_from":"2026-01-01T00:00:00Z"{}}})",
      n, domain,
      marking == nullptr ? "" : fmt::format(R"(,"object_marking_refs":["{}"])", marking));
}

inline void ImportObjects(Store& store, int64_t owner, const std::vector<std::string>& objects,
                          const std::string& name, Tlp default_tlp = Tlp::kAmber) {
  std::string bundle = R"({"type":"bundle","objects":[)";
  for (size_t i = 0; i < objects.size(); ++i) bundle += (i > 0 ? "," : "") + objects[i];
  bundle += "]}";
  auto in = OpenInputFromMemory(name, bundle);
  ASSERT_TRUE(in.ok());
  ImportOptions options;
  options.owner_org_id = owner;
  options.default_tlp = default_tlp;
  ImportReport report;
  ASSERT_TRUE(ImportStream(store, **in, options, &report).ok());
}

// Every STIX object a store holds, every version, in storage order.
inline std::vector<StoredStixObject> AllStoredObjects(Store& store) {
  std::vector<StoredStixObject> objects;
  EXPECT_TRUE(store
                  .ForEachStixObject({},
                                     [&objects](const StoredStixObject& object) {
                                       objects.push_back(object);
                                       return Status::Ok();
                                     })
                  .ok());
  return objects;
}

// Every STIX object a store holds: id -> TLP.
inline std::map<std::string, Tlp> StoredObjects(Store& store) {
  std::map<std::string, Tlp> objects;
  for (const StoredStixObject& object : AllStoredObjects(store)) objects[object.id] = object.tlp;
  return objects;
}

}  // namespace accord::federation::fixtures
