// IndexedView: a core::ChainView over an EmbeddedChain that answers
// unspent(script) from an index by script instead of scanning the whole
// UTXO set, so that thousands of simulated wallets can ask every day.
//
// The index holds the confirmed outputs of the active chain by script; the
// host calls on_block() after each block it mines. Unconfirmed outputs and
// mempool spends are read from the mempool at query time, exactly as
// EmbeddedChain::unspent_outputs() does. Reorgs are not followed: the
// simulator does not reorg (tests that do use core::BackendView).
// Thread-safety: single-threaded.
#pragma once

#include <set>
#include <unordered_map>

#include "chain/embedded_backend.h"
#include "core/host.h"

namespace ladder::sim {

class IndexedView final : public core::ChainView {
 public:
  IndexedView(chain::EmbeddedChain& chain, chain::Backend& backend);

  // Indexes the blocks mined since the last call.
  void on_block();

  Expected<uint32_t> tip_height() override { return static_cast<uint32_t>(chain_.height()); }
  Expected<btc::Amount> fee_rate(int target_blocks) override;
  Expected<std::vector<chain::Utxo>> unspent(ByteView script) override;
  Expected<std::optional<chain::TxStatus>> tx_status(const btc::Txid& txid) override;

 private:
  struct BytesHash {
    size_t operator()(const Bytes& b) const;
  };
  chain::EmbeddedChain& chain_;
  chain::Backend& backend_;
  int indexed_ = -1;
  std::unordered_map<Bytes, std::set<btc::OutPoint>, BytesHash> by_script_;
  std::unordered_map<btc::OutPoint, Bytes, chain::OutPointHasher> script_of_;
};

}  // namespace ladder::sim
