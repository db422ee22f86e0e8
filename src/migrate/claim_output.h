// The on-chain output O of options 2 and 3 (DESIGN §6) and the transactions
// that spend it: the client's claim, L's refund.
//
//   O = P2TR(internal = MuSig2(A_fresh, L), leaves)
//     option 2: hashlock  SIZE 32 EQUALVERIFY SHA256 <H> EQUALVERIFY <A_fresh> CHECKSIGVERIFY 1 CSV
//               refund    <T_on> CLTV DROP <L> CHECKSIG
//     option 3: refund only.
// The hashlock checks are byte for byte those of the channel's HTLC success
// leaves (SIZE 32 first), so a preimage that settles one settles the other.
//
// Claims (version 2, one input, one output to the client's script) spend O
// with nSequence 1: they are valid only once O is confirmed, so nothing the
// client pre-signs can ride in the mempool on an unconfirmed batch. A claim
// is either the key-path spend (MuSig2 of A_fresh and L; in option 3 an
// adaptor session whose point is A's old factory key) or, in option 2, the
// hashlock leaf signed by A_fresh with the preimage. The refund is L's
// alone: nLockTime = T_on (valid in blocks after T_on), the refund leaf.
// Fees come out of O at the caller's rate, computed on the exact witness
// size.
//
// Thread-safety: immutable values. Failure: "migrate.same-keys",
// "migrate.claim-below-dust", "migrate.no-hashlock", "migrate.bad-signature",
// and taproot / sighash / MuSig2 errors.
#pragma once

#include <memory>
#include <optional>

#include "btc/taproot.h"
#include "btc/tx.h"
#include "crypto/schnorr.h"
#include "factory/aggregate_key.h"

namespace ladder::migrate {

Bytes hashlock_leaf(const Bytes32& payment_hash, const crypto::XOnlyPubKey& fresh);
Bytes refund_leaf(uint32_t t_on, const crypto::XOnlyPubKey& lsp);

enum class ClaimPath : uint8_t { key, hashlock };

struct ClaimTx {
  btc::Transaction tx;  // unsigned
  btc::TxOut spent;     // O
  Bytes32 sighash{};    // of the chosen path, SIGHASH_DEFAULT
  ClaimPath path = ClaimPath::key;
};

class ClaimOutput {
 public:
  static Expected<ClaimOutput> swap(const crypto::PubKey& fresh, const crypto::PubKey& lsp, const Bytes32& payment_hash,
                                    uint32_t t_on);
  static Expected<ClaimOutput> ptlc_exit(const crypto::PubKey& fresh, const crypto::PubKey& lsp, uint32_t t_on);

  const Bytes& script_pubkey() const { return key_->script; }
  btc::TxOut txout(btc::Amount value) const { return {value, key_->script}; }
  // The tweaked MuSig2 context key-path signers sign with, and their places in it.
  const crypto::musig::KeyAggContext& keyagg() const { return key_->tweaked; }
  const crypto::XOnlyPubKey& output_key() const { return key_->output_xonly; }
  size_t fresh_index() const { return fresh_index_; }
  size_t lsp_index() const { return 1 - fresh_index_; }
  uint32_t t_on() const { return t_on_; }
  bool has_hashlock() const { return hashlock_.has_value(); }

  // An unsigned claim of O paying `destination`.
  Expected<ClaimTx> claim(const btc::OutPoint& outpoint, btc::Amount value, const Bytes& destination,
                          btc::Amount fee_rate, ClaimPath path = ClaimPath::key) const;
  // The claim with a key-path signature, checked against O's output key.
  Expected<btc::Transaction> with_key_sig(const ClaimTx& claim, const crypto::SchnorrSig& sig) const;
  // A hashlock claim signed by A_fresh with the preimage.
  Expected<btc::Transaction> sign_hashlock(const ClaimTx& claim, const crypto::SecretKey& fresh,
                                           const Bytes32& preimage) const;
  // L's refund of O, signed.
  Expected<btc::Transaction> refund(const btc::OutPoint& outpoint, btc::Amount value, const Bytes& destination,
                                    btc::Amount fee_rate, const crypto::SecretKey& lsp) const;

  // What a spend of O shows: its key-path signature, the preimage of a
  // hashlock claim, or that it is the refund.
  static std::optional<crypto::SchnorrSig> key_sig_of(const btc::TxIn& in);
  std::optional<Bytes32> preimage_of(const btc::TxIn& in) const;
  bool is_refund(const btc::TxIn& in) const;

 private:
  ClaimOutput() = default;
  static Expected<ClaimOutput> create(const crypto::PubKey& fresh, const crypto::PubKey& lsp,
                                      const std::optional<Bytes32>& payment_hash, uint32_t t_on);
  Expected<Bytes> control_block(const btc::TapLeafPath& leaf) const;

  std::shared_ptr<const factory::AggregateKey> key_;
  std::optional<btc::TapLeafPath> hashlock_;
  btc::TapLeafPath refund_;
  size_t fresh_index_ = 0;
  uint32_t t_on_ = 0;
};

}  // namespace ladder::migrate
