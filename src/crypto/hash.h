// Hash functions Bitcoin needs, via OpenSSL: SHA-256 (single, double,
// BIP-340 tagged), RIPEMD-160, HASH160, SHA-1 (for OP_SHA1), HMAC-SHA512.
//
// All functions are pure and thread-safe. Sha256 is an incremental hasher
// for hashing large or scattered inputs without concatenating them.
#pragma once

#include <openssl/sha.h>

#include <array>
#include <string_view>

#include "util/bytes.h"

namespace ladder::crypto {

using Bytes20 = std::array<uint8_t, 20>;

class Sha256 {
 public:
  Sha256() { SHA256_Init_wrapper(); }
  Sha256& write(ByteView data);
  Sha256& write_u8(uint8_t v) { return write(ByteView(&v, 1)); }
  Sha256& write_u32le(uint32_t v);
  Sha256& write_u64le(uint64_t v);
  Bytes32 finalize();

  // A hasher pre-seeded with SHA256(tag) || SHA256(tag) (BIP-340 tagged hash).
  static Sha256 tagged(std::string_view tag);

 private:
  void SHA256_Init_wrapper();
  SHA256_CTX ctx_;
};

Bytes32 sha256(ByteView data);
Bytes32 sha256d(ByteView data);
Bytes32 tagged_hash(std::string_view tag, ByteView data);
Bytes20 ripemd160(ByteView data);
Bytes20 hash160(ByteView data);  // RIPEMD160(SHA256(x))
Bytes20 sha1(ByteView data);
std::array<uint8_t, 64> hmac_sha512(ByteView key, ByteView data);
Bytes32 hmac_sha256(ByteView key, ByteView data);

}  // namespace ladder::crypto
