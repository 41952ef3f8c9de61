// Export: what one principal may see, as STIX 2.1, CSV or MISP JSON. The
// sensor formats (Zeek, Suricata) live in sensor_export.cc.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>
#include <sstream>
#include <unordered_map>

#include "core/crypto.h"
#include "core/csv_field.h"
#include "core/time.h"
#include "exchange/event_stix.h"
#include "exchange/exchange.h"
#include "exchange/export_markings.h"
#include "exchange/sensor_export.h"
#include "misp/misp.h"
#include "stix/stix.h"

namespace accord {
namespace {

struct VisibleEvent {
  EventSummary event;
  bool from_stix = false;
};

class Exporter {
 public:
  Exporter(Store& store, const ExportOptions& options, std::ostream& out, ExportReport& report,
           std::string feed_dir = "")
      : store_(store), options_(options), out_(out), report_(report), feed_dir_(std::move(feed_dir)) {
    now_ = exchange_internal::ExportNow(options_);
  }

  Status Run() {
    RETURN_IF_ERROR(Collect());
    switch (options_.format) {
      case ExportFormat::kStix: return WriteStix();
      case ExportFormat::kCsv: return WriteCsv();
      case ExportFormat::kMisp: return WriteMisp();
      case ExportFormat::kMispFeed: return WriteMispFeed(feed_dir_);
      case ExportFormat::kZeek:
      case ExportFormat::kSuricata: break;  // handled before an Exporter is made
    }
    return Status::Internal("unknown export format");
  }

  // The parts of a MISP feed one at a time, for a server (after Collect).
  Result<std::string> FeedManifest() {
    std::string manifest = "{";
    for (const auto& visible : events_) {
      const EventSummary& event = visible.event;
      EventRecord record = EventRecordOf(event);
      ASSIGN_OR_RETURN(Store::MispKept kept, store_.GetMispKept(event.id));
      record.misp_orgc = std::move(kept.orgc);  // as the event's file names it
      manifest += fmt::format("{}\n\"{}\":{}", manifest.size() == 1 ? "" : ",", event.uuid,
                              BuildMispFeedManifestEntry(record, event.tlp, MispOrgOf(event.owner_org_id)));
    }
    return manifest + "\n}\n";
  }

  Result<std::string> FeedHashes() {
    std::string hashes;
    for (const auto& visible : events_) {
      ASSIGN_OR_RETURN(std::vector<MispExportAttribute> attributes, MispAttributes(visible.event));
      AppendHashes(visible.event, attributes, hashes);
    }
    return hashes;
  }

  Result<std::optional<std::string>> FeedEvent(const std::string& uuid) {
    for (const auto& visible : events_) {
      if (visible.event.uuid != uuid) continue;
      ASSIGN_OR_RETURN(std::vector<MispExportAttribute> attributes, MispAttributes(visible.event));
      ASSIGN_OR_RETURN(std::string json, MispEventJson(visible.event, attributes));
      return std::optional<std::string>(json + "\n");
    }
    return std::optional<std::string>();
  }

  // What the viewer may read: the organisations and the visible events.
  Status Collect() {
    ASSIGN_OR_RETURN(auto orgs, store_.ListOrganisations());
    for (auto& org : orgs) orgs_.emplace(org.id, org);
    // Events first (they are few next to their observables), then their links.
    RETURN_IF_ERROR(store_.ForEachEvent(EventFilter{}, [&](const EventSummary& event) {
      recipients_[event.id] = event.recipient_org_ids;
      if (!Visible(event.tlp, event.owner_org_id, event.recipient_org_ids)) {
        ++report_.withheld;
        return Status::Ok();
      }
      events_.push_back({event, event.source.starts_with("stix:")});
      return Status::Ok();
    }));
    return Status::Ok();
  }

 private:
  bool Visible(Tlp tlp, int64_t owner, const std::vector<int64_t>& recipients) const {
    return exchange_internal::ExportMayShow(options_, tlp, owner, recipients);
  }

  bool Expired(const IndicatorContext& context) const {
    return !options_.include_expired && exchange_internal::LinkExpired(context, now_);
  }

  // An indicator as it came that is revoked or past its valid_until
  // (--live-only leaves it out, as it does the values of events).
  bool NoLongerLive(const std::string& json) const {
    const auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) return false;
    auto revoked = parsed.find("revoked");
    if (revoked != parsed.end() && revoked->is_boolean() && revoked->get<bool>()) return true;
    auto until = parsed.find("valid_until");
    if (until == parsed.end() || !until->is_string()) return false;
    Result<TimePoint> valid_until = ParseTimestamp(until->get<std::string>());
    Result<TimePoint> now = ParseTimestamp(now_);
    return valid_until.ok() && now.ok() && *valid_until <= *now;
  }

  std::string IdentityFor(int64_t org_id) {
    auto it = orgs_.find(org_id);
    if (it == orgs_.end()) return "";
    used_orgs_.insert(org_id);
    return StixIdentityId(it->second.uuid);
  }

  // Whether an object of this id is stored as it came (not derived), in
  // any event; remembered (a pattern's values share their indicator's id).
  Result<bool> StoredAsItCame(const std::string& stix_id) {
    if (auto known = stored_as_it_came_.find(stix_id); known != stored_as_it_came_.end()) return known->second;
    StixObjectFilter filter;
    filter.ids = {stix_id};
    filter.include_derived = false;
    bool found = false;
    RETURN_IF_ERROR(store_.ForEachStixObject(filter, [&found](const StoredStixObject&) {
      found = true;
      return Status::Ok();
    }));
    if (stored_as_it_came_.size() < 100000) stored_as_it_came_.emplace(stix_id, found);
    return found;
  }

  Status WriteStix() {
    StixBundleWriter writer(out_);
    // "id|modified" of what is written. An event's own objects can also be
    // stored as they came (its export imported back: a partner re-sharing
    // it, a federation round trip); one version of an id is written once,
    // or the bundle holds the same id and version twice (the validator's
    // duplicate-ids check).
    // Kept as 64-bit hashes: the set grows with the export (a million
    // objects), which otherwise streams in bounded memory; a collision
    // among them is about one in 10^7 at that size.
    std::unordered_set<uint64_t> written;
    auto key = [](const std::string& id, const std::string& modified) -> uint64_t {
      return std::hash<std::string>{}(id + '|' + modified);
    };
    std::unordered_set<std::string> identities_written;  // ids, from the objects as they came
    for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
      if (!options_.max_tlp || tlp <= *options_.max_tlp) writer.Add(TlpStixMarkingObject(tlp));
    }
    for (const auto& visible : events_) {
      if (visible.from_stix) continue;  // served from the objects as they came, below
      const EventSummary& event = visible.event;
      StixReportSpec report = exchange_internal::EventReportSpec(event, IdentityFor(event.owner_org_id));
      // A link's STIX id names the object made for it, unless the object
      // it was read from is stored as it came: in this event, it is written
      // below and the report names it; elsewhere, or when another link took
      // the id (a pattern of several values), the link's object gets an id
      // of its own. One id, one content, as RefreshDerivedStix decides for
      // TAXII (store/sqlite/derived_stix.cc).
      std::unordered_set<std::string> stored_here;
      StixObjectFilter held;
      held.event_id = event.id;
      held.include_derived = false;
      RETURN_IF_ERROR(store_.ForEachStixObject(held, [&](const StoredStixObject& object) {
        stored_here.insert(object.id);
        return Status::Ok();
      }));
      std::unordered_set<std::string> taken;
      RETURN_IF_ERROR(store_.ForEachLink(event.id, [&](const LinkedObservable& stored_link) {
        if (Expired(stored_link.context)) return Status::Ok();
        const LinkedObservable* link = &stored_link;
        LinkedObservable own_id;
        if (const std::string& stix_id = stored_link.context.stix_id; !stix_id.empty()) {
          if (stored_here.contains(stix_id)) {
            if (taken.insert(stix_id).second) report.object_refs.push_back(stix_id);
            return Status::Ok();
          }
          ASSIGN_OR_RETURN(const bool stored_elsewhere, StoredAsItCame(stix_id));
          if (taken.contains(stix_id) || stored_elsewhere) {
            own_id = stored_link;
            own_id.context.stix_id.clear();
            link = &own_id;
          }
        }
        std::optional<DerivedStixObject> object =
            exchange_internal::LinkStixObject(event, *link, report.created_by_ref);
        if (!object || !taken.insert(object->id).second) return Status::Ok();
        writer.Add(object->build(object->modified));
        // Cyber-observables carry no version: the store keys them by id alone.
        written.insert(key(object->id, object->type == "indicator" ? object->modified : ""));
        report.object_refs.push_back(object->id);
        ++report_.indicators;
        if (object->type != "indicator") return Status::Ok();
        for (const DerivedStixObject& family :
             exchange_internal::LinkFamilyStixObjects(event, *link, object->id, report.created_by_ref)) {
          if (!taken.insert(family.id).second) continue;  // the event's malware once
          writer.Add(family.build(family.modified));
          written.insert(key(family.id, family.modified));
          report.object_refs.push_back(family.id);
        }
        return Status::Ok();
      }));
      writer.Add(BuildStixReport(report));
      written.insert(key(report.id, report.modified));
      ++report_.events;
    }
    // Objects that came as STIX, every version, exactly as they came (but
    // for the TLP marking of one held above AMBER without it).
    std::set<int64_t> stix_events;
    for (const auto& visible : events_) {
      if (visible.from_stix) {
        stix_events.insert(visible.event.id);
        ++report_.events;
      }
    }
    static const std::vector<int64_t> kNoRecipients;
    // Derived objects (what TAXII serves for the events above) are left out:
    // the loop above built the same ones.
    StixObjectFilter as_they_came;
    as_they_came.include_derived = false;
    // --live-only: an indicator one of whose versions is revoked or past
    // its valid_until is left out in every version (its earlier version
    // alone would tell a consumer it is live).
    std::unordered_set<std::string> no_longer_live;
    if (!options_.include_expired) {
      StixObjectFilter indicators = as_they_came;
      indicators.types = {"indicator"};
      RETURN_IF_ERROR(store_.ForEachStixObject(indicators, [&](const StoredStixObject& object) {
        if (NoLongerLive(object.json)) no_longer_live.insert(object.id);
        return Status::Ok();
      }));
    }
    auto written_as_it_came = [&](const StoredStixObject& object) {
      if (object.type == "marking-definition" && TlpFromStixMarkingId(object.id) &&
          object.id == TlpStixMarkingId(*TlpFromStixMarkingId(object.id))) {
        return false;  // the TLP 2.0 definitions are written once above
      }
      if (object.type == "indicator" && no_longer_live.contains(object.id)) return false;
      auto recipients = recipients_.find(object.event_id);
      return Visible(object.tlp, object.owner_org_id,
                     recipients == recipients_.end() ? kNoRecipients : recipients->second);
    };
    // A bundle's group event (the values no report named, "STIX bundle
    // x.json (unmarked)") has no report of its own: one is written for it,
    // before its objects so that an importer reads them straight into its
    // event. Without it, every group of the export came back as one event
    // of the export's file, their titles and separation lost.
    for (const auto& visible : events_) {
      const EventSummary& event = visible.event;
      if (!visible.from_stix || !event.stix_id.empty()) continue;
      StixReportSpec report = exchange_internal::EventReportSpec(event, IdentityFor(event.owner_org_id));
      StixObjectFilter members = as_they_came;
      members.event_id = event.id;
      std::unordered_set<std::string> named;
      RETURN_IF_ERROR(store_.ForEachStixObject(members, [&](const StoredStixObject& object) {
        if (written_as_it_came(object) && named.insert(object.id).second) report.object_refs.push_back(object.id);
        return Status::Ok();
      }));
      if (report.object_refs.empty()) continue;  // a report names at least one object
      writer.Add(BuildStixReport(report));
      written.insert(key(report.id, report.modified));
    }
    RETURN_IF_ERROR(store_.ForEachStixObject(as_they_came, [&](const StoredStixObject& object) {
      if (!written_as_it_came(object)) return Status::Ok();
      if (!written.insert(key(object.id, object.modified)).second) return Status::Ok();
      if (object.type == "identity") identities_written.insert(object.id);
      if (std::optional<std::string> marked = exchange_internal::WithTlpMarkingForExport(object.json, object.tlp)) {
        writer.Add(*marked);
      } else {
        writer.Add(object.json);
      }
      ++report_.objects;
      return Status::Ok();
    }));
    for (int64_t org_id : used_orgs_) {
      const Organisation& org = orgs_.at(org_id);
      const std::string identity =
          BuildStixIdentity({org.uuid, org.name, org.kind, org.country, org.created});
      // Written already when it came back as STIX (an echo of our export).
      if (!identities_written.contains(StixIdentityId(org.uuid))) writer.Add(identity);
    }
    writer.Finish();
    return Status::Ok();
  }

  Status WriteCsv() {
    out_ << "type,value,event_uuid,event_title,tlp,role,confidence,first_seen,last_seen,"
            "valid_until,comment,is_indicator,warninglist,family\n";
    for (const auto& visible : events_) {
      const EventSummary& event = visible.event;
      ++report_.events;
      RETURN_IF_ERROR(store_.ForEachLink(event.id, [&](const LinkedObservable& link) {
        if (Expired(link.context)) return Status::Ok();
        const IndicatorContext& c = link.context;
        out_ << TypeName(link.observable.type) << ',' << CsvField(link.observable.value) << ','
             << event.uuid << ',' << CsvField(event.title) << ',' << TlpName(event.tlp) << ','
             << CsvField(c.role) << ',' << (c.confidence ? std::to_string(*c.confidence) : "")
             << ',' << c.first_seen << ',' << c.last_seen << ',' << c.valid_until << ','
             << CsvField(c.comment) << ','
             // As the STIX and MISP exports do (to_ids false): a consumer
             // that keys on is_indicator must not alert on a listed value.
             << (c.is_indicator && link.warninglist.empty() ? "true" : "false") << ','
             << CsvField(link.warninglist) << ','
             // Last, so readers of the earlier columns by position still
             // work; table_rows.cc reads it back as the value's family.
             << CsvField(c.family) << '\n';
        ++report_.indicators;
        return Status::Ok();
      }));
    }
    return Status::Ok();
  }

  MispOrg MispOrgOf(int64_t org_id) const {
    auto it = orgs_.find(org_id);
    if (it == orgs_.end()) return {};
    return {it->second.name, it->second.uuid};
  }

  Result<std::vector<MispExportAttribute>> MispAttributes(const EventSummary& event) {
    std::vector<MispExportAttribute> attributes;
    RETURN_IF_ERROR(store_.ForEachLink(event.id, [&](const LinkedObservable& link) {
      if (Expired(link.context)) return Status::Ok();
      // As in STIX (LinkStixObject): a warning-listed value is shared as
      // context, never as something a partner's sensors should alert on.
      IndicatorContext context = link.context;
      if (!link.warninglist.empty()) context.is_indicator = false;
      // MISP has no end to an attribute: one withdrawn or past its
      // valid_until goes as context (to_ids false, its end as a tag), or a
      // MISP taking the file would alert on it again.
      if (exchange_internal::LinkExpired(context, now_)) context.is_indicator = false;
      attributes.push_back({link.observable, std::move(context)});
      return Status::Ok();
    }));
    report_.indicators += static_cast<int64_t>(attributes.size());
    ++report_.events;
    return attributes;
  }

  // The event as MISP JSON, with the attributes without observables and the
  // objects it came with from MISP.
  Result<std::string> MispEventJson(const EventSummary& event,
                                    const std::vector<MispExportAttribute>& attributes) {
    EventRecord record = EventRecordOf(event);
    ASSIGN_OR_RETURN(Store::MispKept kept, store_.GetMispKept(event.id));
    record.misp_other_attributes = std::move(kept.other_attributes);
    record.misp_objects = std::move(kept.objects);
    record.misp_orgc = std::move(kept.orgc);
    return BuildMispEvent(record, event.tlp, attributes, MispOrgOf(event.owner_org_id));
  }

  Status WriteMisp() {
    out_ << "{\"response\":[";
    bool first = true;
    for (const auto& visible : events_) {
      const EventSummary& event = visible.event;
      ASSIGN_OR_RETURN(std::vector<MispExportAttribute> attributes, MispAttributes(event));
      ASSIGN_OR_RETURN(std::string json, MispEventJson(event, attributes));
      out_ << (first ? "" : ",") << json;
      first = false;
    }
    out_ << "]}\n";
    return Status::Ok();
  }

  // hashes.csv's lines: the md5 of each value, and its event.
  static void AppendHashes(const EventSummary& event, const std::vector<MispExportAttribute>& attributes,
                           std::string& out) {
    for (const MispExportAttribute& attribute : attributes) {
      out += fmt::format("{},{}\n", Md5Hex(attribute.observable.value), event.uuid);
    }
  }

  // A MISP feed, as MISP's "Feeds" pull it: one <uuid>.json per event,
  // manifest.json naming them with their timestamps (which MISP compares to
  // decide what to fetch again) and hashes.csv (md5 of each value, event
  // uuid: MISP's feed correlation cache). Event files are written beside
  // their targets and renamed, the manifest last, so a MISP pulling
  // meanwhile never reads a half-written file or a listed file that is not
  // there; files of events no longer exported are removed afterwards.
  Status WriteMispFeed(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::create_directories(dir, error);
    if (error || !fs::is_directory(dir)) {
      return Status::IoError(fmt::format("{}: cannot create the output directory", dir));
    }
    auto write = [&](const std::string& name, const std::function<void(std::ostream&)>& fill) -> Status {
      const fs::path target = fs::path(dir) / name;
      const fs::path partial = fs::path(dir) / (name + ".partial");
      {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        fill(out);
        out.close();
        if (!out) {
          fs::remove(partial, error);
          return Status::IoError(fmt::format("{}: cannot write", partial.string()));
        }
      }
      fs::rename(partial, target, error);
      if (error) {
        fs::remove(partial, error);
        return Status::IoError(fmt::format("{}: cannot rename into place", target.string()));
      }
      return Status::Ok();
    };
    std::string hashes;
    std::set<std::string> written;
    for (const auto& visible : events_) {
      const EventSummary& event = visible.event;
      ASSIGN_OR_RETURN(std::vector<MispExportAttribute> attributes, MispAttributes(event));
      ASSIGN_OR_RETURN(std::string json, MispEventJson(event, attributes));
      RETURN_IF_ERROR(write(event.uuid + ".json", [&](std::ostream& out) { out << json << '\n'; }));
      written.insert(event.uuid + ".json");
      AppendHashes(event, attributes, hashes);
    }
    RETURN_IF_ERROR(write("hashes.csv", [&](std::ostream& out) { out << hashes; }));
    ASSIGN_OR_RETURN(std::string manifest, FeedManifest());
    RETURN_IF_ERROR(write("manifest.json", [&](std::ostream& out) { out << manifest; }));
    // Only files named as a feed's events are, so nothing else in the
    // directory is touched.
    for (fs::directory_iterator entry(dir, error), end; !error && entry != end; entry.increment(error)) {
      const std::string name = entry->path().filename().string();
      if (name.size() == 41 && name.ends_with(".json") && IsUuid(name.substr(0, 36)) &&
          written.count(name) == 0) {
        fs::remove(entry->path(), error);
      }
    }
    return Status::Ok();
  }

  Store& store_;
  const ExportOptions& options_;
  std::ostream& out_;
  ExportReport& report_;
  std::string feed_dir_;  // kMispFeed's directory
  std::string now_;
  std::unordered_map<int64_t, Organisation> orgs_;
  std::unordered_map<int64_t, std::vector<int64_t>> recipients_;
  std::vector<VisibleEvent> events_;
  std::set<int64_t> used_orgs_;
  std::unordered_map<std::string, bool> stored_as_it_came_;  // StoredAsItCame's answers
};

}  // namespace

namespace exchange_internal {

bool ExportMayShow(const ExportOptions& options, Tlp tlp, int64_t owner_org_id,
                   std::span<const int64_t> recipient_org_ids) {
  if (options.max_tlp && tlp > *options.max_tlp) return false;
  return MayRead(options.viewer, Visibility{tlp, owner_org_id, recipient_org_ids});
}

std::string ExportNow(const ExportOptions& options) {
  return FormatTimestamp(options.clock ? options.clock->Now() : SystemClock().Now());
}

}  // namespace exchange_internal

namespace {

// One part of a MISP feed, from an exporter that has collected what the
// viewer may read. `part` gives a T or a Result<T>.
template <typename T, typename Part>
Result<T> FeedPart(Store& store, const ExportOptions& options, Part part) {
  ExportReport report;
  std::ostringstream unused;
  Exporter exporter(store, options, unused, report);
  RETURN_IF_ERROR(exporter.Collect());
  return part(exporter);
}

}  // namespace

Result<std::string> MispFeedManifest(Store& store, const ExportOptions& options) {
  return FeedPart<std::string>(store, options, [](Exporter& e) { return e.FeedManifest(); });
}

Result<std::string> MispFeedHashes(Store& store, const ExportOptions& options) {
  return FeedPart<std::string>(store, options, [](Exporter& e) { return e.FeedHashes(); });
}

Result<std::optional<std::string>> MispFeedEvent(Store& store, const ExportOptions& options,
                                                 const std::string& uuid) {
  return FeedPart<std::optional<std::string>>(store, options, [&uuid](Exporter& e) { return e.FeedEvent(uuid); });
}

Status ExportMispFeed(Store& store, const ExportOptions& options, const std::string& dir, ExportReport* report) {
  ExportReport local;
  std::ostringstream unused;
  Exporter exporter(store, options, unused, report ? *report : local, dir);
  return exporter.Run();
}

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "stix") return ExportFormat::kStix;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "misp") return ExportFormat::kMisp;
  if (name == "misp-feed") return ExportFormat::kMispFeed;
  if (name == "zeek") return ExportFormat::kZeek;
  if (name == "suricata") return ExportFormat::kSuricata;
  return std::nullopt;
}

Status Export(Store& store, const ExportOptions& options, std::ostream& out, ExportReport* report) {
  ExportReport local;
  if (options.format == ExportFormat::kSuricata || options.format == ExportFormat::kMispFeed) {
    return Status::Invalid("export: this format writes several files; use an output directory");
  }
  if (options.format == ExportFormat::kZeek) {
    RETURN_IF_ERROR(exchange_internal::WriteZeekIntel(store, options, out, report ? *report : local));
  } else {
    Exporter exporter(store, options, out, report ? *report : local);
    RETURN_IF_ERROR(exporter.Run());
  }
  out.flush();
  if (!out) return Status::IoError("export: could not write the output");
  return Status::Ok();
}

}  // namespace accord
