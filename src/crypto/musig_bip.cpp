// The BIP-327 algorithms that compose the session machinery:
// DeterministicSign and PartialSigVerify over serialized inputs.
#include <vector>

#include "crypto/hash.h"
#include "crypto/musig_session.h"
#include "util/secure.h"

namespace ladder::crypto::musig {

Expected<DeterministicSignResult> deterministic_sign(const SecretKey& sk, const PubNonce& aggothernonce,
                                                     const KeyAggContext& keyagg, ByteView msg,
                                                     const std::optional<Bytes32>& rand) {
  static const Sha256 kAuxTag = Sha256::tagged("MuSig/aux");
  static const Sha256 kNonceTag = Sha256::tagged("MuSig/deterministic/nonce");

  Bytes32 masked = sk.reveal();
  if (rand) {
    Sha256 aux = kAuxTag;
    Bytes32 mask = aux.write(*rand).finalize();
    for (size_t i = 0; i < 32; ++i) masked[i] ^= mask[i];
  }
  Sha256 prefix = kNonceTag;
  prefix.write(masked).write(aggothernonce.bytes()).write(ByteView(keyagg.aggregate_pubkey().bytes()).subspan(1));
  secure_wipe(masked);
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(static_cast<uint64_t>(msg.size()) >> (56 - 8 * i));
  prefix.write(len).write(msg);

  std::array<uint8_t, 97> raw;
  for (uint8_t i = 0; i < 2; ++i) {
    Sha256 h = prefix;
    Bytes32 k = Scalar::reduce(h.write_u8(i).finalize()).bytes();
    std::copy(k.begin(), k.end(), raw.begin() + 32 * i);
    secure_wipe(k);
  }
  std::copy(sk.pubkey().bytes().begin(), sk.pubkey().bytes().end(), raw.begin() + 64);
  SecNonce secnonce = SecNonce::import_bip327(raw);
  secure_wipe(raw);
  if (!secnonce.pubnonce()) return make_error("musig.nonce-zero", "derived nonce is zero");
  PubNonce pubnonce = *secnonce.pubnonce();

  const PubNonce both[2] = {pubnonce, aggothernonce};
  LADDER_ASSIGN(AggNonce aggnonce, nonce_agg(both));
  LADDER_ASSIGN(Session session, Session::create(keyagg, aggnonce, msg));
  LADDER_ASSIGN(PartialSig psig, session.sign(std::move(secnonce), sk));
  return DeterministicSignResult{pubnonce, psig};
}

Status partial_sig_verify(ByteView psig, std::span<const Bytes66> pubnonces, std::span<const Bytes33> pubkeys,
                          std::span<const Tweak> tweaks, ByteView msg, size_t signer_index) {
  if (signer_index >= pubnonces.size() || signer_index >= pubkeys.size())
    return make_error("musig.signer-index-out-of-range", "no signer at index " + std::to_string(signer_index));
  std::vector<PubNonce> nonces;
  nonces.reserve(pubnonces.size());
  for (size_t i = 0; i < pubnonces.size(); ++i) {
    LADDER_ASSIGN(PubNonce n, PubNonce::parse(pubnonces[i], static_cast<int>(i)));
    nonces.push_back(n);
  }
  LADDER_ASSIGN(AggNonce aggnonce, nonce_agg(nonces));
  LADDER_ASSIGN(KeyAggContext keyagg, KeyAggContext::create(pubkeys));
  LADDER_ASSIGN(keyagg, keyagg.apply_tweaks(tweaks));
  LADDER_ASSIGN(Session session, Session::create(keyagg, aggnonce, msg));
  LADDER_ASSIGN(PartialSig s, PartialSig::parse(psig, static_cast<int>(signer_index)));
  return session.verify(s, nonces[signer_index], signer_index);
}

}  // namespace ladder::crypto::musig
