#include "crypto/schnorr.h"

#include <secp256k1_schnorrsig.h>

#include <stdexcept>

namespace ladder::crypto {

Expected<SchnorrSig> SchnorrSig::parse(ByteView bytes) {
  if (bytes.size() != 64)
    return make_error("crypto.sig-length", "Schnorr signature must be 64 bytes, got " + std::to_string(bytes.size()));
  Bytes64 b;
  std::copy(bytes.begin(), bytes.end(), b.begin());
  return SchnorrSig(b);
}

SchnorrSig schnorr_sign(const SecretKey& sk, ByteView msg) { return schnorr_sign(sk, msg, random_bytes32()); }

SchnorrSig schnorr_sign(const SecretKey& sk, ByteView msg, const Bytes32& aux_rand) {
  secp256k1_schnorrsig_extraparams params = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
  params.ndata = const_cast<uint8_t*>(aux_rand.data());
  Bytes64 sig;
  if (!secp256k1_schnorrsig_sign_custom(secp_context(), sig.data(), msg.data(), msg.size(), &sk.keypair(), &params))
    throw std::logic_error("secp256k1_schnorrsig_sign_custom failed for a valid key");
  return SchnorrSig(sig);
}

bool schnorr_verify(const SchnorrSig& sig, ByteView msg, const XOnlyPubKey& pubkey) {
  return secp256k1_schnorrsig_verify(secp_context(), sig.bytes().data(), msg.data(), msg.size(), &pubkey.raw()) == 1;
}

}  // namespace ladder::crypto
