// Context-free transaction checks (Bitcoin Core's CheckTransaction): rules
// every transaction must satisfy regardless of chain state.
//
// Error codes are Core's reject strings: "bad-txns-vin-empty",
// "bad-txns-vout-empty", "bad-txns-oversize", "bad-txns-vout-negative",
// "bad-txns-vout-toolarge", "bad-txns-txouttotal-toolarge",
// "bad-txns-inputs-duplicate", "bad-cb-length", "bad-txns-prevout-null".
// Pure; thread-safe.
#pragma once

#include "btc/tx.h"
#include "util/expected.h"

namespace ladder::btc {

// Consensus block weight limit; a transaction's stripped size ×4 may not exceed it.
inline constexpr int64_t MAX_BLOCK_WEIGHT = 4'000'000;

Status check_transaction(const Transaction& tx);

}  // namespace ladder::btc
