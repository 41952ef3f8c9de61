// accord federate: exchange with other nodes over TAXII 2.1 (federation/).
#include <fmt/format.h>

#include "cli/cli.h"
#include "federation/federation.h"

namespace accord::cli {
namespace {

struct PullCliOptions {
  std::string url;
  std::string credentials_file;
  std::vector<std::string> collections;
  std::string peer;
  std::string org;
  std::string tlp = "amber";
  int64_t page_size = 1000;
  int timeout_seconds = 60;
};

int RunPull(const GlobalOptions& global, const PullCliOptions& cli) {
  auto credentials = ReadSecretFile("--credentials-file", cli.credentials_file);
  if (!credentials.ok()) return Fail(credentials.status());
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto principal = LocalPrincipal(*store, cli.org);
  if (!principal.ok()) return Fail(principal.status());
  federation::PullOptions options;
  options.api_root_url = cli.url;
  options.credentials = *credentials;
  options.collections = cli.collections;
  options.peer = cli.peer;
  options.owner_org_id = principal->org_id;
  options.default_tlp = *ParseTlp(cli.tlp);
  options.page_size = cli.page_size;
  options.timeout_seconds = cli.timeout_seconds;
  options.actor = LocalActor();
  options.on_reject = PrintRejection;
  auto report = federation::Pull(*store, options);
  if (!report.ok()) return Fail(report.status());
  if (report->collections.empty()) {
    fmt::print("{}: no collection is readable with these credentials\n", report->peer);
  }
  for (const federation::CollectionPull& pulled : report->collections) {
    fmt::print(
        "{} {} ({}): {} objects in {} page(s): STIX objects {} new / {} known; values {} new, {} "
        "already known, {} rejected; {}pulled up to {}\n",
        report->peer, pulled.id, pulled.title.empty() ? "untitled" : pulled.title, pulled.objects,
        pulled.pages, pulled.stix_objects_new, pulled.stix_objects_known, pulled.new_values,
        pulled.known_values, pulled.rejected,
        pulled.from_home > 0 ? fmt::format("{} made here, left out; ", pulled.from_home) : "",
        pulled.cursor.empty() ? "nothing yet" : pulled.cursor);
  }
  return kExitOk;
}

struct PushCliOptions {
  std::string url;
  std::string credentials_file;
  std::string peer_org;
  std::string collection;
  std::string peer;
  std::string max_tlp;
  int64_t page_size = 1000;
  int timeout_seconds = 60;
};

int RunPush(const GlobalOptions& global, const PushCliOptions& cli) {
  auto credentials = ReadSecretFile("--credentials-file", cli.credentials_file);
  if (!credentials.ok()) return Fail(credentials.status());
  auto store = OpenNode(global);
  if (!store) return kExitError;
  auto peer_org = FindOrganisationNamed(*store, cli.peer_org, "--peer-org");
  if (!peer_org.ok()) return Fail(peer_org.status());
  federation::PushOptions options;
  options.api_root_url = cli.url;
  options.credentials = *credentials;
  options.peer = cli.peer;
  options.peer_org_id = peer_org->id;
  options.collection = cli.collection;
  if (!cli.max_tlp.empty()) options.max_tlp = ParseTlp(cli.max_tlp);
  options.page_size = cli.page_size;
  options.timeout_seconds = cli.timeout_seconds;
  options.actor = LocalActor();
  auto report = federation::Push(*store, options);
  if (!report.ok()) return Fail(report.status());
  int64_t failures = 0;
  for (const federation::CollectionPush& pushed : report->collections) {
    failures += pushed.failures;
    if (pushed.objects == 0) continue;
    fmt::print("{} {} ({}): {} objects in {} post(s): {} stored or known, {} refused\n",
               report->peer, pushed.id, pushed.title.empty() ? "untitled" : pushed.title,
               pushed.objects, pushed.posts, pushed.successes, pushed.failures);
    for (const std::string& message : pushed.failure_messages) {
      fmt::print(stderr, "refused by {}: {}\n", report->peer, message);
    }
  }
  fmt::print(
      "{}: {} new STIX objects read; {} withheld ({} may not read them), {} came from the peer, "
      "{} without a collection of their TLP level; {} organisation identities sent with the "
      "objects naming them; pushed up to object {}\n",
      report->peer, report->considered, report->withheld, peer_org->name, report->returned,
      report->unplaced, report->identities, report->cursor);
  // Objects the peer refused will not be sent again: say so in the exit code.
  return failures > 0 ? kExitError : kExitOk;
}

}  // namespace

void RegisterFederate(CLI::App& app, GlobalOptions& global, std::vector<Command>& commands) {
  CLI::App* sub = app.add_subcommand("federate", "Exchange with other nodes over TAXII 2.1");
  sub->require_subcommand(1);
  auto options = std::make_shared<PullCliOptions>();
  CLI::App* pull = sub->add_subcommand("pull",
                                       "Import what a peer's TAXII 2.1 server shares with this "
                                       "node, from where the last pull stopped "
                                       "(markings kept; provenance taxii:<peer>/<collection>)");
  pull->add_option("--url", options->url,
                   "The peer's TAXII API root, e.g. https://peer.example:8470/taxii2/api/")
      ->required();
  pull->add_option(
          "--credentials-file", options->credentials_file,
          "File holding USER:PASSWORD for the peer (for an Accord peer, KEYID:SECRET of a key it "
          "issued to this node's organisation)")
      ->required();
  pull->add_option("--collection", options->collections,
                   "A collection id to pull (repeatable; default: every collection readable)");
  pull->add_option("--peer", options->peer,
                   "Name for the peer in provenance and cursors (default: its host:port)");
  pull->add_option("--org", options->org,
                   "Organisation that owns what arrives (default: the operator)");
  pull->add_option(
          "--tlp", options->tlp,
          "TLP for unmarked objects of a collection that is not one of Accord's per-TLP ones")
      ->check([](const std::string& v) { return ParseTlp(v) ? "" : "unknown TLP level " + v; })
      ->capture_default_str();
  pull->add_option("--page-size", options->page_size, "Objects asked for per request")
      ->check(CLI::Range(int64_t{1}, int64_t{10000}))
      ->capture_default_str();
  pull->add_option("--timeout", options->timeout_seconds,
                   "Seconds to wait for the peer to connect, answer or take a request")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  commands.push_back({pull, [&global, options] { return RunPull(global, *options); }});

  auto push_options = std::make_shared<PushCliOptions>();
  CLI::App* push = sub->add_subcommand(
      "push",
      "POST to a peer's TAXII 2.1 collections what its organisation here may read, from where "
      "the last push stopped (each object into the collection of its TLP level)");
  push->add_option("--url", push_options->url,
                   "The peer's TAXII API root, e.g. https://peer.example:8470/taxii2/api/")
      ->required();
  push->add_option("--credentials-file", push_options->credentials_file,
                   "File holding USER:PASSWORD for the peer (for an Accord peer, KEYID:SECRET of "
                   "a contributor or analyst key it issued to this node's organisation)")
      ->required();
  push->add_option("--peer-org", push_options->peer_org,
                   "The organisation on this node that stands for the peer: only what it may "
                   "read (TLP) is sent, and what it owns is not sent back")
      ->required();
  push->add_option("--collection", push_options->collection,
                   "Put everything into this peer collection (objects must carry their TLP "
                   "marking, or the collection be titled with their level); default: each "
                   "object into the writable collection titled with its level (TLP:GREEN, ...)");
  push->add_option("--peer", push_options->peer,
                   "Name for the peer in cursors and loop checks, as given to pull (default: its "
                   "host:port)");
  push->add_option("--max-tlp", push_options->max_tlp, "Also withhold anything above this level")
      ->check([](const std::string& v) { return ParseTlp(v) ? "" : "unknown TLP level " + v; });
  push->add_option("--page-size", push_options->page_size, "Stored objects read per round")
      ->check(CLI::Range(int64_t{1}, int64_t{10000}))
      ->capture_default_str();
  push->add_option("--timeout", push_options->timeout_seconds,
                   "Seconds to wait for the peer to connect, answer or take a request")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  commands.push_back({push, [&global, push_options] { return RunPush(global, *push_options); }});
}

}  // namespace accord::cli
