// Cryptocurrency wallet addresses (docs/NORMALIZATION.md, "Wallets"):
// Bitcoin base58 and bech32/bech32m, Ethereum, Monero.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/observable.h"
#include "core/observable_internal.h"

namespace accord::observable_internal {
namespace {

constexpr std::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::string_view kBech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32Constant = 1;            // BIP 173, witness version 0
constexpr uint32_t kBech32mConstant = 0x2bc830a3;  // BIP 350, versions 1..16
constexpr size_t kMoneroAddressChars = 95;

Status CheckBase58(std::string_view address, std::string_view what) {
  for (size_t pos = 0; pos < address.size(); ++pos) {
    if (kBase58Alphabet.find(address[pos]) == std::string_view::npos) {
      return Status::Invalid(std::string(what) + " character " + Quote(address.substr(pos, 1)) +
                             " at position " + std::to_string(pos) +
                             " is not in the base58 alphabet");
    }
  }
  return Status::Ok();
}

uint32_t Bech32Polymod(const std::vector<uint8_t>& values) {
  static constexpr std::array<uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa,
                                                         0x3d4233dd, 0x2a1462b3};
  uint32_t checksum = 1;
  for (uint8_t value : values) {
    uint32_t top = checksum >> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (size_t bit = 0; bit < kGenerator.size(); ++bit) {
      if ((top >> bit) & 1) checksum ^= kGenerator[bit];
    }
  }
  return checksum;
}

// BIP 173 / BIP 350. The checksum is verified: a single mistyped character
// in a segwit address is always caught, so a wrong one is rejected rather
// than stored as a distinct wallet.
Result<Observable> NormalizeBech32(std::string_view address) {
  bool has_lower = false;
  bool has_upper = false;
  for (char c : address) {
    has_lower = has_lower || (c >= 'a' && c <= 'z');
    has_upper = has_upper || (c >= 'A' && c <= 'Z');
  }
  if (has_lower && has_upper) {
    return Status::Invalid("bech32 address " + Quote(address) + " mixes upper and lower case");
  }
  std::string lower = AsciiLowerCopy(address);
  if (lower.size() < 14 || lower.size() > 90) {
    return Status::Invalid("bech32 address must be 14 to 90 characters, got " +
                           std::to_string(lower.size()));
  }
  std::string_view hrp = "bc";
  std::vector<uint8_t> values;
  for (char c : hrp) values.push_back(static_cast<uint8_t>(c >> 5));
  values.push_back(0);
  for (char c : hrp) values.push_back(static_cast<uint8_t>(c & 31));
  std::string_view data = std::string_view(lower).substr(3);
  for (size_t pos = 0; pos < data.size(); ++pos) {
    size_t value = kBech32Charset.find(data[pos]);
    if (value == std::string_view::npos) {
      return Status::Invalid("bech32 address character " + Quote(data.substr(pos, 1)) +
                             " is not in the bech32 alphabet");
    }
    values.push_back(static_cast<uint8_t>(value));
  }
  uint8_t witness_version = values[hrp.size() * 2 + 1];
  if (witness_version > 16) {
    return Status::Invalid("bech32 address has witness version " + std::to_string(witness_version) +
                           " (expected 0..16)");
  }
  uint32_t expected = witness_version == 0 ? kBech32Constant : kBech32mConstant;
  if (Bech32Polymod(values) != expected) {
    return Status::Invalid("bech32 address " + Quote(address) + " has a wrong checksum");
  }
  return Observable{ObservableType::kWallet, lower};
}

}  // namespace

Result<Observable> NormalizeWallet(std::string_view text) {
  if (text.substr(0, 2) == "0x" || text.substr(0, 2) == "0X") {
    std::string_view digits = text.substr(2);
    if (digits.size() != 40) {
      return Status::Invalid("Ethereum address must be 0x and 40 hex digits, got " +
                             std::to_string(digits.size()));
    }
    for (size_t pos = 0; pos < digits.size(); ++pos) {
      if (!IsHexDigit(digits[pos])) {
        return Status::Invalid("Ethereum address has non-hex character " +
                               Quote(digits.substr(pos, 1)) + " at position " +
                               std::to_string(pos + 2));
      }
    }
    // The EIP-55 mixed-case checksum is presentation; the address is the
    // 20 bytes, so it is stored lower-case.
    return Observable{ObservableType::kWallet, AsciiLowerCopy(text)};
  }
  if (AsciiLowerCopy(text.substr(0, 3)) == "bc1") return NormalizeBech32(text);
  if (!text.empty() && (text[0] == '1' || text[0] == '3')) {
    if (text.size() < 26 || text.size() > 35) {
      return Status::Invalid("Bitcoin address must be 26 to 35 characters, got " +
                             std::to_string(text.size()));
    }
    RETURN_IF_ERROR(CheckBase58(text, "Bitcoin address"));
    return Observable{ObservableType::kWallet, std::string(text)};
  }
  if (!text.empty() && (text[0] == '4' || text[0] == '8')) {
    if (text.size() != kMoneroAddressChars) {
      return Status::Invalid("Monero address must be 95 characters, got " +
                             std::to_string(text.size()));
    }
    RETURN_IF_ERROR(CheckBase58(text, "Monero address"));
    return Observable{ObservableType::kWallet, std::string(text)};
  }
  return Status::Invalid(Quote(text) +
                         " is not a wallet address (Bitcoin 1/3/bc1, Ethereum 0x, Monero 4/8)");
}

}  // namespace accord::observable_internal
