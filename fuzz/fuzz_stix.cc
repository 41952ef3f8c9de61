// libFuzzer target for the STIX reader and pattern parser (src/stix/stix.h).
//
// The bytes go three ways: through OpenInputFromMemory (which also undoes
// gzip) into ReadStixBundle; into ReadStixBundle again through a stream that
// hands out a few bytes per Read (its size taken from the first byte), so
// objects straddle read boundaries in every possible way; and as a string
// into ParsePattern. Every term ParsePattern yields must survive
// PatternFor -> ParsePattern unchanged, and a pattern PatternInStix21Syntax
// rewrites must parse to the same terms (or fail the same way) as before.
// Records are discarded. Nothing may
// crash, hang or trip a sanitizer, whatever the bytes.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/io.h"
#include "core/model.h"
#include "stix/stix.h"

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

class SmallReadStream final : public accord::InputStream {
 public:
  SmallReadStream(std::string_view bytes, size_t read_size) : bytes_(bytes), read_size_(read_size) {}
  accord::Result<size_t> Read(char* buf, size_t max) override {
    const size_t n = std::min({max, read_size_, bytes_.size() - pos_});
    std::copy_n(bytes_.data() + pos_, n, buf);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t compressed_offset() const override { return pos_; }
  uint64_t compressed_size() const override { return bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t read_size_;
  size_t pos_ = 0;
  std::string name_ = "fuzz-small-reads";
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  accord::StixReadOptions options;
  options.source_name = "fuzz";
  options.max_object_bytes = 1 << 20;
  DiscardingSink sink;

  auto in = accord::OpenInputFromMemory("fuzz", std::string(bytes));
  if (in.ok()) (void)accord::ReadStixBundle(**in, options, sink);

  if (!bytes.empty()) {
    SmallReadStream small(bytes.substr(1), 1 + static_cast<uint8_t>(bytes[0]) % 16);
    (void)accord::ReadStixBundle(small, options, sink);
  }

  auto terms = accord::ParsePattern(bytes);
  if (auto rewritten = accord::PatternInStix21Syntax(bytes)) {
    auto reread = accord::ParsePattern(*rewritten);
    if (reread.ok() != terms.ok() || (!terms.ok() && reread.status().code() != terms.status().code())) {
      std::abort();  // the rewrite changed what the pattern means
    }
    if (terms.ok()) {
      if (reread->size() != terms->size()) std::abort();
      for (size_t i = 0; i < terms->size(); ++i) {
        if ((*reread)[i].type != (*terms)[i].type || (*reread)[i].value != (*terms)[i].value) std::abort();
      }
    }
  }
  if (terms.ok()) {
    for (const auto& term : *terms) {
      const std::string pattern = accord::PatternFor(accord::Observable{term.type, term.value});
      auto again = accord::ParsePattern(pattern);
      if (!again.ok() || again->size() != 1 || (*again)[0].type != term.type ||
          (*again)[0].value != term.value) {
        std::abort();  // PatternFor and ParsePattern disagree: a real bug

      }
    }
  }
  return 0;
}
