// Contextual consensus checks of a transaction against the coins it spends
// and the block it would be in: input amounts and coinbase maturity,
// nLockTime finality (BIP-113: time locks compare with the median time past),
// and BIP-68 relative locks by height and by time.
//
// Context-free checks (Core's CheckTransaction) and script verification live
// in btc/ and in chain/script_check.h. Errors carry Bitcoin Core's reject
// strings as codes ("bad-txns-in-belowout", "non-final", "non-BIP68-final",
// ...) and a message with the details. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "btc/tx.h"
#include "chain/coins.h"
#include "util/expected.h"

namespace ladder::chain {

// What is computed once per transaction and reused everywhere after.
struct TxFacts {
  btc::Txid txid;
  Bytes32 wtxid{};
  size_t base_size = 0;   // serialized without witness
  size_t total_size = 0;  // serialized with witness
  int64_t weight = 0;
  int64_t vsize = 0;
};
TxFacts tx_facts(const btc::Transaction& tx);

// Core's Consensus::CheckTxInputs: every coin present (`coins[i]` spent by
// input i), coinbase outputs mature at `spend_height`, values in range, and
// inputs ≥ outputs. Returns the fee. Codes:
// "bad-txns-premature-spend-of-coinbase", "bad-txns-inputvalues-outofrange",
// "bad-txns-in-belowout", "bad-txns-fee-outofrange".
Expected<btc::Amount> check_tx_inputs(const btc::Transaction& tx, std::span<const Coin* const> coins,
                                      int spend_height, int coinbase_maturity);

// nLockTime finality for a tx in a block at `block_height` whose lock-time
// cutoff is `block_time` (the previous block's median time past, BIP-113).
bool is_final_tx(const btc::Transaction& tx, int block_height, int64_t block_time);

// "non-final" with a message saying what the lock waits for, or ok.
Status check_final_tx(const btc::Transaction& tx, int block_height, int64_t block_time);

// BIP-68 for a tx in a block at `block_height` whose parent has median time
// past `prev_mtp`. `coin_heights[i]` is the height of the coin input i spends
// (block_height for a coin created in the same block or the mempool);
// `mtp_at(h)` is the median time past of the block at height h ≤ block_height-1.
// Error "non-BIP68-final" naming the first immature input and when it
// matures. Transactions with nVersion < 2 have no relative locks.
Status check_sequence_locks(const btc::Transaction& tx, std::span<const int> coin_heights,
                            const std::function<int64_t(int)>& mtp_at, int block_height, int64_t prev_mtp);

}  // namespace ladder::chain
