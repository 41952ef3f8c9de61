// The import pipeline's record sink (importer.h): each record a reader
// hands over, and what waits for the end of the file.
#include "exchange/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/crypto.h"
#include "stix/stix.h"

namespace accord::exchange_internal {

Status Importer::OnEvent(EventRecord event) {
  if (event.uuid.empty()) return Status::Internal("reader produced an event without a uuid");
  if (target_id_ != 0) {
    event_ids_.emplace(event.uuid, target_id_);
    // The event's title and level are the target's, but what its source
    // marked more strictly (a tlp:red MISP event into a GREEN event) keeps
    // its level: OnIndicator puts such values in the target's companion.
    if (event.tlp) incoming_levels_[event.uuid] = *event.tlp;
    // ... and what it brings unmarked under a stated level stricter than
    // the target's (`import --event UUID --tlp red`) keeps the stated
    // level, as into an existing event of the same title: it went into the
    // GREEN target, where every member read it.
    if (!event.tlp && options_.default_tlp_stated && !FitsWithin(options_.default_tlp, target_.tlp)) {
      unmarked_levels_[event.uuid] = options_.default_tlp;
    }
    if (report_.touched_events.empty()) {
      ++report_.events;
      report_.touched_events.push_back({target_uuid_, false});
      // The event keeps its title, TLP, tags and recipients, but it has
      // changed: its modified time moves (a MISP feed's consumers fetch an
      // event again when its timestamp does), in the import's first batch.
      EventRecord touched = EventRecordOf(target_);
      touched.modified = FormatTimestamp(clock().Now());  // stated, so kept though nothing else changes
      RETURN_IF_ERROR(
          batch_->UpsertEvent(touched, target_.tlp, target_.owner_org_id, target_.recipient_org_ids).status());
    }
    return Status::Ok();
  }
  event.source = source_prefix_ + (options_.source_by_file_name ? display_name_ : in_.name());
  // The suffix ends the name, or the archive's name before a member's path
  // ("feed.zip@org3/c2.csv"); a name the caller wrote holding it elsewhere
  // ("feed@org31.txt") keeps it.
  if (const std::string& suffix = options_.private_source_suffix; !suffix.empty()) {
    if (event.source.ends_with(suffix)) {
      event.source.erase(event.source.size() - suffix.size());
    } else if (const size_t at = event.source.find(suffix + "/"); at != std::string::npos) {
      event.source.erase(at, suffix.size());
    }
  }
  // The reader's uuid keys what follows (values, objects, members name
  // it); a uuid derived from a name is made this node's own (NodeEventUuid),
  // unless the event is stored under the reader's uuid or its legacy
  // version-5 one, on a node that imported the same file before.
  const std::string reader_uuid = event.uuid;
  if (IsBundleGroup(event) && !event.legacy_uuid.empty()) {
    // A bundle's group event was keyed by the bundle id alone, which
    // producers reuse across unrelated files: such an event is still this
    // file's when it came from a file of the same name, and no event is
    // stored under the new key yet.
    ASSIGN_OR_RETURN(std::optional<EventSummary> current, store_.GetEvent(event.uuid));
    ASSIGN_OR_RETURN(std::optional<EventSummary> legacy, store_.GetEvent(event.legacy_uuid));
    auto file_name = [](std::string_view source) { return source.substr(source.find_last_of("/:") + 1); };
    if (!current && legacy && file_name(legacy->source) == file_name(event.source)) event.uuid = event.legacy_uuid;
    event.legacy_uuid.clear();
  }
  if (!node_salt_) {
    ASSIGN_OR_RETURN(std::optional<std::string> node_id, store_.GetMeta("node_id"));
    node_salt_ = node_id.value_or("");
  }
  ASSIGN_OR_RETURN(event.uuid, NodeEventUuid(store_, *node_salt_, event.uuid, event.legacy_uuid, event.source));
  // An event belongs to the organisation that created it: an import that
  // names another organisation's event (same MISP uuid or STIX report id)
  // may not rewrite it.
  ASSIGN_OR_RETURN(auto existing, store_.GetEvent(event.uuid));
  // A bundle's group event is named by the bundle and level, not by who
  // imports it: another organisation that imported the same bundle first
  // (a partner re-importing a shared file) held that uuid, and the
  // bundle's author was then refused its own file. Each importer has its
  // own group.
  if (existing && existing->owner_org_id != options_.owner_org_id && IsBundleGroup(event)) {
    ASSIGN_OR_RETURN(std::optional<Organisation> importer, store_.FindOrganisationById(options_.owner_org_id));
    event.uuid = UuidV5(kAccordUuidNamespace,
                        event.uuid + ":" + (importer ? importer->uuid : std::to_string(options_.owner_org_id)));
    ASSIGN_OR_RETURN(existing, store_.GetEvent(event.uuid));
  }
  if (existing && existing->owner_org_id != options_.owner_org_id) {
    refused_events_.insert(reader_uuid);
    // The same report version sent again (two nodes that both pull and
    // push send everything twice) is known: only what is new in it is
    // refused, object by object (OnObjectOfForeignReport).
    ASSIGN_OR_RETURN(const bool stored_report, IsStoredReportVersion(event, *existing));
    if (stored_report) {
      foreign_reports_.emplace(reader_uuid, event.stix_id);
      foreign_report_events_.emplace(reader_uuid, existing->id);
      return Status::Ok();
    }
    OnReject({in_.name(), event.uuid,
              fmt::format("event {} belongs to another organisation; its content was not imported",
                          event.uuid)});
    return Status::Ok();
  }
  // STIX 2.1 3.6: the newest version of an object is the object. A
  // report version older than one the importer stored (its earlier version
  // listed after the newer one, or sent again, or pulled back from a peer)
  // leaves the event's title, level, tags and recipients as they are; what
  // it brings is still read, at the event's stored level. Written over, a
  // GREEN older version made a RED report's event GREEN.
  ASSIGN_OR_RETURN(const bool older_than_stored, IsOlderThanAStoredVersion(event, existing));
  if (older_than_stored) {
    levels_.Note(existing->id, {existing->uuid, existing->title, existing->source, existing->created,
                                existing->modified, existing->tlp, existing->recipient_org_ids});
    if (event_ids_.emplace(reader_uuid, existing->id).second) {
      ++report_.events;
      report_.touched_events.push_back({event.uuid, false});
    }
    return Status::Ok();
  }
  // Re-importing a feed must not quietly change what the owner set on the
  // event since: what the body does not state (a TLP marking, a
  // description, tags, recipients, a MISP grading: the store keeps that
  // one itself) stays as stored. The import's default TLP is for new
  // events; an event's TLP changes by editing it or by data that carries
  // its own marking.
  Tlp tlp = event.tlp.value_or(existing ? existing->tlp : options_.default_tlp);
  // ... but values this file brings unmarked under a stated level stricter
  // than the event's (a RED paste into the CLEAR event of the same title)
  // keep that level: OnIndicator puts them in the event's companion.
  if (existing && !event.tlp && options_.default_tlp_stated && !FitsWithin(options_.default_tlp, tlp)) {
    unmarked_levels_[reader_uuid] = options_.default_tlp;
  }
  if (existing) {
    if (event.description.empty()) event.description = existing->description;
    if (event.tags.empty()) event.tags = existing->tags;
  }
  std::vector<int64_t> recipients;
  if (existing && event.recipient_orgs.empty()) recipients = existing->recipient_org_ids;
  for (const auto& name : event.recipient_orgs) {
    ASSIGN_OR_RETURN(auto org, store_.FindOrganisationByName(name));
    if (org) {
      recipients.push_back(org->id);
    } else {
      OnReject({in_.name(), name,
                fmt::format("event {}: recipient organisation '{}' is not on this node",
                            event.uuid, name)});
    }
  }
  // What a peer node brings at AMBER or RED is for the organisation its
  // stand-in shares with (else only the stand-in could read it).
  if (options_.share_with_org_id != 0 && (tlp == Tlp::kAmber || tlp == Tlp::kRed) &&
      std::find(recipients.begin(), recipients.end(), options_.share_with_org_id) == recipients.end()) {
    recipients.push_back(options_.share_with_org_id);
  }
  ASSIGN_OR_RETURN(int64_t id, batch_->UpsertEvent(event, tlp, options_.owner_org_id, recipients));
  levels_.Note(id, {event.uuid, event.title, event.source, event.created, event.modified, tlp, recipients});
  if (event_ids_.emplace(reader_uuid, id).second) {
    ++report_.events;
    report_.touched_events.push_back({event.uuid, !existing});
  }
  // A STIX bundle's group of indicators outside any report may end up
  // empty once reports claim them; only such groups are dropped at the end.
  if (IsBundleGroup(event)) {
    group_events_.push_back(id);
    if (!event.tlp) unmarked_groups_.insert(id);
  }
  return Status::Ok();
}

Status Importer::OnIndicator(IndicatorRecord indicator) {
  ++values_seen_;
  if (refused_events_.count(indicator.event_uuid) > 0) {
    // Reported once, with the event or the object (the one read just
    // before its values); a known object's values are known.
    const bool known = foreign_reports_.contains(indicator.event_uuid) && !foreign_object_refused_;
    ++(known ? report_.known_values : report_.rejected);
    return MaybeCommit();
  }
  // Its object was refused (reported once, with the object): a value only
  // that changed object names must not go live beside the stored version.
  if (!indicator.context.stix_id.empty() && indicator.context.stix_id == refused_indicator_id_) {
    ++report_.rejected;
    return MaybeCommit();
  }
  auto event = event_ids_.find(indicator.event_uuid);
  if (event == event_ids_.end()) {
    return Status::Internal(fmt::format("{}: value for an unannounced event {}",
                                        indicator.location, indicator.event_uuid));
  }
  // Into a target event, a value is read no more widely than its own
  // event would have let it be: the stricter of its marking and its
  // event's (a tlp:green attribute of a tlp:red event stays RED, as it
  // would in that event).
  if (auto level = incoming_levels_.find(indicator.event_uuid); level != incoming_levels_.end()) {
    if (!indicator.tlp || FitsWithin(*indicator.tlp, level->second)) {
      indicator.tlp = level->second;
    }
  }
  // A value that carries its own marking keeps it; one that carries none
  // takes the stated level (OnEvent).
  if (auto stated = unmarked_levels_.find(indicator.event_uuid); stated != unmarked_levels_.end() && !indicator.tlp) {
    indicator.tlp = stated->second;
  }
  Result<Observable> normalized = indicator.type ? Normalize(*indicator.type, indicator.value)
                                                 : DetectAndNormalize(indicator.value);
  if (!normalized.ok()) {
    std::string reason(normalized.status().message());
    // A value of another type where a type is stated (a CSV's "ip" column
    // holding a URL): the parser's complaint alone ("CIDR prefix length
    // 'gate.php' is not a number") points the reader at the wrong thing.
    if (indicator.type) {
      if (auto detected = DetectAndNormalize(indicator.value); detected.ok() && detected->type != *indicator.type) {
        reason = fmt::format("the value reads as {}, not {} ({})", TypeName(detected->type),
                             TypeName(*indicator.type), reason);
      }
    }
    OnReject({InFile(indicator.location), indicator.value, std::move(reason)});
    return MaybeCommit();
  }
  if (normalized->type == ObservableType::kCidr && normalized->value.ends_with("/0")) {
    OnReject({InFile(indicator.location), indicator.value,
              "network " + normalized->value + " holds every address: not an indicator"});
    return MaybeCommit();
  }
  // A revoked indicator's earlier version (later in the file, or read
  // again after the revocation was stored) gives no live value again.
  if (!indicator.context.stix_id.empty() && withdrawals_.IsRevoked(indicator.context.stix_id)) {
    OnReject({InFile(indicator.location), indicator.value,
              "indicator " + indicator.context.stix_id + " is revoked; its earlier version is not matched", true});
    return MaybeCommit();
  }
  if (!indicator.context.stix_id.empty() && withdrawals_.IsSuperseded(indicator.context.stix_id)) {
    OnReject({InFile(indicator.location), indicator.value,
              "indicator " + indicator.context.stix_id +
                  " has a later version stored; this earlier one changes nothing",
              true});
    return MaybeCommit();
  }
  std::string warninglist = warnings_.Match(*normalized).value_or("");
  if (!warninglist.empty()) ++report_.warninglisted;
  const bool in_group = IsGroupEvent(event->second);
  // A known indicator version whose value the importer already holds,
  // where everyone who reads the bundle's group reads it: the group does
  // not take it again (a TAXII post sent twice, a push of what was pulled).
  if (in_group && !indicator.context.stix_id.empty() && indicator.context.stix_id == known_indicator_id_) {
    ASSIGN_OR_RETURN(const bool held, HeldForTheGroupsReaders(*normalized, indicator.context, event->second));
    if (held) {
      withdrawals_.OnValue(indicator, indicator.tlp, *normalized, false);
      ++report_.known_values;
      return MaybeCommit();
    }
  }
  // Two STIX objects of one value outside any report share one link,
  // which keeps the first one's id and context: a report read later that
  // names the second must still find the value, with the second's context,
  // so that one is held until the end (LinkSecondObjects).
  Result<LinkOutcome> linked = LinkValue(event->second, *normalized, indicator.context, indicator.tlp,
                                         warninglist, in_group ? LinkMerge::kKeepOtherObjects : LinkMerge::kMerge);
  if (!linked.ok() && linked.status().code() == Status::Code::kPermissionDenied) {
    OnReject({InFile(indicator.location), indicator.value, linked.status().message()});
    return MaybeCommit();
  }
  RETURN_IF_ERROR(linked.status());
  const LinkOutcome& outcome = *linked;
  withdrawals_.OnValue(indicator, indicator.tlp, *normalized,
                       report_.format == InputFormat::kMisp && !outcome.link_created);
  if (outcome.observable_created) {
    ++report_.new_values;
  } else {
    ASSIGN_OR_RETURN(const bool known, KnownToTheImporter(*normalized, event->second, outcome));
    ++(known ? report_.known_values : report_.new_values);
  }
  if (outcome.link_created) ++report_.links_added;
  if (!outcome.kept_stix_id.empty() && in_group) {
    second_objects_.push_back(
        {*normalized, indicator.context, indicator.tlp, std::move(warninglist), event->second, false});
  }
  return MaybeCommit();
}

Status Importer::OnWithdrawal(Withdrawal withdrawal) {
  std::vector<int64_t> events;
  std::vector<Observable> parts;
  if (auto event = event_ids_.find(withdrawal.event_uuid);
      event != event_ids_.end() && !withdrawal.parts_without_id.empty()) {
    ASSIGN_OR_RETURN(events, levels_.EventAndCompanions(event->second));
    for (const auto& [type, value] : withdrawal.parts_without_id) {
      // A part that does not normalize was never linked.
      if (Result<Observable> normalized = Normalize(type, value); normalized.ok()) {
        parts.push_back(std::move(*normalized));
      }
    }
  }
  withdrawals_.OnDeleted(std::move(withdrawal), std::move(events), std::move(parts));
  return Status::Ok();
}

Status Importer::OnStixObject(StixObjectRecord object) {
  known_indicator_id_.clear();
  refused_indicator_id_.clear();
  if (refused_events_.count(object.event_uuid) > 0) {
    return foreign_reports_.contains(object.event_uuid) ? OnObjectOfForeignReport(object) : Status::Ok();
  }
  ASSIGN_OR_RETURN(std::optional<std::string> node_built,
                   node_built_objects_.Check(object.type, object.id, object.json));
  if (node_built) {  // never stored (node_built_objects.h)
    if (node_built->empty()) {
      ++report_.stix_objects_known;
    } else {
      OnReject({in_.name() + ": " + object.id, "", *node_built});
    }
    return Status::Ok();
  }
  int64_t event_id = 0;
  if (auto it = event_ids_.find(object.event_uuid); it != event_ids_.end()) event_id = it->second;
  // An identity without a TLP marking of its own waits for the end of the
  // import: its level follows the objects that name it as their creator,
  // which may come after it (unmarked_identities.h).
  if (object.type == "identity" && !object.tlp) {
    unmarked_identities_.Hold(std::move(object), event_id);
    return Status::Ok();
  }
  // A TLP marking's own definition is public (the level's name and
  // text): stored at CLEAR, so every object that names it finds it.
  const bool tlp_definition = object.type == "marking-definition" && TlpFromStixMarkingId(object.id);
  const Tlp tlp = tlp_definition ? Tlp::kClear : object.tlp.value_or(UnmarkedObjectLevel(object, event_id));
  // Marked more strictly than its event (a RED malware named by a GREEN
  // report, an object of a RED report imported into a GREEN event): into
  // the event's companion at its level, where its values go, since the
  // event's recipients may not read it.
  if (event_id != 0) {
    Result<int64_t> into = levels_.EventFor(event_id, tlp, *batch_, report_);
    if (into.ok()) {
      event_id = *into;
    } else if (into.status().code() == Status::Code::kPermissionDenied) {
      event_id = 0;  // outside any event: its owner alone reads it above GREEN
    } else {
      return into.status();
    }
  }
  if (!object.created_by_ref.empty()) {
    // Into a target event, an unmarked object stored at the target's level
    // may yet go to a companion (a stricter report names it): its creator
    // counts at the level it ends at.
    if (target_id_ != 0 && !object.tlp && event_id == target_id_ && tlp == target_.tlp) {
      target_creators_.emplace_back(object.created_by_ref, object.id);
    } else {
      unmarked_identities_.NoteCreator(object.created_by_ref, tlp);
    }
  }
  const int64_t known_before = report_.stix_objects_known;
  const int64_t new_before = report_.stix_objects_new;
  ASSIGN_OR_RETURN(std::optional<int64_t> stored_seq, PutStixObject(object, event_id, tlp));
  // Stored outside any event and unmarked (a malware read before the
  // report that names it): a report may still claim this row at the end.
  if (stored_seq && event_id == 0 && !object.tlp && !tlp_definition) unmarked_outside_.push_back(*stored_seq);
  if (stored_seq && event_id == 0 && object.tlp && !tlp_definition) marked_outside_[*object.tlp].push_back(*stored_seq);
  // A version refused because another object is stored under its id and
  // modified is neither: it says nothing about the values.
  const bool added = report_.stix_objects_new > new_before;
  const bool known = report_.stix_objects_known > known_before;
  if (object.type == "indicator" && known && IsGroupEvent(event_id)) known_indicator_id_ = object.id;
  // Resolved at the end, when its indicator and malware are stored
  // wherever they end up (the malware may come after it, or be stored).
  if (object.type == "relationship" && (added || known) && object.json.find("\"indicates\"") != std::string::npos) {
    indicates_relationships_.insert(object.id);
  }
  if (object.type == "indicator" && (added || known) && !refused_events_.contains(object.event_uuid)) {
    ASSIGN_OR_RETURN(int64_t ended, withdrawals_.OnIndicatorObject(*batch_, object, added, put_found_other_versions_));
    report_.withdrawn += ended;
  }
  // After the withdrawals, which read the earlier versions to end their
  // values at the level they leave.
  if (added && put_found_other_versions_) {
    ASSIGN_OR_RETURN(const std::vector<int64_t> removed,
                     batch_->RemoveVersionsRestrictedLater(object.id, options_.owner_org_id));
    if (std::find(removed.begin(), removed.end(), *stored_seq) != removed.end()) {
      // Older than a version stored at a stricter level: history, as known
      // (its values were superseded by that version, withdrawals.h).
      Rejection note{in_.name() + ": " + object.id, "",
                     "a later version of it, marked more strictly, is stored; this earlier one is not kept"};
      note.not_matched = true;
      OnReject(std::move(note));
      --report_.stix_objects_new;
      ++report_.stix_objects_known;
      std::erase(unmarked_outside_, *stored_seq);
      if (object.tlp) std::erase(marked_outside_[*object.tlp], *stored_seq);
    }
  }
  return MaybeCommit();
}

Status Importer::OnSighting(SightingRecord sighting) {
  SightingInput input;
  if (sighting.type || !sighting.value.empty()) {
    auto normalized = sighting.type ? Normalize(*sighting.type, sighting.value)
                                    : DetectAndNormalize(sighting.value);
    if (!normalized.ok()) {
      OnReject({InFile(sighting.location), sighting.value,
                "sighting: " + normalized.status().message()});
      return Status::Ok();
    }
    input.observable = *normalized;
  }
  input.indicator_stix_id = sighting.indicator_stix_id;
  input.org_id = options_.owner_org_id;
  input.count = sighting.count;
  input.first_seen = sighting.first_seen;
  input.last_seen = sighting.last_seen;
  input.source = sighting.source;
  input.origin_id = sighting.origin_id;
  // STIX sightings may precede their indicator; apply them at the end.
  pending_sightings_.push_back({std::move(input), sighting.location});
  return Status::Ok();
}

Tlp Importer::UnmarkedObjectLevel(const StixObjectRecord& object, int64_t event_id) const {
  if (event_id == 0) return options_.default_tlp;
  const Tlp event_tlp = levels_.Facts(event_id).tlp;
  // Into a target event: the stricter of the target's level and that of
  // the report the object came with, as for its values (OnIndicator).
  if (auto incoming = incoming_levels_.find(object.event_uuid);
      incoming != incoming_levels_.end() && !FitsWithin(incoming->second, event_tlp)) {
    return incoming->second;
  }
  if (auto stated = unmarked_levels_.find(object.event_uuid);
      stated != unmarked_levels_.end() && !FitsWithin(stated->second, event_tlp)) {
    return stated->second;
  }
  return event_tlp;
}

Status Importer::Finish() {
  // Every object goes to where it stays before the held identities are
  // stored, so that each creator's level follows its objects' final ones.
  std::unordered_map<std::string, Tlp> stricter;
  if (target_id_ != 0) stricter = StricterReportMembers();
  RETURN_IF_ERROR(MoveObjectsIntoReports(stricter));
  if (target_id_ != 0) RETURN_IF_ERROR(MoveObjectsOfStricterReports(stricter));
  for (const auto& held : unmarked_identities_.Release()) {
    RETURN_IF_ERROR(PutStixObject(held.identity, held.event_id, held.tlp).status());
    RETURN_IF_ERROR(MaybeCommit());
  }
  for (const auto& members : pending_members_) {
    if (auto foreign = foreign_report_events_.find(members.event_uuid); foreign != foreign_report_events_.end()) {
      RETURN_IF_ERROR(LeaveToKnownReport(foreign->second, members.stix_ids));
      continue;
    }
    if (refused_events_.count(members.event_uuid) > 0) continue;
    auto event = event_ids_.find(members.event_uuid);
    if (event == event_ids_.end()) continue;
    ASSIGN_OR_RETURN(int64_t added, batch_->AddMembersByStixId(event->second, members.stix_ids));
    report_.links_added += added;
    RETURN_IF_ERROR(LinkSecondObjects(event->second, members.stix_ids));
    RETURN_IF_ERROR(LeaveGroupsFor(event->second, members.stix_ids));
    RETURN_IF_ERROR(IntoCompanionsFor(event->second, members.stix_ids));
  }
  if (target_id_ != 0) RETURN_IF_ERROR(MoveLinksOfStricterReports(stricter));
  // A second object of a value that no report named stays in its group
  // (the group's link went with the first object's report).
  for (const HeldValue& held : second_objects_) {
    if (held.claimed) continue;
    ASSIGN_OR_RETURN(LinkOutcome outcome, batch_->Link(held.group_event_id, held.observable, held.context,
                                                       held.warninglist));
    if (outcome.link_created) ++report_.links_added;
  }
  for (const std::string& relationship_id : indicates_relationships_) {
    RETURN_IF_ERROR(batch_->NameFamilyFromRelationship(relationship_id).status());
  }
  for (const auto& [sighting, location] : pending_sightings_) {
    ASSIGN_OR_RETURN(SightingOutcome recorded, batch_->AddSighting(sighting));
    if (recorded.added == 0 && recorded.known == 0) {
      OnReject({InFile(location), sighting.observable ? sighting.observable->value : sighting.indicator_stix_id,
                "sighting of something this node does not hold"});
    } else {
      report_.sightings += recorded.added;
      report_.sightings_updated += recorded.updated;
    }
  }
  ASSIGN_OR_RETURN(int64_t ended, withdrawals_.Finish(*batch_, FormatTimestamp(clock().Now())));
  report_.withdrawn += ended;
  for (int64_t id : group_events_) RETURN_IF_ERROR(batch_->DeleteEventIfEmpty(id));
  AuditEntry audit;
  audit.actor = options_.actor;
  audit.action = "import";
  audit.object = in_.name();
  audit.source_address = options_.source_address;
  audit.detail = fmt::format(
      R"({{"format":"{}","new":{},"known":{},"rejected":{},"events":{},"stix_objects":{}}})",
      InputFormatName(report_.format), report_.new_values, report_.known_values,
      report_.rejected, report_.events, report_.stix_objects_new);
  RETURN_IF_ERROR(batch_->AppendAudit(audit));
  RETURN_IF_ERROR(batch_->Commit());
  ++report_.batches_committed;
  report_.values_committed = report_.new_values + report_.known_values;
  committed_.TakeFrom(report_);
  batch_.reset();
  return Status::Ok();
}

std::string Importer::InFile(const std::string& location) const {
  const std::string& file = display_name_;
  if (location.starts_with(file)) return location;
  // A reader names an archive member by its own name: the archive's
  // name goes in front, so the user knows which file holds the line.
  if (const std::string base = BaseName(in_.name()); base != file && location.starts_with(base)) {
    return file + location.substr(base.size());
  }
  return file + ": " + location;
}

Status Importer::MaybeCommit() {
  ++in_batch_;
  if (!BatchFull()) return Status::Ok();
  RETURN_IF_ERROR(batch_->Commit());
  ++report_.batches_committed;
  report_.values_committed = report_.new_values + report_.known_values;
  committed_.TakeFrom(report_);
  if (options_.on_progress) {
    options_.on_progress({in_.name(), in_.compressed_offset(), in_.compressed_size(),
                          values_seen_});
  }
  return Begin();
}

}  // namespace accord::exchange_internal
