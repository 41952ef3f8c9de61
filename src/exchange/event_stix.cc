// The STIX objects of events that did not come as STIX (event_stix.h), and
// RefreshDerivedStix, which keeps the stored copies TAXII serves current.
#include "exchange/event_stix.h"

#include <optional>
#include <unordered_map>

#include "core/crypto.h"
#include "exchange/exchange.h"

namespace accord {
namespace exchange_internal {

namespace {

// A derived object written from `spec` by `build` at the version time the
// store asks for.
template <typename Spec>
DerivedStixObject Derived(std::string id, std::string type, Spec spec, std::string (*build)(const Spec&)) {
  DerivedStixObject object;
  object.id = std::move(id);
  object.type = std::move(type);
  object.created = spec.created;
  object.modified = spec.modified;
  object.build = [spec = std::move(spec), build](const std::string& modified) mutable {
    spec.modified = modified;
    return build(spec);
  };
  return object;
}

// The report's name, which its indicators' descriptions repeat.
std::string EventName(const EventSummary& event) {
  return event.title.empty() ? "Accord event " + event.uuid : event.title;
}

}  // namespace

StixReportSpec EventReportSpec(const EventSummary& event, const std::string& identity_ref) {
  StixReportSpec report;
  // The event's uuid when it is a version 4 uuid, as STIX asks of domain
  // objects (the OASIS schema refuses other versions and variants outright).
  // MISP events made by old MISP versions carry uuids that are neither
  // ("5a3c2fcd-8328-12bb-c95e-..."), as may a CSV's event_uuid column: their
  // report gets a stable v4 uuid derived from the event's.
  report.id = "report--" + (IsUuidV4(event.uuid)
                                ? event.uuid
                                : StableUuidV4(kAccordUuidNamespace, "report-of-event:" + event.uuid));
  report.name = EventName(event);
  report.description = event.description;
  report.tlp = event.tlp;
  report.created_by_ref = identity_ref;
  report.created = event.created;
  report.modified = event.modified;
  // When the event was first shared, not last touched: a feed imported again
  // unchanged moves the event's modified time, and a published that moved
  // with it made a new version of a report naming a million indicators.
  report.published = event.created.empty() ? event.modified : event.created;
  report.labels = event.tags;
  return report;
}

std::optional<DerivedStixObject> LinkStixObject(const EventSummary& event, const LinkedObservable& link,
                                                const std::string& identity_ref) {
  DerivedStixObject object;
  object.created = event.created;
  object.modified = event.modified;
  if (!link.context.is_indicator || !link.warninglist.empty()) {
    StixObservableSpec spec;
    spec.event_uuid = event.uuid;
    spec.observable = link.observable;
    spec.context = link.context;
    spec.tlp = event.tlp;
    object.id = StixObservableId(spec);
    if (object.id.empty()) return std::nullopt;
    object.type = object.id.substr(0, object.id.find("--"));
    // Observables carry no version times: every version builds the same.
    object.build = [spec = std::move(spec)](const std::string&) { return BuildStixObservable(spec); };
    return object;
  }
  StixIndicatorSpec spec;
  spec.event_uuid = event.uuid;
  spec.event_title = EventName(event);
  spec.observable = link.observable;
  spec.context = link.context;
  spec.tlp = event.tlp;
  spec.created_by_ref = identity_ref;
  spec.created = event.created;
  spec.modified = event.modified;
  std::string id = StixIndicatorId(spec);
  return Derived(std::move(id), "indicator", std::move(spec), &BuildStixIndicator);
}

std::vector<DerivedStixObject> LinkFamilyStixObjects(const EventSummary& event, const LinkedObservable& link,
                                                     const std::string& indicator_id,
                                                     const std::string& identity_ref) {
  std::vector<DerivedStixObject> objects;
  if (link.context.family.empty() || indicator_id.empty()) return objects;
  StixMalwareSpec malware;
  malware.event_uuid = event.uuid;
  malware.name = link.context.family;
  malware.tlp = event.tlp;
  malware.created_by_ref = identity_ref;
  malware.created = event.created;
  malware.modified = event.modified;
  StixRelationshipSpec relationship;
  relationship.relationship_type = "indicates";
  relationship.source_ref = indicator_id;
  relationship.target_ref = StixMalwareId(malware);
  relationship.tlp = event.tlp;
  relationship.created_by_ref = identity_ref;
  relationship.created = event.created;
  relationship.modified = event.modified;
  objects.push_back(Derived(relationship.target_ref, "malware", std::move(malware), &BuildStixMalware));
  std::string relationship_id = StixRelationshipId(relationship);
  objects.push_back(Derived(std::move(relationship_id), "relationship", std::move(relationship),
                            &BuildStixRelationship));
  return objects;
}

bool LinkExpired(const IndicatorContext& context, const std::string& now) {
  return !context.valid_until.empty() && context.valid_until <= now;
}

}  // namespace exchange_internal

namespace {

// The report and indicators `export` writes for an event, as derived
// objects. Organisations are read once, and only when some event is stale:
// TAXII calls the refresh before every page, and nearly always nothing is.
class EventProjector final : public DerivedStixProjector {
 public:
  EventProjector(Store& store, std::string now, const std::function<bool()>& stop)
      : store_(store), now_(std::move(now)), stop_(stop) {}

  Result<std::optional<DerivedStixObject>> LinkObject(const EventSummary& event,
                                                     const LinkedObservable& link) override {
    using namespace exchange_internal;  // NOLINT: this module's own helpers
    if (stop_ && stop_()) return Status::FailedPrecondition("derived STIX refresh stopped");
    if (LinkExpired(link.context, now_)) return std::optional<DerivedStixObject>();
    ASSIGN_OR_RETURN(std::string identity_ref, IdentityOf(event.owner_org_id));
    return LinkStixObject(event, link, identity_ref);
  }

  Result<std::vector<DerivedStixObject>> LinkFamilyObjects(const EventSummary& event, const LinkedObservable& link,
                                                           const std::string& indicator_id) override {
    using namespace exchange_internal;  // NOLINT: this module's own helpers
    if (link.context.family.empty()) return std::vector<DerivedStixObject>();
    ASSIGN_OR_RETURN(std::string identity_ref, IdentityOf(event.owner_org_id));
    return LinkFamilyStixObjects(event, link, indicator_id, identity_ref);
  }

  Result<DerivedStixObject> EventObject(const EventSummary& event,
                                        const std::vector<std::string>& link_object_ids) override {
    using namespace exchange_internal;  // NOLINT: this module's own helpers
    ASSIGN_OR_RETURN(std::string identity_ref, IdentityOf(event.owner_org_id));
    StixReportSpec report = EventReportSpec(event, identity_ref);
    report.object_refs = link_object_ids;
    std::string id = report.id;
    return Derived(std::move(id), "report", std::move(report), &BuildStixReport);
  }

 private:
  Result<std::string> IdentityOf(int64_t org_id) {
    if (!identities_) {
      ASSIGN_OR_RETURN(auto orgs, store_.ListOrganisations());
      identities_.emplace();
      for (const Organisation& org : orgs) identities_->emplace(org.id, StixIdentityId(org.uuid));
    }
    auto identity = identities_->find(org_id);
    return identity == identities_->end() ? std::string() : identity->second;
  }

  Store& store_;
  const std::string now_;
  const std::function<bool()>& stop_;
  std::optional<std::unordered_map<int64_t, std::string>> identities_;
};

}  // namespace

Result<int64_t> RefreshDerivedStix(Store& store, TimePoint now, int64_t max_event_links,
                                   const std::function<bool()>& stop) {
  const std::string now_text = FormatTimestamp(now);
  EventProjector projector(store, now_text, stop);
  return store.RefreshDerivedStix(projector, now_text, max_event_links);
}

}  // namespace accord
