// EmbeddedChain: construction, queries and the clock. Mempool acceptance is
// in mempool_accept.cpp, block connection in block_connect.cpp, mining and
// reorgs in mining.cpp.
#include "chain/embedded_chain.h"

#include <algorithm>

#include "btc/opcodes.h"

namespace ladder::chain {

EmbeddedChain::EmbeddedChain(ChainParams params) : params_(std::move(params)) {
  // Genesis: its coinbase pays to an unspendable script, and as in Core its
  // outputs never enter the UTXO set.
  auto genesis = std::make_shared<Block>();
  genesis->header.version = 1;
  genesis->header.time = params_.genesis_time;
  genesis->header.bits = params_.pow_bits;
  Bytes unspendable = {btc::OP_RETURN};
  genesis->txs.push_back(make_coinbase(0, params_.initial_subsidy, unspendable));
  TxFacts f = tx_facts(genesis->txs[0]);
  genesis->header.merkle_root = f.txid.bytes;
  while (!check_proof_of_work(genesis->header.hash(), genesis->header.bits)) ++genesis->header.nonce;
  BlockRecord rec;
  rec.hash = genesis->header.hash();
  rec.height = 0;
  rec.mtp = genesis->header.time;
  rec.facts = {f};
  rec.fees = {0};
  rec.block = std::move(genesis);
  tx_index_[f.txid] = TxPos{0, 0};
  active_heights_[rec.hash] = 0;
  active_.push_back(std::move(rec));
  undo_.emplace_back();
  now_ = static_cast<int64_t>(params_.genesis_time) + params_.block_interval_seconds;
}

const BlockRecord* EmbeddedChain::at_height(int h) const {
  if (h < 0 || h > height()) return nullptr;
  return &active_[static_cast<size_t>(h)];
}

const BlockRecord* EmbeddedChain::find_block(const Bytes32& hash) const {
  if (auto a = active_heights_.find(hash); a != active_heights_.end()) return &active_[static_cast<size_t>(a->second)];
  auto it = stale_.find(hash);
  return it == stale_.end() ? nullptr : &it->second;
}

bool EmbeddedChain::is_active(const Bytes32& hash) const { return active_heights_.count(hash) > 0; }

int64_t EmbeddedChain::compute_mtp(uint32_t new_time) const {
  std::vector<int64_t> times = {new_time};
  for (int h = height(); h >= 0 && times.size() < 11; --h) times.push_back(active_[static_cast<size_t>(h)].block->header.time);
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::optional<TxLocation> EmbeddedChain::find_tx(const btc::Txid& txid) const {
  if (const MempoolEntry* e = mempool_.find(txid)) return TxLocation{e->tx, -1, Bytes32{}, 0, 0};
  auto it = tx_index_.find(txid);
  if (it == tx_index_.end()) return std::nullopt;
  const BlockRecord& rec = active_[static_cast<size_t>(it->second.height)];
  std::shared_ptr<const btc::Transaction> tx(rec.block, &rec.block->txs[it->second.index]);
  return TxLocation{std::move(tx), rec.height, rec.hash, it->second.index, height() - rec.height + 1};
}

std::vector<Utxo> EmbeddedChain::unspent_outputs(ByteView script_pubkey) const {
  std::vector<Utxo> out;
  for (const auto& [op, c] : utxo_.all()) {
    if (!std::equal(c.out.script_pubkey.begin(), c.out.script_pubkey.end(), script_pubkey.begin(), script_pubkey.end()))
      continue;
    if (mempool_.spender(op)) continue;
    out.push_back({op, c.out, c.height, height() - c.height + 1, c.coinbase});
  }
  for (const MempoolEntry* e : mempool_.in_arrival_order()) {
    for (uint32_t i = 0; i < e->tx->vout.size(); ++i) {
      const auto& o = e->tx->vout[i];
      if (!std::equal(o.script_pubkey.begin(), o.script_pubkey.end(), script_pubkey.begin(), script_pubkey.end())) continue;
      btc::OutPoint op{e->facts.txid, i};
      if (mempool_.spender(op)) continue;
      out.push_back({op, o, -1, 0, false});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.height != b.height ? (a.height == -1 ? false : b.height == -1 || a.height < b.height) : a.outpoint < b.outpoint;
  });
  return out;
}

int64_t EmbeddedChain::estimate_fee_per_kvb() const {
  std::vector<int64_t> rates;
  for (int h = height(); h > 0 && h > height() - params_.fee_estimate_blocks; --h) {
    const BlockRecord& rec = active_[static_cast<size_t>(h)];
    for (size_t i = 1; i < rec.facts.size(); ++i) rates.push_back(rec.fees[i] * 1000 / std::max<int64_t>(1, rec.facts[i].vsize));
  }
  if (rates.empty()) return std::max(params_.fallback_fee_per_kvb, params_.min_relay_fee_per_kvb);
  std::nth_element(rates.begin(), rates.begin() + static_cast<long>(rates.size() / 2), rates.end());
  return std::max(rates[rates.size() / 2], params_.min_relay_fee_per_kvb);
}

}  // namespace ladder::chain
