// Method handlers of ChainRpc, split over rpc_methods*.cpp. Internal.
#pragma once

#include "chain/rpc_params.h"

namespace ladder::chain::rpc {

struct Context {
  EmbeddedChain& chain;
  BlockStore* store;
  std::atomic<bool>& stop;
  void persist() const;  // writes state changes; an I/O failure is an RPC error
};

using Handler = nlohmann::json (*)(Context&, const nlohmann::json& params);

// Blockchain, mining and control methods (rpc_methods.cpp).
nlohmann::json getblockchaininfo(Context&, const nlohmann::json&);
// Transaction, UTXO and mempool methods (rpc_methods_tx.cpp).
nlohmann::json getrawtransaction(Context&, const nlohmann::json&);
nlohmann::json sendrawtransaction(Context&, const nlohmann::json&);
nlohmann::json testmempoolaccept(Context&, const nlohmann::json&);
nlohmann::json gettxout(Context&, const nlohmann::json&);
nlohmann::json gettxspendingprevout(Context&, const nlohmann::json&);
nlohmann::json scantxoutset(Context&, const nlohmann::json&);
nlohmann::json getmempoolinfo(Context&, const nlohmann::json&);
nlohmann::json getrawmempool(Context&, const nlohmann::json&);

// A scriptPubKey from "raw(HEX)", "addr(ADDRESS)" (descriptors) or, with
// `bare_address`, a plain regtest address. Fails with -5 / -8.
Bytes script_from_target(const std::string& s, bool bare_address);

}  // namespace ladder::chain::rpc
