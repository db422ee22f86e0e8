// Channel keys: basepoints, per-commitment secrets and the keys of one
// commitment (BOLT #3's derivation, kept independent of the factory key).
//
// What: ChannelSecrets holds the secrets derived from a 32-byte channel seed
// — the revocation, payment, delayed-payment and lock (HTLC/PTLC) basepoint
// secrets, and the per-commitment secret of every commitment number. The
// seed is the caller's (e.g. from its wallet seed with channel_seed()); it
// shares nothing with the factory key, which only ever signs the funding
// output (DESIGN §1). Per-commitment secrets are derived per number, not by
// shachain: the peer stores each one it receives, per commitment.
//
// Derivations (BOLT #3, with h(a, b) = SHA256(a || b) as a scalar):
//   pubkey(base, P)       = base + h(P, base)·G              (delayed, lock keys)
//   revocation(Rb, P)     = Rb·h(Rb, P) + P·h(P, Rb)
//   revocation secret     = rb·h(Rb, P) + p·h(P, Rb)
// so the revocation secret exists only once the holder reveals p.
// The payment key of to_remote is the static payment basepoint.
//
// Cost: a side derives the keys of every commitment it signs or holds, so
// CommitmentKeys::local / remote use what that side knows: the holder knows
// p, the counterparty rb, each side its own basepoint secrets. A term whose
// scalar is secret becomes one constant-time generator multiplication
// (revocation: Rb·h(Rb, P) + (p·h(P, Rb))·G for the holder, (rb·h(Rb, P))·G
// + P·h(P, Rb) for the counterparty; own keys: (base secret + h)·G) instead
// of a variable-base multiplication or a tweak. The points are exactly those
// of the public derivation (CommitmentKeys::derive), which tests check.
// Lock keys are derived only for commitments that hold locks.
//
// Secrets wipe themselves (crypto::SecretKey); nothing here is printable.
// Thread-safety: immutable values. Failure: derivations fail only with
// negligible probability ("channel.key-derivation").
#pragma once

#include <cstdint>
#include <optional>

#include "crypto/secp.h"

namespace ladder::channel {

struct Basepoints {
  crypto::PubKey revocation;
  crypto::PubKey payment;
  crypto::PubKey delayed_payment;
  crypto::PubKey lock;  // HTLC and PTLC keys
  bool operator==(const Basepoints&) const = default;
};

// A channel seed from a wallet seed and a channel index: HMAC-SHA256 over a
// label that no factory-key path uses.
Bytes32 channel_seed(ByteView wallet_seed, uint32_t channel_index);

class ChannelSecrets {
 public:
  static Expected<ChannelSecrets> from_seed(const Bytes32& seed);
  ChannelSecrets(const ChannelSecrets&) = default;
  ChannelSecrets& operator=(const ChannelSecrets&) = default;
  ~ChannelSecrets();

  const Basepoints& basepoints() const { return points_; }
  const crypto::SecretKey& revocation_base() const { return revocation_; }
  const crypto::SecretKey& payment() const { return payment_; }
  const crypto::SecretKey& delayed_base() const { return delayed_; }
  const crypto::SecretKey& lock_base() const { return lock_; }

  // The secret / point of this side's commitment `number`. The scalar is
  // the secret without its point (one generator multiplication less).
  Expected<crypto::SecretKey> per_commitment_secret(uint64_t number) const;
  Expected<crypto::Scalar> per_commitment_scalar(uint64_t number) const;
  Expected<crypto::PubKey> per_commitment_point(uint64_t number) const;

 private:
  ChannelSecrets(const Bytes32& seed, crypto::SecretKey r, crypto::SecretKey p, crypto::SecretKey d, crypto::SecretKey l);
  Bytes32 commitment_seed_;
  crypto::SecretKey revocation_, payment_, delayed_, lock_;
  Basepoints points_;
};

Expected<crypto::PubKey> derive_pubkey(const crypto::PubKey& basepoint, const crypto::PubKey& per_commitment_point);
Expected<crypto::SecretKey> derive_secret(const crypto::SecretKey& base_secret,
                                          const crypto::PubKey& per_commitment_point);
Expected<crypto::PubKey> derive_revocation_pubkey(const crypto::PubKey& revocation_basepoint,
                                                  const crypto::PubKey& per_commitment_point);
Expected<crypto::SecretKey> derive_revocation_secret(const crypto::SecretKey& revocation_base_secret,
                                                     const crypto::SecretKey& per_commitment_secret);

// The keys of one commitment held by `holder` with per-commitment point P.
// The lock keys are present when derived `with_locks` (lock_output needs
// them; a commitment without locks has no use for them).
struct CommitmentKeys {
  crypto::PubKey per_commitment_point;
  crypto::PubKey revocation;          // from the counterparty's revocation basepoint
  crypto::PubKey holder_delayed;      // to_local's CSV leaf
  std::optional<crypto::PubKey> holder_lock;        // the holder's HTLC/PTLC key
  std::optional<crypto::PubKey> counterparty_lock;  // the counterparty's HTLC/PTLC key
  crypto::PubKey counterparty_payment;  // to_remote (static)

  // From public points only.
  static Expected<CommitmentKeys> derive(const crypto::PubKey& per_commitment_point, const Basepoints& holder,
                                         const Basepoints& counterparty, bool with_locks = true);
  // This side's own commitment `number`, whose point (per_commitment_point
  // of `own`, passed in because the caller keeps it) is `point`.
  static Expected<CommitmentKeys> local(const ChannelSecrets& own, uint64_t number, const crypto::PubKey& point,
                                        const Basepoints& peer, bool with_locks);
  // The peer's commitment with per-commitment point `point`.
  static Expected<CommitmentKeys> remote(const ChannelSecrets& own, const crypto::PubKey& point, const Basepoints& peer,
                                         bool with_locks);
};

// The 48-bit factor that hides commitment numbers in nLockTime/nSequence
// (BOLT #3): SHA256(funder payment basepoint || fundee payment basepoint).
uint64_t obscuring_factor(const crypto::PubKey& funder_payment, const crypto::PubKey& fundee_payment);

}  // namespace ladder::channel
