// What the exchange tests share: a sink that collects what a reader pushes,
// and the fixture of a real SQLite node with two organisations, with
// helpers to import into it, export from it and carry an export to a
// second node.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "exchange/exchange.h"
#include "exchange/text_readers.h"
#include "testing/testing.h"

namespace accord {

// A text reader's options for "feed.csv", with a fixed event.
inline TextReadOptions FeedTestOptions() {
  TextReadOptions o;
  o.source_name = "feed.csv";
  o.event_uuid = "11111111-1111-4111-8111-111111111111";
  o.event_title = "feed";
  return o;
}

// Collects what a reader pushes.
struct CollectingSink final : RecordSink {
  std::vector<EventRecord> events;
  std::vector<IndicatorRecord> indicators;
  std::vector<Rejection> rejections;
  Status OnEvent(EventRecord e) override { events.push_back(std::move(e)); return Status::Ok(); }
  Status OnIndicator(IndicatorRecord i) override { indicators.push_back(std::move(i)); return Status::Ok(); }
  Status OnStixObject(StixObjectRecord) override { return Status::Ok(); }
  Status OnSighting(SightingRecord) override { return Status::Ok(); }
  Status OnEventMembers(EventMembers) override { return Status::Ok(); }
  void OnReject(Rejection r) override { rejections.push_back(std::move(r)); }
};

// `text` read as the CSV file "feed.csv" into `sink`.
inline Status ReadCsvText(const std::string& text, CollectingSink& sink) {
  auto in = OpenInputFromMemory("feed.csv", text);
  EXPECT_TRUE(in.ok());
  return ReadCsv(**in, FeedTestOptions(), sink);
}

class ExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    owner_ = CreateOrg("Owner CERT");
    other_ = CreateOrg("Other Police");
  }

  int64_t CreateOrg(const std::string& name) {
    Organisation org;
    org.uuid = UuidV4();
    org.name = name;
    org.country = "FR";
    org.kind = "cert";
    org.created = "2026-01-01T00:00:00.000Z";
    auto created = store_->CreateOrganisation(org);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  ImportReport Import(const std::string& name, const std::string& content,
                      Tlp tlp = Tlp::kAmber, size_t batch = 20000) {
    std::string path = dir_.Join(name);
    testing::WriteFile(path, content);
    ImportOptions options;
    options.owner_org_id = owner_;
    options.default_tlp = tlp;
    options.batch_size = batch;
    options.on_reject = [this](const Rejection& r) { rejections_.push_back(r); };
    ImportReport report;
    last_status_ = ImportFile(*store_, path, options, &report);
    EXPECT_TRUE(last_status_.ok()) << last_status_.ToString();
    return report;
  }

  std::string ExportAs(int64_t org, ExportFormat format) {
    ExportOptions options;
    options.format = format;
    options.viewer = {org, Role::kAnalyst};
    std::ostringstream out;
    Status s = Export(*store_, options, out, nullptr);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }

  // Where a round trip's export arrives: a second node with one
  // organisation, holding `content` imported as `name`.
  struct Receiver {
    testing::TempDir dir;  // outlives the store
    std::unique_ptr<Store> store;
    ImportReport report;
    Status status;
  };
  std::unique_ptr<Receiver> ImportIntoAnotherNode(const std::string& name, const std::string& content) {
    auto receiver = std::make_unique<Receiver>();
    auto store = OpenStore({receiver->dir.Join("node"), true});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return receiver;
    receiver->store = std::move(store).value();
    Organisation org{0, UuidV4(), "Receiver", "DE", "cert", "", "2026-01-01T00:00:00.000Z"};
    auto created = receiver->store->CreateOrganisation(org);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    auto in = OpenInputFromMemory(name, content);
    EXPECT_TRUE(in.ok());
    if (!created.ok() || !in.ok()) return receiver;
    ImportOptions options;
    options.owner_org_id = created->id;
    receiver->status = ImportStream(*receiver->store, **in, options, &receiver->report);
    EXPECT_TRUE(receiver->status.ok()) << receiver->status.ToString();
    return receiver;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  int64_t owner_ = 0, other_ = 0;
  std::vector<Rejection> rejections_;
  Status last_status_;
};

}  // namespace accord
