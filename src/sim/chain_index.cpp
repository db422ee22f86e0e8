#include "sim/chain_index.h"

#include "chain/coins.h"

namespace ladder::sim {

size_t IndexedView::BytesHash::operator()(const Bytes& b) const {
  size_t h = 1469598103934665603ULL;
  for (uint8_t c : b) h = (h ^ c) * 1099511628211ULL;
  return h;
}

IndexedView::IndexedView(chain::EmbeddedChain& chain, chain::Backend& backend) : chain_(chain), backend_(backend) {
  // Start from the current UTXO set.
  for (const auto& [op, coin] : chain_.utxos().all()) {
    by_script_[coin.out.script_pubkey].insert(op);
    script_of_.emplace(op, coin.out.script_pubkey);
  }
  indexed_ = chain_.height();
}

void IndexedView::on_block() {
  for (int h = indexed_ + 1; h <= chain_.height(); ++h) {
    const auto* rec = chain_.at_height(h);
    for (const auto& tx : rec->block->txs) {
      if (!tx.is_coinbase()) {
        for (const auto& in : tx.vin) {
          auto it = script_of_.find(in.prevout);
          if (it == script_of_.end()) continue;
          auto s = by_script_.find(it->second);
          if (s != by_script_.end()) {
            s->second.erase(in.prevout);
            if (s->second.empty()) by_script_.erase(s);
          }
          script_of_.erase(it);
        }
      }
      const btc::Txid txid = tx.txid();
      for (uint32_t i = 0; i < tx.vout.size(); ++i) {
        if (chain::is_unspendable(tx.vout[i].script_pubkey)) continue;
        by_script_[tx.vout[i].script_pubkey].insert({txid, i});
        script_of_.emplace(btc::OutPoint{txid, i}, tx.vout[i].script_pubkey);
      }
    }
  }
  indexed_ = chain_.height();
}

Expected<btc::Amount> IndexedView::fee_rate(int) { return chain_.estimate_fee_per_kvb(); }

Expected<std::optional<chain::TxStatus>> IndexedView::tx_status(const btc::Txid& txid) { return backend_.get_tx(txid); }

Expected<std::vector<chain::Utxo>> IndexedView::unspent(ByteView script) {
  std::vector<chain::Utxo> out;
  const Bytes key(script.begin(), script.end());
  const auto& mempool = chain_.mempool();
  auto it = by_script_.find(key);
  if (it != by_script_.end()) {
    for (const auto& op : it->second) {
      if (mempool.spender(op)) continue;
      const chain::Coin* c = chain_.coin(op);
      if (!c) continue;
      out.push_back({op, c->out, c->height, chain_.height() - c->height + 1, c->coinbase});
    }
  }
  for (const chain::MempoolEntry* e : mempool.in_arrival_order()) {
    for (uint32_t i = 0; i < e->tx->vout.size(); ++i) {
      if (e->tx->vout[i].script_pubkey != key) continue;
      btc::OutPoint op{e->facts.txid, i};
      if (mempool.spender(op)) continue;
      out.push_back({op, e->tx->vout[i], -1, 0, false});
    }
  }
  return out;
}

}  // namespace ladder::sim
