// The three primitives BOLT #8's Noise_XK_secp256k1_ChaChaPoly_SHA256 is
// built from: secp256k1 ECDH, ChaCha20-Poly1305 (RFC 8439, IETF variant) and
// HKDF-SHA256 (RFC 5869) with an empty `info` and 64 bytes of output.
//
// AEAD nonces are Noise's: 32 zero bits followed by a 64-bit little-endian
// counter. Every function is pure and thread-safe (the OpenSSL cipher context
// is per thread, the secp256k1 context is crypto's shared one). Failures
// caused by input (a forged tag) are returned as errors; OpenSSL failing on
// valid input is an environment fault and throws std::runtime_error.
#pragma once

#include <cstdint>

#include "crypto/secp.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::wire::noise {

inline constexpr size_t kTagSize = 16;

// HKDF-SHA256(salt, ikm) with an empty info, split into two 32-byte halves.
struct HkdfPair {
  Bytes32 first;
  Bytes32 second;
};
HkdfPair hkdf2(ByteView salt, ByteView ikm);

// Appends ChaCha20-Poly1305(key, nonce, ad, plaintext) — ciphertext then the
// 16-byte tag — to `out`.
void aead_encrypt(const Bytes32& key, uint64_t nonce, ByteView ad, ByteView plaintext, Bytes& out);

// Authenticates and decrypts `sealed` (ciphertext || tag), appending the
// plaintext to `out`. Errors: "noise.bad-tag" (authentication failed or
// `sealed` shorter than a tag); `out` is unchanged on error.
Status aead_decrypt(const Bytes32& key, uint64_t nonce, ByteView ad, ByteView sealed, Bytes& out);

// SHA-256 of the compressed point secret·point, as BOLT #8's ECDH defines
// it. Cannot fail: both arguments are valid by construction.
Bytes32 ecdh(const crypto::PubKey& point, const crypto::SecretKey& secret);

}  // namespace ladder::wire::noise
