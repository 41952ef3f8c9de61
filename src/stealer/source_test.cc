// ForEachMachine over real folders and archives written by libarchive:
// every archive format, archives inside archives, encrypted zip, damaged and
// hostile archives (path traversal, zip bombs), unknown layouts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/archive_names.h"
#include "stealer/source.h"
#include "stealer/stealer_testing.h"
#include "stealer/synth.h"

namespace accord::stealer {
namespace {

using ::testing::HasSubstr;
using testing::ArchiveEntry;
using testing::SynthEntries;
using testing::WriteArchive;

struct Walk {
  std::vector<std::string> machines;
  std::map<std::string, MachineFiles> files;
  std::vector<SourceProblem> problems;
  Status status;
  bool HasProblem(std::string_view text) const {
    return std::any_of(problems.begin(), problems.end(), [&](const SourceProblem& p) {
      return p.reason.find(text) != std::string::npos || p.path.find(text) != std::string::npos;
    });
  }
};

Walk WalkPath(const std::string& path, const SourceOptions& options = {}) {
  Walk walk;
  walk.status = ForEachMachine(
      path, options,
      [&](const std::string& machine, const MachineFiles& files) {
        walk.machines.push_back(machine);
        walk.files[machine] = files;
        return Status::Ok();
      },
      [&](const SourceProblem& problem) { walk.problems.push_back(problem); });
  return walk;
}

SynthOptions Few(int64_t machines, uint64_t seed = 3) {
  SynthOptions options;
  options.machines = machines;
  options.seed = seed;
  options.credentials_per_machine = 5;
  return options;
}

class SourceTest : public ::testing::Test {
 protected:
  ::accord::testing::TempDir dir_;
};

TEST_F(SourceTest, EveryArchiveFormatYieldsEveryMachineWithItsFiles) {
  for (const std::string format : {"zip", "7zip", "tar.gz"}) {
    std::vector<SynthMachine> truth;
    auto entries = SynthEntries(Few(12), "Logs/", &truth);
    const std::string path = dir_.Join("logs." + (format == "7zip" ? std::string("7z") : format));
    ASSERT_EQ(WriteArchive(path, entries, format), "");
    Walk walk = WalkPath(path);
    ASSERT_TRUE(walk.status.ok()) << walk.status.message();
    EXPECT_EQ(walk.machines.size(), truth.size()) << format;
    EXPECT_TRUE(walk.problems.empty()) << format << ": " << walk.problems.front().path << " "
                                       << walk.problems.front().reason;
    for (const SynthMachine& machine : truth) {
      const std::string expected = path + "!/Logs/" + machine.folder;
      ASSERT_TRUE(walk.files.count(expected)) << expected;
      auto log = ParseMachine(expected, walk.files[expected]);
      ASSERT_TRUE(log.ok()) << log.status().message();
      EXPECT_EQ(log->machine_id, machine.machine_id);
      EXPECT_EQ(log->credentials.size(), machine.credentials.size());
    }
  }
}

TEST_F(SourceTest, FoldersArchivesInFoldersAndNestedArchivesAreAllWalked) {
  std::vector<SynthMachine> inner_truth, outer_truth, folder_truth;
  const std::string inner = dir_.Join("inner.zip");
  ASSERT_EQ(WriteArchive(inner, SynthEntries(Few(3, 5), "", &inner_truth), "zip"), "");
  auto outer_entries = SynthEntries(Few(2, 6), "", &outer_truth);
  outer_entries.push_back({"more/inner.zip", ::accord::testing::ReadFile(inner)});
  std::filesystem::create_directories(dir_.Join("drop"));
  ASSERT_EQ(WriteArchive(dir_.Join("drop/outer.tar.gz"), outer_entries, "tar.gz"), "");
  GenerateSynthetic(Few(2, 7), [&](const SynthMachine& machine, const MachineFiles& files) {
    folder_truth.push_back(machine);
    for (const auto& [name, bytes] : files) {
      const auto file = std::filesystem::path(dir_.Join("drop")) / machine.folder / name;
      std::filesystem::create_directories(file.parent_path());
      ::accord::testing::WriteFile(file.string(), bytes);
    }
    return Status::Ok();
  });
  Walk walk = WalkPath(dir_.Join("drop"));
  ASSERT_TRUE(walk.status.ok()) << walk.status.message();
  EXPECT_EQ(walk.machines.size(), 7u);
  EXPECT_TRUE(walk.problems.empty()) << walk.problems.front().path << " " << walk.problems.front().reason;
  const std::string nested = dir_.Join("drop/outer.tar.gz") + "!/more/inner.zip!/" + inner_truth[0].folder;
  EXPECT_TRUE(walk.files.count(nested)) << nested;
  EXPECT_TRUE(walk.files.count(dir_.Join("drop") + "/" + folder_truth[0].folder));
}

TEST_F(SourceTest, EncryptedZipNeedsItsPassword) {
  std::vector<SynthMachine> truth;
  const std::string path = dir_.Join("locked.zip");
  ASSERT_EQ(WriteArchive(path, SynthEntries(Few(2), "", &truth), "zip", "infected"), "");
  Walk without = WalkPath(path);
  EXPECT_TRUE(without.HasProblem("encrypted; give the archive's password"));
  SourceOptions options;
  options.password = "infected";
  Walk with = WalkPath(path, options);
  ASSERT_EQ(with.machines.size(), 2u);
  EXPECT_TRUE(with.problems.empty()) << with.problems.front().reason;
  auto log = ParseMachine(with.machines[0], with.files[with.machines[0]]);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->credentials.size(), truth[0].credentials.size());
}

// A pack is encrypted whole: a missing or wrong password is said once, for
// the archive, not once per file and again per machine as an unknown layout.
TEST_F(SourceTest, AMissingOrWrongPasswordIsReportedOnceForTheArchive) {
  const std::string path = dir_.Join("locked.zip");
  ASSERT_EQ(WriteArchive(path, SynthEntries(Few(4), "", nullptr), "zip", "infected"), "");
  SourceOptions wrong;
  wrong.password = "not-it";
  for (const SourceOptions& options : {SourceOptions{}, wrong}) {
    Walk walk = WalkPath(path, options);
    ASSERT_TRUE(walk.status.ok()) << walk.status.message();
    EXPECT_TRUE(walk.machines.empty());
    std::string said;
    for (const SourceProblem& problem : walk.problems) said += problem.path + ": " + problem.reason + "\n";
    ASSERT_EQ(walk.problems.size(), 1u) << said;
    EXPECT_EQ(walk.problems[0].path, path);
    EXPECT_NE(walk.problems[0].reason.find("password"), std::string::npos) << walk.problems[0].reason;
  }
}

TEST_F(SourceTest, PathTraversalNamesAreReportedAndNeverLeaveMemory) {
  std::vector<SynthMachine> truth;
  auto entries = SynthEntries(Few(1), "../../escape/", &truth);
  entries.push_back({"/etc/cron.d/evil", "* * * * * root true\n"});
  const std::string path = dir_.Join("hostile.tar.gz");
  ASSERT_EQ(WriteArchive(path, entries, "tar.gz"), "");
  Walk walk = WalkPath(path);
  EXPECT_TRUE(walk.HasProblem("unsafe entry name"));
  EXPECT_EQ(walk.machines.size(), 1u);  // read under its cleaned name
  EXPECT_FALSE(std::filesystem::exists(dir_.Join("../escape")));
  EXPECT_FALSE(std::filesystem::exists("/etc/cron.d/evil"));
}

// 7-Zip and WinRAR write non-ASCII names as UTF-8 (the zip's flag bit
// 11). In the C locale libarchive could not name such an entry, and a
// victim folder "GB[Jérôme] [x]" was skipped with no word.
TEST_F(SourceTest, AZipsUtf8NamesAreReadWhateverTheLocale) {
  std::vector<SynthMachine> truth;
  std::vector<ArchiveEntry> entries = SynthEntries(Few(1), "", &truth);
  for (ArchiveEntry& entry : entries) entry.name = "RU[Иван Jérôme] " + entry.name;
  const std::string path = dir_.Join("utf8.zip");
  {
    const Utf8ArchiveNames writing;  // so the writer flags the names UTF-8
    ASSERT_EQ(WriteArchive(path, entries, "zip"), "");
  }
  std::ifstream in(path, std::ios::binary);
  std::string header(8, '\0');
  in.read(header.data(), 8);
  ASSERT_EQ(header.substr(0, 4), std::string("PK\x03\x04", 4));
  ASSERT_NE(static_cast<unsigned char>(header[7]) & 0x08, 0) << "the zip does not flag its names as UTF-8";
  Walk walk = WalkPath(path);
  ASSERT_TRUE(walk.status.ok()) << walk.status.ToString();
  ASSERT_EQ(walk.machines.size(), 1u);
  EXPECT_NE(walk.machines[0].find("Иван Jérôme"), std::string::npos) << walk.machines[0];
  EXPECT_TRUE(walk.problems.empty()) << walk.problems[0].path << ": " << walk.problems[0].reason;
}

TEST_F(SourceTest, ZipBombIsRefusedByTheRatioLimit) {
  std::vector<ArchiveEntry> entries = SynthEntries(Few(1), "", nullptr);
  // Inside a machine folder, where files are read (others are skipped unread).
  const std::string machine = entries.front().name.substr(0, entries.front().name.find('/'));
  entries.push_back({machine + "/Big.txt", std::string(60 << 20, 'A')});
  const std::string path = dir_.Join("bomb.zip");
  ASSERT_EQ(WriteArchive(path, entries, "zip"), "");
  ASSERT_LT(std::filesystem::file_size(path), 1u << 20);
  Walk walk = WalkPath(path);
  EXPECT_TRUE(walk.status.ok());
  EXPECT_TRUE(walk.HasProblem("possible zip bomb"));
}

TEST_F(SourceTest, SizeLimitStopsAnArchiveThatGrowsTooLarge) {
  std::vector<ArchiveEntry> entries = SynthEntries(Few(2), "", nullptr);
  SourceOptions options;
  options.limits.max_file_bytes = 1024;
  const std::string path = dir_.Join("big.zip");
  entries.push_back({entries.front().name.substr(0, entries.front().name.find('/')) + "/Big.txt",
                     std::string(4096, 'x')});
  ASSERT_EQ(WriteArchive(path, entries, "zip"), "");
  Walk walk = WalkPath(path, options);
  EXPECT_TRUE(walk.HasProblem("larger than"));
  EXPECT_EQ(walk.machines.size(), 2u);
}

TEST_F(SourceTest, TruncatedArchiveReportsDamageAndKeepsWhatItRead) {
  const std::string path = dir_.Join("cut.tar.gz");
  ASSERT_EQ(WriteArchive(path, SynthEntries(Few(8), "", nullptr), "tar.gz"), "");
  std::string bytes = ::accord::testing::ReadFile(path);
  ::accord::testing::WriteFile(path, bytes.substr(0, bytes.size() / 2));
  Walk walk = WalkPath(path);
  EXPECT_TRUE(walk.status.ok()) << walk.status.message();
  EXPECT_TRUE(walk.HasProblem("truncated or damaged"));
  EXPECT_LT(walk.machines.size(), 8u);
}

// Random bytes named .zip were opened as a raw member of themselves, over
// and over, and reported as "archives nested deeper than 4".
TEST_F(SourceTest, BytesThatAreNoArchiveUnderAnArchivesNameAreSaidToBeNone) {
  std::string junk;
  for (int byte_idx = 0; byte_idx < 5000; ++byte_idx) junk.push_back(static_cast<char>((byte_idx * 7919 + 13) % 251));
  const std::string path = dir_.Join("junk.zip");
  ::accord::testing::WriteFile(path, junk);
  Walk walk = WalkPath(path);
  EXPECT_TRUE(walk.status.ok()) << walk.status.message();
  EXPECT_TRUE(walk.machines.empty());
  ASSERT_EQ(walk.problems.size(), 1u);
  EXPECT_EQ(walk.problems[0].path, path);
  EXPECT_THAT(walk.problems[0].reason, HasSubstr("neither an archive nor compressed"));
}

TEST_F(SourceTest, UnknownLayoutsAndNonArchivesAreReportedWithTheirPath) {
  auto entries = SynthEntries(Few(1), "", nullptr);
  entries.push_back({"random-folder/readme.txt", "nothing to see"});
  entries.push_back({"loose.txt", "x"});
  const std::string path = dir_.Join("mixed.zip");
  ASSERT_EQ(WriteArchive(path, entries, "zip"), "");
  Walk walk = WalkPath(path);
  EXPECT_EQ(walk.machines.size(), 1u);
  EXPECT_TRUE(walk.HasProblem(path + "!/random-folder"));
  EXPECT_TRUE(walk.HasProblem(path + "!/loose.txt"));
  ::accord::testing::WriteFile(dir_.Join("notes.docx"), "x");
  EXPECT_THAT(WalkPath(dir_.Join("notes.docx")).status.message(), HasSubstr("neither a folder nor an archive"));
  EXPECT_EQ(WalkPath(dir_.Join("missing.zip")).status.code(), Status::Code::kNotFound);
  ::accord::testing::WriteFile(dir_.Join("fake.zip"), "this is not a zip");
  Walk fake = WalkPath(dir_.Join("fake.zip"));
  EXPECT_FALSE(fake.status.ok() && fake.problems.empty());
}

TEST_F(SourceTest, InterleavedArchiveEntriesStillYieldEachMachineWhole) {
  std::vector<SynthMachine> truth;
  auto entries = SynthEntries(Few(4), "Logs/", &truth);
  // Deal the entries out round-robin from the front and back, so every
  // machine's files are spread over the whole archive.
  std::vector<ArchiveEntry> dealt;
  for (size_t front = 0, back = entries.size(); front < back;) {
    dealt.push_back(entries[front++]);
    if (front < back) dealt.push_back(entries[--back]);
  }
  const std::string path = dir_.Join("interleaved.zip");
  ASSERT_EQ(WriteArchive(path, dealt, "zip"), "");
  Walk walk = WalkPath(path);
  ASSERT_TRUE(walk.status.ok()) << walk.status.message();
  ASSERT_EQ(walk.machines.size(), truth.size());
  for (const SynthMachine& machine : truth) {
    const std::string expected = path + "!/Logs/" + machine.folder;
    ASSERT_TRUE(walk.files.count(expected)) << expected;
    auto log = ParseMachine(expected, walk.files[expected]);
    ASSERT_TRUE(log.ok()) << log.status().message();
    EXPECT_EQ(log->credentials.size(), machine.credentials.size()) << expected;
  }
}

// A pack whose top folder holds a reseller's note named like a passwords
// file ("Password.txt": the archive's password) beside its machine folders:
// each machine is read, and the note is reported (counted under the pack's
// top folder, as every file outside a machine is), in an archive or a folder.
TEST_F(SourceTest, ANoteBesideMachineFoldersDoesNotMakeThePackOneMachine) {
  std::vector<SynthMachine> truth;
  auto entries = SynthEntries(Few(3, 11), "pack/", &truth);
  entries.push_back({"pack/Password.txt", "Archive password: infected\n"});
  const std::string zip = dir_.Join("pack.zip");
  ASSERT_EQ(WriteArchive(zip, entries, "zip"), "");
  const std::filesystem::path drop = dir_.Join("drop");
  for (const ArchiveEntry& entry : entries) {
    const auto file = drop / entry.name;
    std::filesystem::create_directories(file.parent_path());
    ::accord::testing::WriteFile(file.string(), entry.bytes);
  }
  for (const std::string& path : {zip, drop.string()}) {
    Walk walk = WalkPath(path);
    ASSERT_TRUE(walk.status.ok()) << walk.status.message();
    EXPECT_EQ(walk.machines.size(), truth.size()) << path;
    EXPECT_TRUE(walk.HasProblem("(1 file(s))")) << path;  // the note, by its top folder
    for (const SynthMachine& machine : truth) {
      const std::string expected = path + (path == zip ? "!/pack/" : "/pack/") + machine.folder;
      ASSERT_TRUE(walk.files.count(expected)) << expected;
      EXPECT_EQ(ParseMachine(expected, walk.files[expected])->machine_id, machine.machine_id);
    }
  }
}

// `accord stealer synth --output DIR` then `accord stealer ingest DIR`, as
// the README shows: the ground truth beside the logs is no unknown layout.
TEST_F(SourceTest, TheSyntheticGeneratorsOutputFolderReadsWithoutProblems) {
  ASSERT_TRUE(WriteSynthetic(dir_.Join("trial"), Few(4, 21)).ok());
  ASSERT_TRUE(std::filesystem::exists(dir_.Join("trial/ground-truth.json")));
  Walk walk = WalkPath(dir_.Join("trial"));
  ASSERT_TRUE(walk.status.ok()) << walk.status.message();
  EXPECT_EQ(walk.machines.size(), 4u);
  EXPECT_TRUE(walk.problems.empty()) << walk.problems.front().path << " " << walk.problems.front().reason;
  // A file of that name that is not the generator's is still reported.
  ::accord::testing::WriteFile(dir_.Join("trial/ground-truth.json"), "[]");
  EXPECT_TRUE(WalkPath(dir_.Join("trial")).HasProblem("ground-truth.json"));
}

TEST_F(SourceTest, AFolderReportsUnknownLayoutsByTopLevelFolderAndReadsMachinesWhole) {
  std::vector<SynthMachine> truth;
  const std::filesystem::path drop = dir_.Join("drop");
  for (const ArchiveEntry& entry : SynthEntries(Few(3), "", &truth)) {
    const auto file = drop / entry.name;
    std::filesystem::create_directories(file.parent_path());
    ::accord::testing::WriteFile(file.string(), entry.bytes);
  }
  std::filesystem::create_directories(drop / "random-folder" / "deeper");
  ::accord::testing::WriteFile((drop / "random-folder" / "readme.txt").string(), "x");
  ::accord::testing::WriteFile((drop / "random-folder" / "deeper" / "notes.txt").string(), "y");
  ::accord::testing::WriteFile((drop / "loose.txt").string(), "z");
  Walk walk = WalkPath(drop.string());
  ASSERT_TRUE(walk.status.ok()) << walk.status.message();
  EXPECT_EQ(walk.machines.size(), truth.size());
  for (const SynthMachine& machine : truth) {
    const std::string expected = drop.string() + "/" + machine.folder;
    ASSERT_TRUE(walk.files.count(expected)) << expected;
    EXPECT_EQ(ParseMachine(expected, walk.files[expected])->credentials.size(),
              machine.credentials.size());
  }
  EXPECT_TRUE(walk.HasProblem("(2 file(s))"));
  EXPECT_TRUE(walk.HasProblem(drop.string() + "/random-folder"));
  EXPECT_TRUE(walk.HasProblem(drop.string() + "/loose.txt"));
  EXPECT_EQ(walk.problems.size(), 2u);
}

}  // namespace
}  // namespace accord::stealer
