// Where a bundle's objects and values end up once its reports are read
// (importer.h): objects read before the report that names them move into
// its event, values leave the bundle's group events, and into a target
// event (`import --event`) a stricter report's members go to the target's
// companion.
#include <map>

#include "exchange/importer.h"

namespace accord::exchange_internal {

Status Importer::MoveObjectsIntoReports(const std::unordered_map<std::string, Tlp>& stricter) {
  // Each group event of the bundle, then what this import stored outside
  // any event: unmarked, and marked (by level).
  struct Source {
    int64_t group = 0;  // 0: outside any event
    bool unmarked = false;
    Tlp tlp = Tlp::kAmber;
    const std::vector<int64_t>* only_seqs = nullptr;
  };
  std::vector<Source> sources;
  for (int64_t group : group_events_) {
    sources.push_back({group, unmarked_groups_.contains(group), levels_.Facts(group).tlp, nullptr});
  }
  if (!unmarked_outside_.empty()) sources.push_back({0, true, options_.default_tlp, &unmarked_outside_});
  for (const auto& [level, seqs] : marked_outside_) sources.push_back({0, false, level, &seqs});
  for (const Source& source : sources) {
    // What came unmarked takes the report's level, as its values did;
    // what came marked keeps its own, and moves only where its values
    // went (a report whose level the group's fits within). Outside any
    // event, only what this import stored moves: a malware marked GREEN
    // read before the GREEN report that names it stayed outside the
    // report's event.
    const int64_t group = source.group;
    const bool unmarked = source.unmarked;
    const Tlp group_tlp = source.tlp;
    // Each object goes to the least restrictive such report that names it
    // (the first of equals): one stored version has one event, and its
    // values are in every report that names them.
    std::unordered_map<std::string, int64_t> widest;  // stix id -> report event
    for (const EventMembers& members : pending_members_) {
      if (refused_events_.contains(members.event_uuid)) continue;
      auto event = event_ids_.find(members.event_uuid);
      if (event == event_ids_.end() || IsGroupEvent(event->second)) continue;
      const Tlp level = levels_.Facts(event->second).tlp;
      if (!unmarked && !FitsWithin(group_tlp, level)) continue;
      for (const std::string& stix_id : members.stix_ids) {
        auto [it, inserted] = widest.try_emplace(stix_id, event->second);
        if (inserted) continue;
        const Tlp current = levels_.Facts(it->second).tlp;
        if (level != current && FitsWithin(level, current)) it->second = event->second;
      }
    }
    if (widest.empty()) continue;
    // Into a target event, a stricter report's members go straight to the
    // target's companion at that report's level (MoveObjectsOfStricterReports).
    std::map<std::pair<int64_t, Tlp>, std::vector<std::string>> by_report;  // (event, level) -> ids
    for (auto& [stix_id, report] : widest) {
      auto strict = stricter.find(stix_id);
      if (strict == stricter.end()) {
        by_report[{report, levels_.Facts(report).tlp}].push_back(stix_id);
      } else {
        ASSIGN_OR_RETURN(int64_t companion, levels_.EventFor(report, strict->second, *batch_, report_));
        by_report[{companion, strict->second}].push_back(stix_id);
      }
    }
    std::vector<StixObjectMove> moves;
    for (const auto& [destination, stix_ids] : by_report) {
      StixObjectMove move{.stix_ids = stix_ids, .from_event_id = group, .to_event_id = destination.first};
      if (unmarked) move.to_tlp = destination.second;
      if (source.only_seqs != nullptr) move.only_seqs = *source.only_seqs;  // ascending: seq grows
      moves.push_back(move);
    }
    ASSIGN_OR_RETURN(std::vector<StixObjectsMoved> moved, batch_->MoveStixObjects(moves));
    for (size_t move_idx = 0; move_idx < moves.size() && unmarked; ++move_idx) {
      // Their creators are read where they now are (held identities are
      // stored after this).
      for (const std::string& creator : moved[move_idx].creators) {
        unmarked_identities_.NoteCreator(creator, *moves[move_idx].to_tlp);
      }
    }
  }
  return Status::Ok();
}

Status Importer::LeaveGroupsFor(int64_t report_event_id, const std::vector<std::string>& stix_ids) {
  // What a report took leaves the bundle's group events: the unmarked
  // group's values, and those of groups whose level fits within the
  // report's (AddMembersByStixId copies no others; a RED group's value
  // named by a GREEN report stays in the RED group).
  const Tlp report_tlp = levels_.Facts(report_event_id).tlp;
  for (int64_t group : group_events_) {
    if (group == report_event_id) continue;
    if (!unmarked_groups_.contains(group) && !FitsWithin(levels_.Facts(group).tlp, report_tlp)) continue;
    ASSIGN_OR_RETURN(int64_t removed, batch_->RemoveLinksByStixId(group, stix_ids));
    report_.links_added -= removed;
  }
  return Status::Ok();
}

Status Importer::IntoCompanionsFor(int64_t report_event_id, const std::vector<std::string>& stix_ids) {
  // A value marked more strictly than the report that names it, read
  // before the report, went to the bundle's group at its own level: as when
  // the report came first (OnIndicator), it goes to the report's companion
  // at that level, which only that level's readers read.
  if (target_id_ != 0) return Status::Ok();  // MoveLinksOfStricterReports
  const Tlp report_tlp = levels_.Facts(report_event_id).tlp;
  for (int64_t group : group_events_) {
    if (group == report_event_id || unmarked_groups_.contains(group)) continue;
    const Tlp group_tlp = levels_.Facts(group).tlp;
    if (FitsWithin(group_tlp, report_tlp)) continue;  // the report took them (LeaveGroupsFor)
    ASSIGN_OR_RETURN(const std::vector<std::string> held, batch_->StixIdsLinkedIn(group, stix_ids));
    if (held.empty()) continue;
    Result<int64_t> companion = levels_.EventFor(report_event_id, group_tlp, *batch_, report_);
    if (!companion.ok() && companion.status().code() == Status::Code::kPermissionDenied) continue;
    RETURN_IF_ERROR(companion.status());
    ASSIGN_OR_RETURN(int64_t added, batch_->AddMembersByStixId(*companion, held));
    report_.links_added += added;
    ASSIGN_OR_RETURN(int64_t removed, batch_->RemoveLinksByStixId(group, held));
    report_.links_added -= removed;
    // Their indicators go with them (a marked malware the report names
    // stays in the group: noticed, not done).
    const StixObjectMove move{.stix_ids = held, .from_event_id = group, .to_event_id = *companion};
    RETURN_IF_ERROR(batch_->MoveStixObjects(std::span<const StixObjectMove>(&move, 1)).status());
  }
  return Status::Ok();
}

Status Importer::LinkSecondObjects(int64_t event_id, const std::vector<std::string>& stix_ids) {
  if (second_objects_.empty()) return Status::Ok();
  std::unordered_set<std::string_view> named(stix_ids.begin(), stix_ids.end());
  for (HeldValue& held : second_objects_) {
    if (named.count(held.context.stix_id) == 0) continue;
    Result<LinkOutcome> outcome = LinkValue(event_id, held.observable, held.context, held.tlp, held.warninglist);
    if (!outcome.ok() && outcome.status().code() == Status::Code::kPermissionDenied) continue;
    RETURN_IF_ERROR(outcome.status());
    held.claimed = true;
    if (outcome->link_created) ++report_.links_added;
  }
  return Status::Ok();
}

// Into a target event, each report's objects are the target's; one read
// before its report (unmarked, so at the target's level) must take the
// report's level when that is stricter, as it would in the report's own
// event: its links and objects move to the target's companion at the widest level of
// the reports that name it (none: a report at the target's level names it
// too, so it stays). AMBER+STRICT and RED do not compare: the first read
// of the two wins.
std::unordered_map<std::string, Tlp> Importer::StricterReportMembers() const {
  std::unordered_map<std::string, std::optional<Tlp>> widest;  // stix id -> level; nullopt: the target's
  for (const EventMembers& members : pending_members_) {
    if (refused_events_.contains(members.event_uuid)) continue;
    std::optional<Tlp> level;
    if (auto incoming = incoming_levels_.find(members.event_uuid);
        incoming != incoming_levels_.end() && !FitsWithin(incoming->second, target_.tlp)) {
      level = incoming->second;
    }
    for (const std::string& stix_id : members.stix_ids) {
      auto [it, inserted] = widest.try_emplace(stix_id, level);
      if (inserted || !it->second) continue;
      if (!level || !FitsWithin(*it->second, *level)) it->second = level;
    }
  }
  std::unordered_map<std::string, Tlp> stricter;
  for (auto& [stix_id, level] : widest) {
    if (level) stricter.emplace(stix_id, *level);
  }
  return stricter;
}

namespace {

std::map<Tlp, std::vector<std::string>> ByLevel(const std::unordered_map<std::string, Tlp>& levels) {
  std::map<Tlp, std::vector<std::string>> by_level;
  for (const auto& [stix_id, level] : levels) by_level[level].push_back(stix_id);
  return by_level;
}

}  // namespace

Status Importer::MoveObjectsOfStricterReports(const std::unordered_map<std::string, Tlp>& stricter) {
  // The STIX objects stored in the target at its level (they came
  // unmarked, or marked at that level) go to the companion.
  for (const auto& [level, stix_ids] : ByLevel(stricter)) {
    ASSIGN_OR_RETURN(int64_t companion, levels_.EventFor(target_id_, level, *batch_, report_));
    const StixObjectMove objects{.stix_ids = stix_ids,
                                 .from_event_id = target_id_,
                                 .only_at = target_.tlp,
                                 .to_event_id = companion,
                                 .to_tlp = level};
    RETURN_IF_ERROR(batch_->MoveStixObjects({&objects, 1}).status());
  }
  // The creators of the unmarked objects stored in the target count at
  // their objects' final level (OnStixObject held them back).
  for (const auto& [creator, stix_id] : target_creators_) {
    auto strict = stricter.find(stix_id);
    unmarked_identities_.NoteCreator(creator, strict == stricter.end() ? target_.tlp : strict->second);
  }
  target_creators_.clear();
  return Status::Ok();
}

Status Importer::MoveLinksOfStricterReports(const std::unordered_map<std::string, Tlp>& stricter) {
  for (const auto& [level, stix_ids] : ByLevel(stricter)) {
    ASSIGN_OR_RETURN(int64_t companion, levels_.EventFor(target_id_, level, *batch_, report_));
    ASSIGN_OR_RETURN(int64_t added, batch_->AddMembersByStixId(companion, stix_ids));
    // Out of the target and of its companions at wider levels (an AMBER
    // value named by a RED report), as a bundle's groups give them up.
    ASSIGN_OR_RETURN(int64_t removed, batch_->RemoveLinksByStixId(target_id_, stix_ids));
    for (int64_t wider : levels_.CompanionsWithin(target_id_, level)) {
      ASSIGN_OR_RETURN(int64_t from_companion, batch_->RemoveLinksByStixId(wider, stix_ids));
      removed += from_companion;
    }
    report_.links_added += added - removed;
  }
  return Status::Ok();
}

}  // namespace accord::exchange_internal
