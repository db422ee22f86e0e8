// Schnorr adaptor signatures (single-signer and the output of a MuSig2
// adaptor session, see musig_session.h).
//
// What: a pre-signature on message m under x-only key P for adaptor point
// T = t·G is (R̂, s') where R̂ = R + T is the nonce point of the final
// signature (kept with its y parity) and s'·G = ±R + e·P with
// e = H_BIP0340/challenge(x(R̂) || x(P) || m) and the sign chosen so that the
// completed signature's nonce has even y. Anyone can check it (pre_verify);
// whoever knows t completes it into a valid BIP-340 signature (adapt); and
// from a pre-signature and its completion anyone recovers t (extract). When
// R̂ has odd y the signer negates its nonce, so adapt adds -t instead of t and
// extract negates back; callers never see the difference.
//
// The single-signer nonce is k = H_Ladder/adaptor/nonce(d ⊕ H_BIP0340/aux(a)
// || x(P) || cbytes(T) || m): T is committed, so pre-signing the same message
// for two adaptor points never reuses a nonce.
//
// Thread-safety: pure functions over immutable values.
// Failure: "adaptor.presig-length", "adaptor.presig-invalid" (parse);
// "adaptor.nonce-infinity" (R + T is infinity, i.e. T = -R: negligible for an
// honest T); "adaptor.sig-mismatch" (extract: the signature is not the
// completion of this pre-signature for this T).
#pragma once

#include <array>

#include "crypto/schnorr.h"
#include "crypto/secp.h"

namespace ladder::crypto::adaptor {

using Bytes65 = std::array<uint8_t, 65>;

class PreSignature {
 public:
  PreSignature(const PubKey& nonce, const Scalar& s) : nonce_(nonce), s_(s) {}
  // 65 bytes: cbytes(R̂) || bytes(32, s').
  static Expected<PreSignature> parse(ByteView bytes);

  // R̂ = R + T, with y parity.
  const PubKey& nonce() const { return nonce_; }
  const Scalar& s() const { return s_; }
  Bytes65 bytes() const;
  bool operator==(const PreSignature&) const = default;

 private:
  PubKey nonce_;
  Scalar s_;
};

// Pre-signs `msg` for adaptor point T with fresh or given auxiliary randomness.
Expected<PreSignature> presign(const SecretKey& sk, ByteView msg, const PubKey& adaptor_point);
Expected<PreSignature> presign(const SecretKey& sk, ByteView msg, const PubKey& adaptor_point, const Bytes32& aux_rand);

// True iff `presig` completes, with the discrete log of T, into a valid
// BIP-340 signature on `msg` under `pubkey`.
bool pre_verify(const PreSignature& presig, ByteView msg, const XOnlyPubKey& pubkey, const PubKey& adaptor_point);

// Completes the pre-signature with t (the secret of T). The result verifies
// iff the pre-signature pre-verifies and t·G = T; callers holding an
// unverified pre-signature should verify the result.
SchnorrSig adapt(const PreSignature& presig, const SecretKey& t);

// Recovers t from a pre-signature and its completion, and checks t·G = T.
Expected<SecretKey> extract(const PreSignature& presig, const SchnorrSig& sig, const PubKey& adaptor_point);

}  // namespace ladder::crypto::adaptor
