// A single-key taproot wallet on the embedded chain, for tests: mines
// coinbases to itself, funds transactions from mature coins, signs its own
// key-path inputs, and sweeps outputs paid to tweaked keys it is given.
#pragma once

#include <vector>

#include "btc/tx.h"
#include "chain/embedded_chain.h"
#include "crypto/secp.h"

namespace ladder::test {

class TestWallet {
 public:
  explicit TestWallet(chain::EmbeddedChain& chain);

  const Bytes& script() const { return script_; }
  // Mines `blocks` blocks to the wallet and 100 more to mature them.
  void mine_coins(int blocks);
  // Mines n blocks to a throwaway script (time passes, nothing to the wallet).
  void mine_empty(int n);
  // A signed tx paying `outputs` (+ change back to the wallet) from mature
  // coins, at `fee_rate` sat/kvB. Throws on failure (test helper).
  btc::Transaction fund(std::vector<btc::TxOut> outputs, int64_t fee_rate = 2000);
  // Signs input `index` of `tx` spending `spent` (all spent outputs given,
  // in input order) by key path with `key` tweaked per BIP-86, or with `key`
  // itself as the output key when `tweaked` is false.
  static void sign_keypath(btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent,
                           const crypto::SecretKey& key, bool tweaked = true);
  // Submits and mines a tx, throws on rejection.
  void confirm(const btc::Transaction& tx);

 private:
  chain::EmbeddedChain& chain_;
  crypto::SecretKey key_;
  Bytes script_;
};

// P2TR(key, no script tree) as the factory uses for payouts.
Bytes p2tr_of(const crypto::PubKey& key);

}  // namespace ladder::test
