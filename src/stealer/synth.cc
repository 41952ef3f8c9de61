// The synthetic log stream and its public API (synth.h). The machine model,
// value tables and family writers are in the other synth_*.cc files; see
// synth_internal.h.
#include "stealer/synth.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stealer/synth_internal.h"

namespace accord::stealer {
namespace {

using synth_internal::Encoding;
using synth_internal::FolderBuilder;
using synth_internal::MakeVictim;
using synth_internal::Mix;
using synth_internal::Victim;
using synth_internal::WriteLumma;
using synth_internal::WriteRaccoon;
using synth_internal::WriteRedLine;
using synth_internal::WriteStealC;
using synth_internal::WriteVidar;

// Position `index` of a Weyl sequence in [0, 1): evenly spread, so "share *
// machines" positions fall below `share` within one, where independent coin
// flips could leave a small test run with none. Each use takes its own
// irrational step (fractions of the golden ratio, sqrt 2): with a shared step
// two sequences differ by a constant, and duplicate positions could then
// swallow every position of one encoding.
constexpr uint64_t kGoldenStep = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kSqrt2Step = 0x6A09E667F3BCC909ULL;
constexpr uint64_t kSqrt3Step = 0xBB67AE8584CAA73BULL;
double Weyl(uint64_t seed, uint64_t salt, uint64_t step, uint64_t index) {
  const uint64_t x = index * step + Mix(seed, salt, 0xFFFF);
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

// ---------------------------------------------------------------------------
// The stream.

constexpr uint64_t kSaltEncoding = 1;
constexpr uint64_t kSaltDuplicate = 2;
constexpr uint64_t kSaltOriginal = 3;
constexpr uint64_t kSaltMachine = 4;
constexpr uint64_t kSaltVariant = 5;

bool IsVariantName(std::string_view name) {
  for (Family family : kAllFamilies)
    for (std::string_view variant : SynthVariants(family))
      if (variant == name) return true;
  return false;
}

// The variant original machine `position` of `family` is written in, or ""
// for the documented layout. Its own draws (not the machine's stream), so a
// machine's values do not depend on its layout.
std::string ChooseVariant(const SynthOptions& options, Family family, uint64_t position) {
  if (Weyl(options.seed, kSaltVariant, kSqrt3Step, position) >= options.variant_share) return "";
  std::vector<std::string_view> names;
  for (std::string_view name : SynthVariants(family))
    if (options.variant.empty() || options.variant == name) names.push_back(name);
  if (names.empty()) return "";
  return std::string(names[Mix(options.seed, kSaltVariant, position) % names.size()]);
}

Status Validate(const SynthOptions& options) {
  auto share_ok = [](double share) { return share >= 0.0 && share <= 1.0; };
  if (options.machines < 0) return Status::Invalid("synthetic logs: machines must be >= 0");
  if (options.credentials_per_machine < 0)
    return Status::Invalid("synthetic logs: credentials_per_machine must be >= 0");
  if (options.credentials_per_machine > 100000)
    return Status::Invalid("synthetic logs: credentials_per_machine must be <= 100000");
  if (!share_ok(options.utf16_share) || !share_ok(options.cp1252_share) ||
      !share_ok(options.duplicate_machine_share) || !share_ok(options.variant_share))
    return Status::Invalid("synthetic logs: shares must be between 0 and 1");
  if (options.utf16_share + options.cp1252_share > 1.0)
    return Status::Invalid("synthetic logs: utf16_share + cp1252_share must be <= 1");
  if (!options.variant.empty() && !IsVariantName(options.variant))
    return Status::Invalid(
        fmt::format("synthetic logs: unknown layout variant '{}'", options.variant));
  return Status::Ok();
}

bool IsDuplicate(const SynthOptions& options, int64_t index) {
  return index > 0 && Weyl(options.seed, kSaltDuplicate, kSqrt2Step, static_cast<uint64_t>(index)) <
                          options.duplicate_machine_share;
}

// Builds original machine `index` (never a duplicate position) from scratch.
std::pair<SynthMachine, MachineFiles> BuildOriginal(const SynthOptions& options,
                                                    const std::vector<Family>& families,
                                                    int64_t index) {
  const auto position = static_cast<uint64_t>(index);
  const double u = Weyl(options.seed, kSaltEncoding, kGoldenStep, position);
  const Encoding encoding = u < options.utf16_share                          ? Encoding::kUtf16Le
                            : u < options.utf16_share + options.cp1252_share ? Encoding::kCp1252
                                                                             : Encoding::kUtf8;
  Victim v = MakeVictim(Mix(options.seed, kSaltMachine, position), encoding,
                        options.credentials_per_machine);
  const Family family = families[position % families.size()];
  v.truth.family = family;
  v.variant = ChooseVariant(options, family, position);
  v.truth.layout = v.variant;
  const bool crlf =
      family == Family::kRedLine || family == Family::kMeta || family == Family::kVidar;
  FolderBuilder out(crlf, encoding);
  MachineFiles files;
  switch (family) {
    case Family::kRedLine:
      files = WriteRedLine(v, false, out);
      break;
    case Family::kMeta:
      files = WriteRedLine(v, true, out);
      break;
    case Family::kVidar:
      files = WriteVidar(v, out);
      break;
    case Family::kLumma:
      files = WriteLumma(v, out);
      break;
    case Family::kRaccoon:
      files = WriteRaccoon(v, out);
      break;
    case Family::kStealC:
      files = WriteStealC(v, out);
      break;
  }
  return {std::move(v.truth), std::move(files)};
}

}  // namespace

std::vector<std::string_view> SynthVariants(Family family) {
  switch (family) {
    case Family::kRedLine:
      return {"redline-reseller"};
    case Family::kMeta:
      return {};
    case Family::kVidar:
      return {"vidar-reseller"};
    case Family::kLumma:
      return {"lumma-no-banner", "lumma-2023"};
    case Family::kRaccoon:
      return {"raccoon-v1", "raccoon-v2-glued"};
    case Family::kStealC:
      return {"stealc-v2"};
  }
  return {};
}

Status GenerateSynthetic(
    const SynthOptions& options,
    const std::function<Status(const SynthMachine&, const MachineFiles&)>& fn) {
  RETURN_IF_ERROR(Validate(options));
  std::vector<Family> families = options.families;
  if (families.empty()) families.assign(std::begin(kAllFamilies), std::end(kAllFamilies));
  for (int64_t index = 0; index < options.machines; ++index) {
    if (!IsDuplicate(options, index)) {
      auto [machine, files] = BuildOriginal(options, families, index);
      RETURN_IF_ERROR(fn(machine, files));
      continue;
    }
    // Rebuilding the original from its index costs time, not memory; the
    // walk back ends at index 0, which is never a duplicate.
    int64_t original = static_cast<int64_t>(Mix(options.seed, kSaltOriginal, index) %
                                            static_cast<uint64_t>(index));
    while (IsDuplicate(options, original)) --original;
    auto [machine, files] = BuildOriginal(options, families, original);
    machine.duplicate = true;
    machine.folder += fmt::format(" ({})", index + 1);
    RETURN_IF_ERROR(fn(machine, files));
  }
  return Status::Ok();
}

nlohmann::json SynthMachineJson(const SynthMachine& machine) {
  nlohmann::json credentials = nlohmann::json::array();
  for (const SynthCredential& c : machine.credentials) {
    credentials.push_back({{"url", c.url},
                           {"domain", c.domain},
                           {"username", c.username},
                           {"password", c.password},
                           {"browser", c.browser},
                           {"profile", c.profile}});
  }
  return {{"folder", machine.folder},
          {"family", std::string(FamilyName(machine.family))},
          {"machine_id", machine.machine_id},
          {"ip", machine.ip},
          {"country", machine.country},
          {"os", machine.os},
          {"user_name", machine.user_name},
          {"computer_name", machine.computer_name},
          {"build_id", machine.build_id},
          {"infected_at", machine.infected_at},
          {"cookies", machine.cookies},
          {"autofills", machine.autofills},
          {"credentials", std::move(credentials)},
          {"duplicate", machine.duplicate},
          {"encoding", machine.encoding},
          {"layout", machine.layout}};
}

Status WriteSynthetic(const std::string& dir, const SynthOptions& options) {
  namespace fs = std::filesystem;
  RETURN_IF_ERROR(Validate(options));
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir))
    return Status::IoError(fmt::format("{}: cannot create the output directory", dir));
  const fs::path truth_path = fs::path(dir) / "ground-truth.json";
  const fs::path partial_path = fs::path(dir) / "ground-truth.json.partial";
  std::ofstream truth(partial_path, std::ios::binary | std::ios::trunc);
  if (!truth) return Status::IoError(fmt::format("{}: cannot write", partial_path.string()));
  truth << "{\"machines\": [\n";

  // Totals stay small (a few counters per family and per domain), so the
  // truth is streamed machine by machine like the folders.
  int64_t machines = 0, duplicates = 0, credentials = 0, credentials_all = 0, cookies = 0,
          autofills = 0;
  std::map<std::string, int64_t> per_family;
  std::map<std::string, std::pair<int64_t, int64_t>> per_domain;  // accounts, machines
  Status status =
      GenerateSynthetic(options, [&](const SynthMachine& m, const MachineFiles& files) -> Status {
        const fs::path folder = fs::path(dir) / m.folder;
        for (const auto& [relative, bytes] : files) {
          const fs::path path = folder / relative;
          fs::create_directories(path.parent_path(), error);
          if (error)
            return Status::IoError(
                fmt::format("{}: cannot create directory", path.parent_path().string()));
          std::ofstream file(path, std::ios::binary | std::ios::trunc);
          file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
          file.close();
          if (!file) return Status::IoError(fmt::format("{}: cannot write", path.string()));
        }
        truth << (machines > 0 ? ",\n" : "") << SynthMachineJson(m).dump();
        ++machines;
        credentials_all += static_cast<int64_t>(m.credentials.size());
        if (m.duplicate) {
          ++duplicates;
          return Status::Ok();
        }
        credentials += static_cast<int64_t>(m.credentials.size());
        cookies += m.cookies;
        autofills += m.autofills;
        ++per_family[std::string(FamilyName(m.family))];
        std::set<std::string> domains_here;
        for (const SynthCredential& c : m.credentials) {
          if (c.domain.empty()) continue;
          ++per_domain[c.domain].first;
          if (domains_here.insert(c.domain).second) ++per_domain[c.domain].second;
        }
        return Status::Ok();
      });
  if (!status.ok()) {
    truth.close();
    fs::remove(partial_path, error);
    return status;
  }
  nlohmann::json domains = nlohmann::json::object();
  for (const auto& [domain, counts] : per_domain)
    domains[domain] = {{"accounts", counts.first}, {"machines", counts.second}};
  nlohmann::json totals = {{"machines", machines},
                           {"unique_machines", machines - duplicates},
                           {"duplicates", duplicates},
                           {"credentials", credentials},
                           {"credentials_with_duplicates", credentials_all},
                           {"cookies", cookies},
                           {"autofills", autofills},
                           {"families", per_family},
                           {"domains", std::move(domains)}};
  truth << "\n],\n\"totals\": " << totals.dump(2) << "}\n";
  truth.close();
  if (!truth) return Status::IoError(fmt::format("{}: cannot write", partial_path.string()));
  fs::rename(partial_path, truth_path, error);
  if (error)
    return Status::IoError(fmt::format("{}: cannot rename into place", truth_path.string()));
  return Status::Ok();
}

}  // namespace accord::stealer
