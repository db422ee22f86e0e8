// EmbeddedChain: mining from the mempool or from explicit transactions, and
// reorgs (invalidate / replace the last blocks).
#include <algorithm>

#include "chain/embedded_chain.h"

namespace ladder::chain {

namespace {
constexpr int64_t kCoinbaseWeightReserve = 4000;
}

Expected<Bytes32> EmbeddedChain::mine_one(std::vector<std::shared_ptr<const btc::Transaction>> txs, std::vector<TxFacts> facts,
                                          btc::Amount fees, ByteView coinbase_script, Prior prior) {
  const int h = height() + 1;
  auto block = std::make_shared<Block>();
  block->header.prev_hash = tip().hash;
  block->header.bits = params_.pow_bits;
  block->header.time = static_cast<uint32_t>(std::max<int64_t>(median_time_past() + 1, now_));
  block->txs.reserve(txs.size() + 1);
  block->txs.push_back(make_coinbase(h, params_.subsidy(h) + fees, coinbase_script));
  for (auto& t : txs) block->txs.push_back(*t);
  facts.insert(facts.begin(), TxFacts{});
  std::vector<Bytes32> wtxids;
  wtxids.reserve(facts.size());
  for (const auto& f : facts) wtxids.push_back(f.wtxid);
  set_witness_commitment(block->txs[0], compute_witness_commitment(std::move(wtxids)));
  facts[0] = tx_facts(block->txs[0]);
  std::vector<Bytes32> leaves;
  leaves.reserve(facts.size());
  for (const auto& f : facts) leaves.push_back(f.txid.bytes);
  block->header.merkle_root = merkle_root(std::move(leaves));
  while (!check_proof_of_work(block->header.hash(), block->header.bits)) ++block->header.nonce;
  prior.verified_flags.insert(prior.verified_flags.begin(), 0);  // the coinbase
  prior.assembled_here = true;
  LADDER_TRY(connect(std::move(block), std::move(facts), prior));
  now_ = std::max<int64_t>(now_, tip().block->header.time) + params_.block_interval_seconds;
  return tip().hash;
}

Expected<std::vector<Bytes32>> EmbeddedChain::mine(int n, ByteView coinbase_script) {
  if (n < 0) return make_error("chain.invalid-argument", "block count must not be negative");
  std::vector<Bytes32> hashes;
  for (int i = 0; i < n; ++i) {
    const auto selected = mempool_.select_for_block(params_.max_block_weight - kCoinbaseWeightReserve);
    std::vector<std::shared_ptr<const btc::Transaction>> txs;
    std::vector<TxFacts> facts;
    Prior prior{Origin::mempool, {}, false};
    txs.reserve(selected.size());
    facts.reserve(selected.size() + 1);
    prior.verified_flags.reserve(selected.size() + 1);
    btc::Amount fees = 0;
    for (const MempoolEntry* e : selected) {
      txs.push_back(e->tx);
      facts.push_back(e->facts);
      prior.verified_flags.push_back(e->script_flags_checked);
      fees += e->fee;
    }
    LADDER_ASSIGN(Bytes32 hash, mine_one(std::move(txs), std::move(facts), fees, coinbase_script, std::move(prior)));
    hashes.push_back(hash);
  }
  return hashes;
}

Expected<Bytes32> EmbeddedChain::mine_block_with(const std::vector<btc::Transaction>& txs, ByteView coinbase_script) {
  std::vector<std::shared_ptr<const btc::Transaction>> ptrs;
  std::vector<TxFacts> facts;
  Prior prior{Origin::external, {}, false};
  btc::Amount fees = 0;
  // Fees, with outputs of earlier txs in the list spendable by later ones.
  std::unordered_map<btc::OutPoint, btc::Amount, OutPointHasher> created;
  for (const auto& tx : txs) {
    TxFacts f = tx_facts(tx);
    btc::Amount in = 0, out = 0;
    for (size_t i = 0; i < tx.vin.size(); ++i) {
      const auto& op = tx.vin[i].prevout;
      if (const Coin* c = utxo_.find(op)) {
        in += c->out.value;
      } else if (auto it = created.find(op); it != created.end()) {
        in += it->second;
      } else {
        return make_culprit_error("bad-txns-inputs-missingorspent", static_cast<int>(i), "input",
                                  "tx " + f.txid.hex() + " spends unknown or spent " + op.to_string());
      }
    }
    for (uint32_t n = 0; n < tx.vout.size(); ++n) {
      out += tx.vout[n].value;
      created[btc::OutPoint{f.txid, n}] = tx.vout[n].value;
    }
    fees += std::max<btc::Amount>(0, in - out);  // a negative fee fails validation in connect
    ptrs.push_back(std::make_shared<const btc::Transaction>(tx));
    prior.verified_flags.push_back(mempool_script_flags(f));
    facts.push_back(f);
  }
  return mine_one(std::move(ptrs), std::move(facts), fees, coinbase_script, std::move(prior));
}

Expected<std::vector<std::shared_ptr<const btc::Transaction>>> EmbeddedChain::disconnect_blocks(int depth) {
  if (depth < 0 || depth > height() || depth > params_.max_reorg_depth)
    return make_error("chain.reorg-too-deep", "cannot disconnect " + std::to_string(depth) + " blocks at height " + std::to_string(height()));
  std::vector<std::vector<std::shared_ptr<const btc::Transaction>>> per_block;
  for (int i = 0; i < depth; ++i) per_block.push_back(disconnect_tip());
  std::vector<std::shared_ptr<const btc::Transaction>> disconnected;
  for (auto it = per_block.rbegin(); it != per_block.rend(); ++it) disconnected.insert(disconnected.end(), it->begin(), it->end());
  return disconnected;
}

Status EmbeddedChain::invalidate(int depth) {
  LADDER_ASSIGN(auto disconnected, disconnect_blocks(depth));
  resubmit(disconnected);
  return ok();
}

Status EmbeddedChain::reorg(int depth, const std::vector<std::vector<btc::Transaction>>& new_blocks, ByteView coinbase_script) {
  LADDER_ASSIGN(auto pending, disconnect_blocks(depth));
  // The new branch is mined against an empty mempool; everything that was
  // pending (disconnected first, then the old mempool) is offered again after.
  for (const MempoolEntry* e : mempool_.in_arrival_order()) pending.push_back(e->tx);
  mempool_.clear();
  Status result = ok();
  for (const auto& txs : new_blocks) {
    auto r = mine_block_with(txs, coinbase_script);
    if (!r) {
      result = r.error();
      break;
    }
  }
  resubmit(pending);
  return result;
}

void EmbeddedChain::resubmit(const std::vector<std::shared_ptr<const btc::Transaction>>& txs) {
  std::vector<std::shared_ptr<const btc::Transaction>> pending = txs;
  for (const MempoolEntry* e : mempool_.in_arrival_order()) pending.push_back(e->tx);
  mempool_.clear();
  for (const auto& tx : pending) {
    // Txs that are confirmed again, conflict with the new chain or are no
    // longer final are dropped, as Core's mempool does after a reorg.
    (void)submit(*tx);
  }
}

}  // namespace ladder::chain
