// The embedded chain: a real Bitcoin validator and miner in one process, the
// default chain for the demo and every test (DESIGN.md §9).
//
// It keeps the active chain of blocks (plus stale blocks after reorgs), the
// UTXO set, a mempool with Bitcoin Core 28/29's acceptance rules (consensus,
// standardness, TRUC, replace-by-fee), and a mock clock. Blocks are mined on
// demand from the mempool (best ancestor fee rate first, parents before
// children) or from explicit transactions; the last blocks can be
// invalidated or replaced by a competing branch, and the transactions they
// held return to the mempool when still valid.
//
// Invariants: the UTXO set is exactly the outputs created and not spent by
// the active chain (genesis outputs excluded, as in Core); every mempool
// entry is valid on top of the tip under relay policy; scripts of a tx are
// verified once: a mempool entry keeps the flags its scripts passed, so
// mining it (or connecting a block holding it) does not verify them again,
// and verdicts reached while connecting a block are cached by wtxid.
//
// Failure behaviour: every operation that can fail returns an Error whose
// code is Bitcoin Core's reject string ("txn-mempool-conflict",
// "bad-txns-inputs-missingorspent", "non-BIP68-final", "TRUC-violation",
// ...) with the details in the message; a failed block connection leaves the
// chain unchanged. Not thread-safe: one owner drives it (the RPC server
// serializes requests).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "btc/tx.h"
#include "chain/backend.h"
#include "chain/block.h"
#include "chain/coins.h"
#include "chain/consensus.h"
#include "chain/mempool.h"
#include "chain/params.h"

namespace ladder::chain {

// A block of the active chain or a stale one, with what was learned
// connecting it.
struct BlockRecord {
  std::shared_ptr<const Block> block;
  Bytes32 hash{};
  int height = 0;
  int64_t mtp = 0;                  // median time past of the 11 blocks ending here
  std::vector<TxFacts> facts;       // per tx, block order
  std::vector<btc::Amount> fees;    // per tx (0 for the coinbase)
};

struct TxLocation {
  std::shared_ptr<const btc::Transaction> tx;
  int height = -1;         // -1: in the mempool
  Bytes32 block_hash{};    // zero when in the mempool
  uint32_t index = 0;      // position in the block
  int confirmations = 0;   // 0 in the mempool
};

struct AcceptResult {
  btc::Txid txid;
  Bytes32 wtxid{};
  btc::Amount fee = 0;
  int64_t vsize = 0;
  std::vector<btc::Txid> replaced;  // evicted by replace-by-fee (with descendants)
};

class EmbeddedChain {
 public:
  explicit EmbeddedChain(ChainParams params = regtest_params());

  const ChainParams& params() const { return params_; }

  // --- chain state -------------------------------------------------------
  int height() const { return static_cast<int>(active_.size()) - 1; }
  const BlockRecord& tip() const { return active_.back(); }
  const BlockRecord* at_height(int h) const;
  // A block of the active chain or a stale one.
  const BlockRecord* find_block(const Bytes32& hash) const;
  bool is_active(const Bytes32& hash) const;
  int64_t median_time_past() const { return tip().mtp; }

  // The mock clock: the time the next mined block is stamped with (at least
  // median time past + 1). Mining a block advances it by
  // params().block_interval_seconds.
  int64_t now() const { return now_; }
  void set_time(int64_t t) { now_ = t; }
  void advance_time(int64_t seconds) { now_ += seconds; }

  // --- transactions ------------------------------------------------------
  // Validates `tx` for the mempool and adds it (replacing conflicts when
  // replace-by-fee allows). "txn-already-in-mempool" if it is there already.
  Expected<AcceptResult> submit(const btc::Transaction& tx);
  // The same verdict without changing anything.
  Expected<AcceptResult> test_accept(const btc::Transaction& tx) const;

  std::optional<TxLocation> find_tx(const btc::Txid& txid) const;
  const Coin* coin(const btc::OutPoint& op) const { return utxo_.find(op); }
  const UtxoSet& utxos() const { return utxo_; }
  const Mempool& mempool() const { return mempool_; }
  // Outputs paying `script_pubkey` not spent by the chain or the mempool,
  // including those of mempool txs (height -1).
  std::vector<Utxo> unspent_outputs(ByteView script_pubkey) const;
  // Fee-rate estimate in sat per 1000 vB: the median rate of the txs in the
  // last params().fee_estimate_blocks blocks, at least the min relay fee;
  // the fallback rate when those blocks hold no txs.
  int64_t estimate_fee_per_kvb() const;

  // --- mining --------------------------------------------------------------
  // Mines `n` blocks paying subsidy and fees to `coinbase_script`, each
  // taking what fits from the mempool. Returns the new block hashes.
  Expected<std::vector<Bytes32>> mine(int n, ByteView coinbase_script);
  // Mines one block holding exactly `txs` (in order, after the coinbase),
  // validated by consensus rules only; mempool txs it conflicts with are
  // evicted. Codes: those of connect_block, plus
  // "bad-txns-inputs-missingorspent" for unknown inputs.
  Expected<Bytes32> mine_block_with(const std::vector<btc::Transaction>& txs, ByteView coinbase_script);
  // Connects a complete block on the tip (consensus checks; scripts verified
  // under the consensus flags when `verify_scripts`, except those already
  // verified). Codes: "bad-prevblk", "high-hash", "time-too-old",
  // "bad-txnmrklroot", "bad-cb-missing", "bad-cb-multiple", "bad-cb-height",
  // "bad-cb-amount", "bad-blk-weight", "bad-witness-merkle-match",
  // "unexpected-witness", "bad-txns-nonfinal", "bad-txns-inputs-missingorspent",
  // the check_tx_inputs codes, "mandatory-script-verify-flag-failed".
  Status connect_block(const Block& block, bool verify_scripts = true);

  // --- reorgs ----------------------------------------------------------------
  // Disconnects the last `depth` blocks; their txs go back to the mempool
  // when still valid. "chain.reorg-too-deep" past genesis or max_reorg_depth.
  Status invalidate(int depth);
  // Replaces the last `depth` blocks by `new_blocks` (each a list of txs,
  // mined with a coinbase to `coinbase_script`). Disconnected txs that are
  // not in the new branch return to the mempool when still valid; ones that
  // conflict with it are dropped. On an invalid new block the chain is left
  // with the blocks mined before it.
  Status reorg(int depth, const std::vector<std::vector<btc::Transaction>>& new_blocks, ByteView coinbase_script);

 private:
  struct TxPos {
    int height;
    uint32_t index;
  };
  struct BlockUndo {
    std::vector<Coin> spent;  // coins spent by the block's inputs, in order
  };
  struct AcceptPlan {
    MempoolEntry entry;
    std::vector<btc::Txid> conflicts;  // direct conflicts to evict (with descendants)
  };

  // Where a block's txs come from decides which checks are already done:
  // mempool txs passed the context-free checks and had their scripts
  // verified at acceptance; stored blocks were fully validated when first
  // connected.
  enum class Origin { external, mempool, replay };
  // What connecting a block takes as established besides its origin: per
  // tx, the script flags already verified (a mempool entry's; 0 = none),
  // and whether the block was assembled here (mine_one): its merkle root
  // and witness commitment were then computed from these very TxFacts a
  // moment before, so they are not hashed a second time (Core's miner
  // likewise tests its own template without re-checking the merkle root).
  struct Prior {
    Origin origin = Origin::external;
    std::vector<uint32_t> verified_flags;  // empty, or one per tx (coinbase first)
    bool assembled_here = false;
  };

  Expected<AcceptPlan> plan_accept(const btc::Transaction& tx) const;
  Status check_replacement(const AcceptPlan& plan, bool sibling_eviction) const;
  Status check_package_limits(const MempoolEntry& e, const std::set<btc::Txid>& ancestors) const;
  Status connect(std::shared_ptr<const Block> block, std::vector<TxFacts> facts, const Prior& prior);
  Status connect_txs(const Block& block, const std::vector<TxFacts>& facts, int height, int64_t prev_mtp,
                     const Prior& prior, BlockUndo& undo, std::vector<btc::Amount>& fees);
  // The flags a mempool entry with these facts (same wtxid) was verified under, or 0.
  uint32_t mempool_script_flags(const TxFacts& f) const;
  std::vector<std::shared_ptr<const btc::Transaction>> disconnect_tip();
  // Disconnects `depth` blocks; returns their txs, oldest block first.
  Expected<std::vector<std::shared_ptr<const btc::Transaction>>> disconnect_blocks(int depth);
  void remove_for_block(const BlockRecord& rec);
  void resubmit(const std::vector<std::shared_ptr<const btc::Transaction>>& disconnected);
  // `prior.verified_flags` has one entry per tx of `txs` (the coinbase's is added).
  Expected<Bytes32> mine_one(std::vector<std::shared_ptr<const btc::Transaction>> txs, std::vector<TxFacts> facts,
                             btc::Amount fees, ByteView coinbase_script, Prior prior);
  int64_t mtp_at(int h) const { return active_.at(static_cast<size_t>(h)).mtp; }
  int64_t compute_mtp(uint32_t new_time) const;

  ChainParams params_;
  std::vector<BlockRecord> active_;
  std::vector<BlockUndo> undo_;  // parallel to active_ (genesis has none)
  std::unordered_map<Bytes32, int, Bytes32Hasher> active_heights_;  // hash -> height, active chain
  std::unordered_map<Bytes32, BlockRecord, Bytes32Hasher> stale_;
  std::unordered_map<btc::Txid, TxPos, TxidHasher> tx_index_;
  UtxoSet utxo_;
  Mempool mempool_;
  std::unordered_map<Bytes32, uint32_t, Bytes32Hasher> script_cache_;  // wtxid -> flags verified under, in blocks
  int64_t now_ = 0;
};

}  // namespace ladder::chain
