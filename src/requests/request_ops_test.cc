// The 24/7 operations on a real SQLite node: the lifecycle with its history
// and audit records, access by third parties, clocks driven by a settable
// clock and attachments' chain of custody (the directory: poc_ops_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include "core/crypto.h"
#include "requests/request_ops.h"
#include "requests/request_ops_testing.h"
#include "testing/testing.h"

namespace accord::requests {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using std::chrono::days;
using std::chrono::hours;

TEST_F(RequestOpsTest, PreservationLifecycleRecordsEveryTransitionInHistoryAndAudit) {
  RequestRow row = NewPreservation();
  EXPECT_EQ(row.state, "draft");
  EXPECT_EQ(row.reference, "FR-DE-2026-000001");
  row = Do(fr_, row.reference, "send");
  EXPECT_EQ(row.ack_due, "2026-03-02T10:00:00.000Z");  // urgent: 24 h
  clock_.Advance(hours(1));
  row = Do(de_, row.uuid, "ack");
  row = Do(de_, row.uuid, "start");
  row = Do(de_, row.uuid, "execute");
  EXPECT_EQ(row.preserved_until, "2026-04-30T11:00:00.000Z");
  row = Do(fr_, row.uuid, "extend", "MLA request filed, awaiting execution");
  EXPECT_EQ(row.preserved_until, "2026-06-29T11:00:00.000Z");
  row = Do(de_, row.uuid, "close", "Data handed over under MLA");
  EXPECT_EQ(row.state, "closed");

  auto history = store_->RequestHistory(row.id);
  ASSERT_TRUE(history.ok());
  std::vector<std::string> actions;
  for (const auto& line : *history) actions.push_back(line.action);
  EXPECT_THAT(actions,
              ElementsAre("create", "send", "ack", "start", "execute", "extend", "close"));
  EXPECT_EQ(history->back().reason, "Data handed over under MLA");
  EXPECT_EQ(history->back().actor_org_id, de_);
  EXPECT_EQ((*history)[5].from_state, "executed");
  EXPECT_EQ((*history)[5].to_state, "extended");

  auto audit = AuditActions();
  for (const char* expected : {"request.create", "request.send", "request.ack", "request.start",
                               "request.execute", "request.extend", "request.close"}) {
    EXPECT_EQ(std::count(audit.begin(), audit.end(), expected), 1) << expected;
  }
  auto verified = store_->VerifyAudit();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact);
}

TEST_F(RequestOpsTest, RequestMissingAFieldCannotBeSentAndTheErrorNamesIt) {
  RequestRow row = NewPreservation(/*complete=*/false);
  DraftChanges changes;
  changes.fields = {{"requesting_authority", "OCLCTIC"}, {"offence", "Fraud"}};
  ASSERT_TRUE(EditDraft(*store_, Poc(fr_), row.uuid, changes, clock_).ok());
  auto sent = Act(*store_, Poc(fr_), row.uuid, {"send", "", "", 0}, clock_);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(sent.status().message(), HasSubstr("'facts'"));
  EXPECT_EQ(store_->FindRequest(row.uuid).value()->state, "draft");
}

TEST_F(RequestOpsTest, RefusedTransitionsChangeNothingAndAppendNoAudit) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  const size_t audit_before = AuditActions().size();
  auto by_requester = Act(*store_, Poc(fr_), row.uuid, {"ack", "", "", 0}, clock_);
  EXPECT_EQ(by_requester.status().code(), Status::Code::kPermissionDenied);
  auto too_early = Act(*store_, Poc(de_), row.uuid, {"close", "", "", 0}, clock_);
  EXPECT_EQ(too_early.status().code(), Status::Code::kFailedPrecondition);
  auto no_grounds = Act(*store_, Poc(de_), row.uuid, {"refuse", " ", "", 0}, clock_);
  EXPECT_THAT(no_grounds.status().message(), HasSubstr("grounds"));
  auto short_period = Act(*store_, Poc(de_), row.uuid, {"execute", "", "30d", 0}, clock_);
  EXPECT_FALSE(short_period.ok());
  EXPECT_EQ(AuditActions().size(), audit_before);
  EXPECT_EQ(store_->FindRequest(row.uuid).value()->state, "sent");
  RequestRow refused = Do(de_, row.uuid, "refuse", "Dual criminality not met");
  EXPECT_EQ(refused.state, "refused");
  EXPECT_FALSE(refused.closed_at.empty());
}

// A request's end goes on the record with what ended it.
TEST_F(RequestOpsTest, ClosingNeedsAReason) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  Do(de_, row.uuid, "ack");
  Do(de_, row.uuid, "execute");
  const size_t audit_before = AuditActions().size();
  auto no_reason = Act(*store_, Poc(de_), row.uuid, {"close", "  ", "", 0}, clock_);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(no_reason.status().message(), HasSubstr("reason: required to close"));
  EXPECT_EQ(store_->FindRequest(row.uuid).value()->state, "executed");
  EXPECT_EQ(AuditActions().size(), audit_before);
}

// Chain of custody: nothing is added to a request's record once it ended.
TEST_F(RequestOpsTest, AnEndedRequestTakesNoMoreNotesLinksOrAttachments) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  Do(fr_, row.uuid, "withdraw", "Suspect identified by other means");
  auto history_before = store_->RequestHistory(row.id);
  ASSERT_TRUE(history_before.ok());
  const Status note = AddNote(*store_, Poc(de_), row.uuid, "Late note", clock_);
  EXPECT_EQ(note.code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(note.message(), HasSubstr("is withdrawn: its record is final"));
  auto attached = Attach(*store_, Poc(fr_), row.uuid, "late.pdf", "application/pdf", "%PDF-1.7", clock_);
  EXPECT_EQ(attached.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(LinkRequest(*store_, Poc(fr_), row.uuid, "observable", "203.0.113.7", clock_).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(store_->RequestHistory(row.id)->size(), history_before->size());
  EXPECT_TRUE(store_->Attachments(row.id)->empty());
  // A writer that read the request before it ended (another desk, at the
  // same moment) is refused by the store itself.
  RequestHistoryRow line;
  line.request_id = row.id;
  line.time = "2026-03-01T10:00:00.000Z";
  line.actor = "test";
  line.action = "link";
  line.from_state = line.to_state = "sent";
  line.detail = "{}";
  AuditEntry audit;
  audit.actor = "test";
  audit.action = "request.link";
  const Status raced = store_->AddRequestLink({row.id, "observable", "ipv4:203.0.113.7", line.time}, line, audit);
  EXPECT_EQ(raced.code(), Status::Code::kFailedPrecondition) << raced.ToString();
  EXPECT_TRUE(store_->RequestLinks(row.id)->empty());
}

// The media type is served back as the attachment's Content-Type.
TEST_F(RequestOpsTest, AnAttachmentsMediaTypeMustBeATypeAndSubtype) {
  RequestRow row = NewPreservation();
  for (const char* bad : {"pdf", "application/", "/pdf", "text/html\x01", "application/pdf bad", "text/plain;",
                          "text/plain; foo", "text/plain; charset=\"x", "text/plain; charset=\xc3\xbc",
                          "*/*", "text/pl%ain"}) {
    auto attached = Attach(*store_, Poc(fr_), row.uuid, "order.pdf", bad, "%PDF-1.7", clock_);
    ASSERT_FALSE(attached.ok()) << bad;
    EXPECT_EQ(attached.status().code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_THAT(attached.status().message(), HasSubstr("media type")) << bad;
  }
  EXPECT_TRUE(store_->Attachments(row.id)->empty());
  for (const char* good : {"application/pdf", "text/plain; charset=utf-8", "application/vnd.ms-excel",
                           "image/svg+xml", "text/plain;charset=\"utf-8\" ; format=flowed", ""}) {
    EXPECT_TRUE(Attach(*store_, Poc(fr_), row.uuid, "order.pdf", good, "%PDF-1.7", clock_).ok()) << good;
  }
}

TEST_F(RequestOpsTest, ALapsedPreservationIsNotExtendedNorOfferedToBe) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  Do(de_, row.uuid, "ack");
  row = Do(de_, row.uuid, "execute");
  auto offered = [&] {
    auto view = ViewRequest(*store_, {fr_, Role::kPoc}, row.uuid);
    EXPECT_TRUE(view.ok());
    return view.ok() ? RequestViewJson(*view, clock_.Now())["allowed_actions"] : nlohmann::json();
  };
  const nlohmann::json running = offered();
  EXPECT_NE(std::find(running.begin(), running.end(), "extend"), running.end());
  clock_.Advance(days(61));
  auto extended = Act(*store_, Poc(fr_), row.uuid, {"extend", "Too late", "", 0}, clock_);
  ASSERT_FALSE(extended.ok());
  EXPECT_EQ(extended.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(extended.status().message(), HasSubstr("new preservation request"));
  EXPECT_EQ(store_->FindRequest(row.uuid).value()->preserved_until, row.preserved_until);
  const nlohmann::json lapsed = offered();
  EXPECT_EQ(std::find(lapsed.begin(), lapsed.end(), "extend"), lapsed.end());
  // Nor does a refused move list it among what is allowed now.
  auto acked = Act(*store_, Poc(de_), row.uuid, {"ack", "", "", 0}, clock_);
  ASSERT_FALSE(acked.ok());
  EXPECT_THAT(acked.status().message(), HasSubstr("allowed now: close (requester)"));
  EXPECT_THAT(acked.status().message(), ::testing::Not(HasSubstr("extend")));
}

TEST_F(RequestOpsTest, StaleVersionIsRefused) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  auto stale = Act(*store_, Poc(de_), row.uuid, {"ack", "", "", row.version}, clock_);
  EXPECT_EQ(stale.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(stale.status().message(), HasSubstr("reload"));
}

TEST_F(RequestOpsTest, ThirdPartiesNeitherSeeNorChangeARequest) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  for (Role role : {Role::kAnalyst, Role::kPoc, Role::kReader, Role::kContributor}) {
    const Principal outsider{it_, role};
    EXPECT_EQ(GetRequest(*store_, outsider, row.uuid).status().code(), Status::Code::kNotFound);
    EXPECT_EQ(GetRequest(*store_, outsider, row.reference).status().code(),
              Status::Code::kNotFound);
    EXPECT_TRUE(ListRequests(*store_, outsider, {}).value().empty());
    EXPECT_FALSE(ReadAttachment(*store_, outsider, row.uuid, 1).ok());
    auto acted = Act(*store_, As(it_, role), row.uuid, {"ack", "", "", 0}, clock_);
    EXPECT_EQ(acted.status().code(), Status::Code::kNotFound);
  }
  // The node's admin (the operator organisation's) oversees every request
  // but acts for no one else; another organisation's admin is an outsider.
  EXPECT_EQ(GetRequest(*store_, {it_, Role::kAdmin}, row.uuid).status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(ListRequests(*store_, {it_, Role::kAdmin}, {}).value().empty());
  EXPECT_TRUE(NoticesFor(*store_, {it_, Role::kAdmin}).value().empty() ||
              NoticesFor(*store_, {it_, Role::kAdmin}).value().front().org_id == it_);
  const int64_t hub = MakeOrg("Regional hub", "NL");
  ASSERT_TRUE(store_->SetMeta("operator_org_id", std::to_string(hub)).ok());
  EXPECT_TRUE(GetRequest(*store_, {hub, Role::kAdmin}, row.uuid).ok());
  EXPECT_EQ(ListRequests(*store_, {hub, Role::kAdmin}, {}).value().size(), 1u);
  auto admin_act = Act(*store_, Admin(hub), row.uuid, {"ack", "", "", 0}, clock_);
  EXPECT_EQ(admin_act.status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(GetRequest(*store_, {it_, Role::kAdmin}, row.uuid).status().code(), Status::Code::kNotFound);
  // A party's reader reads but does not act.
  EXPECT_TRUE(GetRequest(*store_, {de_, Role::kReader}, row.uuid).ok());
  auto reader_act = Act(*store_, As(de_, Role::kReader), row.uuid, {"ack", "", "", 0}, clock_);
  EXPECT_EQ(reader_act.status().code(), Status::Code::kPermissionDenied);
}

TEST_F(RequestOpsTest, ADraftIsReadOnlyByTheRequestingOrganisationUntilSent) {
  RequestRow row = NewPreservation();
  ASSERT_EQ(row.state, "draft");
  EXPECT_TRUE(GetRequest(*store_, {fr_, Role::kReader}, row.uuid).ok());
  // Neither the requested organisation nor another organisation's admin
  // sees a draft, by reference or in a list.
  for (const Principal& other : {Principal{de_, Role::kPoc}, Principal{de_, Role::kAdmin},
                                 Principal{it_, Role::kAdmin}}) {
    EXPECT_EQ(GetRequest(*store_, other, row.reference).status().code(),
              Status::Code::kNotFound);
    EXPECT_TRUE(ListRequests(*store_, other, {}).value().empty());
    EXPECT_FALSE(ViewRequest(*store_, other, row.uuid).ok());
  }
  Do(fr_, row.uuid, "send");
  EXPECT_TRUE(GetRequest(*store_, {de_, Role::kPoc}, row.reference).ok());
  EXPECT_EQ(ListRequests(*store_, {de_, Role::kPoc}, {}).value().size(), 1u);
}

// A draft withdrawn without ever being sent was never the requested
// party's business: it stays the requesting organisation's own.
TEST_F(RequestOpsTest, ADraftWithdrawnBeforeSendingStaysWithTheRequester) {
  RequestRow row = NewPreservation();
  row = Do(fr_, row.uuid, "withdraw", "discarded draft");
  ASSERT_EQ(row.state, "withdrawn");
  EXPECT_TRUE(GetRequest(*store_, {fr_, Role::kReader}, row.uuid).ok());
  EXPECT_EQ(GetRequest(*store_, {de_, Role::kPoc}, row.reference).status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(ListRequests(*store_, {de_, Role::kPoc}, {}).value().empty());
  EXPECT_FALSE(ViewRequest(*store_, {de_, Role::kAdmin}, row.uuid).ok());
  // Its printout says how it ended.
  const std::string html = RenderHtml(ViewRequest(*store_, {fr_, Role::kPoc}, row.uuid).value(), clock_.Now());
  EXPECT_THAT(html, HasSubstr("<th>Withdrawn</th>"));
  EXPECT_THAT(html, Not(HasSubstr("<th>Closed</th>")));
  // One withdrawn after sending, the requested party keeps seeing.
  RequestRow sent = NewPreservation();
  Do(fr_, sent.uuid, "send");
  Do(fr_, sent.uuid, "withdraw", "no longer needed");
  EXPECT_TRUE(GetRequest(*store_, {de_, Role::kPoc}, sent.uuid).ok());
}

// Polizia Postale registered no 24/7 point of contact: an escalation says
// so, to both parties and in the record, rather than claim a backup.
TEST_F(RequestOpsTest, AMissedAcknowledgementToAnOrganisationWithoutADeskSaysNobodyCouldBeAlerted) {
  NewRequest request;
  request.type = "emergency-disclosure";
  request.to_org_id = it_;
  request.fields = {{"requesting_authority", "OCLCTIC"},
                    {"emergency", "Threat to kill posted with a victim's address"},
                    {"facts", "Posted from an account hosted in IT"},
                    {"data_sought", "Subscriber and login IPs of the account"},
                    {"custodian_location", "Example Mail S.p.A."}};
  auto row = CreateRequest(*store_, Poc(fr_), request, clock_);
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  Do(fr_, row->uuid, "send");
  clock_.Advance(hours(2));
  auto raised = RunClocks(*store_, clock_);
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  ASSERT_EQ(raised->size(), 2u);
  for (const RequestNotice& notice : *raised) {
    EXPECT_THAT(notice.message, Not(HasSubstr("backup"))) << notice.message;
    EXPECT_THAT(notice.message, HasSubstr("no 24/7 point of contact")) << notice.message;
  }
  EXPECT_THAT((*raised)[1].message, HasSubstr("nobody there could be alerted"));
  auto history = store_->RequestHistory(row->id).value();
  ASSERT_EQ(history.back().action, "escalation");
  EXPECT_THAT(history.back().reason + history.back().detail, Not(HasSubstr("backup contact was alerted")));
  EXPECT_THAT(history.back().reason + history.back().detail, HasSubstr("no 24/7 point of contact"));
}

TEST_F(RequestOpsTest, MissedAcknowledgementEscalatesToTheBackupOnce) {
  NewRequest request;
  request.type = "emergency-disclosure";
  request.to_org_id = de_;
  request.fields = {{"requesting_authority", "OCLCTIC"},
                    {"emergency", "Threat to kill posted with a victim's address"},
                    {"facts", "Posted from an account hosted in DE"},
                    {"data_sought", "Subscriber and login IPs of the account"},
                    {"custodian_location", "Example Mail GmbH"}};
  auto row = CreateRequest(*store_, Poc(fr_), request, clock_);
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->urgency, "emergency");
  Do(fr_, row->uuid, "send");
  clock_.Advance(hours(1) + std::chrono::minutes(59));
  EXPECT_TRUE(RunClocks(*store_, clock_).value().empty());
  clock_.Advance(std::chrono::minutes(1));
  auto raised = RunClocks(*store_, clock_);
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  ASSERT_EQ(raised->size(), 2u);
  EXPECT_EQ((*raised)[0].kind, "escalation");
  EXPECT_EQ((*raised)[0].org_id, de_);
  EXPECT_THAT((*raised)[0].addressee, HasSubstr("BKA duty officer"));
  EXPECT_THAT((*raised)[0].addressee, HasSubstr("+49 611 55 1"));
  clock_.Advance(hours(5));
  EXPECT_TRUE(RunClocks(*store_, clock_).value().empty());  // once
  auto stored = store_->FindRequest(row->uuid).value();
  EXPECT_EQ(stored->escalated_at, "2026-03-01T12:00:00.000Z");
  EXPECT_EQ(NoticesFor(*store_, {de_, Role::kPoc}).value().size(), 1u);
  EXPECT_TRUE(NoticesFor(*store_, {it_, Role::kPoc}).value().empty());
  auto history = store_->RequestHistory(row->id).value();
  EXPECT_EQ(history.back().action, "escalation");
  auto audit = AuditActions();
  EXPECT_EQ(std::count(audit.begin(), audit.end(), "request.notices"), 1);

  // The duty officer acknowledges what it read before the escalation: a
  // clock event is no edit, so the version it read still holds.
  EXPECT_EQ(stored->version, row->version + 1);  // the send only
  auto acked = Act(*store_, Poc(de_), row->uuid, {"ack", "", "", stored->version}, clock_);
  ASSERT_TRUE(acked.ok()) << acked.status().ToString();
  EXPECT_EQ(acked->escalated_at, "2026-03-01T12:00:00.000Z");
  EXPECT_EQ(store_->FindRequest(row->uuid).value()->escalated_at, "2026-03-01T12:00:00.000Z");
}

// "Preserved until 2026-06-30" keeps the data through that day.
TEST_F(RequestOpsTest, ADateAloneIsTheEndOfThatDay) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  Do(de_, row.uuid, "ack");
  row = Do(de_, row.uuid, "execute", "", "2026-06-30");
  EXPECT_EQ(row.preserved_until, "2026-06-30T23:59:59.999Z");
}

// "extend by 60d" adds 60 days to the period running, not to now.
TEST_F(RequestOpsTest, AnExtensionByADurationAddsItToTheCurrentEnd) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  Do(de_, row.uuid, "ack");
  row = Do(de_, row.uuid, "execute");
  const TimePoint current = *ParseTimestamp(row.preserved_until);
  clock_.Advance(hours(24 * 50));
  row = Do(fr_, row.uuid, "extend", "", "60d");
  EXPECT_EQ(*ParseTimestamp(row.preserved_until), current + hours(24 * 60));
}

TEST_F(RequestOpsTest, RemindersBeforeExpiryRearmAfterExtension) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  Do(de_, row.uuid, "ack");
  row = Do(de_, row.uuid, "execute");  // until 2026-04-30T10:00Z
  clock_.Set(*ParseTimestamp("2026-04-16T10:00:00Z"));
  auto first = RunClocks(*store_, clock_).value();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].kind, "reminder");
  EXPECT_TRUE(RunClocks(*store_, clock_).value().empty());
  row = Do(fr_, row.uuid, "extend");  // until 2026-06-29T10:00Z
  clock_.Set(*ParseTimestamp("2026-06-15T10:00:00Z"));
  EXPECT_EQ(RunClocks(*store_, clock_).value().size(), 2u);
  clock_.Set(*ParseTimestamp("2026-06-29T10:00:00Z"));
  auto expired = RunClocks(*store_, clock_).value();
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(expired[0].kind, "expired");
}

TEST_F(RequestOpsTest, AttachmentKeepsItsHashAndTamperingIsDetected) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  const std::string content = std::string("court order\0binary\xff", 19);
  auto attached = Attach(*store_, Poc(fr_), row.uuid, "order.pdf", "application/pdf", content,
                         clock_);
  ASSERT_TRUE(attached.ok()) << attached.status().ToString();
  EXPECT_EQ(attached->sha256, Sha256Hex(content));
  EXPECT_EQ(attached->size, 19);
  auto read = ReadAttachment(*store_, {de_, Role::kReader}, row.uuid, attached->id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->content, content);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.Join("node/accord.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE request_attachments SET content = X'00'", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto tampered = ReadAttachment(*store_, {de_, Role::kReader}, row.uuid, attached->id);
  EXPECT_EQ(tampered.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(tampered.status().message(), HasSubstr(attached->sha256));
  EXPECT_FALSE(Attach(*store_, Poc(fr_), row.uuid, "../etc/passwd", "", "x", clock_).ok());
  EXPECT_FALSE(Attach(*store_, Poc(fr_), row.uuid, "empty.txt", "", "", clock_).ok());

  // Content and its recorded hash altered together: the request's history
  // still holds the hash and size the file came with.
  ASSERT_EQ(sqlite3_open(dir_.Join("node/accord.db").c_str(), &db), SQLITE_OK);
  const std::string forged = "UPDATE request_attachments SET content = CAST('forged' AS BLOB), sha256 = '" +
                             Sha256Hex("forged") + "', size = 6";
  ASSERT_EQ(sqlite3_exec(db, forged.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto forged_read = ReadAttachment(*store_, {de_, Role::kReader}, row.uuid, attached->id);
  EXPECT_EQ(forged_read.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(forged_read.status().message(), HasSubstr("history"));
}

// A request's history is evidence: a line edited, removed, added or moved
// to another audit record in the database file behind Accord's back breaks
// `audit verify`, which names the line and the record that sealed it.
TEST_F(RequestOpsTest, AHistoryLineChangedBehindTheStoresBackBreaksAuditVerification) {
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  ASSERT_TRUE(AddNote(*store_, Poc(de_), row.uuid, "Custodian contacted by phone", clock_).ok());
  auto intact = store_->VerifyAudit();
  ASSERT_TRUE(intact.ok()) << intact.status().ToString();
  EXPECT_TRUE(intact->intact) << intact->problem;
  EXPECT_EQ(intact->history_lines, 3);  // create, send, note
  EXPECT_EQ(intact->history_lines_unsealed, 0);

  auto tampered = [&](const std::string& sql, const std::string& undo) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(dir_.Join("node/accord.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    auto verified = store_->VerifyAudit();
    EXPECT_EQ(sqlite3_exec(db, undo.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << undo;
    sqlite3_close(db);
    EXPECT_TRUE(verified.ok()) << verified.status().ToString();
    return verified.ok() ? *verified : AuditVerification{};
  };
  AuditVerification edited =
      tampered("UPDATE request_history SET reason = 'Custodian refused' WHERE action = 'note'",
               "UPDATE request_history SET reason = 'Custodian contacted by phone' WHERE action = 'note'");
  EXPECT_FALSE(edited.intact);
  EXPECT_THAT(edited.problem, HasSubstr("FR-DE-2026-000001, note"));
  EXPECT_THAT(edited.problem, HasSubstr("edited"));
  EXPECT_GT(edited.first_bad_seq, 0);

  AuditVerification removed = tampered(
      "CREATE TABLE saved AS SELECT * FROM request_history WHERE action = 'send';"
      " DELETE FROM request_history WHERE action = 'send'",
      "INSERT INTO request_history SELECT * FROM saved; DROP TABLE saved");
  EXPECT_FALSE(removed.intact);
  EXPECT_THAT(removed.problem, HasSubstr("removed"));

  AuditVerification added = tampered(
      "INSERT INTO request_history(request_id, time, actor, action, from_state, to_state, reason, detail)"
      " SELECT request_id, time, actor, 'close', to_state, 'closed', 'Withdrawn by phone', '{}'"
      " FROM request_history WHERE action = 'note'",
      "DELETE FROM request_history WHERE action = 'close'");
  EXPECT_FALSE(added.intact);
  EXPECT_THAT(added.problem, HasSubstr("no audit record"));

  // Numbered before the first line, where no sealed line could be.
  AuditVerification first = tampered(
      "INSERT INTO request_history(seq, request_id, time, actor, action, from_state, to_state, reason, detail)"
      " SELECT 0, request_id, time, actor, 'withdraw', 'draft', 'withdrawn', 'forged', '{}'"
      " FROM request_history WHERE action = 'create'",
      "DELETE FROM request_history WHERE seq = 0");
  EXPECT_FALSE(first.intact);
  EXPECT_THAT(first.problem, HasSubstr("no audit record"));

  AuditVerification swapped = tampered(
      "UPDATE request_history SET audit_seq = (SELECT audit_seq FROM request_history WHERE action = 'create')"
      " WHERE action = 'note'",
      "UPDATE request_history SET audit_seq = (SELECT max(seq) FROM audit_log WHERE action = 'request.note')"
      " WHERE action = 'note'");
  EXPECT_FALSE(swapped.intact);

  auto restored = store_->VerifyAudit();
  ASSERT_TRUE(restored.ok());
  EXPECT_TRUE(restored->intact) << restored->problem;
  EXPECT_EQ(restored->history_lines, 3);
}

TEST_F(RequestOpsTest, ListPutsOverdueThenDueFirst) {
  RequestRow quiet = NewPreservation();
  RequestRow later = NewPreservation();
  Do(fr_, later.uuid, "send");  // due 2026-03-02T10:00Z
  clock_.Advance(hours(1));
  RequestRow sooner = NewPreservation();
  DraftChanges emergency;
  emergency.urgency = "emergency";
  ASSERT_TRUE(EditDraft(*store_, Poc(fr_), sooner.uuid, emergency, clock_).ok());
  Do(fr_, sooner.uuid, "send");  // due 2026-03-01T13:00Z
  auto listed = ListRequests(*store_, {fr_, Role::kPoc}, {});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].uuid, sooner.uuid);
  EXPECT_EQ((*listed)[1].uuid, later.uuid);
  EXPECT_EQ((*listed)[2].uuid, quiet.uuid);
  // The requested party sees what was sent, not the requester's draft.
  auto incoming = ListRequests(*store_, {de_, Role::kPoc}, {"", "in"}).value();
  EXPECT_EQ(incoming.size(), 2u);
  EXPECT_TRUE(ListRequests(*store_, {de_, Role::kPoc}, {"", "out"}).value().empty());
  EXPECT_TRUE(ListRequests(*store_, {de_, Role::kPoc}, {"draft", ""}).value().empty());
  EXPECT_EQ(ListRequests(*store_, {fr_, Role::kPoc}, {"draft", ""}).value().size(), 1u);
}

TEST_F(RequestOpsTest, LinksNormalizeObservablesAndRespectEventVisibility) {
  RequestRow row = NewPreservation();
  ASSERT_TRUE(LinkRequest(*store_, Poc(fr_), row.uuid, "observable", "ipv4:203.0.113.7", clock_)
                  .ok());
  ASSERT_TRUE(LinkRequest(*store_, Poc(fr_), row.uuid, "observable", "Evil.Example.", clock_).ok());
  EXPECT_EQ(LinkRequest(*store_, Poc(fr_), row.uuid, "observable", "203.0.113.7", clock_).code(),
            Status::Code::kAlreadyExists);
  EXPECT_FALSE(LinkRequest(*store_, Poc(fr_), row.uuid, "event", UuidV4(), clock_).ok());
  EXPECT_FALSE(LinkRequest(*store_, Poc(fr_), row.uuid, "dossier", "x", clock_).ok());
  auto links = store_->RequestLinks(row.id).value();
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].ref, "ipv4:203.0.113.7");
  EXPECT_EQ(links[1].ref, "domain:evil.example");
}

TEST_F(RequestOpsTest, PrintableDocumentShowsFieldsZonesAndEscapesText) {
  RequestRow row = NewPreservation();
  DraftChanges changes;
  changes.fields = {{"facts", "<script>alert(1)</script>"}};
  ASSERT_TRUE(EditDraft(*store_, Poc(fr_), row.uuid, changes, clock_).ok());
  Do(fr_, row.uuid, "send");
  auto view = ViewRequest(*store_, {de_, Role::kPoc}, row.uuid);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->allowed, (std::vector<Action>{Action::kAck, Action::kRefuse}));
  const std::string html = RenderHtml(*view, clock_.Now());
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_THAT(html, HasSubstr("Budapest Art. 29(2)(e)"));
  EXPECT_THAT(html, HasSubstr("2026-03-02 11:00 CET (UTC+01:00)"));  // ack due, in Berlin
  // Who speaks for each party, and what each step set, are on the page.
  EXPECT_THAT(html, HasSubstr("BKA 24/7 desk; phone +49 611 55 0"));
  EXPECT_THAT(html, HasSubstr("backup BKA duty officer"));
  EXPECT_THAT(html, HasSubstr("; ack_due 2026-03-02T10:00:00.000Z"));
  auto json = RequestViewJson(*view, clock_.Now());
  EXPECT_EQ(json["history"].back()["detail"]["ack_due"], "2026-03-02T10:00:00.000Z");
  EXPECT_EQ(json["deadline"]["kind"], "acknowledgement");
  EXPECT_EQ(json["local_times"]["ack_due"]["recipient"], "2026-03-02 11:00 CET (UTC+01:00)");
  EXPECT_EQ(json["local_times"]["ack_due"]["requester"], "2026-03-02 10:00 UTC (UTC+00:00)");
}

TEST_F(RequestOpsTest, RequestWritesDoNotMoveTheMatchSnapshotGeneration) {
  const int64_t before = store_->IndicatorGeneration().value();
  RequestRow row = NewPreservation();
  Do(fr_, row.uuid, "send");
  EXPECT_EQ(store_->IndicatorGeneration().value(), before);
}

}  // namespace
}  // namespace accord::requests
