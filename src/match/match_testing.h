// For the match tests: a real SQLite node with organisations and events
// written through the store's own import batch.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto.h"
#include "store/store.h"

namespace accord::match {

inline const TimePoint kNow = TimePoint(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z

class TestNode {
 public:
  explicit TestNode(const std::string& dir) {
    auto store = OpenStore({dir, true});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    cert_a_ = AddOrganisation("CERT-A", "DE", "cert");
  }

  Store& store() { return *store_; }
  int64_t cert_a() const { return cert_a_; }

  int64_t AddOrganisation(const std::string& name, const std::string& country,
                          const std::string& kind) {
    Organisation org;
    org.uuid = UuidV4();
    org.name = name;
    org.country = country;
    org.kind = kind;
    org.created = "2025-01-01T00:00:00Z";
    auto created = store_->CreateOrganisation(org);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  struct EventSpec {
    Tlp tlp = Tlp::kGreen;
    int64_t owner = 0;  // 0 = CERT-A
    std::vector<int64_t> recipients;
    std::vector<std::string> tags;
    std::string title = "test event";
    std::string valid_until;
    std::string family;  // the source's family for each value (a feed's malware column)
  };

  // One event carrying `observables` as indicators; returns its uuid.
  std::string AddEvent(const EventSpec& spec, const std::vector<Observable>& observables) {
    auto batch = store_->BeginImport();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    EventRecord event;
    event.uuid = UuidV4();
    event.title = spec.title;
    event.tags = spec.tags;
    auto event_id =
        (*batch)->UpsertEvent(event, spec.tlp, spec.owner ? spec.owner : cert_a_, spec.recipients);
    EXPECT_TRUE(event_id.ok()) << event_id.status().ToString();
    for (const Observable& observable : observables) {
      IndicatorContext context;
      context.valid_until = spec.valid_until;
      context.family = spec.family;
      auto linked = (*batch)->Link(*event_id, observable, context, "");
      EXPECT_TRUE(linked.ok()) << linked.status().ToString();
    }
    AuditEntry audit;
    audit.actor = "test";
    audit.action = "import";
    audit.object = event.uuid;
    EXPECT_TRUE((*batch)->AppendAudit(audit).ok());
    EXPECT_TRUE((*batch)->Commit().ok());
    return event.uuid;
  }

  std::string AddIndicators(Tlp tlp, const std::vector<Observable>& observables,
                            const std::string& valid_until = "") {
    EventSpec spec;
    spec.tlp = tlp;
    spec.valid_until = valid_until;
    return AddEvent(spec, observables);
  }

  void WarningList(const std::string& domain) {
    auto info = store_->LookupObservable({ObservableType::kDomain, domain});
    ASSERT_TRUE(info.ok() && info->has_value());
    ASSERT_TRUE(store_->SetObservableWarningList((*info)->id, "test list").ok());
    AuditEntry audit;
    audit.actor = "test";
    audit.action = "warninglist.add";
    audit.object = "test list";
    ASSERT_TRUE(store_->AppendAudit(audit).ok());
  }

 private:
  std::unique_ptr<Store> store_;
  int64_t cert_a_ = 0;
};

}  // namespace accord::match
