// libFuzzer target: the stealer-log parsers. The first byte picks what the
// rest is: 0-127 a machine folder (split at NUL bytes into its system-info,
// passwords, cookie and autofill files, tried under every family's file
// names), 128-255 an archive handed to the folder-and-archive walker with
// tight limits. Nothing may crash, hang or leak a password in clear.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "stealer/source.h"
#include "stealer/stealer.h"

namespace {

std::string_view Part(std::string_view bytes, size_t index) {
  for (size_t i = 0; i < index; ++i) {
    const size_t nul = bytes.find('\0');
    if (nul == std::string_view::npos) return {};
    bytes.remove_prefix(nul + 1);
  }
  return bytes.substr(0, bytes.find('\0'));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  namespace stealer = accord::stealer;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] < 128) {
    static const char* kInfo[] = {"UserInformation.txt", "information.txt", "System.txt",
                                  "System Info.txt", "system_info.txt"};
    static const char* kPasswords[] = {"Passwords.txt", "passwords.txt", "All Passwords.txt"};
    stealer::MachineFiles files;
    files[kInfo[data[0] % 5]] = std::string(Part(bytes, 0));
    files[kPasswords[data[0] % 3]] = std::string(Part(bytes, 1));
    files["Cookies/Chrome_Default.txt"] = std::string(Part(bytes, 2));
    files["Autofills/Chrome_Default.txt"] = std::string(Part(bytes, 3));
    auto log = stealer::ParseMachine("US[FUZZ] [2024-01-01T00_00_00+00_00]", files);
    if (log.ok()) {
      for (const auto& credential : log->credentials) {
        // A digest is 40 upper-case hex digits or nothing.
        if (!credential.password_sha1.empty() && credential.password_sha1.size() != 40) __builtin_trap();
      }
    }
    (void)stealer::DecodeText(bytes);
    (void)stealer::RegistrableDomain(Part(bytes, 1));
    return 0;
  }
  const std::string path = "/tmp/fuzz_stealer_" + std::to_string(getpid()) + ".zip";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  stealer::SourceOptions options;
  options.limits.max_file_bytes = 1 << 20;
  options.limits.max_archive_bytes = 8 << 20;
  options.limits.max_nested_bytes = 1 << 20;
  options.limits.max_depth = 2;
  (void)stealer::ForEachMachine(
      path, options,
      [](const std::string& machine, const stealer::MachineFiles& files) {
        (void)stealer::ParseMachine(machine, files);
        return accord::Status::Ok();
      },
      [](const stealer::SourceProblem&) {});
  unlink(path.c_str());
  return 0;
}
