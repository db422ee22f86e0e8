#include "crypto/adaptor.h"

#include "crypto/hash.h"
#include "util/secure.h"

namespace ladder::crypto::adaptor {

namespace {

ByteView xbytes(const PubKey& p) { return ByteView(p.bytes()).subspan(1); }

Scalar challenge(const PubKey& nonce, const XOnlyPubKey& pubkey, ByteView msg) {
  static const Sha256 kChallengeTag = Sha256::tagged("BIP0340/challenge");
  Sha256 h = kChallengeTag;
  return Scalar::reduce(h.write(xbytes(nonce)).write(pubkey.bytes()).write(msg).finalize());
}

}  // namespace

Expected<PreSignature> PreSignature::parse(ByteView bytes) {
  if (bytes.size() != 65)
    return make_error("adaptor.presig-length", "pre-signature must be 65 bytes, got " + std::to_string(bytes.size()));
  auto nonce = PubKey::parse(bytes.first(33));
  if (!nonce) return make_error("adaptor.presig-invalid", "nonce point: " + nonce.error().message);
  auto s = Scalar::parse(bytes.subspan(33));
  if (!s) return make_error("adaptor.presig-invalid", "s: " + s.error().message);
  return PreSignature(*nonce, *s);
}

Bytes65 PreSignature::bytes() const {
  Bytes65 out;
  std::copy(nonce_.bytes().begin(), nonce_.bytes().end(), out.begin());
  std::copy(s_.bytes().begin(), s_.bytes().end(), out.begin() + 33);
  return out;
}

Expected<PreSignature> presign(const SecretKey& sk, ByteView msg, const PubKey& adaptor_point) {
  return presign(sk, msg, adaptor_point, random_bytes32());
}

Expected<PreSignature> presign(const SecretKey& sk, ByteView msg, const PubKey& adaptor_point, const Bytes32& aux_rand) {
  static const Sha256 kAuxTag = Sha256::tagged("BIP0340/aux");
  static const Sha256 kNonceTag = Sha256::tagged("Ladder/adaptor/nonce");
  const XOnlyPubKey& pub = sk.xonly_pubkey();
  Scalar d = sk.scalar();
  if (!sk.pubkey().has_even_y()) d = -d;

  Sha256 aux = kAuxTag;
  Bytes32 masked = aux.write(aux_rand).finalize();
  for (size_t i = 0; i < 32; ++i) masked[i] ^= d.bytes()[i];
  Sha256 hn = kNonceTag;
  Bytes32 digest = hn.write(masked).write(pub.bytes()).write(adaptor_point.bytes()).write(msg).finalize();
  Scalar k = Scalar::reduce(digest);
  secure_wipe(masked);
  secure_wipe(digest);

  auto r = generator_mul(k);
  if (!r) return make_error("adaptor.nonce-zero", "derived nonce is zero");
  auto nonce = point_add(*r, adaptor_point);
  if (!nonce) return make_error("adaptor.nonce-infinity", "nonce plus adaptor point is infinity");
  if (!nonce->has_even_y()) k = -k;
  return PreSignature(*nonce, k + challenge(*nonce, pub, msg) * d);
}

bool pre_verify(const PreSignature& presig, ByteView msg, const XOnlyPubKey& pubkey, const PubKey& adaptor_point) {
  // R = R̂ - T; the signer's effective nonce is R if R̂ has even y, else -R.
  auto r = point_add(presig.nonce(), adaptor_point.negated());
  if (!r) return false;
  // s'·G - e·P must equal the effective nonce.
  Scalar e = challenge(presig.nonce(), pubkey, msg);
  auto minus_ep = point_mul(pubkey.point(), -e);
  auto lhs = minus_ep ? point_add_generator_mul(*minus_ep, presig.s()) : generator_mul(presig.s());
  if (!lhs) return false;
  return lhs->bytes() == (presig.nonce().has_even_y() ? *r : r->negated()).bytes();
}

SchnorrSig adapt(const PreSignature& presig, const SecretKey& t) {
  Scalar ts = t.scalar();
  Scalar s = presig.nonce().has_even_y() ? presig.s() + ts : presig.s() - ts;
  Bytes64 sig;
  std::copy(presig.nonce().bytes().begin() + 1, presig.nonce().bytes().end(), sig.begin());
  std::copy(s.bytes().begin(), s.bytes().end(), sig.begin() + 32);
  return SchnorrSig(sig);
}

Expected<SecretKey> extract(const PreSignature& presig, const SchnorrSig& sig, const PubKey& adaptor_point) {
  ByteView rx = xbytes(presig.nonce());
  if (!std::equal(rx.begin(), rx.end(), sig.r().begin()))
    return make_error("adaptor.sig-mismatch", "signature nonce differs from the pre-signature's");
  auto s = Scalar::parse(sig.s());
  if (!s) return make_error("adaptor.sig-mismatch", "signature s is not below n");
  Scalar t = presig.nonce().has_even_y() ? *s - presig.s() : presig.s() - *s;
  auto key = SecretKey::from_scalar(t);
  if (!key || key->pubkey() != adaptor_point)
    return make_error("adaptor.sig-mismatch", "the recovered secret does not match the adaptor point");
  return key;
}

}  // namespace ladder::crypto::adaptor
