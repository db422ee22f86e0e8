// The embedded chain's mempool: validated, unconfirmed transactions and the
// graph of their in-mempool parents and children.
//
// The mempool only stores; the embedded chain decides what enters (see
// embedded_chain.h). Invariants: every entry's inputs are either confirmed
// coins or outputs of other entries; no two entries spend the same outpoint;
// parent/child links are symmetric. Entries are immutable once added, apart
// from their links. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "btc/tx.h"
#include "chain/coins.h"
#include "chain/consensus.h"

namespace ladder::chain {

struct MempoolEntry {
  std::shared_ptr<const btc::Transaction> tx;
  TxFacts facts;
  btc::Amount fee = 0;
  uint64_t sequence = 0;              // arrival order
  uint32_t script_flags_checked = 0;  // the flags its scripts were verified under
  std::set<btc::Txid> parents;        // in-mempool txs it spends
  std::set<btc::Txid> children;       // in-mempool txs spending it
};

class Mempool {
 public:
  const MempoolEntry* find(const btc::Txid& txid) const;
  // The mempool tx spending `op`, if any.
  const btc::Txid* spender(const btc::OutPoint& op) const;
  // Output `op.n` of a mempool tx, or nullptr.
  const btc::TxOut* output(const btc::OutPoint& op) const;

  // Adds `e`, linking it to its in-mempool parents. Precondition: its inputs
  // are not spent by another entry (a programmer error otherwise).
  void add(MempoolEntry e);
  // Removes `txid` and every descendant; returns the removed txids, parents first.
  std::vector<btc::Txid> remove_with_descendants(const btc::Txid& txid);
  // Removes one entry that has no in-mempool parents (it was mined).
  void remove_mined(const btc::Txid& txid);
  void clear();

  // All in-mempool ancestors of a tx whose direct in-mempool parents are
  // `parents` (not including the tx itself).
  std::set<btc::Txid> ancestors_of(const std::set<btc::Txid>& parents) const;
  std::set<btc::Txid> descendants(const btc::Txid& txid) const;  // excluding txid

  // Entries in arrival order (parents always before children).
  std::vector<const MempoolEntry*> in_arrival_order() const;
  // A selection for a block of at most `max_weight`: packages of a tx and
  // its unselected ancestors, best ancestor fee rate first, parents before
  // children.
  std::vector<const MempoolEntry*> select_for_block(int64_t max_weight) const;

  size_t size() const { return entries_.size(); }
  int64_t total_vsize() const { return total_vsize_; }
  btc::Amount total_fee() const { return total_fee_; }
  const std::unordered_map<btc::Txid, MempoolEntry, TxidHasher>& entries() const { return entries_; }

 private:
  void erase(const btc::Txid& txid);
  std::unordered_map<btc::Txid, MempoolEntry, TxidHasher> entries_;
  std::unordered_map<btc::OutPoint, btc::Txid, OutPointHasher> spenders_;
  uint64_t next_sequence_ = 0;
  int64_t total_vsize_ = 0;
  btc::Amount total_fee_ = 0;
};

}  // namespace ladder::chain
