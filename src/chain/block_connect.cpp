// EmbeddedChain: connecting and disconnecting blocks on the tip.
#include <algorithm>

#include "btc/script_flags.h"
#include "btc/tx_check.h"
#include "chain/embedded_chain.h"
#include "chain/script_check.h"

namespace ladder::chain {

namespace {

Error block_error(std::string code, std::string message = {}) { return make_error(std::move(code), std::move(message)); }

}  // namespace

uint32_t EmbeddedChain::mempool_script_flags(const TxFacts& f) const {
  const MempoolEntry* e = mempool_.find(f.txid);
  return e && e->facts.wtxid == f.wtxid ? e->script_flags_checked : 0;
}

Status EmbeddedChain::connect_block(const Block& block, bool verify_scripts) {
  std::vector<TxFacts> facts;
  facts.reserve(block.txs.size());
  for (const auto& tx : block.txs) facts.push_back(tx_facts(tx));
  Prior prior{verify_scripts ? Origin::external : Origin::replay, {}, false};
  if (verify_scripts) {
    prior.verified_flags.reserve(facts.size());
    for (const auto& f : facts) prior.verified_flags.push_back(mempool_script_flags(f));
  }
  return connect(std::make_shared<const Block>(block), std::move(facts), prior);
}

Status EmbeddedChain::connect(std::shared_ptr<const Block> block, std::vector<TxFacts> facts, const Prior& prior) {
  const BlockHeader& h = block->header;
  const int new_height = height() + 1;
  if (h.prev_hash != tip().hash) return block_error("bad-prevblk", "block does not build on the tip");
  if (h.bits != params_.pow_bits) return block_error("bad-diffbits", "incorrect proof of work target");
  const Bytes32 hash = h.hash();
  if (!check_proof_of_work(hash, h.bits)) return block_error("high-hash", "proof of work failed");
  if (static_cast<int64_t>(h.time) <= median_time_past()) return block_error("time-too-old", "block's timestamp is too early");
  if (block->txs.empty() || !block->txs[0].is_coinbase()) return block_error("bad-cb-missing", "first tx is not coinbase");
  for (size_t i = 1; i < block->txs.size(); ++i)
    if (block->txs[i].is_coinbase()) return block_error("bad-cb-multiple", "more than one coinbase");
  if (!prior.assembled_here) {
    std::vector<Bytes32> leaves;
    leaves.reserve(facts.size());
    for (const auto& f : facts) leaves.push_back(f.txid.bytes);
    if (merkle_root(std::move(leaves)) != h.merkle_root) return block_error("bad-txnmrklroot", "hashMerkleRoot mismatch");
  }
  auto cb_height = coinbase_height(block->txs[0]);
  if (!cb_height || *cb_height != new_height) return block_error("bad-cb-height", "block height mismatch in coinbase");
  bool any_witness = std::any_of(block->txs.begin() + 1, block->txs.end(), [](const auto& t) { return t.has_witness(); });
  if (auto commitment = find_witness_commitment(block->txs[0])) {
    const auto& w = block->txs[0].vin[0].witness;
    if (w.size() != 1 || w[0].size() != 32 || std::any_of(w[0].begin(), w[0].end(), [](uint8_t b) { return b != 0; }))
      return block_error("bad-witness-merkle-match", "witness merkle commitment mismatch");
    if (!prior.assembled_here) {
      std::vector<Bytes32> wtxids;
      wtxids.reserve(facts.size());
      for (const auto& f : facts) wtxids.push_back(f.wtxid);
      if (compute_witness_commitment(std::move(wtxids)) != *commitment)
        return block_error("bad-witness-merkle-match", "witness merkle commitment mismatch");
    }
  } else if (any_witness || block->txs[0].has_witness()) {
    return block_error("unexpected-witness", "unexpected witness data found");
  }
  int64_t weight = 80 * btc::WITNESS_SCALE_FACTOR;
  for (const auto& f : facts) weight += f.weight;
  if (weight > params_.max_block_weight) return block_error("bad-blk-weight", "weight limit failed");

  BlockUndo undo;
  std::vector<btc::Amount> fees;
  LADDER_TRY(connect_txs(*block, facts, new_height, median_time_past(), prior, undo, fees));

  BlockRecord rec;
  rec.block = std::move(block);
  rec.hash = hash;
  rec.height = new_height;
  rec.mtp = compute_mtp(h.time);
  rec.facts = std::move(facts);
  rec.fees = std::move(fees);
  tx_index_.reserve(tx_index_.size() + rec.facts.size());
  for (uint32_t i = 0; i < rec.facts.size(); ++i) tx_index_[rec.facts[i].txid] = TxPos{new_height, i};
  stale_.erase(rec.hash);
  active_heights_[rec.hash] = rec.height;
  active_.push_back(std::move(rec));
  undo_.push_back(std::move(undo));
  remove_for_block(active_.back());
  return ok();
}

Status EmbeddedChain::connect_txs(const Block& block, const std::vector<TxFacts>& facts, int height, int64_t prev_mtp,
                                  const Prior& prior, BlockUndo& undo, std::vector<btc::Amount>& fees) {
  const Origin origin = prior.origin;
  // Applies txs one by one; on failure rolls back what was applied.
  size_t applied = 0;
  auto rollback = [&] {
    for (size_t t = applied; t-- > 0;) {
      const auto& tx = block.txs[t];
      for (uint32_t n = 0; n < tx.vout.size(); ++n) utxo_.spend(btc::OutPoint{facts[t].txid, n});
      if (t == 0) continue;
      for (size_t i = tx.vin.size(); i-- > 0;) {
        utxo_.add(tx.vin[i].prevout, std::move(undo.spent.back()));
        undo.spent.pop_back();
      }
    }
  };
  fees.assign(block.txs.size(), 0);
  size_t inputs = 0;
  for (size_t t = 1; t < block.txs.size(); ++t) inputs += block.txs[t].vin.size();
  undo.spent.reserve(inputs);
  btc::Amount total_fees = 0;
  std::vector<const Coin*> coins;
  std::vector<int> coin_heights;
  auto mtp = [this](int h) { return mtp_at(h); };
  for (size_t t = 0; t < block.txs.size(); ++t) {
    const auto& tx = block.txs[t];
    if (t > 0) {
      Status s = [&]() -> Status {
        if (origin == Origin::external) LADDER_TRY(btc::check_transaction(tx));
        if (!is_final_tx(tx, height, prev_mtp)) return block_error("bad-txns-nonfinal", "non-final transaction");
        coins.assign(tx.vin.size(), nullptr);
        coin_heights.assign(tx.vin.size(), 0);
        for (size_t i = 0; i < tx.vin.size(); ++i) {
          coins[i] = utxo_.find(tx.vin[i].prevout);
          if (!coins[i]) return make_culprit_error("bad-txns-inputs-missingorspent", static_cast<int>(i), "input",
                                                   "tx " + facts[t].txid.hex() + " input " + std::to_string(i));
          coin_heights[i] = coins[i]->height;
        }
        if (!check_sequence_locks(tx, coin_heights, mtp, height, prev_mtp))
          return block_error("bad-txns-nonfinal", "contains a non-BIP68-final transaction");
        LADDER_ASSIGN(fees[t], check_tx_inputs(tx, coins, height, params_.coinbase_maturity));
        if (origin != Origin::replay) {
          uint32_t verified = prior.verified_flags.empty() ? 0 : prior.verified_flags[t];
          if ((verified & btc::MANDATORY_SCRIPT_VERIFY_FLAGS) != btc::MANDATORY_SCRIPT_VERIFY_FLAGS) {
            auto cached = script_cache_.find(facts[t].wtxid);
            if (cached != script_cache_.end()) verified |= cached->second;
          }
          if ((verified & btc::MANDATORY_SCRIPT_VERIFY_FLAGS) != btc::MANDATORY_SCRIPT_VERIFY_FLAGS) {
            auto r = chain::verify_scripts(tx, coins, btc::MANDATORY_SCRIPT_VERIFY_FLAGS);
            if (!r) return make_error("mandatory-script-verify-flag-failed", r.error().message.empty() ? r.error().code : r.error().message);
            script_cache_[facts[t].wtxid] |= btc::MANDATORY_SCRIPT_VERIFY_FLAGS;
          }
        }
        return ok();
      }();
      if (!s) {
        rollback();
        return s;
      }
      total_fees += fees[t];
      for (const auto& in : tx.vin) undo.spent.push_back(std::move(*utxo_.spend(in.prevout)));
    }
    utxo_.add_outputs(tx, facts[t].txid, height);
    ++applied;
  }
  btc::Amount cb_out = 0;
  for (const auto& o : block.txs[0].vout) cb_out += o.value;
  if (cb_out > params_.subsidy(height) + total_fees) {
    rollback();
    return block_error("bad-cb-amount", "coinbase pays too much (actual=" + std::to_string(cb_out) +
                                            " vs limit=" + std::to_string(params_.subsidy(height) + total_fees) + ")");
  }
  return ok();
}

std::vector<std::shared_ptr<const btc::Transaction>> EmbeddedChain::disconnect_tip() {
  BlockRecord rec = std::move(active_.back());
  BlockUndo undo = std::move(undo_.back());
  active_.pop_back();
  undo_.pop_back();
  active_heights_.erase(rec.hash);
  const Block& block = *rec.block;
  for (size_t t = block.txs.size(); t-- > 0;) {
    const auto& tx = block.txs[t];
    for (uint32_t n = 0; n < tx.vout.size(); ++n) utxo_.spend(btc::OutPoint{rec.facts[t].txid, n});
    tx_index_.erase(rec.facts[t].txid);
    if (t == 0) continue;
    for (size_t i = tx.vin.size(); i-- > 0;) {
      utxo_.add(tx.vin[i].prevout, std::move(undo.spent.back()));
      undo.spent.pop_back();
    }
  }
  std::vector<std::shared_ptr<const btc::Transaction>> txs;
  for (size_t t = 1; t < block.txs.size(); ++t) txs.emplace_back(rec.block, &block.txs[t]);
  stale_.emplace(rec.hash, std::move(rec));
  return txs;
}

void EmbeddedChain::remove_for_block(const BlockRecord& rec) {
  const Block& block = *rec.block;
  for (size_t t = 1; t < block.txs.size(); ++t) {
    const btc::Txid& txid = rec.facts[t].txid;
    if (mempool_.find(txid)) {
      mempool_.remove_mined(txid);
      continue;
    }
    for (const auto& in : block.txs[t].vin)
      if (const btc::Txid* s = mempool_.spender(in.prevout)) mempool_.remove_with_descendants(btc::Txid(*s));
  }
}

}  // namespace ladder::chain
