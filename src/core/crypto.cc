#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>

namespace accord {

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

std::string Sha1Hex(std::string_view data) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::array<uint8_t, 32> Sha256(std::string_view data) {
  std::array<uint8_t, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return digest;
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &size) == nullptr) {
    std::abort();  // OpenSSL out of memory: nothing sensible to sign with
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

std::string Sha256Hex(std::string_view data) {
  auto digest = Sha256(data);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  // RAND_bytes only fails when the OS entropy source is broken; nothing safe
  // can be done then, so stop rather than hand out predictable secrets.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();
  }
  return out;
}

std::string RandomHex(size_t n_bytes) { return HexEncode(RandomBytes(n_bytes)); }

namespace {

std::string FormatUuid(const unsigned char* b) {
  std::string hex = HexEncode(std::string_view(reinterpret_cast<const char*>(b), 16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string UuidV4() {
  std::string bytes = RandomBytes(16);
  auto* b = reinterpret_cast<unsigned char*>(bytes.data());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return FormatUuid(b);
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
    } else if (HexValue(text[i]) < 0) {
      return false;
    }
  }
  return true;
}

bool IsUuidV4(std::string_view text) {
  if (!IsUuid(text) || text[14] != '4') return false;
  const char variant = text[19];
  return variant == '8' || variant == '9' || variant == 'a' || variant == 'b' || variant == 'A' ||
         variant == 'B';
}

namespace {

// RFC 4122's name-based construction (SHA-1 of the namespace's bytes and the
// name) with the given version in the version field.
std::string NameDigestUuid(std::string_view namespace_uuid, std::string_view name, unsigned char version) {
  std::string input;
  input.reserve(16 + name.size());
  for (size_t i = 0; i + 1 < namespace_uuid.size(); ++i) {
    if (namespace_uuid[i] == '-') continue;
    int hi = HexValue(namespace_uuid[i]);
    int lo = HexValue(namespace_uuid[i + 1]);
    if (hi < 0 || lo < 0) continue;
    input.push_back(static_cast<char>(hi * 16 + lo));
    ++i;
  }
  input.append(name);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | (version << 4));
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  return FormatUuid(digest);
}

}  // namespace

std::string UuidV5(std::string_view namespace_uuid, std::string_view name) {
  return NameDigestUuid(namespace_uuid, name, 5);
}

std::string StableUuidV4(std::string_view namespace_uuid, std::string_view name) {
  return NameDigestUuid(namespace_uuid, name, 4);
}

SecretHash HashSecret(std::string_view secret) {
  SecretHash out;
  out.salt_hex = RandomHex(16);
  std::string salted = out.salt_hex;
  salted.append(secret);
  out.hash_hex = Sha256Hex(salted);
  return out;
}

bool VerifySecret(std::string_view secret, const SecretHash& stored) {
  std::string salted = stored.salt_hex;
  salted.append(secret);
  std::string computed = Sha256Hex(salted);
  if (computed.size() != stored.hash_hex.size()) return false;
  return CRYPTO_memcmp(computed.data(), stored.hash_hex.data(), computed.size()) == 0;
}

}  // namespace accord
