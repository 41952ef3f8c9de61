// `accord poc` and `accord request` as a point of contact uses them: the
// directory, a preservation request from draft to execution with the legal
// fields checked, attachments extracted and verified, the printable
// document, and a third organisation that sees nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "testing/testing.h"

namespace accord {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

class CliRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Run("init --org Hub --country NL --kind international").exit_code, 0);
    for (const char* org : {"OCLCTIC --country FR", "BKA --country DE", "PolPost --country IT"}) {
      auto created = Run(std::string("org create ") + org + " --kind law-enforcement");
      ASSERT_EQ(created.exit_code, 0) << created.err;
    }
  }

  testing::CliRun Run(const std::string& args) {
    return testing::RunCli(ACCORD_BINARY, args + " --data '" + dir_.Join("node") + "'");
  }

  testing::TempDir dir_;
};

TEST_F(CliRequestTest, PointOfContactDirectoryListsAndValidates) {
  auto set = Run("poc set BKA --time-zone Europe/Berlin --languages de,en --channel 'phone:+49 611 55 0'"
                 " --backup-name 'Duty officer' --backup-channel 'phone:+49 611 55 1'");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  auto bad_zone = Run("poc set OCLCTIC --time-zone Paris --channel email:desk@example.fr");
  EXPECT_EQ(bad_zone.exit_code, 1);
  EXPECT_THAT(bad_zone.err, HasSubstr("time zone 'Paris'"));
  auto bad_channel = Run("poc set OCLCTIC --channel desk");
  EXPECT_THAT(bad_channel.err, HasSubstr("--channel"));
  auto list = Run("poc list");
  EXPECT_THAT(list.out, HasSubstr("DE\tBKA\t"));
  EXPECT_THAT(list.out, HasSubstr("Europe/Berlin"));
  auto shown = Run("poc show BKA");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  json poc = json::parse(shown.out);
  EXPECT_EQ(poc["backup"]["name"], "Duty officer");
  EXPECT_EQ(poc["languages"], json({"de", "en"}));
  EXPECT_EQ(Run("poc list --country FR").out, "");
}

TEST_F(CliRequestTest, PreservationFromDraftToExecutionWithFieldsCheckedAndRecorded) {
  ASSERT_EQ(Run("poc set BKA --time-zone Europe/Berlin --channel 'phone:+49 611 55 0'").exit_code, 0);
  auto types = Run("request types");
  EXPECT_THAT(types.out, HasSubstr("mla_intent"));
  EXPECT_THAT(types.out, HasSubstr("Budapest Art. 29(2)(f)"));

  auto draft = Run("request new --as OCLCTIC --to BKA --type preservation"
                   " --field requesting_authority=OCLCTIC --field 'offence=Computer fraud'");
  ASSERT_EQ(draft.exit_code, 0) << draft.err;
  EXPECT_THAT(draft.out, HasSubstr("FR-DE-"));
  const std::string ref = draft.out.substr(0, draft.out.find('\t'));
  EXPECT_THAT(draft.err, HasSubstr("--field necessity="));

  auto refused = Run("request send " + ref + " --as OCLCTIC");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("field 'facts' is required"));

  testing::WriteFile(dir_.Join("fields.json"), R"({
    "facts": "Infostealer C2 at 203.0.113.7", "data_sought": "Server logs",
    "relation_to_offence": "C2 of the campaign", "custodian_location": "Example Hosting GmbH",
    "necessity": "Logs rotate in 14 days", "mla_intent": "yes"})");
  auto edited = Run("request update " + ref + " --as OCLCTIC --fields-file '" +
                    dir_.Join("fields.json") + "' --link observable:203.0.113.7");
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  auto sent = Run("request send " + ref + " --as OCLCTIC");
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_THAT(sent.out, HasSubstr("acknowledgement due"));
  EXPECT_THAT(sent.err, Not(HasSubstr("no 24/7 point of contact"))) << "BKA has one";
  // The deadline as BKA's desk in Berlin reads it too (OCLCTIC set no zone).
  EXPECT_THAT(sent.out, ::testing::ContainsRegex("\\(BKA: [0-9-]+ [0-9:]+ CES?T \\(UTC\\+0[12]:00\\)\\)"));

  auto wrong_party = Run("request ack " + ref + " --as OCLCTIC");
  EXPECT_EQ(wrong_party.exit_code, 1);
  EXPECT_THAT(wrong_party.err, HasSubstr("only the requested party"));
  // An update whose state move is refused adds nothing else either (the
  // history below has no note and no second link).
  auto refused_update = Run("request update " + ref + " --as OCLCTIC --state acknowledged"
                            " --note 'called them' --link observable:198.51.100.9");
  EXPECT_EQ(refused_update.exit_code, 1);
  EXPECT_THAT(refused_update.err, HasSubstr("only the requested party"));
  ASSERT_EQ(Run("request ack " + ref + " --as BKA").exit_code, 0);
  auto early_close = Run("request close " + ref + " --as BKA");
  EXPECT_THAT(early_close.err, HasSubstr("cannot close a request that is acknowledged"));
  auto executed = Run("request update " + ref + " --as BKA --state executed --preserved-until 90d");
  ASSERT_EQ(executed.exit_code, 0) << executed.err;
  EXPECT_THAT(executed.out, HasSubstr("preserved until"));

  auto listed = Run("request list --as BKA");
  EXPECT_THAT(listed.out, HasSubstr("preservation due in 89d"));
  auto shown = Run("request show " + ref + " --as BKA");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  json view = json::parse(shown.out);
  EXPECT_EQ(view["state"], "executed");
  EXPECT_EQ(view["to"]["time_zone"], "Europe/Berlin");
  EXPECT_THAT(view["local_times"]["preserved_until"]["recipient"].get<std::string>(),
              HasSubstr("CE"));  // CET or CEST
  EXPECT_EQ(view["links"][0]["ref"], "ipv4:203.0.113.7");
  std::vector<std::string> actions;
  for (const auto& line : view["history"]) actions.push_back(line["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "edit", "link", "send", "ack", "execute"}));

  auto html = Run("request show " + ref + " --as OCLCTIC --html --output '" + dir_.Join("r.html") + "'");
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_THAT(testing::ReadFile(dir_.Join("r.html")), HasSubstr(ref));

  auto audit = Run("audit verify");
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
  // The head to keep elsewhere, and given back it holds.
  const size_t head = audit.out.find("head: ");
  ASSERT_NE(head, std::string::npos) << audit.out;
  const std::string anchor = audit.out.substr(head + 6, audit.out.find('\n', head) - head - 6);
  auto anchored = Run("audit verify --anchor " + anchor);
  EXPECT_EQ(anchored.exit_code, 0) << anchored.err;
  EXPECT_THAT(anchored.out, HasSubstr("1 anchors hold"));
  EXPECT_EQ(Run("audit verify --anchor 1:" + std::string(64, 'f')).exit_code, 1);
  EXPECT_EQ(Run("audit verify --anchor nonsense").exit_code, 1);
  // Who acted is the party, not only the account.
  auto log = Run("audit show");
  EXPECT_THAT(log.out, HasSubstr(" as BKA\t"));
  EXPECT_THAT(log.out, HasSubstr(" as OCLCTIC\t"));
}

TEST_F(CliRequestTest, PrintableDocumentBecomesAPdfThroughChromium) {
  if (!std::filesystem::exists("/usr/bin/chromium")) GTEST_SKIP() << "Debian's chromium is not installed";
  auto draft = Run("request new --as OCLCTIC --to BKA --type assistance --subject 'PDF check'");
  ASSERT_EQ(draft.exit_code, 0) << draft.err;
  const std::string ref = draft.out.substr(0, draft.out.find('\t'));
  auto pdf = Run("request show " + ref + " --as OCLCTIC --pdf '" + dir_.Join("r.pdf") + "'");
  ASSERT_EQ(pdf.exit_code, 0) << pdf.err;
  const std::string bytes = testing::ReadFile(dir_.Join("r.pdf"));
  EXPECT_TRUE(bytes.starts_with("%PDF-"));
  EXPECT_GT(bytes.size(), 1000u);
}

TEST_F(CliRequestTest, AttachmentIsExtractedVerifiedAndThirdPartiesSeeNothing) {
  auto draft = Run("request new --as OCLCTIC --to BKA --type assistance --subject 'Help'");
  ASSERT_EQ(draft.exit_code, 0) << draft.err;
  const std::string ref = draft.out.substr(0, draft.out.find('\t'));
  const std::string evidence = std::string("PDF-1.7\n\x00\x01\xfe binary", 20);
  testing::WriteFile(dir_.Join("order.pdf"), evidence);
  auto attached = Run("request update " + ref + " --as OCLCTIC --attach '" + dir_.Join("order.pdf") + "'");
  ASSERT_EQ(attached.exit_code, 0) << attached.err;
  EXPECT_THAT(attached.out, HasSubstr(Sha256Hex(evidence)));
  // A draft is the requester's alone: the requested unit sees nothing yet.
  EXPECT_EQ(Run("request show " + ref + " --as BKA").exit_code, 1);
  auto extracted = Run("request show " + ref + " --as OCLCTIC --attachment 1 --output '" +
                       dir_.Join("copy.pdf") + "'");
  ASSERT_EQ(extracted.exit_code, 0) << extracted.err;
  EXPECT_EQ(testing::ReadFile(dir_.Join("copy.pdf")), evidence);
  EXPECT_THAT(extracted.err, HasSubstr("verified"));

  auto outsider = Run("request show " + ref + " --as PolPost");
  EXPECT_EQ(outsider.exit_code, 1);
  EXPECT_THAT(outsider.err, HasSubstr("does not exist"));
  EXPECT_THAT(Run("request list --as PolPost").out, Not(HasSubstr(ref)));
}

// One update adding a note, links and files is checked whole before it
// writes: a bad link or a missing file refuses it all, and the record shows
// nothing of it.
TEST_F(CliRequestTest, AnUpdateRefusedForOneOfItsPartsRecordsNoneOfThem) {
  auto draft = Run("request new --as OCLCTIC --to BKA --type assistance --subject 'Help'");
  ASSERT_EQ(draft.exit_code, 0) << draft.err;
  const std::string ref = draft.out.substr(0, draft.out.find('\t'));
  testing::WriteFile(dir_.Join("order.txt"), "court order 12/2026");
  const std::string order = " --attach '" + dir_.Join("order.txt") + "'";
  auto bad_link = Run("request update " + ref + " --as OCLCTIC --note 'first note' --link observable:198.51.100.7"
                      " --link event:00000000-0000-0000-0000-000000000000" + order);
  EXPECT_EQ(bad_link.exit_code, 1);
  EXPECT_THAT(bad_link.err, HasSubstr("--link 'event:00000000-0000-0000-0000-000000000000'"));
  auto missing_file = Run("request update " + ref + " --as OCLCTIC --note 'first note'" + order +
                          " --attach '" + dir_.Join("no-such-file.txt") + "'");
  EXPECT_EQ(missing_file.exit_code, 1);
  EXPECT_THAT(missing_file.err, HasSubstr("no-such-file.txt"));
  auto shown = Run("request show " + ref + " --as OCLCTIC");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, Not(HasSubstr("198.51.100.7")));
  EXPECT_THAT(shown.out, Not(HasSubstr("first note")));
  EXPECT_THAT(shown.out, Not(HasSubstr("order.txt")));
  EXPECT_THAT(Run("audit show").out, Not(HasSubstr("request.link")));

  auto twice = Run("request update " + ref + " --as OCLCTIC --note 'first note' --link observable:198.51.100.7"
                   " --link observable:ipv4:198.51.100.7" + order);
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("already links observable ipv4:198.51.100.7"));
  EXPECT_THAT(Run("audit show").out, Not(HasSubstr("request.link")));

  auto whole = Run("request update " + ref + " --as OCLCTIC --note 'first note' --link observable:198.51.100.7" + order);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  auto again = Run("request update " + ref + " --as OCLCTIC --note 'second note' --link observable:198.51.100.7");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(Run("request show " + ref + " --as OCLCTIC").out, Not(HasSubstr("second note")));
  shown = Run("request show " + ref + " --as OCLCTIC");
  EXPECT_THAT(shown.out, HasSubstr("198.51.100.7"));
  EXPECT_THAT(shown.out, HasSubstr("first note"));
  EXPECT_THAT(shown.out, HasSubstr("order.txt"));
}

// Sending to an organisation with no 24/7 desk works (it reads its inbox)
// but says that no escalation can reach anyone there.
TEST_F(CliRequestTest, SendingToAnOrganisationWithoutAPointOfContactWarns) {
  auto sent = Run("request new --as OCLCTIC --to PolPost --type assistance --subject 'Help' --field requesting_authority=OCLCTIC"
                  " --field 'facts=Phishing kit' --field 'assistance_sought=Takedown' --send");
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_THAT(sent.out, HasSubstr("\tsent\t"));
  EXPECT_THAT(sent.err, HasSubstr("PolPost has registered no 24/7 point of contact"));
}

TEST_F(CliRequestTest, ClocksAreConfigurableAndTickRaisesNothingEarly) {
  auto set = Run("request clocks --ack-urgent 6h --reminders 7d,1d");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  json policy = json::parse(set.out);
  EXPECT_EQ(policy["ack"]["urgent"], "6h");
  EXPECT_EQ(policy["reminders"], json({"1w", "1d"}));
  auto too_short = Run("request clocks --preservation-period 30d");
  EXPECT_EQ(too_short.exit_code, 1);
  EXPECT_THAT(too_short.err, HasSubstr("sixty days"));
  auto too_early = Run("request clocks --reminders 100d,3d");
  EXPECT_EQ(too_early.exit_code, 1);
  EXPECT_THAT(too_early.err, HasSubstr("reminders: 100d is not shorter than the preservation period (60d)"));
  EXPECT_EQ(json::parse(Run("request clocks").out)["reminders"], json({"1w", "1d"})) << "nothing changed";
  auto tick = Run("request tick");
  EXPECT_EQ(tick.exit_code, 0) << tick.err;
  EXPECT_THAT(tick.err, HasSubstr("0 notice(s) raised"));
}

}  // namespace
}  // namespace accord
