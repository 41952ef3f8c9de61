// ImportStream and ImportFile (exchange.h): the format is detected from the
// head of the input, its reader feeds an Importer (importer.h), and a failed
// read rolls back the open batch.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "core/crypto.h"
#include "exchange/importer.h"
#include "exchange/text_readers.h"
#include "stix/stix.h"

namespace accord {
namespace exchange_internal {

std::string BaseName(const std::string& path) {
  if (path == "<stdin>") return path;
  return std::filesystem::path(path).filename().string();
}

std::string DisplayName(const std::string& path) {
  if (path == "<stdin>") return path;
  const std::filesystem::path whole(path);
  for (auto parent = whole.parent_path(); parent.has_filename(); parent = parent.parent_path()) {
    std::error_code error;
    const auto status = std::filesystem::status(parent, error);
    if (status.type() == std::filesystem::file_type::not_found) continue;
    if (std::filesystem::is_regular_file(status)) {
      return parent.filename().string() + path.substr(parent.string().size());
    }
    break;
  }
  return whole.filename().string();
}

}  // namespace exchange_internal

namespace {

// The audit record of an import that stopped after committing batches.
Status AuditStoppedImport(Store& store, const std::string& name, const ImportOptions& options,
                          const ImportReport& report, const Status& why) {
  ASSIGN_OR_RETURN(auto batch, store.BeginImport());
  AuditEntry audit;
  audit.actor = options.actor;
  audit.action = "import";
  audit.object = name;
  audit.source_address = options.source_address;
  audit.detail = nlohmann::json{{"format", InputFormatName(report.format)},
                                {"stopped", why.message()},
                                {"batches_committed", report.batches_committed},
                                {"values_committed", report.values_committed}}
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  RETURN_IF_ERROR(batch->AppendAudit(audit));
  return batch->Commit();
}

// The compressions an import reads directly.
constexpr std::string_view kCompressionSuffixes[] = {".gz", ".zst", ".zstd", ".xz", ".bz2"};

// The name a list's, CSV's or record file's event is derived from.
std::string FileEventName(InputFormat format, int64_t owner_org_id, const std::string& title) {
  return fmt::format("{}:{}:{}", InputFormatName(format), owner_org_id, title);
}

// The title, and so the event, of a file imported without one: its name
// without the compression, feed.txt.gz being feed.txt packed (one event,
// titled feed.txt). Earlier versions named the event by the packed name; a
// node holding such an event, and none under the plain name, keeps using
// it for both files.
Result<std::string> FileEventTitle(Store& store, InputFormat format, int64_t owner_org_id,
                                   const std::string& base) {
  std::string unpacked = base;
  for (std::string_view suffix : kCompressionSuffixes) {
    if (base.size() > suffix.size() && base.ends_with(suffix)) unpacked.resize(base.size() - suffix.size());
  }
  auto stored = [&](const std::string& title) -> Result<bool> {
    const std::string name = FileEventName(format, owner_org_id, title);
    for (const std::string& uuid : {StableUuidV4(kAccordUuidNamespace, name), UuidV5(kAccordUuidNamespace, name)}) {
      ASSIGN_OR_RETURN(std::optional<EventSummary> event, store.GetEvent(uuid));
      // Only the organisation's own: another's event under that uuid (a
      // peer's report whose id was made to match) must not steer the name.
      if (event && event->owner_org_id == owner_org_id) return true;
    }
    return false;
  };
  ASSIGN_OR_RETURN(const bool unpacked_stored, stored(unpacked));
  if (unpacked_stored) return unpacked;
  for (std::string_view suffix : kCompressionSuffixes) {
    const std::string packed = unpacked + std::string(suffix);
    ASSIGN_OR_RETURN(const bool packed_stored, stored(packed));
    if (packed_stored) return packed;
  }
  return unpacked;
}

using exchange_internal::BaseName;
using exchange_internal::DisplayName;
using exchange_internal::Importer;

// Serves bytes already read (to detect the format) before the rest.
class PrefixedStream final : public InputStream {
 public:
  PrefixedStream(InputStream& in, std::string prefix) : in_(in), prefix_(std::move(prefix)) {}
  Result<size_t> Read(char* buf, size_t max) override {
    if (pos_ < prefix_.size()) {
      size_t n = std::min(max, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return in_.Read(buf, max);
  }
  const std::string& name() const override { return in_.name(); }
  uint64_t compressed_offset() const override { return in_.compressed_offset(); }
  uint64_t compressed_size() const override { return in_.compressed_size(); }

 private:
  InputStream& in_;
  std::string prefix_;
  size_t pos_ = 0;
};

// The touched events the store holds, in order: not a STIX bundle's group
// event that reports emptied (dropped), nor one of a batch rolled back.
// The report is left as it was when the store cannot say.
Status KeepStoredEvents(Store& store, ImportReport& report) {
  std::vector<ImportReport::TouchedEvent> kept;
  for (const ImportReport::TouchedEvent& touched : report.touched_events) {
    ASSIGN_OR_RETURN(std::optional<EventSummary> event, store.GetEvent(touched.uuid));
    if (event) kept.push_back(touched);
  }
  report.events = static_cast<int64_t>(kept.size());
  report.touched_events = std::move(kept);
  return Status::Ok();
}

}  // namespace

Status ImportStream(Store& store, InputStream& raw_in, const ImportOptions& options,
                    ImportReport* report_out) {
  ImportReport local_report;
  ImportReport& report = report_out ? *report_out : local_report;
  report.source = raw_in.name();

  std::string head(64 << 10, '\0');
  size_t have = 0;
  while (have < head.size()) {
    ASSIGN_OR_RETURN(size_t n, raw_in.Read(head.data() + have, head.size() - have));
    if (n == 0) break;
    have += n;
  }
  head.resize(have);
  // Read as a list, binary data would be a screenful of rejected garbage.
  if (std::string why = BinaryDataReason(head); !why.empty()) {
    report.binary = true;
    return Status::Invalid(raw_in.name() + ": " + why);
  }
  report.format = options.format == InputFormat::kAuto ? DetectFormat(head, raw_in.name())
                                                       : options.format;
  PrefixedStream in(raw_in, std::move(head));

  std::shared_ptr<const WarningListMatcher> warnings;
  if (options.warning_lists != nullptr) {
    ASSIGN_OR_RETURN(warnings, options.warning_lists->Get(store));
  } else {
    WarningListCache own;
    ASSIGN_OR_RETURN(warnings, own.Get(store));
  }
  Importer importer(store, options, in, report, *warnings);
  importer.set_source_prefix(std::string(InputFormatName(report.format)) + ":");
  if (!options.into_event.empty()) {
    // Another organisation's event is answered as absent: an import must not
    // reveal which events exist.
    ASSIGN_OR_RETURN(std::optional<EventSummary> target, store.GetEvent(options.into_event));
    if (!target || target->owner_org_id != options.owner_org_id) {
      return Status::NotFound("event " + options.into_event +
                              ": no such event of the importing organisation");
    }
    importer.set_target(*target);
  }
  const std::string base = BaseName(raw_in.name());
  std::string text_event_title = options.title;
  if (options.title.empty() && (report.format == InputFormat::kCsv || report.format == InputFormat::kList ||
                                report.format == InputFormat::kJsonRecords)) {
    ASSIGN_OR_RETURN(text_event_title, FileEventTitle(store, report.format, options.owner_org_id, base));
  }
  RETURN_IF_ERROR(importer.Begin());

  Status read_status;
  switch (report.format) {
    case InputFormat::kStix:
      read_status = ReadStixBundle(in, StixReadOptions{base, options.title}, importer);
      break;
    case InputFormat::kMisp:
      read_status = ReadMispEvent(in, MispReadOptions{base}, importer);
      break;
    case InputFormat::kCsv:
    case InputFormat::kList:
    case InputFormat::kJsonRecords: {
      TextReadOptions text;
      text.source_name = DisplayName(raw_in.name());
      text.owner_org_id = options.owner_org_id;
      // The same file name imported by the same organisation is the same
      // event: a feed re-imported tomorrow grows its event, it does not fork.
      // Version 4, with the version-5 uuid of the same name for events
      // stored before (StoredEventUuid in exchange.h says why).
      text.event_title = text_event_title;
      const std::string event_name = FileEventName(report.format, options.owner_org_id, text.event_title);
      text.event_uuid = StableUuidV4(kAccordUuidNamespace, event_name);
      text.legacy_event_uuid = UuidV5(kAccordUuidNamespace, event_name);
      // The events rows name by number keep the name the file came under,
      // packed or not: their uuids were derived from it before the file's
      // own event dropped the suffix, and such a file makes no event of
      // its own to tell which name an earlier import used.
      const std::string row_title = options.title.empty() ? base : options.title;
      const std::string row_name = FileEventName(report.format, options.owner_org_id, row_title);
      text.row_events_title = row_title;
      text.row_events_uuid = StableUuidV4(kAccordUuidNamespace, row_name);
      text.row_events_legacy_uuid = UuidV5(kAccordUuidNamespace, row_name);
      read_status = report.format == InputFormat::kCsv    ? ReadCsv(in, text, importer)
                    : report.format == InputFormat::kList ? ReadList(in, text, importer)
                                                          : ReadJsonRecords(in, text, importer);
      break;
    }
    case InputFormat::kAuto:
      read_status = Status::Internal("format not decided");
      break;
  }
  // On failure the open batch rolls back; what was committed before stays,
  // and the report says how much that was and names only the events it
  // holds (a REST client is told which to look at). The failure is the
  // error to report, whatever the store says after it.
  if (read_status.ok()) read_status = importer.Finish();
  if (!read_status.ok()) {
    importer.Abandon();
    // Batches committed before the failure are writes like any other: the
    // audit log says what stopped the import and what stayed (a failure
    // to write that record, the disk full, changes nothing of the error).
    if (report.batches_committed > 0) (void)AuditStoppedImport(store, raw_in.name(), options, report, read_status);
    (void)KeepStoredEvents(store, report);
    return read_status;
  }
  // A STIX bundle's group event that reports emptied was dropped: it is not
  // among the events the import touched.
  return KeepStoredEvents(store, report);
}

Status ImportFile(Store& store, const std::string& path, const ImportOptions& options,
                  ImportReport* report) {
  auto in = OpenInput(path);
  if (!in.ok()) return in.status();
  return ImportStream(store, **in, options, report);
}

}  // namespace accord
