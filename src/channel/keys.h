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
// Secrets wipe themselves (crypto::SecretKey); nothing here is printable.
// Thread-safety: immutable values. Failure: derivations fail only with
// negligible probability ("channel.key-derivation").
#pragma once

#include <cstdint>

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

  // The secret / point of this side's commitment `number`.
  Expected<crypto::SecretKey> per_commitment_secret(uint64_t number) const;
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
struct CommitmentKeys {
  crypto::PubKey per_commitment_point;
  crypto::PubKey revocation;          // from the counterparty's revocation basepoint
  crypto::PubKey holder_delayed;      // to_local's CSV leaf
  crypto::PubKey holder_lock;         // the holder's HTLC/PTLC key
  crypto::PubKey counterparty_lock;   // the counterparty's HTLC/PTLC key
  crypto::PubKey counterparty_payment;  // to_remote (static)

  static Expected<CommitmentKeys> derive(const crypto::PubKey& per_commitment_point, const Basepoints& holder,
                                         const Basepoints& counterparty);
};

// The 48-bit factor that hides commitment numbers in nLockTime/nSequence
// (BOLT #3): SHA256(funder payment basepoint || fundee payment basepoint).
uint64_t obscuring_factor(const crypto::PubKey& funder_payment, const crypto::PubKey& fundee_payment);

}  // namespace ladder::channel
