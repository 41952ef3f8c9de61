// Internal to exchange/: the STIX objects that stand for an event that did
// not come as STIX, shared by `export` (which writes them into its bundle)
// and the derived objects TAXII serves (event_stix.cc). One definition, so
// a partner gets the same objects by either road.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stix/stix.h"
#include "store/store.h"

namespace accord::exchange_internal {

// The event's report, without object_refs (the caller adds its indicators).
StixReportSpec EventReportSpec(const EventSummary& event, const std::string& identity_ref);
// One link of the event as STIX: an indicator when the value is for
// detection; a cyber-observable object when it is context only
// (is_indicator false) or on a warning list, so that no partner's tools turn
// it into a detection (a receiver may not have our warning lists). nullopt
// for a context value STIX has no core object for (a wallet).
std::optional<DerivedStixObject> LinkStixObject(const EventSummary& event, const LinkedObservable& link,
                                                const std::string& identity_ref);
// The malware object of the family a feed names for the link (its
// context.family), and the relationship from the link's indicator
// `indicator_id` to it; empty without a family. One malware object per
// event and family: callers write each id once.
std::vector<DerivedStixObject> LinkFamilyStixObjects(const EventSummary& event, const LinkedObservable& link,
                                                     const std::string& indicator_id,
                                                     const std::string& identity_ref);
// Whether a link's indicator has expired at `now` (RFC 3339): left out of both.
bool LinkExpired(const IndicatorContext& context, const std::string& now);

}  // namespace accord::exchange_internal
