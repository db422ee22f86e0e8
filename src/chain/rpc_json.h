// JSON shapes of bitcoind's RPC results for transactions, outputs and
// blocks, and amount conversion between satoshis and the BTC numbers the
// RPC uses. Shared by the chaind server and the bitcoind client.
//
// Transaction JSON follows decoderawtransaction (txid, hash, version, size,
// vsize, weight, locktime, vin, vout) without the "asm" fields. Pure
// functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "btc/tx.h"
#include "chain/block.h"
#include "util/expected.h"

namespace ladder::chain {

// 8-decimal BTC value as a JSON number (bitcoind's ValueFromAmount).
nlohmann::json btc_value(btc::Amount sat);
// Parses a BTC amount (number or numeric string) into satoshis, rejecting
// negatives, more than 8 decimals and values above 21 million BTC
// ("rpc.bad-amount").
Expected<btc::Amount> amount_from_json(const nlohmann::json& v);

// {"hex", "type", "address"?} for a scriptPubKey (regtest addresses).
nlohmann::json script_pubkey_json(ByteView script);
nlohmann::json tx_json(const btc::Transaction& tx);
// getblock verbosity 1 (txids) or 2 (decoded txs with "fee" where known).
nlohmann::json block_header_json(const BlockHeader& header);

}  // namespace ladder::chain
