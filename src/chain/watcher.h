// ChainWatcher: turns a chain that can be read block by block into the
// ordered event stream chain::Backend::poll() returns. Both backends use it,
// so the embedded chain and bitcoind report reorgs identically.
//
// It remembers the hashes of the blocks it has processed (the last
// `memory` of them); on sync it walks back from its tip until its hash
// matches the source's at that height (disconnecting what no longer
// matches), then connects the source's blocks up to the tip. Watched txids
// and outpoints carry the block they were confirmed/spent in, so a
// disconnection reports exactly what it undoes. A reorg deeper than its
// memory yields "chain.reorg-too-deep" and the watcher restarts from the tip.
// The first sync only records the tip (no history is replayed). Not
// thread-safe; owned by one backend.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "chain/backend.h"
#include "chain/block.h"

namespace ladder::chain {

// What the watcher reads. Implemented by each backend.
class BlockSource {
 public:
  virtual ~BlockSource() = default;
  virtual Expected<int> source_height() = 0;
  virtual Expected<Bytes32> source_block_hash(int height) = 0;
  virtual Expected<std::shared_ptr<const Block>> source_block(const Bytes32& hash) = 0;
  // The unconfirmed tx spending `op`, if any.
  virtual Expected<std::optional<btc::Transaction>> source_mempool_spender(const btc::OutPoint& op) = 0;
  virtual Expected<std::optional<TxStatus>> source_tx(const btc::Txid& txid) = 0;
};

class ChainWatcher {
 public:
  explicit ChainWatcher(size_t memory = 1000) : memory_(memory) {}

  void watch_txid(const btc::Txid& txid);
  void watch_outpoint(const btc::OutPoint& op);
  void unwatch_txid(const btc::Txid& txid) { txids_.erase(txid); }
  void unwatch_outpoint(const btc::OutPoint& op) { outpoints_.erase(op); }

  // Catches up with `source` and returns the events since the last sync.
  // On a source error the events gathered so far stay queued for the next call.
  Expected<std::vector<ChainEvent>> sync(BlockSource& source);

 private:
  struct Confirmation {
    int height = -1;
    Bytes32 block_hash{};
  };
  struct TxWatch {
    std::optional<Confirmation> conf;
    bool checked = false;  // initial lookup done
  };
  struct OutPointWatch {
    std::optional<Confirmation> spent;
    btc::Txid spender;
    std::optional<btc::Txid> mempool_spender;
  };

  Status connect(BlockSource& source, int height, const Bytes32& hash);
  void disconnect(int height, const Bytes32& hash);
  Status initial_lookups(BlockSource& source);
  Status mempool_spends(BlockSource& source);

  size_t memory_;
  std::deque<std::pair<int, Bytes32>> seen_;  // processed blocks, oldest first
  std::map<btc::Txid, TxWatch> txids_;
  std::map<btc::OutPoint, OutPointWatch> outpoints_;
  std::vector<ChainEvent> events_;
};

}  // namespace ladder::chain
