// /api/v1/requests on the real server: a request's whole life over HTTP, who may see and act
// (third organisations get 404, the wrong party 403), attachments' chain of
// custody, the printable document, types, clocks and notices. Every response
// is checked against docs/openapi.json by RestTest::Call. The rules
// themselves are tested in requests/request_ops_test.cc; these tests check
// that HTTP reaches them and says what they say.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "core/crypto.h"
#include "requests/request_ops.h"
#include "server/rest_testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::json;
using ::testing::Not;
using testing::OpenApi;
using ::testing::StartsWith;

class RestRequestsTest : public testing::RestTest {
 protected:
  // Every field a preservation request needs (Budapest Art. 29(2)).
  static json PreservationFields() {
    return {{"requesting_authority", "OCLCTIC, Nanterre"},
            {"offence", "Fraud (Art. 313-1 Code pénal)"},
            {"facts", "Phishing kit served from 203.0.113.7"},
            {"data_sought", "Access logs of 203.0.113.7, 2026-03-01 to 2026-03-10"},
            {"relation_to_offence", "The server hosted the kit"},
            {"custodian_location", "Hoster GmbH, Frankfurt"},
            {"necessity", "Logs are rotated after 14 days"},
            {"mla_intent", "yes"}};
  }

  // A preservation from organisation A to B as `key`; returns the view.
  json NewPreservation(const std::string& key = "", json fields = PreservationFields(),
                       const std::string& subject = "Logs of 203.0.113.7") {
    HttpResponse created = PostJson("/api/v1/requests", key.empty() ? analyst_a_ : key,
                                    {{"type", "preservation"},
                                     {"to", "Police-B"},
                                     {"subject", subject},
                                     {"fields", std::move(fields)}});
    EXPECT_EQ(created.status, 201) << created.body;
    return Body(created);
  }

  HttpResponse Act(const std::string& key, const std::string& handle, const std::string& action,
                   json extra = json::object()) {
    extra["action"] = action;
    return PostJson("/api/v1/requests/" + handle + "/actions", key, extra);
  }

  HttpResponse Send(const std::string& method, const std::string& path, const std::string& key,
                    const json& body) {
    return Call(method, path, key, body.dump(), "application/json");
  }

  // A GET with extra headers, checked against the document as Call does.
  HttpResponse GetWith(const std::string& path, const std::string& key,
                       std::vector<std::string> headers) {
    HttpResponse response = node_.Get(path, key, std::move(headers));
    EXPECT_EQ(OpenApi::Get().Check("GET", path, response), "");
    return response;
  }

  static std::string Message(const HttpResponse& response) {
    json body = Body(response);
    return body.contains("error") ? body["error"].value("message", "") : "";
  }
};

TEST_F(RestRequestsTest, PreservationRunsFromDraftToClosedWithItsHistory) {
  json draft = NewPreservation();
  const std::string uuid = draft["id"];
  const std::string reference = draft["reference"];
  EXPECT_EQ(draft["state"], "draft");
  EXPECT_EQ(draft["urgency"], "urgent");  // a preservation's default
  EXPECT_THAT(reference, StartsWith("FR-DE-"));
  EXPECT_EQ(draft["from"]["name"], "CERT-A");
  EXPECT_EQ(draft["to"]["name"], "Police-B");
  EXPECT_TRUE(draft["missing_fields"].empty());
  EXPECT_EQ(draft["allowed_actions"], json({"send", "withdraw"}));

  auto sent = Act(analyst_a_, uuid, "send");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(Body(sent)["state"], "sent");
  EXPECT_FALSE(Body(sent)["ack_due"].is_null());
  EXPECT_EQ(Body(sent)["deadline"]["kind"], "acknowledgement");

  // The requested party finds it by reference among its incoming requests.
  auto incoming = Get("/api/v1/requests?direction=in", analyst_b_);
  ASSERT_EQ(incoming.status, 200) << incoming.body;
  ASSERT_EQ(Body(incoming)["requests"].size(), 1u);
  EXPECT_EQ(Body(incoming)["requests"][0]["reference"], reference);

  auto acked = Act(analyst_b_, reference, "ack");
  ASSERT_EQ(acked.status, 200) << acked.body;
  EXPECT_EQ(Body(acked)["state"], "acknowledged");
  auto executed = Act(analyst_b_, reference, "execute");
  ASSERT_EQ(executed.status, 200) << executed.body;
  EXPECT_EQ(Body(executed)["state"], "executed");
  EXPECT_FALSE(Body(executed)["preserved_until"].is_null());
  EXPECT_EQ(Body(executed)["deadline"]["kind"], "preservation");
  auto extended = Act(analyst_a_, uuid, "extend", {{"preserved_until", "120d"}});
  ASSERT_EQ(extended.status, 200) << extended.body;
  EXPECT_EQ(Body(extended)["state"], "extended");
  EXPECT_GT(Body(extended)["preserved_until"].get<std::string>(),
            Body(executed)["preserved_until"].get<std::string>());
  auto closed = Act(analyst_b_, uuid, "close", {{"reason", "data handed over"}});
  ASSERT_EQ(closed.status, 200) << closed.body;

  json final_view = Body(Get("/api/v1/requests/" + uuid, reader_a_));
  EXPECT_EQ(final_view["state"], "closed");
  EXPECT_TRUE(final_view["allowed_actions"].empty());
  // Its record is final: a late note or file is a conflict.
  EXPECT_EQ(PostJson("/api/v1/requests/" + uuid + "/notes", analyst_b_, {{"text", "late"}}).status, 409);
  EXPECT_EQ(Call("POST", "/api/v1/requests/" + uuid + "/attachments?name=late.txt", analyst_a_, "late",
                 "text/plain")
                .status,
            409);
  std::vector<std::string> actions;
  for (const json& line : final_view["history"]) actions.push_back(line["action"]);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"create", "send", "ack", "execute", "extend", "close"}));
  EXPECT_EQ(final_view["history"][2]["organisation"], "Police-B");
  EXPECT_EQ(final_view["history"][5]["reason"], "data handed over");
  EXPECT_EQ(AuditOf("request.close").size(), 1u);
}

TEST_F(RestRequestsTest, CreateAndSendRefusesAMissingLegalFieldAndKeepsTheDraft) {
  json fields = PreservationFields();
  fields.erase("mla_intent");
  auto refused =
      PostJson("/api/v1/requests", analyst_a_,
               {{"type", "preservation"}, {"to", org_b_}, {"fields", fields}, {"send", true}});
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_THAT(Message(refused), HasSubstr("'mla_intent'"));
  EXPECT_THAT(Message(refused), HasSubstr("Budapest Art. 29(2)(f)"));
  EXPECT_THAT(Message(refused), HasSubstr("saved as a draft"));

  const std::string location = refused.Header("location");
  ASSERT_THAT(location, StartsWith("/api/v1/requests/"));
  auto draft = Get(location, analyst_a_);
  ASSERT_EQ(draft.status, 200) << draft.body;
  EXPECT_EQ(Body(draft)["state"], "draft");
  EXPECT_EQ(Body(draft)["missing_fields"], json({"mla_intent"}));

  const std::string uuid = Body(draft)["id"];
  auto again = Act(analyst_a_, uuid, "send");
  EXPECT_EQ(again.status, 400);
  EXPECT_THAT(Message(again), HasSubstr("'mla_intent'"));
  auto completed = Send("PATCH", location, analyst_a_, {{"fields", {{"mla_intent", "yes"}}}});
  ASSERT_EQ(completed.status, 200) << completed.body;
  EXPECT_TRUE(Body(completed)["missing_fields"].empty());
  EXPECT_EQ(Act(analyst_a_, uuid, "send").status, 200);

  // With everything present, send: true sends at once.
  auto at_once = PostJson("/api/v1/requests", analyst_a_,
                          {{"type", "preservation"},
                           {"to", "Police-B"},
                           {"fields", PreservationFields()},
                           {"send", true}});
  ASSERT_EQ(at_once.status, 201) << at_once.body;
  EXPECT_EQ(Body(at_once)["state"], "sent");
  EXPECT_EQ(at_once.Header("location"),
            "/api/v1/requests/" + Body(at_once)["id"].get<std::string>());
}

TEST_F(RestRequestsTest, ThirdOrganisationGetsNotFoundAndAnEmptyList) {
  const std::string uuid = NewPreservation()["id"];
  ASSERT_EQ(Act(analyst_a_, uuid, "send").status, 200);
  const std::string base = "/api/v1/requests/" + uuid;
  auto hidden = Get(base, analyst_c_);
  auto absent = Get("/api/v1/requests/FR-DE-2026-999999", analyst_c_);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(absent.status, 404);
  EXPECT_THAT(Message(hidden), Not(HasSubstr("Police-B")));
  EXPECT_EQ(Act(analyst_c_, uuid, "ack").status, 404);
  EXPECT_EQ(PostJson(base + "/notes", analyst_c_, {{"text", "hello"}}).status, 404);
  EXPECT_EQ(Get(base + "/document", analyst_c_).status, 404);
  EXPECT_EQ(Get(base + "/attachments/1", analyst_c_).status, 404);
  auto list = Get("/api/v1/requests", analyst_c_);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Body(list)["requests"].empty());
}

TEST_F(RestRequestsTest, WrongPartyOrRoleIsRefusedWith403) {
  const std::string uuid = NewPreservation()["id"];
  // Only the requesting party edits its draft; the requested party does not
  // even see it until it is sent.
  EXPECT_EQ(Send("PATCH", "/api/v1/requests/" + uuid, analyst_b_, {{"subject", "mine"}}).status,
            404);
  ASSERT_EQ(Act(analyst_a_, uuid, "send").status, 200);
  auto self_ack = Act(analyst_a_, uuid, "ack");
  EXPECT_EQ(self_ack.status, 403);
  EXPECT_THAT(Message(self_ack), HasSubstr("requested party"));
  // A party's reader sees the request but may not act on it.
  EXPECT_EQ(Get("/api/v1/requests/" + uuid, reader_a_).status, 200);
  EXPECT_EQ(Act(reader_a_, uuid, "withdraw", {{"reason", "x"}}).status, 403);
  EXPECT_EQ(
      PostJson("/api/v1/requests", contributor_a_, {{"type", "assistance"}, {"to", "Police-B"}})
          .status,
      403);
}

TEST_F(RestRequestsTest, AttachmentDownloadReturnsTheUploadedBytesAndTheirSha256) {
  const std::string uuid = NewPreservation()["id"];
  ASSERT_EQ(Act(analyst_a_, uuid, "send").status, 200);
  const std::string base = "/api/v1/requests/" + uuid + "/attachments";
  const std::string bytes = std::string("logs") + '\0' + "\xff\xfe\r\n-- end";
  auto uploaded =
      Call("POST", base + "?name=access%20log.bin", analyst_b_, bytes, "application/octet-stream");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  json attachment = Body(uploaded);
  EXPECT_EQ(attachment["name"], "access log.bin");
  EXPECT_EQ(attachment["size"], bytes.size());
  EXPECT_EQ(attachment["sha256"], Sha256Hex(bytes));
  const std::string location = uploaded.Header("location");
  EXPECT_EQ(location, base + "/" + std::to_string(attachment["id"].get<int64_t>()));

  auto downloaded = Get(location, reader_a_);
  ASSERT_EQ(downloaded.status, 200) << downloaded.body;
  EXPECT_EQ(downloaded.body, bytes);
  EXPECT_EQ(downloaded.Header("x-content-sha256"), Sha256Hex(bytes));
  EXPECT_EQ(downloaded.Header("content-type"), "application/octet-stream");
  EXPECT_THAT(downloaded.Header("content-disposition"), StartsWith("attachment;"));
  EXPECT_EQ(downloaded.Header("x-content-type-options"), "nosniff");

  // Digest is base64 of the raw hash: SHA-256("abc") is a known value.
  auto abc = Call("POST", base + "?name=abc.txt", analyst_a_, "abc", "application/octet-stream");
  ASSERT_EQ(abc.status, 201) << abc.body;
  EXPECT_EQ(Get(abc.Header("location"), analyst_a_).Header("digest"),
            "sha-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");

  // The Content-Type given is the media type served back.
  auto pdf = Call("POST", base + "?name=order.pdf", analyst_a_, "%PDF-1.7", "application/pdf");
  ASSERT_EQ(pdf.status, 201) << pdf.body;
  EXPECT_EQ(Body(pdf)["media_type"], "application/pdf");
  // (Not through Call: the document lists the media types as */*, which its
  // checker cannot match against application/pdf.)
  EXPECT_EQ(node_.Get(pdf.Header("location"), analyst_a_).Header("content-type"),
            "application/pdf");

  json view = Body(Get("/api/v1/requests/" + uuid, analyst_a_));
  EXPECT_EQ(view["attachments"].size(), 3u);
  EXPECT_EQ(view["history"].back()["action"], "attach");
  EXPECT_EQ(Call("POST", base, analyst_a_, "x", "text/plain").status, 400);  // no ?name=
  EXPECT_EQ(Call("POST", base + "?name=../x", analyst_a_, "x", "text/plain").status, 400);
  EXPECT_EQ(Call("POST", base + "?name=a%00b.txt", analyst_a_, "x", "text/plain").status, 400);
  EXPECT_EQ(Call("POST", base + "?name=a%1Bb.txt", analyst_a_, "x", "text/plain").status, 400);
  EXPECT_EQ(Call("POST", base + "?name=a%0Db.txt", analyst_a_, "x", "text/plain").status, 400);
  // U+202E would show "invoice<RLO>fdp.exe" as "invoiceexe.pdf"; U+0085 is a C1 control.
  EXPECT_EQ(Call("POST", base + "?name=invoice%E2%80%AEfdp.exe", analyst_a_, "x", "text/plain").status, 400);
  EXPECT_EQ(Call("POST", base + "?name=a%C2%85b.txt", analyst_a_, "x", "text/plain").status, 400);
  EXPECT_EQ(Call("POST", base + "?name=r%C3%A9sum%C3%A9.txt", analyst_a_, "x", "text/plain").status, 201)
      << "letters beyond ASCII are fine";
  // Folders are not file names; a name is kept exactly as sent, '=' and all
  // (the custody record names it).
  for (const std::string folder : {".", "..", "%2e%2e"}) {
    EXPECT_EQ(Call("POST", base + "?name=" + folder, analyst_a_, "x", "text/plain").status, 400) << folder;
  }
  auto equals = Call("POST", base + "?name=a=b.txt", analyst_a_, "x", "text/plain");
  ASSERT_EQ(equals.status, 201) << equals.body;
  EXPECT_EQ(Body(equals)["name"], "a=b.txt");
  EXPECT_EQ(Call("POST", base + "?name=x%0d%0aSet-Cookie:%20a=b", analyst_a_, "x", "text/plain").status, 400);
  EXPECT_EQ(Get(base + "/999", analyst_a_).status, 404);
  EXPECT_EQ(Get(base + "/first", analyst_a_).status, 404);
}

TEST_F(RestRequestsTest, AlteredAttachmentAnswers500NamingBothHashes) {
  const std::string uuid = NewPreservation()["id"];
  auto uploaded = Call("POST", "/api/v1/requests/" + uuid + "/attachments?name=e.txt", analyst_a_,
                       "evidence", "text/plain");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((node_.data_dir() + "/accord.db").c_str(), &db), SQLITE_OK);
  EXPECT_EQ(
      sqlite3_exec(db, "UPDATE request_attachments SET content = X'00'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto altered = Get(uploaded.Header("location"), analyst_a_);
  EXPECT_EQ(altered.status, 500);
  EXPECT_THAT(Message(altered), HasSubstr(Sha256Hex("evidence")));
  EXPECT_THAT(Message(altered), HasSubstr(Sha256Hex(std::string(1, '\0'))));
  EXPECT_THAT(Message(altered), HasSubstr("altered"));
}

TEST_F(RestRequestsTest, DocumentIsHtmlWithTheReferenceAndEscapesPartiesText) {
  json draft = NewPreservation("", PreservationFields(), "<script>alert('x')</script> & co");
  const std::string uuid = draft["id"];
  const std::string reference = draft["reference"];
  ASSERT_EQ(Act(analyst_a_, uuid, "send").status, 200);
  for (const HttpResponse& page :
       {Get("/api/v1/requests/" + uuid + "/document", analyst_b_),
        Get("/api/v1/requests/" + reference + "?format=html", analyst_b_),
        GetWith("/api/v1/requests/" + uuid, analyst_b_, {"Accept: text/html,*/*;q=0.8"})}) {
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_THAT(page.Header("content-type"), StartsWith("text/html"));
    EXPECT_THAT(page.body, StartsWith("<!DOCTYPE html>"));
    EXPECT_THAT(page.body, HasSubstr(reference));
    EXPECT_THAT(page.body, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    EXPECT_THAT(page.body, Not(HasSubstr("<script>")));
    EXPECT_THAT(page.Header("content-security-policy"), HasSubstr("default-src 'none'"));
  }
  auto as_json = GetWith("/api/v1/requests/" + uuid, analyst_b_, {"Accept: application/json"});
  EXPECT_EQ(Body(as_json)["reference"], reference);
  EXPECT_EQ(Get("/api/v1/requests/" + uuid + "?format=pdf", analyst_b_).status, 400);
}

TEST_F(RestRequestsTest, RequestTypesListTheLegalFieldsWithTheirBasis) {
  auto types = Get("/api/v1/requests-types", reader_a_);
  ASSERT_EQ(types.status, 200) << types.body;
  const json listed = Body(types);
  json preservation;
  for (const json& type : listed["types"]) {
    if (type["type"] == "preservation") preservation = type;
    if (type["type"] == "emergency-disclosure") {
      EXPECT_EQ(type["default_urgency"], "emergency");
    }
  }
  ASSERT_FALSE(preservation.is_null());
  EXPECT_EQ(listed["types"].size(), 5u);
  EXPECT_EQ(preservation["default_urgency"], "urgent");
  json mla_intent;
  for (const json& field : preservation["fields"]) {
    if (field["name"] == "mla_intent") mla_intent = field;
  }
  ASSERT_FALSE(mla_intent.is_null()) << preservation.dump();
  EXPECT_EQ(mla_intent["basis"], "Budapest Art. 29(2)(f)");
  EXPECT_EQ(mla_intent["required"], true);
}

TEST_F(RestRequestsTest, StaleVersionIsRefusedWith409) {
  json draft = NewPreservation();
  const std::string uuid = draft["id"];
  const std::string path = "/api/v1/requests/" + uuid;
  const int64_t read_version = draft["version"];
  auto edited = Send("PATCH", path, analyst_a_, {{"subject", "first"}, {"version", read_version}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_GT(Body(edited)["version"].get<int64_t>(), read_version);
  auto stale = Send("PATCH", path, analyst_a_, {{"subject", "second"}, {"version", read_version}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_THAT(Message(stale), HasSubstr("reload"));
  EXPECT_EQ(Act(analyst_a_, uuid, "send", {{"version", read_version}}).status, 409);
  EXPECT_EQ(Body(Get(path, analyst_a_))["subject"], "first");
  // A transition the state does not allow is a conflict too.
  EXPECT_EQ(Act(analyst_a_, uuid, "close").status, 409);
}

TEST_F(RestRequestsTest, NotesAndLinksJoinTheHistory) {
  const std::string uuid = NewPreservation()["id"];
  ASSERT_EQ(Act(analyst_a_, uuid, "send").status, 200);
  const std::string base = "/api/v1/requests/" + uuid;
  auto noted = PostJson(base + "/notes", analyst_b_, {{"text", "called the hoster"}});
  ASSERT_EQ(noted.status, 201) << noted.body;
  EXPECT_EQ(Body(noted)["history"].back()["action"], "note");
  EXPECT_EQ(Body(noted)["history"].back()["reason"], "called the hoster");
  auto blank = PostJson(base + "/notes", analyst_b_, {{"text", "  "}});
  EXPECT_EQ(blank.status, 400);
  EXPECT_EQ(Message(blank), "text: empty") << "the field the body names";

  auto linked =
      PostJson(base + "/links", analyst_a_, {{"kind", "observable"}, {"ref", "203.0.113.7"}});
  ASSERT_EQ(linked.status, 201) << linked.body;
  ASSERT_EQ(Body(linked)["links"].size(), 1u);
  EXPECT_EQ(Body(linked)["links"][0]["ref"], "ipv4:203.0.113.7");
  EXPECT_EQ(PostJson(base + "/links", analyst_a_, {{"kind", "observable"}, {"ref", "203.0.113.7"}})
                .status,
            409);
  EXPECT_EQ(PostJson(base + "/links", analyst_a_, {{"kind", "case"}, {"ref", "x"}}).status, 400);
  EXPECT_EQ(PostJson(base + "/links", analyst_a_, {{"kind", "event"}}).status, 400);  // no ref
  // Not a uuid: the reference is malformed (400), not an absent event (404).
  auto malformed = PostJson(base + "/links", analyst_a_, {{"kind", "event"}, {"ref", "not-a-uuid"}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(Message(malformed), StartsWith("event: "));
  EXPECT_EQ(PostJson(base + "/links", analyst_a_, {{"kind", "event"}, {"ref", "00000000-0000-4000-8000-000000000000"}})
                .status,
            404);
}

TEST_F(RestRequestsTest, ListFiltersByStateAndDirectionWithRunningClocksFirst) {
  const std::string draft = NewPreservation()["id"];
  const std::string sent = NewPreservation()["id"];
  ASSERT_EQ(Act(analyst_a_, sent, "send").status, 200);
  auto all = Get("/api/v1/requests", analyst_a_);
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(Body(all)["requests"].size(), 2u);
  EXPECT_EQ(Body(all)["requests"][0]["id"], sent);  // its acknowledgement clock runs
  EXPECT_EQ(Body(all)["requests"][1]["id"], draft);

  auto drafts = Get("/api/v1/requests?state=draft", analyst_a_);
  ASSERT_EQ(Body(drafts)["requests"].size(), 1u);
  EXPECT_EQ(Body(drafts)["requests"][0]["id"], draft);
  EXPECT_EQ(Body(Get("/api/v1/requests?direction=out", analyst_a_))["requests"].size(), 2u);
  EXPECT_TRUE(Body(Get("/api/v1/requests?direction=in", analyst_a_))["requests"].empty());
  EXPECT_TRUE(Body(Get("/api/v1/requests?direction=out", analyst_b_))["requests"].empty());
  EXPECT_EQ(Get("/api/v1/requests?direction=sideways", analyst_a_).status, 400);
  EXPECT_EQ(Get("/api/v1/requests?state=lost", analyst_a_).status, 400);
}

TEST_F(RestRequestsTest, BodiesWithUnknownMembersOrMalformedJsonAre400) {
  auto unknown = PostJson("/api/v1/requests", analyst_a_,
                          {{"type", "assistance"}, {"to", "Police-B"}, {"colour", "red"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Message(unknown), "colour: unknown field");
  EXPECT_EQ(Call("POST", "/api/v1/requests", analyst_a_, "{\"type\":", "application/json").status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/requests", analyst_a_, "type=x", "text/plain").status, 415);
  auto no_type = PostJson("/api/v1/requests", analyst_a_, {{"to", "Police-B"}});
  EXPECT_EQ(Message(no_type), "type: required");
  auto bad_field =
      PostJson("/api/v1/requests", analyst_a_,
               {{"type", "assistance"}, {"to", "Police-B"}, {"fields", {{"facts", 1}}}});
  EXPECT_EQ(Message(bad_field), "fields.facts: expected a string");
  EXPECT_EQ(
      PostJson("/api/v1/requests", analyst_a_, {{"type", "assistance"}, {"to", "Nobody"}}).status,
      404);
  EXPECT_EQ(PostJson("/api/v1/requests", analyst_a_, {{"type", "assistance"}, {"to", true}}).status,
            400);
  const std::string uuid = NewPreservation()["id"];
  auto misspelt =
      PostJson("/api/v1/requests/" + uuid + "/actions", analyst_a_, {{"actoin", "send"}});
  EXPECT_EQ(misspelt.status, 400);
  EXPECT_EQ(Message(misspelt), "actoin: unknown field");
}

TEST_F(RestRequestsTest, WrongMethodsAnswer405WithAllow) {
  const std::string base = "/api/v1/requests/" + NewPreservation()["id"].get<std::string>();
  auto wrong = Call("DELETE", base, analyst_a_);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("allow"), "GET, PATCH");
  EXPECT_EQ(Call("PUT", "/api/v1/requests", analyst_a_, "{}", "application/json").status, 405);
  EXPECT_EQ(Get(base + "/actions", analyst_a_).status, 405);
  EXPECT_EQ(Call("DELETE", "/api/v1/requests-clocks", admin_a_).status, 405);
  EXPECT_EQ(Call("POST", "/api/v1/notices", admin_a_, "{}", "application/json").status, 405);
}

TEST_F(RestRequestsTest, ClocksAreReadByMembersAndSetByAdmins) {
  auto defaults = Get("/api/v1/requests-clocks", reader_a_);
  ASSERT_EQ(defaults.status, 200) << defaults.body;
  EXPECT_EQ(Body(defaults)["ack"]["emergency"], "2h");
  EXPECT_EQ(Body(defaults)["preservation_period"], "60d");

  json policy = {{"ack", {{"emergency", "1h"}, {"urgent", "12h"}, {"normal", "3d"}}},
                 {"preservation_period", "90d"},
                 {"reminders", {"7d", "1d"}}};
  EXPECT_EQ(Send("PUT", "/api/v1/requests-clocks", analyst_a_, policy).status, 403);
  auto set = Send("PUT", "/api/v1/requests-clocks", admin_a_, policy);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Body(set)["ack"]["urgent"], "12h");
  EXPECT_EQ(Body(Get("/api/v1/requests-clocks", analyst_b_)), Body(set));
  EXPECT_EQ(AuditOf("request.clocks.set").size(), 1u);

  auto short_period =
      Send("PUT", "/api/v1/requests-clocks", admin_a_, {{"preservation_period", "30d"}});
  EXPECT_EQ(short_period.status, 400);
  EXPECT_THAT(Message(short_period), StartsWith("preservation_period:"));
  auto misspelt = Send("PUT", "/api/v1/requests-clocks", admin_a_, {{"ack", {{"slow", "1h"}}}});
  EXPECT_EQ(Message(misspelt), "ack.slow: unknown field");

  // A sent request's acknowledgement clock follows the policy.
  const std::string uuid = NewPreservation()["id"];
  json sent = Body(Act(analyst_a_, uuid, "send"));
  auto sent_at = ParseTimestamp(sent["sent_at"].get<std::string>());
  auto ack_due = ParseTimestamp(sent["ack_due"].get<std::string>());
  ASSERT_TRUE(sent_at.ok() && ack_due.ok());
  EXPECT_EQ(*ack_due - *sent_at, std::chrono::hours(12));
}

TEST_F(RestRequestsTest, NoticesReachBothPartiesAndNoOneElse) {
  const std::string uuid = NewPreservation()["id"];
  ASSERT_EQ(Act(analyst_a_, uuid, "send").status, 200);
  EXPECT_TRUE(Body(Get("/api/v1/notices", analyst_b_))["notices"].empty());
  // The clocks run three days later: the acknowledgement (24h) is overdue.
  testing::ManualClock later(SystemClock().Now() + std::chrono::hours(72));
  auto raised = requests::RunClocks(node_.store(), later);
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  ASSERT_EQ(raised->size(), 2u);

  auto for_b = Get("/api/v1/notices", analyst_b_);
  ASSERT_EQ(for_b.status, 200) << for_b.body;
  ASSERT_EQ(Body(for_b)["notices"].size(), 1u);
  json notice = Body(for_b)["notices"][0];
  // Police-B registered no point of contact: the record says so, not that a backup was alerted.
  EXPECT_EQ(notice["kind"], "escalation");
  EXPECT_THAT(notice["message"].get<std::string>(), HasSubstr("no 24/7 point of contact is registered"));
  // request_id is a handle the request route takes.
  EXPECT_EQ(
      Get("/api/v1/requests/" + std::to_string(notice["request_id"].get<int64_t>()), analyst_b_)
          .status,
      200);
  EXPECT_EQ(Body(Get("/api/v1/notices", analyst_a_))["notices"].size(), 1u);
  EXPECT_TRUE(Body(Get("/api/v1/notices", analyst_c_))["notices"].empty());
  // A party's contributor may not read the request, so nor its notices.
  EXPECT_EQ(Get("/api/v1/requests/" + uuid, contributor_b_).status, 404);
  EXPECT_TRUE(Body(Get("/api/v1/notices", contributor_b_))["notices"].empty());
  // The request's own page shows each party the notices addressed to it.
  json seen_by_b = Body(Get("/api/v1/requests/" + uuid, analyst_b_))["notices"];
  ASSERT_EQ(seen_by_b.size(), 1u);
  EXPECT_EQ(seen_by_b[0]["kind"], "escalation");
  EXPECT_EQ(seen_by_b[0]["organisation"], "Police-B");
  EXPECT_EQ(Body(Get("/api/v1/requests/" + uuid, analyst_a_))["notices"].size(), 1u);
  EXPECT_EQ(Body(Get("/api/v1/notices", admin_a_))["notices"].size(), 2u);
}

TEST_F(RestRequestsTest, EveryRouteNeedsAKey) {
  for (const char* path :
       {"/api/v1/pocs", "/api/v1/requests", "/api/v1/requests-types", "/api/v1/requests-clocks",
        "/api/v1/notices", "/api/v1/requests/FR-DE-2026-000001/document"}) {
    EXPECT_EQ(Get(path, "").status, 401) << path;
  }
}

}  // namespace
}  // namespace accord
