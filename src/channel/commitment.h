// Commitment transactions: the spec a holder's commitment encodes and the
// one deterministic layout both sides build from it (DESIGN §3 fees, §4).
//
// A commitment is nVersion 3, spends the channel output (its Binding) by
// MuSig2 key path, and pays: to_local (the holder's balance), to_remote (the
// counterparty's), one output per untrimmed HTLC/PTLC, and one P2A anchor of
// params.anchor_value. The funder (L) pays the fee — vsize × fee rate, the
// vsize counted with both balance outputs and every untrimmed lock — and the
// anchor from its balance. Outputs below params.dust_limit are trimmed, and
// so are locks below lock_trim_threshold (a PTLC below it could not pay its
// success tx): their value goes to fees. Outputs are sorted by value, then
// script, then (kind, expiry, offerer, id), so identical locks still map to
// outputs the same way on both sides. The commitment number, XORed with the
// channel's obscuring factor, sits in nLockTime / nSequence (BOLT #3), so a
// spend of the channel output names the commitment it is.
//
// A PTLC's success tx (build_ptlc_success) is pre-signed too: nVersion 3, the
// lock output by its success leaf, nSequence = to_self_delay on the
// receiver's own commitment, paying the receiver's payment basepoint (P2TR,
// no script) the amount minus a fixed fee and the anchor.
//
// Thread-safety: pure functions over values. Failure:
// "channel.funder-cannot-pay-fee", "channel.too-many-outputs", taproot and
// sighash errors.
#pragma once

#include <optional>
#include <vector>

#include "btc/tx.h"
#include "channel/funding.h"
#include "channel/params.h"
#include "channel/scripts.h"

namespace ladder::channel {

struct SpecLock {
  Lock lock;
  bool offered_by_holder = false;
  bool operator==(const SpecLock&) const = default;
};

// A commitment's content from its holder's point of view.
struct CommitmentSpec {
  btc::Amount to_holder = 0;
  btc::Amount to_counterparty = 0;
  std::vector<SpecLock> locks;
  bool operator==(const CommitmentSpec&) const = default;
  const SpecLock* find(bool offered_by_holder, uint64_t id) const;
};

enum class OutputKind : uint8_t { to_local = 0, to_remote = 1, lock = 2, anchor = 3 };

struct CommitmentOutput {
  OutputKind kind = OutputKind::anchor;
  size_t lock_index = 0;               // into spec.locks, for kind == lock
  std::optional<OutputScript> script;  // all but the anchor
};

struct CommitmentTemplate {
  Binding binding;
  Bytes funding_script;
  uint64_t number = 0;
  uint64_t obscuring_factor = 0;
  bool holder_is_funder = false;
  ChannelParams params;
  CommitmentKeys keys;
  OutputScript to_remote;  // static: the caller caches it
};

struct BuiltCommitment {
  btc::Transaction tx;                          // unsigned
  btc::TxOut spent;                             // the channel output
  std::vector<CommitmentOutput> outputs;        // parallel to tx.vout
  std::vector<std::optional<uint32_t>> lock_vout;  // per spec lock; none when trimmed
  btc::Amount fee = 0;                          // what the funder paid: fee + trimmed value
  Bytes32 sighash{};                            // BIP-341 key path, SIGHASH_DEFAULT
};

inline constexpr int64_t kPtlcSuccessVsize = 176;  // an upper bound, checked by tests

btc::Amount fee_for_vsize(int64_t vsize, btc::Amount rate_sat_per_kvb);
int64_t commitment_vsize(size_t p2tr_outputs);  // one key-path input, the outputs and the anchor
btc::Amount lock_trim_threshold(const ChannelParams& p);
bool is_trimmed(const Lock& lock, const ChannelParams& p);
// The fee the funder pays for a commitment holding `untrimmed_locks` locks.
btc::Amount commitment_fee(const ChannelParams& p, size_t untrimmed_locks);

Expected<BuiltCommitment> build_commitment(const CommitmentSpec& spec, const CommitmentTemplate& t);

// The commitment number a tx spending the channel output encodes.
uint64_t decode_commitment_number(const btc::Transaction& tx, uint64_t obscuring_factor);

struct PtlcSuccessTx {
  btc::Transaction tx;  // unsigned
  btc::TxOut spent;
  btc::TapLeafPath leaf;
  Bytes32 sighash{};
};

// What a PTLC success tx pays the receiver: P2TR of its payment basepoint,
// no script (static per channel: callers keep it).
Expected<Bytes> ptlc_payout_script(const crypto::PubKey& receiver_payment);

// The success tx of spec lock `lock_index` of `commitment`, paying
// `payout_script` (ptlc_payout_script of the lock's receiver).
Expected<PtlcSuccessTx> build_ptlc_success(const BuiltCommitment& commitment, const CommitmentSpec& spec,
                                           size_t lock_index, ByteView payout_script, const ChannelParams& p);

}  // namespace ladder::channel
