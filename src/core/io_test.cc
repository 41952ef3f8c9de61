#include "core/io.h"

#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "testing/testing.h"

namespace accord {
namespace {

std::string Drain(InputStream& in) {
  auto all = ReadAll(in, 1 << 30);
  EXPECT_TRUE(all.ok()) << all.status().ToString();
  return all.ok() ? *all : "";
}

TEST(IoTest, ReadsPlainGzipAndZstdFilesAlike) {
  testing::TempDir dir;
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
  testing::WriteFile(dir.Join("plain.txt"), content);
  ASSERT_EQ(std::system(("gzip -k -c " + dir.Join("plain.txt") + " > " + dir.Join("a.gz")).c_str()), 0);
  ASSERT_EQ(std::system(("zstd -q -c " + dir.Join("plain.txt") + " > " + dir.Join("a.zst")).c_str()), 0);
  for (const char* name : {"plain.txt", "a.gz", "a.zst"}) {
    auto in = OpenInput(dir.Join(name));
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    EXPECT_EQ(Drain(**in), content) << name;
  }
}

// A zip written with libarchive, as the tests cannot count on a zip tool.
std::string ZipOf(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string bytes;
  struct archive* zip = archive_write_new();
  archive_write_set_format_zip(zip);
  archive_write_open(
      zip, &bytes, nullptr,
      [](struct archive*, void* out, const void* data, size_t size) -> la_ssize_t {
        static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
        return static_cast<la_ssize_t>(size);
      },
      nullptr);
  for (const auto& [name, content] : files) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, name.ends_with("/") ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_write_header(zip, entry);
    archive_write_data(zip, content.data(), content.size());
    archive_entry_free(entry);
  }
  archive_write_close(zip);
  archive_write_free(zip);
  return bytes;
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

TEST(IoTest, EmptyInputReadsAsEmpty) {
  auto in = OpenInputFromMemory("empty", "");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(Drain(**in), "");
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
