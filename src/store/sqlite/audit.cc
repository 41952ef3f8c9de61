// The audit chain on SQLite. Each record's hash covers its fields and the
// previous record's hash; meta 'audit.head' ("<seq> <hash>") names the last
// record, written in the same transaction as it. Editing a record breaks its
// hash, removing or reordering one breaks the next record's prev_hash or the
// seq sequence, and removing the tail leaves the head pointing past the end.
//
// What the chain cannot stop: someone with write access to the file who
// rewrites every hash after an edit and the head too. Keeping the head
// elsewhere (`accord audit verify` prints it as SEQ:HASH) and giving it back
// later (`--anchor SEQ:HASH`) is the answer to that.
#include <string>
#include <utility>

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

}  // namespace

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
  if (!head) {
    if (last_seq == 0) return result;
    return broken(last_seq, "the chain head (meta audit.head) is missing");
  }
  if (head->seq > last_seq) {
    return broken(last_seq + 1, "records " + std::to_string(last_seq + 1) + " to " +
                                    std::to_string(head->seq) +
                                    " are missing: the end of the log was removed");
  }
  if (head->seq < last_seq || head->hash != prev_hash) {
    return broken(head->seq == 0 ? 1 : head->seq,
                  "the chain head (meta audit.head) names record " + std::to_string(head->seq) +
                      " with another hash than the log holds");
  }
  result.head_hash = last_seq == 0 ? "" : prev_hash;  // only for an intact log
  return result;
}

}  // namespace accord::sqlite
