#include "core/io.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/archive_names.h"
#include "testing/testing.h"

namespace accord {
namespace {

std::string Drain(InputStream& in) {
  auto all = ReadAll(in, 1 << 30);
  EXPECT_TRUE(all.ok()) << all.status().ToString();
  return all.ok() ? *all : "";
}

TEST(IoTest, ReadsPlainGzipZstdAndXzFilesAlike) {
  testing::TempDir dir;
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
  testing::WriteFile(dir.Join("plain.txt"), content);
  ASSERT_EQ(std::system(("gzip -k -c " + dir.Join("plain.txt") + " > " + dir.Join("a.gz")).c_str()), 0);
  ASSERT_EQ(std::system(("zstd -q -c " + dir.Join("plain.txt") + " > " + dir.Join("a.zst")).c_str()), 0);
  ASSERT_EQ(std::system(("xz -c " + dir.Join("plain.txt") + " > " + dir.Join("a.xz") + " && xz -c " +
                         dir.Join("plain.txt") + " >> " + dir.Join("a.xz"))
                            .c_str()),
            0);
  for (const char* name : {"plain.txt", "a.gz", "a.zst", "a.xz"}) {
    auto in = OpenInput(dir.Join(name));
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    // a.xz is two streams one after another, read as one (as xz -d does).
    EXPECT_EQ(Drain(**in), std::string(name) == "a.xz" ? content + content : content) << name;
  }
}

using testing::ArchiveKind;
using testing::ArchiveOf;

std::string ZipOf(const std::vector<std::pair<std::string, std::string>>& files) {
  return ArchiveOf(files, ArchiveKind::kZip);
}

TEST(IoTest, AZipOfOneFileReadsAsThatFile) {
  std::string content;
  for (int i = 0; i < 5000; ++i) content += "\"" + std::to_string(i) + "\",\"http://198.51.100.1/" + std::to_string(i) + "\"\n";
  auto in = OpenInputFromMemory("csv.zip", ZipOf({{"dump/", ""}, {"dump/csv.txt", content}}));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(Drain(**in), content);
}

// A damaged zip header for which libarchive sets no error message (found by
// fuzz_telemetry): the error must say so, not throw on the null pointer.
TEST(IoTest, ADamagedZipHeaderIsAnErrorNotACrash) {
  const std::string damaged(
      "PK\x03""\x04""arator \x5c""x09\x0a""#set_separat+r\x09"",\x0a""#empty_f"
      "ield\x09""(empty)\x0a""#unset_field\x09""-\x0a""#path\x09""conn\x0a""#f"
      "ields\x09""ts\x09""uid\x09""id.orig_h\x09""id.orig_p\x09""id.resp_h\x09"""
      "id.resp_p\x09""protoJ#types\x09""time\x09""string\x09""addr\x09""port\x09"""
      "addr\x09""port\x09""enum\x0a""3527253600.000000\x09""Cx1\x09""10.20.30."
      "55\x09""51515\x09""198.51.100.99\x09""443\x09""tcp\x0a""1763626801.0000"
      "00\x09""Cx2\x09""10.20.30.56\x0a""\x09""51516\x09""93.184.216.34\x09""4"
      "43\x09""tcp\x0a""",
      310);
  auto in = OpenInputFromMemory("damaged.zip", damaged);
  Status failure = in.status();
  if (in.ok()) failure = ReadAll(**in, 1 << 30).status();
  ASSERT_FALSE(failure.ok());
  EXPECT_NE(failure.message().find("damaged.zip"), std::string::npos) << failure.ToString();
}

TEST(IoTest, AZipOfSeveralFilesIsAnErrorSayingToUnpackIt) {
  auto in = OpenInputFromMemory("logs.zip", ZipOf({{"a.txt", "one\n"}, {"b.txt", "two\n"}}));
  Status failure = in.status();
  if (in.ok()) failure = ReadAll(**in, 1 << 30).status();
  ASSERT_FALSE(failure.ok());
  EXPECT_NE(failure.message().find("logs.zip"), std::string::npos) << failure.ToString();
  EXPECT_NE(failure.message().find("b.txt"), std::string::npos) << failure.ToString();
  EXPECT_NE(failure.message().find("unpack it"), std::string::npos) << failure.ToString();
}

TEST(IoTest, MissingFileIsNotFoundNamingThePath) {
  auto in = OpenInput("/nonexistent/feed.csv");
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().code(), Status::Code::kNotFound);
  EXPECT_NE(in.status().message().find("/nonexistent/feed.csv"), std::string::npos);
}

TEST(IoTest, TruncatedGzipIsAnErrorNotSilentEnd) {
  testing::TempDir dir;
  std::string content(200000, 'x');
  for (size_t i = 0; i < content.size(); i += 7) content[i] = static_cast<char>('a' + i % 26);
  testing::WriteFile(dir.Join("p"), content);
  ASSERT_EQ(std::system(("gzip -c " + dir.Join("p") + " > " + dir.Join("p.gz")).c_str()), 0);
  std::string gz = testing::ReadFile(dir.Join("p.gz"));
  // The error may surface when opening (libarchive reads ahead) or later.
  auto in = OpenInputFromMemory("cut.gz", gz.substr(0, gz.size() / 2));
  Status failure = in.status();
  if (in.ok()) failure = ReadAll(**in, 1 << 30).status();
  EXPECT_FALSE(failure.ok());
  EXPECT_NE(failure.message().find("cut.gz"), std::string::npos) << failure.ToString();
}

// A log cut short (copytruncate, a broken download) gives every line that
// decodes before the cut, then the error: not a silent end, and not the last
// block's lines dropped with it.
TEST(IoTest, TruncatedGzipZstdOrXzGivesEverythingBeforeTheCutThenAnError) {
  testing::TempDir dir;
  std::string content;
  for (int line = 0; line < 200000; ++line) content += "10.0." + std::to_string(line % 251) + ".1 line " + std::to_string(line) + "\n";
  testing::WriteFile(dir.Join("p"), content);
  for (const std::string tool : {"gzip", "zstd", "xz"}) {
    SCOPED_TRACE(tool);
    const std::string cut_name = "cut." + tool;
    ASSERT_EQ(std::system((tool + " -q -c " + dir.Join("p") + " > " + dir.Join("p.z")).c_str()), 0);
    std::string gz = testing::ReadFile(dir.Join("p.z"));
    auto in = OpenInputFromMemory(cut_name, gz.substr(0, gz.size() - 200));
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    std::string got;
    std::string buf(1 << 16, '\0');
    Status failure;
    for (;;) {
      Result<size_t> n = (*in)->Read(buf.data(), buf.size());
      if (!n.ok()) {
        failure = n.status();
        break;
      }
      if (*n == 0) break;
      got.append(buf.data(), *n);
    }
    EXPECT_FALSE(failure.ok());
    EXPECT_NE(failure.message().find(cut_name), std::string::npos) << failure.ToString();
    EXPECT_NE(failure.message().find("truncated"), std::string::npos) << failure.ToString();
    ASSERT_LE(got.size(), content.size());
    EXPECT_EQ(got, content.substr(0, got.size()));
    // At least what the tool itself recovers from the cut file (gunzip gives
    // all but about 1.2 KiB; a zstd block decodes only whole, up to 128 KiB).
    // libarchive's filter gave less: it dropped the last block it had
    // decoded too.
    testing::WriteFile(dir.Join("cut"), gz.substr(0, gz.size() - 200));
    ASSERT_NE(std::system((tool + " -q -d -c " + dir.Join("cut") + " > " + dir.Join("recovered") + " 2>/dev/null").c_str()), -1);
    EXPECT_GE(got.size(), testing::ReadFile(dir.Join("recovered")).size()) << "of " << content.size();
  }
}

// "first\n" and "second\n" compressed by `tool` one after the other into
// one file (as `cat a.gz b.gz` or logrotate's appends make them); its path.
std::string CompressedOneAfterAnother(testing::TempDir& dir, const std::string& tool, const std::string& name) {
  testing::WriteFile(dir.Join("a"), "first\n");
  testing::WriteFile(dir.Join("b"), "second\n");
  const std::string path = dir.Join(name);
  const std::string command =
      tool + " -q -c " + dir.Join("a") + " > " + path + " && " + tool + " -q -c " + dir.Join("b") + " >> " + path;
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return path;
}

TEST(IoTest, ConcatenatedZstdFramesReadAsOneStreamAndGarbageAfterThemIsAnError) {
  testing::TempDir dir;
  auto in = OpenInput(CompressedOneAfterAnother(dir, "zstd", "ab.zst"));
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(Drain(**in), "first\nsecond\n");
  auto garbage = OpenInputFromMemory("bad.zst", testing::ReadFile(dir.Join("ab.zst")) + "not zstd");
  ASSERT_TRUE(garbage.ok());
  auto all = ReadAll(**garbage, 1 << 20);
  ASSERT_FALSE(all.ok());
  EXPECT_NE(all.status().message().find("bad.zst"), std::string::npos) << all.status().ToString();
}

TEST(IoTest, ConcatenatedGzipMembersReadAsOneStreamAndTrailingNulsAreIgnored) {
  testing::TempDir dir;
  std::string gz = testing::ReadFile(CompressedOneAfterAnother(dir, "gzip", "ab.gz"));
  auto in = OpenInputFromMemory("ab.gz", gz + std::string(64, '\0'));
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(Drain(**in), "first\nsecond\n");
  auto corrupt = OpenInputFromMemory("bad.gz", gz.substr(0, 10) + std::string(40, '\xff'));
  Status failure = corrupt.status();
  if (corrupt.ok()) failure = ReadAll(**corrupt, 1 << 20).status();
  EXPECT_NE(failure.message().find("bad.gz"), std::string::npos) << failure.ToString();
}

// A reader that batches work (the matcher's store writes) finishes it when
// the input goes quiet: a pipe that stays empty says so, through the
// decoders' layers; one with bytes, one at its end and a file do not.
TEST(IoTest, OnlyAPipeThatStaysEmptyIsQuiet) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "hello world\n", 12), 12);
  auto in = OpenInput("/proc/self/fd/" + std::to_string(fds[0]));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  std::string read;
  char buf[64];
  while (read.size() < 12) {
    auto n = (*in)->Read(buf, sizeof buf);
    ASSERT_TRUE(n.ok() && *n > 0);
    read.append(buf, *n);
    if (read.size() < 12) {
      EXPECT_FALSE((*in)->QuietFor(0)) << "bytes are still in the pipe";
    }
  }
  EXPECT_EQ(read, "hello world\n");
  EXPECT_TRUE((*in)->QuietFor(0));
  EXPECT_TRUE((*in)->QuietFor(20)) << "nothing came within 20 ms";
  ASSERT_EQ(::write(fds[1], "more\n", 5), 5);
  EXPECT_FALSE((*in)->QuietFor(60000)) << "bytes ready: no wait";
  auto n = (*in)->Read(buf, sizeof buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "more\n");
  EXPECT_TRUE((*in)->QuietFor(0));
  ::close(fds[1]);
  EXPECT_FALSE((*in)->QuietFor(60000)) << "a closed pipe ends at once";
  ::close(fds[0]);

  testing::TempDir dir;
  testing::WriteFile(dir.Join("log"), "a\n");
  auto file = OpenInput(dir.Join("log"));
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(Drain(**file), "a\n");
  EXPECT_FALSE((*file)->QuietFor(0));
  auto memory = OpenInputFromMemory("body", "a\n");
  ASSERT_TRUE(memory.ok());
  EXPECT_FALSE((*memory)->QuietFor(0));
}

// `accord match <(zcat log.gz)` or a FIFO: deciding whether the path is an
// archive of files must not read from it, or the bytes it read are lost to
// the reader that opens it next.
TEST(IoTest, AFifoIsNoArchiveAndLosesNoByteToTheLook) {
  testing::TempDir dir;
  const std::string fifo = dir.Join("sensor.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int both = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);  // never blocks, on Linux
  ASSERT_GE(both, 0);
  ASSERT_EQ(::write(both, "first line\n", 11), 11);
  EXPECT_FALSE(IsArchiveOfFiles(fifo));
  char buf[32];
  EXPECT_EQ(::read(both, buf, sizeof buf), 11) << "the look read from the FIFO";
  ::close(both);
}

TEST(IoTest, EmptyInputReadsAsEmpty) {
  auto in = OpenInputFromMemory("empty", "");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(Drain(**in), "");
}

// UTF-16 of `code_points`, with its byte-order mark.
std::string Utf16(const std::vector<char32_t>& code_points, bool little_endian) {
  std::string out;
  auto unit = [&](uint16_t u) {
    const char high = static_cast<char>(u >> 8), low = static_cast<char>(u & 0xFF);
    out += little_endian ? std::string{low, high} : std::string{high, low};
  };
  unit(0xFEFF);
  for (char32_t c : code_points) {
    if (c >= 0x10000) {
      unit(static_cast<uint16_t>(0xD800 + ((c - 0x10000) >> 10)));
      unit(static_cast<uint16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    } else {
      unit(static_cast<uint16_t>(c));
    }
  }
  return out;
}

// Excel's "Unicode Text" and Windows tools write UTF-16 with a byte-order
// mark: read as the UTF-8 text it is, across every chunk boundary (an emoji
// is two UTF-16 units, which a chunk may cut between).
TEST(IoTest, Utf16WithAByteOrderMarkReadsAsUtf8) {
  std::vector<char32_t> text;
  std::string expected;
  for (int line = 0; line < 20000; ++line) {
    for (char32_t c : std::u32string(U"caf\u00e9\t198.51.100.7\t\U0001F600\n")) text.push_back(c);
    expected += "caf\xc3\xa9\t198.51.100.7\t\xf0\x9f\x98\x80\n";
  }
  for (bool little_endian : {true, false}) {
    auto in = OpenInputFromMemory("excel.txt", Utf16(text, little_endian));
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(Drain(**in), expected) << little_endian;
  }
  // A reader asking for one byte at a time (the importer's 64 KiB head ends
  // so) gets the same text, a multi-byte character split across its calls.
  auto in = OpenInputFromMemory("excel.txt", Utf16(text, true));
  ASSERT_TRUE(in.ok());
  std::string got;
  char byte = 0;
  for (;;) {
    Result<size_t> n = (*in)->Read(&byte, 1);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (*n == 0) break;
    got.push_back(byte);
  }
  EXPECT_EQ(got, expected);
}

// A UTF-16 export compressed for mail or storage reads as the same text.
TEST(IoTest, CompressedUtf16ReadsAsUtf8) {
  testing::TempDir dir;
  const std::string text = "caf\xc3\xa9,198.51.100.7\n";
  testing::WriteFile(dir.Join("u16.txt"), Utf16({U'c', U'a', U'f', U'\u00e9', U',', U'1', U'9', U'8', U'.', U'5',
                                                  U'1', U'.', U'1', U'0', U'0', U'.', U'7', U'\n'},
                                                 true));
  for (const std::string tool : {"gzip", "zstd", "xz"}) {
    const std::string packed = dir.Join("u16." + tool);
    ASSERT_EQ(std::system((tool + " -q -c " + dir.Join("u16.txt") + " > " + packed).c_str()), 0) << tool;
    auto in = OpenInput(packed);
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    EXPECT_EQ(Drain(**in), text) << tool;
  }
  auto zipped = OpenInputFromMemory("u16.zip", ZipOf({{"u16.txt", testing::ReadFile(dir.Join("u16.txt"))}}));
  ASSERT_TRUE(zipped.ok());
  EXPECT_EQ(Drain(**zipped), text);
}

TEST(IoTest, BrokenUtf16IsAnErrorNamingTheFileAndByte) {
  std::string odd = Utf16({U'a', U'b'}, true) + "x";  // half a unit at the end
  std::string lone = Utf16({U'a'}, true) + std::string("\x00\xDC", 2) + Utf16({U'b'}, true).substr(2);
  for (const std::string& bytes : {odd, lone}) {
    auto in = OpenInputFromMemory("excel.txt", bytes);
    ASSERT_TRUE(in.ok());
    auto all = ReadAll(**in, 1 << 20);
    ASSERT_FALSE(all.ok());
    EXPECT_NE(all.status().message().find("excel.txt"), std::string::npos) << all.status().ToString();
    EXPECT_NE(all.status().message().find("UTF-16"), std::string::npos) << all.status().ToString();
  }
}

// A stream that hands out a few bytes per call, as a pipe may.
class TrickleStream final : public InputStream {
 public:
  explicit TrickleStream(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t max) override {
    size_t n = std::min({max, data_.size() - pos_, size_t{3}});
    std::copy_n(data_.data() + pos_, n, buf);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t compressed_offset() const override { return pos_; }
  uint64_t compressed_size() const override { return data_.size(); }

 private:
  std::string data_;
  std::string name_ = "trickle";
  size_t pos_ = 0;
};

TEST(ArchiveTest, TarsSevenZipsAndZipsOfSeveralFilesAreArchivesOfFiles) {
  testing::TempDir dir;
  const std::vector<std::pair<std::string, std::string>> two = {{"a.txt", "1.2.3.4\n"}, {"b.txt", "5.6.7.8\n"}};
  testing::WriteFile(dir.Join("two.tar"), ArchiveOf(two, ArchiveKind::kTar));
  testing::WriteFile(dir.Join("one.tar.gz"), ArchiveOf({{"a.txt", "1.2.3.4\n"}}, ArchiveKind::kTarGz));
  testing::WriteFile(dir.Join("two.zip"), ArchiveOf(two, ArchiveKind::kZip));
  testing::WriteFile(dir.Join("one.zip"), ArchiveOf({{"d/", ""}, {"d/a.txt", "x\n"}}, ArchiveKind::kZip));
  testing::WriteFile(dir.Join("plain.txt"), "1.2.3.4\nevil.example\n");
  testing::WriteFile(dir.Join("empty"), "");
  ASSERT_EQ(std::system(("gzip -k -c " + dir.Join("plain.txt") + " > " + dir.Join("plain.gz")).c_str()), 0);
  EXPECT_TRUE(IsArchiveOfFiles(dir.Join("two.tar")));
  EXPECT_TRUE(IsArchiveOfFiles(dir.Join("one.tar.gz")));  // a tar is never one stream
  EXPECT_TRUE(IsArchiveOfFiles(dir.Join("two.zip")));
  EXPECT_FALSE(IsArchiveOfFiles(dir.Join("one.zip")));  // OpenInput reads it as its file
  EXPECT_FALSE(IsArchiveOfFiles(dir.Join("plain.txt")));
  EXPECT_FALSE(IsArchiveOfFiles(dir.Join("plain.gz")));
  EXPECT_FALSE(IsArchiveOfFiles(dir.Join("empty")));
  EXPECT_FALSE(IsArchiveOfFiles(dir.Join("missing")));
  EXPECT_FALSE(IsArchiveOfFiles("-"));
  // cpio's magic is six ASCII digits: a hash list may start with them.
  testing::WriteFile(dir.Join("md5.txt"), "070701c7a1b2c3d4e5f60718293a4b5c\n0707070000000000000000000000abcd\n");
  EXPECT_FALSE(IsArchiveOfFiles(dir.Join("md5.txt")));
}

TEST(ArchiveTest, EachFileOfATarGzIsHandedOverInOrderNamedAfterTheArchive) {
  testing::TempDir dir;
  std::string gz_member;
  testing::WriteFile(dir.Join("c.txt"), "sha\n");
  ASSERT_EQ(std::system(("gzip -c " + dir.Join("c.txt") + " > " + dir.Join("c.txt.gz")).c_str()), 0);
  gz_member = testing::ReadFile(dir.Join("c.txt.gz"));
  testing::WriteFile(dir.Join("feeds.tar.gz"),
                     ArchiveOf({{"feeds/", ""},
                                {"feeds/a.txt", "1.2.3.4\n"},
                                {"__MACOSX/feeds/._a.txt", "resource fork"},
                                {"feeds/._b.txt", "resource fork"},
                                {"feeds/b.csv", "value\nevil.example\n"},
                                {"feeds/c.txt.gz", gz_member}},
                               ArchiveKind::kTarGz));
  std::vector<std::pair<std::string, std::string>> seen;
  auto handed = ForEachArchiveMember(dir.Join("feeds.tar.gz"), [&](InputStream& member) {
    seen.emplace_back(member.name(), Drain(member));
    return Status::Ok();
  });
  ASSERT_TRUE(handed.ok()) << handed.status().ToString();
  EXPECT_EQ(*handed, 3);
  const std::string base = dir.Join("feeds.tar.gz");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_pair(base + "/feeds/a.txt", std::string("1.2.3.4\n")));
  EXPECT_EQ(seen[1], std::make_pair(base + "/feeds/b.csv", std::string("value\nevil.example\n")));
  EXPECT_EQ(seen[2], std::make_pair(base + "/feeds/c.txt.gz", std::string("sha\n")));  // decompressed
}

// A zip whose names are flagged UTF-8 (7-Zip, WinRAR and Python write
// accented names so) was "cannot decompress: Pathname cannot be converted
// from UTF-8 to current locale" in the C locale; a zip of one such file too.
TEST(ArchiveTest, AZipsUtf8NamesAreReadWhateverTheLocale) {
  testing::TempDir dir;
  {
    const Utf8ArchiveNames writing;  // so the writer flags the names UTF-8
    testing::WriteFile(dir.Join("feeds.zip"),
                       ArchiveOf({{"flux-é.txt", "1.2.3.4\n"}, {"списки.txt", "5.6.7.8\n"}}, ArchiveKind::kZip));
    testing::WriteFile(dir.Join("one.zip"), ArchiveOf({{"flux-é.txt", "1.2.3.4\n"}}, ArchiveKind::kZip));
  }
  ASSERT_EQ(testing::ReadFile(dir.Join("feeds.zip"))[7] & 0x08, 0x08) << "the zip does not flag its names UTF-8";
  ASSERT_TRUE(IsArchiveOfFiles(dir.Join("feeds.zip")));
  std::vector<std::string> names;
  auto handed = ForEachArchiveMember(dir.Join("feeds.zip"), [&](InputStream& member) {
    names.push_back(member.name());
    return Status::Ok();
  });
  ASSERT_TRUE(handed.ok()) << handed.status().ToString();
  EXPECT_EQ(names, (std::vector<std::string>{dir.Join("feeds.zip") + "/flux-é.txt",
                                             dir.Join("feeds.zip") + "/списки.txt"}));
  auto one = OpenInput(dir.Join("one.zip"));
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(Drain(**one), "1.2.3.4\n");
}

// "tar -C dir ." writes its files as "./a.txt": the member is named as if
// the archive held "a.txt".
TEST(ArchiveTest, AMembersLeadingDotSlashIsNotPartOfItsName) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("dot.tar"), ArchiveOf({{"./a.txt", "1.2.3.4\n"}, {"././b/c.txt", "x\n"}},
                                                     ArchiveKind::kTar));
  std::vector<std::string> names;
  auto handed = ForEachArchiveMember(dir.Join("dot.tar"), [&](InputStream& member) {
    names.push_back(member.name());
    return Status::Ok();
  });
  ASSERT_TRUE(handed.ok()) << handed.status().ToString();
  EXPECT_EQ(names, (std::vector<std::string>{dir.Join("dot.tar") + "/a.txt", dir.Join("dot.tar") + "/b/c.txt"}));
}

// A member that cannot be read (a corrupt gzip, a tar inside the tar) is
// the caller's to report from its reads; the walk hands every member on
// (`accord import` names the bad file and goes on with the others).
TEST(ArchiveTest, AnUnreadableMemberFailsItsOwnReadsAndTheWalkGoesOn) {
  testing::TempDir dir;
  const std::string nested = ArchiveOf({{"x.txt", "1.2.3.4\n"}}, ArchiveKind::kTarGz);
  testing::WriteFile(dir.Join("outer.tar"),
                     ArchiveOf({{"a.txt", "a\n"},
                                {"z.tar.gz", nested},
                                {"bad.gz", std::string("\x1f\x8b\x08\x00", 4) + std::string(40, '\xff')},
                                {"b.txt", "b\n"}},
                               ArchiveKind::kTar));
  std::vector<std::pair<std::string, bool>> seen;  // base name, read to the end
  auto handed = ForEachArchiveMember(dir.Join("outer.tar"), [&](InputStream& member) {
    const std::string name = member.name().substr(member.name().rfind('/') + 1);
    seen.emplace_back(name, ReadAll(member, 1 << 20).ok());
    return Status::Ok();
  });
  ASSERT_TRUE(handed.ok()) << handed.status().ToString();
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, bool>>{
                      {"a.txt", true}, {"z.tar.gz", false}, {"bad.gz", false}, {"b.txt", true}}));
}

TEST(ArchiveTest, MembersTakeTheDisplayNameAndAnErrorFromTheCallerStopsTheWalk) {
  testing::TempDir dir;
  testing::WriteFile(dir.Join("x.zip"), ArchiveOf({{"a.txt", "a\n"}, {"b.txt", "b\n"}}, ArchiveKind::kZip));
  std::vector<std::string> names;
  auto handed = ForEachArchiveMember(
      dir.Join("x.zip"),
      [&](InputStream& member) {
        names.push_back(member.name());
        return Status::Invalid("stop here");
      },
      "https://feeds.example/x.zip");
  ASSERT_FALSE(handed.ok());
  EXPECT_EQ(handed.status().message(), "stop here");
  EXPECT_EQ(names, std::vector<std::string>{"https://feeds.example/x.zip/a.txt"});
}

TEST(ArchiveTest, ADamagedTarGzIsAnErrorNamingTheArchive) {
  testing::TempDir dir;
  // Incompressible, so the cut falls inside this file's data.
  std::string content;
  uint64_t state = 88172645463325252ULL;
  for (int i = 0; i < 200000; ++i) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    content.push_back(static_cast<char>('a' + state % 26));
  }
  std::string whole = ArchiveOf({{"a.txt", "1.2.3.4\n"}, {"big.txt", content}, {"c.txt", "c\n"}},
                                ArchiveKind::kTarGz);
  testing::WriteFile(dir.Join("cut.tar.gz"), whole.substr(0, whole.size() / 2));
  ASSERT_TRUE(IsArchiveOfFiles(dir.Join("cut.tar.gz")));
  Status failure;
  auto handed = ForEachArchiveMember(dir.Join("cut.tar.gz"), [&](InputStream& member) {
    auto all = ReadAll(member, 1 << 30);
    if (!all.ok()) failure = all.status();
    return all.status();
  });
  if (handed.ok()) handed = failure.ok() ? handed : Result<int64_t>(failure);
  ASSERT_FALSE(handed.ok());
  EXPECT_NE(handed.status().message().find("cut.tar.gz"), std::string::npos) << handed.status().ToString();
}

TEST(ArchiveTest, ATarReadAsOneStreamIsRefusedNotReadAsText) {
  const std::vector<std::pair<std::string, std::string>> files = {{"a.txt", "1.2.3.4\n"}, {"b.txt", "5.6.7.8\n"}};
  for (ArchiveKind kind : {ArchiveKind::kTar, ArchiveKind::kTarGz}) {
    auto in = OpenInputFromMemory("body", ArchiveOf(files, kind));
    Status failure = in.status();
    if (in.ok()) failure = ReadAll(**in, 1 << 30).status();
    ASSERT_FALSE(failure.ok());
    EXPECT_NE(failure.message().find("body: is a tar archive"), std::string::npos) << failure.ToString();
  }
}

TEST(LineReaderTest, SplitsLinesAcrossTinyReadsAndCrLf) {
  TrickleStream in("alpha\r\nbeta\n\ngamma");
  LineReader reader(in);
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.Next(line)) lines.emplace_back(line);
  EXPECT_TRUE(reader.status().ok());
  EXPECT_EQ(lines, (std::vector<std::string>{"alpha", "beta", "", "gamma"}));
  EXPECT_EQ(reader.line_number(), 4u);
}

TEST(LineReaderTest, OverlongLineIsAnErrorWithItsNumber) {
  TrickleStream in("ok\n" + std::string(5000, 'a') + "\n");
  LineReader reader(in, 1000);
  std::string_view line;
  EXPECT_TRUE(reader.Next(line));
  EXPECT_FALSE(reader.Next(line));
  EXPECT_FALSE(reader.status().ok());
  EXPECT_NE(reader.status().message().find("trickle:2"), std::string::npos);
}

TEST(LineReaderTest, ManyLinesLargerThanTheBuffer) {
  std::string content;
  for (int i = 0; i < 100000; ++i) content += std::to_string(i) + "\n";
  auto in = OpenInputFromMemory("many", content);
  ASSERT_TRUE(in.ok());
  LineReader reader(**in);
  std::string_view line;
  int count = 0;
  while (reader.Next(line)) {
    ASSERT_EQ(line, std::to_string(count));
    ++count;
  }
  EXPECT_EQ(count, 100000);
}

}  // namespace
}  // namespace accord
