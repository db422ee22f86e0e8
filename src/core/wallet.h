// A single-key taproot wallet on the chain a core's host serves: the LSP's
// wallet (batches, change, CPFP), a tower's fee wallet (CPFP through
// anchors) and a client's on-chain wallet (claims land here, deposits leave
// from here).
//
// What: one key, its BIP-86 P2TR script (key path, no script tree); the
// coins are whatever the host's ChainView reports as unspent outputs of that
// script, minus the coins this wallet reserved for transactions it built but
// that the chain has not seen yet (a frozen batch), so two transactions never
// spend one coin. Coin selection is largest-first. CPFP children are TRUC
// (nVersion 3) when their parent is, and pay for the whole package at the
// asked rate.
//
// Secrets: the key never leaves the wallet; the seed it comes from is the
// owning core's secret record. Thread-safety: one owner. Failure:
// "wallet.insufficient-funds", "wallet.below-dust", chain query errors.
#pragma once

#include <set>
#include <vector>

#include "core/host.h"
#include "crypto/secp.h"

namespace ladder::core {

// vsize of a P2TR key-path input (outpoint, sequence, 64-byte signature).
inline constexpr int64_t kKeyPathInputVsize = 58;
// vsize of a P2TR output.
inline constexpr int64_t kP2trOutputVsize = 43;

class Wallet {
 public:
  explicit Wallet(const crypto::SecretKey& key);

  const Bytes& script() const { return script_; }
  const crypto::PubKey& pubkey() const { return key_.pubkey(); }

  // Spendable coins: mature, not reserved; unconfirmed ones only if asked.
  Expected<std::vector<chain::Utxo>> coins(ChainView& chain, bool include_unconfirmed = false) const;
  Expected<btc::Amount> balance(ChainView& chain, bool include_unconfirmed = true) const;
  // Coins (largest first) worth at least `target` plus the fee their own
  // inputs add at `fee_rate`. "wallet.insufficient-funds".
  Expected<std::vector<chain::Utxo>> select(ChainView& chain, btc::Amount target, btc::Amount fee_rate,
                                            bool include_unconfirmed = false) const;

  void reserve(const btc::OutPoint& op) { reserved_.insert(op); }
  void release(const btc::OutPoint& op) { reserved_.erase(op); }
  bool reserved(const btc::OutPoint& op) const { return reserved_.count(op) > 0; }
  const std::set<btc::OutPoint>& reservations() const { return reserved_; }

  // Signs input `index` (one of this wallet's coins) by key path.
  Status sign(btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent) const;

  // A signed child of `parent` spending its output `vout` (an anchor or an
  // output of this wallet) plus wallet coins as needed, paying the rest back
  // to the wallet, so that parent and child together pay `package_rate`
  // (sat/kvB). `parent_fee` is what the parent pays by itself. The coins it
  // spends are reserved. "wallet.insufficient-funds".
  Expected<btc::Transaction> cpfp(ChainView& chain, const btc::Transaction& parent, uint32_t vout,
                                  btc::Amount parent_fee, btc::Amount package_rate);

 private:
  crypto::SecretKey key_;
  crypto::SecretKey tweaked_;
  Bytes script_;
  std::set<btc::OutPoint> reserved_;
};

}  // namespace ladder::core
