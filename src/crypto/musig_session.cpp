#include "crypto/musig_session.h"

#include <stdexcept>

#include "crypto/hash.h"

namespace ladder::crypto::musig {

namespace {

const PubKey& generator() {
  static const PubKey g = *PubKey::parse(hex_fixed_or_throw<33>(
      "0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));
  return g;
}

ByteView xbytes(const PubKey& p) { return ByteView(p.bytes()).subspan(1); }

}  // namespace

Expected<PartialSig> PartialSig::parse(ByteView bytes, int signer) {
  auto s = Scalar::parse(bytes);
  if (!s) return make_culprit_error(kInvalidContribution, signer, "psig", s.error().message);
  return PartialSig(*s);
}

Session::Session(const KeyAggContext& keyagg, const AggNonce& aggnonce, ByteView msg,
                 const std::optional<PubKey>& adaptor, const Scalar& b, const PubKey& r, const Scalar& e)
    : keyagg_(keyagg),
      aggnonce_(aggnonce),
      msg_(msg.begin(), msg.end()),
      adaptor_(adaptor),
      b_(b),
      r_(r),
      e_(e),
      nonce_negated_(!r.has_even_y()),
      key_negated_(keyagg.aggregate_pubkey().has_even_y() == keyagg.gacc_negated()) {}

Expected<Session> Session::create(const KeyAggContext& keyagg, const AggNonce& aggnonce, ByteView msg,
                                  const std::optional<PubKey>& adaptor_point) {
  static const Sha256 kNonceCoefTag = Sha256::tagged("MuSig/noncecoef");
  static const Sha256 kChallengeTag = Sha256::tagged("BIP0340/challenge");
  ByteView qx = xbytes(keyagg.aggregate_pubkey());

  Sha256 hb = kNonceCoefTag;
  Scalar b = Scalar::reduce(hb.write(aggnonce.bytes()).write(qx).write(msg).finalize());

  // R' = R1 + b·R2, either half possibly infinity; R = G if R' is infinity.
  std::optional<PubKey> br2 = aggnonce.r2() ? point_mul(*aggnonce.r2(), b) : std::nullopt;
  std::optional<PubKey> r = aggnonce.r1() ? (br2 ? point_add(*aggnonce.r1(), *br2) : aggnonce.r1()) : br2;
  if (!r) r = generator();
  if (adaptor_point) {
    r = point_add(*r, *adaptor_point);
    if (!r) return make_error("musig.adaptor-nonce-infinity", "the session nonce plus the adaptor point is infinity");
  }
  Sha256 he = kChallengeTag;
  Scalar e = Scalar::reduce(he.write(xbytes(*r)).write(qx).write(msg).finalize());
  return Session(keyagg, aggnonce, msg, adaptor_point, b, *r, e);
}

bool Session::check(const Scalar& s, const PubNonce& pubnonce, const PubKey& pk, const Scalar& a) const {
  // Re' = R*1 + b·R*2
  std::optional<PubKey> br2 = point_mul(pubnonce.r2(), b_);
  std::optional<PubKey> re = br2 ? point_add(pubnonce.r1(), *br2) : pubnonce.r1();
  // s·G - e·a·g'·P, compared with Re = ±Re'.
  Scalar c = e_ * a;
  std::optional<PubKey> minus_cp = point_mul(pk, key_negated_ ? c : -c);
  std::optional<PubKey> lhs = minus_cp ? point_add_generator_mul(*minus_cp, s) : generator_mul(s);
  if (!re || !lhs) return !re && !lhs;
  return nonce_negated_ ? lhs->bytes() == re->negated().bytes() : lhs->bytes() == re->bytes();
}

Expected<PartialSig> Session::sign(SecNonce&& secnonce, const SecretKey& sk) const {
  return sign(std::move(secnonce), sk, SelfCheck::verify);
}

Expected<PartialSig> Session::sign(SecNonce&& secnonce, const SecretKey& sk, SelfCheck self_check) const {
  SecNonce nonce(std::move(secnonce));  // the caller's nonce is wiped from here on
  auto k1 = Scalar::parse(nonce.k1_), k2 = Scalar::parse(nonce.k2_);
  if (!k1 || !k2 || k1->is_zero() || k2->is_zero())
    return make_error("musig.secnonce-invalid", "first secnonce value is out of range.");
  if (nonce.pk_ != sk.pubkey().bytes())
    return make_error("musig.secnonce-key-mismatch", "the secret nonce was generated for another public key");
  auto index = keyagg_.index_of(sk.pubkey());
  if (!index) return make_error("musig.signer-not-in-keys", "The signer's pubkey must be included in the list of pubkeys.");
  const Scalar& a = keyagg_.coefficient(*index);

  Scalar k = *k1 + b_ * *k2;
  if (nonce_negated_) k = -k;
  Scalar d = sk.scalar();
  if (key_negated_) d = -d;
  PartialSig psig(k + e_ * a * d);
  if (self_check == SelfCheck::skip) return psig;
  if (!nonce.pubnonce() || !check(psig.s(), *nonce.pubnonce(), sk.pubkey(), a))
    return make_error("musig.self-verify-failed", "the partial signature failed its own verification");
  return psig;
}

Status Session::verify(const PartialSig& psig, const PubNonce& pubnonce, size_t signer_index) const {
  if (signer_index >= keyagg_.size()) throw std::out_of_range("Session::verify: signer index out of range");
  if (!check(psig.s(), pubnonce, keyagg_.pubkeys()[signer_index], keyagg_.coefficient(signer_index)))
    return make_culprit_error(kInvalidContribution, static_cast<int>(signer_index), "psig",
                              "partial signature does not verify");
  return ok();
}

Scalar Session::aggregate_s(std::span<const PartialSig> psigs) const {
  Scalar s = e_ * keyagg_.tacc();
  if (!keyagg_.aggregate_pubkey().has_even_y()) s = -s;
  for (const auto& p : psigs) s += p.s();
  return s;
}

Expected<SchnorrSig> Session::aggregate(std::span<const PartialSig> psigs) const {
  if (adaptor_) return make_error("musig.adaptor-session", "an adaptor session aggregates into a pre-signature");
  Bytes64 sig;
  std::copy(r_.bytes().begin() + 1, r_.bytes().end(), sig.begin());
  Bytes32 s = aggregate_s(psigs).bytes();
  std::copy(s.begin(), s.end(), sig.begin() + 32);
  return SchnorrSig(sig);
}

Expected<adaptor::PreSignature> Session::aggregate_presig(std::span<const PartialSig> psigs) const {
  if (!adaptor_) return make_error("musig.not-adaptor-session", "only an adaptor session yields a pre-signature");
  return adaptor::PreSignature(r_, aggregate_s(psigs));
}

}  // namespace ladder::crypto::musig
