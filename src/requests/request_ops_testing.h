// The fixture of the 24/7 operations' tests: a real SQLite node with three
// law-enforcement organisations (OCLCTIC FR, BKA DE with a point of contact
// and a backup, Polizia Postale IT with none), a settable clock, and
// helpers to act as a role of an organisation.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
#include "requests/request_ops.h"
#include "store/store.h"
#include "testing/testing.h"

namespace accord::requests {

class RequestOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore({dir_.Join("node"), /*create=*/true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    fr_ = MakeOrg("OCLCTIC", "FR");
    de_ = MakeOrg("BKA", "DE");
    it_ = MakeOrg("Polizia Postale", "IT");
    PointOfContact de_poc;
    de_poc.org_id = de_;
    de_poc.name = "BKA 24/7 desk";
    de_poc.time_zone = "Europe/Berlin";
    de_poc.languages = {"de", "EN"};
    de_poc.channels = {{"phone", "+49 611 55 0"}};
    de_poc.backup_name = "BKA duty officer";
    de_poc.backup_channels = {{"phone", "+49 611 55 1"}};
    ASSERT_TRUE(SetPointOfContact(*store_, Admin(de_), de_poc, clock_).ok());
  }

  int64_t MakeOrg(const std::string& name, const std::string& country) {
    Organisation org;
    org.name = name;
    org.country = country;
    org.kind = "law-enforcement";
    auto created = store_->CreateOrganisation(org);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  Actor As(int64_t org, Role role) {
    return Actor{Principal{org, role}, "test:" + std::string(RoleName(role)), "127.0.0.1"};
  }
  Actor Admin(int64_t org) { return As(org, Role::kAdmin); }
  Actor Poc(int64_t org) { return As(org, Role::kPoc); }

  RequestRow NewPreservation(bool complete = true) {
    NewRequest request;
    request.type = "preservation";
    request.to_org_id = de_;
    request.subject = "Logs of C2 203.0.113.7";
    if (complete) {
      request.fields = {{"requesting_authority", "OCLCTIC"},
                        {"offence", "Computer-related fraud"},
                        {"facts", "Infostealer C2 collecting credentials"},
                        {"data_sought", "Server logs of 203.0.113.7"},
                        {"relation_to_offence", "It is the C2 server"},
                        {"custodian_location", "Example Hosting GmbH"},
                        {"necessity", "Logs rotate in 14 days"},
                        {"mla_intent", "yes"}};
    }
    auto row = CreateRequest(*store_, Poc(fr_), request, clock_);
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    return row.ok() ? *row : RequestRow{};
  }

  RequestRow Do(int64_t org, const std::string& handle, const std::string& action,
                const std::string& reason = "", const std::string& until = "") {
    auto row = Act(*store_, Poc(org), handle, {action, reason, until, 0}, clock_);
    EXPECT_TRUE(row.ok()) << action << ": " << row.status().ToString();
    return row.ok() ? *row : RequestRow{};
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> actions;
    EXPECT_TRUE(store_
                    ->ForEachAudit([&](const AuditEntry& entry) {
                      actions.push_back(entry.action);
                      return Status::Ok();
                    })
                    .ok());
    return actions;
  }

  testing::TempDir dir_;
  testing::ManualClock clock_{*ParseTimestamp("2026-03-01T10:00:00Z")};
  std::unique_ptr<Store> store_;
  int64_t fr_ = 0, de_ = 0, it_ = 0;
};

}  // namespace accord::requests
