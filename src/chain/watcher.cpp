#include "chain/watcher.h"

#include "chain/consensus.h"

namespace ladder::chain {

const char* event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::block_connected: return "block_connected";
    case EventKind::block_disconnected: return "block_disconnected";
    case EventKind::tx_confirmed: return "tx_confirmed";
    case EventKind::tx_reorged_out: return "tx_reorged_out";
    case EventKind::outpoint_spent: return "outpoint_spent";
    case EventKind::outpoint_spent_in_mempool: return "outpoint_spent_in_mempool";
    case EventKind::outpoint_spend_reorged_out: return "outpoint_spend_reorged_out";
  }
  return "unknown";
}

void ChainWatcher::watch_txid(const btc::Txid& txid) { txids_.try_emplace(txid); }

void ChainWatcher::watch_outpoint(const btc::OutPoint& op) { outpoints_.try_emplace(op); }

Expected<std::vector<ChainEvent>> ChainWatcher::sync(BlockSource& source) {
  LADDER_ASSIGN(int tip, source.source_height());
  if (seen_.empty()) {
    LADDER_ASSIGN(Bytes32 hash, source.source_block_hash(tip));
    seen_.emplace_back(tip, hash);
  }
  // Walk back to the last block the source still has at the same height.
  while (!seen_.empty()) {
    auto [h, hash] = seen_.back();
    if (h <= tip) {
      LADDER_ASSIGN(Bytes32 current, source.source_block_hash(h));
      if (current == hash) break;
    }
    disconnect(h, hash);
    seen_.pop_back();
  }
  if (seen_.empty()) {
    LADDER_ASSIGN(Bytes32 hash, source.source_block_hash(tip));
    seen_.emplace_back(tip, hash);
    return make_error("chain.reorg-too-deep", "reorg deeper than the " + std::to_string(memory_) +
                                                  " blocks remembered; restarted from the tip");
  }
  for (int h = seen_.back().first + 1; h <= tip; ++h) {
    LADDER_ASSIGN(Bytes32 hash, source.source_block_hash(h));
    LADDER_TRY(connect(source, h, hash));
  }
  LADDER_TRY(initial_lookups(source));
  LADDER_TRY(mempool_spends(source));
  std::vector<ChainEvent> out;
  out.swap(events_);
  return out;
}

Status ChainWatcher::connect(BlockSource& source, int height, const Bytes32& hash) {
  LADDER_ASSIGN(std::shared_ptr<const Block> block, source.source_block(hash));
  ChainEvent connected;
  connected.kind = EventKind::block_connected;
  connected.height = height;
  connected.block_hash = hash;
  events_.push_back(connected);
  if (!txids_.empty() || !outpoints_.empty()) {
    for (const auto& tx : block->txs) {
      const btc::Txid txid = tx.txid();
      if (auto it = txids_.find(txid); it != txids_.end()) {
        it->second.conf = Confirmation{height, hash};
        it->second.checked = true;
        ChainEvent e = connected;
        e.kind = EventKind::tx_confirmed;
        e.txid = txid;
        events_.push_back(e);
      }
      for (const auto& in : tx.vin) {
        auto it = outpoints_.find(in.prevout);
        if (it == outpoints_.end()) continue;
        it->second.spent = Confirmation{height, hash};
        it->second.spender = txid;
        ChainEvent e = connected;
        e.kind = EventKind::outpoint_spent;
        e.txid = txid;
        e.outpoint = in.prevout;
        e.spending_tx = tx;
        events_.push_back(std::move(e));
      }
    }
  }
  seen_.emplace_back(height, hash);
  while (seen_.size() > memory_) seen_.pop_front();
  return ok();
}

void ChainWatcher::disconnect(int height, const Bytes32& hash) {
  for (auto& [txid, w] : txids_) {
    if (!w.conf || w.conf->block_hash != hash) continue;
    ChainEvent e;
    e.kind = EventKind::tx_reorged_out;
    e.height = height;
    e.block_hash = hash;
    e.txid = txid;
    events_.push_back(e);
    w.conf.reset();
  }
  for (auto& [op, w] : outpoints_) {
    if (!w.spent || w.spent->block_hash != hash) continue;
    ChainEvent e;
    e.kind = EventKind::outpoint_spend_reorged_out;
    e.height = height;
    e.block_hash = hash;
    e.txid = w.spender;
    e.outpoint = op;
    events_.push_back(e);
    w.spent.reset();
    w.mempool_spender.reset();
  }
  ChainEvent e;
  e.kind = EventKind::block_disconnected;
  e.height = height;
  e.block_hash = hash;
  events_.push_back(e);
}

Status ChainWatcher::initial_lookups(BlockSource& source) {
  for (auto& [txid, w] : txids_) {
    if (w.checked) continue;
    LADDER_ASSIGN(std::optional<TxStatus> st, source.source_tx(txid));
    w.checked = true;
    if (!st || st->height < 0) continue;
    // Only a block the watcher has processed counts; a newer one is reported
    // when it is connected.
    bool known = false;
    for (const auto& [h, hash] : seen_) known = known || (h == st->height && hash == st->block_hash);
    if (!known) continue;
    w.conf = Confirmation{st->height, st->block_hash};
    ChainEvent e;
    e.kind = EventKind::tx_confirmed;
    e.height = st->height;
    e.block_hash = st->block_hash;
    e.txid = txid;
    events_.push_back(e);
  }
  return ok();
}

Status ChainWatcher::mempool_spends(BlockSource& source) {
  for (auto& [op, w] : outpoints_) {
    if (w.spent) continue;
    LADDER_ASSIGN(std::optional<btc::Transaction> spender, source.source_mempool_spender(op));
    if (!spender) {
      w.mempool_spender.reset();
      continue;
    }
    btc::Txid txid = spender->txid();
    if (w.mempool_spender == txid) continue;
    w.mempool_spender = txid;
    ChainEvent e;
    e.kind = EventKind::outpoint_spent_in_mempool;
    e.txid = txid;
    e.outpoint = op;
    e.spending_tx = std::move(*spender);
    events_.push_back(std::move(e));
  }
  return ok();
}

}  // namespace ladder::chain
