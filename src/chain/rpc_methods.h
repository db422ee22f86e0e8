// ChainRpc: bitcoind's JSON-RPC methods over an EmbeddedChain, independent
// of HTTP (rpc_server.h carries them).
//
// Methods: getblockchaininfo, getblockcount, getbestblockhash, getblockhash,
// getblock (verbosity 0/1/2), getblockheader, getrawtransaction,
// sendrawtransaction, testmempoolaccept, gettxout, gettxspendingprevout,
// scantxoutset ("start" with raw(HEX) / addr(ADDR) descriptors),
// estimatesmartfee, generatetoaddress (bech32/bech32m regtest addresses, or
// the extension "raw(HEX)" for any scriptPubKey), generatetodescriptor
// (raw()/addr()), getmempoolinfo, getrawmempool, invalidateblock, setmocktime, getnetworkinfo,
// stop. Results and error codes follow bitcoind (RPC_TYPE_ERROR -3,
// RPC_INVALID_PARAMETER -8, RPC_INVALID_ADDRESS_OR_KEY -5,
// RPC_DESERIALIZATION_ERROR -22, RPC_VERIFY_ERROR -25, RPC_VERIFY_REJECTED
// -26, RPC_VERIFY_ALREADY_IN_CHAIN -27, RPC_METHOD_NOT_FOUND -32601).
// Differences: testmempoolaccept checks each tx alone (no package
// semantics); getblock/getrawtransaction omit "asm"; the mempool is not
// persisted.
//
// Every state change is written to the BlockStore (if any) before the call
// returns. Never throws on bad input. Not thread-safe: the server
// serializes calls.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "chain/block_store.h"
#include "chain/embedded_chain.h"

namespace ladder::chain {

struct RpcError {
  int code = 0;
  std::string message;
};

struct RpcOutcome {
  nlohmann::json result;
  std::optional<RpcError> error;
};

inline constexpr int RPC_MISC_ERROR = -1;
inline constexpr int RPC_TYPE_ERROR = -3;
inline constexpr int RPC_INVALID_ADDRESS_OR_KEY = -5;
inline constexpr int RPC_INVALID_PARAMETER = -8;
inline constexpr int RPC_DESERIALIZATION_ERROR = -22;
inline constexpr int RPC_VERIFY_ERROR = -25;
inline constexpr int RPC_VERIFY_REJECTED = -26;
inline constexpr int RPC_VERIFY_ALREADY_IN_CHAIN = -27;
inline constexpr int RPC_INVALID_REQUEST = -32600;
inline constexpr int RPC_METHOD_NOT_FOUND = -32601;
inline constexpr int RPC_PARSE_ERROR = -32700;
inline constexpr int RPC_INTERNAL_ERROR = -32603;

class ChainRpc {
 public:
  ChainRpc(EmbeddedChain& chain, BlockStore* store) : chain_(chain), store_(store) {}

  // `params`: an array (positional) or an object (named), or null.
  RpcOutcome call(const std::string& method, const nlohmann::json& params);
  // True once the "stop" method was called.
  bool stop_requested() const { return stop_; }

 private:
  EmbeddedChain& chain_;
  BlockStore* store_;
  std::atomic<bool> stop_{false};
};

// bitcoind's message for a rejected tx: "reason" for script failures
// written "reason (details)", else "reason, details".
std::string reject_message(const Error& e);

}  // namespace ladder::chain
