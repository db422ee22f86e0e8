// MuSig2 (BIP-327) signing sessions: partial signing, partial-signature
// verification and aggregation, DeterministicSign, and MuSig2 adaptor
// sessions.
//
// What: a Session is BIP-327's session context with GetSessionValues already
// evaluated: created once from a (tweaked) KeyAggContext, the aggregate
// nonce and the message, it holds b, the final nonce R, the challenge e and
// the nonce parity, and is then used by any number of local signers and
// verifiers. Created with an adaptor point T, the session's final nonce is
// R + T (challenge and parity follow it), partial signatures are made and
// verified against it, and aggregation yields an adaptor::PreSignature
// instead of a signature (complete it with adaptor::adapt).
//
// Signing consumes the SecNonce (rvalue) and wipes it whether or not it
// succeeds, checks that the nonce belongs to the key, and verifies its own
// partial signature before returning it (BIP-327's recommended self-check).
//
// Cost: create = 1 point multiplication + 1 addition; sign and verify = 2
// multiplications, 1 generator multiplication and 1 addition each; aggregate
// = scalar additions only.
//
// Thread-safety: a Session is immutable after creation; share it freely.
//
// Failure: "musig.invalid-contribution" naming the culprit exactly as the
// BIP's vectors do (Error::index = signer position or -1 for the aggregator;
// Error::what = "pubkey" | "pubnonce" | "aggnonce" | "aggothernonce" |
// "psig"); value errors: "musig.signer-not-in-keys" (BIP: "The signer's
// pubkey must be included in the list of pubkeys."), "musig.secnonce-invalid"
// (BIP: "first secnonce value is out of range." — also what a reused, i.e.
// wiped, nonce gives), "musig.secnonce-key-mismatch", "musig.self-verify-failed",
// "musig.adaptor-nonce-infinity" (R + T is infinity), "musig.adaptor-session"
// / "musig.not-adaptor-session" (aggregate vs aggregate_presig misuse),
// plus the KeyAgg and nonce errors of musig_keyagg.h / musig_nonce.h.
#pragma once

#include <optional>
#include <span>

#include "crypto/adaptor.h"
#include "crypto/musig_keyagg.h"
#include "crypto/musig_nonce.h"
#include "crypto/schnorr.h"

namespace ladder::crypto::musig {

class PartialSig {
 public:
  explicit PartialSig(const Scalar& s) : s_(s) {}
  // 32 bytes below n; otherwise blames `signer` for an invalid "psig".
  static Expected<PartialSig> parse(ByteView bytes, int signer = -1);

  const Scalar& s() const { return s_; }
  const Bytes32& bytes() const { return s_.bytes(); }
  bool operator==(const PartialSig&) const = default;

 private:
  Scalar s_;
};

class Session {
 public:
  static Expected<Session> create(const KeyAggContext& keyagg, const AggNonce& aggnonce, ByteView msg,
                                  const std::optional<PubKey>& adaptor_point = std::nullopt);

  // Sign(secnonce, sk, session_ctx), verifying the result (BIP-327's
  // recommended self-check).
  Expected<PartialSig> sign(SecNonce&& secnonce, const SecretKey& sk) const;
  // SelfCheck::skip omits the self-check (two multiplications): for callers
  // that verify the aggregate signature anyway and verify partials only to
  // name a culprit when it fails (the factory ceremony, DESIGN §3.3).
  enum class SelfCheck { verify, skip };
  Expected<PartialSig> sign(SecNonce&& secnonce, const SecretKey& sk, SelfCheck self_check) const;

  // PartialSigVerifyInternal for the signer at `signer_index` of the key
  // list (throws std::out_of_range if there is none). An invalid signature
  // is "musig.invalid-contribution", index = signer_index, what = "psig".
  Status verify(const PartialSig& psig, const PubNonce& pubnonce, size_t signer_index) const;

  // PartialSigAgg. aggregate() is for sessions without adaptor point,
  // aggregate_presig() for sessions with one.
  Expected<SchnorrSig> aggregate(std::span<const PartialSig> psigs) const;
  Expected<adaptor::PreSignature> aggregate_presig(std::span<const PartialSig> psigs) const;

  const KeyAggContext& keyagg() const { return keyagg_; }
  const AggNonce& aggnonce() const { return aggnonce_; }
  const Bytes& msg() const { return msg_; }
  const std::optional<PubKey>& adaptor_point() const { return adaptor_; }
  const Scalar& b() const { return b_; }
  // The final nonce: R, or R + T in an adaptor session (with y parity).
  const PubKey& final_nonce() const { return r_; }
  const Scalar& e() const { return e_; }

 private:
  Session(const KeyAggContext& keyagg, const AggNonce& aggnonce, ByteView msg, const std::optional<PubKey>& adaptor,
          const Scalar& b, const PubKey& r, const Scalar& e);
  bool check(const Scalar& s, const PubNonce& pubnonce, const PubKey& pk, const Scalar& a) const;
  Scalar aggregate_s(std::span<const PartialSig> psigs) const;

  KeyAggContext keyagg_;
  AggNonce aggnonce_;
  Bytes msg_;
  std::optional<PubKey> adaptor_;
  Scalar b_;
  PubKey r_;
  Scalar e_;
  bool nonce_negated_;  // R (or R + T) has odd y: signers negate k1, k2
  bool key_negated_;    // g·gacc = -1: signers negate d, verifiers P
};

struct DeterministicSignResult {
  PubNonce pubnonce;
  PartialSig psig;
};

// DeterministicSign for the last signer to send a nonce: `aggothernonce` is
// NonceAgg of every other signer's nonce (parse it with
// PubNonce::parse(bytes, -1, "aggothernonce")); `keyagg` is already tweaked.
Expected<DeterministicSignResult> deterministic_sign(const SecretKey& sk, const PubNonce& aggothernonce,
                                                     const KeyAggContext& keyagg, ByteView msg,
                                                     const std::optional<Bytes32>& rand = std::nullopt);

// PartialSigVerify over serialized inputs (NonceAgg, KeyAgg, tweaks, session,
// verification), blaming the culprit of any failure.
Status partial_sig_verify(ByteView psig, std::span<const Bytes66> pubnonces, std::span<const Bytes33> pubkeys,
                          std::span<const Tweak> tweaks, ByteView msg, size_t signer_index);

}  // namespace ladder::crypto::musig
