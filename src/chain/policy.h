// Relay policy (standardness) as Bitcoin Core 28/29 enforces it by default,
// so that what the embedded chain accepts a real node accepts too:
// nVersion 1..3, weight ≤ 400,000, push-only scriptSigs ≤ 1,650 bytes,
// standard output types (including P2A and one OP_RETURN ≤ 83 bytes), no
// dust (P2A's limit is 240 sat at the default 3 sat/vB), standard inputs,
// standard witnesses, non-witness size ≥ 65 bytes, min relay fee.
//
// Differences from Core, by design: no dust output is allowed even in a
// zero-fee TRUC tx (Core 29's "ephemeral dust" exception), and signature
// operations are not counted against MAX_STANDARD_TX_SIGOPS_COST.
//
// Each check returns ok or an Error whose code is Core's reject string
// ("version", "tx-size", "scriptsig-size", "scriptsig-not-pushonly",
// "scriptpubkey", "dust", "multi-op-return", "tx-size-small",
// "bad-txns-nonstandard-inputs", "bad-witness-nonstandard",
// "min relay fee not met"). Pure functions; thread-safe.
#pragma once

#include <span>

#include "btc/tx.h"
#include "chain/coins.h"
#include "chain/consensus.h"
#include "chain/params.h"
#include "util/expected.h"

namespace ladder::chain {

inline constexpr uint32_t TRUC_VERSION = 3;

// Fee for `vsize` virtual bytes at `per_kvb` sat per 1000 vB (Core's CFeeRate::GetFee).
btc::Amount fee_for(int64_t per_kvb, int64_t vsize);

// a_fee / a_vsize > b_fee / b_vsize, computed exactly.
bool fee_rate_greater(btc::Amount a_fee, int64_t a_vsize, btc::Amount b_fee, int64_t b_vsize);

// The value below which `out` is dust at `dust_relay_fee_per_kvb`.
btc::Amount dust_threshold(const btc::TxOut& out, int64_t dust_relay_fee_per_kvb);

// Core's IsStandardTx.
Status check_standard_tx(const btc::Transaction& tx, const TxFacts& facts, const ChainParams& params);

// Core's AreInputsStandard (P2SH redeem scripts with at most 15 sigops, no
// spends of non-standard or unknown-witness outputs).
Status check_standard_inputs(const btc::Transaction& tx, std::span<const Coin* const> coins);

// Core's IsWitnessStandard (P2WSH and tapscript stack limits, no annex, no
// witness on non-witness or P2A spends).
Status check_witness_standard(const btc::Transaction& tx, std::span<const Coin* const> coins);

}  // namespace ladder::chain
