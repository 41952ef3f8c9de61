// The STIX objects of events that did not come as STIX (event_stix.h), and
// RefreshDerivedStix, which keeps the stored copies TAXII serves current.
#include "exchange/event_stix.h"

#include <optional>
#include <unordered_map>

#include "exchange/exchange.h"

namespace accord {
namespace exchange_internal {

StixReportSpec EventReportSpec(const EventSummary& event, const std::string& identity_ref) {
  StixReportSpec report;
  report.id = "report--" + event.uuid;
  report.name = event.title.empty() ? "Accord event " + event.uuid : event.title;
  report.description = event.description;
  report.tlp = event.tlp;
  report.created_by_ref = identity_ref;
  report.created = event.created;
  report.modified = event.modified;
  report.published = event.modified.empty() ? event.created : event.modified;
  report.labels = event.tags;
  return report;
}

StixIndicatorSpec LinkIndicatorSpec(const EventSummary& event, const LinkedObservable& link,
                                    const std::string& identity_ref) {
  StixIndicatorSpec spec;
  spec.event_uuid = event.uuid;
  spec.observable = link.observable;
  spec.context = link.context;
  spec.tlp = event.tlp;
  spec.created_by_ref = identity_ref;
  spec.created = event.created;
  spec.modified = event.modified;
  return spec;
}

bool LinkExpired(const IndicatorContext& context, const std::string& now) {
  return !context.valid_until.empty() && context.valid_until <= now;
}

}  // namespace exchange_internal

Result<int64_t> RefreshDerivedStix(Store& store, TimePoint now) {
  using namespace exchange_internal;  // NOLINT: this module's own helpers
  const std::string now_text = FormatTimestamp(now);
  // Organisations are read once, and only when some event is stale: TAXII
  // calls this before every page, and nearly always nothing is.
  std::optional<std::unordered_map<int64_t, std::string>> identities;
  DerivedStixProjector projector = [&](const EventSummary& event, const std::vector<LinkedObservable>& links)
      -> Result<std::vector<DerivedStixObject>> {
    if (!identities) {
      ASSIGN_OR_RETURN(auto orgs, store.ListOrganisations());
      identities.emplace();
      for (const Organisation& org : orgs) identities->emplace(org.id, StixIdentityId(org.uuid));
    }
    auto identity = identities->find(event.owner_org_id);
    const std::string identity_ref = identity == identities->end() ? "" : identity->second;
    std::vector<DerivedStixObject> objects;
    StixReportSpec report = EventReportSpec(event, identity_ref);
    for (const LinkedObservable& link : links) {
      if (LinkExpired(link.context, now_text)) continue;
      StixIndicatorSpec spec = LinkIndicatorSpec(event, link, identity_ref);
      DerivedStixObject object;
      object.id = StixIndicatorId(spec);
      object.type = "indicator";
      object.created = spec.created;
      object.modified = spec.modified;
      object.build = [spec](const std::string& modified) mutable {
        spec.modified = modified;
        return BuildStixIndicator(spec);
      };
      report.object_refs.push_back(object.id);
      objects.push_back(std::move(object));
    }
    DerivedStixObject report_object;
    report_object.id = report.id;
    report_object.type = "report";
    report_object.created = report.created;
    report_object.modified = report.modified;
    report_object.build = [report = std::move(report)](const std::string& modified) mutable {
      report.modified = modified;
      return BuildStixReport(report);
    };
    objects.push_back(std::move(report_object));
    return objects;
  };
  return store.RefreshDerivedStix(projector, now_text);
}

}  // namespace accord
