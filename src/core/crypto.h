// Hashes, random identifiers and secret hashing (OpenSSL underneath).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace accord {

// MD5 only where another tool's format asks for it (MISP feeds' hashes.csv),
// never to protect anything.
std::string Md5Hex(std::string_view data);
std::string Sha1Hex(std::string_view data);
std::string Sha256Hex(std::string_view data);
std::array<uint8_t, 32> Sha256(std::string_view data);
std::string HexEncode(std::string_view bytes);
// HMAC-SHA256 (RFC 2104) of `data` under `key`, as lower-case hex: signs
// webhook bodies so a receiver can tell them from forgeries.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Cryptographically random bytes / lower-case hex of `n_bytes` random bytes.
std::string RandomBytes(size_t n);
std::string RandomHex(size_t n_bytes);

// RFC 4122 UUIDs as lower-case text.
std::string UuidV4();
// Name-based (SHA-1) UUID in `namespace_uuid`: deterministic ids, so that
// importing the same file twice yields the same event and object ids.
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);
// The same pseudo-random bits as UuidV5, marked version 4: for the ids of
// STIX domain objects, relationships and bundles Accord makes from a name.
// STIX 2.1 says those SHOULD be UUIDv4 (the OASIS validator warns on any
// other version) while they must stay the same each time the same thing is
// exported or republished, so that a TAXII client sees a new version of one
// object rather than a new object.
std::string StableUuidV4(std::string_view namespace_uuid, std::string_view name);
// Accord's own namespace for UuidV5.
inline constexpr std::string_view kAccordUuidNamespace = "6f1d6a57-6c3e-4c43-9f1c-5b7a7f8e2d10";
bool IsUuid(std::string_view text);
// A uuid in canonical form whose version digit is 4 and variant RFC 4122's:
// what MISP and STIX producers mint, and what STIX asks of domain objects.
bool IsUuidV4(std::string_view text);

// Secrets (API key secrets) are stored only as a salted hash. The secret is
// 256 random bits, so a fast salted SHA-256 is as strong as a slow KDF here
// and keeps per-request authentication cheap; low-entropy passwords are never
// used as API secrets.
struct SecretHash {
  std::string salt_hex;
  std::string hash_hex;
};
SecretHash HashSecret(std::string_view secret);
// Constant-time comparison.
bool VerifySecret(std::string_view secret, const SecretHash& stored);

}  // namespace accord
