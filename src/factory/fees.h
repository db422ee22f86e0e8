// Endogenous fees of pre-signed transactions (DESIGN §3 "Fees and relay").
//
// Every pre-signed tx spends one taproot output by key path and pays
// ceil(vsize × rate) from its own value. vsizes are computed exactly from the
// output scripts' sizes; tests check them against serialized transactions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "btc/amount.h"

namespace ladder::factory {

inline constexpr size_t kP2trScriptSize = 34;
inline constexpr size_t kP2aScriptSize = 4;
inline constexpr int64_t kMaxTreeTxVsize = 10'000;  // TRUC limit and DESIGN §3

// vsize of a tx with one key-path taproot input (64-byte signature) and
// outputs with the given scriptPubKey sizes.
int64_t keypath_tx_vsize(std::span<const size_t> output_script_sizes);
// vsize of the same with `n` P2TR outputs plus one P2A anchor.
int64_t keypath_tx_vsize_p2tr(size_t n_p2tr_outputs, bool anchor = true);

inline btc::Amount fee_for(int64_t vsize, btc::Amount rate_sat_per_kvb) {
  return (vsize * rate_sat_per_kvb + 999) / 1000;
}

}  // namespace ladder::factory
