// Parameters of an embedded test chain (regtest-like by default).
//
// Every number the embedded chain's consensus and policy use lives here so a
// test can change it. Defaults follow Bitcoin Core's regtest and its relay
// policy as of Core 28/29: every soft fork through taproot active from
// genesis, subsidy 50 BTC halving every 150 blocks, coinbase maturity 100,
// min relay fee 1 sat/vB (1000 sat/kvB), dust relay fee 3 sat/vB, TRUC
// (nVersion 3) limits 10,000 vB / 1,000 vB, standard weight 400,000.
// A plain value; thread-safe to share read-only.
#pragma once

#include <cstdint>
#include <string>

#include "btc/amount.h"

namespace ladder::chain {

struct ChainParams {
  std::string name = "regtest";
  // Consensus.
  btc::Amount initial_subsidy = 50 * btc::COIN;
  int subsidy_halving_interval = 150;
  int coinbase_maturity = 100;
  int64_t max_block_weight = 4'000'000;
  uint32_t pow_bits = 0x207fffff;  // regtest target: about every other hash
  uint32_t genesis_time = 1296688602;
  int64_t block_interval_seconds = 600;  // the mock clock advances this much per mined block
  // Policy (relay).
  int64_t min_relay_fee_per_kvb = 1000;     // sat per 1000 vB
  int64_t incremental_relay_fee_per_kvb = 1000;
  int64_t dust_relay_fee_per_kvb = 3000;
  int64_t max_standard_tx_weight = 400'000;
  size_t max_op_return_relay = 83;  // scriptPubKey bytes of a standard OP_RETURN output
  int64_t truc_max_vsize = 10'000;
  int64_t truc_child_max_vsize = 1'000;
  int ancestor_limit = 25;       // count, including the tx
  int descendant_limit = 25;
  int64_t ancestor_size_limit_vb = 101'000;
  int64_t descendant_size_limit_vb = 101'000;
  int max_replacement_evictions = 100;
  // Replace-by-fee for every tx (Core 28's default). When false, only txs
  // signalling BIP-125 or with nVersion 3 can be replaced; replacing others
  // is "txn-mempool-conflict".
  bool full_rbf = true;
  // Fee estimate used when the chain has no fee history (sat per 1000 vB).
  int64_t fallback_fee_per_kvb = 2000;
  // How many recent blocks feed the fee estimate.
  int fee_estimate_blocks = 6;
  // Blocks kept disconnectable by invalidate/reorg (undo data retained).
  int max_reorg_depth = 1000;

  btc::Amount subsidy(int height) const {
    int halvings = height / subsidy_halving_interval;
    if (halvings >= 64) return 0;
    return initial_subsidy >> halvings;
  }
};

inline ChainParams regtest_params() { return ChainParams{}; }

}  // namespace ladder::chain
