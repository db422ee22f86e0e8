// chain::Backend over an EmbeddedChain in the same process.
//
// The backend borrows the chain (the host or test owns it and may drive it
// directly: reorgs, explicit blocks); poll() picks up whatever changed.
// Never fails for I/O reasons. Not thread-safe.
#pragma once

#include "chain/backend.h"
#include "chain/embedded_chain.h"
#include "chain/watcher.h"

namespace ladder::chain {

class EmbeddedBackend final : public Backend, private BlockSource {
 public:
  explicit EmbeddedBackend(EmbeddedChain& chain) : chain_(chain) {}

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
  Expected<std::vector<Bytes32>> mine(int n, ByteView script_pubkey) override { return chain_.mine(n, script_pubkey); }
  Status set_mock_time(int64_t unix_time) override;

  EmbeddedChain& chain() { return chain_; }

 private:
  Expected<int> source_height() override { return chain_.height(); }
  Expected<Bytes32> source_block_hash(int height) override;
  Expected<std::shared_ptr<const Block>> source_block(const Bytes32& hash) override;
  Expected<std::optional<btc::Transaction>> source_mempool_spender(const btc::OutPoint& op) override;
  Expected<std::optional<TxStatus>> source_tx(const btc::Txid& txid) override { return get_tx(txid); }

  EmbeddedChain& chain_;
  ChainWatcher watcher_;
};

}  // namespace ladder::chain
