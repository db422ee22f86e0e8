// chain::Backend over bitcoind's JSON-RPC, for regtest, signet and mainnet
// (and `ladder chaind`, which speaks the same subset).
//
// Calls used: sendrawtransaction (maxfeerate 0: Ladder sets its own fees),
// getblockchaininfo, getrawtransaction (verbose), getblockheader,
// getblockcount, getblockhash, getblock (verbosity 0), gettxspendingprevout
// (Core ≥ 24), scantxoutset, estimatesmartfee, generatetodescriptor and
// setmocktime (regtest only).
//
// Reject reasons are recovered from bitcoind's messages ("reason, details"
// or "reason (details)"), so Error::code is Core's reject string exactly as
// with the embedded backend; -27 becomes "txn-already-known" and a
// maxfeerate refusal "max-fee-exceeded". Limits of a real node: get_tx finds
// confirmed txs only with -txindex; unspent_outputs reports confirmed outputs
// (scantxoutset) minus those spent in the mempool; fee estimates fall back
// to `fallback_fee_per_kvb` while the node has none. Transport failures are
// "chain.rpc-*" errors (see rpc_client.h). Not thread-safe.
#pragma once

#include "chain/backend.h"
#include "chain/rpc_client.h"
#include "chain/watcher.h"

namespace ladder::chain {

struct BitcoindOptions {
  RpcClientOptions rpc;
  int64_t fallback_fee_per_kvb = 2000;
};

class BitcoindBackend final : public Backend, private BlockSource {
 public:
  explicit BitcoindBackend(BitcoindOptions options) : options_(options), rpc_(std::move(options.rpc)) {}

  Expected<btc::Txid> broadcast(const btc::Transaction& tx) override;
  Expected<TipInfo> tip() override;
  Expected<std::optional<TxStatus>> get_tx(const btc::Txid& txid) override;
  Expected<std::vector<Utxo>> unspent_outputs(ByteView script_pubkey) override;
  Expected<int64_t> estimate_fee_per_kvb(int target_blocks) override;
  void watch_txid(const btc::Txid& txid) override { watcher_.watch_txid(txid); }
  void watch_outpoint(const btc::OutPoint& op) override { watcher_.watch_outpoint(op); }
  void unwatch_txid(const btc::Txid& txid) override { watcher_.unwatch_txid(txid); }
  void unwatch_outpoint(const btc::OutPoint& op) override { watcher_.unwatch_outpoint(op); }
  Expected<std::vector<ChainEvent>> poll() override { return watcher_.sync(*this); }
  Expected<std::vector<Bytes32>> mine(int n, ByteView script_pubkey) override;
  Status set_mock_time(int64_t unix_time) override;

  RpcClient& rpc() { return rpc_; }

 private:
  Expected<int> source_height() override;
  Expected<Bytes32> source_block_hash(int height) override;
  Expected<std::shared_ptr<const Block>> source_block(const Bytes32& hash) override;
  Expected<std::optional<btc::Transaction>> source_mempool_spender(const btc::OutPoint& op) override;
  Expected<std::optional<TxStatus>> source_tx(const btc::Txid& txid) override { return get_tx(txid); }

  BitcoindOptions options_;
  RpcClient rpc_;
  ChainWatcher watcher_;
};

// The Error for a bitcoind rejection message (see the file comment).
Error parse_reject(int rpc_code, const std::string& message);

}  // namespace ladder::chain
