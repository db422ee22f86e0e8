// BIP-340 Schnorr signatures over messages of any length.
//
// What: signing with a SecretKey (its keypair is precomputed, so signing costs
// one libsecp256k1 signing operation) and verification against an
// XOnlyPubKey. Signing draws 32 bytes of auxiliary randomness unless the
// caller supplies them (test vectors, or a caller with its own RNG).
//
// Thread-safety: pure functions over immutable inputs; safe from any thread.
// Failure: signing cannot fail for a valid SecretKey. Verification returns
// false for any signature that BIP-340 rejects (including r >= p, s >= n).
// SchnorrSig::parse accepts exactly 64 bytes ("crypto.sig-length"); the values
// inside are checked by verification, as BIP-340 specifies.
#pragma once

#include "crypto/secp.h"

namespace ladder::crypto {

class SchnorrSig {
 public:
  explicit SchnorrSig(const Bytes64& bytes) : bytes_(bytes) {}
  static Expected<SchnorrSig> parse(ByteView bytes);

  const Bytes64& bytes() const { return bytes_; }
  // r: the x coordinate of the nonce point; s: the scalar (bytes 32..63).
  ByteView r() const { return ByteView(bytes_).first<32>(); }
  ByteView s() const { return ByteView(bytes_).last<32>(); }

  bool operator==(const SchnorrSig&) const = default;

 private:
  Bytes64 bytes_;
};

SchnorrSig schnorr_sign(const SecretKey& sk, ByteView msg);
SchnorrSig schnorr_sign(const SecretKey& sk, ByteView msg, const Bytes32& aux_rand);

bool schnorr_verify(const SchnorrSig& sig, ByteView msg, const XOnlyPubKey& pubkey);

}  // namespace ladder::crypto
