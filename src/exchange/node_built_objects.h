// STIX objects this node builds rather than stores: OASIS's TLP 2.0 marking
// definitions (core/tlp.cc) and its own organisations' identities
// (BuildStixIdentity, from each organisation's record). TAXII and exports
// serve them from those sources, so a copy that arrives (a TAXII post, an
// import, a peer's push) is never stored: stored, it would be served beside
// the node's own as a second version, and one saying another name or level
// would relabel every object naming it for every reader (an organisation
// posting "identity--<another's>" with a later modified, or "TLP:CLEAR"
// under the TLP:RED id). A copy that agrees is known; one that does not is
// refused.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace accord {

class NodeBuiltObjects {
 public:
  explicit NodeBuiltObjects(Store& store) : store_(store) {}

  // nullopt: `id` is no object this node builds (a TLP 1.0 marking
  // definition that says its id's level is stored as any object). "": the
  // copy (`json`, the whole object) says what the node's own says.
  // Otherwise why it is refused, naming the object.
  Result<std::optional<std::string>> Check(std::string_view type, std::string_view id, std::string_view json);

 private:
  Store& store_;
  // Identity id -> organisation name, of every organisation on the node
  // (peers' stand-ins included); read once.
  std::optional<std::map<std::string, std::string, std::less<>>> identities_;
};

}  // namespace accord
