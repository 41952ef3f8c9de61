// The 24/7 network's tables: points of contact, requests with their history,
// links, attachments and the notices the clocks raise. Every write commits
// with its history line and audit record, or not at all.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_store.h"

namespace accord::sqlite {
namespace {

constexpr std::string_view kRequestColumns =
    "id, uuid, reference, type, state, urgency, from_org_id, to_org_id, subject, fields, created,"
    " updated, sent_at, ack_due, acknowledged_at, executed_at, preserved_until, closed_at,"
    " escalated_at, version";

RequestRow ReadRequestRow(const Statement& row) {
  RequestRow request;
  request.id = row.Int(0);
  request.uuid = row.Text(1);
  request.reference = row.Text(2);
  request.type = row.Text(3);
  request.state = row.Text(4);
  request.urgency = row.Text(5);
  request.from_org_id = row.Int(6);
  request.to_org_id = row.Int(7);
  request.subject = row.Text(8);
  request.fields_json = row.Text(9);
  request.created = row.Text(10);
  request.updated = row.Text(11);
  request.sent_at = row.Text(12);
  request.ack_due = row.Text(13);
  request.acknowledged_at = row.Text(14);
  request.executed_at = row.Text(15);
  request.preserved_until = row.Text(16);
  request.closed_at = row.Text(17);
  request.escalated_at = row.Text(18);
  request.version = row.Int(19);
  return request;
}

std::string ChannelsJson(const std::vector<ContactChannel>& channels) {
  nlohmann::json list = nlohmann::json::array();
  for (const ContactChannel& channel : channels) {
    list.push_back({{"kind", channel.kind}, {"value", channel.value}});
  }
  return list.dump();
}

// The columns were written by ChannelsJson; anything else is corruption.
Result<std::vector<ContactChannel>> ParseChannels(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return Status::Corruption("points_of_contact: channels are not a list");
  std::vector<ContactChannel> channels;
  for (const auto& item : parsed) {
    if (!item.is_object()) return Status::Corruption("points_of_contact: bad channel");
    channels.push_back({item.value("kind", ""), item.value("value", "")});
  }
  return channels;
}

Result<std::vector<std::string>> ParseStringList(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return Status::Corruption("points_of_contact: languages are not a list");
  std::vector<std::string> values;
  for (const auto& item : parsed) {
    if (item.is_string()) values.push_back(item.get<std::string>());
  }
  return values;
}

// A note, link or file is recorded against the state its history line
// names: a request that moved on since the caller read it (closed by the
// other party meanwhile) is not written to.
Status CheckRequestState(Connection& connection, const RequestHistoryRow& history, int64_t request_id) {
  ASSIGN_OR_RETURN(auto select, connection.Cached("SELECT state, reference FROM requests WHERE id = ?",
                                                  "read the request's state"));
  select->Bind(1, request_id);
  ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return Status::NotFound("request id " + std::to_string(request_id) + " does not exist");
  if (!history.from_state.empty() && select->Text(0) != history.from_state) {
    return Status::FailedPrecondition("request " + select->Text(1) + " is now " + select->Text(0) +
                                      ", not " + history.from_state + ": someone changed it since you read it; reload it");
  }
  return Status::Ok();
}

// History lines written in one transaction, to be sealed by its audit
// record (AppendSealingAudit).
struct UnsealedLines {
  std::vector<int64_t> seqs;
  std::vector<std::string> hashes;
};

Status InsertHistory(Connection& connection, const RequestHistoryRow& history,
                     int64_t request_id, UnsealedLines& unsealed) {
  ASSIGN_OR_RETURN(auto insert,
                   connection.Cached("INSERT INTO request_history(request_id, time, actor,"
                                     " actor_org_id, action, from_state, to_state, reason, detail)"
                                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                     "append request history"));
  insert->Bind(1, request_id);
  insert->Bind(2, history.time);
  insert->Bind(3, history.actor);
  insert->BindIdOrNull(4, history.actor_org_id);
  insert->Bind(5, history.action);
  insert->Bind(6, history.from_state);
  insert->Bind(7, history.to_state);
  insert->Bind(8, history.reason);
  RequestHistoryRow line = history;
  line.request_id = request_id;
  if (line.detail.empty()) line.detail = "{}";
  insert->Bind(9, line.detail);
  RETURN_IF_ERROR(insert->Run());
  line.seq = insert->LastInsertRowId();
  unsealed.seqs.push_back(line.seq);
  unsealed.hashes.push_back(RequestHistoryHash(line));
  return Status::Ok();
}

// Appends `audit`, its detail listing the hashes of the lines written with
// it, and has each line name it: `audit verify` then sees a line changed,
// removed or added since (audit.cc).
Status AppendSealingAudit(Connection& connection, AuditEntry audit, const UnsealedLines& lines) {
  if (lines.seqs.empty()) return AppendAuditRecord(connection, audit);
  nlohmann::json detail = nlohmann::json::parse(audit.detail, nullptr, /*allow_exceptions=*/false);
  if (!detail.is_object()) {
    detail = audit.detail.empty() ? nlohmann::json::object() : nlohmann::json{{"text", audit.detail}};
  }
  detail[std::string(kHistoryHashesKey)] = lines.hashes;
  audit.detail = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  ASSIGN_OR_RETURN(audit.seq, NextAuditSeq(connection));
  RETURN_IF_ERROR(AppendAuditRecord(connection, audit));
  ASSIGN_OR_RETURN(auto seal, connection.Cached("UPDATE request_history SET audit_seq = ? WHERE seq = ?",
                                                "seal request history"));
  for (int64_t seq : lines.seqs) {
    seal->Reset();
    seal->Bind(1, audit.seq);
    seal->Bind(2, seq);
    RETURN_IF_ERROR(seal->Run());
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::PutPointOfContact(const PointOfContact& poc) {
  ASSIGN_OR_RETURN(
      auto upsert,
      connection_->Cached(
          "INSERT INTO points_of_contact(org_id, name, languages, hours, time_zone, channels,"
          " backup_name, backup_channels, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          " ON CONFLICT(org_id) DO UPDATE SET name = excluded.name, languages ="
          " excluded.languages, hours = excluded.hours, time_zone = excluded.time_zone,"
          " channels = excluded.channels, backup_name = excluded.backup_name,"
          " backup_channels = excluded.backup_channels, updated = excluded.updated",
          "put point of contact"));
  upsert->Bind(1, poc.org_id);
  upsert->Bind(2, poc.name);
  upsert->Bind(3, nlohmann::json(poc.languages).dump());
  upsert->Bind(4, poc.hours);
  upsert->Bind(5, poc.time_zone);
  upsert->Bind(6, ChannelsJson(poc.channels));
  upsert->Bind(7, poc.backup_name);
  upsert->Bind(8, ChannelsJson(poc.backup_channels));
  upsert->Bind(9, poc.updated);
  Status status = upsert->Run();
  if (status.code() == Status::Code::kFailedPrecondition) {
    return Status::NotFound("organisation id " + std::to_string(poc.org_id) + " does not exist");
  }
  return status;
}

Status SqliteStore::RemovePointOfContact(int64_t org_id) {
  ASSIGN_OR_RETURN(auto remove,
                   connection_->Cached("DELETE FROM points_of_contact WHERE org_id = ?",
                                       "remove point of contact"));
  remove->Bind(1, org_id);
  RETURN_IF_ERROR(remove->Run());
  if (remove->Changes() == 0) {
    return Status::NotFound("organisation id " + std::to_string(org_id) +
                            " has no point of contact");
  }
  return Status::Ok();
}

namespace {
Result<PointOfContact> ReadPoc(const Statement& row) {
  PointOfContact poc;
  poc.org_id = row.Int(0);
  poc.name = row.Text(1);
  ASSIGN_OR_RETURN(poc.languages, ParseStringList(row.Text(2)));
  poc.hours = row.Text(3);
  poc.time_zone = row.Text(4);
  ASSIGN_OR_RETURN(poc.channels, ParseChannels(row.Text(5)));
  poc.backup_name = row.Text(6);
  ASSIGN_OR_RETURN(poc.backup_channels, ParseChannels(row.Text(7)));
  poc.updated = row.Text(8);
  return poc;
}
constexpr std::string_view kPocSelect =
    "SELECT org_id, name, languages, hours, time_zone, channels, backup_name, backup_channels,"
    " updated FROM points_of_contact";
}  // namespace

Result<std::optional<PointOfContact>> SqliteStore::GetPointOfContact(int64_t org_id) {
  ASSIGN_OR_RETURN(auto select, connection_->Cached(std::string(kPocSelect) + " WHERE org_id = ?",
                                                    "read point of contact"));
  select->Bind(1, org_id);
  ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return std::optional<PointOfContact>();
  ASSIGN_OR_RETURN(PointOfContact poc, ReadPoc(*select));
  return std::optional<PointOfContact>(std::move(poc));
}

Result<std::vector<PointOfContact>> SqliteStore::ListPointsOfContact() {
  ASSIGN_OR_RETURN(auto select, connection_->Cached(std::string(kPocSelect) + " ORDER BY org_id",
                                                    "list points of contact"));
  std::vector<PointOfContact> all;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return all;
    ASSIGN_OR_RETURN(PointOfContact poc, ReadPoc(*select));
    all.push_back(std::move(poc));
  }
}

Status SqliteStore::SaveRequest(RequestRow& request, const RequestHistoryRow& history,
                                const AuditEntry& audit) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "save request"));
  auto bind_common = [&](Statement& statement) {
    statement.Bind(1, request.type);
    statement.Bind(2, request.state);
    statement.Bind(3, request.urgency);
    statement.Bind(4, request.subject);
    statement.Bind(5, request.fields_json.empty() ? std::string("{}") : request.fields_json);
    statement.Bind(6, request.updated);
    statement.BindTextOrNull(7, request.sent_at);
    statement.BindTextOrNull(8, request.ack_due);
    statement.BindTextOrNull(9, request.acknowledged_at);
    statement.BindTextOrNull(10, request.executed_at);
    statement.BindTextOrNull(11, request.preserved_until);
    statement.BindTextOrNull(12, request.closed_at);
    statement.BindTextOrNull(13, request.escalated_at);
  };
  if (request.id == 0) {
    ASSIGN_OR_RETURN(
        auto insert,
        connection_->Cached(
            "INSERT INTO requests(type, state, urgency, subject, fields, updated, sent_at,"
            " ack_due, acknowledged_at, executed_at, preserved_until, closed_at, escalated_at,"
            " uuid, from_org_id, to_org_id, created, version)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
            " ?17, 1)",
            "insert request"));
    bind_common(*insert);
    insert->Bind(14, request.uuid);
    insert->Bind(15, request.from_org_id);
    insert->Bind(16, request.to_org_id);
    insert->Bind(17, request.created);
    Status status = insert->Run();
    if (status.code() == Status::Code::kFailedPrecondition) {
      return Status::NotFound("request names an organisation that does not exist");
    }
    RETURN_IF_ERROR(status);
    request.id = insert->LastInsertRowId();
    request.version = 1;
    request.reference += fmt::format("{:06d}", request.id);
    ASSIGN_OR_RETURN(auto set_reference,
                     connection_->Cached("UPDATE requests SET reference = ? WHERE id = ?",
                                         "set request reference"));
    set_reference->Bind(1, request.reference);
    set_reference->Bind(2, request.id);
    RETURN_IF_ERROR(set_reference->Run());
  } else {
    ASSIGN_OR_RETURN(
        auto update,
        connection_->Cached(
            "UPDATE requests SET type = ?1, state = ?2, urgency = ?3, subject = ?4, fields = ?5,"
            " updated = ?6, sent_at = ?7, ack_due = ?8, acknowledged_at = ?9, executed_at = ?10,"
            " preserved_until = ?11, closed_at = ?12,"
            // The clock's mark stays: it does not bump the version (a duty
            // officer's acknowledgement must not fail because the escalation
            // it answers came first), so the row read may predate it.
            " escalated_at = COALESCE(escalated_at, ?13), version = version + 1"
            " WHERE id = ?14 AND version = ?15",
            "update request"));
    bind_common(*update);
    update->Bind(14, request.id);
    update->Bind(15, request.version);
    RETURN_IF_ERROR(update->Run());
    if (update->Changes() == 0) {
      return Status::FailedPrecondition("request " + request.reference +
                             " was changed by someone else since it was read; reload it");
    }
    ++request.version;
  }
  UnsealedLines lines;
  if (!history.action.empty()) RETURN_IF_ERROR(InsertHistory(*connection_, history, request.id, lines));
  AuditEntry record = audit;
  if (record.object.empty()) record.object = request.reference;
  RETURN_IF_ERROR(AppendSealingAudit(*connection_, record, lines));
  return transaction->Commit();
}

Result<std::optional<RequestRow>> SqliteStore::FindRequest(const std::string& handle) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached(fmt::format("SELECT {} FROM requests WHERE uuid = ?1 OR"
                                                   " reference = ?1 OR CAST(id AS TEXT) = ?1",
                                                   kRequestColumns),
                                       "find request"));
  select->Bind(1, handle);
  ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return std::optional<RequestRow>();
  return std::optional<RequestRow>(ReadRequestRow(*select));
}

Status SqliteStore::ForEachRequest(const RequestFilter& filter,
                                   const std::function<Status(const RequestRow&)>& fn) {
  std::string sql = fmt::format("SELECT {} FROM requests WHERE 1 = 1", kRequestColumns);
  if (filter.party_org_id != 0) sql += " AND (from_org_id = ?1 OR to_org_id = ?1)";
  if (!filter.state.empty()) sql += " AND state = ?2";
  if (!filter.states.empty()) {
    sql += " AND state IN (";
    for (size_t i = 0; i < filter.states.size(); ++i) {
      sql += (i ? ", ?" : "?") + std::to_string(3 + i);
    }
    sql += ")";
  }
  sql += " ORDER BY id";
  ASSIGN_OR_RETURN(auto select, connection_->Prepare(sql, "list requests"));
  if (filter.party_org_id != 0) select->Bind(1, filter.party_org_id);
  if (!filter.state.empty()) select->Bind(2, filter.state);
  for (size_t i = 0; i < filter.states.size(); ++i) {
    select->Bind(static_cast<int>(3 + i), filter.states[i]);
  }
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return Status::Ok();
    RETURN_IF_ERROR(fn(ReadRequestRow(*select)));
  }
}

Result<std::vector<RequestHistoryRow>> SqliteStore::RequestHistory(int64_t request_id) {
  ASSIGN_OR_RETURN(
      auto select,
      connection_->Cached("SELECT seq, request_id, time, actor, actor_org_id, action, from_state,"
                          " to_state, reason, detail FROM request_history WHERE request_id = ?"
                          " ORDER BY seq",
                          "read request history"));
  select->Bind(1, request_id);
  std::vector<RequestHistoryRow> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return rows;
    rows.push_back({select->Int(0), select->Int(1), select->Text(2), select->Text(3),
                    select->Int(4), select->Text(5), select->Text(6), select->Text(7),
                    select->Text(8), select->Text(9)});
  }
}

Status SqliteStore::AddRequestLink(const RequestLinkRow& link, const RequestHistoryRow& history,
                                   const AuditEntry& audit) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "link request"));
  RETURN_IF_ERROR(CheckRequestState(*connection_, history, link.request_id));
  ASSIGN_OR_RETURN(auto insert,
                   connection_->Cached("INSERT INTO request_links(request_id, kind, ref, added)"
                                       " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                       "link request"));
  insert->Bind(1, link.request_id);
  insert->Bind(2, link.kind);
  insert->Bind(3, link.ref);
  insert->Bind(4, link.added);
  RETURN_IF_ERROR(insert->Run());
  if (insert->Changes() == 0) {
    return Status::AlreadyExists("the request already links " + link.kind + " " + link.ref);
  }
  UnsealedLines lines;
  RETURN_IF_ERROR(InsertHistory(*connection_, history, link.request_id, lines));
  RETURN_IF_ERROR(AppendSealingAudit(*connection_, audit, lines));
  return transaction->Commit();
}

Result<std::vector<RequestLinkRow>> SqliteStore::RequestLinks(int64_t request_id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT request_id, kind, ref, added FROM request_links"
                                       " WHERE request_id = ? ORDER BY rowid",
                                       "read request links"));
  select->Bind(1, request_id);
  std::vector<RequestLinkRow> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return rows;
    rows.push_back({select->Int(0), select->Text(1), select->Text(2), select->Text(3)});
  }
}

Result<AttachmentRow> SqliteStore::AddAttachment(const AttachmentRow& attachment,
                                                 std::string_view content,
                                                 const RequestHistoryRow& history,
                                                 const AuditEntry& audit) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "attach to request"));
  RETURN_IF_ERROR(CheckRequestState(*connection_, history, attachment.request_id));
  ASSIGN_OR_RETURN(
      auto insert,
      connection_->Cached("INSERT INTO request_attachments(request_id, name, media_type, size,"
                          " sha256, added, actor, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "attach to request"));
  insert->Bind(1, attachment.request_id);
  insert->Bind(2, attachment.name);
  insert->Bind(3, attachment.media_type);
  insert->Bind(4, static_cast<int64_t>(content.size()));
  insert->Bind(5, attachment.sha256);
  insert->Bind(6, attachment.added);
  insert->Bind(7, attachment.actor);
  insert->BindBlob(8, content);
  RETURN_IF_ERROR(insert->Run());
  AttachmentRow stored = attachment;
  stored.id = insert->LastInsertRowId();
  stored.size = static_cast<int64_t>(content.size());
  UnsealedLines lines;
  RETURN_IF_ERROR(InsertHistory(*connection_, history, attachment.request_id, lines));
  RETURN_IF_ERROR(AppendSealingAudit(*connection_, audit, lines));
  RETURN_IF_ERROR(transaction->Commit());
  return stored;
}

Result<std::vector<AttachmentRow>> SqliteStore::Attachments(int64_t request_id) {
  ASSIGN_OR_RETURN(
      auto select,
      connection_->Cached("SELECT id, request_id, name, media_type, size, sha256, added, actor"
                          " FROM request_attachments WHERE request_id = ? ORDER BY id",
                          "list attachments"));
  select->Bind(1, request_id);
  std::vector<AttachmentRow> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return rows;
    rows.push_back({select->Int(0), select->Int(1), select->Text(2), select->Text(3),
                    select->Int(4), select->Text(5), select->Text(6), select->Text(7)});
  }
}

Result<std::string> SqliteStore::AttachmentContent(int64_t attachment_id) {
  ASSIGN_OR_RETURN(auto select,
                   connection_->Cached("SELECT content FROM request_attachments WHERE id = ?",
                                       "read attachment"));
  select->Bind(1, attachment_id);
  ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return Status::NotFound("attachment " + std::to_string(attachment_id) + " does not exist");
  return select->Blob(0);
}

Result<std::vector<RequestNotice>> SqliteStore::RaiseNotices(
    const std::vector<RequestNotice>& notices, const AuditEntry& audit) {
  ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*connection_, "raise request notices"));
  ASSIGN_OR_RETURN(
      auto insert,
      connection_->Cached("INSERT INTO request_notices(request_id, kind, key, created, org_id,"
                          " addressee, message) VALUES (?, ?, ?, ?, ?, ?, ?)"
                          " ON CONFLICT DO NOTHING",
                          "raise request notice"));
  ASSIGN_OR_RETURN(auto escalate,
                   connection_->Cached("UPDATE requests SET escalated_at = ?"
                                       " WHERE id = ? AND escalated_at IS NULL",
                                       "mark request escalated"));
  std::vector<RequestNotice> raised;
  UnsealedLines lines;
  for (const RequestNotice& notice : notices) {
    insert->Reset();
    insert->Bind(1, notice.request_id);
    insert->Bind(2, notice.kind);
    insert->Bind(3, notice.key);
    insert->Bind(4, notice.created);
    insert->BindIdOrNull(5, notice.org_id);
    insert->Bind(6, notice.addressee);
    insert->Bind(7, notice.message);
    RETURN_IF_ERROR(insert->Run());
    if (insert->Changes() == 0) continue;
    RequestNotice stored = notice;
    stored.id = insert->LastInsertRowId();
    RequestHistoryRow history;
    history.time = notice.created;
    history.actor = audit.actor;
    history.action = notice.kind;
    history.reason = notice.message;
    history.detail = nlohmann::json{{"key", notice.key}, {"addressee", notice.addressee}}.dump();
    RETURN_IF_ERROR(InsertHistory(*connection_, history, notice.request_id, lines));
    if (notice.kind == "escalation") {
      escalate->Reset();
      escalate->Bind(1, notice.created);
      escalate->Bind(2, notice.request_id);
      RETURN_IF_ERROR(escalate->Run());
    }
    raised.push_back(std::move(stored));
  }
  if (raised.empty()) return raised;
  AuditEntry record = audit;
  record.detail = nlohmann::json{{"notices", raised.size()}}.dump();
  RETURN_IF_ERROR(AppendSealingAudit(*connection_, record, lines));
  RETURN_IF_ERROR(transaction->Commit());
  return raised;
}

Result<std::vector<RequestNotice>> SqliteStore::ListNotices(int64_t org_id, int64_t request_id) {
  ASSIGN_OR_RETURN(
      auto select,
      connection_->Cached("SELECT id, request_id, kind, key, created, org_id, addressee, message"
                          " FROM request_notices WHERE (?1 = 0 OR org_id = ?1)"
                          " AND (?2 = 0 OR request_id = ?2) ORDER BY id DESC",
                          "list request notices"));
  select->Bind(1, org_id);
  select->Bind(2, request_id);
  std::vector<RequestNotice> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) return rows;
    rows.push_back({select->Int(0), select->Int(1), select->Text(2), select->Text(3),
                    select->Text(4), select->Int(5), select->Text(6), select->Text(7)});
  }
}

}  // namespace accord::sqlite
