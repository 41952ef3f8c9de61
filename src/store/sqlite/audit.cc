// The audit chain on SQLite. Each record's hash covers its fields and the
// previous record's hash; meta 'audit.head' ("<seq> <hash>") names the last
// record, written in the same transaction as it. Editing a record breaks its
// hash, removing or reordering one breaks the next record's prev_hash or the
// seq sequence, and removing the tail leaves the head pointing past the end.
//
// A request's history (what the 24/7 network shows as a request's record)
// is sealed the same way: each line's hash is listed in the audit record
// written with it, so verification also finds a line edited, removed or
// added (VerifyRequestHistory).
//
// What the chain cannot stop: someone with write access to the file who
// rewrites every hash after an edit and the head too. Keeping the head
// elsewhere (`accord audit verify` prints it as SEQ:HASH) and giving it back
// later (`--anchor SEQ:HASH`) is the answer to that.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

constexpr std::string_view kHeadKey = "audit.head";
const std::string kGenesisHash(64, '0');

struct ChainHead {
  int64_t seq = 0;
  std::string hash;
};

Result<std::optional<ChainHead>> ReadHead(Connection& connection) {
  ASSIGN_OR_RETURN(auto select,
                   connection.Cached("SELECT value FROM meta WHERE key = ?", "read meta"));
  select->Bind(1, kHeadKey);
  ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) return std::optional<ChainHead>();
  const std::string value = select->Text(0);
  const size_t space = value.find(' ');
  ChainHead head;
  if (space == std::string::npos || space == 0) {
    return Status::Corruption("meta audit.head is malformed: '" + value + "'");
  }
  for (size_t digit_idx = 0; digit_idx < space; ++digit_idx) {
    const char c = value[digit_idx];
    if (c < '0' || c > '9') {
      return Status::Corruption("meta audit.head is malformed: '" + value + "'");
    }
    head.seq = head.seq * 10 + (c - '0');
  }
  head.hash = value.substr(space + 1);
  return std::optional<ChainHead>(std::move(head));
}

AuditEntry ReadAuditRow(const Statement& row) {
  AuditEntry entry;
  entry.seq = row.Int(0);
  entry.time = row.Text(1);
  entry.actor = row.Text(2);
  entry.action = row.Text(3);
  entry.object = row.Text(4);
  entry.detail = row.Text(5);
  entry.source_address = row.Text(6);
  entry.prev_hash = row.Text(7);
  entry.hash = row.Text(8);
  return entry;
}

constexpr std::string_view kAuditSelect =
    "SELECT seq, time, actor, action, object, detail, source_address, prev_hash, hash"
    " FROM audit_log ORDER BY seq";

// The hashes each sealing audit record lists (network247.cc), by its seq.
using SealsBySeq = std::map<int64_t, std::vector<std::string>>;

void CollectSeal(const AuditEntry& entry, SealsBySeq& seals) {
  if (entry.detail.find(kHistoryHashesKey) == std::string::npos) return;  // most records
  const nlohmann::json detail = nlohmann::json::parse(entry.detail, nullptr, /*allow_exceptions=*/false);
  if (!detail.is_object()) return;
  auto listed = detail.find(kHistoryHashesKey);
  if (listed == detail.end() || !listed->is_array()) return;
  std::vector<std::string>& hashes = seals[entry.seq];
  for (const nlohmann::json& hash : *listed) {
    if (hash.is_string()) hashes.push_back(hash.get<std::string>());
  }
}

struct HistoryProblem {
  int64_t audit_seq = 0;
  std::string text;
};

// Every history line against the record that sealed it, and every sealed
// hash against a line: the first problem, if any.
Result<std::optional<HistoryProblem>> VerifyRequestHistory(Connection& connection, SealsBySeq seals,
                                                           int64_t last_audit_seq,
                                                           AuditVerification& result) {
  ASSIGN_OR_RETURN(const std::string sealed_after_text,
                   connection.QueryText("SELECT coalesce((SELECT value FROM meta"
                                        " WHERE key = 'request_history.sealed_after'), '0')",
                                        "read where sealed request history begins"));
  const int64_t sealed_after = std::strtoll(sealed_after_text.c_str(), nullptr, 10);
  bool sealed_seen = false;
  ASSIGN_OR_RETURN(auto select,
                   connection.Prepare("SELECT h.seq, h.request_id, h.time, h.actor, h.actor_org_id, h.action,"
                                      " h.from_state, h.to_state, h.reason, h.detail, h.audit_seq,"
                                      " coalesce(r.reference, '')"
                                      " FROM request_history h LEFT JOIN requests r ON r.id = h.request_id"
                                      " ORDER BY h.seq",
                                      "read request history to verify"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    RequestHistoryRow line{select->Int(0), select->Int(1), select->Text(2), select->Text(3), select->Int(4),
                           select->Text(5), select->Text(6), select->Text(7), select->Text(8),
                           select->Text(9)};
    const std::string which = "request history line " + std::to_string(line.seq) + " (" +
                              (select->Text(11).empty() ? "request id " + std::to_string(line.request_id)
                                                        : select->Text(11)) +
                              ", " + line.action + ")";
    if (select->IsNull(10)) {
      // Written before sealing: numbered from 1, up to where meta says
      // sealing began, and before every sealed line (a line slipped in
      // below 1, or after a sealed one, or meta raised past a sealed line,
      // is caught).
      if (line.seq >= 1 && line.seq <= sealed_after && !sealed_seen) {
        ++result.history_lines_unsealed;
        continue;
      }
      return std::optional<HistoryProblem>(
          {last_audit_seq + 1, which + " has no audit record: it was added behind Accord's back"});
    }
    sealed_seen = true;
    const int64_t audit_seq = select->Int(10);
    auto seal = seals.find(audit_seq);
    const std::string hash = RequestHistoryHash(line);
    std::vector<std::string>* listed = seal == seals.end() ? nullptr : &seal->second;
    auto match = listed == nullptr ? std::vector<std::string>::iterator()
                                   : std::find(listed->begin(), listed->end(), hash);
    if (listed == nullptr || match == listed->end()) {
      return std::optional<HistoryProblem>(
          {audit_seq, which + " does not match what audit record " + std::to_string(audit_seq) +
                          " sealed: it was edited, or moved from another request or record"});
    }
    listed->erase(match);
    ++result.history_lines;
  }
  for (const auto& [audit_seq, hashes] : seals) {
    if (!hashes.empty()) {
      return std::optional<HistoryProblem>(
          {audit_seq, std::to_string(hashes.size()) + " request history line(s) audit record " +
                          std::to_string(audit_seq) + " sealed are missing: they were removed"});
    }
  }
  return std::optional<HistoryProblem>();
}

}  // namespace

Result<int64_t> NextAuditSeq(Connection& connection) {
  ASSIGN_OR_RETURN(std::optional<ChainHead> head, ReadHead(connection));
  return head ? head->seq + 1 : 1;
}

Status AppendAuditRecord(Connection& connection, const AuditEntry& entry) {
  if (entry.action.empty()) return Status::Invalid("audit record: action is empty");
  // The head, not MAX(seq): after a truncation the next record then shows
  // the gap instead of quietly reusing the removed numbers.
  ASSIGN_OR_RETURN(std::optional<ChainHead> head, ReadHead(connection));
  AuditEntry record = entry;
  const int64_t next_seq = head ? head->seq + 1 : 1;
  if (record.seq == 0) {
    record.seq = next_seq;
  } else if (record.seq != next_seq) {
    return Status::Invalid("audit record: seq " + std::to_string(record.seq) +
                           " given, the chain's next is " + std::to_string(next_seq));
  }
  if (record.time.empty()) record.time = FormatTimestamp(SystemClock().Now());
  record.prev_hash = head ? head->hash : kGenesisHash;
  record.hash = AuditRecordHash(record, record.prev_hash);

  {
    ASSIGN_OR_RETURN(auto insert, connection.Cached(
                                      "INSERT INTO audit_log(seq, time, actor, action, object,"
                                      " detail, source_address, prev_hash, hash)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                      "append audit record"));
    insert->Bind(1, record.seq);
    insert->Bind(2, record.time);
    insert->Bind(3, record.actor);
    insert->Bind(4, record.action);
    insert->Bind(5, record.object);
    insert->Bind(6, record.detail);
    insert->Bind(7, record.source_address);
    insert->Bind(8, record.prev_hash);
    insert->Bind(9, record.hash);
    RETURN_IF_ERROR(insert->Run());
  }
  ASSIGN_OR_RETURN(auto set_head, connection.Cached(
                                      "INSERT INTO meta(key, value) VALUES (?, ?)"
                                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                      "write meta"));
  set_head->Bind(1, kHeadKey);
  set_head->Bind(2, std::to_string(record.seq) + " " + record.hash);
  return set_head->Run();
}

Status SqliteStore::AppendAudit(const AuditEntry& entry) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "append audit record"));
  RETURN_IF_ERROR(AppendAuditRecord(*connection_, entry));
  return transaction->Commit();
}

Status SqliteStore::ForEachAudit(const std::function<Status(const AuditEntry&)>& fn) {
  ASSIGN_OR_RETURN(auto select, connection_->Cached(kAuditSelect, "read audit log"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    RETURN_IF_ERROR(fn(ReadAuditRow(*select)));
  }
}

Result<AuditVerification> SqliteStore::VerifyAudit(const std::vector<AuditAnchor>& anchors) {
  // One read transaction, so the records and the head come from one
  // snapshot even while another connection appends.
  RETURN_IF_ERROR(connection_->Exec("BEGIN", "begin audit verification"));
  struct EndRead {
    Connection& connection;
    ~EndRead() { (void)connection.Exec("COMMIT", "end audit verification"); }
  } end_read{*connection_};

  AuditVerification result;
  auto broken = [&](int64_t seq, std::string problem) {
    result.intact = false;
    result.first_bad_seq = seq;
    result.problem = std::move(problem);
    return result;
  };
  int64_t expected_seq = 1;
  std::string prev_hash = kGenesisHash;
  SealsBySeq seals;
  {
    ASSIGN_OR_RETURN(auto select, connection_->Cached(kAuditSelect, "read audit log"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      const AuditEntry entry = ReadAuditRow(*select);
      if (entry.seq != expected_seq) {
        return broken(expected_seq, "record " + std::to_string(expected_seq) +
                                        " is missing (the next record is " +
                                        std::to_string(entry.seq) +
                                        "): records were removed");
      }
      if (entry.prev_hash != prev_hash) {
        return broken(entry.seq, "record " + std::to_string(entry.seq) +
                                     " does not follow the previous record's hash: a record"
                                     " before it was removed, reordered or rewritten");
      }
      if (AuditRecordHash(entry, entry.prev_hash) != entry.hash) {
        return broken(entry.seq, "record " + std::to_string(entry.seq) +
                                     " does not match its hash: it was edited");
      }
      for (const AuditAnchor& anchor : anchors) {
        if (anchor.seq == entry.seq && anchor.hash != entry.hash) {
          return broken(entry.seq, "record " + std::to_string(entry.seq) +
                                       " no longer has the hash its anchor gives: the log up to it"
                                       " was rewritten");
        }
      }
      CollectSeal(entry, seals);
      prev_hash = entry.hash;
      ++expected_seq;
      ++result.records;
    }
  }
  const int64_t last_seq = expected_seq - 1;
  for (const AuditAnchor& anchor : anchors) {
    if (anchor.seq > last_seq) {
      return broken(last_seq + 1, "record " + std::to_string(anchor.seq) +
                                      ", which an anchor names, is missing: the end of the log was removed");
    }
  }

  ASSIGN_OR_RETURN(std::optional<ChainHead> head, ReadHead(*connection_));
  if (!head && last_seq != 0) return broken(last_seq, "the chain head (meta audit.head) is missing");
  if (head && head->seq > last_seq) {
    return broken(last_seq + 1, "records " + std::to_string(last_seq + 1) + " to " +
                                    std::to_string(head->seq) +
                                    " are missing: the end of the log was removed");
  }
  if (head && (head->seq < last_seq || head->hash != prev_hash)) {
    return broken(head->seq == 0 ? 1 : head->seq,
                  "the chain head (meta audit.head) names record " + std::to_string(head->seq) +
                      " with another hash than the log holds");
  }
  // The chain holds: what its records sealed must hold too.
  ASSIGN_OR_RETURN(std::optional<HistoryProblem> history,
                   VerifyRequestHistory(*connection_, std::move(seals), last_seq, result));
  if (history) return broken(history->audit_seq, std::move(history->text));
  result.head_hash = last_seq == 0 ? "" : prev_hash;  // only for an intact log
  return result;
}

}  // namespace accord::sqlite
