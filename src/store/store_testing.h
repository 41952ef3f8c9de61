// The fixture the Store interface tests share (store_test.cc,
// warninglists_test.cc, admin_test.cc): a fresh SQLite node with two organisations, and
// helpers for batches, events and link context.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/store.h"
#include "testing/testing.h"

namespace accord::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), /*create=*/true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    org_a_ = MakeOrg("CERT-A");
    org_b_ = MakeOrg("Police-B");
  }

  int64_t MakeOrg(const std::string& name) {
    Organisation org;
    org.name = name;
    org.country = "FR";
    org.kind = "cert";
    auto created = store_->CreateOrganisation(org);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  std::unique_ptr<ImportBatch> Begin() {
    auto batch = store_->BeginImport();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    return batch.ok() ? std::move(batch).value() : nullptr;
  }

  static EventRecord Event(const std::string& uuid, std::vector<std::string> tags = {}) {
    EventRecord event;
    event.uuid = uuid;
    event.title = "event " + uuid;
    event.tags = std::move(tags);
    event.created = "2024-05-01T00:00:00.000Z";
    event.modified = "2024-05-01T00:00:00.000Z";
    return event;
  }

  int64_t AddEvent(ImportBatch& batch, const std::string& uuid, Tlp tlp = Tlp::kGreen) {
    auto id = batch.UpsertEvent(Event(uuid), tlp, org_a_, {});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  static IndicatorContext Context(const std::string& role = "c2") {
    IndicatorContext context;
    context.role = role;
    context.confidence = 80;
    return context;
  }

  StoreCounts CountsAt(const std::string& now) {
    auto counts = store_->Counts(now);
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    return counts.ok() ? *counts : StoreCounts{};
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  int64_t org_a_ = 0;
  int64_t org_b_ = 0;
  const Observable ip_{ObservableType::kIpv4, "192.0.2.1"};
  const Observable domain_{ObservableType::kDomain, "evil.example"};
};

}  // namespace accord::testing
