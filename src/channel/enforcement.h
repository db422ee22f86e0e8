// Enforcement: recognising a commitment on chain and building the txs that
// claim its outputs — the holder's delayed claims, the counterparty's
// immediate ones, HTLC/PTLC success and timeout claims, PTLC scalar
// extraction, and the justice (penalty) tx for a revoked commitment.
//
// KnownCommitment is a commitment this side can act on: its own latest, the
// peer's latest (current or awaiting revocation), or a revoked one of the
// peer's, on any binding the channel ever had (DESIGN §3.3: a re-bound
// channel has one commitment per outpoint). All claims are version-2 txs
// paying one destination script at a given fee rate, signed with this
// side's keys; the PTLC success claim is the pre-signed success tx, its
// offerer's adaptor signature completed with the scalar.
//
// Timelocks (DESIGN §4's table): the holder's to_local, its HTLC/PTLC success
// and its timeout claims wait to_self_delay (nSequence); timeouts also need
// nLockTime = expiry; to_remote waits 1 block. A justice tx spends every
// output but the anchor at once: the revoked holder's outputs by key path
// with the revocation key, our to_remote by its leaf — it confirms before
// any of the cheater's CSV-delayed claims matures. justice_tx over
// revoked_commitment() for each binding is what a tower stores (DESIGN §7a:
// one justice tx per revoked commitment per channel outpoint).
//
// Thread-safety: pure functions of their arguments. Failure:
// "channel.unknown-commitment", "channel.not-revoked", "channel.no-such-output",
// "channel.not-ours-to-claim", "channel.claim-below-dust",
// "channel.bad-adaptor-signature", "channel.no-presig", adaptor/taproot errors.
#pragma once

#include "channel/channel.h"

namespace ladder::channel {

struct KnownCommitment {
  bool ours = false;      // held by this side
  bool revoked = false;   // a revoked commitment of the peer's
  uint64_t number = 0;
  Binding binding;
  CommitmentSpec spec;
  CommitmentKeys keys;
  HeldCommitment held;    // built tx and the PTLC presigs this side holds for it
  Bytes32 revocation_secret{};  // the holder's per-commitment secret, when revoked
};

Expected<KnownCommitment> identify_commitment(const Channel& ch, const btc::Transaction& tx);
// The peer's revoked commitment `number` as signed for `binding`.
Expected<KnownCommitment> revoked_commitment(const Channel& ch, uint64_t number, const Binding& binding);

struct ClaimOptions {
  Bytes destination;
  btc::Amount fee_rate_sat_per_kvb = 2000;
};

// The spec lock index of a lock offered by us (offered_by_us) or the peer.
Expected<size_t> find_lock(const KnownCommitment& kc, bool offered_by_us, uint64_t id);

Expected<btc::Transaction> claim_to_local(const Channel& ch, const KnownCommitment& kc, const ClaimOptions& o);
Expected<btc::Transaction> claim_to_remote(const Channel& ch, const KnownCommitment& kc, const ClaimOptions& o);
// A lock offered to us, with its preimage.
Expected<btc::Transaction> claim_htlc_success(const Channel& ch, const KnownCommitment& kc, uint64_t lock_id,
                                              const Bytes32& preimage, const ClaimOptions& o);
// A lock we offered, after its expiry.
Expected<btc::Transaction> claim_lock_timeout(const Channel& ch, const KnownCommitment& kc, uint64_t lock_id,
                                              const ClaimOptions& o);
// A PTLC offered to us: the pre-signed success tx completed with the scalar.
Expected<btc::Transaction> claim_ptlc_success(const Channel& ch, const KnownCommitment& kc, uint64_t lock_id,
                                              const crypto::SecretKey& scalar);
// From the peer's success tx of a PTLC we offered, the scalar p (p·G = point).
Expected<crypto::SecretKey> extract_ptlc_scalar(const KnownCommitment& kc, const btc::Transaction& success_tx);
// Every non-anchor output of a revoked commitment of the peer's.
Expected<btc::Transaction> justice_tx(const Channel& ch, const KnownCommitment& revoked, const ClaimOptions& o);

}  // namespace ladder::channel
