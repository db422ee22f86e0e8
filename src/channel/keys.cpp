#include "channel/keys.h"

#include <array>
#include <string_view>

#include "crypto/hash.h"
#include "util/secure.h"

namespace ladder::channel {

using crypto::PubKey;
using crypto::Scalar;
using crypto::SecretKey;

namespace {

Error derivation_error(std::string_view what) {
  return make_error("channel.key-derivation", std::string(what) + " (negligible-probability failure)");
}

Scalar h(const PubKey& a, const PubKey& b) {
  return Scalar::reduce(crypto::Sha256().write(a.bytes()).write(b.bytes()).finalize());
}

// tagged_hash(label, seed || u64le(n)) as a non-zero scalar / secret key.
Expected<Scalar> seeded_scalar(const Bytes32& seed, std::string_view label, uint64_t n) {
  auto d = Scalar::reduce(crypto::Sha256::tagged(label).write(seed).write_u64le(n).finalize());
  if (d.is_zero()) return derivation_error("seeded key is zero");
  return d;
}

Expected<SecretKey> seeded_key(const Bytes32& seed, std::string_view label, uint64_t n) {
  LADDER_ASSIGN(auto d, seeded_scalar(seed, label, n));
  auto sk = SecretKey::from_scalar(d);
  if (!sk) return derivation_error("seeded key is zero");
  return sk;
}

constexpr std::string_view kPerCommitmentLabel = "Ladder/channel/per-commitment";

// base + h(P, base)·G from the base secret: one constant-time generator
// multiplication.
Expected<PubKey> own_pubkey(const SecretKey& base_secret, const PubKey& per_commitment_point) {
  auto p = crypto::generator_mul(base_secret.scalar() + h(per_commitment_point, base_secret.pubkey()));
  if (!p) return derivation_error("derived key is infinity");
  return *p;
}

Expected<PubKey> revocation_sum(const std::optional<PubKey>& a, const std::optional<PubKey>& b) {
  if (!a || !b) return derivation_error("revocation term is infinity");
  auto sum = crypto::point_add(*a, *b);
  if (!sum) return derivation_error("revocation key is infinity");
  return *sum;
}

}  // namespace

Bytes32 channel_seed(ByteView wallet_seed, uint32_t channel_index) {
  Bytes data;
  const std::string_view label = "Ladder/channel-seed";
  data.insert(data.end(), label.begin(), label.end());
  for (int i = 0; i < 4; ++i) data.push_back(static_cast<uint8_t>(channel_index >> (8 * i)));
  return crypto::hmac_sha256(wallet_seed, data);
}

ChannelSecrets::ChannelSecrets(const Bytes32& seed, SecretKey r, SecretKey p, SecretKey d, SecretKey l)
    : commitment_seed_(seed),
      revocation_(std::move(r)),
      payment_(std::move(p)),
      delayed_(std::move(d)),
      lock_(std::move(l)),
      points_{revocation_.pubkey(), payment_.pubkey(), delayed_.pubkey(), lock_.pubkey()} {}

ChannelSecrets::~ChannelSecrets() { secure_wipe(commitment_seed_); }

Expected<ChannelSecrets> ChannelSecrets::from_seed(const Bytes32& seed) {
  LADDER_ASSIGN(auto r, seeded_key(seed, "Ladder/channel/revocation-basepoint", 0));
  LADDER_ASSIGN(auto p, seeded_key(seed, "Ladder/channel/payment-basepoint", 0));
  LADDER_ASSIGN(auto d, seeded_key(seed, "Ladder/channel/delayed-basepoint", 0));
  LADDER_ASSIGN(auto l, seeded_key(seed, "Ladder/channel/lock-basepoint", 0));
  const Bytes32 commitment_seed = crypto::tagged_hash("Ladder/channel/commitment-seed", seed);
  return ChannelSecrets(commitment_seed, std::move(r), std::move(p), std::move(d), std::move(l));
}

Expected<SecretKey> ChannelSecrets::per_commitment_secret(uint64_t number) const {
  return seeded_key(commitment_seed_, kPerCommitmentLabel, number);
}

Expected<Scalar> ChannelSecrets::per_commitment_scalar(uint64_t number) const {
  return seeded_scalar(commitment_seed_, kPerCommitmentLabel, number);
}

Expected<PubKey> ChannelSecrets::per_commitment_point(uint64_t number) const {
  LADDER_ASSIGN(auto sk, per_commitment_secret(number));
  return sk.pubkey();
}

Expected<PubKey> derive_pubkey(const PubKey& basepoint, const PubKey& per_commitment_point) {
  auto p = crypto::point_add_generator_mul(basepoint, h(per_commitment_point, basepoint));
  if (!p) return derivation_error("derived key is infinity");
  return *p;
}

Expected<SecretKey> derive_secret(const SecretKey& base_secret, const PubKey& per_commitment_point) {
  auto sk = SecretKey::from_scalar(base_secret.scalar() + h(per_commitment_point, base_secret.pubkey()));
  if (!sk) return derivation_error("derived secret is zero");
  return sk;
}

Expected<PubKey> derive_revocation_pubkey(const PubKey& revocation_basepoint, const PubKey& per_commitment_point) {
  return revocation_sum(crypto::point_mul(revocation_basepoint, h(revocation_basepoint, per_commitment_point)),
                        crypto::point_mul(per_commitment_point, h(per_commitment_point, revocation_basepoint)));
}

Expected<SecretKey> derive_revocation_secret(const SecretKey& revocation_base_secret,
                                             const SecretKey& per_commitment_secret) {
  const PubKey& rb = revocation_base_secret.pubkey();
  const PubKey& pcp = per_commitment_secret.pubkey();
  auto sk = SecretKey::from_scalar(revocation_base_secret.scalar() * h(rb, pcp) +
                                   per_commitment_secret.scalar() * h(pcp, rb));
  if (!sk) return derivation_error("revocation secret is zero");
  return sk;
}

Expected<CommitmentKeys> CommitmentKeys::derive(const PubKey& pcp, const Basepoints& holder,
                                                const Basepoints& counterparty, bool with_locks) {
  LADDER_ASSIGN(auto revocation, derive_revocation_pubkey(counterparty.revocation, pcp));
  LADDER_ASSIGN(auto delayed, derive_pubkey(holder.delayed_payment, pcp));
  CommitmentKeys k{pcp, revocation, delayed, std::nullopt, std::nullopt, counterparty.payment};
  if (with_locks) {
    LADDER_ASSIGN(k.holder_lock, derive_pubkey(holder.lock, pcp));
    LADDER_ASSIGN(k.counterparty_lock, derive_pubkey(counterparty.lock, pcp));
  }
  return k;
}

Expected<CommitmentKeys> CommitmentKeys::local(const ChannelSecrets& own, uint64_t number, const PubKey& pcp,
                                               const Basepoints& peer, bool with_locks) {
  LADDER_ASSIGN(const Scalar p, own.per_commitment_scalar(number));
  // Rb·h(Rb, P) + (p·h(P, Rb))·G
  LADDER_ASSIGN(auto revocation, revocation_sum(crypto::point_mul(peer.revocation, h(peer.revocation, pcp)),
                                                crypto::generator_mul(p * h(pcp, peer.revocation))));
  LADDER_ASSIGN(auto delayed, own_pubkey(own.delayed_base(), pcp));
  CommitmentKeys k{pcp, revocation, delayed, std::nullopt, std::nullopt, peer.payment};
  if (with_locks) {
    LADDER_ASSIGN(k.holder_lock, own_pubkey(own.lock_base(), pcp));
    LADDER_ASSIGN(k.counterparty_lock, derive_pubkey(peer.lock, pcp));
  }
  return k;
}

Expected<CommitmentKeys> CommitmentKeys::remote(const ChannelSecrets& own, const PubKey& pcp, const Basepoints& peer,
                                                bool with_locks) {
  const SecretKey& rb = own.revocation_base();
  // (rb·h(Rb, P))·G + P·h(P, Rb)
  LADDER_ASSIGN(auto revocation, revocation_sum(crypto::generator_mul(rb.scalar() * h(rb.pubkey(), pcp)),
                                                crypto::point_mul(pcp, h(pcp, rb.pubkey()))));
  LADDER_ASSIGN(auto delayed, derive_pubkey(peer.delayed_payment, pcp));
  CommitmentKeys k{pcp, revocation, delayed, std::nullopt, std::nullopt, own.basepoints().payment};
  if (with_locks) {
    LADDER_ASSIGN(k.holder_lock, derive_pubkey(peer.lock, pcp));
    LADDER_ASSIGN(k.counterparty_lock, own_pubkey(own.lock_base(), pcp));
  }
  return k;
}

uint64_t obscuring_factor(const PubKey& funder_payment, const PubKey& fundee_payment) {
  auto hash = crypto::Sha256().write(funder_payment.bytes()).write(fundee_payment.bytes()).finalize();
  uint64_t v = 0;
  for (size_t i = 26; i < 32; ++i) v = (v << 8) | hash[i];
  return v;
}

}  // namespace ladder::channel
