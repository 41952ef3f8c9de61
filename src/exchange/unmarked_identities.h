// The TLP level of the identities a STIX import brings without a TLP marking
// of their own. Internal to exchange/ (the importer uses it).
//
// Such an identity is stored at the least restrictive level among the
// objects of the same import that name it as their creator
// (`created_by_ref`), but never at a more restrictive one than the import's
// default: whoever may read an object can then resolve who made it (a
// bundle's indicators marked GREEN under an unmarked identity would
// otherwise reach GREEN readers naming an identity they cannot read, which
// OpenCTI refuses as MISSING_REFERENCE_ERROR), and an identity stays as
// visible as the import's default makes unmarked data. Only created_by_ref
// counts: being the target of a relationship (a victim) makes an identity
// no more visible. Nothing names it: the default, as for any unmarked
// object. An identity with its own TLP marking keeps it.
//
// A bundle may name an identity before or after it, so the importer holds
// unmarked identities and stores them at the end of the import, in the
// order they came. Memory is one held identity each and one level per
// identity named, whatever the size of the file.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/tlp.h"

namespace accord::exchange_internal {

class UnmarkedIdentities {
 public:
  explicit UnmarkedIdentities(Tlp default_tlp) : default_tlp_(default_tlp) {}

  // An object the import stores at `level` (its own marking or the
  // default) names `creator` in created_by_ref. Held identities are not
  // noted here: their own level is only known at the end.
  void NoteCreator(const std::string& creator, Tlp level);

  // An identity without a TLP marking, to be stored under `event_id` (0:
  // none) once Release says at which level.
  void Hold(StixObjectRecord identity, int64_t event_id);
  bool empty() const { return held_.empty(); }

  struct Released {
    StixObjectRecord identity;
    int64_t event_id = 0;
    Tlp tlp = Tlp::kAmber;
  };
  // Every held identity, in the order held, with the level to store it at;
  // leaves nothing held. An unmarked identity that names another as its
  // creator counts at its own level, so levels are settled in a pass that
  // only ever lowers them (each at most once per level).
  std::vector<Released> Release();

 private:
  struct Held {
    StixObjectRecord identity;
    int64_t event_id = 0;
  };
  Tlp LevelOf(const std::string& identity_id) const;

  Tlp default_tlp_;
  std::vector<Held> held_;
  // The least restrictive level among the objects naming each creator.
  std::unordered_map<std::string, Tlp> named_at_;
};

}  // namespace accord::exchange_internal
