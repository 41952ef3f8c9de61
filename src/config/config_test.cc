// Configuration files read into settings: TOML and YAML, at the top and in
// the command's table, and every malformed file answered with an error
// naming the file and line (and the key where there is one).
#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace accord::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// "key=v1|v2@line" for each setting, in order.
std::vector<std::string> Flat(const Result<std::vector<Setting>>& settings) {
  EXPECT_TRUE(settings.ok()) << settings.status().ToString();
  std::vector<std::string> out;
  if (!settings.ok()) return out;
  for (const Setting& setting : *settings) {
    std::string values;
    for (const std::string& value : setting.values) values += (values.empty() ? "" : "|") + value;
    out.push_back(setting.key + "=" + values + "@" + std::to_string(setting.line));
  }
  return out;
}

std::string Error(const Result<std::vector<Setting>>& settings) {
  EXPECT_FALSE(settings.ok()) << "accepted";
  return settings.ok() ? "" : settings.status().message();
}

TEST(ConfigTest, TheFormatFollowsTheFileName) {
  EXPECT_EQ(FormatOf("/etc/accord/accord.yaml"), Format::kYaml);
  EXPECT_EQ(FormatOf("ACCORD.YML"), Format::kYaml);
  EXPECT_EQ(FormatOf("accord.toml"), Format::kToml);
  EXPECT_EQ(FormatOf("accord.conf"), Format::kToml);
}

TEST(ConfigTest, TomlSettingsAtTheTopAndInTheCommandsTableWithTheirLines) {
  const std::string text =
      "# a node\n"
      "data = \"/var/lib/accord\"\n"
      "\n"
      "[serve]\n"
      "listen = \"127.0.0.1:8470\"\n"
      "max_body_mb = 64\n"
      "access-log = false\n"
      "geoip = [\"tor:/usr/share/tor/geoip\", 'other.mmdb']\n";
  EXPECT_THAT(Flat(ReadSettings(text, Format::kToml, "--config a.toml", "serve")),
              ElementsAre("data=/var/lib/accord@2", "listen=127.0.0.1:8470@5", "max_body_mb=64@6",
                          "access-log=false@7", "geoip=tor:/usr/share/tor/geoip|other.mmdb@8"));
  EXPECT_THAT(Flat(ReadSettings("", Format::kToml, "x", "serve")), ElementsAre());
}

TEST(ConfigTest, YamlSettingsAtTheTopAndInTheCommandsMappingWithTheirLines) {
  const std::string text =
      "# a node\n"
      "data: /var/lib/accord\n"
      "serve:\n"
      "  listen: \"127.0.0.1:8470\"\n"
      "  max_body_mb: 64\n"
      "  access-log: false\n"
      "  geoip:\n"
      "    - tor:/usr/share/tor/geoip\n"
      "    - other.mmdb\n"
      "  public_url: https://accord.example.org/\n";
  EXPECT_THAT(Flat(ReadSettings(text, Format::kYaml, "--config a.yaml", "serve")),
              ElementsAre("data=/var/lib/accord@2", "listen=127.0.0.1:8470@4", "max_body_mb=64@5",
                          "access-log=false@6", "geoip=tor:/usr/share/tor/geoip|other.mmdb@7",
                          "public_url=https://accord.example.org/@10"));
  EXPECT_THAT(Flat(ReadSettings("threads: 3\ngeoip: [a.mmdb, b.mmdb]\n", Format::kYaml, "x", "serve")),
              ElementsAre("threads=3@1", "geoip=a.mmdb|b.mmdb@2"));
  EXPECT_THAT(Flat(ReadSettings("# nothing yet\n", Format::kYaml, "x", "serve")), ElementsAre());
}

TEST(ConfigTest, MalformedTomlIsRefusedNamingTheFileAndLine) {
  const auto read = [](const std::string& text) { return ReadSettings(text, Format::kToml, "--config a.toml", "serve"); };
  EXPECT_THAT(Error(read("threads = 3\nlisten = \"127.0.0.1:8470\n")), HasSubstr("--config a.toml:2:"));
  // A value that is not one (CLI11's own reader took it as text).
  EXPECT_THAT(Error(read("listen = 127.0.0.1:8470\n")), HasSubstr("--config a.toml:1:"));
  EXPECT_THAT(Error(read("threads = \n")), HasSubstr("--config a.toml:1:"));
  EXPECT_THAT(Error(read("threads = 3\nthreads = 4\n")), HasSubstr("--config a.toml:2:"));
  EXPECT_THAT(Error(read("[server]\nthreads = 3\n")), HasSubstr("--config a.toml:1: unknown table [server]"));
  EXPECT_THAT(Error(read("[serve.tls]\ncert = \"c.pem\"\n")), HasSubstr("unknown table [serve.tls]"));
  EXPECT_THAT(Error(read("[[serve_list]]\nx = 1\n")), HasSubstr("unknown table [[serve_list]]"));
  EXPECT_THAT(Error(read("geoip = [[\"a\"]]\n")), HasSubstr("--config a.toml:1: geoip: a list inside a list"));
  EXPECT_THAT(Error(read("listen = 2026-01-01\n")), HasSubstr("--config a.toml:1: listen: a date or time"));
  EXPECT_THAT(Error(read(std::string("a = \"\xff\"\n"))), HasSubstr("--config a.toml:1:"));
  EXPECT_THAT(Error(read(std::string((1 << 20) + 1, '#'))), HasSubstr("larger than 1 MiB"));
}

TEST(ConfigTest, MalformedYamlIsRefusedNamingTheFileAndLine) {
  const auto read = [](const std::string& text) { return ReadSettings(text, Format::kYaml, "--config a.yaml", "serve"); };
  EXPECT_THAT(Error(read("threads: 3\nlisten: \"127.0.0.1:8470\n")), HasSubstr("--config a.yaml:"));
  EXPECT_THAT(Error(read("threads: 3\nthreads: 4\n")), HasSubstr("--config a.yaml:2: threads: given twice"));
  EXPECT_THAT(Error(read("serve:\n  threads: 3\n  threads: 4\n")), HasSubstr("--config a.yaml:3: threads: given twice"));
  EXPECT_THAT(Error(read("server:\n  threads: 3\n")), HasSubstr("--config a.yaml:1: unknown mapping 'server'"));
  EXPECT_THAT(Error(read("serve:\n  threads: 3\nserve:\n  listen: x\n")), HasSubstr("--config a.yaml:3: serve: given twice"));
  EXPECT_THAT(Error(read("serve:\n  tls:\n    cert: c.pem\n")), HasSubstr("--config a.yaml:2: unknown mapping 'serve.tls'"));
  EXPECT_THAT(Error(read("threads:\n")), HasSubstr("--config a.yaml:1: threads: no value"));
  EXPECT_THAT(Error(read("geoip:\n  - [a, b]\n")), HasSubstr("--config a.yaml:2: geoip: a list inside a list"));
  EXPECT_THAT(Error(read("- threads\n- 3\n")), HasSubstr("--config a.yaml:1: expected `key: value` lines"));
  EXPECT_THAT(Error(read("threads: 3\n---\nthreads: 4\n")), HasSubstr("more than one YAML document"));
  EXPECT_THAT(Error(read("listen: [a, b\n")), HasSubstr("--config a.yaml:"));
  EXPECT_THAT(Error(read("? [a, b]\n: c\n")), HasSubstr("a key must be a name"));
  // Nesting deep enough to exhaust a recursive parser's stack.
  EXPECT_THAT(Error(read("geoip: " + std::string(100000, '['))), HasSubstr("--config a.yaml:"));
}

}  // namespace
}  // namespace accord::config
