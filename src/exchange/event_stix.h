// Internal to exchange/: the STIX objects that stand for an event that did
// not come as STIX, shared by `export` (which writes them into its bundle)
// and the derived objects TAXII serves (event_stix.cc). One definition, so
// a partner gets the same objects by either road.
#pragma once

#include <string>

#include "stix/stix.h"
#include "store/store.h"

namespace accord::exchange_internal {

// The event's report, without object_refs (the caller adds its indicators).
StixReportSpec EventReportSpec(const EventSummary& event, const std::string& identity_ref);
// One link of the event as an indicator.
StixIndicatorSpec LinkIndicatorSpec(const EventSummary& event, const LinkedObservable& link,
                                    const std::string& identity_ref);
// Whether a link's indicator has expired at `now` (RFC 3339): left out of both.
bool LinkExpired(const IndicatorContext& context, const std::string& now);

}  // namespace accord::exchange_internal
