// libFuzzer target for the MISP readers (src/misp/misp.h).
//
// Feeds the bytes to ReadMispEvent (every record discarded) and to
// ParseWarningList and ParseMispFeedManifest; a list that parses is compiled into a matcher (regex
// lists through PCRE2) and asked about a few observables of every type, and its problems listed. Nothing may crash, hang or trip a
// sanitizer, whatever the bytes.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/io.h"
#include "core/model.h"
#include "misp/misp.h"

namespace {

class DiscardingSink final : public accord::RecordSink {
 public:
  accord::Status OnEvent(accord::EventRecord) override { return accord::Status::Ok(); }
  accord::Status OnIndicator(accord::IndicatorRecord) override { return accord::Status::Ok(); }
  accord::Status OnStixObject(accord::StixObjectRecord) override { return accord::Status::Ok(); }
  accord::Status OnSighting(accord::SightingRecord) override { return accord::Status::Ok(); }
  accord::Status OnEventMembers(accord::EventMembers) override { return accord::Status::Ok(); }
  void OnReject(accord::Rejection) override {}
};

void MatchSamples(const accord::WarningListMatcher& matcher) {
  using accord::ObservableType;
  const accord::Observable samples[] = {
      {ObservableType::kIpv4, "10.1.2.3"},
      {ObservableType::kIpv6, "2001:db8::1"},
      {ObservableType::kCidr, "192.168.0.0/16"},
      {ObservableType::kCidr, "2001:db8::/32"},
      {ObservableType::kDomain, "mail.google.com"},
      {ObservableType::kUrl, "https://user@bit.ly:443/x?y#z"},
      {ObservableType::kEmail, "a@b.example"},
      {ObservableType::kSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {ObservableType::kFileName, "setup.exe"},
      {ObservableType::kWallet, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"},
  };
  for (const accord::Observable& sample : samples) (void)matcher.Match(sample);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);

  if (auto in = accord::OpenInputFromMemory("fuzz.json", bytes); in.ok()) {
    DiscardingSink sink;
    accord::MispReadOptions options;
    options.source_name = "fuzz.json";
    options.max_bytes = 1 << 20;
    (void)accord::ReadMispEvent(**in, options, sink);
  }

  if (auto in = accord::OpenInputFromMemory("manifest.json", bytes); in.ok()) {
    (void)accord::ParseMispFeedManifest(**in);
  }

  if (auto in = accord::OpenInputFromMemory("fuzz-list.json", bytes); in.ok()) {
    auto list = accord::ParseWarningList(**in);
    if (list.ok()) {
      auto matcher = accord::WarningListMatcher::Build({*list});
      MatchSamples(*matcher);
      (void)accord::WarningListProblems(*list);
    }
  }
  return 0;
}
