// Which uuid an event derived from a name is stored under (exchange.h).
#include "core/crypto.h"
#include "exchange/exchange.h"

namespace accord {

Result<std::string> StoredEventUuid(Store& store, const std::string& uuid,
                                    const std::string& legacy_uuid) {
  if (legacy_uuid.empty() || legacy_uuid == uuid) return uuid;
  // The new id first: once a node has an event under it, that one is the
  // event, whatever an older twin under the legacy id holds.
  ASSIGN_OR_RETURN(std::optional<EventSummary> current, store.GetEvent(uuid));
  if (current) return uuid;
  ASSIGN_OR_RETURN(std::optional<EventSummary> legacy, store.GetEvent(legacy_uuid));
  return legacy ? legacy_uuid : uuid;
}

Result<std::string> NodeEventUuid(Store& store, std::string_view node_salt, const std::string& uuid,
                                  const std::string& legacy_uuid, std::string_view source) {
  if (node_salt.empty() || legacy_uuid.empty()) return StoredEventUuid(store, uuid, legacy_uuid);
  const std::string salted =
      StableUuidV4(kAccordUuidNamespace, "node:" + std::string(node_salt) + ":" + uuid);
  ASSIGN_OR_RETURN(std::optional<EventSummary> current, store.GetEvent(salted));
  if (current) return salted;
  for (const std::string& before : {uuid, legacy_uuid}) {
    ASSIGN_OR_RETURN(std::optional<EventSummary> stored, store.GetEvent(before));
    if (stored && stored->source == source) return before;
  }
  return salted;
}

Result<std::string> DerivedEventUuid(Store& store, std::string_view name) {
  return StoredEventUuid(store, StableUuidV4(kAccordUuidNamespace, name),
                         UuidV5(kAccordUuidNamespace, name));
}

}  // namespace accord
